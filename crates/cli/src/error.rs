//! The CLI's error type and the one mapping from errors to exit codes.
//!
//! Every failure of a command ends up as a [`CliError`]. [`CliError::exit_code`] is the only
//! place that decides the process's exit status, and [`CliError::message`] the only place that
//! turns an error into a sentence for people, in German or English:
//!
//! | code | meaning |
//! |---|---|
//! | 0 | ok |
//! | 1 | internal error (a bug, or a storage failure nobody expected) |
//! | 2 | usage error (bad arguments, unreadable input file) |
//! | 3 | refused by a process rule, or invalid import data |
//! | 4 | not found (case, staff member, team, service, goal, …) |
//! | 5 | conflict (changed in the meantime, already exists) |
//! | 6 | database unavailable or unreadable |

use wegbereiter_core::access::Right;
use wegbereiter_core::ports::StorageError;
use wegbereiter_core::{DomainError, Lang, ServiceError};
use wegbereiter_storage::OpenError;

/// A message in both user-interface languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    de: String,
    en: String,
}

impl Msg {
    /// A message from its German and English wording.
    pub fn new(de: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            de: de.into(),
            en: en.into(),
        }
    }

    /// The wording in `lang`.
    #[must_use]
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::De => &self.de,
            Lang::En => &self.en,
        }
    }
}

/// Builds a [`Msg`] from a German and an English `format!` string.
#[macro_export]
macro_rules! msg {
    ($de:expr, $en:expr $(,)?) => {
        $crate::error::Msg::new(format!($de), format!($en))
    };
}

/// Why a command-line value could not be read, in both languages.
///
/// The value parsers in [`crate::args`] and [`crate::dates`] return it; clap shows its English
/// wording, and `main` turns a clap error carrying it into a [`CliError::Usage`] in the
/// chosen language (exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError(pub Msg);

impl std::fmt::Display for ValueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.get(Lang::En))
    }
}

impl std::error::Error for ValueError {}

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad arguments or unreadable input (exit 2).
    #[error("usage: {}", .0.get(Lang::En))]
    Usage(Msg),
    /// A process rule refused the command (exit 3).
    #[error("refused: {0}")]
    Rule(DomainError),
    /// The input data break the rules, e.g. an invalid import file (exit 3).
    #[error("invalid: {}", .0.get(Lang::En))]
    Invalid(Msg),
    /// Something named on the command line does not exist (exit 4).
    #[error("not found: {}", .0.get(Lang::En))]
    NotFound(Msg),
    /// Changed in the meantime or already existing (exit 5).
    #[error("conflict: {}", .0.get(Lang::En))]
    Conflict(Msg),
    /// The database cannot be opened or read (exit 6).
    #[error("database: {}", .0.get(Lang::En))]
    Unavailable(Msg),
    /// The acting person could not prove who they are: wrong password, unknown login,
    /// deactivated account, revoked or expired token (exit 7).
    #[error("authentication: {}", .0.get(Lang::En))]
    Auth(Msg),
    /// The access policy does not let the signed-in person do this (exit 3, like a refused
    /// rule).
    #[error("forbidden: {}", .0.get(Lang::En))]
    Forbidden(Msg),
    /// Anything unexpected (exit 1).
    #[error("internal: {}", .0.get(Lang::En))]
    Internal(Msg),
}

impl CliError {
    /// The process exit code for this error. The only place exit codes are decided.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Internal(_) => 1,
            Self::Usage(_) => 2,
            Self::Rule(_) | Self::Invalid(_) | Self::Forbidden(_) => 3,
            Self::NotFound(_) => 4,
            Self::Conflict(_) => 5,
            Self::Unavailable(_) => 6,
            Self::Auth(_) => 7,
        }
    }

    /// A stable snake_case name of the kind of error, for JSON output.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Internal(_) => "internal",
            Self::Usage(_) => "usage",
            Self::Rule(_) => "rule",
            Self::Invalid(_) => "invalid",
            Self::NotFound(_) => "not_found",
            Self::Conflict(_) => "conflict",
            Self::Unavailable(_) => "unavailable",
            Self::Auth(_) => "authentication",
            Self::Forbidden(_) => "forbidden",
        }
    }

    /// The rule of the process a refusal enforces, if this is a refusal.
    #[must_use]
    pub fn rule(&self) -> Option<&'static str> {
        match self {
            Self::Rule(e) => Some(e.rule()),
            _ => None,
        }
    }

    /// The full message for people, in `lang`.
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Self::Rule(e) => {
                let rule = e.rule_label(lang);
                match lang {
                    Lang::De => format!("{} (Regel: {rule})", e.message(lang)),
                    Lang::En => format!("{} (rule: {rule})", e.message(lang)),
                }
            }
            Self::Usage(m)
            | Self::Invalid(m)
            | Self::NotFound(m)
            | Self::Conflict(m)
            | Self::Unavailable(m)
            | Self::Auth(m)
            | Self::Forbidden(m)
            | Self::Internal(m) => m.get(lang).to_owned(),
        }
    }
}

