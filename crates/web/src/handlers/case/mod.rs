//! The case file: its sections, every process step's form, the history timeline, the
//! Jobcenter feedback preview and the printable summary, one module per section.
//!
//! Every page shows core's case-file model ([`wegbereiter_core::case_file`]): the facts, the
//! listings, what is withheld and the timeline come from [`case_file::build_for`] and
//! [`case_file::timeline`]; the section modules add only what a page needs besides (form
//! ids, choices, links).
//!
//! Every GET of a case page is recorded in the access log before anything is shown. Every
//! POST runs one [`Command`] through [`CaseService::execute_at`] with the case version from
//! the form's hidden `version` field: a refused rule or a concurrent change shows the same
//! page again with the person's input and a clear message next to the form, and keeps that
//! input in the session, so that a GET of the POST's address (a reload) shows it again
//! ([`reload_step`]). Steps that end or interrupt something ask first ([`confirm`]).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono_tz::Tz;
use uuid::Uuid;
use wegbereiter_core::case_file::{self, CaseFile, Entry, FactKey, Medium, Value};
use wegbereiter_core::ports::{AccessEntry, AccessKind};
use wegbereiter_core::prelude::*;

use super::dashboard::Names;
use super::{Refusal, page, see_other};
use crate::AppState;
use crate::access::{self, CaseAccess};
use crate::context::{Auth, FormData, ReqCtx};
use crate::error::AppError;
use crate::forms::{Invalid, Reader};
use crate::i18n::Tr;
use crate::views::{self, FormState, Layout};

/// What every section module uses.
mod prelude {
    pub(super) use axum::extract::{Path, State};
    pub(super) use axum::response::Response;
    pub(super) use wegbereiter_core::case_file::{CaseFile, FactKey, SectionKey, Value};
    pub(super) use wegbereiter_core::prelude::*;

    pub(super) use super::{Fact, Need, Show, chosen, chosen_staff, fact, new_id, open, submit};
    pub(super) use crate::AppState;
    pub(super) use crate::access;
    pub(super) use crate::context::{Auth, FormData};
    pub(super) use crate::error::AppError;
    pub(super) use crate::forms::{Errors, Invalid, Reader};
    pub(super) use crate::i18n::Tr;
    pub(super) use crate::views::{self, Opt};
}

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
    pub label: String,
    /// Value.
    pub value: String,
}

fn fact(label: impl Into<String>, value: impl Into<String>) -> Fact {
    Fact {
        label: label.into(),
        value: value.into(),
    }
}

/// How the pages show the model's values: days in the page's language, instants on the
/// installation's wall clock.
#[derive(Debug, Clone, Copy)]
pub struct Show {
    /// The page's language.
    pub lang: Lang,
    /// The installation's time zone.
    pub tz: Tz,
}

impl Show {
    /// A value as text.
    #[must_use]
    pub fn value(self, value: &Value) -> String {
        value.show(self.lang, &|at| views::datetime(at, self.lang, self.tz))
    }

    /// The facts of the model as the templates' label/value pairs.
    #[must_use]
    pub fn facts(self, facts: &[case_file::Fact]) -> Vec<Fact> {
        facts
            .iter()
            .map(|f| fact(f.label, self.value(&f.value)))
            .collect()
    }

    /// The shown value of `key` in `entry`, `–` when the entry has no such fact.
    #[must_use]
    pub fn of(self, entry: &Entry, key: FactKey) -> String {
        entry
            .fact(key)
            .map_or_else(|| "–".to_owned(), |f| self.value(&f.value))
    }

    /// Free text of `key` in `entry`, empty when missing or withheld (templates leave empty
    /// paragraphs out).
    #[must_use]
    pub fn text(self, entry: &Entry, key: FactKey) -> String {
        match entry.fact(key).map(|f| &f.value) {
            None | Some(Value::Missing | Value::Withheld) => String::new(),
            Some(Value::Choices(cs)) if cs.is_empty() => String::new(),
            Some(v) => self.value(v),
        }
    }
}

/// The names a case file shows, from the directory the page loaded.
struct Directory<'a> {
    names: &'a Names,
    services: &'a HashMap<ServiceId, String>,
    directory: &'a [SpecialistService],
}

