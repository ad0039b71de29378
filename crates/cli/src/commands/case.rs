//! `case …`: list, show, history and the lifecycle steps (decline, not reached, enrol,
//! extend, ESF entry, team and key-worker changes, close, reopen).

use serde::Serialize;
use wegbereiter_core::Executed;
use wegbereiter_core::case_file::{self, Medium};
use wegbereiter_core::next_steps::next_steps;
use wegbereiter_core::prelude::*;

use crate::app::{App, new_uuid};
use crate::args::{CaseCmd, EnrolArgs, EsfEntryArgs};
use crate::commands::setup::required_text;
use crate::error::CliError;
use crate::output::tr;
use crate::views::{
    CaseView, HistoryEntry, NextStepView, StaffRef, SummaryView, case_text, file_views,
    history_text, next_steps_text, summaries_text,
};

/// What every change prints.
#[derive(Debug, Serialize)]
pub struct ChangeView {
    /// The case.
    pub case_id: CaseId,
    /// Its version after the change.
    pub version: u64,
    /// Its status key after the change.
    pub status: &'static str,
    /// Its phase key.
    pub phase: Option<&'static str>,
    /// The event types written.
    pub events: Vec<&'static str>,
    /// The id of what the change created (goal, consent, referral out, …), if anything.
    pub created_id: Option<String>,
}

/// Prints the result of a change: what was recorded, and the id of anything created.
///
/// # Errors
/// Storage errors while looking up names; output errors.
pub async fn report_change(
    app: &App,
    done: &Executed,
    created_id: Option<String>,
) -> Result<(), CliError> {
    let dir = app.directory().await?;
    let reader = app.person().await?.as_actor();
    let view = ChangeView {
        case_id: done.case.id,
        version: done.case.version,
        status: done.case.status.key(),
        phase: done.case.phase.map(Labelled::key),
        events: done.events.iter().map(|e| e.event.tag()).collect(),
        created_id,
    };
    app.out().emit(&view, |lang| {
        let mut s = String::new();
        for e in &done.events {
            s.push_str(&format!(
                "{} {}\n",
                tr(lang, "Gespeichert:", "Recorded:"),
                case_file::describe(&e.event, &reader, lang, &dir).text()
            ));
        }
        s.push_str(&format!(
            "{} {} – {} ({} {})",
            tr(lang, "Fall", "Case"),
            done.case.id,
            done.case.status.label(lang),
            tr(lang, "Version", "version"),
            done.case.version
        ));
        if let Some(id) = &view.created_id {
            s.push_str(&format!("\n{id}"));
        }
        s
    })
}

/// Runs `command` on case `id` through the one write path and prints the result.
///
/// # Errors
/// As [`App::execute`]; output errors.
pub async fn run_change(
    app: &App,
    id: CaseId,
    command: Command,
    created_id: Option<String>,
) -> Result<(), CliError> {
    let done = app.execute(id, &command).await?;
    report_change(app, &done, created_id).await
}

