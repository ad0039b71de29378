//! Test fixtures: a small world with staff and a case driven by real commands.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use uuid::Uuid;
use wegbereiter_core::prelude::*;

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn t(s: &str) -> Text {
    Text::parse(s).unwrap()
}

pub fn noon(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).unwrap())
}

pub fn actor(n: u128, roles: &[Role]) -> Actor {
    Actor {
        id: StaffId::from_uuid(Uuid::from_u128(n)),
        roles: roles.to_vec(),
        teams: vec![TeamId::from_uuid(Uuid::from_u128(900))],
        active: true,
    }
}

pub fn referral(on: NaiveDate) -> Referral {
    Referral {
        jobcenter: t("Jobcenter Beispielstadt"),
        case_manager: t("Fallmanager Probe"),
        customer_number: Some(t("123A456")),
        referral_date: on,
        reason: ReferralReason::ContactLost,
        problem_areas: vec![ProblemArea::Debt, ProblemArea::MentalHealth],
        legal_basis: LegalBasis::Sgb2Section16k,
        client: ClientIdentity {
            letter_language: None,
            given_name: t("Erika"),
            family_name: t("Musterfrau"),
            date_of_birth: Some(d(1984, 2, 29)),
            gender: Some(Gender::Female),
            address: Some(Address {
                street: t("Musterweg 1"),
                postcode: Postcode::parse("99999").unwrap(),
                city: t("Beispielstadt"),
            }),
            phone: None,
            email: None,
        },
    }
}

/// A case and the people around it. Every change goes through `handle`.
#[derive(Clone)]
pub struct World {
    pub policy: Policy,
    pub key_worker: Actor,
    pub lead: Actor,
    pub psychologist: Actor,
    pub coach: Actor,
    pub admin: Actor,
    pub case_id: CaseId,
    pub case: Option<Case>,
    pub history: Vec<RecordedEvent>,
    pub today: NaiveDate,
    /// Now on the installation's wall clock, when a test sets it (otherwise noon UTC of `today`).
    pub local_now: Option<DateTime<FixedOffset>>,
    next_id: u128,
}

impl World {
    pub fn new() -> Self {
        Self {
            policy: Policy::default(),
            key_worker: actor(1, &[Role::KeyWorker]),
            lead: actor(2, &[Role::TeamLead, Role::KeyWorker]),
            psychologist: actor(3, &[Role::Psychologist]),
            coach: actor(4, &[Role::JobCoach]),
            admin: actor(5, &[Role::Administrator]),
            case_id: CaseId::from_uuid(Uuid::from_u128(100)),
            case: None,
            history: Vec::new(),
            today: d(2026, 3, 2),
            local_now: None,
            next_id: 1000,
        }
    }

    pub fn id(&mut self) -> Uuid {
        self.next_id += 1;
        Uuid::from_u128(self.next_id)
    }

    pub fn on(&mut self, day: NaiveDate) -> &mut Self {
        self.today = day;
        self.local_now = None;
        self
    }

    /// Sets now to `now` on the installation's wall clock; today becomes its calendar day.
    pub fn at_local(&mut self, now: DateTime<FixedOffset>) -> &mut Self {
        self.today = now.date_naive();
        self.local_now = Some(now);
        self
    }

    pub fn case(&self) -> &Case {
        self.case.as_ref().expect("case exists")
    }

    /// Decides as `actor` without changing the world.
    pub fn try_as(
        &self,
        actor: &Actor,
        command: &Command,
    ) -> Result<Vec<RecordedEvent>, DomainError> {
        let ctx = Context {
            actor,
            now: self
                .local_now
                .unwrap_or_else(|| noon(self.today).fixed_offset()),
            policy: &self.policy,
            calendar: None,
        };
        handle(self.case_id, self.case.as_ref(), command, &ctx)
    }

    pub fn try_(&self, command: &Command) -> Result<Vec<RecordedEvent>, DomainError> {
        self.try_as(&self.key_worker, command)
    }

    /// Decides as `actor` and applies the events.
    pub fn run_as(
        &mut self,
        actor: &Actor,
        command: &Command,
    ) -> Result<Vec<CaseEvent>, DomainError> {
        let events = self.try_as(actor, command)?;
        for e in &events {
            match self.case.as_mut() {
                Some(c) => c.apply(e).unwrap(),
                None => self.case = Some(Case::replay(std::iter::once(e)).unwrap()),
            }
        }
        self.history.extend(events.iter().cloned());
        Ok(events.into_iter().map(|e| e.event).collect())
    }

