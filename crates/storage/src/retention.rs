//! Retention and erasure carried out (domain rules §5, Art. 17 and 18 GDPR): the
//! installation's retention rules, the plan over every ended case, and the steps that erase or
//! restrict, each case in one transaction.
//!
//! Core decides *what* may go ([`wegbereiter_core::retention`]: `plan`, `permits`,
//! `on_request`); this module only carries it out:
//! - **Erase a category's content**: every event of the category is replaced *in place* by a
//!   `redacted.v1` stub (tag and category, nothing else) that keeps the row's `prev_hash` and
//!   `hash`; a `content_erased.v1` event appended to the history lists each redacted event's
//!   sequence number, tag and the hash it had. `verify` accepts a stub exactly when a later
//!   `content_erased.v1` of the same case lists its stored hash, so the chain stays
//!   verifiable without the content (see `docs/storage.md`, "Hash chain").
//! - **Restrict**: a `restricted.v1` event; the case keeps only its `cases` row (with
//!   `restricted` set) and leaves every other query table, so no list, search, reminder,
//!   attendance sheet, duplicate hint or report finds it.
//! - **Erase the case**: its events, read-model rows and access-log entries are deleted; the
//!   audit log keeps a tombstone (`case.erased`: the case id, the category and the basis,
//!   never a name or content).
//!
//! Every step is recorded in the audit log in the same transaction.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::Uuid;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Serialize;
use wegbereiter_core::case::{Case, CaseStatus};
use wegbereiter_core::event::{CaseEvent, RecordedEvent};
use wegbereiter_core::ids::{CaseId, StaffId};
use wegbereiter_core::ports::{AuditStamp, StorageError};
use wegbereiter_core::privacy_request::{PrivacyRequest, RequestKind, RequestRefused};
use wegbereiter_core::retention::{
    self, CasePlan, ErasedEvent, ErasureRefused, RetentionAction, RetentionCategory,
    RetentionRules, Step,
};
use wegbereiter_core::staff::Actor;
use wegbereiter_core::text::Text;
use wegbereiter_core::vocab::{Labelled, Lang};

use crate::entity::{
    access_log, case_attendance, case_clients, case_esf, case_name_words, case_reminder_facts,
    case_reminder_triggers, case_statistics, cases, events, installation_settings, sent_documents,
};
use crate::error::{corrupt, storage};
use crate::mapping::{self, ts};
use crate::privacy_requests::RequestError;
use crate::repo::{BATCH, audit, load_many, upsert};
use crate::vault::Vault;
use crate::{AuditSubject, Store, begin_write, chain, read_model};

/// The stable name of the retention-rules row in `installation_settings`.
pub(crate) const RETENTION: &str = "retention";

/// The audit action of a change of the retention rules.
pub const RETENTION_SET: &str = "installation.retention_set";
/// The audit action (tombstone) of an erased case.
pub const CASE_ERASED: &str = "case.erased";
/// The audit action of an erased category's content.
pub const CONTENT_ERASED: &str = "case.content_erased";
/// The audit action of a restriction.
pub const CASE_RESTRICTED: &str = "case.restricted";

/// Why a retention step was not carried out.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RetentionError {
    /// No case with this id exists (or it was erased).
    #[error("case {0} not found")]
    NotFound(CaseId),
    /// No deactivated staff account with this id exists.
    #[error("no deactivated staff account {0}")]
    StaffNotFound(StaffId),
    /// Core's rules refuse the step (open case, a duty keeps the data, done before).
    #[error(transparent)]
    Refused(#[from] ErasureRefused),
    /// The stored retention rules do not pass core's check.
    #[error("invalid retention rules: {0}")]
    InvalidRules(String),
    /// Core refuses to record the request carried out as done in the register.
    #[error(transparent)]
    Request(RequestRefused),
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// One ended case's plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedCase {
    /// The case.
    pub case_id: CaseId,
    /// Its status.
    pub status: CaseStatus,
    /// The day it ended.
    pub ended_on: Option<NaiveDate>,
    /// Whether processing is already restricted.
    pub restricted: bool,
    /// Core's plan.
    pub plan: CasePlan,
}

