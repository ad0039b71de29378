//! Every transition and every refusal of `process.md`, table-driven through one `check`.

use chrono::{Days, NaiveDate};
use wegbereiter_core::prelude::*;

use crate::support::*;

enum Expect {
    /// Accepted; the case ends in this status.
    Status(CaseStatus),
    /// Refused with exactly this error.
    Refused(DomainError),
    /// Refused with an error of this shape.
    RefusedLike(fn(&DomainError) -> bool),
}

#[track_caller]
fn check_as(mut world: World, actor: Actor, command: Command, expect: Expect) -> World {
    let before = world.case.clone();
    let result = world.run_as(&actor, &command);
    match (expect, result) {
        (Expect::Status(status), Ok(_)) => assert_eq!(world.case().status, status, "{command:?}"),
        (Expect::Refused(want), Err(got)) => {
            assert_eq!(got, want, "{command:?}");
            assert_eq!(world.case, before, "a refused command must change nothing");
        }
        (Expect::RefusedLike(pred), Err(got)) => {
            assert!(pred(&got), "{command:?} refused with unexpected {got:?}");
            assert_eq!(world.case, before, "a refused command must change nothing");
        }
        (_, Ok(events)) => panic!("{command:?} was accepted: {events:?}"),
        (_, Err(e)) => panic!("{command:?} was refused: {e:?}"),
    }
    world
}

#[track_caller]
fn check(world: World, command: Command, expect: Expect) -> World {
    let kw = world.key_worker.clone();
    check_as(world, kw, command, expect)
}

// ---- 1. referral --------------------------------------------------------------------------

#[test]
fn a_referral_opens_a_case_once() {
    let w = World::referred();
    assert_eq!(w.case().status, CaseStatus::Referred);
    assert_eq!(w.case().version, 1);
    check(
        w,
        Command::Refer {
            referral: referral(d(2026, 3, 1)),
            team: None,
        },
        Expect::Refused(DomainError::CaseAlreadyExists),
    );
}

#[test]
fn nothing_happens_to_a_case_that_was_never_referred() {
    let w = World::new();
    assert_eq!(
        w.try_(&Command::Decline { on: d(2026, 3, 1) }),
        Err(DomainError::CaseNotStarted)
    );
}

#[test]
fn a_referral_dated_in_the_future_is_refused() {
    let w = World::new();
    let r = referral(d(2026, 3, 3));
    assert_eq!(
        w.try_(&Command::Refer {
            referral: r,
            team: None
        }),
        Err(DomainError::DateInFuture {
            date: d(2026, 3, 3)
        })
    );
}

#[test]
fn an_implausible_date_of_birth_is_refused_at_referral() {
    // "today" in the test world is 2 March 2026.
    let refer = |dob: NaiveDate| {
        let mut r = referral(d(2026, 3, 1));
        r.client.date_of_birth = Some(dob);
        World::new().try_(&Command::Refer {
            referral: r,
            team: None,
        })
    };
    for bad in [d(1899, 12, 31), d(2012, 3, 3), d(2026, 3, 1), d(2030, 1, 1)] {
        assert_eq!(
            refer(bad),
            Err(DomainError::ImplausibleDateOfBirth { date: bad }),
            "{bad}"
        );
    }
    for good in [d(1900, 1, 1), d(2012, 3, 2), d(1984, 2, 29)] {
        assert!(refer(good).is_ok(), "{good}");
    }
    let msg = DomainError::ImplausibleDateOfBirth {
        date: d(2012, 3, 3),
    }
    .message(Lang::De);
    assert!(msg.contains("03.03.2012") && msg.contains("14"), "{msg}");
}

#[test]
fn an_email_address_without_its_form_is_refused_at_referral() {
    // Whichever frontend or import sends it: core refuses what is no address.
    let refer = |email: &str| {
        let mut r = referral(d(2026, 3, 1));
        r.client.email = Some(Text::parse(email).unwrap());
        World::new().try_(&Command::Refer {
            referral: r,
            team: None,
        })
    };
    for bad in [
        "kein-at-zeichen",
        "@example.org",
        "name@example",
        "a b@example.org",
    ] {
        assert_eq!(
            refer(bad),
            Err(DomainError::InvalidEmail {
                email: bad.to_owned()
            }),
            "{bad}"
        );
    }
    assert!(refer("erika.beispiel@example.org").is_ok());
    let msg = DomainError::InvalidEmail {
        email: "kein-at-zeichen".into(),
    }
    .message(Lang::De);
    assert!(
        msg.contains("kein-at-zeichen") && msg.contains("name@example.org"),
        "{msg}"
    );
}

#[test]
fn administration_and_data_protection_never_come_with_a_case_role() {
    use wegbereiter_core::staff::check_roles;
    assert_eq!(check_roles(&[]), Err(DomainError::NoRole));
    for ok in [
        &[Role::Administrator][..],
        &[Role::Administrator, Role::DataProtectionOfficer],
        &[
            Role::KeyWorker,
            Role::TeamLead,
            Role::Psychologist,
            Role::JobCoach,
        ],
    ] {
        assert_eq!(check_roles(ok), Ok(()), "{ok:?}");
    }
    assert_eq!(
        check_roles(&[Role::KeyWorker, Role::Administrator]),
        Err(DomainError::RolesIncompatible {
            overseeing: Role::Administrator,
            case_role: Role::KeyWorker
        })
    );
    assert!(check_roles(&[Role::DataProtectionOfficer, Role::Psychologist]).is_err());
}

#[test]
fn an_administrator_cannot_lock_themselves_out() {
    use wegbereiter_core::staff::check_account;
    let w = World::new();
    let actor = w.admin.clone();
    let me = StaffMember {
        id: actor.id,
        login: Text::parse("admin").unwrap(),
        display_name: Text::parse("Admin").unwrap(),
        roles: actor.roles.clone(),
        teams: vec![],
        active: true,
    };
    assert_eq!(check_account(&actor, &me), Ok(()));
    let inactive = StaffMember {
        active: false,
        ..me.clone()
    };
    assert_eq!(
        check_account(&actor, &inactive),
        Err(DomainError::SelfLockout)
    );
    let no_admin = StaffMember {
        roles: vec![Role::DataProtectionOfficer],
        ..me.clone()
    };
    assert_eq!(
        check_account(&actor, &no_admin),
        Err(DomainError::SelfLockout)
    );
    // Another administrator's account may be deactivated, and its roles still must go
    // together.
    let other = StaffMember {
        id: StaffId::from_uuid(uuid::Uuid::from_u128(0xad)),
        active: false,
        ..me.clone()
    };
    assert_eq!(check_account(&actor, &other), Ok(()));
    let mixed = StaffMember {
        roles: vec![Role::Administrator, Role::KeyWorker],
        ..other
    };
    assert!(matches!(
        check_account(&actor, &mixed),
        Err(DomainError::RolesIncompatible { .. })
    ));
}

