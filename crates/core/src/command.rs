//! Commands and the decision function.
//!
//! Every change to a case is a [`Command`], checked by [`decide`] against the current
//! [`Case`] and an explicit [`Context`] (who acts, when, under which [`Policy`]). An accepted
//! command yields [`CaseEvent`]s; a refused one a [`DomainError`] naming the rule. Nothing
//! else can change a case, so invariants I1–I6 cannot be bypassed by a frontend.

use chrono::{DateTime, Days, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::LocalCalendar;
use crate::case::{Case, CaseStatus};
use crate::closure::{Closure, EsfEntryRecord, ExitReason, ImmediateResult};
use crate::consent::{Consent, ConsentForm, ConsentPurpose};
use crate::contact::{Contact, NoteCompartment};
use crate::error::DomainError;
use crate::event::{CaseEvent, ParticipationTerms, RecordedEvent};
use crate::goal::{Goal, GoalChanges, Rating, ResponsibleParty};
use crate::handover::{Attendance, AttendanceRecord, GroupSession, HandoverTarget, Phase};
use crate::ids::{CaseId, ConsentId, GoalId, OutboundReferralId, TeamId};
use crate::letter::LetterLanguage;
use crate::outreach::{
    AttemptOutcome, ContactAttempt, ContactChannel, OutreachEndRule, VisitAnnouncement,
};
use crate::period::KeyWorkerPeriod;
use crate::referral::Referral;
use crate::reminders::OutreachFacts;
use crate::services::{
    OutboundReferral, OutboundReferralStatus, SecrecyRelease, SpecialistService,
};
use crate::social_history::{DomainAssessment, LifeDomain};
use crate::staff::{Actor, Role};
use crate::text::{Scale, Text};

/// Project settings the rules depend on. [`Policy::default`] is the process specification's
/// default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// When outreach may end as *not reached*.
    pub outreach_end: OutreachEndRule,
    /// Days after closure within which a team lead may reopen (default 28).
    pub reopen_window_days: u32,
    /// Days after the last outreach activity when a follow-up is due (default 7).
    pub outreach_follow_up_days: u32,
    /// Days before the planned period end from which it is a reminder (default 14).
    pub period_end_warning_days: u32,
    /// Days without contact in an open case that make a reminder (default 14).
    pub no_contact_days: u32,
    /// Days after enrolment by which the ESF entry data are due (default 28).
    pub esf_entry_due_days: u32,
    /// Days before an ESF deadline (entry data, exit data) from which missing data are a
    /// reminder (default 14).
    pub esf_entry_warning_days: u32,
    /// Days after exit by which the ESF exit data (the immediate result within four weeks)
    /// are due (default 28).
    pub esf_exit_due_days: u32,
    /// Days without status change after which a referral out is a reminder (default 30).
    pub referral_out_stale_days: u32,
    /// Days for which a former key worker still reads a case after handing it on (a handover
    /// or a reassignment), read-only, for the handover talk and questions afterwards
    /// (default 28; 0: access ends with the handover, as for anyone outside the case's team).
    /// See [`crate::access::can_view_case`].
    #[serde(default = "default_former_key_worker_read_days")]
    pub former_key_worker_read_days: u32,
}

fn default_former_key_worker_read_days() -> u32 {
    28
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            outreach_end: OutreachEndRule::default(),
            reopen_window_days: 28,
            outreach_follow_up_days: 7,
            period_end_warning_days: 14,
            no_contact_days: 14,
            esf_entry_due_days: 28,
            esf_entry_warning_days: 14,
            esf_exit_due_days: 28,
            referral_out_stale_days: 30,
            former_key_worker_read_days: default_former_key_worker_read_days(),
        }
    }
}

/// Who acts, when, and under which policy: everything a decision needs besides the case.
/// Time is an input (invariant I6).
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The acting staff member.
    pub actor: &'a Actor,
    /// Now, on the installation's wall clock: the instant with the UTC offset of the
    /// installation's time zone in force at that instant (e.g. `+01:00` in Berlin in winter,
    /// `+02:00` in summer).
    /// Its calendar day is *today* for every rule ("not in the future", the day of an
    /// agreement); the frontend computes the offset from its time-zone database, so core needs
    /// none. Events are recorded at the same instant in UTC.
    pub now: DateTime<FixedOffset>,
    /// Project policy.
    pub policy: &'a Policy,
    /// The installation's calendar, for the days of stored instants (the contact attempts
    /// the outreach end rule counts). `None`: the offset in force now stands for the zone,
    /// which is exact unless an instant lies on the other side of a daylight-saving change.
    pub calendar: Option<&'a dyn LocalCalendar>,
}

impl Context<'_> {
    /// Today in the installation's time zone.
    #[must_use]
    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    /// The installation's calendar day of `at`: by [`Context::calendar`], or without one by
    /// the UTC offset in force now.
    /// Exact for instants on the same side of a daylight-saving change as now, which is what
    /// the commands that carry an instant (a contact attempt just made) need.
    fn day_of(&self, at: DateTime<Utc>) -> NaiveDate {
        match self.calendar {
            Some(calendar) => calendar.day_of(at),
            None => at.with_timezone(self.now.offset()).date_naive(),
        }
    }
}

