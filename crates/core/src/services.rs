//! Step 8 of the process: referrals out (*Weitervermittlung*) to specialist services
//! (*Fachstellen*) and the secrecy release (*Schweigepflichtentbindung*) they need.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{OutboundReferralId, ServiceId};
use crate::text::Text;
use crate::vocab::vocabulary;

vocabulary! {
    /// Kind of specialist service.
    pub enum ServiceKind {
        /// Debt counselling.
        DebtCounselling = "debt_counselling", "Schuldnerberatung", "Debt counselling";
        /// Addiction counselling.
        AddictionCounselling = "addiction_counselling", "Suchtberatung", "Addiction counselling";
        /// Psychotherapy.
        Psychotherapy = "psychotherapy", "Psychotherapie", "Psychotherapy";
        /// Psychosocial support.
        PsychosocialSupport = "psychosocial_support", "Psychosoziale Betreuung", "Psychosocial support";
        /// Housing aid.
        HousingAid = "housing_aid", "Wohnungshilfe", "Housing aid";
        /// Migration counselling.
        MigrationCounselling = "migration_counselling", "Migrationsberatung", "Migration counselling";
        /// Pension insurer (e.g. reduced-earning-capacity pension).
        PensionInsurer = "pension_insurer", "Rentenversicherung", "Pension insurer";
        /// Anything else.
        Other = "other", "Sonstige", "Other";
    }
}

impl ServiceKind {
    /// Kinds whose mere mention reveals health information (GDPR Art. 9).
    #[must_use]
    pub fn is_health_related(self) -> bool {
        matches!(
            self,
            Self::AddictionCounselling
                | Self::Psychotherapy
                | Self::PsychosocialSupport
                | Self::PensionInsurer
        )
    }
}

/// A specialist service in the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialistService {
    /// Id.
    pub id: ServiceId,
    /// Name, e.g. "Schuldnerberatung Beispielstadt".
    pub name: Text,
    /// Kind.
    pub kind: ServiceKind,
    /// Further contact notes in free text (how to get an appointment, what to bring); the
    /// single contact field of directories before [`ServiceDetails`].
    pub contact: Option<Text>,
    /// Whether it is still offered in the directory.
    pub active: bool,
    /// Address, phone, e-mail, opening hours and contact person, each optional.
    #[serde(default)]
    pub details: ServiceDetails,
}

/// How to reach a specialist service (*Fachstelle*): what a case worker needs where a referral
/// out is made. Every field is optional, because directories are filled over time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceDetails {
    /// Postal address, e.g. "Marktstraße 4, 12345 Beispielstadt".
    #[serde(default)]
    pub address: Option<Text>,
    /// Phone number, as people dial it.
    #[serde(default)]
    pub phone: Option<Text>,
    /// E-mail address, checked by [`crate::referral::check_email`] when entered.
    #[serde(default)]
    pub email: Option<Text>,
    /// Opening hours (*Öffnungszeiten*), e.g. "Mo–Do 9–12 Uhr, Di 14–17 Uhr".
    #[serde(default)]
    pub opening_hours: Option<Text>,
    /// The contact person (*Ansprechperson*) at the service.
    #[serde(default)]
    pub contact_person: Option<Text>,
}

impl ServiceDetails {
    /// Whether nothing is known.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.address.is_none()
            && self.phone.is_none()
            && self.email.is_none()
            && self.opening_hours.is_none()
            && self.contact_person.is_none()
    }
}

vocabulary! {
    /// Status of a referral out.
    pub enum OutboundReferralStatus {
        /// Suggested to the client.
        Suggested = "suggested", "vorgeschlagen", "Suggested";
        /// The service was contacted.
        Contacted = "contacted", "kontaktiert", "Contacted";
        /// An appointment was made.
        AppointmentMade = "appointment_made", "Termin vereinbart", "Appointment made";
        /// The client is in the service's care.
        InCare = "in_care", "in Betreuung", "In care";
        /// Completed.
        Completed = "completed", "abgeschlossen", "Completed";
        /// The client declined.
        Declined = "declined", "abgelehnt", "Declined";
        /// Cancelled.
        Cancelled = "cancelled", "abgebrochen", "Cancelled";
    }
}

impl OutboundReferralStatus {
    /// Whether no further status can follow.
    #[must_use]
    pub fn is_final(self) -> bool {
        matches!(self, Self::Completed | Self::Declined | Self::Cancelled)
    }

