//! The `cases` table: read model, one row per case: list columns and the current state.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub version: i64,
    pub status: String,
    pub phase: Option<String>,
    pub team_id: Option<Uuid>,
    pub key_worker_id: Option<Uuid>,
    pub client_name: String,
    pub client_name_lower: String,
    pub date_of_birth: Option<Date>,
    pub postcode: Option<String>,
    pub referral_date: Date,
    pub jobcenter: String,
    pub planned_end: Option<Date>,
    pub ended_on: Option<Date>,
    pub received_at: String,
    pub last_changed_at: String,
    pub head_hash: String,
    pub state: String,
    /// Processing restricted (Art. 18 GDPR; migration `m0008`).
    pub restricted: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The columns a case list needs: everything but the state document.
#[derive(Clone, Debug, PartialEq, Eq, sea_orm::FromQueryResult)]
pub struct Summary {
    pub id: Uuid,
    pub version: i64,
    pub status: String,
    pub phase: Option<String>,
    pub team_id: Option<Uuid>,
    pub key_worker_id: Option<Uuid>,
    pub client_name: String,
    pub date_of_birth: Option<Date>,
    pub postcode: Option<String>,
    pub referral_date: Date,
    pub jobcenter: String,
    pub planned_end: Option<Date>,
    pub ended_on: Option<Date>,
    pub last_changed_at: String,
    pub restricted: bool,
}

/// The columns of [`Summary`], for `select_only().columns(..)`.
pub const SUMMARY_COLUMNS: [Column; 15] = [
    Column::Id,
    Column::Version,
    Column::Status,
    Column::Phase,
    Column::TeamId,
    Column::KeyWorkerId,
    Column::ClientName,
    Column::DateOfBirth,
    Column::Postcode,
    Column::ReferralDate,
    Column::Jobcenter,
    Column::PlannedEnd,
    Column::EndedOn,
    Column::LastChangedAt,
    Column::Restricted,
];
