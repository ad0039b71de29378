//! What several web instances share: credentials, sessions, sign-in throttling.

use chrono::Duration;
use wegbereiter_core::prelude::*;

use crate::fixtures::*;
use crate::harness::{TestDb, on_both};

on_both!(
    credentials,
    web_sessions,
    login_failures,
    shared_between_instances
);

async fn credentials(db: TestDb) {
    let s = &db.store;
    let erika = StaffMember {
        id: StaffId::from_uuid(new_id()),
        login: t("erika"),
        display_name: t("Erika Musterfrau"),
        roles: vec![Role::KeyWorker],
        teams: vec![],
        active: true,
    };
    let stamp = AuditStamp {
        actor: None,
        at: noon(d(2026, 1, 1)),
    };
    s.save_staff(&erika, stamp).await.unwrap();
    assert_eq!(s.password_hash(erika.id).await.unwrap(), None);
    let phc = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";
    s.set_password_hash(erika.id, phc, stamp).await.unwrap();
    assert_eq!(
        s.password_hash(erika.id).await.unwrap().as_deref(),
        Some(phc)
    );
    s.set_password_hash(erika.id, "$argon2id$new", stamp)
        .await
        .unwrap();
    assert_eq!(
        s.password_hash(erika.id).await.unwrap().as_deref(),
        Some("$argon2id$new")
    );
    // Saving the staff member again keeps the password.
    s.save_staff(&erika, stamp).await.unwrap();
    assert!(s.password_hash(erika.id).await.unwrap().is_some());
    let unknown = StaffId::from_uuid(new_id());
    assert!(s.set_password_hash(unknown, phc, stamp).await.is_err());
    let log = s.audit_log(10).await.unwrap();
    assert_eq!(
        log.iter()
            .filter(|r| r.action == "staff.password_set")
            .count(),
        2
    );
    assert!(
        log.iter().all(|r| !r.subject.contains("argon2")),
        "no hash in the audit log"
    );
}

async fn web_sessions(db: TestDb) {
    let s = &db.store;
    let now = noon(d(2026, 3, 2));
    let data = vec![0u8, 159, 146, 150, 255, 1, 2];
    s.session_save("abc", &data, now + Duration::hours(8))
        .await
        .unwrap();
    assert_eq!(
        s.session_load("abc", now).await.unwrap(),
        Some(data.clone())
    );
    assert_eq!(s.session_load("missing", now).await.unwrap(), None);
    // Expired at exactly its expiry instant.
    assert_eq!(
        s.session_load("abc", now + Duration::hours(8))
            .await
            .unwrap(),
        None
    );
    // Upsert: new data and expiry.
    s.session_save("abc", b"v2", now + Duration::hours(9))
        .await
        .unwrap();
    assert_eq!(
        s.session_load("abc", now + Duration::hours(8))
            .await
            .unwrap(),
        Some(b"v2".to_vec())
    );
    s.session_save("old", b"x", now - Duration::seconds(1))
        .await
        .unwrap();
    s.session_save("gone", b"y", now).await.unwrap();
    assert_eq!(s.sessions_purge_expired(now).await.unwrap(), 2);
    assert_eq!(s.sessions_purge_expired(now).await.unwrap(), 0);
    s.session_delete("abc").await.unwrap();
    s.session_delete("abc").await.unwrap();
    assert_eq!(s.session_load("abc", now).await.unwrap(), None);
}

async fn login_failures(db: TestDb) {
    let s = &db.store;
    let now = noon(d(2026, 3, 2));
    for minutes in [1, 2, 3, 20] {
        s.login_failure_record("Erika", now - Duration::minutes(minutes))
            .await
            .unwrap();
    }
    s.login_failure_record("max", now).await.unwrap();
    assert_eq!(
        s.login_failures_since("erika", now - Duration::minutes(15))
            .await
            .unwrap(),
        3
    );
    assert_eq!(
        s.login_failures_since(" ERIKA ", now - Duration::hours(1))
            .await
            .unwrap(),
        4
    );
    assert_eq!(s.login_failures_since("erika", now).await.unwrap(), 0);
    s.login_failures_clear("ERIKA").await.unwrap();
    assert_eq!(
        s.login_failures_since("erika", now - Duration::hours(1))
            .await
            .unwrap(),
        0
    );
    assert_eq!(s.login_failures_since("max", now).await.unwrap(), 1);
    s.login_failure_record("max", now - Duration::days(2))
        .await
        .unwrap();
    assert_eq!(
        s.login_failures_purge(now - Duration::days(1))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        s.login_failures_since("max", now - Duration::days(3))
            .await
            .unwrap(),
        1
    );
}

/// Two stores on one database behave like two web instances.
async fn shared_between_instances(db: TestDb) {
    let other = db.reopen().await;
    let now = noon(d(2026, 3, 2));
    db.store
        .session_save("s1", b"hello", now + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(
        other.session_load("s1", now).await.unwrap(),
        Some(b"hello".to_vec())
    );
    other.login_failure_record("erika", now).await.unwrap();
    assert_eq!(
        db.store.login_failures_since("erika", now).await.unwrap(),
        1
    );
}
