//! Output shapes: explicit DTOs with stable English snake_case field names for JSON, and their
//! text rendering.
//!
//! Internal domain types are never dumped as they are: what a script sees is defined here, so
//! a refactoring of the domain cannot silently change the CLI's JSON contract. Vocabulary
//! values appear as their stable keys (`"not_reached"`), dates as ISO dates.
//!
//! Notes in the psychologist compartment (rule R14) are only included when the viewer is a
//! psychologist, in both formats.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use wegbereiter_core::case::HandoverRecord;
use wegbereiter_core::case_file::{CaseFile, Fact, Names, SectionKey, Value};
use wegbereiter_core::feedback::JobcenterFeedback;
use wegbereiter_core::next_steps::NextStep;
use wegbereiter_core::prelude::*;
use wegbereiter_core::reminders::ReminderSubject;

use crate::app::Directory;
use crate::dates::{show, show_opt, show_time};
use crate::output::{fields, label, labels, or_dash, table, tr};

/// A vocabulary value as its key.
fn key<T: Labelled>(v: T) -> &'static str {
    v.key()
}

fn keys<T: Labelled>(v: &[T]) -> Vec<&'static str> {
    v.iter().map(|x| x.key()).collect()
}

fn text(t: Option<&Text>) -> Option<String> {
    t.map(|t| t.as_str().to_owned())
}

/// A staff member as outputs show them.
#[derive(Debug, Clone, Serialize)]
pub struct StaffRef {
    /// Id.
    pub id: StaffId,
    /// Login.
    pub login: String,
    /// Display name.
    pub name: String,
}

impl StaffRef {
    /// Looks `id` up in the directory.
    #[must_use]
    pub fn of(id: StaffId, dir: &Directory) -> Self {
        match dir.staff.get(&id) {
            Some(s) => Self {
                id,
                login: s.login.to_string(),
                name: s.display_name.to_string(),
            },
            None => Self {
                id,
                login: "?".into(),
                name: "?".into(),
            },
        }
    }
}

/// A team as outputs show it.
#[derive(Debug, Clone, Serialize)]
pub struct TeamRef {
    /// Id.
    pub id: TeamId,
    /// Name.
    pub name: String,
}

/// Address.
#[derive(Debug, Serialize)]
pub struct AddressView {
    /// Street and number.
    pub street: String,
    /// Postcode.
    pub postcode: String,
    /// City.
    pub city: String,
}

/// The client.
#[derive(Debug, Serialize)]
pub struct ClientView {
    /// Given name(s).
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Date of birth.
    pub date_of_birth: Option<NaiveDate>,
    /// Gender key.
    pub gender: Option<&'static str>,
    /// Address.
    pub address: Option<AddressView>,
    /// Phone.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
}

/// The referral.
#[derive(Debug, Serialize)]
pub struct ReferralView {
    /// Jobcenter.
    pub jobcenter: String,
    /// Case manager.
    pub case_manager: String,
    /// Customer number.
    pub customer_number: Option<String>,
    /// Referral date.
    pub referral_date: NaiveDate,
    /// Reason key.
    pub reason: &'static str,
    /// Problem area keys.
    pub problem_areas: Vec<&'static str>,
    /// Legal basis key.
    pub legal_basis: &'static str,
    /// When it was recorded.
    pub received_at: DateTime<Utc>,
}

/// An announcement letter.
#[derive(Debug, Serialize)]
pub struct LetterView {
    /// Date of the letter.
    pub letter_date: NaiveDate,
    /// Visit window start.
    pub visit_from: NaiveDate,
    /// Visit window end.
    pub visit_until: NaiveDate,
}

/// A contact attempt.
#[derive(Debug, Serialize)]
pub struct AttemptView {
    /// When.
    pub at: DateTime<Utc>,
    /// Channel key.
    pub channel: &'static str,
    /// Outcome key.
    pub outcome: &'static str,
    /// Who.
    pub staff: StaffRef,
}

/// Outreach.
#[derive(Debug, Serialize)]
pub struct OutreachView {
    /// Letters.
    pub letters: Vec<LetterView>,
    /// Attempts.
    pub attempts: Vec<AttemptView>,
    /// Failed attempts (not met, note left).
    pub failed_attempts: u32,
}

/// One extension of the period.
#[derive(Debug, Serialize)]
pub struct ExtensionView {
    /// Planned end before.
    pub previous_end: NaiveDate,
    /// Planned end after.
    pub new_end: NaiveDate,
    /// Reason.
    pub reason: String,
    /// Day decided.
    pub decided_on: NaiveDate,
}

/// The key-worker period.
#[derive(Debug, Serialize)]
pub struct PeriodView {
    /// Start.
    pub start: NaiveDate,
    /// Planned end.
    pub planned_end: NaiveDate,
    /// Latest possible end (start + 6 months).
    pub latest_end: NaiveDate,
    /// Extensions.
    pub extensions: Vec<ExtensionView>,
    /// Pauses in participation (they never move the planned end).
    pub pauses: Vec<PauseView>,
}

/// A pause in participation.
#[derive(Debug, Serialize)]
pub struct PauseView {
    /// First day.
    pub from: NaiveDate,
    /// Day participation resumed; `null` while paused.
    pub until: Option<NaiveDate>,
}

