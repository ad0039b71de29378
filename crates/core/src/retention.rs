//! Retention and erasure (*Aufbewahrung und Löschung*, domain rules §5): which kind of data
//! is kept for how long and why, and a pure plan of what would be erased or restricted in a
//! case from which day.
//!
//! The rules are data ([`RetentionRules`]): a [`RetentionPeriod`] per
//! [`RetentionCategory`], with the legal source the data-protection officer names, defaults
//! from the domain rules, changeable per installation (storage keeps them), plus the
//! project's [`RetentionRules::esf_retention_until`], set when the granting body gives notice
//! of the end of the ESF Plus retention period (Art. 82 Reg. (EU) 2021/1060).
//!
//! [`plan`] decides nothing by itself about a database: given a case, the rules and today, it
//! lists the [`PlannedStep`]s (erase the whole case, erase one category's content, restrict
//! what a duty still keeps) with their first day and whether they are due. Storage carries
//! out due steps; what was erased stays visible in the history as a
//! [`CaseEvent::ContentErased`] that names the
//! category and rule, never the content.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::case::{Case, CaseStatus};
use crate::event::CaseEvent;
use crate::ids::StaffId;
use crate::period::add_months;
use crate::vocab::vocabulary;

vocabulary! {
    /// A kind of data with its own retention rule.
    pub enum RetentionCategory {
        /// The whole file of a person who never entered (declined or not reached).
        NeverEnrolledReferral = "never_enrolled_referral", "Zuweisung ohne Teilnahme", "Referral of a person never enrolled";
        /// Social history, goals, contact notes and what was passed on to services.
        CounsellingContent = "counselling_content", "Beratungsinhalte", "Counselling content";
        /// ESF Plus evidence: identity, consents, entry data, attendance, exit and results.
        EsfEvidence = "esf_evidence", "ESF-Plus-Nachweise", "ESF Plus evidence";
        /// What reports to the Jobcenter were based on: announcement letters and contact attempts.
        JobcenterReports = "jobcenter_reports", "Grundlagen der Berichte an das Jobcenter", "Basis of the reports to the Jobcenter";
        /// The audit and access log of a case file.
        AuditAndAccessLog = "audit_access_log", "Audit- und Zugriffsprotokoll", "Audit and access log";
        /// Accounts of staff members who left.
        StaffAccounts = "staff_accounts", "Konten ausgeschiedener Mitarbeitender", "Accounts of former staff";
    }
}

/// How long a category is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum RetentionPeriod {
    /// This many days after the day the rule counts from.
    Days(u32),
    /// This many calendar months after the day the rule counts from.
    Months(u32),
    /// Until the project's `esf_retention_until` (unknown until the granting body gives notice:
    /// kept until then).
    UntilEsfNotice,
    /// As long as the data it refers to (erased together with them).
    WithTheData,
}

impl RetentionPeriod {
    /// The period as a short German or English phrase.
    #[must_use]
    pub fn describe(self, lang: crate::vocab::Lang) -> String {
        use crate::vocab::Lang;
        match (self, lang) {
            (Self::Days(n), Lang::De) => format!("{n} Tage"),
            (Self::Days(n), Lang::En) => format!("{n} days"),
            (Self::Months(n), Lang::De) => format!("{n} Monate"),
            (Self::Months(n), Lang::En) => format!("{n} months"),
            (Self::UntilEsfNotice, Lang::De) => "bis zum Ende der ESF-Aufbewahrungsfrist".into(),
            (Self::UntilEsfNotice, Lang::En) => "until the end of the ESF retention period".into(),
            (Self::WithTheData, Lang::De) => {
                "so lange wie die Daten, auf die es sich bezieht".into()
            }
            (Self::WithTheData, Lang::En) => "as long as the data it refers to".into(),
        }
    }

