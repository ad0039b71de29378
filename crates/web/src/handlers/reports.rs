//! The ESF Plus report: the indicators of the participants who entered or left in a period,
//! of the whole project or of one of the team lead's teams (core's `EsfScope`, the CLI's
//! `report esf --team` too, so both give the same figures), counted by core's
//! `esf_report_of`; every figure links to the pseudonymous participant numbers behind it
//! (core's `esf_members`), and those the reader may open to their cases.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use wegbereiter_core::esf::{self, EsfCount, EsfScope, GenderColumn};
use wegbereiter_core::ids::TeamId;
use wegbereiter_core::{Labelled, Lang};

use super::dashboard::Names;
use super::ok;
use crate::AppState;
use crate::access;
use crate::context::{Auth, ReqCtx};
use crate::error::AppError;
use crate::forms::{Invalid, Reader};
use crate::i18n::Tr;
use crate::views::{self, FormState, Layout};

/// The columns of the report table, in order.
const COLUMNS: [GenderColumn; 5] = [
    GenderColumn::Total,
    GenderColumn::Female,
    GenderColumn::Male,
    GenderColumn::NonBinary,
    GenderColumn::Unknown,
];

/// One cell of the report: the count, and the address of the participants behind it.
struct Cell {
    n: u64,
    href: Option<String>,
}

/// One line of the report as the page shows it.
struct Row {
    code: Option<&'static str>,
    label: &'static str,
    detail: bool,
    cells: Vec<Cell>,
}

/// A choice of the scope field.
pub(super) struct ScopeOption {
    pub(super) value: String,
    pub(super) label: String,
    pub(super) selected: bool,
}

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
    scopes: Vec<ScopeOption>,
    scope_label: String,
    rows: Vec<Row>,
    /// EECR05/06: code and label.
    evaluator: Vec<(&'static str, &'static str)>,
    /// The download of the funder export (without its format).
    export: String,
    /// Participants of the export who may be the same person: per group, each participant
    /// number with the case's address where the reader may open it.
    duplicates: Vec<Vec<(String, Option<String>)>>,
}

/// One participant behind a figure.
struct Member {
    number: String,
    /// The case's address and number, if the reader may open it.
    case: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "esf_members.html")]
struct MembersPage {
    l: Layout,
    figure: String,
    column: &'static str,
    period: String,
    scope_label: String,
    back: String,
    members: Vec<Member>,
}

/// Query of the report page and of its drill-down.
#[derive(Debug, Default, Deserialize)]
pub struct EsfQuery {
    #[serde(default)]
    pub(super) from: String,
    #[serde(default)]
    pub(super) to: String,
    /// `all` (or empty) or a team's id.
    #[serde(default)]
    pub(super) scope: String,
    /// Drill-down: the figure's key (`eeco02`).
    #[serde(default)]
    count: String,
    /// Drill-down: the column's key (`female`); empty for everybody.
    #[serde(default)]
    column: String,
}

/// The period, the scope and the values they were read from, or the form's refusal.
pub(super) struct Asked {
    pub(super) from: NaiveDate,
    pub(super) to: NaiveDate,
    pub(super) scope: EsfScope,
    pub(super) refused: FormState,
}

pub(super) fn read_query(q: &EsfQuery, ctx: &ReqCtx) -> Asked {
    let lang = ctx.lang;
    let tr = Tr(lang);
    let today = ctx.today();
    let values = vec![
        ("from".to_owned(), q.from.clone()),
        ("to".to_owned(), q.to.clone()),
        ("scope".to_owned(), q.scope.clone()),
    ];
    let form = crate::context::FormData(values.clone());
    let r = Reader::new(&form, tr);
    let start_of_year = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let asked = (|| -> Result<(NaiveDate, NaiveDate, EsfScope), Invalid> {
        let from = r.opt_date("from", "esf.from")?.unwrap_or(start_of_year);
        let to = r.opt_date("to", "esf.to")?.unwrap_or(today);
        esf::check_period(from, to).map_err(|e| Invalid::field("to", e.message(lang)))?;
        let scope = match q.scope.trim() {
            "" | "all" => EsfScope::All,
            team => EsfScope::Team(
                team.parse::<TeamId>()
                    .map_err(|_| Invalid::field("scope", tr.t("form.choose")))?,
            ),
        };
        Ok((from, to, scope))
    })();
    match asked {
        Ok((from, to, scope)) => Asked {
            from,
            to,
            scope,
            refused: FormState::default(),
        },
        Err(e) => Asked {
            from: start_of_year,
            to: today,
            scope: EsfScope::All,
            refused: FormState::refused("esf", values, e),
        },
    }
}