impl From<DomainError> for CliError {
    fn from(e: DomainError) -> Self {
        Self::Rule(e)
    }
}

impl From<StorageError> for CliError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::Conflict {
                case,
                expected,
                actual,
            } => Self::Conflict(msg!(
                "Fall {case} wurde in der Zwischenzeit geändert (Version {expected} erwartet, {actual} vorgefunden). Es wurde nichts gespeichert; bitte erneut versuchen.",
                "Case {case} was changed in the meantime (expected version {expected}, found {actual}). Nothing was saved; please retry."
            )),
            StorageError::AlreadyExists(what) => {
                let de = what_in_german(&what);
                Self::Conflict(msg!("Existiert bereits: {de}.", "Already exists: {what}."))
            }
            StorageError::Unavailable(why) if why.contains("busy with another writer") => {
                Self::Unavailable(msg!(
                    "Die Datenbank ist gerade durch einen anderen Schreibvorgang belegt; es wurde nichts gespeichert, bitte gleich noch einmal versuchen. ({why})",
                    "The database is busy with another writer; nothing was saved, please try again shortly. ({why})"
                ))
            }
            StorageError::Unavailable(why) => Self::Unavailable(msg!(
                "Die Datenbank ist nicht erreichbar: {why}",
                "The database is unavailable: {why}"
            )),
            StorageError::Corrupt(why) => Self::Unavailable(msg!(
                "Die gespeicherten Daten sind nicht lesbar: {why}",
                "The stored data cannot be read: {why}"
            )),
            other => Self::Internal(msg!(
                "Interner Fehler der Datenhaltung: {other}",
                "Internal storage error: {other}"
            )),
        }
    }
}

impl CliError {
    /// A refusal of a step that core's access policy answers with a plain yes or no (a report
    /// only a team lead sees), in words.
    #[must_use]
    pub fn forbidden() -> Self {
        Self::Forbidden(msg!(
            "Das dürfen Sie mit Ihrer Rolle nicht.",
            "Your role does not allow this."
        ))
    }

    /// The access policy's refusal of `right`, in the policy's words for that right.
    #[must_use]
    pub fn refused(right: Right) -> Self {
        Self::Forbidden(Msg::new(right.refusal(Lang::De), right.refusal(Lang::En)))
    }
}

impl From<ServiceError> for CliError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Rule(rule) => Self::Rule(rule),
            // A case the person may not know of reads exactly like an unknown one.
            ServiceError::NotFound(id) | ServiceError::NotVisible(id) => {
                Self::NotFound(msg!("Fall {id} nicht gefunden.", "Case {id} not found."))
            }
            ServiceError::Forbidden(right) => Self::refused(right),
            ServiceError::Conflict {
                case,
                expected,
                actual,
            } => Self::from(StorageError::Conflict {
                case,
                expected,
                actual,
            }),
            ServiceError::Storage(s) => Self::from(s),
            other => Self::Internal(msg!("Interner Fehler: {other}", "Internal error: {other}")),
        }
    }
}

/// The storage layer names what exists in English ("team Nord", "login kim", "backup file
/// x.db"); the German message names it in German.
fn what_in_german(what: &str) -> String {
    for (en, de) in [
        ("team ", "Team "),
        ("login ", "Anmeldung "),
        ("backup file ", "Sicherungsdatei "),
    ] {
        if let Some(rest) = what.strip_prefix(en) {
            return format!("{de}{rest}");
        }
    }
    what.to_owned()
}

