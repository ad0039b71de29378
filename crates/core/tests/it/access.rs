//! The access matrix: every role × relation to the case × right, stated as a table that does
//! not re-derive the policy; and that `CaseService` enforces it on reads and commands.

use std::sync::Arc;

use futures_executor::block_on;
use uuid::Uuid;
use wegbereiter_core::access::{self, Right, check, required_right};
use wegbereiter_core::prelude::*;

use crate::support::*;

const TEAM: u128 = 10;
const OTHER_TEAM: u128 = 11;
const ME: u128 = 1;
const COLLEAGUE: u128 = 2;

fn team(n: u128) -> TeamId {
    TeamId::from_uuid(Uuid::from_u128(n))
}

fn person(roles: &[Role], active: bool) -> Actor {
    Actor {
        id: StaffId::from_uuid(Uuid::from_u128(ME)),
        roles: roles.to_vec(),
        teams: vec![team(TEAM)],
        active,
    }
}

/// How the case stands to "me".
#[derive(Debug, Clone, Copy)]
#[allow(clippy::enum_variant_names)] // Each names whose case it is and in which team.
enum Relation {
    MineOwnTeam,
    ColleaguesOwnTeam,
    UnassignedOwnTeam,
    ColleaguesOtherTeam,
    UnassignedOtherTeam,
    MineOtherTeam,
    /// I handed it on to a colleague, within the read-only period; the case is my team's.
    FormerlyMineOwnTeam,
    /// I handed it on to a colleague, within the read-only period; another team's case.
    FormerlyMineOtherTeam,
}

const RELATIONS: [Relation; 8] = [
    Relation::MineOwnTeam,
    Relation::ColleaguesOwnTeam,
    Relation::UnassignedOwnTeam,
    Relation::ColleaguesOtherTeam,
    Relation::UnassignedOtherTeam,
    Relation::MineOtherTeam,
    Relation::FormerlyMineOwnTeam,
    Relation::FormerlyMineOtherTeam,
];

fn summary(relation: Relation) -> CaseSummary {
    let (t, k) = match relation {
        Relation::MineOwnTeam => (TEAM, Some(ME)),
        Relation::ColleaguesOwnTeam => (TEAM, Some(COLLEAGUE)),
        Relation::UnassignedOwnTeam => (TEAM, None),
        Relation::ColleaguesOtherTeam => (OTHER_TEAM, Some(COLLEAGUE)),
        Relation::UnassignedOtherTeam => (OTHER_TEAM, None),
        Relation::MineOtherTeam => (OTHER_TEAM, Some(ME)),
        Relation::FormerlyMineOwnTeam => (TEAM, Some(COLLEAGUE)),
        Relation::FormerlyMineOtherTeam => (OTHER_TEAM, Some(COLLEAGUE)),
    };
    let mut s = World::enrolled().case().summary();
    s.team = Some(team(t));
    s.key_worker = k.map(|k| StaffId::from_uuid(Uuid::from_u128(k)));
    if matches!(
        relation,
        Relation::FormerlyMineOwnTeam | Relation::FormerlyMineOtherTeam
    ) {
        s.former_readers = vec![StaffId::from_uuid(Uuid::from_u128(ME))];
    }
    s
}

/// The rights of the matrix, in the order of the expectation strings.
const RIGHTS: [Right; 6] = [
    Right::Read,
    Right::ChangeContent,
    Right::RecordContact(NoteCompartment::CaseTeam),
    Right::RecordContact(NoteCompartment::Psychologist),
    Right::RecordAttendance,
    Right::Lead,
];

