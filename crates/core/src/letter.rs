//! What the announcement letter (*Ankündigungsschreiben*, rules R5, R8, R9) says: one model,
//! [`AnnouncementLetter`], computed from a case's recorded [`VisitAnnouncement`], that every
//! renderer lays out (the web's print view as HTML, the documents crate as PDF/A).
//!
//! The wording lives here and nowhere else, in German and English ([`Register::Standard`]) and
//! in German *Leichte Sprache* ([`Register::EasyRead`]: one statement per line, digits, the
//! hard words explained, and the note that only the German standard text is legally binding).
//! A renderer adds no sentence of its own; it chooses fonts, sizes and the DIN 5008 form B
//! geometry. Names and addresses are plain text in the model: no renderer may read them as
//! markup.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::case::Case;
use crate::error::DomainError;
use crate::outreach::VisitAnnouncement;
use crate::vocab::{Labelled, Lang, vocabulary};

mod texts;

use texts::Texts;
pub use texts::TranslationReview;

vocabulary! {
    /// A language an announcement letter carries beside German (*Briefsprache*): the letter
    /// is then printed in German with a translation page in this language. A property of the
    /// client, chosen at referral or later ([`crate::Command::ChooseLetterLanguage`]).
    pub enum LetterLanguage {
        /// Englisch.
        English = "en", "Englisch", "English";
        /// Ukrainisch.
        Ukrainian = "uk", "Ukrainisch", "Ukrainian";
        /// Russisch.
        Russian = "ru", "Russisch", "Russian";
        /// Arabisch (right to left).
        Arabic = "ar", "Arabisch", "Arabic";
        /// Persisch/Farsi (right to left).
        Persian = "fa", "Persisch (Farsi)", "Persian (Farsi)";
        /// Türkisch.
        Turkish = "tr", "Türkisch", "Turkish";
        /// Bulgarisch.
        Bulgarian = "bg", "Bulgarisch", "Bulgarian";
        /// Rumänisch.
        Romanian = "ro", "Rumänisch", "Romanian";
    }
}

impl LetterLanguage {
    /// Whether this language's translation of the letter was checked by a person who speaks
    /// it; an unreviewed one is printed only on confirmation.
    #[must_use]
    pub fn review(self) -> TranslationReview {
        texts::of(self).review
    }

    /// The language's own name ("Українська").
    #[must_use]
    pub fn native_name(self) -> &'static str {
        texts::of(self).native_name
    }
}

/// The sender of letters to clients: the project, as its letterhead names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sender {
    /// The project's name, first line of the sender block.
    pub project_name: String,
    /// Further lines of the sender block (street, postcode and town).
    pub address: Vec<String>,
    /// How clients reach the project (telephone, e-mail, office hours): one line.
    pub contact: String,
}

impl Default for Sender {
    /// Synthetic placeholders; an installation sets its own.
    fn default() -> Self {
        Self {
            project_name: "Wegbereiter – Projekt Beispielstadt".into(),
            address: vec!["Beispielstraße 1".into(), "12345 Beispielstadt".into()],
            contact: "Telefon 01234 567890 · kontakt@beispielstadt.example".into(),
        }
    }
}

/// Which text of the letter: the standard one, or the one in Leichte Sprache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Register {
    /// The standard letter, in German or English.
    Standard,
    /// German *Leichte Sprache* (easy-to-read): at least 14 pt, one statement per line, no
    /// hyphenation, digits, hard words explained. Always German.
    EasyRead,
}

/// Who signs the letter: the key worker (else the person printing it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    /// The name under the letter and in the information block.
    pub name: String,
    /// The person's direct telephone number, when one is known.
    pub phone: Option<String>,
}

/// One line of the information block beside the address window (DIN 5008 form B).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InfoLine {
    /// Its label ("Datum").
    pub label: &'static str,
    /// Its value.
    pub value: String,
}

