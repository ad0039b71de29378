//! `keys`: the installation key in the key file and the case keys it wraps (encryption at
//! rest, see `wegbereiter_storage`'s `vault`).
//!
//! Every step needs an administrator's sign-in, and whoever runs it needs the key file: the
//! operator who holds the files. `rotate`, `init` and `restore` are recorded in the audit log;
//! `show` and `backup` change nothing.
//!
//! `rotate` writes the new key to `FILE.new` first (mode 0600), rewraps every case key in one
//! transaction, then renames the old key file to `FILE.<UTC time>.old` and the new one to
//! `FILE`. A crash between the commit and the renames leaves the new key in `FILE.new`, which
//! the refusal of the next start names (the old file no longer opens the database).

use std::path::{Path, PathBuf};

use serde::Serialize;
use wegbereiter_core::staff::Role;
use wegbereiter_storage::{CaseKeyBackup, InstallationKey, KeyFileError, OpenMode, Store};

use crate::app::{App, Settings, Target};
use crate::args::KeysCmd;
use crate::error::CliError;
use crate::msg;
use crate::output::tr;

/// Reads the key file at `path`.
///
/// # Errors
/// [`CliError::Unavailable`] (exit 6) naming the file and what is wrong with it.
pub fn load(path: &Path) -> Result<InstallationKey, CliError> {
    InstallationKey::load(path).map_err(file_error)
}

/// A key-file error in both languages (exit 6; nothing was changed).
#[must_use]
pub fn file_error(e: KeyFileError) -> CliError {
    let detail = e.to_string();
    CliError::Unavailable(msg!(
        "Die Schlüsseldatei ist nicht verwendbar: {detail}. Es wurde nichts geändert.",
        "The key file cannot be used: {detail}. Nothing was changed."
    ))
}

