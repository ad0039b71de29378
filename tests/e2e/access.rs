//! The CLI signs people in and applies core's access policy: the attacks that worked before
//! (acting as anyone with `--as`, reading another team's case, an administrator reading case
//! files, a psychologist's note readable by the team) are refused, on both backends.

use crate::support::*;

/// `init` and the usual staff, plus a key worker of another team and a DPO.
fn set_up(wb: &Wb) {
    wb.set_up();
    let admin = Some("admin");
    wb.ok(admin, &["team", "add", "Phase 1 Team Süd"]);
    for (login, name, roles, team) in [
        ("sued", "Sam Süd", "key_worker", "Phase 1 Team Süd"),
        ("dpo", "Dana Datenschutz", "data_protection_officer", ""),
        (
            "psy_nord",
            "Paula Psychologie",
            "psychologist",
            "Phase 1 Team Nord",
        ),
    ] {
        let mut args = vec![
            "staff", "add", "--login", login, "--name", name, "--role", roles,
        ];
        if !team.is_empty() {
            args.extend(["--team", team]);
        }
        args.push("--password-stdin");
        let run = wb.run_stdin(admin, &args, &format!("{ADMIN_PASSWORD}\n"));
        assert_eq!(run.code, Some(0), "{}", run.both());
    }
}

/// A case of team Nord, enrolled with `kw` as key worker.
fn enrolled_case(wb: &Wb) -> String {
    let id = wb.referral("Erika", "Musterfrau", &[]);
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
    id
}

fn check_sign_in_and_access(wb: &Wb) {
    set_up(wb);
    let id = wb.referral("Erika", "Musterfrau", &[]);
    let unknown = "0190c3f0-0000-7000-8000-000000000001";

    // `--as` alone proves nothing: a wrong password, an unknown login, no password at all.
    wb.password("falsches Passwort");
    let wrong = wb.fails(7, Some("kw"), &["case", "show", &id]);
    assert!(
        wrong.stderr.contains("Anmeldung fehlgeschlagen"),
        "{}",
        wrong.both()
    );
    wb.fails(7, Some("niemand"), &["case", "show", &id]);
    wb.password(ADMIN_PASSWORD);
    let mut args: Vec<String> = ["--db", &wb.db, "--as", "kw", "case", "show", &id]
        .iter()
        .map(|a| (*a).to_owned())
        .collect();
    args.extend(wb.key_args());
    let no_password = wb.sandbox.run_with(&args, None, &[]).unwrap();
    assert_eq!(no_password.code, Some(7), "{}", no_password.both());
    // Reading needs a sign-in too.
    wb.fails(2, None, &["case", "list"]);
    wb.fails(2, None, &["case", "show", &id]);

    // Another team's case reads exactly like an unknown one, for reading and writing.
    let hidden = wb.fails(4, Some("sued"), &["case", "show", &id]);
    let missing = wb.fails(4, Some("sued"), &["case", "show", unknown]);
    assert_eq!(
        hidden.stderr.replace(&id, "ID"),
        missing.stderr.replace(unknown, "ID")
    );
    wb.fails(4, Some("sued"), &["case", "history", &id]);
    wb.fails(4, Some("sued"), &["report", "jobcenter", &id]);
    wb.fails(
        4,
        Some("sued"),
        &[
            "outreach",
            "attempt",
            &id,
            "--channel",
            "phone",
            "--outcome",
            "not_met",
        ],
    );
    assert!(
        wb.json(Some("sued"), &["case", "list"])
            .as_array()
            .unwrap()
            .is_empty()
    );
    // Administration and data protection never open a case file.
    for login in ["admin", "dpo"] {
        wb.fails(3, Some(login), &["case", "show", &id]);
        wb.fails(3, Some(login), &["case", "list"]);
    }
    // A deactivated account signs in no more.
    wb.ok(Some("admin"), &["staff", "deactivate", "kw2"]);
    wb.fails(7, Some("kw2"), &["case", "show", &id]);
    // Nothing of it reached the history or the access log under anyone's name.
    let history = wb.json(Some("kw"), &["case", "history", &id]);
    assert_eq!(history.as_array().unwrap().len(), 1, "{history}");
}

#[test]
fn the_cli_signs_people_in_and_applies_the_access_policy() {
    check_sign_in_and_access(&Wb::sqlite());
}

#[test]
fn the_cli_signs_people_in_and_applies_the_access_policy_on_postgres() {
    if let Some(wb) = Wb::postgres("cli_access_policy") {
        check_sign_in_and_access(&wb);
    }
}

