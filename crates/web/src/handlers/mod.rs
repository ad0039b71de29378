//! Routes and handlers.
//!
//! | path | what |
//! |---|---|
//! | `/setup` | first run: create the administrator (only while no staff exists) |
//! | `/login`, `/logout`, `/lang` | sign-in, sign-out, language choice |
//! | `/` | dashboard: my *Wiedervorlagen*, my caseload, team load for team leads |
//! | `/cases` | search by name or case number |
//! | `/cases/new` | referral entry with duplicate hints |
//! | `/cases/{id}/…` | the case file by section, each process step's form, history, feedback preview, print |
//! | `/cases/{id}/enrolment/consents/{consent}/receipt` | the receipt of a consent given or withdrawn, printable for the client |
//! | `/cases/{id}/esf/questionnaire` | the ESF Plus questionnaire of a participant, printable for signature |
//! | `/cases/{id}/print/pdf` | the case summary (*Fallübersicht*) as a PDF/A download: the case file on paper |
//! | `/cases/{id}/esf/questionnaire/pdf` | the same questionnaire as a PDF/A download |
//! | `/cases/{id}/outreach/letters/{n}/print` | the `n`-th announcement letter, printable (rules R5, R8); `?easy=1` in Leichte Sprache |
//! | `/cases/export/{format}` | the search page's cases (`?q=`; every visible case without it) as `csv` or `xlsx`, audited |
//! | `/cases/{id}/feedback/{kind}` | one report to the Jobcenter as the client preview, `…/pdf` as PDF/A, POST `…/send` records it as sent (confirmed) |
//! | `/cases/{id}/sent/{document}/pdf` | a report exactly as it was sent |
//! | `/cases/{id}/outreach/letters/{n}/pdf` | the same letter as a PDF/A download (`?easy=1` in Leichte Sprache; with the client's letter language a translation page, `?translation=` another, `?confirm=1` for an unreviewed one) |
//! | `/cases/{id}/outreach/letter-language` | POST: the client's letter language (*Briefsprache*) |
//! | `/groups` | Phase 2 group sessions and attendance sheets |
//! | `/admin/…` | staff, teams, service directory (administrators) |
//! | `/audit` | audit and access log (data-protection officer) |
//! | `/account` | the signed-in person's account: personal access tokens |
//! | `/static/app.css` | the one stylesheet |
//! | `/favicon.svg`, `/favicon.ico` | the icon (SVG) |
//!
//! Pages, the stylesheet and scripts are sent gzip- or brotli-compressed when the browser
//! accepts it ([`compression`]).

mod account;
mod admin;
mod audit;
mod auth;
mod case;
mod case_export;
pub(crate) mod dashboard;
pub(crate) mod directory;
mod groups;
mod privacy;
mod referral;
mod reports;
mod statistics;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use tower_sessions::SessionManagerLayer;
use tower_sessions::cookie::SameSite;

use crate::AppState;
use crate::error::AppError;
use crate::session_store::DbSessionStore;

/// The stylesheet, vendored in the crate.
const CSS: &str = include_str!("../../static/app.css");

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "wegbereiter_session";

async fn css() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        CSS,
    )
        .into_response()
}

/// The icon, vendored in the crate (an SVG; browsers that ask for `/favicon.ico` get it too,
/// so no page load logs a 404).
const FAVICON: &str = include_str!("../../static/favicon.svg");

async fn favicon() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("image/svg+xml"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            ),
        ],
        FAVICON,
    )
        .into_response()
}

async fn not_found() -> AppError {
    AppError::NotFound
}

/// Renders a template as a response with `status`.
pub(crate) fn page<T: askama::Template>(status: StatusCode, t: &T) -> Result<Response, AppError> {
    Ok((status, Html(t.render()?)).into_response())
}

/// Renders a template as a 200 response.
pub(crate) fn ok<T: askama::Template>(t: &T) -> Result<Response, AppError> {
    page(StatusCode::OK, t)
}

/// 303 See Other to `to` (after a successful POST).
pub(crate) fn see_other(to: &str) -> Response {
    axum::response::Redirect::to(to).into_response()
}

