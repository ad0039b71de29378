//! What the web frontend needs from storage, as one object-safe trait.
//!
//! [`Backend`] bundles core's ports ([`CaseRepository`], [`StaffDirectory`],
//! [`ServiceDirectory`], [`AccessLog`]) with the few things only a server needs: password
//! hashes, server-side sessions, sign-in throttling, the audit log and the reminder query.
//! `wegbereiter_storage::Store` implements it (see the private module `store`); [`MemoryBackend`] keeps
//! everything in memory for quick tests and demos.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use wegbereiter_core::ids::PrivacyRequestId;
use wegbereiter_core::privacy_request::{PrivacyRequest, Receipt, RequestKind, RequestStep};
use wegbereiter_core::retention::RetentionRules;
use wegbereiter_storage::{
    AccessExport, AccessQuery, AccessRecord, Applied, AuditQuery, AuditRecord, AuditSubject,
    CarriedOut, DueReminder, IdempotencyClaim, LoadCount, LoginFailureStats, Page, PersonalToken,
    PlannedCase, ReminderScope, RemindersPage, RequestError, RetentionError, TeamCaseload,
};

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use wegbereiter_core::esf::export::DuplicateKey;
use wegbereiter_core::esf::{EsfParticipant, EsfRecord, EsfScope};
use wegbereiter_core::memory::InMemoryStore;
use wegbereiter_core::ports::{
    AccessEntry, AccessLog, AuditStamp, CaseFilter, CaseRepository, ServiceDirectory,
    StaffDirectory, StorageError, Visibility,
};
use wegbereiter_core::prelude::*;
use wegbereiter_core::statistics::{StatisticsFacts, StatisticsRecord};

/// One line of the audit log (changes outside case histories, sign-ins, set-up steps).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLine {
    /// When.
    pub at: DateTime<Utc>,
    /// Who, if anyone was signed in.
    pub actor: Option<StaffId>,
    /// What was done (a short key such as `staff_saved`).
    pub action: String,
    /// On what.
    pub subject: AuditSubject,
}

