//! Personal access tokens: how the CLI (and later the JSON API) proves who is acting without
//! a password on every call. Only a SHA-256 digest of each token is stored.

use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0003_personal_tokens"
    }
}

#[derive(DeriveIden)]
enum PersonalTokens {
    Table,
    Id,
    StaffId,
    Name,
    SecretHash,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
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
            .create_table(
                Table::create()
                    .table(PersonalTokens::Table)
                    .col(
                        ColumnDef::new(PersonalTokens::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(PersonalTokens::StaffId).uuid().not_null())
                    .col(ColumnDef::new(PersonalTokens::Name).text().not_null())
                    .col(
                        ColumnDef::new(PersonalTokens::SecretHash)
                            .text()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(PersonalTokens::CreatedAt).text().not_null())
                    .col(ColumnDef::new(PersonalTokens::ExpiresAt).text().not_null())
                    .col(ColumnDef::new(PersonalTokens::RevokedAt).text().null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_personal_tokens_staff")
                            .from(PersonalTokens::Table, PersonalTokens::StaffId)
                            .to(Staff::Table, Staff::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_personal_tokens_staff")
                    .table(PersonalTokens::Table)
                    .col(PersonalTokens::StaffId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PersonalTokens::Table).to_owned())
            .await
    }
}
