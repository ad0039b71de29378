//! The plans the database chooses for the hot read queries (`EXPLAIN QUERY PLAN` on SQLite,
//! `EXPLAIN` on PostgreSQL), so that a test can fail when an index these queries rely on goes
//! missing or stops being used.
//!
//! The statements are built by the same functions the read paths use
//! (`read_model::reminder_candidates`, `esf_query`, `caseload_query`, `period_ending_query`,
//! `repo::list_query`, the chain query of `verify`), with typical parameters.

use chrono::NaiveDate;
use sea_orm::prelude::Uuid;
use sea_orm::{ConnectionTrait, QueryTrait, Statement, TransactionTrait};
use wegbereiter_core::command::Policy;
use wegbereiter_core::esf::EsfScope;
use wegbereiter_core::ids::{StaffId, TeamId};
use wegbereiter_core::ports::{CaseFilter, StorageError, Visibility};

use crate::error::storage;
use crate::read_model::{caseload_query, esf_query, period_ending_query, reminder_candidates};
use crate::repo::list_query;
use crate::{Backend, ReminderScope, Store};

/// One hot read query and the plan the database chose for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryPlan {
    /// What the query answers, e.g. "reminders of one person".
    pub query: &'static str,
    /// The plan, one step per line, as the database wrote it.
    pub plan: String,
}

impl QueryPlan {
    /// Whether the plan reads a whole table (or a whole index in an order the query does not
    /// need) instead of looking rows up: `SCAN t` without an index on SQLite, `Seq Scan` on
    /// PostgreSQL. `allowed` names tables whose full scan the query is meant to make (e.g.
    /// `verify` reads every event in key order).
    #[must_use]
    pub fn scans_a_table(&self, allowed: &[&str]) -> bool {
        self.plan.lines().any(|line| {
            let line = line.trim();
            let sqlite_scan = line.starts_with("SCAN ") && !line.contains(" USING ");
            let postgres_scan = line.contains("Seq Scan on ");
            (sqlite_scan || postgres_scan) && !allowed.iter().any(|t| line.contains(t))
        })
    }

    /// Whether the plan answers from indexes alone on SQLite (`COVERING INDEX` for every
    /// search or scan, no table row read): for counts over many rows, whose table rows
    /// hold whole case states. `None` on PostgreSQL, whose planner picks index-only scans by
    /// statistics.
    #[must_use]
    pub fn sqlite_reads_only_indexes(&self) -> Option<bool> {
        // SQLite's steps are `SEARCH …` and `SCAN …` in capitals; PostgreSQL's read `… Scan`.
        let steps: Vec<&str> = self
            .plan
            .lines()
            .filter(|l| l.contains("SEARCH ") || l.contains("SCAN "))
            .collect();
        (!steps.is_empty()).then(|| steps.iter().all(|l| l.contains("COVERING INDEX")))
    }

    /// Whether the plan sorts the rows itself instead of reading them in index order.
    #[must_use]
    pub fn sorts(&self) -> bool {
        self.plan.lines().any(|line| {
            line.contains("USE TEMP B-TREE FOR ORDER BY")
                || line.trim_start().starts_with("Sort ")
                || line.contains("->  Sort ")
        })
    }
}