/// Enrolment.
#[derive(Debug, Serialize)]
pub struct EnrolmentView {
    /// Day.
    pub on: NaiveDate,
    /// Hygiene rules explained.
    pub hygiene_rules_explained: bool,
    /// Data protection explained.
    pub data_protection_explained: bool,
}

/// A consent.
#[derive(Debug, Serialize)]
pub struct ConsentView {
    /// Id.
    pub id: ConsentId,
    /// Purpose key.
    pub purpose: &'static str,
    /// Form key.
    pub form: &'static str,
    /// Given on.
    pub given_on: NaiveDate,
    /// Withdrawn at.
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// In force now.
    pub active: bool,
}

/// A social-history entry.
#[derive(Debug, Serialize)]
pub struct AssessmentView {
    /// Domain key.
    pub domain: &'static str,
    /// Need key.
    pub need: &'static str,
    /// Priority key.
    pub priority: &'static str,
    /// Source key.
    pub source: &'static str,
    /// Own view.
    pub own_view: Option<String>,
    /// Strengths.
    pub strengths: Option<String>,
}

/// A goal rating.
#[derive(Debug, Serialize)]
pub struct RatingView {
    /// Day.
    pub on: NaiveDate,
    /// 0–10.
    pub value: u8,
}

/// A goal.
#[derive(Debug, Serialize)]
pub struct GoalView {
    /// Id.
    pub id: GoalId,
    /// Domain key.
    pub domain: &'static str,
    /// Wording.
    pub wording: String,
    /// Criterion.
    pub criterion: String,
    /// Responsible key.
    pub responsible: &'static str,
    /// Review date.
    pub review_date: NaiveDate,
    /// Status key.
    pub status: &'static str,
    /// Agreed on.
    pub agreed_on: NaiveDate,
    /// Ratings, oldest first.
    pub ratings: Vec<RatingView>,
}

/// A contact.
#[derive(Debug, Serialize)]
pub struct ContactView {
    /// Id.
    pub id: ContactId,
    /// Date.
    pub date: NaiveDate,
    /// Minutes.
    pub duration_minutes: u32,
    /// Kind key.
    pub kind: &'static str,
    /// Participants.
    pub participants: Option<String>,
    /// Topic keys.
    pub topics: Vec<&'static str>,
    /// Agreements.
    pub agreements: Option<String>,
    /// Next steps.
    pub next_steps: Option<String>,
    /// Note (absent when hidden).
    pub note: Option<String>,
    /// Compartment key.
    pub compartment: &'static str,
    /// Whether the contact is in a compartment whose notes this viewer may not read (the
    /// note itself never reaches the view: core's `Case::for_reader` removed it).
    pub note_hidden: bool,
}

/// A secrecy release.
#[derive(Debug, Serialize)]
pub struct ReleaseView {
    /// Recipient.
    pub recipient: String,
    /// Kinds of information.
    pub information: String,
    /// Purpose.
    pub purpose: String,
    /// Direction key.
    pub direction: &'static str,
    /// Given on.
    pub given_on: NaiveDate,
    /// Valid until.
    pub valid_until: NaiveDate,
    /// Withdrawn on.
    pub withdrawn_on: Option<NaiveDate>,
}

/// A referral out.
#[derive(Debug, Serialize)]
pub struct ReferralOutView {
    /// Id.
    pub id: OutboundReferralId,
    /// Service id.
    pub service_id: ServiceId,
    /// Service name.
    pub service_name: String,
    /// Kind key.
    pub kind: &'static str,
    /// Status key.
    pub status: &'static str,
    /// Since.
    pub status_since: NaiveDate,
    /// Day the referral was made.
    pub created_on: NaiveDate,
    /// The note on the referral.
    pub note: Option<String>,
    /// The contact person at the service.
    pub contact_person: Option<String>,
    /// Secrecy release.
    pub release: Option<ReleaseView>,
    /// What was passed on to the service, and when (rule R22).
    pub disclosures: Vec<DisclosureView>,
}

/// Information passed on to a service.
#[derive(Debug, Serialize)]
pub struct DisclosureView {
    /// Day.
    pub on: NaiveDate,
    /// What was passed on.
    pub information: String,
}

/// A handover.
#[derive(Debug, Serialize)]
pub struct HandoverView {
    /// Target key.
    pub target: &'static str,
    /// New responsible person.
    pub to: Option<StaffRef>,
    /// Day.
    pub on: NaiveDate,
    /// The person responsible before, if the handover named a new one.
    pub from: Option<StaffRef>,
    /// The note for the handover talk.
    pub note: Option<String>,
}

/// Phase 2 attendance.
#[derive(Debug, Serialize)]
pub struct AttendanceView {
    /// Session id.
    pub session: GroupSessionId,
    /// Date.
    pub date: NaiveDate,
    /// Kind key.
    pub kind: &'static str,
    /// Attendance key.
    pub attendance: &'static str,
}

/// ESF entry data.
#[derive(Debug, Serialize)]
pub struct EsfEntryView {
    /// Employment status key.
    pub employment_status: &'static str,
    /// Long-term unemployed.
    pub long_term_unemployed: bool,
    /// ISCED band key.
    pub education: &'static str,
    /// Disability.
    pub disability: Option<bool>,
    /// Citizenship key.
    pub citizenship: &'static str,
    /// Foreign background.
    pub foreign_background: Option<bool>,
    /// Minority.
    pub minority: Option<bool>,
    /// Homeless.
    pub homeless: bool,
    /// Rural area (EECO17).
    pub rural_area: Option<bool>,
}

