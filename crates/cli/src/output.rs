//! Output: one JSON document or readable text on stdout; warnings and progress on stderr.
//!
//! Every command emits its result exactly once through [`Out::emit`], so `--format json`
//! always yields one JSON document. Text uses [`comfy_table`] tables and the domain's
//! German/English labels ([`wegbereiter_core::Labelled::label`]).

use std::io::Write;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use serde::Serialize;
use wegbereiter_core::{Labelled, Lang};

use crate::args::Format;
use crate::error::{CliError, Msg};

/// Picks the German or English wording.
#[must_use]
pub fn tr(lang: Lang, de: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::De => de,
        Lang::En => en,
    }
}

/// The label of a vocabulary value in `lang`.
#[must_use]
pub fn label<T: Labelled>(value: T, lang: Lang) -> &'static str {
    value.label(lang)
}

/// Labels of several vocabulary values, comma-separated; `–` when empty.
#[must_use]
pub fn labels<T: Labelled>(values: &[T], lang: Lang) -> String {
    if values.is_empty() {
        return "–".to_owned();
    }
    values
        .iter()
        .map(|v| v.label(lang))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `–` for absent text.
#[must_use]
pub fn or_dash(value: Option<&str>) -> String {
    value.map_or_else(|| "–".to_owned(), str::to_owned)
}

/// Where and how results are written.
#[derive(Debug, Clone, Copy)]
pub struct Out {
    /// Language of text and messages.
    pub lang: Lang,
    /// Output format.
    pub format: Format,
}

impl Out {
    /// Writes the result of a command: `value` as JSON, or the text `text` builds.
    ///
    /// # Errors
    /// [`CliError::Internal`] if stdout cannot be written or the value cannot be serialised.
    pub fn emit<T: Serialize>(
        &self,
        value: &T,
        text: impl FnOnce(Lang) -> String,
    ) -> Result<(), CliError> {
        let rendered = match self.format {
            Format::Json => serde_json::to_string_pretty(value).map_err(|e| {
                CliError::Internal(Msg::new(
                    format!("JSON-Ausgabe fehlgeschlagen: {e}"),
                    format!("JSON output failed: {e}"),
                ))
            })?,
            Format::Text => text(self.lang),
        };
        let mut stdout = std::io::stdout().lock();
        let result = if rendered.ends_with('\n') {
            stdout.write_all(rendered.as_bytes())
        } else {
            writeln!(stdout, "{rendered}")
        };
        match result.and_then(|()| stdout.flush()) {
            Ok(()) => Ok(()),
            // A closed pipe (`| head`) is not an error of ours.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Writes a warning to stderr (in both formats; stdout stays one document).
    pub fn warn(&self, message: &Msg) {
        let prefix = tr(self.lang, "Warnung", "warning");
        eprintln!("{prefix}: {}", message.get(self.lang));
    }
}

/// A table in the house style with `headers`.
#[must_use]
pub fn table(headers: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(headers.iter().copied());
    t
}

/// A two-column key/value table without a header.
#[must_use]
pub fn fields(rows: &[(&str, String)]) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    for (k, v) in rows {
        t.add_row(vec![(*k).to_owned(), v.clone()]);
    }
    t
}

/// "Fall"/"Fälle", "case"/"cases" for `n`.
#[must_use]
pub fn cases_word(n: impl Into<u64>, lang: Lang) -> &'static str {
    match (n.into() == 1, lang) {
        (true, Lang::De) => "Fall",
        (false, Lang::De) => "Fälle",
        (true, Lang::En) => "case",
        (false, Lang::En) => "cases",
    }
}
