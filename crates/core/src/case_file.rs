//! The case file as one reader sees it, in one language: the one model every renderer shows.
//!
//! [`build_for`] computes, from a [`Case`], what a case file shows to a given reader in a
//! given [`Lang`] on a given [`Medium`]: the [`Section`]s in order, each [`Fact`] with its
//! stable key, its label and a typed [`Value`], and what is withheld and why ([`Withheld`]).
//! [`timeline`] turns a case history into one [`TimelineLine`] per event, and [`describe`] is
//! the only place that words an event type: a new [`CaseEvent`](crate::event::CaseEvent) variant does not compile
//! until it is described there.
//!
//! The CLI's text and JSON, the web frontend's pages and any document render this model;
//! none of them words a section or an event type of its own. Names of staff, teams and
//! services come from the frontend's directory through the small [`Names`] trait, so the
//! module stays pure.
//!
//! What the reader may read is core's access policy ([`crate::access`]): a reader who may not
//! read the case gets the policy's refusal; contacts in a compartment the reader does not
//! read (rule R14) keep their date and length and lose their content, with a [`Withheld`]
//! entry saying so; on paper the psychologist compartment is left out altogether, even for a
//! psychologist, because a printout may leave the office.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::Serialize;

use crate::access::{self, AccessDenied};
use crate::case::Case;
use crate::contact::{Contact, NoteCompartment};
use crate::event::RecordedEvent;
use crate::ids::{ServiceId, StaffId, TeamId};
use crate::staff::Actor;
use crate::vocab::{Labelled, Lang, vocabulary};

mod describe;
mod sections;
mod summary;

pub use describe::{EventLine, describe};
pub use summary::{SummaryDocument, SummarySection, summary_document};

/// Names of staff, teams and services by id, as the frontend's directory knows them.
/// `None` for an id the directory does not know (the model then shows a dash).
pub trait Names {
    /// A staff member's display name.
    fn staff(&self, id: StaffId) -> Option<String>;
    /// A team's name.
    fn team(&self, id: TeamId) -> Option<String>;
    /// A specialist service's name.
    fn service(&self, id: ServiceId) -> Option<String>;
    /// How to reach a specialist service, as the directory holds it now (the referral-out
    /// entries show it); `None` by default, for a directory that keeps only names.
    fn service_details(&self, id: ServiceId) -> Option<crate::services::ServiceDetails> {
        let _ = id;
        None
    }
}

/// Where the case file is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Medium {
    /// On a screen (CLI, web page): what the reader may read.
    Screen,
    /// On paper or in a file that may leave the office (print view, PDF): never the
    /// psychologist compartment.
    Paper,
}

/// Who reads the case file, in which language, where and when.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    /// The reader; the access policy decides what they see.
    pub reader: &'a Actor,
    /// The language of labels and lines.
    pub lang: Lang,
    /// Screen or paper.
    pub medium: Medium,
    /// Now, on the installation's wall clock (whether a consent is in force).
    pub now: DateTime<FixedOffset>,
}

vocabulary! {
    /// The sections of a case file, in the order a case file shows them.
    pub enum SectionKey {
        /// Status, phase, team, key worker, version, end.
        Overview = "overview", "Überblick", "Overview";
        /// The client's identity and contact data.
        Client = "client", "Klient*in", "Client";
        /// The Jobcenter's referral.
        Referral = "referral", "Zuweisung", "Referral";
        /// Announcement letters.
        Letters = "letters", "Ankündigungsschreiben", "Announcement letters";
        /// Contact attempts.
        Attempts = "attempts", "Kontaktversuche", "Contact attempts";
        /// Enrolment into the key-worker period.
        Enrolment = "enrolment", "Aufnahme", "Enrolment";
        /// The key-worker period and its extensions.
        Period = "period", "Bezugsberatung", "Key-worker period";
        /// Pauses of participation.
        Pauses = "pauses", "Pausen", "Pauses";
        /// Consents.
        Consents = "consents", "Einwilligungen", "Consents";
        /// ESF Plus entry data.
        EsfEntry = "esf_entry", "ESF-Plus-Eintrittsdaten", "ESF Plus entry data";
        /// Social history.
        SocialHistory = "social_history", "Sozialanamnese", "Social history";
        /// Goals.
        Goals = "goals", "Ziele", "Goals";
        /// Contacts.
        Contacts = "contacts", "Kontakte", "Contacts";
        /// Referrals out to specialist services.
        ReferralsOut = "referrals_out", "Weitervermittlungen", "Referrals out";
        /// Releases from professional secrecy of the referrals out (entry id: the referral).
        SecrecyReleases = "secrecy_releases", "Schweigepflichtentbindungen", "Secrecy releases";
        /// What was passed on to the services (entry id: the referral).
        Disclosures = "disclosures", "An Fachstellen weitergegeben", "Passed on to services";
        /// Handovers inside the project.
        Handovers = "handovers", "Übergaben", "Handovers";
        /// Phase 2 attendance.
        Attendance = "attendance", "Anwesenheit Phase 2", "Phase 2 attendance";
        /// The closure in force.
        Closure = "closure", "Abschluss", "Closure";
        /// Closures a reopening undid.
        PreviousClosures = "previous_closures", "Frühere Abschlüsse (wieder aufgenommen)", "Previous closures (reopened)";
        /// Reports recorded as sent to the Jobcenter (entry id: the kept document).
        SentReports = "sent_reports", "Versendete Berichte an das Jobcenter", "Reports sent to the Jobcenter";
    }
}

