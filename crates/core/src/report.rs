//! The reports to the Jobcenter (domain rules §4) and their record as sent (issue 11 part 4).
//!
//! Each [`ReportKind`] is a view of [`jobcenter_feedback`], the only content ever produced
//! for a Jobcenter (invariant I4): [`jobcenter_report`] picks the part a kind may contain and
//! refuses a kind whose consent is not in force, or whose moment has not come (an exit
//! report before the closure). [`report_document`] words it as plain text for a renderer
//! (the documents crate lays it out as PDF/A), as [`crate::letter`] does for the letter.
//!
//! Once the key worker has shown the report to the client and sent it, the case records it
//! as sent ([`SentReport`]: day, channel, recipient, kind, SHA-256 of the exact PDF bytes,
//! the moment whose consents it was computed for); storage keeps the bytes themselves beside
//! the event, so that what the Jobcenter received can be shown again byte for byte, also
//! after a later consent withdrawal. Core computes no hash (it has no SHA-256): the frontend
//! does, and the storage crate checks it against the bytes it keeps.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::LocalCalendar;
use crate::case::{Case, CaseStatus};
use crate::consent::ConsentPurpose;
use crate::error::{DomainError, FieldError};
use crate::feedback::{
    ExitSummary, OutreachResult, ParticipationConfirmation, ProgressSummary, jobcenter_feedback,
};
use crate::goal::GoalStatus;
use crate::ids::{CaseId, DocumentId};
use crate::letter::{InfoLine, Sender, Signer};
use crate::social_history::LifeDomain;
use crate::text::Text;
use crate::vocab::{Labelled, Lang, vocabulary};

vocabulary! {
    /// The reports a Jobcenter may receive (domain rules §4).
    pub enum ReportKind {
        /// Feedback on reachability and the offer, at the end of outreach (always allowed:
        /// the referral contract's minimum).
        OutreachResult = "outreach_result", "Rückmeldung zur aufsuchenden Phase", "Outreach result";
        /// *Teilnahmebestätigung*: start, key worker, planned end (consent
        /// `jobcenter_participation`).
        EntryConfirmation = "entry_confirmation", "Teilnahmebestätigung", "Entry confirmation";
        /// *Verlängerungsantrag*: the period and the goal areas still open (consent
        /// `jobcenter_participation`; the areas only with `jobcenter_progress`).
        ExtensionRequest = "extension_request", "Verlängerungsantrag", "Extension request";
        /// *Entwicklungsbericht*: domains worked on and goal counts (consent `jobcenter_progress`).
        ProgressReport = "progress_report", "Entwicklungsbericht", "Progress report";
        /// *Abschlussbericht*: end, exit reason, result (consent `jobcenter_exit`, closed cases).
        ExitReport = "exit_report", "Abschlussbericht", "Exit report";
    }
}

vocabulary! {
    /// How a report went to the Jobcenter.
    pub enum SendChannel {
        /// By post.
        Post = "post", "Post", "Post";
        /// By fax.
        Fax = "fax", "Fax", "Fax";
        /// By encrypted e-mail.
        Email = "email", "E-Mail (verschlüsselt)", "E-mail (encrypted)";
        /// Through the Jobcenter's portal.
        Portal = "portal", "Portal des Jobcenters", "Jobcenter portal";
        /// Handed over in person.
        InPerson = "in_person", "persönlich übergeben", "Handed over in person";
    }
}

/// A SHA-256 digest as 64 lowercase hexadecimal digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Sha256Hex(String);

impl Sha256Hex {
    /// Parses 64 hexadecimal digits (either case; kept in lower case).
    ///
    /// # Errors
    /// [`FieldError::Invalid`] for anything else.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let input = input.trim();
        if input.len() == 64 && input.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Self(input.to_ascii_lowercase()))
        } else {
            Err(FieldError::Invalid {
                expected: "a SHA-256 digest (64 hexadecimal digits)",
                expected_de: "eine SHA-256-Prüfsumme (64 Hexadezimalziffern)",
            })
        }
    }

    /// The digits of a digest computed by the caller (core computes none).
    #[must_use]
    pub fn from_digest(digest: [u8; 32]) -> Self {
        use std::fmt::Write;
        let mut out = String::with_capacity(64);
        for byte in digest {
            let _ = write!(out, "{byte:02x}");
        }
        Self(out)
    }

    /// The digits.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Sha256Hex {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, FieldError> {
        Self::parse(&s)
    }
}

impl From<Sha256Hex> for String {
    fn from(d: Sha256Hex) -> Self {
        d.0
    }
}