/// Closure.
#[derive(Debug, Serialize)]
pub struct ClosureView {
    /// Exit day.
    pub closed_on: NaiveDate,
    /// Exit reason key.
    pub reason: &'static str,
    /// Immediate result key.
    pub immediate_result: Option<&'static str>,
}

impl ClosureView {
    fn build(c: &Closure) -> Self {
        Self {
            closed_on: c.closed_on,
            reason: key(c.reason),
            immediate_result: c.immediate_result.map(key),
        }
    }
}

/// `case show`.
#[derive(Debug, Serialize)]
pub struct CaseView {
    /// Id.
    pub id: CaseId,
    /// Version (number of events).
    pub version: u64,
    /// Status key.
    pub status: &'static str,
    /// Phase key.
    pub phase: Option<&'static str>,
    /// Team.
    pub team: Option<TeamRef>,
    /// Client.
    pub client: ClientView,
    /// Referral.
    pub referral: ReferralView,
    /// Key worker.
    pub key_worker: Option<StaffRef>,
    /// Outreach.
    pub outreach: OutreachView,
    /// Enrolment.
    pub enrolment: Option<EnrolmentView>,
    /// Period.
    pub period: Option<PeriodView>,
    /// Consents.
    pub consents: Vec<ConsentView>,
    /// Social history.
    pub social_history: Vec<AssessmentView>,
    /// Goals.
    pub goals: Vec<GoalView>,
    /// Contacts.
    pub contacts: Vec<ContactView>,
    /// Referrals out.
    pub referrals_out: Vec<ReferralOutView>,
    /// Handovers.
    pub handovers: Vec<HandoverView>,
    /// Attendance.
    pub attendance: Vec<AttendanceView>,
    /// ESF entry.
    pub esf_entry: Option<EsfEntryView>,
    /// The closure in force; `null` while the case is open (also after a reopening).
    pub closure: Option<ClosureView>,
    /// Closures undone by a reopening, oldest first.
    pub previous_closures: Vec<ClosureView>,
    /// Day the case ended.
    pub ended_on: Option<NaiveDate>,
    /// Last change.
    pub last_changed_at: DateTime<Utc>,
    /// The case file as the reader sees it (core's case-file model), section after section.
    pub sections: Vec<SectionView>,
    /// What the case file does not show this reader, and why.
    pub withheld: Vec<WithheldView>,
    /// What the reader can do next in this case, most pressing first (core's `next_steps`).
    pub next_steps: Vec<NextStepView>,
}

/// One of the next steps of a case for the reader (core's `next_steps`).
#[derive(Debug, Serialize)]
pub struct NextStepView {
    /// The step's stable key (`enrol`, `ask_consent`, `review_goal`, …).
    pub step: &'static str,
    /// The key of the case-file section whose step it is.
    pub section: &'static str,
    /// When it is due, if it has a day.
    pub due: Option<NaiveDate>,
    /// Due before today.
    pub overdue: bool,
    /// The step as a sentence in the output language.
    pub text: String,
}

impl NextStepView {
    /// The views of `steps` on `today` in `lang`.
    #[must_use]
    pub fn of(steps: &[NextStep], today: NaiveDate, lang: Lang) -> Vec<Self> {
        steps
            .iter()
            .map(|s| Self {
                step: s.key(),
                section: s.section().key(),
                due: s.due(),
                overdue: s.overdue(today),
                text: s.message(lang),
            })
            .collect()
    }
}

/// The next steps as text, for the top of `case show`; empty without steps.
#[must_use]
pub fn next_steps_text(steps: &[NextStepView], lang: Lang) -> String {
    if steps.is_empty() {
        return String::new();
    }
    let mut out = format!("{}\n", tr(lang, "Nächste Schritte:", "Next steps:"));
    for s in steps {
        let overdue = if s.overdue {
            tr(lang, " (überfällig)", " (overdue)")
        } else {
            ""
        };
        out.push_str(&format!("  → {}{overdue}\n", s.text));
    }
    out.push('\n');
    out
}

fn team_ref(id: TeamId, dir: &Directory) -> TeamRef {
    TeamRef {
        id,
        name: dir.team_name(id),
    }
}

fn handover_view(h: &HandoverRecord, dir: &Directory) -> HandoverView {
    HandoverView {
        target: key(h.target),
        to: h.to.map(|s| StaffRef::of(s, dir)),
        on: h.on,
        from: h.from.map(|s| StaffRef::of(s, dir)),
        note: h.note.as_ref().map(ToString::to_string),
    }
}

