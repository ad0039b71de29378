//! # wegbereiter-web: the bundled web frontend
//!
//! Server-rendered HTML over axum for the daily case work of outreach social work: sign-in,
//! dashboard with *Wiedervorlagen*, every process step of a case, Phase 2 group sessions,
//! staff/team/service administration and the audit log for the data-protection officer.
//!
//! ## Architecture invariants
//! * This crate is the only one that knows HTTP and HTML. Every change to a case goes through
//!   [`CaseService::execute_at`](wegbereiter_core::CaseService::execute_at) with the case
//!   version the user saw, so concurrent edits are refused, never lost.
//! * Every access decision lives in [`access`]; every HTTP error is turned into a page in
//!   [`error`]; every user-interface string is in [`i18n`] (German first, English second).
//! * Pages work without JavaScript; the only stylesheet is served by the app itself and the
//!   Content-Security-Policy forbids inline styles and scripts.
//! * Time is injected ([`Clock`]); nothing here decides a process rule.
//! * Nothing is stored for a visitor who has not signed in: the sign-in form is protected by
//!   a signed double-submit cookie (module `csrf`, keyed by a secret every instance over the
//!   database shares), the language choice is a cookie; a signed-in person's session is
//!   written at most once a minute ([`SEEN_RESOLUTION_SECS`]).
//! * The JSON API ([`api`], `/api/v1`) authenticates by personal access token only: no
//!   session, no cookie, errors as problem documents, never an HTML page.
//! * The client address (for sign-in throttling) is the connection's peer, unless that is a
//!   trusted proxy ([`AppState::with_trusted_proxies`]).
//!
//! ## Use
//! ```no_run
//! # async fn run(store: wegbereiter_storage::Store) -> Result<(), wegbereiter_web::WebError> {
//! use wegbereiter_web::{ServeConfig, serve};
//! serve(ServeConfig {
//!     bind: "127.0.0.1:8080".parse().unwrap(),
//!     store,
//!     policy: wegbereiter_core::Policy::default(),
//!     secure_cookies: false,
//!     idle_timeout: chrono::Duration::minutes(30),
//!     tz: chrono_tz::Europe::Berlin,
//!     trusted_proxies: vec![],
//! })
//! .await
//! # }
//! ```

pub mod access;
pub mod api;
pub mod backend;
mod charts;
mod context;
mod csrf;
pub mod error;
mod forms;
mod handlers;
pub mod i18n;
pub mod passwords;
pub mod request_log;
mod security;
pub mod session_store;
mod store;
mod views;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use chrono::{DateTime, Utc};
use wegbereiter_core::{CaseService, Policy};

pub use backend::{AuditLine, Backend, MemoryBackend};
pub use context::SEEN_RESOLUTION_SECS;
pub use handlers::SESSION_COOKIE;
pub use request_log::DEFAULT_LOG_FILTER;

/// "Now", injected so that tests can move time (the domain never reads the clock itself).
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The system clock.
#[must_use]
pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

/// How `wegbereiter serve` starts the web frontend.
#[derive(Clone)]
pub struct ServeConfig {
    /// Address to listen on, e.g. `127.0.0.1:8080`.
    pub bind: SocketAddr,
    /// The opened store (migrations already run).
    pub store: wegbereiter_storage::Store,
    /// Project policy.
    pub policy: Policy,
    /// Send the session cookie with `Secure` (behind HTTPS). `false` for plain-HTTP localhost.
    pub secure_cookies: bool,
    /// Sign out after this much inactivity.
    pub idle_timeout: chrono::Duration,
    /// The installation's time zone: turns instants into calendar days and printed times.
    pub tz: chrono_tz::Tz,
    /// Reverse proxies whose `Forwarded` / `X-Forwarded-For` headers name the client's
    /// address (see [`AppState::with_trusted_proxies`]); empty: the connection's peer is
    /// the client.
    pub trusted_proxies: Vec<IpAddr>,
}

/// The server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// Serving failed.
    #[error("server error: {0}")]
    Serve(#[from] std::io::Error),
}

/// Settings of password hashing (argon2id).
#[derive(Debug, Clone)]
pub struct PasswordSettings {
    /// argon2 parameters for new hashes. Verification always uses the parameters stored in
    /// the hash.
    pub params: argon2::Params,
}

