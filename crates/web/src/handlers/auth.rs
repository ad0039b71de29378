//! First-run set-up, sign-in (argon2id, throttled), sign-out and the language choice.
//!
//! The session is made at sign-in ([`start_session`]), never before: the sign-in form is
//! protected by the signed CSRF cookie of [`crate::csrf`], and the language choice is a
//! cookie.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;
use wegbereiter_core::ports::AuditStamp;
use wegbereiter_core::prelude::*;

use super::{ok, page, see_other};
use crate::AppState;
use crate::backend::AuditLine;
use crate::context::{FormData, ReqCtx, keys};
use crate::error::AppError;
use crate::forms::Reader;
use crate::passwords::{self, MIN_PASSWORD_CHARS};
use crate::views::{FormState, Layout};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    l: Layout,
    f: FormState,
    notice: String,
}

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    l: Layout,
    f: FormState,
}

/// Query of the sign-in page.
#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    bye: Option<String>,
}

async fn has_staff(state: &AppState) -> Result<bool, AppError> {
    Ok(!state.backend.list_staff().await?.is_empty())
}

/// GET /login
pub async fn login_form(
    State(state): State<AppState>,
    ctx: ReqCtx,
    Query(q): Query<LoginQuery>,
) -> Result<Response, AppError> {
    if ctx.user.is_some() {
        return Ok(see_other("/"));
    }
    if !has_staff(&state).await? {
        return Ok(see_other("/setup"));
    }
    let notice = if ctx.lifetime_signed_out {
        ctx_t(&ctx, "login.lifetime")
    } else if ctx.idle_signed_out {
        ctx_t(&ctx, "login.idle")
    } else if q.bye.is_some() {
        ctx_t(&ctx, "login.bye")
    } else {
        String::new()
    };
    ok(&LoginPage {
        l: Layout::new(&ctx, "login.title", ""),
        f: FormState::default(),
        notice,
    })
}

fn ctx_t(ctx: &ReqCtx, key: &str) -> String {
    crate::i18n::Tr(ctx.lang).t(key).to_owned()
}

/// POST /login
pub async fn login(
    State(state): State<AppState>,
    ctx: ReqCtx,
    form: FormData,
) -> Result<Response, AppError> {
    // No sign-in name is that long; bounding it bounds what a failure stores.
    let login: String = form
        .get("login")
        .to_lowercase()
        .chars()
        .take(MAX_AUDIT_LOGIN_CHARS)
        .collect();
    let password = form
        .0
        .iter()
        .find(|(k, _)| k == "password")
        .map_or("", |(_, v)| v.as_str());
    let values: Vec<(String, String)> = vec![("login".into(), form.get("login").to_owned())];
    let refuse = |status: StatusCode, key: &str| {
        page(
            status,
            &LoginPage {
                l: Layout::new(&ctx, "login.title", ""),
                f: FormState::refused("login", values.clone(), ctx_t(&ctx, key)),
                notice: String::new(),
            },
        )
    };
    if login.is_empty() {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, "login.failed");
    }
    // The audit log names the sign-in as typed (bounded), never the password.
    let typed: String = form
        .get("login")
        .chars()
        .take(MAX_AUDIT_LOGIN_CHARS)
        .collect();
    if let Some(wait) = throttled(&state, &ctx, &login).await? {
        audit_counted(&state, &ctx, audit_action::SIGN_IN_THROTTLED, typed).await?;
        let minutes = ((wait.num_seconds() + 59) / 60).max(1);
        let msg = ctx_t(&ctx, "login.throttled").replace("{minutes}", &minutes.to_string());
        return page(
            StatusCode::TOO_MANY_REQUESTS,
            &LoginPage {
                l: Layout::new(&ctx, "login.title", ""),
                f: FormState::refused("login", values.clone(), msg),
                notice: String::new(),
            },
        );
    }
    let staff = state.backend.staff_by_login(&login).await?;
    let phc = match &staff {
        Some(s) => state.backend.password_hash(s.id).await?,
        None => None,
    };
    let matches = passwords::verify(phc, password, &state.passwords).await;
    let staff = match staff {
        Some(s) if matches && s.active => s,
        _ => {
            state
                .backend
                .login_failure_record(&login, &ctx.address, ctx.now)
                .await?;
            audit_counted(&state, &ctx, audit_action::SIGN_IN_FAILED, typed).await?;
            return refuse(StatusCode::UNAUTHORIZED, "login.failed");
        }
    };
    state
        .backend
        .login_failures_clear(&login, Some(&ctx.address))
        .await?;
    state
        .backend
        .login_address_remember(&login, &ctx.address, ctx.now)
        .await?;
    start_session(&ctx, staff.id).await?;
    audit(
        &state,
        &ctx,
        Some(staff.id),
        audit_action::SIGN_IN,
        staff.login.to_string(),
    )
    .await?;
    Ok(see_other("/"))
}

