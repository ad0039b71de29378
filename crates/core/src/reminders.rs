//! Reminders (*Wiedervorlagen*): what a key worker expects on the first screen.
//!
//! [`reminders`] is a pure function of a case, a day and the [`Policy`]; frontends list the
//! reminders of all of a person's cases, most urgent first (see [`Reminder`]'s ordering).
//! It reads only the [`ReminderFacts`] of a case, which a read model can keep small beside
//! each case ([`reminders_of`]).

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::LocalCalendar;
use crate::case::{Case, CaseStatus};
use crate::command::Policy;
use crate::ids::{CaseId, GoalId, OutboundReferralId, StaffId, TeamId};
use crate::outreach::{AttemptOutcome, OutreachEndRule};
use crate::vocab::vocabulary;

vocabulary! {
    /// Why something needs attention.
    pub enum ReminderKind {
        /// The planned end of the key-worker period is within the warning window (today or
        /// later).
        PeriodEnding = "period_ending", "Ende der Bezugsberatung naht", "Key-worker period ending";
        /// The planned end of the key-worker period has passed and the case is still open:
        /// extend (within six months) or close.
        PeriodEnded = "period_ended", "Bezugsberatung abgelaufen: verlängern oder abschließen", "Key-worker period over: extend or close";
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
        /// ESF exit data (the immediate result within four weeks of exit) still missing.
        EsfExitMissing = "esf_exit_missing", "ESF-Austrittsdaten fehlen", "ESF exit data missing";
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

/// What [`reminders`] reads of a case: days, ids and outcomes, no name and no content.
///
/// A read model stores it beside each case (storage's `case_reminder_facts`), so that a
/// list of reminders parses a few hundred bytes per case instead of the whole case state;
/// [`reminders_of`] gives from it exactly what [`reminders`] gives from the case, on every day
/// and under every [`Policy`] and calendar (the suite checks it over generated cases).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReminderFacts {
    /// The case.
    pub case_id: CaseId,
    /// Its status.
    pub status: CaseStatus,
    /// Its team, if any (for a reader's and a team's lists).
    #[serde(default)]
    pub team: Option<TeamId>,
    /// Its key worker, if any.
    pub key_worker: Option<StaffId>,
    /// The outreach so far.
    pub outreach: OutreachFacts,
    /// The planned end of the key-worker period, once enrolled.
    pub planned_end: Option<NaiveDate>,
    /// The active goals with their review dates.
    pub active_goals: Vec<(GoalId, NaiveDate)>,
    /// The day of enrolment.
    pub enrolled_on: Option<NaiveDate>,
    /// The latest day a pause ended.
    pub resumed_on: Option<NaiveDate>,
    /// The day of the last documented contact.
    pub last_contact_on: Option<NaiveDate>,
    /// A pause is open.
    pub paused: bool,
    /// The ESF entry data are missing.
    pub esf_entry_missing: bool,
    /// The referrals out that are not final, with the day their status last changed.
    pub open_referrals_out: Vec<(OutboundReferralId, NaiveDate)>,
    /// The day of the closure in force, if closed.
    #[serde(default)]
    pub closed_on: Option<NaiveDate>,
    /// A participant's closure still lacks its immediate result (ESF exit data).
    #[serde(default)]
    pub esf_result_missing: bool,
}

impl ReminderFacts {
    /// The facts of `case`.
    #[must_use]
    pub fn of(case: &Case) -> Self {
        Self {
            case_id: case.id,
            status: case.status,
            team: case.team,
            key_worker: case.key_worker,
            outreach: OutreachFacts::of(case),
            planned_end: case
                .period
                .as_ref()
                .map(crate::period::KeyWorkerPeriod::planned_end),
            active_goals: case
                .goals
                .iter()
                .filter(|g| g.status.is_active())
                .map(|g| (g.id, g.review_date))
                .collect(),
            enrolled_on: case.enrolment.as_ref().map(|e| e.on),
            resumed_on: case.pauses.iter().filter_map(|p| p.until).max(),
            last_contact_on: case.last_contact_on(),
            paused: case.open_pause().is_some(),
            esf_entry_missing: case.esf_entry.is_none(),
            open_referrals_out: case
                .referrals_out
                .iter()
                .filter(|r| !r.status.is_final())
                .map(|r| (r.id, r.status_since))
                .collect(),
            closed_on: case.closure.as_ref().map(|c| c.closed_on),
            esf_result_missing: case.enrolment.is_some()
                && case
                    .closure
                    .as_ref()
                    .is_some_and(|c| c.immediate_result.is_none()),
        }
    }
}

/// What the outreach rules read of a case: the attempts, the announcement letters and the
/// referral date ([`crate::command::outreach_end_rule_met`] and the outreach reminders).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OutreachFacts {
    /// The day of the referral.
    pub referral_date: NaiveDate,
    /// Every contact attempt: when, and what came of it, in the order recorded.
    pub attempts: Vec<(DateTime<Utc>, AttemptOutcome)>,
    /// Every announcement letter: its date and the first day of the announced visit window.
    pub announcements: Vec<(NaiveDate, NaiveDate)>,
}

