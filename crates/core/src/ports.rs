//! Ports: what the domain needs from storage, as object-safe `async-trait` traits.
//!
//! Frontends hold them as `Arc<dyn …>`. `wegbereiter-storage` implements them on sea-orm
//! (SQLite, PostgreSQL); [`crate::memory::InMemoryStore`] implements them in memory for
//! embedders and tests. Every implementation must pass the contract in
//! [`crate::memory`]'s tests and the storage crate's suite.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::case::{Case, CaseStatus, CaseSummary};
use crate::event::RecordedEvent;
use crate::handover::GroupSession;
use crate::ids::{CaseId, DocumentId, GroupSessionId, ServiceId, StaffId, TeamId};
use crate::referral::{ClientIdentity, DuplicateMatch};
use crate::services::SpecialistService;
use crate::staff::{StaffMember, Team};

/// An unexpected failure of storage (as opposed to a refused command).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StorageError {
    /// Someone else changed the case since it was loaded (invariant I5). Nothing was written;
    /// reload and retry.
    #[error(
        "case {case} was changed in the meantime (expected version {expected}, found {actual})"
    )]
    Conflict {
        /// The case.
        case: CaseId,
        /// The version the writer expected.
        expected: u64,
        /// The version found.
        actual: u64,
    },
    /// A unique value (e.g. a sign-in name) is taken.
    #[error("already exists: {0}")]
    AlreadyExists(String),
    /// The database cannot be reached or opened.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Stored data cannot be read back (wrong format, broken history).
    #[error("stored data are corrupt: {0}")]
    Corrupt(String),
    /// Any other failure of the backend.
    #[error("storage failure: {0}")]
    Backend(String),
}

/// Who made a change outside a case history, and when (staff, teams, directories).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditStamp {
    /// The acting staff member; `None` for set-up steps before anyone exists.
    pub actor: Option<StaffId>,
    /// When.
    pub at: DateTime<Utc>,
}

/// Filter for case lists. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFilter {
    /// Only this status.
    pub status: Option<CaseStatus>,
    /// Only this key worker.
    pub key_worker: Option<StaffId>,
    /// Only this team.
    pub team: Option<TeamId>,
    /// Every word of this text begins a word of the client's name, compared folded as
    /// [`name_words`] folds them (letter case, accent marks, umlauts in any spelling and ß
    /// ignored; words separated by white space, commas and hyphens): "muster", "Musterfrau,
    /// Erika", "erika muster" and "MUSTERFRAU" all find "Musterfrau, Erika", "weiss" finds
    /// "Weiß", "Muessig" and "Mussig" find "Müßig", "lued" finds "Müller-Lüdenscheidt".
    /// Repositories answer it through an index of name words rather than by reading every
    /// name. A list with name words is ordered by [`CaseFilter::rank`] first, then by name
    /// (see [`CaseFilter::orders_by_rank`]).
    pub name_contains: Option<String>,
    /// Only cases whose client was born on this day (a search by birth date). Repositories
    /// answer it through an index of birth dates.
    #[serde(default)]
    pub born_on: Option<NaiveDate>,
    /// Only cases whose case number ([`CaseId::case_number_key`], "ABCDEF1234") begins with
    /// this text: upper-case hex digits without a dash, 5 to 10 of them, as
    /// [`CaseFilter::search`] makes it from "ABCDE-F1234", "abcdef1234", "ABCDE-F" or "0193a".
    /// Repositories answer it through an index of case numbers.
    #[serde(default)]
    pub case_number: Option<String>,
    /// Only cases that have not ended ([`CaseStatus::is_ended`]).
    #[serde(default)]
    pub open_only: bool,
    /// Only cases without a key worker.
    #[serde(default)]
    pub unassigned: bool,
    /// At most this many results.
    pub limit: Option<usize>,
    /// Skip this many results first (paging through a list in its order).
    #[serde(default)]
    pub offset: Option<usize>,
    /// Only cases this person may know of (the access policy's
    /// [`can_view_case`](crate::access::can_view_case)); set by
    /// [`CaseService::list_for`](crate::service::CaseService::list_for).
    #[serde(default)]
    pub visible_to: Option<Visibility>,
}