impl Store {
    /// The plans of the hot read queries: a person's reminders, the reminders of everyone a
    /// reader may see, the ESF participants of a year, the first page of the case list (all,
    /// by status, a key worker's open cases, a team's unassigned cases), a name search, the
    /// searches of one search field (by birth date, by case number, by folded name with
    /// whole words first: `CaseFilter::search`), a team's caseload and the chain query of
    /// [`Store::verify`].
    ///
    /// On PostgreSQL sequential scans are switched off for the `EXPLAIN` (inside a transaction
    /// that is rolled back): with the few rows of a test database the planner would rightly
    /// prefer them, but with sequential scans off it still reads a whole table only when no
    /// index serves the query, which is what the plans are checked for.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn read_query_plans(&self) -> Result<Vec<QueryPlan>, StorageError> {
        let backend = self.conn().get_database_backend();
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default();
        let staff = StaffId::from_uuid(Uuid::from_u128(1));
        let team = TeamId::from_uuid(Uuid::from_u128(2));
        let reader = Visibility {
            staff,
            teams: vec![team],
        };
        let person = ReminderScope::Person {
            staff,
            teams: vec![team],
        };
        let policy = Policy::default();
        let page = |filter: CaseFilter| {
            list_query(&CaseFilter {
                limit: Some(50),
                ..filter
            })
            .build(backend)
        };
        let year = (
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default(),
        );
        let queries: Vec<(&'static str, Statement)> = vec![
            (
                "reminders of one person",
                reminder_candidates(today, &policy, &person, Some(&reader)).build(backend),
            ),
            (
                "reminders of every case a reader may see",
                reminder_candidates(today, &policy, &ReminderScope::All, Some(&reader))
                    .build(backend),
            ),
            (
                "ESF participants of a year, one team",
                esf_query(year.0, year.1, EsfScope::Team(team)).build(backend),
            ),
            (
                "ESF participants of a year, the whole project",
                esf_query(year.0, year.1, EsfScope::All).build(backend),
            ),
            ("case list, first page", page(CaseFilter::default())),
            (
                "case list by status, first page",
                page(CaseFilter {
                    status: Some(wegbereiter_core::CaseStatus::Enrolled),
                    ..CaseFilter::default()
                }),
            ),
            (
                "open cases of one key worker, first page",
                page(CaseFilter {
                    key_worker: Some(staff),
                    open_only: true,
                    visible_to: Some(reader.clone()),
                    ..CaseFilter::default()
                }),
            ),
            (
                "unassigned open cases of a team, first page",
                page(CaseFilter {
                    team: Some(team),
                    unassigned: true,
                    open_only: true,
                    ..CaseFilter::default()
                }),
            ),
            (
                "name search",
                list_query(&CaseFilter {
                    name_contains: Some("musterfrau erika".into()),
                    visible_to: Some(reader.clone()),
                    ..CaseFilter::default()
                })
                .build(backend),
            ),
            (
                "search by birth date",
                list_query(&CaseFilter {
                    visible_to: Some(reader.clone()),
                    limit: Some(51),
                    ..CaseFilter::search("12.03.1985")
                })
                .build(backend),
            ),
            (
                "search by case number",
                list_query(&CaseFilter {
                    visible_to: Some(reader.clone()),
                    limit: Some(51),
                    ..CaseFilter::search("ABCDE-F1234")
                })
                .build(backend),
            ),
            (
                "search by folded name, whole words first",
                list_query(&CaseFilter {
                    visible_to: Some(reader.clone()),
                    limit: Some(51),
                    ..CaseFilter::search("Muessig Juergen")
                })
                .build(backend),
            ),
            ("caseload of a team", caseload_query(team).build(backend)),
            (
                "period ends of a team",
                period_ending_query(team, today, &policy).build(backend),
            ),
            (
                "verify: every event in key order",
                Statement::from_string(backend, crate::chain::CHAIN_QUERY),
            ),
        ];
        let txn = self.conn().begin().await.map_err(storage)?;
        if self.backend() == Backend::Postgres {
            txn.execute_unprepared("SET LOCAL enable_seqscan = off")
                .await
                .map_err(storage)?;
        }
        let mut out = Vec::with_capacity(queries.len());
        for (query, statement) in queries {
            let prefix = match self.backend() {
                Backend::Sqlite => "EXPLAIN QUERY PLAN ",
                Backend::Postgres => "EXPLAIN ",
            };
            let explain = Statement {
                sql: format!("{prefix}{}", statement.sql),
                ..statement
            };
            let rows = txn.query_all_raw(explain).await.map_err(storage)?;
            let mut plan = Vec::new();
            for row in rows {
                let line: String = match self.backend() {
                    Backend::Sqlite => row.try_get("", "detail"),
                    Backend::Postgres => row.try_get("", "QUERY PLAN"),
                }
                .map_err(storage)?;
                plan.push(line);
            }
            out.push(QueryPlan {
                query,
                plan: plan.join("\n"),
            });
        }
        txn.rollback().await.map_err(storage)?;
        Ok(out)
    }
}
