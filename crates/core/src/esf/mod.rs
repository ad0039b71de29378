//! ESF Plus participant indicators (Reg. (EU) 2021/1057, Annex I), as a pure function of the
//! cases and a reporting period.
//!
//! The report holds counts only, broken down by gender as Annex I requires; names and case
//! contents never appear in it. A participant enters with enrolment (consent and start of the
//! key-worker period, rule R24); outreach-only contacts are not participants. A participant
//! leaves with the closure in force ([`Case::closure`]): a reopened case that is open again has
//! not left (its earlier closures are in [`Case::previous_closures`] and count nowhere), and
//! one closed again has left on its latest closure.

pub mod export;
pub mod questionnaire;
pub mod rural;

pub use questionnaire::{QuestionnaireDocument, QuestionnairePart, questionnaire_document};
pub use rural::{RuralPostcodes, RuralTableError, Urbanisation};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::case::{Case, CaseStatus, CaseSummary};
use crate::closure::{Citizenship, EmploymentStatus, ImmediateResult, IscedBand};
use crate::error::DomainError;
use crate::ids::{CaseId, StaffId, TeamId};
use crate::referral::Gender;
use crate::vocab::{Labelled, Lang, vocabulary};

/// A count broken down by gender.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByGender {
    /// All.
    pub total: u64,
    /// Women.
    pub female: u64,
    /// Men.
    pub male: u64,
    /// Non-binary.
    pub non_binary: u64,
    /// Gender not recorded.
    pub unknown: u64,
}

impl ByGender {
    fn add(&mut self, gender: Option<Gender>) {
        self.total += 1;
        match gender {
            Some(Gender::Female) => self.female += 1,
            Some(Gender::Male) => self.male += 1,
            Some(Gender::NonBinary) => self.non_binary += 1,
            _ => self.unknown += 1,
        }
    }
}

/// Entry indicators (status on the day of entry).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryIndicators {
    /// Participants who entered in the period.
    pub participants: ByGender,
    /// Of those, without recorded ESF entry data (to be completed within 4 weeks).
    pub entry_data_missing: ByGender,
    /// EECO01 total participants, from the employment status (EECO02 + EECO04 + EECO05).
    #[serde(default)]
    pub eeco01_participants: ByGender,
    /// EECO02 unemployed.
    pub eeco02_unemployed: ByGender,
    /// EECO03 long-term unemployed.
    pub eeco03_long_term_unemployed: ByGender,
    /// EECO04 inactive.
    pub eeco04_inactive: ByGender,
    /// EECO05 employed.
    pub eeco05_employed: ByGender,
    /// EECO06 younger than 18 at entry.
    pub eeco06_below_18: ByGender,
    /// EECO07 18 to 29 at entry.
    pub eeco07_18_to_29: ByGender,
    /// EECO08 55 and older at entry.
    pub eeco08_55_and_over: ByGender,
    /// EECO09 ISCED 0–2.
    pub eeco09_isced_0_2: ByGender,
    /// EECO10 ISCED 3–4.
    pub eeco10_isced_3_4: ByGender,
    /// EECO11 ISCED 5–8.
    pub eeco11_isced_5_8: ByGender,
    /// EECO12 disability.
    pub eeco12_disability: ByGender,
    /// EECO13 third-country nationals.
    pub eeco13_third_country: ByGender,
    /// EECO14 foreign background.
    pub eeco14_foreign_background: ByGender,
    /// EECO15 minorities.
    pub eeco15_minority: ByGender,
    /// EECO16 homeless or excluded from housing.
    pub eeco16_homeless: ByGender,
    /// EECO17 from rural areas.
    #[serde(default)]
    pub eeco17_rural: ByGender,
}

/// Exit indicators.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExitIndicators {
    /// Participants who left in the period.
    pub participants: ByGender,
    /// Regular exits (period ended, goals achieved).
    pub regular: ByGender,
    /// Early exits.
    pub early: ByGender,
    /// EECR01 job-seeking after exit.
    pub eecr01_job_seeking: ByGender,
    /// EECR02 in education or training after exit.
    pub eecr02_in_education: ByGender,
    /// EECR03 gained a qualification.
    pub eecr03_qualification: ByGender,
    /// EECR04 employed after exit.
    pub eecr04_employed: ByGender,
    /// Immediate result not (yet) recorded.
    pub result_missing: ByGender,
}

/// The ESF Plus indicators of a reporting period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EsfReport {
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period.
    pub to: NaiveDate,
    /// Entries in the period.
    pub entries: EntryIndicators,
    /// Exits in the period.
    pub exits: ExitIndicators,
}

