//! Case histories: round trips, optimistic concurrency, lists, duplicates, read models,
//! reminders, the hash chain and the access log, on both backends.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::NaiveDate;
use chrono_tz::Europe::Berlin;
use sea_orm::Value;
use tokio::sync::Barrier;
use wegbereiter_core::prelude::*;
use wegbereiter_core::referral::DuplicateMatch;
use wegbereiter_core::{CaseService, ServiceError};
use wegbereiter_storage::Store;

use crate::fixtures::*;
use crate::harness::{TestDb, on_both};

on_both!(
    append_and_load_round_trip,
    stale_version_conflicts_and_writes_nothing,
    bad_batches_are_refused,
    opening_many_cases_is_all_or_nothing,
    two_concurrent_writers_one_wins,
    many_concurrent_writers_one_wins_each_round,
    concurrent_contacts_are_retried_until_all_are_written,
    racing_writers_conflict_even_when_the_server_defaults_to_serializable,
    list_filters_in_sql,
    duplicates_use_the_client_index,
    rebuild_gives_identical_read_models,
    snapshots_of_an_older_format_are_replayed,
    format_2_snapshots_are_replayed_so_a_reopened_case_shows_no_closure,
    verify_detects_a_tampered_payload,
    verify_detects_removed_events,
    reminders_equal_the_domain,
    unassigned_reminders_of_a_team_equal_the_filtered_full_list,
    reminders_for_a_scope_and_reader_equal_the_domain,
    esf_participants_give_the_report_over_every_case,
    statistics_records_give_the_statistics_over_every_case,
    esf_duplicate_keys_are_the_folded_names_and_postcodes,
    hot_read_queries_use_their_indexes,
    case_lists_page_and_filter_open_and_unassigned_cases,
    attendance_sheet,
    access_log_records_reads,
);

/// Every case as the store has it equals the replay of its history, field by field.
async fn assert_loads_equal_replay(store: &Store, ids: &[CaseId]) {
    for id in ids {
        let history = store.history(*id).await.unwrap();
        let replayed = Case::replay(&history).unwrap();
        let loaded = store.load(*id).await.unwrap().expect("case exists");
        assert_eq!(loaded, replayed, "case {id}");
        assert_eq!(loaded.version, history.len() as u64);
    }
}

async fn append_and_load_round_trip(db: TestDb) {
    let office = Office::new(&db.store);
    let ids = office.populate().await;
    assert_loads_equal_replay(&db.store, &ids).await;
    assert_eq!(db.store.case_count().await.unwrap(), ids.len() as u64);
    // The history comes back exactly as decided, instants to the nanosecond.
    let history = db.store.history(ids[0]).await.unwrap();
    assert_eq!(history[0].recorded_at, noon(d(2026, 3, 1)));
    assert_eq!(history[0].actor, office.kw_a.id);
    // Unknown cases are empty, not errors.
    let unknown = CaseId::from_uuid(new_id());
    assert!(db.store.history(unknown).await.unwrap().is_empty());
    assert_eq!(db.store.load(unknown).await.unwrap(), None);
    // Another pool (as another process) sees the same.
    let again = db.reopen().await;
    assert_loads_equal_replay(&again, &ids).await;
    assert!(db.store.verify().await.unwrap().is_intact());
}

async fn stale_version_conflicts_and_writes_nothing(db: TestDb) {
    let office = Office::new(&db.store);
    let erika = client("Erika", "Musterfrau", None, Some("99999"));
    let id = office.refer(erika, d(2026, 3, 1), Some(office.nord)).await;
    office.announce(id, d(2026, 3, 2)).await;
    let before = db.store.read_model_snapshot().await.unwrap();
    // A command decided on version 1 while the case is at version 2.
    let case_v1 = Case::replay(&db.store.history(id).await.unwrap()[..1]).unwrap();
    let policy = Policy::default();
    let ctx = Context {
        actor: &office.kw_a,
        now: noon(d(2026, 3, 3)).fixed_offset(),
        policy: &policy,
        calendar: None,
    };
    let stale = handle(
        id,
        Some(&case_v1),
        &Command::LogContactAttempt {
            at: noon(d(2026, 3, 3)),
            channel: ContactChannel::Phone,
            outcome: AttemptOutcome::Declined,
        },
        &ctx,
    )
    .unwrap();
    assert_eq!(stale.len(), 2, "attempt and decline");
    let err = db.store.append(id, 1, &stale).await.unwrap_err();
    assert_eq!(
        err,
        StorageError::Conflict {
            case: id,
            expected: 1,
            actual: 2
        }
    );
    assert_eq!(db.store.history(id).await.unwrap().len(), 2);
    assert_eq!(db.store.read_model_snapshot().await.unwrap(), before);
    // A new case must be appended at version 0.
    let other = CaseId::from_uuid(new_id());
    let refer = handle(
        other,
        None,
        &Command::Refer {
            referral: referral(client("Max", "Mustermann", None, None), d(2026, 3, 1)),
            team: None,
        },
        &ctx,
    )
    .unwrap();
    db.store.append(other, 0, &refer).await.unwrap();
    let again = db.store.append(other, 0, &refer).await.unwrap_err();
    assert!(matches!(
        again,
        StorageError::Conflict {
            expected: 0,
            actual: 1,
            ..
        }
    ));
    // Through the service: the user saw version 1, the case is at version 2.
    let service = db.store.case_service(Policy::default());
    let result = service
        .execute_at(
            id,
            Some(1),
            &Command::Decline { on: d(2026, 3, 3) },
            &office.kw_a,
            noon(d(2026, 3, 3)).fixed_offset(),
        )
        .await;
    assert!(matches!(
        result,
        Err(ServiceError::Conflict {
            expected: 1,
            actual: 2,
            ..
        })
    ));
    assert!(db.store.verify().await.unwrap().is_intact());
}

