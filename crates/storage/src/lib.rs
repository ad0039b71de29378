//! # wegbereiter-storage: persistence on sea-orm
//!
//! Implements the ports of [`wegbereiter_core::ports`] on sea-orm 2.x, for an embedded
//! **SQLite** file (the default) and **PostgreSQL** (for several web instances and larger
//! projects), with one schema and one behaviour on both.
//!
//! ## The shape
//! * The case histories are stored **append-only** in `events`, one row per
//!   [`RecordedEvent`](wegbereiter_core::RecordedEvent), as the canonical JSON that
//!   core defines, **hash-chained** per case ([`Store::verify`]).
//! * **Read models** (`cases`, `case_clients`, `case_reminder_triggers`, `case_attendance`)
//!   answer lists, duplicate hints, reminders and attendance sheets without replaying
//!   histories. They are written in the same transaction as the events and can be rebuilt
//!   from the events at any time ([`Store::rebuild_read_models`]).
//! * **Optimistic concurrency**: an append names the version it expects; a stale version, or
//!   losing a race to another writer, yields [`StorageError::Conflict`] and writes nothing.
//! * Directories (staff, teams, specialist services, group sessions) and their **audit log**,
//!   the **access log** of case-file reads, and what several web instances must share (web
//!   sessions, sign-in throttling) live in ordinary tables.
//!
//! [`Store`] is the entry point: [`Store::open`] connects, checks and migrates the schema;
//! [`Store::case_service`] gives the one write path, core's
//! [`CaseService`].
//!
//! ## Example
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use wegbereiter_core::Policy;
//! let store = wegbereiter_storage::Store::open("wegbereiter.db").await?;
//! let service = store.case_service(Policy::default());
//! # let _ = service; Ok(()) }
//! ```
//!
//! ## Architecture invariants
//! * No sea-orm or sqlx type appears in a public signature; database errors become
//!   [`StorageError`] in the `error` module.
//! * Only the `mapping` module converts between rows (the `entity` modules) and domain values.
//! * The schema is defined by the versioned migrations alone (the `migration` module).
//! * No rule is decided here: appends replay the events through core's
//!   [`Case::apply`](wegbereiter_core::Case::apply) only to refresh the read models.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    AccessMode, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction,
    DbBackend, DbErr, IsolationLevel, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use wegbereiter_core::ids::{CaseId, StaffId};
use wegbereiter_core::ports::CaseRepository;
use wegbereiter_core::{CaseService, Policy};

mod access_export;
mod backup;
mod chain;
mod entity;
mod error;
mod explain;
mod mapping;
mod migration;
mod privacy_requests;
mod read_model;
mod repo;
mod retention;
mod settings;
mod staff_retention;
mod tokens;
mod vault;
mod web;

pub use access_export::{AccessExport, ExportedCase, ExportedRead, PersonMatch};
pub use explain::QueryPlan;
pub use privacy_requests::{
    ANSWERED_LISTED, PRIVACY_REQUEST_DONE, PRIVACY_REQUEST_EXTENDED, PRIVACY_REQUEST_RECEIVED,
    PRIVACY_REQUEST_REFUSED, RequestError,
};
pub use read_model::{
    DueReminder, LoadCount, ReadModelSnapshot, ReminderScope, RemindersPage, TeamCaseload,
};
pub use retention::{
    Applied, CASE_ERASED, CASE_RESTRICTED, CONTENT_ERASED, CarriedOut, PlannedCase, RETENTION_SET,
    RetentionError, StepDone,
};
pub use settings::{DEFAULT_TIME_ZONE, RURAL_POSTCODES_SET, StoredTimeZone, TIME_ZONE_SET};
pub use staff_retention::STAFF_ERASED;
pub use tokens::{IdempotencyClaim, PersonalToken, TokenScope, UnknownScope};
pub use vault::{
    CaseKeyBackup, InstallationKey, KEY_ADOPTED, KEY_ROTATED, KEYS_RESTORED, KeyFileError,
    WrappedCaseKey,
};
pub use web::{AccessQuery, AuditQuery, LoginFailureStats, Page};
pub use wegbereiter_core::ports::StorageError;

/// The audit action of a funder export of the ESF Plus data written (CLI) or downloaded
/// (web); its subject names the period, the scope, the format and how many participants.
pub const ESF_EXPORTED: &str = "report.esf_exported";

/// The audit action of statistics written (CLI) or downloaded (web) for passing on; its
/// subject names the period, the scope, the division and the format.
pub const STATISTICS_EXPORTED: &str = "report.statistics_exported";

/// The audit action of a case list written (CLI) or downloaded (web) as a spreadsheet; its
/// subject names the number of cases, the format and which filters were set (never a search
/// text or a name).
pub const CASES_EXPORTED: &str = "cases.exported";

/// The database behind a [`Store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// An embedded SQLite file (or an in-memory database for tests).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        })
    }
}

/// Whether [`Store::open_with`] may make a new database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OpenMode {
    /// A missing SQLite file is created (with its folders), and an empty file becomes a new
    /// database: for setting up (`init`, demo data).
    Create,
    /// Only a database that exists: a missing file ([`OpenError::Missing`]), an empty one or
    /// a SQLite file without tables ([`OpenError::Empty`]) is refused and left unchanged, byte
    /// for byte and without `-wal`/`-shm` files beside it. A PostgreSQL database is opened (and
    /// migrated) as with [`OpenMode::Create`]: the server decides whether it exists.
    Existing,
}

