//! The web under load: the real `wegbereiter serve` on a demo database, many people signed
//! in, and per page the median, p99 and requests per second against the stylesheet of the
//! same server in the same run, plus the server's resident memory (see
//! `wegbereiter_tests::load` and `docs/benchmarks.md`).
//!
//! ```sh
//! cargo build --release -p wegbereiter-cli
//! cargo run --release -p wegbereiter-tests --example load -- [--cases N] [--users N]
//!     [--seconds S] [--seed N] [--bin PATH] [--cache-dir DIR]
//! ```
//! Defaults: 100 000 cases, 50 users, 10 s per phase, seed 1, the binary
//! `target/release/wegbereiter` and the cache `target/load-cache` (both found next to this
//! example's own executable). The demo database is built once per size and seed and kept
//! in the cache. Exits 1 when a goal of issue 15 is missed, 2 on a usage error.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::PathBuf;
use std::process::ExitCode;

use wegbereiter_tests::load::{Options, run};

fn usage(msg: &str) -> ExitCode {
    eprintln!(
        "{msg}\nusage: load [--cases N] [--users N] [--seconds S] [--seed N] [--bin PATH] [--cache-dir DIR]"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    // target/release/examples/load → target/release, target
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(|p| p.parent()).unwrap().to_path_buf();
    let target = profile_dir.parent().unwrap().to_path_buf();
    let mut opts = Options {
        bin: profile_dir.join("wegbereiter"),
        cache_dir: target.join("load-cache"),
        cases: 100_000,
        seed: 1,
        users: 50,
        seconds: 10.0,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let Some(value) = args.next() else {
            return usage(&format!("{arg} needs a value"));
        };
        let bad = || usage(&format!("{arg}: cannot read {value:?}"));
        match arg.as_str() {
            "--cases" => match value.parse() {
                Ok(v) => opts.cases = v,
                Err(_) => return bad(),
            },
            "--users" => match value.parse() {
                Ok(v) if v > 0 => opts.users = v,
                _ => return bad(),
            },
            "--seconds" => match value.parse() {
                Ok(v) if v > 0.0 => opts.seconds = v,
                _ => return bad(),
            },
            "--seed" => match value.parse() {
                Ok(v) => opts.seed = v,
                Err(_) => return bad(),
            },
            "--bin" => opts.bin = PathBuf::from(value),
            "--cache-dir" => opts.cache_dir = PathBuf::from(value),
            _ => return usage(&format!("unknown option {arg}")),
        }
    }
    if !opts.bin.exists() {
        return usage(&format!(
            "{} does not exist: cargo build --release -p wegbereiter-cli",
            opts.bin.display()
        ));
    }
    eprintln!(
        "{} cases (cache {}), {} users, {} s per phase …",
        opts.cases,
        opts.cache_dir.display(),
        opts.users,
        opts.seconds
    );
    let report = match run(&opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("the benchmark failed: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("{}", report.table());
    let (met, lines) = report.judge();
    println!("{lines}");
    for (phase, page, stats) in report.all_pages() {
        for e in &stats.errors {
            println!("{phase}: {page}: {e}");
        }
    }
    if met {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