impl OutreachFacts {
    /// The outreach facts of `case`.
    #[must_use]
    pub fn of(case: &Case) -> Self {
        Self {
            referral_date: case.referral.referral_date,
            attempts: case.attempts.iter().map(|a| (a.at, a.outcome)).collect(),
            announcements: case
                .announcements
                .iter()
                .map(|a| (a.letter_date, a.visit_from))
                .collect(),
        }
    }

    /// The days an outreach reminder of these facts cannot be due before, whatever the
    /// calendar and the policy ([`due_lower_bound`] adds the policy's follow-up days and
    /// bounds each by today, the day the end rule's reminder falls on).
    ///
    /// [`reminders`] reports a follow-up on the first day of the visit window announced after
    /// the last activity (letter or attempt), else the follow-up days after that activity,
    /// else on the referral day; or the end rule on today. An attempt's local day can lie one
    /// day before or after its UTC day, so the activity day is taken one day early, which
    /// admits every window the local day admits: the days given are lower bounds under every
    /// calendar, close to the real due day, so a page of reminders, most urgent first, does
    /// not have to ask every case in outreach.
    #[must_use]
    pub fn due_from(&self) -> Vec<(DueFrom, NaiveDate)> {
        let attempts = self
            .attempts
            .iter()
            .map(|(at, _)| at.date_naive().pred_opt().unwrap_or(NaiveDate::MIN));
        let letters = self.announcements.iter().map(|(letter, _)| *letter);
        let end = (DueFrom::OutreachEnd, self.end_rule_counts_from());
        let Some(activity) = attempts.chain(letters).max() else {
            return vec![(DueFrom::Outreach, self.referral_date), end];
        };
        let mut out = vec![(DueFrom::OutreachActivity, activity), end];
        if let Some(window) = self
            .announcements
            .iter()
            .map(|(_, from)| *from)
            .filter(|from| *from >= activity)
            .min()
        {
            out.push((DueFrom::OutreachWindow, window));
        }
        out
    }

    /// The latest day, under any calendar, that the end rule's time counts from (see
    /// [`OutreachFacts::time_rule_met_on`]): the last attempt that reached the client, else
    /// the first letter or attempt, else the referral; an attempt's day one day after its
    /// UTC day. `NaiveDate::MIN` when the last attempt found the client moved (the rule is met
    /// whatever the day).
    fn end_rule_counts_from(&self) -> NaiveDate {
        if self
            .attempts
            .last()
            .is_some_and(|(_, o)| *o == AttemptOutcome::Moved)
        {
            return NaiveDate::MIN;
        }
        let late = |at: &DateTime<Utc>| at.date_naive().succ_opt().unwrap_or(NaiveDate::MAX);
        let last_reached = self
            .attempts
            .iter()
            .filter(|(_, o)| o.reached())
            .map(|(at, _)| late(at))
            .max();
        let first_letter = self.announcements.iter().map(|(letter, _)| *letter).min();
        let first_attempt = self.attempts.iter().map(|(at, _)| late(at)).min();
        let started = [first_letter, first_attempt]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(self.referral_date);
        last_reached.unwrap_or(started)
    }

