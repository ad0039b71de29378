//! Administration: staff (with roles, teams, passwords), teams and the service directory.
//! Administrators never see case contents.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use uuid::Uuid;
use wegbereiter_core::ports::{AuditStamp, StorageError};
use wegbereiter_core::prelude::*;

use super::auth::check_password;
use super::{ok, page, see_other};
use crate::AppState;
use crate::access;
use crate::context::{Auth, FormData, ReqCtx};
use crate::error::AppError;
use crate::forms::{Errors, Invalid, Reader};
use crate::i18n::Tr;
use crate::passwords;
use crate::views::{FormState, Layout, Opt, opts};

fn guard(user: &StaffMember) -> Result<(), AppError> {
    if access::can_administer(&user.as_actor()) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A staff member in the list.
#[derive(Debug, Clone)]
pub struct StaffRow {
    /// Link.
    pub href: String,
    /// Name.
    pub name: String,
    /// Login.
    pub login: String,
    /// Roles.
    pub roles: String,
    /// Teams.
    pub teams: String,
    /// Active.
    pub active: bool,
}

/// A directory entry.
#[derive(Debug, Clone)]
pub struct ServiceRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind key.
    pub kind_key: &'static str,
    /// Kind.
    pub kind: &'static str,
    /// Further contact notes.
    pub contact: String,
    /// Active.
    pub active: bool,
    /// Address, phone, e-mail, opening hours, contact person: (field name, label key,
    /// value), in the order the forms and the directory show them.
    pub details: Vec<(&'static str, &'static str, String)>,
}

/// The detail fields of a directory entry: form field name and label key.
pub const DETAIL_FIELDS: [(&str, &str); 5] = [
    ("address", "service.address"),
    ("phone", "service.phone"),
    ("email", "service.email"),
    ("opening_hours", "service.opening_hours"),
    ("contact_person", "service.contact_person"),
];

/// The details of `service` in [`DETAIL_FIELDS`] order, "" where none is known.
#[must_use]
pub fn detail_values(service: &SpecialistService) -> Vec<(&'static str, &'static str, String)> {
    let d = &service.details;
    let values = [
        &d.address,
        &d.phone,
        &d.email,
        &d.opening_hours,
        &d.contact_person,
    ];
    DETAIL_FIELDS
        .iter()
        .zip(values)
        .map(|((name, label), v)| {
            (
                *name,
                *label,
                v.as_ref().map(ToString::to_string).unwrap_or_default(),
            )
        })
        .collect()
}

/// Reads the detail fields of the service form, every problem at once into `e` (the e-mail
/// address checked with core's `referral::check_email`).
fn read_details(r: &Reader<'_>, e: &mut Errors) -> ServiceDetails {
    let mut field = |name: &str, label: &str| e.take(r.opt_text(name, label)).flatten();
    let address = field("address", "service.address");
    let phone = field("phone", "service.phone");
    let email = field("email", "service.email");
    let opening_hours = field("opening_hours", "service.opening_hours");
    let contact_person = field("contact_person", "service.contact_person");
    if let Some(email) = &email
        && let Err(err) = wegbereiter_core::referral::check_email(email.as_str())
    {
        e.push(Invalid::field(
            "email",
            format!("{}: {}", r.tr.t("service.email"), err.message(r.tr.0)),
        ));
    }
    ServiceDetails {
        address,
        phone,
        email,
        opening_hours,
        contact_person,
    }
}

#[derive(Template)]
#[template(path = "admin_index.html")]
struct IndexPage {
    l: Layout,
    staff: usize,
    teams: usize,
    services: usize,
}

#[derive(Template)]
#[template(path = "admin_staff.html")]
struct StaffPage {
    l: Layout,
    f: FormState,
    rows: Vec<StaffRow>,
    roles: Vec<Opt>,
    teams: Vec<Opt>,
}

#[derive(Template)]
#[template(path = "admin_staff_edit.html")]
struct StaffEditPage {
    l: Layout,
    f: FormState,
    id: String,
    name: String,
    login: String,
    active: bool,
    roles: Vec<(Opt, bool)>,
    teams: Vec<(Opt, bool)>,
}

#[derive(Template)]
#[template(path = "admin_teams.html")]
struct TeamsPage {
    l: Layout,
    f: FormState,
    teams: Vec<Opt>,
}

#[derive(Template)]
#[template(path = "admin_services.html")]
struct ServicesPage {
    l: Layout,
    f: FormState,
    rows: Vec<ServiceRow>,
    kinds: Vec<Opt>,
    details: [(&'static str, &'static str); 5],
}

