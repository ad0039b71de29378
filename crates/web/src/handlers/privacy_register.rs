//! The register of a client's data-protection requests on the data-protection officer's
//! page (`/privacy`): the open requests with their deadline (one month after receipt,
//! Art. 12(3) GDPR), overdue ones first and flagged, a form to enter one, and per request
//! the steps extend, done and refuse.
//!
//! Core decides (`wegbereiter_core::privacy_request`: only the data-protection officer, the
//! deadline, which step is possible); storage writes each step with its audit line in one
//! transaction. Requests name cases by number only, never by a name.

use axum::extract::{Path, State};
use axum::response::Response;
use wegbereiter_core::access;
use wegbereiter_core::ids::PrivacyRequestId;
use wegbereiter_core::ports::StorageError;
use wegbereiter_core::privacy_request::{
    PrivacyRequest, Receipt, RequestChannel, RequestKind, RequestRefused, RequestStep,
    sort_for_register,
};
use wegbereiter_core::vocab::{Labelled, Lang};
use wegbereiter_storage::RequestError;

use super::see_other;
use crate::AppState;
use crate::context::{Auth, FormData, ReqCtx};
use crate::error::AppError;
use crate::forms::{Errors, Reader};
use crate::i18n::Tr;
use crate::views;

/// One open request as the page shows it.
pub(super) struct RegisterRow {
    pub id: String,
    pub case_id: String,
    pub kind: &'static str,
    pub channel: &'static str,
    pub received: String,
    pub deadline: String,
    /// Open and past its deadline: flagged.
    pub overdue: bool,
    /// "noch 12 Tage", "seit 3 Tagen überfällig".
    pub left: String,
    /// The period was extended before (no second extension offered).
    pub extended: bool,
}

/// One choice of a select: key and label.
pub(super) struct Choice {
    pub key: &'static str,
    pub label: &'static str,
}

/// The choices of the register's form.
pub(super) fn kinds(lang: Lang) -> Vec<Choice> {
    choices::<RequestKind>(lang)
}

/// The channels of the register's form.
pub(super) fn channels(lang: Lang) -> Vec<Choice> {
    choices::<RequestChannel>(lang)
}

fn choices<T: Labelled>(lang: Lang) -> Vec<Choice> {
    T::ALL
        .iter()
        .map(|v| Choice {
            key: v.key(),
            label: v.label(lang),
        })
        .collect()
}

fn row(r: &PrivacyRequest, ctx: &ReqCtx) -> RegisterRow {
    let tr = Tr(ctx.lang);
    let today = ctx.today();
    let days = r.days_left(today);
    let left = if r.is_overdue(today) {
        tr.t("privacy.register_overdue_by")
            .replace("{n}", &(-days).to_string())
    } else {
        tr.t("privacy.register_left")
            .replace("{n}", &days.to_string())
    };
    RegisterRow {
        id: r.id().to_string(),
        case_id: r.case_id().to_string(),
        kind: r.kind().label(ctx.lang),
        channel: r.receipt().channel.label(ctx.lang),
        received: views::date(r.received_on(), ctx.lang),
        deadline: views::date(r.deadline(), ctx.lang),
        overdue: r.is_overdue(today),
        left,
        extended: r.extension().is_some(),
    }
}

/// The open requests, overdue first, then by deadline.
///
/// # Errors
/// [`AppError`] on storage failure.
pub(super) async fn open_rows(
    state: &AppState,
    ctx: &ReqCtx,
) -> Result<Vec<RegisterRow>, AppError> {
    let mut open = state.backend.privacy_requests(false).await?;
    sort_for_register(&mut open, ctx.today());
    Ok(open.iter().map(|r| row(r, ctx)).collect())
}

/// Why a step of the register was not made, as a sentence in the reader's language, or the
/// error page for what is no refusal.
fn refusal(e: RequestError, lang: Lang) -> Result<String, AppError> {
    let tr = Tr(lang);
    match e {
        RequestError::Refused(RequestRefused::NotPermitted) => Err(AppError::Forbidden),
        RequestError::Refused(r) => Ok(r.message(lang)),
        RequestError::NotFound(_) => Ok(tr.t("privacy.register_unknown").to_owned()),
        RequestError::Storage(StorageError::Unavailable(_)) => {
            Ok(tr.t("privacy.unavailable").to_owned())
        }
        RequestError::Storage(e) => Err(e.into()),
        other => Err(AppError::Internal(other.to_string())),
    }
}

