//! The running command's context: database, language, format, time and the acting person.
//!
//! Commands receive an [`App`] and do everything through it: resolve `--as`, look names up,
//! run a [`Command`] through [`CaseService::execute`] (the one write path of the domain), and
//! emit their result through [`Out`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use chrono_tz::Tz;
use wegbereiter_core::Executed;
use wegbereiter_core::prelude::*;
use wegbereiter_storage::Store;

use crate::args::{Format, Global, LangArg};
use crate::dates::{DEFAULT_TIME_ZONE, local_noon};
use crate::error::CliError;
use crate::msg;
use crate::output::Out;

/// Language, format and time, known before the database is opened.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Output settings.
    pub out: Out,
    /// The acting day: the calendar day of `now` in `tz`.
    pub today: NaiveDate,
    /// The acting moment (`today` at 12:00 local time when `--today` is given).
    pub now: DateTime<Utc>,
    /// The installation's time zone: until the database is open `--tz`/`WEGBEREITER_TZ`,
    /// else Europe/Berlin; then the stored zone ([`Settings::in_zone`]).
    pub tz: Tz,
    /// The zone `--tz`/`WEGBEREITER_TZ` named, if any: what `init` and `demo` store, and what
    /// every other command checks against the stored zone.
    pub tz_given: Option<Tz>,
    /// `--today`.
    pub today_given: Option<NaiveDate>,
    /// `--as`.
    pub as_login: Option<String>,
    /// `--password-file`.
    pub password_file: Option<PathBuf>,
    /// A personal access token from `WEGBEREITER_TOKEN` (never a command-line argument: it
    /// would show in the process list and the shell history).
    pub token: Option<String>,
    /// `--db`, or `None` for the default.
    pub db: Option<String>,
    /// `--key-file`/`WEGBEREITER_KEY_FILE`, or `None` for the default beside a SQLite file.
    pub key_file: Option<PathBuf>,
    /// `--if-version`: the case version a change expects.
    pub if_version: Option<u64>,
}

impl Settings {
    /// Reads the global options and the environment.
    #[must_use]
    pub fn from_global(global: &Global) -> Self {
        let lang = match global.lang {
            Some(LangArg::De) => Lang::De,
            Some(LangArg::En) => Lang::En,
            None => lang_from_env(),
        };
        let tz = global.tz.unwrap_or(DEFAULT_TIME_ZONE);
        let now = global
            .today
            .map_or_else(Utc::now, |day| local_noon(day, tz));
        let today = today_in(now, tz);
        Self {
            tz_given: global.tz,
            today_given: global.today,
            out: Out {
                lang,
                format: global.format,
            },
            today,
            now,
            tz,
            as_login: global
                .as_login
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            password_file: global.password_file.clone(),
            token: std::env::var("WEGBEREITER_TOKEN")
                .ok()
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty()),
            db: global
                .db
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            key_file: global
                .key_file
                .clone()
                .filter(|p| !p.as_os_str().is_empty()),
            if_version: global.if_version,
        }
    }

    /// The language.
    #[must_use]
    pub fn lang(&self) -> Lang {
        self.out.lang
    }

    /// These settings in the installation's time zone `tz`: `today` becomes the day of `now`
    /// there, and `--today` runs at 12:00 on that zone's wall clock.
    #[must_use]
    pub fn in_zone(mut self, tz: Tz) -> Self {
        self.tz = tz;
        if let Some(day) = self.today_given {
            self.now = local_noon(day, tz);
        }
        self.today = today_in(self.now, tz);
        self
    }
}

/// What a social worker calls "today" at `now`: the calendar day on the installation's clock.
#[must_use]
pub fn today_in(now: DateTime<Utc>, tz: Tz) -> NaiveDate {
    now.with_timezone(&tz).date_naive()
}

/// The language from `LC_ALL`, `LC_MESSAGES` or `LANG` (German unless English is asked for).
#[must_use]
pub fn lang_from_env() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .map_or(Lang::De, |v| Lang::from_locale(&v))
}

