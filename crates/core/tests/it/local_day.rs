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
