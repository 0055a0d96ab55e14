//! `GET /v1/indicators`: the plans' targets measured on the rules in force, the report
//! `banshi indicators --json` prints and `engine.indicators()` returns, byte for byte.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;

use crate::Shared;
use crate::answer::{self, Shape};

/// The route, for the server's router.
pub fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/v1/indicators", get(indicators))
}

/// The indicators (承诺时限压缩, 即办件占比, 网上可办率, 高频事项网办率 …) of the matters in force on
/// a date: each per region (with the regions within it, and alone) and level, with its target,
/// clause, met or missed, and the matters that pull it down.
#[utoipa::path(get, path = "/v1/indicators", params(
    ("on" = Option<String>, Query, description = "The date, `YYYY-MM-DD`; default today in China (UTC+8)."),
    ("region" = Option<String>, Query, description = "Only this region: its name or its 行政区划代码 (with the regions within it)."),
    ("level" = Option<String>, Query, description = "Only this level (行使层级), for example 县级."),
), responses(
    (status = 200, description = "`{\"on\",\"indicators\":[{\"id\",\"name\",\"measure\",\"target\",\"clause\",\"figures\"}]}`, as `banshi indicators --json` prints it.", body = Object),
    (status = "4XX", description = "The failure envelope (`invalid_date`, `invalid_filter` for any other parameter).", body = crate::api::Failure),
))]
pub async fn indicators(
    State(shared): State<Arc<Shared>>,
    Query(mut params): Query<BTreeMap<String, String>>,
) -> Response {
    let on = params.remove("on").unwrap_or_else(crate::api::today);
    // The rest is the core's filter, which names what it does not take (`invalid_filter`).
    let filter = match serde_json::to_string(&params) {
        Ok(filter) => filter,
        Err(e) => return answer::error("serialize", format!("the filter: {e}"), ""),
    };
    let envelope = shared.engine().indicators(&on, &filter);
    answer::from_envelope(envelope, Shape::Field("indicators"), None)
}
