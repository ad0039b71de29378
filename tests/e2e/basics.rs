//! Arguments, messages and every exit code (0–6).

use std::io::Write;

use crate::support::{ADMIN_PASSWORD, Wb, sandbox};

#[test]
fn help_lists_the_program_and_exits_0() {
    let out = sandbox().run(&["--help"]).expect("binary runs");
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("wegbereiter"), "{stdout}");
    for command in ["init", "referral", "case", "reminders", "demo", "restore"] {
        assert!(stdout.contains(command), "{command} in {stdout}");
    }
}

#[test]
fn unknown_subcommand_is_a_usage_error() {
    let out = sandbox().run(&["frobnicate"]).expect("binary runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn usage_errors_exit_2_and_list_allowed_values() {
    let s = sandbox();
    let bad_value = s
        .run_with(
            &[
                "outreach",
                "attempt",
                "0190c3f0-0000-7000-8000-000000000001",
                "--channel",
                "pigeon",
                "--outcome",
                "not_met",
            ],
            None,
            &[],
        )
        .unwrap();
    assert_eq!(bad_value.code, Some(2), "{}", bad_value.both());
    assert!(
        bad_value.stderr.contains("doorstep") && bad_value.stderr.contains("sms_email"),
        "{}",
        bad_value.both()
    );
    let bad_id = s
        .run_with(&["case", "show", "not-a-uuid"], None, &[])
        .unwrap();
    assert_eq!(bad_id.code, Some(2), "{}", bad_id.both());
    let bad_date = s
        .run_with(&["--today", "31.02.2026", "case", "list"], None, &[])
        .unwrap();
    assert_eq!(bad_date.code, Some(2), "{}", bad_date.both());
    let missing = s
        .run_with(
            &[
                "case",
                "extend",
                "0190c3f0-0000-7000-8000-000000000001",
                "--until",
                "2026-09-01",
            ],
            None,
            &[],
        )
        .unwrap();
    assert_eq!(missing.code, Some(2), "{}", missing.both());
    assert!(
        missing
            .stderr
            .contains("Es fehlt eine Pflichtangabe: --reason"),
        "{}",
        missing.both()
    );
    // Every usage error speaks the chosen language and format.
    let de = s
        .run_with(
            &["--lang", "de", "staff", "add", "--role", "boss"],
            None,
            &[],
        )
        .unwrap();
    assert_eq!(de.code, Some(2), "{}", de.both());
    assert!(
        de.stderr.contains("Ungültiger Wert „boss“") && de.stderr.contains("key_worker"),
        "{}",
        de.both()
    );
    let typo = s.run_with(&["--lang", "de", "staf"], None, &[]).unwrap();
    assert!(
        typo.stderr.contains("Meinten Sie „staff“?"),
        "{}",
        typo.both()
    );
    let json = s
        .run_with(
            &["--format", "json", "case", "list", "--limit", "-3"],
            None,
            &[],
        )
        .unwrap();
    assert_eq!(json.code, Some(2), "{}", json.both());
    let err: serde_json::Value = serde_json::from_str(json.stderr.trim()).unwrap();
    assert_eq!(err["error"]["kind"], "usage");
    // `--db ""` is a mistake, not the default database.
    let empty = s
        .run_with(&["--db", "", "case", "list"], None, &[])
        .unwrap();
    assert_eq!(empty.code, Some(2), "{}", empty.both());
    assert!(empty.stderr.contains("--db ist leer"), "{}", empty.both());
    // `--if-version` guards changes of one case; elsewhere it would be silently ignored.
    let ignored = s
        .run_with(&["--if-version", "3", "case", "list"], None, &[])
        .unwrap();
    assert_eq!(ignored.code, Some(2), "{}", ignored.both());
    assert!(
        ignored.stderr.contains("--if-version gilt nur"),
        "{}",
        ignored.both()
    );
}

#[test]
fn database_problems_exit_6() {
    let s = sandbox();
    // A file that is not a database.
    let garbage = s.path().join("garbage.db");
    std::fs::File::create(&garbage)
        .unwrap()
        .write_all(&[0x42; 4096])
        .unwrap();
    let run = s
        .run_with(
            &["--db", garbage.to_str().unwrap(), "case", "list"],
            None,
            &[],
        )
        .unwrap();
    assert_eq!(run.code, Some(6), "{}", run.both());
    assert_eq!(
        std::fs::read(&garbage).unwrap(),
        vec![0x42; 4096],
        "left unchanged"
    );
    // An address scheme nobody supports.
    let run = s
        .run_with(&["--db", "mysql://localhost/wb", "case", "list"], None, &[])
        .unwrap();
    assert_eq!(run.code, Some(6), "{}", run.both());
    // A database that does not exist yet (only init and demo create one).
    let run = s
        .run_with(&["--db", "missing.db", "case", "list"], None, &[])
        .unwrap();
    assert_eq!(run.code, Some(6), "{}", run.both());
    assert!(run.stderr.contains("wegbereiter init"), "{}", run.both());
    assert!(!s.path().join("missing.db").exists());
    // An unreachable PostgreSQL server.
    let run = s
        .run_with(
            &[
                "--db",
                "postgres://nobody:nothing@127.0.0.1:9/none",
                "case",
                "list",
            ],
            None,
            &[],
        )
        .unwrap();
    assert_eq!(run.code, Some(6), "{}", run.both());
    assert!(
        !run.stderr.contains("nothing"),
        "the password is not shown: {}",
        run.both()
    );
}

#[test]
fn every_exit_code_from_0_to_7() {
    let wb = Wb::sqlite();
    wb.set_up();
    let id = wb.referral("Erika", "Musterfrau", &[]);
    // 0
    wb.ok(Some("kw"), &["case", "show", &id]);
    // 7: the sign-in fails
    wb.password("nicht das Passwort");
    wb.fails(7, Some("kw"), &["case", "show", &id]);
    wb.password(ADMIN_PASSWORD);
    wb.fails(7, Some("niemand"), &["case", "decline", &id]);
    // 2: a write without --as
    wb.fails(2, None, &["case", "decline", &id]);
    // 3: a process rule refuses
    wb.fails(
        3,
        Some("kw"),
        &[
            "case",
            "extend",
            &id,
            "--until",
            "2026-05-01",
            "--reason",
            "x",
        ],
    );
    // 3 also for a referral whose client cannot have been born then; nothing is stored.
    let cases_before = wb
        .json(Some("kw"), &["case", "list"])
        .as_array()
        .unwrap()
        .len();
    let refused = wb.fails(
        3,
        Some("kw"),
        &[
            "referral",
            "add",
            "--jobcenter",
            "Jobcenter Beispielstadt",
            "--case-manager",
            "Frau Beispiel",
            "--reason",
            "contact_lost",
            "--legal-basis",
            "sgb2_16k",
            "--given-name",
            "Zu",
            "--family-name",
            "Früh",
            "--date-of-birth",
            "01.01.1850",
        ],
    );
    assert!(
        refused.stderr.contains("Geburtsdatum"),
        "{}",
        refused.both()
    );
    assert_eq!(
        wb.json(Some("kw"), &["case", "list"])
            .as_array()
            .unwrap()
            .len(),
        cases_before
    );
    // 3 for an account that would both administer and read case files.
    let both = wb.fails(
        3,
        Some("admin"),
        &[
            "staff",
            "add",
            "--login",
            "doppel",
            "--name",
            "Doppelrolle",
            "--role",
            "administrator",
            "--role",
            "key_worker",
        ],
    );
    assert!(
        both.stderr.contains("gehen nicht zusammen"),
        "{}",
        both.both()
    );
    // 3 for an administrator deactivating their own account (core's self-lockout rule).
    let own = wb.fails(3, Some("admin"), &["staff", "deactivate", "admin"]);
    assert!(
        own.stderr.contains("nicht selbst deaktivieren"),
        "{}",
        own.both()
    );
    // 4: unknown case, unknown login, unknown team
    wb.fails(
        4,
        Some("kw"),
        &["case", "show", "01234567-89ab-7def-8123-456789abcdef"],
    );
    wb.fails(4, Some("admin"), &["staff", "deactivate", "niemand"]);
    wb.fails(4, Some("kw"), &["case", "list", "--team", "Gibt es nicht"]);
    // 5: already exists
    wb.fails(
        5,
        Some("admin"),
        &[
            "staff",
            "add",
            "--login",
            "kw",
            "--name",
            "Noch wer",
            "--role",
            "key_worker",
        ],
    );
    let second_admin = wb.run_stdin(
        None,
        &["init", "--admin-login", "admin2", "--admin-name", "Zweite"],
        "noch ein passwort\n",
    );
    assert_eq!(second_admin.code, Some(5), "{}", second_admin.both());
    // 6: see database_problems_exit_6; here the database vanishes between commands.
    let moved = format!("{}.moved", wb.db);
    std::fs::rename(&wb.db, &moved).unwrap();
    wb.fails(6, Some("kw"), &["case", "show", &id]);
    std::fs::rename(&moved, &wb.db).unwrap();
    // 1: an internal failure, here stdout that cannot be written.
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let run = wb
        .sandbox
        .run_to_file(&["--db", &wb.db, "--format", "json", "verify"], full)
        .unwrap();
    assert_eq!(run.code, Some(1), "{}", run.both());
    assert!(!run.stderr.contains("panicked"), "{}", run.both());
}

#[test]
fn init_is_idempotent_and_reads_the_password_from_stdin() {
    let wb = Wb::sqlite();
    let no_password = wb.run(
        None,
        &["init", "--admin-login", "admin", "--admin-name", "Ada"],
    );
    assert_eq!(no_password.code, Some(2), "{}", no_password.both());
    let short = wb.run_stdin(
        None,
        &["init", "--admin-login", "admin", "--admin-name", "Ada"],
        "kurz\n",
    );
    assert_eq!(short.code, Some(2), "{}", short.both());
    wb.set_up();
    for _ in 0..2 {
        let again = wb.json(None, &["init"]);
        assert_eq!(again["administrators"][0], "admin", "{again}");
    }
    let staff = wb.json(Some("kw"), &["staff", "list"]);
    assert_eq!(staff.as_array().unwrap().len(), 6, "{staff}");
}

#[test]
fn the_default_database_is_created_in_the_data_directory() {
    let s = sandbox();
    let run = s
        .run_with(
            &["init", "--admin-login", "admin", "--admin-name", "Ada"],
            Some(b"ein gutes passwort\n"),
            &[],
        )
        .unwrap();
    assert_eq!(run.code, Some(0), "{}", run.both());
    let default = s
        .path()
        .join("xdg-data")
        .join("wegbereiter")
        .join("wegbereiter.db");
    assert!(default.is_file(), "{}\n{}", default.display(), run.both());
    // WEGBEREITER_DATABASE_URL, WEGBEREITER_USER and WEGBEREITER_PASSWORD_FILE stand in for
    // --db, --as and --password-file.
    let password = s.password_file("ein gutes passwort").unwrap();
    let elsewhere = s.path().join("env.db");
    let run = s
        .run_with(
            &["init", "--admin-login", "admin", "--admin-name", "Ada"],
            Some(b"ein gutes passwort\n"),
            &[("WEGBEREITER_DATABASE_URL", elsewhere.to_str().unwrap())],
        )
        .unwrap();
    assert_eq!(run.code, Some(0), "{}", run.both());
    let run = s
        .run_with(
            &["team", "add", "Team Nord"],
            None,
            &[
                ("WEGBEREITER_DATABASE_URL", elsewhere.to_str().unwrap()),
                ("WEGBEREITER_USER", "admin"),
                ("WEGBEREITER_PASSWORD_FILE", password.to_str().unwrap()),
            ],
        )
        .unwrap();
    assert_eq!(run.code, Some(0), "{}", run.both());
}

#[test]
fn messages_follow_lang_and_errors_are_json_in_json_mode() {
    let wb = Wb::sqlite();
    wb.set_up();
    let id = "01234567-89ab-7def-8123-456789abcdef";
    let de = wb.fails(4, Some("kw"), &["case", "show", id]);
    assert!(de.stderr.contains("nicht gefunden"), "{}", de.both());
    let en = wb
        .sandbox
        .run_with(
            &["--db", &wb.db, "--as", "kw", "case", "show", id],
            None,
            &[
                ("LANG", "en_GB.UTF-8"),
                (
                    "WEGBEREITER_PASSWORD_FILE",
                    wb.sandbox
                        .password_file(ADMIN_PASSWORD)
                        .unwrap()
                        .to_str()
                        .unwrap(),
                ),
            ],
        )
        .unwrap();
    assert!(en.stderr.contains("not found"), "{}", en.both());
    let json = wb.run_json(Some("kw"), &["case", "show", id]);
    assert_eq!(json.code, Some(4));
    assert!(json.stdout.is_empty(), "{}", json.both());
    let err: serde_json::Value = serde_json::from_str(json.stderr.trim()).unwrap();
    assert_eq!(err["error"]["exit_code"], 4);
    assert_eq!(err["error"]["kind"], "not_found");
}

#[test]
fn an_unknown_time_zone_is_a_usage_error_in_german() {
    let wb = Wb::sqlite();
    wb.set_up();
    let run = wb.fails(2, None, &["--tz", "Europe/Beispielstadt", "verify"]);
    assert!(run.stderr.contains("unbekannte Zeitzone"), "{}", run.both());
    assert!(
        run.stderr.contains("Europe/Beispielstadt"),
        "{}",
        run.both()
    );
    // A known zone is accepted, also from the environment's spelling with spaces around it,
    // when it is the installation's zone (see `time_zone.rs`).
    wb.ok(None, &["--tz", " Europe/Berlin ", "verify"]);
}
