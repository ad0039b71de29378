//! The key-worker period (*Bezugsberatung*, process step 4 and invariant I3).
//!
//! The period starts on the enrolment day and is planned for 3 months; extensions with a
//! written reason may move the planned end to at most 6 months after the start. Month
//! arithmetic is chrono's calendar arithmetic: a period starting on 31 January ends on 30
//! April (the last day of the shorter month), never on an invalid date and never with a panic.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::text::Text;

/// Standard length of the key-worker period in months.
pub const STANDARD_MONTHS: u32 = 3;
/// Longest possible key-worker period in months, extensions included.
pub const MAX_MONTHS: u32 = 6;

/// `date` plus `months` calendar months, clamped to the end of a shorter month.
///
/// # Errors
/// [`DomainError::DateOutOfRange`] when the result lies beyond chrono's calendar.
pub fn add_months(date: NaiveDate, months: u32) -> Result<NaiveDate, DomainError> {
    date.checked_add_months(Months::new(months))
        .ok_or(DomainError::DateOutOfRange)
}

/// One extension of the period; the history keeps both ends (invariant I3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    /// Planned end before the extension.
    pub previous_end: NaiveDate,
    /// Planned end after the extension.
    pub new_end: NaiveDate,
    /// The written reason.
    pub reason: Text,
    /// Day the extension was decided.
    pub decided_on: NaiveDate,
}

/// The key-worker period. Its fields are private: only [`KeyWorkerPeriod::begin`] and
/// [`KeyWorkerPeriod::extend`] make or change one, so the 6-month limit always holds.
/// Deserialising re-derives the limit from the start and refuses a period whose planned end
/// or extensions lie beyond it, so a stored or sent period cannot carry a longer limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "PeriodRecord")]
pub struct KeyWorkerPeriod {
    start: NaiveDate,
    planned_end: NaiveDate,
    latest_end: NaiveDate,
    extensions: Vec<Extension>,
}

/// The serialised shape of [`KeyWorkerPeriod`], checked before it becomes one.
#[derive(Deserialize)]
struct PeriodRecord {
    start: NaiveDate,
    planned_end: NaiveDate,
    // `latest_end` is written for readers of the JSON but never read back: it is recomputed.
    extensions: Vec<Extension>,
}

impl TryFrom<PeriodRecord> for KeyWorkerPeriod {
    type Error = String;

    fn try_from(r: PeriodRecord) -> Result<Self, Self::Error> {
        let mut period = Self::begin(r.start).map_err(|e| e.to_string())?;
        for x in r.extensions {
            period
                .extend(x.new_end, x.reason, x.decided_on)
                .map_err(|e| format!("invalid key-worker period: {e}"))?;
        }
        if period.planned_end != r.planned_end {
            return Err(format!(
                "invalid key-worker period: planned end {} does not follow from start {} and its extensions",
                r.planned_end, r.start
            ));
        }
        Ok(period)
    }
}

impl KeyWorkerPeriod {
    /// Opens a period on `start`: planned end is start + 3 months.
    ///
    /// # Errors
    /// [`DomainError::DateOutOfRange`] for dates at the edge of the calendar.
    pub fn begin(start: NaiveDate) -> Result<Self, DomainError> {
        Ok(Self {
            start,
            planned_end: add_months(start, STANDARD_MONTHS)?,
            latest_end: add_months(start, MAX_MONTHS)?,
            extensions: Vec::new(),
        })
    }

    /// First day.
    #[must_use]
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// Planned last day (after any extensions).
    #[must_use]
    pub fn planned_end(&self) -> NaiveDate {
        self.planned_end
    }

    /// The latest planned end any extension may reach: start + 6 months.
    #[must_use]
    pub fn latest_end(&self) -> NaiveDate {
        self.latest_end
    }

    /// Extensions so far, oldest first.
    #[must_use]
    pub fn extensions(&self) -> &[Extension] {
        &self.extensions
    }

    /// Checks whether the planned end may move to `until`.
    ///
    /// # Errors
    /// [`DomainError::ExtensionNotLater`] unless `until` is after the current planned end;
    /// [`DomainError::ExtensionBeyondMaximum`] if it is after start + 6 months.
    pub fn check_extension(&self, until: NaiveDate) -> Result<(), DomainError> {
        if until > self.latest_end {
            return Err(DomainError::ExtensionBeyondMaximum {
                latest: self.latest_end,
            });
        }
        if until <= self.planned_end {
            return Err(DomainError::ExtensionNotLater {
                planned_end: self.planned_end,
            });
        }
        Ok(())
    }