vocabulary! {
    /// What a fact is: its stable key (JSON) and its label.
    pub enum FactKey {
        /// Case status.
        Status = "status", "Status", "Status";
        /// Phase.
        Phase = "phase", "Phase", "Phase";
        /// Team.
        Team = "team", "Team", "Team";
        /// Key worker.
        KeyWorker = "key_worker", "Bezugsberater*in", "Key worker";
        /// Version (number of events).
        Version = "version", "Version", "Version";
        /// Day the case ended.
        EndedOn = "ended_on", "Beendet am", "Ended on";
        /// Planned end of the key-worker period.
        PlannedEnd = "planned_end", "Geplantes Ende", "Planned end";
        /// Latest end of the key-worker period.
        LatestEnd = "latest_end", "Spätestes Ende (6 Monate)", "Latest end (6 months)";
        /// Start of the key-worker period.
        Start = "start", "Beginn", "Start";
        /// Name.
        Name = "name", "Name", "Name";
        /// Date of birth.
        DateOfBirth = "date_of_birth", "Geburtsdatum", "Date of birth";
        /// Gender.
        Gender = "gender", "Geschlecht", "Gender";
        /// Postal address.
        Address = "address", "Adresse", "Address";
        /// Phone.
        Phone = "phone", "Telefon", "Phone";
        /// E-mail.
        Email = "email", "E-Mail", "E-mail";
        /// Referring Jobcenter.
        Jobcenter = "jobcenter", "Jobcenter", "Jobcenter";
        /// Case manager at the Jobcenter.
        CaseManager = "case_manager", "Fallmanager*in", "Case manager";
        /// The Jobcenter's customer number.
        CustomerNumber = "customer_number", "Kundennummer", "Customer number";
        /// Day of the referral.
        ReferralDate = "referral_date", "Datum der Zuweisung", "Referral date";
        /// Why the Jobcenter referred.
        ReferralReason = "referral_reason", "Anlass", "Reason";
        /// Legal basis of the referral.
        LegalBasis = "legal_basis", "Rechtsgrundlage", "Legal basis";
        /// Problem areas named by the Jobcenter.
        ProblemAreas = "problem_areas", "Angegebene Problemlagen", "Indicated problem areas";
        /// Date of a letter.
        LetterDate = "letter_date", "Ankündigung vom", "Letter of";
        /// First day of the visit window.
        VisitFrom = "visit_from", "Besuch ab", "Visit from";
        /// Last day of the visit window.
        VisitUntil = "visit_until", "Besuch bis", "Visit until";
        /// The time of day of the visit ("09:00–12:00").
        VisitHours = "visit_hours", "Uhrzeit", "Time of day";
        /// The language letters carry beside German.
        LetterLanguage = "letter_language", "Briefsprache", "Letter language";
        /// When an attempt happened.
        At = "at", "Zeitpunkt", "When";
        /// Contact channel.
        Channel = "channel", "Weg", "Channel";
        /// Outcome of an attempt.
        Outcome = "outcome", "Ergebnis", "Outcome";
        /// Staff member.
        Staff = "staff", "Wer", "Who";
        /// Enrolment day.
        EnrolledOn = "enrolled_on", "Aufnahmedatum", "Enrolment date";
        /// Participation terms explained.
        TermsExplained = "terms_explained", "Teilnahmebedingungen erläutert", "Participation terms explained";
        /// Day of a decision.
        DecidedOn = "decided_on", "Verlängert am", "Extended on";
        /// Planned end before an extension.
        PreviousEnd = "previous_end", "Bisheriges Ende", "Previous end";
        /// Planned end after an extension.
        NewEnd = "new_end", "Neues Ende", "New end";
        /// Written reason of an extension.
        Justification = "justification", "Begründung", "Reason";
        /// First day.
        From = "from", "Von", "From";
        /// Last day.
        Until = "until", "Bis", "Until";
        /// An id.
        Id = "id", "Id", "Id";
        /// Purpose of a consent.
        Purpose = "purpose", "Zweck", "Purpose";
        /// Form of a consent.
        Form = "form", "Form", "Form";
        /// Day something was given.
        GivenOn = "given_on", "Erteilt am", "Given on";
        /// When a consent was withdrawn.
        WithdrawnAt = "withdrawn_at", "Widerrufen", "Withdrawn";
        /// Whether a consent is in force.
        InForce = "in_force", "Gültig", "In force";
        /// Employment status at entry.
        EmploymentStatus = "employment_status", "Erwerbsstatus", "Employment status";
        /// Long-term unemployed.
        LongTermUnemployed = "long_term_unemployed", "Länger als 12 Monate arbeitslos", "Unemployed for more than 12 months";
        /// Highest qualification.
        Education = "education", "Höchster Bildungsabschluss", "Highest qualification";
        /// Citizenship.
        Citizenship = "citizenship", "Staatsangehörigkeit", "Citizenship";
        /// Disability.
        Disability = "disability", "Behinderung", "Disability";
        /// Foreign background.
        ForeignBackground = "foreign_background", "Ausländische Herkunft", "Foreign background";
        /// Minority.
        Minority = "minority", "Minderheit", "Minority";
        /// Homeless.
        Homeless = "homeless", "Obdachlos oder von Wohnungslosigkeit betroffen", "Homeless or excluded from housing";
        /// Rural area (EECO17).
        RuralArea = "rural_area", "Wohnort in ländlichem Gebiet", "Lives in a rural area";
        /// Life domain.
        Domain = "domain", "Lebensbereich", "Life domain";
        /// Need for action.
        Need = "need", "Bedarf", "Need";
        /// Priority.
        Priority = "priority", "Priorität", "Priority";
        /// Source of an account.
        Source = "source", "Quelle", "Source";
        /// The client's own view.
        OwnView = "own_view", "Sicht der Klient*in", "Own view";
        /// Strengths.
        Strengths = "strengths", "Stärken", "Strengths";
        /// A goal's wording.
        Wording = "wording", "Ziel", "Goal";
        /// How the goal's achievement is recognised.
        Criterion = "criterion", "Woran erkennbar", "Criterion";
        /// Who is responsible.
        Responsible = "responsible", "Verantwortlich", "Responsible";
        /// Review day.
        ReviewDate = "review_date", "Überprüfung", "Review";
        /// Day of agreement.
        AgreedOn = "agreed_on", "Vereinbart am", "Agreed on";
        /// Ratings on the 0–10 scale, oldest first.
        Ratings = "ratings", "Skala", "Scale";
        /// A day.
        Date = "date", "Datum", "Date";
        /// Kind.
        Kind = "kind", "Art", "Kind";
        /// Length in minutes.
        Minutes = "minutes", "Minuten", "Minutes";
        /// Participants.
        Participants = "participants", "Beteiligte", "Participants";
        /// Topics.
        Topics = "topics", "Themen", "Topics";
        /// Agreements.
        Agreements = "agreements", "Vereinbarungen", "Agreements";
        /// Next steps.
        NextSteps = "next_steps", "Nächste Schritte", "Next steps";
        /// Note.
        Note = "note", "Notiz", "Note";
        /// The compartment of a note.
        Compartment = "compartment", "Bereich", "Compartment";
        /// Specialist service.
        Service = "service", "Fachstelle", "Service";
        /// Since when a status holds.
        Since = "since", "seit", "since";
        /// A secrecy release.
        SecrecyRelease = "secrecy_release", "Schweigepflichtentbindung", "Secrecy release";
        /// What was passed on to a service.
        PassedOn = "passed_on", "Weitergegeben", "Passed on";
        /// Who receives information under a secrecy release.
        Recipient = "recipient", "Empfänger", "Recipient";
        /// Which information.
        Information = "information", "Informationen", "Information";
        /// One-way or mutual release.
        Direction = "direction", "Richtung", "Direction";
        /// Last day of validity.
        ValidUntil = "valid_until", "Gültig bis", "Valid until";
        /// Day of withdrawal.
        WithdrawnOn = "withdrawn_on", "Widerrufen am", "Withdrawn on";
        /// Handover target.
        Target = "target", "An", "To";
        /// The person responsible before a handover.
        Before = "before", "Bisher zuständig", "Responsible before";
        /// Day a referral out was made.
        MadeOn = "made_on", "Vermittelt am", "Referred on";
        /// The contact person at a specialist service.
        ContactPerson = "contact_person", "Ansprechperson", "Contact person";
        /// A service's opening hours.
        OpeningHours = "opening_hours", "Öffnungszeiten", "Opening hours";
        /// Session kind.
        Session = "session", "Angebot", "Session";
        /// Attendance.
        Attendance = "attendance", "Anwesenheit", "Attendance";
        /// Day of closure.
        ClosedOn = "closed_on", "Enddatum", "End date";
        /// Exit reason.
        ExitReason = "exit_reason", "Austrittsgrund", "Exit reason";
        /// ESF immediate result.
        ImmediateResult = "immediate_result", "Ergebnis innerhalb von 4 Wochen (ESF)", "Result within 4 weeks (ESF)";
        /// Which report went to the Jobcenter.
        ReportKind = "report_kind", "Bericht", "Report";
        /// Day a report was sent.
        SentOn = "sent_on", "Versendet am", "Sent on";
        /// Where a report went.
        SentTo = "sent_to", "An", "To";
        /// The moment whose consents a report was computed for.
        AsOf = "as_of", "Stand", "As of";
        /// SHA-256 of a kept document.
        Sha256 = "sha256", "SHA-256", "SHA-256";
    }
}

