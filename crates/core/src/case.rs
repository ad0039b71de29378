//! The case (*Fall*): its state, rebuilt by applying its events.
//!
//! [`Case`] is a read model of the case history: [`Case::replay`] folds the
//! [`RecordedEvent`]s in order. It is never changed directly; changes go through
//! [`crate::command::decide`], which checks a [`crate::Command`] against the current case
//! and returns new events.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::LocalCalendar;
use crate::closure::{Closure, EsfEntryRecord};
use crate::consent::{Consent, ConsentPurpose};
use crate::contact::Contact;
use crate::event::{CaseEvent, ParticipationTerms, RecordedEvent};
use crate::goal::Goal;
use crate::handover::{AttendanceRecord, HandoverTarget, Phase};
use crate::ids::{CaseId, StaffId, TeamId};
use crate::outreach::{ContactAttempt, VisitAnnouncement};
use crate::period::KeyWorkerPeriod;
use crate::referral::Referral;
use crate::services::OutboundReferral;
use crate::social_history::{DomainAssessment, LifeDomain};
use crate::text::Text;
use crate::vocab::vocabulary;

vocabulary! {
    /// Where a case stands in the lifecycle.
    pub enum CaseStatus {
        /// Referred by the Jobcenter; no outreach yet.
        Referred = "referred", "zugewiesen", "Referred";
        /// Outreach under way (letter sent or contact attempted).
        Outreach = "outreach", "aufsuchende Phase", "Outreach";
        /// The client declined (closed).
        Declined = "declined", "abgelehnt", "Declined";
        /// The client was not reached (closed).
        NotReached = "not_reached", "nicht erreicht", "Not reached";
        /// Enrolled: key-worker period running.
        Enrolled = "enrolled", "in Bezugsberatung", "Enrolled";
        /// Closed after enrolment.
        Closed = "closed", "abgeschlossen", "Closed";
    }
}

impl CaseStatus {
    /// Whether the case is ended (declined, not reached or closed).
    #[must_use]
    pub fn is_ended(self) -> bool {
        matches!(self, Self::Declined | Self::NotReached | Self::Closed)
    }
}

/// A handover inside the project, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoverRecord {
    /// To whom.
    pub target: HandoverTarget,
    /// New responsible staff member, if any.
    pub to: Option<StaffId>,
    /// Day.
    pub on: NaiveDate,
    /// The person responsible before, if the handover named a new one.
    #[serde(default)]
    pub from: Option<StaffId>,
    /// The note for the handover talk.
    #[serde(default)]
    pub note: Option<Text>,
}

/// A person who was responsible for the case (its key worker, or the person named for its
/// outreach) until a handover or a reassignment named someone else: for
/// [`Policy::former_key_worker_read_days`](crate::command::Policy::former_key_worker_read_days)
/// after `since` they still read the case, and change nothing ([`crate::access`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormerKeyWorker {
    /// Who.
    pub staff: StaffId,
    /// When the handover or reassignment that ended their responsibility was recorded.
    pub since: DateTime<Utc>,
}

/// Enrolment facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    /// Day of enrolment.
    pub on: NaiveDate,
    /// Terms explained.
    pub terms: ParticipationTerms,
}