/// How long a sign-in attempt for `login` from the client's address must still wait, if at
/// all (see [`crate::Throttle`]):
/// * failures from this address slow this address down, exponentially;
/// * failures from many addresses (a distributed guess) refuse addresses the name never
///   signed in from, until they age out or an administrator lifts the throttle;
/// * an address the name signed in from before is never slowed down by other addresses.
async fn throttled(
    state: &AppState,
    ctx: &ReqCtx,
    login: &str,
) -> Result<Option<chrono::Duration>, AppError> {
    let rule = state.throttle;
    let stats = state
        .backend
        .login_failure_stats(login, &ctx.address, ctx.now - rule.window)
        .await?;
    if let Some(last) = stats.last_from_address {
        let wait = last + rule.delay(stats.from_address) - ctx.now;
        if wait > chrono::Duration::zero() {
            return Ok(Some(wait));
        }
    }
    if stats.addresses >= rule.distributed_addresses
        && !state
            .backend
            .login_address_known(login, &ctx.address)
            .await?
    {
        return Ok(Some(rule.window));
    }
    Ok(None)
}

/// Starts the signed-in session of `staff`: a new session id (no fixation), a new CSRF
/// token (a token seen before the sign-in is worth nothing after it), and the start of the
/// absolute lifetime.
pub(crate) async fn start_session(ctx: &ReqCtx, staff: StaffId) -> Result<(), AppError> {
    let session = &ctx.session;
    let store = |e: tower_sessions::session::Error| AppError::Internal(e.to_string());
    let token = crate::context::random_token();
    if token.is_empty() {
        return Err(AppError::Internal("no randomness".into()));
    }
    session.cycle_id().await.map_err(store)?;
    session.insert(keys::USER, staff).await.map_err(store)?;
    session.insert(keys::SEEN, ctx.now).await.map_err(store)?;
    session.insert(keys::SINCE, ctx.now).await.map_err(store)?;
    session.insert(keys::CSRF, token).await.map_err(store)?;
    let _ = session.remove::<bool>(keys::IDLE).await;
    let _ = session.remove::<bool>(keys::LIFETIME).await;
    Ok(())
}

/// The audit actions of signing in and out (stable keys, read by the data-protection officer).
pub(crate) mod audit_action {
    /// A successful sign-in; subject: the sign-in name.
    pub const SIGN_IN: &str = "auth.sign_in";
    /// A failed sign-in (unknown name, wrong password or deactivated account); subject: the
    /// sign-in name as typed.
    pub const SIGN_IN_FAILED: &str = "auth.sign_in_failed";
    /// A sign-in refused by throttling; subject: the sign-in name as typed.
    pub const SIGN_IN_THROTTLED: &str = "auth.sign_in_throttled";
    /// A sign-out; subject: the sign-in name.
    pub const SIGN_OUT: &str = "auth.sign_out";
}

/// At most this many characters of a typed sign-in name go into the audit log.
const MAX_AUDIT_LOGIN_CHARS: usize = 100;

async fn audit(
    state: &AppState,
    ctx: &ReqCtx,
    actor: Option<StaffId>,
    action: &str,
    subject: String,
) -> Result<(), AppError> {
    state
        .backend
        .audit(AuditLine {
            at: ctx.now,
            actor,
            action: action.to_owned(),
            subject: wegbereiter_storage::AuditSubject::Typed(subject),
        })
        .await?;
    Ok(())
}

