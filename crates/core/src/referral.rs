//! Step 1 of the process: the Jobcenter's referral (*Zuweisung / Anmeldung*) and the
//! client's identity.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::text::{Postcode, Text};
use crate::vocab::vocabulary;

vocabulary! {
    /// Why the Jobcenter refers the client.
    pub enum ReferralReason {
        /// Contact between client and Jobcenter broke off.
        ContactLost = "contact_lost", "Kontakt abgebrochen", "Contact lost";
        /// Contact is difficult.
        ContactDifficult = "contact_difficult", "Kontakt schwierig", "Contact difficult";
        /// The client needs concrete help.
        SupportNeed = "support_need", "Unterstützungsbedarf", "Support need";
    }
}

vocabulary! {
    /// A problem area the Jobcenter indicates on the referral.
    pub enum ProblemArea {
        /// Debt (*Schulden*).
        Debt = "debt", "Schulden", "Debt";
        /// Physical illness.
        Illness = "illness", "Erkrankung", "Illness";
        /// Mental health (e.g. social anxiety, depression).
        MentalHealth = "mental_health", "Psychische Gesundheit", "Mental health";
        /// Language.
        Language = "language", "Sprache", "Language";
        /// Family crisis.
        FamilyCrisis = "family_crisis", "Familiäre Krise", "Family crisis";
        /// Housing.
        Housing = "housing", "Wohnen", "Housing";
        /// Addiction.
        Addiction = "addiction", "Sucht", "Addiction";
        /// Anything else.
        Other = "other", "Sonstiges", "Other";
    }
}

vocabulary! {
    /// The legal or funding basis of the case (*Rechtsgrundlage*, rule R1).
    pub enum LegalBasis {
        /// §16a SGB II: municipal integration services.
        Sgb2Section16a = "sgb2_16a", "§16a SGB II", "§16a SGB II";
        /// §16k SGB II: holistic support (*ganzheitliche Betreuung*).
        Sgb2Section16k = "sgb2_16k", "§16k SGB II", "§16k SGB II";
        /// §16h SGB II: hard-to-reach young people under 25.
        Sgb2Section16h = "sgb2_16h", "§16h SGB II", "§16h SGB II";
        /// §16 SGB II with §45 SGB III: activation measure.
        Sgb2Section16WithSgb3Section45 = "sgb2_16_sgb3_45", "§16 SGB II i. V. m. §45 SGB III", "§16 SGB II with §45 SGB III";
        /// Funded by the ESF Plus only.
        EsfOnly = "esf_only", "nur ESF Plus", "ESF Plus only";
    }
}

vocabulary! {
    /// Gender as the ESF Plus requires it (women, men, non-binary).
    pub enum Gender {
        /// Female.
        Female = "female", "weiblich", "female";
        /// Male.
        Male = "male", "männlich", "male";
        /// Non-binary / diverse.
        NonBinary = "non_binary", "divers", "non-binary";
    }
}

/// A postal address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// Street and house number.
    pub street: Text,
    /// Postcode.
    pub postcode: Postcode,
    /// City or town.
    pub city: Text,
}

/// Who the client is, as the referral states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientIdentity {
    /// Given name(s).
    pub given_name: Text,
    /// Family name.
    pub family_name: Text,
    /// Date of birth, if known.
    pub date_of_birth: Option<NaiveDate>,
    /// Gender, if known.
    pub gender: Option<Gender>,
    /// Postal address (needed for the announcement letter).
    pub address: Option<Address>,
    /// Telephone number, if known.
    pub phone: Option<Text>,
    /// E-mail address, if known.
    pub email: Option<Text>,
}

impl ClientIdentity {
    /// "Family, Given" for lists.
    #[must_use]
    pub fn sort_name(&self) -> String {
        format!("{}, {}", self.family_name, self.given_name)
    }