/// The current state of a case, rebuilt from its history.
///
/// The struct is `#[non_exhaustive]`: it can only be built by replaying events, so its fields
/// always describe a history the domain accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Case {
    /// Id.
    pub id: CaseId,
    /// Number of events applied; the expected version for the next append.
    pub version: u64,
    /// Lifecycle status.
    pub status: CaseStatus,
    /// Phase, once enrolled.
    pub phase: Option<Phase>,
    /// Team responsible.
    pub team: Option<TeamId>,
    /// The referral.
    pub referral: Referral,
    /// When the referral was recorded.
    pub received_at: DateTime<Utc>,
    /// Current key worker.
    pub key_worker: Option<StaffId>,
    /// Announcement letters.
    pub announcements: Vec<VisitAnnouncement>,
    /// Contact attempts.
    pub attempts: Vec<ContactAttempt>,
    /// Enrolment, once enrolled.
    pub enrolment: Option<Enrolment>,
    /// The key-worker period, once enrolled.
    pub period: Option<KeyWorkerPeriod>,
    /// Consents, in the order given.
    pub consents: Vec<Consent>,
    /// Current social-history assessment per life domain.
    pub social_history: BTreeMap<LifeDomain, DomainAssessment>,
    /// Goals.
    pub goals: Vec<Goal>,
    /// Contacts.
    pub contacts: Vec<Contact>,
    /// Referrals out.
    pub referrals_out: Vec<OutboundReferral>,
    /// Handovers.
    pub handovers: Vec<HandoverRecord>,
    /// Phase 2 attendance.
    pub attendance: Vec<AttendanceRecord>,
    /// ESF Plus entry data.
    pub esf_entry: Option<EsfEntryRecord>,
    /// The closure in force: `Some` while the case is closed, `None` while it is open
    /// (never closed, or reopened since).
    pub closure: Option<Closure>,
    /// Earlier closures that a reopening undid, oldest first.
    #[serde(default)]
    pub previous_closures: Vec<Closure>,
    /// Day the case ended (declined, not reached, closed); cleared on reopening.
    pub ended_on: Option<NaiveDate>,
    /// Pauses in participation, in order (step 4); they never move the planned end.
    #[serde(default)]
    pub pauses: Vec<crate::period::Pause>,
    /// Erasures and restrictions carried out (retention or requests), oldest first.
    #[serde(default)]
    pub erasures: Vec<crate::retention::ErasureRecord>,
    /// Day the client said no to the offer, if ever; kept on reopening, because a client
    /// who declined was reached (a decline never reads as "not reached").
    #[serde(default)]
    pub declined_on: Option<NaiveDate>,
    /// People who were responsible before a handover or reassignment, the latest last; one
    /// entry per person (a second handover away from them replaces the first).
    #[serde(default)]
    pub former_key_workers: Vec<FormerKeyWorker>,
    /// Reports recorded as sent to the Jobcenter, oldest first.
    #[serde(default)]
    pub sent_reports: Vec<crate::report::SentReport>,
    /// When the last event was recorded.
    pub last_changed_at: DateTime<Utc>,
}

/// The history could not be replayed: it is not a history the domain produced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReplayError {
    /// The history is empty.
    #[error("the case history is empty")]
    Empty,
    /// The first event is not a referral.
    #[error("the case history does not start with a referral")]
    NoReferral,
    /// Sequence numbers are not 1, 2, 3, …
    #[error("event {found} found where {expected} was expected")]
    OutOfSequence {
        /// Expected sequence.
        expected: u64,
        /// Found sequence.
        found: u64,
    },
    /// An event belongs to another case.
    #[error("an event of another case is in the history")]
    ForeignEvent,
    /// The event would break an invariant of the process, so the domain cannot have decided
    /// it: counselling content before enrolment (I2), a period beyond 6 months (I3) or a
    /// disclosure to a service without a valid secrecy release (R22).
    #[error("the event {event} would break rule {rule}")]
    BreaksInvariant {
        /// The event type tag.
        event: &'static str,
        /// The rule, e.g. `"I2"`.
        rule: &'static str,
    },
}

impl Case {
    /// This case as `reader` may read it: the content of psychologist-compartment contacts
    /// is removed for everyone but active psychologists (rule R14, see
    /// [`Contact::for_reader`]). Frontends show a case file only through this function.
    #[must_use]
    pub fn for_reader(&self, reader: Option<&crate::staff::Actor>) -> Self {
        let mut case = self.clone();
        for contact in &mut case.contacts {
            *contact = contact.for_reader(reader);
        }
        case
    }