async fn bad_batches_are_refused(db: TestDb) {
    let office = Office::new(&db.store);
    let id = office
        .refer(
            client("Erika", "Musterfrau", None, None),
            d(2026, 3, 1),
            None,
        )
        .await;
    let history = db.store.history(id).await.unwrap();
    // Wrong sequence numbers, another case's events, a second referral: all refused.
    let mut wrong = history.clone();
    wrong[0].sequence = 5;
    assert!(matches!(
        db.store.append(id, 1, &wrong).await,
        Err(StorageError::Corrupt(_))
    ));
    let other = CaseId::from_uuid(new_id());
    assert!(matches!(
        db.store.append(other, 0, &history).await,
        Err(StorageError::Corrupt(_))
    ));
    let mut second_referral = history.clone();
    second_referral[0].sequence = 2;
    assert!(matches!(
        db.store.append(id, 1, &second_referral).await,
        Err(StorageError::Corrupt(_))
    ));
    // Nothing to append: fine for an existing case, refused for a new one.
    db.store.append(id, 1, &[]).await.unwrap();
    assert!(db.store.append(other, 0, &[]).await.is_err());
    assert_eq!(db.store.history(id).await.unwrap(), history);
    assert_eq!(db.store.case_count().await.unwrap(), 1);
    assert!(db.store.verify().await.unwrap().is_intact());
}

async fn opening_many_cases_is_all_or_nothing(db: TestDb) {
    let office = Office::new(&db.store);
    let day = d(2026, 3, 2);
    let existing = office
        .refer(client("Erika", "Musterfrau", None, None), day, None)
        .await;
    let opening = |given: &str| {
        let id = CaseId::from_uuid(new_id());
        let command = Command::Refer {
            referral: referral(client(given, "Beispiel", None, None), day),
            team: Some(office.nord),
        };
        (id, command)
    };
    let (b, c) = (opening("Berta"), opening("Carla"));
    let ctx = Context {
        actor: &office.kw_a,
        now: noon(day).fixed_offset(),
        policy: &Policy::default(),
        calendar: None,
    };
    let decided = |(id, command): &(CaseId, Command)| handle(*id, None, command, &ctx).unwrap();
    let existing_history = db.store.history(existing).await.unwrap();
    // A history that breaks inside the transaction (a second referral as event 2).
    let (bad_id, bad_command) = opening("Dora");
    let mut bad = handle(bad_id, None, &bad_command, &ctx).unwrap();
    let mut second = bad[0].clone();
    second.sequence = 2;
    bad.push(second);
    let refused = db
        .store
        .append_new_cases(&[decided(&b), existing_history.clone(), decided(&c), bad])
        .await;
    assert!(
        matches!(refused, Err(StorageError::Corrupt(_))),
        "{refused:?}"
    );
    assert_eq!(
        db.store.case_count().await.unwrap(),
        1,
        "nothing of the batch"
    );
    assert_eq!(db.store.load(b.0).await.unwrap(), None);

    // Through the service: decided first, existing ids skipped, the rest written at once.
    let mut again = opening("Erika");
    again.0 = existing;
    let created = office
        .service
        .open_cases(
            &[b.clone(), again, c.clone()],
            &office.kw_a,
            noon(day).fixed_offset(),
        )
        .await
        .unwrap();
    assert_eq!(created, vec![b.0, c.0]);
    assert_eq!(db.store.case_count().await.unwrap(), 3);
    assert_eq!(db.store.history(existing).await.unwrap(), existing_history);
    assert_loads_equal_replay(&db.store, &[existing, b.0, c.0]).await;
    assert!(db.store.verify().await.unwrap().is_intact());
    // A refused command (an administrator may not enter referrals) writes nothing.
    let admin = actor(&[Role::Administrator], office.nord);
    let refused = office
        .service
        .open_cases(&[opening("Frieda")], &admin, noon(day).fixed_offset())
        .await;
    assert!(
        matches!(refused, Err(ServiceError::Forbidden(_))),
        "{refused:?}"
    );
    assert_eq!(db.store.case_count().await.unwrap(), 3);
}

/// A repository whose appends wait until `n` writers have loaded and decided, so that they
/// truly race.
struct Racing {
    inner: Store,
    barrier: Barrier,
}

#[async_trait]
impl CaseRepository for Racing {
    async fn history(&self, id: CaseId) -> Result<Vec<RecordedEvent>, StorageError> {
        self.inner.history(id).await
    }
    async fn load(&self, id: CaseId) -> Result<Option<Case>, StorageError> {
        self.inner.load(id).await
    }
    async fn append(
        &self,
        id: CaseId,
        expected: u64,
        events: &[RecordedEvent],
    ) -> Result<(), StorageError> {
        self.barrier.wait().await;
        self.inner.append(id, expected, events).await
    }
    async fn list(&self, filter: &CaseFilter) -> Result<Vec<CaseSummary>, StorageError> {
        self.inner.list(filter).await
    }
    async fn possible_duplicates(
        &self,
        client: &ClientIdentity,
    ) -> Result<Vec<(CaseSummary, DuplicateMatch)>, StorageError> {
        self.inner.possible_duplicates(client).await
    }
}

fn phone_contact(day: NaiveDate) -> Command {
    Command::RecordContact {
        contact: Contact {
            id: ContactId::from_uuid(new_id()),
            date: day,
            duration_minutes: 30,
            kind: ContactKind::Phone,
            participants: None,
            topics: vec![],
            agreements: None,
            next_steps: None,
            note: None,
            compartment: NoteCompartment::CaseTeam,
        },
        share_with_team: false,
    }
}