/// GET /admin
pub async fn index(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
) -> Result<Response, AppError> {
    guard(&user)?;
    ok(&IndexPage {
        l: Layout::new(&ctx, "admin.title", "admin"),
        staff: state.backend.list_staff().await?.len(),
        teams: state.backend.list_teams().await?.len(),
        services: state.backend.list_services().await?.len(),
    })
}

async fn team_opts(state: &AppState) -> Result<Vec<Opt>, AppError> {
    Ok(state
        .backend
        .list_teams()
        .await?
        .into_iter()
        .map(|t| Opt::new(t.id.to_string(), t.name.to_string()))
        .collect())
}

async fn staff_page(state: &AppState, ctx: &ReqCtx, f: FormState) -> Result<StaffPage, AppError> {
    let lang = ctx.lang;
    let teams = team_opts(state).await?;
    let rows = state
        .backend
        .list_staff()
        .await?
        .into_iter()
        .map(|s| StaffRow {
            href: format!("/admin/staff/{}", s.id),
            name: s.display_name.to_string(),
            login: s.login.to_string(),
            roles: s
                .roles
                .iter()
                .map(|r| r.label(lang))
                .collect::<Vec<_>>()
                .join(", "),
            teams: s
                .teams
                .iter()
                .filter_map(|t| {
                    teams
                        .iter()
                        .find(|o| o.value == t.to_string())
                        .map(|o| o.label.clone())
                })
                .collect::<Vec<_>>()
                .join(", "),
            active: s.active,
        })
        .collect();
    Ok(StaffPage {
        l: Layout::new(ctx, "admin.staff", "admin"),
        f,
        rows,
        roles: opts::<Role>(lang),
        teams,
    })
}

/// GET /admin/staff
pub async fn staff_list(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
) -> Result<Response, AppError> {
    guard(&user)?;
    ok(&staff_page(&state, &ctx, FormState::default()).await?)
}

fn without_passwords(form: &FormData) -> Vec<(String, String)> {
    form.values()
        .into_iter()
        .filter(|(k, _)| !k.starts_with("password"))
        .collect()
}

/// Reads the staff form; `known_teams` are the teams that exist (an unknown team id is
/// refused, never stored).
fn read_staff(
    r: &Reader<'_>,
    id: StaffId,
    active: bool,
    known_teams: &[Opt],
) -> Result<StaffMember, Invalid> {
    let roles: Vec<Role> = r.choices("roles", "staff.roles")?;
    if roles.is_empty() {
        return Err(r.unchosen("roles", "staff.roles"));
    }
    wegbereiter_core::staff::check_roles(&roles)
        .map_err(|e| Invalid::field("roles", e.message(r.tr.0)))?;
    let mut teams: Vec<TeamId> = Vec::new();
    for t in r.form.all("teams") {
        let team: TeamId = t.parse().map_err(|_| r.unchosen("teams", "staff.teams"))?;
        if !known_teams.iter().any(|o| o.value == team.to_string()) {
            return Err(r.unchosen("teams", "staff.teams"));
        }
        if !teams.contains(&team) {
            teams.push(team);
        }
    }
    Ok(StaffMember {
        id,
        login: r.text("login", "staff.login")?,
        display_name: r.text("display_name", "staff.display_name")?,
        roles,
        teams,
        active,
    })
}

/// Hashes a new password (argon2id) before anything is written, so that a failure leaves
/// nothing half saved.
async fn hash_password(state: &AppState, form: &FormData) -> Result<String, AppError> {
    passwords::hash(&state.passwords, form.get_raw("password"))
        .await
        .map_err(AppError::Internal)
}

fn stamp(user: &StaffMember, ctx: &ReqCtx) -> AuditStamp {
    AuditStamp {
        actor: Some(user.id),
        at: ctx.now,
    }
}

fn save_error(e: StorageError, tr: Tr) -> Result<String, AppError> {
    match e {
        StorageError::AlreadyExists(_) => Ok(tr.t("admin.exists").to_owned()),
        other => Err(other.into()),
    }
}

/// POST /admin/staff: a new staff member with a first password.
pub async fn staff_create(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    form: FormData,
) -> Result<Response, AppError> {
    guard(&user)?;
    let tr = Tr(ctx.lang);
    let r = Reader::new(&form, tr);
    let refuse = |msg: Invalid| async {
        let p = staff_page(
            &state,
            &ctx,
            FormState::refused("staff", without_passwords(&form), msg),
        )
        .await?;
        page(StatusCode::UNPROCESSABLE_ENTITY, &p)
    };
    let known_teams = team_opts(&state).await?;
    let staff = match read_staff(&r, StaffId::from_uuid(Uuid::now_v7()), true, &known_teams) {
        Ok(s) => s,
        Err(m) => return refuse(m).await,
    };
    if let Err(m) = check_password(&form, tr) {
        return refuse(m.into()).await;
    }
    let phc = hash_password(&state, &form).await?;
    // The account and its first password in one transaction.
    if let Err(e) = state
        .backend
        .add_staff(&staff, &phc, stamp(&user, &ctx))
        .await
    {
        let m = save_error(e, tr)?;
        return refuse(m.into()).await;
    }
    ctx.flash(tr.t("admin.saved")).await;
    Ok(see_other("/admin/staff"))
}