#[test]
fn only_case_workers_act_on_cases() {
    let w = World::new();
    let admin = w.admin.clone();
    assert_eq!(
        w.try_as(
            &admin,
            &Command::Refer {
                referral: referral(d(2026, 3, 1)),
                team: None
            }
        ),
        Err(DomainError::NotPermitted {
            role: Role::KeyWorker
        })
    );
    let mut inactive = w.key_worker.clone();
    inactive.active = false;
    assert_eq!(
        w.try_as(
            &inactive,
            &Command::Refer {
                referral: referral(d(2026, 3, 1)),
                team: None
            }
        ),
        Err(DomainError::ActorInactive)
    );
}

#[test]
fn team_assignment_needs_a_team_lead() {
    let w = World::referred();
    let other = TeamId::from_uuid(uuid::Uuid::from_u128(901));
    let lead = w.lead.clone();
    let w = check(
        w,
        Command::AssignTeam { team: other },
        Expect::Refused(DomainError::NotPermitted {
            role: Role::TeamLead,
        }),
    );
    let w = check_as(
        w,
        lead.clone(),
        Command::AssignTeam { team: other },
        Expect::Status(CaseStatus::Referred),
    );
    assert_eq!(w.case().team, Some(other));
    check_as(
        w,
        lead,
        Command::AssignTeam { team: other },
        Expect::Refused(DomainError::NothingToChange),
    );
}

// ---- 2. outreach ----------------------------------------------------------------------------

#[test]
fn an_announcement_letter_starts_outreach() {
    let w = World::in_outreach();
    assert_eq!(w.case().status, CaseStatus::Outreach);
    assert_eq!(w.case().announcements.len(), 1);
}

#[test]
fn announcement_dates_must_make_sense() {
    let letter = |letter_date, visit_from, visit_until| Command::AnnounceVisit {
        announcement: VisitAnnouncement {
            hours: None,
            letter_date,
            visit_from,
            visit_until,
        },
    };
    let w = World::referred();
    check(
        w.clone(),
        letter(d(2026, 3, 2), d(2026, 3, 9), d(2026, 3, 8)),
        Expect::Refused(DomainError::InvalidDateRange),
    );
    check(
        w.clone(),
        letter(d(2026, 3, 3), d(2026, 3, 9), d(2026, 3, 10)),
        Expect::Refused(DomainError::DateInFuture {
            date: d(2026, 3, 3),
        }),
    );
    check(
        w.clone(),
        letter(d(2026, 2, 28), d(2026, 3, 9), d(2026, 3, 10)),
        Expect::Refused(DomainError::DateTooEarly {
            date: d(2026, 2, 28),
            earliest: d(2026, 3, 1),
        }),
    );
    check(
        w,
        letter(d(2026, 3, 2), d(2026, 3, 1), d(2026, 3, 10)),
        Expect::Refused(DomainError::DateTooEarly {
            date: d(2026, 3, 1),
            earliest: d(2026, 3, 2),
        }),
    );
}

#[test]
fn contact_attempts_are_logged_with_the_acting_person() {
    let mut w = World::referred();
    w.on(d(2026, 3, 5)).attempt(AttemptOutcome::NotMet);
    assert_eq!(w.case().status, CaseStatus::Outreach);
    assert_eq!(w.case().attempts[0].staff, w.key_worker.id);
    assert_eq!(w.case().failed_attempts(), 1);
}

#[test]
fn a_contact_attempt_in_the_future_is_refused() {
    let w = World::referred();
    let at = noon(d(2026, 3, 2)) + chrono::Duration::hours(1);
    check(
        w,
        Command::LogContactAttempt {
            at,
            channel: ContactChannel::Phone,
            outcome: AttemptOutcome::NotMet,
        },
        Expect::RefusedLike(|e| matches!(e, DomainError::DateInFuture { .. })),
    );
}

#[test]
fn declining_at_the_door_ends_the_case_without_a_reason() {
    let w = World::declined();
    assert_eq!(w.case().status, CaseStatus::Declined);
    assert_eq!(w.case().ended_on, Some(d(2026, 3, 9)));
    // The decline carries nothing but its date: no reason is asked or stored.
    let last = serde_json::to_value(&w.history.last().unwrap().event).unwrap();
    assert_eq!(
        last,
        serde_json::json!({"type": "offer_declined.v1", "on": "2026-03-09"})
    );
}

#[test]
fn decline_as_its_own_step() {
    let w = World::in_outreach();
    check(
        w,
        Command::Decline { on: d(2026, 3, 2) },
        Expect::Status(CaseStatus::Declined),
    );
}

#[test]
fn not_reached_only_once_the_end_rule_is_met() {
    let mut w = World::in_outreach();
    w.on(d(2026, 3, 9)).attempt(AttemptOutcome::NotMet);
    w.on(d(2026, 3, 10)).attempt(AttemptOutcome::NoteLeft);
    let early = check(
        w.clone(),
        Command::MarkNotReached { on: d(2026, 3, 10) },
        Expect::RefusedLike(|e| {
            matches!(
                e,
                DomainError::OutreachEndRuleNotMet {
                    failed_attempts: 2,
                    needed_attempts: 3,
                    ..
                }
            )
        }),
    );
    drop(early);
    // Third failed attempt meets the default rule.
    w.on(d(2026, 3, 11)).attempt(AttemptOutcome::NotMet);
    check(
        w,
        Command::MarkNotReached { on: d(2026, 3, 11) },
        Expect::Status(CaseStatus::NotReached),
    );
}

#[test]
fn not_reached_after_six_weeks_without_contact() {
    let mut w = World::in_outreach();
    // Outreach started with the letter on 2 March; six weeks later is 13 April.
    w.on(d(2026, 4, 12));
    let w2 = check(
        w.clone(),
        Command::MarkNotReached { on: d(2026, 4, 12) },
        Expect::RefusedLike(|e| matches!(e, DomainError::OutreachEndRuleNotMet { .. })),
    );
    drop(w2);
    w.on(d(2026, 4, 13));
    check(
        w,
        Command::MarkNotReached { on: d(2026, 4, 13) },
        Expect::Status(CaseStatus::NotReached),
    );
}

#[test]
fn the_end_rule_is_configurable() {
    let mut w = World::in_outreach();
    w.policy.outreach_end = OutreachEndRule {
        max_failed_attempts: 1,
        max_weeks_without_contact: 52,
    };
    w.on(d(2026, 3, 9)).attempt(AttemptOutcome::NotMet);
    check(
        w,
        Command::MarkNotReached { on: d(2026, 3, 9) },
        Expect::Status(CaseStatus::NotReached),
    );
}

#[test]
fn a_client_who_moved_can_be_marked_not_reached_at_once() {
    let mut w = World::in_outreach();
    w.on(d(2026, 3, 9)).attempt(AttemptOutcome::Moved);
    check(
        w,
        Command::MarkNotReached { on: d(2026, 3, 9) },
        Expect::Status(CaseStatus::NotReached),
    );
}

#[test]
fn outreach_steps_are_refused_after_outreach_ended() {
    let w = World::declined();
    for cmd in [
        Command::Decline { on: d(2026, 3, 9) },
        Command::MarkNotReached { on: d(2026, 3, 9) },
        Command::AnnounceVisit {
            announcement: VisitAnnouncement {
                hours: None,
                letter_date: d(2026, 3, 9),
                visit_from: d(2026, 3, 10),
                visit_until: d(2026, 3, 11),
            },
        },
    ] {
        check(
            w.clone(),
            cmd,
            Expect::Refused(DomainError::WrongStatus {
                status: CaseStatus::Declined,
            }),
        );
    }
    let mut w2 = w.clone();
    let enrol = w2.enrol_command();
    check(
        w,
        enrol,
        Expect::Refused(DomainError::WrongStatus {
            status: CaseStatus::Declined,
        }),
    );
}

