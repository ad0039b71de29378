//! Dispatch: which command runs with which database.
//!
//! `init` and `demo` (and `serve --demo`) may create the database; `restore` never opens the
//! target (it replaces the file); every other command needs an existing database and refuses a
//! missing, empty or foreign file unchanged (exit 6).
//!
//! Every command runs in the installation's time zone, which is stored in the database:
//! `init` and `demo` store `--tz` (or Europe/Berlin) in a database that names none yet
//! ([`set_up_zone`]); every other command reads it ([`in_installation_zone`]) and refuses a
//! `--tz` that names another zone, because two zones on one database would count the same
//! instant for different days.

pub mod case;
pub mod case_export;
pub mod document;
pub mod jobcenter;
pub mod keys;
pub mod ops;
pub mod privacy;
pub mod referral;
pub mod requests;
pub mod settings;
pub mod setup;
pub mod statistics;
pub mod work;

use chrono_tz::Tz;
use wegbereiter_core::ports::AuditStamp;
use wegbereiter_storage::{DEFAULT_TIME_ZONE, InstallationKey, OpenMode, Store};

use crate::app::{App, Settings, Target};
use crate::args::{Cli, Cmd};
use crate::error::CliError;
use crate::msg;

/// Runs the parsed command line.
///
/// # Errors
/// Whatever the command fails with; `main` maps it to the exit code.
pub async fn run(cli: Cli, settings: Settings) -> Result<(), CliError> {
    if settings.if_version.is_some() && !cli.command.changes_one_case() {
        return Err(CliError::Usage(msg!(
            "--if-version gilt nur für Befehle, die einen bestehenden Fall ändern (z. B. contact add, case extend).",
            "--if-version only applies to commands that change an existing case (e.g. contact add, case extend)."
        )));
    }
    match cli.command {
        Cmd::Init(args) => return setup::init(settings, args).await,
        Cmd::Restore(args) => return ops::restore(&settings, &args).await,
        Cmd::Demo(args) => {
            let store = open(&settings, true).await?;
            let settings = set_up_zone(&store, settings).await?;
            let app = App::new(store, settings);
            return ops::demo(&app, &args).await;
        }
        Cmd::Serve(args) => return ops::serve(settings, &args).await,
        Cmd::Keys(crate::args::KeysCmd::Init) => return keys::init(settings).await,
        _ => {}
    }
    let store = open(&settings, false).await?;
    let settings = if matches!(cli.command, Cmd::Settings(_)) {
        // Changing the zone must work whatever an old `WEGBEREITER_TZ` still says.
        let stored = store.time_zone().await?;
        settings.in_zone(stored)
    } else {
        in_installation_zone(&store, settings).await?
    };
    let app = App::new(store, settings);
    match cli.command {
        Cmd::Init(_) | Cmd::Restore(_) | Cmd::Demo(_) | Cmd::Serve(_) => Ok(()),
        Cmd::Keys(cmd) => keys::run(&app, cmd).await,
        Cmd::Staff(cmd) => setup::staff(&app, cmd).await,
        Cmd::Team(cmd) => setup::team(&app, cmd).await,
        Cmd::Service(cmd) => setup::service(&app, cmd).await,
        Cmd::Token(cmd) => setup::token(&app, cmd).await,
        Cmd::Settings(cmd) => settings::run(&app, cmd).await,
        Cmd::Retention(cmd) => privacy::retention(&app, cmd).await,
        Cmd::Privacy(cmd) => privacy::request(&app, cmd).await,
        Cmd::Referral(cmd) => referral::run(&app, cmd).await,
        Cmd::Case(cmd) => case::run(&app, cmd).await,
        Cmd::Outreach(cmd) => work::outreach(&app, cmd).await,
        Cmd::Consent(cmd) => work::consent(&app, cmd).await,
        Cmd::Anamnesis(cmd) => work::anamnesis(&app, cmd).await,
        Cmd::Goal(cmd) => work::goal(&app, cmd).await,
        Cmd::Contact(cmd) => work::contact(&app, cmd).await,
        Cmd::Refer(cmd) => work::refer(&app, cmd).await,
        Cmd::Handover(args) => work::handover(&app, args).await,
        Cmd::Group(cmd) => work::group(&app, cmd).await,
        Cmd::Reminders(args) => ops::reminders(&app, &args).await,
        Cmd::Report(cmd) => ops::report(&app, cmd).await,
        Cmd::Document(cmd) => document::run(&app, cmd).await,
        Cmd::Verify => ops::verify(&app).await,
        Cmd::Backup(args) => ops::backup(&app, &args).await,
    }
}

/// `settings` in the installation's stored time zone (Europe/Berlin for a database that
/// names none).
///
/// # Errors
/// [`CliError::Usage`] when `--tz`/`WEGBEREITER_TZ` names another zone; storage errors.
pub async fn in_installation_zone(store: &Store, settings: Settings) -> Result<Settings, CliError> {
    let stored = store.time_zone().await?;
    refuse_other_zone(&settings, stored)?;
    Ok(settings.in_zone(stored))
}

/// For `init` and `demo`, which set a database up: a database that names no time zone yet gets
/// the one `--tz` names (else Europe/Berlin), recorded in the audit log as a set-up step; a
/// database that names one keeps it, as for every command.
///
/// # Errors
/// As [`in_installation_zone`].
pub async fn set_up_zone(store: &Store, settings: Settings) -> Result<Settings, CliError> {
    if let Some(stored) = store.stored_time_zone().await? {
        refuse_other_zone(&settings, stored.zone)?;
        return Ok(settings.in_zone(stored.zone));
    }
    let zone = settings.tz_given.unwrap_or(DEFAULT_TIME_ZONE);
    let stamp = AuditStamp {
        actor: None,
        at: settings.now,
    };
    store.set_time_zone(zone, stamp).await?;
    Ok(settings.in_zone(zone))
}

