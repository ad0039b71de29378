//! Read models: the query tables derived from the case histories.
//!
//! `cases` (list columns and the current state), `case_clients` (duplicate hints),
//! `case_reminder_triggers` (reminders due) with `case_reminder_facts` (what core's
//! reminders read of a case), `case_attendance` (attendance sheets), `case_name_words` (name
//! search), `case_esf` (ESF Plus participants) and `case_statistics` (what a case contributes
//! to the statistics) are written by [`write_case`] in the same transaction as
//! the events that change them, and can be rebuilt from the events alone
//! ([`Store::rebuild_read_models`]).
//!
//! The read paths here ask the database the question: [`Store::reminders_for`] finds the
//! candidate cases of a person (or of everyone a reader may see) through the trigger indexes
//! and loads only their reminder facts; [`Store::esf_participants`] reads the participants who entered or
//! left in a period from `case_esf`, and [`Store::statistics_records`] the cases active in a
//! period from `case_statistics`, never a case state.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sea_orm::prelude::Uuid;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use wegbereiter_core::calendar::LocalCalendar;
use wegbereiter_core::case::{Case, CaseSummary};
use wegbereiter_core::command::Policy;
use wegbereiter_core::esf::{EsfRecord, EsfScope};
use wegbereiter_core::handover::Attendance;
use wegbereiter_core::ids::{CaseId, GroupSessionId, StaffId, TeamId};
use wegbereiter_core::ports::{StorageError, Visibility};
use wegbereiter_core::reminders::{Reminder, ReminderFacts, reminders};
use wegbereiter_core::statistics::StatisticsRecord;

use crate::entity::{
    case_attendance, case_clients, case_esf, case_name_words, case_reminder_facts,
    case_reminder_triggers, case_statistics, cases, events,
};
use crate::error::{corrupt, storage};
use crate::repo::{BATCH, case_from_row, upsert};
use crate::vault::Vault;
use crate::{Backend, Store, begin_snapshot, begin_write, mapping};

/// Writes every read-model row of `case`, whose last event has hash `head_hash`.
pub(crate) async fn write_case<C: ConnectionTrait>(
    conn: &C,
    vault: &Vault,
    case: &Case,
    head_hash: &str,
) -> Result<(), DbErr> {
    let id = case.id.as_uuid();
    let mut row = mapping::case_row(case, head_hash).map_err(|e| DbErr::Custom(e.to_string()))?;
    seal_state(conn, vault, &mut row).await?;
    upsert(row, conn).await?;
    let restricted = case.is_restricted();
    replace_rows(
        conn,
        case_clients::Column::CaseId,
        id,
        unless_restricted(restricted, vec![mapping::client_row(case)]),
    )
    .await?;
    replace_rows(
        conn,
        case_reminder_triggers::Column::CaseId,
        id,
        unless_restricted(restricted, mapping::trigger_rows(case)),
    )
    .await?;
    replace_rows(
        conn,
        case_attendance::Column::CaseId,
        id,
        unless_restricted(restricted, mapping::attendance_rows(case)),
    )
    .await?;
    replace_rows(
        conn,
        case_name_words::Column::CaseId,
        id,
        unless_restricted(restricted, mapping::name_word_rows(case)),
    )
    .await?;
    replace_rows(
        conn,
        case_reminder_facts::Column::CaseId,
        id,
        unless_restricted(
            restricted,
            vec![mapping::reminder_facts_row(case).map_err(|e| DbErr::Custom(e.to_string()))?],
        ),
    )
    .await?;
    replace_rows(
        conn,
        case_esf::Column::CaseId,
        id,
        unless_restricted(
            restricted,
            mapping::esf_rows(case).map_err(|e| DbErr::Custom(e.to_string()))?,
        ),
    )
    .await?;
    replace_rows(
        conn,
        case_statistics::Column::CaseId,
        id,
        unless_restricted(
            restricted,
            vec![mapping::statistics_row(case).map_err(|e| DbErr::Custom(e.to_string()))?],
        ),
    )
    .await?;
    Ok(())
}

/// Seals the texts of a `cases` row's state (see `vault`).
async fn seal_state<C: ConnectionTrait>(
    conn: &C,
    vault: &Vault,
    row: &mut cases::ActiveModel,
) -> Result<(), DbErr> {
    let (Some(id), Some(state)) = (row.id.clone().take(), row.state.take()) else {
        return Ok(());
    };
    let sealed = vault
        .seal_doc(conn, CaseId::from_uuid(id), state)
        .await
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    row.state = sea_orm::ActiveValue::Set(sealed);
    Ok(())
}

/// The rows of the query tables a case has: none for a restricted case (Art. 18 GDPR), so
/// that no duplicate hint, reminder, attendance sheet, name search or ESF report finds it.
/// Only its `cases` row stays, with `restricted` set, for the data-protection officer.
fn unless_restricted<T>(restricted: bool, rows: Vec<T>) -> Vec<T> {
    if restricted { Vec::new() } else { rows }
}

