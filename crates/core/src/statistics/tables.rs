//! A [`StatisticsReport`] as the tables every frontend renders: the CLI's text and JSON, the
//! web page and its charts, CSV and XLSX. Titles, descriptions, column and row labels come in
//! German or English; a cell knows whether it is a count, a share or a number of days.
//!
//! **Small counts.** In everything meant to leave the team ([`Disclosure::Published`]) a count
//! from 1 to 4 is shown as "< 5", and so is a share or a median taken over fewer than 5 cases
//! or whose numerator is such a count; 0 stays 0 (it identifies no one). Where the cells of a
//! column (or a row) add up to a total that is shown, one suppressed cell alone could be
//! worked out from the others; then the smallest other non-zero cell of that group is
//! withheld too, shown as "x" ([`Shown::Concealed`]: it is not small, only kept secret), and
//! so is every share taken of a withheld count.
//! Differences between figures of different tables are not protected.

use serde::Serialize;

use super::{Figures, Granularity, Interval, Spread, StatisticsReport};
use crate::closure::{ExitReason, ImmediateResult};
use crate::esf::EsfScope;
use crate::handover::GroupSessionKind;
use crate::ids::TeamId;
use crate::services::{OutboundReferralStatus, ServiceKind};
use crate::vocab::{Labelled, Lang};

/// Who a rendering is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Disclosure {
    /// The team's own view: exact counts.
    Internal,
    /// Meant to leave the team (downloads, print, the funder): small counts suppressed.
    Published,
}

/// Counts below this are suppressed in published tables (from 1 on).
pub const SUPPRESS_BELOW: u64 = 5;

/// A value as shown.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "shown", content = "value", rename_all = "snake_case")]
pub enum Shown<T> {
    /// The value.
    Value(T),
    /// Withheld: a small count, or taken over few cases ("< 5").
    Suppressed,
    /// Withheld although not small, because a withheld small count could be worked out from
    /// it and a shown total ("x", as official statistics mark a value kept secret).
    Concealed,
    /// Nothing to show (no case to take a share or a median of).
    Empty,
}

impl<T> Shown<T> {
    /// Whether the value is withheld ([`Shown::Suppressed`] or [`Shown::Concealed`]).
    #[must_use]
    pub fn is_withheld(&self) -> bool {
        matches!(self, Self::Suppressed | Self::Concealed)
    }
}

/// One cell of a table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Cell {
    /// A number of cases or records.
    Count {
        /// What is shown.
        value: Shown<u64>,
    },
    /// A share in percent.
    Percent {
        /// What is shown.
        value: Shown<f64>,
    },
    /// A number of days (a median or quartile).
    Days {
        /// What is shown.
        value: Shown<f64>,
    },
}

impl Cell {
    fn count(n: u64) -> Self {
        Self::Count {
            value: Shown::Value(n),
        }
    }

    /// The cell as text in `lang`: `12`, `< 5`, `–`, `45,5 %` (German decimal comma).
    #[must_use]
    pub fn text(&self, lang: Lang) -> String {
        let decimal = |x: f64| {
            let s = format!("{x:.1}");
            let s = s.strip_suffix(".0").map_or(s.clone(), str::to_owned);
            match lang {
                Lang::De => s.replace('.', ","),
                Lang::En => s,
            }
        };
        let shown = |s: Shown<String>| match s {
            Shown::Value(v) => v,
            Shown::Suppressed => "< 5".to_owned(),
            Shown::Concealed => "x".to_owned(),
            Shown::Empty => "–".to_owned(),
        };
        match *self {
            Self::Count { value } => shown(map(value, |n| n.to_string())),
            Self::Percent { value } => shown(map(value, |p| format!("{} %", decimal(p)))),
            Self::Days { value } => shown(map(value, decimal)),
        }
    }

    /// The number behind the cell, if it is shown (charts, spreadsheets).
    #[must_use]
    #[allow(clippy::cast_precision_loss)] // counts are far below 2^52
    pub fn number(&self) -> Option<f64> {
        match *self {
            Self::Count {
                value: Shown::Value(n),
            } => Some(n as f64),
            Self::Percent {
                value: Shown::Value(x),
            }
            | Self::Days {
                value: Shown::Value(x),
            } => Some(x),
            _ => None,
        }
    }

