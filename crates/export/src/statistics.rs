//! Core's statistics tables (`statistics::tables`) as a workbook or a CSV file: what a team
//! lead hands to the funder, so always the tables for [`Disclosure::Published`] (small counts
//! as "< 5"); the caller chooses the disclosure, these functions only write.
//!
//! [`Disclosure::Published`]: wegbereiter_core::statistics::Disclosure::Published

use wegbereiter_core::statistics::{Cell, StatTable};
use wegbereiter_core::vocab::Lang;

use crate::ExportError;

/// A sheet name from a table's title: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(title: &str) -> String {
    title
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(31)
        .collect()
}

/// The tables as one workbook, a sheet per table: the title and what it counts above the
/// table, headings bold, counts, shares and days as numbers (a share as a percentage), a
/// withheld count as the text `< 5`.
///
/// # Errors
/// [`ExportError::Xlsx`] if the workbook cannot be written.
pub fn statistics_xlsx(tables: &[StatTable], lang: Lang) -> Result<Vec<u8>, ExportError> {
    let err = |e: rust_xlsxwriter::XlsxError| ExportError::Xlsx(e.to_string());
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let percent = rust_xlsxwriter::Format::new().set_num_format("0.0 %");
    let days = rust_xlsxwriter::Format::new().set_num_format("0.0");
    for table in tables {
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(&table.title)).map_err(err)?;
        sheet
            .write_string_with_format(0, 0, table.title.as_str(), &bold)
            .map_err(err)?;
        sheet
            .write_string(1, 0, table.description.as_str())
            .map_err(err)?;
        let head = 3;
        sheet
            .write_string_with_format(head, 0, table.row_header.as_str(), &bold)
            .map_err(err)?;
        for (c, heading) in (1u16..).zip(&table.columns) {
            sheet
                .write_string_with_format(head, c, heading.as_str(), &bold)
                .map_err(err)?;
        }
        for (r, row) in (head + 1..).zip(&table.rows) {
            let label_format = if row.total {
                &bold
            } else {
                &rust_xlsxwriter::Format::new()
            };
            sheet
                .write_string_with_format(r, 0, row.label.as_str(), label_format)
                .map_err(err)?;
            for (c, cell) in (1u16..).zip(&row.cells) {
                match (cell, cell.number()) {
                    (Cell::Percent { .. }, Some(x)) => {
                        sheet.write_number_with_format(r, c, x / 100.0, &percent)
                    }
                    (Cell::Days { .. }, Some(x)) => sheet.write_number_with_format(r, c, x, &days),
                    (_, Some(x)) => sheet.write_number(r, c, x),
                    (_, None) => sheet.write_string(r, c, cell.text(lang)),
                }
                .map_err(err)?;
            }
        }
        sheet.set_freeze_panes(head + 1, 1).map_err(err)?;
        sheet.autofit();
    }
    book.save_to_buffer().map_err(err)
}

/// The tables one after another in one CSV file in the German Excel dialect (see
/// [`crate::csv`]): for each its title, its headings and rows, then an empty line. Numbers as
/// core writes them in `lang` (German: decimal comma), a withheld count as `< 5`.
///
/// # Errors
/// [`ExportError::Csv`] on a writer failure.
pub fn statistics_csv(tables: &[StatTable], lang: Lang) -> Result<Vec<u8>, ExportError> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (i, table) in tables.iter().enumerate() {
        if i > 0 {
            rows.push(Vec::new());
        }
        rows.push(vec![table.title.clone()]);
        let mut head = vec![table.row_header.clone()];
        head.extend(table.columns.iter().cloned());
        rows.push(head);
        for row in &table.rows {
            let mut line = vec![row.label.clone()];
            line.extend(row.cells.iter().map(|c| c.text(lang)));
            rows.push(line);
        }
    }
    crate::csv_rows(&rows)
}
