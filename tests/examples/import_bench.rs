//! Times `wegbereiter referral import` on synthetic Jobcenter files against a baseline of the
//! same run: inserting the same rows with plain SQL into a SQLite file of the same settings.
//!
//! ```sh
//! cargo build --release -p wegbereiter-cli
//! cargo run --release -p wegbereiter-tests --example import_bench -- [ROWS] [BINARY]
//! ```
//! `ROWS` defaults to 20 000, `BINARY` to `target/release/wegbereiter` (next to this
//! example's own executable). Each file is imported at half and at full size, once with
//! distinct names and once with 4 names only (every row a possible duplicate of many others),
//! each time as a dry run and for real, into a fresh database. The time of a signed-in
//! command that does nothing (`case list --limit 1`: process start, opening the database and
//! the password check) is subtracted, so the figures are the import's own.
//!
//! Targets: every import within 6× of the baseline of the same size, and doubling the
//! rows at most 2.6× the time (nothing grows faster than linearly). The run exits 1 when a
//! target is missed.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, Statement, TransactionTrait, Value};
use wegbereiter_tests::Sandbox;

const PASSWORD: &str = "ein langes Benchmarkpasswort";
const HEADER: &str = "Jobcenter;Fallmanager;Kundennummer;Zuweisungsdatum;Grund;Problembereiche;Rechtsgrundlage;Vorname;Nachname;Geburtsdatum;Geschlecht;Straße;PLZ;Ort;Telefon;E-Mail";
const FAMILY: [&str; 4] = ["Musterfrau", "Mustermann", "Beispiel", "Probe"];

/// The cells of row `n`; with `repeating`, one of 4 people (same name and birth date).
fn cells(n: usize, repeating: bool) -> Vec<String> {
    let (given, family) = if repeating {
        ("Erika".to_owned(), FAMILY[n % 4].to_owned())
    } else {
        (format!("Vorname{n}"), format!("Musterfrau-{n}"))
    };
    vec![
        "Jobcenter Beispielstadt".into(),
        "Frau Beispiel".into(),
        format!("999D{n:07}"),
        format!("{:02}.02.2026", 1 + n % 28),
        "Kontakt abgebrochen".into(),
        "Schulden, Wohnen".into(),
        "§16k SGB II".into(),
        given,
        family,
        "01.05.1980".into(),
        "w".into(),
        format!("Musterweg {}", 1 + n % 120),
        format!("99{:03}", n % 200),
        "Beispielstadt".into(),
        String::new(),
        String::new(),
    ]
}

fn file(rows: usize, repeating: bool) -> String {
    let mut text = String::from(HEADER);
    for n in 1..=rows {
        let _ = write!(text, "\r\n{}", cells(n, repeating).join(";"));
    }
    text.push_str("\r\n");
    text
}

struct Db {
    sandbox: Sandbox,
    db: String,
}

impl Db {
    fn new(bin: &Path) -> Self {
        let sandbox = Sandbox::new(bin).unwrap();
        let db = sandbox.path().join("wb.db").to_string_lossy().into_owned();
        let me = Self { sandbox, db };
        let init = me.run(
            None,
            &["init", "--admin-login", "admin", "--admin-name", "Ada"],
            Some(&format!("{PASSWORD}\n")),
        );
        assert_eq!(init.0, Some(0), "{}", init.1);
        me.ok(Some("admin"), &["team", "add", "Team Nord"]);
        let kw = me.run(
            Some("admin"),
            &[
                "staff",
                "add",
                "--login",
                "kw",
                "--name",
                "Kim Bezug",
                "--role",
                "key_worker",
                "--team",
                "Team Nord",
                "--password-stdin",
            ],
            Some(&format!("{PASSWORD}\n")),
        );
        assert_eq!(kw.0, Some(0), "{}", kw.1);
        me
    }

    fn run(
        &self,
        login: Option<&str>,
        args: &[&str],
        stdin: Option<&str>,
    ) -> (Option<i32>, String) {
        let mut all = vec![
            "--db".to_owned(),
            self.db.clone(),
            "--today".into(),
            "2026-03-02".into(),
        ];
        if let Some(login) = login {
            let pw = self.sandbox.password_file(PASSWORD).unwrap();
            all.extend([
                "--as".into(),
                login.into(),
                "--password-file".into(),
                pw.to_string_lossy().into_owned(),
            ]);
        }
        all.extend(args.iter().map(|a| (*a).to_owned()));
        let run = self
            .sandbox
            .run_with(&all, stdin.map(str::as_bytes), &[])
            .unwrap();
        (run.code, run.both())
    }

