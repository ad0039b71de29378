//! The announcement letter as PDF: exact German text, Leichte Sprache, fonts, PDF/A, hostile
//! names.

use wegbereiter_core::letter::{AnnouncementLetter, Register, Sender, announcement_letter};
use wegbereiter_core::prelude::*;
use wegbereiter_documents::announcement_letter as pdf;

#[path = "fixture.rs"]
pub(crate) mod fixture;

use super::poppler;

fn letter(case: &Case, register: Register, lang: Lang) -> AnnouncementLetter {
    announcement_letter(
        case,
        1,
        &Sender::default(),
        &fixture::signer(),
        register,
        lang,
        None,
    )
    .unwrap()
}

fn german() -> (AnnouncementLetter, Vec<u8>) {
    let case = fixture::case("Jürgen", "Weißmüller", "Straße der Einheit 7");
    let model = letter(&case, Register::Standard, Lang::De);
    let bytes = pdf(&model).unwrap();
    (model, bytes)
}

/// `text` with every run of white space (line breaks included) as one space.
fn flat(text: &str) -> String {
    text.replace("\u{ad}\n", "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_german_letter_prints_its_text_exactly() {
    let (model, bytes) = german();
    assert!(bytes.starts_with(b"%PDF-"));
    let text = poppler::text(&bytes);
    let all = flat(&text);
    for expected in [
        "Ankündigung eines Hausbesuchs",
        "Guten Tag Jürgen Weißmüller,",
        "Straße der Einheit 7",
        "99999 Beispielstadt",
        "Wegbereiter – Projekt Beispielstadt",
        "03.12.2026",
        "Jana Bezugsberaterin",
        "01234 567891",
        "Dafür möchten wir Sie in der Zeit vom 07.12.2026 bis zum 11.12.2026 einmal zu Hause besuchen.",
        "Die Teilnahme an unserem Angebot ist freiwillig.",
        "Ob wir Ihre Wohnung betreten, entscheiden allein Sie.",
        "Eine Begründung ist nicht nötig.",
        "Datenschutz",
        "Mit freundlichen Grüßen",
    ] {
        assert!(all.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // Every sentence of the model is on the page, word for word (`flat` joins a word that
    // the standard letter's hyphenation broke at a line end, with its soft hyphen).
    for p in model.paragraphs.iter().chain([&model.privacy]) {
        for line in &p.lines {
            assert!(all.contains(&flat(line)), "missing {line:?} in:\n{text}");
        }
    }
    // Contact data is never hyphenated.
    assert!(all.contains("kontakt@beispielstadt.example"), "{text}");
    assert!(
        !all.contains("Leichte"),
        "the standard letter has no Leichte-Sprache note"
    );
}

#[test]
fn every_font_is_embedded() {
    let (_, bytes) = german();
    let fonts = poppler::fonts(&bytes);
    assert!(!fonts.is_empty(), "no fonts listed");
    for (name, embedded) in &fonts {
        assert!(embedded, "{name} is not embedded: {fonts:?}");
        assert!(
            name.contains("LiberationSans") || name.contains("DejaVuSans"),
            "only the vendored fonts: {name}"
        );
    }
}

#[test]
fn the_letter_is_pdf_a_2b_on_a4_and_the_same_letter_gives_the_same_file() {
    let (model, bytes) = german();
    let info = poppler::run("pdfinfo", &["-meta"], &bytes);
    assert!(info.contains("<pdfaid:part>2</pdfaid:part>"), "{info}");
    assert!(
        info.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
        "{info}"
    );
    let info = poppler::run("pdfinfo", &[], &bytes);
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "A4: {info}");
    assert!(
        info.contains("Title:           Ankündigungsschreiben"),
        "{info}"
    );
    assert_eq!(pdf(&model).unwrap(), bytes, "rendering is deterministic");
}

#[test]
fn hostile_names_print_literally() {
    let given = "#set page(width: 1pt)";
    let family = "]$x$";
    let street = "*fett* _kursiv_ #panic(\"x\") \\ <lbl> @ref";
    let case = fixture::case(given, family, street);
    let bytes = pdf(&letter(&case, Register::Standard, Lang::De)).unwrap();
    let text = poppler::text(&bytes);
    let flat = flat(&text);
    assert!(flat.contains("#set page(width: 1pt) ]$x$"), "{text}");
    assert!(
        flat.contains("Guten Tag #set page(width: 1pt) ]$x$,"),
        "{text}"
    );
    assert!(flat.contains(street), "{text}");
    let info = poppler::run("pdfinfo", &[], &bytes);
    assert!(
        info.contains("595.276 x 841.89 pts (A4)"),
        "the page kept its width: {info}"
    );
}

#[test]
fn the_leichte_sprache_letter_has_large_type_one_statement_per_line_and_the_note() {
    let case = fixture::case("Jürgen", "Weißmüller", "Straße der Einheit 7");
    let model = letter(&case, Register::EasyRead, Lang::En);
    assert_eq!(model.lang, "de", "Leichte Sprache is German");
    let bytes = pdf(&model).unwrap();
    let text = poppler::text(&bytes);
    let printed: Vec<&str> = text.lines().map(str::trim).collect();
    // Each statement of core's text stands on a line of its own, unbroken: one statement
    // per line, no hyphenation (statements with data, such as the contact line, may wrap).
    let statements: Vec<&String> = model
        .paragraphs
        .iter()
        .chain([&model.privacy])
        .flat_map(|p| &p.lines)
        .filter(|l| l.chars().count() <= 60)
        .collect();
    assert!(statements.len() > 20, "{statements:?}");
    for statement in statements {
        assert!(
            printed.contains(&statement.as_str()),
            "{statement:?} is not a line of its own in:\n{text}"
        );
    }
    for line in [
        "Wir kommen an einem Tag in dieser Zeit:",
        "vom 7. Dezember 2026 bis zum 11. Dezember 2026",
        "Das Angebot ist freiwillig.",
        "Sie bekommen keine Nachteile, wenn Sie Nein sagen.",
        "Diese Wörter erklären wir",
        "freiwillig",
        "Sie entscheiden selbst.",
        "Der Text in Leichter Sprache ist nicht rechtlich verbindlich.",
        "Rechtlich verbindlich ist nur der Brief in Standard-Sprache.",
    ] {
        assert!(printed.contains(&line), "{line:?} missing in:\n{text}");
    }
    // At least 14 pt: poppler's box of a word is Liberation Sans' ascent plus descent high,
    // 0.9385 times the type size (14 pt: 13.14; 11 pt: 10.32).
    let size = |h: f64| h / 0.9385;
    let heights = poppler::word_heights(&bytes);
    for word in ["freiwillig.", "mitmachen.", "verbindlich."] {
        let (_, h) = heights
            .iter()
            .find(|(w, _)| w == word)
            .unwrap_or_else(|| panic!("{word} not found"));
        assert!(size(*h) >= 13.95, "{word} is set in {} pt", size(*h));
    }
    let standard = pdf(&letter(&case, Register::Standard, Lang::De)).unwrap();
    let heights = poppler::word_heights(&standard);
    let (_, h) = heights.iter().find(|(w, _)| w == "freiwillig.").unwrap();
    assert!(
        size(*h) < 12.0,
        "the standard letter is set smaller: {}",
        size(*h)
    );
    let fonts = poppler::fonts(&bytes);
    assert!(fonts.iter().all(|(_, embedded)| *embedded), "{fonts:?}");
}

#[test]
fn the_english_letter_is_english() {
    let case = fixture::case("Jürgen", "Weißmüller", "Straße der Einheit 7");
    let text = flat(&poppler::text(
        &pdf(&letter(&case, Register::Standard, Lang::En)).unwrap(),
    ));
    assert!(text.contains("Announcement of a home visit"), "{text}");
    assert!(
        text.contains("Taking part in our offer is voluntary."),
        "{text}"
    );
    assert!(text.contains("Hello Jürgen Weißmüller,"), "{text}");
}

#[test]
fn cyrillic_and_arabic_names_are_set_with_the_vendored_fonts() {
    let case = fixture::case("Олена", "Приклад-Шевченко", "سارا نمونه 3");
    let bytes = pdf(&letter(&case, Register::Standard, Lang::De)).unwrap();
    let text = flat(&poppler::text(&bytes));
    assert!(text.contains("Guten Tag Олена Приклад-Шевченко,"), "{text}");
    let fonts = poppler::fonts(&bytes);
    assert!(
        fonts
            .iter()
            .any(|(name, embedded)| name.contains("DejaVuSans") && *embedded),
        "Arabic script falls back to the embedded DejaVu Sans: {fonts:?}"
    );
    assert!(fonts.iter().all(|(_, embedded)| *embedded), "{fonts:?}");
}
