//! The ports of `wegbereiter_core::ports` on sea-orm: case histories with optimistic
//! concurrency, the staff and service directories, and the access log.
//!
//! ## The write path of a case ([`CaseRepository::append`])
//! One transaction (`BEGIN IMMEDIATE` on SQLite): read the case's current version, compare it
//! with the expected one, apply the new events to the current state (only to refresh the read
//! models; no rule is decided here), insert the events with their hash links, update the read
//! models, commit. The primary key `(case_id, sequence)` makes racing writers safe on both
//! backends: the loser's insert fails with a unique violation, which becomes
//! [`StorageError::Conflict`], and its transaction is rolled back.
//! [`CaseRepository::append_new_cases`] opens many new cases inside one transaction, so an
//! import lands completely or not at all: one query finds which of them exist already, then
//! the events and read-model rows of the rest go in with multi-row inserts (about 1000 rows a
//! statement), so its cost grows linearly with the cases and not with statements per case.

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::Uuid;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, Iterable, QueryFilter, QueryOrder,
    QuerySelect,
};
use sha2::{Digest, Sha256};
use wegbereiter_core::case::{Case, CaseSummary};
use wegbereiter_core::event::RecordedEvent;
use wegbereiter_core::handover::GroupSession;
use wegbereiter_core::ids::{CaseId, DocumentId, GroupSessionId, ServiceId, StaffId, TeamId};
use wegbereiter_core::ports::{
    AccessEntry, AccessLog, AuditStamp, CaseFilter, CaseRepository, KeptDocument, ServiceDirectory,
    StaffDirectory, StorageError,
};
use wegbereiter_core::referral::{ClientIdentity, DuplicateMatch, duplicate_match};
use wegbereiter_core::services::SpecialistService;
use wegbereiter_core::staff::{StaffMember, Team};

use crate::chain::{self, GENESIS};
use crate::entity::{
    access_log, audit_log, case_clients, cases, events, group_sessions, sent_documents, services,
    staff, staff_teams, teams,
};
use crate::error::{corrupt, is_unique_violation, storage};
use crate::vault::Vault;
use crate::{Store, begin_write, mapping, read_model};

/// How many cases one `IN (…)` query loads.
pub(crate) const BATCH: usize = 500;

/// A caller's row limit as SQL can take it: `LIMIT` is a signed 64-bit number on both
/// backends, so larger limits (e.g. `u64::MAX` for "all") mean `i64::MAX`.
pub(crate) fn sql_limit(limit: impl TryInto<u64>) -> u64 {
    limit
        .try_into()
        .unwrap_or(u64::MAX)
        .min(i64::MAX.unsigned_abs())
}

/// The summaries of the cases passing `filter`, in list order (newest referral first, then
/// client name, then id; for a name search whole-word matches first, then client name, then
/// id), limit and offset applied in SQL.
pub(crate) fn list_query(filter: &CaseFilter) -> sea_orm::Select<cases::Entity> {
    let query = cases::Entity::find()
        .select_only()
        .columns(cases::SUMMARY_COLUMNS)
        .filter(mapping::case_filter_condition(filter));
    // A name search ranks whole-word matches first (core's `CaseFilter::rank`), then
    // orders by name: the rows found are few, and sorted after the index lookups.
    let mut query = match mapping::search_rank(filter) {
        Some(rank) => query
            .order_by(rank, sea_orm::Order::Asc)
            .order_by_asc(cases::Column::ClientName)
            .order_by_asc(cases::Column::Id),
        None => query
            .order_by_desc(cases::Column::ReferralDate)
            .order_by_asc(cases::Column::ClientName)
            .order_by_asc(cases::Column::Id),
    };
    if let Some(limit) = filter.limit {
        query = query.limit(sql_limit(limit));
    }
    if let Some(offset) = filter.offset.filter(|o| *o > 0) {
        // SQLite takes an offset only after a limit.
        if filter.limit.is_none() {
            query = query.limit(sql_limit(u64::MAX));
        }
        query = query.offset(sql_limit(offset));
    }
    query
}

/// The history of a case as stored, oldest first, its sealed texts opened.
pub(crate) async fn history_in<C: ConnectionTrait>(
    conn: &C,
    vault: &Vault,
    id: CaseId,
) -> Result<Vec<RecordedEvent>, StorageError> {
    let rows = events::Entity::find()
        .filter(events::Column::CaseId.eq(id.as_uuid()))
        .order_by_asc(events::Column::Sequence)
        .all(conn)
        .await
        .map_err(storage)?;
    decode_events(conn, vault, id, &rows).await
}

/// The events of stored rows of case `id` (oldest first), their sealed texts opened.
pub(crate) async fn decode_events<C: ConnectionTrait>(
    conn: &C,
    vault: &Vault,
    id: CaseId,
    rows: &[events::Model],
) -> Result<Vec<RecordedEvent>, StorageError> {
    let mut opener = vault.opener(id.as_uuid());
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let payload = opener.open(conn, &row.payload).await?;
        out.push(
            mapping::event_from_stored(row, &payload).map_err(|reason| {
                corrupt(format!("case {id}, event {}: {reason}", row.sequence))
            })?,
        );
    }
    Ok(out)
}

