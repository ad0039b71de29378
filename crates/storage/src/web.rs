//! What several web instances share through the database: sign-in credentials, web
//! sessions, sign-in throttling; the audit log of writes outside the case histories (and of
//! sign-ins and sign-outs, through [`Store::audit_record`]); and the access log across all
//! cases for the data-protection officer ([`Store::access_log`]).
//!
//! Password hashing is the caller's business: the store keeps the PHC string it is given
//! (e.g. `$argon2id$v=19$…`) and never sees a password.

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use wegbereiter_core::ids::StaffId;
use wegbereiter_core::ports::{AccessEntry, AuditStamp, StorageError};

use crate::entity::{
    access_log, audit_log, login_failures, staff, staff_credentials, web_sessions,
};
use crate::error::storage;
use crate::mapping::{self, ts};
use crate::repo::{audit, sql_limit, upsert};
use crate::{AuditRecord, Store, begin_write};

impl Store {
    /// Stores the password hash (a PHC string) of a staff member, replacing any earlier one,
    /// and records who did it in the audit log.
    ///
    /// # Errors
    /// [`StorageError::Backend`] if there is no staff member `staff`; other [`StorageError`]s
    /// on backend failure.
    pub async fn set_password_hash(
        &self,
        staff: StaffId,
        phc: &str,
        stamp: AuditStamp,
    ) -> Result<(), StorageError> {
        let txn = begin_write(self.conn()).await.map_err(storage)?;
        let exists = staff::Entity::find_by_id(staff.as_uuid())
            .count(&txn)
            .await
            .map_err(storage)?
            > 0;
        if !exists {
            return Err(StorageError::Backend(format!("no staff member {staff}")));
        }
        let row = staff_credentials::ActiveModel {
            staff_id: Set(staff.as_uuid()),
            phc: Set(phc.to_owned()),
            updated_at: Set(ts(stamp.at)),
        };
        upsert(row, &txn).await.map_err(storage)?;
        let subject = crate::AuditSubject::Staff {
            id: staff,
            login: None,
        };
        audit(&txn, stamp, "staff.password_set", subject.stored()).await?;
        txn.commit().await.map_err(storage)
    }