impl Default for PasswordSettings {
    fn default() -> Self {
        Self {
            params: argon2::Params::DEFAULT,
        }
    }
}

/// Sign-in throttling, designed so that a stranger cannot lock a colleague out (see
/// `docs/web.md`): failures count per sign-in name *and* client address, and slow that pair
/// down with an exponential delay instead of blocking the name; an address the name signed
/// in from before is never slowed down by failures from elsewhere; an administrator can
/// lift a throttle.
#[derive(Debug, Clone, Copy)]
pub struct Throttle {
    /// Failures from one address that cost no waiting.
    pub free_failures: u64,
    /// The wait after the first failure beyond the free ones (from the last failure); it
    /// doubles with every further failure.
    pub first_delay: chrono::Duration,
    /// The longest wait.
    pub max_delay: chrono::Duration,
    /// Failures older than this are forgotten.
    pub window: chrono::Duration,
    /// Failures for one name from this many different addresses within the window look
    /// like a distributed guess: addresses the name never signed in from are refused until
    /// the failures age out or an administrator lifts the throttle.
    pub distributed_addresses: u64,
}

impl Default for Throttle {
    fn default() -> Self {
        Self {
            free_failures: 5,
            first_delay: chrono::Duration::seconds(30),
            max_delay: chrono::Duration::minutes(15),
            window: chrono::Duration::hours(1),
            distributed_addresses: 20,
        }
    }
}

impl Throttle {
    /// How long after the last of `failures` failures from one address the next attempt
    /// from there must wait: nothing within the free failures, then `first_delay`
    /// doubling, at most `max_delay`.
    #[must_use]
    pub fn delay(&self, failures: u64) -> chrono::Duration {
        let Some(over) = failures.checked_sub(self.free_failures) else {
            return chrono::Duration::zero();
        };
        let factor = 1_i32
            .checked_shl(u32::try_from(over).unwrap_or(u32::MAX))
            .unwrap_or(i32::MAX);
        self.first_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }
}

/// The sender of letters to clients (the announcement letter, rule R8): core's
/// [`wegbereiter_core::letter::Sender`]; its default is a synthetic placeholder, a project sets
/// its own with [`AppState::with_letter_settings`].
pub use wegbereiter_core::letter::Sender as LetterSettings;

/// Shared state of the web application.
#[derive(Clone)]
pub struct AppState {
    pub(crate) backend: Arc<dyn Backend>,
    pub(crate) service: CaseService,
    pub(crate) policy: Arc<Policy>,
    pub(crate) secure_cookies: bool,
    pub(crate) idle_timeout: chrono::Duration,
    pub(crate) clock: Clock,
    pub(crate) tz: chrono_tz::Tz,
    pub(crate) passwords: PasswordSettings,
    pub(crate) throttle: Throttle,
    pub(crate) letters: Arc<LetterSettings>,
    pub(crate) absolute_lifetime: chrono::Duration,
    pub(crate) trusted_proxies: Arc<[IpAddr]>,
    /// The key that signs pre-sign-in CSRF cookies, loaded (or created) on first use from
    /// the database, so that every instance over it shares one.
    pub(crate) csrf_key: Arc<tokio::sync::OnceCell<Arc<[u8]>>>,
    /// The JSON API's rate limit per token (in this process).
    pub(crate) api_limiter: Arc<api::RateLimiter>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("policy", &self.policy)
            .field("secure_cookies", &self.secure_cookies)
            .field("idle_timeout", &self.idle_timeout)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// State over the database `store`, with the system clock.
    #[must_use]
    pub fn new(
        store: wegbereiter_storage::Store,
        policy: Policy,
        secure_cookies: bool,
        idle_timeout: chrono::Duration,
    ) -> Self {
        Self::with_backend(
            Arc::new(store::StoreBackend::new(store)),
            policy,
            secure_cookies,
            idle_timeout,
        )
    }

