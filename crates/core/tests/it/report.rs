//! The reports to the Jobcenter (domain rules §4) and their record as sent.

use std::sync::Arc;

use chrono::Utc;
use futures_executor::block_on;
use wegbereiter_core::prelude::*;
use wegbereiter_core::report::Sha256Hex;

use crate::support::*;

fn digest() -> Sha256Hex {
    Sha256Hex::parse(&"ab".repeat(32)).unwrap()
}

fn sent(w: &mut World, kind: ReportKind, on: chrono::NaiveDate) -> SentReport {
    SentReport {
        document: DocumentId::from_uuid(w.id()),
        kind,
        sent_on: on,
        channel: SendChannel::Post,
        recipient: t("Jobcenter Beispielstadt, Fallmanager Probe"),
        sha256: digest(),
        bytes: 4,
        as_of: noon(on),
    }
}

#[test]
fn each_kind_needs_its_consent_and_its_moment() {
    let mut w = World::enrolled();
    let at = noon(w.today);
    let report = |w: &World, kind| jobcenter_report(w.case(), kind, at, &Utc);
    let outreach = report(&w, ReportKind::OutreachResult).unwrap();
    assert!(outreach.outreach.is_some() && outreach.participation.is_none());
    let purpose = ConsentPurpose::JobcenterParticipation;
    assert_eq!(
        report(&w, ReportKind::EntryConfirmation),
        Err(DomainError::ConsentMissing { purpose })
    );
    assert_eq!(
        report(&w, ReportKind::ProgressReport),
        Err(DomainError::ConsentMissing {
            purpose: ConsentPurpose::JobcenterProgress
        })
    );
    assert_eq!(
        report(&w, ReportKind::ExitReport),
        Err(DomainError::NotClosed)
    );
    w.give_consent(purpose);
    let entry = report(&w, ReportKind::EntryConfirmation).unwrap();
    let p = entry.participation.unwrap();
    assert_eq!(p.start, d(2026, 3, 10));
    assert!(entry.outreach.is_none() && entry.progress.is_none());
    assert_eq!(
        World::in_outreach().case.map(|c| jobcenter_report(
            &c,
            ReportKind::EntryConfirmation,
            at,
            &Utc
        )),
        Some(Err(DomainError::NotEnrolled))
    );
}

#[test]
fn an_extension_request_names_open_areas_only_with_the_progress_consent() {
    let mut w = World::enrolled();
    w.give_consent(ConsentPurpose::JobcenterParticipation);
    w.agree_goal(LifeDomain::Housing, "Wohnung halten");
    w.agree_goal(LifeDomain::FamilyHouseholdCare, "Kinderbetreuung klären");
    let at = noon(w.today);
    let ext = |w: &World| {
        jobcenter_report(w.case(), ReportKind::ExtensionRequest, at, &Utc)
            .unwrap()
            .extension
            .unwrap()
    };
    assert!(ext(&w).open_domains.is_empty());
    assert_eq!(ext(&w).planned_end, d(2026, 6, 10));
    w.give_consent(ConsentPurpose::JobcenterProgress);
    // Household data never appear (I4).
    assert_eq!(ext(&w).open_domains, vec![LifeDomain::Housing]);
}

#[test]
fn a_report_is_recorded_as_sent_only_as_its_consent_allowed() {
    let mut w = World::enrolled();
    let day = w.today;
    let entry = sent(&mut w, ReportKind::EntryConfirmation, day);
    let purpose = ConsentPurpose::JobcenterParticipation;
    assert_eq!(
        w.try_(&Command::RecordReportSent {
            report: entry.clone()
        }),
        Err(DomainError::ConsentMissing { purpose })
    );
    w.give_consent(purpose);
    w.ok(Command::RecordReportSent {
        report: entry.clone(),
    });
    assert_eq!(w.case().sent_reports, vec![entry.clone()]);
    // The same document twice, a day before the moment it was computed for, the future.
    assert_eq!(
        w.try_(&Command::RecordReportSent {
            report: entry.clone()
        }),
        Err(DomainError::DuplicateId)
    );
    let mut early = sent(&mut w, ReportKind::EntryConfirmation, day);
    early.sent_on = d(2026, 3, 9);
    assert!(matches!(
        w.try_(&Command::RecordReportSent { report: early }),
        Err(DomainError::DateTooEarly { .. })
    ));
    let mut later = sent(&mut w, ReportKind::OutreachResult, day);
    later.sent_on = d(2026, 3, 11);
    assert!(matches!(
        w.try_(&Command::RecordReportSent { report: later }),
        Err(DomainError::DateInFuture { .. })
    ));
}

#[test]
fn digests_are_64_hexadecimal_digits() {
    assert_eq!(
        Sha256Hex::parse(&"AB".repeat(32)).unwrap().as_str(),
        "ab".repeat(32)
    );
    for bad in ["", "ab", &"xy".repeat(32), &"a".repeat(65)] {
        assert!(Sha256Hex::parse(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn the_kept_bytes_come_back_after_a_consent_withdrawal() {
    block_on(async {
        let mut w = World::enrolled();
        let consent = w.give_consent(ConsentPurpose::JobcenterParticipation);
        let store = Arc::new(InMemoryStore::new());
        store.append(w.case_id, 0, &w.history).await.unwrap();
        let service = CaseService::new(store.clone(), Policy::default());
        let now = noon(w.today).fixed_offset();
        let today = w.today;
        let report = sent(&mut w, ReportKind::EntryConfirmation, today);
        let pdf = b"%PDF-1.7 a report".to_vec();
        let done = service
            .record_sent(w.case_id, None, &report, pdf.clone(), &w.key_worker, now)
            .await
            .unwrap();
        assert_eq!(done.case.sent_reports[0].bytes, pdf.len() as u64);
        service
            .execute(
                w.case_id,
                &Command::WithdrawConsent {
                    id: consent,
                    on: None,
                },
                &w.key_worker,
                now,
            )
            .await
            .unwrap();
        let (kept, bytes) = service
            .sent_document(
                w.case_id,
                report.document,
                &w.key_worker,
                &*store,
                now.to_utc(),
            )
            .await
            .unwrap()
            .unwrap();
        assert_eq!(bytes, pdf);
        assert_eq!(kept.kind, ReportKind::EntryConfirmation);
        let accesses = store.accesses(w.case_id).await.unwrap();
        assert_eq!(accesses.last().unwrap().kind, AccessKind::Export);
        // A report computed now leaves the withdrawn part out; the kept one is as sent.
        let case = service.case(w.case_id).await.unwrap();
        assert!(
            jobcenter_report(&case, ReportKind::EntryConfirmation, now.to_utc(), &Utc).is_err()
        );
        // An administrator (who never reads case files) gets nothing; an unknown document is
        // none.
        let stranger = w.admin.clone();
        assert!(
            service
                .sent_document(w.case_id, report.document, &stranger, &*store, now.to_utc())
                .await
                .is_err()
        );
        let unknown = DocumentId::from_uuid(uuid::Uuid::from_u128(31337));
        assert_eq!(
            service
                .sent_document(w.case_id, unknown, &w.key_worker, &*store, now.to_utc())
                .await
                .unwrap(),
            None
        );
    });
}