/// A paragraph of the body: one or more lines. In the standard letter a paragraph is one line
/// of running text; in Leichte Sprache each line is one statement and starts a new line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Paragraph {
    /// Its statements (standard: one, the whole paragraph).
    pub lines: Vec<String>,
    /// Whether it is set in bold (the visit window, voluntariness).
    pub strong: bool,
    /// Whether it holds contact data (telephone numbers, e-mail addresses) that must never be
    /// broken inside a word.
    pub verbatim: bool,
}

/// A word of a Leichte-Sprache letter with what it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explained {
    /// The word.
    pub word: &'static str,
    /// What it means, in Leichte Sprache: one statement per line.
    pub meaning: &'static [&'static str],
}

/// Everything the announcement letter says, in reading order, as plain text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnnouncementLetter {
    /// The language of the text (`de`, `en`): for hyphenation and the document's metadata.
    pub lang: &'static str,
    /// Which text it is.
    pub register: Register,
    /// The document's title (also its PDF title).
    pub title: &'static str,
    /// The letter's date (the PDF's date, so the same letter gives the same file).
    pub date: NaiveDate,
    /// The sender: project name first, then its address lines.
    pub sender: Vec<String>,
    /// The return line above the address window ("Project · Street · Town").
    pub return_line: String,
    /// The recipient's lines in the address window.
    pub recipient: Vec<String>,
    /// The information block: date, contact person, direct phone, reference.
    pub info: Vec<InfoLine>,
    /// The subject line.
    pub subject: &'static str,
    /// The salutation, with its comma.
    pub greeting: String,
    /// The body.
    pub paragraphs: Vec<Paragraph>,
    /// The data-protection notice: its heading and text.
    pub privacy: Paragraph,
    /// The heading of the data-protection notice.
    pub privacy_heading: &'static str,
    /// The complimentary close.
    pub closing: &'static str,
    /// The signature lines (signer, project).
    pub signature: Vec<String>,
    /// Leichte Sprache: the hard words explained (empty in the standard letter).
    pub explained: Vec<Explained>,
    /// The heading of [`Self::explained`].
    pub explained_heading: &'static str,
    /// Leichte Sprache: that the text is not legally binding, one statement per line (empty in
    /// the standard letter).
    pub notice: Vec<&'static str>,
    /// The translation page in the client's letter language (standard German letters only).
    pub translation: Option<LetterTranslation>,
}

/// The translation page of a bilingual letter: the standard letter's body in the client's
/// language, after the German letter, with the note that only the German text is binding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LetterTranslation {
    /// The language's code (`uk`, `ar`, …): for shaping, direction and the PDF's metadata.
    pub lang: &'static str,
    /// The language.
    pub language: LetterLanguage,
    /// Its German name ("Ukrainisch").
    pub language_de: &'static str,
    /// Its own name ("Українська").
    pub native_name: &'static str,
    /// Whether the script runs right to left (Arabic, Farsi).
    pub rtl: bool,
    /// Whether a person who speaks the language checked the text.
    pub review: TranslationReview,
    /// The page's heading: "Übersetzung" in the language and in German.
    pub heading: String,
    /// That only the German text is binding: in the language, then in German.
    pub binding: Vec<&'static str>,
    /// The subject line.
    pub subject: &'static str,
    /// The salutation.
    pub greeting: String,
    /// The body, paragraph for paragraph as in the German letter.
    pub paragraphs: Vec<Paragraph>,
    /// The heading of the data-protection notice.
    pub privacy_heading: &'static str,
    /// The data-protection notice.
    pub privacy: Paragraph,
    /// The complimentary close.
    pub closing: &'static str,
}

impl AnnouncementLetter {
    /// Whether the letter may be printed: a letter with an unreviewed translation only when
    /// the person printing confirms it (`confirmed`), so nobody sends a text nobody checked
    /// by accident.
    ///
    /// # Errors
    /// [`DomainError::UnreviewedTranslation`] naming the language.
    pub fn check_printable(&self, confirmed: bool) -> Result<(), DomainError> {
        match &self.translation {
            Some(t) if !t.review.is_reviewed() && !confirmed => {
                Err(DomainError::UnreviewedTranslation {
                    language: t.language,
                })
            }
            _ => Ok(()),
        }
    }
}