/// One row per role: for each relation (in [`RELATIONS`] order) either `H` (not visible: the
/// person may not know of the case), `F` (forbidden whatever the case) or six digits, one per
/// right of [`RIGHTS`]: read, change content, contact for the team, psychologist note,
/// attendance, lead. Attendance is a change of the case: whoever only reads a case (a
/// colleague of the team, a former key worker in the read-only period) records none.
const MATRIX: &[(&str, &[Role], bool, [&str; 8])] = &[
    (
        "key worker",
        &[Role::KeyWorker],
        true,
        [
            "111110", "100000", "111110", "H", "H", "111110", "100000", "100000",
        ],
    ),
    (
        "job coach",
        &[Role::JobCoach],
        true,
        [
            "111110", "100000", "111110", "H", "H", "111110", "100000", "100000",
        ],
    ),
    (
        "psychologist",
        &[Role::Psychologist],
        true,
        [
            "111110", "100100", "111110", "H", "H", "111110", "100000", "100000",
        ],
    ),
    (
        "team lead",
        &[Role::TeamLead],
        true,
        [
            "111111", "100001", "100001", "H", "H", "111110", "100001", "100000",
        ],
    ),
    (
        "team lead and key worker",
        &[Role::TeamLead, Role::KeyWorker],
        true,
        [
            "111111", "100001", "111111", "H", "H", "111110", "100001", "100000",
        ],
    ),
    (
        "administrator",
        &[Role::Administrator],
        true,
        ["F", "F", "F", "F", "F", "F", "F", "F"],
    ),
    (
        "data-protection officer",
        &[Role::DataProtectionOfficer],
        true,
        ["F", "F", "F", "F", "F", "F", "F", "F"],
    ),
    (
        "deactivated key worker",
        &[Role::KeyWorker],
        false,
        ["F", "F", "F", "F", "F", "F", "F", "F"],
    ),
    (
        "deactivated psychologist",
        &[Role::Psychologist],
        false,
        ["F", "F", "F", "F", "F", "F", "F", "F"],
    ),
];

/// The expected answer for right `i` of [`RIGHTS`]: a role that never opens cases is refused
/// reading at all, a missing right on a visible case names that right.
fn expected(cell: &str, i: usize) -> Result<(), AccessDenied> {
    match cell {
        "H" => Err(AccessDenied::NotVisible),
        "F" => Err(AccessDenied::Forbidden(Right::Read)),
        digits => match digits.as_bytes()[i] {
            b'1' => Ok(()),
            _ => Err(AccessDenied::Forbidden(RIGHTS[i])),
        },
    }
}

#[test]
fn every_role_relation_and_right_is_decided_as_the_matrix_says() {
    for (name, roles, active, row) in MATRIX {
        let me = person(roles, *active);
        for (relation, cell) in RELATIONS.iter().zip(row.iter()) {
            let case = summary(*relation);
            for (i, right) in RIGHTS.iter().enumerate() {
                assert_eq!(
                    check(&me, Some(&case), *right),
                    expected(cell, i),
                    "{name}, {relation:?}, {right:?}"
                );
            }
            // "Any contact" is what a contact form needs: the psychologist compartment is the
            // widest one a person may write.
            assert_eq!(
                check(&me, Some(&case), Right::RecordAnyContact).is_ok(),
                expected(cell, 3).is_ok(),
                "{name}, {relation:?}, any contact"
            );
            let access = access::case_access(&me, &case);
            assert_eq!(
                access.can_read(),
                expected(cell, 0).is_ok(),
                "{name}, {relation:?}: case_access {access:?}"
            );
        }
        // A referral opens a case only for one of the person's own teams.
        let may_refer = !matches!(row[0], "F");
        assert_eq!(
            check(&me, None, Right::EnterReferral(Some(team(TEAM)))).is_ok(),
            may_refer,
            "{name} refers for the own team"
        );
        assert_eq!(
            check(&me, None, Right::EnterReferral(Some(team(OTHER_TEAM)))),
            Err(AccessDenied::Forbidden(Right::EnterReferral(Some(team(
                OTHER_TEAM
            ))))),
            "{name} refers for another team"
        );
        assert_eq!(
            check(&me, None, Right::EnterReferral(None)),
            Err(AccessDenied::Forbidden(Right::EnterReferral(None))),
            "{name} refers without a team: a case nobody could see"
        );
        // No other step without a case.
        assert_eq!(
            check(&me, None, Right::ChangeContent),
            Err(AccessDenied::NotVisible)
        );
    }
}

