//! Operations: reminders, the Jobcenter report, verify, backup, restore and demo data.

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use wegbereiter_core::ports::Visibility;
use wegbereiter_core::prelude::*;
use wegbereiter_storage::{Backend, OpenError, ReminderScope, Store};

use crate::app::{App, Settings, Target};
use crate::args::{
    BackupArgs, DemoArgs, EsfReportArgs, RemindersArgs, ReportCmd, RestoreArgs, ServeArgs,
};
use crate::demo;
use crate::error::CliError;
use crate::msg;
use crate::output::tr;
use crate::views::{FeedbackView, ReminderView, feedback_text, reminders_text};

/// `reminders`: the *Wiedervorlagen* due, most urgent first.
///
/// For a person (`--key-worker`, or by default the `--as` person) these are the reminders of
/// the cases they are key worker of, plus those of cases without a key worker yet (referred,
/// in outreach) in their teams. `--all` (or no person at all) lists every reminder.
///
/// # Errors
/// Not found and storage errors.
pub async fn reminders(app: &App, args: &RemindersArgs) -> Result<(), CliError> {
    let person = if args.all {
        None
    } else if let Some(login) = &args.key_worker {
        Some(app.staff_by_login(login).await?)
    } else {
        Some(app.person().await?.clone())
    };
    // Only reminders of cases the signed-in person may know of (core's access policy), found
    // through the trigger indexes: one person's reminders cost the same in any size of database.
    let me = app.person().await?.as_actor();
    if !wegbereiter_core::access::works_on_cases(&me) {
        return Err(CliError::forbidden());
    }
    let scope = match &person {
        None => ReminderScope::All,
        Some(p) => ReminderScope::Person {
            staff: p.id,
            teams: p.teams.clone(),
        },
    };
    let due = app
        .store
        .reminders_for(
            app.today(),
            &app.tz(),
            &app.policy,
            &scope,
            Some(&Visibility::of(&me)),
        )
        .await?;
    let items: Vec<Reminder> = due.iter().map(|d| d.reminder.clone()).collect();
    let dir = app.directory().await?;
    let views: Vec<ReminderView> = due
        .iter()
        .map(|d| ReminderView::build(&d.reminder, Some(d.client_name.clone()), &dir, app.today()))
        .collect();
    app.out()
        .emit(&views, |lang| reminders_text(&items, &views, lang))
}

/// `report jobcenter`.
///
/// # Errors
/// Not found and storage errors.
pub async fn report(app: &App, cmd: ReportCmd) -> Result<(), CliError> {
    let id = match cmd {
        ReportCmd::Jobcenter(args) => match args.kind {
            Some(kind) => return super::jobcenter::run(app, args, kind).await,
            None => args.id,
        },
        ReportCmd::Esf(args) => return esf(app, &args).await,
        ReportCmd::Statistics(args) => {
            return super::statistics::statistics(app, &args).await;
        }
    };
    let case = app.read_case(id, AccessKind::JobcenterFeedback).await?;
    let feedback = jobcenter_feedback(&case, app.now(), &app.tz());
    let dir = app.directory().await?;
    let view = FeedbackView::build(&case, &feedback, &dir);
    app.out()
        .emit(&view, |lang| feedback_text(&case, &feedback, &view, lang))
}

#[derive(Serialize)]
struct VerifyView {
    ok: bool,
    cases_checked: u64,
    events_checked: u64,
    first_broken: Option<BrokenView>,
}

#[derive(Serialize)]
struct BrokenView {
    case_id: CaseId,
    sequence: u64,
    reason: String,
}

/// `verify`: checks every case history's hash chain. A broken chain exits with 6.
///
/// # Errors
/// [`CliError::Unavailable`] for a broken chain; storage errors.
pub async fn verify(app: &App) -> Result<(), CliError> {
    let report = app.store.verify().await?;
    let view = VerifyView {
        ok: report.first_broken.is_none(),
        cases_checked: report.cases_checked,
        events_checked: report.events_checked,
        first_broken: report.first_broken.as_ref().map(|b| BrokenView {
            case_id: b.case_id,
            sequence: b.sequence,
            reason: b.reason.to_string(),
        }),
    };
    app.out().emit(&view, |lang| {
        format!(
            "{} {} {}, {} {}",
            tr(lang, "Geprüft:", "Checked:"),
            view.cases_checked,
            crate::output::cases_word(view.cases_checked, lang),
            view.events_checked,
            tr(lang, "Ereignisse", "events"),
        )
    })?;
    match view.first_broken {
        None => Ok(()),
        Some(b) => {
            let (case, seq, reason) = (b.case_id, b.sequence, b.reason);
            Err(CliError::Unavailable(msg!(
                "Die Historie ist nicht unversehrt: Fall {case}, Ereignis {seq}: {reason}. Bitte die letzte Sicherung prüfen.",
                "The history is not intact: case {case}, event {seq}: {reason}. Please check the latest backup."
            )))
        }
    }
}

