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
use clap::error::ContextKind;

use crate::app::{Settings, out_from_args};
use crate::args::{Cli, Format};
use crate::error::{CliError, ValueError};
use crate::output::{Out, tr};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // A value our own parsers refused (ids, dates, numbers) is reported like every
            // other error: in the chosen language and format, exit 2.
            if let Some(usage) = value_error(&e) {
                report(&usage, out_from_args(std::env::args_os()));
                return ExitCode::from(usage.exit_code());
            }
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

/// A clap error caused by one of our value parsers, as a usage error naming the option and
/// the value; `None` for every other clap error.
fn value_error(e: &clap::Error) -> Option<CliError> {
    let reason = std::error::Error::source(e)?.downcast_ref::<ValueError>()?;
    let arg = e
        .get(ContextKind::InvalidArg)
        .map_or_else(String::new, ToString::to_string);
    let value = e
        .get(ContextKind::InvalidValue)
        .map_or_else(String::new, ToString::to_string);
    let (de, en) = (
        reason.0.get(wegbereiter_core::Lang::De),
        reason.0.get(wegbereiter_core::Lang::En),
    );
    Some(CliError::Usage(crate::msg!(
        "Ungültiger Wert „{value}“ für {arg}: {de}",
        "Invalid value “{value}” for {arg}: {en}"
    )))
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
