//! The `login_addresses` table: client addresses a sign-in name has signed in from
//! successfully; throttling does not slow them down.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_addresses")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub login: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub address: String,
    pub last_success_at: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
