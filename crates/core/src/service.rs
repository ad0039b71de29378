//! The one write path and the one read path: load a case, check the access policy, decide a
//! command, append the events; or check, log and filter a read.
//!
//! [`CaseService`] works over any [`CaseRepository`]; the CLI, the web frontend and embedders
//! all read and change cases through it, so no rule (process or access, [`crate::access`])
//! is re-decided anywhere else.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, Utc};

use crate::access::{self, AccessDenied};
use crate::calendar::LocalCalendar;
use crate::case::{Case, CaseSummary};
use crate::command::{Command, Context, Policy, handle};
use crate::error::DomainError;
use crate::event::RecordedEvent;
use crate::ids::{CaseId, DocumentId};
use crate::ports::{
    AccessEntry, AccessKind, AccessLog, CaseFilter, CaseRepository, KeptDocument, StorageError,
    Visibility,
};
use crate::report::SentReport;
use crate::staff::Actor;

/// Why a command did not take effect.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ServiceError {
    /// A process rule refused the command.
    #[error(transparent)]
    Rule(#[from] DomainError),
    /// No case with this id.
    #[error("case {0} not found")]
    NotFound(CaseId),
    /// The access policy refused: the person may know of the case (or the step concerns no
    /// case) but lacks right `0`. Frontends answer 403 / "not permitted" with
    /// [`access::Right::refusal`].
    #[error("not permitted for this person: {0}")]
    Forbidden(access::Right),
    /// The access policy refused: the person may not know that case `0` exists. Frontends
    /// must answer exactly as for [`ServiceError::NotFound`].
    #[error("case {0} not found")]
    NotVisible(CaseId),
    /// Someone else changed the case in the meantime; nothing was written.
    #[error("case {case} was changed in the meantime (you saw version {expected}, now {actual})")]
    Conflict {
        /// The case.
        case: CaseId,
        /// The version the user worked on.
        expected: u64,
        /// The version found.
        actual: u64,
    },
    /// Storage failed.
    #[error(transparent)]
    Storage(StorageError),
}

impl From<StorageError> for ServiceError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::Conflict {
                case,
                expected,
                actual,
            } => Self::Conflict {
                case,
                expected,
                actual,
            },
            other => Self::Storage(other),
        }
    }
}

impl ServiceError {
    fn denied(denied: AccessDenied, case: CaseId) -> Self {
        match denied {
            AccessDenied::NotVisible => Self::NotVisible(case),
            AccessDenied::Forbidden(right) => Self::Forbidden(right),
        }
    }

    /// Whether a frontend must answer as for an unknown case ([`ServiceError::NotFound`] and
    /// [`ServiceError::NotVisible`] alike, so the answer never tells which).
    #[must_use]
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::NotFound(_) | Self::NotVisible(_))
    }
}

/// The result of an accepted command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Executed {
    /// The case after the command.
    pub case: Case,
    /// The events written.
    pub events: Vec<RecordedEvent>,
}

/// New cases decided by [`CaseService::decide_openings`]: the first events of each, ready
/// for [`CaseService::write_openings`]. Only the service makes them, so what is written was
/// decided by the rules and the access policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecidedOpenings {
    histories: Vec<Vec<RecordedEvent>>,
}

impl DecidedOpenings {
    /// How many cases were decided.
    #[must_use]
    pub fn len(&self) -> usize {
        self.histories.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.histories.is_empty()
    }
}

/// How often [`CaseService::execute`] tries a command that may be retried
/// ([`Command::commutes`]) before it gives up with [`ServiceError::Conflict`].
pub const RETRY_ATTEMPTS: u32 = 12;

/// Waits before the given retry (1 for the first retry, 2 for the second, …) of a command
/// that lost a race ([`CaseService::with_retry_pause`]). Core has no clock and no runtime,
/// so the frontend's runtime supplies the waiting.
pub type RetryPause = Arc<dyn Fn(u32) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// Runs commands against a case repository.
#[derive(Clone)]
pub struct CaseService {
    repo: Arc<dyn CaseRepository>,
    policy: Policy,
    retry_pause: Option<RetryPause>,
    calendar: Option<Arc<dyn LocalCalendar>>,
}

