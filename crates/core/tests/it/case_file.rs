//! The case-file model: every event type in words, sections in order, what is withheld.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, FixedOffset};
use uuid::Uuid;
use wegbereiter_core::case_file::{
    self, CaseFile, FactKey, Medium, Names, SectionKey, Value, View, WithheldReason,
};
use wegbereiter_core::closure::{Citizenship, EmploymentStatus, EsfEntryRecord, IscedBand};
use wegbereiter_core::handover::AttendanceRecord;
use wegbereiter_core::prelude::*;
use wegbereiter_core::retention::{ErasedEvent, RetentionCategory};

use crate::support::{World, d, noon, t};

/// Every event tag core defines; a new event type is added here and to the describer.
const ALL_TAGS: &[&str] = &[
    "referral_received.v1",
    "team_assigned.v1",
    "visit_announced.v1",
    "contact_attempt_logged.v1",
    "offer_declined.v1",
    "not_reached.v1",
    "enrolled.v1",
    "period_extended.v1",
    "consent_given.v1",
    "consent_withdrawn.v1",
    "domain_assessed.v1",
    "goal_agreed.v1",
    "goal_updated.v1",
    "goal_rated.v1",
    "contact_recorded.v1",
    "referral_out_created.v1",
    "referral_out_status_changed.v1",
    "secrecy_release_recorded.v1",
    "secrecy_release_withdrawn.v1",
    "disclosure_recorded.v1",
    "participation_paused.v1",
    "participation_resumed.v1",
    "handed_over.v1",
    "key_worker_changed.v1",
    "attendance_recorded.v1",
    "esf_entry_recorded.v1",
    "closed.v1",
    "immediate_result_recorded.v1",
    "reopened.v1",
    "redacted.v1",
    "content_erased.v1",
    "restricted.v1",
];

#[derive(Default)]
struct Directory {
    staff: HashMap<StaffId, String>,
    teams: HashMap<TeamId, String>,
    services: HashMap<ServiceId, String>,
}

impl Names for Directory {
    fn staff(&self, id: StaffId) -> Option<String> {
        self.staff.get(&id).cloned()
    }
    fn team(&self, id: TeamId) -> Option<String> {
        self.teams.get(&id).cloned()
    }
    fn service(&self, id: ServiceId) -> Option<String> {
        self.services.get(&id).cloned()
    }
}

fn now(w: &World) -> DateTime<FixedOffset> {
    noon(w.today).fixed_offset()
}

fn view<'a>(w: &World, reader: &'a Actor, lang: Lang, medium: Medium) -> View<'a> {
    View {
        reader,
        lang,
        medium,
        now: now(w),
    }
}

