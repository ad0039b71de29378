//! `wegbereiter`: the bundled command-line interface.
//!
//! `main` only parses the command line, runs the command and maps the outcome to an exit
//! code, in one place ([`error::CliError::exit_code`]). Usage errors from clap exit with 2,
//! `--help` and `--version` with 0. See `docs/cli.md` for the command reference.

mod app;
mod args;
mod auth;
mod commands;
mod dates;
mod demo;
mod error;
mod files;
mod import;
mod output;
mod passwords;
mod spreadsheet;
mod views;

use std::panic::AssertUnwindSafe;
use std::process::ExitCode;

use clap::Parser;
use clap::error::ContextKind;

use crate::app::{Settings, out_from_args};
use crate::args::{Cli, Format};
use crate::error::{CliError, ValueError};
use crate::output::{Out, tr};

/// mimalloc instead of the system allocator: it gives memory back to the system after a
/// burst (fifty sign-ins at once each take argon2's 19 MiB for a moment), where glibc's
/// allocator kept about 19 MiB per thread that had hashed once (`docs/benchmarks.md`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // A value our own parsers refused (ids, dates, numbers) is reported like every
            // other error: in the chosen language and format, exit 2.
            if let Some(usage) = value_error(&e).or_else(|| usage_error(&e)) {
                report(&usage, out_from_args(std::env::args_os()));
                return ExitCode::from(usage.exit_code());
            }
            // clap prints help and version to stdout (exit 0) and usage errors to stderr
            // (exit 2).
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    // `--db ""` is a mistake, not "the default database" (an empty environment variable is
    // ignored, as shells leave them).
    if empty_db_option(std::env::args_os()) {
        let usage = CliError::Usage(crate::msg!(
            "--db ist leer: bitte einen Dateipfad, sqlite://PFAD oder postgres://… angeben (ohne --db gilt die Standarddatei).",
            "--db is empty: please give a file path, sqlite://PATH or postgres://… (without --db the default file is used)."
        ));
        report(&usage, out_from_args(std::env::args_os()));
        return ExitCode::from(usage.exit_code());
    }
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

/// Whether the command line names `--db` with an empty value.
fn empty_db_option(args: impl Iterator<Item = std::ffi::OsString>) -> bool {
    let args: Vec<std::ffi::OsString> = args.collect();
    args.iter().enumerate().any(|(i, a)| {
        a == "--db=" || (a == "--db" && args.get(i + 1).is_some_and(|v| v.is_empty()))
    })
}

/// Any other clap usage error, in the chosen language and format (exit 2); `None` for help
/// and version output, which clap prints itself.
fn usage_error(e: &clap::Error) -> Option<CliError> {
    use clap::error::ErrorKind;
    let ctx = |kind: ContextKind| e.get(kind).map(ToString::to_string);
    let arg = ctx(ContextKind::InvalidArg).unwrap_or_default();
    let value = ctx(ContextKind::InvalidValue).unwrap_or_default();
    let suggestion = ctx(ContextKind::SuggestedArg)
        .or_else(|| ctx(ContextKind::SuggestedSubcommand))
        .map(|s| {
            (
                format!(" Meinten Sie „{s}“?"),
                format!(" Did you mean “{s}”?"),
            )
        })
        .unwrap_or_default();
    let (de, en) = match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        ErrorKind::InvalidValue => {
            let valid = ctx(ContextKind::ValidValue).unwrap_or_default();
            if value.is_empty() {
                (
                    format!("{arg} braucht einen Wert; erlaubt: {valid}."),
                    format!("{arg} needs a value; allowed: {valid}."),
                )
            } else {
                (
                    format!("Ungültiger Wert „{value}“ für {arg}; erlaubt: {valid}."),
                    format!("Invalid value “{value}” for {arg}; allowed: {valid}."),
                )
            }
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e).map_or_else(String::new, ToString::to_string);
            (
                format!("Ungültiger Wert „{value}“ für {arg}: {why}."),
                format!("Invalid value “{value}” for {arg}: {why}."),
            )
        }
        ErrorKind::UnknownArgument => (
            format!("Unbekannte Option „{arg}“.{}", suggestion.0),
            format!("Unknown option “{arg}”.{}", suggestion.1),
        ),
        ErrorKind::InvalidSubcommand => {
            let sub = ctx(ContextKind::InvalidSubcommand).unwrap_or_default();
            (
                format!("Unbekannter Befehl „{sub}“.{}", suggestion.0),
                format!("Unknown command “{sub}”.{}", suggestion.1),
            )
        }
        ErrorKind::MissingRequiredArgument => (
            format!("Es fehlt eine Pflichtangabe: {arg}."),
            format!("A required argument is missing: {arg}."),
        ),
        ErrorKind::ArgumentConflict => {
            let prior = ctx(ContextKind::PriorArg).unwrap_or_default();
            (
                format!("{arg} kann nicht zusammen mit {prior} verwendet werden."),
                format!("{arg} cannot be used together with {prior}."),
            )
        }
        _ => {
            let raw = e.render().to_string();
            let first = raw.lines().next().unwrap_or_default();
            let first = first.trim_start_matches("error: ").to_owned();
            (format!("Aufruf nicht verständlich: {first}"), first)
        }
    };
    let usage = e
        .get(ContextKind::Usage)
        .map(|u| u.to_string().replace("Usage: ", ""))
        .unwrap_or_default();
    let (de_hint, en_hint) = if usage.is_empty() {
        (
            "Hilfe: wegbereiter --help".to_owned(),
            "Help: wegbereiter --help".to_owned(),
        )
    } else {
        (
            format!("Aufruf: {usage} (mehr mit --help)"),
            format!("Usage: {usage} (more with --help)"),
        )
    };
    Some(CliError::Usage(crate::msg!(
        "{de}\n{de_hint}",
        "{en}\n{en_hint}"
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