/// A consent given at enrolment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentConsent {
    /// Id for the new consent.
    pub id: ConsentId,
    /// Form.
    pub form: ConsentForm,
    /// Day the client signed; must be the enrolment day.
    pub given_on: NaiveDate,
}

/// A request to change a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Command {
    /// Record a referral: starts a case (step 1).
    Refer {
        /// The referral.
        referral: Referral,
        /// The responsible team.
        team: Option<TeamId>,
    },
    /// Assign the case to another team (team lead).
    AssignTeam {
        /// The team.
        team: TeamId,
    },
    /// Record an announcement letter (step 2).
    AnnounceVisit {
        /// The letter.
        announcement: VisitAnnouncement,
    },
    /// Choose the language the client's letters carry beside German (`None`: German only).
    ChooseLetterLanguage {
        /// The language.
        language: Option<LetterLanguage>,
    },
    /// Log a contact attempt (step 2). The acting person is the one who made it.
    LogContactAttempt {
        /// When.
        at: DateTime<Utc>,
        /// Channel.
        channel: ContactChannel,
        /// Outcome; `declined` also ends the case as declined.
        outcome: AttemptOutcome,
    },
    /// The client declined (step 3). No reason is asked or stored.
    Decline {
        /// Day.
        on: NaiveDate,
    },
    /// End outreach as not reached (step 3); only once the end rule is met.
    MarkNotReached {
        /// Day.
        on: NaiveDate,
    },
    /// Enrol the client (step 4).
    Enrol {
        /// Day of enrolment.
        on: NaiveDate,
        /// The key worker.
        key_worker: Actor,
        /// Which terms were explained.
        terms: ParticipationTerms,
        /// The consent to case processing.
        consent: EnrolmentConsent,
    },
    /// Extend the key-worker period (step 4, invariant I3).
    ExtendPeriod {
        /// New planned end.
        until: NaiveDate,
        /// Written reason.
        reason: Text,
    },
    /// Record a consent (rule R12).
    GiveConsent {
        /// Id for the consent.
        id: ConsentId,
        /// Purpose.
        purpose: ConsentPurpose,
        /// Form.
        form: ConsentForm,
        /// Day the client gave it.
        given_on: NaiveDate,
    },
    /// Withdraw a consent: effective from now on, or from the start of the (earlier) day
    /// `on` on the installation's calendar.
    WithdrawConsent {
        /// The consent.
        id: ConsentId,
        /// The day the client withdrew it, if not today; not in the future and not before
        /// the day the consent was given.
        on: Option<NaiveDate>,
    },
    /// Assess a life domain of the social history (step 5).
    AssessDomain {
        /// Life domain.
        domain: LifeDomain,
        /// Assessment.
        assessment: DomainAssessment,
    },
    /// Agree a goal (step 6).
    AgreeGoal {
        /// Id for the goal.
        id: GoalId,
        /// Life domain.
        domain: LifeDomain,
        /// Wording.
        wording: Text,
        /// Measurable criterion.
        criterion: Text,
        /// Responsible party.
        responsible: ResponsibleParty,
        /// Review date.
        review_date: NaiveDate,
    },
    /// Change a goal (step 6).
    UpdateGoal {
        /// The goal.
        id: GoalId,
        /// Changes.
        changes: GoalChanges,
    },
    /// Rate a goal 0–10 (step 6).
    RateGoal {
        /// The goal.
        id: GoalId,
        /// Day.
        on: NaiveDate,
        /// Rating.
        value: Scale,
    },
    /// Document a contact (step 7). The stored compartment is decided by
    /// [`crate::contact::compartment_for`]: a psychologist's note stays with psychologists
    /// unless `share_with_team`.
    RecordContact {
        /// The contact; `compartment` is what the author asked for.
        contact: Contact,
        /// A psychologist's explicit choice to let the case team read the note.
        #[serde(default)]
        share_with_team: bool,
    },
    /// Refer out to a specialist service (step 8).
    ReferOut {
        /// Id for the referral.
        id: OutboundReferralId,
        /// The service, as the directory holds it now.
        service: SpecialistService,
        /// Day the referral was made (frontends default to today); not in the future, not
        /// before enrolment.
        on: NaiveDate,
        /// A note on the referral.
        note: Option<Text>,
        /// The person at the service the client turns to; `None`: the directory's contact
        /// person, if it names one.
        contact_person: Option<Text>,
    },
    /// Change a referral out's status (step 8).
    UpdateReferralOut {
        /// The referral.
        id: OutboundReferralId,
        /// New status.
        status: OutboundReferralStatus,
        /// Day.
        on: NaiveDate,
    },
    /// Record a secrecy release for a referral out (rule R13).
    RecordSecrecyRelease {
        /// The referral.
        referral: OutboundReferralId,
        /// The release (its `withdrawn_on` is ignored).
        release: SecrecyRelease,
    },
    /// Withdraw a secrecy release.
    WithdrawSecrecyRelease {
        /// The referral.
        referral: OutboundReferralId,
    },
    /// Record that the project passed information on to the service of a referral out
    /// (rule R22): refused unless the referral's secrecy release is valid on that day.
    RecordDisclosure {
        /// The referral.
        referral: OutboundReferralId,
        /// Day the information was passed on.
        on: NaiveDate,
        /// What was passed on (kinds of information, not the content itself).
        information: Text,
    },
    /// Hand over inside the project (step 9).
    HandOver {
        /// To whom.
        target: HandoverTarget,
        /// The new responsible staff member, if the key worker changes.
        to: Option<Actor>,
        /// Day.
        on: NaiveDate,
        /// A note for the handover talk (what was agreed, what is open).
        #[serde(default)]
        note: Option<Text>,
    },
    /// Assign another key worker (team lead); before enrolment, the person responsible for
    /// outreach.
    ReassignKeyWorker {
        /// The new key worker.
        to: Actor,
    },
    /// Record attendance at a Phase 2 group session (step 9).
    RecordAttendance {
        /// The session.
        session: GroupSession,
        /// Attendance.
        attendance: Attendance,
    },
    /// Record the ESF Plus entry data.
    RecordEsfEntry {
        /// The data.
        record: EsfEntryRecord,
    },
    /// The client pauses participation (step 4). Not a sanction, and the clock runs on:
    /// the planned end stays as it is.
    PauseParticipation {
        /// First day of the pause.
        from: NaiveDate,
    },
    /// The client takes part again after a pause.
    ResumeParticipation {
        /// Day participation resumed.
        on: NaiveDate,
    },
    /// Close the case (step 10).
    Close {
        /// Exit date.
        on: NaiveDate,
        /// Exit reason.
        reason: ExitReason,
        /// ESF immediate result, if known.
        immediate_result: Option<ImmediateResult>,
    },
    /// Record the ESF immediate result after exit.
    RecordImmediateResult {
        /// The result.
        result: ImmediateResult,
    },
    /// Reopen an ended case within 4 weeks (team lead, step 10).
    Reopen {
        /// Day.
        on: NaiveDate,
    },
    /// Record a report as sent to the Jobcenter (domain rules §4). The frontend renders the
    /// report computed at `report.as_of`, hashes the PDF and passes its bytes to
    /// [`CaseService::record_sent`](crate::service::CaseService::record_sent), which keeps
    /// them with the event.
    RecordReportSent {
        /// What was sent.
        report: crate::report::SentReport,
    },
}

