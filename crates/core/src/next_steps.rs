//! What to do next in a case (issue 16): the *nächsten Schritte* every frontend shows at the
//! top of a case.
//!
//! [`next_steps`] is a pure function of a case, a reader, a day and the [`Policy`]: the steps
//! the reader may take now, most pressing first, and the last contact with the next steps it
//! agreed. It asks the process as core already knows it: the reminders ([`reminders`]: goals
//! due for review, no recent contact, missing ESF Plus entry data, a period ending or over,
//! the outreach follow-up and end rule), the case's state (an agreement to take part, the
//! consents asked for, the social history and goals begun, an open pause, a closure without
//! its immediate result) and the access policy ([`access::check`]: a step the reader may not
//! take is not offered). It never decides: the step's own command is decided by `decide`.
//!
//! Each [`NextStep`] names the [`SectionKey`] of the case file where its form is
//! ([`NextStep::section`]), so that a frontend links straight to it, and words itself in
//! German and English ([`NextStep::message`]).

use chrono::NaiveDate;
use serde::Serialize;

use crate::access::{self, Right};
use crate::calendar::LocalCalendar;
use crate::case::{Case, CaseStatus};
use crate::case_file::{SectionKey, date};
use crate::command::Policy;
use crate::consent::ConsentPurpose;
use crate::contact::ContactKind;
use crate::ids::{GoalId, OutboundReferralId};
use crate::outreach::AttemptOutcome;
use crate::reminders::{ReminderKind, ReminderSubject, reminders};
use crate::staff::Actor;
use crate::vocab::{Labelled, Lang};

/// The consents the next steps ask for after enrolment, in this order: what the Jobcenter is
/// told of participation and what the ESF Plus programme collects. The others (progress, exit,
/// health information) are asked when they are needed, not as a step of every case.
pub const ASKED_CONSENTS: [ConsentPurpose; 2] = [
    ConsentPurpose::JobcenterParticipation,
    ConsentPurpose::EsfData,
];

/// One step to take next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
#[non_exhaustive]
pub enum NextStep {
    /// The client agreed to take part (on `agreed_on`): enrol.
    Enrol {
        /// The day of the attempt that recorded the agreement.
        agreed_on: NaiveDate,
    },
    /// The outreach end rule is met: decide whether the client counts as not reached, or try
    /// once more.
    ReviewOutreachEnd,
    /// Reach out again: the next contact attempt (or the announced visit) is due.
    ContactAttempt {
        /// When it is due.
        due: NaiveDate,
    },
    /// The key-worker period ended on `planned_end` and the case is open: extend or close.
    PeriodEnded {
        /// The planned end that has passed.
        planned_end: NaiveDate,
    },
    /// A consent not recorded yet (neither given nor withdrawn): ask the client.
    AskConsent {
        /// Which consent.
        purpose: ConsentPurpose,
    },
    /// The ESF Plus entry data are missing.
    EnterEsfEntry {
        /// When the policy expects them.
        due: NaiveDate,
    },
    /// No life domain of the social history is assessed yet.
    AssessSocialHistory,
    /// No goal is agreed yet.
    AgreeGoal,
    /// A goal is due for review.
    ReviewGoal {
        /// The goal.
        goal: GoalId,
        /// Its wording.
        wording: String,
        /// Its review date.
        due: NaiveDate,
    },
    /// No contact for too long.
    RecordContact {
        /// Since when a contact is due.
        due: NaiveDate,
    },
    /// A referral out has had no update for too long: ask the service.
    FollowUpReferralOut {
        /// The referral out.
        referral: OutboundReferralId,
        /// Since when.
        due: NaiveDate,
    },
    /// The key-worker period ends soon: extend or prepare the closure.
    PeriodEnding {
        /// The planned end.
        planned_end: NaiveDate,
    },
    /// Participation is paused (since `since`): end the pause when the client is back.
    EndPause {
        /// The first day of the pause.
        since: NaiveDate,
    },
    /// The case is closed without its immediate result (ESF Plus exit data).
    RecordImmediateResult,
}

