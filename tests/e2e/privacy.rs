//! The data-protection officer's commands: the retention table and its changes, the plan and
//! its application, an erasure request and a restriction, only by the DPO, on both backends.

use crate::support::*;

#[test]
fn retention_and_erasure_on_sqlite() {
    story(&Wb::sqlite());
}

#[test]
fn retention_and_erasure_on_postgres() {
    if let Some(wb) = Wb::postgres("retention_and_erasure_on_postgres") {
        story(&wb);
    }
}

fn add_dpo(wb: &Wb) {
    let run = wb.run_stdin(
        Some("admin"),
        &[
            "staff",
            "add",
            "--login",
            "dpo",
            "--name",
            "Dana Datenschutz",
            "--role",
            "data_protection_officer",
            "--password-stdin",
        ],
        &format!("{ADMIN_PASSWORD}\n"),
    );
    assert_eq!(run.code, Some(0), "{}", run.both());
}

/// An enrolled case with a contact note, closed on the day set; with ESF entry data if `esf`.
fn closed_case(wb: &Wb, given: &str, esf: bool) -> String {
    let id = wb.referral(given, "Löschprobe", &[]);
    let kw = Some("kw");
    wb.ok(
        kw,
        &[
            "outreach",
            "attempt",
            &id,
            "--channel",
            "phone",
            "--outcome",
            "appointment_made",
        ],
    );
    wb.ok(
        kw,
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
    wb.ok(
        kw,
        &[
            "contact",
            "add",
            &id,
            "--kind",
            "phone",
            "--duration",
            "20",
            "--note",
            "Vertraulicher Gesprächsinhalt",
        ],
    );
    if esf {
        wb.ok(
            kw,
            &[
                "case",
                "esf-entry",
                &id,
                "--employment-status",
                "unemployed",
                "--education",
                "isced_3_4",
                "--citizenship",
                "de",
            ],
        );
    }
    wb.ok(kw, &["case", "close", &id, "--reason", "goals_achieved"]);
    id
}

fn story(wb: &Wb) {
    wb.today("2026-03-02");
    wb.set_up();
    add_dpo(wb);
    let dpo = Some("dpo");

    // The retention table: defaults with their legal sources; only the DPO changes it.
    let table = wb.json(dpo, &["retention", "show"]);
    assert_eq!(table["rules"].as_array().unwrap().len(), 6, "{table}");
    assert!(table.to_string().contains("2021/1060"), "{table}");
    wb.fails(3, Some("kw"), &["retention", "show"]);
    wb.fails(
        3,
        Some("admin"),
        &["retention", "set", "counselling_content", "36m"],
    );
    let changed = wb.json(dpo, &["retention", "set", "counselling_content", "12m"]);
    assert!(changed.to_string().contains("\"12m\""), "{changed}");
    // A period the category does not allow, or an unknown category: refused, nothing changed.
    wb.fails(3, dpo, &["retention", "set", "esf_evidence", "10d"]);
    wb.fails(2, dpo, &["retention", "set", "nothing", "10d"]);
    wb.fails(2, dpo, &["retention", "set", "counselling_content", "soon"]);
    wb.ok(dpo, &["retention", "esf-until", "31.12.2033"]);
    let table = wb.json(dpo, &["retention", "show"]);
    assert_eq!(table["esf_retention_until"], "2033-12-31", "{table}");

    // A declined referral, a closed case without ESF data, a closed ESF participant.
    let declined = wb.referral("Dora", "Ablehnung", &[]);
    wb.ok(
        Some("kw"),
        &[
            "outreach",
            "attempt",
            &declined,
            "--channel",
            "doorstep",
            "--outcome",
            "declined",
        ],
    );
    let plain = closed_case(wb, "Paula", false);
    let esf = closed_case(wb, "Esther", true);
    let open = wb.referral("Otto", "Offen", &[]);

    // An open case is refused: nothing is erased while the work goes on.
    wb.fails(
        3,
        dpo,
        &["privacy", "erase", &open, "--reason", "Antrag", "--yes"],
    );
    wb.fails(
        3,
        Some("kw"),
        &["privacy", "erase", &plain, "--reason", "Antrag", "--yes"],
    );

    // Erasure request for the ESF participant: without --yes nothing changes.
    let dry = wb.json(
        dpo,
        &[
            "privacy",
            "erase",
            &esf,
            "--reason",
            "Antrag vom 02.03.2026",
        ],
    );
    assert_eq!(dry["carried_out"], false, "{dry}");
    assert_eq!(
        wb.json(Some("kw"), &["case", "show", &esf])["status"],
        "closed"
    );
    let done = wb.json(
        dpo,
        &[
            "privacy",
            "erase",
            &esf,
            "--reason",
            "Antrag vom 02.03.2026",
            "--yes",
        ],
    );
    assert_eq!(done["carried_out"], true, "{done}");
    let actions: Vec<&str> = done["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["erase_content", "erase_content", "restrict"],
        "{done}"
    );
    // Restricted: the key worker no longer sees it, in a list or by id.
    wb.fails(4, Some("kw"), &["case", "show", &esf]);
    let list = wb.json(Some("kw"), &["case", "list"]).to_string();
    assert!(!list.contains(&esf) && list.contains(&plain), "{list}");
    // The access export still shows the restricted case, with its reads.
    wb.fails(3, Some("kw"), &["privacy", "export", &esf]);
    let export = wb.json(dpo, &["privacy", "export", &esf]);
    assert_eq!(
        export["matched_by"], "only_this_case",
        "no birth date given"
    );
    let case = &export["cases"][0];
    assert_eq!(case["case"]["id"], esf.as_str(), "{export}");
    let history = case["history"].to_string();
    assert!(
        history.contains("restricted.v1") && history.contains("redacted.v1"),
        "{history}"
    );
    assert!(
        !history.contains("Vertraulicher"),
        "the erased note is gone: {history}"
    );
    assert!(
        case["reads"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["kind"] == "view"),
        "{case}"
    );
    assert_eq!(case["retention"].as_array().unwrap().len(), 5, "{case}");
    let file = wb.sandbox.path().join("auskunft.txt");
    let file_arg = file.to_str().unwrap();
    wb.ok(dpo, &["privacy", "export", &esf, "--output", file_arg]);
    let text = std::fs::read_to_string(&file).unwrap();
    for part in [
        "Auskunft nach Art. 15 DSGVO",
        "Löschprobe, Esther",
        "Verarbeitung eingeschränkt",
        "Wer die Akte gelesen hat",
        "Kim Bezug",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // Asked again: nothing left to do.
    wb.fails(
        3,
        dpo,
        &["privacy", "erase", &esf, "--reason", "Antrag", "--yes"],
    );

    // Erasure of the plain case: whole; the chain of the rest still verifies.
    wb.ok(
        dpo,
        &["privacy", "erase", &plain, "--reason", "Antrag", "--yes"],
    );
    wb.fails(4, Some("kw"), &["case", "show", &plain]);
    wb.fails(
        4,
        dpo,
        &["privacy", "erase", &plain, "--reason", "Antrag", "--yes"],
    );
    let verify = wb.json(None, &["verify"]);
    assert_eq!(verify["ok"], true, "{verify}");

    // The plan: the declined referral is due 90 days after the decline, not before.
    let early = wb.json(dpo, &["retention", "plan"]);
    assert!(!early.to_string().contains(&declined), "{early}");
    let upcoming = wb
        .json(dpo, &["retention", "plan", "--upcoming"])
        .to_string();
    assert!(upcoming.contains(&declined), "{upcoming}");
    assert!(
        !upcoming.contains("Ablehnung"),
        "the plan names no person: {upcoming}"
    );
    wb.today("2026-06-15");
    let due = wb.json(dpo, &["retention", "plan"]).to_string();
    assert!(due.contains(&declined), "{due}");
    let dry = wb.ok(dpo, &["retention", "apply"]);
    assert!(dry.contains(&declined), "{dry}");
    assert_eq!(
        wb.json(Some("kw"), &["case", "show", &declined])["status"],
        "declined"
    );
    let applied = wb.json(dpo, &["retention", "apply", "--yes"]);
    assert_eq!(applied["cases"], 1, "{applied}");
    wb.fails(4, Some("kw"), &["case", "show", &declined]);

    // A restriction on request, of a case that stays otherwise whole.
    wb.fails(
        3,
        dpo,
        &["privacy", "restrict", &open, "--reason", "Antrag"],
    );
    let verify = wb.json(None, &["verify"]);
    assert_eq!(verify["ok"], true, "{verify}");
}

#[test]
fn a_consent_has_a_receipt_when_given_and_when_withdrawn() {
    let wb = Wb::sqlite();
    wb.today("2026-03-02");
    wb.set_up();
    let id = closed_case(&wb, "Quitta", false);
    let kw = Some("kw");
    let consent = wb.created(
        "kw",
        &[
            "consent",
            "give",
            &id,
            "--purpose",
            "jobcenter_participation",
            "--form",
            "written",
        ],
    );
    let given = wb.json(kw, &["consent", "receipt", &id, "--consent", &consent]);
    assert_eq!(given["kind"], "given", "{given}");
    assert_eq!(given["purpose"], "jobcenter_participation");
    assert_eq!(given["text_version"], 1);
    assert!(
        given["text"].as_str().unwrap().contains("Jobcenter"),
        "{given}"
    );
    let text = wb.ok(kw, &["consent", "receipt", &id, "--consent", &consent]);
    for part in [
        "Bestätigung Ihrer Einwilligung",
        "Quitta Löschprobe",
        "Textfassung: 1",
        "jederzeit widerrufen",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    wb.ok(kw, &["consent", "withdraw", &id, "--consent", &consent]);
    let withdrawn = wb.json(kw, &["consent", "receipt", &id, "--consent", &consent]);
    assert_eq!(withdrawn["kind"], "withdrawn", "{withdrawn}");
    assert!(withdrawn["withdrawn_at"].is_string());
    let text = wb.ok(kw, &["consent", "receipt", &id, "--consent", &consent]);
    assert!(
        text.contains("Bestätigung Ihres Widerrufs") && text.contains("neu geben"),
        "{text}"
    );
    // Someone who may not read the case gets no receipt.
    wb.fails(
        4,
        Some("coach"),
        &["consent", "receipt", &id, "--consent", &consent],
    );
}

#[test]
fn the_register_of_requests_on_sqlite() {
    register_story(&Wb::sqlite());
}

#[test]
fn the_register_of_requests_on_postgres() {
    if let Some(wb) = Wb::postgres("the_register_of_requests_on_postgres") {
        register_story(&wb);
    }
}

/// `privacy request add|list|extend|done|refuse`: deadlines, overdue first, refusals with
/// their exit codes, only the DPO; an erasure on request answers its open request.
fn register_story(wb: &Wb) {
    wb.today("2026-03-02");
    wb.set_up();
    add_dpo(wb);
    let dpo = Some("dpo");
    let plain = closed_case(wb, "Rita", false);
    let add = |kind: &str, channel: &str, received: &str| {
        wb.json(
            dpo,
            &[
                "privacy",
                "request",
                "add",
                "--case",
                &plain,
                "--kind",
                kind,
                "--channel",
                channel,
                "--received",
                received,
                "--note",
                "Schreiben",
            ],
        )
    };

    // Only the data-protection officer keeps the register.
    for who in ["kw", "admin"] {
        wb.fails(
            3,
            Some(who),
            &[
                "privacy",
                "request",
                "add",
                "--case",
                &plain,
                "--kind",
                "access",
                "--channel",
                "letter",
            ],
        );
        wb.fails(3, Some(who), &["privacy", "request", "list"]);
    }
    wb.fails(
        2,
        dpo,
        &[
            "privacy",
            "request",
            "add",
            "--case",
            &plain,
            "--kind",
            "wish",
            "--channel",
            "letter",
        ],
    );
    // Not received in the future.
    wb.fails(
        3,
        dpo,
        &[
            "privacy",
            "request",
            "add",
            "--case",
            &plain,
            "--kind",
            "access",
            "--channel",
            "letter",
            "--received",
            "03.03.2026",
        ],
    );

    let erasure = add("erasure", "letter", "01.02.2026");
    assert_eq!(erasure["deadline"], "2026-03-01", "{erasure}");
    assert_eq!(erasure["overdue"], true, "{erasure}");
    assert_eq!(erasure["days_left"], -1, "{erasure}");
    let access = add("access", "email", "2026-03-02");
    assert_eq!(access["deadline"], "2026-04-02", "{access}");
    assert_eq!(access["overdue"], false, "{access}");
    let objection = add("objection", "in_person", "2026-02-20");
    let id = |v: &serde_json::Value| v["id"].as_str().unwrap().to_owned();
    let (erasure_id, access_id, objection_id) = (id(&erasure), id(&access), id(&objection));

    // Overdue first, then by deadline.
    let list = wb.json(dpo, &["privacy", "request", "list"]);
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            erasure_id.as_str(),
            objection_id.as_str(),
            access_id.as_str()
        ]
    );
    let text = wb.ok(dpo, &["privacy", "request", "list"]);
    assert!(
        text.contains("ÜBERFÄLLIG") && !text.contains("Rita"),
        "{text}"
    );

    // The period is extended once, only while it runs.
    wb.fails(
        3,
        dpo,
        &[
            "privacy",
            "request",
            "extend",
            &erasure_id,
            "--reason",
            "viel",
        ],
    );
    let extended = wb.json(
        dpo,
        &[
            "privacy",
            "request",
            "extend",
            &access_id,
            "--reason",
            "mehrere Akten",
        ],
    );
    assert_eq!(extended["deadline"], "2026-06-02", "{extended}");
    wb.fails(
        3,
        dpo,
        &[
            "privacy", "request", "extend", &access_id, "--reason", "nochmal",
        ],
    );

    // Refused with its reason; answered requests leave the list of open ones.
    wb.fails(
        2,
        dpo,
        &[
            "privacy",
            "request",
            "refuse",
            &objection_id,
            "--reason",
            " ",
        ],
    );
    let refused = wb.json(
        dpo,
        &[
            "privacy",
            "request",
            "refuse",
            &objection_id,
            "--reason",
            "Verarbeitung zur Erfüllung einer rechtlichen Pflicht",
        ],
    );
    assert_eq!(refused["status"], "refused", "{refused}");
    assert_eq!(refused["answered_on"], "2026-03-02", "{refused}");
    wb.fails(3, dpo, &["privacy", "request", "done", &objection_id]);
    wb.fails(
        3,
        dpo,
        &[
            "privacy",
            "request",
            "done",
            &access_id,
            "--on",
            "2026-03-03",
        ],
    );
    wb.fails(
        4,
        dpo,
        &[
            "privacy",
            "request",
            "done",
            "0190a0b0-0000-7000-8000-000000000000",
        ],
    );

    // The erasure carried out on request answers its open request.
    let erased = wb.json(
        dpo,
        &[
            "privacy",
            "erase",
            &plain,
            "--reason",
            "Antrag vom 01.02.2026",
            "--yes",
        ],
    );
    assert_eq!(
        erased["answered_requests"],
        serde_json::json!([erasure_id]),
        "{erased}"
    );
    let open = wb.json(dpo, &["privacy", "request", "list"]);
    assert_eq!(open.as_array().unwrap().len(), 1, "{open}");
    assert_eq!(open[0]["id"], access_id.as_str(), "{open}");
    let done = wb.json(
        dpo,
        &[
            "privacy",
            "request",
            "done",
            &access_id,
            "--note",
            "Auskunft per Post",
        ],
    );
    assert_eq!(done["status"], "done", "{done}");
    let all = wb.json(dpo, &["privacy", "request", "list", "--all"]);
    assert_eq!(all.as_array().unwrap().len(), 3, "{all}");
    let erased_row = all
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == erasure_id.as_str())
        .unwrap();
    assert_eq!(erased_row["status"], "done", "{all}");
    assert_eq!(
        erased_row["case_id"],
        plain.as_str(),
        "the register outlives the case"
    );
    assert!(
        erased_row["answer"]
            .as_str()
            .unwrap()
            .contains("Fall gelöscht"),
        "{erased_row}"
    );
}
