//! Synthetic test data, made by driving core commands through [`CaseService`]: a small
//! project office with staff, teams and a varied portfolio of cases.

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use uuid::Uuid;
use wegbereiter_core::prelude::*;
use wegbereiter_core::{CaseService, Executed};
use wegbereiter_storage::Store;

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn t(s: &str) -> Text {
    Text::parse(s).unwrap()
}

/// Noon on `day`, with a nanosecond part, so that exact round trips of instants are tested.
pub fn noon(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_nano_opt(12, 0, 0, 123_456_789).unwrap())
}

pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

pub fn actor(roles: &[Role], team: TeamId) -> Actor {
    Actor {
        id: StaffId::from_uuid(new_id()),
        roles: roles.to_vec(),
        teams: vec![team],
        active: true,
    }
}

fn office_actor(roles: &[Role], team: TeamId, other: TeamId) -> Actor {
    Actor {
        teams: vec![team, other],
        ..actor(roles, team)
    }
}

pub fn client(
    given: &str,
    family: &str,
    dob: Option<NaiveDate>,
    postcode: Option<&str>,
) -> ClientIdentity {
    ClientIdentity {
        letter_language: None,
        given_name: t(given),
        family_name: t(family),
        date_of_birth: dob,
        gender: None,
        address: postcode.map(|p| Address {
            street: t("Musterweg 1"),
            postcode: Postcode::parse(p).unwrap(),
            city: t("Beispielstadt"),
        }),
        phone: None,
        email: None,
    }
}

pub fn referral(client: ClientIdentity, on: NaiveDate) -> Referral {
    Referral {
        jobcenter: t("Jobcenter Beispielstadt"),
        case_manager: t("Fallmanagerin Probe"),
        customer_number: Some(t("123A456")),
        referral_date: on,
        reason: ReferralReason::ContactLost,
        problem_areas: vec![ProblemArea::Debt],
        legal_basis: LegalBasis::Sgb2Section16k,
        client,
    }
}

/// Staff, teams and the write path of one project office.
#[derive(Clone)]
pub struct Office {
    pub service: CaseService,
    pub nord: TeamId,
    pub sued: TeamId,
    pub kw_a: Actor,
    pub kw_b: Actor,
    pub lead: Actor,
    pub session: GroupSession,
}

impl Office {
    pub fn new(store: &Store) -> Self {
        let nord = TeamId::from_uuid(new_id());
        let sued = TeamId::from_uuid(new_id());
        Self {
            service: store.case_service(Policy::default()),
            nord,
            sued,
            // Everyone of the office works for both teams, so that the access policy (tested
            // in core) lets the stories below act on every case they build.
            kw_a: office_actor(&[Role::KeyWorker], nord, sued),
            kw_b: office_actor(&[Role::KeyWorker], sued, nord),
            lead: office_actor(&[Role::TeamLead, Role::KeyWorker], nord, sued),
            session: GroupSession {
                id: GroupSessionId::from_uuid(new_id()),
                kind: GroupSessionKind::Breakfast,
                date: d(2026, 4, 2),
                title: t("Frühstück im Stadtteilladen"),
            },
        }
    }

    /// Runs `command` on case `id` as `actor` at noon of `day`; panics if refused.
    pub async fn run(
        &self,
        id: CaseId,
        actor: &Actor,
        day: NaiveDate,
        command: Command,
    ) -> Executed {
        self.service
            .execute(id, &command, actor, noon(day).fixed_offset())
            .await
            .unwrap_or_else(|e| panic!("{command:?} refused: {e}"))
    }

    pub async fn refer(
        &self,
        client: ClientIdentity,
        on: NaiveDate,
        team: Option<TeamId>,
    ) -> CaseId {
        let id = CaseId::from_uuid(new_id());
        // A case needs a team (the access policy refuses one nobody could see).
        let command = Command::Refer {
            referral: referral(client, on),
            team: Some(team.unwrap_or(self.nord)),
        };
        self.run(id, &self.kw_a, on, command).await;
        id
    }

    pub async fn announce(&self, id: CaseId, on: NaiveDate) {
        let announcement = VisitAnnouncement {
            hours: None,
            letter_date: on,
            visit_from: on + Days::new(7),
            visit_until: on + Days::new(9),
        };
        self.run(id, &self.kw_a, on, Command::AnnounceVisit { announcement })
            .await;
    }