impl From<OpenError> for CliError {
    fn from(e: OpenError) -> Self {
        match &e {
            OpenError::UnknownScheme(scheme) => Self::Unavailable(msg!(
                "Unbekannte Datenbank-Adresse „{scheme}“: erlaubt sind ein Dateipfad, sqlite://PFAD oder postgres://…",
                "Unknown database address scheme “{scheme}”: use a file path, sqlite://PATH or postgres://…"
            )),
            OpenError::NotADatabase(path) => {
                let path = path.display();
                Self::Unavailable(msg!(
                    "{path} ist keine Wegbereiter-Datenbank (keine lesbare SQLite-Datei).",
                    "{path} is not a Wegbereiter database (not a readable SQLite file)."
                ))
            }
            OpenError::Missing(path) => {
                let shown = path.display();
                Self::Unavailable(msg!(
                    "Die Datenbank {shown} gibt es nicht. Bitte zuerst `wegbereiter init` ausführen oder --db angeben.",
                    "The database {shown} does not exist. Run `wegbereiter init` first, or give --db."
                ))
            }
            OpenError::Empty(path) => {
                let shown = path.display();
                Self::Unavailable(msg!(
                    "{shown} ist leer und keine Wegbereiter-Datenbank; die Datei bleibt unverändert. Eine neue Datenbank legt `wegbereiter init` an.",
                    "{shown} is empty, not a Wegbereiter database; the file was left unchanged. `wegbereiter init` creates a new database."
                ))
            }
            OpenError::SchemaTooNew { unknown } => {
                let unknown = unknown.join(", ");
                Self::Unavailable(msg!(
                    "Die Datenbank wurde von einer neueren Wegbereiter-Version angelegt ({unknown}); bitte das Programm aktualisieren.",
                    "The database was written by a newer Wegbereiter version ({unknown}); please update this program."
                ))
            }
            OpenError::ForeignDatabase { path, tables } => {
                let (path, tables) = (path.display(), tables.join(", "));
                Self::Unavailable(msg!(
                    "{path} ist eine SQLite-Datenbank eines anderen Programms (Tabellen: {tables}); sie bleibt unverändert. Bitte eine andere Datei für Wegbereiter wählen.",
                    "{path} is a SQLite database of another program (tables: {tables}); it was left unchanged. Please choose another file for Wegbereiter."
                ))
            }
            OpenError::Unavailable(why) => Self::Unavailable(msg!(
                "Die Datenbank ist nicht erreichbar: {why}",
                "The database is unavailable: {why}"
            )),
            other => Self::Unavailable(msg!(
                "Die Datenbank kann nicht geöffnet werden: {other}",
                "The database cannot be opened: {other}"
            )),
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        Self::Internal(msg!("Ein-/Ausgabefehler: {e}", "I/O error: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_exit_code() {
        let m = || Msg::new("x", "x");
        assert_eq!(CliError::Internal(m()).exit_code(), 1);
        assert_eq!(CliError::Usage(m()).exit_code(), 2);
        assert_eq!(CliError::Rule(DomainError::NotEnrolled).exit_code(), 3);
        assert_eq!(CliError::Invalid(m()).exit_code(), 3);
        assert_eq!(CliError::NotFound(m()).exit_code(), 4);
        assert_eq!(CliError::Conflict(m()).exit_code(), 5);
        assert_eq!(CliError::Unavailable(m()).exit_code(), 6);
        assert_eq!(CliError::Auth(m()).exit_code(), 7);
        assert_eq!(CliError::Forbidden(m()).exit_code(), 3);
        let corrupt: CliError = StorageError::Corrupt("x".into()).into();
        assert_eq!(corrupt.exit_code(), 6);
    }

    #[test]
    fn refusals_name_the_rule() {
        let e = CliError::Rule(DomainError::ExtensionBeyondMaximum {
            latest: chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap_or_default(),
        });
        let de = e.message(Lang::De);
        assert!(
            de.contains("Verlängerung über 6 Monate hinaus ist nicht möglich"),
            "{de}"
        );
        assert!(de.contains("I3"), "{de}");
    }

    #[test]
    fn a_refusal_of_the_access_policy_names_the_refused_right() {
        use wegbereiter_core::contact::NoteCompartment;
        let rights = [
            Right::Read,
            Right::EnterReferral(None),
            Right::ChangeContent,
            Right::RecordContact(NoteCompartment::CaseTeam),
            Right::RecordContact(NoteCompartment::Psychologist),
            Right::RecordAnyContact,
            Right::RecordAttendance,
            Right::Lead,
        ];
        let mut seen = std::collections::HashSet::new();
        for right in rights {
            let e = CliError::from(ServiceError::Forbidden(right));
            assert_eq!(e.exit_code(), 3);
            assert_eq!(e.kind(), "forbidden");
            for lang in [Lang::De, Lang::En] {
                assert_eq!(e.message(lang), right.refusal(lang), "{right:?}");
            }
            seen.insert(e.message(Lang::De));
        }
        // One sentence per right, except the two ways of asking for "any contact".
        assert_eq!(seen.len(), rights.len() - 1);
        assert!(
            CliError::from(ServiceError::Forbidden(Right::Lead))
                .message(Lang::De)
                .contains("Teamleitung")
        );
    }
}
