//! The data-protection officer's retention page: the retention table of the installation,
//! the steps due today and those coming, and carrying out the due ones (one transaction per
//! case, each audited). Cases appear by their case number only, never by a name.
//!
//! Core decides (`wegbereiter_core::retention`), storage carries out; this page only shows
//! the plan and asks for a confirmation before anything is erased.
//!
//! A client's request of erasure (Art. 17 GDPR) or restriction (Art. 18) is entered here too
//! (case id, kind, the request's date and form as the reason): `GET /privacy/request` shows
//! on a confirmation page what core's `on_request` / `on_restriction_request` would do to
//! the case (or why core refuses), and only the POST with `confirm=yes` carries it out, with
//! the steps decided again by core inside the transaction (`Store::carry_out_request`, which
//! also records the case's open request of that kind in the register as done). The register
//! itself (open requests with their deadlines, entered, extended, done, refused) is
//! `privacy_register`.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::header;
use axum::response::Response;
use wegbereiter_core::access;
use wegbereiter_core::ids::CaseId;
use wegbereiter_core::ports::AuditStamp;
use wegbereiter_core::privacy_request;
use wegbereiter_core::retention::{self, RetentionAction, Step};
use wegbereiter_core::vocab::{Labelled, Lang};
use wegbereiter_storage::{PlannedCase, RetentionError};

use super::privacy_register::{Choice, RegisterRow, channels, kinds, open_rows};
use super::{page, see_other};
use crate::AppState;
use crate::context::{Auth, FormData, ReqCtx};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::views::{self, Layout};

/// One rule of the retention table.
struct RuleRow {
    category: &'static str,
    period: String,
    counted_from: &'static str,
    source: &'static str,
}

/// One planned step of one case.
struct StepRow {
    case_id: String,
    ended: String,
    step: String,
    from: String,
}

#[derive(Template)]
#[template(path = "privacy.html")]
struct PrivacyPage {
    l: Layout,
    rules: Vec<RuleRow>,
    esf_until: String,
    due: Vec<StepRow>,
    upcoming: Vec<StepRow>,
    /// The confirmation was missing on the last try.
    unconfirmed: bool,
    /// The case id last asked for an access export, and why it gave none.
    export_case: String,
    export_error: Option<&'static str>,
    /// The request last entered, and why it cannot be carried out.
    request: RequestForm,
    request_error: Option<String>,
    /// The register's open requests, overdue first.
    requests: Vec<RegisterRow>,
    kinds: Vec<Choice>,
    channels: Vec<Choice>,
    /// Why the last step of the register was not made.
    register_error: Option<String>,
}

/// What the data-protection officer typed for a request.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    case: String,
    /// `erase` (Art. 17) or `restrict` (Art. 18).
    #[serde(default)]
    kind: String,
    /// The request's date and form (no health or case details: it is stored).
    #[serde(default)]
    reason: String,
}

impl RequestForm {
    fn is_restrict(&self) -> bool {
        self.kind == "restrict"
    }
}

#[derive(Template)]
#[template(path = "privacy_request.html")]
struct RequestPage {
    l: Layout,
    request: RequestForm,
    case_no: String,
    title: &'static str,
    steps: Vec<String>,
    unconfirmed: bool,
}

fn action_key(action: RetentionAction) -> &'static str {
    match action {
        RetentionAction::EraseCase => "privacy.action.erase_case",
        RetentionAction::EraseContent => "privacy.action.erase_content",
        RetentionAction::Restrict => "privacy.action.restrict",
    }
}

/// Upcoming steps shown at most; the CLI's `retention plan --upcoming` lists all.
const UPCOMING: usize = 100;

fn step_rows(plan: &[PlannedCase], due: bool, tr: Tr, lang: Lang) -> Vec<StepRow> {
    plan.iter()
        .flat_map(|p| {
            p.plan
                .steps
                .iter()
                .filter(move |s| s.due == due)
                .map(move |s| StepRow {
                    case_id: p.case_id.to_string(),
                    ended: p.ended_on.map(|d| views::date(d, lang)).unwrap_or_default(),
                    step: format!(
                        "{} ({})",
                        tr.t(action_key(s.action)),
                        s.category.label(lang)
                    ),
                    from: views::date(s.from, lang),
                })
        })
        .take(if due { usize::MAX } else { UPCOMING })
        .collect()
}