// ---- 3./4. enrolment ----------------------------------------------------------------------

#[test]
fn enrolment_opens_a_three_month_period() {
    let w = World::enrolled();
    let case = w.case();
    assert_eq!(case.status, CaseStatus::Enrolled);
    assert_eq!(case.phase, Some(Phase::Phase1));
    assert_eq!(case.key_worker, Some(w.key_worker.id));
    let period = case.period.as_ref().unwrap();
    assert_eq!(period.start(), d(2026, 3, 10));
    assert_eq!(period.planned_end(), d(2026, 6, 10));
    assert_eq!(period.latest_end(), d(2026, 9, 10));
    assert!(case.has_active_consent(ConsentPurpose::CaseProcessing, noon(d(2026, 3, 10))));
}

#[test]
fn enrolment_needs_terms_consent_on_the_day_and_a_key_worker() {
    let mut w = World::in_outreach();
    w.on(d(2026, 3, 10));
    let base = w.enrol_command();
    let Command::Enrol {
        on,
        key_worker,
        terms,
        consent,
    } = base.clone()
    else {
        unreachable!()
    };

    let half_terms = ParticipationTerms {
        hygiene_rules: true,
        data_protection: false,
    };
    check(
        w.clone(),
        Command::Enrol {
            on,
            key_worker: key_worker.clone(),
            terms: half_terms,
            consent,
        },
        Expect::Refused(DomainError::TermsNotExplained),
    );
    let mut day_before = consent;
    day_before.given_on = d(2026, 3, 9);
    check(
        w.clone(),
        Command::Enrol {
            on,
            key_worker: key_worker.clone(),
            terms,
            consent: day_before,
        },
        Expect::Refused(DomainError::ConsentNotOnEnrolmentDay),
    );
    let psychologist = w.psychologist.clone();
    check(
        w.clone(),
        Command::Enrol {
            on,
            key_worker: psychologist,
            terms,
            consent,
        },
        Expect::Refused(DomainError::AssigneeLacksRole {
            role: Role::KeyWorker,
        }),
    );
    let mut gone = key_worker.clone();
    gone.active = false;
    check(
        w.clone(),
        Command::Enrol {
            on,
            key_worker: gone,
            terms,
            consent,
        },
        Expect::Refused(DomainError::AssigneeInactive),
    );
    let coach = w.coach.clone();
    check(
        w.clone(),
        Command::Enrol {
            on,
            key_worker: coach,
            terms,
            consent,
        },
        Expect::Status(CaseStatus::Enrolled),
    );
    let w = check(w, base.clone(), Expect::Status(CaseStatus::Enrolled));
    check(
        w,
        base,
        Expect::Refused(DomainError::WrongStatus {
            status: CaseStatus::Enrolled,
        }),
    );
}

#[test]
fn extension_needs_a_later_date_within_six_months() {
    let w = World::enrolled();
    let reason = t("Termin bei der Schuldnerberatung erst im Juli");
    let w = check(
        w,
        Command::ExtendPeriod {
            until: d(2026, 9, 11),
            reason: reason.clone(),
        },
        Expect::Refused(DomainError::ExtensionBeyondMaximum {
            latest: d(2026, 9, 10),
        }),
    );
    let w = check(
        w,
        Command::ExtendPeriod {
            until: d(2026, 6, 10),
            reason: reason.clone(),
        },
        Expect::Refused(DomainError::ExtensionNotLater {
            planned_end: d(2026, 6, 10),
        }),
    );
    let w = check(
        w,
        Command::ExtendPeriod {
            until: d(2026, 8, 1),
            reason: reason.clone(),
        },
        Expect::Status(CaseStatus::Enrolled),
    );
    let w = check(
        w,
        Command::ExtendPeriod {
            until: d(2026, 9, 10),
            reason,
        },
        Expect::Status(CaseStatus::Enrolled),
    );
    let p = w.case().period.as_ref().unwrap();
    assert_eq!(p.planned_end(), d(2026, 9, 10));
    assert_eq!(
        p.extensions()
            .iter()
            .map(|e| (e.previous_end, e.new_end))
            .collect::<Vec<_>>(),
        vec![
            (d(2026, 6, 10), d(2026, 8, 1)),
            (d(2026, 8, 1), d(2026, 9, 10))
        ]
    );
    assert!(
        DomainError::ExtensionBeyondMaximum {
            latest: d(2026, 9, 10)
        }
        .message(Lang::De)
        .starts_with("Verlängerung über 6 Monate hinaus ist nicht möglich")
    );
}

// ---- I2: nothing but attempts before enrolment -----------------------------------------------

#[test]
fn no_social_history_goals_or_contacts_before_enrolment() {
    for mut w in [World::referred(), World::in_outreach(), World::declined()] {
        let contact = w.contact_command("Notiz", NoteCompartment::CaseTeam);
        let goal = Command::AgreeGoal {
            id: GoalId::from_uuid(w.id()),
            domain: LifeDomain::Housing,
            wording: t("Wohnung halten"),
            criterion: t("Miete bezahlt"),
            responsible: ResponsibleParty::Client,
            review_date: d(2026, 4, 1),
        };
        let assess = Command::AssessDomain {
            domain: LifeDomain::Housing,
            assessment: DomainAssessment {
                own_view: Some(t("Alles gut")),
                strengths: None,
                need: ActionNeed::None,
                priority: Priority::Low,
                source: AccountSource::Own,
            },
        };
        let extend = Command::ExtendPeriod {
            until: d(2026, 7, 1),
            reason: t("Grund"),
        };
        for cmd in [contact, goal, assess, extend] {
            check(w.clone(), cmd, Expect::Refused(DomainError::NotEnrolled));
        }
    }
}

// ---- 5.–8. content ----------------------------------------------------------------------------

#[test]
fn social_history_by_life_domain() {
    let w = World::enrolled();
    let assessment = DomainAssessment {
        own_view: Some(t("Die Briefe vom Amt machen mir Angst")),
        strengths: Some(t("Gute Unterstützung durch die Schwester")),
        need: ActionNeed::Acute,
        priority: Priority::High,
        source: AccountSource::Own,
    };
    let cmd = Command::AssessDomain {
        domain: LifeDomain::AuthoritiesAndLegal,
        assessment: assessment.clone(),
    };
    let w = check(w, cmd.clone(), Expect::Status(CaseStatus::Enrolled));
    assert_eq!(
        w.case()
            .social_history
            .get(&LifeDomain::AuthoritiesAndLegal),
        Some(&assessment)
    );
    check(w, cmd, Expect::Refused(DomainError::NothingToChange));
}