/// The cases a person may know of: those of their teams and those assigned to them
/// (see [`crate::access`]). Repositories turn it into a query condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visibility {
    /// The person, who sees the cases assigned to them.
    pub staff: StaffId,
    /// Their teams, whose cases they see.
    pub teams: Vec<TeamId>,
}

impl Visibility {
    /// What `actor` may know of.
    #[must_use]
    pub fn of(actor: &crate::staff::Actor) -> Self {
        Self {
            staff: actor.id,
            teams: actor.teams.clone(),
        }
    }

    /// Whether `summary` is among those cases.
    #[must_use]
    pub fn covers(&self, summary: &CaseSummary) -> bool {
        self.covers_case(summary.team, summary.key_worker)
    }

    /// Whether a case of `team` with `key_worker` is among those cases.
    #[must_use]
    pub fn covers_case(&self, team: Option<TeamId>, key_worker: Option<StaffId>) -> bool {
        key_worker == Some(self.staff) || team.is_some_and(|t| self.teams.contains(&t))
    }
}

impl CaseFilter {
    /// Whether `summary` passes the filter (ignores `limit`).
    #[must_use]
    pub fn matches(&self, summary: &CaseSummary) -> bool {
        !summary.restricted
            && self.status.is_none_or(|s| summary.status == s)
            && self
                .key_worker
                .is_none_or(|k| summary.key_worker == Some(k))
            && self.team.is_none_or(|t| summary.team == Some(t))
            && self.visible_to.as_ref().is_none_or(|v| v.covers(summary))
            && (!self.open_only || !summary.status.is_ended())
            && (!self.unassigned || summary.key_worker.is_none())
            && self
                .born_on
                .is_none_or(|d| summary.date_of_birth == Some(d))
            && self
                .case_number
                .as_ref()
                .is_none_or(|n| summary.id.case_number_key().starts_with(n.as_str()))
            && self.name_contains.as_ref().is_none_or(|n| {
                let words = name_words(&summary.client_name);
                name_words(n)
                    .iter()
                    .all(|q| words.iter().any(|w| w.starts_with(q.as_str())))
            })
    }

    /// The filter of a search as typed into one search field: each word is a birth date
    /// ("12.03.1985", "12.3.1985" or "1985-03-12", the first one only), a case number or
    /// its beginning ("ABCDE-F1234", "abcdef1234", "ABCDE-F", "0193a": 5 to 10 hex digits,
    /// or a whole id as the CLI shows it,
    /// with a dash only after the fifth, at least one of them a digit unless the dash is
    /// there, so that a name such as "Abebe" stays a name), or else part of a name
    /// ([`CaseFilter::name_contains`]). A case is found when it matches every word. The
    /// other fields are left empty.
    ///
    /// ```
    /// # use wegbereiter_core::ports::CaseFilter;
    /// let f = CaseFilter::search("Müßig 12.03.1985");
    /// assert_eq!(f.name_contains.as_deref(), Some("Müßig"));
    /// assert_eq!(f.born_on, chrono::NaiveDate::from_ymd_opt(1985, 3, 12));
    /// assert_eq!(CaseFilter::search("abcde-f1234").case_number.as_deref(), Some("ABCDEF1234"));
    /// assert_eq!(CaseFilter::search("Abebe").case_number, None);
    /// ```
    #[must_use]
    pub fn search(text: &str) -> Self {
        let mut filter = Self::default();
        let mut names: Vec<&str> = Vec::new();
        for word in text.split(|c: char| c.is_whitespace() || c == ',') {
            if word.is_empty() {
                continue;
            }
            if filter.born_on.is_none()
                && let Some(day) = search_date(word)
            {
                filter.born_on = Some(day);
            } else if filter.case_number.is_none()
                && let Some(number) = search_case_number(word)
            {
                filter.case_number = Some(number);
            } else {
                names.push(word);
            }
        }
        if !names.is_empty() {
            filter.name_contains = Some(names.join(" "));
        }
        filter
    }

    /// Whether a list of this filter is ordered by [`CaseFilter::rank`] and name (it has name
    /// words) instead of newest referral first.
    #[must_use]
    pub fn orders_by_rank(&self) -> bool {
        self.name_contains
            .as_deref()
            .is_some_and(|n| !name_words(n).is_empty())
    }

