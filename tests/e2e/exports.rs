//! `case list --export`: the case list the person may see as CSV (German Excel dialect) and
//! XLSX, on SQLite.

use crate::support::Wb;

#[test]
fn the_case_list_is_exported_as_csv_and_xlsx() {
    let wb = Wb::sqlite();
    wb.set_up();
    let kw = Some("kw");
    let id = wb.referral("Jürgen", "=Weißmüller", &[]);
    let number = wb.json(kw, &["case", "show", &id])["case_number"]
        .as_str()
        .map(str::to_owned);
    let path = |name: &str| wb.sandbox.path().join(name);
    let arg = |name: &str| path(name).to_str().unwrap().to_owned();
    let written = wb.json(kw, &["case", "list", "--export", &arg("faelle.csv")]);
    assert_eq!(written["cases"], 1);
    let csv = std::fs::read(path("faelle.csv")).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM");
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(text.starts_with("Fallnummer;Name;Geburtsdatum;"), "{text}");
    assert!(
        text.contains("'=Weißmüller, Jürgen"),
        "formula-safe: {text}"
    );
    if let Some(number) = number {
        assert!(text.contains(&number), "{text}");
    }
    wb.ok(kw, &["case", "list", "--export", &arg("faelle.xlsx")]);
    assert!(
        std::fs::read(path("faelle.xlsx"))
            .unwrap()
            .starts_with(b"PK")
    );
    // Another ending is refused before anything is written.
    wb.fails(2, kw, &["case", "list", "--export", &arg("faelle.txt")]);
    assert!(!path("faelle.txt").exists());
}
