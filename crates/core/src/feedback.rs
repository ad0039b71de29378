//! What the Jobcenter may be told (invariants I1 and I4).
//!
//! [`jobcenter_feedback`] computes, as a pure function of a case and a moment, the only
//! content Wegbereiter ever produces for a Jobcenter. The result type has no free-text field
//! at all, so a note, a goal's wording, a social-history entry or a decline reason cannot
//! appear in it by construction; which sections appear depends on the client's consents in
//! force at that moment.
//!
//! * Outreach result (always; the referral contract's minimum): reached yes/no, offer
//!   accepted/declined, number and dates of attempts. No reasons, no observations.
//! * Participation confirmation (consent `jobcenter_participation`): start, key worker, planned
//!   end.
//! * Progress (consent `jobcenter_progress`): life domains worked on and goal counts by
//!   status. Health-related domains only with consent `jobcenter_health`; the domain "family,
//!   household and care" is never named (household data, I4), its goals are only counted.
//! * Exit (consent `jobcenter_exit`, closed cases): end date, exit reason, result (handovers,
//!   kinds of specialist services). Health-related facts only with consent `jobcenter_health`.
//!
//! Absences are never reported: attendance is not sanction evidence (rule R23), and no output
//! ever says "unexcused" or frames an exit as a breach.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::LocalCalendar;
use crate::case::{Case, CaseStatus};
use crate::closure::ExitReason;
use crate::consent::ConsentPurpose;
use crate::goal::GoalStatus;
use crate::handover::HandoverTarget;
use crate::ids::{CaseId, StaffId};
use crate::services::ServiceKind;
use crate::social_history::LifeDomain;
use crate::vocab::vocabulary;

vocabulary! {
    /// Whether the client took up the offer.
    pub enum OfferResponse {
        /// Not decided yet.
        Open = "open", "noch offen", "Open";
        /// Accepted (enrolled).
        Accepted = "accepted", "angenommen", "Accepted";
        /// Declined. The reason is never asked, stored or reported.
        Declined = "declined", "nicht angenommen", "Declined";
    }
}

/// Result of outreach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutreachResult {
    /// Whether the client was reached.
    pub reached: bool,
    /// Whether the offer was accepted.
    pub offer: OfferResponse,
    /// Number of contact attempts.
    pub attempt_count: usize,
    /// Dates of the attempts.
    pub attempt_dates: Vec<NaiveDate>,
}

/// Participation confirmation (*Teilnahmebestätigung*).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipationConfirmation {
    /// Start of the key-worker period.
    pub start: NaiveDate,
    /// The key worker.
    pub key_worker: Option<StaffId>,
    /// Planned end (after extensions).
    pub planned_end: NaiveDate,
}

/// Progress at domain level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressSummary {
    /// Life domains with goals, never "family, household and care" (I4).
    pub domains_worked_on: Vec<LifeDomain>,
    /// Number of goals by status.
    pub goals_by_status: BTreeMap<GoalStatus, usize>,
}

/// The exit report content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExitSummary {
    /// End date.
    pub end_date: NaiveDate,
    /// Exit reason; `health` is reported as `other` without consent to health information.
    pub reason: ExitReason,
    /// Handovers inside the project (a psychologist handover only with health consent).
    pub handovers: Vec<HandoverTarget>,
    /// Kinds of specialist services the client was referred to (health-related kinds only
    /// with health consent).
    pub referred_to: Vec<ServiceKind>,
}

/// Everything the Jobcenter may be told about a case at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobcenterFeedback {
    /// The case.
    pub case_id: CaseId,
    /// The moment the content was computed for (consents in force then).
    pub as_of: DateTime<Utc>,
    /// Outreach result.
    pub outreach: OutreachResult,
    /// Participation confirmation, with consent.
    pub participation: Option<ParticipationConfirmation>,
    /// Progress, with consent.
    pub progress: Option<ProgressSummary>,
    /// Exit, with consent and once closed.
    pub exit: Option<ExitSummary>,
}

vocabulary! {
    /// Something [`jobcenter_feedback`] leaves out for lack of a consent. Only for the key
    /// worker preparing the report with the client ([`left_out_of_feedback`]); the report
    /// itself never says that anything was left out (I4: that there is something health
    /// related is itself a health fact).
    pub enum LeftOut {
        /// Goals in health-related life domains (consent `jobcenter_health` missing).
        HealthGoals = "health_goals", "Ziele in gesundheitsbezogenen Bereichen", "Goals in health-related areas";
        /// The exit reason "health", reported as "other".
        HealthExitReason = "health_exit_reason", "Austrittsgrund Gesundheit (als „sonstiger Grund“ gemeldet)", "Exit reason health (reported as other)";
        /// A handover to a psychologist.
        PsychologistHandover = "psychologist_handover", "Übergabe an eine*n Psycholog*in", "Handover to a psychologist";
        /// Referrals to health-related specialist services.
        HealthServices = "health_services", "Vermittlungen an gesundheitsbezogene Fachstellen", "Referrals to health-related services";
    }
}