/// Every command, with the right it needs.
#[test]
fn every_command_needs_its_right() {
    let mut w = World::enrolled();
    let kw = w.key_worker.clone();
    let psychologist = w.psychologist.clone();
    let goal = GoalId::from_uuid(w.id());
    let consent = ConsentId::from_uuid(w.id());
    let referral_out = OutboundReferralId::from_uuid(w.id());
    let on = d(2026, 3, 12);
    let contact = w.contact_command("Notiz", NoteCompartment::CaseTeam);
    let shared = match contact.clone() {
        Command::RecordContact { contact, .. } => Command::RecordContact {
            contact,
            share_with_team: true,
        },
        other => other,
    };
    let content = [
        Command::AnnounceVisit {
            announcement: VisitAnnouncement {
                hours: None,
                letter_date: on,
                visit_from: on,
                visit_until: on,
            },
        },
        Command::LogContactAttempt {
            at: noon(on),
            channel: ContactChannel::Phone,
            outcome: AttemptOutcome::NoteLeft,
        },
        Command::Decline { on },
        Command::MarkNotReached { on },
        Command::ExtendPeriod {
            until: d(2026, 8, 1),
            reason: t("Begründung"),
        },
        Command::GiveConsent {
            id: consent,
            purpose: ConsentPurpose::JobcenterProgress,
            form: ConsentForm::Written,
            given_on: on,
        },
        Command::WithdrawConsent {
            id: consent,
            on: None,
        },
        Command::RateGoal {
            id: goal,
            on,
            value: Scale::new(5).unwrap(),
        },
        Command::UpdateReferralOut {
            id: referral_out,
            status: OutboundReferralStatus::Contacted,
            on,
        },
        Command::WithdrawSecrecyRelease {
            referral: referral_out,
        },
        Command::RecordDisclosure {
            referral: referral_out,
            on,
            information: t("Kontaktdaten"),
        },
        Command::HandOver {
            target: HandoverTarget::Phase2,
            to: None,
            on,
            note: None,
        },
        Command::PauseParticipation { from: on },
        Command::ResumeParticipation { on },
        Command::Close {
            on,
            reason: ExitReason::Other,
            immediate_result: None,
        },
    ];
    for command in &content {
        assert_eq!(
            required_right(command, &kw),
            Right::ChangeContent,
            "{command:?}"
        );
    }
    for command in [
        Command::AssignTeam { team: team(TEAM) },
        Command::ReassignKeyWorker { to: kw.clone() },
        Command::Reopen { on },
    ] {
        assert_eq!(required_right(&command, &kw), Right::Lead, "{command:?}");
    }
    assert_eq!(
        required_right(
            &Command::Refer {
                referral: referral(on),
                team: Some(team(TEAM))
            },
            &kw
        ),
        Right::EnterReferral(Some(team(TEAM)))
    );
    // A contact's right follows the compartment its note lands in: a psychologist's note is
    // the psychologists' unless shared.
    assert_eq!(
        required_right(&contact, &kw),
        Right::RecordContact(NoteCompartment::CaseTeam)
    );
    assert_eq!(
        required_right(&contact, &psychologist),
        Right::RecordContact(NoteCompartment::Psychologist)
    );
    assert_eq!(
        required_right(&shared, &psychologist),
        Right::RecordContact(NoteCompartment::CaseTeam)
    );
}

