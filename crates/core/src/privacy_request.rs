//! The register of a client's data-protection requests (*Betroffenenanträge*, Art. 15–18,
//! 21 GDPR and the withdrawal of a consent, Art. 7(3)): which request came in on which day by
//! which channel, by when it must be answered, and how it was answered.
//!
//! The rules live here, not in storage or a frontend:
//! - the answer is due **one month after receipt** (Art. 12(3) sentence 1 GDPR), counted as
//!   calendar months (`period::add_months`: received 31 January, due 28 or 29 February);
//! - it may be **extended by two further months** once, with a reason the client is told
//!   (Art. 12(3) sentences 2–3), while the first month runs; so at most three months;
//! - a request is [`RequestStatus::Open`] until it is done or refused (with the reason the
//!   client is given, Art. 12(4)), on a day not before its receipt and not in the future; an
//!   answered request is not changed again;
//! - only the data-protection officer keeps the register
//!   ([`crate::access::can_keep_privacy_requests`]): every step takes the acting person and is
//!   refused with [`RequestRefused::NotPermitted`] for anybody else, in every frontend.
//!
//! A request names the case it concerns by id and holds short notes (no health or case
//! details): the register outlives an erasure of the case, as the record that the request
//! was answered (Art. 5(2) GDPR).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::access;
use crate::ids::{CaseId, PrivacyRequestId};
use crate::period::add_months;
use crate::staff::Actor;
use crate::text::Text;
use crate::vocab::{Labelled, Lang, vocabulary};

vocabulary! {
    /// What the client asks for.
    pub enum RequestKind {
        /// Access to everything stored (Art. 15 GDPR).
        Access = "access", "Auskunft (Art. 15 DSGVO)", "Access (Art. 15 GDPR)";
        /// Correction of wrong data (Art. 16 GDPR).
        Rectification = "rectification", "Berichtigung (Art. 16 DSGVO)", "Rectification (Art. 16 GDPR)";
        /// Erasure (Art. 17 GDPR).
        Erasure = "erasure", "Löschung (Art. 17 DSGVO)", "Erasure (Art. 17 GDPR)";
        /// Restriction of processing (Art. 18 GDPR).
        Restriction = "restriction", "Einschränkung der Verarbeitung (Art. 18 DSGVO)", "Restriction of processing (Art. 18 GDPR)";
        /// Objection to processing (Art. 21 GDPR).
        Objection = "objection", "Widerspruch (Art. 21 DSGVO)", "Objection (Art. 21 GDPR)";
        /// Withdrawal of a consent (Art. 7(3) GDPR).
        Withdrawal = "withdrawal", "Widerruf einer Einwilligung (Art. 7 Abs. 3 DSGVO)", "Withdrawal of a consent (Art. 7(3) GDPR)";
    }
}

vocabulary! {
    /// How the request reached the provider.
    pub enum RequestChannel {
        /// A letter.
        Letter = "letter", "Brief", "letter";
        /// An e-mail.
        Email = "email", "E-Mail", "e-mail";
        /// In person, e.g. in a counselling session.
        InPerson = "in_person", "persönlich", "in person";
        /// By telephone.
        Phone = "phone", "Telefon", "telephone";
        /// Any other way (fax, through a lawyer, …), named in the note.
        Other = "other", "anders (siehe Notiz)", "other (see the note)";
    }
}

/// The answer period of Art. 12(3) GDPR, in calendar months after receipt.
pub const ANSWER_MONTHS: u32 = 1;
/// The extension Art. 12(3) allows, in calendar months.
pub const EXTENSION_MONTHS: u32 = 2;

/// Why a step of the register was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestRefused {
    /// The acting person is not the (active) data-protection officer.
    #[error("only the data-protection officer keeps the register of requests")]
    NotPermitted,
    /// The request was answered (done or refused); it is not changed again.
    #[error("the request was answered already")]
    Answered,
    /// The answer period was extended before; Art. 12(3) allows one extension.
    #[error("the answer period was extended before")]
    AlreadyExtended,
    /// The day lies before the day the request was received.
    #[error("the day lies before the request was received")]
    BeforeReceipt,
    /// The day lies in the future.
    #[error("the day lies in the future")]
    InTheFuture,
    /// The first month has passed; the period can only be extended while it runs.
    #[error("the answer period has passed; it can only be extended while it runs")]
    DeadlinePassed,
    /// The day is beyond the calendar.
    #[error("the day is out of range")]
    OutOfRange,
}