async fn refused(state: &AppState, ctx: &ReqCtx, why: String) -> Result<Response, AppError> {
    super::privacy::render_register_error(state, ctx, why).await
}

fn guard(user: &wegbereiter_core::staff::StaffMember) -> Result<(), AppError> {
    if access::can_keep_privacy_requests(&user.as_actor()) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// POST /privacy/requests: enters a request (case, kind, channel, day of receipt, note).
pub async fn add(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    form: FormData,
) -> Result<Response, AppError> {
    guard(&user)?;
    let r = Reader::new(&form, Tr(ctx.lang));
    let mut errors = Errors::default();
    let case = errors.take(r.id("case", "privacy.export_case"));
    let kind = errors.take(r.choice::<RequestKind>("kind", "privacy.request_kind"));
    let channel = errors.take(r.choice::<RequestChannel>("channel", "privacy.register_channel"));
    let received = errors.take(r.opt_date("received_on", "privacy.register_received"));
    let note = errors.take(r.opt_text("note", "privacy.register_note"));
    let (Some(case_id), Some(kind), Some(channel), Some(received), Some(note)) =
        (case, kind, channel, received, note)
    else {
        return refused(&state, &ctx, errors.refusal().msg).await;
    };
    // A mistyped case number is caught here rather than kept in the register.
    if state.backend.case_for_retention(case_id).await?.is_none() {
        let why = Tr(ctx.lang).t("privacy.export_unknown").to_owned();
        return refused(&state, &ctx, why).await;
    }
    let receipt = Receipt {
        id: PrivacyRequestId::from_uuid(uuid::Uuid::now_v7()),
        case_id,
        kind,
        channel,
        received_on: received.unwrap_or_else(|| ctx.today()),
        note,
    };
    match state
        .backend
        .privacy_request_add(receipt, &user.as_actor(), ctx.now, ctx.today())
        .await
    {
        Ok(request) => {
            let message = Tr(ctx.lang)
                .t("privacy.register_added")
                .replace("{case}", &views::case_no(request.case_id()))
                .replace("{deadline}", &views::date(request.deadline(), ctx.lang));
            ctx.flash(&message).await;
            Ok(see_other("/privacy#reg-h"))
        }
        Err(e) => {
            let why = refusal(e, ctx.lang)?;
            refused(&state, &ctx, why).await
        }
    }
}

/// POST /privacy/requests/{id}/{step}: `extend` (with `reason`), `done` (with an optional
/// `note`) or `refuse` (with `reason`), on the acting day.
pub async fn step(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path((id, step)): Path<(String, String)>,
    form: FormData,
) -> Result<Response, AppError> {
    guard(&user)?;
    let Ok(uuid) = uuid::Uuid::parse_str(id.trim()) else {
        return Err(AppError::NotFound);
    };
    let id = PrivacyRequestId::from_uuid(uuid);
    let r = Reader::new(&form, Tr(ctx.lang));
    let today = ctx.today();
    let parsed = match step.as_str() {
        "extend" => r
            .text("reason", "privacy.register_reason")
            .map(|reason| RequestStep::Extend { reason }),
        "done" => r
            .opt_text("note", "privacy.register_note")
            .map(|note| RequestStep::Complete { on: today, note }),
        "refuse" => r
            .text("reason", "privacy.register_reason")
            .map(|reason| RequestStep::Refuse { on: today, reason }),
        _ => return Err(AppError::NotFound),
    };
    let change = match parsed {
        Ok(change) => change,
        Err(invalid) => return refused(&state, &ctx, invalid.msg).await,
    };
    let key = match &change {
        RequestStep::Extend { .. } => "privacy.register_extended",
        RequestStep::Complete { .. } => "privacy.register_completed",
        RequestStep::Refuse { .. } => "privacy.register_refused",
    };
    match state
        .backend
        .privacy_request_step(id, change, &user.as_actor(), ctx.now, today)
        .await
    {
        Ok(request) => {
            let message = Tr(ctx.lang)
                .t(key)
                .replace("{case}", &views::case_no(request.case_id()))
                .replace("{deadline}", &views::date(request.deadline(), ctx.lang));
            ctx.flash(&message).await;
            Ok(see_other("/privacy#reg-h"))
        }
        Err(e) => {
            let why = refusal(e, ctx.lang)?;
            refused(&state, &ctx, why).await
        }
    }
}
