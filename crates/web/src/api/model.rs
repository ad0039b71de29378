//! What the API's JSON looks like: explicit types with stable English snake_case field
//! names, the same names as the CLI's `--format json` (`case list`, `case show`,
//! `reminders`), so that a script can move from one to the other.
//!
//! Domain types are never dumped as they are: a refactoring of core cannot silently change
//! the API. Vocabulary values are their stable keys (`"not_reached"`), days ISO dates,
//! instants UTC. The case file itself is core's case-file model
//! ([`wegbereiter_core::case_file`]), as the web pages and the CLI show it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use wegbereiter_core::case_file::{CaseFile, Fact, Value};
use wegbereiter_core::next_steps::NextStep;
use wegbereiter_core::prelude::*;

/// A row of the case list (as `case list --format json`, ids instead of names where a
/// script needs them).
#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryView {
    /// Case id.
    pub id: Uuid,
    /// The case number people read and type (`ABCDE-F1234`).
    pub case_number: String,
    /// "Family, Given".
    pub client_name: String,
    /// Date of birth.
    pub date_of_birth: Option<NaiveDate>,
    /// Status key (`referred`, `outreach`, `enrolled`, …).
    pub status: &'static str,
    /// Phase key (`phase1`, `phase2`) once enrolled.
    pub phase: Option<&'static str>,
    /// Team name (as the CLI's `team`).
    pub team: Option<String>,
    /// Team id.
    pub team_id: Option<Uuid>,
    /// Key worker's login (as the CLI's `key_worker`).
    pub key_worker: Option<String>,
    /// Key worker's id.
    pub key_worker_id: Option<Uuid>,
    /// Referring Jobcenter.
    pub jobcenter: String,
    /// Referral date.
    pub referral_date: NaiveDate,
    /// Planned end of the key-worker period.
    pub planned_end: Option<NaiveDate>,
    /// Day the case ended.
    pub ended_on: Option<NaiveDate>,
    /// The case version (the `ETag` of the case).
    pub version: u64,
}

impl SummaryView {
    /// The row of `s`, with team names and logins from `names`.
    #[must_use]
    pub fn of(s: &CaseSummary, names: &DirectoryNames) -> Self {
        Self {
            id: s.id.as_uuid(),
            case_number: s.id.case_number(),
            client_name: s.client_name.clone(),
            date_of_birth: s.date_of_birth,
            status: s.status.key(),
            phase: s.phase.map(Labelled::key),
            team: s.team.and_then(|t| names.teams.get(&t).cloned()),
            team_id: s.team.map(|t| t.as_uuid()),
            key_worker: s.key_worker.and_then(|k| names.logins.get(&k).cloned()),
            key_worker_id: s.key_worker.map(|k| k.as_uuid()),
            jobcenter: s.jobcenter.clone(),
            referral_date: s.referral_date,
            planned_end: s.planned_end,
            ended_on: s.ended_on,
            version: s.version,
        }
    }
}

/// Team names and logins by id, for the rows that name them.
#[derive(Debug, Default)]
pub struct DirectoryNames {
    /// Team names.
    pub teams: std::collections::HashMap<TeamId, String>,
    /// Staff logins.
    pub logins: std::collections::HashMap<StaffId, String>,
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct CasePage {
    /// The rows of this page.
    pub items: Vec<SummaryView>,
    /// The `offset` of the next page, absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_offset: Option<usize>,
}

/// A fact of the case-file model (as in `case show --format json`).
#[derive(Debug, Serialize, ToSchema)]
pub struct FactView {
    /// Stable key (`jobcenter`, `planned_end`, …).
    pub key: &'static str,
    /// Label in the request's language.
    pub label: &'static str,
    /// The value as people read it.
    pub text: String,
    /// The value for scripts: ISO day, UTC instant, vocabulary key or keys, number,
    /// boolean; `null` when missing or withheld.
    pub value: serde_json::Value,
    /// Whether the value is withheld from this reader.
    pub withheld: bool,
}

/// An entry of a listing section.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryView {
    /// The entry's id (a goal, a consent, a referral out …), if it has one.
    pub id: Option<String>,
    /// Whether some of its content is withheld from this reader.
    pub withheld: bool,
    /// Its facts.
    pub facts: Vec<FactView>,
}