/// The output settings from raw arguments, for errors found while parsing them: `--lang`
/// and `--format` (also as `--lang=en`) up to a `--`; the locale otherwise.
#[must_use]
pub fn out_from_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> Out {
    let mut out = Out {
        lang: lang_from_env(),
        format: Format::Text,
    };
    let args: Vec<String> = args
        .into_iter()
        .map(|a| a.to_string_lossy().into_owned())
        .take_while(|a| a != "--")
        .collect();
    for (i, arg) in args.iter().enumerate() {
        let (name, value) = match arg.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (arg.as_str(), args.get(i + 1).map(String::as_str)),
        };
        match (name, value) {
            ("--lang", Some("de")) => out.lang = Lang::De,
            ("--lang", Some("en")) => out.lang = Lang::En,
            ("--format", Some("json")) => out.format = Format::Json,
            ("--format", Some("text")) => out.format = Format::Text,
            _ => {}
        }
    }
    out
}

/// Where the database is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A SQLite file.
    Sqlite(PathBuf),
    /// Any other URL (PostgreSQL, or an unknown scheme storage will refuse).
    Url(String),
}

impl Target {
    /// Resolves `--db` (or the default file in the platform data directory).
    ///
    /// # Errors
    /// [`CliError::Unavailable`] if there is no `--db` and no platform data directory.
    pub fn resolve(db: Option<&str>) -> Result<Self, CliError> {
        let Some(db) = db else {
            let dirs = directories::ProjectDirs::from("org", "Wegbereiter", "wegbereiter")
                .ok_or_else(|| {
                    CliError::Unavailable(msg!(
                        "Kein Datenverzeichnis gefunden; bitte --db angeben.",
                        "No data directory found; please give --db."
                    ))
                })?;
            return Ok(Self::Sqlite(dirs.data_dir().join("wegbereiter.db")));
        };
        if let Some(rest) = db.strip_prefix("sqlite://") {
            let path = rest.split('?').next().unwrap_or(rest);
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        if db.contains("://") {
            return Ok(Self::Url(db.to_owned()));
        }
        Ok(Self::Sqlite(PathBuf::from(db)))
    }

    /// What to hand to [`Store::open`].
    #[must_use]
    pub fn to_open_string(&self) -> String {
        match self {
            Self::Sqlite(path) => path.to_string_lossy().into_owned(),
            Self::Url(url) => url.clone(),
        }
    }

    /// The SQLite file, if this is one.
    #[must_use]
    pub fn sqlite_path(&self) -> Option<&Path> {
        match self {
            Self::Sqlite(p) => Some(p),
            Self::Url(_) => None,
        }
    }
}

/// Staff, teams and services by id, loaded once per command for display.
#[derive(Debug, Default)]
pub struct Directory {
    /// Staff by id.
    pub staff: HashMap<StaffId, StaffMember>,
    /// Teams by id.
    pub teams: HashMap<TeamId, Team>,
    /// Services by id.
    pub services: HashMap<ServiceId, SpecialistService>,
}

impl Directory {
    /// A staff member's login, or the id when unknown.
    #[must_use]
    pub fn login(&self, id: StaffId) -> String {
        self.staff
            .get(&id)
            .map_or_else(|| id.to_string(), |s| s.login.to_string())
    }

