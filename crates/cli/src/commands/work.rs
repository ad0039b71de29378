//! The daily work on a case: outreach, consents, social history, goals, contacts, referrals
//! out, handovers and Phase 2 group sessions. Every change goes through
//! [`App::execute`], i.e. [`wegbereiter_core::CaseService::execute`].

use std::fmt::Display;
use std::str::FromStr;

use serde::Serialize;
use wegbereiter_core::prelude::*;

use crate::app::{App, new_uuid};
use crate::args::{
    AnamnesisCmd, ConsentCmd, ContactAddArgs, ContactCmd, GoalCmd, GroupCmd, HandoverArgs,
    OutreachCmd, ReferCmd, ReleaseArgs,
};
use crate::commands::case::run_change as change;
use crate::commands::setup::{optional_text, required_text};
use crate::dates::show;
use crate::error::CliError;
use crate::msg;
use crate::output::{table, tr};

/// Finds an entry of a case by full id or a unique prefix of at least 4 characters.
///
/// # Errors
/// [`CliError::NotFound`] if nothing matches, [`CliError::Usage`] if several do.
pub fn resolve_ref<T: Copy + Display + FromStr>(
    candidates: impl IntoIterator<Item = T>,
    reference: &str,
    what_de: &str,
    what_en: &str,
) -> Result<T, CliError> {
    let wanted = reference.trim().to_lowercase();
    let candidates: Vec<T> = candidates.into_iter().collect();
    if let Ok(exact) = wanted.parse::<T>()
        && let Some(found) = candidates
            .iter()
            .find(|c| c.to_string() == exact.to_string())
    {
        return Ok(*found);
    }
    let matching: Vec<T> = if wanted.len() >= 4 {
        candidates
            .into_iter()
            .filter(|c| c.to_string().starts_with(&wanted))
            .collect()
    } else {
        Vec::new()
    };
    match matching.as_slice() {
        [one] => Ok(*one),
        [] => Err(CliError::NotFound(msg!(
            "{what_de} „{reference}“ gibt es in diesem Fall nicht.",
            "There is no {what_en} “{reference}” in this case."
        ))),
        _ => Err(CliError::Usage(msg!(
            "„{reference}“ passt auf mehrere Einträge ({what_de}); bitte mehr Zeichen angeben.",
            "“{reference}” matches several entries ({what_en}); give more characters."
        ))),
    }
}

/// `outreach …`.
///
/// # Errors
/// Refusals, not found, conflicts and storage errors.
pub async fn outreach(app: &App, cmd: OutreachCmd) -> Result<(), CliError> {
    match cmd {
        OutreachCmd::Letter {
            id,
            date,
            visit_from,
            visit_until,
            hours,
        } => {
            let announcement = VisitAnnouncement {
                letter_date: date.unwrap_or(app.today()),
                visit_from,
                visit_until,
                hours,
            };
            change(app, id, Command::AnnounceVisit { announcement }, None).await
        }
        OutreachCmd::Attempt {
            id,
            channel,
            outcome,
            at,
        } => {
            let at = match at {
                Some(moment) => app.instant(moment)?,
                None => app.now(),
            };
            let command = Command::LogContactAttempt {
                at,
                channel,
                outcome,
            };
            change(app, id, command, None).await
        }
    }
}

/// `consent …`.
///
/// # Errors
/// Refusals, not found, conflicts and storage errors.
pub async fn consent(app: &App, cmd: ConsentCmd) -> Result<(), CliError> {
    match cmd {
        ConsentCmd::Give {
            id,
            purpose,
            form,
            given_on,
        } => {
            let consent_id = ConsentId::from_uuid(new_uuid());
            let command = Command::GiveConsent {
                id: consent_id,
                purpose,
                form,
                given_on: given_on.unwrap_or(app.today()),
            };
            change(app, id, command, Some(consent_id.to_string())).await
        }
        ConsentCmd::Withdraw {
            id,
            on,
            consent,
            purpose,
        } => {
            let case = app.case(id).await?;
            let consent_id = match (consent, purpose) {
                (Some(reference), _) => resolve_ref(
                    case.consents.iter().map(|c| c.id),
                    &reference,
                    "Die Einwilligung",
                    "consent",
                )?,
                (None, Some(purpose)) => case
                    .consents
                    .iter()
                    .find(|c| c.purpose == purpose && c.is_active_at(app.local_now()))
                    .map(|c| c.id)
                    .ok_or_else(|| {
                        let (de, en) = (purpose.label(Lang::De), purpose.label(Lang::En));
                        CliError::NotFound(msg!(
                            "Es gibt keine gültige Einwilligung „{de}“ in diesem Fall.",
                            "There is no active consent “{en}” in this case."
                        ))
                    })?,
                (None, None) => {
                    return Err(CliError::Usage(msg!(
                        "Bitte --consent ID oder --purpose ZWECK angeben.",
                        "Give --consent ID or --purpose PURPOSE."
                    )));
                }
            };
            change(
                app,
                id,
                Command::WithdrawConsent { id: consent_id, on },
                None,
            )
            .await
        }
        ConsentCmd::Receipt { id, consent } => {
            let case = app.read_case(id, AccessKind::Export).await?;
            let consent_id = resolve_ref(
                case.consents.iter().map(|c| c.id),
                &consent,
                "Die Einwilligung",
                "consent",
            )?;
            let lang = app.lang();
            let Some(r) = wegbereiter_core::consent::receipt(&case, consent_id, lang) else {
                return Err(CliError::NotFound(msg!(
                    "Die Einwilligung gibt es in diesem Fall nicht.",
                    "There is no such consent in this case."
                )));
            };
            let tz = app.tz();
            app.out().emit(&r, |lang| receipt_text(&r, tz, lang))
        }
    }
}