fn replay(id: CaseId, history: &[RecordedEvent]) -> Result<Case, StorageError> {
    Case::replay(history).map_err(|e| corrupt(format!("case {id}: {e}")))
}

/// The current state of a case read from its `cases` row, or by replaying its history when
/// the stored state is missing or no longer parses.
pub(crate) async fn case_from_row<C: ConnectionTrait>(
    conn: &C,
    vault: &Vault,
    row: &cases::Model,
) -> Result<Case, StorageError> {
    let state = vault.opener(row.id).open(conn, &row.state).await?;
    if let Some(case) = mapping::case_from_state(row, &state) {
        return Ok(case);
    }
    let id = CaseId::from_uuid(row.id);
    replay(id, &history_in(conn, vault, id).await?)
}

/// The current state of a case, if it exists.
pub(crate) async fn load_in<C: ConnectionTrait>(
    conn: &C,
    vault: &Vault,
    id: CaseId,
) -> Result<Option<Case>, StorageError> {
    let row = cases::Entity::find_by_id(id.as_uuid())
        .one(conn)
        .await
        .map_err(storage)?;
    if let Some(row) = row {
        return case_from_row(conn, vault, &row).await.map(Some);
    }
    // No read-model row (e.g. read models being rebuilt): the history decides.
    let history = history_in(conn, vault, id).await?;
    if history.is_empty() {
        return Ok(None);
    }
    replay(id, &history).map(Some)
}

/// The current states of the cases `ids` that exist, in the order of `ids`.
pub(crate) async fn load_many<C: ConnectionTrait>(
    conn: &C,
    vault: &Vault,
    ids: &[Uuid],
) -> Result<Vec<Case>, StorageError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(BATCH) {
        let rows = cases::Entity::find()
            .filter(cases::Column::Id.is_in(chunk.iter().copied()))
            .all(conn)
            .await
            .map_err(storage)?;
        let mut by_id: HashMap<Uuid, cases::Model> = rows.into_iter().map(|r| (r.id, r)).collect();
        for id in chunk {
            if let Some(row) = by_id.remove(id) {
                out.push(case_from_row(conn, vault, &row).await?);
            }
        }
    }
    Ok(out)
}

/// The current version of a case: its highest sequence number, 0 if it does not exist.
async fn current_version<C: ConnectionTrait>(conn: &C, id: CaseId) -> Result<u64, StorageError> {
    let max: Option<Option<i64>> = events::Entity::find()
        .select_only()
        .column_as(events::Column::Sequence.max(), "max_sequence")
        .filter(events::Column::CaseId.eq(id.as_uuid()))
        .into_tuple()
        .one(conn)
        .await
        .map_err(storage)?;
    let max = max.flatten().unwrap_or(0);
    u64::try_from(max).map_err(|_| corrupt(format!("case {id}: negative sequence {max}")))
}

/// The stored payloads of `events`, after checking that they continue case `id` from
/// `expected` (before touching the database).
fn checked_payloads(
    id: CaseId,
    expected: u64,
    events: &[RecordedEvent],
) -> Result<Vec<String>, StorageError> {
    for (offset, event) in (expected + 1..).zip(events) {
        if event.case_id != id || event.sequence != offset {
            return Err(corrupt(format!(
                "refused to append to case {id}: event {} of case {} is not event {offset} \
                 of this case",
                event.sequence, event.case_id
            )));
        }
    }
    events.iter().map(mapping::event_payload).collect()
}

/// Why an append inside its transaction did not go through.
enum AppendFailure {
    /// Another writer inserted the same sequence number first.
    LostRace,
    /// Anything else (including a conflict found by the version check).
    Storage(StorageError),
}

impl From<StorageError> for AppendFailure {
    fn from(e: StorageError) -> Self {
        Self::Storage(e)
    }
}

fn lost_or_storage(e: sea_orm::DbErr) -> AppendFailure {
    if is_unique_violation(&e) {
        AppendFailure::LostRace
    } else {
        AppendFailure::Storage(storage(e))
    }
}