/// Everything the web frontend reads and writes.
///
/// Every method returns [`StorageError`] for unexpected failures; refusals of process rules
/// never come from here but from [`CaseService`].
#[async_trait]
pub trait Backend:
    CaseRepository + StaffDirectory + ServiceDirectory + AccessLog + Send + Sync + 'static
{
    /// The case repository as a shared trait object.
    fn case_repository(self: Arc<Self>) -> Arc<dyn CaseRepository>;

    /// Reminders of open cases on `today`, for one key worker or all; `calendar` gives the
    /// local days of stored instants (core's `reminders()`).
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn reminders_due(
        &self,
        today: NaiveDate,
        calendar: &dyn LocalCalendar,
        policy: &Policy,
        key_worker: Option<StaffId>,
    ) -> Result<Vec<Reminder>, StorageError>;

    /// Reminders of the open cases of `team` that have no key worker yet, on `today`: with
    /// [`Backend::reminders_due`] for one person, what a dashboard shows without reading
    /// every case.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn reminders_due_unassigned(
        &self,
        today: NaiveDate,
        calendar: &dyn LocalCalendar,
        policy: &Policy,
        team: TeamId,
    ) -> Result<Vec<Reminder>, StorageError>;

    /// The first `limit` reminders due on `today` of the cases `scope` names that `reader` may
    /// know of, most urgent first, with their clients' names, and whether more follow (the
    /// database answers through its trigger indexes, loading only the cases the page needs).
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn reminders_page(
        &self,
        today: NaiveDate,
        calendar: &dyn LocalCalendar,
        policy: &Policy,
        scope: &ReminderScope,
        reader: Option<&Visibility>,
        limit: usize,
    ) -> Result<RemindersPage, StorageError>;

    /// The open cases of `team` by key worker, status and phase, and per key worker the cases
    /// whose key-worker period ends soon (as core's reminders say), counted by the database.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn team_caseload(
        &self,
        team: TeamId,
        today: NaiveDate,
        policy: &Policy,
    ) -> Result<TeamCaseload, StorageError>;

    /// The ESF Plus participants who entered or left between `from` and `to` in `scope`, with
    /// their case ids, in id order.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn esf_participants(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        scope: EsfScope,
    ) -> Result<Vec<EsfRecord>, StorageError>;

    /// The installation's table of postcodes by degree of urbanisation (EECO17), if loaded.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn rural_postcodes(
        &self,
    ) -> Result<Option<wegbereiter_core::esf::RuralPostcodes>, StorageError>;

    /// What every case active in `from..=to` in `scope` contributes to the statistics.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn statistics_records(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        scope: EsfScope,
    ) -> Result<Vec<StatisticsRecord>, StorageError>;

    /// What the funder export's duplicate check compares of the participants of `cases`.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn esf_duplicate_keys(&self, cases: &[CaseId])
    -> Result<Vec<DuplicateKey>, StorageError>;

    /// The installation's retention rules.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn retention_rules(&self) -> Result<RetentionRules, StorageError>;

    /// The retention plan of every ended case on `today` (see
    /// `wegbereiter_storage::Store::retention_plan`).
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn retention_plan(&self, today: NaiveDate) -> Result<Vec<PlannedCase>, StorageError>;

    /// Carries out every retention step due on `today`, one transaction per case (see
    /// `wegbereiter_storage::Store::apply_due`).
    ///
    /// # Errors
    /// [`StorageError`] on backend failure; [`StorageError::Unavailable`] where erasure is
    /// not possible (the in-memory backend).
    async fn apply_due(&self, today: NaiveDate, stamp: AuditStamp)
    -> Result<Applied, StorageError>;

    /// Case `id` as the retention functions see it (restricted ones included), for the
    /// data-protection officer's request pages; no access-log entry (nothing of it is shown
    /// but its number and what a request would do).
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn case_for_retention(&self, id: CaseId) -> Result<Option<Case>, StorageError>;

    /// Carries out the retention `steps` of a client's request of `kind` on case `id` by
    /// `actor`, answering the open request of that kind in the register, in one transaction
    /// (see `wegbereiter_storage::Store::carry_out_request`).
    ///
    /// # Errors
    /// [`RetentionError`]: refused by core (nothing written), unknown case, or storage.
    async fn carry_out_request(
        &self,
        id: CaseId,
        steps: &[wegbereiter_core::retention::Step],
        request: (&str, RequestKind),
        actor: &Actor,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<CarriedOut, RetentionError>;

    /// The register's open requests, with `include_answered` also the latest answered ones
    /// (see `wegbereiter_storage::Store::privacy_requests`).
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn privacy_requests(
        &self,
        include_answered: bool,
    ) -> Result<Vec<PrivacyRequest>, StorageError>;

    /// Enters a request in the register (see
    /// `wegbereiter_storage::Store::privacy_request_add`).
    ///
    /// # Errors
    /// [`RequestError`]: refused by core (nothing written) or storage.
    async fn privacy_request_add(
        &self,
        receipt: Receipt,
        actor: &Actor,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<PrivacyRequest, RequestError>;

    /// Carries out a step of the register on request `id` (see
    /// `wegbereiter_storage::Store::privacy_request_step`).
    ///
    /// # Errors
    /// [`RequestError`]: unknown request, refused by core (nothing written), or storage.
    async fn privacy_request_step(
        &self,
        id: PrivacyRequestId,
        step: RequestStep,
        actor: &Actor,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<PrivacyRequest, RequestError>;

    /// The access export (Art. 15 GDPR) of the person of case `id`, recorded as an export
    /// by `reader` (see `wegbereiter_storage::Store::access_export`).
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn access_export(
        &self,
        id: CaseId,
        reader: StaffId,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<Option<AccessExport>, StorageError>;

    /// The newest `limit` reads of case files across all cases, newest first.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn access_log(&self, limit: u64) -> Result<Vec<AccessEntry>, StorageError>;

    /// One page of the audit log, newest first, narrowed by `query`.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn audit_page(&self, query: &AuditQuery) -> Result<Page<AuditRecord>, StorageError>;

    /// One page of the access log, newest first, narrowed by `query`, with each reader as
    /// named at the time of the read.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn access_page(&self, query: &AccessQuery) -> Result<Page<AccessRecord>, StorageError>;

    /// The newest `limit` audit lines, newest first.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn audit_log(&self, limit: u64) -> Result<Vec<AuditLine>, StorageError>;

    /// Stores a password hash (PHC string) for `staff`.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn set_password_hash(
        &self,
        staff: StaffId,
        phc: &str,
        stamp: AuditStamp,
    ) -> Result<(), StorageError>;

    /// Creates the staff member `staff` with a first password hash, in one transaction.
    ///
    /// # Errors
    /// [`StorageError::AlreadyExists`] if a staff member with this id or login exists.
    async fn add_staff(
        &self,
        staff: &StaffMember,
        phc: &str,
        stamp: AuditStamp,
    ) -> Result<(), StorageError>;

    /// Creates `team`, never replacing one (the JSON API's `POST /teams`).
    ///
    /// # Errors
    /// [`StorageError::AlreadyExists`] if a team with this id or name exists.
    async fn add_team(&self, team: &Team, stamp: AuditStamp) -> Result<(), StorageError>;

    /// Creates `service`, never replacing one (the JSON API's `POST /services`).
    ///
    /// # Errors
    /// [`StorageError::AlreadyExists`] if a service with this id exists.
    async fn add_service(
        &self,
        service: &SpecialistService,
        stamp: AuditStamp,
    ) -> Result<(), StorageError>;

    /// Creates `session`, never replacing one (the JSON API's `POST /group-sessions`).
    ///
    /// # Errors
    /// [`StorageError::AlreadyExists`] if a group session with this id exists.
    async fn add_group_session(
        &self,
        session: &GroupSession,
        stamp: AuditStamp,
    ) -> Result<(), StorageError>;

    /// The password hash of `staff`, if one is set.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn password_hash(&self, staff: StaffId) -> Result<Option<String>, StorageError>;

    /// A session's data if it exists and has not expired at `now`.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn session_load(
        &self,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<u8>>, StorageError>;

    /// Stores a new session of `staff` (if signed in), made at `created_at`.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn session_create(
        &self,
        id: &str,
        staff: Option<StaffId>,
        data: &[u8],
        created_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StorageError>;

    /// Updates an existing session; `false` (nothing stored) if it no longer exists, e.g.
    /// because it was revoked: a revoked session never comes back.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn session_save(
        &self,
        id: &str,
        data: &[u8],
        expires_at: DateTime<Utc>,
    ) -> Result<bool, StorageError>;

    /// Deletes a session.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn session_delete(&self, id: &str) -> Result<(), StorageError>;

    /// Deletes sessions expired at `now`; returns how many.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn sessions_purge_expired(&self, now: DateTime<Utc>) -> Result<u64, StorageError>;

    /// Records a failed sign-in for `login` from client `address`.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn login_failure_record(
        &self,
        login: &str,
        address: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError>;

    /// Failed sign-ins for `login` since `since`: from `address`, and from how many
    /// addresses altogether.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn login_failure_stats(
        &self,
        login: &str,
        address: &str,
        since: DateTime<Utc>,
    ) -> Result<LoginFailureStats, StorageError>;

    /// Forgets the failed sign-ins of `login` from `address` (after a successful sign-in)
    /// or from everywhere (`None`: an administrator lifted the throttle); returns how many.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn login_failures_clear(
        &self,
        login: &str,
        address: Option<&str>,
    ) -> Result<u64, StorageError>;

    /// Deletes the failed sign-ins recorded before `before`, of every login; returns how many.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn login_failures_purge(&self, before: DateTime<Utc>) -> Result<u64, StorageError>;

    /// Remembers that `login` signed in successfully from `address`.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn login_address_remember(
        &self,
        login: &str,
        address: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError>;

    /// Whether `login` signed in successfully from `address` before.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn login_address_known(&self, login: &str, address: &str) -> Result<bool, StorageError>;

    /// Appends a line to the audit log, counting it into a line of the same action and
    /// subject in the same hour instead (failed and throttled sign-ins).
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn audit_counted(&self, line: AuditLine) -> Result<(), StorageError>;

    /// Appends a line to the audit log (for events the store does not log itself).
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn audit(&self, line: AuditLine) -> Result<(), StorageError>;

    /// The shared secret `name`: the stored one, or `candidate`, stored now if there was
    /// none (see `Store::web_secret`). Every instance over one database gets the same one.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn web_secret(
        &self,
        name: &str,
        candidate: &[u8],
        at: DateTime<Utc>,
    ) -> Result<Vec<u8>, StorageError>;

    /// Stores a new personal access token with secret `secret` (only a digest is kept),
    /// audited.
    ///
    /// # Errors
    /// [`StorageError::AlreadyExists`] if id or secret are taken; [`StorageError`] on
    /// backend failure.
    async fn token_create(
        &self,
        token: &PersonalToken,
        secret: &str,
        stamp: AuditStamp,
    ) -> Result<(), StorageError>;

    /// The tokens of `staff`, newest first, revoked and expired ones included.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn tokens_of(&self, staff: StaffId) -> Result<Vec<PersonalToken>, StorageError>;

    /// Revokes token `id` of `staff`, audited; `false` if `staff` has no such unrevoked token.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn token_revoke(
        &self,
        id: uuid::Uuid,
        staff: StaffId,
        stamp: AuditStamp,
    ) -> Result<bool, StorageError>;

    /// The token whose secret is `secret`, valid or not (the caller checks
    /// `PersonalToken::is_valid_at` and the person's account).
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn token_by_secret(&self, secret: &str) -> Result<Option<PersonalToken>, StorageError>;

    /// Claims the idempotency key `key` of `staff` for a request with digest
    /// `request_hash`, or tells what the earlier request with that key did (see
    /// `wegbereiter_storage::Store::idempotency_claim`).
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn idempotency_claim(
        &self,
        staff: StaffId,
        key: &str,
        request_hash: &str,
        at: DateTime<Utc>,
    ) -> Result<IdempotencyClaim, StorageError>;

    /// Stores the answer to the request that claimed `key`.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn idempotency_finish(
        &self,
        staff: StaffId,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<(), StorageError>;

    /// Gives up the claim of `key` after a failed request.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn idempotency_release(&self, staff: StaffId, key: &str) -> Result<(), StorageError>;

    /// Forgets idempotency keys claimed before `before`; returns how many.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    async fn idempotency_purge(&self, before: DateTime<Utc>) -> Result<u64, StorageError>;
}

