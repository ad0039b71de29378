//! Reminders (*Wiedervorlagen*): what a key worker expects on the first screen.
//!
//! [`reminders`] is a pure function of a case, a day and the [`Policy`]; frontends list the
//! reminders of all of a person's cases, most urgent first (see [`Reminder`]'s ordering).

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::LocalCalendar;
use crate::case::{Case, CaseStatus};
use crate::command::{Policy, outreach_end_rule_met};
use crate::ids::{CaseId, GoalId, OutboundReferralId, StaffId};
use crate::vocab::vocabulary;

vocabulary! {
    /// Why something needs attention.
    pub enum ReminderKind {
        /// The planned end of the key-worker period is within the warning window.
        PeriodEnding = "period_ending", "Ende der Bezugsberatung naht", "Key-worker period ending";
        /// A goal's review date is due.
        GoalReviewDue = "goal_review_due", "Zielüberprüfung fällig", "Goal review due";
        /// No contact for too long in an open case.
        NoRecentContact = "no_recent_contact", "Lange kein Kontakt", "No recent contact";
        /// An outreach follow-up is due.
        OutreachFollowUp = "outreach_follow_up", "Nachfassen in der aufsuchenden Phase", "Outreach follow-up due";
        /// The outreach end rule is met: decide whether the client counts as not reached.
        OutreachEndRuleMet = "outreach_end_rule_met", "Abschluss der aufsuchenden Phase prüfen", "Review end of outreach";
        /// ESF entry data still missing.
        EsfEntryMissing = "esf_entry_missing", "ESF-Eintrittsdaten fehlen", "ESF entry data missing";
        /// A referral out has not changed status for a long time.
        ReferralOutStale = "referral_out_stale", "Weitervermittlung ohne Rückmeldung", "Referral out without update";
    }
}

/// What a reminder refers to inside the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum ReminderSubject {
    /// The case as a whole.
    Case,
    /// A goal.
    Goal(GoalId),
    /// A referral out.
    ReferralOut(OutboundReferralId),
}

/// A reminder. Ordering: earliest due date first, then by kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Reminder {
    /// When it is (or was) due.
    pub due: NaiveDate,
    /// Why.
    pub kind: ReminderKind,
    /// The case.
    pub case_id: CaseId,
    /// What inside the case.
    pub subject: ReminderSubject,
    /// The key worker responsible, if any.
    pub key_worker: Option<StaffId>,
}

fn plus(day: NaiveDate, days: u32) -> NaiveDate {
    day.checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

fn minus(day: NaiveDate, days: u32) -> NaiveDate {
    day.checked_sub_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MIN)
}

