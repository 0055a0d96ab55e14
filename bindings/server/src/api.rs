//! The routes, their request and answer types, and the OpenAPI document written from them.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use utoipa::{OpenApi, ToSchema};

use crate::Shared;
use crate::answer::{self, Shape};

/// An application: the matter, the decision date and the applicant's facts.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// The matter's 实施编码, or a 基本编码 that only one matter has.
    #[schema(example = "11610100000000000X4000131128000")]
    pub matter: String,
    /// The decision date, `YYYY-MM-DD`; default today in China (UTC+8). Give it wherever the
    /// date matters: the same facts on another day can get another decision.
    #[schema(example = "2026-03-02")]
    pub on: Option<String>,
    /// Fact names to values (`null` or left out: not answered yet); default `{}`. Read as the
    /// text sent, so a decimal such as `0.1` reaches the core exactly.
    #[schema(value_type = Object, example = json!({"经营者身份类型": "内地居民"}))]
    #[serde(default = "no_facts")]
    pub facts: Box<RawValue>,
}

/// A theme application (一件事一次办): the theme, the region, the decision date and the facts
/// under the theme's names.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ThemeApplication {
    /// The theme's code.
    #[schema(example = "610000-QYZY-CANGUAN")]
    pub theme: String,
    /// The region whose implementations decide the matters the theme names by 基本编码;
    /// default the theme's only region (`region_needed` when it is offered in several).
    #[schema(example = "咸阳市秦都区")]
    pub region: Option<String>,
    /// As in [`Application`].
    #[schema(example = "2026-03-02")]
    pub on: Option<String>,
    /// Theme fact names to values (`缺少材料` lists ids of the combined materials list);
    /// default `{}`.
    #[schema(value_type = Object, example = json!({"经营者身份类型": "内地居民"}))]
    #[serde(default = "no_facts")]
    pub facts: Box<RawValue>,
}

/// A decision made elsewhere to confirm: the application with its receipt, or with the whole
/// decision (whose body is then checked against its receipt too).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// As in [`Application`].
    pub matter: String,
    /// As in [`Application`]; required here, the date the decision was made for.
    pub on: String,
    /// As in [`Application`].
    #[schema(value_type = Object)]
    #[serde(default = "no_facts")]
    pub facts: Box<RawValue>,
    /// The decision's `receipt`.
    #[schema(value_type = Option<Object>)]
    pub receipt: Option<Box<RawValue>>,
    /// The whole decision, receipt included, in place of `receipt`.
    #[schema(value_type = Option<Object>)]
    pub decision: Option<Box<RawValue>>,
}

/// One error, as every channel reports it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ErrorItem {
    /// A stable code to branch on: the core's (`unknown_fact`, `wrong_type`, `not_an_option`,
    /// `invalid_date`, `unknown_matter`, `not_in_force`, `too_large`, `invalid_json`,
    /// `hash_mismatch`, `unsigned`, …) and the server's (`timeout`, `not_found`,
    /// `method_not_allowed`, `unauthorized`, `invalid_rules`, `unreadable`).
    pub code: String,
    /// A one-line message for people; it names facts, never their values.
    pub message: String,
    /// Where: a fact's path (`电子证照[1]`), a request field, a rule file's position, or empty.
    pub path: String,
}

/// A failure: every error found, not only the first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Failure {
    /// Always `false`.
    pub ok: bool,
    /// The errors.
    pub errors: Vec<ErrorItem>,
}

/// The server's state.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
    /// The SHA-256 of the rules in force (the `bundle` of every receipt made now).
    pub hash: String,
    /// The number of matters.
    pub matters: usize,
}

/// The rules swapped in by a reload.
#[derive(Debug, Serialize, ToSchema)]
pub struct Reloaded {
    /// Their SHA-256.
    pub hash: String,
}

/// `?on=YYYY-MM-DD`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct OnDate {
    /// The date; default today in China (UTC+8).
    pub on: Option<String>,
}

/// `?region=…`: a region's name or its 行政区划代码.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct InRegion {
    /// Only this region and the regions within it (for themes: those offered in it or in a
    /// region that encloses it); default every one.
    pub region: Option<String>,
}

/// The OpenAPI 3 document of the server, served at `GET /openapi.json`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "banshi",
        description = "Decisions on Chinese government service matters (政务服务事项): eligibility, materials, deadlines and fees, byte for byte the JSON every banshi channel produces. The decision's fields are described in the project's README (\"A decision\") and the npm package's index.d.ts.",
    ),
    paths(decide, questions, eligibility, verify, matters, matter, guide, themes, decide_theme, theme_questions, healthz, reload, crate::indicators::indicators),
    components(schemas(Application, ThemeApplication, Record, ErrorItem, Failure, Health, Reloaded)),
    modifiers(&BearerToken)
)]
pub struct ApiDoc;

