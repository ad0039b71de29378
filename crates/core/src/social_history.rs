//! Step 5 of the process: the social history (*Sozialanamnese*) by life domain.

use serde::{Deserialize, Serialize};

use crate::text::Text;
use crate::vocab::vocabulary;

vocabulary! {
    /// A life domain (*Lebensbereich*, rule R19). Topics of contacts and goals use the same list.
    pub enum LifeDomain {
        /// Housing.
        Housing = "housing", "Wohnen", "Housing";
        /// Finances and debt.
        FinancesAndDebt = "finances_debt", "Finanzen und Schulden", "Finances and debt";
        /// Physical health.
        PhysicalHealth = "physical_health", "Körperliche Gesundheit", "Physical health";
        /// Mental health.
        MentalHealth = "mental_health", "Psychische Gesundheit", "Mental health";
        /// Addiction.
        Addiction = "addiction", "Sucht", "Addiction";
        /// Family, household and care duties.
        FamilyHouseholdCare = "family_household_care", "Familie, Haushalt und Pflege", "Family, household and care";
        /// Social contacts.
        SocialContacts = "social_contacts", "Soziale Kontakte", "Social contacts";
        /// Language.
        Language = "language", "Sprache", "Language";
        /// School and vocational education.
        Education = "education", "Schul- und Berufsbildung", "Education";
        /// Work history and goals.
        WorkHistoryAndGoals = "work", "Arbeit und berufliche Ziele", "Work history and goals";
        /// Authorities and legal matters.
        AuthoritiesAndLegal = "authorities_legal", "Behörden und Rechtliches", "Authorities and legal matters";
        /// Daily structure and mobility.
        DailyStructureAndMobility = "daily_structure_mobility", "Tagesstruktur und Mobilität", "Daily structure and mobility";
    }
}

impl LifeDomain {
    /// Domains whose mere mention reveals health information (GDPR Art. 9). They never reach
    /// the Jobcenter without the client's explicit consent to share health information.
    #[must_use]
    pub fn is_health_related(self) -> bool {
        matches!(
            self,
            Self::PhysicalHealth | Self::MentalHealth | Self::Addiction
        )
    }
}

vocabulary! {
    /// Need for action (*Handlungsbedarf*) in a life domain.
    pub enum ActionNeed {
        /// No need.
        None = "none", "kein Bedarf", "None";
        /// Some need.
        Some = "some", "Bedarf", "Some";
        /// Acute need.
        Acute = "acute", "akuter Bedarf", "Acute";
    }
}

vocabulary! {
    /// Priority the client and key worker give a life domain.
    pub enum Priority {
        /// High.
        High = "high", "hoch", "High";
        /// Medium.
        Medium = "medium", "mittel", "Medium";
        /// Low.
        Low = "low", "niedrig", "Low";
    }
}

vocabulary! {
    /// Whose account an entry rests on: facts are kept apart from assessments.
    pub enum AccountSource {
        /// The client's own account.
        Own = "own", "eigene Angabe", "Own account";
        /// A third party's account.
        ThirdParty = "third_party", "Angabe Dritter", "Third-party account";
    }
}

/// The assessment of one life domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainAssessment {
    /// The client's own view.
    pub own_view: Option<Text>,
    /// Strengths and resources (*Ressourcen*).
    pub strengths: Option<Text>,
    /// Need for action.
    pub need: ActionNeed,
    /// Priority.
    pub priority: Priority,
    /// Whose account this is.
    pub source: AccountSource,
}
