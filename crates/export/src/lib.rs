//! Files a person takes away from Wegbereiter: tables of text from core written as CSV in the
//! German Excel dialect and as XLSX workbooks. Today the ESF Plus funder export
//! ([`funder_csv`], [`funder_xlsx`]) over core's `esf::export::FunderExport`, and the
//! statistics tables ([`statistics_csv`], [`statistics_xlsx`]) over core's
//! `statistics::tables`, and case lists ([`case_list_csv`], [`case_list_xlsx`], with days as
//! date cells).
//!
//! Its own crate so that the CLI and the web write the same bytes, and so that only they pay
//! for the spreadsheet writer; core stays free of it. The cells are core's text; in a CSV file
//! every cell that a spreadsheet would read as a formula gets a `'` in front (OWASP "CSV
//! injection"), so that even a value that came from a person cannot become a live formula; a
//! workbook writes such a cell as a string cell, which a spreadsheet never evaluates.

mod cases;
mod statistics;

pub use cases::{
    CaseListRow, case_list_audit_subject, case_list_csv, case_list_headings, case_list_xlsx,
};
pub use statistics::{statistics_csv, statistics_xlsx};
use wegbereiter_core::esf::export::FunderExport;
use wegbereiter_core::vocab::Lang;

/// Why a file could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The XLSX writer failed (a sheet too large for Excel, for instance).
    #[error("XLSX: {0}")]
    Xlsx(String),
    /// The CSV writer failed.
    #[error("CSV: {0}")]
    Csv(String),
}

/// One table: a sheet of a workbook, or a CSV file.
#[derive(Debug, Clone, Copy)]
pub struct Table<'a> {
    /// The sheet's name (at most 31 characters, no `[]:*?/\`).
    pub name: &'a str,
    /// The headings, the first row.
    pub headings: &'a [&'a str],
    /// The rows.
    pub rows: &'a [Vec<String>],
}

/// `cell` with a `'` in front if a spreadsheet would read it as a formula.
fn safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell
        .trim_start_matches('\'')
        .starts_with(['=', '+', '-', '@', '\t', '\r'])
    {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// A table as CSV in the dialect German Excel opens by a double click: UTF-8 with a byte
/// order mark, `;` between cells, CRLF line ends, quotes where needed.
///
/// # Errors
/// [`ExportError::Csv`] if the writer fails (it writes to memory, so only on a bug).
pub fn csv(table: &Table<'_>) -> Result<Vec<u8>, ExportError> {
    let mut rows: Vec<Vec<String>> = Vec::with_capacity(table.rows.len() + 1);
    rows.push(table.headings.iter().map(|h| (*h).to_owned()).collect());
    rows.extend(table.rows.iter().cloned());
    csv_rows(&rows)
}

/// Rows of cells as CSV in the German Excel dialect (see [`csv`]); rows may differ in length.
pub(crate) fn csv_rows(rows: &[Vec<String>]) -> Result<Vec<u8>, ExportError> {
    let mut out = Vec::from(&b"\xEF\xBB\xBF"[..]);
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .flexible(true)
            .from_writer(&mut out);
        let err = |e: csv::Error| ExportError::Csv(e.to_string());
        for row in rows {
            w.write_record(
                row.iter()
                    .map(|c| safe(c))
                    .collect::<Vec<_>>()
                    .iter()
                    .map(|c| c.as_ref()),
            )
            .map_err(err)?;
        }
        w.flush().map_err(|e| ExportError::Csv(e.to_string()))?;
    }
    Ok(out)
}

/// Whether a cell is a count or an age, written as a number so that a spreadsheet sums it.
fn number(cell: &str) -> Option<f64> {
    if cell.is_empty() || cell.len() > 9 || (cell.len() > 1 && cell.starts_with('0')) {
        return None;
    }
    cell.parse::<u32>().ok().map(f64::from)
}

/// Tables as the sheets of one XLSX workbook: headings bold and frozen, columns fitted,
/// counts as numbers.
///
/// # Errors
/// [`ExportError::Xlsx`] if a sheet cannot be written (more rows than a sheet holds, a bad
/// sheet name).
pub fn xlsx(tables: &[Table<'_>]) -> Result<Vec<u8>, ExportError> {
    let err = |e: rust_xlsxwriter::XlsxError| ExportError::Xlsx(e.to_string());
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for table in tables {
        let sheet = book.add_worksheet();
        sheet.set_name(table.name).map_err(err)?;
        for (c, heading) in (0u16..).zip(table.headings) {
            sheet
                .write_string_with_format(0, c, *heading, &bold)
                .map_err(err)?;
        }
        for (r, row) in (1u32..).zip(table.rows) {
            for (c, cell) in (0u16..).zip(row) {
                match number(cell) {
                    Some(n) => sheet.write_number(r, c, n).map_err(err)?,
                    // A string cell of a workbook is never a formula: written as it is.
                    None => sheet.write_string(r, c, cell.as_str()).map_err(err)?,
                };
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(err)?;
        sheet.autofit();
    }
    book.save_to_buffer().map_err(err)
}

/// The names of the two sheets of the funder export in `lang`: participants, summary.
#[must_use]
pub fn funder_sheet_names(lang: Lang) -> [&'static str; 2] {
    match lang {
        Lang::De => ["Teilnehmende", "Übersicht"],
        Lang::En => ["Participants", "Summary"],
    }
}

/// The participant table of the funder export as CSV (one row per participant).
///
/// # Errors
/// [`ExportError::Csv`] on a writer failure.
pub fn funder_csv(export: &FunderExport, lang: Lang) -> Result<Vec<u8>, ExportError> {
    csv(&Table {
        name: funder_sheet_names(lang)[0],
        headings: &export.participant_headings,
        rows: &export.participants,
    })
}

/// The funder export as an XLSX workbook: the participants, and the figures as a summary.
///
/// # Errors
/// [`ExportError::Xlsx`] if the workbook cannot be written.
pub fn funder_xlsx(export: &FunderExport, lang: Lang) -> Result<Vec<u8>, ExportError> {
    let [participants, summary] = funder_sheet_names(lang);
    xlsx(&[
        Table {
            name: participants,
            headings: &export.participant_headings,
            rows: &export.participants,
        },
        Table {
            name: summary,
            headings: &export.summary_headings,
            rows: &export.summary,
        },
    ])
}
