//! Tamper evidence: every stored event carries a hash over its content and its predecessor's
//! hash, per case.
//!
//! `hash(n) = SHA-256(prev_hash(n) ‖ payload(n))`, where `prev_hash(n)` is the 32 raw bytes of
//! `hash(n-1)` (32 zero bytes for the first event of a case) and `payload(n)` the UTF-8 bytes
//! of the event's canonical JSON exactly as stored in `events.payload`. Hashes are stored as
//! lower-case hex. Changing, removing or reordering a stored event breaks the chain at that
//! event or the next one; [`crate::Store::verify`] reports the first broken link.
//!
//! Erasing a category's content (see `retention`) replaces events by `redacted.v1` stubs
//! that keep their stored hashes; the `content_erased.v1` event appended after them lists
//! those hashes, and [`crate::Store::verify`] accepts a stub exactly when its stored hash is
//! the listed one. The chain thus stays verifiable after an erasure, and a stub nobody
//! recorded breaks it.
//!
//! The chain makes tampering *evident*, not impossible: someone with write access to the
//! database can recompute every hash. Operators who need more record the head hashes
//! elsewhere (see `docs/operations.md`).

use std::collections::{HashMap, VecDeque};

use futures_util::StreamExt;
use sea_orm::prelude::Uuid;
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult, Statement, StreamTrait};
use sha2::{Digest, Sha256};
use wegbereiter_core::event::{CaseEvent, RecordedEvent};
use wegbereiter_core::ids::CaseId;
use wegbereiter_core::ports::StorageError;

use crate::entity::events;
use crate::error::storage;
use crate::{BrokenLink, Store, VerifyReport, begin_snapshot, mapping};

/// The hash a case's first event links to: 32 zero bytes.
pub(crate) const GENESIS: [u8; 32] = [0; 32];

/// The hash of an event with predecessor hash `prev` and stored payload `payload`.
pub(crate) fn link(prev: &[u8; 32], payload: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(prev);
    hasher.update(payload.as_bytes());
    hasher.finalize().into()
}

/// Hex as stored.
pub(crate) fn to_hex(hash: &[u8; 32]) -> String {
    hex::encode(hash)
}

/// A stored hex hash, if it is one.
pub(crate) fn from_hex(text: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(text, &mut out).ok()?;
    Some(out)
}

/// Checks one stored event against its predecessor's hash. Returns the event's own hash, or
/// why the link is broken.
pub(crate) fn check_link(
    expected_prev: &[u8; 32],
    stored_prev: &str,
    stored_hash: &str,
    payload: &str,
) -> Result<[u8; 32], String> {
    if from_hex(stored_prev).as_ref() != Some(expected_prev) {
        return Err("prev_hash does not match the hash of the preceding event".into());
    }
    let hash = link(expected_prev, payload);
    if from_hex(stored_hash) != Some(hash) {
        return Err("hash does not match the stored content".into());
    }
    Ok(hash)
}

/// The event of a row with a placeholder for each sealed text: checks its shape and its
/// columns without the key (see `vault`).
fn blind_event(row: &events::Model) -> Result<RecordedEvent, String> {
    let payload = crate::vault::blind(&row.payload)?;
    mapping::event_from_stored(row, &payload)
}