    fn ok(&self, login: Option<&str>, args: &[&str]) -> Duration {
        let started = Instant::now();
        let (code, out) = self.run(login, args, None);
        assert_eq!(code, Some(0), "{args:?}: {out}");
        started.elapsed()
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Inserting the rows with plain SQL: one prepared `INSERT` per row, one transaction, into a
/// SQLite file in WAL mode with `synchronous = FULL`, as the store opens its files.
async fn baseline(dir: &Path, rows: usize, repeating: bool, run: u32) -> Duration {
    let path = dir.join(format!("raw-{rows}-{repeating}-{run}.db"));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let db = Database::connect(&url).await.unwrap();
    db.execute_unprepared("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;")
        .await
        .unwrap();
    let columns: Vec<String> = (0..16).map(|i| format!("c{i} TEXT")).collect();
    db.execute_unprepared(&format!(
        "CREATE TABLE rows (id TEXT PRIMARY KEY, {})",
        columns.join(", ")
    ))
    .await
    .unwrap();
    let marks = vec!["?"; 17].join(", ");
    let sql = format!("INSERT INTO rows VALUES ({marks})");
    let text = file(rows, repeating);
    let started = Instant::now();
    let txn = db.begin().await.unwrap();
    for (n, line) in text.lines().skip(1).filter(|l| !l.is_empty()).enumerate() {
        let mut values: Vec<Value> = vec![format!("row-{n}").into()];
        values.extend(line.split(';').map(|c| Value::from(c.to_owned())));
        txn.execute_raw(Statement::from_sql_and_values(
            sea_orm::DbBackend::Sqlite,
            &sql,
            values,
        ))
        .await
        .unwrap();
    }
    txn.commit().await.unwrap();
    started.elapsed()
}

struct Measured {
    rows: usize,
    repeating: bool,
    baseline: Duration,
    dry: Duration,
    real: Duration,
}

fn rate(rows: usize, d: Duration) -> f64 {
    rows as f64 / d.as_secs_f64().max(1e-9)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rows: usize = args.get(1).map_or(20_000, |a| a.parse().unwrap());
    let bin = args.get(2).map_or_else(
        || {
            let me = std::env::current_exe().unwrap();
            me.parent().unwrap().parent().unwrap().join("wegbereiter")
        },
        PathBuf::from,
    );
    assert!(
        bin.exists(),
        "{} not found: build it with cargo build --release -p wegbereiter-cli",
        bin.display()
    );
    let scratch = tempfile::tempdir().unwrap();
    let mut all = Vec::new();
    for repeating in [false, true] {
        for n in [rows / 2, rows] {
            let db = Db::new(&bin);
            let path = db.sandbox.path().join("zuweisungen.csv");
            std::fs::write(&path, file(n, repeating)).unwrap();
            let file = path.to_string_lossy().into_owned();
            let kw = Some("kw");
            let start = median(
                (0..3)
                    .map(|_| db.ok(kw, &["case", "list", "--limit", "1"]))
                    .collect(),
            );
            let dry = db.ok(
                kw,
                &["--format", "json", "referral", "import", &file, "--dry-run"],
            );
            let real = db.ok(kw, &["--format", "json", "referral", "import", &file]);
            let mut base = Vec::new();
            for run in 0..3 {
                base.push(baseline(scratch.path(), n, repeating, run).await);
            }
            let base = median(base);
            all.push(Measured {
                rows: n,
                repeating,
                baseline: base,
                dry: dry.saturating_sub(start),
                real: real.saturating_sub(start),
            });
        }
    }
    let mut missed = false;
    println!(
        "{:>7} {:<9} {:>12} {:>24} {:>24}",
        "rows", "names", "raw INSERT", "import --dry-run", "import"
    );
    for m in &all {
        let names = if m.repeating { "4 people" } else { "distinct" };
        let dry_ratio = m.dry.as_secs_f64() / m.baseline.as_secs_f64();
        let ratio = m.real.as_secs_f64() / m.baseline.as_secs_f64();
        println!(
            "{:>7} {:<9} {:>9.0} ms {:>7.0} ms {:>7.0} rows/s {:>7.0} ms {:>7.0} rows/s  ({ratio:.1}× baseline, dry {dry_ratio:.1}×)",
            m.rows,
            names,
            m.baseline.as_secs_f64() * 1e3,
            m.dry.as_secs_f64() * 1e3,
            rate(m.rows, m.dry),
            m.real.as_secs_f64() * 1e3,
            rate(m.rows, m.real),
        );
        if ratio > 6.0 {
            println!("  target missed: import ≤ 6× the raw INSERT of the same rows");
            missed = true;
        }
    }
    for pair in all.chunks(2) {
        let growth = pair[1].real.as_secs_f64() / pair[0].real.as_secs_f64();
        let names = if pair[0].repeating {
            "4 people"
        } else {
            "distinct names"
        };
        println!(
            "{names}: {}× the rows took {growth:.2}× the time (target ≤ 2.6×)",
            pair[1].rows / pair[0].rows.max(1)
        );
        if growth > 2.6 {
            missed = true;
        }
    }
    if missed {
        std::process::exit(1);
    }
}
