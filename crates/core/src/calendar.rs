//! The installation's calendar: which local day a stored instant belongs to.
//!
//! Instants are stored in UTC (a contact attempt, a consent's withdrawal, an event's time),
//! but the rules count local days: an attempt at 00:15 in Berlin belongs to that Berlin day,
//! although in UTC it is still the day before. Core has no time-zone database (it may not
//! gain a dependency), so the frontend passes the zone as a [`LocalCalendar`]. Every
//! [`chrono::TimeZone`] is one: `chrono_tz::Tz` in the bundled frontends, [`chrono::Utc`] or a
//! [`chrono::FixedOffset`] where an embedder has no zone database.
//!
//! The trait is object-safe, so that ports and frontends can pass `&dyn LocalCalendar`
//! through `async-trait` methods (which cannot be generic), and one zone serves every case
//! of a list.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

/// Turns an instant into the installation's calendar day.
pub trait LocalCalendar: Send + Sync {
    /// The calendar day on the installation's wall clock at `at`, by the UTC offset in force
    /// at that instant (summer or winter time), not the one in force now.
    fn day_of(&self, at: DateTime<Utc>) -> NaiveDate;

    /// The first instant of `day` on the installation's wall clock (midnight, or the first
    /// time after it where a clock change skips midnight).
    fn start_of(&self, day: NaiveDate) -> DateTime<Utc>;
}

impl<Z> LocalCalendar for Z
where
    Z: TimeZone + Send + Sync,
{
    fn day_of(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(self).date_naive()
    }

    fn start_of(&self, day: NaiveDate) -> DateTime<Utc> {
        // Midnight can be skipped by a clock change (some zones change at 00:00); the first
        // hour that exists that day is then its start.
        (0..24)
            .filter_map(|h| day.and_hms_opt(h, 0, 0))
            .find_map(|t| self.from_local_datetime(&t).earliest())
            .map_or_else(
                || day.and_time(chrono::NaiveTime::MIN).and_utc(),
                |t| t.to_utc(),
            )
    }
}

impl std::fmt::Debug for dyn LocalCalendar + '_ {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LocalCalendar")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::FixedOffset;

    #[test]
    fn an_instant_after_midnight_local_is_the_next_day_east_of_utc() {
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 23, 15, 0).unwrap();
        let calendar: &dyn LocalCalendar = &FixedOffset::east_opt(3600).unwrap();
        assert_eq!(
            calendar.day_of(at),
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
        );
        assert_eq!(Utc.day_of(at), at.date_naive());
    }
}