/// Seals the plaintext content of one case (its events and its stored state) and re-links
/// its chain over the sealed payloads; a redacted stub keeps the hash its erasure listed.
/// Refuses, changing nothing, if the chain is broken before. Returns the events sealed.
pub(crate) async fn reseal_case<C: ConnectionTrait>(
    conn: &C,
    vault: &crate::vault::Vault,
    id: Uuid,
    rows: Vec<events::Model>,
) -> Result<u64, StorageError> {
    use crate::entity::cases;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let Some(state_row) = cases::Entity::find_by_id(id)
        .one(conn)
        .await
        .map_err(storage)?
    else {
        return Ok(0);
    };
    let head = (state_row.version, state_row.head_hash.clone());
    check_case(id, &rows, Some(&head)).map_err(|b| {
        StorageError::Corrupt(format!(
            "cannot seal case {id}: its chain is broken at event {}: {}",
            b.sequence, b.reason
        ))
    })?;
    let case_id = CaseId::from_uuid(id);
    let erased = erased_hashes(&rows);
    let mut docs: Vec<String> = rows.iter().map(|r| r.payload.clone()).collect();
    docs.push(state_row.state.clone());
    let mut sealed = vault.seal_docs(conn, case_id, docs).await?;
    let state = sealed.pop().unwrap_or_default();
    let mut prev = GENESIS;
    let mut n = 0;
    for (row, payload) in rows.iter().zip(sealed) {
        let sequence = u64::try_from(row.sequence).unwrap_or(0);
        let hash = match erased.get(&sequence) {
            Some(listed) if row.event_type == REDACTED_TAG => {
                from_hex(listed).ok_or_else(|| {
                    StorageError::Corrupt(format!("case {id}: a listed hash is not valid"))
                })?
            }
            _ => link(&prev, &payload),
        };
        let (prev_hex, hash_hex) = (to_hex(&prev), to_hex(&hash));
        if payload != row.payload || prev_hex != row.prev_hash || hash_hex != row.hash {
            n += u64::from(payload != row.payload);
            events::Entity::update_many()
                .col_expr(events::Column::Payload, Expr::value(payload))
                .col_expr(events::Column::PrevHash, Expr::value(prev_hex))
                .col_expr(events::Column::Hash, Expr::value(hash_hex))
                .filter(events::Column::CaseId.eq(id))
                .filter(events::Column::Sequence.eq(row.sequence))
                .exec(conn)
                .await
                .map_err(storage)?;
        }
        prev = hash;
    }
    cases::Entity::update_many()
        .col_expr(cases::Column::State, Expr::value(state))
        .col_expr(cases::Column::HeadHash, Expr::value(to_hex(&prev)))
        .filter(cases::Column::Id.eq(id))
        .exec(conn)
        .await
        .map_err(storage)?;
    Ok(n)
}

/// The stored tag of a redacted event's stub.
const REDACTED_TAG: &str = "redacted.v1";

/// The hashes the `content_erased.v1` events of one case list, by sequence number.
fn erased_hashes(rows: &[events::Model]) -> HashMap<u64, String> {
    let mut out = HashMap::new();
    for row in rows.iter().filter(|r| r.event_type == "content_erased.v1") {
        if let Ok(RecordedEvent {
            event: CaseEvent::ContentErased { events, .. },
            ..
        }) = blind_event(row)
        {
            for e in events {
                out.insert(e.sequence, e.hash);
            }
        }
    }
    out
}

/// Checks a redacted event: it links to its predecessor, and its stored hash is the one the
/// erasure recorded. Returns that hash.
fn check_redacted(
    expected_prev: &[u8; 32],
    stored_prev: &str,
    stored_hash: &str,
    listed: &str,
) -> Result<[u8; 32], String> {
    if from_hex(stored_prev).as_ref() != Some(expected_prev) {
        return Err("prev_hash does not match the hash of the preceding event".into());
    }
    if stored_hash != listed {
        return Err(
            "the hash of a redacted event differs from the one its erasure recorded".into(),
        );
    }
    from_hex(stored_hash).ok_or_else(|| "the hash of a redacted event is not valid".into())
}

