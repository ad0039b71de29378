//! The Jobcenter CSV import with real-world and malformed files.

use std::fmt::Write as _;

use crate::support::Wb;

const HEADER: &str = "Jobcenter;Fallmanager;Kundennummer;Zuweisungsdatum;Grund;Problembereiche;Rechtsgrundlage;Vorname;Nachname;Geburtsdatum;Geschlecht;Straße;PLZ;Ort;Telefon;E-Mail";

fn row(n: usize) -> String {
    format!(
        "Jobcenter Beispielstadt;Frau Beispiel;999D{n:06};{day:02}.02.2026;Kontakt abgebrochen;Schulden, Wohnen;§16k SGB II;Vorname{n};Musterfrau-{n};01.05.1980;w;Musterweg {house};99{plz:03};Beispielstadt;;",
        day = 1 + n % 28,
        house = 1 + n % 120,
        plz = n % 200,
    )
}

fn write(wb: &Wb, name: &str, bytes: &[u8]) -> String {
    let path = wb.sandbox.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_string_lossy().into_owned()
}

fn csv(rows: &[String]) -> Vec<u8> {
    let mut s = HEADER.to_owned();
    for r in rows {
        s.push_str("\r\n");
        s.push_str(r);
    }
    s.push_str("\r\n");
    s.into_bytes()
}

