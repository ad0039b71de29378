//! Search that finds people (issue 16):
//!
//! * `case_clients.case_number`: the case number of each case without its dash (core's
//!   `CaseId::case_number_key`, "ABCDEF1234"), with the index `ix_case_clients_case_number`,
//!   so that a search by case number (or its beginning) is a range of an index instead of a
//!   comparison with every case id;
//! * `ix_case_clients_dob (date_of_birth)`: a search by birth date through an index (the
//!   existing indexes begin with the folded name);
//! * the folded keys `case_clients.name_key` and `case_name_words` are recomputed with core's
//!   new folding (accent marks, ä = ae = a, ö = oe = o, ü = ue = u, ß = ss). SQL cannot fold
//!   names as core does, so `Store::open` rewrites these rows from the stored case states in
//!   batches, in the same transaction, when this migration was applied
//!   (`read_model::fill_m0009`), which also fills `case_number`.

use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

/// The name under which this migration is recorded.
pub(crate) const NAME: &str = "m0009_search";

impl MigrationName for Migration {
    fn name(&self) -> &str {
        NAME
    }
}

#[derive(DeriveIden)]
enum CaseClients {
    Table,
    CaseNumber,
    DateOfBirth,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Filled right after the migrations by `read_model::fill_m0009`; SQLite adds a
        // NOT NULL column only with a default. Byte order on both backends, so that a
        // beginning of a case number is a range of the index whatever the database's locale.
        let mut number = ColumnDef::new(CaseClients::CaseNumber);
        number.text().not_null().default("");
        if manager.get_database_backend() == sea_orm::DbBackend::Postgres {
            number.extra("COLLATE \"C\"");
        }
        manager
            .alter_table(
                Table::alter()
                    .table(CaseClients::Table)
                    .add_column(&mut number)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_case_clients_case_number")
                    .table(CaseClients::Table)
                    .col(CaseClients::CaseNumber)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_case_clients_dob")
                    .table(CaseClients::Table)
                    .col(CaseClients::DateOfBirth)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in ["ix_case_clients_dob", "ix_case_clients_case_number"] {
            manager
                .drop_index(
                    Index::drop()
                        .name(name)
                        .table(CaseClients::Table)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(CaseClients::Table)
                    .drop_column(CaseClients::CaseNumber)
                    .to_owned(),
            )
            .await
    }
}