/// `n` writers run one contact command each on `id` through [`CaseService`], all from the
/// same version, which they name (as a form does), so the service does not retry and the
/// race is the repository's alone. Returns how many succeeded and how many got a conflict.
async fn race(
    store: &Store,
    office: &Office,
    id: CaseId,
    n: usize,
    day: NaiveDate,
) -> (usize, usize) {
    let racing = Arc::new(Racing {
        inner: store.clone(),
        barrier: Barrier::new(n),
    });
    let seen = store.load(id).await.unwrap().unwrap().version;
    let service = CaseService::new(racing, Policy::default());
    let mut tasks = Vec::new();
    for _ in 0..n {
        let service = service.clone();
        let kw = office.kw_a.clone();
        tasks.push(tokio::spawn(async move {
            let command = phone_contact(day);
            service
                .execute_at(id, Some(seen), &command, &kw, noon(day).fixed_offset())
                .await
        }));
    }
    let (mut ok, mut conflict) = (0, 0);
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => ok += 1,
            Err(ServiceError::Conflict { .. }) => conflict += 1,
            Err(other) => panic!("unexpected: {other}"),
        }
    }
    (ok, conflict)
}

async fn two_concurrent_writers_one_wins(db: TestDb) {
    let office = Office::new(&db.store);
    let id = office
        .refer(client("Lena", "Probe", None, None), d(2026, 3, 1), None)
        .await;
    office.enrol(id, d(2026, 3, 10), &office.kw_a).await;
    let version = db.store.load(id).await.unwrap().unwrap().version;
    let (ok, conflict) = race(&db.store, &office, id, 2, d(2026, 3, 12)).await;
    assert_eq!((ok, conflict), (1, 1));
    let case = db.store.load(id).await.unwrap().unwrap();
    assert_eq!(case.version, version + 1);
    assert_eq!(case.contacts.len(), 1);
    assert!(db.store.verify().await.unwrap().is_intact());
}

async fn many_concurrent_writers_one_wins_each_round(db: TestDb) {
    let office = Office::new(&db.store);
    let id = office
        .refer(client("Lena", "Probe", None, None), d(2026, 3, 1), None)
        .await;
    office.enrol(id, d(2026, 3, 10), &office.kw_a).await;
    // Several rounds: on PostgreSQL the loser can notice the winner at different points of
    // its transaction (version check, state read, insert); every one must be a conflict.
    for _ in 0..8 {
        let (ok, conflict) = race(&db.store, &office, id, 4, d(2026, 3, 12)).await;
        assert_eq!((ok, conflict), (1, 3));
    }
    let case = db.store.load(id).await.unwrap().unwrap();
    assert_eq!(case.contacts.len(), 8);
    assert!(db.store.verify().await.unwrap().is_intact());
}

