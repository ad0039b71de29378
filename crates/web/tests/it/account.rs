//! The account page: a person's own personal access tokens (create with the secret shown
//! once, list, revoke), audited through the same storage functions as the CLI.

use axum::http::StatusCode;

use crate::helpers::{PASSWORD, TestApp};

/// The token secret on a page (`wbt_` and 64 hex digits), if there is one.
fn secret_of(body: &str) -> Option<String> {
    let i = body.find("wbt_")?;
    let s: String = body[i..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (s.len() == 4 + 64).then_some(s)
}

async fn audit_actions(app: &TestApp) -> Vec<String> {
    app.state
        .backend()
        .audit_log(100)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.action)
        .collect()
}

#[tokio::test]
async fn a_person_creates_lists_and_revokes_their_own_tokens() {
    let app = TestApp::seeded().await;
    let mut erika = app.login("erika").await;
    let page = erika.get("/account").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Persönliche Zugangstokens"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("href=\"/account\""),
        "linked from the header"
    );
    assert!(page.body.contains("noch kein Zugangstoken"));

    let res = erika
        .post(
            "/account/tokens",
            &[
                ("name", "Laptop Büro"),
                ("days", "30"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("nur dieses eine Mal"));
    let secret = secret_of(&res.body).expect("the secret is shown");
    let token = app.store.token_by_secret(&secret).await.unwrap().unwrap();
    assert_eq!(token.staff, app.seed.kw_nord.id);
    assert_eq!(token.name, "Laptop Büro");
    assert_eq!(token.expires_at, app.now() + chrono::Duration::days(30));
    assert!(token.is_valid_at(app.now()));
    assert!(
        audit_actions(&app)
            .await
            .contains(&"staff.token_created".to_owned())
    );

    // Listed with its state, never with its secret again.
    let page = erika.get("/account").await;
    assert!(
        secret_of(&page.body).is_none(),
        "the secret is shown once only"
    );
    assert!(page.body.contains("Laptop Büro") && page.body.contains("gültig"));

    // Someone else cannot revoke it, nor learn whether it exists.
    let mut jonas = app.login("jonas").await;
    let path = format!("/account/tokens/{}/revoke", token.id);
    assert_eq!(jonas.post(&path, &[]).await.status, StatusCode::NOT_FOUND);
    assert!(!jonas.get("/account").await.body.contains("Laptop Büro"));
    assert!(
        app.store
            .token_by_secret(&secret)
            .await
            .unwrap()
            .unwrap()
            .is_valid_at(app.now())
    );
    // Without the form token nothing happens.
    assert_eq!(
        erika.post_raw(&path, &[]).await.status,
        StatusCode::FORBIDDEN
    );

    let res = erika.post(&path, &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let token = app.store.token_by_secret(&secret).await.unwrap().unwrap();
    assert_eq!(token.revoked_at, Some(app.now()));
    assert!(
        audit_actions(&app)
            .await
            .contains(&"staff.token_revoked".to_owned())
    );
    let page = erika.get("/account").await;
    assert!(page.body.contains("widerrufen"), "{}", page.body);
    assert!(
        !page.body.contains(&path),
        "a revoked token offers no revoke button"
    );
    // Revoking twice, or an id that is no id, changes nothing.
    assert_eq!(erika.post(&path, &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        erika
            .post("/account/tokens/kein-token/revoke", &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_token_needs_the_password_a_name_and_a_lifetime_within_bounds() {
    let app = TestApp::seeded().await;
    let mut erika = app.login("erika").await;
    for (fields, message) in [
        (
            vec![
                ("name", "Laptop"),
                ("days", "30"),
                ("password", "falsch-falsch"),
            ],
            "Passwort ist falsch",
        ),
        (
            vec![("name", "Laptop"), ("days", "30")],
            "Passwort ist falsch",
        ),
        (
            vec![("name", " "), ("days", "30"), ("password", PASSWORD)],
            "Name des Tokens",
        ),
        (
            vec![("name", "Laptop"), ("days", "0"), ("password", PASSWORD)],
            "Tage",
        ),
        (
            vec![("name", "Laptop"), ("days", "366"), ("password", PASSWORD)],
            "Tage",
        ),
        (
            vec![
                ("name", "Laptop"),
                ("days", "viele"),
                ("password", PASSWORD),
            ],
            "Tage",
        ),
    ] {
        let res = erika.post("/account/tokens", &fields).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        assert!(res.body.contains(message), "{fields:?}: {}", res.body);
        assert!(secret_of(&res.body).is_none());
        assert!(
            !res.body.contains(PASSWORD),
            "the password is not echoed back"
        );
    }
    assert!(
        app.store
            .tokens_of(app.seed.kw_nord.id)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn the_account_page_is_for_signed_in_people_in_both_languages() {
    let app = TestApp::seeded().await;
    let mut anon = app.anonymous().await;
    let res = anon.get("/account").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location.as_deref(), Some("/login"));
    let mut erika = app.login("erika").await;
    erika
        .post("/lang", &[("to", "en"), ("back", "/account")])
        .await;
    let page = erika.get("/account").await;
    assert!(
        page.body.contains("Personal access tokens"),
        "{}",
        page.body
    );
    assert!(page.body.contains("lang=\"en\""));
}