fn import_story(wb: &Wb) {
    wb.today("2026-03-02");
    wb.set_up();
    let kw = Some("kw");
    let rows: Vec<String> = (1..=5).map(row).collect();
    let file = write(wb, "zuweisungen.csv", &csv(&rows));
    // Dry run: nothing written.
    let dry = wb.json(kw, &["referral", "import", &file, "--dry-run"]);
    assert_eq!(dry["would_import"], 5, "{dry}");
    assert_eq!(
        wb.json(Some("kw"), &["case", "list"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let first = wb.json(
        kw,
        &["referral", "import", &file, "--team", "Phase 1 Team Nord"],
    );
    assert_eq!(first["imported"], 5, "{first}");
    assert_eq!(first["already_imported"], 0);
    // Importing the same file again creates no duplicates.
    let second = wb.json(kw, &["referral", "import", &file]);
    assert_eq!(second["imported"], 0, "{second}");
    assert_eq!(second["already_imported"], 5);
    let cases = wb.json(Some("kw"), &["case", "list", "--team", "Phase 1 Team Nord"]);
    assert_eq!(cases.as_array().unwrap().len(), 5);
    let one = wb.json(
        Some("kw"),
        &["case", "show", cases[0]["id"].as_str().unwrap()],
    );
    assert_eq!(one["referral"]["legal_basis"], "sgb2_16k");
    assert_eq!(
        one["referral"]["problem_areas"],
        serde_json::json!(["debt", "housing"])
    );
    assert_eq!(one["client"]["gender"], "female");
}

#[test]
fn import_is_idempotent_on_sqlite() {
    import_story(&Wb::sqlite());
}

#[test]
fn import_is_idempotent_on_postgres() {
    if let Some(wb) = Wb::postgres("import_is_idempotent_on_postgres") {
        import_story(&wb);
    }
}

#[test]
fn windows_1252_comma_separated_english_headers() {
    let wb = Wb::sqlite();
    wb.set_up();
    let text = "jobcenter,case manager,customer number,referral date,reason,problem areas,legal basis,given name,family name,date of birth\r\n\
                Jobcenter Musterkreis,Herr Muster,123,2026-02-27,support_need,\"debt, illness\",\"§16 SGB II i.V.m. §45 SGB III\",Jörg,Weiß,24.12.1975\r\n";
    let bytes: Vec<u8> = text
        .chars()
        .map(|c| match c {
            'ö' => 0xF6,
            'ß' => 0xDF,
            '§' => 0xA7,
            c => u8::try_from(c).unwrap(),
        })
        .collect();
    assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
    let file = write(&wb, "export-1252.csv", &bytes);
    let out = wb.json(Some("kw"), &["referral", "import", &file]);
    assert_eq!(out["imported"], 1, "{out}");
    assert_eq!(out["encoding"], "windows-1252");
    let list = wb.json(Some("kw"), &["case", "list", "--name", "weiß"]);
    assert_eq!(list[0]["client_name"], "Weiß, Jörg", "{list}");
    let case = wb.json(
        Some("kw"),
        &["case", "show", list[0]["id"].as_str().unwrap()],
    );
    assert_eq!(case["referral"]["legal_basis"], "sgb2_16_sgb3_45");
}

#[test]
fn utf8_with_bom_and_ignored_extra_columns() {
    let wb = Wb::sqlite();
    wb.set_up();
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend(format!("{HEADER};Bemerkung\n{};irgendwas\n", row(1)).into_bytes());
    let file = write(&wb, "bom.csv", &bytes);
    let run = wb.run(Some("kw"), &["referral", "import", &file]);
    assert_eq!(run.code, Some(0), "{}", run.both());
    assert!(
        run.stderr.contains("Bemerkung"),
        "warns about the unknown column: {}",
        run.both()
    );
}

#[test]
fn malformed_files_import_nothing_and_exit_3() {
    let wb = Wb::sqlite();
    wb.set_up();
    let kw = Some("kw");
    // Empty file.
    let empty = write(&wb, "leer.csv", b"");
    let run = wb.fails(3, kw, &["referral", "import", &empty]);
    assert!(run.stderr.contains("leer"), "{}", run.both());
    // Wrong encoding: UTF-16 without BOM, and binary data.
    let utf16: Vec<u8> = String::from_utf8(csv(&[row(1)]))
        .unwrap()
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let file = write(&wb, "utf16.csv", &utf16);
    let run = wb.fails(3, kw, &["referral", "import", &file]);
    assert!(run.stderr.contains("CSV UTF-8"), "{}", run.both());
    let file = write(
        &wb,
        "bild.png",
        &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13],
    );
    wb.fails(3, kw, &["referral", "import", &file]);
    // Missing columns.
    let file = write(&wb, "spalten.csv", b"Vorname;Nachname\nErika;Musterfrau\n");
    let run = wb.fails(3, kw, &["referral", "import", &file]);
    assert!(
        run.stderr.contains("Pflichtspalten") && run.stderr.contains("Zuweisungsdatum"),
        "{}",
        run.both()
    );
    // Bad dates, each reported with row and column; nothing imported.
    let rows = vec![
        row(1),
        row(2).replace("03.02.2026", "31.02.2026"),
        row(3).replace("01.05.1980", "1980/13/01"),
        row(4).replace("05.02.2026", "05.02.26"),
        row(5),
    ];
    let file = write(&wb, "daten.csv", &csv(&rows));
    let run = wb.fails(3, kw, &["referral", "import", &file]);
    for expected in [
        "Zeile 3",
        "Zeile 4",
        "Zeile 5",
        "Spalte Zuweisungsdatum",
        "Spalte Geburtsdatum",
        "Nichts importiert",
    ] {
        assert!(run.stderr.contains(expected), "{expected}: {}", run.both());
    }
    assert_eq!(
        wb.json(Some("kw"), &["case", "list"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let en = wb.run(kw, &["--lang", "en", "referral", "import", &file]);
    assert!(
        en.stderr.contains("row 3") && en.stderr.contains("no such day"),
        "{}",
        en.both()
    );
    // A file that cannot be read at all is a usage error.
    wb.fails(2, kw, &["referral", "import", "gibt-es-nicht.csv"]);

    // --skip-invalid imports the good rows and writes the rejects.
    let out = wb.json(kw, &["referral", "import", &file, "--skip-invalid"]);
    assert_eq!(out["imported"], 2, "{out}");
    assert_eq!(out["invalid"], 3);
    let rejects = std::fs::read_to_string(format!("{file}.rejects.csv")).unwrap();
    let lines: Vec<&str> = rejects.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 4, "{rejects}");
    assert!(
        lines[0].starts_with("Jobcenter;") && lines[0].ends_with(";Fehler"),
        "{rejects}"
    );
    let custom = wb.sandbox.path().join("abgelehnt.csv");
    let out = wb.json(
        kw,
        &[
            "referral",
            "import",
            &file,
            "--skip-invalid",
            "--rejects",
            custom.to_str().unwrap(),
        ],
    );
    assert_eq!(out["already_imported"], 2, "{out}");
    assert!(custom.is_file());
}

#[test]
fn add_and_import_share_the_referral_key_and_the_rules() {
    let wb = Wb::sqlite();
    wb.today("2026-03-02");
    wb.set_up();
    let kw = Some("kw");
    // By hand, with the Jobcenter, customer number and date of the file's first row.
    let by_hand = [
        "referral",
        "add",
        "--jobcenter",
        "Jobcenter Beispielstadt",
        "--case-manager",
        "Frau Beispiel",
        "--customer-number",
        "999D000001",
        "--date",
        "02.02.2026",
        "--reason",
        "contact_lost",
        "--legal-basis",
        "sgb2_16k",
        "--given-name",
        "Vorname1",
        "--family-name",
        "Musterfrau-1",
    ];
    let id = wb.created("kw", &by_hand);
    let twice = wb.fails(5, kw, &by_hand);
    assert!(twice.stderr.contains(&id), "{}", twice.both());

    // Row 4 is the same person as row 3 (name and birth date), with another number.
    let rows = vec![
        row(1),
        row(2),
        row(3).replace("Vorname3;Musterfrau-3", "Vorname2;Musterfrau-2"),
    ];
    let file = write(&wb, "gemischt.csv", &csv(&rows));
    // Who may not enter referrals is refused already in a dry run.
    let admin = wb.fails(
        3,
        Some("admin"),
        &["referral", "import", &file, "--dry-run"],
    );
    assert!(admin.stdout.is_empty(), "{}", admin.both());
    let run = wb.run_json(kw, &["referral", "import", &file]);
    assert_eq!(run.code, Some(0), "{}", run.both());
    let out = run.json().unwrap();
    assert_eq!(out["imported"], 2, "{out}");
    assert_eq!(out["already_imported"], 1, "the hand-entered referral");
    assert_eq!(out["possible_duplicates"], 1, "{out}");
    assert!(
        run.stderr.contains("Zeilen 3, 4 dieser Datei"),
        "{}",
        run.both()
    );
    assert_eq!(
        out["duplicate_persons"][0]["rows"],
        serde_json::json!([3, 4])
    );
    assert_eq!(
        wb.json(Some("kw"), &["case", "list"])
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // The rejects file may not be the imported file itself.
    let bad_rows = vec![row(5), row(6).replace("07.02.2026", "31.02.2026")];
    let bad = write(&wb, "fehler.csv", &csv(&bad_rows));
    let before = std::fs::read(&bad).unwrap();
    wb.fails(
        2,
        kw,
        &[
            "referral",
            "import",
            &bad,
            "--skip-invalid",
            "--rejects",
            &bad,
        ],
    );
    assert_eq!(std::fs::read(&bad).unwrap(), before);
    assert_eq!(
        wb.json(Some("kw"), &["case", "list"])
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn ten_thousand_rows() {
    let wb = Wb::sqlite();
    wb.set_up();
    let rows: Vec<String> = (1..=10_000).map(row).collect();
    let mut text = String::from(HEADER);
    for r in &rows {
        let _ = write!(text, "\n{r}");
    }
    let file = write(&wb, "gross.csv", text.as_bytes());
    let started = std::time::Instant::now();
    let out = wb.json(Some("kw"), &["referral", "import", &file]);
    assert_eq!(out["imported"], 10_000, "{}", out["problems"]);
    eprintln!("10 000 rows imported in {:?}", started.elapsed());
    let again = wb.json(Some("kw"), &["referral", "import", &file, "--dry-run"]);
    assert_eq!(again["already_imported"], 10_000);
    assert_eq!(again["would_import"], 0);
    let listed = wb.json(Some("kw"), &["case", "list", "--limit", "5"]);
    assert_eq!(listed.as_array().unwrap().len(), 5);
}

/// 2 000 rows over 4 people (each name with one birth date), 200 of them already stored: the
/// warnings are one line per person, naming its rows and its stored cases, never one per pair.
fn repeating_names_give_one_line_per_person(wb: &Wb) {
    wb.set_up();
    let kw = Some("kw");
    let people = [
        "Erika;Musterfrau",
        "Max;Mustermann",
        "Lea;Probe",
        "Ali;Beispiel",
    ];
    let rows: Vec<String> = (1..=2_000)
        .map(|n| row(n).replace(&format!("Vorname{n};Musterfrau-{n}"), people[n % 4]))
        .collect();
    let first = write(wb, "erste.csv", &csv(&rows[..200]));
    let stored = wb.run_json(kw, &["referral", "import", &first]);
    assert_eq!(stored.code, Some(0), "{}", stored.both());
    let file = write(wb, "alle.csv", &csv(&rows));
    for dry in [true, false] {
        let mut args = vec!["referral", "import", file.as_str()];
        if dry {
            args.push("--dry-run");
        }
        let run = wb.run_json(kw, &args);
        assert_eq!(run.code, Some(0), "{}", run.both());
        let out = run.json().unwrap();
        let warnings: Vec<&str> = run
            .stderr
            .lines()
            .filter(|l| l.contains("mögliche Dublette"))
            .collect();
        assert_eq!(warnings.len(), 4, "{}", run.stderr);
        let persons = out["duplicate_persons"].as_array().unwrap();
        assert_eq!(persons.len(), 4, "{out}");
        for person in persons {
            assert_eq!(person["rows"].as_array().unwrap().len(), 450);
            assert_eq!(person["cases"].as_array().unwrap().len(), 50);
            assert_eq!(person["how"], "name_and_date_of_birth");
        }
        assert_eq!(out["possible_duplicates"], 1_800, "{out}");
        assert_eq!(out["already_imported"], 200);
        let key = if dry { "would_import" } else { "imported" };
        assert_eq!(out[key], 1_800, "{out}");
        assert!(
            warnings[0].contains("(+440 weitere)") && warnings[0].contains("(+40 weitere)"),
            "{}",
            warnings[0]
        );
    }
}

#[test]
fn repeating_names_give_one_line_per_person_on_sqlite() {
    repeating_names_give_one_line_per_person(&Wb::sqlite());
}

#[test]
fn repeating_names_give_one_line_per_person_on_postgres() {
    if let Some(wb) = Wb::postgres("repeating_names") {
        repeating_names_give_one_line_per_person(&wb);
    }
}

#[test]
fn rejects_files_neutralise_formulas_and_read_back_unchanged() {
    let wb = Wb::sqlite();
    wb.today("2026-03-02");
    wb.set_up();
    let kw = Some("kw");
    let formula = r#"=HYPERLINK("https://example.invalid/x","klick")"#;
    // The second row has a formula as given name and a date that does not exist.
    let bad = row(2)
        .replace("Vorname2", &format!("\"{}\"", formula.replace('"', "\"\"")))
        .replace("03.02.2026", "31.02.2026");
    let file = write(&wb, "formeln.csv", &csv(&[row(1), bad]));
    let rejects = wb.sandbox.path().join("formeln-abgelehnt.csv");
    let out = wb.json(
        kw,
        &[
            "referral",
            "import",
            &file,
            "--skip-invalid",
            "--rejects",
            rejects.to_str().unwrap(),
        ],
    );
    assert_eq!(out["invalid"], 1, "{out}");
    let written = std::fs::read_to_string(&rejects).unwrap();
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(true)
        .from_reader(written.trim_start_matches('\u{feff}').as_bytes());
    let cells: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(cells.len(), 1, "{written}");
    assert_eq!(cells[0][7], format!("'{formula}"), "{written}");
    for cell in cells.iter().flatten() {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{cell:?} in {written}"
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&rejects).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    // Corrected in the rejects file and imported from it, the name is the original value.
    let corrected = written.replace("31.02.2026", "03.02.2026");
    let again = write(&wb, "korrigiert.csv", corrected.as_bytes());
    let out = wb.json(kw, &["referral", "import", &again]);
    assert_eq!(out["imported"], 1, "{out}");
    let cases = wb.json(Some("kw"), &["case", "list"]);
    let names: Vec<String> = cases
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["client_name"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(
        names.iter().any(|n| n.contains(formula)),
        "{names:?}\n{cases}"
    );
}
