//! The register of a client's data-protection requests (issue 12 part 6): one row per
//! request (Art. 15–18, 21 GDPR, withdrawal of a consent) with the case it concerns, its
//! kind and channel, the day it came in, the extension of the answer period and how it was
//! answered (done or refused). Core's `privacy_request` computes
//! the deadline from these; storage keeps no derived day.
//!
//! No foreign key to `cases`: the row outlives an erasure of the case, as the record that the
//! request was answered (it names the case by id only, never a person).

use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0019_privacy_requests"
    }
}

#[derive(DeriveIden)]
enum PrivacyRequests {
    Table,
    Id,
    CaseId,
    Kind,
    Channel,
    ReceivedOn,
    Note,
    ExtendedOn,
    ExtensionReason,
    Status,
    AnsweredOn,
    AnswerNote,
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
                    .table(PrivacyRequests::Table)
                    .col(
                        ColumnDef::new(PrivacyRequests::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(PrivacyRequests::CaseId).uuid().not_null())
                    .col(ColumnDef::new(PrivacyRequests::Kind).text().not_null())
                    .col(ColumnDef::new(PrivacyRequests::Channel).text().not_null())
                    .col(
                        ColumnDef::new(PrivacyRequests::ReceivedOn)
                            .date()
                            .not_null(),
                    )
                    .col(ColumnDef::new(PrivacyRequests::Note).text().null())
                    .col(ColumnDef::new(PrivacyRequests::ExtendedOn).date().null())
                    .col(
                        ColumnDef::new(PrivacyRequests::ExtensionReason)
                            .text()
                            .null(),
                    )
                    .col(ColumnDef::new(PrivacyRequests::Status).text().not_null())
                    .col(ColumnDef::new(PrivacyRequests::AnsweredOn).date().null())
                    .col(ColumnDef::new(PrivacyRequests::AnswerNote).text().null())
                    .to_owned(),
            )
            .await?;
        // The register's list (open ones first, by day of receipt) and a case's requests.
        manager
            .create_index(
                Index::create()
                    .name("privacy_requests_open")
                    .table(PrivacyRequests::Table)
                    .col(PrivacyRequests::Status)
                    .col(PrivacyRequests::ReceivedOn)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("privacy_requests_case")
                    .table(PrivacyRequests::Table)
                    .col(PrivacyRequests::CaseId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PrivacyRequests::Table).to_owned())
            .await
    }
}