#[test]
fn goals_are_agreed_updated_and_rated() {
    let mut w = World::enrolled();
    let goal = w.agree_goal(LifeDomain::FinancesAndDebt, "Überblick über die Schulden");
    assert_eq!(w.case().goals[0].status, GoalStatus::Open);
    let w = check(
        w,
        Command::UpdateGoal {
            id: goal,
            changes: GoalChanges {
                status: Some(GoalStatus::InProgress),
                ..Default::default()
            },
        },
        Expect::Status(CaseStatus::Enrolled),
    );
    let w = check(
        w,
        Command::UpdateGoal {
            id: goal,
            changes: GoalChanges {
                status: Some(GoalStatus::InProgress),
                ..Default::default()
            },
        },
        Expect::Refused(DomainError::NothingToChange),
    );
    let w = check(
        w,
        Command::RateGoal {
            id: goal,
            on: d(2026, 3, 10),
            value: Scale::new(3).unwrap(),
        },
        Expect::Status(CaseStatus::Enrolled),
    );
    let w = check(
        w,
        Command::RateGoal {
            id: goal,
            on: d(2026, 3, 11),
            value: Scale::new(5).unwrap(),
        },
        Expect::Refused(DomainError::DateInFuture {
            date: d(2026, 3, 11),
        }),
    );
    let missing = GoalId::from_uuid(uuid::Uuid::from_u128(1));
    let w = check(
        w,
        Command::RateGoal {
            id: missing,
            on: d(2026, 3, 10),
            value: Scale::new(5).unwrap(),
        },
        Expect::Refused(DomainError::NotFound { what: "goal" }),
    );
    check(
        w,
        Command::AgreeGoal {
            id: goal,
            domain: LifeDomain::Housing,
            wording: t("x"),
            criterion: t("y"),
            responsible: ResponsibleParty::KeyWorker,
            review_date: d(2026, 4, 1),
        },
        Expect::Refused(DomainError::DuplicateId),
    );
}

#[test]
fn goal_review_dates_cannot_predate_enrolment() {
    let mut w = World::enrolled();
    let id = GoalId::from_uuid(w.id());
    check(
        w,
        Command::AgreeGoal {
            id,
            domain: LifeDomain::Housing,
            wording: t("x"),
            criterion: t("y"),
            responsible: ResponsibleParty::KeyWorker,
            review_date: d(2026, 3, 1),
        },
        Expect::Refused(DomainError::DateTooEarly {
            date: d(2026, 3, 1),
            earliest: d(2026, 3, 10),
        }),
    );
}

#[test]
fn contacts_and_the_psychologist_compartment() {
    let mut w = World::enrolled();
    let team_note = w.contact_command("Begleitung zum Amt vereinbart", NoteCompartment::CaseTeam);
    let w1 = check(w.clone(), team_note, Expect::Status(CaseStatus::Enrolled));
    assert_eq!(w1.case().contacts.len(), 1);
    let psy_note = w.contact_command("Vertraulich", NoteCompartment::Psychologist);
    check(
        w.clone(),
        psy_note.clone(),
        Expect::Refused(DomainError::PsychologistCompartment),
    );
    let psychologist = w.psychologist.clone();
    check_as(
        w.clone(),
        psychologist,
        psy_note,
        Expect::Status(CaseStatus::Enrolled),
    );
    let Command::RecordContact { mut contact, .. } =
        w.contact_command("x", NoteCompartment::CaseTeam)
    else {
        unreachable!()
    };
    contact.duration_minutes = 0;
    check(
        w.clone(),
        Command::RecordContact {
            contact: contact.clone(),
            share_with_team: false,
        },
        Expect::Refused(DomainError::DurationOutOfRange),
    );
    contact.duration_minutes = 30;
    contact.date = d(2026, 3, 9);
    check(
        w,
        Command::RecordContact {
            contact,
            share_with_team: false,
        },
        Expect::Refused(DomainError::DateTooEarly {
            date: d(2026, 3, 9),
            earliest: d(2026, 3, 10),
        }),
    );
}

#[test]
fn content_needs_the_processing_consent_in_force() {
    let mut w = World::enrolled();
    let consent = w.case().consents[0].id;
    w.ok(Command::WithdrawConsent {
        id: consent,
        on: None,
    });
    let cmd = w.contact_command("x", NoteCompartment::CaseTeam);
    let w = check(
        w,
        cmd,
        Expect::Refused(DomainError::ConsentMissing {
            purpose: ConsentPurpose::CaseProcessing,
        }),
    );
    check(
        w,
        Command::WithdrawConsent {
            id: consent,
            on: None,
        },
        Expect::Refused(DomainError::ConsentAlreadyWithdrawn),
    );
}

#[test]
fn consents_are_purpose_bound_and_unique_while_active() {
    let mut w = World::enrolled();
    let id = w.give_consent(ConsentPurpose::JobcenterProgress);
    let today = w.today;
    let mut w2 = w.clone();
    let dup = Command::GiveConsent {
        id: ConsentId::from_uuid(w2.id()),
        purpose: ConsentPurpose::JobcenterProgress,
        form: ConsentForm::Electronic,
        given_on: today,
    };
    check(
        w.clone(),
        dup.clone(),
        Expect::Refused(DomainError::ConsentAlreadyActive {
            purpose: ConsentPurpose::JobcenterProgress,
        }),
    );
    check(
        w.clone(),
        Command::GiveConsent {
            id,
            purpose: ConsentPurpose::EsfData,
            form: ConsentForm::Written,
            given_on: today,
        },
        Expect::Refused(DomainError::DuplicateId),
    );
    w.ok(Command::WithdrawConsent { id, on: None });
    w.today = today + Days::new(1);
    check(w, dup, Expect::Status(CaseStatus::Enrolled));
    check(
        World::in_outreach(),
        Command::GiveConsent {
            id: ConsentId::from_uuid(uuid::Uuid::from_u128(5)),
            purpose: ConsentPurpose::EsfData,
            form: ConsentForm::Written,
            given_on: d(2026, 3, 2),
        },
        Expect::Refused(DomainError::NotEnrolled),
    );
}

#[test]
fn referrals_out_follow_their_status_flow() {
    let mut w = World::enrolled();
    let r = w.refer_out(ServiceKind::DebtCounselling);
    let update = |status, on| Command::UpdateReferralOut { id: r, status, on };
    let w = check(
        w,
        update(OutboundReferralStatus::Contacted, d(2026, 3, 10)),
        Expect::Status(CaseStatus::Enrolled),
    );
    let w = check(
        w,
        update(OutboundReferralStatus::Suggested, d(2026, 3, 10)),
        Expect::Refused(DomainError::ReferralStatusNotAllowed {
            from: OutboundReferralStatus::Contacted,
            to: OutboundReferralStatus::Suggested,
        }),
    );
    let mut w = check(
        w,
        update(OutboundReferralStatus::Completed, d(2026, 3, 10)),
        Expect::Status(CaseStatus::Enrolled),
    );
    assert_eq!(
        w.case().referrals_out[0].status,
        OutboundReferralStatus::Completed
    );
    let w2 = check(
        w.clone(),
        update(OutboundReferralStatus::Cancelled, d(2026, 3, 10)),
        Expect::Refused(DomainError::ReferralStatusNotAllowed {
            from: OutboundReferralStatus::Completed,
            to: OutboundReferralStatus::Cancelled,
        }),
    );
    drop(w2);
    let inactive = w.service(ServiceKind::HousingAid, false);
    let id = OutboundReferralId::from_uuid(w.id());
    check(
        w,
        Command::ReferOut {
            id,
            service: inactive,
            contact_person: None,
            note: None,
            on: d(2026, 3, 10),
        },
        Expect::Refused(DomainError::ServiceInactive),
    );
}