    /// A team's name, or the id when unknown.
    #[must_use]
    pub fn team_name(&self, id: TeamId) -> String {
        self.teams
            .get(&id)
            .map_or_else(|| id.to_string(), |t| t.name.to_string())
    }
}

/// Everything a command needs.
pub struct App {
    /// The database.
    pub store: Store,
    /// Language, format, time, `--as`.
    pub settings: Settings,
    /// The process policy.
    pub policy: Policy,
    service: CaseService,
    /// The authenticated person, once proven (see [`App::person`]).
    signed_in: tokio::sync::OnceCell<crate::auth::SignedIn>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl App {
    /// A context over an open store.
    #[must_use]
    pub fn new(store: Store, settings: Settings) -> Self {
        let policy = Policy::default();
        let service = store
            .case_service(policy.clone())
            .with_calendar(std::sync::Arc::new(settings.tz));
        Self {
            store,
            settings,
            policy,
            service,
            signed_in: tokio::sync::OnceCell::new(),
        }
    }

    /// Output settings.
    #[must_use]
    pub fn out(&self) -> Out {
        self.settings.out
    }

    /// The language.
    #[must_use]
    pub fn lang(&self) -> Lang {
        self.settings.lang()
    }

    /// Whether JSON is asked for.
    #[must_use]
    pub fn json(&self) -> bool {
        self.settings.out.format == Format::Json
    }

    /// The acting day.
    #[must_use]
    pub fn today(&self) -> NaiveDate {
        self.settings.today
    }

    /// The acting moment.
    #[must_use]
    pub fn now(&self) -> DateTime<Utc> {
        self.settings.now
    }

    /// The acting moment on the installation's wall clock, as core's commands take it: its
    /// calendar day is [`App::today`].
    #[must_use]
    pub fn local_now(&self) -> DateTime<FixedOffset> {
        self.settings
            .now
            .with_timezone(&self.settings.tz)
            .fixed_offset()
    }

    /// The installation's time zone.
    #[must_use]
    pub fn tz(&self) -> Tz {
        self.settings.tz
    }

    /// The instant a typed moment names on the installation's wall clock.
    ///
    /// # Errors
    /// [`CliError::Usage`] for a local time the clock change skips or repeats.
    pub fn instant(&self, moment: crate::dates::Moment) -> Result<DateTime<Utc>, CliError> {
        moment.in_zone(self.tz()).map_err(|e| CliError::Usage(e.0))
    }

    /// A stamp for changes outside case histories.
    #[must_use]
    pub fn stamp(&self, actor: Option<&StaffMember>) -> AuditStamp {
        AuditStamp {
            actor: actor.map(|a| a.id),
            at: self.now(),
        }
    }

    /// The case service (the one write path).
    #[must_use]
    pub fn service(&self) -> &CaseService {
        &self.service
    }

    /// A staff member by login.
    ///
    /// # Errors
    /// [`CliError::NotFound`] for an unknown login; storage errors.
    pub async fn staff_by_login(&self, login: &str) -> Result<StaffMember, CliError> {
        self.store
            .staff_by_login(login.trim())
            .await?
            .ok_or_else(|| {
                let login = login.trim();
                CliError::NotFound(msg!(
                    "Es gibt keine Person mit der Anmeldung „{login}“ (siehe `wegbereiter staff list`).",
                    "There is no staff member with the login “{login}” (see `wegbereiter staff list`)."
                ))
            })
    }

    /// The signed-in person: who `--as` names, proven by their password (`--password-file`
    /// or asked on the terminal) or by a personal access token (`WEGBEREITER_TOKEN`, which
    /// alone names the person). Every read of case content and every change needs it; only
    /// `init`, `verify`, `backup`, `restore`, `demo` and `serve` do not. Proven once per
    /// command.
    ///
    /// # Errors
    /// [`CliError::Usage`] without `--as` or a token; [`CliError::Auth`] (exit 7) for an
    /// unknown login, a wrong password, a deactivated account, or a revoked, expired or
    /// someone else's token.
    pub async fn person(&self) -> Result<&StaffMember, CliError> {
        Ok(&self.signed_in().await?.member)
    }

    /// The signed-in person and how they proved it (see [`App::person`]).
    ///
    /// # Errors
    /// As [`App::person`].
    pub async fn signed_in(&self) -> Result<&crate::auth::SignedIn, CliError> {
        self.signed_in
            .get_or_try_init(|| crate::auth::sign_in(self))
            .await
    }

    /// The acting person for a change: the signed-in person (see [`App::person`]).
    ///
    /// # Errors
    /// As [`App::person`].
    pub async fn actor(&self) -> Result<StaffMember, CliError> {
        self.person().await.cloned()
    }

    /// The acting person, who must hold `role`.
    ///
    /// # Errors
    /// As [`App::actor`]; [`CliError::Rule`] without the role.
    pub async fn actor_with_role(&self, role: Role) -> Result<StaffMember, CliError> {
        let actor = self.actor().await?;
        if actor.has_role(role) {
            Ok(actor)
        } else {
            Err(CliError::Rule(DomainError::NotPermitted { role }))
        }
    }

    /// A team by exact (case-insensitive) name.
    ///
    /// # Errors
    /// [`CliError::NotFound`] for an unknown team.
    pub async fn team_by_name(&self, name: &str) -> Result<Team, CliError> {
        let wanted = name.trim().to_lowercase();
        self.store
            .list_teams()
            .await?
            .into_iter()
            .find(|t| t.name.as_str().to_lowercase() == wanted)
            .ok_or_else(|| {
                let name = name.trim();
                CliError::NotFound(msg!(
                    "Es gibt kein Team „{name}“ (siehe `wegbereiter team list`).",
                    "There is no team “{name}” (see `wegbereiter team list`)."
                ))
            })
    }

    /// A service by id or exact (case-insensitive) name.
    ///
    /// # Errors
    /// [`CliError::NotFound`] for an unknown service.
    pub async fn service_by_ref(&self, reference: &str) -> Result<SpecialistService, CliError> {
        let reference = reference.trim();
        if let Ok(id) = reference.parse::<ServiceId>()
            && let Some(s) = self.store.service(id).await?
        {
            return Ok(s);
        }
        let wanted = reference.to_lowercase();
        self.store
            .list_services()
            .await?
            .into_iter()
            .find(|s| s.name.as_str().to_lowercase() == wanted)
            .ok_or_else(|| {
                CliError::NotFound(msg!(
                    "Es gibt keine Fachstelle „{reference}“ (siehe `wegbereiter service list`).",
                    "There is no specialist service “{reference}” (see `wegbereiter service list`)."
                ))
            })
    }

    /// Staff, teams and services for display.
    ///
    /// # Errors
    /// Storage errors.
    pub async fn directory(&self) -> Result<Directory, CliError> {
        Ok(Directory {
            staff: self
                .store
                .list_staff()
                .await?
                .into_iter()
                .map(|s| (s.id, s))
                .collect(),
            teams: self
                .store
                .list_teams()
                .await?
                .into_iter()
                .map(|t| (t.id, t))
                .collect(),
            services: self
                .store
                .list_services()
                .await?
                .into_iter()
                .map(|s| (s.id, s))
                .collect(),
        })
    }

    /// Loads case `id` for a change by the signed-in person, checked by the access policy
    /// but not logged as a read: for looking up what the command refers to (a goal, a
    /// consent) before running it through [`App::execute`].
    ///
    /// # Errors
    /// As [`App::person`]; not found (also for a case the person may not know of); storage
    /// errors.
    pub async fn case(&self, id: CaseId) -> Result<Case, CliError> {
        let me = self.person().await?.as_actor();
        Ok(self
            .service
            .case_for(id, &me, self.now())
            .await?
            .for_reader(Some(&me)))
    }

    /// Reads case file `id` as the signed-in person: through core's
    /// `CaseService::read_for` (the access policy checked, the read logged, rule R16, then
    /// filtered, rule R14).
    ///
    /// # Errors
    /// As [`App::person`]; not found (also for a case the person may not know of); storage
    /// errors (then nothing is shown).
    pub async fn read_case(&self, id: CaseId, kind: AccessKind) -> Result<Case, CliError> {
        let me = self.person().await?.as_actor();
        Ok(self
            .service
            .read_for(id, &me, kind, &self.store, self.now())
            .await?)
    }

    /// The case summaries matching `filter` that the signed-in person may know of.
    ///
    /// # Errors
    /// As [`App::person`]; [`CliError::Forbidden`] for roles that never open cases; storage
    /// errors.
    pub async fn list_cases(&self, filter: &CaseFilter) -> Result<Vec<CaseSummary>, CliError> {
        let me = self.person().await?.as_actor();
        Ok(self.service.list_for(&me, filter).await?)
    }

    /// Runs `command` on case `id` as the signed-in person: the one write path.
    ///
    /// # Errors
    /// As [`App::person`] and [`CaseService::execute`].
    pub async fn execute(&self, id: CaseId, command: &Command) -> Result<Executed, CliError> {
        let actor = self.actor().await?;
        Ok(self
            .service
            .execute_at(
                id,
                self.settings.if_version,
                command,
                &actor.as_actor(),
                self.local_now(),
            )
            .await?)
    }
}

/// A new id for something the CLI creates (the domain never makes ids itself).
#[must_use]
pub fn new_uuid() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::{Datelike, TimeZone};
    use clap::Parser;

