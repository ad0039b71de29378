//! Reports recorded as sent (issue 11 part 4): the exact bytes kept with the event in one
//! transaction, sealed with the case key, read back byte for byte after a consent
//! withdrawal and a reopen, refused when the bytes do not have their hash, and gone with an
//! erased case.

use sea_orm::{ConnectionTrait, Statement};
use sha2::{Digest, Sha256};
use wegbereiter_core::prelude::*;
use wegbereiter_core::retention::on_request;

use crate::fixtures::*;
use crate::harness::{TestDb, on_both};

on_both!(a_sent_report_is_kept_byte_for_byte_sealed_and_erased_with_its_case);

const MARKER: &str = "MARKER-PDF-5be1 Teilnahmebestaetigung";

async fn count(db: &TestDb, sql: &str) -> i64 {
    let conn = db.raw().await;
    let row = conn
        .query_one_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get("", "n").unwrap()
}

fn report(bytes: &[u8], on: chrono::NaiveDate) -> SentReport {
    SentReport {
        document: DocumentId::from_uuid(new_id()),
        kind: ReportKind::EntryConfirmation,
        sent_on: on,
        channel: SendChannel::Fax,
        recipient: t("Jobcenter Beispielstadt, Fallmanagerin Probe"),
        sha256: Sha256Hex::from_digest(Sha256::digest(bytes).into()),
        bytes: 0,
        as_of: noon(on),
    }
}

async fn a_sent_report_is_kept_byte_for_byte_sealed_and_erased_with_its_case(db: TestDb) {
    let s = &db.store;
    let office = Office::new(s);
    let kw = office.kw_a.clone();
    let c = client("Sina", "Sendeprobe", Some(d(1990, 5, 5)), None);
    let id = office.refer(c, d(2026, 3, 1), None).await;
    office.enrol(id, d(2026, 3, 10), &kw).await;
    let day = d(2026, 3, 11);
    let consent = ConsentId::from_uuid(new_id());
    let give = Command::GiveConsent {
        id: consent,
        purpose: ConsentPurpose::JobcenterParticipation,
        form: ConsentForm::Written,
        given_on: day,
    };
    office.run(id, &kw, day, give).await;
    let pdf = format!("%PDF-1.7 {MARKER}").into_bytes();
    let sent = report(&pdf, day);
    let now = noon(day).fixed_offset();
    let service = &office.service;

    // Bytes that do not have the recorded hash: refused, nothing written.
    let version = s.load(id).await.unwrap().unwrap().version;
    let wrong = service
        .record_sent(id, None, &sent, b"other bytes".to_vec(), &kw, now)
        .await;
    assert!(
        matches!(wrong, Err(ServiceError::Storage(StorageError::Corrupt(_)))),
        "{wrong:?}"
    );
    assert_eq!(s.load(id).await.unwrap().unwrap().version, version);
    assert_eq!(
        count(&db, "SELECT COUNT(*) AS n FROM sent_documents").await,
        0
    );

    let done = service
        .record_sent(id, None, &sent, pdf.clone(), &kw, now)
        .await
        .unwrap();
    assert_eq!(done.case.sent_reports.len(), 1);
    // The same document id again is refused and writes nothing.
    let again = service
        .record_sent(id, None, &sent, pdf.clone(), &kw, now)
        .await;
    assert!(again.is_err(), "{again:?}");
    assert_eq!(s.load(id).await.unwrap().unwrap().sent_reports.len(), 1);

    // Sealed at rest: the bytes are in no stored row in clear.
    let sealed = count(
        &db,
        "SELECT COUNT(*) AS n FROM sent_documents WHERE sealed = TRUE",
    )
    .await;
    assert_eq!(sealed, 1);
    let conn = db.raw().await;
    let row = conn
        .query_one_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT content FROM sent_documents",
        ))
        .await
        .unwrap()
        .unwrap();
    let stored: Vec<u8> = row.try_get("", "content").unwrap();
    assert!(!stored.windows(MARKER.len()).any(|w| w == MARKER.as_bytes()));

    // Withdrawn consent, another process: the same bytes.
    office
        .run(
            id,
            &kw,
            day,
            Command::WithdrawConsent {
                id: consent,
                on: None,
            },
        )
        .await;
    let other = db.reopen().await;
    assert_eq!(other.document(id, sent.document).await.unwrap(), Some(pdf));
    assert!(s.verify().await.unwrap().first_broken.is_none());

    // Erased with the case (Art. 17): no row, no bytes.
    let close = Command::Close {
        on: d(2026, 3, 12),
        reason: ExitReason::GoalsAchieved,
        immediate_result: None,
    };
    office.run(id, &kw, d(2026, 3, 12), close).await;
    let today = d(2026, 3, 13);
    let case = s.case_for_retention(id).await.unwrap().unwrap();
    let steps = on_request(&case, &s.retention_rules().await.unwrap(), today).unwrap();
    let stamp = AuditStamp {
        actor: None,
        at: noon(today),
    };
    s.carry_out(id, &steps, "Antrag nach Art. 17 DSGVO", stamp, today)
        .await
        .unwrap();
    assert_eq!(
        count(&db, "SELECT COUNT(*) AS n FROM sent_documents").await,
        0
    );
    assert_eq!(s.document(id, sent.document).await.unwrap(), None);
}
