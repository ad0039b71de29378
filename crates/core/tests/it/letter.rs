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
        None,
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
            announcement_letter(
                w.case(),
                n,
                &sender,
                &signer,
                Register::Standard,
                Lang::De,
                None
            )
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
            Lang::De,
            None
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

mod bilingual {
    use chrono::NaiveTime;
    use wegbereiter_core::letter::{LetterLanguage, TranslationReview};
    use wegbereiter_core::outreach::VisitHours;
    use wegbereiter_core::vocab::Labelled;

    use super::*;
    use crate::support::d;

    fn bilingual(w: &World, language: Option<LetterLanguage>) -> AnnouncementLetter {
        announcement_letter(
            w.case(),
            1,
            &Sender::default(),
            &signer(Some("01234 567891")),
            Register::Standard,
            Lang::De,
            language,
        )
        .unwrap()
    }

    #[test]
    fn the_translation_page_follows_the_german_letter_paragraph_for_paragraph() {
        let w = World::in_outreach();
        let german = bilingual(&w, None);
        assert!(german.translation.is_none());
        for &language in LetterLanguage::ALL {
            let letter = bilingual(&w, Some(language));
            // The German letter itself is unchanged.
            assert_eq!(letter.paragraphs, german.paragraphs);
            let t = letter.translation.as_ref().unwrap();
            assert_eq!(t.lang, language.key());
            assert_eq!(t.paragraphs.len(), german.paragraphs.len(), "{language}");
            for (p, g) in t.paragraphs.iter().zip(&german.paragraphs) {
                assert_eq!((p.strong, p.verbatim), (g.strong, g.verbatim), "{language}");
            }
            let text: String = t.paragraphs.iter().flat_map(|p| p.lines.clone()).collect();
            assert!(
                text.contains("01234 567891"),
                "{language}: the direct phone"
            );
            assert!(
                text.contains("09.03.2026") || text.contains("2026-03-09"),
                "{language}: {text}"
            );
            assert!(t.greeting.contains("Erika Musterfrau"), "{language}");
            assert_eq!(t.binding.len(), 2);
            assert_eq!(
                t.binding[1],
                "Rechtlich verbindlich ist nur der deutsche Text."
            );
            assert_eq!(
                t.rtl,
                matches!(language, LetterLanguage::Arabic | LetterLanguage::Persian)
            );
        }
    }

    #[test]
    fn leichte_sprache_and_english_letters_carry_no_translation() {
        let w = World::in_outreach();
        for (register, lang) in [
            (Register::EasyRead, Lang::De),
            (Register::Standard, Lang::En),
        ] {
            let l = announcement_letter(
                w.case(),
                1,
                &Sender::default(),
                &signer(None),
                register,
                lang,
                Some(LetterLanguage::Ukrainian),
            )
            .unwrap();
            assert!(l.translation.is_none(), "{register:?} {lang:?}");
            assert!(l.check_printable(false).is_ok());
        }
    }

    #[test]
    fn an_unreviewed_translation_is_printed_only_when_confirmed() {
        let w = World::in_outreach();
        assert!(bilingual(&w, None).check_printable(false).is_ok());
        for &language in LetterLanguage::ALL {
            let letter = bilingual(&w, Some(language));
            match language.review() {
                TranslationReview::Reviewed { .. } => {
                    assert!(letter.check_printable(false).is_ok());
                }
                TranslationReview::Unreviewed => {
                    let refused = letter.check_printable(false).unwrap_err();
                    assert_eq!(refused, DomainError::UnreviewedTranslation { language });
                    assert!(refused.message(Lang::De).contains(language.label(Lang::De)));
                    assert!(letter.check_printable(true).is_ok());
                }
            }
        }
    }

    #[test]
    fn the_letter_language_is_the_clients_and_can_be_changed_until_the_case_ends() {
        let mut w = World::in_outreach();
        assert_eq!(w.case().referral.client.letter_language, None);
        w.ok(Command::ChooseLetterLanguage {
            language: Some(LetterLanguage::Arabic),
        });
        assert_eq!(
            w.case().referral.client.letter_language,
            Some(LetterLanguage::Arabic)
        );
        assert_eq!(
            w.try_(&Command::ChooseLetterLanguage {
                language: Some(LetterLanguage::Arabic),
            })
            .unwrap_err(),
            DomainError::NothingToChange
        );
        w.ok(Command::ChooseLetterLanguage { language: None });
        assert_eq!(w.case().referral.client.letter_language, None);
        // Replaying the history gives the same state.
        let replayed = Case::replay(w.history.iter()).unwrap();
        assert_eq!(&replayed, w.case());
        // An ended case keeps its language.
        w.attempt(AttemptOutcome::Declined);
        assert!(matches!(
            w.try_(&Command::ChooseLetterLanguage {
                language: Some(LetterLanguage::Turkish),
            }),
            Err(DomainError::WrongStatus { .. })
        ));
    }

    #[test]
    fn the_visit_hours_are_printed_and_must_end_after_they_start() {
        let mut w = World::referred();
        let at = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
        let announcement = |start, end| VisitAnnouncement {
            letter_date: d(2026, 3, 2),
            visit_from: d(2026, 3, 9),
            visit_until: d(2026, 3, 11),
            hours: Some(VisitHours { start, end }),
        };
        assert_eq!(
            w.try_(&Command::AnnounceVisit {
                announcement: announcement(at(12), at(9)),
            })
            .unwrap_err(),
            DomainError::InvalidDateRange
        );
        w.ok(Command::AnnounceVisit {
            announcement: announcement(at(9), at(12)),
        });
        let letter = bilingual(&w, Some(LetterLanguage::Turkish));
        let german: String = letter
            .paragraphs
            .iter()
            .flat_map(|p| p.lines.clone())
            .collect();
        assert!(
            german.contains("vom 09.03.2026 bis zum 11.03.2026 einmal zu Hause besuchen, jeweils zwischen 09:00 und 12:00 Uhr."),
            "{german}"
        );
        let turkish: String = letter
            .translation
            .unwrap()
            .paragraphs
            .iter()
            .flat_map(|p| p.lines.clone())
            .collect();
        assert!(turkish.contains("saat 09:00 ile 12:00"), "{turkish}");
        let easy = announcement_letter(
            w.case(),
            1,
            &Sender::default(),
            &signer(None),
            Register::EasyRead,
            Lang::De,
            None,
        )
        .unwrap();
        assert!(
            easy.paragraphs.iter().any(|p| p
                .lines
                .iter()
                .any(|l| l == "Wir kommen zwischen 09:00 Uhr und 12:00 Uhr.")),
            "{easy:?}"
        );
    }
}