#[test]
fn a_referral_out_keeps_its_day_note_and_contact_person() {
    let mut w = World::enrolled();
    w.on(d(2026, 3, 20));
    let mut service = w.service(ServiceKind::DebtCounselling, true);
    service.details.contact_person = Some(t("Frau Beispiel"));
    service.details.opening_hours = Some(t("Mo–Do 9–12 Uhr"));
    let id = OutboundReferralId::from_uuid(w.id());
    let refer = |on, contact_person| Command::ReferOut {
        id,
        service: service.clone(),
        on,
        note: Some(t("Kontoauszüge mitbringen")),
        contact_person,
    };
    let w = check(
        w,
        refer(d(2026, 3, 21), None),
        Expect::Refused(DomainError::DateInFuture {
            date: d(2026, 3, 21),
        }),
    );
    let w = check(
        w,
        refer(d(2026, 3, 9), None),
        Expect::Refused(DomainError::DateTooEarly {
            date: d(2026, 3, 9),
            earliest: d(2026, 3, 10),
        }),
    );
    let mut w = check(
        w,
        refer(d(2026, 3, 16), None),
        Expect::Status(CaseStatus::Enrolled),
    );
    let r = &w.case().referrals_out[0];
    assert_eq!(
        (r.created_on, r.status_since),
        (d(2026, 3, 16), d(2026, 3, 16))
    );
    assert_eq!(r.note, Some(t("Kontoauszüge mitbringen")));
    assert_eq!(
        r.contact_person,
        Some(t("Frau Beispiel")),
        "without one given, the directory's contact person"
    );
    // A contact person given wins over the directory's; a status change may not go back
    // before the day of the referral.
    let second = OutboundReferralId::from_uuid(w.id());
    w.ok(Command::ReferOut {
        id: second,
        service: service.clone(),
        on: d(2026, 3, 20),
        note: None,
        contact_person: Some(t("Herr Probe")),
    });
    assert_eq!(
        w.case().referrals_out[1].contact_person,
        Some(t("Herr Probe"))
    );
    assert_eq!(w.case().referrals_out[1].note, None);
    check(
        w,
        Command::UpdateReferralOut {
            id: second,
            status: OutboundReferralStatus::Contacted,
            on: d(2026, 3, 19),
        },
        Expect::Refused(DomainError::DateTooEarly {
            date: d(2026, 3, 19),
            earliest: d(2026, 3, 20),
        }),
    );
}

#[test]
fn events_recorded_before_notes_existed_still_read() {
    // A referral out and a handover as version 1 stored them, without date, note or
    // contact person fields.
    let referral: CaseEvent = serde_json::from_value(serde_json::json!({
        "type": "referral_out_created.v1",
        "referral": {
            "id": "00000000-0000-0000-0000-000000000001",
            "service": "00000000-0000-0000-0000-000000000002",
            "kind": "debt_counselling",
            "status": "suggested",
            "status_since": "2026-03-12",
            "created_on": "2026-03-12",
            "release": null
        }
    }))
    .unwrap();
    let CaseEvent::OutboundReferralCreated { referral } = &referral else {
        panic!("{referral:?}")
    };
    assert_eq!(
        (referral.note.clone(), referral.contact_person.clone()),
        (None, None)
    );
    let handover: CaseEvent = serde_json::from_value(serde_json::json!({
        "type": "handed_over.v1",
        "target": "job_coach",
        "to": null,
        "on": "2026-03-12"
    }))
    .unwrap();
    assert!(matches!(handover, CaseEvent::HandedOver { note: None, .. }));
    // Written without a note, they serialise as before, so stored payloads stay canonical.
    let json = serde_json::to_value(&handover).unwrap();
    assert!(json.get("note").is_none(), "{json}");
}

#[test]
fn secrecy_releases_are_specific_and_revocable() {
    let mut w = World::enrolled();
    let r = w.refer_out(ServiceKind::DebtCounselling);
    let release = SecrecyRelease {
        recipient: t("Schuldnerberatung Beispielstadt"),
        information: t("Name, Anschrift, Gläubigerliste"),
        purpose: t("Terminvereinbarung"),
        direction: ReleaseDirection::Mutual,
        given_on: d(2026, 3, 10),
        valid_until: d(2026, 3, 9),
        withdrawn_on: None,
    };
    let w = check(
        w,
        Command::RecordSecrecyRelease {
            referral: r,
            release: release.clone(),
        },
        Expect::Refused(DomainError::InvalidDateRange),
    );
    let valid = SecrecyRelease {
        valid_until: d(2026, 9, 30),
        ..release
    };
    let w = check(
        w,
        Command::RecordSecrecyRelease {
            referral: r,
            release: valid,
        },
        Expect::Status(CaseStatus::Enrolled),
    );
    assert!(
        w.case().referrals_out[0]
            .release
            .as_ref()
            .unwrap()
            .is_valid_on(d(2026, 4, 1))
    );
    let w = check(
        w,
        Command::WithdrawSecrecyRelease { referral: r },
        Expect::Status(CaseStatus::Enrolled),
    );
    assert!(
        !w.case().referrals_out[0]
            .release
            .as_ref()
            .unwrap()
            .is_valid_on(d(2026, 4, 1))
    );
    check(
        w,
        Command::WithdrawSecrecyRelease { referral: r },
        Expect::Refused(DomainError::ConsentAlreadyWithdrawn),
    );
}