    /// Rebuilds a case from its complete history.
    ///
    /// # Errors
    /// [`ReplayError`] when the history is empty, does not start with a referral, skips a
    /// sequence number or mixes cases.
    pub fn replay<'a>(
        events: impl IntoIterator<Item = &'a RecordedEvent>,
    ) -> Result<Self, ReplayError> {
        let mut iter = events.into_iter();
        let first = iter.next().ok_or(ReplayError::Empty)?;
        let mut case = Self::start(first)?;
        for event in iter {
            case.apply(event)?;
        }
        Ok(case)
    }

    fn start(first: &RecordedEvent) -> Result<Self, ReplayError> {
        if first.sequence != 1 {
            return Err(ReplayError::OutOfSequence {
                expected: 1,
                found: first.sequence,
            });
        }
        let CaseEvent::ReferralReceived { referral, team } = &first.event else {
            return Err(ReplayError::NoReferral);
        };
        Ok(Self {
            id: first.case_id,
            version: 1,
            status: CaseStatus::Referred,
            phase: None,
            team: *team,
            referral: referral.clone(),
            received_at: first.recorded_at,
            key_worker: None,
            announcements: Vec::new(),
            attempts: Vec::new(),
            enrolment: None,
            period: None,
            consents: Vec::new(),
            social_history: BTreeMap::new(),
            goals: Vec::new(),
            contacts: Vec::new(),
            referrals_out: Vec::new(),
            handovers: Vec::new(),
            attendance: Vec::new(),
            esf_entry: None,
            closure: None,
            previous_closures: Vec::new(),
            ended_on: None,
            pauses: Vec::new(),
            erasures: Vec::new(),
            declined_on: None,
            former_key_workers: Vec::new(),
            sent_reports: Vec::new(),
            last_changed_at: first.recorded_at,
        })
    }

    /// Applies the next event of the history.
    ///
    /// Events are facts the domain already accepted, so applying does not re-decide the
    /// commands; it guards the shape of the history and the invariants no history may break
    /// whoever wrote it: no counselling content before enrolment (I2), no period beyond 6
    /// months (I3) and no disclosure to a service without a valid secrecy release (R22). Repositories apply every appended event, so events that did not come from
    /// [`crate::decide`] cannot slip these rules in through a port either.
    ///
    /// # Errors
    /// [`ReplayError`] when the event is not the next one of this case or breaks I2, I3 or
    /// R22; the case is then left as it was.
    pub fn apply(&mut self, recorded: &RecordedEvent) -> Result<(), ReplayError> {
        if recorded.case_id != self.id {
            return Err(ReplayError::ForeignEvent);
        }
        if recorded.sequence != self.version + 1 {
            return Err(ReplayError::OutOfSequence {
                expected: self.version + 1,
                found: recorded.sequence,
            });
        }
        // A second referral is not part of a history the domain produces; refuse it before
        // anything changes, so that a failed `apply` leaves the case as it was.
        if matches!(recorded.event, CaseEvent::ReferralReceived { .. }) {
            return Err(ReplayError::NoReferral);
        }
        self.guard_invariants(&recorded.event)?;
        self.version = recorded.sequence;
        self.last_changed_at = recorded.recorded_at;
        match &recorded.event {
            CaseEvent::ReferralReceived { .. } => {}
            CaseEvent::TeamAssigned { team } => self.team = Some(*team),
            CaseEvent::LetterLanguageChosen { language } => {
                self.referral.client.letter_language = *language;
            }
            CaseEvent::VisitAnnounced { announcement } => {
                self.announcements.push(announcement.clone());
                if self.status == CaseStatus::Referred {
                    self.status = CaseStatus::Outreach;
                }
            }
            CaseEvent::ContactAttemptLogged { attempt } => {
                self.attempts.push(attempt.clone());
                if self.status == CaseStatus::Referred {
                    self.status = CaseStatus::Outreach;
                }
            }
            CaseEvent::OfferDeclined { on } => {
                self.status = CaseStatus::Declined;
                self.ended_on = Some(*on);
                self.declined_on = Some(*on);
            }
            CaseEvent::NotReached { on } => {
                self.status = CaseStatus::NotReached;
                self.ended_on = Some(*on);
            }
            CaseEvent::Enrolled {
                on,
                key_worker,
                terms,
                consent,
            } => {
                self.status = CaseStatus::Enrolled;
                self.phase = Some(Phase::Phase1);
                self.key_worker = Some(*key_worker);
                self.enrolment = Some(Enrolment {
                    on: *on,
                    terms: *terms,
                });
                // The period was validated when the command was decided; a history at the
                // edge of the calendar keeps its previous period rather than failing replay.
                if let Ok(period) = KeyWorkerPeriod::begin(*on) {
                    self.period = Some(period);
                }
                self.consents.push(consent.clone());
            }
            CaseEvent::PeriodExtended {
                new_end,
                reason,
                on,
                ..
            } => {
                if let Some(period) = self.period.as_mut() {
                    // `guard_invariants` has checked this extension against the period.
                    let _ = period.extend(*new_end, reason.clone(), *on);
                }
            }
            CaseEvent::ConsentGiven { consent } => self.consents.push(consent.clone()),
            CaseEvent::ConsentWithdrawn { consent, at } => {
                if let Some(c) = self.consents.iter_mut().find(|c| c.id == *consent) {
                    c.withdrawn_at = Some(*at);
                }
            }
            CaseEvent::DomainAssessed { domain, assessment } => {
                self.social_history.insert(*domain, assessment.clone());
            }
            CaseEvent::GoalAgreed { goal } => self.goals.push(goal.clone()),
            CaseEvent::GoalUpdated { goal, changes } => {
                if let Some(g) = self.goals.iter_mut().find(|g| g.id == *goal) {
                    if let Some(v) = &changes.wording {
                        g.wording = v.clone();
                    }
                    if let Some(v) = &changes.criterion {
                        g.criterion = v.clone();
                    }
                    if let Some(v) = changes.responsible {
                        g.responsible = v;
                    }
                    if let Some(v) = changes.review_date {
                        g.review_date = v;
                    }
                    if let Some(v) = changes.status {
                        g.status = v;
                    }
                }
            }
            CaseEvent::GoalRated { goal, rating } => {
                if let Some(g) = self.goals.iter_mut().find(|g| g.id == *goal) {
                    g.ratings.push(rating.clone());
                }
            }
            CaseEvent::ContactRecorded { contact } => self.contacts.push(contact.clone()),
            CaseEvent::OutboundReferralCreated { referral } => {
                self.referrals_out.push(referral.clone());
            }
            CaseEvent::OutboundReferralStatusChanged {
                referral,
                status,
                on,
            } => {
                if let Some(r) = self.referrals_out.iter_mut().find(|r| r.id == *referral) {
                    r.status = *status;
                    r.status_since = *on;
                }
            }
            CaseEvent::SecrecyReleaseRecorded { referral, release } => {
                if let Some(r) = self.referrals_out.iter_mut().find(|r| r.id == *referral) {
                    r.release = Some(release.clone());
                }
            }
            CaseEvent::ParticipationPaused { from } => {
                self.pauses.push(crate::period::Pause {
                    from: *from,
                    until: None,
                });
            }
            CaseEvent::ParticipationResumed { on } => {
                if let Some(p) = self.pauses.iter_mut().rev().find(|p| p.until.is_none()) {
                    p.until = Some(*on);
                }
            }
            CaseEvent::DisclosureRecorded {
                referral,
                on,
                information,
            } => {
                if let Some(r) = self.referrals_out.iter_mut().find(|r| r.id == *referral) {
                    r.disclosures.push(crate::services::Disclosure {
                        on: *on,
                        information: information.clone(),
                    });
                }
            }
            CaseEvent::SecrecyReleaseWithdrawn { referral, on } => {
                if let Some(release) = self
                    .referrals_out
                    .iter_mut()
                    .find(|r| r.id == *referral)
                    .and_then(|r| r.release.as_mut())
                {
                    release.withdrawn_on = Some(*on);
                }
            }
            CaseEvent::HandedOver {
                target,
                to,
                on,
                note,
            } => {
                let from = to.and(self.key_worker).filter(|k| Some(*k) != *to);
                self.handovers.push(HandoverRecord {
                    target: *target,
                    to: *to,
                    on: *on,
                    from,
                    note: note.clone(),
                });
                if let Some(to) = to {
                    self.hand_on(*to, recorded.recorded_at);
                }
                if *target == HandoverTarget::Phase2 {
                    self.phase = Some(Phase::Phase2);
                }
            }
            CaseEvent::KeyWorkerChanged { to } => self.hand_on(*to, recorded.recorded_at),
            CaseEvent::AttendanceRecorded { record } => {
                // One record per session: a correction replaces the earlier one.
                self.attendance.retain(|a| a.session != record.session);
                self.attendance.push(record.clone());
            }
            CaseEvent::EsfEntryRecorded { record } => self.esf_entry = Some(record.clone()),
            CaseEvent::Closed { closure } => {
                self.status = CaseStatus::Closed;
                self.ended_on = Some(closure.closed_on);
                self.closure = Some(closure.clone());
                // Closing ends a pause that is still open: a reopened case is not paused.
                for p in self.pauses.iter_mut().filter(|p| p.until.is_none()) {
                    p.until = Some(closure.closed_on.max(p.from));
                }
            }
            CaseEvent::ImmediateResultRecorded { result } => {
                if let Some(c) = self.closure.as_mut() {
                    c.immediate_result = Some(*result);
                }
            }
            CaseEvent::JobcenterReportSent { report } => self.sent_reports.push(report.clone()),
            CaseEvent::Redacted { .. } => {}
            CaseEvent::ContentErased {
                category,
                basis,
                on,
                ..
            } => self.erasures.push(crate::retention::ErasureRecord {
                category: *category,
                action: crate::retention::RetentionAction::EraseContent,
                on: *on,
                basis: basis.clone(),
            }),
            CaseEvent::Restricted {
                category,
                basis,
                on,
            } => self.erasures.push(crate::retention::ErasureRecord {
                category: *category,
                action: crate::retention::RetentionAction::Restrict,
                on: *on,
                basis: basis.clone(),
            }),
            CaseEvent::Reopened { .. } => {
                // The case is open again: its closure is history, not its current state.
                self.previous_closures.extend(self.closure.take());
                self.status = if self.enrolment.is_some() {
                    CaseStatus::Enrolled
                } else {
                    CaseStatus::Outreach
                };
                self.ended_on = None;
            }
        }
        Ok(())
    }

    /// Refuses an event no history the domain decides can contain at this point.
    fn guard_invariants(&self, event: &CaseEvent) -> Result<(), ReplayError> {
        let breaks = |rule| ReplayError::BreaksInvariant {
            event: event.tag(),
            rule,
        };
        match event {
            CaseEvent::DomainAssessed { .. }
            | CaseEvent::GoalAgreed { .. }
            | CaseEvent::GoalUpdated { .. }
            | CaseEvent::GoalRated { .. }
            | CaseEvent::ContactRecorded { .. }
            | CaseEvent::OutboundReferralCreated { .. }
            | CaseEvent::OutboundReferralStatusChanged { .. }
            | CaseEvent::SecrecyReleaseRecorded { .. }
            | CaseEvent::SecrecyReleaseWithdrawn { .. }
            | CaseEvent::DisclosureRecorded { .. }
            | CaseEvent::ParticipationPaused { .. }
            | CaseEvent::ParticipationResumed { .. }
            | CaseEvent::HandedOver { .. }
            | CaseEvent::AttendanceRecorded { .. }
                if self.enrolment.is_none() =>
            {
                Err(breaks("I2"))
            }
            CaseEvent::PeriodExtended { new_end, .. } => match &self.period {
                Some(period) if period.check_extension(*new_end).is_ok() => Ok(()),
                _ => Err(breaks("I3")),
            },
            CaseEvent::DisclosureRecorded { referral, on, .. } => {
                let released = self
                    .referrals_out
                    .iter()
                    .find(|r| r.id == *referral)
                    .and_then(|r| r.release.as_ref())
                    .is_some_and(|rel| rel.is_valid_on(*on));
                if released { Ok(()) } else { Err(breaks("R22")) }
            }
            _ => Ok(()),
        }
    }

    /// Whether processing of the case is restricted (Art. 18 GDPR): it then appears in no
    /// list, search, report or statistic, only in the Art. 15 export.
    #[must_use]
    pub fn is_restricted(&self) -> bool {
        self.erasures
            .iter()
            .any(|e| e.action == crate::retention::RetentionAction::Restrict)
    }

    /// The pause that has not ended yet, if participation is paused.
    #[must_use]
    pub fn open_pause(&self) -> Option<&crate::period::Pause> {
        self.pauses.iter().rev().find(|p| p.until.is_none())
    }

    /// Whether a consent for `purpose` is in force at `at`.
    #[must_use]
    pub fn has_active_consent<Tz: TimeZone>(
        &self,
        purpose: ConsentPurpose,
        at: DateTime<Tz>,
    ) -> bool {
        self.consents
            .iter()
            .any(|c| c.purpose == purpose && c.is_active_at(at.clone()))
    }

    /// Whether a consent for `purpose` is in force at `at`, the day it was given compared with
    /// the local day of `at` on `calendar`.
    #[must_use]
    pub fn has_consent_in_force(
        &self,
        purpose: ConsentPurpose,
        at: DateTime<Utc>,
        calendar: &dyn LocalCalendar,
    ) -> bool {
        let day = calendar.day_of(at);
        self.consents
            .iter()
            .any(|c| c.purpose == purpose && c.in_force(day, at))
    }

    /// Contact attempts that did not reach the client.
    #[must_use]
    pub fn failed_attempts(&self) -> u32 {
        crate::reminders::OutreachFacts::of(self).failed_attempts()
    }

    /// Whether any attempt reached the client.
    #[must_use]
    pub fn reached(&self) -> bool {
        // Saying no to the offer means the client was reached (process step 3): a decline
        // must never read as "not reached" to a Jobcenter (R7).
        self.enrolment.is_some()
            || self.declined_on.is_some()
            || self.attempts.iter().any(|a| a.outcome.reached())
    }

    /// First day of outreach: the first letter or attempt (its local day on `calendar`), else
    /// the referral date.
    #[must_use]
    pub fn outreach_started_on(&self, calendar: &dyn LocalCalendar) -> NaiveDate {
        crate::reminders::OutreachFacts::of(self).started_on(calendar)
    }

    /// Day of the last documented contact, if any.
    #[must_use]
    pub fn last_contact_on(&self) -> Option<NaiveDate> {
        self.contacts.iter().map(|c| c.date).max()
    }

    /// The summary as the access policy decides on it at `now` under `policy`: with the
    /// former key workers who still read the case ([`CaseSummary::former_readers`]: handed on
    /// less than [`Policy::former_key_worker_read_days`](crate::command::Policy::former_key_worker_read_days)
    /// days before `now`). [`crate::service::CaseService`] decides every read and command on
    /// this summary.
    #[must_use]
    pub fn summary_at(&self, now: DateTime<Utc>, policy: &crate::command::Policy) -> CaseSummary {
        let days = chrono::Duration::days(i64::from(policy.former_key_worker_read_days));
        let mut summary = self.summary();
        summary.former_readers = self
            .former_key_workers
            .iter()
            .filter(|f| Some(f.staff) != self.key_worker && now < f.since + days)
            .map(|f| f.staff)
            .collect();
        summary
    }

    /// Names `to` responsible at `at`; the person responsible until then becomes a former
    /// key worker.
    fn hand_on(&mut self, to: StaffId, at: DateTime<Utc>) {
        if let Some(from) = self.key_worker.filter(|k| *k != to) {
            self.former_key_workers.retain(|f| f.staff != from);
            self.former_key_workers.push(FormerKeyWorker {
                staff: from,
                since: at,
            });
        }
        self.former_key_workers.retain(|f| f.staff != to);
        self.key_worker = Some(to);
    }

    /// A one-line summary for lists, without former key workers' reading (no time is given). Access decisions use [`Case::summary_at`].
    #[must_use]
    pub fn summary(&self) -> CaseSummary {
        CaseSummary {
            id: self.id,
            version: self.version,
            status: self.status,
            phase: self.phase,
            team: self.team,
            key_worker: self.key_worker,
            client_name: self.referral.client.sort_name(),
            date_of_birth: self.referral.client.date_of_birth,
            postcode: self
                .referral
                .client
                .address
                .as_ref()
                .map(|a| a.postcode.as_str().to_owned()),
            referral_date: self.referral.referral_date,
            jobcenter: self.referral.jobcenter.as_str().to_owned(),
            planned_end: self.period.as_ref().map(KeyWorkerPeriod::planned_end),
            ended_on: self.ended_on,
            last_changed_at: self.last_changed_at,
            restricted: self.is_restricted(),
            former_readers: Vec::new(),
        }
    }
}

