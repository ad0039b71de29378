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
    for (name, source) in [
        ("command.rs", include_str!("../../src/command.rs")),
        ("case.rs", include_str!("../../src/case.rs")),
        ("reminders.rs", include_str!("../../src/reminders.rs")),
        ("feedback.rs", include_str!("../../src/feedback.rs")),
        ("service.rs", include_str!("../../src/service.rs")),
        ("memory.rs", include_str!("../../src/memory.rs")),
    ] {
        for forbidden in ["Utc::now", "Local::now", "now_v7", "new_v4", "SystemTime"] {
            assert!(
                !source.contains(forbidden),
                "{name} uses {forbidden} (invariant I6)"
            );
        }
    }
}