    pub fn run(&mut self, command: &Command) -> Result<Vec<CaseEvent>, DomainError> {
        let kw = self.key_worker.clone();
        self.run_as(&kw, command)
    }

    pub fn ok(&mut self, command: Command) -> &mut Self {
        if let Err(e) = self.run(&command) {
            panic!("{command:?} refused: {e}");
        }
        self
    }

    // ---- states -------------------------------------------------------------------------

    pub fn referred() -> Self {
        let mut w = Self::new();
        let r = referral(d(2026, 3, 1));
        w.ok(Command::Refer {
            referral: r,
            team: Some(TeamId::from_uuid(Uuid::from_u128(900))),
        });
        w
    }

    pub fn in_outreach() -> Self {
        let mut w = Self::referred();
        w.ok(Command::AnnounceVisit {
            announcement: VisitAnnouncement {
                hours: None,
                letter_date: d(2026, 3, 2),
                visit_from: d(2026, 3, 9),
                visit_until: d(2026, 3, 11),
            },
        });
        w
    }

    pub fn attempt(&mut self, outcome: AttemptOutcome) -> &mut Self {
        let at = noon(self.today);
        self.ok(Command::LogContactAttempt {
            at,
            channel: ContactChannel::Doorstep,
            outcome,
        })
    }

    pub fn enrol_command(&mut self) -> Command {
        let id = ConsentId::from_uuid(self.id());
        Command::Enrol {
            on: self.today,
            key_worker: self.key_worker.clone(),
            terms: ParticipationTerms::EXPLAINED,
            consent: EnrolmentConsent {
                id,
                form: ConsentForm::Written,
                given_on: self.today,
            },
        }
    }

    /// Enrolled on 10 March 2026 (period until 10 June, at most 10 September).
    pub fn enrolled() -> Self {
        let mut w = Self::in_outreach();
        w.on(d(2026, 3, 10)).attempt(AttemptOutcome::Agreed);
        let cmd = w.enrol_command();
        w.ok(cmd);
        w
    }

    pub fn give_consent(&mut self, purpose: ConsentPurpose) -> ConsentId {
        let id = ConsentId::from_uuid(self.id());
        let today = self.today;
        self.ok(Command::GiveConsent {
            id,
            purpose,
            form: ConsentForm::Written,
            given_on: today,
        });
        id
    }

    pub fn agree_goal(&mut self, domain: LifeDomain, wording: &str) -> GoalId {
        let id = GoalId::from_uuid(self.id());
        let review = self.today + chrono::Days::new(14);
        self.ok(Command::AgreeGoal {
            id,
            domain,
            wording: t(wording),
            criterion: t("Kriterium"),
            responsible: ResponsibleParty::Client,
            review_date: review,
        });
        id
    }

    pub fn contact_command(&mut self, note: &str, compartment: NoteCompartment) -> Command {
        let id = ContactId::from_uuid(self.id());
        Command::RecordContact {
            contact: Contact {
                id,
                date: self.today,
                duration_minutes: 60,
                kind: ContactKind::HomeVisit,
                participants: None,
                topics: vec![LifeDomain::FinancesAndDebt],
                agreements: Some(t("Unterlagen sammeln")),
                next_steps: None,
                note: Some(t(note)),
                compartment,
            },
            share_with_team: false,
        }
    }

    pub fn service(&mut self, kind: ServiceKind, active: bool) -> SpecialistService {
        SpecialistService {
            id: ServiceId::from_uuid(self.id()),
            name: t("Fachstelle Beispielstadt"),
            kind,
            contact: None,
            active,
            details: ServiceDetails::default(),
        }
    }

    pub fn refer_out(&mut self, kind: ServiceKind) -> OutboundReferralId {
        let id = OutboundReferralId::from_uuid(self.id());
        let service = self.service(kind, true);
        let on = self.today;
        self.ok(Command::ReferOut {
            id,
            service,
            on,
            note: None,
            contact_person: None,
        });
        id
    }

    pub fn in_phase2() -> Self {
        let mut w = Self::enrolled();
        w.on(d(2026, 4, 1));
        w.ok(Command::HandOver {
            target: HandoverTarget::Phase2,
            to: None,
            on: d(2026, 4, 1),
            note: None,
        });
        w
    }

    pub fn closed() -> Self {
        let mut w = Self::enrolled();
        w.on(d(2026, 5, 4)).ok(Command::Close {
            on: d(2026, 5, 4),
            reason: ExitReason::GoalsAchieved,
            immediate_result: None,
        });
        w
    }

    pub fn declined() -> Self {
        let mut w = Self::in_outreach();
        w.on(d(2026, 3, 9)).attempt(AttemptOutcome::Declined);
        w
    }
}