/// Why [`Store::open`] failed. In every case the database was left unchanged.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The address has a scheme that is not supported (the scheme is given, without the rest
    /// of the address, which may contain a password).
    #[error(
        "unsupported database address scheme {0:?}: use a file path or sqlite://path for SQLite, \
         or postgres://user:password@host:port/database for PostgreSQL"
    )]
    UnknownScheme(String),
    /// The file exists but is not a SQLite database.
    #[error("{} exists but is not a SQLite database; it was left unchanged", .0.display())]
    NotADatabase(PathBuf),
    /// [`OpenMode::Existing`]: the file does not exist (nothing was created).
    #[error("{} does not exist; nothing was created", .0.display())]
    Missing(PathBuf),
    /// [`OpenMode::Existing`]: the file is empty (zero bytes, or a SQLite database without any
    /// table), so it holds no Wegbereiter database; it was left unchanged.
    #[error("{} is empty, not a Wegbereiter database; it was left unchanged", .0.display())]
    Empty(PathBuf),
    /// The database was migrated by a newer version of Wegbereiter.
    #[error(
        "the database has a newer schema than this version of wegbereiter knows (unknown \
         migrations: {}); install the newer version, the database was left unchanged",
        unknown.join(", ")
    )]
    SchemaTooNew {
        /// The applied migrations this binary does not know.
        unknown: Vec<String>,
    },
    /// The file is a SQLite database of another program (it has tables but no Wegbereiter
    /// schema); it was left unchanged.
    #[error(
        "{} is a SQLite database of another program (tables: {}); it was left unchanged — \
         choose another file for Wegbereiter",
        path.display(),
        tables.join(", ")
    )]
    ForeignDatabase {
        /// The file.
        path: PathBuf,
        /// Some of its tables.
        tables: Vec<String>,
    },
    /// The database cannot be reached or opened (server down, wrong password, missing
    /// permissions, busy).
    #[error("cannot open the database: {0}")]
    Unavailable(String),
    /// A migration failed; it was rolled back.
    #[error("cannot migrate the database schema (nothing was changed): {0}")]
    Migration(String),
    /// The database seals its content with an installation key and none was given.
    #[error(
        "the database is encrypted with installation key {id}: give its key file \
         (--key-file or WEGBEREITER_KEY_FILE); nothing was changed"
    )]
    KeyRequired {
        /// The id of the database's installation key.
        id: String,
    },
    /// The key given is not the database's installation key.
    #[error(
        "the key file holds installation key {given}, but the database is encrypted with \
         key {expected}: give the right key file; nothing was changed"
    )]
    WrongKey {
        /// The id of the database's installation key.
        expected: String,
        /// The id of the key given.
        given: String,
    },
}

/// The result of [`Store::verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// Cases whose chains were checked completely.
    pub cases_checked: u64,
    /// Events checked.
    pub events_checked: u64,
    /// The first broken link, in the order of case id and sequence; checking stops there.
    pub first_broken: Option<BrokenLink>,
}

impl VerifyReport {
    /// Whether every chain is intact.
    #[must_use]
    pub fn is_intact(&self) -> bool {
        self.first_broken.is_none()
    }
}

/// Where a case's hash chain is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The case.
    pub case_id: CaseId,
    /// The first event whose link does not hold (one past the last event when events are
    /// missing at the end of the history).
    pub sequence: u64,
    /// What does not hold, e.g. "hash does not match the stored content".
    pub reason: String,
}

/// One write outside the case histories (staff, teams, services, group sessions,
/// credentials). Case changes are audited by their events, which carry actor and time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// Position in the log (increasing in the order of recording); pages continue before it.
    pub id: i64,
    /// When (the time of the command); for an aggregated line the first occurrence.
    pub at: DateTime<Utc>,
    /// How many times it happened: failed and throttled sign-ins of one sign-in name within
    /// one clock hour share one line; 1 for everything else.
    pub count: u64,
    /// Who; `None` for set-up steps before anyone exists.
    pub actor: Option<StaffId>,
    /// What was done, e.g. `staff.saved`.
    pub action: String,
    /// To what, as stored, e.g. `staff 0190… (erika.musterfrau)`; read it with
    /// [`AuditRecord::about`].
    pub subject: String,
}

/// One read of a case file as the access log recorded it: the port's [`AccessEntry`] and the
/// reader's sign-in name and display name as they were at the time of the read, so that
/// renaming an account changes none of its past reads.
///
/// [`AccessEntry`]: wegbereiter_core::ports::AccessEntry
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessRecord {
    /// Position in the log (increasing in the order of recording); pages continue before it.
    pub id: i64,
    /// The read.
    pub entry: wegbereiter_core::ports::AccessEntry,
    /// The reader's sign-in name at the time; `None` for reads recorded before this was kept
    /// (migration `m0002`) or by someone without a staff row.
    pub reader_login: Option<String>,
    /// The reader's display name at the time; `None` as for `reader_login`.
    pub reader_name: Option<String>,
}

impl AuditRecord {
    /// What the line concerns, read back from [`AuditRecord::subject`] with its action.
    #[must_use]
    pub fn about(&self) -> AuditSubject {
        AuditSubject::parse(&self.action, &self.subject)
    }
}

