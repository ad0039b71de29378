//! # wegbereiter-core: the Wegbereiter domain
//!
//! The outreach case-management process of a German employment-support project, as pure
//! Rust: no I/O, no database, no async runtime, no clock and no randomness. Other programs
//! embed this crate; the bundled CLI and web frontend are two frontends over it.
//!
//! ## The shape
//! * A **case** ([`Case`]) is the state of one referral, rebuilt from its history of
//!   [`RecordedEvent`]s ([`Case::replay`]).
//! * Every change is a [`Command`], checked by [`decide`] / [`handle`] against the current
//!   case and an explicit [`Context`] (acting person, `now`, [`Policy`]). Accepted commands
//!   yield events; refused ones a [`DomainError`] that names the rule in German and English.
//! * [`CaseService`] is the one write path over a [`ports::CaseRepository`]: load, check the
//!   access policy ([`access`]), decide, append with optimistic concurrency; and the one read
//!   path of a case file (`read_for`, `history_for`, `list_for`): checked, logged, filtered.
//! * [`case_file::build_for`] computes what a case file shows a reader in a language, on
//!   screen or paper (sections, labelled facts, what is withheld and why), and
//!   [`case_file::timeline`] words its history: the one model every frontend renders.
//! * Pure functions answer the questions of daily work: [`reminders()`] (the
//!   *Wiedervorlagen*), [`jobcenter_feedback`] (what the Jobcenter may see) and
//!   [`esf_report`] (the ESF Plus indicators of a period); [`report::jobcenter_report`]
//!   picks each report's part of the feedback and records what was sent.
//!
//! ## Invariants (see `docs/ARCHITECTURE.md` for where each is enforced)
//! * I1 voluntary and sanction-free: [`feedback`] has no field that could carry misconduct.
//! * I2 no social history, goals or contacts before enrolment: [`decide`].
//! * I3 key-worker period ≤ 6 months: [`period::KeyWorkerPeriod`].
//! * I4 Jobcenter content only as consents allow: [`jobcenter_feedback`].
//! * I5 every change attributed, nothing overwritten: [`RecordedEvent`], expected versions.
//! * I6 time is an input: every function takes `now` or `today`.
//!
//! ## Example
//! ```
//! use wegbereiter_core::prelude::*;
//! # use chrono::{FixedOffset, NaiveDate, TimeZone};
//! # use uuid::Uuid;
//! let lead = Actor { id: StaffId::from_uuid(Uuid::from_u128(1)), roles: vec![Role::KeyWorker],
//!                    teams: vec![], active: true };
//! // Now on the installation's wall clock (the frontend knows the zone; core only the offset).
//! let now = FixedOffset::east_opt(3600).unwrap().with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
//! let policy = Policy::default();
//! let ctx = Context { actor: &lead, now, policy: &policy, calendar: None };
//! let referral = Referral {
//!     jobcenter: Text::parse("Jobcenter Musterstadt").unwrap(),
//!     case_manager: Text::parse("Fallmanagerin Beispiel").unwrap(),
//!     customer_number: None,
//!     referral_date: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
//!     reason: ReferralReason::ContactLost,
//!     problem_areas: vec![ProblemArea::Debt],
//!     legal_basis: LegalBasis::Sgb2Section16k,
//!     client: ClientIdentity {
//!         given_name: Text::parse("Erika").unwrap(),
//!         family_name: Text::parse("Musterfrau").unwrap(),
//!         date_of_birth: None, gender: None, address: None, phone: None, email: None,
//!         letter_language: None,
//!     },
//! };
//! let id = CaseId::from_uuid(Uuid::from_u128(7));
//! let events = handle(id, None, &Command::Refer { referral, team: None }, &ctx).unwrap();
//! let case = Case::replay(&events).unwrap();
//! assert_eq!(case.status, CaseStatus::Referred);
//! // Goals before enrolment are refused (I2):
//! let goal = Command::AgreeGoal {
//!     id: GoalId::from_uuid(Uuid::from_u128(8)), domain: LifeDomain::Housing,
//!     wording: Text::parse("Wohnung halten").unwrap(),
//!     criterion: Text::parse("Mietrückstand geklärt").unwrap(),
//!     responsible: ResponsibleParty::Client,
//!     review_date: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
//! };
//! assert_eq!(decide(Some(&case), &goal, &ctx), Err(DomainError::NotEnrolled));
//! ```

