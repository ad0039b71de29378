//! The binary under test, bound to one database and one acting day.

use std::cell::RefCell;

use serde_json::Value;
use wegbereiter_tests::{PgDatabase, Run, Sandbox, postgres_for};

/// The password of the first administrator in every story.
pub const ADMIN_PASSWORD: &str = "ein langes Testpasswort";

/// The binary.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_wegbereiter")
}

/// A fresh sandbox.
pub fn sandbox() -> Sandbox {
    Sandbox::new(bin()).expect("temporary directory")
}

/// The binary with `--db` and `--today` filled in.
pub struct Wb {
    pub sandbox: Sandbox,
    pub db: String,
    today: RefCell<String>,
    /// The password every run with a login signs in with (`--password-file`).
    password: RefCell<String>,
    _pg: Option<PgDatabase>,
}

impl Wb {
    /// A new SQLite database file in a sandbox.
    pub fn sqlite() -> Self {
        let sandbox = sandbox();
        let db = sandbox.path().join("wb.db").to_string_lossy().into_owned();
        Self {
            sandbox,
            db,
            today: RefCell::new("2026-03-02".into()),
            password: RefCell::new(ADMIN_PASSWORD.into()),
            _pg: None,
        }
    }

    /// A new PostgreSQL database, or `None` when no server is configured (see
    /// [`postgres_for`]).
    pub fn postgres(test: &str) -> Option<Self> {
        let pg = postgres_for(test)?;
        Some(Self {
            sandbox: sandbox(),
            db: pg.url().to_owned(),
            today: RefCell::new("2026-03-02".into()),
            password: RefCell::new(ADMIN_PASSWORD.into()),
            _pg: Some(pg),
        })
    }

    /// Sets the password the following runs with a login sign in with (every account of
    /// [`Wb::set_up`] has [`ADMIN_PASSWORD`]; the demo accounts have `demo`).
    pub fn password(&self, password: &str) {
        *self.password.borrow_mut() = password.to_owned();
    }

    /// `--key-file` for PostgreSQL, which has no default key file (a SQLite file's is beside
    /// it: `wb.db.key`).
    pub fn key_args(&self) -> Vec<String> {
        if self._pg.is_some() {
            vec![
                "--key-file".to_owned(),
                self.sandbox
                    .path()
                    .join("pg.key")
                    .to_string_lossy()
                    .into_owned(),
            ]
        } else {
            Vec::new()
        }
    }

    /// Sets the acting day for the following commands.
    pub fn today(&self, day: &str) {
        *self.today.borrow_mut() = day.to_owned();
    }

    fn full_args(&self, login: Option<&str>, json: bool, args: &[&str]) -> Vec<String> {
        let mut all = vec![
            "--db".to_owned(),
            self.db.clone(),
            "--today".to_owned(),
            self.today.borrow().clone(),
        ];
        all.extend(self.key_args());
        if let Some(login) = login {
            all.push("--as".into());
            all.push(login.into());
            let file = self
                .sandbox
                .password_file(&self.password.borrow())
                .expect("password file");
            all.push("--password-file".into());
            all.push(file.to_string_lossy().into_owned());
        }
        if json {
            all.push("--format".into());
            all.push("json".into());
        }
        all.extend(args.iter().map(|a| (*a).to_owned()));
        all
    }

    /// The full command line of `args` as `login` (for runs started from other threads).
    pub fn command_line(&self, login: Option<&str>, args: &[&str]) -> Vec<String> {
        self.full_args(login, false, args)
    }

    /// Runs `args` as `login` (or nobody).
    pub fn run(&self, login: Option<&str>, args: &[&str]) -> Run {
        self.sandbox
            .run_with(&self.full_args(login, false, args), None, &[])
            .expect("binary runs")
    }

    /// Runs `args` as `login` with `--format json`.
    pub fn run_json(&self, login: Option<&str>, args: &[&str]) -> Run {
        self.sandbox
            .run_with(&self.full_args(login, true, args), None, &[])
            .expect("binary runs")
    }

