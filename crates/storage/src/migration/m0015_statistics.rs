//! The `case_statistics` read model: one row per case with the days its statistics facts
//! span and core's `StatisticsFacts` as JSON, indexed by both days, so that the statistics of
//! a year read the cases active in that year and nothing else. The rows are derived from the
//! case states after the migration (`Store::open` fills the table when this migration was
//! applied, in the same transaction: `read_model::fill_m0015`).

use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

/// The name under which this migration is recorded.
pub(crate) const NAME: &str = "m0015_statistics";

impl MigrationName for Migration {
    fn name(&self) -> &str {
        NAME
    }
}

#[derive(DeriveIden)]
enum CaseStatistics {
    Table,
    CaseId,
    TeamId,
    ReferredOn,
    LastDay,
    Facts,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
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
                    .table(CaseStatistics::Table)
                    .col(
                        ColumnDef::new(CaseStatistics::CaseId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(CaseStatistics::TeamId).uuid().null())
                    .col(ColumnDef::new(CaseStatistics::ReferredOn).date().not_null())
                    .col(ColumnDef::new(CaseStatistics::LastDay).date().not_null())
                    .col(ColumnDef::new(CaseStatistics::Facts).text().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_case_statistics_case")
                            .from(CaseStatistics::Table, CaseStatistics::CaseId)
                            .to(Cases::Table, Cases::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("ix_case_statistics_referred", CaseStatistics::ReferredOn),
            ("ix_case_statistics_last_day", CaseStatistics::LastDay),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(CaseStatistics::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CaseStatistics::Table).to_owned())
            .await
    }
}
