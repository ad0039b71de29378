//! The retention rule of staff accounts carried out ([`RetentionCategory::StaffAccounts`],
//! domain rules §5): a deactivated account whose period has ended loses its personal fields
//! and keeps its pseudonymous id, so that every case history, audit line and access-log
//! entry that names it still resolves.
//!
//! Core decides (`retention::staff_plan`, `permits_staff_erasure`); this module gathers the
//! facts and erases in one transaction per account:
//! - `staff`: the sign-in name becomes core's `erased_login(id)`, the display name
//!   `ERASED_STAFF_NAME` (roles and teams stay: they are no personal data and say what the
//!   account could do);
//! - the password hash, personal access tokens, web sessions, and the throttling rows of the
//!   old sign-in name are deleted;
//! - audit lines that named the old sign-in name (`staff <id> (<login>)`) and access-log
//!   entries that kept the reader's name and sign-in name at the time now name the pseudonym;
//! - one audit line `staff.erased` (the id and the rule, nothing else).
//!
//! The day of deactivation is the day of the account's last `staff.deactivated` audit line
//! (in UTC); an inactive account without one has no known day and is kept.
//!
//! [`RetentionCategory::StaffAccounts`]: wegbereiter_core::retention::RetentionCategory

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use wegbereiter_core::ids::StaffId;
use wegbereiter_core::ports::{AuditStamp, StorageError};
use wegbereiter_core::retention::{
    self, ERASED_STAFF_NAME, PlannedStaffErasure, RetentionCategory, StaffAccountFacts,
    erased_login,
};
use wegbereiter_core::vocab::{Labelled, Lang};

use crate::entity::{
    access_log, audit_log, login_addresses, login_failures, personal_tokens, staff,
    staff_credentials,
};
use crate::error::storage;
use crate::mapping::{login_key, parse_ts};
use crate::repo::audit;
use crate::retention::{RetentionError, rules_in};
use crate::{AuditSubject, Store, begin_write};

/// The audit action of an erased staff account.
pub const STAFF_ERASED: &str = "staff.erased";
/// The audit action of a deactivation (written by `save_staff`).
const STAFF_DEACTIVATED: &str = "staff.deactivated";

impl Store {
    /// The planned erasure of every deactivated staff account not erased before, on `today`
    /// under the stored rules (due or not), by id only.
    ///
    /// # Errors
    /// [`StorageError`] on backend failure or corrupt rows.
    pub async fn staff_retention_plan(
        &self,
        today: NaiveDate,
    ) -> Result<Vec<PlannedStaffErasure>, StorageError> {
        let rules = rules_in(self.conn()).await?;
        Ok(facts(self.conn(), None)
            .await?
            .iter()
            .filter_map(|f| retention::staff_plan(f, &rules, today))
            .collect())
    }

    /// Erases the personal fields of staff account `id` on `today` (see the module
    /// documentation), after core's `permits_staff_erasure` against the account as it is in
    /// the transaction; audited as [`STAFF_ERASED`].
    ///
    /// # Errors
    /// [`RetentionError::Refused`] (active, erased before, not yet due; nothing written),
    /// [`RetentionError::StaffNotFound`] for an unknown account, [`RetentionError::Storage`]
    /// on backend failure.
    pub async fn erase_staff_account(
        &self,
        id: StaffId,
        stamp: AuditStamp,
        today: NaiveDate,
    ) -> Result<(), RetentionError> {
        let txn = begin_write(self.conn()).await.map_err(storage)?;
        let rules = rules_in(&txn).await?;
        let account = facts(&txn, Some(id))
            .await?
            .pop()
            .ok_or(RetentionError::StaffNotFound(id))?;
        retention::permits_staff_erasure(&account, &rules, today)?;
        let row = staff::Entity::find_by_id(id.as_uuid())
            .one(&txn)
            .await
            .map_err(storage)?
            .ok_or(RetentionError::StaffNotFound(id))?;
        erase(&txn, &row, id).await?;
        let subject = format!(
            "staff {id} {}",
            RetentionCategory::StaffAccounts.label(Lang::De)
        );
        audit(&txn, stamp, STAFF_ERASED, subject).await?;
        txn.commit().await.map_err(storage)?;
        Ok(())
    }
}

