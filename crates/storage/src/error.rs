//! The crate boundary for errors: every `DbErr` becomes a [`StorageError`] here.
//!
//! No sea-orm or sqlx type leaves this crate. Callers that know more about the situation
//! (an append that lost a race, a taken sign-in name) look at the raw error first with the
//! helpers below and choose the more precise variant themselves.

use std::borrow::Cow;

use sea_orm::{DbErr, RuntimeErr, SqlErr};
use wegbereiter_core::ports::StorageError;

/// The raw driver error code: SQLite's extended result code ("5", "517", "1555"…) or
/// PostgreSQL's SQLSTATE ("23505", "3D000"…).
pub(crate) fn db_code(e: &DbErr) -> Option<String> {
    let (DbErr::Conn(rt) | DbErr::Exec(rt) | DbErr::Query(rt)) = e else {
        return None;
    };
    let RuntimeErr::SqlxError(se) = rt else {
        return None;
    };
    match se.as_ref() {
        sea_orm::sqlx::Error::Database(d) => d.code().map(Cow::into_owned),
        _ => None,
    }
}

/// The driver's own message, without sea-orm's wrapping (and without PostgreSQL's
/// "at line N" source position, which means nothing to an operator).
fn message(e: &DbErr) -> String {
    if let DbErr::Conn(rt) | DbErr::Exec(rt) | DbErr::Query(rt) = e
        && let RuntimeErr::SqlxError(se) = rt
    {
        if let sea_orm::sqlx::Error::Database(d) = se.as_ref() {
            return d.message().to_owned();
        }
        return se.to_string();
    }
    e.to_string()
}

/// The primary SQLite result code (the low byte of the extended code), if `code` is one.
/// PostgreSQL's SQLSTATEs always have five characters; SQLite's codes at most four digits.
fn sqlite_primary(code: &str) -> Option<u32> {
    if code.len() <= 4 {
        code.parse::<u32>().ok().map(|c| c & 0xff)
    } else {
        None
    }
}

/// Whether a unique or primary-key constraint refused the statement.
pub(crate) fn is_unique_violation(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// Whether the database refused because another writer holds the lock or won a race:
/// SQLite `SQLITE_BUSY` and its extended codes (5, 261, 517, 773…), PostgreSQL
/// serialization failure and deadlock.
pub(crate) fn is_busy(e: &DbErr) -> bool {
    match db_code(e).as_deref() {
        Some("40001" | "40P01") => true,
        Some(code) => sqlite_primary(code) == Some(5),
        None => false,
    }
}

/// Whether SQLite said the file is not a database (`SQLITE_NOTADB`, 26).
pub(crate) fn is_not_a_database(e: &DbErr) -> bool {
    db_code(e).as_deref().and_then(sqlite_primary) == Some(26)
}

/// Converts any database error into a [`StorageError`].
pub(crate) fn storage(e: DbErr) -> StorageError {
    if is_busy(&e) {
        return StorageError::Unavailable(format!(
            "the database is busy with another writer, try again ({})",
            message(&e)
        ));
    }
    let code = db_code(&e);
    match code.as_deref() {
        // SQLITE_CORRUPT and SQLITE_NOTADB, with their extended codes.
        Some(c) if matches!(sqlite_primary(c), Some(11 | 26)) => {
            return StorageError::Corrupt(message(&e));
        }
        // SQLITE_CANTOPEN, SQLITE_FULL, SQLITE_IOERR, SQLITE_READONLY.
        Some(c) if matches!(sqlite_primary(c), Some(8 | 10 | 13 | 14)) => {
            return StorageError::Unavailable(message(&e));
        }
        // PostgreSQL "invalid byte sequence for encoding UTF8: 0x00": Rust strings are valid
        // UTF-8, so this is always the character U+0000, which PostgreSQL text cannot hold.
        Some("22021") => {
            return StorageError::Backend(
                "text containing the character U+0000 (NUL) cannot be stored in PostgreSQL; \
                 nothing was written"
                    .into(),
            );
        }
        // PostgreSQL classes 08 (connection), 53 (resources), 57P (operator intervention).
        Some(c)
            if c.len() == 5
                && (c.starts_with("08") || c.starts_with("53") || c.starts_with("57P")) =>
        {
            return StorageError::Unavailable(message(&e));
        }
        _ => {}
    }
    match e {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => StorageError::Unavailable(message(&e)),
        DbErr::Json(_) | DbErr::Type(_) => StorageError::Corrupt(message(&e)),
        _ => StorageError::Backend(message(&e)),
    }
}

/// Stored data that cannot be turned back into a domain value.
pub(crate) fn corrupt(what: impl std::fmt::Display) -> StorageError {
    StorageError::Corrupt(what.to_string())
}
