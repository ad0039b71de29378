//! Command-line arguments (clap derive).
//!
//! The names here are the CLI's contract (issue 4). Closed vocabularies (channels, outcomes,
//! reasons, …) are parsed by [`VocabParser`] from their snake_case key, or leniently from
//! their German or English label; a bad value lists the allowed keys.

use std::ffi::OsStr;
use std::marker::PhantomData;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, Parser, Subcommand, ValueEnum};
use wegbereiter_core::letter::LetterLanguage;
use wegbereiter_core::outreach::VisitHours;
use wegbereiter_core::prelude::*;
use wegbereiter_core::statistics::Granularity;

use crate::dates::{parse_date, parse_datetime};
use crate::error::{Msg, ValueError};

/// Wegbereiter: case management for outreach social work.
///
/// The whole process from the Jobcenter's referral to closure, from a terminal.
#[derive(Debug, Parser)]
#[command(name = "wegbereiter", version, about, long_about = None)]
pub struct Cli {
    /// Options every command understands.
    #[command(flatten)]
    pub global: Global,
    /// What to do.
    #[command(subcommand)]
    pub command: Cmd,
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable tables and sentences.
    Text,
    /// One JSON document on stdout, stable English snake_case field names.
    Json,
}

/// User-interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// Deutsch.
    De,
    /// English.
    En,
}

/// Options every command understands.
#[derive(Debug, Args)]
pub struct Global {
    /// The database: a SQLite file path, sqlite://PATH or postgres://USER:PASS@HOST/DB
    /// [default: wegbereiter.db in the platform data directory]
    #[arg(
        long,
        global = true,
        env = "WEGBEREITER_DATABASE_URL",
        // The URL may hold a password: never print it in --help.
        hide_env_values = true,
        value_name = "URL|PATH"
    )]
    pub db: Option<String>,
    /// The key file with the installation key that seals notes and other special-category
    /// content (keep it mode 0600, back it up apart from the database); `init` and `demo`
    /// create it when it is missing. [default: the database file's path with `.key` added;
    /// PostgreSQL needs it given]
    #[arg(long, global = true, env = "WEGBEREITER_KEY_FILE", value_name = "FILE")]
    pub key_file: Option<std::path::PathBuf>,
    /// The acting staff member's login; required for every change and recorded in the history.
    #[arg(
        long = "as",
        global = true,
        env = "WEGBEREITER_USER",
        hide_env_values = true,
        value_name = "LOGIN"
    )]
    pub as_login: Option<String>,
    /// A file whose first line is the `--as` person's password (keep it mode 0600), so that
    /// scripts need no password on the command line; without it, the password is asked on the
    /// terminal. A personal access token in WEGBEREITER_TOKEN needs neither.
    #[arg(
        long,
        global = true,
        env = "WEGBEREITER_PASSWORD_FILE",
        value_name = "FILE"
    )]
    pub password_file: Option<std::path::PathBuf>,
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Language of text output and messages [default: from LANG, else de].
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,
    /// The date to act on (DD.MM.YYYY or YYYY-MM-DD); commands then run at 12:00 local time
    /// that day. [default: today in the installation's time zone]
    #[arg(long, global = true, value_parser = parse_date, value_name = "DATE")]
    pub today: Option<NaiveDate>,
    /// The installation's time zone (IANA name) is stored in the database (`init`, `settings
    /// set time-zone`); `init` and `demo` store this one, every other command refuses it
    /// unless it is the stored one. [default: the stored zone, else Europe/Berlin]
    #[arg(
        long,
        global = true,
        env = "WEGBEREITER_TZ",
        value_parser = crate::dates::parse_time_zone,
        value_name = "ZONE"
    )]
    pub tz: Option<chrono_tz::Tz>,
    /// Change the case only if it is still at this version (the `version` that `case show`
    /// printed); if someone changed it since, nothing is saved and the exit code is 5.
    #[arg(long, global = true, value_parser = parse_number::<u64>, value_name = "N")]
    pub if_version: Option<u64>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Create or migrate the database; create the first administrator (password from stdin).
    Init(InitArgs),
    /// Staff members.
    #[command(subcommand)]
    Staff(StaffCmd),
    /// Teams.
    #[command(subcommand)]
    Team(TeamCmd),
    /// The directory of specialist services (Fachstellen).
    #[command(subcommand)]
    Service(ServiceCmd),
    /// Personal access tokens for scripts (`WEGBEREITER_TOKEN`).
    #[command(subcommand)]
    Token(TokenCmd),
    /// The installation's settings, stored in the database (time zone).
    #[command(subcommand)]
    Settings(SettingsCmd),
    /// Retention rules and the retention plan (Aufbewahrung und Löschung; data-protection
    /// officer).
    #[command(subcommand)]
    Retention(RetentionCmd),
    /// A client's data-protection requests: erasure (Art. 17 GDPR) and restriction (Art. 18)
    /// (data-protection officer).
    #[command(subcommand)]
    Privacy(PrivacyCmd),
    /// Referrals from the Jobcenter (Zuweisungen): one referral starts one case.
    #[command(subcommand)]
    Referral(ReferralCmd),
    /// Cases: list, show, history and lifecycle steps.
    #[command(subcommand)]
    Case(CaseCmd),
    /// Outreach (aufsuchende Arbeit): announcement letters and contact attempts.
    #[command(subcommand)]
    Outreach(OutreachCmd),
    /// Consents (Einwilligungen).
    #[command(subcommand)]
    Consent(ConsentCmd),
    /// Social history (Sozialanamnese) by life domain.
    #[command(subcommand)]
    Anamnesis(AnamnesisCmd),
    /// Goal agreement (Zielvereinbarung).
    #[command(subcommand)]
    Goal(GoalCmd),
    /// Contacts (Kontakte).
    #[command(subcommand)]
    Contact(ContactCmd),
    /// Referrals out to specialist services (Weitervermittlung).
    #[command(subcommand)]
    Refer(ReferCmd),
    /// Hand a case over inside the project (job coach, psychologist, Phase 2).
    Handover(HandoverArgs),
    /// Phase 2 group sessions and attendance.
    #[command(subcommand)]
    Group(GroupCmd),
    /// The reminders (Wiedervorlagen) due, most urgent first.
    Reminders(RemindersArgs),
    /// Reports.
    #[command(subcommand)]
    Report(ReportCmd),
    /// Documents as PDF/A files: the announcement letter.
    #[command(subcommand)]
    Document(DocumentCmd),
    /// Fill an empty database with synthetic, deterministic demo data.
    Demo(DemoArgs),
    /// Check the tamper-evident hash chain of every case history.
    Verify,
    /// Write a consistent copy of the SQLite database to FILE.
    Backup(BackupArgs),
    /// Replace the SQLite database by a backup (validated first; atomic file replacement).
    Restore(RestoreArgs),
    /// Start the web frontend (on SQLite by default, PostgreSQL by URL).
    Serve(ServeArgs),
    /// The installation key and the case keys (encryption at rest; administrator).
    #[command(subcommand)]
    Keys(KeysCmd),
}

