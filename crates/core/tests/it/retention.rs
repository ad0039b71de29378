//! Retention rules and the retention plan: the plan never erases what a duty keeps, and a
//! history with erased content still replays.

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use wegbereiter_core::prelude::*;
use wegbereiter_core::retention::{
    ErasedEvent, ErasureRefused, RetentionAction, RetentionCategory, RetentionPeriod,
    RetentionRules, Step, esf_duty_holds, on_request, on_restriction_request, permits, plan,
    redaction_of, retention_dates,
};

use crate::support::*;

fn esf_entry() -> EsfEntryRecord {
    EsfEntryRecord {
        employment_status: EmploymentStatus::Unemployed,
        long_term_unemployed: false,
        education: IscedBand::Isced3To4,
        disability: None,
        citizenship: Citizenship::German,
        foreign_background: Some(false),
        minority: None,
        homeless: false,
        rural_area: None,
    }
}

/// A closed case with a goal and a contact, an ESF Plus participant or not.
fn closed_case(esf: bool) -> World {
    let mut w = World::enrolled();
    w.agree_goal(LifeDomain::Housing, "Wohnung halten");
    let contact = w.contact_command("Gespräch über Mietrückstand", NoteCompartment::CaseTeam);
    w.ok(contact);
    if esf {
        w.ok(Command::RecordEsfEntry {
            record: esf_entry(),
        });
    }
    w.on(d(2026, 5, 4)).ok(Command::Close {
        on: d(2026, 5, 4),
        reason: ExitReason::GoalsAchieved,
        immediate_result: None,
    });
    w
}

#[test]
fn defaults_follow_the_domain_rules() {
    let rules = RetentionRules::default();
    let table = rules.table();
    assert_eq!(table.len(), 6);
    let esf = rules.rule(RetentionCategory::EsfEvidence);
    assert!(esf.legal_duty && esf.legal_source.contains("2021/1060"));
    assert_eq!(esf.period, RetentionPeriod::UntilEsfNotice);
    assert_eq!(
        rules.period(RetentionCategory::NeverEnrolledReferral),
        RetentionPeriod::Days(90)
    );
    assert!(
        RetentionRules::check(RetentionCategory::EsfEvidence, RetentionPeriod::Days(1)).is_err()
    );
    assert_eq!(
        RetentionPeriod::parse("24m"),
        Ok(RetentionPeriod::Months(24))
    );
    assert!(RetentionPeriod::parse("soon").is_err());
}

#[test]
fn a_declined_referral_goes_whole_after_its_period() {
    let w = World::declined(); // declined on 9 March 2026
    let rules = RetentionRules::default();
    let p = plan(w.case(), &rules, d(2026, 6, 6));
    assert_eq!(p.steps.len(), 1);
    let s = &p.steps[0];
    assert_eq!(
        (s.category, s.action, s.from, s.due),
        (
            RetentionCategory::NeverEnrolledReferral,
            RetentionAction::EraseCase,
            d(2026, 6, 7),
            false
        )
    );
    assert!(plan(w.case(), &rules, d(2026, 6, 7)).steps[0].due);
}

#[test]
fn an_esf_participant_is_restricted_after_the_content_and_kept_until_the_notice() {
    let w = closed_case(true);
    let mut rules = RetentionRules::default();
    let p = plan(w.case(), &rules, d(2030, 1, 1));
    let actions: Vec<_> = p.steps.iter().map(|s| (s.category, s.action)).collect();
    assert_eq!(
        actions,
        [
            (
                RetentionCategory::JobcenterReports,
                RetentionAction::EraseContent
            ),
            (
                RetentionCategory::CounsellingContent,
                RetentionAction::EraseContent
            ),
            (RetentionCategory::EsfEvidence, RetentionAction::Restrict),
        ]
    );
    assert!(p.steps.iter().all(|s| s.from == d(2028, 5, 4) && s.due));
    assert_eq!(p.kept[0].category, RetentionCategory::EsfEvidence);
    rules.esf_retention_until = Some(d(2033, 12, 31));
    let p = plan(w.case(), &rules, d(2030, 1, 1));
    let last = p.steps.last().unwrap();
    assert_eq!(
        (last.action, last.from, last.due),
        (RetentionAction::EraseCase, d(2034, 1, 1), false)
    );
}

#[test]
fn an_open_case_keeps_everything() {
    let w = World::enrolled();
    assert!(
        plan(w.case(), &RetentionRules::default(), d(2099, 1, 1))
            .steps
            .is_empty()
    );
}

