//! The versioned schema: sea-orm-migration migrations, the schema's only source of truth.
//!
//! Rules (see `docs/storage.md`): a released migration is never edited; a schema change is a
//! new migration appended to [`Migrator::migrations`]. Migrations use their own `DeriveIden`
//! enums, never the entity modules, so that a later change to an entity cannot change what an
//! old migration does. Foreign keys are declared with their table, because SQLite cannot add
//! them later. Every migration runs in a transaction on both backends.

use sea_orm_migration::prelude::*;

mod m0001_init;
mod m0002_sign_in_and_audit;
mod m0003_personal_tokens;
mod m0004_installation_settings;
mod m0005_web_secrets;
pub(crate) mod m0007_read_paths;
mod m0008_restriction;
pub(crate) mod m0009_search;
pub(crate) mod m0010_reminder_facts;
pub(crate) mod m0011_service_details;
pub(crate) mod m0012_exit_reminders;
pub(crate) mod m0014_case_keys;
pub(crate) mod m0015_statistics;
pub(crate) mod m0016_api;
pub(crate) mod m0017_sent_documents;
pub(crate) mod m0018_outreach_triggers;
pub(crate) mod m0019_privacy_requests;

/// The migrations this binary knows, oldest first.
pub(crate) struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_init::Migration),
            Box::new(m0002_sign_in_and_audit::Migration),
            Box::new(m0003_personal_tokens::Migration),
            Box::new(m0004_installation_settings::Migration),
            Box::new(m0005_web_secrets::Migration),
            Box::new(m0007_read_paths::Migration),
            Box::new(m0008_restriction::Migration),
            Box::new(m0009_search::Migration),
            Box::new(m0010_reminder_facts::Migration),
            Box::new(m0011_service_details::Migration),
            Box::new(m0012_exit_reminders::Migration),
            Box::new(m0014_case_keys::Migration),
            Box::new(m0015_statistics::Migration),
            Box::new(m0016_api::Migration),
            Box::new(m0017_sent_documents::Migration),
            Box::new(m0018_outreach_triggers::Migration),
            Box::new(m0019_privacy_requests::Migration),
        ]
    }
}

/// The applied migrations this binary does not know: the database was migrated by a newer
/// version. Reads only; never creates the migrations table.
pub(crate) async fn unknown_applied(
    txn: &sea_orm::DatabaseTransaction,
) -> Result<Vec<String>, DbErr> {
    use sea_orm::EntityTrait;
    if !SchemaManager::new(txn)
        .has_table("seaql_migrations")
        .await?
    {
        return Ok(Vec::new());
    }
    let known: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    Ok(sea_orm_migration::seaql_migrations::Entity::find()
        .all(txn)
        .await?
        .into_iter()
        .map(|m| m.version)
        .filter(|v| !known.contains(v))
        .collect())
}

/// The tables of a SQLite database, without SQLite's own.
pub(crate) async fn table_names(txn: &sea_orm::DatabaseTransaction) -> Result<Vec<String>, DbErr> {
    use sea_orm::{ConnectionTrait, Statement};
    let rows = txn
        .query_all_raw(Statement::from_string(
            txn.get_database_backend(),
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
        ))
        .await?;
    rows.iter()
        .map(|r| r.try_get::<String>("", "name"))
        .collect()
}

/// Whether a SQLite database is empty or carries Wegbereiter's migration table.
pub(crate) async fn is_ours_or_empty(txn: &sea_orm::DatabaseTransaction) -> Result<bool, DbErr> {
    if SchemaManager::new(txn)
        .has_table("seaql_migrations")
        .await?
    {
        return Ok(true);
    }
    Ok(table_names(txn).await?.is_empty())
}

/// Applies every pending migration inside `txn` (each in a savepoint of its own).
pub(crate) async fn up(txn: &sea_orm::DatabaseTransaction) -> Result<(), DbErr> {
    Migrator::up(txn, None).await
}

/// Whether migration `name` is known to this binary but not yet applied.
pub(crate) async fn is_pending(
    txn: &sea_orm::DatabaseTransaction,
    name: &str,
) -> Result<bool, DbErr> {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    if !SchemaManager::new(txn)
        .has_table("seaql_migrations")
        .await?
    {
        return Ok(true);
    }
    Ok(sea_orm_migration::seaql_migrations::Entity::find()
        .filter(sea_orm_migration::seaql_migrations::Column::Version.eq(name))
        .count(txn)
        .await?
        == 0)
}
