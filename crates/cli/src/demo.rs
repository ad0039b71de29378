//! Synthetic, deterministic demo data: staff, teams, services, group sessions and cases in
//! every status, with histories made by deciding real domain commands.
//!
//! The same `--cases`, `--seed` and `--today` always give the same data (a seeded
//! [`ChaCha8Rng`]; ids are UUID v7 built from the simulated time and the generator). Every
//! person and place is obviously fictitious: family names like *Musterfrau* or
//! *Probst-Muster*, streets like *Musterweg* in *Beispielstadt* (postcodes 99xxx), e-mail
//! addresses under `example.invalid`.
//!
//! For speed each case's whole history is built in memory, step by step through
//! [`handle`] and [`Case::apply`] (so every rule is checked exactly as in production), on a
//! thread of its own, and the cases are written in batches of [`CASES_PER_TRANSACTION`],
//! each batch with one [`CaseRepository::append_new_cases`] call: one transaction and a few
//! multi-row inserts per batch instead of a commit per case.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use uuid::Uuid;
use wegbereiter_core::prelude::*;

use crate::app::App;
use crate::error::CliError;
use crate::output::{table, tr};
use crate::passwords;

/// Steps with a fixed time of day keep their order against the random working hours
/// (08:00–16:00): a referral or reopening first thing, enrolment right after, closure last.
const REFERRAL_MINUTE: u32 = 7 * 60;
const ENROL_MINUTE: u32 = 7 * 60 + 30;
const CLOSE_MINUTE: u32 = 17 * 60 + 30;

/// Cases written per transaction: large enough that commits are rare, small enough that a
/// batch (about 20 events a case) stays a few megabytes in memory.
const CASES_PER_TRANSACTION: usize = 2_000;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "demo";

const GIVEN_NAMES: &[&str] = &[
    "Erika", "Max", "Anna", "Lukas", "Mehmet", "Ayşe", "Olga", "Dmitri", "Fatima", "Jonas", "Lea",
    "Paul", "Marie", "Ali", "Elif", "Sven", "Katarina", "Tomasz", "Ivana", "Noah", "Mia", "Leon",
    "Hanna", "Yusuf", "Sofia", "Emil", "Ida", "Kemal", "Natalia", "Ben", "Jörg", "Gül", "Amir",
    "Petra", "Uwe", "Zeynep", "Rainer", "Bärbel", "Kofi", "Lina",
];

const FAMILY_NAMES: &[&str] = &[
    "Musterfrau",
    "Mustermann",
    "Beispiel",
    "Probst-Muster",
    "Musterhaus",
    "Beispielmann",
    "Platzhalter",
    "Vorlage",
    "Muster-Yılmaz",
    "Beispiel-Nowak",
    "Exempel",
    "Musterberg",
    "Fiktiv",
    "Attrappe",
    "Modellmann",
    "Probe",
    "Schablone",
    "Entwurf",
    "Demo-Schmidt",
    "Testweiler",
    "Musterkamp",
    "Beispielhof",
    "Weiß-Muster",
    "Platzhalter-Kaya",
];

const STREETS: &[&str] = &[
    "Musterweg",
    "Beispielstraße",
    "Am Probeplatz",
    "Platzhalterallee",
    "Demogasse",
    "Fiktivring",
    "Vorlagenstraße",
    "Exempelplatz",
    "Musterhof",
    "Schablonenweg",
];

const JOBCENTERS: &[&str] = &["Jobcenter Beispielstadt", "Jobcenter Musterkreis"];

const CASE_MANAGERS: &[&str] = &[
    "Frau Beispiel (Fallmanagement)",
    "Herr Muster (Fallmanagement)",
    "Frau Vorlage (Fallmanagement)",
    "Herr Platzhalter (Fallmanagement)",
];

const EXTENSION_REASONS: &[&str] = &[
    "Die Schuldnerberatung beginnt erst in sechs Wochen; die Begleitung dorthin ist vereinbart.",
    "Die Wohnungssuche läuft; der Umzug soll begleitet werden.",
    "Die Klientin möchte die Bewerbungsphase mit Unterstützung abschließen.",
    "Nach einer Erkrankung wird die Tagesstruktur schrittweise wieder aufgebaut.",
];

const GOALS: &[(LifeDomain, &str, &str)] = &[
    (
        LifeDomain::FinancesAndDebt,
        "Ich will einen Überblick über meine Schulden haben.",
        "Alle Forderungen sind in einer Liste erfasst.",
    ),
    (
        LifeDomain::Housing,
        "Ich will meine Wohnung behalten.",
        "Der Mietrückstand ist mit dem Vermieter geklärt.",
    ),
    (
        LifeDomain::DailyStructureAndMobility,
        "Ich will morgens einen festen Ablauf haben.",
        "An vier Tagen pro Woche vor 9 Uhr aufgestanden.",
    ),
    (
        LifeDomain::WorkHistoryAndGoals,
        "Ich will wissen, welche Arbeit zu mir passt.",
        "Zwei Praktikumsideen sind aufgeschrieben.",
    ),
    (
        LifeDomain::AuthoritiesAndLegal,
        "Ich will meine Post wieder öffnen.",
        "Die Post wird einmal pro Woche gemeinsam sortiert.",
    ),
    (
        LifeDomain::SocialContacts,
        "Ich will wieder mehr unter Leute kommen.",
        "Einmal pro Woche ein Gruppenangebot besucht.",
    ),
    (
        LifeDomain::Language,
        "Ich will beim Amt selbst sprechen können.",
        "Ein Termin ohne Übersetzung ist gelungen.",
    ),
    (
        LifeDomain::MentalHealth,
        "Ich will mit jemandem über meine Ängste sprechen.",
        "Ein Erstgespräch in der Beratungsstelle hat stattgefunden.",
    ),
];

/// The fixed part of the demo: teams, staff, services and group sessions.
#[derive(Debug, Clone)]
pub struct Setup {
    /// Teams.
    pub teams: Vec<Team>,
    /// Staff (the last one is deactivated).
    pub staff: Vec<StaffMember>,
    /// Services, one of every kind.
    pub services: Vec<SpecialistService>,
    /// Phase 2 group sessions of the last year, oldest first.
    pub sessions: Vec<GroupSession>,
}

