//! What several web instances share through the database: sign-in credentials, web
//! sessions, sign-in throttling; the audit log of writes outside the case histories (and of
//! sign-ins and sign-outs, through [`Store::audit_record`]); and the access log across all
//! cases for the data-protection officer ([`Store::access_log`]).
//!
//! [`Store::web_secret`] keeps secrets the instances share (the key that signs the sign-in
//! form's CSRF cookie), created once by whichever instance asks first.
//!
//! Password hashing is the caller's business: the store keeps the PHC string it is given
//! (e.g. `$argon2id$v=19$…`) and never sees a password.

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use sha2::{Digest, Sha256};
use wegbereiter_core::ids::{CaseId, StaffId};
use wegbereiter_core::ports::{AccessEntry, AuditStamp, StorageError};

use crate::entity::{
    access_log, audit_log, login_addresses, login_failures, staff, staff_credentials, web_secrets,
    web_sessions,
};
use crate::error::storage;
use crate::mapping::{self, ts};
use crate::repo::{audit, sql_limit, upsert};
use crate::{AccessRecord, AuditRecord, Store, begin_write};

impl Store {
    /// Stores the password hash (a PHC string) of a staff member, replacing any earlier one,
    /// records who did it in the audit log and revokes every web session of the person.
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
        // Whoever knew the old password may have signed in with it: a new password ends
        // every session of the person.
        revoke_sessions(&txn, staff).await?;
        txn.commit().await.map_err(storage)
    }

    /// Creates the staff member `member` with a first password hash (a PHC string), both in
    /// one transaction and audited (`staff.saved`, `staff.password_set`), so that no account
    /// is left without its password when a write fails.
    ///
    /// # Errors
    /// [`StorageError::AlreadyExists`] if a staff member with this id or login exists; other
    /// [`StorageError`]s on backend failure.
    pub async fn add_staff(
        &self,
        member: &wegbereiter_core::staff::StaffMember,
        phc: &str,
        stamp: AuditStamp,
    ) -> Result<(), StorageError> {
        let txn = begin_write(self.conn()).await.map_err(storage)?;
        let exists = staff::Entity::find_by_id(member.id.as_uuid())
            .count(&txn)
            .await
            .map_err(storage)?
            > 0;
        if exists {
            return Err(StorageError::AlreadyExists(format!(
                "staff member {}",
                member.id
            )));
        }
        // An insert, not an upsert: should another writer create the id after the check
        // above (PostgreSQL reads committed rows only), its primary key refuses this one.
        crate::repo::save_staff_in(&txn, member, stamp, crate::repo::Write::Insert).await?;
        let row = staff_credentials::ActiveModel {
            staff_id: Set(member.id.as_uuid()),
            phc: Set(phc.to_owned()),
            updated_at: Set(ts(stamp.at)),
        };
        upsert(row, &txn).await.map_err(storage)?;
        let subject = crate::AuditSubject::Staff {
            id: member.id,
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
    /// The table keys sessions by the SHA-256 of their id (`session_key`), so that a reader
    /// of the database learns no id a browser could present.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn session_load(
        &self,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<u8>>, StorageError> {
        let key = session_key(id);
        Ok(web_sessions::Entity::find_by_id(key.clone())
            .filter(web_sessions::Column::ExpiresAt.gt(ts(now)))
            .one(self.conn())
            .await
            .map_err(storage)?
            .and_then(|row| self.vault().open_session(&key, row.data)))
    }

    /// Stores a new web session `id` of staff member `staff` (if signed in), made at
    /// `created_at`; replaces a session with the same id.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn session_create(
        &self,
        id: &str,
        staff: Option<StaffId>,
        data: &[u8],
        created_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let key = session_key(id);
        let row = web_sessions::ActiveModel {
            data: Set(self.vault().seal_session(&key, data)?),
            id_hash: Set(key),
            staff_id: Set(staff.map(|s| s.as_uuid())),
            created_at: Set(ts(created_at)),
            expires_at: Set(ts(expires_at)),
        };
        upsert(row, self.conn()).await.map_err(storage)
    }

    /// Updates the data and expiry of the existing web session `id`; returns `false` (and
    /// stores nothing) if there is no such session, e.g. because it was revoked while a
    /// request of it was running: a revoked session never comes back.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn session_save(
        &self,
        id: &str,
        data: &[u8],
        expires_at: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let key = session_key(id);
        let sealed = self.vault().seal_session(&key, data)?;
        web_sessions::Entity::update_many()
            .col_expr(web_sessions::Column::Data, Expr::value(sealed))
            .col_expr(web_sessions::Column::ExpiresAt, Expr::value(ts(expires_at)))
            .filter(web_sessions::Column::IdHash.eq(key))
            .exec(self.conn())
            .await
            .map(|r| r.rows_affected > 0)
            .map_err(storage)
    }

    /// Deletes web session `id` (signing out); deleting a missing session is not an error.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn session_delete(&self, id: &str) -> Result<(), StorageError> {
        web_sessions::Entity::delete_by_id(session_key(id))
            .exec(self.conn())
            .await
            .map(|_| ())
            .map_err(storage)
    }

    /// Deletes every web session of staff member `staff`; returns how many. The store does
    /// this itself when a password is set and when a save changes a person's roles or
    /// deactivates or reactivates them.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn sessions_revoke(&self, staff: StaffId) -> Result<u64, StorageError> {
        revoke_sessions(self.conn(), staff).await
    }

    /// How many web sessions are stored, expired ones not yet purged included (for
    /// operators and tests: a visitor who has not signed in must not have one).
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn session_count(&self) -> Result<u64, StorageError> {
        web_sessions::Entity::find()
            .count(self.conn())
            .await
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

    /// The shared secret `name` (e.g. the key that signs the sign-in form's CSRF cookie):
    /// the one stored, or `candidate` if none was stored yet, which is then stored at `at`.
    ///
    /// Every web instance against the database gets the same secret: when two instances
    /// start at once, the first insert wins and both read it back.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure or a corrupt row.
    pub async fn web_secret(
        &self,
        name: &str,
        candidate: &[u8],
        at: DateTime<Utc>,
    ) -> Result<Vec<u8>, StorageError> {
        web_secrets::Entity::insert(web_secrets::ActiveModel {
            name: Set(name.to_owned()),
            secret: Set(hex::encode(candidate)),
            created_at: Set(ts(at)),
        })
        .on_conflict_do_nothing()
        .exec_without_returning(self.conn())
        .await
        .map_err(storage)?;
        let row = web_secrets::Entity::find_by_id(name.to_owned())
            .one(self.conn())
            .await
            .map_err(storage)?
            .ok_or_else(|| StorageError::Backend(format!("web secret {name} missing")))?;
        hex::decode(&row.secret)
            .map_err(|e| StorageError::Backend(format!("web secret {name} is corrupt: {e}")))
    }

    /// Records a failed sign-in for `login` (compared case-insensitively) from client
    /// `address` at `at`.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn login_failure_record(
        &self,
        login: &str,
        address: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        login_failures::Entity::insert(login_failures::ActiveModel {
            id: NotSet,
            login: Set(mapping::login_key(login)),
            address: Set(address.to_owned()),
            at: Set(ts(at)),
        })
        .exec_without_returning(self.conn())
        .await
        .map(|_| ())
        .map_err(storage)
    }

    /// The failed sign-ins for `login` at or after `since`, over all web instances: how many
    /// came from `address` and when the last of them was, and from how many addresses they
    /// came altogether.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn login_failure_stats(
        &self,
        login: &str,
        address: &str,
        since: DateTime<Utc>,
    ) -> Result<LoginFailureStats, StorageError> {
        if self.cannot_be_stored(login) || self.cannot_be_stored(address) {
            return Ok(LoginFailureStats::default());
        }
        let key = mapping::login_key(login);
        let recent = || {
            login_failures::Entity::find()
                .filter(login_failures::Column::Login.eq(key.clone()))
                .filter(login_failures::Column::At.gte(ts(since)))
        };
        let from_here = || recent().filter(login_failures::Column::Address.eq(address));
        let from_address = from_here().count(self.conn()).await.map_err(storage)?;
        let last_from_address = match from_here()
            .order_by_desc(login_failures::Column::At)
            .one(self.conn())
            .await
            .map_err(storage)?
        {
            Some(row) => Some(mapping::parse_ts(&row.at)?),
            None => None,
        };
        let addresses = recent()
            .select_only()
            .column(login_failures::Column::Address)
            .distinct()
            .count(self.conn())
            .await
            .map_err(storage)?;
        Ok(LoginFailureStats {
            from_address,
            last_from_address,
            addresses,
        })
    }

    /// Forgets the failed sign-ins for `login`: those from `address` (after a successful
    /// sign-in from there), or from every address (`None`: an administrator lifted the
    /// throttle); returns how many.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn login_failures_clear(
        &self,
        login: &str,
        address: Option<&str>,
    ) -> Result<u64, StorageError> {
        if self.cannot_be_stored(login) || address.is_some_and(|a| self.cannot_be_stored(a)) {
            return Ok(0);
        }
        let mut delete = login_failures::Entity::delete_many()
            .filter(login_failures::Column::Login.eq(mapping::login_key(login)));
        if let Some(address) = address {
            delete = delete.filter(login_failures::Column::Address.eq(address));
        }
        delete
            .exec(self.conn())
            .await
            .map(|r| r.rows_affected)
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

    /// Remembers that `login` signed in successfully from client `address` at `at`.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn login_address_remember(
        &self,
        login: &str,
        address: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let row = login_addresses::ActiveModel {
            login: Set(mapping::login_key(login)),
            address: Set(address.to_owned()),
            last_success_at: Set(ts(at)),
        };
        upsert(row, self.conn()).await.map_err(storage)
    }

    /// Whether `login` has signed in successfully from client `address` before.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn login_address_known(
        &self,
        login: &str,
        address: &str,
    ) -> Result<bool, StorageError> {
        if self.cannot_be_stored(login) || self.cannot_be_stored(address) {
            return Ok(false);
        }
        login_addresses::Entity::find_by_id((mapping::login_key(login), address.to_owned()))
            .count(self.conn())
            .await
            .map(|n| n > 0)
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

    /// Like [`Store::audit_record`], but a line with the same `action` and `subject` in the
    /// same clock hour (UTC) is counted up instead of repeated: failed and throttled
    /// sign-ins of one sign-in name become one line per hour, so that nobody can flood the
    /// log with them.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn audit_record_counted(
        &self,
        stamp: AuditStamp,
        action: &str,
        subject: &str,
    ) -> Result<(), StorageError> {
        if self.cannot_be_stored(subject) {
            return Err(StorageError::Backend(
                "text with U+0000 cannot be stored in PostgreSQL".into(),
            ));
        }
        let hour = stamp
            .at
            .duration_trunc(TimeDelta::hours(1))
            .map_err(|e| StorageError::Backend(format!("hour of {}: {e}", stamp.at)))?;
        let txn = begin_write(self.conn()).await.map_err(storage)?;
        let same = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq(action))
            .filter(audit_log::Column::Subject.eq(subject))
            .filter(audit_log::Column::At.gte(ts(hour)))
            .filter(audit_log::Column::At.lt(ts(hour + TimeDelta::hours(1))))
            .order_by_asc(audit_log::Column::Id)
            .one(&txn)
            .await
            .map_err(storage)?;
        match same {
            Some(row) => {
                audit_log::Entity::update_many()
                    .col_expr(
                        audit_log::Column::Count,
                        Expr::col(audit_log::Column::Count).add(1),
                    )
                    .filter(audit_log::Column::Id.eq(row.id))
                    .exec(&txn)
                    .await
                    .map_err(storage)?;
            }
            None => audit(&txn, stamp, action, subject.to_owned()).await?,
        }
        txn.commit().await.map_err(storage)
    }

    /// One page of the audit log, newest first, narrowed by `query`; `next` is set when
    /// older lines match too (pass it as [`AuditQuery::before`] for the next page).
    ///
    /// # Errors
    /// [`StorageError`] on backend failure, [`StorageError::Corrupt`] for an unreadable row.
    pub async fn audit_page(&self, query: &AuditQuery) -> Result<Page<AuditRecord>, StorageError> {
        let mut select = audit_log::Entity::find();
        if let Some(from) = query.from {
            select = select.filter(audit_log::Column::At.gte(ts(from)));
        }
        if let Some(until) = query.until {
            select = select.filter(audit_log::Column::At.lt(ts(until)));
        }
        if let Some(actor) = query.actor {
            select = select.filter(audit_log::Column::Actor.eq(actor.as_uuid()));
        }
        if let Some(action) = &query.action {
            if self.cannot_be_stored(action) {
                return Ok(Page::default());
            }
            select = select.filter(audit_log::Column::Action.eq(action.as_str()));
        }
        if let Some(before) = query.before {
            select = select.filter(audit_log::Column::Id.lt(before));
        }
        page(
            self,
            select,
            audit_log::Column::Id,
            query.limit,
            |r| r.id,
            mapping::audit_from_row,
        )
        .await
    }

    /// One page of the access log, newest first, narrowed by `query`, each read with the
    /// reader as named at the time; `next` as for [`Store::audit_page`].
    ///
    /// # Errors
    /// [`StorageError`] on backend failure, [`StorageError::Corrupt`] for an unreadable row.
    pub async fn access_page(
        &self,
        query: &AccessQuery,
    ) -> Result<Page<AccessRecord>, StorageError> {
        let mut select = access_log::Entity::find();
        if let Some(from) = query.from {
            select = select.filter(access_log::Column::At.gte(ts(from)));
        }
        if let Some(until) = query.until {
            select = select.filter(access_log::Column::At.lt(ts(until)));
        }
        if let Some(reader) = query.reader {
            select = select.filter(access_log::Column::Actor.eq(reader.as_uuid()));
        }
        if let Some(cases) = &query.cases {
            if cases.is_empty() {
                return Ok(Page::default());
            }
            select =
                select.filter(access_log::Column::CaseId.is_in(cases.iter().map(|c| c.as_uuid())));
        }
        if let Some(before) = query.before {
            select = select.filter(access_log::Column::Id.lt(before));
        }
        page(
            self,
            select,
            access_log::Column::Id,
            query.limit,
            |r| r.id,
            mapping::access_record_from_row,
        )
        .await
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

/// A narrowed query of the audit log ([`Store::audit_page`]); every `None` matches all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// Lines at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Lines before this instant.
    pub until: Option<DateTime<Utc>>,
    /// Lines of this signed-in person.
    pub actor: Option<StaffId>,
    /// Lines of this action (its stable key, e.g. `staff.role_granted`).
    pub action: Option<String>,
    /// Lines recorded before the line with this id ([`Page::next`] of the page before).
    pub before: Option<i64>,
    /// At most this many lines.
    pub limit: u64,
}