impl std::fmt::Display for Sha256Hex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A report recorded as sent to the Jobcenter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentReport {
    /// The kept document (its bytes are in storage under this id).
    pub document: DocumentId,
    /// Which report.
    pub kind: ReportKind,
    /// The day it was sent.
    pub sent_on: NaiveDate,
    /// How.
    pub channel: SendChannel,
    /// To whom (the Jobcenter and, usually, its case manager).
    pub recipient: Text,
    /// SHA-256 of the exact PDF bytes sent.
    pub sha256: Sha256Hex,
    /// The size of the PDF in bytes.
    pub bytes: u64,
    /// The moment whose consents the content was computed for.
    pub as_of: DateTime<Utc>,
}

/// The extension request's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionContent {
    /// The planned end now.
    pub planned_end: NaiveDate,
    /// The latest end the period can be extended to.
    pub latest_end: NaiveDate,
    /// Life domains of goals still open (only with consent `jobcenter_progress`; health
    /// domains only with `jobcenter_health`; "family, household and care" never, I4).
    pub open_domains: Vec<LifeDomain>,
}

/// One report's content: the part of [`jobcenter_feedback`] its kind may contain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobcenterReport {
    /// Which report.
    pub kind: ReportKind,
    /// The case.
    pub case_id: CaseId,
    /// The moment whose consents the content was computed for.
    pub as_of: DateTime<Utc>,
    /// Outreach result (outreach result report).
    pub outreach: Option<OutreachResult>,
    /// Entry confirmation.
    pub participation: Option<ParticipationConfirmation>,
    /// Extension request.
    pub extension: Option<ExtensionContent>,
    /// Progress report.
    pub progress: Option<ProgressSummary>,
    /// Exit report.
    pub exit: Option<ExitSummary>,
}

/// The report of `kind` on `case` at `at`, computed by core's consent filter.
///
/// # Errors
/// [`DomainError::ConsentMissing`] when the kind's consent is not in force at `at`;
/// [`DomainError::NotEnrolled`] for a report about the key-worker period of a case never
/// enrolled; [`DomainError::NotClosed`] for an exit report of an open case;
/// [`DomainError::WrongStatus`] for an extension request of a case not enrolled now.
pub fn jobcenter_report(
    case: &Case,
    kind: ReportKind,
    at: DateTime<Utc>,
    calendar: &dyn LocalCalendar,
) -> Result<JobcenterReport, DomainError> {
    let feedback = jobcenter_feedback(case, at, calendar);
    let consent = |purpose| {
        if case.has_consent_in_force(purpose, at, calendar) {
            Ok(())
        } else {
            Err(DomainError::ConsentMissing { purpose })
        }
    };
    let mut report = JobcenterReport {
        kind,
        case_id: case.id,
        as_of: at,
        outreach: None,
        participation: None,
        extension: None,
        progress: None,
        exit: None,
    };
    match kind {
        ReportKind::OutreachResult => report.outreach = Some(feedback.outreach),
        ReportKind::EntryConfirmation => {
            enrolled(case)?;
            consent(ConsentPurpose::JobcenterParticipation)?;
            report.participation = feedback.participation;
        }
        ReportKind::ExtensionRequest => {
            enrolled(case)?;
            if case.status != CaseStatus::Enrolled {
                return Err(DomainError::WrongStatus {
                    status: case.status,
                });
            }
            consent(ConsentPurpose::JobcenterParticipation)?;
            report.extension = extension(case, &feedback.progress);
        }
        ReportKind::ProgressReport => {
            enrolled(case)?;
            consent(ConsentPurpose::JobcenterProgress)?;
            report.progress = feedback.progress;
        }
        ReportKind::ExitReport => {
            enrolled(case)?;
            if case.status != CaseStatus::Closed {
                return Err(DomainError::NotClosed);
            }
            consent(ConsentPurpose::JobcenterExit)?;
            report.exit = feedback.exit;
        }
    }
    let empty = report.outreach.is_none()
        && report.participation.is_none()
        && report.extension.is_none()
        && report.progress.is_none()
        && report.exit.is_none();
    if empty {
        return Err(DomainError::NotEnrolled);
    }
    Ok(report)
}

fn enrolled(case: &Case) -> Result<(), DomainError> {
    if case.enrolment.is_some() {
        Ok(())
    } else {
        Err(DomainError::NotEnrolled)
    }
}

