//! Measures the store at scale: fills a database with synthetic cases, then times the
//! queries that lists and dashboards run.
//!
//! ```sh
//! cargo run --release -p wegbereiter-storage --example scale -- [TARGET] [CASES]
//! ```
//! `TARGET` defaults to a SQLite file in a temporary directory, `CASES` to 100 000.
//! Each query is compared with a baseline measured in the same run (loading one case by id);
//! the targets are ratios to that baseline, and the run exits 1 when one is missed. Use an
//! empty PostgreSQL database (`postgres://…`) to measure PostgreSQL. `CASES` new cases are
//! added to what the database holds; with 0, only the queries are timed. Every case is written
//! through `CaseRepository::append`, its events decided by core's `handle`.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
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
        let now = Utc
            .from_utc_datetime(&day.and_hms_opt(10, 0, 0).unwrap())
            .fixed_offset();
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

    // Every query is timed as the median of several runs and compared with a baseline
    // measured in the same run on the same database: loading one case by id, the cheapest
    // read there is. Targets are ratios to that baseline, so they hold on slow and fast
    // machines alike; a missed target makes the run fail.
    let today = d(2026, 6, 1);
    let kw = Some(workers[7].id);
    let first = store
        .list(&CaseFilter {
            limit: Some(1),
            ..Default::default()
        })
        .await
        .unwrap();
    let probe_id = first[0].id;
    let baseline = median(5, || async {
        let t = Instant::now();
        for _ in 0..20 {
            store.load(probe_id).await.unwrap();
        }
        t.elapsed() / 20
    })
    .await;
    println!(
        "{:<46} {:>10.2?}  (baseline)",
        "load one case by id", baseline
    );

    let mut missed = Vec::new();
    let mut check = |what: &str, took: Duration, target: u32| {
        let ratio = took.as_secs_f64() / baseline.as_secs_f64().max(1e-9);
        let ok = ratio <= f64::from(target);
        println!(
            "{what:<46} {took:>10.2?}  {ratio:>8.1}× baseline  (target ≤ {target}×) {}",
            if ok { "ok" } else { "MISSED" }
        );
        if !ok {
            missed.push(what.to_owned());
        }
    };

    let took = median(5, || async {
        let t = Instant::now();
        let page = store
            .list(&CaseFilter {
                limit: Some(50),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(page.len(), 50);
        t.elapsed()
    })
    .await;
    check("list: first 50 of all", took, 50);
    let took = median(5, || async {
        let t = Instant::now();
        store
            .list(&CaseFilter {
                status: Some(CaseStatus::Enrolled),
                limit: Some(50),
                ..Default::default()
            })
            .await
            .unwrap();
        t.elapsed()
    })
    .await;
    check("list: enrolled, first 50", took, 50);
    let took = median(5, || async {
        let t = Instant::now();
        store
            .list(&CaseFilter {
                name_contains: Some("muster".into()),
                limit: Some(50),
                ..Default::default()
            })
            .await
            .unwrap();
        t.elapsed()
    })
    .await;
    check("list: name contains \"muster\", first 50", took, 100);
    let took = median(5, || async {
        let t = Instant::now();
        store
            .list(&CaseFilter {
                key_worker: kw,
                ..Default::default()
            })
            .await
            .unwrap();
        t.elapsed()
    })
    .await;
    check("list: every case of one key worker", took, 2_000);
    let took = median(5, || async {
        let t = Instant::now();
        store
            .reminders_due(today, &Berlin, &policy, kw)
            .await
            .unwrap();
        t.elapsed()
    })
    .await;
    check("reminders due for one key worker", took, 2_000);
    let probe = store.load(probe_id).await.unwrap().unwrap().referral.client;
    let took = median(5, || async {
        let t = Instant::now();
        assert!(!store.possible_duplicates(&probe).await.unwrap().is_empty());
        t.elapsed()
    })
    .await;
    check("possible duplicates of one client", took, 50);

    // Whole-database operations: reported, without a target (they scale with the data).
    let t = Instant::now();
    let all = store
        .reminders_due(today, &Berlin, &policy, None)
        .await
        .unwrap();
    println!(
        "{:<46} {:>10.2?}  ({} reminders)",
        "reminders due, all key workers",
        t.elapsed(),
        all.len()
    );
    let t = Instant::now();
    let report = store.verify().await.unwrap();
    assert!(report.is_intact());
    println!(
        "{:<46} {:>10.2?}  ({} cases, {} events)",
        "verify every hash chain",
        t.elapsed(),
        report.cases_checked,
        report.events_checked
    );
    let t = Instant::now();
    store.rebuild_read_models().await.unwrap();
    println!("{:<46} {:>10.2?}", "rebuild every read model", t.elapsed());
    if let Some(peak) = peak_memory_kib() {
        let ok = peak <= PEAK_MEMORY_TARGET_KIB;
        println!(
            "{:<46} {:>7} MiB  (target ≤ {} MiB) {}",
            "peak resident memory (VmHWM)",
            peak / 1024,
            PEAK_MEMORY_TARGET_KIB / 1024,
            if ok { "ok" } else { "MISSED" }
        );
        if !ok {
            missed.push("peak memory".to_owned());
        }
    }
    if !missed.is_empty() {
        eprintln!("targets missed: {}", missed.join(", "));
        std::process::exit(1);
    }
}

/// Peak memory the whole run (writing and querying the cases) may use.
const PEAK_MEMORY_TARGET_KIB: u64 = 512 * 1024;

/// The median of `runs` measurements.
async fn median<F, Fut>(runs: usize, mut measure: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Duration>,
{
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        samples.push(measure().await);
    }
    samples.sort();
    samples[samples.len() / 2]
}

/// Peak resident set size of this process in KiB (Linux only).
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
