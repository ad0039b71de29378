//! The dashboard (*Übersicht*) and the case search.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use wegbereiter_core::ports::{CaseFilter, Visibility};
use wegbereiter_core::prelude::*;
use wegbereiter_storage::{DueReminder, ReminderScope};

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

/// The reminders of one kind on the dashboard's page, most urgent first.
#[derive(Debug, Clone)]
pub struct ReminderGroup {
    /// The kind's label.
    pub kind: String,
    /// The kind's key (for an id).
    pub key: &'static str,
    /// Its reminders on this page.
    pub rows: Vec<ReminderRow>,
    /// How many of them are overdue.
    pub overdue: usize,
    /// Whether the group is shown open.
    pub open: bool,
}

/// How many reminders a page shows all open; above it only the most urgent kind is open and
/// the others are one line each with their counts.
const OPEN_UP_TO: usize = 10;

/// The reminders of a page grouped by kind, the kind of the most urgent one first.
fn group_reminders(rows: Vec<(ReminderKind, ReminderRow)>, lang: Lang) -> Vec<ReminderGroup> {
    let all_open = rows.len() <= OPEN_UP_TO;
    let mut groups: Vec<(ReminderKind, ReminderGroup)> = Vec::new();
    for (kind, row) in rows {
        let at = match groups.iter().position(|(k, _)| *k == kind) {
            Some(at) => at,
            None => {
                groups.push((
                    kind,
                    ReminderGroup {
                        kind: kind.label(lang).to_owned(),
                        key: kind.key(),
                        rows: Vec::new(),
                        overdue: 0,
                        open: all_open || groups.is_empty(),
                    },
                ));
                groups.len() - 1
            }
        };
        let group = &mut groups[at].1;
        group.overdue += usize::from(row.overdue);
        group.rows.push(row);
    }
    groups.into_iter().map(|(_, g)| g).collect()
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
    reminders: Vec<ReminderGroup>,
    /// How many reminders this page lists, and how many of them are overdue.
    reminder_count: usize,
    overdue_count: usize,
    reminder_links: PageLinks,
    mine: Vec<CaseRow>,
    mine_links: PageLinks,
    unassigned: Vec<CaseRow>,
    open_links: PageLinks,
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

/// How many rows a list on the dashboard or the search page shows at once.
pub(crate) const PAGE: usize = 50;

/// One page of a list: the rows and whether another page follows.
#[derive(Debug, Clone)]
pub struct Paged<T> {
    /// The rows of this page.
    pub rows: Vec<T>,
    /// The page number (0 for the first).
    pub page: usize,
    /// Whether a next page exists.
    pub more: bool,
}

/// Page `page` of the cases passing `filter` that `user` may know of, in list order: one
/// query, which asks for one row more than a page to learn whether another page follows.
async fn case_page(
    state: &AppState,
    user: &StaffMember,
    filter: CaseFilter,
    page: usize,
) -> Result<Paged<CaseSummary>, AppError> {
    let me = user.as_actor();
    let filter = CaseFilter {
        visible_to: Some(Visibility::of(&me)),
        limit: Some(PAGE + 1),
        offset: Some(page.saturating_mul(PAGE)),
        ..filter
    };
    let mut rows = state.backend.list(&filter).await?;
    let more = rows.len() > PAGE;
    rows.truncate(PAGE);
    rows.retain(|s| access::can_view_case(&me, s));
    Ok(Paged { rows, page, more })
}

/// Page `page` of the reminders on the dashboard of `user`: those of the cases assigned to
/// them, and those of the unassigned cases of their teams if they may work on them
/// (outreach), most urgent first, each with its client's name. The database finds the
/// candidates through its trigger indexes and loads only the cases the page needs.
pub(crate) async fn my_reminders(
    state: &AppState,
    user: &StaffMember,
    today: chrono::NaiveDate,
    page: usize,
) -> Result<Paged<DueReminder>, AppError> {
    let me = user.as_actor();
    let teams = if access::may_take_up_unassigned(&me) {
        user.teams.clone()
    } else {
        Vec::new()
    };
    let scope = ReminderScope::Person {
        staff: user.id,
        teams,
    };
    let until = page.saturating_add(1).saturating_mul(PAGE);
    let found = state
        .backend
        .reminders_page(
            today,
            &state.tz,
            &state.policy,
            &scope,
            Some(&Visibility::of(&me)),
            until,
        )
        .await?;
    Ok(Paged {
        rows: found
            .items
            .into_iter()
            .skip(page.saturating_mul(PAGE))
            .collect(),
        page,
        more: found.more,
    })
}

/// Which page of each list of the dashboard to show (`?reminders=`, `?mine=`, `?open=`; 0,
/// the first, by default).
#[derive(Debug, Default, Deserialize)]
pub struct DashboardQuery {
    #[serde(default)]
    reminders: usize,
    #[serde(default)]
    mine: usize,
    #[serde(default)]
    open: usize,
}

impl DashboardQuery {
    /// The link to the dashboard with `section` at `page` and the other lists where they are.
    fn link(&self, section: &str, page: usize) -> String {
        let (mut r, mut m, mut o) = (self.reminders, self.mine, self.open);
        match section {
            "reminders" => r = page,
            "mine" => m = page,
            _ => o = page,
        }
        format!("/?reminders={r}&mine={m}&open={o}")
    }
}

/// The links of a paged list: to the first page (when not on it) and to the next (when there
/// is one).
#[derive(Debug, Clone, Default)]
pub struct PageLinks {
    /// Link to the first page.
    pub first: Option<String>,
    /// Link to the next page.
    pub next: Option<String>,
}

impl PageLinks {
    fn of<T>(paged: &Paged<T>, link: impl Fn(usize) -> String) -> Self {
        Self {
            first: (paged.page > 0).then(|| link(0)),
            next: paged.more.then(|| link(paged.page + 1)),
        }
    }
}

/// The load of `team`'s key workers, counted by the database. "Ending" counts the cases for
/// which core's `reminders()` names the period end, so the number agrees with the key workers'
/// own Wiedervorlagen.
async fn team_load(
    state: &AppState,
    team: TeamId,
    staff: &[StaffMember],
    names: &Names,
    today: chrono::NaiveDate,
) -> Result<TeamLoad, AppError> {
    let caseload = state
        .backend
        .team_caseload(team, today, &state.policy)
        .await?;
    let empty = |name: String| LoadRow {
        name,
        outreach: 0,
        phase1: 0,
        phase2: 0,
        ending: 0,
    };
    let mut rows: BTreeMap<String, LoadRow> = BTreeMap::new();
    // Everyone of the team who carries cases has a row, also with none yet.
    for m in staff.iter().filter(|m| {
        m.active
            && m.teams.contains(&team)
            && (m.has_role(Role::KeyWorker) || m.has_role(Role::JobCoach))
    }) {
        let name = names.staff(Some(m.id));
        rows.entry(name.clone()).or_insert_with(|| empty(name));
    }
    let mut unassigned = 0;
    for count in &caseload.counts {
        let n = usize::try_from(count.cases).unwrap_or(usize::MAX);
        let Some(k) = count.key_worker else {
            unassigned += n;
            continue;
        };
        let name = names.staff(Some(k));
        let row = rows.entry(name.clone()).or_insert_with(|| empty(name));
        match (count.status, count.phase) {
            (CaseStatus::Enrolled, Some(Phase::Phase2)) => row.phase2 += n,
            (CaseStatus::Enrolled, _) => row.phase1 += n,
            _ => row.outreach += n,
        }
    }
    for (k, n) in &caseload.ending {
        let name = names.staff(Some(*k));
        let row = rows.entry(name.clone()).or_insert_with(|| empty(name));
        row.ending += usize::try_from(*n).unwrap_or(usize::MAX);
    }
    Ok(TeamLoad {
        team: names.team(Some(team)),
        rows: rows.into_values().collect(),
        unassigned,
    })
}

/// GET /?reminders=&mine=&open= (pages of the three lists)
pub async fn dashboard(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(pages): Query<DashboardQuery>,
) -> Result<Response, AppError> {
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
    let mine_cases = case_page(
        &state,
        &user,
        CaseFilter {
            key_worker: Some(user.id),
            open_only: true,
            ..CaseFilter::default()
        },
        pages.mine,
    )
    .await?;
    // Open cases of the person's teams that nobody is named for yet (the person's visibility
    // restricts them to those teams: an unassigned case is nobody's own).
    let open_cases = case_page(
        &state,
        &user,
        CaseFilter {
            unassigned: true,
            open_only: true,
            ..CaseFilter::default()
        },
        pages.open,
    )
    .await?;
    let found = my_reminders(&state, &user, today, pages.reminders).await?;
    let reminder_page = Paged {
        more: found.more,
        page: found.page,
        rows: found
            .rows
            .into_iter()
            .map(|d| {
                (
                    d.reminder.kind,
                    ReminderRow {
                        due: views::date(d.reminder.due, lang),
                        overdue: d.reminder.due < today,
                        kind: d.reminder.kind.label(lang).to_owned(),
                        client: d.client_name,
                        href: format!("/cases/{}", d.reminder.case_id),
                    },
                )
            })
            .collect::<Vec<_>>(),
    };
    let reminder_links = PageLinks::of(&reminder_page, |p| pages.link("reminders", p));
    let mine_links = PageLinks::of(&mine_cases, |p| pages.link("mine", p));
    let open_links = PageLinks::of(&open_cases, |p| pages.link("open", p));
    let reminder_count = reminder_page.rows.len();
    let overdue_count = reminder_page.rows.iter().filter(|(_, r)| r.overdue).count();
    let reminders = group_reminders(reminder_page.rows, lang);
    let mine = mine_cases
        .rows
        .iter()
        .map(|s| case_row(s, &names, lang))
        .collect();
    let unassigned = open_cases
        .rows
        .iter()
        .map(|s| case_row(s, &names, lang))
        .collect();

    let show_load = access::can_see_team_load(&user.as_actor());
    let mut load = Vec::new();
    if show_load {
        let staff = state.backend.list_staff().await?;
        for team in &user.teams {
            load.push(team_load(&state, *team, &staff, &names, today).await?);
        }
    }

    ok(&DashboardPage {
        l: Layout::new(&ctx, "dash.title", "dashboard"),
        reminders,
        reminder_count,
        overdue_count,
        reminder_links,
        mine,
        mine_links,
        unassigned,
        open_links,
        load,
        show_load,
    })
}

/// Query of the search page.
#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    /// The page of results (0 for the first).
    #[serde(default)]
    page: usize,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    l: Layout,
    q: String,
    searched: bool,
    results: Vec<CaseRow>,
    links: PageLinks,
    /// `q=…` for the export links (URL-encoded).
    export_q: String,
}

