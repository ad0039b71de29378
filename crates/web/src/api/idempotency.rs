//! Idempotency keys for every POST that creates something (a case from a referral, a batch
//! of them, a group session, a team, a service, a staff account): one mechanism, asked by
//! each creating handler with what it creates.
//!
//! The first request with a key claims it (one insert, so of two concurrent requests exactly
//! one runs), and its answer is stored with the digest of the request; a repetition gets the
//! same answer (with `Idempotency-Replayed: true`), the same key with a different request
//! 422, a repetition while the first still runs 409. A failed request gives its key up, so
//! it may be retried. Keys are kept per person for a day (storage's `idempotency_*`).

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::Serialize;
use sha2::{Digest, Sha256};
use wegbereiter_storage::IdempotencyClaim;

use super::auth::Caller;
use super::problem::Problem;
use super::{json_text, with_etag};
use crate::AppState;

/// What a creating POST creates: part of the request's digest (so one key used at two
/// endpoints is refused as reused), and where the answer's `Location` points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Creates {
    /// `POST /referrals`: one case.
    Referral,
    /// `POST /referrals/batch`: cases.
    ReferralBatch,
    /// `POST /group-sessions`.
    GroupSession,
    /// `POST /teams`.
    Team,
    /// `POST /services`.
    Service,
    /// `POST /staff`.
    Staff,
}

impl Creates {
    fn key(self) -> &'static str {
        match self {
            Self::Referral => "referral",
            Self::ReferralBatch => "referral_batch",
            Self::GroupSession => "group_session",
            Self::Team => "team",
            Self::Service => "service",
            Self::Staff => "staff",
        }
    }

    /// The address of the thing with `id`, where the API has one.
    fn location(self, id: &str) -> Option<String> {
        match self {
            Self::Referral => Some(format!("/api/v1/cases/{id}")),
            Self::Staff => Some(format!("/api/v1/staff/{id}")),
            Self::ReferralBatch | Self::GroupSession | Self::Team | Self::Service => None,
        }
    }
}

/// An answer as it is stored for a repetition: its JSON text.
pub(crate) struct Stored(String);

impl Stored {
    /// The JSON text of `value`.
    ///
    /// # Errors
    /// [`Problem::internal`] if `value` cannot be written as JSON.
    pub(crate) fn of(value: &impl Serialize) -> Result<Self, Problem> {
        serde_json::to_string(value)
            .map(Self)
            .map_err(|e| Problem::internal(&e.to_string()))
    }
}

/// The answer to a creating POST: `status` and JSON `body`, with `Location` where the
/// created thing has an address, and a case's version as `ETag`.
fn answer(what: Creates, status: StatusCode, body: String) -> Response {
    let value = serde_json::from_str::<serde_json::Value>(&body).ok();
    let id = value
        .as_ref()
        .and_then(|v| v.get("id")?.as_str().map(str::to_owned));
    let version = value.as_ref().and_then(|v| v.get("version")?.as_u64());
    let mut res = json_text(status, body);
    if let Some(version) = version {
        res = with_etag(res, version);
    }
    if let Some(location) = id.and_then(|id| what.location(&id))
        && let Ok(v) = HeaderValue::from_str(&location)
    {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// Runs `work` at most once per `Idempotency-Key` of the caller (see the module docs);
/// `fingerprint` is what makes two requests the same (the body, or for a staff account the
/// body without its password, which is never stored, not even as a digest).
///
/// # Errors
/// The problem of `work`; [`Problem::key_reused`], [`Problem::key_in_progress`], a
/// malformed key (400) and storage problems.
pub(crate) async fn idempotent<F, Fut>(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    what: Creates,
    fingerprint: &[u8],
    work: F,
) -> Result<Response, Problem>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<(StatusCode, Stored), Problem>>,
{
    let Some(key) = idempotency_key(headers)? else {
        let (status, Stored(body)) = work().await?;
        return Ok(answer(what, status, body));
    };
    let staff = caller.member.id;
    let mut digest = Sha256::new();
    digest.update(what.key().as_bytes());
    digest.update([0]);
    digest.update(fingerprint);
    let hash = hex::encode(digest.finalize());
    let b = &state.backend;
    match b.idempotency_claim(staff, &key, &hash, state.now()).await? {
        IdempotencyClaim::Claimed => match work().await {
            Ok((status, Stored(body))) => {
                b.idempotency_finish(staff, &key, status.as_u16(), &body)
                    .await?;
                Ok(answer(what, status, body))
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
            let mut res = answer(what, status, body);
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
