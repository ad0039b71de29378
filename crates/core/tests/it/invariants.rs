//! Property tests: random command sequences never produce a case that violates I2, I3 or I4,
//! and a refused command never changes anything.

use chrono::Days;
use proptest::prelude::*;
use wegbereiter_core::period::{MAX_MONTHS, add_months};
use wegbereiter_core::prelude::*;

use crate::support::*;

/// Markers written into every free-text field; none may ever reach the Jobcenter.
const SECRETS: &[&str] = &[
    "NOTE-SECRET",
    "GOAL-SECRET",
    "CRITERION-SECRET",
    "VIEW-SECRET",
    "STRENGTH-SECRET",
    "REASON-SECRET",
    "AGREEMENT-SECRET",
];

#[derive(Debug, Clone)]
enum Op {
    Advance(u8),
    Letter,
    Attempt(u8),
    Decline,
    NotReached,
    Enrol(bool),
    Extend(u16),
    GiveConsent(u8),
    WithdrawConsent(u8),
    Assess(u8, u8),
    AgreeGoal(u8),
    UpdateGoal(u8, u8),
    RateGoal(u8, u8),
    Contact(bool, bool),
    ReferOut(u8),
    UpdateReferral(u8, u8),
    HandOver(u8),
    Attend(bool),
    Close(u8),
    Reopen,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0u8..20).prop_map(Op::Advance),
        1 => Just(Op::Letter),
        3 => any::<u8>().prop_map(Op::Attempt),
        1 => Just(Op::Decline),
        1 => Just(Op::NotReached),
        3 => any::<bool>().prop_map(Op::Enrol),
        2 => (0u16..250).prop_map(Op::Extend),
        2 => any::<u8>().prop_map(Op::GiveConsent),
        1 => any::<u8>().prop_map(Op::WithdrawConsent),
        2 => (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Op::Assess(a, b)),
        2 => any::<u8>().prop_map(Op::AgreeGoal),
        2 => (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Op::UpdateGoal(a, b)),
        1 => (any::<u8>(), 0u8..=12).prop_map(|(a, b)| Op::RateGoal(a, b)),
        2 => (any::<bool>(), any::<bool>()).prop_map(|(a, b)| Op::Contact(a, b)),
        1 => any::<u8>().prop_map(Op::ReferOut),
        1 => (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Op::UpdateReferral(a, b)),
        1 => any::<u8>().prop_map(Op::HandOver),
        1 => any::<bool>().prop_map(Op::Attend),
        1 => any::<u8>().prop_map(Op::Close),
        1 => Just(Op::Reopen),
    ]
}

fn pick<T: Labelled>(n: u8) -> T {
    T::ALL[usize::from(n) % T::ALL.len()]
}