/// Whether `q` can be (part of) a case number rather than a name: hexadecimal digits and
/// dashes only, at least five digits (see [`views::matches_case_no`]).
/// GET /cases?q=&page=
///
/// One search field (core's `CaseFilter::search`): names in any spelling (umlauts as ä, ae
/// or a, accent marks ignored, parts of compound names), birth dates ("12.03.1985",
/// "1985-03-12") and case numbers ("ABCDE-F1234" or its beginning), each through an index,
/// among the cases the person may know of, one page at a time; whole-word name matches
/// first.
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
    let mut links = PageLinks::default();
    if searched {
        let page = case_page(&state, &user, CaseFilter::search(&q), query.page).await?;
        results = page
            .rows
            .iter()
            .map(|s| case_row(s, &names, ctx.lang))
            .collect();
        links = PageLinks::of(&page, |p| {
            let query = serde_urlencoded::to_string([("q", q.as_str()), ("page", &p.to_string())])
                .unwrap_or_default();
            format!("/cases?{query}")
        });
    }
    let export_q = serde_urlencoded::to_string([("q", q.as_str())]).unwrap_or_default();
    ok(&SearchPage {
        l: Layout::new(&ctx, "search.title", "search"),
        export_q,
        q,
        searched,
        results,
        links,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(overdue: bool) -> ReminderRow {
        ReminderRow {
            due: String::new(),
            overdue,
            kind: String::new(),
            client: String::new(),
            href: String::new(),
        }
    }

    #[test]
    fn reminders_are_grouped_by_kind_with_counts_and_only_the_first_open_when_many() {
        let mut rows = Vec::new();
        for i in 0..24 {
            let kind = if i % 3 == 0 {
                ReminderKind::GoalReviewDue
            } else {
                ReminderKind::NoRecentContact
            };
            rows.push((kind, row(i < 20)));
        }
        let groups = group_reminders(rows, Lang::De);
        let shape: Vec<(&str, usize, usize, bool)> = groups
            .iter()
            .map(|g| (g.key, g.rows.len(), g.overdue, g.open))
            .collect();
        assert_eq!(
            shape,
            vec![
                ("goal_review_due", 8, 7, true),
                ("no_recent_contact", 16, 13, false)
            ]
        );
        let few = group_reminders(
            vec![
                (ReminderKind::EsfEntryMissing, row(false)),
                (ReminderKind::NoRecentContact, row(true)),
            ],
            Lang::De,
        );
        assert!(few.iter().all(|g| g.open));
    }
}
