//! Dispatch: which command runs with which database.
//!
//! `init` and `demo` (and `serve --demo`) may create the database; `restore` never opens the
//! target (it replaces the file); every other command needs an existing database and refuses a
//! missing, empty or foreign file unchanged (exit 6).

pub mod case;
pub mod ops;
pub mod referral;
pub mod setup;
pub mod work;

use wegbereiter_storage::{OpenMode, Store};

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
            let app = App::new(open(&settings, true).await?, settings);
            return ops::demo(&app, &args).await;
        }
        Cmd::Serve(args) => return ops::serve(settings, &args).await,
        _ => {}
    }
    let app = App::new(open(&settings, false).await?, settings);
    match cli.command {
        Cmd::Init(_) | Cmd::Restore(_) | Cmd::Demo(_) | Cmd::Serve(_) => Ok(()),
        Cmd::Staff(cmd) => setup::staff(&app, cmd).await,
        Cmd::Team(cmd) => setup::team(&app, cmd).await,
        Cmd::Service(cmd) => setup::service(&app, cmd).await,
        Cmd::Token(cmd) => setup::token(&app, cmd).await,
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
        Cmd::Verify => ops::verify(&app).await,
        Cmd::Backup(args) => ops::backup(&app, &args).await,
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
    Ok(Store::open_with(&target.to_open_string(), mode).await?)
}
