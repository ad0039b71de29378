//! Who is calling the API: a personal access token in `Authorization: Bearer …`, its scope,
//! and the rate limit per token.
//!
//! No cookie is read or set here, so the API has no CSRF surface: a browser never sends the
//! bearer token by itself. A token authenticates while it is neither revoked nor expired and
//! its person's account is active; everything the person may then do is decided by core's
//! access policy, and the token's scope ([`TokenScope`]) only narrows it. Every failure is
//! the same 401, which tells nothing about which part was wrong.
//!
//! The rate limit is a token bucket per token id ([`RateLimiter`]), checked after the token
//! is known, so that one client cannot use up another's budget; a request without a valid
//! token costs a database lookup of a SHA-256 digest and is answered 401.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use uuid::Uuid;
use wegbereiter_core::prelude::*;
use wegbereiter_storage::TokenScope;

use super::problem::{Problem, request_lang};
use crate::AppState;

/// The authenticated caller of an API request.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The person the token belongs to, as the directory has them now.
    pub member: StaffMember,
    /// The token's id (the rate limit's key).
    pub token: Uuid,
    /// The token's scope.
    pub scope: TokenScope,
    /// The language of `Accept-Language` (German unless English is asked for).
    pub lang: Lang,
}

impl Caller {
    /// The person as core's access policy sees them.
    #[must_use]
    pub fn actor(&self) -> Actor {
        self.member.as_actor()
    }

    /// Refuses unless the token's scope covers `needed`.
    ///
    /// # Errors
    /// [`Problem::insufficient_scope`].
    pub fn require(&self, needed: TokenScope) -> Result<(), Problem> {
        if self.scope.allows(needed) {
            Ok(())
        } else {
            Err(Problem::insufficient_scope(needed.key()))
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let secret = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(Problem::unauthenticated)?;
        let now = state.now();
        let token = state
            .backend
            .token_by_secret(secret)
            .await?
            .filter(|t| t.is_valid_at(now))
            .ok_or_else(Problem::unauthenticated)?;
        let member = state
            .backend
            .staff(token.staff)
            .await?
            .filter(|m| m.active)
            .ok_or_else(Problem::unauthenticated)?;
        state.api_limiter.check(token.id, now)?;
        Ok(Self {
            member,
            token: token.id,
            scope: token.scope,
            lang: request_lang(&parts.headers),
        })
    }
}

/// How many requests a token may make: a burst of `burst`, refilled at `per_minute`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests one token may make at once.
    pub burst: u32,
    /// Requests per minute in the long run.
    pub per_minute: u32,
}

impl Default for RateLimit {
    fn default() -> Self {
        Self {
            burst: 120,
            per_minute: 600,
        }
    }
}

/// A token bucket per token id, in memory (one per server process). Bounded: it holds at
/// most [`RateLimiter::MAX_KEYS`] buckets, and forgets full ones first when it must.
#[derive(Debug)]
pub struct RateLimiter {
    limit: RateLimit,
    buckets: Mutex<HashMap<Uuid, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: DateTime<Utc>,
}

impl RateLimiter {
    /// The most buckets kept; only valid tokens get one, so this bounds memory, not callers.
    pub const MAX_KEYS: usize = 10_000;

    /// A limiter with `limit`.
    #[must_use]
    pub fn new(limit: RateLimit) -> Arc<Self> {
        Arc::new(Self {
            limit,
            buckets: Mutex::new(HashMap::new()),
        })
    }

    /// Takes one request from the bucket of `key` at `now`.
    ///
    /// # Errors
    /// [`Problem::rate_limited`] with the seconds until a request is possible again.
    pub fn check(&self, key: Uuid, now: DateTime<Utc>) -> Result<(), Problem> {
        let burst = f64::from(self.limit.burst.max(1));
        let rate = f64::from(self.limit.per_minute.max(1)) / 60.0;
        let mut buckets = self
            .buckets
            .lock()
            .map_err(|_| Problem::internal("rate limiter poisoned"))?;
        if buckets.len() >= Self::MAX_KEYS && !buckets.contains_key(&key) {
            // Forget the buckets that have refilled completely: they limit nobody.
            buckets.retain(|_, b| b.tokens + elapsed_secs(b.at, now) * rate < burst);
        }
        let bucket = buckets.entry(key).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        bucket.tokens = (bucket.tokens + elapsed_secs(bucket.at, now) * rate).min(burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        let wait = ((1.0 - bucket.tokens) / rate).ceil();
        // At most a minute for any sensible limit; saturates otherwise.
        Err(Problem::rate_limited(wait.clamp(1.0, 3600.0) as u64))
    }
}

fn elapsed_secs(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    let ms = (to - from).num_milliseconds().max(0);
    // Milliseconds of a realistic interval fit an f64 exactly.
    #[allow(clippy::cast_precision_loss)]
    let ms = ms as f64;
    ms / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_refills_at_its_rate() {
        let limiter = RateLimiter::new(RateLimit {
            burst: 3,
            per_minute: 60,
        });
        let key = Uuid::from_u128(1);
        let t0 = DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap_or_default();
        for _ in 0..3 {
            assert!(limiter.check(key, t0).is_ok());
        }
        let refused = limiter
            .check(key, t0)
            .err()
            .map(|p| (p.status, p.retry_after));
        assert_eq!(refused, Some((429, Some(1))));
        // Another token has its own bucket.
        assert!(limiter.check(Uuid::from_u128(2), t0).is_ok());
        // One second later, one request more (60 per minute).
        let t1 = t0 + chrono::Duration::seconds(1);
        assert!(limiter.check(key, t1).is_ok());
        assert!(limiter.check(key, t1).is_err());
    }
}
