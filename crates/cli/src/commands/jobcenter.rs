//! `report jobcenter CASE --kind …`: one report to the Jobcenter as the client preview, as a
//! PDF/A file (`--output`), recorded as sent (`--send`); and `document sent`, the reports as
//! they were sent, byte for byte. Core computes the report (`report::jobcenter_report`, its
//! consent filter) and words it (`report_document`); `wegbereiter-documents` lays it out and
//! hashes it, so the CLI and the web write the same bytes.

use serde::Serialize;
use wegbereiter_core::letter::{Sender, Signer};
use wegbereiter_core::ports::{AccessKind, StaffDirectory};
use wegbereiter_core::prelude::*;
use wegbereiter_core::report::{
    JobcenterReport, ReportContext, ReportDocument, default_recipient, report_document,
};

use crate::app::{App, new_uuid};
use crate::args::{DocumentCmd, JobcenterArgs};
use crate::error::CliError;
use crate::msg;
use crate::output::{fields, table, tr};

/// What `report jobcenter --kind` printed or wrote.
#[derive(Debug, Serialize)]
struct ReportView {
    case: String,
    kind: ReportKind,
    document: ReportDocument,
    file: Option<String>,
    sha256: Option<String>,
    sent: Option<SentReport>,
}

/// `report jobcenter CASE --kind KIND [--output FILE.pdf [--send --channel …]]`.
///
/// # Errors
/// [`CliError::Usage`] for an output file not ending in `.pdf` or a bad recipient;
/// [`CliError::Rule`] when the kind's consent is not in force (nothing is written); access
/// refusals, storage and I/O errors.
pub async fn run(app: &App, args: JobcenterArgs, kind: ReportKind) -> Result<(), CliError> {
    if let Some(output) = &args.output {
        super::document::require_pdf(output)?;
    }
    let case = app
        .read_case(args.id, AccessKind::JobcenterFeedback)
        .await?;
    let at = app.now();
    let report = jobcenter_report(&case, kind, at, &app.tz())?;
    let document = printed(app, &case, &report).await?;
    let mut view = ReportView {
        case: case.id.case_number(),
        kind,
        document,
        file: None,
        sha256: None,
        sent: None,
    };
    if let Some(output) = &args.output {
        let bytes = render(&view.document)?;
        let digest = wegbereiter_documents::sha256(&bytes);
        if args.send {
            view.sent =
                Some(send(app, &case, &args, &report, digest.clone(), bytes.clone()).await?);
        }
        crate::files::write_private(output, &bytes)?;
        view.file = Some(output.display().to_string());
        view.sha256 = Some(digest.to_string());
    }
    app.out().emit(&view, |lang| report_text(&view, lang))
}

/// The report worded for print: signed by the key worker (else the person printing).
async fn printed(
    app: &App,
    case: &Case,
    report: &JobcenterReport,
) -> Result<ReportDocument, CliError> {
    let me = app.person().await?;
    let key_worker = match case.key_worker {
        Some(k) => app
            .store
            .staff(k)
            .await?
            .map(|s| s.display_name.to_string()),
        None => None,
    };
    let signer = Signer {
        name: key_worker
            .clone()
            .unwrap_or_else(|| me.display_name.to_string()),
        phone: None,
    };
    let ctx = ReportContext {
        sender: &Sender::default(),
        signer: &signer,
        key_worker,
        date: app.today(),
        lang: app.lang(),
    };
    Ok(report_document(case, report, &ctx))
}

fn render(document: &ReportDocument) -> Result<Vec<u8>, CliError> {
    wegbereiter_documents::jobcenter_report(document).map_err(|e| {
        CliError::Internal(msg!(
            "Das PDF konnte nicht gesetzt werden: {e}",
            "The PDF could not be laid out: {e}"
        ))
    })
}

/// Records the report as sent, with its bytes, through `CaseService::record_sent`.
async fn send(
    app: &App,
    case: &Case,
    args: &JobcenterArgs,
    report: &JobcenterReport,
    sha256: Sha256Hex,
    bytes: Vec<u8>,
) -> Result<SentReport, CliError> {
    let recipient = args
        .recipient
        .clone()
        .unwrap_or_else(|| default_recipient(case));
    let channel = args
        .channel
        .ok_or_else(|| CliError::Usage(msg!("--channel fehlt.", "--channel is missing.")))?;
    let sent = SentReport {
        document: DocumentId::from_uuid(new_uuid()),
        kind: report.kind,
        sent_on: args.sent_on.unwrap_or_else(|| app.today()),
        channel,
        recipient: super::setup::required_text(&recipient, "--recipient")?,
        sha256,
        bytes: bytes.len() as u64,
        as_of: report.as_of,
    };
    let actor = app.actor().await?.as_actor();
    let done = app
        .service()
        .record_sent(case.id, None, &sent, bytes, &actor, app.local_now())
        .await?;
    Ok(done
        .case
        .sent_reports
        .iter()
        .find(|r| r.document == sent.document)
        .cloned()
        .unwrap_or(sent))
}