/// A page of `rows` (oldest first) before `before`, newest first.
fn memory_page<T>(rows: Vec<T>, before: Option<i64>, limit: u64, id: fn(&T) -> i64) -> Page<T> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut items: Vec<T> = rows
        .into_iter()
        .rev()
        .filter(|r| before.is_none_or(|b| id(r) < b))
        .collect();
    let more = items.len() > limit;
    items.truncate(limit);
    let next = if more { items.last().map(id) } else { None };
    Page { items, next }
}

#[derive(Debug)]
struct MemorySession {
    staff: Option<StaffId>,
    data: Vec<u8>,
    expires_at: DateTime<Utc>,
}

fn fold(login: &str) -> String {
    login.trim().to_lowercase()
}

#[derive(Debug, Default)]
struct Extra {
    passwords: HashMap<StaffId, String>,
    sessions: HashMap<String, MemorySession>,
    failures: Vec<(String, String, DateTime<Utc>)>,
    known_addresses: std::collections::HashSet<(String, String)>,
    audit: Vec<AuditLine>,
    accesses: Vec<AccessRecord>,
    secrets: HashMap<String, Vec<u8>>,
    /// Tokens with the secret they were made with (memory only, never persisted).
    tokens: Vec<(PersonalToken, String)>,
    /// Idempotency keys: request digest, the answer once given, when claimed.
    idempotency: HashMap<(StaffId, String), IdempotencyRecord>,
}

/// What the memory backend keeps of an idempotency key.
type IdempotencyRecord = (String, Option<(u16, String)>, DateTime<Utc>);