/// Refuses a `--tz`/`WEGBEREITER_TZ` that names another zone than the installation's.
fn refuse_other_zone(settings: &Settings, stored: Tz) -> Result<(), CliError> {
    match settings.tz_given {
        Some(given) if given != stored => Err(CliError::Usage(msg!(
            "--tz bzw. WEGBEREITER_TZ nennt {given}, die Installation rechnet aber in {stored}; es wurde nichts getan. Ohne --tz gilt die Zeitzone der Installation; ändern lässt sie sich mit `wegbereiter --as ADMIN settings set time-zone {given}`.",
            "--tz or WEGBEREITER_TZ names {given}, but the installation counts in {stored}; nothing was done. Without --tz the installation's zone applies; change it with `wegbereiter --as ADMIN settings set time-zone {given}`."
        ))),
        _ => Ok(()),
    }
}

/// Opens the database; creates a SQLite file (and its folders, the file with mode 0600) only
/// if `create` is set. Otherwise a missing, empty or foreign file is refused unchanged.
///
/// # Errors
/// [`CliError::Unavailable`] if the database does not exist (and may not be created), is
/// not a Wegbereiter database, or cannot be opened.
pub async fn open(settings: &Settings, create: bool) -> Result<Store, CliError> {
    let target = Target::resolve(settings.db.as_deref())?;
    if let Some(path) = target.sqlite_path() {
        if !path.exists() {
            if let Some(parent) = path
                .parent()
                .filter(|p| create && !p.as_os_str().is_empty())
            {
                std::fs::create_dir_all(parent).map_err(|e| {
                    let shown = parent.display();
                    CliError::Unavailable(msg!(
                        "Der Ordner {shown} kann nicht angelegt werden: {e}",
                        "Cannot create the folder {shown}: {e}"
                    ))
                })?;
            }
        } else if path.is_dir() {
            let shown = path.display();
            return Err(CliError::Unavailable(msg!(
                "{shown} ist ein Ordner, keine Datenbankdatei.",
                "{shown} is a folder, not a database file."
            )));
        }
    }
    let mode = if create {
        OpenMode::Create
    } else {
        OpenMode::Existing
    };
    let open_string = target.to_open_string();
    let Some(key_path) = key_path(settings, &target) else {
        if create {
            return Err(CliError::Usage(msg!(
                "Für eine PostgreSQL-Datenbank bitte die Schlüsseldatei mit --key-file (oder WEGBEREITER_KEY_FILE) angeben; sie wird angelegt, wenn es sie noch nicht gibt. Es wurde nichts getan.",
                "For a PostgreSQL database, please name the key file with --key-file (or WEGBEREITER_KEY_FILE); it is created if it does not exist yet. Nothing was done."
            )));
        }
        return Store::open_with(&open_string, mode)
            .await
            .map_err(|e| key_error(e, None));
    };
    if key_path.exists() {
        let key = keys::load(&key_path)?;
        return Store::open_with_key(&open_string, mode, key)
            .await
            .map_err(|e| key_error(e, Some(&key_path)));
    }
    if !create {
        // A database made before encryption at rest has no key (`keys init` seals it); one
        // that has is refused, naming the file looked for.
        return Store::open_with(&open_string, mode)
            .await
            .map_err(|e| key_error(e, Some(&key_path)));
    }
    let key = InstallationKey::create(&key_path).map_err(keys::file_error)?;
    match Store::open_with_key(&open_string, mode, key).await {
        Ok(store) => Ok(store),
        Err(e) => {
            // Nothing may stay behind of a refused set-up, the new key file included.
            let _ = std::fs::remove_file(&key_path);
            Err(key_error(e, Some(&key_path)))
        }
    }
}

/// The key file: `--key-file`/`WEGBEREITER_KEY_FILE`, else the SQLite file's path with `.key`
/// added (`wegbereiter.db.key`); `None` for PostgreSQL without one.
#[must_use]
pub fn key_path(settings: &Settings, target: &Target) -> Option<std::path::PathBuf> {
    settings.key_file.clone().or_else(|| {
        target.sqlite_path().map(|p| {
            let mut name = p.as_os_str().to_owned();
            name.push(".key");
            std::path::PathBuf::from(name)
        })
    })
}

/// An open error, with the key file named where the key is the reason.
fn key_error(e: wegbereiter_storage::OpenError, path: Option<&std::path::Path>) -> CliError {
    use wegbereiter_storage::OpenError;
    let shown = path.map_or_else(|| "--key-file".to_owned(), |p| p.display().to_string());
    match e {
        OpenError::KeyRequired { id } => CliError::Unavailable(msg!(
            "Die Datenbank ist mit dem Installationsschlüssel {id} verschlüsselt, die Schlüsseldatei {shown} fehlt. Bitte die richtige Schlüsseldatei mit --key-file (oder WEGBEREITER_KEY_FILE) angeben; es wurde nichts geändert.",
            "The database is encrypted with installation key {id}, and the key file {shown} is missing. Please name the right key file with --key-file (or WEGBEREITER_KEY_FILE); nothing was changed."
        )),
        OpenError::WrongKey { expected, given } => CliError::Unavailable(msg!(
            "Die Schlüsseldatei {shown} enthält den Installationsschlüssel {given}, die Datenbank ist aber mit {expected} verschlüsselt. Bitte die richtige Schlüsseldatei angeben; es wurde nichts geändert.",
            "The key file {shown} holds installation key {given}, but the database is encrypted with {expected}. Please name the right key file; nothing was changed."
        )),
        other => other.into(),
    }
}