impl NextStep {
    /// The stable key of the step (JSON, the web's test hooks): the same as its serde tag.
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            Self::Enrol { .. } => "enrol",
            Self::ReviewOutreachEnd => "review_outreach_end",
            Self::ContactAttempt { .. } => "contact_attempt",
            Self::PeriodEnded { .. } => "period_ended",
            Self::AskConsent { .. } => "ask_consent",
            Self::EnterEsfEntry { .. } => "enter_esf_entry",
            Self::AssessSocialHistory => "assess_social_history",
            Self::AgreeGoal => "agree_goal",
            Self::ReviewGoal { .. } => "review_goal",
            Self::RecordContact { .. } => "record_contact",
            Self::FollowUpReferralOut { .. } => "follow_up_referral_out",
            Self::PeriodEnding { .. } => "period_ending",
            Self::EndPause { .. } => "end_pause",
            Self::RecordImmediateResult => "record_immediate_result",
        }
    }

    /// The section of the case file whose form takes this step.
    #[must_use]
    pub fn section(&self) -> SectionKey {
        match self {
            Self::Enrol { .. } => SectionKey::Enrolment,
            Self::ReviewOutreachEnd | Self::ContactAttempt { .. } => SectionKey::Attempts,
            Self::PeriodEnded { .. } | Self::PeriodEnding { .. } => SectionKey::Period,
            Self::AskConsent { .. } => SectionKey::Consents,
            Self::EnterEsfEntry { .. } => SectionKey::EsfEntry,
            Self::AssessSocialHistory => SectionKey::SocialHistory,
            Self::AgreeGoal | Self::ReviewGoal { .. } => SectionKey::Goals,
            Self::RecordContact { .. } => SectionKey::Contacts,
            Self::FollowUpReferralOut { .. } => SectionKey::ReferralsOut,
            Self::EndPause { .. } => SectionKey::Pauses,
            Self::RecordImmediateResult => SectionKey::Closure,
        }
    }

    /// The day the step is due, if it has one.
    #[must_use]
    pub fn due(&self) -> Option<NaiveDate> {
        match self {
            Self::Enrol { agreed_on: day }
            | Self::ContactAttempt { due: day }
            | Self::PeriodEnded { planned_end: day }
            | Self::EnterEsfEntry { due: day }
            | Self::ReviewGoal { due: day, .. }
            | Self::RecordContact { due: day }
            | Self::FollowUpReferralOut { due: day, .. }
            | Self::PeriodEnding { planned_end: day } => Some(*day),
            Self::EndPause { .. }
            | Self::ReviewOutreachEnd
            | Self::AskConsent { .. }
            | Self::AssessSocialHistory
            | Self::AgreeGoal
            | Self::RecordImmediateResult => None,
        }
    }

    /// Whether the step was due before `today` (a period that is over always is).
    #[must_use]
    pub fn overdue(&self, today: NaiveDate) -> bool {
        match self {
            Self::Enrol { .. } => false,
            Self::PeriodEnded { .. } => true,
            other => other.due().is_some_and(|due| due < today),
        }
    }

    /// What the reader needs to take the step.
    #[must_use]
    pub fn right(&self) -> Right {
        match self {
            Self::RecordContact { .. } => Right::RecordAnyContact,
            _ => Right::ChangeContent,
        }
    }

    /// The process order of the steps (where the step sits in the process).
    fn order(&self) -> u8 {
        match self {
            Self::Enrol { .. } => 0,
            Self::ReviewOutreachEnd => 1,
            Self::ContactAttempt { .. } => 2,
            Self::PeriodEnded { .. } => 3,
            Self::AskConsent { .. } => 4,
            Self::EnterEsfEntry { .. } => 5,
            Self::AssessSocialHistory => 6,
            Self::AgreeGoal => 7,
            Self::ReviewGoal { .. } => 8,
            Self::RecordContact { .. } => 9,
            Self::FollowUpReferralOut { .. } => 10,
            Self::PeriodEnding { .. } => 11,
            Self::EndPause { .. } => 12,
            Self::RecordImmediateResult => 13,
        }
    }

    /// The step as one sentence in `lang` (an imperative with what it is about and, where it
    /// has one, its day).
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        let de = lang == Lang::De;
        let day = |d: &NaiveDate| date(*d, lang);
        match self {
            Self::Enrol { agreed_on } => {
                if de {
                    format!(
                        "Teilnahme am {} zugesagt: jetzt aufnehmen (Beginn, Bezugsberater*in, Einwilligung zur Fallbearbeitung).",
                        day(agreed_on)
                    )
                } else {
                    format!(
                        "Agreed to take part on {}: enrol now (start, key worker, consent to case processing).",
                        day(agreed_on)
                    )
                }
            }
            Self::ReviewOutreachEnd => if de {
                "Die Regel für das Ende der aufsuchenden Phase ist erfüllt: „nicht erreicht“ festhalten oder weiter aufsuchen."
            } else {
                "The outreach end rule is met: record \"not reached\" or keep reaching out."
            }
            .to_owned(),
            Self::ContactAttempt { due } => {
                if de {
                    format!("Nächster Kontaktversuch fällig seit {}.", day(due))
                } else {
                    format!("Next contact attempt due since {}.", day(due))
                }
            }
            Self::PeriodEnded { planned_end } => {
                if de {
                    format!(
                        "Die Bezugsberatung ist am {} abgelaufen: verlängern (bis höchstens 6 Monate) oder den Fall abschließen.",
                        day(planned_end)
                    )
                } else {
                    format!(
                        "The key-worker period ended on {}: extend it (to at most 6 months) or close the case.",
                        day(planned_end)
                    )
                }
            }
            Self::AskConsent { purpose } => {
                if de {
                    format!(
                        "Einwilligung „{}“ fehlt: mit der Klient*in besprechen und erfassen (freiwillig).",
                        purpose.label(lang)
                    )
                } else {
                    format!(
                        "Consent \"{}\" missing: discuss it with the client and record it (voluntary).",
                        purpose.label(lang)
                    )
                }
            }
            Self::EnterEsfEntry { due } => {
                if de {
                    format!("ESF-Plus-Eintrittsdaten erfassen (fällig bis {}).", day(due))
                } else {
                    format!("Enter the ESF Plus entry data (due by {}).", day(due))
                }
            }
            Self::AssessSocialHistory => if de {
                "Sozialanamnese beginnen: die Lebensbereiche mit der Klient*in einschätzen."
            } else {
                "Begin the social history: assess the life domains with the client."
            }
            .to_owned(),
            Self::AgreeGoal => if de {
                "Erstes Ziel mit der Klient*in vereinbaren."
            } else {
                "Agree a first goal with the client."
            }
            .to_owned(),
            Self::ReviewGoal { wording, due, .. } => {
                if de {
                    format!("Ziel „{wording}“ überprüfen (fällig seit {}).", day(due))
                } else {
                    format!("Review the goal \"{wording}\" (due since {}).", day(due))
                }
            }
            Self::RecordContact { due } => {
                if de {
                    format!(
                        "Lange kein Kontakt: Kontakt aufnehmen und dokumentieren (fällig seit {}).",
                        day(due)
                    )
                } else {
                    format!(
                        "No contact for long: get in touch and record it (due since {}).",
                        day(due)
                    )
                }
            }
            Self::FollowUpReferralOut { due, .. } => {
                if de {
                    format!(
                        "Weitervermittlung ohne Rückmeldung: bei der Fachstelle nachfragen und den Stand eintragen (seit {}).",
                        day(due)
                    )
                } else {
                    format!(
                        "Referral out without update: ask the service and record its status (since {}).",
                        day(due)
                    )
                }
            }
            Self::PeriodEnding { planned_end } => {
                if de {
                    format!(
                        "Die Bezugsberatung endet am {}: verlängern oder den Abschluss vorbereiten.",
                        day(planned_end)
                    )
                } else {
                    format!(
                        "The key-worker period ends on {}: extend it or prepare the closure.",
                        day(planned_end)
                    )
                }
            }
            Self::EndPause { since } => {
                if de {
                    format!(
                        "Pause seit {}: beenden, sobald die Klient*in wieder teilnimmt.",
                        day(since)
                    )
                } else {
                    format!(
                        "Paused since {}: end the pause when the client takes part again.",
                        day(since)
                    )
                }
            }
            Self::RecordImmediateResult => if de {
                "Fall abgeschlossen ohne unmittelbares Ergebnis: das Ergebnis für ESF Plus nachtragen."
            } else {
                "Case closed without its immediate result: add the result for ESF Plus."
            }
            .to_owned(),
        }
    }
}