pub(super) fn scope_key(scope: EsfScope) -> String {
    match scope {
        EsfScope::All => "all".to_owned(),
        EsfScope::Team(t) => t.to_string(),
    }
}

pub(super) fn scope_label(scope: EsfScope, names: &Names, tr: Tr) -> String {
    match scope {
        EsfScope::All => tr.t("esf.scope_all").to_owned(),
        EsfScope::Team(t) => format!("{} {}", tr.t("esf.scope_team"), names.team(Some(t))),
    }
}

pub(super) fn period_text(from: NaiveDate, to: NaiveDate, lang: Lang) -> String {
    format!("{} – {}", views::date(from, lang), views::date(to, lang))
}

fn query_of(from: NaiveDate, to: NaiveDate, scope: EsfScope) -> String {
    format!(
        "from={}&amp;to={}&amp;scope={}",
        from.format("%Y-%m-%d"),
        to.format("%Y-%m-%d"),
        scope_key(scope)
    )
}

/// How a request's refused period or scope is answered: on the report page next to its field,
/// for the drill-down and the download as a bad request.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Refused {
    Shown,
    BadRequest,
}

/// The period and scope a request asks for and the participants of them, after the access
/// policy (core's `can_see_esf_report`, `can_see_esf_report_for`): what the report, its
/// drill-down and its download share. Reads the ESF read model only, never a case.
async fn asked_records(
    state: &AppState,
    ctx: &ReqCtx,
    actor: &wegbereiter_core::staff::Actor,
    q: &EsfQuery,
    refused: Refused,
) -> Result<(Asked, Vec<esf::EsfRecord>), AppError> {
    if !access::can_see_esf_report(actor) {
        return Err(AppError::Forbidden);
    }
    let asked = read_query(q, ctx);
    if refused == Refused::BadRequest && asked.refused.error.is_some() {
        return Err(AppError::BadRequest);
    }
    if !access::can_see_esf_report_for(actor, &asked.scope) {
        return Err(AppError::Forbidden);
    }
    let records = state
        .backend
        .esf_participants(asked.from, asked.to, asked.scope)
        .await?;
    Ok((asked, records))
}

/// GET /reports/esf?from=&to=&scope= (default: this calendar year up to today, the whole
/// project).
pub async fn esf(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Query(q): Query<EsfQuery>,
) -> Result<Response, AppError> {
    let actor = user.as_actor();
    let lang = ctx.lang;
    let tr = Tr(lang);
    let (asked, records) = asked_records(&state, &ctx, &actor, &q, Refused::Shown).await?;
    let (from, to, scope) = (asked.from, asked.to, asked.scope);
    let report = esf::esf_report_of_records(&records, from, to);
    let names = Names::load(&state).await?;
    let query = query_of(from, to, scope);
    let keys = state
        .backend
        .esf_duplicate_keys(&esf::export::exported_cases(&records, from, to))
        .await?;
    let duplicates = esf::export::possible_duplicates(&keys)
        .into_iter()
        .map(|group| {
            group
                .into_iter()
                .map(|case| {
                    let record = records.iter().find(|r| r.case == case);
                    let open = record
                        .is_some_and(|r| access::may_open_case_of(&actor, r.team, r.key_worker));
                    (
                        esf::participant_number(case),
                        open.then(|| format!("/cases/{case}")),
                    )
                })
                .collect()
        })
        .collect();
    let rows = report
        .lines(lang)
        .into_iter()
        .map(|line| Row {
            code: line.code,
            label: line.label,
            detail: line.detail,
            cells: COLUMNS
                .iter()
                .map(|&column| {
                    let n = line.counts.get(column);
                    Cell {
                        n,
                        href: (n > 0).then(|| {
                            format!(
                                "/reports/esf/members?{query}&amp;count={}&amp;column={}",
                                line.count.key(),
                                column.key()
                            )
                        }),
                    }
                })
                .collect(),
        })
        .collect();
    let scopes = scope_options(scope, &user.teams, &names, tr);
    ok(&EsfPage {
        l: Layout::new(&ctx, "esf.report_title", "esf"),
        f: asked.refused,
        from: from.format("%Y-%m-%d").to_string(),
        to: to.format("%Y-%m-%d").to_string(),
        period: period_text(from, to, lang),
        scopes,
        scope_label: scope_label(scope, &names, tr),
        rows,
        export: format!("/reports/esf/export?{query}"),
        duplicates,
        evaluator: esf::COLLECTED_BY_EVALUATOR
            .iter()
            .map(|(code, de, en)| (*code, if lang == Lang::De { *de } else { *en }))
            .collect(),
    })
}

