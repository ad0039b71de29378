//! `/api/v1/referrals`: new cases from a Jobcenter's referral, one at a time or a batch
//! with the CSV import's rule (every referral is decided first; if one is refused, none is
//! written), both with an optional `Idempotency-Key` ([`super::idempotency`]).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use utoipa::ToSchema;
use wegbereiter_core::prelude::*;
use wegbereiter_storage::TokenScope;

use super::auth::Caller;
use super::idempotency::{Creates, Stored, idempotent};
use super::model::{Opened, Written};
use super::parse_json;
use super::problem::Problem;
use crate::AppState;

/// The most referrals in one batch.
pub const MAX_BATCH: usize = 1000;

/// One referral: core's `Referral` in its JSON form, the responsible team, and optionally
/// the new case's id (made by the server otherwise).
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewReferral {
    /// The new case's id (a UUID, ideally v7); the server makes one when absent.
    pub id: Option<uuid::Uuid>,
    /// Core's referral (client identity, Jobcenter, reasons, problem areas, legal basis, …).
    #[schema(value_type = Object)]
    pub referral: serde_json::Value,
    /// The responsible team.
    pub team: Option<uuid::Uuid>,
}

/// A batch of referrals.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReferralBatch {
    /// The referrals, at most 1000.
    pub referrals: Vec<NewReferral>,
}

impl NewReferral {
    fn opening(self, index: Option<usize>) -> Result<(CaseId, Command), Problem> {
        let referral: Referral = serde_json::from_value(self.referral).map_err(|e| Problem {
            index,
            ..Problem::invalid(&format!("referral: {e}"))
        })?;
        let id = self.id.map_or_else(
            || CaseId::from_uuid(uuid::Uuid::now_v7()),
            CaseId::from_uuid,
        );
        Ok((
            id,
            Command::Refer {
                referral,
                team: self.team.map(TeamId::from_uuid),
            },
        ))
    }
}

/// Records one referral: opens a case.
#[utoipa::path(
    post, path = "/referrals", tag = "referrals",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry of this request safe (1–200 characters)")),
    request_body(content = NewReferral),
    security(("bearer" = ["write"])),
    responses(
        (status = 201, description = "The case was opened", body = Written,
         headers(("ETag" = String, description = "The case version"), ("Location" = String, description = "The case"))),
        (status = 400, description = "Malformed JSON or header", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 403, description = "Not permitted for this team, or the scope is too narrow", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 409, description = "The first request with this key is still running", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 422, description = "The referral cannot be read, a rule refused it, or the key was used for another request", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = super::problem::Document, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Problem> {
    caller.require(TokenScope::Write)?;
    idempotent(
        &state,
        &caller,
        &headers,
        Creates::Referral,
        &body,
        || async {
            let item: NewReferral = parse_json(&headers, &body)?;
            let (id, command) = item.opening(None)?;
            let done = state
                .service
                .execute(id, &command, &caller.actor(), state.local_now())
                .await
                .map_err(|e| Problem::service(e, None))?;
            Ok((StatusCode::CREATED, Stored::of(&Written::of(&done.case))?))
        },
    )
    .await
}

/// Records a batch of referrals, all or none.
#[utoipa::path(
    post, path = "/referrals/batch", tag = "referrals",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry of this request safe (1–200 characters)")),
    request_body(content = ReferralBatch),
    security(("bearer" = ["write"])),
    responses(
        (status = 201, description = "The cases were opened", body = Opened),
        (status = 400, description = "Malformed JSON or header", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 403, description = "Not permitted for a team, or the scope is too narrow", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 409, description = "A case was opened by someone else meanwhile, or the key's first request still runs", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 415, description = "The body is not JSON", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 422, description = "A referral cannot be read or a rule refused it (`index` names it); nothing was written", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = super::problem::Document, content_type = "application/problem+json"),
    )
)]
pub async fn batch(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Problem> {
    caller.require(TokenScope::Write)?;
    idempotent(
        &state,
        &caller,
        &headers,
        Creates::ReferralBatch,
        &body,
        || async {
            let batch: ReferralBatch = parse_json(&headers, &body)?;
            if batch.referrals.len() > MAX_BATCH {
                return Err(Problem::invalid("at most 1000 referrals in one batch"));
            }
            let openings = batch
                .referrals
                .into_iter()
                .enumerate()
                .map(|(i, r)| r.opening(Some(i)))
                .collect::<Result<Vec<_>, _>>()?;
            let me = caller.actor();
            let now = state.local_now();
            // Each on its own first, so that a refusal names its referral.
            for (i, one) in openings.iter().enumerate() {
                state
                    .service
                    .decide_openings(std::slice::from_ref(one), &me, now)
                    .map_err(|e| Problem {
                        index: Some(i),
                        ..Problem::service(e, None)
                    })?;
            }
            let created = state
                .service
                .open_cases(&openings, &me, now)
                .await
                .map_err(|e| Problem::service(e, None))?;
            let created = created.iter().map(|id| id.as_uuid()).collect();
            Ok((StatusCode::CREATED, Stored::of(&Opened { created })?))
        },
    )
    .await
}