/// What [`Store::apply_due`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// Cases changed.
    pub cases: u64,
    /// Steps carried out.
    pub steps: u64,
    /// Cases core refused at that moment (changed since the plan was read), with why; they
    /// stay in the plan.
    pub refused: Vec<(CaseId, ErasureRefused)>,
    /// Deactivated staff accounts whose personal fields were erased.
    pub staff_accounts: u64,
}

/// What [`Store::carry_out_request`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarriedOut {
    /// The steps carried out.
    pub steps: Vec<StepDone>,
    /// The requests of the register this answered (recorded as done).
    pub answered: Vec<PrivacyRequest>,
}

/// The note a request answered by `done` gets in the register (German, no content).
fn done_note(done: &[StepDone]) -> Result<Text, StorageError> {
    let what: Vec<String> = done
        .iter()
        .map(|d| {
            let action = match d.step.action {
                RetentionAction::EraseCase => "Fall gelöscht",
                RetentionAction::EraseContent => "Inhalte gelöscht",
                RetentionAction::Restrict => "Verarbeitung eingeschränkt",
            };
            format!("{action} ({})", d.step.category.label(Lang::De))
        })
        .collect();
    Text::parse(format!("Ausgeführt: {}", what.join(", ")))
        .map_err(|e| corrupt(format!("request note: {e}")))
}

/// What one carried-out step did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepDone {
    /// The step.
    pub step: Step,
    /// How many events were redacted (content erasure), or deleted (case erasure).
    pub events: u64,
}

impl Store {
    /// The installation's retention rules: as stored, else the defaults of the domain rules.
    ///
    /// # Errors
    /// [`StorageError::Corrupt`] for a stored row that does not parse; other
    /// [`StorageError`]s on backend failure.
    pub async fn retention_rules(&self) -> Result<RetentionRules, StorageError> {
        rules_in(self.conn()).await
    }

    /// Stores `rules` and records the change in the audit log ([`RETENTION_SET`], naming the
    /// rules after the change), in one transaction. Who may change them is the caller's
    /// decision (the CLI asks for the data-protection officer).
    ///
    /// # Errors
    /// [`RetentionError::InvalidRules`] when a period does not fit its category (core's
    /// `RetentionRules::check`); [`RetentionError::Storage`] on backend failure.
    pub async fn set_retention_rules(
        &self,
        rules: &RetentionRules,
        stamp: AuditStamp,
    ) -> Result<(), RetentionError> {
        for (category, period) in &rules.periods {
            RetentionRules::check(*category, *period).map_err(RetentionError::InvalidRules)?;
        }
        let txn = begin_write(self.conn()).await.map_err(storage)?;
        upsert(
            installation_settings::ActiveModel {
                name: Set(RETENTION.to_owned()),
                value: Set(mapping::to_json(rules, "retention rules")?),
                changed_at: Set(ts(stamp.at)),
            },
            &txn,
        )
        .await
        .map_err(storage)?;
        let table: Vec<String> = rules
            .table()
            .iter()
            .map(|r| format!("{}={}", r.category.key(), r.period))
            .collect();
        let until = rules
            .esf_retention_until
            .map_or_else(|| "none".to_owned(), |d| d.to_string());
        audit(
            &txn,
            stamp,
            RETENTION_SET,
            AuditSubject::Typed(format!(
                "{RETENTION} {} esf_retention_until={until}",
                table.join(" ")
            ))
            .stored(),
        )
        .await?;
        txn.commit().await.map_err(storage)?;
        Ok(())
    }

