//! The operational log of a whole journey: request lines with route templates, and never a
//! client's name, a note, the password, a case id from the path or the session cookie.
//!
//! A test binary of its own, unlike the other handler tests in `it/`: `tracing` caches per
//! call site whether anyone listens, and tests running in parallel threads without a
//! subscriber made this test's thread-local subscriber miss events now and then.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[allow(dead_code)]
#[path = "it/helpers.rs"]
mod helpers;

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use tracing_subscriber::fmt::MakeWriter;

use helpers::{PASSWORD, TestApp};

/// Everything the subscriber writes, kept for the test to grep.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Self;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

const GIVEN: &str = "Quirinalda";
const FAMILY: &str = "Zwetschkenbaum";
const NOTE: &str = "Vertraulich-Notiz-Kobaltblau-7781";

#[tokio::test]
async fn the_log_of_a_journey_has_request_lines_but_no_names_notes_passwords_or_sessions() {
    let log = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(
            wegbereiter_web::DEFAULT_LOG_FILTER,
        ))
        .with_writer(log.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let app = TestApp::seeded().await;
    let team = app.seed.nord.to_string();
    let mut c = app.login("erika").await;
    let session = c
        .cookie
        .clone()
        .and_then(|pair| pair.split_once('=').map(|(_, v)| v.to_owned()))
        .expect("a session cookie");
    // Refer a client with a distinctive name, open the new case and search for her.
    let res = c
        .post(
            "/cases/new",
            &[
                ("jobcenter", "Jobcenter Beispielstadt"),
                ("case_manager", "Herr Fallmanager"),
                ("referral_date", "2026-03-13"),
                ("reason", "contact_difficult"),
                ("legal_basis", "sgb2_16k"),
                ("problem_areas", "debt"),
                ("team", team.as_str()),
                ("given_name", GIVEN),
                ("family_name", FAMILY),
                ("date_of_birth", "1990-01-31"),
                ("street", "Beispielweg 3"),
                ("postcode", "34117"),
                ("city", "Beispielstadt"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let case_path = res.location.unwrap();
    let page = c.get(&case_path).await;
    assert!(page.body.contains(FAMILY));
    let _ = c.get(&format!("/cases?q={FAMILY}")).await;
    // Record a contact with a distinctive note on the enrolled case.
    let version = app.case(app.seed.own).await.version.to_string();
    let res = c
        .post(
            &format!("/cases/{}/contacts/record", app.seed.own),
            &[
                ("version", version.as_str()),
                ("date", "2026-03-16"),
                ("duration", "30"),
                ("kind", "office"),
                ("compartment", "case_team"),
                ("note", NOTE),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(res.headers.contains_key("x-request-id"));
    let page = c.get(&format!("/cases/{}/contacts", app.seed.own)).await;
    assert!(page.body.contains(NOTE));
    // A page that does not exist, with a name in its path.
    let _ = c.get(&format!("/nirgendwo/{FAMILY}")).await;

    let text = log.text();
    // The request lines are there, with route templates, status, latency and request id.
    for expected in [
        "method=POST route=/login status=303",
        "method=POST route=/cases/new status=303",
        "route=/cases/{id}",
        "route=/cases/{id}/contacts/record status=303",
        "route=(unmatched) status=404",
        "latency_ms=",
        "request{request_id=",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    // Nothing that identifies a person, a note, a secret or a case.
    for secret in [
        GIVEN,
        FAMILY,
        NOTE,
        PASSWORD,
        session.as_str(),
        &app.seed.own.to_string(),
        "Erika Beispiel",
    ] {
        assert!(!text.contains(secret), "{secret:?} in the log:\n{text}");
    }
}
