//! Closure, the ESF immediate result, reopening, and the closures a reopening undid.

use super::prelude::*;

/// What the closure section shows.
#[derive(Debug, Clone)]
pub struct Part {
    /// The closure in force (and the day a case ended otherwise).
    pub closure_facts: Vec<Fact>,
    /// Closures a reopening undid, one line each.
    pub previous_closures: Vec<Fact>,
}

/// The closure section of `file`.
pub(super) fn part(case: &Case, file: &CaseFile, show: Show, tr: Tr) -> Part {
    let mut closure_facts = file
        .section(SectionKey::Closure)
        .map(|s| show.facts(&s.facts))
        .unwrap_or_default();
    if let Some(e) = case.ended_on
        && case.status != CaseStatus::Closed
    {
        closure_facts.push(fact(tr.t("close.ended_on"), views::date(e, show.lang)));
    }
    // Closures a reopening undid are history: the case is open again.
    let previous_closures = file
        .section(SectionKey::PreviousClosures)
        .map(|s| s.entries.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|e| {
            fact(
                tr.t("close.on"),
                format!(
                    "{} · {} · {}",
                    show.of(e, FactKey::ClosedOn),
                    show.of(e, FactKey::ExitReason),
                    show.of(e, FactKey::ImmediateResult)
                ),
            )
        })
        .collect();
    Part {
        closure_facts,
        previous_closures,
    }
}

step!(
    /// POST: reopen the case (team lead).
    reopen, Need::Lead, "closure", "reopen", |state, r, _case| (|| {
        Ok(Command::Reopen { on: r.date("on", "close.reopen_on")? })
    })()
);

step!(
    /// POST: record the ESF immediate result.
    immediate_result, Need::Write, "closure", "result", |state, r, _case| (|| {
        Ok(Command::RecordImmediateResult { result: r.choice("immediate_result", "close.result")? })
    })()
);