    /// Whether the cell is withheld (a small count, or one that would give a small count
    /// away).
    #[must_use]
    pub fn is_suppressed(&self) -> bool {
        match self {
            Self::Count { value } => value.is_withheld(),
            Self::Percent { value } | Self::Days { value } => value.is_withheld(),
        }
    }
}

fn map<T, U>(s: Shown<T>, f: impl FnOnce(T) -> U) -> Shown<U> {
    match s {
        Shown::Value(v) => Shown::Value(f(v)),
        Shown::Suppressed => Shown::Suppressed,
        Shown::Concealed => Shown::Concealed,
        Shown::Empty => Shown::Empty,
    }
}

/// One row: its label and cells, one per column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatRow {
    /// The label (an interval, a reason, a team …).
    pub label: String,
    /// Whether the row is the total of the rows above it (charts leave it out).
    pub total: bool,
    /// The cells.
    pub cells: Vec<Cell>,
}

/// How a table is drawn as a chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Vertical bars per row (intervals along the axis), one bar per series.
    Columns,
    /// Horizontal bars per row (categories), one bar per series.
    Bars,
}

/// The chart of a table: which columns are drawn, over the rows that are not totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chart {
    /// How it is drawn.
    pub kind: ChartKind,
    /// The indexes of the columns drawn (counts only).
    pub series: Vec<usize>,
}

/// One table of a statistics report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatTable {
    /// A stable key (`referrals`, `support`, `exit_reasons`, `destinations`,
    /// `referrals_out`, `attendance`, `teams`).
    pub key: &'static str,
    /// The title.
    pub title: String,
    /// What it counts, in a sentence or two (also the chart's description).
    pub description: String,
    /// The label of the row labels' column.
    pub row_header: String,
    /// Column labels.
    pub columns: Vec<String>,
    /// The rows.
    pub rows: Vec<StatRow>,
    /// The chart, if the table has one.
    pub chart: Option<Chart>,
}

fn t(lang: Lang, de: &str, en: &str) -> String {
    match lang {
        Lang::De => de,
        Lang::En => en,
    }
    .to_owned()
}

/// How an interval is named in `lang`: `03/2026`, `Q1/2026`, `2026` in German.
#[must_use]
pub fn interval_label(interval: &Interval, lang: Lang) -> String {
    let key = interval.key();
    match (lang, interval.granularity) {
        (Lang::En, _) | (_, Granularity::Year) => key,
        (Lang::De, _) => match key.split_once('-') {
            Some((year, part)) => format!("{part}/{year}"),
            None => key,
        },
    }
}

/// The tables of `report` for `disclosure`, in `lang`. `team_name` names a team (`None`:
/// cases without a team) for the table per team.
#[must_use]
pub fn tables(
    report: &StatisticsReport,
    disclosure: Disclosure,
    lang: Lang,
    team_name: &dyn Fn(Option<TeamId>) -> String,
) -> Vec<StatTable> {
    let d = disclosure;
    let mut out = vec![
        referrals_table(report, lang, d),
        support_table(report, lang, d),
        exit_reasons_table(&report.total, lang, d),
        destinations_table(&report.total, lang, d),
        referrals_out_table(&report.total, lang, d),
        attendance_table(&report.total, lang, d),
    ];
    if report.scope == EsfScope::All {
        out.push(teams_table(report, lang, team_name, d));
    }
    out
}

/// Raw cells before suppression: counts carry their number; shares and days carry the
/// number of cases they are taken over, so that suppression can judge them.
#[derive(Clone, Copy)]
enum Raw {
    Count(u64),
    /// A share of two counts of the same row, named by their columns.
    Percent {
        part: u64,
        of: u64,
        part_column: usize,
        of_column: usize,
    },
    Days {
        value: Option<f64>,
        over: u64,
    },
}

fn interval_rows(report: &StatisticsReport, lang: Lang) -> Vec<(String, bool, &Figures)> {
    report
        .intervals
        .iter()
        .map(|(i, f)| (interval_label(i, lang), false, f))
        .chain(std::iter::once((
            t(lang, "Gesamt", "Total"),
            true,
            &report.total,
        )))
        .collect()
}

