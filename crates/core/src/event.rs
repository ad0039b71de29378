//! Domain events: the case history.
//!
//! Every accepted command produces one or more [`CaseEvent`]s, wrapped in a
//! [`RecordedEvent`] that says who did it and when (invariant I5). Storage persists them
//! append-only; the case state is rebuilt by applying them in order ([`crate::Case::replay`]).
//!
//! Each event type is serialised with a stable, versioned tag in the field `type`, e.g.
//! `"goal_agreed.v1"`. A change to an event's shape gets a new tag (`.v2`) and the old one
//! stays readable forever: released tags are never edited.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::closure::{Closure, EsfEntryRecord, ImmediateResult};
use crate::consent::Consent;
use crate::contact::Contact;
use crate::goal::{Goal, GoalChanges, Rating};
use crate::handover::{AttendanceRecord, HandoverTarget};
use crate::ids::{CaseId, ConsentId, GoalId, OutboundReferralId, StaffId, TeamId};
use crate::letter::LetterLanguage;
use crate::outreach::{ContactAttempt, VisitAnnouncement};
use crate::referral::Referral;
use crate::retention::{ErasedEvent, RetentionCategory};
use crate::services::{OutboundReferral, OutboundReferralStatus, SecrecyRelease};
use crate::social_history::{DomainAssessment, LifeDomain};
use crate::text::Text;

/// Which participation terms were explained at enrolment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipationTerms {
    /// Hygiene rules explained.
    pub hygiene_rules: bool,
    /// Data protection explained.
    pub data_protection: bool,
}

impl ParticipationTerms {
    /// Both explained.
    pub const EXPLAINED: Self = Self {
        hygiene_rules: true,
        data_protection: true,
    };

    /// Whether all terms were explained.
    #[must_use]
    pub fn all_explained(self) -> bool {
        self.hygiene_rules && self.data_protection
    }
}