/// The admin token's security scheme, which `POST /v1/admin/reload` asks for.
struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The server's routes, with the request log, time limit and body limit.
pub fn router(shared: Arc<Shared>) -> Router {
    let max_body = shared.config().max_body;
    let admin = Router::new()
        .route("/v1/admin/reload", post(reload))
        .layer(DefaultBodyLimit::max(crate::MAX_RELOAD_BYTES));
    Router::new()
        .route("/v1/decide", post(decide))
        .route("/v1/questions", post(questions))
        .route("/v1/eligibility", post(eligibility))
        .route("/v1/verify", post(verify))
        .route("/v1/matters", get(matters))
        .route("/v1/matters/{code}", get(matter))
        .route("/v1/matters/{code}/guide", get(guide))
        .route("/v1/themes", get(themes))
        .route("/v1/themes/decide", post(decide_theme))
        .route("/v1/themes/questions", post(theme_questions))
        .route("/healthz", get(healthz))
        .route("/openapi.json", get(openapi))
        .merge(crate::indicators::routes())
        .layer(DefaultBodyLimit::max(max_body))
        .merge(admin)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&shared),
            crate::log::requests,
        ))
        .with_state(shared)
}

/// Today in China: the whole country keeps UTC+8, with no daylight saving.
pub(crate) fn today() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(8))
        .date_naive()
        .to_string()
}

/// The request body read as `T`, or the failure to answer.
fn read<T: DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> Result<T, Response> {
    let bytes = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            answer::error(
                "too_large",
                "the request body is larger than this server accepts",
                "",
            )
        } else {
            answer::error("invalid_json", "the request body could not be read", "")
        }
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        let message = if e.is_data() {
            format!("the request is not what this endpoint takes: {e}")
        } else {
            format!(
                "the request body is not JSON (line {}, column {})",
                e.line(),
                e.column()
            )
        };
        answer::error("invalid_json", message, "")
    })
}

/// `{}`: no fact answered yet. A `null` sent is kept, and refused by the core as every channel
/// refuses it (`not_an_object`).
fn no_facts() -> Box<RawValue> {
    RawValue::from_string("{}".into()).unwrap_or_else(|_| RawValue::NULL.to_owned())
}

/// Reads an application and answers the call `f` makes with it.
fn apply(
    shared: &Shared,
    body: Result<Bytes, BytesRejection>,
    shape: Shape,
    f: impl FnOnce(&banshi_core::ffi::Engine, &str, &str, &str) -> String,
) -> Response {
    let app: Application = match read(body) {
        Ok(app) => app,
        Err(failed) => return failed,
    };
    let on = app.on.unwrap_or_else(today);
    let envelope = f(&shared.engine(), &app.matter, app.facts.get(), &on);
    answer::from_envelope(envelope, shape, Some(&app.matter))
}

/// Reads a theme application and answers the theme call `call` (`decide` or `questions`).
fn apply_theme(
    shared: &Shared,
    body: Result<Bytes, BytesRejection>,
    shape: Shape,
    call: &str,
) -> Response {
    let app: ThemeApplication = match read(body) {
        Ok(app) => app,
        Err(failed) => return failed,
    };
    let on = app.on.unwrap_or_else(today);
    let region = app.region.as_deref().unwrap_or_default();
    let envelope = shared
        .engine()
        .theme(call, &app.theme, region, app.facts.get(), &on);
    answer::from_envelope(envelope, shape, Some(&app.theme))
}

/// Every theme (一件事一次办): code, name, basis, the codes of its matters, the regions it is
/// offered in.
#[utoipa::path(get, path = "/v1/themes", params(InRegion), responses(
    (status = 200, description = "The themes, as `banshi themes --json [--region R]` lists them.", body = Object),
    (status = "4XX", description = "The failure envelope (`unknown_region` …).", body = Failure),
))]
async fn themes(State(shared): State<Arc<Shared>>, Query(r): Query<InRegion>) -> Response {
    let region = r.region.as_deref().unwrap_or_default();
    let envelope = shared.engine().theme("themes", "", region, "{}", "");
    answer::from_envelope(envelope, Shape::Field("themes"), None)
}

/// Decides a theme: each matter's decision, one interview, one materials list, one acceptance
/// and 一次性告知, the chained deadlines and the summed fees, with its receipt.
#[utoipa::path(post, path = "/v1/themes/decide", request_body = ThemeApplication, responses(
    (status = 200, description = "The theme decision: the bytes `banshi decide --theme … --compact` prints for the same rules, region, facts and date.", body = Object),
    (status = "4XX", description = "The failure envelope (`unknown_theme`, `not_in_region`, `region_needed`, `implementations_tie`, `unknown_region`, the facts' errors …).", body = Failure),
))]
async fn decide_theme(
    State(shared): State<Arc<Shared>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    apply_theme(&shared, body, Shape::Field("decision"), "decide")
}

