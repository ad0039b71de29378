//! Opening: addresses, idempotent migrations, and bad input that must change nothing.

use std::path::Path;
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Statement, Value};
use wegbereiter_core::prelude::*;
use wegbereiter_storage::{Backend, OpenError, OpenMode, Store};

use crate::fixtures::*;
use crate::harness::{TestDb, on_both};

on_both!(
    reopening_is_idempotent,
    a_newer_schema_is_refused,
    migrating_a_database_with_cases_fills_the_new_read_models,
    migrating_a_database_with_cases_fills_the_reminder_facts,
    migrating_a_database_with_cases_adds_the_exit_reminders,
    migrating_a_database_with_cases_fills_the_statistics,
    migrating_a_database_with_cases_bounds_the_outreach_triggers
);

async fn migrations_applied(db: &TestDb) -> Vec<String> {
    let raw = db.raw().await;
    let rows = raw
        .query_all_raw(Statement::from_string(
            raw.get_database_backend(),
            "SELECT version FROM seaql_migrations ORDER BY version",
        ))
        .await
        .unwrap();
    raw.close().await.unwrap();
    rows.iter()
        .map(|r| r.try_get::<String>("", "version").unwrap())
        .collect()
}

/// A database with cases made before `m0007` gets the new read models filled from the case
/// states when it is opened: afterwards every read model is what the appends would have
/// written (the same as a rebuild gives).
async fn migrating_a_database_with_cases_fills_the_new_read_models(db: TestDb) {
    let office = Office::new(&db.store);
    office.populate().await;
    let expected = db.store.read_model_snapshot().await.unwrap();
    assert!(!expected.tables["case_esf"].is_empty());
    assert!(!expected.tables["case_name_words"].is_empty());
    db.store.clone().close().await.unwrap();
    // Back to the schema before m0007: its tables, indexes and column gone, the outreach
    // triggers as m0001 wrote them (from the referral day).
    for sql in [
        "DROP TABLE case_esf",
        "DROP TABLE case_name_words",
        "DROP INDEX ix_triggers_team",
        "DROP INDEX ix_cases_team_load",
        "ALTER TABLE case_reminder_triggers DROP COLUMN team_id",
        "UPDATE case_reminder_triggers SET base_date = (SELECT referral_date FROM cases \
         WHERE cases.id = case_reminder_triggers.case_id) WHERE kind = 'outreach'",
        "DELETE FROM seaql_migrations WHERE version = 'm0007_read_paths'",
    ] {
        db.exec(sql, vec![]).await;
    }
    let store = db.reopen().await;
    assert_eq!(store.read_model_snapshot().await.unwrap(), expected);
    assert!(store.verify().await.unwrap().is_intact());
}

async fn migrating_a_database_with_cases_fills_the_reminder_facts(db: TestDb) {
    let office = Office::new(&db.store);
    office.populate().await;
    let expected = db.store.read_model_snapshot().await.unwrap();
    assert!(!expected.tables["case_reminder_facts"].is_empty());
    db.store.clone().close().await.unwrap();
    // Back to the schema before m0010.
    for sql in [
        "DROP TABLE case_reminder_facts",
        "DELETE FROM seaql_migrations WHERE version = 'm0010_reminder_facts'",
    ] {
        db.exec(sql, vec![]).await;
    }
    let store = db.reopen().await;
    assert_eq!(store.read_model_snapshot().await.unwrap(), expected);
}

