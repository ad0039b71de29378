//! `referral add` and `referral import`.

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use wegbereiter_core::prelude::*;
use wegbereiter_core::referral::{DuplicateMatch, duplicate_groups};

use crate::app::App;
use crate::args::{ImportArgs, ReferralAddArgs, ReferralCmd};
use crate::commands::case::report_change;
use crate::commands::setup::{optional_text, required_text};
use crate::dates::show;
use crate::error::CliError;
use crate::import::{self, FileError, Parsed};
use crate::msg;
use crate::output::{Out, tr};

/// Files with more rows than this get a progress bar (on a terminal).
pub const PROGRESS_THRESHOLD: usize = 2_000;

/// `referral …`.
///
/// # Errors
/// Refusals, not found, conflicts, invalid files and storage errors.
pub async fn run(app: &App, cmd: ReferralCmd) -> Result<(), CliError> {
    match cmd {
        ReferralCmd::Add(args) => add(app, *args).await,
        ReferralCmd::Import(args) => import(app, args).await,
    }
}

/// `--team`, or else the acting person's team if they belong to exactly one.
async fn team_or_default(
    app: &App,
    name: Option<&str>,
    actor: &StaffMember,
) -> Result<Option<TeamId>, CliError> {
    match (name, actor.teams.as_slice()) {
        (Some(name), _) => Ok(Some(app.team_by_name(name).await?.id)),
        (None, [only]) => Ok(Some(*only)),
        // A case needs a team (nobody could see it otherwise); the access policy refuses
        // a person without one.
        (None, []) => Ok(None),
        (None, _) => Err(CliError::Usage(msg!(
            "Sie gehören mehreren Teams an: bitte mit --team TEAM angeben, für welches die Zuweisung ist.",
            "You belong to several teams: please say with --team TEAM which one the referral is for."
        ))),
    }
}

fn how_text(how: DuplicateMatch) -> (&'static str, &'static str) {
    match how {
        DuplicateMatch::NameAndDateOfBirth => (
            "gleicher Name und Geburtsdatum",
            "same name and date of birth",
        ),
        DuplicateMatch::NameAndPostcode => {
            ("gleicher Name und Postleitzahl", "same name and postcode")
        }
    }
}

fn warn_duplicates(out: Out, duplicates: &[(CaseSummary, DuplicateMatch)], row: Option<u64>) {
    for (summary, how) in duplicates {
        let (de_how, en_how) = how_text(*how);
        let (id, name) = (summary.id, &summary.client_name);
        let (de_row, en_row) = row.map_or((String::new(), String::new()), |r| {
            (format!("Zeile {r}: "), format!("row {r}: "))
        });
        out.warn(&msg!(
            "{de_row}mögliche Dublette: Fall {id} ({name}, {de_how}). Der neue Fall wird trotzdem angelegt; bitte prüfen.",
            "{en_row}possible duplicate: case {id} ({name}, {en_how}). The new case is created anyway; please check."
        ));
    }
}