    /// The retention plan of every ended case (closed, declined, not reached) on `today`
    /// under the stored rules, cases without steps or kept categories left out. Open cases
    /// have no plan. Reads the ended cases in batches of a few hundred, so memory stays
    /// bounded.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure or corrupt rows.
    pub async fn retention_plan(&self, today: NaiveDate) -> Result<Vec<PlannedCase>, StorageError> {
        let rules = self.retention_rules().await?;
        let ended: Vec<&str> = CaseStatus::ALL
            .iter()
            .filter(|s| s.is_ended())
            .map(|s| s.key())
            .collect();
        let mut out = Vec::new();
        let mut after: Option<Uuid> = None;
        loop {
            let mut query = cases::Entity::find()
                .select_only()
                .column(cases::Column::Id)
                .filter(cases::Column::Status.is_in(ended.iter().copied()))
                .order_by_asc(cases::Column::Id)
                .limit(BATCH as u64);
            if let Some(after) = after {
                query = query.filter(cases::Column::Id.gt(after));
            }
            let ids: Vec<Uuid> = query.into_tuple().all(self.conn()).await.map_err(storage)?;
            let Some(last) = ids.last() else { break };
            after = Some(*last);
            for case in load_many(self.conn(), self.vault(), &ids).await? {
                let plan = retention::plan(&case, &rules, today);
                if plan.steps.is_empty() && plan.kept.is_empty() {
                    continue;
                }
                out.push(PlannedCase {
                    case_id: case.id,
                    status: case.status,
                    ended_on: case.ended_on,
                    restricted: case.is_restricted(),
                    plan,
                });
            }
        }
        Ok(out)
    }

    /// The current state of a case for a retention decision, restricted or not (the
    /// data-protection officer's view, never a list).
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn case_for_retention(&self, id: CaseId) -> Result<Option<Case>, StorageError> {
        crate::repo::load_in(self.conn(), self.vault(), id).await
    }

    /// Carries out `steps` on case `id`, in order, in one transaction, each after core's
    /// `permits` check against the case as it is then (so a step that a preceding one made
    /// pointless is refused and nothing is written). `basis` names the rule or the request
    /// (German, no content: it is stored in the history and the audit log). An erasure of the
    /// whole case ends the list.
    ///
    /// # Errors
    /// [`RetentionError::NotFound`], [`RetentionError::Refused`] (nothing is written), or
    /// [`RetentionError::Storage`].
    pub async fn carry_out(
        &self,
        id: CaseId,
        steps: &[Step],
        basis: &str,
        stamp: AuditStamp,
        today: NaiveDate,
    ) -> Result<Vec<StepDone>, RetentionError> {
        let txn = begin_write(self.conn()).await.map_err(storage)?;
        let done = self
            .carry_out_in(&txn, id, steps, basis, stamp, today)
            .await?;
        txn.commit().await.map_err(storage)?;
        self.flush_erased().await?;
        Ok(done)
    }