/// The extension request's content; the open domains are those `progress` (already filtered
/// by consent) names whose goals are still open or in progress.
fn extension(case: &Case, progress: &Option<ProgressSummary>) -> Option<ExtensionContent> {
    let period = case.period.as_ref()?;
    let named = progress
        .as_ref()
        .map(|p| p.domains_worked_on.as_slice())
        .unwrap_or_default();
    let mut open_domains: Vec<LifeDomain> = case
        .goals
        .iter()
        .filter(|g| matches!(g.status, GoalStatus::Open | GoalStatus::InProgress))
        .map(|g| g.domain)
        .filter(|d| named.contains(d))
        .collect();
    open_domains.sort();
    open_domains.dedup();
    Some(ExtensionContent {
        planned_end: period.planned_end(),
        latest_end: period.latest_end(),
        open_domains,
    })
}

/// A report's section: a heading and its lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportSection {
    /// Its heading.
    pub heading: &'static str,
    /// Its facts.
    pub rows: Vec<InfoLine>,
}

/// What a printed report says, as plain text for a renderer: a DIN 5008 letter to the
/// Jobcenter with the report's facts as tables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportDocument {
    /// `de` or `en`.
    pub lang: &'static str,
    /// The document's title (PDF metadata).
    pub title: String,
    /// The date printed (and the PDF's date).
    pub date: NaiveDate,
    /// The sender block.
    pub sender: Vec<String>,
    /// The return line above the address.
    pub return_line: String,
    /// The recipient's lines.
    pub recipient: Vec<String>,
    /// The information block.
    pub info: Vec<InfoLine>,
    /// The subject.
    pub subject: String,
    /// Who the report is about: name, date of birth, customer number.
    pub about: Vec<InfoLine>,
    /// The report's sections.
    pub sections: Vec<ReportSection>,
    /// The closing note: the report was discussed with the client before it was sent.
    pub note: &'static str,
    /// The signature lines.
    pub signature: Vec<String>,
}

/// Who the printed report is from and in which language.
#[derive(Debug, Clone)]
pub struct ReportContext<'a> {
    /// The project's letterhead.
    pub sender: &'a Sender,
    /// Who signs.
    pub signer: &'a Signer,
    /// The key worker's name (for the entry confirmation), when there is one.
    pub key_worker: Option<String>,
    /// The day printed.
    pub date: NaiveDate,
    /// The language.
    pub lang: Lang,
}

/// The recipient a report goes to by default: the referring Jobcenter and its case manager.
#[must_use]
pub fn default_recipient(case: &Case) -> String {
    format!(
        "{}, {}",
        case.referral.jobcenter, case.referral.case_manager
    )
}

/// `report` on `case` worded for print in `ctx.lang`.
#[must_use]
pub fn report_document(
    case: &Case,
    report: &JobcenterReport,
    ctx: &ReportContext<'_>,
) -> ReportDocument {
    let lang = ctx.lang;
    let d = |day| crate::case_file::date(day, lang);
    let referral = &case.referral;
    let client = &referral.client;
    let mut sender_lines = vec![ctx.sender.project_name.clone()];
    sender_lines.extend(ctx.sender.address.iter().cloned());
    let mut info = vec![
        line(t(lang, "Datum", "Date"), d(ctx.date)),
        line(
            t(lang, "Ansprechperson", "Contact person"),
            ctx.signer.name.clone(),
        ),
    ];
    if let Some(phone) = &ctx.signer.phone {
        info.push(line(
            t(lang, "Telefon (direkt)", "Direct phone"),
            phone.clone(),
        ));
    }
    info.push(line(
        t(lang, "Unser Zeichen", "Our reference"),
        case.id.case_number(),
    ));
    let mut about = vec![line(t(lang, "Name", "Name"), client.full_name())];
    if let Some(dob) = client.date_of_birth {
        about.push(line(t(lang, "Geburtsdatum", "Date of birth"), d(dob)));
    }
    if let Some(n) = &referral.customer_number {
        about.push(line(
            t(lang, "Kundennummer", "Customer number"),
            n.to_string(),
        ));
    }
    about.push(line(
        t(lang, "Zuweisung vom", "Referred on"),
        d(referral.referral_date),
    ));
    ReportDocument {
        lang: match lang {
            Lang::De => "de",
            Lang::En => "en",
        },
        title: format!("{} – {}", report.kind.label(lang), case.id.case_number()),
        date: ctx.date,
        return_line: [ctx.sender.project_name.as_str()]
            .into_iter()
            .chain(ctx.sender.address.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" · "),
        sender: sender_lines,
        recipient: vec![
            referral.jobcenter.to_string(),
            referral.case_manager.to_string(),
        ],
        info,
        subject: format!("{}: {}", report.kind.label(lang), client.full_name()),
        about,
        sections: sections(report, ctx),
        note: t(
            lang,
            "Dieser Bericht enthält nur, was die Einwilligungen der teilnehmenden Person erlauben. \
             Er wurde ihr vor dem Versand gezeigt. Die Teilnahme ist freiwillig.",
            "This report contains only what the participant's consents allow. It was shown to \
             them before it was sent. Participation is voluntary.",
        ),
        signature: vec![ctx.signer.name.clone(), ctx.sender.project_name.clone()],
    }
}

