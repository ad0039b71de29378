//! Phase 2 group sessions (breakfast, workshop, coaching, excursion) and their attendance
//! sheets. Attendance is kept for day structure and funding evidence, never as sanction
//! evidence: there is only "present" and "not present", no "unexcused".

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use uuid::Uuid;
use wegbereiter_core::ports::AuditStamp;
use wegbereiter_core::prelude::*;

use super::dashboard::visible_cases;
use super::{Refusal, ok, page, see_other};
use crate::AppState;
use crate::access;
use crate::context::{Auth, FormData, ReqCtx};
use crate::error::AppError;
use crate::forms::{Invalid, Reader};
use crate::i18n::Tr;
use crate::views::{self, FormState, Layout, Opt, opts};

/// A session in the list.
#[derive(Debug, Clone)]
pub struct SessionRow {
    /// Link.
    pub href: String,
    /// Date.
    pub date: String,
    /// Kind.
    pub kind: &'static str,
    /// Title.
    pub title: String,
}

/// A participant on the attendance sheet.
#[derive(Debug, Clone)]
pub struct ParticipantRow {
    /// Case id.
    pub case: String,
    /// Name.
    pub name: String,
    /// Case version.
    pub version: u64,
    /// Current attendance key or "".
    pub current: &'static str,
    /// Message for this row.
    pub message: String,
}

#[derive(Template)]
#[template(path = "groups.html")]
struct GroupsPage {
    l: Layout,
    f: FormState,
    sessions: Vec<SessionRow>,
    /// The month shown, as words ("Dezember 2026").
    month: String,
    /// Links to the month before and after, and to the current month (when another is shown).
    prev_month: String,
    next_month: String,
    this_month: Option<String>,
    kinds: Vec<Opt>,
    today: String,
}

#[derive(Template)]
#[template(path = "group_sheet.html")]
struct SheetPage {
    l: Layout,
    id: String,
    title: String,
    date: String,
    kind: &'static str,
    rows: Vec<ParticipantRow>,
    error: String,
}

fn guard(user: &StaffMember) -> Result<(), AppError> {
    if access::can_use_group_sessions(&user.as_actor()) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Which month of sessions to show (`?month=2026-12`; the current month by default).
#[derive(Debug, Default, Deserialize)]
pub struct GroupsQuery {
    #[serde(default)]
    month: String,
}

/// The first day of the month `text` names (`YYYY-MM`), if it names one.
fn month_of(text: &str) -> Option<NaiveDate> {
    let (y, m) = text.trim().split_once('-')?;
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
}

/// The month of `first` as words in `lang`.
fn month_words(first: NaiveDate, lang: Lang) -> String {
    const DE: [&str; 12] = [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let names = if lang == Lang::De { DE } else { EN };
    let name = names
        .get(first.month0() as usize)
        .copied()
        .unwrap_or_default();
    format!("{name} {}", first.year())
}

fn month_link(first: NaiveDate) -> String {
    format!("/groups?month={}", first.format("%Y-%m"))
}

/// The sessions of one month (the current month unless `month` names another), oldest first,
/// with the form for a new session above them.
async fn list_page(
    state: &AppState,
    ctx: &ReqCtx,
    f: FormState,
    month: &str,
) -> Result<GroupsPage, AppError> {
    let lang = ctx.lang;
    let today = ctx.today();
    let current = today.with_day(1).unwrap_or(today);
    let first = month_of(month).unwrap_or(current);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    let prev = first
        .checked_sub_months(chrono::Months::new(1))
        .unwrap_or(first);
    let mut in_month: Vec<GroupSession> = state
        .backend
        .list_group_sessions()
        .await?
        .into_iter()
        .filter(|s| s.date >= first && s.date < next)
        .collect();
    in_month.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.title.cmp(&b.title)));
    let sessions = in_month
        .into_iter()
        .map(|s| SessionRow {
            href: format!("/groups/{}", s.id),
            date: views::date(s.date, lang),
            kind: s.kind.label(lang),
            title: s.title.to_string(),
        })
        .collect();
    Ok(GroupsPage {
        l: Layout::new(ctx, "groups.title", "groups"),
        f,
        sessions,
        month: month_words(first, lang),
        prev_month: month_link(prev),
        next_month: month_link(next),
        this_month: (first != current).then(|| month_link(current)),
        kinds: opts::<GroupSessionKind>(lang),
        today: today.format("%Y-%m-%d").to_string(),
    })
}

/// GET /groups?month=YYYY-MM
pub async fn list(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Query(q): Query<GroupsQuery>,
) -> Result<Response, AppError> {
    guard(&user)?;
    ok(&list_page(&state, &ctx, FormState::default(), &q.month).await?)
}