/// How the demo cases turned out.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    /// Cases written.
    pub cases: u64,
    /// Events written.
    pub events: u64,
    /// Cases by status key.
    pub by_status: BTreeMap<&'static str, u64>,
    /// Steps the domain refused (always 0 unless the generator has a bug).
    pub refused_steps: u64,
    /// The demo accounts.
    pub staff: Vec<DemoLogin>,
    /// Their password.
    pub password: &'static str,
    /// Seconds taken.
    pub seconds: f64,
}

/// A demo account.
#[derive(Debug, Serialize)]
pub struct DemoLogin {
    /// Login.
    pub login: String,
    /// Name.
    pub name: String,
    /// Role keys.
    pub roles: Vec<&'static str>,
    /// Whether active.
    pub active: bool,
}

impl Summary {
    /// The text shown after `demo`.
    #[must_use]
    pub fn text(&self, lang: Lang) -> String {
        let t = |de, en| tr(lang, de, en);
        let by_status = CaseStatus::ALL
            .iter()
            .filter_map(|s| {
                self.by_status
                    .get(s.key())
                    .map(|n| format!("{} {n}", s.label(lang)))
            })
            .collect::<Vec<_>>()
            .join(", ");
        let mut tb = table(&[
            t("Anmeldung", "Login"),
            t("Name", "Name"),
            t("Rollen", "Roles"),
        ]);
        for s in &self.staff {
            let roles = s
                .roles
                .iter()
                .filter_map(|k| Role::from_key(k))
                .map(|r| r.label(lang))
                .collect::<Vec<_>>()
                .join(", ");
            let login = if s.active {
                s.login.clone()
            } else {
                format!("{} ({})", s.login, t("deaktiviert", "deactivated"))
            };
            tb.add_row(vec![login, s.name.clone(), roles]);
        }
        format!(
            "{} {} {} {} {} ({:.1} s): {by_status}\n\n{tb}\n{}: {}\n{}",
            t("Demodaten geschrieben:", "Demo data written:"),
            self.cases,
            t("Fälle,", "cases,"),
            self.events,
            t("Ereignisse", "events"),
            self.seconds,
            t(
                "Passwort aller Demo-Zugänge",
                "Password of every demo account"
            ),
            self.password,
            t(
                "Beispiel: wegbereiter --db DATEI --as demo.bezug1 reminders",
                "Try: wegbereiter --db FILE --as demo.bezug1 reminders"
            ),
        )
    }
}

fn at(day: NaiveDate, minute_of_day: u32) -> DateTime<Utc> {
    let time = NaiveTime::from_num_seconds_from_midnight_opt(minute_of_day.min(1439) * 60, 0)
        .unwrap_or_default();
    Utc.from_utc_datetime(&day.and_time(time))
}

fn plus(day: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        day.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        day.checked_sub_days(Days::new(days.unsigned_abs()))
    }
    .unwrap_or(day)
}

/// The generator's texts are short literals; should one ever be refused, the generator
/// stops with the error instead of writing something else.
fn text(s: &str) -> Result<Text, FieldError> {
    Text::parse(s)
}

/// The deterministic generator.
pub struct Generator {
    rng: ChaCha8Rng,
    today: NaiveDate,
    policy: Policy,
    setup: Setup,
    remaining: u32,
    serial: u64,
    key_workers: Vec<Actor>,
    lead: Actor,
    coaches: Vec<Actor>,
    psychologist: Actor,
    phase2_worker: Actor,
}

impl std::fmt::Debug for Generator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Generator")
            .field("today", &self.today)
            .field("remaining", &self.remaining)
            .finish_non_exhaustive()
    }
}

/// One generated case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoCase {
    /// Id.
    pub id: CaseId,
    /// Its complete history.
    pub events: Vec<RecordedEvent>,
    /// Its status at the end.
    pub status: Option<CaseStatus>,
    /// Planned steps the domain refused (0 unless the generator has a bug).
    pub refused: u64,
}

/// One step of a case's planned timeline.
struct Step {
    day: NaiveDate,
    minute: u32,
    actor: Actor,
    command: Command,
}

impl Generator {
    /// A generator of `cases` cases for `seed`, relative to `today`.
    ///
    /// # Errors
    /// A [`FieldError`] if one of the generator's texts is not valid [`Text`] (a bug).
    pub fn new(cases: u32, seed: u64, today: NaiveDate) -> Result<Self, FieldError> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let base_ms = u64::try_from(at(plus(today, -400), 0).timestamp_millis()).unwrap_or(0);
        let mut serial = 0u64;
        let mut id = |rng: &mut ChaCha8Rng| {
            serial += 1;
            let mut bytes = [0u8; 10];
            rng.fill(&mut bytes);
            uuid::Builder::from_unix_timestamp_millis(base_ms + serial, &bytes).into_uuid()
        };
        let teams = vec![
            Team {
                id: TeamId::from_uuid(id(&mut rng)),
                name: text("Phase 1 Team Nord")?,
            },
            Team {
                id: TeamId::from_uuid(id(&mut rng)),
                name: text("Phase 1 Team Süd")?,
            },
            Team {
                id: TeamId::from_uuid(id(&mut rng)),
                name: text("Phase 2")?,
            },
        ];
        let (nord, sued, phase2) = (teams[0].id, teams[1].id, teams[2].id);
        let mut staff = Vec::new();
        let mut person = |rng: &mut ChaCha8Rng,
                          login: &str,
                          name: &str,
                          roles: Vec<Role>,
                          teams: Vec<TeamId>,
                          active: bool|
         -> Result<(), FieldError> {
            staff.push(StaffMember {
                id: StaffId::from_uuid(id(rng)),
                login: text(login)?,
                display_name: text(name)?,
                roles,
                teams,
                active,
            });
            Ok(())
        };
        person(
            &mut rng,
            "demo.admin",
            "Alex Verwaltung",
            vec![Role::Administrator],
            vec![],
            true,
        )?;
        person(
            &mut rng,
            "demo.dsb",
            "Dana Datenschutz",
            vec![Role::DataProtectionOfficer],
            vec![],
            true,
        )?;
        person(
            &mut rng,
            "demo.leitung",
            "Lena Leitung",
            vec![Role::KeyWorker, Role::TeamLead],
            vec![nord, sued],
            true,
        )?;
        let key_workers = (cases / 25).clamp(3, 60);
        for i in 1..=key_workers {
            let team = if i % 2 == 1 { nord } else { sued };
            let name = format!(
                "{} Bezug {i}",
                GIVEN_NAMES[(i as usize * 7) % GIVEN_NAMES.len()]
            );
            person(
                &mut rng,
                &format!("demo.bezug{i}"),
                &name,
                vec![Role::KeyWorker],
                vec![team],
                true,
            )?;
        }
        person(
            &mut rng,
            "demo.coach1",
            "Chris Coaching",
            vec![Role::JobCoach],
            vec![phase2],
            true,
        )?;
        person(
            &mut rng,
            "demo.coach2",
            "Kim Coaching",
            vec![Role::JobCoach],
            vec![phase2],
            true,
        )?;
        person(
            &mut rng,
            "demo.psych1",
            "Paula Psychologie",
            vec![Role::Psychologist],
            vec![phase2],
            true,
        )?;
        person(
            &mut rng,
            "demo.phase2",
            "Jan Gruppe",
            vec![Role::KeyWorker],
            vec![phase2],
            true,
        )?;
        person(
            &mut rng,
            "demo.inaktiv",
            "Ina Ehemalig",
            vec![Role::KeyWorker],
            vec![nord],
            false,
        )?;

