//! Encryption at rest (issue 12, part 5): sealed texts appear in no stored byte, a wrong or
//! missing key changes nothing, rotation keeps every note readable, an erased case stays
//! unreadable in a copy taken before its erasure, and an existing plaintext database is
//! sealed on its first open with a key. Every scenario runs on SQLite and PostgreSQL.

use std::process::Command as Process;

use wegbereiter_core::prelude::*;
use wegbereiter_core::retention::{RetentionAction, RetentionCategory, Step};
use wegbereiter_storage::{InstallationKey, OpenError, OpenMode, Store};

use crate::fixtures::*;
use crate::harness::{TestDb, on_both};
use crate::retention::closed_case;

on_both!(sealed_texts_are_in_no_stored_byte);
on_both!(a_wrong_or_missing_key_is_refused_and_changes_nothing);
on_both!(rotation_keeps_every_note_readable);
on_both!(an_erased_case_stays_unreadable_in_a_copy_taken_before);
on_both!(a_plaintext_database_is_sealed_on_its_first_open_with_a_key);

const NOTE: &str = "Gespräch über die Miete";
const PSY: &str = "MARKER-PSY-7f3a Angststörung";
const HISTORY: &str = "MARKER-ANAM-19c2 Suchtberatung";
const GOAL: &str = "MARKER-GOAL-44e1 Therapieplatz";

fn stamp(day: chrono::NaiveDate) -> AuditStamp {
    AuditStamp {
        actor: None,
        at: noon(day),
    }
}

/// A case with a psychologist's note, a social-history text and a health goal, each with a
/// marker, besides the fixtures' contact note.
async fn special_case(office: &Office) -> CaseId {
    let id = closed_case_open(office).await;
    let psychologist = actor(&[Role::Psychologist], office.nord);
    office
        .run(
            id,
            &psychologist,
            d(2026, 1, 24),
            Command::RecordContact {
                contact: Contact {
                    id: ContactId::from_uuid(new_id()),
                    date: d(2026, 1, 24),
                    duration_minutes: 50,
                    kind: ContactKind::Office,
                    participants: None,
                    topics: vec![LifeDomain::MentalHealth],
                    agreements: None,
                    next_steps: None,
                    note: Some(t(PSY)),
                    compartment: NoteCompartment::Psychologist,
                },
                share_with_team: false,
            },
        )
        .await;
    office
        .run(
            id,
            &office.kw_a,
            d(2026, 1, 25),
            Command::AssessDomain {
                domain: LifeDomain::Addiction,
                assessment: DomainAssessment {
                    own_view: Some(t(HISTORY)),
                    strengths: None,
                    need: ActionNeed::Some,
                    priority: Priority::High,
                    source: AccountSource::Own,
                },
            },
        )
        .await;
    office
        .run(
            id,
            &office.kw_a,
            d(2026, 1, 26),
            Command::AgreeGoal {
                id: GoalId::from_uuid(new_id()),
                domain: LifeDomain::MentalHealth,
                wording: t(GOAL),
                criterion: t("Termin steht"),
                responsible: ResponsibleParty::Client,
                review_date: d(2026, 2, 26),
            },
        )
        .await;
    id
}

