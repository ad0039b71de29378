//! The next steps of a case (`next_steps`), through a whole case: referral → agreement →
//! enrolment → consents → ESF Plus entry data → social history → goals → closure.

use chrono::{Days, Utc};
use wegbereiter_core::case_file::SectionKey;
use wegbereiter_core::closure::{Citizenship, EmploymentStatus, EsfEntryRecord, IscedBand};
use wegbereiter_core::next_steps::{NextStep, next_steps};
use wegbereiter_core::prelude::*;
use wegbereiter_core::social_history::{AccountSource, ActionNeed, DomainAssessment, Priority};

use crate::support::*;

fn steps(w: &World) -> Vec<NextStep> {
    next_steps(w.case(), &w.key_worker, w.today, &Utc, &w.policy).steps
}

#[test]
fn the_next_steps_lead_through_a_whole_case() {
    // Referred: the first outreach step is due at once.
    let mut w = World::referred();
    assert_eq!(
        steps(&w),
        vec![NextStep::ContactAttempt { due: d(2026, 3, 1) }]
    );
    assert_eq!(steps(&w)[0].section(), SectionKey::Attempts);

    // Agreement: enrol, nothing else (no more outreach follow-ups).
    w.on(d(2026, 3, 5)).attempt(AttemptOutcome::Agreed);
    w.on(d(2026, 3, 20));
    assert_eq!(
        steps(&w),
        vec![NextStep::Enrol {
            agreed_on: d(2026, 3, 5)
        }]
    );
    assert_eq!(steps(&w)[0].section(), SectionKey::Enrolment);
    assert!(steps(&w)[0].message(Lang::De).contains("05.03.2026"));

    // Enrolled: the missing consents, the ESF Plus entry data, the social history, a goal.
    w.on(d(2026, 3, 20));
    let cmd = w.enrol_command();
    w.ok(cmd);
    let esf_due = d(2026, 3, 20) + Days::new(u64::from(w.policy.esf_entry_due_days));
    assert_eq!(
        steps(&w),
        vec![
            NextStep::AskConsent {
                purpose: ConsentPurpose::JobcenterParticipation
            },
            NextStep::AskConsent {
                purpose: ConsentPurpose::EsfData
            },
            NextStep::EnterEsfEntry { due: esf_due },
            NextStep::AssessSocialHistory,
            NextStep::AgreeGoal,
        ]
    );
    let sections: Vec<SectionKey> = steps(&w).iter().map(NextStep::section).collect();
    assert_eq!(
        sections,
        vec![
            SectionKey::Consents,
            SectionKey::Consents,
            SectionKey::EsfEntry,
            SectionKey::SocialHistory,
            SectionKey::Goals
        ]
    );

    // Consents given: they are no longer asked. A withdrawn one is not asked again either.
    w.give_consent(ConsentPurpose::JobcenterParticipation);
    let esf = w.give_consent(ConsentPurpose::EsfData);
    w.ok(Command::WithdrawConsent { id: esf, on: None });
    assert!(
        steps(&w)
            .iter()
            .all(|s| !matches!(s, NextStep::AskConsent { .. })),
        "{:?}",
        steps(&w)
    );

    // ESF Plus entry data, social history, a goal.
    w.ok(Command::RecordEsfEntry {
        record: EsfEntryRecord {
            employment_status: EmploymentStatus::Unemployed,
            long_term_unemployed: true,
            education: IscedBand::Isced0To2,
            disability: None,
            citizenship: Citizenship::German,
            foreign_background: None,
            minority: None,
            homeless: false,
            rural_area: None,
        },
    });
    w.ok(Command::AssessDomain {
        domain: LifeDomain::FinancesAndDebt,
        assessment: DomainAssessment {
            own_view: Some(t("Schulden drücken")),
            strengths: None,
            need: ActionNeed::Acute,
            priority: Priority::High,
            source: AccountSource::Own,
        },
    });
    let goal = w.agree_goal(LifeDomain::FinancesAndDebt, "Schuldnerberatung aufsuchen");
    assert_eq!(steps(&w), Vec::<NextStep>::new(), "nothing left on the day");

    // Two weeks later: the goal is due for review, and a contact too; overdue steps first.
    w.on(d(2026, 4, 10));
    let found = steps(&w);
    assert_eq!(
        found[0],
        NextStep::ReviewGoal {
            goal,
            wording: "Schuldnerberatung aufsuchen".to_owned(),
            due: d(2026, 4, 3)
        }
    );
    assert!(found[0].overdue(w.today));
    assert!(
        found
            .iter()
            .any(|s| matches!(s, NextStep::RecordContact { .. }))
    );
    assert_eq!(found[0].section(), SectionKey::Goals);

    // A contact with next steps shows on the overview as the last contact.
    let mut contact = w.contact_command("Notiz", NoteCompartment::CaseTeam);
    if let Command::RecordContact { contact, .. } = &mut contact {
        contact.next_steps = Some(t("Kontoauszüge mitbringen"));
    }
    w.ok(contact);
    let next = next_steps(w.case(), &w.key_worker, w.today, &Utc, &w.policy);
    let last = next.last_contact.expect("a contact");
    assert_eq!(last.date, d(2026, 4, 10));
    assert_eq!(last.next_steps.as_deref(), Some("Kontoauszüge mitbringen"));
    assert!(
        next.steps
            .iter()
            .all(|s| !matches!(s, NextStep::RecordContact { .. }))
    );

    // After the planned end the period is over: extend or close, overdue, first.
    w.on(d(2026, 7, 1));
    let found = steps(&w);
    assert_eq!(
        found[0],
        NextStep::PeriodEnded {
            planned_end: d(2026, 6, 20)
        }
    );
    assert!(found[0].message(Lang::De).contains("abgelaufen"));
    assert!(!found[0].message(Lang::De).contains("naht"));

    // Closed without an immediate result: add it.
    w.ok(Command::Close {
        on: d(2026, 7, 1),
        reason: ExitReason::GoalsAchieved,
        immediate_result: None,
    });
    assert_eq!(steps(&w), vec![NextStep::RecordImmediateResult]);
}

