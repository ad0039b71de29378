//! Shared helpers for Wegbereiter's end-to-end tests.
//!
//! The end-to-end suite itself lives in `tests/e2e/` and is compiled as an
//! integration test of `wegbereiter-cli` (see that crate's `Cargo.toml`), so it
//! can reach the real binary through `env!("CARGO_BIN_EXE_wegbereiter")`.
//! This library holds what such tests share: running the binary in a scratch
//! directory and capturing its output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A scratch directory plus the path of the binary under test.
#[derive(Debug)]
pub struct Sandbox {
    dir: tempfile::TempDir,
    bin: PathBuf,
}

impl Sandbox {
    /// Creates a fresh temporary directory for a test run of `bin`.
    ///
    /// # Errors
    /// Returns the I/O error if no temporary directory can be created.
    pub fn new(bin: impl Into<PathBuf>) -> std::io::Result<Self> {
        Ok(Self {
            dir: tempfile::tempdir()?,
            bin: bin.into(),
        })
    }

    /// The scratch directory.
    #[must_use]
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs the binary with `args` inside the scratch directory and returns its output.
    ///
    /// # Errors
    /// Returns the I/O error if the binary cannot be started.
    pub fn run(&self, args: &[&str]) -> std::io::Result<Output> {
        Command::new(&self.bin)
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("WEGBEREITER_DATABASE_URL")
            .env_remove("WEGBEREITER_USER")
            .output()
    }
}