    /// [`Store::carry_out`] for a client's request of `kind` (an Art. 17 erasure or an
    /// Art. 18 restriction) by `actor`: in the same transaction, every open request of that
    /// kind about the case in the register is recorded as done (audited as
    /// `privacy_request.done`), with a note naming what was carried out.
    ///
    /// # Errors
    /// As [`Store::carry_out`]; [`RetentionError::Request`] when core refuses to record a
    /// request as done (`actor` is not the data-protection officer); nothing is written then.
    pub async fn carry_out_request(
        &self,
        id: CaseId,
        steps: &[Step],
        (basis, kind): (&str, RequestKind),
        actor: &Actor,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<CarriedOut, RetentionError> {
        let stamp = AuditStamp {
            actor: Some(actor.id),
            at: now,
        };
        let txn = begin_write(self.conn()).await.map_err(storage)?;
        let done = self
            .carry_out_in(&txn, id, steps, basis, stamp, today)
            .await?;
        let note = done_note(&done)?;
        let answered =
            crate::privacy_requests::complete_open(&txn, (id, kind), &note, actor, (now, today))
                .await
                .map_err(|e| match e {
                    RequestError::Refused(r) => RetentionError::Request(r),
                    RequestError::Storage(e) => RetentionError::Storage(e),
                    other => RetentionError::Storage(corrupt(other.to_string())),
                })?;
        txn.commit().await.map_err(storage)?;
        self.flush_erased().await?;
        Ok(CarriedOut {
            steps: done,
            answered,
        })
    }

    async fn carry_out_in(
        &self,
        txn: &DatabaseTransaction,
        id: CaseId,
        steps: &[Step],
        basis: &str,
        stamp: AuditStamp,
        today: NaiveDate,
    ) -> Result<Vec<StepDone>, RetentionError> {
        let rules = rules_in(txn).await?;
        let mut done = Vec::new();
        for step in steps {
            let rows = event_rows(txn, id).await?;
            if rows.is_empty() {
                return Err(RetentionError::NotFound(id));
            }
            let history = crate::repo::decode_events(txn, self.vault(), id, &rows).await?;
            let case = Case::replay(&history).map_err(|e| corrupt(format!("case {id}: {e}")))?;
            retention::permits(&case, &rules, *step, today)?;
            let n = match step.action {
                RetentionAction::EraseCase => {
                    let n = erase_case(txn, id).await?;
                    let subject = format!("case {id} {}: {basis}", step.category.label(Lang::De));
                    audit(txn, stamp, CASE_ERASED, subject).await?;
                    done.push(StepDone {
                        step: *step,
                        events: n,
                    });
                    break;
                }
                RetentionAction::EraseContent => {
                    let (history, erased) =
                        redact(txn, self.vault(), &rows, history, step.category).await?;
                    let n = erased.len() as u64;
                    let event = CaseEvent::ContentErased {
                        category: step.category,
                        basis: basis.to_owned(),
                        on: today,
                        events: erased,
                    };
                    append_one(txn, self.vault(), id, history, event, stamp).await?;
                    n
                }
                RetentionAction::Restrict => {
                    let event = CaseEvent::Restricted {
                        category: step.category,
                        basis: basis.to_owned(),
                        on: today,
                    };
                    append_one(txn, self.vault(), id, history, event, stamp).await?;
                    0
                }
            };
            let action = match step.action {
                RetentionAction::Restrict => CASE_RESTRICTED,
                _ => CONTENT_ERASED,
            };
            let subject = format!("case {id} {} ({n}): {basis}", step.category.label(Lang::De));
            audit(txn, stamp, action, subject).await?;
            done.push(StepDone {
                step: *step,
                events: n,
            });
        }
        Ok(done)
    }

    /// Carries out every step of the retention plan due on `today`, one transaction per case
    /// ([`Store::carry_out`], basis core's `expired_basis`), then erases every deactivated
    /// staff account whose period has ended, one transaction each
    /// ([`Store::erase_staff_account`]). A case core refuses at that
    /// moment, or one erased meanwhile, is skipped and reported; the others go on.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure (cases done before it stay done).
    pub async fn apply_due(
        &self,
        today: NaiveDate,
        stamp: AuditStamp,
    ) -> Result<Applied, StorageError> {
        let mut out = Applied {
            cases: 0,
            steps: 0,
            refused: Vec::new(),
            staff_accounts: 0,
        };
        for p in self.retention_plan(today).await? {
            let due: Vec<Step> = p.plan.due().map(Step::from).collect();
            if due.is_empty() {
                continue;
            }
            let basis = retention::expired_basis(p.plan.due());
            match self.carry_out(p.case_id, &due, &basis, stamp, today).await {
                Ok(done) => {
                    out.cases += 1;
                    out.steps += done.len() as u64;
                }
                Err(RetentionError::Refused(why)) => out.refused.push((p.case_id, why)),
                Err(RetentionError::NotFound(_)) => {}
                Err(RetentionError::Storage(e)) => return Err(e),
                Err(RetentionError::Request(why)) => {
                    return Err(corrupt(format!("request register: {why}")));
                }
                Err(RetentionError::InvalidRules(why)) => {
                    return Err(corrupt(format!("stored retention rules: {why}")));
                }
                Err(RetentionError::StaffNotFound(id)) => {
                    return Err(corrupt(format!("staff {id} in a case's retention")));
                }
            }
        }
        // Staff accounts: a refusal here means the account changed since the plan was read
        // (reactivated, erased by another run); it is skipped.
        for account in self.staff_retention_plan(today).await? {
            if !account.due {
                continue;
            }
            match self
                .erase_staff_account(account.staff_id, stamp, today)
                .await
            {
                Ok(()) => out.staff_accounts += 1,
                Err(RetentionError::Storage(e)) => return Err(e),
                Err(_) => {}
            }
        }
        Ok(out)
    }

    /// On SQLite, copies the write-ahead log into the database file and truncates it, so that
    /// the old pages of an erased event do not stay readable in the `-wal` file
    /// (`secure_delete` zeroes them in the database file itself). A reader holding an old
    /// snapshot lets the checkpoint finish only partly; the log is then overwritten by later
    /// writes.
    async fn flush_erased(&self) -> Result<(), StorageError> {
        if self.backend() != crate::Backend::Sqlite {
            return Ok(());
        }
        self.conn()
            .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await
            .map_err(storage)?;
        Ok(())
    }
}

/// The stored rules, or the defaults.
pub(crate) async fn rules_in<C: ConnectionTrait>(conn: &C) -> Result<RetentionRules, StorageError> {
    let row = installation_settings::Entity::find_by_id(RETENTION.to_owned())
        .one(conn)
        .await
        .map_err(storage)?;
    match row {
        None => Ok(RetentionRules::default()),
        Some(row) => serde_json::from_str(&row.value)
            .map_err(|e| corrupt(format!("stored retention rules: {e}"))),
    }
}

async fn event_rows<C: ConnectionTrait>(
    conn: &C,
    id: CaseId,
) -> Result<Vec<events::Model>, StorageError> {
    events::Entity::find()
        .filter(events::Column::CaseId.eq(id.as_uuid()))
        .order_by_asc(events::Column::Sequence)
        .all(conn)
        .await
        .map_err(storage)
}

/// Replaces every event of `category` in place by its stub (hashes kept); returns the
/// history as it now reads and what was redacted.
async fn redact<C: ConnectionTrait>(
    conn: &C,
    vault: &Vault,
    rows: &[events::Model],
    mut history: Vec<RecordedEvent>,
    category: RetentionCategory,
) -> Result<(Vec<RecordedEvent>, Vec<ErasedEvent>), StorageError> {
    let mut erased = Vec::new();
    for (row, event) in rows.iter().zip(history.iter_mut()) {
        let Some(stub) = retention::redaction_of(&event.event, category) else {
            continue;
        };
        // A report as sent goes with its record: the kept bytes are its content.
        if let CaseEvent::JobcenterReportSent { report } = &event.event {
            sent_documents::Entity::delete_by_id(report.document.as_uuid())
                .exec(conn)
                .await
                .map_err(storage)?;
        }
        erased.push(ErasedEvent {
            sequence: event.sequence,
            tag: event.event.tag().to_owned(),
            hash: row.hash.clone(),
        });
        event.event = stub;
        let payload = vault
            .seal_doc(conn, event.case_id, mapping::event_payload(event)?)
            .await?;
        events::Entity::update_many()
            .col_expr(
                events::Column::EventType,
                Expr::value(event.event.tag().to_owned()),
            )
            .col_expr(events::Column::Payload, Expr::value(payload))
            .filter(events::Column::CaseId.eq(row.case_id))
            .filter(events::Column::Sequence.eq(row.sequence))
            .exec(conn)
            .await
            .map_err(storage)?;
    }
    Ok((history, erased))
}

/// Appends `event` to the (possibly redacted) `history` of case `id` and rewrites its read
/// models from the history as it now reads, so that no erased content stays in the stored
/// state.
async fn append_one<C: ConnectionTrait>(
    conn: &C,
    vault: &Vault,
    id: CaseId,
    mut history: Vec<RecordedEvent>,
    event: CaseEvent,
    stamp: AuditStamp,
) -> Result<(), StorageError> {
    let head = history
        .last()
        .ok_or_else(|| corrupt(format!("case {id}: empty history")))?;
    let actor = stamp.actor.unwrap_or(head.actor);
    let head_row = events::Entity::find_by_id((
        id.as_uuid(),
        i64::try_from(head.sequence).unwrap_or(i64::MAX),
    ))
    .one(conn)
    .await
    .map_err(storage)?
    .ok_or_else(|| corrupt(format!("case {id}: the last event is missing")))?;
    let prev = chain::from_hex(&head_row.hash)
        .ok_or_else(|| corrupt(format!("case {id}: the last event has no valid hash")))?;
    let recorded = RecordedEvent {
        case_id: id,
        sequence: head.sequence + 1,
        recorded_at: stamp.at.max(head.recorded_at),
        actor,
        event,
    };
    let payload = vault
        .seal_doc(conn, id, mapping::event_payload(&recorded)?)
        .await?;
    let hash = chain::link(&prev, &payload);
    let row = mapping::event_row(
        &recorded,
        payload,
        chain::to_hex(&prev),
        chain::to_hex(&hash),
    )?;
    events::Entity::insert(row)
        .exec_without_returning(conn)
        .await
        .map_err(storage)?;
    history.push(recorded);
    let case = Case::replay(&history).map_err(|e| corrupt(format!("case {id}: {e}")))?;
    read_model::write_case(conn, vault, &case, &chain::to_hex(&hash))
        .await
        .map_err(storage)
}

/// Deletes every trace of case `id` but the audit log's tombstone: read-model rows, access
/// log, events. Returns how many events were deleted.
async fn erase_case<C: ConnectionTrait>(conn: &C, id: CaseId) -> Result<u64, StorageError> {
    let uuid = id.as_uuid();
    case_clients::Entity::delete_many()
        .filter(case_clients::Column::CaseId.eq(uuid))
        .exec(conn)
        .await
        .map_err(storage)?;
    case_reminder_triggers::Entity::delete_many()
        .filter(case_reminder_triggers::Column::CaseId.eq(uuid))
        .exec(conn)
        .await
        .map_err(storage)?;
    case_reminder_facts::Entity::delete_many()
        .filter(case_reminder_facts::Column::CaseId.eq(uuid))
        .exec(conn)
        .await
        .map_err(storage)?;
    case_attendance::Entity::delete_many()
        .filter(case_attendance::Column::CaseId.eq(uuid))
        .exec(conn)
        .await
        .map_err(storage)?;
    case_name_words::Entity::delete_many()
        .filter(case_name_words::Column::CaseId.eq(uuid))
        .exec(conn)
        .await
        .map_err(storage)?;
    case_esf::Entity::delete_many()
        .filter(case_esf::Column::CaseId.eq(uuid))
        .exec(conn)
        .await
        .map_err(storage)?;
    case_statistics::Entity::delete_many()
        .filter(case_statistics::Column::CaseId.eq(uuid))
        .exec(conn)
        .await
        .map_err(storage)?;
    sent_documents::Entity::delete_many()
        .filter(sent_documents::Column::CaseId.eq(uuid))
        .exec(conn)
        .await
        .map_err(storage)?;
    access_log::Entity::delete_many()
        .filter(access_log::Column::CaseId.eq(uuid))
        .exec(conn)
        .await
        .map_err(storage)?;
    cases::Entity::delete_by_id(uuid)
        .exec(conn)
        .await
        .map_err(storage)?;
    let deleted = events::Entity::delete_many()
        .filter(events::Column::CaseId.eq(uuid))
        .exec(conn)
        .await
        .map_err(storage)?;
    // Crypto-shredding: without its key the case's sealed texts cannot be read anywhere,
    // in a backup made before this either (backups carry no case keys, see `vault`).
    crate::vault::destroy(conn, uuid).await?;
    Ok(deleted.rows_affected)
}