fn line(label: &'static str, value: String) -> InfoLine {
    InfoLine { label, value }
}

fn t(lang: Lang, de: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::De => de,
        Lang::En => en,
    }
}

fn labels<T: Labelled>(items: &[T], lang: Lang) -> String {
    if items.is_empty() {
        return t(lang, "keine", "none").to_owned();
    }
    items
        .iter()
        .map(|x| x.label(lang))
        .collect::<Vec<_>>()
        .join(", ")
}

fn sections(report: &JobcenterReport, ctx: &ReportContext<'_>) -> Vec<ReportSection> {
    let lang = ctx.lang;
    let d = |day| crate::case_file::date(day, lang);
    let mut out = Vec::new();
    if let Some(o) = &report.outreach {
        out.push(outreach_section(o, lang));
    }
    if let Some(p) = &report.participation {
        out.push(ReportSection {
            heading: t(lang, "Teilnahme", "Participation"),
            rows: vec![
                line(t(lang, "Beginn", "Start"), d(p.start)),
                line(
                    t(lang, "Bezugsberater*in", "Key worker"),
                    ctx.key_worker.clone().unwrap_or_else(|| "–".into()),
                ),
                line(t(lang, "Geplantes Ende", "Planned end"), d(p.planned_end)),
            ],
        });
    }
    if let Some(e) = &report.extension {
        out.push(ReportSection {
            heading: t(lang, "Verlängerung", "Extension"),
            rows: vec![
                line(
                    t(lang, "Geplantes Ende bisher", "Planned end so far"),
                    d(e.planned_end),
                ),
                line(
                    t(lang, "Verlängerung möglich bis", "Extension possible until"),
                    d(e.latest_end),
                ),
                line(
                    t(lang, "Offene Zielbereiche", "Goal areas still open"),
                    labels(&e.open_domains, lang),
                ),
            ],
        });
    }
    if let Some(p) = &report.progress {
        let mut rows = vec![line(
            t(lang, "Bearbeitete Lebensbereiche", "Life domains worked on"),
            labels(&p.domains_worked_on, lang),
        )];
        for (status, n) in &p.goals_by_status {
            rows.push(line(status.label(lang), n.to_string()));
        }
        out.push(ReportSection {
            heading: t(lang, "Ziele nach Stand", "Goals by status"),
            rows,
        });
    }
    if let Some(e) = &report.exit {
        out.push(ReportSection {
            heading: t(lang, "Abschluss", "Exit"),
            rows: vec![
                line(t(lang, "Ende", "End"), d(e.end_date)),
                line(
                    t(lang, "Austrittsgrund", "Exit reason"),
                    e.reason.label(lang).to_owned(),
                ),
                line(
                    t(lang, "Übergaben", "Handovers"),
                    labels(&e.handovers, lang),
                ),
                line(
                    t(lang, "Vermittelt an", "Referred to"),
                    labels(&e.referred_to, lang),
                ),
            ],
        });
    }
    out
}

fn outreach_section(o: &OutreachResult, lang: Lang) -> ReportSection {
    let yes_no = |b| {
        t(
            lang,
            if b { "ja" } else { "nein" },
            if b { "yes" } else { "no" },
        )
    };
    let dates = o
        .attempt_dates
        .iter()
        .map(|x| crate::case_file::date(*x, lang))
        .collect::<Vec<_>>()
        .join(", ");
    ReportSection {
        heading: t(lang, "Aufsuchende Phase", "Outreach"),
        rows: vec![
            line(t(lang, "Erreicht", "Reached"), yes_no(o.reached).to_owned()),
            line(t(lang, "Angebot", "Offer"), o.offer.label(lang).to_owned()),
            line(
                t(lang, "Kontaktversuche", "Contact attempts"),
                o.attempt_count.to_string(),
            ),
            line(
                t(lang, "Daten der Kontaktversuche", "Dates of the attempts"),
                if dates.is_empty() {
                    "–".into()
                } else {
                    dates
                },
            ),
        ],
    }
}
