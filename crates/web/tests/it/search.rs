//! The search page (`/cases?q=`): names in any spelling, parts of compound names, birth
//! dates, case numbers, whole-word matches first, only the cases the person may know of.

use uuid::Uuid;
use wegbereiter_core::command::{Command, Policy};
use wegbereiter_core::ids::{CaseId, TeamId};

use crate::helpers::*;

/// Refers a person to `team`, born on `born`, as the team's key worker would.
pub(crate) async fn refer(
    app: &TestApp,
    team: TeamId,
    given: &str,
    family: &str,
    born: (i32, u32, u32),
) -> CaseId {
    let id = CaseId::from_uuid(Uuid::now_v7());
    let mut referral = referral(given, family, d(2026, 3, 2));
    referral.client.date_of_birth = Some(d(born.0, born.1, born.2));
    let actor = if team == app.seed.nord {
        app.seed.kw_nord.as_actor()
    } else {
        app.seed.kw_sued.as_actor()
    };
    app.store
        .case_service(Policy::default())
        .execute(
            id,
            &Command::Refer {
                referral,
                team: Some(team),
            },
            &actor,
            app.local_now(),
        )
        .await
        .unwrap();
    id
}

/// Where each name stands on the page (`None` when it is not there).
fn positions(body: &str, names: &[&str]) -> Vec<Option<usize>> {
    names.iter().map(|n| body.find(n)).collect()
}

#[tokio::test]
async fn the_search_finds_people_as_colleagues_type_them() {
    let app = TestApp::seeded().await;
    let nord = app.seed.nord;
    let mussig = refer(&app, nord, "Jürgen", "Müßig", (1985, 3, 12)).await;
    refer(&app, nord, "Ayşe", "Özdemir", (1990, 1, 2)).await;
    refer(&app, nord, "Lena", "Müller-Lüdenscheidt", (1979, 11, 30)).await;
    refer(&app, nord, "Anna", "Weißmann", (2001, 5, 5)).await;
    refer(&app, nord, "Erika", "Weiß", (1999, 9, 9)).await;
    // Another team's case: never found by someone of team Nord.
    refer(&app, app.seed.sued, "Max", "Müßig", (1985, 3, 12)).await;
    let mut erika = app.login("erika").await;

    for q in ["Muessig", "Mussig", "M%C3%BC%C3%9Fig", "muess+juergen"] {
        let page = erika.get(&format!("/cases?q={q}")).await;
        assert!(page.body.contains("Müßig, Jürgen"), "{q}: {}", page.body);
        assert!(
            !page.body.contains("Müßig, Max"),
            "{q}: another team's case"
        );
    }
    for q in ["Oezdemir", "Ozdemir", "%C3%96zdemir"] {
        let page = erika.get(&format!("/cases?q={q}")).await;
        assert!(page.body.contains("Özdemir, Ayşe"), "{q}");
    }
    for q in ["L%C3%BCdenscheidt", "lued", "Mueller-Luedenscheidt"] {
        let page = erika.get(&format!("/cases?q={q}")).await;
        assert!(page.body.contains("Müller-Lüdenscheidt, Lena"), "{q}");
    }
    for q in ["12.03.1985", "1985-03-12"] {
        let page = erika.get(&format!("/cases?q={q}")).await;
        assert!(page.body.contains("Müßig, Jürgen"), "{q}");
        assert!(
            !page.body.contains("Musterfrau") && !page.body.contains("Özdemir"),
            "{q}"
        );
    }
    let number = mussig.case_number();
    for q in [
        number.clone(),
        number.to_lowercase(),
        number.replace('-', ""),
    ] {
        let page = erika.get(&format!("/cases?q={q}")).await;
        assert!(page.body.contains("Müßig, Jürgen"), "{q}");
        assert!(!page.body.contains("Özdemir"), "{q}");
    }
    // Whole words first: "Weiß" before "Weißmann", though "Weißmann" was referred first.
    let page = erika.get("/cases?q=weiss").await;
    let at = positions(&page.body, &["Weiß, Erika", "Weißmann, Anna"]);
    assert!(at.iter().all(Option::is_some), "{}", page.body);
    assert!(at[0] < at[1], "{at:?}");
    let page = erika.get("/cases?q=Wei%C3%9Fmann").await;
    assert!(page.body.contains("Weißmann, Anna") && !page.body.contains("Weiß, Erika"));
    // The hint tells what may be typed.
    assert!(page.body.contains("Geburtsdatum"), "{}", page.body);
}
