//! Retention and erasure carried out: rules stored and audited, the plan over the ended
//! cases, content erased in place with the chain still verifiable, restricted cases gone from
//! every query, whole cases erased with a tombstone, refusals that write nothing.

use sea_orm::{ConnectionTrait, Statement};
use wegbereiter_core::prelude::*;
use wegbereiter_core::retention::{
    ErasureRefused, RetentionAction, RetentionCategory, RetentionPeriod, RetentionRules, Step,
    on_request,
};
use wegbereiter_storage::{
    CASE_ERASED, CASE_RESTRICTED, CONTENT_ERASED, PersonMatch, RETENTION_SET, RetentionError,
};

use crate::fixtures::*;
use crate::harness::{TestDb, on_both};

on_both!(retention_rules_are_stored_checked_and_audited);
on_both!(an_erasure_request_for_an_esf_participant_erases_the_content_and_restricts_the_rest);
on_both!(an_erased_case_leaves_only_a_tombstone);
on_both!(the_plan_lists_due_steps_and_an_open_case_is_refused_without_a_write);
on_both!(a_redaction_nobody_recorded_breaks_the_chain);
on_both!(the_access_export_holds_every_case_of_the_person_with_reads_and_retention_dates);

const NOTE: &str = "Gespräch über die Miete";

fn stamp(day: chrono::NaiveDate) -> AuditStamp {
    AuditStamp {
        actor: None,
        at: noon(day),
    }
}

/// How many stored rows of `table` contain `text` anywhere in `column`.
async fn rows_containing(db: &TestDb, table: &str, column: &str, text: &str) -> i64 {
    let conn = db.raw().await;
    let sql = match db.backend() {
        wegbereiter_storage::Backend::Sqlite => {
            format!("SELECT COUNT(*) AS n FROM {table} WHERE {column} LIKE '%' || $1 || '%'")
        }
        wegbereiter_storage::Backend::Postgres => format!(
            "SELECT COUNT(*) AS n FROM {table} WHERE CAST({column} AS TEXT) LIKE '%' || $1 || '%'"
        ),
    };
    let row = conn
        .query_one_raw(Statement::from_sql_and_values(
            conn.get_database_backend(),
            sql,
            vec![text.into()],
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get("", "n").unwrap()
}

/// A closed case with a goal and a contact note; with ESF entry data when `esf`.
pub(crate) async fn closed_case(office: &Office, name: &str, esf: bool) -> CaseId {
    let c = client(name, "Löschprobe", Some(d(1980, 1, 1)), Some("34117"));
    let id = office.refer(c, d(2026, 1, 5), Some(office.nord)).await;
    office.announce(id, d(2026, 1, 6)).await;
    office.enrol(id, d(2026, 1, 20), &office.kw_a).await;
    office
        .goal(id, &office.kw_a, d(2026, 1, 21), d(2026, 2, 21))
        .await;
    office.contact(id, &office.kw_a, d(2026, 1, 22)).await;
    if esf {
        let record = EsfEntryRecord {
            employment_status: EmploymentStatus::Unemployed,
            long_term_unemployed: false,
            education: IscedBand::Isced3To4,
            disability: None,
            citizenship: Citizenship::German,
            foreign_background: None,
            minority: None,
            homeless: false,
            rural_area: None,
        };
        office
            .run(
                id,
                &office.kw_a,
                d(2026, 1, 23),
                Command::RecordEsfEntry { record },
            )
            .await;
    }
    office
        .run(
            id,
            &office.kw_a,
            d(2026, 3, 2),
            Command::Close {
                on: d(2026, 3, 2),
                reason: ExitReason::GoalsAchieved,
                immediate_result: None,
            },
        )
        .await;
    id
}

async fn retention_rules_are_stored_checked_and_audited(db: TestDb) {
    let s = &db.store;
    assert_eq!(
        s.retention_rules().await.unwrap(),
        RetentionRules::default()
    );
    let rules = RetentionRules {
        periods: vec![(
            RetentionCategory::CounsellingContent,
            RetentionPeriod::Months(36),
        )],
        esf_retention_until: Some(d(2033, 12, 31)),
    };
    s.set_retention_rules(&rules, stamp(d(2026, 4, 1)))
        .await
        .unwrap();
    assert_eq!(db.reopen().await.retention_rules().await.unwrap(), rules);
    // A period the category does not allow is refused and nothing changes.
    let wrong = RetentionRules {
        periods: vec![(RetentionCategory::EsfEvidence, RetentionPeriod::Days(10))],
        esf_retention_until: None,
    };
    let err = s
        .set_retention_rules(&wrong, stamp(d(2026, 4, 2)))
        .await
        .unwrap_err();
    assert!(matches!(err, RetentionError::InvalidRules(_)), "{err:?}");
    assert_eq!(s.retention_rules().await.unwrap(), rules);
    let lines: Vec<String> = s
        .audit_log(50)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.action == RETENTION_SET)
        .map(|r| r.subject)
        .collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("counselling_content=36m")
            && lines[0].contains("esf_retention_until=2033-12-31"),
        "{lines:?}"
    );
}