#[test]
fn the_service_refuses_reads_and_commands_the_policy_refuses() {
    block_on(async {
        let store = Arc::new(InMemoryStore::new());
        let service = CaseService::new(store.clone(), Policy::default());
        let w = World::enrolled();
        store.append(w.case_id, 0, &w.history).await.unwrap();
        let now = noon(w.today);
        let south = Actor {
            id: StaffId::from_uuid(Uuid::from_u128(77)),
            roles: vec![Role::KeyWorker],
            teams: vec![team(OTHER_TEAM)],
            active: true,
        };
        let mut inactive = w.key_worker.clone();
        inactive.active = false;
        let read = |actor: Actor| {
            let service = service.clone();
            let store = store.clone();
            async move {
                service
                    .read_for(w.case_id, &actor, AccessKind::View, store.as_ref(), now)
                    .await
                    .map(|_| ())
            }
        };
        // Another team's key worker: as if the case did not exist.
        let err = read(south.clone()).await.unwrap_err();
        assert_eq!(err, ServiceError::NotVisible(w.case_id));
        assert!(err.is_not_found());
        assert_eq!(
            err.to_string(),
            ServiceError::NotFound(w.case_id).to_string()
        );
        // Administration, data protection and deactivated accounts never read a case file.
        for actor in [w.admin.clone(), inactive.clone()] {
            assert_eq!(
                read(actor).await.unwrap_err(),
                ServiceError::Forbidden(Right::Read)
            );
        }
        // Nothing of the refused reads is in the access log.
        assert!(store.accesses(w.case_id).await.unwrap().is_empty());
        // The history and the list say nothing either.
        assert_eq!(
            service
                .history_for(w.case_id, &south, store.as_ref(), now)
                .await
                .unwrap_err(),
            ServiceError::NotVisible(w.case_id)
        );
        assert!(
            service
                .list_for(&south, &CaseFilter::default())
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            service
                .list_for(&w.admin, &CaseFilter::default())
                .await
                .unwrap_err(),
            ServiceError::Forbidden(Right::Read)
        );
        assert_eq!(
            service
                .list_for(&w.key_worker, &CaseFilter::default())
                .await
                .unwrap()
                .len(),
            1
        );
        // Commands: refused before the rules and before the version check, nothing written.
        let pause = Command::PauseParticipation { from: w.today };
        assert_eq!(
            service
                .execute_at(w.case_id, Some(999), &pause, &south, now.fixed_offset())
                .await
                .unwrap_err(),
            ServiceError::NotVisible(w.case_id)
        );
        for actor in [w.admin.clone(), inactive] {
            assert_eq!(
                service
                    .execute(w.case_id, &pause, &actor, now.fixed_offset())
                    .await
                    .unwrap_err(),
                ServiceError::Forbidden(Right::Read)
            );
        }
        // A team lead reads but does not change the key worker's case.
        let lead_only = Actor {
            roles: vec![Role::TeamLead],
            ..w.lead.clone()
        };
        assert_eq!(
            service
                .execute(w.case_id, &pause, &lead_only, now.fixed_offset())
                .await
                .unwrap_err(),
            ServiceError::Forbidden(Right::ChangeContent)
        );
        assert_eq!(
            store.load(w.case_id).await.unwrap().unwrap().version,
            w.case().version
        );
        // The key worker reads (logged) and changes.
        read(w.key_worker.clone()).await.unwrap();
        assert_eq!(store.accesses(w.case_id).await.unwrap().len(), 1);
        service
            .execute(w.case_id, &pause, &w.key_worker, now.fixed_offset())
            .await
            .unwrap();
        // A referral for another team is refused before anything is written.
        let refer = Command::Refer {
            referral: referral(w.today),
            team: Some(team(OTHER_TEAM)),
        };
        let new = CaseId::from_uuid(Uuid::from_u128(4711));
        assert_eq!(
            service
                .execute(new, &refer, &w.key_worker, now.fixed_offset())
                .await
                .unwrap_err(),
            ServiceError::Forbidden(Right::EnterReferral(Some(team(OTHER_TEAM))))
        );
        assert!(store.load(new).await.unwrap().is_none());
    });
}