impl RequestRefused {
    /// The refusal as a German sentence for people.
    #[must_use]
    pub fn german(&self) -> &'static str {
        match self {
            Self::NotPermitted => {
                "Das Register der Betroffenenanträge führt nur die bzw. der Datenschutzbeauftragte."
            }
            Self::Answered => "Der Antrag ist schon beantwortet und wird nicht mehr geändert.",
            Self::AlreadyExtended => {
                "Die Frist wurde schon verlängert; Art. 12 Abs. 3 DSGVO erlaubt eine Verlängerung um zwei Monate."
            }
            Self::BeforeReceipt => "Der Tag liegt vor dem Eingang des Antrags.",
            Self::InTheFuture => "Der Tag liegt in der Zukunft.",
            Self::DeadlinePassed => {
                "Die Antwortfrist ist schon abgelaufen; verlängert werden kann sie nur, solange sie läuft."
            }
            Self::OutOfRange => "Der Tag liegt außerhalb des Kalenders.",
        }
    }

    /// The refusal in `lang`.
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::De => self.german().to_owned(),
            Lang::En => self.to_string(),
        }
    }
}

/// What the register records when a request comes in. No invariant beyond its fields:
/// [`PrivacyRequest::receive`] checks the day and who enters it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The request's id (made by the caller, uuid v7).
    pub id: PrivacyRequestId,
    /// The case it concerns.
    pub case_id: CaseId,
    /// What the client asks for.
    pub kind: RequestKind,
    /// How it came in.
    pub channel: RequestChannel,
    /// The day it came in (the period counts from here).
    pub received_on: NaiveDate,
    /// A short note, e.g. "Schreiben vom 01.12.2026" (no health or case details).
    pub note: Option<Text>,
}

/// The extension of the answer period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    /// The day it was decided.
    pub on: NaiveDate,
    /// Why (told to the client within the first month, Art. 12(3) sentence 3).
    pub reason: Text,
}

/// Where a request stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum RequestStatus {
    /// Not answered yet.
    Open,
    /// Answered as asked (the export handed over, the data erased, restricted or corrected).
    Done {
        /// The day.
        on: NaiveDate,
        /// A note on the answer, if any.
        note: Option<Text>,
    },
    /// Refused, with the reason the client was given (Art. 12(4) GDPR).
    Refused {
        /// The day.
        on: NaiveDate,
        /// Why.
        reason: Text,
    },
}

impl RequestStatus {
    /// The stable key: `open`, `done` or `refused`.
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Done { .. } => "done",
            Self::Refused { .. } => "refused",
        }
    }

    /// The status in `lang`.
    #[must_use]
    pub fn label(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Open, Lang::De) => "offen",
            (Self::Open, Lang::En) => "open",
            (Self::Done { .. }, Lang::De) => "erledigt",
            (Self::Done { .. }, Lang::En) => "done",
            (Self::Refused { .. }, Lang::De) => "abgelehnt",
            (Self::Refused { .. }, Lang::En) => "refused",
        }
    }

    /// The day it was answered, if it was.
    #[must_use]
    pub fn answered_on(&self) -> Option<NaiveDate> {
        match self {
            Self::Open => None,
            Self::Done { on, .. } | Self::Refused { on, .. } => Some(*on),
        }
    }
}

/// A step of the register on one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestStep {
    /// Extend the answer period by two months, on the acting day.
    Extend {
        /// Why.
        reason: Text,
    },
    /// Record the request as done on `on`.
    Complete {
        /// The day.
        on: NaiveDate,
        /// A note, if any.
        note: Option<Text>,
    },
    /// Refuse the request on `on`, giving `reason`.
    Refuse {
        /// The day.
        on: NaiveDate,
        /// Why (the client is told).
        reason: Text,
    },
}

