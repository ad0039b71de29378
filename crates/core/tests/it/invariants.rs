//! Property tests: random command sequences never produce a case that violates I2, I3 or I4
//! (nor I1 or I5 where they can be checked on the case), and a refused command never changes
//! anything.
//!
//! Every free text the random operations can write carries a marker containing `SECRET`; the
//! Jobcenter feedback must never contain one, in its JSON form or its `Debug` form. Closed
//! vocabularies cannot carry a marker, so the feedback is also checked for independence: the
//! history is rewritten with different counselling content (social history including the
//! need for action, goal wording, notes, releases, attendance, ESF entry data) and replayed,
//! and the feedback must come out exactly the same.
//!
//! A decline has no free text at all (process step 3: no reason is asked or stored): neither
//! `Command::Decline` nor a contact attempt with outcome `declined` has a field for one. The
//! properties therefore check that the stored decline and attempt events keep exactly their
//! reason-free shape, and that a declined case tells the Jobcenter nothing but the outreach
//! result.

use std::collections::BTreeSet;

use chrono::{Days, NaiveDate, Utc};
use chrono_tz::Europe::Berlin;
use proptest::prelude::*;
use serde_json::Value;
use uuid::Uuid;
use wegbereiter_core::feedback::OfferResponse;
use wegbereiter_core::period::{MAX_MONTHS, STANDARD_MONTHS, add_months};
use wegbereiter_core::prelude::*;
use wegbereiter_core::reminders::{ReminderFacts, ReminderSubject, reminders_of};

use crate::support::*;

/// Markers written into the free-text fields the random operations produce; each one is
/// stored in the case file by the scripted test below, none may ever reach the Jobcenter.
/// Every marker contains `SECRET`, and the properties look for that word, so texts that are
/// not stored in the case (the service directory's name and contact) are covered too.
const SECRETS: &[&str] = &[
    "NOTE-SECRET",
    "AGREEMENT-SECRET",
    "NEXT-STEP-SECRET",
    "PARTICIPANT-SECRET",
    "GOAL-SECRET",
    "CRITERION-SECRET",
    "GOAL-UPDATE-SECRET",
    "CRITERION-UPDATE-SECRET",
    "VIEW-SECRET",
    "STRENGTH-SECRET",
    "EXTENSION-SECRET",
    "RELEASE-RECIPIENT-SECRET",
    "RELEASE-INFORMATION-SECRET",
    "RELEASE-PURPOSE-SECRET",
];

/// The word every marker contains.
const SECRET: &str = "SECRET";

/// Words that frame attendance or an exit as misconduct (I1); never in any feedback.
const SANCTION_WORDS: &[&str] = &[
    "absent",
    "attendance",
    "unentschuldigt",
    "unexcused",
    "breach",
    "sanction",
    "pflichtverletzung",
];

/// Field names of counselling content (social history, goals, contacts, releases, attendance,
/// ESF entry data, extension reasons); none may be a key anywhere in the feedback's JSON.
const COUNSELLING_KEYS: &[&str] = &[
    "social_history",
    "own_view",
    "strengths",
    "need",
    "priority",
    "source",
    "wording",
    "criterion",
    "ratings",
    "contacts",
    "note",
    "agreements",
    "next_steps",
    "participants",
    "compartment",
    "release",
    "recipient",
    "information",
    "purpose",
    "title",
    "esf_entry",
    "disability",
    "minority",
    "foreign_background",
    "homeless",
    "extensions",
    "decline_reason",
];

#[derive(Debug, Clone)]
enum Op {
    Advance(u8),
    Letter,
    Attempt(u8),
    Decline,
    NotReached,
    Enrol(bool),
    Extend(u16),
    GiveConsent(u8),
    WithdrawConsent(u8),
    Assess(u8, u8),
    AgreeGoal(u8),
    /// Goal, value, which fields to change (bit mask).
    UpdateGoal(u8, u8, u8),
    RateGoal(u8, u8),
    /// Psychologist compartment, given by the psychologist, kind/topic/duration seed.
    Contact(bool, bool, u8),
    ReferOut(u8),
    UpdateReferral(u8, u8),
    Release(u8, u8),
    WithdrawRelease(u8),
    HandOver(u8),
    Attend(u8, bool),
    /// Team, given by the team lead.
    AssignTeam(u8, bool),
    /// New key worker, given by the team lead.
    Reassign(u8, bool),
    EsfEntry(u8, u8),
    /// Exit reason, immediate result seed.
    Close(u8, u8),
    ImmediateResult(u8),
    Reopen,
    /// Days back from today.
    Pause(u8),
    Resume(u8),
    /// Referral, days back.
    Disclose(u8, u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0u8..20).prop_map(Op::Advance),
        1 => Just(Op::Letter),
        3 => any::<u8>().prop_map(Op::Attempt),
        1 => Just(Op::Decline),
        1 => Just(Op::NotReached),
        3 => any::<bool>().prop_map(Op::Enrol),
        2 => (0u16..250).prop_map(Op::Extend),
        3 => any::<u8>().prop_map(Op::GiveConsent),
        1 => any::<u8>().prop_map(Op::WithdrawConsent),
        2 => (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Op::Assess(a, b)),
        2 => any::<u8>().prop_map(Op::AgreeGoal),
        2 => (any::<u8>(), any::<u8>(), any::<u8>()).prop_map(|(a, b, c)| Op::UpdateGoal(a, b, c)),
        1 => (any::<u8>(), 0u8..=12).prop_map(|(a, b)| Op::RateGoal(a, b)),
        2 => (any::<bool>(), any::<bool>(), any::<u8>()).prop_map(|(a, b, c)| Op::Contact(a, b, c)),
        2 => any::<u8>().prop_map(Op::ReferOut),
        1 => (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Op::UpdateReferral(a, b)),
        2 => (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Op::Release(a, b)),
        1 => any::<u8>().prop_map(Op::WithdrawRelease),
        1 => any::<u8>().prop_map(Op::HandOver),
        2 => (any::<u8>(), any::<bool>()).prop_map(|(a, b)| Op::Attend(a, b)),
        1 => (any::<u8>(), any::<bool>()).prop_map(|(a, b)| Op::AssignTeam(a, b)),
        1 => (any::<u8>(), any::<bool>()).prop_map(|(a, b)| Op::Reassign(a, b)),
        1 => (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Op::EsfEntry(a, b)),
        1 => (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Op::Close(a, b)),
        1 => any::<u8>().prop_map(Op::ImmediateResult),
        1 => (0u8..5).prop_map(Op::Pause),
        1 => (0u8..5).prop_map(Op::Resume),
        2 => (any::<u8>(), 0u8..5).prop_map(|(a, b)| Op::Disclose(a, b)),
        1 => Just(Op::Reopen),
    ]
}