/// The facts of every inactive account, or of the account `only` (active or not, so that
/// core can refuse an active one).
async fn facts<C: ConnectionTrait>(
    conn: &C,
    only: Option<StaffId>,
) -> Result<Vec<StaffAccountFacts>, StorageError> {
    let query = match only {
        Some(id) => staff::Entity::find().filter(staff::Column::Id.eq(id.as_uuid())),
        None => staff::Entity::find().filter(staff::Column::Active.eq(false)),
    };
    let rows = query.all(conn).await.map_err(storage)?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut deactivated: HashMap<StaffId, NaiveDate> = HashMap::new();
    let mut lines =
        audit_log::Entity::find().filter(audit_log::Column::Action.eq(STAFF_DEACTIVATED));
    if let Some(id) = only {
        lines = lines.filter(audit_log::Column::Subject.starts_with(format!("staff {id}")));
    }
    for line in lines.all(conn).await.map_err(storage)? {
        if let AuditSubject::Staff { id, .. } = AuditSubject::parse(&line.action, &line.subject) {
            let day = parse_ts(&line.at)?.date_naive();
            let latest = deactivated.entry(id).or_insert(day);
            *latest = (*latest).max(day);
        }
    }
    Ok(rows
        .iter()
        .map(|row| {
            let id = StaffId::from_uuid(row.id);
            StaffAccountFacts {
                staff_id: id,
                active: row.active,
                deactivated_on: deactivated.get(&id).copied(),
                erased: row.login == erased_login(id),
            }
        })
        .collect())
}

/// Replaces the personal fields of `row` and what names them, inside `txn`.
async fn erase<C: ConnectionTrait>(
    txn: &C,
    row: &staff::Model,
    id: StaffId,
) -> Result<(), StorageError> {
    let pseudonym = erased_login(id);
    let uuid = id.as_uuid();
    staff::Entity::update(staff::ActiveModel {
        id: Set(uuid),
        login: Set(pseudonym.clone()),
        login_key: Set(login_key(&pseudonym)),
        display_name: Set(ERASED_STAFF_NAME.to_owned()),
        ..Default::default()
    })
    .exec(txn)
    .await
    .map_err(storage)?;
    staff_credentials::Entity::delete_many()
        .filter(staff_credentials::Column::StaffId.eq(uuid))
        .exec(txn)
        .await
        .map_err(storage)?;
    personal_tokens::Entity::delete_many()
        .filter(personal_tokens::Column::StaffId.eq(uuid))
        .exec(txn)
        .await
        .map_err(storage)?;
    crate::web::revoke_sessions(txn, id).await?;
    let old_names = [row.login.clone(), row.login_key.clone()];
    login_failures::Entity::delete_many()
        .filter(login_failures::Column::Login.is_in(old_names.clone()))
        .exec(txn)
        .await
        .map_err(storage)?;
    login_addresses::Entity::delete_many()
        .filter(login_addresses::Column::Login.is_in(old_names))
        .exec(txn)
        .await
        .map_err(storage)?;
    access_log::Entity::update_many()
        .col_expr(
            access_log::Column::ReaderLogin,
            Expr::value(Some(pseudonym.clone())),
        )
        .col_expr(
            access_log::Column::ReaderName,
            Expr::value(Some(ERASED_STAFF_NAME.to_owned())),
        )
        .filter(access_log::Column::Actor.eq(uuid))
        .exec(txn)
        .await
        .map_err(storage)?;
    // Audit lines about the account that kept its sign-in name at the time.
    let named = audit_log::Entity::find()
        .filter(audit_log::Column::Subject.starts_with(format!("staff {id} (")))
        .all(txn)
        .await
        .map_err(storage)?;
    for line in named {
        let renamed = match AuditSubject::parse(&line.action, &line.subject) {
            AuditSubject::Staff { id: of, .. } if of == id => AuditSubject::Staff {
                id,
                login: Some(pseudonym.clone()),
            },
            AuditSubject::StaffRole { id: of, role, .. } if of == id => AuditSubject::StaffRole {
                id,
                login: pseudonym.clone(),
                role,
            },
            _ => continue,
        };
        audit_log::Entity::update_many()
            .col_expr(audit_log::Column::Subject, Expr::value(renamed.stored()))
            .filter(audit_log::Column::Id.eq(line.id))
            .exec(txn)
            .await
            .map_err(storage)?;
    }
    Ok(())
}