/// `keys …`: the installation key in the key file and the case keys it wraps.
#[derive(Debug, Subcommand)]
pub enum KeysCmd {
    /// Show the key file and the id of the installation key (no secret is shown).
    Show,
    /// Seal a database made before encryption at rest: create the key file (if missing) and
    /// seal every note with it (administrator; recorded in the audit log).
    Init,
    /// Make a new installation key and rewrap every case key with it in one transaction; the
    /// old key file is kept beside as `FILE.<time>.old` (administrator; audited).
    Rotate,
    /// Write the case keys (wrapped by the installation key) to a new file, for restoring a
    /// backup; keep key backups only as long as erasures may wait (administrator).
    Backup {
        /// The new file (mode 0600; never overwritten).
        file: std::path::PathBuf,
    },
    /// Put the case keys of a key backup into a restored database: only for cases that have
    /// no key, so an erased case stays unreadable (administrator; audited).
    Restore {
        /// The key backup.
        file: std::path::PathBuf,
    },
}

/// `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: std::net::SocketAddr,
    /// Serve a fresh database filled with synthetic demo data (printed logins); `--db` is ignored.
    #[arg(long)]
    pub demo: bool,
    /// Number of demo cases with `--demo`.
    #[arg(long, default_value_t = 200, value_parser = parse_number::<u32>)]
    pub demo_cases: u32,
    /// Mark the session cookie `Secure` (set this when serving behind HTTPS).
    #[arg(long)]
    pub secure_cookies: bool,
    /// Sign people out after this many minutes without activity.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=720))]
    pub idle_minutes: u32,
    /// A reverse proxy (IP address) whose `Forwarded` / `X-Forwarded-For` header names the
    /// client; repeat for several. Only requests whose connection comes from one of them are
    /// believed; everyone else is the address they connect from.
    #[arg(
        long = "trusted-proxy",
        value_name = "ADDR",
        env = "WEGBEREITER_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// What the server logs to stderr: a level (error, warn, info, debug, trace) or a
    /// `RUST_LOG`-style filter such as `info,wegbereiter_web=debug`.
    /// [default: RUST_LOG, else info without the database driver's statements]
    #[arg(long, value_name = "FILTER")]
    pub log_level: Option<String>,
}

/// `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Login of the first administrator (the password is read from stdin, one line).
    #[arg(long, requires = "admin_name")]
    pub admin_login: Option<String>,
    /// Display name of the first administrator.
    #[arg(long, requires = "admin_login")]
    pub admin_name: Option<String>,
}

/// `staff …`.
#[derive(Debug, Subcommand)]
pub enum StaffCmd {
    /// Add a staff member (administrator).
    Add {
        /// Sign-in name (unique).
        #[arg(long)]
        login: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// Roles, comma-separated.
        #[arg(long, required = true, value_delimiter = ',', value_parser = VocabParser::<Role>::new())]
        role: Vec<Role>,
        /// Team name; repeat for several teams.
        #[arg(long)]
        team: Vec<String>,
        /// Read a password for the web sign-in from stdin (one line).
        #[arg(long)]
        password_stdin: bool,
    },
    /// List staff members.
    List,
    /// Deactivate a staff member (administrator); the history keeps their name.
    Deactivate {
        /// Login.
        login: String,
    },
    /// Reactivate a staff member (administrator).
    Activate {
        /// Login.
        login: String,
    },
}

/// `team …`.
#[derive(Debug, Subcommand)]
pub enum TeamCmd {
    /// Add a team (administrator).
    Add {
        /// Name, e.g. "Phase 1 Team Nord".
        name: String,
    },
    /// List teams.
    List,
}

/// `settings …`: the installation's settings, stored with its data.
#[derive(Debug, Subcommand)]
pub enum SettingsCmd {
    /// Show the installation's settings (no sign-in needed).
    Show,
    /// Change a setting (administrator; recorded in the audit log).
    #[command(subcommand)]
    Set(SettingsSetCmd),
}

/// `retention …`: retention rules per category and the plan over the ended cases.
#[derive(Debug, Subcommand)]
pub enum RetentionCmd {
    /// The retention table: per category the period, from when it counts, the legal source.
    Show,
    /// Change a category's period, e.g. `retention set counselling_content 36m`
    /// (`90d` days, `24m` months; recorded in the audit log).
    Set {
        /// The category's key (`retention show` lists them).
        category: String,
        /// The period: `90d`, `24m`, `esf` or `with_data`.
        period: String,
    },
    /// The last day the project's ESF Plus evidence must be kept, once the granting body has
    /// named it (`none` while unknown).
    EsfUntil {
        /// A date (`31.12.2033` or `2033-12-31`) or `none`.
        until: String,
    },
    /// Dry run: per ended case and category, what would be erased or restricted, on which
    /// rule, from which day. Only due steps unless `--upcoming`.
    Plan {
        /// Also list steps that are not yet due.
        #[arg(long)]
        upcoming: bool,
    },
    /// Carry out every due step, one transaction per case; each leaves a record of what was
    /// erased under which rule, never the content.
    Apply {
        /// Confirm: without it, nothing is changed and the plan is printed.
        #[arg(long)]
        yes: bool,
    },
}

