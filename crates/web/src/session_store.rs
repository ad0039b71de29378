//! Server-side sessions in the database, shared by every instance of the server.
//!
//! [`DbSessionStore`] implements tower-sessions' [`SessionStore`] over the
//! [`Backend`] session functions. The expiry stored with a session
//! is computed from the injected clock (`now + idle_timeout` + a grace period), never from the system clock, so
//! tests can move time; the session cookie itself lives until the browser closes.

use std::sync::Arc;

use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use wegbereiter_core::ids::StaffId;

use crate::Clock;
use crate::backend::Backend;
use crate::context::keys;

/// tower-sessions store over the database.
#[derive(Clone)]
pub struct DbSessionStore {
    backend: Arc<dyn Backend>,
    clock: Clock,
    idle_timeout: chrono::Duration,
}

impl std::fmt::Debug for DbSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DbSessionStore")
            .field("idle_timeout", &self.idle_timeout)
            .finish_non_exhaustive()
    }
}

impl DbSessionStore {
    /// A store over `backend`; sessions expire `idle_timeout` after their last save.
    #[must_use]
    pub fn new(backend: Arc<dyn Backend>, clock: Clock, idle_timeout: chrono::Duration) -> Self {
        Self {
            backend,
            clock,
            idle_timeout,
        }
    }
}

impl DbSessionStore {
    fn encode(
        &self,
        record: &Record,
    ) -> session_store::Result<(Vec<u8>, chrono::DateTime<chrono::Utc>)> {
        let data = serde_json::to_vec(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        // The idle timeout itself is enforced by the request middleware (which then tells
        // the person why they were signed out); the stored record outlives it by a grace
        // period so that this notice survives a lunch break.
        let expires_at = (self.clock)() + self.idle_timeout + chrono::Duration::hours(8);
        Ok((data, expires_at))
    }
}

fn backend_err(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // Session ids are 128 random bits; a collision is practically impossible, but a
        // freshly made id must never take over an existing session.
        let now = (self.clock)();
        while self
            .backend
            .session_load(&record.id.to_string(), now)
            .await
            .map_err(backend_err)?
            .is_some()
        {
            record.id = Id::default();
        }
        let (data, expires_at) = self.encode(record)?;
        // The signed-in person is stored beside the data, so that all their sessions can be
        // revoked at once.
        let staff = record
            .data
            .get(keys::USER)
            .and_then(|v| serde_json::from_value::<StaffId>(v.clone()).ok());
        self.backend
            .session_create(&record.id.to_string(), staff, &data, now, expires_at)
            .await
            .map_err(backend_err)
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let (data, expires_at) = self.encode(record)?;
        // Only updates: a session revoked while one of its requests was running (a new
        // password, new roles, a deactivation) must not be stored again by that request.
        self.backend
            .session_save(&record.id.to_string(), &data, expires_at)
            .await
            .map(|_| ())
            .map_err(backend_err)
    }

    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        let now = (self.clock)();
        let Some(bytes) = self
            .backend
            .session_load(&session_id.to_string(), now)
            .await
            .map_err(backend_err)?
        else {
            return Ok(None);
        };
        let data = serde_json::from_slice(&bytes)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *session_id,
            data,
            // Only used for the cookie, which is a browser-session cookie here.
            expiry_date: time::OffsetDateTime::now_utc() + time::Duration::days(1),
        }))
    }

    async fn delete(&self, session_id: &Id) -> session_store::Result<()> {
        self.backend
            .session_delete(&session_id.to_string())
            .await
            .map_err(backend_err)
    }
}
