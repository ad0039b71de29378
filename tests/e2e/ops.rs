//! Operations: demo data, reminders, verify, backup and restore.

use crate::support::{Wb, sandbox};

#[test]
fn demo_fills_an_empty_database_deterministically() {
    let s = sandbox();
    // The demo accounts sign in with the password `demo`.
    let password = s.password_file("demo").unwrap();
    let password = password.to_str().unwrap();
    let run = |db: &str, extra: &[&str]| {
        let mut args = vec!["--db", db, "--today", "2026-11-20", "--format", "json"];
        args.extend_from_slice(extra);
        let out = s
            .run_with(&args, None, &[("WEGBEREITER_PASSWORD_FILE", password)])
            .unwrap();
        assert_eq!(out.code, Some(0), "{}", out.both());
        out.json().unwrap()
    };
    let a = run("a.db", &["demo", "--cases", "60", "--seed", "5"]);
    assert_eq!(a["cases"], 60);
    assert_eq!(a["refused_steps"], 0, "{a}");
    assert_eq!(a["password"], "demo");
    let statuses = a["by_status"].as_object().unwrap();
    for status in [
        "referred",
        "outreach",
        "declined",
        "not_reached",
        "enrolled",
        "closed",
    ] {
        assert!(statuses.contains_key(status), "{status} in {a}");
    }
    let logins: Vec<&str> = a["staff"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["login"].as_str().unwrap())
        .collect();
    assert!(
        logins.contains(&"demo.bezug1") && logins.contains(&"demo.psych1"),
        "{logins:?}"
    );
    let b = run("b.db", &["demo", "--cases", "60", "--seed", "5"]);
    let list_a = run("a.db", &["--as", "demo.leitung", "case", "list"]);
    let list_b = run("b.db", &["--as", "demo.leitung", "case", "list"]);
    assert_eq!(list_a, list_b, "same seed, same data");
    assert_eq!(a["events"], b["events"]);
    // Demo accounts work.
    let reminders = run("a.db", &["--as", "demo.bezug1", "reminders"]);
    assert!(reminders.is_array());
    let verify = run("a.db", &["verify"]);
    assert_eq!(verify["ok"], true);
    // Not into a database that holds data.
    let again = s
        .run_with(&["--db", "a.db", "demo", "--cases", "5"], None, &[])
        .unwrap();
    assert_eq!(again.code, Some(5), "{}", again.both());
}