    /// Where a case found by this filter stands in the list: 0 when every name word of the
    /// search equals a whole word of the client's name ("Weiß" for "Weiß, Erika"), 1 when
    /// some only begin one ("Wei"). Lists that [order by rank](CaseFilter::orders_by_rank)
    /// show rank 0 first, then rank 1, each by client name, then id.
    #[must_use]
    pub fn rank(&self, summary: &CaseSummary) -> u8 {
        let words = name_words(&summary.client_name);
        let exact = self
            .name_contains
            .as_deref()
            .is_none_or(|n| name_words(n).iter().all(|q| words.iter().any(|w| w == q)));
        u8::from(!exact)
    }
}

/// A birth date as people type it: German `12.03.1985` (or `12.3.1985`) or ISO `1985-03-12`.
fn search_date(word: &str) -> Option<NaiveDate> {
    ["%d.%m.%Y", "%Y-%m-%d"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(word, format).ok())
        .filter(|day| (1000..=9999).contains(&chrono::Datelike::year(day)))
}

/// A case number or its beginning, normalised to [`CaseId::case_number_key`]'s form; a
/// whole id (the UUID the CLI shows) stands for its case number.
fn search_case_number(word: &str) -> Option<String> {
    if word.len() == 36
        && let Ok(id) = uuid::Uuid::parse_str(word)
    {
        return Some(CaseId::from_uuid(id).case_number_key());
    }
    let dashes = word.chars().filter(|c| *c == '-').count();
    // "ABCDE-…" is written as a case number even when it holds no digit.
    let dashed = dashes == 1 && word.find('-') == Some(5);
    if dashes > 1 || (dashes == 1 && !dashed) {
        return None;
    }
    let hex: String = word.chars().filter(|c| *c != '-').collect();
    let plausible = (5..=10).contains(&hex.len())
        && hex.chars().all(|c| c.is_ascii_hexdigit())
        && (dashed || hex.chars().any(|c| c.is_ascii_digit()));
    plausible.then(|| hex.to_ascii_uppercase())
}

/// The folded words of a name or of a name search ([`CaseFilter::name_contains`]): folded as
/// [`fold_name`](crate::referral::fold_name) folds names for duplicate hints (lower case,
/// accent marks dropped, ä = ae = a, ö = oe = o, ü = ue = u, ß = ss), separated by white
/// space, commas and hyphens, each once, in the order of the text. Empty when the text has
/// none (a search for nothing finds every name).
///
/// ```
/// # use wegbereiter_core::ports::name_words;
/// assert_eq!(name_words("Müller-Lüdenscheidt, Jürgen"), ["muller", "ludenscheidt", "jurgen"]);
/// assert_eq!(name_words("Oezdemir"), name_words("Özdemir"));
/// ```
#[must_use]
pub fn name_words(text: &str) -> Vec<String> {
    let folded = crate::referral::fold_name(text);
    let mut out: Vec<String> = Vec::new();
    for word in folded
        .split(|c: char| c.is_whitespace() || c == ',' || c == '-')
        .filter(|w| !w.is_empty())
    {
        if !out.iter().any(|w| w == word) {
            out.push(word.to_owned());
        }
    }
    out
}

/// A document a case keeps (a report as sent): its bytes and what they must hash to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptDocument {
    /// Its id, named by the event that records it.
    pub id: DocumentId,
    /// The case.
    pub case_id: CaseId,
    /// The media type (`application/pdf`).
    pub media_type: &'static str,
    /// SHA-256 of `bytes`, as the event records it.
    pub sha256: crate::report::Sha256Hex,
    /// The exact bytes.
    pub bytes: Vec<u8>,
}

/// The case histories.
#[async_trait]
pub trait CaseRepository: Send + Sync {
    /// The complete history of a case, oldest first; empty if the case does not exist.
    ///
    /// # Errors
    /// [`StorageError::Unavailable`], [`StorageError::Corrupt`] or [`StorageError::Backend`].
    async fn history(&self, id: CaseId) -> Result<Vec<RecordedEvent>, StorageError>;