/// What storage does on erasing a category's content, done on the history in memory.
fn erase_content(history: &[RecordedEvent], category: RetentionCategory) -> Vec<RecordedEvent> {
    let mut out = Vec::new();
    let mut erased = Vec::new();
    for e in history {
        let mut e = e.clone();
        if RetentionCategory::of_event(&e.event) == Some(category) {
            erased.push(ErasedEvent {
                sequence: e.sequence,
                tag: e.event.tag().to_owned(),
                hash: "00".into(),
            });
            e.event = CaseEvent::Redacted {
                tag: e.event.tag().to_owned(),
                category,
            };
        }
        out.push(e);
    }
    let last = out.last().unwrap().clone();
    out.push(RecordedEvent {
        sequence: last.sequence + 1,
        event: CaseEvent::ContentErased {
            category,
            basis: "Aufbewahrungsfrist".into(),
            on: d(2028, 5, 4),
            events: erased,
        },
        ..last
    });
    out
}

#[test]
fn a_history_with_erased_content_replays_without_it() {
    let w = closed_case(true);
    let history = erase_content(&w.history, RetentionCategory::CounsellingContent);
    let case = Case::replay(&history).unwrap();
    assert!(case.goals.is_empty() && case.contacts.is_empty());
    assert!(case.esf_entry.is_some() && case.closure.is_some());
    assert_eq!(
        case.consents,
        w.case().consents,
        "consents are ESF evidence"
    );
    let p = plan(&case, &RetentionRules::default(), d(2030, 1, 1));
    assert!(
        !p.steps
            .iter()
            .any(|s| s.category == RetentionCategory::CounsellingContent),
        "done steps are not planned again: {p:?}"
    );
}

fn step(category: RetentionCategory, action: RetentionAction) -> Step {
    Step { category, action }
}

#[test]
fn an_erasure_request_erases_what_no_duty_keeps_and_restricts_the_rest() {
    let rules = RetentionRules::default();
    let today = d(2026, 6, 1);
    // Open: nothing is erased while the work goes on.
    assert_eq!(
        on_request(World::enrolled().case(), &rules, today),
        Err(ErasureRefused::Open)
    );
    // Without ESF data: the whole case.
    let plain = closed_case(false);
    assert_eq!(
        on_request(plain.case(), &rules, today),
        Ok(vec![step(
            RetentionCategory::CounsellingContent,
            RetentionAction::EraseCase
        )])
    );
    // An ESF Plus participant: content erased, the evidence restricted, the case kept.
    let esf = closed_case(true);
    let steps = on_request(esf.case(), &rules, today).unwrap();
    assert_eq!(
        steps,
        vec![
            step(
                RetentionCategory::JobcenterReports,
                RetentionAction::EraseContent
            ),
            step(
                RetentionCategory::CounsellingContent,
                RetentionAction::EraseContent
            ),
            step(RetentionCategory::EsfEvidence, RetentionAction::Restrict),
        ]
    );
    assert_eq!(
        permits(
            esf.case(),
            &rules,
            step(
                RetentionCategory::CounsellingContent,
                RetentionAction::EraseCase
            ),
            today
        ),
        Err(ErasureRefused::DutyKeeps)
    );
    // Once the granting body's date has passed, the whole case may go.
    let after = RetentionRules {
        esf_retention_until: Some(d(2026, 5, 31)),
        ..RetentionRules::default()
    };
    assert_eq!(
        on_request(esf.case(), &after, today).unwrap(),
        vec![step(
            RetentionCategory::CounsellingContent,
            RetentionAction::EraseCase
        )]
    );
    assert_eq!(
        permits(
            esf.case(),
            &rules,
            step(
                RetentionCategory::EsfEvidence,
                RetentionAction::EraseContent
            ),
            today
        ),
        Err(ErasureRefused::NotAContentCategory)
    );
}

