//! The repository contract of `wegbereiter_core::ports::CaseRepository`, run against core's
//! in-memory store and the sea-orm store alike.

use std::sync::Arc;

use wegbereiter_core::prelude::*;
use wegbereiter_core::{CaseService, ServiceError};

use crate::fixtures::*;
use crate::harness::{TestDb, on_both};

on_both!(store_meets_the_contract);

async fn store_meets_the_contract(db: TestDb) {
    contract(db.store.cases()).await;
}

#[tokio::test]
async fn in_memory_store_meets_the_contract() {
    contract(Arc::new(InMemoryStore::new())).await;
}

/// What every `CaseRepository` must do.
async fn contract(repo: Arc<dyn CaseRepository>) {
    let nord = TeamId::from_uuid(new_id());
    let kw = actor(&[Role::KeyWorker], nord);
    let service = CaseService::new(repo.clone(), Policy::default());
    let id = CaseId::from_uuid(new_id());
    let refer = Command::Refer {
        referral: referral(
            client("Erika", "Musterfrau", Some(d(1984, 2, 29)), None),
            d(2026, 3, 1),
        ),
        team: Some(nord),
    };
    // Round trip: what is loaded is the replay of what was appended.
    let done = service
        .execute(id, &refer, &kw, noon(d(2026, 3, 1)).fixed_offset())
        .await
        .unwrap();
    assert_eq!(repo.load(id).await.unwrap(), Some(done.case.clone()));
    assert_eq!(repo.history(id).await.unwrap(), done.events);
    let letter = Command::AnnounceVisit {
        announcement: VisitAnnouncement {
            hours: None,
            letter_date: d(2026, 3, 2),
            visit_from: d(2026, 3, 9),
            visit_until: d(2026, 3, 11),
        },
    };
    let done = service
        .execute(id, &letter, &kw, noon(d(2026, 3, 2)).fixed_offset())
        .await
        .unwrap();
    let history = repo.history(id).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(Case::replay(&history).unwrap(), done.case);
    // A stale version is a conflict and writes nothing.
    let err = repo.append(id, 1, &done.events).await.unwrap_err();
    assert_eq!(
        err,
        StorageError::Conflict {
            case: id,
            expected: 1,
            actual: 2
        }
    );
    assert_eq!(repo.history(id).await.unwrap(), history);
    // A second referral is a rule refusal, not a storage error.
    assert!(matches!(
        service
            .execute(id, &refer, &kw, noon(d(2026, 3, 2)).fixed_offset())
            .await,
        Err(ServiceError::Rule(DomainError::CaseAlreadyExists))
    ));
    // Lists and duplicate hints see the case.
    let list = repo.list(&CaseFilter::default()).await.unwrap();
    assert_eq!(list, vec![done.case.summary()]);
    let dups = repo
        .possible_duplicates(&client("ERIKA", "musterfrau", Some(d(1984, 2, 29)), None))
        .await
        .unwrap();
    assert_eq!(dups.len(), 1);
    assert!(
        repo.load(CaseId::from_uuid(new_id()))
            .await
            .unwrap()
            .is_none()
    );
}