impl CaseView {
    /// Builds the view of `case` for `viewer` (`None`: no `--as`), at `now`. What the viewer
    /// may read is core's decision (`Contact::withheld_from`, rule R14); `case` should
    /// already have come through `Case::for_reader`.
    #[must_use]
    pub fn build(
        case: &Case,
        dir: &Directory,
        viewer: Option<&Actor>,
        now: DateTime<FixedOffset>,
        model: (Vec<SectionView>, Vec<WithheldView>),
    ) -> Self {
        let (sections, withheld) = model;
        let r = &case.referral;
        let c = &r.client;
        Self {
            id: case.id,
            version: case.version,
            status: key(case.status),
            phase: case.phase.map(key),
            team: case.team.map(|t| team_ref(t, dir)),
            client: ClientView {
                given_name: c.given_name.to_string(),
                family_name: c.family_name.to_string(),
                date_of_birth: c.date_of_birth,
                gender: c.gender.map(key),
                address: c.address.as_ref().map(|a| AddressView {
                    street: a.street.to_string(),
                    postcode: a.postcode.to_string(),
                    city: a.city.to_string(),
                }),
                phone: text(c.phone.as_ref()),
                email: text(c.email.as_ref()),
            },
            referral: ReferralView {
                jobcenter: r.jobcenter.to_string(),
                case_manager: r.case_manager.to_string(),
                customer_number: text(r.customer_number.as_ref()),
                referral_date: r.referral_date,
                reason: key(r.reason),
                problem_areas: keys(&r.problem_areas),
                legal_basis: key(r.legal_basis),
                received_at: case.received_at,
            },
            key_worker: case.key_worker.map(|k| StaffRef::of(k, dir)),
            outreach: OutreachView {
                letters: case
                    .announcements
                    .iter()
                    .map(|a| LetterView {
                        letter_date: a.letter_date,
                        visit_from: a.visit_from,
                        visit_until: a.visit_until,
                    })
                    .collect(),
                attempts: case
                    .attempts
                    .iter()
                    .map(|a| AttemptView {
                        at: a.at,
                        channel: key(a.channel),
                        outcome: key(a.outcome),
                        staff: StaffRef::of(a.staff, dir),
                    })
                    .collect(),
                failed_attempts: case.failed_attempts(),
            },
            enrolment: case.enrolment.as_ref().map(|e| EnrolmentView {
                on: e.on,
                hygiene_rules_explained: e.terms.hygiene_rules,
                data_protection_explained: e.terms.data_protection,
            }),
            period: case.period.as_ref().map(|p| PeriodView {
                start: p.start(),
                planned_end: p.planned_end(),
                latest_end: p.latest_end(),
                extensions: p
                    .extensions()
                    .iter()
                    .map(|e| ExtensionView {
                        previous_end: e.previous_end,
                        new_end: e.new_end,
                        reason: e.reason.to_string(),
                        decided_on: e.decided_on,
                    })
                    .collect(),
                pauses: case
                    .pauses
                    .iter()
                    .map(|x| PauseView {
                        from: x.from,
                        until: x.until,
                    })
                    .collect(),
            }),
            consents: case
                .consents
                .iter()
                .map(|c| ConsentView {
                    id: c.id,
                    purpose: key(c.purpose),
                    form: key(c.form),
                    given_on: c.given_on,
                    withdrawn_at: c.withdrawn_at,
                    active: c.is_active_at(now),
                })
                .collect(),
            social_history: case
                .social_history
                .iter()
                .map(|(d, a)| AssessmentView {
                    domain: key(*d),
                    need: key(a.need),
                    priority: key(a.priority),
                    source: key(a.source),
                    own_view: text(a.own_view.as_ref()),
                    strengths: text(a.strengths.as_ref()),
                })
                .collect(),
            goals: case
                .goals
                .iter()
                .map(|g| GoalView {
                    id: g.id,
                    domain: key(g.domain),
                    wording: g.wording.to_string(),
                    criterion: g.criterion.to_string(),
                    responsible: key(g.responsible),
                    review_date: g.review_date,
                    status: key(g.status),
                    agreed_on: g.agreed_on,
                    ratings: g
                        .ratings
                        .iter()
                        .map(|r| RatingView {
                            on: r.on,
                            value: r.value.value(),
                        })
                        .collect(),
                })
                .collect(),
            contacts: case
                .contacts
                .iter()
                .map(|c| {
                    let hidden = c.withheld_from(viewer);
                    ContactView {
                        id: c.id,
                        date: c.date,
                        duration_minutes: c.duration_minutes,
                        kind: key(c.kind),
                        participants: text(c.participants.as_ref()),
                        topics: keys(&c.topics),
                        agreements: text(c.agreements.as_ref()),
                        next_steps: text(c.next_steps.as_ref()),
                        note: if hidden { None } else { text(c.note.as_ref()) },
                        compartment: key(c.compartment),
                        note_hidden: hidden,
                    }
                })
                .collect(),
            referrals_out: case
                .referrals_out
                .iter()
                .map(|r| ReferralOutView {
                    id: r.id,
                    service_id: r.service,
                    service_name: dir
                        .services
                        .get(&r.service)
                        .map_or_else(|| "?".to_owned(), |s| s.name.to_string()),
                    kind: key(r.kind),
                    status: key(r.status),
                    status_since: r.status_since,
                    created_on: r.created_on,
                    note: r.note.as_ref().map(ToString::to_string),
                    contact_person: r.contact_person.as_ref().map(ToString::to_string),
                    release: r.release.as_ref().map(|s| ReleaseView {
                        recipient: s.recipient.to_string(),
                        information: s.information.to_string(),
                        purpose: s.purpose.to_string(),
                        direction: key(s.direction),
                        given_on: s.given_on,
                        valid_until: s.valid_until,
                        withdrawn_on: s.withdrawn_on,
                    }),
                    disclosures: r
                        .disclosures
                        .iter()
                        .map(|x| DisclosureView {
                            on: x.on,
                            information: x.information.to_string(),
                        })
                        .collect(),
                })
                .collect(),
            handovers: case
                .handovers
                .iter()
                .map(|h| handover_view(h, dir))
                .collect(),
            attendance: case
                .attendance
                .iter()
                .map(|a| AttendanceView {
                    session: a.session,
                    date: a.date,
                    kind: key(a.kind),
                    attendance: key(a.attendance),
                })
                .collect(),
            esf_entry: case.esf_entry.as_ref().map(|e| EsfEntryView {
                employment_status: key(e.employment_status),
                long_term_unemployed: e.long_term_unemployed,
                education: key(e.education),
                disability: e.disability,
                citizenship: key(e.citizenship),
                foreign_background: e.foreign_background,
                minority: e.minority,
                homeless: e.homeless,
                rural_area: e.rural_area,
            }),
            closure: case.closure.as_ref().map(ClosureView::build),
            previous_closures: case
                .previous_closures
                .iter()
                .map(ClosureView::build)
                .collect(),
            ended_on: case.ended_on,
            last_changed_at: case.last_changed_at,
            sections,
            withheld,
            next_steps: Vec::new(),
        }
    }
}