impl Command {
    /// Whether the decision of this command does not depend on what another writer may have
    /// changed in the case since it was loaded: it only adds a record of something that
    /// happened (a contact, a contact attempt that neither ends nor enrols the case, a
    /// letter, a rating, an attendance) and replaces nothing. Deciding it again against the
    /// newer state is then exactly what its author asked for, so
    /// [`CaseService::execute_at`](crate::service::CaseService::execute_at) retries it by
    /// itself after losing a race to another writer (when no version was given). The rules
    /// are still decided again: a contact for a case closed in the meantime is refused.
    ///
    /// Every other command changes what others build on (status, period, goals, consents,
    /// people, referrals out): after a concurrent change the user must look again.
    #[must_use]
    pub fn commutes(&self) -> bool {
        match self {
            Self::RecordContact { .. }
            | Self::RateGoal { .. }
            | Self::RecordAttendance { .. }
            | Self::AnnounceVisit { .. } => true,
            // `declined` ends the case; `agreed` and an appointment are what the next
            // step (enrolment) builds on.
            Self::LogContactAttempt { outcome, .. } => {
                matches!(
                    outcome,
                    AttemptOutcome::NotMet | AttemptOutcome::NoteLeft | AttemptOutcome::Moved
                )
            }
            _ => false,
        }
    }
}

fn not_future(date: NaiveDate, ctx: &Context<'_>) -> Result<(), DomainError> {
    if date > ctx.today() {
        Err(DomainError::DateInFuture { date })
    } else {
        Ok(())
    }
}

fn not_before(date: NaiveDate, earliest: NaiveDate) -> Result<(), DomainError> {
    if date < earliest {
        Err(DomainError::DateTooEarly { date, earliest })
    } else {
        Ok(())
    }
}

fn add_days(date: NaiveDate, days: u32) -> Result<NaiveDate, DomainError> {
    date.checked_add_days(Days::new(u64::from(days)))
        .ok_or(DomainError::DateOutOfRange)
}

fn require_role(actor: &Actor, role: Role) -> Result<(), DomainError> {
    if actor.has_role(role) {
        Ok(())
    } else {
        Err(DomainError::NotPermitted { role })
    }
}

fn require_assignee(to: &Actor, roles: &[Role]) -> Result<(), DomainError> {
    if !to.active {
        return Err(DomainError::AssigneeInactive);
    }
    match roles.iter().find(|r| to.has_role(**r)) {
        Some(_) => Ok(()),
        None => Err(DomainError::AssigneeLacksRole {
            role: roles.first().copied().unwrap_or(Role::KeyWorker),
        }),
    }
}