/// What an audit-log line concerns. Directory writes record one of the first four; a
/// sign-in line records the name as typed ([`AuditSubject::Typed`]). The stored form is
/// text (`staff <id> (<login>)`), written and read only here.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuditSubject {
    /// A staff member, with the login at the time when known.
    Staff {
        /// Id.
        id: StaffId,
        /// Login at the time.
        login: Option<String>,
    },
    /// A team.
    Team {
        /// Id.
        id: wegbereiter_core::ids::TeamId,
        /// Name at the time.
        name: String,
    },
    /// A specialist service.
    Service {
        /// Id.
        id: wegbereiter_core::ids::ServiceId,
        /// Name at the time.
        name: String,
    },
    /// A Phase 2 group session.
    GroupSession {
        /// Id.
        id: wegbereiter_core::ids::GroupSessionId,
        /// Date and title at the time.
        label: String,
    },
    /// A role granted to or removed from a staff member (`staff.role_granted`,
    /// `staff.role_removed`).
    StaffRole {
        /// Id.
        id: StaffId,
        /// Login at the time.
        login: String,
        /// The role's stable key, e.g. `team_lead`.
        role: String,
    },
    /// Text as given, e.g. a sign-in name as typed.
    Typed(String),
}

impl AuditSubject {
    /// The stored form.
    #[must_use]
    pub fn stored(&self) -> String {
        match self {
            Self::Staff { id, login: Some(l) } => format!("staff {id} ({l})"),
            Self::Staff { id, login: None } => format!("staff {id}"),
            Self::Team { id, name } => format!("team {id} ({name})"),
            Self::Service { id, name } => format!("service {id} ({name})"),
            Self::GroupSession { id, label } => format!("group session {id} ({label})"),
            Self::StaffRole { id, login, role } => format!("staff {id} ({login}) role {role}"),
            Self::Typed(text) => text.clone(),
        }
    }

    /// Reads a stored form back. Only the directory actions (`staff.`, `team.`,
    /// `service.`, `group_session.`) record a directory subject; for every other action,
    /// a sign-in name included, the text stays [`AuditSubject::Typed`] even if it looks like
    /// a directory entry. Text that does not parse stays `Typed` as well.
    #[must_use]
    pub fn parse(action: &str, stored: &str) -> Self {
        fn split<'a>(stored: &'a str, prefix: &str) -> Option<(&'a str, Option<&'a str>)> {
            let rest = stored.strip_prefix(prefix)?;
            Some(match rest.split_once(' ') {
                Some((id, detail)) => (
                    id,
                    Some(
                        detail
                            .strip_prefix('(')
                            .and_then(|d| d.strip_suffix(')'))
                            .unwrap_or(detail),
                    ),
                ),
                None => (rest, None),
            })
        }
        if matches!(action, "staff.role_granted" | "staff.role_removed")
            && let Some((staff, role)) = stored.rsplit_once(") role ")
            && let Some((id, login)) = staff
                .strip_prefix("staff ")
                .and_then(|s| s.split_once(" ("))
            && let Ok(id) = id.parse()
        {
            return Self::StaffRole {
                id,
                login: login.to_owned(),
                role: role.to_owned(),
            };
        }
        let kind = action.split('.').next().unwrap_or_default();
        let parsed = match kind {
            "staff" => split(stored, "staff ").and_then(|(id, login)| {
                Some(Self::Staff {
                    id: id.parse().ok()?,
                    login: login.map(str::to_owned),
                })
            }),
            "team" => split(stored, "team ").and_then(|(id, name)| {
                Some(Self::Team {
                    id: id.parse().ok()?,
                    name: name?.to_owned(),
                })
            }),
            "service" => split(stored, "service ").and_then(|(id, name)| {
                Some(Self::Service {
                    id: id.parse().ok()?,
                    name: name?.to_owned(),
                })
            }),
            "group_session" => split(stored, "group session ").and_then(|(id, label)| {
                Some(Self::GroupSession {
                    id: id.parse().ok()?,
                    label: label?.to_owned(),
                })
            }),
            _ => None,
        };
        parsed.unwrap_or_else(|| Self::Typed(stored.to_owned()))
    }
}

/// The Wegbereiter database: implements every port of [`wegbereiter_core::ports`].
///
/// Cheap to clone; clones share one connection pool.
#[derive(Debug, Clone)]
pub struct Store {
    db: DatabaseConnection,
    backend: Backend,
    /// The installation key, shared by the clones (see the `vault` module).
    vault: vault::Vault,
}

/// Where [`Store::open`] connects to.
enum Target {
    Memory,
    File(PathBuf),
    Postgres(String),
}

fn parse_target(target: &str) -> Result<Target, OpenError> {
    let t = target.trim();
    if t.is_empty() {
        return Err(OpenError::Unavailable(
            "no database given: name a file path, sqlite://path or postgres://…".into(),
        ));
    }
    if t == ":memory:" || t.starts_with("sqlite::memory:") {
        return Ok(Target::Memory);
    }
    if t.starts_with("postgres://") || t.starts_with("postgresql://") {
        return Ok(Target::Postgres(t.to_owned()));
    }
    if let Some(rest) = t
        .strip_prefix("sqlite://")
        .or_else(|| t.strip_prefix("sqlite:"))
    {
        // Options in the URL (`?mode=rwc`) are ignored: the store sets its own.
        let path = rest.split('?').next().unwrap_or_default();
        if path.is_empty() {
            return Err(OpenError::Unavailable(format!(
                "no file path in {t:?}: write sqlite://path/to/file.db"
            )));
        }
        return Ok(Target::File(PathBuf::from(path)));
    }
    if let Some((scheme, _)) = t.split_once("://") {
        return Err(OpenError::UnknownScheme(format!("{scheme}://")));
    }
    Ok(Target::File(PathBuf::from(t)))
}

