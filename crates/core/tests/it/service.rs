//! The write path over the in-memory store: load, decide, append, conflicts.

use std::sync::Arc;

use futures_executor::block_on;
use wegbereiter_core::prelude::*;

use crate::support::*;

#[test]
fn commands_run_through_the_service_and_conflicts_are_detected() {
    block_on(async {
        let store = Arc::new(InMemoryStore::new());
        let service = CaseService::new(store.clone(), Policy::default());
        let w = World::new();
        let id = w.case_id;
        let now = noon(d(2026, 3, 2)).fixed_offset();
        let refer = Command::Refer {
            referral: referral(d(2026, 3, 1)),
            team: Some(TeamId::from_uuid(uuid::Uuid::from_u128(900))),
        };
        let done = service
            .execute(id, &refer, &w.key_worker, now)
            .await
            .unwrap();
        assert_eq!(done.case.version, 1);
        assert_eq!(store.load(id).await.unwrap().unwrap(), done.case);
        // A second referral with the same id is a rule refusal, not a storage error.
        assert!(matches!(
            service.execute(id, &refer, &w.key_worker, now).await,
            Err(ServiceError::Rule(DomainError::CaseAlreadyExists))
        ));
        // Unknown case.
        let other = CaseId::from_uuid(uuid::Uuid::from_u128(4242));
        assert!(matches!(
            service
                .execute(
                    other,
                    &Command::Decline { on: d(2026, 3, 2) },
                    &w.key_worker,
                    now
                )
                .await,
            Err(ServiceError::NotFound(_))
        ));
        // The user saw version 1; someone else wrote version 2 in between.
        let letter = Command::AnnounceVisit {
            announcement: VisitAnnouncement {
                hours: None,
                letter_date: d(2026, 3, 2),
                visit_from: d(2026, 3, 9),
                visit_until: d(2026, 3, 10),
            },
        };
        service
            .execute_at(id, Some(1), &letter, &w.key_worker, now)
            .await
            .unwrap();
        let stale = service
            .execute_at(
                id,
                Some(1),
                &Command::Decline { on: d(2026, 3, 2) },
                &w.key_worker,
                now,
            )
            .await;
        assert!(matches!(
            stale,
            Err(ServiceError::Conflict {
                expected: 1,
                actual: 2,
                ..
            })
        ));
        assert_eq!(
            store.history(id).await.unwrap().len(),
            2,
            "nothing of the stale command was written"
        );
        // The repository itself refuses stale appends.
        let events = store.history(id).await.unwrap();
        assert!(matches!(
            store.append(id, 1, &events[1..]).await,
            Err(StorageError::Conflict {
                expected: 1,
                actual: 2,
                ..
            })
        ));
    });
}

