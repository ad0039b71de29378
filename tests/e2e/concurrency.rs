//! Several processes writing to one case at once: appends that do not depend on each other
//! (contacts) are retried by `CaseService` until all are written; a stale `--if-version`
//! is still refused.

use crate::support::Wb;

const WRITERS: usize = 8;

fn eight_processes_add_contacts_to_one_case(wb: &Wb) {
    wb.set_up();
    let kw = Some("kw");
    let id = wb.referral("Erika", "Musterfrau", &[]);
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
    let before = wb.json(kw, &["case", "show", &id])["version"]
        .as_u64()
        .unwrap();
    let lines: Vec<Vec<String>> = (0..WRITERS)
        .map(|i| {
            let note = format!("Anruf {i}");
            wb.command_line(
                kw,
                &[
                    "contact",
                    "add",
                    &id,
                    "--kind",
                    "phone",
                    "--duration",
                    "15",
                    "--note",
                    &note,
                ],
            )
        })
        .collect();
    let sandbox = &wb.sandbox;
    let runs: Vec<_> = std::thread::scope(|s| {
        let started: Vec<_> = lines
            .iter()
            .map(|line| s.spawn(move || sandbox.run_with(line, None, &[]).unwrap()))
            .collect();
        started.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for run in &runs {
        assert_eq!(run.code, Some(0), "{}", run.both());
    }
    let case = wb.json(kw, &["case", "show", &id]);
    assert_eq!(
        case["version"].as_u64().unwrap(),
        before + WRITERS as u64,
        "{case}"
    );
    assert_eq!(
        case["contacts"].as_array().unwrap().len(),
        WRITERS,
        "{case}"
    );
    // A stale version is still refused, contact or not (exit 5: changed in the meantime).
    let stale = before.to_string();
    wb.fails(
        5,
        kw,
        &[
            "contact",
            "add",
            &id,
            "--kind",
            "phone",
            "--duration",
            "15",
            "--note",
            "zu spät",
            "--if-version",
            &stale,
        ],
    );
    wb.ok(None, &["verify"]);
}

#[test]
fn concurrent_contacts_all_succeed_on_sqlite() {
    eight_processes_add_contacts_to_one_case(&Wb::sqlite());
}

#[test]
fn concurrent_contacts_all_succeed_on_postgres() {
    if let Some(wb) = Wb::postgres("concurrent_contacts") {
        eight_processes_add_contacts_to_one_case(&wb);
    }
}