fn yes_no(b: bool, lang: Lang) -> &'static str {
    if b {
        tr(lang, "ja", "yes")
    } else {
        tr(lang, "nein", "no")
    }
}

/// A fact of the case-file model in JSON: the stable key, the label in the requested
/// language, the value as shown to people, and the value for scripts (ISO days, UTC
/// instants, vocabulary keys, numbers, booleans; `null` when missing or withheld).
#[derive(Debug, Serialize)]
pub struct FactView {
    /// Stable key (`jobcenter`, `planned_end`, …).
    pub key: &'static str,
    /// Label in the requested language.
    pub label: &'static str,
    /// The value as the text output shows it.
    pub text: String,
    /// The value for scripts.
    pub value: serde_json::Value,
    /// Whether the value is withheld from this reader.
    pub withheld: bool,
}

impl FactView {
    fn build(f: &Fact, tz: Tz, lang: Lang) -> Self {
        use serde_json::Value as J;
        let value = match &f.value {
            Value::Text(t) => J::from(t.clone()),
            Value::Date(d) => J::from(d.to_string()),
            Value::Instant(at) => J::from(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            Value::Choice(c) => J::from(c.key),
            Value::Choices(cs) => J::from(cs.iter().map(|c| c.key).collect::<Vec<_>>()),
            Value::Number(n) => J::from(*n),
            Value::Flag(Some(b)) => J::from(*b),
            Value::Ratings(rs) => J::from(
                rs.iter()
                    .map(|r| serde_json::json!({ "on": r.on.to_string(), "value": r.value }))
                    .collect::<Vec<_>>(),
            ),
            _ => J::Null,
        };
        Self {
            key: f.key.key(),
            label: f.label,
            text: show_value(&f.value, tz, lang),
            value,
            withheld: f.value == Value::Withheld,
        }
    }
}

/// An entry of a listing section in JSON.
#[derive(Debug, Serialize)]
pub struct EntryView {
    /// The entry's id, if it has one.
    pub id: Option<String>,
    /// Whether some of its content is withheld from this reader.
    pub withheld: bool,
    /// Its facts.
    pub facts: Vec<FactView>,
}

/// A section of the case-file model in JSON (`case show`'s `sections`).
#[derive(Debug, Serialize)]
pub struct SectionView {
    /// Stable key (`client`, `goals`, …).
    pub key: &'static str,
    /// Title in the requested language.
    pub title: &'static str,
    /// Facts of a fact section.
    pub facts: Vec<FactView>,
    /// Entries of a listing section.
    pub entries: Vec<EntryView>,
    /// The entries in sentences, where the text output shows sentences.
    pub lines: Vec<String>,
}

/// What `case show` does not show this reader, and why.
#[derive(Debug, Serialize)]
pub struct WithheldView {
    /// Section key.
    pub section: &'static str,
    /// Entry id.
    pub entry: Option<String>,
    /// Reason key (`psychologist_compartment`).
    pub reason: &'static str,
    /// The reason in the requested language.
    pub explanation: &'static str,
}

/// The sections and withheld entries of `file` for JSON.
#[must_use]
pub fn file_views(file: &CaseFile, tz: Tz, lang: Lang) -> (Vec<SectionView>, Vec<WithheldView>) {
    let facts = |fs: &[Fact]| fs.iter().map(|f| FactView::build(f, tz, lang)).collect();
    let sections = file
        .sections
        .iter()
        .map(|s| SectionView {
            key: s.key.key(),
            title: s.title,
            facts: facts(&s.facts),
            entries: s
                .entries
                .iter()
                .map(|e| EntryView {
                    id: e.id.clone(),
                    withheld: e.withheld,
                    facts: facts(&e.facts),
                })
                .collect(),
            lines: s.lines.clone(),
        })
        .collect();
    let withheld = file
        .withheld
        .iter()
        .map(|w| WithheldView {
            section: w.section.key(),
            entry: w.entry.clone(),
            reason: w.reason.key(),
            explanation: w.explanation,
        })
        .collect();
    (sections, withheld)
}

/// A value of the case-file model as text; instants on the installation's wall clock.
fn show_value(value: &Value, tz: Tz, lang: Lang) -> String {
    value.show(lang, &|at| show_time(at, tz, lang))
}

fn heading(out: &mut String, title: &str) {
    out.push('\n');
    out.push_str(title);
    out.push('\n');
}

/// Listings whose ids are typed on the command line (`consent withdraw ID`, `goal rate ID`,
/// `referral-out status ID`) show them.
fn shows_ids(key: SectionKey) -> bool {
    matches!(
        key,
        SectionKey::Consents | SectionKey::Goals | SectionKey::ReferralsOut
    )
}

/// Renders `case show` as text: the case-file model, section after section.
#[must_use]
pub fn case_text(id: CaseId, file: &CaseFile, tz: Tz, lang: Lang) -> String {
    let mut out = format!("{} {id}  –  {}\n", tr(lang, "Fall", "Case"), file.title);
    for section in file.sections.iter().filter(|s| !s.is_empty()) {
        if section.key != SectionKey::Overview {
            heading(&mut out, section.title);
        }
        if !section.facts.is_empty() {
            let rows: Vec<(&str, String)> = section
                .facts
                .iter()
                .map(|f| (f.label, show_value(&f.value, tz, lang)))
                .collect();
            out.push_str(&fields(&rows).to_string());
            out.push('\n');
        }
        for line in &section.lines {
            out.push_str(line);
            out.push('\n');
        }
        if !section.lines.is_empty() {
            continue;
        }
        if let Some(first) = section.entries.first() {
            let ids = shows_ids(section.key);
            let mut headers: Vec<&str> = if ids { vec!["Id"] } else { Vec::new() };
            headers.extend(first.facts.iter().map(|f| f.label));
            let mut tb = table(&headers);
            for e in &section.entries {
                let mut row: Vec<String> = if ids {
                    vec![e.id.clone().unwrap_or_default()]
                } else {
                    Vec::new()
                };
                row.extend(e.facts.iter().map(|f| show_value(&f.value, tz, lang)));
                tb.add_row(row);
            }
            out.push_str(&tb.to_string());
            out.push('\n');
        }
    }
    for w in &file.withheld {
        out.push_str(&format!(
            "{} {}\n",
            tr(lang, "Nicht angezeigt:", "Not shown:"),
            w.explanation
        ));
    }
    out
}

impl Names for Directory {
    fn staff(&self, id: StaffId) -> Option<String> {
        self.staff.get(&id).map(|s| s.display_name.to_string())
    }

