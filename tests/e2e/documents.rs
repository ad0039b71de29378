//! `document letter` and `document questionnaire`: the announcement letter and the ESF Plus
//! questionnaire as PDF/A files, read back with poppler's `pdftotext` (required: the test
//! fails without it), on SQLite and PostgreSQL.

use crate::support::{ADMIN_PASSWORD, Wb};

#[test]
fn the_announcement_letter_is_written_as_pdf_on_sqlite() {
    letter_story(&Wb::sqlite());
}

#[test]
fn the_announcement_letter_is_written_as_pdf_on_postgres() {
    if let Some(wb) = Wb::postgres("document_letter") {
        letter_story(&wb);
    }
}

/// The text of a PDF file as `pdftotext` reads it.
fn pdftotext(path: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (Debian package poppler-utils) is needed for this test");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn letter_story(wb: &Wb) {
    wb.set_up();
    let kw = Some("kw");
    let id = wb.referral(
        "Jürgen",
        "#set page(width: 1pt) ]$x$",
        &[
            "--street",
            "Große Straße 5",
            "--postcode",
            "99099",
            "--city",
            "Beispielstadt",
        ],
    );
    let path = |name: &str| wb.sandbox.path().join(name);
    let arg = |name: &str| path(name).to_str().unwrap().to_owned();

    // No letter recorded yet: not found, nothing written.
    wb.fails(
        4,
        kw,
        &["document", "letter", &id, "--output", &arg("none.pdf")],
    );
    assert!(!path("none.pdf").exists());
    wb.ok(
        kw,
        &[
            "outreach",
            "letter",
            &id,
            "--visit-from",
            "09.03.2026",
            "--visit-until",
            "2026-03-11",
        ],
    );

    // Another extension is refused before anything is read or written.
    let bad = wb.fails(
        2,
        kw,
        &["document", "letter", &id, "--output", &arg("brief.txt")],
    );
    assert!(bad.stderr.contains(".pdf"), "{}", bad.both());
    assert!(!path("brief.txt").exists());

    let out = wb.json(
        kw,
        &["document", "letter", &id, "--output", &arg("brief.pdf")],
    );
    assert_eq!(out["letter"], 1, "{out}");
    assert_eq!(out["easy_read"], false, "{out}");
    let bytes = std::fs::read(path("brief.pdf")).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path("brief.pdf"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "readable by its owner only");
    }
    let text = pdftotext(&path("brief.pdf"));
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for want in [
        "Ankündigung eines Hausbesuchs",
        "Guten Tag Jürgen #set page(width: 1pt) ]$x$,",
        "Große Straße 5",
        "99099 Beispielstadt",
        "Die Teilnahme an unserem Angebot ist freiwillig.",
        "Kim Bezug",
        "Mit freundlichen Grüßen",
    ] {
        assert!(flat.contains(want), "{want:?} missing in:\n{text}");
    }

    // In Leichte Sprache, and in English.
    wb.ok(
        kw,
        &[
            "document",
            "letter",
            &id,
            "--easy-read",
            "--output",
            &arg("leicht.pdf"),
        ],
    );
    let text = pdftotext(&path("leicht.pdf"));
    for line in [
        "Das Angebot ist freiwillig.",
        "vom 9. März 2026 bis zum 11. März 2026",
        "Der Text in Leichter Sprache ist nicht rechtlich verbindlich.",
    ] {
        assert!(
            text.lines().any(|l| l.trim() == line),
            "{line:?} in:\n{text}"
        );
    }
    wb.ok(
        kw,
        &[
            "--lang",
            "en",
            "document",
            "letter",
            &id,
            "--output",
            &arg("en.pdf"),
        ],
    );
    assert!(pdftotext(&path("en.pdf")).contains("Taking part in our offer is voluntary."));
    wb.fails(
        4,
        kw,
        &[
            "document",
            "letter",
            &id,
            "--number",
            "2",
            "--output",
            &arg("2.pdf"),
        ],
    );
    assert!(!path("2.pdf").exists());

    // Each command that read the case for a letter is in the access log as an export: the
    // three letters written and the two that found no such letter (the case was read).
    let run = wb.run_stdin(
        Some("admin"),
        &[
            "staff",
            "add",
            "--login",
            "dpo",
            "--name",
            "Dana Datenschutz",
            "--role",
            "data_protection_officer",
            "--password-stdin",
        ],
        &format!("{ADMIN_PASSWORD}\n"),
    );
    assert_eq!(run.code, Some(0), "{}", run.both());
    let export = wb.json(Some("dpo"), &["privacy", "export", &id]);
    let exports = export["cases"][0]["reads"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "export")
        .count();
    assert_eq!(exports, 5, "{export}");
    // Not for a person outside the case's team: as for an unknown case.
    wb.fails(
        4,
        Some("coach"),
        &["document", "letter", &id, "--output", &arg("coach.pdf")],
    );
    assert!(!path("coach.pdf").exists());
}

