//! The ESF Plus questionnaire of one participant as a document for signature (issue 13
//! part 1): what the web's print view and the documents crate's PDF/A both lay out.
//!
//! The items are the funder export's ([`super::export::questionnaire`]), in the order of the
//! DATES III questionnaire, split into its two parts: entry (*Eintritt*) and exit
//! (*Austritt*). Unlike the export, the printed questionnaire names the participant, because
//! the participant signs it; it is ESF evidence and kept under
//! [`crate::retention::RetentionCategory::EsfEvidence`].

use chrono::NaiveDate;
use serde::Serialize;

use super::EsfRecord;
use super::export::questionnaire;
use crate::case::Case;
use crate::letter::{InfoLine, Sender};
use crate::vocab::Lang;

/// How many of the questionnaire's items belong to its entry part; the rest are the exit
/// part (exit day, regular or early, reason, situation on leaving).
const ENTRY_ITEMS: usize = 14;

/// One part of the questionnaire: its heading and its items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionnairePart {
    /// "Eintritt" or "Austritt".
    pub heading: &'static str,
    /// The items: the question's heading and the answer recorded, or "noch nicht erfasst".
    pub items: Vec<InfoLine>,
}

/// The questionnaire of one participant, worded for print in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionnaireDocument {
    /// `de` or `en`.
    pub lang: &'static str,
    /// The title (and the PDF's title).
    pub title: &'static str,
    /// The day printed (and the PDF's date).
    pub date: NaiveDate,
    /// The sender block: the project's name and address.
    pub sender: Vec<String>,
    /// Who it is about: name, case number, participant number.
    pub about: Vec<InfoLine>,
    /// The entry part, then the exit part.
    pub parts: Vec<QuestionnairePart>,
    /// What happens to the answers, and which are voluntary.
    pub note: &'static str,
    /// The signature lines: place and date, the participant, the worker.
    pub signatures: Vec<&'static str>,
    /// "Gedruckt am …".
    pub printed: String,
}

impl EsfRecord {
    /// The record of `case` as it is now (team and key worker), or `None` if the case was
    /// never enrolled.
    #[must_use]
    pub fn of(case: &Case) -> Option<Self> {
        Some(Self {
            case: case.id,
            team: case.team,
            key_worker: case.key_worker,
            participant: super::EsfParticipant::of(case)?,
        })
    }
}

/// The questionnaire of `case` for signature, dated `date`, or `None` if the case was never
/// enrolled (only participants have one).
#[must_use]
pub fn questionnaire_document(
    case: &Case,
    sender: &Sender,
    date: NaiveDate,
    lang: Lang,
) -> Option<QuestionnaireDocument> {
    let record = EsfRecord::of(case)?;
    let not_recorded = t(lang, "noch nicht erfasst", "not recorded yet");
    let mut items: Vec<InfoLine> = questionnaire(&record, lang)
        .into_iter()
        .map(|(label, value)| InfoLine {
            label,
            value: if value.is_empty() {
                not_recorded.to_owned()
            } else {
                value
            },
        })
        .collect();
    let exit = items.split_off(ENTRY_ITEMS.min(items.len()));
    let mut head = vec![sender.project_name.clone()];
    head.extend(sender.address.iter().cloned());
    Some(QuestionnaireDocument {
        lang: if lang == Lang::En { "en" } else { "de" },
        title: t(
            lang,
            "ESF-Plus-Fragebogen der Teilnahme",
            "ESF Plus participant questionnaire",
        ),
        date,
        sender: head,
        about: vec![
            InfoLine {
                label: t(lang, "Für", "For"),
                value: case.referral.client.full_name(),
            },
            InfoLine {
                label: t(lang, "Unser Zeichen", "Our reference"),
                value: case.id.case_number(),
            },
            InfoLine {
                label: t(lang, "Teilnehmendennummer", "Participant number"),
                value: record.participant_number(),
            },
        ],
        parts: vec![
            QuestionnairePart {
                heading: t(lang, "Eintritt", "Entry"),
                items,
            },
            QuestionnairePart {
                heading: t(lang, "Austritt", "Exit"),
                items: exit,
            },
        ],
        note: t(
            lang,
            "Die Angaben sind für die Auswertung des Europäischen Sozialfonds Plus; sie erreichen den Fördergeber nur pseudonymisiert, mit der Teilnehmendennummer statt des Namens. Angaben zu Behinderung, ausländischer Herkunft und Minderheit sind freiwillig („keine Angabe“).",
            "The answers are for the evaluation of the European Social Fund Plus; they reach the funder only pseudonymised, with the participant number instead of the name. Answers on disability, foreign background and minority are voluntary (“no answer”).",
        ),
        signatures: vec![
            t(lang, "Ort, Datum", "Place, date"),
            t(
                lang,
                "Unterschrift Teilnehmende*r",
                "Signature of the participant",
            ),
            t(lang, "Unterschrift Fachkraft", "Signature of the worker"),
        ],
        printed: format!(
            "{} {}",
            t(lang, "Gedruckt am", "Printed on"),
            crate::case_file::date(date, lang)
        ),
    })
}

const fn t(lang: Lang, de: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::De => de,
    }
}