/// A database from before the ESF exit-data reminder gets its trigger rows and the reminder
/// facts of its closed cases rewritten at open, as a new database has them.
async fn migrating_a_database_with_cases_adds_the_exit_reminders(db: TestDb) {
    let office = Office::new(&db.store);
    office.populate().await;
    let expected = db.store.read_model_snapshot().await.unwrap();
    assert!(
        expected.tables["case_reminder_triggers"]
            .iter()
            .any(|row| row.contains("esf_exit")),
        "a closed participant without exit data: {:?}",
        expected.tables["case_reminder_triggers"]
    );
    db.store.clone().close().await.unwrap();
    // Back to before m0012: no exit triggers, no facts of closed cases.
    for sql in [
        "DELETE FROM case_reminder_triggers WHERE kind = 'esf_exit'",
        "DELETE FROM case_reminder_facts WHERE case_id IN (SELECT id FROM cases WHERE status = 'closed')",
        "DELETE FROM seaql_migrations WHERE version = 'm0012_exit_reminders'",
    ] {
        db.exec(sql, vec![]).await;
    }
    let store = db.reopen().await;
    assert_eq!(store.read_model_snapshot().await.unwrap(), expected);
}

/// A database from before the statistics read model gets it filled at open, as a new
/// database has it.
async fn migrating_a_database_with_cases_fills_the_statistics(db: TestDb) {
    let office = Office::new(&db.store);
    office.populate().await;
    let expected = db.store.read_model_snapshot().await.unwrap();
    assert!(!expected.tables["case_statistics"].is_empty());
    db.store.clone().close().await.unwrap();
    for sql in [
        "DROP TABLE case_statistics",
        "DELETE FROM seaql_migrations WHERE version = 'm0015_statistics'",
    ] {
        db.exec(sql, vec![]).await;
    }
    let store = db.reopen().await;
    assert_eq!(store.read_model_snapshot().await.unwrap(), expected);
}

/// A database from before the outreach follow-up bounds gets the trigger rows of its cases
/// in outreach rewritten at open, as a new database has them.
async fn migrating_a_database_with_cases_bounds_the_outreach_triggers(db: TestDb) {
    let office = Office::new(&db.store);
    office.populate().await;
    let expected = db.store.read_model_snapshot().await.unwrap();
    assert!(
        expected.tables["case_reminder_triggers"]
            .iter()
            .any(|row| row.contains("outreach_activity")),
        "a case in outreach with a letter or an attempt: {:?}",
        expected.tables["case_reminder_triggers"]
    );
    db.store.clone().close().await.unwrap();
    // Back to before m0018: one row per case in outreach, at its referral day.
    for sql in [
        "DELETE FROM case_reminder_triggers WHERE kind IN ('outreach_activity', 'outreach_window')",
        "INSERT INTO case_reminder_triggers (case_id, kind, subject, base_date, key_worker_id, team_id) \
         SELECT id, 'outreach', 'old', referral_date, key_worker_id, team_id FROM cases \
         WHERE status IN ('referred', 'outreach')",
        "DELETE FROM seaql_migrations WHERE version = 'm0018_outreach_triggers'",
    ] {
        db.exec(sql, vec![]).await;
    }
    let store = db.reopen().await;
    assert_eq!(store.read_model_snapshot().await.unwrap(), expected);
}

