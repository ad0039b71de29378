//! The case summary (*Fallübersicht*) for the key worker, as a document that may leave the
//! screen: the case file on paper ([`Medium::Paper`](super::Medium::Paper), so the
//! psychologist compartment is never in it) turned into plain lines of text, which the
//! documents crate lays out as PDF/A. It words nothing of its own beyond its heading and
//! notes: every label and value is the case-file model's.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::{CaseFile, date};
use crate::letter::{InfoLine, Sender};
use crate::vocab::Lang;

/// One section of the summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SummarySection {
    /// The section's title.
    pub title: &'static str,
    /// Its facts that have a value.
    pub facts: Vec<InfoLine>,
    /// Its entries, each its facts that have a value.
    pub entries: Vec<Vec<InfoLine>>,
    /// Its entries in sentences (where the model words them so).
    pub lines: Vec<String>,
}

/// The case summary of one case, worded for print in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SummaryDocument {
    /// `de` or `en`.
    pub lang: &'static str,
    /// The title ("Fallübersicht"), also the PDF's title.
    pub title: &'static str,
    /// The client, "Family, Given".
    pub client: String,
    /// The day printed (and the PDF's date).
    pub date: NaiveDate,
    /// The project: name, then address lines.
    pub sender: Vec<String>,
    /// Case number, printed on, printed by.
    pub info: Vec<InfoLine>,
    /// The note on confidentiality at the top.
    pub confidential: &'static str,
    /// The sections with something to show, in the case file's order.
    pub sections: Vec<SummarySection>,
    /// What the summary leaves out, and why (one sentence each, no duplicates).
    pub withheld: Vec<&'static str>,
}

/// The summary of `file` (built for [`super::Medium::Paper`]) with case number
/// `case_number`, printed on `date` by `printed_by` for `sender`; instants are shown by
/// `instant` (the frontend knows the installation's time zone).
#[must_use]
pub fn summary_document(
    file: &CaseFile,
    case_number: &str,
    sender: &Sender,
    date_printed: NaiveDate,
    printed_by: &str,
    lang: Lang,
    instant: &dyn Fn(DateTime<Utc>) -> String,
) -> SummaryDocument {
    let t = |de: &'static str, en: &'static str| match lang {
        Lang::De => de,
        Lang::En => en,
    };
    let line = |label: &'static str, value: String| InfoLine { label, value };
    let present = |facts: &[super::Fact]| -> Vec<InfoLine> {
        facts
            .iter()
            .filter(|f| !f.value.is_missing())
            .map(|f| line(f.label, f.value.show(lang, instant)))
            .collect()
    };
    let sections = file
        .sections
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| SummarySection {
            title: s.title,
            facts: present(&s.facts),
            entries: if s.lines.is_empty() {
                s.entries.iter().map(|e| present(&e.facts)).collect()
            } else {
                Vec::new()
            },
            lines: s.lines.clone(),
        })
        .collect();
    let mut withheld: Vec<&'static str> = Vec::new();
    for w in &file.withheld {
        if !withheld.contains(&w.explanation) {
            withheld.push(w.explanation);
        }
    }
    let mut sender_lines = vec![sender.project_name.clone()];
    sender_lines.extend(sender.address.iter().cloned());
    SummaryDocument {
        lang: match lang {
            Lang::De => "de",
            Lang::En => "en",
        },
        title: t("Fallübersicht", "Case summary"),
        client: file.title.clone(),
        date: date_printed,
        sender: sender_lines,
        info: vec![
            line(t("Fallnummer", "Case number"), case_number.to_owned()),
            line(t("Gedruckt am", "Printed on"), date(date_printed, lang)),
            line(t("Gedruckt von", "Printed by"), printed_by.to_owned()),
        ],
        confidential: t(
            "Vertraulich: Sozialdaten (§ 35 SGB I, §§ 67 ff. SGB X). Nur für die Fallarbeit; nicht weitergeben. Notizen der psychologischen Beratung stehen nie auf Papier.",
            "Confidential: social data (§ 35 SGB I, §§ 67 ff. SGB X). For case work only; do not pass on. Notes of the psychological counselling are never printed.",
        ),
        sections,
        withheld,
    }
}