#[test]
fn disclosure_to_a_service_needs_a_valid_secrecy_release() {
    let mut w = World::enrolled();
    let r = w.refer_out(ServiceKind::DebtCounselling);
    let disclose = |on: NaiveDate| Command::RecordDisclosure {
        referral: r,
        on,
        information: t("Gläubigerliste"),
    };
    // Without a release nothing may be passed on.
    let w = check(
        w,
        disclose(d(2026, 3, 10)),
        Expect::Refused(DomainError::NoSecrecyRelease { on: d(2026, 3, 10) }),
    );
    assert_eq!(
        DomainError::NoSecrecyRelease { on: d(2026, 3, 10) }.rule(),
        "R22"
    );
    let mut w = check(
        w,
        Command::RecordSecrecyRelease {
            referral: r,
            release: SecrecyRelease {
                recipient: t("Schuldnerberatung Beispielstadt"),
                information: t("Gläubigerliste"),
                purpose: t("Terminvereinbarung"),
                direction: ReleaseDirection::OneWay,
                given_on: d(2026, 3, 10),
                valid_until: d(2026, 3, 31),
                withdrawn_on: None,
            },
        },
        Expect::Status(CaseStatus::Enrolled),
    );
    // Before the release was signed: refused; on the day: recorded.
    w.on(d(2026, 3, 12));
    let w = check(
        w,
        disclose(d(2026, 3, 10)),
        Expect::Status(CaseStatus::Enrolled),
    );
    assert_eq!(w.case().referrals_out[0].disclosures.len(), 1);
    assert_eq!(w.case().referrals_out[0].disclosures[0].on, d(2026, 3, 10));
    // A forged event without a release is refused by `apply` too, whoever wrote it.
    let mut forged = World::enrolled();
    let fr = forged.refer_out(ServiceKind::DebtCounselling);
    let mut case = forged.case().clone();
    let err = case
        .apply(&RecordedEvent {
            case_id: case.id,
            sequence: case.version + 1,
            recorded_at: noon(d(2026, 3, 10)),
            actor: forged.key_worker.id,
            event: CaseEvent::DisclosureRecorded {
                referral: fr,
                on: d(2026, 3, 10),
                information: t("Gläubigerliste"),
            },
        })
        .unwrap_err();
    assert!(matches!(
        err,
        wegbereiter_core::ReplayError::BreaksInvariant { rule: "R22", .. }
    ));
    assert_eq!(&case, forged.case());
    // After the release ran out, or was withdrawn, nothing more.
    let mut later = w.clone();
    later.on(d(2026, 4, 2));
    check(
        later,
        disclose(d(2026, 4, 1)),
        Expect::Refused(DomainError::NoSecrecyRelease { on: d(2026, 4, 1) }),
    );
    let w = check(
        w,
        Command::WithdrawSecrecyRelease { referral: r },
        Expect::Status(CaseStatus::Enrolled),
    );
    check(
        w,
        disclose(d(2026, 3, 12)),
        Expect::Refused(DomainError::NoSecrecyRelease { on: d(2026, 3, 12) }),
    );
}

#[test]
fn a_pause_is_recorded_and_ended_and_never_moves_the_planned_end() {
    let mut w = World::enrolled(); // 10 March, planned end 10 June
    let planned_end = w.case().period.as_ref().unwrap().planned_end();
    w.on(d(2026, 3, 20));
    let w = check(
        w,
        Command::ResumeParticipation { on: d(2026, 3, 20) },
        Expect::Refused(DomainError::NotPaused),
    );
    let w = check(
        w,
        Command::PauseParticipation {
            from: d(2026, 3, 9),
        },
        Expect::RefusedLike(|e| matches!(e, DomainError::DateTooEarly { .. })),
    );
    let w = check(
        w,
        Command::PauseParticipation {
            from: d(2026, 3, 21),
        },
        Expect::RefusedLike(|e| matches!(e, DomainError::DateInFuture { .. })),
    );
    let w = check(
        w,
        Command::PauseParticipation {
            from: d(2026, 3, 18),
        },
        Expect::Status(CaseStatus::Enrolled),
    );
    let w = check(
        w,
        Command::PauseParticipation {
            from: d(2026, 3, 19),
        },
        Expect::Refused(DomainError::AlreadyPaused),
    );
    let open = w.case().open_pause().unwrap();
    assert_eq!((open.from, open.until), (d(2026, 3, 18), None));
    assert_eq!(
        DomainError::AlreadyPaused.rule(),
        "process step 4",
        "a pause is part of the key-worker period's rules"
    );
    let w = check(
        w,
        Command::ResumeParticipation { on: d(2026, 3, 17) },
        Expect::RefusedLike(|e| matches!(e, DomainError::DateTooEarly { .. })),
    );
    let w = check(
        w,
        Command::ResumeParticipation { on: d(2026, 3, 20) },
        Expect::Status(CaseStatus::Enrolled),
    );
    assert!(w.case().open_pause().is_none());
    assert_eq!(w.case().pauses.len(), 1);
    // Not a sanction, and the clock runs on.
    assert_eq!(w.case().period.as_ref().unwrap().planned_end(), planned_end);
    // A second pause cannot start before the first ended.
    check(
        w,
        Command::PauseParticipation {
            from: d(2026, 3, 19),
        },
        Expect::RefusedLike(|e| matches!(e, DomainError::DateTooEarly { .. })),
    );
    // Not before enrolment.
    check(
        World::in_outreach(),
        Command::PauseParticipation {
            from: d(2026, 3, 2),
        },
        Expect::Refused(DomainError::NotEnrolled),
    );
}

#[test]
fn closing_ends_an_open_pause_and_a_reopened_case_is_not_paused() {
    let mut w = World::enrolled();
    w.on(d(2026, 3, 18));
    w.ok(Command::PauseParticipation {
        from: d(2026, 3, 18),
    });
    w.on(d(2026, 3, 25));
    w.ok(Command::Close {
        on: d(2026, 3, 25),
        reason: ExitReason::Health,
        immediate_result: None,
    });
    assert!(w.case().open_pause().is_none());
    assert_eq!(w.case().pauses[0].until, Some(d(2026, 3, 25)));
    let lead = w.lead.clone();
    w.on(d(2026, 4, 1));
    w.run_as(&lead, &Command::Reopen { on: d(2026, 4, 1) })
        .unwrap();
    assert_eq!(w.case().status, CaseStatus::Enrolled);
    assert!(w.case().open_pause().is_none());
    // A new pause may start again.
    w.ok(Command::PauseParticipation {
        from: d(2026, 4, 1),
    });
    assert!(w.case().open_pause().is_some());
}

// ---- 9. handover and Phase 2 -------------------------------------------------------------------

#[test]
fn handover_to_a_job_coach_changes_the_key_worker() {
    let w = World::enrolled();
    let coach = w.coach.clone();
    let psychologist = w.psychologist.clone();
    check(
        w.clone(),
        Command::HandOver {
            target: HandoverTarget::JobCoach,
            to: Some(psychologist),
            on: d(2026, 3, 10),
            note: None,
        },
        Expect::Refused(DomainError::AssigneeLacksRole {
            role: Role::JobCoach,
        }),
    );
    let w = check(
        w,
        Command::HandOver {
            target: HandoverTarget::JobCoach,
            to: Some(coach.clone()),
            on: d(2026, 3, 10),
            note: None,
        },
        Expect::Status(CaseStatus::Enrolled),
    );
    assert_eq!(w.case().key_worker, Some(coach.id));
    assert_eq!(w.case().handovers.len(), 1);
}

#[test]
fn phase2_and_attendance() {
    let w = World::enrolled();
    let session = GroupSession {
        id: GroupSessionId::from_uuid(uuid::Uuid::from_u128(77)),
        kind: GroupSessionKind::Breakfast,
        date: d(2026, 3, 10),
        title: t("Frühstück im Stadtteilladen"),
    };
    check(
        w,
        Command::RecordAttendance {
            session: session.clone(),
            attendance: Attendance::Present,
        },
        Expect::Refused(DomainError::NotInPhase2),
    );
    let w = World::in_phase2();
    assert_eq!(w.case().phase, Some(Phase::Phase2));
    let w = check(
        w,
        Command::HandOver {
            target: HandoverTarget::Phase2,
            to: None,
            on: d(2026, 4, 1),
            note: None,
        },
        Expect::Refused(DomainError::AlreadyHandedOver {
            target: HandoverTarget::Phase2,
        }),
    );
    let session = GroupSession {
        date: d(2026, 4, 1),
        ..session
    };
    let w = check(
        w,
        Command::RecordAttendance {
            session: session.clone(),
            attendance: Attendance::Absent,
        },
        Expect::Status(CaseStatus::Enrolled),
    );
    let w = check(
        w,
        Command::RecordAttendance {
            session: session.clone(),
            attendance: Attendance::Present,
        },
        Expect::Status(CaseStatus::Enrolled),
    );
    assert_eq!(
        w.case().attendance.len(),
        1,
        "a correction replaces the record"
    );
    assert_eq!(w.case().attendance[0].attendance, Attendance::Present);
    check(
        w,
        Command::RecordAttendance {
            session,
            attendance: Attendance::Present,
        },
        Expect::Refused(DomainError::NothingToChange),
    );
}

