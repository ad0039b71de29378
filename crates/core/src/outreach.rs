//! Step 2 of the process: outreach (*aufsuchende Arbeit*): the announcement letter and the
//! log of contact attempts, and the configurable rule that ends outreach as *not reached*.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::StaffId;
use crate::vocab::vocabulary;

vocabulary! {
    /// How a contact attempt was made.
    pub enum ContactChannel {
        /// By letter.
        Letter = "letter", "Brief", "Letter";
        /// By phone.
        Phone = "phone", "Telefon", "Phone";
        /// At the door (home visit attempt).
        Doorstep = "doorstep", "Hausbesuch an der Tür", "Doorstep";
        /// A note left at the door or in the letterbox.
        NoteLeft = "note_left", "Zettel an der Tür oder im Briefkasten", "Note at the door or in the letterbox";
        /// SMS or e-mail.
        SmsOrEmail = "sms_email", "SMS/E-Mail", "SMS/e-mail";
    }
}

vocabulary! {
    /// What came of a contact attempt (rule R10).
    pub enum AttemptOutcome {
        /// Nobody met.
        NotMet = "not_met", "nicht angetroffen", "Not met";
        /// A note was left.
        NoteLeft = "note_left", "Nachricht hinterlassen", "Note left";
        /// The client declined the offer. No reason is asked or stored.
        Declined = "declined", "Angebot abgelehnt", "Declined";
        /// The client agreed to take part.
        Agreed = "agreed", "Teilnahme zugesagt", "Agreed";
        /// An appointment was made.
        AppointmentMade = "appointment_made", "Termin vereinbart", "Appointment made";
        /// The client has moved away.
        Moved = "moved", "verzogen", "Moved";
    }
}

impl AttemptOutcome {
    /// Whether the attempt reached the client (a conversation took place).
    #[must_use]
    pub fn reached(self) -> bool {
        matches!(self, Self::Declined | Self::Agreed | Self::AppointmentMade)
    }
}

/// The letter announcing a home visit (*Ankündigungsschreiben*, rule R8).
///
/// Every letter states that taking part is voluntary (rule R5); the bundled letter template
/// does so, and the domain records only dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitAnnouncement {
    /// Date of the letter.
    pub letter_date: NaiveDate,
    /// First day of the announced visit window.
    pub visit_from: NaiveDate,
    /// Last day of the announced visit window.
    pub visit_until: NaiveDate,
    /// The time of day of the visit on each of those days, when the letter names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<VisitHours>,
}

/// The time of day a visit is announced for ("zwischen 09:00 und 12:00 Uhr"), local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitHours {
    /// Earliest time of arrival.
    pub start: NaiveTime,
    /// Latest time of arrival; after `start`.
    pub end: NaiveTime,
}

/// One logged contact attempt (*Kontaktversuch*, rule R10).
///
/// There is deliberately no free-text field: before consent nothing is recorded about the
/// client's home or household (rule R9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactAttempt {
    /// When the attempt was made.
    pub at: DateTime<Utc>,
    /// Channel.
    pub channel: ContactChannel,
    /// Who made it.
    pub staff: StaffId,
    /// What came of it.
    pub outcome: AttemptOutcome,
}

/// When outreach ends as *not reached* (process step 2; configurable per project).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutreachEndRule {
    /// Failed attempts (not met, note left) after which the client counts as not reached.
    pub max_failed_attempts: u32,
    /// Weeks since outreach began without any contact, after which the client counts as not
    /// reached.
    pub max_weeks_without_contact: u32,
}

impl Default for OutreachEndRule {
    /// The default: 3 failed attempts or 6 weeks without contact.
    fn default() -> Self {
        Self {
            max_failed_attempts: 3,
            max_weeks_without_contact: 6,
        }
    }
}
