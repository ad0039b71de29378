//! The register of data-protection requests: entered, extended, done and refused with core's
//! rules inside one audited transaction each, refusals that write nothing, an erasure carried
//! out on request that answers its request in the same transaction, and the rows outliving
//! the erasure of their case.

use wegbereiter_core::ids::PrivacyRequestId;
use wegbereiter_core::prelude::*;
use wegbereiter_core::privacy_request::{
    PrivacyRequest, Receipt, RequestChannel, RequestKind, RequestRefused, RequestStatus,
    RequestStep, sort_for_register,
};
use wegbereiter_core::retention::on_request;
use wegbereiter_storage::{
    PRIVACY_REQUEST_DONE, PRIVACY_REQUEST_EXTENDED, PRIVACY_REQUEST_RECEIVED,
    PRIVACY_REQUEST_REFUSED, RequestError, RetentionError,
};

use crate::fixtures::*;
use crate::harness::{TestDb, on_both};

on_both!(requests_are_entered_extended_answered_with_an_audit_line_each);
on_both!(a_refused_step_writes_nothing);
on_both!(an_erasure_on_request_answers_its_request_and_the_row_outlives_the_case);

fn dpo() -> Actor {
    actor(&[Role::DataProtectionOfficer], TeamId::from_uuid(new_id()))
}

fn receipt(case: CaseId, kind: RequestKind, on: chrono::NaiveDate) -> Receipt {
    Receipt {
        id: PrivacyRequestId::from_uuid(new_id()),
        case_id: case,
        kind,
        channel: RequestChannel::Letter,
        received_on: on,
        note: Some(t("Schreiben vom Eingangstag, Akte zur Suchtberatung")),
    }
}

async fn add(db: &TestDb, who: &Actor, r: Receipt) -> Result<PrivacyRequest, RequestError> {
    let on = r.received_on;
    db.store.privacy_request_add(r, who, noon(on), on).await
}

async fn step(
    db: &TestDb,
    who: &Actor,
    id: PrivacyRequestId,
    step: RequestStep,
    today: chrono::NaiveDate,
) -> Result<PrivacyRequest, RequestError> {
    db.store
        .privacy_request_step(id, step, who, noon(today), today)
        .await
}

async fn requests_are_entered_extended_answered_with_an_audit_line_each(db: TestDb) {
    let s = &db.store;
    let dpo = dpo();
    let case = CaseId::from_uuid(new_id());
    let erase_receipt = receipt(case, RequestKind::Erasure, d(2027, 1, 31));
    let access_receipt = receipt(case, RequestKind::Access, d(2027, 2, 10));
    let objection_receipt = Receipt {
        channel: RequestChannel::Email,
        note: None,
        ..receipt(case, RequestKind::Objection, d(2027, 2, 11))
    };
    let erase = add(&db, &dpo, erase_receipt).await.unwrap();
    let access = add(&db, &dpo, access_receipt.clone()).await.unwrap();
    let objection = add(&db, &dpo, objection_receipt).await.unwrap();
    assert!(matches!(
        add(&db, &dpo, access_receipt).await,
        Err(RequestError::Storage(StorageError::AlreadyExists(_)))
    ));
    assert_eq!(
        db.reopen()
            .await
            .privacy_request(erase.id())
            .await
            .unwrap()
            .as_ref(),
        Some(&erase)
    );
    assert_eq!(erase.deadline(), d(2027, 2, 28));

    let extended = step(
        &db,
        &dpo,
        erase.id(),
        RequestStep::Extend {
            reason: t("Umfangreiche Akte über mehrere Fälle"),
        },
        d(2027, 2, 20),
    )
    .await
    .unwrap();
    assert_eq!(extended.deadline(), d(2027, 4, 30));
    assert_eq!(
        s.privacy_request(erase.id()).await.unwrap().as_ref(),
        Some(&extended)
    );

    let done = step(
        &db,
        &dpo,
        access.id(),
        RequestStep::Complete {
            on: d(2027, 3, 1),
            note: Some(t("Auskunft per Post")),
        },
        d(2027, 3, 1),
    )
    .await
    .unwrap();
    assert_eq!(done.status().key(), "done");
    let refused = step(
        &db,
        &dpo,
        objection.id(),
        RequestStep::Refuse {
            on: d(2027, 3, 2),
            reason: t("Verarbeitung beruht auf rechtlicher Pflicht"),
        },
        d(2027, 3, 2),
    )
    .await
    .unwrap();
    assert!(
        matches!(refused.status(), RequestStatus::Refused { reason, .. } if reason.as_str().contains("Pflicht"))
    );
    for r in [&done, &refused] {
        assert_eq!(
            db.reopen()
                .await
                .privacy_request(r.id())
                .await
                .unwrap()
                .as_ref(),
            Some(r)
        );
    }

    assert_eq!(
        s.privacy_requests(false).await.unwrap(),
        vec![extended.clone()]
    );
    let mut all = s.privacy_requests(true).await.unwrap();
    sort_for_register(&mut all, d(2027, 3, 3));
    assert_eq!(all, vec![extended, refused, done]);

    let log = s.audit_log(50).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|r| r.action.as_str()).collect();
    for (action, n) in [
        (PRIVACY_REQUEST_RECEIVED, 3),
        (PRIVACY_REQUEST_EXTENDED, 1),
        (PRIVACY_REQUEST_DONE, 1),
        (PRIVACY_REQUEST_REFUSED, 1),
    ] {
        assert_eq!(
            actions.iter().filter(|a| **a == action).count(),
            n,
            "{action} in {actions:?} (the refused duplicate left no line)"
        );
    }
    let ours: Vec<_> = log
        .iter()
        .filter(|r| r.action.starts_with("privacy_request."))
        .collect();
    assert!(ours.iter().all(|r| r.actor == Some(dpo.id)), "{ours:?}");
    assert!(
        ours.iter().all(|r| r.subject.contains(&case.to_string())
            && !r.subject.contains("Sucht")
            && !r.subject.contains("Akte")
            && !r.subject.contains("Pflicht")),
        "audit lines name ids and days, never a note: {ours:?}"
    );
}

