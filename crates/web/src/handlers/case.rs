//! The case file: its sections, every process step's form, the history timeline, the
//! Jobcenter feedback preview and the printable summary.
//!
//! Every GET of a case page is recorded in the access log before anything is shown. Every
//! POST runs one [`Command`] through [`CaseService::execute_at`] with the case version from
//! the form's hidden `version` field: a refused rule or a concurrent change shows the same
//! page again with the person's input and a clear message next to the form.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use uuid::Uuid;
use wegbereiter_core::ports::{AccessEntry, AccessKind};
use wegbereiter_core::prelude::*;
use wegbereiter_core::reminders::reminders;

use super::dashboard::Names;
use super::{Refusal, ok, page, see_other};
use crate::AppState;
use crate::access::{self, CaseAccess};
use crate::context::{Auth, FormData, ReqCtx};
use crate::error::AppError;
use crate::forms::{Invalid, Reader};
use crate::i18n::Tr;
use crate::views::{self, FormState, Layout, Opt, opts};

/// The sections of a case file, in tab order: (key, catalogue key).
const SECTIONS: &[(&str, &str)] = &[
    ("overview", "tab.overview"),
    ("outreach", "tab.outreach"),
    ("enrolment", "tab.enrolment"),
    ("social", "tab.social"),
    ("goals", "tab.goals"),
    ("contacts", "tab.contacts"),
    ("referrals", "tab.referrals"),
    ("handover", "tab.handover"),
    ("closure", "tab.closure"),
    ("history", "tab.history"),
    ("feedback", "tab.feedback"),
];

/// A tab of the case file.
#[derive(Debug, Clone)]
pub struct Tab {
    /// Link.
    pub href: String,
    /// Label.
    pub label: &'static str,
    /// Current tab.
    pub current: bool,
}

/// Label/value pair.
#[derive(Debug, Clone)]
pub struct Fact {
    /// Label.
    pub label: &'static str,
    /// Value.
    pub value: String,
}

fn fact(label: &'static str, value: impl Into<String>) -> Fact {
    Fact {
        label,
        value: value.into(),
    }
}

/// A contact attempt.
#[derive(Debug, Clone)]
pub struct AttemptRow {
    /// When.
    pub at: String,
    /// Channel.
    pub channel: &'static str,
    /// Outcome.
    pub outcome: &'static str,
    /// Who.
    pub staff: String,
}

/// An announcement letter.
#[derive(Debug, Clone)]
pub struct LetterRow {
    /// Letter date.
    pub letter: String,
    /// Visit window.
    pub window: String,
    /// Link to the printable letter.
    pub print: String,
}

/// A consent.
#[derive(Debug, Clone)]
pub struct ConsentRow {
    /// Id.
    pub id: String,
    /// Purpose.
    pub purpose: &'static str,
    /// Form.
    pub form: &'static str,
    /// Given.
    pub given: String,
    /// Withdrawn at, or "".
    pub withdrawn: String,
    /// In force now.
    pub active: bool,
}

/// A social-history domain with its current assessment.
#[derive(Debug, Clone)]
pub struct DomainRow {
    /// Key.
    pub key: &'static str,
    /// Label.
    pub label: &'static str,
    /// Assessed yet.
    pub assessed: bool,
    /// Own view.
    pub own_view: String,
    /// Strengths.
    pub strengths: String,
    /// Need key.
    pub need: &'static str,
    /// Need label.
    pub need_label: &'static str,
    /// Priority key.
    pub priority: &'static str,
    /// Priority label.
    pub priority_label: &'static str,
    /// Source key.
    pub source: &'static str,
    /// Source label.
    pub source_label: &'static str,
    /// Form id.
    pub form: String,
}

/// A rating of a goal.
#[derive(Debug, Clone)]
pub struct RatingCell {
    /// Date.
    pub on: String,
    /// Value 0–10.
    pub value: u8,
    /// CSS class for the bar length (`r0` … `r10`).
    pub class: String,
}

/// A goal.
#[derive(Debug, Clone)]
pub struct GoalRow {
    /// Id.
    pub id: String,
    /// Life domain.
    pub domain: &'static str,
    /// Wording.
    pub wording: String,
    /// Criterion.
    pub criterion: String,
    /// Responsible.
    pub responsible: &'static str,
    /// Review date.
    pub review: String,
    /// Review date (ISO).
    pub review_iso: String,
    /// Status key.
    pub status_key: &'static str,
    /// Status label.
    pub status: &'static str,
    /// Ratings over time.
    pub ratings: Vec<RatingCell>,
    /// Agreed on.
    pub agreed: String,
    /// Form id for rating.
    pub rate_form: String,
    /// Form id for updating.
    pub update_form: String,
    /// Form id for changing wording and criterion.
    pub edit_form: String,
}

/// A contact.
#[derive(Debug, Clone)]
pub struct ContactRow {
    /// Date.
    pub date: String,
    /// Minutes.
    pub minutes: u32,
    /// Kind.
    pub kind: &'static str,
    /// Content hidden (psychologist compartment).
    pub restricted: bool,
    /// Psychologist compartment.
    pub psych: bool,
    /// Participants.
    pub participants: String,
    /// Topics.
    pub topics: String,
    /// Agreements.
    pub agreements: String,
    /// Next steps.
    pub next_steps: String,
    /// Note.
    pub note: String,
    /// Who documented it.
    pub by: String,
}

/// A secrecy release.
#[derive(Debug, Clone)]
pub struct ReleaseView {
    /// Recipient.
    pub recipient: String,
    /// Information.
    pub information: String,
    /// Purpose.
    pub purpose: String,
    /// Direction.
    pub direction: &'static str,
    /// Validity.
    pub valid: String,
    /// Valid today.
    pub valid_now: bool,
    /// Withdrawn on (date), or "".
    pub withdrawn: String,
}

/// A referral out.
#[derive(Debug, Clone)]
pub struct ReferralRow {
    /// Id.
    pub id: String,
    /// Service name.
    pub service: String,
    /// Kind.
    pub kind: &'static str,
    /// Status key.
    pub status_key: &'static str,
    /// Status.
    pub status: &'static str,
    /// Since.
    pub since: String,
    /// Possible next statuses.
    pub next: Vec<Opt>,
    /// Release.
    pub release: Option<ReleaseView>,
    /// Form id (status).
    pub status_form: String,
    /// Form id (release).
    pub release_form: String,
    /// Form id (withdraw the release).
    pub withdraw_form: String,
    /// What was passed on to the service: "12.03.2026 · Gläubigerliste".
    pub disclosures: Vec<String>,
    /// Form id (record a disclosure).
    pub disclose_form: String,
}

/// A line of the timeline.
#[derive(Debug, Clone)]
pub struct HistoryRow {
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// What.
    pub what: String,
    /// Details.
    pub detail: String,
}

/// The Jobcenter feedback preview.
#[derive(Debug, Clone)]
pub struct FeedbackView {
    /// As of.
    pub as_of: String,
    /// Reached.
    pub reached: &'static str,
    /// Offer.
    pub offer: &'static str,
    /// Attempts.
    pub attempt_count: usize,
    /// Attempt dates.
    pub attempt_dates: String,
    /// Participation facts.
    pub participation: Vec<Fact>,
    /// Progress facts.
    pub progress: Vec<Fact>,
    /// What the report leaves out for lack of a consent, for the reader of the preview only
    /// (the report itself never says so: core's `left_out_of_feedback`).
    pub left_out: Vec<&'static str>,
    /// Exit facts.
    pub exit: Vec<Fact>,
    /// Why there is no exit report (when `exit` is empty): no consent, or not closed yet.
    pub no_exit: &'static str,
}

/// Options for the forms of the case file.
#[derive(Debug, Clone, Default)]
pub struct Options {
    channels: Vec<Opt>,
    outcomes: Vec<Opt>,
    domains: Vec<Opt>,
    needs: Vec<Opt>,
    priorities: Vec<Opt>,
    sources: Vec<Opt>,
    responsible: Vec<Opt>,
    goal_statuses: Vec<Opt>,
    contact_kinds: Vec<Opt>,
    services: Vec<Opt>,
    targets: Vec<Opt>,
    team_staff: Vec<Opt>,
    handover_staff: Vec<Opt>,
    assignees: Vec<Opt>,
    teams: Vec<Opt>,
    exit_reasons: Vec<Opt>,
    results: Vec<Opt>,
    purposes: Vec<Opt>,
    consent_forms: Vec<Opt>,
    directions: Vec<Opt>,
    employment: Vec<Opt>,
    isced: Vec<Opt>,
    citizenship: Vec<Opt>,
}