/// What case lists show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    /// Id.
    pub id: CaseId,
    /// Version.
    pub version: u64,
    /// Status.
    pub status: CaseStatus,
    /// Phase.
    pub phase: Option<Phase>,
    /// Team.
    pub team: Option<TeamId>,
    /// Key worker.
    pub key_worker: Option<StaffId>,
    /// "Family, Given".
    pub client_name: String,
    /// Date of birth.
    pub date_of_birth: Option<NaiveDate>,
    /// Postcode.
    pub postcode: Option<String>,
    /// Referral date.
    pub referral_date: NaiveDate,
    /// Referring Jobcenter.
    pub jobcenter: String,
    /// Planned end of the key-worker period.
    pub planned_end: Option<NaiveDate>,
    /// Day the case ended.
    pub ended_on: Option<NaiveDate>,
    /// Last change.
    pub last_changed_at: DateTime<Utc>,
    /// Processing restricted (Art. 18 GDPR, [`Case::is_restricted`]): the case is in no list,
    /// search, report or statistic and nobody working on cases sees it.
    #[serde(default)]
    pub restricted: bool,
    /// Former key workers who still read the case, read-only ([`Case::summary_at`]); empty in
    /// lists and in [`Case::summary`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub former_readers: Vec<StaffId>,
}