        let services = ServiceKind::ALL
            .iter()
            .enumerate()
            .map(|(n, kind)| -> Result<SpecialistService, FieldError> {
                let name = match kind {
                    ServiceKind::DebtCounselling => "Schuldnerberatung Beispielstadt",
                    ServiceKind::AddictionCounselling => "Suchtberatung Beispielstadt",
                    ServiceKind::Psychotherapy => "Psychotherapeutische Praxis am Musterweg",
                    ServiceKind::PsychosocialSupport => {
                        "Sozialpsychiatrischer Dienst Beispielstadt"
                    }
                    ServiceKind::HousingAid => "Wohnungsnotfallhilfe Beispielstadt",
                    ServiceKind::MigrationCounselling => "Migrationsberatung Beispielstadt",
                    ServiceKind::PensionInsurer => {
                        "Rentenversicherung, Auskunftsstelle Beispielstadt"
                    }
                    _ => "Stadtteilladen Beispielstadt",
                };
                Ok(SpecialistService {
                    id: ServiceId::from_uuid(id(&mut rng)),
                    name: text(name)?,
                    kind: *kind,
                    contact: Some(text("Termine nach telefonischer Absprache")?),
                    active: true,
                    details: ServiceDetails {
                        address: Some(text(&format!("Musterweg {}, 99001 Beispielstadt", n + 1))?),
                        phone: Some(text(&format!("0000 00000{n}"))?),
                        email: Some(text(&format!("kontakt{}@beratung.example", n + 1))?),
                        opening_hours: Some(text(if n % 2 == 0 {
                            "Mo–Do 9–12 Uhr, Di 14–17 Uhr"
                        } else {
                            "Mo, Mi, Fr 8:30–12:30 Uhr"
                        })?),
                        contact_person: Some(text(
                            ["Frau Beispiel", "Herr Probe", "Frau Muster", "Herr Exempel"][n % 4],
                        )?),
                    },
                })
            })
            .collect::<Result<_, _>>()?;

        let mut sessions = Vec::new();
        let mut day = plus(today, -364);
        while day <= today {
            let kind = match day.weekday() {
                Weekday::Tue => Some((GroupSessionKind::Breakfast, "Frühstück im Stadtteilladen")),
                Weekday::Thu => Some((GroupSessionKind::Workshop, "Holzwerkstatt")),
                Weekday::Fri if day.day() <= 7 => {
                    Some((GroupSessionKind::Excursion, "Ausflug in den Beispielpark"))
                }
                Weekday::Wed if day.day() > 14 && day.day() <= 21 => {
                    Some((GroupSessionKind::Coaching, "Gruppencoaching Bewerbung"))
                }
                _ => None,
            };
            if let Some((kind, title)) = kind {
                sessions.push(GroupSession {
                    id: GroupSessionId::from_uuid(id(&mut rng)),
                    kind,
                    date: day,
                    title: text(title)?,
                });
            }
            day = plus(day, 1);
        }

