//! `settings`: the installation's settings, stored in the database so that every command and
//! every `serve` over it uses the same (see `wegbereiter_storage`'s settings).
//!
//! `settings show` needs no sign-in (a time zone is no secret); `settings set` needs an
//! administrator and is recorded in the audit log.

use chrono::{DateTime, Utc};
use serde::Serialize;
use wegbereiter_core::staff::Role;

use crate::app::App;
use crate::args::{SettingsCmd, SettingsSetCmd};
use crate::dates::show_time;
use crate::error::CliError;
use crate::output::tr;

#[derive(Serialize)]
struct SettingsView {
    /// The IANA name in force.
    time_zone: String,
    /// Whether the database names it (`false`: the default, Europe/Berlin).
    time_zone_stored: bool,
    /// When it was last set, if it is stored.
    time_zone_changed_at: Option<DateTime<Utc>>,
    /// The table of rural postcodes (EECO17), if one is loaded.
    rural_postcodes: Option<RuralView>,
}

#[derive(Serialize)]
struct RuralView {
    source: String,
    postcodes: usize,
    rural: usize,
}

impl RuralView {
    fn of(t: &wegbereiter_core::esf::RuralPostcodes) -> Self {
        Self {
            source: t.source.clone(),
            postcodes: t.postcodes.len(),
            rural: t.rural_count(),
        }
    }

    fn text(&self, lang: wegbereiter_core::Lang) -> String {
        format!(
            "{} {} ({} {}); {} {}",
            self.postcodes,
            tr(lang, "Postleitzahlen, davon", "postcodes, of which"),
            self.rural,
            tr(lang, "ländlich", "rural"),
            tr(lang, "Quelle:", "source:"),
            self.source
        )
    }
}

#[derive(Serialize)]
struct ChangedView {
    time_zone: String,
    previous: String,
}

/// Runs `settings …`.
///
/// # Errors
/// `set`: as [`App::actor_with_role`] (an administrator must sign in); storage errors.
pub async fn run(app: &App, cmd: SettingsCmd) -> Result<(), CliError> {
    match cmd {
        SettingsCmd::Show => {
            let stored = app.store.stored_time_zone().await?;
            let view = SettingsView {
                time_zone: app.tz().name().to_owned(),
                time_zone_stored: stored.is_some(),
                time_zone_changed_at: stored.map(|s| s.changed_at),
                rural_postcodes: app
                    .store
                    .rural_postcodes()
                    .await?
                    .as_ref()
                    .map(RuralView::of),
            };
            app.out().emit(&view, |lang| {
                let rural = format!(
                    "\n{} {}",
                    tr(
                        lang,
                        "Ländliche Postleitzahlen (EECO17):",
                        "Rural postcodes (EECO17):"
                    ),
                    view.rural_postcodes.as_ref().map_or_else(
                        || tr(lang, "keine Tabelle geladen", "no table loaded").to_owned(),
                        |r| r.text(lang)
                    )
                );
                let since = match view.time_zone_changed_at {
                    Some(at) => format!(
                        "{} {}",
                        tr(lang, "gesetzt am", "set on"),
                        show_time(at, app.tz(), lang)
                    ),
                    None => tr(
                        lang,
                        "Voreinstellung, nicht in der Datenbank gespeichert",
                        "default, not stored in the database",
                    )
                    .to_owned(),
                };
                format!(
                    "{} {} ({since}){rural}",
                    tr(lang, "Zeitzone:", "Time zone:"),
                    view.time_zone
                )
            })
        }
        SettingsCmd::Set(SettingsSetCmd::RuralPostcodes {
            file,
            source,
            clear,
        }) => rural_postcodes(app, file, source, clear).await,
        SettingsCmd::Set(SettingsSetCmd::TimeZone { zone }) => {
            let admin = app.actor_with_role(Role::Administrator).await?;
            let previous = app
                .store
                .set_time_zone(zone, app.stamp(Some(&admin)))
                .await?;
            let view = ChangedView {
                time_zone: zone.name().to_owned(),
                previous: previous.name().to_owned(),
            };
            app.out().emit(&view, |lang| {
                if previous == zone {
                    format!(
                        "{} {}",
                        tr(
                            lang,
                            "Unverändert; die Installation rechnet schon in",
                            "Unchanged; the installation already counts in"
                        ),
                        view.time_zone
                    )
                } else {
                    format!(
                        "{} {} ({} {}). {}",
                        tr(lang, "Zeitzone der Installation:", "The installation's time zone:"),
                        view.time_zone,
                        tr(lang, "vorher", "before"),
                        view.previous,
                        tr(
                            lang,
                            "Sie gilt ab dem nächsten Befehl; ein laufender Server (`serve`) übernimmt sie beim nächsten Start.",
                            "It applies from the next command on; a running server (`serve`) takes it on at its next start."
                        )
                    )
                }
            })
        }
    }
}

/// `settings set rural-postcodes FILE --source … | --clear` (administrator; audited). A file
/// that is not such a table is a usage error naming its line, and nothing is stored.
async fn rural_postcodes(
    app: &App,
    file: Option<std::path::PathBuf>,
    source: Option<String>,
    clear: bool,
) -> Result<(), CliError> {
    use crate::error::Msg;
    let table = if clear {
        None
    } else {
        let (Some(file), Some(source)) = (file, source) else {
            return Err(CliError::Usage(crate::msg!(
                "Bitte eine Datei und --source angeben, oder --clear.",
                "Give a file and --source, or --clear."
            )));
        };
        let text = std::fs::read_to_string(&file).map_err(|e| {
            let path = file.display();
            CliError::Usage(crate::msg!(
                "Die Datei {path} kann nicht gelesen werden: {e}",
                "Cannot read the file {path}: {e}"
            ))
        })?;
        let table = wegbereiter_core::esf::RuralPostcodes::parse(&text, &source).map_err(|e| {
            CliError::Usage(Msg::new(
                e.message(wegbereiter_core::Lang::De),
                e.message(wegbereiter_core::Lang::En),
            ))
        })?;
        Some(table)
    };
    let admin = app.actor_with_role(Role::Administrator).await?;
    app.store
        .set_rural_postcodes(table.as_ref(), app.stamp(Some(&admin)))
        .await?;
    let view = table.as_ref().map(RuralView::of);
    app.out().emit(&view, |lang| match &view {
        Some(v) => format!(
            "{} {}",
            tr(lang, "Tabelle geladen:", "Table loaded:"),
            v.text(lang)
        ),
        None => tr(lang, "Tabelle entfernt.", "Table removed.").to_owned(),
    })
}