vocabulary! {
    /// Why something is not shown to this reader.
    pub enum WithheldReason {
        /// A note in the psychologist compartment, for a reader who is no psychologist (R14).
        PsychologistCompartment = "psychologist_compartment", "Nur für Psycholog*innen (R14)", "Psychologists only (R14)";
        /// The psychologist compartment never goes on paper, whoever prints (R14).
        NotOnPaper = "not_on_paper", "Psychologische Notizen kommen nicht auf Papier (R14)", "Psychologist notes never go on paper (R14)";
    }
}

/// A vocabulary value: its stable key and its label in the file's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Choice {
    /// Stable key.
    pub key: &'static str,
    /// Label.
    pub label: &'static str,
}

impl Choice {
    /// `value` in `lang`.
    #[must_use]
    pub fn of<T: Labelled>(value: T, lang: Lang) -> Self {
        Self {
            key: value.key(),
            label: value.label(lang),
        }
    }
}

/// One rating of a goal on the 0–10 scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RatingPoint {
    /// Day of the rating.
    pub on: NaiveDate,
    /// The value, 0–10.
    pub value: u8,
}

/// The typed value of a fact. Renderers format days and instants (an instant on the
/// installation's wall clock, which core does not know).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Value {
    /// Not given: a dash.
    Missing,
    /// Text.
    Text(String),
    /// A calendar day.
    Date(NaiveDate),
    /// An instant (UTC; shown on the installation's wall clock).
    Instant(DateTime<Utc>),
    /// A vocabulary value.
    Choice(Choice),
    /// Several vocabulary values.
    Choices(Vec<Choice>),
    /// A count or length.
    Number(u64),
    /// Yes, no, or no answer.
    Flag(Option<bool>),
    /// Ratings on the 0–10 scale, oldest first (`6 → 7`).
    Ratings(Vec<RatingPoint>),
    /// Not shown to this reader (see [`CaseFile::withheld`]).
    Withheld,
}

