//! The overview: the case's head facts, the referral, the client and the reminders due.

use wegbereiter_core::reminders::reminders;

use super::prelude::*;
use crate::context::ReqCtx;

/// What the overview shows besides the head.
#[derive(Debug, Clone)]
pub struct Part {
    /// The referral.
    pub referral_facts: Vec<Fact>,
    /// The client.
    pub client_facts: Vec<Fact>,
    /// Reminders due for this case.
    pub case_reminders: Vec<Fact>,
}

/// The head of every page: case number, team, key worker, phase, end.
pub(super) fn head(case: &Case, file: &CaseFile, show: Show, tr: Tr) -> Vec<Fact> {
    let mut head = vec![fact(tr.t("case.number"), views::case_no(case.id))];
    if let Some(overview) = file.section(SectionKey::Overview) {
        head.extend(
            overview
                .facts
                .iter()
                .filter(|f| match f.key {
                    FactKey::Team | FactKey::KeyWorker | FactKey::EndedOn | FactKey::PlannedEnd => {
                        true
                    }
                    FactKey::Phase => !f.value.is_missing(),
                    _ => false,
                })
                .map(|f| fact(f.label, show.value(&f.value))),
        );
    }
    head
}

/// The overview's facts.
pub(super) fn part(
    state: &AppState,
    ctx: &ReqCtx,
    case: &Case,
    file: &CaseFile,
    show: Show,
) -> Part {
    let facts = |key| {
        file.section(key)
            .map(|s| show.facts(&s.facts))
            .unwrap_or_default()
    };
    Part {
        referral_facts: facts(SectionKey::Referral),
        client_facts: facts(SectionKey::Client),
        case_reminders: reminders(case, ctx.today(), &ctx.tz, &state.policy)
            .into_iter()
            .map(|rm| fact(rm.kind.label(ctx.lang), views::date(rm.due, ctx.lang)))
            .collect(),
    }
}