    /// "Given Family" for letters.
    #[must_use]
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

/// The earliest plausible year of birth of a referred person.
pub const EARLIEST_BIRTH_YEAR: i32 = 1900;

/// The youngest plausible age, in full years, of a referred person on the day of entry. SGB II
/// employability starts at 15; one year of slack keeps a typo in the year from being the only
/// thing that stops a real referral.
pub const YOUNGEST_CLIENT_AGE: i32 = 14;

/// Whether `date_of_birth` is plausible for a person referred on `today` (process step 1):
/// born in [`EARLIEST_BIRTH_YEAR`] or later and at least [`YOUNGEST_CLIENT_AGE`] years old.
/// Every entry path (CLI, CSV import, web) gets this from the `Refer` command, and the importer
/// calls it per row to report every bad row at once.
///
/// # Errors
/// [`DomainError::ImplausibleDateOfBirth`] naming the date.
pub fn check_date_of_birth(date_of_birth: NaiveDate, today: NaiveDate) -> Result<(), DomainError> {
    let mut age = today.year() - date_of_birth.year();
    if (today.month(), today.day()) < (date_of_birth.month(), date_of_birth.day()) {
        age -= 1;
    }
    if date_of_birth.year() < EARLIEST_BIRTH_YEAR || age < YOUNGEST_CLIENT_AGE {
        Err(DomainError::ImplausibleDateOfBirth {
            date: date_of_birth,
        })
    } else {
        Ok(())
    }
}

/// The referral (*Zuweisung*) as the Jobcenter sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    /// The referring Jobcenter (e.g. "Jobcenter Musterstadt").
    pub jobcenter: Text,
    /// The Jobcenter's case manager (*Fallmanager\*in*).
    pub case_manager: Text,
    /// The Jobcenter's customer number (*Kundennummer*), if given; part of the import key.
    pub customer_number: Option<Text>,
    /// Date of the referral.
    pub referral_date: NaiveDate,
    /// Why the client is referred.
    pub reason: ReferralReason,
    /// Indicated problem areas (may be empty).
    pub problem_areas: Vec<ProblemArea>,
    /// Legal or funding basis.
    pub legal_basis: LegalBasis,
    /// The client.
    pub client: ClientIdentity,
}

/// Why two cases may concern the same person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateMatch {
    /// Same name and date of birth.
    NameAndDateOfBirth,
    /// Same name and postcode.
    NameAndPostcode,
}

/// Folds a name for comparison: trimmed, lower case, umlauts and ß spelled out, inner
/// whitespace collapsed. [`duplicate_match`] compares folded names; storage indexes them, so
/// both find the same candidates.
#[must_use]
pub fn fold_name(name: &str) -> String {
    name.trim()
        .to_lowercase()
        .replace('ß', "ss")
        .replace('ä', "ae")
        .replace('ö', "oe")
        .replace('ü', "ue")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Checks whether `existing` may be the same person as `candidate` (process step 1).
///
/// A possible duplicate is only ever a hint for a person to look at; the domain never merges
/// cases. Names are compared case-insensitively, with umlauts and ß folded.
#[must_use]
pub fn duplicate_match(
    candidate: &ClientIdentity,
    existing: &ClientIdentity,
) -> Option<DuplicateMatch> {
    let same_name = fold_name(candidate.family_name.as_str())
        == fold_name(existing.family_name.as_str())
        && fold_name(candidate.given_name.as_str()) == fold_name(existing.given_name.as_str());
    if !same_name {
        return None;
    }
    if let (Some(a), Some(b)) = (candidate.date_of_birth, existing.date_of_birth)
        && a == b
    {
        return Some(DuplicateMatch::NameAndDateOfBirth);
    }
    match (&candidate.address, &existing.address) {
        (Some(a), Some(b)) if a.postcode == b.postcode => Some(DuplicateMatch::NameAndPostcode),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(
        given: &str,
        family: &str,
        dob: Option<(i32, u32, u32)>,
        plz: Option<&str>,
    ) -> ClientIdentity {
        ClientIdentity {
            given_name: Text::parse(given).unwrap(),
            family_name: Text::parse(family).unwrap(),
            date_of_birth: dob.map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap()),
            gender: None,
            address: plz.map(|p| Address {
                street: Text::parse("Beispielweg 1").unwrap(),
                postcode: Postcode::parse(p).unwrap(),
                city: Text::parse("Musterstadt").unwrap(),
            }),
            phone: None,
            email: None,
        }
    }

    #[test]
    fn duplicates_by_name_and_birth_date_or_postcode() {
        let a = person("Erika", "Mustermann", Some((1980, 5, 1)), Some("34117"));
        let same_dob = person("erika", "MUSTERMANN", Some((1980, 5, 1)), None);
        let same_plz = person("Erika", "Mustermann", None, Some("34117"));
        let other = person("Erika", "Mustermann", Some((1981, 5, 1)), Some("34119"));
        let umlaut = person("Jörg", "Weiß", None, Some("34117"));
        let folded = person("Joerg", "Weiss", None, Some("34117"));
        assert_eq!(
            duplicate_match(&a, &same_dob),
            Some(DuplicateMatch::NameAndDateOfBirth)
        );
        assert_eq!(
            duplicate_match(&a, &same_plz),
            Some(DuplicateMatch::NameAndPostcode)
        );
        assert_eq!(duplicate_match(&a, &other), None);
        assert_eq!(
            duplicate_match(&umlaut, &folded),
            Some(DuplicateMatch::NameAndPostcode)
        );
    }
}