impl Value {
    /// Optional text: [`Value::Missing`] when absent.
    #[must_use]
    pub fn text_of(t: Option<impl ToString>) -> Self {
        t.map_or(Self::Missing, |t| Self::Text(t.to_string()))
    }

    /// An optional day.
    #[must_use]
    pub fn date_of(d: Option<NaiveDate>) -> Self {
        d.map_or(Self::Missing, Self::Date)
    }

    /// The value as text for people in `lang`; `instant` formats instants (the frontends
    /// know the installation's time zone).
    #[must_use]
    pub fn show(&self, lang: Lang, instant: &dyn Fn(DateTime<Utc>) -> String) -> String {
        match self {
            Self::Missing => "–".to_owned(),
            Self::Text(t) => t.clone(),
            Self::Date(d) => date(*d, lang),
            Self::Instant(at) => instant(*at),
            Self::Choice(c) => c.label.to_owned(),
            Self::Choices(cs) if cs.is_empty() => "–".to_owned(),
            Self::Choices(cs) => cs.iter().map(|c| c.label).collect::<Vec<_>>().join(", "),
            Self::Number(n) => n.to_string(),
            Self::Flag(f) => flag(*f, lang).to_owned(),
            Self::Ratings(rs) if rs.is_empty() => "–".to_owned(),
            Self::Ratings(rs) => rs
                .iter()
                .map(|r| r.value.to_string())
                .collect::<Vec<_>>()
                .join(" → "),
            Self::Withheld => match lang {
                Lang::De => "[nur für Psycholog*innen]",
                Lang::En => "[psychologists only]",
            }
            .to_owned(),
        }
    }

