//! Search that finds people: folded spellings, parts of compound names, birth dates and case
//! numbers through indexes, whole words first; and the migration that refolds the stored keys
//! of an older database.

use sea_orm::{ConnectionTrait, Statement, Value};
use wegbereiter_core::prelude::*;
use wegbereiter_core::referral::{DuplicateMatch, duplicate_match};
use wegbereiter_storage::Backend;

use crate::fixtures::*;
use crate::harness::{TestDb, on_both};

on_both!(
    search_finds_folded_spellings_birth_dates_and_case_numbers_whole_words_first,
    duplicate_hints_use_the_same_folding,
    migrating_refolds_the_stored_name_keys_and_fills_case_numbers
);

/// The synthetic people of these tests: (given, family, birth date).
const PEOPLE: [(&str, &str, (i32, u32, u32)); 7] = [
    ("Jürgen", "Müßig", (1985, 3, 12)),
    ("Anna", "Muessig", (1990, 7, 1)),
    ("Erika", "Müller-Lüdenscheidt", (1979, 11, 30)),
    ("Ayşe", "Özdemir", (1988, 1, 2)),
    ("Erika", "Weiß", (1985, 3, 12)),
    ("Lena", "Weißmann", (2001, 5, 5)),
    ("Zoë", "Çelik", (1999, 9, 9)),
];

async fn refer_people(office: &Office) -> Vec<CaseId> {
    let mut ids = Vec::new();
    for (given, family, (y, m, day)) in PEOPLE {
        ids.push(
            office
                .refer(
                    client(given, family, Some(d(y, m, day)), None),
                    d(2026, 3, 1),
                    Some(office.nord),
                )
                .await,
        );
    }
    ids
}

async fn names(db: &TestDb, text: &str) -> Vec<String> {
    db.store
        .list(&CaseFilter::search(text))
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.client_name)
        .collect()
}

async fn search_finds_folded_spellings_birth_dates_and_case_numbers_whole_words_first(db: TestDb) {
    let office = Office::new(&db.store);
    let ids = refer_people(&office).await;
    let mussig = ["Muessig, Anna", "Müßig, Jürgen"];
    for text in ["Müßig", "Muessig", "Mussig", "MUESSIG", "müss"] {
        assert_eq!(names(&db, text).await, mussig, "{text}");
    }
    assert_eq!(names(&db, "Juergen Mussig").await, ["Müßig, Jürgen"]);
    for text in [
        "Lüdenscheidt",
        "lued",
        "Luedenscheidt",
        "Mueller-Lued",
        "müller",
    ] {
        assert_eq!(
            names(&db, text).await,
            ["Müller-Lüdenscheidt, Erika"],
            "{text}"
        );
    }
    for text in ["Özdemir", "Oezdemir", "Ozdemir", "ayse"] {
        assert_eq!(names(&db, text).await, ["Özdemir, Ayşe"], "{text}");
    }
    assert_eq!(names(&db, "celik zoe").await, ["Çelik, Zoë"]);
    // Birth dates, German and ISO, alone or with a name.
    let born = ["Müßig, Jürgen", "Weiß, Erika"];
    assert_eq!(names(&db, "12.03.1985").await, born);
    assert_eq!(names(&db, "1985-03-12").await, born);
    assert_eq!(names(&db, "Weiss 12.3.1985").await, ["Weiß, Erika"]);
    assert!(names(&db, "13.03.1985").await.is_empty());
    // Case numbers, any case, with or without the dash, or their beginning.
    let number = ids[3].case_number();
    for text in [
        number.clone(),
        number.to_lowercase(),
        number.replace('-', ""),
        number[..7].to_owned(),
    ] {
        let found = db.store.list(&CaseFilter::search(&text)).await.unwrap();
        assert!(found.iter().any(|s| s.id == ids[3]), "{text}: {found:?}");
        if text.len() >= 10 {
            assert_eq!(found.len(), 1, "{text}");
        }
    }
    // Whole words first: "Weiß" before "Weißmann", though "Weißmann" is later in no order.
    assert_eq!(names(&db, "weiss").await, ["Weiß, Erika", "Weißmann, Lena"]);
    assert_eq!(names(&db, "weis").await, ["Weiß, Erika", "Weißmann, Lena"]);
    assert_eq!(names(&db, "Weißmann").await, ["Weißmann, Lena"]);
    assert_eq!(
        names(&db, "erika").await,
        ["Müller-Lüdenscheidt, Erika", "Weiß, Erika"]
    );
    // Paging keeps the ranked order.
    let first = db
        .store
        .list(&CaseFilter {
            limit: Some(1),
            ..CaseFilter::search("weiss")
        })
        .await
        .unwrap();
    let second = db
        .store
        .list(&CaseFilter {
            limit: Some(1),
            offset: Some(1),
            ..CaseFilter::search("weiss")
        })
        .await
        .unwrap();
    assert_eq!(first[0].client_name, "Weiß, Erika");
    assert_eq!(second[0].client_name, "Weißmann, Lena");
    // The repository answers as core's filter does, in core's order.
    let all = db.store.list(&CaseFilter::default()).await.unwrap();
    for text in [
        "weis",
        "mussig",
        "12.03.1985",
        "Erika",
        number.as_str(),
        "x",
    ] {
        let filter = CaseFilter::search(text);
        let mut expected: Vec<_> = all.iter().filter(|s| filter.matches(s)).cloned().collect();
        if filter.orders_by_rank() {
            expected.sort_by_key(|s| (filter.rank(s), s.client_name.clone(), s.id));
        }
        assert_eq!(db.store.list(&filter).await.unwrap(), expected, "{text}");
    }
}

