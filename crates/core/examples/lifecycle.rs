//! An embedder drives one case from referral to closure with the in-memory store.
//!
//! Run with `cargo run -p wegbereiter-core --example lifecycle`.
//! Everything here is synthetic: the people and places are fictitious.
//!
//! The domain crate has no async runtime; the in-memory store never waits, so a minimal
//! executor (`futures-executor`) is enough here. A real embedder uses its own runtime.

use std::error::Error;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use uuid::Uuid;
use wegbereiter_core::case_file::{self, Medium, Names};
use wegbereiter_core::prelude::*;

/// The embedder's directory of names; this example knows none, so the case file shows dashes.
struct NoNames;

impl Names for NoNames {
    fn staff(&self, _: StaffId) -> Option<String> {
        None
    }
    fn team(&self, _: TeamId) -> Option<String> {
        None
    }
    fn service(&self, _: ServiceId) -> Option<String> {
        None
    }
}

fn day(y: i32, m: u32, d: u32) -> Result<NaiveDate, Box<dyn Error>> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| "invalid date".into())
}

/// `hour` o'clock on `date` on the installation's wall clock. Core needs no time-zone
/// database: an embedder computes the UTC offset of its zone (here a fixed `+01:00`; the
/// bundled frontends use `chrono-tz`), and the calendar day of the result is "today".
fn at(date: NaiveDate, hour: u32) -> Result<DateTime<FixedOffset>, Box<dyn Error>> {
    let naive = date.and_hms_opt(hour, 0, 0).ok_or("invalid time")?;
    let offset = FixedOffset::east_opt(3600).ok_or("invalid offset")?;
    offset
        .from_local_datetime(&naive)
        .single()
        .ok_or_else(|| "ambiguous local time".into())
}

fn main() -> Result<(), Box<dyn Error>> {
    futures_executor::block_on(run())
}