/// One request of the register. Fields are private: [`PrivacyRequest::receive`] makes one,
/// [`PrivacyRequest::apply`] changes it, so an answered request stays as it was answered and
/// the period is extended at most once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyRequest {
    receipt: Receipt,
    extension: Option<Extension>,
    status: RequestStatus,
}

impl PrivacyRequest {
    /// A request received as `receipt` says, entered by `actor` on `today`.
    ///
    /// # Errors
    /// [`RequestRefused::NotPermitted`] unless `actor` keeps the register;
    /// [`RequestRefused::InTheFuture`] for a receipt after `today`;
    /// [`RequestRefused::OutOfRange`] when its latest deadline lies beyond the calendar.
    pub fn receive(
        actor: &Actor,
        receipt: Receipt,
        today: NaiveDate,
    ) -> Result<Self, RequestRefused> {
        if !access::can_keep_privacy_requests(actor) {
            return Err(RequestRefused::NotPermitted);
        }
        if receipt.received_on > today {
            return Err(RequestRefused::InTheFuture);
        }
        add_months(receipt.received_on, ANSWER_MONTHS + EXTENSION_MONTHS)
            .map_err(|_| RequestRefused::OutOfRange)?;
        Ok(Self {
            receipt,
            extension: None,
            status: RequestStatus::Open,
        })
    }

    /// A request as stored, with its extension and status (storage's mapping).
    #[must_use]
    pub fn restore(receipt: Receipt, extension: Option<Extension>, status: RequestStatus) -> Self {
        Self {
            receipt,
            extension,
            status,
        }
    }

    /// The request's id.
    #[must_use]
    pub fn id(&self) -> PrivacyRequestId {
        self.receipt.id
    }

    /// What was recorded when it came in.
    #[must_use]
    pub fn receipt(&self) -> &Receipt {
        &self.receipt
    }

    /// The case it concerns.
    #[must_use]
    pub fn case_id(&self) -> CaseId {
        self.receipt.case_id
    }

    /// What the client asks for.
    #[must_use]
    pub fn kind(&self) -> RequestKind {
        self.receipt.kind
    }

    /// The day it was received.
    #[must_use]
    pub fn received_on(&self) -> NaiveDate {
        self.receipt.received_on
    }

    /// The extension of the answer period, if any.
    #[must_use]
    pub fn extension(&self) -> Option<&Extension> {
        self.extension.as_ref()
    }

    /// Where it stands.
    #[must_use]
    pub fn status(&self) -> &RequestStatus {
        &self.status
    }

    /// Whether it is still open.
    #[must_use]
    pub fn is_open(&self) -> bool {
        self.status == RequestStatus::Open
    }

    /// The last day of the answer period: one month after receipt, three when extended
    /// (Art. 12(3) GDPR). `receive` checked that both lie within the calendar; a request
    /// restored from corrupt data falls back to the day of receipt.
    #[must_use]
    pub fn deadline(&self) -> NaiveDate {
        let months = if self.extension.is_some() {
            ANSWER_MONTHS + EXTENSION_MONTHS
        } else {
            ANSWER_MONTHS
        };
        add_months(self.receipt.received_on, months).unwrap_or(self.receipt.received_on)
    }

