//! The `case_reminder_facts` table (migration `m0010`): per case that is not restricted, what
//! core's `reminders()` reads of it (`ReminderFacts` as JSON, a few hundred bytes: days, ids
//! and outcomes) and the client's name for lists, so that a list of reminders never parses a
//! whole case state.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_reminder_facts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: Uuid,
    /// "Family, Given", as `cases.client_name`.
    pub client_name: String,
    /// Core's `ReminderFacts` as JSON.
    pub facts: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
