//! The one place that words every event type of the case history.
//!
//! [`title`] and [`line`] match every [`CaseEvent`] variant without a catch-all arm, so a new
//! event type does not compile until it is described here, in German and English.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::{Medium, Names, date, withheld_reason};
use crate::case::Case;
use crate::event::CaseEvent;
use crate::goal::GoalChanges;
use crate::ids::{ConsentId, GoalId, OutboundReferralId, StaffId, TeamId};
use crate::staff::Actor;
use crate::vocab::{Labelled, Lang};

/// An event in words: what happened and its details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventLine {
    /// What happened ("Ziel vereinbart").
    pub title: &'static str,
    /// Details ("Wohnen · Wohnung halten"); may be empty.
    pub detail: String,
    /// Whether the event's content is withheld from the reader.
    pub withheld: bool,
}

impl EventLine {
    /// Title and detail in one line.
    #[must_use]
    pub fn text(&self) -> String {
        if self.detail.is_empty() {
            self.title.to_owned()
        } else {
            format!("{}: {}", self.title, self.detail)
        }
    }
}

/// What the history names inside a case: goals by their wording, referrals out by their
/// service, consents by their purpose.
pub(super) struct Subjects {
    goals: HashMap<GoalId, String>,
    referrals: HashMap<OutboundReferralId, String>,
    consents: HashMap<ConsentId, &'static str>,
}

impl Subjects {
    pub(super) fn of(case: &Case, names: &dyn Names, lang: Lang) -> Self {
        Self {
            goals: case
                .goals
                .iter()
                .map(|g| (g.id, format!("„{}“", g.wording)))
                .collect(),
            referrals: case
                .referrals_out
                .iter()
                .map(|r| {
                    let name = names
                        .service(r.service)
                        .unwrap_or_else(|| r.kind.label(lang).to_owned());
                    (r.id, name)
                })
                .collect(),
            consents: case
                .consents
                .iter()
                .map(|c| (c.id, c.purpose.label(lang)))
                .collect(),
        }
    }

    fn none() -> Self {
        Self {
            goals: HashMap::new(),
            referrals: HashMap::new(),
            consents: HashMap::new(),
        }
    }

    fn goal(&self, id: GoalId) -> String {
        self.goals.get(&id).cloned().unwrap_or_default()
    }

    fn referral(&self, id: OutboundReferralId) -> String {
        self.referrals.get(&id).cloned().unwrap_or_default()
    }

    fn consent(&self, id: ConsentId) -> String {
        self.consents
            .get(&id)
            .map(|p| (*p).to_owned())
            .unwrap_or_default()
    }
}

/// `event` in words for `reader` in `lang`, without the case around it (goals and referrals
/// out are then not named by wording or service). Psychologist notes are never part of it.
#[must_use]
pub fn describe(event: &CaseEvent, reader: &Actor, lang: Lang, names: &dyn Names) -> EventLine {
    line(
        &event.for_reader(Some(reader)),
        reader,
        lang,
        Medium::Screen,
        names,
        &Subjects::none(),
    )
}

/// "subject: detail", or the one that is not empty.
fn about(subject: String, detail: String) -> String {
    match (subject.is_empty(), detail.is_empty()) {
        (true, _) => detail,
        (false, true) => subject,
        (false, false) => format!("{subject}: {detail}"),
    }
}