async fn edit_page(
    state: &AppState,
    ctx: &ReqCtx,
    staff: &StaffMember,
    f: FormState,
) -> Result<StaffEditPage, AppError> {
    let teams = team_opts(state).await?;
    Ok(StaffEditPage {
        l: Layout::new(ctx, "admin.staff_edit", "admin"),
        f,
        id: staff.id.to_string(),
        name: staff.display_name.to_string(),
        login: staff.login.to_string(),
        active: staff.active,
        roles: Role::ALL
            .iter()
            .map(|r| {
                (
                    Opt::new(r.key(), r.label(ctx.lang)),
                    staff.roles.contains(r),
                )
            })
            .collect(),
        teams: teams
            .into_iter()
            .map(|t| {
                let member = staff.teams.iter().any(|x| x.to_string() == t.value);
                (t, member)
            })
            .collect(),
    })
}

async fn load_staff(state: &AppState, id: &str) -> Result<StaffMember, AppError> {
    let id: StaffId = id.parse().map_err(|_| AppError::NotFound)?;
    state.backend.staff(id).await?.ok_or(AppError::NotFound)
}

/// GET /admin/staff/{id}
pub async fn staff_edit(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    guard(&user)?;
    let staff = load_staff(&state, &id).await?;
    ok(&edit_page(&state, &ctx, &staff, FormState::default()).await?)
}

/// POST /admin/staff/{id}
pub async fn staff_update(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    guard(&user)?;
    let tr = Tr(ctx.lang);
    let existing = load_staff(&state, &id).await?;
    let r = Reader::new(&form, tr);
    let active = r.flag("active");
    let refuse = |msg: Invalid| async {
        let p = edit_page(
            &state,
            &ctx,
            &existing,
            FormState::refused("staff_edit", without_passwords(&form), msg),
        )
        .await?;
        page(StatusCode::UNPROCESSABLE_ENTITY, &p)
    };
    let known_teams = team_opts(&state).await?;
    let staff = match read_staff(&r, existing.id, active, &known_teams) {
        Ok(s) => s,
        Err(m) => return refuse(m).await,
    };
    // Administrators cannot lock themselves out (core decides).
    if let Err(e) = wegbereiter_core::staff::check_account(&user.as_actor(), &staff) {
        return refuse(e.message(tr.0).into()).await;
    }
    let new_password = !form.get_raw("password").is_empty();
    if new_password && let Err(m) = check_password(&form, tr) {
        return refuse(m.into()).await;
    }
    let phc = if new_password {
        Some(hash_password(&state, &form).await?)
    } else {
        None
    };
    let stamp = stamp(&user, &ctx);
    if let Err(e) = state.backend.save_staff(&staff, stamp).await {
        let m = save_error(e, tr)?;
        return refuse(m.into()).await;
    }
    if let Some(phc) = phc {
        state
            .backend
            .set_password_hash(staff.id, &phc, stamp)
            .await?;
        // The new password ended every session of the person, this one included when
        // administrators change their own: they go on in a fresh session.
        if staff.id == user.id {
            super::auth::start_session(&ctx, user.id).await?;
        }
    }
    ctx.flash(tr.t("admin.saved")).await;
    Ok(see_other("/admin/staff"))
}

/// POST /admin/staff/{id}/throttle: forgets every failed sign-in of the person, from every
/// address, so that a sign-in slowed down by throttling works at once. Audited.
pub async fn lift_throttle(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    guard(&user)?;
    let staff = load_staff(&state, &id).await?;
    state
        .backend
        .login_failures_clear(staff.login.as_str(), None)
        .await?;
    state
        .backend
        .audit(crate::AuditLine {
            at: ctx.now,
            actor: Some(user.id),
            action: "staff.throttle_lifted".into(),
            subject: wegbereiter_storage::AuditSubject::Staff {
                id: staff.id,
                login: Some(staff.login.to_string()),
            },
        })
        .await?;
    ctx.flash(Tr(ctx.lang).t("admin.throttle_lifted")).await;
    Ok(see_other(&format!("/admin/staff/{}", staff.id)))
}

