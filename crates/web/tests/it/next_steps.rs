//! The next-step panel on every case page (issue 16): core's `next_steps` for the signed-in
//! person, each step linked straight to its form.

use axum::http::StatusCode;
use wegbereiter_core::prelude::*;

use crate::helpers::*;

fn referral_form<'a>(team: &'a str, given: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("jobcenter", "Jobcenter Beispielstadt"),
        ("case_manager", "Herr Fallmanager"),
        ("referral_date", "2026-03-13"),
        ("reason", "contact_difficult"),
        ("legal_basis", "sgb2_16k"),
        ("problem_areas", "debt"),
        ("team", team),
        ("given_name", given),
        ("family_name", "Nachfrau"),
        ("date_of_birth", "1990-01-31"),
        ("street", "Beispielweg 3"),
        ("postcode", "34117"),
        ("city", "Beispielstadt"),
    ]
}

/// The panel of a page: the part between its heading and the end of its section.
fn panel(body: &str) -> &str {
    let start = body
        .find(r#"id="s-next""#)
        .unwrap_or_else(|| panic!("no next-step panel: {body}"));
    let end = body[start..].find("</section>").unwrap() + start;
    &body[start..end]
}

#[tokio::test]
async fn the_panel_leads_from_the_referral_to_the_goals() {
    let app = TestApp::seeded().await;
    let team = app.seed.nord.to_string();
    let mut c = app.login("erika").await;
    let path = c
        .post("/cases/new", &referral_form(&team, "Nora"))
        .await
        .location
        .unwrap();
    let id: CaseId = path.trim_start_matches("/cases/").parse().unwrap();

    // Referred: reach out, linked to the attempt form; the panel sits above the tabs' content
    // on every tab.
    let page = c.get(&path).await;
    let p = panel(&page.body);
    assert!(p.contains(&format!("{path}/outreach#s-att")), "{p}");
    assert!(p.contains("Kontaktversuch"), "{p}");
    assert!(
        p.contains("Letzter Kontakt") && p.contains("noch keiner"),
        "{p}"
    );
    assert!(
        page.body.find(r#"id="s-next""#).unwrap() < page.body.find(r#"id="s-ref""#).unwrap(),
        "the panel comes before the overview's sections"
    );
    for tab in ["outreach", "enrolment", "goals", "closure", "history"] {
        let page = c.get(&format!("{path}/{tab}")).await;
        assert_eq!(page.status, StatusCode::OK);
        panel(&page.body);
    }

    // Agreed: enrol, linked to the enrolment form.
    let ver = app.case(id).await.version.to_string();
    let res = c
        .post(
            &format!("{path}/outreach/attempt"),
            &[
                ("version", &ver),
                ("at", "2026-03-14T10:30"),
                ("channel", "doorstep"),
                ("outcome", "agreed"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = c.get(&format!("{path}/outreach")).await;
    let p = panel(&page.body);
    assert!(p.contains(&format!("{path}/enrolment#s-enr")), "{p}");
    assert!(p.contains("zugesagt: jetzt aufnehmen"), "{p}");
    assert!(!p.contains("#s-att"), "no more outreach once agreed: {p}");
    let enrolment = c.get(&format!("{path}/enrolment")).await;
    assert!(enrolment.body.contains(r#"id="s-enr""#));

    // Enrolled: the Jobcenter and ESF Plus consents and the ESF Plus entry data are missing.
    let ver = app.case(id).await.version.to_string();
    let kw = app.seed.kw_nord.id.to_string();
    let res = c
        .post(
            &format!("{path}/enrolment/enrol"),
            &[
                ("version", &ver),
                ("on", "2026-03-16"),
                ("key_worker", &kw),
                ("consent_form", "written"),
                ("consent_given_on", "2026-03-16"),
                ("data_protection", "yes"),
                ("hygiene_rules", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = c.get(&format!("{path}/enrolment")).await;
    let p = panel(&page.body);
    assert!(p.contains("Teilnahmebestätigung an das Jobcenter"), "{p}");
    assert!(p.contains("ESF-Plus-Teilnehmendendaten"), "{p}");
    assert!(p.contains(&format!("{path}/enrolment#s-con")), "{p}");
    assert!(p.contains(&format!("{path}/enrolment#s-esf")), "{p}");
    // Three shown, the rest behind "more".
    assert!(p.contains("Weitere Schritte (2)"), "{p}");
    // The ESF Plus form is open while its data are missing, so its anchor lands on a form.
    let esf = &page.body[page.body.find(r#"id="s-esf""#).unwrap()..];
    let esf = &esf[..esf.find("</section>").unwrap()];
    assert!(esf.contains("<details open>"), "{esf}");

    // Consents given: no longer asked.
    for purpose in ["jobcenter_participation", "esf_data"] {
        let ver = app.case(id).await.version.to_string();
        let res = c
            .post(
                &format!("{path}/enrolment/consent"),
                &[
                    ("version", &ver),
                    ("purpose", purpose),
                    ("consent_form", "written"),
                    ("given_on", "2026-03-16"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    }
    let page = c.get(&path).await;
    let p = panel(&page.body);
    assert!(!p.contains("#s-con"), "{p}");
    assert!(
        p.contains("#s-esf") && p.contains(&format!("{path}/goals#f-goal")),
        "{p}"
    );
}

#[tokio::test]
async fn the_overview_shows_the_last_contact_and_a_period_that_is_over() {
    let app = TestApp::seeded().await;
    let own = app.seed.own;
    let mut c = app.login("erika").await;
    let ver = app.case(own).await.version.to_string();
    let res = c
        .post(
            &format!("/cases/{own}/contacts/record"),
            &[
                ("version", &ver),
                ("date", "2026-03-16"),
                ("duration", "45"),
                ("kind", "home_visit"),
                (
                    "next_steps",
                    "Kontoauszüge zur Schuldnerberatung mitbringen",
                ),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = c.get(&format!("/cases/{own}")).await;
    let p = panel(&page.body);
    assert!(p.contains("16.03.2026"), "{p}");
    assert!(
        p.contains("Kontoauszüge zur Schuldnerberatung mitbringen"),
        "{p}"
    );
    // The seeded case was enrolled on 10 March: its period ended on 10 June. In December it
    // is over, not "ending".
    app.advance(chrono::Duration::days(261));
    let mut c = app.login("erika").await;
    let page = c.get(&format!("/cases/{own}")).await;
    let p = panel(&page.body);
    assert!(p.contains("am 10.06.2026 abgelaufen"), "{p}");
    assert!(p.contains(&format!("/cases/{own}/enrolment#f-ext")), "{p}");
    assert!(
        !page.body.contains("Ende der Bezugsberatung naht"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("Bezugsberatung abgelaufen"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn a_reader_who_may_not_change_the_case_is_offered_no_step() {
    let app = TestApp::seeded().await;
    let own = app.seed.own;
    // The psychologist of the team reads the case but changes no content: the key worker's
    // steps (consents, ESF Plus entry data) are not offered to her.
    let mut erika = app.login("erika").await;
    let page = erika.get(&format!("/cases/{own}/enrolment")).await;
    assert!(panel(&page.body).contains("#s-esf"));
    let mut psy = app.login("paula").await;
    let page = psy.get(&format!("/cases/{own}/enrolment")).await;
    assert_eq!(page.status, StatusCode::OK);
    let p = panel(&page.body);
    assert!(!p.contains("#s-con") && !p.contains("#s-esf"), "{p}");
}

#[tokio::test]
async fn the_jobcenter_preview_names_what_each_goal_count_counts() {
    let app = TestApp::seeded().await;
    let own = app.seed.own;
    let mut c = app.login("erika").await;
    let ver = app.case(own).await.version.to_string();
    let res = c
        .post(
            &format!("/cases/{own}/enrolment/consent"),
            &[
                ("version", &ver),
                ("purpose", "jobcenter_progress"),
                ("consent_form", "written"),
                ("given_on", "2026-03-16"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let ver = app.case(own).await.version.to_string();
    let res = c
        .post(
            &format!("/cases/{own}/goals/agree"),
            &[
                ("version", &ver),
                ("domain", "finances_debt"),
                ("responsible", "client"),
                ("review_date", "2026-04-01"),
                ("wording", "Termin bei der Schuldnerberatung wahrnehmen"),
                ("criterion", "Termin wahrgenommen"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let fb = c.get(&format!("/cases/{own}/feedback")).await;
    assert!(fb.body.contains("Ziele mit Status „offen“"), "{}", fb.body);
    assert!(!fb.body.contains("<dt>offen</dt>"), "{}", fb.body);
}

#[tokio::test]
async fn the_team_leads_dashboard_shows_the_load_first_then_reminders_grouped() {
    let app = TestApp::seeded().await;
    app.advance(chrono::Duration::days(21));
    let mut lea = app.login("lea").await;
    let page = lea.get("/").await;
    let load = page.body.find(r#"id="load-h""#).expect("team load");
    let reminders = page.body.find(r#"id="rem-h""#).expect("reminders");
    assert!(load < reminders, "the team load comes first");
    let mut erika = app.login("erika").await;
    let page = erika.get("/").await;
    assert!(!page.body.contains(r#"id="load-h""#));
    // Erika's case: no contact for three weeks and no ESF Plus entry data, one group each,
    // each with its count; few reminders, so every group is open.
    assert!(
        page.body
            .contains(r#"<details class="reminder-group" id="rem-no_recent_contact" open>"#),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(r#"<span class="count">1</span>"#),
        "{}",
        page.body
    );
    assert!(page.body.contains("Wiedervorlagen, davon"), "{}", page.body);
}

#[tokio::test]
async fn group_sessions_are_listed_by_month_below_the_form_for_a_new_one() {
    let app = TestApp::seeded().await;
    let mut c = app.login("erika").await;
    for (date, title) in [
        ("2026-03-20", "Frühstück im März"),
        ("2026-04-02", "Werkstatt im April"),
        ("2026-02-27", "Ausflug im Februar"),
    ] {
        let res = c
            .post(
                "/groups",
                &[("kind", "breakfast"), ("date", date), ("title", title)],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    }
    // Today is 16 March 2026: the current month by default.
    let page = c.get("/groups").await;
    assert!(page.body.contains("Termine: März 2026"), "{}", page.body);
    assert!(page.body.contains("Frühstück im März"));
    assert!(!page.body.contains("Werkstatt im April") && !page.body.contains("Ausflug im Februar"));
    assert!(page.body.find(r#"id="g-new""#).unwrap() < page.body.find(r#"id="g-list""#).unwrap());
    assert!(
        page.body
            .contains(r#"href="/groups?month=2026-04" rel="next""#),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains(r#"href="/groups?month=2026-02" rel="prev""#)
    );
    assert!(!page.body.contains("Aktueller Monat"));
    let april = c.get("/groups?month=2026-04").await;
    assert!(april.body.contains("Werkstatt im April") && !april.body.contains("Frühstück im März"));
    assert!(
        april
            .body
            .contains(r#"<a href="/groups?month=2026-03">Aktueller Monat</a>"#),
        "{}",
        april.body
    );
    // A month that is none reads as the current one.
    let odd = c.get("/groups?month=2026-13").await;
    assert!(odd.body.contains("März 2026"));
}

#[tokio::test]
async fn the_print_view_holds_outreach_consents_and_attendance() {
    let app = TestApp::seeded().await;
    let own = app.seed.own;
    let mut c = app.login("erika").await;
    let ver = app.case(own).await.version.to_string();
    let res = c
        .post(
            &format!("/cases/{own}/handover/hand-over"),
            &[
                ("version", &ver),
                ("target", "phase2"),
                ("to", ""),
                ("on", "2026-03-16"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let sheet = c
        .post(
            "/groups",
            &[
                ("kind", "breakfast"),
                ("date", "2026-03-16"),
                ("title", "Frühstück"),
            ],
        )
        .await
        .location
        .unwrap();
    let ver = app.case(own).await.version.to_string();
    let res = c
        .post(
            &sheet,
            &[
                (format!("a_{own}").as_str(), "present"),
                (format!("v_{own}").as_str(), ver.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let print = c.get(&format!("/cases/{own}/print")).await;
    assert_eq!(print.status, StatusCode::OK);
    let body = &print.body;
    for title in [
        "<h2>Aufnahme</h2>",
        "<h2>Einwilligungen</h2>",
        "<h2>Anwesenheit Phase 2</h2>",
    ] {
        assert!(body.contains(title), "{title} missing: {body}");
    }
    assert!(body.contains("Teilnahme und Fallbearbeitung"), "{body}");
    assert!(body.contains("Frühstück"), "{body}");
    // Still never the psychologist's note on paper.
    assert!(!body.contains("VERTRAULICHE-PSYCHOLOGISCHE-NOTIZ"));

    // A case in outreach: its contact attempts are on paper too.
    let team = app.seed.nord.to_string();
    let path = c
        .post("/cases/new", &referral_form(&team, "Olga"))
        .await
        .location
        .unwrap();
    let id: CaseId = path.trim_start_matches("/cases/").parse().unwrap();
    let ver = app.case(id).await.version.to_string();
    let res = c
        .post(
            &format!("{path}/outreach/attempt"),
            &[
                ("version", &ver),
                ("at", "2026-03-14T10:30"),
                ("channel", "phone"),
                ("outcome", "not_met"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let print = c.get(&format!("{path}/print")).await;
    assert!(
        print.body.contains("<h2>Kontaktversuche</h2>"),
        "{}",
        print.body
    );
    assert!(print.body.contains("Telefon"), "{}", print.body);
}