/// The choices of the scope field: the whole project, and each of `teams`.
pub(super) fn scope_options(
    scope: EsfScope,
    teams: &[TeamId],
    names: &Names,
    tr: Tr,
) -> Vec<ScopeOption> {
    let mut options = vec![ScopeOption {
        value: "all".to_owned(),
        label: tr.t("esf.scope_all").to_owned(),
        selected: scope == EsfScope::All,
    }];
    let mut teams = teams.to_vec();
    teams.sort();
    teams.dedup();
    options.extend(teams.iter().map(|t| ScopeOption {
        value: t.to_string(),
        label: format!("{} {}", tr.t("esf.scope_team"), names.team(Some(*t))),
        selected: scope == EsfScope::Team(*t),
    }));
    options
}

/// Query of the download: the report's, and the format.
#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    #[serde(flatten)]
    report: EsfQuery,
    /// `xlsx` (default) or `csv`.
    #[serde(default)]
    format: String,
}

/// GET /reports/esf/export?from=&to=&scope=&format=xlsx|csv: the funder export of the report
/// (core's `funder_export`, written by `wegbereiter-export`, the CLI's `report esf --export`
/// byte for byte), as a download; audited.
pub async fn export(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let actor = user.as_actor();
    let (asked, records) =
        asked_records(&state, &ctx, &actor, &q.report, Refused::BadRequest).await?;
    let (from, to, scope) = (asked.from, asked.to, asked.scope);
    let report = esf::esf_report_of_records(&records, from, to);
    let export = esf::export::funder_export(&records, &report, Lang::De);
    let (format, content_type, bytes) = match q.format.trim() {
        "" | "xlsx" => (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            wegbereiter_export::funder_xlsx(&export, Lang::De),
        ),
        "csv" => (
            "csv",
            "text/csv; charset=utf-8",
            wegbereiter_export::funder_csv(&export, Lang::De),
        ),
        _ => return Err(AppError::BadRequest),
    };
    let bytes = bytes.map_err(|e| AppError::Internal(e.to_string()))?;
    state
        .backend
        .audit(crate::AuditLine {
            at: ctx.now,
            actor: Some(user.id),
            action: wegbereiter_storage::ESF_EXPORTED.into(),
            subject: wegbereiter_storage::AuditSubject::Typed(esf::export::audit_subject(
                from,
                to,
                scope,
                format,
                export.participants.len(),
            )),
        })
        .await?;
    let file = format!(
        "esf-{}-{}.{format}",
        from.format("%Y%m%d"),
        to.format("%Y%m%d")
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

/// GET /reports/esf/members?from=&to=&scope=&count=&column=: the pseudonymous participant
/// numbers behind one figure, each linked to its case where the reader may open it.
pub async fn members(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Query(q): Query<EsfQuery>,
) -> Result<Response, AppError> {
    let actor = user.as_actor();
    let lang = ctx.lang;
    let tr = Tr(lang);
    let (asked, records) = asked_records(&state, &ctx, &actor, &q, Refused::BadRequest).await?;
    let count = EsfCount::parse(&q.count);
    let column = match q.column.trim() {
        "" => Some(GenderColumn::Total),
        key => key.parse::<GenderColumn>().ok(),
    };
    let (Some(count), Some(column)) = (count, column) else {
        return Err(AppError::BadRequest);
    };
    let (from, to, scope) = (asked.from, asked.to, asked.scope);
    let members = esf::esf_members(&records, from, to, count, column)
        .into_iter()
        .map(|r| Member {
            number: r.participant_number(),
            case: access::may_open_case_of(&actor, r.team, r.key_worker)
                .then(|| (format!("/cases/{}", r.case), r.case.case_number())),
        })
        .collect();
    let names = Names::load(&state).await?;
    let figure = match count.code() {
        Some(code) => format!("{code} {}", count.label(lang)),
        None => count.label(lang).to_owned(),
    };
    ok(&MembersPage {
        l: Layout::new(&ctx, "esf.members_title", "esf"),
        figure,
        column: column.label(lang),
        period: period_text(from, to, lang),
        scope_label: scope_label(scope, &names, tr),
        back: format!("/reports/esf?{}", query_of(from, to, scope)),
        members,
    })
}
