//! `document …`: documents as PDF/A files, laid out by `wegbereiter-documents` from core's
//! models (the same bytes the web's download gives): the announcement letter, a
//! participant's ESF Plus questionnaire, and the reports as they were sent to the Jobcenter
//! (`document sent`, in `jobcenter`).

use std::path::Path;

use serde::Serialize;
use wegbereiter_core::esf::questionnaire_document;
use wegbereiter_core::letter::{self, Register, Sender, Signer};
use wegbereiter_core::ports::{AccessKind, StaffDirectory};
use wegbereiter_core::prelude::*;

use crate::app::App;
use crate::args::DocumentCmd;
use crate::error::CliError;
use crate::msg;

/// What `document questionnaire` printed.
#[derive(Debug, Serialize)]
struct QuestionnaireWritten {
    file: String,
    case: String,
    participant_number: String,
    bytes: usize,
}

/// What `document letter` printed.
#[derive(Debug, Serialize)]
struct DocumentWritten {
    file: String,
    case: String,
    letter: usize,
    easy_read: bool,
    /// The translation page's language code, if the letter has one.
    translation: Option<&'static str>,
    bytes: usize,
}

/// `document …`.
///
/// # Errors
/// [`CliError::Usage`] for an output file that does not end in `.pdf` (before anything is
/// read or written); [`CliError::NotFound`] for a case without that letter, or a
/// questionnaire of a case never enrolled; access refusals, storage and I/O errors.
pub async fn run(app: &App, cmd: DocumentCmd) -> Result<(), CliError> {
    match cmd {
        cmd @ DocumentCmd::Sent { .. } => super::jobcenter::sent(app, cmd).await,
        DocumentCmd::Questionnaire { id, output } => questionnaire(app, id, &output).await,
        DocumentCmd::Summary { id, output } => summary(app, id, &output).await,
        DocumentCmd::Letter {
            id,
            number,
            easy_read,
            translation,
            confirm_unreviewed,
            output,
        } => {
            require_pdf(&output)?;
            let case = app.read_case(id, AccessKind::Export).await?;
            let me = app.person().await?;
            // The key worker signs; before there is one, the person printing.
            let name = match case.key_worker {
                Some(k) if k != me.id => app.store.staff(k).await?.map_or_else(
                    || me.display_name.to_string(),
                    |s| s.display_name.to_string(),
                ),
                _ => me.display_name.to_string(),
            };
            let register = if easy_read {
                Register::EasyRead
            } else {
                Register::Standard
            };
            let signer = Signer { name, phone: None };
            let Some(model) = letter::announcement_letter(
                &case,
                number,
                &Sender::default(),
                &signer,
                register,
                app.lang(),
                translation.map_or(case.referral.client.letter_language, |t| t.0),
            ) else {
                return Err(CliError::NotFound(msg!(
                    "Der Fall hat kein Ankündigungsschreiben Nummer {number}.",
                    "The case has no announcement letter number {number}."
                )));
            };
            model
                .check_printable(confirm_unreviewed)
                .map_err(CliError::Rule)?;
            let bytes = wegbereiter_documents::announcement_letter(&model).map_err(|e| {
                CliError::Internal(msg!(
                    "Das PDF konnte nicht gesetzt werden: {e}",
                    "The PDF could not be laid out: {e}"
                ))
            })?;
            crate::files::write_private(&output, &bytes)?;
            let written = DocumentWritten {
                file: output.display().to_string(),
                case: case.id.case_number(),
                letter: number,
                easy_read,
                translation: model.translation.as_ref().map(|t| t.lang),
                bytes: bytes.len(),
            };
            app.out().emit(&written, |lang| match lang {
                Lang::En => format!("Announcement letter written to {}", written.file),
                _ => format!("Ankündigungsschreiben geschrieben nach {}", written.file),
            })
        }
    }
}

/// `document questionnaire`: core's questionnaire of a participant for today, as PDF/A.
async fn questionnaire(app: &App, id: CaseId, output: &Path) -> Result<(), CliError> {
    require_pdf(output)?;
    let case = app.read_case(id, AccessKind::Export).await?;
    let Some(doc) = questionnaire_document(&case, &Sender::default(), app.today(), app.lang())
    else {
        return Err(CliError::NotFound(msg!(
            "Der Fall hat keinen ESF-Plus-Fragebogen: die Person ist nie eingetreten.",
            "The case has no ESF Plus questionnaire: the person never entered."
        )));
    };
    let bytes = wegbereiter_documents::esf_questionnaire(&doc).map_err(|e| {
        CliError::Internal(msg!(
            "Das PDF konnte nicht gesetzt werden: {e}",
            "The PDF could not be laid out: {e}"
        ))
    })?;
    crate::files::write_private(output, &bytes)?;
    let written = QuestionnaireWritten {
        file: output.display().to_string(),
        case: case.id.case_number(),
        participant_number: wegbereiter_core::esf::participant_number(case.id),
        bytes: bytes.len(),
    };
    app.out().emit(&written, |lang| match lang {
        Lang::En => format!("ESF Plus questionnaire written to {}", written.file),
        _ => format!("ESF-Plus-Fragebogen geschrieben nach {}", written.file),
    })
}

/// What `document summary` wrote.
#[derive(Debug, Serialize)]
struct SummaryWritten {
    file: String,
    case: String,
    sections: usize,
    bytes: usize,
}

/// `document summary`: core's case summary over the case file on paper, as PDF/A.
async fn summary(app: &App, id: CaseId, output: &Path) -> Result<(), CliError> {
    use wegbereiter_core::case_file::{self, Medium};
    require_pdf(output)?;
    let case = app.read_case(id, AccessKind::Export).await?;
    let dir = app.directory().await?;
    let me = app.person().await?;
    let reader = me.as_actor();
    let (lang, tz) = (app.lang(), app.tz());
    let view = case_file::View {
        reader: &reader,
        lang,
        // A file that may leave the office: never the psychologist compartment (R14).
        medium: Medium::Paper,
        now: app.local_now(),
    };
    let file = case_file::build_for(&case, &view, &dir).map_err(|e| super::case::refused(e, id))?;
    let doc = case_file::summary_document(
        &file,
        &case.id.case_number(),
        &Sender::default(),
        app.today(),
        me.display_name.as_str(),
        lang,
        &|at| crate::dates::show_time(at, tz, lang),
    );
    let bytes = wegbereiter_documents::case_summary(&doc).map_err(|e| {
        CliError::Internal(msg!(
            "Das PDF konnte nicht gesetzt werden: {e}",
            "The PDF could not be laid out: {e}"
        ))
    })?;
    crate::files::write_private(output, &bytes)?;
    let written = SummaryWritten {
        file: output.display().to_string(),
        case: case.id.case_number(),
        sections: doc.sections.len(),
        bytes: bytes.len(),
    };
    app.out().emit(&written, |lang| match lang {
        Lang::En => format!("Case summary written to {}", written.file),
        _ => format!("Fallübersicht geschrieben nach {}", written.file),
    })
}

/// Refuses an output file whose name does not end in `.pdf`.
///
/// # Errors
/// [`CliError::Usage`] for any other name.
pub fn require_pdf(path: &Path) -> Result<(), CliError> {
    let is_pdf = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    if is_pdf {
        Ok(())
    } else {
        let file = path.display().to_string();
        Err(CliError::Usage(msg!(
            "Die Ausgabedatei muss auf .pdf enden: {file}",
            "The output file must end in .pdf: {file}"
        )))
    }
}