/// Why a command was not carried out, when that is something to tell the person next to
/// the form (the rule core refused with, or someone else changed the case first).
pub(crate) enum Refusal {
    /// Core's `decide` refused: its message in the page's language (422), for the input
    /// it concerns where there is one.
    Rule(crate::forms::Invalid),
    /// The case changed since the form was shown (409).
    Conflict,
}

/// The one mapping of a [`ServiceError`] for form handlers: refusals become a [`Refusal`]
/// to show next to the form, everything else an [`AppError`] (404, 503, 500).
pub(crate) fn refusal(
    e: wegbereiter_core::ServiceError,
    lang: wegbereiter_core::Lang,
    form: &crate::context::FormData,
) -> Result<Refusal, AppError> {
    use wegbereiter_core::ServiceError;
    match e {
        ServiceError::Rule(e) => {
            let msg = e.message(lang);
            Ok(Refusal::Rule(match field_for(&e, form) {
                Some(field) => crate::forms::Invalid::field(field, msg),
                None => crate::forms::Invalid::form(msg),
            }))
        }
        ServiceError::Conflict { .. } => Ok(Refusal::Conflict),
        ServiceError::Storage(e) => Err(e.into()),
        e if crate::access::refusal(&e).is_some() => {
            Err(crate::access::refusal(&e).unwrap_or(AppError::Forbidden))
        }
        e => Err(AppError::Internal(e.to_string())),
    }
}

/// The input of `form` a refusal of core belongs to, so that its message stands next to it:
/// the one holding the refused date, or the one the rule is about. `None` for rules about
/// the form or the case as a whole (the message then stands above the form only).
///
/// This only places a message; the rule itself is decided in core.
pub(crate) fn field_for<'f>(
    e: &wegbereiter_core::DomainError,
    form: &'f crate::context::FormData,
) -> Option<&'f str> {
    use wegbereiter_core::DomainError as E;
    let submitted = |name: &str| form.0.iter().any(|(k, _)| k == name);
    if let E::DateInFuture { date }
    | E::DateTooEarly { date, .. }
    | E::ImplausibleDateOfBirth { date } = e
    {
        // A date input (`2026-03-02`, `02.03.2026`) or a date-and-time input
        // (`2026-03-02T10:30`) holding exactly the refused day.
        return form.0.iter().find_map(|(k, v)| {
            let v = v.trim();
            let day = v
                .get(..10)
                .filter(|_| v.len() == 10 || v[10..].starts_with('T'));
            let parsed = day.and_then(|d| {
                chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .or_else(|_| chrono::NaiveDate::parse_from_str(d, "%d.%m.%Y"))
                    .ok()
            });
            (parsed == Some(*date) && k != "version").then_some(k.as_str())
        });
    }
    if matches!(e, E::TermsNotExplained) {
        // The two checkboxes of the terms share one place (unchecked boxes are not sent).
        return Some("terms");
    }
    let candidates: &[&str] = match e {
        E::ExtensionBeyondMaximum { .. } | E::ExtensionNotLater { .. } => &["until"],
        E::InvalidDateRange => &["visit_until", "valid_until"],
        E::AssigneeLacksRole { .. } | E::AssigneeInactive => &["key_worker", "to"],
        E::ConsentNotOnEnrolmentDay => &["consent_given_on"],
        E::DurationOutOfRange => &["duration"],
        E::PsychologistCompartment => &["compartment"],
        E::ServiceInactive => &["service"],
        E::NoSecrecyRelease { .. } => &["on"],
        E::ReopenWindowExpired { .. } => &["on"],
        E::NoRole | E::RolesIncompatible { .. } => &["roles"],
        _ => &[],
    };
    candidates.iter().copied().find(|c| submitted(c))
}

/// gzip or brotli, as the browser asks (`Accept-Encoding`), for pages, the stylesheet and
/// scripts: text that shrinks to a fraction. Bodies under 256 bytes (redirects) stay as
/// they are.
fn compression()
-> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::predicate::{Predicate as _, SizeAbove};
    let textual = |_: StatusCode,
                   _: axum::http::Version,
                   headers: &axum::http::HeaderMap,
                   _: &axum::http::Extensions| {
        headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| {
                let t = t.trim_start().to_ascii_lowercase();
                [
                    "text/html",
                    "text/css",
                    "text/javascript",
                    "application/javascript",
                ]
                .iter()
                .any(|p| t.starts_with(p))
            })
    };
    tower_http::compression::CompressionLayer::new()
        .gzip(true)
        .br(true)
        .no_deflate()
        .no_zstd()
        .compress_when(SizeAbove::new(256).and(textual))
}