    /// The current state of a case, or `None` if it does not exist.
    ///
    /// # Errors
    /// As [`CaseRepository::history`]; [`StorageError::Corrupt`] if the history does not
    /// replay.
    async fn load(&self, id: CaseId) -> Result<Option<Case>, StorageError> {
        let history = self.history(id).await?;
        if history.is_empty() {
            return Ok(None);
        }
        Case::replay(&history)
            .map(Some)
            .map_err(|e| StorageError::Corrupt(format!("case {id}: {e}")))
    }

    /// Appends `events` to the history of case `id`, atomically, if the case is at
    /// `expected_version` (0 for a new case).
    ///
    /// # Errors
    /// Implementations MUST return [`StorageError::Conflict`] and write nothing when the
    /// stored version differs from `expected_version`, also when two writers race. Other
    /// failures as [`CaseRepository::history`]; in every error case nothing is written.
    async fn append(
        &self,
        id: CaseId,
        expected_version: u64,
        events: &[RecordedEvent],
    ) -> Result<(), StorageError>;

    /// Appends `events` as [`CaseRepository::append`] does and keeps `document` with them,
    /// in the same transaction: both or neither are written. The events record the document
    /// (a [`crate::event::CaseEvent::JobcenterReportSent`] naming `document.id`).
    ///
    /// The default refuses with [`StorageError::Backend`]: a repository that keeps no
    /// documents cannot record a report as sent.
    ///
    /// # Errors
    /// As [`CaseRepository::append`]; implementations MUST refuse (with
    /// [`StorageError::Corrupt`]) a document whose bytes do not have its SHA-256 where they
    /// can compute it, and [`StorageError::AlreadyExists`] for a document id kept already.
    async fn append_with_document(
        &self,
        id: CaseId,
        expected_version: u64,
        events: &[RecordedEvent],
        document: &KeptDocument,
    ) -> Result<(), StorageError> {
        let _ = (id, expected_version, events, document);
        Err(StorageError::Backend(
            "this repository keeps no documents".into(),
        ))
    }

    /// The bytes of document `document` of case `case`, exactly as kept; `None` if there is
    /// none (never kept, or erased with the case).
    ///
    /// # Errors
    /// As [`CaseRepository::history`].
    async fn document(
        &self,
        case: CaseId,
        document: DocumentId,
    ) -> Result<Option<Vec<u8>>, StorageError> {
        let _ = (case, document);
        Ok(None)
    }

