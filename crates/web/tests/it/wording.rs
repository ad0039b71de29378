//! Smaller things a working day notices (issue 16, part 8): the icon is served (no 404 in
//! the console on every page), and a contact attempt's channel and outcome never share a
//! label.

use axum::http::{StatusCode, header};
use wegbereiter_core::prelude::*;

use crate::helpers::TestApp;

#[tokio::test]
async fn the_icon_is_served_and_linked_without_a_sign_in() {
    let app = TestApp::seeded().await;
    let mut c = app.anonymous().await;
    for path in ["/favicon.ico", "/favicon.svg"] {
        let res = c.get(path).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        assert!(res.body.starts_with("<svg"), "{path}");
        assert_eq!(
            res.headers
                .get(header::CONTENT_TYPE)
                .map(|v| v.to_str().unwrap()),
            Some("image/svg+xml")
        );
    }
    let login = c.get("/login").await;
    assert!(
        login
            .body
            .contains(r#"<link rel="icon" href="/favicon.svg""#)
    );
}

#[tokio::test]
async fn channel_and_outcome_of_a_contact_attempt_have_distinct_labels() {
    for lang in [Lang::De, Lang::En] {
        for channel in <ContactChannel as Labelled>::ALL {
            for outcome in <AttemptOutcome as Labelled>::ALL {
                assert_ne!(channel.label(lang), outcome.label(lang), "{lang:?}");
            }
        }
    }
    assert_eq!(
        AttemptOutcome::NoteLeft.label(Lang::De),
        "Nachricht hinterlassen"
    );
    assert_eq!(
        ContactChannel::NoteLeft.label(Lang::De),
        "Zettel an der Tür oder im Briefkasten"
    );
}