impl Store {
    async fn append_in(
        txn: &sea_orm::DatabaseTransaction,
        vault: &Vault,
        id: CaseId,
        expected: u64,
        batch: &[RecordedEvent],
        payloads: Vec<String>,
    ) -> Result<(), AppendFailure> {
        let actual = current_version(txn, id).await?;
        if actual != expected {
            return Err(StorageError::Conflict {
                case: id,
                expected,
                actual,
            }
            .into());
        }
        if batch.is_empty() {
            return if actual == 0 {
                Err(corrupt(format!(
                    "refused to append to case {id}: the case history is empty"
                ))
                .into())
            } else {
                Ok(())
            };
        }
        let refused = |e: wegbereiter_core::ReplayError| {
            AppendFailure::Storage(corrupt(format!("refused to append to case {id}: {e}")))
        };
        let (case, mut prev) = if expected == 0 {
            (Case::replay(batch).map_err(refused)?, GENESIS)
        } else {
            let head = events::Entity::find_by_id((
                id.as_uuid(),
                i64::try_from(actual).unwrap_or(i64::MAX),
            ))
            .one(txn)
            .await
            .map_err(storage)?
            .ok_or_else(|| corrupt(format!("case {id}: event {actual} is missing")))?;
            let prev = chain::from_hex(&head.hash)
                .ok_or_else(|| corrupt(format!("case {id}: event {actual} has no valid hash")))?;
            let mut case = load_in(txn, vault, id)
                .await?
                .ok_or_else(|| corrupt(format!("case {id}: history vanished")))?;
            // On PostgreSQL (read committed) each statement sees what other transactions have
            // committed so far: a writer that committed since the version was read shows up
            // here. That writer won; this one has lost the race.
            if case.version != expected {
                return Err(StorageError::Conflict {
                    case: id,
                    expected,
                    actual: case.version,
                }
                .into());
            }
            for event in batch {
                case.apply(event).map_err(refused)?;
            }
            (case, prev)
        };
        // Sealed before hashing: the chain is over the payloads as stored.
        let payloads = vault.seal_docs(txn, id, payloads).await?;
        let mut rows = Vec::with_capacity(batch.len());
        for (event, payload) in batch.iter().zip(payloads) {
            let hash = chain::link(&prev, &payload);
            rows.push(mapping::event_row(
                event,
                payload,
                chain::to_hex(&prev),
                chain::to_hex(&hash),
            )?);
            prev = hash;
        }
        events::Entity::insert_many(rows)
            .exec_without_returning(txn)
            .await
            .map_err(lost_or_storage)?;
        read_model::write_case(txn, vault, &case, &chain::to_hex(&prev))
            .await
            .map_err(lost_or_storage)?;
        Ok(())
    }
}

impl Store {
    /// Opens the cases of `batches` that do not exist yet inside `txn`, with a few multi-row
    /// inserts per table instead of statements per case; returns their ids in order.
    async fn append_new_in(
        txn: &sea_orm::DatabaseTransaction,
        vault: &Vault,
        batches: Vec<(CaseId, &[RecordedEvent], Vec<String>)>,
    ) -> Result<Vec<CaseId>, AppendFailure> {
        let ids: Vec<Uuid> = batches.iter().map(|(id, ..)| id.as_uuid()).collect();
        let existing = existing_case_ids(txn, &ids).await?;
        let mut created = Vec::with_capacity(batches.len());
        let mut rows = Vec::new();
        let mut fresh = read_model::FreshRows::default();
        for (id, history, payloads) in batches {
            if existing.contains(&id.as_uuid()) {
                continue;
            }
            let case = Case::replay(history).map_err(|e| {
                AppendFailure::Storage(corrupt(format!("refused to append to case {id}: {e}")))
            })?;
            let payloads = vault.seal_docs(txn, id, payloads).await?;
            let mut prev = GENESIS;
            for (event, payload) in history.iter().zip(payloads) {
                let hash = chain::link(&prev, &payload);
                rows.push(mapping::event_row(
                    event,
                    payload,
                    chain::to_hex(&prev),
                    chain::to_hex(&hash),
                )?);
                prev = hash;
            }
            fresh.add(&case, &chain::to_hex(&prev)).map_err(storage)?;
            created.push(id);
        }
        read_model::insert_chunked(txn, rows)
            .await
            .map_err(lost_or_storage)?;
        fresh.insert(txn, vault).await.map_err(lost_or_storage)?;
        Ok(created)
    }
}

/// Which of the case ids `ids` have events, with one query per [`BATCH`] ids.
async fn existing_case_ids<C: ConnectionTrait>(
    conn: &C,
    ids: &[Uuid],
) -> Result<HashSet<Uuid>, StorageError> {
    let mut out = HashSet::new();
    for chunk in ids.chunks(BATCH) {
        let found: Vec<Uuid> = events::Entity::find()
            .select_only()
            .column(events::Column::CaseId)
            .filter(events::Column::CaseId.is_in(chunk.iter().copied()))
            .filter(events::Column::Sequence.eq(1))
            .into_tuple()
            .all(conn)
            .await
            .map_err(storage)?;
        out.extend(found);
    }
    Ok(out)
}

#[async_trait]
impl CaseRepository for Store {
    async fn history(&self, id: CaseId) -> Result<Vec<RecordedEvent>, StorageError> {
        history_in(self.conn(), self.vault(), id).await
    }

    async fn load(&self, id: CaseId) -> Result<Option<Case>, StorageError> {
        load_in(self.conn(), self.vault(), id).await
    }

    async fn append(
        &self,
        id: CaseId,
        expected_version: u64,
        events: &[RecordedEvent],
    ) -> Result<(), StorageError> {
        let payloads = checked_payloads(id, expected_version, events)?;
        let txn = begin_write(self.conn()).await.map_err(storage)?;
        let result =
            Self::append_in(&txn, self.vault(), id, expected_version, events, payloads).await;
        self.finish_append(txn, id, expected_version, result).await
    }

    async fn append_with_document(
        &self,
        id: CaseId,
        expected_version: u64,
        events: &[RecordedEvent],
        document: &KeptDocument,
    ) -> Result<(), StorageError> {
        check_document(id, document)?;
        let payloads = checked_payloads(id, expected_version, events)?;
        let txn = begin_write(self.conn()).await.map_err(storage)?;
        let result =
            match Self::append_in(&txn, self.vault(), id, expected_version, events, payloads).await
            {
                Ok(()) => keep_document(&txn, self.vault(), document).await,
                Err(failure) => Err(failure),
            };
        self.finish_append(txn, id, expected_version, result).await
    }

