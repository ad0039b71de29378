//! Statistics for the team lead and the funder, as a pure function of case facts and a
//! reporting period.
//!
//! What a case contributes is [`StatisticsFacts::of`] (days and kinds, never names or
//! contents); storage keeps these facts as a read model, so a report of a year reads the cases
//! active in that year and nothing else. [`statistics`] counts them per interval (month,
//! quarter or year, [`Granularity`]), for the whole range and, for the whole project, per
//! team. [`tables()`] turns a report into the tables every frontend renders (CLI text and JSON,
//! web page with charts, CSV and XLSX), and suppresses small counts in everything meant to
//! leave the team ([`Disclosure::Published`]).
//!
//! The definitions (the user guide repeats them):
//! * a **referral** counts in the interval of its referral date; of those, **reached** are
//!   the clients first reached (a reaching contact attempt, a decline or an enrolment) and
//!   **enrolled** those enrolled, each by the end of the reporting period. The days from
//!   referral to first contact and to enrolment are taken over the same cohort;
//! * an **enrolment**, an **extension** (by the day it was decided), a **pause** (by its first
//!   day), a **decline**, a **"not reached"** and an **exit** count in the interval of their
//!   day; an exit counts every closure, also one a reopening undid;
//! * a **period length** is the days from the start of the key-worker period to the exit, for
//!   the exits of the interval;
//! * a **referral out** counts in the interval it was made, by its service kind and current
//!   status; **attendance** by the day of the group session.

pub mod tables;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::LocalCalendar;
use crate::case::{Case, CaseStatus};
use crate::closure::{ExitReason, ImmediateResult};
use crate::error::DomainError;
use crate::esf::EsfScope;
use crate::handover::{Attendance, GroupSessionKind};
use crate::ids::{CaseId, TeamId};
use crate::services::{OutboundReferralStatus, ServiceKind};
use crate::vocab::vocabulary;

pub use tables::{Cell, Chart, ChartKind, Disclosure, Shown, StatRow, StatTable, tables};

/// An exit (closure) of a case, as statistics see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExitFacts {
    /// The day of exit.
    pub on: NaiveDate,
    /// The exit reason.
    pub reason: ExitReason,
    /// The situation within four weeks (ESF immediate result), if recorded.
    pub destination: Option<ImmediateResult>,
    /// Days from the start of the key-worker period to the exit.
    pub period_days: Option<i64>,
}

/// A referral to a specialist service, as statistics see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralOutFacts {
    /// The day it was made.
    pub on: NaiveDate,
    /// The service kind.
    pub kind: ServiceKind,
    /// Its current status.
    pub status: OutboundReferralStatus,
}

/// One attendance record of a Phase 2 group session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceFacts {
    /// The day of the session.
    pub on: NaiveDate,
    /// The kind of session.
    pub kind: GroupSessionKind,
    /// Whether the participant was present.
    pub present: bool,
}

/// What one case contributes to the statistics: days and kinds only, no names, no contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatisticsFacts {
    /// The referral date.
    pub referred_on: NaiveDate,
    /// When a contact attempt first reached the client, if one did.
    pub first_reached_at: Option<DateTime<Utc>>,
    /// The day the client declined the offer, if they did.
    pub declined_on: Option<NaiveDate>,
    /// The day the case ended as "not reached", if it did and is still so.
    pub not_reached_on: Option<NaiveDate>,
    /// The day of enrolment, if any.
    pub enrolled_on: Option<NaiveDate>,
    /// The days extensions of the key-worker period were decided.
    pub extensions: Vec<NaiveDate>,
    /// The first days of pauses.
    pub pauses: Vec<NaiveDate>,
    /// Every closure, also those a reopening undid, oldest first.
    pub exits: Vec<ExitFacts>,
    /// Referrals out.
    pub referrals_out: Vec<ReferralOutFacts>,
    /// Phase 2 attendance.
    pub attendance: Vec<AttendanceFacts>,
}