impl case_file::Names for Directory<'_> {
    fn staff(&self, id: StaffId) -> Option<String> {
        self.names.staff.get(&id).cloned()
    }

    fn team(&self, id: TeamId) -> Option<String> {
        self.names.teams.get(&id).cloned()
    }

    fn service(&self, id: ServiceId) -> Option<String> {
        self.services.get(&id).cloned()
    }

    fn service_details(&self, id: ServiceId) -> Option<ServiceDetails> {
        self.directory
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.details.clone())
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

mod closure;
mod confirm;
mod contacts;
mod enrolment;
mod feedback;
mod goals;
mod handover;
mod history;
mod letter;
mod next;
mod options;
mod outreach;
mod overview;
mod pdf;
mod print;
mod referrals;
mod report;
mod social;

pub use closure::{immediate_result, reopen};
pub use confirm::{
    ask_close, ask_decline, ask_hand_over, ask_not_reached, ask_pause, ask_withdraw_consent, close,
    decline, hand_over, not_reached, pause, withdraw_consent,
};
pub use contacts::record_contact;
pub use enrolment::{enrol, esf_entry, extend, give_consent, resume};
pub use goals::{agree_goal, edit_goal, rate_goal, update_goal};
pub use handover::{assign_team, reassign};
pub use letter::{letter_pdf, print_letter};
pub use outreach::{announce, attempt, letter_language};
pub use print::{consent_receipt, esf_questionnaire, esf_questionnaire_pdf, print, summary_pdf};
pub use referrals::{disclose, refer_out, referral_status, secrecy_release, withdraw_release};
pub use report::{pdf as report_pdf, preview as report_preview, send as send_report, sent_pdf};
pub use social::assess;

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    l: Layout,
    f: FormState,
    section: &'static str,
    tabs: Vec<Tab>,
    id: String,
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
    hints: options::Hints,
    today: String,
    now_local: String,
    default_key_worker: String,
    /// Whether participation is paused now.
    paused: bool,
    /// The next-step panel.
    next: next::Part,
    ov: overview::Part,
    out: outreach::Part,
    en: enrolment::Part,
    domains: Vec<social::DomainRow>,
    goals: Vec<goals::GoalRow>,
    contacts: Vec<contacts::ContactRow>,
    referrals: Vec<referrals::ReferralRow>,
    ho: handover::Part,
    cl: closure::Part,
    history: Vec<history::HistoryRow>,
    feedback: Option<feedback::FeedbackView>,
    o: options::Options,
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
    let now = (state.clock)();
    let case = state
        .service
        .case_for(id, &me, now)
        .await
        .map_err(|e| access::refusal(&e).unwrap_or_else(|| service_failure(e)))?;
    // With the former key workers who still read it: the summary the service decided on.
    let summary = state.service.summary_at(&case, now);
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

/// Everything a page of case `opened` needs to render core's case-file model.
struct Loaded {
    names: Names,
    services: HashMap<ServiceId, String>,
    directory: Vec<SpecialistService>,
    file: CaseFile,
    show: Show,
}

impl Loaded {
    /// The case file of `opened` as `user` may see it on `medium`.
    async fn of(
        state: &AppState,
        ctx: &ReqCtx,
        user: &StaffMember,
        opened: &Opened,
        medium: Medium,
    ) -> Result<Self, AppError> {
        let names = Names::load(state).await?;
        let directory = state.backend.list_services().await?;
        let services: HashMap<ServiceId, String> = directory
            .iter()
            .map(|s| (s.id, s.name.to_string()))
            .collect();
        let reader = user.as_actor();
        let view = case_file::View {
            reader: &reader,
            lang: ctx.lang,
            medium,
            now: ctx.local_now,
        };
        let file = case_file::build_for(
            &opened.case,
            &view,
            &Directory {
                names: &names,
                services: &services,
                directory: &directory,
            },
        )?;
        Ok(Self {
            names,
            services,
            directory,
            file,
            show: Show {
                lang: ctx.lang,
                tz: ctx.tz,
            },
        })
    }

    fn dir(&self) -> Directory<'_> {
        Directory {
            names: &self.names,
            services: &self.services,
            directory: &self.directory,
        }
    }
}

fn tabs(id: &str, section: &str, tr: Tr) -> Vec<Tab> {
    SECTIONS
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
        .collect()
}

