//! The `access_log` table: reads of case files (rule R16).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "access_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: String,
    pub actor: Uuid,
    pub case_id: Uuid,
    pub kind: String,
    /// The reader's sign-in name at the time of the read (`None` before migration m0002).
    pub reader_login: Option<String>,
    /// The reader's display name at the time of the read (`None` before migration m0002).
    pub reader_name: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
