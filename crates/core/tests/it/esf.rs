//! ESF Plus indicators: counts by gender, entries and exits in a period, no personal data.

use wegbereiter_core::prelude::*;

use crate::support::*;

fn entry(status: EmploymentStatus) -> EsfEntryRecord {
    EsfEntryRecord {
        employment_status: status,
        long_term_unemployed: true,
        education: IscedBand::Isced0To2,
        disability: None,
        citizenship: Citizenship::ThirdCountry,
        foreign_background: Some(true),
        minority: None,
        homeless: false,
    }
}

#[test]
fn entries_and_exits_of_a_period() {
    let mut enrolled = World::enrolled(); // entered 10 March 2026, female, born 1984
    enrolled.ok(Command::RecordEsfEntry {
        record: entry(EmploymentStatus::Unemployed),
    });
    let mut closed = World::closed(); // entered 10 March, left 4 May 2026
    closed.ok(Command::RecordImmediateResult {
        result: ImmediateResult::Employed,
    });
    let outreach = World::in_outreach();
    let cases = [enrolled.case(), closed.case(), outreach.case()];

    let q1 = esf_report(cases, d(2026, 1, 1), d(2026, 3, 31));
    assert_eq!(
        q1.entries.participants.total, 2,
        "outreach-only contacts are no participants"
    );
    assert_eq!(q1.entries.participants.female, 2);
    assert_eq!(q1.entries.eeco02_unemployed.total, 1);
    assert_eq!(q1.entries.eeco03_long_term_unemployed.total, 1);
    assert_eq!(q1.entries.eeco09_isced_0_2.total, 1);
    assert_eq!(q1.entries.eeco13_third_country.total, 1);
    assert_eq!(q1.entries.eeco14_foreign_background.total, 1);
    assert_eq!(q1.entries.entry_data_missing.total, 1);
    assert_eq!(
        q1.entries.eeco07_18_to_29.total + q1.entries.eeco08_55_and_over.total,
        0
    );
    assert_eq!(q1.exits.participants.total, 0);

    let q2 = esf_report(cases, d(2026, 4, 1), d(2026, 6, 30));
    assert_eq!(q2.entries.participants.total, 0);
    assert_eq!(q2.exits.participants.total, 1);
    assert_eq!(
        q2.exits.regular.total, 1,
        "goals achieved is a regular exit"
    );
    assert_eq!(q2.exits.eecr04_employed.female, 1);

    let json = serde_json::to_string(&q1).unwrap();
    for personal in ["Musterfrau", "Erika", "1984", "Beispielstadt"] {
        assert!(!json.contains(personal), "{personal} in {json}");
    }
}

#[test]
fn a_reopened_case_has_left_only_with_its_latest_closure() {
    let mut w = World::closed(); // entered 10 March, left 4 May 2026
    let lead = w.lead.clone();
    w.on(d(2026, 5, 11));
    w.run_as(&lead, &Command::Reopen { on: d(2026, 5, 11) })
        .unwrap();
    let q2 = (d(2026, 4, 1), d(2026, 6, 30));
    // Open again: the participant has not left; the exit of 4 May no longer counts.
    let open = esf_report([w.case()], q2.0, q2.1);
    assert_eq!(open.exits.participants.total, 0);
    assert_eq!(open.entries.participants.total, 0, "entered in March");
    // Closed again in July: one exit, in the quarter of the latest closure only.
    w.on(d(2026, 7, 6)).ok(Command::Close {
        on: d(2026, 7, 6),
        reason: ExitReason::ClientEnded,
        immediate_result: Some(ImmediateResult::JobSeeking),
    });
    assert_eq!(
        esf_report([w.case()], q2.0, q2.1).exits.participants.total,
        0
    );
    let q3 = esf_report([w.case()], d(2026, 7, 1), d(2026, 9, 30));
    assert_eq!(q3.exits.participants.total, 1);
    assert_eq!(q3.exits.early.total, 1);
    assert_eq!(q3.exits.eecr01_job_seeking.total, 1);
}

#[test]
fn age_bands_use_the_age_on_the_day_of_entry() {
    let mut r = referral(d(2026, 3, 1));
    r.client.date_of_birth = Some(d(1996, 3, 11)); // 29 on 10 March 2026, 30 the day after
    let mut w = World::new();
    w.ok(Command::Refer {
        referral: r,
        team: None,
    });
    w.on(d(2026, 3, 10));
    let cmd = w.enrol_command();
    w.ok(cmd);
    let report = esf_report([w.case()], d(2026, 3, 1), d(2026, 3, 31));
    assert_eq!(report.entries.eeco07_18_to_29.total, 1);
    assert_eq!(report.entries.eeco06_below_18.total, 0);
}

