//! The reports to the Jobcenter (issue 11 part 4): one report as the client preview
//! (core's `report::jobcenter_report` through its consent filter, worded by
//! `report_document`), its PDF/A from the documents crate, the form that records it as sent
//! (with a confirmation that the client saw it: `CaseService::record_sent` keeps the exact
//! bytes and their SHA-256), and the download of a sent report exactly as it was sent.

use askama::Template;
use axum::http::StatusCode;
use wegbereiter_core::letter::Signer;
use wegbereiter_core::ports::AccessKind;
use wegbereiter_core::report::{
    JobcenterReport, ReportContext, ReportDocument, default_recipient, report_document,
};

use super::prelude::*;
use super::{Opened, record};
use crate::context::ReqCtx;
use crate::handlers::{page, see_other};
use crate::views::Layout;

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    l: Layout,
    id: String,
    kind: &'static str,
    kind_label: &'static str,
    /// The report as it would go out; `None` when core refuses the kind now.
    doc: Option<ReportDocument>,
    /// Why the kind cannot be produced now (core's sentence).
    unavailable: String,
    version: u64,
    can_send: bool,
    channels: Vec<Opt>,
    recipient: String,
    today: String,
    /// A refusal of the send form.
    error: String,
}

/// The report of `kind` on the opened case now, worded for print.
async fn compute(
    state: &AppState,
    ctx: &ReqCtx,
    opened: &Opened,
    kind: ReportKind,
) -> Result<Result<(JobcenterReport, ReportDocument), DomainError>, AppError> {
    let case = &opened.case;
    let report = match jobcenter_report(case, kind, ctx.now, &ctx.tz) {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    let key_worker = match case.key_worker {
        Some(k) => state
            .backend
            .staff(k)
            .await?
            .map(|s| s.display_name.to_string()),
        None => None,
    };
    let signer_name = match (&key_worker, &ctx.user) {
        (Some(k), _) => k.clone(),
        (None, Some(u)) => u.display_name.to_string(),
        (None, None) => String::new(),
    };
    let signer = Signer {
        name: signer_name,
        phone: None,
    };
    let rc = ReportContext {
        sender: &state.letters,
        signer: &signer,
        key_worker,
        date: ctx.today(),
        lang: ctx.lang,
    };
    let doc = report_document(case, &report, &rc);
    Ok(Ok((report, doc)))
}

fn kind_of(key: &str) -> Result<ReportKind, AppError> {
    <ReportKind as Labelled>::from_key(key).ok_or(AppError::NotFound)
}

async fn preview_page(
    state: &AppState,
    ctx: &ReqCtx,
    opened: &Opened,
    kind: ReportKind,
    error: String,
    status: StatusCode,
) -> Result<Response, AppError> {
    let computed = compute(state, ctx, opened, kind).await?;
    let (doc, unavailable) = match computed {
        Ok((_, doc)) => (Some(doc), String::new()),
        Err(e) => (None, e.message(ctx.lang)),
    };
    let case = &opened.case;
    page(
        status,
        &ReportPage {
            l: Layout::new(ctx, "report.title", ""),
            id: case.id.to_string(),
            kind: kind.key(),
            kind_label: kind.label(ctx.lang),
            doc,
            unavailable,
            version: case.version,
            can_send: opened.access.can_write(),
            channels: views::opts::<SendChannel>(ctx.lang),
            recipient: default_recipient(case),
            today: ctx.today().to_string(),
            error,
        },
    )
}

/// GET /cases/{id}/feedback/{kind}: the report as the client preview, with its PDF and the
/// form that records it as sent; recorded in the access log as a Jobcenter preview.
pub async fn preview(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path((id, kind)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let kind = kind_of(&kind)?;
    let opened = open(&state, &user, &id, Need::Read).await?;
    record(
        &state,
        &ctx,
        &user,
        opened.case.id,
        AccessKind::JobcenterFeedback,
    )
    .await?;
    preview_page(&state, &ctx, &opened, kind, String::new(), StatusCode::OK).await
}

/// GET /cases/{id}/feedback/{kind}/pdf: the report as a PDF/A download (not recorded as
/// sent); 404 when core refuses the kind now. Recorded in the access log as an export.
pub async fn pdf(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path((id, kind)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let kind = kind_of(&kind)?;
    let opened = open(&state, &user, &id, Need::Read).await?;
    let (_, doc) = compute(&state, &ctx, &opened, kind)
        .await?
        .map_err(|_| AppError::NotFound)?;
    record(&state, &ctx, &user, opened.case.id, AccessKind::Export).await?;
    let bytes = super::pdf::render(doc, wegbereiter_documents::jobcenter_report).await?;
    let file = format!("{}-{}.pdf", kind.key(), opened.case.id.case_number());
    Ok(super::pdf::download(&file, bytes))
}

/// What the send form says, read into core's values; every problem at once.
fn read_send(form: &FormData, tr: Tr) -> Result<(SendChannel, Text, chrono::NaiveDate), Invalid> {
    let r = Reader::new(form, tr);
    let mut errors = Errors::default();
    let channel = errors.take(r.choice::<SendChannel>("channel", tr.t("report.channel")));
    let recipient = errors.take(r.text("recipient", tr.t("report.recipient")));
    let sent_on = errors.take(r.date("sent_on", tr.t("report.sent_on")));
    if form.get("shown") != "yes" {
        errors.push(Invalid::field("shown", tr.t("report.confirm_missing")));
    }
    errors.check()?;
    match (channel, recipient, sent_on) {
        (Some(c), Some(t), Some(d)) => Ok((c, t, d)),
        _ => Err(Invalid::form(tr.t("report.confirm_missing"))),
    }
}

/// Every message of a refusal, as one text above the form.
fn words(e: &Invalid) -> String {
    std::iter::once(e.msg.as_str())
        .chain(e.more.iter().map(|m| m.msg.as_str()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// POST /cases/{id}/feedback/{kind}/send: records the report as sent. The report is computed
/// and laid out again now, at the version the form showed (a consent withdrawn since is a
/// conflict), hashed, and kept with the event; the confirmation that the client saw it is
/// required.
pub async fn send(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path((id, kind)): Path<(String, String)>,
    form: FormData,
) -> Result<Response, AppError> {
    let kind = kind_of(&kind)?;
    let opened = open(&state, &user, &id, Need::Write).await?;
    let tr = Tr(ctx.lang);
    let refuse = |msg: String, status| preview_page(&state, &ctx, &opened, kind, msg, status);
    let (channel, recipient, sent_on) = match read_send(&form, tr) {
        Ok(v) => v,
        Err(e) => return refuse(words(&e), StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let Some(seen) = form.version() else {
        return Err(AppError::BadRequest);
    };
    let (report, doc) = match compute(&state, &ctx, &opened, kind).await? {
        Ok(v) => v,
        Err(e) => return refuse(e.message(ctx.lang), StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let bytes = super::pdf::render(doc, wegbereiter_documents::jobcenter_report).await?;
    let sent = SentReport {
        document: new_id(),
        kind,
        sent_on,
        channel,
        recipient,
        sha256: wegbereiter_documents::sha256(&bytes),
        bytes: bytes.len() as u64,
        as_of: report.as_of,
    };
    let case_id = opened.case.id;
    let result = state
        .service
        .record_sent(
            case_id,
            Some(seen),
            &sent,
            bytes,
            &user.as_actor(),
            ctx.local_now,
        )
        .await;
    match result {
        Ok(_) => {
            ctx.flash(tr.t("report.recorded")).await;
            Ok(see_other(&format!("/cases/{case_id}/feedback")))
        }
        Err(e) => match crate::handlers::refusal(e, ctx.lang, &form)? {
            crate::handlers::Refusal::Rule(msg) => {
                refuse(words(&msg), StatusCode::UNPROCESSABLE_ENTITY).await
            }
            crate::handlers::Refusal::Conflict => {
                let fresh = open(&state, &user, &id, Need::Read).await?;
                preview_page(
                    &state,
                    &ctx,
                    &fresh,
                    kind,
                    tr.t("case.conflict").to_owned(),
                    StatusCode::CONFLICT,
                )
                .await
            }
        },
    }
}

/// GET /cases/{id}/sent/{document}/pdf: a report exactly as it was sent (its kept bytes),
/// whatever consent was withdrawn since; recorded in the access log as an export. 404 for a
/// document the case did not send.
pub async fn sent_pdf(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path((id, document)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, Need::Read).await?;
    let document: DocumentId = document.parse().map_err(|_| AppError::NotFound)?;
    let found = state
        .service
        .sent_document(
            opened.case.id,
            document,
            &user.as_actor(),
            &*state.backend,
            ctx.now,
        )
        .await
        .map_err(|e| access::refusal(&e).unwrap_or_else(|| AppError::Internal(e.to_string())))?;
    let Some((report, bytes)) = found else {
        return Err(AppError::NotFound);
    };
    let file = format!(
        "{}-{}-{}.pdf",
        report.kind.key(),
        opened.case.id.case_number(),
        report.sent_on
    );
    Ok(super::pdf::download(&file, bytes))
}
