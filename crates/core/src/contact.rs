//! Step 7 of the process: contacts (*Kontakte*) and their notes.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::ContactId;
use crate::social_history::LifeDomain;
use crate::text::Text;
use crate::vocab::vocabulary;

vocabulary! {
    /// What kind of contact it was.
    pub enum ContactKind {
        /// Home visit.
        HomeVisit = "home_visit", "Hausbesuch", "Home visit";
        /// In the office.
        Office = "office", "Büro", "Office";
        /// By phone.
        Phone = "phone", "Telefon", "Phone";
        /// By video.
        Video = "video", "Video", "Video";
        /// Accompanying the client to an authority.
        Accompaniment = "accompaniment", "Begleitung zu einer Behörde", "Accompaniment to an authority";
        /// A group session.
        GroupSession = "group_session", "Gruppenangebot", "Group session";
    }
}

vocabulary! {
    /// Who may read a contact's note.
    pub enum NoteCompartment {
        /// The team working on the case.
        CaseTeam = "case_team", "Fallteam", "Case team";
        /// Psychologists only (rule R14).
        Psychologist = "psychologist", "nur Psycholog*innen", "Psychologists only";
    }
}

/// A documented contact with the client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// Id.
    pub id: ContactId,
    /// Date.
    pub date: NaiveDate,
    /// Duration in minutes.
    pub duration_minutes: u32,
    /// Kind.
    pub kind: ContactKind,
    /// Who took part besides the client (roles or names of professionals, e.g. "Vermieter").
    pub participants: Option<Text>,
    /// Life-domain topics.
    pub topics: Vec<LifeDomain>,
    /// What was agreed.
    pub agreements: Option<Text>,
    /// Next steps.
    pub next_steps: Option<Text>,
    /// The note.
    pub note: Option<Text>,
    /// Who may read the note.
    pub compartment: NoteCompartment,
}

/// The compartment a contact's note lands in when `author` records it asking for
/// `requested` (rule R14, process §7): a note written by an active psychologist is readable by
/// psychologists only unless the psychologist explicitly shares it with the case team
/// (`share_with_team`); anyone else writes into the compartment asked for (and only
/// psychologists may ask for theirs, which the command refuses otherwise). Asking for the
/// psychologist compartment always wins over sharing.
#[must_use]
pub fn compartment_for(
    author: &crate::staff::Actor,
    requested: NoteCompartment,
    share_with_team: bool,
) -> NoteCompartment {
    let psychologist = author.reads_compartment(NoteCompartment::Psychologist);
    match requested {
        NoteCompartment::Psychologist => NoteCompartment::Psychologist,
        NoteCompartment::CaseTeam if psychologist && !share_with_team => {
            NoteCompartment::Psychologist
        }
        NoteCompartment::CaseTeam => NoteCompartment::CaseTeam,
    }
}

impl Contact {
    /// This contact as `reader` may read it (rule R14). A contact in a compartment the
    /// reader does not read keeps only that it happened: date, duration, kind and
    /// compartment; its note, participants, topics, agreements and next steps are removed.
    /// `None` is a reader nobody knows (e.g. a command line run without `--as`), who reads
    /// the case team's contacts only.
    ///
    /// Every frontend shows contacts through this function (directly or through
    /// [`Case::for_reader`](crate::case::Case::for_reader)), so no frontend can forget the rule.
    #[must_use]
    pub fn for_reader(&self, reader: Option<&crate::staff::Actor>) -> Self {
        let readable = match reader {
            Some(r) => r.reads_compartment(self.compartment),
            None => self.compartment == NoteCompartment::CaseTeam,
        };
        if readable {
            return self.clone();
        }
        Self {
            participants: None,
            topics: Vec::new(),
            agreements: None,
            next_steps: None,
            note: None,
            ..self.clone()
        }
    }

    /// Whether [`Contact::for_reader`] withholds this contact's content from `reader`.
    #[must_use]
    pub fn withheld_from(&self, reader: Option<&crate::staff::Actor>) -> bool {
        match reader {
            Some(r) => !r.reads_compartment(self.compartment),
            None => self.compartment != NoteCompartment::CaseTeam,
        }
    }
}