vocabulary! {
    /// What one figure of the ESF Plus report counts: a line of [`EsfReport::lines`], in the
    /// order of Annex I. The key (`eeco02`, `entry_data_missing`, …) names the figure in the
    /// web's and the CLI's drill-down ([`esf_members`]).
    pub enum EsfCount {
        /// Participants who entered in the period (enrolment, R24).
        Entries = "entries", "Eintritte", "Entries";
        /// Of those, without recorded ESF entry data (to be completed within 4 weeks).
        EntryDataMissing = "entry_data_missing", "davon ohne ESF-Eintrittsdaten", "of which without ESF entry data";
        /// EECO01 total participants, derived from the employment status at entry (R26):
        /// EECO02 + EECO04 + EECO05.
        Eeco01 = "eeco01", "Teilnehmende gesamt (aus dem Erwerbsstatus)", "total participants (from the employment status)";
        /// EECO02 unemployed, including long-term unemployed.
        Eeco02 = "eeco02", "arbeitslos", "unemployed";
        /// EECO03 long-term unemployed.
        Eeco03 = "eeco03", "langzeitarbeitslos", "long-term unemployed";
        /// EECO04 inactive.
        Eeco04 = "eeco04", "nicht erwerbstätig", "inactive";
        /// EECO05 employed, including self-employed.
        Eeco05 = "eeco05", "erwerbstätig", "employed";
        /// EECO06 younger than 18 on the day of entry.
        Eeco06 = "eeco06", "unter 18", "below 18";
        /// EECO07 18 to 29 on the day of entry.
        Eeco07 = "eeco07", "18 bis 29", "18 to 29";
        /// EECO08 55 and older on the day of entry.
        Eeco08 = "eeco08", "55 und älter", "55 and over";
        /// EECO09 ISCED 0–2.
        Eeco09 = "eeco09", "ISCED 0–2", "ISCED 0–2";
        /// EECO10 ISCED 3–4.
        Eeco10 = "eeco10", "ISCED 3–4", "ISCED 3–4";
        /// EECO11 ISCED 5–8.
        Eeco11 = "eeco11", "ISCED 5–8", "ISCED 5–8";
        /// EECO12 participants with disabilities.
        Eeco12 = "eeco12", "Behinderung", "disability";
        /// EECO13 third-country nationals (and stateless persons).
        Eeco13 = "eeco13", "Drittstaatsangehörige", "third-country nationals";
        /// EECO14 participants with a foreign background.
        Eeco14 = "eeco14", "ausländische Herkunft", "foreign background";
        /// EECO15 minorities.
        Eeco15 = "eeco15", "Minderheit", "minority";
        /// EECO16 homeless or affected by housing exclusion.
        Eeco16 = "eeco16", "wohnungslos", "homeless";
        /// EECO17 participants from rural areas.
        Eeco17 = "eeco17", "aus ländlichen Gebieten", "from rural areas";
        /// Participants who left in the period (the closure in force).
        Exits = "exits", "Austritte", "Exits";
        /// Regular exits (period ended, goals achieved).
        Regular = "regular", "regulär", "regular";
        /// Early exits.
        Early = "early", "vorzeitig", "early";
        /// EECR01 job-seeking within four weeks of exit.
        Eecr01 = "eecr01", "arbeitsuchend", "job-seeking";
        /// EECR02 in education or training within four weeks of exit.
        Eecr02 = "eecr02", "in Bildung/Ausbildung", "in education or training";
        /// EECR03 gained a qualification within four weeks of exit.
        Eecr03 = "eecr03", "Qualifizierung erlangt", "gained a qualification";
        /// EECR04 employed within four weeks of exit.
        Eecr04 = "eecr04", "erwerbstätig", "employed";
        /// Immediate result not (yet) recorded.
        ResultMissing = "result_missing", "Ergebnis fehlt", "result missing";
    }
}