    async fn document(
        &self,
        case: CaseId,
        document: DocumentId,
    ) -> Result<Option<Vec<u8>>, StorageError> {
        let Some(row) = sent_documents::Entity::find_by_id(document.as_uuid())
            .filter(sent_documents::Column::CaseId.eq(case.as_uuid()))
            .one(self.conn())
            .await
            .map_err(storage)?
        else {
            return Ok(None);
        };
        let bytes = self
            .vault()
            .open_document(
                self.conn(),
                row.case_id,
                row.document_id,
                row.content,
                row.sealed,
            )
            .await?;
        if hex::encode(Sha256::digest(&bytes)) != row.sha256 {
            return Err(corrupt(format!(
                "case {case}: the kept document {document} does not have its SHA-256"
            )));
        }
        Ok(Some(bytes))
    }

    async fn append_new_cases(
        &self,
        histories: &[Vec<RecordedEvent>],
    ) -> Result<Vec<CaseId>, StorageError> {
        let mut batches = Vec::with_capacity(histories.len());
        let mut given = HashSet::with_capacity(histories.len());
        for history in histories {
            let Some(first) = history.first() else {
                continue;
            };
            let id = first.case_id;
            let payloads = checked_payloads(id, 0, history)?;
            // The first history of an id counts; a repeated one is skipped like a stored case.
            if given.insert(id) {
                batches.push((id, history.as_slice(), payloads));
            }
        }
        // One transaction for all: an import either lands completely or not at all.
        let txn = begin_write(self.conn()).await.map_err(storage)?;
        match Self::append_new_in(&txn, self.vault(), batches).await {
            Ok(created) => {
                txn.commit().await.map_err(storage)?;
                Ok(created)
            }
            Err(failure) => {
                let _ = txn.rollback().await;
                Err(match failure {
                    AppendFailure::Storage(e) => e,
                    AppendFailure::LostRace => {
                        // Another writer opened one of the cases meanwhile; name one of them.
                        let ids: Vec<Uuid> = given.iter().map(|id| id.as_uuid()).collect();
                        let taken = existing_case_ids(self.conn(), &ids).await?;
                        let case = taken
                            .iter()
                            .next()
                            .or_else(|| ids.first())
                            .copied()
                            .map_or_else(|| CaseId::from_uuid(Uuid::nil()), CaseId::from_uuid);
                        StorageError::Conflict {
                            case,
                            expected: 0,
                            actual: 1,
                        }
                    }
                })
            }
        }
    }

    async fn list(&self, filter: &CaseFilter) -> Result<Vec<CaseSummary>, StorageError> {
        if filter
            .name_contains
            .as_deref()
            .is_some_and(|n| self.cannot_be_stored(n))
        {
            return Ok(Vec::new());
        }
        list_query(filter)
            .into_model::<cases::Summary>()
            .all(self.conn())
            .await
            .map_err(storage)?
            .iter()
            .map(mapping::summary_from_row)
            .collect()
    }

    async fn possible_duplicates(
        &self,
        client: &ClientIdentity,
    ) -> Result<Vec<(CaseSummary, DuplicateMatch)>, StorageError> {
        let Some(condition) = mapping::duplicate_condition(client) else {
            return Ok(Vec::new());
        };
        if self.cannot_be_stored(client.family_name.as_str())
            || self.cannot_be_stored(client.given_name.as_str())
        {
            return Ok(Vec::new());
        }
        let mut ids: Vec<Uuid> = case_clients::Entity::find()
            .select_only()
            .column(case_clients::Column::CaseId)
            .filter(condition)
            .into_tuple()
            .all(self.conn())
            .await
            .map_err(storage)?;
        ids.sort_unstable();
        // The index finds candidates; the domain decides what counts as a match.
        Ok(load_many(self.conn(), self.vault(), &ids)
            .await?
            .into_iter()
            .filter_map(|case| {
                duplicate_match(client, &case.referral.client).map(|m| (case.summary(), m))
            })
            .collect())
    }

