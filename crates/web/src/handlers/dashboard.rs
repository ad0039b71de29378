//! The dashboard (*Übersicht*) and the case search.

use std::collections::{BTreeMap, HashMap, HashSet};

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use wegbereiter_core::ports::CaseFilter;
use wegbereiter_core::prelude::*;

use super::{ok, see_other};
use crate::AppState;
use crate::access;
use crate::context::{Auth, ReqCtx};
use crate::error::AppError;
use crate::views::{self, Layout};

/// A case in a list.
#[derive(Debug, Clone)]
pub struct CaseRow {
    /// Link to the case.
    pub href: String,
    /// "Family, Given".
    pub name: String,
    /// Short case number.
    pub no: String,
    /// Status label.
    pub status: String,
    /// Status key (for the badge colour).
    pub status_key: &'static str,
    /// Phase label or "".
    pub phase: String,
    /// Planned end or "–".
    pub planned_end: String,
    /// Referral date.
    pub referral_date: String,
    /// Key worker's name or "–".
    pub key_worker: String,
    /// Team name or "–".
    pub team: String,
}

/// Names of staff and teams, for lists.
#[derive(Debug, Default)]
pub struct Names {
    /// Staff by id.
    pub staff: HashMap<StaffId, String>,
    /// Teams by id.
    pub teams: HashMap<TeamId, String>,
}

impl Names {
    /// Loads all names.
    ///
    /// # Errors
    /// Storage failures.
    pub async fn load(state: &AppState) -> Result<Self, AppError> {
        Ok(Self {
            staff: state
                .backend
                .list_staff()
                .await?
                .into_iter()
                .map(|s| (s.id, s.display_name.to_string()))
                .collect(),
            teams: state
                .backend
                .list_teams()
                .await?
                .into_iter()
                .map(|t| (t.id, t.name.to_string()))
                .collect(),
        })
    }

    /// A staff member's name, or "–".
    #[must_use]
    pub fn staff(&self, id: Option<StaffId>) -> String {
        id.and_then(|i| self.staff.get(&i).cloned())
            .unwrap_or_else(|| "–".to_owned())
    }

    /// A team's name, or "–".
    #[must_use]
    pub fn team(&self, id: Option<TeamId>) -> String {
        id.and_then(|i| self.teams.get(&i).cloned())
            .unwrap_or_else(|| "–".to_owned())
    }
}

/// A list row for `s`.
#[must_use]
pub fn case_row(s: &CaseSummary, names: &Names, lang: Lang) -> CaseRow {
    CaseRow {
        href: format!("/cases/{}", s.id),
        name: s.client_name.clone(),
        no: views::case_no(s.id),
        status: s.status.label(lang).to_owned(),
        status_key: s.status.key(),
        phase: s
            .phase
            .map(|p| p.label(lang).to_owned())
            .unwrap_or_default(),
        planned_end: views::opt_date(s.planned_end, lang),
        referral_date: views::date(s.referral_date, lang),
        key_worker: names.staff(s.key_worker),
        team: names.team(s.team),
    }
}

/// A reminder on the dashboard.
#[derive(Debug, Clone)]
pub struct ReminderRow {
    /// Due date.
    pub due: String,
    /// Overdue (before today).
    pub overdue: bool,
    /// What.
    pub kind: String,
    /// Client.
    pub client: String,
    /// Link.
    pub href: String,
}

/// The load of one key worker.
#[derive(Debug, Clone)]
pub struct LoadRow {
    /// Name.
    pub name: String,
    /// Cases in outreach.
    pub outreach: usize,
    /// Enrolled cases in Phase 1.
    pub phase1: usize,
    /// Enrolled cases in Phase 2.
    pub phase2: usize,
    /// Enrolled cases whose planned end is within the warning window.
    pub ending: usize,
}

/// One team's load.
#[derive(Debug, Clone)]
pub struct TeamLoad {
    /// Team name.
    pub team: String,
    /// Per key worker.
    pub rows: Vec<LoadRow>,
    /// Open cases without a key worker.
    pub unassigned: usize,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    l: Layout,
    reminders: Vec<ReminderRow>,
    mine: Vec<CaseRow>,
    unassigned: Vec<CaseRow>,
    load: Vec<TeamLoad>,
    show_load: bool,
}