/// Hints whose numbers come from the project's [`Policy`], so that what the page says is
/// what core's `decide` and `reminders` apply.
#[derive(Debug, Clone)]
pub struct Hints {
    /// When outreach may end as "not reached".
    out_end: String,
    /// When the ESF Plus entry data are due.
    esf_missing: String,
    /// Closing, and how long it can be undone.
    close: String,
    /// How long a team lead may reopen.
    reopen: String,
}

impl Hints {
    fn new(tr: Tr, policy: &Policy) -> Self {
        let days = |key: &str, n: u32| tr.t(key).replace("{days}", &n.to_string());
        let rule = &policy.outreach_end;
        Self {
            out_end: tr
                .t("out.end_hint")
                .replace("{attempts}", &rule.max_failed_attempts.to_string())
                .replace("{weeks}", &rule.max_weeks_without_contact.to_string()),
            esf_missing: days("esf.missing", policy.esf_entry_due_days),
            close: days("close.hint", policy.reopen_window_days),
            reopen: days("close.reopen_hint", policy.reopen_window_days),
        }
    }
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    l: Layout,
    f: FormState,
    section: &'static str,
    tabs: Vec<Tab>,
    id: String,
    no: String,
    version: u64,
    name: String,
    status: &'static str,
    status_key: &'static str,
    head: Vec<Fact>,
    can_write: bool,
    can_lead: bool,
    can_contact: bool,
    is_psych: bool,
    enrolled: bool,
    in_outreach: bool,
    assigned: bool,
    closed: bool,
    ended: bool,
    phase2: bool,
    not_enrolled_msg: String,
    hints: Hints,
    today: String,
    now_local: String,
    default_key_worker: String,
    referral_facts: Vec<Fact>,
    client_facts: Vec<Fact>,
    case_reminders: Vec<Fact>,
    letters: Vec<LetterRow>,
    attempts: Vec<AttemptRow>,
    failed_attempts: u32,
    /// How many failed attempts end outreach (the project's rule).
    max_failed_attempts: u32,
    /// Whether core's outreach end rule is met today ("not reached" is possible).
    not_reached_allowed: bool,
    /// From when the time part of the rule is met.
    not_reached_from: String,
    enrolment_facts: Vec<Fact>,
    period_facts: Vec<Fact>,
    extensions: Vec<Fact>,
    /// Pauses: "18.03.2026 – 20.03.2026", or "seit 18.03.2026".
    pauses: Vec<String>,
    /// Whether participation is paused now.
    paused: bool,
    latest_end: String,
    consents: Vec<ConsentRow>,
    esf_facts: Vec<Fact>,
    domains: Vec<DomainRow>,
    goals: Vec<GoalRow>,
    contacts: Vec<ContactRow>,
    referrals: Vec<ReferralRow>,
    handovers: Vec<Fact>,
    attendance: Vec<Fact>,
    closure_facts: Vec<Fact>,
    previous_closures: Vec<Fact>,
    history: Vec<HistoryRow>,
    feedback: Option<FeedbackView>,
    o: Options,
}

#[derive(Template)]
#[template(path = "print.html")]
struct PrintPage {
    l: Layout,
    id: String,
    no: String,
    name: String,
    status: &'static str,
    printed: String,
    head: Vec<Fact>,
    referral_facts: Vec<Fact>,
    client_facts: Vec<Fact>,
    period_facts: Vec<Fact>,
    domains: Vec<DomainRow>,
    goals: Vec<GoalRow>,
    contacts: Vec<ContactRow>,
    referrals: Vec<ReferralRow>,
    handovers: Vec<Fact>,
    closure_facts: Vec<Fact>,
    previous_closures: Vec<Fact>,
}

/// A loaded case with the person's access to it.
pub struct Opened {
    case: Case,
    summary: CaseSummary,
    access: CaseAccess,
}

/// What a step needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    Read,
    Write,
    Lead,
    Contact,
}

/// Loads case `id` for `user` and checks `need` with core's access policy
/// ([`CaseService::case_for`], [`access::check`]): 403 for roles that never open cases, 404
/// for cases the person may not know of (or that do not exist), 403 for a missing right on
/// a visible case.
async fn open(
    state: &AppState,
    user: &StaffMember,
    id: &str,
    need: Need,
) -> Result<Opened, AppError> {
    let me = user.as_actor();
    if !access::works_on_cases(&me) {
        return Err(AppError::Forbidden);
    }
    let id: CaseId = id.parse().map_err(|_| AppError::NotFound)?;
    let case = state
        .service
        .case_for(id, &me)
        .await
        .map_err(|e| access::refusal(&e).unwrap_or_else(|| service_failure(e)))?;
    let summary = case.summary();
    let right = match need {
        Need::Read => access::Right::Read,
        Need::Write => access::Right::ChangeContent,
        Need::Lead => access::Right::Lead,
        // A psychologist may write their notes into a case they only read.
        Need::Contact => access::Right::RecordAnyContact,
    };
    access::check(&me, Some(&summary), right)?;
    Ok(Opened {
        // Only what this person may read (core's rule R14: psychologist notes); the pages
        // below hide restricted contacts further.
        case: case.for_reader(Some(&me)),
        access: access::case_access(&me, &summary),
        summary,
    })
}

/// A failure of the service that is not a refusal of the access policy.
fn service_failure(e: ServiceError) -> AppError {
    match e {
        ServiceError::Storage(e) => e.into(),
        other => AppError::Internal(other.to_string()),
    }
}

async fn record(
    state: &AppState,
    ctx: &ReqCtx,
    user: &StaffMember,
    id: CaseId,
    kind: AccessKind,
) -> Result<(), AppError> {
    state
        .backend
        .record_access(&AccessEntry {
            at: ctx.now,
            actor: user.id,
            case_id: id,
            kind,
        })
        .await?;
    Ok(())
}

fn text(t: Option<&Text>) -> String {
    t.map(ToString::to_string).unwrap_or_default()
}

/// What the timeline names inside a case: goals by their wording, referrals out by their
/// service.
struct Subjects {
    goals: HashMap<GoalId, String>,
    referrals: HashMap<OutboundReferralId, String>,
}

impl Subjects {
    fn of(case: &Case, services: &HashMap<ServiceId, String>, lang: Lang) -> Self {
        Self {
            goals: case
                .goals
                .iter()
                .map(|g| (g.id, format!("„{}“", g.wording)))
                .collect(),
            referrals: case
                .referrals_out
                .iter()
                .map(|r| {
                    let name = services
                        .get(&r.service)
                        .cloned()
                        .unwrap_or_else(|| r.kind.label(lang).to_owned());
                    (r.id, name)
                })
                .collect(),
        }
    }

    fn goal(&self, id: GoalId) -> String {
        self.goals.get(&id).cloned().unwrap_or_default()
    }

    fn referral(&self, id: OutboundReferralId) -> String {
        self.referrals.get(&id).cloned().unwrap_or_default()
    }
}

/// "subject: detail", or the detail alone when the subject is unknown.
fn about(subject: String, detail: String) -> String {
    match (subject.is_empty(), detail.is_empty()) {
        (true, _) => detail,
        (false, true) => subject,
        (false, false) => format!("{subject}: {detail}"),
    }
}