impl StatisticsFacts {
    /// The facts of `case`.
    #[must_use]
    pub fn of(case: &Case) -> Self {
        let start = case
            .period
            .as_ref()
            .map(crate::period::KeyWorkerPeriod::start);
        let exit = |c: &crate::closure::Closure| ExitFacts {
            on: c.closed_on,
            reason: c.reason,
            destination: c.immediate_result,
            period_days: start.map(|s| (c.closed_on - s).num_days()),
        };
        Self {
            referred_on: case.referral.referral_date,
            first_reached_at: case
                .attempts
                .iter()
                .filter(|a| a.outcome.reached())
                .map(|a| a.at)
                .min(),
            declined_on: case.declined_on,
            not_reached_on: (case.status == CaseStatus::NotReached)
                .then_some(case.ended_on)
                .flatten(),
            enrolled_on: case.enrolment.as_ref().map(|e| e.on),
            extensions: case
                .period
                .as_ref()
                .map(|p| p.extensions().iter().map(|x| x.decided_on).collect())
                .unwrap_or_default(),
            pauses: case.pauses.iter().map(|p| p.from).collect(),
            exits: case
                .previous_closures
                .iter()
                .chain(case.closure.iter())
                .map(exit)
                .collect(),
            referrals_out: case
                .referrals_out
                .iter()
                .map(|r| ReferralOutFacts {
                    on: r.created_on,
                    kind: r.kind,
                    status: r.status,
                })
                .collect(),
            attendance: case
                .attendance
                .iter()
                .map(|a| AttendanceFacts {
                    on: a.date,
                    kind: a.kind,
                    present: a.attendance == Attendance::Present,
                })
                .collect(),
        }
    }

    /// The last day any of these facts falls on (at least the referral date): a report of a
    /// period that ends before the referral or begins after this day gets nothing from the
    /// case. A contact attempt counts with the day after its UTC day, which is never earlier
    /// than its local day.
    #[must_use]
    pub fn last_day(&self) -> NaiveDate {
        let attempt = self
            .first_reached_at
            .map(|at| at.date_naive().succ_opt().unwrap_or(NaiveDate::MAX));
        [
            Some(self.referred_on),
            attempt,
            self.declined_on,
            self.not_reached_on,
            self.enrolled_on,
        ]
        .into_iter()
        .flatten()
        .chain(self.extensions.iter().copied())
        .chain(self.pauses.iter().copied())
        .chain(self.exits.iter().map(|e| e.on))
        .chain(self.referrals_out.iter().map(|r| r.on))
        .chain(self.attendance.iter().map(|a| a.on))
        .max()
        .unwrap_or(self.referred_on)
    }

    /// Whether the facts can count in a report of `from..=to`: the case was referred by `to`
    /// and has a fact on or after `from` (what storage's read of a period selects).
    #[must_use]
    pub fn spans_a_day_of(&self, from: NaiveDate, to: NaiveDate) -> bool {
        self.referred_on <= to && self.last_day() >= from
    }

    /// The day the client was first reached on `calendar`: the first reaching attempt, the
    /// decline or the enrolment, whichever came first.
    fn first_contact_on(&self, calendar: &dyn LocalCalendar) -> Option<NaiveDate> {
        [
            self.first_reached_at.map(|at| calendar.day_of(at)),
            self.declined_on,
            self.enrolled_on,
        ]
        .into_iter()
        .flatten()
        .min()
    }
}

/// One case's facts with what scopes it: the input of [`statistics`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatisticsRecord {
    /// The case.
    pub case: CaseId,
    /// Its current team, if any.
    pub team: Option<TeamId>,
    /// What it contributes.
    pub facts: StatisticsFacts,
}

vocabulary! {
    /// How a report's range is divided.
    pub enum Granularity {
        /// Calendar months.
        Month = "month", "Monat", "Month";
        /// Calendar quarters.
        Quarter = "quarter", "Quartal", "Quarter";
        /// Calendar years.
        Year = "year", "Jahr", "Year";
    }
}

/// One interval of a report: a calendar month, quarter or year, cut to the report's range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interval {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// The granularity it is of.
    pub granularity: Granularity,
}

impl Interval {
    /// A stable label: `2026-03`, `2026-Q1` or `2026` (of the calendar interval the first
    /// day lies in).
    #[must_use]
    pub fn key(&self) -> String {
        match self.granularity {
            Granularity::Month => format!("{}-{:02}", self.from.year(), self.from.month()),
            Granularity::Quarter => {
                format!("{}-Q{}", self.from.year(), self.from.month0() / 3 + 1)
            }
            Granularity::Year => self.from.year().to_string(),
        }
    }

    fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }
}

/// The first day of the calendar interval of `granularity` that holds `day`.
fn interval_start(day: NaiveDate, granularity: Granularity) -> NaiveDate {
    let month = match granularity {
        Granularity::Month => day.month(),
        Granularity::Quarter => day.month0() / 3 * 3 + 1,
        Granularity::Year => 1,
    };
    NaiveDate::from_ymd_opt(day.year(), month, 1).unwrap_or(day)
}

fn months_of(granularity: Granularity) -> u32 {
    match granularity {
        Granularity::Month => 1,
        Granularity::Quarter => 3,
        Granularity::Year => 12,
    }
}

/// The intervals of `granularity` that cover `from..=to`, in order, the first and last cut
/// to the range; none if `to` is before `from`.
#[must_use]
pub fn intervals(from: NaiveDate, to: NaiveDate, granularity: Granularity) -> Vec<Interval> {
    let mut out = Vec::new();
    if to < from {
        return out;
    }
    let mut start = interval_start(from, granularity);
    while start <= to {
        let Some(next) = start.checked_add_months(Months::new(months_of(granularity))) else {
            break;
        };
        let last = next.pred_opt().unwrap_or(next);
        out.push(Interval {
            from: start.max(from),
            to: last.min(to),
            granularity,
        });
        start = next;
    }
    out
}

/// The most intervals one report shows (ten years of months).
pub const MAX_INTERVALS: usize = 120;

/// Whether `from..=to` divided by `granularity` makes a report: it must not end before it
/// starts, nor hold more than [`MAX_INTERVALS`] intervals.
///
/// # Errors
/// [`DomainError::InvalidDateRange`], [`DomainError::TooManyIntervals`].
pub fn check_request(
    from: NaiveDate,
    to: NaiveDate,
    granularity: Granularity,
) -> Result<(), DomainError> {
    crate::esf::check_period(from, to)?;
    // Whole months from the first interval's start to the month of `to`, in intervals.
    let start = interval_start(from, granularity);
    let months = i64::from(to.year() - start.year()) * 12 + i64::from(to.month0())
        - i64::from(start.month0());
    let count = months / i64::from(months_of(granularity)) + 1;
    if count > MAX_INTERVALS as i64 {
        return Err(DomainError::TooManyIntervals { max: MAX_INTERVALS });
    }
    Ok(())
}

/// What the audit log says of a statistics download (CLI and web alike): range, scope,
/// division and format, never a name (`statistics 2026-01-01..2026-12-31 all quarter xlsx`).
#[must_use]
pub fn audit_subject(
    from: NaiveDate,
    to: NaiveDate,
    scope: EsfScope,
    granularity: Granularity,
    format: &str,
) -> String {
    let scope = match scope {
        EsfScope::All => "all".to_owned(),
        EsfScope::Team(t) => format!("team {t}"),
    };
    format!("statistics {from}..{to} {scope} {granularity} {format}")
}

/// Median and quartiles of a number of days, over `n` values (linear interpolation between
/// closest ranks, as spreadsheets' `QUARTILE.INC`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    /// How many values.
    pub n: u64,
    /// First quartile, if there is a value.
    pub q1: Option<f64>,
    /// Median, if there is a value.
    pub median: Option<f64>,
    /// Third quartile, if there is a value.
    pub q3: Option<f64>,
}

impl Spread {
    /// The spread of `values`.
    #[must_use]
    pub fn of(mut values: Vec<i64>) -> Self {
        values.sort_unstable();
        #[allow(clippy::cast_precision_loss)] // day counts are far below 2^52
        let quantile = |p: f64| -> Option<f64> {
            let last = values.len().checked_sub(1)?;
            let h = last as f64 * p;
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let low = h.floor() as usize;
            let high = (low + 1).min(last);
            let (a, b) = (values[low] as f64, values[high] as f64);
            Some(a + (h - h.floor()) * (b - a))
        };
        Self {
            n: values.len() as u64,
            q1: quantile(0.25),
            median: quantile(0.5),
            q3: quantile(0.75),
        }
    }
}