fn key_path_of(app: &App) -> Result<PathBuf, CliError> {
    let target = Target::resolve(app.settings.db.as_deref())?;
    super::key_path(&app.settings, &target).ok_or_else(|| {
        CliError::Usage(msg!(
            "Bitte die Schlüsseldatei mit --key-file (oder WEGBEREITER_KEY_FILE) angeben.",
            "Please name the key file with --key-file (or WEGBEREITER_KEY_FILE)."
        ))
    })
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

#[derive(Serialize)]
struct KeyView {
    key_file: String,
    installation_key: Option<String>,
}

#[derive(Serialize)]
struct RotatedView {
    key_file: String,
    old_key_file: String,
    previous_key: String,
    installation_key: String,
    case_keys: u64,
}

#[derive(Serialize)]
struct CountView {
    file: String,
    case_keys: u64,
}

fn no_key() -> CliError {
    CliError::Usage(msg!(
        "Die Datenbank hat noch keinen Installationsschlüssel; zuerst `wegbereiter keys init`.",
        "The database has no installation key yet; run `wegbereiter keys init` first."
    ))
}

/// Runs `keys …` (all but `init`, which [`init`] runs before the database is opened).
///
/// # Errors
/// As [`App::actor_with_role`] (an administrator must sign in); key-file and storage errors.
pub async fn run(app: &App, cmd: KeysCmd) -> Result<(), CliError> {
    let path = key_path_of(app)?;
    match cmd {
        KeysCmd::Show | KeysCmd::Init => {
            let view = KeyView {
                key_file: path.display().to_string(),
                installation_key: app.store.key_id(),
            };
            app.out().emit(&view, |lang| match &view.installation_key {
                Some(id) => format!(
                    "{} {}\n{} {id}",
                    tr(lang, "Schlüsseldatei:", "Key file:"),
                    view.key_file,
                    tr(lang, "Installationsschlüssel:", "Installation key:")
                ),
                None => tr(
                    lang,
                    "Die Datenbank ist nicht verschlüsselt; `wegbereiter keys init` verschlüsselt sie.",
                    "The database is not encrypted; `wegbereiter keys init` encrypts it.",
                )
                .to_owned(),
            })
        }
        KeysCmd::Rotate => rotate(app, &path).await,
        KeysCmd::Backup { file } => {
            app.actor_with_role(Role::Administrator).await?;
            if app.store.key_id().is_none() {
                return Err(no_key());
            }
            let backup = app.store.export_case_keys().await?;
            let json = serde_json::to_vec_pretty(&backup).map_err(|e| {
                CliError::Internal(msg!("JSON fehlgeschlagen: {e}", "JSON failed: {e}"))
            })?;
            crate::files::write_private_new(&file, &json)?;
            let view = CountView {
                file: file.display().to_string(),
                case_keys: backup.keys.len() as u64,
            };
            app.out().emit(&view, |lang| {
                format!(
                    "{} {} ({} {})",
                    tr(
                        lang,
                        "Schlüsselsicherung geschrieben:",
                        "Key backup written:"
                    ),
                    view.file,
                    view.case_keys,
                    tr(lang, "Fallschlüssel", "case keys")
                )
            })
        }
        KeysCmd::Restore { file } => {
            let admin = app.actor_with_role(Role::Administrator).await?;
            if app.store.key_id().is_none() {
                return Err(no_key());
            }
            let text = std::fs::read_to_string(&file).map_err(|e| {
                let shown = file.display();
                CliError::Usage(msg!(
                    "{shown} kann nicht gelesen werden: {e}",
                    "Cannot read {shown}: {e}"
                ))
            })?;
            let backup: CaseKeyBackup = serde_json::from_str(&text).map_err(|_| {
                let shown = file.display();
                CliError::Usage(msg!(
                    "{shown} ist keine Schlüsselsicherung von Wegbereiter.",
                    "{shown} is not a Wegbereiter key backup."
                ))
            })?;
            let n = app
                .store
                .restore_case_keys(&backup, app.stamp(Some(&admin)))
                .await?;
            let view = CountView {
                file: file.display().to_string(),
                case_keys: n,
            };
            app.out().emit(&view, |lang| {
                format!(
                    "{} {} {}",
                    view.case_keys,
                    tr(
                        lang,
                        "Fallschlüssel wiederhergestellt aus",
                        "case keys restored from"
                    ),
                    view.file
                )
            })
        }
    }
}

async fn rotate(app: &App, path: &Path) -> Result<(), CliError> {
    let admin = app.actor_with_role(Role::Administrator).await?;
    let previous = app.store.key_id().ok_or_else(no_key)?;
    let new_path = with_suffix(path, ".new");
    // Written (and synced) before the transaction: the new key exists on disk before any
    // case key depends on it.
    let new = InstallationKey::create(&new_path).map_err(|e| match e {
        KeyFileError::Exists(_) => {
            let shown = new_path.display();
            CliError::Conflict(msg!(
                "{shown} gibt es schon: Eine frühere Rotation wurde unterbrochen. Öffnet die Datenbank mit dieser Datei, ersetzt sie die Schlüsseldatei; sonst bitte löschen. Es wurde nichts geändert.",
                "{shown} exists: an earlier rotation was interrupted. If the database opens with that file, it replaces the key file; else delete it. Nothing was changed."
            ))
        }
        other => file_error(other),
    })?;
    let new_id = new.id();
    let n = match app.store.rotate_key(new, app.stamp(Some(&admin))).await {
        Ok(n) => n,
        Err(e) => {
            let _ = std::fs::remove_file(&new_path);
            return Err(e.into());
        }
    };
    let stamp = app.settings.now.format("%Y%m%dT%H%M%SZ");
    let old_path = with_suffix(path, &format!(".{stamp}.old"));
    let renamed = std::fs::rename(path, &old_path).and_then(|()| std::fs::rename(&new_path, path));
    if let Err(e) = renamed {
        let (shown, new_shown) = (path.display(), new_path.display());
        return Err(CliError::Internal(msg!(
            "Die Schlüssel wurden rotiert, aber die Schlüsseldatei konnte nicht ersetzt werden ({e}): Der neue Schlüssel liegt in {new_shown}; bitte ihn nach {shown} verschieben.",
            "The keys were rotated, but the key file could not be replaced ({e}): the new key is in {new_shown}; please move it to {shown}."
        )));
    }
    let view = RotatedView {
        key_file: path.display().to_string(),
        old_key_file: old_path.display().to_string(),
        previous_key: previous,
        installation_key: new_id,
        case_keys: n,
    };
    app.out().emit(&view, |lang| {
        format!(
            "{} {} → {} ({} {}).\n{} {}\n{} {}\n{}",
            tr(lang, "Installationsschlüssel rotiert:", "Installation key rotated:"),
            view.previous_key,
            view.installation_key,
            view.case_keys,
            tr(lang, "Fallschlüssel neu verpackt", "case keys rewrapped"),
            tr(lang, "Neue Schlüsseldatei:", "New key file:"),
            view.key_file,
            tr(lang, "Alte Schlüsseldatei:", "Old key file:"),
            view.old_key_file,
            tr(
                lang,
                "Laufende `serve`-Prozesse bitte neu starten; danach eine neue Schlüsselsicherung (`keys backup`) erstellen.",
                "Please restart running `serve` processes; then take a new key backup (`keys backup`)."
            )
        )
    })
}

/// `keys init`: seals a database made before encryption at rest. Signs in the administrator
/// on the database as it is, then creates the key file (if missing) and opens the database
/// with it, which seals every note in one transaction (audited as `keys.adopted`).
///
/// # Errors
/// Sign-in, key-file and storage errors; a database with another key is refused unchanged.
pub async fn init(settings: Settings) -> Result<(), CliError> {
    let target = Target::resolve(settings.db.as_deref())?;
    let path = super::key_path(&settings, &target).ok_or_else(|| {
        CliError::Usage(msg!(
            "Bitte die Schlüsseldatei mit --key-file (oder WEGBEREITER_KEY_FILE) angeben.",
            "Please name the key file with --key-file (or WEGBEREITER_KEY_FILE)."
        ))
    })?;
    let store = super::open(&settings, false).await?;
    let settings = super::in_installation_zone(&store, settings).await?;
    let app = App::new(store, settings);
    app.actor_with_role(Role::Administrator).await?;
    if let Some(id) = app.store.key_id() {
        let shown = path.display();
        return app.out().emit(
            &KeyView {
                key_file: shown.to_string(),
                installation_key: Some(id.clone()),
            },
            |lang| {
                format!(
                    "{} {id} ({shown})",
                    tr(
                        lang,
                        "Die Datenbank ist schon verschlüsselt:",
                        "The database is encrypted already:"
                    )
                )
            },
        );
    }
    app.store.clone().close().await?;
    let created = !path.exists();
    let key = if created {
        InstallationKey::create(&path).map_err(file_error)?
    } else {
        load(&path)?
    };
    let id = key.id();
    let sealed = Store::open_with_key(&target.to_open_string(), OpenMode::Existing, key).await;
    let store = match sealed {
        Ok(store) => store,
        Err(e) => {
            if created {
                let _ = std::fs::remove_file(&path);
            }
            return Err(e.into());
        }
    };
    store.close().await?;
    let view = KeyView {
        key_file: path.display().to_string(),
        installation_key: Some(id),
    };
    app.out().emit(&view, |lang| {
        format!(
            "{} {}\n{} {}",
            tr(
                lang,
                "Die Datenbank ist jetzt verschlüsselt mit dem Schlüssel aus",
                "The database is now encrypted with the key in"
            ),
            view.key_file,
            tr(lang, "Installationsschlüssel:", "Installation key:"),
            view.installation_key.as_deref().unwrap_or_default()
        )
    })
}
