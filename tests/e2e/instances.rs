//! Several `wegbereiter serve` processes against one PostgreSQL database, as
//! `docs/operations.md` ("Several web instances against one PostgreSQL") promises: a session
//! begun on one instance is valid on the other and ends on both when it ends on one, a
//! sign-in form served by one instance is accepted by the other, and a case form that went
//! stale because the other instance changed the case is refused, with nothing of it written,
//! also when both instances are sent a form for the same version at the same moment.
//!
//! PostgreSQL only (SQLite is for one process); on CI a missing PostgreSQL fails the test.

use std::path::Path;

use serde_json::Value;
use wegbereiter_tests::http::{
    Answer, CSRF_COOKIE, Http, SESSION_COOKIE, Session, csrf_token, hidden_field,
};
use wegbereiter_tests::load::Server;

use crate::support::{ADMIN_PASSWORD, Wb, bin};

/// The acting day of the CLI, and the day of every contact: in the past, so the web's real
/// clock accepts it.
const DAY: &str = "2025-01-06";

/// Rounds of the race between the instances.
const ROUNDS: u64 = 6;

/// The German conflict message of a case form (`case.conflict`).
const CONFLICT: &str = "Der Fall wurde zwischenzeitlich geändert.";

#[test]
fn two_instances_share_one_postgres_database() {
    let Some(wb) = Wb::postgres("two_instances_share_one_postgres_database") else {
        return;
    };
    wb.today(DAY);
    wb.set_up();
    let case = enrolled_case(&wb);
    let before = version(&wb, &case);

    // Both instances start at the same moment against the one database: one migrates (or
    // finds nothing to do) while the other waits, and both agree on the CSRF key. The
    // servers are declared after `wb`, so they stop before the database is dropped, also
    // when an assertion fails.
    let key_args = wb.key_args();
    let key_args: Vec<&str> = key_args.iter().map(String::as_str).collect();
    let (first, second) = std::thread::scope(|s| {
        let start = || Server::start(Path::new(bin()), &wb.db, &key_args, &[]);
        let first = s.spawn(start);
        let second = s.spawn(start);
        (first.join().unwrap(), second.join().unwrap())
    });
    let (first, second) = (first.unwrap(), second.unwrap());
    assert_ne!(first.addr, second.addr);
    let a = Http::new(&first.addr, 0);
    let b = Http::new(&second.addr, 0);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let ask = |answer: Result<Answer, String>| -> Answer {
        answer
            .unwrap_or_else(|e| panic!("{e}\nA:\n{}\nB:\n{}", first.log_tail(), second.log_tail()))
    };

    // Shared sessions: signed in on A, the same cookie is signed in on B.
    let kim = rt
        .block_on(a.sign_in("kw", ADMIN_PASSWORD))
        .unwrap_or_else(|e| panic!("{e}\n{}", first.log_tail()));
    let signed_out = ask(rt.block_on(b.get("/", None)));
    assert_eq!(signed_out.status.as_u16(), 303, "{}", signed_out.text());
    let dashboard = ask(rt.block_on(b.get("/", Some(&kim))));
    assert_eq!(dashboard.status.as_u16(), 200, "{}", dashboard.text());
    assert!(
        dashboard.text().contains("Kim Bezug"),
        "{}",
        dashboard.text()
    );

    // Shared CSRF key: the sign-in form from A, posted to B, signs in.
    let kai = sign_in_across(&rt, &a, &b, "kw2", &ask);
    let on_a = ask(rt.block_on(a.get("/", Some(&kai))));
    assert_eq!(on_a.status.as_u16(), 200, "{}", on_a.text());
    assert!(on_a.text().contains("Kai Bezug"), "{}", on_a.text());
    // The check is real: the same form with a token that is not A's is refused by B.
    let form = ask(rt.block_on(a.get("/login", None)));
    let cookie = form.set_cookie(CSRF_COOKIE).unwrap();
    let forged = ask(rt.block_on(b.post_with_cookies(
        "/login",
        &format!("{CSRF_COOKIE}={cookie}"),
        &[
            ("_csrf", "nicht-das-token-von-a"),
            ("login", "kw2"),
            ("password", ADMIN_PASSWORD),
        ],
    )));
    assert_eq!(forged.status.as_u16(), 403, "{}", forged.text());
    assert!(
        forged.text().contains("Formular abgelaufen"),
        "{}",
        forged.text()
    );
    assert!(forged.set_cookie(SESSION_COOKIE).is_none());

    // Conflict detection across instances: the contact form of one case, read on A and on
    // B at the same version.
    let contacts = format!("/cases/{case}/contacts");
    let page_a = ask(rt.block_on(a.get(&contacts, Some(&kim))));
    let page_b = ask(rt.block_on(b.get(&contacts, Some(&kim))));
    assert_eq!(page_a.status.as_u16(), 200, "{}", page_a.text());
    assert_eq!(page_b.status.as_u16(), 200, "{}", page_b.text());
    let (csrf_a, version_a) = form_of(&page_a);
    let (csrf_b, version_b) = form_of(&page_b);
    assert_eq!(version_a, before.to_string());
    assert_eq!(version_b, version_a);

    // A saves first.
    let record = format!("/cases/{case}/contacts/record");
    let saved = ask(rt.block_on(a.post(
        &record,
        &kim,
        &csrf_a,
        &contact(&version_a, "Von Instanz A"),
    )));
    assert_eq!(saved.status.as_u16(), 303, "{}", saved.text());
    assert_eq!(saved.location().as_deref(), Some(contacts.as_str()));

    // B's form is stale now: refused as changed in the meantime, the input kept on the page.
    let stale = ask(rt.block_on(b.post(
        &record,
        &kim,
        &csrf_b,
        &contact(&version_b, "Von Instanz B"),
    )));
    assert_eq!(stale.status.as_u16(), 409, "{}", stale.text());
    let text = stale.text();
    assert!(text.contains(CONFLICT), "{text}");
    assert!(text.contains("Von Instanz B"), "{text}");

    // No lost update, nothing of the refused change written: exactly A's contact.
    let after = wb.json(Some("kw"), &["case", "show", &case]);
    assert_eq!(after["version"].as_u64(), Some(before + 1), "{after}");
    assert_eq!(notes(&after), ["Von Instanz A"], "{after}");

    // Reloaded on B, the same change goes through, after A's.
    let page_b = ask(rt.block_on(b.get(&contacts, Some(&kim))));
    let (csrf_b, version_b) = form_of(&page_b);
    assert_eq!(version_b, (before + 1).to_string());
    let saved = ask(rt.block_on(b.post(
        &record,
        &kim,
        &csrf_b,
        &contact(&version_b, "Von Instanz B"),
    )));
    assert_eq!(saved.status.as_u16(), 303, "{}", saved.text());
    let after = wb.json(Some("kw"), &["case", "show", &case]);
    assert_eq!(after["version"].as_u64(), Some(before + 2), "{after}");
    let mut both = notes(&after);
    both.sort();
    assert_eq!(both, ["Von Instanz A", "Von Instanz B"], "{after}");

    // A race: both instances get the same form at once, round after round. Exactly one
    // of each pair is saved, the other is refused as changed in the meantime (whether
    // its instance saw the new version before deciding or lost at the database's
    // primary key), and the case holds exactly the winners' contacts.
    let mut expected = both;
    for round in 0..ROUNDS {
        let page_a = ask(rt.block_on(a.get(&contacts, Some(&kim))));
        let page_b = ask(rt.block_on(b.get(&contacts, Some(&kim))));
        let (csrf_a, version_a) = form_of(&page_a);
        let (csrf_b, version_b) = form_of(&page_b);
        assert_eq!(version_a, version_b);
        let note_a = format!("Runde {round} über A");
        let note_b = format!("Runde {round} über B");
        let (form_a, form_b) = (contact(&version_a, &note_a), contact(&version_b, &note_b));
        let (on_a, on_b) = rt.block_on(async {
            tokio::join!(
                a.post(&record, &kim, &csrf_a, &form_a),
                b.post(&record, &kim, &csrf_b, &form_b),
            )
        });
        let (on_a, on_b) = (ask(on_a), ask(on_b));
        let statuses = (on_a.status.as_u16(), on_b.status.as_u16());
        let winner = match statuses {
            (303, 409) => {
                assert!(on_b.text().contains(CONFLICT), "{}", on_b.text());
                note_a
            }
            (409, 303) => {
                assert!(on_a.text().contains(CONFLICT), "{}", on_a.text());
                note_b
            }
            _ => panic!(
                "round {round}: {statuses:?}, not one saved and one refused\nA: {}\nB: {}",
                on_a.text(),
                on_b.text()
            ),
        };
        expected.push(winner);
    }
    let after = wb.json(Some("kw"), &["case", "show", &case]);
    assert_eq!(
        after["version"].as_u64(),
        Some(before + 2 + ROUNDS),
        "{after}"
    );
    let mut saved = notes(&after);
    saved.sort();
    expected.sort();
    assert_eq!(saved, expected, "{after}");
    wb.ok(None, &["verify"]);

    // Signing out on B ends the session on A too, and only that session.
    let dashboard = ask(rt.block_on(b.get("/", Some(&kim))));
    let csrf = csrf_token(&dashboard.text()).unwrap();
    let bye = ask(rt.block_on(b.post("/logout", &kim, &csrf, &[])));
    assert_eq!(bye.status.as_u16(), 303, "{}", bye.text());
    for (name, http) in [("A", &a), ("B", &b)] {
        let gone = ask(rt.block_on(http.get("/", Some(&kim))));
        assert_eq!(gone.status.as_u16(), 303, "{name}: {}", gone.text());
        assert!(
            gone.location().is_some_and(|l| l.starts_with("/login")),
            "{name}: {:?}",
            gone.location()
        );
    }
    let still = ask(rt.block_on(a.get("/", Some(&kai))));
    assert_eq!(still.status.as_u16(), 200, "{}", still.text());
}