    /// Position on the forward path `suggested → contacted → appointment_made → in_care →
    /// completed`; `None` for the side exits.
    fn rank(self) -> Option<u8> {
        match self {
            Self::Suggested => Some(0),
            Self::Contacted => Some(1),
            Self::AppointmentMade => Some(2),
            Self::InCare => Some(3),
            Self::Completed => Some(4),
            Self::Declined | Self::Cancelled => None,
        }
    }

    /// Whether the status flow allows moving from `self` to `next`: forward along the path
    /// (steps may be skipped when they happened outside our view), or from any open status to
    /// `declined` / `cancelled`. Nothing follows a final status.
    #[must_use]
    pub fn can_move_to(self, next: Self) -> bool {
        if self.is_final() || self == next {
            return false;
        }
        match (self.rank(), next.rank()) {
            (Some(from), Some(to)) => to > from,
            (Some(_), None) => true,
            _ => false,
        }
    }
}

vocabulary! {
    /// Direction of a secrecy release.
    pub enum ReleaseDirection {
        /// We may tell the service.
        OneWay = "one_way", "einseitig", "One-way";
        /// Both sides may exchange information.
        Mutual = "mutual", "gegenseitig", "Mutual";
    }
}

/// A release from professional secrecy (*Schweigepflichtentbindung*, rule R13). Blanket
/// releases are void, so recipient, kinds of information and purpose are all required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecrecyRelease {
    /// Who may receive information.
    pub recipient: Text,
    /// Which kinds of information.
    pub information: Text,
    /// For which purpose.
    pub purpose: Text,
    /// One-way or mutual.
    pub direction: ReleaseDirection,
    /// Signed on.
    pub given_on: NaiveDate,
    /// Valid until (inclusive).
    pub valid_until: NaiveDate,
    /// Withdrawn on, if withdrawn.
    pub withdrawn_on: Option<NaiveDate>,
}

impl SecrecyRelease {
    /// Whether the release allows disclosure on `day`.
    #[must_use]
    pub fn is_valid_on(&self, day: NaiveDate) -> bool {
        day >= self.given_on && day <= self.valid_until && self.withdrawn_on.is_none_or(|w| day < w)
    }
}

/// A referral to a specialist service, as the case history built it (`#[non_exhaustive]`:
/// only replaying events makes one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OutboundReferral {
    /// Id.
    pub id: OutboundReferralId,
    /// The service.
    pub service: ServiceId,
    /// The service's kind (copied from the directory at the time of referral).
    pub kind: ServiceKind,
    /// Status.
    pub status: OutboundReferralStatus,
    /// Date of the last status change.
    pub status_since: NaiveDate,
    /// Date the referral was made (suggested to the client); the day the case worker gave,
    /// today by default.
    pub created_on: NaiveDate,
    /// A note on the referral (what was agreed, what the client takes along).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    /// The person at the service the client turns to (*Ansprechperson*), if known; at first
    /// the directory's contact person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_person: Option<Text>,
    /// The secrecy release, if the client gave one.
    pub release: Option<SecrecyRelease>,
    /// What the project passed on to the service, each checked against the release in force
    /// that day (rule R22; the history keeps every release it rested on). Empty when the
    /// client passes everything on personally, as preferred.
    #[serde(default)]
    pub disclosures: Vec<Disclosure>,
}

/// Information the project passed on to a specialist service (rule R22): recorded only under
/// a secrecy release valid on that day, so that every disclosure can be shown to rest on one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Disclosure {
    /// Day the information was passed on.
    pub on: NaiveDate,
    /// What was passed on (kinds of information, not the content itself).
    pub information: Text,
}

#[cfg(test)]
mod tests {
    use super::OutboundReferralStatus as S;
    use crate::vocab::Labelled;

    #[test]
    fn status_flow() {
        assert!(S::Suggested.can_move_to(S::Contacted));
        assert!(S::Suggested.can_move_to(S::InCare));
        assert!(S::InCare.can_move_to(S::Completed));
        assert!(S::Contacted.can_move_to(S::Cancelled));
        assert!(S::Suggested.can_move_to(S::Declined));
        assert!(!S::InCare.can_move_to(S::Contacted));
        assert!(!S::Suggested.can_move_to(S::Suggested));
        for next in S::ALL {
            assert!(!S::Completed.can_move_to(*next));
            assert!(!S::Declined.can_move_to(*next));
            assert!(!S::Cancelled.can_move_to(*next));
        }
    }
}