/// `privacy …`: a client's data-protection requests, carried out by the data-protection
/// officer.
#[derive(Debug, Subcommand)]
pub enum PrivacyCmd {
    /// Erasure on request (Art. 17 GDPR): erases what no duty keeps and restricts what a duty
    /// keeps (ESF Plus evidence). The case must be ended.
    Erase {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// The request, as the DPO records it (no health details), e.g. "Antrag vom 02.12.2026".
        #[arg(long)]
        reason: String,
        /// Confirm: without it, nothing is changed and what would happen is printed.
        #[arg(long)]
        yes: bool,
    },
    /// Access export (Art. 15 GDPR): everything stored about the person of this case, across
    /// all their cases (same name and date of birth), with who read the files and when and
    /// each category's retention date; JSON with `--format json`, else a German document.
    Export {
        /// A case id of the person.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// Write it to this file (created with mode 0600) instead of standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
    /// Restriction of processing (Art. 18 GDPR): the case leaves every list, search, report
    /// and statistic; nobody working on cases sees it any more. The case must be ended.
    Restrict {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// The request or reason, as the DPO records it.
        #[arg(long)]
        reason: String,
    },
}

/// `settings set …`.
#[derive(Debug, Subcommand)]
pub enum SettingsSetCmd {
    /// The installation's time zone (IANA name, e.g. Europe/Vienna): from the next command
    /// on, every local day and printed time follows it; a running `serve` after a restart.
    TimeZone {
        /// The zone.
        #[arg(value_parser = crate::dates::parse_time_zone, value_name = "ZONE")]
        zone: chrono_tz::Tz,
    },
    /// The table of postcodes by degree of urbanisation (EECO17 "rural areas"): a file of
    /// `postcode;class` lines (DEGURBA class 1 cities, 2 towns and suburbs, 3 rural areas)
    /// for the project's region, from which ESF entry data suggest "rural area".
    RuralPostcodes {
        /// The table (UTF-8; `;`, `,` or tab between; a heading line is skipped).
        #[arg(required_unless_present = "clear")]
        file: Option<PathBuf>,
        /// Where the classification comes from (edition and postcode correspondence), e.g.
        /// "Eurostat DEGURBA 2021, LAU–PLZ-Zuordnung TERCET 2020".
        #[arg(long, required_unless_present = "clear")]
        source: Option<String>,
        /// Remove the table instead.
        #[arg(long, conflicts_with_all = ["file", "source"])]
        clear: bool,
    },
}

fn parse_scope(s: &str) -> Result<wegbereiter_storage::TokenScope, String> {
    wegbereiter_storage::TokenScope::parse(s).map_err(|e| e.to_string())
}

/// `token …`: the signed-in person's own personal access tokens.
#[derive(Debug, Subcommand)]
pub enum TokenCmd {
    /// Create a token (needs the password, not a token); its secret is shown once.
    Create {
        /// A name to recognise it by, e.g. "Laptop Büro".
        #[arg(long)]
        name: String,
        /// Days until it expires (1–365).
        #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(u16).range(1..=365))]
        days: u16,
        /// What the token may do in the JSON API (`read`, `write`, `admin`; the person's
        /// roles still decide). The CLI itself does not look at it.
        #[arg(long, default_value = "read", value_parser = parse_scope)]
        scope: wegbereiter_storage::TokenScope,
        /// Print only the secret, e.g. for `export WEGBEREITER_TOKEN=$(…)`.
        #[arg(long)]
        quiet: bool,
    },
    /// List the signed-in person's tokens (never their secrets).
    List,
    /// Revoke a token by its id (from `token list`).
    Revoke {
        /// The token's id.
        id: uuid::Uuid,
    },
}

/// `service …`.
#[derive(Debug, Subcommand)]
pub enum ServiceCmd {
    /// Add a specialist service to the directory (administrator).
    Add {
        /// Name, e.g. "Schuldnerberatung Beispielstadt".
        #[arg(long)]
        name: String,
        /// Kind.
        #[arg(long, value_parser = VocabParser::<ServiceKind>::new())]
        kind: ServiceKind,
        /// Further contact notes (appointments, documents).
        #[arg(long)]
        contact: Option<String>,
        /// Postal address.
        #[arg(long)]
        address: Option<String>,
        /// Phone number.
        #[arg(long)]
        phone: Option<String>,
        /// E-mail address.
        #[arg(long)]
        email: Option<String>,
        /// Opening hours (Öffnungszeiten), e.g. "Mo–Do 9–12 Uhr".
        #[arg(long)]
        opening_hours: Option<String>,
        /// Contact person (Ansprechperson) at the service.
        #[arg(long)]
        contact_person: Option<String>,
    },
    /// List the directory (everyone signed in; address, phone, e-mail, opening hours and
    /// contact person in the JSON output).
    List,
    /// Take a service out of the directory (administrator).
    Deactivate {
        /// Service id or exact name.
        service: String,
    },
}

/// `referral …`.
#[derive(Debug, Subcommand)]
pub enum ReferralCmd {
    /// Record a referral; prints the new case id and warns about possible duplicates.
    Add(Box<ReferralAddArgs>),
    /// Import referrals from a Jobcenter CSV export (see docs/import.md).
    Import(ImportArgs),
}

/// `referral add`.
#[derive(Debug, Args)]
pub struct ReferralAddArgs {
    /// The referring Jobcenter.
    #[arg(long)]
    pub jobcenter: String,
    /// The Jobcenter's case manager (Fallmanager*in).
    #[arg(long)]
    pub case_manager: String,
    /// The Jobcenter's customer number (Kundennummer).
    #[arg(long)]
    pub customer_number: Option<String>,
    /// Date of the referral [default: today].
    #[arg(long, value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// Why the client is referred.
    #[arg(long, value_parser = VocabParser::<ReferralReason>::new())]
    pub reason: ReferralReason,
    /// Legal or funding basis.
    #[arg(long, value_parser = VocabParser::<LegalBasis>::new())]
    pub legal_basis: LegalBasis,
    /// Indicated problem areas, comma-separated.
    #[arg(long, value_delimiter = ',', value_parser = VocabParser::<ProblemArea>::new())]
    pub problem_areas: Vec<ProblemArea>,
    /// Client's given name(s).
    #[arg(long)]
    pub given_name: String,
    /// Client's family name.
    #[arg(long)]
    pub family_name: String,
    /// Date of birth.
    #[arg(long, value_parser = parse_date)]
    pub date_of_birth: Option<NaiveDate>,
    /// Gender.
    #[arg(long, value_parser = VocabParser::<Gender>::new())]
    pub gender: Option<Gender>,
    /// Street and house number.
    #[arg(long, requires_all = ["postcode", "city"])]
    pub street: Option<String>,
    /// Postcode (five digits).
    #[arg(long, requires_all = ["street", "city"])]
    pub postcode: Option<String>,
    /// City or town.
    #[arg(long, requires_all = ["street", "postcode"])]
    pub city: Option<String>,
    /// Telephone.
    #[arg(long)]
    pub phone: Option<String>,
    /// E-mail.
    #[arg(long)]
    pub email: Option<String>,
    /// The language the client's letters carry beside German (Briefsprache): en, uk, ru, ar,
    /// fa, tr, bg or ro [default: German only].
    #[arg(long, value_parser = VocabParser::<LetterLanguage>::new())]
    pub letter_language: Option<LetterLanguage>,
    /// Responsible team (name) [default: the acting person's team, if they have one].
    #[arg(long)]
    pub team: Option<String>,
}

/// `referral import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV file.
    pub file: PathBuf,
    /// Check the file and report what would be imported, without writing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Import the valid rows and write the invalid ones to the rejects file.
    #[arg(long)]
    pub skip_invalid: bool,
    /// Where to write rejected rows [default: FILE.rejects.csv].
    #[arg(long, requires = "skip_invalid")]
    pub rejects: Option<PathBuf>,
    /// Responsible team for all imported cases (name) [default: the acting person's team, if
    /// they have one].
    #[arg(long)]
    pub team: Option<String>,
}