/// Like [`audit`] without an actor, counted into one line per sign-in name and hour.
async fn audit_counted(
    state: &AppState,
    ctx: &ReqCtx,
    action: &str,
    subject: String,
) -> Result<(), AppError> {
    state
        .backend
        .audit_counted(AuditLine {
            at: ctx.now,
            actor: None,
            action: action.to_owned(),
            subject: wegbereiter_storage::AuditSubject::Typed(subject),
        })
        .await?;
    Ok(())
}

/// POST /logout
pub async fn logout(State(state): State<AppState>, ctx: ReqCtx) -> Result<Response, AppError> {
    if let Some(user) = &ctx.user {
        audit(
            &state,
            &ctx,
            Some(user.id),
            audit_action::SIGN_OUT,
            user.login.to_string(),
        )
        .await?;
    }
    ctx.session
        .flush()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(see_other("/login?bye=1"))
}

/// POST /lang: the language choice, kept in a plain cookie for a year (nothing stored on
/// the server, signed in or not).
pub async fn set_lang(State(state): State<AppState>, form: FormData) -> Result<Response, AppError> {
    let to = if form.get("to") == "en" { "en" } else { "de" };
    let back = form.get("back");
    let back = if crate::context::is_local_path(back) {
        back
    } else {
        "/"
    };
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let cookie = axum::http::HeaderValue::from_str(&format!(
        "{}={to}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax{secure}",
        crate::context::LANG_COOKIE
    ))
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let mut res = see_other(back);
    res.headers_mut()
        .append(axum::http::header::SET_COOKIE, cookie);
    Ok(res)
}

/// GET /setup
pub async fn setup_form(State(state): State<AppState>, ctx: ReqCtx) -> Result<Response, AppError> {
    if has_staff(&state).await? {
        return Ok(see_other("/login"));
    }
    ok(&SetupPage {
        l: Layout::new(&ctx, "setup.title", ""),
        f: FormState::default(),
    })
}

/// POST /setup
pub async fn setup(
    State(state): State<AppState>,
    ctx: ReqCtx,
    form: FormData,
) -> Result<Response, AppError> {
    if has_staff(&state).await? {
        return Err(AppError::Forbidden);
    }
    let tr = crate::i18n::Tr(ctx.lang);
    let r = Reader::new(&form, tr);
    let refuse = |msg: String| {
        let values = form
            .values()
            .into_iter()
            .filter(|(k, _)| !k.starts_with("password"))
            .collect();
        page(
            StatusCode::UNPROCESSABLE_ENTITY,
            &SetupPage {
                l: Layout::new(&ctx, "setup.title", ""),
                f: FormState::refused("setup", values, msg),
            },
        )
    };
    let parsed = (|| {
        Ok::<_, crate::forms::Invalid>((
            r.text("display_name", "staff.display_name")?,
            r.text("login", "staff.login")?,
        ))
    })();
    let (display_name, login) = match parsed {
        Ok(v) => v,
        Err(e) => return refuse(e.msg),
    };
    if let Err(msg) = check_password(&form, tr) {
        return refuse(msg);
    }
    let admin = StaffMember {
        id: StaffId::from_uuid(Uuid::now_v7()),
        login,
        display_name,
        roles: vec![Role::Administrator],
        teams: vec![],
        active: true,
    };
    let stamp = AuditStamp {
        actor: None,
        at: ctx.now,
    };
    state.backend.save_staff(&admin, stamp).await?;
    let phc = passwords::hash(&state.passwords, form.get_raw("password"))
        .await
        .map_err(AppError::Internal)?;
    state
        .backend
        .set_password_hash(admin.id, &phc, stamp)
        .await?;
    start_session(&ctx, admin.id).await?;
    ctx.flash(tr.t("setup.done")).await;
    Ok(see_other("/admin"))
}

/// Checks `password` and `password2` of a form: long enough and equal.
pub(crate) fn check_password(form: &FormData, tr: crate::i18n::Tr) -> Result<(), String> {
    let pw = form.get_raw("password");
    if pw.chars().count() < MIN_PASSWORD_CHARS {
        return Err(tr.t("password.too_short").to_owned());
    }
    if pw != form.get_raw("password2") {
        return Err(tr.t("password.mismatch").to_owned());
    }
    Ok(())
}