    /// Parses `90d`, `24m`, `esf` or `with_data`.
    ///
    /// # Errors
    /// A German sentence naming the accepted forms.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim().to_ascii_lowercase();
        let number = |s: &str| s.parse::<u32>().ok().filter(|n| *n <= 1200);
        match t.as_str() {
            "esf" => return Ok(Self::UntilEsfNotice),
            "with_data" => return Ok(Self::WithTheData),
            _ => {}
        }
        if let Some(n) = t.strip_suffix('d').and_then(number) {
            return Ok(Self::Days(n));
        }
        if let Some(n) = t.strip_suffix('m').and_then(number) {
            return Ok(Self::Months(n));
        }
        Err(format!(
            "„{text}“ ist keine Frist: erlaubt sind z. B. 90d (Tage), 24m (Monate), esf, with_data"
        ))
    }

    /// The day after `from` plus this period, if it is a period counted in days or months.
    fn end_after(self, from: NaiveDate) -> Option<NaiveDate> {
        match self {
            Self::Days(n) => from.checked_add_days(Days::new(u64::from(n))),
            Self::Months(n) => add_months(from, n).ok(),
            Self::UntilEsfNotice | Self::WithTheData => None,
        }
    }
}

impl std::fmt::Display for RetentionPeriod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Days(n) => write!(f, "{n}d"),
            Self::Months(n) => write!(f, "{n}m"),
            Self::UntilEsfNotice => f.write_str("esf"),
            Self::WithTheData => f.write_str("with_data"),
        }
    }
}

/// One category's rule: how long, counted from when, and on which legal source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RetentionRule {
    /// The category.
    pub category: RetentionCategory,
    /// How long.
    pub period: RetentionPeriod,
    /// From which day the period counts (German).
    pub counted_from: &'static str,
    /// The legal source and reasoning (German), for the DPO's retention table.
    pub legal_source: &'static str,
    /// Whether a legal duty keeps the data (then an erasure request restricts instead of
    /// erasing, Art. 17(3)(b) GDPR).
    pub legal_duty: bool,
}

impl RetentionCategory {
    /// The default period of the category (domain rules §5).
    #[must_use]
    pub fn default_period(self) -> RetentionPeriod {
        match self {
            Self::NeverEnrolledReferral => RetentionPeriod::Days(90),
            Self::CounsellingContent | Self::JobcenterReports => RetentionPeriod::Months(24),
            Self::EsfEvidence => RetentionPeriod::UntilEsfNotice,
            Self::AuditAndAccessLog => RetentionPeriod::WithTheData,
            Self::StaffAccounts => RetentionPeriod::Months(12),
        }
    }

    fn counted_from(self) -> &'static str {
        match self {
            Self::NeverEnrolledReferral => {
                "Ende der aufsuchenden Phase (abgelehnt / nicht erreicht)"
            }
            Self::CounsellingContent | Self::JobcenterReports => "Abschluss des Falls",
            Self::EsfEvidence => "Mitteilung der bewilligenden Stelle (esf_retention_until)",
            Self::AuditAndAccessLog => "Löschung der Daten, auf die es sich bezieht",
            Self::StaffAccounts => "Deaktivierung des Kontos",
        }
    }

    fn legal_source(self) -> &'static str {
        match self {
            Self::NeverEnrolledReferral => {
                "§78 SGB X: Zweckbindung endet mit der Rückmeldung an das Jobcenter; danach eine kurze Beschwerdefrist; Art. 5 Abs. 1 lit. e DSGVO"
            }
            Self::CounsellingContent => {
                "Keine gesetzliche Frist für freie Träger: Art. 5 Abs. 1 lit. e, Art. 17 Abs. 1 lit. a DSGVO (löschen, sobald nicht mehr erforderlich); Frist von der Einrichtung festgelegt"
            }
            Self::EsfEvidence => {
                "Art. 82 VO (EU) 2021/1060: 5 Jahre ab dem 31.12. des Jahres der letzten Zahlung an den Träger; Art. 17 Abs. 3 lit. b DSGVO"
            }
            Self::JobcenterReports => {
                "Nachweis der erbrachten Leistung gegenüber dem Jobcenter (§61 SGB II, Vertrag); Art. 5 Abs. 1 lit. e DSGVO"
            }
            Self::AuditAndAccessLog => {
                "§22 Abs. 2 BDSG (Protokollierung bei Gesundheitsdaten): so lange wie die protokollierten Daten"
            }
            Self::StaffAccounts => {
                "Art. 5 Abs. 1 lit. e DSGVO, §26 BDSG; Zuordnung von Einträgen bleibt über die Kennung erhalten"
            }
        }
    }

    fn legal_duty(self) -> bool {
        matches!(self, Self::EsfEvidence)
    }

    /// The category an event of an enrolled case's history belongs to when only a category's
    /// content is erased, or `None` for events that stay with the case as long as the case
    /// (identity, enrolment, consents, periods, ESF data, closure: the ESF evidence and the
    /// skeleton every later event needs to replay).
    #[must_use]
    pub fn of_event(event: &CaseEvent) -> Option<Self> {
        match event {
            CaseEvent::DomainAssessed { .. }
            | CaseEvent::GoalAgreed { .. }
            | CaseEvent::GoalUpdated { .. }
            | CaseEvent::GoalRated { .. }
            | CaseEvent::ContactRecorded { .. }
            | CaseEvent::DisclosureRecorded { .. } => Some(Self::CounsellingContent),
            CaseEvent::VisitAnnounced { .. }
            | CaseEvent::ContactAttemptLogged { .. }
            | CaseEvent::JobcenterReportSent { .. } => Some(Self::JobcenterReports),
            _ => None,
        }
    }
}

