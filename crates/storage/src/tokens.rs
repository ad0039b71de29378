//! Personal access tokens: a staff member's named, expiring credential for the CLI and the
//! JSON API, created, listed and revoked by the person; and the idempotency keys of the
//! API's creating POSTs.
//!
//! The secret is made by the caller (the CLI or the web frontend, from the system's random
//! source) and shown once; the store keeps only its SHA-256 digest, so a reader of the
//! database cannot use a token. A high-entropy random secret needs no slow password hash.
//! Creating and revoking a token are recorded in the audit log.

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use wegbereiter_core::ids::StaffId;
use wegbereiter_core::ports::{AuditStamp, StorageError};

use crate::entity::{api_idempotency, personal_tokens};
use crate::error::storage;
use crate::mapping::{self, ts};
use crate::repo::audit;
use crate::{AuditSubject, Store, begin_write};

/// A personal access token as stored (never its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalToken {
    /// Id, shown in lists and used to revoke.
    pub id: Uuid,
    /// Whose token it is.
    pub staff: StaffId,
    /// The name the person gave it, e.g. "Laptop Büro".
    pub name: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// From this moment on it is refused.
    pub expires_at: DateTime<Utc>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
    /// What the token may do in the JSON API; the person's roles still decide every step.
    pub scope: TokenScope,
}

/// What a personal access token may do in the JSON API (`/api/v1`), on top of what the
/// person's roles allow: a ceiling, never a grant. The CLI does not look at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum TokenScope {
    /// Reads: case lists, case files (logged), reminders, directories, reports.
    Read,
    /// Reads and case work: process steps, referrals, attendance.
    Write,
    /// Everything, including the directories' administration.
    Admin,
}

/// A scope name that is none of `read`, `write`, `admin`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown token scope {0:?} (expected read, write or admin)")]
pub struct UnknownScope(pub String);

impl TokenScope {
    /// Every scope, narrowest first.
    pub const ALL: [Self; 3] = [Self::Read, Self::Write, Self::Admin];

    /// The stable key (`read`, `write`, `admin`), as stored and as the API names it.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
            Self::Admin => "admin",
        }
    }

    /// The scope named `key`.
    ///
    /// # Errors
    /// [`UnknownScope`] for any other text.
    pub fn parse(key: &str) -> Result<Self, UnknownScope> {
        Self::ALL
            .into_iter()
            .find(|s| s.key() == key.trim())
            .ok_or_else(|| UnknownScope(key.to_owned()))
    }

    /// Whether a token of this scope may do what `needed` stands for.
    #[must_use]
    pub fn allows(self, needed: Self) -> bool {
        self >= needed
    }
}

/// What [`Store::idempotency_claim`] found for a key.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdempotencyClaim {
    /// The key is new and now claimed by this request: carry it out, then
    /// [`Store::idempotency_finish`] (or [`Store::idempotency_release`] when it failed).
    Claimed,
    /// The first request with this key is still running.
    InProgress {
        /// The digest of the first request.
        request_hash: String,
    },
    /// The first request with this key was answered with `status` and `body`.
    Done {
        /// The digest of the first request.
        request_hash: String,
        /// Its HTTP status.
        status: u16,
        /// Its JSON body.
        body: String,
    },
}

impl PersonalToken {
    /// Whether the token authenticates at `now`: neither revoked nor expired.
    #[must_use]
    pub fn is_valid_at(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && now < self.expires_at
    }
}

/// The digest stored for `secret`.
fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.trim().as_bytes()))
}

