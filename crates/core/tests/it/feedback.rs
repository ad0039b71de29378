//! What the Jobcenter may see (I1, I4).

use chrono::Utc;
use wegbereiter_core::feedback::{LeftOut, OfferResponse, left_out_of_feedback};
use wegbereiter_core::prelude::*;

use crate::support::*;

#[test]
fn outreach_feedback_holds_only_reach_acceptance_and_attempts() {
    let mut w = World::in_outreach();
    w.on(d(2026, 3, 9)).attempt(AttemptOutcome::NotMet);
    w.on(d(2026, 3, 10)).attempt(AttemptOutcome::Declined);
    let fb = jobcenter_feedback(w.case(), noon(d(2026, 3, 10)), &Utc);
    assert!(fb.outreach.reached);
    assert_eq!(fb.outreach.offer, OfferResponse::Declined);
    assert_eq!(fb.outreach.attempt_count, 2);
    assert_eq!(
        fb.outreach.attempt_dates,
        vec![d(2026, 3, 9), d(2026, 3, 10)]
    );
    assert!(fb.participation.is_none() && fb.progress.is_none() && fb.exit.is_none());
}

#[test]
fn a_decline_always_reads_as_reached() {
    // Declining without any logged "reached" attempt (e.g. by phone call to the office).
    let mut w = World::in_outreach();
    w.on(d(2026, 3, 9)).attempt(AttemptOutcome::NotMet);
    w.ok(Command::Decline { on: d(2026, 3, 9) });
    let fb = jobcenter_feedback(w.case(), noon(d(2026, 3, 9)), &Utc);
    assert!(
        fb.outreach.reached,
        "a decline must never read as not reached"
    );
    assert_eq!(fb.outreach.offer, OfferResponse::Declined);
    // Reopened (the client may reconsider): still reached, never "not reached".
    let lead = w.lead.clone();
    w.on(d(2026, 3, 12));
    w.run_as(&lead, &Command::Reopen { on: d(2026, 3, 12) })
        .unwrap();
    assert_eq!(w.case().status, CaseStatus::Outreach);
    let fb = jobcenter_feedback(w.case(), noon(d(2026, 3, 12)), &Utc);
    assert!(
        fb.outreach.reached,
        "a reopened decline must never read as not reached"
    );
}

#[test]
fn household_data_never_appear_in_progress() {
    let mut w = World::enrolled();
    w.give_consent(ConsentPurpose::JobcenterProgress);
    w.agree_goal(LifeDomain::FamilyHouseholdCare, "Kinderbetreuung klären");
    w.agree_goal(LifeDomain::Housing, "Wohnung halten");
    let progress = jobcenter_feedback(w.case(), noon(w.today), &Utc)
        .progress
        .unwrap();
    assert_eq!(progress.domains_worked_on, vec![LifeDomain::Housing]);
    assert_eq!(progress.goals_by_status.values().sum::<usize>(), 2);
    let json = serde_json::to_string(&progress).unwrap();
    assert!(!json.contains("household"), "{json}");
}

#[test]
fn not_reached_feedback() {
    let mut w = World::in_outreach();
    for day in [9, 10, 11] {
        w.on(d(2026, 3, day)).attempt(AttemptOutcome::NotMet);
    }
    w.ok(Command::MarkNotReached { on: d(2026, 3, 11) });
    let fb = jobcenter_feedback(w.case(), noon(d(2026, 3, 11)), &Utc);
    assert!(!fb.outreach.reached);
    assert_eq!(fb.outreach.offer, OfferResponse::Open);
    assert_eq!(fb.outreach.attempt_count, 3);
}

#[test]
fn sections_appear_only_with_their_consent() {
    let mut w = World::enrolled();
    let fb = jobcenter_feedback(w.case(), noon(w.today), &Utc);
    assert_eq!(fb.outreach.offer, OfferResponse::Accepted);
    assert!(
        fb.participation.is_none(),
        "case processing consent is not a transfer consent"
    );
    assert!(fb.progress.is_none());

    let participation = w.give_consent(ConsentPurpose::JobcenterParticipation);
    w.give_consent(ConsentPurpose::JobcenterProgress);
    w.agree_goal(LifeDomain::Housing, "Wohnung halten");
    w.agree_goal(LifeDomain::MentalHealth, "Therapieplatz finden");
    let fb = jobcenter_feedback(w.case(), noon(w.today), &Utc);
    let p = fb.participation.unwrap();
    assert_eq!((p.start, p.planned_end), (d(2026, 3, 10), d(2026, 6, 10)));
    let progress = fb.progress.unwrap();
    assert_eq!(progress.domains_worked_on, vec![LifeDomain::Housing]);
    // Not counted either, and nothing says that something was left out (I4) ...
    assert_eq!(progress.goals_by_status.values().sum::<usize>(), 1);
    let json = serde_json::to_string(&progress).unwrap();
    assert!(
        !json.contains("health") && !json.contains("withheld"),
        "{json}"
    );
    // ... but the key worker's preview may say so.
    assert_eq!(
        left_out_of_feedback(w.case(), noon(w.today), &Utc),
        vec![LeftOut::HealthGoals]
    );

    w.give_consent(ConsentPurpose::JobcenterHealthInformation);
    assert!(left_out_of_feedback(w.case(), noon(w.today), &Utc).is_empty());
    let progress = jobcenter_feedback(w.case(), noon(w.today), &Utc)
        .progress
        .unwrap();
    assert_eq!(
        progress.domains_worked_on,
        vec![LifeDomain::Housing, LifeDomain::MentalHealth]
    );

    // A withdrawn consent takes effect from then on, not before.
    let before = noon(w.today);
    w.ok(Command::WithdrawConsent {
        id: participation,
        on: None,
    });
    let after = noon(w.today) + chrono::Duration::seconds(1);
    assert!(
        jobcenter_feedback(w.case(), before - chrono::Duration::seconds(1), &Utc)
            .participation
            .is_some()
    );
    assert!(
        jobcenter_feedback(w.case(), after, &Utc)
            .participation
            .is_none()
    );
}