/// Replaces the rows of one case (`case_column = id`) in a read-model table with `rows`.
async fn replace_rows<A, C>(
    conn: &C,
    case_column: <A::Entity as EntityTrait>::Column,
    id: Uuid,
    rows: Vec<A>,
) -> Result<(), DbErr>
where
    A: sea_orm::ActiveModelTrait,
    C: ConnectionTrait,
{
    <A::Entity as EntityTrait>::delete_many()
        .filter(case_column.eq(id))
        .exec(conn)
        .await?;
    <A::Entity as EntityTrait>::insert_many(rows)
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// The read-model rows of many cases, for inserting into emptied tables with few
/// statements (rebuilds).
#[derive(Default)]
pub(crate) struct FreshRows {
    cases: Vec<cases::ActiveModel>,
    clients: Vec<case_clients::ActiveModel>,
    triggers: Vec<case_reminder_triggers::ActiveModel>,
    facts: Vec<case_reminder_facts::ActiveModel>,
    attendance: Vec<case_attendance::ActiveModel>,
    esf: Vec<case_esf::ActiveModel>,
    names: Vec<case_name_words::ActiveModel>,
    statistics: Vec<case_statistics::ActiveModel>,
}

/// Rows per multi-row `INSERT`: keeps every statement far below the bound-parameter limits
/// (SQLite 32 766, PostgreSQL 65 535) for tables of up to 20 columns.
const ROWS_PER_INSERT: usize = 1000;

pub(crate) async fn insert_chunked<A, C>(conn: &C, rows: Vec<A>) -> Result<(), DbErr>
where
    A: sea_orm::ActiveModelTrait,
    C: ConnectionTrait,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(ROWS_PER_INSERT).collect();
        <A::Entity as EntityTrait>::insert_many(chunk)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

impl FreshRows {
    pub(crate) fn add(&mut self, case: &Case, head_hash: &str) -> Result<(), DbErr> {
        self.cases
            .push(mapping::case_row(case, head_hash).map_err(|e| DbErr::Custom(e.to_string()))?);
        if case.is_restricted() {
            return Ok(());
        }
        self.clients.push(mapping::client_row(case));
        self.triggers.extend(mapping::trigger_rows(case));
        self.facts
            .push(mapping::reminder_facts_row(case).map_err(|e| DbErr::Custom(e.to_string()))?);
        self.attendance.extend(mapping::attendance_rows(case));
        self.esf
            .extend(mapping::esf_rows(case).map_err(|e| DbErr::Custom(e.to_string()))?);
        self.names.extend(mapping::name_word_rows(case));
        self.statistics
            .push(mapping::statistics_row(case).map_err(|e| DbErr::Custom(e.to_string()))?);
        Ok(())
    }

    pub(crate) async fn insert<C: ConnectionTrait>(
        mut self,
        conn: &C,
        vault: &Vault,
    ) -> Result<(), DbErr> {
        for row in &mut self.cases {
            seal_state(conn, vault, row).await?;
        }
        // `cases` first: the other tables refer to it.
        insert_chunked(conn, self.cases).await?;
        insert_chunked(conn, self.clients).await?;
        insert_chunked(conn, self.triggers).await?;
        insert_chunked(conn, self.facts).await?;
        insert_chunked(conn, self.attendance).await?;
        insert_chunked(conn, self.esf).await?;
        insert_chunked(conn, self.names).await?;
        insert_chunked(conn, self.statistics).await
    }
}

/// The next `BATCH` case ids with events, after `after`, in id order.
pub(crate) async fn next_case_ids<C: ConnectionTrait>(
    conn: &C,
    after: Option<Uuid>,
) -> Result<Vec<Uuid>, StorageError> {
    let mut query = events::Entity::find()
        .select_only()
        .column(events::Column::CaseId)
        .distinct()
        .order_by_asc(events::Column::CaseId)
        .limit(BATCH as u64);
    if let Some(after) = after {
        query = query.filter(events::Column::CaseId.gt(after));
    }
    query.into_tuple().all(conn).await.map_err(storage)
}

/// The event rows of the cases `ids`, grouped by case in id order, each oldest first.
pub(crate) async fn event_rows_of<C: ConnectionTrait>(
    conn: &C,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, Vec<events::Model>)>, StorageError> {
    let rows = events::Entity::find()
        .filter(events::Column::CaseId.is_in(ids.iter().copied()))
        .order_by_asc(events::Column::CaseId)
        .order_by_asc(events::Column::Sequence)
        .all(conn)
        .await
        .map_err(storage)?;
    let mut out: Vec<(Uuid, Vec<events::Model>)> = Vec::new();
    for row in rows {
        match out.last_mut() {
            Some((id, group)) if *id == row.case_id => group.push(row),
            _ => out.push((row.case_id, vec![row])),
        }
    }
    Ok(out)
}

/// Whose reminders [`Store::reminders_for`] lists.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReminderScope {
    /// Every case.
    All,
    /// A person's: the cases `staff` is key worker of, and the cases of `teams` that nobody
    /// is key worker of yet (outreach a team shares).
    Person {
        /// The person.
        staff: StaffId,
        /// The teams whose unassigned cases count; empty for none.
        teams: Vec<TeamId>,
    },
}

impl ReminderScope {
    /// Whether the case summarised by `s` is in the scope.
    #[must_use]
    pub fn covers(&self, s: &CaseSummary) -> bool {
        self.covers_case(s.team, s.key_worker)
    }

    /// Whether a case of `team` with `key_worker` is in the scope.
    #[must_use]
    pub fn covers_case(&self, team: Option<TeamId>, key_worker: Option<StaffId>) -> bool {
        match self {
            Self::All => true,
            Self::Person { staff, teams } => match key_worker {
                Some(k) => k == *staff,
                None => team.is_some_and(|t| teams.contains(&t)),
            },
        }
    }
}

/// How many candidate cases [`Store::reminders_page`] loads at a time.
const PAGE_LOAD: usize = 64;

/// A page of reminders ([`Store::reminders_page`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemindersPage {
    /// The reminders, most urgent first.
    pub items: Vec<DueReminder>,
    /// Whether more reminders follow.
    pub more: bool,
}

