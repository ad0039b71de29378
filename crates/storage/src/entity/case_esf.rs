//! The `case_esf` table: read model of the ESF Plus participants, one row per enrolled case.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_esf")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: Uuid,
    pub team_id: Option<Uuid>,
    pub key_worker_id: Option<Uuid>,
    /// The day of entry (enrolment).
    pub entered_on: Date,
    /// The day of exit (the closure in force), if any.
    pub left_on: Option<Date>,
    /// Core's `EsfParticipant` as JSON.
    pub participant: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