#[test]
fn the_esf_questionnaire_is_written_as_pdf_on_sqlite() {
    questionnaire_story(&Wb::sqlite());
}

#[test]
fn the_esf_questionnaire_is_written_as_pdf_on_postgres() {
    if let Some(wb) = Wb::postgres("document_questionnaire") {
        questionnaire_story(&wb);
    }
}

/// `document questionnaire`: not for a case never enrolled; for a participant, every entry
/// item as recorded and the exit part still open, in a file only its owner reads.
fn questionnaire_story(wb: &Wb) {
    wb.set_up();
    let kw = Some("kw");
    let id = wb.referral("Jürgen", "Weißmüller", &[]);
    let path = |name: &str| wb.sandbox.path().join(name);
    let arg = |name: &str| path(name).to_str().unwrap().to_owned();

    let refused = wb.fails(
        4,
        kw,
        &["document", "questionnaire", &id, "--output", &arg("q.pdf")],
    );
    assert!(
        refused.stderr.contains("nie eingetreten"),
        "{}",
        refused.both()
    );
    assert!(!path("q.pdf").exists());

    wb.ok(
        kw,
        &[
            "outreach",
            "attempt",
            &id,
            "--channel",
            "phone",
            "--outcome",
            "appointment_made",
        ],
    );
    wb.ok(
        kw,
        &[
            "case",
            "enrol",
            &id,
            "--key-worker",
            "kw",
            "--terms-explained",
            "--consent",
            "written",
        ],
    );
    wb.ok(
        kw,
        &[
            "case",
            "esf-entry",
            &id,
            "--employment-status",
            "unemployed",
            "--long-term-unemployed",
            "--education",
            "isced_3_4",
            "--citizenship",
            "de",
        ],
    );
    let out = wb.json(
        kw,
        &["document", "questionnaire", &id, "--output", &arg("q.pdf")],
    );
    let number = out["participant_number"].as_str().unwrap().to_owned();
    assert!(number.starts_with("TN-"), "{out}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path("q.pdf"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "readable by its owner only");
    }
    let text = pdftotext(&path("q.pdf"));
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for want in [
        "ESF-Plus-Fragebogen der Teilnahme",
        "Jürgen Weißmüller",
        number.as_str(),
        "arbeitslos",
        "ISCED 3–4",
        "noch nicht erfasst",
        "Unterschrift Teilnehmende*r",
    ] {
        assert!(flat.contains(want), "{want:?} missing in:\n{text}");
    }
    // Not for a person outside the case's team: as for an unknown case.
    wb.fails(
        4,
        Some("coach"),
        &[
            "document",
            "questionnaire",
            &id,
            "--output",
            &arg("coach.pdf"),
        ],
    );
    assert!(!path("coach.pdf").exists());
}

#[test]
fn a_bilingual_letter_is_written_on_sqlite() {
    bilingual_story(&Wb::sqlite());
}

#[test]
fn a_bilingual_letter_is_written_on_postgres() {
    if let Some(wb) = Wb::postgres("document_bilingual") {
        bilingual_story(&wb);
    }
}