    /// Opens several new cases in one step. Each history starts a case of its own (sequence
    /// 1, 2, … of one case id). Cases that exist already are left untouched and skipped, so
    /// re-running an import with deterministic ids creates nothing twice. Returns the ids of
    /// the cases created, in the order given.
    ///
    /// The default appends one case after the other, which is not atomic; repositories that can
    /// should override it to write all or nothing, as [`crate::memory::InMemoryStore`] and the
    /// bundled storage crate do.
    ///
    /// # Errors
    /// As [`CaseRepository::append`]; an overriding implementation writes nothing then.
    async fn append_new_cases(
        &self,
        histories: &[Vec<RecordedEvent>],
    ) -> Result<Vec<CaseId>, StorageError> {
        let mut created = Vec::new();
        for history in histories {
            let Some(first) = history.first() else {
                continue;
            };
            match self.append(first.case_id, 0, history).await {
                Ok(()) => created.push(first.case_id),
                Err(StorageError::Conflict { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(created)
    }

    /// Summaries of cases passing `filter`, newest referral first.
    ///
    /// # Errors
    /// As [`CaseRepository::history`].
    async fn list(&self, filter: &CaseFilter) -> Result<Vec<CaseSummary>, StorageError>;

    /// Existing cases that may concern the same person as `client` (process step 1).
    ///
    /// # Errors
    /// As [`CaseRepository::history`].
    async fn possible_duplicates(
        &self,
        client: &ClientIdentity,
    ) -> Result<Vec<(CaseSummary, DuplicateMatch)>, StorageError>;

    /// The stored cases that may concern the same person as any of `clients`, each once with
    /// its client as recorded, in case-id order: the candidates of
    /// [`CaseRepository::possible_duplicates`] for a whole file at once. The caller groups
    /// them with [`crate::referral::duplicate_groups`].
    ///
    /// The default asks [`CaseRepository::possible_duplicates`] per client and loads each
    /// case found; the bundled storage answers with one indexed query per few hundred
    /// names, so the cost grows with the clients and the cases found, never with their
    /// product.
    ///
    /// # Errors
    /// As [`CaseRepository::history`].
    async fn duplicate_candidates(
        &self,
        clients: &[ClientIdentity],
    ) -> Result<Vec<(CaseSummary, ClientIdentity)>, StorageError> {
        let mut ids = std::collections::BTreeSet::new();
        for client in clients {
            for (summary, _) in self.possible_duplicates(client).await? {
                ids.insert(summary.id);
            }
        }
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(case) = self.load(id).await? {
                out.push((case.summary(), case.referral.client));
            }
        }
        Ok(out)
    }

    /// Which of `ids` exist, in the order given.
    ///
    /// The default loads each case; the bundled storage asks one query per few hundred ids.
    ///
    /// # Errors
    /// As [`CaseRepository::history`].
    async fn existing_cases(&self, ids: &[CaseId]) -> Result<Vec<CaseId>, StorageError> {
        let mut out = Vec::new();
        for id in ids {
            if !self.history(*id).await?.is_empty() {
                out.push(*id);
            }
        }
        Ok(out)
    }
}

/// Staff and teams.
#[async_trait]
pub trait StaffDirectory: Send + Sync {
    /// A staff member by id.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn staff(&self, id: StaffId) -> Result<Option<StaffMember>, StorageError>;
    /// A staff member by sign-in name (case-insensitive).
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn staff_by_login(&self, login: &str) -> Result<Option<StaffMember>, StorageError>;
    /// All staff, by display name.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn list_staff(&self) -> Result<Vec<StaffMember>, StorageError>;
    /// Creates or replaces a staff member.
    ///
    /// # Errors
    /// [`StorageError::AlreadyExists`] if another member has the same login.
    async fn save_staff(&self, staff: &StaffMember, stamp: AuditStamp) -> Result<(), StorageError>;
    /// A team by id.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn team(&self, id: TeamId) -> Result<Option<Team>, StorageError>;
    /// All teams, by name.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn list_teams(&self) -> Result<Vec<Team>, StorageError>;
    /// Creates or replaces a team.
    ///
    /// # Errors
    /// [`StorageError::AlreadyExists`] if another team has the same name.
    async fn save_team(&self, team: &Team, stamp: AuditStamp) -> Result<(), StorageError>;
}

/// The directory of specialist services and the Phase 2 group sessions.
#[async_trait]
pub trait ServiceDirectory: Send + Sync {
    /// A service by id.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn service(&self, id: ServiceId) -> Result<Option<SpecialistService>, StorageError>;
    /// All services, by name.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn list_services(&self) -> Result<Vec<SpecialistService>, StorageError>;
    /// Creates or replaces a service.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn save_service(
        &self,
        service: &SpecialistService,
        stamp: AuditStamp,
    ) -> Result<(), StorageError>;
    /// A group session by id.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn group_session(&self, id: GroupSessionId)
    -> Result<Option<GroupSession>, StorageError>;
    /// All group sessions, newest first.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn list_group_sessions(&self) -> Result<Vec<GroupSession>, StorageError>;
    /// Creates or replaces a group session.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn save_group_session(
        &self,
        session: &GroupSession,
        stamp: AuditStamp,
    ) -> Result<(), StorageError>;
}

/// What kind of access to a case file was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AccessKind {
    /// The case file was viewed.
    View,
    /// The case history was viewed.
    History,
    /// The Jobcenter feedback was previewed or produced.
    JobcenterFeedback,
    /// The case was exported or printed.
    Export,
}

/// One read of a case file (rule R16: who saw what, when).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: StaffId,
    /// Which case.
    pub case_id: CaseId,
    /// What kind of access.
    pub kind: AccessKind,
}

/// The access log read by the data-protection officer.
#[async_trait]
pub trait AccessLog: Send + Sync {
    /// Records one access.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure; callers must not show the case file then.
    async fn record_access(&self, entry: &AccessEntry) -> Result<(), StorageError>;
    /// Accesses to a case, oldest first.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn accesses(&self, case_id: CaseId) -> Result<Vec<AccessEntry>, StorageError>;
}