/// The retention rules of an installation.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RetentionRules {
    /// Period per category; a category not named has its default.
    pub periods: Vec<(RetentionCategory, RetentionPeriod)>,
    /// The last day the project's ESF Plus evidence must be kept, once the granting body has
    /// named it; `None` while unknown (ESF evidence is then kept).
    pub esf_retention_until: Option<NaiveDate>,
}

impl RetentionRules {
    /// The period in force for `category`.
    #[must_use]
    pub fn period(&self, category: RetentionCategory) -> RetentionPeriod {
        self.periods
            .iter()
            .rev()
            .find(|(c, _)| *c == category)
            .map_or(category.default_period(), |(_, p)| *p)
    }

    /// The rule in force for `category`.
    #[must_use]
    pub fn rule(&self, category: RetentionCategory) -> RetentionRule {
        RetentionRule {
            category,
            period: self.period(category),
            counted_from: category.counted_from(),
            legal_source: category.legal_source(),
            legal_duty: category.legal_duty(),
        }
    }

    /// Every category's rule, in display order (the retention table).
    #[must_use]
    pub fn table(&self) -> Vec<RetentionRule> {
        <RetentionCategory as crate::vocab::Labelled>::ALL
            .iter()
            .map(|c| self.rule(*c))
            .collect()
    }

    /// Checks that a period fits the category: ESF evidence is only ever kept until the ESF
    /// notice (a legal duty, never shortened here), the log only with its data, and the other
    /// categories only by days or months.
    ///
    /// # Errors
    /// A German sentence.
    pub fn check(category: RetentionCategory, period: RetentionPeriod) -> Result<(), String> {
        let ok = match category {
            RetentionCategory::EsfEvidence => period == RetentionPeriod::UntilEsfNotice,
            RetentionCategory::AuditAndAccessLog => period == RetentionPeriod::WithTheData,
            _ => matches!(
                period,
                RetentionPeriod::Days(_) | RetentionPeriod::Months(_)
            ),
        };
        if ok {
            Ok(())
        } else {
            Err(format!(
                "Für „{}“ ist die Frist {period} nicht möglich",
                crate::vocab::Labelled::label(category, crate::vocab::Lang::De)
            ))
        }
    }
}

/// What a step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetentionAction {
    /// Erase the whole case: every event, read model and access-log entry; a tombstone stays.
    EraseCase,
    /// Erase the content of one category's events (they are redacted in the history).
    EraseContent,
    /// Restrict processing (Art. 18): a duty keeps the data; sealed from lists, search,
    /// reports and statistics, shown only in the Art. 15 export.
    Restrict,
}

/// One step of a case's plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedStep {
    /// Under which category's rule.
    pub category: RetentionCategory,
    /// What happens.
    pub action: RetentionAction,
    /// The first day it may happen.
    pub from: NaiveDate,
    /// Whether `from` is today or earlier.
    pub due: bool,
}

/// What a category is kept for when it has no date yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeptCategory {
    /// The category.
    pub category: RetentionCategory,
    /// Why (German).
    pub reason: &'static str,
}

/// The retention plan of one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CasePlan {
    /// Steps in the order they may happen, done ones left out.
    pub steps: Vec<PlannedStep>,
    /// Categories kept without a date.
    pub kept: Vec<KeptCategory>,
}