/// A PostgreSQL URL without its password, for messages.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    // Drop the query (it may hold a password too), then everything between the user name and
    // the last `@`: an unencoded password may contain `/`, `:` or `@` itself.
    let rest = rest.split('?').next().unwrap_or_default();
    match rest.rsplit_once('@') {
        Some((userinfo, host_and_path)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}@{host_and_path}")
        }
        None => format!("{scheme}://{rest}"),
    }
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Refuses an existing file that is not a SQLite database before SQLite touches it; with
/// [`OpenMode::Existing`] also a missing or empty one. With [`OpenMode::Create`] a missing
/// file is created here, empty and readable by its owner only (0600 on Unix): SQLite would
/// create it world-readable, and gives its `-wal` and `-shm` files the mode of the database.
fn check_sqlite_file(path: &Path, mode: OpenMode) -> Result<(), OpenError> {
    use std::io::Read;
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(OpenError::Unavailable(format!(
            "{} is a directory, not a database file",
            path.display()
        ))),
        Ok(meta) if meta.len() == 0 => match mode {
            OpenMode::Create => Ok(()),
            OpenMode::Existing => Err(OpenError::Empty(path.to_path_buf())),
        },
        Ok(_) => {
            let mut header = [0u8; 16];
            let mut file = std::fs::File::open(path).map_err(|e| {
                OpenError::Unavailable(format!("cannot read {}: {e}", path.display()))
            })?;
            match file.read_exact(&mut header) {
                Ok(()) if &header == SQLITE_MAGIC => Ok(()),
                Ok(()) => Err(OpenError::NotADatabase(path.to_path_buf())),
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                    Err(OpenError::NotADatabase(path.to_path_buf()))
                }
                Err(e) => Err(OpenError::Unavailable(format!(
                    "cannot read {}: {e}",
                    path.display()
                ))),
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if mode == OpenMode::Existing {
                return Err(OpenError::Missing(path.to_path_buf()));
            }
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| {
                    OpenError::Unavailable(format!(
                        "cannot create the directory {}: {e}",
                        dir.display()
                    ))
                })?;
            }
            match create_private_file(path) {
                // Another process created it in the meantime: SQLite opens what is there.
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
                Err(e) => Err(OpenError::Unavailable(format!(
                    "cannot create {}: {e}",
                    path.display()
                ))),
            }
        }
        Err(e) => Err(OpenError::Unavailable(format!(
            "cannot access {}: {e}",
            path.display()
        ))),
    }
}

/// Creates the new, empty file `path`, readable and writable by its owner only (0600 on
/// Unix, whatever the umask would allow); fails if it exists.
pub(crate) fn create_private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(drop)
}

/// Looks into an existing SQLite file read-only, before anything may change it (not even the
/// journal mode): refuses a database of another program and one of a newer schema; with
/// [`OpenMode::Existing`] also a database without any table.
async fn preflight_sqlite(path: &Path, mode: OpenMode) -> Result<(), OpenError> {
    if std::fs::metadata(path).map_or(true, |m| m.len() == 0) {
        return Ok(());
    }
    let p = path.to_path_buf();
    let mut opt = ConnectOptions::new("sqlite:");
    opt.max_connections(1)
        .min_connections(0)
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(move |o| {
            o.filename(&p)
                .read_only(true)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
        });
    let opened = |e: DbErr| {
        if error::is_not_a_database(&e) {
            OpenError::NotADatabase(path.to_path_buf())
        } else {
            OpenError::Unavailable(format!("{}: {}", path.display(), error::storage(e)))
        }
    };
    let db = Database::connect(opt).await.map_err(opened)?;
    let verdict = async {
        let txn = db.begin().await.map_err(opened)?;
        let unknown = migration::unknown_applied(&txn).await.map_err(opened)?;
        if !unknown.is_empty() {
            return Err(OpenError::SchemaTooNew { unknown });
        }
        if !migration::is_ours_or_empty(&txn).await.map_err(opened)? {
            let tables = migration::table_names(&txn).await.map_err(opened)?;
            return Err(OpenError::ForeignDatabase {
                path: path.to_path_buf(),
                tables: tables.into_iter().take(5).collect(),
            });
        }
        if mode == OpenMode::Existing
            && migration::table_names(&txn)
                .await
                .map_err(opened)?
                .is_empty()
        {
            return Err(OpenError::Empty(path.to_path_buf()));
        }
        Ok(())
    }
    .await;
    let _ = db.close().await;
    verdict
}

/// How long a SQLite writer waits for another writer's lock before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a PostgreSQL connection attempt may take before the server counts as down.
const POSTGRES_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// An arbitrary, fixed key for the advisory lock that serialises migrations of several
/// instances starting at once against one PostgreSQL database.
const MIGRATION_LOCK_KEY: i64 = 0x5765_6762_6572_6569; // "Wegberei"

