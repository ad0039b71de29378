//! Secrets that every web instance against one database shares, created once: the key that
//! signs the sign-in form's CSRF cookie, so that a cookie issued by one instance is accepted
//! by another.

use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0005_web_secrets"
    }
}

#[derive(DeriveIden)]
enum WebSecrets {
    Table,
    Name,
    Secret,
    CreatedAt,
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
                    .table(WebSecrets::Table)
                    .col(
                        ColumnDef::new(WebSecrets::Name)
                            .text()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(WebSecrets::Secret).text().not_null())
                    .col(ColumnDef::new(WebSecrets::CreatedAt).text().not_null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WebSecrets::Table).to_owned())
            .await
    }
}
