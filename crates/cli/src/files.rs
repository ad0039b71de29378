//! Files the CLI writes besides the database: readable by their owner only.
//!
//! They carry client data (the rejects file of an import names people), so a new file is
//! created with mode 0600 on Unix, whatever the umask allows. The database and its backups
//! are created the same way by `wegbereiter-storage`.

use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path`. A new file is created readable and writable by its owner only
/// (0600 on Unix); an existing file is truncated and keeps its mode.
///
/// # Errors
/// The I/O error.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.flush()
}
