//! Encryption at rest (issue 12, part 5): the data key of each case, wrapped by the
//! installation key (see `crate::vault`).
//!
//! One row per case that has sealed content: `wrapped` is the case's random 256-bit data key
//! sealed with XChaCha20-Poly1305 under the installation key (nonce ‖ ciphertext ‖ tag,
//! base64), `key_id` the id of the installation key that wrapped it. No foreign key to
//! `cases`: read models are thrown away and rebuilt, the keys never are; erasing a case
//! deletes its row (crypto-shredding).
//!
//! Sealing the content of a database that existed before this migration is not done here (a
//! migration has no key): the first open with a key does it (`vault::adopt`).

use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

/// The name of this migration.
pub(crate) const NAME: &str = "m0014_case_keys";

impl MigrationName for Migration {
    fn name(&self) -> &str {
        NAME
    }
}

#[derive(DeriveIden)]
enum CaseKeys {
    Table,
    CaseId,
    Wrapped,
    KeyId,
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
                    .table(CaseKeys::Table)
                    .col(
                        ColumnDef::new(CaseKeys::CaseId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(CaseKeys::Wrapped).text().not_null())
                    .col(ColumnDef::new(CaseKeys::KeyId).text().not_null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CaseKeys::Table).to_owned())
            .await
    }
}
