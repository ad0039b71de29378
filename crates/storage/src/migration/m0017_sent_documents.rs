//! Reports as sent to the Jobcenter (issue 11 part 4): the exact bytes of each document a
//! case records as sent (`jobcenter_report_sent.v1` names it), kept so that it can be shown
//! again byte for byte.
//!
//! `content` holds the PDF sealed with the case's data key (nonce ‖ ciphertext ‖ tag, bound
//! to the case and the document id) when the database has an installation key (`sealed`
//! true), else the bytes as they are; `sha256` is the digest of the plain bytes, as the event
//! records it. No foreign key to `cases` (a read model that is rebuilt); erasing a case
//! deletes its rows and destroys its key.

use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0017_sent_documents"
    }
}

#[derive(DeriveIden)]
enum SentDocuments {
    Table,
    DocumentId,
    CaseId,
    MediaType,
    Sha256,
    ByteLen,
    Sealed,
    Content,
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
                    .table(SentDocuments::Table)
                    .col(
                        ColumnDef::new(SentDocuments::DocumentId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(SentDocuments::CaseId).uuid().not_null())
                    .col(ColumnDef::new(SentDocuments::MediaType).text().not_null())
                    .col(ColumnDef::new(SentDocuments::Sha256).text().not_null())
                    .col(
                        ColumnDef::new(SentDocuments::ByteLen)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(SentDocuments::Sealed).boolean().not_null())
                    .col(ColumnDef::new(SentDocuments::Content).blob().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("sent_documents_case")
                    .table(SentDocuments::Table)
                    .col(SentDocuments::CaseId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SentDocuments::Table).to_owned())
            .await
    }
}