        let actor = |login: &str| {
            staff
                .iter()
                .find(|s| s.login.as_str() == login)
                .map(StaffMember::as_actor)
        };
        let key_worker_actors: Vec<Actor> = staff
            .iter()
            .filter(|s| s.login.as_str().starts_with("demo.bezug"))
            .map(StaffMember::as_actor)
            .collect();
        let fallback = key_worker_actors.first().cloned().unwrap_or(Actor {
            id: StaffId::from_uuid(Uuid::nil()),
            roles: vec![Role::KeyWorker],
            teams: vec![],
            active: true,
        });
        let lead = actor("demo.leitung").unwrap_or_else(|| fallback.clone());
        let coaches = ["demo.coach1", "demo.coach2"]
            .iter()
            .filter_map(|l| actor(l))
            .collect();
        let psychologist = actor("demo.psych1").unwrap_or_else(|| fallback.clone());
        let phase2_worker = actor("demo.phase2").unwrap_or_else(|| fallback.clone());
        Ok(Self {
            rng,
            today,
            policy: Policy::default(),
            setup: Setup {
                teams,
                staff,
                services,
                sessions,
            },
            remaining: cases,
            serial,
            key_workers: key_worker_actors,
            lead,
            coaches,
            psychologist,
            phase2_worker,
        })
    }

    /// Teams, staff, services and sessions.
    #[must_use]
    pub fn setup(&self) -> &Setup {
        &self.setup
    }

    fn uuid(&mut self, day: NaiveDate) -> Uuid {
        self.serial += 1;
        let mut bytes = [0u8; 10];
        self.rng.fill(&mut bytes);
        let ms =
            u64::try_from(at(day, 8 * 60).timestamp_millis()).unwrap_or(0) + self.serial % 1000;
        uuid::Builder::from_unix_timestamp_millis(ms, &bytes).into_uuid()
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        // The lists are constants or built non-empty above.
        let i = self.rng.random_range(0..items.len().max(1));
        &items[i.min(items.len().saturating_sub(1))]
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p.clamp(0.0, 1.0))
    }

    fn days(&mut self, from: i64, to: i64) -> i64 {
        if to <= from {
            from
        } else {
            self.rng.random_range(from..=to)
        }
    }

    fn minute(&mut self) -> u32 {
        self.rng.random_range(8 * 60..16 * 60)
    }

    /// The next case, or `None` when all are made.
    ///
    /// # Errors
    /// A [`FieldError`] if one of the generator's texts is not valid [`Text`] (a bug).
    pub fn next_case(&mut self) -> Result<Option<DemoCase>, FieldError> {
        if self.remaining == 0 {
            return Ok(None);
        }
        self.remaining -= 1;
        let roll = self.rng.random_range(0..100u32);
        let today = self.today;
        // Where the case should end up, and when it was referred.
        let (target, referral_date) = match roll {
            0..8 => (CaseStatus::Referred, plus(today, -self.days(0, 6))),
            8..22 => (CaseStatus::Outreach, plus(today, -self.days(3, 30))),
            22..30 => (CaseStatus::Declined, plus(today, -self.days(20, 300))),
            30..38 => (CaseStatus::NotReached, plus(today, -self.days(50, 300))),
            38..78 => (CaseStatus::Enrolled, plus(today, -self.days(14, 180))),
            _ => (CaseStatus::Closed, plus(today, -self.days(130, 360))),
        };
        let kw = self.pick(&self.key_workers.clone()).clone();
        let case_id = CaseId::from_uuid(self.uuid(referral_date));
        let mut steps: Vec<Step> = Vec::new();
        let referral = self.referral(referral_date)?;
        let team = kw.teams.first().copied();
        self.push_at(
            &mut steps,
            referral_date,
            REFERRAL_MINUTE,
            &kw,
            Command::Refer { referral, team },
        );
        if target != CaseStatus::Referred {
            self.outreach(&mut steps, &kw, referral_date, target)?;
        }
        // Stable sort keeps the planned order of steps on the same day.
        steps.sort_by_key(|s| (s.day, s.minute));
        let mut case: Option<Case> = None;
        let mut history: Vec<RecordedEvent> = Vec::new();
        let mut refused = 0;
        for step in steps {
            if step.day > today {
                continue;
            }
            let ctx = Context {
                actor: &step.actor,
                now: at(step.day, step.minute).fixed_offset(),
                policy: &self.policy,
                calendar: None,
            };
            match handle(case_id, case.as_ref(), &step.command, &ctx) {
                Ok(events) => {
                    for e in &events {
                        match case.as_mut() {
                            None => case = Case::replay(std::iter::once(e)).ok(),
                            Some(c) => {
                                if c.apply(e).is_err() {
                                    refused += 1;
                                }
                            }
                        }
                    }
                    history.extend(events);
                }
                Err(e) => {
                    if cfg!(test) {
                        eprintln!("refused {:?} on {}: {e}", step.command, step.day);
                    }
                    refused += 1;
                }
            }
        }
        Ok(Some(DemoCase {
            id: case_id,
            status: case.map(|c| c.status),
            events: history,
            refused,
        }))
    }

    fn referral(&mut self, date: NaiveDate) -> Result<Referral, FieldError> {
        let given = *self.pick(GIVEN_NAMES);
        let family = *self.pick(FAMILY_NAMES);
        let age = self.days(18, 62);
        let dob = NaiveDate::from_ymd_opt(
            date.year() - i32::try_from(age).unwrap_or(30),
            self.rng.random_range(1..=12),
            self.rng.random_range(1..=28),
        );
        let gender = match (self.rng.random_range(0..100u32), given) {
            (0..3, _) => Gender::NonBinary,
            (
                _,
                "Erika" | "Anna" | "Ayşe" | "Olga" | "Fatima" | "Lea" | "Marie" | "Elif"
                | "Katarina" | "Ivana" | "Mia" | "Hanna" | "Sofia" | "Ida" | "Natalia" | "Gül"
                | "Petra" | "Zeynep" | "Bärbel" | "Lina",
            ) => Gender::Female,
            _ => Gender::Male,
        };
        let mut areas: Vec<ProblemArea> = Vec::new();
        for _ in 0..self.rng.random_range(0..4u32) {
            let a = *self.pick(ProblemArea::ALL);
            if !areas.contains(&a) {
                areas.push(a);
            }
        }
        areas.sort();
        let street = format!(
            "{} {}",
            self.pick(STREETS),
            self.rng.random_range(1..120u32)
        );
        let postcode = format!("99{:03}", self.rng.random_range(1..200u32));
        let with_email = self.chance(0.4);
        let ascii = |s: &str| -> String { crate::import::normalise(s) };
        let email = with_email
            .then(|| {
                text(&format!(
                    "{}.{}@example.invalid",
                    ascii(given),
                    ascii(family)
                ))
            })
            .transpose()?;
        Ok(Referral {
            jobcenter: text(self.pick::<&str>(JOBCENTERS))?,
            case_manager: text(self.pick::<&str>(CASE_MANAGERS))?,
            customer_number: Some(text(&format!(
                "999D{:06}",
                self.rng.random_range(0..1_000_000u32)
            ))?),
            referral_date: date,
            reason: *self.pick(ReferralReason::ALL),
            problem_areas: areas,
            legal_basis: *self.pick(&[
                LegalBasis::Sgb2Section16k,
                LegalBasis::Sgb2Section16k,
                LegalBasis::Sgb2Section16a,
                LegalBasis::Sgb2Section16h,
                LegalBasis::Sgb2Section16WithSgb3Section45,
                LegalBasis::EsfOnly,
            ]),
            client: ClientIdentity {
                letter_language: None,
                given_name: text(given)?,
                family_name: text(family)?,
                date_of_birth: dob,
                gender: Some(gender),
                address: Some(Address {
                    street: text(&street)?,
                    postcode: Postcode::parse(&postcode)?,
                    city: text("Beispielstadt")?,
                }),
                phone: self
                    .chance(0.6)
                    .then(|| {
                        text(&format!(
                            "0000 {:06}",
                            self.rng.random_range(0..1_000_000u32)
                        ))
                    })
                    .transpose()?,
                email,
            },
        })
    }

    fn push(&mut self, steps: &mut Vec<Step>, day: NaiveDate, actor: &Actor, command: Command) {
        let minute = self.minute();
        self.push_at(steps, day, minute, actor, command);
    }

    #[allow(clippy::unused_self)] // A method for symmetry with `push`.
    fn push_at(
        &self,
        steps: &mut Vec<Step>,
        day: NaiveDate,
        minute: u32,
        actor: &Actor,
        command: Command,
    ) {
        steps.push(Step {
            day,
            minute,
            actor: actor.clone(),
            command,
        });
    }

    fn attempt(
        &mut self,
        steps: &mut Vec<Step>,
        day: NaiveDate,
        kw: &Actor,
        outcome: AttemptOutcome,
    ) {
        let channel = match outcome {
            AttemptOutcome::NoteLeft => ContactChannel::NoteLeft,
            _ => *self.pick(&[
                ContactChannel::Doorstep,
                ContactChannel::Doorstep,
                ContactChannel::Phone,
                ContactChannel::SmsOrEmail,
            ]),
        };
        let minute = self.minute();
        steps.push(Step {
            day,
            minute,
            actor: kw.clone(),
            command: Command::LogContactAttempt {
                at: at(day, minute),
                channel,
                outcome,
            },
        });
    }

    fn outreach(
        &mut self,
        steps: &mut Vec<Step>,
        kw: &Actor,
        referred: NaiveDate,
        target: CaseStatus,
    ) -> Result<(), FieldError> {
        let today = self.today;
        let letter = plus(referred, self.days(0, 3)).min(today);
        let visit_from = plus(letter, self.days(4, 7));
        let announcement = VisitAnnouncement {
            hours: None,
            letter_date: letter,
            visit_from,
            visit_until: plus(visit_from, self.days(0, 4)),
        };
        self.push(steps, letter, kw, Command::AnnounceVisit { announcement });
        let mut day = visit_from;
        match target {
            CaseStatus::Outreach => {
                for _ in 0..self.rng.random_range(0..3u32) {
                    if day > today {
                        break;
                    }
                    let outcome = *self.pick(&[AttemptOutcome::NotMet, AttemptOutcome::NoteLeft]);
                    self.attempt(steps, day, kw, outcome);
                    day = plus(day, self.days(3, 8));
                }
            }
            CaseStatus::Declined => {
                if self.chance(0.5) {
                    self.attempt(steps, day, kw, AttemptOutcome::NotMet);
                    day = plus(day, self.days(3, 8));
                }
                if self.chance(0.7) {
                    self.attempt(steps, day, kw, AttemptOutcome::Declined);
                } else {
                    self.attempt(steps, day, kw, AttemptOutcome::AppointmentMade);
                    let later = plus(day, self.days(2, 10));
                    self.push(steps, later, kw, Command::Decline { on: later });
                }
            }
            CaseStatus::NotReached => {
                for _ in 0..3 {
                    let outcome = *self.pick(&[AttemptOutcome::NotMet, AttemptOutcome::NoteLeft]);
                    self.attempt(steps, day, kw, outcome);
                    day = plus(day, self.days(5, 12));
                }
                let on = plus(day, self.days(0, 7));
                self.push(steps, on, kw, Command::MarkNotReached { on });
            }
            _ => {
                if self.chance(0.4) {
                    self.attempt(steps, day, kw, AttemptOutcome::NotMet);
                    day = plus(day, self.days(2, 6));
                }
                let outcome =
                    *self.pick(&[AttemptOutcome::Agreed, AttemptOutcome::AppointmentMade]);
                self.attempt(steps, day, kw, outcome);
                // Enrolment on a later day than the agreeing attempt, first thing that day.
                let enrol_on = plus(day, self.days(1, 7));
                if enrol_on <= today {
                    self.enrolment(steps, kw, enrol_on, target)?;
                }
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_lines)] // The key-worker period, in order.
    fn enrolment(
        &mut self,
        steps: &mut Vec<Step>,
        kw: &Actor,
        on: NaiveDate,
        target: CaseStatus,
    ) -> Result<(), FieldError> {
        let today = self.today;
        let consent_id = ConsentId::from_uuid(self.uuid(on));
        let form = *self.pick(&[
            ConsentForm::Written,
            ConsentForm::Written,
            ConsentForm::Electronic,
        ]);
        self.push_at(
            steps,
            on,
            ENROL_MINUTE,
            kw,
            Command::Enrol {
                on,
                key_worker: kw.clone(),
                terms: ParticipationTerms::EXPLAINED,
                consent: EnrolmentConsent {
                    id: consent_id,
                    form,
                    given_on: on,
                },
            },
        );
        let Ok(period) = wegbereiter_core::period::KeyWorkerPeriod::begin(on) else {
            return Ok(());
        };
        // A closed case ends within its period; an enrolled one runs on to today.
        let end = if target == CaseStatus::Closed {
            plus(period.planned_end(), -self.days(0, 30))
        } else {
            today
        };
        for (purpose, p) in [
            (ConsentPurpose::JobcenterParticipation, 0.7),
            (ConsentPurpose::JobcenterProgress, 0.4),
            (ConsentPurpose::JobcenterExit, 0.5),
            (ConsentPurpose::EsfData, 0.3),
            (ConsentPurpose::JobcenterHealthInformation, 0.1),
        ] {
            if self.chance(p) {
                let id = ConsentId::from_uuid(self.uuid(on));
                self.push(
                    steps,
                    on,
                    kw,
                    Command::GiveConsent {
                        id,
                        purpose,
                        form,
                        given_on: on,
                    },
                );
            }
        }
        if self.chance(0.85) {
            let day = plus(on, self.days(0, 20)).min(end);
            let record = EsfEntryRecord {
                employment_status: *self.pick(&[
                    EmploymentStatus::Unemployed,
                    EmploymentStatus::Unemployed,
                    EmploymentStatus::Inactive,
                ]),
                long_term_unemployed: self.chance(0.6),
                education: *self.pick(IscedBand::ALL),
                disability: if self.chance(0.7) {
                    Some(self.chance(0.15))
                } else {
                    None
                },
                citizenship: *self.pick(&[
                    Citizenship::German,
                    Citizenship::German,
                    Citizenship::German,
                    Citizenship::Eu,
                    Citizenship::ThirdCountry,
                ]),
                foreign_background: if self.chance(0.8) {
                    Some(self.chance(0.35))
                } else {
                    None
                },
                minority: None,
                homeless: self.chance(0.08),
                rural_area: Some(self.chance(0.15)),
            };
            self.push(steps, day, kw, Command::RecordEsfEntry { record });
        }
        let mut assessed = Vec::new();
        for _ in 0..self.rng.random_range(2..6u32) {
            let domain = *self.pick(LifeDomain::ALL);
            if assessed.contains(&domain) {
                continue;
            }
            assessed.push(domain);
            let day = plus(on, self.days(3, 21)).min(end);
            let assessment = DomainAssessment {
                own_view: self
                    .chance(0.6)
                    .then(|| text("Aus Sicht der Klient*in ist das gerade das Wichtigste."))
                    .transpose()?,
                strengths: self
                    .chance(0.5)
                    .then(|| {
                        text("Verlässlich bei Terminen, gute Unterstützung durch die Schwester.")
                    })
                    .transpose()?,
                need: *self.pick(ActionNeed::ALL),
                priority: *self.pick(Priority::ALL),
                source: *self.pick(&[
                    AccountSource::Own,
                    AccountSource::Own,
                    AccountSource::ThirdParty,
                ]),
            };
            self.push(steps, day, kw, Command::AssessDomain { domain, assessment });
        }
        let mut goals = Vec::new();
        for _ in 0..self.rng.random_range(1..4u32) {
            let (domain, wording, criterion) = *self.pick(GOALS);
            let id = GoalId::from_uuid(self.uuid(on));
            let agreed = plus(on, self.days(7, 25)).min(end);
            let review = plus(agreed, self.days(21, 60));
            let responsible = *self.pick(ResponsibleParty::ALL);
            self.push(
                steps,
                agreed,
                kw,
                Command::AgreeGoal {
                    id,
                    domain,
                    wording: text(wording)?,
                    criterion: text(criterion)?,
                    responsible,
                    review_date: review,
                },
            );
            goals.push((id, agreed));
        }
        // Contacts roughly weekly, ratings now and then.
        let mut day = plus(on, self.days(2, 7));
        while day <= end {
            let psych_note = self.chance(0.05);
            let actor = if psych_note {
                self.psychologist.clone()
            } else {
                kw.clone()
            };
            let id = ContactId::from_uuid(self.uuid(day));
            let topics = vec![*self.pick(LifeDomain::ALL)];
            let contact = Contact {
                id,
                date: day,
                duration_minutes: *self.pick(&[30, 45, 60, 90, 120]),
                kind: *self.pick(&[
                    ContactKind::HomeVisit,
                    ContactKind::Office,
                    ContactKind::Office,
                    ContactKind::Phone,
                    ContactKind::Accompaniment,
                ]),
                participants: None,
                topics,
                agreements: self
                    .chance(0.6)
                    .then(|| text("Nächsten Termin gemeinsam vorbereiten."))
                    .transpose()?,
                next_steps: self
                    .chance(0.5)
                    .then(|| text("Unterlagen mitbringen."))
                    .transpose()?,
                note: Some(text(if psych_note {
                    "Gesprächsnotiz im psychologischen Bereich."
                } else {
                    "Gespräch in ruhiger Atmosphäre; Anliegen besprochen."
                })?),
                compartment: if psych_note {
                    NoteCompartment::Psychologist
                } else {
                    NoteCompartment::CaseTeam
                },
            };
            self.push(
                steps,
                day,
                &actor,
                Command::RecordContact {
                    contact,
                    share_with_team: false,
                },
            );
            for (goal, agreed) in &goals {
                if day > *agreed && self.chance(0.25) {
                    let value = Scale::new(self.rng.random_range(2..=9u8))?;
                    self.push(
                        steps,
                        day,
                        kw,
                        Command::RateGoal {
                            id: *goal,
                            on: day,
                            value,
                        },
                    );
                }
            }
            day = plus(day, self.days(4, 14));
        }
        for (goal, agreed) in &goals {
            let day = plus(*agreed, self.days(10, 40));
            if day <= end && self.chance(0.7) {
                let status = *self.pick(&[
                    GoalStatus::InProgress,
                    GoalStatus::InProgress,
                    GoalStatus::Achieved,
                    GoalStatus::PartlyAchieved,
                ]);
                let changes = GoalChanges {
                    status: Some(status),
                    ..GoalChanges::default()
                };
                self.push(steps, day, kw, Command::UpdateGoal { id: *goal, changes });
            }
        }
        if self.chance(0.4) {
            let service = self.pick(&self.setup.services.clone()).clone();
            let id = OutboundReferralId::from_uuid(self.uuid(on));
            let mut day = plus(on, self.days(7, 30)).min(end);
            // The release is signed right after the referral, in the same minute (the stable
            // sort keeps their order).
            let minute = self.minute();
            self.push_at(
                steps,
                day,
                minute,
                kw,
                Command::ReferOut {
                    id,
                    service: service.clone(),
                    on: day,
                    note: None,
                    contact_person: None,
                },
            );
            if self.chance(0.7) {
                let release = SecrecyRelease {
                    recipient: service.name.clone(),
                    information: text("Kontaktdaten und Anliegen")?,
                    purpose: text("Terminvereinbarung und Abstimmung der Hilfe")?,
                    direction: *self.pick(ReleaseDirection::ALL),
                    given_on: day,
                    valid_until: plus(day, 180),
                    withdrawn_on: None,
                };
                self.push_at(
                    steps,
                    day,
                    minute,
                    kw,
                    Command::RecordSecrecyRelease {
                        referral: id,
                        release,
                    },
                );
                // Under the release, the key worker passes the contact details on (R22).
                if self.chance(0.5) {
                    self.push_at(
                        steps,
                        day,
                        minute + 1,
                        kw,
                        Command::RecordDisclosure {
                            referral: id,
                            on: day,
                            information: text("Kontaktdaten und Anliegen")?,
                        },
                    );
                }
            }
            for status in [
                OutboundReferralStatus::Contacted,
                OutboundReferralStatus::AppointmentMade,
                OutboundReferralStatus::InCare,
            ] {
                day = plus(day, self.days(3, 20));
                if day > end || self.chance(0.25) {
                    break;
                }
                self.push(
                    steps,
                    day,
                    kw,
                    Command::UpdateReferralOut {
                        id,
                        status,
                        on: day,
                    },
                );
            }
        }
        // A pause, e.g. a hospital stay: not a sanction, and the planned end stays.
        if self.chance(0.12) {
            let from = plus(on, self.days(10, 40));
            if from < end {
                self.push(steps, from, kw, Command::PauseParticipation { from });
                let back = plus(from, self.days(7, 28));
                if back < end {
                    self.push(steps, back, kw, Command::ResumeParticipation { on: back });
                }
            }
        }
        // Extension: only in longer periods, within the 6-month limit.
        let planned_end = period.planned_end();
        if target == CaseStatus::Enrolled && planned_end <= plus(today, 20) && self.chance(0.7) {
            let decided = plus(planned_end, -self.days(1, 14)).max(on).min(today);
            let until = plus(planned_end, self.days(20, 80)).min(period.latest_end());
            if until > planned_end {
                let reason = text(self.pick::<&str>(EXTENSION_REASONS))?;
                self.push(steps, decided, kw, Command::ExtendPeriod { until, reason });
            }
        }
        // Handovers inside the project.
        let roll = self.rng.random_range(0..100u32);
        let handover_day = plus(on, self.days(30, 70));
        if handover_day <= end {
            match roll {
                0..20 => {
                    let to = self.phase2_worker.clone();
                    self.push(
                        steps,
                        handover_day,
                        kw,
                        Command::HandOver {
                            target: HandoverTarget::Phase2,
                            to: Some(to.clone()),
                            on: handover_day,
                            note: None,
                        },
                    );
                    let sessions: Vec<GroupSession> = self
                        .setup
                        .sessions
                        .iter()
                        .filter(|s| {
                            s.date > handover_day
                                && s.date <= end
                                && s.date <= plus(handover_day, 56)
                        })
                        .cloned()
                        .collect();
                    for session in sessions {
                        if self.chance(0.7) {
                            let attendance = if self.chance(0.8) {
                                Attendance::Present
                            } else {
                                Attendance::Absent
                            };
                            self.push(
                                steps,
                                session.date,
                                &to,
                                Command::RecordAttendance {
                                    session,
                                    attendance,
                                },
                            );
                        }
                    }
                }
                20..32 => {
                    let coach = self.pick(&self.coaches.clone()).clone();
                    self.push(
                        steps,
                        handover_day,
                        kw,
                        Command::HandOver {
                            target: HandoverTarget::JobCoach,
                            to: Some(coach),
                            on: handover_day,
                            note: None,
                        },
                    );
                }
                32..38 => {
                    let psych = self.psychologist.clone();
                    self.push(
                        steps,
                        handover_day,
                        kw,
                        Command::HandOver {
                            target: HandoverTarget::Psychologist,
                            to: Some(psych),
                            on: handover_day,
                            note: None,
                        },
                    );
                }
                _ => {}
            }
        }
        if target == CaseStatus::Closed {
            let reason = *self.pick(&[
                ExitReason::RegularEnd,
                ExitReason::RegularEnd,
                ExitReason::GoalsAchieved,
                ExitReason::Employment,
                ExitReason::TrainingOrEducation,
                ExitReason::HandedOverExternally,
                ExitReason::ClientEnded,
                ExitReason::MovedAway,
                ExitReason::Health,
                ExitReason::Other,
            ]);
            let lead = self.lead.clone();
            // Whoever holds the case at the end closes it; the lead always may.
            self.push_at(
                steps,
                end,
                CLOSE_MINUTE,
                &lead,
                Command::Close {
                    on: end,
                    reason,
                    immediate_result: None,
                },
            );
            // Now and then the team lead reopens within the window and it ends again.
            let mut last_close = end;
            if self.chance(0.03) {
                let reopen = plus(end, self.days(1, 20));
                if reopen <= today {
                    self.push_at(
                        steps,
                        reopen,
                        REFERRAL_MINUTE,
                        &lead,
                        Command::Reopen { on: reopen },
                    );
                    let close_again = plus(reopen, self.days(5, 30)).min(today);
                    self.push_at(
                        steps,
                        close_again,
                        CLOSE_MINUTE,
                        &lead,
                        Command::Close {
                            on: close_again,
                            reason: ExitReason::RegularEnd,
                            immediate_result: None,
                        },
                    );
                    last_close = close_again;
                }
            }
            // The immediate result (ESF) comes after the last closure.
            let later = plus(last_close, self.days(7, 28));
            if later <= today && self.chance(0.5) {
                let result = *self.pick(ImmediateResult::ALL);
                self.push(
                    steps,
                    later,
                    &lead,
                    Command::RecordImmediateResult { result },
                );
            }
        }
        Ok(())
    }
}

