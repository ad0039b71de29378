//! The statistics page: core's statistics of a period (`statistics::statistics` over the
//! `case_statistics` read model), of the whole project or one of the team lead's teams, per
//! month, quarter or year, as tables with an SVG chart each; the same tables the CLI's
//! `report statistics` prints. The team's own view shows exact counts; the view for passing
//! on, the print and the downloads (XLSX, CSV) show counts from 1 to 4 as "< 5".

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use wegbereiter_core::Lang;
use wegbereiter_core::esf::EsfScope;
use wegbereiter_core::ids::TeamId;
use wegbereiter_core::statistics::{self, Disclosure, Granularity, StatTable};
use wegbereiter_core::vocab::Labelled;

use super::dashboard::Names;
use super::ok;
use super::reports::{self, EsfQuery, ScopeOption};
use crate::AppState;
use crate::access;
use crate::charts::{self, ChartView};
use crate::context::{Auth, ReqCtx};
use crate::error::AppError;
use crate::forms::Invalid;
use crate::i18n::Tr;
use crate::views::{FormState, Layout};

/// Query of the page and of its download.
#[derive(Debug, Deserialize)]
pub struct StatisticsQuery {
    #[serde(flatten)]
    period: EsfQuery,
    /// `month` (default), `quarter` or `year`.
    #[serde(default)]
    by: String,
    /// `published` for the view for passing on; anything else: the team's view.
    #[serde(default)]
    view: String,
    /// Download: `xlsx` (default) or `csv`.
    #[serde(default)]
    format: String,
}

/// One row of a table as the page shows it.
struct Row {
    label: String,
    total: bool,
    cells: Vec<String>,
}

/// One table with its chart.
struct Section {
    key: &'static str,
    title: String,
    description: String,
    row_header: String,
    columns: Vec<String>,
    rows: Vec<Row>,
    chart: Option<ChartView>,
}

impl Section {
    fn of(table: &StatTable, lang: Lang) -> Self {
        Self {
            key: table.key,
            title: table.title.clone(),
            description: table.description.clone(),
            row_header: table.row_header.clone(),
            columns: table.columns.clone(),
            rows: table
                .rows
                .iter()
                .map(|r| Row {
                    label: r.label.clone(),
                    total: r.total,
                    cells: r.cells.iter().map(|c| c.text(lang)).collect(),
                })
                .collect(),
            chart: charts::chart(table, lang),
        }
    }
}

#[derive(Template)]
#[template(path = "statistics.html")]
struct StatisticsPage {
    l: Layout,
    f: FormState,
    from: String,
    to: String,
    period: String,
    scopes: Vec<ScopeOption>,
    scope_label: String,
    /// The choices of the division: key, label, selected.
    divisions: Vec<(&'static str, &'static str, bool)>,
    published: bool,
    /// The page's query without the view (escaped for an attribute).
    query: String,
    sections: Vec<Section>,
}

/// What a request asks for, after the access policy.
struct Asked {
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    scope: EsfScope,
    by: Granularity,
    refused: FormState,
}

fn asked(q: &StatisticsQuery, ctx: &ReqCtx) -> Asked {
    let asked = reports::read_query(&q.period, ctx);
    let by = match q.by.trim() {
        "" => Some(Granularity::Month),
        key => key.parse::<Granularity>().ok(),
    };
    let values = || {
        vec![
            ("from".to_owned(), q.period.from.clone()),
            ("to".to_owned(), q.period.to.clone()),
            ("scope".to_owned(), q.period.scope.clone()),
            ("by".to_owned(), q.by.clone()),
        ]
    };
    let tr = Tr(ctx.lang);
    let Some(by) = by else {
        return Asked {
            from: asked.from,
            to: asked.to,
            scope: asked.scope,
            by: Granularity::Month,
            refused: FormState::refused("esf", values(), Invalid::field("by", tr.t("form.choose"))),
        };
    };
    if asked.refused.error.is_none()
        && let Err(e) = statistics::check_request(asked.from, asked.to, by)
    {
        return Asked {
            from: asked.from,
            to: asked.to,
            scope: asked.scope,
            by,
            refused: FormState::refused("esf", values(), Invalid::field("to", e.message(ctx.lang))),
        };
    }
    Asked {
        from: asked.from,
        to: asked.to,
        scope: asked.scope,
        by,
        refused: asked.refused,
    }
}

/// What a request gets: what it asked, core's report, its tables, and the names of teams.
struct Answer {
    asked: Asked,
    report: statistics::StatisticsReport,
    tables: Vec<StatTable>,
    names: Names,
}

