//! Outreach: announcement letters and contact attempts, decline and "not reached".

use wegbereiter_core::case_file::Value;
use wegbereiter_core::letter::LetterLanguage;
use wegbereiter_core::outreach::VisitHours;

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
    /// Whether its PDF carries an unreviewed translation, so it is made only after a
    /// confirmation on the letter's page (the link goes there instead).
    pub confirm_first: bool,
}

/// What the outreach section shows.
#[derive(Debug, Clone)]
pub struct Part {
    /// Announcement letters.
    pub letters: Vec<LetterRow>,
    /// The client's letter language (its key; "" for German only).
    pub letter_language: &'static str,
    /// The letter languages to choose from: key and label.
    pub letter_languages: Vec<(&'static str, &'static str)>,
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
    let language = case.referral.client.letter_language;
    let confirm_first = language.is_some_and(|l| !l.review().is_reviewed());
    Part {
        letters: entries(SectionKey::Letters)
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let hours = show.of(e, FactKey::VisitHours);
                LetterRow {
                    letter: show.of(e, FactKey::LetterDate),
                    window: format!(
                        "{} – {}{}",
                        show.of(e, FactKey::VisitFrom),
                        show.of(e, FactKey::VisitUntil),
                        if e.fact(FactKey::VisitHours)
                            .is_some_and(|f| f.value != Value::Missing)
                        {
                            format!(", {hours}")
                        } else {
                            String::new()
                        }
                    ),
                    print: format!("/cases/{id}/outreach/letters/{}/print", i + 1),
                    pdf: format!("/cases/{id}/outreach/letters/{}/pdf", i + 1),
                    confirm_first,
                }
            })
            .collect(),
        letter_language: language.map_or("", Labelled::key),
        letter_languages: LetterLanguage::ALL
            .iter()
            .map(|l| (l.key(), l.label(ctx.lang)))
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
        // The time of day is optional, but a window needs both ends.
        let hours = match (
            r.opt_time("visit_start", "out.visit_start")?,
            r.opt_time("visit_end", "out.visit_end")?,
        ) {
            (Some(start), Some(end)) => Some(VisitHours { start, end }),
            (None, None) => None,
            (Some(_), None) => return Err(r.bad("visit_end", "out.visit_end", r.tr.t("form.required"))),
            (None, Some(_)) => {
                return Err(r.bad("visit_start", "out.visit_start", r.tr.t("form.required")));
            }
        };
        Ok(Command::AnnounceVisit {
            announcement: VisitAnnouncement {
                letter_date: r.date("letter_date", "out.letter_date")?,
                visit_from: r.date("visit_from", "out.visit_from")?,
                visit_until: r.date("visit_until", "out.visit_until")?,
                hours,
            },
        })
    })()
);

step!(
    /// POST: choose the client's letter language ("" for German only).
    letter_language, Need::Write, "outreach", "letter_language", |state, r, _case| (|| {
        Ok(Command::ChooseLetterLanguage {
            language: r.opt_choice("letter_language", "client.letter_language")?,
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
