//! An in-memory implementation of every port, for embedders, examples and tests.
//!
//! It keeps everything in a `Mutex` and needs no async runtime: its futures never wait.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};

use async_trait::async_trait;

use crate::case::{Case, CaseSummary};
use crate::event::RecordedEvent;
use crate::handover::GroupSession;
use crate::ids::{CaseId, DocumentId, GroupSessionId, ServiceId, StaffId, TeamId};
use crate::ports::{
    AccessEntry, AccessLog, AuditStamp, CaseFilter, CaseRepository, KeptDocument, ServiceDirectory,
    StaffDirectory, StorageError,
};
use crate::referral::{ClientIdentity, DuplicateMatch, duplicate_match};
use crate::services::SpecialistService;
use crate::staff::{StaffMember, Team};

#[derive(Debug, Default)]
struct Inner {
    histories: HashMap<CaseId, Vec<RecordedEvent>>,
    cases: HashMap<CaseId, Case>,
    staff: BTreeMap<StaffId, StaffMember>,
    teams: BTreeMap<TeamId, Team>,
    services: BTreeMap<ServiceId, SpecialistService>,
    sessions: BTreeMap<GroupSessionId, GroupSession>,
    accesses: Vec<AccessEntry>,
    documents: HashMap<(CaseId, DocumentId), Vec<u8>>,
}

/// Every port in memory. Cheap to create; not persistent.
#[derive(Debug, Default)]
pub struct InMemoryStore {
    inner: Mutex<Inner>,
}

impl InMemoryStore {
    /// An empty store.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> Result<MutexGuard<'_, Inner>, StorageError> {
        self.inner
            .lock()
            .map_err(|_| StorageError::Backend("in-memory store poisoned by a panic".into()))
    }
}

/// [`CaseRepository::append`] under the store's lock.
fn append_locked(
    inner: &mut Inner,
    id: CaseId,
    expected_version: u64,
    events: &[RecordedEvent],
) -> Result<(), StorageError> {
    let actual = inner.histories.get(&id).map_or(0, |h| h.len() as u64);
    if actual != expected_version {
        return Err(StorageError::Conflict {
            case: id,
            expected: expected_version,
            actual,
        });
    }
    // Build the new state first, so that a bad batch changes nothing.
    let mut history = inner.histories.get(&id).cloned().unwrap_or_default();
    history.extend_from_slice(events);
    let case = Case::replay(&history)
        .map_err(|e| StorageError::Corrupt(format!("refused to append to case {id}: {e}")))?;
    inner.histories.insert(id, history);
    inner.cases.insert(id, case);
    Ok(())
}

#[async_trait]
impl CaseRepository for InMemoryStore {
    async fn history(&self, id: CaseId) -> Result<Vec<RecordedEvent>, StorageError> {
        Ok(self.lock()?.histories.get(&id).cloned().unwrap_or_default())
    }

    async fn load(&self, id: CaseId) -> Result<Option<Case>, StorageError> {
        Ok(self.lock()?.cases.get(&id).cloned())
    }

    async fn append(
        &self,
        id: CaseId,
        expected_version: u64,
        events: &[RecordedEvent],
    ) -> Result<(), StorageError> {
        let mut inner = self.lock()?;
        append_locked(&mut inner, id, expected_version, events)
    }

    /// Keeps the bytes as given: core has no SHA-256 to check them with (the storage crate
    /// checks).
    async fn append_with_document(
        &self,
        id: CaseId,
        expected_version: u64,
        events: &[RecordedEvent],
        document: &KeptDocument,
    ) -> Result<(), StorageError> {
        let key = (document.case_id, document.id);
        let mut inner = self.lock()?;
        if document.case_id != id || inner.documents.contains_key(&key) {
            return Err(StorageError::AlreadyExists(format!(
                "document {}",
                document.id
            )));
        }
        append_locked(&mut inner, id, expected_version, events)?;
        inner.documents.insert(key, document.bytes.clone());
        Ok(())
    }

    async fn document(
        &self,
        case: CaseId,
        document: DocumentId,
    ) -> Result<Option<Vec<u8>>, StorageError> {
        Ok(self.lock()?.documents.get(&(case, document)).cloned())
    }

    async fn append_new_cases(
        &self,
        histories: &[Vec<RecordedEvent>],
    ) -> Result<Vec<CaseId>, StorageError> {
        let mut inner = self.lock()?;
        // Check and build every new case first, so that one bad history changes nothing.
        let mut created = Vec::new();
        for history in histories {
            let Some(first) = history.first() else {
                continue;
            };
            let id = first.case_id;
            if inner.histories.contains_key(&id) || created.iter().any(|(c, _, _)| *c == id) {
                continue;
            }
            let case = Case::replay(history)
                .map_err(|e| StorageError::Corrupt(format!("refused to open case {id}: {e}")))?;
            created.push((id, history.clone(), case));
        }
        let ids = created.iter().map(|(id, _, _)| *id).collect();
        for (id, history, case) in created {
            inner.histories.insert(id, history);
            inner.cases.insert(id, case);
        }
        Ok(ids)
    }