/// A referral of `kw`'s, enrolled with `kw` as key worker; its id.
fn enrolled_case(wb: &Wb) -> String {
    let id = wb.referral("Erika", "Musterfrau", &[]);
    wb.ok(
        Some("kw"),
        &[
            "case",
            "enrol",
            &id,
            "--key-worker",
            "kw",
            "--terms-explained",
            "--consent",
            "written",
        ],
    );
    id
}

/// The case's version, as the CLI reads it.
fn version(wb: &Wb, case: &str) -> u64 {
    let shown = wb.json(Some("kw"), &["case", "show", case]);
    shown["version"]
        .as_u64()
        .unwrap_or_else(|| panic!("no version in {shown}"))
}

/// The CSRF token and the case version of a case page's forms.
fn form_of(page: &Answer) -> (String, String) {
    let html = page.text();
    let csrf = csrf_token(&html).unwrap_or_else(|| panic!("no CSRF token in {html}"));
    let version = hidden_field(&html, "version").unwrap_or_else(|| panic!("no version in {html}"));
    (csrf, version)
}

/// The fields of the contact form, decided on `version`.
fn contact<'a>(version: &'a str, note: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("version", version),
        ("date", DAY),
        ("duration", "30"),
        ("kind", "phone"),
        ("note", note),
    ]
}

