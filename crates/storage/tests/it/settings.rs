//! The installation's settings: the time zone is stored with the data, defaults to
//! Europe/Berlin for databases without it, and every change is audited.

use chrono_tz::{Europe, Pacific};
use wegbereiter_core::prelude::*;
use wegbereiter_storage::{DEFAULT_TIME_ZONE, StoredTimeZone, TIME_ZONE_SET};

use crate::fixtures::*;
use crate::harness::{TestDb, on_both};

on_both!(the_time_zone_is_stored_with_the_installation_and_its_changes_audited);
on_both!(an_unknown_stored_time_zone_is_reported_as_corrupt);
on_both!(the_table_of_rural_postcodes_is_stored_cleared_and_audited);

async fn the_time_zone_is_stored_with_the_installation_and_its_changes_audited(db: TestDb) {
    let s = &db.store;
    // A database that names no zone (as every one created before m0004) has the default.
    assert_eq!(s.stored_time_zone().await.unwrap(), None);
    assert_eq!(s.time_zone().await.unwrap(), Europe::Berlin);
    assert_eq!(DEFAULT_TIME_ZONE, Europe::Berlin);
    let at = |day| AuditStamp {
        actor: None,
        at: noon(d(2026, 1, day)),
    };
    assert_eq!(
        s.set_time_zone(Europe::Vienna, at(1)).await.unwrap(),
        Europe::Berlin,
        "the zone in force before"
    );
    assert_eq!(
        s.stored_time_zone().await.unwrap(),
        Some(StoredTimeZone {
            zone: Europe::Vienna,
            changed_at: noon(d(2026, 1, 1)),
        })
    );
    // Read again through a new connection: it is in the database, not in the process.
    assert_eq!(db.reopen().await.time_zone().await.unwrap(), Europe::Vienna);
    // Setting the same zone again changes and records nothing.
    assert_eq!(
        s.set_time_zone(Europe::Vienna, at(2)).await.unwrap(),
        Europe::Vienna
    );
    assert_eq!(
        s.stored_time_zone().await.unwrap().unwrap().changed_at,
        noon(d(2026, 1, 1))
    );
    assert_eq!(
        s.set_time_zone(Pacific::Auckland, at(3)).await.unwrap(),
        Europe::Vienna
    );
    assert_eq!(s.time_zone().await.unwrap(), Pacific::Auckland);
    let lines: Vec<String> = s
        .audit_log(50)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.action == TIME_ZONE_SET)
        .map(|r| r.subject)
        .collect();
    assert_eq!(
        lines,
        [
            "time_zone Europe/Vienna -> Pacific/Auckland",
            "time_zone Europe/Vienna"
        ],
        "newest first, naming the zone before and after"
    );
}

async fn an_unknown_stored_time_zone_is_reported_as_corrupt(db: TestDb) {
    db.exec(
        "INSERT INTO installation_settings (name, value, changed_at) VALUES ('time_zone', 'Europe/Beispielstadt', '2026-01-01T12:00:00Z')",
        vec![],
    )
    .await;
    assert!(matches!(
        db.store.time_zone().await,
        Err(StorageError::Corrupt(_))
    ));
}

async fn the_table_of_rural_postcodes_is_stored_cleared_and_audited(db: TestDb) {
    use wegbereiter_core::esf::RuralPostcodes;
    let s = &db.store;
    assert_eq!(s.rural_postcodes().await.unwrap(), None);
    let table = RuralPostcodes::parse("99001;3\n99002;2\n", "Eurostat DEGURBA 2021").unwrap();
    let at = |day| AuditStamp {
        actor: None,
        at: noon(d(2026, 1, day)),
    };
    s.set_rural_postcodes(Some(&table), at(1)).await.unwrap();
    let stored = db.reopen().await.rural_postcodes().await.unwrap();
    assert_eq!(stored.as_ref(), Some(&table));
    assert_eq!(stored.unwrap().suggest(Some("99001")), Some(true));
    s.set_rural_postcodes(None, at(2)).await.unwrap();
    assert_eq!(s.rural_postcodes().await.unwrap(), None);
    let lines: Vec<String> = s
        .audit_log(50)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.action == wegbereiter_storage::RURAL_POSTCODES_SET)
        .map(|r| r.subject)
        .collect();
    assert_eq!(
        lines,
        [
            "rural_postcodes removed",
            "rural_postcodes 2 postcodes, 1 rural; source: Eurostat DEGURBA 2021"
        ]
    );
}