fn days(spread: &Spread) -> [Raw; 3] {
    [spread.median, spread.q1, spread.q3].map(|value| Raw::Days {
        value,
        over: spread.n,
    })
}

fn referrals_table(report: &StatisticsReport, lang: Lang, d: Disclosure) -> StatTable {
    let rows = interval_rows(report, lang)
        .into_iter()
        .map(|(label, total, f)| {
            let mut cells = vec![
                Raw::Count(f.referrals),
                Raw::Count(f.reached),
                Raw::Percent {
                    part: f.reached,
                    of: f.referrals,
                    part_column: 1,
                    of_column: 0,
                },
                Raw::Count(f.enrolled),
                Raw::Percent {
                    part: f.enrolled,
                    of: f.referrals,
                    part_column: 3,
                    of_column: 0,
                },
            ];
            cells.extend(days(&f.days_to_first_contact));
            cells.extend(days(&f.days_to_enrolment));
            (label, total, cells)
        })
        .collect();
    table(
        "referrals",
        t(lang, "Zuweisungen und Erreichung", "Referrals and reach"),
        t(
            lang,
            "Zuweisungen nach Zuweisungsdatum; davon bis zum Ende des Zeitraums erreicht \
             (Kontaktversuch mit Erreichen, Ablehnung oder Aufnahme) und aufgenommen, mit den \
             Tagen von der Zuweisung bis zum Erstkontakt und bis zur Aufnahme (Median und \
             Quartile Q1 und Q3).",
            "Referrals by referral date; of those, reached (a contact attempt that reached the \
             client, a decline or an enrolment) and enrolled by the end of the period, with the \
             days from referral to first contact and to enrolment (median and quartiles).",
        ),
        t(lang, "Zeitraum", "Period"),
        vec![
            t(lang, "Zuweisungen", "Referrals"),
            t(lang, "erreicht", "Reached"),
            t(lang, "Erreichungsquote", "Reach rate"),
            t(lang, "aufgenommen", "Enrolled"),
            t(lang, "Aufnahmequote", "Enrolment rate"),
            t(
                lang,
                "Tage bis Erstkontakt, Median",
                "Days to first contact, median",
            ),
            t(lang, "Erstkontakt Q1", "First contact Q1"),
            t(lang, "Erstkontakt Q3", "First contact Q3"),
            t(
                lang,
                "Tage bis Aufnahme, Median",
                "Days to enrolment, median",
            ),
            t(lang, "Aufnahme Q1", "Enrolment Q1"),
            t(lang, "Aufnahme Q3", "Enrolment Q3"),
        ],
        rows,
        Some(Chart {
            kind: ChartKind::Columns,
            series: vec![0, 1, 3],
        }),
        Groups::Columns,
        d,
    )
}

fn support_table(report: &StatisticsReport, lang: Lang, d: Disclosure) -> StatTable {
    let rows = interval_rows(report, lang)
        .into_iter()
        .map(|(label, total, f)| {
            let mut cells = vec![
                Raw::Count(f.enrolments),
                Raw::Count(f.extensions),
                Raw::Count(f.pauses),
                Raw::Count(f.exits),
            ];
            cells.extend(days(&f.period_days));
            cells.extend([Raw::Count(f.declined), Raw::Count(f.not_reached)]);
            (label, total, cells)
        })
        .collect();
    table(
        "support",
        t(lang, "Bezugsberatung", "Key-worker support"),
        t(
            lang,
            "Aufnahmen, Verlängerungen (nach Tag der Entscheidung), begonnene Pausen und \
             Austritte im Zeitraum; die Dauer vom Beginn der Bezugsberatung bis zum Austritt \
             in Tagen; Ablehnungen des Angebots und Fälle, die als nicht erreicht endeten.",
            "Enrolments, extensions (by the day decided), pauses begun and exits in the period; \
             the days from the start of key-worker support to the exit; offers declined and \
             cases that ended as not reached.",
        ),
        t(lang, "Zeitraum", "Period"),
        vec![
            t(lang, "Aufnahmen", "Enrolments"),
            t(lang, "Verlängerungen", "Extensions"),
            t(lang, "Pausen", "Pauses"),
            t(lang, "Austritte", "Exits"),
            t(lang, "Dauer in Tagen, Median", "Length in days, median"),
            t(lang, "Dauer Q1", "Length Q1"),
            t(lang, "Dauer Q3", "Length Q3"),
            t(lang, "abgelehnt", "Declined"),
            t(lang, "nicht erreicht", "Not reached"),
        ],
        rows,
        Some(Chart {
            kind: ChartKind::Columns,
            series: vec![0, 3],
        }),
        Groups::Columns,
        d,
    )
}

