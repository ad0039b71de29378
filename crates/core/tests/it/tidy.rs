//! Architecture rules enforced as tests: the domain crate stays pure.

/// Names of crates that must never be normal dependencies of the domain crate.
const FORBIDDEN: &[&str] = &[
    "tokio",
    "sea-orm",
    "sea-query",
    "sqlx",
    "axum",
    "hyper",
    "reqwest",
    "tower",
    "rusqlite",
    "postgres",
    "rand",
    "getrandom",
];
const ALLOWED: &[&str] = &["serde", "thiserror", "chrono", "uuid", "async-trait"];

#[test]
fn core_depends_only_on_the_named_crates() {
    let manifest = include_str!("../../Cargo.toml");
    let mut section = "";
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line;
            continue;
        }
        if section != "[dependencies]" || line.is_empty() || line.starts_with('#') {
            continue;
        }
        let name = line.split(['=', '.']).next().unwrap().trim();
        assert!(
            ALLOWED.contains(&name),
            "crates/core may not depend on {name}"
        );
        assert!(!FORBIDDEN.contains(&name));
    }
}

#[test]
fn core_sources_do_not_read_the_clock_or_generate_ids() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        for forbidden in [
            "Utc::now",
            "Local::now",
            "now_v7",
            "new_v4",
            "SystemTime",
            "Instant::now",
            "thread_rng",
        ] {
            assert!(
                !source.contains(forbidden),
                "{} uses {forbidden} (invariant I6)",
                path.display()
            );
        }
        checked += 1;
    }
    assert!(
        checked >= 20,
        "only {checked} source files found in {}",
        dir.display()
    );
}
