//! Backup and restore: SQLite through `Store::backup_to`, PostgreSQL through the documented
//! `pg_dump` / `pg_restore` procedure.

use wegbereiter_core::prelude::*;
use wegbereiter_storage::{Backend, Store};

use crate::fixtures::*;
use crate::harness::{TestDb, on_both};

on_both!(backup_and_restore);

async fn every_case(store: &Store) -> Vec<(Vec<RecordedEvent>, Case)> {
    let mut out = Vec::new();
    for summary in store.list(&CaseFilter::default()).await.unwrap() {
        out.push((
            store.history(summary.id).await.unwrap(),
            store.load(summary.id).await.unwrap().unwrap(),
        ));
    }
    out
}

async fn assert_same(original: &Store, restored: &Store) {
    assert_eq!(every_case(restored).await, every_case(original).await);
    assert_eq!(
        restored.read_model_snapshot().await.unwrap(),
        original.read_model_snapshot().await.unwrap()
    );
    assert_eq!(
        restored.list_staff().await.unwrap(),
        original.list_staff().await.unwrap()
    );
    let report = restored.verify().await.unwrap();
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.cases_checked, original.case_count().await.unwrap());
}

async fn backup_and_restore(db: TestDb) {
    let office = Office::new(&db.store);
    let ids = office.populate().await;
    let admin = StaffMember {
        id: StaffId::from_uuid(new_id()),
        login: t("admin"),
        display_name: t("Zoe Verwaltung"),
        roles: vec![Role::Administrator],
        teams: vec![],
        active: true,
    };
    db.store
        .save_staff(
            &admin,
            AuditStamp {
                actor: None,
                at: noon(d(2026, 1, 1)),
            },
        )
        .await
        .unwrap();
    let backup = db.dir.path().join("backup.db");
    match db.backend() {
        Backend::Sqlite => {
            // Online: another connection holds a read transaction open meanwhile.
            let reader = db.reopen().await;
            assert_eq!(reader.case_count().await.unwrap(), ids.len() as u64);
            db.store.backup_to(&backup).await.unwrap();
            // Never overwrites.
            let again = db.store.backup_to(&backup).await.unwrap_err();
            assert!(matches!(again, StorageError::AlreadyExists(_)), "{again:?}");
            // A backup holds no case keys: it opens with the key file and gets its keys from
            // a key backup (docs/operations.md).
            let restored = wegbereiter_storage::Store::open_with_key(
                &backup.display().to_string(),
                wegbereiter_storage::OpenMode::Existing,
                db.key(),
            )
            .await
            .unwrap();
            let keys = db.store.export_case_keys().await.unwrap();
            restored
                .restore_case_keys(&keys, stamp_for_keys())
                .await
                .unwrap();
            assert_same(&db.store, &restored).await;
            // The backup is a snapshot: later writes do not reach it.
            office
                .refer(client("Neu", "Nachher", None, None), d(2026, 5, 1), None)
                .await;
            assert_eq!(restored.case_count().await.unwrap(), ids.len() as u64);
        }
        Backend::Postgres => {
            let err = db.store.backup_to(&backup).await.unwrap_err();
            assert!(err.to_string().contains("pg_dump"), "{err}");
            assert!(!backup.exists());
            pg_dump_and_restore(&db, &backup).await;
        }
    }
}

/// The procedure of `docs/operations.md`: `pg_dump --format=custom`, then `pg_restore` into
/// an empty database.
async fn pg_dump_and_restore(db: &TestDb, file: &std::path::Path) {
    use std::process::Command;
    let available = Command::new("pg_dump").arg("--version").output().is_ok();
    if !available {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("pg_dump is not installed: the PostgreSQL restore test cannot run");
        }
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "NOT RUN: pg_dump/pg_restore are not installed; the PostgreSQL restore was not tested"
        );
        return;
    }
    let dump = Command::new("pg_dump")
        .args([
            "--format=custom",
            "--no-owner",
            "--exclude-table-data=case_keys",
            "--file",
        ])
        .arg(file)
        .arg(format!("--dbname={}", db.target))
        .output()
        .unwrap();
    assert!(
        dump.status.success(),
        "pg_dump: {}",
        String::from_utf8_lossy(&dump.stderr)
    );
    let restored_name = format!("wb_test_{}", uuid::Uuid::now_v7().simple());
    let admin = db.raw().await;
    use sea_orm::ConnectionTrait;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {restored_name}"))
        .await
        .unwrap();
    let restored_url = {
        let (base, _) = db.target.rsplit_once('/').unwrap();
        format!("{base}/{restored_name}")
    };
    let restore = Command::new("pg_restore")
        .args(["--no-owner", "--exit-on-error"])
        .arg(format!("--dbname={restored_url}"))
        .arg(file)
        .output()
        .unwrap();
    let outcome = async {
        assert!(
            restore.status.success(),
            "pg_restore: {}",
            String::from_utf8_lossy(&restore.stderr)
        );
        let restored = wegbereiter_storage::Store::open_with_key(
            &restored_url,
            wegbereiter_storage::OpenMode::Existing,
            db.key(),
        )
        .await
        .unwrap();
        let keys = db.store.export_case_keys().await.unwrap();
        let n = restored
            .restore_case_keys(&keys, stamp_for_keys())
            .await
            .unwrap();
        assert_eq!(n as usize, keys.keys.len(), "the dump held no case keys");
        assert_same(&db.store, &restored).await;
        restored.close().await.unwrap();
    };
    outcome.await;
    admin
        .execute_unprepared(&format!(
            "DROP DATABASE IF EXISTS {restored_name} WITH (FORCE)"
        ))
        .await
        .ok();
}

fn stamp_for_keys() -> AuditStamp {
    AuditStamp {
        actor: None,
        at: noon(d(2026, 6, 1)),
    }
}