#[derive(Serialize)]
struct BackupView {
    file: String,
    bytes: u64,
}

/// `backup FILE`: a consistent copy of the SQLite database.
///
/// # Errors
/// [`CliError::Usage`] if FILE exists or the database is PostgreSQL; storage errors.
pub async fn backup(app: &App, args: &BackupArgs) -> Result<(), CliError> {
    if app.store.backend() == Backend::Postgres {
        return Err(CliError::Usage(msg!(
            "Sicherungen einer PostgreSQL-Datenbank bitte mit pg_dump erstellen (z. B. `pg_dump -Fc -f wegbereiter.dump DATENBANK`).",
            "Back up a PostgreSQL database with pg_dump (e.g. `pg_dump -Fc -f wegbereiter.dump DATABASE`)."
        )));
    }
    if args.file.exists() {
        let shown = args.file.display();
        return Err(CliError::Usage(msg!(
            "{shown} gibt es schon; bitte einen neuen Dateinamen wählen.",
            "{shown} exists; please choose a new file name."
        )));
    }
    // The target's directory must exist and be a directory: a wrong path is the caller's
    // mistake (exit 2), not an unavailable database.
    let dir = match args.file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    if !dir.is_dir() {
        let shown = dir.display();
        return Err(CliError::Usage(msg!(
            "Das Verzeichnis {shown} gibt es nicht; bitte ein vorhandenes Verzeichnis für die Sicherung wählen.",
            "The directory {shown} does not exist; please choose an existing directory for the backup."
        )));
    }
    app.store.backup_to(&args.file).await?;
    let view = BackupView {
        file: args.file.display().to_string(),
        bytes: std::fs::metadata(&args.file).map(|m| m.len()).unwrap_or(0),
    };
    app.out().emit(&view, |lang| {
        format!(
            "{} {} ({} kB)",
            tr(lang, "Gesichert nach", "Backed up to"),
            view.file,
            view.bytes / 1024
        )
    })
}

const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";

fn starts_like_sqlite(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && head == SQLITE_MAGIC
}

#[derive(Serialize)]
struct RestoreView {
    database: String,
    from: String,
    cases: u64,
    staff: usize,
}

