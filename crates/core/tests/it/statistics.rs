//! Statistics: what each case contributes, how intervals, cohorts and quartiles count, and
//! that nothing small leaves the team.

use chrono::{NaiveDate, TimeZone, Utc};
use uuid::Uuid;
use wegbereiter_core::esf::EsfScope;
use wegbereiter_core::prelude::*;
use wegbereiter_core::statistics::{
    Cell, Disclosure, Granularity, Shown, StatTable, StatisticsFacts, StatisticsRecord,
    check_request, statistics, tables,
};

use crate::support::*;

fn berlin() -> chrono_tz::Tz {
    chrono_tz::Europe::Berlin
}

fn record(n: u128, team: Option<u128>, facts: StatisticsFacts) -> StatisticsRecord {
    StatisticsRecord {
        case: CaseId::from_uuid(Uuid::from_u128(n)),
        team: team.map(|t| TeamId::from_uuid(Uuid::from_u128(t))),
        facts,
    }
}

fn facts(referred_on: NaiveDate) -> StatisticsFacts {
    StatisticsFacts {
        referred_on,
        first_reached_at: None,
        declined_on: None,
        not_reached_on: None,
        enrolled_on: None,
        extensions: Vec::new(),
        pauses: Vec::new(),
        exits: Vec::new(),
        referrals_out: Vec::new(),
        attendance: Vec::new(),
    }
}

fn name(_: Option<TeamId>) -> String {
    "Team".to_owned()
}

fn table<'a>(tables: &'a [StatTable], key: &str) -> &'a StatTable {
    tables.iter().find(|t| t.key == key).unwrap()
}

fn count(cell: &Cell) -> Option<u64> {
    match cell {
        Cell::Count {
            value: Shown::Value(n),
        } => Some(*n),
        _ => None,
    }
}

#[test]
fn a_case_contributes_its_days_and_kinds() {
    let closed = World::closed(); // referred 1 March, reached and enrolled 10 March, left 4 May
    let f = StatisticsFacts::of(closed.case());
    assert_eq!(f.referred_on, d(2026, 3, 1));
    assert_eq!(f.enrolled_on, Some(d(2026, 3, 10)));
    assert_eq!(f.exits.len(), 1);
    assert_eq!(f.exits[0].reason, ExitReason::GoalsAchieved);
    assert_eq!(f.exits[0].period_days, Some(55));
    assert_eq!(f.last_day(), d(2026, 5, 4));
    let declined = StatisticsFacts::of(World::declined().case());
    assert_eq!(declined.declined_on, Some(d(2026, 3, 9)));
    assert_eq!(declined.enrolled_on, None);
    let json = serde_json::to_string(&f).unwrap();
    for personal in ["Musterfrau", "Erika", "1984", "Beispielstadt"] {
        assert!(!json.contains(personal), "{personal} in {json}");
    }
}

#[test]
fn a_quarter_counts_referrals_reach_enrolment_and_exits() {
    let cases = [
        World::closed(),
        World::declined(),
        World::in_outreach(),
        World::enrolled(),
    ];
    let records: Vec<StatisticsRecord> = cases
        .iter()
        .map(|w| StatisticsRecord {
            case: w.case().id,
            team: w.case().team,
            facts: StatisticsFacts::of(w.case()),
        })
        .collect();
    let r = statistics(
        &records,
        d(2026, 1, 1),
        d(2026, 6, 30),
        EsfScope::All,
        Granularity::Quarter,
        &berlin(),
    );
    let keys: Vec<String> = r.intervals.iter().map(|(i, _)| i.key()).collect();
    assert_eq!(keys, ["2026-Q1", "2026-Q2"]);
    let (q1, q2) = (&r.intervals[0].1, &r.intervals[1].1);
    assert_eq!(q1.referrals, 4);
    assert_eq!(q1.reached, 3, "a decline is reached; outreach alone is not");
    assert_eq!(q1.enrolled, 2);
    assert_eq!(q1.enrolments, 2);
    assert_eq!(q1.declined, 1);
    assert_eq!(q1.days_to_enrolment.median, Some(9.0));
    assert_eq!(q1.days_to_first_contact.median, Some(9.0));
    assert_eq!(q2.referrals, 0);
    assert_eq!(q2.exits, 1);
    assert_eq!(q2.exit_reasons.get(&ExitReason::GoalsAchieved), Some(&1));
    assert_eq!(q2.destination_missing, 1);
    assert_eq!(r.total.referrals, 4);
    assert_eq!(r.total.exits, 1);
}

