//! The funder export: one row per participant of a period, pseudonymised, and the report's
//! figures as a summary, as tables of text that the export crate writes as CSV or XLSX.
//!
//! The columns follow the order of the ESF Plus entry and exit questionnaire as
//! `../shared/docs/domain-rules.md` §3 lists it (the DATES III participant questionnaire,
//! parts 1 and 2): identification, entry items, exit items. A granting body with another
//! order maps the columns by their headings. No name, no address, no birth date leaves: the
//! participant number (`TN-` and the case number) lets the provider find the case, the age on
//! the day of entry replaces the birth date (data minimisation, Art. 5(1)(c) GDPR).

use chrono::NaiveDate;

use super::{EsfCount, EsfRecord, EsfReport, age_on, participant_number};
use crate::closure::Citizenship;
use crate::ids::CaseId;
use crate::vocab::{Labelled, Lang};

/// A column of the participant table: a stable key and a heading per language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportColumn {
    /// Stable key (`participant_number`), the JSON field name.
    pub key: &'static str,
    /// German heading.
    pub de: &'static str,
    /// English heading.
    pub en: &'static str,
}

impl ExportColumn {
    /// The heading in `lang`.
    #[must_use]
    pub fn heading(&self, lang: Lang) -> &'static str {
        if lang == Lang::De { self.de } else { self.en }
    }
}

const fn col(key: &'static str, de: &'static str, en: &'static str) -> ExportColumn {
    ExportColumn { key, de, en }
}

/// The columns of the participant table, in order.
pub const PARTICIPANT_COLUMNS: [ExportColumn; 19] = [
    col(
        "participant_number",
        "Teilnehmendennummer",
        "Participant number",
    ),
    col("entered_on", "Eintrittsdatum", "Date of entry"),
    col("gender", "Geschlecht", "Gender"),
    col("age_at_entry", "Alter bei Eintritt", "Age at entry"),
    col(
        "age_band",
        "Altersgruppe (EECO06–08)",
        "Age band (EECO06–08)",
    ),
    col(
        "employment_status",
        "Erwerbsstatus (EECO02, 04, 05)",
        "Employment status (EECO02, 04, 05)",
    ),
    col(
        "long_term_unemployed",
        "langzeitarbeitslos (EECO03)",
        "Long-term unemployed (EECO03)",
    ),
    col(
        "education",
        "höchster Abschluss (EECO09–11)",
        "Highest qualification (EECO09–11)",
    ),
    col("disability", "Behinderung (EECO12)", "Disability (EECO12)"),
    col(
        "third_country",
        "Drittstaatsangehörige*r (EECO13)",
        "Third-country national (EECO13)",
    ),
    col(
        "foreign_background",
        "ausländische Herkunft (EECO14)",
        "Foreign background (EECO14)",
    ),
    col("minority", "Minderheit (EECO15)", "Minority (EECO15)"),
    col("homeless", "wohnungslos (EECO16)", "Homeless (EECO16)"),
    col(
        "rural_area",
        "ländliches Gebiet (EECO17)",
        "Rural area (EECO17)",
    ),
    col(
        "entry_data_complete",
        "Eintrittsdaten vollständig",
        "Entry data complete",
    ),
    col("left_on", "Austrittsdatum", "Date of exit"),
    col(
        "exit_kind",
        "Austritt regulär/vorzeitig",
        "Exit regular/early",
    ),
    col("exit_reason", "Austrittsgrund", "Exit reason"),
    col(
        "immediate_result",
        "Ergebnis in 4 Wochen (EECR01–04)",
        "Result within 4 weeks (EECR01–04)",
    ),
];

/// The headings of the summary table: the figure's code, what it counts, and the counts by
/// gender.
pub const SUMMARY_COLUMNS: [ExportColumn; 7] = [
    col("code", "Kennzahl", "Code"),
    col("label", "Bezeichnung", "Label"),
    col("total", "gesamt", "total"),
    col("female", "weiblich", "women"),
    col("male", "männlich", "men"),
    col("non_binary", "divers", "non-binary"),
    col("unknown", "ohne Angabe", "not recorded"),
];