/// Turns an abstract op into a concrete command for the current world, and who gives it.
fn command(w: &mut World, op: &Op) -> Option<(Actor, Command)> {
    let kw = w.key_worker.clone();
    let today = w.today;
    let case = w.case.clone()?;
    let cmd = match op {
        Op::Advance(days) => {
            w.today = today + Days::new(u64::from(*days));
            return None;
        }
        Op::Letter => Command::AnnounceVisit {
            announcement: VisitAnnouncement {
                letter_date: today,
                visit_from: today + Days::new(5),
                visit_until: today + Days::new(7),
            },
        },
        Op::Attempt(n) => Command::LogContactAttempt {
            at: noon(today),
            channel: pick(*n),
            outcome: pick(n / 5),
        },
        Op::Decline => Command::Decline { on: today },
        Op::NotReached => Command::MarkNotReached { on: today },
        Op::Enrol(coach) => {
            let mut cmd = w.enrol_command();
            if *coach && let Command::Enrol { key_worker, .. } = &mut cmd {
                *key_worker = w.coach.clone();
            }
            cmd
        }
        Op::Extend(days) => {
            let start = case.period.as_ref().map_or(today, |p| p.start());
            Command::ExtendPeriod {
                until: start + Days::new(u64::from(*days)),
                reason: t("REASON-SECRET Verlängerung"),
            }
        }
        Op::GiveConsent(n) => Command::GiveConsent {
            id: ConsentId::from_uuid(w.id()),
            purpose: pick(*n),
            form: ConsentForm::Written,
            given_on: today,
        },
        Op::WithdrawConsent(n) => {
            let c = case
                .consents
                .get(usize::from(*n) % case.consents.len().max(1))?;
            Command::WithdrawConsent { id: c.id }
        }
        Op::Assess(domain, need) => Command::AssessDomain {
            domain: pick(*domain),
            assessment: DomainAssessment {
                own_view: Some(t("VIEW-SECRET Sicht")),
                strengths: Some(t("STRENGTH-SECRET Stärke")),
                need: pick(*need),
                priority: pick(need / 3),
                source: pick(need / 7),
            },
        },
        Op::AgreeGoal(domain) => Command::AgreeGoal {
            id: GoalId::from_uuid(w.id()),
            domain: pick(*domain),
            wording: t("GOAL-SECRET Ziel"),
            criterion: t("CRITERION-SECRET Kriterium"),
            responsible: pick(domain / 3),
            review_date: today + Days::new(14),
        },
        Op::UpdateGoal(n, status) => {
            let g = case.goals.get(usize::from(*n) % case.goals.len().max(1))?;
            Command::UpdateGoal {
                id: g.id,
                changes: GoalChanges {
                    status: Some(pick(*status)),
                    ..Default::default()
                },
            }
        }
        Op::RateGoal(n, value) => {
            let g = case.goals.get(usize::from(*n) % case.goals.len().max(1))?;
            Command::RateGoal {
                id: g.id,
                on: today,
                value: Scale::new(*value).ok()?,
            }
        }
        Op::Contact(psy_note, as_psychologist) => {
            let compartment = if *psy_note {
                NoteCompartment::Psychologist
            } else {
                NoteCompartment::CaseTeam
            };
            let Command::RecordContact { mut contact } =
                w.contact_command("NOTE-SECRET Gespräch", compartment)
            else {
                return None;
            };
            contact.agreements = Some(t("AGREEMENT-SECRET"));
            let actor = if *as_psychologist {
                w.psychologist.clone()
            } else {
                kw
            };
            return Some((actor, Command::RecordContact { contact }));
        }
        Op::ReferOut(kind) => {
            let service = w.service(pick(*kind), kind % 7 != 0);
            Command::ReferOut {
                id: OutboundReferralId::from_uuid(w.id()),
                service,
            }
        }
        Op::UpdateReferral(n, status) => {
            let r = case
                .referrals_out
                .get(usize::from(*n) % case.referrals_out.len().max(1))?;
            Command::UpdateReferralOut {
                id: r.id,
                status: pick(*status),
                on: today,
            }
        }
        Op::HandOver(target) => {
            let target: HandoverTarget = pick(*target);
            let to = match target {
                HandoverTarget::JobCoach => Some(w.coach.clone()),
                HandoverTarget::Psychologist => Some(w.psychologist.clone()),
                _ => None,
            };
            Command::HandOver {
                target,
                to,
                on: today,
            }
        }
        Op::Attend(present) => Command::RecordAttendance {
            session: GroupSession {
                id: GroupSessionId::from_uuid(w.id()),
                kind: GroupSessionKind::Breakfast,
                date: today,
                title: t("Frühstück"),
            },
            attendance: if *present {
                Attendance::Present
            } else {
                Attendance::Absent
            },
        },
        Op::Close(reason) => Command::Close {
            on: today,
            reason: pick(*reason),
            immediate_result: None,
        },
        Op::Reopen => return Some((w.lead.clone(), Command::Reopen { on: today })),
    };
    Some((kw, cmd))
}

