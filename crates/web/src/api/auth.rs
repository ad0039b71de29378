//! Who is calling the API: a personal access token in `Authorization: Bearer …`, its scope,
//! and the rate limit per token.
//!
//! No cookie is read or set here, so the API has no CSRF surface: a browser never sends the
//! bearer token by itself. A token authenticates while it is neither revoked nor expired and
//! its person's account is active; everything the person may then do is decided by core's
//! access policy, and the token's scope ([`TokenScope`]) only narrows it. Every failure is
//! the same 401, which tells nothing about which part was wrong.
//!
//! The rate limit is `governor`'s keyed limiter per token id ([`RateLimiter`]), checked after the token
//! is known, so that one client cannot use up another's budget; a request without a valid
//! token costs a database lookup of a SHA-256 digest and is answered 401.

use std::num::NonZeroU32;
use std::sync::Arc;

use governor::Quota;
use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::HashMapStateStore;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
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
        state.api_limiter.check(token.id)?;
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

/// A rate limiter per token id, in memory (one per server process): `governor`'s keyed GCRA
/// limiter (a token bucket without timers) on a monotonic clock. Bounded: when it holds
/// [`RateLimiter::MAX_KEYS`] tokens it first forgets those whose budget has refilled.
pub struct RateLimiter<C: Clock = DefaultClock> {
    limiter: governor::RateLimiter<Uuid, HashMapStateStore<Uuid>, C, NoOpMiddleware<C::Instant>>,
    clock: C,
}

impl<C: Clock> std::fmt::Debug for RateLimiter<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter")
            .field("tokens", &self.limiter.len())
            .finish_non_exhaustive()
    }
}

impl RateLimiter {
    /// A limiter with `limit` on the monotonic clock.
    #[must_use]
    pub fn new(limit: RateLimit) -> Arc<Self> {
        Arc::new(Self::with_clock(limit, DefaultClock::default()))
    }
}

impl<C: Clock + Clone> RateLimiter<C> {
    /// The most tokens kept; only valid tokens get a budget, so this bounds memory, not callers.
    pub const MAX_KEYS: usize = 10_000;

    /// A limiter with `limit` on `clock` (a fake clock in tests).
    pub fn with_clock(limit: RateLimit, clock: C) -> Self {
        let nonzero = |n: u32| NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::per_minute(nonzero(limit.per_minute)).allow_burst(nonzero(limit.burst));
        Self {
            limiter: governor::RateLimiter::hashmap_with_clock(quota, clock.clone()),
            clock,
        }
    }

    /// Takes one request from the budget of `key`.
    ///
    /// # Errors
    /// [`Problem::rate_limited`] with the seconds until a request is possible again.
    pub fn check(&self, key: Uuid) -> Result<(), Problem> {
        if self.limiter.len() >= Self::MAX_KEYS {
            // Forget the tokens whose budget has refilled completely: they limit nobody.
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&key).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            // Whole seconds, rounded up; at least one, at most an hour.
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            Problem::rate_limited(secs.clamp(1, 3600))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_allows_its_burst_then_refills_at_its_rate() {
        let clock = governor::clock::FakeRelativeClock::default();
        let limiter = RateLimiter::with_clock(
            RateLimit {
                burst: 3,
                per_minute: 60,
            },
            clock.clone(),
        );
        let key = Uuid::from_u128(1);
        for _ in 0..3 {
            assert!(limiter.check(key).is_ok());
        }
        let refused = limiter.check(key).err().map(|p| (p.status, p.retry_after));
        assert_eq!(refused, Some((429, Some(1))));
        // Another token has its own budget.
        assert!(limiter.check(Uuid::from_u128(2)).is_ok());
        // One second later, one request more (60 per minute).
        clock.advance(std::time::Duration::from_secs(1));
        assert!(limiter.check(key).is_ok());
        assert!(limiter.check(key).is_err());
    }
}