/// The notes of a case's contacts (`case show --format json`).
fn notes(case: &Value) -> Vec<String> {
    case["contacts"]
        .as_array()
        .unwrap_or_else(|| panic!("no contacts in {case}"))
        .iter()
        .map(|c| c["note"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Signs `login` in on `to` with the sign-in form (CSRF cookie and token) served by `from`.
fn sign_in_across(
    rt: &tokio::runtime::Runtime,
    from: &Http,
    to: &Http,
    login: &str,
    ask: &impl Fn(Result<Answer, String>) -> Answer,
) -> Session {
    let form = ask(rt.block_on(from.get("/login", None)));
    assert_eq!(form.status.as_u16(), 200, "{}", form.text());
    let cookie = form
        .set_cookie(CSRF_COOKIE)
        .unwrap_or_else(|| panic!("no CSRF cookie: {:?}", form.headers));
    let token = csrf_token(&form.text()).unwrap();
    let answer = ask(rt.block_on(to.post_with_cookies(
        "/login",
        &format!("{CSRF_COOKIE}={cookie}"),
        &[
            ("_csrf", token.as_str()),
            ("login", login),
            ("password", ADMIN_PASSWORD),
        ],
    )));
    assert_eq!(answer.status.as_u16(), 303, "{}", answer.text());
    let session = answer
        .set_cookie(SESSION_COOKIE)
        .unwrap_or_else(|| panic!("no session cookie: {:?}", answer.headers));
    Session {
        login: login.to_owned(),
        cookie: session,
    }
}