/// POST /groups: a new group session.
pub async fn create(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    form: FormData,
) -> Result<Response, AppError> {
    guard(&user)?;
    let r = Reader::new(&form, Tr(ctx.lang));
    let parsed = (|| {
        Ok::<_, Invalid>(GroupSession {
            id: GroupSessionId::from_uuid(Uuid::now_v7()),
            kind: r.choice("kind", "groups.kind")?,
            date: r.date("date", "groups.date")?,
            title: r.text("title", "groups.session_title")?,
        })
    })();
    match parsed {
        Ok(session) => {
            state
                .backend
                .save_group_session(
                    &session,
                    AuditStamp {
                        actor: Some(user.id),
                        at: ctx.now,
                    },
                )
                .await?;
            ctx.flash(Tr(ctx.lang).t("groups.created")).await;
            Ok(see_other(&format!("/groups/{}", session.id)))
        }
        Err(msg) => {
            let p = list_page(
                &state,
                &ctx,
                FormState::refused("group", form.values(), msg),
                "",
            )
            .await?;
            page(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
    }
}

async fn load_session(state: &AppState, id: &str) -> Result<GroupSession, AppError> {
    let id: GroupSessionId = id.parse().map_err(|_| AppError::NotFound)?;
    state
        .backend
        .group_session(id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn participants(
    state: &AppState,
    user: &StaffMember,
    session: &GroupSession,
) -> Result<Vec<ParticipantRow>, AppError> {
    let mut rows = Vec::new();
    for s in visible_cases(state, user).await? {
        if s.status != CaseStatus::Enrolled
            || s.phase != Some(Phase::Phase2)
            || !access::can_record_attendance(&user.as_actor(), &s)
        {
            continue;
        }
        let Some(case) = state.backend.load(s.id).await? else {
            continue;
        };
        let current = case
            .attendance
            .iter()
            .find(|a| a.session == session.id)
            .map_or("", |a| a.attendance.key());
        rows.push(ParticipantRow {
            case: s.id.to_string(),
            name: s.client_name.clone(),
            version: case.version,
            current,
            message: String::new(),
        });
    }
    Ok(rows)
}

fn sheet_page(
    ctx: &ReqCtx,
    session: &GroupSession,
    rows: Vec<ParticipantRow>,
    error: String,
) -> SheetPage {
    SheetPage {
        l: Layout::new(ctx, "groups.sheet", "groups").titled(session.title.to_string()),
        id: session.id.to_string(),
        title: session.title.to_string(),
        date: views::date(session.date, ctx.lang),
        kind: session.kind.label(ctx.lang),
        rows,
        error,
    }
}

/// GET /groups/{id}: the attendance sheet.
pub async fn sheet(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    guard(&user)?;
    let session = load_session(&state, &id).await?;
    let rows = participants(&state, &user, &session).await?;
    ok(&sheet_page(&ctx, &session, rows, String::new()))
}

/// POST /groups/{id}: record the sheet, one command per participant whose mark changed.
pub async fn record(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    guard(&user)?;
    let tr = Tr(ctx.lang);
    let session = load_session(&state, &id).await?;
    let mut rows = participants(&state, &user, &session).await?;
    // Read the whole sheet first: a mark that is not a choice, or a row without the case
    // version it was shown with, refuses the sheet before anything is written.
    let mut changes = Vec::new();
    for row in &rows {
        let chosen = form.get(&format!("a_{}", row.case));
        if chosen.is_empty() {
            continue;
        }
        let attendance = Attendance::from_key(chosen).ok_or(AppError::BadRequest)?;
        if attendance.key() == row.current {
            continue;
        }
        let seen = form
            .get(&format!("v_{}", row.case))
            .parse::<u64>()
            .map_err(|_| AppError::BadRequest)?;
        let case_id: CaseId = row.case.parse().map_err(|_| AppError::BadRequest)?;
        changes.push((row.case.clone(), case_id, seen, attendance));
    }
    let mut messages: HashMap<String, String> = HashMap::new();
    for (row, case_id, seen, attendance) in changes {
        let command = Command::RecordAttendance {
            session: session.clone(),
            attendance,
        };
        if let Err(e) = state
            .service
            .execute_at(
                case_id,
                Some(seen),
                &command,
                &user.as_actor(),
                ctx.local_now,
            )
            .await
        {
            let message = match super::refusal(e, ctx.lang, &form)? {
                Refusal::Rule(m) => m.msg,
                Refusal::Conflict => tr.t("case.conflict").to_owned(),
            };
            messages.insert(row, message);
        }
    }
    if messages.is_empty() {
        ctx.flash(tr.t("groups.saved")).await;
        return Ok(see_other(&format!("/groups/{}", session.id)));
    }
    // Show the sheet again: current state, the person's marks, a message per refused row.
    let fresh = participants(&state, &user, &session).await?;
    rows = fresh
        .into_iter()
        .map(|mut r| {
            if let Some(m) = messages.remove(&r.case) {
                r.message = m;
                if let Some(a) = Attendance::from_key(form.get(&format!("a_{}", r.case))) {
                    r.current = a.key();
                }
            }
            r
        })
        .collect();
    page(
        StatusCode::UNPROCESSABLE_ENTITY,
        &sheet_page(&ctx, &session, rows, tr.t("groups.partly").to_owned()),
    )
}