/// `restore FILE`: validates the backup, then atomically replaces the SQLite database file.
///
/// # Errors
/// [`CliError::Usage`] for PostgreSQL targets or an unreadable backup file;
/// [`CliError::Unavailable`] if the backup is not an intact Wegbereiter database.
pub async fn restore(settings: &Settings, args: &RestoreArgs) -> Result<(), CliError> {
    let target = Target::resolve(settings.db.as_deref())?;
    let Target::Sqlite(target_path) = &target else {
        return Err(CliError::Usage(msg!(
            "restore ersetzt nur SQLite-Dateien; eine PostgreSQL-Datenbank bitte mit pg_restore wiederherstellen.",
            "restore only replaces SQLite files; restore a PostgreSQL database with pg_restore."
        )));
    };
    let from = &args.file;
    if !from.is_file() {
        let shown = from.display();
        return Err(CliError::Usage(msg!(
            "Die Sicherung {shown} gibt es nicht.",
            "The backup {shown} does not exist."
        )));
    }
    let not_a_backup = || {
        let shown = from.display();
        CliError::Unavailable(msg!(
            "{shown} ist keine Sicherung einer eingerichteten Wegbereiter-Datenbank; nichts wurde ersetzt.",
            "{shown} is not a backup of a set-up Wegbereiter database; nothing was replaced."
        ))
    };
    if !starts_like_sqlite(from) {
        return Err(not_a_backup());
    }
    // Validate a scratch copy, so that opening (and migrating) never touches the backup.
    let scratch = tempfile::tempdir()?;
    let scratch_db = scratch.path().join("check.db");
    std::fs::copy(from, &scratch_db)?;
    let (cases, staff) = {
        let scratch_target = scratch_db.to_string_lossy().into_owned();
        let opened = match Store::open_existing(&scratch_target).await {
            // A copy that still names its installation key (not made by `backup`, which
            // leaves the keys out) is checked with the key file of the database it replaces.
            Err(OpenError::KeyRequired { .. }) => {
                match super::key_path(settings, &target).filter(|p| p.exists()) {
                    Some(path) => {
                        let key = super::keys::load(&path)?;
                        Store::open_with_key(
                            &scratch_target,
                            wegbereiter_storage::OpenMode::Existing,
                            key,
                        )
                        .await
                    }
                    None => Err(OpenError::KeyRequired { id: String::new() }),
                }
            }
            other => other,
        };
        let store = match opened {
            Ok(store) => store,
            Err(e @ OpenError::SchemaTooNew { .. }) => return Err(e.into()),
            Err(OpenError::WrongKey { .. }) => {
                let shown = from.display();
                return Err(CliError::Unavailable(msg!(
                    "{shown} ist mit einem anderen Installationsschlüssel verschlüsselt als diese Datenbank: keine Sicherung dieser Installation, oder vor einem Schlüsselwechsel gemacht (dann mit der alten Schlüsseldatei, --key-file); nichts wurde ersetzt.",
                    "{shown} is encrypted with another installation key than this database: no backup of this installation, or made before a key rotation (then use the old key file, --key-file); nothing was replaced."
                )));
            }
            Err(_) => return Err(not_a_backup()),
        };
        let staff = store.list_staff().await?.len();
        if staff == 0 {
            return Err(not_a_backup());
        }
        let report = store.verify().await?;
        if let Some(b) = report.first_broken {
            let (case, seq) = (b.case_id, b.sequence);
            return Err(CliError::Unavailable(msg!(
                "Die Sicherung ist nicht unversehrt (Fall {case}, Ereignis {seq}); nichts wurde ersetzt.",
                "The backup is not intact (case {case}, event {seq}); nothing was replaced."
            )));
        }
        let cases = store.case_count().await?;
        store.close().await?;
        (cases, staff)
    };
    drop(scratch);
    // Copy next to the target, flush, then rename over it: readers see the old or the new
    // file, never half of one.
    let dir = target_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    // The restored file keeps the mode of the file it replaces (who may read the database is
    // the administrator's choice); a new one is readable by its owner only, as the temporary
    // file is created (0600).
    let kept_mode = std::fs::metadata(target_path).ok().map(|m| m.permissions());
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    {
        let mut source = std::fs::File::open(from)?;
        std::io::copy(&mut source, tmp.as_file_mut())?;
        tmp.as_file_mut().flush()?;
        if let Some(permissions) = kept_mode {
            tmp.as_file().set_permissions(permissions)?;
        }
        tmp.as_file().sync_all()?;
    }
    // A write-ahead log of the old database must not be applied to the restored file.
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut side = target_path.clone().into_os_string();
        side.push(suffix);
        let side = std::path::PathBuf::from(side);
        if side.exists() {
            std::fs::remove_file(&side)?;
        }
    }
    tmp.persist(target_path)
        .map_err(|e| CliError::from(e.error))?;
    let view = RestoreView {
        database: target_path.display().to_string(),
        from: from.display().to_string(),
        cases,
        staff,
    };
    settings.out.emit(&view, |lang| {
        format!(
            "{} {} {} {} ({} {}, {} {})",
            tr(lang, "Wiederhergestellt:", "Restored:"),
            view.database,
            tr(lang, "aus", "from"),
            view.from,
            view.cases,
            crate::output::cases_word(view.cases, lang),
            view.staff,
            tr(lang, "Personen", "staff")
        )
    })
}

/// `demo`: fills an empty database with synthetic data.
///
/// # Errors
/// [`CliError::Conflict`] if the database is not empty; storage errors.
pub async fn demo(app: &App, args: &DemoArgs) -> Result<(), CliError> {
    if !app.store.list_staff().await?.is_empty() || app.store.case_count().await? > 0 {
        return Err(CliError::Conflict(msg!(
            "Die Datenbank ist nicht leer; Demodaten nur in eine neue Datenbank schreiben (z. B. --db demo.db).",
            "The database is not empty; write demo data only into a new database (e.g. --db demo.db)."
        )));
    }
    let summary = demo::write(app, args.cases, args.seed).await?;
    app.out().emit(&summary, |lang| summary.text(lang))
}

