//! Errors of the domain.
//!
//! [`DomainError`] is an *expected* failure: a command broke a rule of the process. Each
//! variant names the rule (see [`DomainError::rule`]) and has a message a social worker
//! understands, in German and English ([`DomainError::message`]). Unexpected failures (a
//! database is down) are a different type, [`crate::ports::StorageError`], so `?` never turns
//! one into the other.

use chrono::NaiveDate;

use crate::case::CaseStatus;
use crate::consent::ConsentPurpose;
use crate::handover::HandoverTarget;
use crate::letter::LetterLanguage;
use crate::services::OutboundReferralStatus;
use crate::staff::Role;
use crate::vocab::{Labelled, Lang};

/// A field value that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FieldError {
    /// The field must not be empty.
    #[error("must not be empty")]
    Empty,
    /// The text is too long.
    #[error("is longer than {max} characters")]
    TooLong {
        /// Maximum number of characters.
        max: usize,
    },
    /// The value has the wrong form.
    #[error("is not valid: expected {expected}")]
    Invalid {
        /// What was expected, in English.
        expected: &'static str,
        /// What was expected, in German.
        expected_de: &'static str,
    },
    /// The number is out of range.
    #[error("must be between {min} and {max}")]
    OutOfRange {
        /// Minimum.
        min: i64,
        /// Maximum.
        max: i64,
    },
}

impl FieldError {
    /// The message in `lang`.
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::Empty, Lang::De) => "Dieses Feld darf nicht leer sein.".into(),
            (Self::Empty, Lang::En) => "This field must not be empty.".into(),
            (Self::TooLong { max }, Lang::De) => format!("Höchstens {max} Zeichen."),
            (Self::TooLong { max }, Lang::En) => format!("At most {max} characters."),
            (Self::Invalid { expected_de, .. }, Lang::De) => {
                format!("Ungültiger Wert, erwartet: {expected_de}.")
            }
            (Self::Invalid { expected, .. }, Lang::En) => {
                format!("Invalid value, expected: {expected}.")
            }
            (Self::OutOfRange { min, max }, Lang::De) => {
                format!("Erlaubt sind Werte von {min} bis {max}.")
            }
            (Self::OutOfRange { min, max }, Lang::En) => {
                format!("Allowed values are {min} to {max}.")
            }
        }
    }
}

