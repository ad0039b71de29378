//! [`Backend`] over the database: `wegbereiter_storage::Store`.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use wegbereiter_core::esf::{EsfRecord, EsfScope};
use wegbereiter_core::ids::PrivacyRequestId;
use wegbereiter_core::ports::{
    AccessEntry, AccessLog, AuditStamp, CaseFilter, CaseRepository, ServiceDirectory,
    StaffDirectory, StorageError, Visibility,
};
use wegbereiter_core::prelude::*;
use wegbereiter_core::privacy_request::{PrivacyRequest, Receipt, RequestKind, RequestStep};
use wegbereiter_core::referral::DuplicateMatch;
use wegbereiter_core::retention::RetentionRules;
use wegbereiter_storage::{
    AccessExport, AccessQuery, AccessRecord, Applied, AuditQuery, AuditRecord, CarriedOut,
    IdempotencyClaim, LoginFailureStats, Page, PersonalToken, PlannedCase, ReminderScope,
    RemindersPage, RequestError, RetentionError, Store, TeamCaseload,
};

use crate::backend::{AuditLine, Backend};

/// The database store as a [`Backend`].
#[derive(Debug, Clone)]
pub struct StoreBackend {
    store: Store,
}

impl StoreBackend {
    /// Wraps `store`.
    #[must_use]
    pub fn new(store: Store) -> Self {
        Self { store }
    }
}

#[async_trait]
impl CaseRepository for StoreBackend {
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
    ) -> Result<Vec<(CaseSummary, DuplicateMatch)>, StorageError> {
        self.store.possible_duplicates(client).await
    }
}

#[async_trait]
impl StaffDirectory for StoreBackend {
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
        self.store.save_staff(staff, stamp).await
    }
    async fn team(&self, id: TeamId) -> Result<Option<Team>, StorageError> {
        self.store.team(id).await
    }
    async fn list_teams(&self) -> Result<Vec<Team>, StorageError> {
        self.store.list_teams().await
    }
    async fn save_team(&self, team: &Team, stamp: AuditStamp) -> Result<(), StorageError> {
        self.store.save_team(team, stamp).await
    }
}

