//! Case lists as files (issue 11 part 6): the rows a reader's case list shows, as CSV in the
//! German Excel dialect ([`case_list_csv`]) and as an XLSX workbook with typed cells
//! ([`case_list_xlsx`]: days are date cells formatted `dd.mm.yyyy`, so a spreadsheet sorts
//! and counts them as dates). The caller lists only cases the reader may know of (core's
//! `CaseService::list_for`, which never lists a restricted case).

use chrono::{Datelike, NaiveDate};
use wegbereiter_core::ports::CaseFilter;
use wegbereiter_core::vocab::Lang;

use crate::{ExportError, csv_rows};

/// One case of a list, with names resolved by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseListRow {
    /// The case number people read ("ABCDE-F1234").
    pub case_number: String,
    /// "Family, Given".
    pub client_name: String,
    /// Date of birth, if known.
    pub date_of_birth: Option<NaiveDate>,
    /// The status, as a label.
    pub status: String,
    /// The team's name.
    pub team: String,
    /// The key worker's name.
    pub key_worker: String,
    /// The referring Jobcenter.
    pub jobcenter: String,
    /// Day of the referral.
    pub referral_date: NaiveDate,
    /// Planned end of the key-worker period.
    pub planned_end: Option<NaiveDate>,
    /// Day the case ended.
    pub ended_on: Option<NaiveDate>,
}

/// The audit subject of a list export: how many cases, the format, which filters were set
/// (never the search text, which may be a name).
#[must_use]
pub fn case_list_audit_subject(n: usize, format: &str, filter: &CaseFilter) -> String {
    let mut set = Vec::new();
    if let Some(s) = filter.status {
        set.push(format!("status={s}"));
    }
    if let Some(t) = filter.team {
        set.push(format!("team={t}"));
    }
    if let Some(k) = filter.key_worker {
        set.push(format!("key_worker={k}"));
    }
    if filter.name_contains.is_some() || filter.born_on.is_some() || filter.case_number.is_some() {
        set.push("search".to_owned());
    }
    format!("{n} cases ({format}) {}", set.join(" "))
        .trim_end()
        .to_owned()
}

/// The headings of a case list in `lang`.
#[must_use]
pub fn case_list_headings(lang: Lang) -> [&'static str; 10] {
    match lang {
        Lang::En => [
            "Case number",
            "Name",
            "Date of birth",
            "Status",
            "Team",
            "Key worker",
            "Jobcenter",
            "Referred on",
            "Planned end",
            "Ended on",
        ],
        _ => [
            "Fallnummer",
            "Name",
            "Geburtsdatum",
            "Status",
            "Team",
            "Bezugsberater*in",
            "Jobcenter",
            "Zuweisung vom",
            "Geplantes Ende",
            "Beendet am",
        ],
    }
}

enum Cell<'a> {
    Text(&'a str),
    Day(Option<NaiveDate>),
}

fn cells(row: &CaseListRow) -> [Cell<'_>; 10] {
    [
        Cell::Text(&row.case_number),
        Cell::Text(&row.client_name),
        Cell::Day(row.date_of_birth),
        Cell::Text(&row.status),
        Cell::Text(&row.team),
        Cell::Text(&row.key_worker),
        Cell::Text(&row.jobcenter),
        Cell::Day(Some(row.referral_date)),
        Cell::Day(row.planned_end),
        Cell::Day(row.ended_on),
    ]
}

/// A case list as CSV (German Excel dialect, formula-safe; days as `dd.mm.yyyy`).
///
/// # Errors
/// [`ExportError::Csv`] if the writer fails.
pub fn case_list_csv(rows: &[CaseListRow], lang: Lang) -> Result<Vec<u8>, ExportError> {
    let mut out = vec![case_list_headings(lang).map(str::to_owned).to_vec()];
    for row in rows {
        out.push(
            cells(row)
                .iter()
                .map(|c| match c {
                    Cell::Text(t) => (*t).to_owned(),
                    Cell::Day(d) => d
                        .map(|d| d.format("%d.%m.%Y").to_string())
                        .unwrap_or_default(),
                })
                .collect(),
        );
    }
    csv_rows(&out)
}

/// A case list as one XLSX sheet: headings bold and frozen, days as date cells, text as
/// string cells (never formulas).
///
/// # Errors
/// [`ExportError::Xlsx`] if the sheet cannot be written.
pub fn case_list_xlsx(rows: &[CaseListRow], lang: Lang) -> Result<Vec<u8>, ExportError> {
    let err = |e: rust_xlsxwriter::XlsxError| ExportError::Xlsx(e.to_string());
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy");
    let sheet = book.add_worksheet();
    sheet
        .set_name(match lang {
            Lang::En => "Cases",
            _ => "Fälle",
        })
        .map_err(err)?;
    for (c, heading) in (0u16..).zip(case_list_headings(lang)) {
        sheet
            .write_string_with_format(0, c, heading, &bold)
            .map_err(err)?;
    }
    for (r, row) in (1u32..).zip(rows) {
        for (c, cell) in (0u16..).zip(cells(row)) {
            match cell {
                Cell::Text(t) => {
                    sheet.write_string(r, c, t).map_err(err)?;
                }
                Cell::Day(Some(d)) => {
                    sheet
                        .write_datetime_with_format(r, c, excel_day(d)?, &date)
                        .map_err(err)?;
                }
                Cell::Day(None) => {}
            }
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(err)?;
    sheet.autofit();
    book.save_to_buffer().map_err(err)
}

fn excel_day(d: NaiveDate) -> Result<rust_xlsxwriter::ExcelDateTime, ExportError> {
    let bad = || ExportError::Xlsx(format!("{d}: a day outside what a workbook holds"));
    let year = u16::try_from(d.year()).map_err(|_| bad())?;
    let (month, day) = (
        u8::try_from(d.month()).map_err(|_| bad())?,
        u8::try_from(d.day()).map_err(|_| bad())?,
    );
    rust_xlsxwriter::ExcelDateTime::from_ymd(year, month, day)
        .map_err(|e| ExportError::Xlsx(e.to_string()))
}