impl EsfCount {
    /// The indicator's code in Annex I (`EECO02`), if the figure is one.
    #[must_use]
    pub fn code(self) -> Option<&'static str> {
        Some(match self {
            Self::Eeco01 => "EECO01",
            Self::Eeco02 => "EECO02",
            Self::Eeco03 => "EECO03",
            Self::Eeco04 => "EECO04",
            Self::Eeco05 => "EECO05",
            Self::Eeco06 => "EECO06",
            Self::Eeco07 => "EECO07",
            Self::Eeco08 => "EECO08",
            Self::Eeco09 => "EECO09",
            Self::Eeco10 => "EECO10",
            Self::Eeco11 => "EECO11",
            Self::Eeco12 => "EECO12",
            Self::Eeco13 => "EECO13",
            Self::Eeco14 => "EECO14",
            Self::Eeco15 => "EECO15",
            Self::Eeco16 => "EECO16",
            Self::Eeco17 => "EECO17",
            Self::Eecr01 => "EECR01",
            Self::Eecr02 => "EECR02",
            Self::Eecr03 => "EECR03",
            Self::Eecr04 => "EECR04",
            Self::Entries
            | Self::EntryDataMissing
            | Self::Exits
            | Self::Regular
            | Self::Early
            | Self::ResultMissing => return None,
        })
    }

    /// Whether the figure breaks down the total above it ("davon"): all but entries and
    /// exits.
    #[must_use]
    pub fn is_detail(self) -> bool {
        !matches!(self, Self::Entries | Self::Exits)
    }

    /// The figure named by its key (`eeco02`) or its Annex I code (`EECO02`), in any case.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let key = text.trim().to_ascii_lowercase();
        <Self as Labelled>::ALL
            .iter()
            .copied()
            .find(|c| c.key() == key)
    }
}

vocabulary! {
    /// A column of a [`ByGender`] count: all, or one gender (Annex I breaks every figure
    /// down by women, men and non-binary).
    pub enum GenderColumn {
        /// Everybody counted.
        Total = "total", "gesamt", "total";
        /// Women.
        Female = "female", "weiblich", "women";
        /// Men.
        Male = "male", "männlich", "men";
        /// Non-binary.
        NonBinary = "non_binary", "divers", "non-binary";
        /// Gender not recorded.
        Unknown = "unknown", "ohne Angabe", "not recorded";
    }
}

impl GenderColumn {
    /// Whether a participant of `gender` is counted in this column.
    #[must_use]
    pub fn holds(self, gender: Option<Gender>) -> bool {
        match self {
            Self::Total => true,
            Self::Female => gender == Some(Gender::Female),
            Self::Male => gender == Some(Gender::Male),
            Self::NonBinary => gender == Some(Gender::NonBinary),
            Self::Unknown => !matches!(
                gender,
                Some(Gender::Female | Gender::Male | Gender::NonBinary)
            ),
        }
    }
}

impl ByGender {
    /// The count in `column`.
    #[must_use]
    pub fn get(&self, column: GenderColumn) -> u64 {
        match column {
            GenderColumn::Total => self.total,
            GenderColumn::Female => self.female,
            GenderColumn::Male => self.male,
            GenderColumn::NonBinary => self.non_binary,
            GenderColumn::Unknown => self.unknown,
        }
    }
}

/// One line of an [`EsfReport`] as people read it (see [`EsfReport::lines`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct EsfLine {
    /// What the line counts; its key names it in a drill-down ([`esf_members`]).
    pub count: EsfCount,
    /// The indicator's code in Annex I (e.g. `EECO02`), if the line is one.
    pub code: Option<&'static str>,
    /// What is counted, in the chosen language.
    pub label: &'static str,
    /// Whether the line breaks down the total above it ("davon").
    pub detail: bool,
    /// The counts.
    pub counts: ByGender,
}

/// The Annex I result indicators the project does not count itself: the evaluator collects
/// them six months after exit, usually by a sample survey using the contact data
/// (`../docs/esf.md`). Frontends name them below the report so nobody looks for them.
pub const COLLECTED_BY_EVALUATOR: [(&str, &str, &str); 2] = [
    (
        "EECR05",
        "sechs Monate nach Austritt erwerbstätig",
        "employed six months after exit",
    ),
    (
        "EECR06",
        "sechs Monate nach Austritt in besserer Arbeitsmarktsituation",
        "in a better labour-market situation six months after exit",
    ),
];

