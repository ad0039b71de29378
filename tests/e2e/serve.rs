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

    // A second server on the same address is a usage error (exit 2), in words.
    let second = sb.run(&["serve", "--bind", &addr]).unwrap();
    assert_eq!(second.status.code(), Some(2), "{second:?}");
    let said = String::from_utf8_lossy(&second.stderr);
    assert!(said.contains("kann nicht verwendet werden"), "{said}");

    drop(server);
    // The demo logins were printed for the person who started it.
    let mut printed = String::new();
    stderr.read_to_string(&mut printed).unwrap();
    assert!(printed.contains("demo.bezug1"), "{printed}");
}
