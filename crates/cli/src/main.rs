//! `wegbereiter`: the bundled command-line interface.

use clap::Parser;

/// Wegbereiter: case management for outreach social work.
#[derive(Debug, Parser)]
#[command(name = "wegbereiter", version, about)]
struct Cli {}

fn main() {
    let _cli = Cli::parse();
}
