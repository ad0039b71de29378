//! The `sent_documents` table: the exact bytes of each report a case records as sent
//! (migration `m0017_sent_documents`), sealed with the case key when the database has one.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sent_documents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub document_id: Uuid,
    pub case_id: Uuid,
    pub media_type: String,
    pub sha256: String,
    pub byte_len: i64,
    pub sealed: bool,
    pub content: Vec<u8>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
