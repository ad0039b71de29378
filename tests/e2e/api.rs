//! The JSON API against a live server: `wegbereiter demo` fills a database, a demo key
//! worker makes a token with the CLI, `wegbereiter serve` serves it, and schemathesis tests
//! every operation of `/api/v1/openapi.json` with generated requests: no server error, no
//! response that contradicts the schema, no status code the document does not list.
//!
//! `.ci/run` installs schemathesis in a virtual environment (`WEGBEREITER_SCHEMATHESIS`
//! names its executable); without it the test says so loudly and passes, except with
//! `CI=true`, where it fails.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command};
use std::sync::mpsc;
use std::time::Duration;

use crate::support::Wb;

/// Stops the server when the test ends, also when it fails.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The schemathesis executable: `WEGBEREITER_SCHEMATHESIS`, the venv `.ci/run` makes, or
/// `schemathesis` on the `PATH`, whichever answers `--version`.
fn schemathesis() -> Option<String> {
    let home = std::env::var("HOME").unwrap_or_default();
    let candidates = [
        std::env::var("WEGBEREITER_SCHEMATHESIS").ok(),
        Some(format!("{home}/.cache/wegbereiter-venv/bin/schemathesis")),
        Some("schemathesis".to_owned()),
    ];
    candidates.into_iter().flatten().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Starts `serve` on `wb`'s database; returns it and its address.
fn serve(wb: &Wb) -> (Server, String) {
    let mut child = wb
        .sandbox
        .spawn(&["--db", &wb.db, "serve", "--bind", "127.0.0.1:0"])
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    // The request log goes to stderr: read it, or the server blocks on a full pipe.
    if let Some(stderr) = child.stderr.take() {
        std::thread::spawn(move || {
            std::io::copy(&mut BufReader::new(stderr), &mut std::io::sink())
        });
    }
    let server = Server(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let line = rx
        .recv_timeout(Duration::from_secs(300))
        .expect("serve prints where it listens");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    (server, addr)
}

#[test]
fn schemathesis_finds_no_server_error_and_no_response_against_the_openapi_document() {
    let Some(st) = schemathesis() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "schemathesis is missing (CI=true): .ci/run installs it in a virtual environment"
        );
        eprintln!(
            "\n*** SKIPPED: schemathesis not found; install it (pip install schemathesis) or set WEGBEREITER_SCHEMATHESIS ***\n"
        );
        return;
    };
    let wb = Wb::sqlite();
    wb.ok(None, &["demo", "--cases", "12", "--seed", "7"]);
    wb.password("demo");
    let secret = wb.ok(
        Some("demo.bezug1"),
        &[
            "token",
            "create",
            "--name",
            "schemathesis",
            "--scope",
            "write",
            "--quiet",
        ],
    );
    let secret = secret.trim();
    assert!(secret.starts_with("wbt_"), "{secret}");
    let (_server, addr) = serve(&wb);
    let out = Command::new(&st)
        .args([
            "run",
            &format!("http://{addr}/api/v1/openapi.json"),
            "--header",
            &format!("Authorization: Bearer {secret}"),
            "--checks",
            "not_a_server_error,status_code_conformance,response_schema_conformance",
            "--max-examples",
            "15",
            "--generation-deterministic",
            "--request-timeout",
            "20",
            // Below the API's limit per token (bursts of 120, 600 a minute), so that the
            // operations are tested rather than answered 429.
            "--rate-limit",
            "540/m",
        ])
        // Its cache (`.schemathesis/`) goes to the sandbox, not into the source tree.
        .current_dir(wb.sandbox.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("schemathesis runs");
    let report = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "schemathesis found problems:\n{report}"
    );
}