impl std::fmt::Debug for CaseService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaseService")
            .field("policy", &self.policy)
            .field("retry_pause", &self.retry_pause.is_some())
            .finish_non_exhaustive()
    }
}

impl CaseService {
    /// A service over `repo` with `policy`.
    #[must_use]
    pub fn new(repo: Arc<dyn CaseRepository>, policy: Policy) -> Self {
        Self {
            repo,
            policy,
            retry_pause: None,
            calendar: None,
        }
    }

    /// The same service, taking the calendar days of stored instants (the contact attempts
    /// the outreach end rule counts) in the installation's time zone `calendar`. Without it
    /// the offset of `now` stands for the zone, which is off by a day for an instant between
    /// midnight and the clock change on the other side of a daylight-saving change.
    #[must_use]
    pub fn with_calendar(mut self, calendar: Arc<dyn LocalCalendar>) -> Self {
        self.calendar = Some(calendar);
        self
    }

    /// The same service, waiting with `pause` before each retry of a command that lost a race
    /// (see [`CaseService::execute_at`]). Without it a retry follows at once, which is correct
    /// but lets writers that started together collide again; a short pause with some jitter
    /// spreads them out (`wegbereiter-storage` installs one on tokio).
    #[must_use]
    pub fn with_retry_pause(mut self, pause: RetryPause) -> Self {
        self.retry_pause = Some(pause);
        self
    }

    /// The policy in force.
    #[must_use]
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The repository.
    #[must_use]
    pub fn repository(&self) -> &Arc<dyn CaseRepository> {
        &self.repo
    }

    /// Loads a case.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`] or [`ServiceError::Storage`].
    pub async fn case(&self, id: CaseId) -> Result<Case, ServiceError> {
        self.repo.load(id).await?.ok_or(ServiceError::NotFound(id))
    }

    /// Loads case `id` for `reader` and checks that the access policy lets them read it at
    /// `at` (a former key worker's read-only period ends at an instant), without logging:
    /// for deciding what to offer, never for showing the case file.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`], [`ServiceError::NotVisible`] (the reader may not know of
    /// the case), [`ServiceError::Forbidden`] (the reader's roles never open cases),
    /// [`ServiceError::Storage`].
    pub async fn case_for(
        &self,
        id: CaseId,
        reader: &Actor,
        at: DateTime<Utc>,
    ) -> Result<Case, ServiceError> {
        let case = self.case(id).await?;
        access::check(
            reader,
            Some(&self.summary_at(&case, at)),
            access::Right::Read,
        )
        .map_err(|d| ServiceError::denied(d, id))?;
        Ok(case)
    }

    /// The summary of `case` the access policy decides on at `at`, with this service's
    /// policy ([`Case::summary_at`]); frontends ask [`crate::access`] what to offer with it.
    #[must_use]
    pub fn summary_at(&self, case: &Case, at: DateTime<Utc>) -> CaseSummary {
        case.summary_at(at, &self.policy)
    }

    /// Reads case file `id` for `reader` at `at`: checks the access policy
    /// ([`crate::access`]), records the read in `log` (rule R16: no case file is shown whose
    /// reading is not logged), then returns the case as the reader may read it
    /// ([`Case::for_reader`], rule R14).
    ///
    /// # Errors
    /// As [`CaseService::case_for`] (nothing is logged then); [`ServiceError::Storage`] when
    /// logging fails (the case is not returned).
    pub async fn read_for(
        &self,
        id: CaseId,
        reader: &Actor,
        kind: AccessKind,
        log: &dyn AccessLog,
        at: DateTime<Utc>,
    ) -> Result<Case, ServiceError> {
        let case = self.case_for(id, reader, at).await?;
        log.record_access(&AccessEntry {
            at,
            actor: reader.id,
            case_id: id,
            kind,
        })
        .await?;
        Ok(case.for_reader(Some(reader)))
    }