#[test]
fn a_team_lead_names_who_does_the_outreach() {
    let w = World::in_outreach();
    let lead = w.lead.clone();
    let kw = w.key_worker.clone();
    let w = check_as(
        w,
        lead.clone(),
        Command::ReassignKeyWorker { to: kw.clone() },
        Expect::Status(CaseStatus::Outreach),
    );
    assert_eq!(w.case().key_worker, Some(kw.id));
    check_as(
        World::declined(),
        lead,
        Command::ReassignKeyWorker { to: kw },
        Expect::Refused(DomainError::WrongStatus {
            status: CaseStatus::Declined,
        }),
    );
}

#[test]
fn reassignment_is_for_team_leads() {
    let w = World::enrolled();
    let coach = w.coach.clone();
    let lead = w.lead.clone();
    let w = check(
        w,
        Command::ReassignKeyWorker { to: coach.clone() },
        Expect::Refused(DomainError::NotPermitted {
            role: Role::TeamLead,
        }),
    );
    let w = check_as(
        w,
        lead.clone(),
        Command::ReassignKeyWorker { to: coach.clone() },
        Expect::Status(CaseStatus::Enrolled),
    );
    assert_eq!(w.case().key_worker, Some(coach.id));
    check_as(
        w,
        lead,
        Command::ReassignKeyWorker { to: coach },
        Expect::Refused(DomainError::NothingToChange),
    );
}

// ---- 10. closure and reopening ------------------------------------------------------------------

#[test]
fn closure_needs_an_enrolled_case_and_a_sensible_date() {
    let w = World::in_outreach();
    check(
        w,
        Command::Close {
            on: d(2026, 3, 2),
            reason: ExitReason::Other,
            immediate_result: None,
        },
        Expect::Refused(DomainError::WrongStatus {
            status: CaseStatus::Outreach,
        }),
    );
    let w = World::enrolled();
    check(
        w.clone(),
        Command::Close {
            on: d(2026, 3, 9),
            reason: ExitReason::Other,
            immediate_result: None,
        },
        Expect::Refused(DomainError::DateTooEarly {
            date: d(2026, 3, 9),
            earliest: d(2026, 3, 10),
        }),
    );
    let w = check(
        w,
        Command::Close {
            on: d(2026, 3, 10),
            reason: ExitReason::ClientEnded,
            immediate_result: None,
        },
        Expect::Status(CaseStatus::Closed),
    );
    assert_eq!(
        w.case().closure.as_ref().unwrap().reason,
        ExitReason::ClientEnded
    );
}

#[test]
fn a_closed_case_refuses_content_but_takes_exit_data_and_withdrawals() {
    let mut w = World::closed();
    let contact = w.contact_command("x", NoteCompartment::CaseTeam);
    let w = check(w, contact, Expect::Refused(DomainError::CaseClosed));
    let w = check(
        w,
        Command::Close {
            on: d(2026, 5, 4),
            reason: ExitReason::Other,
            immediate_result: None,
        },
        Expect::Refused(DomainError::CaseClosed),
    );
    let w = check(
        w,
        Command::RecordImmediateResult {
            result: ImmediateResult::Employed,
        },
        Expect::Status(CaseStatus::Closed),
    );
    assert_eq!(
        w.case().closure.as_ref().unwrap().immediate_result,
        Some(ImmediateResult::Employed)
    );
    let consent = w.case().consents[0].id;
    check(
        w,
        Command::WithdrawConsent {
            id: consent,
            on: None,
        },
        Expect::Status(CaseStatus::Closed),
    );
    check(
        World::enrolled(),
        Command::RecordImmediateResult {
            result: ImmediateResult::None,
        },
        Expect::Refused(DomainError::NotClosed),
    );
}

#[test]
fn reopening_within_four_weeks_by_a_team_lead() {
    let mut w = World::closed();
    let lead = w.lead.clone();
    w.on(d(2026, 6, 1));
    let w = check(
        w,
        Command::Reopen { on: d(2026, 6, 1) },
        Expect::Refused(DomainError::NotPermitted {
            role: Role::TeamLead,
        }),
    );
    let reopened = check_as(
        w,
        lead,
        Command::Reopen { on: d(2026, 6, 1) },
        Expect::Status(CaseStatus::Enrolled),
    );
    assert_eq!(reopened.case().ended_on, None);
}

#[test]
fn a_reopened_case_has_no_current_closure_and_keeps_the_old_one_as_history() {
    let mut w = World::closed();
    let lead = w.lead.clone();
    let first = w.case().closure.clone().unwrap();
    w.on(d(2026, 5, 11));
    w.run_as(&lead, &Command::Reopen { on: d(2026, 5, 11) })
        .unwrap();
    assert_eq!(w.case().status, CaseStatus::Enrolled);
    assert_eq!(w.case().closure, None);
    assert_eq!(w.case().previous_closures, vec![first.clone()]);
    // The exit data of a closure no longer in force cannot be recorded.
    assert_eq!(
        w.try_(&Command::RecordImmediateResult {
            result: ImmediateResult::Employed,
        }),
        Err(DomainError::NotClosed)
    );
    // Closed again, the new closure is current and the old one stays in the list; replaying
    // the history gives the same state.
    w.on(d(2026, 5, 20)).ok(Command::Close {
        on: d(2026, 5, 20),
        reason: ExitReason::ClientEnded,
        immediate_result: Some(ImmediateResult::JobSeeking),
    });
    assert_eq!(
        w.case().closure.as_ref().map(|c| (c.closed_on, c.reason)),
        Some((d(2026, 5, 20), ExitReason::ClientEnded))
    );
    assert_eq!(w.case().previous_closures, vec![first]);
    assert_eq!(&Case::replay(&w.history).unwrap(), w.case());
    // A snapshot written before the field existed reads as no previous closures.
    let mut json = serde_json::to_value(w.case()).unwrap();
    json.as_object_mut().unwrap().remove("previous_closures");
    let old: Case = serde_json::from_value(json).unwrap();
    assert!(old.previous_closures.is_empty());
}

#[test]
fn reopening_is_refused_after_the_window() {
    let mut w = World::closed();
    let lead = w.lead.clone();
    w.on(d(2026, 6, 2));
    check_as(
        w,
        lead,
        Command::Reopen { on: d(2026, 6, 2) },
        Expect::Refused(DomainError::ReopenWindowExpired {
            deadline: d(2026, 6, 1),
        }),
    );
}