    /// Failed attempts (not met, note left).
    #[must_use]
    pub fn failed_attempts(&self) -> u32 {
        let n = self
            .attempts
            .iter()
            .filter(|(_, o)| matches!(o, AttemptOutcome::NotMet | AttemptOutcome::NoteLeft))
            .count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// The first day of outreach: the first letter or attempt, else the referral date.
    #[must_use]
    pub fn started_on(&self, calendar: &dyn LocalCalendar) -> NaiveDate {
        let first_letter = self.announcements.iter().map(|(letter, _)| *letter).min();
        let first_attempt = self
            .attempts
            .iter()
            .map(|(at, _)| calendar.day_of(*at))
            .min();
        [first_letter, first_attempt]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(self.referral_date)
    }

    /// The day from which the time part of `rule` is met, counting the attempts by their
    /// local days on `calendar`.
    #[must_use]
    pub fn time_rule_met_on(
        &self,
        rule: &OutreachEndRule,
        calendar: &dyn LocalCalendar,
    ) -> NaiveDate {
        let last_reached = self
            .attempts
            .iter()
            .filter(|(_, o)| o.reached())
            .map(|(at, _)| calendar.day_of(*at))
            .max();
        let since = last_reached.unwrap_or_else(|| self.started_on(calendar));
        since
            .checked_add_days(Days::new(u64::from(rule.max_weeks_without_contact) * 7))
            .unwrap_or(NaiveDate::MAX)
    }

    /// Whether `rule` allows *not reached* on `day`: enough failed attempts, the time without
    /// contact has passed, or the client has moved.
    #[must_use]
    pub fn end_rule_met(
        &self,
        rule: &OutreachEndRule,
        day: NaiveDate,
        calendar: &dyn LocalCalendar,
    ) -> bool {
        self.failed_attempts() >= rule.max_failed_attempts
            || day >= self.time_rule_met_on(rule, calendar)
            || self
                .attempts
                .last()
                .is_some_and(|(_, o)| *o == AttemptOutcome::Moved)
    }
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
    reminders_of(&ReminderFacts::of(case), today, calendar, policy)
}

/// The reminders of the case described by `facts` on `today`: what [`reminders`] gives for
/// that case.
#[must_use]
pub fn reminders_of(
    facts: &ReminderFacts,
    today: NaiveDate,
    calendar: &dyn LocalCalendar,
    policy: &Policy,
) -> Vec<Reminder> {
    let mut out = Vec::new();
    let mut push = |due: NaiveDate, kind: ReminderKind, subject: ReminderSubject| {
        out.push(Reminder {
            due,
            kind,
            case_id: facts.case_id,
            subject,
            key_worker: facts.key_worker,
        });
    };
    match facts.status {
        CaseStatus::Referred | CaseStatus::Outreach => {
            let outreach = &facts.outreach;
            if outreach.end_rule_met(&policy.outreach_end, today, calendar) {
                push(
                    today,
                    ReminderKind::OutreachEndRuleMet,
                    ReminderSubject::Case,
                );
            } else {
                let last_activity = outreach
                    .attempts
                    .iter()
                    .map(|(at, _)| calendar.day_of(*at))
                    .chain(outreach.announcements.iter().map(|(letter, _)| *letter))
                    .max();
                // An announced visit window is a follow-up of its own: visit in it.
                let window_start = outreach
                    .announcements
                    .iter()
                    .filter(|(_, from)| last_activity.is_none_or(|l| *from >= l))
                    .map(|(_, from)| *from)
                    .min();
                let due = match (window_start, last_activity) {
                    (Some(w), _) => w,
                    (None, Some(l)) => plus(l, policy.outreach_follow_up_days),
                    (None, None) => outreach.referral_date,
                };
                if due <= today {
                    push(due, ReminderKind::OutreachFollowUp, ReminderSubject::Case);
                }
            }
        }
        CaseStatus::Enrolled => {
            if let Some(planned_end) = facts.planned_end
                && minus(planned_end, policy.period_end_warning_days) <= today
            {
                // A period that ended before today is overdue, not "ending".
                let kind = if planned_end < today {
                    ReminderKind::PeriodEnded
                } else {
                    ReminderKind::PeriodEnding
                };
                push(planned_end, kind, ReminderSubject::Case);
            }
            for (goal, review_date) in &facts.active_goals {
                if *review_date <= today {
                    push(
                        *review_date,
                        ReminderKind::GoalReviewDue,
                        ReminderSubject::Goal(*goal),
                    );
                }
            }
            if let Some(enrolled_on) = facts.enrolled_on {
                // During a pause no contact is expected; after it the count starts again.
                let since = facts
                    .last_contact_on
                    .unwrap_or(enrolled_on)
                    .max(enrolled_on)
                    .max(facts.resumed_on.unwrap_or(enrolled_on));
                let due = plus(since, policy.no_contact_days);
                if due <= today && !facts.paused {
                    push(due, ReminderKind::NoRecentContact, ReminderSubject::Case);
                }
                if facts.esf_entry_missing {
                    let due = plus(enrolled_on, policy.esf_entry_due_days);
                    if minus(due, policy.esf_entry_warning_days) <= today {
                        push(due, ReminderKind::EsfEntryMissing, ReminderSubject::Case);
                    }
                }
            }
            for (referral, status_since) in &facts.open_referrals_out {
                let due = plus(*status_since, policy.referral_out_stale_days);
                if due <= today {
                    push(
                        due,
                        ReminderKind::ReferralOutStale,
                        ReminderSubject::ReferralOut(*referral),
                    );
                }
            }
        }
        CaseStatus::Closed => {
            // A participant's exit data are due four weeks after exit (R24; docs/esf.md).
            if let Some(closed_on) = facts.closed_on
                && facts.esf_result_missing
            {
                let due = plus(closed_on, policy.esf_exit_due_days);
                if minus(due, policy.esf_entry_warning_days) <= today {
                    push(due, ReminderKind::EsfExitMissing, ReminderSubject::Case);
                }
            }
        }
        CaseStatus::Declined | CaseStatus::NotReached => {}
    }
    out.sort();
    out
}

/// A day from which one kind of reminder of a case can be due: what a read model stores to
/// find the cases worth asking [`reminders`] (storage's trigger rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DueFrom {
    /// Outreach: the earliest recorded outreach day (the referral day of a case without a
    /// letter or an attempt; also what databases written before the two kinds below hold).
    Outreach,
    /// Outreach with a letter or an attempt: a lower bound of the last activity's day (the
    /// follow-up is due the policy's follow-up days after it). See
    /// [`OutreachFacts::due_from`].
    OutreachActivity,
    /// Outreach: the earliest announced visit window that can still be ahead of the last
    /// activity (the follow-up is due on its first day).
    OutreachWindow,
    /// Outreach: the latest day the end rule's time can count from (the last attempt that
    /// reached the client, else the start of outreach; an attempt one day late for the
    /// calendar), or the earliest day when the client has moved. From this day plus the
    /// policy's weeks without contact the end rule is met for certain, and every outreach
    /// reminder of the case falls on today (see [`case_due_lower_bound`]).
    OutreachEnd,
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
    /// The day of exit, while a participant's ESF exit data are missing.
    EsfExit,
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
        DueFrom::EsfExit => plus(base, policy.esf_exit_due_days),
        DueFrom::Outreach | DueFrom::OutreachWindow => base.min(today),
        DueFrom::OutreachActivity => plus(base, policy.outreach_follow_up_days).min(today),
        // Alone it bounds nothing: the case's other outreach rows do (and when the end rule
        // is met for certain, `case_due_lower_bound` puts them at today).
        DueFrom::OutreachEnd => NaiveDate::MAX,
    }
}