/// A section of the case file.
#[derive(Debug, Serialize, ToSchema)]
pub struct SectionView {
    /// Stable key (`client`, `goals`, …).
    pub key: &'static str,
    /// Title in the request's language.
    pub title: &'static str,
    /// Facts of a fact section.
    pub facts: Vec<FactView>,
    /// Entries of a listing section.
    pub entries: Vec<EntryView>,
    /// The entries in sentences.
    pub lines: Vec<String>,
}

/// Something the case file does not show this reader, and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct WithheldView {
    /// Section key.
    pub section: &'static str,
    /// Entry id.
    pub entry: Option<String>,
    /// Reason key (`psychologist_compartment`).
    pub reason: &'static str,
    /// The reason in the request's language.
    pub explanation: &'static str,
}

/// One of the next steps of a case for the reader (core's `next_steps`).
#[derive(Debug, Serialize, ToSchema)]
pub struct NextStepView {
    /// The step's stable key (`enrol`, `ask_consent`, `review_goal`, …).
    pub step: &'static str,
    /// The key of the case-file section whose step it is.
    pub section: &'static str,
    /// When it is due, if it has a day.
    pub due: Option<NaiveDate>,
    /// Due before today.
    pub overdue: bool,
    /// The step as a sentence in the request's language.
    pub text: String,
}

/// A case file as the caller may read it (`GET /cases/{id}`; the read is in the access log).
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseView {
    /// The case's row.
    #[serde(flatten)]
    pub summary: SummaryView,
    /// When the case last changed.
    pub last_changed_at: DateTime<Utc>,
    /// The case file, section after section (core's case-file model).
    pub sections: Vec<SectionView>,
    /// What the case file does not show this reader, and why.
    pub withheld: Vec<WithheldView>,
    /// What the reader can do next, most pressing first.
    pub next_steps: Vec<NextStepView>,
}

impl FactView {
    fn of(f: &Fact, show: &dyn Fn(&Value) -> String) -> Self {
        use serde_json::Value as J;
        let value = match &f.value {
            Value::Text(t) => J::from(t.clone()),
            Value::Date(d) => J::from(d.to_string()),
            Value::Instant(at) => J::from(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            Value::Choice(c) => J::from(c.key),
            Value::Choices(cs) => J::from(cs.iter().map(|c| c.key).collect::<Vec<_>>()),
            Value::Number(n) => J::from(*n),
            Value::Flag(Some(b)) => J::from(*b),
            Value::Ratings(rs) => J::from(
                rs.iter()
                    .map(|r| serde_json::json!({ "on": r.on.to_string(), "value": r.value }))
                    .collect::<Vec<_>>(),
            ),
            _ => J::Null,
        };
        Self {
            key: f.key.key(),
            label: f.label,
            text: show(&f.value),
            value,
            withheld: f.value == Value::Withheld,
        }
    }
}

/// The sections and withheld entries of `file`; `show` words a value for people.
#[must_use]
pub fn file_views(
    file: &CaseFile,
    show: &dyn Fn(&Value) -> String,
) -> (Vec<SectionView>, Vec<WithheldView>) {
    let facts = |fs: &[Fact]| fs.iter().map(|f| FactView::of(f, show)).collect();
    let sections = file
        .sections
        .iter()
        .map(|s| SectionView {
            key: s.key.key(),
            title: s.title,
            facts: facts(&s.facts),
            entries: s
                .entries
                .iter()
                .map(|e| EntryView {
                    id: e.id.clone(),
                    withheld: e.withheld,
                    facts: facts(&e.facts),
                })
                .collect(),
            lines: s.lines.clone(),
        })
        .collect();
    let withheld = file
        .withheld
        .iter()
        .map(|w| WithheldView {
            section: w.section.key(),
            entry: w.entry.clone(),
            reason: w.reason.key(),
            explanation: w.explanation,
        })
        .collect();
    (sections, withheld)
}

impl NextStepView {
    /// The views of `steps` on `today` in `lang`.
    #[must_use]
    pub fn of(steps: &[NextStep], today: NaiveDate, lang: Lang) -> Vec<Self> {
        steps
            .iter()
            .map(|s| Self {
                step: s.key(),
                section: s.section().key(),
                due: s.due(),
                overdue: s.overdue(today),
                text: s.message(lang),
            })
            .collect()
    }
}

/// A reminder (*Wiedervorlage*), as `reminders --format json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReminderView {
    /// Due day.
    pub due: NaiveDate,
    /// Kind key.
    pub kind: &'static str,
    /// Case.
    pub case_id: Uuid,
    /// Client name.
    pub client_name: Option<String>,
    /// Goal or referral out the reminder is about.
    pub subject_id: Option<String>,
    /// Key worker's login (as the CLI's `key_worker`).
    pub key_worker: Option<String>,
    /// Key worker's id.
    pub key_worker_id: Option<Uuid>,
    /// Whether the due day has passed.
    pub overdue: bool,
}

