//! Reminders (*Wiedervorlagen*) as a pure function of a case and a day.

use chrono::{Days, Utc};
use wegbereiter_core::prelude::*;
use wegbereiter_core::reminders::ReminderSubject;

use crate::support::*;

fn kinds(w: &World, day: chrono::NaiveDate) -> Vec<ReminderKind> {
    reminders(w.case(), day, &Utc, &w.policy)
        .into_iter()
        .map(|r| r.kind)
        .collect()
}

#[test]
fn a_fresh_referral_needs_a_first_step() {
    let w = World::referred();
    assert_eq!(
        kinds(&w, d(2026, 3, 2)),
        vec![ReminderKind::OutreachFollowUp]
    );
}

#[test]
fn the_visit_window_is_the_follow_up_date() {
    let w = World::in_outreach();
    assert!(kinds(&w, d(2026, 3, 8)).is_empty());
    let r = reminders(w.case(), d(2026, 3, 9), &Utc, &w.policy);
    assert_eq!(r.len(), 1);
    assert_eq!(
        (r[0].kind, r[0].due),
        (ReminderKind::OutreachFollowUp, d(2026, 3, 9))
    );
}

#[test]
fn a_met_end_rule_asks_for_a_decision() {
    let mut w = World::in_outreach();
    for day in [9, 10, 11] {
        w.on(d(2026, 3, day)).attempt(AttemptOutcome::NotMet);
    }
    assert_eq!(
        kinds(&w, d(2026, 3, 11)),
        vec![ReminderKind::OutreachEndRuleMet]
    );
}

#[test]
fn enrolled_case_reminders() {
    let mut w = World::enrolled(); // 10 March, planned end 10 June
    assert!(kinds(&w, d(2026, 3, 10)).is_empty());
    // No contact for 14 days; from the same day the ESF entry data (due after 28 days) show.
    assert!(kinds(&w, d(2026, 3, 23)).is_empty());
    assert_eq!(
        kinds(&w, d(2026, 3, 24)),
        vec![ReminderKind::NoRecentContact, ReminderKind::EsfEntryMissing]
    );
    let c = w.contact_command("x", NoteCompartment::CaseTeam);
    w.ok(c);
    assert!(kinds(&w, d(2026, 3, 23)).is_empty());
    // ESF entry data: due 28 days after enrolment, shown 14 days before.
    let day = d(2026, 3, 24);
    assert_eq!(
        kinds(&w, day),
        vec![ReminderKind::NoRecentContact, ReminderKind::EsfEntryMissing]
    );
    w.ok(Command::RecordEsfEntry {
        record: EsfEntryRecord {
            employment_status: EmploymentStatus::Unemployed,
            long_term_unemployed: true,
            education: IscedBand::Isced3To4,
            disability: None,
            citizenship: Citizenship::German,
            foreign_background: None,
            minority: None,
            homeless: false,
            rural_area: None,
        },
    });
    assert_eq!(kinds(&w, day), vec![ReminderKind::NoRecentContact]);
    // Goal review dates.
    let g = w.agree_goal(LifeDomain::Housing, "Wohnung halten"); // review 24 March
    let r = reminders(w.case(), d(2026, 3, 24), &Utc, &w.policy);
    assert!(r.iter().any(|r| r.kind == ReminderKind::GoalReviewDue && r.subject == ReminderSubject::Goal(g)));
    w.ok(Command::UpdateGoal {
        id: g,
        changes: GoalChanges {
            status: Some(GoalStatus::Achieved),
            ..Default::default()
        },
    });
    assert!(!kinds(&w, d(2026, 3, 24)).contains(&ReminderKind::GoalReviewDue));
    // Planned end within 14 days.
    assert!(!kinds(&w, d(2026, 5, 26)).contains(&ReminderKind::PeriodEnding));
    assert!(kinds(&w, d(2026, 5, 27)).contains(&ReminderKind::PeriodEnding));
}

