//! Handler tests of the screens: first run, referral with duplicate hints, process steps,
//! refused rules and concurrent edits, group sessions, administration, friendly errors.

use axum::http::StatusCode;
use wegbereiter_core::prelude::*;

use crate::helpers::{PASSWORD, TestApp};

#[tokio::test]
async fn first_run_leads_through_creating_the_administrator() {
    let app = TestApp::empty().await;
    let mut c = app.anonymous().await;
    let res = c.get("/").await;
    assert_eq!(res.location.as_deref(), Some("/setup"));
    let login = c.get("/login").await;
    assert_eq!(login.location.as_deref(), Some("/setup"));
    let page = c.get("/setup").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Ersteinrichtung"));
    c.csrf = crate::helpers::csrf_of(&page.body).unwrap();
    let short = c
        .post(
            "/setup",
            &[
                ("display_name", "Ada Admin"),
                ("login", "admin"),
                ("password", "kurz"),
                ("password2", "kurz"),
            ],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains("mindestens 10 Zeichen") && short.body.contains("Ada Admin"));
    let res = c
        .post(
            "/setup",
            &[
                ("display_name", "Ada Admin"),
                ("login", "admin"),
                ("password", PASSWORD),
                ("password2", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/admin"));
    assert_eq!(c.get("/admin").await.status, StatusCode::OK);
    // Only while no staff exists.
    let mut other = app.anonymous().await;
    assert_eq!(
        other.get("/setup").await.location.as_deref(),
        Some("/login")
    );
    let res = other
        .post(
            "/setup",
            &[
                ("display_name", "Eve"),
                ("login", "eve"),
                ("password", PASSWORD),
                ("password2", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

fn referral_form<'a>(team: &'a str, given: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("jobcenter", "Jobcenter Beispielstadt"),
        ("case_manager", "Herr Fallmanager"),
        ("referral_date", "2026-03-13"),
        ("reason", "contact_difficult"),
        ("legal_basis", "sgb2_16k"),
        ("problem_areas", "debt"),
        ("problem_areas", "housing"),
        ("team", team),
        ("given_name", given),
        ("family_name", "Beispielfrau"),
        ("date_of_birth", "1990-01-31"),
        ("street", "Beispielweg 3"),
        ("postcode", "34117"),
        ("city", "Beispielstadt"),
    ]
}

#[tokio::test]
async fn referral_entry_with_duplicate_hints() {
    let app = TestApp::seeded().await;
    let team = app.seed.nord.to_string();
    let mut c = app.login("erika").await;
    let res = c.post("/cases/new", &referral_form(&team, "Anna")).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let case_path = res.location.unwrap();
    let page = c.get(&case_path).await;
    assert!(
        page.body.contains("Beispielfrau, Anna")
            && page.body.contains("Die Zuweisung ist angelegt")
    );
    // The same person again: a hint, nothing saved, input kept.
    let res = c.post("/cases/new", &referral_form(&team, "anna")).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body.contains("Mögliche Dublette")
            && res.body.contains("gleicher Name und Geburtsdatum")
    );
    assert!(res.body.contains("value=\"Beispielweg 3\""));
    let mut confirmed = referral_form(&team, "anna");
    confirmed.push(("confirm_duplicate", "yes"));
    assert_eq!(
        c.post("/cases/new", &confirmed).await.status,
        StatusCode::SEE_OTHER
    );
    // A key worker of another team only learns that there is a match elsewhere.
    let sued = app.seed.sued.to_string();
    let mut sami = app.login("sami").await;
    let res = sami.post("/cases/new", &referral_form(&sued, "Anna")).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("anderen Teams") && !res.body.contains("Beispielfrau, Anna</a>"));
    // Not into a team one does not belong to.
    assert_eq!(
        sami.post("/cases/new", &referral_form(&team, "Bea"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Field problems come back with the input.
    let mut bad = referral_form(&team, "Clara");
    bad.retain(|(k, _)| *k != "city");
    let res = c.post("/cases/new", &bad).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Adresse") && res.body.contains("value=\"Clara\""));
    // Core refuses an implausible date of birth; the message names it, the input stays.
    let mut baby = referral_form(&team, "Doris");
    baby.retain(|(k, _)| *k != "date_of_birth");
    baby.push(("date_of_birth", "2025-12-24"));
    let res = c.post("/cases/new", &baby).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(
        res.body
            .contains("Das Geburtsdatum 24.12.2025 ist nicht plausibel")
            && res.body.contains("value=\"Doris\""),
        "{}",
        res.body
    );
}

#[tokio::test]
async fn outreach_enrolment_and_a_refused_rule_with_input_kept() {
    let app = TestApp::seeded().await;
    let team = app.seed.nord.to_string();
    let mut c = app.login("erika").await;
    let res = c.post("/cases/new", &referral_form(&team, "Dana")).await;
    let path = res.location.unwrap();
    let id: CaseId = path.trim_start_matches("/cases/").parse().unwrap();
    // Goals before enrolment: the page explains instead of offering a form.
    let goals = c.get(&format!("{path}/goals")).await;
    assert!(goals.body.contains("erst nach der Aufnahme"));
    let ver = app.case(id).await.version.to_string();
    let res = c
        .post(
            &format!("{path}/outreach/attempt"),
            &[
                ("version", &ver),
                ("at", "2026-03-14T10:30"),
                ("channel", "doorstep"),
                ("outcome", "not_met"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // Not reached is refused while the rule is not met: the core's message, input kept.
    let ver = app.case(id).await.version.to_string();
    let res = c
        .post(
            &format!("{path}/outreach/not-reached"),
            &[("version", &ver), ("on", "2026-03-15")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body.contains("erfolglosen Kontaktversuchen"),
        "{}",
        res.body
    );
    // A rule about the case as a whole belongs to no input: the message stands above the
    // form only.
    assert!(
        !res.body.contains("field-error") && !res.body.contains("aria-invalid"),
        "{}",
        res.body
    );
    assert!(res.body.contains("value=\"2026-03-15\""));
    // Enrolment without the terms explained is refused.
    let ver = app.case(id).await.version.to_string();
    let kw = app.seed.kw_nord.id.to_string();
    let enrol = |terms: bool| {
        let mut f = vec![
            ("version", ver.clone()),
            ("on", "2026-03-16".into()),
            ("key_worker", kw.clone()),
            ("consent_form", "written".into()),
            ("consent_given_on", "2026-03-16".into()),
            ("data_protection", "yes".into()),
        ];
        if terms {
            f.push(("hygiene_rules", "yes".into()));
        }
        f
    };
    let fields = enrol(false);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = c.post(&format!("{path}/enrolment/enrol"), &fields).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Teilnahmebedingungen"));
    // Next to the two checkboxes of the terms.
    assert!(res.body.contains(r#"id="err-enrol-terms""#), "{}", res.body);
    let fields = enrol(true);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        c.post(&format!("{path}/enrolment/enrol"), &fields)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    // Extension beyond six months is refused with the latest possible date.
    let ver = app.case(id).await.version.to_string();
    let res = c
        .post(
            &format!("{path}/enrolment/extend"),
            &[
                ("version", &ver),
                ("until", "2026-12-31"),
                ("reason", "Wohnungssuche dauert"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("über 6 Monate") && res.body.contains("Wohnungssuche dauert"));
    assert_eq!(app.case(id).await.status, CaseStatus::Enrolled);
}

#[tokio::test]
async fn two_people_editing_one_case_nothing_is_lost() {
    let app = TestApp::seeded().await;
    let path = format!("/cases/{}/goals/agree", app.seed.own);
    let seen = app.case(app.seed.own).await.version.to_string();
    let mut first = app.login("erika").await;
    let mut second = app.login("erika").await;
    let goal = |wording: &'static str| {
        vec![
            ("version", seen.clone()),
            ("domain", "housing".to_owned()),
            ("responsible", "client".to_owned()),
            ("review_date", "2026-04-15".to_owned()),
            ("wording", wording.to_owned()),
            ("criterion", "Mietrückstand geklärt".to_owned()),
        ]
    };
    let a = goal("Wohnung halten");
    let a: Vec<(&str, &str)> = a.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(first.post(&path, &a).await.status, StatusCode::SEE_OTHER);
    let b = goal("Stromschulden klären");
    let b: Vec<(&str, &str)> = b.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = second.post(&path, &b).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(
        res.body
            .contains("Der Fall wurde zwischenzeitlich geändert")
    );
    assert!(
        res.body.contains("value=\"Stromschulden klären\""),
        "the second person's input is kept"
    );
    assert!(
        res.body.contains("Wohnung halten"),
        "the first person's change is shown"
    );
    let case = app.case(app.seed.own).await;
    assert_eq!(case.goals.len(), 1);
}

#[tokio::test]
async fn unknown_routes_and_stale_links_give_friendly_pages() {
    let app = TestApp::seeded().await;
    let mut c = app.login("erika").await;
    for path in [
        "/gibt-es-nicht",
        "/cases/keine-uuid",
        "/cases/0193a2b4-0000-7000-8000-000000000000",
        &format!("/cases/{}/unbekannt", app.seed.own),
        "/groups/xyz",
        "/admin/staff/xyz",
    ] {
        let res = c.get(path).await;
        let want = if path.starts_with("/admin") {
            StatusCode::FORBIDDEN
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(res.status, want, "{path}");
        assert!(
            res.body.contains("<html")
                && (res.body.contains("Seite nicht gefunden") || res.body.contains("Kein Zugriff")),
            "{path}"
        );
    }
    let res = c.post("/", &[]).await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(res.body.contains("<html"));
    // A missing version is a bad request, not a 500.
    let res = c
        .post(
            &format!("/cases/{}/goals/agree", app.seed.own),
            &[("wording", "x")],
        )
        .await;
    assert!(res.status.is_client_error(), "{}", res.status);
}

#[tokio::test]
async fn english_locale_by_choice_and_by_accept_language() {
    let app = TestApp::seeded().await;
    let mut c = app.login("erika").await;
    assert!(c.get("/").await.body.contains("Wiedervorlagen"));
    let res = c.post("/lang", &[("to", "en"), ("back", "/cases")]).await;
    assert_eq!(res.location.as_deref(), Some("/cases"));
    let page = c.get("/").await;
    assert!(page.body.contains("Reminders") && page.body.contains("lang=\"en\""));
    let res = c
        .post("/lang", &[("to", "de"), ("back", "//evil.example")])
        .await;
    assert_eq!(res.location.as_deref(), Some("/"));
    // Browsers read "/\host" as another host too.
    let res = c
        .post("/lang", &[("to", "de"), ("back", "/\\evil.example/x")])
        .await;
    assert_eq!(res.location.as_deref(), Some("/"));
    // The switch returns to the page with its query; from a refused form (a POST address,
    // which cannot be fetched) to the form's page, never to the POST address.
    let page = c.get("/cases?q=Muster").await;
    assert!(
        page.body
            .contains("name=\"back\" value=\"/cases?q=Muster\""),
        "{}",
        page.body
    );
    let refused = c
        .post(
            &format!("/cases/{}/contacts/record", app.seed.own),
            &[("version", "1")],
        )
        .await;
    assert!(!refused.body.contains("name=\"back\" value=\"/cases/"));
    let res = tower::ServiceExt::oneshot(
        app.router(),
        axum::http::Request::get("/login")
            .header("accept-language", "en-GB,en;q=0.8")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .unwrap();
    let body = http_body_util::BodyExt::collect(res.into_body())
        .await
        .unwrap()
        .to_bytes();
    assert!(String::from_utf8_lossy(&body).contains("Sign in"));
}

#[tokio::test]
async fn dashboard_reminders_caseload_and_team_load() {
    let app = TestApp::seeded().await;
    // No contact since enrolment for three weeks: a reminder.
    app.advance(chrono::Duration::days(21));
    let mut erika = app.login("erika").await;
    let page = erika.get("/").await;
    assert!(
        page.body.contains("Lange kein Kontakt") || page.body.contains("ESF-Eintrittsdaten fehlen"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Musterfrau, Erika"));
    assert!(!page.body.contains("Mustermann"));
    let mut lea = app.login("lea").await;
    let page = lea.get("/").await;
    assert!(page.body.contains("Auslastung im Team") && page.body.contains("Erika Beispiel"));
    let search = erika.get("/cases?q=Erika+Musterfrau").await;
    assert!(search.body.contains("Musterfrau, Erika"));
    let search = erika
        .get(&format!("/cases?q={}", app.seed.own.case_number()))
        .await;
    assert!(search.body.contains("Musterfrau, Erika"));
    let search = erika.get("/cases?q=Mustermann").await;
    assert!(search.body.contains("Keine Fälle gefunden"));
}

#[tokio::test]
async fn phase2_group_session_attendance_and_feedback_preview() {
    let app = TestApp::seeded().await;
    let mut c = app.login("erika").await;
    let own = app.seed.own;
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
    let res = c
        .post(
            "/groups",
            &[
                ("kind", "breakfast"),
                ("date", "2026-03-16"),
                ("title", "Frühstück im Stadtteilladen"),
            ],
        )
        .await;
    let sheet = res.location.unwrap();
    let page = c.get(&sheet).await;
    assert!(page.body.contains("Musterfrau, Erika"));
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
    assert_eq!(app.case(own).await.attendance.len(), 1);
    let fb = c.get(&format!("/cases/{own}/feedback")).await;
    assert!(fb.body.contains("Was das Jobcenter sehen würde"));
    assert!(
        fb.body.contains("Keine Einwilligung"),
        "no consent: no participation data"
    );
    assert!(!fb.body.contains("anwesend") && !fb.body.contains("VERTRAULICH"));
}

#[tokio::test]
async fn administration_creates_teams_services_and_staff_who_can_sign_in() {
    let app = TestApp::seeded().await;
    let mut admin = app.login("admin").await;
    assert_eq!(
        admin
            .post("/admin/teams", &[("name", "Phase 2 Team")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let dup = admin
        .post("/admin/teams", &[("name", "Phase 1 Team Nord")])
        .await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(dup.body.contains("bereits vergeben"));
    assert_eq!(
        admin
            .post(
                "/admin/services",
                &[
                    ("name", "Suchtberatung Beispielstadt"),
                    ("kind", "addiction_counselling")
                ]
            )
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let team = app.seed.nord.to_string();
    let res = admin
        .post(
            "/admin/staff",
            &[
                ("display_name", "Neue Kollegin"),
                ("login", "neu"),
                ("roles", "key_worker"),
                ("teams", &team),
                ("password", PASSWORD),
                ("password2", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let mut neu = app.login("neu").await;
    assert!(neu.get("/").await.body.contains("Neue Kollegin"));
    // An administrator never reads case contents.
    assert_eq!(
        admin.get(&format!("/cases/{}", app.seed.own)).await.status,
        StatusCode::FORBIDDEN
    );
    // …and cannot lock themselves out.
    let res = admin
        .post(
            &format!("/admin/staff/{}", app.seed.admin.id),
            &[
                ("display_name", "Ada Admin"),
                ("login", "admin"),
                ("roles", "key_worker"),
                ("active", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The words of core's rule (`DomainError::SelfLockout`), as the API and the CLI give.
    assert!(
        res.body.contains("nicht selbst deaktivieren"),
        "{}",
        res.body
    );
    // …nor grant themselves (or anyone) a case role beside administration, which would open
    // case files to them.
    let res = admin
        .post(
            &format!("/admin/staff/{}", app.seed.admin.id),
            &[
                ("display_name", "Ada Admin"),
                ("login", "admin"),
                ("roles", "administrator"),
                ("roles", "key_worker"),
                ("teams", &team),
                ("active", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("gehen nicht zusammen"), "{}", res.body);
    assert_eq!(
        admin.get(&format!("/cases/{}", app.seed.own)).await.status,
        StatusCode::FORBIDDEN
    );
    let res = admin
        .post(
            "/admin/staff",
            &[
                ("display_name", "Doppelrolle"),
                ("login", "doppel"),
                ("roles", "data_protection_officer"),
                ("roles", "team_lead"),
                ("teams", &team),
                ("password", PASSWORD),
                ("password2", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
}