fn pick<T: Labelled>(n: u8) -> T {
    T::ALL[usize::from(n) % T::ALL.len()]
}

/// The next value of a vocabulary, wrapping around: always a different value.
fn next<T: Labelled + PartialEq>(v: T) -> T {
    let i = T::ALL.iter().position(|x| *x == v).unwrap();
    T::ALL[(i + 1) % T::ALL.len()]
}

fn days_before(day: chrono::NaiveDate, n: u8) -> chrono::NaiveDate {
    day.checked_sub_days(Days::new(u64::from(n))).unwrap()
}

/// Turns an abstract op into a concrete command for the current world, and who gives it.
#[allow(clippy::too_many_lines)] // One arm per op, like `decide`.
fn command(w: &mut World, op: &Op) -> Option<(Actor, Command)> {
    let kw = w.key_worker.clone();
    let lead = w.lead.clone();
    let today = w.today;
    let case = w.case.clone()?;
    let cmd = match op {
        Op::Advance(days) => {
            w.today = today + Days::new(u64::from(*days));
            return None;
        }
        Op::Letter => Command::AnnounceVisit {
            announcement: VisitAnnouncement {
                hours: None,
                letter_date: today,
                visit_from: today + Days::new(5),
                visit_until: today + Days::new(7),
            },
        },
        Op::Attempt(n) => Command::LogContactAttempt {
            at: noon(today),
            channel: pick(*n),
            outcome: pick(n / 5),
        },
        Op::Decline => Command::Decline { on: today },
        Op::NotReached => Command::MarkNotReached { on: today },
        Op::Enrol(coach) => {
            let mut cmd = w.enrol_command();
            if *coach && let Command::Enrol { key_worker, .. } = &mut cmd {
                *key_worker = w.coach.clone();
            }
            cmd
        }
        Op::Extend(days) => {
            let start = case.period.as_ref().map_or(today, |p| p.start());
            Command::ExtendPeriod {
                until: start + Days::new(u64::from(*days)),
                reason: t(&format!("EXTENSION-SECRET Verlängerung {days}")),
            }
        }
        Op::GiveConsent(n) => Command::GiveConsent {
            id: ConsentId::from_uuid(w.id()),
            purpose: pick(*n),
            form: pick(n / 6),
            given_on: today,
        },
        Op::WithdrawConsent(n) => {
            let c = case
                .consents
                .get(usize::from(*n) % case.consents.len().max(1))?;
            Command::WithdrawConsent { id: c.id, on: None }
        }
        Op::Assess(domain, need) => Command::AssessDomain {
            domain: pick(*domain),
            assessment: DomainAssessment {
                own_view: Some(t(&format!("VIEW-SECRET Sicht {need}"))),
                strengths: (need % 4 != 0).then(|| t("STRENGTH-SECRET Stärke")),
                need: pick(*need),
                priority: pick(need / 3),
                source: pick(need / 9),
            },
        },
        Op::AgreeGoal(domain) => Command::AgreeGoal {
            id: GoalId::from_uuid(w.id()),
            domain: pick(*domain),
            wording: t("GOAL-SECRET Ziel"),
            criterion: t("CRITERION-SECRET Kriterium"),
            responsible: pick(domain / 12),
            review_date: today + Days::new(14),
        },
        Op::UpdateGoal(n, value, mask) => {
            let g = case.goals.get(usize::from(*n) % case.goals.len().max(1))?;
            // An empty mask is a change of nothing, which must be refused.
            let mut changes = GoalChanges::default();
            if mask & 1 != 0 {
                changes.status = Some(pick(*value));
            }
            if mask & 2 != 0 {
                changes.wording = Some(t(&format!("GOAL-UPDATE-SECRET neues Ziel {value}")));
            }
            if mask & 4 != 0 {
                changes.criterion = Some(t(&format!("CRITERION-UPDATE-SECRET {value}")));
            }
            if mask & 8 != 0 {
                changes.responsible = Some(pick(value / 6));
            }
            if mask & 16 != 0 {
                // Sometimes before the enrolment day, which must be refused.
                changes.review_date = Some(days_before(today + Days::new(30), value % 64));
            }
            Command::UpdateGoal { id: g.id, changes }
        }
        Op::RateGoal(n, value) => {
            let g = case.goals.get(usize::from(*n) % case.goals.len().max(1))?;
            Command::RateGoal {
                id: g.id,
                on: today,
                value: Scale::new(*value).ok()?,
            }
        }
        Op::Contact(psy_note, as_psychologist, seed) => {
            let compartment = if *psy_note {
                NoteCompartment::Psychologist
            } else {
                NoteCompartment::CaseTeam
            };
            let contact = Contact {
                id: ContactId::from_uuid(w.id()),
                date: today,
                // 0 and more than a day are refused.
                duration_minutes: u32::from(*seed) * 7,
                kind: pick(*seed),
                participants: (seed % 3 != 0).then(|| t("PARTICIPANT-SECRET Vermieter")),
                topics: vec![pick(*seed), pick(seed / 12)],
                agreements: Some(t("AGREEMENT-SECRET Unterlagen sammeln")),
                next_steps: Some(t("NEXT-STEP-SECRET Termin Schuldnerberatung")),
                note: Some(t("NOTE-SECRET Gespräch")),
                compartment,
            };
            let actor = if *as_psychologist {
                w.psychologist.clone()
            } else {
                kw
            };
            return Some((
                actor,
                Command::RecordContact {
                    contact,
                    share_with_team: false,
                },
            ));
        }
        Op::ReferOut(kind) => Command::ReferOut {
            id: OutboundReferralId::from_uuid(w.id()),
            service: SpecialistService {
                id: ServiceId::from_uuid(w.id()),
                name: t("SERVICE-SECRET Fachstelle"),
                kind: pick(*kind),
                contact: Some(t("SERVICE-CONTACT-SECRET Sprechzeiten")),
                active: kind % 7 != 0,
                details: ServiceDetails {
                    address: Some(t("SERVICE-ADDRESS-SECRET Marktstraße 4")),
                    phone: Some(t("SERVICE-PHONE-SECRET 0123 456")),
                    email: Some(t("SERVICE-SECRET@example.org")),
                    opening_hours: Some(t("SERVICE-HOURS-SECRET Mo 9–12")),
                    contact_person: Some(t("SERVICE-PERSON-SECRET Frau Probe")),
                },
            },
            contact_person: None,
            note: Some(t("REFERRAL-NOTE-SECRET Unterlagen mitnehmen")),
            on: today,
        },
        Op::UpdateReferral(n, status) => {
            let r = case
                .referrals_out
                .get(usize::from(*n) % case.referrals_out.len().max(1))?;
            Command::UpdateReferralOut {
                id: r.id,
                status: pick(*status),
                on: today,
            }
        }
        Op::Release(n, k) => {
            // Without a referral, an unknown one, which must be refused.
            let referral = case
                .referrals_out
                .get(usize::from(*n) % case.referrals_out.len().max(1))
                .map_or_else(|| OutboundReferralId::from_uuid(w.id()), |r| r.id);
            let given_on = days_before(today + Days::new(1), k % 5);
            let valid_until = if k % 9 == 0 {
                days_before(given_on, 1)
            } else {
                given_on + Days::new(u64::from(*k) * 2)
            };
            Command::RecordSecrecyRelease {
                referral,
                release: SecrecyRelease {
                    recipient: t("RELEASE-RECIPIENT-SECRET Schuldnerberatung"),
                    information: t("RELEASE-INFORMATION-SECRET Schuldenstand"),
                    purpose: t("RELEASE-PURPOSE-SECRET Vermittlung"),
                    direction: pick(*k),
                    given_on,
                    valid_until,
                    // Ignored by the domain; set sometimes to check that.
                    withdrawn_on: (k % 2 == 0).then_some(today),
                },
            }
        }
        Op::WithdrawRelease(n) => {
            let referral = case
                .referrals_out
                .get(usize::from(*n) % case.referrals_out.len().max(1))
                .map_or_else(|| OutboundReferralId::from_uuid(w.id()), |r| r.id);
            Command::WithdrawSecrecyRelease { referral }
        }
        Op::HandOver(target) => {
            let target: HandoverTarget = pick(*target);
            let to = match target {
                HandoverTarget::JobCoach => Some(w.coach.clone()),
                HandoverTarget::Psychologist => Some(w.psychologist.clone()),
                _ => None,
            };
            Command::HandOver {
                target,
                to,
                on: today,
                note: Some(t("HANDOVER-NOTE-SECRET Übergabegespräch")),
            }
        }
        Op::Attend(n, present) => Command::RecordAttendance {
            // A few sessions only, so that corrections of a session happen too.
            session: GroupSession {
                id: GroupSessionId::from_uuid(Uuid::from_u128(7000 + u128::from(n % 4))),
                kind: pick(*n),
                date: today,
                title: t("SESSION-SECRET Frühstück im Stadtteilladen"),
            },
            attendance: if *present {
                Attendance::Present
            } else {
                Attendance::Absent
            },
        },
        Op::AssignTeam(n, by_lead) => {
            let cmd = Command::AssignTeam {
                team: TeamId::from_uuid(Uuid::from_u128(900 + u128::from(n % 3))),
            };
            return Some((if *by_lead { lead } else { kw }, cmd));
        }
        Op::Reassign(n, by_lead) => {
            let mut inactive = actor(6, &[Role::KeyWorker]);
            inactive.active = false;
            let candidates = [
                w.key_worker.clone(),
                w.lead.clone(),
                w.psychologist.clone(),
                w.coach.clone(),
                w.admin.clone(),
                inactive,
            ];
            let to = candidates[usize::from(*n) % candidates.len()].clone();
            let cmd = Command::ReassignKeyWorker { to };
            return Some((if *by_lead { lead } else { kw }, cmd));
        }
        Op::EsfEntry(a, b) => {
            let optional = |bits: u8| match bits % 3 {
                0 => None,
                1 => Some(true),
                _ => Some(false),
            };
            Command::RecordEsfEntry {
                record: EsfEntryRecord {
                    employment_status: pick(*a),
                    long_term_unemployed: b & 1 != 0,
                    education: pick(a / 3),
                    disability: optional(b >> 1),
                    citizenship: pick(a / 9),
                    foreign_background: optional(b >> 3),
                    minority: optional(b >> 5),
                    homeless: b & 128 != 0,
                    rural_area: None,
                },
            }
        }
        Op::Close(reason, result) => Command::Close {
            on: today,
            reason: pick(*reason),
            immediate_result: (result % 3 != 0).then(|| pick(*result)),
        },
        Op::ImmediateResult(n) => Command::RecordImmediateResult { result: pick(*n) },
        Op::Reopen => return Some((lead, Command::Reopen { on: today })),
        Op::Disclose(n, back) => {
            let referral = case
                .referrals_out
                .get(usize::from(*n) % case.referrals_out.len().max(1))
                .map_or_else(|| OutboundReferralId::from_uuid(w.id()), |r| r.id);
            Command::RecordDisclosure {
                referral,
                on: today - chrono::Days::new(u64::from(*back)),
                information: t("SECRET-disclosure Gläubigerliste"),
            }
        }
        Op::Pause(back) => Command::PauseParticipation {
            from: today - chrono::Days::new(u64::from(*back)),
        },
        Op::Resume(back) => Command::ResumeParticipation {
            on: today - chrono::Days::new(u64::from(*back)),
        },
    };
    Some((kw, cmd))
}