/// The export of a period: the participants who entered or left in it, and the figures.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FunderExport {
    /// Headings of the participant table ([`PARTICIPANT_COLUMNS`] in the export's language).
    pub participant_headings: Vec<&'static str>,
    /// One row per participant, in the order of the records, as text.
    pub participants: Vec<Vec<String>>,
    /// Headings of the summary table ([`SUMMARY_COLUMNS`]).
    pub summary_headings: Vec<&'static str>,
    /// One row per figure of the report ([`EsfReport::lines`]), counts as text.
    pub summary: Vec<Vec<String>>,
}

fn yes_no(value: bool, lang: Lang) -> String {
    match (value, lang) {
        (true, Lang::De) => "ja",
        (false, Lang::De) => "nein",
        (true, Lang::En) => "yes",
        (false, Lang::En) => "no",
    }
    .to_owned()
}

fn answer(value: Option<bool>, lang: Lang) -> String {
    match value {
        Some(v) => yes_no(v, lang),
        None if lang == Lang::De => "keine Angabe".to_owned(),
        None => "no answer".to_owned(),
    }
}

fn date(day: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::De => day.format("%d.%m.%Y").to_string(),
        Lang::En => day.format("%Y-%m-%d").to_string(),
    }
}

fn age_band(age: i32, lang: Lang) -> &'static str {
    let count = if age < 18 {
        EsfCount::Eeco06
    } else if age <= 29 {
        EsfCount::Eeco07
    } else if age >= 55 {
        EsfCount::Eeco08
    } else {
        return if lang == Lang::De {
            "30 bis 54"
        } else {
            "30 to 54"
        };
    };
    count.label(lang)
}

/// The row of one participant, in the order of [`PARTICIPANT_COLUMNS`].
fn participant_row(record: &EsfRecord, lang: Lang) -> Vec<String> {
    let p = &record.participant;
    let age = p.date_of_birth.map(|b| age_on(b, p.entered_on));
    let entry = p.entry.as_ref();
    let item =
        |f: &dyn Fn(&crate::closure::EsfEntryRecord) -> String| entry.map(f).unwrap_or_default();
    let closure = p.closure.as_ref();
    vec![
        participant_number(record.case),
        date(p.entered_on, lang),
        p.gender
            .map(|g| g.label(lang).to_owned())
            .unwrap_or_default(),
        age.map(|a| a.to_string()).unwrap_or_default(),
        age.map(|a| age_band(a, lang).to_owned())
            .unwrap_or_default(),
        item(&|r| r.employment_status.label(lang).to_owned()),
        item(&|r| yes_no(r.long_term_unemployed, lang)),
        item(&|r| r.education.label(lang).to_owned()),
        item(&|r| answer(r.disability, lang)),
        item(&|r| {
            yes_no(
                matches!(
                    r.citizenship,
                    Citizenship::ThirdCountry | Citizenship::Stateless
                ),
                lang,
            )
        }),
        item(&|r| answer(r.foreign_background, lang)),
        item(&|r| answer(r.minority, lang)),
        item(&|r| yes_no(r.homeless, lang)),
        item(&|r| answer(r.rural_area, lang)),
        yes_no(entry.is_some(), lang),
        closure.map(|c| date(c.closed_on, lang)).unwrap_or_default(),
        closure
            .map(|c| {
                if c.reason.is_regular() {
                    EsfCount::Regular.label(lang)
                } else {
                    EsfCount::Early.label(lang)
                }
                .to_owned()
            })
            .unwrap_or_default(),
        closure
            .map(|c| c.reason.label(lang).to_owned())
            .unwrap_or_default(),
        closure
            .and_then(|c| c.immediate_result)
            .map(|r| r.label(lang).to_owned())
            .unwrap_or_default(),
    ]
}

