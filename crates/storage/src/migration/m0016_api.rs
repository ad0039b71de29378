//! The JSON API (`/api/v1`): a scope for every personal access token, and the idempotency
//! keys of creating POSTs.
//!
//! Tokens made before this migration get the scope `read`: they were made for the CLI, which
//! does not look at scopes, so nothing that worked stops working, and the API gets no write
//! access that nobody asked for.

use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0016_api"
    }
}

#[derive(DeriveIden)]
enum PersonalTokens {
    Table,
    Scope,
}

#[derive(DeriveIden)]
enum ApiIdempotency {
    Table,
    StaffId,
    Key,
    RequestHash,
    Status,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Staff {
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
            .alter_table(
                Table::alter()
                    .table(PersonalTokens::Table)
                    .add_column(
                        ColumnDef::new(PersonalTokens::Scope)
                            .text()
                            .not_null()
                            .default("read"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ApiIdempotency::Table)
                    .col(ColumnDef::new(ApiIdempotency::StaffId).uuid().not_null())
                    .col(ColumnDef::new(ApiIdempotency::Key).text().not_null())
                    .col(
                        ColumnDef::new(ApiIdempotency::RequestHash)
                            .text()
                            .not_null(),
                    )
                    // Null while the first request with the key is still running.
                    .col(ColumnDef::new(ApiIdempotency::Status).integer().null())
                    .col(ColumnDef::new(ApiIdempotency::Body).text().null())
                    .col(ColumnDef::new(ApiIdempotency::CreatedAt).text().not_null())
                    .primary_key(
                        Index::create()
                            .col(ApiIdempotency::StaffId)
                            .col(ApiIdempotency::Key),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_idempotency_staff")
                            .from(ApiIdempotency::Table, ApiIdempotency::StaffId)
                            .to(Staff::Table, Staff::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_api_idempotency_created_at")
                    .table(ApiIdempotency::Table)
                    .col(ApiIdempotency::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ApiIdempotency::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(PersonalTokens::Table)
                    .drop_column(PersonalTokens::Scope)
                    .to_owned(),
            )
            .await
    }
}