async fn render(
    state: &AppState,
    ctx: &ReqCtx,
    status: StatusCode,
    unconfirmed: bool,
) -> Result<Response, AppError> {
    render_with(state, ctx, status, unconfirmed, String::new(), None).await
}

async fn render_request_error(
    state: &AppState,
    ctx: &ReqCtx,
    request: RequestForm,
    error: String,
) -> Result<Response, AppError> {
    render_page(
        state,
        ctx,
        StatusCode::UNPROCESSABLE_ENTITY,
        false,
        (String::new(), None),
        (request, Some(error)),
        None,
    )
    .await
}

/// The page again (422) with why the last step of the register was not made.
pub(super) async fn render_register_error(
    state: &AppState,
    ctx: &ReqCtx,
    error: String,
) -> Result<Response, AppError> {
    render_page(
        state,
        ctx,
        StatusCode::UNPROCESSABLE_ENTITY,
        false,
        (String::new(), None),
        (RequestForm::default(), None),
        Some(error),
    )
    .await
}

async fn render_with(
    state: &AppState,
    ctx: &ReqCtx,
    status: StatusCode,
    unconfirmed: bool,
    export_case: String,
    export_error: Option<&'static str>,
) -> Result<Response, AppError> {
    render_page(
        state,
        ctx,
        status,
        unconfirmed,
        (export_case, export_error),
        (RequestForm::default(), None),
        None,
    )
    .await
}

async fn render_page(
    state: &AppState,
    ctx: &ReqCtx,
    status: StatusCode,
    unconfirmed: bool,
    (export_case, export_error): (String, Option<&'static str>),
    (request, request_error): (RequestForm, Option<String>),
    register_error: Option<String>,
) -> Result<Response, AppError> {
    let tr = Tr(ctx.lang);
    let requests = open_rows(state, ctx).await?;
    let rules = state.backend.retention_rules().await?;
    let plan = state.backend.retention_plan(ctx.today()).await?;
    page(
        status,
        &PrivacyPage {
            l: Layout::new(ctx, "privacy.title", "privacy"),
            rules: rules
                .table()
                .into_iter()
                .map(|r| RuleRow {
                    category: r.category.label(ctx.lang),
                    period: r.period.describe(ctx.lang),
                    counted_from: r.counted_from,
                    source: r.legal_source,
                })
                .collect(),
            esf_until: rules.esf_retention_until.map_or_else(
                || tr.t("privacy.esf_unknown").to_owned(),
                |d| views::date(d, ctx.lang),
            ),
            due: step_rows(&plan, true, tr, ctx.lang),
            upcoming: step_rows(&plan, false, tr, ctx.lang),
            unconfirmed,
            export_case,
            export_error: export_error.map(|k| tr.t(k)),
            request,
            request_error,
            requests,
            kinds: kinds(ctx.lang),
            channels: channels(ctx.lang),
            register_error,
        },
    )
}

/// The steps core would carry out for `request` now, or the sentence why not (in the
/// reader's language).
async fn request_steps(
    state: &AppState,
    ctx: &ReqCtx,
    request: &RequestForm,
) -> Result<Result<(CaseId, Vec<Step>), String>, AppError> {
    let tr = Tr(ctx.lang);
    if !matches!(request.kind.as_str(), "erase" | "restrict") {
        return Ok(Err(tr.t("privacy.request_kind_missing").to_owned()));
    }
    let reason = request.reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Ok(Err(tr.t("privacy.request_reason_missing").to_owned()));
    }
    let Ok(uuid) = uuid::Uuid::parse_str(request.case.trim()) else {
        return Ok(Err(tr.t("privacy.export_bad_id").to_owned()));
    };
    let id = CaseId::from_uuid(uuid);
    let Some(case) = state.backend.case_for_retention(id).await? else {
        return Ok(Err(tr.t("privacy.export_unknown").to_owned()));
    };
    let rules = state.backend.retention_rules().await?;
    let decided = if request.is_restrict() {
        retention::on_restriction_request(&case, &rules, ctx.today())
    } else {
        retention::on_request(&case, &rules, ctx.today())
    };
    Ok(decided
        .map(|steps| (id, steps))
        .map_err(|refused| match ctx.lang {
            Lang::De => refused.german().to_owned(),
            Lang::En => refused.to_string(),
        }))
}

