//! Password hashing with argon2id (per-user random salt, PHC strings).
//!
//! Hashing is deliberately slow, so it runs on tokio's blocking pool.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Version};

use crate::PasswordSettings;

/// At most this many hashes run at once: each takes tens of MiB and a CPU for a while, so a
/// burst of sign-in attempts queues here instead of exhausting memory.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Hashes `password` with argon2id and a fresh random salt.
pub async fn hash(settings: &PasswordSettings, password: &str) -> Result<String, String> {
    let _permit = HASHING.acquire().await.map_err(|e| e.to_string())?;
    let params = settings.params.clone();
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
}

/// Whether `password` matches the PHC string `phc`. A malformed hash never matches.
pub async fn verify(phc: Option<String>, password: &str, settings: &PasswordSettings) -> bool {
    let Ok(_permit) = HASHING.acquire().await else {
        return false;
    };
    let password = password.to_owned();
    let params = settings.params.clone();
    tokio::task::spawn_blocking(move || {
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        match phc.as_deref().map(PasswordHash::new) {
            Some(Ok(parsed)) => argon.verify_password(password.as_bytes(), &parsed).is_ok(),
            _ => {
                // Unknown sign-in name: spend the same effort, so that timing does not tell
                // which names exist.
                let _ = argon.hash_password(password.as_bytes());
                false
            }
        }
    })
    .await
    .unwrap_or(false)
}
