//! Hardened sign-in and an audit a data-protection officer can rely on.
//!
//! * `web_sessions` is replaced: it stored session ids in clear, so a reader of the database
//!   could take over any session. The new table keys a session by the SHA-256 of its id and
//!   names the signed-in staff member, so that every session of a person can be revoked.
//!   Existing sessions are dropped (everybody signs in once more).
//! * `login_failures` gains the client address; `login_addresses` remembers the addresses a
//!   sign-in name succeeded from, which throttling never slows down.
//! * `access_log` keeps the reader's sign-in name and display name as they were at the read.
//! * `audit_log` gains `count`, so repeated failed sign-ins become one line per sign-in name
//!   and hour, and indexes for the filters of the audit page.

use sea_orm_migration::prelude::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0002_sign_in_and_audit"
    }
}

#[derive(DeriveIden)]
enum WebSessions {
    Table,
    IdHash,
    StaffId,
    CreatedAt,
    Data,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Login,
    Address,
    At,
}

#[derive(DeriveIden)]
enum LoginAddresses {
    Table,
    Login,
    Address,
    LastSuccessAt,
}

#[derive(DeriveIden)]
enum AccessLog {
    Table,
    Id,
    Actor,
    ReaderLogin,
    ReaderName,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    Actor,
    Action,
    Subject,
    At,
    Count,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WebSessions::Table).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebSessions::Table)
                    .col(
                        ColumnDef::new(WebSessions::IdHash)
                            .text()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(WebSessions::StaffId).uuid().null())
                    .col(ColumnDef::new(WebSessions::CreatedAt).text().not_null())
                    .col(ColumnDef::new(WebSessions::Data).blob().not_null())
                    .col(ColumnDef::new(WebSessions::ExpiresAt).text().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_web_sessions_expires")
                    .table(WebSessions::Table)
                    .col(WebSessions::ExpiresAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_web_sessions_staff")
                    .table(WebSessions::Table)
                    .col(WebSessions::StaffId)
                    .to_owned(),
            )
            .await?;

        manager
            .alter_table(
                Table::alter()
                    .table(LoginFailures::Table)
                    .add_column(
                        ColumnDef::new(LoginFailures::Address)
                            .text()
                            .not_null()
                            .default(""),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_login_failures_login_address_at")
                    .table(LoginFailures::Table)
                    .col(LoginFailures::Login)
                    .col(LoginFailures::Address)
                    .col(LoginFailures::At)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LoginAddresses::Table)
                    .col(ColumnDef::new(LoginAddresses::Login).text().not_null())
                    .col(ColumnDef::new(LoginAddresses::Address).text().not_null())
                    .col(
                        ColumnDef::new(LoginAddresses::LastSuccessAt)
                            .text()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(LoginAddresses::Login)
                            .col(LoginAddresses::Address),
                    )
                    .to_owned(),
            )
            .await?;

        // SQLite alters one column per statement.
        for column in [AccessLog::ReaderLogin, AccessLog::ReaderName] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AccessLog::Table)
                        .add_column(ColumnDef::new(column).text().null())
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("ix_access_log_actor")
                    .table(AccessLog::Table)
                    .col(AccessLog::Actor)
                    .col(AccessLog::Id)
                    .to_owned(),
            )
            .await?;

        manager
            .alter_table(
                Table::alter()
                    .table(AuditLog::Table)
                    .add_column(
                        ColumnDef::new(AuditLog::Count)
                            .big_integer()
                            .not_null()
                            .default(1),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_log_action_subject_at")
                    .table(AuditLog::Table)
                    .col(AuditLog::Action)
                    .col(AuditLog::Subject)
                    .col(AuditLog::At)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_log_actor")
                    .table(AuditLog::Table)
                    .col(AuditLog::Actor)
                    .col(AuditLog::Id)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