/// `case …`.
#[derive(Debug, Subcommand)]
pub enum CaseCmd {
    /// List cases, newest referral first.
    List {
        /// Only this status.
        #[arg(long, value_parser = VocabParser::<CaseStatus>::new())]
        status: Option<CaseStatus>,
        /// Only cases of this key worker (login).
        #[arg(long)]
        key_worker: Option<String>,
        /// Only cases of this team (name).
        #[arg(long)]
        team: Option<String>,
        /// Only cases found by this search, as the web's search field finds them: parts of
        /// the client's name in any spelling ("Muessig", "Mussig" and "Müßig" alike;
        /// "lued" finds "Müller-Lüdenscheidt"), a date of birth ("12.03.1985" or
        /// "1985-03-12") or a case number ("ABCDE-F1234", any case, with or without the
        /// dash, or its beginning). Whole-word name matches come first, then by name.
        #[arg(long, value_name = "SEARCH")]
        name: Option<String>,
        /// At most this many cases.
        #[arg(long, value_parser = parse_number::<usize>)]
        limit: Option<usize>,
        /// Print only the case ids, one per line (for scripts).
        #[arg(long, short)]
        quiet: bool,
        /// Write the list as a spreadsheet instead: `.csv` (German Excel dialect) or `.xlsx`
        /// (days as date cells); only cases the person may know of; audited as an export.
        #[arg(long, value_name = "FILE", conflicts_with = "quiet")]
        export: Option<PathBuf>,
    },
    /// Show a case file.
    Show {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
    },
    /// Show the complete, attributed history of a case.
    History {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
    },
    /// The client pauses participation (not a sanction; the planned end stays).
    Pause {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// First day of the pause [default: today].
        #[arg(long, value_parser = parse_date)]
        from: Option<NaiveDate>,
    },
    /// The client takes part again after a pause.
    Resume {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// Day participation resumed [default: today].
        #[arg(long, value_parser = parse_date)]
        on: Option<NaiveDate>,
    },
    /// The client declined the offer (no reason is asked or stored).
    Decline {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// Day [default: today].
        #[arg(long, value_parser = parse_date)]
        on: Option<NaiveDate>,
    },
    /// End outreach as not reached (only once the outreach end rule is met).
    NotReached {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// Day [default: today].
        #[arg(long, value_parser = parse_date)]
        on: Option<NaiveDate>,
    },
    /// Enrol the client: opens the key-worker period (3 months).
    Enrol(EnrolArgs),
    /// Extend the key-worker period (at most 6 months in total; needs a reason).
    Extend {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// New planned end.
        #[arg(long, value_parser = parse_date)]
        until: NaiveDate,
        /// Written reason.
        #[arg(long)]
        reason: String,
    },
    /// Record the ESF Plus entry data.
    EsfEntry(Box<EsfEntryArgs>),
    /// Choose the language the client's letters carry beside German (Briefsprache): en, uk,
    /// ru, ar, fa, tr, bg or ro, or `none` for German only.
    LetterLanguage {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// The language's code, or `none`.
        #[arg(value_parser = parse_letter_choice)]
        language: LetterChoice,
    },
    /// Assign the case to another team (team lead).
    AssignTeam {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// Team name.
        #[arg(long)]
        team: String,
    },
    /// Assign another key worker (team lead).
    Reassign {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// New key worker (login).
        #[arg(long)]
        key_worker: String,
    },
    /// Close the case with an exit reason.
    Close {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// Exit reason.
        #[arg(long, value_parser = VocabParser::<ExitReason>::new())]
        reason: ExitReason,
        /// Exit day [default: today].
        #[arg(long, value_parser = parse_date)]
        on: Option<NaiveDate>,
        /// ESF immediate result, if known.
        #[arg(long, value_parser = VocabParser::<ImmediateResult>::new())]
        result: Option<ImmediateResult>,
    },
    /// Reopen an ended case within 4 weeks (team lead).
    Reopen {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// Day [default: today].
        #[arg(long, value_parser = parse_date)]
        on: Option<NaiveDate>,
    },
}

/// `case enrol`.
#[derive(Debug, Args)]
pub struct EnrolArgs {
    /// Case id.
    #[arg(value_parser = parse_case_id)]
    pub id: CaseId,
    /// The key worker (login).
    #[arg(long)]
    pub key_worker: String,
    /// Confirms that the participation terms (hygiene rules, data protection) were explained.
    #[arg(long)]
    pub terms_explained: bool,
    /// Form of the consent to case processing, given today.
    #[arg(long, value_parser = VocabParser::<ConsentForm>::new())]
    pub consent: ConsentForm,
    /// Day of enrolment [default: today].
    #[arg(long, value_parser = parse_date)]
    pub on: Option<NaiveDate>,
}

/// `case esf-entry`.
#[derive(Debug, Args)]
pub struct EsfEntryArgs {
    /// Case id.
    #[arg(value_parser = parse_case_id)]
    pub id: CaseId,
    /// Employment status on the day of entry.
    #[arg(long, value_parser = VocabParser::<EmploymentStatus>::new())]
    pub employment_status: EmploymentStatus,
    /// Unemployed for more than 12 months.
    #[arg(long)]
    pub long_term_unemployed: bool,
    /// Highest qualification.
    #[arg(long, value_parser = VocabParser::<IscedBand>::new())]
    pub education: IscedBand,
    /// Citizenship.
    #[arg(long, value_parser = VocabParser::<Citizenship>::new())]
    pub citizenship: Citizenship,
    /// Homeless or excluded from housing.
    #[arg(long)]
    pub homeless: bool,
    /// Disability (yes/no; omit for "no answer").
    #[arg(long)]
    pub disability: Option<bool>,
    /// Foreign background (yes/no; omit for "no answer").
    #[arg(long)]
    pub foreign_background: Option<bool>,
    /// Lives in a rural area (EECO17; yes/no) [default: from the client's postcode with the
    /// installation's table (`settings rural-postcodes`), else "no answer"].
    #[arg(long)]
    pub rural_area: Option<bool>,
    /// Minority (yes/no; omit for "no answer").
    #[arg(long)]
    pub minority: Option<bool>,
}

