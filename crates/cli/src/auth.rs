//! Who is acting: the CLI's sign-in, by password or personal access token.
//!
//! `--as LOGIN` names a person; the person proves it with their password (the first line of
//! `--password-file FILE`, as PostgreSQL's `.pgpass` keeps scripts' secrets off the command
//! line, or asked on the terminal without echo). A personal access token in
//! `WEGBEREITER_TOKEN` proves it alone (with `--as`, it must be that person's). Deactivated
//! accounts and revoked or expired tokens are refused; every failure is exit code 7 with one
//! message that does not tell which part was wrong.
//!
//! What this protects against, and what not, is in `docs/security.md`: whoever can read the
//! database file can read everything; the checks here keep people from acting or being
//! recorded as someone else, and make every rule of the access policy apply to the CLI.

use std::io::IsTerminal;
use std::path::Path;

use chrono::{DateTime, Utc};
use wegbereiter_core::prelude::*;

use crate::app::App;
use crate::error::CliError;
use crate::msg;
use crate::passwords;

/// How the signed-in person proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Their password.
    Password,
    /// A personal access token.
    Token,
}

/// The signed-in person and how they proved it.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The person.
    pub member: StaffMember,
    /// How.
    pub method: Method,
}

fn failed() -> CliError {
    CliError::Auth(msg!(
        "Anmeldung fehlgeschlagen: Anmeldename, Passwort oder Token stimmen nicht, oder das Konto ist deaktiviert.",
        "Sign-in failed: wrong login, password or token, or the account is deactivated."
    ))
}

/// The real time, for token expiry: `--today` moves the acting day, never a token's validity.
fn wall_clock() -> DateTime<Utc> {
    Utc::now()
}

/// Proves who is acting (see the module documentation).
///
/// # Errors
/// [`CliError::Usage`] when neither `--as` nor a token is given, or the password file cannot
/// be read; [`CliError::Auth`] for every failed proof.
pub async fn sign_in(app: &App) -> Result<SignedIn, CliError> {
    let settings = &app.settings;
    if let Some(secret) = &settings.token {
        let token = app
            .store
            .token_by_secret(secret)
            .await?
            .filter(|t| t.is_valid_at(wall_clock()))
            .ok_or_else(failed)?;
        let member = app
            .store
            .staff(token.staff)
            .await?
            .filter(|m| m.active)
            .ok_or_else(failed)?;
        if let Some(login) = &settings.as_login
            && login.to_lowercase() != member.login.as_str().to_lowercase()
        {
            return Err(failed());
        }
        return Ok(SignedIn {
            member,
            method: Method::Token,
        });
    }
    let Some(login) = &settings.as_login else {
        return Err(CliError::Usage(msg!(
            "Bitte anmelden: --as ANMELDUNG (oder WEGBEREITER_USER) mit Passwort, oder ein persönliches Zugangstoken in WEGBEREITER_TOKEN.",
            "Please sign in: --as LOGIN (or WEGBEREITER_USER) with a password, or a personal access token in WEGBEREITER_TOKEN."
        )));
    };
    let password = match &settings.password_file {
        Some(file) => password_from_file(file)?,
        None => password_from_terminal(login)?,
    };
    let member = app.store.staff_by_login(login).await?;
    let phc = match &member {
        Some(m) => app.store.password_hash(m.id).await?,
        None => None,
    };
    if !wegbereiter_web::passwords::verify_blocking(
        phc.as_deref(),
        &password,
        passwords::argon2_params(),
    ) {
        return Err(failed());
    }
    let member = member.filter(|m| m.active).ok_or_else(failed)?;
    Ok(SignedIn {
        member,
        method: Method::Password,
    })
}

/// The first line of `file`, without its line ending.
fn password_from_file(file: &Path) -> Result<String, CliError> {
    let shown = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|e| {
        CliError::Usage(msg!(
            "Die Passwortdatei {shown} kann nicht gelesen werden: {e}",
            "Cannot read the password file {shown}: {e}"
        ))
    })?;
    warn_if_readable_by_others(file);
    let line = text.lines().next().unwrap_or_default().to_owned();
    if line.is_empty() {
        return Err(CliError::Usage(msg!(
            "Die Passwortdatei {shown} ist leer (das Passwort gehört in die erste Zeile).",
            "The password file {shown} is empty (the password belongs on its first line)."
        )));
    }
    Ok(line)
}

#[cfg(unix)]
fn warn_if_readable_by_others(file: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(file)
        && meta.permissions().mode() & 0o077 != 0
    {
        eprintln!(
            "wegbereiter: Warnung: {} ist für andere lesbar; bitte `chmod 600` (warning: readable by others).",
            file.display()
        );
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_file: &Path) {}

/// The password, asked on the terminal without echo.
fn password_from_terminal(login: &str) -> Result<String, CliError> {
    if !std::io::stderr().is_terminal() {
        return Err(CliError::Auth(msg!(
            "Kein Passwort für „{login}“: ohne Terminal bitte --password-file DATEI (erste Zeile) oder ein Zugangstoken in WEGBEREITER_TOKEN angeben.",
            "No password for “{login}”: without a terminal, please give --password-file FILE (first line) or an access token in WEGBEREITER_TOKEN."
        )));
    }
    rpassword::prompt_password(format!("Passwort für {login}: ")).map_err(|e| {
        CliError::Auth(msg!(
            "Das Passwort konnte nicht gelesen werden: {e}",
            "Could not read the password: {e}"
        ))
    })
}
