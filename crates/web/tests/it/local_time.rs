//! The installation's time zone decides "today": a contact at 00:15 local time is recorded on
//! that local day, in winter and in summer time and on the nights the clocks change.

use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::helpers::TestApp;

fn berlin(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Berlin
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
}

async fn contact_on(app: &TestApp, now: DateTime<Utc>, date: NaiveDate) -> StatusCode {
    *app.clock.lock().unwrap() = now;
    let mut c = app.login("erika").await;
    let version = app.case(app.seed.own).await.version.to_string();
    let date = date.format("%Y-%m-%d").to_string();
    let path = format!("/cases/{}/contacts/record", app.seed.own);
    c.post(
        &path,
        &[
            ("version", version.as_str()),
            ("date", date.as_str()),
            ("duration", "30"),
            ("kind", "home_visit"),
            ("compartment", "case_team"),
            ("note", "Hausbesuch nach Mitternacht"),
        ],
    )
    .await
    .status
}

#[tokio::test]
async fn a_home_visit_just_after_midnight_local_time_is_today() {
    let app = TestApp::seeded().await;
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    // (local wall clock, its day): winter time, the first night of summer time (00:15 is
    // 22:15 UTC the day before), the night the clocks go back and the first winter night.
    for ((y, m, d, h, min), today) in [
        ((2026, 3, 20, 23, 30), day(2026, 3, 20)),
        ((2026, 3, 21, 0, 15), day(2026, 3, 21)),
        ((2026, 3, 29, 0, 59), day(2026, 3, 29)),
        ((2026, 3, 30, 0, 15), day(2026, 3, 30)),
        ((2026, 3, 30, 0, 59), day(2026, 3, 30)),
        ((2026, 3, 30, 23, 30), day(2026, 3, 30)),
        ((2026, 4, 25, 0, 15), day(2026, 4, 25)),
    ] {
        let now = berlin(y, m, d, h, min);
        assert_eq!(
            contact_on(&app, now, today).await,
            StatusCode::SEE_OTHER,
            "a contact on {today} at {now}"
        );
        let tomorrow = today.succ_opt().unwrap();
        assert_ne!(
            contact_on(&app, now, tomorrow).await,
            StatusCode::SEE_OTHER,
            "a contact on {tomorrow} at {now} lies in the future"
        );
    }
}

#[tokio::test]
async fn the_contact_form_proposes_the_local_day_and_another_zone_moves_it() {
    let app = TestApp::seeded().await;
    let now = berlin(2026, 3, 30, 0, 15);
    *app.clock.lock().unwrap() = now;
    let mut c = app.login("erika").await;
    let page = c.get(&format!("/cases/{}/contacts", app.seed.own)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("value=\"2026-03-30\""), "{}", page.body);
    // The same instant is still 29 March in New York.
    let state = app
        .state
        .clone()
        .with_time_zone(chrono_tz::America::New_York);
    let mut other = crate::helpers::Client::over(wegbereiter_web::router(state));
    other.sign_in("erika").await;
    let page = other
        .get(&format!("/cases/{}/contacts", app.seed.own))
        .await;
    assert!(page.body.contains("value=\"2026-03-29\""), "{}", page.body);
    assert!(!page.body.contains("value=\"2026-03-30\""), "{}", page.body);
}