    fn team(&self, id: TeamId) -> Option<String> {
        self.teams.get(&id).map(|t| t.name.to_string())
    }

    fn service(&self, id: ServiceId) -> Option<String> {
        self.services.get(&id).map(|s| s.name.to_string())
    }

    fn service_details(&self, id: ServiceId) -> Option<wegbereiter_core::services::ServiceDetails> {
        self.services.get(&id).map(|s| s.details.clone())
    }
}

/// A row of `case list`.
#[derive(Debug, Serialize)]
pub struct SummaryView {
    /// Id.
    pub id: CaseId,
    /// "Family, Given".
    pub client_name: String,
    /// Date of birth.
    pub date_of_birth: Option<NaiveDate>,
    /// Status key.
    pub status: &'static str,
    /// Phase key.
    pub phase: Option<&'static str>,
    /// Team name.
    pub team: Option<String>,
    /// Key worker login.
    pub key_worker: Option<String>,
    /// Jobcenter.
    pub jobcenter: String,
    /// Referral date.
    pub referral_date: NaiveDate,
    /// Planned end.
    pub planned_end: Option<NaiveDate>,
    /// Ended on.
    pub ended_on: Option<NaiveDate>,
    /// Version.
    pub version: u64,
}

impl SummaryView {
    /// Builds a row.
    #[must_use]
    pub fn build(s: &CaseSummary, dir: &Directory) -> Self {
        Self {
            id: s.id,
            client_name: s.client_name.clone(),
            date_of_birth: s.date_of_birth,
            status: key(s.status),
            phase: s.phase.map(key),
            team: s.team.map(|t| dir.team_name(t)),
            key_worker: s.key_worker.map(|k| dir.login(k)),
            jobcenter: s.jobcenter.clone(),
            referral_date: s.referral_date,
            planned_end: s.planned_end,
            ended_on: s.ended_on,
            version: s.version,
        }
    }
}

/// Renders `case list` as text.
#[must_use]
pub fn summaries_text(rows: &[CaseSummary], views: &[SummaryView], lang: Lang) -> String {
    if rows.is_empty() {
        return tr(lang, "Keine Fälle gefunden.", "No cases found.").to_owned();
    }
    let t = |de, en| tr(lang, de, en);
    let mut tb = table(&[
        t("Fall", "Case"),
        t("Klient*in", "Client"),
        t("Status", "Status"),
        t("Phase", "Phase"),
        t("Bezugsberater*in", "Key worker"),
        t("Zuweisung", "Referred"),
        t("Geplantes Ende", "Planned end"),
    ]);
    for (s, v) in rows.iter().zip(views) {
        tb.add_row(vec![
            s.id.to_string(),
            s.client_name.clone(),
            label(s.status, lang).to_owned(),
            s.phase.map_or("–".into(), |p| label(p, lang).to_owned()),
            or_dash(v.key_worker.as_deref()),
            show(s.referral_date, lang),
            show_opt(s.planned_end, lang),
        ]);
    }
    format!(
        "{tb}\n{} {}",
        rows.len(),
        crate::output::cases_word(u64::try_from(rows.len()).unwrap_or(u64::MAX), lang)
    )
}

/// One entry of `case history`.
#[derive(Debug, Serialize)]
pub struct HistoryEntry {
    /// Position in the history.
    pub sequence: u64,
    /// When.
    pub recorded_at: DateTime<Utc>,
    /// Who.
    pub actor: StaffRef,
    /// The stable, versioned event tag, e.g. `goal_agreed.v1`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// A one-line description in the requested language.
    pub summary: String,
}

/// Renders `case history` as text.
#[must_use]
pub fn history_text(entries: &[HistoryEntry], tz: Tz, lang: Lang) -> String {
    let t = |de, en| tr(lang, de, en);
    let mut tb = table(&[
        "#",
        t("Zeitpunkt", "When"),
        t("Wer", "Who"),
        t("Was", "What"),
    ]);
    for e in entries {
        tb.add_row(vec![
            e.sequence.to_string(),
            show_time(e.recorded_at, tz, lang),
            e.actor.login.clone(),
            e.summary.clone(),
        ]);
    }
    tb.to_string()
}

/// One reminder.
#[derive(Debug, Serialize)]
pub struct ReminderView {
    /// Due day.
    pub due: NaiveDate,
    /// Kind key.
    pub kind: &'static str,
    /// Case.
    pub case_id: CaseId,
    /// Client name.
    pub client_name: Option<String>,
    /// Goal or referral out the reminder is about.
    pub subject_id: Option<String>,
    /// Key worker login.
    pub key_worker: Option<String>,
    /// Whether the due day has passed.
    pub overdue: bool,
}

impl ReminderView {
    /// Builds a row.
    #[must_use]
    pub fn build(
        r: &Reminder,
        client_name: Option<String>,
        dir: &Directory,
        today: NaiveDate,
    ) -> Self {
        Self {
            due: r.due,
            kind: key(r.kind),
            case_id: r.case_id,
            client_name,
            subject_id: match r.subject {
                ReminderSubject::Case => None,
                ReminderSubject::Goal(g) => Some(g.to_string()),
                ReminderSubject::ReferralOut(o) => Some(o.to_string()),
            },
            key_worker: r.key_worker.map(|k| dir.login(k)),
            overdue: r.due < today,
        }
    }
}

/// Renders reminders as text.
#[must_use]
pub fn reminders_text(items: &[Reminder], views: &[ReminderView], lang: Lang) -> String {
    let t = |de, en| tr(lang, de, en);
    if items.is_empty() {
        return t("Keine Wiedervorlagen fällig.", "No reminders due.").to_owned();
    }
    let mut tb = table(&[
        t("Fällig", "Due"),
        t("Wiedervorlage", "Reminder"),
        t("Klient*in", "Client"),
        t("Fall", "Case"),
        t("Bezugsberater*in", "Key worker"),
    ]);
    for (r, v) in items.iter().zip(views) {
        let due = if v.overdue {
            format!("{} !", show(r.due, lang))
        } else {
            show(r.due, lang)
        };
        tb.add_row(vec![
            due,
            label(r.kind, lang).to_owned(),
            or_dash(v.client_name.as_deref()),
            r.case_id.to_string(),
            or_dash(v.key_worker.as_deref()),
        ]);
    }
    format!("{tb}\n{} {}", items.len(), t("Wiedervorlagen", "reminders"))
}

/// `report jobcenter`: only what consents allow; no free text by construction.
#[derive(Debug, Serialize)]
pub struct FeedbackView {
    /// Case.
    pub case_id: CaseId,
    /// Computed for this moment.
    pub as_of: DateTime<Utc>,
    /// Jobcenter.
    pub jobcenter: String,
    /// Customer number.
    pub customer_number: Option<String>,
    /// Referral date.
    pub referral_date: NaiveDate,
    /// Outreach result.
    pub outreach: FeedbackOutreach,
    /// Participation (consent `jobcenter_participation`).
    pub participation: Option<FeedbackParticipation>,
    /// Progress (consent `jobcenter_progress`).
    pub progress: Option<FeedbackProgress>,
    /// Exit (consent `jobcenter_exit`).
    pub exit: Option<FeedbackExit>,
}

/// Outreach result.
#[derive(Debug, Serialize)]
pub struct FeedbackOutreach {
    /// Reached.
    pub reached: bool,
    /// Offer key (open, accepted, declined).
    pub offer: &'static str,
    /// Number of attempts.
    pub attempt_count: usize,
    /// Attempt dates.
    pub attempt_dates: Vec<NaiveDate>,
}

/// Participation confirmation.
#[derive(Debug, Serialize)]
pub struct FeedbackParticipation {
    /// Start.
    pub start: NaiveDate,
    /// Key worker's name.
    pub key_worker: Option<String>,
    /// Planned end.
    pub planned_end: NaiveDate,
}

/// Progress.
#[derive(Debug, Serialize)]
pub struct FeedbackProgress {
    /// Life domain keys worked on.
    pub domains_worked_on: Vec<&'static str>,
    /// Goal counts by status key.
    pub goals_by_status: std::collections::BTreeMap<&'static str, usize>,
}

/// Exit.
#[derive(Debug, Serialize)]
pub struct FeedbackExit {
    /// End date.
    pub end_date: NaiveDate,
    /// Exit reason key.
    pub reason: &'static str,
    /// Handover target keys.
    pub handovers: Vec<&'static str>,
    /// Service kind keys.
    pub referred_to: Vec<&'static str>,
}

impl FeedbackView {
    /// Builds the view from the domain's consent-filtered feedback.
    #[must_use]
    pub fn build(case: &Case, f: &JobcenterFeedback, dir: &Directory) -> Self {
        Self {
            case_id: f.case_id,
            as_of: f.as_of,
            jobcenter: case.referral.jobcenter.to_string(),
            customer_number: text(case.referral.customer_number.as_ref()),
            referral_date: case.referral.referral_date,
            outreach: FeedbackOutreach {
                reached: f.outreach.reached,
                offer: key(f.outreach.offer),
                attempt_count: f.outreach.attempt_count,
                attempt_dates: f.outreach.attempt_dates.clone(),
            },
            participation: f.participation.as_ref().map(|p| FeedbackParticipation {
                start: p.start,
                key_worker: p.key_worker.map(|k| StaffRef::of(k, dir).name),
                planned_end: p.planned_end,
            }),
            progress: f.progress.as_ref().map(|p| FeedbackProgress {
                domains_worked_on: keys(&p.domains_worked_on),
                goals_by_status: p
                    .goals_by_status
                    .iter()
                    .map(|(s, n)| (key(*s), *n))
                    .collect(),
            }),
            exit: f.exit.as_ref().map(|e| FeedbackExit {
                end_date: e.end_date,
                reason: key(e.reason),
                handovers: keys(&e.handovers),
                referred_to: keys(&e.referred_to),
            }),
        }
    }
}

/// Renders the Jobcenter feedback as text.
#[must_use]
pub fn feedback_text(case: &Case, f: &JobcenterFeedback, v: &FeedbackView, lang: Lang) -> String {
    let t = |de, en| tr(lang, de, en);
    let mut out = String::new();
    out.push_str(&format!(
        "{} – {} {}\n",
        t("Rückmeldung an das Jobcenter", "Feedback for the Jobcenter"),
        case.referral.client.full_name(),
        v.customer_number
            .as_ref()
            .map(|k| format!("({} {k})", t("Kundennummer", "customer number")))
            .unwrap_or_default()
    ));
    out.push_str(&format!(
        "{}: {}, {} {}\n",
        t("Zuweisung", "Referral"),
        v.jobcenter,
        t("vom", "of"),
        show(v.referral_date, lang)
    ));
    heading(&mut out, t("Aufsuchende Phase", "Outreach"));
    let dates = f
        .outreach
        .attempt_dates
        .iter()
        .map(|d| show(*d, lang))
        .collect::<Vec<_>>()
        .join(", ");
    out.push_str(
        &fields(&[
            (
                t("Erreicht", "Reached"),
                yes_no(f.outreach.reached, lang).to_owned(),
            ),
            (
                t("Angebot", "Offer"),
                label(f.outreach.offer, lang).to_owned(),
            ),
            (
                t("Kontaktversuche", "Contact attempts"),
                f.outreach.attempt_count.to_string(),
            ),
            (
                t("Daten der Versuche", "Dates of attempts"),
                if dates.is_empty() {
                    "–".into()
                } else {
                    dates
                },
            ),
        ])
        .to_string(),
    );
    out.push('\n');
    if let (Some(p), Some(pv)) = (&f.participation, &v.participation) {
        heading(
            &mut out,
            t("Teilnahmebestätigung", "Participation confirmation"),
        );
        out.push_str(
            &fields(&[
                (t("Beginn", "Start"), show(p.start, lang)),
                (
                    t("Bezugsberater*in", "Key worker"),
                    or_dash(pv.key_worker.as_deref()),
                ),
                (
                    t("Geplantes Ende", "Planned end"),
                    show(p.planned_end, lang),
                ),
            ])
            .to_string(),
        );
        out.push('\n');
    }
    if let Some(p) = &f.progress {
        heading(&mut out, t("Entwicklung", "Progress"));
        let by_status = p
            .goals_by_status
            .iter()
            .map(|(s, n)| format!("{} {n}", label(*s, lang)))
            .collect::<Vec<_>>()
            .join(", ");
        out.push_str(
            &fields(&[
                (
                    t("Bearbeitete Lebensbereiche", "Life domains worked on"),
                    labels(&p.domains_worked_on, lang),
                ),
                (
                    t("Ziele nach Stand", "Goals by status"),
                    if by_status.is_empty() {
                        "–".into()
                    } else {
                        by_status
                    },
                ),
            ])
            .to_string(),
        );
        out.push('\n');
    }
    if let Some(e) = &f.exit {
        heading(&mut out, t("Abschluss", "Exit"));
        out.push_str(
            &fields(&[
                (t("Ende", "End"), show(e.end_date, lang)),
                (t("Grund", "Reason"), label(e.reason, lang).to_owned()),
                (t("Übergaben", "Handovers"), labels(&e.handovers, lang)),
                (
                    t("Vermittelt an", "Referred to"),
                    labels(&e.referred_to, lang),
                ),
            ])
            .to_string(),
        );
        out.push('\n');
    }
    if f.participation.is_none() && f.progress.is_none() && f.exit.is_none() {
        out.push_str(t(
            "\nWeitere Angaben nur mit Einwilligung der Klient*in.\n",
            "\nFurther information only with the client's consent.\n",
        ));
    }
    out
}