/// A consent receipt as the client gets it printed.
fn receipt_text(
    r: &wegbereiter_core::consent::ConsentReceipt,
    tz: chrono_tz::Tz,
    lang: Lang,
) -> String {
    use wegbereiter_core::consent::ReceiptKind;
    let title = match r.kind {
        ReceiptKind::Given => tr(
            lang,
            "Bestätigung Ihrer Einwilligung",
            "Confirmation of your consent",
        ),
        ReceiptKind::Withdrawn => tr(
            lang,
            "Bestätigung Ihres Widerrufs",
            "Confirmation of your withdrawal",
        ),
    };
    let mut out = format!(
        "{title}\n\n{}: {}\n{}: {}\n{}: {} ({})\n{}: {}\n",
        tr(lang, "Für", "For"),
        r.client,
        tr(lang, "Zweck", "Purpose"),
        r.purpose.label(lang),
        tr(lang, "Gegeben am", "Given on"),
        crate::dates::show(r.given_on, lang),
        r.form.label(lang),
        tr(lang, "Textfassung", "Text version"),
        r.text_version,
    );
    if let Some(at) = r.withdrawn_at {
        out.push_str(&format!(
            "{}: {}\n",
            tr(lang, "Widerrufen am", "Withdrawn on"),
            crate::dates::show_time(at, tz, lang)
        ));
    }
    out.push_str(&format!(
        "\n{}:\n{}\n\n{}",
        tr(lang, "Wortlaut der Einwilligung", "Wording of the consent"),
        r.text,
        match r.kind {
            ReceiptKind::Given => tr(
                lang,
                "Sie können diese Einwilligung jederzeit widerrufen, ohne dass Ihnen ein Nachteil entsteht; bis dahin Geschehenes bleibt rechtmäßig.",
                "You can withdraw this consent at any time without any disadvantage; what happened until then remains lawful.",
            ),
            ReceiptKind::Withdrawn => tr(
                lang,
                "Ab dem Widerruf wird für diesen Zweck nichts mehr verarbeitet oder weitergegeben. Sie können die Einwilligung jederzeit neu geben.",
                "From the withdrawal on nothing is processed or passed on for this purpose. You can give the consent again at any time.",
            ),
        }
    ));
    out
}

/// `anamnesis …`.
///
/// # Errors
/// Refusals, not found, conflicts and storage errors.
pub async fn anamnesis(app: &App, cmd: AnamnesisCmd) -> Result<(), CliError> {
    match cmd {
        AnamnesisCmd::Set {
            id,
            domain,
            need,
            priority,
            source,
            own_view,
            strengths,
        } => {
            let assessment = DomainAssessment {
                own_view: optional_text(own_view.as_deref(), "--own-view")?,
                strengths: optional_text(strengths.as_deref(), "--strengths")?,
                need,
                priority,
                source,
            };
            change(app, id, Command::AssessDomain { domain, assessment }, None).await
        }
    }
}

