//! `privacy request …`: the register of a client's data-protection requests
//! (*Betroffenenanträge*, Art. 15–18, 21 GDPR, withdrawal of a consent) with their answer
//! deadlines.
//!
//! Core decides (`wegbereiter_core::privacy_request`: only the data-protection officer, the
//! deadline of Art. 12(3), which step is possible); storage writes each step with its audit
//! line in one transaction. Outputs name cases by id, never by a client's name.

use chrono::NaiveDate;
use serde::Serialize;
use wegbereiter_core::ids::PrivacyRequestId;
use wegbereiter_core::ports::StorageError;
use wegbereiter_core::privacy_request::{
    PrivacyRequest, Receipt, RequestRefused, RequestStatus, RequestStep, sort_for_register,
};
use wegbereiter_core::staff::StaffMember;
use wegbereiter_core::vocab::{Labelled, Lang};
use wegbereiter_storage::RequestError;

use crate::app::{App, new_uuid};
use crate::args::RequestCmd;
use crate::commands::setup::{optional_text, required_text};
use crate::dates::show as show_date;
use crate::error::{CliError, Msg};
use crate::msg;
use crate::output::{table, tr};

/// Runs `privacy request …` for the data-protection officer `dpo`.
///
/// # Errors
/// [`CliError::Usage`] for an empty reason or oversized text; [`CliError::NotFound`] for an
/// unknown request; [`CliError::Forbidden`] or [`CliError::Invalid`] when core refuses;
/// [`CliError::Conflict`] for a taken id; storage errors.
pub async fn run(app: &App, dpo: &StaffMember, cmd: RequestCmd) -> Result<(), CliError> {
    let actor = dpo.as_actor();
    let today = app.today();
    let changed = match cmd {
        RequestCmd::List { all } => return list(app, all).await,
        RequestCmd::Add {
            case,
            kind,
            channel,
            received,
            note,
        } => {
            // A mistyped case id is caught here rather than kept in the register.
            if app.store.case_for_retention(case).await?.is_none() {
                return Err(CliError::NotFound(msg!(
                    "Fall {case} gibt es nicht (oder er wurde bereits gelöscht).",
                    "There is no case {case} (or it was erased before)."
                )));
            }
            let receipt = Receipt {
                id: PrivacyRequestId::from_uuid(new_uuid()),
                case_id: case,
                kind,
                channel,
                received_on: received.unwrap_or(today),
                note: optional_text(note.as_deref(), "--note")?,
            };
            app.store
                .privacy_request_add(receipt, &actor, app.now(), today)
                .await
        }
        RequestCmd::Extend { id, reason } => {
            let step = RequestStep::Extend {
                reason: required_text(&reason, "--reason")?,
            };
            app.store
                .privacy_request_step(id, step, &actor, app.now(), today)
                .await
        }
        RequestCmd::Done { id, on, note } => {
            let step = RequestStep::Complete {
                on: on.unwrap_or(today),
                note: optional_text(note.as_deref(), "--note")?,
            };
            app.store
                .privacy_request_step(id, step, &actor, app.now(), today)
                .await
        }
        RequestCmd::Refuse { id, reason, on } => {
            let step = RequestStep::Refuse {
                on: on.unwrap_or(today),
                reason: required_text(&reason, "--reason")?,
            };
            app.store
                .privacy_request_step(id, step, &actor, app.now(), today)
                .await
        }
    };
    let request = changed.map_err(request_error)?;
    let view = RequestRow::of(&request, today);
    app.out().emit(&view, |lang| view.describe(lang))
}

/// The CLI's words for a refused step of the register (the one place they are mapped).
fn request_error(e: RequestError) -> CliError {
    match e {
        RequestError::NotFound(id) => CliError::NotFound(msg!(
            "Einen Antrag {id} gibt es nicht (siehe `wegbereiter privacy request list --all`).",
            "There is no request {id} (see `wegbereiter privacy request list --all`)."
        )),
        RequestError::Refused(r @ RequestRefused::NotPermitted) => {
            CliError::Forbidden(Msg::new(r.german(), r.to_string()))
        }
        RequestError::Refused(r) => CliError::Invalid(Msg::new(r.german(), r.to_string())),
        RequestError::Storage(StorageError::AlreadyExists(_)) => CliError::Conflict(msg!(
            "Diesen Antrag gibt es schon.",
            "This request exists already."
        )),
        RequestError::Storage(e) => e.into(),
        other => CliError::Internal(msg!("{other}", "{other}")),
    }
}