/// What a theme's one interview asks next.
#[utoipa::path(post, path = "/v1/themes/questions", request_body = ThemeApplication, responses(
    (status = 200, description = "`{\"status\",\"questions\"}`.", body = Object),
    (status = "4XX", description = "The failure envelope.", body = Failure),
))]
async fn theme_questions(
    State(shared): State<Arc<Shared>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    apply_theme(&shared, body, Shape::Flat, "questions")
}

/// Decides: the whole decision, with its receipt.
#[utoipa::path(post, path = "/v1/decide", request_body = Application, responses(
    (status = 200, description = "The decision: the bytes `banshi decide --compact` prints for the same rules, facts and date (`matter`, `version`, `on`, `status`, `failed`, `questions`, `situations`, `materials`, `acceptance`, `commitment`, `fees`, `deadline`, `receipt`).", body = Object),
    (status = "4XX", description = "The failure envelope.", body = Failure),
))]
async fn decide(
    State(shared): State<Arc<Shared>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    apply(&shared, body, Shape::Field("decision"), |e, m, f, on| {
        e.decide(m, f, on)
    })
}

/// What to ask next: the status and the questions still worth asking, in interview order.
#[utoipa::path(post, path = "/v1/questions", request_body = Application, responses(
    (status = 200, description = "`{\"status\",\"questions\"}`.", body = Object),
    (status = "4XX", description = "The failure envelope.", body = Failure),
))]
async fn questions(
    State(shared): State<Arc<Shared>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    apply(&shared, body, Shape::Flat, |e, m, f, on| {
        e.questions(m, f, on)
    })
}

/// Whether the 受理条件 hold: the cheapest answer.
#[utoipa::path(post, path = "/v1/eligibility", request_body = Application, responses(
    (status = 200, description = "`{\"status\",\"failed\",\"questions\"}`.", body = Object),
    (status = "4XX", description = "The failure envelope.", body = Failure),
))]
async fn eligibility(
    State(shared): State<Arc<Shared>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    apply(&shared, body, Shape::Flat, |e, m, f, on| {
        e.eligibility(m, f, on)
    })
}

/// Decides again and compares with a receipt (or a whole decision) made on another channel.
#[utoipa::path(post, path = "/v1/verify", request_body = Record, responses(
    (status = 200, description = "`{\"valid\",\"mismatches\",\"status\"?,\"receipt\"}`: `valid` false with what differs (`bundle`, `key`, `facts`, `decision`, `body`).", body = Object),
    (status = "4XX", description = "The failure envelope.", body = Failure),
))]
async fn verify(
    State(shared): State<Arc<Shared>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let record: Record = match read(body) {
        Ok(record) => record,
        Err(failed) => return failed,
    };
    let engine = shared.engine();
    let facts = record.facts.get();
    let envelope = match (&record.decision, &record.receipt) {
        (Some(decision), _) => {
            engine.verify_decision(&record.matter, facts, &record.on, decision.get())
        }
        (None, Some(receipt)) => engine.verify(&record.matter, facts, &record.on, receipt.get()),
        (None, None) => {
            return answer::error(
                "invalid_receipt",
                "the record needs `receipt` or a `decision` with one",
                "receipt",
            );
        }
    };
    answer::from_envelope(envelope, Shape::Flat, Some(&record.matter))
}

/// Every version of every matter: 实施编码, 基本编码, name, type, version, dates in force.
#[utoipa::path(get, path = "/v1/matters", params(InRegion), responses(
    (status = 200, description = "The matters, as `banshi matters --json [--region R]` lists them.", body = Object),
))]
async fn matters(State(shared): State<Arc<Shared>>, Query(r): Query<InRegion>) -> Response {
    let region = r.region.as_deref().unwrap_or_default();
    answer::from_envelope(
        shared.engine().matters_in(region),
        Shape::Field("matters"),
        None,
    )
}

/// One matter's version in force on a date: its elements and its facts schema, for a form.
#[utoipa::path(get, path = "/v1/matters/{code}", params(("code" = String, Path, description = "实施编码 or a unique 基本编码"), OnDate), responses(
    (status = 200, description = "`{\"info\",\"version\",\"facts\"}`.", body = Object),
    (status = "4XX", description = "The failure envelope.", body = Failure),
))]
async fn matter(
    State(shared): State<Arc<Shared>>,
    Path(code): Path<String>,
    Query(on): Query<OnDate>,
) -> Response {
    let on = on.on.unwrap_or_else(today);
    answer::from_envelope(
        shared.engine().matter(&code, &on),
        Shape::Field("matter"),
        Some(&code),
    )
}