/// The page of `section` of the opened case.
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
    let loaded = Loaded::of(state, ctx, user, opened, Medium::Screen).await?;
    let (file, show) = (&loaded.file, loaded.show);
    let me = user.as_actor();
    let id = case.id.to_string();
    let history = if section == "history" {
        history::rows(state, ctx, &me, case, &loaded).await?
    } else {
        Vec::new()
    };
    Ok(CasePage {
        l: Layout::new(ctx, "case.title", "").titled(case.referral.client.sort_name()),
        f,
        section,
        tabs: tabs(&id, section, tr),
        version: case.version,
        name: file.title.clone(),
        status: case.status.label(lang),
        status_key: case.status.key(),
        head: overview::head(case, file, show, tr),
        can_write: opened.access.can_write(),
        can_lead: access::can_lead_case(&me, summary),
        can_contact: access::can_record_contact(&me, summary),
        is_psych: access::can_read_psychologist_notes(&me),
        enrolled: case.status == CaseStatus::Enrolled,
        in_outreach: matches!(case.status, CaseStatus::Referred | CaseStatus::Outreach),
        assigned: case.key_worker.is_some(),
        closed: case.status == CaseStatus::Closed,
        ended: case.status.is_ended(),
        phase2: case.phase == Some(Phase::Phase2),
        not_enrolled_msg: DomainError::NotEnrolled.message(lang),
        hints: options::Hints::new(tr, &state.policy),
        today: ctx.today().format("%Y-%m-%d").to_string(),
        now_local: views::datetime_input(ctx.now, ctx.tz),
        default_key_worker: case
            .key_worker
            .map_or_else(|| user.id.to_string(), |k| k.to_string()),
        paused: case.open_pause().is_some(),
        next: next::part(state, ctx, case, &me),
        ov: overview::part(state, ctx, case, file, show),
        out: outreach::part(state, ctx, case, file, show),
        en: enrolment::part(file, show),
        domains: social::rows(file, lang),
        goals: goals::rows(file, show),
        contacts: contacts::rows(state, case, file, show, section, &loaded.names).await?,
        referrals: referrals::rows(file, show),
        ho: handover::part(file, show, tr),
        cl: closure::part(case, file, show, tr),
        history,
        feedback: (section == "feedback").then(|| feedback::view(case, ctx, &loaded.names)),
        o: options::Options::load(state, ctx, case, summary, &loaded.directory).await?,
        id,
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

/// GET of a step's address (`/cases/{id}/{section}/…`, where the step's form posts to):
/// after a refused save (a reload, or the address typed again), the tab with the input of
/// that save, kept in the session ([`ReqCtx::keep_refused`]); otherwise the tab. Never 405.
pub async fn reload_step(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let section = ctx.here.split('/').nth(3).unwrap_or_default().to_owned();
    reload_section(&state, &ctx, &user, &id, &section).await
}

async fn reload_section(
    state: &AppState,
    ctx: &ReqCtx,
    user: &StaffMember,
    id: &str,
    section: &str,
) -> Result<Response, AppError> {
    let Some((key, _)) = SECTIONS.iter().find(|(k, _)| *k == section) else {
        return Err(AppError::NotFound);
    };
    let opened = open(state, user, id, Need::Read).await?;
    match ctx.take_refused().await {
        Some(kept) => {
            show(
                state,
                ctx,
                user,
                &opened,
                key,
                kept,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        None => Ok(see_other(&if *key == "overview" {
            format!("/cases/{}", opened.case.id)
        } else {
            format!("/cases/{}/{key}", opened.case.id)
        })),
    }
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
            let f = refused(msg);
            ctx.keep_refused(&f).await;
            return show(
                state,
                ctx,
                user,
                &opened,
                section,
                f,
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
                let f = refused(msg);
                ctx.keep_refused(&f).await;
                show(
                    state,
                    ctx,
                    user,
                    &opened,
                    section,
                    f,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
            Refusal::Conflict => {
                // Show the current case with the person's input: nothing is lost.
                let fresh = open(state, user, &id.to_string(), Need::Read).await?;
                let f = refused(tr.t("case.conflict").to_owned().into());
                ctx.keep_refused(&f).await;
                show(state, ctx, user, &fresh, section, f, StatusCode::CONFLICT).await
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
