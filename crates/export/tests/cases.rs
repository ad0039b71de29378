//! Case lists read back by a real spreadsheet reader (calamine) and as CSV: days as date
//! cells (serial numbers a spreadsheet sorts), text never a formula.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use calamine::{Data, DataType, Reader, Xlsx};
use chrono::NaiveDate;
use wegbereiter_core::vocab::Lang;
use wegbereiter_export::{CaseListRow, case_list_csv, case_list_xlsx};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn rows() -> Vec<CaseListRow> {
    vec![CaseListRow {
        case_number: "ABCDE-F1234".into(),
        client_name: "=HYPERLINK(\"x\"), Jürgen".into(),
        date_of_birth: Some(d(1984, 2, 29)),
        status: "in Bezugsberatung".into(),
        team: "Phase 1 Team Nord".into(),
        key_worker: "Kim Bezug".into(),
        jobcenter: "Jobcenter Beispielstadt".into(),
        referral_date: d(2026, 3, 1),
        planned_end: Some(d(2026, 6, 10)),
        ended_on: None,
    }]
}

#[test]
fn a_case_list_workbook_has_date_cells_and_string_cells() {
    let bytes = case_list_xlsx(&rows(), Lang::De).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("Fälle").unwrap();
    assert_eq!(
        sheet.get((0, 0)),
        Some(&Data::String("Fallnummer".to_owned()))
    );
    assert_eq!(
        sheet.get((1, 1)),
        Some(&Data::String("=HYPERLINK(\"x\"), Jürgen".to_owned()))
    );
    let born = sheet.get((1, 2)).unwrap();
    assert!(born.is_datetime(), "{born:?}");
    // 1984-02-29 is serial day 30741 in the 1900 date system.
    let Data::DateTime(serial) = born else {
        panic!("{born:?}")
    };
    assert_eq!(serial.as_f64().round(), 30741.0, "{born:?}");
    assert!(sheet.get((1, 7)).unwrap().is_datetime());
    assert!(matches!(sheet.get((1, 9)), None | Some(Data::Empty)));
}

#[test]
fn a_case_list_csv_is_the_german_excel_dialect_and_formula_safe() {
    let bytes = case_list_csv(&rows(), Lang::De).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut lines = text.split("\r\n");
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("Fallnummer;Name;Geburtsdatum;")
    );
    let row = lines.next().unwrap();
    assert!(
        row.starts_with("ABCDE-F1234;\"'=HYPERLINK(\"\"x\"\"), Jürgen\";29.02.1984;"),
        "{row}"
    );
    assert!(row.contains(";01.03.2026;10.06.2026;"), "{row}");
}
