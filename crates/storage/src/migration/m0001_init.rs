//! The initial schema: the append-only event store, the read models and the directories.
//!
//! Instants are stored as fixed-width RFC 3339 text with nanoseconds (`…T09:00:00.000000000Z`),
//! which sorts like the instant and round-trips exactly on both backends (PostgreSQL's
//! `timestamptz` keeps only microseconds). Days are native `date` columns. Enumerations are
//! stored as their stable snake_case keys. JSON documents are stored as `text`, so the bytes
//! that were hashed are the bytes that are stored.

use sea_orm_migration::prelude::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0001_init"
    }
}

#[derive(DeriveIden)]
enum Events {
    Table,
    CaseId,
    Sequence,
    EventType,
    Payload,
    RecordedAt,
    Actor,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
    Version,
    Status,
    Phase,
    TeamId,
    KeyWorkerId,
    ClientName,
    ClientNameLower,
    DateOfBirth,
    Postcode,
    ReferralDate,
    Jobcenter,
    PlannedEnd,
    EndedOn,
    ReceivedAt,
    LastChangedAt,
    HeadHash,
    State,
}

#[derive(DeriveIden)]
enum CaseClients {
    Table,
    CaseId,
    NameKey,
    DateOfBirth,
    Postcode,
}

#[derive(DeriveIden)]
enum CaseReminderTriggers {
    Table,
    CaseId,
    Kind,
    Subject,
    BaseDate,
    KeyWorkerId,
}

#[derive(DeriveIden)]
enum CaseAttendance {
    Table,
    CaseId,
    SessionId,
    Date,
    Kind,
    Attendance,
}

#[derive(DeriveIden)]
enum Staff {
    Table,
    Id,
    Login,
    LoginKey,
    DisplayName,
    Roles,
    Active,
}

#[derive(DeriveIden)]
enum StaffTeams {
    Table,
    StaffId,
    TeamId,
    Position,
}

#[derive(DeriveIden)]
enum StaffCredentials {
    Table,
    StaffId,
    Phc,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Teams {
    Table,
    Id,
    Name,
}

#[derive(DeriveIden)]
enum Services {
    Table,
    Id,
    Name,
    Kind,
    Contact,
    Active,
}

#[derive(DeriveIden)]
enum GroupSessions {
    Table,
    Id,
    Kind,
    Date,
    Title,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    Actor,
    Action,
    Subject,
}

#[derive(DeriveIden)]
enum AccessLog {
    Table,
    Id,
    At,
    Actor,
    CaseId,
    Kind,
}

#[derive(DeriveIden)]
enum WebSessions {
    Table,
    Id,
    Data,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Id,
    Login,
    At,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    #[allow(clippy::too_many_lines)] // One statement per table keeps the schema readable.
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Names sort by byte value on both backends: PostgreSQL would otherwise use the
        // database's locale collation and order lists differently from SQLite.
        let binary_collation = match manager.get_database_backend() {
            sea_orm::DbBackend::Postgres => "COLLATE \"C\"",
            _ => "",
        };