/// One page of reminders.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReminderPage {
    /// The reminders of this page, most urgent first.
    pub items: Vec<ReminderView>,
    /// The `page` to ask for next, absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page: Option<usize>,
}

/// A staff member in the directory.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffView {
    /// Id.
    pub id: Uuid,
    /// Sign-in name.
    pub login: String,
    /// Display name.
    pub name: String,
    /// Role keys.
    pub roles: Vec<&'static str>,
    /// Team ids.
    pub teams: Vec<Uuid>,
    /// Whether the account may act.
    pub active: bool,
}

impl StaffView {
    /// The view of `s`.
    #[must_use]
    pub fn of(s: &StaffMember) -> Self {
        Self {
            id: s.id.as_uuid(),
            login: s.login.to_string(),
            name: s.display_name.to_string(),
            roles: s.roles.iter().map(|r| r.key()).collect(),
            teams: s.teams.iter().map(|t| t.as_uuid()).collect(),
            active: s.active,
        }
    }
}

/// A team.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeamView {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
}

/// A specialist service (*Fachstelle*) of the directory.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceView {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Kind key (`debt_counselling`, …).
    pub kind: &'static str,
    /// Contact notes.
    pub contact: Option<String>,
    /// Whether it is still offered.
    pub active: bool,
}

impl ServiceView {
    /// The view of `s`.
    #[must_use]
    pub fn of(s: &SpecialistService) -> Self {
        Self {
            id: s.id.as_uuid(),
            name: s.name.to_string(),
            kind: s.kind.key(),
            contact: s.contact.as_ref().map(ToString::to_string),
            active: s.active,
        }
    }
}

/// A case after a write: what the caller needs to go on (the `ETag` carries the version).
#[derive(Debug, Serialize, ToSchema)]
pub struct Written {
    /// Case id.
    pub id: Uuid,
    /// The case number.
    pub case_number: String,
    /// Status key after the write.
    pub status: &'static str,
    /// The case version after the write (send it as `If-Match` with the next command).
    pub version: u64,
}

impl Written {
    /// The answer for `case`.
    #[must_use]
    pub fn of(case: &Case) -> Self {
        Self {
            id: case.id.as_uuid(),
            case_number: case.id.case_number(),
            status: case.status.key(),
            version: case.version,
        }
    }
}

/// The cases a batch of referrals opened.
#[derive(Debug, Serialize, ToSchema)]
pub struct Opened {
    /// The ids of the cases created, in the order of the batch (ids that existed already
    /// are left out).
    pub created: Vec<Uuid>,
}
