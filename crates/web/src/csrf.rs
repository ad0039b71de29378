//! CSRF protection before sign-in: a signed double-submit cookie, so that no session is
//! stored for a visitor who has not signed in.
//!
//! Signed-in people's forms carry the synchronizer token of their session (see
//! [`crate::context`]). A visitor without a session gets a cookie instead whose value is
//! `<issued>.<nonce>.<mac>`: the time it was issued (Unix seconds), 256 random bits, and an
//! HMAC-SHA256 over both with a key that every instance against the database shares
//! (`Store::web_secret`, created once). The sign-in form (and every other form a visitor
//! sees) repeats the cookie's value in its hidden `_csrf` field; a POST is accepted only if
//! the cookie carries a valid signature, is at most [`MAX_AGE_HOURS`] old, and the field
//! equals it.
//!
//! Why signed: another site cannot read the cookie, so it cannot copy it into a forged
//! form; and without the key it cannot make a valid cookie of its own choosing either, even
//! where it can set cookies for this host (a sibling subdomain). With `--secure-cookies` the
//! cookie is named with the `__Host-` prefix, which browsers only accept from this very
//! host over HTTPS, with `Path=/` and no `Domain`.

use axum::http::{HeaderMap, HeaderValue, header};
use chrono::{DateTime, Utc};
use hmac::{KeyInit, Mac};
use sha2::Sha256;

type HmacSha256 = hmac::Hmac<Sha256>;

/// The name under which the signing key is stored in `web_secrets`.
pub(crate) const KEY_NAME: &str = "csrf_cookie.v1";

/// The cookie's name over plain HTTP.
pub const COOKIE: &str = "wegbereiter_csrf";

/// The cookie's name with `--secure-cookies` (only this host over HTTPS may set it).
pub const SECURE_COOKIE: &str = "__Host-wegbereiter_csrf";

/// A cookie older than this many hours is refused (and replaced): a sign-in page left open
/// longer must be reloaded.
pub const MAX_AGE_HOURS: i64 = 24;

/// What the MAC covers besides the value's parts, so that the key signs nothing else by
/// accident.
const CONTEXT: &[u8] = b"wegbereiter sign-in csrf v1";

/// Signs and checks pre-sign-in CSRF cookies with the shared key.
#[derive(Clone)]
pub(crate) struct Signer {
    key: std::sync::Arc<[u8]>,
}

impl Signer {
    pub(crate) fn new(key: std::sync::Arc<[u8]>) -> Self {
        Self { key }
    }

    fn mac(&self, issued: i64, nonce: &str) -> Option<HmacSha256> {
        let mut mac = HmacSha256::new_from_slice(&self.key).ok()?;
        mac.update(CONTEXT);
        mac.update(b"|");
        mac.update(issued.to_string().as_bytes());
        mac.update(b"|");
        mac.update(nonce.as_bytes());
        Some(mac)
    }

    /// A fresh cookie value issued at `now`; `None` if the system has no randomness.
    pub(crate) fn issue(&self, now: DateTime<Utc>) -> Option<String> {
        let nonce = crate::context::random_token();
        if nonce.is_empty() {
            return None;
        }
        let issued = now.timestamp();
        let tag = self.mac(issued, &nonce)?.finalize().into_bytes();
        Some(format!("{issued}.{nonce}.{}", hex::encode(tag)))
    }

    /// Whether `value` is a cookie this installation issued, not older than
    /// [`MAX_AGE_HOURS`] at `now` (and not from the future by more than a clock's skew).
    pub(crate) fn check(&self, value: &str, now: DateTime<Utc>) -> bool {
        let mut parts = value.split('.');
        let (Some(issued), Some(nonce), Some(tag), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return false;
        };
        let Ok(issued) = issued.parse::<i64>() else {
            return false;
        };
        let age = now.timestamp().saturating_sub(issued);
        if !(-300..=MAX_AGE_HOURS * 3600).contains(&age) {
            return false;
        }
        let Ok(tag) = hex::decode(tag) else {
            return false;
        };
        self.mac(issued, nonce)
            .is_some_and(|mac| mac.verify_slice(&tag).is_ok())
    }
}

/// The cookie's name for this server.
pub(crate) fn cookie_name(secure: bool) -> &'static str {
    if secure { SECURE_COOKIE } else { COOKIE }
}

/// The value of cookie `name` in the request's `Cookie` headers, if any.
pub(crate) fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// The `Set-Cookie` value that stores the pre-sign-in CSRF cookie `value`. It lives until
/// the browser closes; `HttpOnly`, because only the server copies it into forms.
pub(crate) fn set_cookie(value: &str, secure: bool) -> Option<HeaderValue> {
    let name = cookie_name(secure);
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax{secure}"
    ))
    .ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn signer(key: &[u8]) -> Signer {
        Signer::new(std::sync::Arc::from(key))
    }

    #[test]
    fn a_cookie_checks_with_its_key_only_and_only_unchanged() {
        let now = Utc::now();
        let a = signer(b"key a, 32 bytes long, as stored.");
        let v = a.issue(now).unwrap();
        assert!(a.check(&v, now));
        assert!(a.check(&v, now + chrono::Duration::hours(MAX_AGE_HOURS)));
        assert!(!a.check(&v, now + chrono::Duration::hours(MAX_AGE_HOURS + 1)));
        assert!(!signer(b"another key").check(&v, now));
        // Any change to any part breaks the signature.
        let parts: Vec<&str> = v.split('.').collect();
        let later = format!("{}.{}.{}", now.timestamp() + 1, parts[1], parts[2]);
        assert!(!a.check(&later, now));
        let mut nonce = parts[1].to_owned();
        nonce.replace_range(0..1, if nonce.starts_with('0') { "1" } else { "0" });
        assert!(!a.check(&format!("{}.{nonce}.{}", parts[0], parts[2]), now));
        for bad in [
            "",
            "x",
            "1.2",
            "1.2.3.4",
            &format!("{}.{}.zz", parts[0], parts[1]),
        ] {
            assert!(!a.check(bad, now), "{bad}");
        }
    }

    #[test]
    fn cookies_are_found_among_others() {
        let mut h = HeaderMap::new();
        h.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; wegbereiter_csrf=xyz"),
        );
        h.append(header::COOKIE, HeaderValue::from_static("b=2"));
        assert_eq!(cookie(&h, COOKIE), Some("xyz"));
        assert_eq!(cookie(&h, "b"), Some("2"));
        assert_eq!(cookie(&h, SECURE_COOKIE), None);
    }
}
