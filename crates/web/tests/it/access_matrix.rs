//! The access matrix: each role × each route × own/other team.

use axum::http::StatusCode;

use wegbereiter_core::contact::NoteCompartment;

use crate::helpers::TestApp;

const S200: u16 = 200;
const S303: u16 = 303;
const S403: u16 = 403;
const S404: u16 = 404;

/// GET routes with `{own}` (a case of team Nord assigned to erika) and `{other}` (team Süd).
fn get_routes() -> Vec<&'static str> {
    vec![
        "/",
        "/cases",
        "/cases?q=Muster",
        "/cases/new",
        "/cases/{own}",
        "/cases/{own}/outreach",
        "/cases/{own}/enrolment",
        "/cases/{own}/social",
        "/cases/{own}/goals",
        "/cases/{own}/contacts",
        "/cases/{own}/referrals",
        "/cases/{own}/handover",
        "/cases/{own}/closure",
        "/cases/{own}/history",
        "/cases/{own}/feedback",
        "/cases/{own}/print",
        "/cases/{own}/print/pdf",
        "/cases/{other}",
        "/cases/{other}/outreach",
        "/cases/{other}/enrolment",
        "/cases/{other}/social",
        "/cases/{other}/goals",
        "/cases/{other}/contacts",
        "/cases/{other}/referrals",
        "/cases/{other}/handover",
        "/cases/{other}/closure",
        "/cases/{other}/history",
        "/cases/{other}/feedback",
        "/cases/{other}/print",
        "/cases/{other}/print/pdf",
        "/groups",
        "/groups/{group}",
        "/services",
        "/admin",
        "/admin/staff",
        "/admin/staff/{staff}",
        "/admin/teams",
        "/admin/services",
        "/audit",
        "/reports/esf",
        "/reports/esf/members?count=entries",
    ]
}

/// Expected status for a role on a route.
fn expected(role: &str, route: &str) -> u16 {
    if route.starts_with("/reports/esf") {
        // Counts of the teams for the team lead who reports them; nobody else.
        return if role == "lea" { S200 } else { S403 };
    }
    let own = route.contains("{own}");
    let other = route.contains("{other}");
    let case_worker = matches!(role, "erika" | "jonas" | "jana" | "lea" | "paula");
    match role {
        "admin" => match route {
            "/" => S303,
            r if r.starts_with("/admin") || r == "/services" => S200,
            _ => S403,
        },
        "dora" => match route {
            "/" => S303,
            "/audit" => S200,
            _ => S403,
        },
        "sami" => {
            if own {
                S404
            } else if other {
                S200
            } else if route.starts_with("/admin") || route == "/audit" {
                S403
            } else {
                S200
            }
        }
        _ if case_worker => {
            if other {
                S404
            } else if route.starts_with("/admin") || route == "/audit" {
                S403
            } else {
                S200
            }
        }
        _ => unreachable!(),
    }
}

/// Every account of the seed: key workers of both teams, a key worker who is also a job
/// coach, a job coach only, the team lead, the psychologist, the administrator and the
/// data-protection officer.
const ROLES: [&str; 8] = [
    "erika", "jonas", "jana", "lea", "paula", "sami", "admin", "dora",
];

/// A Phase 2 group session to open; its id.
async fn seed_group_session(app: &TestApp) -> String {
    use wegbereiter_core::prelude::*;
    let session = GroupSession {
        id: GroupSessionId::from_uuid(uuid::Uuid::now_v7()),
        kind: GroupSessionKind::Breakfast,
        date: chrono::NaiveDate::from_ymd_opt(2026, 3, 16).unwrap(),
        title: Text::parse("Frühstück").unwrap(),
    };
    app.state
        .backend()
        .save_group_session(
            &session,
            wegbereiter_core::ports::AuditStamp {
                actor: None,
                at: app.now(),
            },
        )
        .await
        .unwrap();
    session.id.to_string()
}

