//! Today is the installation's calendar day, not the UTC day: `Context::now` carries the
//! local UTC offset, computed by the frontend (core has no time-zone database).
//! Europe/Berlin is `+01:00` in winter and `+02:00` in summer; in 2026 the clocks change on
//! Sunday 29 March (02:00 → 03:00) and Sunday 25 October (03:00 → 02:00).

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};

use crate::support::{World, d};
use wegbereiter_core::prelude::*;

fn local(offset_hours: i32, y: i32, m: u32, day: u32, h: u32, min: u32) -> DateTime<FixedOffset> {
    FixedOffset::east_opt(offset_hours * 3600)
        .unwrap()
        .with_ymd_and_hms(y, m, day, h, min, 0)
        .unwrap()
}

/// (now on the wall clock, the local day it belongs to): 23:30, 00:15 and 00:59 local time,
/// in winter and summer time and on both days the clocks change.
fn moments() -> Vec<(DateTime<FixedOffset>, NaiveDate)> {
    vec![
        (local(1, 2026, 3, 20, 23, 30), d(2026, 3, 20)),
        (local(1, 2026, 3, 21, 0, 15), d(2026, 3, 21)),
        (local(1, 2026, 3, 21, 0, 59), d(2026, 3, 21)),
        // The night the clocks go forward: still winter time until 02:00.
        (local(1, 2026, 3, 28, 23, 30), d(2026, 3, 28)),
        (local(1, 2026, 3, 29, 0, 15), d(2026, 3, 29)),
        (local(1, 2026, 3, 29, 0, 59), d(2026, 3, 29)),
        // The first night in summer time: 00:15 local is 22:15 UTC of the day before.
        (local(2, 2026, 3, 29, 23, 30), d(2026, 3, 29)),
        (local(2, 2026, 3, 30, 0, 15), d(2026, 3, 30)),
        (local(2, 2026, 3, 30, 0, 59), d(2026, 3, 30)),
        // The night the clocks go back: still summer time until 03:00.
        (local(2, 2026, 10, 24, 23, 30), d(2026, 10, 24)),
        (local(2, 2026, 10, 25, 0, 15), d(2026, 10, 25)),
        (local(2, 2026, 10, 25, 0, 59), d(2026, 10, 25)),
        // The first night in winter time again.
        (local(1, 2026, 10, 25, 23, 30), d(2026, 10, 25)),
        (local(1, 2026, 10, 26, 0, 15), d(2026, 10, 26)),
        (local(1, 2026, 10, 26, 0, 59), d(2026, 10, 26)),
    ]
}

fn contact_on(w: &mut World, date: NaiveDate) -> Command {
    let mut command = w.contact_command(
        "Hausbesuch kurz nach Mitternacht",
        NoteCompartment::CaseTeam,
    );
    if let Command::RecordContact { contact, .. } = &mut command {
        contact.date = date;
    }
    command
}

#[test]
fn a_home_visit_just_after_midnight_local_time_is_recorded_today() {
    for (now, day) in moments() {
        let mut w = World::enrolled();
        w.at_local(now);
        assert_eq!(w.today, day, "{now}");
        let today = contact_on(&mut w, day);
        assert!(w.try_(&today).is_ok(), "a contact today at {now}");
        let tomorrow = contact_on(&mut w, day.succ_opt().unwrap());
        assert_eq!(
            w.try_(&tomorrow).unwrap_err(),
            DomainError::DateInFuture {
                date: day.succ_opt().unwrap()
            },
            "a contact tomorrow at {now}"
        );
    }
}

#[test]
fn an_enrolment_just_after_midnight_counts_its_consent_from_that_local_day() {
    for (now, day) in moments()
        .into_iter()
        .filter(|(_, day)| *day < d(2026, 6, 1))
    {
        let mut w = World::in_outreach();
        w.on(d(2026, 3, 10)).attempt(AttemptOutcome::Agreed);
        w.at_local(now);
        let enrol = w.enrol_command();
        w.ok(enrol);
        assert!(
            w.case()
                .has_active_consent(ConsentPurpose::CaseProcessing, now),
            "consent given on {day} in force at {now}"
        );
        let contact = contact_on(&mut w, day);
        assert!(
            w.try_(&contact).is_ok(),
            "a contact on the enrolment day at {now}"
        );
    }
}

#[test]
fn a_declined_offer_after_midnight_is_dated_by_the_local_day() {
    let now = local(2, 2026, 3, 30, 0, 15);
    let mut w = World::in_outreach();
    w.at_local(now);
    let events = w
        .run(&Command::LogContactAttempt {
            at: now.to_utc(),
            channel: ContactChannel::Doorstep,
            outcome: AttemptOutcome::Declined,
        })
        .unwrap();
    assert!(
        events.contains(&CaseEvent::OfferDeclined { on: d(2026, 3, 30) }),
        "{events:?}"
    );
}

#[test]
fn an_instant_after_now_is_in_the_future_whatever_the_offset() {
    let now = local(2, 2026, 3, 30, 0, 15);
    let mut w = World::in_outreach();
    w.at_local(now);
    let later = now + chrono::Duration::minutes(1);
    assert_eq!(
        w.try_(&Command::LogContactAttempt {
            at: later.to_utc(),
            channel: ContactChannel::Phone,
            outcome: AttemptOutcome::NotMet,
        })
        .unwrap_err(),
        DomainError::DateInFuture {
            date: d(2026, 3, 30)
        }
    );
}