/// An enrolled case with a goal and a contact note (the fixtures' texts).
async fn closed_case_open(office: &Office) -> CaseId {
    let c = client("Sigrid", "Siegel", Some(d(1980, 1, 1)), Some("34117"));
    let id = office.refer(c, d(2026, 1, 5), Some(office.nord)).await;
    office.announce(id, d(2026, 1, 6)).await;
    office.enrol(id, d(2026, 1, 20), &office.kw_a).await;
    office
        .goal(id, &office.kw_a, d(2026, 1, 21), d(2026, 2, 21))
        .await;
    office.contact(id, &office.kw_a, d(2026, 1, 22)).await;
    id
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// Every stored byte of the database: the SQLite file with its `-wal`, or a plain `pg_dump`.
fn stored_bytes(db: &TestDb) -> Vec<u8> {
    match &db.file {
        Some(path) => {
            let mut bytes = std::fs::read(path).unwrap();
            let mut wal = path.clone().into_os_string();
            wal.push("-wal");
            if let Ok(more) = std::fs::read(&wal) {
                bytes.extend(more);
            }
            bytes
        }
        None => {
            let out = Process::new("pg_dump")
                .args(["--no-owner", "--format=plain"])
                .arg(format!("--dbname={}", db.target))
                .output()
                .expect("pg_dump is installed with PostgreSQL");
            assert!(
                out.status.success(),
                "pg_dump: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            out.stdout
        }
    }
}

async fn sealed_texts_are_in_no_stored_byte(db: TestDb) {
    let office = Office::new(&db.store);
    let id = special_case(&office).await;
    // The store reads them back.
    let case = db.store.load(id).await.unwrap().unwrap();
    let notes: Vec<&str> = case
        .contacts
        .iter()
        .filter_map(|c| c.note.as_ref().map(Text::as_str))
        .collect();
    assert!(notes.contains(&PSY) && notes.contains(&NOTE), "{notes:?}");
    assert!(case.goals.iter().any(|g| g.wording.as_str() == GOAL));
    let history = db.store.history(id).await.unwrap();
    assert!(format!("{history:?}").contains(HISTORY));
    // Before a checkpoint (SQLite: in the `-wal`) and after closing.
    let live = stored_bytes(&db);
    db.store.clone().close().await.unwrap();
    let closed = stored_bytes(&db);
    for bytes in [&live, &closed] {
        assert!(contains(bytes, "Siegel"), "the dump is the database");
        for marker in [NOTE, PSY, HISTORY, GOAL, "MARKER-"] {
            assert!(!contains(bytes, marker), "{marker} is stored in clear");
        }
    }
    // The key itself is never in the database.
    let key_file = std::fs::read_to_string(db.key_file()).unwrap();
    let encoded = key_file.split_whitespace().last().unwrap();
    assert!(
        !contains(&closed, encoded),
        "the installation key is in the database"
    );
    // The chain verifies without opening anything.
    let store = Store::open_with_key(&db.target, OpenMode::Existing, db.key())
        .await
        .unwrap();
    assert!(store.verify().await.unwrap().is_intact());
}

async fn a_wrong_or_missing_key_is_refused_and_changes_nothing(db: TestDb) {
    let office = Office::new(&db.store);
    let id = special_case(&office).await;
    db.store.clone().close().await.unwrap();
    let before = stored_bytes(&db);
    let other = InstallationKey::generate();
    match Store::open_with_key(&db.target, OpenMode::Existing, other).await {
        Err(OpenError::WrongKey { expected, given }) => {
            assert_eq!(expected, db.key().id());
            assert_ne!(given, expected);
        }
        Err(e) => panic!("expected WrongKey, got {e}"),
        Ok(_) => panic!("a wrong key opened the database"),
    }
    match Store::open_with(&db.target, OpenMode::Existing).await {
        Err(e @ OpenError::KeyRequired { .. }) => {
            assert!(e.to_string().contains("--key-file"), "{e}");
        }
        Err(e) => panic!("expected KeyRequired, got {e}"),
        Ok(_) => panic!("the database opened without its key"),
    }
    let after = stored_bytes(&db);
    if db.file.is_some() {
        assert!(before == after, "a refused open changed the database file");
    } else {
        // A dump names the moment; everything else must be the same.
        let strip = |b: &[u8]| {
            String::from_utf8_lossy(b)
                .lines()
                .filter(|l| {
                    !l.starts_with("--")
                        && !l.starts_with("\\restrict")
                        && !l.starts_with("\\unrestrict")
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(strip(&before), strip(&after));
    }
    let store = db.reopen().await;
    assert!(store.load(id).await.unwrap().is_some());
}

async fn rotation_keeps_every_note_readable(db: TestDb) {
    let office = Office::new(&db.store);
    let mut ids = vec![special_case(&office).await];
    for _ in 0..3 {
        ids.push(closed_case_open(&office).await);
    }
    let before: Vec<Case> = {
        let mut out = Vec::new();
        for id in &ids {
            out.push(db.store.load(*id).await.unwrap().unwrap());
        }
        out
    };
    let old_id = db.key().id();
    let new_path = db.dir.path().join("new.key");
    let new = InstallationKey::create(&new_path).unwrap();
    let new_id = new.id();
    let n = db
        .store
        .rotate_key(new, stamp(d(2026, 6, 1)))
        .await
        .unwrap();
    assert_eq!(n as usize, ids.len(), "one key per case with sealed texts");
    assert_eq!(db.store.key_id(), Some(new_id.clone()));
    // This store, and a new one with the new key file, read every note.
    let reopened = Store::open_with_key(
        &db.target,
        OpenMode::Existing,
        InstallationKey::load(&new_path).unwrap(),
    )
    .await
    .unwrap();
    for (id, case) in ids.iter().zip(&before) {
        assert_eq!(&db.store.load(*id).await.unwrap().unwrap(), case);
        assert_eq!(&reopened.load(*id).await.unwrap().unwrap(), case);
    }
    assert!(reopened.verify().await.unwrap().is_intact());
    // The old key file no longer opens it.
    match Store::open_with_key(&db.target, OpenMode::Existing, db.key()).await {
        Err(OpenError::WrongKey { expected, given }) => {
            assert_eq!((expected, given), (new_id.clone(), old_id.clone()));
        }
        Err(e) => panic!("expected WrongKey, got {e}"),
        Ok(_) => panic!("the old key still opens the database"),
    }
    // Audited.
    let audit = reopened
        .audit_page(&wegbereiter_storage::AuditQuery {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        audit
            .items
            .iter()
            .any(|r| r.action == wegbereiter_storage::KEY_ROTATED
                && r.subject.contains(&old_id)
                && r.subject.contains(&new_id)),
        "{:?}",
        audit.items
    );
}

/// A copy of the database as a backup makes it: `backup_to` (SQLite) or `pg_dump` without
/// the case keys and `pg_restore` into a new database (PostgreSQL), as docs/operations.md
/// says. Returns what to open it with.
async fn backup_copy(db: &TestDb) -> String {
    match &db.file {
        Some(_) => {
            let path = db.dir.path().join("before.db");
            db.store.backup_to(&path).await.unwrap();
            let bytes = std::fs::read(&path).unwrap();
            for k in db.store.export_case_keys().await.unwrap().keys {
                assert!(!contains(&bytes, &k.wrapped), "a backup holds a case key");
            }
            path.display().to_string()
        }
        None => {
            let file = db.dir.path().join("before.dump");
            let dump = Process::new("pg_dump")
                .args([
                    "--format=custom",
                    "--no-owner",
                    "--exclude-table-data=case_keys",
                    "--file",
                ])
                .arg(&file)
                .arg(format!("--dbname={}", db.target))
                .output()
                .unwrap();
            assert!(
                dump.status.success(),
                "{}",
                String::from_utf8_lossy(&dump.stderr)
            );
            let name = format!("wb_test_{}", uuid::Uuid::now_v7().simple());
            let admin = db.raw().await;
            use sea_orm::ConnectionTrait;
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .unwrap();
            let url = format!("{}/{name}", db.target.rsplit_once('/').unwrap().0);
            let restore = Process::new("pg_restore")
                .args(["--no-owner", "--exit-on-error"])
                .arg(format!("--dbname={url}"))
                .arg(&file)
                .output()
                .unwrap();
            assert!(
                restore.status.success(),
                "{}",
                String::from_utf8_lossy(&restore.stderr)
            );
            url
        }
    }
}

async fn an_erased_case_stays_unreadable_in_a_copy_taken_before(db: TestDb) {
    let s = &db.store;
    let office = Office::new(s);
    let erased = closed_case(&office, "Zyxfort", false).await;
    let kept = closed_case(&office, "Bleibt", false).await;
    let copy = backup_copy(&db).await;
    let today = d(2026, 4, 1);
    let steps = [Step {
        category: RetentionCategory::CounsellingContent,
        action: RetentionAction::EraseCase,
    }];
    s.carry_out(
        erased,
        &steps,
        "Antrag nach Art. 17 DSGVO",
        stamp(today),
        today,
    )
    .await
    .unwrap();
    // The key backup taken after the erasure has no key of the erased case.
    let keys = s.export_case_keys().await.unwrap();
    assert!(keys.keys.iter().all(|k| k.case_id != erased.as_uuid()));
    assert!(keys.keys.iter().any(|k| k.case_id == kept.as_uuid()));
    // The copy from before, opened with the key file and that key backup: the other case
    // reads as before, the erased one's content cannot be read.
    let restored = Store::open_with_key(&copy, OpenMode::Existing, db.key())
        .await
        .unwrap();
    assert_eq!(
        restored.case_count().await.unwrap(),
        2,
        "the copy is from before"
    );
    restored
        .restore_case_keys(&keys, stamp(today))
        .await
        .unwrap();
    let other = restored.load(kept).await.unwrap().unwrap();
    assert!(
        other
            .contacts
            .iter()
            .any(|c| c.note.as_ref().is_some_and(|n| n.as_str() == NOTE))
    );
    let err = restored.load(erased).await.unwrap_err();
    assert!(err.to_string().contains("case key is gone"), "{err}");
    let err = restored.history(erased).await.unwrap_err();
    assert!(err.to_string().contains("case key is gone"), "{err}");
    // Lists still work (they need no sealed text), and the chain still verifies.
    let listed = restored.list(&CaseFilter::default()).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(restored.verify().await.unwrap().is_intact());
    restored.close().await.unwrap();
}

async fn a_plaintext_database_is_sealed_on_its_first_open_with_a_key(db: TestDb) {
    // A database as one made before encryption at rest: no key, plaintext content.
    db.store.clone().close().await.unwrap();
    db.exec(
        "DELETE FROM installation_settings WHERE name = 'installation_key'",
        vec![],
    )
    .await;
    let plain = Store::open_with(&db.target, OpenMode::Existing)
        .await
        .unwrap();
    assert_eq!(plain.key_id(), None);
    let office = Office::new(&plain);
    let id = special_case(&office).await;
    let erased_too = closed_case(&office, "Redigiert", false).await;
    // One case with redacted content, so that re-linking must keep a stub's hash.
    let today = d(2026, 4, 1);
    plain
        .carry_out(
            erased_too,
            &[Step {
                category: RetentionCategory::CounsellingContent,
                action: RetentionAction::EraseContent,
            }],
            "Frist abgelaufen",
            stamp(today),
            today,
        )
        .await
        .unwrap();
    let before = plain.load(id).await.unwrap().unwrap();
    plain.close().await.unwrap();
    assert!(contains(&stored_bytes(&db), PSY), "stored in clear before");
    // The first open with a key seals it, once.
    let store = db.reopen().await;
    store.clone().close().await.unwrap();
    let bytes = stored_bytes(&db);
    for marker in [NOTE, PSY, HISTORY, GOAL] {
        assert!(!contains(&bytes, marker), "{marker} is still in clear");
    }
    let store = db.reopen().await;
    assert_eq!(store.load(id).await.unwrap().unwrap(), before);
    let report = store.verify().await.unwrap();
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.cases_checked, 2);
    let audit = store
        .audit_page(&wegbereiter_storage::AuditQuery {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        audit
            .items
            .iter()
            .any(|r| r.action == wegbereiter_storage::KEY_ADOPTED),
        "{:?}",
        audit.items
    );
}