/// Something that happened to a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum CaseEvent {
    /// The Jobcenter referred the client; the case begins.
    #[serde(rename = "referral_received.v1")]
    ReferralReceived {
        /// The referral.
        referral: Referral,
        /// The team the case is assigned to.
        team: Option<TeamId>,
    },
    /// The case was assigned to another team.
    #[serde(rename = "team_assigned.v1")]
    TeamAssigned {
        /// The team.
        team: TeamId,
    },
    /// An announcement letter was recorded.
    #[serde(rename = "visit_announced.v1")]
    VisitAnnounced {
        /// The letter.
        announcement: VisitAnnouncement,
    },
    /// The client's letter language was chosen or changed (`None`: German only).
    #[serde(rename = "letter_language_chosen.v1")]
    LetterLanguageChosen {
        /// The language letters carry beside German.
        language: Option<LetterLanguage>,
    },
    /// A contact attempt was logged.
    #[serde(rename = "contact_attempt_logged.v1")]
    ContactAttemptLogged {
        /// The attempt.
        attempt: ContactAttempt,
    },
    /// The client declined the offer. No reason is stored.
    #[serde(rename = "offer_declined.v1")]
    OfferDeclined {
        /// Day.
        on: NaiveDate,
    },
    /// Outreach ended without reaching the client.
    #[serde(rename = "not_reached.v1")]
    NotReached {
        /// Day.
        on: NaiveDate,
    },
    /// The client agreed and entered the key-worker period.
    #[serde(rename = "enrolled.v1")]
    Enrolled {
        /// Enrolment day (start of the key-worker period).
        on: NaiveDate,
        /// The key worker.
        key_worker: StaffId,
        /// Which terms were explained.
        terms: ParticipationTerms,
        /// The consent to case processing.
        consent: Consent,
    },
    /// The key-worker period was extended.
    #[serde(rename = "period_extended.v1")]
    PeriodExtended {
        /// Planned end before.
        previous_end: NaiveDate,
        /// Planned end after.
        new_end: NaiveDate,
        /// Written reason.
        reason: Text,
        /// Day of the decision.
        on: NaiveDate,
    },
    /// A consent was given.
    #[serde(rename = "consent_given.v1")]
    ConsentGiven {
        /// The consent.
        consent: Consent,
    },
    /// A consent was withdrawn; it no longer applies from `at` on.
    #[serde(rename = "consent_withdrawn.v1")]
    ConsentWithdrawn {
        /// The consent.
        consent: ConsentId,
        /// When.
        at: DateTime<Utc>,
    },
    /// A life domain of the social history was assessed (replaces the earlier assessment of
    /// that domain in the current view; the history keeps both).
    #[serde(rename = "domain_assessed.v1")]
    DomainAssessed {
        /// Life domain.
        domain: LifeDomain,
        /// Assessment.
        assessment: DomainAssessment,
    },
    /// A goal was agreed.
    #[serde(rename = "goal_agreed.v1")]
    GoalAgreed {
        /// The goal.
        goal: Goal,
    },
    /// A goal was changed.
    #[serde(rename = "goal_updated.v1")]
    GoalUpdated {
        /// Which goal.
        goal: GoalId,
        /// What changed.
        changes: GoalChanges,
    },
    /// A goal was rated on the 0–10 scale.
    #[serde(rename = "goal_rated.v1")]
    GoalRated {
        /// Which goal.
        goal: GoalId,
        /// The rating.
        rating: Rating,
    },
    /// A contact was documented.
    #[serde(rename = "contact_recorded.v1")]
    ContactRecorded {
        /// The contact.
        contact: Contact,
    },
    /// A referral out to a specialist service was made.
    #[serde(rename = "referral_out_created.v1")]
    OutboundReferralCreated {
        /// The referral.
        referral: OutboundReferral,
    },
    /// A referral out changed status.
    #[serde(rename = "referral_out_status_changed.v1")]
    OutboundReferralStatusChanged {
        /// Which referral.
        referral: OutboundReferralId,
        /// New status.
        status: OutboundReferralStatus,
        /// Day.
        on: NaiveDate,
    },
    /// A secrecy release for a referral out was recorded.
    #[serde(rename = "secrecy_release_recorded.v1")]
    SecrecyReleaseRecorded {
        /// Which referral.
        referral: OutboundReferralId,
        /// The release.
        release: SecrecyRelease,
    },
    /// A secrecy release was withdrawn.
    #[serde(rename = "secrecy_release_withdrawn.v1")]
    SecrecyReleaseWithdrawn {
        /// Which referral.
        referral: OutboundReferralId,
        /// Day.
        on: NaiveDate,
    },
    /// Information was passed on to the service of a referral out, under a valid secrecy
    /// release (rule R22).
    #[serde(rename = "disclosure_recorded.v1")]
    DisclosureRecorded {
        /// Which referral.
        referral: OutboundReferralId,
        /// Day.
        on: NaiveDate,
        /// What was passed on.
        information: Text,
    },
    /// The client paused participation (not a sanction; the clock runs on).
    #[serde(rename = "participation_paused.v1")]
    ParticipationPaused {
        /// First day of the pause.
        from: NaiveDate,
    },
    /// The client takes part again.
    #[serde(rename = "participation_resumed.v1")]
    ParticipationResumed {
        /// Day participation resumed.
        on: NaiveDate,
    },
    /// The case was handed over inside the project.
    #[serde(rename = "handed_over.v1")]
    HandedOver {
        /// To whom.
        target: HandoverTarget,
        /// The new responsible staff member, if the key worker changes.
        to: Option<StaffId>,
        /// Day.
        on: NaiveDate,
        /// A note for the handover talk; absent in events recorded before notes existed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<Text>,
    },
    /// A team lead assigned a different key worker.
    #[serde(rename = "key_worker_changed.v1")]
    KeyWorkerChanged {
        /// The new key worker.
        to: StaffId,
    },
    /// Attendance at a Phase 2 group session was recorded.
    #[serde(rename = "attendance_recorded.v1")]
    AttendanceRecorded {
        /// The record.
        record: AttendanceRecord,
    },
    /// The ESF Plus entry data were recorded.
    #[serde(rename = "esf_entry_recorded.v1")]
    EsfEntryRecorded {
        /// The data.
        record: EsfEntryRecord,
    },
    /// The case was closed.
    #[serde(rename = "closed.v1")]
    Closed {
        /// Closure data.
        closure: Closure,
    },
    /// The ESF immediate result after exit was recorded.
    #[serde(rename = "immediate_result_recorded.v1")]
    ImmediateResultRecorded {
        /// The result.
        result: ImmediateResult,
    },
    /// A team lead reopened the case.
    #[serde(rename = "reopened.v1")]
    Reopened {
        /// Day.
        on: NaiveDate,
    },
    /// A report was sent to the Jobcenter; its PDF is kept by storage under
    /// `report.document`.
    #[serde(rename = "jobcenter_report_sent.v1")]
    JobcenterReportSent {
        /// The record.
        report: crate::report::SentReport,
    },
    /// What is left of an event whose content was erased: its tag and category, nothing
    /// else. Storage writes it in place of the erased event; applying it changes nothing.
    #[serde(rename = "redacted.v1")]
    Redacted {
        /// The tag the erased event had.
        tag: String,
        /// The category it was erased under.
        category: RetentionCategory,
    },
    /// The content of a category was erased (retention rule or Art. 17 request): which
    /// events, under which category and basis. Never the content.
    #[serde(rename = "content_erased.v1")]
    ContentErased {
        /// The category.
        category: RetentionCategory,
        /// The retention rule or request (German, no content).
        basis: String,
        /// Day.
        on: NaiveDate,
        /// The events redacted, with the hashes they had.
        events: Vec<ErasedEvent>,
    },
    /// Processing of the case was restricted (Art. 18 GDPR or a duty that keeps the data past
    /// their purpose): sealed from lists, search, reports and statistics.
    #[serde(rename = "restricted.v1")]
    Restricted {
        /// The category whose duty keeps the data.
        category: RetentionCategory,
        /// The retention rule or request (German).
        basis: String,
        /// Day.
        on: NaiveDate,
    },
}