/// Begins a transaction that will write: `BEGIN IMMEDIATE` on SQLite, so that a writer waits
/// for the lock up front instead of failing at its first write after reading (a deferred
/// transaction that read before another writer committed fails with `SQLITE_BUSY_SNAPSHOT`
/// whatever the busy timeout).
///
/// On PostgreSQL the isolation level is always read committed, whatever the server's default:
/// the write path relies on it (a racing writer's commit shows up in the version check, and the
/// loser fails on the primary key, which becomes a conflict). Under `serializable` the loser
/// would fail with a serialisation error instead.
pub(crate) async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let isolation_level = match db.get_database_backend() {
        DbBackend::Postgres => Some(IsolationLevel::ReadCommitted),
        _ => None,
    };
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        isolation_level,
        ..Default::default()
    })
    .await
}

/// The pause before retry `attempt` of a command that lost a race (see
/// [`CaseService::execute_at`]): 5 ms doubled with every attempt up to 160 ms, plus jitter of
/// up to 10 ms per attempt, so writers that collided do not meet again in step and a busy
/// machine (eight writers on two cores) still lets every writer through within the bound. The jitter needs no random generator: the clock's
/// nanoseconds and the process id differ between writers.
#[must_use]
pub fn retry_pause() -> wegbereiter_core::service::RetryPause {
    Arc::new(
        |attempt: u32| -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let spread = 10_000 * attempt.max(1);
            let jitter = (nanos ^ std::process::id().wrapping_mul(2_654_435_761)) % spread;
            let base = 5_000u64 << attempt.saturating_sub(1).min(5);
            let wait = Duration::from_micros(base + u64::from(jitter));
            Box::pin(tokio::time::sleep(wait))
        },
    )
}

/// Begins a read-only transaction that sees one consistent snapshot (repeatable read on
/// PostgreSQL; on SQLite in WAL mode every read transaction is a snapshot).
pub(crate) async fn begin_snapshot(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            db.begin_with_options(TransactionOptions {
                isolation_level: Some(IsolationLevel::RepeatableRead),
                access_mode: Some(AccessMode::ReadOnly),
                ..Default::default()
            })
            .await
        }
        _ => db.begin().await,
    }
}

impl Store {
    /// Opens (and, for SQLite, creates) the database at `target`, checks its schema and runs
    /// pending migrations.
    ///
    /// `target` is
    /// * a file path, relative or absolute (`wegbereiter.db`, `/var/lib/wegbereiter/db`), or
    ///   `sqlite://path`: a SQLite file, created on first use together with its directory,
    ///   in WAL mode with foreign keys on, a busy timeout of 5 s, `synchronous = FULL` and
    ///   `secure_delete` (erased content is zeroed in the file);
    /// * `sqlite::memory:`: a private in-memory database (tests, demos);
    /// * `postgres://user:password@host:port/database` (or `postgresql://`): a PostgreSQL
    ///   database that must exist; the store creates its tables in it.
    ///
    /// Migrations run in one transaction, serialised between several processes opening the
    /// same database at once (SQLite write lock, PostgreSQL advisory lock).
    ///
    /// A new SQLite file is readable and writable by its owner only (0600 on Unix), and so
    /// are the `-wal` and `-shm` files SQLite makes beside it.
    ///
    /// This is [`Store::open_with`] with [`OpenMode::Create`]; programs that only use a
    /// database set up before call [`Store::open_existing`].
    ///
    /// # Errors
    /// [`OpenError::UnknownScheme`] for other URL schemes, [`OpenError::NotADatabase`] for a
    /// file that is not SQLite, [`OpenError::ForeignDatabase`] for another program's SQLite
    /// database, [`OpenError::SchemaTooNew`] for a database migrated by a newer version,
    /// [`OpenError::Unavailable`] when it cannot be reached or opened,
    /// [`OpenError::Migration`] when a migration fails. The database is unchanged in every
    /// error case.
    pub async fn open(target: &str) -> Result<Self, OpenError> {
        Self::open_with(target, OpenMode::Create).await
    }

    /// Opens an existing database at `target` ([`OpenMode::Existing`]): as [`Store::open`],
    /// but a SQLite file that is missing, empty (zero bytes) or a SQLite database without any
    /// table is refused and left unchanged instead of being made a new database.
    ///
    /// # Errors
    /// As [`Store::open`], and [`OpenError::Missing`] or [`OpenError::Empty`].
    pub async fn open_existing(target: &str) -> Result<Self, OpenError> {
        Self::open_with(target, OpenMode::Existing).await
    }

    /// Opens the database at `target`, creating a new one only if `mode` allows it; see
    /// [`Store::open`] and [`OpenMode`].
    ///
    /// # Errors
    /// As [`Store::open`]; with [`OpenMode::Existing`] also [`OpenError::Missing`] and
    /// [`OpenError::Empty`].
    pub async fn open_with(target: &str, mode: OpenMode) -> Result<Self, OpenError> {
        // An in-memory database lives as long as the store: a fresh key costs nothing and
        // seals its content as a file's would be.
        let key = matches!(parse_target(target)?, Target::Memory).then(InstallationKey::generate);
        Self::open_keyed(target, mode, key).await
    }

