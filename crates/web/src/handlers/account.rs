//! The signed-in person's account page: their personal access tokens (for the CLI and,
//! the JSON API, with the scope the token has there).
//!
//! A person creates a token (a name and a lifetime in days; the current password proves it
//! is them and not someone who found a signed-in browser), sees its secret once on the page
//! that answers the form (never stored, never in a redirect or a flash message), lists their
//! tokens with their state, and revokes them. The same storage functions as the CLI's
//! `wegbereiter token create|list|revoke` do the work and write the audit log.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use uuid::Uuid;
use wegbereiter_core::ports::AuditStamp;
use wegbereiter_core::prelude::*;
use wegbereiter_storage::{PersonalToken, TokenScope};

use super::{page, see_other};
use crate::AppState;
use crate::context::{Auth, FormData, ReqCtx};
use crate::error::AppError;
use crate::forms::Reader;
use crate::i18n::Tr;
use crate::views::{self, FormState, Layout};

/// A token's default lifetime on the form, in days (as the CLI's `--days`).
const DEFAULT_DAYS: u32 = 90;
/// The longest lifetime a token may have, in days (as the CLI's `--days`).
const MAX_DAYS: u32 = 365;

/// One row of the token list.
struct TokenRow {
    id: String,
    name: String,
    created: String,
    expires: String,
    /// `valid`, `expired` or `revoked` (also the badge's class).
    state_key: &'static str,
    state: &'static str,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    l: Layout,
    f: FormState,
    login: String,
    tokens: Vec<TokenRow>,
    /// The secret of the token just made: shown this once.
    new_secret: Option<String>,
    /// The lifetime the form proposes, in days.
    default_days: String,
    max_days: u32,
    /// The scope keys the form offers, narrowest first.
    scopes: [&'static str; 3],
}

/// The scope chosen on the form (`read` when the form sends none).
fn scope_of(key: &str, tr: Tr) -> Result<TokenScope, crate::forms::Invalid> {
    if key.is_empty() {
        return Ok(TokenScope::Read);
    }
    TokenScope::parse(key)
        .map_err(|_| crate::forms::Invalid::field("scope", tr.t("account.scope_invalid")))
}

fn rows(tokens: &[PersonalToken], ctx: &ReqCtx) -> Vec<TokenRow> {
    let tr = Tr(ctx.lang);
    tokens
        .iter()
        .map(|t| {
            let state_key = if t.revoked_at.is_some() {
                "revoked"
            } else if t.is_valid_at(ctx.now) {
                "valid"
            } else {
                "expired"
            };
            TokenRow {
                id: t.id.to_string(),
                name: t.name.clone(),
                created: views::datetime(t.created_at, ctx.lang, ctx.tz),
                expires: views::datetime(t.expires_at, ctx.lang, ctx.tz),
                state_key,
                state: tr.t(&format!("account.state.{state_key}")),
            }
        })
        .collect()
}

async fn render(
    state: &AppState,
    ctx: &ReqCtx,
    user: &StaffMember,
    status: StatusCode,
    f: FormState,
    new_secret: Option<String>,
) -> Result<Response, AppError> {
    let tokens = state.backend.tokens_of(user.id).await?;
    page(
        status,
        &AccountPage {
            l: Layout::new(ctx, "account.title", "account"),
            f,
            login: user.login.to_string(),
            tokens: rows(&tokens, ctx),
            new_secret,
            default_days: DEFAULT_DAYS.to_string(),
            max_days: MAX_DAYS,
            scopes: TokenScope::ALL.map(TokenScope::key),
        },
    )
}

/// GET /account
pub async fn show(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
) -> Result<Response, AppError> {
    render(
        &state,
        &ctx,
        &user,
        StatusCode::OK,
        FormState::default(),
        None,
    )
    .await
}

/// A new token secret: 256 bits from the operating system, hex behind the prefix the CLI
/// uses (`wbt_`), so that secret scanners and people can tell what leaked.
fn new_secret() -> Option<String> {
    let hex = crate::context::random_token();
    (!hex.is_empty()).then(|| format!("wbt_{hex}"))
}

/// POST /account/tokens: a new token; the answer shows its secret once.
pub async fn create(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    form: FormData,
) -> Result<Response, AppError> {
    let tr = Tr(ctx.lang);
    let r = Reader::new(&form, tr);
    let values: Vec<(String, String)> = form
        .values()
        .into_iter()
        .filter(|(k, _)| k != "password")
        .collect();
    let refuse = |e: crate::forms::Invalid| {
        render(
            &state,
            &ctx,
            &user,
            StatusCode::UNPROCESSABLE_ENTITY,
            FormState::refused("token", values.clone(), e),
            None,
        )
    };
    let parsed = (|| {
        Ok::<_, crate::forms::Invalid>((
            r.text("name", "account.token_name")?,
            r.number("days", "account.days", 1, MAX_DAYS)?,
            scope_of(form.get("scope"), tr)?,
        ))
    })();
    let (name, days, scope) = match parsed {
        Ok(v) => v,
        Err(e) => return refuse(e).await,
    };
    let phc = state.backend.password_hash(user.id).await?;
    if !crate::passwords::verify(phc, form.get_raw("password"), &state.passwords).await {
        return refuse(crate::forms::Invalid::field(
            "password",
            tr.t("account.password_wrong"),
        ))
        .await;
    }
    let Some(secret) = new_secret() else {
        return Err(AppError::Internal("no randomness".into()));
    };
    let token = PersonalToken {
        id: Uuid::now_v7(),
        staff: user.id,
        name: name.to_string(),
        created_at: ctx.now,
        expires_at: ctx.now + chrono::Duration::days(i64::from(days)),
        revoked_at: None,
        scope,
    };
    let stamp = AuditStamp {
        actor: Some(user.id),
        at: ctx.now,
    };
    state.backend.token_create(&token, &secret, stamp).await?;
    render(
        &state,
        &ctx,
        &user,
        StatusCode::OK,
        FormState::default(),
        Some(secret),
    )
    .await
}

/// POST /account/tokens/{id}/revoke: revokes one of the person's own tokens. Someone
/// else's token, or an unknown id, is 404 (whether it exists is none of their business).
pub async fn revoke(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    let stamp = AuditStamp {
        actor: Some(user.id),
        at: ctx.now,
    };
    if !state.backend.token_revoke(id, user.id, stamp).await? {
        let known = state
            .backend
            .tokens_of(user.id)
            .await?
            .iter()
            .any(|t| t.id == id);
        if !known {
            return Err(AppError::NotFound);
        }
    }
    ctx.flash(Tr(ctx.lang).t("account.revoked")).await;
    Ok(see_other("/account"))
}
