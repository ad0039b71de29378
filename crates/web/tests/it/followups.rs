//! Handler tests of the printable announcement letter, withdrawing a secrecy release, editing
//! a goal's wording, naming who does the outreach, the audit of sign-ins, the access log across
//! cases, the dashboard's reminder queries and hand-overs to colleagues of other teams.

use axum::http::StatusCode;
use uuid::Uuid;
use wegbereiter_core::CaseService;
use wegbereiter_core::esf::{EsfScope, esf_report_of_records};
use wegbereiter_core::ports::AccessKind;
use wegbereiter_core::prelude::*;

use crate::helpers::{PASSWORD, TestApp, d, referral};

fn service(app: &TestApp) -> CaseService {
    app.store.case_service(Policy::default())
}

/// A case of team Nord in outreach (unassigned) with one announcement letter.
async fn outreach_case(app: &TestApp, given: &str, with_address: bool) -> CaseId {
    let id = CaseId::from_uuid(Uuid::now_v7());
    let mut r = referral(given, "Beispielfrau", d(2026, 3, 2));
    if with_address {
        r.client.address = Some(Address {
            street: Text::parse("Lindenweg 7").unwrap(),
            postcode: Postcode::parse("34121").unwrap(),
            city: Text::parse("Beispielstadt").unwrap(),
        });
    }
    let actor = app.seed.kw_nord.as_actor();
    let svc = service(app);
    svc.execute(
        id,
        &Command::Refer {
            referral: r,
            team: Some(app.seed.nord),
        },
        &actor,
        app.local_now(),
    )
    .await
    .unwrap();
    svc.execute(
        id,
        &Command::AnnounceVisit {
            announcement: VisitAnnouncement {
                hours: None,
                letter_date: d(2026, 3, 9),
                visit_from: d(2026, 3, 16),
                visit_until: d(2026, 3, 20),
            },
        },
        &actor,
        app.local_now(),
    )
    .await
    .unwrap();
    id
}

async fn version(app: &TestApp, id: CaseId) -> String {
    app.case(id).await.version.to_string()
}