impl EsfReport {
    /// The counts of one figure.
    #[must_use]
    pub fn get(&self, count: EsfCount) -> ByGender {
        let e = &self.entries;
        let x = &self.exits;
        *match count {
            EsfCount::Entries => &e.participants,
            EsfCount::EntryDataMissing => &e.entry_data_missing,
            EsfCount::Eeco01 => &e.eeco01_participants,
            EsfCount::Eeco02 => &e.eeco02_unemployed,
            EsfCount::Eeco03 => &e.eeco03_long_term_unemployed,
            EsfCount::Eeco04 => &e.eeco04_inactive,
            EsfCount::Eeco05 => &e.eeco05_employed,
            EsfCount::Eeco06 => &e.eeco06_below_18,
            EsfCount::Eeco07 => &e.eeco07_18_to_29,
            EsfCount::Eeco08 => &e.eeco08_55_and_over,
            EsfCount::Eeco09 => &e.eeco09_isced_0_2,
            EsfCount::Eeco10 => &e.eeco10_isced_3_4,
            EsfCount::Eeco11 => &e.eeco11_isced_5_8,
            EsfCount::Eeco12 => &e.eeco12_disability,
            EsfCount::Eeco13 => &e.eeco13_third_country,
            EsfCount::Eeco14 => &e.eeco14_foreign_background,
            EsfCount::Eeco15 => &e.eeco15_minority,
            EsfCount::Eeco16 => &e.eeco16_homeless,
            EsfCount::Eeco17 => &e.eeco17_rural,
            EsfCount::Exits => &x.participants,
            EsfCount::Regular => &x.regular,
            EsfCount::Early => &x.early,
            EsfCount::Eecr01 => &x.eecr01_job_seeking,
            EsfCount::Eecr02 => &x.eecr02_in_education,
            EsfCount::Eecr03 => &x.eecr03_qualification,
            EsfCount::Eecr04 => &x.eecr04_employed,
            EsfCount::ResultMissing => &x.result_missing,
        }
    }

    fn slot(&mut self, count: EsfCount) -> &mut ByGender {
        let e = &mut self.entries;
        let x = &mut self.exits;
        match count {
            EsfCount::Entries => &mut e.participants,
            EsfCount::EntryDataMissing => &mut e.entry_data_missing,
            EsfCount::Eeco01 => &mut e.eeco01_participants,
            EsfCount::Eeco02 => &mut e.eeco02_unemployed,
            EsfCount::Eeco03 => &mut e.eeco03_long_term_unemployed,
            EsfCount::Eeco04 => &mut e.eeco04_inactive,
            EsfCount::Eeco05 => &mut e.eeco05_employed,
            EsfCount::Eeco06 => &mut e.eeco06_below_18,
            EsfCount::Eeco07 => &mut e.eeco07_18_to_29,
            EsfCount::Eeco08 => &mut e.eeco08_55_and_over,
            EsfCount::Eeco09 => &mut e.eeco09_isced_0_2,
            EsfCount::Eeco10 => &mut e.eeco10_isced_3_4,
            EsfCount::Eeco11 => &mut e.eeco11_isced_5_8,
            EsfCount::Eeco12 => &mut e.eeco12_disability,
            EsfCount::Eeco13 => &mut e.eeco13_third_country,
            EsfCount::Eeco14 => &mut e.eeco14_foreign_background,
            EsfCount::Eeco15 => &mut e.eeco15_minority,
            EsfCount::Eeco16 => &mut e.eeco16_homeless,
            EsfCount::Eeco17 => &mut e.eeco17_rural,
            EsfCount::Exits => &mut x.participants,
            EsfCount::Regular => &mut x.regular,
            EsfCount::Early => &mut x.early,
            EsfCount::Eecr01 => &mut x.eecr01_job_seeking,
            EsfCount::Eecr02 => &mut x.eecr02_in_education,
            EsfCount::Eecr03 => &mut x.eecr03_qualification,
            EsfCount::Eecr04 => &mut x.eecr04_employed,
            EsfCount::ResultMissing => &mut x.result_missing,
        }
    }

    /// Every count of the report in the order of Annex I ([`EsfCount`]), with its code and a
    /// label in `lang`: entries (with the EECO indicators), then exits (with the EECR
    /// indicators). Frontends print these lines instead of naming the indicators themselves.
    #[must_use]
    pub fn lines(&self, lang: Lang) -> Vec<EsfLine> {
        <EsfCount as Labelled>::ALL
            .iter()
            .map(|&count| EsfLine {
                count,
                code: count.code(),
                label: count.label(lang),
                detail: count.is_detail(),
                counts: self.get(count),
            })
            .collect()
    }
}

/// Which cases a report counts: every case of the project, or the cases of one team (each
/// case for the team it belongs to now). A case without a team counts in [`EsfScope::All`]
/// only. The CLI and the web take the same scope and so give the same figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EsfScope {
    /// Every participant of the project.
    All,
    /// The participants whose case belongs to the team.
    Team(TeamId),
}

