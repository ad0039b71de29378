//! Crash safety on SQLite: a writer process killed with SIGKILL in the middle of a stream
//! of commands loses no acknowledged command and leaves nothing half written.
//!
//! The test binary runs itself as the writer (`current_exe()`), told so by an environment
//! variable; the writer prints `ack <case> <version>` after every committed command.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use wegbereiter_core::prelude::*;
use wegbereiter_storage::Store;

use crate::fixtures::*;

const WRITER_VAR: &str = "WEGBEREITER_TEST_CRASH_WRITER";
const ACKS_BEFORE_KILL: usize = 60;

/// The writer: a stream of commands on ever new cases, each acknowledged once committed.
fn writer(path: &str) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = Store::open(path).await.unwrap();
        let office = Office::new(&store);
        let mut out = std::io::stdout();
        let started = Instant::now();
        // Runs until killed; stops by itself after a minute in case the parent died.
        while started.elapsed() < Duration::from_secs(60) {
            let id = CaseId::from_uuid(new_id());
            let mut ack = |version: u64| {
                writeln!(out, "ack {id} {version}").unwrap();
                out.flush().unwrap();
            };
            let referral = Command::Refer {
                referral: referral(
                    client("Erika", "Musterfrau", None, Some("99999")),
                    d(2026, 3, 1),
                ),
                team: Some(office.nord),
            };
            let done = office.run(id, &office.kw_a, d(2026, 3, 1), referral).await;
            ack(done.case.version);
            // One command, two events: attempt and decline.
            let declined = Command::LogContactAttempt {
                at: noon(d(2026, 3, 2)),
                channel: ContactChannel::Doorstep,
                outcome: AttemptOutcome::Declined,
            };
            let done = office.run(id, &office.kw_a, d(2026, 3, 2), declined).await;
            ack(done.case.version);
        }
    });
}

#[test]
fn sigkill_mid_stream_loses_no_acknowledged_command() {
    if let Ok(path) = std::env::var(WRITER_VAR) {
        writer(&path);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.db");
    let mut child = Process::new(std::env::current_exe().unwrap())
        .args([
            "crash::sigkill_mid_stream_loses_no_acknowledged_command",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(WRITER_VAR, &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut acks: Vec<(CaseId, u64)> = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("ack ") {
            let (id, version) = rest.split_once(' ').unwrap();
            acks.push((id.parse().unwrap(), version.parse().unwrap()));
            if acks.len() == ACKS_BEFORE_KILL {
                break;
            }
        }
    }
    // SIGKILL while the writer is busy with the next commands.
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the writer was killed, it did not finish: {status}"
    );
    assert_eq!(
        acks.len(),
        ACKS_BEFORE_KILL,
        "the writer acknowledged commands"
    );

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = Store::open(&path.display().to_string()).await.unwrap();
        for (id, version) in &acks {
            let case = store
                .load(*id)
                .await
                .unwrap()
                .expect("acknowledged case exists");
            assert!(
                case.version >= *version,
                "case {id}: acked {version}, found {}",
                case.version
            );
        }
        // Nothing half written: every history replays, ends after a whole command, and the
        // read models are exactly what the events say.
        let cases = store.list(&CaseFilter::default()).await.unwrap();
        assert!(cases.len() >= ACKS_BEFORE_KILL / 2);
        for summary in &cases {
            let history = store.history(summary.id).await.unwrap();
            let case = Case::replay(&history).unwrap();
            assert_eq!(store.load(summary.id).await.unwrap(), Some(case.clone()));
            assert!(
                matches!(history.len(), 1 | 3),
                "case {}: {} events, a command was half written",
                summary.id,
                history.len()
            );
        }
        let report = store.verify().await.unwrap();
        assert!(report.is_intact(), "{report:?}");
        let before = store.read_model_snapshot().await.unwrap();
        store.rebuild_read_models().await.unwrap();
        assert_eq!(store.read_model_snapshot().await.unwrap(), before);
    });
}
