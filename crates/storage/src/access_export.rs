//! The client's access export (Art. 15 GDPR): everything stored about one person, across all
//! their cases, for the data-protection officer to hand over.
//!
//! [`Store::access_export`] starts from one case and adds every other case of the same person:
//! the same name (as stored in `cases.client_name_lower`) *and* the same date of birth. Without
//! a date of birth only the named case is included, because a name alone may be someone
//! else's; the export says which rule it matched by. Restricted cases are included (the
//! export is the one place that shows them). Per case: the current state, the complete
//! history (erased content appears as the record of its erasure), every read of the file from
//! the access log with the reader's name at the time, and each category's retention date.
//! The export itself is recorded in the access log of every case it contains.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::prelude::Uuid;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use wegbereiter_core::case::Case;
use wegbereiter_core::event::RecordedEvent;
use wegbereiter_core::ids::{CaseId, StaffId};
use wegbereiter_core::ports::{AccessEntry, AccessKind, AccessLog, CaseRepository, StorageError};
use wegbereiter_core::retention::{RetentionDate, retention_dates};

use crate::entity::cases;
use crate::error::storage;
use crate::repo::load_many;
use crate::{AccessQuery, AccessRecord, Store};

/// How the other cases of the person were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonMatch {
    /// Same stored name and date of birth.
    NameAndDateOfBirth,
    /// No date of birth is stored: only the named case.
    OnlyThisCase,
}

/// One case in the export.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportedCase {
    /// The current state (what every screen shows), restricted or not.
    pub case: Case,
    /// The complete, attributed history, oldest first.
    pub history: Vec<RecordedEvent>,
    /// Every read of the case file, oldest first, with the reader's name at the time.
    pub reads: Vec<ExportedRead>,
    /// Each category's retention date.
    pub retention: Vec<RetentionDate>,
}

/// One read of a case file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedRead {
    /// When.
    pub at: DateTime<Utc>,
    /// Who (id).
    pub reader: StaffId,
    /// Who (sign-in name at the time), if recorded.
    pub reader_login: Option<String>,
    /// Who (display name at the time), if recorded.
    pub reader_name: Option<String>,
    /// What was read.
    pub kind: AccessKind,
}

/// Everything stored about one person.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccessExport {
    /// The day the export was made (retention dates are as of then).
    pub made_on: NaiveDate,
    /// How the cases were found.
    pub matched_by: PersonMatch,
    /// The person's cases, oldest referral first.
    pub cases: Vec<ExportedCase>,
}

impl Store {
    /// The access export of the person of case `id` (see the module documentation), made by
    /// `reader` at `now` (its day `today` in the installation's zone): recorded in the access
    /// log of every included case as an export. Who may make it is the caller's decision
    /// (the CLI asks for the data-protection officer). `None` when no such case exists.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure or corrupt rows.
    pub async fn access_export(
        &self,
        id: CaseId,
        reader: StaffId,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<Option<AccessExport>, StorageError> {
        let Some(row) = cases::Entity::find_by_id(id.as_uuid())
            .one(self.conn())
            .await
            .map_err(storage)?
        else {
            return Ok(None);
        };
        let (ids, matched_by) = match row.date_of_birth {
            Some(born) => {
                let ids: Vec<Uuid> = cases::Entity::find()
                    .select_only()
                    .column(cases::Column::Id)
                    .filter(cases::Column::ClientNameLower.eq(row.client_name_lower.clone()))
                    .filter(cases::Column::DateOfBirth.eq(born))
                    .order_by_asc(cases::Column::ReferralDate)
                    .order_by_asc(cases::Column::Id)
                    .into_tuple()
                    .all(self.conn())
                    .await
                    .map_err(storage)?;
                (ids, PersonMatch::NameAndDateOfBirth)
            }
            None => (vec![row.id], PersonMatch::OnlyThisCase),
        };
        let rules = self.retention_rules().await?;
        let mut out = Vec::with_capacity(ids.len());
        for case in load_many(self.conn(), self.vault(), &ids).await? {
            let history = self.history(case.id).await?;
            let reads = self.reads_of(case.id).await?;
            let retention = retention_dates(&case, &rules, today);
            out.push(ExportedCase {
                case,
                history,
                reads,
                retention,
            });
        }
        for case in &out {
            self.record_access(&AccessEntry {
                at: now,
                actor: reader,
                case_id: case.case.id,
                kind: AccessKind::Export,
            })
            .await?;
        }
        Ok(Some(AccessExport {
            made_on: today,
            matched_by,
            cases: out,
        }))
    }

    /// Every read of one case file, oldest first.
    async fn reads_of(&self, id: CaseId) -> Result<Vec<ExportedRead>, StorageError> {
        let mut reads: Vec<AccessRecord> = Vec::new();
        let mut before = None;
        loop {
            let page = self
                .access_page(&AccessQuery {
                    cases: Some(vec![id]),
                    before,
                    limit: 500,
                    ..AccessQuery::default()
                })
                .await?;
            reads.extend(page.items);
            match page.next {
                Some(next) => before = Some(next),
                None => break,
            }
        }
        reads.reverse();
        Ok(reads
            .into_iter()
            .map(|r| ExportedRead {
                at: r.entry.at,
                reader: r.entry.actor,
                reader_login: r.reader_login,
                reader_name: r.reader_name,
                kind: r.entry.kind,
            })
            .collect())
    }
}
