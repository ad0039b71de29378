//! Operational logging: one `tracing` event per request.
//!
//! The line names the method, the route *template* (`/cases/{id}`, from axum's
//! [`MatchedPath`], never the raw path with its ids or a query string), the status, the
//! latency and a request id that is also sent back as `x-request-id` and attached (as a span)
//! to everything logged while the request runs, e.g. the cause of a 5xx in
//! [`crate::error`].
//! Nothing a person typed, no name, note, password, cookie or session id is logged here; the
//! handler test `logging.rs` greps the log of a whole journey for them.
//! Which events are written where is the subscriber's business: `wegbereiter serve` installs
//! one that writes to stderr with the level from `--log-level` or `RUST_LOG`.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

/// The filter `wegbereiter serve` uses when neither `--log-level` nor `RUST_LOG` is given:
/// requests and errors, but not the database driver's statement log.
pub const DEFAULT_LOG_FILTER: &str = "info,sqlx=warn,sea_orm=warn,tower_sessions=warn";

/// The header that carries the request id back to the client.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// A random request id (16 hex digits): unique enough to find one request's lines.
fn request_id() -> String {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        return "-".to_owned();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The middleware: runs the request inside a `request` span and logs its outcome.
pub async fn log_requests(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    // Only the template: `/cases/{id}/contacts`, never `/cases/0193…/contacts?q=…`.
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(unmatched)".to_owned(), |p| p.as_str().to_owned());
    let id = request_id();
    let span = tracing::info_span!("request", request_id = %id);
    let mut res = next.run(req).instrument(span.clone()).await;
    let status = res.status().as_u16();
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| {
        if status >= 500 {
            tracing::warn!(%method, %route, status, latency_ms, "request");
        } else {
            tracing::info!(%method, %route, status, latency_ms, "request");
        }
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    res
}
