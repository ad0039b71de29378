//! The audit and access log for the data-protection officer (rule R16: who saw what, when).
//! It names people and case numbers, never case contents.
//!
//! The page shows the reads of case files (all, or of the cases a case number names) and the
//! audit log (administration, sign-ins and sign-outs), each newest first in pages of
//! [`PAGE`] lines with a link to older ones, narrowed by period, person and action. Failed
//! sign-ins are one line per typed name and hour, so nothing a stranger sends can push an
//! administrator's line out of reach.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use wegbereiter_core::ids::StaffId;
use wegbereiter_core::ports::{AccessKind, CaseFilter};
use wegbereiter_storage::AuditSubject;

use super::dashboard::Names;
use super::ok;
use crate::AppState;
use crate::access;
use crate::context::Auth;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::views::{self, Layout};

/// A line of a log.
#[derive(Debug, Clone)]
pub struct LogRow {
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// On what.
    pub subject: String,
    /// Why a read deserves a second look (core's `access::unusual_reads`); empty otherwise.
    pub flags: String,
}

/// How many lines of each log one page shows; older lines are one link away, never cut off.
pub const PAGE: u64 = 25;

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    l: Layout,
    audit: Vec<LogRow>,
    recent: Vec<LogRow>,
    q: AuditQuery,
    searched: bool,
    accesses: Vec<LogRow>,
    people: Vec<(String, String)>,
    actions: Vec<(String, String)>,
    /// Link to the next (older) page of the audit log, if there is one.
    older_audit: Option<String>,
    /// Link to the next (older) page of the access log, if there is one.
    older_access: Option<String>,
    /// Link back to the newest page of the audit log, when an older one is shown.
    newest_audit: Option<String>,
    /// Link back to the newest page of the access log, when an older one is shown.
    newest_access: Option<String>,
}

/// Query of the audit page: filters (period, person, action, case number) and where each
/// log's page starts.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
pub struct AuditQuery {
    #[serde(default)]
    case: String,
    /// Words of a client's name: the reads of every file of that name.
    #[serde(default)]
    client: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    person: String,
    #[serde(default)]
    action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    before: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    abefore: Option<i64>,
}

/// The actions the filter offers (stable keys).
const ACTIONS: &[&str] = &[
    "auth.sign_in",
    "auth.sign_in_failed",
    "auth.sign_in_throttled",
    "auth.sign_out",
    "staff.saved",
    "staff.password_set",
    "staff.role_granted",
    "staff.role_removed",
    "staff.deactivated",
    "staff.reactivated",
    "staff.throttle_lifted",
    "team.saved",
    "service.saved",
    "group_session.saved",
    wegbereiter_storage::TIME_ZONE_SET,
    wegbereiter_storage::RETENTION_SET,
    wegbereiter_storage::CASE_ERASED,
    wegbereiter_storage::CONTENT_ERASED,
    wegbereiter_storage::CASE_RESTRICTED,
    wegbereiter_storage::ESF_EXPORTED,
    wegbereiter_storage::STATISTICS_EXPORTED,
    wegbereiter_storage::RURAL_POSTCODES_SET,
];

fn day(text: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

fn start_of(d: chrono::NaiveDate) -> chrono::DateTime<chrono::Utc> {
    d.and_time(chrono::NaiveTime::MIN).and_utc()
}

fn link(q: &AuditQuery) -> String {
    format!(
        "/audit?{}",
        serde_urlencoded::to_string(q).unwrap_or_default()
    )
}

fn kind_key(kind: AccessKind) -> &'static str {
    match kind {
        AccessKind::View => "audit.kind_view",
        AccessKind::History => "audit.kind_history",
        AccessKind::JobcenterFeedback => "audit.kind_feedback",
        AccessKind::Export => "audit.kind_export",
        _ => "audit.kind_other",
    }
}

