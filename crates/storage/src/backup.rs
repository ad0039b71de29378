//! Online backup of a SQLite database (`VACUUM INTO`). PostgreSQL is backed up with
//! `pg_dump`; see `docs/operations.md`.

use std::path::Path;

use sea_orm::{ConnectionTrait, Statement};
use wegbereiter_core::ports::StorageError;

use crate::error::storage;
use crate::{Backend, Store};

impl Store {
    /// Writes a consistent copy of the whole database to the new file `path`, while the
    /// store stays in use (SQLite `VACUUM INTO`: one read transaction, so the copy is a
    /// snapshot including committed data still in the write-ahead log). The copy is a
    /// complete, compacted SQLite database; restoring means opening it (or putting it in the
    /// place of the old file while no process has that open). The file is readable and
    /// writable by its owner only (0600 on Unix): it is created empty with that mode before
    /// SQLite fills it.
    ///
    /// The copy carries the sealed content but **no case keys** and no key check (both are
    /// removed from it before this returns): restoring it needs the key file and a key backup
    /// ([`Store::export_case_keys`]) taken at or after it, so a case erased after the backup
    /// stays unreadable in it once no key backup from before the erasure is kept.
    ///
    /// # Errors
    /// [`StorageError::AlreadyExists`] if `path` exists (a backup never overwrites);
    /// [`StorageError::Backend`] on PostgreSQL, whose backups are made with `pg_dump`;
    /// other [`StorageError`]s if the copy cannot be written.
    pub async fn backup_to(&self, path: &Path) -> Result<(), StorageError> {
        if self.backend() == Backend::Postgres {
            return Err(StorageError::Backend(
                "online backup from inside wegbereiter is only available for SQLite; back up \
                 PostgreSQL with pg_dump (e.g. `pg_dump --format=custom --file=wegbereiter.dump \
                 <database>`) and restore with pg_restore, see docs/operations.md"
                    .into(),
            ));
        }
        // `symlink_metadata`, not `exists`: a dangling link or an unreadable directory is
        // not "free to write".
        match std::fs::symlink_metadata(path) {
            Ok(_) => {
                return Err(StorageError::AlreadyExists(format!(
                    "backup file {}",
                    path.display()
                )));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(StorageError::Unavailable(format!(
                    "cannot check the backup path {}: {e}",
                    path.display()
                )));
            }
        }
        if path.as_os_str().is_empty() || path.file_name().is_none() {
            return Err(StorageError::Backend(format!(
                "the backup path {:?} names no file",
                path.display()
            )));
        }
        let target = path.to_str().ok_or_else(|| {
            StorageError::Backend(format!(
                "the backup path {} is not valid UTF-8",
                path.display()
            ))
        })?;
        // Created here, empty and private, before SQLite writes into it (`VACUUM INTO`
        // accepts an empty file): SQLite would create it world-readable. `create_new` also
        // settles a race with another backup to the same path.
        crate::create_private_file(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                StorageError::AlreadyExists(format!("backup file {}", path.display()))
            } else {
                StorageError::Unavailable(format!(
                    "cannot write the backup {}: {e}",
                    path.display()
                ))
            }
        })?;
        // The target is opened with the flags of the open database; for an in-memory
        // database that would be another in-memory database. A `file:` URI with `mode=rwc`
        // names a file on disk in every case. It is a bound parameter, so no SQL quoting.
        let stmt = Statement::from_sql_and_values(
            self.conn().get_database_backend(),
            "VACUUM INTO $1",
            [sqlite_file_uri(target).into()],
        );
        self.conn().execute_raw(stmt).await.map_err(|e| {
            // The file is ours (created above): whatever SQLite left is removed.
            let _ = std::fs::remove_file(path);
            match storage(e) {
                StorageError::Unavailable(m) => StorageError::Unavailable(format!(
                    "cannot write the backup {}: {m}",
                    path.display()
                )),
                StorageError::Backend(m) => StorageError::Backend(format!(
                    "cannot write the backup {}: {m}",
                    path.display()
                )),
                other => other,
            }
        })?;
        if std::fs::metadata(path).is_ok_and(|m| m.len() > 0) {
            detach_keys(path).await.inspect_err(|_| {
                let _ = std::fs::remove_file(path);
            })
        } else {
            let _ = std::fs::remove_file(path);
            Err(StorageError::Backend(format!(
                "SQLite reported success but did not write {}",
                path.display()
            )))
        }
    }
}

/// Removes the case keys and the key check from a fresh backup copy (zeroed, then the file
/// compacted), so that the copy holds sealed content only: a case erased later cannot be read
/// from it, whatever key file it meets (see `vault`). The keys are backed up apart
/// ([`Store::export_case_keys`]).
async fn detach_keys(path: &Path) -> Result<(), StorageError> {
    use sea_orm::{ConnectOptions, Database};
    let p = path.to_path_buf();
    let mut opt = ConnectOptions::new("sqlite:");
    opt.max_connections(1)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(move |o| o.filename(&p).pragma("secure_delete", "ON"));
    let copy = Database::connect(opt).await.map_err(storage)?;
    let result = async {
        copy.execute_unprepared("DELETE FROM case_keys").await?;
        copy.execute_unprepared(&format!(
            "DELETE FROM installation_settings WHERE name = '{}'",
            crate::vault::KEY_SETTING
        ))
        .await?;
        copy.execute_unprepared("VACUUM").await
    }
    .await
    .map_err(storage);
    let _ = copy.close().await;
    result.map(drop)
}

/// A SQLite URI naming the file `path`, to be created: `file:<percent-encoded>?mode=rwc`.
fn sqlite_file_uri(path: &str) -> String {
    use std::fmt::Write;
    let mut uri = String::from("file:");
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'/' | b'.' | b'_' | b'-' | b'~') {
            uri.push(char::from(byte));
        } else {
            let _ = write!(uri, "%{byte:02X}");
        }
    }
    uri.push_str("?mode=rwc");
    uri
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_uris_escape_what_uris_reserve() {
        assert_eq!(
            super::sqlite_file_uri("/tmp/a b/x%?#ä.db"),
            "file:/tmp/a%20b/x%25%3F%23%C3%A4.db?mode=rwc"
        );
    }
}
