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
            };
            app.out().emit(&view, |lang| {
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
                    "{} {} ({since})",
                    tr(lang, "Zeitzone:", "Time zone:"),
                    view.time_zone
                )
            })
        }
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
