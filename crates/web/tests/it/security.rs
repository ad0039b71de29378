//! CSRF, sessions (idle timeout with an injected clock), throttling, headers, cookies.

use axum::http::{StatusCode, header};

use crate::helpers::{PASSWORD, TestApp};

#[tokio::test]
async fn post_without_or_with_a_wrong_csrf_token_is_refused_with_a_friendly_page() {
    let app = TestApp::seeded().await;
    let mut c = app.login("erika").await;
    let before = app.case(app.seed.own).await.version;
    let path = format!("/cases/{}/enrolment/extend", app.seed.own);
    let v = before.to_string();
    let fields = [
        ("version", v.as_str()),
        ("until", "2026-07-01"),
        ("reason", "Schuldnerberatung"),
    ];
    let missing = c.post_raw(&path, &fields).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert!(
        missing.body.contains("Formular abgelaufen"),
        "{}",
        missing.body
    );
    let mut wrong = vec![("_csrf", "0123456789abcdef")];
    wrong.extend_from_slice(&fields);
    let wrong = c.post_raw(&path, &wrong).await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.case(app.seed.own).await.version,
        before,
        "nothing saved"
    );
    // The same form with the right token is accepted.
    assert_eq!(c.post(&path, &fields).await.status, StatusCode::SEE_OTHER);
    // Sign-in itself needs the token too.
    let mut anon = app.anonymous().await;
    let res = anon
        .post_raw("/login", &[("login", "erika"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // Another session's token does not work.
    let mut other = app.login("jonas").await;
    other.csrf = c.csrf.clone();
    assert_eq!(
        other.post("/logout", &[]).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn idle_sessions_expire_by_the_injected_clock() {
    let app = TestApp::seeded().await;
    let mut c = app.login("erika").await;
    app.advance(chrono::Duration::minutes(29));
    assert_eq!(
        c.get("/").await.status,
        StatusCode::OK,
        "activity within the timeout"
    );
    app.advance(chrono::Duration::minutes(29));
    assert_eq!(
        c.get("/").await.status,
        StatusCode::OK,
        "the timeout slides with activity"
    );
    app.advance(chrono::Duration::minutes(31));
    let res = c.get("/").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location.as_deref(), Some("/login"));
    let page = c.get("/login").await;
    assert!(page.body.contains("Inaktivität"), "{}", page.body);
}

#[tokio::test]
async fn sign_out_ends_the_session() {
    let app = TestApp::seeded().await;
    let mut c = app.login("erika").await;
    let cookie = c.cookie.clone();
    let res = c.post("/logout", &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    c.cookie = cookie;
    let res = c.get("/").await;
    assert_eq!(
        res.status,
        StatusCode::SEE_OTHER,
        "the old cookie is worthless"
    );
}

#[tokio::test]
async fn sign_in_is_throttled_after_five_failures() {
    let app = TestApp::seeded().await;
    let mut c = app.anonymous().await;
    for _ in 0..5 {
        let res = c
            .post(
                "/login",
                &[("login", "erika"), ("password", "falsch-falsch")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        assert!(res.body.contains("Anmeldename oder Passwort ist falsch"));
    }
    let res = c
        .post("/login", &[("login", "Erika"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        res.body
            .contains("Zu viele fehlgeschlagene Anmeldeversuche"),
        "{}",
        res.body
    );
    // Other names are not affected.
    assert_eq!(
        c.post("/login", &[("login", "jonas"), ("password", PASSWORD)])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    app.advance(chrono::Duration::minutes(16));
    let mut c = app.anonymous().await;
    assert_eq!(
        c.post("/login", &[("login", "erika"), ("password", PASSWORD)])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn unknown_names_and_deactivated_staff_cannot_sign_in() {
    let app = TestApp::seeded().await;
    let mut c = app.anonymous().await;
    assert_eq!(
        c.post("/login", &[("login", "niemand"), ("password", PASSWORD)])
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let mut admin = app.login("admin").await;
    let mut erika = app.login("erika").await;
    let path = format!("/admin/staff/{}", app.seed.kw_nord.id);
    let team = app.seed.nord.to_string();
    let res = admin
        .post(
            &path,
            &[
                ("display_name", "Erika Beispiel"),
                ("login", "erika"),
                ("roles", "key_worker"),
                ("teams", &team),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // Deactivated: the running session ends at once, and sign-in fails.
    assert_eq!(erika.get("/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        c.post("/login", &[("login", "erika"), ("password", PASSWORD)])
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn security_headers_and_cookie_flags() {
    let app = TestApp::seeded().await;
    let mut c = app.anonymous().await;
    let res = c.get("/login").await;
    let h = &res.headers;
    let csp = h
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(h.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
    assert!(h.get(header::REFERRER_POLICY).is_some());
    // A fresh client gets a session cookie with HttpOnly and SameSite.
    let router = app.router();
    let res = tower::ServiceExt::oneshot(
        router,
        axum::http::Request::get("/login")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .unwrap();
    let cookie = res
        .headers()
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain-http localhost");
    let secure = wegbereiter_web::AppState::new(
        app.store.clone(),
        Default::default(),
        true,
        chrono::Duration::minutes(30),
    );
    let res = tower::ServiceExt::oneshot(
        wegbereiter_web::router(secure),
        axum::http::Request::get("/login")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .unwrap();
    let cookie = res
        .headers()
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.contains("Secure"), "{cookie}");
    // No inline style or script in any page.
    let mut erika = app.login("erika").await;
    for path in [
        "/",
        format!("/cases/{}/goals", app.seed.own).as_str(),
        "/cases/new",
    ] {
        let body = erika.get(path).await.body;
        assert!(
            !body.contains("style=") && !body.contains("<script") && !body.contains("<style"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_session_id_changes_at_sign_in() {
    let app = TestApp::seeded().await;
    // An id the attacker knows (here: of a session that ended) planted in the victim's
    // browser is not taken over: the sign-in makes a new one.
    let mut jonas = app.login("jonas").await;
    let planted = jonas.cookie.clone().unwrap();
    jonas.post("/logout", &[]).await;
    let mut c = app.anonymous().await;
    assert!(c.cookie.is_none(), "no session before sign-in");
    c.cookie = Some(planted.clone());
    let res = c
        .post("/login", &[("login", "erika"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let after = c.cookie.clone().unwrap();
    assert_ne!(after, planted);
    // Signing in again gives yet another id.
    let again = app.login("erika").await;
    assert_ne!(again.cookie.clone().unwrap(), after);
}

#[tokio::test]
async fn every_kind_of_post_refuses_a_wrong_csrf_token_and_writes_nothing() {
    let app = TestApp::seeded().await;
    let wrong = ("_csrf", "0123456789abcdef0123456789abcdef");
    let staff_before = app.state.backend().list_staff().await.unwrap();
    let teams_before = app.state.backend().list_teams().await.unwrap();
    let services_before = app.state.backend().list_services().await.unwrap();
    let sessions_before = app.state.backend().list_group_sessions().await.unwrap();
    let cases_before = app.store.case_count().await.unwrap();
    // (who, where, what)
    type Post<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);
    let posts: &[Post] = &[
        (
            "admin",
            "/admin/staff",
            &[("login", "neu"), ("display_name", "Neu")],
        ),
        (
            "admin",
            "/admin/teams",
            &[("form", "team"), ("name", "Team West")],
        ),
        (
            "admin",
            "/admin/services",
            &[
                ("form", "service"),
                ("name", "Suchtberatung"),
                ("kind", "addiction_counselling"),
            ],
        ),
        (
            "erika",
            "/groups",
            &[
                ("kind", "breakfast"),
                ("date", "2026-03-16"),
                ("title", "Frühstück"),
            ],
        ),
        (
            "erika",
            "/cases/new",
            &[("given_name", "Neu"), ("family_name", "Person")],
        ),
        ("erika", "/lang", &[("lang", "en"), ("back", "/")]),
    ];
    for (who, path, fields) in posts {
        let mut c = app.login(who).await;
        let mut all = vec![wrong];
        all.extend_from_slice(fields);
        let res = c.post_raw(path, &all).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{who} {path}");
        assert!(res.body.contains("Formular abgelaufen"), "{who} {path}");
        // The language did not change either.
        if *path == "/lang" {
            assert!(c.get("/").await.body.contains("lang=\"de\""));
        }
    }
    // First-run setup on an empty database needs the token too.
    let empty = TestApp::empty().await;
    let mut anon = empty.anonymous().await;
    let res = anon
        .post_raw(
            "/setup",
            &[
                wrong,
                ("login", "chefin"),
                ("display_name", "Chefin"),
                ("password", PASSWORD),
                ("password2", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(empty.state.backend().list_staff().await.unwrap().is_empty());
    assert_eq!(
        app.state.backend().list_staff().await.unwrap(),
        staff_before
    );
    assert_eq!(
        app.state.backend().list_teams().await.unwrap(),
        teams_before
    );
    assert_eq!(
        app.state.backend().list_services().await.unwrap(),
        services_before
    );
    assert_eq!(
        app.state.backend().list_group_sessions().await.unwrap(),
        sessions_before
    );
    assert_eq!(app.store.case_count().await.unwrap(), cases_before);
}

/// The attack that worked before: a stranger types wrong passwords for a colleague's name
/// until the name is locked. Now the stranger's own address slows down (exponentially),
/// while the colleague signs in from elsewhere at once.
#[tokio::test]
async fn a_stranger_cannot_lock_a_colleague_out() {
    let app = TestApp::seeded().await;
    let mut stranger = app.anonymous().await;
    stranger.address = Some("203.0.113.66".into());
    let mut refused = 0;
    for _ in 0..50 {
        let res = stranger
            .post(
                "/login",
                &[("login", "erika"), ("password", "falsch-falsch")],
            )
            .await;
        match res.status {
            StatusCode::UNAUTHORIZED => {}
            StatusCode::TOO_MANY_REQUESTS => refused += 1,
            other => panic!("unexpected {other}"),
        }
        app.advance(chrono::Duration::seconds(1));
    }
    assert!(refused >= 40, "the stranger is slowed down: {refused}");
    // Even the right password waits at the stranger's address.
    let res = stranger
        .post("/login", &[("login", "erika"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(res.body.contains("Minute"), "{}", res.body);
    // Erika at her own desk signs in at once.
    let mut erika = app.anonymous().await;
    erika.address = Some("192.0.2.10".into());
    let res = erika
        .post("/login", &[("login", "erika"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // The delay grows with every failure but is bounded: after it, the address may try again.
    app.advance(chrono::Duration::minutes(16));
    let res = stranger
        .post("/login", &[("login", "erika"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
}

/// Failures from many addresses (a distributed guess) refuse new addresses for that name,
/// but never an address the person signed in from before; an administrator lifts the
/// throttle at once, and that is audited.
#[tokio::test]
async fn a_distributed_guess_spares_known_addresses_and_an_administrator_lifts_it() {
    let app = TestApp::seeded().await;
    let mut erika = app.anonymous().await;
    erika.address = Some("192.0.2.10".into());
    let res = erika
        .post("/login", &[("login", "erika"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    for i in 0..25_u32 {
        let mut bot = app.anonymous().await;
        bot.address = Some(format!("198.51.100.{i}"));
        let res = bot
            .post(
                "/login",
                &[("login", "erika"), ("password", "falsch-falsch")],
            )
            .await;
        // From the twentieth address on, new addresses are not even asked for a password.
        let expected = if i < 20 {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(res.status, expected, "bot {i}");
    }
    let mut laptop = app.anonymous().await;
    laptop.address = Some("192.0.2.99".into());
    let res = laptop
        .post("/login", &[("login", "erika"), ("password", PASSWORD)])
        .await;
    assert_eq!(
        res.status,
        StatusCode::TOO_MANY_REQUESTS,
        "a new address waits"
    );
    let mut desk = app.anonymous().await;
    desk.address = Some("192.0.2.10".into());
    let res = desk
        .post("/login", &[("login", "erika"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "a known address works");

    let mut admin = app.login("admin").await;
    let page = admin
        .get(&format!("/admin/staff/{}", app.seed.kw_nord.id))
        .await;
    assert!(page.body.contains("Sperre aufheben"));
    let res = admin
        .post(
            &format!("/admin/staff/{}/throttle", app.seed.kw_nord.id),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let res = laptop
        .post("/login", &[("login", "erika"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "lifted");
    let log = app.store.audit_log(10).await.unwrap();
    assert!(log.iter().any(|r| r.action == "staff.throttle_lifted"
        && r.actor == Some(app.seed.admin.id)
        && r.subject.contains(&app.seed.kw_nord.id.to_string())));
    // Only administrators lift throttles.
    let mut lead = app.login("lea").await;
    let res = lead
        .post(
            &format!("/admin/staff/{}/throttle", app.seed.kw_nord.id),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

/// A password reset and a role change end every running session of the person; the
/// administrator who changes their own password stays signed in.
#[tokio::test]
async fn new_passwords_and_roles_end_running_sessions() {
    let app = TestApp::seeded().await;
    let mut admin = app.login("admin").await;
    let mut erika = app.login("erika").await;
    let mut erika_at_home = app.login("erika").await;
    let path = format!("/admin/staff/{}", app.seed.kw_nord.id);
    let team = app.seed.nord.to_string();
    let res = admin
        .post(
            &path,
            &[
                ("display_name", "Erika Beispiel"),
                ("login", "erika"),
                ("roles", "key_worker"),
                ("teams", &team),
                ("active", "yes"),
                ("password", "Ein-neues-Passwort-1"),
                ("password2", "Ein-neues-Passwort-1"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    for c in [&mut erika, &mut erika_at_home] {
        let res = c.get("/").await;
        assert_eq!(res.location.as_deref(), Some("/login"));
    }
    // A role removed: signed out as well.
    let mut jonas = app.login("jonas").await;
    assert_eq!(jonas.get("/").await.status, StatusCode::OK);
    let jonas_path = format!("/admin/staff/{}", app.seed.kw_nord2.id);
    let res = admin
        .post(
            &jonas_path,
            &[
                ("display_name", app.seed.kw_nord2.display_name.as_str()),
                ("login", "jonas"),
                ("roles", "key_worker"),
                ("teams", &team),
                ("active", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(jonas.get("/").await.location.as_deref(), Some("/login"));
    // The administrator changed no own right and is still signed in; changing the own
    // password keeps them signed in in a fresh session.
    assert_eq!(admin.get("/admin").await.status, StatusCode::OK);
    let admin_path = format!("/admin/staff/{}", app.seed.admin.id);
    admin.refresh_csrf().await;
    let res = admin
        .post(
            &admin_path,
            &[
                ("display_name", "Ada Admin"),
                ("login", "admin"),
                ("roles", "administrator"),
                ("active", "yes"),
                ("password", "Ein-neues-Passwort-2"),
                ("password2", "Ein-neues-Passwort-2"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(admin.get("/admin").await.status, StatusCode::OK);
}

/// However active the person is, a sign-in ends after its absolute lifetime (12 hours).
#[tokio::test]
async fn a_sign_in_ends_after_its_absolute_lifetime() {
    let app = TestApp::seeded().await;
    let mut erika = app.login("erika").await;
    for _ in 0..36 {
        app.advance(chrono::Duration::minutes(20));
        assert_eq!(erika.get("/").await.status, StatusCode::OK);
    }
    app.advance(chrono::Duration::minutes(20));
    let res = erika.get("/").await;
    assert_eq!(res.location.as_deref(), Some("/login"));
    let res = erika.get("/login").await;
    assert!(res.body.contains("Höchstdauer"), "{}", res.body);
}

#[tokio::test]
async fn hsts_only_with_secure_cookies() {
    let app = TestApp::seeded().await;
    let mut c = app.anonymous().await;
    let res = c.get("/login").await;
    assert!(!res.headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
    let secure = wegbereiter_web::AppState::new(
        app.store.clone(),
        Default::default(),
        true,
        chrono::Duration::minutes(30),
    );
    let res = tower::ServiceExt::oneshot(
        wegbereiter_web::router(secure),
        axum::http::Request::get("/login")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(
        res.headers()
            .get(header::STRICT_TRANSPORT_SECURITY)
            .and_then(|v| v.to_str().ok()),
        Some("max-age=31536000")
    );
}

/// The CSRF token of the sign-in form is worthless after the sign-in.
#[tokio::test]
async fn the_csrf_token_changes_at_sign_in() {
    let app = TestApp::seeded().await;
    let mut c = app.anonymous().await;
    let before = c.csrf.clone();
    c.post("/login", &[("login", "erika"), ("password", PASSWORD)])
        .await;
    c.refresh_csrf().await;
    assert_ne!(c.csrf, before);
    let res = c
        .post_raw("/lang", &[("_csrf", before.as_str()), ("to", "en")])
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

/// A flood of failed sign-ins by strangers neither hides an administrator's action nor
/// cuts the log off: the failures are one counted line per name and hour, the log pages,
/// and the filters find the administrator's lines; role grants name the role; reads show
/// the reader as named at the time.
#[tokio::test]
async fn the_audit_page_pages_filters_and_names_what_happened() {
    let app = TestApp::seeded().await;
    let mut admin = app.login("admin").await;
    let path = format!("/admin/staff/{}", app.seed.kw_nord.id);
    let team = app.seed.nord.to_string();
    let res = admin
        .post(
            &path,
            &[
                ("display_name", "Erika Beispiel"),
                ("login", "erika"),
                ("roles", "key_worker"),
                ("roles", "job_coach"),
                ("teams", &team),
                ("active", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let mut erika = app.login("erika").await;
    erika.get(&format!("/cases/{}", app.seed.own)).await;
    for i in 0..210 {
        let mut stranger = app.anonymous().await;
        stranger.address = Some(format!("203.0.113.{}", i % 200));
        stranger
            .post(
                "/login",
                &[("login", &format!("name{}", i % 150)), ("password", "x")],
            )
            .await;
    }
    for _ in 0..7 {
        let mut stranger = app.anonymous().await;
        stranger
            .post("/login", &[("login", "erika"), ("password", "falsch")])
            .await;
    }
    // Erika is renamed afterwards; her read keeps the old name.
    let res = admin
        .post(
            &path,
            &[
                ("display_name", "Erika Umbenannt"),
                ("login", "erika.neu"),
                ("roles", "key_worker"),
                ("roles", "job_coach"),
                ("teams", &team),
                ("active", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

    let mut dpo = app.login("dora").await;
    let page = dpo.get("/audit").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Ältere Einträge"), "paged, not cut off");
    let admin_only = dpo
        .get(&format!("/audit?person={}", app.seed.admin.id))
        .await;
    assert!(
        admin_only.body.contains("Rolle vergeben"),
        "{}",
        admin_only.body
    );
    assert!(
        admin_only.body.contains("Rollen: Job"),
        "the role is named: {}",
        admin_only.body
    );
    assert!(
        !admin_only.body.contains("name1"),
        "only the administrator's lines"
    );
    let failures = dpo.get("/audit?action=auth.sign_in_failed").await;
    assert!(failures.body.contains("(5×)"), "counted: {}", failures.body);
    let case_no = {
        let hex = app.seed.own.as_uuid().simple().to_string();
        hex[hex.len() - 10..].to_owned()
    };
    let reads = dpo.get(&format!("/audit?case={case_no}")).await;
    assert!(
        reads.body.contains("Erika Beispiel (erika)"),
        "{}",
        reads.body
    );
}
