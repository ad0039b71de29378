//! Nothing irreversible on one tap (issue 16): closing, declining, "not reached",
//! withdrawing a consent, pausing and handing over ask for their date and a confirmation on a
//! GET page; a POST without `confirm=yes` changes nothing (422, input kept); with it the step
//! is carried out on the day chosen. After a refused save, a GET of the address shows the
//! form again with its input.

use axum::http::StatusCode;
use uuid::Uuid;
use wegbereiter_core::ports::{AccessKind, AccessLog, ServiceDirectory};
use wegbereiter_core::prelude::*;

use crate::helpers::{TestApp, d};

async fn run(app: &TestApp, id: CaseId, command: Command) {
    let kw = app.seed.kw_nord.as_actor();
    app.store
        .case_service(Policy::default())
        .execute(id, &command, &kw, app.local_now())
        .await
        .unwrap();
}

#[tokio::test]
async fn closing_asks_on_a_page_that_names_what_is_open_and_closes_on_the_day_chosen() {
    let app = TestApp::seeded().await;
    let own = app.seed.own;
    run(
        &app,
        own,
        Command::AgreeGoal {
            id: GoalId::from_uuid(Uuid::now_v7()),
            domain: LifeDomain::Housing,
            wording: Text::parse("Ich will meine Wohnung behalten.").unwrap(),
            criterion: Text::parse("Mietrückstand ist geklärt").unwrap(),
            responsible: ResponsibleParty::Client,
            review_date: d(2026, 4, 1),
        },
    )
    .await;
    let service = ServiceDirectory::service(&app.store, app.seed.service)
        .await
        .unwrap()
        .unwrap();
    run(
        &app,
        own,
        Command::ReferOut {
            id: OutboundReferralId::from_uuid(Uuid::now_v7()),
            service,
            contact_person: None,
            note: None,
            on: app.local_now().date_naive(),
        },
    )
    .await;
    let before = app.case(own).await;
    let v = before.version.to_string();
    let mut c = app.login("erika").await;

    // The tab's form has no preset exit reason and leads to the confirmation by GET.
    let tab = c.get(&format!("/cases/{own}/closure")).await;
    assert!(
        tab.body.contains(&format!(
            r#"<form method="get" action="/cases/{own}/closure/close""#
        )),
        "{}",
        tab.body
    );
    assert!(!tab.body.contains(r#"value="regular_end" selected"#));

    let reads_before = AccessLog::accesses(&app.store, own).await.unwrap().len();
    let page = c
        .get(&format!(
            "/cases/{own}/closure/close?version={v}&on=2026-03-15&reason=regular_end"
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for text in [
        "Fall abschließen?",
        "Der Fall wird zum 15.03.2026 abgeschlossen",
        "Ich will meine Wohnung behalten. (offen)",
        "(vorgeschlagen)",
        "ESF-Plus-Eintrittsdaten fehlen",
        "ESF-Plus-Austrittsdaten",
        "geplante Ende der Bezugsberatung ist aber erst der 10.06.2026",
        "bis zum 12.04.2026 wieder öffnen",
        r#"name="confirm" value="yes""#,
        "Ja, Fall abschließen",
    ] {
        assert!(page.body.contains(text), "{text}: {}", page.body);
    }
    assert_eq!(
        app.case(own).await.version,
        before.version,
        "a GET changes nothing"
    );
    // It shows the case file's content: a view, written to the access log.
    let reads = AccessLog::accesses(&app.store, own).await.unwrap();
    assert_eq!(reads.len(), reads_before + 1);
    assert!(
        reads
            .iter()
            .any(|a| a.actor == app.seed.kw_nord.id && a.kind == AccessKind::View),
        "{reads:?}"
    );

    // Without the confirmation: nothing happens, the page says so and keeps the input.
    let fields = [
        ("version", v.as_str()),
        ("on", "2026-03-15"),
        ("reason", "regular_end"),
    ];
    let res = c
        .post(&format!("/cases/{own}/closure/close"), &fields)
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body.contains("Noch ist nichts geschehen"),
        "{}",
        res.body
    );
    assert!(res.body.contains(r#"name="reason" value="regular_end""#));
    assert!(res.body.contains(r#"value="2026-03-15""#));
    assert_eq!(app.case(own).await.version, before.version);
    // The address can be reloaded: the confirmation again, with the input.
    let reload = c.get(&format!("/cases/{own}/closure/close")).await;
    assert_eq!(reload.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reload.body.contains(r#"name="reason" value="regular_end""#),
        "{}",
        reload.body
    );

    // A day that cannot be read and no reason: both reported at once, on the tab.
    let res = c
        .get(&format!(
            "/cases/{own}/closure/close?version={v}&on=31.02.2026&reason="
        ))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains(r#"id="err-close-on""#), "{}", res.body);
    assert!(
        res.body.contains(r#"id="err-close-reason""#),
        "{}",
        res.body
    );
    // A day in the future is core's refusal, next to the date on the tab.
    let res = c
        .get(&format!(
            "/cases/{own}/closure/close?version={v}&on=2026-03-20&reason=employment"
        ))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains(r#"id="err-close-on""#), "{}", res.body);
    assert!(res.body.contains("in der Zukunft"), "{}", res.body);

    let mut confirmed = fields.to_vec();
    confirmed.push(("confirm", "yes"));
    let res = c
        .post(&format!("/cases/{own}/closure/close"), &confirmed)
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let case = app.case(own).await;
    assert_eq!(case.status, CaseStatus::Closed);
    assert_eq!(case.closure.unwrap().closed_on, d(2026, 3, 15));
}

#[tokio::test]
async fn a_consent_is_withdrawn_only_after_confirmation_on_the_day_chosen_and_can_be_given_again() {
    let app = TestApp::seeded().await;
    let own = app.seed.own;
    let before = app.case(own).await;
    let processing = before.consents[0].id.to_string();
    let v = before.version.to_string();
    let mut c = app.login("erika").await;

    // The row's button asks by GET; the date defaults to today in the installation's zone.
    let page = c
        .get(&format!(
            "/cases/{own}/enrolment/withdraw?version={v}&consent={processing}"
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for text in [
        "Widerruf der Einwilligung erfassen?",
        "gilt ab dem 16.03.2026 nicht mehr",
        "können keine Kontakte, Ziele oder Einschätzungen mehr erfasst werden",
        "erneut einwilligen",
        r#"name="on" type="date" value="2026-03-16""#,
    ] {
        assert!(page.body.contains(text), "{text}: {}", page.body);
    }
    // Another day: the page says it.
    let page = c
        .get(&format!(
            "/cases/{own}/enrolment/withdraw?version={v}&consent={processing}&on=2026-03-14"
        ))
        .await;
    assert!(
        page.body.contains("gilt ab dem 14.03.2026 nicht mehr"),
        "{}",
        page.body
    );
    // Before the consent was given (10 March): core's rule.
    let early = c
        .get(&format!(
            "/cases/{own}/enrolment/withdraw?version={v}&consent={processing}&on=2026-03-09"
        ))
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.body.contains("10.03.2026"), "{}", early.body);

    let fields = [
        ("version", v.as_str()),
        ("consent", processing.as_str()),
        ("on", "2026-03-14"),
    ];
    let res = c
        .post(&format!("/cases/{own}/enrolment/withdraw"), &fields)
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Noch ist nichts geschehen"));
    assert!(app.case(own).await.consents[0].withdrawn_at.is_none());

    let mut confirmed = fields.to_vec();
    confirmed.push(("confirm", "yes"));
    let res = c
        .post(&format!("/cases/{own}/enrolment/withdraw"), &confirmed)
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let case = app.case(own).await;
    let at = case.consents[0].withdrawn_at.unwrap();
    // From the start of 14 March in Berlin (23:00 UTC the day before, winter time).
    assert_eq!(at.to_rfc3339(), "2026-03-13T23:00:00+00:00");

    // The purpose is offered again under "Weitere Einwilligung erfassen".
    let tab = c.get(&format!("/cases/{own}/enrolment")).await;
    let form = &tab.body[tab.body.find(r#"id="con-p""#).unwrap()..];
    let form = &form[..form.find("</select>").unwrap()];
    assert!(form.contains(r#"value="case_processing""#), "{form}");
}

#[tokio::test]
async fn declining_pausing_and_handing_over_ask_first() {
    let app = TestApp::seeded().await;
    let own = app.seed.own;
    let v = app.case(own).await.version.to_string();
    let mut c = app.login("erika").await;

    let page = c
        .get(&format!(
            "/cases/{own}/enrolment/pause?version={v}&from=2026-03-16"
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Die Teilnahme ruht ab dem 16.03.2026"));
    assert!(page.body.contains("Das geplante Ende (10.06.2026) bleibt"));
    assert!(page.body.contains("Die Pause beenden Sie jederzeit"));
    let res = c
        .post(
            &format!("/cases/{own}/enrolment/pause"),
            &[("version", v.as_str()), ("from", "2026-03-16")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app.case(own).await.open_pause().is_none());

    let page = c
        .get(&format!(
            "/cases/{own}/handover/hand-over?version={v}&target=phase2&to=&on=2026-03-16"
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Fall übergeben?") && page.body.contains("Eine weitere Übergabe"));
    let res = c
        .post(
            &format!("/cases/{own}/handover/hand-over"),
            &[
                ("version", v.as_str()),
                ("target", "phase2"),
                ("to", ""),
                ("on", "2026-03-16"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app.case(own).await.handovers.is_empty());

    // A case in outreach: declining says what the Jobcenter learns and that a lead may reopen.
    let mut lea = app.login("erika").await;
    let new = lea
        .post(
            "/cases/new",
            &[
                ("jobcenter", "Jobcenter Beispielstadt"),
                ("case_manager", "Frau Beispiel"),
                ("referral_date", "2026-03-16"),
                ("reason", "contact_lost"),
                ("legal_basis", "sgb2_16k"),
                ("given_name", "Kim"),
                ("family_name", "Beispiel"),
                ("team", &app.seed.nord.to_string()),
            ],
        )
        .await;
    assert_eq!(new.status, StatusCode::SEE_OTHER, "{}", new.body);
    let path = new.location.unwrap();
    let page = lea
        .get(&format!("{path}/outreach/decline?version=1&on=2026-03-16"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Angebot abgelehnt?"));
    assert!(page.body.contains("Nach einem Grund wird nicht gefragt"));
    assert!(page.body.contains("wieder öffnen"));
    let res = lea
        .post(
            &format!("{path}/outreach/decline"),
            &[("version", "1"), ("on", "2026-03-16")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = lea
        .post(
            &format!("{path}/outreach/decline"),
            &[("version", "1"), ("on", "2026-03-16"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

#[tokio::test]
async fn the_confirmation_speaks_the_page_language() {
    let app = TestApp::seeded().await;
    let own = app.seed.own;
    let v = app.case(own).await.version.to_string();
    let mut c = app.login("erika").await;
    c.post("/lang", &[("to", "en"), ("back", "/")]).await;
    let page = c
        .get(&format!(
            "/cases/{own}/enrolment/pause?version={v}&from=2026-03-16"
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for text in [
        "Record a pause?",
        "Participation pauses from 2026-03-16",
        "What stays possible afterwards",
        "Yes, record the pause",
    ] {
        assert!(page.body.contains(text), "{text}: {}", page.body);
    }
}