    fn berlin(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        chrono_tz::Europe::Berlin
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .earliest()
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn today_is_the_local_day_around_midnight_and_the_clock_changes() {
        let tz = chrono_tz::Europe::Berlin;
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        // Winter, the night the clocks go forward (29 March 2026), the first summer night,
        // the night they go back (25 October 2026) and the first winter night.
        for (y, m, d) in [
            (2026, 1, 15),
            (2026, 3, 29),
            (2026, 3, 30),
            (2026, 10, 25),
            (2026, 10, 26),
        ] {
            let before = day(y, m, d).pred_opt().unwrap();
            let prev = (before.year(), before.month(), before.day());
            assert_eq!(today_in(berlin(prev.0, prev.1, prev.2, 23, 30), tz), before);
            assert_eq!(today_in(berlin(y, m, d, 0, 15), tz), day(y, m, d));
            assert_eq!(today_in(berlin(y, m, d, 0, 59), tz), day(y, m, d));
        }
        // 00:15 in summer time is still the day before in UTC.
        assert_eq!(berlin(2026, 3, 30, 0, 15).date_naive(), day(2026, 3, 29));
    }

    #[test]
    fn the_time_zone_comes_from_tz_and_today_runs_at_local_noon() {
        let cli =
            crate::args::Cli::try_parse_from(["wegbereiter", "--today", "30.03.2026", "verify"])
                .unwrap();
        let settings = Settings::from_global(&cli.global);
        assert_eq!(settings.tz, chrono_tz::Europe::Berlin);
        assert_eq!(settings.now, berlin(2026, 3, 30, 12, 0));
        let cli = crate::args::Cli::try_parse_from([
            "wegbereiter",
            "--tz",
            "Pacific/Auckland",
            "--today",
            "30.03.2026",
            "verify",
        ])
        .unwrap();
        let settings = Settings::from_global(&cli.global);
        assert_eq!(settings.tz, chrono_tz::Pacific::Auckland);
        assert_eq!(
            settings.today,
            NaiveDate::from_ymd_opt(2026, 3, 30).unwrap()
        );
        assert_eq!(
            settings
                .now
                .with_timezone(&settings.tz)
                .format("%H:%M")
                .to_string(),
            "12:00"
        );
        assert!(
            crate::args::Cli::try_parse_from([
                "wegbereiter",
                "--tz",
                "Europe/Beispielstadt",
                "verify"
            ])
            .is_err()
        );
    }

    fn args(list: &[&str]) -> Vec<std::ffi::OsString> {
        list.iter().map(std::ffi::OsString::from).collect()
    }

    #[test]
    fn language_and_format_are_found_before_parsing() {
        let out = out_from_args(args(&["wegbereiter", "--lang", "en", "case", "show", "1"]));
        assert_eq!((out.lang, out.format), (Lang::En, Format::Text));
        let out = out_from_args(args(&[
            "wegbereiter",
            "case",
            "show",
            "--format=json",
            "--lang=de",
            "1",
        ]));
        assert_eq!((out.lang, out.format), (Lang::De, Format::Json));
        let out = out_from_args(args(&[
            "wegbereiter",
            "--lang",
            "de",
            "--",
            "--format",
            "json",
        ]));
        assert_eq!((out.lang, out.format), (Lang::De, Format::Text));
    }
}