#[tokio::test]
async fn the_announcement_letter_is_printable_voluntary_and_never_a_summons() {
    let app = TestApp::seeded().await;
    let id = outreach_case(&app, "Petra", true).await;
    let mut c = app.login("erika").await;
    let outreach = c.get(&format!("/cases/{id}/outreach")).await;
    let link = format!("/cases/{id}/outreach/letters/1/print");
    assert!(
        outreach.body.contains(&link),
        "linked from the outreach screen"
    );

    let res = c.get(&link).await;
    assert_eq!(res.status, StatusCode::OK);
    let body = &res.body;
    for want in [
        "Ankündigung eines Hausbesuchs",
        "Die Teilnahme an unserem Angebot ist freiwillig.",
        "entscheiden allein Sie",
        "Wenn Sie keinen Besuch möchten",
        "Eine Begründung ist nicht nötig.",
        "16.03.2026",
        "20.03.2026",
        "09.03.2026",
        "Wegbereiter – Projekt Beispielstadt",
        "Petra Beispielfrau",
        "Lindenweg 7",
        "34121 Beispielstadt",
        "Erika Beispiel",
    ] {
        assert!(body.contains(want), "missing {want:?}");
    }
    let lower = body.to_lowercase();
    for word in [
        "pflicht",
        "sanktion",
        "meldeaufforderung",
        "leistungsminderung",
    ] {
        assert!(
            !lower.contains(word),
            "the letter must not contain {word:?}"
        );
    }
    assert!(!body.contains("VERTRAULICH"), "no case contents");

    // Recorded as an export in the access log.
    let log = app.store.accesses(id).await.unwrap();
    assert_eq!(log.last().map(|a| a.kind), Some(AccessKind::Export));
    assert_eq!(log.last().map(|a| a.actor), Some(app.seed.kw_nord.id));

    // English on request; still voluntary.
    c.post("/lang", &[("to", "en"), ("back", "/")]).await;
    let en = c.get(&link).await;
    assert!(en.body.contains("Taking part in our offer is voluntary."));

    // No such letter; other teams and roles as for the case file.
    for bad in ["2", "0", "x", "-1"] {
        let res = c
            .get(&format!("/cases/{id}/outreach/letters/{bad}/print"))
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{bad}");
    }
    let mut sami = app.login("sami").await;
    assert_eq!(sami.get(&link).await.status, StatusCode::NOT_FOUND);
    let mut admin = app.login("admin").await;
    assert_eq!(admin.get(&link).await.status, StatusCode::FORBIDDEN);
    // A team colleague may read (and print) it.
    let mut lea = app.login("lea").await;
    assert_eq!(lea.get(&link).await.status, StatusCode::OK);

    // The same letter as PDF/A, downloaded from the outreach tab and the letter page; each
    // download recorded as an export.
    let pdf = format!("/cases/{id}/outreach/letters/1/pdf");
    assert!(
        outreach.body.contains(&pdf),
        "the PDF is linked from the outreach tab"
    );
    assert!(res.body.contains(&pdf), "and from the letter page");
    c.post("/lang", &[("to", "de"), ("back", "/")]).await;
    let before = app.store.accesses(id).await.unwrap().len();
    let res = c.get(&pdf).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.headers["content-type"], "application/pdf");
    let disposition = res.headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"ankuendigung-")
            && disposition.ends_with("-1.pdf\""),
        "{disposition}"
    );
    let text = pdftotext(&res.bytes);
    for want in [
        "Ankündigung eines Hausbesuchs",
        "Guten Tag Petra Beispielfrau,",
        "Lindenweg 7",
        "Die Teilnahme an unserem Angebot ist freiwillig.",
        "Mit freundlichen Grüßen",
    ] {
        assert!(text.contains(want), "{want:?} missing in the PDF:\n{text}");
    }
    let easy = c.get(&format!("{pdf}?easy=1")).await;
    assert_eq!(easy.status, StatusCode::OK);
    let text = pdftotext(&easy.bytes);
    assert!(text.contains("Das Angebot ist freiwillig."), "{text}");
    assert!(
        text.contains("Der Text in Leichter Sprache ist nicht rechtlich verbindlich."),
        "{text}"
    );
    let log = app.store.accesses(id).await.unwrap();
    assert_eq!(log.len(), before + 2, "each download is in the access log");
    assert!(log[before..].iter().all(|a| a.kind == AccessKind::Export));
    let page = c.get(&format!("{link}?easy=1")).await;
    assert!(
        page.body.contains("Sie müssen nicht mitmachen."),
        "the page in Leichte Sprache"
    );
    assert_eq!(sami.get(&pdf).await.status, StatusCode::NOT_FOUND);
    assert_eq!(admin.get(&pdf).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        c.get(&format!("/cases/{id}/outreach/letters/2/pdf"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Without an address the letter says so.
    let bare = outreach_case(&app, "Olga", false).await;
    let res = c
        .get(&format!("/cases/{bare}/outreach/letters/1/print"))
        .await;
    assert!(res.body.contains("keine Anschrift erfasst"));
}

/// The text of a PDF as poppler's `pdftotext` reads it; fails (never skips) without poppler.
pub(crate) fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("letter.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (Debian package poppler-utils) is needed for this test");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn a_secrecy_release_can_be_withdrawn() {
    let app = TestApp::seeded().await;
    let id = app.seed.own;
    let actor = app.seed.kw_nord.as_actor();
    let service_entry = app.store.service(app.seed.service).await.unwrap().unwrap();
    let referral = OutboundReferralId::from_uuid(Uuid::now_v7());
    let svc = service(&app);
    svc.execute(
        id,
        &Command::ReferOut {
            id: referral,
            service: service_entry,
            contact_person: None,
            note: None,
            on: app.local_now().date_naive(),
        },
        &actor,
        app.local_now(),
    )
    .await
    .unwrap();
    svc.execute(
        id,
        &Command::RecordSecrecyRelease {
            referral,
            release: SecrecyRelease {
                recipient: Text::parse("Schuldnerberatung Beispielstadt").unwrap(),
                information: Text::parse("Forderungsaufstellung").unwrap(),
                purpose: Text::parse("Schuldenregulierung").unwrap(),
                direction: ReleaseDirection::OneWay,
                given_on: d(2026, 3, 12),
                valid_until: d(2026, 9, 30),
                withdrawn_on: None,
            },
        },
        &actor,
        app.local_now(),
    )
    .await
    .unwrap();
    let mut c = app.login("erika").await;
    let page = c.get(&format!("/cases/{id}/referrals")).await;
    assert!(page.body.contains("Entbindung widerrufen"));
    let rid = referral.to_string();
    // Under the release, what was passed on is recorded (rule R22) ...
    let dis = format!("dis-{rid}");
    let disclose = |on: &'static str, v: String| {
        vec![
            ("version", v),
            ("form", dis.clone()),
            ("referral", rid.clone()),
            ("on", on.to_owned()),
            ("information", "Forderungsaufstellung".to_owned()),
        ]
    };
    let fields = disclose("2026-03-16", version(&app, id).await);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = c
        .post(&format!("/cases/{id}/referrals/disclose"), &fields)
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = c.get(&format!("/cases/{id}/referrals")).await;
    assert!(
        page.body.contains("An die Fachstelle weitergegeben")
            && page.body.contains("16.03.2026 · Forderungsaufstellung"),
        "{}",
        page.body
    );
    // ... but not for a day to come: the message stands next to the date.
    let fields = disclose("2026-03-20", version(&app, id).await);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = c
        .post(&format!("/cases/{id}/referrals/disclose"), &fields)
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(
        res.body.contains("in der Zukunft") && res.body.contains(&format!("id=\"err-{dis}-on\"")),
        "{}",
        res.body
    );
    assert_eq!(app.case(id).await.referrals_out[0].disclosures.len(), 1);
    let form = format!("relw-{rid}");
    let v = version(&app, id).await;
    let res = c
        .post(
            &format!("/cases/{id}/referrals/release/withdraw"),
            &[("version", &v), ("form", &form), ("referral", &rid)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let case = app.case(id).await;
    let release = case.referrals_out[0].release.as_ref().unwrap();
    assert_eq!(release.withdrawn_on, Some(app.now().date_naive()));
    let page = c.get(&format!("/cases/{id}/referrals")).await;
    assert!(page.body.contains("Widerrufen am") && page.body.contains("derzeit nicht gültig"));
    assert!(!page.body.contains("Entbindung widerrufen"), "only once");
    // After the withdrawal nothing more may be passed on: core's rule, next to the date.
    let fields = disclose("2026-03-16", version(&app, id).await);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = c
        .post(&format!("/cases/{id}/referrals/disclose"), &fields)
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(
        res.body.contains("keine gültige Schweigepflichtentbindung")
            && res.body.contains(&format!("id=\"err-{dis}-on\"")),
        "{}",
        res.body
    );
    assert_eq!(app.case(id).await.referrals_out[0].disclosures.len(), 1);

    // Twice is refused with a message, nothing changes.
    let v = version(&app, id).await;
    let res = c
        .post(
            &format!("/cases/{id}/referrals/release/withdraw"),
            &[("version", &v), ("form", &form), ("referral", &rid)],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("role=\"alert\""));
    // A colleague who only reads the case may not.
    let mut jonas = app.login("jonas").await;
    let v = version(&app, id).await;
    let res = jonas
        .post(
            &format!("/cases/{id}/referrals/release/withdraw"),
            &[("version", &v), ("form", &form), ("referral", &rid)],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_goals_wording_and_criterion_can_be_changed_and_input_is_kept_on_refusal() {
    let app = TestApp::seeded().await;
    let id = app.seed.own;
    let goal = GoalId::from_uuid(Uuid::now_v7());
    service(&app)
        .execute(
            id,
            &Command::AgreeGoal {
                id: goal,
                domain: LifeDomain::Housing,
                wording: Text::parse("Ich will meine Wohnung behalten.").unwrap(),
                criterion: Text::parse("Mietrückstand ist geklärt.").unwrap(),
                responsible: ResponsibleParty::Client,
                review_date: d(2026, 4, 15),
            },
            &app.seed.kw_nord.as_actor(),
            app.local_now(),
        )
        .await
        .unwrap();
    let mut c = app.login("erika").await;
    let page = c.get(&format!("/cases/{id}/goals")).await;
    assert!(page.body.contains("Formulierung ändern"));
    let gid = goal.to_string();
    let form = format!("goaledit-{gid}");
    let v = version(&app, id).await;
    let res = c
        .post(
            &format!("/cases/{id}/goals/edit"),
            &[
                ("version", &v),
                ("form", &form),
                ("goal", &gid),
                ("wording", "Ich will in meiner Wohnung bleiben."),
                ("criterion", "Der Vermieter hat die Ratenzahlung bestätigt."),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let g = app.case(id).await.goals[0].clone();
    assert_eq!(g.wording.as_str(), "Ich will in meiner Wohnung bleiben.");
    assert_eq!(
        g.criterion.as_str(),
        "Der Vermieter hat die Ratenzahlung bestätigt."
    );

    // An empty wording is refused; what was typed stays in the form.
    let v = version(&app, id).await;
    let res = c
        .post(
            &format!("/cases/{id}/goals/edit"),
            &[
                ("version", &v),
                ("form", &form),
                ("goal", &gid),
                ("wording", "  "),
                ("criterion", "Neues Kriterium, noch nicht gespeichert"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Neues Kriterium, noch nicht gespeichert"));
    assert!(res.body.contains("role=\"alert\""));
    // Nothing changed: refused by the domain, input kept.
    let res = c
        .post(
            &format!("/cases/{id}/goals/edit"),
            &[
                ("version", &v),
                ("form", &form),
                ("goal", &gid),
                ("wording", "Ich will in meiner Wohnung bleiben."),
                ("criterion", "Der Vermieter hat die Ratenzahlung bestätigt."),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("role=\"alert\""));
    assert_eq!(
        app.case(id).await.goals[0].wording.as_str(),
        "Ich will in meiner Wohnung bleiben."
    );
}

/// The reminder links of a dashboard page, in order.
/// The case links of the reminders on the dashboard, every group of kinds, sorted (the page
/// groups them by kind, most urgent kind first).
fn reminder_links(body: &str) -> Vec<String> {
    let start = body.find("id=\"rem-h\"").unwrap();
    let section = &body[start..start + body[start..].find("</section>").unwrap()];
    let Some(list) = section
        .find("<ul class=\"reminders\">")
        .map(|at| &section[at..])
    else {
        return Vec::new();
    };
    let list = &list[..list.rfind("</ul>").unwrap()];
    let mut links: Vec<String> = list
        .split("href=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .collect();
    links.sort();
    links
}

/// The case links of the "Meine Fälle" panel.
fn my_case_links(body: &str) -> Vec<String> {
    let start = body.find("id=\"mine-h\"").unwrap();
    let end = start + body[start..].find("</section>").unwrap();
    body[start..end]
        .split("href=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .collect()
}

#[tokio::test]
async fn the_team_lead_names_who_does_the_outreach() {
    let app = TestApp::seeded().await;
    let id = outreach_case(&app, "Petra", true).await;
    let jonas_id = app.seed.kw_nord2.id.to_string();

    // Only the team lead sees the form, on the overview.
    let mut erika = app.login("erika").await;
    let page = erika.get(&format!("/cases/{id}")).await;
    assert!(!page.body.contains("Zuständig für die aufsuchende Phase"));
    let mut lea = app.login("lea").await;
    let page = lea.get(&format!("/cases/{id}")).await;
    assert!(page.body.contains("Zuständig für die aufsuchende Phase"));
    assert!(page.body.contains(&format!("value=\"{jonas_id}\"")));
    assert!(
        !page
            .body
            .contains(&format!("value=\"{}\"", app.seed.lead_nord.id)),
        "a team lead alone is not offered"
    );

    let v = version(&app, id).await;
    let res = lea
        .post(
            &format!("/cases/{id}/handover/reassign"),
            &[("version", &v), ("from", "overview"), ("to", &jonas_id)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location.as_deref(), Some(&*format!("/cases/{id}")));
    assert_eq!(app.case(id).await.key_worker, Some(app.seed.kw_nord2.id));

    // The named person changes the case; the colleague now only reads it.
    let attempt = |v: String| {
        vec![
            ("version".to_owned(), v),
            ("at".to_owned(), "2026-03-16T09:00".to_owned()),
            ("channel".to_owned(), "doorstep".to_owned()),
            ("outcome".to_owned(), "not_met".to_owned()),
        ]
    };
    let path = format!("/cases/{id}/outreach/attempt");
    let fields = attempt(version(&app, id).await);
    let f: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(erika.post(&path, &f).await.status, StatusCode::FORBIDDEN);
    let page = erika.get(&format!("/cases/{id}/outreach")).await;
    assert!(!page.body.contains("/outreach/attempt\""));
    let mut jonas = app.login("jonas").await;
    let res = jonas.post(&path, &f).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

    // A refused choice keeps the overview.
    let v = version(&app, id).await;
    let res = lea
        .post(
            &format!("/cases/{id}/handover/reassign"),
            &[("version", &v), ("from", "overview"), ("to", &jonas_id)],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Zuständig für die aufsuchende Phase"));

    // Jonas's dashboard: the case under "Meine Fälle", with its reminder once due.
    app.advance(chrono::Duration::days(10));
    let mut jonas = app.login("jonas").await;
    let dash = jonas.get("/").await;
    assert!(my_case_links(&dash.body).contains(&format!("/cases/{id}")));
    assert!(
        reminder_links(&dash.body).contains(&format!("/cases/{id}")),
        "the outreach reminder is Jonas's"
    );
    let mut erika = app.login("erika").await;
    let dash = erika.get("/").await;
    assert!(!reminder_links(&dash.body).contains(&format!("/cases/{id}")));
    assert!(!my_case_links(&dash.body).contains(&format!("/cases/{id}")));
}

#[tokio::test]
async fn the_dashboard_reminders_equal_the_slow_path() {
    let app = TestApp::seeded().await;
    let a = outreach_case(&app, "Anna", true).await;
    let b = outreach_case(&app, "Berta", false).await;
    outreach_case(&app, "Clara", false).await;
    // Berta is named to Erika; a case of team Süd stays unassigned.
    service(&app)
        .execute(
            b,
            &Command::ReassignKeyWorker {
                to: app.seed.kw_nord.as_actor(),
            },
            &app.seed.lead_nord.as_actor(),
            app.local_now(),
        )
        .await
        .unwrap();
    let sued = CaseId::from_uuid(Uuid::now_v7());
    service(&app)
        .execute(
            sued,
            &Command::Refer {
                referral: referral("Sina", "Süd", d(2026, 3, 2)),
                team: Some(app.seed.sued),
            },
            &app.seed.kw_sued.as_actor(),
            app.local_now(),
        )
        .await
        .unwrap();
    let _ = a;
    let mut covered = 0;
    for days in [0_i64, 10, 30, 60] {
        if days > 0 {
            app.advance(chrono::Duration::days(days));
        }
        let today = app.now().date_naive();
        let all = app
            .store
            .reminders_due(today, &chrono_tz::Europe::Berlin, &Policy::default(), None)
            .await
            .unwrap();
        for who in [
            &app.seed.kw_nord,
            &app.seed.kw_nord2,
            &app.seed.lead_nord,
            &app.seed.psy_nord,
            &app.seed.kw_sued,
        ] {
            // The former path: every reminder, filtered by access afterwards.
            let mut expected = Vec::new();
            for r in &all {
                let s = app.case(r.case_id).await.summary();
                let mine_or_open = s.key_worker == Some(who.id)
                    || (s.key_worker.is_none()
                        && wegbereiter_web::access::can_change_case(&who.as_actor(), &s));
                if mine_or_open {
                    expected.push(format!("/cases/{}", r.case_id));
                }
            }
            expected.sort();
            let mut c = app.login(who.login.as_str()).await;
            let found = reminder_links(&c.get("/").await.body);
            assert_eq!(found, expected, "{} after {days} days", who.login);
            covered += found.len();
        }
    }
    assert!(
        covered > 5,
        "the comparison covered real reminders ({covered})"
    );
}

#[tokio::test]
async fn sign_in_sign_out_and_failures_are_audited_without_passwords() {
    let app = TestApp::seeded().await;
    let actions = |log: &[wegbereiter_storage::AuditRecord]| {
        log.iter()
            .filter(|r| r.action.starts_with("auth."))
            .map(|r| (r.action.clone(), r.subject.clone(), r.actor))
            .collect::<Vec<_>>()
    };
    let mut c = app.anonymous().await;
    let res = c
        .post(
            "/login",
            &[("login", "Erika"), ("password", "falsch-falsch-falsch")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    let res = c
        .post("/login", &[("login", "niemand"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    let mut c = app.login("erika").await;
    let res = c.post("/logout", &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let log = app.store.audit_log(100).await.unwrap();
    let erika = Some(app.seed.kw_nord.id);
    assert_eq!(
        actions(&log),
        vec![
            ("auth.sign_out".into(), "erika".into(), erika),
            ("auth.sign_in".into(), "erika".into(), erika),
            ("auth.sign_in_failed".into(), "niemand".into(), None),
            ("auth.sign_in_failed".into(), "Erika".into(), None),
        ]
    );

    // Throttled attempts are recorded too.
    let mut c = app.anonymous().await;
    for _ in 0..6 {
        c.post(
            "/login",
            &[("login", "jonas"), ("password", "falsch-falsch-falsch")],
        )
        .await;
    }
    let res = c
        .post("/login", &[("login", "jonas"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    let log = app.store.audit_log(100).await.unwrap();
    let acts = actions(&log);
    assert_eq!(acts[0].0, "auth.sign_in_throttled");
    // The five failures are one line of the hour, counted.
    let failed: Vec<_> = log
        .iter()
        .filter(|r| r.action == "auth.sign_in_failed" && r.subject == "jonas")
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].count, 5);
    for r in &log {
        assert!(
            !r.subject.contains("falsch") && !r.subject.contains(PASSWORD),
            "no password in the audit log: {r:?}"
        );
    }

    // The data-protection officer sees them.
    let mut dora = app.login("dora").await;
    let page = dora.get("/audit").await;
    // In words, not as keys.
    assert!(
        page.body.contains("Anmeldung fehlgeschlagen") && page.body.contains("Abmeldung"),
        "{}",
        page.body
    );
    // (The key appears only as the value of the action filter's option.)
    assert!(!page.body.contains("<td>auth.sign_in_failed"));
    assert!(!page.body.contains("falsch-falsch"));
}

#[tokio::test]
async fn the_dpo_sees_the_latest_accesses_across_cases() {
    let app = TestApp::seeded().await;
    let mut erika = app.login("erika").await;
    erika.get(&format!("/cases/{}", app.seed.own)).await;
    erika.get(&format!("/cases/{}/print", app.seed.own)).await;
    let mut sami = app.login("sami").await;
    sami.get(&format!("/cases/{}/history", app.seed.other))
        .await;

    let mut dora = app.login("dora").await;
    let page = dora.get("/audit").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    let recent = &body[body.find("id=\"rec-h\"").unwrap()..];
    let recent = &recent[..recent.find("</section>").unwrap()];
    let own_no = {
        let hex = app.seed.own.as_uuid().simple().to_string().to_uppercase();
        format!("{}-{}", &hex[22..27], &hex[27..])
    };
    assert!(recent.contains(&own_no), "{recent}");
    assert!(recent.contains("Erika Beispiel") && recent.contains("Sami Süd"));
    assert!(recent.contains("Verlauf angesehen"));
    // Newest first: Sami's read comes before Erika's.
    assert!(recent.find("Sami Süd").unwrap() < recent.find("Erika Beispiel").unwrap());

    // A sane limit: the latest 200.
    for i in 0..210 {
        app.store
            .record_access(&AccessEntry {
                at: app.now() + chrono::Duration::seconds(i),
                actor: app.seed.kw_nord.id,
                case_id: app.seed.own,
                kind: AccessKind::View,
            })
            .await
            .unwrap();
    }
    let page = dora.get("/audit").await;
    let recent = &page.body[page.body.find("id=\"rec-h\"").unwrap()..];
    let recent = &recent[..recent.find("</section>").unwrap()];
    // One page of 25 (the page stays short at 768 px), and a link to the older ones:
    // nothing is cut off; an older page links back to the newest.
    assert_eq!(recent.matches("<tr><td>").count(), 25);
    assert!(!recent.contains("Neueste Einträge"), "{recent}");
    let older = recent
        .split("href=\"")
        .skip(1)
        .map(|s| {
            s[..s.find('"').unwrap()]
                .replace("&#38;", "&")
                .replace("&amp;", "&")
        })
        .find(|href| href.contains("abefore="))
        .unwrap_or_else(|| panic!("a link to older reads: {recent}"));
    let page = dora.get(&older).await;
    assert_eq!(page.status, StatusCode::OK);
    let recent = &page.body[page.body.find("id=\"rec-h\"").unwrap()..];
    let recent = &recent[..recent.find("</section>").unwrap()];
    assert_eq!(recent.matches("<tr><td>").count(), 25);
    assert!(recent.contains("Neueste Einträge"), "{older} {recent}");
    // Others may not read it.
    assert_eq!(erika.get("/audit").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn hand_over_to_a_job_coach_of_another_team() {
    let app = TestApp::seeded().await;
    let own = app.seed.own;
    // Job coaches sit in a team of their own (here: Süd).
    let coach = StaffMember {
        id: StaffId::from_uuid(Uuid::now_v7()),
        login: Text::parse("chris").unwrap(),
        display_name: Text::parse("Chris Coaching").unwrap(),
        roles: vec![Role::JobCoach],
        teams: vec![app.seed.sued],
        active: true,
    };
    let stamp = AuditStamp {
        actor: None,
        at: app.now(),
    };
    app.state.backend().save_staff(&coach, stamp).await.unwrap();
    app.state
        .set_password(coach.id, PASSWORD, None)
        .await
        .unwrap();
    let mut chris = app.login("chris").await;
    assert_eq!(
        chris.get(&format!("/cases/{own}")).await.status,
        StatusCode::NOT_FOUND,
        "not yet theirs"
    );
    let mut erika = app.login("erika").await;
    let page = erika.get(&format!("/cases/{own}/handover")).await;
    assert!(
        page.body
            .contains("Chris Coaching (Jobcoach) – Phase 1 Team Süd"),
        "{}",
        page.body
    );
    let ver = app.case(own).await.version.to_string();
    let to = coach.id.to_string();
    let res = erika
        .post(
            &format!("/cases/{own}/handover/hand-over"),
            &[
                ("version", ver.as_str()),
                ("target", "job_coach"),
                ("to", to.as_str()),
                ("on", "2026-03-16"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(app.case(own).await.key_worker, Some(coach.id));
    // Now the coach works on the case; the history stays with it.
    let page = chris.get(&format!("/cases/{own}/contacts")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Musterfrau, Erika"));
}

#[tokio::test]
async fn closure_and_reopening_by_the_team_lead_within_four_weeks() {
    let app = TestApp::seeded().await;
    let id = app.seed.own;
    let path = format!("/cases/{id}/closure");
    let mut kw = app.login("erika").await;
    let v = version(&app, id).await;
    let res = kw
        .post(
            &format!("{path}/close"),
            &[
                ("version", v.as_str()),
                ("on", "2026-03-16"),
                ("reason", "client_ended"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(app.case(id).await.status, CaseStatus::Closed);
    // The key worker cannot reopen; the page offers her nothing to do so.
    let page = kw.get(&path).await;
    assert!(!page.body.contains("/closure/reopen"), "{}", page.body);
    assert!(page.body.contains(r#"id="s-cf""#), "{}", page.body);
    assert!(!page.body.contains(r#"id="s-pc""#), "{}", page.body);
    let v = version(&app, id).await;
    let res = kw
        .post(
            &format!("{path}/reopen"),
            &[("version", v.as_str()), ("on", "2026-03-16")],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // Five weeks later the team lead is refused next to the date, naming the last day.
    app.advance(chrono::Duration::days(35));
    let mut lead = app.login("lea").await;
    let page = lead.get(&path).await;
    assert!(page.body.contains("/closure/reopen"), "{}", page.body);
    let res = lead
        .post(
            &format!("{path}/reopen"),
            &[("version", v.as_str()), ("on", "2026-04-20")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(
        res.body.contains("13.04.2026") && res.body.contains(r#"id="err-reopen-on""#),
        "{}",
        res.body
    );
    assert_eq!(app.case(id).await.status, CaseStatus::Closed);
    // Within the four weeks it works, and the case is in work again.
    let res = lead
        .post(
            &format!("{path}/reopen"),
            &[("version", v.as_str()), ("on", "2026-04-10")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let case = app.case(id).await;
    assert_eq!(case.status, CaseStatus::Enrolled);
    assert_eq!(case.closure, None);
    assert_eq!(case.previous_closures.len(), 1);
    let history = lead.get(&format!("/cases/{id}/history")).await;
    assert!(history.body.contains("Wieder geöffnet"), "{}", history.body);
    // The closure tab shows no closure in force, only the earlier one as history.
    let page = lead.get(&path).await;
    assert!(!page.body.contains(r#"id="s-cf""#), "{}", page.body);
    assert!(
        page.body.contains(r#"id="s-pc""#)
            && page.body.contains("Frühere Abschlüsse")
            && page.body.contains("16.03.2026"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn a_pause_is_recorded_shown_and_ended_without_moving_the_planned_end() {
    let app = TestApp::seeded().await;
    let id = app.seed.own;
    let planned = app.case(id).await.period.unwrap().planned_end();
    let mut kw = app.login("erika").await;
    let page = kw.get(&format!("/cases/{id}/enrolment")).await;
    assert!(
        page.body.contains("Pause eintragen")
            && page.body.contains("wird dem Jobcenter nicht gemeldet")
    );
    // A pause starting in the future is refused next to its date.
    let v = version(&app, id).await;
    let res = kw
        .post(
            &format!("/cases/{id}/enrolment/pause"),
            &[("version", v.as_str()), ("from", "2026-04-01")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains(r#"id="err-pause-from""#), "{}", res.body);
    let res = kw
        .post(
            &format!("/cases/{id}/enrolment/pause"),
            &[
                ("version", v.as_str()),
                ("from", "2026-03-14"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = kw.get(&format!("/cases/{id}")).await;
    assert!(page.body.contains("Teilnahme pausiert"), "{}", page.body);
    let page = kw.get(&format!("/cases/{id}/enrolment")).await;
    assert!(page.body.contains("seit 14.03.2026") && page.body.contains("Teilnahme fortsetzen"));
    // The Jobcenter preview says nothing about it.
    let preview = kw.get(&format!("/cases/{id}/feedback")).await;
    // (The header above the tabs shows the pause to staff; the preview below them is what
    // the Jobcenter would get.)
    let tabs = preview.body.find(r#"class="tabs""#).unwrap();
    let below = &preview.body[tabs..];
    let below = &below[below.find("</nav>").unwrap()..];
    assert!(
        below.contains("Teilnahmebestätigung") || below.contains("Jobcenter"),
        "{below}"
    );
    assert!(!below.to_lowercase().contains("paus"), "{below}");
    let v = version(&app, id).await;
    let res = kw
        .post(
            &format!("/cases/{id}/enrolment/resume"),
            &[("version", v.as_str()), ("on", "2026-03-16")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let case = app.case(id).await;
    assert!(case.open_pause().is_none());
    assert_eq!(
        case.period.unwrap().planned_end(),
        planned,
        "the clock runs on"
    );
    let history = kw.get(&format!("/cases/{id}/history")).await;
    assert!(
        history.body.contains("Teilnahme pausiert")
            && history.body.contains("Teilnahme fortgesetzt")
    );
}

#[tokio::test]
async fn the_audit_log_names_what_changed_in_words() {
    let app = TestApp::seeded().await;
    let mut admin = app.login("admin").await;
    let res = admin
        .post("/admin/teams", &[("form", "team"), ("name", "Team West")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let mut dora = app.login("dora").await;
    let page = dora.get("/audit").await;
    assert_eq!(page.status, StatusCode::OK);
    // Who: the administrator by name; the seed, written without a person, as "System".
    assert!(page.body.contains("Team: Team West"), "{}", page.body);
    assert!(
        page.body.contains("Mitarbeiter*in: Erika Beispiel (erika)"),
        "{}",
        page.body
    );
    assert!(page.body.contains("<td>System</td>"), "{}", page.body);
    // No raw storage keys.
    assert!(!page.body.contains("<td>team "), "{}", page.body);
    assert!(!page.body.contains("<td>staff "), "{}", page.body);
    // A failed sign-in keeps what was typed, even when it looks like a directory entry,
    // and nobody was signed in.
    let erika = app.seed.kw_nord.id;
    let mut anon = app.anonymous().await;
    let typed = format!("staff {erika}");
    anon.post(
        "/login",
        &[("login", typed.as_str()), ("password", "falsch")],
    )
    .await;
    let page = dora.get("/audit").await;
    assert!(
        page.body.contains(&format!("<td>staff {erika}</td>")),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("<td>nicht angemeldet</td>"),
        "{}",
        page.body
    );
}

/// The cells of the report row that begins with `label`: total, women, men, non-binary, not
/// recorded.
fn esf_row(body: &str, label: &str) -> Vec<String> {
    let start = body
        .find(label)
        .unwrap_or_else(|| panic!("{label} in {body}"));
    let row = &body[start..body[start..].find("</tr>").unwrap() + start];
    row.split(r#"<td class="num">"#)
        .skip(1)
        .map(|c| {
            let c = c.split("</td>").next().unwrap_or_default();
            // A linked count: the text of the link.
            c.rsplit_once("\">")
                .map_or(c, |(_, n)| n)
                .trim_end_matches("</a>")
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn the_team_lead_sees_the_esf_indicators_of_the_team_and_nothing_personal() {
    let app = TestApp::seeded().await;
    let mut lead = app.login("lea").await;
    let page = lead.get("/").await;
    assert!(
        page.body.contains(r#"href="/reports/esf""#),
        "linked in the navigation"
    );
    // The whole project by default, as the CLI's `report esf` without --team.
    let res = lead.get("/reports/esf?from=2026-01-01&to=2026-12-31").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(
        res.body
            .contains("ESF-Plus-Indikatoren 01.01.2026 – 31.12.2026")
            && res.body.contains("EECO01")
            && res.body.contains("EECO02")
            && res.body.contains("EECR04")
            && res.body.contains("EECR05"),
        "{}",
        res.body
    );
    // Both enrolled cases (Nord's and Süd's) entered; the seeded clients have no gender.
    assert_eq!(esf_row(&res.body, "Eintritte"), ["2", "0", "0", "0", "2"]);
    // One team: only the case of team Nord.
    let nord = app.seed.nord;
    let res = lead
        .get(&format!(
            "/reports/esf?from=2026-01-01&to=2026-12-31&scope={nord}"
        ))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(esf_row(&res.body, "Eintritte"), ["1", "0", "0", "0", "1"]);
    assert!(!res.body.contains("Musterfrau") && !res.body.contains("Mustermann"));
    // The page shows core's figures over the storage's records, as the CLI prints them.
    for scope in [EsfScope::All, EsfScope::Team(nord)] {
        let records = app
            .store
            .esf_participants(d(2026, 1, 1), d(2026, 12, 31), scope)
            .await
            .unwrap();
        let report = esf_report_of_records(&records, d(2026, 1, 1), d(2026, 12, 31));
        let key = match scope {
            EsfScope::All => "all".to_owned(),
            EsfScope::Team(t) => t.to_string(),
        };
        let page = lead
            .get(&format!(
                "/reports/esf?from=2026-01-01&to=2026-12-31&scope={key}"
            ))
            .await;
        for line in report.lines(Lang::De) {
            let label = match line.code {
                Some(code) => format!("{code}</span> {}", line.label),
                None => format!("{}</th>", line.label),
            };
            let c = line.counts;
            let want: Vec<String> = [c.total, c.female, c.male, c.non_binary, c.unknown]
                .iter()
                .map(u64::to_string)
                .collect();
            assert_eq!(esf_row(&page.body, &label), want, "{label} {scope:?}");
        }
    }
    // Every count above zero leads to the participants behind it: pseudonymous numbers, and
    // the case where the lead may open it (Nord's), not Süd's.
    let res = lead.get("/reports/esf?from=2026-01-01&to=2026-12-31").await;
    let href = "/reports/esf/members?from=2026-01-01&amp;to=2026-12-31&amp;scope=all&amp;count=entries&amp;column=total";
    assert!(res.body.contains(href), "{}", res.body);
    let list = lead.get(&href.replace("&amp;", "&")).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let own = app.seed.own;
    let other = app.seed.other;
    for id in [own, other] {
        assert!(
            list.body.contains(&format!("TN-{}", id.case_number())),
            "{}",
            list.body
        );
    }
    assert!(
        list.body.contains(&format!(r#"href="/cases/{own}""#)),
        "{}",
        list.body
    );
    assert!(
        !list.body.contains(&format!(r#"href="/cases/{other}""#)),
        "{}",
        list.body
    );
    assert!(list.body.contains("nicht einsehbar"), "{}", list.body);
    assert!(!list.body.contains("Musterfrau") && !list.body.contains("Mustermann"));
    // A figure or column that is none is a bad request; a team that is not the lead's is
    // forbidden, in the report and in its drill-down.
    for bad in [
        "/reports/esf/members?count=EECO99",
        "/reports/esf/members?count=eeco02&column=alle",
        "/reports/esf/members?count=eeco02&to=gestern",
    ] {
        assert_eq!(lead.get(bad).await.status, StatusCode::BAD_REQUEST, "{bad}");
    }
    let sued = app.seed.sued;
    assert_eq!(
        lead.get(&format!("/reports/esf?scope={sued}")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        lead.get(&format!("/reports/esf/members?scope={sued}&count=entries"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // The funder export, as a download: the XLSX workbook and the CSV of the participants,
    // pseudonymised, each in the audit log.
    let xlsx = lead
        .get("/reports/esf/export?from=2026-01-01&to=2026-12-31&scope=all&format=xlsx")
        .await;
    assert_eq!(xlsx.status, StatusCode::OK, "{}", xlsx.body);
    assert_eq!(
        xlsx.headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(
        xlsx.headers["content-disposition"],
        r#"attachment; filename="esf-20260101-20261231.xlsx""#
    );
    assert!(xlsx.bytes.starts_with(b"PK"), "a zip container");
    assert!(xlsx.body.is_empty(), "not text");
    let csv = lead
        .get(&format!(
            "/reports/esf/export?from=2026-01-01&to=2026-12-31&scope={nord}&format=csv"
        ))
        .await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
    assert!(
        lines[0].starts_with("Teilnehmendennummer;Eintrittsdatum;Geschlecht"),
        "{}",
        lines[0]
    );
    assert_eq!(lines.len(), 2, "one participant of team Nord: {lines:?}");
    assert!(
        lines[1].starts_with(&format!("TN-{};", own.case_number())),
        "{}",
        lines[1]
    );
    assert!(!csv.body.contains("Musterfrau") && !csv.body.contains("Mustermann"));
    for bad in [
        "/reports/esf/export?format=pdf",
        "/reports/esf/export?from=gestern",
    ] {
        assert_eq!(lead.get(bad).await.status, StatusCode::BAD_REQUEST, "{bad}");
    }
    assert_eq!(
        lead.get(&format!("/reports/esf/export?scope={sued}"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let log = app.store.audit_log(20).await.unwrap();
    let exports: Vec<_> = log
        .iter()
        .filter(|r| r.action == wegbereiter_storage::ESF_EXPORTED)
        .collect();
    assert_eq!(exports.len(), 2, "{log:?}");
    assert!(
        exports
            .iter()
            .any(|r| r.subject.contains("xlsx, 2 participants")),
        "{exports:?}"
    );
    // A scope that is no team is named next to its field.
    let res = lead.get("/reports/esf?scope=irgendwas").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains(r#"id="err-esf-scope""#), "{}", res.body);
    // A period that ends before it starts is refused next to its end; the page still shows.
    let res = lead.get("/reports/esf?from=2026-12-31&to=2026-01-01").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains(r#"id="err-esf-to""#), "{}", res.body);
    // A date that is none is named next to its field, the input kept.
    let res = lead.get("/reports/esf?from=gestern&to=2026-12-31").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(
        res.body.contains(r#"id="err-esf-from""#) && res.body.contains(r#"value="gestern""#),
        "{}",
        res.body
    );
    // Key workers do not see it, nor its drill-down.
    let mut kw = app.login("erika").await;
    assert_eq!(kw.get("/reports/esf").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        kw.get("/reports/esf/members?count=entries").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        kw.get("/reports/esf/export").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_esf_report_warns_of_participants_who_may_be_the_same_person() {
    let app = TestApp::seeded().await;
    // A second enrolment of the own case's client (same names, same postcode), team Nord.
    let kw = app.seed.kw_nord.as_actor();
    let again = CaseId::from_uuid(Uuid::now_v7());
    let now = app.local_now();
    let svc = service(&app);
    svc.execute(
        again,
        &Command::Refer {
            referral: referral("Erika", "Musterfrau", d(2026, 3, 2)),
            team: Some(app.seed.nord),
        },
        &kw,
        now,
    )
    .await
    .unwrap();
    svc.execute(
        again,
        &Command::Enrol {
            on: d(2026, 3, 11),
            key_worker: kw.clone(),
            terms: ParticipationTerms::EXPLAINED,
            consent: EnrolmentConsent {
                id: ConsentId::from_uuid(Uuid::now_v7()),
                form: ConsentForm::Written,
                given_on: d(2026, 3, 11),
            },
        },
        &kw,
        now,
    )
    .await
    .unwrap();
    let mut lead = app.login("lea").await;
    let page = lead.get("/reports/esf?from=2026-01-01&to=2026-12-31").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("Möglicherweise dieselbe Person"),
        "{}",
        page.body
    );
    let own = app.seed.own;
    let start = page.body.find("Möglicherweise dieselbe Person").unwrap();
    let notice = &page.body[start..start + page.body[start..].find("</div>").unwrap()];
    for id in [own, again] {
        assert!(
            notice.contains(&format!("TN-{}", id.case_number())),
            "{notice}"
        );
        assert!(
            notice.contains(&format!(r#"href="/cases/{id}""#)),
            "{notice}"
        );
    }
    assert!(!notice.contains(&format!("TN-{}", app.seed.other.case_number())));
    assert!(
        !notice.contains("Musterfrau"),
        "no name in the warning: {notice}"
    );
}

/// A handover to Phase 2 with a note for the handover talk: the note and the person
/// responsible before are on the handover tab; the former key worker reads the case (as a
/// colleague of the team, or for the policy's 28 days from another team) and marks no
/// attendance on the group sheet, which only the person now responsible does.
#[tokio::test]
async fn after_a_handover_the_former_key_worker_reads_and_marks_no_attendance() {
    let app = TestApp::seeded().await;
    let own = app.seed.own;
    let coach = StaffMember {
        id: StaffId::from_uuid(Uuid::now_v7()),
        login: Text::parse("chris").unwrap(),
        display_name: Text::parse("Chris Coaching").unwrap(),
        roles: vec![Role::JobCoach],
        teams: vec![app.seed.sued],
        active: true,
    };
    let stamp = AuditStamp {
        actor: None,
        at: app.now(),
    };
    app.state.backend().save_staff(&coach, stamp).await.unwrap();
    app.state
        .set_password(coach.id, PASSWORD, None)
        .await
        .unwrap();
    let mut erika = app.login("erika").await;
    let ver = app.case(own).await.version.to_string();
    let to = coach.id.to_string();
    // The tab's GET form carries no free text; the note is asked on the confirmation page,
    // which also says how long the former key worker still reads the case.
    let tab = erika.get(&format!("/cases/{own}/handover")).await;
    assert!(!tab.body.contains("name=\"note\""), "{}", tab.body);
    let ask = erika
        .get(&format!(
            "/cases/{own}/handover/hand-over?version={ver}&target=phase2&to={to}&on=2026-03-16"
        ))
        .await;
    assert_eq!(ask.status, StatusCode::OK, "{}", ask.body);
    assert!(ask.body.contains("id=\"c-note\""), "{}", ask.body);
    assert!(ask.body.contains("noch 28 Tage"), "{}", ask.body);
    let res = erika
        .post(
            &format!("/cases/{own}/handover/hand-over"),
            &[
                ("version", ver.as_str()),
                ("target", "phase2"),
                ("to", to.as_str()),
                ("on", "2026-03-16"),
                (
                    "note",
                    "Frühstücksgruppe dienstags; Bewerbungsmappe liegt vor",
                ),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = erika.get(&format!("/cases/{own}/handover")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("Frühstücksgruppe dienstags; Bewerbungsmappe liegt vor"),
        "{}",
        page.body
    );
    assert!(page.body.contains("bisher: Erika"), "{}", page.body);
    // A session of the day; Erika's sheet does not offer the case, and a mark she sends
    // anyway is not recorded.
    let session = GroupSession {
        id: GroupSessionId::from_uuid(Uuid::now_v7()),
        kind: GroupSessionKind::Breakfast,
        date: app.local_now().date_naive(),
        title: Text::parse("Frühstück im Stadtteilladen").unwrap(),
    };
    app.state
        .backend()
        .save_group_session(&session, stamp)
        .await
        .unwrap();
    let sheet = format!("/groups/{}", session.id);
    let page = erika.get(&sheet).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains(&format!("a_{own}")), "{}", page.body);
    let mark = format!("a_{own}");
    let seen = format!("v_{own}");
    let ver = app.case(own).await.version.to_string();
    erika
        .post(
            &sheet,
            &[(mark.as_str(), "present"), (seen.as_str(), ver.as_str())],
        )
        .await;
    assert!(app.case(own).await.attendance.is_empty());
    // The person now responsible marks it.
    let mut chris = app.login("chris").await;
    let page = chris.get(&sheet).await;
    assert!(page.body.contains(&mark), "{}", page.body);
    let res = chris
        .post(
            &sheet,
            &[(mark.as_str(), "present"), (seen.as_str(), ver.as_str())],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(app.case(own).await.attendance.len(), 1);
    // Moved to another team, Erika reads the case for 28 days after the handover, read-only.
    let mut moved = app.seed.kw_nord.clone();
    moved.teams = vec![app.seed.sued];
    app.state
        .backend()
        .save_staff(
            &moved,
            AuditStamp {
                actor: None,
                at: app.now(),
            },
        )
        .await
        .unwrap();
    let mut erika = app.login("erika").await;
    let page = erika.get(&format!("/cases/{own}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let ver = app.case(own).await.version.to_string();
    let res = erika
        .post(
            &format!("/cases/{own}/enrolment/pause"),
            &[
                ("version", ver.as_str()),
                ("from", "2026-03-16"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    app.advance(chrono::Duration::days(29));
    let mut erika = app.login("erika").await;
    assert_eq!(
        erika.get(&format!("/cases/{own}")).await.status,
        StatusCode::NOT_FOUND,
        "the read-only period has ended"
    );
}

#[tokio::test]
async fn the_esf_questionnaire_prints_for_signature_and_is_logged_as_an_export() {
    let app = TestApp::seeded().await;
    let own = app.seed.own;
    let mut kw = app.login("erika").await;
    let page = kw.get(&format!("/cases/{own}/enrolment")).await;
    assert!(
        page.body
            .contains(&format!(r#"href="/cases/{own}/esf/questionnaire""#)),
        "linked from the ESF section"
    );
    let q = kw.get(&format!("/cases/{own}/esf/questionnaire")).await;
    assert_eq!(q.status, StatusCode::OK, "{}", q.body);
    for text in [
        "ESF-Plus-Fragebogen der Teilnahme",
        "Musterfrau",
        &format!("TN-{}", own.case_number()),
        "Eintrittsdatum",
        "10.03.2026",
        "noch nicht erfasst",
        "Unterschrift Teilnehmende*r",
        "Unterschrift Fachkraft",
    ] {
        assert!(q.body.contains(text), "{text} in {}", q.body);
    }
    let log = app.store.accesses(own).await.unwrap();
    assert!(
        log.iter()
            .any(|a| a.actor == app.seed.kw_nord.id && a.kind == AccessKind::Export),
        "{log:?}"
    );
    // The same questionnaire as PDF/A, linked from the print view; the download is an
    // export in the access log too.
    let pdf = format!("/cases/{own}/esf/questionnaire/pdf");
    assert!(
        q.body.contains(&pdf),
        "the PDF is linked from the print view"
    );
    let before = app.store.accesses(own).await.unwrap().len();
    let res = kw.get(&pdf).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.headers["content-type"], "application/pdf");
    let disposition = res.headers["content-disposition"].to_str().unwrap();
    assert_eq!(
        disposition,
        format!(
            "attachment; filename=\"esf-fragebogen-{}.pdf\"",
            own.case_number()
        )
    );
    let text = pdftotext(&res.bytes);
    for want in [
        "ESF-Plus-Fragebogen der Teilnahme",
        "Musterfrau",
        &format!("TN-{}", own.case_number()),
        "Unterschrift Teilnehmende*r",
    ] {
        assert!(text.contains(want), "{want} in {text}");
    }
    assert_eq!(app.store.accesses(own).await.unwrap().len(), before + 1);
    // A case the person may not know of is not found, as PDF too; so is one that never
    // entered.
    let other = app.seed.other;
    assert_eq!(
        kw.get(&format!("/cases/{other}/esf/questionnaire/pdf"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        kw.get(&format!("/cases/{other}/esf/questionnaire"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let outreach = outreach_case(&app, "Lena", false).await;
    assert_eq!(
        kw.get(&format!("/cases/{outreach}/esf/questionnaire"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

/// The statistics page shows core's tables over the storage's records (what the CLI's
/// `report statistics` prints); the downloads are for passing on and audited; bad input is
/// named next to its field or answered as a bad request; key workers see none of it.
#[tokio::test]
async fn the_team_lead_sees_statistics_with_charts_and_downloads_them_for_passing_on() {
    use wegbereiter_core::statistics::{Disclosure, Granularity, statistics, tables};
    let app = TestApp::seeded().await;
    let mut lead = app.login("lea").await;
    let page = lead.get("/").await;
    assert!(page.body.contains(r#"href="/reports/statistics""#));
    let res = lead
        .get("/reports/statistics?from=2026-01-01&to=2026-12-31&by=quarter")
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let records = app
        .store
        .statistics_records(d(2026, 1, 1), d(2026, 12, 31), EsfScope::All)
        .await
        .unwrap();
    let report = statistics(
        &records,
        d(2026, 1, 1),
        d(2026, 12, 31),
        EsfScope::All,
        Granularity::Quarter,
        &chrono_tz::Europe::Berlin,
    );
    assert!(report.total.referrals > 0);
    let names = |_: Option<TeamId>| String::new();
    for table in tables(&report, Disclosure::Internal, Lang::De, &names) {
        assert!(res.body.contains(&table.title), "{}", table.title);
        for row in &table.rows {
            if table.key == "teams" {
                continue;
            }
            let cells: String = row
                .cells
                .iter()
                .map(|c| format!(r#"<td class="num">{}</td>"#, c.text(Lang::De)))
                .collect();
            assert!(
                res.body
                    .contains(&format!("<th scope=\"row\">{}</th>{cells}", row.label)),
                "{} {}: {cells}",
                table.key,
                row.label
            );
        }
    }
    assert!(
        res.body.contains(r#"role="img""#) && res.body.contains("<desc id=\"chart-referrals-d\">")
    );
    assert!(!res.body.contains("Musterfrau") && !res.body.contains("Mustermann"));
    // The view for passing on: the seeded project's few cases are all "< 5".
    let published = lead
        .get("/reports/statistics?from=2026-01-01&to=2026-12-31&view=published")
        .await;
    assert_eq!(published.status, StatusCode::OK);
    assert!(published.body.contains("&#60; 5"), "{}", published.body);
    // Downloads: XLSX and CSV, small counts suppressed, each in the audit log.
    let xlsx = lead
        .get("/reports/statistics/export?from=2026-01-01&to=2026-12-31&format=xlsx")
        .await;
    assert_eq!(xlsx.status, StatusCode::OK, "{}", xlsx.body);
    assert!(xlsx.bytes.starts_with(b"PK"));
    assert_eq!(
        xlsx.headers["content-disposition"],
        r#"attachment; filename="statistik-20260101-20261231.xlsx""#
    );
    let csv = lead
        .get("/reports/statistics/export?from=2026-01-01&to=2026-12-31&format=csv")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.contains("Zuweisungen und Erreichung") && csv.body.contains("< 5"));
    let log = app.store.audit_log(20).await.unwrap();
    let exports = log
        .iter()
        .filter(|r| r.action == wegbereiter_storage::STATISTICS_EXPORTED)
        .count();
    assert_eq!(exports, 2, "{log:?}");
    // Bad input.
    for (bad, field) in [
        ("/reports/statistics?by=woche", "by"),
        ("/reports/statistics?from=2026-12-31&to=2026-01-01", "to"),
        ("/reports/statistics?from=2000-01-01&to=2026-01-01", "to"),
    ] {
        let res = lead.get(bad).await;
        assert_eq!(res.status, StatusCode::OK, "{bad}");
        assert!(
            res.body.contains(&format!(r#"id="err-esf-{field}""#)),
            "{bad}: {}",
            res.body
        );
    }
    for bad in [
        "/reports/statistics/export?format=pdf",
        "/reports/statistics/export?by=woche",
    ] {
        assert_eq!(lead.get(bad).await.status, StatusCode::BAD_REQUEST, "{bad}");
    }
    let sued = app.seed.sued;
    assert_eq!(
        lead.get(&format!("/reports/statistics?scope={sued}"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut kw = app.login("erika").await;
    assert_eq!(
        kw.get("/reports/statistics").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        kw.get("/reports/statistics/export").await.status,
        StatusCode::FORBIDDEN
    );
}

/// EECO17 in the ESF entry form: suggested from the client's postcode with the installation's
/// table (named with its source), "keine Angabe" without a table.
#[tokio::test]
async fn the_esf_entry_form_suggests_a_rural_area_from_the_postcode() {
    let app = TestApp::seeded().await;
    let kw = app.seed.kw_nord.as_actor();
    let id = CaseId::from_uuid(Uuid::now_v7());
    let now = app.local_now();
    let svc = service(&app);
    let mut r = referral("Anna", "Landprobe", d(2026, 3, 2));
    r.client.address = Some(Address {
        street: Text::parse("Dorfstraße 1").unwrap(),
        postcode: Postcode::parse("99001").unwrap(),
        city: Text::parse("Beispieldorf").unwrap(),
    });
    svc.execute(
        id,
        &Command::Refer {
            referral: r,
            team: Some(app.seed.nord),
        },
        &kw,
        now,
    )
    .await
    .unwrap();
    svc.execute(
        id,
        &Command::Enrol {
            on: d(2026, 3, 11),
            key_worker: kw.clone(),
            terms: ParticipationTerms::EXPLAINED,
            consent: EnrolmentConsent {
                id: ConsentId::from_uuid(Uuid::now_v7()),
                form: ConsentForm::Written,
                given_on: d(2026, 3, 11),
            },
        },
        &kw,
        now,
    )
    .await
    .unwrap();
    let mut c = app.login("erika").await;
    let page = c.get(&format!("/cases/{id}/enrolment")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(r#"name="rural_area""#), "{}", page.body);
    assert!(
        page.body
            .contains("keine Tabelle der ländlichen Postleitzahlen")
    );
    assert!(page.body.contains(r#"<option value="" selected>"#));
    let table =
        wegbereiter_core::esf::RuralPostcodes::parse("99001;3\n", "Testquelle DEGURBA").unwrap();
    app.store
        .set_rural_postcodes(
            Some(&table),
            AuditStamp {
                actor: None,
                at: app.local_now().to_utc(),
            },
        )
        .await
        .unwrap();
    let page = c.get(&format!("/cases/{id}/enrolment")).await;
    let field = &page.body[page.body.find(r#"name="rural_area""#).unwrap()..];
    let field = &field[..field.find("</div>").unwrap()];
    assert!(
        field.contains(r#"<option value="yes" selected>"#),
        "{field}"
    );
    assert!(field.contains("Testquelle DEGURBA"), "{field}");
}

/// The client's letter language, chosen on the outreach tab, adds a translation page to the
/// letter; an unreviewed translation is marked, and its PDF is made only when confirmed.
#[tokio::test]
async fn a_letter_in_the_clients_language_is_marked_unreviewed_and_printed_only_when_confirmed() {
    use wegbereiter_core::letter::LetterLanguage;

    let app = TestApp::seeded().await;
    let id = outreach_case(&app, "Oksana", true).await;
    let mut c = app.login("erika").await;
    let outreach = c.get(&format!("/cases/{id}/outreach")).await;
    assert!(
        outreach.body.contains("/outreach/letter-language"),
        "the choice is on the tab"
    );

    // An unknown language is a form error and changes nothing.
    let v = version(&app, id).await;
    let res = c
        .post(
            &format!("/cases/{id}/outreach/letter-language"),
            &[("version", &v), ("letter_language", "klingonisch")],
        )
        .await;
    assert_ne!(res.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(app.case(id).await.referral.client.letter_language, None);

    let res = c
        .post(
            &format!("/cases/{id}/outreach/letter-language"),
            &[("version", &v), ("letter_language", "uk")],
        )
        .await;
    assert!(res.status.is_redirection(), "{}", res.body);
    assert_eq!(
        app.case(id).await.referral.client.letter_language,
        Some(LetterLanguage::Ukrainian)
    );

    // The letter page: German letter, then the Ukrainian page, marked as unreviewed.
    let page = c
        .get(&format!("/cases/{id}/outreach/letters/1/print"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Ankündigung eines Hausbesuchs"));
    assert!(
        page.body.contains("Повідомлення про візит додому"),
        "{}",
        page.body
    );
    assert!(page.body.contains("lang=\"uk\""));
    assert!(page.body.contains("noch nicht von einer Person geprüft"));
    // The outreach tab sends the PDF through the confirmation.
    let outreach = c.get(&format!("/cases/{id}/outreach")).await;
    assert!(outreach.body.contains("PDF (Übersetzung bestätigen)"));

    // Unconfirmed: no PDF, the page again with core's sentence (409).
    let pdf = format!("/cases/{id}/outreach/letters/1/pdf");
    let refused = c.get(&pdf).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused.body.contains("Die Übersetzung (Ukrainisch)"),
        "{}",
        refused.body
    );
    // Confirmed: the bilingual PDF.
    let res = c.get(&format!("{pdf}?translation=uk&confirm=1")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.headers["content-type"], "application/pdf");
    assert!(
        res.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("-de-uk.pdf")
    );
    // Without a translation (German only) no confirmation is needed.
    let res = c.get(&format!("{pdf}?translation=none")).await;
    assert_eq!(res.status, StatusCode::OK);
    // Arabic is set right to left on the page.
    let ar = c
        .get(&format!(
            "/cases/{id}/outreach/letters/1/print?translation=ar"
        ))
        .await;
    assert!(ar.body.contains("dir=\"rtl\""));
    assert_eq!(
        c.get(&format!(
            "/cases/{id}/outreach/letters/1/print?translation=xx"
        ))
        .await
        .status,
        StatusCode::BAD_REQUEST
    );

    // Back to German only.
    let v = version(&app, id).await;
    c.post(
        &format!("/cases/{id}/outreach/letter-language"),
        &[("version", &v), ("letter_language", "")],
    )
    .await;
    assert_eq!(app.case(id).await.referral.client.letter_language, None);
    let page = c
        .get(&format!("/cases/{id}/outreach/letters/1/print"))
        .await;
    assert!(!page.body.contains("Повідомлення"));
}