fn step_label(step: &Step, tr: Tr, lang: Lang) -> String {
    format!(
        "{} ({})",
        tr.t(action_key(step.action)),
        step.category.label(lang)
    )
}

async fn confirm_page(
    ctx: &ReqCtx,
    request: RequestForm,
    id: CaseId,
    steps: &[Step],
    unconfirmed: bool,
) -> Result<Response, AppError> {
    let tr = Tr(ctx.lang);
    let status = if unconfirmed {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let title = if request.is_restrict() {
        "privacy.request_restrict_title"
    } else {
        "privacy.request_erase_title"
    };
    page(
        status,
        &RequestPage {
            l: Layout::new(ctx, title, "privacy"),
            case_no: views::case_no(id),
            title,
            steps: steps.iter().map(|s| step_label(s, tr, ctx.lang)).collect(),
            request,
            unconfirmed,
        },
    )
}

/// GET /privacy/request?case=ID&kind=erase|restrict&reason=…: what the request would do,
/// to be confirmed; nothing is changed.
pub async fn request(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Query(form): Query<RequestForm>,
) -> Result<Response, AppError> {
    if !access::can_manage_retention(&user.as_actor()) {
        return Err(AppError::Forbidden);
    }
    match request_steps(&state, &ctx, &form).await? {
        Ok((id, steps)) => confirm_page(&ctx, form, id, &steps, false).await,
        Err(why) => render_request_error(&state, &ctx, form, why).await,
    }
}

/// POST /privacy/request: carries out a confirmed request (core decides the steps again).
pub async fn carry_out_request(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    form: FormData,
) -> Result<Response, AppError> {
    if !access::can_manage_retention(&user.as_actor()) {
        return Err(AppError::Forbidden);
    }
    let tr = Tr(ctx.lang);
    let request = RequestForm {
        case: form.get_raw("case").to_owned(),
        kind: form.get_raw("kind").to_owned(),
        reason: form.get_raw("reason").to_owned(),
    };
    let (id, steps) = match request_steps(&state, &ctx, &request).await? {
        Ok(found) => found,
        Err(why) => return render_request_error(&state, &ctx, request, why).await,
    };
    if form.get_raw("confirm") != "yes" {
        return confirm_page(&ctx, request, id, &steps, true).await;
    }
    let article = if request.is_restrict() { 18 } else { 17 };
    let basis = format!(
        "Antrag nach Art. {article} DSGVO: {}",
        request.reason.trim()
    );
    let kind = privacy_request::answered_by(request.is_restrict());
    match state
        .backend
        .carry_out_request(
            id,
            &steps,
            (&basis, kind),
            &user.as_actor(),
            ctx.now,
            ctx.today(),
        )
        .await
    {
        Ok(done) => {
            let mut message = tr
                .t("privacy.request_done")
                .replace("{case}", &views::case_no(id))
                .replace("{steps}", &done.steps.len().to_string());
            if !done.answered.is_empty() {
                message.push(' ');
                message.push_str(
                    &tr.t("privacy.register_answered")
                        .replace("{n}", &done.answered.len().to_string()),
                );
            }
            ctx.flash(&message).await;
            Ok(see_other("/privacy"))
        }
        Err(RetentionError::Refused(refused)) => {
            let why = match ctx.lang {
                Lang::De => refused.german().to_owned(),
                Lang::En => refused.to_string(),
            };
            render_request_error(&state, &ctx, request, why).await
        }
        Err(RetentionError::NotFound(_)) => {
            render_request_error(
                &state,
                &ctx,
                request,
                tr.t("privacy.export_unknown").to_owned(),
            )
            .await
        }
        Err(RetentionError::Storage(wegbereiter_core::ports::StorageError::Unavailable(_))) => {
            render_request_error(
                &state,
                &ctx,
                request,
                tr.t("privacy.unavailable").to_owned(),
            )
            .await
        }
        Err(RetentionError::Storage(e)) => Err(e.into()),
        Err(e) => Err(AppError::Internal(e.to_string())),
    }
}

/// GET /privacy
pub async fn show(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
) -> Result<Response, AppError> {
    if !access::can_manage_retention(&user.as_actor()) {
        return Err(AppError::Forbidden);
    }
    render(&state, &ctx, StatusCode::OK, false).await
}

/// POST /privacy/apply: carries out every step due today, after the confirmation.
pub async fn apply(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    form: FormData,
) -> Result<Response, AppError> {
    if !access::can_manage_retention(&user.as_actor()) {
        return Err(AppError::Forbidden);
    }
    let tr = Tr(ctx.lang);
    if form.get_raw("confirm") != "yes" {
        return render(&state, &ctx, StatusCode::UNPROCESSABLE_ENTITY, true).await;
    }
    let stamp = AuditStamp {
        actor: Some(user.id),
        at: ctx.now,
    };
    let applied = match state.backend.apply_due(ctx.today(), stamp).await {
        Ok(applied) => applied,
        Err(wegbereiter_core::ports::StorageError::Unavailable(_)) => {
            ctx.flash(tr.t("privacy.unavailable")).await;
            return Ok(see_other("/privacy"));
        }
        Err(e) => return Err(e.into()),
    };
    let (steps, cases, refused) = (applied.steps, applied.cases, applied.refused.len());
    let mut message = tr
        .t("privacy.applied")
        .replace("{steps}", &steps.to_string())
        .replace("{cases}", &cases.to_string());
    if refused > 0 {
        message.push(' ');
        message.push_str(&tr.t("privacy.refused").replace("{n}", &refused.to_string()));
    }
    if applied.staff_accounts > 0 {
        message.push(' ');
        message.push_str(
            &tr.t("privacy.staff_erased")
                .replace("{n}", &applied.staff_accounts.to_string()),
        );
    }
    ctx.flash(&message).await;
    Ok(see_other("/privacy"))
}

/// Query of the access export.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    case: String,
}