/// The filter for the server's log: `--log-level`, else `RUST_LOG`, else
/// [`wegbereiter_web::DEFAULT_LOG_FILTER`].
///
/// # Errors
/// [`CliError::Usage`] for a filter that cannot be read (from either source).
pub fn log_filter(
    option: Option<&str>,
    env: Option<&str>,
) -> Result<tracing_subscriber::EnvFilter, CliError> {
    let (text, source) = match (option, env.filter(|v| !v.trim().is_empty())) {
        (Some(o), _) => (o, "--log-level"),
        (None, Some(e)) => (e, "RUST_LOG"),
        (None, None) => (wegbereiter_web::DEFAULT_LOG_FILTER, "default"),
    };
    tracing_subscriber::EnvFilter::try_new(text.trim()).map_err(|e| {
        CliError::Usage(msg!(
            "{source} ist kein gültiger Log-Filter ({e}); erwartet z. B. info, warn oder info,wegbereiter_web=debug.",
            "{source} is not a valid log filter ({e}); expected e.g. info, warn or info,wegbereiter_web=debug."
        ))
    })
}

/// Installs the server's log: one line per event on stderr, colours only on a terminal.
fn init_logging(option: Option<&str>) -> Result<(), CliError> {
    use std::io::IsTerminal;
    let env = std::env::var("RUST_LOG").ok();
    let filter = log_filter(option, env.as_deref())?;
    // Another subscriber may already be installed (an embedder); then it keeps logging.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
    Ok(())
}

/// `serve`: starts the web frontend; with `--demo` on a fresh temporary database filled by
/// the demo generator.
///
/// # Errors
/// [`CliError::Unavailable`] when the database cannot be opened, [`CliError::Usage`] when
/// the address cannot be bound, storage errors while writing demo data.
pub async fn serve(mut settings: Settings, args: &ServeArgs) -> Result<(), CliError> {
    init_logging(args.log_level.as_deref())?;
    // Keeps the demo database alive until the server stops; removed afterwards.
    let mut demo_dir = None;
    if args.demo {
        let dir = tempfile::tempdir().map_err(|e| {
            CliError::Internal(msg!(
                "Kein temporärer Ordner für die Demodatenbank: {e}",
                "No temporary folder for the demo database: {e}"
            ))
        })?;
        settings.db = Some(dir.path().join("demo.db").display().to_string());
        demo_dir = Some(dir);
    }
    // Only the demo makes a database; a plain `serve` needs one set up before.
    let store = super::open(&settings, args.demo).await?;
    // The zone stored with the installation (the demo's: `--tz` or Europe/Berlin).
    let settings = if args.demo {
        super::set_up_zone(&store, settings).await?
    } else {
        super::in_installation_zone(&store, settings).await?
    };
    let app = App::new(store.clone(), settings);
    if args.demo {
        let summary = demo::write(&app, args.demo_cases, 1).await?;
        eprintln!("{}", summary.text(app.lang()));
    }
    let config = wegbereiter_web::ServeConfig {
        bind: args.bind,
        store,
        policy: app.policy.clone(),
        secure_cookies: args.secure_cookies,
        idle_timeout: chrono::Duration::minutes(i64::from(args.idle_minutes)),
        tz: app.tz(),
        trusted_proxies: args.trusted_proxies.clone(),
    };
    let bind = args.bind;
    let served = wegbereiter_web::serve(config).await;
    // Stopped by Ctrl-C or SIGTERM (or failed): close the database before the demo folder is
    // removed, so that SQLite leaves no `-wal` or `-shm` file behind to be recreated.
    if let Some(dir) = demo_dir.take() {
        let _ = app.store.clone().close().await;
        if let Err(e) = dir.close() {
            eprintln!(
                "{}",
                match app.lang() {
                    Lang::De => format!("Die Demodatenbank konnte nicht entfernt werden: {e}"),
                    Lang::En => format!("Could not remove the demo database: {e}"),
                }
            );
        }
    }
    served.map_err(|e| match e {
        wegbereiter_web::WebError::Bind { .. } => CliError::Usage(msg!(
            "Die Adresse {bind} kann nicht verwendet werden: {e}",
            "Cannot listen on {bind}: {e}"
        )),
        other => CliError::Internal(msg!(
            "Der Webserver wurde mit einem Fehler beendet: {other}",
            "The web server stopped with an error: {other}"
        )),
    })
}

