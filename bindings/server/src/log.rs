//! Structured logs: one JSON line on standard error per request and per event.
//!
//! A request's line has its method, path, status, time, sizes, matter code and error codes,
//! never a body: facts are an applicant's, and a log is read by more people than a decision.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::Shared;
use crate::answer::{self, Logged};

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn write(mut line: Map<String, Value>) {
    line.insert("time".into(), Value::String(now()));
    eprintln!("{}", Value::Object(line));
}

/// Logs an event (`listening`, `reloaded`, `stopping`…) with its fields.
pub(crate) fn event(name: &str, fields: &[(&str, &str)]) {
    let mut line = Map::new();
    line.insert("event".into(), Value::String(name.into()));
    for (key, value) in fields {
        line.insert((*key).into(), Value::String((*value).into()));
    }
    write(line);
}

/// Times the request out after the configured time, then logs it.
pub(crate) async fn requests(
    State(shared): State<Arc<Shared>>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let bytes_in = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let timeout = shared.config().timeout;
    let response = match tokio::time::timeout(timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => answer::error(
            "timeout",
            format!("the request took longer than {} ms", timeout.as_millis()),
            "",
        ),
    };
    let logged = response
        .extensions()
        .get::<Logged>()
        .cloned()
        .unwrap_or_default();
    let mut line = Map::new();
    line.insert("event".into(), json!("request"));
    line.insert("method".into(), json!(method));
    line.insert("path".into(), json!(path));
    line.insert("status".into(), json!(response.status().as_u16()));
    line.insert("micros".into(), json!(started.elapsed().as_micros()));
    if let Some(bytes) = bytes_in {
        line.insert("bytes_in".into(), json!(bytes));
    }
    if let Some(matter) = logged.matter {
        line.insert("matter".into(), json!(matter));
    }
    if !logged.codes.is_empty() {
        line.insert("errors".into(), json!(logged.codes));
    }
    write(line);
    response
}
