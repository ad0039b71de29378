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
    session_ids_are_stored_hashed,
    sessions_are_revoked_when_rights_change,
    login_failures,
    failed_sign_ins_are_counted_per_hour,
    audit_pages_and_filters,
    access_log_keeps_the_reader_as_named_at_the_time,
    shared_between_instances,
    shared_secrets_are_made_once,
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
    s.session_create("abc", None, &data, now, now + Duration::hours(8))
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
    // Saving an existing session: new data and expiry.
    assert!(
        s.session_save("abc", b"v2", now + Duration::hours(9))
            .await
            .unwrap()
    );
    assert_eq!(
        s.session_load("abc", now + Duration::hours(8))
            .await
            .unwrap(),
        Some(b"v2".to_vec())
    );
    // Saving a session that does not exist (any more) stores nothing.
    assert!(
        !s.session_save("revoked", b"v", now + Duration::hours(9))
            .await
            .unwrap()
    );
    assert_eq!(s.session_load("revoked", now).await.unwrap(), None);
    s.session_create("old", None, b"x", now, now - Duration::seconds(1))
        .await
        .unwrap();
    s.session_create("gone", None, b"y", now, now)
        .await
        .unwrap();
    assert_eq!(s.sessions_purge_expired(now).await.unwrap(), 2);
    assert_eq!(s.sessions_purge_expired(now).await.unwrap(), 0);
    s.session_delete("abc").await.unwrap();
    s.session_delete("abc").await.unwrap();
    assert_eq!(s.session_load("abc", now).await.unwrap(), None);
}

/// The table keeps only a hash of each session id: whoever reads the database cannot
/// present a stored value as a session cookie.
async fn session_ids_are_stored_hashed(db: TestDb) {
    use sea_orm::{ConnectionTrait, Statement};
    let s = &db.store;
    let now = noon(d(2026, 3, 2));
    let id = "ZXJpa2Etc2Vzc2lvbi1pZA";
    s.session_create(id, None, b"x", now, now + Duration::hours(1))
        .await
        .unwrap();
    let raw = db.raw().await;
    let rows = raw
        .query_all_raw(Statement::from_string(
            raw.get_database_backend(),
            "SELECT id_hash FROM web_sessions",
        ))
        .await
        .unwrap();
    let stored: Vec<String> = rows
        .iter()
        .map(|r| r.try_get::<String>("", "id_hash").unwrap())
        .collect();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], id);
    assert!(!stored[0].contains(id));
    assert_eq!(stored[0].len(), 64, "SHA-256 in hex");
    assert_eq!(s.session_load(&stored[0], now).await.unwrap(), None);
    assert!(s.session_load(id, now).await.unwrap().is_some());
}

/// A new password, a role change, a deactivation end every session of that person, and a
/// reactivation brings none back; other people keep theirs, and a save that changes nothing
/// of that kind ends nothing.
async fn sessions_are_revoked_when_rights_change(db: TestDb) {
    let s = &db.store;
    let now = noon(d(2026, 3, 2));
    let stamp = AuditStamp {
        actor: None,
        at: now,
    };
    let mut erika = StaffMember {
        id: StaffId::from_uuid(new_id()),
        login: t("erika"),
        display_name: t("Erika Musterfrau"),
        roles: vec![Role::KeyWorker],
        teams: vec![],
        active: true,
    };
    let max = StaffMember {
        id: StaffId::from_uuid(new_id()),
        login: t("max"),
        display_name: t("Max Beispiel"),
        roles: vec![Role::KeyWorker],
        teams: vec![],
        active: true,
    };
    s.save_staff(&erika, stamp).await.unwrap();
    s.save_staff(&max, stamp).await.unwrap();
    let until = now + Duration::hours(8);
    let sign_in = |id: &'static str, who: StaffId| async move {
        s.session_create(id, Some(who), b"x", now, until)
            .await
            .unwrap();
    };
    let alive = |id: &'static str| async move { s.session_load(id, now).await.unwrap().is_some() };
    sign_in("max-1", max.id).await;

    sign_in("erika-1", erika.id).await;
    sign_in("erika-2", erika.id).await;
    s.set_password_hash(erika.id, "$argon2id$new", stamp)
        .await
        .unwrap();
    assert!(!alive("erika-1").await && !alive("erika-2").await);

    sign_in("erika-3", erika.id).await;
    erika.display_name = t("Erika Beispiel");
    s.save_staff(&erika, stamp).await.unwrap();
    assert!(alive("erika-3").await, "a rename changes no rights");
    erika.roles = vec![Role::KeyWorker, Role::TeamLead];
    s.save_staff(&erika, stamp).await.unwrap();
    assert!(!alive("erika-3").await, "role granted");

    sign_in("erika-4", erika.id).await;
    erika.active = false;
    s.save_staff(&erika, stamp).await.unwrap();
    assert!(!alive("erika-4").await, "deactivated");
    erika.active = true;
    s.save_staff(&erika, stamp).await.unwrap();
    assert!(!alive("erika-4").await, "reactivation brings nothing back");

    assert!(alive("max-1").await);
    assert_eq!(s.sessions_revoke(max.id).await.unwrap(), 1);
    assert!(!alive("max-1").await);

    // The audit log names the role and the change of state.
    let log = s.audit_log(100).await.unwrap();
    let granted: Vec<_> = log
        .iter()
        .filter(|r| r.action == "staff.role_granted")
        .map(|r| r.about())
        .collect();
    assert_eq!(
        granted,
        vec![wegbereiter_storage::AuditSubject::StaffRole {
            id: erika.id,
            login: "erika".into(),
            role: "team_lead".into(),
        }]
    );
    assert_eq!(
        log.iter()
            .filter(|r| r.action == "staff.deactivated")
            .count(),
        1
    );
    assert_eq!(
        log.iter()
            .filter(|r| r.action == "staff.reactivated")
            .count(),
        1
    );
    erika.roles = vec![Role::TeamLead];
    s.save_staff(&erika, stamp).await.unwrap();
    let removed = s.audit_log(2).await.unwrap();
    assert_eq!(removed[1].action, "staff.role_removed");
    assert!(
        removed[1].subject.ends_with("role key_worker"),
        "{}",
        removed[1].subject
    );
}

