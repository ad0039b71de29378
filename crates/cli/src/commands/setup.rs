//! Setting up: `init`, `staff`, `team`, `service`.
//!
//! Staff, teams and the service directory live outside case histories; changing them needs
//! the administrator role and is stamped with who and when ([`AuditStamp`]).

use serde::Serialize;
use wegbereiter_core::prelude::*;
use wegbereiter_core::staff::Role;

use crate::app::{App, Settings, Target, new_uuid};
use crate::args::{InitArgs, ServiceCmd, StaffCmd, TeamCmd, TokenCmd};
use crate::dates::show_time;
use crate::error::CliError;
use crate::msg;
use crate::output::{labels, or_dash, table, tr};
use crate::passwords;

/// Parses a required text field, naming it in the error.
///
/// # Errors
/// [`CliError::Usage`] for empty or oversized text.
pub fn required_text(value: &str, field: &str) -> Result<Text, CliError> {
    Text::parse(value).map_err(|e| {
        let (de, en) = (e.message(Lang::De), e.message(Lang::En));
        CliError::Usage(msg!("{field}: {de}", "{field}: {en}"))
    })
}

/// Parses an optional text field (blank → none).
///
/// # Errors
/// [`CliError::Usage`] for oversized text.
pub fn optional_text(value: Option<&str>, field: &str) -> Result<Option<Text>, CliError> {
    match value {
        None => Ok(None),
        Some(v) => Text::parse_optional(v).map_err(|e| {
            let (de, en) = (e.message(Lang::De), e.message(Lang::En));
            CliError::Usage(msg!("{field}: {de}", "{field}: {en}"))
        }),
    }
}

#[derive(Serialize)]
struct InitView {
    database: String,
    /// The installation's time zone (stored by the first `init`).
    time_zone: String,
    administrator_created: Option<String>,
    administrators: Vec<String>,
    /// The key file with the installation key (encryption at rest), if the database has one.
    key_file: Option<String>,
    /// The id of the installation key.
    installation_key: Option<String>,
}

/// `init`: create or migrate the database; create the first administrator.
///
/// # Errors
/// [`CliError::Conflict`] when an administrator exists and another is asked for; database
/// errors.
pub async fn init(settings: Settings, args: InitArgs) -> Result<(), CliError> {
    let admin = match (&args.admin_login, &args.admin_name) {
        (Some(login), Some(name)) => {
            let login = required_text(login, "--admin-login")?;
            let name = required_text(name, "--admin-name")?;
            Some((login, name))
        }
        _ => None,
    };
    let target = Target::resolve(settings.db.as_deref())?;
    let store = super::open(&settings, true).await?;
    let settings = super::set_up_zone(&store, settings).await?;
    let app = App::new(store, settings);
    let admins: Vec<StaffMember> = app
        .store
        .list_staff()
        .await?
        .into_iter()
        .filter(|s| s.has_role(Role::Administrator))
        .collect();
    let mut created = None;
    if let Some((login, name)) = admin {
        if let Some(existing) = admins.first() {
            let existing = existing.login.as_str();
            return Err(CliError::Conflict(msg!(
                "Die Datenbank ist bereits eingerichtet; es gibt schon eine Administration ({existing}). Weitere Personen mit `wegbereiter --as {existing} staff add …` anlegen.",
                "The database is already set up; an administrator exists ({existing}). Add people with `wegbereiter --as {existing} staff add …`."
            )));
        }
        let prompt = tr(app.lang(), "Passwort", "Password");
        let password = passwords::read_from_stdin(prompt)?;
        let phc = passwords::hash(&password)?;
        let member = StaffMember {
            id: StaffId::from_uuid(new_uuid()),
            login: login.clone(),
            display_name: name,
            roles: vec![Role::Administrator],
            teams: Vec::new(),
            active: true,
        };
        let stamp = app.stamp(None);
        app.store.save_staff(&member, stamp).await?;
        app.store.set_password_hash(member.id, &phc, stamp).await?;
        created = Some(login.to_string());
    }
    let mut names: Vec<String> = admins.iter().map(|a| a.login.to_string()).collect();
    names.extend(created.clone());
    let database = match &target {
        Target::Sqlite(p) => p.display().to_string(),
        Target::Url(u) => redact_url(u),
    };
    let installation_key = app.store.key_id();
    let key_file = installation_key
        .as_ref()
        .and_then(|_| super::key_path(&app.settings, &target))
        .map(|p| p.display().to_string());
    let view = InitView {
        key_file,
        installation_key,
        database,
        time_zone: app.tz().name().to_owned(),
        administrator_created: created,
        administrators: names,
    };
    app.out().emit(&view, |lang| {
        let mut s = format!(
            "{} {}\n{} {}",
            tr(lang, "Datenbank bereit:", "Database ready:"),
            view.database,
            tr(lang, "Zeitzone:", "Time zone:"),
            view.time_zone
        );
        if let (Some(file), Some(id)) = (&view.key_file, &view.installation_key) {
            s.push_str(&format!(
                "\n{} {file} ({id}) – {}",
                tr(lang, "Schlüsseldatei:", "Key file:"),
                tr(
                    lang,
                    "getrennt von der Datenbank sichern, ohne sie ist keine Notiz lesbar",
                    "back it up apart from the database; without it no note can be read"
                )
            ));
        }
        if let Some(login) = &view.administrator_created {
            s.push_str(&format!(
                "\n{} {login}",
                tr(lang, "Administration angelegt:", "Administrator created:")
            ));
        } else if view.administrators.is_empty() {
            s.push_str(tr(
                lang,
                "\nNoch keine Administration: `wegbereiter init --admin-login LOGIN --admin-name NAME` (Passwort über die Standardeingabe).",
                "\nNo administrator yet: `wegbereiter init --admin-login LOGIN --admin-name NAME` (password on stdin).",
            ));
        }
        s
    })
}