async fn an_erasure_request_for_an_esf_participant_erases_the_content_and_restricts_the_rest(
    db: TestDb,
) {
    let s = &db.store;
    let office = Office::new(s);
    let id = closed_case(&office, "Esfa", true).await;
    let other = closed_case(&office, "Bleibt", true).await;
    // Sealed at rest: the note is in no stored row in clear, the sealed texts are.
    assert_eq!(rows_containing(&db, "events", "payload", NOTE).await, 0);
    let sealed_events = rows_containing(&db, "events", "payload", "$sealed").await;
    assert!(sealed_events >= 4, "{sealed_events}");
    assert_eq!(rows_containing(&db, "cases", "state", "$sealed").await, 2);
    let today = d(2026, 4, 1);
    let case = s.case_for_retention(id).await.unwrap().unwrap();
    let steps = on_request(&case, &s.retention_rules().await.unwrap(), today).unwrap();
    let done = s
        .carry_out(id, &steps, "Antrag nach Art. 17 DSGVO", stamp(today), today)
        .await
        .unwrap();
    assert_eq!(done.len(), 3);
    assert_eq!(
        done[1].events, 2,
        "the goal and the contact redacted: {done:?}"
    );

    // The content is gone from the history and the stored state; the other case keeps it.
    assert_eq!(
        rows_containing(&db, "events", "payload", "$sealed").await,
        sealed_events - 2
    );
    assert_eq!(rows_containing(&db, "cases", "state", "$sealed").await, 1);
    let kept = s.load(other).await.unwrap().unwrap();
    assert!(
        kept.contacts
            .iter()
            .any(|c| c.note.as_ref().is_some_and(|n| n.as_str() == NOTE))
    );
    let history = s.history(id).await.unwrap();
    assert!(history.iter().any(|e| matches!(
        &e.event,
        CaseEvent::Redacted { tag, .. } if tag == "contact_recorded.v1"
    )));
    let case = s.case_for_retention(id).await.unwrap().unwrap();
    assert!(case.contacts.is_empty() && case.goals.is_empty());
    assert!(case.esf_entry.is_some() && case.is_restricted());
    // The chain still verifies.
    let report = s.verify().await.unwrap();
    assert!(report.is_intact(), "{report:?}");

    // Restricted: in no list, search, ESF report; the other case is.
    let all = s.list(&CaseFilter::default()).await.unwrap();
    assert!(all.iter().all(|c| c.id != id) && all.iter().any(|c| c.id == other));
    let by_name = s
        .list(&CaseFilter {
            name_contains: Some("Esfa".into()),
            ..CaseFilter::default()
        })
        .await
        .unwrap();
    assert!(by_name.is_empty());
    // Nor by case number or birth date (both cases were born on the same day).
    let by_number = s
        .list(&CaseFilter::search(&id.case_number()))
        .await
        .unwrap();
    assert!(by_number.is_empty(), "{by_number:?}");
    let by_birth: Vec<_> = s
        .list(&CaseFilter::search("01.01.1980"))
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(by_birth, [other]);
    let esf = s
        .esf_participants(
            d(2026, 1, 1),
            d(2026, 12, 31),
            wegbereiter_core::esf::EsfScope::Team(office.nord),
        )
        .await
        .unwrap();
    assert_eq!(esf.len(), 1, "only the other case: {esf:?}");
    // Nobody working on cases reads it, not even its key worker.
    let refused = office
        .service
        .read_for(id, &office.kw_a, AccessKind::View, s, noon(today))
        .await
        .unwrap_err();
    assert!(
        matches!(refused, ServiceError::NotVisible(_)),
        "{refused:?}"
    );

    // Done steps are refused: nothing is left to do under the request.
    assert_eq!(
        on_request(&case, &s.retention_rules().await.unwrap(), today),
        Err(ErasureRefused::AlreadyDone)
    );
    let actions: Vec<String> = s
        .audit_log(50)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert_eq!(
        actions.iter().filter(|a| *a == CONTENT_ERASED).count(),
        2,
        "{actions:?}"
    );
    assert!(actions.iter().any(|a| a == CASE_RESTRICTED));
}

