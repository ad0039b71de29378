//! The next-step panel at the top of every case page: core's
//! [`next_steps`](wegbereiter_core::next_steps::next_steps) for the signed-in person, each step
//! linked straight to the form that takes it (tab and anchor), and on the overview the last
//! contact with the next steps it agreed.

use wegbereiter_core::case_file::SectionKey;
use wegbereiter_core::next_steps::{NextStep, next_steps};

use super::prelude::*;
use crate::context::ReqCtx;

/// How many steps the panel shows before the rest go into a "more" list.
const SHOWN: usize = 3;

/// One step in the panel.
#[derive(Debug, Clone)]
pub struct StepRow {
    /// The sentence (core's `NextStep::message`).
    pub text: String,
    /// The form that takes it: tab and anchor.
    pub href: String,
    /// Due before today.
    pub overdue: bool,
}

/// The panel.
#[derive(Debug, Clone, Default)]
pub struct Part {
    /// The first steps, most pressing first.
    pub steps: Vec<StepRow>,
    /// The rest, behind "more".
    pub more: Vec<StepRow>,
    /// The last contact: "date · kind", empty without one.
    pub last_contact: String,
    /// The next steps the last contact agreed (empty if none, or withheld).
    pub last_next_steps: String,
}

/// Where the form of `step` is in case `id`: the tab and the anchor of its form.
#[must_use]
pub fn href(id: &str, step: &NextStep) -> String {
    let to = |tab: &str, anchor: &str| format!("/cases/{id}/{tab}#{anchor}");
    match step {
        NextStep::ReviewGoal { goal, .. } => to("goals", &format!("g-{goal}")),
        other => match other.section() {
            SectionKey::Enrolment => to("enrolment", "s-enr"),
            SectionKey::Attempts => to("outreach", "s-att"),
            SectionKey::Period => to("enrolment", "f-ext"),
            SectionKey::Consents => to("enrolment", "s-con"),
            SectionKey::EsfEntry => to("enrolment", "s-esf"),
            SectionKey::Pauses => to("enrolment", "f-pause"),
            SectionKey::SocialHistory => format!("/cases/{id}/social"),
            SectionKey::Goals => to("goals", "f-goal"),
            SectionKey::Contacts => to("contacts", "f-con"),
            SectionKey::ReferralsOut => format!("/cases/{id}/referrals"),
            SectionKey::Closure => to("closure", "f-ir"),
            _ => format!("/cases/{id}"),
        },
    }
}

/// The panel of `case` for `reader`.
pub(super) fn part(state: &AppState, ctx: &ReqCtx, case: &Case, reader: &Actor) -> Part {
    let lang = ctx.lang;
    let today = ctx.today();
    let found = next_steps(case, reader, today, &ctx.tz, &state.policy);
    let id = case.id.to_string();
    let mut steps: Vec<StepRow> = found
        .steps
        .iter()
        .map(|s| StepRow {
            text: s.message(lang),
            href: href(&id, s),
            overdue: s.overdue(today),
        })
        .collect();
    let more = steps.split_off(steps.len().min(SHOWN));
    let (last_contact, last_next_steps) = found.last_contact.map_or_else(Default::default, |c| {
        (
            format!("{} · {}", views::date(c.date, lang), c.kind.label(lang)),
            c.next_steps.unwrap_or_default(),
        )
    });
    Part {
        steps,
        more,
        last_contact,
        last_next_steps,
    }
}