#[test]
fn a_psychologists_note_stays_with_psychologists_unless_shared() {
    let mut w = World::enrolled();
    let psychologist = w.psychologist.clone();
    let note = w.contact_command("Eindruck", NoteCompartment::CaseTeam);
    w.run_as(&psychologist, &note).unwrap();
    assert_eq!(
        w.case().contacts.last().unwrap().compartment,
        NoteCompartment::Psychologist,
        "the default for a psychologist is the psychologist compartment"
    );
    let Command::RecordContact { contact, .. } =
        w.contact_command("Für das Team", NoteCompartment::CaseTeam)
    else {
        unreachable!()
    };
    w.run_as(
        &psychologist,
        &Command::RecordContact {
            contact,
            share_with_team: true,
        },
    )
    .unwrap();
    assert_eq!(
        w.case().contacts.last().unwrap().compartment,
        NoteCompartment::CaseTeam,
        "shared explicitly"
    );
    // Anyone else writes for the team, sharing or not.
    let kw_note = w.contact_command("Notiz", NoteCompartment::CaseTeam);
    w.run(&kw_note).unwrap();
    assert_eq!(
        w.case().contacts.last().unwrap().compartment,
        NoteCompartment::CaseTeam
    );
    // And the key worker does not read the psychologist's default note.
    let kw = w.key_worker.clone();
    let seen = w.case().for_reader(Some(&kw));
    assert_eq!(seen.contacts[0].note, None);
}

mod unusual_reads {
    use chrono::{Duration, TimeZone, Utc};
    use uuid::Uuid;
    use wegbereiter_core::access::{MANY_FILES, ReadFacts, UnusualRead, unusual_reads};
    use wegbereiter_core::ids::{CaseId, StaffId, TeamId};

    use crate::support::d;

    fn read(case: u128, minute: i64, team: u128, ended: bool) -> ReadFacts {
        let at = Utc.with_ymd_and_hms(2026, 5, 4, 9, 0, 0).unwrap() + Duration::minutes(minute);
        ReadFacts {
            at,
            day: at.date_naive(),
            reader: StaffId::from_uuid(Uuid::from_u128(1)),
            reader_teams: vec![TeamId::from_uuid(Uuid::from_u128(900))],
            case: CaseId::from_uuid(Uuid::from_u128(case)),
            case_team: Some(TeamId::from_uuid(Uuid::from_u128(team))),
            case_key_worker: None,
            case_ended_on: ended.then(|| d(2026, 5, 1)),
        }
    }

    #[test]
    fn reads_outside_ones_teams_after_closure_and_in_bulk_are_flagged() {
        let ordinary = read(1, 0, 900, false);
        let foreign = read(2, 30, 901, false);
        let closed = read(3, 60, 900, true);
        let flags = unusual_reads(&[ordinary, foreign, closed]);
        assert_eq!(flags[0], vec![]);
        assert_eq!(flags[1], vec![UnusualRead::OutsideOwnTeams]);
        assert_eq!(flags[2], vec![UnusualRead::AfterClosure]);
        // The case's key worker is never "outside", whatever the team.
        let mut own = read(4, 0, 901, false);
        own.case_key_worker = Some(own.reader);
        assert!(unusual_reads(&[own])[0].is_empty());

        // Many different files within ten minutes: each of them is flagged; the same
        // file read again and again is not.
        let bulk: Vec<ReadFacts> = (0..MANY_FILES)
            .map(|i| read(100 + i as u128, (i % 10) as i64, 900, false))
            .collect();
        assert!(
            unusual_reads(&bulk)
                .iter()
                .all(|f| f == &vec![UnusualRead::ManyFiles { files: MANY_FILES }])
        );
        let again: Vec<ReadFacts> = (0..MANY_FILES * 2)
            .map(|i| read(7, (i % 10) as i64, 900, false))
            .collect();
        assert!(unusual_reads(&again).iter().all(Vec::is_empty));
        // Spread over hours, the same number of files is ordinary.
        let spread: Vec<ReadFacts> = (0..MANY_FILES)
            .map(|i| read(200 + i as u128, i as i64 * 30, 900, false))
            .collect();
        assert!(unusual_reads(&spread).iter().all(Vec::is_empty));
    }
}