#[test]
fn a_period_that_has_ended_is_over_not_ending() {
    // Enrolled on 19 June: the period ends on 19 September 2026.
    let mut w = World::in_outreach();
    w.on(d(2026, 6, 19)).attempt(AttemptOutcome::Agreed);
    let cmd = w.enrol_command();
    w.ok(cmd);
    let period = |day| {
        reminders(w.case(), day, &Utc, &w.policy)
            .into_iter()
            .filter(|r| {
                matches!(
                    r.kind,
                    ReminderKind::PeriodEnding | ReminderKind::PeriodEnded
                )
            })
            .map(|r| (r.kind, r.due))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        period(d(2026, 9, 19)),
        vec![(ReminderKind::PeriodEnding, d(2026, 9, 19))],
        "on the last day it is still ending"
    );
    assert_eq!(
        period(d(2026, 9, 20)),
        vec![(ReminderKind::PeriodEnded, d(2026, 9, 19))]
    );
    assert_eq!(
        period(d(2026, 12, 2)),
        vec![(ReminderKind::PeriodEnded, d(2026, 9, 19))],
        "02.12.2026 says the period of 19.09.2026 is over"
    );
    assert!(!ReminderKind::PeriodEnded.label(Lang::De).contains("naht"));
}

#[test]
fn stale_referrals_out_and_ordering() {
    let mut w = World::enrolled();
    let r = w.refer_out(ServiceKind::DebtCounselling);
    let day = d(2026, 3, 10) + Days::new(30);
    let list = reminders(w.case(), day, &Utc, &w.policy);
    assert!(
        list.iter()
            .any(|x| x.subject == ReminderSubject::ReferralOut(r))
    );
    assert!(list.windows(2).all(|p| p[0] <= p[1]), "most urgent first");
    w.ok(Command::UpdateReferralOut {
        id: r,
        status: OutboundReferralStatus::Declined,
        on: d(2026, 3, 10),
    });
    assert!(
        reminders(w.case(), day, &Utc, &w.policy)
            .iter()
            .all(|x| x.subject != ReminderSubject::ReferralOut(r))
    );
}

#[test]
fn ended_cases_have_no_reminders_but_missing_esf_exit_data() {
    // Someone who was never enrolled has no ESF exit data to record.
    assert!(kinds(&World::declined(), d(2026, 12, 1)).is_empty());
    // Closed on 4 May 2026 without the immediate result: due four weeks after exit (1 June),
    // shown from two weeks before.
    let mut w = World::closed();
    assert!(kinds(&w, d(2026, 5, 17)).is_empty());
    assert_eq!(kinds(&w, d(2026, 5, 18)), [ReminderKind::EsfExitMissing]);
    let due = reminders(w.case(), d(2026, 12, 1), &Utc, &w.policy);
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].due, d(2026, 6, 1));
    // Once recorded, nothing is left.
    w.on(d(2026, 5, 20)).ok(Command::RecordImmediateResult {
        result: ImmediateResult::JobSeeking,
    });
    assert!(kinds(&w, d(2026, 12, 1)).is_empty());
}

#[test]
fn no_contact_is_expected_during_a_pause_and_counted_again_after_it() {
    let mut w = World::enrolled(); // 10 March
    w.on(d(2026, 3, 12));
    w.ok(Command::PauseParticipation {
        from: d(2026, 3, 12),
    });
    let no_contact = |w: &World, day| {
        reminders(w.case(), day, &Utc, &w.policy)
            .iter()
            .any(|r| r.kind == ReminderKind::NoRecentContact)
    };
    // Without the pause "no recent contact" would show from 24 March.
    assert!(!no_contact(&w, d(2026, 4, 20)));
    // The planned end still warns: the clock runs on.
    assert!(
        reminders(w.case(), d(2026, 6, 1), &Utc, &w.policy)
            .iter()
            .any(|r| r.kind == ReminderKind::PeriodEnding)
    );
    w.on(d(2026, 4, 20));
    w.ok(Command::ResumeParticipation { on: d(2026, 4, 20) });
    assert!(!no_contact(&w, d(2026, 5, 3)));
    assert!(
        no_contact(&w, d(2026, 5, 4)),
        "14 days after the resumption"
    );
}