    pub async fn attempt(&self, id: CaseId, on: NaiveDate, outcome: AttemptOutcome) {
        let command = Command::LogContactAttempt {
            at: noon(on),
            channel: ContactChannel::Doorstep,
            outcome,
        };
        self.run(id, &self.kw_a, on, command).await;
    }

    pub async fn enrol(&self, id: CaseId, on: NaiveDate, key_worker: &Actor) {
        self.attempt(id, on, AttemptOutcome::Agreed).await;
        let command = Command::Enrol {
            on,
            key_worker: key_worker.clone(),
            terms: ParticipationTerms::EXPLAINED,
            consent: EnrolmentConsent {
                id: ConsentId::from_uuid(new_id()),
                form: ConsentForm::Written,
                given_on: on,
            },
        };
        self.run(id, key_worker, on, command).await;
    }

    pub async fn goal(&self, id: CaseId, kw: &Actor, on: NaiveDate, review: NaiveDate) -> GoalId {
        let goal = GoalId::from_uuid(new_id());
        let command = Command::AgreeGoal {
            id: goal,
            domain: LifeDomain::Housing,
            wording: t("Wohnung halten"),
            criterion: t("Mietrückstand geklärt"),
            responsible: ResponsibleParty::Client,
            review_date: review,
        };
        self.run(id, kw, on, command).await;
        goal
    }

    pub async fn contact(&self, id: CaseId, kw: &Actor, on: NaiveDate) {
        let command = Command::RecordContact {
            contact: Contact {
                id: ContactId::from_uuid(new_id()),
                date: on,
                duration_minutes: 45,
                kind: ContactKind::HomeVisit,
                participants: None,
                topics: vec![LifeDomain::FinancesAndDebt, LifeDomain::Housing],
                agreements: Some(t("Unterlagen sammeln")),
                next_steps: None,
                note: Some(t("Gespräch über die Miete")),
                compartment: NoteCompartment::CaseTeam,
            },
            share_with_team: false,
        };
        self.run(id, kw, on, command).await;
    }

    pub async fn refer_out(&self, id: CaseId, kw: &Actor, on: NaiveDate) -> OutboundReferralId {
        let referral = OutboundReferralId::from_uuid(new_id());
        let service = SpecialistService {
            id: ServiceId::from_uuid(new_id()),
            name: t("Schuldnerberatung Beispielstadt"),
            kind: ServiceKind::DebtCounselling,
            contact: None,
            active: true,
            details: ServiceDetails::default(),
        };
        self.run(
            id,
            kw,
            on,
            Command::ReferOut {
                id: referral,
                service,
                contact_person: None,
                note: None,
                on,
            },
        )
        .await;
        referral
    }

