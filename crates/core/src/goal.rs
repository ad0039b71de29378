//! Step 6 of the process: the goal agreement (*Zielvereinbarung*).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{GoalId, StaffId};
use crate::social_history::LifeDomain;
use crate::text::{Scale, Text};
use crate::vocab::vocabulary;

vocabulary! {
    /// Who is responsible for a goal.
    pub enum ResponsibleParty {
        /// The client.
        Client = "client", "Klient*in", "Client";
        /// The key worker.
        KeyWorker = "key_worker", "Bezugsberater*in", "Key worker";
        /// A specialist service.
        SpecialistService = "specialist_service", "Fachstelle", "Specialist service";
    }
}

vocabulary! {
    /// Where a goal stands.
    pub enum GoalStatus {
        /// Agreed, not started.
        Open = "open", "offen", "Open";
        /// Being worked on.
        InProgress = "in_progress", "in Arbeit", "In progress";
        /// Achieved.
        Achieved = "achieved", "erreicht", "Achieved";
        /// Partly achieved.
        PartlyAchieved = "partly_achieved", "teilweise erreicht", "Partly achieved";
        /// Not achieved.
        NotAchieved = "not_achieved", "nicht erreicht", "Not achieved";
        /// Dropped by agreement.
        Dropped = "dropped", "verworfen", "Dropped";
    }
}

impl GoalStatus {
    /// Whether the goal is still being pursued (and so has review dates).
    #[must_use]
    pub fn is_active(self) -> bool {
        matches!(self, Self::Open | Self::InProgress)
    }
}

/// A 0–10 scaling rating of a goal on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    /// Date of the rating.
    pub on: NaiveDate,
    /// The rating.
    pub value: Scale,
    /// Who recorded it.
    pub recorded_by: StaffId,
}

/// A goal agreed with the client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    /// Id.
    pub id: GoalId,
    /// Life domain.
    pub domain: LifeDomain,
    /// The goal in the client's plain words.
    pub wording: Text,
    /// How everyone will know it is reached.
    pub criterion: Text,
    /// Who is responsible.
    pub responsible: ResponsibleParty,
    /// Next review date.
    pub review_date: NaiveDate,
    /// Status.
    pub status: GoalStatus,
    /// Ratings over time, oldest first.
    pub ratings: Vec<Rating>,
    /// Date agreed.
    pub agreed_on: NaiveDate,
}

/// The fields of a goal that can be changed after it was agreed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalChanges {
    /// New wording.
    pub wording: Option<Text>,
    /// New criterion.
    pub criterion: Option<Text>,
    /// New responsible party.
    pub responsible: Option<ResponsibleParty>,
    /// New review date.
    pub review_date: Option<NaiveDate>,
    /// New status.
    pub status: Option<GoalStatus>,
}

impl GoalChanges {
    /// Whether nothing would change.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.wording.is_none()
            && self.criterion.is_none()
            && self.responsible.is_none()
            && self.review_date.is_none()
            && self.status.is_none()
    }
}