/// What [`jobcenter_feedback`] leaves out of the report on `case` at `at` for lack of the
/// consent `jobcenter_health`, for the key worker's preview only (never part of the report).
#[must_use]
pub fn left_out_of_feedback(
    case: &Case,
    at: DateTime<Utc>,
    calendar: &dyn LocalCalendar,
) -> Vec<LeftOut> {
    let consent = |p| case.has_consent_in_force(p, at, calendar);
    if consent(ConsentPurpose::JobcenterHealthInformation) {
        return Vec::new();
    }
    let mut out = Vec::new();
    if case.enrolment.is_some()
        && consent(ConsentPurpose::JobcenterProgress)
        && case.goals.iter().any(|g| g.domain.is_health_related())
    {
        out.push(LeftOut::HealthGoals);
    }
    if case.status == CaseStatus::Closed && consent(ConsentPurpose::JobcenterExit) {
        if case
            .closure
            .as_ref()
            .is_some_and(|c| c.reason == ExitReason::Health)
        {
            out.push(LeftOut::HealthExitReason);
        }
        if case
            .handovers
            .iter()
            .any(|h| h.target == HandoverTarget::Psychologist)
        {
            out.push(LeftOut::PsychologistHandover);
        }
        if case
            .referrals_out
            .iter()
            .any(|r| r.kind.is_health_related())
        {
            out.push(LeftOut::HealthServices);
        }
    }
    out
}

/// Computes what the Jobcenter may be told about `case` at `at`. Days of stored instants (the
/// contact attempts, the day a consent came into force) are local days on `calendar`.
#[must_use]
pub fn jobcenter_feedback(
    case: &Case,
    at: DateTime<Utc>,
    calendar: &dyn LocalCalendar,
) -> JobcenterFeedback {
    let consent = |p| case.has_consent_in_force(p, at, calendar);
    let health = consent(ConsentPurpose::JobcenterHealthInformation);
    let enrolled = case.enrolment.is_some();

    let mut attempt_dates: Vec<NaiveDate> = case
        .attempts
        .iter()
        .map(|a| calendar.day_of(a.at))
        .collect();
    attempt_dates.sort();
    let outreach = OutreachResult {
        reached: case.reached(),
        offer: if enrolled {
            OfferResponse::Accepted
        } else if case.status == CaseStatus::Declined {
            OfferResponse::Declined
        } else {
            OfferResponse::Open
        },
        attempt_count: attempt_dates.len(),
        attempt_dates,
    };

    let participation = match (
        &case.period,
        consent(ConsentPurpose::JobcenterParticipation),
    ) {
        (Some(period), true) => Some(ParticipationConfirmation {
            start: period.start(),
            key_worker: case.key_worker,
            planned_end: period.planned_end(),
        }),
        _ => None,
    };

    let progress = if enrolled && consent(ConsentPurpose::JobcenterProgress) {
        let mut domains = Vec::new();
        let mut by_status = BTreeMap::new();
        for goal in &case.goals {
            // Without the health consent a health goal leaves no trace at all (I4): not
            // counted, not named, not even flagged as left out.
            if goal.domain.is_health_related() && !health {
                continue;
            }
            // Household data never appear (I4): such a goal counts, its domain is not named.
            if goal.domain != LifeDomain::FamilyHouseholdCare && !domains.contains(&goal.domain) {
                domains.push(goal.domain);
            }
            *by_status.entry(goal.status).or_insert(0) += 1;
        }
        domains.sort();
        Some(ProgressSummary {
            domains_worked_on: domains,
            goals_by_status: by_status,
        })
    } else {
        None
    };

    let exit = match (
        &case.closure,
        case.status,
        consent(ConsentPurpose::JobcenterExit),
    ) {
        (Some(closure), CaseStatus::Closed, true) => {
            let reason = if closure.reason == ExitReason::Health && !health {
                ExitReason::Other
            } else {
                closure.reason
            };
            let mut handovers: Vec<HandoverTarget> = case
                .handovers
                .iter()
                .map(|h| h.target)
                .filter(|t| health || *t != HandoverTarget::Psychologist)
                .collect();
            handovers.sort();
            handovers.dedup();
            let mut referred_to: Vec<ServiceKind> = case
                .referrals_out
                .iter()
                .map(|r| r.kind)
                .filter(|k| health || !k.is_health_related())
                .collect();
            referred_to.sort();
            referred_to.dedup();
            Some(ExitSummary {
                end_date: closure.closed_on,
                reason,
                handovers,
                referred_to,
            })
        }
        _ => None,
    };

    JobcenterFeedback {
        case_id: case.id,
        as_of: at,
        outreach,
        participation,
        progress,
        exit,
    }
}