impl RemindersPage {
    /// The first `limit` of `found` in core's order (most urgent first), and whether more
    /// follow: how every backend cuts its candidates' reminders to a page.
    #[must_use]
    pub fn first(mut found: Vec<DueReminder>, limit: usize) -> Self {
        found.sort_by(|a, b| a.reminder.cmp(&b.reminder));
        let more = found.len() > limit;
        found.truncate(limit);
        Self { items: found, more }
    }
}

/// How many open cases of one team a key worker (or nobody) carries in one status and phase
/// ([`Store::team_caseload`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadCount {
    /// The key worker; `None` for cases nobody is named for yet.
    pub key_worker: Option<StaffId>,
    /// The status.
    pub status: wegbereiter_core::CaseStatus,
    /// The phase, for enrolled cases.
    pub phase: Option<wegbereiter_core::handover::Phase>,
    /// How many cases.
    pub cases: u64,
}

/// A team's open cases by key worker ([`Store::team_caseload`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TeamCaseload {
    /// Open cases by key worker, status and phase.
    pub counts: Vec<LoadCount>,
    /// Per key worker, the cases whose key-worker period ends soon.
    pub ending: Vec<(StaffId, u64)>,
}

/// A reminder with the name of its case's client, for lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueReminder {
    /// The reminder, as core's `reminders()` gave it.
    pub reminder: Reminder,
    /// "Family, Given" of the case's client.
    pub client_name: String,
}

impl DueReminder {
    /// Core's reminders of `case` on `today`, each with the client's name from `summary`.
    pub fn of_case(
        case: &Case,
        summary: &CaseSummary,
        today: NaiveDate,
        calendar: &dyn LocalCalendar,
        policy: &Policy,
    ) -> impl Iterator<Item = Self> {
        reminders(case, today, calendar, policy)
            .into_iter()
            .map(|reminder| Self {
                reminder,
                client_name: summary.client_name.clone(),
            })
    }
}

impl DueReminder {
    /// Core's reminders on `today` of the case described by `facts`, each with `client_name`.
    pub fn of_facts(
        facts: &ReminderFacts,
        client_name: &str,
        today: NaiveDate,
        calendar: &dyn LocalCalendar,
        policy: &Policy,
    ) -> impl Iterator<Item = Self> {
        wegbereiter_core::reminders_of(facts, today, calendar, policy)
            .into_iter()
            .map(move |reminder| Self {
                reminder,
                client_name: client_name.to_owned(),
            })
    }
}

/// The stored reminder facts and client names of the cases `ids` (those that have a row:
/// restricted cases have none), in the order of `ids`, with one query per [`BATCH`] ids.
pub(crate) async fn facts_of<C: ConnectionTrait>(
    conn: &C,
    ids: &[Uuid],
) -> Result<Vec<(ReminderFacts, String)>, StorageError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(BATCH) {
        let rows = case_reminder_facts::Entity::find()
            .filter(case_reminder_facts::Column::CaseId.is_in(chunk.iter().copied()))
            .all(conn)
            .await
            .map_err(storage)?;
        let mut by_id: std::collections::HashMap<Uuid, case_reminder_facts::Model> =
            rows.into_iter().map(|r| (r.case_id, r)).collect();
        for id in chunk {
            if let Some(row) = by_id.remove(id) {
                let facts = mapping::reminder_facts_from_json(row.case_id, &row.facts)?;
                out.push((facts, row.client_name));
            }
        }
    }
    Ok(out)
}

/// The ids of the cases that may have reminders on `today` under `policy`, of `scope`, that
/// `reader` may know of (see [`Store::reminders_for`]).
pub(crate) fn reminder_candidates(
    today: NaiveDate,
    policy: &Policy,
    scope: &ReminderScope,
    reader: Option<&Visibility>,
) -> sea_orm::Select<case_reminder_triggers::Entity> {
    case_reminder_triggers::Entity::find()
        .select_only()
        .column(case_reminder_triggers::Column::CaseId)
        .distinct()
        .filter(mapping::trigger_condition(today, policy, None))
        .filter(mapping::trigger_scope_condition(scope, reader))
}

/// A team's open cases counted by key worker, status and phase ([`Store::team_caseload`]).
pub(crate) fn caseload_query(team: TeamId) -> sea_orm::Select<cases::Entity> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    use wegbereiter_core::vocab::Labelled;
    let ended = wegbereiter_core::CaseStatus::ALL
        .iter()
        .filter(|s| s.is_ended())
        .map(|s| s.key());
    cases::Entity::find()
        .select_only()
        .column(cases::Column::KeyWorkerId)
        .column(cases::Column::Status)
        .column(cases::Column::Phase)
        // `COUNT(*)`, not of a column: the index alone answers it, no case row is read.
        .column_as(Expr::col(sea_orm::sea_query::Asterisk).count(), "cases")
        .filter(cases::Column::TeamId.eq(team.as_uuid()))
        .filter(cases::Column::Status.is_not_in(ended))
        .group_by(cases::Column::KeyWorkerId)
        .group_by(cases::Column::Status)
        .group_by(cases::Column::Phase)
}

/// Per key worker, the cases of `team` whose period ends soon ([`Store::team_caseload`]).
pub(crate) fn period_ending_query(
    team: TeamId,
    today: NaiveDate,
    policy: &Policy,
) -> sea_orm::Select<case_reminder_triggers::Entity> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    case_reminder_triggers::Entity::find()
        .select_only()
        .column(case_reminder_triggers::Column::KeyWorkerId)
        .column_as(
            // One `period_end` row per case: counting rows counts cases.
            Expr::col(case_reminder_triggers::Column::CaseId).count(),
            "cases",
        )
        .filter(mapping::period_ending_condition(team, today, policy))
        .group_by(case_reminder_triggers::Column::KeyWorkerId)
}

