//! `/api/v1/cases`: the case list, a case file as the caller may read it, and every process
//! step as a POST of its command.
//!
//! Reads go through [`CaseService::list_for`] and [`CaseService::read_for`] (the access
//! policy decides, the read is in the access log before anything is answered); commands
//! through [`CaseService::execute_at`] with the version of `If-Match`, so a command made
//! from an old state is refused (412), never applied to a newer one.

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use wegbereiter_core::case_file::{self, Medium};
use wegbereiter_core::next_steps::next_steps;
use wegbereiter_core::ports::{AccessKind, CaseFilter};
use wegbereiter_core::prelude::*;
use wegbereiter_storage::TokenScope;

use super::auth::Caller;
use super::model::{
    CasePage, CaseView, DirectoryNames, NextStepView, SummaryView, Written, file_views,
};
use super::problem::Problem;
use super::{JsonBody, json, with_etag};
use crate::AppState;

/// The longest page of the case list.
pub const MAX_LIMIT: usize = 200;
/// The page size without `limit`.
pub const DEFAULT_LIMIT: usize = 50;

/// The filters of the case list (as the CLI's `case list`).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only this status key (`referred`, `outreach`, `enrolled`, `closed`, …).
    pub status: Option<String>,
    /// Only cases of this key worker (staff id).
    pub key_worker: Option<uuid::Uuid>,
    /// Only cases of this team (team id).
    pub team: Option<uuid::Uuid>,
    /// A search as the web's search field and `case list --name` read it: parts of the
    /// client's name in any spelling, a date of birth, or (the beginning of) a case number.
    pub search: Option<String>,
    /// Only cases that have not ended.
    #[serde(default)]
    pub open_only: bool,
    /// Only cases without a key worker.
    #[serde(default)]
    pub unassigned: bool,
    /// Rows per page, 1 to 200 (default 50).
    pub limit: Option<usize>,
    /// Rows to skip (the `next_offset` of the previous page).
    pub offset: Option<usize>,
}

impl ListQuery {
    fn filter(&self) -> Result<(CaseFilter, usize, usize), Problem> {
        let mut filter = self
            .search
            .as_deref()
            .map_or_else(CaseFilter::default, CaseFilter::search);
        if let Some(key) = self.status.as_deref() {
            filter.status = Some(
                CaseStatus::from_key(key)
                    .ok_or_else(|| Problem::bad_request(&format!("unknown status {key:?}")))?,
            );
        }
        filter.key_worker = self.key_worker.map(StaffId::from_uuid);
        filter.team = self.team.map(TeamId::from_uuid);
        filter.open_only = self.open_only;
        filter.unassigned = self.unassigned;
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(Problem::bad_request("limit must be between 1 and 200"));
        }
        let offset = self.offset.unwrap_or(0);
        // One row more than asked tells whether a next page exists.
        filter.limit = Some(limit + 1);
        filter.offset = Some(offset);
        Ok((filter, limit, offset))
    }
}

