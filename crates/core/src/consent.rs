//! Consents (*Einwilligungen*, rule R12): one purpose each, dated, revocable.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::ConsentId;
use crate::vocab::vocabulary;

vocabulary! {
    /// What a consent covers. Each transfer to the Jobcenter has its own purpose, so that a
    /// client can agree to a participation confirmation without agreeing to a progress report.
    pub enum ConsentPurpose {
        /// Participation and case processing (required for enrolment).
        CaseProcessing = "case_processing", "Teilnahme und Fallbearbeitung", "Participation and case processing";
        /// ESF Plus participant data, where the programme collects them by consent.
        EsfData = "esf_data", "ESF-Plus-Teilnehmendendaten", "ESF Plus participant data";
        /// Confirming participation (start, key worker, planned end) to the Jobcenter.
        JobcenterParticipation = "jobcenter_participation", "Teilnahmebestätigung an das Jobcenter", "Participation confirmation to the Jobcenter";
        /// A progress report to the Jobcenter (domains worked on, goal progress).
        JobcenterProgress = "jobcenter_progress", "Entwicklungsbericht an das Jobcenter", "Progress report to the Jobcenter";
        /// The exit report to the Jobcenter (end date, exit reason, result).
        JobcenterExit = "jobcenter_exit", "Abschlussbericht an das Jobcenter", "Exit report to the Jobcenter";
        /// Explicit consent to tell the Jobcenter health-related facts (GDPR Art. 9), such as
        /// a pending reduced-earning-capacity pension application.
        JobcenterHealthInformation = "jobcenter_health", "Gesundheitsbezogene Angaben an das Jobcenter", "Health-related information to the Jobcenter";
    }
}

vocabulary! {
    /// How a consent was given (§67b(2) SGB X).
    pub enum ConsentForm {
        /// Signed on paper.
        Written = "written", "schriftlich", "Written";
        /// Given electronically.
        Electronic = "electronic", "elektronisch", "Electronic";
    }
}

/// A consent on record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    /// Id.
    pub id: ConsentId,
    /// Purpose.
    pub purpose: ConsentPurpose,
    /// Form.
    pub form: ConsentForm,
    /// Date the client gave it.
    pub given_on: NaiveDate,
    /// When it was withdrawn, if it was. Withdrawal takes effect from then on.
    pub withdrawn_at: Option<DateTime<Utc>>,
}

impl Consent {
    /// Whether the consent is in force at `at`.
    /// The day it was given is compared with `at`'s calendar day in `at`'s own offset, so pass
    /// the installation's local time (a consent given today is in force at 00:15 local time).
    #[must_use]
    pub fn is_active_at<Tz: TimeZone>(&self, at: DateTime<Tz>) -> bool {
        self.in_force(at.date_naive(), at.to_utc())
    }

    /// Whether the consent is in force at `at`, whose local day on the installation's
    /// calendar is `day` (see [`crate::calendar::LocalCalendar`]).
    #[must_use]
    pub fn in_force(&self, day: NaiveDate, at: DateTime<Utc>) -> bool {
        self.given_on <= day && self.withdrawn_at.is_none_or(|w| at < w)
    }
}
