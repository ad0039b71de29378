//! A data migration without a schema change: closed cases of participants whose ESF exit data
//! (the immediate result within four weeks) are missing get the new reminder's trigger row
//! (`esf_exit`) and reminder facts that name the day of exit (`ReminderFacts::closed_on`,
//! `esf_result_missing`). Both are derived from the case states, which SQL cannot read:
//! `Store::open` rewrites them in the same transaction when this migration was applied (see
//! `read_model::fill_m0012`).

use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

/// The name under which this migration is recorded.
pub(crate) const NAME: &str = "m0012_exit_reminders";

impl MigrationName for Migration {
    fn name(&self) -> &str {
        NAME
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // No schema change: the rows are rewritten by `read_model::fill_m0012`.
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
