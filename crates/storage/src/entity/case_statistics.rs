//! The `case_statistics` table: read model of what each case contributes to the statistics.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_statistics")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: Uuid,
    pub team_id: Option<Uuid>,
    /// The referral date: the first day the case contributes to.
    pub referred_on: Date,
    /// The last day any of its facts falls on (core's `StatisticsFacts::last_day`).
    pub last_day: Date,
    /// Core's `StatisticsFacts` as JSON.
    pub facts: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
