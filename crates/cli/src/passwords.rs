//! Passwords: read from stdin, hashed with Argon2id by the web crate's hasher
//! ([`wegbereiter_web::passwords`], which also verifies them at `--as` sign-in).
//!
//! The CLI never takes a password as an argument (it would end up in the shell history and
//! the process list); it reads one line from stdin instead.

use std::io::{BufRead, IsTerminal, Write};

use crate::error::CliError;
use crate::msg;

/// Shortest password accepted from stdin (the web frontend's rule).
pub use wegbereiter_web::passwords::MIN_PASSWORD_CHARS;

/// Hashes `password` with Argon2id (default parameters) and a random salt, as a PHC string
/// (the web crate's hasher, so that both frontends store the same kind of hash).
///
/// # Errors
/// [`CliError::Internal`] if the system's random source or the hasher fails.
pub fn hash(password: &str) -> Result<String, CliError> {
    wegbereiter_web::passwords::hash_blocking(argon2_params(), password).map_err(|e| {
        CliError::Internal(msg!(
            "Passwort-Hashing fehlgeschlagen: {e}",
            "Password hashing failed: {e}"
        ))
    })
}

/// The argon2 parameters of new hashes (argon2's defaults, as in the web frontend).
pub fn argon2_params() -> argon2::Params {
    wegbereiter_web::PasswordSettings::default().params
}

/// Reads one line from stdin as a password (prompting on stderr if stdin is a terminal).
///
/// # Errors
/// [`CliError::Usage`] if stdin is empty or the password is shorter than
/// [`MIN_PASSWORD_CHARS`].
pub fn read_from_stdin(prompt: &str) -> Result<String, CliError> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("{prompt}: ");
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.trim().is_empty() {
        return Err(CliError::Usage(msg!(
            "Kein Passwort auf der Standardeingabe (eine Zeile erwartet, z. B. `echo \"$PASSWORT\" | wegbereiter …`).",
            "No password on stdin (one line expected, e.g. `echo \"$PASSWORD\" | wegbereiter …`)."
        )));
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(CliError::Usage(msg!(
            "Das Passwort muss mindestens {MIN_PASSWORD_CHARS} Zeichen haben.",
            "The password must have at least {MIN_PASSWORD_CHARS} characters."
        )));
    }
    Ok(password)
}
