//! The core's envelopes as HTTP answers.
//!
//! A success is what the envelope carries, byte for byte, with status 200: for `decide` the
//! decision itself (the bytes `banshi decide --compact` prints), for `questions`, `eligibility`
//! and `verify` the envelope's object without its `"ok":true`. A failure is the whole envelope
//! `{"ok":false,"errors":[…]}`, the same bytes every channel gets, with the status its first
//! error's code calls for ([`status_of`]).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use banshi_core::ffi::{ErrorData, failure};

/// What a success envelope carries.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// `{"ok":true,"<field>":<value>}`: the value.
    Field(&'static str),
    /// `{"ok":true,…}`: the object without `"ok":true`.
    Flat,
}

const OK: &str = "{\"ok\":true,";

/// What the request log records of an answer: the matter asked about and the error codes,
/// never a fact's value.
#[derive(Debug, Clone, Default)]
pub struct Logged {
    /// The matter code of the request, if any.
    pub matter: Option<String>,
    /// The codes of the errors answered.
    pub codes: Vec<String>,
}

/// The HTTP status of a failure, by its first error's code.
pub fn status_of(code: &str) -> StatusCode {
    match code {
        "invalid_json" => StatusCode::BAD_REQUEST,
        "unauthorized" => StatusCode::UNAUTHORIZED,
        "unknown_matter" | "unknown_theme" | "not_found" => StatusCode::NOT_FOUND,
        "method_not_allowed" => StatusCode::METHOD_NOT_ALLOWED,
        "too_large" => StatusCode::PAYLOAD_TOO_LARGE,
        "timeout" => StatusCode::SERVICE_UNAVAILABLE,
        "serialize" => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

fn json(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// The answer for an envelope from the core.
pub fn from_envelope(envelope: String, shape: Shape, matter: Option<&str>) -> Response {
    let mut logged = Logged {
        matter: matter.map(str::to_string),
        codes: Vec::new(),
    };
    let response = match success_body(&envelope, shape) {
        Some(body) => json(StatusCode::OK, body.to_string()),
        None => {
            let errors = errors_of(&envelope);
            logged.codes = errors.iter().map(|e| e.code.clone()).collect();
            let code = errors.first().map_or("serialize", |e| e.code.as_str());
            json(status_of(code), envelope)
        }
    };
    with_log(response, logged)
}

/// The answer for errors found by the server itself (the request, its size, its time).
pub fn from_errors(errors: &[ErrorData], matter: Option<&str>) -> Response {
    from_envelope(failure(errors), Shape::Flat, matter)
}

/// One error found by the server itself.
pub fn error(code: &str, message: impl ToString, path: &str) -> Response {
    from_errors(
        &[ErrorData {
            code: code.into(),
            message: message.to_string(),
            path: path.into(),
        }],
        None,
    )
}

fn with_log(mut response: Response, logged: Logged) -> Response {
    response.extensions_mut().insert(logged);
    response
}

/// The part of a success envelope that is answered, or `None` for a failure.
fn success_body(envelope: &str, shape: Shape) -> Option<String> {
    let rest = envelope.strip_prefix(OK)?;
    match shape {
        Shape::Flat => Some(format!("{{{rest}")),
        Shape::Field(field) => rest
            .strip_prefix('"')
            .and_then(|r| r.strip_prefix(field))
            .and_then(|r| r.strip_prefix("\":"))
            .and_then(|r| r.strip_suffix('}'))
            .map(str::to_string),
    }
}

/// The errors of a failure envelope.
fn errors_of(envelope: &str) -> Vec<ErrorData> {
    #[derive(serde::Deserialize)]
    struct Failure {
        errors: Vec<ErrorData>,
    }
    serde_json::from_str::<Failure>(envelope)
        .map(|f| f.errors)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_the_envelopes_contents() {
        let decided = r#"{"ok":true,"decision":{"matter":"X","status":"eligible"}}"#;
        assert_eq!(
            success_body(decided, Shape::Field("decision")).as_deref(),
            Some(r#"{"matter":"X","status":"eligible"}"#)
        );
        let asked = r#"{"ok":true,"status":"needs_facts","questions":[]}"#;
        assert_eq!(
            success_body(asked, Shape::Flat).as_deref(),
            Some(r#"{"status":"needs_facts","questions":[]}"#)
        );
        let failed = r#"{"ok":false,"errors":[{"code":"unknown_matter","message":"m","path":""}]}"#;
        assert_eq!(success_body(failed, Shape::Flat), None);
        assert_eq!(errors_of(failed)[0].code, "unknown_matter");
    }
}