impl EsfScope {
    /// Whether a case of `team` counts in this scope.
    #[must_use]
    pub fn covers(&self, team: Option<TeamId>) -> bool {
        match self {
            Self::All => true,
            Self::Team(t) => team == Some(*t),
        }
    }
}

/// The pseudonymous participant number of the participant of `case`, as the funder sees it
/// (`TN-ABCDE-F1234`): the provider finds the case by it, the funder learns no name.
#[must_use]
pub fn participant_number(case: CaseId) -> String {
    format!("TN-{}", case.case_number())
}

/// The statuses a participant's case can have: only enrolment makes a participant (R24).
pub const PARTICIPANT_STATUSES: [CaseStatus; 2] = [CaseStatus::Enrolled, CaseStatus::Closed];

/// Checks a reporting period: it may not end before it starts.
///
/// # Errors
/// [`DomainError::InvalidDateRange`] when `to` lies before `from`.
pub fn check_period(from: NaiveDate, to: NaiveDate) -> Result<(), DomainError> {
    if to < from {
        Err(DomainError::InvalidDateRange)
    } else {
        Ok(())
    }
}

/// Whether the case summarised by `s` can count in a report of `from`..=`to`, judged by its
/// list row alone, so that callers load only those cases: it must be a participant's case
/// ([`PARTICIPANT_STATUSES`]); one referred after the period cannot have entered in it, and
/// one that ended before the period can neither have entered nor left in it.
#[must_use]
pub fn may_count(s: &CaseSummary, from: NaiveDate, to: NaiveDate) -> bool {
    PARTICIPANT_STATUSES.contains(&s.status)
        && s.referral_date <= to
        && s.ended_on.is_none_or(|ended| ended >= from)
}

fn age_on(birth: NaiveDate, day: NaiveDate) -> i32 {
    let mut age = day.year() - birth.year();
    if (day.month(), day.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// Counts the ESF Plus indicators of the participants who entered or left between `from` and
/// `to` (inclusive).
#[must_use]
pub fn esf_report<'a>(
    cases: impl IntoIterator<Item = &'a Case>,
    from: NaiveDate,
    to: NaiveDate,
) -> EsfReport {
    let participants: Vec<EsfParticipant> =
        cases.into_iter().filter_map(EsfParticipant::of).collect();
    esf_report_of(&participants, from, to)
}

/// What the ESF Plus report reads of one participant's case: everything [`esf_report`]
/// counts, nothing else (no name, no content). Storage keeps it as a read model, so that a
/// report of a year reads these small records instead of every case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EsfParticipant {
    /// The client's gender, if recorded.
    pub gender: Option<Gender>,
    /// The client's date of birth, if recorded.
    pub date_of_birth: Option<NaiveDate>,
    /// The day of entry (enrolment).
    pub entered_on: NaiveDate,
    /// The ESF entry data, if recorded.
    pub entry: Option<crate::closure::EsfEntryRecord>,
    /// The closure in force, if the case is closed.
    pub closure: Option<crate::closure::Closure>,
}

impl EsfParticipant {
    /// The participant of `case`, or `None` if the case was never enrolled (outreach-only
    /// contacts are not participants).
    #[must_use]
    pub fn of(case: &Case) -> Option<Self> {
        Some(Self {
            gender: case.referral.client.gender,
            date_of_birth: case.referral.client.date_of_birth,
            entered_on: case.enrolment.as_ref()?.on,
            entry: case.esf_entry.clone(),
            closure: case.closure.clone(),
        })
    }

    /// The day the participant left (the closure in force), if they have.
    #[must_use]
    pub fn left_on(&self) -> Option<NaiveDate> {
        self.closure.as_ref().map(|c| c.closed_on)
    }
}

/// [`esf_report`] over participants' records ([`EsfParticipant::of`]): the same report as
/// over their cases.
#[must_use]
pub fn esf_report_of<'a>(
    participants: impl IntoIterator<Item = &'a EsfParticipant>,
    from: NaiveDate,
    to: NaiveDate,
) -> EsfReport {
    let mut report = EsfReport {
        from,
        to,
        entries: EntryIndicators::default(),
        exits: ExitIndicators::default(),
    };
    for p in participants {
        for count in p.counted_in(from, to) {
            report.slot(count).add(p.gender);
        }
    }
    report
}

/// A participant as a report reads it from storage: the case, whose it is now (team and key
/// worker, so that a drill-down knows which cases its reader may open, see
/// [`crate::access::may_open_case_of`]), and what the report counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EsfRecord {
    /// The participant's case.
    pub case: CaseId,
    /// The case's team now.
    pub team: Option<TeamId>,
    /// The case's key worker now.
    pub key_worker: Option<StaffId>,
    /// What the report counts.
    pub participant: EsfParticipant,
}