/// `report esf`: the ESF Plus indicators of the participants who entered or left in a period,
/// of every case of the project or of one team (core's `EsfScope`, the web's choice too, so
/// both give the same figures), read from the storage's ESF read model; with `--list`, the
/// pseudonymous participant numbers behind one figure, with the case id where the signed-in
/// person may open the case.
///
/// # Errors
/// [`CliError::Usage`] for a period that ends before it starts, not found for an unknown
/// team, forbidden for someone who may not see the scope's report; storage errors.
async fn esf(app: &App, args: &EsfReportArgs) -> Result<(), CliError> {
    use wegbereiter_core::esf::{self, EsfScope};
    let (from, to) = (args.from, args.to);
    esf::check_period(from, to).map_err(|e| {
        CliError::Usage(crate::error::Msg::new(
            e.message(Lang::De),
            e.message(Lang::En),
        ))
    })?;
    let me = app.person().await?.as_actor();
    let (scope, scope_name) = match &args.team {
        Some(name) => {
            let team = app.team_by_name(name).await?;
            (EsfScope::Team(team.id), Some(team.name.as_str().to_owned()))
        }
        None => (EsfScope::All, None),
    };
    if !wegbereiter_core::access::can_see_esf_report_for(&me, &scope) {
        return Err(CliError::forbidden());
    }
    // The participants of the period from the ESF read model, never a case state.
    let records = app.store.esf_participants(from, to, scope).await?;
    if let Some(count) = args.list {
        let column = args.gender.unwrap_or(esf::GenderColumn::Total);
        let members: Vec<EsfMemberView> = esf::esf_members(&records, from, to, count, column)
            .into_iter()
            .map(|r| EsfMemberView {
                participant_number: r.participant_number(),
                case_id: wegbereiter_core::access::may_open_case_of(&me, r.team, r.key_worker)
                    .then_some(r.case),
            })
            .collect();
        return app.out().emit(&members, |lang| {
            esf_members_text(count, column, from, to, &members, lang)
        });
    }
    let report = esf::esf_report_of_records(&records, from, to);
    if let Some(path) = &args.export {
        return esf_export(app, path, scope, &records, &report).await;
    }
    app.out().emit(&report, |lang| {
        esf_text(&report, scope_name.as_deref(), lang)
    })
}

/// What `report esf --export` wrote.
#[derive(Debug, Serialize)]
struct ExportWritten {
    file: String,
    participants: usize,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    /// Participant numbers that may be the same person (same names and postcode).
    possible_duplicates: Vec<Vec<String>>,
}

/// Writes the funder export of `records` to `path` (`.xlsx` or `.csv`, in German, the
/// granting body's language) and prints what it holds.
async fn esf_export(
    app: &App,
    path: &Path,
    scope: wegbereiter_core::esf::EsfScope,
    records: &[wegbereiter_core::esf::EsfRecord],
    report: &EsfReport,
) -> Result<(), CliError> {
    let export = wegbereiter_core::esf::export::funder_export(records, report, Lang::De);
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let file = path.display().to_string();
    let bytes = match extension.as_deref() {
        Some("xlsx") => wegbereiter_export::funder_xlsx(&export, Lang::De),
        Some("csv") => wegbereiter_export::funder_csv(&export, Lang::De),
        _ => {
            return Err(CliError::Usage(msg!(
                "Die Exportdatei muss auf .xlsx oder .csv enden: {file}",
                "The export file must end in .xlsx or .csv: {file}"
            )));
        }
    }
    .map_err(|e| {
        CliError::Internal(msg!(
            "Der Export konnte nicht geschrieben werden: {e}",
            "The export could not be written: {e}"
        ))
    })?;
    crate::files::write_private(path, &bytes)?;
    let me = app.person().await?;
    app.store
        .audit_record(
            app.stamp(Some(me)),
            wegbereiter_storage::ESF_EXPORTED,
            &wegbereiter_core::esf::export::audit_subject(
                report.from,
                report.to,
                scope,
                extension.as_deref().unwrap_or_default(),
                export.participants.len(),
            ),
        )
        .await?;
    let keys = app
        .store
        .esf_duplicate_keys(&wegbereiter_core::esf::export::exported_cases(
            records,
            report.from,
            report.to,
        ))
        .await?;
    let written = ExportWritten {
        file,
        participants: export.participants.len(),
        from: report.from,
        to: report.to,
        possible_duplicates: wegbereiter_core::esf::export::possible_duplicates(&keys)
            .into_iter()
            .map(|g| {
                g.into_iter()
                    .map(wegbereiter_core::esf::participant_number)
                    .collect()
            })
            .collect(),
    };
    app.out().emit(&written, |lang| {
        let mut text = match lang {
            Lang::En => format!(
                "{} participants exported to {}",
                written.participants, written.file
            ),
            _ => format!(
                "{} Teilnehmende exportiert nach {}",
                written.participants, written.file
            ),
        };
        for group in &written.possible_duplicates {
            text.push('\n');
            text.push_str(tr(
                lang,
                "Achtung, möglicherweise dieselbe Person (gleicher Name, gleiche Postleitzahl): ",
                "Note, possibly the same person (same name and postcode): ",
            ));
            text.push_str(&group.join(", "));
        }
        text
    })
}