/// The `n`-th recorded announcement letter of `case` (counting from 1) as its text in
/// `register` and `lang` (Leichte Sprache is always German), signed by `signer` for `sender`,
/// with a translation page in `translation` (usually the client's
/// [`crate::referral::ClientIdentity::letter_language`]) when the letter is the German standard one.
/// `None` if the case has no such letter.
#[must_use]
pub fn announcement_letter(
    case: &Case,
    n: usize,
    sender: &Sender,
    signer: &Signer,
    register: Register,
    lang: Lang,
    translation: Option<LetterLanguage>,
) -> Option<AnnouncementLetter> {
    let announcement = n.checked_sub(1).and_then(|i| case.announcements.get(i))?;
    let lang = match register {
        Register::EasyRead => Lang::De,
        Register::Standard => lang,
    };
    let client = &case.referral.client;
    let mut recipient = vec![client.full_name()];
    match &client.address {
        Some(a) => {
            recipient.push(a.street.to_string());
            recipient.push(format!("{} {}", a.postcode, a.city));
        }
        None => {
            recipient.push(t(lang, "(keine Anschrift erfasst)", "(no address recorded)").into())
        }
    }
    let mut sender_lines = vec![sender.project_name.clone()];
    sender_lines.extend(sender.address.iter().cloned());
    let mut info = vec![
        InfoLine {
            label: t(lang, "Datum", "Date"),
            value: day_of(announcement.letter_date, register, lang),
        },
        InfoLine {
            label: t(lang, "Ansprechperson", "Contact person"),
            value: signer.name.clone(),
        },
    ];
    if let Some(phone) = &signer.phone {
        info.push(InfoLine {
            label: t(lang, "Telefon (direkt)", "Direct phone"),
            value: phone.clone(),
        });
    }
    info.push(InfoLine {
        label: t(lang, "Unser Zeichen", "Our reference"),
        value: case.id.case_number(),
    });
    let words = Words {
        announcement,
        client_name: client.full_name(),
        lang,
        register,
        sender,
        signer,
    };
    let standard = match lang {
        Lang::De => texts::GERMAN,
        Lang::En => texts::of(LetterLanguage::English),
    };
    let (paragraphs, privacy, explained) = match register {
        Register::Standard => (
            words.standard(standard, lang),
            line(standard.privacy),
            Vec::new(),
        ),
        Register::EasyRead => (words.easy(), words.easy_privacy(), EXPLAINED.to_vec()),
    };
    let translation = match (register, lang, translation) {
        (Register::Standard, Lang::De, Some(language)) => Some(words.translation(language)),
        _ => None,
    };
    Some(AnnouncementLetter {
        lang: match lang {
            Lang::De => "de",
            Lang::En => "en",
        },
        register,
        title: t(lang, "Ankündigungsschreiben", "Announcement letter"),
        date: announcement.letter_date,
        sender: sender_lines,
        return_line: [sender.project_name.as_str()]
            .into_iter()
            .chain(sender.address.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" · "),
        recipient,
        info,
        subject: match register {
            Register::Standard => standard.subject,
            Register::EasyRead => "Wir möchten Sie besuchen",
        },
        greeting: texts::fill(standard.greeting, &[("name", &client.full_name())]),
        paragraphs,
        privacy,
        privacy_heading: standard.privacy_heading,
        closing: standard.closing,
        signature: vec![signer.name.clone(), sender.project_name.clone()],
        explained,
        explained_heading: "Diese Wörter erklären wir",
        notice: match register {
            Register::Standard => Vec::new(),
            Register::EasyRead => vec![
                "Dieser Brief ist in Leichter Sprache geschrieben.",
                "Der Text in Leichter Sprache ist nicht rechtlich verbindlich.",
                "Rechtlich verbindlich ist nur der Brief in Standard-Sprache.",
            ],
        },
        translation,
    })
}