#[test]
fn a_reader_gets_only_the_steps_they_may_take() {
    let w = World::enrolled();
    // The admin works on no case; a job coach of another team may not change it.
    assert!(
        next_steps(w.case(), &w.admin, w.today, &Utc, &w.policy)
            .steps
            .is_empty()
    );
    assert!(!steps(&w).is_empty());
}

#[test]
fn the_last_contacts_next_steps_stay_in_their_compartment() {
    let mut w = World::enrolled();
    let mut c = w.contact_command("Notiz", NoteCompartment::Psychologist);
    if let Command::RecordContact { contact, .. } = &mut c {
        contact.next_steps = Some(t("geheim"));
    }
    let psych = w.psychologist.clone();
    w.run_as(&psych, &c).unwrap();
    let seen = next_steps(w.case(), &w.key_worker, w.today, &Utc, &w.policy);
    let last = seen.last_contact.expect("the contact's day is shown");
    assert_eq!(last.next_steps, None);
}

#[test]
fn every_step_has_words_in_both_languages() {
    let w = World::enrolled();
    for s in next_steps(w.case(), &w.key_worker, d(2026, 9, 1), &Utc, &w.policy).steps {
        assert!(!s.message(Lang::De).is_empty() && !s.message(Lang::En).is_empty());
        assert_ne!(s.message(Lang::De), s.message(Lang::En));
    }
}

#[test]
fn the_key_of_a_step_is_its_serde_tag() {
    let w = World::enrolled();
    for s in next_steps(w.case(), &w.key_worker, d(2026, 9, 1), &Utc, &w.policy).steps {
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["step"], s.key());
    }
}
