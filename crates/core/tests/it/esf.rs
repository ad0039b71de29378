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
        rural_area: None,
    }
}

#[test]
fn entries_and_exits_of_a_period() {
    let mut enrolled = World::enrolled(); // entered 10 March 2026, female, born 1984
    enrolled.ok(Command::RecordEsfEntry {
        record: EsfEntryRecord {
            rural_area: Some(true),
            ..entry(EmploymentStatus::Unemployed)
        },
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
    assert_eq!(
        q1.entries.eeco17_rural.total, 1,
        "the entry data say rural area"
    );
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
    let expected: Vec<String> = (1..=17)
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
        &mut e.eeco01_participants,
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
        &mut e.eeco17_rural,
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
    assert_eq!(totals, (1..=27).collect::<Vec<u64>>());
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

mod drill_down {
    //! A hand-made table of participants with known answers, the drill-down behind every
    //! figure, and the sums every breakdown keeps.
    use proptest::prelude::*;
    use wegbereiter_core::esf::{
        ByGender, EsfCount, EsfParticipant, EsfScope, GenderColumn, esf_members, participant_number,
    };
    use wegbereiter_core::prelude::*;
    use wegbereiter_core::vocab::Labelled;

    use chrono::NaiveDate;

    use super::entry;
    use crate::support::d;

    fn id(n: u128) -> CaseId {
        CaseId::from_uuid(uuid::Uuid::from_u128(n))
    }

    fn record_of(case: CaseId, participant: EsfParticipant) -> EsfRecord {
        EsfRecord {
            case,
            team: None,
            key_worker: None,
            participant,
        }
    }

    fn p(
        gender: Option<Gender>,
        born: Option<NaiveDate>,
        entered: NaiveDate,
        data: Option<EsfEntryRecord>,
        closure: Option<(NaiveDate, ExitReason, Option<ImmediateResult>)>,
    ) -> EsfParticipant {
        EsfParticipant {
            gender,
            date_of_birth: born,
            entered_on: entered,
            entry: data,
            closure: closure.map(|(closed_on, reason, immediate_result)| Closure {
                closed_on,
                reason,
                immediate_result,
            }),
        }
    }

    /// Twelve participants of the first quarter of 2027, each with the figures it must be
    /// counted in.
    fn table() -> Vec<(CaseId, EsfParticipant, &'static [EsfCount])> {
        use EsfCount::*;
        let q_start = d(2027, 1, 1);
        let last = d(2027, 3, 31);
        let un = Some(entry(EmploymentStatus::Unemployed)); // long-term, ISCED 0–2, third country, foreign background
        let mut inactive = entry(EmploymentStatus::Inactive);
        inactive.long_term_unemployed = false;
        inactive.education = IscedBand::Isced3To4;
        inactive.citizenship = Citizenship::German;
        inactive.foreign_background = None; // keine Angabe
        inactive.disability = Some(true);
        inactive.minority = Some(true);
        inactive.homeless = true;
        let mut employed = entry(EmploymentStatus::Employed);
        employed.long_term_unemployed = false;
        employed.education = IscedBand::Isced5To8;
        employed.citizenship = Citizenship::Eu;
        employed.foreign_background = Some(false);
        let rows: Vec<(EsfParticipant, &'static [EsfCount])> = vec![
            // The 18th birthday on the day of entry: 18, not below 18.
            (
                p(
                    Some(Gender::Female),
                    Some(d(2009, 2, 2)),
                    d(2027, 2, 2),
                    un.clone(),
                    None,
                ),
                &[
                    Entries, Eeco07, Eeco01, Eeco02, Eeco03, Eeco09, Eeco13, Eeco14,
                ],
            ),
            // The day before the 18th birthday: below 18.
            (
                p(
                    Some(Gender::Male),
                    Some(d(2009, 2, 3)),
                    d(2027, 2, 2),
                    un.clone(),
                    None,
                ),
                &[
                    Entries, Eeco06, Eeco01, Eeco02, Eeco03, Eeco09, Eeco13, Eeco14,
                ],
            ),
            // The 55th birthday on the day of entry: 55 and over.
            (
                p(
                    Some(Gender::NonBinary),
                    Some(d(1972, 1, 15)),
                    d(2027, 1, 15),
                    Some(inactive.clone()),
                    None,
                ),
                &[
                    Entries, Eeco08, Eeco01, Eeco04, Eeco10, Eeco12, Eeco15, Eeco16,
                ],
            ),
            // One day short of 55, 30 years old: no age band.
            (
                p(
                    Some(Gender::Female),
                    Some(d(1972, 1, 16)),
                    d(2027, 1, 15),
                    Some(employed.clone()),
                    None,
                ),
                &[Entries, Eeco01, Eeco05, Eeco11],
            ),
            // Gender and birth date not recorded, no entry data yet.
            (
                p(None, None, q_start, None, None),
                &[Entries, EntryDataMissing],
            ),
            // Entered before the quarter, left on its last day, regularly, employed.
            (
                p(
                    Some(Gender::Male),
                    Some(d(1990, 5, 5)),
                    d(2026, 10, 1),
                    Some(employed.clone()),
                    Some((
                        last,
                        ExitReason::RegularEnd,
                        Some(ImmediateResult::Employed),
                    )),
                ),
                &[Exits, Regular, Eecr04],
            ),
            // Left the day after the quarter: counts nowhere.
            (
                p(
                    Some(Gender::Male),
                    None,
                    d(2026, 10, 1),
                    None,
                    Some((d(2027, 4, 1), ExitReason::Health, None)),
                ),
                &[],
            ),
            // Entered and left within the quarter, early, result not yet recorded.
            (
                p(
                    Some(Gender::NonBinary),
                    Some(d(2000, 6, 1)),
                    d(2027, 1, 4),
                    un.clone(),
                    Some((d(2027, 3, 1), ExitReason::ClientEnded, None)),
                ),
                &[
                    Entries,
                    Eeco07,
                    Eeco01,
                    Eeco02,
                    Eeco03,
                    Eeco09,
                    Eeco13,
                    Eeco14,
                    Exits,
                    Early,
                    ResultMissing,
                ],
            ),
            // Left into education (an early exit: the period did not end); "none of these" counts
            // in no result.
            (
                p(
                    Some(Gender::Female),
                    None,
                    d(2026, 11, 1),
                    None,
                    Some((
                        d(2027, 2, 1),
                        ExitReason::TrainingOrEducation,
                        Some(ImmediateResult::InEducation),
                    )),
                ),
                &[Exits, Early, Eecr02],
            ),
            (
                p(
                    Some(Gender::Female),
                    None,
                    d(2026, 11, 1),
                    None,
                    Some((
                        d(2027, 2, 1),
                        ExitReason::MovedAway,
                        Some(ImmediateResult::None),
                    )),
                ),
                &[Exits, Early],
            ),
            (
                p(
                    Some(Gender::Male),
                    None,
                    d(2026, 11, 1),
                    None,
                    Some((
                        d(2027, 2, 1),
                        ExitReason::GoalsAchieved,
                        Some(ImmediateResult::JobSeeking),
                    )),
                ),
                &[Exits, Regular, Eecr01],
            ),
            // Entered after the quarter.
            (p(Some(Gender::Female), None, d(2027, 4, 1), un, None), &[]),
        ];
        (1..)
            .zip(rows)
            .map(|(n, (participant, counts))| (id(n), participant, counts))
            .collect()
    }

    #[test]
    fn each_participant_counts_in_exactly_its_figures() {
        let (from, to) = (d(2027, 1, 1), d(2027, 3, 31));
        for (i, (_, participant, expected)) in table().iter().enumerate() {
            let mut got = participant.counted_in(from, to);
            got.sort();
            let mut want = expected.to_vec();
            want.sort();
            assert_eq!(got, want, "participant {i}");
        }
    }

    #[test]
    fn every_figure_drills_down_to_the_participants_it_counts() {
        let (from, to) = (d(2027, 1, 1), d(2027, 3, 31));
        let rows = table();
        let records: Vec<EsfRecord> = rows
            .iter()
            .map(|(id, p, _)| record_of(*id, p.clone()))
            .collect();
        let report = esf_report_of_records(&records, from, to);
        for &count in EsfCount::ALL {
            let expected: Vec<CaseId> = rows
                .iter()
                .filter(|(_, _, counts)| counts.contains(&count))
                .map(|(id, _, _)| *id)
                .collect();
            let members: Vec<CaseId> = esf_members(&records, from, to, count, GenderColumn::Total)
                .iter()
                .map(|r| r.case)
                .collect();
            assert_eq!(members, expected, "{count}");
            assert_eq!(report.get(count).total, expected.len() as u64, "{count}");
        }
        assert_eq!(report.entries.participants.total, 6);
        assert_eq!(report.entries.eeco01_participants.total, 5);
        assert_eq!(report.entries.eeco07_18_to_29.female, 1, "18 on the day");
        assert_eq!(
            report.entries.eeco08_55_and_over.non_binary, 1,
            "55 on the day"
        );
        assert_eq!(report.entries.participants.unknown, 1);
        assert_eq!(report.exits.participants.total, 5);
        assert_eq!(report.exits.eecr04_employed.male, 1, "left on the last day");
        // The participant number is pseudonymous: the case number, never a name.
        let (id, _, _) = &rows[0];
        assert_eq!(participant_number(*id), format!("TN-{}", id.case_number()));
        assert_eq!(records[0].participant_number(), participant_number(*id));
    }

    #[test]
    fn a_figure_is_named_by_its_key_or_its_code() {
        assert_eq!(EsfCount::parse("EECO02"), Some(EsfCount::Eeco02));
        assert_eq!(EsfCount::parse("eecr04"), Some(EsfCount::Eecr04));
        assert_eq!(
            EsfCount::parse("entry_data_missing"),
            Some(EsfCount::EntryDataMissing)
        );
        assert_eq!(EsfCount::parse("EECO99"), None);
        for &count in EsfCount::ALL {
            assert_eq!(EsfCount::parse(count.key()), Some(count));
            if let Some(code) = count.code() {
                assert_eq!(EsfCount::parse(code), Some(count));
            }
        }
    }

    #[test]
    fn a_case_without_a_team_counts_for_the_whole_project_only() {
        let team = TeamId::from_uuid(uuid::Uuid::from_u128(1));
        assert!(EsfScope::All.covers(None));
        assert!(EsfScope::All.covers(Some(team)));
        assert!(EsfScope::Team(team).covers(Some(team)));
        assert!(!EsfScope::Team(team).covers(None));
        assert!(!EsfScope::Team(team).covers(Some(TeamId::from_uuid(uuid::Uuid::from_u128(2)))));
    }

    fn gender() -> impl Strategy<Value = Option<Gender>> {
        prop_oneof![
            Just(None),
            Just(Some(Gender::Female)),
            Just(Some(Gender::Male)),
            Just(Some(Gender::NonBinary)),
        ]
    }

    fn day() -> impl Strategy<Value = NaiveDate> {
        (0u64..800).prop_map(|n| d(2026, 1, 1) + chrono::Days::new(n))
    }

    fn record() -> impl Strategy<Value = Option<EsfEntryRecord>> {
        let status = prop_oneof![
            Just(EmploymentStatus::Unemployed),
            Just(EmploymentStatus::Inactive),
            Just(EmploymentStatus::Employed),
        ];
        let band = prop_oneof![
            Just(IscedBand::Isced0To2),
            Just(IscedBand::Isced3To4),
            Just(IscedBand::Isced5To8),
        ];
        let flag = prop_oneof![Just(None), Just(Some(true)), Just(Some(false))];
        let citizenship = prop_oneof![
            Just(Citizenship::German),
            Just(Citizenship::Eu),
            Just(Citizenship::ThirdCountry),
            Just(Citizenship::Stateless),
        ];
        proptest::option::of(
            (
                status,
                any::<bool>(),
                band,
                flag.clone(),
                citizenship,
                flag.clone(),
                flag.clone(),
                any::<bool>(),
                flag,
            )
                .prop_map(
                    |(
                        employment_status,
                        long_term_unemployed,
                        education,
                        disability,
                        citizenship,
                        foreign_background,
                        minority,
                        homeless,
                        rural_area,
                    )| {
                        EsfEntryRecord {
                            employment_status,
                            long_term_unemployed,
                            education,
                            disability,
                            citizenship,
                            foreign_background,
                            minority,
                            homeless,
                            rural_area,
                        }
                    },
                ),
        )
    }

    fn participant() -> impl Strategy<Value = EsfParticipant> {
        let reason = prop_oneof![
            Just(ExitReason::RegularEnd),
            Just(ExitReason::Health),
            Just(ExitReason::Employment)
        ];
        let result = proptest::option::of(prop_oneof![
            Just(ImmediateResult::JobSeeking),
            Just(ImmediateResult::InEducation),
            Just(ImmediateResult::Qualification),
            Just(ImmediateResult::Employed),
            Just(ImmediateResult::None),
        ]);
        (
            gender(),
            proptest::option::of((0u64..30_000).prop_map(|n| d(1950, 1, 1) + chrono::Days::new(n))),
            day(),
            record(),
            proptest::option::of((0u64..400, reason, result)),
        )
            .prop_map(|(gender, born, entered, data, exit)| EsfParticipant {
                gender,
                date_of_birth: born,
                entered_on: entered,
                entry: data,
                closure: exit.map(|(after, reason, immediate_result)| Closure {
                    closed_on: entered + chrono::Days::new(after),
                    reason,
                    immediate_result,
                }),
            })
    }

    fn sum(parts: &[ByGender]) -> u64 {
        parts.iter().map(|g| g.total).sum()
    }

    proptest! {
        /// Every breakdown sums to its total, the totals keep Annex I's arithmetic, and the
        /// drill-down of every figure in every column is as long as the figure.
        #[test]
        fn breakdowns_sum_and_drill_downs_match(
            people in proptest::collection::vec(participant(), 0..40),
            start in day(),
            days in 0u64..400,
        ) {
            let (from, to) = (start, start + chrono::Days::new(days));
            let rows: Vec<EsfRecord> =
                (1..).zip(people).map(|(n, p)| record_of(id(n), p)).collect();
            let report = esf_report_of_records(&rows, from, to);
            for line in report.lines(Lang::De) {
                let g = line.counts;
                prop_assert_eq!(g.total, g.female + g.male + g.non_binary + g.unknown);
                for &column in GenderColumn::ALL {
                    let members = esf_members(&rows, from, to, line.count, column);
                    prop_assert_eq!(members.len() as u64, g.get(column));
                }
            }
            let e = &report.entries;
            prop_assert_eq!(e.participants.total, e.eeco01_participants.total + e.entry_data_missing.total);
            prop_assert_eq!(e.eeco01_participants.total, sum(&[e.eeco02_unemployed, e.eeco04_inactive, e.eeco05_employed]));
            prop_assert_eq!(e.eeco01_participants.total, sum(&[e.eeco09_isced_0_2, e.eeco10_isced_3_4, e.eeco11_isced_5_8]));
            prop_assert!(e.eeco03_long_term_unemployed.total <= e.eeco01_participants.total);
            let x = &report.exits;
            prop_assert_eq!(x.participants.total, x.regular.total + x.early.total);
            // The funder export has a row for everybody the report counts, every row as
            // wide as its headings, and no birth date.
            let export = wegbereiter_core::esf::export::funder_export(&rows, &report, Lang::De);
            let counted = rows.iter().filter(|r| !r.participant.counted_in(from, to).is_empty()).count();
            prop_assert_eq!(export.participants.len(), counted);
            for (row, record) in export.participants.iter().zip(rows.iter().filter(|r| !r.participant.counted_in(from, to).is_empty())) {
                prop_assert_eq!(row.len(), export.participant_headings.len());
                prop_assert_eq!(&row[0], &record.participant_number());
                let p = &record.participant;
                if let Some(born) = p.date_of_birth.filter(|b| {
                    *b != p.entered_on && p.closure.as_ref().is_none_or(|c| c.closed_on != *b)
                }) {
                    let birth = born.format("%d.%m.%Y").to_string();
                    prop_assert!(!row.contains(&birth));
                }
            }
            prop_assert_eq!(export.summary.len(), report.lines(Lang::De).len());
            prop_assert!(sum(&[x.eecr01_job_seeking, x.eecr02_in_education, x.eecr03_qualification, x.eecr04_employed, x.result_missing]) <= x.participants.total);
        }
    }
}

#[test]
fn a_team_lead_sees_the_report_of_the_project_or_of_one_of_their_teams() {
    use wegbereiter_core::access::can_see_esf_report_for;
    let own = TeamId::from_uuid(uuid::Uuid::from_u128(900));
    let other = TeamId::from_uuid(uuid::Uuid::from_u128(901));
    let lead = actor(1, &[Role::TeamLead]);
    assert!(can_see_esf_report_for(&lead, &EsfScope::All));
    assert!(can_see_esf_report_for(&lead, &EsfScope::Team(own)));
    assert!(!can_see_esf_report_for(&lead, &EsfScope::Team(other)));
    for role in [
        Role::KeyWorker,
        Role::Administrator,
        Role::DataProtectionOfficer,
    ] {
        let someone = actor(2, &[role]);
        assert!(!can_see_esf_report_for(&someone, &EsfScope::All), "{role}");
        assert!(
            !can_see_esf_report_for(&someone, &EsfScope::Team(own)),
            "{role}"
        );
    }
    let mut former = lead;
    former.active = false;
    assert!(!can_see_esf_report_for(&former, &EsfScope::All));
}

#[test]
fn a_drill_down_opens_only_the_cases_its_reader_may_open() {
    use wegbereiter_core::access::{can_view_case, may_open_case_of};
    let w = World::enrolled();
    let summary = w.case().summary();
    let others = [
        w.lead.clone(),
        w.key_worker.clone(),
        w.psychologist.clone(),
        w.admin.clone(),
        actor(78, &[Role::KeyWorker]),
    ];
    for who in &others {
        assert_eq!(
            may_open_case_of(who, summary.team, summary.key_worker),
            can_view_case(who, &summary),
            "{:?}",
            who.roles
        );
    }
    let stranger = Actor {
        teams: vec![],
        ..actor(79, &[Role::TeamLead])
    };
    assert!(!may_open_case_of(
        &stranger,
        summary.team,
        summary.key_worker
    ));
}

#[test]
fn the_export_warns_of_participants_who_may_be_the_same_person() {
    use wegbereiter_core::esf::export::{DuplicateKey, possible_duplicates};
    let key = |n: u128, names: &str, postcode: Option<&str>| DuplicateKey {
        case: CaseId::from_uuid(uuid::Uuid::from_u128(n)),
        names: names.to_owned(),
        postcode: postcode.map(str::to_owned),
    };
    let keys = [
        key(5, "muster\u{1f}erika", Some("12345")),
        key(2, "muster\u{1f}erika", Some("12345")),
        key(3, "muster\u{1f}erika", Some("54321")), // elsewhere: another person
        key(4, "beispiel\u{1f}jonas", None),
        key(1, "beispiel\u{1f}jonas", None),
        key(6, "probe\u{1f}ali", Some("12345")),
    ];
    let groups = possible_duplicates(&keys);
    let ids = |ns: &[u128]| -> Vec<CaseId> {
        ns.iter()
            .map(|n| CaseId::from_uuid(uuid::Uuid::from_u128(*n)))
            .collect()
    };
    assert_eq!(groups, vec![ids(&[1, 4]), ids(&[2, 5])]);
    assert!(possible_duplicates(&keys[..1]).is_empty());
}

#[test]
fn the_questionnaire_for_signature_holds_every_item_of_the_export_but_the_number() {
    use wegbereiter_core::esf::EsfRecord;
    use wegbereiter_core::esf::export::{PARTICIPANT_COLUMNS, questionnaire};
    let mut w = World::enrolled();
    w.ok(Command::RecordEsfEntry {
        record: entry(EmploymentStatus::Unemployed),
    });
    let case = w.case();
    let record = EsfRecord::of(case).unwrap();
    assert_eq!(record.participant, EsfParticipant::of(case).unwrap());
    let items = questionnaire(&record, Lang::De);
    assert_eq!(items.len(), PARTICIPANT_COLUMNS.len() - 1);
    assert_eq!(items[0], ("Eintrittsdatum", "10.03.2026".to_owned()));
    assert!(items.contains(&("Erwerbsstatus (EECO02, 04, 05)", "arbeitslos".to_owned())));
    assert!(items.contains(&("Behinderung (EECO12)", "keine Angabe".to_owned())));
    assert!(
        items.contains(&("Austrittsdatum", String::new())),
        "not left yet"
    );
    assert!(!items.iter().any(|(_, v)| v.starts_with("TN-")));
}

#[test]
fn the_printed_questionnaire_has_an_entry_and_an_exit_part_and_names_the_participant() {
    use wegbereiter_core::esf::export::PARTICIPANT_COLUMNS;
    use wegbereiter_core::esf::questionnaire_document;
    use wegbereiter_core::letter::Sender;
    let w = World::closed();
    let case = w.case();
    let doc = questionnaire_document(case, &Sender::default(), d(2026, 5, 6), Lang::De).unwrap();
    assert_eq!(doc.parts.len(), 2);
    let (entry, exit) = (&doc.parts[0], &doc.parts[1]);
    assert_eq!((entry.heading, exit.heading), ("Eintritt", "Austritt"));
    assert_eq!(
        entry.items.len() + exit.items.len(),
        PARTICIPANT_COLUMNS.len() - 1,
        "every item of the export but the participant number"
    );
    assert_eq!(entry.items[0].label, "Eintrittsdatum");
    assert_eq!(exit.items[0].label, "Austrittsdatum");
    assert_eq!(exit.items[0].value, "04.05.2026");
    assert!(
        entry.items.iter().any(|i| i.value == "noch nicht erfasst"),
        "no entry data recorded: said so, never left blank"
    );
    assert!(
        doc.about
            .iter()
            .any(|i| i.value == case.referral.client.full_name())
    );
    assert!(doc.about.iter().any(|i| i.value.starts_with("TN-")));
    assert_eq!(doc.printed, "Gedruckt am 06.05.2026");
    let never = World::in_outreach();
    assert!(
        questionnaire_document(never.case(), &Sender::default(), d(2026, 5, 6), Lang::De).is_none()
    );
}
