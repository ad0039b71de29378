//! Per-request context: session, signed-in person, language, CSRF token, flash message.
//!
//! Nothing here stores a session for a visitor who has not signed in: the CSRF token before
//! sign-in is a cookie, the language choice too, so anonymous requests (the sign-in page, a
//! 404, the stylesheet) write nothing to the database.
//!
//! [`middleware`] runs on every request. It
//! * ends a session after the idle timeout or the absolute lifetime (by the injected
//!   clock), writing a signed-in session's last activity at most once a minute,
//! * loads the signed-in staff member (deactivated people are signed out at once),
//! * picks the language (the visitor's choice in the [`LANG_COOKIE`], else
//!   `Accept-Language`),
//! * gives every page a CSRF token and checks it on every POST (a hidden `_csrf` field in
//!   every form): the session's synchronizer token for a signed-in person, the signed
//!   double-submit cookie of [`crate::csrf`] before sign-in,
//! * takes the client's address from the peer or a trusted proxy's header,
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
    /// A one-time message for the next page.
    pub const FLASH: &str = "flash";
    /// Set when the last session ended by idle timeout.
    pub const IDLE: &str = "idle";
    /// When the person signed in (injected clock): the start of the absolute lifetime.
    pub const SINCE: &str = "since";
    /// Set when the last session ended because its absolute lifetime was over.
    pub const LIFETIME: &str = "lifetime";
    /// The input of the last refused save, with the address it was sent to (see
    /// [`super::ReqCtx::keep_refused`]).
    pub const REFUSED: &str = "refused";
}

/// The cookie that keeps a visitor's language choice (`de` or `en`): a plain cookie, so
/// that choosing a language stores nothing on the server.
pub const LANG_COOKIE: &str = "wegbereiter_lang";

/// Largest form body accepted (a contact note is at most 10,000 characters).
const MAX_FORM_BYTES: usize = 256 * 1024;

/// What every handler knows about the request.
#[derive(Clone)]
pub struct ReqCtx {
    /// Language of the page.
    pub lang: Lang,
    /// The signed-in person.
    pub user: Option<StaffMember>,
    /// The page's CSRF token: the session's synchronizer token when signed in, else the
    /// value of the signed pre-sign-in cookie (see the module docs).
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
    /// The client's address, as throttling keys failed sign-ins (the peer address, or what
    /// a trusted proxy names; `unknown` if neither is known).
    pub address: String,
    /// The session.
    pub session: Session,
    /// Path of the request (for the language switch to come back to).
    pub path: String,
    /// The request's own path, without the query.
    pub here: String,
    /// A pre-sign-in CSRF cookie this request issued, to be set on the response.
    issued_csrf_cookie: Option<String>,
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

    /// Keeps the input of a refused save (`form`) for the address it was sent to, so that a
    /// GET of that address (a reload, the address bar) shows the form again with its input
    /// instead of 405. One form is kept per session; the next refused save replaces it and
    /// the GET that shows it removes it.
    pub async fn keep_refused(&self, form: &crate::views::FormState) {
        let _ = self
            .session
            .insert(keys::REFUSED, (self.here.as_str(), form))
            .await;
    }

    /// The input kept by [`Self::keep_refused`] for this request's address, removed from the
    /// session; `None` when the last refused save went elsewhere (or there was none).
    pub async fn take_refused(&self) -> Option<crate::views::FormState> {
        let kept = self
            .session
            .get::<(String, crate::views::FormState)>(keys::REFUSED)
            .await
            .ok()
            .flatten()?;
        if kept.0 != self.here {
            return None;
        }
        let _ = self
            .session
            .remove::<(String, crate::views::FormState)>(keys::REFUSED)
            .await;
        Some(kept.1)
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
            let res = finish(res, ctx.lang, Some(&ctx));
            with_csrf_cookie(res, &state, &ctx)
        }
        Err((err, ctx)) => {
            let res = finish(err.into_response(), fallback_lang, ctx.as_ref());
            match ctx {
                Some(ctx) => with_csrf_cookie(res, &state, &ctx),
                None => res,
            }
        }
    }
}

/// Adds the pre-sign-in CSRF cookie to the response if this request issued a new one.
fn with_csrf_cookie(mut res: Response, state: &AppState, ctx: &ReqCtx) -> Response {
    if let Some(value) = ctx
        .issued_csrf_cookie
        .as_deref()
        .and_then(|v| crate::csrf::set_cookie(v, state.secure_cookies))
    {
        res.headers_mut().append(header::SET_COOKIE, value);
    }
    res
}

/// How often the last activity of a signed-in session is written: at most once per this
/// many seconds. The stored value then lags the real last activity by less than this, so a
/// session idle for longer than the idle timeout is never accepted, and one idle for at most
/// the timeout minus this always is.
pub const SEEN_RESOLUTION_SECS: i64 = 60;

type Refused = (AppError, Option<ReqCtx>);

fn store_err(e: tower_sessions::session::Error) -> Refused {
    (
        AppError::Storage(StorageError::Unavailable(e.to_string())),
        None,
    )
}