#[test]
fn no_step_is_done_twice_and_a_restricted_case_is_seen_by_nobody() {
    let rules = RetentionRules::default();
    let today = d(2026, 6, 1);
    let w = closed_case(true);
    let mut history = erase_content(&w.history, RetentionCategory::CounsellingContent);
    let last = history.last().unwrap().clone();
    history.push(RecordedEvent {
        sequence: last.sequence + 1,
        event: CaseEvent::Restricted {
            category: RetentionCategory::EsfEvidence,
            basis: "Antrag nach Art. 18 DSGVO".into(),
            on: today,
        },
        ..last
    });
    let case = Case::replay(&history).unwrap();
    assert!(case.is_restricted() && case.summary().restricted);
    assert_eq!(
        permits(
            &case,
            &rules,
            step(
                RetentionCategory::CounsellingContent,
                RetentionAction::EraseContent
            ),
            today
        ),
        Err(ErasureRefused::AlreadyDone)
    );
    assert_eq!(
        permits(
            &case,
            &rules,
            step(RetentionCategory::EsfEvidence, RetentionAction::Restrict),
            today
        ),
        Err(ErasureRefused::AlreadyDone)
    );
    assert_eq!(
        on_request(&case, &rules, today).unwrap(),
        vec![step(
            RetentionCategory::JobcenterReports,
            RetentionAction::EraseContent
        )]
    );
    // Nobody working on cases sees it, not even its key worker; no list filter lets it pass.
    let summary = case.summary();
    let key_worker = w.key_worker.clone();
    assert!(!wegbereiter_core::access::can_view_case(
        &key_worker,
        &summary
    ));
    assert!(!CaseFilter::default().matches(&summary));
    let mut open = summary.clone();
    open.restricted = false;
    assert!(wegbereiter_core::access::can_view_case(&key_worker, &open));
    assert!(CaseFilter::default().matches(&open));
}

#[test]
fn a_redaction_keeps_the_tag_and_nothing_of_the_content() {
    let w = closed_case(false);
    let contact = w
        .history
        .iter()
        .find(|e| matches!(e.event, CaseEvent::ContactRecorded { .. }))
        .unwrap();
    let stub = redaction_of(&contact.event, RetentionCategory::CounsellingContent).unwrap();
    let json = serde_json::to_string(&stub).unwrap();
    assert!(json.contains("contact_recorded.v1") && !json.contains("Mietrückstand"));
    assert!(redaction_of(&contact.event, RetentionCategory::JobcenterReports).is_none());
}

#[test]
fn the_export_names_a_retention_date_per_category() {
    let rules = RetentionRules::default();
    let open = retention_dates(World::enrolled().case(), &rules, d(2026, 6, 1));
    assert_eq!(open.len(), 5, "staff accounts are no client data");
    assert!(
        open.iter()
            .all(|r| r.from.is_none() && r.kept_because.is_some())
    );
    let closed = closed_case(true); // closed on 4 May 2026
    let dates = retention_dates(closed.case(), &rules, d(2026, 6, 1));
    let of = |c| dates.iter().find(|r| r.category == c).unwrap();
    assert_eq!(
        of(RetentionCategory::CounsellingContent).from,
        Some(d(2028, 5, 4))
    );
    assert_eq!(
        of(RetentionCategory::JobcenterReports).from,
        Some(d(2028, 5, 4))
    );
    let esf = of(RetentionCategory::EsfEvidence);
    assert_eq!(esf.from, Some(d(2028, 5, 4)), "restricted from then on");
    assert_eq!(esf.period, RetentionPeriod::UntilEsfNotice);
}

fn world(kind: u8) -> World {
    match kind {
        0 => World::declined(),
        1 => World::in_outreach(),
        2 => World::enrolled(),
        3 => closed_case(false),
        _ => closed_case(true),
    }
}

