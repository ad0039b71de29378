//! The `web_sessions` table: web sign-in sessions, shared by all web instances. A session is
//! keyed by the SHA-256 of its id, never by the id itself.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "web_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id_hash: String,
    pub staff_id: Option<Uuid>,
    pub created_at: String,
    pub data: Vec<u8>,
    pub expires_at: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
