//! `/api/v1/cases/{id}/jobcenter-report`: the feedback to the Jobcenter (core's
//! [`jobcenter_feedback`], only what the client's consents allow), as `report jobcenter
//! --format json` prints it; the read is in the access log as a Jobcenter feedback.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use wegbereiter_core::ports::AccessKind;
use wegbereiter_core::prelude::*;
use wegbereiter_storage::TokenScope;

use super::auth::Caller;
use super::json;
use super::problem::Problem;
use crate::AppState;

/// The outreach result.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackOutreach {
    /// Whether the client was reached.
    pub reached: bool,
    /// Offer key (`open`, `accepted`, `declined`).
    pub offer: &'static str,
    /// Number of contact attempts.
    pub attempt_count: usize,
    /// Their days.
    pub attempt_dates: Vec<NaiveDate>,
}

/// The confirmation of participation (with the consent for it).
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackParticipation {
    /// First day.
    pub start: NaiveDate,
    /// The key worker's name.
    pub key_worker: Option<String>,
    /// Planned end.
    pub planned_end: NaiveDate,
}

/// The progress summary (with the consent for it).
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackProgress {
    /// Life domain keys worked on.
    pub domains_worked_on: Vec<&'static str>,
    /// Goals counted by status key.
    pub goals_by_status: BTreeMap<&'static str, usize>,
}

/// The exit summary (with the consent for it).
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackExit {
    /// Last day.
    pub end_date: NaiveDate,
    /// Exit reason key.
    pub reason: &'static str,
    /// Handover target keys.
    pub handovers: Vec<&'static str>,
    /// Kinds of services referred to.
    pub referred_to: Vec<&'static str>,
}

/// The Jobcenter feedback of a case.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackView {
    /// Case id.
    pub case_id: uuid::Uuid,
    /// When it was made.
    pub as_of: DateTime<Utc>,
    /// The referring Jobcenter.
    pub jobcenter: String,
    /// The client's customer number there.
    pub customer_number: Option<String>,
    /// Referral date.
    pub referral_date: NaiveDate,
    /// Outreach.
    pub outreach: FeedbackOutreach,
    /// Participation, if the consent allows.
    pub participation: Option<FeedbackParticipation>,
    /// Progress, if the consent allows.
    pub progress: Option<FeedbackProgress>,
    /// Exit, if the consent allows.
    pub exit: Option<FeedbackExit>,
}

fn keys<T: Labelled + Copy>(v: &[T]) -> Vec<&'static str> {
    v.iter().map(|x| x.key()).collect()
}

/// The feedback of `case` as a view; `name` gives a key worker's name.
fn view(
    case: &Case,
    f: &JobcenterFeedback,
    name: &dyn Fn(StaffId) -> Option<String>,
) -> FeedbackView {
    FeedbackView {
        case_id: f.case_id.as_uuid(),
        as_of: f.as_of,
        jobcenter: case.referral.jobcenter.to_string(),
        customer_number: case
            .referral
            .customer_number
            .as_ref()
            .map(ToString::to_string),
        referral_date: case.referral.referral_date,
        outreach: FeedbackOutreach {
            reached: f.outreach.reached,
            offer: f.outreach.offer.key(),
            attempt_count: f.outreach.attempt_count,
            attempt_dates: f.outreach.attempt_dates.clone(),
        },
        participation: f.participation.as_ref().map(|p| FeedbackParticipation {
            start: p.start,
            key_worker: p.key_worker.and_then(name),
            planned_end: p.planned_end,
        }),
        progress: f.progress.as_ref().map(|p| FeedbackProgress {
            domains_worked_on: keys(&p.domains_worked_on),
            goals_by_status: p
                .goals_by_status
                .iter()
                .map(|(s, n)| (s.key(), *n))
                .collect(),
        }),
        exit: f.exit.as_ref().map(|e| FeedbackExit {
            end_date: e.end_date,
            reason: e.reason.key(),
            handovers: keys(&e.handovers),
            referred_to: keys(&e.referred_to),
        }),
    }
}

/// The feedback to the Jobcenter of case `id`, as the client's consents allow.
#[utoipa::path(
    get, path = "/cases/{id}/jobcenter-report", tag = "cases",
    params(("id" = uuid::Uuid, Path, description = "Case id")),
    security(("bearer" = ["read"])),
    responses(
        (status = 200, description = "The feedback", body = FeedbackView),
        (status = 401, description = "No valid token", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 403, description = "Not permitted", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 404, description = "No such case, or one the caller may not know of", body = super::problem::Document, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited", body = super::problem::Document, content_type = "application/problem+json"),
    )
)]
pub async fn jobcenter(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    caller.require(TokenScope::Read)?;
    let id: CaseId = id.parse().map_err(|_| Problem::not_found())?;
    let now = state.now();
    let case = state
        .service
        .read_for(
            id,
            &caller.actor(),
            AccessKind::JobcenterFeedback,
            &*state.backend,
            now,
        )
        .await
        .map_err(|e| Problem::service(e, None))?;
    let feedback = jobcenter_feedback(&case, now, &state.tz);
    let staff = state.backend.list_staff().await?;
    let name = |k: StaffId| {
        staff
            .iter()
            .find(|s| s.id == k)
            .map(|s| s.display_name.to_string())
    };
    Ok(json(StatusCode::OK, &view(&case, &feedback, &name)))
}
