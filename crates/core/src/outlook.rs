//! What a step that ends or interrupts something will do, and what stays possible afterwards
//! (issue 16: nothing irreversible on one tap).
//!
//! Closing a case, declining the offer, ending outreach as not reached, withdrawing a
//! consent, pausing participation and handing a case over are the steps a frontend asks the
//! person to confirm ([`Command::asks_confirmation`]). Before it asks, it shows
//! [`outlook`]: what the step will do ([`Effect`]), what it leaves open that the person may
//! want to finish first ([`Warning`]: open goals, referrals out still running, missing ESF
//! Plus data, "regular end" before the planned end), and how it can be undone or continued
//! ([`Afterwards`]: reopening within the policy's window, giving consent again, ending the
//! pause). These are domain rules (the reopening window, which goals and referrals are still
//! running), so they are computed here, once, for every frontend; the wording comes with them
//! in German and English.
//!
//! The outlook never decides: whether the step is allowed is [`crate::decide`]'s answer, which
//! a frontend asks as well (on the same command) before it shows the confirmation.

use chrono::{Days, NaiveDate};

use crate::case::Case;
use crate::closure::{ExitReason, ImmediateResult};
use crate::command::{Command, Policy};
use crate::consent::ConsentPurpose;
use crate::goal::GoalStatus;
use crate::handover::HandoverTarget;
use crate::ids::{GoalId, OutboundReferralId, ServiceId, StaffId};
use crate::services::OutboundReferralStatus;
use crate::vocab::{Labelled, Lang};

/// What a step will do, what it leaves open, and what stays possible afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outlook {
    /// What will happen, in order.
    pub effects: Vec<Effect>,
    /// What is still open and may deserve a look first; never a refusal.
    pub warnings: Vec<Warning>,
    /// What stays possible after the step.
    pub afterwards: Vec<Afterwards>,
}

/// Something the step will do.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Effect {
    /// The case is closed on `on` with `reason`.
    Closed {
        /// The exit day.
        on: NaiveDate,
        /// The exit reason.
        reason: ExitReason,
    },
    /// The case ends as declined on `on` (no reason is asked or stored).
    Declined {
        /// The day.
        on: NaiveDate,
    },
    /// The case ends as not reached on `on`.
    NotReached {
        /// The day.
        on: NaiveDate,
    },
    /// Nothing more can be recorded in the case once it has ended (contacts, goals,
    /// referrals out).
    NothingMoreRecorded,
    /// The consent for `purpose` is no longer in force from `on` (today: from now).
    ConsentEnds {
        /// The purpose.
        purpose: ConsentPurpose,
        /// The first day without it.
        on: NaiveDate,
    },
    /// Without the processing consent no social history, goals or contacts can be recorded
    /// (rule I2 with R12); the case stays open.
    CaseWorkBlocked,
    /// What the Jobcenter learns changes: the report that rested on this consent stops.
    JobcenterReportStops {
        /// The purpose.
        purpose: ConsentPurpose,
    },
    /// Participation pauses from `from`; the planned end stays `planned_end` (a pause is
    /// not a sanction and never reported to the Jobcenter).
    Paused {
        /// The first day of the pause.
        from: NaiveDate,
        /// The planned end, unchanged.
        planned_end: Option<NaiveDate>,
    },
    /// The case is handed over to `target` on `on`.
    HandedOver {
        /// To whom.
        target: HandoverTarget,
        /// The day.
        on: NaiveDate,
    },
    /// `to` becomes the key worker; the history stays with the case.
    NewKeyWorker {
        /// The new key worker.
        to: StaffId,
    },
    /// The person responsible until now reads the case for `days` more days and changes
    /// nothing in it any more ([`crate::access`]; `Policy::former_key_worker_read_days`).
    FormerKeyWorkerReads {
        /// The read-only period, in days (0: access ends with the handover unless the
        /// person works in the case's team).
        days: u32,
    },
}

/// Something still open that the person may want to finish before the step.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// Goals still open or in progress.
    OpenGoals {
        /// Each goal with its wording and status.
        goals: Vec<(GoalId, String, GoalStatus)>,
    },
    /// Referrals out that are not finished (e.g. still "suggested").
    OpenReferralsOut {
        /// Each referral with its service and status.
        referrals: Vec<(OutboundReferralId, ServiceId, OutboundReferralStatus)>,
    },
    /// The ESF Plus entry data were never recorded.
    EsfEntryMissing,
    /// The ESF Plus exit data (the immediate result within four weeks) are not given.
    EsfExitMissing,
    /// "Regular end" is chosen although the planned end is still ahead.
    RegularEndBeforePlannedEnd {
        /// The planned end.
        planned_end: NaiveDate,
    },
}