    /// The stored password hash of a staff member, if any.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn password_hash(&self, staff: StaffId) -> Result<Option<String>, StorageError> {
        Ok(staff_credentials::Entity::find_by_id(staff.as_uuid())
            .one(self.conn())
            .await
            .map_err(storage)?
            .map(|row| row.phc))
    }

    /// The data of web session `id`, unless it is missing or expired at `now`.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn session_load(
        &self,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<u8>>, StorageError> {
        if self.cannot_be_stored(id) {
            return Ok(None);
        }
        Ok(web_sessions::Entity::find_by_id(id.to_owned())
            .filter(web_sessions::Column::ExpiresAt.gt(ts(now)))
            .one(self.conn())
            .await
            .map_err(storage)?
            .map(|row| row.data))
    }

    /// Creates or replaces web session `id`.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn session_save(
        &self,
        id: &str,
        data: &[u8],
        expires_at: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let row = web_sessions::ActiveModel {
            id: Set(id.to_owned()),
            data: Set(data.to_vec()),
            expires_at: Set(ts(expires_at)),
        };
        upsert(row, self.conn()).await.map(|_| ()).map_err(storage)
    }

    /// Deletes web session `id` (signing out); deleting a missing session is not an error.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn session_delete(&self, id: &str) -> Result<(), StorageError> {
        if self.cannot_be_stored(id) {
            return Ok(());
        }
        web_sessions::Entity::delete_by_id(id.to_owned())
            .exec(self.conn())
            .await
            .map(|_| ())
            .map_err(storage)
    }

    /// Deletes every web session expired at `now`; returns how many.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn sessions_purge_expired(&self, now: DateTime<Utc>) -> Result<u64, StorageError> {
        web_sessions::Entity::delete_many()
            .filter(web_sessions::Column::ExpiresAt.lte(ts(now)))
            .exec(self.conn())
            .await
            .map(|r| r.rows_affected)
            .map_err(storage)
    }

    /// Records a failed sign-in for `login` (compared case-insensitively) at `at`.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn login_failure_record(
        &self,
        login: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        login_failures::Entity::insert(login_failures::ActiveModel {
            id: NotSet,
            login: Set(mapping::login_key(login)),
            at: Set(ts(at)),
        })
        .exec_without_returning(self.conn())
        .await
        .map(|_| ())
        .map_err(storage)
    }

    /// Failed sign-ins for `login` at or after `since`, over all web instances.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn login_failures_since(
        &self,
        login: &str,
        since: DateTime<Utc>,
    ) -> Result<u64, StorageError> {
        if self.cannot_be_stored(login) {
            return Ok(0);
        }
        login_failures::Entity::find()
            .filter(login_failures::Column::Login.eq(mapping::login_key(login)))
            .filter(login_failures::Column::At.gte(ts(since)))
            .count(self.conn())
            .await
            .map_err(storage)
    }

    /// Forgets the failed sign-ins for `login` (after a successful sign-in).
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn login_failures_clear(&self, login: &str) -> Result<(), StorageError> {
        if self.cannot_be_stored(login) {
            return Ok(());
        }
        login_failures::Entity::delete_many()
            .filter(login_failures::Column::Login.eq(mapping::login_key(login)))
            .exec(self.conn())
            .await
            .map(|_| ())
            .map_err(storage)
    }

    /// Deletes the failed sign-ins recorded before `before` (e.g. a day ago), of every
    /// login; returns how many. Failures are otherwise kept until a successful sign-in
    /// clears them.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn login_failures_purge(&self, before: DateTime<Utc>) -> Result<u64, StorageError> {
        login_failures::Entity::delete_many()
            .filter(login_failures::Column::At.lt(ts(before)))
            .exec(self.conn())
            .await
            .map(|r| r.rows_affected)
            .map_err(storage)
    }

    /// Appends one line to the audit log, for events the store does not record itself:
    /// sign-in, failed sign-in, throttled sign-in and sign-out of the web frontend.
    ///
    /// `action` is a short stable key (e.g. `auth.sign_in`), `subject` what it concerns (e.g.
    /// the sign-in name as typed). Never pass a password or a hash: the log is read by the
    /// data-protection officer and kept.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn audit_record(
        &self,
        stamp: AuditStamp,
        action: &str,
        subject: &str,
    ) -> Result<(), StorageError> {
        audit(self.conn(), stamp, action, subject.to_owned()).await
    }

    /// The latest `limit` reads of case files across all cases (rule R16), newest first: the
    /// data-protection officer's overview. [`AccessLog::accesses`] gives one case's reads.
    ///
    /// "Newest" is the order of recording; the query walks the primary key backwards, so it
    /// reads only the rows it returns however long the log is.
    ///
    /// [`AccessLog::accesses`]: wegbereiter_core::ports::AccessLog::accesses
    ///
    /// # Errors
    /// [`StorageError`] on backend failure, [`StorageError::Corrupt`] for an unreadable row.
    pub async fn access_log(&self, limit: u64) -> Result<Vec<AccessEntry>, StorageError> {
        newest::<access_log::Entity, _>(
            self,
            access_log::Column::Id,
            limit,
            mapping::access_from_row,
        )
        .await
    }

    /// The latest `limit` writes outside the case histories (staff, teams, services, group
    /// sessions, credentials), newest first.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure, [`StorageError::Corrupt`] for an unreadable row.
    pub async fn audit_log(&self, limit: u64) -> Result<Vec<AuditRecord>, StorageError> {
        newest::<audit_log::Entity, _>(self, audit_log::Column::Id, limit, mapping::audit_from_row)
            .await
    }
}

/// The last `limit` rows of an append-only log in the order of `id`, newest first: walks the
/// primary key backwards, so it reads only the rows it returns.
async fn newest<E, T>(
    store: &Store,
    id: E::Column,
    limit: u64,
    from_row: fn(E::Model) -> Result<T, StorageError>,
) -> Result<Vec<T>, StorageError>
where
    E: EntityTrait,
{
    E::find()
        .order_by_desc(id)
        .limit(sql_limit(limit))
        .all(store.conn())
        .await
        .map_err(storage)?
        .into_iter()
        .map(from_row)
        .collect()
}