pub(crate) fn router(state: AppState) -> Router {
    let sessions = SessionManagerLayer::new(DbSessionStore::new(
        state.backend.clone(),
        state.clock.clone(),
        state.idle_timeout,
    ))
    .with_name(SESSION_COOKIE)
    .with_http_only(true)
    .with_same_site(SameSite::Lax)
    .with_secure(state.secure_cookies)
    .with_path("/")
    .with_expiry(tower_sessions::Expiry::OnSessionEnd);

    let pages = Router::new()
        .route("/", get(dashboard::dashboard))
        .route("/setup", get(auth::setup_form).post(auth::setup))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/lang", post(auth::set_lang))
        .route("/account", get(account::show))
        .route("/account/tokens", post(account::create))
        .route("/account/tokens/{id}/revoke", post(account::revoke))
        .route("/cases", get(dashboard::search))
        .route("/cases/new", get(referral::form).post(referral::submit))
        .route("/cases/export/{format}", get(case_export::export))
        .route("/cases/{id}", get(case::overview))
        .route("/cases/{id}/print", get(case::print))
        .route("/cases/{id}/print/pdf", get(case::summary_pdf))
        .route("/cases/{id}/history", get(case::history))
        .route("/cases/{id}/feedback", get(case::feedback))
        .route("/cases/{id}/feedback/{kind}", get(case::report_preview))
        .route("/cases/{id}/feedback/{kind}/pdf", get(case::report_pdf))
        .route(
            "/cases/{id}/feedback/{kind}/send",
            get(case::report_preview).post(case::send_report),
        )
        .route("/cases/{id}/sent/{document}/pdf", get(case::sent_pdf))
        .route("/cases/{id}/{section}", get(case::section))
        .route(
            "/cases/{id}/outreach/announce",
            get(case::reload_step).post(case::announce),
        )
        .route(
            "/cases/{id}/outreach/letter-language",
            get(case::reload_step).post(case::letter_language),
        )
        .route(
            "/cases/{id}/enrolment/consents/{consent}/receipt",
            get(case::consent_receipt),
        )
        .route(
            "/cases/{id}/esf/questionnaire",
            get(case::esf_questionnaire),
        )
        .route(
            "/cases/{id}/esf/questionnaire/pdf",
            get(case::esf_questionnaire_pdf),
        )
        .route(
            "/cases/{id}/outreach/letters/{n}/print",
            get(case::print_letter),
        )
        .route(
            "/cases/{id}/outreach/letters/{n}/pdf",
            get(case::letter_pdf),
        )
        .route(
            "/cases/{id}/outreach/attempt",
            get(case::reload_step).post(case::attempt),
        )
        .route(
            "/cases/{id}/outreach/decline",
            get(case::ask_decline).post(case::decline),
        )
        .route(
            "/cases/{id}/outreach/not-reached",
            get(case::ask_not_reached).post(case::not_reached),
        )
        .route(
            "/cases/{id}/enrolment/enrol",
            get(case::reload_step).post(case::enrol),
        )
        .route(
            "/cases/{id}/enrolment/extend",
            get(case::reload_step).post(case::extend),
        )
        .route(
            "/cases/{id}/enrolment/pause",
            get(case::ask_pause).post(case::pause),
        )
        .route(
            "/cases/{id}/enrolment/resume",
            get(case::reload_step).post(case::resume),
        )
        .route(
            "/cases/{id}/enrolment/consent",
            get(case::reload_step).post(case::give_consent),
        )
        .route(
            "/cases/{id}/enrolment/withdraw",
            get(case::ask_withdraw_consent).post(case::withdraw_consent),
        )
        .route(
            "/cases/{id}/enrolment/esf",
            get(case::reload_step).post(case::esf_entry),
        )
        .route(
            "/cases/{id}/social/assess",
            get(case::reload_step).post(case::assess),
        )
        .route(
            "/cases/{id}/goals/agree",
            get(case::reload_step).post(case::agree_goal),
        )
        .route(
            "/cases/{id}/goals/rate",
            get(case::reload_step).post(case::rate_goal),
        )
        .route(
            "/cases/{id}/goals/update",
            get(case::reload_step).post(case::update_goal),
        )
        .route(
            "/cases/{id}/goals/edit",
            get(case::reload_step).post(case::edit_goal),
        )
        .route(
            "/cases/{id}/contacts/record",
            get(case::reload_step).post(case::record_contact),
        )
        .route(
            "/cases/{id}/referrals/create",
            get(case::reload_step).post(case::refer_out),
        )
        .route(
            "/cases/{id}/referrals/status",
            get(case::reload_step).post(case::referral_status),
        )
        .route(
            "/cases/{id}/referrals/release",
            get(case::reload_step).post(case::secrecy_release),
        )
        .route(
            "/cases/{id}/referrals/release/withdraw",
            get(case::reload_step).post(case::withdraw_release),
        )
        .route(
            "/cases/{id}/referrals/disclose",
            get(case::reload_step).post(case::disclose),
        )
        .route(
            "/cases/{id}/handover/hand-over",
            get(case::ask_hand_over).post(case::hand_over),
        )
        .route(
            "/cases/{id}/handover/reassign",
            get(case::reload_step).post(case::reassign),
        )
        .route(
            "/cases/{id}/handover/team",
            get(case::reload_step).post(case::assign_team),
        )
        .route(
            "/cases/{id}/closure/close",
            get(case::ask_close).post(case::close),
        )
        .route(
            "/cases/{id}/closure/reopen",
            get(case::reload_step).post(case::reopen),
        )
        .route(
            "/cases/{id}/closure/result",
            get(case::reload_step).post(case::immediate_result),
        )
        .route("/groups", get(groups::list).post(groups::create))
        .route("/groups/{id}", get(groups::sheet).post(groups::record))
        .route("/services", get(directory::list))
        .route("/admin", get(admin::index))
        .route(
            "/admin/staff",
            get(admin::staff_list).post(admin::staff_create),
        )
        .route(
            "/admin/staff/{id}",
            get(admin::staff_edit).post(admin::staff_update),
        )
        .route("/admin/staff/{id}/throttle", post(admin::lift_throttle))
        .route("/admin/teams", get(admin::teams).post(admin::team_save))
        .route(
            "/admin/services",
            get(admin::services).post(admin::service_save),
        )
        .route("/audit", get(audit::audit))
        .route("/privacy", get(privacy::show))
        .route("/privacy/apply", post(privacy::apply))
        .route(
            "/privacy/request",
            get(privacy::request).post(privacy::carry_out_request),
        )
        .route("/privacy/export", get(privacy::export))
        .route("/reports/esf", get(reports::esf))
        .route("/reports/esf/members", get(reports::members))
        .route("/reports/esf/export", get(reports::export))
        .route("/reports/statistics", get(statistics::page))
        .route("/reports/statistics/export", get(statistics::export))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::context::middleware,
        ))
        .layer(sessions);

    // Layers wrap from the inside out: the last one added sees every request first. Errors
    // made outside the pages (body over the limit, timeout, a panic caught) become the same
    // friendly page, and every response gets the security headers.
    let html = Router::new()
        .route("/static/app.css", get(css))
        .route("/favicon.svg", get(favicon))
        .route("/favicon.ico", get(favicon))
        .merge(pages)
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            std::time::Duration::from_secs(30),
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(1024 * 1024))
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(middleware::from_fn(crate::context::outer_errors));
    // The JSON API has no session, no CSRF and no HTML error pages: its own error layer
    // (`api::problem::render`, inside `api::router`) answers every error as a problem
    // document, outside the limits and the panic guard.
    let api = crate::api::router()
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            std::time::Duration::from_secs(30),
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(1024 * 1024))
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(middleware::from_fn(crate::api::problem::render));
    Router::new()
        .nest("/api/v1", api)
        .merge(html)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::security::headers,
        ))
        .layer(compression())
        // Outermost: sees the final status and the whole latency; added with `layer`, it runs
        // after routing, so the route template is known.
        .layer(middleware::from_fn(crate::request_log::log_requests))
        .with_state(state)
}
