//! Step 1 of the process: the Jobcenter's referral (*Zuweisung / Anmeldung*) and the
//! client's identity.

use crate::letter::LetterLanguage;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{DomainError, FieldError};
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
    /// The language the client's letters carry beside German (*Briefsprache*); `None`:
    /// German only. Chosen at referral or later ([`crate::Command::ChooseLetterLanguage`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter_language: Option<LetterLanguage>,
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

/// Checks that `email` has the form of an e-mail address: no spaces, exactly one `@` with
/// something before it and a domain with a dot inside after it (`name@example.org`).
/// Whether the address exists is nobody's to check here; this catches typing slips such as a
/// missing `@` before a wrong address lands in a referral.
///
/// # Errors
/// [`FieldError::Invalid`] naming the expected form.
pub fn check_email(email: &str) -> Result<(), FieldError> {
    let bad = FieldError::Invalid {
        expected: "an e-mail address such as name@example.org",
        expected_de: "eine E-Mail-Adresse wie name@example.org",
    };
    let Some((local, domain)) = email.split_once('@') else {
        return Err(bad);
    };
    let domain_ok = domain
        .split_once('.')
        .is_some_and(|(host, tld)| !host.is_empty() && !tld.is_empty())
        && !domain.ends_with('.');
    if local.is_empty()
        || !domain_ok
        || domain.contains('@')
        || email.chars().any(char::is_whitespace)
    {
        return Err(bad);
    }
    Ok(())
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

pub use crate::fold::fold_name;

/// A client's family and given name, each folded by [`fold_name`], joined by U+001F: the one
/// key by which the duplicate checks compare names (the hints at referral, the funder
/// export's `esf::export::possible_duplicates`); storage indexes it.
#[must_use]
pub fn name_key(client: &ClientIdentity) -> String {
    format!(
        "{}\u{1f}{}",
        fold_name(client.family_name.as_str()),
        fold_name(client.given_name.as_str())
    )
}

/// Checks whether `existing` may be the same person as `candidate` (process step 1).
///
/// A possible duplicate is only ever a hint for a person to look at; the domain never merges
/// cases. Names are compared as [`fold_name`] folds them (letter case, umlauts
/// in either spelling, ß and accent marks ignored).
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

/// People who may all be one person: the members of one connected group of
/// [`duplicate_match`] (A matches B and B matches C puts A, B and C together).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateGroup {
    /// Indices into the slice given to [`duplicate_groups`], ascending; at least two.
    pub members: Vec<usize>,
    /// [`DuplicateMatch::NameAndDateOfBirth`] if any two members share name and date of
    /// birth, otherwise [`DuplicateMatch::NameAndPostcode`].
    pub how: DuplicateMatch,
}

