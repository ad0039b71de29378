//! Restriction of processing (Art. 18 GDPR): the `cases.restricted` flag, so that every list,
//! search and report leaves a restricted case out in SQL. Existing cases are not restricted
//! (nothing could restrict a case before this migration).

use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0008_restriction"
    }
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Restricted,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Cases::Table)
                    .add_column(
                        ColumnDef::new(Cases::Restricted)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Cases::Table)
                    .drop_column(Cases::Restricted)
                    .to_owned(),
            )
            .await
    }
}
