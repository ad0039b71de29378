//! Forms check every field at once and keep the input; after a refused save, a GET of the
//! address the form was sent to (a reload, the address bar) shows the form again with its
//! input and messages instead of 405 (issue 16, part 3).

use axum::http::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn the_referral_form_reports_address_postcode_birth_date_and_e_mail_in_one_round() {
    let app = TestApp::seeded().await;
    let team = app.seed.nord.to_string();
    let mut c = app.login("erika").await;
    let fields = [
        ("jobcenter", "Jobcenter Beispielstadt"),
        ("case_manager", "Frau Beispiel"),
        ("referral_date", "2026-03-16"),
        ("reason", "contact_lost"),
        ("legal_basis", "sgb2_16k"),
        ("given_name", "Rosa"),
        ("family_name", "Versuch"),
        ("date_of_birth", "1890-01-01"),
        ("street", "Lindenweg 7"),
        ("postcode", "3412"),
        ("city", ""),
        ("email", "kein-at-zeichen"),
        ("team", team.as_str()),
    ];
    let res = c.post("/cases/new", &fields).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    for id in [
        r#"id="err-referral-postcode""#,
        r#"id="err-referral-city""#,
        r#"id="err-referral-date_of_birth""#,
        r#"id="err-referral-email""#,
    ] {
        assert!(res.body.contains(id), "{id}: {}", res.body);
    }
    assert!(res.body.contains("E-Mail-Adresse wie name@example.org"));
    assert!(res.body.contains(r#"value="kein-at-zeichen""#));
    assert!(res.body.contains(r#"value="Lindenweg 7""#));
    assert_eq!(
        wegbereiter_core::ports::CaseRepository::list(&app.store, &Default::default())
            .await
            .unwrap()
            .len(),
        2,
        "nothing was saved"
    );

    // The address bar holds /cases/new: loading it again shows the input and the messages.
    let reload = c.get("/cases/new").await;
    assert_eq!(reload.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reload.body.contains(r#"value="kein-at-zeichen""#),
        "{}",
        reload.body
    );
    assert!(reload.body.contains(r#"id="err-referral-email""#));
    // Once: the next visit is a fresh form.
    let again = c.get("/cases/new").await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(!again.body.contains("kein-at-zeichen"));
}

#[tokio::test]
async fn a_contact_without_date_and_duration_reports_both_and_reloads_with_its_input() {
    let app = TestApp::seeded().await;
    let own = app.seed.own;
    let before = app.case(own).await.version;
    let v = before.to_string();
    let mut c = app.login("erika").await;
    let path = format!("/cases/{own}/contacts/record");
    let res = c
        .post(
            &path,
            &[
                ("version", v.as_str()),
                ("date", ""),
                ("duration", ""),
                ("kind", "office"),
                ("agreements", "Unterlagen für den Vermieter sammeln"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body.contains(r#"id="err-contact-date""#),
        "{}",
        res.body
    );
    assert!(
        res.body.contains(r#"id="err-contact-duration""#),
        "{}",
        res.body
    );
    assert_eq!(app.case(own).await.version, before);

    // A GET of the form's address (a reload) is no 405: the tab with the input and messages.
    let reload = c.get(&path).await;
    assert_eq!(
        reload.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reload.body
    );
    assert!(reload.body.contains("Unterlagen für den Vermieter sammeln"));
    assert!(reload.body.contains(r#"id="err-contact-duration""#));
    // Without a refused save to show, the address leads to its tab.
    let plain = c.get(&path).await;
    assert_eq!(plain.status, StatusCode::SEE_OTHER);
    assert_eq!(
        plain.location.as_deref(),
        Some(format!("/cases/{own}/contacts").as_str())
    );
    // Every step address answers GET.
    for step in [
        "goals/agree",
        "enrolment/extend",
        "referrals/release/withdraw",
        "closure/reopen",
    ] {
        let res = c.get(&format!("/cases/{own}/{step}")).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{step}");
    }
}