async fn duplicate_hints_use_the_same_folding(db: TestDb) {
    let office = Office::new(&db.store);
    refer_people(&office).await;
    for (given, family) in [
        ("Juergen", "Muessig"),
        ("Jurgen", "Mussig"),
        ("JÜRGEN", "MÜSSIG"),
    ] {
        let candidate = client(given, family, Some(d(1985, 3, 12)), None);
        let found = db.store.possible_duplicates(&candidate).await.unwrap();
        assert_eq!(found.len(), 1, "{given} {family}: {found:?}");
        assert_eq!(found[0].0.client_name, "Müßig, Jürgen");
        assert_eq!(found[0].1, DuplicateMatch::NameAndDateOfBirth);
        let file = db
            .store
            .duplicate_candidates(std::slice::from_ref(&candidate))
            .await
            .unwrap();
        assert_eq!(file.len(), 1, "{file:?}");
        assert!(duplicate_match(&candidate, &file[0].1).is_some());
    }
}

/// How names were folded before `m0009`: lower case, ä→ae, ö→oe, ü→ue, ß→ss.
fn old_fold(name: &str) -> String {
    name.trim()
        .to_lowercase()
        .replace('ß', "ss")
        .replace('ä', "ae")
        .replace('ö', "oe")
        .replace('ü', "ue")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A database written before `m0009` (name keys and name words of the old folding, no case
/// numbers, no new indexes) is refolded when it is opened: afterwards its read models are
/// what the appends write now, and the new spellings find its people.
async fn migrating_refolds_the_stored_name_keys_and_fills_case_numbers(db: TestDb) {
    let office = Office::new(&db.store);
    office.populate().await;
    refer_people(&office).await;
    let expected = db.store.read_model_snapshot().await.unwrap();
    db.store.clone().close().await.unwrap();
    // Back to the keys and schema of m0008.
    for sql in [
        "DROP INDEX ix_case_clients_case_number",
        "DROP INDEX ix_case_clients_dob",
        "ALTER TABLE case_clients DROP COLUMN case_number",
        "DELETE FROM case_name_words",
        "DELETE FROM seaql_migrations WHERE version = 'm0009_search'",
    ] {
        db.exec(sql, vec![]).await;
    }
    for (given, family, _) in PEOPLE {
        let name = format!("{family}, {given}");
        let key = format!("{}\u{1f}{}", old_fold(family), old_fold(given));
        db.exec(
            "UPDATE case_clients SET name_key = $1 WHERE case_id IN \
             (SELECT id FROM cases WHERE client_name = $2)",
            vec![Value::from(key), Value::from(name.clone())],
        )
        .await;
        let mut words: Vec<String> = Vec::new();
        for w in old_fold(&name)
            .split([' ', ',', '-'])
            .filter(|w| !w.is_empty())
        {
            if !words.iter().any(|x| x == w) {
                words.push(w.to_owned());
            }
        }
        for word in words {
            db.exec(
                "INSERT INTO case_name_words (word, case_id) SELECT $1, id FROM cases \
                 WHERE client_name = $2",
                vec![Value::from(word), Value::from(name.clone())],
            )
            .await;
        }
    }
    let store = db.reopen().await;
    assert_eq!(store.read_model_snapshot().await.unwrap(), expected);
    let found = store.list(&CaseFilter::search("Mussig")).await.unwrap();
    assert_eq!(found.len(), 2, "{found:?}");
    let ozdemir = store.list(&CaseFilter::search("Ozdemir")).await.unwrap();
    assert_eq!(ozdemir.len(), 1);
    let by_number = store
        .list(&CaseFilter::search(&ozdemir[0].id.case_number()))
        .await
        .unwrap();
    assert_eq!(by_number, ozdemir);
    assert!(store.verify().await.unwrap().is_intact());
    if store.backend() == Backend::Postgres {
        // Byte order whatever the database's locale, so that a beginning is an index range.
        let raw = db.raw().await;
        let row = raw
            .query_one_raw(Statement::from_string(
                raw.get_database_backend(),
                "SELECT collation_name FROM information_schema.columns \
                 WHERE table_name = 'case_clients' AND column_name = 'case_number'",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.try_get::<String>("", "collation_name").unwrap(), "C");
        raw.close().await.unwrap();
    }
}
