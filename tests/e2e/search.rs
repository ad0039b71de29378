//! `case list --name`: one search text as the web's search field takes it (folded names,
//! parts of compound names, birth dates, case numbers; whole words first).

use crate::support::Wb;

fn names(wb: &Wb, search: &str) -> Vec<String> {
    wb.json(Some("kw"), &["case", "list", "--name", search])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["client_name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn case_list_finds_people_by_folded_names_birth_dates_and_case_numbers() {
    search_story(&Wb::sqlite());
}

#[test]
fn case_list_finds_people_by_folded_names_birth_dates_and_case_numbers_on_postgres() {
    if let Some(wb) = Wb::postgres("case_list_search") {
        search_story(&wb);
    }
}

fn search_story(wb: &Wb) {
    wb.set_up();
    let mussig = wb.referral("Jürgen", "Müßig", &["--date-of-birth", "12.03.1985"]);
    wb.referral("Ayşe", "Özdemir", &["--date-of-birth", "02.01.1990"]);
    wb.referral("Lena", "Müller-Lüdenscheidt", &[]);
    wb.referral("Anna", "Weißmann", &[]);
    wb.referral("Erika", "Weiß", &[]);
    for search in ["Muessig", "Mussig", "müßig", "MUESS juergen"] {
        assert_eq!(names(wb, search), ["Müßig, Jürgen"], "{search}");
    }
    for search in ["Oezdemir", "Ozdemir"] {
        assert_eq!(names(wb, search), ["Özdemir, Ayşe"], "{search}");
    }
    for search in ["Lüdenscheidt", "lued"] {
        assert_eq!(names(wb, search), ["Müller-Lüdenscheidt, Lena"], "{search}");
    }
    assert_eq!(names(wb, "12.03.1985"), ["Müßig, Jürgen"]);
    assert_eq!(names(wb, "1985-03-12"), ["Müßig, Jürgen"]);
    let hex = mussig.replace('-', "");
    let tail = hex[hex.len() - 10..].to_uppercase();
    for number in [
        format!("{}-{}", &tail[..5], &tail[5..]),
        tail.to_lowercase(),
        mussig.clone(),
    ] {
        assert_eq!(names(wb, &number), ["Müßig, Jürgen"], "{number}");
    }
    // Whole words first, though "Weißmann" was referred first.
    assert_eq!(names(wb, "weiss"), ["Weiß, Erika", "Weißmann, Anna"]);
    assert!(names(wb, "Mustermann").is_empty());
}