/// A different text in place of any recorded one.
fn other_text() -> Text {
    t("anders formuliert")
}

/// Some text where there was none, none where there was some.
fn toggle(text: &mut Option<Text>) {
    *text = match text {
        Some(_) => None,
        None => Some(other_text()),
    };
}

/// The same history with different counselling content: every free text, the social-history
/// assessment (need, priority, source), goal responsibility, contact kind and compartment,
/// secrecy-release direction, attendance and ESF entry data. None of it may change what the
/// Jobcenter is told.
fn with_other_content(history: &[RecordedEvent]) -> Vec<RecordedEvent> {
    let mut history = history.to_vec();
    for r in &mut history {
        match &mut r.event {
            CaseEvent::PeriodExtended { reason, .. } => *reason = other_text(),
            CaseEvent::DomainAssessed { assessment, .. } => {
                toggle(&mut assessment.own_view);
                toggle(&mut assessment.strengths);
                assessment.need = next(assessment.need);
                assessment.priority = next(assessment.priority);
                assessment.source = next(assessment.source);
            }
            CaseEvent::GoalAgreed { goal } => {
                goal.wording = other_text();
                goal.criterion = other_text();
                goal.responsible = next(goal.responsible);
            }
            CaseEvent::GoalUpdated { changes, .. } => {
                if changes.wording.is_some() {
                    changes.wording = Some(other_text());
                }
                if changes.criterion.is_some() {
                    changes.criterion = Some(other_text());
                }
                changes.responsible = changes.responsible.map(next);
            }
            CaseEvent::ContactRecorded { contact } => {
                toggle(&mut contact.note);
                toggle(&mut contact.agreements);
                toggle(&mut contact.next_steps);
                toggle(&mut contact.participants);
                contact.kind = next(contact.kind);
                contact.compartment = next(contact.compartment);
            }
            CaseEvent::DisclosureRecorded { information, .. } => *information = other_text(),
            CaseEvent::SecrecyReleaseRecorded { release, .. } => {
                release.recipient = other_text();
                release.information = other_text();
                release.purpose = other_text();
                release.direction = next(release.direction);
            }
            CaseEvent::AttendanceRecorded { record } => {
                record.attendance = next(record.attendance);
                record.kind = next(record.kind);
            }
            CaseEvent::EsfEntryRecorded { record } => {
                record.employment_status = next(record.employment_status);
                record.long_term_unemployed = !record.long_term_unemployed;
                record.education = next(record.education);
                record.disability = Some(record.disability != Some(true));
                record.citizenship = next(record.citizenship);
                record.foreign_background = Some(record.foreign_background != Some(true));
                record.minority = Some(record.minority != Some(true));
                record.homeless = !record.homeless;
            }
            _ => {}
        }
    }
    history
}

