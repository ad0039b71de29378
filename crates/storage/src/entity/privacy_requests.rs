//! The `privacy_requests` table: the register of a client's data-protection requests
//! (migration `m0019_privacy_requests`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "privacy_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    /// Core's `RequestKind` key.
    pub kind: String,
    /// Core's `RequestChannel` key.
    pub channel: String,
    pub received_on: Date,
    pub note: Option<String>,
    /// Set with `extension_reason`, or neither.
    pub extended_on: Option<Date>,
    pub extension_reason: Option<String>,
    /// Core's `RequestStatus` key: `open`, `done` or `refused`.
    pub status: String,
    /// The day it was done or refused (null while open).
    pub answered_on: Option<Date>,
    /// The note of a done request, or the reason of a refused one (required then).
    pub answer_note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
