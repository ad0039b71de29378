//! Read models: the query tables derived from the case histories.
//!
//! `cases` (list columns and the current state), `case_clients` (duplicate hints),
//! `case_reminder_triggers` (reminders due) and `case_attendance` (attendance sheets) are
//! written by [`write_case`] in the same transaction as the events that change them, and can
//! be rebuilt from the events alone ([`Store::rebuild_read_models`]).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sea_orm::prelude::Uuid;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use wegbereiter_core::calendar::LocalCalendar;
use wegbereiter_core::case::Case;
use wegbereiter_core::command::Policy;
use wegbereiter_core::handover::Attendance;
use wegbereiter_core::ids::{CaseId, GroupSessionId, StaffId, TeamId};
use wegbereiter_core::ports::StorageError;
use wegbereiter_core::reminders::Reminder;

use crate::entity::{case_attendance, case_clients, case_reminder_triggers, cases, events};
use crate::error::{corrupt, storage};
use crate::repo::{BATCH, load_many, upsert};
use crate::{Backend, Store, begin_snapshot, begin_write, mapping};

/// Writes every read-model row of `case`, whose last event has hash `head_hash`.
pub(crate) async fn write_case<C: ConnectionTrait>(
    conn: &C,
    case: &Case,
    head_hash: &str,
) -> Result<(), DbErr> {
    let id = case.id.as_uuid();
    let row = mapping::case_row(case, head_hash).map_err(|e| DbErr::Custom(e.to_string()))?;
    upsert(row, conn).await?;
    replace_rows(
        conn,
        case_clients::Column::CaseId,
        id,
        vec![mapping::client_row(case)],
    )
    .await?;
    replace_rows(
        conn,
        case_reminder_triggers::Column::CaseId,
        id,
        mapping::trigger_rows(case),
    )
    .await?;
    replace_rows(
        conn,
        case_attendance::Column::CaseId,
        id,
        mapping::attendance_rows(case),
    )
    .await?;
    Ok(())
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
    attendance: Vec<case_attendance::ActiveModel>,
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
        self.clients.push(mapping::client_row(case));
        self.triggers.extend(mapping::trigger_rows(case));
        self.attendance.extend(mapping::attendance_rows(case));
        Ok(())
    }

    pub(crate) async fn insert<C: ConnectionTrait>(self, conn: &C) -> Result<(), DbErr> {
        // `cases` first: the other tables refer to it.
        insert_chunked(conn, self.cases).await?;
        insert_chunked(conn, self.clients).await?;
        insert_chunked(conn, self.triggers).await?;
        insert_chunked(conn, self.attendance).await
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
        case_reminder_triggers::Entity::delete_many()
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
                let history = rows
                    .iter()
                    .map(|row| {
                        mapping::event_from_row(row).map_err(|reason| {
                            corrupt(format!("case {case_id}, event {}: {reason}", row.sequence))
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let case =
                    Case::replay(&history).map_err(|e| corrupt(format!("case {case_id}: {e}")))?;
                let head = rows.last().map(|r| r.hash.as_str()).unwrap_or_default();
                fresh.add(&case, head).map_err(storage)?;
            }
            fresh.insert(&txn).await.map_err(storage)?;
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
        tables.insert("cases".to_owned(), dump::<cases::Entity, _>(&txn).await?);
        tables.insert(
            "case_clients".to_owned(),
            dump::<case_clients::Entity, _>(&txn).await?,
        );
        tables.insert(
            "case_reminder_triggers".to_owned(),
            dump::<case_reminder_triggers::Entity, _>(&txn).await?,
        );
        tables.insert(
            "case_attendance".to_owned(),
            dump::<case_attendance::Entity, _>(&txn).await?,
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
        let mut out: Vec<Reminder> = load_many(self.conn(), &ids)
            .await?
            .iter()
            .flat_map(|case| mapping::case_reminders(case, today, calendar, policy, key_worker))
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
        let mut out: Vec<Reminder> = load_many(self.conn(), &ids)
            .await?
            .iter()
            .filter(|case| case.team == Some(team) && case.key_worker.is_none())
            .flat_map(|case| mapping::case_reminders(case, today, calendar, policy, None))
            .collect();
        out.sort();
        Ok(out)
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