/// A case that went through every step, and its history with every event type.
fn full_world() -> (World, Vec<RecordedEvent>) {
    let mut w = World::enrolled();
    let consent = w.give_consent(ConsentPurpose::JobcenterProgress);
    w.ok(Command::WithdrawConsent {
        id: consent,
        on: None,
    });
    w.ok(Command::AssessDomain {
        domain: LifeDomain::Housing,
        assessment: DomainAssessment {
            own_view: Some(t("Wohnung zu klein")),
            strengths: None,
            need: ActionNeed::Some,
            priority: Priority::High,
            source: AccountSource::Own,
        },
    });
    let goal = w.agree_goal(LifeDomain::Housing, "Wohnung halten");
    w.ok(Command::UpdateGoal {
        id: goal,
        changes: GoalChanges {
            status: Some(GoalStatus::InProgress),
            ..GoalChanges::default()
        },
    });
    let today = w.today;
    w.ok(Command::RateGoal {
        id: goal,
        on: today,
        value: Scale::new(6).unwrap(),
    });
    let team_note = w.contact_command("TEAMNOTIZ", NoteCompartment::CaseTeam);
    w.ok(team_note);
    let psychologist = w.psychologist.clone();
    let psych_note = w.contact_command("PSYCHNOTIZ", NoteCompartment::Psychologist);
    w.run_as(&psychologist, &psych_note).unwrap();
    let referral = w.refer_out(ServiceKind::DebtCounselling);
    w.ok(Command::RecordSecrecyRelease {
        referral,
        release: SecrecyRelease {
            recipient: t("Schuldnerberatung Beispielstadt"),
            information: t("Gläubigerliste"),
            purpose: t("Entschuldung"),
            direction: ReleaseDirection::Mutual,
            given_on: today,
            valid_until: d(2026, 9, 30),
            withdrawn_on: None,
        },
    });
    w.ok(Command::RecordDisclosure {
        referral,
        on: today,
        information: t("Gläubigerliste"),
    });
    w.ok(Command::UpdateReferralOut {
        id: referral,
        status: OutboundReferralStatus::Contacted,
        on: today,
    });
    w.ok(Command::WithdrawSecrecyRelease { referral });
    w.ok(Command::PauseParticipation { from: today });
    w.ok(Command::ResumeParticipation { on: today });
    w.ok(Command::ExtendPeriod {
        until: d(2026, 7, 1),
        reason: t("Schuldnerberatung beginnt erst im Juli"),
    });
    w.ok(Command::HandOver {
        target: HandoverTarget::Phase2,
        to: None,
        on: today,
        note: None,
    });
    w.on(d(2026, 5, 4)).ok(Command::Close {
        on: d(2026, 5, 4),
        reason: ExitReason::GoalsAchieved,
        immediate_result: None,
    });
    w.ok(Command::RecordImmediateResult {
        result: ImmediateResult::Employed,
    });
    let lead = w.lead.clone();
    w.on(d(2026, 5, 5));
    w.run_as(&lead, &Command::Reopen { on: d(2026, 5, 5) })
        .unwrap();
    let mut history = w.history.clone();
    // Events this story does not reach are described all the same.
    let at = noon(w.today);
    let actor = w.key_worker.id;
    let extra = [
        CaseEvent::TeamAssigned {
            team: TeamId::from_uuid(Uuid::from_u128(900)),
        },
        CaseEvent::OfferDeclined { on: d(2026, 3, 9) },
        CaseEvent::NotReached { on: d(2026, 4, 9) },
        CaseEvent::KeyWorkerChanged { to: actor },
        CaseEvent::AttendanceRecorded {
            record: AttendanceRecord {
                session: GroupSessionId::from_uuid(Uuid::from_u128(77)),
                date: d(2026, 4, 2),
                kind: GroupSessionKind::Breakfast,
                attendance: Attendance::Present,
            },
        },
        CaseEvent::EsfEntryRecorded {
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
        },
        CaseEvent::Redacted {
            tag: "contact_recorded.v1".into(),
            category: RetentionCategory::CounsellingContent,
        },
        CaseEvent::ContentErased {
            category: RetentionCategory::CounsellingContent,
            basis: "Aufbewahrungsfrist abgelaufen".into(),
            on: d(2029, 1, 1),
            events: vec![ErasedEvent {
                sequence: 3,
                tag: "contact_recorded.v1".into(),
                hash: "00".into(),
            }],
        },
        CaseEvent::Restricted {
            category: RetentionCategory::EsfEvidence,
            basis: "ESF-Plus-Nachweispflicht".into(),
            on: d(2029, 1, 1),
        },
    ];
    for event in extra {
        let sequence = history.len() as u64 + 1;
        history.push(RecordedEvent {
            case_id: w.case_id,
            sequence,
            recorded_at: at,
            actor,
            event,
        });
    }
    (w, history)
}

#[test]
fn every_event_type_has_a_german_and_an_english_line() {
    let (w, history) = full_world();
    let tags: BTreeSet<&str> = history.iter().map(|e| e.event.tag()).collect();
    assert_eq!(
        tags,
        ALL_TAGS.iter().copied().collect(),
        "the story covers every type"
    );
    let names = Directory::default();
    let reader = w.key_worker.clone();
    let lines = |lang| {
        case_file::timeline(
            w.case(),
            &history,
            &view(&w, &reader, lang, Medium::Screen),
            &names,
        )
        .unwrap()
    };
    let (de, en) = (lines(Lang::De), lines(Lang::En));
    assert_eq!(de.len(), history.len());
    for (g, e) in de.iter().zip(&en) {
        assert_eq!(g.tag, e.tag);
        for line in [g, e] {
            assert!(!line.title.is_empty(), "{line:?}");
            assert!(!line.text().contains(line.tag), "{line:?}");
            assert!(!line.text().contains(".v1"), "{line:?}");
        }
        assert_ne!(
            g.title, e.title,
            "{} has one title in both languages",
            g.tag
        );
    }
    // The same through the describer without the case around it.
    for ev in &history {
        for lang in [Lang::De, Lang::En] {
            let line = case_file::describe(&ev.event, &reader, lang, &names);
            assert!(!line.title.is_empty() && line.text() != ev.event.tag());
        }
    }
}