/// One participant behind a figure of the ESF report, as `report esf --list` prints it.
#[derive(Debug, Serialize)]
struct EsfMemberView {
    /// Pseudonymous participant number (`TN-ABCDE-F1234`).
    participant_number: String,
    /// The case, if the signed-in person may open it.
    case_id: Option<CaseId>,
}

fn esf_members_text(
    count: wegbereiter_core::esf::EsfCount,
    column: wegbereiter_core::esf::GenderColumn,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    members: &[EsfMemberView],
    lang: Lang,
) -> String {
    let t = |de, en| tr(lang, de, en);
    let name = match count.code() {
        Some(code) => format!("{code} {}", count.label(lang)),
        None => count.label(lang).to_owned(),
    };
    let period = match lang {
        Lang::En => format!("{from} – {to}"),
        _ => format!("{} – {}", from.format("%d.%m.%Y"), to.format("%d.%m.%Y")),
    };
    let mut out = format!(
        "{name}, {period}, {}: {}\n",
        column.label(lang),
        members.len()
    );
    for m in members {
        let case = m.case_id.map_or_else(
            || t("(Fall nicht einsehbar)", "(case not open to you)").to_owned(),
            |id| id.to_string(),
        );
        out.push_str(&format!("{}  {case}\n", m.participant_number));
    }
    out
}

fn esf_text(report: &EsfReport, team: Option<&str>, lang: Lang) -> String {
    let t = |de, en| tr(lang, de, en);
    let mut tb = crate::output::table(&[
        t("Indikator", "Indicator"),
        t("gesamt", "total"),
        t("weiblich", "women"),
        t("männlich", "men"),
        t("divers", "non-binary"),
        t("ohne Angabe", "not recorded"),
    ]);
    for line in report.lines(lang) {
        let indent = if line.detail { "  " } else { "" };
        let label = match line.code {
            Some(code) => format!("{indent}{code} {}", line.label),
            None => format!("{indent}{}", line.label),
        };
        let g = &line.counts;
        tb.add_row(vec![
            label,
            g.total.to_string(),
            g.female.to_string(),
            g.male.to_string(),
            g.non_binary.to_string(),
            g.unknown.to_string(),
        ]);
    }
    let heading = match lang {
        Lang::En => format!("ESF Plus indicators {} – {}", report.from, report.to),
        _ => format!(
            "ESF-Plus-Indikatoren {} – {}",
            report.from.format("%d.%m.%Y"),
            report.to.format("%d.%m.%Y")
        ),
    };
    let scope = match team {
        Some(name) => format!("{}: {name}", t("Team", "Team")),
        None => t(
            "Alle Fälle des Projekts (auch ohne Team)",
            "Every case of the project (also those without a team)",
        )
        .to_owned(),
    };
    let mut evaluator = String::new();
    for (code, de, en) in wegbereiter_core::esf::COLLECTED_BY_EVALUATOR {
        evaluator.push_str(&format!(
            "{code} {}: {}\n",
            t(de, en),
            t("erhebt die Evaluation", "collected by the evaluator")
        ));
    }
    format!("{heading}\n{scope}\n{tb}\n{evaluator}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_filter_comes_from_the_option_then_rust_log_and_bad_ones_are_usage_errors() {
        assert_eq!(
            log_filter(Some("debug"), Some("warn"))
                .map(|f| f.to_string())
                .ok(),
            Some("debug".to_owned())
        );
        assert_eq!(
            log_filter(None, Some("warn")).map(|f| f.to_string()).ok(),
            Some("warn".to_owned())
        );
        assert!(log_filter(None, None).is_ok());
        for bad in ["wegbereiter_web=lautstark", "[{"] {
            let err = log_filter(Some(bad), None).map(|_| ()).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
        }
        assert_eq!(
            log_filter(None, Some("info,sqlx=furchtbar"))
                .map(|_| ())
                .unwrap_err()
                .exit_code(),
            2
        );
    }
}