/// The same history without its goals in health-related life domains (and every event about
/// them), renumbered. Without the consent `jobcenter_health`, the Jobcenter report of both
/// must be byte-identical (I4: even that health goals exist is a health fact).
fn without_health_goals(history: &[RecordedEvent]) -> Vec<RecordedEvent> {
    let health_goals: BTreeSet<GoalId> = history
        .iter()
        .filter_map(|r| match &r.event {
            CaseEvent::GoalAgreed { goal } if goal.domain.is_health_related() => Some(goal.id),
            _ => None,
        })
        .collect();
    let mut out: Vec<RecordedEvent> = history
        .iter()
        .filter(|r| match &r.event {
            CaseEvent::GoalAgreed { goal } => !health_goals.contains(&goal.id),
            CaseEvent::GoalUpdated { goal: id, .. } | CaseEvent::GoalRated { goal: id, .. } => {
                !health_goals.contains(id)
            }
            _ => true,
        })
        .cloned()
        .collect();
    for (i, r) in out.iter_mut().enumerate() {
        r.sequence = i as u64 + 1;
    }
    out
}

/// Every object key and every string value anywhere in `value`.
fn keys_and_strings<'a>(value: &'a Value, keys: &mut Vec<&'a str>, strings: &mut Vec<&'a str>) {
    match value {
        Value::String(s) => strings.push(s),
        Value::Array(items) => items
            .iter()
            .for_each(|v| keys_and_strings(v, keys, strings)),
        Value::Object(map) => {
            for (k, v) in map {
                keys.push(k);
                keys_and_strings(v, keys, strings);
            }
        }
        _ => {}
    }
}