/// `outreach …`.
#[derive(Debug, Subcommand)]
pub enum OutreachCmd {
    /// Record an announcement letter with the planned visit window.
    Letter {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// Date of the letter [default: today].
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
        /// First day of the visit window.
        #[arg(long, value_parser = parse_date)]
        visit_from: NaiveDate,
        /// Last day of the visit window.
        #[arg(long, value_parser = parse_date)]
        visit_until: NaiveDate,
        /// The time of day of the visit, local time, e.g. `09:00-12:00` (printed in the
        /// letter).
        #[arg(long, value_parser = parse_visit_hours)]
        hours: Option<VisitHours>,
    },
    /// Log a contact attempt (made by the acting person).
    Attempt {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// Channel.
        #[arg(long, value_parser = VocabParser::<ContactChannel>::new())]
        channel: ContactChannel,
        /// Outcome (`declined` also ends the case as declined).
        #[arg(long, value_parser = VocabParser::<AttemptOutcome>::new())]
        outcome: AttemptOutcome,
        /// When: a local time of the installation (`02.03.2026 00:15`, `2026-03-02T00:15`) or
        /// RFC 3339 with an offset [default: now].
        #[arg(long, value_parser = parse_datetime)]
        at: Option<crate::dates::Moment>,
    },
}

/// `consent …`.
#[derive(Debug, Subcommand)]
pub enum ConsentCmd {
    /// Record a consent the client gave.
    Give {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// Purpose.
        #[arg(long, value_parser = VocabParser::<ConsentPurpose>::new())]
        purpose: ConsentPurpose,
        /// Form.
        #[arg(long, value_parser = VocabParser::<ConsentForm>::new())]
        form: ConsentForm,
        /// Day the client gave it [default: today].
        #[arg(long, value_parser = parse_date)]
        given_on: Option<NaiveDate>,
    },
    /// Withdraw a consent; effective from now on, or from the start of an earlier `--on` day.
    Withdraw {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// The day the client withdrew it, if not today: effective from the start of that day
        /// (not in the future, not before the consent was given) [default: from now on].
        #[arg(long, value_parser = parse_date)]
        on: Option<NaiveDate>,
        /// The consent's id (or a unique prefix of it).
        #[arg(long, required_unless_present = "purpose", conflicts_with = "purpose")]
        consent: Option<String>,
        /// Withdraw the active consent for this purpose.
        #[arg(long, value_parser = VocabParser::<ConsentPurpose>::new())]
        purpose: Option<ConsentPurpose>,
    },
    /// The receipt of a consent for the client: purpose, the text agreed to (with its
    /// version), form and dates; of the withdrawal if it was withdrawn.
    Receipt {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// The consent's id (or a unique prefix of it).
        #[arg(long)]
        consent: String,
    },
}

/// `document …`.
#[derive(Debug, Subcommand)]
pub enum DocumentCmd {
    /// The announcement letter (Ankündigungsschreiben) of a recorded visit announcement as a
    /// PDF/A file (DIN 5008 form B), in the standard text (German, or English with
    /// `--lang en`) or in Leichte Sprache; recorded in the access log as an export.
    Letter {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// Which letter of the case, counting from 1 in the order recorded.
        #[arg(long, default_value_t = 1)]
        number: usize,
        /// The letter in Leichte Sprache (German easy-to-read).
        #[arg(long)]
        easy_read: bool,
        /// The translation page beside the German letter: a language's code (en, uk, ru, ar,
        /// fa, tr, bg, ro) or `none` [default: the client's letter language].
        #[arg(long, value_parser = parse_letter_choice)]
        translation: Option<LetterChoice>,
        /// Print a translation nobody has reviewed yet (refused without this).
        #[arg(long)]
        confirm_unreviewed: bool,
        /// The PDF file to write (must end in .pdf; created readable by its owner only).
        #[arg(long, short)]
        output: PathBuf,
    },
    /// The case summary (Fallübersicht) as a PDF/A file for the key worker: every section of
    /// the case file on paper (never the psychologist compartment), the case number, who
    /// printed it and when; recorded in the access log as an export.
    Summary {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// The PDF file to write (must end in .pdf; created readable by its owner only).
        #[arg(long, short)]
        output: PathBuf,
    },
    /// The ESF Plus questionnaire (ESF-Plus-Fragebogen) of a participant as a PDF/A file for
    /// the participant's and the worker's signature: entry and exit items as recorded
    /// (German, or English with `--lang en`); recorded in the access log as an export.
    Questionnaire {
        /// Case id (an enrolled or closed participant).
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// The PDF file to write (must end in .pdf; created readable by its owner only).
        #[arg(long, short)]
        output: PathBuf,
    },
    /// The reports recorded as sent to the Jobcenter; with `--document` and `--output`, one of
    /// them exactly as it was sent (checked against its recorded SHA-256); recorded in the
    /// access log as an export.
    Sent {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// The document id (from the list).
        #[arg(long, requires = "output")]
        document: Option<uuid::Uuid>,
        /// The PDF file to write (must end in .pdf).
        #[arg(long, short, requires = "document")]
        output: Option<PathBuf>,
    },
}

/// `anamnesis …`.
#[derive(Debug, Subcommand)]
pub enum AnamnesisCmd {
    /// Assess one life domain.
    Set {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// Life domain.
        #[arg(long, value_parser = VocabParser::<LifeDomain>::new())]
        domain: LifeDomain,
        /// Need for action.
        #[arg(long, value_parser = VocabParser::<ActionNeed>::new())]
        need: ActionNeed,
        /// Priority.
        #[arg(long, value_parser = VocabParser::<Priority>::new())]
        priority: Priority,
        /// Whose account this is.
        #[arg(long, value_parser = VocabParser::<AccountSource>::new())]
        source: AccountSource,
        /// The client's own view.
        #[arg(long)]
        own_view: Option<String>,
        /// Strengths and resources.
        #[arg(long)]
        strengths: Option<String>,
    },
}

/// `goal …`.
#[derive(Debug, Subcommand)]
pub enum GoalCmd {
    /// Agree a goal; prints its id.
    Add {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// Life domain.
        #[arg(long, value_parser = VocabParser::<LifeDomain>::new())]
        domain: LifeDomain,
        /// The goal in the client's plain words.
        #[arg(long)]
        wording: String,
        /// How everyone will know it is reached.
        #[arg(long)]
        criterion: String,
        /// Who is responsible.
        #[arg(long, value_parser = VocabParser::<ResponsibleParty>::new())]
        responsible: ResponsibleParty,
        /// Review date.
        #[arg(long, value_parser = parse_date)]
        review: NaiveDate,
    },
    /// Change a goal.
    Update {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// Goal id (or a unique prefix).
        #[arg(long)]
        goal: String,
        /// New wording.
        #[arg(long)]
        wording: Option<String>,
        /// New criterion.
        #[arg(long)]
        criterion: Option<String>,
        /// New responsible party.
        #[arg(long, value_parser = VocabParser::<ResponsibleParty>::new())]
        responsible: Option<ResponsibleParty>,
        /// New review date.
        #[arg(long, value_parser = parse_date)]
        review: Option<NaiveDate>,
        /// New status.
        #[arg(long, value_parser = VocabParser::<GoalStatus>::new())]
        status: Option<GoalStatus>,
    },
    /// Rate a goal on the 0–10 scale.
    Rate {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// Goal id (or a unique prefix).
        #[arg(long)]
        goal: String,
        /// Rating 0–10.
        #[arg(long, value_parser = parse_scale)]
        value: Scale,
        /// Day [default: today].
        #[arg(long, value_parser = parse_date)]
        on: Option<NaiveDate>,
    },
}

