//! The register of a client's data-protection requests (Art. 15–18, 21 GDPR, withdrawal of a
//! consent), kept by the data-protection officer: entered, listed, extended, done, refused.
//!
//! Core decides (`wegbereiter_core::privacy_request`: who may keep the register, the
//! deadline, whether a request may be extended or answered); this module loads a request
//! inside the write transaction, lets core change it, writes it back and records the step in
//! the audit log in the same transaction. A refusal writes nothing.
//!
//! The rows outlive an erasure of the case they name: they hold the case id, kind, channel,
//! days and the DPO's short notes, never content of the case.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use wegbereiter_core::ids::{CaseId, PrivacyRequestId};
use wegbereiter_core::ports::{AuditStamp, StorageError};
use wegbereiter_core::privacy_request::{
    Extension, PrivacyRequest, Receipt, RequestChannel, RequestKind, RequestRefused, RequestStatus,
    RequestStep,
};
use wegbereiter_core::staff::Actor;
use wegbereiter_core::text::Text;
use wegbereiter_core::vocab::Labelled;

use crate::entity::privacy_requests;
use crate::error::{corrupt, is_unique_violation, storage};
use crate::repo::audit;
use crate::{Store, begin_write};

/// The audit action of a request entered in the register.
pub const PRIVACY_REQUEST_RECEIVED: &str = "privacy_request.received";
/// The audit action of an extended answer period.
pub const PRIVACY_REQUEST_EXTENDED: &str = "privacy_request.extended";
/// The audit action of a request recorded as done.
pub const PRIVACY_REQUEST_DONE: &str = "privacy_request.done";
/// The audit action of a refused request.
pub const PRIVACY_REQUEST_REFUSED: &str = "privacy_request.refused";

/// Answered requests listed at most by [`Store::privacy_requests`] with `include_answered`.
pub const ANSWERED_LISTED: u64 = 500;

/// Why a step of the register was not made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// No request with this id exists.
    #[error("privacy request {0} not found")]
    NotFound(PrivacyRequestId),
    /// Core refuses the step (not the DPO, answered before, extended before, a day out of
    /// order).
    #[error(transparent)]
    Refused(#[from] RequestRefused),
    /// The database failed, or the id is taken ([`StorageError::AlreadyExists`]).
    #[error(transparent)]
    Storage(#[from] StorageError),
}

fn stamp(actor: &Actor, now: DateTime<Utc>) -> AuditStamp {
    AuditStamp {
        actor: Some(actor.id),
        at: now,
    }
}

fn action_of(step: &RequestStep) -> &'static str {
    match step {
        RequestStep::Extend { .. } => PRIVACY_REQUEST_EXTENDED,
        RequestStep::Complete { .. } => PRIVACY_REQUEST_DONE,
        RequestStep::Refuse { .. } => PRIVACY_REQUEST_REFUSED,
    }
}