/// Hides the password of a database URL.
#[must_use]
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..])
        }
        _ => url.to_owned(),
    }
}

#[derive(Serialize)]
struct StaffView {
    id: StaffId,
    login: String,
    name: String,
    roles: Vec<&'static str>,
    teams: Vec<String>,
    active: bool,
}

fn staff_view(s: &StaffMember, teams: &[Team]) -> StaffView {
    StaffView {
        id: s.id,
        login: s.login.to_string(),
        name: s.display_name.to_string(),
        roles: s.roles.iter().map(|r| r.key()).collect(),
        teams: s
            .teams
            .iter()
            .map(|t| {
                teams
                    .iter()
                    .find(|x| x.id == *t)
                    .map_or_else(|| t.to_string(), |x| x.name.to_string())
            })
            .collect(),
        active: s.active,
    }
}

/// `staff …`.
///
/// # Errors
/// Refused without the administrator role; not found, conflict and storage errors.
pub async fn staff(app: &App, cmd: StaffCmd) -> Result<(), CliError> {
    match cmd {
        StaffCmd::Add {
            login,
            name,
            role,
            team,
            password_stdin,
        } => {
            let admin = app.actor_with_role(Role::Administrator).await?;
            let login = required_text(&login, "--login")?;
            if login.as_str().chars().any(char::is_whitespace) {
                return Err(CliError::Usage(msg!(
                    "--login darf keine Leerzeichen enthalten.",
                    "--login must not contain spaces."
                )));
            }
            let name = required_text(&name, "--name")?;
            // Administration and data protection never come with a case role (core decides).
            wegbereiter_core::staff::check_roles(&role)?;
            if app.store.staff_by_login(login.as_str()).await?.is_some() {
                let l = login.as_str();
                return Err(CliError::Conflict(msg!(
                    "Die Anmeldung „{l}“ ist schon vergeben.",
                    "The login “{l}” is taken."
                )));
            }
            let mut team_ids = Vec::new();
            for t in &team {
                team_ids.push(app.team_by_name(t).await?.id);
            }
            let password = if password_stdin {
                Some(passwords::hash(&passwords::read_from_stdin(tr(
                    app.lang(),
                    "Passwort",
                    "Password",
                ))?)?)
            } else {
                None
            };
            let mut roles = role;
            roles.sort();
            roles.dedup();
            let member = StaffMember {
                id: StaffId::from_uuid(new_uuid()),
                login,
                display_name: name,
                roles,
                teams: team_ids,
                active: true,
            };
            let stamp = app.stamp(Some(&admin));
            match password {
                // The account and its first password in one transaction.
                Some(phc) => app.store.add_staff(&member, &phc, stamp).await?,
                None => app.store.save_staff(&member, stamp).await?,
            }
            let teams = app.store.list_teams().await?;
            let view = staff_view(&member, &teams);
            app.out().emit(&view, |lang| {
                format!(
                    "{} {} ({}): {}",
                    tr(lang, "Angelegt:", "Added:"),
                    view.name,
                    view.login,
                    labels(&member.roles, lang)
                )
            })
        }
        StaffCmd::List => {
            // The directory is for signed-in staff only.
            app.person().await?;
            let staff = app.store.list_staff().await?;
            let teams = app.store.list_teams().await?;
            let views: Vec<StaffView> = staff.iter().map(|s| staff_view(s, &teams)).collect();
            app.out().emit(&views, |lang| {
                let t = |de, en| tr(lang, de, en);
                let mut tb = table(&[
                    t("Anmeldung", "Login"),
                    t("Name", "Name"),
                    t("Rollen", "Roles"),
                    t("Teams", "Teams"),
                    t("Aktiv", "Active"),
                ]);
                for (s, v) in staff.iter().zip(&views) {
                    tb.add_row(vec![
                        v.login.clone(),
                        v.name.clone(),
                        labels(&s.roles, lang),
                        if v.teams.is_empty() {
                            "–".into()
                        } else {
                            v.teams.join(", ")
                        },
                        if s.active {
                            t("ja", "yes")
                        } else {
                            t("nein", "no")
                        }
                        .to_owned(),
                    ]);
                }
                tb.to_string()
            })
        }
        StaffCmd::Deactivate { login } => set_active(app, &login, false).await,
        StaffCmd::Activate { login } => set_active(app, &login, true).await,
    }
}