/// The `(case_id, team_id, key_worker_id, participant)` rows of [`Store::esf_participants`].
pub(crate) fn esf_query(
    from: NaiveDate,
    to: NaiveDate,
    scope: EsfScope,
) -> sea_orm::Select<case_esf::Entity> {
    case_esf::Entity::find()
        .select_only()
        .columns([
            case_esf::Column::CaseId,
            case_esf::Column::TeamId,
            case_esf::Column::KeyWorkerId,
            case_esf::Column::Participant,
        ])
        .filter(mapping::esf_condition(from, to, scope))
        .order_by_asc(case_esf::Column::CaseId)
}

/// The next [`BATCH`] stored cases after the id `after`, in id order, from their states (or
/// replayed where a state is stale): what the migrations' fills derive new rows from.
async fn next_stored_cases<C: ConnectionTrait>(
    conn: &C,
    vault: &Vault,
    after: Option<Uuid>,
) -> Result<Vec<Case>, StorageError> {
    let mut query = cases::Entity::find()
        .order_by_asc(cases::Column::Id)
        .limit(BATCH as u64);
    if let Some(after) = after {
        query = query.filter(cases::Column::Id.gt(after));
    }
    let mut out = Vec::new();
    for row in query.all(conn).await.map_err(storage)? {
        out.push(case_from_row(conn, vault, &row).await?);
    }
    Ok(out)
}

/// Fills the read models migration `m0007` added (`case_esf`, `case_name_words`) from the
/// stored case states, in batches, and rewrites the reminder triggers (whose outreach rows now
/// carry the earliest outreach day): for a database that already holds cases.
pub(crate) async fn fill_m0007<C: ConnectionTrait>(
    conn: &C,
    vault: &Vault,
) -> Result<(), StorageError> {
    let mut after: Option<Uuid> = None;
    loop {
        let batch = next_stored_cases(conn, vault, after).await?;
        let Some(last) = batch.last().map(|c| c.id.as_uuid()) else {
            return Ok(());
        };
        let mut esf = Vec::new();
        let mut names = Vec::new();
        let ids: Vec<Uuid> = batch.iter().map(|c| c.id.as_uuid()).collect();
        let mut triggers = Vec::new();
        for case in &batch {
            esf.extend(mapping::esf_rows(case)?);
            names.extend(mapping::name_word_rows(case));
            triggers.extend(mapping::trigger_rows(case));
        }
        case_reminder_triggers::Entity::delete_many()
            .filter(case_reminder_triggers::Column::CaseId.is_in(ids))
            .exec(conn)
            .await
            .map_err(storage)?;
        insert_chunked(conn, triggers).await.map_err(storage)?;
        insert_chunked(conn, esf).await.map_err(storage)?;
        insert_chunked(conn, names).await.map_err(storage)?;
        after = Some(last);
    }
}

/// Rewrites the rows migration `m0009` changed (`case_clients` with its new `case_number`
/// and the name key of core's new folding, `case_name_words` folded anew) from the stored
/// case states, in batches of [`BATCH`] cases: for a database that already holds cases.
/// Restricted cases keep having no such rows.
pub(crate) async fn fill_m0009<C: ConnectionTrait>(
    conn: &C,
    vault: &Vault,
) -> Result<(), StorageError> {
    let mut after: Option<Uuid> = None;
    loop {
        let batch = next_stored_cases(conn, vault, after).await?;
        let Some(last) = batch.last().map(|c| c.id.as_uuid()) else {
            return Ok(());
        };
        let ids: Vec<Uuid> = batch.iter().map(|c| c.id.as_uuid()).collect();
        let mut clients = Vec::new();
        let mut names = Vec::new();
        for case in batch.iter().filter(|c| !c.is_restricted()) {
            clients.push(mapping::client_row(case));
            names.extend(mapping::name_word_rows(case));
        }
        case_clients::Entity::delete_many()
            .filter(case_clients::Column::CaseId.is_in(ids.iter().copied()))
            .exec(conn)
            .await
            .map_err(storage)?;
        case_name_words::Entity::delete_many()
            .filter(case_name_words::Column::CaseId.is_in(ids))
            .exec(conn)
            .await
            .map_err(storage)?;
        insert_chunked(conn, clients).await.map_err(storage)?;
        insert_chunked(conn, names).await.map_err(storage)?;
        after = Some(last);
    }
}

/// Fills `case_reminder_facts` (migration `m0010`) from the stored case states, in batches:
/// for a database that already holds cases. Restricted cases get no row.
pub(crate) async fn fill_m0010<C: ConnectionTrait>(
    conn: &C,
    vault: &Vault,
) -> Result<(), StorageError> {
    fill_one_row_per_case(conn, vault, mapping::reminder_facts_row).await
}

/// Inserts `row(case)` for every stored case that is not restricted, in batches of
/// [`BATCH`] cases: how a migration fills a new read-model table with one row per case.
async fn fill_one_row_per_case<C, A>(
    conn: &C,
    vault: &Vault,
    row: fn(&Case) -> Result<A, StorageError>,
) -> Result<(), StorageError>
where
    C: ConnectionTrait,
    A: sea_orm::ActiveModelTrait,
{
    let mut after: Option<Uuid> = None;
    loop {
        let batch = next_stored_cases(conn, vault, after).await?;
        let Some(last) = batch.last().map(|c| c.id.as_uuid()) else {
            return Ok(());
        };
        let rows = batch
            .iter()
            .filter(|c| !c.is_restricted())
            .map(row)
            .collect::<Result<Vec<_>, _>>()?;
        insert_chunked(conn, rows).await.map_err(storage)?;
        after = Some(last);
    }
}