impl Store {
    /// Stores a new token for `token.staff` with the secret `secret` (only its digest is
    /// kept) and records the creation in the audit log.
    ///
    /// # Errors
    /// [`StorageError::AlreadyExists`] if the id or the secret is taken; other
    /// [`StorageError`]s on backend failure.
    pub async fn token_create(
        &self,
        token: &PersonalToken,
        secret: &str,
        stamp: AuditStamp,
    ) -> Result<(), StorageError> {
        let txn = begin_write(self.conn()).await.map_err(storage)?;
        personal_tokens::Entity::insert(personal_tokens::ActiveModel {
            id: Set(token.id),
            staff_id: Set(token.staff.as_uuid()),
            name: Set(token.name.clone()),
            secret_hash: Set(digest(secret)),
            created_at: Set(ts(token.created_at)),
            expires_at: Set(ts(token.expires_at)),
            revoked_at: Set(token.revoked_at.map(ts)),
            scope: Set(token.scope.key().to_owned()),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(|e| {
            if crate::error::is_unique_violation(&e) {
                StorageError::AlreadyExists("personal token".into())
            } else {
                storage(e)
            }
        })?;
        let subject = AuditSubject::Staff {
            id: token.staff,
            login: None,
        };
        audit(&txn, stamp, "staff.token_created", subject.stored()).await?;
        txn.commit().await.map_err(storage)
    }

    /// The token whose secret is `secret`, valid or not (the caller checks
    /// [`PersonalToken::is_valid_at`] and the person's account).
    ///
    /// # Errors
    /// [`StorageError`] on backend failure or a corrupt row.
    pub async fn token_by_secret(
        &self,
        secret: &str,
    ) -> Result<Option<PersonalToken>, StorageError> {
        personal_tokens::Entity::find()
            .filter(personal_tokens::Column::SecretHash.eq(digest(secret)))
            .one(self.conn())
            .await
            .map_err(storage)?
            .as_ref()
            .map(mapping::token_from_row)
            .transpose()
    }

    /// The tokens of `staff`, newest first, revoked and expired ones included.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure or a corrupt row.
    pub async fn tokens_of(&self, staff: StaffId) -> Result<Vec<PersonalToken>, StorageError> {
        personal_tokens::Entity::find()
            .filter(personal_tokens::Column::StaffId.eq(staff.as_uuid()))
            .order_by_desc(personal_tokens::Column::CreatedAt)
            .order_by_desc(personal_tokens::Column::Id)
            .all(self.conn())
            .await
            .map_err(storage)?
            .iter()
            .map(mapping::token_from_row)
            .collect()
    }

    /// Revokes token `id` of `staff` at `stamp.at` and records it in the audit log. Returns
    /// `false` (and changes nothing) when `staff` has no such token or it is revoked already.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn token_revoke(
        &self,
        id: Uuid,
        staff: StaffId,
        stamp: AuditStamp,
    ) -> Result<bool, StorageError> {
        let txn = begin_write(self.conn()).await.map_err(storage)?;
        let done = personal_tokens::Entity::update_many()
            .col_expr(
                personal_tokens::Column::RevokedAt,
                sea_orm::sea_query::Expr::value(ts(stamp.at)),
            )
            .filter(personal_tokens::Column::Id.eq(id))
            .filter(personal_tokens::Column::StaffId.eq(staff.as_uuid()))
            .filter(personal_tokens::Column::RevokedAt.is_null())
            .exec(&txn)
            .await
            .map_err(storage)?
            .rows_affected
            > 0;
        if done {
            let subject = AuditSubject::Staff {
                id: staff,
                login: None,
            };
            audit(&txn, stamp, "staff.token_revoked", subject.stored()).await?;
        }
        txn.commit().await.map_err(storage)?;
        Ok(done)
    }
}

impl Store {
    /// Claims idempotency key `key` of `staff` for a request with digest `request_hash`, or
    /// tells what an earlier request with the key did. The claim is one insert, so of two
    /// concurrent requests with one key exactly one gets [`IdempotencyClaim::Claimed`].
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn idempotency_claim(
        &self,
        staff: StaffId,
        key: &str,
        request_hash: &str,
        at: DateTime<Utc>,
    ) -> Result<IdempotencyClaim, StorageError> {
        let inserted = api_idempotency::Entity::insert(api_idempotency::ActiveModel {
            staff_id: Set(staff.as_uuid()),
            key: Set(key.to_owned()),
            request_hash: Set(request_hash.to_owned()),
            status: Set(None),
            body: Set(None),
            created_at: Set(ts(at)),
        })
        .exec_without_returning(self.conn())
        .await;
        match inserted {
            Ok(_) => return Ok(IdempotencyClaim::Claimed),
            Err(e) if crate::error::is_unique_violation(&e) => {}
            Err(e) => return Err(storage(e)),
        }
        let row = api_idempotency::Entity::find_by_id((staff.as_uuid(), key.to_owned()))
            .one(self.conn())
            .await
            .map_err(storage)?
            .ok_or_else(|| StorageError::Backend("idempotency key vanished".into()))?;
        Ok(match (row.status, row.body) {
            (Some(status), Some(body)) => IdempotencyClaim::Done {
                request_hash: row.request_hash,
                status: u16::try_from(status).unwrap_or(500),
                body,
            },
            _ => IdempotencyClaim::InProgress {
                request_hash: row.request_hash,
            },
        })
    }

    /// Stores the answer to the request that claimed `key`.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn idempotency_finish(
        &self,
        staff: StaffId,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<(), StorageError> {
        api_idempotency::Entity::update_many()
            .col_expr(
                api_idempotency::Column::Status,
                sea_orm::sea_query::Expr::value(i32::from(status)),
            )
            .col_expr(
                api_idempotency::Column::Body,
                sea_orm::sea_query::Expr::value(body.to_owned()),
            )
            .filter(api_idempotency::Column::StaffId.eq(staff.as_uuid()))
            .filter(api_idempotency::Column::Key.eq(key))
            .exec(self.conn())
            .await
            .map_err(storage)?;
        Ok(())
    }

    /// Gives up the claim of `key` (the request failed, so a retry may try again).
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn idempotency_release(&self, staff: StaffId, key: &str) -> Result<(), StorageError> {
        api_idempotency::Entity::delete_many()
            .filter(api_idempotency::Column::StaffId.eq(staff.as_uuid()))
            .filter(api_idempotency::Column::Key.eq(key))
            .exec(self.conn())
            .await
            .map_err(storage)?;
        Ok(())
    }

    /// Forgets the idempotency keys claimed before `before`; returns how many.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn idempotency_purge(&self, before: DateTime<Utc>) -> Result<u64, StorageError> {
        Ok(api_idempotency::Entity::delete_many()
            .filter(api_idempotency::Column::CreatedAt.lt(ts(before)))
            .exec(self.conn())
            .await
            .map_err(storage)?
            .rows_affected)
    }
}
