//! What several web instances share: credentials, sessions, sign-in throttling; the audit
//! log of sign-ins and the access log across cases.

use chrono::Duration;
use wegbereiter_core::prelude::*;

use crate::fixtures::*;
use crate::harness::{TestDb, on_both};
use wegbereiter_storage::Backend;

on_both!(
    credentials,
    web_sessions,
    login_failures,
    shared_between_instances,
    audit_records_of_the_web,
    access_log_across_cases,
    odd_input_gives_typed_errors_and_changes_nothing
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

/// Sign-ins and sign-outs go into the audit log, newest first, with actor and time.
async fn audit_records_of_the_web(db: TestDb) {
    let s = &db.store;
    let erika = StaffId::from_uuid(new_id());
    let at = noon(d(2026, 3, 2));
    s.audit_record(
        AuditStamp { actor: None, at },
        "auth.sign_in_failed",
        "Erika ",
    )
    .await
    .unwrap();
    s.audit_record(
        AuditStamp {
            actor: Some(erika),
            at: at + Duration::minutes(1),
        },
        "auth.sign_in",
        "erika",
    )
    .await
    .unwrap();
    s.audit_record(
        AuditStamp {
            actor: Some(erika),
            at: at + Duration::minutes(2),
        },
        "auth.sign_out",
        "erika",
    )
    .await
    .unwrap();
    let log = s.audit_log(10).await.unwrap();
    let lines: Vec<(&str, &str, Option<StaffId>)> = log
        .iter()
        .map(|r| (r.action.as_str(), r.subject.as_str(), r.actor))
        .collect();
    assert_eq!(
        lines,
        vec![
            ("auth.sign_out", "erika", Some(erika)),
            ("auth.sign_in", "erika", Some(erika)),
            ("auth.sign_in_failed", "Erika ", None),
        ]
    );
    assert_eq!(log[2].at, at);
    assert_eq!(s.audit_log(1).await.unwrap().len(), 1);
    // Another instance sees the same log.
    assert_eq!(db.reopen().await.audit_log(10).await.unwrap(), log);
}

/// The access log of all cases, newest first, limited.
async fn access_log_across_cases(db: TestDb) {
    let s = &db.store;
    assert!(s.access_log(10).await.unwrap().is_empty());
    let actor = StaffId::from_uuid(new_id());
    let mut recorded = Vec::new();
    for i in 0..7_i64 {
        let entry = AccessEntry {
            at: noon(d(2026, 3, 2)) + Duration::minutes(i),
            actor,
            case_id: CaseId::from_uuid(new_id()),
            kind: if i % 2 == 0 {
                AccessKind::View
            } else {
                AccessKind::Export
            },
        };
        s.record_access(&entry).await.unwrap();
        recorded.push(entry);
    }
    recorded.reverse();
    assert_eq!(s.access_log(100).await.unwrap(), recorded);
    assert_eq!(s.access_log(3).await.unwrap(), recorded[..3].to_vec());
    assert!(s.access_log(0).await.unwrap().is_empty());
}

async fn odd_input_gives_typed_errors_and_changes_nothing(db: TestDb) {
    use wegbereiter_core::ports::{CaseFilter, CaseRepository};
    let s = &db.store;
    let now = noon(d(2026, 1, 1));
    let stamp = AuditStamp {
        actor: None,
        at: now,
    };
    // "All rows" limits beyond SQL's signed 64 bits are clamped, not a panic.
    assert!(s.access_log(u64::MAX).await.unwrap().is_empty());
    assert!(s.audit_log(u64::MAX).await.unwrap().is_empty());
    let all = CaseFilter {
        limit: Some(usize::MAX),
        ..CaseFilter::default()
    };
    assert!(s.list(&all).await.unwrap().is_empty());
    // Lookups by keys with odd characters find nothing on both backends.
    for key in [
        "a\0b",
        "",
        " ",
        "%",
        "_",
        "'; DROP TABLE staff; --",
        "ä\u{202e}x",
    ] {
        assert_eq!(s.session_load(key, now).await.unwrap(), None, "{key:?}");
        s.session_delete(key).await.unwrap();
        assert_eq!(
            s.login_failures_since(key, now).await.unwrap(),
            0,
            "{key:?}"
        );
        s.login_failures_clear(key).await.unwrap();
        assert!(s.staff_by_login(key).await.unwrap().is_none(), "{key:?}");
        let named = CaseFilter {
            name_contains: Some(key.to_owned()),
            ..CaseFilter::default()
        };
        assert!(s.list(&named).await.unwrap().is_empty(), "{key:?}");
    }
    // A NUL character: SQLite stores it, PostgreSQL refuses with a clear message and
    // writes nothing.
    let saved = s.session_save("a\0b", b"x", now + Duration::hours(1)).await;
    let recorded = s.login_failure_record("ad\0min", now).await;
    let audited = s
        .audit_record(stamp, "auth.sign_in_failed", "ad\0min")
        .await;
    match db.backend() {
        Backend::Sqlite => {
            saved.unwrap();
            recorded.unwrap();
            audited.unwrap();
        }
        Backend::Postgres => {
            for result in [saved, recorded, audited] {
                let message = result.unwrap_err().to_string();
                assert!(message.contains("U+0000"), "{message}");
            }
            assert!(s.audit_log(10).await.unwrap().is_empty());
        }
    }
}