/// The last contact of a case as the next-step panel shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LastContact {
    /// Its day.
    pub date: NaiveDate,
    /// Its kind.
    pub kind: ContactKind,
    /// The next steps it agreed; `None` when it agreed none or the reader may not read them
    /// (a compartment the reader does not read, rule R14).
    pub next_steps: Option<String>,
}

/// What to do next in a case, for one reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextSteps {
    /// The steps the reader may take, most pressing first: overdue ones and an agreement to
    /// enrol first, then in process order.
    pub steps: Vec<NextStep>,
    /// The last contact (latest day), if any.
    pub last_contact: Option<LastContact>,
}

/// The next steps of `case` for `reader` on `today` (a day on `calendar`, which gives the
/// days of stored contact attempts) under `policy`. Steps the access policy does not let the
/// reader take are left out; an ended case has none but the missing immediate result.
#[must_use]
pub fn next_steps(
    case: &Case,
    reader: &Actor,
    today: NaiveDate,
    calendar: &dyn LocalCalendar,
    policy: &Policy,
) -> NextSteps {
    let mut steps = Vec::new();
    let in_outreach = matches!(case.status, CaseStatus::Referred | CaseStatus::Outreach);
    let agreed_on = case
        .attempts
        .iter()
        .filter(|a| a.outcome == AttemptOutcome::Agreed)
        .map(|a| calendar.day_of(a.at))
        .max();
    if in_outreach && let Some(agreed_on) = agreed_on {
        // Once the client agreed, enrolment is the step, not more outreach.
        steps.push(NextStep::Enrol { agreed_on });
    }
    for r in reminders(case, today, calendar, policy) {
        let step = match (r.kind, r.subject) {
            (ReminderKind::OutreachEndRuleMet, _) if agreed_on.is_none() => {
                NextStep::ReviewOutreachEnd
            }
            (ReminderKind::OutreachFollowUp, _) if agreed_on.is_none() => {
                NextStep::ContactAttempt { due: r.due }
            }
            (ReminderKind::PeriodEnded, _) => NextStep::PeriodEnded { planned_end: r.due },
            (ReminderKind::PeriodEnding, _) => NextStep::PeriodEnding { planned_end: r.due },
            (ReminderKind::GoalReviewDue, ReminderSubject::Goal(goal)) => NextStep::ReviewGoal {
                goal,
                wording: case
                    .goals
                    .iter()
                    .find(|g| g.id == goal)
                    .map(|g| g.wording.to_string())
                    .unwrap_or_default(),
                due: r.due,
            },
            (ReminderKind::NoRecentContact, _) => NextStep::RecordContact { due: r.due },
            (ReminderKind::ReferralOutStale, ReminderSubject::ReferralOut(referral)) => {
                NextStep::FollowUpReferralOut {
                    referral,
                    due: r.due,
                }
            }
            // ESF entry data are a step from enrolment on (below), not only from the warning.
            _ => continue,
        };
        steps.push(step);
    }
    if case.status == CaseStatus::Enrolled {
        for purpose in ASKED_CONSENTS {
            // A consent given or withdrawn was asked; withdrawing is the client's free choice.
            if !case.consents.iter().any(|c| c.purpose == purpose) {
                steps.push(NextStep::AskConsent { purpose });
            }
        }
        if case.esf_entry.is_none()
            && let Some(enrolment) = &case.enrolment
        {
            steps.push(NextStep::EnterEsfEntry {
                due: enrolment
                    .on
                    .checked_add_days(chrono::Days::new(u64::from(policy.esf_entry_due_days)))
                    .unwrap_or(NaiveDate::MAX),
            });
        }
        if case.social_history.is_empty() {
            steps.push(NextStep::AssessSocialHistory);
        }
        if case.goals.is_empty() {
            steps.push(NextStep::AgreeGoal);
        }
        if let Some(pause) = case.open_pause() {
            steps.push(NextStep::EndPause { since: pause.from });
        }
    }
    if case.status == CaseStatus::Closed
        && case
            .closure
            .as_ref()
            .is_some_and(|c| c.immediate_result.is_none())
    {
        steps.push(NextStep::RecordImmediateResult);
    }
    let summary = case.summary();
    steps.retain(|s| access::check(reader, Some(&summary), s.right()).is_ok());
    steps.sort_by_key(|s| {
        let pressing = matches!(s, NextStep::Enrol { .. }) || s.overdue(today);
        (!pressing, s.order(), s.due())
    });
    let last_contact = case
        .contacts
        .iter()
        .max_by_key(|c| c.date)
        .map(|c| LastContact {
            date: c.date,
            kind: c.kind,
            next_steps: if c.withheld_from(Some(reader)) {
                None
            } else {
                c.next_steps.as_ref().map(ToString::to_string)
            },
        });
    NextSteps {
        steps,
        last_contact,
    }
}
