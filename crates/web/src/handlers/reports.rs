//! The ESF Plus report: the indicators of the participants of the team lead's teams who
//! entered or left in a period, counted by core's `esf_report` (counts only, no person).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use wegbereiter_core::esf::EsfLine;

use super::dashboard::Names;
use super::ok;
use crate::AppState;
use crate::access;
use crate::context::Auth;
use crate::error::AppError;
use crate::forms::Reader;
use crate::i18n::Tr;
use crate::views::{self, FormState, Layout};

#[derive(Template)]
#[template(path = "esf_report.html")]
struct EsfPage {
    l: Layout,
    f: FormState,
    /// The period as the date inputs want it.
    from: String,
    to: String,
    /// The period for people.
    period: String,
    teams: String,
    lines: Vec<EsfLine>,
}

/// Query of the report page.
#[derive(Debug, Deserialize)]
pub struct EsfQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// GET /reports/esf?from=&to= (default: this calendar year up to today).
pub async fn esf(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Query(q): Query<EsfQuery>,
) -> Result<Response, AppError> {
    if !access::can_see_esf_report(&user.as_actor()) {
        return Err(AppError::Forbidden);
    }
    let lang = ctx.lang;
    let tr = Tr(lang);
    let today = ctx.today();
    let values = vec![
        ("from".to_owned(), q.from.clone()),
        ("to".to_owned(), q.to.clone()),
    ];
    let form = crate::context::FormData(values.clone());
    let r = Reader::new(&form, tr);
    let start_of_year = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let period = (|| -> Result<(NaiveDate, NaiveDate), crate::forms::Invalid> {
        let from = r.opt_date("from", "esf.from")?.unwrap_or(start_of_year);
        let to = r.opt_date("to", "esf.to")?.unwrap_or(today);
        wegbereiter_core::esf::check_period(from, to)
            .map_err(|e| crate::forms::Invalid::field("to", e.message(lang)))?;
        Ok((from, to))
    })();
    let (f, (from, to)) = match period {
        Ok(p) => (FormState::default(), p),
        Err(e) => (FormState::refused("esf", values, e), (start_of_year, today)),
    };
    // The participants of the lead's teams (each case counts for the team it belongs to now)
    // who entered or left in the period, from the ESF read model: no case is loaded.
    let mut teams = user.teams.clone();
    teams.sort();
    teams.dedup();
    let participants = state
        .backend
        .esf_participants(from, to, &teams, None)
        .await?;
    let report = wegbereiter_core::esf::esf_report_of(&participants, from, to);
    let names = Names::load(&state).await?;
    let teams = user
        .teams
        .iter()
        .map(|t| names.team(Some(*t)))
        .collect::<Vec<_>>()
        .join(", ");
    ok(&EsfPage {
        l: Layout::new(&ctx, "esf.report_title", "esf"),
        f,
        from: from.format("%Y-%m-%d").to_string(),
        to: to.format("%Y-%m-%d").to_string(),
        period: format!("{} – {}", views::date(from, lang), views::date(to, lang)),
        teams,
        lines: report.lines(lang),
    })
}
