//! End-to-end tests: they drive the real `wegbereiter` binary.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use wegbereiter_tests::Sandbox;

fn sandbox() -> Sandbox {
    Sandbox::new(env!("CARGO_BIN_EXE_wegbereiter")).expect("temporary directory")
}

#[test]
fn help_lists_the_program() {
    let out = sandbox().run(&["--help"]).expect("binary runs");
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("wegbereiter"), "{stdout}");
}

#[test]
fn unknown_subcommand_is_a_usage_error() {
    let out = sandbox().run(&["frobnicate"]).expect("binary runs");
    assert_eq!(out.status.code(), Some(2));
}