impl CaseEvent {
    /// This event as `reader` may read it in the case history: a recorded contact in a
    /// compartment the reader does not read loses its content (rule R14, see
    /// [`Contact::for_reader`]); every other event is returned unchanged.
    #[must_use]
    pub fn for_reader(&self, reader: Option<&crate::staff::Actor>) -> Self {
        match self {
            Self::ContactRecorded { contact } => Self::ContactRecorded {
                contact: contact.for_reader(reader),
            },
            other => other.clone(),
        }
    }

    /// The stable, versioned tag of this event, as stored in the `type` field.
    #[must_use]
    pub fn tag(&self) -> &'static str {
        match self {
            Self::ReferralReceived { .. } => "referral_received.v1",
            Self::TeamAssigned { .. } => "team_assigned.v1",
            Self::VisitAnnounced { .. } => "visit_announced.v1",
            Self::LetterLanguageChosen { .. } => "letter_language_chosen.v1",
            Self::ContactAttemptLogged { .. } => "contact_attempt_logged.v1",
            Self::OfferDeclined { .. } => "offer_declined.v1",
            Self::NotReached { .. } => "not_reached.v1",
            Self::Enrolled { .. } => "enrolled.v1",
            Self::PeriodExtended { .. } => "period_extended.v1",
            Self::ConsentGiven { .. } => "consent_given.v1",
            Self::ConsentWithdrawn { .. } => "consent_withdrawn.v1",
            Self::DomainAssessed { .. } => "domain_assessed.v1",
            Self::GoalAgreed { .. } => "goal_agreed.v1",
            Self::GoalUpdated { .. } => "goal_updated.v1",
            Self::GoalRated { .. } => "goal_rated.v1",
            Self::ContactRecorded { .. } => "contact_recorded.v1",
            Self::OutboundReferralCreated { .. } => "referral_out_created.v1",
            Self::OutboundReferralStatusChanged { .. } => "referral_out_status_changed.v1",
            Self::SecrecyReleaseRecorded { .. } => "secrecy_release_recorded.v1",
            Self::SecrecyReleaseWithdrawn { .. } => "secrecy_release_withdrawn.v1",
            Self::DisclosureRecorded { .. } => "disclosure_recorded.v1",
            Self::ParticipationPaused { .. } => "participation_paused.v1",
            Self::ParticipationResumed { .. } => "participation_resumed.v1",
            Self::HandedOver { .. } => "handed_over.v1",
            Self::KeyWorkerChanged { .. } => "key_worker_changed.v1",
            Self::AttendanceRecorded { .. } => "attendance_recorded.v1",
            Self::EsfEntryRecorded { .. } => "esf_entry_recorded.v1",
            Self::Closed { .. } => "closed.v1",
            Self::ImmediateResultRecorded { .. } => "immediate_result_recorded.v1",
            Self::Reopened { .. } => "reopened.v1",
            Self::JobcenterReportSent { .. } => "jobcenter_report_sent.v1",
            Self::Redacted { .. } => "redacted.v1",
            Self::ContentErased { .. } => "content_erased.v1",
            Self::Restricted { .. } => "restricted.v1",
        }
    }

    /// Whether the event belongs to the counselling content that needs an enrolled client
    /// (invariant I2).
    #[must_use]
    pub fn is_counselling_content(&self) -> bool {
        matches!(
            self,
            Self::DomainAssessed { .. }
                | Self::GoalAgreed { .. }
                | Self::GoalUpdated { .. }
                | Self::GoalRated { .. }
                | Self::ContactRecorded { .. }
        )
    }
}

/// An event as it is stored: the case, its position in the case history, who and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedEvent {
    /// The case.
    pub case_id: CaseId,
    /// Position in the case history, starting at 1. After applying it, the case has this
    /// version.
    pub sequence: u64,
    /// When the command was accepted (the command's `now`).
    pub recorded_at: DateTime<Utc>,
    /// Who gave the command.
    pub actor: StaffId,
    /// What happened.
    pub event: CaseEvent,
}