/// After a handover the former key worker reads the case for the policy's days (outside the
/// case's team too) and changes nothing in it, attendance included; the person now
/// responsible records attendance.
#[test]
fn a_former_key_worker_reads_for_the_policys_days_and_changes_nothing() {
    block_on(async {
        let mut w = World::enrolled();
        let former = w.key_worker.clone();
        let mut coach = w.coach.clone();
        coach.teams = vec![team(OTHER_TEAM)];
        w.on(d(2026, 4, 1));
        w.ok(Command::HandOver {
            target: HandoverTarget::Phase2,
            to: Some(coach.clone()),
            on: d(2026, 4, 1),
            note: Some(t("Frühstücksgruppe dienstags, Bewerbungsmappe liegt vor")),
        });
        let handover = w.case().handovers.last().unwrap().clone();
        assert_eq!(handover.from, Some(former.id));
        assert_eq!(handover.to, Some(coach.id));
        assert_eq!(
            handover.note,
            Some(t("Frühstücksgruppe dienstags, Bewerbungsmappe liegt vor"))
        );
        let store = Arc::new(InMemoryStore::new());
        store.append(w.case_id, 0, &w.history).await.unwrap();
        let service = CaseService::new(store.clone(), Policy::default());
        let session = GroupSession {
            id: GroupSessionId::from_uuid(w.id()),
            kind: GroupSessionKind::Breakfast,
            date: d(2026, 4, 7),
            title: t("Frühstück im Stadtteilladen"),
        };
        let attend = Command::RecordAttendance {
            session,
            attendance: Attendance::Present,
        };
        let contact = w.contact_command("Nachfrage", NoteCompartment::CaseTeam);
        let at = |day| noon(day);
        // Still in the case's team: reads as a colleague, records nothing.
        service
            .read_for(
                w.case_id,
                &former,
                AccessKind::View,
                store.as_ref(),
                at(d(2026, 4, 8)),
            )
            .await
            .unwrap();
        for (command, right) in [
            (&attend, Right::RecordAttendance),
            (&contact, Right::RecordContact(NoteCompartment::CaseTeam)),
        ] {
            assert_eq!(
                service
                    .execute(
                        w.case_id,
                        command,
                        &former,
                        at(d(2026, 4, 8)).fixed_offset()
                    )
                    .await
                    .unwrap_err(),
                ServiceError::Forbidden(right),
                "{command:?}"
            );
        }
        // Moved to another team: reads for 28 days after the handover, then no more.
        let moved = Actor {
            teams: vec![team(77)],
            ..former.clone()
        };
        let summary = w.case().summary_at(at(d(2026, 4, 28)), &Policy::default());
        assert_eq!(summary.former_readers, vec![former.id]);
        assert_eq!(
            access::case_access(&moved, &summary),
            access::CaseAccess::Read
        );
        assert!(access::reads_as_former_key_worker(&moved, &summary));
        assert!(!access::can_record_attendance(&moved, &summary));
        assert!(!access::can_record_contact(&moved, &summary));
        service
            .read_for(
                w.case_id,
                &moved,
                AccessKind::View,
                store.as_ref(),
                at(d(2026, 4, 28)),
            )
            .await
            .unwrap();
        assert_eq!(
            service
                .execute(w.case_id, &attend, &moved, at(d(2026, 4, 8)).fixed_offset())
                .await
                .unwrap_err(),
            ServiceError::Forbidden(Right::RecordAttendance)
        );
        assert_eq!(
            service
                .read_for(
                    w.case_id,
                    &moved,
                    AccessKind::View,
                    store.as_ref(),
                    at(d(2026, 4, 29))
                )
                .await
                .unwrap_err(),
            ServiceError::NotVisible(w.case_id),
            "the read-only period has ended"
        );
        // With a period of 0 days access ends with the handover.
        let strict = CaseService::new(
            store.clone(),
            Policy {
                former_key_worker_read_days: 0,
                ..Policy::default()
            },
        );
        assert_eq!(
            strict
                .case_for(w.case_id, &moved, at(d(2026, 4, 1)))
                .await
                .unwrap_err(),
            ServiceError::NotVisible(w.case_id)
        );
        // The person now responsible, in another team, records attendance.
        service
            .execute(w.case_id, &attend, &coach, at(d(2026, 4, 8)).fixed_offset())
            .await
            .unwrap();
        // Given back by the team lead, the former key worker is responsible again and the
        // coach reads for the period instead.
        let mut back = w.clone();
        back.on(d(2026, 4, 10));
        let lead = back.lead.clone();
        back.run_as(&lead, &Command::ReassignKeyWorker { to: former.clone() })
            .unwrap();
        let summary = back
            .case()
            .summary_at(at(d(2026, 4, 10)), &Policy::default());
        assert_eq!(summary.former_readers, vec![coach.id], "{summary:?}");
        assert_eq!(
            access::case_access(&former, &summary),
            access::CaseAccess::Write
        );
    });
}