/// What stays possible after the step.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Afterwards {
    /// A team lead can reopen the case until `until` (the policy's window); later a new
    /// referral starts a new case.
    Reopen {
        /// The last day for reopening.
        until: NaiveDate,
    },
    /// The ESF Plus immediate result can be recorded after the closure.
    RecordImmediateResult,
    /// The client can give the consent again at any time (a new consent; the withdrawal
    /// stays in the history), and the receipt of the withdrawal can be printed.
    GiveConsentAgain {
        /// The purpose.
        purpose: ConsentPurpose,
    },
    /// The pause can be ended at any time with the day participation resumes.
    EndPause,
    /// Another handover is possible at any time, and a team lead can change the key worker.
    HandOverAgain,
}

impl Command {
    /// Whether a frontend asks the person to confirm this command (after showing its
    /// [`outlook`]): it ends the case, withdraws a consent, pauses participation or hands
    /// the case over.
    #[must_use]
    pub fn asks_confirmation(&self) -> bool {
        matches!(
            self,
            Self::Close { .. }
                | Self::Decline { .. }
                | Self::MarkNotReached { .. }
                | Self::WithdrawConsent { .. }
                | Self::PauseParticipation { .. }
                | Self::HandOver { .. }
        )
    }
}

/// What `command` would do to `case` on `today`, what it leaves open and what stays possible;
/// `None` for a command that asks no confirmation ([`Command::asks_confirmation`]) or names
/// a consent the case does not have.
#[must_use]
pub fn outlook(
    case: &Case,
    command: &Command,
    policy: &Policy,
    today: NaiveDate,
) -> Option<Outlook> {
    let reopen = |on: NaiveDate| Afterwards::Reopen {
        until: on
            .checked_add_days(Days::new(u64::from(policy.reopen_window_days)))
            .unwrap_or(on),
    };
    let o = match command {
        Command::Close {
            on,
            reason,
            immediate_result,
        } => Outlook {
            effects: vec![
                Effect::Closed {
                    on: *on,
                    reason: *reason,
                },
                Effect::NothingMoreRecorded,
            ],
            warnings: closing_warnings(case, *on, *reason, *immediate_result),
            afterwards: vec![reopen(*on), Afterwards::RecordImmediateResult],
        },
        Command::Decline { on } => Outlook {
            effects: vec![Effect::Declined { on: *on }, Effect::NothingMoreRecorded],
            warnings: Vec::new(),
            afterwards: vec![reopen(*on)],
        },
        Command::MarkNotReached { on } => Outlook {
            effects: vec![Effect::NotReached { on: *on }, Effect::NothingMoreRecorded],
            warnings: Vec::new(),
            afterwards: vec![reopen(*on)],
        },
        Command::WithdrawConsent { id, on } => {
            let consent = case.consents.iter().find(|c| c.id == *id)?;
            let purpose = consent.purpose;
            let mut effects = vec![Effect::ConsentEnds {
                purpose,
                on: on.unwrap_or(today),
            }];
            match purpose {
                ConsentPurpose::CaseProcessing => effects.push(Effect::CaseWorkBlocked),
                ConsentPurpose::JobcenterParticipation
                | ConsentPurpose::JobcenterProgress
                | ConsentPurpose::JobcenterExit
                | ConsentPurpose::JobcenterHealthInformation => {
                    effects.push(Effect::JobcenterReportStops { purpose });
                }
                _ => {}
            }
            Outlook {
                effects,
                warnings: Vec::new(),
                afterwards: vec![Afterwards::GiveConsentAgain { purpose }],
            }
        }
        Command::PauseParticipation { from } => Outlook {
            effects: vec![Effect::Paused {
                from: *from,
                planned_end: case
                    .period
                    .as_ref()
                    .map(crate::period::KeyWorkerPeriod::planned_end),
            }],
            warnings: Vec::new(),
            afterwards: vec![Afterwards::EndPause],
        },
        Command::HandOver { target, to, on, .. } => {
            let mut effects = vec![Effect::HandedOver {
                target: *target,
                on: *on,
            }];
            if let Some(to) = to
                && case.key_worker != Some(to.id)
            {
                effects.push(Effect::NewKeyWorker { to: to.id });
                if case.key_worker.is_some() {
                    effects.push(Effect::FormerKeyWorkerReads {
                        days: policy.former_key_worker_read_days,
                    });
                }
            }
            Outlook {
                effects,
                warnings: Vec::new(),
                afterwards: vec![Afterwards::HandOverAgain],
            }
        }
        _ => return None,
    };
    Some(o)
}