/// A narrowed query of the access log ([`Store::access_page`]); every `None` matches all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessQuery {
    /// Reads at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Reads before this instant.
    pub until: Option<DateTime<Utc>>,
    /// Reads by this person.
    pub reader: Option<StaffId>,
    /// Reads of these cases (e.g. those a case number matches); empty matches nothing.
    pub cases: Option<Vec<CaseId>>,
    /// Reads recorded before the read with this id ([`Page::next`] of the page before).
    pub before: Option<i64>,
    /// At most this many reads.
    pub limit: u64,
}

/// One page of a log, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The lines of this page.
    pub items: Vec<T>,
    /// Set when older lines match too: the `before` of the next page.
    pub next: Option<i64>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            next: None,
        }
    }
}

/// Failed sign-ins of one sign-in name within a period ([`Store::login_failure_stats`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoginFailureStats {
    /// How many came from the client address asked about.
    pub from_address: u64,
    /// When the last of those was.
    pub last_from_address: Option<DateTime<Utc>>,
    /// From how many different client addresses failures came.
    pub addresses: u64,
}

/// The key a web session is stored under: the SHA-256 of its id, in lower-case hex. The id
/// is 128 random bits, so the hash needs no salt and cannot be turned back into the id.
fn session_key(id: &str) -> String {
    hex::encode(Sha256::digest(id.as_bytes()))
}