/// `contact …`.
#[derive(Debug, Subcommand)]
pub enum ContactCmd {
    /// Document a contact.
    Add(Box<ContactAddArgs>),
}

/// `contact add`.
#[derive(Debug, Args)]
pub struct ContactAddArgs {
    /// Case id.
    #[arg(value_parser = parse_case_id)]
    pub id: CaseId,
    /// Kind of contact.
    #[arg(long, value_parser = VocabParser::<ContactKind>::new())]
    pub kind: ContactKind,
    /// Duration in minutes.
    #[arg(long, value_parser = parse_number::<u32>)]
    pub duration: u32,
    /// Day [default: today].
    #[arg(long, value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// Life-domain topics, comma-separated.
    #[arg(long, value_delimiter = ',', value_parser = VocabParser::<LifeDomain>::new())]
    pub topics: Vec<LifeDomain>,
    /// Who took part besides the client.
    #[arg(long)]
    pub participants: Option<String>,
    /// What was agreed.
    #[arg(long)]
    pub agreements: Option<String>,
    /// Next steps.
    #[arg(long)]
    pub next_steps: Option<String>,
    /// The note.
    #[arg(long)]
    pub note: Option<String>,
    /// Keep the note in the psychologist compartment (psychologists only; a psychologist's
    /// note is kept there anyway unless shared).
    #[arg(long, conflicts_with = "share_with_team")]
    pub psychologist_only: bool,
    /// A psychologist lets the case team read this note (without it, only psychologists do).
    #[arg(long)]
    pub share_with_team: bool,
}

impl Cmd {
    /// Whether the command changes one existing case (the commands `--if-version` guards).
    #[must_use]
    pub fn changes_one_case(&self) -> bool {
        match self {
            Self::Case(cmd) => !matches!(
                cmd,
                CaseCmd::List { .. } | CaseCmd::Show { .. } | CaseCmd::History { .. }
            ),
            Self::Outreach(_)
            | Self::Consent(_)
            | Self::Anamnesis(_)
            | Self::Goal(_)
            | Self::Contact(_)
            | Self::Refer(_)
            | Self::Handover(_) => true,
            Self::Group(cmd) => matches!(cmd, GroupCmd::Attend { .. }),
            _ => false,
        }
    }
}

/// `refer …`.
#[derive(Debug, Subcommand)]
pub enum ReferCmd {
    /// Refer the client to a specialist service; prints the referral id.
    Add {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// Service id or exact name.
        #[arg(long)]
        service: String,
        /// Day the referral was made [default: today].
        #[arg(long, value_parser = parse_date)]
        on: Option<NaiveDate>,
        /// A note on the referral.
        #[arg(long)]
        note: Option<String>,
        /// The contact person at the service [default: the directory's].
        #[arg(long)]
        contact_person: Option<String>,
    },
    /// Change a referral's status.
    Update {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// Referral id (or a unique prefix).
        #[arg(long)]
        referral: String,
        /// New status.
        #[arg(long, value_parser = VocabParser::<OutboundReferralStatus>::new())]
        status: OutboundReferralStatus,
        /// Day [default: today].
        #[arg(long, value_parser = parse_date)]
        on: Option<NaiveDate>,
    },
    /// Record a secrecy release (Schweigepflichtentbindung) for a referral.
    Release(Box<ReleaseArgs>),
    /// Withdraw a secrecy release.
    WithdrawRelease {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// Referral id (or a unique prefix).
        #[arg(long)]
        referral: String,
    },
    /// Record that information was passed on to the service (only under a secrecy release
    /// valid that day, rule R22).
    Disclose {
        /// Case id.
        #[arg(value_parser = parse_case_id)]
        id: CaseId,
        /// Referral id (or a unique prefix).
        #[arg(long)]
        referral: String,
        /// What was passed on: kinds of information, not the content (e.g. "Gläubigerliste").
        #[arg(long)]
        information: String,
        /// Day it was passed on [default: today].
        #[arg(long, value_parser = parse_date)]
        on: Option<NaiveDate>,
    },
}

/// `refer release`.
#[derive(Debug, Args)]
pub struct ReleaseArgs {
    /// Case id.
    #[arg(value_parser = parse_case_id)]
    pub id: CaseId,
    /// Referral id (or a unique prefix).
    #[arg(long)]
    pub referral: String,
    /// Who may receive information.
    #[arg(long)]
    pub recipient: String,
    /// Which kinds of information.
    #[arg(long)]
    pub information: String,
    /// For which purpose.
    #[arg(long)]
    pub purpose: String,
    /// One-way or mutual.
    #[arg(long, value_parser = VocabParser::<ReleaseDirection>::new(), default_value = "one_way")]
    pub direction: ReleaseDirection,
    /// Signed on [default: today].
    #[arg(long, value_parser = parse_date)]
    pub given_on: Option<NaiveDate>,
    /// Valid until (inclusive).
    #[arg(long, value_parser = parse_date)]
    pub valid_until: NaiveDate,
}

/// `handover`.
#[derive(Debug, Args)]
pub struct HandoverArgs {
    /// Case id.
    #[arg(value_parser = parse_case_id)]
    pub id: CaseId,
    /// To whom.
    #[arg(long, value_parser = VocabParser::<HandoverTarget>::new())]
    pub to: HandoverTarget,
    /// The new responsible staff member (login), if the key worker changes.
    #[arg(long)]
    pub staff: Option<String>,
    /// Day [default: today].
    #[arg(long, value_parser = parse_date)]
    pub on: Option<NaiveDate>,
    /// A note for the handover talk.
    #[arg(long)]
    pub note: Option<String>,
}

/// `group …`.
#[derive(Debug, Subcommand)]
pub enum GroupCmd {
    /// Add a Phase 2 group session; prints its id.
    AddSession {
        /// Kind.
        #[arg(long, value_parser = VocabParser::<GroupSessionKind>::new())]
        kind: GroupSessionKind,
        /// Day.
        #[arg(long, value_parser = parse_date)]
        date: NaiveDate,
        /// Title, e.g. "Frühstück im Stadtteilladen".
        #[arg(long)]
        title: String,
    },
    /// List group sessions, newest first.
    List,
    /// Record a participant's attendance at a session.
    Attend {
        /// Session id.
        #[arg(long, value_parser = parse_session_id)]
        session: GroupSessionId,
        /// Case id.
        #[arg(long = "case", value_parser = parse_case_id)]
        case: CaseId,
        /// Attendance.
        #[arg(long, value_parser = VocabParser::<Attendance>::new(), default_value = "present")]
        attendance: Attendance,
    },
}

