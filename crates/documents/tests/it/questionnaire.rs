//! The ESF Plus questionnaire as PDF: every item with the answer recorded, the signature
//! lines, embedded fonts, the same bytes for the same day, hostile names printed literally.

use wegbereiter_core::esf::questionnaire_document;
use wegbereiter_core::letter::Sender;
use wegbereiter_core::prelude::*;
use wegbereiter_documents::esf_questionnaire as pdf;

use super::letter::fixture;
use super::poppler;

fn questionnaire_pdf(case: &Case, lang: Lang) -> Vec<u8> {
    let doc = questionnaire_document(case, &Sender::default(), fixture::d(2026, 12, 15), lang)
        .expect("a participant has a questionnaire");
    pdf(&doc).unwrap()
}

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_questionnaire_prints_every_answer_and_the_signature_lines() {
    let case = fixture::participant("Jürgen", "Weißmüller");
    let bytes = questionnaire_pdf(&case, Lang::De);
    assert!(bytes.starts_with(b"%PDF-"));
    // With the layout kept, each row's question and answer share a line.
    let text = flat(&poppler::run(
        "pdftotext",
        &["-layout", "-enc", "UTF-8"],
        &bytes,
    ));
    for expected in [
        "ESF-Plus-Fragebogen der Teilnahme",
        "Wegbereiter – Projekt Beispielstadt",
        "Jürgen Weißmüller",
        &format!("TN-{}", case.id.case_number()),
        "Eintritt",
        "Eintrittsdatum 14.12.2026",
        "Geschlecht weiblich",
        "Altersgruppe",
        "Drittstaatsangehörige*r (EECO13) ja",
        "Behinderung (EECO12) keine Angabe",
        "Austritt",
        "Austrittsdatum noch nicht erfasst",
        "„keine Angabe“",
        "Unterschrift Teilnehmende*r",
        "Unterschrift Fachkraft",
        "Gedruckt am 15.12.2026",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let fonts = poppler::fonts(&bytes);
    assert!(!fonts.is_empty());
    assert!(fonts.iter().all(|(_, embedded)| *embedded), "{fonts:?}");
    assert_eq!(
        bytes,
        questionnaire_pdf(&case, Lang::De),
        "same day, same bytes"
    );
}

#[test]
fn the_english_questionnaire_is_english() {
    let case = fixture::participant("Olena", "Коваленко");
    let text = flat(&poppler::text(&questionnaire_pdf(&case, Lang::En)));
    for expected in [
        "ESF Plus participant questionnaire",
        "Olena Коваленко",
        "Entry",
        "Exit",
        "Signature of the participant",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn a_case_never_enrolled_has_no_questionnaire() {
    let case = fixture::case("Jürgen", "Weißmüller", "Weg 1");
    let doc = questionnaire_document(
        &case,
        &Sender::default(),
        fixture::d(2026, 12, 15),
        Lang::De,
    );
    assert!(doc.is_none());
}

#[test]
fn hostile_names_print_literally_in_a_questionnaire() {
    let case = fixture::participant("#set page(width: 1pt)", "]$x$");
    let text = flat(&poppler::text(&questionnaire_pdf(&case, Lang::De)));
    assert!(text.contains("#set page(width: 1pt) ]$x$"), "{text}");
}