// The days of stored instants: core's pure functions take the installation's calendar
// (`LocalCalendar`), here the real zone from the time-zone database, so that the daylight-saving
// rules come from the same source as in the frontends.

use chrono::Duration;
use chrono_tz::Europe::Berlin;
use proptest::prelude::*;
use wegbereiter_core::command::outreach_time_rule_met_on;
use wegbereiter_core::reminders::{ReminderKind, reminders};

fn berlin(y: i32, m: u32, day: u32, h: u32, min: u32) -> DateTime<FixedOffset> {
    Berlin
        .with_ymd_and_hms(y, m, day, h, min, 0)
        .single()
        .unwrap()
        .fixed_offset()
}

/// 23:30 the evening before, 00:15 and 00:59 local time, in winter, on the night the clocks go
/// forward (29 March 2026), the first summer night, the night they go back (25 October 2026)
/// and the first winter night; with the local day each moment belongs to.
fn berlin_nights() -> Vec<(DateTime<FixedOffset>, NaiveDate)> {
    let mut out = Vec::new();
    for (y, m, day) in [
        (2026, 3, 21),
        (2026, 3, 29),
        (2026, 3, 30),
        (2026, 10, 25),
        (2026, 10, 26),
    ] {
        let date = d(y, m, day);
        let before = date.pred_opt().unwrap();
        out.push((
            Berlin
                .from_local_datetime(&before.and_hms_opt(23, 30, 0).unwrap())
                .single()
                .unwrap()
                .fixed_offset(),
            before,
        ));
        out.push((berlin(y, m, day, 0, 15), date));
        out.push((berlin(y, m, day, 0, 59), date));
    }
    out
}

/// A case in outreach with one attempt at `now` that reached the client (an appointment), so
/// that the case stays in outreach and the next follow-up counts from the attempt's day.
fn appointment_at(now: DateTime<FixedOffset>) -> World {
    let mut w = World::in_outreach();
    w.at_local(now);
    w.ok(Command::LogContactAttempt {
        at: now.to_utc(),
        channel: ContactChannel::Doorstep,
        outcome: AttemptOutcome::AppointmentMade,
    });
    w
}

fn follow_up_due(w: &World, today: NaiveDate) -> Option<NaiveDate> {
    reminders(w.case(), today, &Berlin, &w.policy)
        .into_iter()
        .find(|r| r.kind == ReminderKind::OutreachFollowUp)
        .map(|r| r.due)
}

#[test]
fn a_contact_attempt_after_midnight_counts_for_its_local_day_in_the_jobcenter_report() {
    for (now, day) in berlin_nights() {
        let w = appointment_at(now);
        let report = jobcenter_feedback(w.case(), now.to_utc() + Duration::days(1), &Berlin);
        assert_eq!(report.outreach.attempt_dates, vec![day], "attempt at {now}");
    }
}

#[test]
fn a_contact_attempt_after_midnight_counts_for_its_local_day_in_reminders() {
    for (now, day) in berlin_nights() {
        let w = appointment_at(now);
        let due = day + Duration::days(i64::from(w.policy.outreach_follow_up_days));
        assert_eq!(follow_up_due(&w, due), Some(due), "attempt at {now}");
        assert_eq!(
            follow_up_due(&w, due.pred_opt().unwrap()),
            None,
            "not due the day before, attempt at {now}"
        );
        // The time part of the outreach end rule counts from the same local day.
        let weeks = i64::from(w.policy.outreach_end.max_weeks_without_contact);
        assert_eq!(
            outreach_time_rule_met_on(w.case(), &w.policy.outreach_end, &Berlin),
            day + Duration::weeks(weeks),
            "attempt at {now}"
        );
    }
}

#[test]
fn the_utc_day_would_have_been_the_day_before() {
    // What the calendar changes: 00:15 in Berlin is 23:15 or 22:15 UTC of the day before.
    let now = berlin(2026, 3, 30, 0, 15);
    let w = appointment_at(now);
    let report = jobcenter_feedback(w.case(), now.to_utc() + Duration::days(1), &chrono::Utc);
    assert_eq!(report.outreach.attempt_dates, vec![d(2026, 3, 29)]);
}

#[test]
fn a_consent_given_today_is_in_force_for_the_report_just_after_midnight() {
    let now = berlin(2026, 3, 30, 0, 15);
    let mut w = World::enrolled();
    w.at_local(now);
    w.give_consent(ConsentPurpose::JobcenterParticipation);
    let at = now.to_utc();
    assert!(
        jobcenter_feedback(w.case(), at, &Berlin)
            .participation
            .is_some()
    );
    // In UTC it is still the day before the consent was given.
    assert!(
        jobcenter_feedback(w.case(), at, &chrono::Utc)
            .participation
            .is_none()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Any moment from mid-March to the end of 2026, whatever the time of day and whichever side
    /// of a clock change: the attempt belongs to its Berlin day in the report and in reminders.
    #[test]
    fn every_attempt_belongs_to_its_local_day(minutes in 0i64..(290 * 24 * 60)) {
        let start = Berlin.with_ymd_and_hms(2026, 3, 12, 0, 0, 0).single().unwrap();
        let at = start + Duration::minutes(minutes);
        let day = at.date_naive();
        let w = appointment_at(at.fixed_offset());
        let report = jobcenter_feedback(w.case(), at.to_utc() + Duration::hours(1), &Berlin);
        prop_assert_eq!(report.outreach.attempt_dates, vec![day]);
        let due = day + Duration::days(i64::from(w.policy.outreach_follow_up_days));
        prop_assert_eq!(follow_up_due(&w, due), Some(due));
    }
}