/// Statuses in which outreach steps are possible.
fn require_outreach(case: &Case) -> Result<(), DomainError> {
    match case.status {
        CaseStatus::Referred | CaseStatus::Outreach => Ok(()),
        CaseStatus::Closed => Err(DomainError::CaseClosed),
        status => Err(DomainError::WrongStatus { status }),
    }
}

/// Counselling content needs an enrolled client (I2) with an active processing consent.
fn require_enrolled(case: &Case, ctx: &Context<'_>) -> Result<NaiveDate, DomainError> {
    match case.status {
        CaseStatus::Enrolled => {}
        CaseStatus::Closed => return Err(DomainError::CaseClosed),
        _ => return Err(DomainError::NotEnrolled),
    }
    if !case.has_active_consent(ConsentPurpose::CaseProcessing, ctx.now) {
        return Err(DomainError::ConsentMissing {
            purpose: ConsentPurpose::CaseProcessing,
        });
    }
    case.enrolment
        .as_ref()
        .map(|e| e.on)
        .ok_or(DomainError::NotEnrolled)
}

/// The day from which the time part of the outreach end rule is met, counting the attempts by
/// their local days on `calendar` ([`OutreachFacts::time_rule_met_on`]).
#[must_use]
pub fn outreach_time_rule_met_on(
    case: &Case,
    rule: &OutreachEndRule,
    calendar: &dyn LocalCalendar,
) -> NaiveDate {
    OutreachFacts::of(case).time_rule_met_on(rule, calendar)
}

/// Whether the outreach end rule allows *not reached* on `day`: enough failed attempts, the
/// time without contact has passed, or the client has moved ([`OutreachFacts::end_rule_met`]).
#[must_use]
pub fn outreach_end_rule_met(
    case: &Case,
    rule: &OutreachEndRule,
    day: NaiveDate,
    calendar: &dyn LocalCalendar,
) -> bool {
    OutreachFacts::of(case).end_rule_met(rule, day, calendar)
}