/// Keys and labels of the vocabularies that only counselling content uses: the need for
/// action and the rest of a social-history assessment, attendance and release directions.
/// (Note compartments are left out: their key `psychologist` is also a handover target, which
/// the exit report may name.)
fn counselling_vocabulary() -> BTreeSet<&'static str> {
    fn add<T: Labelled>(set: &mut BTreeSet<&'static str>) {
        for v in T::ALL {
            set.extend([v.key(), v.label(Lang::De), v.label(Lang::En)]);
        }
    }
    let mut set = BTreeSet::new();
    add::<ActionNeed>(&mut set);
    add::<Priority>(&mut set);
    add::<AccountSource>(&mut set);
    add::<Attendance>(&mut set);
    add::<ReleaseDirection>(&mut set);
    set
}

fn check_feedback(
    w: &World,
    other: &Case,
    no_health_goals: &Case,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(), TestCaseError> {
    let case = w.case();
    let fb = jobcenter_feedback(case, at, &Utc);
    let json = serde_json::to_value(&fb).unwrap();
    let text = json.to_string();
    let debug = format!("{fb:?}");

    // No free text of the case file, in any form the feedback may be rendered from.
    for rendered in [&text, &debug] {
        prop_assert!(!rendered.contains(SECRET), "free text leaked: {}", rendered);
        let lower = rendered.to_lowercase();
        for word in SANCTION_WORDS {
            prop_assert!(!lower.contains(word), "{:?} in {}", word, rendered);
        }
    }
    // No field of counselling content, and no value only counselling content uses (such as
    // a social-history need).
    let (mut keys, mut strings) = (Vec::new(), Vec::new());
    keys_and_strings(&json, &mut keys, &mut strings);
    let vocabulary = counselling_vocabulary();
    for key in &keys {
        prop_assert!(
            !COUNSELLING_KEYS.contains(key),
            "field {:?} in {}",
            key,
            text
        );
        prop_assert!(!vocabulary.contains(key), "value {:?} in {}", key, text);
    }
    for s in &strings {
        prop_assert!(!vocabulary.contains(s), "value {:?} in {}", s, text);
    }
    // Independence: other counselling content, the very same feedback.
    prop_assert_eq!(
        &fb,
        &jobcenter_feedback(other, at, &Utc),
        "feedback depends on content"
    );

    // I4: each section only with its consent in force at that moment.
    let health = case.has_active_consent(ConsentPurpose::JobcenterHealthInformation, at);
    // Without the health consent, health goals leave no trace: the report of the case
    // without them is the same to the byte.
    if !health {
        let without =
            serde_json::to_string(&jobcenter_feedback(no_health_goals, at, &Utc)).unwrap();
        prop_assert_eq!(
            serde_json::to_string(&fb).unwrap(),
            without,
            "health goals leave a trace without consent"
        );
    }
    if let Some(p) = &fb.participation {
        prop_assert!(case.has_active_consent(ConsentPurpose::JobcenterParticipation, at));
        let period = case.period.as_ref().unwrap();
        prop_assert!(p.planned_end <= add_months(p.start, MAX_MONTHS).unwrap());
        prop_assert_eq!(p.planned_end, period.planned_end());
    }
    if let Some(p) = &fb.progress {
        prop_assert!(case.has_active_consent(ConsentPurpose::JobcenterProgress, at));
        // Household data never, health-related domains only with health consent.
        prop_assert!(
            !p.domains_worked_on
                .contains(&LifeDomain::FamilyHouseholdCare)
        );
        prop_assert!(health || p.domains_worked_on.iter().all(|d| !d.is_health_related()));
    }
    if let Some(x) = &fb.exit {
        prop_assert!(case.has_active_consent(ConsentPurpose::JobcenterExit, at));
        prop_assert_eq!(case.status, CaseStatus::Closed);
        if !health {
            prop_assert!(x.reason != ExitReason::Health);
            prop_assert!(!x.handovers.contains(&HandoverTarget::Psychologist));
            prop_assert!(x.referred_to.iter().all(|k| !k.is_health_related()));
        }
    }
    // I1, step 3: a declined case tells the outreach result and nothing else.
    if case.status == CaseStatus::Declined {
        prop_assert_eq!(fb.outreach.offer, OfferResponse::Declined);
        prop_assert!(fb.outreach.reached, "a decline reads as not reached");
        prop_assert!(fb.participation.is_none() && fb.progress.is_none() && fb.exit.is_none());
    }
    Ok(())
}

fn check_invariants(w: &World) -> Result<(), TestCaseError> {
    let case = w.case();
    // I3: the period never exceeds 6 months, every extension has its reason, and the history
    // keeps both ends of every extension.
    if let Some(p) = &case.period {
        prop_assert_eq!(p.latest_end(), add_months(p.start(), MAX_MONTHS).unwrap());
        prop_assert!(p.planned_end() <= p.latest_end());
        let mut end = add_months(p.start(), STANDARD_MONTHS).unwrap();
        for e in p.extensions() {
            prop_assert_eq!(e.previous_end, end);
            prop_assert!(e.new_end > e.previous_end);
            prop_assert!(e.reason.as_str().contains("EXTENSION-SECRET"));
            end = e.new_end;
        }
        prop_assert_eq!(end, p.planned_end());
        let recorded: Vec<_> = w
            .history
            .iter()
            .filter_map(|r| match &r.event {
                CaseEvent::PeriodExtended {
                    previous_end,
                    new_end,
                    reason,
                    ..
                } => Some((*previous_end, *new_end, reason)),
                _ => None,
            })
            .collect();
        let kept: Vec<_> = p
            .extensions()
            .iter()
            .map(|e| (e.previous_end, e.new_end, &e.reason))
            .collect();
        prop_assert_eq!(recorded, kept);
    }
    // I2: no counselling content without an enrolment.
    if case.enrolment.is_none() {
        prop_assert!(case.social_history.is_empty() && case.goals.is_empty());
        prop_assert!(case.contacts.is_empty() && case.referrals_out.is_empty());
        prop_assert!(case.handovers.is_empty() && case.attendance.is_empty());
        prop_assert!(case.period.is_none());
    }
    // I4 and I1: nothing of the counselling content ever reaches the Jobcenter.
    let other = Case::replay(&with_other_content(&w.history)).unwrap();
    let no_health_goals = Case::replay(&without_health_goals(&w.history)).unwrap();
    for at in [
        case.received_at,
        noon(w.today),
        noon(w.today) + chrono::Duration::days(400),
    ] {
        check_feedback(w, &other, &no_health_goals, at)?;
    }
    // The state is exactly the replay of the history.
    prop_assert_eq!(&Case::replay(&w.history).unwrap(), case);
    Ok(())
}

/// Checks an accepted command's events: I2, I5, the stored form, and that a decline or
/// attempt stores no reason.
fn check_events(
    w: &World,
    actor: &Actor,
    status_before: CaseStatus,
    events: &[CaseEvent],
) -> Result<(), TestCaseError> {
    for e in events {
        // I2: counselling content is only ever recorded for an enrolled client.
        if e.is_counselling_content() {
            prop_assert_eq!(status_before, CaseStatus::Enrolled, "{:?}", e);
        }
        if let CaseEvent::SecrecyReleaseRecorded { release, .. } = e {
            prop_assert_eq!(release.withdrawn_on, None);
        }
    }
    // I5: every event is attributed to the acting person at the command's time.
    for r in w.history.iter().rev().take(events.len()) {
        prop_assert_eq!(r.actor, actor.id);
        prop_assert_eq!(r.recorded_at, noon(w.today));
        // The stored form: the versioned tag is the JSON `type`, and the event comes back
        // equal.
        let json = serde_json::to_value(&r.event).unwrap();
        prop_assert_eq!(json["type"].as_str(), Some(r.event.tag()));
        // Step 3: no reason for declining is stored, whichever way the decline came.
        let shape = |v: &Value| {
            let mut keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
            keys.sort();
            keys
        };
        match &r.event {
            CaseEvent::OfferDeclined { .. } => prop_assert_eq!(shape(&json), ["on", "type"]),
            CaseEvent::ContactAttemptLogged { .. } => {
                prop_assert_eq!(shape(&json), ["attempt", "type"]);
                prop_assert_eq!(
                    shape(&json["attempt"]),
                    ["at", "channel", "outcome", "staff"]
                );
            }
            _ => {}
        }
        let back: CaseEvent = serde_json::from_value(json).unwrap();
        prop_assert_eq!(&back, &r.event);
    }
    Ok(())
}

/// Runs one op: `None` if it makes no command in this world, else whether it was accepted.
/// Every step is checked against the invariants.
fn step(w: &mut World, op: &Op) -> Result<Option<bool>, TestCaseError> {
    let Some((actor, cmd)) = command(w, op) else {
        return Ok(None);
    };
    let before = w.case.clone();
    let status_before = w.case().status;
    let accepted = match w.run_as(&actor, &cmd) {
        Ok(events) => {
            check_events(w, &actor, status_before, &events)?;
            true
        }
        Err(_) => {
            prop_assert_eq!(&w.case, &before, "a refused command changed the case");
            false
        }
    };
    check_invariants(w)?;
    Ok(Some(accepted))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_command_sequences_keep_the_invariants(ops in proptest::collection::vec(op(), 1..100)) {
        let mut w = World::referred();
        for op in &ops {
            step(&mut w, op)?;
        }
    }

    /// Enrolled from the start, so that the counselling operations are mostly accepted.
    #[test]
    fn random_counselling_keeps_the_invariants(ops in proptest::collection::vec(op(), 1..100)) {
        let mut w = World::enrolled();
        for op in &ops {
            step(&mut w, op)?;
        }
    }

    #[test]
    fn period_arithmetic_never_panics(days in 0i64..3_000_000) {
        let start = chrono::NaiveDate::from_ymd_opt(-200_000, 1, 1).unwrap() + chrono::Duration::days(days);
        if let Ok(p) = wegbereiter_core::period::KeyWorkerPeriod::begin(start) {
            prop_assert!(p.planned_end() <= p.latest_end());
            prop_assert!(p.planned_end() > p.start());
        }
    }
}

/// The properties are not vacuous: one scripted run writes every marker into the case file
/// (with all Jobcenter consents in force, so every feedback section is there) and the
/// rewritten history really differs, yet the feedback holds none of it.
#[test]
fn every_marker_is_recorded_but_none_reaches_the_jobcenter() {
    let mut w = World::referred();
    let script = [
        Op::Attempt(15), // phone, agreed
        Op::Enrol(false),
        Op::GiveConsent(2), // participation
        Op::GiveConsent(3), // progress
        Op::GiveConsent(4), // exit
        Op::GiveConsent(5), // health
        Op::Extend(120),
        Op::Assess(0, 2),
        Op::Assess(5, 1),
        Op::AgreeGoal(0),
        Op::AgreeGoal(5),
        Op::UpdateGoal(0, 1, 0b111),
        Op::Contact(false, false, 1),
        Op::Contact(true, true, 2),
        Op::ReferOut(1),
        Op::Release(0, 12),
        Op::WithdrawRelease(0),
        Op::AssignTeam(1, true),
        Op::Reassign(3, true),
        Op::HandOver(2),
        Op::Attend(0, false),
        Op::Attend(1, true),
        Op::EsfEntry(0, 0b1010_1011),
        Op::Close(0, 0),
        Op::ImmediateResult(0),
    ];
    for op in &script {
        assert_eq!(step(&mut w, op).unwrap(), Some(true), "{op:?} refused");
    }
    let history = serde_json::to_string(&w.history).unwrap();
    for secret in SECRETS {
        assert!(history.contains(secret), "{secret} never recorded");
    }
    let other = Case::replay(&with_other_content(&w.history)).unwrap();
    assert_ne!(&other, w.case());
    let fb = jobcenter_feedback(w.case(), noon(w.today), &Utc);
    assert!(fb.participation.is_some() && fb.progress.is_some() && fb.exit.is_some());
    assert!(!serde_json::to_string(&fb).unwrap().contains(SECRET));
}

/// A decline by either route stores no reason and tells the Jobcenter only the outreach result.
#[test]
fn declines_by_either_route_keep_the_invariants() {
    for last in [Op::Decline, Op::Attempt(10)] {
        let mut w = World::referred();
        assert_eq!(step(&mut w, &Op::Letter).unwrap(), Some(true));
        assert_eq!(step(&mut w, &last).unwrap(), Some(true), "{last:?} refused");
        assert_eq!(w.case().status, CaseStatus::Declined);
    }
}

#[test]
fn extreme_dates_are_errors_not_panics() {
    let mut w = World::referred();
    w.today = chrono::NaiveDate::MAX;
    let cmd = w.enrol_command();
    assert_eq!(w.try_(&cmd).unwrap_err(), DomainError::DateOutOfRange);
}

/// The reminders as `reminders()` computed them from the whole case before they were
/// computed from `ReminderFacts` (December 2026): the oracle of
/// `reminders_from_stored_facts_equal_the_reminders_of_the_case`.
fn reminders_as_before(
    case: &Case,
    today: NaiveDate,
    calendar: &dyn LocalCalendar,
    policy: &Policy,
) -> Vec<Reminder> {
    let mut out = Vec::new();
    let mut push = |due: NaiveDate, kind: ReminderKind, subject: ReminderSubject| {
        out.push(Reminder {
            due,
            kind,
            case_id: case.id,
            subject,
            key_worker: case.key_worker,
        });
    };
    match case.status {
        CaseStatus::Referred | CaseStatus::Outreach => {
            if end_rule_met_as_before(case, &policy.outreach_end, today, calendar) {
                push(
                    today,
                    ReminderKind::OutreachEndRuleMet,
                    ReminderSubject::Case,
                );
            } else {
                let last_activity = case
                    .attempts
                    .iter()
                    .map(|a| calendar.day_of(a.at))
                    .chain(case.announcements.iter().map(|a| a.letter_date))
                    .max();
                // An announced visit window is a follow-up of its own: visit in it.
                let window_start = case
                    .announcements
                    .iter()
                    .filter(|a| last_activity.is_none_or(|l| a.visit_from >= l))
                    .map(|a| a.visit_from)
                    .min();
                let due = match (window_start, last_activity) {
                    (Some(w), _) => w,
                    (None, Some(l)) => plus_days(l, policy.outreach_follow_up_days),
                    (None, None) => case.referral.referral_date,
                };
                if due <= today {
                    push(due, ReminderKind::OutreachFollowUp, ReminderSubject::Case);
                }
            }
        }
        CaseStatus::Enrolled => {
            if let Some(period) = &case.period
                && minus_days(period.planned_end(), policy.period_end_warning_days) <= today
            {
                push(
                    period.planned_end(),
                    if period.planned_end() < today {
                        ReminderKind::PeriodEnded
                    } else {
                        ReminderKind::PeriodEnding
                    },
                    ReminderSubject::Case,
                );
            }
            for goal in case.goals.iter().filter(|g| g.status.is_active()) {
                if goal.review_date <= today {
                    push(
                        goal.review_date,
                        ReminderKind::GoalReviewDue,
                        ReminderSubject::Goal(goal.id),
                    );
                }
            }
            if let Some(enrolled_on) = case.enrolment.as_ref().map(|e| e.on) {
                // During a pause no contact is expected; after it the count starts again.
                let resumed_on = case.pauses.iter().filter_map(|p| p.until).max();
                let since = case
                    .last_contact_on()
                    .unwrap_or(enrolled_on)
                    .max(enrolled_on)
                    .max(resumed_on.unwrap_or(enrolled_on));
                let due = plus_days(since, policy.no_contact_days);
                if due <= today && case.open_pause().is_none() {
                    push(due, ReminderKind::NoRecentContact, ReminderSubject::Case);
                }
                if case.esf_entry.is_none() {
                    let due = plus_days(enrolled_on, policy.esf_entry_due_days);
                    if minus_days(due, policy.esf_entry_warning_days) <= today {
                        push(due, ReminderKind::EsfEntryMissing, ReminderSubject::Case);
                    }
                }
            }
            for r in case.referrals_out.iter().filter(|r| !r.status.is_final()) {
                let due = plus_days(r.status_since, policy.referral_out_stale_days);
                if due <= today {
                    push(
                        due,
                        ReminderKind::ReferralOutStale,
                        ReminderSubject::ReferralOut(r.id),
                    );
                }
            }
        }
        // Added with the ESF exit-data reminder: a participant's closure without its
        // immediate result, due four weeks after exit.
        CaseStatus::Closed => {
            if let (Some(_), Some(c)) = (&case.enrolment, &case.closure)
                && c.immediate_result.is_none()
            {
                let due = plus_days(c.closed_on, policy.esf_exit_due_days);
                if due
                    .checked_sub_days(Days::new(u64::from(policy.esf_entry_warning_days)))
                    .unwrap_or(NaiveDate::MIN)
                    <= today
                {
                    push(due, ReminderKind::EsfExitMissing, ReminderSubject::Case);
                }
            }
        }
        _ => {}
    }
    out.sort();
    out
}

fn plus_days(day: NaiveDate, days: u32) -> NaiveDate {
    day.checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

fn minus_days(day: NaiveDate, days: u32) -> NaiveDate {
    day.checked_sub_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MIN)
}

fn end_rule_met_as_before(
    case: &Case,
    rule: &OutreachEndRule,
    day: NaiveDate,
    calendar: &dyn LocalCalendar,
) -> bool {
    let failed = case
        .attempts
        .iter()
        .filter(|a| matches!(a.outcome, AttemptOutcome::NotMet | AttemptOutcome::NoteLeft))
        .count();
    let last_reached = case
        .attempts
        .iter()
        .filter(|a| a.outcome.reached())
        .map(|a| calendar.day_of(a.at))
        .max();
    let started = case
        .announcements
        .iter()
        .map(|a| a.letter_date)
        .chain(case.attempts.iter().map(|a| calendar.day_of(a.at)))
        .min()
        .unwrap_or(case.referral.referral_date);
    let met_on = plus_days(
        last_reached.unwrap_or(started),
        rule.max_weeks_without_contact * 7,
    );
    u32::try_from(failed).unwrap_or(u32::MAX) >= rule.max_failed_attempts
        || day >= met_on
        || case
            .attempts
            .last()
            .is_some_and(|a| a.outcome == AttemptOutcome::Moved)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// What storage keeps of a case for reminders (its `ReminderFacts`, through JSON) gives
    /// on every day the reminders the whole case gave before, from referral to closure.
    #[test]
    fn reminders_from_stored_facts_equal_the_reminders_of_the_case(
        ops in proptest::collection::vec(op(), 1..80),
        enrolled in any::<bool>(),
    ) {
        let mut w = if enrolled { World::enrolled() } else { World::referred() };
        let policy = Policy::default();
        for op in &ops {
            step(&mut w, op)?;
            let case = w.case();
            let stored = serde_json::to_string(&ReminderFacts::of(case)).unwrap();
            let facts: ReminderFacts = serde_json::from_str(&stored).unwrap();
            for offset in [0u64, 1, 6, 7, 13, 14, 27, 28, 29, 60, 200] {
                let day = w.today.checked_add_days(Days::new(offset)).unwrap();
                let expected = reminders_as_before(case, day, &Berlin, &policy);
                prop_assert_eq!(&reminders(case, day, &Berlin, &policy), &expected);
                prop_assert_eq!(reminders_of(&facts, day, &Berlin, &policy), expected);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// No outreach reminder is due before the bound storage orders its candidates by
    /// (core's `case_due_lower_bound` over `OutreachFacts::due_from`), on every day, under
    /// two calendars and several follow-up and end-rule policies.
    #[test]
    fn no_outreach_reminder_is_due_before_its_stored_bound(
        ops in proptest::collection::vec(op(), 1..60),
        follow_up in prop_oneof![Just(0u32), Just(1), Just(7), Just(30)],
        weeks in prop_oneof![Just(0u32), Just(1), Just(6)],
    ) {
        use wegbereiter_core::reminders::{OutreachFacts, case_due_lower_bound};
        let mut w = World::referred();
        let mut policy = Policy { outreach_follow_up_days: follow_up, ..Policy::default() };
        policy.outreach_end.max_weeks_without_contact = weeks;
        for op in &ops {
            step(&mut w, op)?;
            let case = w.case();
            if !matches!(case.status, CaseStatus::Referred | CaseStatus::Outreach) {
                continue;
            }
            let from = OutreachFacts::of(case).due_from();
            prop_assert!(!from.is_empty());
            for offset in [0u64, 1, 6, 7, 8, 13, 30, 90] {
                let day = w.today.checked_add_days(Days::new(offset)).unwrap();
                let bound = case_due_lower_bound(&from, day, &policy).unwrap();
                for r in reminders(case, day, &Berlin, &policy)
                    .into_iter()
                    .chain(reminders(case, day, &Utc, &policy))
                {
                    prop_assert!(r.due >= bound, "{:?} due {} before {}", r.kind, r.due, bound);
                }
            }
        }
    }
}