async fn concurrent_contacts_are_retried_until_all_are_written(db: TestDb) {
    let office = Office::new(&db.store);
    let id = office
        .refer(client("Lena", "Probe", None, None), d(2026, 3, 1), None)
        .await;
    office.enrol(id, d(2026, 3, 10), &office.kw_a).await;
    let version = db.store.load(id).await.unwrap().unwrap().version;
    let service = db.store.case_service(Policy::default());
    let day = d(2026, 3, 12);
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let service = service.clone();
        let kw = office.kw_a.clone();
        tasks.push(tokio::spawn(async move {
            service
                .execute(id, &phone_contact(day), &kw, noon(day).fixed_offset())
                .await
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let case = db.store.load(id).await.unwrap().unwrap();
    assert_eq!(case.version, version + 8);
    assert_eq!(case.contacts.len(), 8);
    assert!(db.store.verify().await.unwrap().is_intact());
}

async fn racing_writers_conflict_even_when_the_server_defaults_to_serializable(db: TestDb) {
    let db = if db.backend() == wegbereiter_storage::Backend::Postgres {
        db.exec(
            "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET default_transaction_isolation = %L', current_database(), 'serializable'); END $$",
            vec![],
        )
        .await;
        // New connections take the new default.
        let store = db.reopen().await;
        TestDb { store, ..db }
    } else {
        db
    };
    many_concurrent_writers_one_wins_each_round(db).await;
}

async fn list_filters_in_sql(db: TestDb) {
    let office = Office::new(&db.store);
    let ids = office.populate().await;
    // The reference: core's own filter over every case, in the documented order.
    let mut all: Vec<CaseSummary> = Vec::new();
    for id in &ids {
        all.push(db.store.load(*id).await.unwrap().unwrap().summary());
    }
    all.sort_by(|a, b| {
        b.referral_date
            .cmp(&a.referral_date)
            .then_with(|| a.client_name.cmp(&b.client_name))
            .then_with(|| a.id.cmp(&b.id))
    });
    let filters = [
        CaseFilter::default(),
        CaseFilter {
            status: Some(CaseStatus::Enrolled),
            ..Default::default()
        },
        CaseFilter {
            status: Some(CaseStatus::Outreach),
            ..Default::default()
        },
        CaseFilter {
            status: Some(CaseStatus::Closed),
            ..Default::default()
        },
        CaseFilter {
            key_worker: Some(office.kw_a.id),
            ..Default::default()
        },
        CaseFilter {
            key_worker: Some(office.kw_b.id),
            ..Default::default()
        },
        CaseFilter {
            team: Some(office.nord),
            ..Default::default()
        },
        CaseFilter {
            team: Some(office.sued),
            status: Some(CaseStatus::Referred),
            ..Default::default()
        },
        CaseFilter {
            name_contains: Some("  MUSTER ".into()),
            ..Default::default()
        },
        CaseFilter {
            name_contains: Some("weiß".into()),
            ..Default::default()
        },
        CaseFilter {
            name_contains: Some("%".into()),
            ..Default::default()
        },
        CaseFilter {
            name_contains: Some("_".into()),
            ..Default::default()
        },
        CaseFilter {
            name_contains: Some(String::new()),
            ..Default::default()
        },
        CaseFilter {
            limit: Some(3),
            ..Default::default()
        },
        CaseFilter {
            limit: Some(0),
            ..Default::default()
        },
        CaseFilter {
            team: Some(office.nord),
            limit: Some(2),
            ..Default::default()
        },
        CaseFilter {
            key_worker: Some(office.kw_a.id),
            team: Some(office.sued),
            ..Default::default()
        },
    ];
    for filter in filters {
        let mut expected: Vec<CaseSummary> =
            all.iter().filter(|s| filter.matches(s)).cloned().collect();
        if filter.orders_by_rank() {
            expected.sort_by(|a, b| {
                filter
                    .rank(a)
                    .cmp(&filter.rank(b))
                    .then_with(|| a.client_name.cmp(&b.client_name))
                    .then_with(|| a.id.cmp(&b.id))
            });
        }
        if let Some(limit) = filter.limit {
            expected.truncate(limit);
        }
        assert_eq!(
            db.store.list(&filter).await.unwrap(),
            expected,
            "{filter:?}"
        );
    }
    let muster = db
        .store
        .list(&CaseFilter {
            name_contains: Some("muster".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        muster.len(),
        5,
        "Musterfrau ×3, Mustermann, Muster: {muster:#?}"
    );
}

async fn duplicates_use_the_client_index(db: TestDb) {
    let office = Office::new(&db.store);
    let ids = office.populate().await;
    let candidates = [
        client("Erika", "Musterfrau", Some(d(1984, 2, 29)), Some("99999")),
        client("ERIKA", "musterfrau", None, Some("99999")),
        client("Joerg", "Weiss", None, Some("34119")),
        client("Erika", "Musterfrau", None, None),
        client("Erika", "Mustermann", Some(d(1984, 2, 29)), Some("99999")),
    ];
    let mut cases = Vec::new();
    for id in &ids {
        cases.push(db.store.load(*id).await.unwrap().unwrap());
    }
    for candidate in candidates {
        let mut expected: Vec<(CaseSummary, DuplicateMatch)> = cases
            .iter()
            .filter_map(|c| {
                wegbereiter_core::referral::duplicate_match(&candidate, &c.referral.client)
                    .map(|m| (c.summary(), m))
            })
            .collect();
        expected.sort_by_key(|(s, _)| s.id);
        let found = db.store.possible_duplicates(&candidate).await.unwrap();
        assert_eq!(found, expected, "{candidate:?}");
    }
    let erika = db
        .store
        .possible_duplicates(&client(
            "Erika",
            "Musterfrau",
            Some(d(1984, 2, 29)),
            Some("99999"),
        ))
        .await
        .unwrap();
    assert_eq!(
        erika.len(),
        3,
        "the referral itself, its twin and the namesake"
    );
    let joerg = db
        .store
        .possible_duplicates(&client("Joerg", "Weiss", None, Some("34119")))
        .await
        .unwrap();
    assert_eq!(joerg.len(), 1, "umlauts and ß are folded");
    assert_eq!(joerg[0].1, DuplicateMatch::NameAndPostcode);
}

async fn rebuild_gives_identical_read_models(db: TestDb) {
    let office = Office::new(&db.store);
    let ids = office.populate().await;
    let before = db.store.read_model_snapshot().await.unwrap();
    assert_eq!(before.tables["cases"].len(), ids.len());
    assert!(before.tables["case_attendance"].len() == 1);
    assert!(!before.tables["case_reminder_triggers"].is_empty());
    // Damage the read models, then rebuild them from the events alone.
    db.exec("DELETE FROM case_clients", vec![]).await;
    db.exec(
        "UPDATE cases SET status = 'closed', state = '{}' WHERE id = $1",
        vec![Value::from(ids[0].as_uuid())],
    )
    .await;
    assert_ne!(db.store.read_model_snapshot().await.unwrap(), before);
    db.store.rebuild_read_models().await.unwrap();
    let after = db.store.read_model_snapshot().await.unwrap();
    assert_eq!(after, before);
    // Rebuilding twice changes nothing either.
    db.store.rebuild_read_models().await.unwrap();
    assert_eq!(db.store.read_model_snapshot().await.unwrap(), before);
    assert_loads_equal_replay(&db.store, &ids).await;
}

/// A database written by an earlier version holds case snapshots of an older shape (here
/// without `declined_on`): they are replayed from the events, never trusted.
async fn snapshots_of_an_older_format_are_replayed(db: TestDb) {
    let office = Office::new(&db.store);
    let ids = office.populate().await;
    for id in &ids {
        let case = db.store.load(*id).await.unwrap().unwrap();
        // The old format: the bare case, without the fields added since.
        let mut old = serde_json::to_value(&case).unwrap();
        let object = old.as_object_mut().unwrap();
        object.remove("declined_on");
        object.remove("pauses");
        db.exec(
            "UPDATE cases SET state = $1 WHERE id = $2",
            vec![Value::from(old.to_string()), Value::from(id.as_uuid())],
        )
        .await;
    }
    assert_loads_equal_replay(&db.store, &ids).await;
    let declined: Vec<Case> = {
        let mut v = Vec::new();
        for id in &ids {
            let case = db.store.load(*id).await.unwrap().unwrap();
            if case.status == CaseStatus::Declined {
                v.push(case);
            }
        }
        v
    };
    assert!(!declined.is_empty(), "the office has a declined case");
    for case in declined {
        assert!(
            case.declined_on.is_some() && case.reached(),
            "{:?}",
            case.id
        );
    }
}

/// Snapshot format 2 had no `previous_closures` and kept a reopened case's closure as
/// current; such a snapshot is never trusted, whatever closure it claims.
async fn format_2_snapshots_are_replayed_so_a_reopened_case_shows_no_closure(db: TestDb) {
    let office = Office::new(&db.store);
    let ids = office.populate().await;
    for id in &ids {
        let case = db.store.load(*id).await.unwrap().unwrap();
        let mut old = serde_json::to_value(&case).unwrap();
        let object = old.as_object_mut().unwrap();
        object.remove("previous_closures");
        object.insert(
            "closure".into(),
            serde_json::json!({
                "closed_on": "2026-01-05",
                "reason": "goals_achieved",
                "immediate_result": null
            }),
        );
        let state = serde_json::json!({ "format": 2, "case": old });
        db.exec(
            "UPDATE cases SET state = $1 WHERE id = $2",
            vec![Value::from(state.to_string()), Value::from(id.as_uuid())],
        )
        .await;
    }
    assert_loads_equal_replay(&db.store, &ids).await;
    for id in &ids {
        let case = db.store.load(*id).await.unwrap().unwrap();
        assert_eq!(
            case.closure.is_some(),
            case.status == CaseStatus::Closed,
            "{id}"
        );
    }
}

async fn verify_detects_a_tampered_payload(db: TestDb) {
    let office = Office::new(&db.store);
    let ids = office.populate().await;
    let report = db.store.verify().await.unwrap();
    assert_eq!(report.first_broken, None);
    assert_eq!(report.cases_checked, ids.len() as u64);
    let total: usize = {
        let mut n = 0;
        for id in &ids {
            n += db.store.history(*id).await.unwrap().len();
        }
        n
    };
    assert_eq!(report.events_checked, total as u64);

    // Change the first event of the third case (in id order) in SQL.
    let mut sorted = ids.clone();
    sorted.sort();
    let victim = sorted[2];
    let changed = db
        .exec(
            "UPDATE events SET payload = REPLACE(payload, '\"actor\":\"', '\"actor\":\"0') \
             WHERE case_id = $1 AND sequence = 1",
            vec![Value::from(victim.as_uuid())],
        )
        .await;
    assert_eq!(changed, 1);
    let report = db.store.verify().await.unwrap();
    let broken = report.first_broken.expect("tampering is evident");
    assert_eq!(broken.case_id, victim);
    assert_eq!(broken.sequence, 1);
    assert!(broken.reason.contains("hash"), "{}", broken.reason);
    assert_eq!(
        report.cases_checked, 2,
        "checking stops at the first broken link"
    );
}

async fn verify_detects_removed_events(db: TestDb) {
    let office = Office::new(&db.store);
    let id = office
        .refer(
            client("Erika", "Musterfrau", None, None),
            d(2026, 3, 1),
            None,
        )
        .await;
    office.enrol(id, d(2026, 3, 10), &office.kw_a).await;
    office.contact(id, &office.kw_a, d(2026, 3, 11)).await;
    let version = db.store.load(id).await.unwrap().unwrap().version;
    assert_eq!(version, 4);
    // Removing the last event breaks the link to the recorded head.
    db.exec(
        "DELETE FROM events WHERE case_id = $1 AND sequence = 4",
        vec![Value::from(id.as_uuid())],
    )
    .await;
    let broken = db.store.verify().await.unwrap().first_broken.unwrap();
    assert_eq!((broken.case_id, broken.sequence), (id, 4));
    // Removing one in the middle breaks the chain there.
    db.exec(
        "DELETE FROM events WHERE case_id = $1 AND sequence = 2",
        vec![Value::from(id.as_uuid())],
    )
    .await;
    let broken = db.store.verify().await.unwrap().first_broken.unwrap();
    assert_eq!((broken.case_id, broken.sequence), (id, 2));
    // Removing the whole history leaves the read model as a witness.
    db.exec("DELETE FROM events", vec![]).await;
    let broken = db.store.verify().await.unwrap().first_broken.unwrap();
    assert_eq!((broken.case_id, broken.sequence), (id, 1));
}

async fn reminders_equal_the_domain(db: TestDb) {
    let office = Office::new(&db.store);
    let ids = office.populate().await;
    let mut cases = Vec::new();
    for id in &ids {
        cases.push(db.store.load(*id).await.unwrap().unwrap());
    }
    let strict = Policy {
        outreach_follow_up_days: 0,
        period_end_warning_days: 0,
        no_contact_days: 0,
        esf_entry_due_days: 0,
        esf_entry_warning_days: 0,
        referral_out_stale_days: 0,
        ..Policy::default()
    };
    let lax = Policy {
        outreach_follow_up_days: 400,
        period_end_warning_days: 400,
        no_contact_days: 400,
        esf_entry_due_days: 10,
        esf_entry_warning_days: 400,
        referral_out_stale_days: 400,
        ..Policy::default()
    };
    let workers = [
        None,
        Some(office.kw_a.id),
        Some(office.kw_b.id),
        Some(office.lead.id),
        Some(StaffId::from_uuid(new_id())),
    ];
    let mut nonempty = 0;
    let mut day = d(2026, 1, 1);
    while day <= d(2027, 1, 1) {
        for policy in [&Policy::default(), &strict, &lax] {
            for kw in workers {
                let mut expected: Vec<Reminder> = cases
                    .iter()
                    .flat_map(|c| reminders(c, day, &Berlin, policy))
                    .filter(|r| kw.is_none_or(|k| r.key_worker == Some(k)))
                    .collect();
                expected.sort();
                let found = db
                    .store
                    .reminders_due(day, &Berlin, policy, kw)
                    .await
                    .unwrap();
                assert_eq!(found, expected, "{day} {policy:?} {kw:?}");
                nonempty += usize::from(!found.is_empty());
            }
        }
        day = day + chrono::Days::new(9);
    }
    assert!(
        nonempty > 50,
        "the comparison covered real reminders ({nonempty})"
    );
    let kinds: std::collections::BTreeSet<ReminderKind> = cases
        .iter()
        .flat_map(|c| reminders(c, d(2026, 12, 1), &Berlin, &Policy::default()))
        .map(|r| r.kind)
        .collect();
    assert!(kinds.len() >= 4, "{kinds:?}");
}

/// The dashboard's fast query for a team's unassigned cases gives exactly what filtering the
/// full list would give.
async fn unassigned_reminders_of_a_team_equal_the_filtered_full_list(db: TestDb) {
    let office = Office::new(&db.store);
    let ids = office.populate().await;
    // An outreach case of team Nord named to key worker A: no longer unassigned.
    let named = office
        .refer(
            client("Nora", "Namentlich", None, Some("34117")),
            d(2026, 3, 1),
            Some(office.nord),
        )
        .await;
    office.announce(named, d(2026, 3, 2)).await;
    office
        .run(
            named,
            &office.lead,
            d(2026, 3, 3),
            Command::ReassignKeyWorker {
                to: office.kw_a.clone(),
            },
        )
        .await;
    let mut summaries = Vec::new();
    for id in ids.iter().chain([&named]) {
        summaries.push(db.store.load(*id).await.unwrap().unwrap().summary());
    }
    let mut nonempty = 0;
    let mut day = d(2026, 1, 1);
    while day <= d(2026, 12, 31) {
        let all = db
            .store
            .reminders_due(day, &Berlin, &Policy::default(), None)
            .await
            .unwrap();
        for team in [office.nord, office.sued, TeamId::from_uuid(new_id())] {
            let expected: Vec<Reminder> = all
                .iter()
                .filter(|r| {
                    summaries.iter().any(|s| {
                        s.id == r.case_id && s.team == Some(team) && s.key_worker.is_none()
                    })
                })
                .cloned()
                .collect();
            let found = db
                .store
                .reminders_due_unassigned(day, &Berlin, &Policy::default(), team)
                .await
                .unwrap();
            assert_eq!(found, expected, "{day} {team:?}");
            assert!(found.iter().all(|r| r.case_id != named));
            nonempty += usize::from(!found.is_empty());
        }
        // The named outreach case's reminders are the key worker's.
        let mine = db
            .store
            .reminders_due(day, &Berlin, &Policy::default(), Some(office.kw_a.id))
            .await
            .unwrap();
        let expected_named: Vec<&Reminder> = all.iter().filter(|r| r.case_id == named).collect();
        assert_eq!(
            mine.iter().filter(|r| r.case_id == named).count(),
            expected_named.len()
        );
        day = day + chrono::Days::new(11);
    }
    assert!(nonempty > 10, "the comparison covered real reminders");
}

async fn attendance_sheet(db: TestDb) {
    let office = Office::new(&db.store);
    let ids = office.populate().await;
    let sheet = db
        .store
        .attendance_for_session(office.session.id)
        .await
        .unwrap();
    let phase2: Vec<CaseId> = {
        let mut v = Vec::new();
        for id in &ids {
            if db.store.load(*id).await.unwrap().unwrap().phase == Some(Phase::Phase2) {
                v.push(*id);
            }
        }
        v
    };
    assert_eq!(sheet, vec![(phase2[0], Attendance::Present)]);
    // A correction replaces the earlier record.
    office
        .run(
            phase2[0],
            &office.kw_a,
            d(2026, 4, 3),
            Command::RecordAttendance {
                session: office.session.clone(),
                attendance: Attendance::Absent,
            },
        )
        .await;
    let sheet = db
        .store
        .attendance_for_session(office.session.id)
        .await
        .unwrap();
    assert_eq!(sheet, vec![(phase2[0], Attendance::Absent)]);
    let other = GroupSessionId::from_uuid(new_id());
    assert!(
        db.store
            .attendance_for_session(other)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn access_log_records_reads(db: TestDb) {
    let office = Office::new(&db.store);
    let id = office
        .refer(
            client("Erika", "Musterfrau", None, None),
            d(2026, 3, 1),
            None,
        )
        .await;
    let entries = [
        AccessEntry {
            at: noon(d(2026, 3, 2)),
            actor: office.kw_a.id,
            case_id: id,
            kind: AccessKind::View,
        },
        AccessEntry {
            at: noon(d(2026, 3, 3)),
            actor: office.lead.id,
            case_id: id,
            kind: AccessKind::History,
        },
        AccessEntry {
            at: noon(d(2026, 3, 1)),
            actor: office.kw_a.id,
            case_id: id,
            kind: AccessKind::JobcenterFeedback,
        },
        AccessEntry {
            at: noon(d(2026, 3, 4)),
            actor: office.kw_b.id,
            case_id: id,
            kind: AccessKind::Export,
        },
    ];
    for e in &entries {
        db.store.record_access(e).await.unwrap();
    }
    let other = CaseId::from_uuid(new_id());
    db.store
        .record_access(&AccessEntry {
            at: noon(d(2026, 3, 4)),
            actor: office.kw_b.id,
            case_id: other,
            kind: AccessKind::View,
        })
        .await
        .unwrap();
    assert_eq!(
        db.store.accesses(id).await.unwrap(),
        entries.to_vec(),
        "in the order recorded"
    );
    assert_eq!(db.store.accesses(other).await.unwrap().len(), 1);
}

/// `reminders_for` gives exactly core's `reminders()` over every case the scope names and the
/// reader may know of.
async fn reminders_for_a_scope_and_reader_equal_the_domain(db: TestDb) {
    use wegbereiter_core::ports::Visibility;
    use wegbereiter_storage::ReminderScope;
    let office = Office::new(&db.store);
    let ids = office.populate().await;
    let mut cases = Vec::new();
    for id in &ids {
        cases.push(db.store.load(*id).await.unwrap().unwrap());
    }
    let stranger = StaffId::from_uuid(new_id());
    let scopes = [
        ReminderScope::All,
        ReminderScope::Person {
            staff: office.kw_a.id,
            teams: vec![office.nord],
        },
        ReminderScope::Person {
            staff: office.kw_b.id,
            teams: vec![office.nord, office.sued],
        },
        ReminderScope::Person {
            staff: stranger,
            teams: vec![],
        },
    ];
    let readers = [
        None,
        Some(Visibility {
            staff: office.kw_a.id,
            teams: vec![],
        }),
        Some(Visibility {
            staff: stranger,
            teams: vec![office.sued],
        }),
        Some(Visibility {
            staff: office.lead.id,
            teams: vec![office.nord, office.sued],
        }),
    ];
    let mut nonempty = 0;
    let mut day = d(2026, 1, 1);
    while day <= d(2026, 12, 31) {
        for scope in &scopes {
            for reader in &readers {
                let mut expected: Vec<(Reminder, String)> = cases
                    .iter()
                    .filter(|c| {
                        let s = c.summary();
                        scope.covers(&s) && reader.as_ref().is_none_or(|v| v.covers(&s))
                    })
                    .flat_map(|c| {
                        reminders(c, day, &Berlin, &Policy::default())
                            .into_iter()
                            .map(|r| (r, c.summary().client_name))
                    })
                    .collect();
                expected.sort();
                let found: Vec<(Reminder, String)> = db
                    .store
                    .reminders_for(day, &Berlin, &Policy::default(), scope, reader.as_ref())
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|d| (d.reminder, d.client_name))
                    .collect();
                assert_eq!(found, expected, "{day} {scope:?} {reader:?}");
                nonempty += usize::from(!found.is_empty());
                // A page is the beginning of the whole list, and says whether more follow.
                for limit in [0, 1, 3] {
                    let page = db
                        .store
                        .reminders_page(
                            day,
                            &Berlin,
                            &Policy::default(),
                            scope,
                            reader.as_ref(),
                            limit,
                        )
                        .await
                        .unwrap();
                    let items: Vec<(Reminder, String)> = page
                        .items
                        .into_iter()
                        .map(|d| (d.reminder, d.client_name))
                        .collect();
                    assert_eq!(
                        items,
                        expected[..limit.min(expected.len())],
                        "{day} {limit}"
                    );
                    assert_eq!(page.more, expected.len() > limit, "{day} {limit}");
                }
            }
        }
        day = day + chrono::Days::new(13);
    }
    assert!(
        nonempty > 50,
        "the comparison covered real reminders ({nonempty})"
    );
}

/// The ESF read model gives, for any period and scope (the project, one team), the report
/// core computes over every participant case; rebuilding keeps it.
async fn esf_participants_give_the_report_over_every_case(db: TestDb) {
    use wegbereiter_core::esf::{EsfScope, PARTICIPANT_STATUSES, esf_report_of_records};
    let office = Office::new(&db.store);
    let ids = office.populate().await;
    let mut cases = Vec::new();
    for id in &ids {
        cases.push(db.store.load(*id).await.unwrap().unwrap());
    }
    let periods = [
        (d(2026, 1, 1), d(2026, 12, 31)),
        (d(2026, 3, 10), d(2026, 3, 10)),
        (d(2026, 5, 4), d(2026, 6, 30)),
        (d(2025, 1, 1), d(2025, 12, 31)),
    ];
    let scopes = [
        EsfScope::All,
        EsfScope::Team(office.nord),
        EsfScope::Team(office.sued),
    ];
    let mut counted = 0;
    for round in 0..2 {
        for (from, to) in periods {
            for scope in scopes {
                let expected = esf_report(
                    cases.iter().filter(|c| {
                        PARTICIPANT_STATUSES.contains(&c.status) && scope.covers(c.team)
                    }),
                    from,
                    to,
                );
                let participants = db.store.esf_participants(from, to, scope).await.unwrap();
                assert_eq!(
                    esf_report_of_records(&participants, from, to),
                    expected,
                    "{from}..{to} {scope:?}"
                );
                let ids: Vec<CaseId> = participants.iter().map(|r| r.case).collect();
                assert!(participants.iter().all(|r| scope.covers(r.team)));
                assert!(ids.windows(2).all(|w| w[0] < w[1]), "in id order");
                counted += expected.entries.participants.total + expected.exits.participants.total;
            }
        }
        if round == 0 {
            db.store.rebuild_read_models().await.unwrap();
        }
    }
    assert!(
        counted > 10,
        "the comparison counted participants ({counted})"
    );
}

/// The statistics read model gives, for any period and scope, the statistics core computes
/// over every case; rebuilding keeps it.
async fn statistics_records_give_the_statistics_over_every_case(db: TestDb) {
    use wegbereiter_core::esf::EsfScope;
    use wegbereiter_core::statistics::{
        Granularity, StatisticsFacts, StatisticsRecord, statistics,
    };
    let office = Office::new(&db.store);
    let ids = office.populate().await;
    let mut all = Vec::new();
    for id in &ids {
        let case = db.store.load(*id).await.unwrap().unwrap();
        all.push(StatisticsRecord {
            case: case.id,
            team: case.team,
            facts: StatisticsFacts::of(&case),
        });
    }
    let periods = [
        (d(2026, 1, 1), d(2026, 12, 31)),
        (d(2026, 3, 10), d(2026, 3, 10)),
        (d(2026, 5, 4), d(2026, 6, 30)),
        (d(2025, 1, 1), d(2025, 12, 31)),
    ];
    let scopes = [
        EsfScope::All,
        EsfScope::Team(office.nord),
        EsfScope::Team(office.sued),
    ];
    let zone = chrono_tz::Europe::Berlin;
    let mut counted = 0;
    for round in 0..2 {
        for (from, to) in periods {
            for scope in scopes {
                let expected = statistics(&all, from, to, scope, Granularity::Month, &zone);
                let read = db.store.statistics_records(from, to, scope).await.unwrap();
                assert!(read.iter().all(|r| scope.covers(r.team)));
                assert!(
                    read.windows(2).all(|w| w[0].case < w[1].case),
                    "in id order"
                );
                assert!(read.len() < all.len() || from <= d(2026, 1, 1));
                assert_eq!(
                    statistics(&read, from, to, scope, Granularity::Month, &zone),
                    expected,
                    "{from}..{to} {scope:?}"
                );
                counted += expected.total.referrals + expected.total.exits;
            }
        }
        if round == 0 {
            db.store.rebuild_read_models().await.unwrap();
        }
    }
    assert!(counted > 10, "the comparison counted cases ({counted})");
}

/// The funder export's duplicate check reads, for the cases asked, the folded names and the
/// postcode from the client index, in id order; unknown ids have none.
async fn esf_duplicate_keys_are_the_folded_names_and_postcodes(db: TestDb) {
    use wegbereiter_core::referral::fold_name;
    let office = Office::new(&db.store);
    let mut ids = office.populate().await;
    ids.sort();
    let mut asked = ids.clone();
    asked.push(CaseId::from_uuid(uuid::Uuid::from_u128(7)));
    let keys = db.store.esf_duplicate_keys(&asked).await.unwrap();
    assert_eq!(keys.iter().map(|k| k.case).collect::<Vec<_>>(), ids);
    for key in &keys {
        let case = db.store.load(key.case).await.unwrap().unwrap();
        let client = &case.referral.client;
        assert_eq!(
            key.names,
            format!(
                "{}\u{1f}{}",
                fold_name(client.family_name.as_str()),
                fold_name(client.given_name.as_str())
            )
        );
        assert_eq!(
            key.postcode.as_deref(),
            client.address.as_ref().map(|a| a.postcode.as_str())
        );
    }
    assert!(db.store.esf_duplicate_keys(&[]).await.unwrap().is_empty());
}

/// Every hot read query is answered through an index on both backends: no full scan of a
/// table (but the events `verify` reads in key order), and lists read in index order.
async fn hot_read_queries_use_their_indexes(db: TestDb) {
    let office = Office::new(&db.store);
    office.populate().await;
    let plans = db.store.read_query_plans().await.unwrap();
    assert!(plans.len() >= 14, "{plans:?}");
    for search in [
        "search by birth date",
        "search by case number",
        "search by folded name, whole words first",
    ] {
        assert!(plans.iter().any(|p| p.query == search), "{search}");
    }
    for plan in &plans {
        // Shown with `--nocapture`, for reading the plans.
        println!("{}:\n{}\n", plan.query, plan.plan);
        let allowed: &[&str] = if plan.query.starts_with("verify") {
            &["events"]
        } else {
            &[]
        };
        assert!(
            !plan.scans_a_table(allowed),
            "{} scans a table:\n{}",
            plan.query,
            plan.plan
        );
        if plan.query.starts_with("caseload") {
            // Counted from the index alone: the table rows hold whole case states.
            assert_ne!(
                plan.sqlite_reads_only_indexes(),
                Some(false),
                "{} reads table rows:\n{}",
                plan.query,
                plan.plan
            );
        }
        if plan.query.contains("first page") || plan.query.starts_with("verify") {
            assert!(
                !plan.sorts(),
                "{} sorts instead of reading in index order:\n{}",
                plan.query,
                plan.plan
            );
        }
    }
}

/// Pages of a case list follow each other without gaps or repeats; "open only" and
/// "unassigned" filter in SQL as `CaseFilter::matches` says.
async fn case_lists_page_and_filter_open_and_unassigned_cases(db: TestDb) {
    let office = Office::new(&db.store);
    let ids = office.populate().await;
    let all = db.store.list(&CaseFilter::default()).await.unwrap();
    assert_eq!(all.len(), ids.len());
    let mut paged = Vec::new();
    for page in 0..=all.len() / 3 {
        paged.extend(
            db.store
                .list(&CaseFilter {
                    limit: Some(3),
                    offset: Some(page * 3),
                    ..CaseFilter::default()
                })
                .await
                .unwrap(),
        );
    }
    assert_eq!(paged, all);
    let tail = db
        .store
        .list(&CaseFilter {
            offset: Some(2),
            ..CaseFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(tail, all[2..]);
    for filter in [
        CaseFilter {
            open_only: true,
            ..CaseFilter::default()
        },
        CaseFilter {
            unassigned: true,
            open_only: true,
            ..CaseFilter::default()
        },
        CaseFilter {
            name_contains: Some("probe, LENA".into()),
            ..CaseFilter::default()
        },
    ] {
        let expected: Vec<CaseSummary> =
            all.iter().filter(|s| filter.matches(s)).cloned().collect();
        assert!(
            !expected.is_empty() && expected.len() < all.len(),
            "{filter:?}"
        );
        assert_eq!(
            db.store.list(&filter).await.unwrap(),
            expected,
            "{filter:?}"
        );
    }
}