    /// The history of case `id` for `reader` at `at`, each event as the reader may read it
    /// ([`crate::event::CaseEvent::for_reader`]); checked and logged as
    /// [`CaseService::read_for`] with [`AccessKind::History`].
    ///
    /// # Errors
    /// As [`CaseService::read_for`].
    pub async fn history_for(
        &self,
        id: CaseId,
        reader: &Actor,
        log: &dyn AccessLog,
        at: DateTime<Utc>,
    ) -> Result<Vec<RecordedEvent>, ServiceError> {
        let mut history = self.repo.history(id).await?;
        if history.is_empty() {
            return Err(ServiceError::NotFound(id));
        }
        let case = Case::replay(&history).map_err(|e| StorageError::Corrupt(e.to_string()))?;
        access::check(
            reader,
            Some(&self.summary_at(&case, at)),
            access::Right::Read,
        )
        .map_err(|d| ServiceError::denied(d, id))?;
        log.record_access(&AccessEntry {
            at,
            actor: reader.id,
            case_id: id,
            kind: AccessKind::History,
        })
        .await?;
        for event in &mut history {
            event.event = event.event.for_reader(Some(reader));
        }
        Ok(history)
    }

    /// The case summaries matching `filter` that `reader` may know of, in the repository's
    /// list order.
    ///
    /// # Errors
    /// [`ServiceError::Forbidden`] when the reader's roles never open cases (or the account
    /// is deactivated); [`ServiceError::Storage`].
    pub async fn list_for(
        &self,
        reader: &Actor,
        filter: &CaseFilter,
    ) -> Result<Vec<CaseSummary>, ServiceError> {
        if !access::works_on_cases(reader) {
            return Err(ServiceError::Forbidden(access::Right::Read));
        }
        let filter = CaseFilter {
            visible_to: Some(Visibility::of(reader)),
            ..filter.clone()
        };
        Ok(self.repo.list(&filter).await?)
    }

    /// Runs `command` on case `id` as `actor` at `now`.
    ///
    /// A [`Command::Refer`] opens case `id`; every other command needs an existing case.
    ///
    /// The access policy ([`crate::access::authorize`]) is checked before the process rules.
    ///
    /// # Errors
    /// [`ServiceError::NotVisible`] / [`ServiceError::Forbidden`] when the access policy
    /// refuses, [`ServiceError::Rule`] when a rule refuses, [`ServiceError::NotFound`] for an
    /// unknown case, [`ServiceError::Conflict`] when another writer won,
    /// [`ServiceError::Storage`].
    pub async fn execute(
        &self,
        id: CaseId,
        command: &Command,
        actor: &Actor,
        now: DateTime<FixedOffset>,
    ) -> Result<Executed, ServiceError> {
        self.execute_at(id, None, command, actor, now).await
    }

    /// Opens many cases at once, e.g. from a Jobcenter import: every `(id, command)` must be
    /// a [`Command::Refer`]. All commands are decided first; if any is refused, nothing is
    /// written. Ids that already exist are skipped. The repository writes the rest all or
    /// nothing where it overrides [`CaseRepository::append_new_cases`] (both bundled
    /// repositories do). Returns the ids of the cases created.
    ///
    /// This is [`CaseService::decide_openings`] followed by
    /// [`CaseService::write_openings`]; a dry run calls only the first.
    ///
    /// # Errors
    /// As [`CaseService::decide_openings`] and [`CaseService::write_openings`].
    pub async fn open_cases(
        &self,
        openings: &[(CaseId, Command)],
        actor: &Actor,
        now: DateTime<FixedOffset>,
    ) -> Result<Vec<CaseId>, ServiceError> {
        let decided = self.decide_openings(openings, actor, now)?;
        self.write_openings(&decided).await
    }