/// The client's letter language, chosen at referral and changed later, gives a translation
/// page; an unreviewed one is refused (exit 3) unless confirmed; the visit's time of day is in
/// both texts.
fn bilingual_story(wb: &Wb) {
    wb.set_up();
    let kw = Some("kw");
    let id = wb.referral(
        "Oksana",
        "Beispielowa",
        &[
            "--street",
            "Lindenweg 7",
            "--postcode",
            "99099",
            "--city",
            "Beispielstadt",
            "--letter-language",
            "uk",
        ],
    );
    let path = |name: &str| wb.sandbox.path().join(name);
    let arg = |name: &str| path(name).to_str().unwrap().to_owned();
    // A time span that ends before it starts is a usage error.
    wb.fails(
        2,
        kw,
        &[
            "outreach",
            "letter",
            &id,
            "--visit-from",
            "09.03.2026",
            "--visit-until",
            "11.03.2026",
            "--hours",
            "12:00-09:00",
        ],
    );
    wb.ok(
        kw,
        &[
            "outreach",
            "letter",
            &id,
            "--visit-from",
            "09.03.2026",
            "--visit-until",
            "11.03.2026",
            "--hours",
            "09:00-12:00",
        ],
    );
    // Unreviewed Ukrainian: refused, nothing written.
    let refused = wb.fails(
        3,
        kw,
        &["document", "letter", &id, "--output", &arg("uk.pdf")],
    );
    assert!(refused.stderr.contains("Ukrainisch"), "{}", refused.both());
    assert!(!path("uk.pdf").exists());
    let out = wb.json(
        kw,
        &[
            "document",
            "letter",
            &id,
            "--confirm-unreviewed",
            "--output",
            &arg("uk.pdf"),
        ],
    );
    assert_eq!(out["translation"], "uk", "{out}");
    let flat = pdftotext(&path("uk.pdf"))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for want in [
        "jeweils zwischen 09:00 und 12:00 Uhr.",
        "Повідомлення про візит додому",
        "між 09:00 та 12:00",
        "Rechtlich verbindlich ist nur der deutsche Text.",
    ] {
        assert!(flat.contains(want), "{want:?} missing in:\n{flat}");
    }
    // German only on request, without confirmation.
    let out = wb.json(
        kw,
        &[
            "document",
            "letter",
            &id,
            "--translation",
            "none",
            "--output",
            &arg("de.pdf"),
        ],
    );
    assert_eq!(out["translation"], serde_json::Value::Null, "{out}");
    // Changed later to Arabic, shown in the case file; then back to German only.
    wb.ok(kw, &["case", "letter-language", &id, "ar"]);
    let case = wb.json(kw, &["case", "show", &id]);
    assert!(
        case.to_string().contains("Arabisch") || case.to_string().contains("\"ar\""),
        "{case}"
    );
    wb.fails(2, kw, &["case", "letter-language", &id, "xx"]);
    wb.ok(kw, &["case", "letter-language", &id, "none"]);
    let out = wb.json(
        kw,
        &["document", "letter", &id, "--output", &arg("plain.pdf")],
    );
    assert_eq!(out["translation"], serde_json::Value::Null, "{out}");
}

#[test]
fn the_case_summary_is_written_as_pdf_on_sqlite() {
    summary_story(&Wb::sqlite());
}

#[test]
fn the_case_summary_is_written_as_pdf_on_postgres() {
    if let Some(wb) = Wb::postgres("document_summary") {
        summary_story(&wb);
    }
}

/// `document summary`: the case file on paper with its case number and who printed it, in
/// a file only its owner reads; a name that is not a PDF is a usage error, a person outside
/// the case's team learns nothing.
fn summary_story(wb: &Wb) {
    wb.set_up();
    let kw = Some("kw");
    let id = wb.referral("Jürgen", "Weißmüller", &[]);
    let path = |name: &str| wb.sandbox.path().join(name);
    let arg = |name: &str| path(name).to_str().unwrap().to_owned();
    wb.ok(
        kw,
        &[
            "outreach",
            "attempt",
            &id,
            "--channel",
            "phone",
            "--outcome",
            "appointment_made",
        ],
    );
    wb.fails(
        2,
        kw,
        &["document", "summary", &id, "--output", &arg("s.txt")],
    );
    assert!(!path("s.txt").exists());
    let out = wb.json(kw, &["document", "summary", &id, "--output", &arg("s.pdf")]);
    let number = out["case"].as_str().unwrap().to_owned();
    assert!(out["sections"].as_u64().unwrap() >= 2, "{out}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path("s.pdf"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "readable by its owner only");
    }
    let flat = pdftotext(&path("s.pdf"))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for want in ["Fallübersicht", "Weißmüller", number.as_str(), "Kim Bezug"] {
        assert!(flat.contains(want), "{want:?} missing in:\n{flat}");
    }
    wb.fails(
        4,
        Some("coach"),
        &["document", "summary", &id, "--output", &arg("coach.pdf")],
    );
    assert!(!path("coach.pdf").exists());
}
