//! The versioned schema: sea-orm-migration migrations, the schema's only source of truth.
//!
//! Rules (see `docs/storage.md`): a released migration is never edited; a schema change is a
//! new migration appended to [`Migrator::migrations`]. Migrations use their own `DeriveIden`
//! enums, never the entity modules, so that a later change to an entity cannot change what an
//! old migration does. Foreign keys are declared with their table, because SQLite cannot add
//! them later. Every migration runs in a transaction on both backends.

use sea_orm_migration::prelude::*;

mod m0001_init;

/// The migrations this binary knows, oldest first.
pub(crate) struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(m0001_init::Migration)]
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

/// Applies every pending migration inside `txn` (each in a savepoint of its own).
pub(crate) async fn up(txn: &sea_orm::DatabaseTransaction) -> Result<(), DbErr> {
    Migrator::up(txn, None).await
}
