//! Read paths that stay fast at 100 000 cases (issue 15):
//!
//! * `case_reminder_triggers.team_id`, filled from `cases`, and the index
//!   `ix_triggers_team (team_id, key_worker_id, kind, base_date)`: the reminders of a team's
//!   unassigned cases and the reminders a person may see are found through an index, without
//!   a join with `cases`;
//! * `case_esf`: one row per participant (a case that was enrolled) with the days of entry and
//!   exit and core's `EsfParticipant` as JSON, indexed by both days, so that an ESF Plus
//!   report of a year reads the participants of that year and nothing else. The rows are
//!   derived from the case states after the migration (`Store::open` fills the table when this
//!   migration was applied, in the same transaction);
//! * `ix_cases_team_load (team_id, status, key_worker_id, phase)`: a team lead's caseload
//!   counted from the index alone;
//! * `case_name_words (word, case_id)`: every folded word of each client's name (core's
//!   `name_words`), so that a name search is a range of an index per word instead of a scan of
//!   every name; filled with `case_esf`.

use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

/// The name under which this migration is recorded.
pub(crate) const NAME: &str = "m0007_read_paths";

impl MigrationName for Migration {
    fn name(&self) -> &str {
        NAME
    }
}

#[derive(DeriveIden)]
enum CaseReminderTriggers {
    Table,
    Kind,
    BaseDate,
    KeyWorkerId,
    TeamId,
}

#[derive(DeriveIden)]
enum CaseEsf {
    Table,
    CaseId,
    TeamId,
    KeyWorkerId,
    EnteredOn,
    LeftOn,
    Participant,
}

#[derive(DeriveIden)]
enum CaseNameWords {
    Table,
    Word,
    CaseId,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
    TeamId,
    Status,
    KeyWorkerId,
    Phase,
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
                    .table(CaseReminderTriggers::Table)
                    .add_column(ColumnDef::new(CaseReminderTriggers::TeamId).uuid().null())
                    .to_owned(),
            )
            .await?;
        // The same statement on both backends: every trigger row gets its case's team.
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE case_reminder_triggers SET team_id = \
                 (SELECT cases.team_id FROM cases WHERE cases.id = case_reminder_triggers.case_id)",
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_triggers_team")
                    .table(CaseReminderTriggers::Table)
                    .col(CaseReminderTriggers::TeamId)
                    .col(CaseReminderTriggers::KeyWorkerId)
                    .col(CaseReminderTriggers::Kind)
                    .col(CaseReminderTriggers::BaseDate)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CaseEsf::Table)
                    .col(
                        ColumnDef::new(CaseEsf::CaseId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(CaseEsf::TeamId).uuid().null())
                    .col(ColumnDef::new(CaseEsf::KeyWorkerId).uuid().null())
                    .col(ColumnDef::new(CaseEsf::EnteredOn).date().not_null())
                    .col(ColumnDef::new(CaseEsf::LeftOn).date().null())
                    .col(ColumnDef::new(CaseEsf::Participant).text().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_case_esf_case")
                            .from(CaseEsf::Table, CaseEsf::CaseId)
                            .to(Cases::Table, Cases::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // A team's caseload grouped by status, key worker and phase, read from the index alone.
        manager
            .create_index(
                Index::create()
                    .name("ix_cases_team_load")
                    .table(Cases::Table)
                    .col(Cases::TeamId)
                    .col(Cases::Status)
                    .col(Cases::KeyWorkerId)
                    .col(Cases::Phase)
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("ix_case_esf_entered", CaseEsf::EnteredOn),
            ("ix_case_esf_left", CaseEsf::LeftOn),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(CaseEsf::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        // Byte order on both backends, so that a prefix is a range of the index.
        let mut word = ColumnDef::new(CaseNameWords::Word);
        word.text().not_null();
        if manager.get_database_backend() == sea_orm::DbBackend::Postgres {
            word.extra("COLLATE \"C\"");
        }
        manager
            .create_table(
                Table::create()
                    .table(CaseNameWords::Table)
                    .col(&mut word)
                    .col(ColumnDef::new(CaseNameWords::CaseId).uuid().not_null())
                    .primary_key(
                        Index::create()
                            .name("pk_case_name_words")
                            .col(CaseNameWords::Word)
                            .col(CaseNameWords::CaseId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_case_name_words_case")
                            .from(CaseNameWords::Table, CaseNameWords::CaseId)
                            .to(Cases::Table, Cases::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_case_name_words_case")
                    .table(CaseNameWords::Table)
                    .col(CaseNameWords::CaseId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CaseNameWords::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(CaseEsf::Table).to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_cases_team_load")
                    .table(Cases::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_triggers_team")
                    .table(CaseReminderTriggers::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(CaseReminderTriggers::Table)
                    .drop_column(CaseReminderTriggers::TeamId)
                    .to_owned(),
            )
            .await
    }
}