    /// Opens the database at `target` as [`Store::open_with`], with the installation key
    /// `key` (read from the key file, [`InstallationKey::load`]): the database's special
    /// category content is sealed with case keys wrapped by it (see [`InstallationKey`]). A
    /// database that has no key yet takes this one, and its plaintext content is sealed in
    /// the same transaction as the migrations (audited as [`KEY_ADOPTED`]).
    ///
    /// # Errors
    /// As [`Store::open_with`]; [`OpenError::WrongKey`] if the database was sealed with
    /// another key. Nothing is changed then.
    pub async fn open_with_key(
        target: &str,
        mode: OpenMode,
        key: InstallationKey,
    ) -> Result<Self, OpenError> {
        Self::open_keyed(target, mode, Some(key)).await
    }

    async fn open_keyed(
        target: &str,
        mode: OpenMode,
        key: Option<InstallationKey>,
    ) -> Result<Self, OpenError> {
        let (db, backend) = match parse_target(target)? {
            Target::Memory => {
                let mut opt = ConnectOptions::new("sqlite::memory:");
                // Every connection would get its own empty database, so there is exactly one,
                // and it is never closed for idleness or age.
                opt.max_connections(1)
                    .min_connections(1)
                    .idle_timeout(None::<Duration>)
                    .max_lifetime(None::<Duration>)
                    .acquire_timeout(Duration::from_secs(30))
                    .sqlx_logging(false)
                    .map_sqlx_sqlite_opts(|o| {
                        o.foreign_keys(true).busy_timeout(SQLITE_BUSY_TIMEOUT)
                    });
                let db = Database::connect(opt)
                    .await
                    .map_err(|e| OpenError::Unavailable(error::storage(e).to_string()))?;
                (db, Backend::Sqlite)
            }
            Target::File(path) => {
                check_sqlite_file(&path, mode)?;
                preflight_sqlite(&path, mode).await?;
                let p = path.clone();
                let mut opt = ConnectOptions::new("sqlite:");
                opt.max_connections(4)
                    .min_connections(1)
                    .acquire_timeout(Duration::from_secs(30))
                    .sqlx_logging(false)
                    .map_sqlx_sqlite_opts(move |o| {
                        // `filename` takes the path as it is: no URL escaping of `%`, `?`, `#`.
                        o.filename(&p)
                            .create_if_missing(mode == OpenMode::Create)
                            .journal_mode(SqliteJournalMode::Wal)
                            .foreign_keys(true)
                            .busy_timeout(SQLITE_BUSY_TIMEOUT)
                            // FULL: a commit that returned is on disk even after a power cut.
                            // NORMAL would only survive a crash of the process.
                            .synchronous(SqliteSynchronous::Full)
                            // Erased content (retention, Art. 17) is overwritten with zeros
                            // in the file, not left in free pages for a raw read to find.
                            .pragma("secure_delete", "ON")
                    });
                let db = Database::connect(opt).await.map_err(|e| {
                    if error::is_not_a_database(&e) {
                        OpenError::NotADatabase(path.clone())
                    } else {
                        OpenError::Unavailable(format!("{}: {}", path.display(), error::storage(e)))
                    }
                })?;
                (db, Backend::Sqlite)
            }
            Target::Postgres(url) => {
                let mut opt = ConnectOptions::new(url.clone());
                opt.max_connections(10)
                    .min_connections(0)
                    .connect_timeout(POSTGRES_CONNECT_TIMEOUT)
                    .acquire_timeout(POSTGRES_CONNECT_TIMEOUT)
                    .sqlx_logging(false);
                let db = Database::connect(opt).await.map_err(|e| {
                    OpenError::Unavailable(format!(
                        "PostgreSQL at {}: {}",
                        redact(&url),
                        error::storage(e)
                    ))
                })?;
                (db, Backend::Postgres)
            }
        };
        let store = Self {
            db,
            backend,
            vault: vault::Vault::with(key),
        };
        if let Err(e) = store.migrate().await {
            let _ = store.db.close_by_ref().await;
            return Err(e);
        }
        Ok(store)
    }