async fn run() -> Result<(), Box<dyn Error>> {
    // The embedder owns the clock and the ids; the domain only receives them (I6).
    let store = Arc::new(InMemoryStore::new());
    let service = CaseService::new(store.clone(), Policy::default());
    let team = TeamId::from_uuid(Uuid::now_v7());
    let key_worker = Actor {
        id: StaffId::from_uuid(Uuid::now_v7()),
        roles: vec![Role::KeyWorker],
        teams: vec![team],
        active: true,
    };
    let case_id = CaseId::from_uuid(Uuid::now_v7());

    let steps: Vec<(NaiveDate, Command)> = vec![
        (
            day(2026, 1, 30)?,
            Command::Refer {
                referral: Referral {
                    jobcenter: Text::parse("Jobcenter Beispielstadt")?,
                    case_manager: Text::parse("Fallmanagerin Probe")?,
                    customer_number: Some(Text::parse("999D00001")?),
                    referral_date: day(2026, 1, 29)?,
                    reason: ReferralReason::ContactLost,
                    problem_areas: vec![ProblemArea::Debt, ProblemArea::Housing],
                    legal_basis: LegalBasis::Sgb2Section16k,
                    client: ClientIdentity {
                        letter_language: None,
                        given_name: Text::parse("Erika")?,
                        family_name: Text::parse("Musterfrau")?,
                        date_of_birth: Some(day(1980, 5, 17)?),
                        gender: Some(Gender::Female),
                        address: Some(Address {
                            street: Text::parse("Musterweg 12")?,
                            postcode: Postcode::parse("99999")?,
                            city: Text::parse("Beispielstadt")?,
                        }),
                        phone: None,
                        email: None,
                    },
                },
                team: Some(team),
            },
        ),
        (
            day(2026, 1, 30)?,
            Command::AnnounceVisit {
                announcement: VisitAnnouncement {
                    hours: None,
                    letter_date: day(2026, 1, 30)?,
                    visit_from: day(2026, 2, 4)?,
                    visit_until: day(2026, 2, 6)?,
                },
            },
        ),
        (
            day(2026, 2, 4)?,
            Command::LogContactAttempt {
                at: at(day(2026, 2, 4)?, 10)?.to_utc(),
                channel: ContactChannel::Doorstep,
                outcome: AttemptOutcome::NotMet,
            },
        ),
        (
            day(2026, 2, 6)?,
            Command::LogContactAttempt {
                at: at(day(2026, 2, 6)?, 10)?.to_utc(),
                channel: ContactChannel::Doorstep,
                outcome: AttemptOutcome::Agreed,
            },
        ),
        (
            day(2026, 2, 6)?,
            Command::Enrol {
                on: day(2026, 2, 6)?,
                key_worker: key_worker.clone(),
                terms: ParticipationTerms::EXPLAINED,
                consent: EnrolmentConsent {
                    id: ConsentId::from_uuid(Uuid::now_v7()),
                    form: ConsentForm::Written,
                    given_on: day(2026, 2, 6)?,
                },
            },
        ),
        (
            day(2026, 2, 6)?,
            Command::GiveConsent {
                id: ConsentId::from_uuid(Uuid::now_v7()),
                purpose: ConsentPurpose::JobcenterExit,
                form: ConsentForm::Written,
                given_on: day(2026, 2, 6)?,
            },
        ),
        (
            day(2026, 2, 10)?,
            Command::AgreeGoal {
                id: GoalId::from_uuid(Uuid::now_v7()),
                domain: LifeDomain::FinancesAndDebt,
                wording: Text::parse("Ich weiß, wem ich wie viel schulde.")?,
                criterion: Text::parse("Gläubigerliste liegt vor")?,
                responsible: ResponsibleParty::Client,
                review_date: day(2026, 3, 10)?,
            },
        ),
        (
            day(2026, 5, 4)?,
            Command::ExtendPeriod {
                until: day(2026, 7, 6)?,
                reason: Text::parse("Termin bei der Schuldnerberatung erst im Juni")?,
            },
        ),
        (
            day(2026, 7, 6)?,
            Command::Close {
                on: day(2026, 7, 6)?,
                reason: ExitReason::GoalsAchieved,
                immediate_result: Some(ImmediateResult::JobSeeking),
            },
        ),
    ];

    let (close, before_close) = steps.split_last().ok_or("no steps")?;
    for (today, command) in before_close {
        run_step(&service, case_id, &key_worker, *today, command).await?;
    }

    // A seventh month is refused by the domain, whatever the frontend does (I3).
    let refused = service
        .execute(
            case_id,
            &Command::ExtendPeriod {
                until: day(2026, 9, 1)?,
                reason: Text::parse("noch mehr Zeit")?,
            },
            &key_worker,
            at(day(2026, 7, 1)?, 13)?,
        )
        .await;
    if let Err(ServiceError::Rule(e)) = refused {
        println!("refused ({}): {}", e.rule(), e.message(Lang::De));
    }
    run_step(&service, case_id, &key_worker, close.0, &close.1).await?;

    let case = service.case(case_id).await?;
    let feedback = jobcenter_feedback(&case, at(day(2026, 7, 7)?, 9)?.to_utc(), &Utc);
    println!(
        "What the Jobcenter may see:\n{}",
        serde_json::to_string_pretty(&feedback)?
    );
    // The case file as the key worker reads it, from core's one case-file model.
    let view = case_file::View {
        reader: &key_worker,
        lang: Lang::De,
        medium: Medium::Screen,
        now: at(day(2026, 7, 7)?, 9)?,
    };
    let file = case_file::build_for(&case, &view, &NoNames)?;
    println!("Fallakte {}:", file.title);
    for section in file.sections.iter().filter(|s| !s.facts.is_empty()) {
        println!("  {}", section.title);
        for fact in &section.facts {
            println!(
                "    {}: {}",
                fact.label,
                fact.value.show(Lang::De, &|at| at.to_string())
            );
        }
    }
    Ok(())
}

async fn run_step(
    service: &CaseService,
    case_id: CaseId,
    key_worker: &Actor,
    today: NaiveDate,
    command: &Command,
) -> Result<(), Box<dyn Error>> {
    let done = service
        .execute(case_id, command, key_worker, at(today, 12)?)
        .await?;
    let lines: Vec<String> = done
        .events
        .iter()
        .map(|e| case_file::describe(&e.event, key_worker, Lang::De, &NoNames).text())
        .collect();
    println!(
        "{today}  v{:<2} {:<40} → {}",
        done.case.version,
        lines.join("; "),
        done.case.status.label(Lang::De)
    );
    Ok(())
}
