//! Consent texts are versioned and immutable once released; every consent records the
//! version it was given under; a receipt confirms a consent given or withdrawn.

use wegbereiter_core::consent::{ConsentText, ReceiptKind, receipt};
use wegbereiter_core::prelude::*;
use wegbereiter_core::vocab::{Labelled, Lang};

use crate::support::*;

/// FNV-1a, 64 bit: a fingerprint of a released text, so that editing it fails this test.
fn fingerprint(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[test]
fn released_consent_texts_never_change_and_every_purpose_has_one() {
    let pinned: Vec<(&str, u32, u64, u64)> = ConsentText::ALL
        .iter()
        .map(|t| {
            (
                t.purpose.key(),
                t.version,
                fingerprint(t.de),
                fingerprint(t.en),
            )
        })
        .collect();
    assert_eq!(
        pinned, PINNED,
        "a released consent text was edited: add a new version instead"
    );
    for purpose in <ConsentPurpose as Labelled>::ALL {
        let current = ConsentText::current(*purpose);
        assert_eq!(current.purpose, *purpose);
        assert!(!current.de.is_empty() && !current.en.is_empty());
    }
}

/// Every released text with its fingerprints (German, English). Append new versions; never
/// change a line.
const PINNED: &[(&str, u32, u64, u64)] = &[
    (
        "case_processing",
        1,
        15242382392249644194,
        4763025767236068048,
    ),
    ("esf_data", 1, 844204696377384465, 7636096255064573726),
    (
        "jobcenter_participation",
        1,
        1497781174954257087,
        10053703002978382441,
    ),
    (
        "jobcenter_progress",
        1,
        8790881011372974379,
        14598695225102186014,
    ),
    (
        "jobcenter_exit",
        1,
        12799876027199839791,
        2321769654376742165,
    ),
    (
        "jobcenter_health",
        1,
        13659265875626802624,
        3777413055979377740,
    ),
];

#[test]
fn a_consent_records_its_text_version_and_has_a_receipt_given_and_withdrawn() {
    let mut w = World::enrolled();
    let processing = w.case().consents[0].clone();
    assert_eq!(
        processing.text_version,
        ConsentText::current(ConsentPurpose::CaseProcessing).version
    );
    let r = receipt(w.case(), processing.id, Lang::De).unwrap();
    assert_eq!(r.kind, ReceiptKind::Given);
    assert_eq!(r.purpose, ConsentPurpose::CaseProcessing);
    assert_eq!(r.client, "Erika Musterfrau");
    assert!(r.text.starts_with("Ich nehme freiwillig"), "{}", r.text);
    assert!(r.withdrawn_at.is_none());

    let id = ConsentId::from_uuid(uuid::Uuid::from_u128(777));
    w.ok(Command::GiveConsent {
        id,
        purpose: ConsentPurpose::JobcenterParticipation,
        form: ConsentForm::Written,
        given_on: w.today,
    });
    w.ok(Command::WithdrawConsent { id, on: None });
    let r = receipt(w.case(), id, Lang::En).unwrap();
    assert_eq!(r.kind, ReceiptKind::Withdrawn);
    assert!(r.withdrawn_at.is_some());
    assert!(r.text.contains("Jobcenter"), "{}", r.text);
    assert!(
        receipt(
            w.case(),
            ConsentId::from_uuid(uuid::Uuid::from_u128(1)),
            Lang::De
        )
        .is_none()
    );
}

#[test]
fn a_consent_stored_before_texts_were_versioned_reads_as_version_one() {
    let old = r#"{"id":"00000000-0000-0000-0000-000000000009","purpose":"esf_data","form":"written","given_on":"2026-03-10","withdrawn_at":null}"#;
    let consent: Consent = serde_json::from_str(old).unwrap();
    assert_eq!(consent.text_version, 1);
}
