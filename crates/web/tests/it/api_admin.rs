//! The JSON API's creating and administering writes: staff accounts (`POST /staff`,
//! `PATCH /staff/{id}`, `GET /staff/{id}`) per scope and role, core's self-lockout rule, 409
//! `already_exists` for an id or name that exists, and the `Idempotency-Key` on every
//! creating POST.

use axum::http::{Method, StatusCode, header};
use serde_json::{Value, json};
use uuid::Uuid;
use wegbereiter_storage::TokenScope;

use crate::api::{Answer, call, get, is_problem, post, referral_json, token};
use crate::helpers::{PASSWORD, TestApp};

async fn patch(app: &TestApp, path: &str, token: &str, body: Value) -> Answer {
    call(app, Method::PATCH, path, Some(token), Some(body), &[]).await
}

fn new_staff(login: &str, team: impl serde::Serialize) -> Value {
    json!({
        "login": login,
        "name": "Maria Muster",
        "roles": ["key_worker"],
        "teams": [team],
        "password": PASSWORD,
    })
}

#[tokio::test]
async fn only_an_administrator_with_an_admin_token_creates_and_changes_staff() {
    let app = TestApp::seeded().await;
    let s = &app.seed;
    let body = new_staff("m.muster", s.nord);
    let ada_write = token(&app, &s.admin, TokenScope::Write).await;
    let lea_admin = token(&app, &s.lead_nord, TokenScope::Admin).await;
    let erika_read = token(&app, &s.kw_nord, TokenScope::Read).await;
    let a = post(&app, "/api/v1/staff", &ada_write, body.clone(), &[]).await;
    assert_eq!(
        (a.status, a.kind()),
        (StatusCode::FORBIDDEN, "insufficient_scope")
    );
    let a = post(&app, "/api/v1/staff", &lea_admin, body.clone(), &[]).await;
    assert_eq!((a.status, a.kind()), (StatusCode::FORBIDDEN, "forbidden"));
    let erika_path = format!("/api/v1/staff/{}", s.kw_nord.id);
    for t in [&ada_write, &lea_admin, &erika_read] {
        let a = patch(&app, &erika_path, t, json!({"active": false})).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{:?}", a.body);
        assert!(is_problem(&a));
    }
    assert!(
        app.state
            .backend()
            .staff(s.kw_nord.id)
            .await
            .unwrap()
            .unwrap()
            .active,
        "nothing written"
    );
    assert!(
        app.state
            .backend()
            .staff_by_login("m.muster")
            .await
            .unwrap()
            .is_none()
    );

    let ada = token(&app, &s.admin, TokenScope::Admin).await;
    let a = post(&app, "/api/v1/staff", &ada, body, &[]).await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    let id = a.body["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/staff/{id}");
    assert_eq!(a.headers[header::LOCATION], path.as_str());
    assert_eq!(a.body["login"], "m.muster");
    assert_eq!(a.body["roles"], json!(["key_worker"]));
    assert_eq!(a.body["teams"], json!([s.nord]));
    assert_eq!(a.body["active"], true);
    assert!(a.body.get("password").is_none());
    assert!(!a.body.to_string().contains(PASSWORD));
    // The account signs in with its first password, in the same write as the account.
    let mut maria = app.login("m.muster").await;
    assert_eq!(maria.get("/").await.status, StatusCode::OK);
    let audit = app.state.backend().audit_log(50).await.unwrap();
    for action in ["staff.saved", "staff.password_set"] {
        assert!(
            audit
                .iter()
                .any(|l| l.action == action && l.actor == Some(s.admin.id)),
            "{action} in {audit:?}"
        );
    }
    // Every active person reads the directory, one account too.
    let a = get(&app, &path, &erika_read).await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    assert_eq!(a.body["name"], "Maria Muster");
    let listed = get(&app, "/api/v1/staff", &erika_read).await;
    assert!(listed.body.to_string().contains("m.muster"));
    for unknown in [
        format!("/api/v1/staff/{}", Uuid::now_v7()),
        "/api/v1/staff/kein-uuid".to_owned(),
    ] {
        let a = get(&app, &unknown, &erika_read).await;
        assert_eq!((a.status, a.kind()), (StatusCode::NOT_FOUND, "not_found"));
        let a = patch(&app, &unknown, &ada, json!({"active": false})).await;
        assert_eq!((a.status, a.kind()), (StatusCode::NOT_FOUND, "not_found"));
    }

    // Only the fields present change; a deactivation is audited and ends the account.
    let a = patch(
        &app,
        &path,
        &ada,
        json!({"roles": ["key_worker", "job_coach"], "active": false}),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    assert_eq!(a.body["roles"], json!(["key_worker", "job_coach"]));
    assert_eq!(a.body["active"], false);
    assert_eq!(a.body["name"], "Maria Muster");
    assert_eq!(a.body["teams"], json!([s.nord]));
    let audit = app.state.backend().audit_log(50).await.unwrap();
    for action in ["staff.deactivated", "staff.role_granted"] {
        assert!(audit.iter().any(|l| l.action == action), "{action}");
    }
    assert_eq!(
        maria.get("/").await.status,
        StatusCode::SEE_OTHER,
        "the web session ended"
    );
    let a = patch(
        &app,
        &path,
        &ada,
        json!({"active": true, "name": "Maria M."}),
    )
    .await;
    assert_eq!(
        (a.status, &a.body["active"]),
        (StatusCode::OK, &json!(true))
    );
    assert_eq!(a.body["name"], "Maria M.");
}

#[tokio::test]
async fn a_staff_account_that_cannot_be_is_refused_with_a_problem() {
    let app = TestApp::seeded().await;
    let s = &app.seed;
    let ada = token(&app, &s.admin, TokenScope::Admin).await;
    let mut mixed = new_staff("m.muster", s.nord);
    mixed["roles"] = json!(["administrator", "key_worker"]);
    let a = post(&app, "/api/v1/staff", &ada, mixed, &[]).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", a.body);
    assert_eq!(
        (a.kind(), &a.body["rule"]),
        ("rule_refused", &json!("roles"))
    );
    let mut short = new_staff("m.muster", s.nord);
    short["password"] = json!("kurz");
    let mut unknown_team = new_staff("m.muster", s.nord);
    unknown_team["teams"] = json!([Uuid::now_v7()]);
    let mut unknown_role = new_staff("m.muster", s.nord);
    unknown_role["roles"] = json!(["chef"]);
    let mut blank = new_staff("m.muster", s.nord);
    blank["login"] = json!("  ");
    for body in [
        short,
        unknown_team,
        unknown_role,
        blank,
        json!({"login": "x"}),
    ] {
        let a = post(&app, "/api/v1/staff", &ada, body.clone(), &[]).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(is_problem(&a), "{body}: {:?}", a.body);
    }
    assert!(
        app.state
            .backend()
            .staff_by_login("m.muster")
            .await
            .unwrap()
            .is_none(),
        "nothing written"
    );
    // A change to roles that do not go together is refused as well.
    let a = patch(
        &app,
        &format!("/api/v1/staff/{}", s.dpo.id),
        &ada,
        json!({"roles": ["data_protection_officer", "psychologist"]}),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", a.body);
    assert_eq!(a.body["rule"], "roles");
}

#[tokio::test]
async fn an_administrator_cannot_lock_themselves_out_through_the_api() {
    let app = TestApp::seeded().await;
    let s = &app.seed;
    let ada = token(&app, &s.admin, TokenScope::Admin).await;
    let own = format!("/api/v1/staff/{}", s.admin.id);
    for change in [
        json!({"active": false}),
        json!({"roles": ["data_protection_officer"]}),
        json!({"roles": []}),
    ] {
        let a = patch(&app, &own, &ada, change.clone()).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{change}");
        assert!(is_problem(&a));
        assert_eq!(a.kind(), "rule_refused", "{change}: {:?}", a.body);
        assert_eq!(a.body["rule"], "roles", "{change}");
        let de = a.body["messages"]["de"].as_str().unwrap();
        assert!(!de.is_empty() && de.ends_with('.'), "{de}");
    }
    let a = patch(&app, &own, &ada, json!({"active": false})).await;
    assert!(
        a.body["messages"]["de"]
            .as_str()
            .unwrap()
            .contains("nicht selbst deaktivieren"),
        "{:?}",
        a.body
    );
    let me = app
        .state
        .backend()
        .staff(s.admin.id)
        .await
        .unwrap()
        .unwrap();
    assert!(me.active && me.roles == s.admin.roles, "nothing written");
    // The own name may change.
    let a = patch(&app, &own, &ada, json!({"name": "Ada A."})).await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
}

#[tokio::test]
async fn a_new_thing_with_an_id_or_name_that_exists_is_409_and_nothing_is_overwritten() {
    let app = TestApp::seeded().await;
    let s = &app.seed;
    let ada = token(&app, &s.admin, TokenScope::Admin).await;
    let erika = token(&app, &s.kw_nord, TokenScope::Write).await;
    let session = Uuid::now_v7();
    let group =
        json!({"id": session, "kind": "breakfast", "date": "2026-03-16", "title": "Frühstück"});
    let a = post(&app, "/api/v1/group-sessions", &erika, group, &[]).await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    let mut same_staff_login = new_staff("erika", s.nord);
    same_staff_login["id"] = json!(Uuid::now_v7());
    let mut same_staff_id = new_staff("neu", s.nord);
    same_staff_id["id"] = json!(s.kw_nord.id);
    for (path, who, body) in [
        (
            "/api/v1/teams",
            &ada,
            json!({"id": s.nord, "name": "Überschrieben"}),
        ),
        ("/api/v1/teams", &ada, json!({"name": "Phase 1 Team Nord"})),
        (
            "/api/v1/services",
            &ada,
            json!({"id": s.service, "name": "Überschrieben", "kind": "debt_counselling"}),
        ),
        (
            "/api/v1/group-sessions",
            &erika,
            json!({"id": session, "kind": "workshop", "date": "2026-03-17", "title": "Überschrieben"}),
        ),
        ("/api/v1/staff", &ada, same_staff_id),
        ("/api/v1/staff", &ada, same_staff_login),
    ] {
        let a = post(&app, path, who, body.clone(), &[]).await;
        assert_eq!(
            a.status,
            StatusCode::CONFLICT,
            "{path} {body}: {:?}",
            a.body
        );
        assert_eq!(a.kind(), "already_exists", "{path} {body}");
        assert!(is_problem(&a));
    }
    let everything = [
        get(&app, "/api/v1/teams", &erika).await.body,
        get(&app, "/api/v1/services", &erika).await.body,
        get(&app, "/api/v1/group-sessions", &erika).await.body,
        get(&app, "/api/v1/staff", &erika).await.body,
    ];
    for listed in &everything {
        assert!(!listed.to_string().contains("Überschrieben"), "{listed}");
    }
    let erika_now = app
        .state
        .backend()
        .staff(s.kw_nord.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(erika_now, s.kw_nord, "the account was not replaced");
    app.login("erika").await;
    // A change to a login that another account has is 409 too.
    let a = patch(
        &app,
        &format!("/api/v1/staff/{}", s.kw_nord2.id),
        &ada,
        json!({"login": "erika"}),
    )
    .await;
    assert_eq!(
        (a.status, a.kind()),
        (StatusCode::CONFLICT, "already_exists")
    );
}

/// The number of items `path` lists.
async fn count(app: &TestApp, path: &str, token: &str) -> usize {
    let a = get(app, path, token).await;
    a.body
        .as_array()
        .or_else(|| a.body["items"].as_array())
        .map_or(0, Vec::len)
}

#[tokio::test]
async fn every_creating_post_answers_a_repetition_with_its_key_once() {
    let app = TestApp::seeded().await;
    let s = &app.seed;
    let ada = token(&app, &s.admin, TokenScope::Admin).await;
    let erika = token(&app, &s.kw_nord, TokenScope::Write).await;
    let lea = token(&app, &s.lead_nord, TokenScope::Read).await;
    let batch = |given: &str| json!({"referrals": [referral_json(given, "Wiederholt", s.nord)]});
    let cases = "/api/v1/cases?search=wiederholt";
    let cases_of_lea = (cases, &lea);
    for (path, who, list, first, other) in [
        (
            "/api/v1/teams",
            &ada,
            ("/api/v1/teams", &ada),
            json!({"name": "Phase 2 Team West"}),
            json!({"name": "Phase 2 Team Ost"}),
        ),
        (
            "/api/v1/services",
            &ada,
            ("/api/v1/services", &ada),
            json!({"name": "Suchtberatung Beispielstadt", "kind": "addiction_counselling"}),
            json!({"name": "Suchtberatung Nord", "kind": "addiction_counselling"}),
        ),
        (
            "/api/v1/staff",
            &ada,
            ("/api/v1/staff", &ada),
            new_staff("m.muster", s.nord),
            new_staff("k.muster", s.nord),
        ),
        (
            "/api/v1/group-sessions",
            &erika,
            ("/api/v1/group-sessions", &erika),
            json!({"kind": "breakfast", "date": "2026-03-16", "title": "Frühstück"}),
            json!({"kind": "breakfast", "date": "2026-03-17", "title": "Frühstück"}),
        ),
        (
            "/api/v1/referrals",
            &erika,
            cases_of_lea,
            referral_json("Ida", "Wiederholt", s.nord),
            referral_json("Jan", "Wiederholt", s.nord),
        ),
        (
            "/api/v1/referrals/batch",
            &erika,
            cases_of_lea,
            batch("Kai"),
            batch("Lou"),
        ),
    ] {
        let key = format!("key-{path}");
        let key = [("idempotency-key", key.as_str())];
        let before = count(&app, list.0, list.1).await;
        let a = post(&app, path, who, first.clone(), &key).await;
        assert_eq!(a.status, StatusCode::CREATED, "{path}: {:?}", a.body);
        assert!(!a.headers.contains_key("idempotency-replayed"), "{path}");
        let again = post(&app, path, who, first.clone(), &key).await;
        assert_eq!(
            again.status,
            StatusCode::CREATED,
            "{path}: {:?}",
            again.body
        );
        assert_eq!(again.headers["idempotency-replayed"], "true", "{path}");
        assert_eq!(again.body, a.body, "{path}: the same answer");
        assert_eq!(
            again.headers.get(header::LOCATION),
            a.headers.get(header::LOCATION),
            "{path}"
        );
        assert_eq!(
            count(&app, list.0, list.1).await,
            before + 1,
            "{path}: once"
        );
        let reused = post(&app, path, who, other, &key).await;
        assert_eq!(
            (reused.status, reused.kind()),
            (StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused"),
            "{path}"
        );
        assert_eq!(count(&app, list.0, list.1).await, before + 1, "{path}");
    }
    // One key at another endpoint is another request, even with the same body.
    let body = json!({"name": "Phase 3 Team"});
    let key = [("idempotency-key", "one-key-two-endpoints")];
    let a = post(&app, "/api/v1/teams", &ada, body.clone(), &key).await;
    assert_eq!(a.status, StatusCode::CREATED);
    let a = post(&app, "/api/v1/services", &ada, body, &key).await;
    assert_eq!(a.kind(), "idempotency_key_reused");
    // A refused request gives its key up, so it may be retried corrected.
    let key = [("idempotency-key", "retry-after-409")];
    let dup = json!({"id": s.nord, "name": "Phase 4 Team"});
    let a = post(&app, "/api/v1/teams", &ada, dup, &key).await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    let a = post(
        &app,
        "/api/v1/teams",
        &ada,
        json!({"name": "Phase 4 Team"}),
        &key,
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    // A staff account's password is not part of the comparison (it is not stored, not even
    // as a digest): its repetition is a replay that changes no password.
    let key = [("idempotency-key", "staff-password")];
    let a = post(
        &app,
        "/api/v1/staff",
        &ada,
        new_staff("n.muster", s.nord),
        &key,
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    let mut other_password = new_staff("n.muster", s.nord);
    other_password["password"] = json!("ein ganz anderes Passwort");
    let again = post(&app, "/api/v1/staff", &ada, other_password, &key).await;
    assert_eq!(again.headers["idempotency-replayed"], "true");
    app.login("n.muster").await;
}
