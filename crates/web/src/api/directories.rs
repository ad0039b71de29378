//! `/api/v1/staff`, `/teams`, `/services`: the directories, read by every active person
//! (core's [`access::can_read_directory`]).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use wegbereiter_storage::TokenScope;

use super::auth::Caller;
use super::json;
use super::model::{ServiceView, StaffView, TeamView};
use super::problem::Problem;
use crate::AppState;
use crate::access;

fn may_read(caller: &Caller) -> Result<(), Problem> {
    caller.require(TokenScope::Read)?;
    if access::can_read_directory(&caller.actor()) {
        Ok(())
    } else {
        Err(Problem::service(
            wegbereiter_core::ServiceError::Forbidden(access::Right::Read),
            None,
        ))
    }
}

/// The staff directory.
#[utoipa::path(
    get, path = "/staff", tag = "directories",
    security(("bearer" = ["read"])),
    responses(
        (status = 200, description = "Every staff member", body = Vec<StaffView>),
        (status = 401, description = "No valid token", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 403, description = "The scope is too narrow", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = super::problem::Document, content_type = "application/problem+json"),
    )
)]
pub async fn staff(State(state): State<AppState>, caller: Caller) -> Result<Response, Problem> {
    may_read(&caller)?;
    let rows = state.backend.list_staff().await?;
    let views: Vec<StaffView> = rows.iter().map(StaffView::of).collect();
    Ok(json(StatusCode::OK, &views))
}

/// One staff member of the directory.
#[utoipa::path(
    get, path = "/staff/{id}", tag = "directories",
    params(("id" = uuid::Uuid, Path, description = "Staff id")),
    security(("bearer" = ["read"])),
    responses(
        (status = 200, description = "The staff member", body = StaffView),
        (status = 401, description = "No valid token", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 403, description = "The scope is too narrow", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 404, description = "No such staff member", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = super::problem::Document, content_type = "application/problem+json"),
    )
)]
pub async fn staff_member(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    may_read(&caller)?;
    let id: wegbereiter_core::ids::StaffId = id.parse().map_err(|_| Problem::not_found())?;
    let member = state
        .backend
        .staff(id)
        .await?
        .ok_or_else(Problem::not_found)?;
    Ok(json(StatusCode::OK, &StaffView::of(&member)))
}

/// The teams.
#[utoipa::path(
    get, path = "/teams", tag = "directories",
    security(("bearer" = ["read"])),
    responses(
        (status = 200, description = "Every team", body = Vec<TeamView>),
        (status = 401, description = "No valid token", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 403, description = "The scope is too narrow", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = super::problem::Document, content_type = "application/problem+json"),
    )
)]
pub async fn teams(State(state): State<AppState>, caller: Caller) -> Result<Response, Problem> {
    may_read(&caller)?;
    let rows = state.backend.list_teams().await?;
    let views: Vec<TeamView> = rows
        .iter()
        .map(|t| TeamView {
            id: t.id.as_uuid(),
            name: t.name.to_string(),
        })
        .collect();
    Ok(json(StatusCode::OK, &views))
}

/// The specialist services (*Fachstellen*).
#[utoipa::path(
    get, path = "/services", tag = "directories",
    security(("bearer" = ["read"])),
    responses(
        (status = 200, description = "Every service, inactive ones included", body = Vec<ServiceView>),
        (status = 401, description = "No valid token", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 403, description = "The scope is too narrow", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = super::problem::Document, content_type = "application/problem+json"),
    )
)]
pub async fn services(State(state): State<AppState>, caller: Caller) -> Result<Response, Problem> {
    may_read(&caller)?;
    let rows = state.backend.list_services().await?;
    let views: Vec<ServiceView> = rows.iter().map(ServiceView::of).collect();
    Ok(json(StatusCode::OK, &views))
}