/// What the session says about who is signed in.
struct SignIn {
    user: Option<StaffMember>,
    idle_signed_out: bool,
    lifetime_signed_out: bool,
}

/// The signed-in person of `session`, ending the sign-in after the idle timeout or the
/// absolute lifetime.
///
/// The last activity (`seen`) is written only when the stored value is at least
/// [`SEEN_RESOLUTION_SECS`] old, so a busy person's session is written at most once a
/// minute instead of on every request. The stored value therefore lags the real last
/// activity by less than that, and the idle check against it errs on the safe side only:
/// a session idle for longer than the timeout is never accepted, and one idle for less
/// than the timeout minus a minute always is (with a 30-minute timeout a person may be
/// signed out after 29 to 30 idle minutes).
async fn signed_in(
    state: &AppState,
    session: &Session,
    now: DateTime<Utc>,
) -> Result<SignIn, Refused> {
    let mut out = SignIn {
        user: None,
        idle_signed_out: session
            .get::<bool>(keys::IDLE)
            .await
            .map_err(store_err)?
            .unwrap_or(false),
        lifetime_signed_out: session
            .get::<bool>(keys::LIFETIME)
            .await
            .map_err(store_err)?
            .unwrap_or(false),
    };
    let Some(uid) = session
        .get::<StaffId>(keys::USER)
        .await
        .map_err(store_err)?
    else {
        return Ok(out);
    };
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
            out.idle_signed_out = true;
        } else {
            let _ = session.insert(keys::LIFETIME, true).await;
            out.lifetime_signed_out = true;
        }
        return Ok(out);
    }
    match state.backend.staff(uid).await {
        Ok(Some(staff)) if staff.active => {
            let stale =
                seen.is_none_or(|s| now - s >= chrono::Duration::seconds(SEEN_RESOLUTION_SECS));
            if stale {
                session.insert(keys::SEEN, now).await.map_err(store_err)?;
            }
            out.user = Some(staff);
        }
        Ok(_) => {
            let _ = session.remove::<StaffId>(keys::USER).await;
        }
        Err(e) => return Err((AppError::Storage(e), None)),
    }
    Ok(out)
}

/// The CSRF token of the page and, if it is new, the pre-sign-in cookie to set: the
/// session's token for a signed-in person; otherwise the signed cookie's value (see
/// [`crate::csrf`]), issued afresh when the request brings none that checks.
async fn page_token(
    state: &AppState,
    parts: &Parts,
    session: &Session,
    signed_in: bool,
    now: DateTime<Utc>,
) -> Result<(String, Option<String>), Refused> {
    if signed_in {
        return match session.get::<String>(keys::CSRF).await.map_err(store_err)? {
            Some(t) if !t.is_empty() => Ok((t, None)),
            _ => {
                let t = random_token();
                if t.is_empty() {
                    return Err((AppError::Internal("no randomness".into()), None));
                }
                session.insert(keys::CSRF, &t).await.map_err(store_err)?;
                Ok((t, None))
            }
        };
    }
    let signer = state.csrf_signer().await.map_err(|e| (e, None))?;
    let name = crate::csrf::cookie_name(state.secure_cookies);
    match crate::csrf::cookie(&parts.headers, name) {
        Some(v) if signer.check(v, now) => Ok((v.to_owned(), None)),
        _ => match signer.issue(now) {
            Some(v) => Ok((v.clone(), Some(v))),
            None => Err((AppError::Internal("no randomness".into()), None)),
        },
    }
}