/// The ESF Plus questionnaire of one participant as it is printed for signature: every item
/// of the funder export but the participant number, with its heading and the answer recorded
/// (empty where nothing is recorded yet), in the same order. ESF evidence for retention
/// (`RetentionCategory::EsfEvidence`); the printed page adds the client's name, which the
/// funder export never holds.
#[must_use]
pub fn questionnaire(record: &EsfRecord, lang: Lang) -> Vec<(&'static str, String)> {
    PARTICIPANT_COLUMNS
        .iter()
        .map(|c| c.heading(lang))
        .zip(participant_row(record, lang))
        .skip(1)
        .collect()
}

/// The cases of `records` the export of `from..=to` holds a row for: those who entered or
/// left in the period (every participant [`super::esf_report_of_records`] counts), in order.
#[must_use]
pub fn exported_cases(records: &[EsfRecord], from: NaiveDate, to: NaiveDate) -> Vec<CaseId> {
    records
        .iter()
        .filter(|r| !r.participant.counted_in(from, to).is_empty())
        .map(|r| r.case)
        .collect()
}

/// What the duplicate check of the export compares of a participant, as DATES III does: the
/// folded names and the postcode (R25: one participant record per person and project). Built
/// by storage from its client index; never leaves the provider.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DuplicateKey {
    /// The participant's case.
    pub case: CaseId,
    /// The names as [`crate::referral::name_key`] keys them (folded), as storage indexes them.
    pub names: String,
    /// The postcode, if recorded.
    pub postcode: Option<String>,
}

/// The groups of participants of an export who may be the same person: the same folded
/// first name and surname and the same postcode (both missing counts as the same). Each group
/// holds two or more cases in id order; groups in the order of their first case. A warning
/// for the provider before the file goes out, never a decision.
#[must_use]
pub fn possible_duplicates(keys: &[DuplicateKey]) -> Vec<Vec<CaseId>> {
    let mut by_person: std::collections::BTreeMap<(&str, Option<&str>), Vec<CaseId>> =
        std::collections::BTreeMap::new();
    for k in keys {
        by_person
            .entry((k.names.as_str(), k.postcode.as_deref()))
            .or_default()
            .push(k.case);
    }
    let mut groups: Vec<Vec<CaseId>> = by_person
        .into_values()
        .filter(|g| g.len() > 1)
        .map(|mut g| {
            g.sort();
            g.dedup();
            g
        })
        .filter(|g| g.len() > 1)
        .collect();
    groups.sort();
    groups
}

/// What the audit log says of a funder export (CLI and web alike): period, scope, format and
/// the number of participants, never a name (`ESF 2026-01-01..2026-12-31 all xlsx, 12
/// participants`).
#[must_use]
pub fn audit_subject(
    from: NaiveDate,
    to: NaiveDate,
    scope: super::EsfScope,
    format: &str,
    participants: usize,
) -> String {
    let scope = match scope {
        super::EsfScope::All => "all".to_owned(),
        super::EsfScope::Team(t) => format!("team {t}"),
    };
    format!("ESF {from}..{to} {scope} {format}, {participants} participants")
}

/// The funder export of the participants among `records` who entered or left between `from`
/// and `to` (those [`super::esf_report_of_records`] counts), with `report`'s figures as the
/// summary, in `lang` (German for the granting body).
#[must_use]
pub fn funder_export(records: &[EsfRecord], report: &EsfReport, lang: Lang) -> FunderExport {
    let (from, to) = (report.from, report.to);
    let participants = records
        .iter()
        .filter(|r| !r.participant.counted_in(from, to).is_empty())
        .map(|r| participant_row(r, lang))
        .collect();
    let summary = report
        .lines(lang)
        .into_iter()
        .map(|line| {
            let c = line.counts;
            vec![
                line.code.unwrap_or_default().to_owned(),
                line.label.to_owned(),
                c.total.to_string(),
                c.female.to_string(),
                c.male.to_string(),
                c.non_binary.to_string(),
                c.unknown.to_string(),
            ]
        })
        .collect();
    FunderExport {
        participant_headings: PARTICIPANT_COLUMNS
            .iter()
            .map(|c| c.heading(lang))
            .collect(),
        participants,
        summary_headings: SUMMARY_COLUMNS.iter().map(|c| c.heading(lang)).collect(),
        summary,
    }
}
