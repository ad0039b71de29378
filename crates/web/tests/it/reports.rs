//! Handler tests of the reports to the Jobcenter: the list of what core allows now, the
//! client preview, its PDF, recording it as sent (with the confirmation), the download of a
//! sent report byte for byte after a consent withdrawal, and who may see it.

use axum::http::StatusCode;
use sha2::Digest;
use uuid::Uuid;
use wegbereiter_core::ports::AccessKind;
use wegbereiter_core::prelude::*;

use crate::helpers::TestApp;

async fn give_participation_consent(app: &TestApp, id: CaseId) -> ConsentId {
    let consent = ConsentId::from_uuid(Uuid::now_v7());
    let today = app.local_now().date_naive();
    app.store
        .case_service(Policy::default())
        .execute(
            id,
            &Command::GiveConsent {
                id: consent,
                purpose: ConsentPurpose::JobcenterParticipation,
                form: ConsentForm::Written,
                given_on: today,
            },
            &app.seed.kw_nord.as_actor(),
            app.local_now(),
        )
        .await
        .unwrap();
    consent
}

#[tokio::test]
async fn a_report_is_previewed_recorded_as_sent_and_downloaded_as_sent() {
    let app = TestApp::seeded().await;
    let id = app.seed.own;
    let consent = give_participation_consent(&app, id).await;
    let mut c = app.login("erika").await;
    let fb = c.get(&format!("/cases/{id}/feedback")).await;
    assert_eq!(fb.status, StatusCode::OK);
    let preview = format!("/cases/{id}/feedback/entry_confirmation");
    assert!(fb.body.contains(&preview), "{}", fb.body);
    assert!(
        !fb.body.contains("/feedback/progress_report"),
        "no consent, no link"
    );
    assert!(fb.body.contains("Noch kein Bericht als versendet erfasst."));

    let page = c.get(&preview).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Teilnahmebestätigung: Erika Musterfrau"));
    assert!(page.body.contains("Als versendet erfassen"));
    let refused = c
        .get(&format!("/cases/{id}/feedback/progress_report"))
        .await;
    assert!(
        refused
            .body
            .contains("Dafür fehlt eine gültige Einwilligung")
    );
    assert!(!refused.body.contains("name=\"shown\""));
    assert_eq!(
        c.get(&format!("/cases/{id}/feedback/bogus")).await.status,
        StatusCode::NOT_FOUND
    );
    let pdf = c.get(&format!("{preview}/pdf")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.headers["content-type"], "application/pdf");

    // Without the confirmation nothing is recorded.
    let version = app.case(id).await.version.to_string();
    let today = app.local_now().date_naive().to_string();
    let send = format!("{preview}/send");
    let mut fields = vec![
        ("version", version.as_str()),
        ("channel", "fax"),
        ("recipient", "Jobcenter Beispielstadt, Frau Probe"),
        ("sent_on", today.as_str()),
    ];
    let res = c.post(&send, &fields).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Bitte bestätigen Sie"));
    assert!(app.case(id).await.sent_reports.is_empty());
    fields.push(("shown", "yes"));
    let res = c.post(&send, &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let case = app.case(id).await;
    let sent = case.sent_reports[0].clone();
    assert_eq!(sent.kind, ReportKind::EntryConfirmation);
    assert_eq!(sent.channel, SendChannel::Fax);
    // A stale form (the version it showed) is a conflict, not a second record.
    let stale = c.post(&send, &fields).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(app.case(id).await.sent_reports.len(), 1);

    // Listed in the case file; downloaded exactly as sent, also after a withdrawal.
    let fb = c.get(&format!("/cases/{id}/feedback")).await;
    let link = format!("/cases/{id}/sent/{}/pdf", sent.document);
    assert!(fb.body.contains(&link), "{}", fb.body);
    assert!(fb.body.contains(sent.sha256.as_str()));
    app.store
        .case_service(Policy::default())
        .execute(
            id,
            &Command::WithdrawConsent {
                id: consent,
                on: None,
            },
            &app.seed.kw_nord.as_actor(),
            app.local_now(),
        )
        .await
        .unwrap();
    let before = app.store.accesses(id).await.unwrap().len();
    let got = c.get(&link).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(
        hex::encode(sha2::Sha256::digest(&got.bytes)),
        sent.sha256.as_str()
    );
    assert_eq!(got.bytes.len() as u64, sent.bytes);
    let log = app.store.accesses(id).await.unwrap();
    assert_eq!(log.len(), before + 1);
    assert_eq!(log.last().map(|a| a.kind), Some(AccessKind::Export));
    let now = c.get(&preview).await;
    assert!(now.body.contains("Dafür fehlt eine gültige Einwilligung"));

    // Another team's key worker learns nothing; an administrator is refused.
    let mut sami = app.login("sami").await;
    assert_eq!(sami.get(&link).await.status, StatusCode::NOT_FOUND);
    let mut admin = app.login("admin").await;
    assert_eq!(admin.get(&link).await.status, StatusCode::FORBIDDEN);
    let unknown = format!("/cases/{id}/sent/{}/pdf", Uuid::now_v7());
    assert_eq!(c.get(&unknown).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_search_results_download_as_csv_and_xlsx_with_only_visible_cases() {
    let app = TestApp::seeded().await;
    let mut c = app.login("erika").await;
    let page = c.get("/cases?q=Musterfrau").await;
    assert!(
        page.body.contains("/cases/export/csv?q=Musterfrau"),
        "{}",
        page.body
    );
    let csv = c.get("/cases/export/csv?q=Musterfrau").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
    assert!(csv.bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(csv.bytes[3..].to_vec()).unwrap();
    assert!(text.contains("Musterfrau, Erika"), "{text}");
    let xlsx = c.get("/cases/export/xlsx").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.bytes.starts_with(b"PK"));
    assert_eq!(
        c.get("/cases/export/pdf").await.status,
        StatusCode::NOT_FOUND
    );
    // A key worker of another team gets none of team Nord's cases; an administrator nothing.
    let mut sami = app.login("sami").await;
    let other = sami.get("/cases/export/csv?q=Musterfrau").await;
    assert_eq!(other.status, StatusCode::OK);
    assert!(!String::from_utf8_lossy(&other.bytes).contains("Musterfrau"));
    let mut admin = app.login("admin").await;
    assert_eq!(
        admin.get("/cases/export/csv").await.status,
        StatusCode::FORBIDDEN
    );
}