/// The words Leichte-Sprache letters explain.
const EXPLAINED: [Explained; 3] = [
    Explained {
        word: "Beratung",
        meaning: &[
            "Sie erzählen uns von Ihren Problemen.",
            "Wir suchen mit Ihnen zusammen eine Lösung.",
        ],
    },
    Explained {
        word: "freiwillig",
        meaning: &["Sie entscheiden selbst.", "Niemand zwingt Sie."],
    },
    Explained {
        word: "Daten",
        meaning: &[
            "Das sind Angaben über Sie.",
            "Zum Beispiel Ihr Name und Ihre Adresse.",
        ],
    },
];

/// `de` or `en` by `lang`.
fn t(lang: Lang, de: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::De => de,
        Lang::En => en,
    }
}

/// A day in `register`: the standard letter writes it as every page does (DIN 5008's
/// numeric form "07.12.2026"), Leichte Sprache as [`long_date`].
fn day_of(day: NaiveDate, register: Register, lang: Lang) -> String {
    match register {
        Register::Standard => crate::case_file::date(day, lang),
        Register::EasyRead => long_date(day, lang),
    }
}

/// A day as Leichte Sprache writes it: "7. Dezember 2026", "7 December 2026" (digits, the month as
/// a word, as Leichte Sprache asks and DIN 5008 allows).
#[must_use]
pub fn long_date(day: NaiveDate, lang: Lang) -> String {
    const DE: [&str; 12] = [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = usize::try_from(day.month0()).unwrap_or(0);
    match lang {
        Lang::De => format!("{}. {} {}", day.day(), DE[month % 12], day.year()),
        Lang::En => format!("{} {} {}", day.day(), EN[month % 12], day.year()),
    }
}

/// What the body's sentences are made of.
struct Words<'a> {
    announcement: &'a VisitAnnouncement,
    client_name: String,
    lang: Lang,
    register: Register,
    sender: &'a Sender,
    signer: &'a Signer,
}

/// A paragraph of one line.
fn line(text: impl Into<String>) -> Paragraph {
    Paragraph {
        lines: vec![text.into()],
        strong: false,
        verbatim: false,
    }
}

/// A paragraph of several statements.
fn lines(texts: &[String], strong: bool) -> Paragraph {
    Paragraph {
        lines: texts.to_vec(),
        strong,
        verbatim: false,
    }
}