async fn reopening_is_idempotent(db: TestDb) {
    let office = Office::new(&db.store);
    let id = office
        .refer(
            client("Erika", "Musterfrau", None, None),
            d(2026, 3, 1),
            None,
        )
        .await;
    let before = migrations_applied(&db).await;
    assert_eq!(
        before,
        [
            "m0001_init",
            "m0002_sign_in_and_audit",
            "m0003_personal_tokens",
            "m0004_installation_settings",
            "m0005_web_secrets",
            "m0007_read_paths",
            "m0008_restriction",
            "m0009_search",
            "m0010_reminder_facts",
            "m0011_service_details",
            "m0012_exit_reminders",
            "m0014_case_keys",
            "m0015_statistics",
            "m0016_api",
            "m0017_sent_documents",
            "m0018_outreach_triggers",
            "m0019_privacy_requests"
        ]
    );
    let case = db.store.load(id).await.unwrap();
    for _ in 0..3 {
        let again = db.reopen().await;
        assert_eq!(again.load(id).await.unwrap(), case);
        assert_eq!(again.case_count().await.unwrap(), 1);
        again.close().await.unwrap();
    }
    assert_eq!(migrations_applied(&db).await, before);
    // Two processes opening at once both succeed.
    let (a, b) = tokio::join!(db.reopen(), db.reopen());
    assert_eq!(a.case_count().await.unwrap(), 1);
    assert_eq!(b.case_count().await.unwrap(), 1);
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

async fn a_newer_schema_is_refused(db: TestDb) {
    let office = Office::new(&db.store);
    let id = office
        .refer(
            client("Erika", "Musterfrau", None, None),
            d(2026, 3, 1),
            None,
        )
        .await;
    // Close every connection, so that SQLite folds its log into the file.
    db.store.clone().close().await.unwrap();
    db.exec(
        "INSERT INTO seaql_migrations (version, applied_at) VALUES ($1, $2)",
        vec![Value::from("m9999_from_the_future"), Value::from(0i64)],
    )
    .await;
    let bytes = db.file.as_deref().map(read);
    match Store::open(&db.target).await {
        Err(OpenError::SchemaTooNew { unknown }) => {
            assert_eq!(unknown, ["m9999_from_the_future"]);
        }
        Err(other) => panic!("expected SchemaTooNew, got {other}"),
        Ok(_) => panic!("expected SchemaTooNew, the store opened"),
    }
    let message = OpenError::SchemaTooNew {
        unknown: vec!["m9999_from_the_future".into()],
    }
    .to_string();
    assert!(
        message.contains("newer") && message.contains("m9999_from_the_future"),
        "{message}"
    );
    if let (Some(path), Some(bytes)) = (db.file.as_deref(), bytes) {
        assert!(read(path) == bytes, "the database file was changed");
    }
    assert_eq!(
        migrations_applied(&db).await,
        [
            "m0001_init",
            "m0002_sign_in_and_audit",
            "m0003_personal_tokens",
            "m0004_installation_settings",
            "m0005_web_secrets",
            "m0007_read_paths",
            "m0008_restriction",
            "m0009_search",
            "m0010_reminder_facts",
            "m0011_service_details",
            "m0012_exit_reminders",
            "m0014_case_keys",
            "m0015_statistics",
            "m0016_api",
            "m0017_sent_documents",
            "m0018_outreach_triggers",
            "m0019_privacy_requests",
            "m9999_from_the_future"
        ]
    );
    // Removing the future migration makes the database usable again, data intact.
    db.exec(
        "DELETE FROM seaql_migrations WHERE version = $1",
        vec![Value::from("m9999_from_the_future")],
    )
    .await;
    let store = db.reopen().await;
    assert_eq!(store.load(id).await.unwrap().unwrap().version, 1);
}

#[tokio::test]
async fn a_file_that_is_not_sqlite_is_refused_and_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in [
        ("notes.db", b"Erika Musterfrau, Beispielstadt\n".repeat(200)),
        ("short.db", b"SQLite".to_vec()),
        (
            "png.db",
            vec![
                0x89, b'P', b'N', b'G', 13, 10, 26, 10, 0, 0, 0, 13, 1, 2, 3, 4, 5, 6, 7,
            ],
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, &content).unwrap();
        for target in [
            path.display().to_string(),
            format!("sqlite://{}", path.display()),
        ] {
            match Store::open(&target).await {
                Err(OpenError::NotADatabase(p)) => assert_eq!(p, path),
                Err(other) => panic!("{target}: expected NotADatabase, got {other}"),
                Ok(_) => panic!("{target}: opened a file that is not a database"),
            }
            assert_eq!(read(&path), content, "{target} was changed");
        }
        let message = OpenError::NotADatabase(path.clone()).to_string();
        assert!(message.contains("not a SQLite database"), "{message}");
    }
    // Only the files written by the test exist: no journal or WAL was created.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3);
}