fn describe(
    event: &CaseEvent,
    tr: Tr,
    names: &Names,
    services: &HashMap<ServiceId, String>,
    subjects: &Subjects,
    reader: &Actor,
) -> (String, String) {
    let lang = tr.0;
    let d = |x: chrono::NaiveDate| views::date(x, lang);
    let (key, detail) = match event {
        CaseEvent::ReferralReceived { referral, team } => (
            "ev.referral",
            format!(
                "{} · {} · {}",
                referral.jobcenter,
                referral.reason.label(lang),
                names.team(*team)
            ),
        ),
        CaseEvent::TeamAssigned { team } => ("ev.team", names.team(Some(*team))),
        CaseEvent::VisitAnnounced { announcement: a } => (
            "ev.announced",
            format!(
                "{} · {}–{}",
                d(a.letter_date),
                d(a.visit_from),
                d(a.visit_until)
            ),
        ),
        CaseEvent::ContactAttemptLogged { attempt } => (
            "ev.attempt",
            format!(
                "{} · {}",
                attempt.channel.label(lang),
                attempt.outcome.label(lang)
            ),
        ),
        CaseEvent::OfferDeclined { on } => ("ev.declined", d(*on)),
        CaseEvent::NotReached { on } => ("ev.not_reached", d(*on)),
        CaseEvent::Enrolled { on, key_worker, .. } => (
            "ev.enrolled",
            format!("{} · {}", d(*on), names.staff(Some(*key_worker))),
        ),
        CaseEvent::PeriodExtended {
            previous_end,
            new_end,
            reason,
            ..
        } => (
            "ev.extended",
            format!("{} → {} · {}", d(*previous_end), d(*new_end), reason),
        ),
        CaseEvent::ConsentGiven { consent } => {
            ("ev.consent", consent.purpose.label(lang).to_owned())
        }
        CaseEvent::ConsentWithdrawn { .. } => ("ev.consent_withdrawn", String::new()),
        CaseEvent::DomainAssessed { domain, assessment } => (
            "ev.assessed",
            format!("{} · {}", domain.label(lang), assessment.need.label(lang)),
        ),
        CaseEvent::GoalAgreed { goal } => (
            "ev.goal",
            format!("{} · {}", goal.domain.label(lang), goal.wording),
        ),
        CaseEvent::GoalUpdated { goal, changes } => (
            "ev.goal_updated",
            about(
                subjects.goal(*goal),
                [
                    changes.status.map(|s| s.label(lang).to_owned()),
                    changes.review_date.map(d),
                    changes.wording.as_ref().map(ToString::to_string),
                    changes.criterion.as_ref().map(ToString::to_string),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · "),
            ),
        ),
        CaseEvent::GoalRated { goal, rating } => (
            "ev.goal_rated",
            about(subjects.goal(*goal), format!("{}/10", rating.value.value())),
        ),
        CaseEvent::ContactRecorded { contact } => {
            if contact.withheld_from(Some(reader)) {
                ("ev.contact_psych", d(contact.date))
            } else {
                (
                    "ev.contact",
                    format!("{} · {}", d(contact.date), contact.kind.label(lang)),
                )
            }
        }
        CaseEvent::OutboundReferralCreated { referral } => (
            "ev.referral_out",
            services
                .get(&referral.service)
                .cloned()
                .unwrap_or_else(|| referral.kind.label(lang).to_owned()),
        ),
        CaseEvent::OutboundReferralStatusChanged {
            referral, status, ..
        } => (
            "ev.referral_status",
            about(subjects.referral(*referral), status.label(lang).to_owned()),
        ),
        CaseEvent::SecrecyReleaseRecorded { release, .. } => {
            ("ev.release", release.recipient.to_string())
        }
        CaseEvent::SecrecyReleaseWithdrawn { referral, .. } => {
            ("ev.release_withdrawn", subjects.referral(*referral))
        }
        CaseEvent::ParticipationPaused { from } => ("ev.paused", d(*from)),
        CaseEvent::ParticipationResumed { on } => ("ev.resumed", d(*on)),
        CaseEvent::DisclosureRecorded {
            referral,
            on,
            information,
        } => (
            "ev.disclosure",
            about(
                subjects.referral(*referral),
                format!("{} · {}", d(*on), information),
            ),
        ),
        CaseEvent::HandedOver { target, to, on } => (
            "ev.handover",
            format!(
                "{} · {} · {}",
                target.label(lang),
                match to {
                    Some(_) => names.staff(*to),
                    None => tr.t("handover.same_person").to_owned(),
                },
                d(*on)
            ),
        ),
        CaseEvent::KeyWorkerChanged { to } => ("ev.key_worker", names.staff(Some(*to))),
        CaseEvent::AttendanceRecorded { record } => (
            "ev.attendance",
            format!(
                "{} · {} · {}",
                d(record.date),
                record.kind.label(lang),
                record.attendance.label(lang)
            ),
        ),
        CaseEvent::EsfEntryRecorded { .. } => ("ev.esf", String::new()),
        CaseEvent::Closed { closure } => (
            "ev.closed",
            format!("{} · {}", d(closure.closed_on), closure.reason.label(lang)),
        ),
        CaseEvent::ImmediateResultRecorded { result } => {
            ("ev.result", result.label(lang).to_owned())
        }
        CaseEvent::Reopened { on } => ("ev.reopened", d(*on)),
        _ => ("ev.other", String::new()),
    };
    (tr.t(key).to_owned(), detail)
}

fn yes_no(tr: Tr, v: Option<bool>) -> &'static str {
    match v {
        Some(true) => tr.t("form.yes"),
        Some(false) => tr.t("form.no"),
        None => tr.t("form.no_answer"),
    }
}