/// The 办事指南 of a matter's version in force on a date: its 办理流程 (steps, each with its
/// name, description and time limit), as the rule file states it.
#[utoipa::path(get, path = "/v1/matters/{code}/guide", params(("code" = String, Path, description = "实施编码 or a unique 基本编码"), OnDate), responses(
    (status = 200, description = "`{\"steps\":[{\"name\",\"description\"?,\"limit\"?}]}`.", body = Object),
    (status = "4XX", description = "The failure envelope.", body = Failure),
))]
async fn guide(
    State(shared): State<Arc<Shared>>,
    Path(code): Path<String>,
    Query(on): Query<OnDate>,
) -> Response {
    let on = on.on.unwrap_or_else(today);
    let engine = shared.engine();
    // The matter as every channel looks it up: its failures are the `matter` call's own.
    let envelope = engine.matter(&code, &on);
    let found = banshi_core::facts::parse_date(&on)
        .and_then(|date| engine.rules().matter(&code, date).ok());
    let (Some(matter), true) = (found, envelope.starts_with("{\"ok\":true")) else {
        return answer::from_envelope(envelope, Shape::Field("matter"), Some(&code));
    };
    match serde_json::to_string(matter.guide()) {
        Ok(json) => answer::from_envelope(
            format!("{{\"ok\":true,\"guide\":{json}}}"),
            Shape::Field("guide"),
            Some(&code),
        ),
        Err(e) => answer::error(
            "serialize",
            format!("the guide could not be written: {e}"),
            "",
        ),
    }
}

/// Liveness, and the rules in force.
#[utoipa::path(get, path = "/healthz", responses((status = 200, body = Health)))]
async fn healthz(State(shared): State<Arc<Shared>>) -> Response {
    let engine = shared.engine();
    let health = Health {
        status: "ok",
        hash: engine.hash().to_string(),
        matters: engine.rules().len(),
    };
    axum::Json(health).into_response()
}

async fn openapi() -> Response {
    axum::Json(ApiDoc::openapi()).into_response()
}

/// Swaps in new rules without a restart: the bundle in the body (loaded with the server's
/// trusted keys and receipt key), or with an empty body the server's `--rules`/`--bundle` read
/// again. The rules in force stay when the new ones fail to load. Closed unless the server
/// has an admin token.
#[utoipa::path(post, path = "/v1/admin/reload", request_body(content = String, description = "A bundle written by `banshi bundle`, or nothing."), security(("bearer" = [])), responses(
    (status = 200, body = Reloaded),
    (status = 401, description = "No admin token configured, or not the one sent.", body = Failure),
    (status = 422, description = "The new rules did not load; the old ones stay.", body = Failure),
))]
async fn reload(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let sent = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let authorized = match (&shared.config().admin_token, sent) {
        (Some(token), Some(sent)) => constant_time_eq(token.as_bytes(), sent.as_bytes()),
        _ => false,
    };
    if !authorized {
        return answer::error(
            "unauthorized",
            "reloading needs the server's admin token as `Authorization: Bearer <token>`",
            "",
        );
    }
    let bytes = match body {
        Ok(bytes) => bytes,
        Err(_) => return answer::error("too_large", "the bundle is larger than accepted", ""),
    };
    let result = tokio::task::spawn_blocking(move || {
        if bytes.is_empty() {
            return shared.reload();
        }
        match std::str::from_utf8(&bytes) {
            Ok(text) => shared.reload_bundle(text),
            Err(_) => Err(vec![banshi_core::ffi::ErrorData {
                code: "invalid_bundle".into(),
                message: "the bundle is not UTF-8 text".into(),
                path: String::new(),
            }]),
        }
    })
    .await;
    match result {
        Ok(Ok(hash)) => {
            crate::log::event("reloaded", &[("hash", &hash)]);
            axum::Json(Reloaded { hash }).into_response()
        }
        Ok(Err(errors)) => answer::from_errors(&errors, None),
        Err(e) => answer::error("serialize", format!("the reload failed: {e}"), ""),
    }
}

/// Compares without stopping at the first difference, so the time taken does not tell how
/// much of a guessed token was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn not_found() -> Response {
    answer::error(
        "not_found",
        "no such endpoint; GET /openapi.json lists them",
        "",
    )
}

async fn method_not_allowed() -> Response {
    answer::error(
        "method_not_allowed",
        "this endpoint takes another method; GET /openapi.json lists them",
        "",
    )
}
