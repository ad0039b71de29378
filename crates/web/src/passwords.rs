//! Password hashing with argon2id (per-user random salt, PHC strings): the one hasher and
//! verifier of the workspace. The CLI calls the blocking functions ([`hash_blocking`],
//! [`verify_blocking`]); the web server the async ones, which run them on tokio's blocking
//! pool, at most two at a time.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Version};

use crate::PasswordSettings;

/// At most this many hashes run at once: each takes 19 MiB (argon2's default memory cost)
/// and a CPU for tens of milliseconds, so a burst of sign-in attempts queues here instead of
/// growing the server without bound. Two keep a 2-core machine busy. (What the allocator
/// keeps after a hash is the binary's choice: the bundled CLI uses mimalloc.)
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Shortest password accepted, in the web and the CLI.
pub const MIN_PASSWORD_CHARS: usize = 10;

fn argon(params: argon2::Params) -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes `password` with argon2id, the parameters `params` and a fresh random salt, as a
/// PHC string (`$argon2id$v=19$…`). Slow by design: call it off the async runtime.
///
/// # Errors
/// The hasher's message if the system's random source or the hasher fails.
pub fn hash_blocking(params: argon2::Params, password: &str) -> Result<String, String> {
    argon(params)
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches the PHC string `phc` (verified with the parameters and salt
/// stored in it). No hash, or a malformed one, never matches; the work of a hash with
/// `params` is spent anyway, so that the time taken does not tell whether a sign-in name
/// exists. Slow by design: call it off the async runtime.
#[must_use]
pub fn verify_blocking(phc: Option<&str>, password: &str, params: argon2::Params) -> bool {
    let argon = argon(params);
    match phc.map(PasswordHash::new) {
        Some(Ok(parsed)) => argon.verify_password(password.as_bytes(), &parsed).is_ok(),
        _ => {
            let _ = argon.hash_password(password.as_bytes());
            false
        }
    }
}

/// [`hash_blocking`] on the blocking pool.
pub(crate) async fn hash(settings: &PasswordSettings, password: &str) -> Result<String, String> {
    let _permit = HASHING.acquire().await.map_err(|e| e.to_string())?;
    let params = settings.params.clone();
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || hash_blocking(params, &password))
        .await
        .map_err(|e| e.to_string())?
}

/// [`verify_blocking`] on the blocking pool.
pub(crate) async fn verify(
    phc: Option<String>,
    password: &str,
    settings: &PasswordSettings,
) -> bool {
    let Ok(_permit) = HASHING.acquire().await else {
        return false;
    };
    let password = password.to_owned();
    let params = settings.params.clone();
    tokio::task::spawn_blocking(move || verify_blocking(phc.as_deref(), &password, params))
        .await
        .unwrap_or(false)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn cheap() -> argon2::Params {
        argon2::Params::new(256, 1, 1, None).unwrap()
    }

    #[test]
    fn hashes_are_salted_argon2id_and_verify() {
        let a = hash_blocking(cheap(), "korrekt pferd batterie").unwrap();
        let b = hash_blocking(cheap(), "korrekt pferd batterie").unwrap();
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "every hash has its own salt");
        assert!(verify_blocking(Some(&a), "korrekt pferd batterie", cheap()));
        // Verification uses the stored parameters, not the configured ones.
        assert!(verify_blocking(
            Some(&a),
            "korrekt pferd batterie",
            argon2::Params::DEFAULT
        ));
        assert!(!verify_blocking(Some(&a), "falsch", cheap()));
        assert!(!verify_blocking(None, "korrekt pferd batterie", cheap()));
        assert!(!verify_blocking(Some("kein hash"), "kein hash", cheap()));
    }
}
