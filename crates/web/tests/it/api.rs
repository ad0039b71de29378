//! The JSON API (`/api/v1`): bearer tokens and scopes, problem documents, the access policy
//! per role, `ETag`/`If-Match`, idempotency keys, the rate limit, the OpenAPI document, and
//! a case from referral to closure through the API alone.

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use uuid::Uuid;
use wegbereiter_core::ports::AuditStamp;
use wegbereiter_core::prelude::*;
use wegbereiter_storage::{PersonalToken, TokenScope};

use crate::helpers::{TestApp, d, referral};

pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Value,
}

impl Answer {
    pub(crate) fn kind(&self) -> &str {
        self.body["kind"].as_str().unwrap_or_default()
    }
}

pub(crate) async fn token(app: &TestApp, who: &StaffMember, scope: TokenScope) -> String {
    let secret = format!("wbt_{}", Uuid::now_v7().simple());
    let now = app.now();
    let t = PersonalToken {
        id: Uuid::now_v7(),
        staff: who.id,
        name: "API".into(),
        created_at: now,
        expires_at: now + chrono::Duration::days(30),
        revoked_at: None,
        scope,
    };
    let stamp = AuditStamp {
        actor: Some(who.id),
        at: now,
    };
    app.store.token_create(&t, &secret, stamp).await.unwrap();
    secret
}

pub(crate) async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    extra: &[(&str, &str)],
) -> Answer {
    let mut req = Request::builder().method(method).uri(path);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    let req = match body {
        Some(b) => req
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(b.to_string())),
        None => req.body(Body::empty()),
    }
    .unwrap();
    let res = app.router().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        body,
    }
}

pub(crate) async fn get(app: &TestApp, path: &str, token: &str) -> Answer {
    call(app, Method::GET, path, Some(token), None, &[]).await
}

pub(crate) async fn post(
    app: &TestApp,
    path: &str,
    token: &str,
    body: Value,
    extra: &[(&str, &str)],
) -> Answer {
    call(app, Method::POST, path, Some(token), Some(body), extra).await
}

pub(crate) fn is_problem(a: &Answer) -> bool {
    a.headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v == "application/problem+json")
        && a.body["status"].as_u64() == Some(u64::from(a.status.as_u16()))
}

