//! The JSON API, `/api/v1`, served beside the HTML pages by the same server.
//!
//! For the programs around a project (a Jobcenter's referral lists, reporting, a calendar, a
//! mobile app): the same rules as everywhere, because every read and every step goes through
//! [`wegbereiter_core::CaseService`] and core's access policy; this module only maps HTTP to
//! commands and answers to JSON (see `docs/api.md`).
//!
//! * Authentication: a personal access token as `Authorization: Bearer …` ([`auth`]); no
//!   cookie is read or set, so there is no CSRF surface. Scopes `read` / `write` / `admin`
//!   narrow what a token may do; rate limited per token.
//! * Errors: RFC 9457 problem documents ([`problem`]), one place.
//! * Concurrency: a case's version is its `ETag`; a command with `If-Match` is refused with
//!   412 when the case moved on, a lost race without it is 409.
//! * The OpenAPI 3.1 document is generated from these handlers and types with `utoipa`
//!   ([`ApiDoc`]) and served at `/api/v1/openapi.json`.

mod admin;
pub mod auth;
mod cases;
mod commands;
mod directories;
mod groups;
mod idempotency;
mod model;
pub mod problem;
mod referrals;
mod reminders;
mod report;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::de::DeserializeOwned;
use utoipa::OpenApi;

pub use auth::{RateLimit, RateLimiter};
pub use commands::COMMANDS;
use problem::Problem;

use crate::AppState;

/// The OpenAPI 3.1 description of the API, generated from the handlers.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Wegbereiter API",
        description = "The JSON API of Wegbereiter, case management for outreach social work. Every read and every step is decided by Wegbereiter's core and its access policy, exactly as in the web frontend and the CLI. See docs/api.md.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    servers((url = "/api/v1")),
    paths(
        cases::list,
        cases::show,
        cases::command,
        report::jobcenter,
        referrals::create,
        referrals::batch,
        reminders::list,
        directories::staff,
        directories::staff_member,
        directories::teams,
        directories::services,
        admin::create_team,
        admin::create_service,
        admin::create_staff,
        admin::update_staff,
        groups::list,
        groups::create,
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "cases", description = "Case lists, case files and process steps"),
        (name = "referrals", description = "New cases from the Jobcenter"),
        (name = "reminders", description = "Wiedervorlagen"),
        (name = "directories", description = "Staff, teams and specialist services"),
        (name = "group sessions", description = "Phase 2 group sessions"),
    )
)]
pub struct ApiDoc;

/// Adds the bearer scheme (a personal access token) to the document.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A personal access token (`wegbereiter token create --scope …`, or the web's account page)",
                    ))
                    .build(),
            ),
        );
    }
}

/// The API's routes, to be nested under `/api/v1`.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/cases", get(cases::list))
        .route("/cases/{id}", get(cases::show))
        .route("/cases/{id}/commands", post(cases::command))
        .route("/cases/{id}/jobcenter-report", get(report::jobcenter))
        .route("/referrals", post(referrals::create))
        .route("/referrals/batch", post(referrals::batch))
        .route("/reminders", get(reminders::list))
        .route("/staff", get(directories::staff).post(admin::create_staff))
        .route(
            "/staff/{id}",
            get(directories::staff_member).patch(admin::update_staff),
        )
        .route("/teams", get(directories::teams).post(admin::create_team))
        .route(
            "/services",
            get(directories::services).post(admin::create_service),
        )
        .route("/group-sessions", get(groups::list).post(groups::create))
        .fallback(|| async { Problem::not_found() })
}

/// GET /api/v1/openapi.json: the OpenAPI document (no token needed).
async fn openapi() -> Response {
    match ApiDoc::openapi().to_json() {
        Ok(text) => json_text(StatusCode::OK, text),
        Err(e) => Problem::internal(&e.to_string()).into_response(),
    }
}

/// A JSON response of `value`.
pub(crate) fn json(status: StatusCode, value: &impl serde::Serialize) -> Response {
    match serde_json::to_string(value) {
        Ok(text) => json_text(status, text),
        Err(e) => Problem::internal(&e.to_string()).into_response(),
    }
}

/// A JSON response of the text `body`.
pub(crate) fn json_text(status: StatusCode, body: String) -> Response {
    let mut res = (status, body).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

/// `res` with the case version as its `ETag` (`"7"`).
pub(crate) fn with_etag(mut res: Response, version: u64) -> Response {
    if let Ok(v) = HeaderValue::from_str(&format!("\"{version}\"")) {
        res.headers_mut().insert(header::ETAG, v);
    }
    res
}

/// Reads a JSON body: 415 unless the content type is JSON, 400 for broken JSON, 422 for
/// JSON of the wrong shape.
pub(crate) fn parse_json<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: &[u8],
) -> Result<T, Problem> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| {
            let t = t.trim();
            t == "application/json" || t.ends_with("+json")
        });
    if !is_json {
        return Err(Problem {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE.as_u16(),
            ..Problem::bad_request("the body must be JSON (Content-Type: application/json)")
        });
    }
    serde_json::from_slice(body).map_err(|e| {
        if e.is_data() {
            Problem::invalid(&e.to_string())
        } else {
            Problem::bad_request(&e.to_string())
        }
    })
}

/// A JSON body of type `T`, read by [`parse_json`].
pub(crate) struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        let headers = req.headers().clone();
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|_| Problem::bad_request("the body cannot be read"))?;
        parse_json(&headers, &body).map(Self)
    }
}