/// `reminders`.
#[derive(Debug, Args)]
pub struct RemindersArgs {
    /// Only this person's cases: those they are key worker of, and unassigned cases of their
    /// teams (login) [default: the `--as` person].
    #[arg(long, conflicts_with = "all")]
    pub key_worker: Option<String>,
    /// All cases, whoever acts.
    #[arg(long)]
    pub all: bool,
}

/// `report …`.
#[derive(Debug, Subcommand)]
pub enum ReportCmd {
    /// What the Jobcenter may be told about a case (only what active consents allow); with
    /// `--kind`, one report as the client preview, `--output` writes it as PDF/A, and
    /// `--send` records it as sent (kept byte for byte with its SHA-256).
    Jobcenter(JobcenterArgs),
    /// The ESF Plus participant indicators (Annex I) of a period, by gender: counts, or with
    /// `--list` the pseudonymous participant numbers behind one figure.
    Esf(EsfReportArgs),
    /// Statistics of a period for the team lead and the funder: referrals, reach, enrolment,
    /// support, exits, referrals out and Phase 2 attendance, per month, quarter or year.
    Statistics(StatisticsArgs),
}

/// `report jobcenter`.
#[derive(Debug, Args)]
pub struct JobcenterArgs {
    /// Case id.
    #[arg(value_parser = parse_case_id)]
    pub id: CaseId,
    /// One report: `outreach_result`, `entry_confirmation`, `extension_request`,
    /// `progress_report` or `exit_report`.
    #[arg(long, value_parser = VocabParser::<ReportKind>::new())]
    pub kind: Option<ReportKind>,
    /// Write the report as a PDF/A file (must end in .pdf; readable by its owner only).
    #[arg(long, short, requires = "kind")]
    pub output: Option<PathBuf>,
    /// Record the report written to `--output` as sent to the Jobcenter (after showing it to
    /// the client): kept with its SHA-256 in the case.
    #[arg(long, alias = "record-sent", requires_all = ["output", "channel"])]
    pub send: bool,
    /// How it was sent: `post`, `fax`, `email`, `portal` or `in_person`.
    #[arg(long, value_parser = VocabParser::<SendChannel>::new())]
    pub channel: Option<SendChannel>,
    /// To whom (default: the referring Jobcenter and its case manager).
    #[arg(long)]
    pub recipient: Option<String>,
    /// The day it was sent (default: today).
    #[arg(long, value_parser = parse_date)]
    pub sent_on: Option<NaiveDate>,
}

/// `report statistics`.
#[derive(Debug, Args)]
pub struct StatisticsArgs {
    /// First day of the period.
    #[arg(long, value_parser = parse_date)]
    pub from: NaiveDate,
    /// Last day of the period.
    #[arg(long, value_parser = parse_date)]
    pub to: NaiveDate,
    /// Only the cases of this team (by name), each for the team it belongs to now; without
    /// it, every case of the project, with a table per team.
    #[arg(long)]
    pub team: Option<String>,
    /// How the period is divided: `month`, `quarter` or `year`.
    #[arg(long, default_value = "month", value_parser = VocabParser::<Granularity>::new())]
    pub by: Granularity,
    /// Show counts from 1 to 4 as "< 5", as in everything that leaves the team (the export
    /// always does).
    #[arg(long)]
    pub published: bool,
    /// Write the statistics to a file instead, as `.xlsx` (a sheet per table) or `.csv`, by
    /// the file's extension, with small counts suppressed. The file is created readable by
    /// its owner only.
    #[arg(long)]
    pub export: Option<PathBuf>,
}

/// `report esf`.
#[derive(Debug, Args)]
pub struct EsfReportArgs {
    /// First day of the period.
    #[arg(long, value_parser = parse_date)]
    pub from: NaiveDate,
    /// Last day of the period.
    #[arg(long, value_parser = parse_date)]
    pub to: NaiveDate,
    /// Only the cases of this team (by name), each for the team it belongs to now; without
    /// it, every case of the project (the figures the funder receives, as the web's default).
    #[arg(long)]
    pub team: Option<String>,
    /// List the participants behind one figure instead of the report: its Annex I code
    /// (`EECO02`, `EECR04`) or key (`entries`, `entry_data_missing`, `exits`, `regular`,
    /// `early`, `result_missing`).
    #[arg(long, value_parser = parse_esf_count)]
    pub list: Option<EsfCount>,
    /// With `--list`: one column of the figure (`female`, `male`, `non_binary`, `unknown`);
    /// without it, everybody counted.
    #[arg(long, requires = "list", value_parser = VocabParser::<GenderColumn>::new())]
    pub gender: Option<GenderColumn>,
    /// Write the funder export instead: one pseudonymised row per participant of the period
    /// and the figures as a summary, as `.xlsx` (two sheets) or `.csv` (the participants, German
    /// Excel dialect), by the file's extension. The file is created readable by its owner only.
    #[arg(long, conflicts_with = "list")]
    pub export: Option<PathBuf>,
}

fn parse_esf_count(s: &str) -> Result<EsfCount, ValueError> {
    EsfCount::parse(s).ok_or_else(|| {
        ValueError(Msg::new(
            format!(
                "„{s}“ ist keine Kennzahl des ESF-Berichts (z. B. EECO02, EECR04, entries, exits)."
            ),
            format!("“{s}” is no figure of the ESF report (e.g. EECO02, EECR04, entries, exits)."),
        ))
    })
}

/// `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Number of cases.
    #[arg(long, default_value_t = 200, value_parser = parse_number::<u32>)]
    pub cases: u32,
    /// Random seed (the same seed and `--today` give the same data).
    #[arg(long, default_value_t = 1, value_parser = parse_number::<u64>)]
    pub seed: u64,
}

/// `backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Target file (must not exist).
    pub file: PathBuf,
}

/// `restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file.
    pub file: PathBuf,
}

/// An example id for messages.
const EXAMPLE_ID: &str = "0190c3f0-0000-7000-8000-000000000001";

/// Parses an id of the domain, saying what kind of id is expected and where to find one.
fn parse_id<T: std::str::FromStr>(
    input: &str,
    (what_de, what_en): (&str, &str),
    (list_de, list_en): (&str, &str),
) -> Result<T, ValueError> {
    input.trim().parse::<T>().map_err(|_| {
        ValueError(Msg::new(
            format!(
                "erwartet wird {what_de}, also die vollständige Id als UUID wie {EXAMPLE_ID} ({list_de})"
            ),
            format!(
                "expected {what_en}, i.e. the full id as a UUID such as {EXAMPLE_ID} ({list_en})"
            ),
        ))
    })
}

