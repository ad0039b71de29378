//! Handler tests of data protection: consents given again after a withdrawal; the
//! data-protection officer's retention plan; consent receipts; unusual reads flagged.

use axum::http::StatusCode;
use wegbereiter_core::prelude::*;

use crate::helpers::TestApp;

/// The options of the purpose select of "Weitere Einwilligung erfassen".
fn purpose_options(body: &str) -> String {
    let start = body
        .find(r#"id="con-p""#)
        .expect("the consent form's purpose select");
    let rest = &body[start..];
    let end = rest.find("</select>").expect("end of the select");
    rest[..end].to_owned()
}

#[tokio::test]
async fn a_withdrawn_processing_consent_can_be_given_again_in_the_web() {
    let app = TestApp::seeded().await;
    let id = app.seed.own;
    let mut c = app.login("erika").await;
    let page = c.get(&format!("/cases/{id}/enrolment")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !purpose_options(&page.body).contains(r#"value="case_processing""#),
        "in force: not offered again"
    );
    let case = app.case(id).await;
    let processing = case
        .consents
        .iter()
        .find(|c| c.purpose == ConsentPurpose::CaseProcessing)
        .unwrap()
        .id
        .to_string();
    let v = case.version.to_string();
    let res = c
        .post(
            &format!("/cases/{id}/enrolment/withdraw"),
            &[
                ("version", &v),
                ("consent", &processing),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = c.get(&format!("/cases/{id}/enrolment")).await;
    assert!(
        purpose_options(&page.body).contains(r#"value="case_processing""#),
        "{}",
        purpose_options(&page.body)
    );
    let v = app.case(id).await.version.to_string();
    let today = app.local_now().date_naive().to_string();
    let res = c
        .post(
            &format!("/cases/{id}/enrolment/consent"),
            &[
                ("version", &v),
                ("purpose", "case_processing"),
                ("consent_form", "written"),
                ("given_on", &today),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let case = app.case(id).await;
    let processing: Vec<_> = case
        .consents
        .iter()
        .filter(|c| c.purpose == ConsentPurpose::CaseProcessing)
        .collect();
    assert_eq!(
        processing.len(),
        2,
        "the withdrawn one stays in the history"
    );
    assert!(processing[0].withdrawn_at.is_some() && processing[1].withdrawn_at.is_none());
    assert!(case.has_active_consent(ConsentPurpose::CaseProcessing, app.local_now()));
}

/// A case of team Nord declined at the door on the seed's day.
async fn declined_case(app: &TestApp) -> CaseId {
    let id = CaseId::from_uuid(uuid::Uuid::now_v7());
    let svc = app.store.case_service(Policy::default());
    let kw = app.seed.kw_nord.as_actor();
    svc.execute(
        id,
        &Command::Refer {
            referral: crate::helpers::referral(
                "Dora",
                "Ablehnungsprobe",
                crate::helpers::d(2026, 3, 2),
            ),
            team: Some(app.seed.nord),
        },
        &kw,
        app.local_now(),
    )
    .await
    .unwrap();
    svc.execute(
        id,
        &Command::LogContactAttempt {
            at: app.now(),
            channel: ContactChannel::Doorstep,
            outcome: AttemptOutcome::Declined,
        },
        &kw,
        app.local_now(),
    )
    .await
    .unwrap();
    id
}

#[tokio::test]
async fn the_dpo_sees_the_retention_plan_and_carries_it_out_only_after_confirming() {
    let app = TestApp::seeded().await;
    let id = declined_case(&app).await;
    // Only the data-protection officer.
    let mut erika = app.login("erika").await;
    assert_eq!(erika.get("/privacy").await.status, StatusCode::FORBIDDEN);
    assert!(!erika.get("/").await.body.contains("href=\"/privacy\""));

    let mut dora = app.login("dora").await;
    let page = dora.get("/privacy").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("href=\"/privacy\""), "in the navigation");
    assert!(page.body.contains("Aufbewahrungsfristen") && page.body.contains("2021/1060"));
    // Not yet due: in the upcoming list, by case number only.
    assert!(
        page.body.contains("Heute ist nichts zu löschen"),
        "{}",
        page.body
    );
    assert!(page.body.contains(&id.to_string()));
    assert!(
        !page.body.contains("Ablehnungsprobe"),
        "no names on this page"
    );

    // 100 days later it is due; without the confirmation nothing happens.
    app.advance(chrono::Duration::days(100));
    let mut dora = app.login("dora").await;
    let page = dora.get("/privacy").await;
    assert!(page.body.contains("Heute fällig") && page.body.contains("ganzen Fall löschen"));
    let res = dora.post("/privacy/apply", &[]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("Bitte bestätigen"), "{}", res.body);
    assert!(
        app.store.load(id).await.unwrap().is_some(),
        "nothing erased"
    );
    // A key worker cannot post it either.
    let mut erika = app.login("erika").await;
    let res = erika.post("/privacy/apply", &[("confirm", "yes")]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(app.store.load(id).await.unwrap().is_some());

    let res = dora.post("/privacy/apply", &[("confirm", "yes")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = dora.get("/privacy").await;
    assert!(
        page.body.contains("1 Schritte in 1 Fällen ausgeführt"),
        "{}",
        page.body
    );
    assert!(app.store.load(id).await.unwrap().is_none(), "erased");
    let audit = app.store.audit_log(50).await.unwrap();
    let tomb = audit
        .iter()
        .find(|a| a.action == wegbereiter_storage::CASE_ERASED)
        .expect("a tombstone");
    assert_eq!(tomb.actor, Some(app.seed.dpo.id));
    assert!(tomb.subject.contains(&id.to_string()) && !tomb.subject.contains("Ablehnungsprobe"));
    // The seeded open cases are untouched, and the chain verifies.
    assert!(app.store.load(app.seed.own).await.unwrap().is_some());
    assert!(app.store.verify().await.unwrap().is_intact());
}

#[tokio::test]
async fn a_consent_receipt_is_printable_given_and_withdrawn_for_those_who_see_the_case() {
    let app = TestApp::seeded().await;
    let id = app.seed.own;
    let case = app.case(id).await;
    let consent = case.consents[0].id;
    let path = format!("/cases/{id}/enrolment/consents/{consent}/receipt");
    let mut c = app.login("erika").await;
    let page = c.get(&format!("/cases/{id}/enrolment")).await;
    assert!(page.body.contains(&path), "linked from the consents");
    let receipt = c.get(&path).await;
    assert_eq!(receipt.status, StatusCode::OK, "{}", receipt.body);
    for part in [
        "Bestätigung Ihrer Einwilligung",
        "Erika Musterfrau",
        "Teilnahme und Fallbearbeitung",
        "Textfassung",
        "Ich nehme freiwillig",
        "jederzeit widerrufen",
    ] {
        assert!(receipt.body.contains(part), "{part}");
    }
    // Printing is recorded as an export.
    let accesses = app.store.accesses(id).await.unwrap();
    assert!(accesses.iter().any(|a| a.kind == AccessKind::Export));
    // Someone of another team learns nothing; an unknown consent is 404.
    let mut sami = app.login("sami").await;
    assert_eq!(sami.get(&path).await.status, StatusCode::NOT_FOUND);
    let other = format!(
        "/cases/{id}/enrolment/consents/{}/receipt",
        uuid::Uuid::now_v7()
    );
    assert_eq!(c.get(&other).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        c.get(&format!("/cases/{id}/enrolment/consents/kein-uuid/receipt"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // After the withdrawal, the receipt confirms the withdrawal.
    let v = case.version.to_string();
    let consent_s = consent.to_string();
    let res = c
        .post(
            &format!("/cases/{id}/enrolment/withdraw"),
            &[("version", &v), ("consent", &consent_s), ("confirm", "yes")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let receipt = c.get(&path).await;
    assert!(receipt.body.contains("Bestätigung Ihres Widerrufs"));
    assert!(receipt.body.contains("neu geben"));
}

#[tokio::test]
async fn the_access_log_flags_a_read_outside_the_readers_teams() {
    let app = TestApp::seeded().await;
    let own = app.seed.own; // team Nord
    let at = app.now();
    for (actor, case) in [(app.seed.kw_nord.id, own), (app.seed.kw_sued.id, own)] {
        app.store
            .record_access(&AccessEntry {
                at,
                actor,
                case_id: case,
                kind: AccessKind::View,
            })
            .await
            .unwrap();
    }
    let mut dora = app.login("dora").await;
    let page = dora.get("/audit").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Auffällig"), "{}", page.body);
    // Exactly one flagged read: Sami of team Süd opened a file of team Nord.
    assert_eq!(
        page.body.matches("außerhalb der eigenen Teams").count(),
        1,
        "{}",
        page.body
    );
    let row = page
        .body
        .split("<tr>")
        .find(|r| r.contains("außerhalb der eigenen Teams"))
        .unwrap();
    assert!(row.contains("Sami Süd"), "{row}");
}

#[tokio::test]
async fn the_dpo_downloads_the_access_export_of_a_person() {
    let app = TestApp::seeded().await;
    let own = app.seed.own;
    let mut erika = app.login("erika").await;
    let path = format!("/privacy/export?case={own}");
    assert_eq!(erika.get(&path).await.status, StatusCode::FORBIDDEN);
    let mut dora = app.login("dora").await;
    let res = dora.get(&path).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(
        res.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    assert!(
        res.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let export: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(export["cases"][0]["case"]["id"], own.to_string());
    assert!(export["cases"][0]["history"].as_array().unwrap().len() >= 2);
    assert_eq!(export["cases"][0]["retention"].as_array().unwrap().len(), 5);
    // The export is in the access log of the case.
    let accesses = app.store.accesses(own).await.unwrap();
    assert!(
        accesses
            .iter()
            .any(|a| a.actor == app.seed.dpo.id && a.kind == AccessKind::Export)
    );
    // A wrong or unknown id: the page says so.
    let bad = dora.get("/privacy/export?case=B787B-5052F").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("vollständige Fall-ID"), "{}", bad.body);
    let unknown = dora
        .get(&format!("/privacy/export?case={}", uuid::Uuid::now_v7()))
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains("gibt es nicht"));
}

#[tokio::test]
async fn the_dpo_finds_the_reads_of_a_client_by_name() {
    let app = TestApp::seeded().await;
    for case in [app.seed.own, app.seed.other] {
        app.store
            .record_access(&AccessEntry {
                at: app.now(),
                actor: app.seed.admin.id,
                case_id: case,
                kind: AccessKind::History,
            })
            .await
            .unwrap();
    }
    let mut dora = app.login("dora").await;
    let page = dora.get("/audit?client=Musterfrau").await;
    assert_eq!(page.status, StatusCode::OK);
    // The case number as the page shows it: the id's last ten hex digits, "XXXXX-XXXXX".
    let case_no = |id: CaseId| {
        let hex = id.as_uuid().simple().to_string().to_uppercase();
        format!("{}-{}", &hex[22..27], &hex[27..])
    };
    let (own, other) = (case_no(app.seed.own), case_no(app.seed.other));
    assert!(page.body.contains(&own), "{}", page.body);
    assert!(
        !page.body.contains(&other),
        "another person's reads are not listed"
    );
    let none = dora.get("/audit?client=Niemand").await;
    assert!(!none.body.contains(&own) && !none.body.contains(&other));
}

#[tokio::test]
async fn the_dpo_enters_an_erasure_request_confirms_it_and_the_case_is_gone() {
    let app = TestApp::seeded().await;
    let id = declined_case(&app).await;
    let open = app.seed.own;
    let mut erika = app.login("erika").await;
    let asked = format!("/privacy/request?case={id}&kind=erase&reason=Antrag+vom+02.03.2026");
    assert_eq!(erika.get(&asked).await.status, StatusCode::FORBIDDEN);
    let mut dora = app.login("dora").await;
    let page = dora.get("/privacy").await;
    assert!(
        page.body.contains(r#"action="/privacy/request""#),
        "the request form"
    );
    // An open case: core's refusal, next to the form, nothing changed.
    let refused = dora
        .get(&format!(
            "/privacy/request?case={open}&kind=erase&reason=Antrag+vom+02.03.2026"
        ))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("noch offen"), "{}", refused.body);
    // No reason: asked for.
    let no_reason = dora
        .get(&format!("/privacy/request?case={id}&kind=erase&reason="))
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("Grund"), "{}", no_reason.body);
    // The confirmation page says what happens; the GET changes nothing.
    let confirm = dora.get(&asked).await;
    assert_eq!(confirm.status, StatusCode::OK, "{}", confirm.body);
    assert!(confirm.body.contains("Löschung auf Antrag ausführen"));
    assert!(
        confirm.body.contains("ganzen Fall löschen"),
        "{}",
        confirm.body
    );
    assert!(app.store.case_for_retention(id).await.unwrap().is_some());
    // Without the confirmation: 422, the request kept, nothing erased.
    let form = [
        ("case", id.to_string()),
        ("kind", "erase".to_owned()),
        ("reason", "Antrag vom 02.03.2026".to_owned()),
    ];
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = dora.post("/privacy/request", &pairs).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("Antrag vom 02.03.2026"));
    assert!(app.store.case_for_retention(id).await.unwrap().is_some());
    // Confirmed: carried out and audited.
    let mut confirmed = pairs.clone();
    confirmed.push(("confirm", "yes"));
    let res = dora.post("/privacy/request", &confirmed).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(app.store.case_for_retention(id).await.unwrap().is_none());
    let audit = app
        .store
        .audit_page(&wegbereiter_storage::AuditQuery {
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(audit.items.iter().any(|r| {
        r.action == wegbereiter_storage::CASE_ERASED
            && r.subject
                .contains("Antrag nach Art. 17 DSGVO: Antrag vom 02.03.2026")
    }));
    // Again: the case is gone.
    let again = dora.get(&asked).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_dpo_keeps_the_register_of_requests_and_an_erasure_on_request_answers_it() {
    use wegbereiter_core::privacy_request::RequestStatus;
    let app = TestApp::seeded().await;
    let id = declined_case(&app).await;
    let case = id.to_string();
    let today = app.local_now().date_naive();
    let long_ago = (today - chrono::Duration::days(40)).to_string();
    let erasure = [
        ("case", case.as_str()),
        ("kind", "erasure"),
        ("channel", "letter"),
        ("received_on", long_ago.as_str()),
        ("note", "Schreiben mit Angaben zur Suchtberatung"),
    ];
    // Only the data-protection officer.
    let mut erika = app.login("erika").await;
    let res = erika.post("/privacy/requests", &erasure).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(app.store.privacy_requests(true).await.unwrap().is_empty());

    let mut dora = app.login("dora").await;
    let page = dora.get("/privacy").await;
    assert!(page.body.contains("Keine offenen Anträge"), "{}", page.body);
    let res = dora.post("/privacy/requests", &erasure).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = dora
        .post(
            "/privacy/requests",
            &[("case", &case), ("kind", "access"), ("channel", "email")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // Refused with the reason next to the form, nothing entered.
    let tomorrow = (today + chrono::Duration::days(1)).to_string();
    for (fields, why) in [
        (
            vec![
                ("case", case.as_str()),
                ("kind", "wish"),
                ("channel", "email"),
            ],
            "Art des Antrags",
        ),
        (
            vec![
                ("case", case.as_str()),
                ("kind", "access"),
                ("channel", "email"),
                ("received_on", tomorrow.as_str()),
            ],
            "Zukunft",
        ),
        (
            vec![
                ("case", "0190a0b0-0000-7000-8000-000000000000"),
                ("kind", "access"),
                ("channel", "email"),
            ],
            "gibt es nicht",
        ),
    ] {
        let res = dora.post("/privacy/requests", &fields).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        assert!(res.body.contains(why), "{why}: {}", res.body);
    }
    let mut open = app.store.privacy_requests(false).await.unwrap();
    assert_eq!(open.len(), 2);
    open.sort_by_key(|r| r.received_on());
    let (erasure_id, access_id) = (open[0].id().to_string(), open[1].id().to_string());

    // The page: overdue first and flagged, deadlines shown, no name, no note.
    let page = dora.get("/privacy").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    let (first, second) = (
        body.find(&format!("/privacy/requests/{erasure_id}/done"))
            .unwrap(),
        body.find(&format!("/privacy/requests/{access_id}/done"))
            .unwrap(),
    );
    assert!(first < second, "the overdue request first");
    assert!(
        body.contains(&format!(
            "seit {} Tagen überfällig",
            -open[0].days_left(today)
        )),
        "{body}"
    );
    assert!(body.contains("Löschung (Art. 17 DSGVO)") && body.contains("Brief"));
    assert!(!body.contains("Ablehnungsprobe") && !body.contains("Sucht"));

    // Too late to extend the overdue one; the other is extended, then refused.
    let res = dora
        .post(
            &format!("/privacy/requests/{erasure_id}/extend"),
            &[("reason", "viel")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("abgelaufen"), "{}", res.body);
    let res = dora
        .post(
            &format!("/privacy/requests/{access_id}/extend"),
            &[("reason", "mehrere Akten")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = dora
        .post(
            &format!("/privacy/requests/{access_id}/refuse"),
            &[("reason", "")],
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is required"
    );
    let mut erika = app.login("erika").await;
    let res = erika
        .post(
            &format!("/privacy/requests/{access_id}/refuse"),
            &[("reason", "x")],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = dora
        .post(
            &format!("/privacy/requests/{access_id}/refuse"),
            &[("reason", "Identität nicht nachgewiesen")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let refused = app
        .store
        .privacy_request(open[1].id())
        .await
        .unwrap()
        .unwrap();
    assert!(refused.extension().is_some());
    assert!(matches!(refused.status(), RequestStatus::Refused { on, .. } if *on == today));

    // The erasure carried out on request answers the open erasure request.
    let res = dora
        .post(
            "/privacy/request",
            &[
                ("case", &case),
                ("kind", "erase"),
                ("reason", "Antrag per Brief"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = dora.get("/privacy").await;
    assert!(
        page.body
            .contains("Offene Anträge als erledigt vermerkt: 1"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Keine offenen Anträge"), "{}", page.body);
    let done = app
        .store
        .privacy_request(open[0].id())
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(done.status(), RequestStatus::Done { on, .. } if *on == today));
    assert!(app.store.case_for_retention(id).await.unwrap().is_none());
}
