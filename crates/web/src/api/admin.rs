//! Administrators' writes to the directories: `POST /api/v1/teams` and
//! `POST /api/v1/services` (a token of scope `admin` and core's
//! [`access::can_administer`]); audited by the store as the web's administration pages are.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use utoipa::ToSchema;
use wegbereiter_core::ports::AuditStamp;
use wegbereiter_core::prelude::*;
use wegbereiter_storage::TokenScope;

use super::auth::Caller;
use super::model::{ServiceView, TeamView};
use super::problem::Problem;
use super::{JsonBody, json};
use crate::AppState;
use crate::access;

/// A new team.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewTeam {
    /// Its id (a UUID, ideally v7); the server makes one when absent.
    pub id: Option<uuid::Uuid>,
    /// Name, e.g. "Phase 1 Team Nord".
    pub name: String,
}

/// A new specialist service.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewService {
    /// Its id; the server makes one when absent.
    pub id: Option<uuid::Uuid>,
    /// Name, e.g. "Schuldnerberatung Beispielstadt".
    pub name: String,
    /// Kind key (`debt_counselling`, …).
    pub kind: String,
    /// Contact notes.
    pub contact: Option<String>,
}

fn guard(caller: &Caller, state: &AppState) -> Result<AuditStamp, Problem> {
    caller.require(TokenScope::Admin)?;
    if !access::can_administer(&caller.actor()) {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "The access policy refused",
            "Nur Administrator*innen verwalten Teams und Fachstellen.",
            "Only administrators manage teams and services.",
        ));
    }
    Ok(AuditStamp {
        actor: Some(caller.member.id),
        at: state.now(),
    })
}

fn text(field: &str, value: &str) -> Result<Text, Problem> {
    Text::parse(value).map_err(|e| Problem::invalid(&format!("{field}: {e}")))
}

/// Creates a team.
#[utoipa::path(
    post, path = "/teams", tag = "directories",
    request_body(content = NewTeam),
    security(("bearer" = ["admin"])),
    responses(
        (status = 201, description = "The team", body = TeamView),
        (status = 400, description = "Malformed JSON", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator, or the scope is too narrow", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 422, description = "A field cannot be read", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = super::problem::Document, content_type = "application/problem+json"),
    )
)]
pub async fn create_team(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(new): JsonBody<NewTeam>,
) -> Result<Response, Problem> {
    let stamp = guard(&caller, &state)?;
    let team = Team {
        id: TeamId::from_uuid(new.id.unwrap_or_else(uuid::Uuid::now_v7)),
        name: text("name", &new.name)?,
    };
    state.backend.save_team(&team, stamp).await?;
    let view = TeamView {
        id: team.id.as_uuid(),
        name: team.name.to_string(),
    };
    Ok(json(StatusCode::CREATED, &view))
}

/// Creates a specialist service in the directory.
#[utoipa::path(
    post, path = "/services", tag = "directories",
    request_body(content = NewService),
    security(("bearer" = ["admin"])),
    responses(
        (status = 201, description = "The service", body = ServiceView),
        (status = 400, description = "Malformed JSON", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator, or the scope is too narrow", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 422, description = "A field cannot be read", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = super::problem::Document, content_type = "application/problem+json"),
    )
)]
pub async fn create_service(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(new): JsonBody<NewService>,
) -> Result<Response, Problem> {
    let stamp = guard(&caller, &state)?;
    let service = SpecialistService {
        id: ServiceId::from_uuid(new.id.unwrap_or_else(uuid::Uuid::now_v7)),
        name: text("name", &new.name)?,
        kind: ServiceKind::from_key(&new.kind)
            .ok_or_else(|| Problem::invalid(&format!("unknown kind {:?}", new.kind)))?,
        contact: new
            .contact
            .as_deref()
            .map(|c| text("contact", c))
            .transpose()?,
        active: true,
        details: ServiceDetails::default(),
    };
    state.backend.save_service(&service, stamp).await?;
    Ok(json(StatusCode::CREATED, &ServiceView::of(&service)))
}