#[test]
fn a_cohort_is_followed_to_the_end_of_the_period_only() {
    let mut late = facts(d(2026, 1, 20));
    late.enrolled_on = Some(d(2026, 4, 2));
    let records = [record(1, None, late)];
    let q1 = statistics(
        &records,
        d(2026, 1, 1),
        d(2026, 3, 31),
        EsfScope::All,
        Granularity::Month,
        &berlin(),
    );
    assert_eq!(q1.total.referrals, 1);
    assert_eq!(q1.total.enrolled, 0, "enrolled after the period ends");
    let h1 = statistics(
        &records,
        d(2026, 1, 1),
        d(2026, 6, 30),
        EsfScope::All,
        Granularity::Month,
        &berlin(),
    );
    assert_eq!(h1.total.enrolled, 1);
    assert_eq!(
        h1.intervals[0].1.enrolled, 1,
        "counted in the referral's month"
    );
    assert_eq!(h1.intervals[3].1.enrolments, 1, "the enrolment in April's");
}

#[test]
fn a_contact_attempt_counts_on_its_local_day() {
    // 22:30 UTC on 31 March is 00:30 on 1 April in Berlin (summer time).
    let mut f = facts(d(2026, 3, 20));
    f.first_reached_at = Some(Utc.with_ymd_and_hms(2026, 3, 31, 22, 30, 0).unwrap());
    assert!(f.last_day() >= d(2026, 4, 1));
    let r = statistics(
        &[record(1, None, f)],
        d(2026, 3, 1),
        d(2026, 3, 31),
        EsfScope::All,
        Granularity::Month,
        &berlin(),
    );
    assert_eq!(r.total.reached, 0, "reached on 1 April, after the period");
}

#[test]
fn one_team_counts_its_own_cases_and_the_project_counts_all() {
    let records = [
        record(1, Some(7), facts(d(2026, 2, 1))),
        record(2, Some(8), facts(d(2026, 2, 2))),
        record(3, None, facts(d(2026, 2, 3))),
    ];
    let team = TeamId::from_uuid(Uuid::from_u128(7));
    let one = statistics(
        &records,
        d(2026, 1, 1),
        d(2026, 12, 31),
        EsfScope::Team(team),
        Granularity::Year,
        &berlin(),
    );
    assert_eq!(one.total.referrals, 1);
    assert!(one.by_team.is_empty());
    let all = statistics(
        &records,
        d(2026, 1, 1),
        d(2026, 12, 31),
        EsfScope::All,
        Granularity::Year,
        &berlin(),
    );
    assert_eq!(all.total.referrals, 3);
    assert_eq!(all.by_team.len(), 3, "two teams and the cases without one");
    assert_eq!(all.by_team[0].0, None);
}

#[test]
fn published_tables_show_no_count_from_one_to_four() {
    // Seven referrals in January, three in February: February's 3 is withheld, and so is
    // January's 7, since the total 10 would give it away.
    let mut records = Vec::new();
    for n in 0..10u128 {
        let day = if n < 7 { d(2026, 1, 5) } else { d(2026, 2, 5) };
        let mut f = facts(day);
        f.enrolled_on = Some(day + chrono::Days::new(3));
        records.push(record(n, None, f));
    }
    let r = statistics(
        &records,
        d(2026, 1, 1),
        d(2026, 2, 28),
        EsfScope::All,
        Granularity::Month,
        &berlin(),
    );
    let internal = tables(&r, Disclosure::Internal, Lang::De, &name);
    let referrals = table(&internal, "referrals");
    assert_eq!(count(&referrals.rows[1].cells[0]), Some(3));
    let published = tables(&r, Disclosure::Published, Lang::De, &name);
    let referrals = table(&published, "referrals");
    assert_eq!(referrals.rows[1].cells[0].text(Lang::De), "< 5");
    assert_eq!(
        referrals.rows[0].cells[0].text(Lang::De),
        "x",
        "the other month would give February away"
    );
    assert_eq!(
        count(&referrals.rows[2].cells[0]),
        Some(10),
        "the total stays"
    );
    assert!(
        referrals.rows[1].cells[8].is_suppressed(),
        "a median over three cases is withheld"
    );
    assert_eq!(referrals.rows[2].cells[8].text(Lang::De), "3");
    for t in &published {
        for row in &t.rows {
            for cell in &row.cells {
                if let Some(n) = count(cell) {
                    assert!(!(1..5).contains(&n), "{} {}: {n}", t.key, row.label);
                }
            }
        }
    }
}

#[test]
fn a_request_of_too_many_months_is_refused() {
    assert!(check_request(d(2017, 1, 1), d(2026, 12, 31), Granularity::Month).is_ok());
    assert_eq!(
        check_request(d(2016, 12, 1), d(2026, 12, 31), Granularity::Month),
        Err(DomainError::TooManyIntervals { max: 120 })
    );
    assert!(check_request(d(1990, 1, 1), d(2026, 12, 31), Granularity::Year).is_ok());
    assert_eq!(
        check_request(d(2026, 2, 1), d(2026, 1, 31), Granularity::Year),
        Err(DomainError::InvalidDateRange)
    );
}