impl CasePlan {
    /// The steps due today.
    pub fn due(&self) -> impl Iterator<Item = &PlannedStep> {
        self.steps.iter().filter(|s| s.due)
    }

    /// The day from which `category` is gone or restricted, if planned (the retention date
    /// the Art. 15 export names).
    #[must_use]
    pub fn date_of(&self, category: RetentionCategory) -> Option<NaiveDate> {
        self.steps
            .iter()
            .filter(|s| {
                s.category == category
                    || (s.action == RetentionAction::EraseCase
                        && category != RetentionCategory::StaffAccounts)
            })
            .map(|s| s.from)
            .min()
    }
}

/// Whether a legal duty keeps `case`'s ESF evidence on `day`: the case is an ESF Plus
/// participant (entry data recorded) and the ESF retention end is unknown or not past.
#[must_use]
pub fn esf_duty_holds(case: &Case, rules: &RetentionRules, day: NaiveDate) -> bool {
    case.esf_entry.is_some() && rules.esf_retention_until.is_none_or(|until| day <= until)
}

/// The retention plan of `case` on `today` under `rules`.
///
/// - An open case (referred, in outreach, enrolled) has no steps.
/// - A person who never enrolled (declined, not reached): the whole case goes
///   [`RetentionCategory::NeverEnrolledReferral`]'s period after the day outreach ended.
/// - A closed case: counselling content and the basis of Jobcenter reports go their periods
///   after closure. An ESF Plus participant's remaining data are then restricted (the ESF
///   duty keeps them) and the whole case goes the day after `esf_retention_until`, once
///   known; a case without ESF data goes whole when the last of its periods ends.
///
/// Steps already carried out (recorded in [`Case::erasures`]) are left out. The plan never
/// erases what a duty keeps: no step erases the case of an ESF Plus participant on or before
/// `esf_retention_until`, and content erasure never touches ESF evidence
/// ([`RetentionCategory::of_event`]).
#[must_use]
pub fn plan(case: &Case, rules: &RetentionRules, today: NaiveDate) -> CasePlan {
    let mut steps = Vec::new();
    let mut kept = Vec::new();
    let ended = case.ended_on.filter(|_| case.status.is_ended());
    let step = |category, action, from: NaiveDate| PlannedStep {
        category,
        action,
        from,
        due: from <= today,
    };
    let done = |category: RetentionCategory, action: RetentionAction| {
        case.erasures
            .iter()
            .any(|e| e.category == category && e.action == action)
    };
    match (case.status, ended) {
        (CaseStatus::Declined | CaseStatus::NotReached, Some(on)) if case.enrolment.is_none() => {
            let category = RetentionCategory::NeverEnrolledReferral;
            if let Some(from) = rules.period(category).end_after(on) {
                steps.push(step(category, RetentionAction::EraseCase, from));
            }
        }
        (CaseStatus::Closed, Some(closed_on)) => {
            let mut last = closed_on;
            for category in [
                RetentionCategory::JobcenterReports,
                RetentionCategory::CounsellingContent,
            ] {
                if let Some(from) = rules.period(category).end_after(closed_on) {
                    last = last.max(from);
                    if !done(category, RetentionAction::EraseContent) {
                        steps.push(step(category, RetentionAction::EraseContent, from));
                    }
                }
            }
            if case.esf_entry.is_some() {
                let category = RetentionCategory::EsfEvidence;
                if !done(category, RetentionAction::Restrict) {
                    steps.push(step(category, RetentionAction::Restrict, last));
                }
                match rules.esf_retention_until {
                    Some(until) => {
                        let from = until.succ_opt().unwrap_or(until).max(last);
                        steps.push(step(category, RetentionAction::EraseCase, from));
                    }
                    None => kept.push(KeptCategory {
                        category,
                        reason: "ESF-Aufbewahrungsfrist noch nicht mitgeteilt (esf_retention_until)",
                    }),
                }
            } else {
                steps.push(step(
                    RetentionCategory::CounsellingContent,
                    RetentionAction::EraseCase,
                    last,
                ));
            }
        }
        _ => kept.push(KeptCategory {
            category: RetentionCategory::CounsellingContent,
            reason: "Fall offen",
        }),
    }
    steps.sort_by_key(|s| (s.from, s.action == RetentionAction::EraseCase));
    CasePlan { steps, kept }
}