#[test]
fn the_timeline_names_goals_and_services_and_never_shows_a_psychologist_note() {
    let (w, history) = full_world();
    let mut names = Directory::default();
    for r in &w.case().referrals_out {
        names
            .services
            .insert(r.service, "Schuldnerberatung Beispielstadt".into());
    }
    let reader = w.key_worker.clone();
    let lines = case_file::timeline(
        w.case(),
        &history,
        &view(&w, &reader, Lang::De, Medium::Screen),
        &names,
    )
    .unwrap();
    let text: Vec<String> = lines.iter().map(case_file::TimelineLine::text).collect();
    assert!(
        text.iter()
            .any(|l| l == "Ziel skaliert: „Wohnung halten“: 6/10"),
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|l| l
                .starts_with("Weitervermittlung: neuer Stand: Schuldnerberatung Beispielstadt")),
        "{text:#?}"
    );
    let purpose = ConsentPurpose::JobcenterProgress.label(Lang::De);
    assert!(
        text.contains(&format!("Einwilligung widerrufen: {purpose}")),
        "{text:#?}"
    );
    let withheld: Vec<_> = lines.iter().filter(|l| l.withheld).collect();
    assert_eq!(withheld.len(), 1, "{text:#?}");
    assert_eq!(withheld[0].title, "Kontakt (psychologischer Bereich)");
    assert!(!text.join("\n").contains("PSYCHNOTIZ"));
    // The psychologist reads the line on screen, not on paper.
    let psych = w.psychologist.clone();
    let on = |medium| {
        case_file::timeline(
            w.case(),
            &history,
            &view(&w, &psych, Lang::De, medium),
            &names,
        )
        .unwrap()
        .iter()
        .filter(|l| l.withheld)
        .count()
    };
    assert_eq!(on(Medium::Screen), 0);
    assert_eq!(on(Medium::Paper), 1);
}

fn file(w: &World, reader: &Actor, medium: Medium) -> CaseFile {
    case_file::build_for(
        w.case(),
        &view(w, reader, Lang::De, medium),
        &Directory::default(),
    )
    .unwrap()
}

#[test]
fn sections_come_in_order_with_labelled_facts() {
    let (w, _) = full_world();
    let f = file(&w, &w.key_worker, Medium::Screen);
    let keys: Vec<SectionKey> = f.sections.iter().map(|s| s.key).collect();
    assert_eq!(keys, SectionKey::ALL.to_vec());
    assert_eq!(keys[0], SectionKey::Overview);
    assert_eq!(f.section(SectionKey::Closure).unwrap().title, "Abschluss");
    let referral = f.section(SectionKey::Referral).unwrap();
    let jc = referral.fact(FactKey::Jobcenter).unwrap();
    assert_eq!(jc.label, "Jobcenter");
    assert_eq!(jc.value, Value::Text("Jobcenter Beispielstadt".into()));
    let status = f
        .section(SectionKey::Overview)
        .unwrap()
        .fact(FactKey::Status)
        .unwrap();
    assert!(
        matches!(&status.value, Value::Choice(c) if c.key == "enrolled"),
        "{status:?}"
    );
    // Reopened: no closure in force, the undone one is history.
    assert!(f.section(SectionKey::Closure).unwrap().is_empty());
    assert_eq!(
        f.section(SectionKey::PreviousClosures)
            .unwrap()
            .entries
            .len(),
        1
    );
    let goals = f.section(SectionKey::Goals).unwrap();
    assert_eq!(
        goals.entries[0].fact(FactKey::Wording).unwrap().value,
        Value::Text("Wohnung halten".into())
    );
    let ratings = &goals.entries[0].fact(FactKey::Ratings).unwrap().value;
    assert!(
        matches!(ratings, Value::Ratings(rs) if rs.len() == 1 && rs[0].value == 6),
        "{ratings:?}"
    );
    assert_eq!(ratings.show(Lang::De, &|_| String::new()), "6");
    // A referral out's release and what was passed on, each under the referral's id.
    let referral = &f.section(SectionKey::ReferralsOut).unwrap().entries[0];
    let release = &f.section(SectionKey::SecrecyReleases).unwrap().entries[0];
    assert_eq!(release.id, referral.id);
    assert_eq!(
        release.fact(FactKey::InForce).unwrap().value,
        Value::Flag(Some(false)),
        "withdrawn"
    );
    let passed = &f.section(SectionKey::Disclosures).unwrap().entries;
    assert_eq!(passed.len(), 1);
    assert_eq!(
        passed[0].fact(FactKey::Information).unwrap().value,
        Value::Text("Gläubigerliste".into())
    );
    let english = case_file::build_for(
        w.case(),
        &view(&w, &w.key_worker, Lang::En, Medium::Screen),
        &Directory::default(),
    )
    .unwrap();
    assert_eq!(
        english.section(SectionKey::Closure).unwrap().title,
        "Closure"
    );
    assert_eq!(english.sections.len(), f.sections.len());
}