fn report_text(view: &ReportView, lang: Lang) -> String {
    let doc = &view.document;
    let mut out = format!("{}\n", doc.subject);
    let about: Vec<(&str, String)> = doc
        .about
        .iter()
        .map(|r| (r.label, r.value.clone()))
        .collect();
    out.push_str(&fields(&about).to_string());
    for section in &doc.sections {
        let rows: Vec<(&str, String)> = section
            .rows
            .iter()
            .map(|r| (r.label, r.value.clone()))
            .collect();
        out.push_str(&format!("\n{}\n{}", section.heading, fields(&rows)));
    }
    out.push_str(&format!("\n{}", doc.note));
    if let (Some(file), Some(sha)) = (&view.file, &view.sha256) {
        out.push_str(&format!(
            "\n{} {file} (SHA-256 {sha})",
            tr(lang, "PDF geschrieben nach", "PDF written to")
        ));
    }
    if let Some(sent) = &view.sent {
        out.push_str(&format!(
            "\n{} {} · {} · {} · {} {}",
            tr(lang, "Als versendet erfasst:", "Recorded as sent:"),
            crate::dates::show(sent.sent_on, lang),
            sent.channel.label(lang),
            sent.recipient,
            tr(lang, "Dokument", "document"),
            sent.document
        ));
    }
    out
}

/// What `document sent` listed or wrote.
#[derive(Debug, Serialize)]
struct SentView {
    case: String,
    reports: Vec<SentReport>,
    file: Option<String>,
}

/// `document sent CASE [--document ID --output FILE.pdf]`.
///
/// # Errors
/// [`CliError::NotFound`] for a document the case did not send, or whose bytes are gone;
/// [`CliError::Internal`] when the kept bytes do not have the recorded SHA-256; access
/// refusals, storage and I/O errors.
pub async fn sent(app: &App, cmd: DocumentCmd) -> Result<(), CliError> {
    let DocumentCmd::Sent {
        id,
        document,
        output,
    } = cmd
    else {
        return Ok(());
    };
    let (Some(document), Some(output)) = (document, output) else {
        let case = app.read_case(id, AccessKind::View).await?;
        let view = SentView {
            case: case.id.case_number(),
            reports: case.sent_reports.clone(),
            file: None,
        };
        return app.out().emit(&view, |lang| sent_list(&view.reports, lang));
    };
    super::document::require_pdf(&output)?;
    let me = app.person().await?.as_actor();
    let found = app
        .service()
        .sent_document(
            id,
            DocumentId::from_uuid(document),
            &me,
            &app.store,
            app.now(),
        )
        .await?;
    let Some((report, bytes)) = found else {
        return Err(CliError::NotFound(msg!(
            "Der Fall hat kein versendetes Dokument {document}.",
            "The case has no sent document {document}."
        )));
    };
    if wegbereiter_documents::sha256(&bytes) != report.sha256 {
        return Err(CliError::Internal(msg!(
            "Das gespeicherte Dokument hat nicht die erfasste Prüfsumme.",
            "The kept document does not have its recorded checksum."
        )));
    }
    crate::files::write_private(&output, &bytes)?;
    let view = SentView {
        case: id.case_number(),
        reports: vec![report],
        file: Some(output.display().to_string()),
    };
    app.out().emit(&view, |lang| {
        format!(
            "{} {} (SHA-256 {})",
            tr(
                lang,
                "Versendeter Bericht geschrieben nach",
                "Sent report written to"
            ),
            output.display(),
            view.reports[0].sha256
        )
    })
}

fn sent_list(reports: &[SentReport], lang: Lang) -> String {
    if reports.is_empty() {
        return tr(lang, "Keine versendeten Berichte.", "No reports sent.").to_owned();
    }
    let mut t = table(&[
        tr(lang, "Dokument", "Document"),
        tr(lang, "Bericht", "Report"),
        tr(lang, "Versendet am", "Sent on"),
        tr(lang, "Weg", "Channel"),
        tr(lang, "An", "To"),
        "SHA-256",
    ]);
    for r in reports {
        t.add_row(vec![
            r.document.to_string(),
            r.kind.label(lang).to_owned(),
            crate::dates::show(r.sent_on, lang),
            r.channel.label(lang).to_owned(),
            r.recipient.to_string(),
            r.sha256.to_string(),
        ]);
    }
    t.to_string()
}
