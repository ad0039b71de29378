//! A synthetic case with one announcement letter, made by replaying its events as storage
//! would; shared by the tests and `examples/letter.rs`.

use chrono::{NaiveDate, TimeZone, Utc};
use uuid::Uuid;
use wegbereiter_core::prelude::*;

/// A day.
pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn t(s: &str) -> Text {
    Text::parse(s).unwrap()
}

/// A referred case of a client called `given family`, living at `street`, with an
/// announcement letter of 3 December 2026 for a visit between 7 and 11 December.
pub fn case(given: &str, family: &str, street: &str) -> Case {
    let id = CaseId::from_uuid(Uuid::from_u128(0x00C0_FFEE_1234));
    let actor = StaffId::from_uuid(Uuid::from_u128(1));
    let at = Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap();
    let referral = Referral {
        jobcenter: t("Jobcenter Beispielstadt"),
        case_manager: t("Fallmanager Probe"),
        customer_number: None,
        referral_date: d(2026, 12, 1),
        reason: ReferralReason::ContactLost,
        problem_areas: vec![ProblemArea::Debt],
        legal_basis: LegalBasis::Sgb2Section16k,
        client: ClientIdentity {
            letter_language: None,
            given_name: t(given),
            family_name: t(family),
            date_of_birth: Some(d(1984, 2, 29)),
            gender: None,
            address: Some(Address {
                street: t(street),
                postcode: Postcode::parse("99999").unwrap(),
                city: t("Beispielstadt"),
            }),
            phone: None,
            email: None,
        },
    };
    let events = [
        CaseEvent::ReferralReceived {
            referral,
            team: None,
        },
        CaseEvent::VisitAnnounced {
            announcement: VisitAnnouncement {
                hours: None,
                letter_date: d(2026, 12, 3),
                visit_from: d(2026, 12, 7),
                visit_until: d(2026, 12, 11),
            },
        },
    ];
    let history: Vec<RecordedEvent> = events
        .into_iter()
        .zip(1..)
        .map(|(event, sequence)| RecordedEvent {
            case_id: id,
            sequence,
            recorded_at: at,
            actor,
            event,
        })
        .collect();
    Case::replay(&history).unwrap()
}

/// [`case`] enrolled on 14 December 2026 with its ESF Plus entry data recorded (female,
/// unemployed for more than a year, ISCED 0–2, third-country national, disability not
/// answered); never left.
pub fn participant(given: &str, family: &str) -> Case {
    let mut case = case(given, family, "Weg 1");
    case.referral.client.gender = Some(Gender::Female);
    let at = Utc.with_ymd_and_hms(2026, 12, 14, 9, 0, 0).unwrap();
    let actor = StaffId::from_uuid(Uuid::from_u128(1));
    let events = [
        CaseEvent::Enrolled {
            on: d(2026, 12, 14),
            key_worker: actor,
            terms: ParticipationTerms::EXPLAINED,
            consent: Consent {
                id: ConsentId::from_uuid(Uuid::from_u128(77)),
                purpose: ConsentPurpose::CaseProcessing,
                form: ConsentForm::Written,
                given_on: d(2026, 12, 14),
                withdrawn_at: None,
                text_version: 1,
            },
        },
        CaseEvent::EsfEntryRecorded {
            record: EsfEntryRecord {
                employment_status: EmploymentStatus::Unemployed,
                long_term_unemployed: true,
                education: IscedBand::Isced0To2,
                disability: None,
                citizenship: Citizenship::ThirdCountry,
                foreign_background: Some(true),
                minority: None,
                homeless: false,
                rural_area: Some(false),
            },
        },
    ];
    for (event, sequence) in events.into_iter().zip(case.version + 1..) {
        case.apply(&RecordedEvent {
            case_id: case.id,
            sequence,
            recorded_at: at,
            actor,
            event,
        })
        .unwrap();
    }
    case
}

/// The signer of the examples.
pub fn signer() -> wegbereiter_core::letter::Signer {
    wegbereiter_core::letter::Signer {
        name: "Jana Bezugsberaterin".into(),
        phone: Some("01234 567891".into()),
    }
}