/// Open cases of the teams of `user` (and cases assigned to them), deduplicated.
pub(crate) async fn visible_cases(
    state: &AppState,
    user: &StaffMember,
) -> Result<Vec<CaseSummary>, AppError> {
    let mut by_id = BTreeMap::new();
    for team in &user.teams {
        let filter = CaseFilter {
            team: Some(*team),
            ..CaseFilter::default()
        };
        for s in state.backend.list(&filter).await? {
            by_id.insert(s.id, s);
        }
    }
    let mine = CaseFilter {
        key_worker: Some(user.id),
        ..CaseFilter::default()
    };
    for s in state.backend.list(&mine).await? {
        by_id.insert(s.id, s);
    }
    let me = user.as_actor();
    let mut out: Vec<CaseSummary> = by_id
        .into_values()
        .filter(|s| access::can_view_case(&me, s))
        .collect();
    out.sort_by(|a, b| a.client_name.cmp(&b.client_name));
    Ok(out)
}

/// The open cases assigned to `user` ("Meine Fälle", outreach included) and the open cases of
/// their teams that nobody is assigned to yet, each sorted by name. Only the two small lists
/// are read, never every case of a team.
async fn my_and_open_cases(
    state: &AppState,
    user: &StaffMember,
) -> Result<(Vec<CaseSummary>, Vec<CaseSummary>), AppError> {
    let me = user.as_actor();
    let filter = CaseFilter {
        key_worker: Some(user.id),
        ..CaseFilter::default()
    };
    let mut mine: Vec<CaseSummary> = state
        .backend
        .list(&filter)
        .await?
        .into_iter()
        .filter(|s| !s.status.is_ended() && access::can_view_case(&me, s))
        .collect();
    mine.sort_by(|a, b| a.client_name.cmp(&b.client_name));
    let mut open = Vec::new();
    for team in &user.teams {
        // Only cases before enrolment can be unassigned: enrolment names the key worker.
        for status in [CaseStatus::Referred, CaseStatus::Outreach] {
            let filter = CaseFilter {
                team: Some(*team),
                status: Some(status),
                ..CaseFilter::default()
            };
            open.extend(
                state
                    .backend
                    .list(&filter)
                    .await?
                    .into_iter()
                    .filter(|s| s.key_worker.is_none() && access::can_view_case(&me, s)),
            );
        }
    }
    open.sort_by(|a, b| a.client_name.cmp(&b.client_name));
    open.dedup_by_key(|s| s.id);
    Ok((mine, open))
}

