//! The funder export read back by a real spreadsheet reader (calamine) and a CSV reader:
//! what core's `funder_export` holds arrives cell by cell, counts as numbers, no name, no
//! formula.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use wegbereiter_core::closure::{
    Citizenship, Closure, EmploymentStatus, EsfEntryRecord, ExitReason, ImmediateResult, IscedBand,
};
use wegbereiter_core::esf::export::{PARTICIPANT_COLUMNS, funder_export};
use wegbereiter_core::esf::{EsfParticipant, EsfRecord, esf_report_of_records};
use wegbereiter_core::ids::CaseId;
use wegbereiter_core::referral::Gender;
use wegbereiter_core::vocab::Lang;
use wegbereiter_export::{Table, csv, funder_csv, funder_xlsx};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn records() -> Vec<EsfRecord> {
    let entry = EsfEntryRecord {
        employment_status: EmploymentStatus::Unemployed,
        long_term_unemployed: true,
        education: IscedBand::Isced0To2,
        disability: None,
        citizenship: Citizenship::ThirdCountry,
        foreign_background: Some(true),
        minority: None,
        homeless: false,
        rural_area: None,
    };
    let p = |n: u128, gender, born, entered, entry, closure| EsfRecord {
        case: CaseId::from_uuid(uuid::Uuid::from_u128(n)),
        team: None,
        key_worker: None,
        participant: EsfParticipant {
            gender,
            date_of_birth: born,
            entered_on: entered,
            entry,
            closure,
        },
    };
    vec![
        p(
            1,
            Some(Gender::Female),
            Some(d(2000, 5, 1)),
            d(2026, 2, 1),
            Some(entry),
            None,
        ),
        p(
            2,
            None,
            None,
            d(2025, 6, 1),
            None,
            Some(Closure {
                closed_on: d(2026, 3, 31),
                reason: ExitReason::RegularEnd,
                immediate_result: Some(ImmediateResult::Employed),
            }),
        ),
        // Entered and left before the period: not in the export.
        p(
            3,
            Some(Gender::Male),
            None,
            d(2025, 1, 1),
            None,
            Some(Closure {
                closed_on: d(2025, 6, 1),
                reason: ExitReason::Health,
                immediate_result: None,
            }),
        ),
    ]
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

#[test]
fn the_workbook_holds_every_participant_and_every_figure() {
    let records = records();
    let report = esf_report_of_records(&records, d(2026, 1, 1), d(2026, 12, 31));
    let export = funder_export(&records, &report, Lang::De);
    assert_eq!(export.participants.len(), 2, "only those of the period");
    let bytes = funder_xlsx(&export, Lang::De).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["Teilnehmende", "Übersicht"]);
    let sheet = book.worksheet_range("Teilnehmende").unwrap();
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(text).collect()).collect();
    assert_eq!(rows[0].len(), PARTICIPANT_COLUMNS.len());
    assert_eq!(rows[0][0], "Teilnehmendennummer");
    assert_eq!(&rows[1..], &export.participants[..]);
    assert_eq!(rows[1][0], "TN-00000-00001");
    assert_eq!(
        rows[1][3], "25",
        "the age on the day of entry, no birth date"
    );
    assert!(
        !rows.iter().flatten().any(|c| c.contains("2000")),
        "{rows:?}"
    );
    // The age is a number a spreadsheet can sum.
    let age = sheet.get((1, 3)).unwrap();
    assert!(matches!(age, Data::Float(_) | Data::Int(_)), "{age:?}");
    let summary = book.worksheet_range("Übersicht").unwrap();
    let lines: Vec<Vec<String>> = summary
        .rows()
        .map(|r| r.iter().map(text).collect())
        .collect();
    assert_eq!(lines.len(), report.lines(Lang::De).len() + 1);
    let entries = lines.iter().find(|l| l[1] == "Eintritte").unwrap();
    assert_eq!(entries[2], "1");
    let employed = lines.iter().find(|l| l[0] == "EECR04").unwrap();
    assert_eq!(employed[2], "1");
    assert_eq!(employed[6], "1", "gender not recorded");
}

#[test]
fn the_csv_is_the_german_excel_dialect_and_reads_back() {
    let records = records();
    let report = esf_report_of_records(&records, d(2026, 1, 1), d(2026, 12, 31));
    let export = funder_export(&records, &report, Lang::De);
    let bytes = funder_csv(&export, Lang::De).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(
        text.starts_with("Teilnehmendennummer;Eintrittsdatum;"),
        "{text}"
    );
    assert!(text.contains("\r\n"));
    assert!(text.contains("01.02.2026"), "German dates: {text}");
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[3..]);
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(rows, export.participants);
}

#[test]
fn no_cell_becomes_a_formula() {
    let rows = vec![vec![
        "=HYPERLINK(\"x\")".to_owned(),
        "-1".to_owned(),
        "12".to_owned(),
    ]];
    let table = Table {
        name: "T",
        headings: &["a", "b", "c"],
        rows: &rows,
    };
    let text = String::from_utf8(csv(&table).unwrap()).unwrap();
    assert!(text.contains("'=HYPERLINK"), "{text}");
    assert!(text.contains("'-1"), "{text}");
    let bytes = wegbereiter_export::xlsx(&[table]).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("T").unwrap();
    assert_eq!(
        sheet.get((1, 0)),
        Some(&Data::String("=HYPERLINK(\"x\")".to_owned())),
        "a string cell, kept as it is"
    );
    let formulas = book.worksheet_formula("T").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no formula in the workbook"
    );
}
