//! Dates and times on the command line and in import files.
//!
//! People type dates the German way (`31.01.2026`), scripts the ISO way (`2026-01-31`);
//! both are accepted everywhere. Output shows German dates in German and ISO dates in
//! English and in JSON.
//!
//! Times are the installation's wall-clock times both ways: a time typed without an offset
//! is read in the installation's time zone ([`Moment::in_zone`]), and text output prints
//! instants in that zone ([`show_time`]). JSON keeps instants in UTC (RFC 3339), independent
//! of the zone.

use chrono::offset::LocalResult;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
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

/// A moment as typed: an instant (with an offset, e.g. RFC 3339) or a wall-clock time that
/// the installation's time zone turns into an instant ([`Moment::in_zone`]) once it is known
/// (it is stored in the database, read after the command line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    /// An instant given with its offset.
    At(DateTime<Utc>),
    /// A time on the installation's wall clock.
    Local(NaiveDateTime),
}

impl Moment {
    /// The instant this moment names in `tz`.
    ///
    /// # Errors
    /// [`ValueError`] for a wall-clock time the clock change skips (02:30 on the last Sunday
    /// of March in Berlin) or repeats (02:30 on the last Sunday of October): the person gives
    /// the offset then, e.g. `2026-10-25T02:30+02:00`.
    pub fn in_zone(self, tz: Tz) -> Result<DateTime<Utc>, ValueError> {
        let naive = match self {
            Self::At(at) => return Ok(at),
            Self::Local(naive) => naive,
        };
        let shown = naive.format("%d.%m.%Y %H:%M");
        let iso = naive.format("%Y-%m-%dT%H:%M");
        match tz.from_local_datetime(&naive) {
            LocalResult::Single(at) => Ok(at.to_utc()),
            LocalResult::Ambiguous(..) => Err(ValueError(crate::msg!(
                "{shown} gibt es in {tz} wegen der Zeitumstellung zweimal; bitte mit Versatz angeben, z. B. {iso}+02:00 (Sommerzeit) oder {iso}+01:00",
                "{shown} happens twice in {tz} because the clocks go back; please give the offset, e.g. {iso}+02:00 (summer time) or {iso}+01:00"
            ))),
            LocalResult::None => Err(ValueError(crate::msg!(
                "{shown} gibt es in {tz} wegen der Zeitumstellung nicht",
                "{shown} does not exist in {tz} because the clocks go forward"
            ))),
        }
    }
}

/// A clap value parser for moments: RFC 3339 (with its offset), `2026-03-02T10:30`,
/// `2026-03-02 10:30`, `02.03.2026 10:30` (times without offset are the installation's local
/// time), or a date alone (noon local time).
///
/// # Errors
/// A message naming the accepted shapes.
pub fn parse_datetime(input: &str) -> Result<Moment, ValueError> {
    let s = input.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Ok(Moment::At(dt.with_timezone(&Utc)));
    }
    for fmt in ["%Y-%m-%dT%H:%M%:z", "%Y-%m-%d %H:%M%:z"] {
        if let Ok(dt) = DateTime::parse_from_str(s, fmt) {
            return Ok(Moment::At(dt.with_timezone(&Utc)));
        }
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
            return Ok(Moment::Local(dt));
        }
    }
    // A date alone is noon; a time that did not parse is an error, never silently noon.
    if !s.contains(':')
        && let Ok(day) = parse_date_strict(s)
    {
        return Ok(Moment::Local(
            day.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default()),
        ));
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

/// A moment for people, on the wall clock of the installation's time zone `tz` (the zone's
/// abbreviation only in the hour the clocks go back, when the time alone would be
/// ambiguous).
#[must_use]
pub fn show_time(at: DateTime<Utc>, tz: Tz, lang: Lang) -> String {
    let local = at.with_timezone(&tz);
    let mut shown = match lang {
        Lang::De => local.format("%d.%m.%Y %H:%M").to_string(),
        Lang::En => local.format("%Y-%m-%d %H:%M").to_string(),
    };
    if matches!(
        tz.from_local_datetime(&local.naive_local()),
        LocalResult::Ambiguous(..)
    ) {
        shown.push(' ');
        shown.push_str(&local.format("%Z").to_string());
    }
    shown
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

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    #[test]
    fn moments_without_offset_are_local_times() {
        let berlin = chrono_tz::Europe::Berlin;
        let t = parse_datetime("2026-03-02T10:30").unwrap();
        assert_eq!(t.in_zone(berlin).unwrap(), utc("2026-03-02T09:30:00Z"));
        assert_eq!(parse_datetime("02.03.2026 10:30").unwrap(), t);
        assert_eq!(
            parse_datetime("2026-03-02")
                .unwrap()
                .in_zone(berlin)
                .unwrap(),
            utc("2026-03-02T11:00:00Z"),
            "a date alone is noon local time"
        );
        // An offset is kept whatever the zone.
        let given = parse_datetime("2026-03-02T10:30:00+00:00").unwrap();
        assert_eq!(given.in_zone(berlin).unwrap(), utc("2026-03-02T10:30:00Z"));
        // 00:15 local in summer time is 22:15 UTC of the day before.
        assert_eq!(
            parse_datetime("30.03.2026 00:15")
                .unwrap()
                .in_zone(berlin)
                .unwrap(),
            utc("2026-03-29T22:15:00Z")
        );
        assert!(parse_datetime("gestern").is_err());
        assert!(parse_datetime("2026-03-02T25:99").is_err(), "not noon");
    }

    #[test]
    fn the_skipped_and_the_repeated_hour_need_an_offset() {
        let berlin = chrono_tz::Europe::Berlin;
        for (typed, error) in [
            ("29.03.2026 02:30", "does not exist"),
            ("25.10.2026 02:30", "happens twice"),
        ] {
            let e = parse_datetime(typed).unwrap().in_zone(berlin).unwrap_err();
            assert!(e.0.get(Lang::En).contains(error), "{typed}: {e}");
        }
        assert_eq!(
            parse_datetime("2026-10-25T02:30+01:00")
                .unwrap()
                .in_zone(berlin)
                .unwrap(),
            utc("2026-10-25T01:30:00Z")
        );
    }

    #[test]
    fn times_are_shown_on_the_installations_wall_clock() {
        let berlin = chrono_tz::Europe::Berlin;
        for (at, de, en) in [
            (
                "2026-01-15T23:15:00Z",
                "16.01.2026 00:15",
                "2026-01-16 00:15",
            ),
            (
                "2026-03-28T22:30:00Z",
                "28.03.2026 23:30",
                "2026-03-28 23:30",
            ),
            (
                "2026-03-29T23:59:00Z",
                "30.03.2026 01:59",
                "2026-03-30 01:59",
            ),
            (
                "2026-10-24T22:15:00Z",
                "25.10.2026 00:15",
                "2026-10-25 00:15",
            ),
            // The hour the clocks go back is shown with its zone, as it happens twice.
            (
                "2026-10-25T00:30:00Z",
                "25.10.2026 02:30 CEST",
                "2026-10-25 02:30 CEST",
            ),
            (
                "2026-10-25T01:30:00Z",
                "25.10.2026 02:30 CET",
                "2026-10-25 02:30 CET",
            ),
            (
                "2026-10-25T23:59:00Z",
                "26.10.2026 00:59",
                "2026-10-26 00:59",
            ),
        ] {
            assert_eq!(show_time(utc(at), berlin, Lang::De), de, "{at}");
            assert_eq!(show_time(utc(at), berlin, Lang::En), en, "{at}");
        }
    }
}
