//! Personal access tokens: only a digest is stored; lookup, expiry, revocation, audit, scope;
//! and the JSON API's idempotency keys.

use chrono::Duration;
use wegbereiter_core::prelude::*;
use wegbereiter_storage::{IdempotencyClaim, PersonalToken, TokenScope};

use crate::fixtures::*;
use crate::harness::{TestDb, on_both};

on_both!(tokens_are_found_by_secret_expire_and_are_revoked_by_their_owner);

async fn tokens_are_found_by_secret_expire_and_are_revoked_by_their_owner(db: TestDb) {
    let s = &db.store;
    let stamp = AuditStamp {
        actor: None,
        at: noon(d(2026, 1, 1)),
    };
    let person = |login: &str| StaffMember {
        id: StaffId::from_uuid(new_id()),
        login: t(login),
        display_name: t("Erika Musterfrau"),
        roles: vec![Role::KeyWorker],
        teams: vec![],
        active: true,
    };
    let (erika, kai) = (person("erika"), person("kai"));
    s.save_staff(&erika, stamp).await.unwrap();
    s.save_staff(&kai, stamp).await.unwrap();
    let now = noon(d(2026, 1, 2));
    let token = PersonalToken {
        id: new_id(),
        staff: erika.id,
        name: "Laptop Büro".into(),
        created_at: now,
        expires_at: now + Duration::days(30),
        revoked_at: None,
        scope: TokenScope::Write,
    };
    let secret = "wbt_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    let by = AuditStamp {
        actor: Some(erika.id),
        at: now,
    };
    s.token_create(&token, secret, by).await.unwrap();
    // The same secret twice is refused (the digest is unique).
    let twin = PersonalToken {
        id: new_id(),
        ..token.clone()
    };
    assert!(matches!(
        s.token_create(&twin, secret, by).await,
        Err(StorageError::AlreadyExists(_))
    ));
    let found = s.token_by_secret(secret).await.unwrap().unwrap();
    assert_eq!(found, token);
    assert!(found.is_valid_at(now + Duration::days(29)));
    assert!(
        !found.is_valid_at(now + Duration::days(30)),
        "expired at its end"
    );
    assert_eq!(s.token_by_secret("wbt_other").await.unwrap(), None);
    assert_eq!(s.tokens_of(erika.id).await.unwrap(), vec![token.clone()]);
    assert!(s.tokens_of(kai.id).await.unwrap().is_empty());
    // Only the owner revokes, once.
    let kai_stamp = AuditStamp {
        actor: Some(kai.id),
        at: now,
    };
    assert!(!s.token_revoke(token.id, kai.id, kai_stamp).await.unwrap());
    assert!(s.token_revoke(token.id, erika.id, by).await.unwrap());
    assert!(!s.token_revoke(token.id, erika.id, by).await.unwrap());
    let revoked = s.token_by_secret(secret).await.unwrap().unwrap();
    assert_eq!(revoked.revoked_at, Some(now));
    assert!(!revoked.is_valid_at(now));
    let log = s.audit_log(50).await.unwrap();
    for action in ["staff.token_created", "staff.token_revoked"] {
        assert_eq!(
            log.iter().filter(|r| r.action == action).count(),
            1,
            "{action}"
        );
    }
}

on_both!(an_idempotency_key_is_claimed_once_answered_released_and_purged);

async fn an_idempotency_key_is_claimed_once_answered_released_and_purged(db: TestDb) {
    let s = &db.store;
    let at = noon(d(2026, 1, 2));
    let erika = StaffMember {
        id: StaffId::from_uuid(new_id()),
        login: t("erika"),
        display_name: t("Erika Musterfrau"),
        roles: vec![Role::KeyWorker],
        teams: vec![],
        active: true,
    };
    let stamp = AuditStamp { actor: None, at };
    s.save_staff(&erika, stamp).await.unwrap();
    let me = erika.id;
    assert_eq!(
        s.idempotency_claim(me, "k1", "h1", at).await.unwrap(),
        IdempotencyClaim::Claimed
    );
    assert_eq!(
        s.idempotency_claim(me, "k1", "h1", at).await.unwrap(),
        IdempotencyClaim::InProgress {
            request_hash: "h1".into()
        },
        "the second request with the key does not run"
    );
    s.idempotency_finish(me, "k1", 201, "{\"id\":1}")
        .await
        .unwrap();
    assert_eq!(
        s.idempotency_claim(me, "k1", "h2", at).await.unwrap(),
        IdempotencyClaim::Done {
            request_hash: "h1".into(),
            status: 201,
            body: "{\"id\":1}".into()
        }
    );
    // A failed request gives its key up.
    assert_eq!(
        s.idempotency_claim(me, "k2", "h", at).await.unwrap(),
        IdempotencyClaim::Claimed
    );
    s.idempotency_release(me, "k2").await.unwrap();
    assert_eq!(
        s.idempotency_claim(me, "k2", "h", at).await.unwrap(),
        IdempotencyClaim::Claimed
    );
    // Keys older than the cut are forgotten.
    assert_eq!(
        s.idempotency_purge(at + Duration::hours(1)).await.unwrap(),
        2
    );
    assert_eq!(
        s.idempotency_claim(me, "k1", "h3", at).await.unwrap(),
        IdempotencyClaim::Claimed
    );
    // A token made with a scope keeps it.
    let token = PersonalToken {
        id: new_id(),
        staff: me,
        name: "API".into(),
        created_at: at,
        expires_at: at + Duration::days(1),
        revoked_at: None,
        scope: TokenScope::Admin,
    };
    s.token_create(&token, "wbt_scope", stamp).await.unwrap();
    let found = s.token_by_secret("wbt_scope").await.unwrap().unwrap();
    assert_eq!(found.scope, TokenScope::Admin);
    assert!(found.scope.allows(TokenScope::Write));
    assert!(!TokenScope::Read.allows(TokenScope::Write));
    assert_eq!(TokenScope::parse("write"), Ok(TokenScope::Write));
    assert!(TokenScope::parse("root").is_err());
}