    /// Checks the schema version and applies pending migrations, all in one transaction.
    async fn migrate(&self) -> Result<(), OpenError> {
        let unavailable = |e: DbErr| OpenError::Unavailable(error::storage(e).to_string());
        let txn = begin_write(&self.db).await.map_err(unavailable)?;
        if self.backend == Backend::Postgres {
            txn.execute_unprepared(&format!(
                "SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})"
            ))
            .await
            .map_err(unavailable)?;
        }
        let unknown = migration::unknown_applied(&txn).await.map_err(|e| {
            if error::is_not_a_database(&e) {
                OpenError::Unavailable("the file is not a SQLite database".into())
            } else {
                unavailable(e)
            }
        })?;
        if !unknown.is_empty() {
            let _ = txn.rollback().await;
            return Err(OpenError::SchemaTooNew { unknown });
        }
        let fill_esf = migration::is_pending(&txn, migration::m0007_read_paths::NAME)
            .await
            .map_err(unavailable)?;
        let refold = migration::is_pending(&txn, migration::m0009_search::NAME)
            .await
            .map_err(unavailable)?;
        let fill_facts = migration::is_pending(&txn, migration::m0010_reminder_facts::NAME)
            .await
            .map_err(unavailable)?;
        let fill_exit = migration::is_pending(&txn, migration::m0012_exit_reminders::NAME)
            .await
            .map_err(unavailable)?;
        let fill_statistics = migration::is_pending(&txn, migration::m0015_statistics::NAME)
            .await
            .map_err(unavailable)?;
        let bound_outreach = migration::is_pending(&txn, migration::m0018_outreach_triggers::NAME)
            .await
            .map_err(unavailable)?;
        migration::up(&txn)
            .await
            .map_err(|e| OpenError::Migration(error::storage(e).to_string()))?;
        if fill_esf {
            // The new read models are derived from the case states, which SQL cannot read.
            read_model::fill_m0007(&txn, &self.vault)
                .await
                .map_err(|e| OpenError::Migration(e.to_string()))?;
        }
        if refold {
            // Names folded by core's new folding, and the case numbers: from the states too.
            read_model::fill_m0009(&txn, &self.vault)
                .await
                .map_err(|e| OpenError::Migration(e.to_string()))?;
        }
        if fill_facts {
            read_model::fill_m0010(&txn, &self.vault)
                .await
                .map_err(|e| OpenError::Migration(e.to_string()))?;
        }
        if fill_exit && !fill_facts {
            // (A database that just got the facts has them with the exit fields already.)
            read_model::fill_m0012(&txn, &self.vault)
                .await
                .map_err(|e| OpenError::Migration(e.to_string()))?;
        }
        if fill_statistics {
            read_model::fill_m0015(&txn, &self.vault)
                .await
                .map_err(|e| OpenError::Migration(e.to_string()))?;
        }
        if bound_outreach {
            read_model::fill_m0018(&txn, &self.vault)
                .await
                .map_err(|e| OpenError::Migration(e.to_string()))?;
        }
        self.check_key(&txn).await?;
        txn.commit()
            .await
            .map_err(|e| OpenError::Migration(error::storage(e).to_string()))
    }

    /// Checks the given installation key against the database's inside the migration
    /// transaction (so a refusal rolls back everything); a database without a key takes the
    /// given one and its content is sealed.
    async fn check_key(&self, txn: &DatabaseTransaction) -> Result<(), OpenError> {
        let key = self.vault.current();
        match vault::check(txn, key.as_deref()).await {
            Ok(vault::KeyState::Matches | vault::KeyState::Plain) => Ok(()),
            Ok(vault::KeyState::Adopted) => {
                let sealed = vault::adopt(txn, &self.vault)
                    .await
                    .map_err(|e| OpenError::Migration(e.to_string()))?;
                if sealed == 0 {
                    return Ok(());
                }
                let id = key.map(|k| k.id()).unwrap_or_default();
                repo::audit(
                    txn,
                    wegbereiter_core::ports::AuditStamp {
                        actor: None,
                        at: Utc::now(),
                    },
                    KEY_ADOPTED,
                    format!("installation key {id} ({sealed} events sealed)"),
                )
                .await
                .map_err(|e| OpenError::Migration(e.to_string()))
            }
            Err(vault::KeyRefusal::Required { id }) => Err(OpenError::KeyRequired { id }),
            Err(vault::KeyRefusal::Wrong { expected, given }) => {
                Err(OpenError::WrongKey { expected, given })
            }
            Err(vault::KeyRefusal::Storage(e)) => Err(OpenError::Unavailable(e.to_string())),
        }
    }

    pub(crate) fn vault(&self) -> &vault::Vault {
        &self.vault
    }

    /// The id of the installation key this store seals with, if it has one.
    #[must_use]
    pub fn key_id(&self) -> Option<String> {
        self.vault.current().map(|k| k.id())
    }

    /// Which database this is.
    #[must_use]
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Core's write path ([`CaseService`]) over this store, pausing briefly before each retry
    /// of a command that lost a race ([`retry_pause`]).
    #[must_use]
    pub fn case_service(&self, policy: Policy) -> CaseService {
        CaseService::new(self.cases(), policy).with_retry_pause(retry_pause())
    }

    /// This store as a [`CaseRepository`] for frontends that hold ports.
    #[must_use]
    pub fn cases(&self) -> Arc<dyn CaseRepository> {
        Arc::new(self.clone())
    }

    /// Closes the connection pool (of every clone). Waits for running statements; later uses
    /// of the store fail with [`StorageError::Unavailable`].
    ///
    /// # Errors
    /// [`StorageError`] if closing fails.
    pub async fn close(self) -> Result<(), StorageError> {
        self.db.close().await.map_err(error::storage)
    }

