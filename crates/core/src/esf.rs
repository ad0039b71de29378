//! ESF Plus participant indicators (Reg. (EU) 2021/1057, Annex I), as a pure function of the
//! cases and a reporting period.
//!
//! The report holds counts only, broken down by gender as Annex I requires; names and case
//! contents never appear in it. A participant enters with enrolment (consent and start of the
//! key-worker period, rule R24); outreach-only contacts are not participants. A participant
//! leaves with the closure in force ([`Case::closure`]): a reopened case that is open again has
//! not left (its earlier closures are in [`Case::previous_closures`] and count nowhere), and
//! one closed again has left on its latest closure.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::case::{Case, CaseStatus, CaseSummary};
use crate::closure::{Citizenship, EmploymentStatus, ImmediateResult, IscedBand};
use crate::error::DomainError;
use crate::referral::Gender;
use crate::vocab::Lang;

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

/// One line of an [`EsfReport`] as people read it (see [`EsfReport::lines`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct EsfLine {
    /// The indicator's code in Annex I (e.g. `EECO02`), if the line is one.
    pub code: Option<&'static str>,
    /// What is counted, in the chosen language.
    pub label: &'static str,
    /// Whether the line breaks down the total above it ("davon").
    pub detail: bool,
    /// The counts.
    pub counts: ByGender,
}

