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

/// Writes `bytes` to the new file `path` (0600 on Unix), never replacing one.
///
/// # Errors
/// [`crate::error::CliError::Usage`] if `path` exists; the I/O error otherwise.
pub fn write_private_new(path: &Path, bytes: &[u8]) -> Result<(), crate::error::CliError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| {
        let shown = path.display();
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            crate::error::CliError::Usage(crate::msg!(
                "{shown} gibt es schon; bitte einen neuen Dateinamen wählen.",
                "{shown} exists; please choose a new file name."
            ))
        } else {
            e.into()
        }
    })?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(())
}