        // The event store: the case histories, append-only. The composite primary key is what
        // makes two racing writers safe: only one of them can insert a given sequence number.
        manager
            .create_table(
                Table::create()
                    .table(Events::Table)
                    .col(ColumnDef::new(Events::CaseId).uuid().not_null())
                    .col(ColumnDef::new(Events::Sequence).big_integer().not_null())
                    .col(ColumnDef::new(Events::EventType).text().not_null())
                    .col(ColumnDef::new(Events::Payload).text().not_null())
                    .col(ColumnDef::new(Events::RecordedAt).text().not_null())
                    .col(ColumnDef::new(Events::Actor).uuid().not_null())
                    .col(ColumnDef::new(Events::PrevHash).text().not_null())
                    .col(ColumnDef::new(Events::Hash).text().not_null())
                    .primary_key(
                        Index::create()
                            .name("pk_events")
                            .col(Events::CaseId)
                            .col(Events::Sequence),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_events_type_recorded")
                    .table(Events::Table)
                    .col(Events::EventType)
                    .col(Events::RecordedAt)
                    .to_owned(),
            )
            .await?;

        // Read model: one row per case with the list columns and the current state.
        let mut client_name = ColumnDef::new(Cases::ClientName);
        client_name.text().not_null();
        let mut client_name_lower = ColumnDef::new(Cases::ClientNameLower);
        client_name_lower.text().not_null();
        if !binary_collation.is_empty() {
            client_name.extra(binary_collation);
            client_name_lower.extra(binary_collation);
        }
        manager
            .create_table(
                Table::create()
                    .table(Cases::Table)
                    .col(ColumnDef::new(Cases::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Cases::Version).big_integer().not_null())
                    .col(ColumnDef::new(Cases::Status).text().not_null())
                    .col(ColumnDef::new(Cases::Phase).text().null())
                    .col(ColumnDef::new(Cases::TeamId).uuid().null())
                    .col(ColumnDef::new(Cases::KeyWorkerId).uuid().null())
                    .col(client_name)
                    .col(client_name_lower)
                    .col(ColumnDef::new(Cases::DateOfBirth).date().null())
                    .col(ColumnDef::new(Cases::Postcode).text().null())
                    .col(ColumnDef::new(Cases::ReferralDate).date().not_null())
                    .col(ColumnDef::new(Cases::Jobcenter).text().not_null())
                    .col(ColumnDef::new(Cases::PlannedEnd).date().null())
                    .col(ColumnDef::new(Cases::EndedOn).date().null())
                    .col(ColumnDef::new(Cases::ReceivedAt).text().not_null())
                    .col(ColumnDef::new(Cases::LastChangedAt).text().not_null())
                    .col(ColumnDef::new(Cases::HeadHash).text().not_null())
                    .col(ColumnDef::new(Cases::State).text().not_null())
                    .to_owned(),
            )
            .await?;
        // Every list is ordered newest referral first, then by name and id; each index ends
        // in that order, so a filtered list with a limit reads only the rows it returns.
        for (name, filter) in [
            ("ix_cases_list", None),
            ("ix_cases_status", Some(Cases::Status)),
            ("ix_cases_key_worker", Some(Cases::KeyWorkerId)),
            ("ix_cases_team", Some(Cases::TeamId)),
        ] {
            let mut index = Index::create();
            index.name(name).table(Cases::Table);
            if let Some(col) = filter {
                index.col(col);
            }
            manager
                .create_index(
                    index
                        .col((Cases::ReferralDate, IndexOrder::Desc))
                        .col(Cases::ClientName)
                        .col(Cases::Id)
                        .to_owned(),
                )
                .await?;
        }

        // Read model: who the clients are, for duplicate hints.
        manager
            .create_table(
                Table::create()
                    .table(CaseClients::Table)
                    .col(
                        ColumnDef::new(CaseClients::CaseId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(CaseClients::NameKey).text().not_null())
                    .col(ColumnDef::new(CaseClients::DateOfBirth).date().null())
                    .col(ColumnDef::new(CaseClients::Postcode).text().null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_case_clients_case")
                            .from(CaseClients::Table, CaseClients::CaseId)
                            .to(Cases::Table, Cases::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_case_clients_name_dob")
                    .table(CaseClients::Table)
                    .col(CaseClients::NameKey)
                    .col(CaseClients::DateOfBirth)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_case_clients_name_postcode")
                    .table(CaseClients::Table)
                    .col(CaseClients::NameKey)
                    .col(CaseClients::Postcode)
                    .to_owned(),
            )
            .await?;

        // Read model: the dates from which a reminder can be due, per open case.
        manager
            .create_table(
                Table::create()
                    .table(CaseReminderTriggers::Table)
                    .col(
                        ColumnDef::new(CaseReminderTriggers::CaseId)
                            .uuid()
                            .not_null(),
                    )
                    .col(ColumnDef::new(CaseReminderTriggers::Kind).text().not_null())
                    .col(
                        ColumnDef::new(CaseReminderTriggers::Subject)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CaseReminderTriggers::BaseDate)
                            .date()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CaseReminderTriggers::KeyWorkerId)
                            .uuid()
                            .null(),
                    )
                    .primary_key(
                        Index::create()
                            .name("pk_case_reminder_triggers")
                            .col(CaseReminderTriggers::CaseId)
                            .col(CaseReminderTriggers::Kind)
                            .col(CaseReminderTriggers::Subject),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_case_reminder_triggers_case")
                            .from(CaseReminderTriggers::Table, CaseReminderTriggers::CaseId)
                            .to(Cases::Table, Cases::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_case_reminder_triggers_kind_date")
                    .table(CaseReminderTriggers::Table)
                    .col(CaseReminderTriggers::Kind)
                    .col(CaseReminderTriggers::BaseDate)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_case_reminder_triggers_key_worker")
                    .table(CaseReminderTriggers::Table)
                    .col(CaseReminderTriggers::KeyWorkerId)
                    .col(CaseReminderTriggers::Kind)
                    .col(CaseReminderTriggers::BaseDate)
                    .to_owned(),
            )
            .await?;

        // Read model: Phase 2 attendance, for attendance sheets.
        manager
            .create_table(
                Table::create()
                    .table(CaseAttendance::Table)
                    .col(ColumnDef::new(CaseAttendance::CaseId).uuid().not_null())
                    .col(ColumnDef::new(CaseAttendance::SessionId).uuid().not_null())
                    .col(ColumnDef::new(CaseAttendance::Date).date().not_null())
                    .col(ColumnDef::new(CaseAttendance::Kind).text().not_null())
                    .col(ColumnDef::new(CaseAttendance::Attendance).text().not_null())
                    .primary_key(
                        Index::create()
                            .name("pk_case_attendance")
                            .col(CaseAttendance::CaseId)
                            .col(CaseAttendance::SessionId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_case_attendance_case")
                            .from(CaseAttendance::Table, CaseAttendance::CaseId)
                            .to(Cases::Table, Cases::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_case_attendance_session")
                    .table(CaseAttendance::Table)
                    .col(CaseAttendance::SessionId)
                    .to_owned(),
            )
            .await?;

        // Directories: staff, teams, specialist services, Phase 2 group sessions.
        manager
            .create_table(
                Table::create()
                    .table(Teams::Table)
                    .col(ColumnDef::new(Teams::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Teams::Name).text().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_teams_name")
                    .table(Teams::Table)
                    .col(Teams::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Staff::Table)
                    .col(ColumnDef::new(Staff::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Staff::Login).text().not_null())
                    .col(ColumnDef::new(Staff::LoginKey).text().not_null())
                    .col(ColumnDef::new(Staff::DisplayName).text().not_null())
                    .col(ColumnDef::new(Staff::Roles).text().not_null())
                    .col(ColumnDef::new(Staff::Active).boolean().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_staff_login_key")
                    .table(Staff::Table)
                    .col(Staff::LoginKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Team membership; no foreign key to `teams`, because the directory does not require
        // a team to be saved before people are assigned to it.
        manager
            .create_table(
                Table::create()
                    .table(StaffTeams::Table)
                    .col(ColumnDef::new(StaffTeams::StaffId).uuid().not_null())
                    .col(ColumnDef::new(StaffTeams::TeamId).uuid().not_null())
                    .col(ColumnDef::new(StaffTeams::Position).integer().not_null())
                    .primary_key(
                        Index::create()
                            .name("pk_staff_teams")
                            .col(StaffTeams::StaffId)
                            .col(StaffTeams::TeamId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_staff_teams_staff")
                            .from(StaffTeams::Table, StaffTeams::StaffId)
                            .to(Staff::Table, Staff::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_staff_teams_team")
                    .table(StaffTeams::Table)
                    .col(StaffTeams::TeamId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StaffCredentials::Table)
                    .col(
                        ColumnDef::new(StaffCredentials::StaffId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(StaffCredentials::Phc).text().not_null())
                    .col(
                        ColumnDef::new(StaffCredentials::UpdatedAt)
                            .text()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_staff_credentials_staff")
                            .from(StaffCredentials::Table, StaffCredentials::StaffId)
                            .to(Staff::Table, Staff::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Services::Table)
                    .col(ColumnDef::new(Services::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Services::Name).text().not_null())
                    .col(ColumnDef::new(Services::Kind).text().not_null())
                    .col(ColumnDef::new(Services::Contact).text().null())
                    .col(ColumnDef::new(Services::Active).boolean().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_services_kind")
                    .table(Services::Table)
                    .col(Services::Kind)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(GroupSessions::Table)
                    .col(
                        ColumnDef::new(GroupSessions::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(GroupSessions::Kind).text().not_null())
                    .col(ColumnDef::new(GroupSessions::Date).date().not_null())
                    .col(ColumnDef::new(GroupSessions::Title).text().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_group_sessions_date")
                    .table(GroupSessions::Table)
                    .col(GroupSessions::Date)
                    .to_owned(),
            )
            .await?;

        // Audit of writes outside case histories, and the access log of case-file reads.
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(
                        ColumnDef::new(AuditLog::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(AuditLog::At).text().not_null())
                    .col(ColumnDef::new(AuditLog::Actor).uuid().null())
                    .col(ColumnDef::new(AuditLog::Action).text().not_null())
                    .col(ColumnDef::new(AuditLog::Subject).text().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AccessLog::Table)
                    .col(
                        ColumnDef::new(AccessLog::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(AccessLog::At).text().not_null())
                    .col(ColumnDef::new(AccessLog::Actor).uuid().not_null())
                    .col(ColumnDef::new(AccessLog::CaseId).uuid().not_null())
                    .col(ColumnDef::new(AccessLog::Kind).text().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_access_log_case")
                    .table(AccessLog::Table)
                    .col(AccessLog::CaseId)
                    .col(AccessLog::Id)
                    .to_owned(),
            )
            .await?;

        // Web sign-in support shared by several web instances.
        manager
            .create_table(
                Table::create()
                    .table(WebSessions::Table)
                    .col(
                        ColumnDef::new(WebSessions::Id)
                            .text()
                            .not_null()
                            .primary_key(),
                    )
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
            .create_table(
                Table::create()
                    .table(LoginFailures::Table)
                    .col(
                        ColumnDef::new(LoginFailures::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(LoginFailures::Login).text().not_null())
                    .col(ColumnDef::new(LoginFailures::At).text().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_login_failures_login_at")
                    .table(LoginFailures::Table)
                    .col(LoginFailures::Login)
                    .col(LoginFailures::At)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