/// Joins the non-empty parts with " · ".
fn parts<const N: usize>(parts: [String; N]) -> String {
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The title of `event` in `lang` ("what happened").
fn title(event: &CaseEvent) -> (&'static str, &'static str) {
    match event {
        CaseEvent::ReferralReceived { .. } => ("Zuweisung erfasst", "Referral recorded"),
        CaseEvent::TeamAssigned { .. } => ("Team geändert", "Team changed"),
        CaseEvent::VisitAnnounced { .. } => ("Ankündigungsschreiben", "Announcement letter"),
        CaseEvent::LetterLanguageChosen { .. } => {
            ("Briefsprache gewählt", "Letter language chosen")
        }
        CaseEvent::ContactAttemptLogged { .. } => ("Kontaktversuch", "Contact attempt"),
        CaseEvent::OfferDeclined { .. } => ("Angebot abgelehnt", "Offer declined"),
        CaseEvent::NotReached { .. } => ("Nicht erreicht", "Not reached"),
        CaseEvent::Enrolled { .. } => ("Aufgenommen", "Enrolled"),
        CaseEvent::PeriodExtended { .. } => ("Bezugsberatung verlängert", "Period extended"),
        CaseEvent::ConsentGiven { .. } => ("Einwilligung erteilt", "Consent given"),
        CaseEvent::ConsentWithdrawn { .. } => ("Einwilligung widerrufen", "Consent withdrawn"),
        CaseEvent::DomainAssessed { .. } => ("Sozialanamnese", "Social history"),
        CaseEvent::GoalAgreed { .. } => ("Ziel vereinbart", "Goal agreed"),
        CaseEvent::GoalUpdated { .. } => ("Ziel geändert", "Goal changed"),
        CaseEvent::GoalRated { .. } => ("Ziel skaliert", "Goal rated"),
        CaseEvent::ContactRecorded { .. } => ("Kontakt", "Contact"),
        CaseEvent::OutboundReferralCreated { .. } => ("Weitervermittlung", "Referral out"),
        CaseEvent::OutboundReferralStatusChanged { .. } => {
            ("Weitervermittlung: neuer Stand", "Referral out: new status")
        }
        CaseEvent::SecrecyReleaseRecorded { .. } => {
            ("Schweigepflichtentbindung", "Secrecy release")
        }
        CaseEvent::SecrecyReleaseWithdrawn { .. } => (
            "Schweigepflichtentbindung widerrufen",
            "Secrecy release withdrawn",
        ),
        CaseEvent::DisclosureRecorded { .. } => {
            ("An Fachstelle weitergegeben", "Passed on to service")
        }
        CaseEvent::ParticipationPaused { .. } => ("Teilnahme pausiert", "Participation paused"),
        CaseEvent::ParticipationResumed { .. } => {
            ("Teilnahme fortgesetzt", "Participation resumed")
        }
        CaseEvent::HandedOver { .. } => ("Übergabe", "Handover"),
        CaseEvent::KeyWorkerChanged { .. } => ("Zuständigkeit geändert", "Key worker changed"),
        CaseEvent::AttendanceRecorded { .. } => ("Anwesenheit", "Attendance"),
        CaseEvent::EsfEntryRecorded { .. } => {
            ("ESF-Eintrittsdaten erfasst", "ESF entry data recorded")
        }
        CaseEvent::Closed { .. } => ("Abgeschlossen", "Closed"),
        CaseEvent::ImmediateResultRecorded { .. } => {
            ("ESF-Ergebnis erfasst", "ESF result recorded")
        }
        CaseEvent::Reopened { .. } => ("Wieder geöffnet", "Reopened"),
        CaseEvent::JobcenterReportSent { .. } => (
            "Bericht an das Jobcenter versendet",
            "Report sent to the Jobcenter",
        ),
        CaseEvent::Redacted { .. } => ("Inhalt gelöscht", "Content erased"),
        CaseEvent::ContentErased { .. } => ("Löschung nach Aufbewahrungsregel", "Erasure"),
        CaseEvent::Restricted { .. } => ("Verarbeitung eingeschränkt", "Processing restricted"),
    }
}

const WITHHELD_CONTACT: (&str, &str) = (
    "Kontakt (psychologischer Bereich)",
    "Contact (psychologist compartment)",
);

fn pick(words: (&'static str, &'static str), lang: Lang) -> &'static str {
    match lang {
        Lang::De => words.0,
        Lang::En => words.1,
    }
}

/// `event` (already filtered for the reader) in words.
pub(super) fn line(
    event: &CaseEvent,
    reader: &Actor,
    lang: Lang,
    medium: Medium,
    names: &dyn Names,
    subjects: &Subjects,
) -> EventLine {
    if let CaseEvent::ContactRecorded { contact } = event
        && withheld_reason(contact, reader, medium).is_some()
    {
        return EventLine {
            title: pick(WITHHELD_CONTACT, lang),
            detail: date(contact.date, lang),
            withheld: true,
        };
    }
    EventLine {
        title: pick(title(event), lang),
        detail: Words {
            lang,
            names,
            subjects,
        }
        .detail(event),
        withheld: false,
    }
}

struct Words<'a> {
    lang: Lang,
    names: &'a dyn Names,
    subjects: &'a Subjects,
}