/// Checks one case's events (oldest first) and the head recorded in its `cases` row
/// (`version`, `head_hash`). Returns the number of events checked.
fn check_case(
    id: Uuid,
    rows: &[events::Model],
    head: Option<&(i64, String)>,
) -> Result<u64, BrokenLink> {
    let case_id = CaseId::from_uuid(id);
    let broken = |sequence: u64, reason: String| BrokenLink {
        case_id,
        sequence,
        reason,
    };
    let erased = erased_hashes(rows);
    let mut prev = GENESIS;
    let mut expected: u64 = 1;
    for row in rows {
        let sequence = u64::try_from(row.sequence).unwrap_or(0);
        if sequence != expected {
            return Err(broken(
                expected,
                format!("event {expected} is missing (found event {})", row.sequence),
            ));
        }
        prev = match erased.get(&sequence) {
            // A redacted event: its content is gone, so its hash cannot be recomputed; it
            // must be the hash a later `content_erased.v1` of this case lists for it (and
            // that event is itself checked by the chain).
            Some(listed) if row.event_type == REDACTED_TAG => {
                check_redacted(&prev, &row.prev_hash, &row.hash, listed)
                    .map_err(|reason| broken(sequence, reason))?
            }
            _ => check_link(&prev, &row.prev_hash, &row.hash, &row.payload)
                .map_err(|reason| broken(sequence, reason))?,
        };
        blind_event(row).map_err(|reason| broken(sequence, reason))?;
        expected += 1;
    }
    let last = expected - 1;
    match head {
        None => Err(broken(
            last,
            "the case has no row in the read model `cases`".into(),
        )),
        Some((version, _)) if u64::try_from(*version).ok() != Some(last) => Err(broken(
            last + 1,
            format!(
                "the read model records version {version} but the history ends at event {last}: \
                 events are missing or were added outside the store"
            ),
        )),
        Some((_, head_hash)) if from_hex(head_hash) != Some(prev) => Err(broken(
            last,
            "the head hash in the read model differs from the last event's hash".into(),
        )),
        Some(_) => Ok(last),
    }
}

impl Store {
    /// Checks every case's hash chain, and that each chain ends where the `cases` read model
    /// says it ends (so that removing the last events of a history is found too).
    ///
    /// Cases are checked in id order, events in sequence order; checking stops at the first
    /// broken link. Rows of `cases` without any events are reported after all chains.
    /// Reads one consistent snapshot; writers are not blocked.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure. A broken chain is not an error but the report's
    /// [`VerifyReport::first_broken`].
    pub async fn verify(&self) -> Result<VerifyReport, StorageError> {
        let txn = begin_snapshot(self.conn()).await.map_err(storage)?;
        let report = verify_chains(&txn).await?;
        if report.first_broken.is_some() {
            return Ok(report);
        }
        let report = VerifyReport {
            first_broken: first_orphan(&txn).await?,
            ..report
        };
        txn.commit().await.map_err(storage)?;
        Ok(report)
    }
}

/// One event row with the head its case's `cases` row records (`None` without such a row).
#[derive(FromQueryResult)]
struct ChainRow {
    case_id: Uuid,
    sequence: i64,
    event_type: String,
    payload: String,
    recorded_at: String,
    actor: Uuid,
    prev_hash: String,
    hash: String,
    head_version: Option<i64>,
    head_hash: Option<String>,
}

/// Every event in key order `(case_id, sequence)`, with its case's recorded head: one query,
/// read as a stream, so that memory stays bounded whatever the size of the database.
pub(crate) const CHAIN_QUERY: &str = "SELECT e.case_id, e.sequence, e.event_type, e.payload, \
     e.recorded_at, e.actor, e.prev_hash, e.hash, c.version AS head_version, \
     c.head_hash AS head_hash \
     FROM events e LEFT JOIN cases c ON c.id = e.case_id \
     ORDER BY e.case_id, e.sequence";

/// The cases of one batch: each case's events (oldest first) and recorded head.
type Batch = Vec<(Uuid, Vec<events::Model>, Option<(i64, String)>)>;

/// About this many events are checked together on the blocking thread pool.
const EVENTS_PER_BATCH: usize = 4096;

/// What checking one batch found: cases and events checked before the first broken link.
struct BatchResult {
    cases: u64,
    events: u64,
    broken: Option<BrokenLink>,
}