/// The reminders on the dashboard of `user`: those of the cases assigned to them, and those of
/// the unassigned cases of their teams if they may work on them (outreach), most urgent
/// first. Two indexed queries instead of all reminders filtered afterwards.
pub(crate) async fn my_reminders(
    state: &AppState,
    user: &StaffMember,
    today: chrono::NaiveDate,
) -> Result<Vec<Reminder>, AppError> {
    let mut out = state
        .backend
        .reminders_due(today, &state.tz, &state.policy, Some(user.id))
        .await?;
    if access::may_take_up_unassigned(&user.as_actor()) {
        for team in &user.teams {
            out.extend(
                state
                    .backend
                    .reminders_due_unassigned(today, &state.tz, &state.policy, *team)
                    .await?,
            );
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// GET /
pub async fn dashboard(State(state): State<AppState>, ctx: ReqCtx) -> Result<Response, AppError> {
    let Some(user) = ctx.user.clone() else {
        if state.backend.list_staff().await?.is_empty() {
            return Ok(see_other("/setup"));
        }
        return Err(AppError::Unauthenticated);
    };
    if !access::works_on_cases(&user.as_actor()) {
        if access::can_administer(&user.as_actor()) {
            return Ok(see_other("/admin"));
        }
        if access::can_read_audit(&user.as_actor()) {
            return Ok(see_other("/audit"));
        }
        return Err(AppError::Forbidden);
    }
    let lang = ctx.lang;
    let today = ctx.today();
    let names = Names::load(&state).await?;
    let (mine_cases, open_cases) = my_and_open_cases(&state, &user).await?;
    let by_id: HashMap<CaseId, &CaseSummary> = mine_cases
        .iter()
        .chain(open_cases.iter())
        .map(|c| (c.id, c))
        .collect();

    let reminders = my_reminders(&state, &user, today)
        .await?
        .into_iter()
        .filter_map(|r| {
            let s = by_id.get(&r.case_id)?;
            Some(ReminderRow {
                due: views::date(r.due, lang),
                overdue: r.due < today,
                kind: r.kind.label(lang).to_owned(),
                client: s.client_name.clone(),
                href: format!("/cases/{}", s.id),
            })
        })
        .collect();

    let mine = mine_cases
        .iter()
        .map(|s| case_row(s, &names, lang))
        .collect();
    let unassigned = open_cases
        .iter()
        .map(|s| case_row(s, &names, lang))
        .collect();

    let show_load = access::can_see_team_load(&user.as_actor());
    let mut load = Vec::new();
    if show_load {
        // "Ending" counts the cases for which core's `reminders()` names the period end, so
        // the number agrees with the key workers' own Wiedervorlagen.
        let mut asked: HashSet<StaffId> = HashSet::new();
        let mut ending: HashSet<CaseId> = HashSet::new();
        let staff = state.backend.list_staff().await?;
        for team in &user.teams {
            let mut rows: BTreeMap<String, LoadRow> = BTreeMap::new();
            // Everyone of the team who carries cases has a row, also with none yet.
            for m in staff.iter().filter(|m| {
                m.active
                    && m.teams.contains(team)
                    && (m.has_role(Role::KeyWorker) || m.has_role(Role::JobCoach))
            }) {
                let name = names.staff(Some(m.id));
                rows.entry(name.clone()).or_insert(LoadRow {
                    name,
                    outreach: 0,
                    phase1: 0,
                    phase2: 0,
                    ending: 0,
                });
            }
            let mut unassigned = 0;
            let filter = CaseFilter {
                team: Some(*team),
                ..CaseFilter::default()
            };
            for s in state
                .backend
                .list(&filter)
                .await?
                .iter()
                .filter(|s| !s.status.is_ended())
            {
                let Some(k) = s.key_worker else {
                    unassigned += 1;
                    continue;
                };
                let name = names.staff(Some(k));
                let row = rows.entry(name.clone()).or_insert(LoadRow {
                    name,
                    outreach: 0,
                    phase1: 0,
                    phase2: 0,
                    ending: 0,
                });
                match (s.status, s.phase) {
                    (CaseStatus::Enrolled, Some(Phase::Phase2)) => row.phase2 += 1,
                    (CaseStatus::Enrolled, _) => row.phase1 += 1,
                    _ => row.outreach += 1,
                }
                if asked.insert(k) {
                    ending.extend(
                        state
                            .backend
                            .reminders_due(today, &state.tz, &state.policy, Some(k))
                            .await?
                            .into_iter()
                            .filter(|r| r.kind == ReminderKind::PeriodEnding)
                            .map(|r| r.case_id),
                    );
                }
                if ending.contains(&s.id) {
                    row.ending += 1;
                }
            }
            load.push(TeamLoad {
                team: names.team(Some(*team)),
                rows: rows.into_values().collect(),
                unassigned,
            });
        }
    }

    ok(&DashboardPage {
        l: Layout::new(&ctx, "dash.title", "dashboard"),
        reminders,
        mine,
        unassigned,
        load,
        show_load,
    })
}

/// Query of the search page.
#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    l: Layout,
    q: String,
    searched: bool,
    results: Vec<CaseRow>,
}

/// GET /cases?q=
pub async fn search(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Query(query): Query<SearchQuery>,
) -> Result<Response, AppError> {
    if !access::works_on_cases(&user.as_actor()) {
        return Err(AppError::Forbidden);
    }
    let names = Names::load(&state).await?;
    let q = query.q.trim().to_owned();
    let searched = !q.is_empty();
    let mut results = Vec::new();
    if searched {
        for s in visible_cases(&state, &user).await? {
            let name = s.client_name.to_lowercase();
            let words_match = q
                .to_lowercase()
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|w| !w.is_empty())
                .all(|w| name.contains(w));
            let hit = views::matches_case_no(s.id, &q) || words_match;
            if hit {
                results.push(case_row(&s, &names, ctx.lang));
            }
        }
    }
    ok(&SearchPage {
        l: Layout::new(&ctx, "search.title", "search"),
        q,
        searched,
        results,
    })
}