/// A carried-out erasure or restriction, as the case remembers it (from its
/// [`CaseEvent::ContentErased`] and [`CaseEvent::Restricted`] events).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureRecord {
    /// Under which category.
    pub category: RetentionCategory,
    /// What was done.
    pub action: RetentionAction,
    /// The day.
    pub on: NaiveDate,
    /// Why: a retention rule or an Art. 17 / Art. 18 request (German, no content).
    pub basis: String,
}

/// One event whose content was erased: its position and the hash it had, so that the hash
/// chain stays verifiable without the content (storage's `verify` checks the listed hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasedEvent {
    /// Sequence number in the case history.
    pub sequence: u64,
    /// The tag the event had.
    pub tag: String,
    /// The stored hash of the event (lower-case hex, opaque to core).
    pub hash: String,
}

/// The basis recorded for due steps carried out under their retention rules (German, names
/// the categories, never content): what `retention apply` writes into the history and the
/// audit log.
#[must_use]
pub fn expired_basis<'a>(steps: impl IntoIterator<Item = &'a PlannedStep>) -> String {
    let rules: Vec<String> = steps
        .into_iter()
        .map(|s| {
            format!(
                "{} ({})",
                crate::vocab::Labelled::label(s.category, crate::vocab::Lang::De),
                crate::vocab::Labelled::key(s.category)
            )
        })
        .collect();
    format!("Aufbewahrungsfrist abgelaufen: {}", rules.join(", "))
}

/// One step to carry out on a case: what, under which category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Under which category's rule (or request).
    pub category: RetentionCategory,
    /// What happens.
    pub action: RetentionAction,
}

impl From<&PlannedStep> for Step {
    fn from(step: &PlannedStep) -> Self {
        Self {
            category: step.category,
            action: step.action,
        }
    }
}

/// Why a step may not be carried out on a case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErasureRefused {
    /// The case is still open (referred, in outreach, enrolled or paused): it is closed,
    /// declined or marked not reached first, so that nothing is erased while the work goes on.
    #[error("the case is still open; close it first")]
    Open,
    /// A legal duty keeps the data: the case holds ESF Plus evidence and the ESF retention
    /// period has not ended (Art. 17(3)(b) GDPR). Restrict instead.
    #[error("a legal duty keeps the ESF Plus evidence of this case")]
    DutyKeeps,
    /// Only counselling content and the basis of Jobcenter reports are erased by category;
    /// other data go with the whole case.
    #[error("the content of this category is not erased on its own")]
    NotAContentCategory,
    /// The step was carried out before.
    #[error("this was done before")]
    AlreadyDone,
    /// The staff account is active; only a deactivated account is erased.
    #[error("the staff account is active")]
    AccountActive,
    /// The retention period has not ended yet (or its start is not known).
    #[error("the retention period has not ended")]
    NotDue,
}

impl ErasureRefused {
    /// The refusal as a German sentence for the data-protection officer.
    #[must_use]
    pub fn german(&self) -> &'static str {
        match self {
            Self::Open => {
                "Der Fall ist noch offen. Schließen Sie ihn zuerst ab (oder erfassen Sie Ablehnung bzw. Nichterreichen); erst dann wird gelöscht."
            }
            Self::DutyKeeps => {
                "Eine gesetzliche Pflicht bewahrt die ESF-Plus-Nachweise dieses Falls auf (Art. 17 Abs. 3 lit. b DSGVO). Schränken Sie die Verarbeitung stattdessen ein."
            }
            Self::NotAContentCategory => {
                "Nur Beratungsinhalte und die Grundlagen der Jobcenter-Berichte werden einzeln gelöscht; alles andere nur mit dem ganzen Fall."
            }
            Self::AlreadyDone => "Das ist bereits geschehen.",
            Self::AccountActive => {
                "Das Konto ist aktiv; gelöscht werden nur deaktivierte Konten nach Ablauf ihrer Frist."
            }
            Self::NotDue => "Die Aufbewahrungsfrist ist noch nicht abgelaufen.",
        }
    }
}