/// A command was refused because it would break a rule of the process.
///
/// `Display` gives a short English description; [`DomainError::message`] gives the full
/// sentence for people, in German or English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DomainError {
    /// The case already exists (process step 1: one referral is one case).
    #[error("the case already exists")]
    CaseAlreadyExists,
    /// The case does not exist yet; only a referral can open one (rule R2).
    #[error("no case exists yet; a case starts with a referral")]
    CaseNotStarted,
    /// The step is not possible in the case's current status.
    #[error("not possible while the case is {status}")]
    WrongStatus {
        /// Current status.
        status: CaseStatus,
    },
    /// Social history, goals and contacts need an enrolled client (invariant I2).
    #[error("social history, goals and contacts are only possible after enrolment")]
    NotEnrolled,
    /// The case is closed; it must be reopened first (process step 10).
    #[error("the case is closed")]
    CaseClosed,
    /// Enrolment needs the participation terms explained (process step 4).
    #[error("participation terms (hygiene rules, data protection) were not explained")]
    TermsNotExplained,
    /// Enrolment needs the consent given on the enrolment day (process step 4).
    #[error("the consent to case processing must be given on the day of enrolment")]
    ConsentNotOnEnrolmentDay,
    /// The assigned staff member lacks the role the step needs.
    #[error("the assigned staff member lacks the role {role}")]
    AssigneeLacksRole {
        /// The role needed.
        role: Role,
    },
    /// The assigned staff member is deactivated.
    #[error("the assigned staff member is deactivated")]
    AssigneeInactive,
    /// The acting person may not do this.
    #[error("not permitted: needs the role {role}")]
    NotPermitted {
        /// The role needed.
        role: Role,
    },
    /// Extension beyond 6 months in total (invariant I3).
    #[error("an extension beyond 6 months is not possible (latest end {latest})")]
    ExtensionBeyondMaximum {
        /// The latest possible planned end.
        latest: NaiveDate,
    },
    /// Extension date is not after the current planned end.
    #[error("the new end must be after the current planned end {planned_end}")]
    ExtensionNotLater {
        /// The current planned end.
        planned_end: NaiveDate,
    },
    /// The outreach end rule is not met yet (process step 2).
    #[error("the outreach end rule is not met yet ({failed_attempts} failed attempts)")]
    OutreachEndRuleNotMet {
        /// Failed attempts so far.
        failed_attempts: u32,
        /// Attempts the rule needs.
        needed_attempts: u32,
        /// Day from which the time rule is met.
        time_rule_met_on: NaiveDate,
    },
    /// A date lies in the future.
    #[error("the date {date} lies in the future")]
    DateInFuture {
        /// The date.
        date: NaiveDate,
    },
    /// A staff member needs at least one role.
    #[error("a staff member needs at least one role")]
    NoRole,
    /// Administration or data protection together with a role that reads case files.
    #[error("the role {overseeing:?} cannot be combined with {case_role:?}")]
    RolesIncompatible {
        /// Administrator or data-protection officer.
        overseeing: Role,
        /// The case-working role.
        case_role: Role,
    },
    /// An administrator deactivating their own account or taking the administrator role
    /// from it ([`crate::staff::check_account`]).
    #[error("an administrator cannot deactivate their own account or drop its administrator role")]
    SelfLockout,
    /// A date of birth that cannot belong to a referred person (process step 1).
    #[error("the date of birth {date} is implausible")]
    ImplausibleDateOfBirth {
        /// The date.
        date: NaiveDate,
    },
    /// A client's e-mail address that has not the form of one (process step 1), e.g. without
    /// `@` ([`crate::referral::check_email`]).
    #[error("the e-mail address {email} is not one")]
    InvalidEmail {
        /// The address as given.
        email: String,
    },
    /// A date lies before the referral or another earlier event.
    #[error("the date {date} lies before {earliest}")]
    DateTooEarly {
        /// The date.
        date: NaiveDate,
        /// The earliest allowed date.
        earliest: NaiveDate,
    },
    /// A date range ends before it starts.
    #[error("the range ends before it starts")]
    InvalidDateRange,
    /// A report's range holds more intervals than one report shows.
    #[error("the range holds more than {max} intervals")]
    TooManyIntervals {
        /// The most intervals a report shows.
        max: usize,
    },
    /// A date is beyond the calendar.
    #[error("the date is out of range")]
    DateOutOfRange,
    /// The step needs an active consent (rule R12).
    #[error("no active consent for {purpose}")]
    ConsentMissing {
        /// The purpose needed.
        purpose: ConsentPurpose,
    },
    /// A consent for this purpose is already active.
    #[error("a consent for {purpose} is already active")]
    ConsentAlreadyActive {
        /// The purpose.
        purpose: ConsentPurpose,
    },
    /// The consent was already withdrawn.
    #[error("the consent was already withdrawn")]
    ConsentAlreadyWithdrawn,
    /// No such consent, goal, contact or referral in this case.
    #[error("no such {what} in this case")]
    NotFound {
        /// What was looked for (English noun).
        what: &'static str,
    },
    /// Something with this id already exists in the case.
    #[error("an entry with this id already exists in the case")]
    DuplicateId,
    /// The update changes nothing.
    #[error("nothing to change")]
    NothingToChange,
    /// The referral-out status flow does not allow this change (process step 8).
    #[error("status {from} cannot change to {to}")]
    ReferralStatusNotAllowed {
        /// Current status.
        from: OutboundReferralStatus,
        /// Requested status.
        to: OutboundReferralStatus,
    },
    /// The specialist service is no longer in the directory.
    #[error("the specialist service is inactive")]
    ServiceInactive,
    /// Participation is paused already.
    #[error("participation is paused already")]
    AlreadyPaused,
    /// There is no pause to end.
    #[error("participation is not paused")]
    NotPaused,
    /// Information may be passed on to a service only under a secrecy release valid on
    /// that day (rule R22).
    #[error("no secrecy release valid on {on} for this referral")]
    NoSecrecyRelease {
        /// The day of the disclosure.
        on: NaiveDate,
    },
    /// A psychologist's note needs the psychologist role (rule R14).
    #[error("only psychologists may write to the psychologist compartment")]
    PsychologistCompartment,
    /// Already handed over that way.
    #[error("already handed over to {target}")]
    AlreadyHandedOver {
        /// The target.
        target: HandoverTarget,
    },
    /// Attendance needs a Phase 2 participant (process step 9).
    #[error("attendance can only be recorded in phase 2")]
    NotInPhase2,
    /// Reopening is only possible within 4 weeks (process step 10).
    #[error("reopening was possible until {deadline}")]
    ReopenWindowExpired {
        /// The last day reopening was possible.
        deadline: NaiveDate,
    },
    /// The ESF exit result needs a closed case.
    #[error("the immediate result can only be recorded for a closed case")]
    NotClosed,
    /// The acting person is deactivated.
    #[error("the acting person is deactivated")]
    ActorInactive,
    /// A contact's duration must be between 1 minute and 24 hours.
    #[error("the duration must be between 1 and 1440 minutes")]
    DurationOutOfRange,
    /// The letter's translation was not checked by a person who speaks the language; it is
    /// printed only on confirmation (process step 2, the announcement letter).
    #[error("the {language} translation of the letter is not reviewed; confirm to print it")]
    UnreviewedTranslation {
        /// The language.
        language: LetterLanguage,
    },
}