    async fn duplicate_candidates(
        &self,
        clients: &[ClientIdentity],
    ) -> Result<Vec<(CaseSummary, ClientIdentity)>, StorageError> {
        // What the file asks for: folded names, and under each the birth dates and postcodes.
        let mut wanted: HashMap<String, (HashSet<chrono::NaiveDate>, HashSet<String>)> =
            HashMap::new();
        for client in clients {
            if self.cannot_be_stored(client.family_name.as_str())
                || self.cannot_be_stored(client.given_name.as_str())
            {
                continue;
            }
            let (births, postcodes) = wanted
                .entry(wegbereiter_core::referral::name_key(client))
                .or_default();
            births.extend(client.date_of_birth);
            postcodes.extend(
                client
                    .address
                    .as_ref()
                    .map(|a| a.postcode.as_str().to_owned()),
            );
        }
        wanted.retain(|_, (births, postcodes)| !births.is_empty() || !postcodes.is_empty());
        let keys: Vec<String> = wanted.keys().cloned().collect();
        let mut ids: Vec<Uuid> = Vec::new();
        for chunk in keys.chunks(BATCH) {
            let rows = case_clients::Entity::find()
                .filter(case_clients::Column::NameKey.is_in(chunk.iter().cloned()))
                .all(self.conn())
                .await
                .map_err(storage)?;
            ids.extend(rows.into_iter().filter_map(|row| {
                let (births, postcodes) = wanted.get(&row.name_key)?;
                let by_birth = row.date_of_birth.is_some_and(|b| births.contains(&b));
                let by_postcode = row.postcode.as_ref().is_some_and(|p| postcodes.contains(p));
                (by_birth || by_postcode).then_some(row.case_id)
            }));
        }
        ids.sort_unstable();
        ids.dedup();
        // The index finds candidates; the caller's domain function decides what matches.
        Ok(load_many(self.conn(), self.vault(), &ids)
            .await?
            .into_iter()
            .map(|case| (case.summary(), case.referral.client))
            .collect())
    }

    async fn existing_cases(&self, ids: &[CaseId]) -> Result<Vec<CaseId>, StorageError> {
        let uuids: Vec<Uuid> = ids.iter().map(|id| id.as_uuid()).collect();
        let found = existing_case_ids(self.conn(), &uuids).await?;
        Ok(ids
            .iter()
            .copied()
            .filter(|id| found.contains(&id.as_uuid()))
            .collect())
    }
}

/// Records a write outside the case histories.
pub(crate) async fn audit<C: ConnectionTrait>(
    conn: &C,
    stamp: AuditStamp,
    action: &str,
    subject: String,
) -> Result<(), StorageError> {
    audit_log::Entity::insert(mapping::audit_row(stamp, action, subject))
        .exec_without_returning(conn)
        .await
        .map(|_| ())
        .map_err(storage)
}

/// Writes `member` as `how` says inside the open transaction `txn`, with its team rows and
/// the audit lines of what changed (roles granted or removed, deactivated or reactivated).
///
/// # Errors
/// [`StorageError::AlreadyExists`] if another member has the same login (or, for
/// [`Write::Insert`], the same id).
pub(crate) async fn save_staff_in<C: ConnectionTrait>(
    txn: &C,
    member: &StaffMember,
    stamp: AuditStamp,
    how: Write,
) -> Result<(), StorageError> {
    let row = mapping::staff_row(member)?;
    let team_rows = mapping::staff_team_rows(member)?;
    let before = staff::Entity::find_by_id(member.id.as_uuid())
        .one(txn)
        .await
        .map_err(storage)?;
    write_row(row, txn, how)
        .await
        .map_err(|e| exists_or(e, || format!("login {}", member.login)))?;
    staff_teams::Entity::delete_many()
        .filter(staff_teams::Column::StaffId.eq(member.id.as_uuid()))
        .exec(txn)
        .await
        .map_err(storage)?;
    staff_teams::Entity::insert_many(team_rows)
        .exec_without_returning(txn)
        .await
        .map_err(storage)?;
    if let Some(before) = before {
        staff_changes(txn, &before, member, stamp).await?;
    }
    audit(
        txn,
        stamp,
        "staff.saved",
        crate::AuditSubject::Staff {
            id: member.id,
            login: Some(member.login.to_string()),
        }
        .stored(),
    )
    .await?;
    Ok(())
}

/// How a directory entry is written: created or replaced (the administration pages, the
/// CLI), or only created (the JSON API's creating POSTs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Write {
    /// Insert, or replace the row with the same id.
    Upsert,
    /// Insert; a row with the same id (or unique name) is refused by the database, so of
    /// two concurrent writers with one id exactly one creates the row, on both backends.
    Insert,
}

/// Writes `row` inside `conn` as `how` says.
async fn write_row<A, C>(row: A, conn: &C, how: Write) -> Result<(), sea_orm::DbErr>
where
    A: ActiveModelTrait,
    C: ConnectionTrait,
{
    match how {
        Write::Upsert => upsert(row, conn).await,
        Write::Insert => A::Entity::insert(row)
            .exec_without_returning(conn)
            .await
            .map(|_| ()),
    }
}

/// `AlreadyExists(what)` for a unique violation, otherwise the backend's error.
fn exists_or(e: sea_orm::DbErr, what: impl FnOnce() -> String) -> StorageError {
    if is_unique_violation(&e) {
        StorageError::AlreadyExists(what())
    } else {
        storage(e)
    }
}

/// Writes `team` inside `txn`, audited (`team.saved`).
///
/// # Errors
/// [`StorageError::AlreadyExists`] if another team has the same name (or, for
/// [`Write::Insert`], the same id).
async fn save_team_in<C: ConnectionTrait>(
    txn: &C,
    team: &Team,
    stamp: AuditStamp,
    how: Write,
) -> Result<(), StorageError> {
    write_row(mapping::team_row(team), txn, how)
        .await
        .map_err(|e| exists_or(e, || format!("team {}", team.name)))?;
    let subject = crate::AuditSubject::Team {
        id: team.id,
        name: team.name.to_string(),
    };
    audit(txn, stamp, "team.saved", subject.stored()).await
}