/// GET /privacy/export?case=ID: the access export (Art. 15 GDPR) of the person of the case
/// as a JSON download (the same document as `wegbereiter --format json privacy export`);
/// recorded in the access log of every case it contains.
pub async fn export(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    if !access::can_manage_retention(&user.as_actor()) {
        return Err(AppError::Forbidden);
    }
    let asked = q.case.trim().to_owned();
    let refuse = |key: &'static str| {
        render_with(
            &state,
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            false,
            asked.clone(),
            Some(key),
        )
    };
    let Ok(uuid) = uuid::Uuid::parse_str(&asked) else {
        return refuse("privacy.export_bad_id").await;
    };
    let id = wegbereiter_core::ids::CaseId::from_uuid(uuid);
    let export = match state
        .backend
        .access_export(id, user.id, ctx.now, ctx.today())
        .await
    {
        Ok(Some(export)) => export,
        Ok(None) => return refuse("privacy.export_unknown").await,
        Err(wegbereiter_core::ports::StorageError::Unavailable(_)) => {
            return refuse("privacy.unavailable").await;
        }
        Err(e) => return Err(e.into()),
    };
    let body = serde_json::to_vec_pretty(&export).map_err(|e| AppError::Internal(e.to_string()))?;
    let name = format!("auskunft-{}.json", views::case_no(id));
    Response::builder()
        .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        )
        .header(header::CACHE_CONTROL, "no-store")
        .body(axum::body::Body::from(body))
        .map_err(|e| AppError::Internal(e.to_string()))
}
