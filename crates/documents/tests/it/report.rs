//! A report to the Jobcenter as PDF: the exact German text, embedded fonts, the same bytes
//! for the same report, hostile names printed literally.

use chrono::{TimeZone, Utc};
use wegbereiter_core::letter::Sender;
use wegbereiter_core::prelude::*;
use wegbereiter_core::report::{ReportContext, report_document};
use wegbereiter_documents::jobcenter_report as pdf;

use super::letter::fixture;
use super::poppler;

fn report_pdf(case: &Case) -> Vec<u8> {
    let at = Utc.with_ymd_and_hms(2026, 12, 14, 9, 0, 0).unwrap();
    let report = jobcenter_report(case, ReportKind::OutreachResult, at, &Utc).unwrap();
    let signer = fixture::signer();
    let sender = Sender::default();
    let ctx = ReportContext {
        sender: &sender,
        signer: &signer,
        key_worker: None,
        date: fixture::d(2026, 12, 14),
        lang: Lang::De,
    };
    pdf(&report_document(case, &report, &ctx)).unwrap()
}

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_outreach_result_prints_its_german_text_and_embeds_its_fonts() {
    let case = fixture::case("Jürgen", "Weißmüller", "Straße der Einheit 7");
    let bytes = report_pdf(&case);
    assert!(bytes.starts_with(b"%PDF-"));
    let text = flat(&poppler::text(&bytes));
    for expected in [
        "Rückmeldung zur aufsuchenden Phase: Jürgen Weißmüller",
        "Jobcenter Beispielstadt",
        "Fallmanager Probe",
        "Geburtsdatum",
        "29.02.1984",
        "Aufsuchende Phase",
        "Erreicht",
        "nein",
        "Kontaktversuche",
        "noch offen",
        "Er wurde ihr vor dem Versand gezeigt.",
        "Jana Bezugsberaterin",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let fonts = poppler::fonts(&bytes);
    assert!(!fonts.is_empty());
    assert!(fonts.iter().all(|(_, embedded)| *embedded), "{fonts:?}");
    // The same report gives the same bytes: what a recorded hash relies on.
    assert_eq!(bytes, report_pdf(&case));
}

#[test]
fn hostile_names_print_literally_in_a_report() {
    let case = fixture::case("#set page(width: 1pt)", "]$x$", "Weg 1");
    let text = flat(&poppler::text(&report_pdf(&case)));
    assert!(text.contains("#set page(width: 1pt) ]$x$"), "{text}");
}