/// `case …`.
///
/// # Errors
/// Refusals, not found, conflicts and storage errors.
pub async fn run(app: &App, cmd: CaseCmd) -> Result<(), CliError> {
    let today = app.today();
    match cmd {
        CaseCmd::List {
            status,
            key_worker,
            team,
            name,
            limit,
            quiet,
            export,
        } => {
            let filter = ListFilter {
                status,
                key_worker,
                team,
                name,
                limit,
            };
            list(app, filter, quiet, export.as_deref()).await
        }
        CaseCmd::Show { id } => show(app, id).await,
        CaseCmd::History { id } => history(app, id).await,
        CaseCmd::Pause { id, from } => {
            let command = Command::PauseParticipation {
                from: from.unwrap_or(today),
            };
            run_change(app, id, command, None).await
        }
        CaseCmd::Resume { id, on } => {
            let command = Command::ResumeParticipation {
                on: on.unwrap_or(today),
            };
            run_change(app, id, command, None).await
        }
        CaseCmd::Decline { id, on } => {
            run_change(
                app,
                id,
                Command::Decline {
                    on: on.unwrap_or(today),
                },
                None,
            )
            .await
        }
        CaseCmd::NotReached { id, on } => {
            run_change(
                app,
                id,
                Command::MarkNotReached {
                    on: on.unwrap_or(today),
                },
                None,
            )
            .await
        }
        CaseCmd::Enrol(args) => enrol(app, args).await,
        CaseCmd::Extend { id, until, reason } => {
            let reason = required_text(&reason, "--reason")?;
            run_change(app, id, Command::ExtendPeriod { until, reason }, None).await
        }
        CaseCmd::EsfEntry(args) => esf_entry(app, *args).await,
        CaseCmd::LetterLanguage { id, language } => {
            run_change(
                app,
                id,
                Command::ChooseLetterLanguage {
                    language: language.0,
                },
                None,
            )
            .await
        }
        CaseCmd::AssignTeam { id, team } => {
            let team = app.team_by_name(&team).await?;
            run_change(app, id, Command::AssignTeam { team: team.id }, None).await
        }
        CaseCmd::Reassign { id, key_worker } => {
            let to = app.staff_by_login(&key_worker).await?.as_actor();
            run_change(app, id, Command::ReassignKeyWorker { to }, None).await
        }
        CaseCmd::Close {
            id,
            reason,
            on,
            result,
        } => {
            run_change(
                app,
                id,
                Command::Close {
                    on: on.unwrap_or(today),
                    reason,
                    immediate_result: result,
                },
                None,
            )
            .await
        }
        CaseCmd::Reopen { id, on } => {
            run_change(
                app,
                id,
                Command::Reopen {
                    on: on.unwrap_or(today),
                },
                None,
            )
            .await
        }
    }
}

async fn enrol(app: &App, args: EnrolArgs) -> Result<(), CliError> {
    let on = args.on.unwrap_or(app.today());
    let key_worker = app.staff_by_login(&args.key_worker).await?.as_actor();
    let terms = if args.terms_explained {
        ParticipationTerms::EXPLAINED
    } else {
        ParticipationTerms {
            hygiene_rules: false,
            data_protection: false,
        }
    };
    let consent_id = ConsentId::from_uuid(new_uuid());
    let command = Command::Enrol {
        on,
        key_worker,
        terms,
        consent: EnrolmentConsent {
            id: consent_id,
            form: args.consent,
            given_on: on,
        },
    };
    run_change(app, args.id, command, Some(consent_id.to_string())).await
}

async fn esf_entry(app: &App, args: EsfEntryArgs) -> Result<(), CliError> {
    // Not given: suggested from the client's postcode with the installation's table, as the
    // web form suggests it.
    let rural_area = match args.rural_area {
        Some(answer) => Some(answer),
        None => match app.store.rural_postcodes().await? {
            Some(table) => {
                let case = app.read_case(args.id, AccessKind::View).await?;
                table.suggest_for(&case)
            }
            None => None,
        },
    };
    let record = EsfEntryRecord {
        employment_status: args.employment_status,
        long_term_unemployed: args.long_term_unemployed,
        education: args.education,
        disability: args.disability,
        citizenship: args.citizenship,
        foreign_background: args.foreign_background,
        minority: args.minority,
        homeless: args.homeless,
        rural_area,
    };
    run_change(app, args.id, Command::RecordEsfEntry { record }, None).await
}

/// `case list`'s filter as given on the command line.
struct ListFilter {
    status: Option<CaseStatus>,
    key_worker: Option<String>,
    team: Option<String>,
    name: Option<String>,
    limit: Option<usize>,
}