fn exit_reasons_table(f: &Figures, lang: Lang, d: Disclosure) -> StatTable {
    let rows = ExitReason::ALL
        .iter()
        .map(|r| {
            let n = f.exit_reasons.get(r).copied().unwrap_or(0);
            (r.label(lang).to_owned(), false, vec![Raw::Count(n)])
        })
        .chain(std::iter::once((
            t(lang, "Gesamt", "Total"),
            true,
            vec![Raw::Count(f.exits)],
        )))
        .collect();
    table(
        "exit_reasons",
        t(lang, "Austrittsgründe", "Exit reasons"),
        t(
            lang,
            "Die Austritte des ganzen Zeitraums nach dem erfassten Grund.",
            "The exits of the whole period by the reason recorded.",
        ),
        t(lang, "Grund", "Reason"),
        vec![t(lang, "Austritte", "Exits")],
        rows,
        Some(Chart {
            kind: ChartKind::Bars,
            series: vec![0],
        }),
        Groups::Columns,
        d,
    )
}

fn destinations_table(f: &Figures, lang: Lang, d: Disclosure) -> StatTable {
    let rows = ImmediateResult::ALL
        .iter()
        .map(|r| {
            let n = f.destinations.get(r).copied().unwrap_or(0);
            (r.label(lang).to_owned(), false, vec![Raw::Count(n)])
        })
        .chain([
            (
                t(lang, "nicht erfasst", "Not recorded"),
                false,
                vec![Raw::Count(f.destination_missing)],
            ),
            (t(lang, "Gesamt", "Total"), true, vec![Raw::Count(f.exits)]),
        ])
        .collect();
    table(
        "destinations",
        t(lang, "Verbleib nach Austritt", "Situation after exit"),
        t(
            lang,
            "Die Austritte des ganzen Zeitraums nach der Situation innerhalb von vier Wochen \
             (ESF-Ergebnisindikator).",
            "The exits of the whole period by the situation within four weeks (ESF result \
             indicator).",
        ),
        t(lang, "Verbleib", "Situation"),
        vec![t(lang, "Austritte", "Exits")],
        rows,
        Some(Chart {
            kind: ChartKind::Bars,
            series: vec![0],
        }),
        Groups::Columns,
        d,
    )
}

fn referrals_out_table(f: &Figures, lang: Lang, d: Disclosure) -> StatTable {
    let statuses = OutboundReferralStatus::ALL;
    let rows = ServiceKind::ALL
        .iter()
        .map(|kind| {
            let by_status = f.referrals_out.get(kind);
            let count =
                |s: &OutboundReferralStatus| by_status.and_then(|m| m.get(s)).copied().unwrap_or(0);
            let mut cells = vec![Raw::Count(statuses.iter().map(count).sum())];
            cells.extend(statuses.iter().map(|s| Raw::Count(count(s))));
            (kind.label(lang).to_owned(), false, cells)
        })
        .collect();
    let mut columns = vec![t(lang, "Gesamt", "Total")];
    columns.extend(statuses.iter().map(|s| s.label(lang).to_owned()));
    table(
        "referrals_out",
        t(lang, "Weitervermittlungen", "Referrals out"),
        t(
            lang,
            "Vermittlungen an Fachdienste im Zeitraum nach Art des Dienstes und heutigem Stand.",
            "Referrals to specialist services made in the period, by kind of service and \
             current status.",
        ),
        t(lang, "Art des Dienstes", "Kind of service"),
        columns,
        rows,
        Some(Chart {
            kind: ChartKind::Bars,
            series: vec![0],
        }),
        Groups::RowsToFirst,
        d,
    )
}