#[test]
fn personal_access_tokens_sign_in_expire_by_revocation_and_need_the_password_to_make() {
    let wb = Wb::sqlite();
    set_up(&wb);
    let id = wb.referral("Erika", "Musterfrau", &[]);
    let created = wb.json(Some("kw"), &["token", "create", "--name", "Laptop Büro"]);
    let secret = created["secret"].as_str().unwrap().to_owned();
    let token_id = created["id"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("wbt_") && secret.len() > 60, "{created}");
    let with_token = |args: &[&str]| {
        let mut all = vec!["--db", wb.db.as_str(), "--format", "json"];
        all.extend_from_slice(args);
        wb.sandbox
            .run_with(&all, None, &[("WEGBEREITER_TOKEN", secret.as_str())])
            .unwrap()
    };
    // The token alone signs in as its owner.
    let shown = with_token(&["case", "show", &id]);
    assert_eq!(shown.code, Some(0), "{}", shown.both());
    // Not as someone else, and it cannot make another token.
    let other = with_token(&["--as", "kw2", "case", "show", &id]);
    assert_eq!(other.code, Some(7), "{}", other.both());
    let again = with_token(&["token", "create", "--name", "zweites"]);
    assert_eq!(again.code, Some(3), "{}", again.both());
    // The database keeps only a digest: the secret is nowhere in the file.
    let file = std::fs::read(&wb.db).unwrap();
    assert!(
        !file.windows(secret.len()).any(|w| w == secret.as_bytes()),
        "the token secret is stored in clear"
    );
    // Listed without its secret; revoked, it signs in no more.
    let list = wb.json(Some("kw"), &["token", "list"]);
    assert_eq!(list[0]["state"], "valid", "{list}");
    assert!(list[0].get("secret").is_none(), "{list}");
    wb.ok(Some("kw"), &["token", "revoke", &token_id]);
    assert_eq!(with_token(&["case", "show", &id]).code, Some(7));
    assert_eq!(
        wb.json(Some("kw"), &["token", "list"])[0]["state"],
        "revoked"
    );
    // Another person cannot revoke it (it is not theirs).
    wb.fails(4, Some("kw2"), &["token", "revoke", &token_id]);
}

#[test]
fn a_psychologists_note_is_for_psychologists_unless_shared() {
    let wb = Wb::sqlite();
    set_up(&wb);
    let id = enrolled_case(&wb);
    let add = |note: &str, extra: &[&str]| -> wegbereiter_tests::Run {
        let mut args = vec![
            "contact",
            "add",
            id.as_str(),
            "--kind",
            "office",
            "--duration",
            "45",
            "--note",
            note,
        ];
        args.extend_from_slice(extra);
        wb.run(Some("psy_nord"), &args)
    };
    assert_eq!(add("PSYCH-STANDARD", &[]).code, Some(0));
    // The team's notes are written by whoever changes the case: a psychologist who only
    // reads it may not share a note with the team ...
    assert_eq!(add("PSYCH-GETEILT", &["--share-with-team"]).code, Some(3));
    // ... but may once the case is handed over to them.
    wb.ok(
        Some("kw"),
        &[
            "handover",
            &id,
            "--to",
            "psychologist",
            "--staff",
            "psy_nord",
        ],
    );
    let shared = add("PSYCH-GETEILT", &["--share-with-team"]);
    assert_eq!(shared.code, Some(0), "{}", shared.both());
    assert_eq!(add("PSYCH-ZWEITE", &[]).code, Some(0));
    // The former key worker still reads the case as a member of its team.
    let for_kw = wb.ok(Some("kw"), &["case", "show", &id]);
    assert!(!for_kw.contains("PSYCH-STANDARD"), "{for_kw}");
    assert!(!for_kw.contains("PSYCH-ZWEITE"), "{for_kw}");
    assert!(for_kw.contains("PSYCH-GETEILT"), "{for_kw}");
    let history = wb.ok(Some("kw"), &["case", "history", &id]);
    assert!(!history.contains("PSYCH-STANDARD"), "{history}");
    let for_psy = wb.ok(Some("psy_nord"), &["case", "show", &id]);
    assert!(for_psy.contains("PSYCH-STANDARD"), "{for_psy}");
}

/// After a handover with a note the former key worker reads the case (a member of its team)
/// and records no attendance: core's access policy refuses it (exit 3), the person now
/// responsible records it; the note is in the case file.
#[test]
fn after_a_handover_the_former_key_worker_records_no_attendance() {
    let wb = Wb::sqlite();
    set_up(&wb);
    let id = enrolled_case(&wb);
    let kw = Some("kw");
    wb.ok(
        kw,
        &[
            "handover",
            &id,
            "--to",
            "phase2",
            "--staff",
            "psy_nord",
            "--note",
            "Frühstücksgruppe dienstags; Bewerbungsmappe liegt vor",
        ],
    );
    let session = wb.json(
        kw,
        &[
            "group",
            "add-session",
            "--kind",
            "breakfast",
            "--date",
            "2026-03-02",
            "--title",
            "Frühstück im Stadtteilladen",
        ],
    );
    let session = session["id"].as_str().unwrap().to_owned();
    let attend = [
        "group",
        "attend",
        "--session",
        session.as_str(),
        "--case",
        id.as_str(),
        "--attendance",
        "present",
    ];
    let refused = wb.fails(3, kw, &attend);
    assert!(
        refused
            .stderr
            .contains("Anwesenheit darf nur die zuständige Fachkraft"),
        "{}",
        refused.both()
    );
    wb.ok(Some("psy_nord"), &attend);
    let file = wb.ok(kw, &["case", "show", &id]);
    assert!(
        file.contains("Frühstücksgruppe dienstags; Bewerbungsmappe liegt vor"),
        "{file}"
    );
    assert!(file.contains("Bisher zuständig"), "{file}");
    let json = wb.json(kw, &["case", "show", &id]);
    let handover = &json["handovers"][0];
    assert_eq!(handover["from"]["login"], "kw", "{handover}");
    assert_eq!(
        handover["note"], "Frühstücksgruppe dienstags; Bewerbungsmappe liegt vor",
        "{handover}"
    );
}
