//! Shared helpers for Wegbereiter's end-to-end tests.
//!
//! The end-to-end suite itself lives in `tests/e2e/` and is compiled as an
//! integration test of `wegbereiter-cli` (see that crate's `Cargo.toml`), so it
//! can reach the real binary through `env!("CARGO_BIN_EXE_wegbereiter")`.
//! This library holds what such tests share: running the binary in a scratch
//! directory and capturing its output ([`Sandbox`], [`Run`]), and a fresh
//! PostgreSQL database per test ([`PgDatabase`]) when `WEGBEREITER_TEST_POSTGRES`
//! names a server, an HTTP client for a running server ([`http`]) and the core of the web
//! load benchmark ([`load`]).

pub mod http;
pub mod load;

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use sea_orm::{ConnectionTrait, Database};

/// The environment variable naming a PostgreSQL server for tests, as an admin URL such as
/// `postgres://postgres:postgres@127.0.0.1:5432/postgres`.
pub const POSTGRES_ENV: &str = "WEGBEREITER_TEST_POSTGRES";

/// A scratch directory plus the path of the binary under test.
#[derive(Debug)]
pub struct Sandbox {
    dir: tempfile::TempDir,
    bin: PathBuf,
}

/// The outcome of one run of the binary.
#[derive(Debug, Clone)]
pub struct Run {
    /// Exit code (`None` if killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    fn from_output(out: &Output) -> Self {
        Self {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Standard output parsed as JSON.
    ///
    /// # Errors
    /// The parse error, with the output for context.
    pub fn json(&self) -> Result<serde_json::Value, String> {
        serde_json::from_str(&self.stdout).map_err(|e| {
            format!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// Both streams, for assertion messages.
    #[must_use]
    pub fn both(&self) -> String {
        format!(
            "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
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

    /// Writes `password` as the first line of a file only its owner may read, for
    /// `--password-file`, and returns its path.
    ///
    /// # Errors
    /// Returns the I/O error if the file cannot be written.
    pub fn password_file(&self, password: &str) -> std::io::Result<std::path::PathBuf> {
        let path = self.dir.path().join(format!(
            "password-{}",
            password.bytes().map(u32::from).sum::<u32>()
        ));
        std::fs::write(&path, format!("{password}\n"))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
        }
        Ok(path)
    }

    fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = Command::new(&self.bin);
        cmd.args(args)
            .current_dir(self.dir.path())
            .env_remove("WEGBEREITER_DATABASE_URL")
            .env_remove("WEGBEREITER_USER")
            .env_remove("WEGBEREITER_TOKEN")
            .env_remove("WEGBEREITER_PASSWORD_FILE")
            .env_remove("WEGBEREITER_KEY_FILE")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", "de_DE.UTF-8")
            // The default database lives in the platform data directory: keep it in here.
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("xdg-data"));
        cmd
    }

    /// Starts the binary with `args` inside the scratch directory, its output piped, for
    /// commands that keep running (`serve`).
    ///
    /// # Errors
    /// Returns the I/O error if the binary cannot be started.
    pub fn spawn(&self, args: &[&str]) -> std::io::Result<std::process::Child> {
        self.spawn_with(args, &[])
    }

    /// [`Sandbox::spawn`] with extra environment variables (e.g. `TMPDIR`).
    ///
    /// # Errors
    /// Returns the I/O error if the binary cannot be started.
    pub fn spawn_with(
        &self,
        args: &[&str],
        env: &[(&str, &OsStr)],
    ) -> std::io::Result<std::process::Child> {
        let mut cmd = self.command(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
    }

    /// Runs the binary with `args` inside the scratch directory and returns its output.
    ///
    /// # Errors
    /// Returns the I/O error if the binary cannot be started.
    pub fn run(&self, args: &[&str]) -> std::io::Result<Output> {
        self.command(args).stdin(Stdio::null()).output()
    }

    /// Runs the binary with `args`, feeding `stdin`, with extra environment variables.
    ///
    /// # Errors
    /// Returns the I/O error if the binary cannot be started or fed.
    pub fn run_with<S: AsRef<OsStr>>(
        &self,
        args: &[S],
        stdin: Option<&[u8]>,
        env: &[(&str, &str)],
    ) -> std::io::Result<Run> {
        let mut cmd = self.command(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let mut child = cmd.spawn()?;
        if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
            pipe.write_all(input)?;
        }
        Ok(Run::from_output(&child.wait_with_output()?))
    }

    /// Runs the binary with stdout going to `stdout` (e.g. `/dev/full`).
    ///
    /// # Errors
    /// Returns the I/O error if the binary cannot be started.
    pub fn run_to_file<S: AsRef<OsStr>>(
        &self,
        args: &[S],
        stdout: std::fs::File,
    ) -> std::io::Result<Run> {
        let out = self
            .command(args)
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(Stdio::piped())
            .output()?;
        Ok(Run::from_output(&out))
    }
}

/// The admin URL of the test PostgreSQL server, if one is configured.
#[must_use]
pub fn postgres_admin_url() -> Option<String> {
    std::env::var(POSTGRES_ENV)
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

/// Whether this run is on CI (`CI=true`), where skipping PostgreSQL is a failure.
#[must_use]
pub fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true"))
}

/// A fresh PostgreSQL database, dropped (best effort) when this value is dropped.
#[derive(Debug)]
pub struct PgDatabase {
    admin_url: String,
    name: String,
    url: String,
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}

impl PgDatabase {
    /// Creates a database with a unique name on the server behind `admin_url`.
    ///
    /// # Errors
    /// A description of what failed.
    pub fn create(admin_url: &str) -> Result<Self, String> {
        let name = format!("wb_e2e_{}", uuid::Uuid::now_v7().simple());
        let base = admin_url
            .rsplit_once('/')
            .map(|(base, _)| base.to_owned())
            .ok_or_else(|| format!("{POSTGRES_ENV} is not a URL with a database: {admin_url}"))?;
        let url = format!("{base}/{name}");
        let rt = runtime().map_err(|e| e.to_string())?;
        rt.block_on(async {
            let db = Database::connect(admin_url)
                .await
                .map_err(|e| format!("cannot connect to {POSTGRES_ENV}: {e}"))?;
            db.execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .map_err(|e| format!("cannot create database {name}: {e}"))?;
            let _ = db.close().await;
            Ok::<_, String>(())
        })?;
        Ok(Self {
            admin_url: admin_url.to_owned(),
            name,
            url,
        })
    }

    /// The URL of the new database.
    #[must_use]
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let Ok(rt) = runtime() else { return };
        rt.block_on(async {
            if let Ok(db) = Database::connect(self.admin_url.as_str()).await {
                let _ = db
                    .execute_unprepared(&format!(
                        "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                        self.name
                    ))
                    .await;
                let _ = db.close().await;
            }
        });
    }
}

/// A fresh PostgreSQL database for `test`, or `None` (with a note on stderr) when no server is
/// configured.
///
/// # Panics
/// On CI (`CI=true`) without `WEGBEREITER_TEST_POSTGRES`, or when the server cannot be used:
/// a skipped PostgreSQL test must not pass unnoticed there.
#[allow(clippy::panic)]
#[must_use]
pub fn postgres_for(test: &str) -> Option<PgDatabase> {
    match postgres_admin_url() {
        Some(url) => match PgDatabase::create(&url) {
            Ok(db) => Some(db),
            Err(e) => panic!("{test}: {e}"),
        },
        None if on_ci() => {
            panic!("{test}: {POSTGRES_ENV} is not set on CI; the PostgreSQL tests must run there")
        }
        None => {
            eprintln!(
                "{test}: NOT run against PostgreSQL ({POSTGRES_ENV} is not set); SQLite only"
            );
            None
        }
    }
}