/// Whether `step` may be carried out on `case` on `today` under `rules`: never while the case
/// is open, never erasing what a duty keeps, never twice.
///
/// # Errors
/// [`ErasureRefused`] saying why not.
pub fn permits(
    case: &Case,
    rules: &RetentionRules,
    step: Step,
    today: NaiveDate,
) -> Result<(), ErasureRefused> {
    if !case.status.is_ended() {
        return Err(ErasureRefused::Open);
    }
    let done = case
        .erasures
        .iter()
        .any(|e| e.category == step.category && e.action == step.action);
    match step.action {
        RetentionAction::EraseCase if esf_duty_holds(case, rules, today) => {
            Err(ErasureRefused::DutyKeeps)
        }
        RetentionAction::EraseCase => Ok(()),
        RetentionAction::EraseContent
            if !matches!(
                step.category,
                RetentionCategory::CounsellingContent | RetentionCategory::JobcenterReports
            ) =>
        {
            Err(ErasureRefused::NotAContentCategory)
        }
        RetentionAction::EraseContent if done => Err(ErasureRefused::AlreadyDone),
        RetentionAction::EraseContent => Ok(()),
        RetentionAction::Restrict if case.is_restricted() => Err(ErasureRefused::AlreadyDone),
        RetentionAction::Restrict => Ok(()),
    }
}

/// What an erasure request (Art. 17 GDPR) of the client does to `case` on `today`: erase what
/// no duty keeps and restrict what a duty keeps. Without a duty that is the whole case; while
/// the ESF duty holds, the counselling content and the basis of Jobcenter reports are erased
/// and the rest is restricted (Art. 17(3)(b), Art. 18). Steps done before are left out.
///
/// # Errors
/// [`ErasureRefused::Open`] while the case is open; [`ErasureRefused::AlreadyDone`] when
/// nothing is left to do.
pub fn on_request(
    case: &Case,
    rules: &RetentionRules,
    today: NaiveDate,
) -> Result<Vec<Step>, ErasureRefused> {
    if !case.status.is_ended() {
        return Err(ErasureRefused::Open);
    }
    let candidates = if esf_duty_holds(case, rules, today) {
        vec![
            Step {
                category: RetentionCategory::JobcenterReports,
                action: RetentionAction::EraseContent,
            },
            Step {
                category: RetentionCategory::CounsellingContent,
                action: RetentionAction::EraseContent,
            },
            Step {
                category: RetentionCategory::EsfEvidence,
                action: RetentionAction::Restrict,
            },
        ]
    } else {
        vec![Step {
            category: RetentionCategory::CounsellingContent,
            action: RetentionAction::EraseCase,
        }]
    };
    let steps: Vec<Step> = candidates
        .into_iter()
        .filter(|s| permits(case, rules, *s, today).is_ok())
        .collect();
    if steps.is_empty() {
        Err(ErasureRefused::AlreadyDone)
    } else {
        Ok(steps)
    }
}

/// What a request to restrict processing (Art. 18 GDPR) does to `case`: the whole case is
/// restricted, recorded under the category of the duty that keeps it the longest (ESF
/// evidence), so that it leaves every list, search, reminder and report and only the Art. 15
/// export still shows it.
///
/// # Errors
/// As [`permits`]: [`ErasureRefused::Open`] while the case is open,
/// [`ErasureRefused::AlreadyDone`] for a case restricted before.
pub fn on_restriction_request(
    case: &Case,
    rules: &RetentionRules,
    today: NaiveDate,
) -> Result<Vec<Step>, ErasureRefused> {
    let step = Step {
        category: RetentionCategory::EsfEvidence,
        action: RetentionAction::Restrict,
    };
    permits(case, rules, step, today)?;
    Ok(vec![step])
}

/// The stub that replaces `event` when `category`'s content is erased, or `None` when the
/// event does not belong to `category` (or is a stub already).
#[must_use]
pub fn redaction_of(event: &CaseEvent, category: RetentionCategory) -> Option<CaseEvent> {
    (RetentionCategory::of_event(event) == Some(category)).then(|| CaseEvent::Redacted {
        tag: event.tag().to_owned(),
        category,
    })
}

