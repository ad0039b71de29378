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
    /// The version of the consent text the client agreed to ([`ConsentText`]); consents
    /// recorded before texts were versioned have version 1.
    #[serde(default = "first_version")]
    pub text_version: u32,
}

fn first_version() -> u32 {
    1
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

/// The wording of a consent as the client reads and signs it, in one version.
///
/// Texts are part of the code and **immutable once released**: a changed wording is a new
/// version appended to [`ConsentText::ALL`], never an edit (a test pins every released text).
/// Each consent records the version it was given under ([`Consent::text_version`]), so a
/// receipt prints what the client actually agreed to, years later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ConsentText {
    /// The purpose.
    pub purpose: ConsentPurpose,
    /// The version, from 1.
    pub version: u32,
    /// What the consent covers, in German.
    pub de: &'static str,
    /// What the consent covers, in English.
    pub en: &'static str,
}

impl ConsentText {
    /// Every released text, oldest version first per purpose.
    pub const ALL: &'static [ConsentText] = &[
        ConsentText {
            purpose: ConsentPurpose::CaseProcessing,
            version: 1,
            de: "Ich nehme freiwillig an der Beratung teil. Ich willige ein, dass der Träger meine Angaben und die Aufzeichnungen der Beratung speichert und verarbeitet, soweit es für meine Begleitung nötig ist. Ich kann die Einwilligung jederzeit widerrufen; die Teilnahme endet dann, ohne dass mir daraus ein Nachteil entsteht.",
            en: "I take part in the counselling voluntarily. I consent to the provider storing and processing my details and the records of the counselling as far as my support needs them. I can withdraw this consent at any time; participation then ends without any disadvantage to me.",
        },
        ConsentText {
            purpose: ConsentPurpose::EsfData,
            version: 1,
            de: "Ich willige ein, dass meine Angaben zum Eintritt und Austritt (Teilnehmendendaten) für die Berichterstattung an den Europäischen Sozialfonds Plus erhoben und pseudonymisiert übermittelt werden.",
            en: "I consent to my entry and exit details (participant data) being collected for reporting to the European Social Fund Plus and transmitted in pseudonymised form.",
        },
        ConsentText {
            purpose: ConsentPurpose::JobcenterParticipation,
            version: 1,
            de: "Ich willige ein, dass dem Jobcenter meine Teilnahme bestätigt wird: Beginn, zuständige Bezugsperson und geplantes Ende. Inhalte der Beratung werden dabei nicht mitgeteilt.",
            en: "I consent to my participation being confirmed to the Jobcenter: start, key worker and planned end. No counselling content is passed on.",
        },
        ConsentText {
            purpose: ConsentPurpose::JobcenterProgress,
            version: 1,
            de: "Ich willige ein, dass das Jobcenter einen Entwicklungsbericht erhält: an welchen Lebensbereichen wir arbeiten und wie weit die Ziele erreicht sind. Ich sehe den Bericht, bevor er versandt wird.",
            en: "I consent to the Jobcenter receiving a progress report: which areas of life we work on and how far the goals are reached. I see the report before it is sent.",
        },
        ConsentText {
            purpose: ConsentPurpose::JobcenterExit,
            version: 1,
            de: "Ich willige ein, dass das Jobcenter bei meinem Austritt einen Abschlussbericht erhält: Ende, Austrittsgrund und Ergebnis.",
            en: "I consent to the Jobcenter receiving an exit report when I leave: end date, reason for leaving and result.",
        },
        ConsentText {
            purpose: ConsentPurpose::JobcenterHealthInformation,
            version: 1,
            de: "Ich willige ausdrücklich ein, dass dem Jobcenter gesundheitsbezogene Angaben mitgeteilt werden, die ich im Einzelnen benannt habe (Art. 9 Abs. 2 lit. a DSGVO), zum Beispiel ein laufender Rentenantrag.",
            en: "I explicitly consent to health-related information that I have named being passed to the Jobcenter (Art. 9(2)(a) GDPR), for example a pending pension application.",
        },
    ];

    /// The text released last for `purpose` (what a new consent is given under).
    #[must_use]
    pub fn current(purpose: ConsentPurpose) -> &'static ConsentText {
        Self::ALL
            .iter()
            .filter(|t| t.purpose == purpose)
            .max_by_key(|t| t.version)
            .unwrap_or(&Self::ALL[0])
    }

    /// The text of `purpose` in `version`, if released.
    #[must_use]
    pub fn of(purpose: ConsentPurpose, version: u32) -> Option<&'static ConsentText> {
        Self::ALL
            .iter()
            .find(|t| t.purpose == purpose && t.version == version)
    }

    /// The wording in `lang`.
    #[must_use]
    pub fn text(&self, lang: crate::vocab::Lang) -> &'static str {
        match lang {
            crate::vocab::Lang::De => self.de,
            crate::vocab::Lang::En => self.en,
        }
    }
}

/// What a receipt confirms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptKind {
    /// The consent was given.
    Given,
    /// The consent was withdrawn.
    Withdrawn,
}

/// A receipt of a consent given or withdrawn, for the client to keep: purpose, scope (the
/// text agreed to), form, dates and text version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentReceipt {
    /// Given or withdrawn.
    pub kind: ReceiptKind,
    /// The case.
    pub case_id: crate::ids::CaseId,
    /// The client, as the letter names them ("Given Family").
    pub client: String,
    /// The consent.
    pub consent: ConsentId,
    /// The purpose.
    pub purpose: ConsentPurpose,
    /// How it was given.
    pub form: ConsentForm,
    /// The day it was given.
    pub given_on: NaiveDate,
    /// When it was withdrawn, for a withdrawal receipt.
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// The version of the text.
    pub text_version: u32,
    /// The text agreed to, in the receipt's language (empty if the version is unknown).
    pub text: &'static str,
}

/// The receipt of consent `id` of `case` in `lang`: of the withdrawal if it was withdrawn,
/// else of its giving. `None` for an id the case does not have.
#[must_use]
pub fn receipt(
    case: &crate::case::Case,
    id: ConsentId,
    lang: crate::vocab::Lang,
) -> Option<ConsentReceipt> {
    let c = case.consents.iter().find(|c| c.id == id)?;
    Some(ConsentReceipt {
        kind: if c.withdrawn_at.is_some() {
            ReceiptKind::Withdrawn
        } else {
            ReceiptKind::Given
        },
        case_id: case.id,
        client: case.referral.client.full_name(),
        consent: c.id,
        purpose: c.purpose,
        form: c.form,
        given_on: c.given_on,
        withdrawn_at: c.withdrawn_at,
        text_version: c.text_version,
        text: ConsentText::of(c.purpose, c.text_version).map_or("", |t| t.text(lang)),
    })
}
