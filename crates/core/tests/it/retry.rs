//! `CaseService` retries commands that commute ([`Command::commutes`]) after losing a race,
//! re-deciding against the new state; it never retries a stale edit or any other command.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use async_trait::async_trait;
use futures_executor::block_on;
use wegbereiter_core::prelude::*;
use wegbereiter_core::referral::{ClientIdentity, DuplicateMatch};
use wegbereiter_core::service::RETRY_ATTEMPTS;

use crate::support::*;

/// An in-memory store in which another writer gets in first: before each of the next
/// `rivals` appends it records a contact of its own, so that append loses with a conflict.
struct Contended {
    inner: InMemoryStore,
    rival: World,
    rivals: AtomicU32,
    appends: AtomicU32,
}

impl Contended {
    async fn new(world: &World, rivals: u32) -> Arc<Self> {
        let inner = InMemoryStore::new();
        inner
            .append(world.case_id, 0, &world.history)
            .await
            .unwrap();
        Arc::new(Self {
            inner,
            rival: world.clone(),
            rivals: AtomicU32::new(rivals),
            appends: AtomicU32::new(0),
        })
    }

    fn appends(&self) -> u32 {
        self.appends.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl CaseRepository for Contended {
    async fn history(&self, id: CaseId) -> Result<Vec<RecordedEvent>, StorageError> {
        self.inner.history(id).await
    }

    async fn append(
        &self,
        id: CaseId,
        expected_version: u64,
        events: &[RecordedEvent],
    ) -> Result<(), StorageError> {
        self.appends.fetch_add(1, Ordering::SeqCst);
        let left = self.rivals.load(Ordering::SeqCst);
        if left > 0 {
            self.rivals.store(left - 1, Ordering::SeqCst);
            let mut rival = self.rival.clone();
            rival.case = self.inner.load(id).await?;
            let note = format!("Kontakt der anderen Person {left}");
            let mut command = rival.contact_command(&note, NoteCompartment::CaseTeam);
            if let Command::RecordContact { contact, .. } = &mut command {
                contact.id = ContactId::from_uuid(uuid::Uuid::from_u128(50_000 + u128::from(left)));
            }
            let theirs = rival.try_(&command).unwrap();
            let at = rival.case().version;
            self.inner.append(id, at, &theirs).await?;
        }
        self.inner.append(id, expected_version, events).await
    }

    async fn list(&self, filter: &CaseFilter) -> Result<Vec<CaseSummary>, StorageError> {
        self.inner.list(filter).await
    }

    async fn possible_duplicates(
        &self,
        client: &ClientIdentity,
    ) -> Result<Vec<(CaseSummary, DuplicateMatch)>, StorageError> {
        self.inner.possible_duplicates(client).await
    }
}

fn now(w: &World) -> chrono::DateTime<chrono::FixedOffset> {
    noon(w.today).fixed_offset()
}

#[test]
fn a_contact_that_loses_a_race_is_decided_again_and_written() {
    block_on(async {
        let mut w = World::enrolled();
        let version = w.case().version;
        let store = Contended::new(&w, 2).await;
        let pauses = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&pauses);
        let service =
            CaseService::new(store.clone(), Policy::default()).with_retry_pause(Arc::new(
                move |attempt| -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
                    seen.lock().unwrap().push(attempt);
                    Box::pin(async {})
                },
            ));
        let mine = w.contact_command("meiner", NoteCompartment::CaseTeam);
        let done = service
            .execute(w.case_id, &mine, &w.key_worker, now(&w))
            .await
            .unwrap();
        assert_eq!(store.appends(), 3, "two lost races, then written");
        assert_eq!(*pauses.lock().unwrap(), vec![1, 2]);
        // Written on top of both rivals' contacts, at the version found after them.
        assert_eq!(done.case.version, version + 3);
        assert_eq!(done.events.len(), 1);
        assert_eq!(done.events[0].sequence, version + 3);
        let stored = store.load(w.case_id).await.unwrap().unwrap();
        assert_eq!(stored, done.case);
        assert_eq!(stored.contacts.len(), 3);
    });
}

#[test]
fn retries_are_bounded() {
    block_on(async {
        let mut w = World::enrolled();
        let store = Contended::new(&w, RETRY_ATTEMPTS + 3).await;
        let service = CaseService::new(store.clone(), Policy::default());
        let mine = w.contact_command("meiner", NoteCompartment::CaseTeam);
        let result = service
            .execute(w.case_id, &mine, &w.key_worker, now(&w))
            .await;
        assert!(
            matches!(result, Err(ServiceError::Conflict { .. })),
            "{result:?}"
        );
        assert_eq!(store.appends(), RETRY_ATTEMPTS);
        let stored = store.load(w.case_id).await.unwrap().unwrap();
        assert_eq!(
            stored.contacts.len(),
            usize::try_from(RETRY_ATTEMPTS).unwrap(),
            "only the rivals' contacts were written"
        );
    });
}

