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
use wegbereiter_core::event::CaseEvent;
use wegbereiter_core::feedback::JobcenterFeedback;
use wegbereiter_core::prelude::*;
use wegbereiter_core::reminders::ReminderSubject;

use crate::app::Directory;
use crate::dates::{show, show_day_of, show_opt, show_time};
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

    fn show(&self) -> String {
        format!("{} ({})", self.name, self.login)
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
    /// Created on.
    pub created_on: NaiveDate,
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
    ) -> Self {
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
            }),
            closure: case.closure.as_ref().map(ClosureView::build),
            previous_closures: case
                .previous_closures
                .iter()
                .map(ClosureView::build)
                .collect(),
            ended_on: case.ended_on,
            last_changed_at: case.last_changed_at,
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

fn opt_yes_no(b: Option<bool>, lang: Lang) -> &'static str {
    b.map_or(tr(lang, "keine Angabe", "no answer"), |b| yes_no(b, lang))
}

/// Ids in full: UUID v7 prefixes are timestamps and so not distinctive.
fn id_str(id: impl std::fmt::Display) -> String {
    id.to_string()
}

fn heading(out: &mut String, title: &str) {
    out.push('\n');
    out.push_str(title);
    out.push('\n');
}

/// Renders `case show` as text. `case` supplies vocabulary values for labels; `view` the
/// already filtered content.
#[must_use]
#[allow(clippy::too_many_lines)] // One section after the other, like a case file.
pub fn case_text(case: &Case, view: &CaseView, tz: Tz, lang: Lang) -> String {
    let t = |de, en| tr(lang, de, en);
    let r = &case.referral;
    let c = &r.client;
    let mut out = String::new();
    out.push_str(&format!(
        "{} {}  –  {}\n",
        t("Fall", "Case"),
        view.id,
        c.sort_name()
    ));
    let mut head = vec![
        (t("Status", "Status"), label(case.status, lang).to_owned()),
        (
            t("Phase", "Phase"),
            case.phase.map_or("–".into(), |p| label(p, lang).to_owned()),
        ),
        (
            t("Bezugsberater*in", "Key worker"),
            view.key_worker.as_ref().map_or("–".into(), StaffRef::show),
        ),
        (
            t("Team", "Team"),
            view.team.as_ref().map_or("–".into(), |t| t.name.clone()),
        ),
        (t("Version", "Version"), view.version.to_string()),
    ];
    if let Some(ended) = case.ended_on {
        head.push((t("Beendet am", "Ended on"), show(ended, lang)));
    }
    out.push_str(&fields(&head).to_string());
    out.push('\n');

    heading(&mut out, t("Klient*in", "Client"));
    out.push_str(
        &fields(&[
            (t("Name", "Name"), c.full_name()),
            (
                t("Geburtsdatum", "Date of birth"),
                show_opt(c.date_of_birth, lang),
            ),
            (
                t("Geschlecht", "Gender"),
                c.gender.map_or("–".into(), |g| label(g, lang).to_owned()),
            ),
            (
                t("Anschrift", "Address"),
                c.address.as_ref().map_or("–".into(), |a| {
                    format!("{}, {} {}", a.street, a.postcode, a.city)
                }),
            ),
            (
                t("Telefon", "Phone"),
                or_dash(c.phone.as_ref().map(Text::as_str)),
            ),
            (
                t("E-Mail", "E-mail"),
                or_dash(c.email.as_ref().map(Text::as_str)),
            ),
        ])
        .to_string(),
    );
    out.push('\n');

    heading(&mut out, t("Zuweisung", "Referral"));
    out.push_str(
        &fields(&[
            (t("Jobcenter", "Jobcenter"), r.jobcenter.to_string()),
            (
                t("Fallmanager*in", "Case manager"),
                r.case_manager.to_string(),
            ),
            (
                t("Kundennummer", "Customer number"),
                or_dash(r.customer_number.as_ref().map(Text::as_str)),
            ),
            (t("Datum", "Date"), show(r.referral_date, lang)),
            (t("Grund", "Reason"), label(r.reason, lang).to_owned()),
            (
                t("Problembereiche", "Problem areas"),
                labels(&r.problem_areas, lang),
            ),
            (
                t("Rechtsgrundlage", "Legal basis"),
                label(r.legal_basis, lang).to_owned(),
            ),
        ])
        .to_string(),
    );
    out.push('\n');

    if !case.announcements.is_empty() || !case.attempts.is_empty() {
        heading(&mut out, t("Aufsuchende Phase", "Outreach"));
        if !case.announcements.is_empty() {
            let mut tb = table(&[
                t("Ankündigung vom", "Letter of"),
                t("Besuch ab", "Visit from"),
                t("Besuch bis", "Visit until"),
            ]);
            for a in &case.announcements {
                tb.add_row(vec![
                    show(a.letter_date, lang),
                    show(a.visit_from, lang),
                    show(a.visit_until, lang),
                ]);
            }
            out.push_str(&tb.to_string());
            out.push('\n');
        }
        if !case.attempts.is_empty() {
            let mut tb = table(&[
                t("Kontaktversuch", "Attempt"),
                t("Weg", "Channel"),
                t("Ergebnis", "Outcome"),
                t("Wer", "Who"),
            ]);
            for (a, v) in case.attempts.iter().zip(&view.outreach.attempts) {
                tb.add_row(vec![
                    show_time(a.at, tz, lang),
                    label(a.channel, lang).to_owned(),
                    label(a.outcome, lang).to_owned(),
                    v.staff.login.clone(),
                ]);
            }
            out.push_str(&tb.to_string());
            out.push('\n');
        }
    }

    if let (Some(e), Some(p)) = (&case.enrolment, &case.period) {
        heading(&mut out, t("Bezugsberatung", "Key-worker period"));
        out.push_str(
            &fields(&[
                (t("Aufnahme am", "Enrolled on"), show(e.on, lang)),
                (t("Beginn", "Start"), show(p.start(), lang)),
                (
                    t("Geplantes Ende", "Planned end"),
                    show(p.planned_end(), lang),
                ),
                (
                    t("Spätestes Ende", "Latest end"),
                    show(p.latest_end(), lang),
                ),
            ])
            .to_string(),
        );
        out.push('\n');
        for x in &case.pauses {
            let line = match x.until {
                Some(until) => format!(
                    "{} {} – {}\n",
                    t("Pause:", "Pause:"),
                    show(x.from, lang),
                    show(until, lang)
                ),
                None => format!(
                    "{} {} {}\n",
                    t("Teilnahme pausiert seit", "Participation paused since"),
                    show(x.from, lang),
                    t(
                        "(kein Nachteil; das geplante Ende bleibt)",
                        "(no disadvantage; the planned end stays)"
                    )
                ),
            };
            out.push_str(&line);
        }
        if !p.extensions().is_empty() {
            let mut tb = table(&[
                t("Verlängert am", "Extended on"),
                t("Bisheriges Ende", "Previous end"),
                t("Neues Ende", "New end"),
                t("Begründung", "Reason"),
            ]);
            for x in p.extensions() {
                tb.add_row(vec![
                    show(x.decided_on, lang),
                    show(x.previous_end, lang),
                    show(x.new_end, lang),
                    x.reason.to_string(),
                ]);
            }
            out.push_str(&tb.to_string());
            out.push('\n');
        }
    }

    if !case.consents.is_empty() {
        heading(&mut out, t("Einwilligungen", "Consents"));
        let mut tb = table(&[
            "Id",
            t("Zweck", "Purpose"),
            t("Form", "Form"),
            t("Erteilt am", "Given on"),
            t("Status", "Status"),
        ]);
        for (c, v) in case.consents.iter().zip(&view.consents) {
            let status = match c.withdrawn_at {
                Some(w) => format!(
                    "{} {}",
                    t("widerrufen am", "withdrawn on"),
                    show_day_of(w, tz, lang)
                ),
                None if v.active => t("gültig", "active").to_owned(),
                None => t("noch nicht gültig", "not yet in force").to_owned(),
            };
            tb.add_row(vec![
                id_str(c.id),
                label(c.purpose, lang).to_owned(),
                label(c.form, lang).to_owned(),
                show(c.given_on, lang),
                status,
            ]);
        }
        out.push_str(&tb.to_string());
        out.push('\n');
    }

    if !case.social_history.is_empty() {
        heading(&mut out, t("Sozialanamnese", "Social history"));
        let mut tb = table(&[
            t("Lebensbereich", "Life domain"),
            t("Bedarf", "Need"),
            t("Priorität", "Priority"),
            t("Quelle", "Source"),
            t("Sicht der Klient*in", "Own view"),
            t("Stärken", "Strengths"),
        ]);
        for (d, a) in &case.social_history {
            tb.add_row(vec![
                label(*d, lang).to_owned(),
                label(a.need, lang).to_owned(),
                label(a.priority, lang).to_owned(),
                label(a.source, lang).to_owned(),
                or_dash(a.own_view.as_ref().map(Text::as_str)),
                or_dash(a.strengths.as_ref().map(Text::as_str)),
            ]);
        }
        out.push_str(&tb.to_string());
        out.push('\n');
    }

    if !case.goals.is_empty() {
        heading(&mut out, t("Ziele", "Goals"));
        let mut tb = table(&[
            "Id",
            t("Lebensbereich", "Life domain"),
            t("Ziel", "Goal"),
            t("Woran erkennbar", "Criterion"),
            t("Verantwortlich", "Responsible"),
            t("Überprüfung", "Review"),
            t("Status", "Status"),
            t("Skala", "Scale"),
        ]);
        for g in &case.goals {
            let ratings = g
                .ratings
                .iter()
                .map(|r| r.value.value().to_string())
                .collect::<Vec<_>>()
                .join(" → ");
            tb.add_row(vec![
                id_str(g.id),
                label(g.domain, lang).to_owned(),
                g.wording.to_string(),
                g.criterion.to_string(),
                label(g.responsible, lang).to_owned(),
                show(g.review_date, lang),
                label(g.status, lang).to_owned(),
                if ratings.is_empty() {
                    "–".into()
                } else {
                    ratings
                },
            ]);
        }
        out.push_str(&tb.to_string());
        out.push('\n');
    }

    if !case.contacts.is_empty() {
        heading(&mut out, t("Kontakte", "Contacts"));
        let mut tb = table(&[
            t("Datum", "Date"),
            t("Art", "Kind"),
            t("Min.", "Min."),
            t("Themen", "Topics"),
            t("Vereinbarungen", "Agreements"),
            t("Nächste Schritte", "Next steps"),
            t("Notiz", "Note"),
        ]);
        for (c, v) in case.contacts.iter().zip(&view.contacts) {
            let note = if v.note_hidden {
                t("[nur für Psycholog*innen]", "[psychologists only]").to_owned()
            } else {
                or_dash(v.note.as_deref())
            };
            tb.add_row(vec![
                show(c.date, lang),
                label(c.kind, lang).to_owned(),
                c.duration_minutes.to_string(),
                labels(&c.topics, lang),
                or_dash(c.agreements.as_ref().map(Text::as_str)),
                or_dash(c.next_steps.as_ref().map(Text::as_str)),
                note,
            ]);
        }
        out.push_str(&tb.to_string());
        out.push('\n');
    }

    if !case.referrals_out.is_empty() {
        heading(&mut out, t("Weitervermittlungen", "Referrals out"));
        let mut tb = table(&[
            "Id",
            t("Fachstelle", "Service"),
            t("Art", "Kind"),
            t("Status", "Status"),
            t("seit", "since"),
            t("Schweigepflichtentbindung", "Secrecy release"),
            t("Weitergegeben", "Passed on"),
        ]);
        for (r, v) in case.referrals_out.iter().zip(&view.referrals_out) {
            let passed_on = if r.disclosures.is_empty() {
                "–".to_owned()
            } else {
                r.disclosures
                    .iter()
                    .map(|x| format!("{} {}", show(x.on, lang), x.information))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let release = match &r.release {
                None => "–".to_owned(),
                Some(s) if s.withdrawn_on.is_some() => t("widerrufen", "withdrawn").to_owned(),
                Some(s) => format!(
                    "{} {} ({})",
                    t("bis", "until"),
                    show(s.valid_until, lang),
                    s.recipient
                ),
            };
            tb.add_row(vec![
                id_str(r.id),
                v.service_name.clone(),
                label(r.kind, lang).to_owned(),
                label(r.status, lang).to_owned(),
                show(r.status_since, lang),
                release,
                passed_on,
            ]);
        }
        out.push_str(&tb.to_string());
        out.push('\n');
    }

    if !case.handovers.is_empty() {
        heading(&mut out, t("Übergaben", "Handovers"));
        let mut tb = table(&[
            t("Datum", "Date"),
            t("An", "To"),
            t("Zuständig", "Responsible"),
        ]);
        for (h, v) in case.handovers.iter().zip(&view.handovers) {
            tb.add_row(vec![
                show(h.on, lang),
                label(h.target, lang).to_owned(),
                v.to.as_ref().map_or("–".into(), StaffRef::show),
            ]);
        }
        out.push_str(&tb.to_string());
        out.push('\n');
    }

    if !case.attendance.is_empty() {
        heading(&mut out, t("Anwesenheit Phase 2", "Phase 2 attendance"));
        let mut tb = table(&[
            t("Datum", "Date"),
            t("Angebot", "Session"),
            t("Anwesenheit", "Attendance"),
        ]);
        let mut records: Vec<_> = case.attendance.iter().collect();
        records.sort_by_key(|a| a.date);
        for a in records {
            tb.add_row(vec![
                show(a.date, lang),
                label(a.kind, lang).to_owned(),
                label(a.attendance, lang).to_owned(),
            ]);
        }
        out.push_str(&tb.to_string());
        out.push('\n');
    }

    if let Some(e) = &case.esf_entry {
        heading(
            &mut out,
            t("ESF-Plus-Eintrittsdaten", "ESF Plus entry data"),
        );
        out.push_str(
            &fields(&[
                (
                    t("Erwerbsstatus", "Employment status"),
                    label(e.employment_status, lang).to_owned(),
                ),
                (
                    t("Langzeitarbeitslos", "Long-term unemployed"),
                    yes_no(e.long_term_unemployed, lang).to_owned(),
                ),
                (
                    t("Bildung", "Education"),
                    label(e.education, lang).to_owned(),
                ),
                (
                    t("Staatsangehörigkeit", "Citizenship"),
                    label(e.citizenship, lang).to_owned(),
                ),
                (
                    t("Behinderung", "Disability"),
                    opt_yes_no(e.disability, lang).to_owned(),
                ),
                (
                    t("Migrationshintergrund", "Foreign background"),
                    opt_yes_no(e.foreign_background, lang).to_owned(),
                ),
                (
                    t("Minderheit", "Minority"),
                    opt_yes_no(e.minority, lang).to_owned(),
                ),
                (
                    t("Wohnungslos", "Homeless"),
                    yes_no(e.homeless, lang).to_owned(),
                ),
            ])
            .to_string(),
        );
        out.push('\n');
    }

    if let Some(cl) = &case.closure {
        heading(&mut out, t("Abschluss", "Closure"));
        out.push_str(
            &fields(&[
                (t("Abgeschlossen am", "Closed on"), show(cl.closed_on, lang)),
                (t("Grund", "Reason"), label(cl.reason, lang).to_owned()),
                (
                    t("Ergebnis", "Result"),
                    cl.immediate_result
                        .map_or("–".into(), |r| label(r, lang).to_owned()),
                ),
            ])
            .to_string(),
        );
        out.push('\n');
    }
    // A reopened case is open: its earlier closures are history, not an "Abschluss".
    if !case.previous_closures.is_empty() {
        heading(
            &mut out,
            t(
                "Frühere Abschlüsse (wieder aufgenommen)",
                "Previous closures (reopened)",
            ),
        );
        let mut tb = table(&[
            t("Abgeschlossen am", "Closed on"),
            t("Grund", "Reason"),
            t("Ergebnis", "Result"),
        ]);
        for cl in &case.previous_closures {
            tb.add_row(vec![
                show(cl.closed_on, lang),
                label(cl.reason, lang).to_owned(),
                cl.immediate_result
                    .map_or("–".into(), |r| label(r, lang).to_owned()),
            ]);
        }
        out.push_str(&tb.to_string());
        out.push('\n');
    }
    out
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

/// A one-line description of an event for people. Psychologist notes are never part of it.
#[must_use]
#[allow(clippy::too_many_lines)] // One arm per event type.
pub fn describe(event: &CaseEvent, dir: &Directory, lang: Lang) -> String {
    let t = |de, en| tr(lang, de, en);
    match event {
        CaseEvent::ReferralReceived { referral, .. } => format!(
            "{}: {} ({}, {})",
            t("Zuweisung erhalten", "Referral received"),
            referral.client.full_name(),
            referral.jobcenter,
            label(referral.reason, lang)
        ),
        CaseEvent::TeamAssigned { team } => {
            format!(
                "{}: {}",
                t("Team zugeordnet", "Team assigned"),
                dir.team_name(*team)
            )
        }
        CaseEvent::VisitAnnounced { announcement: a } => format!(
            "{} {}: {} {} – {}",
            t("Ankündigungsschreiben vom", "Announcement letter of"),
            show(a.letter_date, lang),
            t("Besuch", "visit"),
            show(a.visit_from, lang),
            show(a.visit_until, lang)
        ),
        CaseEvent::ContactAttemptLogged { attempt } => format!(
            "{}: {} – {}",
            t("Kontaktversuch", "Contact attempt"),
            label(attempt.channel, lang),
            label(attempt.outcome, lang)
        ),
        CaseEvent::OfferDeclined { on } => {
            format!(
                "{} ({})",
                t("Angebot abgelehnt", "Offer declined"),
                show(*on, lang)
            )
        }
        CaseEvent::NotReached { on } => {
            format!(
                "{} ({})",
                t("Nicht erreicht", "Not reached"),
                show(*on, lang)
            )
        }
        CaseEvent::Enrolled { on, key_worker, .. } => format!(
            "{} {}; {}: {}",
            t("Aufnahme in die Bezugsberatung am", "Enrolled on"),
            show(*on, lang),
            t("Bezugsberater*in", "key worker"),
            dir.login(*key_worker)
        ),
        CaseEvent::PeriodExtended {
            previous_end,
            new_end,
            reason,
            ..
        } => format!(
            "{} {} → {}: {}",
            t("Verlängert", "Extended"),
            show(*previous_end, lang),
            show(*new_end, lang),
            reason
        ),
        CaseEvent::ConsentGiven { consent } => format!(
            "{}: {} ({})",
            t("Einwilligung erteilt", "Consent given"),
            label(consent.purpose, lang),
            label(consent.form, lang)
        ),
        CaseEvent::ConsentWithdrawn { consent, .. } => format!(
            "{} ({})",
            t("Einwilligung widerrufen", "Consent withdrawn"),
            id_str(consent)
        ),
        CaseEvent::DomainAssessed { domain, assessment } => format!(
            "{}: {} – {}, {} {}",
            t("Sozialanamnese", "Social history"),
            label(*domain, lang),
            label(assessment.need, lang),
            t("Priorität", "priority"),
            label(assessment.priority, lang)
        ),
        CaseEvent::GoalAgreed { goal } => format!(
            "{} ({}): {}",
            t("Ziel vereinbart", "Goal agreed"),
            label(goal.domain, lang),
            goal.wording
        ),
        CaseEvent::GoalUpdated { goal, changes } => {
            let mut what = Vec::new();
            if let Some(s) = changes.status {
                what.push(format!("{} {}", t("Status", "status"), label(s, lang)));
            }
            if let Some(d) = changes.review_date {
                what.push(format!("{} {}", t("Überprüfung", "review"), show(d, lang)));
            }
            if changes.wording.is_some() || changes.criterion.is_some() {
                what.push(t("Formulierung", "wording").to_owned());
            }
            if let Some(r) = changes.responsible {
                what.push(label(r, lang).to_owned());
            }
            format!(
                "{} {}: {}",
                t("Ziel geändert", "Goal changed"),
                id_str(goal),
                what.join(", ")
            )
        }
        CaseEvent::GoalRated { goal, rating } => format!(
            "{} {}: {}/10",
            t("Ziel bewertet", "Goal rated"),
            id_str(goal),
            rating.value.value()
        ),
        CaseEvent::ContactRecorded { contact } => format!(
            "{}: {}, {} min{}",
            t("Kontakt", "Contact"),
            label(contact.kind, lang),
            contact.duration_minutes,
            if contact.topics.is_empty() {
                String::new()
            } else {
                format!(" ({})", labels(&contact.topics, lang))
            }
        ),
        CaseEvent::OutboundReferralCreated { referral } => format!(
            "{}: {}",
            t("Weitervermittlung", "Referral out"),
            dir.services.get(&referral.service).map_or_else(
                || label(referral.kind, lang).to_owned(),
                |s| s.name.to_string()
            )
        ),
        CaseEvent::OutboundReferralStatusChanged {
            referral, status, ..
        } => format!(
            "{} {}: {}",
            t("Weitervermittlung", "Referral out"),
            id_str(referral),
            label(*status, lang)
        ),
        CaseEvent::SecrecyReleaseRecorded { release, .. } => format!(
            "{}: {}",
            t("Schweigepflichtentbindung erteilt", "Secrecy release given"),
            release.recipient
        ),
        CaseEvent::SecrecyReleaseWithdrawn { .. } => t(
            "Schweigepflichtentbindung widerrufen",
            "Secrecy release withdrawn",
        )
        .to_owned(),
        CaseEvent::ParticipationPaused { from } => format!(
            "{} {}",
            t("Teilnahme pausiert ab", "Participation paused from"),
            show(*from, lang)
        ),
        CaseEvent::ParticipationResumed { on } => format!(
            "{} {}",
            t("Teilnahme fortgesetzt am", "Participation resumed on"),
            show(*on, lang)
        ),
        CaseEvent::DisclosureRecorded {
            on, information, ..
        } => format!(
            "{} {}: {}",
            t(
                "An die Fachstelle weitergegeben am",
                "Passed on to the service on"
            ),
            show(*on, lang),
            information
        ),
        CaseEvent::HandedOver { target, to, .. } => format!(
            "{}: {}{}",
            t("Übergabe", "Handover"),
            label(*target, lang),
            to.map(|s| format!(" ({})", dir.login(s)))
                .unwrap_or_default()
        ),
        CaseEvent::KeyWorkerChanged { to } => format!(
            "{}: {}",
            t("Bezugsberater*in gewechselt", "Key worker changed"),
            dir.login(*to)
        ),
        CaseEvent::AttendanceRecorded { record } => format!(
            "{} {} ({}): {}",
            t("Gruppenangebot", "Group session"),
            show(record.date, lang),
            label(record.kind, lang),
            label(record.attendance, lang)
        ),
        CaseEvent::EsfEntryRecorded { .. } => t(
            "ESF-Plus-Eintrittsdaten erfasst",
            "ESF Plus entry data recorded",
        )
        .to_owned(),
        CaseEvent::Closed { closure } => format!(
            "{} {}: {}",
            t("Abgeschlossen am", "Closed on"),
            show(closure.closed_on, lang),
            label(closure.reason, lang)
        ),
        CaseEvent::ImmediateResultRecorded { result } => format!(
            "{}: {}",
            t("Ergebnis nach Austritt", "Result after exit"),
            label(*result, lang)
        ),
        CaseEvent::Reopened { on } => {
            format!("{} ({})", t("Wieder geöffnet", "Reopened"), show(*on, lang))
        }
        _ => event.tag().to_owned(),
    }
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
