//! The installation's time zone: stored by `init`, read by every command, changed only by an
//! administrator; a contact attempt just after midnight is shown and counted on its local day.

use serde_json::json;

use crate::support::{ADMIN_PASSWORD, Wb};

fn init(wb: &Wb, tz: Option<&str>) -> wegbereiter_tests::Run {
    let mut args = Vec::new();
    if let Some(tz) = tz {
        args.extend(["--tz", tz]);
    }
    args.extend([
        "init",
        "--admin-login",
        "admin",
        "--admin-name",
        "Ada Administration",
    ]);
    wb.run_stdin(None, &args, &format!("{ADMIN_PASSWORD}\n"))
}

#[test]
fn init_stores_the_zone_and_later_commands_refuse_another_one() {
    let wb = Wb::sqlite();
    let run = init(&wb, Some("Europe/Vienna"));
    assert_eq!(run.code, Some(0), "{}", run.both());
    assert!(run.stdout.contains("Europe/Vienna"), "{}", run.both());
    let shown = wb.json(None, &["settings", "show"]);
    assert_eq!(shown["time_zone"], "Europe/Vienna", "{shown}");
    assert_eq!(shown["time_zone_stored"], true, "{shown}");
    // Without --tz every later command counts in the stored zone; the same zone is accepted.
    wb.ok(None, &["verify"]);
    wb.ok(None, &["--tz", "Europe/Vienna", "verify"]);
    // Another zone, on the command line or in the environment, is refused and does nothing.
    let refused = wb.fails(2, None, &["--tz", "Europe/Berlin", "verify"]);
    for part in ["Europe/Berlin", "Europe/Vienna", "settings set time-zone"] {
        assert!(refused.stderr.contains(part), "{part}: {}", refused.both());
    }
    let from_env = wb
        .sandbox
        .run_with(
            &["--db", wb.db.as_str(), "verify"],
            None,
            &[("WEGBEREITER_TZ", "America/New_York")],
        )
        .unwrap();
    assert_eq!(from_env.code, Some(2), "{}", from_env.both());
    // `init` again keeps the stored zone and refuses another one.
    assert_eq!(init(&wb, Some("Europe/Berlin")).code, Some(2));
    assert_eq!(
        wb.json(None, &["settings", "show"])["time_zone"],
        "Europe/Vienna"
    );
}

#[test]
fn only_an_administrator_changes_the_zone() {
    let wb = Wb::sqlite();
    wb.set_up();
    assert_eq!(
        wb.json(None, &["settings", "show"]),
        json!({
            "time_zone": "Europe/Berlin",
            "time_zone_stored": true,
            "time_zone_changed_at": "2026-03-02T11:00:00Z",
            "rural_postcodes": null
        }),
        "init without --tz stores the default (at 12:00 local on --today)"
    );
    wb.fails(
        3,
        Some("kw"),
        &["settings", "set", "time-zone", "Europe/Vienna"],
    );
    let changed = wb.json(
        Some("admin"),
        &["settings", "set", "time-zone", "Europe/Vienna"],
    );
    assert_eq!(
        changed,
        json!({"time_zone": "Europe/Vienna", "previous": "Europe/Berlin"})
    );
    assert_eq!(
        wb.json(None, &["settings", "show"])["time_zone"],
        "Europe/Vienna"
    );
    // A leftover WEGBEREITER_TZ does not stand in the way of changing the zone back.
    let back = wb
        .sandbox
        .run_with(
            &[
                "--db",
                wb.db.as_str(),
                "--as",
                "admin",
                "--password-file",
                wb.sandbox
                    .password_file(ADMIN_PASSWORD)
                    .unwrap()
                    .to_str()
                    .unwrap(),
                "settings",
                "set",
                "time-zone",
                "Europe/Berlin",
            ],
            None,
            &[("WEGBEREITER_TZ", "Europe/Vienna")],
        )
        .unwrap();
    assert_eq!(back.code, Some(0), "{}", back.both());
    wb.ok(None, &["verify"]);
}

#[test]
fn an_attempt_just_after_midnight_is_shown_and_counted_on_its_local_day() {
    let wb = Wb::sqlite();
    wb.set_up();
    let kw = Some("kw");
    let id = wb.referral("Erika", "Nachtschicht", &[]);
    let id = id.as_str();
    // The first night of summer time: 00:15 in Berlin is 22:15 UTC of the day before.
    wb.today("2026-03-30");
    wb.ok(
        kw,
        &[
            "outreach",
            "attempt",
            id,
            "--channel",
            "doorstep",
            "--outcome",
            "appointment_made",
            "--at",
            "30.03.2026 00:15",
        ],
    );
    let text = wb.ok(kw, &["case", "show", id]);
    assert!(text.contains("30.03.2026 00:15"), "{text}");
    assert!(!text.contains("UTC"), "{text}");
    let english = wb.ok(kw, &["--lang", "en", "case", "show", id]);
    assert!(english.contains("2026-03-30 00:15"), "{english}");
    let json = wb.json(kw, &["case", "show", id]);
    assert_eq!(
        json["outreach"]["attempts"][0]["at"], "2026-03-29T22:15:00Z",
        "JSON keeps UTC"
    );
    // The history shows when each event was recorded, on the local clock (--today: 12:00).
    let history = wb.ok(kw, &["case", "history", id]);
    assert!(history.contains("30.03.2026 12:00"), "{history}");
    // The Jobcenter report dates the attempt by its local day.
    let report = wb.json(kw, &["report", "jobcenter", id]);
    assert_eq!(
        report["outreach"]["attempt_dates"],
        json!(["2026-03-30"]),
        "{report}"
    );
    // The next follow-up is due a week after the local day, not the UTC day.
    let follow_up = |day: &str| {
        wb.today(day);
        wb.json(kw, &["reminders"])
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["kind"] == "outreach_follow_up" && r["case_id"] == id)
    };
    assert!(!follow_up("2026-04-05"), "not yet a week after 30 March");
    assert!(follow_up("2026-04-06"));
}

#[test]
fn a_time_the_clock_change_repeats_needs_an_offset() {
    let wb = Wb::sqlite();
    wb.set_up();
    let id = wb.referral("Erika", "Herbst", &[]);
    wb.today("2026-10-26");
    let attempt = |at: &str| {
        wb.run(
            Some("kw"),
            &[
                "outreach",
                "attempt",
                &id,
                "--channel",
                "phone",
                "--outcome",
                "not_met",
                "--at",
                at,
            ],
        )
    };
    let twice = attempt("25.10.2026 02:30");
    assert_eq!(twice.code, Some(2), "{}", twice.both());
    assert!(twice.stderr.contains("zweimal"), "{}", twice.both());
    let run = attempt("2026-10-25T02:30+01:00");
    assert_eq!(run.code, Some(0), "{}", run.both());
    let text = wb.ok(Some("kw"), &["case", "show", &id]);
    assert!(text.contains("25.10.2026 02:30 CET"), "{text}");
}