pub mod access;
pub mod calendar;
pub mod case;
pub mod case_file;
pub mod closure;
pub mod command;
pub mod consent;
pub mod contact;
pub mod error;
pub mod esf;
pub mod event;
pub mod feedback;
pub mod fold;
pub mod goal;
pub mod handover;
pub mod ids;
pub mod letter;
pub mod memory;
pub mod next_steps;
pub mod outlook;
pub mod outreach;
pub mod period;
pub mod ports;
pub mod referral;
pub mod reminders;
pub mod report;
pub mod retention;
pub mod service;
pub mod services;
pub mod social_history;
pub mod staff;
pub mod statistics;
pub mod text;
pub mod vocab;

pub use case::{Case, CaseStatus, CaseSummary, ReplayError};
pub use command::{Command, Context, EnrolmentConsent, Policy, decide, handle};
pub use error::{DomainError, FieldError};
pub use esf::{EsfCount, EsfParticipant, EsfReport, EsfScope, esf_report, esf_report_of};
pub use event::{CaseEvent, ParticipationTerms, RecordedEvent};
pub use feedback::{JobcenterFeedback, jobcenter_feedback};
pub use reminders::{Reminder, ReminderFacts, ReminderKind, reminders, reminders_of};
pub use service::{CaseService, DecidedOpenings, Executed, ServiceError};
pub use vocab::{Labelled, Lang};

/// Everything an embedder usually needs, for `use wegbereiter_core::prelude::*`.
pub mod prelude {
    pub use crate::access::{AccessDenied, CaseAccess};
    pub use crate::calendar::LocalCalendar;
    pub use crate::case::{Case, CaseStatus, CaseSummary};
    pub use crate::closure::{
        Citizenship, Closure, EmploymentStatus, EsfEntryRecord, ExitReason, ImmediateResult,
        IscedBand,
    };
    pub use crate::command::{Command, Context, EnrolmentConsent, Policy, decide, handle};
    pub use crate::consent::{Consent, ConsentForm, ConsentPurpose};
    pub use crate::contact::{Contact, ContactKind, NoteCompartment};
    pub use crate::error::{DomainError, FieldError};
    pub use crate::esf::{
        EsfCount, EsfLine, EsfParticipant, EsfRecord, EsfReport, EsfScope, GenderColumn,
        esf_members, esf_report, esf_report_of, esf_report_of_records,
    };
    pub use crate::event::{CaseEvent, ParticipationTerms, RecordedEvent};
    pub use crate::feedback::{JobcenterFeedback, jobcenter_feedback};
    pub use crate::goal::{Goal, GoalChanges, GoalStatus, ResponsibleParty};
    pub use crate::handover::{Attendance, GroupSession, GroupSessionKind, HandoverTarget, Phase};
    pub use crate::ids::{
        CaseId, ConsentId, ContactId, DocumentId, GoalId, GroupSessionId, OutboundReferralId,
        ServiceId, StaffId, TeamId,
    };
    pub use crate::memory::InMemoryStore;
    pub use crate::outreach::{AttemptOutcome, ContactChannel, OutreachEndRule, VisitAnnouncement};
    pub use crate::period::Pause;
    pub use crate::ports::{
        AccessEntry, AccessKind, AccessLog, AuditStamp, CaseFilter, CaseRepository,
        ServiceDirectory, StaffDirectory, StorageError, Visibility,
    };
    pub use crate::referral::{
        Address, ClientIdentity, Gender, LegalBasis, ProblemArea, Referral, ReferralReason,
    };
    pub use crate::reminders::{Reminder, ReminderFacts, ReminderKind, reminders, reminders_of};
    pub use crate::report::{ReportKind, SendChannel, SentReport, Sha256Hex, jobcenter_report};
    pub use crate::service::{CaseService, Executed, ServiceError};
    pub use crate::services::{
        Disclosure, OutboundReferralStatus, ReleaseDirection, SecrecyRelease, ServiceDetails,
        ServiceKind, SpecialistService,
    };
    pub use crate::social_history::{
        AccountSource, ActionNeed, DomainAssessment, LifeDomain, Priority,
    };
    pub use crate::staff::{Actor, Role, StaffMember, Team};
    pub use crate::text::{Postcode, Scale, Text};
    pub use crate::vocab::{Labelled, Lang};
}