/// One category's retention date for a case, as the client's access export (Art. 15(1)(d)
/// GDPR) names it: how long it is kept and until when, or why without a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetentionDate {
    /// The category.
    pub category: RetentionCategory,
    /// Its period under the installation's rules.
    pub period: RetentionPeriod,
    /// The day from which it is erased or restricted, if the plan has one.
    pub from: Option<NaiveDate>,
    /// Why there is no day yet (German), if there is none.
    pub kept_because: Option<&'static str>,
}

/// The retention date of every category of `case` (staff accounts left out: they are not a
/// client's data), from [`plan`].
#[must_use]
pub fn retention_dates(
    case: &Case,
    rules: &RetentionRules,
    today: NaiveDate,
) -> Vec<RetentionDate> {
    let plan = plan(case, rules, today);
    <RetentionCategory as crate::vocab::Labelled>::ALL
        .iter()
        .copied()
        .filter(|c| *c != RetentionCategory::StaffAccounts)
        .map(|category| {
            let from = plan.date_of(category);
            let kept_because = if from.is_some() {
                None
            } else if !case.status.is_ended() {
                Some("Fall offen: Fristen beginnen mit dem Ende des Falls")
            } else {
                Some(
                    plan.kept
                        .iter()
                        .find(|k| k.category == category)
                        .map_or("so lange wie der Fall", |k| k.reason),
                )
            };
            RetentionDate {
                category,
                period: rules.period(category),
                from,
                kept_because,
            }
        })
        .collect()
}

/// The display name an erased staff account keeps (its id stays, so that every history and
/// audit line that names it still resolves).
pub const ERASED_STAFF_NAME: &str = "Gelöschtes Konto";

/// The pseudonymous sign-in name an erased staff account keeps: made from its id only, so it
/// is unique and says nothing about the person.
#[must_use]
pub fn erased_login(id: StaffId) -> String {
    format!("geloescht-{}", id.as_uuid().simple())
}

/// What the rule of [`RetentionCategory::StaffAccounts`] knows of one staff account
/// (storage gathers it: the flag, the day of the last deactivation, whether it was erased).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffAccountFacts {
    /// The account.
    pub staff_id: StaffId,
    /// Whether it may still sign in.
    pub active: bool,
    /// The day it was last deactivated, if known.
    pub deactivated_on: Option<NaiveDate>,
    /// Whether its personal fields were erased before.
    pub erased: bool,
}

/// A staff account's planned erasure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedStaffErasure {
    /// The account.
    pub staff_id: StaffId,
    /// The day it was deactivated.
    pub deactivated_on: NaiveDate,
    /// The first day it may be erased.
    pub from: NaiveDate,
    /// Whether `from` is today or earlier.
    pub due: bool,
}

/// The planned erasure of a staff account on `today`: a deactivated account that was not
/// erased before goes the period of [`RetentionCategory::StaffAccounts`] after its
/// deactivation. An active account, an erased one and one whose deactivation day is unknown
/// have none.
#[must_use]
pub fn staff_plan(
    account: &StaffAccountFacts,
    rules: &RetentionRules,
    today: NaiveDate,
) -> Option<PlannedStaffErasure> {
    if account.active || account.erased {
        return None;
    }
    let deactivated_on = account.deactivated_on?;
    let from = rules
        .period(RetentionCategory::StaffAccounts)
        .end_after(deactivated_on)?;
    Some(PlannedStaffErasure {
        staff_id: account.staff_id,
        deactivated_on,
        from,
        due: from <= today,
    })
}

/// Whether the personal fields of `account` may be erased on `today` under `rules`.
///
/// # Errors
/// [`ErasureRefused::AccountActive`], [`ErasureRefused::AlreadyDone`], or
/// [`ErasureRefused::NotDue`] before the period has ended (or without a known deactivation
/// day).
pub fn permits_staff_erasure(
    account: &StaffAccountFacts,
    rules: &RetentionRules,
    today: NaiveDate,
) -> Result<(), ErasureRefused> {
    if account.active {
        return Err(ErasureRefused::AccountActive);
    }
    if account.erased {
        return Err(ErasureRefused::AlreadyDone);
    }
    match staff_plan(account, rules, today) {
        Some(plan) if plan.due => Ok(()),
        _ => Err(ErasureRefused::NotDue),
    }
}