async fn set_active(app: &App, login: &str, active: bool) -> Result<(), CliError> {
    let admin = app.actor_with_role(Role::Administrator).await?;
    let mut member = app.staff_by_login(login).await?;
    member.active = active;
    // Nobody deactivates their own account (core decides).
    wegbereiter_core::staff::check_account(&admin.as_actor(), &member)?;
    app.store
        .save_staff(&member, app.stamp(Some(&admin)))
        .await?;
    let teams = app.store.list_teams().await?;
    let view = staff_view(&member, &teams);
    app.out().emit(&view, |lang| {
        let what = if active {
            tr(lang, "Wieder aktiviert:", "Reactivated:")
        } else {
            tr(lang, "Deaktiviert:", "Deactivated:")
        };
        format!("{what} {} ({})", view.name, view.login)
    })
}

#[derive(Serialize)]
struct TeamView {
    id: TeamId,
    name: String,
}

/// `team …`.
///
/// # Errors
/// Refused without the administrator role; conflict and storage errors.
pub async fn team(app: &App, cmd: TeamCmd) -> Result<(), CliError> {
    match cmd {
        TeamCmd::Add { name } => {
            let admin = app.actor_with_role(Role::Administrator).await?;
            let team = Team {
                id: TeamId::from_uuid(new_uuid()),
                name: required_text(&name, "NAME")?,
            };
            app.store.save_team(&team, app.stamp(Some(&admin))).await?;
            let view = TeamView {
                id: team.id,
                name: team.name.to_string(),
            };
            app.out().emit(&view, |lang| {
                format!(
                    "{} {}",
                    tr(lang, "Team angelegt:", "Team added:"),
                    view.name
                )
            })
        }
        TeamCmd::List => {
            // The directory is for signed-in staff only.
            app.person().await?;
            let teams = app.store.list_teams().await?;
            let views: Vec<TeamView> = teams
                .iter()
                .map(|t| TeamView {
                    id: t.id,
                    name: t.name.to_string(),
                })
                .collect();
            app.out().emit(&views, |lang| {
                let mut tb = table(&[tr(lang, "Team", "Team"), "Id"]);
                for v in &views {
                    tb.add_row(vec![v.name.clone(), v.id.to_string()]);
                }
                tb.to_string()
            })
        }
    }
}

#[derive(Serialize)]
struct ServiceView {
    id: ServiceId,
    name: String,
    kind: &'static str,
    contact: Option<String>,
    active: bool,
    address: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    opening_hours: Option<String>,
    contact_person: Option<String>,
}

fn service_view(s: &SpecialistService) -> ServiceView {
    let text = |t: &Option<Text>| t.as_ref().map(ToString::to_string);
    ServiceView {
        id: s.id,
        name: s.name.to_string(),
        kind: s.kind.key(),
        contact: text(&s.contact),
        active: s.active,
        address: text(&s.details.address),
        phone: text(&s.details.phone),
        email: text(&s.details.email),
        opening_hours: text(&s.details.opening_hours),
        contact_person: text(&s.details.contact_person),
    }
}

