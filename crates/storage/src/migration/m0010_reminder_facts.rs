//! `case_reminder_facts`: per case, what core's `reminders()` reads of it (`ReminderFacts` as
//! JSON) and the client's name, so that a dashboard's or the CLI's reminders parse a few
//! hundred bytes per candidate case instead of its whole state (issue 15). The rows are
//! derived from the case states after the migration (`Store::open` fills the table in the
//! same transaction when this migration was applied, see `read_model::fill_m0010`).

use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

/// The name under which this migration is recorded.
pub(crate) const NAME: &str = "m0010_reminder_facts";

impl MigrationName for Migration {
    fn name(&self) -> &str {
        NAME
    }
}

#[derive(DeriveIden)]
enum CaseReminderFacts {
    Table,
    CaseId,
    ClientName,
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
                    .table(CaseReminderFacts::Table)
                    .col(
                        ColumnDef::new(CaseReminderFacts::CaseId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(CaseReminderFacts::ClientName)
                            .text()
                            .not_null(),
                    )
                    .col(ColumnDef::new(CaseReminderFacts::Facts).text().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_case_reminder_facts_case")
                            .from(CaseReminderFacts::Table, CaseReminderFacts::CaseId)
                            .to(Cases::Table, Cases::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CaseReminderFacts::Table).to_owned())
            .await
    }
}
