//! Dates and times on the command line and in import files.
//!
//! People type dates the German way (`31.01.2026`), scripts the ISO way (`2026-01-31`);
//! both are accepted everywhere. Output shows German dates in German and ISO dates in
//! English and in JSON.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use wegbereiter_core::Lang;

use crate::error::{Msg, ValueError};

/// Why a date could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// The text has no recognised date shape.
    Format,
    /// The shape is right but the day does not exist (e.g. 31.02.2026).
    NoSuchDay,
    /// A two-digit year is ambiguous.
    TwoDigitYear,
}

impl DateError {
    /// A sentence for people.
    #[must_use]
    pub fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Format, Lang::De) => "kein gültiges Datum (erwartet TT.MM.JJJJ oder JJJJ-MM-TT)",
            (Self::Format, Lang::En) => "not a valid date (expected DD.MM.YYYY or YYYY-MM-DD)",
            (Self::NoSuchDay, Lang::De) => "diesen Tag gibt es nicht",
            (Self::NoSuchDay, Lang::En) => "no such day",
            (Self::TwoDigitYear, Lang::De) => "die Jahreszahl muss vierstellig sein",
            (Self::TwoDigitYear, Lang::En) => "the year must have four digits",
        }
    }
}

fn number(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parses `31.01.2026`, `1.2.2026`, `31/01/2026` or `2026-01-31` (a trailing time such as
/// ` 00:00:00` or `T00:00`, as spreadsheets export it, is ignored).
///
/// # Errors
/// [`DateError`] saying what is wrong.
pub fn parse_date_strict(input: &str) -> Result<NaiveDate, DateError> {
    let s = input.trim();
    let s = s.split([' ', 'T']).next().unwrap_or(s);
    let (d, m, y) = if let Some((y, rest)) = s.split_once('-') {
        let (m, d) = rest.split_once('-').ok_or(DateError::Format)?;
        if y.len() != 4 {
            return Err(DateError::Format);
        }
        (d, m, y)
    } else {
        let sep = if s.contains('.') { '.' } else { '/' };
        let mut parts = s.split(sep);
        let (Some(d), Some(m), Some(y), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(DateError::Format);
        };
        if y.len() == 2 {
            return Err(DateError::TwoDigitYear);
        }
        if y.len() != 4 {
            return Err(DateError::Format);
        }
        (d, m, y)
    };
    let (Some(d), Some(m), Some(y)) = (number(d), number(m), number(y)) else {
        return Err(DateError::Format);
    };
    let y = i32::try_from(y).map_err(|_| DateError::Format)?;
    NaiveDate::from_ymd_opt(y, m, d).ok_or(DateError::NoSuchDay)
}

/// A clap value parser for dates.
///
/// # Errors
/// A message naming the accepted shapes.
pub fn parse_date(input: &str) -> Result<NaiveDate, ValueError> {
    parse_date_strict(input)
        .map_err(|e| ValueError(Msg::new(e.message(Lang::De), e.message(Lang::En))))
}

/// A clap value parser for moments: RFC 3339, `2026-03-02T10:30`, `2026-03-02 10:30`,
/// `02.03.2026 10:30` (times without zone are UTC), or a date alone (noon UTC).
///
/// # Errors
/// A message naming the accepted shapes.
pub fn parse_datetime(input: &str) -> Result<DateTime<Utc>, ValueError> {
    let s = input.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Ok(dt.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%d.%m.%Y %H:%M:%S",
        "%d.%m.%Y %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            return Ok(Utc.from_utc_datetime(&dt));
        }
    }
    if let Ok(day) = parse_date_strict(s) {
        return Ok(noon(day));
    }
    Err(ValueError(Msg::new(
        "kein gültiger Zeitpunkt (erwartet z. B. 02.03.2026 10:30, 2026-03-02T10:30 oder ein Datum)",
        "not a valid time (expected e.g. 2026-03-02T10:30, 02.03.2026 10:30 or a date)",
    )))
}

/// The installation's time zone when neither `--tz` nor `WEGBEREITER_TZ` names one.
pub const DEFAULT_TIME_ZONE: chrono_tz::Tz = chrono_tz::Europe::Berlin;

/// An IANA time-zone name (`Europe/Berlin`) for `--tz`.
///
/// # Errors
/// [`ValueError`] for a name the time-zone database does not know.
pub fn parse_time_zone(s: &str) -> Result<chrono_tz::Tz, ValueError> {
    s.trim().parse::<chrono_tz::Tz>().map_err(|_| {
        ValueError(crate::msg!(
            "unbekannte Zeitzone „{s}“ (erwartet ein IANA-Name wie Europe/Berlin)",
            "unknown time zone '{s}' (expected an IANA name such as Europe/Berlin)"
        ))
    })
}

/// `day` at 12:00 on the wall clock of `tz`: the moment commands use when `--today` fixes the
/// day (noon exists on every day in every zone that changes its clocks at night).
#[must_use]
pub fn local_noon(day: NaiveDate, tz: chrono_tz::Tz) -> DateTime<Utc> {
    let naive = day.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default());
    tz.from_local_datetime(&naive)
        .earliest()
        .map_or_else(|| noon(day), |t| t.with_timezone(&Utc))
}

/// `day` at 12:00 UTC.
#[must_use]
pub fn noon(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default()))
}

/// A date for people: `31.01.2026` in German, `2026-01-31` in English.
#[must_use]
pub fn show(day: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::De => day.format("%d.%m.%Y").to_string(),
        Lang::En => day.format("%Y-%m-%d").to_string(),
    }
}

/// An optional date for people; `–` when absent.
#[must_use]
pub fn show_opt(day: Option<NaiveDate>, lang: Lang) -> String {
    day.map_or_else(|| "–".to_owned(), |d| show(d, lang))
}

/// A moment for people, in UTC.
#[must_use]
pub fn show_time(at: DateTime<Utc>, lang: Lang) -> String {
    match lang {
        Lang::De => at.format("%d.%m.%Y %H:%M UTC").to_string(),
        Lang::En => at.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn german_and_iso_dates() {
        assert_eq!(parse_date_strict("31.01.2026"), Ok(d(2026, 1, 31)));
        assert_eq!(parse_date_strict(" 1.2.2026 "), Ok(d(2026, 2, 1)));
        assert_eq!(parse_date_strict("31/01/2026"), Ok(d(2026, 1, 31)));
        assert_eq!(parse_date_strict("2026-01-31"), Ok(d(2026, 1, 31)));
        assert_eq!(parse_date_strict("2026-01-31 00:00:00"), Ok(d(2026, 1, 31)));
        assert_eq!(parse_date_strict("31.02.2026"), Err(DateError::NoSuchDay));
        assert_eq!(parse_date_strict("31.01.26"), Err(DateError::TwoDigitYear));
        for bad in [
            "",
            "morgen",
            "2026-1",
            "31.01",
            "1.1.1.2026",
            "+1.01.2026",
            "26-01-31",
        ] {
            assert!(parse_date_strict(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn moments() {
        let t = parse_datetime("2026-03-02T10:30").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-03-02T10:30:00+00:00");
        assert_eq!(parse_datetime("02.03.2026 10:30").unwrap(), t);
        assert_eq!(parse_datetime("2026-03-02").unwrap(), noon(d(2026, 3, 2)));
        assert!(parse_datetime("gestern").is_err());
    }
}
