//! Runs one scenario on a real database: a SQLite file in a temporary directory, and
//! PostgreSQL when `WEGBEREITER_TEST_POSTGRES` holds an admin URL (each test gets a database
//! of its own, dropped afterwards).
//!
//! Without the variable, PostgreSQL tests say on stderr that they did not run against
//! PostgreSQL; with `CI=true` they fail instead, so CI can never pass without PostgreSQL.

use std::future::Future;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, Statement, Value};
use tempfile::TempDir;
use wegbereiter_storage::{Backend, InstallationKey, OpenMode, Store};

/// The environment variable holding the PostgreSQL admin URL.
pub const PG_VAR: &str = "WEGBEREITER_TEST_POSTGRES";

/// A fresh, migrated database for one test.
pub struct TestDb {
    /// The store under test.
    pub store: Store,
    /// What to pass to [`Store::open`] to open the same database again.
    pub target: String,
    /// SQLite: the database file.
    pub file: Option<PathBuf>,
    /// A scratch directory (backups, child processes); holds the key file `installation.key`.
    pub dir: TempDir,
}

/// Opens `target` with the installation key in `dir`, making the key file first if needed:
/// every scenario runs on an encrypted database, as the CLI and the web frontend open them.
pub async fn open_keyed(target: &str, dir: &std::path::Path) -> Store {
    let path = dir.join("installation.key");
    let key = if path.exists() {
        InstallationKey::load(&path).expect("load key")
    } else {
        InstallationKey::create(&path).expect("create key")
    };
    Store::open_with_key(target, OpenMode::Create, key)
        .await
        .expect("open with key")
}

impl TestDb {
    pub fn backend(&self) -> Backend {
        self.store.backend()
    }

    /// Opens the same database again (another pool; as another process would).
    pub async fn reopen(&self) -> Store {
        open_keyed(&self.target, self.dir.path()).await
    }

    /// The installation key of this database.
    pub fn key(&self) -> InstallationKey {
        InstallationKey::load(&self.key_file()).expect("load key")
    }

    /// The key file.
    pub fn key_file(&self) -> PathBuf {
        self.dir.path().join("installation.key")
    }

    /// A plain sea-orm connection to the same database, for what the store never does
    /// (tampering, faking a newer schema).
    pub async fn raw(&self) -> DatabaseConnection {
        let opt = match &self.file {
            Some(path) => {
                let p = path.clone();
                let mut opt = ConnectOptions::new("sqlite:");
                opt.max_connections(1)
                    .sqlx_logging(false)
                    .map_sqlx_sqlite_opts(move |o| o.filename(&p));
                opt
            }
            None => {
                let mut opt = ConnectOptions::new(self.target.clone());
                opt.max_connections(1).sqlx_logging(false);
                opt
            }
        };
        Database::connect(opt).await.expect("raw connection")
    }

    /// Runs one SQL statement with `$n` parameters on a raw connection.
    pub async fn exec(&self, sql: &str, values: Vec<Value>) -> u64 {
        let raw = self.raw().await;
        let backend = raw.get_database_backend();
        let n = raw
            .execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .rows_affected();
        raw.close().await.expect("close raw");
        n
    }
}

/// Runs `scenario` on a fresh SQLite file.
pub async fn on_sqlite<F, Fut>(scenario: F)
where
    F: FnOnce(TestDb) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = tempfile::tempdir().expect("tempdir");
    // A nested, not yet existing directory: opening creates it.
    let file = dir.path().join("data").join("wegbereiter.db");
    let target = file.to_str().expect("utf-8 path").to_owned();
    let store = open_keyed(&target, dir.path()).await;
    assert!(file.exists(), "the database file is created on first use");
    scenario(TestDb {
        store,
        target,
        file: Some(file),
        dir,
    })
    .await;
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..host_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

async fn admin(url: &str) -> DatabaseConnection {
    let mut opt = ConnectOptions::new(url.to_owned());
    opt.max_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    Database::connect(opt)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {PG_VAR}: {e}"))
}

/// Runs `scenario` on a fresh PostgreSQL database, or says why it cannot.
pub async fn on_postgres<F, Fut>(test: &str, scenario: F)
where
    F: FnOnce(TestDb) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(admin_url) = std::env::var(PG_VAR).ok().filter(|v| !v.trim().is_empty()) else {
        if std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true")) {
            panic!(
                "{test}: CI=true but {PG_VAR} is not set: the PostgreSQL half of the storage \
                 suite must run in CI"
            );
        }
        // Straight to the process's stderr: `eprintln!` would be captured by the test
        // harness and never shown for a passing test.
        let _ = writeln!(
            std::io::stderr(),
            "NOT RUN against PostgreSQL: {test} (set {PG_VAR}=postgres://user:password@host:port/postgres to run it)"
        );
        return;
    };
    let name = format!("wb_test_{}", uuid::Uuid::now_v7().simple());
    let conn = admin(&admin_url).await;
    conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap_or_else(|e| panic!("CREATE DATABASE {name}: {e}"));
    conn.close().await.ok();
    let target = with_database(&admin_url, &name);
    let outcome = tokio::spawn(async move {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = open_keyed(&target, dir.path()).await;
        scenario(TestDb {
            store,
            target,
            file: None,
            dir,
        })
        .await;
    })
    .await;
    // Best effort: a left-over database only costs disk space.
    let conn = admin(&admin_url).await;
    if let Err(e) = conn
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
    {
        eprintln!("could not drop test database {name}: {e}");
    }
    conn.close().await.ok();
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("{test}: {e}"),
        }
    }
}

/// Defines, for each named scenario `async fn name(db: TestDb)`, a module `name` with the
/// tests `sqlite` and `postgres`.
macro_rules! on_both {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                crate::harness::on_sqlite(super::$name).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                crate::harness::on_postgres(module_path!(), super::$name).await;
            }
        }
    )+};
}
pub(crate) use on_both;

#[test]
fn database_names_are_replaced() {
    assert_eq!(
        with_database("postgres://u:p@h:5432/postgres", "x"),
        "postgres://u:p@h:5432/x"
    );
    assert_eq!(
        with_database("postgres://u:p@h/postgres?sslmode=disable", "x"),
        "postgres://u:p@h/x?sslmode=disable"
    );
    assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
}
