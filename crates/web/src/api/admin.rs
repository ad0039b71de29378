//! Administrators' writes to the directories: `POST /api/v1/teams`, `POST /api/v1/services`,
//! `POST /api/v1/staff` and `PATCH /api/v1/staff/{id}` (a token of scope `admin` and core's
//! [`access::can_administer`]); audited by the store as the web's administration pages are.
//!
//! A staff account is checked by core's `staff::check_account` (roles that go together; no
//! administrator locks themselves out, so an installation keeps an active administrator), as
//! on the web's administration pages and in the CLI. A new account gets its first password
//! in the same transaction (`Backend::add_staff`), as on the web's page; the password is
//! hashed with argon2id and appears in no answer, no log and no idempotency digest.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use utoipa::ToSchema;
use wegbereiter_core::ports::AuditStamp;
use wegbereiter_core::prelude::*;
use wegbereiter_storage::TokenScope;

use super::auth::Caller;
use super::idempotency::{Creates, Stored, idempotent};
use super::model::{ServiceView, StaffView, TeamView};
use super::problem::Problem;
use super::{JsonBody, json, parse_json};
use crate::AppState;
use crate::access;
use crate::passwords::{self, MIN_PASSWORD_CHARS};

/// A new team.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "Phase 1 Team Nord"}))]
pub struct NewTeam {
    /// Its id (a UUID, ideally v7); the server makes one when absent.
    pub id: Option<uuid::Uuid>,
    /// Name, e.g. "Phase 1 Team Nord".
    pub name: String,
}

/// A new specialist service.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "Schuldnerberatung Beispielstadt", "kind": "debt_counselling", "contact": "Mo–Do 9–12 Uhr"}))]
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

/// A new staff account. Debug is not derived: the value holds a password.
#[derive(Deserialize, ToSchema)]
#[schema(example = json!({
    "login": "m.muster", "name": "Maria Muster", "roles": ["key_worker"],
    "teams": ["0193a000-0000-7000-8000-000000000001"], "password": "ein langes Passwort"
}))]
pub struct NewStaff {
    /// Its id (a UUID, ideally v7); the server makes one when absent.
    pub id: Option<uuid::Uuid>,
    /// Sign-in name, unique regardless of case.
    pub login: String,
    /// Display name.
    pub name: String,
    /// Role keys (`key_worker`, `job_coach`, `psychologist`, `team_lead`, `administrator`,
    /// `data_protection_officer`); administration and data protection go with no role that
    /// works on cases.
    pub roles: Vec<String>,
    /// Team ids, each of an existing team.
    #[serde(default)]
    pub teams: Vec<uuid::Uuid>,
    /// The first password, at least 10 characters; hashed with argon2id, never shown again.
    #[schema(write_only, min_length = 10)]
    pub password: String,
}

