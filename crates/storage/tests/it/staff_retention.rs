//! The retention rule of staff accounts: a deactivated account past its period loses its
//! name, sign-in name, password, tokens and the names the logs kept of it, and keeps its id;
//! active, reactivated and not yet due accounts stay as they are.

use wegbereiter_core::prelude::*;
use wegbereiter_core::retention::{
    ERASED_STAFF_NAME, ErasureRefused, RetentionCategory, RetentionPeriod, erased_login,
};
use wegbereiter_storage::{AccessQuery, PersonalToken, RetentionError, STAFF_ERASED, TokenScope};

use crate::fixtures::*;
use crate::harness::{TestDb, on_both};

on_both!(a_deactivated_account_past_its_period_keeps_only_its_id);

fn stamp(day: chrono::NaiveDate) -> AuditStamp {
    AuditStamp {
        actor: None,
        at: noon(day),
    }
}

fn member(login: &str, name: &str) -> StaffMember {
    StaffMember {
        id: StaffId::from_uuid(new_id()),
        login: t(login),
        display_name: t(name),
        roles: vec![Role::KeyWorker],
        teams: vec![],
        active: true,
    }
}

async fn a_deactivated_account_past_its_period_keeps_only_its_id(db: TestDb) {
    let s = &db.store;
    let office = Office::new(s);
    let bernd = member("Bernd.Ausscheider", "Bernd Ausscheider");
    let clara = member("clara.rueckkehr", "Clara Rückkehr");
    let dieter = member("dieter.aktiv", "Dieter Aktiv");
    for m in [&bernd, &clara, &dieter] {
        s.save_staff(m, stamp(d(2026, 1, 10))).await.unwrap();
    }
    s.set_password_hash(
        bernd.id,
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
        stamp(d(2026, 1, 10)),
    )
    .await
    .unwrap();
    let token = PersonalToken {
        id: new_id(),
        staff: bernd.id,
        name: "Bernds Skript".into(),
        created_at: noon(d(2026, 1, 11)),
        expires_at: noon(d(2026, 12, 31)),
        revoked_at: None,
        scope: TokenScope::Read,
    };
    s.token_create(&token, "wb_secret_of_bernd", stamp(d(2026, 1, 11)))
        .await
        .unwrap();
    s.login_failure_record("bernd.ausscheider", "192.0.2.7", noon(d(2026, 1, 12)))
        .await
        .unwrap();
    let case = office
        .refer(
            client("Rosa", "Leseprobe", Some(d(1990, 2, 2)), Some("34117")),
            d(2026, 1, 12),
            Some(office.nord),
        )
        .await;
    s.record_access(&AccessEntry {
        at: noon(d(2026, 1, 13)),
        actor: bernd.id,
        case_id: case,
        kind: AccessKind::View,
    })
    .await
    .unwrap();
    // Bernd leaves on 1 February; Clara leaves and comes back; Dieter stays.
    let gone = |m: &StaffMember| StaffMember {
        active: false,
        ..m.clone()
    };
    s.save_staff(&gone(&bernd), stamp(d(2026, 2, 1)))
        .await
        .unwrap();
    s.save_staff(&gone(&clara), stamp(d(2026, 2, 1)))
        .await
        .unwrap();
    s.save_staff(&clara, stamp(d(2026, 3, 1))).await.unwrap();

    // Twelve months by default: planned from 1 February 2027, not before.
    let plan = s.staff_retention_plan(d(2027, 1, 31)).await.unwrap();
    assert_eq!(plan.len(), 1, "{plan:?}");
    assert_eq!(plan[0].staff_id, bernd.id);
    assert_eq!(plan[0].deactivated_on, d(2026, 2, 1));
    assert_eq!(plan[0].from, d(2027, 2, 1));
    assert!(!plan[0].due);
    let early = s
        .apply_due(d(2027, 1, 31), stamp(d(2027, 1, 31)))
        .await
        .unwrap();
    assert_eq!(early.staff_accounts, 0);
    assert!(matches!(
        s.erase_staff_account(bernd.id, stamp(d(2027, 1, 31)), d(2027, 1, 31))
            .await,
        Err(RetentionError::Refused(ErasureRefused::NotDue))
    ));
    assert!(matches!(
        s.erase_staff_account(dieter.id, stamp(d(2028, 1, 1)), d(2028, 1, 1))
            .await,
        Err(RetentionError::Refused(ErasureRefused::AccountActive))
    ));
    let unknown = StaffId::from_uuid(new_id());
    assert!(matches!(
        s.erase_staff_account(unknown, stamp(d(2028, 1, 1)), d(2028, 1, 1)).await,
        Err(RetentionError::StaffNotFound(x)) if x == unknown
    ));
    assert_eq!(
        s.staff(bernd.id)
            .await
            .unwrap()
            .unwrap()
            .display_name
            .as_str(),
        "Bernd Ausscheider",
        "refusals change nothing"
    );

    let applied = s
        .apply_due(d(2027, 2, 1), stamp(d(2027, 2, 1)))
        .await
        .unwrap();
    assert_eq!(applied.staff_accounts, 1);
    let after = db.reopen().await;
    let erased = after.staff(bernd.id).await.unwrap().expect("the id stays");
    assert_eq!(erased.login.as_str(), erased_login(bernd.id));
    assert_eq!(erased.display_name.as_str(), ERASED_STAFF_NAME);
    assert!(!erased.active);
    assert_eq!(erased.roles, vec![Role::KeyWorker]);
    assert!(after.password_hash(bernd.id).await.unwrap().is_none());
    assert!(
        after
            .token_by_secret("wb_secret_of_bernd")
            .await
            .unwrap()
            .is_none()
    );
    let failures = after
        .login_failure_stats("bernd.ausscheider", "192.0.2.7", noon(d(2026, 1, 1)))
        .await
        .unwrap();
    assert_eq!(failures.from_address, 0);
    // No log keeps the name: the audit log names the pseudonym, the access log too.
    let audit = after.audit_log(500).await.unwrap();
    let text = format!("{audit:?}").to_lowercase();
    assert!(!text.contains("ausscheider"), "{text}");
    assert!(text.contains("clara.rueckkehr"), "others are untouched");
    assert!(audit.iter().any(|l| {
        l.action == STAFF_ERASED
            && l.subject.contains(&bernd.id.to_string())
            && l.subject
                .contains(RetentionCategory::StaffAccounts.label(Lang::De))
    }));
    let reads = after
        .access_page(&AccessQuery {
            reader: Some(bernd.id),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(reads.items.len(), 1, "the read stays, by the id");
    assert_eq!(
        reads.items[0].reader_name.as_deref(),
        Some(ERASED_STAFF_NAME)
    );
    assert!(!format!("{reads:?}").contains("Ausscheider"));
    // Done once: not planned again, refused again; the others stay; the chain verifies.
    assert!(
        after
            .staff_retention_plan(d(2030, 1, 1))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        after
            .erase_staff_account(bernd.id, stamp(d(2030, 1, 1)), d(2030, 1, 1))
            .await,
        Err(RetentionError::Refused(ErasureRefused::AlreadyDone))
    ));
    for m in [&clara, &dieter] {
        assert_eq!(after.staff(m.id).await.unwrap().as_ref(), Some(m));
    }
    assert!(after.verify().await.unwrap().is_intact());

    // A shorter period of the installation counts.
    let dora = member("dora.kurz", "Dora Kurz");
    after.save_staff(&dora, stamp(d(2030, 1, 1))).await.unwrap();
    after
        .save_staff(&gone(&dora), stamp(d(2030, 1, 2)))
        .await
        .unwrap();
    let mut rules = after.retention_rules().await.unwrap();
    rules
        .periods
        .push((RetentionCategory::StaffAccounts, RetentionPeriod::Days(30)));
    after
        .set_retention_rules(&rules, stamp(d(2030, 1, 2)))
        .await
        .unwrap();
    let plan = after.staff_retention_plan(d(2030, 2, 1)).await.unwrap();
    assert_eq!(plan.len(), 1);
    assert!(plan[0].due && plan[0].from == d(2030, 2, 1), "{plan:?}");
}