async fn add(app: &App, a: ReferralAddArgs) -> Result<(), CliError> {
    let actor = app.actor().await?;
    let address = match (&a.street, &a.postcode, &a.city) {
        (Some(street), Some(postcode), Some(city)) => Some(Address {
            street: required_text(street, "--street")?,
            postcode: Postcode::parse(postcode).map_err(|e| {
                let (de, en) = (e.message(Lang::De), e.message(Lang::En));
                CliError::Usage(msg!("--postcode: {de}", "--postcode: {en}"))
            })?,
            city: required_text(city, "--city")?,
        }),
        _ => None,
    };
    let team = team_or_default(app, a.team.as_deref(), &actor).await?;
    let mut problem_areas = a.problem_areas.clone();
    problem_areas.dedup();
    let referral = Referral {
        jobcenter: required_text(&a.jobcenter, "--jobcenter")?,
        case_manager: required_text(&a.case_manager, "--case-manager")?,
        customer_number: optional_text(a.customer_number.as_deref(), "--customer-number")?,
        referral_date: a.date.unwrap_or(app.today()),
        reason: a.reason,
        problem_areas,
        legal_basis: a.legal_basis,
        client: ClientIdentity {
            given_name: required_text(&a.given_name, "--given-name")?,
            family_name: required_text(&a.family_name, "--family-name")?,
            date_of_birth: a.date_of_birth,
            gender: a.gender,
            address,
            phone: optional_text(a.phone.as_deref(), "--phone")?,
            email: optional_text(a.email.as_deref(), "--email")?,
            letter_language: a.letter_language,
        },
    };
    // The same referral key as the import (Jobcenter + customer number + date, or the
    // client's name and birth date without a number): entering a referral twice, by hand or
    // by hand and by file, never makes two cases.
    let id = import::referral_case_id(&referral);
    if app.store.cases().load(id).await?.is_some() {
        return Err(CliError::Conflict(msg!(
            "Diese Zuweisung ist bereits als Fall {id} erfasst (gleiches Jobcenter, gleiche Kundennummer bzw. gleiche Person, gleiches Datum).",
            "This referral is already recorded as case {id} (same Jobcenter, same customer number or same person, same date)."
        )));
    }
    let duplicates = app
        .store
        .cases()
        .possible_duplicates(&referral.client)
        .await?;
    let done = app
        .service()
        .execute(
            id,
            &Command::Refer { referral, team },
            &actor.as_actor(),
            app.local_now(),
        )
        .await?;
    warn_duplicates(app.out(), &duplicates, None);
    report_change(app, &done, Some(id.to_string())).await
}

#[derive(Debug, Serialize)]
struct RowProblemView {
    row: u64,
    column: Option<&'static str>,
    message: String,
}

#[derive(Debug, Serialize)]
struct ImportView {
    file: String,
    encoding: &'static str,
    separator: String,
    dry_run: bool,
    rows: usize,
    valid: usize,
    invalid: usize,
    imported: usize,
    already_imported: usize,
    would_import: usize,
    possible_duplicates: usize,
    duplicate_persons: Vec<DuplicatePersonView>,
    rejects_file: Option<String>,
    ignored_columns: Vec<String>,
    problems: Vec<RowProblemView>,
    imported_case_ids: Vec<CaseId>,
}

fn problems(parsed: &Parsed, lang: Lang) -> Vec<RowProblemView> {
    parsed
        .invalid()
        .flat_map(|row| {
            row.outcome
                .as_ref()
                .err()
                .into_iter()
                .flatten()
                .map(move |e| RowProblemView {
                    row: row.row,
                    column: e.column.map(|c| c.header()),
                    message: e.message(lang),
                })
        })
        .collect()
}

fn problems_text(problems: &[RowProblemView], lang: Lang) -> String {
    problems
        .iter()
        .map(|p| format!("  {} {}: {}", tr(lang, "Zeile", "row"), p.row, p.message))
        .collect::<Vec<_>>()
        .join("\n")
}

fn file_error(e: &FileError) -> CliError {
    CliError::Invalid(crate::error::Msg::new(
        e.message(Lang::De),
        e.message(Lang::En),
    ))
}

