//! Personal access tokens: a staff member's named, expiring credential for the CLI (and
//! later the JSON API), created, listed and revoked by the person.
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

use crate::entity::personal_tokens;
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
