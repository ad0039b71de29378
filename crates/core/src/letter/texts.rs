//! The announcement letter's standard text per language: one translation file per language
//! (`texts/de.rs` is the German original, the others translate it), each with its review
//! status.
//!
//! A translation file is Rust, not a data file read at run time, so a missing sentence or a
//! misspelt placeholder is a build error rather than a letter printed with a gap. Placeholders
//! are `{name}`, `{from}`, `{until}`, `{start}`, `{end}`, `{phone}` and `{contact}`; they are
//! filled in one pass ([`fill`]), so a client's name that contains `{from}` is printed as it
//! is.
//!
//! How a translator works on a file: edit the sentences, then set [`TranslationReview`] to
//! `Reviewed` with their name (or role) and the day. An unreviewed translation is marked as
//! such on screen and is printed only when the person printing confirms it
//! ([`super::AnnouncementLetter::check_printable`]).

use serde::Serialize;

use super::LetterLanguage;

mod ar;
mod bg;
mod de;
mod en;
mod fa;
mod ro;
mod ru;
mod tr;
mod uk;

/// Whether a translation of the letter was checked by a person who speaks the language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum TranslationReview {
    /// Checked and released for printing.
    Reviewed {
        /// Who checked it (a name or a role).
        by: &'static str,
        /// When (ISO date).
        on: &'static str,
    },
    /// Not checked yet: printed only when the person printing confirms it.
    Unreviewed,
}

impl TranslationReview {
    /// Whether the translation may be printed without asking.
    #[must_use]
    pub fn is_reviewed(self) -> bool {
        matches!(self, Self::Reviewed { .. })
    }
}

/// The standard letter's sentences in one language.
#[derive(Debug)]
pub(crate) struct Texts {
    /// Whether the text was checked.
    pub review: TranslationReview,
    /// The language's own name ("Українська").
    pub native_name: &'static str,
    /// Whether the script runs right to left.
    pub rtl: bool,
    /// The heading of the translation page ("Übersetzung", in the language).
    pub heading: &'static str,
    /// That only the German text is binding, in the language.
    pub binding: &'static str,
    pub subject: &'static str,
    /// `{name}`.
    pub greeting: &'static str,
    pub intro: &'static str,
    /// `{from}`, `{until}`.
    pub visit: &'static str,
    /// `{from}`, `{until}`, `{start}`, `{end}`.
    pub visit_hours: &'static str,
    pub voluntary: &'static str,
    pub door: &'static str,
    pub decline: &'static str,
    /// `{phone}`, `{contact}`.
    pub reach_direct: &'static str,
    /// `{contact}`.
    pub reach_project: &'static str,
    pub privacy_heading: &'static str,
    pub privacy: &'static str,
    pub closing: &'static str,
}

/// The German original.
pub(crate) const GERMAN: &Texts = &de::TEXTS;

/// The text in `language`.
pub(crate) fn of(language: LetterLanguage) -> &'static Texts {
    match language {
        LetterLanguage::English => &en::TEXTS,
        LetterLanguage::Ukrainian => &uk::TEXTS,
        LetterLanguage::Russian => &ru::TEXTS,
        LetterLanguage::Arabic => &ar::TEXTS,
        LetterLanguage::Persian => &fa::TEXTS,
        LetterLanguage::Turkish => &tr::TEXTS,
        LetterLanguage::Bulgarian => &bg::TEXTS,
        LetterLanguage::Romanian => &ro::TEXTS,
    }
}

/// `template` with each `{key}` replaced by its value, in one pass: a value is never scanned
/// for placeholders again. An unknown `{…}` stays as it is.
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let key = &after[..close];
            values
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::Labelled;

    #[test]
    fn fill_replaces_known_keys_once_and_keeps_the_rest() {
        assert_eq!(
            fill(
                "Guten Tag {name}, {from}–{until} {x}",
                &[("name", "{from} Muster"), ("from", "1."), ("until", "2.")]
            ),
            "Guten Tag {from} Muster, 1.–2. {x}"
        );
        assert_eq!(fill("{", &[]), "{");
        assert_eq!(fill("a}b{c", &[("c", "x")]), "a}b{c");
    }

    /// Every translation keeps every placeholder of the German original, and no other.
    #[test]
    fn every_translation_has_the_placeholders_of_the_original() {
        fn keys(s: &str) -> Vec<&str> {
            let mut keys: Vec<&str> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(k, _)| k))
                .collect();
            keys.sort_unstable();
            keys
        }
        let fields = |t: &Texts| {
            [
                t.greeting,
                t.visit,
                t.visit_hours,
                t.reach_direct,
                t.reach_project,
                t.intro,
                t.voluntary,
                t.door,
                t.decline,
                t.privacy,
            ]
        };
        for &language in LetterLanguage::ALL {
            let t = of(language);
            for (original, translated) in fields(GERMAN).into_iter().zip(fields(t)) {
                assert_eq!(keys(original), keys(translated), "{language}: {translated}");
            }
            assert!(!t.native_name.is_empty() && !t.heading.is_empty() && !t.binding.is_empty());
            assert_eq!(
                t.rtl,
                matches!(language, LetterLanguage::Arabic | LetterLanguage::Persian)
            );
        }
    }
}