fn progress(rows: usize) -> ProgressBar {
    if rows <= PROGRESS_THRESHOLD {
        return ProgressBar::hidden();
    }
    // `stderr()` hides itself when stderr is not a terminal.
    let bar = ProgressBar::with_draw_target(
        Some(u64::try_from(rows).unwrap_or(u64::MAX)),
        ProgressDrawTarget::stderr(),
    );
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} ETA {eta} {msg}")
    {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// One possible duplicate person of an import: the new rows of the file and the stored
/// cases that may all concern them (one group of [`duplicate_groups`]).
#[derive(Debug, Serialize)]
struct DuplicatePersonView {
    /// The name as the first of them has it.
    name: String,
    /// `name_and_date_of_birth` if any two share name and birth date, else
    /// `name_and_postcode`.
    how: DuplicateMatch,
    /// Rows of the file, ascending.
    rows: Vec<u64>,
    /// Stored cases, by id.
    cases: Vec<CaseId>,
}

impl DuplicatePersonView {
    /// Rows of this person that are flagged: every row if a stored case may be the person,
    /// else every row but the first (which the others repeat).
    fn flagged_rows(&self) -> usize {
        if self.cases.is_empty() {
            self.rows.len().saturating_sub(1)
        } else {
            self.rows.len()
        }
    }

    /// The one warning line for this person.
    fn warning(&self) -> crate::error::Msg {
        /// A list of at most `MAX` items, then how many more.
        fn shortened<T: std::fmt::Display>(items: &[T], more: &str) -> String {
            const MAX: usize = 10;
            let mut text = items
                .iter()
                .take(MAX)
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            if items.len() > MAX {
                text.push_str(&format!(" (+{} {more})", items.len() - MAX));
            }
            text
        }
        let (de_how, en_how) = how_text(self.how);
        let name = &self.name;
        let (de_rows, en_rows) = match self.rows.as_slice() {
            [row] => (format!("Zeile {row}"), format!("row {row}")),
            rows => (
                format!("Zeilen {}", shortened(rows, "weitere")),
                format!("rows {}", shortened(rows, "more")),
            ),
        };
        let (de_cases, en_cases) = match self.cases.as_slice() {
            [] => (String::new(), String::new()),
            [case] => (format!(" und Fall {case}"), format!(" and case {case}")),
            cases => (
                format!(" und Fälle {}", shortened(cases, "weitere")),
                format!(" and cases {}", shortened(cases, "more")),
            ),
        };
        msg!(
            "mögliche Dublette: {name} ({de_how}) in {de_rows} dieser Datei{de_cases}. Alle Fälle werden angelegt; bitte prüfen.",
            "possible duplicate person: {name} ({en_how}) in {en_rows} of this file{en_cases}. All cases are created; please check."
        )
    }
}

/// The possible duplicate persons among the new rows `fresh` of a file and the stored cases:
/// one batched lookup of candidates through the client index, then the domain's grouping
/// ([`duplicate_groups`]), never a comparison of every pair.
async fn duplicate_persons(
    app: &App,
    fresh: &[(u64, &import::ValidRow)],
) -> Result<Vec<DuplicatePersonView>, CliError> {
    let clients: Vec<ClientIdentity> = fresh
        .iter()
        .map(|(_, valid)| valid.referral.client.clone())
        .collect();
    let stored = app.store.cases().duplicate_candidates(&clients).await?;
    let people: Vec<&ClientIdentity> = clients
        .iter()
        .chain(stored.iter().map(|(_, client)| client))
        .collect();
    Ok(duplicate_groups(&people)
        .into_iter()
        .filter_map(|group| {
            let (rows, cases): (Vec<usize>, Vec<usize>) = group
                .members
                .iter()
                .copied()
                .partition(|i| *i < fresh.len());
            let first = *rows.first()?;
            let client = people.get(first)?;
            Some(DuplicatePersonView {
                name: format!("{} {}", client.given_name, client.family_name),
                how: group.how,
                rows: rows
                    .iter()
                    .filter_map(|i| fresh.get(*i))
                    .map(|f| f.0)
                    .collect(),
                cases: cases
                    .iter()
                    .filter_map(|i| stored.get(*i - fresh.len()))
                    .map(|(summary, _)| summary.id)
                    .collect(),
            })
        })
        .collect())
}

async fn import(app: &App, args: ImportArgs) -> Result<(), CliError> {
    let lang = app.lang();
    let actor = app.actor().await?;
    let team = team_or_default(app, args.team.as_deref(), &actor).await?;
    let bytes = std::fs::read(&args.file).map_err(|e| {
        let shown = args.file.display();
        CliError::Usage(msg!(
            "Die Datei {shown} kann nicht gelesen werden: {e}",
            "Cannot read the file {shown}: {e}"
        ))
    })?;
    let parsed = import::parse(&bytes, app.today()).map_err(|e| file_error(&e))?;
    if !parsed.ignored_columns.is_empty() {
        let cols = parsed.ignored_columns.join(", ");
        app.out().warn(&msg!(
            "Unbekannte Spalten werden ignoriert: {cols}",
            "Unknown columns are ignored: {cols}"
        ));
    }
    let invalid = parsed.invalid_count();
    let all_problems = problems(&parsed, lang);
    let mut view = ImportView {
        file: args.file.display().to_string(),
        encoding: parsed.encoding,
        separator: char::from(parsed.separator).to_string(),
        dry_run: args.dry_run,
        rows: parsed.rows.len(),
        valid: parsed.rows.len() - invalid,
        invalid,
        imported: 0,
        already_imported: 0,
        would_import: 0,
        possible_duplicates: 0,
        duplicate_persons: Vec::new(),
        rejects_file: None,
        ignored_columns: parsed.ignored_columns.clone(),
        problems: all_problems,
        imported_case_ids: Vec::new(),
    };
    if invalid > 0 && !args.skip_invalid {
        let (n, total) = (invalid, parsed.rows.len());
        let list = problems_text(&view.problems, Lang::De);
        let list_en = problems_text(&view.problems, Lang::En);
        let text = if args.dry_run {
            msg!(
                "{n} von {total} Zeilen sind ungültig:\n{list}",
                "{n} of {total} rows are invalid:\n{list_en}"
            )
        } else {
            msg!(
                "Nichts importiert: {n} von {total} Zeilen sind ungültig:\n{list}\nBitte korrigieren oder mit --skip-invalid nur die gültigen Zeilen importieren.",
                "Nothing imported: {n} of {total} rows are invalid:\n{list_en}\nPlease correct them, or import only the valid rows with --skip-invalid."
            )
        };
        if app.json() {
            // The report is the document; the exit code still says "invalid".
            app.out().emit(&view, |_| String::new())?;
        }
        return Err(CliError::Invalid(text));
    }
    if args.skip_invalid && invalid > 0 && !args.dry_run {
        let path = args.rejects.clone().unwrap_or_else(|| {
            let mut p = args.file.clone().into_os_string();
            p.push(".rejects.csv");
            PathBuf::from(p)
        });
        let same_file = match (
            std::fs::canonicalize(&path),
            std::fs::canonicalize(&args.file),
        ) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        if same_file {
            let shown = path.display();
            return Err(CliError::Usage(msg!(
                "Die Datei für abgelehnte Zeilen {shown} ist die Importdatei selbst; bitte mit --rejects einen anderen Namen angeben.",
                "The rejects file {shown} is the imported file itself; please name another file with --rejects."
            )));
        }
        import::write_rejects(&parsed, &path, lang).map_err(|e| {
            let shown = path.display();
            CliError::Usage(msg!(
                "Die Datei für abgelehnte Zeilen {shown} kann nicht geschrieben werden: {e}",
                "Cannot write the rejects file {shown}: {e}"
            ))
        })?;
        view.rejects_file = Some(path.display().to_string());
    }
    let bar = progress(view.valid);
    let actor = actor.as_actor();
    let valid: Vec<(u64, &import::ValidRow)> = parsed
        .rows
        .iter()
        .filter_map(|row| row.outcome.as_ref().ok().map(|valid| (row.row, valid)))
        .collect();
    let ids: Vec<CaseId> = valid.iter().map(|(_, v)| v.case_id).collect();
    let existing: HashSet<CaseId> = app
        .store
        .cases()
        .existing_cases(&ids)
        .await?
        .into_iter()
        .collect();
    let fresh: Vec<(u64, &import::ValidRow)> = valid
        .into_iter()
        .filter(|(_, v)| !existing.contains(&v.case_id))
        .collect();
    view.already_imported = ids.len() - fresh.len();
    let openings: Vec<(CaseId, Command)> = fresh
        .iter()
        .map(|(_, valid)| {
            (
                valid.case_id,
                Command::Refer {
                    referral: valid.referral.clone(),
                    team,
                },
            )
        })
        .collect();
    // Every row is decided once, in a dry run too (e.g. who may enter referrals at all);
    // nothing is written until all passed, and the real run writes what was decided here.
    let decided = match app
        .service()
        .decide_openings(&openings, &actor, app.local_now())
    {
        Ok(decided) => decided,
        Err(e) => {
            bar.abandon();
            return Err(e.into());
        }
    };
    bar.set_position(u64::try_from(fresh.len()).unwrap_or(u64::MAX));
    let persons = duplicate_persons(app, &fresh).await?;
    for person in &persons {
        bar.suspend(|| app.out().warn(&person.warning()));
    }
    view.possible_duplicates = persons.iter().map(DuplicatePersonView::flagged_rows).sum();
    view.duplicate_persons = persons;
    if args.dry_run {
        view.would_import = decided.len();
    } else {
        bar.set_message(tr(app.lang(), "speichern …", "saving …"));
        // One transaction: the file lands completely or not at all.
        match app.service().write_openings(&decided).await {
            Ok(created) => {
                view.imported = created.len();
                view.already_imported += decided.len() - created.len();
                view.imported_case_ids = created;
            }
            Err(e) => {
                bar.abandon();
                app.out().warn(&msg!(
                    "Nichts importiert; ein erneuter Aufruf versucht es noch einmal.",
                    "Nothing imported; running it again tries once more."
                ));
                return Err(e.into());
            }
        }
    }
    bar.finish_and_clear();
    let today = app.today();
    app.out().emit(&view, |lang| {
        let t = |de, en| tr(lang, de, en);
        let mut s = format!(
            "{}: {} ({}, {} „{}“)\n",
            t("Datei", "File"),
            view.file,
            view.encoding,
            t("Trennzeichen", "separator"),
            view.separator
        );
        if view.dry_run {
            s.push_str(&format!(
                "{} {}: {} {}, {} {}, {} {}\n",
                t("Probelauf", "Dry run"),
                show(today, lang),
                view.would_import,
                t("würden importiert", "would be imported"),
                view.already_imported,
                t("bereits importiert", "already imported"),
                view.invalid,
                t("ungültig", "invalid"),
            ));
            s.push_str(t("Es wurde nichts gespeichert.", "Nothing was saved."));
        } else {
            s.push_str(&format!(
                "{} {}, {} {}, {} {}",
                view.imported,
                t("neu importiert", "imported"),
                view.already_imported,
                t(
                    "bereits importiert (übersprungen)",
                    "already imported (skipped)"
                ),
                view.invalid,
                t("ungültig", "invalid"),
            ));
        }
        if view.possible_duplicates > 0 {
            s.push_str(&format!(
                "\n{} {} {} {}",
                view.possible_duplicates,
                t("mögliche Dubletten von", "possible duplicates of"),
                view.duplicate_persons.len(),
                t("Personen (siehe Warnungen)", "persons (see warnings)")
            ));
        }
        if !view.problems.is_empty() {
            s.push_str(&format!(
                "\n{}\n{}",
                t("Ungültige Zeilen:", "Invalid rows:"),
                problems_text(&view.problems, lang)
            ));
        }
        if let Some(r) = &view.rejects_file {
            s.push_str(&format!(
                "\n{} {r}",
                t(
                    "Abgelehnte Zeilen geschrieben nach",
                    "Rejected rows written to"
                )
            ));
        }
        s
    })
}