mod properties {
    use proptest::prelude::*;

    use super::*;
    use wegbereiter_core::statistics::ExitFacts;

    fn day() -> impl Strategy<Value = NaiveDate> {
        (0u64..500).prop_map(|n| d(2025, 6, 1) + chrono::Days::new(n))
    }

    fn case_facts() -> impl Strategy<Value = (Option<u128>, StatisticsFacts)> {
        (
            proptest::option::of(0u128..3),
            day(),
            proptest::option::of(0u64..60),
            proptest::option::of(0u64..90),
            proptest::collection::vec(0u64..200, 0..3),
            any::<bool>(),
        )
            .prop_map(|(team, referred_on, reach, enrol, exits, declined)| {
                let mut f = facts(referred_on);
                f.first_reached_at = reach.map(|n| {
                    (referred_on + chrono::Days::new(n))
                        .and_hms_opt(23, 30, 0)
                        .unwrap()
                        .and_utc()
                });
                f.enrolled_on = enrol.map(|n| referred_on + chrono::Days::new(n));
                f.declined_on = (declined && enrol.is_none()).then_some(referred_on);
                let start = f.enrolled_on.unwrap_or(referred_on);
                f.exits = exits
                    .into_iter()
                    .map(|n| ExitFacts {
                        on: start + chrono::Days::new(n),
                        reason: ExitReason::RegularEnd,
                        destination: None,
                        period_days: Some(i64::try_from(n).unwrap()),
                    })
                    .collect();
                (team, f)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Intervals add up to the whole range, teams to the project, a case is read exactly
        /// when it can count, and a published table withholds every small count and never
        /// leaves one withheld count alone in a group whose total is shown.
        #[test]
        fn breakdowns_add_up_and_small_counts_stay_inside(
            cases in proptest::collection::vec(case_facts(), 0..40),
            from in day(),
            len in 0u64..400,
            by in prop_oneof![Just(Granularity::Month), Just(Granularity::Quarter), Just(Granularity::Year)],
        ) {
            let to = from + chrono::Days::new(len);
            let records: Vec<StatisticsRecord> = cases
                .into_iter()
                .enumerate()
                .map(|(i, (team, f))| record(i as u128, team.map(|t| t + 100), f))
                .collect();
            let r = statistics(&records, from, to, EsfScope::All, by, &berlin());
            // Only the cases storage reads (facts spanning a day of the period) can count.
            let read: Vec<StatisticsRecord> = records
                .iter()
                .filter(|x| x.facts.referred_on <= to && x.facts.last_day() >= from)
                .cloned()
                .collect();
            prop_assert_eq!(&statistics(&read, from, to, EsfScope::All, by, &berlin()), &r);
            let sum = |f: fn(&wegbereiter_core::statistics::Figures) -> u64| {
                r.intervals.iter().map(|(_, x)| f(x)).sum::<u64>()
            };
            prop_assert_eq!(sum(|f| f.referrals), r.total.referrals);
            prop_assert_eq!(sum(|f| f.reached), r.total.reached);
            prop_assert_eq!(sum(|f| f.enrolled), r.total.enrolled);
            prop_assert_eq!(sum(|f| f.enrolments), r.total.enrolments);
            prop_assert_eq!(sum(|f| f.exits), r.total.exits);
            prop_assert_eq!(sum(|f| f.declined), r.total.declined);
            let teams: u64 = r.by_team.iter().map(|(_, f)| f.referrals).sum();
            prop_assert_eq!(teams, r.total.referrals);
            prop_assert!(r.total.reached <= r.total.referrals);
            prop_assert_eq!(
                r.total.exit_reasons.values().sum::<u64>(),
                r.total.exits
            );
            for t in tables(&r, Disclosure::Published, Lang::De, &name) {
                for row in &t.rows {
                    for cell in &row.cells {
                        if let Some(n) = count(cell) {
                            prop_assert!(!(1..5).contains(&n), "{} {}: {}", t.key, row.label, n);
                        }
                    }
                }
                if matches!(t.key, "referrals" | "support" | "exit_reasons" | "destinations") {
                    let total = t.rows.iter().find(|r| r.total).unwrap();
                    for c in 0..t.columns.len() {
                        if !matches!(total.cells[c], Cell::Count { .. }) || total.cells[c].is_suppressed() {
                            continue;
                        }
                        let withheld = t
                            .rows
                            .iter()
                            .filter(|r| !r.total && r.cells[c].is_suppressed())
                            .count();
                        prop_assert!(withheld != 1, "{} column {}: one withheld cell alone", t.key, c);
                    }
                }
            }
        }
    }
}