async fn list(
    app: &App,
    filter: ListFilter,
    quiet: bool,
    export: Option<&std::path::Path>,
) -> Result<(), CliError> {
    let format = export.map(super::statistics::export_format).transpose()?;
    let ListFilter {
        status,
        key_worker,
        team,
        name,
        limit,
    } = filter;
    let key_worker = match key_worker {
        Some(login) => Some(app.staff_by_login(&login).await?.id),
        None => None,
    };
    let team = match team {
        Some(name) => Some(app.team_by_name(&name).await?.id),
        None => None,
    };
    // One search text as the web's search field takes it: names in any spelling, a birth
    // date, a case number (core's `CaseFilter::search`).
    let search = name.as_deref().map(CaseFilter::search).unwrap_or_default();
    let filter = CaseFilter {
        status,
        key_worker,
        team,
        limit,
        ..search
    };
    let rows = app.list_cases(&filter).await?;
    let dir = app.directory().await?;
    if let (Some(path), Some(format)) = (export, format) {
        return super::case_export::write(app, &rows, &dir, path, format, &filter).await;
    }
    let views: Vec<SummaryView> = rows.iter().map(|s| SummaryView::build(s, &dir)).collect();
    if quiet {
        let ids: Vec<CaseId> = rows.iter().map(|s| s.id).collect();
        return app.out().emit(&ids, |_| {
            ids.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        });
    }
    app.out()
        .emit(&views, |lang| summaries_text(&rows, &views, lang))
}

async fn show(app: &App, id: CaseId) -> Result<(), CliError> {
    // Checked by the access policy, logged, and only what the viewer may read (R16, R14).
    let case = app.read_case(id, AccessKind::View).await?;
    let dir = app.directory().await?;
    let reader = app.person().await?.as_actor();
    let lang = app.lang();
    let model = case_file::View {
        reader: &reader,
        lang,
        medium: Medium::Screen,
        now: app.local_now(),
    };
    let file = case_file::build_for(&case, &model, &dir).map_err(|e| refused(e, id))?;
    let mut view = CaseView::build(
        &case,
        &dir,
        Some(&reader),
        app.local_now(),
        file_views(&file, app.tz(), lang),
    );
    let today = app.today();
    let next = next_steps(&case, &reader, today, &app.tz(), &app.policy);
    view.next_steps = NextStepView::of(&next.steps, today, lang);
    app.out().emit(&view, |lang| {
        let steps = NextStepView::of(&next.steps, today, lang);
        format!(
            "{}{}",
            next_steps_text(&steps, lang),
            case_text(case.id, &file, app.tz(), lang)
        )
    })
}

/// Core's access refusal as the service would have given it.
pub(crate) fn refused(denied: AccessDenied, id: CaseId) -> CliError {
    match denied {
        AccessDenied::Forbidden(right) => ServiceError::Forbidden(right),
        _ => ServiceError::NotVisible(id),
    }
    .into()
}

async fn history(app: &App, id: CaseId) -> Result<(), CliError> {
    let reader = app.person().await?.as_actor();
    // Checked by the access policy, logged, each event as the reader may read it.
    let events = app
        .service()
        .history_for(id, &reader, &app.store, app.now())
        .await?;
    let dir = app.directory().await?;
    let lang = app.lang();
    let model = case_file::View {
        reader: &reader,
        lang,
        medium: Medium::Screen,
        now: app.local_now(),
    };
    // The timeline names goals and services from the case the history builds.
    let lines: Vec<String> = match Case::replay(&events) {
        Ok(case) => case_file::timeline(&case, &events, &model, &dir)
            .map_err(|e| refused(e, id))?
            .iter()
            .map(case_file::TimelineLine::text)
            .collect(),
        Err(_) => events
            .iter()
            .map(|e| case_file::describe(&e.event, &reader, lang, &dir).text())
            .collect(),
    };
    let entries: Vec<HistoryEntry> = events
        .iter()
        .zip(lines)
        .map(|(e, summary)| HistoryEntry {
            sequence: e.sequence,
            recorded_at: e.recorded_at,
            actor: StaffRef::of(e.actor, &dir),
            kind: e.event.tag(),
            summary,
        })
        .collect();
    app.out()
        .emit(&entries, |lang| history_text(&entries, app.tz(), lang))
}