#[test]
fn the_report_reads_as_lines_with_every_indicator_in_the_order_of_annex_i() {
    let report = esf_report(std::iter::empty::<&Case>(), d(2026, 1, 1), d(2026, 12, 31));
    let lines = report.lines(Lang::De);
    let codes: Vec<&str> = lines.iter().filter_map(|l| l.code).collect();
    let expected: Vec<String> = (2..=16)
        .map(|n| format!("EECO{n:02}"))
        .chain((1..=4).map(|n| format!("EECR{n:02}")))
        .collect();
    assert_eq!(codes, expected);
    assert_eq!(lines[0].label, "Eintritte");
    assert!(!lines[0].detail);
    assert_eq!(lines[0].counts, report.entries.participants);
    let exits = lines.iter().position(|l| l.label == "Austritte").unwrap();
    assert!(!lines[exits].detail && exits > 0);
    assert!(lines.iter().filter(|l| !l.detail).count() == 2);
    // English labels for the same lines.
    let en = report.lines(Lang::En);
    assert_eq!(en.len(), lines.len());
    assert_eq!(en[0].label, "Entries");
}

#[test]
fn every_line_shows_the_count_of_its_own_indicator() {
    use wegbereiter_core::esf::ByGender;
    let mut report = esf_report(std::iter::empty::<&Case>(), d(2026, 1, 1), d(2026, 12, 31));
    // A different total in every field, so that a line showing another field's count fails.
    let mut n = 0;
    let mut next = || {
        n += 1;
        ByGender {
            total: n,
            ..ByGender::default()
        }
    };
    let e = &mut report.entries;
    for field in [
        &mut e.participants,
        &mut e.entry_data_missing,
        &mut e.eeco02_unemployed,
        &mut e.eeco03_long_term_unemployed,
        &mut e.eeco04_inactive,
        &mut e.eeco05_employed,
        &mut e.eeco06_below_18,
        &mut e.eeco07_18_to_29,
        &mut e.eeco08_55_and_over,
        &mut e.eeco09_isced_0_2,
        &mut e.eeco10_isced_3_4,
        &mut e.eeco11_isced_5_8,
        &mut e.eeco12_disability,
        &mut e.eeco13_third_country,
        &mut e.eeco14_foreign_background,
        &mut e.eeco15_minority,
        &mut e.eeco16_homeless,
    ] {
        *field = next();
    }
    let x = &mut report.exits;
    for field in [
        &mut x.participants,
        &mut x.regular,
        &mut x.early,
        &mut x.eecr01_job_seeking,
        &mut x.eecr02_in_education,
        &mut x.eecr03_qualification,
        &mut x.eecr04_employed,
        &mut x.result_missing,
    ] {
        *field = next();
    }
    let totals: Vec<u64> = report
        .lines(Lang::De)
        .iter()
        .map(|l| l.counts.total)
        .collect();
    assert_eq!(totals, (1..=25).collect::<Vec<u64>>());
}

#[test]
fn which_cases_can_count_is_known_from_their_list_row() {
    use wegbereiter_core::esf::{check_period, may_count};
    let enrolled = World::enrolled(); // referred 1 March, enrolled 10 March
    let s = enrolled.case().summary();
    assert!(may_count(&s, d(2026, 3, 1), d(2026, 3, 31)));
    assert!(
        !may_count(&s, d(2026, 1, 1), d(2026, 2, 28)),
        "referred after the period"
    );
    let closed = World::closed();
    let ended = closed.case().ended_on.unwrap();
    let s = closed.case().summary();
    assert!(may_count(&s, ended, ended));
    assert!(
        !may_count(&s, ended + chrono::Days::new(1), d(2027, 1, 1)),
        "ended before"
    );
    // Outreach only: never a participant.
    assert!(!may_count(
        &World::in_outreach().case().summary(),
        d(2026, 1, 1),
        d(2026, 12, 31)
    ));
    assert_eq!(
        check_period(d(2026, 2, 1), d(2026, 1, 1)),
        Err(DomainError::InvalidDateRange)
    );
    assert!(check_period(d(2026, 1, 1), d(2026, 1, 1)).is_ok());
}
