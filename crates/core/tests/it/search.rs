//! Searches as typed into one field: what `CaseFilter::search` makes of the words, which
//! cases match, and how they rank.

use chrono::{NaiveDate, TimeZone, Utc};
use wegbereiter_core::case::{CaseStatus, CaseSummary};
use wegbereiter_core::ids::CaseId;
use wegbereiter_core::ports::CaseFilter;

fn summary(id: u128, name: &str, born: Option<(i32, u32, u32)>) -> CaseSummary {
    CaseSummary {
        id: CaseId::from_uuid(uuid::Uuid::from_u128(id)),
        version: 1,
        status: CaseStatus::Referred,
        phase: None,
        team: None,
        key_worker: None,
        client_name: name.to_owned(),
        date_of_birth: born.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)),
        postcode: None,
        referral_date: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        jobcenter: "Jobcenter Musterstadt".into(),
        planned_end: None,
        ended_on: None,
        last_changed_at: Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap(),
        restricted: false,
        former_readers: Vec::new(),
    }
}

#[test]
fn words_are_birth_dates_case_numbers_or_names() {
    let day = NaiveDate::from_ymd_opt(1985, 3, 12);
    for text in ["12.03.1985", "12.3.1985", "1985-03-12"] {
        let f = CaseFilter::search(text);
        assert_eq!(f.born_on, day, "{text}");
        assert_eq!(f.name_contains, None, "{text}");
    }
    for (text, number) in [
        ("ABCDE-F1234", "ABCDEF1234"),
        ("abcde-f1234", "ABCDEF1234"),
        ("abcdef1234", "ABCDEF1234"),
        ("0193a", "0193A"),
        ("ABCDE-FABCD", "ABCDEFABCD"),
        ("ABCDE-F", "ABCDEF"),
        ("0193a2b4-0000-7000-8000-00abcdef1234", "ABCDEF1234"),
    ] {
        assert_eq!(
            CaseFilter::search(text).case_number.as_deref(),
            Some(number),
            "{text}"
        );
    }
    // Names made of hex letters stay names; so does anything else.
    for text in [
        "Abebe",
        "ABCDE",
        "Fad",
        "Müller-Lüdenscheidt",
        "31.02.1985",
        "1234",
        "12-34567",
    ] {
        let f = CaseFilter::search(text);
        assert_eq!(f.case_number, None, "{text}");
        assert_eq!(f.born_on, None, "{text}");
        assert_eq!(f.name_contains.as_deref(), Some(text));
    }
    let both = CaseFilter::search("Müßig, Erika 1985-03-12");
    assert_eq!(both.name_contains.as_deref(), Some("Müßig Erika"));
    assert_eq!(both.born_on, day);
}

#[test]
fn a_search_finds_folded_spellings_parts_of_names_birth_dates_and_case_numbers() {
    let mussig = summary(
        0x0193_a2b4_0000_7000_8000_00ab_cdef_1234,
        "Müßig, Jürgen",
        Some((1985, 3, 12)),
    );
    let compound = summary(2, "Müller-Lüdenscheidt, Erika", None);
    let oz = summary(3, "Özdemir, Ayşe", Some((1990, 1, 2)));
    let found = |text: &str| {
        [&mussig, &compound, &oz]
            .into_iter()
            .filter(|s| CaseFilter::search(text).matches(s))
            .map(|s| s.client_name.clone())
            .collect::<Vec<_>>()
    };
    for text in ["Muessig", "Mussig", "MÜSSIG", "muss jurg", "Juergen"] {
        assert_eq!(found(text), ["Müßig, Jürgen"], "{text}");
    }
    for text in [
        "Lüdenscheidt",
        "lued",
        "Mueller-Luedenscheidt",
        "muller lud",
    ] {
        assert_eq!(found(text), ["Müller-Lüdenscheidt, Erika"], "{text}");
    }
    for text in ["Oezdemir", "Ozdemir", "ozdemir ayse", "AysE"] {
        assert_eq!(found(text), ["Özdemir, Ayşe"], "{text}");
    }
    assert_eq!(found("12.03.1985"), ["Müßig, Jürgen"]);
    assert_eq!(found("1990-01-02"), ["Özdemir, Ayşe"]);
    assert_eq!(found("Özdemir 12.03.1985"), Vec::<String>::new());
    assert_eq!(found("abcde-f1234"), ["Müßig, Jürgen"]);
    assert_eq!(found("ABCDE-F"), ["Müßig, Jürgen"]);
    assert_eq!(found("abcdef12"), ["Müßig, Jürgen"]);
    assert_eq!(found("ABCDE-F1235"), Vec::<String>::new());
}

#[test]
fn whole_words_rank_before_beginnings() {
    let exact = summary(1, "Weiß, Erika", None);
    let longer = summary(2, "Weißmann, Anna", None);
    let f = CaseFilter::search("weiss");
    assert!(f.orders_by_rank());
    assert_eq!(f.rank(&exact), 0);
    assert_eq!(f.rank(&longer), 1);
    assert_eq!(CaseFilter::search("Erika Weiß").rank(&exact), 0);
    assert_eq!(CaseFilter::search("Erika We").rank(&exact), 1);
    assert!(!CaseFilter::search("12.03.1985").orders_by_rank());
    assert!(!CaseFilter::default().orders_by_rank());
}
