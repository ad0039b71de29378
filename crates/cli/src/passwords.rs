//! Passwords for the web sign-in: read from stdin, hashed with Argon2id.
//!
//! The CLI never takes a password as an argument (it would end up in the shell history and
//! the process list); it reads one line from stdin instead.

use std::io::{BufRead, IsTerminal, Write};

use argon2::Argon2;
use argon2::password_hash::PasswordHasher;

use crate::error::CliError;
use crate::msg;

/// Shortest password accepted from stdin (the same as the web frontend requires).
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Hashes `password` with Argon2id (default parameters) and a random salt, as a PHC string.
///
/// # Errors
/// [`CliError::Internal`] if the system's random source or the hasher fails.
pub fn hash(password: &str) -> Result<String, CliError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| {
            CliError::Internal(msg!(
                "Passwort-Hashing fehlgeschlagen: {e}",
                "Password hashing failed: {e}"
            ))
        })
}

/// Whether `password` matches the PHC string `phc` (its own parameters and salt). No hash,
/// or a malformed one, never matches; the work is spent anyway, so that the time taken does
/// not tell whether a login exists.
#[must_use]
pub fn verify(phc: Option<&str>, password: &str) -> bool {
    use argon2::password_hash::PasswordVerifier;
    use argon2::password_hash::phc::PasswordHash;
    let argon = Argon2::default();
    match phc.map(PasswordHash::new) {
        Some(Ok(parsed)) => argon.verify_password(password.as_bytes(), &parsed).is_ok(),
        _ => {
            let _ = argon.hash_password(password.as_bytes());
            false
        }
    }
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use argon2::password_hash::PasswordVerifier;

    use super::*;

    #[test]
    fn hashes_are_salted_argon2id_and_verify() {
        let a = hash("korrekt pferd batterie").unwrap();
        let b = hash("korrekt pferd batterie").unwrap();
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "every hash has its own salt");
        assert!(
            Argon2::default()
                .verify_password(b"korrekt pferd batterie", a.as_str())
                .is_ok()
        );
        assert!(
            Argon2::default()
                .verify_password(b"falsch", a.as_str())
                .is_err()
        );
    }
}