#[tokio::test]
async fn without_a_valid_token_every_endpoint_is_401_and_no_cookie_is_set() {
    let app = TestApp::seeded().await;
    let revoked = token(&app, &app.seed.kw_nord, TokenScope::Admin).await;
    let t = app.store.token_by_secret(&revoked).await.unwrap().unwrap();
    let stamp = AuditStamp {
        actor: Some(app.seed.kw_nord.id),
        at: app.now(),
    };
    app.store.token_revoke(t.id, t.staff, stamp).await.unwrap();
    let own = format!("/api/v1/cases/{}", app.seed.own);
    for path in [
        "/api/v1/cases",
        own.as_str(),
        "/api/v1/reminders",
        "/api/v1/staff",
    ] {
        for tok in [None, Some("wbt_nonsense"), Some(revoked.as_str())] {
            let a = call(&app, Method::GET, path, tok, None, &[]).await;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{path} {tok:?}");
            assert!(is_problem(&a), "{path}: {:?}", a.body);
            assert_eq!(a.kind(), "unauthenticated");
            assert!(a.headers.contains_key(header::WWW_AUTHENTICATE));
            assert!(!a.headers.contains_key(header::SET_COOKIE), "{path}");
        }
    }
    // A deactivated person's token is refused too.
    let jana = token(&app, &app.seed.coach_nord, TokenScope::Read).await;
    let mut gone = app.seed.coach_nord.clone();
    gone.active = false;
    app.state
        .backend()
        .save_staff(
            &gone,
            AuditStamp {
                actor: None,
                at: app.now(),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        get(&app, "/api/v1/cases", &jana).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_openapi_document_is_3_1_and_names_every_route() {
    let app = TestApp::empty().await;
    let a = call(&app, Method::GET, "/api/v1/openapi.json", None, None, &[]).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(
        a.body["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        a.body["openapi"]
    );
    let paths = a.body["paths"].as_object().unwrap();
    for p in [
        "/cases",
        "/cases/{id}",
        "/cases/{id}/commands",
        "/referrals",
        "/referrals/batch",
        "/reminders",
        "/staff",
        "/staff/{id}",
        "/teams",
        "/services",
        "/group-sessions",
    ] {
        assert!(paths.contains_key(p), "{p} missing");
    }
    assert!(paths["/staff/{id}"]["patch"].is_object());
    // Every creating POST takes an Idempotency-Key and answers 409 for what exists.
    for p in [
        "/referrals",
        "/referrals/batch",
        "/staff",
        "/teams",
        "/services",
        "/group-sessions",
    ] {
        let op = &paths[p]["post"];
        let params = op["parameters"].as_array().unwrap();
        assert!(
            params.iter().any(|x| x["name"] == "Idempotency-Key"),
            "{p}: {params:?}"
        );
        assert!(op["responses"]["409"].is_object(), "{p}");
    }
    // The new bodies come with examples; the password is write-only.
    let schemas = &a.body["components"]["schemas"];
    for name in [
        "NewStaff",
        "StaffChange",
        "NewTeam",
        "NewService",
        "NewGroupSession",
    ] {
        assert!(
            schemas[name]["example"].is_object() || schemas[name]["examples"].is_array(),
            "{name}: {}",
            schemas[name]
        );
    }
    assert_eq!(
        schemas["NewStaff"]["properties"]["password"]["writeOnly"],
        true
    );
    assert!(a.body["components"]["schemas"]["Problem"].is_object());
    assert!(a.body["components"]["securitySchemes"]["bearer"].is_object());
    // An unknown API route is a problem, not the HTML 404 page.
    let a = call(&app, Method::GET, "/api/v1/nothing", None, None, &[]).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert!(is_problem(&a));
}

#[tokio::test]
async fn the_case_list_shows_each_role_what_core_lets_it_know_of() {
    let app = TestApp::seeded().await;
    let s = &app.seed;
    let ids = |a: &Answer| -> Vec<String> {
        a.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let (own, other) = (s.own.to_string(), s.other.to_string());
    for (who, sees_own, sees_other) in [
        (&s.kw_nord, true, false),
        (&s.lead_nord, true, false),
        (&s.psy_nord, true, false),
        (&s.kw_sued, false, true),
    ] {
        let t = token(&app, who, TokenScope::Read).await;
        let a = get(&app, "/api/v1/cases", &t).await;
        assert_eq!(a.status, StatusCode::OK, "{}", who.login);
        let seen = ids(&a);
        assert_eq!(seen.contains(&own), sees_own, "{}", who.login);
        assert_eq!(seen.contains(&other), sees_other, "{}", who.login);
    }
    for who in [&s.admin, &s.dpo] {
        let t = token(&app, who, TokenScope::Admin).await;
        let a = get(&app, "/api/v1/cases", &t).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", who.login);
        assert_eq!(a.kind(), "forbidden");
        assert!(!a.body["messages"]["de"].as_str().unwrap().is_empty());
    }
    // Filters and paging.
    let t = token(&app, &s.lead_nord, TokenScope::Read).await;
    let a = get(
        &app,
        "/api/v1/cases?search=musterfrau&status=enrolled&limit=1",
        &t,
    )
    .await;
    assert_eq!(ids(&a), std::slice::from_ref(&own));
    assert!(a.body.get("next_offset").is_none());
    let a = get(&app, "/api/v1/cases?status=nonsense", &t).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(is_problem(&a));
    let a = get(&app, "/api/v1/cases?limit=0", &t).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_case_file_is_read_as_the_reader_may_see_it_and_logged() {
    let app = TestApp::seeded().await;
    let s = &app.seed;
    let path = format!("/api/v1/cases/{}", s.own);
    let erika = token(&app, &s.kw_nord, TokenScope::Read).await;
    let before = app.state.backend().accesses(s.own).await.unwrap().len();
    let a = get(&app, &path, &erika).await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    let version = a.body["version"].as_u64().unwrap();
    assert_eq!(a.headers[header::ETAG], format!("\"{version}\"").as_str());
    assert_eq!(a.body["status"], "enrolled");
    assert!(a.body["sections"].as_array().unwrap().len() > 3);
    let text = a.body.to_string();
    assert!(!text.contains("VERTRAULICHE-PSYCHOLOGISCHE-NOTIZ"), "R14");
    assert!(!a.body["withheld"].as_array().unwrap().is_empty());
    let after = app.state.backend().accesses(s.own).await.unwrap();
    assert_eq!(after.len(), before + 1, "the read is in the access log");
    assert_eq!(after.last().unwrap().actor, s.kw_nord.id);
    // The psychologist reads her note.
    let paula = token(&app, &s.psy_nord, TokenScope::Read).await;
    let a = get(&app, &path, &paula).await;
    assert!(
        a.body
            .to_string()
            .contains("VERTRAULICHE-PSYCHOLOGISCHE-NOTIZ")
    );
    // Another team's case does not exist for her; an unknown one neither.
    let sami = token(&app, &s.kw_sued, TokenScope::Read).await;
    let hidden = get(&app, &path, &sami).await;
    let unknown = get(&app, &format!("/api/v1/cases/{}", Uuid::now_v7()), &sami).await;
    let garbage = get(&app, "/api/v1/cases/not-a-uuid", &sami).await;
    for a in [&hidden, &unknown, &garbage] {
        assert_eq!(a.status, StatusCode::NOT_FOUND);
        assert_eq!(a.body, hidden.body, "indistinguishable");
    }
    // Administrators never open a case file.
    let ada = token(&app, &s.admin, TokenScope::Admin).await;
    assert_eq!(get(&app, &path, &ada).await.status, StatusCode::FORBIDDEN);
    // English on request.
    let a = call(
        &app,
        Method::GET,
        &path,
        Some(&sami),
        None,
        &[("accept-language", "en")],
    )
    .await;
    assert_eq!(a.body["detail"], "Not found.");
}

#[tokio::test]
async fn commands_need_the_write_scope_and_the_current_version() {
    let app = TestApp::seeded().await;
    let s = &app.seed;
    let path = format!("/api/v1/cases/{}/commands", s.own);
    let extend = json!({"command": "extend_period", "until": "2026-07-10", "reason": "Wohnungssuche läuft noch"});
    let read = token(&app, &s.kw_nord, TokenScope::Read).await;
    let a = post(&app, &path, &read, extend.clone(), &[]).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(a.kind(), "insufficient_scope");

    let write = token(&app, &s.kw_nord, TokenScope::Write).await;
    let version = app.case(s.own).await.version;
    let stale = format!("\"{}\"", version - 1);
    let a = post(&app, &path, &write, extend.clone(), &[("if-match", &stale)]).await;
    assert_eq!(a.status, StatusCode::PRECONDITION_FAILED, "{:?}", a.body);
    assert_eq!(a.body["current_version"], version);
    assert_eq!(app.case(s.own).await.version, version, "nothing written");

    let current = format!("\"{version}\"");
    let a = post(
        &app,
        &path,
        &write,
        extend.clone(),
        &[("if-match", &current)],
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    assert_eq!(a.body["version"], version + 1);
    assert_eq!(
        a.headers[header::ETAG],
        format!("\"{}\"", version + 1).as_str()
    );

    // A rule of core refuses (I3: at most 6 months), with its key and both languages.
    let far = json!({"command": "extend_period", "until": "2027-12-31", "reason": "zu lang"});
    let a = post(&app, &path, &write, far, &[]).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", a.body);
    assert_eq!(a.kind(), "rule_refused");
    assert_eq!(a.body["rule"], "I3");
    assert!(!a.body["messages"]["en"].as_str().unwrap().is_empty());

    // Unreadable commands.
    for (body, status) in [
        (
            json!({"command": "refer"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (json!({"command": "fly"}), StatusCode::UNPROCESSABLE_ENTITY),
        (
            json!({"command": "decline"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (json!([1, 2]), StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let a = post(&app, &path, &write, body.clone(), &[]).await;
        assert_eq!(a.status, status, "{body}: {:?}", a.body);
        assert!(is_problem(&a));
    }
    let a = post(&app, &path, &write, json!({}), &[("if-match", "\"x\"")]).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    // Another team's case: as unknown, even with the write scope.
    let sami = token(&app, &s.kw_sued, TokenScope::Write).await;
    let a = post(&app, &path, &sami, extend, &[]).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
}

pub(crate) fn referral_json(given: &str, family: &str, team: TeamId) -> Value {
    json!({
        "referral": serde_json::to_value(referral(given, family, d(2026, 3, 13))).unwrap(),
        "team": team,
    })
}

#[tokio::test]
async fn an_idempotency_key_makes_a_retried_referral_open_one_case() {
    let app = TestApp::seeded().await;
    let s = &app.seed;
    let t = token(&app, &s.kw_nord, TokenScope::Write).await;
    let body = referral_json("Anna", "Beispiel", s.nord);
    let key = [("idempotency-key", "import-2026-03-16-1")];
    let first = post(&app, "/api/v1/referrals", &t, body.clone(), &key).await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    let id = first.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        first.headers[header::LOCATION],
        format!("/api/v1/cases/{id}").as_str()
    );
    let again = post(&app, "/api/v1/referrals", &t, body.clone(), &key).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.body["id"], first.body["id"]);
    assert_eq!(again.headers["idempotency-replayed"], "true");
    let other = post(
        &app,
        "/api/v1/referrals",
        &t,
        referral_json("Ben", "Beispiel", s.nord),
        &key,
    )
    .await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(other.kind(), "idempotency_key_reused");
    let lea = token(&app, &s.lead_nord, TokenScope::Read).await;
    let listed = get(&app, "/api/v1/cases?search=anna%20beispiel", &lea).await;
    assert_eq!(
        listed.body["items"].as_array().unwrap().len(),
        1,
        "one case"
    );
    // Another team's referral is refused by the access policy; the key is given up again.
    let refused = post(
        &app,
        "/api/v1/referrals",
        &t,
        referral_json("Cem", "Beispiel", s.sued),
        &[("idempotency-key", "k2")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{:?}", refused.body);
    let retried = post(
        &app,
        "/api/v1/referrals",
        &t,
        referral_json("Cem", "Beispiel", s.nord),
        &[("idempotency-key", "k2")],
    )
    .await;
    assert_eq!(retried.status, StatusCode::CREATED, "{:?}", retried.body);
}

#[tokio::test]
async fn a_batch_of_referrals_is_written_all_or_nothing() {
    let app = TestApp::seeded().await;
    let s = &app.seed;
    let t = token(&app, &s.kw_nord, TokenScope::Write).await;
    let mut bad = referral_json("Dana", "Beispiel", s.nord);
    bad["referral"]["client"]["date_of_birth"] = json!("1850-01-01");
    let batch = json!({"referrals": [referral_json("Eva", "Beispiel", s.nord), bad]});
    let a = post(&app, "/api/v1/referrals/batch", &t, batch, &[]).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", a.body);
    assert_eq!(a.body["index"], 1);
    let lea = token(&app, &s.lead_nord, TokenScope::Read).await;
    let none = get(&app, "/api/v1/cases?search=eva%20beispiel", &lea).await;
    assert!(
        none.body["items"].as_array().unwrap().is_empty(),
        "nothing written"
    );
    let batch = json!({"referrals": [referral_json("Eva", "Beispiel", s.nord), referral_json("Finn", "Beispiel", s.nord)]});
    let a = post(&app, "/api/v1/referrals/batch", &t, batch, &[]).await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    assert_eq!(a.body["created"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn reminders_and_directories_answer_every_active_role() {
    let app = TestApp::seeded().await;
    let s = &app.seed;
    for who in [&s.kw_nord, &s.lead_nord, &s.psy_nord, &s.coach_nord] {
        let t = token(&app, who, TokenScope::Read).await;
        let a = get(&app, "/api/v1/reminders", &t).await;
        assert_eq!(a.status, StatusCode::OK, "{}: {:?}", who.login, a.body);
        assert!(a.body["items"].is_array());
    }
    for who in [&s.kw_nord, &s.admin, &s.dpo] {
        let t = token(&app, who, TokenScope::Read).await;
        for path in ["/api/v1/staff", "/api/v1/teams", "/api/v1/services"] {
            let a = get(&app, path, &t).await;
            assert_eq!(a.status, StatusCode::OK, "{} {path}", who.login);
            assert!(!a.body.as_array().unwrap().is_empty());
        }
    }
    let t = token(&app, &s.admin, TokenScope::Admin).await;
    assert_eq!(
        get(&app, "/api/v1/reminders", &t).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_token_over_its_rate_limit_gets_429_with_retry_after() {
    let mut app = TestApp::seeded().await;
    app.state = app
        .state
        .clone()
        .with_api_rate_limit(wegbereiter_web::api::RateLimit {
            burst: 2,
            per_minute: 6,
        });
    let t = token(&app, &app.seed.kw_nord, TokenScope::Read).await;
    let other = token(&app, &app.seed.lead_nord, TokenScope::Read).await;
    for _ in 0..2 {
        assert_eq!(get(&app, "/api/v1/teams", &t).await.status, StatusCode::OK);
    }
    let a = get(&app, "/api/v1/teams", &t).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(a.headers[header::RETRY_AFTER], "10");
    assert!(is_problem(&a));
    assert_eq!(
        get(&app, "/api/v1/teams", &other).await.status,
        StatusCode::OK
    );
    // The refill runs on a monotonic clock, not the app's: the limiter's unit test checks
    // it with governor's fake clock.
}

/// A case from the Jobcenter's referral to its closure, through the API alone.
#[tokio::test]
async fn a_case_goes_from_referral_to_closure_through_the_api() {
    let app = TestApp::seeded().await;
    let s = &app.seed;
    let t = token(&app, &s.kw_nord, TokenScope::Write).await;
    let a = post(
        &app,
        "/api/v1/referrals",
        &t,
        referral_json("Greta", "Beispiel", s.nord),
        &[],
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    let id = a.body["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/cases/{id}/commands");
    let mut etag = a.headers[header::ETAG].to_str().unwrap().to_owned();
    let steps = [
        json!({"command": "log_contact_attempt", "at": "2026-03-16T08:00:00Z", "channel": "phone", "outcome": "agreed"}),
        json!({"command": "enrol", "on": "2026-03-16", "key_worker": s.kw_nord.id,
               "terms": {"hygiene_rules": true, "data_protection": true},
               "consent": {"id": Uuid::now_v7(), "form": "written", "given_on": "2026-03-16"}}),
        json!({"command": "agree_goal", "id": Uuid::now_v7(), "domain": "finances_debt", "wording": "Schulden ordnen",
               "criterion": "Termin bei der Schuldnerberatung", "responsible": "client", "review_date": "2026-04-16"}),
        json!({"command": "refer_out", "id": Uuid::now_v7(), "service": s.service, "on": "2026-03-16", "note": null, "contact_person": null}),
        json!({"command": "close", "on": "2026-03-16", "reason": "goals_achieved", "immediate_result": null}),
    ];
    for step in steps {
        let a = post(&app, &path, &t, step.clone(), &[("if-match", &etag)]).await;
        assert_eq!(a.status, StatusCode::OK, "{step}: {:?}", a.body);
        etag = a.headers[header::ETAG].to_str().unwrap().to_owned();
    }
    let a = get(&app, &format!("/api/v1/cases/{id}"), &t).await;
    assert_eq!(a.body["status"], "closed", "{:?}", a.body["status"]);
    assert_eq!(a.headers[header::ETAG].to_str().unwrap(), etag);
}

#[tokio::test]
async fn the_jobcenter_report_says_only_what_the_consents_allow_and_is_logged() {
    let app = TestApp::seeded().await;
    let s = &app.seed;
    let path = format!("/api/v1/cases/{}/jobcenter-report", s.own);
    let erika = token(&app, &s.kw_nord, TokenScope::Read).await;
    let before = app.state.backend().accesses(s.own).await.unwrap().len();
    let a = get(&app, &path, &erika).await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    assert_eq!(a.body["case_id"], s.own.to_string());
    assert_eq!(a.body["jobcenter"], "Jobcenter Beispielstadt");
    // The seeded case has no consent for participation or progress feedback.
    assert!(a.body["participation"].is_null() && a.body["progress"].is_null());
    let log = app.state.backend().accesses(s.own).await.unwrap();
    assert_eq!(log.len(), before + 1);
    assert_eq!(
        log.last().unwrap().kind,
        wegbereiter_core::ports::AccessKind::JobcenterFeedback
    );
    let sami = token(&app, &s.kw_sued, TokenScope::Read).await;
    assert_eq!(get(&app, &path, &sami).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn group_sessions_are_made_by_case_workers_and_attendance_is_a_case_step() {
    let app = TestApp::seeded().await;
    let s = &app.seed;
    let erika = token(&app, &s.kw_nord, TokenScope::Write).await;
    let new =
        json!({"kind": "breakfast", "date": "2026-03-16", "title": "Frühstück im Stadtteilladen"});
    let a = post(&app, "/api/v1/group-sessions", &erika, new.clone(), &[]).await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    let session = a.body["id"].as_str().unwrap().to_owned();
    let listed = get(&app, "/api/v1/group-sessions", &erika).await;
    assert_eq!(listed.body[0]["id"], session.as_str());
    let bad = post(
        &app,
        "/api/v1/group-sessions",
        &erika,
        json!({"kind": "party", "date": "2026-03-16", "title": "x"}),
        &[],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ada = token(&app, &s.admin, TokenScope::Admin).await;
    assert_eq!(
        get(&app, "/api/v1/group-sessions", &ada).await.status,
        StatusCode::FORBIDDEN
    );
    // Attendance needs Phase 2: core refuses it for the Phase 1 case, with its rule.
    let path = format!("/api/v1/cases/{}/commands", s.own);
    let mark = json!({"command": "record_attendance", "session": session, "attendance": "present"});
    let a = post(&app, &path, &erika, mark, &[]).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", a.body);
    assert_eq!(a.kind(), "rule_refused");
    let unknown =
        json!({"command": "record_attendance", "session": Uuid::now_v7(), "attendance": "present"});
    let a = post(&app, &path, &erika, unknown, &[]).await;
    assert_eq!(a.kind(), "invalid_request");
}

#[tokio::test]
async fn only_an_administrator_with_an_admin_token_writes_the_directories() {
    let app = TestApp::seeded().await;
    let s = &app.seed;
    let team = json!({"name": "Phase 2 Team West"});
    let service = json!({"name": "Suchtberatung Beispielstadt", "kind": "addiction_counselling", "contact": null});
    let write = token(&app, &s.admin, TokenScope::Write).await;
    let a = post(&app, "/api/v1/teams", &write, team.clone(), &[]).await;
    assert_eq!(a.kind(), "insufficient_scope");
    let lea = token(&app, &s.lead_nord, TokenScope::Admin).await;
    let a = post(&app, "/api/v1/teams", &lea, team.clone(), &[]).await;
    assert_eq!((a.status, a.kind()), (StatusCode::FORBIDDEN, "forbidden"));
    let ada = token(&app, &s.admin, TokenScope::Admin).await;
    let a = post(&app, "/api/v1/teams", &ada, team, &[]).await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    let teams = get(&app, "/api/v1/teams", &ada).await;
    assert!(teams.body.to_string().contains("Phase 2 Team West"));
    let a = post(&app, "/api/v1/services", &ada, service, &[]).await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    let audit = app.state.backend().audit_log(50).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|l| l.action == "team.saved" && l.actor == Some(s.admin.id))
    );
}

#[tokio::test]
async fn rows_name_team_and_key_worker_as_the_cli_does_and_the_account_page_sets_the_scope() {
    let app = TestApp::seeded().await;
    let s = &app.seed;
    let t = token(&app, &s.kw_nord, TokenScope::Read).await;
    let a = get(&app, "/api/v1/cases", &t).await;
    let row = &a.body["items"][0];
    // The CLI's `case list --format json` fields, ids beside the names.
    for field in [
        "id",
        "client_name",
        "date_of_birth",
        "status",
        "phase",
        "team",
        "key_worker",
        "jobcenter",
        "referral_date",
        "planned_end",
        "ended_on",
        "version",
    ] {
        assert!(row.get(field).is_some(), "{field} in {row}");
    }
    assert_eq!(row["key_worker"], "erika");
    assert_eq!(row["key_worker_id"], s.kw_nord.id.to_string());
    assert_eq!(row["team"], "Phase 1 Team Nord");

    let mut erika = app.login("erika").await;
    let made = erika
        .post(
            "/account/tokens",
            &[
                ("name", "Fachverfahren"),
                ("days", "30"),
                ("scope", "write"),
                ("password", crate::helpers::PASSWORD),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let tokens = app.store.tokens_of(s.kw_nord.id).await.unwrap();
    assert!(
        tokens
            .iter()
            .any(|t| t.name == "Fachverfahren" && t.scope == TokenScope::Write)
    );
    let bad = erika
        .post(
            "/account/tokens",
            &[
                ("name", "X"),
                ("days", "30"),
                ("scope", "root"),
                ("password", crate::helpers::PASSWORD),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}
