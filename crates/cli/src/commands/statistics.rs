//! `report statistics`: core's statistics of a period, as tables in the terminal, as JSON,
//! or written to a spreadsheet for the funder (small counts suppressed).

use std::path::Path;

use serde::Serialize;
use wegbereiter_core::esf::EsfScope;
use wegbereiter_core::prelude::*;
use wegbereiter_core::statistics::{self, Disclosure, StatTable};

use crate::app::App;
use crate::args::StatisticsArgs;
use crate::error::CliError;
use crate::msg;
use crate::output::tr;

/// What `report statistics` prints (also its JSON).
#[derive(Debug, Serialize)]
struct StatisticsView {
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    /// The team, or `None` for the whole project.
    team: Option<String>,
    granularity: statistics::Granularity,
    disclosure: Disclosure,
    tables: Vec<StatTable>,
}

/// What `report statistics --export` wrote.
#[derive(Debug, Serialize)]
struct StatisticsWritten {
    file: String,
    tables: usize,
}

/// `report statistics`.
///
/// # Errors
/// A bad period or team (usage), no right to the scope (forbidden), storage errors, a file
/// that cannot be written.
pub async fn statistics(app: &App, args: &StatisticsArgs) -> Result<(), CliError> {
    let (from, to) = (args.from, args.to);
    statistics::check_request(from, to, args.by).map_err(|e| {
        CliError::Usage(crate::error::Msg::new(
            e.message(Lang::De),
            e.message(Lang::En),
        ))
    })?;
    let (scope, team) = match &args.team {
        Some(name) => {
            let team = app.team_by_name(name).await?;
            (EsfScope::Team(team.id), Some(team.name.as_str().to_owned()))
        }
        None => (EsfScope::All, None),
    };
    let me = app.person().await?.as_actor();
    if !wegbereiter_core::access::can_see_statistics_for(&me, &scope) {
        return Err(CliError::forbidden());
    }
    // The extension is checked before anything is read, so a wrong name costs nothing.
    let format = match &args.export {
        Some(path) => Some(export_format(path)?),
        None => None,
    };
    // The cases active in the period from the statistics read model, never a case state.
    let records = app.store.statistics_records(from, to, scope).await?;
    let report = statistics::statistics(&records, from, to, scope, args.by, &app.tz());
    let dir = app.directory().await?;
    let lang = app.lang();
    let team_name = |t: Option<TeamId>| match t.and_then(|t| dir.teams.get(&t)) {
        Some(team) => team.name.as_str().to_owned(),
        None => tr(lang, "ohne Team", "without a team").to_owned(),
    };
    if let (Some(path), Some(format)) = (&args.export, format) {
        let tables = statistics::tables(&report, Disclosure::Published, lang, &team_name);
        return export(app, path, format, &tables, &report).await;
    }
    let disclosure = if args.published {
        Disclosure::Published
    } else {
        Disclosure::Internal
    };
    let view = StatisticsView {
        from,
        to,
        team,
        granularity: args.by,
        disclosure,
        tables: statistics::tables(&report, disclosure, lang, &team_name),
    };
    app.out().emit(&view, |lang| text(&view, lang))
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Format {
    Xlsx,
    Csv,
}

impl Format {
    pub(crate) fn key(self) -> &'static str {
        match self {
            Self::Xlsx => "xlsx",
            Self::Csv => "csv",
        }
    }
}

/// The export format a file name asks for: `.xlsx` or `.csv`.
pub(crate) fn export_format(path: &Path) -> Result<Format, CliError> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("xlsx") => Ok(Format::Xlsx),
        Some("csv") => Ok(Format::Csv),
        _ => {
            let file = path.display();
            Err(CliError::Usage(msg!(
                "Die Exportdatei muss auf .xlsx oder .csv enden: {file}",
                "The export file must end in .xlsx or .csv: {file}"
            )))
        }
    }
}

async fn export(
    app: &App,
    path: &Path,
    format: Format,
    tables: &[StatTable],
    report: &statistics::StatisticsReport,
) -> Result<(), CliError> {
    let lang = app.lang();
    let bytes = match format {
        Format::Xlsx => wegbereiter_export::statistics_xlsx(tables, lang),
        Format::Csv => wegbereiter_export::statistics_csv(tables, lang),
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
            wegbereiter_storage::STATISTICS_EXPORTED,
            &statistics::audit_subject(
                report.from,
                report.to,
                report.scope,
                report.granularity,
                format.key(),
            ),
        )
        .await?;
    let written = StatisticsWritten {
        file: path.display().to_string(),
        tables: tables.len(),
    };
    app.out().emit(&written, |lang| match lang {
        Lang::En => format!(
            "Statistics written to {} (counts below 5 suppressed)",
            written.file
        ),
        _ => format!(
            "Statistik geschrieben nach {} (Zahlen unter 5 unterdrückt)",
            written.file
        ),
    })
}

fn text(view: &StatisticsView, lang: Lang) -> String {
    let period = match lang {
        Lang::En => format!("{} – {}", view.from, view.to),
        _ => format!(
            "{} – {}",
            view.from.format("%d.%m.%Y"),
            view.to.format("%d.%m.%Y")
        ),
    };
    let whose = view
        .team
        .clone()
        .unwrap_or_else(|| tr(lang, "ganzes Projekt", "whole project").to_owned());
    let mut out = format!(
        "{} {period}, {whose}\n",
        tr(lang, "Statistik", "Statistics")
    );
    if view.disclosure == Disclosure::Published {
        out.push_str(tr(
            lang,
            "Zahlen von 1 bis 4 als „< 5“ (zur Weitergabe).\n",
            "Counts from 1 to 4 as \"< 5\" (for passing on).\n",
        ));
    }
    for table in &view.tables {
        let mut headers: Vec<&str> = vec![table.row_header.as_str()];
        headers.extend(table.columns.iter().map(String::as_str));
        let mut tb = crate::output::table(&headers);
        for row in &table.rows {
            let mut cells = vec![row.label.clone()];
            cells.extend(row.cells.iter().map(|c| c.text(lang)));
            tb.add_row(cells);
        }
        out.push_str(&format!("\n{}\n{tb}\n", table.title));
    }
    out
}