/// `goal …`.
///
/// # Errors
/// Refusals, not found, conflicts and storage errors.
pub async fn goal(app: &App, cmd: GoalCmd) -> Result<(), CliError> {
    match cmd {
        GoalCmd::Add {
            id,
            domain,
            wording,
            criterion,
            responsible,
            review,
        } => {
            let goal_id = GoalId::from_uuid(new_uuid());
            let command = Command::AgreeGoal {
                id: goal_id,
                domain,
                wording: required_text(&wording, "--wording")?,
                criterion: required_text(&criterion, "--criterion")?,
                responsible,
                review_date: review,
            };
            change(app, id, command, Some(goal_id.to_string())).await
        }
        GoalCmd::Update {
            id,
            goal,
            wording,
            criterion,
            responsible,
            review,
            status,
        } => {
            let case = app.case(id).await?;
            let goal_id = resolve_ref(case.goals.iter().map(|g| g.id), &goal, "Das Ziel", "goal")?;
            let changes = GoalChanges {
                wording: optional_text(wording.as_deref(), "--wording")?,
                criterion: optional_text(criterion.as_deref(), "--criterion")?,
                responsible,
                review_date: review,
                status,
            };
            change(
                app,
                id,
                Command::UpdateGoal {
                    id: goal_id,
                    changes,
                },
                None,
            )
            .await
        }
        GoalCmd::Rate {
            id,
            goal,
            value,
            on,
        } => {
            let case = app.case(id).await?;
            let goal_id = resolve_ref(case.goals.iter().map(|g| g.id), &goal, "Das Ziel", "goal")?;
            let command = Command::RateGoal {
                id: goal_id,
                on: on.unwrap_or(app.today()),
                value,
            };
            change(app, id, command, None).await
        }
    }
}

/// `contact …`.
///
/// # Errors
/// Refusals, not found, conflicts and storage errors.
pub async fn contact(app: &App, cmd: ContactCmd) -> Result<(), CliError> {
    let ContactCmd::Add(args) = cmd;
    let ContactAddArgs {
        id,
        kind,
        duration,
        date,
        topics,
        participants,
        agreements,
        next_steps,
        note,
        psychologist_only,
        share_with_team,
    } = *args;
    let contact_id = ContactId::from_uuid(new_uuid());
    let contact = Contact {
        id: contact_id,
        date: date.unwrap_or(app.today()),
        duration_minutes: duration,
        kind,
        participants: optional_text(participants.as_deref(), "--participants")?,
        topics,
        agreements: optional_text(agreements.as_deref(), "--agreements")?,
        next_steps: optional_text(next_steps.as_deref(), "--next-steps")?,
        note: optional_text(note.as_deref(), "--note")?,
        compartment: if psychologist_only {
            NoteCompartment::Psychologist
        } else {
            NoteCompartment::CaseTeam
        },
    };
    change(
        app,
        id,
        Command::RecordContact {
            contact,
            share_with_team,
        },
        Some(contact_id.to_string()),
    )
    .await
}

/// `refer …`.
///
/// # Errors
/// Refusals, not found, conflicts and storage errors.
pub async fn refer(app: &App, cmd: ReferCmd) -> Result<(), CliError> {
    match cmd {
        ReferCmd::Add {
            id,
            service,
            on,
            note,
            contact_person,
        } => {
            let note = optional_text(note.as_deref(), "--note")?;
            let contact_person = optional_text(contact_person.as_deref(), "--contact-person")?;
            let service = app.service_by_ref(&service).await?;
            let referral_id = OutboundReferralId::from_uuid(new_uuid());
            change(
                app,
                id,
                Command::ReferOut {
                    id: referral_id,
                    service,
                    on: on.unwrap_or(app.today()),
                    note,
                    contact_person,
                },
                Some(referral_id.to_string()),
            )
            .await
        }
        ReferCmd::Update {
            id,
            referral,
            status,
            on,
        } => {
            let referral = referral_ref(app, id, &referral).await?;
            let command = Command::UpdateReferralOut {
                id: referral,
                status,
                on: on.unwrap_or(app.today()),
            };
            change(app, id, command, None).await
        }
        ReferCmd::Release(args) => {
            let ReleaseArgs {
                id,
                referral,
                recipient,
                information,
                purpose,
                direction,
                given_on,
                valid_until,
            } = *args;
            let referral = referral_ref(app, id, &referral).await?;
            let release = SecrecyRelease {
                recipient: required_text(&recipient, "--recipient")?,
                information: required_text(&information, "--information")?,
                purpose: required_text(&purpose, "--purpose")?,
                direction,
                given_on: given_on.unwrap_or(app.today()),
                valid_until,
                withdrawn_on: None,
            };
            change(
                app,
                id,
                Command::RecordSecrecyRelease { referral, release },
                None,
            )
            .await
        }
        ReferCmd::WithdrawRelease { id, referral } => {
            let referral = referral_ref(app, id, &referral).await?;
            change(app, id, Command::WithdrawSecrecyRelease { referral }, None).await
        }
        ReferCmd::Disclose {
            id,
            referral,
            information,
            on,
        } => {
            let referral = referral_ref(app, id, &referral).await?;
            let command = Command::RecordDisclosure {
                referral,
                on: on.unwrap_or(app.today()),
                information: required_text(&information, "--information")?,
            };
            change(app, id, command, None).await
        }
    }
}