#[tokio::test]
async fn every_role_on_every_get_route() {
    let app = TestApp::seeded().await;
    let own = app.seed.own.to_string();
    let other = app.seed.other.to_string();
    let mut failures = Vec::new();
    let group = seed_group_session(&app).await;
    let staff = app.seed.kw_nord.id.to_string();
    for role in ROLES {
        let mut c = app.login(role).await;
        for route in get_routes() {
            let path = route
                .replace("{own}", &own)
                .replace("{other}", &other)
                .replace("{group}", &group)
                .replace("{staff}", &staff);
            let res = c.get(&path).await;
            let want = expected(role, route);
            if res.status.as_u16() != want {
                failures.push(format!(
                    "{role} GET {route}: got {}, want {want}",
                    res.status
                ));
            }
            if res.status == StatusCode::OK && route.contains("{other}") {
                let text = if route.ends_with("/pdf") {
                    crate::followups::pdftotext(&res.bytes)
                } else {
                    res.body.clone()
                };
                assert!(text.contains("Mustermann"), "{role} {route}");
            }
            if res.status.as_u16() >= 400 {
                // Never data: the refused page does not contain the client's name.
                assert!(
                    !res.body.contains("Musterfrau") && !res.body.contains("Mustermann"),
                    "{role} {route} leaked"
                );
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn not_signed_in_every_route_leads_to_sign_in() {
    let app = TestApp::seeded().await;
    let own = app.seed.own.to_string();
    let mut c = app.anonymous().await;
    for route in get_routes() {
        let path = route
            .replace("{own}", &own)
            .replace("{other}", &own)
            .replace("{group}", &own)
            .replace("{staff}", &own);
        let res = c.get(&path).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{route}");
        assert_eq!(res.location.as_deref(), Some("/login"), "{route}");
    }
}

/// POST routes of the case file with a minimal valid-looking form (the rule check comes
/// after the access check, so only the status class matters here).
fn post_routes() -> Vec<(&'static str, bool)> {
    // (route, needs team lead)
    vec![
        ("/cases/{id}/outreach/announce", false),
        ("/cases/{id}/outreach/letter-language", false),
        ("/cases/{id}/outreach/attempt", false),
        ("/cases/{id}/outreach/decline", false),
        ("/cases/{id}/outreach/not-reached", false),
        ("/cases/{id}/enrolment/enrol", false),
        ("/cases/{id}/enrolment/extend", false),
        ("/cases/{id}/enrolment/pause", false),
        ("/cases/{id}/enrolment/resume", false),
        ("/cases/{id}/enrolment/consent", false),
        ("/cases/{id}/enrolment/withdraw", false),
        ("/cases/{id}/enrolment/esf", false),
        ("/cases/{id}/social/assess", false),
        ("/cases/{id}/goals/agree", false),
        ("/cases/{id}/goals/rate", false),
        ("/cases/{id}/goals/update", false),
        ("/cases/{id}/contacts/record", false),
        ("/cases/{id}/referrals/create", false),
        ("/cases/{id}/referrals/status", false),
        ("/cases/{id}/referrals/release", false),
        ("/cases/{id}/referrals/release/withdraw", false),
        ("/cases/{id}/referrals/disclose", false),
        ("/cases/{id}/goals/edit", false),
        ("/cases/{id}/handover/hand-over", false),
        ("/cases/{id}/handover/reassign", true),
        ("/cases/{id}/handover/team", true),
        ("/cases/{id}/closure/close", false),
        ("/cases/{id}/closure/reopen", true),
        ("/cases/{id}/closure/result", false),
    ]
}

#[tokio::test]
async fn every_role_on_every_post_route() {
    let app = TestApp::seeded().await;
    let own = app.seed.own.to_string();
    let other = app.seed.other.to_string();
    let before_own = app.case(app.seed.own).await.version;
    let mut failures = Vec::new();
    for role in ROLES {
        let mut c = app.login(role).await;
        for (route, lead) in post_routes() {
            for (which, id) in [("own", &own), ("other", &other)] {
                let path = route.replace("{id}", id);
                // An empty form: allowed people get the form back (422) or a 400 for a
                // missing version; nobody else gets anything but 403/404.
                let res = c.post(&path, &[("version", "1")]).await;
                let got = res.status.as_u16();
                let allowed = match (role, which) {
                    ("admin" | "dora", _) => false,
                    ("erika", "own") | ("sami", "other") => !lead,
                    ("lea", "own") => lead,
                    ("paula", "own") => route.ends_with("/contacts/record"),
                    _ => false,
                };
                let want_refusal = match (role, which) {
                    ("admin" | "dora", _) => S403,
                    ("erika" | "jonas" | "jana" | "lea" | "paula", "other") | ("sami", "own") => {
                        S404
                    }
                    _ => S403,
                };
                let ok = if allowed {
                    got == 422 || got == 409
                } else {
                    got == want_refusal
                };
                if !ok {
                    failures.push(format!(
                        "{role} POST {route} ({which}): got {got}, allowed={allowed}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        app.case(app.seed.own).await.version,
        before_own,
        "nothing may be written"
    );
}

#[tokio::test]
async fn admin_and_group_posts_are_role_checked() {
    let app = TestApp::seeded().await;
    let group = seed_group_session(&app).await;
    let edit_staff = format!("/admin/staff/{}", app.seed.kw_nord.id);
    for role in ["erika", "jana", "lea", "paula", "sami", "dora"] {
        let mut c = app.login(role).await;
        for path in [
            "/admin/staff",
            "/admin/teams",
            "/admin/services",
            edit_staff.as_str(),
        ] {
            assert_eq!(
                c.post(path, &[("name", "X")]).await.status,
                StatusCode::FORBIDDEN,
                "{role} {path}"
            );
        }
    }
    for role in ["admin", "dora"] {
        let mut c = app.login(role).await;
        for path in ["/groups".to_owned(), format!("/groups/{group}")] {
            assert_eq!(
                c.post(&path, &[("title", "X")]).await.status,
                StatusCode::FORBIDDEN,
                "{role} {path}"
            );
        }
    }
    // Nothing changed: the staff member is as seeded.
    let erika = app
        .state
        .backend()
        .staff(app.seed.kw_nord.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(erika, app.seed.kw_nord);
    let mut admin = app.login("admin").await;
    assert_eq!(
        admin.post("/cases/new", &[]).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn only_psychologists_read_the_psychologist_compartment() {
    let app = TestApp::seeded().await;
    let path = format!("/cases/{}/contacts", app.seed.own);
    let history = format!("/cases/{}/history", app.seed.own);
    let print = format!("/cases/{}/print", app.seed.own);
    for role in ["erika", "jonas", "jana", "lea"] {
        let mut c = app.login(role).await;
        for p in [&path, &history, &print] {
            let res = c.get(p).await;
            assert_eq!(res.status, StatusCode::OK);
            assert!(
                !res.body.contains("VERTRAULICHE-PSYCHOLOGISCHE-NOTIZ"),
                "{role} sees the note on {p}"
            );
        }
    }
    // The timeline (core's case-file model) names the withheld contact without its kind.
    let mut erika = app.login("erika").await;
    let res = erika.get(&history).await;
    assert!(
        res.body.contains("Kontakt (psychologischer Bereich)"),
        "{}",
        res.body
    );
    let mut paula = app.login("paula").await;
    let res = paula.get(&history).await;
    assert!(!res.body.contains("Kontakt (psychologischer Bereich)"));
    let res = paula.get(&path).await;
    assert!(res.body.contains("VERTRAULICHE-PSYCHOLOGISCHE-NOTIZ"));
    // Every contact says who documented it.
    assert!(res.body.contains("Dokumentiert von"), "{}", res.body);
    // The printout may leave the office: the compartment never goes on paper.
    let res = paula.get(&print).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(!res.body.contains("VERTRAULICHE-PSYCHOLOGISCHE-NOTIZ"));
    // Nor in the case summary as PDF, which shows the case file on paper.
    let res = paula.get(&format!("{print}/pdf")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.headers["content-type"], "application/pdf");
    let text = crate::followups::pdftotext(&res.bytes);
    assert!(text.contains("Fallübersicht"), "{text}");
    assert!(
        !text.contains("VERTRAULICHE-PSYCHOLOGISCHE-NOTIZ"),
        "{text}"
    );
    // A psychologist may write into the compartment, but not into the team's notes of a
    // case not assigned to her: sharing a note with the team is refused (core's policy).
    let v = app.case(app.seed.own).await.version.to_string();
    let contact = |share: bool| {
        let mut fields = vec![
            ("version", v.clone()),
            ("date", "2026-03-16".to_owned()),
            ("duration", "30".to_owned()),
            ("kind", "office".to_owned()),
            ("note", "NOTIZ-DER-PSYCHOLOGIN".to_owned()),
        ];
        if share {
            fields.push(("share_with_team", "yes".to_owned()));
        }
        fields
    };
    let shared = contact(true);
    let fields: Vec<(&str, &str)> = shared.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        paula
            .post(&format!("/cases/{}/contacts/record", app.seed.own), &fields)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Without the tick, her note lands in the psychologist compartment by default.
    let own = contact(false);
    let fields: Vec<(&str, &str)> = own.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        paula
            .post(&format!("/cases/{}/contacts/record", app.seed.own), &fields)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let case = app.case(app.seed.own).await;
    let written = case.contacts.last().unwrap();
    assert_eq!(written.compartment, NoteCompartment::Psychologist);
    // The form offers the choice to her, clearly labelled, unticked.
    let form = paula
        .get(&format!("/cases/{}/contacts", app.seed.own))
        .await;
    assert!(
        form.body.contains("Notiz mit dem Fallteam teilen"),
        "{}",
        form.body
    );
    assert!(!form.body.contains(
        "name=\"share_with_team\" value=\"yes\" aria-describedby=\"con-share-h\" checked"
    ));
}

#[tokio::test]
async fn every_view_of_a_case_file_is_in_the_access_log() {
    use wegbereiter_core::ports::{AccessKind, AccessLog};
    let app = TestApp::seeded().await;
    let mut c = app.login("lea").await;
    for section in ["", "/goals", "/history", "/feedback", "/print"] {
        assert_eq!(
            c.get(&format!("/cases/{}{section}", app.seed.own))
                .await
                .status,
            StatusCode::OK
        );
    }
    let log = app.store.accesses(app.seed.own).await.unwrap();
    let kinds: Vec<AccessKind> = log
        .iter()
        .filter(|a| a.actor == app.seed.lead_nord.id)
        .map(|a| a.kind)
        .collect();
    assert_eq!(
        kinds,
        vec![
            AccessKind::View,
            AccessKind::View,
            AccessKind::History,
            AccessKind::JobcenterFeedback,
            AccessKind::Export
        ]
    );
    // A refused view is not logged as a view.
    let mut sami = app.login("sami").await;
    assert_eq!(
        sami.get(&format!("/cases/{}", app.seed.own)).await.status,
        StatusCode::NOT_FOUND
    );
    let log = app.store.accesses(app.seed.own).await.unwrap();
    assert!(log.iter().all(|a| a.actor != app.seed.kw_sued.id));
    // The data-protection officer reads the access log.
    let mut dora = app.login("dora").await;
    let no = app.seed.own.as_uuid().simple().to_string();
    let res = dora
        .get(&format!("/audit?case={}", &no[no.len() - 10..]))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("Lea Leitung") && res.body.contains("Verlauf angesehen"));
    assert!(!res.body.contains("Musterfrau"));
}

#[tokio::test]
async fn a_refused_right_is_named_on_the_403_page() {
    use wegbereiter_core::Lang;
    use wegbereiter_core::access::Right;
    let app = TestApp::seeded().await;
    let own = app.seed.own.to_string();
    // erika is the key worker of the case but no team lead; jonas is of the same team but
    // not assigned.
    for (role, route, right) in [
        ("erika", "/cases/{id}/handover/reassign", Right::Lead),
        ("jonas", "/cases/{id}/goals/agree", Right::ChangeContent),
    ] {
        let mut c = app.login(role).await;
        let res = c
            .post(&route.replace("{id}", &own), &[("version", "1")])
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{role} {route}");
        assert!(
            res.body.contains(right.refusal(Lang::De)),
            "{role} {route}: {}",
            res.body
        );
    }
}
