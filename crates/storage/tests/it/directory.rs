//! Staff, teams, specialist services, group sessions and their audit log.

use wegbereiter_core::prelude::*;

use crate::fixtures::*;
use crate::harness::{TestDb, on_both};

on_both!(
    staff_round_trip_and_unique_logins,
    teams_have_unique_names,
    services_and_group_sessions,
    creating_never_replaces,
);

fn stamp(actor: Option<StaffId>, day: chrono::NaiveDate) -> AuditStamp {
    AuditStamp {
        actor,
        at: noon(day),
    }
}

fn member(login: &str, name: &str, roles: &[Role], teams: Vec<TeamId>) -> StaffMember {
    StaffMember {
        id: StaffId::from_uuid(new_id()),
        login: t(login),
        display_name: t(name),
        roles: roles.to_vec(),
        teams,
        active: true,
    }
}

async fn staff_round_trip_and_unique_logins(db: TestDb) {
    let s = &db.store;
    let nord = TeamId::from_uuid(new_id());
    let sued = TeamId::from_uuid(new_id());
    let admin = member("admin", "Zoe Verwaltung", &[Role::Administrator], vec![]);
    s.save_staff(&admin, stamp(None, d(2026, 1, 1)))
        .await
        .unwrap();
    let erika = member(
        "Erika.Musterfrau",
        "Erika Musterfrau",
        &[Role::KeyWorker, Role::TeamLead],
        vec![sued, nord],
    );
    s.save_staff(&erika, stamp(Some(admin.id), d(2026, 1, 2)))
        .await
        .unwrap();
    assert_eq!(s.staff(erika.id).await.unwrap(), Some(erika.clone()));
    assert_eq!(
        s.staff_by_login("  erika.MUSTERFRAU ").await.unwrap(),
        Some(erika.clone())
    );
    assert_eq!(s.staff_by_login("nobody").await.unwrap(), None);
    assert_eq!(s.staff(StaffId::from_uuid(new_id())).await.unwrap(), None);
    // Another person with the same login, in other letter case: refused, nothing changed.
    let copy = member(
        "ERIKA.musterfrau",
        "Erika Kopie",
        &[Role::KeyWorker],
        vec![],
    );
    let err = s
        .save_staff(&copy, stamp(Some(admin.id), d(2026, 1, 3)))
        .await
        .unwrap_err();
    assert!(matches!(err, StorageError::AlreadyExists(_)), "{err:?}");
    assert_eq!(s.staff(copy.id).await.unwrap(), None);
    // Replacing a member (same id) keeps the login and changes the rest, team order included.
    let mut changed = erika.clone();
    changed.display_name = t("Erika Musterfrau-Beispiel");
    changed.roles = vec![Role::KeyWorker];
    changed.teams = vec![nord];
    changed.active = false;
    s.save_staff(&changed, stamp(Some(admin.id), d(2026, 1, 4)))
        .await
        .unwrap();
    assert_eq!(s.staff(erika.id).await.unwrap(), Some(changed.clone()));
    let all = s.list_staff().await.unwrap();
    assert_eq!(all, vec![changed.clone(), admin.clone()], "by display name");
    // Every write is audited with actor and time; newest first.
    // A change of roles or of the active state is named in lines of its own.
    let log = s.audit_log(10).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "staff.saved",
            "staff.deactivated",
            "staff.role_removed",
            "staff.saved",
            "staff.saved"
        ]
    );
    assert!(
        log[2].subject.ends_with("role team_lead"),
        "{}",
        log[2].subject
    );
    assert_eq!(log[0].actor, Some(admin.id));
    assert_eq!(log[0].at, noon(d(2026, 1, 4)));
    assert_eq!(log[4].actor, None);
    assert!(log[0].subject.contains(&erika.id.to_string()));
    assert_eq!(s.audit_log(1).await.unwrap().len(), 1);
}

async fn teams_have_unique_names(db: TestDb) {
    let s = &db.store;
    let a = Team {
        id: TeamId::from_uuid(new_id()),
        name: t("Phase 1 Team Nord"),
    };
    let b = Team {
        id: TeamId::from_uuid(new_id()),
        name: t("Phase 1 Team Süd"),
    };
    s.save_team(&b, stamp(None, d(2026, 1, 1))).await.unwrap();
    s.save_team(&a, stamp(None, d(2026, 1, 1))).await.unwrap();
    assert_eq!(s.list_teams().await.unwrap(), vec![a.clone(), b.clone()]);
    let clash = Team {
        id: TeamId::from_uuid(new_id()),
        name: t("Phase 1 Team Nord"),
    };
    assert!(matches!(
        s.save_team(&clash, stamp(None, d(2026, 1, 2))).await,
        Err(StorageError::AlreadyExists(_))
    ));
    let renamed = Team {
        id: a.id,
        name: t("Phase 2 Gruppe"),
    };
    s.save_team(&renamed, stamp(None, d(2026, 1, 3)))
        .await
        .unwrap();
    assert_eq!(s.team(a.id).await.unwrap(), Some(renamed));
    assert_eq!(s.team(clash.id).await.unwrap(), None);
    assert_eq!(s.audit_log(100).await.unwrap().len(), 3);
}

