//! Bad input on every entry point: malformed fields, unknown ids, bad UUIDs in paths,
//! oversized bodies and missing CSRF tokens give a friendly German page with a 4xx status,
//! keep the person's input where there is a form, and write nothing.

use axum::http::StatusCode;
use wegbereiter_core::prelude::*;

use crate::helpers::{Res, TestApp};

/// Every POST route of a case file.
const CASE_POSTS: &[&str] = &[
    "outreach/announce",
    "outreach/letter-language",
    "outreach/attempt",
    "outreach/decline",
    "outreach/not-reached",
    "enrolment/enrol",
    "enrolment/extend",
    "enrolment/pause",
    "enrolment/resume",
    "enrolment/consent",
    "enrolment/withdraw",
    "enrolment/esf",
    "social/assess",
    "goals/agree",
    "goals/rate",
    "goals/update",
    "goals/edit",
    "contacts/record",
    "referrals/create",
    "referrals/status",
    "referrals/release",
    "referrals/release/withdraw",
    "referrals/disclose",
    "handover/hand-over",
    "handover/reassign",
    "handover/team",
    "closure/close",
    "closure/reopen",
    "closure/result",
];

fn friendly(res: &Res) -> bool {
    res.body.contains("<html") && res.body.contains("lang=\"de\"")
}

#[tokio::test]
async fn every_case_post_refuses_bad_ids_missing_tokens_and_empty_forms_without_writing() {
    let app = TestApp::seeded().await;
    let own = app.seed.own;
    let before = app.case(own).await.version;
    let mut c = app.login("erika").await;
    let ver = before.to_string();
    for route in CASE_POSTS {
        for id in ["keine-uuid", "0193a2b4-0000-7000-8000-000000000000"] {
            let res = c
                .post(&format!("/cases/{id}/{route}"), &[("version", "1")])
                .await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{route} {id}");
            assert!(
                friendly(&res) && res.body.contains("Seite nicht gefunden"),
                "{route}"
            );
        }
        let path = format!("/cases/{own}/{route}");
        let res = c.post_raw(&path, &[("version", ver.as_str())]).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{route}");
        assert!(
            friendly(&res) && res.body.contains("Es wurde nichts gespeichert"),
            "{route}"
        );
        for fields in [
            vec![("version", ver.as_str())],
            vec![
                ("version", ver.as_str()),
                ("on", "31.02.2026"),
                ("goal", "keine-uuid"),
                ("referral", "0193a2b4-0000-7000-8000-000000000000"),
                ("consent", "0193a2b4-0000-7000-8000-000000000000"),
                ("to", "keine-uuid"),
                ("team", "0193a2b4-0000-7000-8000-000000000000"),
                ("value", "11"),
                ("duration", "-5"),
                ("status", "kaputt"),
            ],
            vec![("version", "keine-zahl"), ("on", "2026-03-20")],
        ] {
            let res = c.post(&path, &fields).await;
            assert!(
                res.status.is_client_error() && friendly(&res),
                "{route}: {} {:?}",
                res.status,
                fields
            );
        }
    }
    assert_eq!(app.case(own).await.version, before, "nothing was written");
}