    /// Whether it is open and its answer period has passed on `today`.
    #[must_use]
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.is_open() && today > self.deadline()
    }

    /// Days left until the deadline on `today` (negative when overdue).
    #[must_use]
    pub fn days_left(&self, today: NaiveDate) -> i64 {
        (self.deadline() - today).num_days()
    }

    /// Carries out `step` by `actor` on `today`.
    ///
    /// # Errors
    /// [`RequestRefused::NotPermitted`] unless `actor` keeps the register;
    /// [`RequestRefused::Answered`] for a request done or refused before; for an extension
    /// [`RequestRefused::AlreadyExtended`] or [`RequestRefused::DeadlinePassed`]; for an answer
    /// [`RequestRefused::BeforeReceipt`] or [`RequestRefused::InTheFuture`].
    pub fn apply(
        &mut self,
        actor: &Actor,
        step: RequestStep,
        today: NaiveDate,
    ) -> Result<(), RequestRefused> {
        if !access::can_keep_privacy_requests(actor) {
            return Err(RequestRefused::NotPermitted);
        }
        if !self.is_open() {
            return Err(RequestRefused::Answered);
        }
        let answered_on = |on: NaiveDate| {
            if on < self.receipt.received_on {
                Err(RequestRefused::BeforeReceipt)
            } else if on > today {
                Err(RequestRefused::InTheFuture)
            } else {
                Ok(on)
            }
        };
        match step {
            RequestStep::Extend { reason } => {
                if self.extension.is_some() {
                    return Err(RequestRefused::AlreadyExtended);
                }
                if today > self.deadline() {
                    return Err(RequestRefused::DeadlinePassed);
                }
                self.extension = Some(Extension { on: today, reason });
            }
            RequestStep::Complete { on, note } => {
                let on = answered_on(on)?;
                self.status = RequestStatus::Done { on, note };
            }
            RequestStep::Refuse { on, reason } => {
                let on = answered_on(on)?;
                self.status = RequestStatus::Refused { on, reason };
            }
        }
        Ok(())
    }

    /// The one-line summary the audit log keeps (ids, kind, channel, days, status; never a
    /// note's or reason's text).
    #[must_use]
    pub fn audit_line(&self) -> String {
        let mut line = format!(
            "privacy request {} case {} {} via {} received {} due {}",
            self.receipt.id,
            self.receipt.case_id,
            self.receipt.kind.key(),
            self.receipt.channel.key(),
            self.receipt.received_on,
            self.deadline()
        );
        if let Some(on) = self.status.answered_on() {
            line.push_str(&format!(" {} {on}", self.status.key()));
        }
        line
    }
}

/// The kind of request an erasure or restriction carried out on request answers: an Art. 17
/// request is answered by the erasure (a restriction of what a duty keeps included), an
/// Art. 18 request by the restriction.
#[must_use]
pub fn answered_by(restriction: bool) -> RequestKind {
    if restriction {
        RequestKind::Restriction
    } else {
        RequestKind::Erasure
    }
}

