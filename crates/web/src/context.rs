//! Per-request context: session, signed-in person, language, CSRF token, flash message.
//!
//! [`middleware`] runs on every request. It
//! * ends a session after the idle timeout (by the injected clock),
//! * loads the signed-in staff member (deactivated people are signed out at once),
//! * picks the language (the person's choice in the session, else `Accept-Language`),
//! * makes sure the session has a CSRF token and checks it on every POST (synchronizer
//!   token pattern: a hidden `_csrf` field in every form),
//! * and finally hands the response to [`crate::error::finish`], the one place where HTTP
//!   errors become friendly pages.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, FixedOffset, Utc};
use chrono_tz::Tz;
use tower_sessions::Session;
use wegbereiter_core::prelude::*;

use crate::AppState;
use crate::error::{AppError, finish};

/// Session keys.
pub mod keys {
    /// The signed-in staff member's id.
    pub const USER: &str = "uid";
    /// Last activity (RFC 3339, injected clock).
    pub const SEEN: &str = "seen";
    /// The CSRF token.
    pub const CSRF: &str = "csrf";
    /// The chosen language (`de` or `en`).
    pub const LANG: &str = "lang";
    /// A one-time message for the next page.
    pub const FLASH: &str = "flash";
    /// Set when the last session ended by idle timeout.
    pub const IDLE: &str = "idle";
    /// When the person signed in (injected clock): the start of the absolute lifetime.
    pub const SINCE: &str = "since";
    /// Set when the last session ended because its absolute lifetime was over.
    pub const LIFETIME: &str = "lifetime";
}

/// Largest form body accepted (a contact note is at most 10,000 characters).
const MAX_FORM_BYTES: usize = 256 * 1024;

/// What every handler knows about the request.
#[derive(Clone)]
pub struct ReqCtx {
    /// Language of the page.
    pub lang: Lang,
    /// The signed-in person.
    pub user: Option<StaffMember>,
    /// The session's CSRF token.
    pub csrf: String,
    /// Now (injected clock).
    pub now: DateTime<Utc>,
    /// The installation's time zone.
    pub tz: Tz,
    /// Now on the installation's wall clock, as core's commands take it.
    pub local_now: DateTime<FixedOffset>,
    /// One-time message, taken from the session on GET requests.
    pub flash: Option<String>,
    /// The previous session ended by idle timeout.
    pub idle_signed_out: bool,
    /// The previous session ended because its absolute lifetime was over.
    pub lifetime_signed_out: bool,
    /// The client's address, as throttling keys failed sign-ins (the peer address, or the
    /// configured proxy header; `unknown` if neither is known).
    pub address: String,
    /// The session.
    pub session: Session,
    /// Path of the request (for the language switch to come back to).
    pub path: String,
}

impl ReqCtx {
    /// Today in the installation's time zone, by the injected clock.
    #[must_use]
    pub fn today(&self) -> chrono::NaiveDate {
        self.local_now.date_naive()
    }

    /// Sets a message for the next page.
    pub async fn flash(&self, message: &str) {
        let _ = self.session.insert(keys::FLASH, message).await;
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ReqCtx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Self>()
            .cloned()
            .ok_or_else(|| AppError::Internal("request context missing".into()))
    }
}

/// A signed-in person (extractor): redirects to the sign-in page otherwise.
pub struct Auth(pub ReqCtx, pub StaffMember);

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = ReqCtx::from_request_parts(parts, state).await?;
        match ctx.user.clone() {
            Some(user) => Ok(Self(ctx, user)),
            None => Err(AppError::Unauthenticated),
        }
    }
}

/// The fields of a submitted form, in order (repeated names for checkbox groups).
#[derive(Debug, Clone, Default)]
pub struct FormData(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for FormData {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Self>().cloned().unwrap_or_default())
    }
}

pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // The operating system's generator; if it fails the token is still unguessable enough
    // for nothing: refuse to continue with an all-zero token.
    if getrandom::fill(&mut bytes).is_err() {
        return String::new();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn lang_from_header(req: &Request) -> Lang {
    req.headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map_or(Lang::De, Lang::from_locale)
}

/// The outermost error layer: an error response made outside the pages (a body over the
/// size limit, a timeout, a caught panic) becomes the friendly error page in the visitor's
/// language; pages' own responses pass unchanged.
pub async fn outer_errors(req: Request, next: Next) -> Response {
    let lang = lang_from_header(&req);
    finish(next.run(req).await, lang, None)
}

/// The per-request middleware (see the module docs).
pub async fn middleware(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let fallback_lang = lang_from_header(&req);
    let Some(session) = req.extensions().get::<Session>().cloned() else {
        return finish(
            AppError::Internal("session layer missing".into()).into_response(),
            fallback_lang,
            None,
        );
    };
    match prepare(&state, req, session, fallback_lang).await {
        Ok((req, ctx)) => {
            let res = next.run(req).await;
            finish(res, ctx.lang, Some(&ctx))
        }
        Err((err, ctx)) => finish(err.into_response(), fallback_lang, ctx.as_ref()),
    }
}

async fn prepare(
    state: &AppState,
    req: Request,
    session: Session,
    fallback_lang: Lang,
) -> Result<(Request, ReqCtx), (AppError, Option<ReqCtx>)> {
    let now = state.now();
    let store_err = |e: tower_sessions::session::Error| {
        (
            AppError::Storage(StorageError::Unavailable(e.to_string())),
            None,
        )
    };
    let lang = match session.get::<String>(keys::LANG).await.map_err(store_err)? {
        Some(l) => Lang::from_locale(&l),
        None => fallback_lang,
    };
    let csrf = match session.get::<String>(keys::CSRF).await.map_err(store_err)? {
        Some(t) if !t.is_empty() => t,
        _ => {
            let t = random_token();
            if t.is_empty() {
                return Err((AppError::Internal("no randomness".into()), None));
            }
            session.insert(keys::CSRF, &t).await.map_err(store_err)?;
            t
        }
    };

    let mut user = None;
    let mut idle_signed_out = session
        .get::<bool>(keys::IDLE)
        .await
        .map_err(store_err)?
        .unwrap_or(false);
    let mut lifetime_signed_out = session
        .get::<bool>(keys::LIFETIME)
        .await
        .map_err(store_err)?
        .unwrap_or(false);
    if let Some(uid) = session
        .get::<StaffId>(keys::USER)
        .await
        .map_err(store_err)?
    {
        let seen = session
            .get::<DateTime<Utc>>(keys::SEEN)
            .await
            .map_err(store_err)?;
        let since = session
            .get::<DateTime<Utc>>(keys::SINCE)
            .await
            .map_err(store_err)?;
        let idle = seen.is_none_or(|s| now - s > state.idle_timeout);
        let too_old = since.is_none_or(|s| now - s > state.absolute_lifetime);
        if idle || too_old {
            let _ = session.remove::<StaffId>(keys::USER).await;
            let _ = session.remove::<DateTime<Utc>>(keys::SEEN).await;
            let _ = session.remove::<DateTime<Utc>>(keys::SINCE).await;
            if idle {
                let _ = session.insert(keys::IDLE, true).await;
                idle_signed_out = true;
            } else {
                let _ = session.insert(keys::LIFETIME, true).await;
                lifetime_signed_out = true;
            }
        } else {
            match state.backend.staff(uid).await {
                Ok(Some(staff)) if staff.active => {
                    session.insert(keys::SEEN, now).await.map_err(store_err)?;
                    user = Some(staff);
                }
                Ok(_) => {
                    let _ = session.remove::<StaffId>(keys::USER).await;
                }
                Err(e) => return Err((AppError::Storage(e), None)),
            }
        }
    }

    let (mut parts, body) = req.into_parts();
    let flash = if parts.method == Method::GET {
        session
            .remove::<String>(keys::FLASH)
            .await
            .map_err(store_err)?
    } else {
        None
    };
    let ctx = ReqCtx {
        lang,
        user,
        csrf: csrf.clone(),
        now,
        tz: state.tz,
        local_now: now.with_timezone(&state.tz).fixed_offset(),
        flash,
        idle_signed_out,
        lifetime_signed_out,
        session,
        path: return_path(&parts),
        address: client_address(state, &parts),
    };

    let body = if parts.method == Method::POST {
        let bytes = match axum::body::to_bytes(body, MAX_FORM_BYTES).await {
            Ok(b) => b,
            Err(_) => return Err((AppError::BadRequest, Some(ctx))),
        };
        let fields: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
        let sent = fields
            .iter()
            .find(|(k, _)| k == "_csrf")
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        if !constant_time_eq(sent, &csrf) {
            return Err((AppError::Csrf, Some(ctx)));
        }
        parts.extensions.insert(FormData(fields));
        axum::body::Body::from(bytes)
    } else {
        body
    };
    parts.extensions.insert(ctx.clone());
    Ok((Request::from_parts(parts, body), ctx))
}

/// Where the language switch returns to: the page itself with its query for a GET; for a
/// page answering a POST (a refused form) the page the form was on, from the same-origin
/// `Referer`, because the POST address itself cannot be fetched.
fn return_path(parts: &axum::http::request::Parts) -> String {
    let here = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned());
    if parts.method == Method::GET {
        return here;
    }
    let host = parts
        .headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok());
    parts
        .headers
        .get(axum::http::header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| r.parse::<axum::http::Uri>().ok())
        .filter(|r| r.authority().map(|a| a.as_str()) == host)
        .and_then(|r| r.path_and_query().map(|p| p.as_str().to_owned()))
        .unwrap_or_else(|| "/".to_owned())
}

/// The client's address for sign-in throttling: the last entry of the configured proxy
/// header (a proxy appends the address it saw), else the connection's peer address.
fn client_address(state: &AppState, parts: &Parts) -> String {
    let from_header = state.client_address_header.as_ref().and_then(|name| {
        parts
            .headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|v| !v.is_empty())
    });
    if let Some(last) = from_header {
        // Bounded: the address is stored with every failed sign-in.
        return last.chars().take(64).collect();
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string())
}

/// Whether `path` is a local path a redirect may go to: one leading `/`, no second `/` or `\`
/// after it (which browsers read as another host), no control characters.
#[must_use]
pub fn is_local_path(path: &str) -> bool {
    let mut chars = path.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && !path.chars().any(|c| c.is_control() || c == '\\')
}
