//! Handover inside the project, Phase 2 attendance, the assignment (key worker, team).

use super::prelude::*;

/// A handover as the section shows it.
#[derive(Debug, Clone)]
pub struct HandoverView {
    /// Target.
    pub target: String,
    /// "12.03.2026 · Name (bisher: Name)".
    pub value: String,
    /// The note for the handover talk, or "".
    pub note: String,
}

/// What the handover section shows.
#[derive(Debug, Clone)]
pub struct Part {
    /// Handovers: target, day, the person now responsible and before, the note.
    pub handovers: Vec<HandoverView>,
    /// Phase 2 attendance, by day.
    pub attendance: Vec<Fact>,
}

/// The handover section of `file`.
pub(super) fn part(file: &CaseFile, show: Show, tr: Tr) -> Part {
    let entries = |key| {
        file.section(key)
            .map(|s| s.entries.clone())
            .unwrap_or_default()
    };
    Part {
        handovers: entries(SectionKey::Handovers)
            .iter()
            .map(|e| {
                let to = match e.fact(FactKey::Responsible).map(|f| &f.value) {
                    None | Some(Value::Missing) => tr.t("handover.same_person").to_owned(),
                    Some(v) => show.value(v),
                };
                let before = show.text(e, FactKey::Before);
                let before = if before.is_empty() {
                    String::new()
                } else {
                    format!(" ({}: {before})", tr.t("handover.before"))
                };
                HandoverView {
                    target: show.of(e, FactKey::Target),
                    value: format!("{} · {to}{before}", show.of(e, FactKey::Date)),
                    note: show.text(e, FactKey::Note),
                }
            })
            .collect(),
        attendance: entries(SectionKey::Attendance)
            .iter()
            .map(|e| Fact {
                label: show.of(e, FactKey::Session),
                value: format!(
                    "{} · {}",
                    show.of(e, FactKey::Date),
                    show.of(e, FactKey::Attendance)
                ),
            })
            .collect(),
    }
}

/// POST: assign another key worker (team lead); before enrolment, the person responsible
/// for the outreach.
pub async fn reassign(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, Need::Lead).await?;
    let r = Reader::new(&form, Tr(ctx.lang));
    let command = chosen_staff(&state, &r, "to", "case.key_worker", &opened.summary)
        .await?
        .map(|to| Command::ReassignKeyWorker { to });
    // Before enrolment the form is on the overview ("responsible for outreach").
    let section = if form.get("from") == "overview" {
        "overview"
    } else {
        "handover"
    };
    submit(
        &state, &ctx, &user, opened, section, "reassign", &form, command,
    )
    .await
}

/// POST: move the case to another team (team lead of the current team).
pub async fn assign_team(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    let opened = open(&state, &user, &id, Need::Lead).await?;
    let r = Reader::new(&form, Tr(ctx.lang));
    let team = match r.id::<TeamId>("team", "case.team") {
        Ok(t) => match state.backend.team(t).await? {
            Some(_) => Ok(t),
            None => Err(r.unchosen("team", "case.team")),
        },
        Err(e) => Err(e),
    };
    let command = team.map(|team| Command::AssignTeam { team });
    submit(
        &state, &ctx, &user, opened, "handover", "team", &form, command,
    )
    .await
}