/// The register's order for the data-protection officer: open requests first, overdue ones
/// before the others, each by deadline (earliest first), then answered ones, latest first.
pub fn sort_for_register(requests: &mut [PrivacyRequest], today: NaiveDate) {
    requests.sort_by_key(|r| {
        (
            !r.is_open(),
            !r.is_overdue(today),
            r.status.answered_on().map(std::cmp::Reverse),
            r.deadline(),
            r.receipt.received_on,
            r.receipt.id,
        )
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::StaffId;
    use crate::staff::Role;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn person(roles: &[Role], active: bool) -> Actor {
        Actor {
            id: StaffId::from_uuid(uuid::Uuid::from_u128(99)),
            roles: roles.to_vec(),
            teams: Vec::new(),
            active,
        }
    }

    fn dpo() -> Actor {
        person(&[Role::DataProtectionOfficer], true)
    }

    fn text(s: &str) -> Text {
        Text::parse(s).unwrap()
    }

    fn receipt(received: NaiveDate) -> Receipt {
        Receipt {
            id: PrivacyRequestId::from_uuid(uuid::Uuid::from_u128(
                u128::try_from(chrono::Datelike::num_days_from_ce(&received)).unwrap(),
            )),
            case_id: CaseId::from_uuid(uuid::Uuid::from_u128(7)),
            kind: RequestKind::Erasure,
            channel: RequestChannel::Letter,
            received_on: received,
            note: None,
        }
    }

    fn request(received: NaiveDate) -> PrivacyRequest {
        PrivacyRequest::receive(&dpo(), receipt(received), day(2030, 12, 31)).unwrap()
    }

    #[test]
    fn the_answer_is_due_one_calendar_month_after_receipt() {
        assert_eq!(request(day(2026, 12, 2)).deadline(), day(2027, 1, 2));
        assert_eq!(request(day(2027, 1, 31)).deadline(), day(2027, 2, 28));
        assert_eq!(request(day(2028, 1, 31)).deadline(), day(2028, 2, 29));
        let r = request(day(2027, 3, 10));
        assert_eq!(r.days_left(day(2027, 4, 10)), 0);
        assert!(!r.is_overdue(day(2027, 4, 10)), "the last day still counts");
        assert!(r.is_overdue(day(2027, 4, 11)));
        assert_eq!(r.days_left(day(2027, 4, 12)), -2);
    }

    #[test]
    fn only_the_active_data_protection_officer_enters_a_request() {
        let today = day(2027, 1, 10);
        for (who, expected) in [
            (dpo(), Ok(())),
            (
                person(&[Role::DataProtectionOfficer], false),
                Err(RequestRefused::NotPermitted),
            ),
            (
                person(&[Role::Administrator], true),
                Err(RequestRefused::NotPermitted),
            ),
            (
                person(&[Role::TeamLead, Role::KeyWorker], true),
                Err(RequestRefused::NotPermitted),
            ),
        ] {
            let got = PrivacyRequest::receive(&who, receipt(today), today).map(|_| ());
            assert_eq!(got, expected, "{:?}", who.roles);
        }
        assert_eq!(
            PrivacyRequest::receive(&dpo(), receipt(day(2027, 1, 11)), today),
            Err(RequestRefused::InTheFuture)
        );
    }

    /// Where a request stands before a step, for the table below.
    #[derive(Debug, Clone, Copy)]
    enum Before {
        Open,
        Extended,
        Done,
        Refused,
    }

    /// The request received 31 January 2027 (due 28 February), brought to `before`.
    fn standing(before: Before) -> PrivacyRequest {
        let mut r = request(day(2027, 1, 31));
        let today = day(2027, 2, 10);
        let step = match before {
            Before::Open => return r,
            Before::Extended => RequestStep::Extend {
                reason: text("mehrere Akten"),
            },
            Before::Done => RequestStep::Complete {
                on: today,
                note: None,
            },
            Before::Refused => RequestStep::Refuse {
                on: today,
                reason: text("offenkundig unbegründet"),
            },
        };
        r.apply(&dpo(), step, today).unwrap();
        r
    }

    /// What a row of the transition table expects.
    type Expected = Result<(&'static str, NaiveDate), RequestRefused>;

    /// One row of the transition table: from `before`, `step` by `actor` on `today` gives
    /// `expected` (the status key and the deadline afterwards, or the refusal, which changes
    /// nothing).
    fn check(
        before: Before,
        actor: &Actor,
        step: RequestStep,
        today: NaiveDate,
        expected: Expected,
    ) {
        let mut r = standing(before);
        let unchanged = r.clone();
        let got = r
            .apply(actor, step.clone(), today)
            .map(|()| (r.status().key(), r.deadline()));
        assert_eq!(got, expected, "{before:?} {step:?} on {today}");
        if got.is_err() {
            assert_eq!(r, unchanged, "a refused step changes nothing");
        }
    }

    #[test]
    fn transitions() {
        use Before::*;
        let due = day(2027, 2, 28);
        let extended_due = day(2027, 4, 30);
        let why = || text("Grund");
        let extend = || RequestStep::Extend { reason: why() };
        let done = |on| RequestStep::Complete { on, note: None };
        let refuse = |on| RequestStep::Refuse { on, reason: why() };
        let d = dpo();
        let admin = person(&[Role::Administrator], true);
        let gone = person(&[Role::DataProtectionOfficer], false);
        let feb = |n| day(2027, 2, n);
        let rows: Vec<(Before, &Actor, RequestStep, NaiveDate, Expected)> = vec![
            (Open, &d, extend(), feb(20), Ok(("open", extended_due))),
            (Open, &d, extend(), feb(28), Ok(("open", extended_due))),
            (
                Open,
                &d,
                extend(),
                day(2027, 3, 1),
                Err(RequestRefused::DeadlinePassed),
            ),
            (
                Extended,
                &d,
                extend(),
                feb(20),
                Err(RequestRefused::AlreadyExtended),
            ),
            (Open, &d, done(feb(20)), feb(20), Ok(("done", due))),
            (Open, &d, done(day(2027, 1, 31)), feb(20), Ok(("done", due))),
            (
                Open,
                &d,
                done(day(2027, 1, 30)),
                feb(20),
                Err(RequestRefused::BeforeReceipt),
            ),
            (
                Open,
                &d,
                done(feb(21)),
                feb(20),
                Err(RequestRefused::InTheFuture),
            ),
            (
                Open,
                &d,
                done(day(2027, 6, 1)),
                day(2027, 6, 1),
                Ok(("done", due)),
            ),
            (
                Extended,
                &d,
                done(day(2027, 4, 1)),
                day(2027, 4, 1),
                Ok(("done", extended_due)),
            ),
            (Open, &d, refuse(feb(20)), feb(20), Ok(("refused", due))),
            (
                Open,
                &d,
                refuse(day(2027, 1, 1)),
                feb(20),
                Err(RequestRefused::BeforeReceipt),
            ),
            (
                Extended,
                &d,
                refuse(feb(25)),
                feb(25),
                Ok(("refused", extended_due)),
            ),
            (
                Done,
                &d,
                refuse(feb(20)),
                feb(20),
                Err(RequestRefused::Answered),
            ),
            (
                Done,
                &d,
                done(feb(20)),
                feb(20),
                Err(RequestRefused::Answered),
            ),
            (Done, &d, extend(), feb(20), Err(RequestRefused::Answered)),
            (
                Refused,
                &d,
                done(feb(20)),
                feb(20),
                Err(RequestRefused::Answered),
            ),
            (
                Refused,
                &d,
                extend(),
                feb(20),
                Err(RequestRefused::Answered),
            ),
            (
                Open,
                &admin,
                done(feb(20)),
                feb(20),
                Err(RequestRefused::NotPermitted),
            ),
            (
                Open,
                &admin,
                refuse(feb(20)),
                feb(20),
                Err(RequestRefused::NotPermitted),
            ),
            (
                Open,
                &gone,
                extend(),
                feb(20),
                Err(RequestRefused::NotPermitted),
            ),
            (
                Done,
                &admin,
                done(feb(20)),
                feb(20),
                Err(RequestRefused::NotPermitted),
            ),
        ];
        for (before, actor, step, today, expected) in rows {
            check(before, actor, step, today, expected);
        }
    }

    #[test]
    fn the_audit_line_names_ids_and_days_never_a_note() {
        let mut r = PrivacyRequest::receive(
            &dpo(),
            Receipt {
                note: Some(text("Schreiben mit Angaben zur Sucht")),
                ..receipt(day(2027, 1, 5))
            },
            day(2027, 1, 5),
        )
        .unwrap();
        r.apply(
            &dpo(),
            RequestStep::Refuse {
                on: day(2027, 1, 6),
                reason: text("Identität nicht nachgewiesen"),
            },
            day(2027, 1, 6),
        )
        .unwrap();
        let line = r.audit_line();
        assert!(
            line.contains(
                "erasure via letter received 2027-01-05 due 2027-02-05 refused 2027-01-06"
            ),
            "{line}"
        );
        assert!(
            !line.contains("Sucht") && !line.contains("Identität"),
            "{line}"
        );
    }

    #[test]
    fn the_register_lists_overdue_requests_first_then_by_deadline() {
        let today = day(2027, 3, 1);
        let overdue = request(day(2027, 1, 5));
        let soon = request(day(2027, 2, 10));
        let later = request(day(2027, 2, 20));
        let mut answered = request(day(2027, 1, 1));
        answered
            .apply(
                &dpo(),
                RequestStep::Complete {
                    on: day(2027, 1, 2),
                    note: None,
                },
                today,
            )
            .unwrap();
        let mut all = vec![
            answered.clone(),
            later.clone(),
            soon.clone(),
            overdue.clone(),
        ];
        sort_for_register(&mut all, today);
        assert_eq!(all, vec![overdue, soon, later, answered]);
    }
}