    /// Extends the period to `until`.
    ///
    /// # Errors
    /// As [`KeyWorkerPeriod::check_extension`].
    pub fn extend(
        &mut self,
        until: NaiveDate,
        reason: Text,
        decided_on: NaiveDate,
    ) -> Result<(), DomainError> {
        self.check_extension(until)?;
        self.extensions.push(Extension {
            previous_end: self.planned_end,
            new_end: until,
            reason,
            decided_on,
        });
        self.planned_end = until;
        Ok(())
    }
}

/// A pause in participation (process step 4): the client takes a break, e.g. during a
/// hospital stay. A pause is not a sanction and does not stop the clock: the key-worker
/// period keeps its planned end, and nothing about a pause reaches the Jobcenter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Pause {
    /// First day of the pause.
    pub from: NaiveDate,
    /// Day participation resumed; `None` while the pause lasts.
    pub until: Option<NaiveDate>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_period_starting_on_31_january_ends_on_30_april() {
        let p = KeyWorkerPeriod::begin(d(2026, 1, 31)).unwrap();
        assert_eq!(p.planned_end(), d(2026, 4, 30));
        assert_eq!(p.latest_end(), d(2026, 7, 31));
        let leap = KeyWorkerPeriod::begin(d(2027, 11, 30)).unwrap();
        assert_eq!(leap.planned_end(), d(2028, 2, 29));
    }

    #[test]
    fn a_deserialised_period_cannot_carry_a_longer_limit() {
        let mut p = KeyWorkerPeriod::begin(d(2026, 3, 1)).unwrap();
        p.extend(d(2026, 8, 1), Text::parse("Grund").unwrap(), d(2026, 5, 1))
            .unwrap();
        let json = serde_json::to_value(&p).unwrap();
        let back: KeyWorkerPeriod = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back, p);
        let mut forged = json.clone();
        forged["latest_end"] = "2030-01-01".into();
        let read: KeyWorkerPeriod = serde_json::from_value(forged).unwrap();
        assert_eq!(read.latest_end(), d(2026, 9, 1), "the limit is recomputed");
        let mut beyond = json.clone();
        beyond["extensions"][0]["new_end"] = "2027-01-01".into();
        beyond["planned_end"] = "2027-01-01".into();
        assert!(serde_json::from_value::<KeyWorkerPeriod>(beyond).is_err());
        let mut drifted = json;
        drifted["planned_end"] = "2026-12-24".into();
        assert!(serde_json::from_value::<KeyWorkerPeriod>(drifted).is_err());
    }

    #[test]
    fn extension_up_to_six_months_and_not_beyond() {
        let mut p = KeyWorkerPeriod::begin(d(2026, 3, 1)).unwrap();
        let reason = Text::parse("Schuldnerberatung beginnt erst im Juli").unwrap();
        assert_eq!(
            p.extend(d(2026, 9, 2), reason.clone(), d(2026, 5, 20)),
            Err(DomainError::ExtensionBeyondMaximum {
                latest: d(2026, 9, 1)
            })
        );
        p.extend(d(2026, 7, 1), reason.clone(), d(2026, 5, 20))
            .unwrap();
        assert_eq!(
            p.extend(d(2026, 6, 30), reason.clone(), d(2026, 5, 21)),
            Err(DomainError::ExtensionNotLater {
                planned_end: d(2026, 7, 1)
            })
        );
        p.extend(d(2026, 9, 1), reason, d(2026, 6, 25)).unwrap();
        assert_eq!(p.planned_end(), d(2026, 9, 1));
        assert_eq!(p.extensions().len(), 2);
        assert_eq!(p.extensions()[0].previous_end, d(2026, 6, 1));
        assert_eq!(p.extensions()[1].previous_end, d(2026, 7, 1));
    }

    #[test]
    fn the_edge_of_the_calendar_is_an_error_not_a_panic() {
        assert_eq!(
            KeyWorkerPeriod::begin(NaiveDate::MAX),
            Err(DomainError::DateOutOfRange)
        );
    }
}
