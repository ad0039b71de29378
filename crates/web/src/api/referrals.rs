//! `/api/v1/referrals`: new cases from a Jobcenter's referral, one at a time or a batch
//! with the CSV import's rule (every referral is decided first; if one is refused, none is
//! written), both with an optional `Idempotency-Key`.
//!
//! Idempotency: the first request with a key claims it (one insert, so of two concurrent
//! requests exactly one runs), and its answer is stored with the digest of the request; a
//! repetition gets the same answer (with `Idempotency-Replayed: true`), the same key with a
//! different request 422, a repetition while the first still runs 409. A failed request
//! gives its key up, so it may be retried. Keys are kept for a day.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use wegbereiter_core::prelude::*;
use wegbereiter_storage::{IdempotencyClaim, TokenScope};

use super::auth::Caller;
use super::model::{Opened, Written};
use super::problem::Problem;
use super::{json_text, parse_json, with_etag};
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
    idempotent(&state, &caller, &headers, "referral", &body, || async {
        let item: NewReferral = parse_json(&headers, &body)?;
        let (id, command) = item.opening(None)?;
        let done = state
            .service
            .execute(id, &command, &caller.actor(), state.local_now())
            .await
            .map_err(|e| Problem::service(e, None))?;
        Ok((StatusCode::CREATED, Stored::of(&Written::of(&done.case))?))
    })
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
        "referral_batch",
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

/// An answer as it is stored for a repetition: its JSON text.
struct Stored(String);

impl Stored {
    fn of(value: &impl Serialize) -> Result<Self, Problem> {
        serde_json::to_string(value)
            .map(Self)
            .map_err(|e| Problem::internal(&e.to_string()))
    }
}

/// The answer to a creating POST: `status` and JSON `body`, with the case's `Location` and
/// `ETag` when it is one case.
fn answer(status: StatusCode, body: String) -> Response {
    let case = serde_json::from_str::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| {
            Some((
                v.get("id")?.as_str()?.to_owned(),
                v.get("version")?.as_u64()?,
            ))
        });
    let res = json_text(status, body);
    match case {
        Some((id, version)) => {
            let mut res = with_etag(res, version);
            if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/cases/{id}")) {
                res.headers_mut().insert(header::LOCATION, v);
            }
            res
        }
        None => res,
    }
}

/// Runs `work` at most once per `Idempotency-Key` of the caller (see the module docs).
async fn idempotent<F, Fut>(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    what: &str,
    body: &[u8],
    work: F,
) -> Result<Response, Problem>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<(StatusCode, Stored), Problem>>,
{
    let Some(key) = idempotency_key(headers)? else {
        let (status, Stored(body)) = work().await?;
        return Ok(answer(status, body));
    };
    let staff = caller.member.id;
    let mut digest = Sha256::new();
    digest.update(what.as_bytes());
    digest.update([0]);
    digest.update(body);
    let hash = hex::encode(digest.finalize());
    let b = &state.backend;
    match b.idempotency_claim(staff, &key, &hash, state.now()).await? {
        IdempotencyClaim::Claimed => match work().await {
            Ok((status, Stored(body))) => {
                b.idempotency_finish(staff, &key, status.as_u16(), &body)
                    .await?;
                Ok(answer(status, body))
            }
            Err(problem) => {
                b.idempotency_release(staff, &key).await?;
                Err(problem)
            }
        },
        IdempotencyClaim::Done {
            request_hash,
            status,
            body,
        } if request_hash == hash => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let mut res = answer(status, body);
            res.headers_mut()
                .insert("idempotency-replayed", HeaderValue::from_static("true"));
            Ok(res)
        }
        IdempotencyClaim::InProgress { request_hash } if request_hash == hash => {
            Err(Problem::key_in_progress())
        }
        _ => Err(Problem::key_reused()),
    }
}

/// The `Idempotency-Key` header, if sent.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, Problem> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or_default().trim().trim_matches('"');
    if key.is_empty() || key.len() > 200 {
        return Err(Problem::bad_request(
            "Idempotency-Key must be 1 to 200 visible characters",
        ));
    }
    Ok(Some(key.to_owned()))
}
