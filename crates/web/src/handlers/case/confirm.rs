//! Confirmation of the steps that end or interrupt something (issue 16): closing, declining,
//! "not reached", withdrawing a consent, pausing, handing over.
//!
//! The tab's form is a GET form to the step's address: `GET /cases/{id}/closure/close?on=…`
//! reads the input like the POST would, asks core's `decide` on the same command without
//! saving anything (a refusal shows the tab again with the message next to the input, 422),
//! and shows the confirmation page: core's [`outlook`] (what will happen, what is still open,
//! what stays possible), the date with a form to change it (default today in the
//! installation's time zone), and a POST form to the same address with the input hidden and
//! `confirm=yes`. A POST without `confirm=yes` carries nothing out: it answers 422 with the
//! confirmation page and the input kept. Plain forms, no JavaScript.

use askama::Template;
use axum::extract::RawQuery;
use axum::http::StatusCode;
use wegbereiter_core::outlook::{Warning, outlook};
use wegbereiter_core::ports::AccessKind;

use super::prelude::*;
use super::{Need, Opened, show, submit};
use crate::context::ReqCtx;
use crate::forms::Errors;
use crate::handlers::page;
use crate::views::{FormState, Layout};

/// A step that asks for confirmation: its address, the form on its tab and the date input.
#[derive(Debug, Clone, Copy)]
pub(super) struct Step {
    /// The tab (section) the step's form is on.
    pub section: &'static str,
    /// The form's id on that tab.
    pub form: &'static str,
    /// The last part of the step's address (`closure/close`).
    pub action: &'static str,
    /// The name of the step's date input.
    pub date: &'static str,
    /// The catalogue key of the date's label.
    pub date_label: &'static str,
}

/// A hidden input of the confirmation forms.
#[derive(Debug, Clone)]
pub struct Hidden {
    /// Name.
    pub name: String,
    /// Value.
    pub value: String,
}

/// A warning with the entries it is about (goal wordings, referrals out).
#[derive(Debug, Clone)]
pub struct WarningRow {
    /// The sentence.
    pub text: String,
    /// The goals or referrals it is about.
    pub items: Vec<String>,
}

#[derive(Template)]
#[template(path = "confirm.html")]
struct ConfirmPage {
    l: Layout,
    name: String,
    /// The question the page asks.
    heading: &'static str,
    /// The confirming button.
    yes: &'static str,
    action: String,
    back: String,
    version: String,
    effects: Vec<String>,
    warnings: Vec<WarningRow>,
    afterwards: Vec<String>,
    /// The inputs carried by both forms, without the date.
    carried: Vec<Hidden>,
    date_name: &'static str,
    date_label: &'static str,
    date_value: String,
    /// Why nothing happened yet (a POST without the confirmation), or "".
    error: String,
    /// Whether the confirming form asks for a note (the handover's note for the handover
    /// talk): free text goes only into the POST form, never into a GET address.
    note: bool,
    /// The note typed so far.
    note_value: String,
}

/// The form of `query` (a GET form's input), with `date` defaulting to `today`.
pub(super) fn query_form(query: Option<&str>, date: &str, today: chrono::NaiveDate) -> FormData {
    let mut pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query.unwrap_or_default()).unwrap_or_default();
    pairs.retain(|(k, _)| k != "_csrf" && k != "confirm");
    if !pairs.iter().any(|(k, v)| k == date && !v.trim().is_empty()) {
        pairs.retain(|(k, _)| k != date);
        pairs.push((date.to_owned(), today.format("%Y-%m-%d").to_string()));
    }
    FormData(pairs)
}

/// GET of a step's address: the confirmation page for `command` read from the query, or the
/// tab with the message when the input cannot be read or core refuses the step. Without a
/// query (a reload after a refused save), the kept input, or the tab.
#[allow(clippy::too_many_arguments)]
pub(super) async fn ask(
    state: &AppState,
    ctx: &ReqCtx,
    user: &StaffMember,
    opened: Opened,
    step: Step,
    form: &FormData,
    command: Result<Command, Invalid>,
    had_query: bool,
) -> Result<Response, AppError> {
    if !had_query {
        return reload(state, ctx, user, opened, step).await;
    }
    preview(state, ctx, user, opened, step, form, command, None).await
}

