//! Wegbereiter's printed documents as PDF/A-2b, laid out with typst used as a library.
//!
//! Core computes what a document says ([`wegbereiter_core::letter::AnnouncementLetter`],
//! [`wegbereiter_core::report::ReportDocument`], [`wegbereiter_core::esf::QuestionnaireDocument`],
//! [`wegbereiter_core::case_file::SummaryDocument`]); this crate only lays it out:
//! [`announcement_letter`], [`jobcenter_report`], [`esf_questionnaire`] and [`case_summary`]
//! turn those models into the bytes of a PDF. It is its own crate so that only its users (the CLI and the web) pay for typst's build;
//! core stays free of it.
//!
//! How a document is made (module `world`):
//! - Each document is a typst template compiled into the binary (`templates/*.typ`). The data
//!   reaches it **as data**: core's model is serialised to JSON and offered as the virtual file
//!   `/data.json`, which the template reads with typst's `json()`. No text of the model is ever
//!   spliced into markup, so a client called `#set page(width: 1pt)` or `]$x$` prints exactly
//!   so.
//! - The fonts are vendored in `fonts/` (Liberation Sans for Latin and Cyrillic, DejaVu Sans for
//!   Arabic script; licences beside them) and embedded with `include_bytes!`; no font of the
//!   machine is read, and every PDF embeds the subsets it uses, so its text is selectable.
//! - The PDF conforms to PDF/A-2b (typst-pdf's `PdfStandard::A_2b`), dated with the document's
//!   own date, so the same letter gives the same bytes.
//! - Rendering is synchronous and takes a few milliseconds of CPU (optimised in the dev profile,
//!   see the workspace `Cargo.toml`); an async caller runs it on a blocking thread
//!   (`tokio::task::spawn_blocking`). After each render typst's memo cache (comemo) is
//!   evicted down to what recent renders used, so a long-running server's memory stays bounded.

mod world;

use serde::Serialize;
use wegbereiter_core::case_file::SummaryDocument;
use wegbereiter_core::esf::QuestionnaireDocument;
use wegbereiter_core::letter::AnnouncementLetter;
use wegbereiter_core::report::{ReportDocument, Sha256Hex};

/// Why a document could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DocumentError {
    /// The model could not be serialised for the template.
    #[error("document data: {0}")]
    Data(String),
    /// typst refused the template (a bug in a bundled template, never in the data).
    #[error("layout: {0}")]
    Layout(String),
    /// typst-pdf could not write the PDF/A file.
    #[error("pdf: {0}")]
    Pdf(String),
}

/// The announcement letter as a PDF/A-2b file: DIN 5008 form B (address window, sender,
/// information block with date, contact person and reference, subject), the standard text at
/// 11 pt with German hyphenation, or the Leichte-Sprache text at 14 pt, one statement per
/// line, without hyphenation.
///
/// # Errors
/// [`DocumentError`] if typst cannot lay out or write the document; the letter's text cannot
/// cause that.
pub fn announcement_letter(letter: &AnnouncementLetter) -> Result<Vec<u8>, DocumentError> {
    render(
        include_str!("../templates/letter.typ"),
        letter,
        Some(letter.date),
    )
}

/// A report to the Jobcenter as a PDF/A-2b file: a DIN 5008 form B letter to the Jobcenter
/// with the report's facts as tables, dated with the report's date (the same report gives
/// the same bytes).
///
/// # Errors
/// [`DocumentError`] if typst cannot lay out or write the document; the report's text cannot
/// cause that.
pub fn jobcenter_report(report: &ReportDocument) -> Result<Vec<u8>, DocumentError> {
    render(
        include_str!("../templates/report.typ"),
        report,
        Some(report.date),
    )
}

/// The ESF Plus questionnaire of a participant as a PDF/A-2b file for signature: the
/// project's letterhead, who it is about, the entry and the exit items as tables, the note on
/// pseudonymisation and voluntary answers, and the signature lines; dated with the day
/// printed.
///
/// # Errors
/// [`DocumentError`] if typst cannot lay out or write the document; the answers cannot
/// cause that.
pub fn esf_questionnaire(questionnaire: &QuestionnaireDocument) -> Result<Vec<u8>, DocumentError> {
    render(
        include_str!("../templates/questionnaire.typ"),
        questionnaire,
        Some(questionnaire.date),
    )
}

/// The case summary (*Fallübersicht*) of one case as a PDF/A-2b file for the key worker:
/// every section of the case file on paper (never the psychologist compartment), the case
/// number, who printed it and when, and the confidentiality note; dated with the day printed.
///
/// # Errors
/// [`DocumentError`] if typst cannot lay out or write the document; the case's text cannot
/// cause that.
pub fn case_summary(summary: &SummaryDocument) -> Result<Vec<u8>, DocumentError> {
    render(
        include_str!("../templates/summary.typ"),
        summary,
        Some(summary.date),
    )
}

/// The SHA-256 of `bytes` (a rendered PDF), as a sent report records it.
#[must_use]
pub fn sha256(bytes: &[u8]) -> Sha256Hex {
    use sha2::Digest;
    Sha256Hex::from_digest(sha2::Sha256::digest(bytes).into())
}

/// Lays out `template` with `data` as `/data.json` and writes it as PDF/A-2b dated `date`.
fn render(
    template: &'static str,
    data: &impl Serialize,
    date: Option<chrono::NaiveDate>,
) -> Result<Vec<u8>, DocumentError> {
    let json = serde_json::to_vec(data).map_err(|e| DocumentError::Data(e.to_string()))?;
    let result = world::Document::new(template, json).and_then(|d| d.pdf(date));
    // Keep typst's memo cache to what the last few renders used: a server renders for months.
    typst::comemo::evict(world::CACHE_RENDERS);
    result
}