    async fn list(&self, filter: &CaseFilter) -> Result<Vec<CaseSummary>, StorageError> {
        let inner = self.lock()?;
        let mut out: Vec<CaseSummary> = inner
            .cases
            .values()
            .map(Case::summary)
            .filter(|s| filter.matches(s))
            .collect();
        if filter.orders_by_rank() {
            out.sort_by(|a, b| {
                filter
                    .rank(a)
                    .cmp(&filter.rank(b))
                    .then_with(|| a.client_name.cmp(&b.client_name))
                    .then_with(|| a.id.cmp(&b.id))
            });
        } else {
            out.sort_by(|a, b| {
                b.referral_date
                    .cmp(&a.referral_date)
                    .then_with(|| a.client_name.cmp(&b.client_name))
                    .then_with(|| a.id.cmp(&b.id))
            });
        }
        let skip = filter.offset.unwrap_or(0).min(out.len());
        out.drain(..skip);
        if let Some(limit) = filter.limit {
            out.truncate(limit);
        }
        Ok(out)
    }

    async fn possible_duplicates(
        &self,
        client: &ClientIdentity,
    ) -> Result<Vec<(CaseSummary, DuplicateMatch)>, StorageError> {
        let inner = self.lock()?;
        let mut out: Vec<_> = inner
            .cases
            .values()
            .filter_map(|c| duplicate_match(client, &c.referral.client).map(|m| (c.summary(), m)))
            .collect();
        out.sort_by_key(|(s, _)| s.id);
        Ok(out)
    }
}

#[async_trait]
impl StaffDirectory for InMemoryStore {
    async fn staff(&self, id: StaffId) -> Result<Option<StaffMember>, StorageError> {
        Ok(self.lock()?.staff.get(&id).cloned())
    }

    async fn staff_by_login(&self, login: &str) -> Result<Option<StaffMember>, StorageError> {
        let wanted = login.trim().to_lowercase();
        Ok(self
            .lock()?
            .staff
            .values()
            .find(|s| s.login.as_str().to_lowercase() == wanted)
            .cloned())
    }

    async fn list_staff(&self) -> Result<Vec<StaffMember>, StorageError> {
        let mut out: Vec<_> = self.lock()?.staff.values().cloned().collect();
        out.sort_by(|a, b| a.display_name.cmp(&b.display_name));
        Ok(out)
    }

    async fn save_staff(
        &self,
        staff: &StaffMember,
        _stamp: AuditStamp,
    ) -> Result<(), StorageError> {
        let mut inner = self.lock()?;
        let login = staff.login.as_str().to_lowercase();
        if inner
            .staff
            .values()
            .any(|s| s.id != staff.id && s.login.as_str().to_lowercase() == login)
        {
            return Err(StorageError::AlreadyExists(format!(
                "login {}",
                staff.login
            )));
        }
        inner.staff.insert(staff.id, staff.clone());
        Ok(())
    }

    async fn team(&self, id: TeamId) -> Result<Option<Team>, StorageError> {
        Ok(self.lock()?.teams.get(&id).cloned())
    }

    async fn list_teams(&self) -> Result<Vec<Team>, StorageError> {
        let mut out: Vec<_> = self.lock()?.teams.values().cloned().collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    async fn save_team(&self, team: &Team, _stamp: AuditStamp) -> Result<(), StorageError> {
        let mut inner = self.lock()?;
        if inner
            .teams
            .values()
            .any(|t| t.id != team.id && t.name == team.name)
        {
            return Err(StorageError::AlreadyExists(format!("team {}", team.name)));
        }
        inner.teams.insert(team.id, team.clone());
        Ok(())
    }
}

#[async_trait]
impl ServiceDirectory for InMemoryStore {
    async fn service(&self, id: ServiceId) -> Result<Option<SpecialistService>, StorageError> {
        Ok(self.lock()?.services.get(&id).cloned())
    }

    async fn list_services(&self) -> Result<Vec<SpecialistService>, StorageError> {
        let mut out: Vec<_> = self.lock()?.services.values().cloned().collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    async fn save_service(
        &self,
        service: &SpecialistService,
        _stamp: AuditStamp,
    ) -> Result<(), StorageError> {
        self.lock()?.services.insert(service.id, service.clone());
        Ok(())
    }

    async fn group_session(
        &self,
        id: GroupSessionId,
    ) -> Result<Option<GroupSession>, StorageError> {
        Ok(self.lock()?.sessions.get(&id).cloned())
    }

    async fn list_group_sessions(&self) -> Result<Vec<GroupSession>, StorageError> {
        let mut out: Vec<_> = self.lock()?.sessions.values().cloned().collect();
        out.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
        Ok(out)
    }

    async fn save_group_session(
        &self,
        session: &GroupSession,
        _stamp: AuditStamp,
    ) -> Result<(), StorageError> {
        self.lock()?.sessions.insert(session.id, session.clone());
        Ok(())
    }
}

#[async_trait]
impl AccessLog for InMemoryStore {
    async fn record_access(&self, entry: &AccessEntry) -> Result<(), StorageError> {
        self.lock()?.accesses.push(entry.clone());
        Ok(())
    }

    async fn accesses(&self, case_id: CaseId) -> Result<Vec<AccessEntry>, StorageError> {
        Ok(self
            .lock()?
            .accesses
            .iter()
            .filter(|a| a.case_id == case_id)
            .cloned()
            .collect())
    }
}