/// Checks `command` against the current `case` (`None` before the referral) and returns the
/// events it produces.
///
/// # Errors
/// A [`DomainError`] naming the rule the command would break. Nothing is changed.
#[allow(clippy::too_many_lines)] // One match arm per command keeps every rule in one place.
pub fn decide(
    case: Option<&Case>,
    command: &Command,
    ctx: &Context<'_>,
) -> Result<Vec<CaseEvent>, DomainError> {
    if !ctx.actor.active {
        return Err(DomainError::ActorInactive);
    }
    if !ctx.actor.roles.iter().any(|r| r.works_on_cases()) {
        return Err(DomainError::NotPermitted {
            role: Role::KeyWorker,
        });
    }
    let today = ctx.today();

    let case = match (case, command) {
        (None, Command::Refer { referral, team }) => {
            not_future(referral.referral_date, ctx)?;
            if let Some(dob) = referral.client.date_of_birth {
                crate::referral::check_date_of_birth(dob, today)?;
            }
            if let Some(email) = &referral.client.email
                && crate::referral::check_email(email.as_str()).is_err()
            {
                return Err(DomainError::InvalidEmail {
                    email: email.as_str().to_owned(),
                });
            }
            return Ok(vec![CaseEvent::ReferralReceived {
                referral: referral.clone(),
                team: *team,
            }]);
        }
        (Some(_), Command::Refer { .. }) => return Err(DomainError::CaseAlreadyExists),
        (None, _) => return Err(DomainError::CaseNotStarted),
        (Some(case), _) => case,
    };
    let referral_date = case.referral.referral_date;

    let events = match command {
        Command::Refer { .. } => return Err(DomainError::CaseAlreadyExists),
        Command::AssignTeam { team } => {
            require_role(ctx.actor, Role::TeamLead)?;
            if case.status.is_ended() {
                return Err(if case.status == CaseStatus::Closed {
                    DomainError::CaseClosed
                } else {
                    DomainError::WrongStatus {
                        status: case.status,
                    }
                });
            }
            if case.team == Some(*team) {
                return Err(DomainError::NothingToChange);
            }
            vec![CaseEvent::TeamAssigned { team: *team }]
        }
        Command::AnnounceVisit { announcement } => {
            require_outreach(case)?;
            not_future(announcement.letter_date, ctx)?;
            not_before(announcement.letter_date, referral_date)?;
            if announcement.visit_until < announcement.visit_from
                || announcement.hours.is_some_and(|h| h.end <= h.start)
            {
                return Err(DomainError::InvalidDateRange);
            }
            not_before(announcement.visit_from, announcement.letter_date)?;
            vec![CaseEvent::VisitAnnounced {
                announcement: announcement.clone(),
            }]
        }
        Command::ChooseLetterLanguage { language } => {
            if case.status.is_ended() {
                return Err(DomainError::WrongStatus {
                    status: case.status,
                });
            }
            if case.referral.client.letter_language == *language {
                return Err(DomainError::NothingToChange);
            }
            vec![CaseEvent::LetterLanguageChosen {
                language: *language,
            }]
        }
        Command::LogContactAttempt {
            at,
            channel,
            outcome,
        } => {
            require_outreach(case)?;
            if *at > ctx.now {
                return Err(DomainError::DateInFuture {
                    date: ctx.day_of(*at),
                });
            }
            not_before(ctx.day_of(*at), referral_date)?;
            let mut events = vec![CaseEvent::ContactAttemptLogged {
                attempt: ContactAttempt {
                    at: *at,
                    channel: *channel,
                    staff: ctx.actor.id,
                    outcome: *outcome,
                },
            }];
            if *outcome == AttemptOutcome::Declined {
                events.push(CaseEvent::OfferDeclined {
                    on: ctx.day_of(*at),
                });
            }
            events
        }
        Command::Decline { on } => {
            require_outreach(case)?;
            not_future(*on, ctx)?;
            not_before(*on, referral_date)?;
            vec![CaseEvent::OfferDeclined { on: *on }]
        }
        Command::MarkNotReached { on } => {
            require_outreach(case)?;
            not_future(*on, ctx)?;
            not_before(*on, referral_date)?;
            let rule = &ctx.policy.outreach_end;
            // Without a calendar the offset in force now stands for the zone
            // (see `Context::calendar`).
            let offset = *ctx.now.offset();
            let calendar: &dyn LocalCalendar = ctx.calendar.unwrap_or(&offset);
            if !outreach_end_rule_met(case, rule, *on, calendar) {
                return Err(DomainError::OutreachEndRuleNotMet {
                    failed_attempts: case.failed_attempts(),
                    needed_attempts: rule.max_failed_attempts,
                    time_rule_met_on: outreach_time_rule_met_on(case, rule, calendar),
                });
            }
            vec![CaseEvent::NotReached { on: *on }]
        }
        Command::Enrol {
            on,
            key_worker,
            terms,
            consent,
        } => {
            require_outreach(case)?;
            not_future(*on, ctx)?;
            not_before(*on, referral_date)?;
            if !terms.all_explained() {
                return Err(DomainError::TermsNotExplained);
            }
            if consent.given_on != *on {
                return Err(DomainError::ConsentNotOnEnrolmentDay);
            }
            require_assignee(key_worker, &[Role::KeyWorker, Role::JobCoach])?;
            if case.consents.iter().any(|c| c.id == consent.id) {
                return Err(DomainError::DuplicateId);
            }
            // Validates that the whole period fits the calendar.
            KeyWorkerPeriod::begin(*on)?;
            vec![CaseEvent::Enrolled {
                on: *on,
                key_worker: key_worker.id,
                terms: *terms,
                consent: Consent {
                    id: consent.id,
                    purpose: ConsentPurpose::CaseProcessing,
                    form: consent.form,
                    given_on: consent.given_on,
                    withdrawn_at: None,
                    text_version: crate::consent::ConsentText::current(
                        ConsentPurpose::CaseProcessing,
                    )
                    .version,
                },
            }]
        }
        Command::ExtendPeriod { until, reason } => {
            require_enrolled(case, ctx)?;
            let period = case.period.as_ref().ok_or(DomainError::NotEnrolled)?;
            period.check_extension(*until)?;
            vec![CaseEvent::PeriodExtended {
                previous_end: period.planned_end(),
                new_end: *until,
                reason: reason.clone(),
                on: today,
            }]
        }
        Command::GiveConsent {
            id,
            purpose,
            form,
            given_on,
        } => {
            match case.status {
                CaseStatus::Enrolled | CaseStatus::Closed => {}
                _ => return Err(DomainError::NotEnrolled),
            }
            not_future(*given_on, ctx)?;
            not_before(*given_on, referral_date)?;
            if case.consents.iter().any(|c| c.id == *id) {
                return Err(DomainError::DuplicateId);
            }
            if case.has_active_consent(*purpose, ctx.now) {
                return Err(DomainError::ConsentAlreadyActive { purpose: *purpose });
            }
            vec![CaseEvent::ConsentGiven {
                consent: Consent {
                    id: *id,
                    purpose: *purpose,
                    form: *form,
                    given_on: *given_on,
                    withdrawn_at: None,
                    text_version: crate::consent::ConsentText::current(*purpose).version,
                },
            }]
        }
        Command::WithdrawConsent { id, on } => {
            let consent = case
                .consents
                .iter()
                .find(|c| c.id == *id)
                .ok_or(DomainError::NotFound { what: "consent" })?;
            if consent.withdrawn_at.is_some() {
                return Err(DomainError::ConsentAlreadyWithdrawn);
            }
            let at = match on {
                Some(day) if *day != today => {
                    not_future(*day, ctx)?;
                    not_before(*day, consent.given_on)?;
                    // Without a calendar the offset in force now stands for the zone
                    // (see `Context::calendar`).
                    let offset = *ctx.now.offset();
                    let calendar: &dyn LocalCalendar = ctx.calendar.unwrap_or(&offset);
                    calendar.start_of(*day)
                }
                _ => ctx.now.to_utc(),
            };
            vec![CaseEvent::ConsentWithdrawn { consent: *id, at }]
        }
        Command::AssessDomain { domain, assessment } => {
            require_enrolled(case, ctx)?;
            if case.social_history.get(domain) == Some(assessment) {
                return Err(DomainError::NothingToChange);
            }
            vec![CaseEvent::DomainAssessed {
                domain: *domain,
                assessment: assessment.clone(),
            }]
        }
        Command::AgreeGoal {
            id,
            domain,
            wording,
            criterion,
            responsible,
            review_date,
        } => {
            let enrolled_on = require_enrolled(case, ctx)?;
            if case.goals.iter().any(|g| g.id == *id) {
                return Err(DomainError::DuplicateId);
            }
            not_before(*review_date, enrolled_on)?;
            vec![CaseEvent::GoalAgreed {
                goal: Goal {
                    id: *id,
                    domain: *domain,
                    wording: wording.clone(),
                    criterion: criterion.clone(),
                    responsible: *responsible,
                    review_date: *review_date,
                    status: crate::goal::GoalStatus::Open,
                    ratings: Vec::new(),
                    agreed_on: today,
                },
            }]
        }
        Command::UpdateGoal { id, changes } => {
            let enrolled_on = require_enrolled(case, ctx)?;
            let goal = case
                .goals
                .iter()
                .find(|g| g.id == *id)
                .ok_or(DomainError::NotFound { what: "goal" })?;
            let effective = GoalChanges {
                wording: changes.wording.clone().filter(|w| *w != goal.wording),
                criterion: changes.criterion.clone().filter(|c| *c != goal.criterion),
                responsible: changes.responsible.filter(|r| *r != goal.responsible),
                review_date: changes.review_date.filter(|d| *d != goal.review_date),
                status: changes.status.filter(|s| *s != goal.status),
            };
            if effective.is_empty() {
                return Err(DomainError::NothingToChange);
            }
            if let Some(d) = effective.review_date {
                not_before(d, enrolled_on)?;
            }
            vec![CaseEvent::GoalUpdated {
                goal: *id,
                changes: effective,
            }]
        }
        Command::RateGoal { id, on, value } => {
            require_enrolled(case, ctx)?;
            let goal = case
                .goals
                .iter()
                .find(|g| g.id == *id)
                .ok_or(DomainError::NotFound { what: "goal" })?;
            not_future(*on, ctx)?;
            not_before(*on, goal.agreed_on)?;
            vec![CaseEvent::GoalRated {
                goal: *id,
                rating: Rating {
                    on: *on,
                    value: *value,
                    recorded_by: ctx.actor.id,
                },
            }]
        }
        Command::RecordContact {
            contact,
            share_with_team,
        } => {
            let enrolled_on = require_enrolled(case, ctx)?;
            if case.contacts.iter().any(|c| c.id == contact.id) {
                return Err(DomainError::DuplicateId);
            }
            not_future(contact.date, ctx)?;
            not_before(contact.date, enrolled_on)?;
            if contact.duration_minutes == 0 || contact.duration_minutes > 24 * 60 {
                return Err(DomainError::DurationOutOfRange);
            }
            if contact.compartment == NoteCompartment::Psychologist
                && !ctx.actor.has_role(Role::Psychologist)
            {
                return Err(DomainError::PsychologistCompartment);
            }
            let mut contact = contact.clone();
            contact.compartment =
                crate::contact::compartment_for(ctx.actor, contact.compartment, *share_with_team);
            contact.topics.sort();
            contact.topics.dedup();
            vec![CaseEvent::ContactRecorded { contact }]
        }
        Command::ReferOut {
            id,
            service,
            on,
            note,
            contact_person,
        } => {
            let enrolled_on = require_enrolled(case, ctx)?;
            not_future(*on, ctx)?;
            not_before(*on, enrolled_on)?;
            if !service.active {
                return Err(DomainError::ServiceInactive);
            }
            if case.referrals_out.iter().any(|r| r.id == *id) {
                return Err(DomainError::DuplicateId);
            }
            vec![CaseEvent::OutboundReferralCreated {
                referral: OutboundReferral {
                    id: *id,
                    service: service.id,
                    kind: service.kind,
                    status: OutboundReferralStatus::Suggested,
                    status_since: *on,
                    created_on: *on,
                    note: note.clone(),
                    contact_person: contact_person
                        .clone()
                        .or_else(|| service.details.contact_person.clone()),
                    release: None,
                    disclosures: Vec::new(),
                },
            }]
        }
        Command::UpdateReferralOut { id, status, on } => {
            require_enrolled(case, ctx)?;
            let referral = find_referral(case, *id)?;
            if !referral.status.can_move_to(*status) {
                return Err(DomainError::ReferralStatusNotAllowed {
                    from: referral.status,
                    to: *status,
                });
            }
            not_future(*on, ctx)?;
            not_before(*on, referral.status_since)?;
            vec![CaseEvent::OutboundReferralStatusChanged {
                referral: *id,
                status: *status,
                on: *on,
            }]
        }
        Command::RecordSecrecyRelease { referral, release } => {
            require_enrolled(case, ctx)?;
            find_referral(case, *referral)?;
            if release.valid_until < release.given_on {
                return Err(DomainError::InvalidDateRange);
            }
            not_future(release.given_on, ctx)?;
            let mut release = release.clone();
            release.withdrawn_on = None;
            vec![CaseEvent::SecrecyReleaseRecorded {
                referral: *referral,
                release,
            }]
        }
        Command::WithdrawSecrecyRelease { referral } => {
            let r = find_referral(case, *referral)?;
            let release = r.release.as_ref().ok_or(DomainError::NotFound {
                what: "secrecy release",
            })?;
            if release.withdrawn_on.is_some() {
                return Err(DomainError::ConsentAlreadyWithdrawn);
            }
            vec![CaseEvent::SecrecyReleaseWithdrawn {
                referral: *referral,
                on: today,
            }]
        }
        Command::RecordDisclosure {
            referral,
            on,
            information,
        } => {
            require_enrolled(case, ctx)?;
            let r = find_referral(case, *referral)?;
            not_future(*on, ctx)?;
            not_before(*on, r.created_on)?;
            if !r.release.as_ref().is_some_and(|rel| rel.is_valid_on(*on)) {
                return Err(DomainError::NoSecrecyRelease { on: *on });
            }
            vec![CaseEvent::DisclosureRecorded {
                referral: *referral,
                on: *on,
                information: information.clone(),
            }]
        }
        Command::HandOver {
            target,
            to,
            on,
            note,
        } => {
            let enrolled_on = require_enrolled(case, ctx)?;
            not_future(*on, ctx)?;
            not_before(*on, enrolled_on)?;
            if *target == HandoverTarget::Phase2 && case.phase == Some(Phase::Phase2) {
                return Err(DomainError::AlreadyHandedOver { target: *target });
            }
            if let Some(to) = to {
                let roles: &[Role] = match target {
                    HandoverTarget::JobCoach => &[Role::JobCoach],
                    HandoverTarget::Psychologist => &[Role::Psychologist],
                    HandoverTarget::Phase2 => {
                        &[Role::KeyWorker, Role::JobCoach, Role::Psychologist]
                    }
                };
                require_assignee(to, roles)?;
            }
            vec![CaseEvent::HandedOver {
                target: *target,
                to: to.as_ref().map(|a| a.id),
                on: *on,
                note: note.clone(),
            }]
        }
        Command::ReassignKeyWorker { to } => {
            require_role(ctx.actor, Role::TeamLead)?;
            // Before enrolment this names who is responsible for outreach; afterwards it
            // changes the key worker. Ended cases keep their last key worker.
            match case.status {
                CaseStatus::Referred | CaseStatus::Outreach | CaseStatus::Enrolled => {}
                CaseStatus::Closed => return Err(DomainError::CaseClosed),
                status => return Err(DomainError::WrongStatus { status }),
            }
            require_assignee(to, &[Role::KeyWorker, Role::JobCoach, Role::Psychologist])?;
            if case.key_worker == Some(to.id) {
                return Err(DomainError::NothingToChange);
            }
            vec![CaseEvent::KeyWorkerChanged { to: to.id }]
        }
        Command::RecordAttendance {
            session,
            attendance,
        } => {
            require_enrolled(case, ctx)?;
            if case.phase != Some(Phase::Phase2) {
                return Err(DomainError::NotInPhase2);
            }
            not_future(session.date, ctx)?;
            let record = AttendanceRecord {
                session: session.id,
                date: session.date,
                kind: session.kind,
                attendance: *attendance,
            };
            if case.attendance.contains(&record) {
                return Err(DomainError::NothingToChange);
            }
            vec![CaseEvent::AttendanceRecorded { record }]
        }
        Command::RecordEsfEntry { record } => {
            match case.status {
                CaseStatus::Enrolled | CaseStatus::Closed => {}
                _ => return Err(DomainError::NotEnrolled),
            }
            if case.esf_entry.as_ref() == Some(record) {
                return Err(DomainError::NothingToChange);
            }
            vec![CaseEvent::EsfEntryRecorded {
                record: record.clone(),
            }]
        }
        Command::PauseParticipation { from } => {
            let enrolled_on = require_enrolled(case, ctx)?;
            if case.open_pause().is_some() {
                return Err(DomainError::AlreadyPaused);
            }
            not_future(*from, ctx)?;
            not_before(*from, enrolled_on)?;
            if let Some(last_end) = case.pauses.iter().filter_map(|p| p.until).max() {
                not_before(*from, last_end)?;
            }
            vec![CaseEvent::ParticipationPaused { from: *from }]
        }
        Command::ResumeParticipation { on } => {
            require_enrolled(case, ctx)?;
            let pause = case.open_pause().ok_or(DomainError::NotPaused)?;
            not_future(*on, ctx)?;
            not_before(*on, pause.from)?;
            vec![CaseEvent::ParticipationResumed { on: *on }]
        }
        Command::Close {
            on,
            reason,
            immediate_result,
        } => {
            let enrolled_on = match case.status {
                CaseStatus::Enrolled => case
                    .enrolment
                    .as_ref()
                    .map(|e| e.on)
                    .ok_or(DomainError::NotEnrolled)?,
                CaseStatus::Closed => return Err(DomainError::CaseClosed),
                status => return Err(DomainError::WrongStatus { status }),
            };
            not_future(*on, ctx)?;
            not_before(*on, enrolled_on)?;
            vec![CaseEvent::Closed {
                closure: Closure {
                    closed_on: *on,
                    reason: *reason,
                    immediate_result: *immediate_result,
                },
            }]
        }
        Command::RecordImmediateResult { result } => {
            if case.status != CaseStatus::Closed {
                return Err(DomainError::NotClosed);
            }
            vec![CaseEvent::ImmediateResultRecorded { result: *result }]
        }
        Command::Reopen { on } => {
            require_role(ctx.actor, Role::TeamLead)?;
            let ended_on = match (case.status.is_ended(), case.ended_on) {
                (true, Some(day)) => day,
                _ => {
                    return Err(DomainError::WrongStatus {
                        status: case.status,
                    });
                }
            };
            not_future(*on, ctx)?;
            not_before(*on, ended_on)?;
            let deadline = add_days(ended_on, ctx.policy.reopen_window_days)?;
            if *on > deadline {
                return Err(DomainError::ReopenWindowExpired { deadline });
            }
            vec![CaseEvent::Reopened { on: *on }]
        }
        Command::RecordReportSent { report } => decide_report_sent(case, report, ctx)?,
    };
    Ok(events)
}

