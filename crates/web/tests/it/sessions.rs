//! What the server stores for whom: no session before sign-in (the sign-in form is protected
//! by a signed double-submit cookie instead), at most one session write per minute for a
//! signed-in person with the idle timeout kept, the client address behind trusted proxies,
//! and compressed responses.

use std::io::Read;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::helpers::{Client, PASSWORD, TestApp, behind_proxy, csrf_of};

const CSRF_COOKIE: &str = "wegbereiter_csrf";

async fn sessions(app: &TestApp) -> u64 {
    app.store.session_count().await.unwrap()
}

#[tokio::test]
async fn anonymous_requests_store_no_session() {
    let app = TestApp::seeded().await;
    for _ in 0..20 {
        // A fresh visitor every time (no cookies), and one that keeps its cookies.
        let mut fresh = Client::over(app.router());
        assert_eq!(fresh.get("/login").await.status, StatusCode::OK);
        assert_eq!(fresh.get("/static/app.css").await.status, StatusCode::OK);
        assert_eq!(fresh.get("/nirgendwo").await.status, StatusCode::NOT_FOUND);
        assert_eq!(fresh.get("/").await.status, StatusCode::SEE_OTHER);
    }
    let mut c = app.anonymous().await;
    for path in ["/login", "/login?bye=1", "/setup", "/cases", "/nirgendwo"] {
        c.get(path).await;
    }
    // Choosing a language and failing to sign in store no session either.
    let res = c.post("/lang", &[("to", "en"), ("back", "/login")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(c.get("/login").await.body.contains("lang=\"en\""));
    let res = c
        .post(
            "/login",
            &[("login", "erika"), ("password", "falsch-falsch")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert!(c.cookie.is_none(), "no session cookie before sign-in");
    assert_eq!(sessions(&app).await, 0, "no session row before sign-in");

    // The sign-in makes the first one, and keeps the language chosen before.
    let res = c
        .post("/login", &[("login", "erika"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(c.cookie.is_some());
    assert_eq!(sessions(&app).await, 1);
    assert!(c.get("/").await.body.contains("lang=\"en\""));
}

/// Signs in with exactly this `Cookie` header and `_csrf` field.
async fn sign_in_with(app: &TestApp, cookie: Option<&str>, csrf: &str) -> StatusCode {
    let body =
        serde_urlencoded::to_string([("_csrf", csrf), ("login", "erika"), ("password", PASSWORD)])
            .unwrap();
    let mut req =
        Request::post("/login").header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    app.router()
        .oneshot(req.body(Body::from(body)).unwrap())
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn the_sign_in_form_needs_its_signed_cookie() {
    let app = TestApp::seeded().await;
    let c = app.anonymous().await;
    let issued = c.jar.get(CSRF_COOKIE).cloned().expect("a CSRF cookie");
    assert_eq!(c.csrf, issued, "the form repeats the cookie");
    let cookie = format!("{CSRF_COOKIE}={issued}");

    // Without the cookie, with another token in the form, with a forged cookie.
    assert_eq!(
        sign_in_with(&app, None, &issued).await,
        StatusCode::FORBIDDEN
    );
    let other = app.anonymous().await.csrf;
    assert_ne!(other, issued);
    assert_eq!(
        sign_in_with(&app, Some(&cookie), &other).await,
        StatusCode::FORBIDDEN
    );
    let parts: Vec<&str> = issued.split('.').collect();
    assert_eq!(parts.len(), 3);
    let forged_mac = format!("{}.{}.{}", parts[0], parts[1], "ab".repeat(32));
    let forged_nonce = format!("{}.{}.{}", parts[0], "cd".repeat(32), parts[2]);
    for forged in [forged_mac, forged_nonce, "1.2.3".to_owned(), "x".to_owned()] {
        assert_eq!(
            sign_in_with(&app, Some(&format!("{CSRF_COOKIE}={forged}")), &forged).await,
            StatusCode::FORBIDDEN,
            "{forged}"
        );
    }
    // A cookie signed by another installation's key.
    let elsewhere = TestApp::seeded().await.anonymous().await.csrf;
    assert_eq!(
        sign_in_with(
            &app,
            Some(&format!("{CSRF_COOKIE}={elsewhere}")),
            &elsewhere
        )
        .await,
        StatusCode::FORBIDDEN
    );
    // A day later the cookie is too old.
    app.advance(chrono::Duration::hours(25));
    assert_eq!(
        sign_in_with(&app, Some(&cookie), &issued).await,
        StatusCode::FORBIDDEN
    );
    app.advance(chrono::Duration::hours(-25));
    assert_eq!(sessions(&app).await, 0, "nothing refused made a session");

    // The right cookie with the same value in the form signs in.
    assert_eq!(
        sign_in_with(&app, Some(&cookie), &issued).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(sessions(&app).await, 1);
}

#[tokio::test]
async fn a_second_instance_on_the_same_database_accepts_the_cookie() {
    let app = TestApp::seeded().await;
    let first = app.anonymous().await;
    let second = wegbereiter_web::AppState::new(
        app.store.clone(),
        Default::default(),
        false,
        chrono::Duration::minutes(30),
    )
    .with_password_settings(crate::helpers::cheap_passwords())
    .with_clock({
        let clock = app.clock.clone();
        std::sync::Arc::new(move || *clock.lock().unwrap())
    });
    let mut other = Client::over(behind_proxy(wegbereiter_web::router(second)));
    other.jar = first.jar.clone();
    other.csrf = first.csrf.clone();
    let res = other
        .post("/login", &[("login", "erika"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // The session made there is valid here too (one database, one session table).
    let mut back = Client::over(app.router());
    back.cookie = other.cookie.clone();
    assert_eq!(back.get("/").await.status, StatusCode::OK);
}

/// The stored session of `client` (its data as JSON) at `at`, if it is stored and not
/// expired then.
async fn stored(app: &TestApp, client: &Client, at: chrono::DateTime<chrono::Utc>) -> bool {
    let pair = client.cookie.clone().unwrap();
    let id = pair.split_once('=').unwrap().1;
    app.store.session_load(id, at).await.unwrap().is_some()
}

#[tokio::test]
async fn a_signed_in_session_is_written_at_most_once_a_minute() {
    let app = TestApp::seeded().await;
    let t0 = app.now();
    let mut c = app.login("erika").await;
    // `login` itself made requests at t0; the store keeps the record for the idle timeout
    // plus an eight-hour grace period after its last write, so whether a later write
    // happened shows in whether it is still there just after t0 + 8 h 30 min.
    let kept_from = |t: chrono::DateTime<chrono::Utc>| {
        t + chrono::Duration::minutes(30) + chrono::Duration::hours(8)
    };
    for _ in 0..5 {
        app.advance(chrono::Duration::seconds(10));
        assert_eq!(c.get("/").await.status, StatusCode::OK);
    }
    let probe = kept_from(t0) + chrono::Duration::seconds(1);
    assert!(
        !stored(&app, &c, probe).await,
        "requests within the first minute wrote the session"
    );
    app.advance(chrono::Duration::seconds(11));
    assert_eq!(c.get("/").await.status, StatusCode::OK);
    assert!(
        stored(&app, &c, probe).await,
        "a request a minute later writes it"
    );
}

/// A small deterministic generator of idle gaps (no randomness in tests).
struct Gaps(u64);

impl Gaps {
    fn next(&mut self, max: i64) -> i64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        i64::try_from((self.0 >> 33) % u64::try_from(max + 1).unwrap()).unwrap()
    }
}

/// Whatever the rhythm of requests, a session idle for longer than the timeout is never
/// accepted, and one idle for at most the timeout minus the write interval always is.
#[tokio::test]
async fn the_idle_timeout_stays_exact_with_lazy_writes() {
    let app = TestApp::seeded().await;
    let timeout = 30 * 60;
    let resolution = wegbereiter_web::SEEN_RESOLUTION_SECS;
    let mut c = app.login("erika").await;
    let mut last_activity = app.now();
    let mut gaps = Gaps(7);
    let mut refused = 0;
    for step in 0..40 {
        // Mostly short gaps, some around the timeout, some beyond it.
        let gap = match step % 4 {
            0 | 1 => gaps.next(90),
            2 => timeout - resolution + gaps.next(2 * resolution),
            _ => gaps.next(timeout + 120),
        };
        app.advance(chrono::Duration::seconds(gap));
        let idle = (app.now() - last_activity).num_seconds();
        let res = c.get("/").await;
        let accepted = res.status == StatusCode::OK;
        assert!(
            !(accepted && idle > timeout),
            "step {step}: accepted after {idle} s idle"
        );
        assert!(
            accepted || idle > timeout - resolution,
            "step {step}: refused after only {idle} s idle"
        );
        if accepted {
            last_activity = app.now();
        } else {
            refused += 1;
            c.sign_in("erika").await;
            last_activity = app.now();
        }
    }
    assert!(refused > 3, "the gaps never reached the timeout");
}

#[tokio::test]
async fn the_client_address_comes_from_trusted_proxies_only() {
    let app = TestApp::seeded().await;
    let from = |peer: &str| {
        let peer: std::net::SocketAddr = format!("{peer}:5000").parse().unwrap();
        Client::over(
            wegbereiter_web::router(app.state.clone())
                .layer(axum::extract::connect_info::MockConnectInfo(peer)),
        )
    };
    // A stranger connecting directly cannot pick an address with the header: five
    // failures "from five addresses" are five from its own, and the sixth try waits.
    let mut stranger = from("198.51.100.7");
    let res = stranger.get("/login").await;
    stranger.csrf = csrf_of(&res.body).unwrap();
    for i in 0..5 {
        stranger.address = Some(format!("203.0.113.{i}"));
        let res = stranger
            .post(
                "/login",
                &[("login", "erika"), ("password", "falsch-falsch")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    }
    stranger.address = Some("203.0.113.99".into());
    let res = stranger
        .post("/login", &[("login", "erika"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);

    // Through the trusted proxy, the forwarded address counts: another client behind it
    // is not slowed down by those failures, and neither by a claim left of it.
    let mut colleague = app.anonymous().await;
    colleague.address = Some("198.51.100.7, 192.0.2.10".into());
    let res = colleague
        .post("/login", &[("login", "erika"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    // … whereas the stranger's address, forwarded by the proxy, is still throttled.
    let mut again = app.anonymous().await;
    again.address = Some("198.51.100.7".into());
    let res = again
        .post("/login", &[("login", "erika"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    // The standard `Forwarded` header works as well (and wins over `X-Forwarded-For`).
    let req = Request::get("/login")
        .header("forwarded", "for=\"198.51.100.7:4711\";proto=https")
        .header("x-forwarded-for", "192.0.2.55")
        .body(Body::empty())
        .unwrap();
    let res = app.router().oneshot(req).await.unwrap();
    let cookie = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .find(|c| c.starts_with(CSRF_COOKIE))
        .unwrap();
    let token = cookie.split_once('=').unwrap().1.to_owned();
    let body = serde_urlencoded::to_string([
        ("_csrf", token.as_str()),
        ("login", "erika"),
        ("password", PASSWORD),
    ])
    .unwrap();
    let req = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .header("forwarded", "for=\"198.51.100.7:4711\";proto=https")
        .header("x-forwarded-for", "192.0.2.55")
        .body(Body::from(body))
        .unwrap();
    let res = app.router().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
}

async fn fetch(
    app: &TestApp,
    path: &str,
    cookie: &str,
    encoding: Option<&str>,
) -> (Option<String>, Vec<u8>) {
    let mut req = Request::get(path).header(header::COOKIE, cookie);
    if let Some(e) = encoding {
        req = req.header(header::ACCEPT_ENCODING, e);
    }
    let res = app
        .router()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    let enc = res
        .headers()
        .get(header::CONTENT_ENCODING)
        .map(|v| v.to_str().unwrap().to_owned());
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (enc, body)
}

#[tokio::test]
async fn pages_and_the_stylesheet_are_compressed_on_request() {
    let app = TestApp::seeded().await;
    let c = app.login("erika").await;
    let cookie = c.cookie_header().unwrap();
    let case = format!("/cases/{}", app.seed.own);
    for path in ["/", case.as_str(), "/static/app.css", "/account"] {
        let (plain_enc, plain) = fetch(&app, path, &cookie, None).await;
        assert_eq!(
            plain_enc, None,
            "{path}: uncompressed without Accept-Encoding"
        );
        let (enc, gz) = fetch(&app, path, &cookie, Some("gzip")).await;
        assert_eq!(enc.as_deref(), Some("gzip"), "{path}");
        let mut unzipped = Vec::new();
        flate2::read::GzDecoder::new(gz.as_slice())
            .read_to_end(&mut unzipped)
            .unwrap();
        let (enc, br) = fetch(&app, path, &cookie, Some("br;q=1.0, gzip;q=0.5")).await;
        assert_eq!(enc.as_deref(), Some("br"), "{path}");
        let mut unbrotlied = Vec::new();
        brotli::Decompressor::new(br.as_slice(), 4096)
            .read_to_end(&mut unbrotlied)
            .unwrap();
        // Pages carry the session's CSRF token, which stays the same within the session.
        assert_eq!(unzipped, plain, "{path}: gzip");
        assert_eq!(unbrotlied, plain, "{path}: brotli");
        assert!(
            gz.len() < plain.len() / 2 && br.len() < plain.len() / 2,
            "{path}"
        );
    }
}