impl Words<'_> {
    fn from(&self) -> String {
        day_of(self.announcement.visit_from, self.register, self.lang)
    }

    fn until(&self) -> String {
        day_of(self.announcement.visit_until, self.register, self.lang)
    }

    /// The standard letter's body in `texts`, its days written as `lang` writes them
    /// (DIN 5008's numeric form, ISO in English).
    fn standard(&self, texts: &Texts, lang: Lang) -> Vec<Paragraph> {
        let from = crate::case_file::date(self.announcement.visit_from, lang);
        let until = crate::case_file::date(self.announcement.visit_until, lang);
        let visit = match &self.announcement.hours {
            Some(hours) => texts::fill(
                texts.visit_hours,
                &[
                    ("from", &from),
                    ("until", &until),
                    ("start", &hours.start.format("%H:%M").to_string()),
                    ("end", &hours.end.format("%H:%M").to_string()),
                ],
            ),
            None => texts::fill(texts.visit, &[("from", &from), ("until", &until)]),
        };
        let contact = self.sender.contact.as_str();
        let reach = match &self.signer.phone {
            Some(phone) => texts::fill(
                texts.reach_direct,
                &[("phone", phone), ("contact", contact)],
            ),
            None => texts::fill(texts.reach_project, &[("contact", contact)]),
        };
        vec![
            line(texts.intro),
            Paragraph {
                strong: true,
                ..line(visit)
            },
            Paragraph {
                strong: true,
                ..line(texts.voluntary)
            },
            line(texts.door),
            line(texts.decline),
            Paragraph {
                verbatim: true,
                ..line(reach)
            },
        ]
    }

    /// The translation page in `language`.
    fn translation(&self, language: LetterLanguage) -> LetterTranslation {
        let texts = texts::of(language);
        let name = self.client_name.as_str();
        LetterTranslation {
            lang: language.key(),
            language,
            language_de: language.label(Lang::De),
            native_name: texts.native_name,
            rtl: texts.rtl,
            review: texts.review,
            heading: format!("{} · {}", texts.heading, texts::GERMAN.heading),
            binding: vec![texts.binding, texts::GERMAN.binding],
            subject: texts.subject,
            greeting: texts::fill(texts.greeting, &[("name", name)]),
            paragraphs: self.standard(
                texts,
                if language == LetterLanguage::English {
                    Lang::En
                } else {
                    Lang::De
                },
            ),
            privacy_heading: texts.privacy_heading,
            privacy: line(texts.privacy),
            closing: texts.closing,
        }
    }

    fn easy(&self) -> Vec<Paragraph> {
        let s = |x: &str| x.to_owned();
        let mut contact = vec![
            s("Sie möchten mit uns sprechen?"),
            s("Dann rufen Sie uns an."),
        ];
        match &self.signer.phone {
            Some(phone) => contact.push(format!(
                "Ich heiße {}. Meine Telefon-Nummer ist: {phone}",
                self.signer.name
            )),
            None => contact.push(format!("Ich heiße {}.", self.signer.name)),
        }
        contact.push(format!(
            "So erreichen Sie das Projekt: {}",
            self.sender.contact
        ));
        vec![
            lines(
                &[
                    s("Wir sind eine Beratung."),
                    s("Wir helfen Menschen bei Problemen."),
                    s("Zum Beispiel bei Geld-Sorgen oder mit der Wohnung."),
                ],
                false,
            ),
            lines(
                &[
                    s("Wir möchten Sie gern treffen."),
                    s("Darum möchten wir Sie 1 Mal zu Hause besuchen."),
                    s("Wir kommen an einem Tag in dieser Zeit:"),
                    format!("vom {} bis zum {}", self.from(), self.until()),
                ]
                .into_iter()
                .chain(self.announcement.hours.map(|h| {
                    format!(
                        "Wir kommen zwischen {} Uhr und {} Uhr.",
                        h.start.format("%H:%M"),
                        h.end.format("%H:%M")
                    )
                }))
                .collect::<Vec<_>>(),
                true,
            ),
            lines(
                &[
                    s("Das Angebot ist freiwillig."),
                    s("Sie müssen nicht mitmachen."),
                    s("Sie bekommen keine Nachteile, wenn Sie Nein sagen."),
                ],
                true,
            ),
            lines(
                &[
                    s("Sie entscheiden: Kommen wir in Ihre Wohnung oder nicht?"),
                    s("Wir können auch an der Tür sprechen."),
                    s("Oder wir treffen uns an einem anderen Ort."),
                    s("Den Ort suchen Sie aus."),
                ],
                false,
            ),
            lines(
                &[
                    s("Sie möchten keinen Besuch?"),
                    s("Oder der Tag passt Ihnen nicht?"),
                    s("Dann sagen Sie uns bitte Bescheid."),
                    s("Sie müssen keinen Grund sagen."),
                ],
                false,
            ),
            Paragraph {
                verbatim: true,
                ..lines(&contact, false)
            },
        ]
    }

    fn easy_privacy(&self) -> Paragraph {
        let s = |x: &str| x.to_owned();
        lines(
            &[
                s("Wir passen gut auf Ihre Daten auf."),
                s("Ihren Namen und Ihre Adresse haben wir vom Jobcenter."),
                s("Wir brauchen die Adresse für diesen Brief."),
                s("Sie erzählen uns etwas?"),
                s("Dann sagen wir es niemandem weiter."),
                s("Nur wenn Sie es erlauben."),
                s("Sie haben Rechte."),
                s("Zum Beispiel: Sie dürfen fragen, was wir über Sie wissen."),
                s("Wir erklären Ihnen Ihre Rechte gern."),
            ],
            false,
        )
    }
}