impl EsfReport {
    /// Every count of the report in the order of Annex I, with its code and a label in
    /// `lang`: entries (with the EECO indicators), then exits (with the EECR indicators).
    /// Frontends print these lines instead of naming the indicators themselves.
    #[must_use]
    pub fn lines(&self, lang: Lang) -> Vec<EsfLine> {
        let de = lang == Lang::De;
        let t = |d: &'static str, e: &'static str| if de { d } else { e };
        let line =
            |code: Option<&'static str>, label: &'static str, detail: bool, counts: ByGender| {
                EsfLine {
                    code,
                    label,
                    detail,
                    counts,
                }
            };
        let e = &self.entries;
        let x = &self.exits;
        vec![
            line(None, t("Eintritte", "Entries"), false, e.participants),
            line(
                None,
                t(
                    "davon ohne ESF-Eintrittsdaten",
                    "of which without ESF entry data",
                ),
                true,
                e.entry_data_missing,
            ),
            line(
                Some("EECO02"),
                t("arbeitslos", "unemployed"),
                true,
                e.eeco02_unemployed,
            ),
            line(
                Some("EECO03"),
                t("langzeitarbeitslos", "long-term unemployed"),
                true,
                e.eeco03_long_term_unemployed,
            ),
            line(
                Some("EECO04"),
                t("nicht erwerbstätig", "inactive"),
                true,
                e.eeco04_inactive,
            ),
            line(
                Some("EECO05"),
                t("erwerbstätig", "employed"),
                true,
                e.eeco05_employed,
            ),
            line(
                Some("EECO06"),
                t("unter 18", "below 18"),
                true,
                e.eeco06_below_18,
            ),
            line(
                Some("EECO07"),
                t("18 bis 29", "18 to 29"),
                true,
                e.eeco07_18_to_29,
            ),
            line(
                Some("EECO08"),
                t("55 und älter", "55 and over"),
                true,
                e.eeco08_55_and_over,
            ),
            line(Some("EECO09"), "ISCED 0–2", true, e.eeco09_isced_0_2),
            line(Some("EECO10"), "ISCED 3–4", true, e.eeco10_isced_3_4),
            line(Some("EECO11"), "ISCED 5–8", true, e.eeco11_isced_5_8),
            line(
                Some("EECO12"),
                t("Behinderung", "disability"),
                true,
                e.eeco12_disability,
            ),
            line(
                Some("EECO13"),
                t("Drittstaatsangehörige", "third-country nationals"),
                true,
                e.eeco13_third_country,
            ),
            line(
                Some("EECO14"),
                t("ausländische Herkunft", "foreign background"),
                true,
                e.eeco14_foreign_background,
            ),
            line(
                Some("EECO15"),
                t("Minderheit", "minority"),
                true,
                e.eeco15_minority,
            ),
            line(
                Some("EECO16"),
                t("wohnungslos", "homeless"),
                true,
                e.eeco16_homeless,
            ),
            line(None, t("Austritte", "Exits"), false, x.participants),
            line(None, t("regulär", "regular"), true, x.regular),
            line(None, t("vorzeitig", "early"), true, x.early),
            line(
                Some("EECR01"),
                t("arbeitsuchend", "job-seeking"),
                true,
                x.eecr01_job_seeking,
            ),
            line(
                Some("EECR02"),
                t("in Bildung/Ausbildung", "in education or training"),
                true,
                x.eecr02_in_education,
            ),
            line(
                Some("EECR03"),
                t("Qualifizierung erlangt", "gained a qualification"),
                true,
                x.eecr03_qualification,
            ),
            line(
                Some("EECR04"),
                t("erwerbstätig", "employed"),
                true,
                x.eecr04_employed,
            ),
            line(
                None,
                t("Ergebnis fehlt", "result missing"),
                true,
                x.result_missing,
            ),
        ]
    }
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
    let mut entries = EntryIndicators::default();
    let mut exits = ExitIndicators::default();
    let within = |d: NaiveDate| d >= from && d <= to;
    for p in participants {
        let gender = p.gender;
        if within(p.entered_on) {
            let entered = p.entered_on;
            entries.participants.add(gender);
            if let Some(birth) = p.date_of_birth {
                let age = age_on(birth, entered);
                if age < 18 {
                    entries.eeco06_below_18.add(gender);
                } else if age <= 29 {
                    entries.eeco07_18_to_29.add(gender);
                } else if age >= 55 {
                    entries.eeco08_55_and_over.add(gender);
                }
            }
            match &p.entry {
                None => entries.entry_data_missing.add(gender),
                Some(r) => {
                    match r.employment_status {
                        EmploymentStatus::Unemployed => entries.eeco02_unemployed.add(gender),
                        EmploymentStatus::Inactive => entries.eeco04_inactive.add(gender),
                        _ => entries.eeco05_employed.add(gender),
                    }
                    if r.long_term_unemployed {
                        entries.eeco03_long_term_unemployed.add(gender);
                    }
                    match r.education {
                        IscedBand::Isced0To2 => entries.eeco09_isced_0_2.add(gender),
                        IscedBand::Isced3To4 => entries.eeco10_isced_3_4.add(gender),
                        _ => entries.eeco11_isced_5_8.add(gender),
                    }
                    if r.disability == Some(true) {
                        entries.eeco12_disability.add(gender);
                    }
                    if matches!(
                        r.citizenship,
                        Citizenship::ThirdCountry | Citizenship::Stateless
                    ) {
                        entries.eeco13_third_country.add(gender);
                    }
                    if r.foreign_background == Some(true) {
                        entries.eeco14_foreign_background.add(gender);
                    }
                    if r.minority == Some(true) {
                        entries.eeco15_minority.add(gender);
                    }
                    if r.homeless {
                        entries.eeco16_homeless.add(gender);
                    }
                }
            }
        }
        let closure = p.closure.as_ref().filter(|c| within(c.closed_on));
        if let Some(closure) = closure {
            exits.participants.add(gender);
            if closure.reason.is_regular() {
                exits.regular.add(gender);
            } else {
                exits.early.add(gender);
            }
            match closure.immediate_result {
                Some(ImmediateResult::JobSeeking) => exits.eecr01_job_seeking.add(gender),
                Some(ImmediateResult::InEducation) => exits.eecr02_in_education.add(gender),
                Some(ImmediateResult::Qualification) => exits.eecr03_qualification.add(gender),
                Some(ImmediateResult::Employed) => exits.eecr04_employed.add(gender),
                Some(_) => {}
                None => exits.result_missing.add(gender),
            }
        }
    }
    EsfReport {
        from,
        to,
        entries,
        exits,
    }
}