#[allow(clippy::too_many_lines)] // One place that turns a case into everything a page shows.
async fn build(
    state: &AppState,
    ctx: &ReqCtx,
    user: &StaffMember,
    opened: &Opened,
    section: &'static str,
    f: FormState,
) -> Result<CasePage, AppError> {
    let case = &opened.case;
    let summary = &opened.summary;
    let lang = ctx.lang;
    let tr = Tr(lang);
    let d = |x: chrono::NaiveDate| views::date(x, lang);
    let names = Names::load(state).await?;
    let directory = state.backend.list_services().await?;
    let services: HashMap<ServiceId, String> = directory
        .iter()
        .map(|s| (s.id, s.name.to_string()))
        .collect();
    let is_psych = access::can_read_psychologist_notes(&user.as_actor());
    let id = case.id.to_string();

    let tabs = SECTIONS
        .iter()
        .map(|(key, label)| Tab {
            href: if *key == "overview" {
                format!("/cases/{id}")
            } else {
                format!("/cases/{id}/{key}")
            },
            label: tr.t(label),
            current: *key == section,
        })
        .collect();

    let mut head = vec![
        fact(tr.t("case.number"), views::case_no(case.id)),
        fact(tr.t("case.team"), names.team(case.team)),
        fact(tr.t("case.key_worker"), names.staff(case.key_worker)),
    ];
    if let Some(p) = case.phase {
        head.push(fact(tr.t("case.phase"), p.label(lang)));
    }
    match (case.status.is_ended(), case.ended_on, &case.period) {
        (true, Some(ended), _) => head.push(fact(tr.t("case.ended_on"), d(ended))),
        (false, _, Some(p)) => head.push(fact(tr.t("case.planned_end"), d(p.planned_end()))),
        _ => {}
    }

    let r = &case.referral;
    let referral_facts = vec![
        fact(tr.t("ref.jobcenter"), r.jobcenter.to_string()),
        fact(tr.t("ref.case_manager"), r.case_manager.to_string()),
        fact(
            tr.t("ref.customer_number"),
            r.customer_number
                .as_ref()
                .map_or("–".to_owned(), ToString::to_string),
        ),
        fact(tr.t("ref.date"), d(r.referral_date)),
        fact(tr.t("ref.reason"), r.reason.label(lang)),
        fact(tr.t("ref.legal_basis"), r.legal_basis.label(lang)),
        fact(
            tr.t("ref.problem_areas"),
            if r.problem_areas.is_empty() {
                "–".to_owned()
            } else {
                r.problem_areas
                    .iter()
                    .map(|p| p.label(lang))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ),
    ];
    let c = &r.client;
    let mut client_facts = vec![
        fact(tr.t("client.name"), c.full_name()),
        fact(
            tr.t("client.date_of_birth"),
            views::opt_date(c.date_of_birth, lang),
        ),
        fact(
            tr.t("client.gender"),
            c.gender.map_or(tr.t("form.no_answer"), |g| g.label(lang)),
        ),
    ];
    client_facts.push(fact(
        tr.t("client.address"),
        c.address.as_ref().map_or("–".to_owned(), |a| {
            format!("{}, {} {}", a.street, a.postcode, a.city)
        }),
    ));
    client_facts.push(fact(
        tr.t("client.phone"),
        c.phone.as_ref().map_or("–".to_owned(), ToString::to_string),
    ));
    client_facts.push(fact(
        tr.t("client.email"),
        c.email.as_ref().map_or("–".to_owned(), ToString::to_string),
    ));

    let case_reminders = reminders(case, ctx.today(), &ctx.tz, &state.policy)
        .into_iter()
        .map(|rm| fact(rm.kind.label(lang), d(rm.due)))
        .collect();

    let letters = case
        .announcements
        .iter()
        .enumerate()
        .map(|(i, a)| LetterRow {
            letter: d(a.letter_date),
            window: format!("{} – {}", d(a.visit_from), d(a.visit_until)),
            print: format!("/cases/{id}/outreach/letters/{}/print", i + 1),
        })
        .collect();
    let attempts = case
        .attempts
        .iter()
        .map(|a| AttemptRow {
            at: views::datetime(a.at, lang, ctx.tz),
            channel: a.channel.label(lang),
            outcome: a.outcome.label(lang),
            staff: names.staff(Some(a.staff)),
        })
        .collect();

    let mut enrolment_facts = Vec::new();
    if let Some(e) = &case.enrolment {
        enrolment_facts.push(fact(tr.t("enrol.on"), d(e.on)));
        enrolment_facts.push(fact(
            tr.t("enrol.terms"),
            if e.terms.all_explained() {
                tr.t("enrol.terms_done")
            } else {
                "–"
            },
        ));
    }
    let pauses: Vec<String> = case
        .pauses
        .iter()
        .map(|p| match p.until {
            Some(until) => format!("{} – {}", d(p.from), d(until)),
            None => format!("{} {}", tr.t("pause.since"), d(p.from)),
        })
        .collect();
    let paused = case.open_pause().is_some();
    let mut period_facts = Vec::new();
    let mut extensions = Vec::new();
    let mut latest_end = String::new();
    if let Some(p) = &case.period {
        period_facts.push(fact(tr.t("period.start"), d(p.start())));
        period_facts.push(fact(tr.t("period.planned_end"), d(p.planned_end())));
        period_facts.push(fact(tr.t("period.latest_end"), d(p.latest_end())));
        latest_end = p.latest_end().format("%Y-%m-%d").to_string();
        for e in p.extensions() {
            extensions.push(fact(
                "",
                format!(
                    "{}: {} → {} · {}",
                    d(e.decided_on),
                    d(e.previous_end),
                    d(e.new_end),
                    e.reason
                ),
            ));
        }
    }
    let consents = case
        .consents
        .iter()
        .map(|co| ConsentRow {
            id: co.id.to_string(),
            purpose: co.purpose.label(lang),
            form: co.form.label(lang),
            given: d(co.given_on),
            withdrawn: co
                .withdrawn_at
                .map(|w| views::datetime(w, lang, ctx.tz))
                .unwrap_or_default(),
            active: co.is_active_at(ctx.local_now),
        })
        .collect();
    let mut esf_facts = Vec::new();
    if let Some(e) = &case.esf_entry {
        esf_facts.push(fact(
            tr.t("esf.employment"),
            e.employment_status.label(lang),
        ));
        esf_facts.push(fact(
            tr.t("esf.long_term"),
            yes_no(tr, Some(e.long_term_unemployed)),
        ));
        esf_facts.push(fact(tr.t("esf.education"), e.education.label(lang)));
        esf_facts.push(fact(tr.t("esf.citizenship"), e.citizenship.label(lang)));
        esf_facts.push(fact(tr.t("esf.disability"), yes_no(tr, e.disability)));
        esf_facts.push(fact(tr.t("esf.foreign"), yes_no(tr, e.foreign_background)));
        esf_facts.push(fact(tr.t("esf.minority"), yes_no(tr, e.minority)));
        esf_facts.push(fact(tr.t("esf.homeless"), yes_no(tr, Some(e.homeless))));
    }

    let domains = LifeDomain::ALL
        .iter()
        .map(|dom| {
            let a = case.social_history.get(dom);
            DomainRow {
                key: dom.key(),
                label: dom.label(lang),
                assessed: a.is_some(),
                own_view: text(a.and_then(|a| a.own_view.as_ref())),
                strengths: text(a.and_then(|a| a.strengths.as_ref())),
                need: a.map_or("", |a| a.need.key()),
                need_label: a.map_or("", |a| a.need.label(lang)),
                priority: a.map_or("", |a| a.priority.key()),
                priority_label: a.map_or("", |a| a.priority.label(lang)),
                source: a.map_or("own", |a| a.source.key()),
                source_label: a.map_or("", |a| a.source.label(lang)),
                form: format!("assess-{}", dom.key()),
            }
        })
        .collect();

    let goals = case
        .goals
        .iter()
        .map(|g| GoalRow {
            id: g.id.to_string(),
            domain: g.domain.label(lang),
            wording: g.wording.to_string(),
            criterion: g.criterion.to_string(),
            responsible: g.responsible.label(lang),
            review: d(g.review_date),
            review_iso: g.review_date.format("%Y-%m-%d").to_string(),
            status_key: g.status.key(),
            status: g.status.label(lang),
            ratings: g
                .ratings
                .iter()
                .map(|r| RatingCell {
                    on: d(r.on),
                    value: r.value.value(),
                    class: format!("r{}", r.value.value()),
                })
                .collect(),
            agreed: d(g.agreed_on),
            rate_form: format!("rate-{}", g.id),
            update_form: format!("goal-{}", g.id),
            edit_form: format!("goaledit-{}", g.id),
        })
        .collect();

    let reader = user.as_actor();
    // Who documented each contact: the actor of its event in the history.
    let authors: HashMap<ContactId, String> = if section == "contacts" {
        state
            .backend
            .history(case.id)
            .await?
            .iter()
            .filter_map(|ev| match &ev.event {
                CaseEvent::ContactRecorded { contact } => {
                    Some((contact.id, names.staff(Some(ev.actor))))
                }
                _ => None,
            })
            .collect()
    } else {
        HashMap::new()
    };
    let mut contacts: Vec<ContactRow> = case
        .contacts
        .iter()
        .map(|co| {
            // `case` came through core's `Case::for_reader`: a withheld contact's content is
            // gone already; the page also masks its kind.
            let restricted = co.withheld_from(Some(&reader));
            ContactRow {
                date: d(co.date),
                minutes: co.duration_minutes,
                kind: if restricted {
                    tr.t("contact.psych_kind")
                } else {
                    co.kind.label(lang)
                },
                restricted,
                psych: co.compartment == NoteCompartment::Psychologist,
                participants: text(co.participants.as_ref()),
                topics: co
                    .topics
                    .iter()
                    .map(|t| t.label(lang))
                    .collect::<Vec<_>>()
                    .join(", "),
                agreements: text(co.agreements.as_ref()),
                next_steps: text(co.next_steps.as_ref()),
                note: text(co.note.as_ref()),
                by: authors.get(&co.id).cloned().unwrap_or_default(),
            }
        })
        .collect();
    contacts.reverse();

    let referrals = case
        .referrals_out
        .iter()
        .map(|ro| ReferralRow {
            id: ro.id.to_string(),
            service: services
                .get(&ro.service)
                .cloned()
                .unwrap_or_else(|| "–".to_owned()),
            kind: ro.kind.label(lang),
            status_key: ro.status.key(),
            status: ro.status.label(lang),
            since: d(ro.status_since),
            next: OutboundReferralStatus::ALL
                .iter()
                .filter(|s| ro.status.can_move_to(**s))
                .map(|s| Opt::new(s.key(), s.label(lang)))
                .collect(),
            release: ro.release.as_ref().map(|rel| ReleaseView {
                recipient: rel.recipient.to_string(),
                information: rel.information.to_string(),
                purpose: rel.purpose.to_string(),
                direction: rel.direction.label(lang),
                valid: format!("{} – {}", d(rel.given_on), d(rel.valid_until)),
                valid_now: rel.is_valid_on(ctx.today()),
                withdrawn: rel.withdrawn_on.map(d).unwrap_or_default(),
            }),
            status_form: format!("refst-{}", ro.id),
            release_form: format!("rel-{}", ro.id),
            withdraw_form: format!("relw-{}", ro.id),
            disclosures: ro
                .disclosures
                .iter()
                .map(|x| format!("{} · {}", d(x.on), x.information))
                .collect(),
            disclose_form: format!("dis-{}", ro.id),
        })
        .collect();

    let handovers = case
        .handovers
        .iter()
        .map(|h| {
            let to = match h.to {
                Some(to) => names.staff(Some(to)),
                None => tr.t("handover.same_person").to_owned(),
            };
            fact(h.target.label(lang), format!("{} · {to}", d(h.on)))
        })
        .collect();
    let attendance = case
        .attendance
        .iter()
        .map(|a| {
            fact(
                a.kind.label(lang),
                format!("{} · {}", d(a.date), a.attendance.label(lang)),
            )
        })
        .collect();
    let mut closure_facts = Vec::new();
    if let Some(cl) = &case.closure {
        closure_facts.push(fact(tr.t("close.on"), d(cl.closed_on)));
        closure_facts.push(fact(tr.t("close.reason"), cl.reason.label(lang)));
        closure_facts.push(fact(
            tr.t("close.result"),
            cl.immediate_result.map_or("–", |r| r.label(lang)),
        ));
    }
    if let Some(e) = case.ended_on
        && case.status != CaseStatus::Closed
    {
        closure_facts.push(fact(tr.t("close.ended_on"), d(e)));
    }
    // Closures a reopening undid are history: the case is open again.
    let previous_closures = case
        .previous_closures
        .iter()
        .map(|cl| {
            fact(
                tr.t("close.on"),
                format!(
                    "{} · {} · {}",
                    d(cl.closed_on),
                    cl.reason.label(lang),
                    cl.immediate_result.map_or("–", |r| r.label(lang))
                ),
            )
        })
        .collect();

    let subjects = Subjects::of(case, &services, lang);
    let history = if section == "history" {
        let mut rows: Vec<HistoryRow> = state
            .backend
            .history(case.id)
            .await?
            .iter()
            .map(|ev| {
                let event = ev.event.for_reader(Some(&reader));
                let (what, detail) = describe(&event, tr, &names, &services, &subjects, &reader);
                HistoryRow {
                    at: views::datetime(ev.recorded_at, lang, ctx.tz),
                    actor: names.staff(Some(ev.actor)),
                    what,
                    detail,
                }
            })
            .collect();
        rows.reverse();
        rows
    } else {
        Vec::new()
    };

    let feedback = (section == "feedback").then(|| {
        let fb = jobcenter_feedback(case, ctx.now, &ctx.tz);
        let mut participation = Vec::new();
        if let Some(p) = &fb.participation {
            participation.push(fact(tr.t("period.start"), d(p.start)));
            participation.push(fact(tr.t("case.key_worker"), names.staff(p.key_worker)));
            participation.push(fact(tr.t("period.planned_end"), d(p.planned_end)));
        }
        let mut progress = Vec::new();
        if let Some(p) = &fb.progress {
            progress.push(fact(
                tr.t("fb.domains"),
                p.domains_worked_on
                    .iter()
                    .map(|x| x.label(lang))
                    .collect::<Vec<_>>()
                    .join(", "),
            ));
            for (status, n) in &p.goals_by_status {
                progress.push(fact(status.label(lang), n.to_string()));
            }
        }
        let mut exit = Vec::new();
        if let Some(e) = &fb.exit {
            exit.push(fact(tr.t("close.on"), d(e.end_date)));
            exit.push(fact(tr.t("close.reason"), e.reason.label(lang)));
            exit.push(fact(
                tr.t("fb.handovers"),
                e.handovers
                    .iter()
                    .map(|h| h.label(lang))
                    .collect::<Vec<_>>()
                    .join(", "),
            ));
            exit.push(fact(
                tr.t("fb.referred_to"),
                e.referred_to
                    .iter()
                    .map(|k| k.label(lang))
                    .collect::<Vec<_>>()
                    .join(", "),
            ));
        }
        let no_exit = if case.enrolment.is_none() {
            tr.t("fb.no_exit_not_enrolled")
        } else if case.has_active_consent(ConsentPurpose::JobcenterExit, ctx.local_now) {
            tr.t("fb.no_exit_yet")
        } else {
            tr.t("fb.no_exit_consent")
        };
        FeedbackView {
            no_exit,
            as_of: views::datetime(fb.as_of, lang, ctx.tz),
            reached: if fb.outreach.reached {
                tr.t("form.yes")
            } else {
                tr.t("form.no")
            },
            offer: fb.outreach.offer.label(lang),
            attempt_count: fb.outreach.attempt_count,
            attempt_dates: fb
                .outreach
                .attempt_dates
                .iter()
                .map(|x| d(*x))
                .collect::<Vec<_>>()
                .join(", "),
            participation,
            progress,
            left_out: wegbereiter_core::feedback::left_out_of_feedback(case, ctx.now, &ctx.tz)
                .iter()
                .map(|x| x.label(lang))
                .collect(),
            exit,
        }
    });

    let staff = state.backend.list_staff().await?;
    let in_case_team =
        |s: &&StaffMember| s.active && access::can_be_named_for(&s.as_actor(), summary);
    let staff_opt = |s: &StaffMember| {
        let roles = s
            .roles
            .iter()
            .map(|r| r.label(lang))
            .collect::<Vec<_>>()
            .join(", ");
        Opt::new(s.id.to_string(), format!("{} ({roles})", s.display_name))
    };
    // Who can be named for a case: those who take up case work (not team leads alone).
    let assignees: Vec<Opt> = staff
        .iter()
        .filter(in_case_team)
        .filter(|s| access::may_take_up_unassigned(&s.as_actor()))
        .map(staff_opt)
        .collect();
    let team_staff: Vec<Opt> = staff
        .iter()
        .filter(in_case_team)
        .filter(|s| s.roles.iter().any(|r| r.works_on_cases()))
        .map(staff_opt)
        .collect();
    let all_teams = state.backend.list_teams().await?;
    // Hand-over: the case's team first, then colleagues of other teams (job coaches,
    // psychologists, Phase 2), each with their team.
    let mut handover_staff = team_staff.clone();
    handover_staff.extend(
        staff
            .iter()
            .filter(|s| access::can_receive_handover(&s.as_actor()) && !in_case_team(s))
            .map(|s| {
                let mut o = staff_opt(s);
                let names: Vec<&str> = all_teams
                    .iter()
                    .filter(|t| s.teams.contains(&t.id))
                    .map(|t| t.name.as_str())
                    .collect();
                if !names.is_empty() {
                    o.label = format!("{} – {}", o.label, names.join(", "));
                }
                o
            }),
    );
    let teams = all_teams
        .into_iter()
        .map(|t| Opt::new(t.id.to_string(), t.name.to_string()))
        .collect();
    let o = Options {
        channels: opts::<ContactChannel>(lang),
        outcomes: opts::<AttemptOutcome>(lang),
        domains: opts::<LifeDomain>(lang),
        needs: opts::<ActionNeed>(lang),
        priorities: opts::<Priority>(lang),
        sources: opts::<AccountSource>(lang),
        responsible: opts::<ResponsibleParty>(lang),
        goal_statuses: opts::<GoalStatus>(lang),
        contact_kinds: opts::<ContactKind>(lang),
        services: directory
            .iter()
            .filter(|s| s.active)
            .map(|s| {
                Opt::new(
                    s.id.to_string(),
                    format!("{} ({})", s.name, s.kind.label(lang)),
                )
            })
            .collect(),
        targets: opts::<HandoverTarget>(lang),
        team_staff,
        handover_staff,
        assignees,
        teams,
        exit_reasons: opts::<ExitReason>(lang),
        results: opts::<ImmediateResult>(lang),
        purposes: ConsentPurpose::ALL
            .iter()
            // Processing consent is given at enrolment; after a withdrawal it can be given
            // again (a new consent; the withdrawn one stays in the history).
            .filter(|p| {
                **p != ConsentPurpose::CaseProcessing
                    || !case.has_active_consent(ConsentPurpose::CaseProcessing, ctx.local_now)
            })
            .map(|p| Opt::new(p.key(), p.label(lang)))
            .collect(),
        consent_forms: opts::<ConsentForm>(lang),
        directions: opts::<ReleaseDirection>(lang),
        employment: opts::<EmploymentStatus>(lang),
        isced: opts::<IscedBand>(lang),
        citizenship: opts::<Citizenship>(lang),
    };

    Ok(CasePage {
        l: Layout::new(ctx, "case.title", "").titled(case.referral.client.sort_name()),
        f,
        section,
        tabs,
        id,
        no: views::case_no(case.id),
        version: case.version,
        name: case.referral.client.sort_name(),
        status: case.status.label(lang),
        status_key: case.status.key(),
        head,
        can_write: opened.access.can_write(),
        can_lead: access::can_lead_case(&user.as_actor(), summary),
        can_contact: access::can_record_contact(&user.as_actor(), summary),
        is_psych,
        enrolled: case.status == CaseStatus::Enrolled,
        in_outreach: matches!(case.status, CaseStatus::Referred | CaseStatus::Outreach),
        assigned: case.key_worker.is_some(),
        closed: case.status == CaseStatus::Closed,
        ended: case.status.is_ended(),
        phase2: case.phase == Some(Phase::Phase2),
        not_enrolled_msg: DomainError::NotEnrolled.message(lang),
        hints: Hints::new(tr, &state.policy),
        today: ctx.today().format("%Y-%m-%d").to_string(),
        now_local: views::datetime_input(ctx.now, ctx.tz),
        default_key_worker: case
            .key_worker
            .map_or_else(|| user.id.to_string(), |k| k.to_string()),
        referral_facts,
        client_facts,
        case_reminders,
        letters,
        attempts,
        failed_attempts: case.failed_attempts(),
        max_failed_attempts: state.policy.outreach_end.max_failed_attempts,
        not_reached_allowed: wegbereiter_core::command::outreach_end_rule_met(
            case,
            &state.policy.outreach_end,
            ctx.today(),
            &ctx.tz,
        ),
        not_reached_from: d(wegbereiter_core::command::outreach_time_rule_met_on(
            case,
            &state.policy.outreach_end,
            &ctx.tz,
        )),
        enrolment_facts,
        period_facts,
        extensions,
        pauses,
        paused,
        latest_end,
        consents,
        esf_facts,
        domains,
        goals,
        contacts,
        referrals,
        handovers,
        attendance,
        closure_facts,
        previous_closures,
        history,
        feedback,
        o,
    })
}

async fn show(
    state: &AppState,
    ctx: &ReqCtx,
    user: &StaffMember,
    opened: &Opened,
    section: &'static str,
    f: FormState,
    status: StatusCode,
) -> Result<Response, AppError> {
    let kind = match section {
        "history" => AccessKind::History,
        "feedback" => AccessKind::JobcenterFeedback,
        _ => AccessKind::View,
    };
    // The access is logged before the page is built; if logging fails, nothing is shown.
    record(state, ctx, user, opened.case.id, kind).await?;
    let p = build(state, ctx, user, opened, section, f).await?;
    page(status, &p)
}

/// Opens case `id` for reading and shows `section` (the GET handlers below).
async fn view(
    state: &AppState,
    ctx: &ReqCtx,
    user: &StaffMember,
    id: &str,
    section: &'static str,
) -> Result<Response, AppError> {
    let opened = open(state, user, id, Need::Read).await?;
    show(
        state,
        ctx,
        user,
        &opened,
        section,
        FormState::default(),
        StatusCode::OK,
    )
    .await
}

/// GET /cases/{id}
pub async fn overview(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    view(&state, &ctx, &user, &id, "overview").await
}

/// GET /cases/{id}/{section}
pub async fn section(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path((id, section)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let Some((key, _)) = SECTIONS.iter().find(|(k, _)| *k == section) else {
        return Err(AppError::NotFound);
    };
    view(&state, &ctx, &user, &id, key).await
}

/// GET /cases/{id}/history
pub async fn history(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    view(&state, &ctx, &user, &id, "history").await
}

/// GET /cases/{id}/feedback
pub async fn feedback(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    view(&state, &ctx, &user, &id, "feedback").await
}

/// GET /cases/{id}/print
pub async fn print(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, Need::Read).await?;
    record(&state, &ctx, &user, opened.case.id, AccessKind::Export).await?;
    let p = build(
        &state,
        &ctx,
        &user,
        &opened,
        "overview",
        FormState::default(),
    )
    .await?;
    ok(&PrintPage {
        l: p.l,
        id: p.id,
        no: p.no,
        name: p.name,
        status: p.status,
        printed: views::datetime(ctx.now, ctx.lang, ctx.tz),
        head: p.head,
        referral_facts: p.referral_facts,
        client_facts: p.client_facts,
        period_facts: p.period_facts,
        domains: p.domains.into_iter().filter(|d| d.assessed).collect(),
        goals: p.goals,
        // The printout may leave the office: the psychologist compartment never goes on
        // paper, not even when a psychologist prints (rule R14).
        contacts: p.contacts.into_iter().filter(|c| !c.psych).collect(),
        referrals: p.referrals,
        handovers: p.handovers,
        closure_facts: p.closure_facts,
        previous_closures: p.previous_closures,
    })
}

#[derive(Template)]
#[template(path = "letter.html")]
struct LetterPage {
    l: Layout,
    id: String,
    sender: String,
    sender_address: Vec<String>,
    return_line: String,
    recipient: Vec<String>,
    date: String,
    signer: String,
    reference: String,
    name: String,
    window: String,
    contact: String,
}

/// GET /cases/{id}/outreach/letters/{n}/print: the `n`-th recorded announcement letter
/// (counting from 1) as a printable German letter (rules R5, R8): purpose, visit window,
/// voluntariness, that the client alone decides about entry, and how to decline. Access as
/// for viewing the case; recorded in the access log as an export.
pub async fn print_letter(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path((id, n)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, Need::Read).await?;
    let case = &opened.case;
    let announcement = n
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| case.announcements.get(i))
        .ok_or(AppError::NotFound)?;
    record(&state, &ctx, &user, case.id, AccessKind::Export).await?;
    let lang = ctx.lang;
    let tr = Tr(lang);
    let d = |x: chrono::NaiveDate| views::date(x, lang);
    let client = &case.referral.client;
    let mut recipient = vec![client.full_name()];
    match &client.address {
        Some(a) => {
            recipient.push(a.street.to_string());
            recipient.push(format!("{} {}", a.postcode, a.city));
        }
        None => recipient.push(tr.t("letter.no_address").to_owned()),
    }
    let signer = match case.key_worker {
        Some(k) => state.backend.staff(k).await?.map_or_else(
            || user.display_name.to_string(),
            |s| s.display_name.to_string(),
        ),
        None => user.display_name.to_string(),
    };
    let letters = &state.letters;
    let mut return_line = vec![letters.project_name.clone()];
    return_line.extend(letters.address.iter().cloned());
    ok(&LetterPage {
        l: Layout::new(&ctx, "letter.title", ""),
        id: case.id.to_string(),
        sender: letters.project_name.clone(),
        sender_address: letters.address.clone(),
        return_line: return_line.join(" · "),
        recipient,
        date: d(announcement.letter_date),
        signer,
        reference: views::case_no(case.id),
        name: client.full_name(),
        window: tr
            .t("letter.window")
            .replace("{from}", &d(announcement.visit_from))
            .replace("{until}", &d(announcement.visit_until)),
        contact: letters.contact.clone(),
    })
}