/// The figures of one interval (or of the whole range, or of one team).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Referrals received.
    pub referrals: u64,
    /// Of those, reached by the end of the reporting period.
    pub reached: u64,
    /// Of those, enrolled by the end of the reporting period.
    pub enrolled: u64,
    /// Days from referral to first contact, over the reached of this cohort.
    pub days_to_first_contact: Spread,
    /// Days from referral to enrolment, over the enrolled of this cohort.
    pub days_to_enrolment: Spread,
    /// Clients who declined the offer.
    pub declined: u64,
    /// Cases ended as not reached.
    pub not_reached: u64,
    /// Enrolments (entries into the key-worker period).
    pub enrolments: u64,
    /// Extensions of key-worker periods decided.
    pub extensions: u64,
    /// Pauses begun.
    pub pauses: u64,
    /// Exits (closures).
    pub exits: u64,
    /// Days from the start of the key-worker period to the exit, over the exits.
    pub period_days: Spread,
    /// Exits by reason.
    pub exit_reasons: BTreeMap<ExitReason, u64>,
    /// Exits by the situation within four weeks (the ESF immediate result).
    pub destinations: BTreeMap<ImmediateResult, u64>,
    /// Exits whose situation within four weeks is not recorded.
    pub destination_missing: u64,
    /// Referrals out by service kind and current status.
    pub referrals_out: BTreeMap<ServiceKind, BTreeMap<OutboundReferralStatus, u64>>,
    /// Phase 2 attendance by kind of session: (present, absent, participants present at
    /// least once).
    pub attendance: BTreeMap<GroupSessionKind, AttendanceCount>,
}

/// Attendance of one kind of group session.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceCount {
    /// Records "present".
    pub present: u64,
    /// Records "absent".
    pub absent: u64,
    /// Participants present at least once.
    pub participants: u64,
}

/// A statistics report: the figures per interval, of the whole range and, for the whole
/// project, per team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatisticsReport {
    /// First day of the range.
    pub from: NaiveDate,
    /// Last day of the range.
    pub to: NaiveDate,
    /// Whose cases.
    pub scope: EsfScope,
    /// How the range is divided.
    pub granularity: Granularity,
    /// The figures of each interval, in order.
    pub intervals: Vec<(Interval, Figures)>,
    /// The figures of the whole range.
    pub total: Figures,
    /// For [`EsfScope::All`]: the figures of the whole range per team (`None`: cases without
    /// a team), in team id order; empty for one team.
    pub by_team: Vec<(Option<TeamId>, Figures)>,
}

/// The statistics of `records` for `from..=to` in `scope`, divided by `granularity`.
/// `calendar` gives the local day of contact attempts. Records outside the scope, or whose
/// facts span no day of the range, count nowhere (and name no team); a case without a team
/// counts only for the whole project.
#[must_use]
pub fn statistics(
    records: &[StatisticsRecord],
    from: NaiveDate,
    to: NaiveDate,
    scope: EsfScope,
    granularity: Granularity,
    calendar: &dyn LocalCalendar,
) -> StatisticsReport {
    let in_scope: Vec<&StatisticsRecord> = records
        .iter()
        .filter(|r| scope.covers(r.team) && r.facts.spans_a_day_of(from, to))
        .collect();
    let whole = Interval {
        from,
        to,
        granularity,
    };
    let intervals = intervals(from, to, granularity)
        .into_iter()
        .map(|i| (i, figures(in_scope.iter().copied(), i, to, calendar)))
        .collect();
    let by_team = match scope {
        EsfScope::Team(_) => Vec::new(),
        EsfScope::All => {
            let teams: BTreeSet<Option<TeamId>> = in_scope.iter().map(|r| r.team).collect();
            teams
                .into_iter()
                .map(|team| {
                    let of_team = in_scope.iter().copied().filter(|r| r.team == team);
                    (team, figures(of_team, whole, to, calendar))
                })
                .collect()
        }
    };
    StatisticsReport {
        from,
        to,
        scope,
        granularity,
        intervals,
        total: figures(in_scope.iter().copied(), whole, to, calendar),
        by_team,
    }
}