/// Groups `people` into possible duplicate persons: every [`DuplicateGroup`] is a connected
/// group of the relation [`duplicate_match`], so two people are in one group exactly when a
/// chain of matches links them. People who match nobody are in no group. Groups come in the
/// order of their first member.
///
/// Linear in `people` (expected): each person is looked up under its folded name with its
/// date of birth and with its postcode, never compared with every other person, so a file of
/// 20 000 rows over a few common names costs no more than one of distinct names, and its
/// report has one line per group instead of one per pair.
#[must_use]
pub fn duplicate_groups(people: &[&ClientIdentity]) -> Vec<DuplicateGroup> {
    use std::collections::HashMap;
    use std::collections::hash_map::Entry;

    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut parent: Vec<usize> = (0..people.len()).collect();
    let mut by_birth: HashMap<(String, String, NaiveDate), usize> = HashMap::new();
    let mut by_postcode: HashMap<(String, String, &str), usize> = HashMap::new();
    let mut birth_links = Vec::new();
    for (i, person) in people.iter().enumerate() {
        let family = fold_name(person.family_name.as_str());
        let given = fold_name(person.given_name.as_str());
        let link = |first: usize, parent: &mut Vec<usize>| {
            let (a, b) = (root(parent, first), root(parent, i));
            if a != b {
                parent[a.max(b)] = a.min(b);
            }
        };
        if let Some(address) = &person.address {
            match by_postcode.entry((family.clone(), given.clone(), address.postcode.as_str())) {
                Entry::Occupied(first) => link(*first.get(), &mut parent),
                Entry::Vacant(slot) => {
                    slot.insert(i);
                }
            }
        }
        if let Some(born) = person.date_of_birth {
            match by_birth.entry((family, given, born)) {
                Entry::Occupied(first) => {
                    link(*first.get(), &mut parent);
                    birth_links.push(i);
                }
                Entry::Vacant(slot) => {
                    slot.insert(i);
                }
            }
        }
    }
    let mut groups: Vec<DuplicateGroup> = Vec::new();
    let mut group_of_root: HashMap<usize, usize> = HashMap::new();
    for i in 0..people.len() {
        // A root is its group's smallest member (links point to the smaller index), so a
        // group is made at its first member and its members arrive in ascending order.
        let r = root(&mut parent, i);
        let slot = *group_of_root.entry(r).or_insert_with(|| {
            groups.push(DuplicateGroup {
                members: Vec::new(),
                how: DuplicateMatch::NameAndPostcode,
            });
            groups.len() - 1
        });
        groups[slot].members.push(i);
    }
    for i in birth_links {
        let r = root(&mut parent, i);
        if let Some(&slot) = group_of_root.get(&r) {
            groups[slot].how = DuplicateMatch::NameAndDateOfBirth;
        }
    }
    groups.retain(|g| g.members.len() > 1);
    groups
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
            letter_language: None,
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

    #[test]
    fn groups_are_one_per_person_and_follow_chains_of_matches() {
        let people = [
            person("Erika", "Mustermann", Some((1980, 5, 1)), None),
            person("Max", "Probe", None, Some("99001")),
            person("erika", "MUSTERMANN", Some((1980, 5, 1)), Some("99002")),
            // Matches row 2 only by postcode, so it joins Erika's group through row 2.
            person("Erika", "Mustermann", Some((1990, 1, 1)), Some("99002")),
            person("Max", "Probe", Some((1970, 1, 1)), Some("99001")),
            person("Lea", "Einzeln", Some((1970, 1, 1)), Some("99001")),
        ];
        let refs: Vec<&ClientIdentity> = people.iter().collect();
        assert_eq!(
            duplicate_groups(&refs),
            vec![
                DuplicateGroup {
                    members: vec![0, 2, 3],
                    how: DuplicateMatch::NameAndDateOfBirth
                },
                DuplicateGroup {
                    members: vec![1, 4],
                    how: DuplicateMatch::NameAndPostcode
                },
            ]
        );
    }

    #[test]
    fn many_rows_of_one_person_make_one_group_quickly() {
        let people: Vec<ClientIdentity> = (0..20_000)
            .map(|i| {
                person(
                    "Erika",
                    "Mustermann",
                    Some((1980, 5, 1)),
                    Some(["99001", "99002"][i % 2]),
                )
            })
            .collect();
        let refs: Vec<&ClientIdentity> = people.iter().collect();
        let groups = duplicate_groups(&refs);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].members.len(), 20_000);
    }

    mod groups {
        use proptest::prelude::*;

        use super::*;

        fn someone() -> impl Strategy<Value = ClientIdentity> {
            (
                0..3usize,
                0..2usize,
                proptest::option::of(0..3u32),
                proptest::option::of(0..3usize),
            )
                .prop_map(|(family, given, dob, plz)| {
                    person(
                        ["Muster", "Probe", "Weiß"][family],
                        ["Erika", "erika", "Max"][given],
                        dob.map(|d| (1980, 1, d + 1)),
                        plz.map(|p| ["99001", "99002", "99003"][p]),
                    )
                })
        }

        proptest! {
            /// The groups are the connected groups of `duplicate_match`, computed pairwise.
            #[test]
            fn groups_equal_the_pairwise_closure(people in proptest::collection::vec(someone(), 0..24)) {
                let n = people.len();
                let mut component: Vec<usize> = (0..n).collect();
                loop {
                    let mut changed = false;
                    for a in 0..n {
                        for b in 0..n {
                            if duplicate_match(&people[a], &people[b]).is_some()
                                && component[b] > component[a]
                            {
                                component[b] = component[a];
                                changed = true;
                            }
                        }
                    }
                    if !changed {
                        break;
                    }
                }
                let mut expected: Vec<Vec<usize>> = Vec::new();
                for c in 0..n {
                    let members: Vec<usize> = (0..n).filter(|i| component[*i] == c).collect();
                    if members.len() > 1 {
                        expected.push(members);
                    }
                }
                let refs: Vec<&ClientIdentity> = people.iter().collect();
                let groups = duplicate_groups(&refs);
                let got: Vec<Vec<usize>> = groups.iter().map(|g| g.members.clone()).collect();
                prop_assert_eq!(got, expected);
                for g in &groups {
                    let by_birth = g.members.iter().any(|a| {
                        g.members.iter().any(|b| {
                            a != b
                                && duplicate_match(&people[*a], &people[*b])
                                    == Some(DuplicateMatch::NameAndDateOfBirth)
                        })
                    });
                    prop_assert_eq!(g.how == DuplicateMatch::NameAndDateOfBirth, by_birth);
                }
            }
        }
    }
}