/// Every [`Backend`] function in memory, over core's [`InMemoryStore`]. Not persistent.
#[derive(Debug, Default)]
pub struct MemoryBackend {
    store: Arc<InMemoryStore>,
    extra: Mutex<Extra>,
}

impl MemoryBackend {
    /// An empty backend.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn extra(&self) -> Result<MutexGuard<'_, Extra>, StorageError> {
        self.extra
            .lock()
            .map_err(|_| StorageError::Backend("memory backend poisoned".into()))
    }
}

#[async_trait]
impl CaseRepository for MemoryBackend {
    async fn history(&self, id: CaseId) -> Result<Vec<RecordedEvent>, StorageError> {
        self.store.history(id).await
    }
    async fn load(&self, id: CaseId) -> Result<Option<Case>, StorageError> {
        self.store.load(id).await
    }
    async fn append(
        &self,
        id: CaseId,
        expected_version: u64,
        events: &[RecordedEvent],
    ) -> Result<(), StorageError> {
        self.store.append(id, expected_version, events).await
    }
    async fn append_with_document(
        &self,
        id: CaseId,
        expected_version: u64,
        events: &[RecordedEvent],
        document: &wegbereiter_core::ports::KeptDocument,
    ) -> Result<(), StorageError> {
        self.store
            .append_with_document(id, expected_version, events, document)
            .await
    }
    async fn document(
        &self,
        case: CaseId,
        document: DocumentId,
    ) -> Result<Option<Vec<u8>>, StorageError> {
        self.store.document(case, document).await
    }
    async fn append_new_cases(
        &self,
        histories: &[Vec<RecordedEvent>],
    ) -> Result<Vec<CaseId>, StorageError> {
        self.store.append_new_cases(histories).await
    }
    async fn list(&self, filter: &CaseFilter) -> Result<Vec<CaseSummary>, StorageError> {
        self.store.list(filter).await
    }
    async fn possible_duplicates(
        &self,
        client: &ClientIdentity,
    ) -> Result<Vec<(CaseSummary, wegbereiter_core::referral::DuplicateMatch)>, StorageError> {
        self.store.possible_duplicates(client).await
    }
}

#[async_trait]
impl StaffDirectory for MemoryBackend {
    async fn staff(&self, id: StaffId) -> Result<Option<StaffMember>, StorageError> {
        self.store.staff(id).await
    }
    async fn staff_by_login(&self, login: &str) -> Result<Option<StaffMember>, StorageError> {
        self.store.staff_by_login(login).await
    }
    async fn list_staff(&self) -> Result<Vec<StaffMember>, StorageError> {
        self.store.list_staff().await
    }
    async fn save_staff(&self, staff: &StaffMember, stamp: AuditStamp) -> Result<(), StorageError> {
        let before = self.store.staff(staff.id).await?;
        self.store.save_staff(staff, stamp).await?;
        // As the database store does: new rights or a change of state end every session.
        if before.is_some_and(|b| b.roles != staff.roles || b.active != staff.active) {
            self.extra()?
                .sessions
                .retain(|_, s| s.staff != Some(staff.id));
        }
        self.audit(AuditLine {
            at: stamp.at,
            actor: stamp.actor,
            action: "staff.saved".into(),
            subject: AuditSubject::Staff {
                id: staff.id,
                login: Some(staff.login.to_string()),
            },
        })
        .await
    }
    async fn team(&self, id: TeamId) -> Result<Option<Team>, StorageError> {
        self.store.team(id).await
    }
    async fn list_teams(&self) -> Result<Vec<Team>, StorageError> {
        self.store.list_teams().await
    }
    async fn save_team(&self, team: &Team, stamp: AuditStamp) -> Result<(), StorageError> {
        self.store.save_team(team, stamp).await?;
        self.audit(AuditLine {
            at: stamp.at,
            actor: stamp.actor,
            action: "team.saved".into(),
            subject: AuditSubject::Team {
                id: team.id,
                name: team.name.to_string(),
            },
        })
        .await
    }
}

#[async_trait]
impl ServiceDirectory for MemoryBackend {
    async fn service(&self, id: ServiceId) -> Result<Option<SpecialistService>, StorageError> {
        self.store.service(id).await
    }
    async fn list_services(&self) -> Result<Vec<SpecialistService>, StorageError> {
        self.store.list_services().await
    }
    async fn save_service(
        &self,
        service: &SpecialistService,
        stamp: AuditStamp,
    ) -> Result<(), StorageError> {
        self.store.save_service(service, stamp).await
    }
    async fn group_session(
        &self,
        id: GroupSessionId,
    ) -> Result<Option<GroupSession>, StorageError> {
        self.store.group_session(id).await
    }
    async fn list_group_sessions(&self) -> Result<Vec<GroupSession>, StorageError> {
        self.store.list_group_sessions().await
    }
    async fn save_group_session(
        &self,
        session: &GroupSession,
        stamp: AuditStamp,
    ) -> Result<(), StorageError> {
        self.store.save_group_session(session, stamp).await
    }
}

