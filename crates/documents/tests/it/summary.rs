//! The case summary as PDF: the case file on paper, its sections and facts, the
//! confidentiality note, hostile names printed literally.

use chrono::TimeZone;
use uuid::Uuid;
use wegbereiter_core::case_file::{self, Medium, Names, View, summary_document};
use wegbereiter_core::letter::Sender;
use wegbereiter_core::prelude::*;
use wegbereiter_documents::case_summary as pdf;

use super::letter::fixture;
use super::poppler;

struct Directory;

impl Names for Directory {
    fn staff(&self, _: StaffId) -> Option<String> {
        Some("Jana Bezugsberaterin".into())
    }
    fn team(&self, _: TeamId) -> Option<String> {
        None
    }
    fn service(&self, _: ServiceId) -> Option<String> {
        None
    }
}

fn summary_pdf(case: &Case, lang: Lang) -> Vec<u8> {
    let reader = Actor {
        id: StaffId::from_uuid(Uuid::from_u128(1)),
        roles: vec![Role::KeyWorker],
        teams: Vec::new(),
        active: true,
    };
    let now = chrono::Utc
        .with_ymd_and_hms(2026, 12, 15, 10, 0, 0)
        .unwrap()
        .fixed_offset();
    let file = case_file::build_for(
        case,
        &View {
            reader: &reader,
            lang,
            medium: Medium::Paper,
            now,
        },
        &Directory,
    )
    .unwrap();
    let doc = summary_document(
        &file,
        &case.id.case_number(),
        &Sender::default(),
        fixture::d(2026, 12, 15),
        "Jana Bezugsberaterin",
        lang,
        &|at| at.format("%d.%m.%Y %H:%M").to_string(),
    );
    pdf(&doc).unwrap()
}

/// The text with the layout kept (a table row's label and value on one line), flattened.
fn text_of(bytes: &[u8]) -> String {
    poppler::run("pdftotext", &["-layout", "-enc", "UTF-8"], bytes)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_summary_prints_the_case_file_on_paper() {
    let case = fixture::participant("Jürgen", "Weißmüller");
    let bytes = summary_pdf(&case, Lang::De);
    assert!(bytes.starts_with(b"%PDF-"));
    let text = text_of(&bytes);
    for expected in [
        "Fallübersicht: Weißmüller, Jürgen",
        "Wegbereiter – Projekt Beispielstadt",
        &case.id.case_number(),
        "Gedruckt am 15.12.2026",
        "Gedruckt von Jana Bezugsberaterin",
        "Vertraulich: Sozialdaten",
        "Zuweisung",
    ] {
        assert!(text.contains(expected), "{expected:?} missing in:\n{text}");
    }
    for (font, embedded) in poppler::fonts(&bytes) {
        assert!(embedded, "{font}");
    }
    let english = text_of(&summary_pdf(&case, Lang::En));
    assert!(
        english.contains("Case summary: Weißmüller, Jürgen"),
        "{english}"
    );
    // The same day gives the same bytes.
    assert_eq!(bytes, summary_pdf(&case, Lang::De));
}

#[test]
fn a_hostile_name_prints_literally_in_the_summary() {
    let case = fixture::participant("#set page(width: 1pt)", "]$x$");
    let text = text_of(&summary_pdf(&case, Lang::De));
    assert!(text.contains("]$x$, #set page(width: 1pt)"), "{text}");
}
