//! Contacts: the documented contacts (the psychologist compartment withheld as core's
//! case-file model says) and the form to document one.

use std::collections::HashMap;

use super::Names;
use super::prelude::*;
use crate::forms::Errors;

/// A contact.
#[derive(Debug, Clone)]
pub struct ContactRow {
    /// Date.
    pub date: String,
    /// Minutes.
    pub minutes: String,
    /// Kind.
    pub kind: String,
    /// Content hidden (psychologist compartment).
    pub restricted: bool,
    /// Psychologist compartment.
    pub psych: bool,
    /// Participants.
    pub participants: String,
    /// Topics.
    pub topics: String,
    /// Agreements.
    pub agreements: String,
    /// Next steps.
    pub next_steps: String,
    /// Note.
    pub note: String,
    /// Who documented it.
    pub by: String,
}

/// The contacts of `file`, newest first; on the contacts page with who documented each.
pub(super) async fn rows(
    state: &AppState,
    case: &Case,
    file: &CaseFile,
    show: Show,
    section: &str,
    names: &Names,
) -> Result<Vec<ContactRow>, AppError> {
    // Who documented each contact: the actor of its event in the history.
    let authors: HashMap<String, String> = if section == "contacts" {
        state
            .backend
            .history(case.id)
            .await?
            .iter()
            .filter_map(|ev| match &ev.event {
                CaseEvent::ContactRecorded { contact } => {
                    Some((contact.id.to_string(), names.staff(Some(ev.actor))))
                }
                _ => None,
            })
            .collect()
    } else {
        HashMap::new()
    };
    let tr = Tr(show.lang);
    let entries = file
        .section(SectionKey::Contacts)
        .map(|s| s.entries.as_slice())
        .unwrap_or_default();
    Ok(entries
        .iter()
        .rev()
        .map(|e| {
            ContactRow {
            date: show.of(e, FactKey::Date),
            minutes: show.of(e, FactKey::Minutes),
            // A withheld contact keeps its date and length; the page also masks its kind.
            kind: if e.withheld {
                tr.t("contact.psych_kind").to_owned()
            } else {
                show.of(e, FactKey::Kind)
            },
            restricted: e.withheld,
            psych: e.fact(FactKey::Compartment).is_some_and(|f| {
                matches!(&f.value, Value::Choice(c) if c.key == NoteCompartment::Psychologist.key())
            }),
            participants: show.text(e, FactKey::Participants),
            topics: show.text(e, FactKey::Topics),
            agreements: show.text(e, FactKey::Agreements),
            next_steps: show.text(e, FactKey::NextSteps),
            note: show.text(e, FactKey::Note),
            by: e
                .id
                .as_ref()
                .and_then(|id| authors.get(id))
                .cloned()
                .unwrap_or_default(),
        }
        })
        .collect())
}

/// POST: document a contact.
pub async fn record_contact(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, Need::Contact).await?;
    let r = Reader::new(&form, Tr(ctx.lang));
    // Every field is read, so that one round reports every problem.
    let mut e = Errors::default();
    let date = e.take(r.date("date", "contact.date"));
    let duration = e.take(r.number("duration", "contact.duration", 1, 24 * 60));
    let kind = e.take(r.choice("kind", "contact.kind"));
    let participants = e.take(r.opt_text("participants", "contact.participants"));
    let topics = e.take(r.choices("topics", "contact.topics"));
    let agreements = e.take(r.opt_text("agreements", "contact.agreements"));
    let next_steps = e.take(r.opt_text("next_steps", "contact.next_steps"));
    let note = e.take(r.opt_text("note", "contact.note"));
    let command = match (
        date,
        duration,
        kind,
        participants,
        topics,
        agreements,
        next_steps,
        note,
    ) {
        (
            Some(date),
            Some(duration_minutes),
            Some(kind),
            Some(participants),
            Some(topics),
            Some(agreements),
            Some(next_steps),
            Some(note),
        ) => Ok(Command::RecordContact {
            contact: Contact {
                id: new_id(),
                date,
                duration_minutes,
                kind,
                participants,
                topics,
                agreements,
                next_steps,
                note,
                // Core decides the compartment (rule R14): a psychologist's note stays with
                // psychologists unless shared with the team below.
                compartment: NoteCompartment::CaseTeam,
            },
            share_with_team: r.flag("share_with_team"),
        }),
        _ => Err(e.refusal()),
    };
    // Whether this person may write into the compartment the note lands in (a psychologist
    // who is not assigned to the case writes only into theirs) is core's access policy,
    // checked by the service; a refusal answers 403.
    submit(
        &state, &ctx, &user, opened, "contacts", "contact", &form, command,
    )
    .await
}