async fn referral_ref(
    app: &App,
    id: CaseId,
    reference: &str,
) -> Result<OutboundReferralId, CliError> {
    let case = app.case(id).await?;
    resolve_ref(
        case.referrals_out.iter().map(|r| r.id),
        reference,
        "Die Weitervermittlung",
        "referral out",
    )
}

/// `handover`.
///
/// # Errors
/// Refusals, not found, conflicts and storage errors.
pub async fn handover(app: &App, args: HandoverArgs) -> Result<(), CliError> {
    let to = match &args.staff {
        Some(login) => Some(app.staff_by_login(login).await?.as_actor()),
        None => None,
    };
    let command = Command::HandOver {
        target: args.to,
        to,
        on: args.on.unwrap_or(app.today()),
        note: optional_text(args.note.as_deref(), "--note")?,
    };
    change(app, args.id, command, None).await
}

#[derive(Serialize)]
struct SessionView {
    id: GroupSessionId,
    kind: &'static str,
    date: chrono::NaiveDate,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    present: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    absent: Option<usize>,
}

/// `group …`.
///
/// # Errors
/// Refusals, not found, conflicts and storage errors.
pub async fn group(app: &App, cmd: GroupCmd) -> Result<(), CliError> {
    match cmd {
        GroupCmd::AddSession { kind, date, title } => {
            let actor = app.actor().await?;
            if !actor
                .roles
                .iter()
                .any(|r| r.works_on_cases() || *r == Role::Administrator)
            {
                return Err(CliError::Rule(DomainError::NotPermitted {
                    role: Role::KeyWorker,
                }));
            }
            let session = GroupSession {
                id: GroupSessionId::from_uuid(new_uuid()),
                kind,
                date,
                title: required_text(&title, "--title")?,
            };
            app.store
                .save_group_session(&session, app.stamp(Some(&actor)))
                .await?;
            let view = SessionView {
                id: session.id,
                kind: kind.key(),
                date,
                title: session.title.to_string(),
                present: None,
                absent: None,
            };
            app.out().emit(&view, |lang| {
                format!(
                    "{} {} {} ({})\n{}",
                    tr(lang, "Gruppentermin angelegt:", "Group session added:"),
                    show(date, lang),
                    view.title,
                    kind.label(lang),
                    view.id
                )
            })
        }
        GroupCmd::List => {
            let sessions = app.store.list_group_sessions().await?;
            let mut views = Vec::with_capacity(sessions.len());
            for s in &sessions {
                let attendance = app.store.attendance_for_session(s.id).await?;
                let present = attendance
                    .iter()
                    .filter(|(_, a)| *a == Attendance::Present)
                    .count();
                views.push(SessionView {
                    id: s.id,
                    kind: s.kind.key(),
                    date: s.date,
                    title: s.title.to_string(),
                    present: Some(present),
                    absent: Some(attendance.len() - present),
                });
            }
            app.out().emit(&views, |lang| {
                let t = |de, en| tr(lang, de, en);
                let mut tb = table(&[
                    t("Datum", "Date"),
                    t("Art", "Kind"),
                    t("Titel", "Title"),
                    t("anwesend", "present"),
                    "Id",
                ]);
                for (s, v) in sessions.iter().zip(&views) {
                    tb.add_row(vec![
                        show(s.date, lang),
                        s.kind.label(lang).to_owned(),
                        v.title.clone(),
                        v.present.unwrap_or(0).to_string(),
                        v.id.to_string(),
                    ]);
                }
                tb.to_string()
            })
        }
        GroupCmd::Attend {
            session,
            case,
            attendance,
        } => {
            let session = app.store.group_session(session).await?.ok_or_else(|| {
                CliError::NotFound(msg!(
                    "Diesen Gruppentermin gibt es nicht (siehe `wegbereiter group list`).",
                    "There is no such group session (see `wegbereiter group list`)."
                ))
            })?;
            change(
                app,
                case,
                Command::RecordAttendance {
                    session,
                    attendance,
                },
                None,
            )
            .await
        }
    }
}
