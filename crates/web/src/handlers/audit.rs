//! The audit and access log for the data-protection officer (rule R16: who saw what, when).
//! It names people and case numbers, never case contents.
//!
//! The page shows the latest [`RECENT_ACCESSES`] reads of case files across all cases, every
//! read of one case looked up by its number, and the latest [`RECENT_AUDIT`] lines of the audit
//! log (administration, sign-ins and sign-outs).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
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
}

/// How many reads of case files across all cases the page shows.
pub const RECENT_ACCESSES: u64 = 200;

/// How many lines of the audit log the page shows.
pub const RECENT_AUDIT: u64 = 200;

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    l: Layout,
    audit: Vec<LogRow>,
    recent: Vec<LogRow>,
    recent_limit: u64,
    q: String,
    searched: bool,
    accesses: Vec<LogRow>,
}

/// Query of the audit page.
#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    case: String,
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
        AuditSubject::Typed(text) => return text.clone(),
        other => return other.stored(),
    };
    format!("{}: {shown}", tr.t(key))
}

/// GET /audit?case=
pub async fn audit(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Query(q): Query<AuditQuery>,
) -> Result<Response, AppError> {
    if !access::can_read_audit(&user) {
        return Err(AppError::Forbidden);
    }
    let tr = Tr(ctx.lang);
    let names = Names::load(&state).await?;
    let audit = state
        .backend
        .audit_log(RECENT_AUDIT)
        .await?
        .into_iter()
        .map(|a| {
            // Sign-in lines keep what was typed, and have no actor because nobody was
            // signed in; every other line without an actor was written by the system
            // (first run, command line without --as).
            let sign_in = a.action.starts_with("auth.");
            LogRow {
                at: views::datetime(a.at, ctx.lang, ctx.tz),
                actor: match (a.actor, sign_in) {
                    (Some(_), _) => names.staff(a.actor),
                    (None, true) => tr.t("audit.not_signed_in").to_owned(),
                    (None, false) => tr.t("audit.system").to_owned(),
                },
                action: tr
                    .lookup(&format!("audit.action.{}", a.action))
                    .map_or_else(|| a.action.clone(), str::to_owned),
                subject: readable_subject(&a.subject, &names, tr),
            }
        })
        .collect();
    let access_row = |a: wegbereiter_core::ports::AccessEntry| LogRow {
        at: views::datetime(a.at, ctx.lang, ctx.tz),
        actor: names.staff(Some(a.actor)),
        action: tr.t(kind_key(a.kind)).to_owned(),
        subject: views::case_no(a.case_id),
    };
    let recent = state
        .backend
        .access_log(RECENT_ACCESSES)
        .await?
        .into_iter()
        .map(access_row)
        .collect();
    let searched = !q.case.trim().is_empty();
    let mut accesses = Vec::new();
    if searched {
        for s in state.backend.list(&CaseFilter::default()).await? {
            if !views::matches_case_no(s.id, &q.case) {
                continue;
            }
            accesses.extend(
                state
                    .backend
                    .accesses(s.id)
                    .await?
                    .into_iter()
                    .map(access_row),
            );
        }
        accesses.reverse();
    }
    ok(&AuditPage {
        l: Layout::new(&ctx, "audit.title", "audit"),
        audit,
        recent,
        recent_limit: RECENT_ACCESSES,
        q: q.case,
        searched,
        accesses,
    })
}