impl Store {
    /// Enters the request of `receipt` in the register (core's `PrivacyRequest::receive`
    /// decides, with `actor` and `today`) and records it in the audit log, in one
    /// transaction.
    ///
    /// # Errors
    /// [`RequestError::Refused`] when core refuses (nothing is written);
    /// [`StorageError::AlreadyExists`] if its id is taken; other [`StorageError`]s on backend
    /// failure.
    pub async fn privacy_request_add(
        &self,
        receipt: Receipt,
        actor: &Actor,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<PrivacyRequest, RequestError> {
        let request = PrivacyRequest::receive(actor, receipt, today)?;
        let txn = begin_write(self.conn()).await.map_err(storage)?;
        privacy_requests::Entity::insert(row(&request))
            .exec_without_returning(&txn)
            .await
            .map_err(|e| {
                if is_unique_violation(&e) {
                    StorageError::AlreadyExists("privacy request".into())
                } else {
                    storage(e)
                }
            })?;
        audit(
            &txn,
            stamp(actor, now),
            PRIVACY_REQUEST_RECEIVED,
            request.audit_line(),
        )
        .await?;
        txn.commit().await.map_err(storage)?;
        Ok(request)
    }

    /// Request `id`, if it exists.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure or a corrupt row.
    pub async fn privacy_request(
        &self,
        id: PrivacyRequestId,
    ) -> Result<Option<PrivacyRequest>, StorageError> {
        load(self.conn(), id).await
    }

    /// The open requests, and with `include_answered` also the latest [`ANSWERED_LISTED`]
    /// answered ones, in no particular order (core's `sort_for_register` orders them for the
    /// reader).
    ///
    /// # Errors
    /// [`StorageError`] on backend failure or a corrupt row.
    pub async fn privacy_requests(
        &self,
        include_answered: bool,
    ) -> Result<Vec<PrivacyRequest>, StorageError> {
        let open = RequestStatus::Open.key();
        let mut rows = privacy_requests::Entity::find()
            .filter(privacy_requests::Column::Status.eq(open))
            .order_by_asc(privacy_requests::Column::ReceivedOn)
            .all(self.conn())
            .await
            .map_err(storage)?;
        if include_answered {
            rows.extend(
                privacy_requests::Entity::find()
                    .filter(privacy_requests::Column::Status.ne(open))
                    .order_by_desc(privacy_requests::Column::AnsweredOn)
                    .order_by_desc(privacy_requests::Column::Id)
                    .limit(ANSWERED_LISTED)
                    .all(self.conn())
                    .await
                    .map_err(storage)?,
            );
        }
        rows.iter().map(from_row).collect()
    }

    /// Carries out `step` on request `id` by `actor` on `today` (core's
    /// `PrivacyRequest::apply`) and records it in the audit log, in one transaction.
    ///
    /// # Errors
    /// [`RequestError::NotFound`], [`RequestError::Refused`] (nothing is written), or
    /// [`RequestError::Storage`].
    pub async fn privacy_request_step(
        &self,
        id: PrivacyRequestId,
        step: RequestStep,
        actor: &Actor,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<PrivacyRequest, RequestError> {
        let txn = begin_write(self.conn()).await.map_err(storage)?;
        let mut request = load(&txn, id).await?.ok_or(RequestError::NotFound(id))?;
        let action = action_of(&step);
        request.apply(actor, step, today)?;
        save(&txn, &request, action, stamp(actor, now)).await?;
        txn.commit().await.map_err(storage)?;
        Ok(request)
    }
}

/// Records every open request of `kind` about `case` as done on `today` with `note`, inside
/// `txn` (an erasure or restriction carried out on request answers its request); returns
/// them as they are now.
pub(crate) async fn complete_open<C: ConnectionTrait>(
    txn: &C,
    (case, kind): (CaseId, RequestKind),
    note: &Text,
    actor: &Actor,
    (now, today): (DateTime<Utc>, NaiveDate),
) -> Result<Vec<PrivacyRequest>, RequestError> {
    let rows = privacy_requests::Entity::find()
        .filter(privacy_requests::Column::CaseId.eq(case.as_uuid()))
        .filter(privacy_requests::Column::Kind.eq(kind.key()))
        .filter(privacy_requests::Column::Status.eq(RequestStatus::Open.key()))
        .order_by_asc(privacy_requests::Column::ReceivedOn)
        .all(txn)
        .await
        .map_err(storage)?;
    let mut done = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut request = from_row(row)?;
        let step = RequestStep::Complete {
            on: today,
            note: Some(note.clone()),
        };
        request.apply(actor, step, today)?;
        save(txn, &request, PRIVACY_REQUEST_DONE, stamp(actor, now)).await?;
        done.push(request);
    }
    Ok(done)
}

async fn save<C: ConnectionTrait>(
    txn: &C,
    request: &PrivacyRequest,
    action: &str,
    stamp: AuditStamp,
) -> Result<(), StorageError> {
    privacy_requests::Entity::update(row(request))
        .exec(txn)
        .await
        .map_err(storage)?;
    audit(txn, stamp, action, request.audit_line()).await
}

async fn load<C: ConnectionTrait>(
    conn: &C,
    id: PrivacyRequestId,
) -> Result<Option<PrivacyRequest>, StorageError> {
    privacy_requests::Entity::find_by_id(id.as_uuid())
        .one(conn)
        .await
        .map_err(storage)?
        .as_ref()
        .map(from_row)
        .transpose()
}

fn row(r: &PrivacyRequest) -> privacy_requests::ActiveModel {
    let receipt = r.receipt();
    let (answered_on, answer_note) = match r.status() {
        RequestStatus::Open => (None, None),
        RequestStatus::Done { on, note } => (Some(*on), note.as_ref().map(|n| n.as_str())),
        RequestStatus::Refused { on, reason } => (Some(*on), Some(reason.as_str())),
    };
    privacy_requests::ActiveModel {
        id: Set(receipt.id.as_uuid()),
        case_id: Set(receipt.case_id.as_uuid()),
        kind: Set(receipt.kind.key().to_owned()),
        channel: Set(receipt.channel.key().to_owned()),
        received_on: Set(receipt.received_on),
        note: Set(receipt.note.as_ref().map(|n| n.as_str().to_owned())),
        extended_on: Set(r.extension().map(|e| e.on)),
        extension_reason: Set(r.extension().map(|e| e.reason.as_str().to_owned())),
        status: Set(r.status().key().to_owned()),
        answered_on: Set(answered_on),
        answer_note: Set(answer_note.map(str::to_owned)),
    }
}

fn from_row(m: &privacy_requests::Model) -> Result<PrivacyRequest, StorageError> {
    let bad = |what: &str| corrupt(format!("privacy request {}: {what}", m.id));
    let text = |s: &str, what: &str| Text::parse(s).map_err(|_| bad(what));
    let optional = |s: &Option<String>, what: &str| s.as_deref().map(|s| text(s, what)).transpose();
    let receipt = Receipt {
        id: PrivacyRequestId::from_uuid(m.id),
        case_id: CaseId::from_uuid(m.case_id),
        kind: RequestKind::from_key(&m.kind).ok_or_else(|| bad("kind"))?,
        channel: RequestChannel::from_key(&m.channel).ok_or_else(|| bad("channel"))?,
        received_on: m.received_on,
        note: optional(&m.note, "note")?,
    };
    let extension = match (m.extended_on, &m.extension_reason) {
        (Some(on), Some(reason)) => Some(Extension {
            on,
            reason: text(reason, "extension reason")?,
        }),
        (None, None) => None,
        _ => return Err(bad("extension")),
    };
    let status = match (m.status.as_str(), m.answered_on, &m.answer_note) {
        ("open", None, None) => RequestStatus::Open,
        ("done", Some(on), note) => RequestStatus::Done {
            on,
            note: optional(note, "answer note")?,
        },
        ("refused", Some(on), Some(reason)) => RequestStatus::Refused {
            on,
            reason: text(reason, "refusal reason")?,
        },
        _ => return Err(bad("status")),
    };
    Ok(PrivacyRequest::restore(receipt, extension, status))
}