/// Whether `kind` is one of the outreach rows of [`OutreachFacts::due_from`].
fn is_outreach(kind: DueFrom) -> bool {
    matches!(
        kind,
        DueFrom::Outreach
            | DueFrom::OutreachActivity
            | DueFrom::OutreachWindow
            | DueFrom::OutreachEnd
    )
}

/// A day no reminder of a case with the triggers `rows` can be due before, on `today` under
/// `policy`: the least [`due_lower_bound`] of its rows, except that a case in outreach whose
/// end rule is met for certain (its [`DueFrom::OutreachEnd`] row plus the policy's weeks
/// without contact lies on or before today) has its outreach reminders on today, so its
/// earlier follow-up days no longer bound it. `None` for no rows.
#[must_use]
pub fn case_due_lower_bound(
    rows: &[(DueFrom, NaiveDate)],
    today: NaiveDate,
    policy: &Policy,
) -> Option<NaiveDate> {
    let weeks = policy
        .outreach_end
        .max_weeks_without_contact
        .saturating_mul(7);
    let end_met = rows
        .iter()
        .any(|(kind, base)| *kind == DueFrom::OutreachEnd && plus(*base, weeks) <= today);
    rows.iter()
        .map(|(kind, base)| {
            if end_met && is_outreach(*kind) {
                today
            } else {
                due_lower_bound(*kind, *base, today, policy)
            }
        })
        .min()
}