/// Rewrites, for every closed case that is not restricted, its reminder facts and trigger rows
/// (migration `m0012`: the ESF exit-data reminder), in batches: for a database that already
/// holds cases.
pub(crate) async fn fill_m0012<C: ConnectionTrait>(
    conn: &C,
    vault: &Vault,
) -> Result<(), StorageError> {
    let mut after: Option<Uuid> = None;
    loop {
        let batch = next_stored_cases(conn, vault, after).await?;
        let Some(last) = batch.last().map(|c| c.id.as_uuid()) else {
            return Ok(());
        };
        let closed: Vec<&Case> = batch
            .iter()
            .filter(|c| c.status == wegbereiter_core::CaseStatus::Closed && !c.is_restricted())
            .collect();
        let ids: Vec<Uuid> = closed.iter().map(|c| c.id.as_uuid()).collect();
        let mut facts = Vec::new();
        let mut triggers = Vec::new();
        for case in &closed {
            facts.push(mapping::reminder_facts_row(case)?);
            triggers.extend(mapping::trigger_rows(case));
        }
        case_reminder_facts::Entity::delete_many()
            .filter(case_reminder_facts::Column::CaseId.is_in(ids.iter().copied()))
            .exec(conn)
            .await
            .map_err(storage)?;
        case_reminder_triggers::Entity::delete_many()
            .filter(case_reminder_triggers::Column::CaseId.is_in(ids))
            .exec(conn)
            .await
            .map_err(storage)?;
        insert_chunked(conn, facts).await.map_err(storage)?;
        insert_chunked(conn, triggers).await.map_err(storage)?;
        after = Some(last);
    }
}

/// Rewrites the reminder trigger rows of the cases in outreach (migration `m0018`) from the
/// stored case states, in batches, with core's follow-up bounds.
pub(crate) async fn fill_m0018<C: ConnectionTrait>(
    conn: &C,
    vault: &Vault,
) -> Result<(), StorageError> {
    use wegbereiter_core::CaseStatus;
    let mut after: Option<Uuid> = None;
    loop {
        let batch = next_stored_cases(conn, vault, after).await?;
        let Some(last) = batch.last().map(|c| c.id.as_uuid()) else {
            return Ok(());
        };
        let outreach: Vec<&Case> = batch
            .iter()
            .filter(|c| {
                matches!(c.status, CaseStatus::Referred | CaseStatus::Outreach)
                    && !c.is_restricted()
            })
            .collect();
        let ids: Vec<Uuid> = outreach.iter().map(|c| c.id.as_uuid()).collect();
        let triggers: Vec<_> = outreach
            .iter()
            .flat_map(|case| mapping::trigger_rows(case))
            .collect();
        case_reminder_triggers::Entity::delete_many()
            .filter(case_reminder_triggers::Column::CaseId.is_in(ids))
            .exec(conn)
            .await
            .map_err(storage)?;
        insert_chunked(conn, triggers).await.map_err(storage)?;
        after = Some(last);
    }
}

/// Fills `case_statistics` (migration `m0015`) from the stored case states, in batches: for a
/// database that already holds cases. Restricted cases get no row.
pub(crate) async fn fill_m0015<C: ConnectionTrait>(
    conn: &C,
    vault: &Vault,
) -> Result<(), StorageError> {
    fill_one_row_per_case(conn, vault, mapping::statistics_row).await
}

/// Every row of the case read models, rendered canonically: what
/// [`Store::rebuild_read_models`] must reproduce exactly.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadModelSnapshot {
    /// Table name → its rows, each rendered as text, sorted.
    pub tables: BTreeMap<String, Vec<String>>,
}

impl ReadModelSnapshot {
    /// Number of rows over all tables.
    #[must_use]
    pub fn rows(&self) -> usize {
        self.tables.values().map(Vec::len).sum()
    }
}

async fn dump<E, C>(conn: &C) -> Result<Vec<String>, StorageError>
where
    E: EntityTrait,
    E::Model: std::fmt::Debug,
    C: ConnectionTrait,
{
    let mut rows: Vec<String> = E::find()
        .all(conn)
        .await
        .map_err(storage)?
        .iter()
        .map(|m| format!("{m:?}"))
        .collect();
    rows.sort();
    Ok(rows)
}

