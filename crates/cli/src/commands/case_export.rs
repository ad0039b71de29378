//! `case list … --export FILE.csv|.xlsx`: the case list the person may see, as a spreadsheet
//! written by `wegbereiter-export` (the same bytes the web's download gives), audited as
//! `cases.exported`.

use std::path::Path;

use serde::Serialize;
use wegbereiter_core::ports::CaseFilter;
use wegbereiter_core::prelude::*;
use wegbereiter_export::CaseListRow;

use super::statistics::Format;
use crate::app::{App, Directory};
use crate::error::CliError;
use crate::msg;

/// What `case list --export` wrote.
#[derive(Debug, Serialize)]
struct ListWritten {
    file: String,
    cases: usize,
    format: &'static str,
}

/// The rows of `cases` as the export writes them, names from `dir`.
#[must_use]
pub fn rows(cases: &[CaseSummary], dir: &Directory, lang: Lang) -> Vec<CaseListRow> {
    cases
        .iter()
        .map(|s| CaseListRow {
            case_number: s.id.case_number(),
            client_name: s.client_name.clone(),
            date_of_birth: s.date_of_birth,
            status: s.status.label(lang).to_owned(),
            team: s.team.map(|t| dir.team_name(t)).unwrap_or_default(),
            key_worker: s
                .key_worker
                .and_then(|k| dir.staff.get(&k))
                .map(|m| m.display_name.to_string())
                .unwrap_or_default(),
            jobcenter: s.jobcenter.clone(),
            referral_date: s.referral_date,
            planned_end: s.planned_end,
            ended_on: s.ended_on,
        })
        .collect()
}

/// Writes `cases` to `path` as `format` and audits it.
///
/// # Errors
/// I/O and storage errors; [`CliError::Internal`] if the writer fails.
pub async fn write(
    app: &App,
    cases: &[CaseSummary],
    dir: &Directory,
    path: &Path,
    format: Format,
    filter: &CaseFilter,
) -> Result<(), CliError> {
    let lang = app.lang();
    let rows = rows(cases, dir, lang);
    let bytes = match format {
        Format::Xlsx => wegbereiter_export::case_list_xlsx(&rows, lang),
        Format::Csv => wegbereiter_export::case_list_csv(&rows, lang),
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
            wegbereiter_storage::CASES_EXPORTED,
            &wegbereiter_export::case_list_audit_subject(cases.len(), format.key(), filter),
        )
        .await?;
    let written = ListWritten {
        file: path.display().to_string(),
        cases: cases.len(),
        format: format.key(),
    };
    app.out().emit(&written, |lang| match lang {
        Lang::En => format!("{} cases written to {}", written.cases, written.file),
        _ => format!("{} Fälle geschrieben nach {}", written.cases, written.file),
    })
}