impl EsfRecord {
    /// The participant's pseudonymous number ([`participant_number`]).
    #[must_use]
    pub fn participant_number(&self) -> String {
        participant_number(self.case)
    }
}

/// [`esf_report_of`] over records as storage reads them.
#[must_use]
pub fn esf_report_of_records<'a>(
    records: impl IntoIterator<Item = &'a EsfRecord>,
    from: NaiveDate,
    to: NaiveDate,
) -> EsfReport {
    esf_report_of(records.into_iter().map(|r| &r.participant), from, to)
}

/// The participants behind one figure of the report of `from..=to`: those of `records` that
/// [`esf_report_of`] counts in `count` and `column`, in the order given. The drill-down of
/// every figure; its length is the figure.
#[must_use]
pub fn esf_members<'a>(
    records: impl IntoIterator<Item = &'a EsfRecord>,
    from: NaiveDate,
    to: NaiveDate,
    count: EsfCount,
    column: GenderColumn,
) -> Vec<&'a EsfRecord> {
    records
        .into_iter()
        .filter(|r| {
            column.holds(r.participant.gender)
                && r.participant.counted_in(from, to).contains(&count)
        })
        .collect()
}

impl EsfParticipant {
    /// The figures of a report of `from..=to` this participant counts in: the one rule
    /// behind [`esf_report_of`] and [`esf_members`].
    #[must_use]
    pub fn counted_in(&self, from: NaiveDate, to: NaiveDate) -> Vec<EsfCount> {
        let within = |d: NaiveDate| d >= from && d <= to;
        let mut out = Vec::new();
        if within(self.entered_on) {
            out.push(EsfCount::Entries);
            if let Some(birth) = self.date_of_birth {
                let age = age_on(birth, self.entered_on);
                if age < 18 {
                    out.push(EsfCount::Eeco06);
                } else if age <= 29 {
                    out.push(EsfCount::Eeco07);
                } else if age >= 55 {
                    out.push(EsfCount::Eeco08);
                }
            }
            match &self.entry {
                None => out.push(EsfCount::EntryDataMissing),
                Some(r) => entry_counts(r, &mut out),
            }
        }
        if let Some(closure) = self.closure.as_ref().filter(|c| within(c.closed_on)) {
            out.push(EsfCount::Exits);
            out.push(if closure.reason.is_regular() {
                EsfCount::Regular
            } else {
                EsfCount::Early
            });
            match closure.immediate_result {
                Some(ImmediateResult::JobSeeking) => out.push(EsfCount::Eecr01),
                Some(ImmediateResult::InEducation) => out.push(EsfCount::Eecr02),
                Some(ImmediateResult::Qualification) => out.push(EsfCount::Eecr03),
                Some(ImmediateResult::Employed) => out.push(EsfCount::Eecr04),
                Some(_) => {}
                None => out.push(EsfCount::ResultMissing),
            }
        }
        out
    }
}

/// The entry indicators the recorded entry data `r` makes a participant count in.
fn entry_counts(r: &crate::closure::EsfEntryRecord, out: &mut Vec<EsfCount>) {
    out.push(EsfCount::Eeco01);
    out.push(match r.employment_status {
        EmploymentStatus::Unemployed => EsfCount::Eeco02,
        EmploymentStatus::Inactive => EsfCount::Eeco04,
        _ => EsfCount::Eeco05,
    });
    if r.long_term_unemployed {
        out.push(EsfCount::Eeco03);
    }
    out.push(match r.education {
        IscedBand::Isced0To2 => EsfCount::Eeco09,
        IscedBand::Isced3To4 => EsfCount::Eeco10,
        _ => EsfCount::Eeco11,
    });
    if r.disability == Some(true) {
        out.push(EsfCount::Eeco12);
    }
    if matches!(
        r.citizenship,
        Citizenship::ThirdCountry | Citizenship::Stateless
    ) {
        out.push(EsfCount::Eeco13);
    }
    if r.foreign_background == Some(true) {
        out.push(EsfCount::Eeco14);
    }
    if r.minority == Some(true) {
        out.push(EsfCount::Eeco15);
    }
    if r.homeless {
        out.push(EsfCount::Eeco16);
    }
    if r.rural_area == Some(true) {
        out.push(EsfCount::Eeco17);
    }
}