/// Runs `command` (or shows the form again with the message of `command`'s error).
#[allow(clippy::too_many_arguments)]
async fn submit(
    state: &AppState,
    ctx: &ReqCtx,
    user: &StaffMember,
    opened: Opened,
    section: &'static str,
    form_id: &str,
    form: &FormData,
    command: Result<Command, Invalid>,
) -> Result<Response, AppError> {
    let tr = Tr(ctx.lang);
    let refused = |msg: Invalid| FormState::refused(form_id, form.values(), msg);
    let command = match command {
        Ok(c) => c,
        Err(msg) => {
            return show(
                state,
                ctx,
                user,
                &opened,
                section,
                refused(msg),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let Some(seen) = form.version() else {
        return Err(AppError::BadRequest);
    };
    let id = opened.case.id;
    match state
        .service
        .execute_at(id, Some(seen), &command, &user.as_actor(), ctx.local_now)
        .await
    {
        Ok(_) => {
            ctx.flash(tr.t("case.saved")).await;
            let to = if section == "overview" {
                format!("/cases/{id}")
            } else {
                format!("/cases/{id}/{section}")
            };
            Ok(see_other(&to))
        }
        Err(e) => match super::refusal(e, ctx.lang, form)? {
            Refusal::Rule(msg) => {
                show(
                    state,
                    ctx,
                    user,
                    &opened,
                    section,
                    refused(msg),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
            Refusal::Conflict => {
                // Show the current case with the person's input: nothing is lost.
                let fresh = open(state, user, &id.to_string(), Need::Read).await?;
                show(
                    state,
                    ctx,
                    user,
                    &fresh,
                    section,
                    refused(tr.t("case.conflict").to_owned().into()),
                    StatusCode::CONFLICT,
                )
                .await
            }
        },
    }
}

fn new_id<T: From<Uuid>>() -> T {
    T::from(Uuid::now_v7())
}

/// The staff member chosen in field `name`, who must be one that may be named for the case
/// ([`access::can_be_named_for`]); unknown ids read as "please choose".
async fn chosen_staff(
    state: &AppState,
    r: &Reader<'_>,
    name: &str,
    label: &str,
    case: &CaseSummary,
) -> Result<Result<Actor, Invalid>, AppError> {
    chosen(state, r, name, label, |s| {
        access::can_be_named_for(&s.as_actor(), case)
    })
    .await
}

/// The staff member chosen in field `name` if `allowed`; unknown ids read as "please choose".
async fn chosen(
    state: &AppState,
    r: &Reader<'_>,
    name: &str,
    label: &str,
    allowed: impl Fn(&StaffMember) -> bool,
) -> Result<Result<Actor, Invalid>, AppError> {
    let id: StaffId = match r.id(name, label) {
        Ok(id) => id,
        Err(e) => return Ok(Err(e)),
    };
    match state.backend.staff(id).await? {
        Some(s) if allowed(&s) => Ok(Ok(s.as_actor())),
        _ => Ok(Err(r.unchosen(name, label))),
    }
}

macro_rules! step {
    ($(#[$m:meta])* $name:ident, $need:expr, $section:literal, $form:literal, |$state:ident, $r:ident, $case:ident| $body:expr) => {
        $(#[$m])*
        pub async fn $name(
            State($state): State<AppState>,
            Auth(ctx, user): Auth,
            Path(id): Path<String>,
            form: FormData,
        ) -> Result<Response, AppError> {
            let opened = open(&$state, &user, &id, $need).await?;
            let $r = Reader::new(&form, Tr(ctx.lang));
            let $case = &opened.case;
            #[allow(clippy::redundant_closure_call)]
            let command: Result<Command, Invalid> = $body;
            let form_id = if $form.is_empty() { form.get("form").to_owned() } else { $form.to_owned() };
            submit(&$state, &ctx, &user, opened, $section, &form_id, &form, command).await
        }
    };
}

step!(
    /// POST: record an announcement letter.
    announce, Need::Write, "outreach", "announce", |state, r, _case| (|| {
        Ok(Command::AnnounceVisit {
            announcement: VisitAnnouncement {
                letter_date: r.date("letter_date", "out.letter_date")?,
                visit_from: r.date("visit_from", "out.visit_from")?,
                visit_until: r.date("visit_until", "out.visit_until")?,
            },
        })
    })()
);

step!(
    /// POST: log a contact attempt.
    attempt, Need::Write, "outreach", "attempt", |state, r, _case| (|| {
        Ok(Command::LogContactAttempt {
            at: views::from_local(r.datetime("at", "out.at")?, state.tz),
            channel: r.choice("channel", "out.channel")?,
            outcome: r.choice("outcome", "out.outcome")?,
        })
    })()
);

step!(
    /// POST: the client declined.
    decline, Need::Write, "outreach", "decline", |state, r, _case| (|| {
        Ok(Command::Decline { on: r.date("on", "out.on")? })
    })()
);

step!(
    /// POST: end outreach as not reached.
    not_reached, Need::Write, "outreach", "not_reached", |state, r, _case| (|| {
        Ok(Command::MarkNotReached { on: r.date("on", "out.on")? })
    })()
);

/// POST: enrol the client.
pub async fn enrol(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, Need::Write).await?;
    let r = Reader::new(&form, Tr(ctx.lang));
    let key_worker =
        chosen_staff(&state, &r, "key_worker", "case.key_worker", &opened.summary).await?;
    let command = (|| {
        let on = r.date("on", "enrol.on")?;
        Ok(Command::Enrol {
            on,
            key_worker: key_worker?,
            terms: ParticipationTerms {
                hygiene_rules: r.flag("hygiene_rules"),
                data_protection: r.flag("data_protection"),
            },
            consent: EnrolmentConsent {
                id: new_id(),
                form: r.choice("consent_form", "consent.form")?,
                given_on: r.date("consent_given_on", "consent.given_on")?,
            },
        })
    })();
    submit(
        &state,
        &ctx,
        &user,
        opened,
        "enrolment",
        "enrol",
        &form,
        command,
    )
    .await
}

step!(
    /// POST: the client pauses participation (not a sanction; the planned end stays).
    pause, Need::Write, "enrolment", "pause", |state, r, _case| (|| {
        Ok(Command::PauseParticipation { from: r.date("from", "pause.from")? })
    })()
);

step!(
    /// POST: the client takes part again.
    resume, Need::Write, "enrolment", "resume", |state, r, _case| (|| {
        Ok(Command::ResumeParticipation { on: r.date("on", "pause.resumed_on")? })
    })()
);

step!(
    /// POST: extend the key-worker period.
    extend, Need::Write, "enrolment", "extend", |state, r, _case| (|| {
        Ok(Command::ExtendPeriod {
            until: r.date("until", "period.until")?,
            reason: r.text("reason", "period.reason")?,
        })
    })()
);

step!(
    /// POST: record a consent.
    give_consent, Need::Write, "enrolment", "consent", |state, r, _case| (|| {
        Ok(Command::GiveConsent {
            id: new_id(),
            purpose: r.choice("purpose", "consent.purpose")?,
            form: r.choice("consent_form", "consent.form")?,
            given_on: r.date("given_on", "consent.given_on")?,
        })
    })()
);

step!(
    /// POST: withdraw a consent.
    withdraw_consent, Need::Write, "enrolment", "withdraw", |state, r, _case| (|| {
        Ok(Command::WithdrawConsent { id: r.id("consent", "consent.purpose")? })
    })()
);

step!(
    /// POST: record the ESF Plus entry data.
    esf_entry, Need::Write, "enrolment", "esf", |state, r, _case| (|| {
        Ok(Command::RecordEsfEntry {
            record: EsfEntryRecord {
                employment_status: r.choice("employment_status", "esf.employment")?,
                long_term_unemployed: r.yes_no("long_term").unwrap_or(false),
                education: r.choice("education", "esf.education")?,
                disability: r.yes_no("disability"),
                citizenship: r.choice("citizenship", "esf.citizenship")?,
                foreign_background: r.yes_no("foreign_background"),
                minority: r.yes_no("minority"),
                homeless: r.yes_no("homeless").unwrap_or(false),
            },
        })
    })()
);

step!(
    /// POST: assess a life domain.
    assess, Need::Write, "social", "", |state, r, _case| (|| {
        Ok(Command::AssessDomain {
            domain: r.choice("domain", "social.domain")?,
            assessment: DomainAssessment {
                own_view: r.opt_text("own_view", "social.own_view")?,
                strengths: r.opt_text("strengths", "social.strengths")?,
                need: r.choice("need", "social.need")?,
                priority: r.choice("priority", "social.priority")?,
                source: r.choice("source", "social.source")?,
            },
        })
    })()
);

step!(
    /// POST: agree a goal.
    agree_goal, Need::Write, "goals", "goal", |state, r, _case| (|| {
        Ok(Command::AgreeGoal {
            id: new_id(),
            domain: r.choice("domain", "goal.domain")?,
            wording: r.text("wording", "goal.wording")?,
            criterion: r.text("criterion", "goal.criterion")?,
            responsible: r.choice("responsible", "goal.responsible")?,
            review_date: r.date("review_date", "goal.review")?,
        })
    })()
);

step!(
    /// POST: rate a goal.
    rate_goal, Need::Write, "goals", "", |state, r, _case| (|| {
        let value = r.number("value", "goal.rating", 0, 10)?;
        Ok(Command::RateGoal {
            id: r.id("goal", "goal.wording")?,
            on: r.date("on", "goal.rated_on")?,
            value: Scale::new(u8::try_from(value).unwrap_or(u8::MAX))
                .map_err(|e| Invalid::field("value", e.message(r.tr.0)))?,
        })
    })()
);

step!(
    /// POST: change a goal's status or review date.
    update_goal, Need::Write, "goals", "", |state, r, _case| (|| {
        Ok(Command::UpdateGoal {
            id: r.id("goal", "goal.wording")?,
            changes: GoalChanges {
                status: r.opt_choice("status", "goal.status")?,
                review_date: r.opt_date("review_date", "goal.review")?,
                ..GoalChanges::default()
            },
        })
    })()
);

/// POST: document a contact.
pub async fn record_contact(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, Need::Contact).await?;
    let r = Reader::new(&form, Tr(ctx.lang));
    let command = (|| {
        Ok(Command::RecordContact {
            contact: Contact {
                id: new_id(),
                date: r.date("date", "contact.date")?,
                duration_minutes: r.number("duration", "contact.duration", 1, 24 * 60)?,
                kind: r.choice("kind", "contact.kind")?,
                participants: r.opt_text("participants", "contact.participants")?,
                topics: r.choices("topics", "contact.topics")?,
                agreements: r.opt_text("agreements", "contact.agreements")?,
                next_steps: r.opt_text("next_steps", "contact.next_steps")?,
                note: r.opt_text("note", "contact.note")?,
                // Core decides the compartment (rule R14): a psychologist's note stays with
                // psychologists unless shared with the team below.
                compartment: NoteCompartment::CaseTeam,
            },
            share_with_team: r.flag("share_with_team"),
        })
    })();
    // Whether this person may write into the compartment the note lands in (a psychologist
    // who is not assigned to the case writes only into theirs) is core's access policy,
    // checked by the service; a refusal answers 403.
    submit(
        &state, &ctx, &user, opened, "contacts", "contact", &form, command,
    )
    .await
}

/// POST: refer out to a specialist service.
pub async fn refer_out(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, Need::Write).await?;
    let r = Reader::new(&form, Tr(ctx.lang));
    let service = match r.id::<ServiceId>("service", "refout.service") {
        Ok(sid) => state
            .backend
            .service(sid)
            .await?
            .ok_or_else(|| r.unchosen("service", "refout.service")),
        Err(e) => Err(e),
    };
    let command = service.map(|service| Command::ReferOut {
        id: new_id(),
        service,
    });
    submit(
        &state,
        &ctx,
        &user,
        opened,
        "referrals",
        "refout",
        &form,
        command,
    )
    .await
}

step!(
    /// POST: change a referral out's status.
    referral_status, Need::Write, "referrals", "", |state, r, _case| (|| {
        Ok(Command::UpdateReferralOut {
            id: r.id("referral", "refout.service")?,
            status: r.choice("status", "refout.status")?,
            on: r.date("on", "refout.on")?,
        })
    })()
);

step!(
    /// POST: record a secrecy release.
    secrecy_release, Need::Write, "referrals", "", |state, r, _case| (|| {
        Ok(Command::RecordSecrecyRelease {
            referral: r.id("referral", "refout.service")?,
            release: SecrecyRelease {
                recipient: r.text("recipient", "release.recipient")?,
                information: r.text("information", "release.information")?,
                purpose: r.text("purpose", "release.purpose")?,
                direction: r.choice("direction", "release.direction")?,
                given_on: r.date("given_on", "release.given_on")?,
                valid_until: r.date("valid_until", "release.valid_until")?,
                withdrawn_on: None,
            },
        })
    })()
);

step!(
    /// POST: record what was passed on to the service (core refuses it without a secrecy
    /// release valid that day, rule R22).
    disclose, Need::Write, "referrals", "", |state, r, _case| (|| {
        Ok(Command::RecordDisclosure {
            referral: r.id("referral", "refout.service")?,
            on: r.date("on", "disclosure.on")?,
            information: r.text("information", "disclosure.information")?,
        })
    })()
);

step!(
    /// POST: withdraw a secrecy release (the client may do so at any time).
    withdraw_release, Need::Write, "referrals", "", |state, r, _case| (|| {
        Ok(Command::WithdrawSecrecyRelease {
            referral: r.id("referral", "refout.service")?,
        })
    })()
);

step!(
    /// POST: change a goal's wording and criterion (in the client's words).
    edit_goal, Need::Write, "goals", "", |state, r, _case| (|| {
        Ok(Command::UpdateGoal {
            id: r.id("goal", "goal.wording")?,
            changes: GoalChanges {
                wording: Some(r.text("wording", "goal.wording")?),
                criterion: Some(r.text("criterion", "goal.criterion")?),
                ..GoalChanges::default()
            },
        })
    })()
);

/// POST: hand over inside the project.
pub async fn hand_over(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, Need::Write).await?;
    let r = Reader::new(&form, Tr(ctx.lang));
    let to = if form.get("to").is_empty() {
        Ok(None)
    } else {
        chosen(&state, &r, "to", "handover.to", |s| {
            access::can_receive_handover(&s.as_actor())
        })
        .await?
        .map(Some)
    };
    let command = (|| {
        Ok(Command::HandOver {
            target: r.choice("target", "handover.target")?,
            to: to?,
            on: r.date("on", "handover.on")?,
        })
    })();
    submit(
        &state, &ctx, &user, opened, "handover", "handover", &form, command,
    )
    .await
}

/// POST: assign another key worker (team lead); before enrolment, the person responsible
/// for the outreach.
pub async fn reassign(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, Need::Lead).await?;
    let r = Reader::new(&form, Tr(ctx.lang));
    let command = chosen_staff(&state, &r, "to", "case.key_worker", &opened.summary)
        .await?
        .map(|to| Command::ReassignKeyWorker { to });
    // Before enrolment the form is on the overview ("responsible for outreach").
    let section = if form.get("from") == "overview" {
        "overview"
    } else {
        "handover"
    };
    submit(
        &state, &ctx, &user, opened, section, "reassign", &form, command,
    )
    .await
}

/// POST: move the case to another team (team lead of the current team).
pub async fn assign_team(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, Need::Lead).await?;
    let r = Reader::new(&form, Tr(ctx.lang));
    let team = match r.id::<TeamId>("team", "case.team") {
        Ok(t) => match state.backend.team(t).await? {
            Some(_) => Ok(t),
            None => Err(r.unchosen("team", "case.team")),
        },
        Err(e) => Err(e),
    };
    let command = team.map(|team| Command::AssignTeam { team });
    submit(
        &state, &ctx, &user, opened, "handover", "team", &form, command,
    )
    .await
}

step!(
    /// POST: close the case.
    close, Need::Write, "closure", "close", |state, r, _case| (|| {
        Ok(Command::Close {
            on: r.date("on", "close.on")?,
            reason: r.choice("reason", "close.reason")?,
            immediate_result: r.opt_choice("immediate_result", "close.result")?,
        })
    })()
);

step!(
    /// POST: reopen the case (team lead).
    reopen, Need::Lead, "closure", "reopen", |state, r, _case| (|| {
        Ok(Command::Reopen { on: r.date("on", "close.reopen_on")? })
    })()
);

step!(
    /// POST: record the ESF immediate result.
    immediate_result, Need::Write, "closure", "result", |state, r, _case| (|| {
        Ok(Command::RecordImmediateResult { result: r.choice("immediate_result", "close.result")? })
    })()
);