/// Writes `service` inside `txn`, audited (`service.saved`).
///
/// # Errors
/// [`StorageError::AlreadyExists`] for [`Write::Insert`] if its id exists.
async fn save_service_in<C: ConnectionTrait>(
    txn: &C,
    service: &SpecialistService,
    stamp: AuditStamp,
    how: Write,
) -> Result<(), StorageError> {
    write_row(mapping::service_row(service), txn, how)
        .await
        .map_err(|e| exists_or(e, || format!("service {}", service.id)))?;
    let subject = crate::AuditSubject::Service {
        id: service.id,
        name: service.name.to_string(),
    };
    audit(txn, stamp, "service.saved", subject.stored()).await
}

/// Writes `session` inside `txn`, audited (`group_session.saved`).
///
/// # Errors
/// [`StorageError::AlreadyExists`] for [`Write::Insert`] if its id exists.
async fn save_group_session_in<C: ConnectionTrait>(
    txn: &C,
    session: &GroupSession,
    stamp: AuditStamp,
    how: Write,
) -> Result<(), StorageError> {
    write_row(mapping::group_session_row(session), txn, how)
        .await
        .map_err(|e| exists_or(e, || format!("group session {}", session.id)))?;
    let subject = crate::AuditSubject::GroupSession {
        id: session.id,
        label: format!("{}, {}", session.date, session.title),
    };
    audit(txn, stamp, "group_session.saved", subject.stored()).await
}

/// Creating, never replacing: the JSON API's `POST /teams`, `/services` and
/// `/group-sessions`. A plain insert, so the database's primary key (and a team's unique
/// name) refuses what exists, also when two requests race.
impl Store {
    /// Creates `team`, audited (`team.saved`).
    ///
    /// # Errors
    /// [`StorageError::AlreadyExists`] if a team with this id or name exists; other
    /// [`StorageError`]s on backend failure.
    pub async fn add_team(&self, team: &Team, stamp: AuditStamp) -> Result<(), StorageError> {
        let txn = begin_write(self.conn()).await.map_err(storage)?;
        save_team_in(&txn, team, stamp, Write::Insert).await?;
        txn.commit().await.map_err(storage)
    }

    /// Creates `service` in the directory, audited (`service.saved`).
    ///
    /// # Errors
    /// [`StorageError::AlreadyExists`] if a service with this id exists; other
    /// [`StorageError`]s on backend failure.
    pub async fn add_service(
        &self,
        service: &SpecialistService,
        stamp: AuditStamp,
    ) -> Result<(), StorageError> {
        let txn = begin_write(self.conn()).await.map_err(storage)?;
        save_service_in(&txn, service, stamp, Write::Insert).await?;
        txn.commit().await.map_err(storage)
    }

    /// Creates the group session `session`, audited (`group_session.saved`).
    ///
    /// # Errors
    /// [`StorageError::AlreadyExists`] if a group session with this id exists; other
    /// [`StorageError`]s on backend failure.
    pub async fn add_group_session(
        &self,
        session: &GroupSession,
        stamp: AuditStamp,
    ) -> Result<(), StorageError> {
        let txn = begin_write(self.conn()).await.map_err(storage)?;
        save_group_session_in(&txn, session, stamp, Write::Insert).await?;
        txn.commit().await.map_err(storage)
    }
}

/// What a save of an existing staff member changed that the audit log names and that ends
/// the person's sign-ins: each role granted or removed (named), a deactivation or
/// reactivation. Any of them revokes every web session of the person, inside `txn`, so that
/// nobody keeps working with rights they no longer have (and a reactivated account does not
/// get its old sessions back).
async fn staff_changes<C: ConnectionTrait>(
    txn: &C,
    before: &staff::Model,
    member: &StaffMember,
    stamp: AuditStamp,
) -> Result<(), StorageError> {
    let old_roles: Vec<String> = serde_json::from_str(&before.roles)
        .map_err(|e| corrupt(format!("staff {}: roles: {e}", member.id)))?;
    let new_roles: Vec<&str> = member
        .roles
        .iter()
        .map(|r| wegbereiter_core::vocab::Labelled::key(*r))
        .collect();
    let login = member.login.to_string();
    let role_line = |role: &str| crate::AuditSubject::StaffRole {
        id: member.id,
        login: login.clone(),
        role: role.to_owned(),
    };
    let mut changed = false;
    for role in &new_roles {
        if !old_roles.iter().any(|r| r == role) {
            audit(txn, stamp, "staff.role_granted", role_line(role).stored()).await?;
            changed = true;
        }
    }
    for role in &old_roles {
        if !new_roles.contains(&role.as_str()) {
            audit(txn, stamp, "staff.role_removed", role_line(role).stored()).await?;
            changed = true;
        }
    }
    if before.active != member.active {
        let action = if member.active {
            "staff.reactivated"
        } else {
            "staff.deactivated"
        };
        let subject = crate::AuditSubject::Staff {
            id: member.id,
            login: Some(login.clone()),
        };
        audit(txn, stamp, action, subject.stored()).await?;
        changed = true;
    }
    if changed {
        crate::web::revoke_sessions(txn, member.id).await?;
    }
    Ok(())
}