/// What closing `case` on `on` leaves open.
fn closing_warnings(
    case: &Case,
    on: NaiveDate,
    reason: ExitReason,
    immediate_result: Option<ImmediateResult>,
) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let goals: Vec<_> = case
        .goals
        .iter()
        .filter(|g| g.status.is_active())
        .map(|g| (g.id, g.wording.to_string(), g.status))
        .collect();
    if !goals.is_empty() {
        warnings.push(Warning::OpenGoals { goals });
    }
    let referrals: Vec<_> = case
        .referrals_out
        .iter()
        .filter(|r| !r.status.is_final())
        .map(|r| (r.id, r.service, r.status))
        .collect();
    if !referrals.is_empty() {
        warnings.push(Warning::OpenReferralsOut { referrals });
    }
    if case.esf_entry.is_none() {
        warnings.push(Warning::EsfEntryMissing);
    }
    if immediate_result.is_none() {
        warnings.push(Warning::EsfExitMissing);
    }
    if reason == ExitReason::RegularEnd
        && let Some(end) = case
            .period
            .as_ref()
            .map(crate::period::KeyWorkerPeriod::planned_end)
        && on < end
    {
        warnings.push(Warning::RegularEndBeforePlannedEnd { planned_end: end });
    }
    warnings
}

fn day(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::De => d.format("%d.%m.%Y").to_string(),
        _ => d.format("%Y-%m-%d").to_string(),
    }
}

impl Effect {
    /// The sentence for people; `staff` names a staff member.
    #[must_use]
    pub fn message(&self, lang: Lang, staff: &dyn Fn(StaffId) -> String) -> String {
        let de = lang == Lang::De;
        match self {
            Self::Closed { on, reason } => {
                if de {
                    format!("Der Fall wird zum {} abgeschlossen (Austrittsgrund: {}).", day(*on, lang), reason.label(lang))
                } else {
                    format!("The case is closed as of {} (exit reason: {}).", day(*on, lang), reason.label(lang))
                }
            }
            Self::Declined { on } => {
                if de {
                    format!("Der Fall endet zum {} mit „Angebot abgelehnt“. Nach einem Grund wird nicht gefragt; das Jobcenter erfährt nur die Absage.", day(*on, lang))
                } else {
                    format!("The case ends as of {} as \"offer declined\". No reason is asked; the Jobcenter learns only that the offer was declined.", day(*on, lang))
                }
            }
            Self::NotReached { on } => {
                if de {
                    format!("Der Fall endet zum {} mit „nicht erreicht“.", day(*on, lang))
                } else {
                    format!("The case ends as of {} as \"not reached\".", day(*on, lang))
                }
            }
            Self::NothingMoreRecorded => if de {
                "Danach können im Fall keine Kontakte, Ziele oder Weitervermittlungen mehr erfasst werden."
            } else {
                "Afterwards no contacts, goals or referrals out can be recorded in the case."
            }
            .to_owned(),
            Self::ConsentEnds { purpose, on } => {
                if de {
                    format!("Die Einwilligung „{}“ gilt ab dem {} nicht mehr.", purpose.label(lang), day(*on, lang))
                } else {
                    format!("The consent \"{}\" is no longer in force from {}.", purpose.label(lang), day(*on, lang))
                }
            }
            Self::CaseWorkBlocked => if de {
                "Ohne Einwilligung in die Fallbearbeitung können keine Kontakte, Ziele oder Einschätzungen mehr erfasst werden; der Fall bleibt offen."
            } else {
                "Without the consent to case processing no contacts, goals or assessments can be recorded; the case stays open."
            }
            .to_owned(),
            Self::JobcenterReportStops { purpose } => {
                if de {
                    format!("Die Rückmeldung an das Jobcenter enthält ab dann nichts mehr, was auf dieser Einwilligung beruht ({}).", purpose.label(lang))
                } else {
                    format!("From then on the Jobcenter feedback contains nothing that rests on this consent ({}).", purpose.label(lang))
                }
            }
            Self::Paused { from, planned_end } => {
                let end = planned_end.map(|e| day(e, lang)).unwrap_or_default();
                if de {
                    format!("Die Teilnahme ruht ab dem {}. Das geplante Ende ({end}) bleibt, wie es ist. Eine Pause ist keine Sanktion und wird dem Jobcenter nicht gemeldet.", day(*from, lang))
                } else {
                    format!("Participation pauses from {}. The planned end ({end}) stays as it is. A pause is not a sanction and is never reported to the Jobcenter.", day(*from, lang))
                }
            }
            Self::HandedOver { target, on } => {
                if de {
                    format!("Der Fall wird am {} übergeben: {}. Die Fallgeschichte bleibt vollständig erhalten.", day(*on, lang), target.label(lang))
                } else {
                    format!("The case is handed over on {}: {}. The whole history stays with the case.", day(*on, lang), target.label(lang))
                }
            }
            Self::NewKeyWorker { to } => {
                if de {
                    format!("{} wird zuständig und bearbeitet den Fall ab dann.", staff(*to))
                } else {
                    format!("{} becomes responsible and works on the case from then on.", staff(*to))
                }
            }
            Self::FormerKeyWorkerReads { days } => {
                if de {
                    format!(
                        "Die bisher zuständige Fachkraft kann den Fall noch {days} Tage nach der Übergabe lesen (gehört sie zum Team des Falls, auch länger), aber nichts mehr ändern, auch keine Anwesenheit."
                    )
                } else {
                    format!(
                        "The person responsible until now can still read the case for {days} days after the handover (longer as a member of the case's team) but no longer change anything, attendance included."
                    )
                }
            }
        }
    }
}

