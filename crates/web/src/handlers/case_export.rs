//! `GET /cases/export/{format}?q=…`: the search page's cases (every case the person may know
//! of without a search) as a spreadsheet from `wegbereiter-export` — the same bytes as the
//! CLI's `case list --export` — audited as `cases.exported`. Only what core's
//! `CaseService::list_for` lists: never a restricted case, never a case of another team the
//! access policy hides.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use wegbereiter_core::ports::CaseFilter;
use wegbereiter_core::prelude::*;
use wegbereiter_export::CaseListRow;

use super::dashboard::Names;
use crate::AppState;
use crate::access;
use crate::context::Auth;
use crate::error::AppError;

/// `?q=`: the search text of the search page.
#[derive(Debug, Default, Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    q: String,
}

fn row(s: &CaseSummary, names: &Names, lang: Lang) -> CaseListRow {
    let name = |m: Option<String>| m.unwrap_or_default();
    CaseListRow {
        case_number: s.id.case_number(),
        client_name: s.client_name.clone(),
        date_of_birth: s.date_of_birth,
        status: s.status.label(lang).to_owned(),
        team: name(s.team.and_then(|t| names.teams.get(&t).cloned())),
        key_worker: name(s.key_worker.and_then(|k| names.staff.get(&k).cloned())),
        jobcenter: s.jobcenter.clone(),
        referral_date: s.referral_date,
        planned_end: s.planned_end,
        ended_on: s.ended_on,
    }
}

/// GET /cases/export/{format}: `csv` or `xlsx`.
pub async fn export(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(format): Path<String>,
    Query(query): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let me = user.as_actor();
    if !access::works_on_cases(&me) {
        return Err(AppError::Forbidden);
    }
    let q = query.q.trim();
    let filter = if q.is_empty() {
        CaseFilter::default()
    } else {
        CaseFilter::search(q)
    };
    let cases =
        state.service.list_for(&me, &filter).await.map_err(|e| {
            access::refusal(&e).unwrap_or_else(|| AppError::Internal(e.to_string()))
        })?;
    let names = Names::load(&state).await?;
    let rows: Vec<CaseListRow> = cases.iter().map(|s| row(s, &names, ctx.lang)).collect();
    let (content_type, bytes) = match format.as_str() {
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            wegbereiter_export::case_list_xlsx(&rows, ctx.lang),
        ),
        "csv" => (
            "text/csv; charset=utf-8",
            wegbereiter_export::case_list_csv(&rows, ctx.lang),
        ),
        _ => return Err(AppError::NotFound),
    };
    let bytes = bytes.map_err(|e| AppError::Internal(e.to_string()))?;
    state
        .backend
        .audit(crate::AuditLine {
            at: ctx.now,
            actor: Some(user.id),
            action: wegbereiter_storage::CASES_EXPORTED.into(),
            subject: wegbereiter_storage::AuditSubject::Typed(
                wegbereiter_export::case_list_audit_subject(rows.len(), &format, &filter),
            ),
        })
        .await?;
    let file = format!("faelle-{}.{format}", ctx.today().format("%Y%m%d"));
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