/// GET /admin/teams
pub async fn teams(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
) -> Result<Response, AppError> {
    guard(&user)?;
    ok(&TeamsPage {
        l: Layout::new(&ctx, "admin.teams", "admin"),
        f: FormState::default(),
        teams: team_opts(&state).await?,
    })
}

/// POST /admin/teams: create (no `id`) or rename a team.
pub async fn team_save(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    form: FormData,
) -> Result<Response, AppError> {
    guard(&user)?;
    let tr = Tr(ctx.lang);
    let r = Reader::new(&form, tr);
    let form_id = if form.get("id").is_empty() {
        "team".to_owned()
    } else {
        format!("team-{}", form.get("id"))
    };
    let is_new = form.get("id").is_empty();
    let result = (|| {
        let id = if is_new {
            TeamId::from_uuid(Uuid::now_v7())
        } else {
            r.id("id", "team.name")?
        };
        Ok::<_, Invalid>(Team {
            id,
            name: r.text("name", "team.name")?,
        })
    })();
    // Renaming names an existing team; an unknown id never creates one.
    if let Ok(team) = &result
        && !is_new
        && state.backend.team(team.id).await?.is_none()
    {
        return Err(AppError::NotFound);
    }
    let msg = match result {
        Ok(team) => match state.backend.save_team(&team, stamp(&user, &ctx)).await {
            Ok(()) => {
                ctx.flash(tr.t("admin.saved")).await;
                return Ok(see_other("/admin/teams"));
            }
            Err(e) => Invalid::from(save_error(e, tr)?),
        },
        Err(m) => m,
    };
    page(
        StatusCode::UNPROCESSABLE_ENTITY,
        &TeamsPage {
            l: Layout::new(&ctx, "admin.teams", "admin"),
            f: FormState::refused(&form_id, form.values(), msg),
            teams: team_opts(&state).await?,
        },
    )
}

async fn services_page(
    state: &AppState,
    ctx: &ReqCtx,
    f: FormState,
) -> Result<ServicesPage, AppError> {
    let lang = ctx.lang;
    Ok(ServicesPage {
        l: Layout::new(ctx, "admin.services", "admin"),
        f,
        rows: state
            .backend
            .list_services()
            .await?
            .into_iter()
            .map(|s| ServiceRow {
                id: s.id.to_string(),
                name: s.name.to_string(),
                kind_key: s.kind.key(),
                kind: s.kind.label(lang),
                contact: s
                    .contact
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                active: s.active,
                details: detail_values(&s),
            })
            .collect(),
        kinds: opts::<ServiceKind>(lang),
        details: DETAIL_FIELDS,
    })
}

/// GET /admin/services
pub async fn services(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
) -> Result<Response, AppError> {
    guard(&user)?;
    ok(&services_page(&state, &ctx, FormState::default()).await?)
}

/// POST /admin/services: create (no `id`) or change a directory entry.
pub async fn service_save(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    form: FormData,
) -> Result<Response, AppError> {
    guard(&user)?;
    let tr = Tr(ctx.lang);
    let r = Reader::new(&form, tr);
    let is_new = form.get("id").is_empty();
    let form_id = if is_new {
        "service".to_owned()
    } else {
        format!("svc-{}", form.get("id"))
    };
    let mut e = Errors::default();
    let id = if is_new {
        Some(ServiceId::from_uuid(Uuid::now_v7()))
    } else {
        e.take(r.id("id", "service.name"))
    };
    let name = e.take(r.text("name", "service.name"));
    let kind = e.take(r.choice("kind", "service.kind"));
    let contact = e.take(r.opt_text("contact", "service.contact"));
    let details = read_details(&r, &mut e);
    let result = match (id, name, kind, contact) {
        (Some(id), Some(name), Some(kind), Some(contact)) if e.is_empty() => {
            Ok(SpecialistService {
                id,
                name,
                kind,
                contact,
                active: is_new || r.flag("active"),
                details,
            })
        }
        _ => Err(e.refusal()),
    };
    // Changing names an existing entry; an unknown id never creates one.
    if let Ok(service) = &result
        && !is_new
        && state.backend.service(service.id).await?.is_none()
    {
        return Err(AppError::NotFound);
    }
    let msg = match result {
        Ok(service) => match state
            .backend
            .save_service(&service, stamp(&user, &ctx))
            .await
        {
            Ok(()) => {
                ctx.flash(tr.t("admin.saved")).await;
                return Ok(see_other("/admin/services"));
            }
            Err(e) => Invalid::from(save_error(e, tr)?),
        },
        Err(m) => m,
    };
    let p = services_page(
        &state,
        &ctx,
        FormState::refused(&form_id, form.values(), msg),
    )
    .await?;
    page(StatusCode::UNPROCESSABLE_ENTITY, &p)
}