#[test]
fn the_psychologist_compartment_is_withheld_and_says_why() {
    let (w, _) = full_world();
    let kw = file(&w, &w.key_worker, Medium::Screen);
    let contacts = &kw.section(SectionKey::Contacts).unwrap().entries;
    assert_eq!(
        contacts.len(),
        2,
        "the withheld contact keeps its date and length"
    );
    let hidden: Vec<_> = contacts.iter().filter(|c| c.withheld).collect();
    assert_eq!(hidden.len(), 1);
    assert_eq!(
        hidden[0].fact(FactKey::Note).unwrap().value,
        Value::Withheld
    );
    assert_eq!(kw.withheld.len(), 1);
    assert_eq!(kw.withheld[0].section, SectionKey::Contacts);
    assert_eq!(
        kw.withheld[0].reason,
        WithheldReason::PsychologistCompartment
    );
    assert_eq!(kw.withheld[0].entry, hidden[0].id);
    let json = serde_json::to_string(&kw).unwrap();
    assert!(
        !json.contains("PSYCHNOTIZ") && json.contains("TEAMNOTIZ"),
        "{json}"
    );

    let psych = w.psychologist.clone();
    let screen = file(&w, &psych, Medium::Screen);
    assert!(screen.withheld.is_empty());
    assert!(
        serde_json::to_string(&screen)
            .unwrap()
            .contains("PSYCHNOTIZ")
    );
    // On paper even a psychologist's printout leaves the compartment out.
    let paper = file(&w, &psych, Medium::Paper);
    assert_eq!(
        paper.section(SectionKey::Contacts).unwrap().entries.len(),
        1
    );
    assert_eq!(paper.withheld.len(), 1);
    assert_eq!(paper.withheld[0].reason, WithheldReason::NotOnPaper);
    assert!(
        !serde_json::to_string(&paper)
            .unwrap()
            .contains("PSYCHNOTIZ")
    );
}

#[test]
fn a_reader_the_policy_refuses_gets_the_refusal() {
    let (w, history) = full_world();
    let stranger = Actor {
        teams: vec![TeamId::from_uuid(Uuid::from_u128(901))],
        ..w.coach.clone()
    };
    let names = Directory::default();
    let v = view(&w, &stranger, Lang::De, Medium::Screen);
    assert_eq!(
        case_file::build_for(w.case(), &v, &names),
        Err(AccessDenied::NotVisible)
    );
    assert_eq!(
        case_file::timeline(w.case(), &history, &v, &names),
        Err(AccessDenied::NotVisible)
    );
    let admin = w.admin.clone();
    assert!(matches!(
        case_file::build_for(
            w.case(),
            &view(&w, &admin, Lang::De, Medium::Screen),
            &names
        ),
        Err(AccessDenied::Forbidden(_))
    ));
}

#[test]
fn names_come_from_the_directory_and_a_handover_is_listed() {
    let (w, _) = full_world();
    let mut names = Directory::default();
    names.staff.insert(w.key_worker.id, "Erika Beispiel".into());
    names
        .teams
        .insert(TeamId::from_uuid(Uuid::from_u128(900)), "Team Nord".into());
    let f = case_file::build_for(
        w.case(),
        &view(&w, &w.key_worker, Lang::De, Medium::Screen),
        &names,
    )
    .unwrap();
    let overview = f.section(SectionKey::Overview).unwrap();
    assert_eq!(
        overview.fact(FactKey::KeyWorker).unwrap().value,
        Value::Text("Erika Beispiel".into())
    );
    assert_eq!(
        overview
            .fact(FactKey::Team)
            .unwrap()
            .value
            .show(Lang::De, &|_| String::new()),
        "Team Nord"
    );
    let handovers = &f.section(SectionKey::Handovers).unwrap().entries;
    assert_eq!(handovers.len(), 1);
}