    /// Runs `args` with `stdin`.
    pub fn run_stdin(&self, login: Option<&str>, args: &[&str], stdin: &str) -> Run {
        self.sandbox
            .run_with(
                &self.full_args(login, false, args),
                Some(stdin.as_bytes()),
                &[],
            )
            .expect("binary runs")
    }

    /// Runs `args` and asserts success; returns the text output.
    #[track_caller]
    pub fn ok(&self, login: Option<&str>, args: &[&str]) -> String {
        let run = self.run(login, args);
        assert_eq!(run.code, Some(0), "{args:?}\n{}", run.both());
        run.stdout
    }

    /// Runs `args` with JSON output and asserts success.
    #[track_caller]
    pub fn json(&self, login: Option<&str>, args: &[&str]) -> Value {
        let run = self.run_json(login, args);
        assert_eq!(run.code, Some(0), "{args:?}\n{}", run.both());
        run.json().unwrap()
    }

    /// Runs `args` and asserts exit `code`; returns the run.
    #[track_caller]
    pub fn fails(&self, code: i32, login: Option<&str>, args: &[&str]) -> Run {
        let run = self.run(login, args);
        assert_eq!(run.code, Some(code), "{args:?}\n{}", run.both());
        assert!(!run.stderr.contains("panicked"), "{}", run.both());
        assert!(!run.stderr.contains("RUST_BACKTRACE"), "{}", run.both());
        run
    }

    /// Runs a change with JSON output and returns the id it created.
    #[track_caller]
    pub fn created(&self, login: &str, args: &[&str]) -> String {
        let v = self.json(Some(login), args);
        v["created_id"]
            .as_str()
            .unwrap_or_else(|| panic!("no created_id in {v}"))
            .to_owned()
    }

    /// `init` with the administrator `admin`, then the usual team, staff and services.
    pub fn set_up(&self) {
        let run = self.run_stdin(
            None,
            &[
                "init",
                "--admin-login",
                "admin",
                "--admin-name",
                "Ada Administration",
            ],
            &format!("{ADMIN_PASSWORD}\n"),
        );
        assert_eq!(run.code, Some(0), "{}", run.both());
        let admin = Some("admin");
        self.ok(admin, &["team", "add", "Phase 1 Team Nord"]);
        self.ok(admin, &["team", "add", "Phase 2"]);
        for (login, name, roles, team) in [
            ("kw", "Kim Bezug", "key_worker", "Phase 1 Team Nord"),
            ("kw2", "Kai Bezug", "key_worker", "Phase 1 Team Nord"),
            (
                "lead",
                "Lou Leitung",
                "team_lead,key_worker",
                "Phase 1 Team Nord",
            ),
            (
                "psych",
                "Pat Psychologie",
                "psychologist",
                "Phase 1 Team Nord",
            ),
            ("coach", "Cem Coaching", "job_coach", "Phase 2"),
        ] {
            let run = self.run_stdin(
                admin,
                &[
                    "staff",
                    "add",
                    "--login",
                    login,
                    "--name",
                    name,
                    "--role",
                    roles,
                    "--team",
                    team,
                    "--password-stdin",
                ],
                &format!("{ADMIN_PASSWORD}\n"),
            );
            assert_eq!(run.code, Some(0), "{}", run.both());
        }
        self.ok(
            admin,
            &[
                "service",
                "add",
                "--name",
                "Schuldnerberatung Beispielstadt",
                "--kind",
                "debt_counselling",
                "--contact",
                "Termine nach telefonischer Absprache",
                "--address",
                "Musterweg 1, 99001 Beispielstadt",
                "--phone",
                "0000 123456",
                "--email",
                "beratung@schuldner.example.org",
                "--opening-hours",
                "Mo–Do 9–12 Uhr",
                "--contact-person",
                "Frau Beispiel",
            ],
        );
    }

    /// Records a referral as `kw` and returns the new case id.
    pub fn referral(&self, given: &str, family: &str, extra: &[&str]) -> String {
        let mut args = vec![
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
            "--problem-areas",
            "debt,housing",
            "--given-name",
            given,
            "--family-name",
            family,
        ];
        args.extend_from_slice(extra);
        self.created("kw", &args)
    }
}