#[test]
fn no_reminder_is_due_before_its_lower_bound() {
    use wegbereiter_core::reminders::{DueFrom, due_lower_bound};
    let w = World::enrolled(); // 10 March, no contact, no ESF entry data
    let enrolled = d(2026, 3, 10);
    let today = d(2026, 3, 24);
    let found = reminders(w.case(), today, &Utc, &w.policy);
    assert_eq!(found.len(), 2, "{found:?}");
    for r in found {
        let kind = match r.kind {
            ReminderKind::NoRecentContact => DueFrom::NoContact,
            ReminderKind::EsfEntryMissing => DueFrom::EsfMissing,
            other => panic!("unexpected reminder {other:?}"),
        };
        let bound = due_lower_bound(kind, enrolled, today, &w.policy);
        // The bound is tight: these reminders are due exactly on it.
        assert_eq!(r.due, bound, "{:?}", r.kind);
    }
    // Outreach triggers are bounded by today when the recorded day lies later.
    assert_eq!(
        due_lower_bound(DueFrom::Outreach, d(2026, 4, 1), today, &w.policy),
        today
    );
    assert_eq!(
        due_lower_bound(DueFrom::GoalReview, d(2026, 4, 1), today, &w.policy),
        d(2026, 4, 1)
    );
}

#[test]
fn an_outreach_case_is_bounded_by_its_follow_up_not_by_its_referral() {
    use wegbereiter_core::reminders::{
        DueFrom, OutreachFacts, case_due_lower_bound, due_lower_bound,
    };
    let mut w = World::in_outreach(); // letter on 2 March, visit window from 9 March
    w.on(d(2026, 3, 12)).attempt(AttemptOutcome::NotMet);
    let from = OutreachFacts::of(w.case()).due_from();
    assert!(
        from.iter().all(|(k, _)| *k != DueFrom::Outreach),
        "{from:?}"
    );
    let bound = |today| {
        from.iter()
            .map(|(k, b)| due_lower_bound(*k, *b, today, &w.policy))
            .min()
            .unwrap()
    };
    // The follow-up of the attempt on 12 March (after the window) is due on 19 March (7
    // days), not before; the attempt's day is taken one day early for the calendar.
    assert_eq!(
        bound(d(2026, 3, 13)),
        d(2026, 3, 13),
        "today, for the end rule"
    );
    assert_eq!(bound(d(2026, 3, 30)), d(2026, 3, 18));
    let due: Vec<chrono::NaiveDate> = reminders(w.case(), d(2026, 3, 30), &Utc, &w.policy)
        .iter()
        .map(|r| r.due)
        .collect();
    assert_eq!(due, vec![d(2026, 3, 19)]);
    // Without a letter or an attempt the referral day is the follow-up's day, until six
    // weeks without contact have passed: then the end rule's reminder falls on today.
    let w = World::referred(); // 1 March
    let from = OutreachFacts::of(w.case()).due_from();
    assert_eq!(
        from,
        vec![
            (DueFrom::Outreach, d(2026, 3, 1)),
            (DueFrom::OutreachEnd, d(2026, 3, 1))
        ]
    );
    let bound = |today| case_due_lower_bound(&from, today, &w.policy).unwrap();
    assert_eq!(bound(d(2026, 4, 11)), d(2026, 3, 1));
    assert_eq!(bound(d(2026, 4, 12)), d(2026, 4, 12));
    assert_eq!(
        reminders(w.case(), d(2026, 4, 12), &Utc, &w.policy)[0].kind,
        ReminderKind::OutreachEndRuleMet
    );
}