/// The reminders of `case` on `today`, most urgent first. `calendar` gives the local day of
/// the stored instants (contact attempts), so that an attempt at 00:15 local time counts for
/// that day, not the UTC day before; `today` is a day on the same calendar.
#[must_use]
pub fn reminders(
    case: &Case,
    today: NaiveDate,
    calendar: &dyn LocalCalendar,
    policy: &Policy,
) -> Vec<Reminder> {
    let mut out = Vec::new();
    let mut push = |due: NaiveDate, kind: ReminderKind, subject: ReminderSubject| {
        out.push(Reminder {
            due,
            kind,
            case_id: case.id,
            subject,
            key_worker: case.key_worker,
        });
    };
    match case.status {
        CaseStatus::Referred | CaseStatus::Outreach => {
            if outreach_end_rule_met(case, &policy.outreach_end, today, calendar) {
                push(
                    today,
                    ReminderKind::OutreachEndRuleMet,
                    ReminderSubject::Case,
                );
            } else {
                let last_activity = case
                    .attempts
                    .iter()
                    .map(|a| calendar.day_of(a.at))
                    .chain(case.announcements.iter().map(|a| a.letter_date))
                    .max();
                // An announced visit window is a follow-up of its own: visit in it.
                let window_start = case
                    .announcements
                    .iter()
                    .filter(|a| last_activity.is_none_or(|l| a.visit_from >= l))
                    .map(|a| a.visit_from)
                    .min();
                let due = match (window_start, last_activity) {
                    (Some(w), _) => w,
                    (None, Some(l)) => plus(l, policy.outreach_follow_up_days),
                    (None, None) => case.referral.referral_date,
                };
                if due <= today {
                    push(due, ReminderKind::OutreachFollowUp, ReminderSubject::Case);
                }
            }
        }
        CaseStatus::Enrolled => {
            if let Some(period) = &case.period
                && minus(period.planned_end(), policy.period_end_warning_days) <= today
            {
                push(
                    period.planned_end(),
                    ReminderKind::PeriodEnding,
                    ReminderSubject::Case,
                );
            }
            for goal in case.goals.iter().filter(|g| g.status.is_active()) {
                if goal.review_date <= today {
                    push(
                        goal.review_date,
                        ReminderKind::GoalReviewDue,
                        ReminderSubject::Goal(goal.id),
                    );
                }
            }
            if let Some(enrolled_on) = case.enrolment.as_ref().map(|e| e.on) {
                // During a pause no contact is expected; after it the count starts again.
                let resumed_on = case.pauses.iter().filter_map(|p| p.until).max();
                let since = case
                    .last_contact_on()
                    .unwrap_or(enrolled_on)
                    .max(enrolled_on)
                    .max(resumed_on.unwrap_or(enrolled_on));
                let due = plus(since, policy.no_contact_days);
                if due <= today && case.open_pause().is_none() {
                    push(due, ReminderKind::NoRecentContact, ReminderSubject::Case);
                }
                if case.esf_entry.is_none() {
                    let due = plus(enrolled_on, policy.esf_entry_due_days);
                    if minus(due, policy.esf_entry_warning_days) <= today {
                        push(due, ReminderKind::EsfEntryMissing, ReminderSubject::Case);
                    }
                }
            }
            for r in case.referrals_out.iter().filter(|r| !r.status.is_final()) {
                let due = plus(r.status_since, policy.referral_out_stale_days);
                if due <= today {
                    push(
                        due,
                        ReminderKind::ReferralOutStale,
                        ReminderSubject::ReferralOut(r.id),
                    );
                }
            }
        }
        CaseStatus::Declined | CaseStatus::NotReached | CaseStatus::Closed => {}
    }
    out.sort();
    out
}

/// A day from which one kind of reminder of a case can be due: what a read model stores to
/// find the cases worth asking [`reminders`] (storage's trigger rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DueFrom {
    /// Outreach: the earliest recorded outreach day.
    Outreach,
    /// The planned end of the key-worker period.
    PeriodEnd,
    /// An active goal's review date.
    GoalReview,
    /// The day of the last contact (or of enrolment).
    NoContact,
    /// The day of enrolment, while ESF entry data is missing.
    EsfMissing,
    /// The day an open referral out last changed status.
    ReferralStale,
}

/// A day no reminder from a trigger `(kind, base)` can be due before, on `today` under
/// `policy`: [`reminders`] reports each kind at its base day plus the policy's shift (or later:
/// a pause only moves "no recent contact" later), an outreach reminder at the earliest
/// recorded outreach day or on `today`. The one rule storage orders its candidates by.
#[must_use]
pub fn due_lower_bound(
    kind: DueFrom,
    base: NaiveDate,
    today: NaiveDate,
    policy: &Policy,
) -> NaiveDate {
    match kind {
        DueFrom::PeriodEnd | DueFrom::GoalReview => base,
        DueFrom::NoContact => plus(base, policy.no_contact_days),
        DueFrom::EsfMissing => plus(base, policy.esf_entry_due_days),
        DueFrom::ReferralStale => plus(base, policy.referral_out_stale_days),
        DueFrom::Outreach => base.min(today),
    }
}