impl Words<'_> {
    fn d(&self, day: NaiveDate) -> String {
        date(day, self.lang)
    }

    fn l<T: Labelled>(&self, value: T) -> String {
        value.label(self.lang).to_owned()
    }

    fn staff(&self, id: StaffId) -> String {
        self.names.staff(id).unwrap_or_else(|| "–".to_owned())
    }

    fn team(&self, id: Option<TeamId>) -> String {
        id.and_then(|t| self.names.team(t))
            .unwrap_or_else(|| "–".to_owned())
    }

    fn goal_changes(&self, goal: GoalId, changes: &GoalChanges) -> String {
        let what = [
            changes.status.map(|s| self.l(s)),
            changes.review_date.map(|d| self.d(d)),
            changes.wording.as_ref().map(ToString::to_string),
            changes.criterion.as_ref().map(ToString::to_string),
            changes.responsible.map(|r| self.l(r)),
        ];
        about(
            self.subjects.goal(goal),
            what.into_iter().flatten().collect::<Vec<_>>().join(" · "),
        )
    }

    fn detail(&self, event: &CaseEvent) -> String {
        let d = |x| self.d(x);
        match event {
            CaseEvent::ReferralReceived { referral, team } => parts([
                referral.jobcenter.to_string(),
                self.l(referral.reason),
                self.team(*team),
            ]),
            CaseEvent::TeamAssigned { team } => self.team(Some(*team)),
            CaseEvent::VisitAnnounced { announcement: a } => {
                let window = format!(
                    "{} · {}–{}",
                    d(a.letter_date),
                    d(a.visit_from),
                    d(a.visit_until)
                );
                match a.hours {
                    Some(h) => format!(
                        "{window} · {}–{}",
                        h.start.format("%H:%M"),
                        h.end.format("%H:%M")
                    ),
                    None => window,
                }
            }
            CaseEvent::LetterLanguageChosen { language } => match language {
                Some(l) => self.l(*l),
                None => match self.lang {
                    Lang::De => "nur Deutsch".to_owned(),
                    Lang::En => "German only".to_owned(),
                },
            },
            CaseEvent::ContactAttemptLogged { attempt } => {
                parts([self.l(attempt.channel), self.l(attempt.outcome)])
            }
            CaseEvent::OfferDeclined { on }
            | CaseEvent::NotReached { on }
            | CaseEvent::ParticipationResumed { on }
            | CaseEvent::Reopened { on }
            | CaseEvent::ParticipationPaused { from: on } => d(*on),
            CaseEvent::Enrolled { on, key_worker, .. } => parts([d(*on), self.staff(*key_worker)]),
            CaseEvent::PeriodExtended {
                previous_end,
                new_end,
                reason,
                ..
            } => format!("{} → {} · {reason}", d(*previous_end), d(*new_end)),
            CaseEvent::ConsentGiven { consent } => {
                parts([self.l(consent.purpose), self.l(consent.form)])
            }
            CaseEvent::ConsentWithdrawn { consent, .. } => self.subjects.consent(*consent),
            CaseEvent::DomainAssessed { domain, assessment } => parts([
                self.l(*domain),
                self.l(assessment.need),
                self.l(assessment.priority),
            ]),
            CaseEvent::GoalAgreed { goal } => {
                parts([self.l(goal.domain), goal.wording.to_string()])
            }
            CaseEvent::GoalUpdated { goal, changes } => self.goal_changes(*goal, changes),
            CaseEvent::GoalRated { goal, rating } => about(
                self.subjects.goal(*goal),
                format!("{}/10", rating.value.value()),
            ),
            CaseEvent::ContactRecorded { contact } => parts([
                d(contact.date),
                self.l(contact.kind),
                format!("{} min", contact.duration_minutes),
            ]),
            CaseEvent::OutboundReferralCreated { referral } => self
                .names
                .service(referral.service)
                .unwrap_or_else(|| self.l(referral.kind)),
            CaseEvent::OutboundReferralStatusChanged {
                referral, status, ..
            } => about(self.subjects.referral(*referral), self.l(*status)),
            CaseEvent::SecrecyReleaseRecorded { release, .. } => release.recipient.to_string(),
            CaseEvent::SecrecyReleaseWithdrawn { referral, on } => {
                about(self.subjects.referral(*referral), d(*on))
            }
            CaseEvent::DisclosureRecorded {
                referral,
                on,
                information,
            } => about(
                self.subjects.referral(*referral),
                parts([d(*on), information.to_string()]),
            ),
            CaseEvent::HandedOver {
                target,
                to,
                on,
                note,
            } => parts([
                self.l(*target),
                to.map_or_else(
                    || {
                        pick(
                            ("Bezugsperson unverändert", "Key worker unchanged"),
                            self.lang,
                        )
                        .to_owned()
                    },
                    |s| self.staff(s),
                ),
                d(*on),
                note.as_ref().map(ToString::to_string).unwrap_or_default(),
            ]),
            CaseEvent::KeyWorkerChanged { to } => self.staff(*to),
            CaseEvent::AttendanceRecorded { record } => parts([
                d(record.date),
                self.l(record.kind),
                self.l(record.attendance),
            ]),
            CaseEvent::EsfEntryRecorded { record } => self.l(record.employment_status),
            CaseEvent::Closed { closure } => parts([d(closure.closed_on), self.l(closure.reason)]),
            CaseEvent::ImmediateResultRecorded { result } => self.l(*result),
            CaseEvent::JobcenterReportSent { report } => parts([
                self.l(report.kind),
                d(report.sent_on),
                self.l(report.channel),
                report.recipient.to_string(),
            ]),
            CaseEvent::Redacted { category, .. } => self.l(*category),
            CaseEvent::ContentErased { category, on, .. }
            | CaseEvent::Restricted { category, on, .. } => parts([d(*on), self.l(*category)]),
        }
    }
}