/// A report may be recorded as sent when it could be computed at `as_of` (its consent was in
/// force then: I4), `as_of` is not in the future, and it was sent on a day between that
/// moment and today.
fn decide_report_sent(
    case: &Case,
    report: &crate::report::SentReport,
    ctx: &Context<'_>,
) -> Result<Vec<CaseEvent>, DomainError> {
    if report.as_of > ctx.now {
        return Err(DomainError::DateInFuture {
            date: ctx.day_of(report.as_of),
        });
    }
    not_future(report.sent_on, ctx)?;
    not_before(report.sent_on, ctx.day_of(report.as_of))?;
    if case
        .sent_reports
        .iter()
        .any(|r| r.document == report.document)
    {
        return Err(DomainError::DuplicateId);
    }
    let offset = *ctx.now.offset();
    let calendar: &dyn LocalCalendar = ctx.calendar.unwrap_or(&offset);
    crate::report::jobcenter_report(case, report.kind, report.as_of, calendar)?;
    Ok(vec![CaseEvent::JobcenterReportSent {
        report: report.clone(),
    }])
}

fn find_referral(case: &Case, id: OutboundReferralId) -> Result<&OutboundReferral, DomainError> {
    case.referrals_out
        .iter()
        .find(|r| r.id == id)
        .ok_or(DomainError::NotFound {
            what: "referral out",
        })
}

