//! The statistics tables read back by a real spreadsheet reader (calamine) and as CSV:
//! a sheet per table, counts and shares as numbers, a withheld count as the text `< 5`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use wegbereiter_core::esf::EsfScope;
use wegbereiter_core::ids::CaseId;
use wegbereiter_core::statistics::{
    Disclosure, Granularity, StatisticsFacts, StatisticsRecord, statistics, tables,
};
use wegbereiter_core::vocab::Lang;
use wegbereiter_export::{statistics_csv, statistics_xlsx};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Twelve referrals in January (ten enrolled), three in February.
fn published() -> Vec<wegbereiter_core::statistics::StatTable> {
    let records: Vec<StatisticsRecord> = (0..15u128)
        .map(|n| {
            let referred_on = if n < 12 { d(2026, 1, 5) } else { d(2026, 2, 5) };
            StatisticsRecord {
                case: CaseId::from_uuid(uuid::Uuid::from_u128(n + 1)),
                team: None,
                facts: StatisticsFacts {
                    referred_on,
                    first_reached_at: None,
                    declined_on: None,
                    not_reached_on: None,
                    enrolled_on: (n < 10).then(|| referred_on + chrono::Days::new(4)),
                    extensions: Vec::new(),
                    pauses: Vec::new(),
                    exits: Vec::new(),
                    referrals_out: Vec::new(),
                    attendance: Vec::new(),
                },
            }
        })
        .collect();
    let report = statistics(
        &records,
        d(2026, 1, 1),
        d(2026, 2, 28),
        EsfScope::All,
        Granularity::Month,
        &chrono::Utc,
    );
    tables(&report, Disclosure::Published, Lang::De, &|_| {
        "ohne Team".to_owned()
    })
}

#[test]
fn the_workbook_has_a_sheet_per_table_with_numbers_and_withheld_counts() {
    let tables = published();
    let bytes = statistics_xlsx(&tables, Lang::De).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    assert_eq!(names.len(), tables.len());
    assert_eq!(names[0], "Zuweisungen und Erreichung");
    let sheet = book.worksheet_range(&names[0]).unwrap();
    assert_eq!(
        sheet.get_value((0, 0)),
        Some(&Data::String("Zuweisungen und Erreichung".into()))
    );
    // Row 3 holds the headings, then January, February, the total.
    assert_eq!(
        sheet.get_value((3, 1)),
        Some(&Data::String("Zuweisungen".into()))
    );
    assert_eq!(
        sheet.get_value((4, 0)),
        Some(&Data::String("01/2026".into()))
    );
    assert_eq!(
        sheet.get_value((4, 1)),
        Some(&Data::String("x".into())),
        "January's 12 would give February's away"
    );
    assert_eq!(
        sheet.get_value((5, 1)),
        Some(&Data::String("< 5".into())),
        "February's 3 referrals"
    );
    assert_eq!(sheet.get_value((6, 1)), Some(&Data::Float(15.0)));
    // The whole range's enrolment rate: 10 of 15, a share of one.
    let Some(Data::Float(rate)) = sheet.get_value((6, 5)) else {
        panic!("{:?}", sheet.get_value((6, 5)));
    };
    assert!((rate - 10.0 / 15.0).abs() < 1e-9, "{rate}");
}

#[test]
fn the_csv_file_holds_every_table_in_german_excel_dialect() {
    let tables = published();
    let bytes = statistics_csv(&tables, Lang::De).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.starts_with('\u{feff}'));
    let text = text.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(lines[0], "Zuweisungen und Erreichung");
    assert!(
        lines[1].starts_with("Zeitraum;Zuweisungen;erreicht;"),
        "{}",
        lines[1]
    );
    // January's 12 referrals are withheld (they would give February's away), and so are the
    // shares of them, which would give the 12 away.
    assert!(
        lines[2].starts_with("01/2026;x;10;x;10;x;4;"),
        "{}",
        lines[2]
    );
    assert!(lines[3].starts_with("02/2026;< 5;"), "{}", lines[3]);
    for t in &tables {
        assert!(text.contains(&t.title), "{}", t.title);
    }
}
