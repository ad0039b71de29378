//! Bilingual announcement letters: the German letter, then the translation page in the
//! client's language, every script embedded and its text selectable.

use wegbereiter_core::letter::{LetterLanguage, Register, Sender, announcement_letter};
use wegbereiter_core::prelude::*;
use wegbereiter_core::vocab::Labelled;
use wegbereiter_documents::announcement_letter as pdf;

use super::letter::fixture;
use super::poppler;

fn bilingual(language: LetterLanguage) -> Vec<u8> {
    let case = fixture::case("Jürgen", "Weißmüller", "Straße der Einheit 7");
    let model = announcement_letter(
        &case,
        1,
        &Sender::default(),
        &fixture::signer(),
        Register::Standard,
        Lang::De,
        Some(language),
    )
    .unwrap();
    pdf(&model).unwrap()
}

/// Page `n`'s text.
fn page(bytes: &[u8], n: u32) -> String {
    let n = n.to_string();
    poppler::run("pdftotext", &["-f", &n, "-l", &n], bytes)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words of each translation that `pdftotext` gives back as written (no ligature in them).
const WORDS: [(LetterLanguage, &str, &str); 8] = [
    (
        LetterLanguage::English,
        "Announcement of a home visit",
        "Only the German text is legally binding.",
    ),
    (
        LetterLanguage::Ukrainian,
        "Повідомлення про візит додому",
        "Захист даних",
    ),
    (
        LetterLanguage::Russian,
        "Уведомление о визите на дом",
        "Защита данных",
    ),
    (
        LetterLanguage::Bulgarian,
        "Уведомление за посещение в дома",
        "Защита на данните",
    ),
    (
        LetterLanguage::Romanian,
        "Anunțarea unei vizite la domiciliu",
        "Protecția datelor",
    ),
    (
        LetterLanguage::Turkish,
        "Ev ziyareti duyurusu",
        "Veri koruma",
    ),
    (LetterLanguage::Arabic, "منزلية", "حماية"),
    (LetterLanguage::Persian, "منزل", "ترجمه"),
];

#[test]
fn every_language_gets_a_translation_page_after_the_german_letter() {
    for (language, subject, other) in WORDS {
        let bytes = bilingual(language);
        let first = page(&bytes, 1);
        assert!(
            first.contains("Ankündigung eines Hausbesuchs"),
            "{language}: {first}"
        );
        assert!(
            !first.contains(subject),
            "{language}: the translation is not on page 1"
        );
        let second = page(&bytes, 2);
        assert!(second.contains(subject), "{language}: {second}");
        assert!(second.contains(other), "{language}: {second}");
        // The German note that only the German text is binding, on the translation page.
        assert!(
            second.contains("Rechtlich verbindlich ist nur der deutsche Text."),
            "{language}: {second}"
        );
        // The client's name and the window's days, as in the German letter.
        assert!(second.contains("Jürgen Weißmüller"), "{language}: {second}");
        assert!(
            second.contains("07.12.2026") || second.contains("2026-12-07"),
            "{language}"
        );
        for (font, embedded) in poppler::fonts(&bytes) {
            assert!(embedded, "{language}: {font} not embedded");
        }
        let info = poppler::run("pdfinfo", &[], &bytes);
        assert!(
            info.lines()
                .any(|l| l.starts_with("Pages:") && l.split_whitespace().nth(1) == Some("2")),
            "{language}: {info}"
        );
        assert_eq!(language.key().len(), 2);
    }
}

#[test]
fn arabic_script_is_set_with_an_embedded_arabic_font() {
    for language in [LetterLanguage::Arabic, LetterLanguage::Persian] {
        let fonts = poppler::fonts(&bilingual(language));
        assert!(
            fonts
                .iter()
                .any(|(name, embedded)| name.contains("DejaVuSans") && *embedded),
            "{language}: {fonts:?}"
        );
    }
}

#[test]
fn a_hostile_name_prints_literally_on_the_translation_page() {
    let case = fixture::case("#set page(width: 1pt)", "]$x$", "Straße der Einheit 7");
    let model = announcement_letter(
        &case,
        1,
        &Sender::default(),
        &fixture::signer(),
        Register::Standard,
        Lang::De,
        Some(LetterLanguage::Turkish),
    )
    .unwrap();
    let second = page(&pdf(&model).unwrap(), 2);
    assert!(
        second.contains("Merhaba #set page(width: 1pt) ]$x$,"),
        "{second}"
    );
}