#[async_trait]
impl ServiceDirectory for StoreBackend {
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
impl AccessLog for StoreBackend {
    async fn record_access(&self, entry: &AccessEntry) -> Result<(), StorageError> {
        self.store.record_access(entry).await
    }
    async fn accesses(&self, case_id: CaseId) -> Result<Vec<AccessEntry>, StorageError> {
        self.store.accesses(case_id).await
    }
}

#[async_trait]
impl Backend for StoreBackend {
    fn case_repository(self: Arc<Self>) -> Arc<dyn CaseRepository> {
        self.store.cases()
    }
    async fn reminders_due(
        &self,
        today: NaiveDate,
        calendar: &dyn LocalCalendar,
        policy: &Policy,
        key_worker: Option<StaffId>,
    ) -> Result<Vec<Reminder>, StorageError> {
        self.store
            .reminders_due(today, calendar, policy, key_worker)
            .await
    }
    async fn reminders_due_unassigned(
        &self,
        today: NaiveDate,
        calendar: &dyn LocalCalendar,
        policy: &Policy,
        team: TeamId,
    ) -> Result<Vec<Reminder>, StorageError> {
        self.store
            .reminders_due_unassigned(today, calendar, policy, team)
            .await
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
        self.store
            .reminders_page(today, calendar, policy, scope, reader, limit)
            .await
    }
    async fn team_caseload(
        &self,
        team: TeamId,
        today: NaiveDate,
        policy: &Policy,
    ) -> Result<TeamCaseload, StorageError> {
        self.store.team_caseload(team, today, policy).await
    }
    async fn esf_participants(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        scope: EsfScope,
    ) -> Result<Vec<EsfRecord>, StorageError> {
        self.store.esf_participants(from, to, scope).await
    }
    async fn rural_postcodes(
        &self,
    ) -> Result<Option<wegbereiter_core::esf::RuralPostcodes>, StorageError> {
        self.store.rural_postcodes().await
    }
    async fn statistics_records(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        scope: EsfScope,
    ) -> Result<Vec<wegbereiter_core::statistics::StatisticsRecord>, StorageError> {
        self.store.statistics_records(from, to, scope).await
    }
    async fn esf_duplicate_keys(
        &self,
        cases: &[CaseId],
    ) -> Result<Vec<wegbereiter_core::esf::export::DuplicateKey>, StorageError> {
        self.store.esf_duplicate_keys(cases).await
    }
    async fn retention_rules(&self) -> Result<RetentionRules, StorageError> {
        self.store.retention_rules().await
    }
    async fn retention_plan(&self, today: NaiveDate) -> Result<Vec<PlannedCase>, StorageError> {
        self.store.retention_plan(today).await
    }
    async fn apply_due(
        &self,
        today: NaiveDate,
        stamp: AuditStamp,
    ) -> Result<Applied, StorageError> {
        self.store.apply_due(today, stamp).await
    }
    async fn case_for_retention(&self, id: CaseId) -> Result<Option<Case>, StorageError> {
        self.store.case_for_retention(id).await
    }
    async fn carry_out_request(
        &self,
        id: CaseId,
        steps: &[wegbereiter_core::retention::Step],
        request: (&str, RequestKind),
        actor: &Actor,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<CarriedOut, RetentionError> {
        self.store
            .carry_out_request(id, steps, request, actor, now, today)
            .await
    }
    async fn privacy_requests(
        &self,
        include_answered: bool,
    ) -> Result<Vec<PrivacyRequest>, StorageError> {
        self.store.privacy_requests(include_answered).await
    }
    async fn privacy_request_add(
        &self,
        receipt: Receipt,
        actor: &Actor,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<PrivacyRequest, RequestError> {
        self.store
            .privacy_request_add(receipt, actor, now, today)
            .await
    }
    async fn privacy_request_step(
        &self,
        id: PrivacyRequestId,
        step: RequestStep,
        actor: &Actor,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<PrivacyRequest, RequestError> {
        self.store
            .privacy_request_step(id, step, actor, now, today)
            .await
    }
    async fn access_export(
        &self,
        id: CaseId,
        reader: StaffId,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<Option<AccessExport>, StorageError> {
        self.store.access_export(id, reader, now, today).await
    }
    async fn access_log(&self, limit: u64) -> Result<Vec<AccessEntry>, StorageError> {
        self.store.access_log(limit).await
    }
    async fn audit_page(&self, query: &AuditQuery) -> Result<Page<AuditRecord>, StorageError> {
        self.store.audit_page(query).await
    }
    async fn access_page(&self, query: &AccessQuery) -> Result<Page<AccessRecord>, StorageError> {
        self.store.access_page(query).await
    }
    async fn audit_log(&self, limit: u64) -> Result<Vec<AuditLine>, StorageError> {
        Ok(self
            .store
            .audit_log(limit)
            .await?
            .into_iter()
            .map(|r| AuditLine {
                subject: r.about(),
                at: r.at,
                actor: r.actor,
                action: r.action,
            })
            .collect())
    }
    async fn set_password_hash(
        &self,
        staff: StaffId,
        phc: &str,
        stamp: AuditStamp,
    ) -> Result<(), StorageError> {
        self.store.set_password_hash(staff, phc, stamp).await
    }
    async fn add_staff(
        &self,
        staff: &StaffMember,
        phc: &str,
        stamp: AuditStamp,
    ) -> Result<(), StorageError> {
        self.store.add_staff(staff, phc, stamp).await
    }
    async fn add_team(&self, team: &Team, stamp: AuditStamp) -> Result<(), StorageError> {
        self.store.add_team(team, stamp).await
    }
    async fn add_service(
        &self,
        service: &SpecialistService,
        stamp: AuditStamp,
    ) -> Result<(), StorageError> {
        self.store.add_service(service, stamp).await
    }
    async fn add_group_session(
        &self,
        session: &GroupSession,
        stamp: AuditStamp,
    ) -> Result<(), StorageError> {
        self.store.add_group_session(session, stamp).await
    }
    async fn password_hash(&self, staff: StaffId) -> Result<Option<String>, StorageError> {
        self.store.password_hash(staff).await
    }
    async fn session_load(
        &self,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<u8>>, StorageError> {
        self.store.session_load(id, now).await
    }
    async fn session_create(
        &self,
        id: &str,
        staff: Option<StaffId>,
        data: &[u8],
        created_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        self.store
            .session_create(id, staff, data, created_at, expires_at)
            .await
    }
    async fn session_save(
        &self,
        id: &str,
        data: &[u8],
        expires_at: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        self.store.session_save(id, data, expires_at).await
    }
    async fn session_delete(&self, id: &str) -> Result<(), StorageError> {
        self.store.session_delete(id).await
    }
    async fn sessions_purge_expired(&self, now: DateTime<Utc>) -> Result<u64, StorageError> {
        self.store.sessions_purge_expired(now).await
    }
    async fn login_failure_record(
        &self,
        login: &str,
        address: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        self.store.login_failure_record(login, address, at).await
    }
    async fn login_failure_stats(
        &self,
        login: &str,
        address: &str,
        since: DateTime<Utc>,
    ) -> Result<LoginFailureStats, StorageError> {
        self.store.login_failure_stats(login, address, since).await
    }
    async fn login_failures_clear(
        &self,
        login: &str,
        address: Option<&str>,
    ) -> Result<u64, StorageError> {
        self.store.login_failures_clear(login, address).await
    }
    async fn login_failures_purge(&self, before: DateTime<Utc>) -> Result<u64, StorageError> {
        self.store.login_failures_purge(before).await
    }
    async fn login_address_remember(
        &self,
        login: &str,
        address: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        self.store.login_address_remember(login, address, at).await
    }
    async fn login_address_known(&self, login: &str, address: &str) -> Result<bool, StorageError> {
        self.store.login_address_known(login, address).await
    }
    async fn audit_counted(&self, line: AuditLine) -> Result<(), StorageError> {
        self.store
            .audit_record_counted(
                AuditStamp {
                    actor: line.actor,
                    at: line.at,
                },
                &line.action,
                &line.subject.stored(),
            )
            .await
    }
    async fn audit(&self, line: AuditLine) -> Result<(), StorageError> {
        self.store
            .audit_record(
                AuditStamp {
                    actor: line.actor,
                    at: line.at,
                },
                &line.action,
                &line.subject.stored(),
            )
            .await
    }

    async fn web_secret(
        &self,
        name: &str,
        candidate: &[u8],
        at: DateTime<Utc>,
    ) -> Result<Vec<u8>, StorageError> {
        self.store.web_secret(name, candidate, at).await
    }
    async fn token_create(
        &self,
        token: &PersonalToken,
        secret: &str,
        stamp: AuditStamp,
    ) -> Result<(), StorageError> {
        self.store.token_create(token, secret, stamp).await
    }
    async fn tokens_of(&self, staff: StaffId) -> Result<Vec<PersonalToken>, StorageError> {
        self.store.tokens_of(staff).await
    }
    async fn token_revoke(
        &self,
        id: uuid::Uuid,
        staff: StaffId,
        stamp: AuditStamp,
    ) -> Result<bool, StorageError> {
        self.store.token_revoke(id, staff, stamp).await
    }

    async fn token_by_secret(&self, secret: &str) -> Result<Option<PersonalToken>, StorageError> {
        self.store.token_by_secret(secret).await
    }
    async fn idempotency_claim(
        &self,
        staff: StaffId,
        key: &str,
        request_hash: &str,
        at: DateTime<Utc>,
    ) -> Result<IdempotencyClaim, StorageError> {
        self.store
            .idempotency_claim(staff, key, request_hash, at)
            .await
    }
    async fn idempotency_finish(
        &self,
        staff: StaffId,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<(), StorageError> {
        self.store
            .idempotency_finish(staff, key, status, body)
            .await
    }
    async fn idempotency_release(&self, staff: StaffId, key: &str) -> Result<(), StorageError> {
        self.store.idempotency_release(staff, key).await
    }
    async fn idempotency_purge(&self, before: DateTime<Utc>) -> Result<u64, StorageError> {
        self.store.idempotency_purge(before).await
    }
}