/// The figures of `records` in `interval`, cohorts followed until `until`.
fn figures<'a>(
    records: impl Iterator<Item = &'a StatisticsRecord>,
    interval: Interval,
    until: NaiveDate,
    calendar: &dyn LocalCalendar,
) -> Figures {
    let mut f = Figures::default();
    let mut to_contact = Vec::new();
    let mut to_enrolment = Vec::new();
    let mut period_days = Vec::new();
    let mut present: BTreeMap<GroupSessionKind, BTreeSet<CaseId>> = BTreeMap::new();
    let count = |days: &[NaiveDate]| days.iter().filter(|d| interval.contains(**d)).count() as u64;
    for record in records {
        let facts = &record.facts;
        if interval.contains(facts.referred_on) {
            f.referrals += 1;
            if let Some(day) = facts.first_contact_on(calendar).filter(|d| *d <= until) {
                f.reached += 1;
                to_contact.push((day - facts.referred_on).num_days());
            }
            if let Some(day) = facts.enrolled_on.filter(|d| *d <= until) {
                f.enrolled += 1;
                to_enrolment.push((day - facts.referred_on).num_days());
            }
        }
        f.declined += count(facts.declined_on.as_slice());
        f.not_reached += count(facts.not_reached_on.as_slice());
        f.enrolments += count(facts.enrolled_on.as_slice());
        f.extensions += count(&facts.extensions);
        f.pauses += count(&facts.pauses);
        for exit in facts.exits.iter().filter(|e| interval.contains(e.on)) {
            f.exits += 1;
            *f.exit_reasons.entry(exit.reason).or_default() += 1;
            match exit.destination {
                Some(result) => *f.destinations.entry(result).or_default() += 1,
                None => f.destination_missing += 1,
            }
            period_days.extend(exit.period_days);
        }
        for r in facts
            .referrals_out
            .iter()
            .filter(|r| interval.contains(r.on))
        {
            *f.referrals_out
                .entry(r.kind)
                .or_default()
                .entry(r.status)
                .or_default() += 1;
        }
        for a in facts.attendance.iter().filter(|a| interval.contains(a.on)) {
            let entry = f.attendance.entry(a.kind).or_default();
            if a.present {
                entry.present += 1;
                present.entry(a.kind).or_default().insert(record.case);
            } else {
                entry.absent += 1;
            }
        }
    }
    for (kind, cases) in present {
        f.attendance.entry(kind).or_default().participants = cases.len() as u64;
    }
    f.days_to_first_contact = Spread::of(to_contact);
    f.days_to_enrolment = Spread::of(to_enrolment);
    f.period_days = Spread::of(period_days);
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn intervals_cover_the_range_cut_at_both_ends() {
        let months = intervals(d(2026, 1, 15), d(2026, 3, 10), Granularity::Month);
        let keys: Vec<String> = months.iter().map(Interval::key).collect();
        assert_eq!(keys, ["2026-01", "2026-02", "2026-03"]);
        assert_eq!(months[0].from, d(2026, 1, 15));
        assert_eq!(months[1].to, d(2026, 2, 28));
        assert_eq!(months[2].to, d(2026, 3, 10));
        let quarters = intervals(d(2025, 11, 1), d(2026, 4, 1), Granularity::Quarter);
        let keys: Vec<String> = quarters.iter().map(Interval::key).collect();
        assert_eq!(keys, ["2025-Q4", "2026-Q1", "2026-Q2"]);
        assert!(intervals(d(2026, 2, 1), d(2026, 1, 1), Granularity::Year).is_empty());
    }

    #[test]
    fn quartiles_interpolate_between_ranks() {
        let s = Spread::of(vec![7, 1, 3, 5]);
        assert_eq!(s.n, 4);
        assert_eq!(s.median, Some(4.0));
        assert_eq!(s.q1, Some(2.5));
        assert_eq!(s.q3, Some(5.5));
        let one = Spread::of(vec![9]);
        assert_eq!(
            (one.q1, one.median, one.q3),
            (Some(9.0), Some(9.0), Some(9.0))
        );
        assert_eq!(Spread::of(Vec::new()).median, None);
    }
}