async fn a_refused_step_writes_nothing(db: TestDb) {
    let s = &db.store;
    let dpo = dpo();
    let lead = actor(&[Role::TeamLead], TeamId::from_uuid(new_id()));
    let case = CaseId::from_uuid(new_id());
    assert!(matches!(
        add(
            &db,
            &lead,
            receipt(case, RequestKind::Access, d(2026, 3, 2))
        )
        .await,
        Err(RequestError::Refused(RequestRefused::NotPermitted))
    ));
    assert!(s.privacy_requests(true).await.unwrap().is_empty());
    let request = add(
        &db,
        &dpo,
        receipt(case, RequestKind::Erasure, d(2026, 3, 2)),
    )
    .await
    .unwrap();
    let before = s.audit_log(100).await.unwrap().len();

    let refusals = [
        (
            &dpo,
            RequestStep::Extend {
                reason: t("zu spät"),
            },
            d(2026, 4, 3),
            RequestRefused::DeadlinePassed,
        ),
        (
            &dpo,
            RequestStep::Complete {
                on: d(2026, 3, 1),
                note: None,
            },
            d(2026, 3, 5),
            RequestRefused::BeforeReceipt,
        ),
        (
            &lead,
            RequestStep::Complete {
                on: d(2026, 3, 5),
                note: None,
            },
            d(2026, 3, 5),
            RequestRefused::NotPermitted,
        ),
    ];
    for (who, change, today, expected) in refusals {
        let got = step(&db, who, request.id(), change, today).await;
        assert!(
            matches!(&got, Err(RequestError::Refused(r)) if *r == expected),
            "{got:?}"
        );
    }
    let unknown = PrivacyRequestId::from_uuid(new_id());
    assert!(matches!(
        step(
            &db,
            &dpo,
            unknown,
            RequestStep::Complete {
                on: d(2026, 3, 5),
                note: None
            },
            d(2026, 3, 5)
        )
        .await,
        Err(RequestError::NotFound(x)) if x == unknown
    ));
    assert_eq!(s.audit_log(100).await.unwrap().len(), before);
    assert_eq!(
        s.privacy_request(request.id()).await.unwrap().as_ref(),
        Some(&request)
    );
}

async fn an_erasure_on_request_answers_its_request_and_the_row_outlives_the_case(db: TestDb) {
    let s = &db.store;
    let dpo = dpo();
    let office = Office::new(s);
    let c = client(
        "Quendolin",
        "Antragsprobe",
        Some(d(1980, 1, 1)),
        Some("34117"),
    );
    let id = office.refer(c, d(2026, 1, 5), Some(office.nord)).await;
    office
        .attempt(id, d(2026, 1, 10), AttemptOutcome::Declined)
        .await;
    let erasure = add(&db, &dpo, receipt(id, RequestKind::Erasure, d(2026, 3, 2)))
        .await
        .unwrap();
    let access = add(&db, &dpo, receipt(id, RequestKind::Access, d(2026, 3, 2)))
        .await
        .unwrap();
    let today = d(2026, 3, 5);
    let case = s.case_for_retention(id).await.unwrap().unwrap();
    let steps = on_request(&case, &s.retention_rules().await.unwrap(), today).unwrap();
    let basis = ("Antrag nach Art. 17 DSGVO", RequestKind::Erasure);

    // Somebody who may not keep the register: nothing is erased, nothing answered.
    let lead = office.lead.clone();
    let refused = s
        .carry_out_request(id, &steps, basis, &lead, noon(today), today)
        .await;
    assert!(
        matches!(
            refused,
            Err(RetentionError::Request(RequestRefused::NotPermitted))
        ),
        "{refused:?}"
    );
    assert!(s.case_for_retention(id).await.unwrap().is_some());
    assert_eq!(s.privacy_requests(false).await.unwrap().len(), 2);

    let carried = s
        .carry_out_request(id, &steps, basis, &dpo, noon(today), today)
        .await
        .unwrap();
    assert_eq!(carried.steps.len(), 1);
    assert_eq!(carried.answered.len(), 1);
    assert_eq!(carried.answered[0].id(), erasure.id());
    assert!(s.case_for_retention(id).await.unwrap().is_none());
    let stored = s.privacy_request(erasure.id()).await.unwrap().unwrap();
    assert!(
        matches!(stored.status(), RequestStatus::Done { on, note: Some(n) } if *on == today && n.as_str().contains("Fall gelöscht")),
        "{stored:?}"
    );
    assert_eq!(stored.case_id(), id, "the register still names the case");
    // The access request of the same case is another request: still open.
    assert_eq!(s.privacy_requests(false).await.unwrap(), vec![access]);
    let log = s.audit_log(100).await.unwrap();
    assert!(
        log.iter()
            .any(|r| r.action == PRIVACY_REQUEST_DONE
                && r.subject.contains(&erasure.id().to_string()))
    );
    assert!(s.verify().await.unwrap().is_intact());
}