/// A letter language as typed: a language's code (`uk`), or `none`/`de` for German only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LetterChoice(pub Option<LetterLanguage>);

/// A clap value parser for [`LetterChoice`].
///
/// # Errors
/// [`ValueError`] naming the allowed codes.
pub fn parse_letter_choice(input: &str) -> Result<LetterChoice, ValueError> {
    let wanted = input.trim();
    if ["none", "de", "keine", "deutsch"]
        .iter()
        .any(|k| k.eq_ignore_ascii_case(wanted))
    {
        return Ok(LetterChoice(None));
    }
    wegbereiter_core::vocab::parse_key::<LetterLanguage>(wanted)
        .map(|l| LetterChoice(Some(l)))
        .map_err(|e| {
            ValueError(Msg::new(
                format!(
                    "unbekannte Sprache {:?}; erlaubt: {}, none",
                    e.value, e.allowed
                ),
                format!(
                    "unknown language {:?}; allowed: {}, none",
                    e.value, e.allowed
                ),
            ))
        })
}

/// A clap value parser for a visit's time of day, `09:00-12:00` (also `9:00–12:00`).
///
/// # Errors
/// [`ValueError`] for another form, or an end not after the start.
pub fn parse_visit_hours(input: &str) -> Result<VisitHours, ValueError> {
    let bad = || {
        ValueError(Msg::new(
            format!("{input:?} ist keine Uhrzeitspanne: erwartet z. B. 09:00-12:00"),
            format!("{input:?} is not a time span: expected e.g. 09:00-12:00"),
        ))
    };
    let (start, end) = input.split_once(['-', '–']).ok_or_else(bad)?;
    let time = |t: &str| chrono::NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| bad());
    let hours = VisitHours {
        start: time(start)?,
        end: time(end)?,
    };
    if hours.end <= hours.start {
        return Err(ValueError(Msg::new(
            format!("{input:?}: das Ende muss nach dem Beginn liegen"),
            format!("{input:?}: the end must come after the start"),
        )));
    }
    Ok(hours)
}

/// A clap value parser for case ids (case numbers).
///
/// # Errors
/// A [`ValueError`] saying that a case number is a UUID and where to find one.
pub fn parse_case_id(input: &str) -> Result<CaseId, ValueError> {
    parse_id(
        input,
        ("eine Fallnummer", "a case number"),
        (
            "siehe `wegbereiter case list`",
            "see `wegbereiter case list`",
        ),
    )
}

/// A clap value parser for group session ids.
///
/// # Errors
/// A [`ValueError`] saying that a session id is a UUID and where to find one.
pub fn parse_session_id(input: &str) -> Result<GroupSessionId, ValueError> {
    parse_id(
        input,
        ("eine Gruppentermin-Id", "a group session id"),
        (
            "siehe `wegbereiter group list`",
            "see `wegbereiter group list`",
        ),
    )
}

/// A clap value parser for whole numbers (counts, minutes, seeds).
///
/// # Errors
/// A [`ValueError`] for anything but digits that fit the type.
pub fn parse_number<T: std::str::FromStr>(input: &str) -> Result<T, ValueError> {
    input.trim().parse::<T>().map_err(|_| {
        ValueError(Msg::new(
            "erwartet wird eine ganze Zahl ohne Vorzeichen, z. B. 20",
            "expected a whole number without sign, e.g. 20",
        ))
    })
}

/// A clap value parser for ratings: a whole number the domain accepts as a [`Scale`] (0–10).
///
/// # Errors
/// A [`ValueError`] for anything else; the range is the domain's ([`Scale::new`]).
pub fn parse_scale(input: &str) -> Result<Scale, ValueError> {
    let number: u8 = parse_number(input)?;
    Scale::new(number).map_err(|e| ValueError(Msg::new(e.message(Lang::De), e.message(Lang::En))))
}

/// A clap value parser for a closed vocabulary of the domain: accepts the key (also with
/// dashes) or a German or English label, case-insensitively, and lists the keys in help and
/// errors.
#[derive(Debug)]
pub struct VocabParser<T>(PhantomData<fn() -> T>);

impl<T> VocabParser<T> {
    /// A parser for `T`.
    #[must_use]
    pub fn new() -> Self {
        Self(PhantomData)
    }
}

impl<T> Clone for VocabParser<T> {
    fn clone(&self) -> Self {
        Self(PhantomData)
    }
}

impl<T> Default for VocabParser<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Labelled + Send + Sync> TypedValueParser for VocabParser<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        let text = value.to_string_lossy();
        T::from_key(&text).ok_or_else(|| {
            let mut err = clap::Error::new(ErrorKind::InvalidValue).with_cmd(cmd);
            if let Some(arg) = arg {
                err.insert(
                    ContextKind::InvalidArg,
                    ContextValue::String(arg.to_string()),
                );
            }
            err.insert(
                ContextKind::InvalidValue,
                ContextValue::String(text.into_owned()),
            );
            err.insert(
                ContextKind::ValidValue,
                ContextValue::Strings(T::ALL.iter().map(|v| v.key().to_owned()).collect()),
            );
            err
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(T::ALL.iter().map(|v| PossibleValue::new(v.key()))))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_argument_definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn vocabularies_accept_keys_and_labels_and_list_the_keys() {
        let cli = Cli::try_parse_from([
            "wegbereiter",
            "outreach",
            "attempt",
            "0190c3f0-0000-7000-8000-000000000001",
            "--channel",
            "Telefon",
            "--outcome",
            "not-met",
        ])
        .unwrap();
        let Cmd::Outreach(OutreachCmd::Attempt {
            channel, outcome, ..
        }) = cli.command
        else {
            panic!("wrong command");
        };
        assert_eq!(channel, ContactChannel::Phone);
        assert_eq!(outcome, AttemptOutcome::NotMet);
        let err = Cli::try_parse_from([
            "wegbereiter",
            "outreach",
            "attempt",
            "0190c3f0-0000-7000-8000-000000000001",
            "--channel",
            "pigeon",
            "--outcome",
            "not_met",
        ])
        .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("sms_email"), "{text}");
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn bad_ids_numbers_and_ratings_say_what_is_expected() {
        let err = Cli::try_parse_from(["wegbereiter", "case", "show", "123"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let text = err.to_string();
        assert!(text.contains("case number"), "{text}");
        assert!(parse_case_id(" ").is_err());
        let id = "0190c3f0-0000-7000-8000-000000000001";
        assert_eq!(parse_case_id(id).unwrap().to_string(), id);
        assert!(parse_number::<u32>("-5").is_err());
        assert_eq!(parse_scale("10").unwrap().value(), 10);
        let refused = parse_scale("11").unwrap_err();
        assert!(refused.0.get(Lang::De).contains("10"), "{refused}");
    }
}