async fn login_failures(db: TestDb) {
    let s = &db.store;
    let now = noon(d(2026, 3, 2));
    for minutes in [1, 2, 3, 20] {
        s.login_failure_record("Erika", "192.0.2.1", now - Duration::minutes(minutes))
            .await
            .unwrap();
    }
    s.login_failure_record("erika", "192.0.2.2", now - Duration::minutes(5))
        .await
        .unwrap();
    s.login_failure_record("max", "192.0.2.1", now)
        .await
        .unwrap();
    let stats = s
        .login_failure_stats("erika", "192.0.2.1", now - Duration::minutes(15))
        .await
        .unwrap();
    assert_eq!(stats.from_address, 3);
    assert_eq!(stats.last_from_address, Some(now - Duration::minutes(1)));
    assert_eq!(stats.addresses, 2);
    let stats = s
        .login_failure_stats(" ERIKA ", "192.0.2.1", now - Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(stats.from_address, 4);
    let elsewhere = s
        .login_failure_stats("erika", "198.51.100.7", now - Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(
        (elsewhere.from_address, elsewhere.last_from_address),
        (0, None)
    );
    assert_eq!(
        s.login_failure_stats("erika", "192.0.2.1", now)
            .await
            .unwrap()
            .from_address,
        0
    );
    // A successful sign-in clears its own address only; lifting the throttle clears all.
    assert_eq!(
        s.login_failures_clear("ERIKA", Some("192.0.2.1"))
            .await
            .unwrap(),
        4
    );
    let stats = s
        .login_failure_stats("erika", "192.0.2.2", now - Duration::hours(1))
        .await
        .unwrap();
    assert_eq!((stats.from_address, stats.addresses), (1, 1));
    assert_eq!(s.login_failures_clear("erika", None).await.unwrap(), 1);
    assert_eq!(
        s.login_failure_stats("max", "192.0.2.1", now)
            .await
            .unwrap()
            .from_address,
        1
    );
    s.login_failure_record("max", "192.0.2.1", now - Duration::days(2))
        .await
        .unwrap();
    assert_eq!(
        s.login_failures_purge(now - Duration::days(1))
            .await
            .unwrap(),
        1
    );
    // Addresses a sign-in succeeded from.
    assert!(!s.login_address_known("Erika", "192.0.2.1").await.unwrap());
    s.login_address_remember("Erika", "192.0.2.1", now)
        .await
        .unwrap();
    s.login_address_remember("erika", "192.0.2.1", now + Duration::hours(1))
        .await
        .unwrap();
    assert!(s.login_address_known(" ERIKA", "192.0.2.1").await.unwrap());
    assert!(!s.login_address_known("erika", "192.0.2.2").await.unwrap());
    assert!(!s.login_address_known("max", "192.0.2.1").await.unwrap());
}

/// Two stores on one database behave like two web instances.
async fn shared_between_instances(db: TestDb) {
    let other = db.reopen().await;
    let now = noon(d(2026, 3, 2));
    db.store
        .session_create("s1", None, b"hello", now, now + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(
        other.session_load("s1", now).await.unwrap(),
        Some(b"hello".to_vec())
    );
    other
        .login_failure_record("erika", "192.0.2.1", now)
        .await
        .unwrap();
    assert_eq!(
        db.store
            .login_failure_stats("erika", "192.0.2.1", now)
            .await
            .unwrap()
            .from_address,
        1
    );
}

/// A shared secret is the first candidate stored under its name, whichever instance asks
/// later and with whatever candidate; other names are independent. Instances that ask at
/// the same moment agree.
async fn shared_secrets_are_made_once(db: TestDb) {
    let other = db.reopen().await;
    let now = noon(d(2026, 3, 2));
    assert_eq!(db.store.session_count().await.unwrap(), 0);
    let (a, b) = tokio::join!(
        db.store.web_secret("csrf_cookie.v1", &[1; 32], now),
        other.web_secret("csrf_cookie.v1", &[2; 32], now),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a, b, "both instances got the same secret");
    assert!(a == [1; 32] || a == [2; 32]);
    assert_eq!(
        db.store
            .web_secret("csrf_cookie.v1", &[3; 32], now + Duration::days(1))
            .await
            .unwrap(),
        a
    );
    assert_eq!(
        other.web_secret("other", &[4; 16], now).await.unwrap(),
        vec![4; 16]
    );
    db.store
        .session_create("s1", None, b"x", now, now + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(other.session_count().await.unwrap(), 1);
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
            s.login_failure_stats(key, key, now).await.unwrap(),
            wegbereiter_storage::LoginFailureStats::default(),
            "{key:?}"
        );
        assert!(!s.login_address_known(key, key).await.unwrap(), "{key:?}");
        assert_eq!(s.login_failures_clear(key, Some(key)).await.unwrap(), 0);
        assert!(s.staff_by_login(key).await.unwrap().is_none(), "{key:?}");
        let named = CaseFilter {
            name_contains: Some(key.to_owned()),
            ..CaseFilter::default()
        };
        assert!(s.list(&named).await.unwrap().is_empty(), "{key:?}");
    }
    // A NUL character: SQLite stores it, PostgreSQL refuses with a clear message and
    // writes nothing.
    // (Session ids are stored hashed, so even a NUL in one is stored.)
    s.session_create("a\0b", None, b"x", now, now + Duration::hours(1))
        .await
        .unwrap();
    assert!(s.session_load("a\0b", now).await.unwrap().is_some());
    let saved = s
        .audit_record_counted(stamp, "auth.sign_in_failed", "ad\0min")
        .await;
    let recorded = s.login_failure_record("ad\0min", "192.0.2.1", now).await;
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

/// Failed sign-ins of one sign-in name become one line per clock hour, with a count; another
/// name or another hour gets a line of its own.
async fn failed_sign_ins_are_counted_per_hour(db: TestDb) {
    let s = &db.store;
    let at = |h: u32, m: u32| {
        noon(d(2026, 3, 2)) + Duration::hours(i64::from(h)) + Duration::minutes(i64::from(m))
    };
    let fail = |when, who: &'static str| async move {
        s.audit_record_counted(
            AuditStamp {
                actor: None,
                at: when,
            },
            "auth.sign_in_failed",
            who,
        )
        .await
        .unwrap();
    };
    for minute in 0..60 {
        fail(at(0, minute), "erika").await;
    }
    fail(at(0, 30), "max").await;
    fail(at(1, 0), "erika").await;
    let log = s.audit_log(100).await.unwrap();
    let lines: Vec<(&str, u64, _)> = log
        .iter()
        .map(|r| (r.subject.as_str(), r.count, r.at))
        .collect();
    assert_eq!(
        lines,
        vec![
            ("erika", 1, at(1, 0)),
            ("max", 1, at(0, 30)),
            ("erika", 60, at(0, 0)),
        ]
    );
}

/// The audit log in pages, narrowed by period, person and action: a flood of lines by
/// nobody in particular never hides an administrator's line.
async fn audit_pages_and_filters(db: TestDb) {
    use wegbereiter_storage::AuditQuery;
    let s = &db.store;
    let admin = StaffId::from_uuid(new_id());
    let start = noon(d(2026, 3, 2));
    s.audit_record(
        AuditStamp {
            actor: Some(admin),
            at: start,
        },
        "staff.role_granted",
        "staff x (x) role team_lead",
    )
    .await
    .unwrap();
    for i in 0..250 {
        s.audit_record_counted(
            AuditStamp {
                actor: None,
                at: start + Duration::minutes(1),
            },
            "auth.sign_in_failed",
            &format!("unbekannt{i}"),
        )
        .await
        .unwrap();
    }
    let all = |before| AuditQuery {
        limit: 100,
        before,
        ..AuditQuery::default()
    };
    // Paging walks the whole log, newest first, without losing or repeating a line.
    let mut seen = Vec::new();
    let mut before = None;
    loop {
        let page = s.audit_page(&all(before)).await.unwrap();
        assert!(page.items.len() <= 100);
        seen.extend(page.items.iter().map(|r| r.id));
        match page.next {
            Some(next) => before = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), 251);
    assert!(seen.windows(2).all(|w| w[0] > w[1]));
    let last = s.audit_page(&all(before)).await.unwrap();
    assert_eq!(
        last.items.last().map(|r| r.action.as_str()),
        Some("staff.role_granted")
    );

    let by_admin = s
        .audit_page(&AuditQuery {
            actor: Some(admin),
            limit: 10,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(by_admin.items.len(), 1);
    assert_eq!(by_admin.next, None);
    let by_action = s
        .audit_page(&AuditQuery {
            action: Some("staff.role_granted".into()),
            limit: 10,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(by_action.items, by_admin.items);
    let in_period = s
        .audit_page(&AuditQuery {
            from: Some(start),
            until: Some(start + Duration::minutes(1)),
            limit: 10,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(in_period.items, by_admin.items);
    let nothing = s
        .audit_page(&AuditQuery {
            action: Some("a\0b".into()),
            limit: 10,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert!(nothing.items.is_empty());
}

/// A read keeps the reader's sign-in name and display name as they were: renaming the
/// account later changes none of its past reads. Pages narrow by reader, case and period.
async fn access_log_keeps_the_reader_as_named_at_the_time(db: TestDb) {
    use wegbereiter_core::ports::AccessLog;
    use wegbereiter_storage::AccessQuery;
    let s = &db.store;
    let now = noon(d(2026, 3, 2));
    let stamp = AuditStamp {
        actor: None,
        at: now,
    };
    let mut erika = StaffMember {
        id: StaffId::from_uuid(new_id()),
        login: t("erika"),
        display_name: t("Erika Musterfrau"),
        roles: vec![Role::KeyWorker],
        teams: vec![],
        active: true,
    };
    s.save_staff(&erika, stamp).await.unwrap();
    let case = CaseId::from_uuid(new_id());
    let other_case = CaseId::from_uuid(new_id());
    let read = |case_id, at| AccessEntry {
        at,
        actor: erika.id,
        case_id,
        kind: AccessKind::View,
    };
    let first = read(case, now);
    s.record_access(&first).await.unwrap();
    erika.login = t("erika.beispiel");
    erika.display_name = t("Erika Beispiel");
    s.save_staff(&erika, stamp).await.unwrap();
    let second = read(case, now + Duration::hours(1));
    s.record_access(&second).await.unwrap();
    s.record_access(&read(other_case, now + Duration::hours(2)))
        .await
        .unwrap();

    let page = s
        .access_page(&AccessQuery {
            cases: Some(vec![case]),
            limit: 10,
            ..AccessQuery::default()
        })
        .await
        .unwrap();
    let named: Vec<_> = page
        .items
        .iter()
        .map(|r| {
            (
                r.entry.clone(),
                r.reader_login.as_deref(),
                r.reader_name.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        named,
        vec![
            (second, Some("erika.beispiel"), Some("Erika Beispiel")),
            (first.clone(), Some("erika"), Some("Erika Musterfrau")),
        ]
    );
    // The port is unchanged.
    assert_eq!(s.accesses(case).await.unwrap().len(), 2);
    let by_reader = s
        .access_page(&AccessQuery {
            reader: Some(erika.id),
            limit: 2,
            ..AccessQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(by_reader.items.len(), 2);
    assert!(by_reader.next.is_some());
    let older = s
        .access_page(&AccessQuery {
            reader: Some(erika.id),
            before: by_reader.next,
            limit: 2,
            ..AccessQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(
        older
            .items
            .iter()
            .map(|r| r.entry.clone())
            .collect::<Vec<_>>(),
        vec![first]
    );
    assert_eq!(older.next, None);
    let in_period = s
        .access_page(&AccessQuery {
            from: Some(now + Duration::minutes(30)),
            until: Some(now + Duration::minutes(90)),
            limit: 10,
            ..AccessQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(in_period.items.len(), 1);
    let no_case = s
        .access_page(&AccessQuery {
            cases: Some(vec![]),
            limit: 10,
            ..AccessQuery::default()
        })
        .await
        .unwrap();
    assert!(no_case.items.is_empty());
}