    /// A varied portfolio: every status, both teams, both key workers, goals, contacts,
    /// referrals out, Phase 2 attendance, a closure and a reopening. Returns the case ids.
    pub async fn populate(&self) -> Vec<CaseId> {
        let (kw_a, kw_b, lead) = (self.kw_a.clone(), self.kw_b.clone(), self.lead.clone());
        let mut ids = Vec::new();

        // Referred only.
        let erika = client("Erika", "Musterfrau", Some(d(1984, 2, 29)), Some("99999"));
        ids.push(self.refer(erika, d(2026, 3, 1), Some(self.nord)).await);

        // Outreach: a letter announcing a visit window.
        let max = client("Max", "Mustermann", Some(d(1979, 7, 1)), Some("34117"));
        let id = self.refer(max, d(2026, 3, 2), Some(self.nord)).await;
        self.announce(id, d(2026, 3, 2)).await;
        ids.push(id);

        // Outreach: three failed attempts (the end rule is met).
        let joerg = client("Jörg", "Weiß", None, Some("34119"));
        let id = self.refer(joerg, d(2026, 2, 10), Some(self.sued)).await;
        for day in [d(2026, 2, 12), d(2026, 2, 19), d(2026, 2, 26)] {
            self.attempt(id, day, AttemptOutcome::NotMet).await;
        }
        ids.push(id);

        // Declined at the door: one command, two events.
        let anna = client("Anna", "Beispiel", None, None);
        let id = self.refer(anna, d(2026, 3, 1), None).await;
        self.attempt(id, d(2026, 3, 5), AttemptOutcome::Declined)
            .await;
        ids.push(id);

        // Not reached after six weeks.
        let paul = client("Paul", "Probe", Some(d(1990, 1, 1)), None);
        let id = self.refer(paul, d(2026, 1, 5), Some(self.sued)).await;
        self.run(
            id,
            &kw_a,
            d(2026, 2, 20),
            Command::MarkNotReached { on: d(2026, 2, 20) },
        )
        .await;
        ids.push(id);

        // Enrolled with key worker A: goal, contact, referral out.
        let lena = client("Lena", "Probe", Some(d(1995, 5, 5)), Some("34117"));
        let id = self.refer(lena, d(2026, 3, 1), Some(self.nord)).await;
        self.enrol(id, d(2026, 3, 10), &kw_a).await;
        self.goal(id, &kw_a, d(2026, 3, 11), d(2026, 3, 25)).await;
        self.contact(id, &kw_a, d(2026, 3, 12)).await;
        self.refer_out(id, &kw_a, d(2026, 3, 15)).await;
        ids.push(id);

        // Enrolled with key worker B, ESF data recorded.
        let tom = client("Tom", "Tester", Some(d(1988, 8, 8)), Some("01067"));
        let id = self.refer(tom, d(2026, 2, 1), Some(self.sued)).await;
        self.enrol(id, d(2026, 2, 3), &kw_b).await;
        let record = EsfEntryRecord {
            employment_status: EmploymentStatus::Unemployed,
            long_term_unemployed: true,
            education: IscedBand::Isced3To4,
            disability: None,
            citizenship: Citizenship::German,
            foreign_background: None,
            minority: None,
            homeless: false,
            rural_area: None,
        };
        self.run(
            id,
            &kw_b,
            d(2026, 2, 10),
            Command::RecordEsfEntry { record },
        )
        .await;
        self.contact(id, &kw_b, d(2026, 2, 17)).await;
        ids.push(id);

        // Phase 2 with attendance.
        let mia = client("Mia", "Muster", None, Some("99999"));
        let id = self.refer(mia, d(2026, 3, 1), Some(self.nord)).await;
        self.enrol(id, d(2026, 3, 10), &kw_a).await;
        self.run(
            id,
            &kw_a,
            d(2026, 4, 1),
            Command::HandOver {
                target: HandoverTarget::Phase2,
                to: None,
                on: d(2026, 4, 1),
                note: None,
            },
        )
        .await;
        self.run(
            id,
            &kw_a,
            d(2026, 4, 2),
            Command::RecordAttendance {
                session: self.session.clone(),
                attendance: Attendance::Present,
            },
        )
        .await;
        ids.push(id);

        // Closed.
        let ben = client("Ben", "Beispiel", Some(d(1970, 12, 24)), None);
        let id = self.refer(ben, d(2026, 3, 1), Some(self.nord)).await;
        self.enrol(id, d(2026, 3, 10), &kw_a).await;
        let close = Command::Close {
            on: d(2026, 5, 4),
            reason: ExitReason::GoalsAchieved,
            immediate_result: None,
        };
        self.run(id, &kw_a, d(2026, 5, 4), close).await;
        ids.push(id);

        // Closed and reopened by the team lead; a goal achieved, one still open.
        let ida = client("Ida", "Ideal", None, Some("34117"));
        let id = self.refer(ida, d(2026, 2, 2), Some(self.nord)).await;
        self.enrol(id, d(2026, 2, 5), &lead).await;
        let done = self.goal(id, &lead, d(2026, 2, 6), d(2026, 2, 20)).await;
        self.goal(id, &lead, d(2026, 2, 6), d(2026, 4, 20)).await;
        let achieved = Command::UpdateGoal {
            id: done,
            changes: GoalChanges {
                status: Some(GoalStatus::Achieved),
                ..GoalChanges::default()
            },
        };
        self.run(id, &lead, d(2026, 2, 21), achieved).await;
        let close = Command::Close {
            on: d(2026, 3, 2),
            reason: ExitReason::ClientEnded,
            immediate_result: Some(ImmediateResult::JobSeeking),
        };
        self.run(id, &lead, d(2026, 3, 2), close).await;
        self.run(
            id,
            &lead,
            d(2026, 3, 9),
            Command::Reopen { on: d(2026, 3, 9) },
        )
        .await;
        ids.push(id);

        // Possible duplicates of Erika: same name and birth date; same name and postcode.
        let twin = client("erika", "MUSTERFRAU", Some(d(1984, 2, 29)), None);
        ids.push(self.refer(twin, d(2026, 3, 3), Some(self.sued)).await);
        let namesake = client("Erika", "Musterfrau", Some(d(1960, 1, 1)), Some("99999"));
        ids.push(self.refer(namesake, d(2026, 3, 3), None).await);
        ids
    }
}