fn attendance_table(f: &Figures, lang: Lang, d: Disclosure) -> StatTable {
    let rows = GroupSessionKind::ALL
        .iter()
        .map(|kind| {
            let a = f.attendance.get(kind).copied().unwrap_or_default();
            (
                kind.label(lang).to_owned(),
                false,
                vec![
                    Raw::Count(a.present),
                    Raw::Count(a.absent),
                    Raw::Count(a.participants),
                ],
            )
        })
        .collect();
    table(
        "attendance",
        t(lang, "Phase 2: Anwesenheit", "Phase 2: attendance"),
        t(
            lang,
            "Anwesenheit bei Gruppenterminen im Zeitraum nach Art des Termins: Einträge \
             „anwesend“ und „nicht anwesend“ und Teilnehmende, die mindestens einmal da waren.",
            "Attendance at group sessions in the period by kind of session: records \"present\" \
             and \"absent\", and participants present at least once.",
        ),
        t(lang, "Art des Termins", "Kind of session"),
        vec![
            t(lang, "anwesend", "Present"),
            t(lang, "nicht anwesend", "Absent"),
            t(lang, "Teilnehmende", "Participants"),
        ],
        rows,
        Some(Chart {
            kind: ChartKind::Bars,
            series: vec![0, 1],
        }),
        Groups::None,
        d,
    )
}

fn teams_table(
    report: &StatisticsReport,
    lang: Lang,
    team_name: &dyn Fn(Option<TeamId>) -> String,
    d: Disclosure,
) -> StatTable {
    let rows = report
        .by_team
        .iter()
        .map(|(team, f)| {
            (
                team_name(*team),
                false,
                vec![
                    Raw::Count(f.referrals),
                    Raw::Count(f.reached),
                    Raw::Count(f.enrolled),
                    Raw::Count(f.enrolments),
                    Raw::Count(f.exits),
                ],
            )
        })
        .collect();
    table(
        "teams",
        t(lang, "Nach Team", "By team"),
        t(
            lang,
            "Die Zahlen des ganzen Zeitraums je Team (nach dem heutigen Team des Falls).",
            "The figures of the whole period per team (by the case's current team).",
        ),
        t(lang, "Team", "Team"),
        vec![
            t(lang, "Zuweisungen", "Referrals"),
            t(lang, "erreicht", "Reached"),
            t(lang, "aufgenommen", "Enrolled"),
            t(lang, "Aufnahmen", "Enrolments"),
            t(lang, "Austritte", "Exits"),
        ],
        rows,
        Some(Chart {
            kind: ChartKind::Bars,
            series: vec![0],
        }),
        Groups::ColumnsShownElsewhere,
        d,
    )
}

/// Which cells of a table add up to a total that is shown: one withheld cell alone in such
/// a group could be worked out.
#[derive(Clone, Copy)]
enum Groups {
    /// Each column over the rows that are not totals (the total row holds their sum).
    Columns,
    /// Each column over every row (their sums are shown in another table).
    ColumnsShownElsewhere,
    /// Each row: the cells after the first add up to the first.
    RowsToFirst,
    /// None.
    None,
}

