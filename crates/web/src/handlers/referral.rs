//! Referral entry (process step 1) with duplicate hints.
//!
//! A possible duplicate (same name and date of birth, or same name and postcode) is shown
//! before anything is saved; the person confirms or goes to the existing case. Nothing is
//! ever merged. Duplicates in teams the person cannot see are only counted, never shown.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use uuid::Uuid;
use wegbereiter_core::prelude::*;
use wegbereiter_core::referral::DuplicateMatch;

use super::dashboard::{CaseRow, Names, case_row};
use super::{Refusal, ok, page, see_other};
use crate::AppState;
use crate::access;
use crate::context::{Auth, FormData, ReqCtx};
use crate::error::AppError;
use crate::forms::{Invalid, Reader};
use crate::i18n::Tr;
use crate::views::{FormState, Layout, Opt, opts};

/// A possible duplicate shown to the person.
#[derive(Debug, Clone)]
pub struct DuplicateRow {
    /// The case.
    pub case: CaseRow,
    /// Why it matched.
    pub why: &'static str,
}

#[derive(Template)]
#[template(path = "referral.html")]
struct ReferralPage {
    l: Layout,
    f: FormState,
    today: String,
    reasons: Vec<Opt>,
    areas: Vec<Opt>,
    bases: Vec<Opt>,
    genders: Vec<Opt>,
    teams: Vec<Opt>,
    default_team: String,
    duplicates: Vec<DuplicateRow>,
    hidden_duplicates: usize,
    ask_confirm: bool,
}

async fn my_teams(state: &AppState, user: &StaffMember) -> Result<Vec<Opt>, AppError> {
    let names = Names::load(state).await?;
    Ok(user
        .teams
        .iter()
        .map(|t| Opt::new(t.to_string(), names.team(Some(*t))))
        .collect())
}

fn blank(ctx: &ReqCtx, teams: Vec<Opt>) -> ReferralPage {
    let lang = ctx.lang;
    ReferralPage {
        l: Layout::new(ctx, "ref.title", "referral"),
        f: FormState::default(),
        today: ctx.today().format("%Y-%m-%d").to_string(),
        reasons: opts::<ReferralReason>(lang),
        areas: opts::<ProblemArea>(lang),
        bases: opts::<LegalBasis>(lang),
        genders: opts::<Gender>(lang),
        default_team: teams.first().map(|t| t.value.clone()).unwrap_or_default(),
        teams,
        duplicates: Vec::new(),
        hidden_duplicates: 0,
        ask_confirm: false,
    }
}

/// GET /cases/new
pub async fn form(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
) -> Result<Response, AppError> {
    if !access::can_enter_referral(&user.as_actor()) {
        return Err(AppError::Forbidden);
    }
    let teams = my_teams(&state, &user).await?;
    let mut p = blank(&ctx, teams);
    // After a refused save, a reload of the address shows the input again.
    if let Some(kept) = ctx.take_refused().await {
        p.f = kept;
        return page(StatusCode::UNPROCESSABLE_ENTITY, &p);
    }
    ok(&p)
}

fn parse(r: &Reader<'_>) -> Result<(Referral, TeamId), Invalid> {
    let street = r.opt_text("street", "client.street")?;
    let postcode = r.form.get("postcode");
    let city = r.opt_text("city", "client.city")?;
    let address = match (street, postcode.is_empty(), city) {
        (None, true, None) => None,
        (Some(street), false, Some(city)) => Some(Address {
            street,
            postcode: Postcode::parse(postcode).map_err(|e| {
                Invalid::field(
                    "postcode",
                    format!("{}: {}", r.tr.t("client.postcode"), e.message(r.tr.0)),
                )
            })?,
            city,
        }),
        _ => return Err(Invalid::form(r.tr.t("ref.address_incomplete"))),
    };
    let referral = Referral {
        jobcenter: r.text("jobcenter", "ref.jobcenter")?,
        case_manager: r.text("case_manager", "ref.case_manager")?,
        customer_number: r.opt_text("customer_number", "ref.customer_number")?,
        referral_date: r.date("referral_date", "ref.date")?,
        reason: r.choice("reason", "ref.reason")?,
        problem_areas: r.choices("problem_areas", "ref.problem_areas")?,
        legal_basis: r.choice("legal_basis", "ref.legal_basis")?,
        client: ClientIdentity {
            given_name: r.text("given_name", "client.given_name")?,
            family_name: r.text("family_name", "client.family_name")?,
            date_of_birth: r.opt_date("date_of_birth", "client.date_of_birth")?,
            gender: r.opt_choice("gender", "client.gender")?,
            address,
            phone: r.opt_text("phone", "client.phone")?,
            email: r.opt_text("email", "client.email")?,
        },
    };
    let team = r.id("team", "case.team")?;
    Ok((referral, team))
}

/// POST /cases/new
pub async fn submit(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    form: FormData,
) -> Result<Response, AppError> {
    if !access::can_enter_referral(&user.as_actor()) {
        return Err(AppError::Forbidden);
    }
    let tr = Tr(ctx.lang);
    let teams = my_teams(&state, &user).await?;
    let refuse = async |msg: Invalid, duplicates: Vec<DuplicateRow>, hidden: usize| {
        let mut p = blank(&ctx, teams.clone());
        p.f = FormState::refused("referral", form.values(), msg);
        ctx.keep_refused(&p.f).await;
        p.ask_confirm = !duplicates.is_empty() || hidden > 0;
        p.duplicates = duplicates;
        p.hidden_duplicates = hidden;
        page(StatusCode::UNPROCESSABLE_ENTITY, &p)
    };
    let (referral, team) = match parse(&Reader::new(&form, tr)) {
        Ok(v) => v,
        Err(msg) => return refuse(msg, Vec::new(), 0).await,
    };
    if !access::can_enter_referral_for(&user.as_actor(), Some(team)) {
        return Err(AppError::Forbidden);
    }
    if form.get("confirm_duplicate").is_empty() {
        let names = Names::load(&state).await?;
        let mut shown = Vec::new();
        let mut hidden = 0;
        for (s, why) in state.backend.possible_duplicates(&referral.client).await? {
            if access::can_view_case(&user.as_actor(), &s) {
                shown.push(DuplicateRow {
                    case: case_row(&s, &names, ctx.lang),
                    why: match why {
                        DuplicateMatch::NameAndDateOfBirth => tr.t("ref.dup_dob"),
                        _ => tr.t("ref.dup_postcode"),
                    },
                });
            } else {
                hidden += 1;
            }
        }
        if !shown.is_empty() || hidden > 0 {
            return refuse(tr.t("ref.dup_found").to_owned().into(), shown, hidden).await;
        }
    }
    let id = CaseId::from_uuid(Uuid::now_v7());
    let command = Command::Refer {
        referral,
        team: Some(team),
    };
    match state
        .service
        .execute_at(id, Some(0), &command, &user.as_actor(), ctx.local_now)
        .await
    {
        Ok(_) => {
            ctx.flash(tr.t("ref.saved")).await;
            Ok(see_other(&format!("/cases/{id}")))
        }
        Err(e) => match super::refusal(e, ctx.lang, &form)? {
            Refusal::Rule(msg) => refuse(msg, Vec::new(), 0).await,
            Refusal::Conflict => {
                refuse(tr.t("case.conflict").to_owned().into(), Vec::new(), 0).await
            }
        },
    }
}