mod former_key_workers {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;

    /// Staff who may be named: key workers, job coaches and psychologists of the team, and a
    /// job coach of another team.
    fn people(w: &World) -> Vec<Actor> {
        let mut coach_elsewhere = actor(40, &[Role::JobCoach]);
        coach_elsewhere.teams = vec![team(OTHER_TEAM)];
        vec![
            w.key_worker.clone(),
            actor(41, &[Role::KeyWorker]),
            w.coach.clone(),
            w.psychologist.clone(),
            coach_elsewhere,
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        /// Whatever handovers and reassignments happen, days apart: the person responsible
        /// changes the case and records attendance; a former key worker reads it only within
        /// the policy's days after they handed it on, and never changes it or records
        /// attendance; nobody else outside the case's team reads it.
        #[test]
        fn a_former_key_worker_only_reads_and_only_for_the_period(
            steps in proptest::collection::vec((0usize..5, 0u32..3, 0i64..20), 1..12),
            days in 0u32..40,
            probe in 0i64..60,
        ) {
            let mut w = World::enrolled();
            let people = people(&w);
            let lead = w.lead.clone();
            let mut day = d(2026, 3, 10);
            // When each person last stopped being responsible.
            let mut handed_on: HashMap<StaffId, chrono::DateTime<chrono::Utc>> = HashMap::new();
            for (who, how, gap) in steps {
                day += chrono::Duration::days(gap);
                w.on(day);
                let to = people[who].clone();
                let before = w.case().key_worker;
                let command = match how {
                    0 => Command::HandOver {
                        target: HandoverTarget::JobCoach,
                        to: Some(to.clone()),
                        on: day,
                        note: None,
                    },
                    1 => Command::HandOver {
                        target: HandoverTarget::Psychologist,
                        to: Some(to.clone()),
                        on: day,
                        note: Some(t("Übergabenotiz")),
                    },
                    _ => Command::ReassignKeyWorker { to: to.clone() },
                };
                let by = if how == 2 { lead.clone() } else { w.case().key_worker.map_or(lead.clone(), |k| people.iter().find(|p| p.id == k).cloned().unwrap_or(lead.clone())) };
                if w.run_as(&by, &command).is_ok() {
                    if let Some(before) = before.filter(|b| *b != to.id) {
                        handed_on.insert(before, noon(day));
                    }
                    handed_on.remove(&to.id);
                }
            }
            let policy = Policy { former_key_worker_read_days: days, ..Policy::default() };
            let now = noon(day) + chrono::Duration::days(probe);
            let summary = w.case().summary_at(now, &policy);
            for person in &people {
                let access = access::case_access(person, &summary);
                let responsible = w.case().key_worker == Some(person.id);
                let in_team = person.teams.contains(&team(900));
                let within = handed_on
                    .get(&person.id)
                    .is_some_and(|since| now < *since + chrono::Duration::days(i64::from(days)));
                prop_assert_eq!(access::can_record_attendance(person, &summary), responsible);
                prop_assert_eq!(access.can_write(), responsible);
                prop_assert_eq!(access.can_read(), responsible || in_team || within, "{:?} {:?}", person.id, summary.former_readers);
                if summary.former_readers.contains(&person.id) {
                    prop_assert!(!responsible);
                    prop_assert!(!access::can_record_contact(person, &summary));
                }
            }
        }
    }
}
