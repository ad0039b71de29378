//! `/api/v1/group-sessions`: Phase 2 group sessions, listed and created by whoever works on
//! cases (core's [`access::can_use_group_sessions`]). Attendance is a process step of a
//! case: `POST /cases/{id}/commands` with `record_attendance` and the session's id.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use wegbereiter_core::ports::AuditStamp;
use wegbereiter_core::prelude::*;
use wegbereiter_storage::TokenScope;

use super::auth::Caller;
use super::idempotency::{Creates, Stored, idempotent};
use super::problem::Problem;
use super::{json, parse_json};
use crate::AppState;
use crate::access;

/// A group session.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupSessionView {
    /// Id (name it as `session` in `record_attendance`).
    pub id: uuid::Uuid,
    /// Kind key (`breakfast`, `workshop`, `coaching`, `excursion`).
    pub kind: &'static str,
    /// Day.
    pub date: NaiveDate,
    /// Title.
    pub title: String,
}

impl GroupSessionView {
    fn of(s: &GroupSession) -> Self {
        Self {
            id: s.id.as_uuid(),
            kind: s.kind.key(),
            date: s.date,
            title: s.title.to_string(),
        }
    }
}

/// A new group session.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"kind": "breakfast", "date": "2026-03-20", "title": "Frühstück im Stadtteilladen"}))]
pub struct NewGroupSession {
    /// Its id (a UUID, ideally v7); the server makes one when absent.
    pub id: Option<uuid::Uuid>,
    /// Kind key (`breakfast`, `workshop`, `coaching`, `excursion`).
    pub kind: String,
    /// Day.
    pub date: NaiveDate,
    /// Title, e.g. "Frühstück im Stadtteilladen".
    pub title: String,
}

fn guard(caller: &Caller, scope: TokenScope) -> Result<(), Problem> {
    caller.require(scope)?;
    if access::can_use_group_sessions(&caller.actor()) {
        Ok(())
    } else {
        Err(Problem::service(
            wegbereiter_core::ServiceError::Forbidden(access::Right::RecordAttendance),
            None,
        ))
    }
}

/// Every group session, by day.
#[utoipa::path(
    get, path = "/group-sessions", tag = "group sessions",
    security(("bearer" = ["read"])),
    responses(
        (status = 200, description = "The sessions", body = Vec<GroupSessionView>),
        (status = 401, description = "No valid token", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 403, description = "Not permitted", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = super::problem::Document, content_type = "application/problem+json"),
    )
)]
pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Response, Problem> {
    guard(&caller, TokenScope::Read)?;
    let mut sessions = state.backend.list_group_sessions().await?;
    sessions.sort_by_key(|s| (s.date, s.id));
    let views: Vec<GroupSessionView> = sessions.iter().map(GroupSessionView::of).collect();
    Ok(json(StatusCode::OK, &views))
}

/// Creates a group session (audited).
#[utoipa::path(
    post, path = "/group-sessions", tag = "group sessions",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry of this request safe (1–200 characters)")),
    request_body(content = NewGroupSession),
    security(("bearer" = ["write"])),
    responses(
        (status = 201, description = "The session", body = GroupSessionView),
        (status = 400, description = "Malformed JSON or header", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 403, description = "Not permitted", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 409, description = "A session with this id exists, or the key's first request still runs", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 422, description = "A field cannot be read, or the key was used for another request", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = super::problem::Document, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Problem> {
    guard(&caller, TokenScope::Write)?;
    idempotent(
        &state,
        &caller,
        &headers,
        Creates::GroupSession,
        &body,
        || async {
            let new: NewGroupSession = parse_json(&headers, &body)?;
            let session = GroupSession {
                id: GroupSessionId::from_uuid(new.id.unwrap_or_else(uuid::Uuid::now_v7)),
                kind: GroupSessionKind::from_key(&new.kind)
                    .ok_or_else(|| Problem::invalid(&format!("unknown kind {:?}", new.kind)))?,
                date: new.date,
                title: Text::parse(&new.title)
                    .map_err(|e| Problem::invalid(&format!("title: {e}")))?,
            };
            // A new session never replaces one (with its attendance): the store inserts,
            // so an existing id is refused also when two requests race.
            let stamp = AuditStamp {
                actor: Some(caller.member.id),
                at: state.now(),
            };
            state.backend.add_group_session(&session, stamp).await?;
            Ok((
                StatusCode::CREATED,
                Stored::of(&GroupSessionView::of(&session))?,
            ))
        },
    )
    .await
}
