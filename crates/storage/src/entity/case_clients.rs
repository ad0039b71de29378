//! The `case_clients` table: read model of client identities for duplicate hints, and the
//! keys searches find a case by (birth date, case number).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_clients")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: Uuid,
    pub name_key: String,
    pub date_of_birth: Option<Date>,
    pub postcode: Option<String>,
    /// Core's `CaseId::case_number_key` ("ABCDEF1234"; migration `m0009`).
    pub case_number: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
