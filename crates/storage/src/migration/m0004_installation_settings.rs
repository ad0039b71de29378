//! Settings of the installation that every frontend must read alike, stored with the data
//! rather than given at every start: first of all the installation's time zone (IANA name),
//! which decides the local day of every stored instant.
//!
//! One row per setting, keyed by a stable name; a database without a row falls back to the
//! documented default (Europe/Berlin for the time zone).

use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0004_installation_settings"
    }
}

#[derive(DeriveIden)]
enum InstallationSettings {
    Table,
    Name,
    Value,
    ChangedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(InstallationSettings::Table)
                    .col(
                        ColumnDef::new(InstallationSettings::Name)
                            .text()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(InstallationSettings::Value)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(InstallationSettings::ChangedAt)
                            .text()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(InstallationSettings::Table).to_owned())
            .await
    }
}