/// What an audit line concerns, for people: "Mitarbeiter*in: Erika Beispiel (erika)" instead
/// of ids; text recorded as typed (a sign-in name) as typed.
fn readable_subject(subject: &AuditSubject, names: &Names, tr: Tr) -> String {
    let (key, shown) = match subject {
        AuditSubject::Staff { id, login } => {
            let name = names.staff(Some(*id));
            let shown = match (name.as_str(), login) {
                ("–", Some(login)) => login.clone(),
                ("–", None) => id.to_string(),
                (_, Some(login)) => format!("{name} ({login})"),
                (_, None) => name,
            };
            ("audit.subject.staff", shown)
        }
        AuditSubject::Team { name, .. } => ("audit.subject.team", name.clone()),
        AuditSubject::Service { name, .. } => ("audit.subject.service", name.clone()),
        AuditSubject::GroupSession { label, .. } => ("audit.subject.group_session", label.clone()),
        AuditSubject::StaffRole { id, login, role } => {
            use wegbereiter_core::vocab::Labelled;
            let role = wegbereiter_core::staff::Role::from_key(role)
                .map_or_else(|| role.clone(), |r| r.label(tr.0).to_owned());
            let name = names.staff(Some(*id));
            return format!(
                "{}: {name} ({login}) – {}: {role}",
                tr.t("audit.subject.staff"),
                tr.t("staff.roles")
            );
        }
        AuditSubject::Typed(text) => return text.clone(),
        other => return other.stored(),
    };
    format!("{}: {shown}", tr.t(key))
}

/// GET /audit?case=&from=&to=&person=&action=&before=&abefore=
pub async fn audit(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Query(q): Query<AuditQuery>,
) -> Result<Response, AppError> {
    if !access::can_read_audit(&user.as_actor()) {
        return Err(AppError::Forbidden);
    }
    let tr = Tr(ctx.lang);
    let names = Names::load(&state).await?;
    let from = day(&q.from).map(start_of);
    let until = day(&q.to).and_then(|d| d.succ_opt()).map(start_of);
    let person: Option<StaffId> = q.person.trim().parse().ok();
    let action = ACTIONS
        .iter()
        .find(|a| **a == q.action.trim())
        .map(|a| (*a).to_owned());
    let page = state
        .backend
        .audit_page(&wegbereiter_storage::AuditQuery {
            from,
            until,
            actor: person,
            action,
            before: q.before,
            limit: PAGE,
        })
        .await?;
    let audit = page
        .items
        .into_iter()
        .map(|a| {
            // Sign-in lines keep what was typed, and have no actor because nobody was
            // signed in; every other line without an actor was written by the system
            // (first run, command line without --as).
            let sign_in = a.action.starts_with("auth.");
            let subject = a.about();
            let mut action = tr
                .lookup(&format!("audit.action.{}", a.action))
                .map_or_else(|| a.action.clone(), str::to_owned);
            if a.count > 1 {
                action = format!("{action} ({}×)", a.count);
            }
            LogRow {
                at: views::datetime(a.at, ctx.lang, ctx.tz),
                actor: match (a.actor, sign_in) {
                    (Some(_), _) => names.staff(a.actor),
                    (None, true) => tr.t("audit.not_signed_in").to_owned(),
                    (None, false) => tr.t("audit.system").to_owned(),
                },
                action,
                subject: readable_subject(&subject, &names, tr),
                flags: String::new(),
            }
        })
        .collect();
    let newest_audit = q.before.is_some().then(|| {
        link(&AuditQuery {
            before: None,
            ..q.clone()
        })
    });
    let older_audit = page.next.map(|before| {
        link(&AuditQuery {
            before: Some(before),
            ..q.clone()
        })
    });
    // The reader as named at the time of the read; reads recorded before that was kept
    // show the current name.
    let access_row = |a: wegbereiter_storage::AccessRecord, flags: String| LogRow {
        at: views::datetime(a.entry.at, ctx.lang, ctx.tz),
        actor: match (a.reader_name, a.reader_login) {
            (Some(name), Some(login)) => format!("{name} ({login})"),
            _ => names.staff(Some(a.entry.actor)),
        },
        action: tr.t(kind_key(a.entry.kind)).to_owned(),
        subject: views::case_no(a.entry.case_id),
        flags,
    };
    let by_client = !q.client.trim().is_empty();
    let searched = !q.case.trim().is_empty() || by_client;
    let cases = if searched {
        // By name through the name index; by case number among the summaries.
        let filter = CaseFilter {
            name_contains: by_client.then(|| q.client.trim().to_owned()),
            ..CaseFilter::default()
        };
        let mut ids = Vec::new();
        for s in state.backend.list(&filter).await? {
            if q.case.trim().is_empty() || views::matches_case_no(s.id, &q.case) {
                ids.push(s.id);
            }
        }
        Some(ids)
    } else {
        None
    };
    let access_page = state
        .backend
        .access_page(&wegbereiter_storage::AccessQuery {
            from,
            until,
            reader: person,
            cases: cases.clone(),
            before: q.abefore,
            limit: PAGE,
        })
        .await?;
    let newest_access = q.abefore.is_some().then(|| {
        link(&AuditQuery {
            abefore: None,
            ..q.clone()
        })
    });
    let older_access = access_page.next.map(|abefore| {
        link(&AuditQuery {
            abefore: Some(abefore),
            ..q.clone()
        })
    });
    let staff = state.backend.list_staff().await?;
    let flags = unusual(&state, &ctx, &access_page.items, &staff).await?;
    let rows: Vec<LogRow> = access_page
        .items
        .into_iter()
        .zip(flags)
        .map(|(a, f)| access_row(a, f))
        .collect();
    let (accesses, recent) = if searched {
        (rows, Vec::new())
    } else {
        (Vec::new(), rows)
    };
    let mut people: Vec<(String, String)> = staff
        .into_iter()
        .map(|s| {
            (
                s.id.to_string(),
                format!("{} ({})", s.display_name, s.login),
            )
        })
        .collect();
    people.sort_by(|a, b| a.1.cmp(&b.1));
    let actions = ACTIONS
        .iter()
        .map(|a| {
            (
                (*a).to_owned(),
                tr.lookup(&format!("audit.action.{a}"))
                    .map_or_else(|| (*a).to_owned(), str::to_owned),
            )
        })
        .collect();
    ok(&AuditPage {
        l: Layout::new(&ctx, "audit.title", "audit"),
        audit,
        recent,
        q,
        searched,
        accesses,
        people,
        actions,
        older_audit,
        older_access,
        newest_audit,
        newest_access,
    })
}