impl Warning {
    /// The sentence for people; the frontend lists the goals or referrals beneath it.
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        let de = lang == Lang::De;
        match self {
            Self::OpenGoals { goals } => match (de, goals.len()) {
                (true, 1) => "1 Ziel ist noch offen oder in Arbeit. Möchten Sie seinen Stand vorher eintragen?".to_owned(),
                (true, n) => format!("{n} Ziele sind noch offen oder in Arbeit. Möchten Sie ihren Stand vorher eintragen?"),
                (false, 1) => "1 goal is still open or in progress. Record its status first?".to_owned(),
                (false, n) => format!("{n} goals are still open or in progress. Record their status first?"),
            },
            Self::OpenReferralsOut { referrals } => match (de, referrals.len()) {
                (true, 1) => "1 Weitervermittlung ist noch nicht abgeschlossen.".to_owned(),
                (true, n) => format!("{n} Weitervermittlungen sind noch nicht abgeschlossen."),
                (false, 1) => "1 referral out is not finished.".to_owned(),
                (false, n) => format!("{n} referrals out are not finished."),
            },
            Self::EsfEntryMissing => if de {
                "Die ESF-Plus-Eintrittsdaten fehlen noch."
            } else {
                "The ESF Plus entry data are still missing."
            }
            .to_owned(),
            Self::EsfExitMissing => if de {
                "Die ESF-Plus-Austrittsdaten (Ergebnis innerhalb von vier Wochen) sind noch nicht angegeben; sie können nach dem Abschluss nachgetragen werden."
            } else {
                "The ESF Plus exit data (the result within four weeks) are not given yet; they can be recorded after the closure."
            }
            .to_owned(),
            Self::RegularEndBeforePlannedEnd { planned_end } => {
                if de {
                    format!("Gewählt ist „reguläres Ende“, das geplante Ende der Bezugsberatung ist aber erst der {}.", day(*planned_end, lang))
                } else {
                    format!("\"Regular end\" is chosen, but the planned end of the key-worker period is {}.", day(*planned_end, lang))
                }
            }
        }
    }
}

impl Afterwards {
    /// The sentence for people.
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        let de = lang == Lang::De;
        match self {
            Self::Reopen { until } => {
                if de {
                    format!("Eine Teamleitung kann den Fall bis zum {} wieder öffnen; danach beginnt eine neue Zuweisung einen neuen Fall.", day(*until, lang))
                } else {
                    format!("A team lead can reopen the case until {}; after that a new referral starts a new case.", day(*until, lang))
                }
            }
            Self::RecordImmediateResult => if de {
                "Das ESF-Ergebnis innerhalb von vier Wochen kann nach dem Abschluss im Reiter „Abschluss“ nachgetragen werden."
            } else {
                "The ESF result within four weeks can be recorded after the closure on the \"Closure\" tab."
            }
            .to_owned(),
            Self::GiveConsentAgain { purpose } => {
                if de {
                    format!("Die Person kann jederzeit erneut einwilligen („{}“): Sie erfassen das unter „Weitere Einwilligung erfassen“. Der Widerruf bleibt im Verlauf sichtbar, die Bestätigung des Widerrufs kann gedruckt werden.", purpose.label(lang))
                } else {
                    format!("The client can consent again at any time (\"{}\"): record it under \"Record another consent\". The withdrawal stays in the history; its receipt can be printed.", purpose.label(lang))
                }
            }
            Self::EndPause => if de {
                "Die Pause beenden Sie jederzeit unter „Pause der Teilnahme“ mit dem Tag, an dem die Person wieder teilnimmt."
            } else {
                "End the pause at any time under \"Pause in participation\" with the day the client takes part again."
            }
            .to_owned(),
            Self::HandOverAgain => if de {
                "Eine weitere Übergabe ist jederzeit möglich; die Teamleitung kann die Zuständigkeit ändern."
            } else {
                "Another handover is possible at any time; the team lead can change who is responsible."
            }
            .to_owned(),
        }
    }
}
