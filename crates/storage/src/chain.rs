//! Tamper evidence: every stored event carries a hash over its content and its predecessor's
//! hash, per case.
//!
//! `hash(n) = SHA-256(prev_hash(n) ‖ payload(n))`, where `prev_hash(n)` is the 32 raw bytes of
//! `hash(n-1)` (32 zero bytes for the first event of a case) and `payload(n)` the UTF-8 bytes
//! of the event's canonical JSON exactly as stored in `events.payload`. Hashes are stored as
//! lower-case hex. Changing, removing or reordering a stored event breaks the chain at that
//! event or the next one; [`crate::Store::verify`] reports the first broken link.
//!
//! The chain makes tampering *evident*, not impossible: someone with write access to the
//! database can recompute every hash. Operators who need more record the head hashes
//! elsewhere (see `docs/operations.md`).

use std::collections::{HashMap, HashSet};

use sea_orm::prelude::Uuid;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use sha2::{Digest, Sha256};
use wegbereiter_core::ids::CaseId;
use wegbereiter_core::ports::StorageError;

use crate::entity::{cases, events};
use crate::error::storage;
use crate::read_model::{event_rows_of, next_case_ids};
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
        prev = check_link(&prev, &row.prev_hash, &row.hash, &row.payload)
            .map_err(|reason| broken(sequence, reason))?;
        mapping::event_from_row(row).map_err(|reason| broken(sequence, reason))?;
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
        let mut report = VerifyReport {
            cases_checked: 0,
            events_checked: 0,
            first_broken: None,
        };
        let mut seen: HashSet<Uuid> = HashSet::new();
        let mut after = None;
        loop {
            let ids = next_case_ids(&txn, after).await?;
            let Some(last) = ids.last().copied() else {
                break;
            };
            let heads: HashMap<Uuid, (i64, String)> = cases::Entity::find()
                .select_only()
                .columns([
                    cases::Column::Id,
                    cases::Column::Version,
                    cases::Column::HeadHash,
                ])
                .filter(cases::Column::Id.is_in(ids.iter().copied()))
                .into_tuple::<(Uuid, i64, String)>()
                .all(&txn)
                .await
                .map_err(storage)?
                .into_iter()
                .map(|(id, version, hash)| (id, (version, hash)))
                .collect();
            for (id, rows) in event_rows_of(&txn, &ids).await? {
                match check_case(id, &rows, heads.get(&id)) {
                    Ok(n) => {
                        report.cases_checked += 1;
                        report.events_checked += n;
                        seen.insert(id);
                    }
                    Err(link) => {
                        report.first_broken = Some(link);
                        return Ok(report);
                    }
                }
            }
            after = Some(last);
        }
        // A read-model row without any events: the whole history was removed.
        let orphan = cases::Entity::find()
            .select_only()
            .columns([cases::Column::Id, cases::Column::Version])
            .order_by_asc(cases::Column::Id)
            .into_tuple::<(Uuid, i64)>()
            .all(&txn)
            .await
            .map_err(storage)?
            .into_iter()
            .find(|(id, _)| !seen.contains(id));
        if let Some((id, version)) = orphan {
            report.first_broken = Some(BrokenLink {
                case_id: CaseId::from_uuid(id),
                sequence: 1,
                reason: format!(
                    "the read model records version {version} but the case has no events"
                ),
            });
        }
        txn.commit().await.map_err(storage)?;
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_depends_on_predecessor_and_content() {
        let a = link(&GENESIS, "{}");
        assert_ne!(a, link(&GENESIS, "{ }"));
        assert_ne!(link(&a, "{}"), a);
        assert_eq!(from_hex(&to_hex(&a)), Some(a));
        assert_eq!(
            check_link(&GENESIS, &to_hex(&GENESIS), &to_hex(&a), "{}"),
            Ok(a)
        );
        assert!(check_link(&GENESIS, &to_hex(&GENESIS), &to_hex(&a), "{ }").is_err());
        assert!(check_link(&a, &to_hex(&GENESIS), &to_hex(&a), "{}").is_err());
        assert_eq!(from_hex("zz"), None);
    }
}