/// A directory that also knows how to reach its services.
struct DetailedDirectory(Directory, ServiceId, ServiceDetails);

impl Names for DetailedDirectory {
    fn staff(&self, id: StaffId) -> Option<String> {
        self.0.staff(id)
    }
    fn team(&self, id: TeamId) -> Option<String> {
        self.0.team(id)
    }
    fn service(&self, id: ServiceId) -> Option<String> {
        self.0.service(id)
    }
    fn service_details(&self, id: ServiceId) -> Option<ServiceDetails> {
        (id == self.1).then(|| self.2.clone())
    }
}

#[test]
fn a_referral_out_shows_its_day_note_contact_person_and_the_services_details_and_a_handover_its_note()
 {
    let mut w = World::enrolled();
    w.on(d(2026, 3, 20));
    let mut service = w.service(ServiceKind::DebtCounselling, true);
    service.details = ServiceDetails {
        address: Some(t("Marktstraße 4, 99999 Beispielstadt")),
        phone: Some(t("0000 123456")),
        email: Some(t("beratung@schuldner.example.org")),
        opening_hours: Some(t("Mo–Do 9–12 Uhr")),
        contact_person: Some(t("Frau Beispiel")),
    };
    let id = OutboundReferralId::from_uuid(w.id());
    w.ok(Command::ReferOut {
        id,
        service: service.clone(),
        on: d(2026, 3, 18),
        note: Some(t("Kontoauszüge mitnehmen")),
        contact_person: None,
    });
    let coach = w.coach.clone();
    w.ok(Command::HandOver {
        target: HandoverTarget::JobCoach,
        to: Some(coach),
        on: d(2026, 3, 20),
        note: Some(t("Bewerbungsmappe liegt vor")),
    });
    let kw = w.key_worker.clone();
    let names = DetailedDirectory(
        Directory {
            staff: HashMap::from([
                (w.key_worker.id, "Kim Bezug".to_owned()),
                (w.coach.id, "Jo Coach".to_owned()),
            ]),
            ..Directory::default()
        },
        service.id,
        service.details.clone(),
    );
    let file =
        case_file::build_for(w.case(), &view(&w, &kw, Lang::De, Medium::Screen), &names).unwrap();
    let entry = &file.section(SectionKey::ReferralsOut).unwrap().entries[0];
    let text = |key| entry.fact(key).map(|f| f.value.clone());
    assert_eq!(text(FactKey::MadeOn), Some(Value::Date(d(2026, 3, 18))));
    for (key, want) in [
        (FactKey::Note, "Kontoauszüge mitnehmen"),
        (FactKey::ContactPerson, "Frau Beispiel"),
        (FactKey::Address, "Marktstraße 4, 99999 Beispielstadt"),
        (FactKey::Phone, "0000 123456"),
        (FactKey::Email, "beratung@schuldner.example.org"),
        (FactKey::OpeningHours, "Mo–Do 9–12 Uhr"),
    ] {
        assert_eq!(text(key), Some(Value::Text(want.to_owned())), "{key:?}");
    }
    assert_eq!(FactKey::OpeningHours.label(Lang::De), "Öffnungszeiten");
    let handover = &file.section(SectionKey::Handovers).unwrap().entries[0];
    assert_eq!(
        handover.fact(FactKey::Note).map(|f| f.value.clone()),
        Some(Value::Text("Bewerbungsmappe liegt vor".to_owned()))
    );
    assert_eq!(
        handover.fact(FactKey::Before).map(|f| f.value.clone()),
        Some(Value::Text("Kim Bezug".to_owned()))
    );
    // The former key worker (here still of the case's team) reads the file; the timeline
    // line of the handover carries the note.
    let history = w.history.clone();
    let lines = case_file::timeline(
        w.case(),
        &history,
        &view(&w, &kw, Lang::De, Medium::Screen),
        &names,
    )
    .unwrap();
    assert!(
        lines
            .iter()
            .any(|l| format!("{l:?}").contains("Bewerbungsmappe liegt vor")),
        "{lines:?}"
    );
}
