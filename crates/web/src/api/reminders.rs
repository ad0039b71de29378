//! `/api/v1/reminders`: the caller's *Wiedervorlagen*, as the dashboard lists them (the
//! cases assigned to them and, if they take up outreach, their teams' unassigned ones), in
//! pages of 50, most urgent first.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use wegbereiter_core::reminders::ReminderSubject;
use wegbereiter_storage::TokenScope;

use super::auth::Caller;
use super::json;
use super::model::{ReminderPage, ReminderView};
use super::problem::Problem;
use crate::AppState;
use crate::access;

/// Which page.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The page, from 0 (the `next_page` of the previous answer).
    pub page: Option<usize>,
}

/// The caller's reminders due today.
#[utoipa::path(
    get, path = "/reminders", tag = "reminders",
    params(PageQuery),
    security(("bearer" = ["read"])),
    responses(
        (status = 200, description = "One page of reminders", body = ReminderPage),
        (status = 400, description = "The page cannot be read", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 403, description = "The role works on no cases, or the scope is too narrow", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = super::problem::Document, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Response, Problem> {
    caller.require(TokenScope::Read)?;
    let Query(query) = query.map_err(|e| Problem::bad_request(&e.body_text()))?;
    if !access::works_on_cases(&caller.actor()) {
        return Err(Problem::service(
            wegbereiter_core::ServiceError::Forbidden(access::Right::Read),
            None,
        ));
    }
    let page = query.page.unwrap_or(0).min(10_000);
    let today = state.local_now().date_naive();
    let found =
        crate::handlers::dashboard::my_reminders(&state, &caller.member, today, page).await?;
    let names = super::cases::directory_names(&state).await?;
    let items = found
        .rows
        .iter()
        .map(|d| {
            let r = &d.reminder;
            ReminderView {
                due: r.due,
                kind: wegbereiter_core::Labelled::key(r.kind),
                case_id: r.case_id.as_uuid(),
                client_name: Some(d.client_name.clone()),
                subject_id: match r.subject {
                    ReminderSubject::Case => None,
                    ReminderSubject::Goal(g) => Some(g.to_string()),
                    ReminderSubject::ReferralOut(o) => Some(o.to_string()),
                },
                key_worker: r.key_worker.and_then(|k| names.logins.get(&k).cloned()),
                key_worker_id: r.key_worker.map(|k| k.as_uuid()),
                overdue: r.due < today,
            }
        })
        .collect();
    Ok(json(
        StatusCode::OK,
        &ReminderPage {
            items,
            next_page: found.more.then_some(page + 1),
        },
    ))
}
