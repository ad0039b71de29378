//! Writes the synthetic announcement letter as `letter.pdf` and `letter-easy.pdf`, bilingual
//! as `letter-de-uk.pdf`, `letter-de-ar.pdf` and `letter-de-fa.pdf`, and a
//! participant's ESF Plus questionnaire as `questionnaire.pdf`, into the directory given
//! (default: the current one), for looking at them and for the pictures in the docs:
//! `cargo run -p wegbereiter-documents --example letter -- /tmp`, then
//! `pdftoppm -png -r 60 -singlefile /tmp/letter.pdf docs/img/letter`.

use wegbereiter_core::esf::questionnaire_document;
use wegbereiter_core::letter::{LetterLanguage, Register, Sender, announcement_letter};
use wegbereiter_core::vocab::Lang;

// The test fixture, whose unwraps are on constants.
#[allow(clippy::unwrap_used)]
#[path = "../tests/it/fixture.rs"]
mod fixture;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let case = fixture::case("Jürgen", "Weißmüller", "Straße der Einheit 7");
    for (register, translation, file) in [
        (Register::Standard, None, "letter.pdf"),
        (Register::EasyRead, None, "letter-easy.pdf"),
        (
            Register::Standard,
            Some(LetterLanguage::Ukrainian),
            "letter-de-uk.pdf",
        ),
        (
            Register::Standard,
            Some(LetterLanguage::Arabic),
            "letter-de-ar.pdf",
        ),
        (
            Register::Standard,
            Some(LetterLanguage::Persian),
            "letter-de-fa.pdf",
        ),
    ] {
        let letter = announcement_letter(
            &case,
            1,
            &Sender::default(),
            &fixture::signer(),
            register,
            Lang::De,
            translation,
        )
        .ok_or("no letter")?;
        let started = std::time::Instant::now();
        let bytes = wegbereiter_documents::announcement_letter(&letter)?;
        println!("{file}: {} bytes in {:?}", bytes.len(), started.elapsed());
        std::fs::write(std::path::Path::new(&dir).join(file), bytes)?;
    }
    let participant = fixture::participant("Jürgen", "Weißmüller");
    let questionnaire = questionnaire_document(
        &participant,
        &Sender::default(),
        fixture::d(2026, 12, 15),
        Lang::De,
    )
    .ok_or("not a participant")?;
    let bytes = wegbereiter_documents::esf_questionnaire(&questionnaire)?;
    std::fs::write(std::path::Path::new(&dir).join("questionnaire.pdf"), bytes)?;
    Ok(())
}