/// Decides `command` and wraps the resulting events with case id, sequence numbers, actor
/// and time, ready to be appended to the case history at `case.version`.
///
/// # Errors
/// As [`decide`].
pub fn handle(
    case_id: CaseId,
    case: Option<&Case>,
    command: &Command,
    ctx: &Context<'_>,
) -> Result<Vec<RecordedEvent>, DomainError> {
    let base = case.map_or(0, |c| c.version);
    let events = decide(case, command, ctx)?;
    Ok(events
        .into_iter()
        .zip(base + 1..)
        .map(|(event, sequence)| RecordedEvent {
            case_id,
            sequence,
            recorded_at: ctx.now.to_utc(),
            actor: ctx.actor.id,
            event,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::StaffId;
    use chrono::TimeZone;
    use chrono_tz::Europe::Berlin;

    fn actor() -> Actor {
        Actor {
            id: StaffId::from_uuid(uuid::Uuid::from_u128(1)),
            roles: Vec::new(),
            teams: Vec::new(),
            active: true,
        }
    }

    /// An attempt at 00:30 summer time, seen in winter: the offset in force now (+01:00) puts
    /// it on the day before; the installation's calendar keeps it on its own day.
    #[test]
    fn a_calendar_gives_the_local_day_across_a_clock_change() {
        let attempt = Berlin
            .with_ymd_and_hms(2026, 10, 20, 0, 30, 0)
            .unwrap()
            .with_timezone(&Utc);
        let now = Berlin
            .with_ymd_and_hms(2026, 11, 10, 12, 0, 0)
            .unwrap()
            .fixed_offset();
        let (who, policy) = (actor(), Policy::default());
        let without = Context {
            actor: &who,
            now,
            policy: &policy,
            calendar: None,
        };
        let with = Context {
            calendar: Some(&Berlin),
            ..without
        };
        let day = NaiveDate::from_ymd_opt(2026, 10, 20).unwrap();
        assert_eq!(with.day_of(attempt), day);
        assert_eq!(without.day_of(attempt), day.pred_opt().unwrap());
    }
}