impl Store {
    /// Rebuilds every case read model from the events, in one transaction: deletes the rows
    /// and replays each case's history. Writers wait meanwhile. The result equals what the
    /// appends wrote (see [`Store::read_model_snapshot`]).
    ///
    /// Use it after restoring events from elsewhere or when a new version adds a read model.
    ///
    /// # Errors
    /// [`StorageError::Corrupt`] if a stored history does not replay (nothing is changed
    /// then), other [`StorageError`]s on backend failure.
    pub async fn rebuild_read_models(&self) -> Result<(), StorageError> {
        let txn = begin_write(self.conn()).await.map_err(storage)?;
        if self.backend() == Backend::Postgres {
            // Appends insert into `events`; this lock makes them wait until the rebuild is
            // committed, so no append's read-model update is overwritten by an older state.
            txn.execute_unprepared("LOCK TABLE events IN SHARE MODE")
                .await
                .map_err(storage)?;
        }
        case_attendance::Entity::delete_many()
            .exec(&txn)
            .await
            .map_err(storage)?;
        case_esf::Entity::delete_many()
            .exec(&txn)
            .await
            .map_err(storage)?;
        case_statistics::Entity::delete_many()
            .exec(&txn)
            .await
            .map_err(storage)?;
        case_name_words::Entity::delete_many()
            .exec(&txn)
            .await
            .map_err(storage)?;
        case_reminder_triggers::Entity::delete_many()
            .exec(&txn)
            .await
            .map_err(storage)?;
        case_reminder_facts::Entity::delete_many()
            .exec(&txn)
            .await
            .map_err(storage)?;
        case_clients::Entity::delete_many()
            .exec(&txn)
            .await
            .map_err(storage)?;
        cases::Entity::delete_many()
            .exec(&txn)
            .await
            .map_err(storage)?;
        let mut after = None;
        loop {
            let ids = next_case_ids(&txn, after).await?;
            let Some(last) = ids.last().copied() else {
                break;
            };
            let mut fresh = FreshRows::default();
            for (id, rows) in event_rows_of(&txn, &ids).await? {
                let case_id = CaseId::from_uuid(id);
                let history =
                    crate::repo::decode_events(&txn, self.vault(), case_id, &rows).await?;
                let case =
                    Case::replay(&history).map_err(|e| corrupt(format!("case {case_id}: {e}")))?;
                let head = rows.last().map(|r| r.hash.as_str()).unwrap_or_default();
                fresh.add(&case, head).map_err(storage)?;
            }
            fresh.insert(&txn, self.vault()).await.map_err(storage)?;
            after = Some(last);
        }
        txn.commit().await.map_err(storage)
    }