    /// Whether the value says nothing (missing, or an empty list).
    #[must_use]
    pub fn is_missing(&self) -> bool {
        match self {
            Self::Missing => true,
            Self::Choices(cs) => cs.is_empty(),
            Self::Ratings(rs) => rs.is_empty(),
            _ => false,
        }
    }
}

/// A day for people: `02.03.2026` in German, ISO `2026-03-02` in English.
#[must_use]
pub fn date(day: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::De => day.format("%d.%m.%Y").to_string(),
        Lang::En => day.format("%Y-%m-%d").to_string(),
    }
}

/// Yes, no or no answer, for people.
#[must_use]
pub fn flag(value: Option<bool>, lang: Lang) -> &'static str {
    match (value, lang) {
        (Some(true), Lang::De) => "ja",
        (Some(true), Lang::En) => "yes",
        (Some(false), Lang::De) => "nein",
        (Some(false), Lang::En) => "no",
        (None, Lang::De) => "keine Angabe",
        (None, Lang::En) => "no answer",
    }
}

/// One labelled fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    /// Stable key.
    pub key: FactKey,
    /// Label in the file's language.
    pub label: &'static str,
    /// The value.
    pub value: Value,
}

/// One item of a listing section (a goal, a contact, …), with its facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The item's id, if it has one (goals, contacts, consents, referrals out).
    pub id: Option<String>,
    /// Its facts, in display order.
    pub facts: Vec<Fact>,
    /// Whether some of its content is withheld from this reader.
    pub withheld: bool,
}

impl Entry {
    /// The fact with `key`.
    #[must_use]
    pub fn fact(&self, key: FactKey) -> Option<&Fact> {
        self.facts.iter().find(|f| f.key == key)
    }
}

/// A section of the case file: facts about the case, or a listing of entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    /// Stable key.
    pub key: SectionKey,
    /// Title in the file's language.
    pub title: &'static str,
    /// Facts of the section (empty for listings).
    pub facts: Vec<Fact>,
    /// Entries of a listing, in display order (empty for fact sections).
    pub entries: Vec<Entry>,
    /// The entries in sentences, where a sentence says more than a table row ("Teilnahme
    /// pausiert seit 23.03.2026 (kein Nachteil; das geplante Ende bleibt)"): text renderers
    /// show these instead of a table of the entries.
    pub lines: Vec<String>,
}

impl Section {
    /// Whether the section has nothing to show (renderers usually leave it out).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.facts.is_empty() && self.entries.is_empty() && self.lines.is_empty()
    }

    /// The fact with `key`.
    #[must_use]
    pub fn fact(&self, key: FactKey) -> Option<&Fact> {
        self.facts.iter().find(|f| f.key == key)
    }
}

/// Something the case file does not show this reader, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Withheld {
    /// The section it belongs to.
    pub section: SectionKey,
    /// The entry's id.
    pub entry: Option<String>,
    /// Why.
    pub reason: WithheldReason,
    /// The reason for people, in the file's language.
    pub explanation: &'static str,
}

/// One line of the case history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineLine {
    /// Position in the history.
    pub sequence: u64,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// Who.
    pub actor: StaffId,
    /// The actor's name, if the directory knows them.
    pub actor_name: Option<String>,
    /// The event's stable tag (`goal_agreed.v1`).
    pub tag: &'static str,
    /// What happened, in the file's language.
    pub title: &'static str,
    /// The details (may be empty).
    pub detail: String,
    /// Whether the event's content is withheld from this reader.
    pub withheld: bool,
}