fn check_invariants(w: &World) -> Result<(), TestCaseError> {
    let case = w.case();
    // I3: the period never exceeds 6 months, and the history keeps both ends of every extension.
    if let Some(p) = &case.period {
        prop_assert!(p.planned_end() <= add_months(p.start(), MAX_MONTHS).unwrap());
        let mut end = add_months(p.start(), 3).unwrap();
        for e in p.extensions() {
            prop_assert_eq!(e.previous_end, end);
            prop_assert!(e.new_end > e.previous_end);
            end = e.new_end;
        }
        prop_assert_eq!(end, p.planned_end());
    }
    // I4 and I1: nothing of the counselling content ever reaches the Jobcenter.
    for at in [noon(w.today), noon(w.today) + chrono::Duration::days(400)] {
        let json = serde_json::to_string(&jobcenter_feedback(case, at)).unwrap();
        for secret in SECRETS {
            prop_assert!(!json.contains(secret), "{} leaked: {}", secret, json);
        }
        for word in [
            "absent",
            "attendance",
            "unentschuldigt",
            "unexcused",
            "breach",
            "sanction",
        ] {
            prop_assert!(!json.contains(word), "{} in {}", word, json);
        }
        let fb = jobcenter_feedback(case, at);
        if fb.participation.is_some() {
            prop_assert!(case.has_active_consent(ConsentPurpose::JobcenterParticipation, at));
        }
        if fb.progress.is_some() {
            prop_assert!(case.has_active_consent(ConsentPurpose::JobcenterProgress, at));
        }
        if fb.exit.is_some() {
            prop_assert!(case.has_active_consent(ConsentPurpose::JobcenterExit, at));
        }
    }
    // The state is exactly the replay of the history.
    prop_assert_eq!(&Case::replay(&w.history).unwrap(), case);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_command_sequences_keep_the_invariants(ops in proptest::collection::vec(op(), 1..80)) {
        let mut w = World::referred();
        for op in &ops {
            let Some((actor, cmd)) = command(&mut w, op) else { continue };
            let before = w.case.clone();
            let status_before = w.case().status;
            match w.run_as(&actor, &cmd) {
                Ok(events) => {
                    // I2: counselling content is only ever recorded for an enrolled client.
                    for e in &events {
                        if e.is_counselling_content() {
                            prop_assert_eq!(status_before, CaseStatus::Enrolled, "{:?}", e);
                        }
                    }
                    // I5: every event is attributed to the acting person at the command's time.
                    for r in w.history.iter().rev().take(events.len()) {
                        prop_assert_eq!(r.actor, actor.id);
                        prop_assert_eq!(r.recorded_at, noon(w.today));
                        // The stored form: the versioned tag is the JSON `type`, and the event
                        // comes back equal.
                        let json = serde_json::to_value(&r.event).unwrap();
                        prop_assert_eq!(json["type"].as_str(), Some(r.event.tag()));
                        let back: CaseEvent = serde_json::from_value(json).unwrap();
                        prop_assert_eq!(&back, &r.event);
                    }
                }
                Err(_) => prop_assert_eq!(&w.case, &before, "a refused command changed the case"),
            }
            check_invariants(&w)?;
        }
    }

    #[test]
    fn period_arithmetic_never_panics(days in 0i64..3_000_000) {
        let start = chrono::NaiveDate::from_ymd_opt(-200_000, 1, 1).unwrap() + chrono::Duration::days(days);
        if let Ok(p) = wegbereiter_core::period::KeyWorkerPeriod::begin(start) {
            prop_assert!(p.planned_end() <= p.latest_end());
            prop_assert!(p.planned_end() > p.start());
        }
    }
}

#[test]
fn extreme_dates_are_errors_not_panics() {
    let mut w = World::referred();
    w.today = chrono::NaiveDate::MAX;
    let cmd = w.enrol_command();
    assert_eq!(w.try_(&cmd).unwrap_err(), DomainError::DateOutOfRange);
}
