//! Outreach: announcement letters and contact attempts, decline and "not reached".

use super::prelude::*;
use crate::context::ReqCtx;

/// A contact attempt.
#[derive(Debug, Clone)]
pub struct AttemptRow {
    /// When.
    pub at: String,
    /// Channel.
    pub channel: String,
    /// Outcome.
    pub outcome: String,
    /// Who.
    pub staff: String,
}

/// An announcement letter.
#[derive(Debug, Clone)]
pub struct LetterRow {
    /// Letter date.
    pub letter: String,
    /// Visit window.
    pub window: String,
    /// Link to the printable letter.
    pub print: String,
    /// Link to its PDF (`?easy=1`: in Leichte Sprache).
    pub pdf: String,
}

/// What the outreach section shows.
#[derive(Debug, Clone)]
pub struct Part {
    /// Announcement letters.
    pub letters: Vec<LetterRow>,
    /// Contact attempts.
    pub attempts: Vec<AttemptRow>,
    /// Failed attempts so far.
    pub failed_attempts: u32,
    /// How many failed attempts end outreach (the project's rule).
    pub max_failed_attempts: u32,
    /// Whether core's outreach end rule is met today ("not reached" is possible).
    pub not_reached_allowed: bool,
    /// From when the time part of the rule is met.
    pub not_reached_from: String,
}

/// The outreach section of `file`.
pub(super) fn part(
    state: &AppState,
    ctx: &ReqCtx,
    case: &Case,
    file: &CaseFile,
    show: Show,
) -> Part {
    let entries = |key| {
        file.section(key)
            .map(|s| s.entries.clone())
            .unwrap_or_default()
    };
    let id = case.id;
    let rule = &state.policy.outreach_end;
    Part {
        letters: entries(SectionKey::Letters)
            .iter()
            .enumerate()
            .map(|(i, e)| LetterRow {
                letter: show.of(e, FactKey::LetterDate),
                window: format!(
                    "{} – {}",
                    show.of(e, FactKey::VisitFrom),
                    show.of(e, FactKey::VisitUntil)
                ),
                print: format!("/cases/{id}/outreach/letters/{}/print", i + 1),
                pdf: format!("/cases/{id}/outreach/letters/{}/pdf", i + 1),
            })
            .collect(),
        attempts: entries(SectionKey::Attempts)
            .iter()
            .map(|e| AttemptRow {
                at: show.of(e, FactKey::At),
                channel: show.of(e, FactKey::Channel),
                outcome: show.of(e, FactKey::Outcome),
                staff: show.of(e, FactKey::Staff),
            })
            .collect(),
        failed_attempts: case.failed_attempts(),
        max_failed_attempts: rule.max_failed_attempts,
        not_reached_allowed: wegbereiter_core::command::outreach_end_rule_met(
            case,
            rule,
            ctx.today(),
            &ctx.tz,
        ),
        not_reached_from: views::date(
            wegbereiter_core::command::outreach_time_rule_met_on(case, rule, &ctx.tz),
            ctx.lang,
        ),
    }
}

step!(
    /// POST: record an announcement letter.
    announce, Need::Write, "outreach", "announce", |state, r, _case| (|| {
        Ok(Command::AnnounceVisit {
            announcement: VisitAnnouncement {
                letter_date: r.date("letter_date", "out.letter_date")?,
                visit_from: r.date("visit_from", "out.visit_from")?,
                visit_until: r.date("visit_until", "out.visit_until")?,
            },
        })
    })()
);

step!(
    /// POST: log a contact attempt.
    attempt, Need::Write, "outreach", "attempt", |state, r, _case| (|| {
        Ok(Command::LogContactAttempt {
            at: views::from_local(r.datetime("at", "out.at")?, state.tz),
            channel: r.choice("channel", "out.channel")?,
            outcome: r.choice("outcome", "out.outcome")?,
        })
    })()
);
