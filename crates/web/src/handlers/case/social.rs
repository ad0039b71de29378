//! The social history: one row per life domain, assessed or not.

use wegbereiter_core::case_file::{Choice, Entry};

use super::prelude::*;

/// A social-history domain with its current assessment.
#[derive(Debug, Clone)]
pub struct DomainRow {
    /// Key.
    pub key: &'static str,
    /// Label.
    pub label: &'static str,
    /// Assessed yet.
    pub assessed: bool,
    /// Own view.
    pub own_view: String,
    /// Strengths.
    pub strengths: String,
    /// Need key.
    pub need: &'static str,
    /// Need label.
    pub need_label: &'static str,
    /// Priority key.
    pub priority: &'static str,
    /// Priority label.
    pub priority_label: &'static str,
    /// Source key.
    pub source: &'static str,
    /// Source label.
    pub source_label: &'static str,
    /// Form id.
    pub form: String,
}

fn choice(entry: Option<&Entry>, key: FactKey) -> Option<Choice> {
    match entry?.fact(key).map(|f| &f.value) {
        Some(Value::Choice(c)) => Some(*c),
        _ => None,
    }
}

fn text(entry: Option<&Entry>, key: FactKey) -> String {
    match entry.and_then(|e| e.fact(key)).map(|f| &f.value) {
        Some(Value::Text(t)) => t.clone(),
        _ => String::new(),
    }
}

/// Every life domain with its assessment from `file`, if any.
pub(super) fn rows(file: &CaseFile, lang: Lang) -> Vec<DomainRow> {
    let entries = file
        .section(SectionKey::SocialHistory)
        .map(|s| s.entries.as_slice())
        .unwrap_or_default();
    LifeDomain::ALL
        .iter()
        .map(|dom| {
            let a = entries.iter().find(|e| e.id.as_deref() == Some(dom.key()));
            let c = |key| choice(a, key);
            DomainRow {
                key: dom.key(),
                label: dom.label(lang),
                assessed: a.is_some(),
                own_view: text(a, FactKey::OwnView),
                strengths: text(a, FactKey::Strengths),
                need: c(FactKey::Need).map_or("", |c| c.key),
                need_label: c(FactKey::Need).map_or("", |c| c.label),
                priority: c(FactKey::Priority).map_or("", |c| c.key),
                priority_label: c(FactKey::Priority).map_or("", |c| c.label),
                source: c(FactKey::Source).map_or("own", |c| c.key),
                source_label: c(FactKey::Source).map_or("", |c| c.label),
                form: format!("assess-{}", dom.key()),
            }
        })
        .collect()
}

step!(
    /// POST: assess a life domain.
    assess, Need::Write, "social", "", |state, r, _case| (|| {
        Ok(Command::AssessDomain {
            domain: r.choice("domain", "social.domain")?,
            assessment: DomainAssessment {
                own_view: r.opt_text("own_view", "social.own_view")?,
                strengths: r.opt_text("strengths", "social.strengths")?,
                need: r.choice("need", "social.need")?,
                priority: r.choice("priority", "social.priority")?,
                source: r.choice("source", "social.source")?,
            },
        })
    })()
);