#[test]
fn a_declined_case_can_be_reopened_into_outreach() {
    let mut w = World::declined();
    let lead = w.lead.clone();
    w.on(d(2026, 3, 20));
    let w = check_as(
        w,
        lead.clone(),
        Command::Reopen { on: d(2026, 3, 20) },
        Expect::Status(CaseStatus::Outreach),
    );
    check_as(
        w,
        lead,
        Command::Reopen { on: d(2026, 3, 20) },
        Expect::Refused(DomainError::WrongStatus {
            status: CaseStatus::Outreach,
        }),
    );
}

// ---- events ----------------------------------------------------------------------------------

#[test]
fn every_event_round_trips_through_json_with_its_versioned_tag() {
    let mut w = World::enrolled();
    w.give_consent(ConsentPurpose::JobcenterExit);
    let g = w.agree_goal(LifeDomain::Housing, "Wohnung halten");
    w.ok(Command::RateGoal {
        id: g,
        on: d(2026, 3, 10),
        value: Scale::new(4).unwrap(),
    });
    let c = w.contact_command("Notiz", NoteCompartment::CaseTeam);
    w.ok(c);
    let r = w.refer_out(ServiceKind::HousingAid);
    w.ok(Command::RecordSecrecyRelease {
        referral: r,
        release: SecrecyRelease {
            recipient: t("Wohnhilfe Beispielstadt"),
            information: t("Kontaktdaten"),
            purpose: t("Termin"),
            direction: ReleaseDirection::OneWay,
            given_on: d(2026, 3, 10),
            valid_until: d(2026, 6, 30),
            withdrawn_on: None,
        },
    });
    w.ok(Command::RecordDisclosure {
        referral: r,
        on: d(2026, 3, 10),
        information: t("Kontaktdaten"),
    });
    w.ok(Command::PauseParticipation {
        from: d(2026, 3, 10),
    });
    w.ok(Command::ResumeParticipation { on: d(2026, 3, 10) });
    w.ok(Command::HandOver {
        target: HandoverTarget::Phase2,
        to: None,
        on: d(2026, 3, 10),
        note: None,
    });
    w.ok(Command::Close {
        on: d(2026, 3, 10),
        reason: ExitReason::Employment,
        immediate_result: Some(ImmediateResult::Employed),
    });
    let tags: Vec<&str> = w.history.iter().map(|e| e.event.tag()).collect();
    for tag in [
        "disclosure_recorded.v1",
        "participation_paused.v1",
        "participation_resumed.v1",
    ] {
        assert!(tags.contains(&tag), "{tag} in {tags:?}");
    }
    for recorded in &w.history {
        let json = serde_json::to_value(recorded).unwrap();
        assert_eq!(json["event"]["type"], recorded.event.tag());
        assert!(recorded.event.tag().ends_with(".v1"));
        let back: RecordedEvent = serde_json::from_value(json).unwrap();
        assert_eq!(&back, recorded);
    }
    assert_eq!(Case::replay(&w.history).unwrap(), *w.case());
}

#[test]
fn replay_refuses_a_broken_history() {
    let w = World::enrolled();
    let mut gap = w.history.clone();
    gap.remove(1);
    assert!(matches!(
        Case::replay(&gap),
        Err(ReplayError::OutOfSequence {
            expected: 2,
            found: 3
        })
    ));
    assert_eq!(
        Case::replay(&w.history[1..]),
        Err(ReplayError::OutOfSequence {
            expected: 1,
            found: 2
        })
    );
    assert_eq!(Case::replay(&[]), Err(ReplayError::Empty));
    // A failed apply leaves the case untouched.
    let mut case = w.case().clone();
    let mut second_referral = w.history[0].clone();
    second_referral.sequence = case.version + 1;
    assert_eq!(case.apply(&second_referral), Err(ReplayError::NoReferral));
    assert_eq!(&case, w.case());
}

use wegbereiter_core::ReplayError;

#[test]
fn every_refusal_has_a_german_and_an_english_message_and_a_rule() {
    let samples = [
        DomainError::NotEnrolled,
        DomainError::ExtensionBeyondMaximum {
            latest: d(2026, 9, 10),
        },
        DomainError::OutreachEndRuleNotMet {
            failed_attempts: 1,
            needed_attempts: 3,
            time_rule_met_on: d(2026, 4, 13),
        },
        DomainError::ConsentMissing {
            purpose: ConsentPurpose::CaseProcessing,
        },
        DomainError::ReopenWindowExpired {
            deadline: d(2026, 6, 1),
        },
    ];
    for e in samples {
        let de = e.message(Lang::De);
        let en = e.message(Lang::En);
        assert_ne!(de, en);
        assert!(de.ends_with('.') && en.ends_with('.'));
        assert!(!e.rule().is_empty());
        let display = e.to_string();
        assert!(display.chars().next().unwrap().is_lowercase(), "{display}");
    }
    assert_eq!(DomainError::NotEnrolled.rule(), "I2");
    let missing = DomainError::NotFound { what: "goal" };
    assert_eq!(
        missing.message(Lang::De),
        "Dieses Ziel gibt es in diesem Fall nicht."
    );
    assert_eq!(
        DomainError::ExtensionBeyondMaximum {
            latest: d(2026, 9, 10)
        }
        .rule(),
        "I3"
    );
}

#[test]
fn psychologist_notes_are_read_only_by_active_psychologists() {
    let mut w = World::enrolled();
    let team_note = w.contact_command("Vermieter angerufen", NoteCompartment::CaseTeam);
    w.ok(team_note);
    let psy_note = w.contact_command("Vertraulicher Eindruck", NoteCompartment::Psychologist);
    let psychologist = w.psychologist.clone();
    w.run_as(&psychologist, &psy_note).unwrap();
    let member = |actor: &Actor, active: bool| Actor {
        active,
        ..actor.clone()
    };
    let notes = |case: &Case| -> Vec<Option<String>> {
        case.contacts
            .iter()
            .map(|c| c.note.as_ref().map(ToString::to_string))
            .collect()
    };
    let team = Some("Vermieter angerufen".to_owned());
    let secret = Some("Vertraulicher Eindruck".to_owned());
    let case = w.case().clone();
    // The psychologist reads both; the key worker, a team lead, an inactive psychologist
    // and an unknown reader read the team note only, but still see that a contact happened.
    assert_eq!(
        notes(&case.for_reader(Some(&member(&w.psychologist, true)))),
        vec![team.clone(), secret.clone()]
    );
    for reader in [
        Some(member(&w.key_worker, true)),
        Some(member(&w.lead, true)),
        Some(member(&w.psychologist, false)),
        None,
    ] {
        let seen = case.for_reader(reader.as_ref());
        assert_eq!(notes(&seen), vec![team.clone(), None], "{reader:?}");
        assert_eq!(seen.contacts.len(), 2);
        assert_eq!(seen.contacts[1].date, case.contacts[1].date);
        // The history says the same.
        let shown: Vec<String> = w
            .history
            .iter()
            .map(|e| format!("{:?}", e.event.for_reader(reader.as_ref())))
            .collect();
        assert!(
            shown.iter().all(|e| !e.contains("Vertraulicher Eindruck")),
            "{shown:?}"
        );
        assert!(shown.iter().any(|e| e.contains("Vermieter angerufen")));
    }
    // The stored case is untouched.
    assert_eq!(notes(w.case()), vec![team, secret]);
}
