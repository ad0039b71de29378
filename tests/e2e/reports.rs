//! `report jobcenter --kind … --output … --send` and `document sent`: a report to the
//! Jobcenter written as PDF/A, recorded as sent, and read back byte for byte after a consent
//! withdrawal, on SQLite and PostgreSQL.

use crate::support::Wb;

#[test]
fn a_sent_report_is_kept_byte_for_byte_on_sqlite() {
    sent_report_story(&Wb::sqlite());
}

#[test]
fn a_sent_report_is_kept_byte_for_byte_on_postgres() {
    if let Some(wb) = Wb::postgres("sent_report") {
        sent_report_story(&wb);
    }
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn sent_report_story(wb: &Wb) {
    wb.set_up();
    let kw = Some("kw");
    let id = wb.referral("Jürgen", "Weißmüller", &[]);
    let enrol = [
        "case",
        "enrol",
        &id,
        "--key-worker",
        "kw",
        "--terms-explained",
        "--consent",
        "written",
    ];
    wb.ok(kw, &enrol);
    let path = |name: &str| wb.sandbox.path().join(name);
    let arg = |name: &str| path(name).to_str().unwrap().to_owned();
    let report = |file: &str| {
        vec![
            "report".to_owned(),
            "jobcenter".to_owned(),
            id.clone(),
            "--kind".to_owned(),
            "entry_confirmation".to_owned(),
            "--output".to_owned(),
            arg(file),
        ]
    };

    // Without the consent: refused by core's filter, nothing written.
    let refused = wb.fails(3, kw, &strs(&report("none.pdf")));
    assert!(
        refused.stderr.contains("Einwilligung"),
        "{}",
        refused.both()
    );
    assert!(!path("none.pdf").exists());
    let consent = [
        "consent",
        "give",
        &id,
        "--purpose",
        "jobcenter_participation",
        "--form",
        "written",
    ];
    wb.ok(kw, &consent);

    // The preview as text, then sent as PDF.
    let preview = wb.ok(
        kw,
        &["report", "jobcenter", &id, "--kind", "entry_confirmation"],
    );
    assert!(
        preview.contains("Teilnahmebestätigung: Jürgen Weißmüller"),
        "{preview}"
    );
    let mut send = report("sent.pdf");
    send.extend(["--send", "--channel", "post"].map(str::to_owned));
    let sent = wb.json(kw, &strs(&send));
    let document = sent["sent"]["document"].as_str().unwrap().to_owned();
    let sha = sent["sha256"].as_str().unwrap().to_owned();
    assert_eq!(sent["sent"]["sha256"], sha.as_str());
    assert_eq!(
        sent["sent"]["recipient"],
        "Jobcenter Beispielstadt, Frau Beispiel"
    );
    let original = std::fs::read(path("sent.pdf")).unwrap();
    assert!(original.starts_with(b"%PDF-"));

    // Listed in the case file and by `document sent`.
    let listed = wb.json(kw, &["document", "sent", &id]);
    assert_eq!(listed["reports"][0]["document"], document.as_str());
    let shown = wb.ok(kw, &["case", "show", &id]);
    assert!(
        shown.contains("Versendete Berichte an das Jobcenter"),
        "{shown}"
    );

    // After the withdrawal the report can no longer be made, the sent one is as it was.
    wb.ok(
        kw,
        &[
            "consent",
            "withdraw",
            &id,
            "--purpose",
            "jobcenter_participation",
        ],
    );
    wb.fails(3, kw, &strs(&report("after.pdf")));
    wb.ok(
        kw,
        &[
            "document",
            "sent",
            &id,
            "--document",
            &document,
            "--output",
            &arg("again.pdf"),
        ],
    );
    assert_eq!(std::fs::read(path("again.pdf")).unwrap(), original);
    // A job coach of another team reads nothing of it.
    let other = wb.run(
        Some("coach"),
        &[
            "document",
            "sent",
            &id,
            "--document",
            &document,
            "--output",
            &arg("other.pdf"),
        ],
    );
    assert!(matches!(other.code, Some(3 | 4)), "{}", other.both());
    assert!(!path("other.pdf").exists());
}