/// A SQLite file in rollback-journal mode written by "another program" with `statements`.
async fn foreign_sqlite_file(path: &Path, statements: &[&str]) -> Vec<u8> {
    use sea_orm::{ConnectionTrait, Database};
    let db = Database::connect(format!("sqlite://{}?mode=rwc", path.display()))
        .await
        .unwrap();
    for sql in statements {
        db.execute_unprepared(sql).await.unwrap();
    }
    db.close().await.unwrap();
    read(path)
}

#[tokio::test]
async fn another_programs_sqlite_database_is_refused_and_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lesezeichen.db");
    let bytes = foreign_sqlite_file(
        &path,
        &[
            "CREATE TABLE bookmarks (id INTEGER PRIMARY KEY, url TEXT)",
            "INSERT INTO bookmarks (url) VALUES ('https://example.invalid')",
        ],
    )
    .await;
    match Store::open(&path.display().to_string()).await {
        Err(OpenError::ForeignDatabase { tables, .. }) => assert_eq!(tables, ["bookmarks"]),
        Err(other) => panic!("expected ForeignDatabase, got {other}"),
        Ok(_) => panic!("opened another program's database"),
    }
    assert!(read(&path) == bytes, "the file was changed");
}

#[tokio::test]
async fn a_newer_schema_in_rollback_journal_mode_is_left_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("neuer.db");
    let bytes = foreign_sqlite_file(
        &path,
        &[
            "CREATE TABLE seaql_migrations (version VARCHAR NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL)",
            "INSERT INTO seaql_migrations VALUES ('m0001_init', 0), ('m9999_from_the_future', 0)",
        ],
    )
    .await;
    match Store::open(&path.display().to_string()).await {
        Err(OpenError::SchemaTooNew { unknown }) => assert_eq!(unknown, ["m9999_from_the_future"]),
        Err(other) => panic!("expected SchemaTooNew, got {other}"),
        Ok(_) => panic!("opened a newer schema"),
    }
    assert!(
        read(&path) == bytes,
        "the file was changed (e.g. its journal mode)"
    );
}

#[tokio::test]
async fn a_corrupt_sqlite_file_is_refused_and_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corrupt.db");
    let mut content = b"SQLite format 3\0".to_vec();
    content.extend(std::iter::repeat_n(0xA5u8, 4096 - 16));
    std::fs::write(&path, &content).unwrap();
    let result = Store::open(&path.display().to_string()).await;
    assert!(
        matches!(
            result,
            Err(OpenError::NotADatabase(_) | OpenError::Unavailable(_))
        ),
        "{:?}",
        result.map(|_| ())
    );
    assert_eq!(read(&path), content);
}

#[tokio::test]
async fn unknown_schemes_are_refused_without_echoing_secrets() {
    for target in [
        "mysql://root:geheim@127.0.0.1/wegbereiter",
        "mariadb://root:geheim@db/wegbereiter",
        "redis://localhost",
        "http://example.invalid/db",
    ] {
        match Store::open(target).await {
            Err(e @ OpenError::UnknownScheme(_)) => {
                let message = e.to_string();
                assert!(
                    message.contains("sqlite://") && message.contains("postgres://"),
                    "{message}"
                );
                assert!(!message.contains("geheim"), "{message}");
            }
            Err(other) => panic!("{target}: expected UnknownScheme, got {other}"),
            Ok(_) => panic!("{target}: opened"),
        }
    }
    assert!(matches!(
        Store::open("").await,
        Err(OpenError::Unavailable(_))
    ));
}

#[tokio::test]
async fn an_unreachable_postgres_is_unavailable_quickly() {
    let started = Instant::now();
    let result = Store::open("postgres://postgres:geheim@127.0.0.1:1/wegbereiter").await;
    match result {
        Err(e @ OpenError::Unavailable(_)) => {
            let message = e.to_string();
            assert!(!message.contains("geheim"), "{message}");
            assert!(message.contains("127.0.0.1:1"), "{message}");
        }
        Err(other) => panic!("expected Unavailable, got {other}"),
        Ok(_) => panic!("opened a database on port 1"),
    }
    assert!(started.elapsed() < Duration::from_secs(15));
}

