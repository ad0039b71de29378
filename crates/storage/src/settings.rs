//! Settings of the installation, stored with its data so that every command, every `serve`
//! and every web instance over the same database reads the same: the installation's time
//! zone (an IANA name such as `Europe/Berlin`), which turns stored instants into local days.
//!
//! A database without the row (created before migration `m0004_installation_settings`)
//! has the default zone, [`DEFAULT_TIME_ZONE`]. Every change is recorded in the audit log
//! (`installation.time_zone_set`), in the same transaction.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::ActiveValue::Set;
use sea_orm::EntityTrait;
use wegbereiter_core::ports::{AuditStamp, StorageError};

use crate::entity::installation_settings;
use crate::error::storage;
use crate::mapping::{self, ts};
use crate::repo::{audit, upsert};
use crate::{AuditSubject, Store, begin_write};

/// The installation's time zone when the database names none.
pub const DEFAULT_TIME_ZONE: Tz = chrono_tz::Europe::Berlin;

/// The stable name of the time-zone row.
pub(crate) const TIME_ZONE: &str = "time_zone";

/// The audit action of a change of the time zone.
pub const TIME_ZONE_SET: &str = "installation.time_zone_set";

/// The installation's time zone as stored, with when it was last set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredTimeZone {
    /// The zone.
    pub zone: Tz,
    /// When it was set.
    pub changed_at: DateTime<Utc>,
}

impl Store {
    /// The installation's time zone as stored, or `None` when the database names none (it
    /// then uses [`DEFAULT_TIME_ZONE`], see [`Store::time_zone`]).
    ///
    /// # Errors
    /// [`StorageError::Corrupt`] for a stored name the time-zone database does not know;
    /// other [`StorageError`]s on backend failure.
    pub async fn stored_time_zone(&self) -> Result<Option<StoredTimeZone>, StorageError> {
        installation_settings::Entity::find_by_id(TIME_ZONE.to_owned())
            .one(self.conn())
            .await
            .map_err(storage)?
            .as_ref()
            .map(mapping::time_zone_from_row)
            .transpose()
    }

    /// The installation's time zone: as stored, else [`DEFAULT_TIME_ZONE`].
    ///
    /// # Errors
    /// As [`Store::stored_time_zone`].
    pub async fn time_zone(&self) -> Result<Tz, StorageError> {
        Ok(self
            .stored_time_zone()
            .await?
            .map_or(DEFAULT_TIME_ZONE, |s| s.zone))
    }

    /// Stores `zone` as the installation's time zone at `stamp.at` and records the change in
    /// the audit log ([`TIME_ZONE_SET`], naming the zone before and after), in one
    /// transaction. Returns the zone in force before (the default when none was stored).
    /// Storing the zone already stored changes nothing and records nothing.
    ///
    /// Who may change it is the caller's decision (the CLI asks for an administrator).
    ///
    /// # Errors
    /// [`StorageError`] on backend failure or a corrupt stored row.
    pub async fn set_time_zone(&self, zone: Tz, stamp: AuditStamp) -> Result<Tz, StorageError> {
        let txn = begin_write(self.conn()).await.map_err(storage)?;
        let before = installation_settings::Entity::find_by_id(TIME_ZONE.to_owned())
            .one(&txn)
            .await
            .map_err(storage)?
            .as_ref()
            .map(mapping::time_zone_from_row)
            .transpose()?;
        if before.is_some_and(|b| b.zone == zone) {
            txn.commit().await.map_err(storage)?;
            return Ok(zone);
        }
        upsert(
            installation_settings::ActiveModel {
                name: Set(TIME_ZONE.to_owned()),
                value: Set(zone.name().to_owned()),
                changed_at: Set(ts(stamp.at)),
            },
            &txn,
        )
        .await
        .map_err(storage)?;
        let subject = match before {
            Some(b) => format!("{TIME_ZONE} {} -> {}", b.zone.name(), zone.name()),
            None => format!("{TIME_ZONE} {}", zone.name()),
        };
        audit(
            &txn,
            stamp,
            TIME_ZONE_SET,
            AuditSubject::Typed(subject).stored(),
        )
        .await?;
        txn.commit().await.map_err(storage)?;
        Ok(before.map_or(DEFAULT_TIME_ZONE, |b| b.zone))
    }
}

/// The stable name of the row of the rural-postcode table (EECO17).
pub(crate) const RURAL_POSTCODES: &str = "rural_postcodes";

/// The audit action of loading or clearing the table of rural postcodes.
pub const RURAL_POSTCODES_SET: &str = "installation.rural_postcodes_set";

impl Store {
    /// The installation's table of postcodes by degree of urbanisation (core's
    /// `esf::RuralPostcodes`), if one was loaded.
    ///
    /// # Errors
    /// [`StorageError::Corrupt`] for a stored row that does not parse; other
    /// [`StorageError`]s on backend failure.
    pub async fn rural_postcodes(
        &self,
    ) -> Result<Option<wegbereiter_core::esf::RuralPostcodes>, StorageError> {
        let row = installation_settings::Entity::find_by_id(RURAL_POSTCODES.to_owned())
            .one(self.conn())
            .await
            .map_err(storage)?;
        row.map(|r| {
            serde_json::from_str(&r.value)
                .map_err(|e| crate::error::corrupt(format!("stored table of rural postcodes: {e}")))
        })
        .transpose()
    }

    /// Stores `table` (or, with `None`, removes the table) and records it in the audit log
    /// ([`RURAL_POSTCODES_SET`]: its source and how many postcodes), in one transaction. Who
    /// may do it is the caller's decision (the CLI asks for the administrator).
    ///
    /// # Errors
    /// [`StorageError`] on backend failure.
    pub async fn set_rural_postcodes(
        &self,
        table: Option<&wegbereiter_core::esf::RuralPostcodes>,
        stamp: AuditStamp,
    ) -> Result<(), StorageError> {
        let txn = begin_write(self.conn()).await.map_err(storage)?;
        let subject = match table {
            Some(t) => {
                upsert(
                    installation_settings::ActiveModel {
                        name: Set(RURAL_POSTCODES.to_owned()),
                        value: Set(mapping::to_json(t, "rural postcodes")?),
                        changed_at: Set(ts(stamp.at)),
                    },
                    &txn,
                )
                .await
                .map_err(storage)?;
                format!(
                    "{RURAL_POSTCODES} {} postcodes, {} rural; source: {}",
                    t.postcodes.len(),
                    t.rural_count(),
                    t.source
                )
            }
            None => {
                installation_settings::Entity::delete_by_id(RURAL_POSTCODES.to_owned())
                    .exec(&txn)
                    .await
                    .map_err(storage)?;
                format!("{RURAL_POSTCODES} removed")
            }
        };
        audit(
            &txn,
            stamp,
            RURAL_POSTCODES_SET,
            AuditSubject::Typed(subject).stored(),
        )
        .await?;
        txn.commit().await.map_err(storage)?;
        Ok(())
    }
}