    pub(crate) fn conn(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Whether no stored text can equal (or contain) `text`: PostgreSQL cannot store the
    /// character U+0000 in text and refuses queries that name it, so lookups by such a key
    /// answer "nothing" without asking the database. (SQLite stores it like any other.)
    pub(crate) fn cannot_be_stored(&self, text: &str) -> bool {
        self.backend == Backend::Postgres && text.contains('\0')
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::EntityTrait;

    /// Drift test: a freshly migrated database has every column every entity selects. (The
    /// integration suite reads and writes every table on both backends.)
    #[tokio::test]
    async fn every_entity_matches_the_migrated_schema() {
        use entity::*;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("drift.db");
        for target in ["sqlite::memory:".to_owned(), file.display().to_string()] {
            let store = Store::open(&target).await.unwrap();
            macro_rules! query_all {
                ($($entity:ident),+) => {$(
                    $entity::Entity::find()
                        .all(store.conn())
                        .await
                        .unwrap_or_else(|e| panic!("{}: {}: {e}", target, stringify!($entity)));
                )+};
            }
            query_all!(
                access_log,
                api_idempotency,
                audit_log,
                case_attendance,
                case_clients,
                case_esf,
                case_keys,
                case_name_words,
                case_reminder_facts,
                case_reminder_triggers,
                case_statistics,
                cases,
                events,
                group_sessions,
                installation_settings,
                login_addresses,
                login_failures,
                personal_tokens,
                privacy_requests,
                sent_documents,
                services,
                staff,
                staff_credentials,
                staff_teams,
                teams,
                web_secrets,
                web_sessions
            );
        }
    }

    /// A SQLite file is opened as documented: WAL, foreign keys on, a busy timeout, full
    /// synchronous writes.
    #[tokio::test]
    async fn sqlite_files_are_opened_with_the_documented_settings() {
        use sea_orm::{ConnectionTrait, Statement};
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pragmas.db");
        let store = Store::open(&file.display().to_string()).await.unwrap();
        let pragma = |name: &'static str| {
            let conn = store.conn();
            async move {
                let row = conn
                    .query_one_raw(Statement::from_string(
                        conn.get_database_backend(),
                        format!("PRAGMA {name}"),
                    ))
                    .await
                    .unwrap()
                    .unwrap();
                row.try_get_by_index::<String>(0)
                    .or_else(|_| row.try_get_by_index::<i64>(0).map(|n| n.to_string()))
                    .unwrap()
            }
        };
        assert_eq!(pragma("journal_mode").await, "wal");
        assert_eq!(pragma("foreign_keys").await, "1");
        assert_eq!(
            pragma("busy_timeout").await,
            SQLITE_BUSY_TIMEOUT.as_millis().to_string()
        );
        // FULL = 2.
        assert_eq!(pragma("synchronous").await, "2");
        assert_eq!(pragma("secure_delete").await, "1");
    }

    #[test]
    fn audit_subjects_read_back_as_written_and_typed_text_stays_typed() {
        use uuid::Uuid;
        use wegbereiter_core::ids::{GroupSessionId, ServiceId, TeamId};
        let staff = StaffId::from_uuid(Uuid::from_u128(1));
        for (action, subject) in [
            (
                "staff.saved",
                AuditSubject::Staff {
                    id: staff,
                    login: Some("erika".into()),
                },
            ),
            (
                "staff.password_set",
                AuditSubject::Staff {
                    id: staff,
                    login: None,
                },
            ),
            (
                "team.saved",
                AuditSubject::Team {
                    id: TeamId::from_uuid(Uuid::from_u128(2)),
                    name: "Team (Nord) West".into(),
                },
            ),
            (
                "service.saved",
                AuditSubject::Service {
                    id: ServiceId::from_uuid(Uuid::from_u128(3)),
                    name: "Schuldnerberatung".into(),
                },
            ),
            (
                "group_session.saved",
                AuditSubject::GroupSession {
                    id: GroupSessionId::from_uuid(Uuid::from_u128(4)),
                    label: "2026-03-16, Frühstück".into(),
                },
            ),
            ("auth.sign_in_failed", AuditSubject::Typed("erika".into())),
        ] {
            assert_eq!(
                AuditSubject::parse(action, &subject.stored()),
                subject,
                "{action}"
            );
        }
        // A sign-in name that looks like a directory entry stays what was typed.
        let typed = format!("staff {staff} (erika)");
        assert_eq!(
            AuditSubject::parse("auth.sign_in_failed", &typed),
            AuditSubject::Typed(typed.clone())
        );
        // Text of a directory action that does not parse is kept, not lost.
        assert_eq!(
            AuditSubject::parse("staff.saved", "staff kaputt"),
            AuditSubject::Typed("staff kaputt".into())
        );
    }

    #[test]
    fn targets_are_recognised() {
        assert!(matches!(
            parse_target("sqlite::memory:"),
            Ok(Target::Memory)
        ));
        assert!(
            matches!(parse_target("db.sqlite"), Ok(Target::File(p)) if p == Path::new("db.sqlite"))
        );
        assert!(
            matches!(parse_target("sqlite:///tmp/x.db?mode=rwc"), Ok(Target::File(p)) if p == Path::new("/tmp/x.db"))
        );
        assert!(
            matches!(parse_target("sqlite://rel/x.db"), Ok(Target::File(p)) if p == Path::new("rel/x.db"))
        );
        assert!(matches!(
            parse_target("postgresql://u@h/db"),
            Ok(Target::Postgres(_))
        ));
        assert!(
            matches!(parse_target("mysql://root:secret@h/db"), Err(OpenError::UnknownScheme(s)) if s == "mysql://")
        );
        assert!(matches!(parse_target("  "), Err(OpenError::Unavailable(_))));
    }

    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(
            redact("postgres://postgres:secret@127.0.0.1:5432/db?sslmode=disable"),
            "postgres://postgres@127.0.0.1:5432/db"
        );
        assert_eq!(redact("postgres://h/db"), "postgres://h/db");
        assert_eq!(
            redact("postgres://app:se/cr@t@db.example:5432/wb"),
            "postgres://app@db.example:5432/wb"
        );
    }
}