    /// State over any [`Backend`] (e.g. [`MemoryBackend`]), with the system clock.
    #[must_use]
    pub fn with_backend(
        backend: Arc<dyn Backend>,
        policy: Policy,
        secure_cookies: bool,
        idle_timeout: chrono::Duration,
    ) -> Self {
        let service = CaseService::new(backend.clone().case_repository(), policy.clone())
            .with_retry_pause(wegbereiter_storage::retry_pause())
            .with_calendar(Arc::new(chrono_tz::Europe::Berlin));
        Self {
            backend,
            service,
            policy: Arc::new(policy),
            secure_cookies,
            idle_timeout,
            clock: system_clock(),
            tz: chrono_tz::Europe::Berlin,
            passwords: PasswordSettings::default(),
            throttle: Throttle::default(),
            letters: Arc::new(LetterSettings::default()),
            absolute_lifetime: chrono::Duration::hours(12),
            trusted_proxies: Arc::from(Vec::new()),
            csrf_key: Arc::new(tokio::sync::OnceCell::new()),
            api_limiter: api::RateLimiter::new(api::RateLimit::default()),
        }
    }

    /// Replaces the clock (tests).
    #[must_use]
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Sets the installation's time zone (default Europe/Berlin).
    #[must_use]
    pub fn with_time_zone(mut self, tz: chrono_tz::Tz) -> Self {
        self.tz = tz;
        self.service = self.service.with_calendar(Arc::new(tz));
        self
    }

    /// The installation's time zone.
    #[must_use]
    pub fn time_zone(&self) -> chrono_tz::Tz {
        self.tz
    }

    /// Now on the installation's wall clock (core's commands take it; its day is today).
    #[must_use]
    pub fn local_now(&self) -> DateTime<chrono::FixedOffset> {
        self.now().with_timezone(&self.tz).fixed_offset()
    }

    /// Replaces the password-hashing settings (tests use cheap parameters).
    #[must_use]
    pub fn with_password_settings(mut self, settings: PasswordSettings) -> Self {
        self.passwords = settings;
        self
    }

    /// Replaces the sign-in throttling rule.
    #[must_use]
    pub fn with_throttle(mut self, throttle: Throttle) -> Self {
        self.throttle = throttle;
        self
    }

    /// Replaces the JSON API's rate limit per token (default: bursts of 120, 600 a minute).
    #[must_use]
    pub fn with_api_rate_limit(mut self, limit: api::RateLimit) -> Self {
        self.api_limiter = api::RateLimiter::new(limit);
        self
    }

    /// Replaces the absolute lifetime of a sign-in (12 hours by default): after it the person
    /// signs in again however active they were.
    #[must_use]
    pub fn with_absolute_lifetime(mut self, lifetime: chrono::Duration) -> Self {
        self.absolute_lifetime = lifetime;
        self
    }

    /// Trusts these reverse proxies to name the client: when a request's TCP peer is one of
    /// them, the client address (which sign-in throttling keys on) is taken from the
    /// `Forwarded` header (RFC 7239, its `for=` parameters), else from `X-Forwarded-For`:
    /// the right-most address in it that is not itself a trusted proxy, as each proxy
    /// appends the address it saw. A request from any other peer is that peer, whatever
    /// headers it sends, so a client cannot choose its address.
    #[must_use]
    pub fn with_trusted_proxies(mut self, proxies: impl IntoIterator<Item = IpAddr>) -> Self {
        self.trusted_proxies = proxies.into_iter().map(|ip| ip.to_canonical()).collect();
        self
    }

    /// The signer of pre-sign-in CSRF cookies, with the key every instance over the
    /// database shares (made and stored by the first instance that asks).
    pub(crate) async fn csrf_signer(&self) -> Result<csrf::Signer, crate::error::AppError> {
        let key = self
            .csrf_key
            .get_or_try_init(|| async {
                let mut candidate = [0u8; 32];
                getrandom::fill(&mut candidate)
                    .map_err(|e| crate::error::AppError::Internal(format!("no randomness: {e}")))?;
                let key = self
                    .backend
                    .web_secret(csrf::KEY_NAME, &candidate, self.now())
                    .await?;
                if key.len() < 32 {
                    return Err(crate::error::AppError::Internal(
                        "the stored CSRF key is too short".into(),
                    ));
                }
                Ok::<_, crate::error::AppError>(Arc::from(key))
            })
            .await?;
        Ok(csrf::Signer::new(key.clone()))
    }