#[tokio::test]
async fn sqlite_addresses_and_directories() {
    let dir = tempfile::tempdir().unwrap();
    // A URL with an absolute path; missing directories are created.
    let nested = dir.path().join("a").join("b c").join("wb%1.db");
    let store = Store::open(&format!("sqlite://{}", nested.display()))
        .await
        .unwrap();
    assert_eq!(store.backend(), Backend::Sqlite);
    assert!(nested.exists());
    store.close().await.unwrap();
    // A directory is not a database.
    let err = Store::open(&dir.path().display().to_string())
        .await
        .unwrap_err();
    assert!(matches!(err, OpenError::Unavailable(_)), "{err}");
    // A directory that cannot be created.
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, b"x").unwrap();
    let err = Store::open(&blocker.join("sub").join("x.db").display().to_string())
        .await
        .unwrap_err();
    assert!(matches!(err, OpenError::Unavailable(_)), "{err}");
}

#[tokio::test]
async fn an_in_memory_database_works() {
    let store = Store::open("sqlite::memory:").await.unwrap();
    let office = Office::new(&store);
    let ids = office.populate().await;
    assert_eq!(store.case_count().await.unwrap(), ids.len() as u64);
    assert!(store.verify().await.unwrap().is_intact());
    // The backup of an in-memory database is a file on disk, even in a path that URIs
    // would misread.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("a b%3F#?.db");
    store.backup_to(&copy).await.unwrap();
    let restored = Store::open(&copy.display().to_string()).await.unwrap();
    assert_eq!(restored.case_count().await.unwrap(), ids.len() as u64);
    assert!(restored.verify().await.unwrap().is_intact());
}

#[tokio::test]
async fn backups_to_odd_paths_are_refused_and_leave_nothing() {
    let store = Store::open("sqlite::memory:").await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    // No file name.
    assert!(matches!(
        store.backup_to(Path::new("")).await,
        Err(StorageError::Backend(_))
    ));
    // An existing directory or file is never overwritten.
    assert!(matches!(
        store.backup_to(dir.path()).await,
        Err(StorageError::AlreadyExists(_))
    ));
    let existing = dir.path().join("old.db");
    std::fs::write(&existing, b"keep").unwrap();
    assert!(matches!(
        store.backup_to(&existing).await,
        Err(StorageError::AlreadyExists(_))
    ));
    assert_eq!(read(&existing), b"keep");
    // A dangling symbolic link counts as taken.
    #[cfg(unix)]
    {
        let link = dir.path().join("link.db");
        std::os::unix::fs::symlink(dir.path().join("nowhere.db"), &link).unwrap();
        assert!(matches!(
            store.backup_to(&link).await,
            Err(StorageError::AlreadyExists(_))
        ));
        assert!(!dir.path().join("nowhere.db").exists());
    }
    // A missing directory: a clear error naming the path, and no file.
    let missing = dir.path().join("no").join("x.db");
    let err = store.backup_to(&missing).await.unwrap_err();
    assert!(err.to_string().contains("x.db"), "{err}");
    assert!(!missing.exists());
}