async fn an_erased_case_leaves_only_a_tombstone(db: TestDb) {
    let s = &db.store;
    let office = Office::new(s);
    let id = closed_case(&office, "Zyxfort", false).await;
    let other = closed_case(&office, "Bleibt", false).await;
    s.record_access(&AccessEntry {
        at: noon(d(2026, 3, 3)),
        actor: office.kw_a.id,
        case_id: id,
        kind: AccessKind::View,
    })
    .await
    .unwrap();
    let today = d(2026, 4, 1);
    let steps = [Step {
        category: RetentionCategory::CounsellingContent,
        action: RetentionAction::EraseCase,
    }];
    let done = s
        .carry_out(id, &steps, "Antrag nach Art. 17 DSGVO", stamp(today), today)
        .await
        .unwrap();
    assert!(done[0].events >= 6, "{done:?}");
    assert!(s.history(id).await.unwrap().is_empty());
    assert!(s.case_for_retention(id).await.unwrap().is_none());
    assert!(s.accesses(id).await.unwrap().is_empty());
    assert_eq!(
        rows_containing(&db, "events", "payload", "Zyxfort").await,
        0
    );
    assert_eq!(
        rows_containing(&db, "cases", "client_name", "Zyxfort").await,
        0
    );
    assert!(s.load(other).await.unwrap().is_some());
    let tomb: Vec<String> = s
        .audit_log(50)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.action == CASE_ERASED)
        .map(|r| r.subject)
        .collect();
    assert_eq!(tomb.len(), 1);
    assert!(
        tomb[0].contains(&id.to_string()) && !tomb[0].contains("Zyxfort"),
        "the tombstone names the case id and the basis, never the person: {tomb:?}"
    );
    assert!(s.verify().await.unwrap().is_intact());
    // Not even a raw read of the SQLite file and its write-ahead log finds the name
    // (secure_delete zeroes freed pages; the log is checkpointed after an erasure).
    if let Some(path) = db.file.as_deref() {
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        for file in [path.to_path_buf(), std::path::PathBuf::from(wal)] {
            let bytes = std::fs::read(&file).unwrap_or_default();
            for needle in [&b"Zyxfort"[..], &b"zyxfort"[..]] {
                assert!(
                    !bytes.windows(needle.len()).any(|w| w == needle),
                    "{} still holds the erased name",
                    file.display()
                );
            }
        }
    }
    // Erasing it again: not found.
    let again = s
        .carry_out(id, &steps, "Antrag", stamp(today), today)
        .await
        .unwrap_err();
    assert!(matches!(again, RetentionError::NotFound(_)), "{again:?}");
}

async fn the_plan_lists_due_steps_and_an_open_case_is_refused_without_a_write(db: TestDb) {
    let s = &db.store;
    let office = Office::new(s);
    // Declined on 5 March 2026: the whole case goes 90 days later.
    let anna = client("Anna", "Ablehnung", None, None);
    let declined = office.refer(anna, d(2026, 3, 1), Some(office.nord)).await;
    office
        .attempt(declined, d(2026, 3, 5), AttemptOutcome::Declined)
        .await;
    let open = office
        .refer(
            client("Otto", "Offen", None, None),
            d(2026, 3, 1),
            Some(office.nord),
        )
        .await;
    let before = s.verify().await.unwrap();

    let early = s.retention_plan(d(2026, 5, 1)).await.unwrap();
    let entry = early.iter().find(|p| p.case_id == declined).unwrap();
    assert_eq!(entry.plan.steps.len(), 1);
    assert!(!entry.plan.steps[0].due);
    assert!(
        early.iter().all(|p| p.case_id != open),
        "open cases have no plan"
    );
    let late = s.retention_plan(d(2026, 6, 10)).await.unwrap();
    let entry = late.iter().find(|p| p.case_id == declined).unwrap();
    let step = &entry.plan.steps[0];
    assert!(step.due && step.action == RetentionAction::EraseCase);
    assert_eq!(step.category, RetentionCategory::NeverEnrolledReferral);

    // An open case: refused, nothing written.
    let refused = s
        .carry_out(
            open,
            &[Step {
                category: RetentionCategory::CounsellingContent,
                action: RetentionAction::EraseCase,
            }],
            "Antrag",
            stamp(d(2026, 6, 10)),
            d(2026, 6, 10),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(refused, RetentionError::Refused(ErasureRefused::Open)),
        "{refused:?}"
    );
    assert_eq!(s.verify().await.unwrap(), before);
    assert!(
        s.audit_log(50)
            .await
            .unwrap()
            .iter()
            .all(|r| r.action != CASE_ERASED)
    );

    // Carried out, the declined case is gone and the plan no longer names it.
    s.carry_out(
        declined,
        &[step.into()],
        "Löschfrist",
        stamp(d(2026, 6, 10)),
        d(2026, 6, 10),
    )
    .await
    .unwrap();
    let after = s.retention_plan(d(2026, 6, 10)).await.unwrap();
    assert!(after.iter().all(|p| p.case_id != declined));
    assert!(s.load(declined).await.unwrap().is_none());
}

