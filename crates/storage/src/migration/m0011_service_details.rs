//! The service directory's details (issue 16): address, phone, e-mail, opening hours and
//! contact person of each specialist service, each a nullable column of `services`. Existing
//! services keep their free-text `contact` and have none of the details yet.

use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0011_service_details"
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Services {
    Table,
    Address,
    Phone,
    Email,
    OpeningHours,
    ContactPerson,
}

const COLUMNS: [Services; 5] = [
    Services::Address,
    Services::Phone,
    Services::Email,
    Services::OpeningHours,
    Services::ContactPerson,
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        for column in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table(Services::Table)
                        .add_column(ColumnDef::new(column).text().null())
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table(Services::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