/// A table from raw cells, with small counts withheld for [`Disclosure::Published`].
#[allow(clippy::too_many_arguments)] // the parts of one table, named at each call
fn table(
    key: &'static str,
    title: String,
    description: String,
    row_header: String,
    columns: Vec<String>,
    rows: Vec<(String, bool, Vec<Raw>)>,
    chart: Option<Chart>,
    groups: Groups,
    disclosure: Disclosure,
) -> StatTable {
    let small = |n: u64| (1..SUPPRESS_BELOW).contains(&n);
    #[allow(clippy::cast_precision_loss)] // counts are far below 2^52
    let cell = |raw: Raw| -> Cell {
        let withhold = disclosure == Disclosure::Published
            && match raw {
                Raw::Count(n) => small(n),
                Raw::Percent { part, of, .. } => small(part) || small(of),
                Raw::Days { over, .. } => small(over),
            };
        if withhold {
            return match raw {
                Raw::Count(_) => Cell::Count {
                    value: Shown::Suppressed,
                },
                Raw::Percent { .. } => Cell::Percent {
                    value: Shown::Suppressed,
                },
                Raw::Days { .. } => Cell::Days {
                    value: Shown::Suppressed,
                },
            };
        }
        match raw {
            Raw::Count(n) => Cell::count(n),
            Raw::Percent { of: 0, .. } => Cell::Percent {
                value: Shown::Empty,
            },
            Raw::Percent { part, of, .. } => Cell::Percent {
                value: Shown::Value(part as f64 * 100.0 / of as f64),
            },
            Raw::Days { value, .. } => Cell::Days {
                value: value.map_or(Shown::Empty, Shown::Value),
            },
        }
    };
    // Which counts each share is taken of: a share of a withheld count is withheld too.
    let shares: Vec<Vec<(usize, usize, usize)>> = rows
        .iter()
        .map(|(_, _, raws)| {
            raws.iter()
                .enumerate()
                .filter_map(|(c, raw)| match *raw {
                    Raw::Percent {
                        part_column,
                        of_column,
                        ..
                    } => Some((c, part_column, of_column)),
                    _ => None,
                })
                .collect()
        })
        .collect();
    let mut table = StatTable {
        key,
        title,
        description,
        row_header,
        columns,
        rows: rows
            .into_iter()
            .map(|(label, total, raws)| StatRow {
                label,
                total,
                cells: raws.into_iter().map(cell).collect(),
            })
            .collect(),
        chart,
    };
    if disclosure == Disclosure::Published {
        protect_groups(&mut table, groups);
        for (row, shares) in table.rows.iter_mut().zip(shares) {
            for (c, part, of) in shares {
                let gives_away = row.cells[part].is_suppressed() || row.cells[of].is_suppressed();
                if gives_away && !row.cells[c].is_suppressed() {
                    row.cells[c] = Cell::Percent {
                        value: Shown::Concealed,
                    };
                }
            }
        }
    }
    table
}

/// The groups of cells (row, column) of `table` that add up to a shown total.
fn groups_of(table: &StatTable, groups: Groups) -> Vec<Vec<(usize, usize)>> {
    let width = table.columns.len();
    let total_shown = |col: usize| {
        table
            .rows
            .iter()
            .find(|r| r.total)
            .is_some_and(|r| !r.cells[col].is_suppressed())
    };
    match groups {
        Groups::None => Vec::new(),
        Groups::Columns => (0..width)
            .filter(|c| total_shown(*c))
            .map(|c| {
                (0..table.rows.len())
                    .filter(|r| !table.rows[*r].total)
                    .map(|r| (r, c))
                    .collect()
            })
            .collect(),
        Groups::ColumnsShownElsewhere => (0..width)
            .map(|c| (0..table.rows.len()).map(|r| (r, c)).collect())
            .collect(),
        Groups::RowsToFirst => (0..table.rows.len())
            .filter(|r| !table.rows[*r].cells[0].is_suppressed())
            .map(|r| (1..width).map(|c| (r, c)).collect())
            .collect(),
    }
}

/// Where exactly one count of a group is withheld, withholds the smallest other non-zero
/// count of the group too, until no group has a single withheld count.
fn protect_groups(table: &mut StatTable, groups: Groups) {
    loop {
        let mut changed = false;
        for group in groups_of(table, groups) {
            let counts: Vec<(usize, usize)> = group
                .into_iter()
                .filter(|(r, c)| matches!(table.rows[*r].cells[*c], Cell::Count { .. }))
                .collect();
            let withheld = counts
                .iter()
                .filter(|(r, c)| table.rows[*r].cells[*c].is_suppressed())
                .count();
            if withheld != 1 {
                continue;
            }
            let next = counts
                .iter()
                .filter_map(|&(r, c)| match table.rows[r].cells[c] {
                    Cell::Count {
                        value: Shown::Value(n),
                    } if n > 0 => Some((n, r, c)),
                    _ => None,
                })
                .min();
            if let Some((_, r, c)) = next {
                table.rows[r].cells[c] = Cell::Count {
                    value: Shown::Concealed,
                };
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}