fn period() -> impl Strategy<Value = RetentionPeriod> {
    prop_oneof![
        (0u32..400).prop_map(RetentionPeriod::Days),
        (0u32..120).prop_map(RetentionPeriod::Months),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// A plan never erases what a duty keeps: no whole-case erasure of an ESF Plus
    /// participant while the ESF duty holds, and content erasure never reaches an event that
    /// is ESF evidence.
    #[test]
    fn a_plan_never_erases_what_a_duty_keeps(
        kind in 0u8..5,
        never in period(),
        counselling in period(),
        reports in period(),
        esf_until in proptest::option::of(0u64..6000),
        today in 0u64..8000,
    ) {
        let w = world(kind);
        let base = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let rules = RetentionRules {
            periods: vec![
                (RetentionCategory::NeverEnrolledReferral, never),
                (RetentionCategory::CounsellingContent, counselling),
                (RetentionCategory::JobcenterReports, reports),
            ],
            esf_retention_until: esf_until.map(|n| base + Days::new(n)),
        };
        let today = base + Days::new(today);
        let case = w.case();
        let p = plan(case, &rules, today);
        for s in &p.steps {
            prop_assert_eq!(s.due, s.from <= today);
            match s.action {
                RetentionAction::EraseCase => {
                    prop_assert!(!esf_duty_holds(case, &rules, s.from), "{:?}", s);
                    prop_assert!(case.status.is_ended());
                }
                RetentionAction::EraseContent => {
                    prop_assert_ne!(s.category, RetentionCategory::EsfEvidence);
                    for e in &w.history {
                        if RetentionCategory::of_event(&e.event) == Some(s.category) {
                            let evidence = matches!(
                                e.event,
                                CaseEvent::ReferralReceived { .. }
                                    | CaseEvent::Enrolled { .. }
                                    | CaseEvent::ConsentGiven { .. }
                                    | CaseEvent::ConsentWithdrawn { .. }
                                    | CaseEvent::EsfEntryRecorded { .. }
                                    | CaseEvent::AttendanceRecorded { .. }
                                    | CaseEvent::Closed { .. }
                                    | CaseEvent::ImmediateResultRecorded { .. }
                            );
                            prop_assert!(!evidence, "{}", e.event.tag());
                        }
                    }
                    // The history without that content still replays.
                    let erased = erase_content(&w.history, s.category);
                    prop_assert!(Case::replay(&erased).is_ok());
                }
                RetentionAction::Restrict => {
                    prop_assert_eq!(s.category, RetentionCategory::EsfEvidence);
                }
            }
        }
        if !case.status.is_ended() {
            prop_assert!(p.steps.is_empty());
        }
    }
}

#[test]
fn a_restriction_request_restricts_a_closed_case_once() {
    let rules = RetentionRules::default();
    let today = d(2026, 6, 1);
    assert_eq!(
        on_restriction_request(World::enrolled().case(), &rules, today),
        Err(ErasureRefused::Open)
    );
    let w = closed_case(true);
    assert_eq!(
        on_restriction_request(w.case(), &rules, today),
        Ok(vec![step(
            RetentionCategory::EsfEvidence,
            RetentionAction::Restrict
        )])
    );
    let mut history = w.history.clone();
    let last = history.last().unwrap().clone();
    history.push(RecordedEvent {
        sequence: last.sequence + 1,
        event: CaseEvent::Restricted {
            category: RetentionCategory::EsfEvidence,
            basis: "Antrag nach Art. 18 DSGVO".into(),
            on: today,
        },
        ..last
    });
    let restricted = Case::replay(&history).unwrap();
    assert_eq!(
        on_restriction_request(&restricted, &rules, today),
        Err(ErasureRefused::AlreadyDone)
    );
}

#[test]
fn a_deactivated_staff_account_is_erased_its_period_after_the_deactivation() {
    use wegbereiter_core::retention::{
        StaffAccountFacts, erased_login, permits_staff_erasure, staff_plan,
    };
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let id = StaffId::from_uuid(uuid::Uuid::from_u128(42));
    let gone = StaffAccountFacts {
        staff_id: id,
        active: false,
        deactivated_on: Some(day(2026, 1, 31)),
        erased: false,
    };
    let rules = RetentionRules::default();
    // Twelve calendar months by default.
    let plan = staff_plan(&gone, &rules, day(2027, 1, 30)).unwrap();
    assert_eq!(plan.from, day(2027, 1, 31));
    assert!(!plan.due);
    assert_eq!(
        permits_staff_erasure(&gone, &rules, day(2027, 1, 30)),
        Err(ErasureRefused::NotDue)
    );
    assert!(staff_plan(&gone, &rules, day(2027, 1, 31)).unwrap().due);
    assert_eq!(
        permits_staff_erasure(&gone, &rules, day(2027, 1, 31)),
        Ok(())
    );
    // The installation's period counts.
    let short = RetentionRules {
        periods: vec![(RetentionCategory::StaffAccounts, RetentionPeriod::Days(30))],
        ..RetentionRules::default()
    };
    assert_eq!(
        staff_plan(&gone, &short, day(2026, 3, 1)).unwrap().from,
        day(2026, 3, 2)
    );
    // Active, erased before, or no known deactivation day: nothing planned, refused.
    for (facts, refused) in [
        (
            StaffAccountFacts {
                active: true,
                ..gone.clone()
            },
            ErasureRefused::AccountActive,
        ),
        (
            StaffAccountFacts {
                erased: true,
                ..gone.clone()
            },
            ErasureRefused::AlreadyDone,
        ),
        (
            StaffAccountFacts {
                deactivated_on: None,
                ..gone.clone()
            },
            ErasureRefused::NotDue,
        ),
    ] {
        assert_eq!(
            staff_plan(&facts, &rules, day(2030, 1, 1)),
            None,
            "{facts:?}"
        );
        assert_eq!(
            permits_staff_erasure(&facts, &rules, day(2030, 1, 1)),
            Err(refused)
        );
    }
    let login = erased_login(id);
    assert!(login.starts_with("geloescht-") && login.contains(&id.as_uuid().simple().to_string()));
}