/// The cases the caller may know of, filtered and paged.
#[utoipa::path(
    get, path = "/cases", tag = "cases",
    params(ListQuery),
    security(("bearer" = ["read"])),
    responses(
        (status = 200, description = "One page of cases", body = CasePage),
        (status = 400, description = "A filter cannot be read", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 403, description = "The role works on no cases, or the scope is too narrow", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = super::problem::Document, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Response, Problem> {
    caller.require(TokenScope::Read)?;
    let Query(query) = query.map_err(|e| Problem::bad_request(&e.body_text()))?;
    let (filter, limit, offset) = query.filter()?;
    let mut rows = state
        .service
        .list_for(&caller.actor(), &filter)
        .await
        .map_err(|e| Problem::service(e, None))?;
    let next_offset = (rows.len() > limit).then_some(offset + limit);
    rows.truncate(limit);
    let names = directory_names(&state).await?;
    Ok(json(
        StatusCode::OK,
        &CasePage {
            items: rows.iter().map(|r| SummaryView::of(r, &names)).collect(),
            next_offset,
        },
    ))
}

/// A case id in the path; anything else is 404, like an unknown case.
fn case_id(id: &str) -> Result<CaseId, Problem> {
    id.parse().map_err(|_| Problem::not_found())
}

/// The case file as the caller may read it, with its version as `ETag`; the read is
/// recorded in the access log.
#[utoipa::path(
    get, path = "/cases/{id}", tag = "cases",
    params(("id" = uuid::Uuid, Path, description = "Case id")),
    security(("bearer" = ["read"])),
    responses(
        (status = 200, description = "The case file", body = CaseView,
         headers(("ETag" = String, description = "The case version, e.g. \"7\""))),
        (status = 401, description = "No valid token", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 403, description = "Not permitted", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 404, description = "No such case, or one the caller may not know of", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = super::problem::Document, content_type = "application/problem+json"),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    caller.require(TokenScope::Read)?;
    let id = case_id(&id)?;
    let me = caller.actor();
    let now = state.now();
    let case = state
        .service
        .read_for(id, &me, AccessKind::View, &*state.backend, now)
        .await
        .map_err(|e| Problem::service(e, None))?;
    let view = case_view(&state, &caller, &me, &case).await?;
    Ok(with_etag(json(StatusCode::OK, &view), case.version))
}

/// Core's case-file model of `case` for `me`, with the next steps.
async fn case_view(
    state: &AppState,
    caller: &Caller,
    me: &Actor,
    case: &Case,
) -> Result<CaseView, Problem> {
    let names = ApiNames::load(state).await?;
    let lang = caller.lang;
    let local_now = state.local_now();
    let view = case_file::View {
        reader: me,
        lang,
        medium: Medium::Screen,
        now: local_now,
    };
    let file = case_file::build_for(case, &view, &names).map_err(|_| Problem::not_found())?;
    let tz = state.tz;
    let show = |v: &case_file::Value| v.show(lang, &|at| crate::views::datetime(at, lang, tz));
    let (sections, withheld) = file_views(&file, &show);
    let today = local_now.date_naive();
    let next = next_steps(case, me, today, &state.tz, &state.policy);
    Ok(CaseView {
        summary: SummaryView::of(
            &state.service.summary_at(case, state.now()),
            &directory_names(state).await?,
        ),
        last_changed_at: case.last_changed_at,
        sections,
        withheld,
        next_steps: NextStepView::of(&next.steps, today, lang),
    })
}

/// Team names and logins, for the rows that name them as the CLI does.
pub(crate) async fn directory_names(state: &AppState) -> Result<DirectoryNames, Problem> {
    let b = &state.backend;
    Ok(DirectoryNames {
        teams: b
            .list_teams()
            .await?
            .into_iter()
            .map(|t| (t.id, t.name.to_string()))
            .collect(),
        logins: b
            .list_staff()
            .await?
            .into_iter()
            .map(|s| (s.id, s.login.to_string()))
            .collect(),
    })
}

/// The names a case file shows, from the directories.
pub(crate) struct ApiNames {
    staff: HashMap<StaffId, String>,
    teams: HashMap<TeamId, String>,
    services: Vec<SpecialistService>,
}

impl ApiNames {
    async fn load(state: &AppState) -> Result<Self, Problem> {
        let b = &state.backend;
        Ok(Self {
            staff: b
                .list_staff()
                .await?
                .into_iter()
                .map(|s| (s.id, s.display_name.to_string()))
                .collect(),
            teams: b
                .list_teams()
                .await?
                .into_iter()
                .map(|t| (t.id, t.name.to_string()))
                .collect(),
            services: b.list_services().await?,
        })
    }
}

impl case_file::Names for ApiNames {
    fn staff(&self, id: StaffId) -> Option<String> {
        self.staff.get(&id).cloned()
    }
    fn team(&self, id: TeamId) -> Option<String> {
        self.teams.get(&id).cloned()
    }
    fn service(&self, id: ServiceId) -> Option<String> {
        self.services
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.to_string())
    }
    fn service_details(&self, id: ServiceId) -> Option<ServiceDetails> {
        self.services
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.details.clone())
    }
}

/// The version named by `If-Match` (`"7"`, `W/"7"` or `7`); `None` without the header or
/// for `*`.
///
/// # Errors
/// [`Problem::bad_request`] for a value that names no version.
pub fn if_match(headers: &HeaderMap) -> Result<Option<u64>, Problem> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or_default().trim();
    if text == "*" {
        return Ok(None);
    }
    let bare = text.trim_start_matches("W/").trim_matches('"');
    bare.parse()
        .map(Some)
        .map_err(|_| Problem::bad_request("If-Match must be the case version, e.g. \"7\""))
}

/// Runs one process step on case `id`: the body is core's command in its JSON form
/// (`{"command": "decline", "on": "2026-03-02"}`), people and group sessions named by id.
/// With `If-Match`, the step is refused with 412 unless the case is still at that version.
#[utoipa::path(
    post, path = "/cases/{id}/commands", tag = "cases",
    params(
        ("id" = uuid::Uuid, Path, description = "Case id"),
        ("If-Match" = Option<String>, Header, description = "The case version the command was made from, e.g. \"7\""),
    ),
    request_body(content = super::commands::CommandBody, description = "Core's command as JSON; see docs/api.md for every command's fields"),
    security(("bearer" = ["write"])),
    responses(
        (status = 200, description = "The command was carried out", body = Written,
         headers(("ETag" = String, description = "The new case version"))),
        (status = 400, description = "Malformed JSON or If-Match", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 403, description = "Not permitted, or the scope is too narrow", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 404, description = "No such case, or one the caller may not know of", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed the case at the same moment", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 412, description = "The case is no longer at the If-Match version", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 422, description = "The command cannot be read, or a process rule refused it", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = super::problem::Document, content_type = "application/problem+json"),
    )
)]
pub async fn command(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<serde_json::Value>,
) -> Result<Response, Problem> {
    caller.require(TokenScope::Write)?;
    let id = case_id(&id)?;
    let seen = if_match(&headers)?;
    let command = super::commands::read(&state, body).await?;
    let done = state
        .service
        .execute_at(id, seen, &command, &caller.actor(), state.local_now())
        .await
        .map_err(|e| Problem::service(e, seen))?;
    Ok(with_etag(
        json(StatusCode::OK, &Written::of(&done.case)),
        done.case.version,
    ))
}