    /// Every row of the case read models, from one consistent snapshot, for comparing the
    /// read models before and after [`Store::rebuild_read_models`] or across backups.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn read_model_snapshot(&self) -> Result<ReadModelSnapshot, StorageError> {
        let txn = begin_snapshot(self.conn()).await.map_err(storage)?;
        let mut tables = BTreeMap::new();
        // States are compared opened: a sealed text gets a fresh nonce every time it is
        // written, so the stored bytes of equal states differ.
        let mut case_rows = Vec::new();
        for mut row in cases::Entity::find().all(&txn).await.map_err(storage)? {
            row.state = self
                .vault()
                .opener(row.id)
                .open(&txn, &row.state)
                .await?
                .into_owned();
            case_rows.push(format!("{row:?}"));
        }
        case_rows.sort();
        tables.insert("cases".to_owned(), case_rows);
        tables.insert(
            "case_clients".to_owned(),
            dump::<case_clients::Entity, _>(&txn).await?,
        );
        tables.insert(
            "case_reminder_triggers".to_owned(),
            dump::<case_reminder_triggers::Entity, _>(&txn).await?,
        );
        tables.insert(
            "case_reminder_facts".to_owned(),
            dump::<case_reminder_facts::Entity, _>(&txn).await?,
        );
        tables.insert(
            "case_attendance".to_owned(),
            dump::<case_attendance::Entity, _>(&txn).await?,
        );
        tables.insert(
            "case_esf".to_owned(),
            dump::<case_esf::Entity, _>(&txn).await?,
        );
        tables.insert(
            "case_name_words".to_owned(),
            dump::<case_name_words::Entity, _>(&txn).await?,
        );
        tables.insert(
            "case_statistics".to_owned(),
            dump::<case_statistics::Entity, _>(&txn).await?,
        );
        txn.commit().await.map_err(storage)?;
        Ok(ReadModelSnapshot { tables })
    }

    /// The reminders (*Wiedervorlagen*) due on `today` under `policy`, of one key worker's
    /// cases or of all cases, most urgent first; `calendar` gives the local days of stored
    /// instants, as for [`wegbereiter_core::reminders()`].
    ///
    /// The result equals [`wegbereiter_core::reminders()`] over every case; the
    /// `case_reminder_triggers` read model only narrows down which cases to ask, through an
    /// index per kind of reminder.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure, [`StorageError::Corrupt`] for a case that cannot
    /// be read.
    pub async fn reminders_due(
        &self,
        today: NaiveDate,
        calendar: &dyn LocalCalendar,
        policy: &Policy,
        key_worker: Option<StaffId>,
    ) -> Result<Vec<Reminder>, StorageError> {
        let mut ids: Vec<Uuid> = case_reminder_triggers::Entity::find()
            .select_only()
            .column(case_reminder_triggers::Column::CaseId)
            .distinct()
            .filter(mapping::trigger_condition(today, policy, key_worker))
            .into_tuple()
            .all(self.conn())
            .await
            .map_err(storage)?;
        ids.sort_unstable();
        let mut out: Vec<Reminder> = facts_of(self.conn(), &ids)
            .await?
            .iter()
            .filter(|(facts, _)| key_worker.is_none() || facts.key_worker == key_worker)
            .flat_map(|(facts, _)| wegbereiter_core::reminders_of(facts, today, calendar, policy))
            .collect();
        out.sort();
        Ok(out)
    }

    /// The reminders due on `today` under `policy` of the open cases of `team` that have no
    /// key worker yet (outreach nobody has been named for), most urgent first.
    ///
    /// Together with [`Store::reminders_due`] for one key worker this answers a dashboard
    /// without reading every case: the result equals the reminders of
    /// `reminders_due(today, calendar, policy, None)` whose case belongs to `team` and has no key
    /// worker. Both the trigger index (`key_worker_id IS NULL`) and the case list index by
    /// team narrow the query.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure, [`StorageError::Corrupt`] for a case that cannot
    /// be read.
    pub async fn reminders_due_unassigned(
        &self,
        today: NaiveDate,
        calendar: &dyn LocalCalendar,
        policy: &Policy,
        team: TeamId,
    ) -> Result<Vec<Reminder>, StorageError> {
        use sea_orm::sea_query::Query;
        let team_cases = Query::select()
            .column(cases::Column::Id)
            .from(cases::Entity)
            .and_where(cases::Column::TeamId.eq(team.as_uuid()))
            .and_where(cases::Column::KeyWorkerId.is_null())
            .to_owned();
        let mut ids: Vec<Uuid> = case_reminder_triggers::Entity::find()
            .select_only()
            .column(case_reminder_triggers::Column::CaseId)
            .distinct()
            .filter(mapping::trigger_condition(today, policy, None))
            .filter(case_reminder_triggers::Column::KeyWorkerId.is_null())
            .filter(case_reminder_triggers::Column::CaseId.in_subquery(team_cases))
            .into_tuple()
            .all(self.conn())
            .await
            .map_err(storage)?;
        ids.sort_unstable();
        let mut out: Vec<Reminder> = facts_of(self.conn(), &ids)
            .await?
            .iter()
            .filter(|(facts, _)| facts.team == Some(team) && facts.key_worker.is_none())
            .flat_map(|(facts, _)| wegbereiter_core::reminders_of(facts, today, calendar, policy))
            .collect();
        out.sort();
        Ok(out)
    }

    /// The reminders due on `today` under `policy` of the cases `scope` names that `reader`
    /// may know of (core's [`Visibility`]; `None`: every case), most urgent first, each with
    /// its client's name.
    ///
    /// The trigger indexes (`(key_worker_id, kind, base_date)`, `(team_id, key_worker_id,
    /// kind, base_date)`) find the candidate cases, so one person's reminders cost the same in
    /// a database of a thousand or of a million cases; only the candidates' reminder facts
    /// (`case_reminder_facts`, a few hundred bytes each, never the case state) are loaded,
    /// and core's `reminders_of()` decides on each. The result equals `reminders()` over every
    /// case `scope` and `reader` admit (the suite checks it on both backends).
    ///
    /// # Errors
    /// [`StorageError`] on backend failure, [`StorageError::Corrupt`] for a case that cannot
    /// be read.
    pub async fn reminders_for(
        &self,
        today: NaiveDate,
        calendar: &dyn LocalCalendar,
        policy: &Policy,
        scope: &ReminderScope,
        reader: Option<&Visibility>,
    ) -> Result<Vec<DueReminder>, StorageError> {
        Ok(self
            .reminders_page(today, calendar, policy, scope, reader, usize::MAX)
            .await?
            .items)
    }

    /// The first `limit` reminders of [`Store::reminders_for`] (most urgent first), and
    /// whether more follow: for a first screen that shows a page, not thousands.
    ///
    /// One query reads the candidates' trigger rows (ids and days, no case state); their
    /// reminder facts are then loaded in the order of the earliest day their reminders can be
    /// due on, and loading stops as soon as no case left can have a reminder that sorts into
    /// the page. A page loads the facts of a few dozen cases, whatever the number of
    /// candidates.
    ///
    /// # Errors
    /// As [`Store::reminders_for`].
    pub async fn reminders_page(
        &self,
        today: NaiveDate,
        calendar: &dyn LocalCalendar,
        policy: &Policy,
        scope: &ReminderScope,
        reader: Option<&Visibility>,
        limit: usize,
    ) -> Result<RemindersPage, StorageError> {
        let rows: Vec<(Uuid, String, NaiveDate)> =
            reminder_candidates(today, policy, scope, reader)
                .column(case_reminder_triggers::Column::Kind)
                .column(case_reminder_triggers::Column::BaseDate)
                .into_tuple()
                .all(self.conn())
                .await
                .map_err(storage)?;
        // Each case once, at core's bound of its rows.
        let mut by_case: std::collections::HashMap<Uuid, Vec<_>> = std::collections::HashMap::new();
        for (id, kind, base) in &rows {
            by_case
                .entry(*id)
                .or_default()
                .push((mapping::due_from(kind), *base));
        }
        let mut queue: Vec<(NaiveDate, Uuid)> = by_case
            .into_iter()
            .filter_map(|(id, rows)| {
                wegbereiter_core::reminders::case_due_lower_bound(&rows, today, policy)
                    .map(|b| (b, id))
            })
            .collect();
        queue.sort_unstable();
        let need = limit.saturating_add(1);
        let mut found: Vec<DueReminder> = Vec::new();
        let mut next = 0;
        while next < queue.len() {
            // Every case not loaded yet has its reminders on or after this day.
            let bound = queue[next].0;
            if found.len() >= need {
                found.sort_by(|a, b| a.reminder.cmp(&b.reminder));
                found.truncate(need);
                if found.last().is_some_and(|r| r.reminder.due < bound) {
                    break;
                }
            }
            let end = (next + PAGE_LOAD).min(queue.len());
            let ids: Vec<Uuid> = queue[next..end].iter().map(|(_, id)| *id).collect();
            next = end;
            for (facts, client_name) in facts_of(self.conn(), &ids).await? {
                if !scope.covers_case(facts.team, facts.key_worker)
                    || reader.is_some_and(|v| !v.covers_case(facts.team, facts.key_worker))
                {
                    continue;
                }
                found.extend(DueReminder::of_facts(
                    &facts,
                    &client_name,
                    today,
                    calendar,
                    policy,
                ));
            }
        }
        Ok(RemindersPage::first(found, limit))
    }

    /// The ESF Plus participants who entered or left between `from` and `to` (inclusive) in
    /// `scope` (every case, or those of one team now), as core's [`EsfRecord`]s (the case, its
    /// team and key worker now, what the report counts), in case id order: what core's
    /// `esf_report_of` counts and `esf_members` drills down for a report of that period. Reads
    /// the `case_esf` read model through its indexes by day of entry and of exit, never a case
    /// state.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure, [`StorageError::Corrupt`] for a row that does not
    /// parse.
    pub async fn esf_participants(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        scope: EsfScope,
    ) -> Result<Vec<EsfRecord>, StorageError> {
        let rows: Vec<(Uuid, Option<Uuid>, Option<Uuid>, String)> = esf_query(from, to, scope)
            .into_tuple()
            .all(self.conn())
            .await
            .map_err(storage)?;
        rows.iter()
            .map(|(id, team, key_worker, json)| {
                Ok(EsfRecord {
                    case: CaseId::from_uuid(*id),
                    team: team.map(TeamId::from_uuid),
                    key_worker: key_worker.map(StaffId::from_uuid),
                    participant: mapping::esf_participant_from_json(*id, json)?,
                })
            })
            .collect()
    }

    /// What every case active in `from..=to` in `scope` contributes to the statistics
    /// (core's `StatisticsRecord`s, in case id order), for core's `statistics` to count.
    /// Reads the `case_statistics` read model through its indexes by referral date and last
    /// day, never a case state; restricted cases have no row.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure or a row that is not core's facts.
    pub async fn statistics_records(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        scope: EsfScope,
    ) -> Result<Vec<StatisticsRecord>, StorageError> {
        let rows: Vec<(Uuid, Option<Uuid>, String)> = case_statistics::Entity::find()
            .select_only()
            .columns([
                case_statistics::Column::CaseId,
                case_statistics::Column::TeamId,
                case_statistics::Column::Facts,
            ])
            .filter(mapping::statistics_condition(from, to, scope))
            .order_by_asc(case_statistics::Column::CaseId)
            .into_tuple()
            .all(self.conn())
            .await
            .map_err(storage)?;
        rows.iter()
            .map(|(id, team, json)| {
                Ok(StatisticsRecord {
                    case: CaseId::from_uuid(*id),
                    team: team.map(TeamId::from_uuid),
                    facts: mapping::statistics_facts_from_json(*id, json)?,
                })
            })
            .collect()
    }

    /// What the funder export's duplicate check compares of the participants of `cases`
    /// (core's `DuplicateKey`: folded names and postcode, from the `case_clients` index), in
    /// case id order; a case without an index row (restricted, erased) has none.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn esf_duplicate_keys(
        &self,
        cases: &[CaseId],
    ) -> Result<Vec<wegbereiter_core::esf::export::DuplicateKey>, StorageError> {
        let mut out = Vec::with_capacity(cases.len());
        for chunk in cases.chunks(BATCH) {
            let rows: Vec<(Uuid, String, Option<String>)> = case_clients::Entity::find()
                .select_only()
                .columns([
                    case_clients::Column::CaseId,
                    case_clients::Column::NameKey,
                    case_clients::Column::Postcode,
                ])
                .filter(case_clients::Column::CaseId.is_in(chunk.iter().map(CaseId::as_uuid)))
                .into_tuple()
                .all(self.conn())
                .await
                .map_err(storage)?;
            out.extend(rows.into_iter().map(|(id, names, postcode)| {
                wegbereiter_core::esf::export::DuplicateKey {
                    case: CaseId::from_uuid(id),
                    names,
                    postcode,
                }
            }));
        }
        out.sort();
        Ok(out)
    }

    /// The open cases of `team` counted by key worker, status and phase, and per key worker
    /// the enrolled cases whose key-worker period ends within the warning window of `policy`
    /// on `today` (those for which core's `reminders()` names the period end): a team lead's
    /// overview in two grouped queries, without reading any case.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure, [`StorageError::Corrupt`] for an unknown status.
    pub async fn team_caseload(
        &self,
        team: TeamId,
        today: NaiveDate,
        policy: &Policy,
    ) -> Result<TeamCaseload, StorageError> {
        let rows: Vec<(Option<Uuid>, String, Option<String>, i64)> = caseload_query(team)
            .into_tuple()
            .all(self.conn())
            .await
            .map_err(storage)?;
        let counts = rows
            .into_iter()
            .map(|(key_worker, status, phase, n)| {
                mapping::load_count(key_worker, &status, phase.as_deref(), n)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let ending: Vec<(Uuid, i64)> = period_ending_query(team, today, policy)
            .into_tuple::<(Option<Uuid>, i64)>()
            .all(self.conn())
            .await
            .map_err(storage)?
            .into_iter()
            .filter_map(|(k, n)| Some((k?, n)))
            .collect();
        Ok(TeamCaseload {
            counts,
            ending: ending
                .into_iter()
                .map(|(k, n)| (StaffId::from_uuid(k), u64::try_from(n).unwrap_or(0)))
                .collect(),
        })
    }

    /// Attendance recorded for a Phase 2 group session, by case id.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn attendance_for_session(
        &self,
        session: GroupSessionId,
    ) -> Result<Vec<(CaseId, Attendance)>, StorageError> {
        case_attendance::Entity::find()
            .filter(case_attendance::Column::SessionId.eq(mapping::session_uuid(session)))
            .order_by_asc(case_attendance::Column::CaseId)
            .all(self.conn())
            .await
            .map_err(storage)?
            .iter()
            .map(mapping::attendance_from_row)
            .collect()
    }

    /// Number of cases.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn case_count(&self) -> Result<u64, StorageError> {
        cases::Entity::find()
            .count(self.conn())
            .await
            .map_err(storage)
    }
}