#[tokio::test]
async fn unknown_people_services_and_teams_in_case_forms_are_field_messages() {
    let app = TestApp::seeded().await;
    let own = app.seed.own;
    let before = app.case(own).await.version;
    let ver = before.to_string();
    let unknown = "0193a2b4-0000-7000-8000-000000000000";
    let mut kw = app.login("erika").await;
    let res = kw
        .post(
            &format!("/cases/{own}/referrals/create"),
            &[("version", ver.as_str()), ("service", unknown)],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Bitte eine gültige Auswahl treffen"));
    // Someone who does not work on cases cannot receive a hand-over.
    let admin = app.seed.admin.id.to_string();
    let res = kw
        .post(
            &format!("/cases/{own}/handover/hand-over"),
            &[
                ("version", ver.as_str()),
                ("target", "job_coach"),
                ("to", admin.as_str()),
                ("on", "2026-03-20"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Bitte eine gültige Auswahl treffen"));
    // A key worker of another team is a valid choice, but core refuses the role.
    let sami = app.seed.kw_sued.id.to_string();
    let res = kw
        .post(
            &format!("/cases/{own}/handover/hand-over"),
            &[
                ("version", ver.as_str()),
                ("target", "job_coach"),
                ("to", sami.as_str()),
                ("on", "2026-03-16"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body.contains("hat nicht die Rolle „Jobcoach“")
            && res.body.contains("value=\"2026-03-16\""),
        "{}",
        res.body
    );
    assert_eq!(app.case(own).await.key_worker, Some(app.seed.kw_nord.id));
    let mut lead = app.login("lea").await;
    let res = lead
        .post(
            &format!("/cases/{own}/handover/team"),
            &[("version", ver.as_str()), ("team", unknown)],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body
            .contains("Team: Bitte eine gültige Auswahl treffen")
    );
    assert_eq!(app.case(own).await.version, before);
}

#[tokio::test]
async fn oversized_bodies_are_bad_requests_and_overlong_fields_keep_the_input() {
    let app = TestApp::seeded().await;
    let own = app.seed.own;
    let before = app.case(own).await.version;
    let ver = before.to_string();
    let mut c = app.login("erika").await;
    let huge = "x".repeat(300 * 1024);
    let res = c
        .post(
            &format!("/cases/{own}/contacts/record"),
            &[("version", ver.as_str()), ("note", huge.as_str())],
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(friendly(&res) && res.body.contains("Anfrage nicht verständlich"));
    // Over the server's overall body limit (refused before any page code runs): the same
    // friendly page, with the security headers.
    let enormous = "z".repeat(1200 * 1024);
    let res = c
        .post(
            &format!("/cases/{own}/contacts/record"),
            &[("version", ver.as_str()), ("note", enormous.as_str())],
        )
        .await;
    assert!(res.status.is_client_error(), "{}", res.status);
    assert!(friendly(&res), "{}", res.body);
    assert!(res.headers.contains_key("content-security-policy"));
    // A note just over the limit of a text field is a field message with the input kept.
    let long = "y".repeat(10_001);
    let res = c
        .post(
            &format!("/cases/{own}/contacts/record"),
            &[
                ("version", ver.as_str()),
                ("date", "2026-03-20"),
                ("duration", "30"),
                ("kind", "office"),
                ("compartment", "case_team"),
                ("agreements", "BEHALTEN-EINGABE"),
                ("note", long.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("BEHALTEN-EINGABE"));
    assert_eq!(app.case(own).await.version, before);
}

#[tokio::test]
async fn attendance_sheet_without_versions_or_with_unknown_marks_writes_nothing() {
    let app = TestApp::seeded().await;
    let own = app.seed.own;
    let mut c = app.login("erika").await;
    let ver = app.case(own).await.version.to_string();
    let res = c
        .post(
            &format!("/cases/{own}/handover/hand-over"),
            &[
                ("version", ver.as_str()),
                ("target", "phase2"),
                ("to", ""),
                ("on", "2026-03-13"),
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
                ("title", "Frühstück"),
            ],
        )
        .await;
    let sheet = res.location.unwrap();
    let before = app.case(own).await.version;
    let res = c
        .post(&sheet, &[(format!("a_{own}").as_str(), "present")])
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(friendly(&res));
    let ver = before.to_string();
    let res = c
        .post(
            &sheet,
            &[
                (format!("a_{own}").as_str(), "unentschuldigt"),
                (format!("v_{own}").as_str(), ver.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.case(own).await.version, before);
    assert!(app.case(own).await.attendance.is_empty());
    // Group session forms: a bad date keeps the input.
    let res = c
        .post(
            "/groups",
            &[
                ("kind", "breakfast"),
                ("date", "gestern"),
                ("title", "Ausflug"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Ausflug"));
}

#[tokio::test]
async fn administration_refuses_unknown_teams_and_ids_without_creating_anything() {
    let app = TestApp::seeded().await;
    let b = app.state.backend().clone();
    let staff_before = b.list_staff().await.unwrap().len();
    let teams_before = b.list_teams().await.unwrap().len();
    let services_before = b.list_services().await.unwrap().len();
    let unknown = "0193a2b4-0000-7000-8000-000000000000";
    let mut admin = app.login("admin").await;
    let res = admin
        .post(
            "/admin/staff",
            &[
                ("display_name", "Nina Neu"),
                ("login", "nina"),
                ("roles", "key_worker"),
                ("teams", unknown),
                ("password", "ein-langes-passwort"),
                ("password2", "ein-langes-passwort"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body
            .contains("Teams: Bitte eine gültige Auswahl treffen")
    );
    assert!(res.body.contains("Nina Neu") && !res.body.contains("ein-langes-passwort"));
    let res = admin
        .post("/admin/teams", &[("id", unknown), ("name", "Geisterteam")])
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(friendly(&res));
    let res = admin
        .post(
            "/admin/services",
            &[
                ("id", unknown),
                ("name", "Geisterdienst"),
                ("kind", "debt_counselling"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = admin
        .post("/admin/services", &[("name", ""), ("kind", "kaputt")])
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    for path in [
        "/admin/staff/keine-uuid",
        &format!("/admin/staff/{unknown}"),
    ] {
        let res = admin.post(path, &[("display_name", "X")]).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(b.list_staff().await.unwrap().len(), staff_before);
    assert_eq!(b.list_teams().await.unwrap().len(), teams_before);
    assert_eq!(b.list_services().await.unwrap().len(), services_before);
}

#[tokio::test]
async fn hints_state_the_numbers_of_the_policy() {
    let app = TestApp::seeded().await;
    let own = app.seed.own;
    let mut c = app.login("erika").await;
    let p = Policy::default();
    let closure = c.get(&format!("/cases/{own}/closure")).await;
    assert!(
        closure
            .body
            .contains(&format!("innerhalb von {} Tagen", p.reopen_window_days)),
        "{}",
        closure.body
    );
    let enrolment = c.get(&format!("/cases/{own}/enrolment")).await;
    assert!(enrolment.body.contains(&format!(
        "fällig {} Tage nach Aufnahme",
        p.esf_entry_due_days
    )));
}

#[tokio::test]
async fn refusals_stand_next_to_their_field_and_mark_it_invalid() {
    let app = TestApp::seeded().await;
    let own = app.seed.own;
    let before = app.case(own).await.version;
    let ver = before.to_string();
    let mut kw = app.login("erika").await;
    // Core refuses a contact dated in the future: the message stands next to the date,
    // the date input is marked invalid and points to it, and the summary above the form
    // links to it.
    let contact = |date: &'static str, duration: &'static str| {
        vec![
            ("version", ver.clone()),
            ("date", date.to_owned()),
            ("duration", duration.to_owned()),
            ("kind", "phone".to_owned()),
            ("compartment", "case_team".to_owned()),
            ("note", "Rückruf vereinbart".to_owned()),
        ]
    };
    let fields = contact("2099-01-01", "30");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = kw
        .post(&format!("/cases/{own}/contacts/record"), &fields)
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(
        res.body
            .contains(r#"<p class="field-error" id="err-contact-date">"#)
            && res
                .body
                .contains(r#"name="date" aria-invalid="true" aria-describedby="err-contact-date""#)
            && res.body.contains("Rückruf vereinbart"),
        "{}",
        res.body
    );
    // Only that one input is marked.
    assert_eq!(res.body.matches(r#"aria-invalid="true""#).count(), 1);
    // A number the form itself cannot read stands next to its input too.
    let fields = contact("2026-03-16", "zwanzig");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = kw
        .post(&format!("/cases/{own}/contacts/record"), &fields)
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(
        res.body.contains(r#"id="err-contact-duration""#)
            && res
                .body
                .contains(r#"aria-describedby="err-contact-duration""#),
        "{}",
        res.body
    );
    // Extension beyond six months: next to the new end date.
    let res = kw
        .post(
            &format!("/cases/{own}/enrolment/extend"),
            &[
                ("version", ver.as_str()),
                ("until", "2027-12-31"),
                ("reason", "Wohnungssuche dauert"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(
        res.body.contains(r#"id="err-extend-until""#),
        "{}",
        res.body
    );
    // A hand-over to someone without the role: next to the person chosen.
    let sami = app.seed.kw_sued.id.to_string();
    let res = kw
        .post(
            &format!("/cases/{own}/handover/hand-over"),
            &[
                ("version", ver.as_str()),
                ("target", "job_coach"),
                ("to", sami.as_str()),
                ("on", "2026-03-16"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains(r#"id="err-handover-to""#), "{}", res.body);
    assert_eq!(app.case(own).await.version, before);
}

/// Every input a template fills from a refused form has a place for its message next to it
/// (`m::ferr`), so that a message meant for it is never shown above the form only. Sign-in
/// and first-run forms report as a whole on purpose (which of login and password was wrong
/// is not told).
#[test]
fn every_refillable_input_has_a_place_for_its_message() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if ["login.html", "setup.html"].contains(&name.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for call in ["f.val(", "f.sel(", "f.checked("] {
            for (at, _) in text.match_indices(call) {
                let args: Vec<&str> = text[at + call.len()..].splitn(3, ", ").collect();
                let (form, input) = (args[0], args[1]);
                let slot = format!("m::ferr(f, {form}, {input})");
                // `active` is a single switch that no rule refuses; the two terms checkboxes
                // share the slot `terms`.
                let exempt = ["\"active\"", "\"hygiene_rules\"", "\"data_protection\""];
                if !text.contains(&slot) && !exempt.contains(&input) {
                    missing.push(format!("{name}: {form} {input}"));
                }
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "no message slot for: {missing:#?}");
}

/// The administration's service form keeps every detail, and reports a mistyped e-mail
/// address together with a missing name in one round, its input kept; case workers then read
/// the details in the directory and where a referral out is made.
#[tokio::test]
async fn the_service_form_keeps_its_details_and_reports_every_problem_at_once() {
    let app = TestApp::seeded().await;
    let mut admin = app.login("admin").await;
    let res = admin
        .post(
            "/admin/services",
            &[
                ("name", ""),
                ("kind", "housing_aid"),
                ("email", "kein-at-zeichen"),
                ("opening_hours", "Mo–Fr 8–12 Uhr"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("err-service-name"), "{}", res.body);
    assert!(res.body.contains("err-service-email"), "{}", res.body);
    assert!(res.body.contains("Mo–Fr 8–12 Uhr"), "input kept");
    assert_eq!(app.state.backend().list_services().await.unwrap().len(), 1);
    let res = admin
        .post(
            "/admin/services",
            &[
                ("name", "Wohnungsnotfallhilfe Beispielstadt"),
                ("kind", "housing_aid"),
                ("address", "Am Markt 1, 99999 Beispielstadt"),
                ("phone", "0000 765432"),
                ("email", "hilfe@wohnen.example.org"),
                ("opening_hours", "Mo–Fr 8–12 Uhr"),
                ("contact_person", "Herr Probe"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let saved = app
        .state
        .backend()
        .list_services()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.name.as_str() == "Wohnungsnotfallhilfe Beispielstadt")
        .unwrap();
    assert_eq!(
        saved.details.contact_person.as_ref().map(|t| t.as_str()),
        Some("Herr Probe")
    );
    let mut erika = app.login("erika").await;
    let directory = erika.get("/services").await;
    assert_eq!(directory.status, StatusCode::OK);
    for detail in [
        "Am Markt 1, 99999 Beispielstadt",
        "Herr Probe",
        "tel:0000765432",
        "mailto:hilfe@wohnen.example.org",
    ] {
        assert!(directory.body.contains(detail), "{detail}");
    }
    let form = erika
        .get(&format!("/cases/{}/referrals", app.seed.own))
        .await;
    assert!(
        form.body.contains("Am Markt 1, 99999 Beispielstadt"),
        "{}",
        form.body
    );
    assert!(form.body.contains("name=\"contact_person\""));
    let mut dora = app.login("dora").await;
    assert_eq!(dora.get("/services").await.status, StatusCode::FORBIDDEN);
}

/// A referral out keeps its day, note and contact person; without a service and with a day
/// in the future both are reported in one round, the note kept.
#[tokio::test]
async fn a_referral_out_keeps_day_note_and_contact_person_and_reports_all_problems() {
    let app = TestApp::seeded().await;
    let own = app.seed.own;
    let mut erika = app.login("erika").await;
    let path = format!("/cases/{own}/referrals/create");
    let ver = app.case(own).await.version.to_string();
    let res = erika
        .post(
            &path,
            &[
                ("version", ver.as_str()),
                ("on", "kein Datum"),
                ("note", "Kontoauszüge mitnehmen"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("err-refout-service"), "{}", res.body);
    assert!(res.body.contains("err-refout-on"), "{}", res.body);
    assert!(res.body.contains("Kontoauszüge mitnehmen"), "input kept");
    let service = app.seed.service.to_string();
    let day = app.local_now().date_naive().format("%Y-%m-%d").to_string();
    let res = erika
        .post(
            &path,
            &[
                ("version", ver.as_str()),
                ("service", service.as_str()),
                ("on", day.as_str()),
                ("note", "Kontoauszüge mitnehmen"),
                ("contact_person", "Herr Probe"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let case = app.case(own).await;
    let made = case.referrals_out.last().unwrap();
    assert_eq!(made.created_on, app.local_now().date_naive());
    assert_eq!(
        made.note.as_ref().map(|t| t.as_str()),
        Some("Kontoauszüge mitnehmen")
    );
    assert_eq!(
        made.contact_person.as_ref().map(|t| t.as_str()),
        Some("Herr Probe")
    );
    let card = erika.get(&format!("/cases/{own}/referrals")).await;
    for detail in [
        "Vermittelt am",
        "Herr Probe",
        "Kontoauszüge mitnehmen",
        "Marktstraße 4, 99999 Beispielstadt",
    ] {
        assert!(card.body.contains(detail), "{detail}");
    }
}
