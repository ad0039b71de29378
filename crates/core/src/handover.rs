//! Step 9 of the process: handovers inside the project and Phase 2 group work.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::GroupSessionId;
use crate::text::Text;
use crate::vocab::vocabulary;

vocabulary! {
    /// Where a participant is in the project.
    pub enum Phase {
        /// Phase 1: individual key-worker counselling.
        Phase1 = "phase1", "Phase 1", "Phase 1";
        /// Phase 2: group presence (breakfast, workshop, coaching, excursions).
        Phase2 = "phase2", "Phase 2", "Phase 2";
    }
}

vocabulary! {
    /// To whom a case is handed over inside the project.
    pub enum HandoverTarget {
        /// A job coach (path to insured employment).
        JobCoach = "job_coach", "Jobcoach", "Job coach";
        /// A psychologist.
        Psychologist = "psychologist", "Psycholog*in", "Psychologist";
        /// Phase 2 group presence.
        Phase2 = "phase2", "Phase 2", "Phase 2";
    }
}

vocabulary! {
    /// Kind of Phase 2 group session.
    pub enum GroupSessionKind {
        /// Breakfast.
        Breakfast = "breakfast", "Frühstück", "Breakfast";
        /// Workshop.
        Workshop = "workshop", "Werkstatt", "Workshop";
        /// Group coaching.
        Coaching = "coaching", "Coaching", "Coaching";
        /// Excursion.
        Excursion = "excursion", "Ausflug", "Excursion";
    }
}

/// A Phase 2 group session (*Gruppentermin*). Sessions live outside cases; a case records its
/// participant's attendance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSession {
    /// Id.
    pub id: GroupSessionId,
    /// Kind.
    pub kind: GroupSessionKind,
    /// Date.
    pub date: NaiveDate,
    /// Title, e.g. "Frühstück im Stadtteilladen".
    pub title: Text,
}

vocabulary! {
    /// Attendance at a group session (rule R23). Kept for day structure and funding evidence,
    /// never as sanction evidence, so there is no "unexcused".
    pub enum Attendance {
        /// Present.
        Present = "present", "anwesend", "Present";
        /// Not present.
        Absent = "absent", "nicht anwesend", "Absent";
    }
}

/// A participant's attendance record for one session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceRecord {
    /// The session.
    pub session: GroupSessionId,
    /// Session date (copied for reports).
    pub date: NaiveDate,
    /// Kind (copied for reports).
    pub kind: GroupSessionKind,
    /// Attendance.
    pub attendance: Attendance,
}
