//! A data migration without a schema change: the reminder trigger rows of cases in outreach
//! hold core's lower bounds of the follow-up's day (`OutreachFacts::due_from`: kinds
//! `outreach_activity` and `outreach_window`) instead of the earliest outreach day, so a page
//! of reminders, most urgent first, reads the cases in outreach in the order their reminders
//! can fall on instead of all of them. The rows are derived from the case states, which SQL
//! cannot read: `Store::open` rewrites them in the same transaction when this migration was
//! applied (see `read_model::fill_m0018`). The old rows were lower bounds too, so a database
//! is correct before and after; only a page of reminders gets cheaper.

use sea_orm_migration::prelude::*;

pub(crate) struct Migration;

/// The name under which this migration is recorded.
pub(crate) const NAME: &str = "m0018_outreach_triggers";

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
        // No schema change: the rows are rewritten by `read_model::fill_m0018`.
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