/// Deletes every web session of `staff` inside `conn` (a transaction of the change that
/// ends them); returns how many.
pub(crate) async fn revoke_sessions<C: ConnectionTrait>(
    conn: &C,
    staff: StaffId,
) -> Result<u64, StorageError> {
    web_sessions::Entity::delete_many()
        .filter(web_sessions::Column::StaffId.eq(staff.as_uuid()))
        .exec(conn)
        .await
        .map(|r| r.rows_affected)
        .map_err(storage)
}

/// A page of `select` in the order of `id`, newest first: one row more than asked for tells
/// whether there is a next page.
async fn page<E, T>(
    store: &Store,
    select: sea_orm::Select<E>,
    id: E::Column,
    limit: u64,
    id_of: fn(&T) -> i64,
    from_row: fn(E::Model) -> Result<T, StorageError>,
) -> Result<Page<T>, StorageError>
where
    E: EntityTrait,
{
    let limit = Ord::min(sql_limit(limit), i64::MAX.unsigned_abs() - 1);
    let mut items = select
        .order_by_desc(id)
        .limit(limit + 1)
        .all(store.conn())
        .await
        .map_err(storage)?
        .into_iter()
        .map(from_row)
        .collect::<Result<Vec<T>, _>>()?;
    let more = u64::try_from(items.len()).unwrap_or(u64::MAX) > limit;
    if more {
        items.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    }
    let next = if more { items.last().map(id_of) } else { None };
    Ok(Page { items, next })
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
