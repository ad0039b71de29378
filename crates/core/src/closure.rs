//! Step 10 of the process: closure with exit reason, and the ESF Plus entry and exit data.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::vocab::vocabulary;

vocabulary! {
    /// Why a case was closed.
    pub enum ExitReason {
        /// The key-worker period ended.
        RegularEnd = "regular_end", "reguläres Ende", "Regular end";
        /// Goals achieved.
        GoalsAchieved = "goals_achieved", "Ziele erreicht", "Goals achieved";
        /// Took up employment.
        Employment = "employment", "Arbeitsaufnahme", "Employment";
        /// Started training or education.
        TrainingOrEducation = "training_or_education", "Ausbildung oder Qualifizierung", "Training or education";
        /// Handed over to a service outside the project.
        HandedOverExternally = "handed_over_externally", "extern übergeleitet", "Handed over externally";
        /// The client ended participation: voluntary, no blame.
        ClientEnded = "client_ended", "Teilnahme durch Klient*in beendet", "Ended by the client";
        /// Moved away.
        MovedAway = "moved_away", "verzogen", "Moved away";
        /// Health reasons.
        Health = "health", "gesundheitliche Gründe", "Health";
        /// Other.
        Other = "other", "Sonstiges", "Other";
    }
}

impl ExitReason {
    /// Whether the reason is regular (ESF: regular vs early exit).
    #[must_use]
    pub fn is_regular(self) -> bool {
        matches!(self, Self::RegularEnd | Self::GoalsAchieved)
    }
}

vocabulary! {
    /// ESF Plus employment status at entry (rule R26, exactly one).
    pub enum EmploymentStatus {
        /// Unemployed (registered as *arbeitslos*), EECO02.
        Unemployed = "unemployed", "arbeitslos", "Unemployed";
        /// Inactive, EECO04.
        Inactive = "inactive", "nicht erwerbstätig", "Inactive";
        /// Employed, EECO05.
        Employed = "employed", "erwerbstätig", "Employed";
    }
}

vocabulary! {
    /// Highest qualification, as an ISCED band (EECO09–11).
    pub enum IscedBand {
        /// ISCED 0–2.
        Isced0To2 = "isced_0_2", "ISCED 0–2", "ISCED 0–2";
        /// ISCED 3–4.
        Isced3To4 = "isced_3_4", "ISCED 3–4", "ISCED 3–4";
        /// ISCED 5–8.
        Isced5To8 = "isced_5_8", "ISCED 5–8", "ISCED 5–8";
    }
}

vocabulary! {
    /// Citizenship group (EECO13).
    pub enum Citizenship {
        /// German.
        German = "de", "deutsch", "German";
        /// Another EU country.
        Eu = "eu", "EU", "EU";
        /// A third country.
        ThirdCountry = "third_country", "Drittstaat", "Third country";
        /// Stateless.
        Stateless = "stateless", "staatenlos", "Stateless";
    }
}

/// The ESF Plus entry questionnaire (*Teilnehmendenfragebogen Eintritt*), status on the day
/// of entry. `None` in an optional item means "keine Angabe" (no answer), which is allowed
/// there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EsfEntryRecord {
    /// Employment status.
    pub employment_status: EmploymentStatus,
    /// Unemployed for more than 12 months (EECO03).
    pub long_term_unemployed: bool,
    /// Highest qualification.
    pub education: IscedBand,
    /// Disability (EECO12), optional.
    pub disability: Option<bool>,
    /// Citizenship (EECO13).
    pub citizenship: Citizenship,
    /// Foreign background (EECO14), optional.
    pub foreign_background: Option<bool>,
    /// Minority (EECO15), optional.
    pub minority: Option<bool>,
    /// Homeless or excluded from housing (EECO16).
    pub homeless: bool,
    /// Lives in a rural area (EECO17), optional: the degree of urbanisation of the place of
    /// residence on the day of entry. Frontends suggest it from the client's postcode with the
    /// installation's table ([`crate::esf::RuralPostcodes`]); recorded before this item
    /// existed, it reads as "keine Angabe".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rural_area: Option<bool>,
}

vocabulary! {
    /// Immediate result within 28 days of exit (EECR01–04; only the last event counts).
    pub enum ImmediateResult {
        /// Job-seeking (EECR01).
        JobSeeking = "job_seeking", "arbeitsuchend", "Job-seeking";
        /// In education or training (EECR02).
        InEducation = "in_education", "in Bildung oder Ausbildung", "In education or training";
        /// Gained a qualification (EECR03).
        Qualification = "qualification", "Qualifizierung erlangt", "Gained a qualification";
        /// Employed (EECR04).
        Employed = "employed", "erwerbstätig", "Employed";
        /// None of these.
        None = "none", "keines davon", "None of these";
    }
}

/// Closure data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure {
    /// Exit date.
    pub closed_on: NaiveDate,
    /// Exit reason.
    pub reason: ExitReason,
    /// ESF immediate result, if already known.
    pub immediate_result: Option<ImmediateResult>,
}
