//! The whole lifecycle of several cases, on SQLite and on PostgreSQL.

use crate::support::Wb;

#[test]
fn whole_lifecycle_on_sqlite() {
    story(&Wb::sqlite());
}

#[test]
fn whole_lifecycle_on_postgres() {
    if let Some(wb) = Wb::postgres("whole_lifecycle_on_postgres") {
        story(&wb);
    }
}

fn story(wb: &Wb) {
    wb.today("2026-03-02");
    wb.set_up();
    let teams = wb.json(Some("kw"), &["team", "list"]).to_string();
    assert!(
        teams.contains("Phase 1 Team Nord") && teams.contains("Phase 2"),
        "{teams}"
    );
    // The directory, with how to reach each service, for every case worker.
    let services = wb.json(Some("kw"), &["service", "list"]);
    assert_eq!(
        services[0]["name"], "Schuldnerberatung Beispielstadt",
        "{services}"
    );
    assert_eq!(services[0]["opening_hours"], "Mo–Do 9–12 Uhr", "{services}");
    assert_eq!(services[0]["contact_person"], "Frau Beispiel", "{services}");
    assert_eq!(
        services[0]["email"], "beratung@schuldner.example.org",
        "{services}"
    );
    let table = wb.ok(Some("kw"), &["service", "list"]);
    assert!(
        table.contains("Öffnungszeiten") && table.contains("0000 123456"),
        "{table}"
    );
    // A client's mistyped e-mail address is refused by core's referral rule (exit 3), and no
    // case is created.
    let before = wb
        .json(Some("kw"), &["case", "list"])
        .as_array()
        .unwrap()
        .len();
    let bad = wb.run(
        Some("kw"),
        &[
            "referral",
            "add",
            "--jobcenter",
            "Jobcenter Beispielstadt",
            "--case-manager",
            "Frau Beispiel",
            "--reason",
            "contact_lost",
            "--legal-basis",
            "sgb2_16k",
            "--problem-areas",
            "debt",
            "--given-name",
            "Ida",
            "--family-name",
            "Beispiel",
            "--email",
            "kein-at-zeichen",
        ],
    );
    assert_eq!(bad.code, Some(3), "{}", bad.both());
    assert!(bad.stderr.contains("kein-at-zeichen"), "{}", bad.both());
    assert_eq!(
        wb.json(Some("kw"), &["case", "list"])
            .as_array()
            .unwrap()
            .len(),
        before
    );
    // A mistyped e-mail address is refused (exit 2, usage) and nothing is added.
    let bad = wb.run(
        Some("admin"),
        &[
            "service",
            "add",
            "--name",
            "Suchtberatung",
            "--kind",
            "addiction_counselling",
            "--email",
            "kein-at-zeichen",
        ],
    );
    assert_ne!(bad.code, Some(0), "{}", bad.both());
    assert!(bad.stderr.contains("--email"), "{}", bad.both());
    assert_eq!(
        wb.json(Some("kw"), &["service", "list"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    enrolled_case_from_referral_to_reopening(wb);
    not_reached_case(wb);
    declined_case(wb);
    refusals_before_enrolment_and_by_role(wb);
    consent_withdrawal_and_a_decline_at_the_office(wb);
    wb.today("2026-07-30");
    let reminders = wb.json(Some("kw"), &["reminders"]);
    assert!(reminders.is_array(), "{reminders}");
    assert!(!reminders.as_array().unwrap().is_empty(), "{reminders}");
    let all = wb.json(Some("kw"), &["case", "list"]);
    assert_eq!(all.as_array().unwrap().len(), 7, "{all}");
    let verify = wb.json(None, &["verify"]);
    assert_eq!(verify["ok"], true, "{verify}");
}

#[allow(clippy::too_many_lines)] // One case, step by step.
fn enrolled_case_from_referral_to_reopening(wb: &Wb) {
    let kw = Some("kw");
    let id = wb.referral(
        "Erika",
        "Musterfrau",
        &[
            "--customer-number",
            "999D000001",
            "--date-of-birth",
            "01.05.1980",
            "--street",
            "Musterweg 7",
            "--postcode",
            "99001",
            "--city",
            "Beispielstadt",
            "--team",
            "Phase 1 Team Nord",
        ],
    );
    let id = id.as_str();
    // A second referral of the same person is flagged, never merged.
    let dup = wb.run(
        kw,
        &[
            "referral",
            "add",
            "--jobcenter",
            "Jobcenter Beispielstadt",
            "--case-manager",
            "Frau Beispiel",
            "--reason",
            "support_need",
            "--legal-basis",
            "sgb2_16a",
            "--given-name",
            "erika",
            "--family-name",
            "MUSTERFRAU",
            "--date-of-birth",
            "1980-05-01",
            "--date",
            "2026-03-01",
        ],
    );
    assert_eq!(dup.code, Some(0), "{}", dup.both());
    assert!(
        dup.stderr.contains("mögliche Dublette") && dup.stderr.contains(id),
        "{}",
        dup.both()
    );
    let dup_id = dup.stdout.lines().last().unwrap().trim().to_owned();
    assert_ne!(dup_id, id);

    wb.ok(
        kw,
        &[
            "outreach",
            "letter",
            id,
            "--visit-from",
            "09.03.2026",
            "--visit-until",
            "2026-03-11",
        ],
    );
    wb.today("2026-03-09");
    wb.ok(
        kw,
        &[
            "outreach",
            "attempt",
            id,
            "--channel",
            "doorstep",
            "--outcome",
            "not_met",
        ],
    );
    wb.today("2026-03-10");
    wb.ok(
        kw,
        &[
            "outreach",
            "attempt",
            id,
            "--channel",
            "Telefon",
            "--outcome",
            "appointment_made",
            "--at",
            "2026-03-10T09:30",
        ],
    );
    wb.today("2026-03-16");
    // Without the terms explained, enrolment is refused (process step 4).
    let refused = wb.fails(
        3,
        kw,
        &[
            "case",
            "enrol",
            id,
            "--key-worker",
            "kw",
            "--consent",
            "written",
        ],
    );
    assert!(
        refused.stderr.contains("Teilnahmebedingungen"),
        "{}",
        refused.both()
    );
    wb.ok(
        kw,
        &[
            "case",
            "enrol",
            id,
            "--key-worker",
            "kw",
            "--terms-explained",
            "--consent",
            "written",
        ],
    );
    // After enrolment `case show` starts with what is missing (core's next_steps).
    let next = wb.json(kw, &["case", "show", id])["next_steps"].clone();
    let steps: Vec<&str> = next
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        [
            "ask_consent",
            "ask_consent",
            "enter_esf_entry",
            "assess_social_history",
            "agree_goal"
        ],
        "{next}"
    );
    assert_eq!(next[2]["section"], "esf_entry", "{next}");
    let text = wb.ok(kw, &["case", "show", id]);
    assert!(
        text.starts_with("Nächste Schritte:")
            && text.contains("Einwilligung „Teilnahmebestätigung an das Jobcenter“ fehlt"),
        "{text}"
    );
    for purpose in [
        "jobcenter_participation",
        "jobcenter_progress",
        "jobcenter_exit",
    ] {
        wb.ok(
            kw,
            &[
                "consent",
                "give",
                id,
                "--purpose",
                purpose,
                "--form",
                "written",
            ],
        );
    }
    wb.ok(
        kw,
        &[
            "case",
            "esf-entry",
            id,
            "--employment-status",
            "unemployed",
            "--long-term-unemployed",
            "--education",
            "isced_3_4",
            "--citizenship",
            "de",
        ],
    );
    wb.ok(
        kw,
        &[
            "anamnesis",
            "set",
            id,
            "--domain",
            "housing",
            "--need",
            "acute",
            "--priority",
            "high",
            "--source",
            "own",
            "--own-view",
            "GEHEIMANAMNESE: die Wohnung ist bedroht",
            "--strengths",
            "kann gut organisieren",
        ],
    );
    let goal = wb.created(
        "kw",
        &[
            "goal",
            "add",
            id,
            "--domain",
            "finances_debt",
            "--wording",
            "GEHEIMZIEL Mietschulden klären",
            "--criterion",
            "Ratenplan liegt vor",
            "--responsible",
            "client",
            "--review",
            "15.04.2026",
        ],
    );
    let health_goal = wb.created(
        "kw",
        &[
            "goal",
            "add",
            id,
            "--domain",
            "mental_health",
            "--wording",
            "Mit jemandem über Ängste sprechen",
            "--criterion",
            "Erstgespräch",
            "--responsible",
            "specialist_service",
            "--review",
            "2026-05-01",
        ],
    );
    wb.ok(
        kw,
        &[
            "contact",
            "add",
            id,
            "--kind",
            "home_visit",
            "--duration",
            "60",
            "--topics",
            "housing,finances_debt",
            "--agreements",
            "Kontoauszüge sammeln",
            "--note",
            "GEHEIMNOTIZ Vermieter droht mit Kündigung",
        ],
    );
    // Only psychologists write to the psychologist compartment (R14).
    wb.fails(
        3,
        kw,
        &[
            "contact",
            "add",
            id,
            "--kind",
            "office",
            "--duration",
            "30",
            "--note",
            "x",
            "--psychologist-only",
        ],
    );
    wb.ok(
        Some("psych"),
        &[
            "contact",
            "add",
            id,
            "--kind",
            "office",
            "--duration",
            "50",
            "--note",
            "PSYCHNOTIZ vertraulich",
            "--psychologist-only",
        ],
    );
    let referral = wb.created(
        "kw",
        &[
            "refer",
            "add",
            id,
            "--service",
            "Schuldnerberatung Beispielstadt",
            "--note",
            "Kontoauszüge mitnehmen",
        ],
    );
    // The referral out: the day (today by default), the note, the directory's contact person.
    let shown = wb.json(kw, &["case", "show", id]);
    let made = &shown["referrals_out"][0];
    assert_eq!(made["note"], "Kontoauszüge mitnehmen", "{made}");
    assert_eq!(made["contact_person"], "Frau Beispiel", "{made}");
    let text = wb.ok(kw, &["case", "show", id]);
    for fact in [
        "Vermittelt am",
        "Ansprechperson",
        "Öffnungszeiten",
        "Mo–Do 9–12 Uhr",
        "Kontoauszüge mitnehmen",
    ] {
        assert!(text.contains(fact), "{fact}\n{text}");
    }
    wb.ok(
        kw,
        &[
            "refer",
            "update",
            id,
            "--referral",
            &referral[..13],
            "--status",
            "contacted",
        ],
    );
    // Nothing may be passed on before the client signed a secrecy release (R22): exit 3.
    let disclose = [
        "refer",
        "disclose",
        id,
        "--referral",
        &referral,
        "--information",
        "Forderungsaufstellung",
    ];
    let refused = wb.fails(3, kw, &disclose);
    assert!(
        refused.stderr.contains("Schweigepflichtentbindung") && refused.stderr.contains("R22"),
        "{}",
        refused.both()
    );
    wb.ok(
        kw,
        &[
            "refer",
            "release",
            id,
            "--referral",
            &referral,
            "--recipient",
            "Schuldnerberatung Beispielstadt",
            "--information",
            "Einkommen und Forderungen",
            "--purpose",
            "Schuldenregulierung",
            "--valid-until",
            "2026-12-31",
        ],
    );
    // A script that read the case before someone else changed it: exit 5, nothing saved.
    let seen = wb.json(kw, &["case", "show", id])["version"]
        .as_u64()
        .unwrap();
    let stale = (seen - 1).to_string();
    let guarded = |version: &str| {
        let mut args = vec!["--if-version", version];
        args.extend_from_slice(&disclose);
        args.into_iter().map(str::to_owned).collect::<Vec<String>>()
    };
    let args = guarded(&stale);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let conflict = wb.fails(5, kw, &args);
    assert!(
        conflict.stderr.contains("in der Zwischenzeit geändert"),
        "{}",
        conflict.both()
    );
    assert_eq!(
        wb.json(kw, &["case", "show", id])["version"].as_u64(),
        Some(seen)
    );
    // With the version it read, the change goes through.
    let current = seen.to_string();
    let args = guarded(&current);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    wb.ok(kw, &args);
    let shown = wb.json(kw, &["case", "show", id]);
    assert_eq!(
        shown["referrals_out"][0]["disclosures"][0]["information"],
        "Forderungsaufstellung"
    );
    wb.today("2026-04-20");
    wb.ok(kw, &["goal", "rate", id, "--goal", &goal, "--value", "6"]);
    wb.ok(
        kw,
        &[
            "goal",
            "update",
            id,
            "--goal",
            &goal,
            "--status",
            "in_progress",
            "--review",
            "2026-05-20",
        ],
    );
    wb.fails(
        2,
        kw,
        &["goal", "rate", id, "--goal", &goal, "--value", "11"],
    );
    wb.fails(
        4,
        kw,
        &[
            "goal",
            "rate",
            id,
            "--goal",
            "01234567-89ab-7def-8123-456789abcdef",
            "--value",
            "5",
        ],
    );
    // I3: extensions up to 6 months in total, each with a reason.
    wb.ok(
        kw,
        &[
            "case",
            "extend",
            id,
            "--until",
            "2026-07-16",
            "--reason",
            "Schuldnerberatung beginnt erst im Juli",
        ],
    );
    let too_long = wb.fails(
        3,
        kw,
        &[
            "case",
            "extend",
            id,
            "--until",
            "2026-09-17",
            "--reason",
            "noch länger",
        ],
    );
    assert!(
        too_long
            .stderr
            .contains("Verlängerung über 6 Monate hinaus ist nicht möglich"),
        "{}",
        too_long.both()
    );
    assert!(too_long.stderr.contains("I3"), "{}", too_long.both());
    let english = wb.run(
        kw,
        &[
            "--lang",
            "en",
            "case",
            "extend",
            id,
            "--until",
            "2026-09-17",
            "--reason",
            "longer",
        ],
    );
    assert_eq!(english.code, Some(3));
    assert!(
        english
            .stderr
            .contains("An extension beyond 6 months is not possible"),
        "{}",
        english.both()
    );
    wb.ok(kw, &["handover", id, "--to", "phase2", "--staff", "kw"]);
    wb.today("2026-04-21");
    wb.ok(
        kw,
        &[
            "group",
            "add-session",
            "--kind",
            "breakfast",
            "--date",
            "2026-04-21",
            "--title",
            "Frühstück im Stadtteilladen",
        ],
    );
    let v = wb.json(
        kw,
        &[
            "group",
            "add-session",
            "--kind",
            "workshop",
            "--date",
            "2026-04-21",
            "--title",
            "Werkstatt",
        ],
    );
    let workshop = v["id"].as_str().unwrap().to_owned();
    wb.ok(
        kw,
        &[
            "group",
            "attend",
            "--session",
            &workshop,
            "--case",
            id,
            "--attendance",
            "present",
        ],
    );
    let sessions = wb.json(None, &["group", "list"]);
    assert_eq!(sessions.as_array().unwrap().len(), 2, "{sessions}");

    // The Jobcenter report: only consented sections, never note, goal or anamnesis text (I1, I4).
    let report = wb.ok(kw, &["report", "jobcenter", id]);
    let report_json = wb.json(kw, &["report", "jobcenter", id]).to_string();
    for text in [&report, &report_json] {
        for secret in [
            "GEHEIM",
            "PSYCHNOTIZ",
            "Mietschulden",
            "Ängste",
            "mental_health",
            "unentschuldigt",
            "Sanktion",
        ] {
            assert!(!text.contains(secret), "report contains {secret}:\n{text}");
        }
    }
    let r: serde_json::Value = serde_json::from_str(&report_json).unwrap();
    assert_eq!(r["outreach"]["reached"], true);
    assert_eq!(r["outreach"]["attempt_count"], 2);
    assert_eq!(r["participation"]["planned_end"], "2026-07-16");
    // Without the health consent nothing says that something was left out (I4).
    assert!(r["progress"].get("withheld_health_goals").is_none(), "{r}");
    assert!(!r.to_string().contains("health"), "{r}");
    assert!(r["exit"].is_null());

    // case show: JSON contract, and the psychologist compartment.
    let show = wb.json(kw, &["case", "show", id]);
    assert_eq!(show["id"], id);
    assert_eq!(show["status"], "enrolled");
    assert_eq!(show["phase"], "phase2");
    assert_eq!(show["client"]["family_name"], "Musterfrau");
    assert_eq!(show["key_worker"]["login"], "kw");
    assert_eq!(show["key_worker"]["name"], "Kim Bezug");
    assert_eq!(show["period"]["start"], "2026-03-16");
    assert_eq!(show["period"]["planned_end"], "2026-07-16");
    assert_eq!(
        show["period"]["extensions"][0]["previous_end"],
        "2026-06-16"
    );
    assert_eq!(show["period"]["extensions"][0]["new_end"], "2026-07-16");
    assert_eq!(
        show["period"]["extensions"][0]["reason"],
        "Schuldnerberatung beginnt erst im Juli"
    );
    assert_eq!(show["period"]["extensions"][0]["decided_on"], "2026-04-20");
    assert_eq!(show["goals"].as_array().unwrap().len(), 2);
    assert_eq!(show["goals"][0]["status"], "in_progress");
    assert_eq!(show["goals"][0]["ratings"][0]["value"], 6);
    assert_eq!(show["consents"].as_array().unwrap().len(), 4);
    assert!(show["version"].as_u64().unwrap() > 20, "{show}");
    assert_eq!(show["attendance"][0]["attendance"], "present");
    assert!(!show.to_string().contains("PSYCHNOTIZ"), "{show}");
    assert_eq!(show["contacts"][1]["note_hidden"], true);
    // The case-file model: every section in order, the withheld note named with its reason.
    let sections: Vec<&str> = show["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(sections.first(), Some(&"overview"), "{show}");
    assert!(sections.contains(&"contacts") && sections.contains(&"goals"));
    assert_eq!(show["withheld"][0]["section"], "contacts", "{show}");
    assert_eq!(
        show["withheld"][0]["reason"], "psychologist_compartment",
        "{show}"
    );
    assert_eq!(show["withheld"][0]["entry"], show["contacts"][1]["id"]);
    let text_kw = wb.ok(kw, &["case", "show", id]);
    assert!(
        !text_kw.contains("PSYCHNOTIZ") && text_kw.contains("GEHEIMNOTIZ"),
        "{text_kw}"
    );
    let text_psych = wb.ok(Some("psych"), &["case", "show", id]);
    assert!(text_psych.contains("PSYCHNOTIZ"), "{text_psych}");
    let _ = health_goal;

    // Closure, reopening by a team lead only, closing again.
    wb.today("2026-07-10");
    wb.ok(kw, &["case", "close", id, "--reason", "goals_achieved"]);
    wb.fails(
        3,
        kw,
        &["contact", "add", id, "--kind", "phone", "--duration", "10"],
    );
    wb.today("2026-07-20");
    // Reopening is the team lead's (core's access policy refuses it to the key worker).
    let not_lead = wb.fails(3, kw, &["case", "reopen", id]);
    assert!(
        not_lead
            .stderr
            .contains("Das darf nur die Teamleitung des Falls"),
        "{}",
        not_lead.both()
    );
    wb.ok(Some("lead"), &["case", "reopen", id]);
    // Open again: no closure in force, the old one is a previous closure.
    let reopened = wb.json(kw, &["case", "show", id]);
    assert_eq!(reopened["status"], "enrolled", "{reopened}");
    assert!(reopened["closure"].is_null(), "{reopened}");
    assert_eq!(
        reopened["previous_closures"],
        serde_json::json!([{
            "closed_on": "2026-07-10",
            "reason": "goals_achieved",
            "immediate_result": null
        }]),
        "{reopened}"
    );
    let text = wb.ok(kw, &["case", "show", id]);
    assert!(!text.lines().any(|l| l == "Abschluss"), "{text}");
    assert!(
        text.contains("Frühere Abschlüsse (wieder aufgenommen)") && text.contains("10.07.2026"),
        "{text}"
    );
    wb.ok(
        kw,
        &[
            "case",
            "close",
            id,
            "--reason",
            "regular_end",
            "--result",
            "job_seeking",
        ],
    );
    let exit = wb.json(kw, &["report", "jobcenter", id]);
    assert_eq!(exit["exit"]["reason"], "regular_end", "{exit}");
    let closed = wb.json(kw, &["case", "show", id]);
    assert_eq!(closed["closure"]["reason"], "regular_end", "{closed}");
    assert_eq!(
        closed["previous_closures"][0]["reason"], "goals_achieved",
        "{closed}"
    );
    let text = wb.ok(kw, &["case", "show", id]);
    assert!(text.lines().any(|l| l == "Abschluss"), "{text}");
    let history = wb.json(kw, &["case", "history", id]);
    let types: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(types[0], "referral_received.v1");
    assert_eq!(types.iter().filter(|t| **t == "closed.v1").count(), 2);
    assert!(types.contains(&"reopened.v1"));
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["actor"]["login"].is_string())
    );
    let text_history = wb.ok(kw, &["case", "history", id]);
    assert!(!text_history.contains("PSYCHNOTIZ"), "{text_history}");
}

fn not_reached_case(wb: &Wb) {
    let kw = Some("kw");
    wb.today("2026-03-02");
    let id = wb.referral("Max", "Beispiel", &[]);
    let id = id.as_str();
    wb.today("2026-03-09");
    for at in ["2026-03-03T10:00", "2026-03-05T16:30"] {
        wb.ok(
            kw,
            &[
                "outreach",
                "attempt",
                id,
                "--channel",
                "doorstep",
                "--outcome",
                "not_met",
                "--at",
                at,
            ],
        );
    }
    let early = wb.fails(3, kw, &["case", "not-reached", id]);
    assert!(
        early.stderr.contains("erfolglosen Kontaktversuchen"),
        "{}",
        early.both()
    );
    wb.ok(
        kw,
        &[
            "outreach",
            "attempt",
            id,
            "--channel",
            "note_left",
            "--outcome",
            "note_left",
        ],
    );
    // An attempt in the future is refused (I6: time is an input, but not a wish).
    wb.fails(
        3,
        kw,
        &[
            "outreach",
            "attempt",
            id,
            "--channel",
            "phone",
            "--outcome",
            "not_met",
            "--at",
            "2026-03-10",
        ],
    );
    wb.ok(kw, &["case", "not-reached", id]);
    let show = wb.json(Some("kw"), &["case", "show", id]);
    assert_eq!(show["status"], "not_reached");
    assert!(show["phase"].is_null());
    assert!(show["period"].is_null());
    let report = wb.json(Some("kw"), &["report", "jobcenter", id]);
    assert_eq!(report["outreach"]["reached"], false);
    assert_eq!(report["outreach"]["attempt_count"], 3);
    assert!(report["participation"].is_null());
    let listed = wb.json(Some("kw"), &["case", "list", "--status", "not_reached"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["id"], id);
}

fn declined_case(wb: &Wb) {
    let kw = Some("kw");
    wb.today("2026-03-12");
    let id = wb.referral("Olga", "Probst-Muster", &["--date", "2026-03-10"]);
    let id = id.as_str();
    wb.ok(
        kw,
        &[
            "outreach",
            "attempt",
            id,
            "--channel",
            "doorstep",
            "--outcome",
            "declined",
        ],
    );
    let show = wb.json(Some("kw"), &["case", "show", id]);
    assert_eq!(show["status"], "declined");
    wb.fails(
        3,
        kw,
        &[
            "outreach",
            "attempt",
            id,
            "--channel",
            "phone",
            "--outcome",
            "agreed",
        ],
    );
    let report = wb.json(Some("kw"), &["report", "jobcenter", id]);
    assert_eq!(report["outreach"]["offer"], "declined");
    assert!(
        !report.to_string().contains("reason"),
        "no decline reason: {report}"
    );
}

/// A consent withdrawn takes effect from then on (I4); a decline told at the office, with
/// no attempt that reached the client, still reads as reached.
fn consent_withdrawal_and_a_decline_at_the_office(wb: &Wb) {
    let kw = Some("kw");
    wb.today("2026-03-20");
    let id = wb.referral("Nina", "Beispielhaft", &[]);
    let id = id.as_str();
    wb.ok(
        kw,
        &[
            "case",
            "enrol",
            id,
            "--key-worker",
            "kw",
            "--terms-explained",
            "--consent",
            "written",
        ],
    );
    wb.ok(
        kw,
        &[
            "consent",
            "give",
            id,
            "--purpose",
            "jobcenter_progress",
            "--form",
            "written",
        ],
    );
    let report = wb.json(Some("kw"), &["report", "jobcenter", id]);
    assert!(!report["progress"].is_null(), "{report}");
    wb.today("2026-03-23");
    // A withdrawal on an earlier day, but not before the day the consent was given nor in the
    // future: core's rules (exit 3), nothing withdrawn.
    for day in ["2026-03-01", "2026-03-24"] {
        let refused = wb.fails(
            3,
            kw,
            &[
                "consent",
                "withdraw",
                id,
                "--purpose",
                "jobcenter_progress",
                "--on",
                day,
            ],
        );
        assert!(refused.stderr.contains("2026"), "{}", refused.both());
    }
    wb.ok(
        kw,
        &["consent", "withdraw", id, "--purpose", "jobcenter_progress"],
    );
    let report = wb.json(Some("kw"), &["report", "jobcenter", id]);
    assert!(report["progress"].is_null(), "withdrawn: {report}");
    let show = wb.json(Some("kw"), &["case", "show", id]);
    assert!(
        show.to_string().contains("2026-03-23"),
        "the withdrawal day is kept: {show}"
    );
    // Twice: there is no active consent for that purpose any more (not found, exit 4).
    let again = wb.fails(
        4,
        kw,
        &["consent", "withdraw", id, "--purpose", "jobcenter_progress"],
    );
    assert!(
        again.stderr.contains("keine gültige Einwilligung"),
        "{}",
        again.both()
    );

    // A pause: no disadvantage, the planned end stays, and ending it twice is refused.
    let planned = wb.json(Some("kw"), &["case", "show", id])["period"]["planned_end"].clone();
    wb.ok(kw, &["case", "pause", id]);
    let show = wb.json(Some("kw"), &["case", "show", id]);
    assert_eq!(show["period"]["pauses"][0]["from"], "2026-03-23", "{show}");
    assert!(show["period"]["pauses"][0]["until"].is_null(), "{show}");
    let text = wb.ok(Some("kw"), &["case", "show", id]);
    assert!(
        text.contains("Teilnahme pausiert seit 23.03.2026"),
        "{text}"
    );
    wb.today("2026-03-30");
    wb.ok(kw, &["case", "resume", id]);
    let show = wb.json(Some("kw"), &["case", "show", id]);
    assert_eq!(show["period"]["pauses"][0]["until"], "2026-03-30", "{show}");
    assert_eq!(show["period"]["planned_end"], planned, "the clock runs on");
    let again = wb.fails(3, kw, &["case", "resume", id]);
    assert!(again.stderr.contains("nicht pausiert"), "{}", again.both());

    let id = wb.referral("Otto", "Beispielmann", &[]);
    let id = id.as_str();
    wb.ok(kw, &["case", "decline", id]);
    assert_eq!(
        wb.json(Some("kw"), &["case", "show", id])["status"],
        "declined"
    );
    let report = wb.json(Some("kw"), &["report", "jobcenter", id]);
    assert_eq!(report["outreach"]["reached"], true, "{report}");
    assert_eq!(report["outreach"]["offer"], "declined", "{report}");
}

fn refusals_before_enrolment_and_by_role(wb: &Wb) {
    wb.today("2026-03-12");
    let id = wb.referral("Jörg", "Weiß", &[]);
    let id = id.as_str();
    // I2: no goals, contacts or social history before enrolment.
    let goal = wb.fails(
        3,
        Some("kw"),
        &[
            "goal",
            "add",
            id,
            "--domain",
            "housing",
            "--wording",
            "x",
            "--criterion",
            "y",
            "--responsible",
            "client",
            "--review",
            "2026-04-01",
        ],
    );
    assert!(goal.stderr.contains("I2"), "{}", goal.both());
    // Writes need --as (usage error), a known login and an active person (sign-in fails).
    wb.fails(
        2,
        None,
        &[
            "outreach",
            "attempt",
            id,
            "--channel",
            "phone",
            "--outcome",
            "not_met",
        ],
    );
    wb.fails(
        7,
        Some("niemand"),
        &[
            "outreach",
            "attempt",
            id,
            "--channel",
            "phone",
            "--outcome",
            "not_met",
        ],
    );
    wb.ok(Some("admin"), &["staff", "deactivate", "kw2"]);
    let inactive = wb.fails(
        7,
        Some("kw2"),
        &[
            "outreach",
            "attempt",
            id,
            "--channel",
            "phone",
            "--outcome",
            "not_met",
        ],
    );
    assert!(
        inactive.stderr.contains("deaktiviert"),
        "{}",
        inactive.both()
    );
    // The administrator manages staff but does not work on cases.
    wb.fails(
        3,
        Some("admin"),
        &[
            "outreach",
            "attempt",
            id,
            "--channel",
            "phone",
            "--outcome",
            "not_met",
        ],
    );
    // Key workers do not manage staff.
    wb.fails(3, Some("kw"), &["team", "add", "Team Süd"]);
    // Assigning an inactive key worker is refused.
    wb.fails(
        3,
        Some("kw"),
        &[
            "case",
            "enrol",
            id,
            "--key-worker",
            "kw2",
            "--terms-explained",
            "--consent",
            "written",
        ],
    );
}