impl TimelineLine {
    /// Title and detail in one line: "Ziel vereinbart: Wohnen · Wohnung halten".
    #[must_use]
    pub fn text(&self) -> String {
        if self.detail.is_empty() {
            self.title.to_owned()
        } else {
            format!("{}: {}", self.title, self.detail)
        }
    }
}

/// What a case file shows one reader: the sections in order and what is withheld.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseFile {
    /// The client's name, "Family, Given".
    pub title: String,
    /// Every section, in order ([`SectionKey::ALL`]); empty ones included.
    pub sections: Vec<Section>,
    /// What is not shown, and why.
    pub withheld: Vec<Withheld>,
}

impl CaseFile {
    /// The section with `key`.
    #[must_use]
    pub fn section(&self, key: SectionKey) -> Option<&Section> {
        self.sections.iter().find(|s| s.key == key)
    }
}

/// The case file of `case` as `view.reader` may see it, in `view.lang` on `view.medium`.
///
/// The case is filtered for the reader here ([`Case::for_reader`]) whether or not the
/// caller already did.
///
/// # Errors
/// The access policy's refusal when the reader may not read the case
/// ([`AccessDenied::NotVisible`], or [`AccessDenied::Forbidden`] for roles that never read
/// case files).
pub fn build_for(
    case: &Case,
    view: &View<'_>,
    names: &dyn Names,
) -> Result<CaseFile, AccessDenied> {
    may_read(case, view.reader)?;
    let case = case.for_reader(Some(view.reader));
    let mut withheld = Vec::new();
    let sections = SectionKey::ALL
        .iter()
        .map(|key| Section {
            key: *key,
            title: key.label(view.lang),
            facts: sections::facts(*key, &case, view, names),
            entries: sections::entries(*key, &case, view, names, &mut withheld),
            lines: sections::lines(*key, &case, view.lang),
        })
        .collect();
    Ok(CaseFile {
        title: case.referral.client.sort_name(),
        sections,
        withheld,
    })
}

/// The access policy's read refusal for `reader`, if any. A former key worker passes here at
/// any time: the file comes from [`CaseService::read_for`](crate::service::CaseService::read_for),
/// which decided the read-only period with the installation's policy.
fn may_read(case: &Case, reader: &Actor) -> Result<(), AccessDenied> {
    let mut summary = case.summary();
    summary.former_readers = case.former_key_workers.iter().map(|f| f.staff).collect();
    match access::case_access(reader, &summary).read_refusal() {
        Some(refusal) => Err(refusal),
        None => Ok(()),
    }
}

/// The case history of `case` as `view.reader` may read it: one line per event, oldest
/// first. Events are filtered for the reader ([`CaseEvent::for_reader`](crate::event::CaseEvent::for_reader)); on paper a contact
/// of the psychologist compartment is named without its kind even for a psychologist.
///
/// # Errors
/// The access policy's refusal, as [`build_for`].
pub fn timeline(
    case: &Case,
    history: &[RecordedEvent],
    view: &View<'_>,
    names: &dyn Names,
) -> Result<Vec<TimelineLine>, AccessDenied> {
    may_read(case, view.reader)?;
    let subjects = describe::Subjects::of(case, names, view.lang);
    Ok(history
        .iter()
        .map(|ev| {
            let event = ev.event.for_reader(Some(view.reader));
            let line = describe::line(
                &event,
                view.reader,
                view.lang,
                view.medium,
                names,
                &subjects,
            );
            TimelineLine {
                sequence: ev.sequence,
                recorded_at: ev.recorded_at,
                actor: ev.actor,
                actor_name: names.staff(ev.actor),
                tag: ev.event.tag(),
                title: line.title,
                detail: line.detail,
                withheld: line.withheld,
            }
        })
        .collect())
}

/// Whether `contact` is withheld from the viewer: on screen the compartment the reader does
/// not read; on paper the psychologist compartment for everyone.
fn withheld_reason(contact: &Contact, reader: &Actor, medium: Medium) -> Option<WithheldReason> {
    if contact.withheld_from(Some(reader)) {
        Some(WithheldReason::PsychologistCompartment)
    } else if medium == Medium::Paper && contact.compartment == NoteCompartment::Psychologist {
        Some(WithheldReason::NotOnPaper)
    } else {
        None
    }
}