/// Why each read of `reads` deserves a second look, as one German or English line each
/// (core's [`access::unusual_reads`] over the reads of this page, with each case's team,
/// key worker and end and each reader's teams as they are now).
async fn unusual(
    state: &AppState,
    ctx: &crate::context::ReqCtx,
    reads: &[wegbereiter_storage::AccessRecord],
    staff: &[wegbereiter_core::staff::StaffMember],
) -> Result<Vec<String>, AppError> {
    use std::collections::HashMap;
    use wegbereiter_core::access::{ReadFacts, UnusualRead};
    let tr = Tr(ctx.lang);
    let mut cases = HashMap::new();
    for r in reads {
        if let std::collections::hash_map::Entry::Vacant(slot) = cases.entry(r.entry.case_id) {
            slot.insert(state.backend.load(r.entry.case_id).await?);
        }
    }
    let teams: HashMap<StaffId, Vec<wegbereiter_core::ids::TeamId>> =
        staff.iter().map(|s| (s.id, s.teams.clone())).collect();
    let facts: Vec<ReadFacts> = reads
        .iter()
        .map(|r| {
            let case = cases.get(&r.entry.case_id).and_then(Option::as_ref);
            ReadFacts {
                at: r.entry.at,
                day: r.entry.at.with_timezone(&ctx.tz).date_naive(),
                reader: r.entry.actor,
                reader_teams: teams.get(&r.entry.actor).cloned().unwrap_or_default(),
                case: r.entry.case_id,
                case_team: case.and_then(|c| c.team),
                case_key_worker: case.and_then(|c| c.key_worker),
                case_ended_on: case.and_then(|c| c.ended_on),
            }
        })
        .collect();
    Ok(access::unusual_reads(&facts)
        .into_iter()
        .zip(&facts)
        .map(|(flags, f)| {
            // An erased case has no team to compare with: nothing to say about it.
            if !cases.get(&f.case).is_some_and(Option::is_some) {
                return String::new();
            }
            flags
                .iter()
                .map(|flag| match flag {
                    UnusualRead::OutsideOwnTeams => tr.t("audit.flag.outside").to_owned(),
                    UnusualRead::AfterClosure => tr.t("audit.flag.closed").to_owned(),
                    UnusualRead::ManyFiles { files } => tr
                        .t("audit.flag.many")
                        .replace("{n}", &files.to_string())
                        .replace("{minutes}", &access::MANY_FILES_MINUTES.to_string()),
                    _ => tr.t("audit.flag.other").to_owned(),
                })
                .collect::<Vec<_>>()
                .join("; ")
        })
        .collect())
}