/// `service …`.
///
/// # Errors
/// Refused without the administrator role; not found and storage errors.
pub async fn service(app: &App, cmd: ServiceCmd) -> Result<(), CliError> {
    match cmd {
        ServiceCmd::Add {
            name,
            kind,
            contact,
            address,
            phone,
            email,
            opening_hours,
            contact_person,
        } => {
            let admin = app.actor_with_role(Role::Administrator).await?;
            let email = optional_text(email.as_deref(), "--email")?;
            if let Some(email) = &email {
                wegbereiter_core::referral::check_email(email.as_str()).map_err(|e| {
                    let (de, en) = (e.message(Lang::De), e.message(Lang::En));
                    CliError::Usage(msg!("--email: {de}", "--email: {en}"))
                })?;
            }
            let service = SpecialistService {
                id: ServiceId::from_uuid(new_uuid()),
                name: required_text(&name, "--name")?,
                kind,
                contact: optional_text(contact.as_deref(), "--contact")?,
                active: true,
                details: ServiceDetails {
                    address: optional_text(address.as_deref(), "--address")?,
                    phone: optional_text(phone.as_deref(), "--phone")?,
                    email,
                    opening_hours: optional_text(opening_hours.as_deref(), "--opening-hours")?,
                    contact_person: optional_text(contact_person.as_deref(), "--contact-person")?,
                },
            };
            app.store
                .save_service(&service, app.stamp(Some(&admin)))
                .await?;
            let view = service_view(&service);
            app.out().emit(&view, |lang| {
                format!(
                    "{} {} ({})\n{}",
                    tr(lang, "Fachstelle angelegt:", "Service added:"),
                    view.name,
                    kind.label(lang),
                    view.id
                )
            })
        }
        ServiceCmd::List => {
            // The directory is for signed-in staff only.
            app.person().await?;
            let services = app.store.list_services().await?;
            let views: Vec<ServiceView> = services.iter().map(service_view).collect();
            app.out().emit(&views, |lang| {
                let t = |de, en| tr(lang, de, en);
                let mut tb = table(&[
                    t("Fachstelle", "Service"),
                    t("Art", "Kind"),
                    t("Adresse", "Address"),
                    t("Telefon", "Phone"),
                    t("E-Mail", "E-mail"),
                    t("Öffnungszeiten", "Opening hours"),
                    t("Ansprechperson", "Contact person"),
                    t("Hinweise", "Notes"),
                    t("Aktiv", "Active"),
                    "Id",
                ]);
                for (s, v) in services.iter().zip(&views) {
                    tb.add_row(vec![
                        v.name.clone(),
                        s.kind.label(lang).to_owned(),
                        or_dash(v.address.as_deref()),
                        or_dash(v.phone.as_deref()),
                        or_dash(v.email.as_deref()),
                        or_dash(v.opening_hours.as_deref()),
                        or_dash(v.contact_person.as_deref()),
                        or_dash(v.contact.as_deref()),
                        if s.active {
                            t("ja", "yes")
                        } else {
                            t("nein", "no")
                        }
                        .to_owned(),
                        v.id.to_string(),
                    ]);
                }
                tb.to_string()
            })
        }
        ServiceCmd::Deactivate { service } => {
            let admin = app.actor_with_role(Role::Administrator).await?;
            let mut s = app.service_by_ref(&service).await?;
            s.active = false;
            app.store.save_service(&s, app.stamp(Some(&admin))).await?;
            let view = service_view(&s);
            app.out().emit(&view, |lang| {
                format!("{} {}", tr(lang, "Deaktiviert:", "Deactivated:"), view.name)
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_passwords_are_not_shown() {
        assert_eq!(
            redact_url("postgres://wb:geheim@db.example:5432/wb"),
            "postgres://wb:***@db.example:5432/wb"
        );
        assert_eq!(
            redact_url("postgres://localhost/wb"),
            "postgres://localhost/wb"
        );
    }
}

#[derive(Serialize)]
struct TokenView {
    id: uuid::Uuid,
    name: String,
    created_at: chrono::DateTime<chrono::Utc>,
    expires_at: chrono::DateTime<chrono::Utc>,
    revoked_at: Option<chrono::DateTime<chrono::Utc>>,
    /// `valid`, `expired` or `revoked`.
    state: &'static str,
    /// `read`, `write` or `admin`: what it may do in the JSON API.
    scope: &'static str,
}

fn token_view(
    t: &wegbereiter_storage::PersonalToken,
    now: chrono::DateTime<chrono::Utc>,
) -> TokenView {
    let state = if t.revoked_at.is_some() {
        "revoked"
    } else if t.is_valid_at(now) {
        "valid"
    } else {
        "expired"
    };
    TokenView {
        id: t.id,
        name: t.name.clone(),
        created_at: t.created_at,
        expires_at: t.expires_at,
        revoked_at: t.revoked_at,
        state,
        scope: t.scope.key(),
    }
}

/// A new token secret: 32 bytes from a cryptographically secure generator seeded by the
/// operating system, hex-encoded behind a recognisable prefix (so that secret scanners and
/// people can tell what leaked).
fn new_secret() -> String {
    use std::fmt::Write as _;
    let bytes: [u8; 32] = rand::random();
    bytes.iter().fold(String::from("wbt_"), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// `token …`: the signed-in person's personal access tokens.
///
/// # Errors
/// As [`App::person`]; [`CliError::Forbidden`] when a token is used to create another;
/// not found for an unknown or foreign token id; storage errors.
pub async fn token(app: &App, cmd: TokenCmd) -> Result<(), CliError> {
    let signed_in = app.signed_in().await?;
    let me = &signed_in.member;
    // Tokens expire by the real clock: `--today` never extends one.
    let now = chrono::Utc::now();
    let stamp = AuditStamp {
        actor: Some(me.id),
        at: now,
    };
    match cmd {
        TokenCmd::Create {
            name,
            days,
            scope,
            quiet,
        } => {
            if signed_in.method != crate::auth::Method::Password {
                return Err(CliError::Forbidden(msg!(
                    "Ein neues Zugangstoken nur mit Passwort: bitte ohne WEGBEREITER_TOKEN anmelden.",
                    "A new access token needs the password: please sign in without WEGBEREITER_TOKEN."
                )));
            }
            let name = required_text(&name, "--name")?;
            let token = wegbereiter_storage::PersonalToken {
                id: new_uuid(),
                staff: me.id,
                name: name.to_string(),
                created_at: now,
                expires_at: now + chrono::Duration::days(i64::from(days)),
                revoked_at: None,
                scope,
            };
            let secret = new_secret();
            app.store.token_create(&token, &secret, stamp).await?;
            if quiet {
                return app.out().emit(&secret, |_| secret.clone());
            }
            #[derive(Serialize)]
            struct Created<'a> {
                #[serde(flatten)]
                token: TokenView,
                secret: &'a str,
            }
            let view = Created {
                token: token_view(&token, now),
                secret: &secret,
            };
            app.out().emit(&view, |lang| {
                format!(
                    "{}\n{secret}\n{}",
                    tr(
                        lang,
                        "Zugangstoken angelegt; es wird nur dieses eine Mal angezeigt:",
                        "Access token created; it is shown only this once:"
                    ),
                    tr(
                        lang,
                        "Verwendung: export WEGBEREITER_TOKEN=… (nie als Argument auf der Kommandozeile).",
                        "Use: export WEGBEREITER_TOKEN=… (never as an argument on the command line)."
                    )
                )
            })
        }
        TokenCmd::List => {
            let tokens = app.store.tokens_of(me.id).await?;
            let views: Vec<TokenView> = tokens.iter().map(|t| token_view(t, now)).collect();
            app.out().emit(&views, |lang| {
                let t = |de, en| tr(lang, de, en);
                let mut tb = table(&[
                    t("Name", "Name"),
                    t("Angelegt", "Created"),
                    t("Läuft ab", "Expires"),
                    t("Stand", "State"),
                    "Id",
                ]);
                for v in &views {
                    tb.add_row(vec![
                        v.name.clone(),
                        show_time(v.created_at, app.tz(), lang),
                        show_time(v.expires_at, app.tz(), lang),
                        match v.state {
                            "valid" => t("gültig", "valid"),
                            "expired" => t("abgelaufen", "expired"),
                            _ => t("widerrufen", "revoked"),
                        }
                        .to_owned(),
                        v.id.to_string(),
                    ]);
                }
                tb.to_string()
            })
        }
        TokenCmd::Revoke { id } => {
            if !app.store.token_revoke(id, me.id, stamp).await? {
                return Err(CliError::NotFound(msg!(
                    "Sie haben kein gültiges Zugangstoken {id} (siehe `wegbereiter token list`).",
                    "You have no valid access token {id} (see `wegbereiter token list`)."
                )));
            }
            app.out()
                .emit(&serde_json::json!({ "revoked": id }), |lang| {
                    format!("{} {id}", tr(lang, "Widerrufen:", "Revoked:"))
                })
        }
    }
}