/// Every entry of `dir`, by name.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn open_existing_refuses_missing_empty_and_tableless_files_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    // Missing: nothing is created, not even the folder.
    let missing = dir.path().join("neu").join("wb.db");
    match Store::open_existing(&missing.display().to_string()).await {
        Err(OpenError::Missing(p)) => assert_eq!(p, missing),
        Err(other) => panic!("expected Missing, got {other}"),
        Ok(_) => panic!("opened a missing file"),
    }
    assert!(names_in(dir.path()).is_empty());
    // Zero bytes, and a SQLite database without tables: refused byte for byte, without
    // -wal or -shm beside them.
    let zero = dir.path().join("zero.db");
    std::fs::write(&zero, b"").unwrap();
    let tableless = dir.path().join("leer.db");
    let bytes = foreign_sqlite_file(&tableless, &["PRAGMA user_version = 7"]).await;
    assert!(!bytes.is_empty());
    for (path, content) in [(&zero, Vec::new()), (&tableless, bytes)] {
        for target in [
            path.display().to_string(),
            format!("sqlite://{}", path.display()),
        ] {
            match Store::open_existing(&target).await {
                Err(OpenError::Empty(p)) => assert_eq!(&p, path),
                Err(other) => panic!("{target}: expected Empty, got {other}"),
                Ok(_) => panic!("{target}: opened an empty file"),
            }
            assert_eq!(read(path), content, "{target} was changed");
        }
    }
    assert_eq!(names_in(dir.path()), ["leer.db", "zero.db"]);
    let message = OpenError::Empty(zero.clone()).to_string();
    assert!(
        message.contains("zero.db") && message.contains("empty"),
        "{message}"
    );
    // Other files are refused as before.
    let text = dir.path().join("notiz.db");
    std::fs::write(&text, b"Einkaufsliste").unwrap();
    assert!(matches!(
        Store::open_existing(&text.display().to_string()).await,
        Err(OpenError::NotADatabase(_))
    ));
    // Creating is for `Store::open`: it makes the empty file a database, which
    // `open_existing` then opens.
    let created = Store::open(&zero.display().to_string()).await.unwrap();
    created.close().await.unwrap();
    let store = Store::open_existing(&zero.display().to_string())
        .await
        .unwrap();
    assert_eq!(store.case_count().await.unwrap(), 0);
    store.close().await.unwrap();
    let store = Store::open_with(&zero.display().to_string(), OpenMode::Existing)
        .await
        .unwrap();
    store.close().await.unwrap();
}

on_both!(open_existing_opens_a_set_up_database);

async fn open_existing_opens_a_set_up_database(db: TestDb) {
    let office = Office::new(&db.store);
    let id = office
        .refer(
            client("Erika", "Musterfrau", None, None),
            d(2026, 3, 1),
            None,
        )
        .await;
    let store = Store::open_with_key(&db.target, OpenMode::Existing, db.key())
        .await
        .unwrap();
    assert_eq!(store.load(id).await.unwrap().unwrap().id, id);
    assert_eq!(store.case_count().await.unwrap(), 1);
}

#[cfg(unix)]
#[tokio::test]
async fn new_databases_and_backups_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ordner").join("wb.db");
    let store = Store::open(&path.display().to_string()).await.unwrap();
    Office::new(&store)
        .refer(
            client("Erika", "Musterfrau", None, None),
            d(2026, 3, 1),
            None,
        )
        .await;
    // While the store is open in WAL mode, SQLite keeps its -wal and -shm beside the file.
    let files = names_in(path.parent().unwrap());
    assert!(files.contains(&"wb.db-wal".to_owned()), "{files:?}");
    for name in &files {
        let file = path.parent().unwrap().join(name);
        assert_eq!(mode(&file), 0o600, "{name}");
    }
    let backup = dir.path().join("sicherung.db");
    store.backup_to(&backup).await.unwrap();
    assert_eq!(mode(&backup), 0o600);
    store.close().await.unwrap();
    let copy = Store::open_existing(&backup.display().to_string())
        .await
        .unwrap();
    assert_eq!(copy.case_count().await.unwrap(), 1);
    copy.close().await.unwrap();
    // An existing file keeps the mode it has.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let store = Store::open_existing(&path.display().to_string())
        .await
        .unwrap();
    store.close().await.unwrap();
    assert_eq!(mode(&path), 0o640);
}
