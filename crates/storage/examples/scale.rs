//! Measures the store at scale: fills a database with synthetic cases, then times the
//! queries that lists and dashboards run.
//!
//! ```sh
//! cargo run --release -p wegbereiter-storage --example scale -- [TARGET] [CASES]
//! ```
//! `TARGET` defaults to a SQLite file in a temporary directory, `CASES` to 100 000. Use an
//! empty PostgreSQL database (`postgres://…`) to measure PostgreSQL. `CASES` new cases are
//! added to what the database holds; with 0, only the queries are timed. Every case is written
//! through `CaseRepository::append`, its events decided by core's `handle`.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Instant;

use chrono::{Days, NaiveDate, TimeZone, Utc};
use uuid::Uuid;
use wegbereiter_core::prelude::*;
use wegbereiter_storage::Store;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn t(s: &str) -> Text {
    Text::parse(s).unwrap()
}

const FAMILY: [&str; 8] = [
    "Musterfrau",
    "Mustermann",
    "Beispiel",
    "Probe",
    "Tester",
    "Muster",
    "Ideal",
    "Weiß",
];
const GIVEN: [&str; 8] = ["Erika", "Max", "Anna", "Paul", "Lena", "Tom", "Mia", "Jörg"];

/// The events of synthetic case `n`: referred, and most of them enrolled with a goal and a
/// contact; some closed.
fn case_events(n: u64, workers: &[Actor], policy: &Policy) -> (CaseId, Vec<RecordedEvent>) {
    let id = CaseId::from_uuid(Uuid::now_v7());
    let kw = &workers[((n / 10) as usize) % workers.len()];
    let referred_on = d(2025, 1, 1) + Days::new(n % 500);
    let client = ClientIdentity {
        given_name: t(GIVEN[(n % 8) as usize]),
        family_name: t(&format!("{}{}", FAMILY[((n / 8) % 8) as usize], n / 64)),
        date_of_birth: Some(d(1960, 1, 1) + Days::new(n % 15_000)),
        gender: None,
        address: Some(Address {
            street: t("Musterweg 1"),
            postcode: Postcode::parse(format!("{:05}", 10_000 + n % 80_000)).unwrap(),
            city: t("Beispielstadt"),
        }),
        phone: None,
        email: None,
    };
    let mut case: Option<Case> = None;
    let mut events = Vec::new();
    let mut run = |command: Command, day: NaiveDate, actor: &Actor| {
        let now = Utc.from_utc_datetime(&day.and_hms_opt(10, 0, 0).unwrap());
        let ctx = Context { actor, now, policy };
        let new = handle(id, case.as_ref(), &command, &ctx).unwrap();
        for e in &new {
            match case.as_mut() {
                Some(c) => c.apply(e).unwrap(),
                None => case = Some(Case::replay(std::iter::once(e)).unwrap()),
            }
        }
        events.extend(new);
    };
    let referral = Referral {
        jobcenter: t("Jobcenter Beispielstadt"),
        case_manager: t("Fallmanagerin Probe"),
        customer_number: None,
        referral_date: referred_on,
        reason: ReferralReason::ContactLost,
        problem_areas: vec![ProblemArea::Debt],
        legal_basis: LegalBasis::Sgb2Section16k,
        client,
    };
    run(
        Command::Refer {
            referral,
            team: kw.teams.first().copied(),
        },
        referred_on,
        kw,
    );
    if n % 10 < 7 {
        let on = referred_on + Days::new(5);
        let at = Utc.from_utc_datetime(&on.and_hms_opt(9, 0, 0).unwrap());
        run(
            Command::LogContactAttempt {
                at,
                channel: ContactChannel::Doorstep,
                outcome: AttemptOutcome::Agreed,
            },
            on,
            kw,
        );
        let consent = EnrolmentConsent {
            id: ConsentId::from_uuid(Uuid::now_v7()),
            form: ConsentForm::Written,
            given_on: on,
        };
        run(
            Command::Enrol {
                on,
                key_worker: kw.clone(),
                terms: ParticipationTerms::EXPLAINED,
                consent,
            },
            on,
            kw,
        );
        run(
            Command::AgreeGoal {
                id: GoalId::from_uuid(Uuid::now_v7()),
                domain: LifeDomain::Housing,
                wording: t("Wohnung halten"),
                criterion: t("Mietrückstand geklärt"),
                responsible: ResponsibleParty::Client,
                review_date: on + Days::new(30 + n % 90),
            },
            on,
            kw,
        );
        if n % 10 < 2 {
            let closed = on + Days::new(60);
            run(
                Command::Close {
                    on: closed,
                    reason: ExitReason::RegularEnd,
                    immediate_result: None,
                },
                closed,
                kw,
            );
        }
    }
    (id, events)
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let dir = tempfile::tempdir().unwrap();
    let target = args
        .next()
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| dir.path().join("scale.db").display().to_string());
    let cases: u64 = args.next().map_or(100_000, |n| n.parse().unwrap());
    let store = Store::open(&target).await.unwrap();
    let policy = Policy::default();
    let team = TeamId::from_uuid(Uuid::now_v7());
    let workers: Vec<Actor> = (0..50)
        .map(|_| Actor {
            id: StaffId::from_uuid(Uuid::now_v7()),
            roles: vec![Role::KeyWorker],
            teams: vec![team],
            active: true,
        })
        .collect();

    let started = Instant::now();
    let writers = 8;
    let mut tasks = Vec::new();
    for w in 0..writers {
        let store = store.clone();
        let workers = workers.clone();
        let policy = policy.clone();
        tasks.push(tokio::spawn(async move {
            let mut n = w;
            while n < cases {
                let (id, events) = case_events(n, &workers, &policy);
                store.append(id, 0, &events).await.unwrap();
                n += writers;
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let total = store.case_count().await.unwrap();
    println!(
        "wrote {total} cases in {:.1?} ({}, {} writers)",
        started.elapsed(),
        store.backend(),
        writers
    );

    macro_rules! time {
        ($what:expr, $e:expr) => {{
            let started = Instant::now();
            let out = $e;
            println!("{:<58} {:>9.1?}", $what, started.elapsed());
            out
        }};
    }
    let today = d(2026, 6, 1);
    let kw = Some(workers[7].id);
    for _ in 0..2 {
        let all = time!(
            "list: first 50 of all",
            store
                .list(&CaseFilter {
                    limit: Some(50),
                    ..Default::default()
                })
                .await
                .unwrap()
        );
        assert_eq!(all.len(), 50);
        time!(
            "list: enrolled, first 50",
            store
                .list(&CaseFilter {
                    status: Some(CaseStatus::Enrolled),
                    limit: Some(50),
                    ..Default::default()
                })
                .await
                .unwrap()
        );
        let mine = time!(
            "list: all cases of one key worker",
            store
                .list(&CaseFilter {
                    key_worker: kw,
                    ..Default::default()
                })
                .await
                .unwrap()
        );
        time!(
            "list: name contains \"muster\", first 50",
            store
                .list(&CaseFilter {
                    name_contains: Some("muster".into()),
                    limit: Some(50),
                    ..Default::default()
                })
                .await
                .unwrap()
        );
        let r = time!(
            "reminders due for one key worker",
            store.reminders_due(today, &policy, kw).await.unwrap()
        );
        println!(
            "    ({} reminders, {} cases of this key worker)",
            r.len(),
            mine.len()
        );
        let r = time!(
            "reminders due, all key workers",
            store.reminders_due(today, &policy, None).await.unwrap()
        );
        println!("    ({} reminders)", r.len());
        let probe = store
            .load(all[0].id)
            .await
            .unwrap()
            .unwrap()
            .referral
            .client;
        let dups = time!(
            "possible duplicates of one client",
            store.possible_duplicates(&probe).await.unwrap()
        );
        assert!(!dups.is_empty());
        time!("load one case", store.load(all[0].id).await.unwrap());
    }
    let report = time!("verify every hash chain", store.verify().await.unwrap());
    assert!(report.is_intact());
    println!(
        "    ({} cases, {} events)",
        report.cases_checked, report.events_checked
    );
    time!(
        "rebuild every read model",
        store.rebuild_read_models().await.unwrap()
    );
}