#[test]
fn a_stale_version_is_refused_even_for_a_contact() {
    block_on(async {
        let mut w = World::enrolled();
        let version = w.case().version;
        let store = Contended::new(&w, 1).await;
        let service = CaseService::new(store.clone(), Policy::default());
        let mine = w.contact_command("meiner", NoteCompartment::CaseTeam);
        let result = service
            .execute_at(w.case_id, Some(version), &mine, &w.key_worker, now(&w))
            .await;
        assert!(
            matches!(result, Err(ServiceError::Conflict { .. })),
            "{result:?}"
        );
        assert_eq!(store.appends(), 1, "a form's version is never retried");
        // And a version that is already stale is refused before anything is decided.
        let again = service
            .execute_at(w.case_id, Some(version), &mine, &w.key_worker, now(&w))
            .await;
        assert!(matches!(again, Err(ServiceError::Conflict { .. })));
        assert_eq!(store.appends(), 1);
    });
}

#[test]
fn commands_that_build_on_the_state_are_not_retried() {
    block_on(async {
        let w = World::enrolled();
        let store = Contended::new(&w, 1).await;
        let service = CaseService::new(store.clone(), Policy::default());
        let close = Command::Close {
            on: w.today,
            reason: ExitReason::GoalsAchieved,
            immediate_result: None,
        };
        assert!(!close.commutes());
        let result = service
            .execute(w.case_id, &close, &w.key_worker, now(&w))
            .await;
        assert!(
            matches!(result, Err(ServiceError::Conflict { .. })),
            "{result:?}"
        );
        assert_eq!(store.appends(), 1);
    });
}

#[test]
fn a_retry_decides_the_rules_again() {
    block_on(async {
        let mut w = World::enrolled();
        let store = Contended::new(&w, 0).await;
        // Another writer closes the case between our load and our append: the retry finds it
        // closed and refuses the contact with the rule, not with a conflict.
        let mut closer = w.clone();
        let lead = w.lead.clone();
        closer
            .run_as(
                &lead,
                &Command::Close {
                    on: w.today,
                    reason: ExitReason::GoalsAchieved,
                    immediate_result: None,
                },
            )
            .unwrap();
        let closing = closer.history[w.history.len()..].to_vec();
        let racing = Arc::new(CloseFirst {
            inner: store,
            closing: Mutex::new(Some(closing)),
        });
        let service = CaseService::new(racing.clone(), Policy::default());
        let mine = w.contact_command("zu spät", NoteCompartment::CaseTeam);
        let result = service
            .execute(w.case_id, &mine, &w.key_worker, now(&w))
            .await;
        assert!(
            matches!(result, Err(ServiceError::Rule(DomainError::CaseClosed))),
            "{result:?}"
        );
        let stored = racing.load(w.case_id).await.unwrap().unwrap();
        assert_eq!(stored.status, CaseStatus::Closed);
        assert!(stored.contacts.is_empty());
    });
}

/// Appends a closure of the case just before the first append it is asked for.
struct CloseFirst {
    inner: Arc<Contended>,
    closing: Mutex<Option<Vec<RecordedEvent>>>,
}

#[async_trait]
impl CaseRepository for CloseFirst {
    async fn history(&self, id: CaseId) -> Result<Vec<RecordedEvent>, StorageError> {
        self.inner.history(id).await
    }

    async fn append(
        &self,
        id: CaseId,
        expected_version: u64,
        events: &[RecordedEvent],
    ) -> Result<(), StorageError> {
        let closing = self.closing.lock().unwrap().take();
        if let Some(closing) = closing {
            let at = closing[0].sequence - 1;
            self.inner.append(id, at, &closing).await?;
        }
        self.inner.append(id, expected_version, events).await
    }

    async fn list(&self, filter: &CaseFilter) -> Result<Vec<CaseSummary>, StorageError> {
        self.inner.list(filter).await
    }

    async fn possible_duplicates(
        &self,
        client: &ClientIdentity,
    ) -> Result<Vec<(CaseSummary, DuplicateMatch)>, StorageError> {
        self.inner.possible_duplicates(client).await
    }
}

#[test]
fn which_commands_commute() {
    let mut w = World::enrolled();
    let at = noon(w.today);
    let attempt = |outcome| Command::LogContactAttempt {
        at,
        channel: ContactChannel::Doorstep,
        outcome,
    };
    assert!(w.contact_command("x", NoteCompartment::CaseTeam).commutes());
    assert!(attempt(AttemptOutcome::NotMet).commutes());
    assert!(attempt(AttemptOutcome::NoteLeft).commutes());
    assert!(!attempt(AttemptOutcome::Declined).commutes());
    assert!(!attempt(AttemptOutcome::Agreed).commutes());
    assert!(!Command::Decline { on: w.today }.commutes());
    assert!(
        !Command::ExtendPeriod {
            until: w.today,
            reason: t("länger")
        }
        .commutes()
    );
}