    /// Replaces the sender of letters to clients (project name, address, contact).
    #[must_use]
    pub fn with_letter_settings(mut self, letters: LetterSettings) -> Self {
        self.letters = Arc::new(letters);
        self
    }

    /// The backend.
    #[must_use]
    pub fn backend(&self) -> &Arc<dyn Backend> {
        &self.backend
    }

    /// Now, by the injected clock.
    #[must_use]
    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// Sets the password of a staff member (hashing it with argon2id), e.g. for demo data.
    ///
    /// # Errors
    /// [`wegbereiter_core::ports::StorageError`] when the hash cannot be stored or made.
    pub async fn set_password(
        &self,
        staff: wegbereiter_core::ids::StaffId,
        password: &str,
        actor: Option<wegbereiter_core::ids::StaffId>,
    ) -> Result<(), wegbereiter_core::ports::StorageError> {
        let phc = passwords::hash(&self.passwords, password)
            .await
            .map_err(wegbereiter_core::ports::StorageError::Backend)?;
        self.backend
            .set_password_hash(
                staff,
                &phc,
                wegbereiter_core::ports::AuditStamp {
                    actor,
                    at: self.now(),
                },
            )
            .await
    }
}

/// The application's router with all middleware (sessions, security headers, CSRF, errors).
pub fn router(state: AppState) -> Router {
    handlers::router(state)
}

/// Binds `config.bind`, logs the URL and serves until Ctrl-C.
///
/// # Errors
/// [`WebError::Bind`] when the address is taken; [`WebError::Serve`] when serving fails.
pub async fn serve(config: ServeConfig) -> Result<(), WebError> {
    if !config.bind.ip().is_loopback() && !config.secure_cookies {
        // Reachable from other machines, but the session cookie may travel over plain HTTP.
        tracing::warn!("listening on {} without --secure-cookies", config.bind);
        eprintln!(
            "Warnung: Wegbereiter ist unter {} von anderen Rechnern erreichbar, aber das Sitzungs-Cookie ist nicht auf HTTPS beschränkt. Betreiben Sie es hinter einem HTTPS-Proxy und starten Sie es mit --secure-cookies (siehe docs/operations.md).",
            config.bind
        );
    }
    let state = AppState::new(
        config.store,
        config.policy,
        config.secure_cookies,
        config.idle_timeout,
    )
    .with_time_zone(config.tz)
    .with_trusted_proxies(config.trusted_proxies);
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|source| WebError::Bind {
            addr: config.bind,
            source,
        })?;
    let addr = listener.local_addr()?;
    // Expired sessions and old failed sign-ins are deleted every 15 minutes (by any instance;
    // deleting is idempotent).
    let purge = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(15 * 60));
        loop {
            tick.tick().await;
            if let Err(e) = purge.backend.sessions_purge_expired(purge.now()).await {
                tracing::warn!("could not purge expired sessions: {e}");
            }
            // Failed sign-ins only matter within the throttling window; a day is plenty.
            let keep = purge.throttle.window.max(chrono::Duration::days(1));
            if let Err(e) = purge.backend.login_failures_purge(purge.now() - keep).await {
                tracing::warn!("could not purge old failed sign-ins: {e}");
            }
            // A retry with an idempotency key comes within minutes; a day is plenty.
            let day = purge.now() - chrono::Duration::days(1);
            if let Err(e) = purge.backend.idempotency_purge(day).await {
                tracing::warn!("could not purge old idempotency keys: {e}");
            }
        }
    });
    // Listen for SIGTERM before telling anyone where the server runs: a signal that arrives
    // before the listener exists would end the process without any clean-up.
    let shutdown = shutdown_signal();
    tracing::info!("Wegbereiter läuft auf http://{addr}/");
    println!("Wegbereiter läuft auf http://{addr}/ (beenden mit Strg+C)");
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    Ok(())
}

/// Resolves when the server should stop: Ctrl-C, or SIGTERM on Unix (what `kill`, systemd
/// and container runtimes send). Either way `serve` returns, so that the caller can clean up
/// (e.g. remove the temporary database of `serve --demo`). The SIGTERM handler is installed
/// when this function is called, not when the future is first polled.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate());
    async move {
        #[cfg(unix)]
        match term {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(e) => {
                tracing::warn!("cannot listen for SIGTERM: {e}");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