#[test]
fn exit_report_hides_health_facts_without_explicit_consent() {
    let mut w = World::enrolled();
    w.give_consent(ConsentPurpose::JobcenterExit);
    w.refer_out(ServiceKind::Psychotherapy);
    w.refer_out(ServiceKind::HousingAid);
    let psychologist = w.psychologist.clone();
    w.ok(Command::HandOver {
        target: HandoverTarget::Psychologist,
        to: Some(psychologist),
        on: d(2026, 3, 10),
        note: None,
    });
    w.ok(Command::Close {
        on: d(2026, 3, 10),
        reason: ExitReason::Health,
        immediate_result: None,
    });
    let exit = jobcenter_feedback(w.case(), noon(w.today), &Utc)
        .exit
        .unwrap();
    assert_eq!(exit.reason, ExitReason::Other);
    assert_eq!(exit.referred_to, vec![ServiceKind::HousingAid]);
    assert!(exit.handovers.is_empty());
    assert_eq!(exit.end_date, d(2026, 3, 10));
}

#[test]
fn each_kind_of_handover_is_reported_once() {
    let mut w = World::enrolled();
    w.give_consent(ConsentPurpose::JobcenterExit);
    let coach = w.coach.clone();
    let second_coach = actor(6, &[Role::JobCoach]);
    for (target, to) in [
        (HandoverTarget::JobCoach, Some(coach)),
        (HandoverTarget::Phase2, None),
        (HandoverTarget::JobCoach, Some(second_coach)),
    ] {
        w.ok(Command::HandOver {
            target,
            to,
            on: d(2026, 3, 10),
            note: None,
        });
    }
    w.ok(Command::Close {
        on: d(2026, 3, 10),
        reason: ExitReason::Employment,
        immediate_result: None,
    });
    let exit = jobcenter_feedback(w.case(), noon(w.today), &Utc)
        .exit
        .unwrap();
    assert_eq!(
        exit.handovers,
        vec![HandoverTarget::JobCoach, HandoverTarget::Phase2]
    );
}

#[test]
fn attendance_never_reaches_the_jobcenter() {
    let mut w = World::in_phase2();
    w.give_consent(ConsentPurpose::JobcenterProgress);
    w.give_consent(ConsentPurpose::JobcenterParticipation);
    w.ok(Command::RecordAttendance {
        session: GroupSession {
            id: GroupSessionId::from_uuid(uuid::Uuid::from_u128(55)),
            kind: GroupSessionKind::Workshop,
            date: d(2026, 4, 1),
            title: t("Holzwerkstatt"),
        },
        attendance: Attendance::Absent,
    });
    let json = serde_json::to_string(&jobcenter_feedback(w.case(), noon(w.today), &Utc)).unwrap();
    for forbidden in [
        "absent",
        "attendance",
        "Holzwerkstatt",
        "unentschuldigt",
        "unexcused",
    ] {
        assert!(!json.contains(forbidden), "{forbidden} in {json}");
    }
}

#[test]
fn a_pause_never_reaches_the_jobcenter() {
    let mut w = World::enrolled();
    w.give_consent(ConsentPurpose::JobcenterParticipation);
    w.give_consent(ConsentPurpose::JobcenterProgress);
    let before =
        serde_json::to_value(jobcenter_feedback(w.case(), noon(d(2026, 3, 20)), &Utc)).unwrap();
    w.on(d(2026, 3, 12));
    w.ok(Command::PauseParticipation {
        from: d(2026, 3, 12),
    });
    let during =
        serde_json::to_value(jobcenter_feedback(w.case(), noon(d(2026, 3, 20)), &Utc)).unwrap();
    assert_eq!(
        before, during,
        "a pause is not a sanction and is not reported"
    );
    assert!(
        !during.to_string().to_lowercase().contains("paus"),
        "{during}"
    );
}