async fn services_and_group_sessions(db: TestDb) {
    let s = &db.store;
    let debt = SpecialistService {
        id: ServiceId::from_uuid(new_id()),
        name: t("Schuldnerberatung Beispielstadt"),
        kind: ServiceKind::DebtCounselling,
        contact: Some(t("Termine nur nach Anruf")),
        active: true,
        details: ServiceDetails {
            address: Some(t("Beispielweg 2, 99999 Beispielstadt")),
            phone: Some(t("0123 45678-0")),
            email: Some(t("beratung@schuldner.example.org")),
            opening_hours: Some(t("Mo–Do 9–12 Uhr, Di 14–17 Uhr")),
            contact_person: Some(t("Frau Beispiel")),
        },
    };
    let addiction = SpecialistService {
        id: ServiceId::from_uuid(new_id()),
        name: t("Suchtberatung Musterstadt"),
        kind: ServiceKind::AddictionCounselling,
        contact: None,
        active: false,
        details: ServiceDetails::default(),
    };
    s.save_service(&addiction, stamp(None, d(2026, 1, 1)))
        .await
        .unwrap();
    s.save_service(&debt, stamp(None, d(2026, 1, 1)))
        .await
        .unwrap();
    assert_eq!(
        s.list_services().await.unwrap(),
        vec![debt.clone(), addiction.clone()]
    );
    assert_eq!(s.service(debt.id).await.unwrap(), Some(debt.clone()));
    // Every detail is kept and can be cleared again.
    let mut moved = debt.clone();
    moved.contact = None;
    moved.details.phone = None;
    moved.details.opening_hours = Some(t("Mo–Fr 8–12 Uhr"));
    s.save_service(&moved, stamp(None, d(2026, 1, 2)))
        .await
        .unwrap();
    assert_eq!(s.service(debt.id).await.unwrap(), Some(moved));

    let breakfast = GroupSession {
        id: GroupSessionId::from_uuid(new_id()),
        kind: GroupSessionKind::Breakfast,
        date: d(2026, 4, 2),
        title: t("Frühstück im Stadtteilladen"),
    };
    let workshop = GroupSession {
        id: GroupSessionId::from_uuid(new_id()),
        kind: GroupSessionKind::Workshop,
        date: d(2026, 4, 9),
        title: t("Werkstatt"),
    };
    s.save_group_session(&breakfast, stamp(None, d(2026, 3, 1)))
        .await
        .unwrap();
    s.save_group_session(&workshop, stamp(None, d(2026, 3, 1)))
        .await
        .unwrap();
    assert_eq!(
        s.list_group_sessions().await.unwrap(),
        vec![workshop.clone(), breakfast.clone()]
    );
    assert_eq!(
        s.group_session(breakfast.id).await.unwrap(),
        Some(breakfast)
    );
    let actions: Vec<String> = s
        .audit_log(100)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert_eq!(
        actions,
        [
            "group_session.saved",
            "group_session.saved",
            "service.saved",
            "service.saved",
            "service.saved"
        ]
    );
}

/// The JSON API's creating POSTs: `add_*` inserts, so an existing id (or a team's name) is
/// refused and the stored entry stays as it was, also when two writers race for one id.
async fn creating_never_replaces(db: TestDb) {
    let s = &db.store;
    let at = stamp(None, d(2026, 2, 1));
    let team = Team {
        id: TeamId::from_uuid(new_id()),
        name: t("Phase 1 Team West"),
    };
    s.add_team(&team, at).await.unwrap();
    let same_id = Team {
        id: team.id,
        name: t("Anderer Name"),
    };
    let same_name = Team {
        id: TeamId::from_uuid(new_id()),
        name: t("Phase 1 Team West"),
    };
    for clash in [&same_id, &same_name] {
        assert!(matches!(
            s.add_team(clash, at).await,
            Err(StorageError::AlreadyExists(_))
        ));
    }
    assert_eq!(s.list_teams().await.unwrap(), vec![team.clone()]);

    let service = SpecialistService {
        id: ServiceId::from_uuid(new_id()),
        name: t("Schuldnerberatung West"),
        kind: ServiceKind::DebtCounselling,
        contact: None,
        active: true,
        details: ServiceDetails::default(),
    };
    s.add_service(&service, at).await.unwrap();
    let mut renamed = service.clone();
    renamed.name = t("Überschrieben");
    assert!(matches!(
        s.add_service(&renamed, at).await,
        Err(StorageError::AlreadyExists(_))
    ));
    assert_eq!(s.service(service.id).await.unwrap(), Some(service));

    let session = GroupSession {
        id: GroupSessionId::from_uuid(new_id()),
        kind: GroupSessionKind::Excursion,
        date: d(2026, 5, 7),
        title: t("Ausflug"),
    };
    // Two writers with one id at once: exactly one creates it.
    let mut other = session.clone();
    other.title = t("Zweiter Ausflug");
    let (first, second) = tokio::join!(
        s.add_group_session(&session, at),
        s.add_group_session(&other, at)
    );
    assert_eq!(
        [first.is_ok(), second.is_ok()]
            .iter()
            .filter(|ok| **ok)
            .count(),
        1,
        "{first:?} {second:?}"
    );
    for r in [first, second] {
        if let Err(e) = r {
            assert!(matches!(e, StorageError::AlreadyExists(_)), "{e:?}");
        }
    }
    assert_eq!(s.list_group_sessions().await.unwrap().len(), 1);
    // One audit line per entry created, none for the refusals.
    assert_eq!(s.audit_log(100).await.unwrap().len(), 3);
}