/// A text of the generator the domain refused: a bug of the generator, reported instead of
/// writing something else.
fn generator_bug(e: FieldError) -> CliError {
    CliError::Internal(crate::msg!(
        "Der Demodaten-Generator hat einen ungültigen Text erzeugt: {e}",
        "The demo data generator produced an invalid text: {e}"
    ))
}

/// Writes the demo into the app's (empty) database with a progress bar.
///
/// # Errors
/// Storage errors.
pub async fn write(app: &App, cases: u32, seed: u64) -> Result<Summary, CliError> {
    let started = Instant::now();
    let mut generator = Generator::new(cases, seed, app.today()).map_err(generator_bug)?;
    let setup = generator.setup().clone();
    let stamp = app.stamp(None);
    for team in &setup.teams {
        app.store.save_team(team, stamp).await?;
    }
    // One hash for every account: Argon2 is slow on purpose.
    let phc = passwords::hash(DEMO_PASSWORD)?;
    for member in &setup.staff {
        app.store.save_staff(member, stamp).await?;
        app.store.set_password_hash(member.id, &phc, stamp).await?;
    }
    for service in &setup.services {
        app.store.save_service(service, stamp).await?;
    }
    for session in &setup.sessions {
        app.store.save_group_session(session, stamp).await?;
    }
    let bar = ProgressBar::with_draw_target(Some(u64::from(cases)), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} ETA {eta}") {
        bar.set_style(style);
    }
    if cases > 500 {
        bar.enable_steady_tick(Duration::from_millis(200));
    }
    let mut summary = Summary {
        password: DEMO_PASSWORD,
        ..Summary::default()
    };
    // The generator (CPU only) runs on a thread of its own and hands over whole batches, so
    // it deciding the next batch overlaps the database writing the last one.
    let (batches, mut ready) = tokio::sync::mpsc::channel::<Result<Vec<DemoCase>, FieldError>>(2);
    let generating = tokio::task::spawn_blocking(move || {
        loop {
            let mut batch = Vec::with_capacity(CASES_PER_TRANSACTION);
            while batch.len() < CASES_PER_TRANSACTION {
                match generator.next_case() {
                    Ok(Some(case)) => batch.push(case),
                    Ok(None) => break,
                    Err(e) => {
                        let _ = batches.blocking_send(Err(e));
                        return;
                    }
                }
            }
            if batch.is_empty() || batches.blocking_send(Ok(batch)).is_err() {
                return;
            }
        }
    });
    let repo: Arc<dyn CaseRepository> = app.store.cases();
    while let Some(batch) = ready.recv().await {
        let batch = batch.map_err(generator_bug)?;
        let mut histories = Vec::with_capacity(batch.len());
        for DemoCase {
            events,
            status,
            refused,
            ..
        } in batch
        {
            summary.cases += 1;
            summary.events += events.len() as u64;
            summary.refused_steps += refused;
            if let Some(status) = status {
                *summary.by_status.entry(status.key()).or_default() += 1;
            }
            histories.push(events);
        }
        // Many cases per transaction: one commit (and one sync to disk) per batch.
        repo.append_new_cases(&histories).await?;
        bar.inc(histories.len() as u64);
    }
    generating.await.map_err(|e| {
        CliError::Internal(crate::msg!(
            "Der Demodaten-Generator ist abgebrochen: {e}",
            "The demo data generator failed: {e}"
        ))
    })?;
    bar.finish_and_clear();
    summary.staff = setup
        .staff
        .iter()
        .map(|s| DemoLogin {
            login: s.login.to_string(),
            name: s.display_name.to_string(),
            roles: s.roles.iter().map(|r| r.key()).collect(),
            active: s.active,
        })
        .collect();
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
    }

    #[test]
    fn every_planned_step_is_accepted_by_the_domain_and_every_status_occurs() {
        let mut g = Generator::new(400, 7, today()).unwrap();
        let mut statuses = std::collections::BTreeSet::new();
        let mut phases = std::collections::BTreeSet::new();
        let mut psych_notes = 0;
        let mut extended = 0;
        let (mut paused, mut disclosed) = (0, 0);
        while let Some(DemoCase {
            id,
            events,
            refused,
            status,
        }) = g.next_case().unwrap()
        {
            assert_eq!(
                refused, 0,
                "case {id}: the generator planned a step the domain refused"
            );
            let case = Case::replay(&events).unwrap();
            assert_eq!(case.id, id);
            assert_eq!(Some(case.status), status);
            assert!(events.iter().all(|e| e.recorded_at.date_naive() <= today()));
            statuses.insert(case.status);
            phases.insert(case.phase);
            psych_notes += case
                .contacts
                .iter()
                .filter(|c| c.compartment == NoteCompartment::Psychologist)
                .count();
            extended += usize::from(
                case.period
                    .as_ref()
                    .is_some_and(|p| !p.extensions().is_empty()),
            );
            paused += usize::from(!case.pauses.is_empty());
            disclosed += case
                .referrals_out
                .iter()
                .map(|r| r.disclosures.len())
                .sum::<usize>();
        }
        assert_eq!(statuses.len(), CaseStatus::ALL.len(), "{statuses:?}");
        assert!(phases.contains(&Some(Phase::Phase2)));
        assert!(psych_notes > 0);
        assert!(extended > 0);
        assert!(paused > 0 && disclosed > 0, "{paused} {disclosed}");
    }

    #[test]
    fn the_same_seed_gives_the_same_data() {
        let run = |seed| {
            let mut g = Generator::new(30, seed, today()).unwrap();
            let mut out = Vec::new();
            while let Some(c) = g.next_case().unwrap() {
                out.push((c.id, c.events));
            }
            (
                g.setup().staff.iter().map(|s| s.id).collect::<Vec<_>>(),
                out,
            )
        };
        assert_eq!(run(3), run(3));
        assert_ne!(run(3).1, run(4).1);
    }

    #[test]
    fn the_setup_has_every_role_and_every_service_kind() {
        let g = Generator::new(10, 1, today()).unwrap();
        for role in Role::ALL {
            assert!(
                g.setup().staff.iter().any(|s| s.has_role(*role)),
                "{role:?}"
            );
        }
        for kind in ServiceKind::ALL {
            assert!(g.setup().services.iter().any(|s| s.kind == *kind));
        }
        assert!(g.setup().staff.iter().any(|s| !s.active));
        assert_eq!(g.setup().teams.len(), 3);
        assert!(!g.setup().sessions.is_empty());
    }

    #[tokio::test]
    async fn histories_append_to_a_repository_in_one_call() {
        let store = InMemoryStore::new();
        let mut g = Generator::new(20, 2, today()).unwrap();
        while let Some(c) = g.next_case().unwrap() {
            store.append(c.id, 0, &c.events).await.unwrap();
        }
        assert_eq!(store.list(&CaseFilter::default()).await.unwrap().len(), 20);
    }
}