async fn a_redaction_nobody_recorded_breaks_the_chain(db: TestDb) {
    let s = &db.store;
    let office = Office::new(s);
    let id = closed_case(&office, "Manipuliert", false).await;
    let today = d(2026, 4, 1);
    let steps = [Step {
        category: RetentionCategory::JobcenterReports,
        action: RetentionAction::EraseContent,
    }];
    s.carry_out(id, &steps, "Löschfrist", stamp(today), today)
        .await
        .unwrap();
    assert!(s.verify().await.unwrap().is_intact());
    // Someone turns the contact (not listed by any erasure) into a stub by hand.
    let history = s.history(id).await.unwrap();
    let contact = history
        .iter()
        .find(|e| matches!(e.event, CaseEvent::ContactRecorded { .. }))
        .unwrap();
    let stub = RecordedEvent {
        event: CaseEvent::Redacted {
            tag: "contact_recorded.v1".into(),
            category: RetentionCategory::CounsellingContent,
        },
        ..contact.clone()
    };
    db.exec(
        "UPDATE events SET event_type = 'redacted.v1', payload = $1 WHERE case_id = $2 AND sequence = $3",
        vec![
            serde_json::to_string(&stub).unwrap().into(),
            id.as_uuid().into(),
            i64::try_from(contact.sequence).unwrap().into(),
        ],
    )
    .await;
    let report = s.verify().await.unwrap();
    let broken = report.first_broken.expect("the chain is broken");
    assert_eq!(broken.case_id, id);
    assert_eq!(broken.sequence, contact.sequence);
}

async fn the_access_export_holds_every_case_of_the_person_with_reads_and_retention_dates(
    db: TestDb,
) {
    let s = &db.store;
    let office = Office::new(s);
    // Two cases of one person (same name and birth date), one restricted; another person.
    let first = closed_case(&office, "Selma", true).await;
    let second = office
        .refer(
            client("Selma", "Löschprobe", Some(d(1980, 1, 1)), None),
            d(2026, 3, 10),
            Some(office.nord),
        )
        .await;
    let namesake = office
        .refer(
            client("Selma", "Löschprobe", Some(d(1991, 9, 9)), None),
            d(2026, 3, 11),
            Some(office.nord),
        )
        .await;
    let today = d(2026, 4, 1);
    s.carry_out(
        first,
        &[Step {
            category: RetentionCategory::EsfEvidence,
            action: RetentionAction::Restrict,
        }],
        "Antrag nach Art. 18 DSGVO",
        stamp(today),
        today,
    )
    .await
    .unwrap();
    s.record_access(&AccessEntry {
        at: noon(d(2026, 3, 20)),
        actor: office.kw_a.id,
        case_id: second,
        kind: AccessKind::View,
    })
    .await
    .unwrap();

    let dpo = StaffId::from_uuid(new_id());
    let export = s
        .access_export(second, dpo, noon(today), today)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(export.matched_by, PersonMatch::NameAndDateOfBirth);
    let ids: Vec<CaseId> = export.cases.iter().map(|c| c.case.id).collect();
    assert_eq!(
        ids,
        [first, second],
        "both cases, oldest first, not the namesake"
    );
    assert!(!ids.contains(&namesake));
    let restricted = &export.cases[0];
    assert!(
        restricted.case.is_restricted(),
        "the export shows restricted cases"
    );
    assert!(
        restricted
            .history
            .iter()
            .any(|e| matches!(e.event, CaseEvent::Restricted { .. }))
    );
    assert!(
        restricted
            .history
            .iter()
            .any(|e| matches!(e.event, CaseEvent::ContactRecorded { .. })),
        "the history as stored"
    );
    let reads = &export.cases[1].reads;
    assert_eq!(reads.len(), 1, "{reads:?}");
    assert_eq!(reads[0].reader, office.kw_a.id);
    assert_eq!(reads[0].kind, AccessKind::View);
    let counselling = restricted
        .retention
        .iter()
        .find(|r| r.category == RetentionCategory::CounsellingContent)
        .unwrap();
    assert_eq!(
        counselling.from,
        Some(d(2028, 3, 2)),
        "24 months after closure"
    );
    assert!(
        export.cases[1].retention.iter().all(|r| r.from.is_none()),
        "open case"
    );
    // The export is itself recorded as a read of each case.
    for id in [first, second] {
        let accesses = s.accesses(id).await.unwrap();
        assert!(
            accesses
                .iter()
                .any(|a| a.actor == dpo && a.kind == AccessKind::Export),
            "{accesses:?}"
        );
    }
    // The namesake with another birth date is another person: only their own case.
    let only = s
        .access_export(namesake, dpo, noon(today), today)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(only.cases.len(), 1);
    let unknown = s
        .access_export(CaseId::from_uuid(new_id()), dpo, noon(today), today)
        .await
        .unwrap();
    assert!(unknown.is_none());
}