async fn prepare(
    state: &AppState,
    req: Request,
    session: Session,
    fallback_lang: Lang,
) -> Result<(Request, ReqCtx), Refused> {
    let now = state.now();
    let (mut parts, body) = req.into_parts();
    let lang =
        crate::csrf::cookie(&parts.headers, LANG_COOKIE).map_or(fallback_lang, Lang::from_locale);
    let sign_in = signed_in(state, &session, now).await?;
    let (csrf, issued_csrf_cookie) =
        page_token(state, &parts, &session, sign_in.user.is_some(), now).await?;
    // A session that was signed in until this request (idle timeout, lifetime) still
    // holds its own token: a form sent from it is answered with the sign-in page, not a
    // CSRF error. Such a session exists only after a sign-in, so its token is as good a
    // proof of origin as before.
    let earlier_token = if sign_in.user.is_none() && parts.method == Method::POST {
        session.get::<String>(keys::CSRF).await.map_err(store_err)?
    } else {
        None
    };

    // Reading the flash message only when there is one: removing a key marks the session
    // changed, and every GET would write it.
    let flash = if parts.method == Method::GET
        && session
            .get::<String>(keys::FLASH)
            .await
            .map_err(store_err)?
            .is_some()
    {
        session
            .remove::<String>(keys::FLASH)
            .await
            .map_err(store_err)?
    } else {
        None
    };
    let ctx = ReqCtx {
        lang,
        user: sign_in.user,
        csrf: csrf.clone(),
        now,
        tz: state.tz,
        local_now: now.with_timezone(&state.tz).fixed_offset(),
        flash,
        idle_signed_out: sign_in.idle_signed_out,
        lifetime_signed_out: sign_in.lifetime_signed_out,
        session,
        path: return_path(&parts),
        here: parts.uri.path().to_owned(),
        address: client_address(state, &parts),
        issued_csrf_cookie,
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
        let matches_earlier = earlier_token
            .as_deref()
            .is_some_and(|t| !t.is_empty() && constant_time_eq(sent, t));
        if !constant_time_eq(sent, &csrf) && !matches_earlier {
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

/// The client's address for sign-in throttling: the connection's peer, or, when the peer
/// is a trusted proxy (see [`AppState::with_trusted_proxies`]), the address the proxies
/// name in `Forwarded` or `X-Forwarded-For`; `unknown` if there is no peer (a router
/// called without a listener).
fn client_address(state: &AppState, parts: &Parts) -> String {
    use axum::extract::ConnectInfo;
    use axum::extract::connect_info::MockConnectInfo;
    use std::net::SocketAddr;
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0)
        .or_else(|| {
            parts
                .extensions
                .get::<MockConnectInfo<SocketAddr>>()
                .map(|c| c.0)
        });
    let Some(peer) = peer else {
        return "unknown".to_owned();
    };
    let peer = peer.ip().to_canonical();
    if !state.trusted_proxies.contains(&peer) {
        return peer.to_string();
    }
    forwarded_client(&parts.headers, &state.trusted_proxies)
        .unwrap_or(peer)
        .to_string()
}

/// The client named by the proxies' headers: the right-most address that is not a trusted
/// proxy (each proxy appends the address it saw, so the entries left of the first stranger
/// are whatever the client claimed). `Forwarded` wins over `X-Forwarded-For`; an entry
/// that is not an address (`unknown`, an obfuscated name) ends the walk: `None`, and the
/// proxy's own address counts.
pub(crate) fn forwarded_client(
    headers: &axum::http::HeaderMap,
    trusted: &[std::net::IpAddr],
) -> Option<std::net::IpAddr> {
    let forwarded: Vec<String> = headers
        .get_all(header::FORWARDED)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (k, v) = pair.trim().split_once('=')?;
                k.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| v.trim().to_owned())
            })
        })
        .collect();
    let entries: Vec<String> = if forwarded.is_empty() {
        headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect()
    } else {
        forwarded
    };
    for entry in entries.iter().rev() {
        let ip = parse_node(entry)?.to_canonical();
        if !trusted.contains(&ip) {
            return Some(ip);
        }
    }
    None
}

/// An address as a proxy writes it: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`,
/// `[2001:db8::1]:4711`, or any of these in double quotes (RFC 7239).
fn parse_node(entry: &str) -> Option<std::net::IpAddr> {
    let entry = entry.trim().trim_matches('"');
    if let Ok(ip) = entry.parse::<std::net::IpAddr>() {
        return Some(ip);
    }
    if let Ok(sock) = entry.parse::<std::net::SocketAddr>() {
        return Some(sock.ip());
    }
    let inner = entry.strip_prefix('[')?;
    inner.split(']').next()?.parse().ok()
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use axum::http::{HeaderMap, HeaderValue};
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn the_client_is_the_right_most_address_that_is_no_trusted_proxy() {
        let proxies = [ip("10.0.0.5"), ip("10.0.0.6")];
        let client = |pairs| forwarded_client(&headers(pairs), &proxies);
        assert_eq!(
            client(&[("x-forwarded-for", "192.0.2.1")]),
            Some(ip("192.0.2.1"))
        );
        // What the client wrote itself stands left of what the proxies appended.
        assert_eq!(
            client(&[("x-forwarded-for", "203.0.113.9, 192.0.2.1, 10.0.0.6")]),
            Some(ip("192.0.2.1"))
        );
        assert_eq!(
            client(&[
                ("x-forwarded-for", "203.0.113.9"),
                ("x-forwarded-for", "192.0.2.1")
            ]),
            Some(ip("192.0.2.1"))
        );
        // Only proxies: none of them is the client.
        assert_eq!(client(&[("x-forwarded-for", "10.0.0.5, 10.0.0.6")]), None);
        assert_eq!(client(&[]), None);
        // Forwarded (RFC 7239) wins, with ports, quotes and IPv6 in brackets.
        assert_eq!(
            client(&[
                (
                    "forwarded",
                    "for=203.0.113.9, for=\"[2001:db8::7]:4711\";proto=https"
                ),
                ("x-forwarded-for", "192.0.2.1"),
            ]),
            Some(ip("2001:db8::7"))
        );
        assert_eq!(
            client(&[("forwarded", "proto=https;For=\"192.0.2.44:80\"")]),
            Some(ip("192.0.2.44"))
        );
        // An entry that is no address ends the walk.
        assert_eq!(client(&[("forwarded", "for=unknown")]), None);
        assert_eq!(client(&[("x-forwarded-for", "not-an-ip")]), None);
        // IPv4 written as IPv6 is the same address.
        assert_eq!(
            forwarded_client(
                &headers(&[("x-forwarded-for", "192.0.2.1, ::ffff:10.0.0.5")]),
                &proxies
            ),
            Some(ip("192.0.2.1"))
        );
    }
}
