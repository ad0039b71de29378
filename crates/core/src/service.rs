//! The one write path: load a case, decide a command, append the events.
//!
//! [`CaseService`] works over any [`CaseRepository`]; the CLI, the web frontend and embedders
//! all change cases through it, so no rule is re-decided anywhere else.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset, Utc};

use crate::case::Case;
use crate::command::{Command, Context, Policy, handle};
use crate::error::DomainError;
use crate::event::RecordedEvent;
use crate::ids::CaseId;
use crate::ports::{AccessEntry, AccessKind, AccessLog, CaseRepository, StorageError};
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

/// The result of an accepted command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Executed {
    /// The case after the command.
    pub case: Case,
    /// The events written.
    pub events: Vec<RecordedEvent>,
}

/// Runs commands against a case repository.
#[derive(Clone)]
pub struct CaseService {
    repo: Arc<dyn CaseRepository>,
    policy: Policy,
}

impl std::fmt::Debug for CaseService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaseService")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl CaseService {
    /// A service over `repo` with `policy`.
    #[must_use]
    pub fn new(repo: Arc<dyn CaseRepository>, policy: Policy) -> Self {
        Self { repo, policy }
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

    /// Reads case file `id` for `reader` at `at`: records the read in `log` first (rule R16:
    /// no case file is shown whose reading is not logged), then returns the case as the
    /// reader may read it ([`Case::for_reader`], rule R14). Which cases a person may open at
    /// all is the frontend's access decision, made before calling this.
    ///
    /// # Errors
    /// [`ServiceError::NotFound`] for an unknown case (nothing is logged then),
    /// [`ServiceError::Storage`] when loading or logging fails (the case is not returned).
    pub async fn read_for(
        &self,
        id: CaseId,
        reader: &Actor,
        kind: AccessKind,
        log: &dyn AccessLog,
        at: DateTime<Utc>,
    ) -> Result<Case, ServiceError> {
        let case = self.case(id).await?;
        log.record_access(&AccessEntry {
            at,
            actor: reader.id,
            case_id: id,
            kind,
        })
        .await?;
        Ok(case.for_reader(Some(reader)))
    }

    /// Runs `command` on case `id` as `actor` at `now`.
    ///
    /// A [`Command::Refer`] opens case `id`; every other command needs an existing case.
    ///
    /// # Errors
    /// [`ServiceError::Rule`] when a rule refuses, [`ServiceError::NotFound`] for an unknown
    /// case, [`ServiceError::Conflict`] when another writer won, [`ServiceError::Storage`].
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
    /// # Errors
    /// [`ServiceError::Rule`] for the first refused command (naming no index: the caller
    /// validates row by row first if it needs to report rows); otherwise as
    /// [`CaseService::execute`].
    pub async fn open_cases(
        &self,
        openings: &[(CaseId, Command)],
        actor: &Actor,
        now: DateTime<FixedOffset>,
    ) -> Result<Vec<CaseId>, ServiceError> {
        let ctx = Context {
            actor,
            now,
            policy: &self.policy,
        };
        let histories = openings
            .iter()
            .map(|(id, command)| match command {
                Command::Refer { .. } => handle(*id, None, command, &ctx),
                _ => Err(DomainError::CaseNotStarted),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(self.repo.append_new_cases(&histories).await?)
    }

    /// Like [`CaseService::execute`], but refuses with [`ServiceError::Conflict`] unless the
    /// case is still at `seen_version`, the version the user looked at when preparing the
    /// command. This is how "changed in the meantime" reaches a form.
    ///
    /// # Errors
    /// As [`CaseService::execute`].
    pub async fn execute_at(
        &self,
        id: CaseId,
        seen_version: Option<u64>,
        command: &Command,
        actor: &Actor,
        now: DateTime<FixedOffset>,
    ) -> Result<Executed, ServiceError> {
        let current = self.repo.load(id).await?;
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
        if current.is_none() && !matches!(command, Command::Refer { .. }) {
            return Err(ServiceError::NotFound(id));
        }
        let ctx = Context {
            actor,
            now,
            policy: &self.policy,
        };
        let events = handle(id, current.as_ref(), command, &ctx)?;
        self.repo.append(id, version, &events).await?;
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
