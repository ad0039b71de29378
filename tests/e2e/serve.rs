//! `wegbereiter serve`: the README's main command, started for real and asked over HTTP.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Child;
use std::sync::mpsc;
use std::time::Duration;

use crate::support::sandbox;

/// Stops the server when the test ends, also when it fails.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One plain HTTP/1.1 GET; the status and the whole response.
fn get(addr: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept-Language: de\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, response)
}

#[test]
fn serve_demo_answers_over_http_and_prints_the_demo_logins() {
    let sb = sandbox();
    let mut child = sb
        .spawn(&[
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--demo",
            "--demo-cases",
            "8",
            "--trusted-proxy",
            "127.0.0.1",
            "--trusted-proxy",
            "::1",
        ])
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let server = Server(child);
    // The address it listens on (port 0: the system chose one) is the first line it prints.
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
    assert!(
        line.starts_with("Wegbereiter läuft auf http://127.0.0.1:"),
        "{line}"
    );

    // Signed out, every page leads to the sign-in, which is German and safe by headers.
    let (status, response) = get(&addr, "/");
    assert_eq!(status, 303, "{response}");
    assert!(response.contains("location: /login") || response.contains("Location: /login"));
    let (status, response) = get(&addr, "/login");
    assert_eq!(status, 200, "{response}");
    assert!(
        response.contains("lang=\"de\"") && response.contains("Anmelden"),
        "{response}"
    );
    let lower = response.to_lowercase();
    assert!(lower.contains("content-security-policy:"), "{response}");
    assert!(!lower.contains("unsafe-inline"), "{response}");
    let (status, _) = get(&addr, "/static/app.css");
    assert_eq!(status, 200);
    let (status, response) = get(&addr, "/gibt-es-nicht");
    assert_eq!(status, 404, "{response}");

    // A second server on the same address is a usage error (exit 2), in words. (A plain
    // `serve` needs a database set up before.)
    let init = sb.run(&["init"]).unwrap();
    assert_eq!(init.status.code(), Some(0), "{init:?}");
    let second = sb.run(&["serve", "--bind", &addr]).unwrap();
    assert_eq!(second.status.code(), Some(2), "{second:?}");
    let said = String::from_utf8_lossy(&second.stderr);
    assert!(said.contains("kann nicht verwendet werden"), "{said}");
    // A trusted proxy must be an address: a host name is a usage error, before anything
    // starts.
    let bad = sb
        .run(&[
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--trusted-proxy",
            "proxy.intern",
        ])
        .unwrap();
    assert_eq!(bad.status.code(), Some(2), "{bad:?}");

    drop(server);
    // The demo logins were printed for the person who started it.
    let mut printed = String::new();
    stderr.read_to_string(&mut printed).unwrap();
    assert!(printed.contains("demo.bezug1"), "{printed}");
}

/// The mode bits of `path`.
#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Every file below `dir`, recursively.
#[cfg(unix)]
fn files_below(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files_below(&path));
        } else {
            found.push(path);
        }
    }
    found
}

#[cfg(unix)]
#[test]
fn serve_demo_keeps_its_database_private_and_removes_it_on_sigterm() {
    let sb = sandbox();
    let tmp = sb.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let child = sb
        .spawn_with(
            &[
                "serve",
                "--bind",
                "127.0.0.1:0",
                "--demo",
                "--demo-cases",
                "3",
            ],
            &[("TMPDIR", tmp.as_os_str())],
        )
        .unwrap();
    let mut server = Server(child);
    let stdout = server.0.stdout.take().unwrap();
    let line = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .next()
        .expect("serve prints where it listens");
    assert!(line.starts_with("Wegbereiter läuft auf"), "{line}");
    // The temporary database is the program's own: readable by its owner only.
    let files = files_below(&tmp);
    let db = files
        .iter()
        .find(|p| p.file_name().is_some_and(|n| n == "demo.db"))
        .unwrap_or_else(|| panic!("no demo.db in {files:?}"));
    for file in &files {
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
    assert!(db.exists());
    // SIGTERM (what `kill`, systemd and container runtimes send) stops it like Ctrl-C ...
    let pid = server.0.id().to_string();
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(kill.success());
    let (tx, rx) = mpsc::channel();
    let mut child = server;
    std::thread::spawn(move || {
        let status = child.0.wait();
        let _ = tx.send(status.map(|s| s.code()));
    });
    let code = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("serve stops on SIGTERM")
        .unwrap();
    assert_eq!(code, Some(0));
    // ... and leaves nothing behind: no database, no -wal or -shm, no folder.
    let left = std::fs::read_dir(&tmp).unwrap().count();
    assert_eq!(left, 0, "{:?}", files_below(&tmp));
}