/// Adds a finished batch's result to `report`; `true` when a broken link ends the check.
fn settle(result: BatchResult, report: &mut VerifyReport) -> bool {
    report.cases_checked += result.cases;
    report.events_checked += result.events;
    report.first_broken = result.broken;
    report.first_broken.is_some()
}

fn check_batch(batch: &Batch) -> BatchResult {
    let mut out = BatchResult {
        cases: 0,
        events: 0,
        broken: None,
    };
    for (id, rows, head) in batch {
        match check_case(*id, rows, head.as_ref()) {
            Ok(n) => {
                out.cases += 1;
                out.events += n;
            }
            Err(link) => {
                out.broken = Some(link);
                break;
            }
        }
    }
    out
}

/// Checks every chain in key order, hashing and parsing on the blocking pool (two batches in
/// flight, so both cores work while the next rows stream in); stops at the first broken link.
async fn verify_chains(txn: &DatabaseTransaction) -> Result<VerifyReport, StorageError> {
    let mut report = VerifyReport {
        cases_checked: 0,
        events_checked: 0,
        first_broken: None,
    };
    let statement = Statement::from_string(ConnectionTrait::get_database_backend(txn), CHAIN_QUERY);
    let mut rows = txn.stream_raw(statement).await.map_err(storage)?;
    let mut in_flight: VecDeque<tokio::task::JoinHandle<BatchResult>> = VecDeque::new();
    let mut batch: Batch = Vec::new();
    let mut batch_events = 0;
    loop {
        let next = rows.next().await;
        let row = match next {
            Some(row) => {
                Some(ChainRow::from_query_result(&row.map_err(storage)?, "").map_err(storage)?)
            }
            None => None,
        };
        let new_case = match (&row, batch.last()) {
            (Some(r), Some((id, _, _))) => r.case_id != *id,
            _ => true,
        };
        if new_case && (row.is_none() || batch_events >= EVENTS_PER_BATCH) && !batch.is_empty() {
            let full = std::mem::take(&mut batch);
            batch_events = 0;
            in_flight.push_back(tokio::task::spawn_blocking(move || check_batch(&full)));
            if in_flight.len() > 2
                && let Some(done) = in_flight.pop_front()
                && settle(done.await.map_err(joined)?, &mut report)
            {
                return Ok(report);
            }
        }
        let Some(row) = row else { break };
        let head = row.head_version.zip(row.head_hash.clone());
        let event = events::Model {
            case_id: row.case_id,
            sequence: row.sequence,
            event_type: row.event_type,
            payload: row.payload,
            recorded_at: row.recorded_at,
            actor: row.actor,
            prev_hash: row.prev_hash,
            hash: row.hash,
        };
        batch_events += 1;
        match batch.last_mut() {
            Some((id, events, _)) if *id == row.case_id => events.push(event),
            _ => batch.push((row.case_id, vec![event], head)),
        }
    }
    while let Some(done) = in_flight.pop_front() {
        if settle(done.await.map_err(joined)?, &mut report) {
            return Ok(report);
        }
    }
    Ok(report)
}

fn joined(e: tokio::task::JoinError) -> StorageError {
    StorageError::Backend(format!("checking the hash chains failed: {e}"))
}

/// The first `cases` row (by id) without any events: the whole history was removed.
async fn first_orphan(txn: &DatabaseTransaction) -> Result<Option<BrokenLink>, StorageError> {
    let row = txn
        .query_one_raw(Statement::from_string(
            ConnectionTrait::get_database_backend(txn),
            "SELECT c.id, c.version FROM cases c \
             WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.case_id = c.id) \
             ORDER BY c.id LIMIT 1",
        ))
        .await
        .map_err(storage)?;
    let Some(row) = row else {
        return Ok(None);
    };
    let id: Uuid = row.try_get("", "id").map_err(storage)?;
    let version: i64 = row.try_get("", "version").map_err(storage)?;
    Ok(Some(BrokenLink {
        case_id: CaseId::from_uuid(id),
        sequence: 1,
        reason: format!("the read model records version {version} but the case has no events"),
    }))
}