/// The confirmation page of `command`, or the tab with the message of the field that cannot
/// be read or of the rule core refuses the step with (422). `unconfirmed` is the message of a
/// POST that came without the confirmation: the page then answers 422 and the input is kept
/// for a reload of the address.
#[allow(clippy::too_many_arguments)]
async fn preview(
    state: &AppState,
    ctx: &ReqCtx,
    user: &StaffMember,
    opened: Opened,
    step: Step,
    form: &FormData,
    command: Result<Command, Invalid>,
    unconfirmed: Option<String>,
) -> Result<Response, AppError> {
    let posted = unconfirmed.is_some();
    let refused = |msg: Invalid| FormState::refused(step.form, form.values(), msg);
    // Core decides now, on the same command, so that the confirmation is only asked for a
    // step that can be carried out; nothing is saved.
    let me = user.as_actor();
    let checked = command.and_then(|command| {
        decide(
            Some(&opened.case),
            &command,
            &Context {
                actor: &me,
                now: ctx.local_now,
                policy: &state.policy,
                calendar: Some(&ctx.tz),
            },
        )
        .map(|_| command)
        .map_err(|e| {
            let msg = e.message(ctx.lang);
            match crate::handlers::field_for(&e, form) {
                Some(field) => Invalid::field(field, msg),
                None => Invalid::form(msg),
            }
        })
    });
    let command = match checked {
        Ok(c) => c,
        Err(msg) => {
            let f = refused(msg);
            if posted {
                ctx.keep_refused(&f).await;
            }
            return show(
                state,
                ctx,
                user,
                &opened,
                step.section,
                f,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let status = if let Some(msg) = &unconfirmed {
        ctx.keep_refused(&FormState::refused("confirm", form.values(), msg.clone()))
            .await;
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let p = confirm_page(
        state,
        ctx,
        user,
        &opened,
        step,
        form,
        &command,
        unconfirmed.unwrap_or_default(),
    )
    .await?;
    page(status, &p)
}

/// POST of a step's address: carried out only with `confirm=yes`; otherwise the confirmation
/// page again (422) with the input kept.
#[allow(clippy::too_many_arguments)]
pub(super) async fn post(
    state: &AppState,
    ctx: &ReqCtx,
    user: &StaffMember,
    opened: Opened,
    step: Step,
    form: &FormData,
    command: Result<Command, Invalid>,
) -> Result<Response, AppError> {
    if form.get("confirm") == "yes" {
        return submit(
            state,
            ctx,
            user,
            opened,
            step.section,
            step.form,
            form,
            command,
        )
        .await;
    }
    let msg = Tr(ctx.lang).t("confirm.missing").to_owned();
    preview(state, ctx, user, opened, step, form, command, Some(msg)).await
}

/// A GET of a step's address without a query: the input of the last refused save to it (a
/// confirmation not given shows the confirmation again), else the tab.
async fn reload(
    state: &AppState,
    ctx: &ReqCtx,
    user: &StaffMember,
    opened: Opened,
    step: Step,
) -> Result<Response, AppError> {
    let Some(kept) = ctx.take_refused().await else {
        return Ok(crate::handlers::see_other(&tab(&opened, step.section)));
    };
    if kept.form == "confirm" {
        let form = FormData(kept.values.clone());
        let r = Reader::new(&form, Tr(ctx.lang));
        if let Ok(command) = command_of(state, &r, step).await? {
            let msg = kept.error.clone().unwrap_or_default();
            let p = confirm_page(state, ctx, user, &opened, step, &form, &command, msg).await?;
            return page(StatusCode::UNPROCESSABLE_ENTITY, &p);
        }
        return Ok(crate::handlers::see_other(&tab(&opened, step.section)));
    }
    show(
        state,
        ctx,
        user,
        &opened,
        step.section,
        kept,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

fn tab(opened: &Opened, section: &str) -> String {
    let id = opened.case.id;
    if section == "overview" {
        format!("/cases/{id}")
    } else {
        format!("/cases/{id}/{section}")
    }
}

#[allow(clippy::too_many_arguments)]
async fn confirm_page(
    state: &AppState,
    ctx: &ReqCtx,
    user: &StaffMember,
    opened: &Opened,
    step: Step,
    form: &FormData,
    command: &Command,
    error: String,
) -> Result<ConfirmPage, AppError> {
    let case = &opened.case;
    let lang = ctx.lang;
    // The page shows case content (the name, goals, referrals): a view of the case file,
    // logged before the page is built.
    super::record(state, ctx, user, case.id, AccessKind::View).await?;
    let names = crate::handlers::dashboard::Names::load(state).await?;
    let o = outlook(case, command, &state.policy, ctx.today())
        .ok_or_else(|| AppError::Internal("a confirmed step without an outlook".into()))?;
    let staff = |id: StaffId| names.staff(Some(id));
    let services: std::collections::HashMap<ServiceId, String> = state
        .backend
        .list_services()
        .await?
        .into_iter()
        .map(|s| (s.id, s.name.to_string()))
        .collect();
    let warnings = o
        .warnings
        .iter()
        .map(|w| WarningRow {
            text: w.message(lang),
            items: match w {
                Warning::OpenGoals { goals } => goals
                    .iter()
                    .map(|(_, wording, status)| format!("{wording} ({})", status.label(lang)))
                    .collect(),
                Warning::OpenReferralsOut { referrals } => referrals
                    .iter()
                    .map(|(_, service, status)| {
                        format!(
                            "{} ({})",
                            services.get(service).map_or("–", String::as_str),
                            status.label(lang)
                        )
                    })
                    .collect(),
                _ => Vec::new(),
            },
        })
        .collect();
    let id = case.id;
    Ok(ConfirmPage {
        l: Layout::new(ctx, "confirm.title", "").titled(format!(
            "{} · {}",
            Tr(lang).t(&format!("confirm.{}.title", step.form)),
            case.referral.client.sort_name()
        )),
        name: case.referral.client.full_name(),
        heading: Tr(lang).t(&format!("confirm.{}.title", step.form)),
        yes: Tr(lang).t(&format!("confirm.{}.yes", step.form)),
        action: format!("/cases/{id}/{}", step.action),
        back: tab(opened, step.section),
        version: form.get("version").to_owned(),
        effects: o.effects.iter().map(|e| e.message(lang, &staff)).collect(),
        warnings,
        afterwards: o.afterwards.iter().map(|a| a.message(lang)).collect(),
        carried: form
            .0
            .iter()
            .filter(|(k, _)| {
                !matches!(k.as_str(), "_csrf" | "version" | "confirm" | "note") && k != step.date
            })
            .map(|(k, v)| Hidden {
                name: k.clone(),
                value: v.clone(),
            })
            .collect(),
        date_name: step.date,
        date_label: step.date_label,
        date_value: form.get(step.date).to_owned(),
        error,
        note: step.form == HANDOVER.form,
        note_value: form.get("note").to_owned(),
    })
}

/// Closing the case (closure tab).
pub(super) const CLOSE: Step = Step {
    section: "closure",
    form: "close",
    action: "closure/close",
    date: "on",
    date_label: "close.on",
};
/// The client declined (outreach tab).
pub(super) const DECLINE: Step = Step {
    section: "outreach",
    form: "decline",
    action: "outreach/decline",
    date: "on",
    date_label: "out.declined_on",
};
/// Outreach ends as not reached (outreach tab).
pub(super) const NOT_REACHED: Step = Step {
    section: "outreach",
    form: "not_reached",
    action: "outreach/not-reached",
    date: "on",
    date_label: "out.not_reached_on",
};
/// A consent is withdrawn (enrolment tab).
pub(super) const WITHDRAW: Step = Step {
    section: "enrolment",
    form: "withdraw",
    action: "enrolment/withdraw",
    date: "on",
    date_label: "consent.withdrawn_on",
};
/// Participation pauses (enrolment tab).
pub(super) const PAUSE: Step = Step {
    section: "enrolment",
    form: "pause",
    action: "enrolment/pause",
    date: "from",
    date_label: "pause.from",
};
/// A handover inside the project (handover tab).
pub(super) const HANDOVER: Step = Step {
    section: "handover",
    form: "handover",
    action: "handover/hand-over",
    date: "on",
    date_label: "handover.on",
};

/// The command of `step` from the form `r` reads, every field at once; the staff chosen for a
/// handover must be one who may receive it.
pub(super) async fn command_of(
    state: &AppState,
    r: &Reader<'_>,
    step: Step,
) -> Result<Result<Command, Invalid>, AppError> {
    let mut e = Errors::default();
    let command = match step.form {
        "close" => {
            let on = e.take(r.date("on", "close.on"));
            let reason = e.take(r.choice("reason", "close.reason"));
            let result = e.take(r.opt_choice("immediate_result", "close.result"));
            match (on, reason, result) {
                (Some(on), Some(reason), Some(immediate_result)) => Some(Command::Close {
                    on,
                    reason,
                    immediate_result,
                }),
                _ => None,
            }
        }
        "decline" => e
            .take(r.date("on", "out.on"))
            .map(|on| Command::Decline { on }),
        "not_reached" => e
            .take(r.date("on", "out.on"))
            .map(|on| Command::MarkNotReached { on }),
        "withdraw" => {
            let id = e.take(r.id("consent", "consent.purpose"));
            // Without a day (a form of an older page): from now on.
            let on = e.take(r.opt_date("on", "consent.withdrawn_on"));
            match (id, on) {
                (Some(id), Some(on)) => Some(Command::WithdrawConsent { id, on }),
                _ => None,
            }
        }
        "pause" => e
            .take(r.date("from", "pause.from"))
            .map(|from| Command::PauseParticipation { from }),
        "handover" => {
            let to = if r.form.get("to").is_empty() {
                Some(None)
            } else {
                e.take(
                    chosen(state, r, "to", "handover.to", |s| {
                        access::can_receive_handover(&s.as_actor())
                    })
                    .await?,
                )
                .map(Some)
            };
            let target = e.take(r.choice("target", "handover.target"));
            let on = e.take(r.date("on", "handover.on"));
            let note = e.take(r.opt_text("note", "handover.note"));
            match (target, to, on, note) {
                (Some(target), Some(to), Some(on), Some(note)) => Some(Command::HandOver {
                    target,
                    to,
                    on,
                    note,
                }),
                _ => None,
            }
        }
        other => return Err(AppError::Internal(format!("no confirmable step {other}"))),
    };
    Ok(match command {
        Some(c) if e.is_empty() => Ok(c),
        _ => Err(e.refusal()),
    })
}

macro_rules! confirmed_step {
    ($(#[$m:meta])* $post:ident, $get:ident, $step:expr) => {
        $(#[$m])*
        pub async fn $post(
            State(state): State<AppState>,
            Auth(ctx, user): Auth,
            Path(id): Path<String>,
            form: FormData,
        ) -> Result<Response, AppError> {
            let opened = open(&state, &user, &id, Need::Write).await?;
            let r = Reader::new(&form, Tr(ctx.lang));
            let command = command_of(&state, &r, $step).await?;
            post(&state, &ctx, &user, opened, $step, &form, command).await
        }

        /// GET: the confirmation page of the same step, its input in the query.
        pub async fn $get(
            State(state): State<AppState>,
            Auth(ctx, user): Auth,
            Path(id): Path<String>,
            RawQuery(query): RawQuery,
        ) -> Result<Response, AppError> {
            let opened = open(&state, &user, &id, Need::Write).await?;
            let had_query = query.as_deref().is_some_and(|q| !q.is_empty());
            let form = query_form(query.as_deref(), $step.date, ctx.today());
            let r = Reader::new(&form, Tr(ctx.lang));
            let command = command_of(&state, &r, $step).await?;
            ask(&state, &ctx, &user, opened, $step, &form, command, had_query).await
        }
    };
}

confirmed_step!(
    /// POST: close the case (with `confirm=yes`).
    close, ask_close, CLOSE
);
confirmed_step!(
    /// POST: the client declined (with `confirm=yes`).
    decline, ask_decline, DECLINE
);
confirmed_step!(
    /// POST: end outreach as not reached (with `confirm=yes`).
    not_reached, ask_not_reached, NOT_REACHED
);
confirmed_step!(
    /// POST: withdraw a consent from the day chosen (with `confirm=yes`).
    withdraw_consent, ask_withdraw_consent, WITHDRAW
);
confirmed_step!(
    /// POST: the client pauses participation (with `confirm=yes`).
    pause, ask_pause, PAUSE
);
confirmed_step!(
    /// POST: hand over inside the project (with `confirm=yes`).
    hand_over, ask_hand_over, HANDOVER
);