/// Inserts `row`, or replaces every other column of the row with the same primary key.
pub(crate) async fn upsert<A, C>(row: A, conn: &C) -> Result<(), sea_orm::DbErr>
where
    A: ActiveModelTrait,
    C: ConnectionTrait,
{
    use sea_orm::{IdenStatic, PrimaryKeyToColumn};
    type E<A> = <A as ActiveModelTrait>::Entity;
    let pk: Vec<<E<A> as EntityTrait>::Column> =
        <<E<A> as EntityTrait>::PrimaryKey as Iterable>::iter()
            .map(PrimaryKeyToColumn::into_column)
            .collect();
    let pk_names: Vec<&str> = pk.iter().map(IdenStatic::as_str).collect();
    let rest = <<E<A> as EntityTrait>::Column as Iterable>::iter()
        .filter(|c| !pk_names.contains(&c.as_str()));
    E::<A>::insert(row)
        .on_conflict(OnConflict::columns(pk).update_columns(rest).to_owned())
        .exec_without_returning(conn)
        .await
        .map(|_| ())
}

async fn staff_teams_of<C: ConnectionTrait>(
    conn: &C,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<staff_teams::Model>>, StorageError> {
    let mut out: HashMap<Uuid, Vec<staff_teams::Model>> = HashMap::new();
    for chunk in ids.chunks(BATCH) {
        for row in staff_teams::Entity::find()
            .filter(staff_teams::Column::StaffId.is_in(chunk.iter().copied()))
            .all(conn)
            .await
            .map_err(storage)?
        {
            out.entry(row.staff_id).or_default().push(row);
        }
    }
    Ok(out)
}

impl Store {
    async fn staff_where(
        &self,
        condition: sea_orm::sea_query::Condition,
    ) -> Result<Vec<StaffMember>, StorageError> {
        let rows = staff::Entity::find()
            .filter(condition)
            .all(self.conn())
            .await
            .map_err(storage)?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let mut teams = staff_teams_of(self.conn(), &ids).await?;
        rows.into_iter()
            .map(|row| {
                let t = teams.remove(&row.id).unwrap_or_default();
                mapping::staff_from_rows(row, t)
            })
            .collect()
    }
}

#[async_trait]
impl StaffDirectory for Store {
    async fn staff(&self, id: StaffId) -> Result<Option<StaffMember>, StorageError> {
        let cond = sea_orm::sea_query::Condition::all().add(staff::Column::Id.eq(id.as_uuid()));
        Ok(self.staff_where(cond).await?.into_iter().next())
    }

    async fn staff_by_login(&self, login: &str) -> Result<Option<StaffMember>, StorageError> {
        if self.cannot_be_stored(login) {
            return Ok(None);
        }
        let cond = sea_orm::sea_query::Condition::all()
            .add(staff::Column::LoginKey.eq(mapping::login_key(login)));
        Ok(self.staff_where(cond).await?.into_iter().next())
    }

    async fn list_staff(&self) -> Result<Vec<StaffMember>, StorageError> {
        let mut out = self
            .staff_where(sea_orm::sea_query::Condition::all())
            .await?;
        // Sorted here, not in SQL: PostgreSQL would sort by the database's locale.
        out.sort_by(|a, b| {
            a.display_name
                .cmp(&b.display_name)
                .then_with(|| a.id.cmp(&b.id))
        });
        Ok(out)
    }

    async fn save_staff(
        &self,
        member: &StaffMember,
        stamp: AuditStamp,
    ) -> Result<(), StorageError> {
        let txn = begin_write(self.conn()).await.map_err(storage)?;
        save_staff_in(&txn, member, stamp, Write::Upsert).await?;
        txn.commit().await.map_err(storage)
    }

    async fn team(&self, id: TeamId) -> Result<Option<Team>, StorageError> {
        teams::Entity::find_by_id(id.as_uuid())
            .one(self.conn())
            .await
            .map_err(storage)?
            .map(mapping::team_from_row)
            .transpose()
    }

    async fn list_teams(&self) -> Result<Vec<Team>, StorageError> {
        let mut out = teams::Entity::find()
            .all(self.conn())
            .await
            .map_err(storage)?
            .into_iter()
            .map(mapping::team_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        out.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
        Ok(out)
    }

    async fn save_team(&self, team: &Team, stamp: AuditStamp) -> Result<(), StorageError> {
        let txn = begin_write(self.conn()).await.map_err(storage)?;
        save_team_in(&txn, team, stamp, Write::Upsert).await?;
        txn.commit().await.map_err(storage)
    }
}

#[async_trait]
impl ServiceDirectory for Store {
    async fn service(&self, id: ServiceId) -> Result<Option<SpecialistService>, StorageError> {
        services::Entity::find_by_id(id.as_uuid())
            .one(self.conn())
            .await
            .map_err(storage)?
            .map(mapping::service_from_row)
            .transpose()
    }

    async fn list_services(&self) -> Result<Vec<SpecialistService>, StorageError> {
        let mut out = services::Entity::find()
            .all(self.conn())
            .await
            .map_err(storage)?
            .into_iter()
            .map(mapping::service_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        out.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
        Ok(out)
    }

    async fn save_service(
        &self,
        service: &SpecialistService,
        stamp: AuditStamp,
    ) -> Result<(), StorageError> {
        let txn = begin_write(self.conn()).await.map_err(storage)?;
        save_service_in(&txn, service, stamp, Write::Upsert).await?;
        txn.commit().await.map_err(storage)
    }

    async fn group_session(
        &self,
        id: GroupSessionId,
    ) -> Result<Option<GroupSession>, StorageError> {
        group_sessions::Entity::find_by_id(id.as_uuid())
            .one(self.conn())
            .await
            .map_err(storage)?
            .map(mapping::group_session_from_row)
            .transpose()
    }

    async fn list_group_sessions(&self) -> Result<Vec<GroupSession>, StorageError> {
        let mut out = group_sessions::Entity::find()
            .order_by_desc(group_sessions::Column::Date)
            .all(self.conn())
            .await
            .map_err(storage)?
            .into_iter()
            .map(mapping::group_session_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        out.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
        Ok(out)
    }

    async fn save_group_session(
        &self,
        session: &GroupSession,
        stamp: AuditStamp,
    ) -> Result<(), StorageError> {
        let txn = begin_write(self.conn()).await.map_err(storage)?;
        save_group_session_in(&txn, session, stamp, Write::Upsert).await?;
        txn.commit().await.map_err(storage)
    }
}

#[async_trait]
impl AccessLog for Store {
    async fn record_access(&self, entry: &AccessEntry) -> Result<(), StorageError> {
        // The reader as named now, kept with the read: a later rename must not change (or
        // hide) who read a case file.
        let reader = staff::Entity::find_by_id(entry.actor.as_uuid())
            .one(self.conn())
            .await
            .map_err(storage)?;
        access_log::Entity::insert(mapping::access_row(entry, reader.as_ref())?)
            .exec_without_returning(self.conn())
            .await
            .map(|_| ())
            .map_err(storage)
    }

    async fn accesses(&self, case_id: CaseId) -> Result<Vec<AccessEntry>, StorageError> {
        access_log::Entity::find()
            .filter(access_log::Column::CaseId.eq(case_id.as_uuid()))
            .order_by_asc(access_log::Column::Id)
            .all(self.conn())
            .await
            .map_err(storage)?
            .into_iter()
            .map(mapping::access_from_row)
            .collect()
    }
}

/// Refuses a document of another case or whose bytes do not have its SHA-256, before the
/// database is touched.
fn check_document(id: CaseId, document: &KeptDocument) -> Result<(), StorageError> {
    if document.case_id != id {
        return Err(corrupt(format!(
            "refused to keep document {} of case {} with case {id}",
            document.id, document.case_id
        )));
    }
    if hex::encode(Sha256::digest(&document.bytes)) != document.sha256.as_str() {
        return Err(corrupt(format!(
            "refused to keep document {} of case {id}: its bytes do not have the SHA-256 {}",
            document.id, document.sha256
        )));
    }
    Ok(())
}

/// Inserts `document` (sealed with its case's key where the store has one) inside the
/// append's transaction; a document id kept already is [`StorageError::AlreadyExists`].
async fn keep_document(
    txn: &sea_orm::DatabaseTransaction,
    vault: &Vault,
    document: &KeptDocument,
) -> Result<(), AppendFailure> {
    let (case, id) = (document.case_id.as_uuid(), document.id.as_uuid());
    let (content, sealed) = vault.seal_document(txn, case, id, &document.bytes).await?;
    let row = sent_documents::ActiveModel {
        document_id: Set(id),
        case_id: Set(case),
        media_type: Set(document.media_type.to_owned()),
        sha256: Set(document.sha256.to_string()),
        byte_len: Set(i64::try_from(document.bytes.len()).unwrap_or(i64::MAX)),
        sealed: Set(sealed),
        content: Set(content),
    };
    sent_documents::Entity::insert(row)
        .exec_without_returning(txn)
        .await
        .map(drop)
        .map_err(|e| {
            if is_unique_violation(&e) {
                AppendFailure::Storage(StorageError::AlreadyExists(format!(
                    "document {}",
                    document.id
                )))
            } else {
                AppendFailure::Storage(storage(e))
            }
        })
}

impl Store {
    /// Commits an append that went through, or rolls it back and names the failure.
    async fn finish_append(
        &self,
        txn: sea_orm::DatabaseTransaction,
        id: CaseId,
        expected_version: u64,
        result: Result<(), AppendFailure>,
    ) -> Result<(), StorageError> {
        match result {
            Ok(()) => txn.commit().await.map_err(storage),
            Err(failure) => {
                // Rolling back explicitly returns the connection at once; dropping would too.
                let _ = txn.rollback().await;
                match failure {
                    AppendFailure::Storage(e) => Err(e),
                    AppendFailure::LostRace => {
                        let actual = current_version(self.conn(), id)
                            .await
                            .unwrap_or(expected_version + 1);
                        Err(StorageError::Conflict {
                            case: id,
                            expected: expected_version,
                            actual,
                        })
                    }
                }
            }
        }
    }
}
