//! Goals: agreement, ratings on the 0–10 scale, status and wording.

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
    pub domain: String,
    /// Wording.
    pub wording: String,
    /// Criterion.
    pub criterion: String,
    /// Responsible.
    pub responsible: String,
    /// Review date.
    pub review: String,
    /// Review date (ISO).
    pub review_iso: String,
    /// Status key.
    pub status_key: &'static str,
    /// Status label.
    pub status: String,
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

/// The goals of `file`, with their forms.
pub(super) fn rows(file: &CaseFile, show: Show) -> Vec<GoalRow> {
    let entries = file
        .section(SectionKey::Goals)
        .map(|s| s.entries.as_slice())
        .unwrap_or_default();
    entries
        .iter()
        .map(|e| {
            let value = |key| e.fact(key).map(|f| &f.value);
            let id = e.id.clone().unwrap_or_default();
            GoalRow {
                domain: show.of(e, FactKey::Domain),
                wording: show.of(e, FactKey::Wording),
                criterion: show.of(e, FactKey::Criterion),
                responsible: show.of(e, FactKey::Responsible),
                review: show.of(e, FactKey::ReviewDate),
                review_iso: match value(FactKey::ReviewDate) {
                    Some(Value::Date(d)) => d.format("%Y-%m-%d").to_string(),
                    _ => String::new(),
                },
                status_key: match value(FactKey::Status) {
                    Some(Value::Choice(c)) => c.key,
                    _ => "",
                },
                status: show.of(e, FactKey::Status),
                ratings: match value(FactKey::Ratings) {
                    Some(Value::Ratings(rs)) => rs
                        .iter()
                        .map(|r| RatingCell {
                            on: views::date(r.on, show.lang),
                            value: r.value,
                            class: format!("r{}", r.value),
                        })
                        .collect(),
                    _ => Vec::new(),
                },
                agreed: show.of(e, FactKey::AgreedOn),
                rate_form: format!("rate-{id}"),
                update_form: format!("goal-{id}"),
                edit_form: format!("goaledit-{id}"),
                id,
            }
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