#[async_trait]
impl AccessLog for MemoryBackend {
    async fn record_access(&self, entry: &AccessEntry) -> Result<(), StorageError> {
        self.store.record_access(entry).await?;
        let reader = self.store.staff(entry.actor).await?;
        let mut extra = self.extra()?;
        let id = i64::try_from(extra.accesses.len()).unwrap_or(i64::MAX) + 1;
        extra.accesses.push(AccessRecord {
            id,
            entry: entry.clone(),
            reader_login: reader.as_ref().map(|r| r.login.to_string()),
            reader_name: reader.map(|r| r.display_name.to_string()),
        });
        Ok(())
    }
    async fn accesses(&self, case_id: CaseId) -> Result<Vec<AccessEntry>, StorageError> {
        self.store.accesses(case_id).await
    }
}

#[async_trait]
impl Backend for MemoryBackend {
    fn case_repository(self: Arc<Self>) -> Arc<dyn CaseRepository> {
        self
    }

    async fn reminders_due(
        &self,
        today: NaiveDate,
        calendar: &dyn LocalCalendar,
        policy: &Policy,
        key_worker: Option<StaffId>,
    ) -> Result<Vec<Reminder>, StorageError> {
        let filter = CaseFilter {
            key_worker,
            ..CaseFilter::default()
        };
        let mut out = Vec::new();
        for summary in self.store.list(&filter).await? {
            if summary.status.is_ended() {
                continue;
            }
            if let Some(case) = self.store.load(summary.id).await? {
                out.extend(reminders(&case, today, calendar, policy));
            }
        }
        out.sort();
        Ok(out)
    }

    async fn reminders_due_unassigned(
        &self,
        today: NaiveDate,
        calendar: &dyn LocalCalendar,
        policy: &Policy,
        team: TeamId,
    ) -> Result<Vec<Reminder>, StorageError> {
        let filter = CaseFilter {
            team: Some(team),
            ..CaseFilter::default()
        };
        let mut out = Vec::new();
        for summary in self.store.list(&filter).await? {
            if summary.status.is_ended() || summary.key_worker.is_some() {
                continue;
            }
            if let Some(case) = self.store.load(summary.id).await? {
                out.extend(reminders(&case, today, calendar, policy));
            }
        }
        out.sort();
        Ok(out)
    }

    async fn reminders_page(
        &self,
        today: NaiveDate,
        calendar: &dyn LocalCalendar,
        policy: &Policy,
        scope: &ReminderScope,
        reader: Option<&Visibility>,
        limit: usize,
    ) -> Result<RemindersPage, StorageError> {
        let filter = CaseFilter {
            open_only: true,
            visible_to: reader.cloned(),
            ..CaseFilter::default()
        };
        let mut out = Vec::new();
        for summary in self.store.list(&filter).await? {
            if !scope.covers(&summary) {
                continue;
            }
            if let Some(case) = self.store.load(summary.id).await? {
                out.extend(DueReminder::of_case(
                    &case, &summary, today, calendar, policy,
                ));
            }
        }
        Ok(RemindersPage::first(out, limit))
    }

    async fn team_caseload(
        &self,
        team: TeamId,
        today: NaiveDate,
        policy: &Policy,
    ) -> Result<TeamCaseload, StorageError> {
        let filter = CaseFilter {
            team: Some(team),
            open_only: true,
            ..CaseFilter::default()
        };
        let mut counts: Vec<LoadCount> = Vec::new();
        let mut ending: HashMap<StaffId, u64> = HashMap::new();
        for s in self.store.list(&filter).await? {
            match counts.iter_mut().find(|c| {
                c.key_worker == s.key_worker && c.status == s.status && c.phase == s.phase
            }) {
                Some(c) => c.cases += 1,
                None => counts.push(LoadCount {
                    key_worker: s.key_worker,
                    status: s.status,
                    phase: s.phase,
                    cases: 1,
                }),
            }
            if let (Some(k), Some(case)) = (s.key_worker, self.store.load(s.id).await?)
                && reminders(&case, today, &chrono::Utc, policy)
                    .iter()
                    .any(|r| {
                        matches!(
                            r.kind,
                            ReminderKind::PeriodEnding | ReminderKind::PeriodEnded
                        )
                    })
            {
                *ending.entry(k).or_default() += 1;
            }
        }
        Ok(TeamCaseload {
            counts,
            ending: ending.into_iter().collect(),
        })
    }

    async fn rural_postcodes(
        &self,
    ) -> Result<Option<wegbereiter_core::esf::RuralPostcodes>, StorageError> {
        Ok(None)
    }

    async fn statistics_records(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        scope: EsfScope,
    ) -> Result<Vec<StatisticsRecord>, StorageError> {
        let mut out = Vec::new();
        let mut summaries = self.store.list(&CaseFilter::default()).await?;
        summaries.sort_by_key(|s| s.id);
        for summary in summaries {
            if !scope.covers(summary.team) || summary.restricted {
                continue;
            }
            if let Some(case) = self.store.load(summary.id).await? {
                let facts = StatisticsFacts::of(&case);
                if facts.spans_a_day_of(from, to) {
                    out.push(StatisticsRecord {
                        case: case.id,
                        team: case.team,
                        facts,
                    });
                }
            }
        }
        Ok(out)
    }

    async fn esf_participants(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        scope: EsfScope,
    ) -> Result<Vec<EsfRecord>, StorageError> {
        let mut out = Vec::new();
        let mut summaries = self.store.list(&CaseFilter::default()).await?;
        summaries.sort_by_key(|s| s.id);
        for summary in summaries {
            if !scope.covers(summary.team) || !wegbereiter_core::esf::may_count(&summary, from, to)
            {
                continue;
            }
            if let Some(case) = self.store.load(summary.id).await?
                && let Some(p) = EsfParticipant::of(&case)
            {
                out.push(EsfRecord {
                    case: case.id,
                    team: case.team,
                    key_worker: case.key_worker,
                    participant: p,
                });
            }
        }
        Ok(out)
    }