#[test]
fn lists_and_duplicate_hints() {
    block_on(async {
        let store = Arc::new(InMemoryStore::new());
        let service = CaseService::new(store.clone(), Policy::default());
        let w = World::new();
        let now = noon(d(2026, 3, 2)).fixed_offset();
        for n in 0..3u128 {
            let id = CaseId::from_uuid(uuid::Uuid::from_u128(500 + n));
            service
                .execute(
                    id,
                    &Command::Refer {
                        referral: referral(d(2026, 3, 1)),
                        team: Some(TeamId::from_uuid(uuid::Uuid::from_u128(900))),
                    },
                    &w.key_worker,
                    now,
                )
                .await
                .unwrap();
        }
        let all = store.list(&CaseFilter::default()).await.unwrap();
        assert_eq!(all.len(), 3);
        let limited = store
            .list(&CaseFilter {
                limit: Some(2),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(limited.len(), 2);
        let by_name = store
            .list(&CaseFilter {
                name_contains: Some("musterFRAU".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(by_name.len(), 3);
        let enrolled = store
            .list(&CaseFilter {
                status: Some(CaseStatus::Enrolled),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(enrolled.is_empty());
        let dups = store
            .possible_duplicates(&referral(d(2026, 3, 1)).client)
            .await
            .unwrap();
        assert_eq!(dups.len(), 3);
    });
}

#[test]
fn a_repository_refuses_events_that_break_i2_or_i3_whoever_made_them() {
    block_on(async {
        // A case in outreach, stored.
        let store = Arc::new(InMemoryStore::new());
        let outreach = World::in_outreach();
        let id = outreach.case_id;
        store.append(id, 0, &outreach.history).await.unwrap();
        let version = outreach.case().version;

        // A goal agreed on an enrolled copy of the same case, forged onto the stored history.
        let mut enrolled = World::enrolled();
        let goal = enrolled.agree_goal(LifeDomain::Housing, "Wohnung halten");
        let forged_goal = RecordedEvent {
            case_id: id,
            sequence: version + 1,
            recorded_at: noon(d(2026, 3, 2)),
            actor: enrolled.key_worker.id,
            event: enrolled
                .history
                .iter()
                .rev()
                .find(|e| matches!(&e.event, CaseEvent::GoalAgreed { goal: g } if g.id == goal))
                .unwrap()
                .event
                .clone(),
        };
        let err = store.append(id, version, &[forged_goal]).await.unwrap_err();
        assert!(err.to_string().contains("I2"), "{err}");
        assert_eq!(store.load(id).await.unwrap().unwrap(), *outreach.case());

        // An extension beyond 6 months appended to an enrolled case.
        let store = Arc::new(InMemoryStore::new());
        let id = enrolled.case_id;
        store.append(id, 0, &enrolled.history).await.unwrap();
        let case = enrolled.case().clone();
        let period = case.period.clone().unwrap();
        let forged_extension = RecordedEvent {
            case_id: id,
            sequence: case.version + 1,
            recorded_at: noon(d(2026, 5, 1)),
            actor: enrolled.key_worker.id,
            event: CaseEvent::PeriodExtended {
                previous_end: period.planned_end(),
                new_end: period.latest_end() + chrono::Days::new(1),
                reason: t("länger"),
                on: d(2026, 5, 1),
            },
        };
        let err = store
            .append(id, case.version, &[forged_extension])
            .await
            .unwrap_err();
        assert!(err.to_string().contains("I3"), "{err}");
        assert_eq!(store.load(id).await.unwrap().unwrap(), case);
    });
}

#[test]
fn opening_many_cases_in_memory_is_all_or_nothing() {
    block_on(async {
        let store = Arc::new(InMemoryStore::new());
        let service = CaseService::new(store.clone(), Policy::default());
        let w = World::new();
        let now = noon(d(2026, 3, 2)).fixed_offset();
        let opening = |n: u128| {
            (
                CaseId::from_uuid(uuid::Uuid::from_u128(700 + n)),
                Command::Refer {
                    referral: referral(d(2026, 3, 1)),
                    team: Some(TeamId::from_uuid(uuid::Uuid::from_u128(900))),
                },
            )
        };
        let ctx = Context {
            actor: &w.key_worker,
            now,
            policy: &Policy::default(),
            calendar: None,
        };
        let (id, command) = opening(1);
        let mut bad = handle(id, None, &command, &ctx).unwrap();
        let mut second = bad[0].clone();
        second.sequence = 2;
        bad.push(second);
        let (id2, command2) = opening(2);
        let good = handle(id2, None, &command2, &ctx).unwrap();
        assert!(store.append_new_cases(&[good, bad]).await.is_err());
        assert!(store.list(&CaseFilter::default()).await.unwrap().is_empty());

        let created = service
            .open_cases(&[opening(2), opening(3)], &w.key_worker, now)
            .await
            .unwrap();
        assert_eq!(created.len(), 2);
        // Again: both exist, nothing new.
        let created = service
            .open_cases(&[opening(2), opening(3)], &w.key_worker, now)
            .await
            .unwrap();
        assert!(created.is_empty());
        assert_eq!(store.list(&CaseFilter::default()).await.unwrap().len(), 2);
        // Only referrals open cases.
        assert!(matches!(
            service
                .open_cases(
                    &[(opening(4).0, Command::Decline { on: d(2026, 3, 2) })],
                    &w.key_worker,
                    now
                )
                .await,
            Err(ServiceError::Rule(DomainError::CaseNotStarted))
        ));
    });
}

#[test]
fn reading_through_the_service_is_logged_first_and_filtered_for_the_reader() {
    block_on(async {
        let store = Arc::new(InMemoryStore::new());
        let service = CaseService::new(store.clone(), Policy::default());
        let mut w = World::enrolled();
        let psy_note = w.contact_command("Vertraulicher Eindruck", NoteCompartment::Psychologist);
        let psychologist = w.psychologist.clone();
        w.run_as(&psychologist, &psy_note).unwrap();
        store.append(w.case_id, 0, &w.history).await.unwrap();
        let at = noon(d(2026, 3, 20));
        let kw = w.key_worker.clone();
        let seen = service
            .read_for(w.case_id, &kw, AccessKind::View, store.as_ref(), at)
            .await
            .unwrap();
        assert!(
            seen.contacts[0].note.is_none(),
            "the key worker reads no psychologist note"
        );
        let by_psy = service
            .read_for(
                w.case_id,
                &psychologist,
                AccessKind::History,
                store.as_ref(),
                at,
            )
            .await
            .unwrap();
        assert!(by_psy.contacts[0].note.is_some());
        let log = store.accesses(w.case_id).await.unwrap();
        assert_eq!(log.len(), 2);
        assert_eq!((log[0].actor, log[0].kind), (kw.id, AccessKind::View));
        assert_eq!(log[1].actor, psychologist.id);
        // An unknown case: not found, and nothing logged.
        let other = CaseId::from_uuid(uuid::Uuid::from_u128(4243));
        assert!(matches!(
            service
                .read_for(other, &kw, AccessKind::View, store.as_ref(), at)
                .await,
            Err(ServiceError::NotFound(_))
        ));
        assert!(store.accesses(other).await.unwrap().is_empty());
    });
}