    /// Checks the access policy for and decides every opening of
    /// [`CaseService::open_cases`], writing nothing: what a dry run of an import needs, and
    /// what [`CaseService::write_openings`] then writes without deciding anything again.
    ///
    /// # Errors
    /// [`ServiceError::Forbidden`] unless `actor` may enter referrals for every command's team
    /// ([`crate::access::can_enter_referral_for`]); [`ServiceError::Rule`] for the first
    /// refused command (naming no index: the caller validates row by row first if it needs
    /// to report rows).
    pub fn decide_openings(
        &self,
        openings: &[(CaseId, Command)],
        actor: &Actor,
        now: DateTime<FixedOffset>,
    ) -> Result<DecidedOpenings, ServiceError> {
        let ctx = Context {
            actor,
            now,
            policy: &self.policy,
            calendar: self.calendar.as_deref(),
        };
        for (id, command) in openings {
            if matches!(command, Command::Refer { .. }) {
                access::authorize(actor, None, command)
                    .map_err(|d| ServiceError::denied(d, *id))?;
            }
        }
        let histories = openings
            .iter()
            .map(|(id, command)| match command {
                Command::Refer { .. } => handle(*id, None, command, &ctx),
                _ => Err(DomainError::CaseNotStarted),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(DecidedOpenings { histories })
    }

    /// Writes openings decided by [`CaseService::decide_openings`] in one step
    /// ([`CaseRepository::append_new_cases`]); returns the ids of the cases created (those
    /// that existed already are skipped).
    ///
    /// # Errors
    /// [`ServiceError::Conflict`] when another writer opened one of the cases meanwhile,
    /// [`ServiceError::Storage`]; nothing is written then where the repository writes all or
    /// nothing.
    pub async fn write_openings(
        &self,
        decided: &DecidedOpenings,
    ) -> Result<Vec<CaseId>, ServiceError> {
        Ok(self.repo.append_new_cases(&decided.histories).await?)
    }

    /// Like [`CaseService::execute`], but refuses with [`ServiceError::Conflict`] unless the
    /// case is still at `seen_version`, the version the user looked at when preparing the
    /// command. This is how "changed in the meantime" reaches a form.
    ///
    /// **Retries.** Without a `seen_version`, a command whose decision does not depend on
    /// what another writer changed ([`Command::commutes`]: a contact, a rating, an
    /// attendance, …) that loses a race to another writer is loaded, authorised and decided
    /// again against the new state and appended, up to [`RETRY_ATTEMPTS`] attempts in all,
    /// with the pause of [`CaseService::with_retry_pause`] in between. Every other command,
    /// and every command given with a `seen_version`, is refused with
    /// [`ServiceError::Conflict`] at the first lost race: the user must look at the new state.
    ///
    /// # Errors
    /// As [`CaseService::execute`]; [`ServiceError::Conflict`] also after the last retry.
    pub async fn execute_at(
        &self,
        id: CaseId,
        seen_version: Option<u64>,
        command: &Command,
        actor: &Actor,
        now: DateTime<FixedOffset>,
    ) -> Result<Executed, ServiceError> {
        let retries = seen_version.is_none() && command.commutes();
        let mut attempt = 1;
        loop {
            match self
                .attempt(id, seen_version, command, actor, now, None)
                .await
            {
                Err(ServiceError::Conflict { .. }) if retries && attempt < RETRY_ATTEMPTS => {
                    if let Some(pause) = &self.retry_pause {
                        pause(attempt).await;
                    }
                    attempt += 1;
                }
                result => return result,
            }
        }
    }

    /// Records `report` as sent to the Jobcenter on case `id` and keeps `pdf`, the exact
    /// bytes sent, with the event in one write ([`CaseRepository::append_with_document`]).
    /// The report must be computable at `report.as_of` ([`crate::report::jobcenter_report`]:
    /// its consent in force then); `report.bytes` is set to the length of `pdf`. Never
    /// retried: the user must look at a case changed in the meantime.
    ///
    /// # Errors
    /// As [`CaseService::execute_at`]; [`ServiceError::Storage`] when the repository keeps no
    /// documents or the bytes do not have `report.sha256`.
    pub async fn record_sent(
        &self,
        id: CaseId,
        seen_version: Option<u64>,
        report: &SentReport,
        pdf: Vec<u8>,
        actor: &Actor,
        now: DateTime<FixedOffset>,
    ) -> Result<Executed, ServiceError> {
        let mut report = report.clone();
        report.bytes = pdf.len() as u64;
        let document = KeptDocument {
            id: report.document,
            case_id: id,
            media_type: "application/pdf",
            sha256: report.sha256.clone(),
            bytes: pdf,
        };
        let command = Command::RecordReportSent { report };
        self.attempt(id, seen_version, &command, actor, now, Some(&document))
            .await
    }

    /// A report recorded as sent on case `id` and its kept bytes, for `reader` at `at`:
    /// checked as [`CaseService::case_for`] and logged as an [`AccessKind::Export`]. The
    /// bytes are those sent, whatever consent was withdrawn since. `None` when the case has
    /// no such report, or its bytes are gone (erased).
    ///
    /// # Errors
    /// As [`CaseService::read_for`].
    pub async fn sent_document(
        &self,
        id: CaseId,
        document: DocumentId,
        reader: &Actor,
        log: &dyn AccessLog,
        at: DateTime<Utc>,
    ) -> Result<Option<(SentReport, Vec<u8>)>, ServiceError> {
        let case = self.case_for(id, reader, at).await?;
        let Some(report) = case.sent_reports.iter().find(|r| r.document == document) else {
            return Ok(None);
        };
        log.record_access(&AccessEntry {
            at,
            actor: reader.id,
            case_id: id,
            kind: AccessKind::Export,
        })
        .await?;
        Ok(self
            .repo
            .document(id, document)
            .await?
            .map(|bytes| (report.clone(), bytes)))
    }

    /// One attempt of [`CaseService::execute_at`]: load, authorise, decide, append (with
    /// `document` when the command records one).
    async fn attempt(
        &self,
        id: CaseId,
        seen_version: Option<u64>,
        command: &Command,
        actor: &Actor,
        now: DateTime<FixedOffset>,
        document: Option<&KeptDocument>,
    ) -> Result<Executed, ServiceError> {
        let current = self.repo.load(id).await?;
        if current.is_none() && !matches!(command, Command::Refer { .. }) {
            return Err(ServiceError::NotFound(id));
        }
        // The access policy first, so that a refusal tells nothing about the case's version.
        let summary = current.as_ref().map(|c| self.summary_at(c, now.to_utc()));
        access::authorize(actor, summary.as_ref(), command)
            .map_err(|d| ServiceError::denied(d, id))?;
        let version = current.as_ref().map_or(0, |c| c.version);
        if let Some(seen) = seen_version
            && seen != version
        {
            return Err(ServiceError::Conflict {
                case: id,
                expected: seen,
                actual: version,
            });
        }
        let ctx = Context {
            actor,
            now,
            policy: &self.policy,
            calendar: self.calendar.as_deref(),
        };
        let events = handle(id, current.as_ref(), command, &ctx)?;
        match document {
            Some(document) => {
                self.repo
                    .append_with_document(id, version, &events, document)
                    .await?;
            }
            None => self.repo.append(id, version, &events).await?,
        }
        let mut case = match current {
            Some(case) => case,
            None => {
                let first = events.first().ok_or(DomainError::CaseNotStarted)?;
                Case::replay(std::iter::once(first))
                    .map_err(|e| StorageError::Corrupt(e.to_string()))?
            }
        };
        let applied = case.version;
        for event in events.iter().filter(|e| e.sequence > applied) {
            case.apply(event)
                .map_err(|e| StorageError::Corrupt(e.to_string()))?;
        }
        Ok(Executed { case, events })
    }
}