/// A change of a staff account: only the fields present change.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"active": false}))]
pub struct StaffChange {
    /// Sign-in name.
    pub login: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// Role keys, replacing the account's roles.
    pub roles: Option<Vec<String>>,
    /// Team ids, replacing the account's teams.
    pub teams: Option<Vec<uuid::Uuid>>,
    /// `false` deactivates the account (its tokens stop working at once), `true` reactivates
    /// it.
    pub active: Option<bool>,
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

/// Roles by key, each once, in the order given.
fn roles(keys: &[String]) -> Result<Vec<Role>, Problem> {
    let mut out = Vec::new();
    for key in keys {
        let role = Role::from_key(key)
            .ok_or_else(|| Problem::invalid(&format!("roles: unknown role {key:?}")))?;
        if !out.contains(&role) {
            out.push(role);
        }
    }
    Ok(out)
}

/// Teams by id, each once; an unknown team is refused, never stored.
async fn teams(state: &AppState, ids: &[uuid::Uuid]) -> Result<Vec<TeamId>, Problem> {
    let known = state.backend.list_teams().await?;
    let mut out = Vec::new();
    for id in ids {
        let id = TeamId::from_uuid(*id);
        if !known.iter().any(|t| t.id == id) {
            return Err(Problem::invalid(&format!("teams: no team {id}")));
        }
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

/// What makes two requests to create a staff account the same: the body without its
/// password, so that not even a digest of the password is stored.
fn without_password(body: &[u8]) -> Vec<u8> {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(mut fields)) => {
            fields.remove("password");
            serde_json::to_vec(&fields).unwrap_or_default()
        }
        _ => body.to_vec(),
    }
}

/// Creates a team (audited).
#[utoipa::path(
    post, path = "/teams", tag = "directories",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry of this request safe (1–200 characters)")),
    request_body(content = NewTeam),
    security(("bearer" = ["admin"])),
    responses(
        (status = 201, description = "The team", body = TeamView),
        (status = 400, description = "Malformed JSON or header", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator, or the scope is too narrow", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 409, description = "A team with this id or name exists, or the key's first request still runs", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 422, description = "A field cannot be read, or the key was used for another request", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = super::problem::Document, content_type = "application/problem+json"),
    )
)]
pub async fn create_team(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Problem> {
    let stamp = guard(&caller, &state)?;
    idempotent(&state, &caller, &headers, Creates::Team, &body, || async {
        let new: NewTeam = parse_json(&headers, &body)?;
        let team = Team {
            id: TeamId::from_uuid(new.id.unwrap_or_else(uuid::Uuid::now_v7)),
            name: text("name", &new.name)?,
        };
        // A new team never replaces one (renaming is the web's administration page): the
        // store inserts, so an existing id or name is refused also when two requests race.
        state.backend.add_team(&team, stamp).await?;
        let view = TeamView {
            id: team.id.as_uuid(),
            name: team.name.to_string(),
        };
        Ok((StatusCode::CREATED, Stored::of(&view)?))
    })
    .await
}

/// Creates a specialist service in the directory (audited).
#[utoipa::path(
    post, path = "/services", tag = "directories",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry of this request safe (1–200 characters)")),
    request_body(content = NewService),
    security(("bearer" = ["admin"])),
    responses(
        (status = 201, description = "The service", body = ServiceView),
        (status = 400, description = "Malformed JSON or header", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator, or the scope is too narrow", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 409, description = "A service with this id exists, or the key's first request still runs", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 422, description = "A field cannot be read, or the key was used for another request", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = super::problem::Document, content_type = "application/problem+json"),
    )
)]
pub async fn create_service(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Problem> {
    let stamp = guard(&caller, &state)?;
    idempotent(
        &state,
        &caller,
        &headers,
        Creates::Service,
        &body,
        || async {
            let new: NewService = parse_json(&headers, &body)?;
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
            // A new entry never replaces one (changing is the web's administration page);
            // the store inserts, so an existing id is refused also under a race.
            state.backend.add_service(&service, stamp).await?;
            Ok((StatusCode::CREATED, Stored::of(&ServiceView::of(&service))?))
        },
    )
    .await
}

/// Creates a staff account with its first password (audited).
#[utoipa::path(
    post, path = "/staff", tag = "directories",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry of this request safe (1–200 characters); the password is not part of the comparison")),
    request_body(content = NewStaff),
    security(("bearer" = ["admin"])),
    responses(
        (status = 201, description = "The account, without its password", body = StaffView,
         headers(("Location" = String, description = "The account"))),
        (status = 400, description = "Malformed JSON or header", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator, or the scope is too narrow", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 409, description = "An account with this id or login exists, or the key's first request still runs", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 422, description = "A field cannot be read, the roles do not go together (`rule` = `roles`), the password is too short, or the key was used for another request", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = super::problem::Document, content_type = "application/problem+json"),
    )
)]
pub async fn create_staff(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Problem> {
    let stamp = guard(&caller, &state)?;
    let fingerprint = without_password(&body);
    idempotent(
        &state,
        &caller,
        &headers,
        Creates::Staff,
        &fingerprint,
        || async {
            let new: NewStaff = parse_json(&headers, &body)?;
            let staff = StaffMember {
                id: StaffId::from_uuid(new.id.unwrap_or_else(uuid::Uuid::now_v7)),
                login: text("login", &new.login)?,
                display_name: text("name", &new.name)?,
                roles: roles(&new.roles)?,
                teams: teams(&state, &new.teams).await?,
                active: true,
            };
            wegbereiter_core::staff::check_account(&caller.actor(), &staff)
                .map_err(|e| Problem::rule(&e))?;
            if new.password.chars().count() < MIN_PASSWORD_CHARS {
                return Err(Problem::invalid(&format!(
                    "password: at least {MIN_PASSWORD_CHARS} characters"
                )));
            }
            // Hashed before anything is written; account and password in one transaction.
            let phc = passwords::hash(&state.passwords, &new.password)
                .await
                .map_err(|e| Problem::internal(&e))?;
            state.backend.add_staff(&staff, &phc, stamp).await?;
            Ok((StatusCode::CREATED, Stored::of(&StaffView::of(&staff))?))
        },
    )
    .await
}

/// Changes a staff account: login, name, roles, teams, or `active` to deactivate or
/// reactivate it (audited: each role granted or removed, a deactivation or reactivation;
/// the person's web sessions end).
#[utoipa::path(
    patch, path = "/staff/{id}", tag = "directories",
    params(("id" = uuid::Uuid, Path, description = "Staff id")),
    request_body(content = StaffChange),
    security(("bearer" = ["admin"])),
    responses(
        (status = 200, description = "The account as it is now", body = StaffView),
        (status = 400, description = "Malformed JSON", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator, or the scope is too narrow", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 409, description = "Another account has this login", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 422, description = "A field cannot be read, the roles do not go together, or administrators would lock themselves out (`rule` = `roles`)", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = super::problem::Document, content_type = "application/problem+json"),
    )
)]
pub async fn update_staff(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(change): JsonBody<StaffChange>,
) -> Result<Response, Problem> {
    let stamp = guard(&caller, &state)?;
    let id: StaffId = id.parse().map_err(|_| Problem::not_found())?;
    let mut staff = state
        .backend
        .staff(id)
        .await?
        .ok_or_else(Problem::not_found)?;
    if let Some(login) = &change.login {
        staff.login = text("login", login)?;
    }
    if let Some(name) = &change.name {
        staff.display_name = text("name", name)?;
    }
    if let Some(keys) = &change.roles {
        staff.roles = roles(keys)?;
    }
    if let Some(ids) = &change.teams {
        staff.teams = teams(&state, ids).await?;
    }
    if let Some(active) = change.active {
        staff.active = active;
    }
    wegbereiter_core::staff::check_account(&caller.actor(), &staff)
        .map_err(|e| Problem::rule(&e))?;
    state.backend.save_staff(&staff, stamp).await?;
    Ok(json(StatusCode::OK, &StaffView::of(&staff)))
}
