//! The announcement letter's model: what every renderer prints (rules R5, R8, R9).

use wegbereiter_core::letter::{AnnouncementLetter, Register, Sender, Signer, announcement_letter};
use wegbereiter_core::prelude::*;

use crate::support::World;

fn signer(phone: Option<&str>) -> Signer {
    Signer {
        name: "Jana Bezugsberaterin".into(),
        phone: phone.map(str::to_owned),
    }
}

fn letter(register: Register, lang: Lang, phone: Option<&str>) -> AnnouncementLetter {
    let w = World::in_outreach();
    announcement_letter(
        w.case(),
        1,
        &Sender::default(),
        &signer(phone),
        register,
        lang,
    )
    .unwrap()
}

/// Every text of the letter, in reading order.
fn words(l: &AnnouncementLetter) -> String {
    let mut all = vec![l.subject.to_owned(), l.greeting.clone()];
    for p in l.paragraphs.iter().chain([&l.privacy]) {
        all.extend(p.lines.iter().cloned());
    }
    all.extend(l.info.iter().map(|i| format!("{}: {}", i.label, i.value)));
    all.extend(l.notice.iter().map(|s| (*s).to_owned()));
    all.join("\n")
}

#[test]
fn there_is_a_letter_per_recorded_announcement_only() {
    let w = World::in_outreach();
    let (sender, signer) = (Sender::default(), signer(None));
    for n in [0, 2] {
        assert!(
            announcement_letter(w.case(), n, &sender, &signer, Register::Standard, Lang::De)
                .is_none()
        );
    }
    assert!(
        announcement_letter(
            World::referred().case(),
            1,
            &sender,
            &signer,
            Register::Standard,
            Lang::De
        )
        .is_none()
    );
}

#[test]
fn every_letter_names_the_window_voluntariness_entry_decline_and_data_protection() {
    for (register, lang, window, voluntary) in [
        (
            Register::Standard,
            Lang::De,
            "in der Zeit vom 09.03.2026 bis zum 11.03.2026",
            "Die Teilnahme an unserem Angebot ist freiwillig.",
        ),
        (
            Register::Standard,
            Lang::En,
            "between 2026-03-09 and 2026-03-11",
            "Taking part in our offer is voluntary.",
        ),
        (
            Register::EasyRead,
            Lang::De,
            "vom 9. März 2026 bis zum 11. März 2026",
            "Das Angebot ist freiwillig.",
        ),
    ] {
        let l = letter(register, lang, Some("01234 567891"));
        let text = words(&l);
        assert!(text.contains(window), "{register:?} {lang:?}: {text}");
        assert!(text.contains(voluntary), "{register:?} {lang:?}: {text}");
        assert!(text.contains("01234 567891"), "the direct phone: {text}");
        assert!(text.contains("Erika Musterfrau"), "{text}");
        assert!(!l.privacy.lines.is_empty());
        assert!(l.recipient.iter().any(|r| r == "99999 Beispielstadt"));
        let lower = text.to_lowercase();
        for word in [
            "pflicht",
            "sanktion",
            "meldeaufforderung",
            "leistungsminderung",
            "obligation",
        ] {
            assert!(!lower.contains(word), "never a summons: {word} in {text}");
        }
    }
}

#[test]
fn leichte_sprache_is_german_short_explained_and_not_binding() {
    let l = letter(Register::EasyRead, Lang::En, None);
    assert_eq!((l.lang, l.register), ("de", Register::EasyRead));
    assert!(
        l.notice
            .iter()
            .any(|s| s.contains("nicht rechtlich verbindlich"))
    );
    assert!(l.explained.iter().any(|e| e.word == "freiwillig"));
    // One statement per line: every line of core's own text is one short sentence.
    for p in l.paragraphs.iter().chain([&l.privacy]) {
        for line in p.lines.iter().filter(|l| !l.contains("Projekt:")) {
            assert!(
                line.chars().count() <= 60,
                "too long for Leichte Sprache: {line}"
            );
            let ends = line.matches(['.', '?', ':', '!']).count();
            assert!(ends <= 2, "one statement per line: {line}");
        }
    }
    // Numbers as digits.
    assert!(words(&l).contains("1 Mal"));
    let standard = letter(Register::Standard, Lang::De, None);
    assert!(standard.notice.is_empty() && standard.explained.is_empty());
}