/// One request as the CLI shows it (JSON and text).
#[derive(Serialize)]
struct RequestRow {
    id: String,
    case_id: String,
    kind: &'static str,
    channel: &'static str,
    received_on: NaiveDate,
    /// The last day of the answer period (Art. 12(3) GDPR).
    deadline: NaiveDate,
    /// Open and past its deadline.
    overdue: bool,
    /// Days until the deadline (negative when overdue); only for open requests.
    #[serde(skip_serializing_if = "Option::is_none")]
    days_left: Option<i64>,
    note: Option<String>,
    extended_on: Option<NaiveDate>,
    extension_reason: Option<String>,
    status: &'static str,
    answered_on: Option<NaiveDate>,
    /// The note of a done request or the reason of a refused one.
    answer: Option<String>,
}

impl RequestRow {
    fn of(r: &PrivacyRequest, today: NaiveDate) -> Self {
        let answer = match r.status() {
            RequestStatus::Open => None,
            RequestStatus::Done { note, .. } => note.as_ref().map(|n| n.as_str().to_owned()),
            RequestStatus::Refused { reason, .. } => Some(reason.as_str().to_owned()),
        };
        Self {
            id: r.id().to_string(),
            case_id: r.case_id().to_string(),
            kind: r.kind().key(),
            channel: r.receipt().channel.key(),
            received_on: r.received_on(),
            deadline: r.deadline(),
            overdue: r.is_overdue(today),
            days_left: r.is_open().then(|| r.days_left(today)),
            note: r.receipt().note.as_ref().map(|n| n.as_str().to_owned()),
            extended_on: r.extension().map(|e| e.on),
            extension_reason: r.extension().map(|e| e.reason.as_str().to_owned()),
            status: r.status().key(),
            answered_on: r.status().answered_on(),
            answer,
        }
    }

    fn kind_label(&self, lang: Lang) -> &'static str {
        wegbereiter_core::privacy_request::RequestKind::from_key(self.kind)
            .map_or("", |k| k.label(lang))
    }

    fn status_text(&self, lang: Lang) -> String {
        match (self.status, self.answered_on) {
            ("done", Some(on)) => format!(
                "{} {}",
                tr(lang, "erledigt am", "done on"),
                show_date(on, lang)
            ),
            ("refused", Some(on)) => format!(
                "{} {}",
                tr(lang, "abgelehnt am", "refused on"),
                show_date(on, lang)
            ),
            _ if self.overdue => tr(lang, "offen, ÜBERFÄLLIG", "open, OVERDUE").to_owned(),
            _ => tr(lang, "offen", "open").to_owned(),
        }
    }

    fn describe(&self, lang: Lang) -> String {
        format!(
            "{} {}: {}, {} {} {}, {} {} ({}).",
            tr(lang, "Antrag", "Request"),
            self.id,
            self.kind_label(lang),
            tr(lang, "Fall", "case"),
            self.case_id,
            self.status_text(lang),
            tr(lang, "Frist bis", "due by"),
            show_date(self.deadline, lang),
            if self.extended_on.is_some() {
                tr(lang, "verlängert", "extended")
            } else {
                tr(lang, "ein Monat ab Eingang", "one month from receipt")
            }
        )
    }
}

async fn list(app: &App, all: bool) -> Result<(), CliError> {
    let today = app.today();
    let mut requests = app.store.privacy_requests(all).await?;
    sort_for_register(&mut requests, today);
    let rows: Vec<RequestRow> = requests.iter().map(|r| RequestRow::of(r, today)).collect();
    app.out().emit(&rows, |lang| {
        if rows.is_empty() {
            return tr(
                lang,
                "Keine offenen Betroffenenanträge.",
                "No open data-protection requests.",
            )
            .to_owned();
        }
        let mut t = table(&[
            tr(lang, "Antrag", "Request"),
            tr(lang, "Fall", "Case"),
            tr(lang, "Art", "Kind"),
            tr(lang, "Eingang", "Received"),
            tr(lang, "Frist bis", "Due by"),
            tr(lang, "Stand", "Status"),
        ]);
        for r in &rows {
            t.add_row(vec![
                r.id.clone(),
                r.case_id.clone(),
                r.kind_label(lang).to_owned(),
                show_date(r.received_on, lang),
                show_date(r.deadline, lang),
                r.status_text(lang),
            ]);
        }
        t.to_string()
    })
}