/// The tables of a request for `disclosure`, after the access policy (core's
/// `can_see_statistics_for`): what the page and the download share. Reads the statistics
/// read model only, never a case.
async fn asked_tables(
    state: &AppState,
    ctx: &ReqCtx,
    actor: &wegbereiter_core::staff::Actor,
    q: &StatisticsQuery,
    disclosure: Disclosure,
) -> Result<Answer, AppError> {
    if !access::can_see_esf_report(actor) {
        return Err(AppError::Forbidden);
    }
    let asked = asked(q, ctx);
    if !access::can_see_statistics_for(actor, &asked.scope) {
        return Err(AppError::Forbidden);
    }
    // A refused request shows the default period, as the ESF report does; the refusal is
    // shown next to its field (the download answers it as a bad request).
    let (from, to, by) = if asked.refused.error.is_some() {
        let d = reports::read_query(&EsfQuery::default(), ctx);
        (d.from, d.to, Granularity::Month)
    } else {
        (asked.from, asked.to, asked.by)
    };
    let records = state
        .backend
        .statistics_records(from, to, asked.scope)
        .await?;
    let report = statistics::statistics(&records, from, to, asked.scope, by, &ctx.tz);
    let names = Names::load(state).await?;
    let tr = Tr(ctx.lang);
    let team_name = |t: Option<TeamId>| match t {
        Some(_) => names.team(t),
        None => tr.t("stats.no_team").to_owned(),
    };
    let tables = statistics::tables(&report, disclosure, ctx.lang, &team_name);
    Ok(Answer {
        asked,
        report,
        tables,
        names,
    })
}

/// GET /reports/statistics?from=&to=&scope=&by=&view= (default: this calendar year up to
/// today, the whole project, by month, the team's view).
pub async fn page(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Query(q): Query<StatisticsQuery>,
) -> Result<Response, AppError> {
    let actor = user.as_actor();
    let lang = ctx.lang;
    let tr = Tr(lang);
    let published = q.view.trim() == "published";
    let disclosure = if published {
        Disclosure::Published
    } else {
        Disclosure::Internal
    };
    let Answer {
        asked,
        report,
        tables,
        names,
    } = asked_tables(&state, &ctx, &actor, &q, disclosure).await?;
    let query = format!(
        "from={}&amp;to={}&amp;scope={}&amp;by={}",
        report.from.format("%Y-%m-%d"),
        report.to.format("%Y-%m-%d"),
        reports::scope_key(report.scope),
        report.granularity.key()
    );
    ok(&StatisticsPage {
        l: Layout::new(&ctx, "stats.title", "statistics"),
        f: asked.refused,
        from: report.from.format("%Y-%m-%d").to_string(),
        to: report.to.format("%Y-%m-%d").to_string(),
        period: reports::period_text(report.from, report.to, lang),
        scopes: reports::scope_options(report.scope, &user.teams, &names, tr),
        scope_label: reports::scope_label(report.scope, &names, tr),
        divisions: Granularity::ALL
            .iter()
            .map(|g| (g.key(), g.label(lang), *g == report.granularity))
            .collect(),
        published,
        query,
        sections: tables.iter().map(|t| Section::of(t, lang)).collect(),
    })
}

/// GET /reports/statistics/export?from=&to=&scope=&by=&format=xlsx|csv: the tables for
/// passing on (small counts suppressed), written by `wegbereiter-export` as the CLI's
/// `report statistics --export` writes them; audited.
pub async fn export(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Query(q): Query<StatisticsQuery>,
) -> Result<Response, AppError> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let actor = user.as_actor();
    let Answer {
        asked,
        report,
        tables,
        ..
    } = asked_tables(&state, &ctx, &actor, &q, Disclosure::Published).await?;
    if asked.refused.error.is_some() {
        return Err(AppError::BadRequest);
    }
    let lang = ctx.lang;
    let (format, content_type, bytes) = match q.format.trim() {
        "" | "xlsx" => (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            wegbereiter_export::statistics_xlsx(&tables, lang),
        ),
        "csv" => (
            "csv",
            "text/csv; charset=utf-8",
            wegbereiter_export::statistics_csv(&tables, lang),
        ),
        _ => return Err(AppError::BadRequest),
    };
    let bytes = bytes.map_err(|e| AppError::Internal(e.to_string()))?;
    state
        .backend
        .audit(crate::AuditLine {
            at: ctx.now,
            actor: Some(user.id),
            action: wegbereiter_storage::STATISTICS_EXPORTED.into(),
            subject: wegbereiter_storage::AuditSubject::Typed(statistics::audit_subject(
                report.from,
                report.to,
                report.scope,
                report.granularity,
                format,
            )),
        })
        .await?;
    let file = format!(
        "statistik-{}-{}.{format}",
        report.from.format("%Y%m%d"),
        report.to.format("%Y%m%d")
    );
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
