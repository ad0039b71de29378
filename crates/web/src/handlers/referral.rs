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
use wegbereiter_core::letter::LetterLanguage;
use wegbereiter_core::prelude::*;
use wegbereiter_core::referral::DuplicateMatch;

use super::dashboard::{CaseRow, Names, case_row};
use super::{Refusal, ok, page, see_other};
use crate::AppState;
use crate::access;
use crate::context::{Auth, FormData, ReqCtx};
use crate::error::AppError;
use crate::forms::{Errors, Invalid, Reader};
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
    letter_languages: Vec<Opt>,
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
        letter_languages: opts::<LetterLanguage>(lang),
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

/// Reads the referral form, checking every field at once: each problem is reported next to
/// its input in one round (address, postcode, birth date, e-mail, …). The birth date and the
/// e-mail address are checked with core's functions (`referral::check_date_of_birth`,
/// `referral::check_email`); core's `decide` checks the whole referral again on saving.
fn parse(r: &Reader<'_>, today: chrono::NaiveDate) -> Result<(Referral, TeamId), Invalid> {
    let mut e = Errors::default();
    let street = e.take(r.opt_text("street", "client.street")).flatten();
    let postcode = r.form.get("postcode");
    let city = e.take(r.opt_text("city", "client.city")).flatten();
    let postcode = if postcode.is_empty() {
        None
    } else {
        e.take(Postcode::parse(postcode).map_err(|err| {
            Invalid::field(
                "postcode",
                format!("{}: {}", r.tr.t("client.postcode"), err.message(r.tr.0)),
            )
        }))
    };
    let postcode_given = !r.form.get("postcode").is_empty();
    // A postcode that cannot be read has its own message already.
    let postcode_bad = postcode_given && postcode.is_none();
    let address = match (street, postcode, city) {
        (None, None, None) if !postcode_given => None,
        (Some(street), Some(postcode), Some(city)) => Some(Address {
            street,
            postcode,
            city,
        }),
        (street, _, city) => {
            // Name the inputs still empty, so that each gets its message.
            let incomplete = r.tr.t("ref.address_incomplete");
            let mut named = false;
            for (name, missing) in [
                (
                    "street",
                    street.is_none() && r.form.get("street").is_empty(),
                ),
                ("postcode", !postcode_given),
                ("city", city.is_none() && r.form.get("city").is_empty()),
            ] {
                if missing {
                    e.push(Invalid::field(name, incomplete));
                    named = true;
                }
            }
            if !named && !postcode_bad {
                e.push(Invalid::form(incomplete));
            }
            None
        }
    };
    let referral_date = e.take(r.date("referral_date", "ref.date"));
    let date_of_birth = e
        .take(r.opt_date("date_of_birth", "client.date_of_birth"))
        .flatten();
    if let Some(dob) = date_of_birth
        && let Err(err) = wegbereiter_core::referral::check_date_of_birth(dob, today)
    {
        e.push(Invalid::field("date_of_birth", err.message(r.tr.0)));
    }
    let email = e.take(r.opt_text("email", "client.email")).flatten();
    if let Some(email) = &email
        && let Err(err) = wegbereiter_core::referral::check_email(email.as_str())
    {
        e.push(Invalid::field(
            "email",
            format!("{}: {}", r.tr.t("client.email"), err.message(r.tr.0)),
        ));
    }
    let jobcenter = e.take(r.text("jobcenter", "ref.jobcenter"));
    let case_manager = e.take(r.text("case_manager", "ref.case_manager"));
    let customer_number = e.take(r.opt_text("customer_number", "ref.customer_number"));
    let reason = e.take(r.choice("reason", "ref.reason"));
    let problem_areas = e.take(r.choices("problem_areas", "ref.problem_areas"));
    let legal_basis = e.take(r.choice("legal_basis", "ref.legal_basis"));
    let given_name = e.take(r.text("given_name", "client.given_name"));
    let family_name = e.take(r.text("family_name", "client.family_name"));
    let gender = e.take(r.opt_choice("gender", "client.gender"));
    let phone = e.take(r.opt_text("phone", "client.phone"));
    let letter_language = e
        .take(r.opt_choice("letter_language", "client.letter_language"))
        .flatten();
    let team = e.take(r.id("team", "case.team"));
    let (
        Some(jobcenter),
        Some(case_manager),
        Some(customer_number),
        Some(referral_date),
        Some(reason),
        Some(problem_areas),
        Some(legal_basis),
        Some(given_name),
        Some(family_name),
        Some(gender),
        Some(phone),
        Some(team),
    ) = (
        jobcenter,
        case_manager,
        customer_number,
        referral_date,
        reason,
        problem_areas,
        legal_basis,
        given_name,
        family_name,
        gender,
        phone,
        team,
    )
    else {
        return Err(e.refusal());
    };
    e.check()?;
    let referral = Referral {
        jobcenter,
        case_manager,
        customer_number,
        referral_date,
        reason,
        problem_areas,
        legal_basis,
        client: ClientIdentity {
            letter_language,
            given_name,
            family_name,
            date_of_birth,
            gender,
            address,
            phone,
            email,
        },
    };
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
    let (referral, team) = match parse(&Reader::new(&form, tr), ctx.today()) {
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