impl DomainError {
    /// The rule of the process this error enforces, e.g. `"I3"` or `"process step 4"`.
    #[must_use]
    pub fn rule(&self) -> &'static str {
        match self {
            Self::CaseAlreadyExists | Self::CaseNotStarted => "R2",
            Self::WrongStatus { .. } | Self::CaseClosed => "process lifecycle",
            Self::NotEnrolled => "I2",
            Self::TermsNotExplained
            | Self::ConsentNotOnEnrolmentDay
            | Self::AssigneeLacksRole { .. }
            | Self::AssigneeInactive => "process step 4",
            Self::NotPermitted { .. } => "roles",
            Self::ExtensionBeyondMaximum { .. } | Self::ExtensionNotLater { .. } => "I3",
            Self::OutreachEndRuleNotMet { .. } => "process step 2",
            Self::ImplausibleDateOfBirth { .. } | Self::InvalidEmail { .. } => "process step 1",
            Self::NoRole | Self::RolesIncompatible { .. } | Self::SelfLockout => "roles",
            Self::DateInFuture { .. }
            | Self::DateTooEarly { .. }
            | Self::InvalidDateRange
            | Self::TooManyIntervals { .. }
            | Self::DateOutOfRange => "dates",
            Self::ConsentMissing { .. }
            | Self::ConsentAlreadyActive { .. }
            | Self::ConsentAlreadyWithdrawn => "R12",
            Self::NotFound { .. } | Self::DuplicateId | Self::NothingToChange => "I5",
            Self::ReferralStatusNotAllowed { .. } | Self::ServiceInactive => "process step 8",
            Self::PsychologistCompartment => "R14",
            Self::NoSecrecyRelease { .. } => "R22",
            Self::AlreadyPaused | Self::NotPaused => "process step 4",
            Self::AlreadyHandedOver { .. } | Self::NotInPhase2 => "process step 9",
            Self::ReopenWindowExpired { .. } | Self::NotClosed => "process step 10",
            Self::ActorInactive => "roles",
            Self::DurationOutOfRange => "process step 7",
            Self::UnreviewedTranslation { .. } => "process step 2",
        }
    }

    /// The rule of [`DomainError::rule`] in words for people, in `lang`: "Prozessschritt 4",
    /// "Ablauf", "Rollen", "I3", …
    #[must_use]
    pub fn rule_label(&self, lang: Lang) -> String {
        let rule = self.rule();
        if lang == Lang::En {
            return rule.to_owned();
        }
        if let Some(step) = rule.strip_prefix("process step ") {
            return format!("Prozessschritt {step}");
        }
        match rule {
            "process lifecycle" => "Ablauf des Falls".to_owned(),
            "roles" => "Rollen".to_owned(),
            "dates" => "Datumsangaben".to_owned(),
            other => other.to_owned(),
        }
    }

    /// A full sentence for people, in `lang`.
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        let de = lang == Lang::De;
        let pick = |d: String, e: String| if de { d } else { e };
        match self {
            Self::CaseAlreadyExists => pick(
                "Diesen Fall gibt es bereits.".into(),
                "This case already exists.".into(),
            ),
            Self::CaseNotStarted => pick(
                "Diesen Fall gibt es noch nicht. Ein Fall beginnt mit der Zuweisung durch das Jobcenter.".into(),
                "This case does not exist yet. A case starts with the Jobcenter's referral.".into(),
            ),
            Self::WrongStatus { status } => pick(
                format!("Dieser Schritt ist im Status „{}“ nicht möglich.", status.label(Lang::De)),
                format!("This step is not possible while the case is “{}”.", status.label(Lang::En)),
            ),
            Self::NotEnrolled => pick(
                "Sozialanamnese, Ziele und Kontakte können erst nach der Aufnahme in die Bezugsberatung dokumentiert werden; vorher nur Kontaktversuche.".into(),
                "Social history, goals and contacts can only be recorded after enrolment; before that, only contact attempts.".into(),
            ),
            Self::CaseClosed => pick(
                "Der Fall ist abgeschlossen. Eine Teamleitung kann ihn innerhalb von 4 Wochen wieder öffnen.".into(),
                "The case is closed. A team lead can reopen it within 4 weeks.".into(),
            ),
            Self::TermsNotExplained => pick(
                "Für die Aufnahme müssen die Teilnahmebedingungen (Hygieneregeln und Datenschutz) erläutert worden sein.".into(),
                "Enrolment requires the participation terms (hygiene rules and data protection) to have been explained.".into(),
            ),
            Self::ConsentNotOnEnrolmentDay => pick(
                "Die Einwilligung in die Fallbearbeitung muss am Tag der Aufnahme erteilt werden.".into(),
                "The consent to case processing must be given on the day of enrolment.".into(),
            ),
            Self::AssigneeLacksRole { role } => pick(
                format!("Die ausgewählte Person hat nicht die Rolle „{}“.", role.label(Lang::De)),
                format!("The selected person does not hold the role “{}”.", role.label(Lang::En)),
            ),
            Self::AssigneeInactive => pick(
                "Die ausgewählte Person ist deaktiviert.".into(),
                "The selected person is deactivated.".into(),
            ),
            Self::NotPermitted { role } => pick(
                format!("Dafür ist die Rolle „{}“ nötig.", role.label(Lang::De)),
                format!("This needs the role “{}”.", role.label(Lang::En)),
            ),
            Self::ExtensionBeyondMaximum { latest } => pick(
                format!("Verlängerung über 6 Monate hinaus ist nicht möglich (spätestens bis {}).", latest.format("%d.%m.%Y")),
                format!("An extension beyond 6 months is not possible (at most until {latest})."),
            ),
            Self::ExtensionNotLater { planned_end } => pick(
                format!("Das neue Ende muss nach dem bisher geplanten Ende ({}) liegen.", planned_end.format("%d.%m.%Y")),
                format!("The new end must be after the currently planned end ({planned_end})."),
            ),
            Self::OutreachEndRuleNotMet { failed_attempts, needed_attempts, time_rule_met_on } => pick(
                format!(
                    "„Nicht erreicht“ ist erst nach {needed_attempts} erfolglosen Kontaktversuchen (bisher {failed_attempts}) oder ab dem {} möglich.",
                    time_rule_met_on.format("%d.%m.%Y")
                ),
                format!(
                    "“Not reached” is only possible after {needed_attempts} failed contact attempts (so far {failed_attempts}) or from {time_rule_met_on}."
                ),
            ),
            Self::DateInFuture { date } => pick(
                format!("Das Datum {} liegt in der Zukunft.", date.format("%d.%m.%Y")),
                format!("The date {date} lies in the future."),
            ),
            Self::SelfLockout => pick(
                "Sie können sich nicht selbst deaktivieren oder sich die Rolle Administration entziehen.".to_owned(),
                "You cannot deactivate yourself or remove your own administrator role.".to_owned(),
            ),
            Self::NoRole => pick(
                "Bitte mindestens eine Rolle wählen.".to_owned(),
                "Please choose at least one role.".to_owned(),
            ),
            Self::RolesIncompatible {
                overseeing,
                case_role,
            } => pick(
                format!(
                    "„{}“ und „{}“ gehen nicht zusammen: Wer Konten verwaltet oder die Protokolle prüft, liest keine Fallakten. Bitte für die Fallarbeit ein eigenes Konto anlegen.",
                    overseeing.label(Lang::De),
                    case_role.label(Lang::De)
                ),
                format!(
                    "“{}” and “{}” cannot be combined: whoever manages accounts or audits the logs does not read case files. Please create a separate account for case work.",
                    overseeing.label(Lang::En),
                    case_role.label(Lang::En)
                ),
            ),
            Self::InvalidEmail { email } => pick(
                format!(
                    "„{email}“ ist keine E-Mail-Adresse: erwartet ist eine Adresse wie name@example.org."
                ),
                format!("“{email}” is no e-mail address: expected one such as name@example.org."),
            ),
            Self::ImplausibleDateOfBirth { date } => pick(
                format!(
                    "Das Geburtsdatum {} ist nicht plausibel: erwartet ist ein Jahr ab {} und ein Alter von mindestens {} Jahren.",
                    date.format("%d.%m.%Y"),
                    crate::referral::EARLIEST_BIRTH_YEAR,
                    crate::referral::YOUNGEST_CLIENT_AGE
                ),
                format!(
                    "The date of birth {date} is implausible: expected a year from {} on and an age of at least {}.",
                    crate::referral::EARLIEST_BIRTH_YEAR,
                    crate::referral::YOUNGEST_CLIENT_AGE
                ),
            ),
            Self::DateTooEarly { date, earliest } => pick(
                format!("Das Datum {} liegt vor dem {}.", date.format("%d.%m.%Y"), earliest.format("%d.%m.%Y")),
                format!("The date {date} lies before {earliest}."),
            ),
            Self::InvalidDateRange => pick(
                "Der Zeitraum endet vor seinem Beginn.".into(),
                "The period ends before it starts.".into(),
            ),
            Self::TooManyIntervals { max } => pick(
                format!(
                    "Der Zeitraum hat mehr als {max} Abschnitte: bitte einen kürzeren Zeitraum \
                     oder Quartale bzw. Jahre wählen."
                ),
                format!(
                    "The range has more than {max} intervals: choose a shorter range, or \
                     quarters or years."
                ),
            ),
            Self::DateOutOfRange => pick(
                "Das Datum liegt außerhalb des gültigen Bereichs.".into(),
                "The date is out of range.".into(),
            ),
            Self::ConsentMissing { purpose } => pick(
                format!("Dafür fehlt eine gültige Einwilligung: „{}“.", purpose.label(Lang::De)),
                format!("This needs an active consent: “{}”.", purpose.label(Lang::En)),
            ),
            Self::ConsentAlreadyActive { purpose } => pick(
                format!("Eine Einwilligung „{}“ liegt bereits vor.", purpose.label(Lang::De)),
                format!("A consent “{}” is already active.", purpose.label(Lang::En)),
            ),
            Self::ConsentAlreadyWithdrawn => pick(
                "Diese Einwilligung wurde bereits widerrufen.".into(),
                "This consent was already withdrawn.".into(),
            ),
            Self::NotFound { what } => {
                let german = match *what {
                    "goal" => "Dieses Ziel",
                    "consent" => "Diese Einwilligung",
                    "referral out" => "Diese Weitervermittlung",
                    "secrecy release" => "Diese Schweigepflichtentbindung",
                    _ => "Dieser Eintrag",
                };
                pick(
                    format!("{german} gibt es in diesem Fall nicht."),
                    format!("No such {what} in this case."),
                )
            }
            Self::DuplicateId => pick(
                "Ein Eintrag mit dieser Kennung existiert bereits.".into(),
                "An entry with this id already exists.".into(),
            ),
            Self::NothingToChange => pick(
                "Es wurde nichts geändert.".into(),
                "Nothing was changed.".into(),
            ),
            Self::ReferralStatusNotAllowed { from, to } => pick(
                format!("Der Status „{}“ kann nicht zu „{}“ wechseln.", from.label(Lang::De), to.label(Lang::De)),
                format!("Status “{}” cannot change to “{}”.", from.label(Lang::En), to.label(Lang::En)),
            ),
            Self::NoSecrecyRelease { on } => pick(
                format!(
                    "Am {} lag keine gültige Schweigepflichtentbindung für diese Fachstelle vor; ohne sie darf nichts weitergegeben werden. Bitte zuerst die Entbindung erfassen, oder die Person gibt die Unterlagen selbst weiter.",
                    on.format("%d.%m.%Y")
                ),
                format!(
                    "There was no valid secrecy release for this service on {on}; without one nothing may be passed on. Please record the release first, or the client passes the papers on personally."
                ),
            ),
            Self::AlreadyPaused => pick(
                "Die Teilnahme ist bereits pausiert.".into(),
                "Participation is paused already.".into(),
            ),
            Self::NotPaused => pick(
                "Die Teilnahme ist nicht pausiert; es gibt keine Pause zu beenden.".into(),
                "Participation is not paused; there is no pause to end.".into(),
            ),
            Self::ServiceInactive => pick(
                "Diese Fachstelle ist nicht mehr im Verzeichnis aktiv.".into(),
                "This specialist service is no longer active in the directory.".into(),
            ),
            Self::PsychologistCompartment => pick(
                "Nur Psycholog*innen können Notizen im psychologischen Bereich schreiben.".into(),
                "Only psychologists can write notes in the psychologist compartment.".into(),
            ),
            Self::AlreadyHandedOver { target } => pick(
                format!("Der Fall ist bereits übergeben: {}.", target.label(Lang::De)),
                format!("The case is already handed over: {}.", target.label(Lang::En)),
            ),
            Self::NotInPhase2 => pick(
                "Anwesenheit wird nur für Teilnehmende in Phase 2 erfasst.".into(),
                "Attendance is only recorded for participants in Phase 2.".into(),
            ),
            Self::ReopenWindowExpired { deadline } => pick(
                format!("Wiedereröffnen war nur bis zum {} möglich; bitte eine neue Zuweisung anlegen.", deadline.format("%d.%m.%Y")),
                format!("Reopening was possible until {deadline}; please record a new referral."),
            ),
            Self::ActorInactive => pick(
                "Ihr Zugang ist deaktiviert.".into(),
                "Your account is deactivated.".into(),
            ),
            Self::DurationOutOfRange => pick(
                "Die Dauer muss zwischen 1 Minute und 24 Stunden liegen.".into(),
                "The duration must be between 1 minute and 24 hours.".into(),
            ),
            Self::NotClosed => pick(
                "Das ist erst nach dem Abschluss des Falls möglich.".into(),
                "This is only possible once the case is closed.".into(),
            ),
            Self::UnreviewedTranslation { language } => pick(
                format!(
                    "Die Übersetzung ({}) ist noch nicht von einer Person geprüft, die die Sprache spricht. Bitte den Text prüfen lassen, oder den Druck ausdrücklich bestätigen.",
                    language.label(Lang::De)
                ),
                format!(
                    "The {} translation has not been checked by a person who speaks the language yet. Have it checked, or confirm printing it explicitly.",
                    language.label(Lang::En)
                ),
            ),
        }
    }
}