#[test]
fn statistics_count_referrals_by_quarter_and_suppress_small_counts_for_passing_on() {
    let s = sandbox();
    let password = s.password_file("demo").unwrap();
    let password = password.to_str().unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "--db",
            "stats.db",
            "--today",
            "2026-11-20",
            "--as",
            "demo.leitung",
        ];
        args.extend_from_slice(extra);
        s.run_with(&args, None, &[("WEGBEREITER_PASSWORD_FILE", password)])
            .unwrap()
    };
    assert_eq!(run(&["demo", "--cases", "60", "--seed", "3"]).code, Some(0));
    let period = ["--from", "2026-01-01", "--to", "2026-11-20"];
    let stats = |extra: &[&str]| {
        let mut args = vec!["--format", "json", "report", "statistics"];
        args.extend_from_slice(&period);
        args.extend_from_slice(extra);
        let out = run(&args);
        assert_eq!(out.code, Some(0), "{}", out.both());
        out.json().unwrap()
    };
    let table = |v: &serde_json::Value, key: &str| {
        v["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["key"] == key)
            .cloned()
            .unwrap()
    };
    let count = |cell: &serde_json::Value| cell["value"]["value"].as_u64();
    let internal = stats(&["--by", "quarter"]);
    let referrals = table(&internal, "referrals");
    let rows = referrals["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 5, "four quarters and the total: {referrals}");
    let total = count(&rows[4]["cells"][0]).unwrap();
    assert!(total > 0, "{referrals}");
    let sum: u64 = rows[..4]
        .iter()
        .map(|r| count(&r["cells"][0]).unwrap())
        .sum();
    assert_eq!(sum, total, "the quarters add up to the total");
    // The per-team table adds up to the project too.
    let teams = table(&internal, "teams");
    let by_team: u64 = teams["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| count(&r["cells"][0]).unwrap())
        .sum();
    assert_eq!(by_team, total);
    // For passing on, no count from 1 to 4 remains.
    let published = stats(&["--by", "month", "--published"]);
    assert_eq!(published["disclosure"], "published");
    let mut withheld = 0;
    for t in published["tables"].as_array().unwrap() {
        for r in t["rows"].as_array().unwrap() {
            for c in r["cells"].as_array().unwrap() {
                if let Some(n) = count(c) {
                    assert!(!(1..5).contains(&n), "{}: {c}", t["key"]);
                }
                if c["value"]["shown"] == "suppressed" {
                    withheld += 1;
                }
            }
        }
    }
    assert!(withheld > 0, "sixty cases by month have small counts");
    // Nothing personal in it.
    let text = published.to_string();
    assert!(!text.contains("TN-"), "no participant numbers");
    // The export: a workbook readable by its owner only, audited; CSV too.
    let out = run(&[
        "report",
        "statistics",
        "--from",
        "2026-01-01",
        "--to",
        "2026-11-20",
        "--export",
        "statistik.xlsx",
    ]);
    assert_eq!(out.code, Some(0), "{}", out.both());
    let file = s.path().join("statistik.xlsx");
    assert!(std::fs::read(&file).unwrap().starts_with(b"PK"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let out = run(&[
        "report",
        "statistics",
        "--from",
        "2026-01-01",
        "--to",
        "2026-11-20",
        "--export",
        "statistik.csv",
    ]);
    assert_eq!(out.code, Some(0), "{}", out.both());
    let csv = std::fs::read_to_string(s.path().join("statistik.csv")).unwrap();
    assert!(csv.starts_with('\u{feff}'), "a byte order mark for Excel");
    assert!(csv.contains("Zuweisungen und Erreichung"));
    // Bad input: a wrong extension writes nothing, a reversed or overlong period is refused,
    // a key worker may not see the statistics.
    let out = run(&[
        "report",
        "statistics",
        "--from",
        "2026-01-01",
        "--to",
        "2026-11-20",
        "--export",
        "statistik.pdf",
    ]);
    assert_eq!(out.code, Some(2), "{}", out.both());
    assert!(!s.path().join("statistik.pdf").exists());
    let out = run(&[
        "report",
        "statistics",
        "--from",
        "2026-12-01",
        "--to",
        "2026-01-01",
    ]);
    assert_eq!(out.code, Some(2), "{}", out.both());
    let out = run(&[
        "report",
        "statistics",
        "--from",
        "2000-01-01",
        "--to",
        "2026-01-01",
    ]);
    assert_eq!(out.code, Some(2), "{}", out.both());
    assert!(out.stderr.contains("Abschnitte"), "{}", out.both());
    let out = s
        .run_with(
            &[
                "--db",
                "stats.db",
                "--today",
                "2026-11-20",
                "--as",
                "demo.bezug1",
                "report",
                "statistics",
                "--from",
                "2026-01-01",
                "--to",
                "2026-11-20",
            ],
            None,
            &[("WEGBEREITER_PASSWORD_FILE", password)],
        )
        .unwrap();
    assert_ne!(out.code, Some(0), "{}", out.both());
}

#[test]
fn esf_report_counts_participants_by_gender_and_nothing_personal() {
    let s = sandbox();
    let password = s.password_file("demo").unwrap();
    let password = password.to_str().unwrap();
    // The ESF report is the team lead's.
    let run = |extra: &[&str]| {
        let mut args = vec![
            "--db",
            "esf.db",
            "--today",
            "2026-11-20",
            "--as",
            "demo.leitung",
        ];
        args.extend_from_slice(extra);
        s.run_with(&args, None, &[("WEGBEREITER_PASSWORD_FILE", password)])
            .unwrap()
    };
    assert_eq!(run(&["demo", "--cases", "60", "--seed", "3"]).code, Some(0));
    let out = run(&[
        "--format",
        "json",
        "report",
        "esf",
        "--from",
        "2025-01-01",
        "--to",
        "2026-12-31",
    ]);
    assert_eq!(out.code, Some(0), "{}", out.both());
    let report = out.json().unwrap();
    let entries = &report["entries"]["participants"];
    let total = entries["total"].as_u64().unwrap();
    assert!(total > 0, "{report}");
    let parts: u64 = ["female", "male", "non_binary", "unknown"]
        .iter()
        .map(|k| entries[k].as_u64().unwrap())
        .sum();
    assert_eq!(parts, total, "the gender breakdown adds up");
    let employment: u64 = [
        "eeco02_unemployed",
        "eeco04_inactive",
        "eeco05_employed",
        "entry_data_missing",
    ]
    .iter()
    .map(|k| report["entries"][k]["total"].as_u64().unwrap())
    .sum();
    assert_eq!(
        employment, total,
        "exactly one employment status per participant (R26)"
    );
    assert_eq!(
        report["entries"]["eeco01_participants"]["total"]
            .as_u64()
            .unwrap()
            + report["entries"]["entry_data_missing"]["total"]
                .as_u64()
                .unwrap(),
        total,
        "EECO01 is everybody with an employment status"
    );
    // Every figure drills down to as many pseudonymous participant numbers as it counts.
    for (code, field, column) in [
        ("EECO02", "eeco02_unemployed", "total"),
        ("entries", "participants", "female"),
        ("eeco01", "eeco01_participants", "unknown"),
    ] {
        let out = run(&[
            "--format",
            "json",
            "report",
            "esf",
            "--from",
            "2025-01-01",
            "--to",
            "2026-12-31",
            "--list",
            code,
            "--gender",
            column,
        ]);
        assert_eq!(out.code, Some(0), "{}", out.both());
        let members = out.json().unwrap();
        let members = members.as_array().unwrap();
        assert_eq!(
            members.len() as u64,
            report["entries"][field][column].as_u64().unwrap(),
            "{code} {column}"
        );
        for m in members {
            assert!(
                m["participant_number"].as_str().unwrap().starts_with("TN-"),
                "{m}"
            );
        }
    }
    // One team's figures are part of the project's.
    let teams = run(&["--format", "json", "team", "list"]).json().unwrap();
    let team = teams[0]["name"].as_str().unwrap().to_owned();
    let one = run(&[
        "--format",
        "json",
        "report",
        "esf",
        "--from",
        "2025-01-01",
        "--to",
        "2026-12-31",
        "--team",
        &team,
    ]);
    assert_eq!(one.code, Some(0), "{}", one.both());
    let one = one.json().unwrap();
    assert!(one["entries"]["participants"]["total"].as_u64().unwrap() <= total);
    let unknown_team = run(&[
        "report",
        "esf",
        "--from",
        "2025-01-01",
        "--to",
        "2026-12-31",
        "--team",
        "Gibt es nicht",
    ]);
    assert_ne!(unknown_team.code, Some(0), "{}", unknown_team.both());
    // The funder export: a workbook and a CSV, readable by their owner only.
    let out = run(&[
        "--format",
        "json",
        "report",
        "esf",
        "--from",
        "2025-01-01",
        "--to",
        "2026-12-31",
        "--export",
        "funder.xlsx",
    ]);
    assert_eq!(out.code, Some(0), "{}", out.both());
    let written = out.json().unwrap();
    let exits = report["exits"]["participants"]["total"].as_u64().unwrap();
    let rows = written["participants"].as_u64().unwrap();
    assert!(
        rows >= total.max(exits) && rows <= total + exits,
        "{written}"
    );
    for group in written["possible_duplicates"].as_array().unwrap() {
        let group = group.as_array().unwrap();
        assert!(group.len() >= 2, "{written}");
        assert!(group.iter().all(|n| n.as_str().unwrap().starts_with("TN-")));
    }
    let file = s.path().join("funder.xlsx");
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"PK"), "a workbook");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let out = run(&[
        "report",
        "esf",
        "--from",
        "2025-01-01",
        "--to",
        "2026-12-31",
        "--export",
        "funder.csv",
    ]);
    assert_eq!(out.code, Some(0), "{}", out.both());
    assert!(
        out.stdout.contains("Teilnehmende exportiert"),
        "{}",
        out.both()
    );
    let csv = std::fs::read_to_string(s.path().join("funder.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}Teilnehmendennummer;"), "{csv}");
    assert_eq!(
        csv.lines().count() as u64,
        rows + 1,
        "one line per participant"
    );
    let bad = run(&[
        "report",
        "esf",
        "--from",
        "2025-01-01",
        "--to",
        "2026-12-31",
        "--export",
        "funder.pdf",
    ]);
    assert_eq!(bad.code, Some(2), "{}", bad.both());
    assert!(!s.path().join("funder.pdf").exists());
    let bad_figure = run(&[
        "report",
        "esf",
        "--from",
        "2025-01-01",
        "--to",
        "2026-12-31",
        "--list",
        "EECO99",
    ]);
    assert_eq!(bad_figure.code, Some(2), "{}", bad_figure.both());
    assert!(
        bad_figure.stderr.contains("EECO99"),
        "{}",
        bad_figure.both()
    );
    // Counts only: no name of any case appears.
    let names = run(&["--format", "json", "case", "list"]).json().unwrap();
    let text = report.to_string();
    for case in names.as_array().unwrap() {
        let name = case["client_name"].as_str().unwrap_or_default();
        let family = name.split(',').next().unwrap_or_default();
        assert!(
            family.is_empty() || !text.contains(family),
            "{family} in the ESF report"
        );
    }
    let german = run(&[
        "report",
        "esf",
        "--from",
        "01.01.2025",
        "--to",
        "31.12.2026",
    ]);
    assert!(
        german.stdout.contains("EECO02 arbeitslos")
            && german.stdout.contains("Alle Fälle des Projekts")
            && german.stdout.contains("EECR05"),
        "{}",
        german.both()
    );
    assert_eq!(
        run(&[
            "report",
            "esf",
            "--from",
            "2026-02-01",
            "--to",
            "2026-01-01"
        ])
        .code,
        Some(2)
    );
}

#[test]
fn demo_on_postgres() {
    let Some(wb) = Wb::postgres("demo_on_postgres") else {
        return;
    };
    let out = wb.json(None, &["demo", "--cases", "40", "--seed", "2"]);
    assert_eq!(out["cases"], 40);
    wb.password("demo");
    let list = wb.json(Some("demo.leitung"), &["case", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 40);
    let verify = wb.json(None, &["verify"]);
    assert_eq!(verify["ok"], true);
    // Backups of PostgreSQL are pg_dump's job.
    let backup = wb.run(None, &["backup", "x.db"]);
    assert_eq!(backup.code, Some(2), "{}", backup.both());
    assert!(backup.stderr.contains("pg_dump"), "{}", backup.both());
    let restore = wb.run(None, &["restore", "x.db"]);
    assert_eq!(restore.code, Some(2), "{}", restore.both());
}

#[test]
fn backup_and_restore_a_sqlite_database() {
    let wb = Wb::sqlite();
    wb.set_up();
    let first = wb.referral("Erika", "Musterfrau", &[]);
    let backup = wb.sandbox.path().join("sicherung.db");
    let backup = backup.to_str().unwrap();
    let out = wb.json(None, &["backup", backup]);
    assert!(out["bytes"].as_u64().unwrap() > 0, "{out}");
    // Refuses to overwrite.
    wb.fails(2, None, &["backup", backup]);
    // A directory that does not exist is the caller's mistake, not the database's.
    let nowhere = wb.sandbox.path().join("gibt-es-nicht").join("b.db");
    let run = wb.fails(2, None, &["backup", nowhere.to_str().unwrap()]);
    assert!(run.stderr.contains("Verzeichnis"), "{}", run.both());
    let later = wb.referral("Max", "Beispiel", &[]);
    assert_eq!(
        wb.json(Some("kw"), &["case", "list"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let restored = wb.json(None, &["restore", backup]);
    assert_eq!(restored["cases"], 1, "{restored}");
    let list = wb.json(Some("kw"), &["case", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], first.as_str());
    wb.fails(4, Some("kw"), &["case", "show", &later]);
    assert_eq!(wb.json(None, &["verify"])["ok"], true);
    // The restored database works for writes too.
    wb.referral("Anna", "Beispiel", &[]);

    // Not a backup: refused, and the database is left as it was.
    let junk = wb.sandbox.path().join("junk.db");
    std::fs::write(&junk, b"not a database at all").unwrap();
    wb.fails(6, None, &["restore", junk.to_str().unwrap()]);
    let empty_sqlite = wb.sandbox.path().join("leer.db");
    let s = wb
        .sandbox
        .run_with(&["--db", empty_sqlite.to_str().unwrap(), "init"], None, &[])
        .unwrap();
    assert_eq!(s.code, Some(0), "{}", s.both());
    let refused = wb.fails(6, None, &["restore", empty_sqlite.to_str().unwrap()]);
    // Another installation's database: refused by its key (or, without one, as no backup).
    assert!(
        refused.stderr.contains("keine Sicherung")
            && refused.stderr.contains("nichts wurde ersetzt"),
        "{}",
        refused.both()
    );
    wb.fails(2, None, &["restore", "gibt-es-nicht.db"]);
    assert_eq!(
        wb.json(Some("kw"), &["case", "list"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn reminders_for_a_key_worker() {
    let wb = Wb::sqlite();
    wb.set_up();
    let id = wb.referral("Erika", "Musterfrau", &[]);
    wb.today("2026-03-20");
    let due = wb.json(Some("kw"), &["reminders"]);
    let due = due.as_array().unwrap();
    assert_eq!(due.len(), 1, "{due:?}");
    assert_eq!(due[0]["case_id"], id.as_str());
    assert_eq!(due[0]["kind"], "outreach_follow_up");
    assert_eq!(due[0]["client_name"], "Musterfrau, Erika");
    let text = wb.ok(Some("kw"), &["reminders"]);
    assert!(text.contains("Nachfassen"), "{text}");
    let none = wb.json(Some("lead"), &["reminders", "--key-worker", "coach"]);
    assert!(none.as_array().unwrap().is_empty());
}

/// The docs' root: `tests/e2e` is compiled from `crates/cli`.
fn docs() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs")
}

#[test]
fn the_terminal_tour_in_the_docs_runs_as_documented() {
    let doc = std::fs::read_to_string(docs().join("cli.md")).unwrap();
    let tour = doc
        .split("## Terminal tour")
        .nth(1)
        .and_then(|rest| rest.split("```sh\n").nth(1))
        .and_then(|block| block.split("```").next())
        .expect("a sh block after '## Terminal tour'");
    // The README shows the same tour: what runs here is what a newcomer pastes.
    let readme = std::fs::read_to_string(docs().join("../README.md")).unwrap();
    let readme_tour = readme
        .split("## A tour in the terminal")
        .nth(1)
        .and_then(|rest| rest.split("```sh\n").nth(1))
        .and_then(|block| block.split("```").next())
        .expect("a sh block after '## A tour in the terminal' in README.md");
    assert_eq!(readme_tour, tour, "README.md and docs/cli.md differ");
    let lines: Vec<&str> = tour.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(
        lines.len() <= 10,
        "the tour has at most 10 lines: {lines:?}"
    );
    let mut script = String::new();
    for (n, line) in lines.iter().enumerate() {
        if line.starts_with("cargo install") {
            continue; // The binary under test is already built.
        }
        script.push_str(&format!("{line}\necho \"rc[{n}]=$?\" >&2\n"));
    }
    let s = sandbox();
    let bin_dir = std::path::Path::new(crate::support::bin())
        .parent()
        .unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &script])
        .current_dir(s.path())
        .env("PATH", path)
        .env("LANG", "de_DE.UTF-8")
        .env_remove("WEGBEREITER_DATABASE_URL")
        .env_remove("WEGBEREITER_USER")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    for (n, line) in lines.iter().enumerate() {
        if line.starts_with("cargo install") {
            continue;
        }
        let expected = if line.contains("exit code 3") { 3 } else { 0 };
        assert!(
            stderr.contains(&format!("rc[{n}]={expected}\n")),
            "line {n} `{line}` should exit {expected}\nstdout:\n{stdout}\nstderr:\n{stderr}"
        );
    }
    assert!(
        stderr.contains("Verlängerung über 6 Monate hinaus ist nicht möglich"),
        "{stderr}"
    );
    assert!(stdout.contains("\"outreach\""), "{stdout}");
}

#[test]
fn the_sample_csv_in_the_docs_imports() {
    let wb = Wb::sqlite();
    wb.set_up();
    let sample = docs().join("examples/zuweisungen-beispiel.csv");
    let out = wb.json(
        Some("kw"),
        &["referral", "import", sample.to_str().unwrap()],
    );
    assert_eq!(out["invalid"], 0, "{out}");
    assert_eq!(out["imported"], 4, "{out}");
}

/// The mode bits of `path`.
#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// `path` and the `-wal`, `-shm` and `-journal` files SQLite may keep beside it.
fn with_side_files(path: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut all = vec![path.to_path_buf()];
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        all.push(side.into());
    }
    all
}

#[test]
fn empty_and_foreign_files_are_refused_by_every_command_but_init_and_demo() {
    let s = sandbox();
    let empty = s.path().join("z.db");
    let text = s.path().join("notiz.db");
    std::fs::write(&empty, b"").unwrap();
    std::fs::write(&text, b"Einkaufsliste: Milch, Brot\n").unwrap();
    let backup = s.path().join("b.db");
    for file in [&empty, &text] {
        let before = std::fs::read(file).unwrap();
        let db = file.to_str().unwrap();
        for args in [
            &["verify"][..],
            &["case", "list"],
            &["staff", "list"],
            &["reminders", "--all"],
            &[
                "report",
                "esf",
                "--from",
                "2026-01-01",
                "--to",
                "2026-03-31",
            ],
            &["backup", backup.to_str().unwrap()],
            &["serve", "--bind", "127.0.0.1:0"],
        ] {
            let mut all = vec!["--db", db];
            all.extend_from_slice(args);
            let run = s.run_with(&all, None, &[]).unwrap();
            assert_eq!(run.code, Some(6), "{all:?}\n{}", run.both());
            assert!(!run.stderr.contains("panicked"), "{}", run.both());
            assert_eq!(std::fs::read(file).unwrap(), before, "{all:?} changed it");
            for side in &with_side_files(file)[1..] {
                assert!(!side.exists(), "{all:?} left {}", side.display());
            }
            assert!(!backup.exists(), "{all:?}");
        }
    }
    // The message says what is wrong and what to do.
    let run = s
        .run_with(&["--db", empty.to_str().unwrap(), "verify"], None, &[])
        .unwrap();
    assert!(
        run.stderr.contains("leer") && run.stderr.contains("wegbereiter init"),
        "{}",
        run.both()
    );
    // `init` makes the empty file a database; then the other commands work with it.
    let run = s
        .run_with(&["--db", empty.to_str().unwrap(), "init"], None, &[])
        .unwrap();
    assert_eq!(run.code, Some(0), "{}", run.both());
    let run = s
        .run_with(&["--db", empty.to_str().unwrap(), "verify"], None, &[])
        .unwrap();
    assert_eq!(run.code, Some(0), "{}", run.both());
    // `demo` may fill an empty file too.
    let demo = s.path().join("demo.db");
    std::fs::write(&demo, b"").unwrap();
    let run = s
        .run_with(
            &["--db", demo.to_str().unwrap(), "demo", "--cases", "2"],
            None,
            &[],
        )
        .unwrap();
    assert_eq!(run.code, Some(0), "{}", run.both());
}

#[cfg(unix)]
#[test]
fn databases_backups_and_demo_files_are_private_and_restore_keeps_the_mode() {
    use std::os::unix::fs::PermissionsExt;
    let wb = Wb::sqlite();
    wb.set_up();
    wb.referral("Erika", "Musterfrau", &[]);
    let db = std::path::Path::new(&wb.db);
    for file in with_side_files(db).iter().filter(|f| f.exists()) {
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
    let backup = wb.sandbox.path().join("sicherung.db");
    wb.ok(None, &["backup", backup.to_str().unwrap()]);
    assert_eq!(mode(&backup), 0o600);
    let demo = wb.sandbox.path().join("neu").join("demo.db");
    let run = wb
        .sandbox
        .run_with(
            &["--db", demo.to_str().unwrap(), "demo", "--cases", "2"],
            None,
            &[],
        )
        .unwrap();
    assert_eq!(run.code, Some(0), "{}", run.both());
    for file in with_side_files(&demo).iter().filter(|f| f.exists()) {
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
    // A restore keeps the mode the administrator gave the database ...
    std::fs::set_permissions(db, std::fs::Permissions::from_mode(0o640)).unwrap();
    wb.ok(None, &["restore", backup.to_str().unwrap()]);
    assert_eq!(mode(db), 0o640);
    assert_eq!(wb.json(None, &["verify"])["ok"], true);
    // ... and a restore to a new file makes it private.
    let fresh = wb.sandbox.path().join("frisch.db");
    let run = wb
        .sandbox
        .run_with(
            &[
                "--db",
                fresh.to_str().unwrap(),
                "restore",
                backup.to_str().unwrap(),
            ],
            None,
            &[],
        )
        .unwrap();
    assert_eq!(run.code, Some(0), "{}", run.both());
    assert_eq!(mode(&fresh), 0o600);
}

/// EECO17: the administrator loads the region's table of postcodes by degree of
/// urbanisation; ESF entry data then suggest "rural area" from the client's postcode, an
/// explicit answer wins, and a table that is none is refused naming its line.
#[test]
fn esf_entry_data_suggest_a_rural_area_from_the_installations_postcode_table() {
    let wb = Wb::sqlite();
    wb.set_up();
    let admin = Some("admin");
    let kw = Some("kw");
    let table = wb.sandbox.path().join("laendlich.csv");
    std::fs::write(&table, "PLZ;DEGURBA\n99001;3\n99002;1\n").unwrap();
    let table = table.to_str().unwrap();
    // Only the administrator loads it; a bad table changes nothing.
    wb.fails(
        3,
        kw,
        &[
            "settings",
            "set",
            "rural-postcodes",
            table,
            "--source",
            "Test",
        ],
    );
    let bad = wb.sandbox.path().join("kaputt.csv");
    std::fs::write(&bad, "99001;3\n9900;3\n").unwrap();
    let run = wb.fails(
        2,
        admin,
        &[
            "settings",
            "set",
            "rural-postcodes",
            bad.to_str().unwrap(),
            "--source",
            "Test",
        ],
    );
    assert!(run.stderr.contains("Zeile 2"), "{}", run.both());
    let shown = wb.json(None, &["settings", "show"]);
    assert!(shown["rural_postcodes"].is_null(), "{shown}");
    wb.ok(
        admin,
        &[
            "settings",
            "set",
            "rural-postcodes",
            table,
            "--source",
            "Eurostat DEGURBA 2021 (Testauszug)",
        ],
    );
    let shown = wb.json(None, &["settings", "show"]);
    assert_eq!(shown["rural_postcodes"]["postcodes"], 2, "{shown}");
    assert_eq!(shown["rural_postcodes"]["rural"], 1, "{shown}");
    let enrolled = |given: &str, postcode: &str| {
        let id = wb.referral(
            given,
            "Landprobe",
            &[
                "--street",
                "Dorfstraße 1",
                "--postcode",
                postcode,
                "--city",
                "Beispieldorf",
            ],
        );
        wb.ok(
            kw,
            &[
                "outreach",
                "attempt",
                &id,
                "--channel",
                "phone",
                "--outcome",
                "agreed",
            ],
        );
        wb.ok(
            kw,
            &[
                "case",
                "enrol",
                &id,
                "--key-worker",
                "kw",
                "--terms-explained",
                "--consent",
                "written",
            ],
        );
        id
    };
    let entry = |id: &str, extra: &[&str]| {
        let mut args = vec![
            "case",
            "esf-entry",
            id,
            "--employment-status",
            "unemployed",
            "--education",
            "isced_3_4",
            "--citizenship",
            "de",
        ];
        args.extend_from_slice(extra);
        wb.ok(kw, &args);
        wb.json(kw, &["case", "show", id])["esf_entry"]["rural_area"].clone()
    };
    let rural = enrolled("Anna", "99001");
    assert_eq!(entry(&rural, &[]), serde_json::json!(true), "suggested");
    let city = enrolled("Berta", "99002");
    assert_eq!(entry(&city, &[]), serde_json::json!(false));
    let unknown = enrolled("Clara", "99003");
    assert_eq!(
        entry(&unknown, &[]),
        serde_json::Value::Null,
        "keine Angabe"
    );
    assert_eq!(
        entry(&unknown, &["--rural-area", "true"]),
        serde_json::json!(true),
        "an answer wins"
    );
    // The ESF report counts EECO17.
    let report = wb.json(
        Some("lead"),
        &[
            "report",
            "esf",
            "--from",
            "2020-01-01",
            "--to",
            "2030-12-31",
        ],
    );
    assert_eq!(
        report["entries"]["eeco17_rural"]["total"], 2,
        "{}",
        report["entries"]
    );
    wb.ok(admin, &["settings", "set", "rural-postcodes", "--clear"]);
    let shown = wb.json(None, &["settings", "show"]);
    assert!(shown["rural_postcodes"].is_null(), "{shown}");
}
