//! `wegbereiter`: the bundled command-line interface.
//!
//! `main` only parses the command line, runs the command and maps the outcome to an exit
//! code, in one place ([`error::CliError::exit_code`]). Usage errors from clap exit with 2,
//! `--help` and `--version` with 0. See `docs/cli.md` for the command reference.

mod app;
mod args;
mod commands;
mod dates;
mod demo;
mod error;
mod import;
mod output;
mod passwords;
mod views;

use std::panic::AssertUnwindSafe;
use std::process::ExitCode;

use clap::Parser;

use crate::app::Settings;
use crate::args::{Cli, Format};
use crate::error::CliError;
use crate::output::{Out, tr};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout (exit 0) and usage errors to stderr
            // (exit 2).
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let settings = Settings::from_global(&cli.global);
    let out = settings.out;
    // A bug must not print a stack trace at people: report it as an internal error.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("wegbereiter: internal error: {info}");
    }));
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(CliError::from)
            .and_then(|runtime| runtime.block_on(commands::run(cli, settings)))
    }))
    .unwrap_or_else(|_| {
        Err(CliError::Internal(crate::msg!(
            "Unerwarteter Programmfehler; bitte melden.",
            "Unexpected program error; please report it."
        )))
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report(&e, out);
            ExitCode::from(e.exit_code())
        }
    }
}

/// Writes an error to stderr: a sentence in text mode, a JSON object in JSON mode.
fn report(e: &CliError, out: Out) {
    match out.format {
        Format::Text => eprintln!(
            "{}: {}",
            tr(out.lang, "Fehler", "error"),
            e.message(out.lang)
        ),
        Format::Json => {
            let doc = serde_json::json!({
                "error": {
                    "kind": e.kind(),
                    "exit_code": e.exit_code(),
                    "rule": e.rule(),
                    "message": e.message(out.lang),
                }
            });
            eprintln!("{doc}");
        }
    }
}