    async fn esf_duplicate_keys(
        &self,
        cases: &[CaseId],
    ) -> Result<Vec<DuplicateKey>, StorageError> {
        let mut out = Vec::new();
        for id in cases {
            if let Some(case) = self.store.load(*id).await? {
                let client = &case.referral.client;
                out.push(DuplicateKey {
                    case: case.id,
                    names: wegbereiter_core::referral::name_key(client),
                    postcode: client
                        .address
                        .as_ref()
                        .map(|a| a.postcode.as_str().to_owned()),
                });
            }
        }
        out.sort();
        Ok(out)
    }

    async fn retention_rules(&self) -> Result<RetentionRules, StorageError> {
        Ok(RetentionRules::default())
    }

    async fn retention_plan(&self, today: NaiveDate) -> Result<Vec<PlannedCase>, StorageError> {
        let rules = RetentionRules::default();
        let mut out = Vec::new();
        for summary in self.store.list(&CaseFilter::default()).await? {
            if !summary.status.is_ended() {
                continue;
            }
            if let Some(case) = self.store.load(summary.id).await? {
                let plan = wegbereiter_core::retention::plan(&case, &rules, today);
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

    async fn apply_due(
        &self,
        _today: NaiveDate,
        _stamp: AuditStamp,
    ) -> Result<Applied, StorageError> {
        // Erasure rewrites stored histories; the in-memory backend (tests, demos without a
        // database) keeps append-only histories and does not erase.
        Err(StorageError::Unavailable(
            "erasure needs a database (the in-memory backend does not erase)".into(),
        ))
    }

    async fn case_for_retention(&self, id: CaseId) -> Result<Option<Case>, StorageError> {
        self.store.load(id).await
    }

    async fn carry_out_request(
        &self,
        _id: CaseId,
        _steps: &[wegbereiter_core::retention::Step],
        _request: (&str, RequestKind),
        _actor: &Actor,
        _now: DateTime<Utc>,
        _today: NaiveDate,
    ) -> Result<CarriedOut, RetentionError> {
        Err(RetentionError::Storage(StorageError::Unavailable(
            "erasure needs a database (the in-memory backend does not erase)".into(),
        )))
    }

    async fn privacy_requests(
        &self,
        _include_answered: bool,
    ) -> Result<Vec<PrivacyRequest>, StorageError> {
        Ok(Vec::new())
    }

    async fn privacy_request_add(
        &self,
        _receipt: Receipt,
        _actor: &Actor,
        _now: DateTime<Utc>,
        _today: NaiveDate,
    ) -> Result<PrivacyRequest, RequestError> {
        Err(RequestError::Storage(StorageError::Unavailable(
            "the register of requests needs a database".into(),
        )))
    }

    async fn privacy_request_step(
        &self,
        _id: PrivacyRequestId,
        _step: RequestStep,
        _actor: &Actor,
        _now: DateTime<Utc>,
        _today: NaiveDate,
    ) -> Result<PrivacyRequest, RequestError> {
        Err(RequestError::Storage(StorageError::Unavailable(
            "the register of requests needs a database".into(),
        )))
    }

    async fn access_export(
        &self,
        _id: CaseId,
        _reader: StaffId,
        _now: DateTime<Utc>,
        _today: NaiveDate,
    ) -> Result<Option<AccessExport>, StorageError> {
        Err(StorageError::Unavailable(
            "the access export needs a database".into(),
        ))
    }

    async fn access_log(&self, limit: u64) -> Result<Vec<AccessEntry>, StorageError> {
        let extra = self.extra()?;
        let take = usize::try_from(limit).unwrap_or(usize::MAX);
        Ok(extra
            .accesses
            .iter()
            .rev()
            .take(take)
            .map(|r| r.entry.clone())
            .collect())
    }

    async fn audit_page(&self, q: &AuditQuery) -> Result<Page<AuditRecord>, StorageError> {
        let extra = self.extra()?;
        let lines = extra.audit.iter().enumerate().map(|(i, a)| AuditRecord {
            id: i64::try_from(i).unwrap_or(i64::MAX) + 1,
            at: a.at,
            count: 1,
            actor: a.actor,
            action: a.action.clone(),
            subject: a.subject.stored(),
        });
        Ok(memory_page(
            lines
                .filter(|r| q.from.is_none_or(|f| r.at >= f))
                .filter(|r| q.until.is_none_or(|u| r.at < u))
                .filter(|r| q.actor.is_none_or(|a| r.actor == Some(a)))
                .filter(|r| q.action.as_ref().is_none_or(|a| r.action == *a))
                .collect(),
            q.before,
            q.limit,
            |r| r.id,
        ))
    }

    async fn access_page(&self, q: &AccessQuery) -> Result<Page<AccessRecord>, StorageError> {
        let extra = self.extra()?;
        Ok(memory_page(
            extra
                .accesses
                .iter()
                .filter(|r| q.from.is_none_or(|f| r.entry.at >= f))
                .filter(|r| q.until.is_none_or(|u| r.entry.at < u))
                .filter(|r| q.reader.is_none_or(|a| r.entry.actor == a))
                .filter(|r| {
                    q.cases
                        .as_ref()
                        .is_none_or(|c| c.contains(&r.entry.case_id))
                })
                .cloned()
                .collect(),
            q.before,
            q.limit,
            |r| r.id,
        ))
    }

    async fn audit_log(&self, limit: u64) -> Result<Vec<AuditLine>, StorageError> {
        let extra = self.extra()?;
        let take = usize::try_from(limit).unwrap_or(usize::MAX);
        Ok(extra.audit.iter().rev().take(take).cloned().collect())
    }

    async fn set_password_hash(
        &self,
        staff: StaffId,
        phc: &str,
        stamp: AuditStamp,
    ) -> Result<(), StorageError> {
        let mut extra = self.extra()?;
        extra.passwords.insert(staff, phc.to_owned());
        extra.sessions.retain(|_, s| s.staff != Some(staff));
        extra.audit.push(AuditLine {
            at: stamp.at,
            actor: stamp.actor,
            action: "staff.password_set".into(),
            subject: AuditSubject::Staff {
                id: staff,
                login: None,
            },
        });
        Ok(())
    }

    async fn add_staff(
        &self,
        staff: &StaffMember,
        phc: &str,
        stamp: AuditStamp,
    ) -> Result<(), StorageError> {
        if self.store.staff(staff.id).await?.is_some() {
            return Err(StorageError::AlreadyExists(format!(
                "staff member {}",
                staff.id
            )));
        }
        self.save_staff(staff, stamp).await?;
        self.set_password_hash(staff.id, phc, stamp).await
    }

    // The in-memory backend serves tests in one process: a check before the save is enough
    // here; the database-backed store refuses a second insert with its primary key.
    async fn add_team(&self, team: &Team, stamp: AuditStamp) -> Result<(), StorageError> {
        let taken = self
            .store
            .list_teams()
            .await?
            .iter()
            .any(|t| t.id == team.id || t.name == team.name);
        if taken {
            return Err(StorageError::AlreadyExists(format!("team {}", team.name)));
        }
        self.save_team(team, stamp).await
    }

    async fn add_service(
        &self,
        service: &SpecialistService,
        stamp: AuditStamp,
    ) -> Result<(), StorageError> {
        if self.store.service(service.id).await?.is_some() {
            return Err(StorageError::AlreadyExists(format!(
                "service {}",
                service.id
            )));
        }
        self.save_service(service, stamp).await
    }

    async fn add_group_session(
        &self,
        session: &GroupSession,
        stamp: AuditStamp,
    ) -> Result<(), StorageError> {
        if self.store.group_session(session.id).await?.is_some() {
            return Err(StorageError::AlreadyExists(format!(
                "group session {}",
                session.id
            )));
        }
        self.save_group_session(session, stamp).await
    }

    async fn password_hash(&self, staff: StaffId) -> Result<Option<String>, StorageError> {
        Ok(self.extra()?.passwords.get(&staff).cloned())
    }

    async fn session_load(
        &self,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<u8>>, StorageError> {
        Ok(self
            .extra()?
            .sessions
            .get(id)
            .filter(|s| s.expires_at > now)
            .map(|s| s.data.clone()))
    }

    async fn session_create(
        &self,
        id: &str,
        staff: Option<StaffId>,
        data: &[u8],
        _created_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        self.extra()?.sessions.insert(
            id.to_owned(),
            MemorySession {
                staff,
                data: data.to_vec(),
                expires_at,
            },
        );
        Ok(())
    }

    async fn session_save(
        &self,
        id: &str,
        data: &[u8],
        expires_at: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        Ok(match self.extra()?.sessions.get_mut(id) {
            Some(s) => {
                s.data = data.to_vec();
                s.expires_at = expires_at;
                true
            }
            None => false,
        })
    }

    async fn session_delete(&self, id: &str) -> Result<(), StorageError> {
        self.extra()?.sessions.remove(id);
        Ok(())
    }

    async fn sessions_purge_expired(&self, now: DateTime<Utc>) -> Result<u64, StorageError> {
        let mut extra = self.extra()?;
        let before = extra.sessions.len();
        extra.sessions.retain(|_, s| s.expires_at > now);
        Ok(u64::try_from(before - extra.sessions.len()).unwrap_or(0))
    }

    async fn login_failure_record(
        &self,
        login: &str,
        address: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        self.extra()?
            .failures
            .push((fold(login), address.to_owned(), at));
        Ok(())
    }

    async fn login_failure_stats(
        &self,
        login: &str,
        address: &str,
        since: DateTime<Utc>,
    ) -> Result<LoginFailureStats, StorageError> {
        let login = fold(login);
        let extra = self.extra()?;
        let recent: Vec<_> = extra
            .failures
            .iter()
            .filter(|(l, _, at)| *l == login && *at >= since)
            .collect();
        let here: Vec<_> = recent.iter().filter(|(_, a, _)| a == address).collect();
        let addresses: std::collections::HashSet<&String> =
            recent.iter().map(|(_, a, _)| a).collect();
        Ok(LoginFailureStats {
            from_address: u64::try_from(here.len()).unwrap_or(u64::MAX),
            last_from_address: here.iter().map(|(_, _, at)| *at).max(),
            addresses: u64::try_from(addresses.len()).unwrap_or(u64::MAX),
        })
    }

    async fn login_failures_clear(
        &self,
        login: &str,
        address: Option<&str>,
    ) -> Result<u64, StorageError> {
        let login = fold(login);
        let mut extra = self.extra()?;
        let n = extra.failures.len();
        extra
            .failures
            .retain(|(l, a, _)| *l != login || address.is_some_and(|x| x != a));
        Ok(u64::try_from(n - extra.failures.len()).unwrap_or(0))
    }

    async fn login_failures_purge(&self, before: DateTime<Utc>) -> Result<u64, StorageError> {
        let mut extra = self.extra()?;
        let n = extra.failures.len();
        extra.failures.retain(|(_, _, at)| *at >= before);
        Ok(u64::try_from(n - extra.failures.len()).unwrap_or(0))
    }

    async fn login_address_remember(
        &self,
        login: &str,
        address: &str,
        _at: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        self.extra()?
            .known_addresses
            .insert((fold(login), address.to_owned()));
        Ok(())
    }

    async fn login_address_known(&self, login: &str, address: &str) -> Result<bool, StorageError> {
        Ok(self
            .extra()?
            .known_addresses
            .contains(&(fold(login), address.to_owned())))
    }

    async fn audit_counted(&self, line: AuditLine) -> Result<(), StorageError> {
        // The memory backend keeps every line; only the database aggregates.
        self.audit(line).await
    }

    async fn audit(&self, line: AuditLine) -> Result<(), StorageError> {
        self.extra()?.audit.push(line);
        Ok(())
    }

    async fn web_secret(
        &self,
        name: &str,
        candidate: &[u8],
        _at: DateTime<Utc>,
    ) -> Result<Vec<u8>, StorageError> {
        Ok(self
            .extra()?
            .secrets
            .entry(name.to_owned())
            .or_insert_with(|| candidate.to_vec())
            .clone())
    }

    async fn token_create(
        &self,
        token: &PersonalToken,
        secret: &str,
        stamp: AuditStamp,
    ) -> Result<(), StorageError> {
        let mut extra = self.extra()?;
        if extra
            .tokens
            .iter()
            .any(|(t, s)| t.id == token.id || s == secret)
        {
            return Err(StorageError::AlreadyExists("personal token".into()));
        }
        extra.tokens.push((token.clone(), secret.to_owned()));
        extra.audit.push(AuditLine {
            at: stamp.at,
            actor: stamp.actor,
            action: "staff.token_created".into(),
            subject: AuditSubject::Staff {
                id: token.staff,
                login: None,
            },
        });
        Ok(())
    }

    async fn tokens_of(&self, staff: StaffId) -> Result<Vec<PersonalToken>, StorageError> {
        let mut out: Vec<PersonalToken> = self
            .extra()?
            .tokens
            .iter()
            .filter(|(t, _)| t.staff == staff)
            .map(|(t, _)| t.clone())
            .collect();
        out.sort_by_key(|t| std::cmp::Reverse((t.created_at, t.id)));
        Ok(out)
    }

    async fn token_revoke(
        &self,
        id: uuid::Uuid,
        staff: StaffId,
        stamp: AuditStamp,
    ) -> Result<bool, StorageError> {
        let mut extra = self.extra()?;
        let Some((token, _)) = extra
            .tokens
            .iter_mut()
            .find(|(t, _)| t.id == id && t.staff == staff && t.revoked_at.is_none())
        else {
            return Ok(false);
        };
        token.revoked_at = Some(stamp.at);
        extra.audit.push(AuditLine {
            at: stamp.at,
            actor: stamp.actor,
            action: "staff.token_revoked".into(),
            subject: AuditSubject::Staff {
                id: staff,
                login: None,
            },
        });
        Ok(true)
    }

    async fn token_by_secret(&self, secret: &str) -> Result<Option<PersonalToken>, StorageError> {
        Ok(self
            .extra()?
            .tokens
            .iter()
            .find(|(_, s)| s == secret.trim())
            .map(|(t, _)| t.clone()))
    }

    async fn idempotency_claim(
        &self,
        staff: StaffId,
        key: &str,
        request_hash: &str,
        at: DateTime<Utc>,
    ) -> Result<IdempotencyClaim, StorageError> {
        let mut extra = self.extra()?;
        let slot = (staff, key.to_owned());
        Ok(match extra.idempotency.get(&slot) {
            None => {
                extra
                    .idempotency
                    .insert(slot, (request_hash.to_owned(), None, at));
                IdempotencyClaim::Claimed
            }
            Some((hash, None, _)) => IdempotencyClaim::InProgress {
                request_hash: hash.clone(),
            },
            Some((hash, Some((status, body)), _)) => IdempotencyClaim::Done {
                request_hash: hash.clone(),
                status: *status,
                body: body.clone(),
            },
        })
    }

    async fn idempotency_finish(
        &self,
        staff: StaffId,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<(), StorageError> {
        if let Some(entry) = self.extra()?.idempotency.get_mut(&(staff, key.to_owned())) {
            entry.1 = Some((status, body.to_owned()));
        }
        Ok(())
    }

    async fn idempotency_release(&self, staff: StaffId, key: &str) -> Result<(), StorageError> {
        self.extra()?.idempotency.remove(&(staff, key.to_owned()));
        Ok(())
    }

    async fn idempotency_purge(&self, before: DateTime<Utc>) -> Result<u64, StorageError> {
        let mut extra = self.extra()?;
        let was = extra.idempotency.len();
        extra.idempotency.retain(|_, (_, _, at)| *at >= before);
        Ok(u64::try_from(was - extra.idempotency.len()).unwrap_or(u64::MAX))
    }
}
