//! Goals: agreement, ratings on the 0–10 scale, status and wording.
//!
//! A goal's row carries its forms (rate, update, edit) and its ratings with their days, so
//! it is built from the case's goals with core's labels, in the order of the case file.

use super::prelude::*;

/// A rating of a goal.
#[derive(Debug, Clone)]
pub struct RatingCell {
    /// Date.
    pub on: String,
    /// Value 0–10.
    pub value: u8,
    /// CSS class for the bar length (`r0` … `r10`).
    pub class: String,
}

/// A goal.
#[derive(Debug, Clone)]
pub struct GoalRow {
    /// Id.
    pub id: String,
    /// Life domain.
    pub domain: &'static str,
    /// Wording.
    pub wording: String,
    /// Criterion.
    pub criterion: String,
    /// Responsible.
    pub responsible: &'static str,
    /// Review date.
    pub review: String,
    /// Review date (ISO).
    pub review_iso: String,
    /// Status key.
    pub status_key: &'static str,
    /// Status label.
    pub status: &'static str,
    /// Ratings over time.
    pub ratings: Vec<RatingCell>,
    /// Agreed on.
    pub agreed: String,
    /// Form id for rating.
    pub rate_form: String,
    /// Form id for updating.
    pub update_form: String,
    /// Form id for changing wording and criterion.
    pub edit_form: String,
}

/// The goals of `case`.
pub(super) fn rows(case: &Case, lang: Lang) -> Vec<GoalRow> {
    let d = |x: chrono::NaiveDate| views::date(x, lang);
    case.goals
        .iter()
        .map(|g| GoalRow {
            id: g.id.to_string(),
            domain: g.domain.label(lang),
            wording: g.wording.to_string(),
            criterion: g.criterion.to_string(),
            responsible: g.responsible.label(lang),
            review: d(g.review_date),
            review_iso: g.review_date.format("%Y-%m-%d").to_string(),
            status_key: g.status.key(),
            status: g.status.label(lang),
            ratings: g
                .ratings
                .iter()
                .map(|r| RatingCell {
                    on: d(r.on),
                    value: r.value.value(),
                    class: format!("r{}", r.value.value()),
                })
                .collect(),
            agreed: d(g.agreed_on),
            rate_form: format!("rate-{}", g.id),
            update_form: format!("goal-{}", g.id),
            edit_form: format!("goaledit-{}", g.id),
        })
        .collect()
}

step!(
    /// POST: agree a goal.
    agree_goal, Need::Write, "goals", "goal", |state, r, _case| (|| {
        Ok(Command::AgreeGoal {
            id: new_id(),
            domain: r.choice("domain", "goal.domain")?,
            wording: r.text("wording", "goal.wording")?,
            criterion: r.text("criterion", "goal.criterion")?,
            responsible: r.choice("responsible", "goal.responsible")?,
            review_date: r.date("review_date", "goal.review")?,
        })
    })()
);

step!(
    /// POST: rate a goal.
    rate_goal, Need::Write, "goals", "", |state, r, _case| (|| {
        let value = r.number("value", "goal.rating", 0, 10)?;
        Ok(Command::RateGoal {
            id: r.id("goal", "goal.wording")?,
            on: r.date("on", "goal.rated_on")?,
            value: Scale::new(u8::try_from(value).unwrap_or(u8::MAX))
                .map_err(|e| Invalid::field("value", e.message(r.tr.0)))?,
        })
    })()
);

step!(
    /// POST: change a goal's status or review date.
    update_goal, Need::Write, "goals", "", |state, r, _case| (|| {
        Ok(Command::UpdateGoal {
            id: r.id("goal", "goal.wording")?,
            changes: GoalChanges {
                status: r.opt_choice("status", "goal.status")?,
                review_date: r.opt_date("review_date", "goal.review")?,
                ..GoalChanges::default()
            },
        })
    })()
);

step!(
    /// POST: change a goal's wording and criterion (in the client's words).
    edit_goal, Need::Write, "goals", "", |state, r, _case| (|| {
        Ok(Command::UpdateGoal {
            id: r.id("goal", "goal.wording")?,
            changes: GoalChanges {
                wording: Some(r.text("wording", "goal.wording")?),
                criterion: Some(r.text("criterion", "goal.criterion")?),
                ..GoalChanges::default()
            },
        })
    })()
);
