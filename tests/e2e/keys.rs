//! Encryption at rest from the command line: `init` creates the key file (0600) beside a new
//! SQLite database, or where `--key-file` names it; notes are in no stored byte in clear;
//! `keys rotate` (administrator) rewraps the case keys and keeps the old key file; a wrong or
//! missing key file is exit 6 with a message and changes nothing. On SQLite and PostgreSQL.

use std::path::PathBuf;

use crate::support::Wb;

const MARKER: &str = "SCHLUESSELPROBE Therapie beim Traumazentrum";

#[test]
fn keys_on_sqlite() {
    let wb = Wb::sqlite();
    let key = PathBuf::from(format!("{}.key", wb.db));
    story(&wb, &key);
}

#[test]
fn keys_on_postgres() {
    let Some(wb) = Wb::postgres("keys_on_postgres") else {
        return;
    };
    let key = wb.sandbox.path().join("pg.key");
    story(&wb, &key);
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(not(unix))]
fn mode(_: &std::path::Path) -> u32 {
    0o600
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// Every stored byte: the SQLite file and its `-wal`, or a plain `pg_dump`.
fn stored(wb: &Wb) -> Vec<u8> {
    if wb.db.starts_with("postgres") {
        let out = std::process::Command::new("pg_dump")
            .args(["--no-owner", "--format=plain"])
            .arg(format!("--dbname={}", wb.db))
            .output()
            .expect("pg_dump is installed with PostgreSQL");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        return out.stdout;
    }
    let mut bytes = std::fs::read(&wb.db).unwrap();
    if let Ok(wal) = std::fs::read(format!("{}-wal", wb.db)) {
        bytes.extend(wal);
    }
    bytes
}

fn story(wb: &Wb, key: &std::path::Path) {
    assert!(!key.exists());
    wb.set_up();
    assert!(key.exists(), "init creates the key file {}", key.display());
    assert_eq!(
        mode(key),
        0o600,
        "the key file is readable by its owner only"
    );
    let shown = wb.json(None, &["keys", "show"]);
    let first = shown["installation_key"].as_str().unwrap().to_owned();
    assert_eq!(shown["key_file"], key.display().to_string());

    let id = wb.referral("Erika", "Schlüssel", &[]);
    wb.ok(
        Some("kw"),
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
        Some("kw"),
        &[
            "contact",
            "add",
            &id,
            "--kind",
            "office",
            "--duration",
            "30",
            "--note",
            MARKER,
        ],
    );
    let bytes = stored(wb);
    assert!(contains(&bytes, "Schlüssel"), "the name is in the database");
    assert!(!contains(&bytes, MARKER), "the note is stored in clear");
    let note_shown = |wb: &Wb| wb.ok(Some("kw"), &["case", "show", &id]).contains(MARKER);
    assert!(note_shown(wb));

    // Rotation: administrators only; the old key file is kept beside.
    wb.fails(3, Some("kw"), &["keys", "rotate"]);
    let rotated = wb.json(Some("admin"), &["keys", "rotate"]);
    let second = rotated["installation_key"].as_str().unwrap().to_owned();
    assert_ne!(first, second);
    assert_eq!(rotated["previous_key"], first);
    assert_eq!(rotated["case_keys"], 1);
    let old = PathBuf::from(rotated["old_key_file"].as_str().unwrap());
    assert!(old.exists() && old.display().to_string().ends_with(".old"));
    assert_eq!(mode(key), 0o600);
    assert!(!PathBuf::from(format!("{}.new", key.display())).exists());
    assert!(note_shown(wb), "the note reads after the rotation");
    assert_eq!(
        wb.json(None, &["keys", "show"])["installation_key"],
        second.as_str()
    );
    // The chains verify without any key.
    wb.ok(None, &["verify"]);

    // A wrong key file (the old one): exit 6, a message, nothing changed.
    let version = |wb: &Wb| wb.json(Some("kw"), &["case", "show", &id])["version"].clone();
    let before = version(wb);
    let current = std::fs::read(key).unwrap();
    std::fs::copy(&old, key).unwrap();
    let run = wb.fails(6, Some("kw"), &["case", "show", &id]);
    assert!(
        run.stderr.contains(&second) && run.stderr.contains("nichts geändert"),
        "{}",
        run.both()
    );
    wb.fails(
        6,
        Some("kw"),
        &["contact", "add", &id, "--kind", "phone", "--duration", "5"],
    );
    // `serve` refuses to start with it (and does not keep running).
    let mut args = vec!["--db".to_owned(), wb.db.clone()];
    args.extend(wb.key_args());
    args.extend(["serve", "--bind", "127.0.0.1:0"].map(str::to_owned));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut server = wb.sandbox.spawn(&args).unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(30) {
            let _ = server.kill();
            panic!("serve started with a wrong key file");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert_eq!(status.code(), Some(6));
    std::fs::write(key, &current).unwrap();
    assert_eq!(version(wb), before, "a refused command changed the case");
    // A missing key file: the same.
    std::fs::remove_file(key).unwrap();
    let run = wb.fails(6, None, &["keys", "show"]);
    assert!(run.stderr.contains("fehlt"), "{}", run.both());
    std::fs::write(key, &current).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(key, std::fs::Permissions::from_mode(0o644)).unwrap();
        let run = wb.fails(6, None, &["keys", "show"]);
        assert!(run.stderr.contains("chmod 600"), "{}", run.both());
        std::fs::set_permissions(key, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    assert!(note_shown(wb));
    // A key backup is written private and restores nothing into a database that has the keys.
    let backup = wb.sandbox.path().join("keys.json");
    wb.ok(
        Some("admin"),
        &["keys", "backup", &backup.display().to_string()],
    );
    assert_eq!(mode(&backup), 0o600);
    let restored = wb.json(
        Some("admin"),
        &["keys", "restore", &backup.display().to_string()],
    );
    assert_eq!(restored["case_keys"], 0);
}
