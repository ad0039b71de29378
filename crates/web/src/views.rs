//! View helpers shared by all pages: the page frame ([`Layout`]), select options, the state
//! of a submitted form, and German/English date formatting.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use wegbereiter_core::prelude::*;

use crate::access;
use crate::context::ReqCtx;
use crate::i18n::Tr;

/// Which main navigation entries a person sees.
#[derive(Debug, Clone, Copy, Default)]
pub struct Nav {
    /// Dashboard, search, cases.
    pub cases: bool,
    /// New referral.
    pub referral: bool,
    /// Phase 2 group sessions.
    pub groups: bool,
    /// Administration.
    pub admin: bool,
    /// Audit log.
    pub audit: bool,
    /// Retention plan (data-protection officer).
    pub privacy: bool,
    /// ESF Plus report (team leads).
    pub esf: bool,
}

/// The frame of every page.
#[derive(Debug, Clone)]
pub struct Layout {
    /// `de` or `en`.
    pub lang: &'static str,
    /// Message catalogue.
    pub tr: Tr,
    /// Page title (already translated).
    pub title: String,
    /// Signed-in person's display name.
    pub user_name: Option<String>,
    /// CSRF token for forms.
    pub csrf: String,
    /// Navigation.
    pub nav: Nav,
    /// Active navigation entry.
    pub active: &'static str,
    /// One-time message.
    pub flash: Option<String>,
    /// The other language's code.
    pub switch_to: &'static str,
    /// Current path (the language switch returns here).
    pub path: String,
}

impl Layout {
    /// The frame for a request; `title` is a catalogue key.
    #[must_use]
    pub fn new(ctx: &ReqCtx, title: &str, active: &'static str) -> Self {
        let tr = Tr(ctx.lang);
        let nav = ctx.user.as_ref().map_or(Nav::default(), |u| Nav {
            cases: access::works_on_cases(&u.as_actor()),
            referral: access::can_enter_referral(&u.as_actor()),
            groups: access::can_use_group_sessions(&u.as_actor()),
            admin: access::can_administer(&u.as_actor()),
            audit: access::can_read_audit(&u.as_actor()),
            privacy: access::can_manage_retention(&u.as_actor()),
            esf: access::can_see_esf_report(&u.as_actor()),
        });
        Self {
            lang: lang_code(ctx.lang),
            title: tr.t(title).to_owned(),
            tr,
            user_name: ctx.user.as_ref().map(|u| u.display_name.to_string()),
            csrf: ctx.csrf.clone(),
            nav,
            active,
            flash: ctx.flash.clone(),
            switch_to: if ctx.lang == Lang::De { "en" } else { "de" },
            path: ctx.path.clone(),
        }
    }

    /// A frame without a session (error pages when the session store failed).
    #[must_use]
    pub fn bare(lang: Lang, title: &str) -> Self {
        let tr = Tr(lang);
        Self {
            lang: lang_code(lang),
            title: tr.t(title).to_owned(),
            tr,
            user_name: None,
            csrf: String::new(),
            nav: Nav::default(),
            active: "",
            flash: None,
            switch_to: if lang == Lang::De { "en" } else { "de" },
            path: "/".to_owned(),
        }
    }

    /// Sets a title that is not a catalogue key (e.g. a client's name).
    #[must_use]
    pub fn titled(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// A catalogue string.
    #[must_use]
    pub fn t(&self, key: &str) -> &'static str {
        self.tr.t(key)
    }
}

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::De => "de",
        _ => "en",
    }
}

/// An option of a select or a checkbox group.
#[derive(Debug, Clone)]
pub struct Opt {
    /// Submitted value.
    pub value: String,
    /// Label.
    pub label: String,
}

impl Opt {
    /// An option.
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            label: label.into(),
        }
    }
}

/// All values of a vocabulary as options.
#[must_use]
pub fn opts<T: Labelled>(lang: Lang) -> Vec<Opt> {
    T::ALL
        .iter()
        .map(|v| Opt::new(v.key(), v.label(lang)))
        .collect()
}

/// The state of the one form that was submitted and refused: its values and the message.
/// Serialisable: the session keeps it for a reload of the refused address.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct FormState {
    /// Id of the form (empty: nothing submitted).
    pub form: String,
    /// Submitted values.
    pub values: Vec<(String, String)>,
    /// Message shown above the form (and next to `field`, if set).
    pub error: Option<String>,
    /// The input the message belongs to, if one.
    pub field: Option<String>,
    /// Every input with a problem and its message (a form checked at once reports several).
    #[serde(default)]
    pub fields: Vec<(String, String)>,
    /// Every message, in order, without repetitions (listed above the form when several).
    #[serde(default)]
    pub messages: Vec<String>,
}

impl FormState {
    /// A refused form: `error` is a message for the form as a whole (a `String`) or for one
    /// of its inputs (an [`Invalid`](crate::forms::Invalid) naming it).
    #[must_use]
    pub fn refused(
        form: &str,
        values: Vec<(String, String)>,
        error: impl Into<crate::forms::Invalid>,
    ) -> Self {
        let error = error.into();
        let all: Vec<&crate::forms::Invalid> =
            std::iter::once(&error).chain(error.more.iter()).collect();
        let fields = all
            .iter()
            .filter_map(|e| e.field.clone().map(|f| (f, e.msg.clone())))
            .collect();
        let mut messages: Vec<&str> = Vec::new();
        for m in all.iter().map(|e| e.msg.as_str()) {
            if !m.is_empty() && !messages.contains(&m) {
                messages.push(m);
            }
        }
        let summary = messages.join(" · ");
        let messages = messages.into_iter().map(str::to_owned).collect();
        Self {
            form: form.to_owned(),
            values,
            error: Some(summary),
            field: error.field.clone(),
            fields,
            messages,
        }
    }

    /// The submitted value of `name` if `form` was submitted, else `default`.
    #[must_use]
    pub fn val<'a>(&'a self, form: &str, name: &str, default: &'a str) -> &'a str {
        if self.form != form {
            return default;
        }
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Whether `value` of `name` is chosen: the submitted choice if `form` was submitted,
    /// else whether it equals `default`.
    #[must_use]
    pub fn sel(&self, form: &str, name: &str, value: &str, default: &str) -> bool {
        if self.form != form {
            return value == default;
        }
        self.values.iter().any(|(k, v)| k == name && v == value)
    }

    /// Whether a checkbox is checked after a refused submit (`default` otherwise).
    #[must_use]
    pub fn checked(
        &self,
        form: &str,
        name: &str,
        value: &str,
        default: impl std::borrow::Borrow<bool>,
    ) -> bool {
        if self.form != form {
            return *default.borrow();
        }
        self.values.iter().any(|(k, v)| k == name && v == value)
    }

    /// The message for `form`, or "".
    #[must_use]
    pub fn msg(&self, form: &str) -> &str {
        if self.form == form {
            self.error.as_deref().unwrap_or("")
        } else {
            ""
        }
    }

    /// The messages for `form` when there are several (listed above the form), else none.
    #[must_use]
    pub fn several(&self, form: &str) -> &[String] {
        if self.form == form && self.messages.len() > 1 {
            &self.messages
        } else {
            &[]
        }
    }

    /// The input of `form` the message belongs to, or "" (the form as a whole).
    #[must_use]
    pub fn field_of(&self, form: &str) -> &str {
        if self.form == form && self.error.is_some() {
            self.field.as_deref().unwrap_or("")
        } else {
            ""
        }
    }

    /// Whether a message belongs to the input `name` of `form` (shown next to it, and
    /// the input marked invalid).
    #[must_use]
    pub fn is_field(&self, form: &str, name: &str) -> bool {
        !name.is_empty()
            && (self.field_of(form) == name
                || (self.form == form && self.fields.iter().any(|(f, _)| f == name)))
    }

    /// The message next to the input `name` of `form`, or "".
    #[must_use]
    pub fn field_msg(&self, form: &str, name: &str) -> &str {
        if self.form != form {
            return "";
        }
        match self.fields.iter().find(|(f, _)| f == name) {
            Some((_, m)) => m,
            None if self.is_field(form, name) => self.msg(form),
            None => "",
        }
    }
}

/// A date for people: `02.03.2026` in German, `2026-03-02` in English.
#[must_use]
pub fn date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::De => d.format("%d.%m.%Y").to_string(),
        _ => d.format("%Y-%m-%d").to_string(),
    }
}

/// An optional date, or "–".
#[must_use]
pub fn opt_date(d: Option<NaiveDate>, lang: Lang) -> String {
    d.map_or_else(|| "–".to_owned(), |d| date(d, lang))
}

/// The wall-clock time of `at` in the installation's time zone `tz`.
#[must_use]
pub fn local(at: DateTime<Utc>, tz: Tz) -> NaiveDateTime {
    at.with_timezone(&tz).naive_local()
}

/// The wall-clock time `local` in `tz` as an instant.
/// A time that occurs twice (the hour the clocks go back) is the earlier one; a time that
/// does not exist (the hour the clocks go forward) is taken as the same clock time one hour
/// later, which is what the clock showed.
#[must_use]
pub fn from_local(local: NaiveDateTime, tz: Tz) -> DateTime<Utc> {
    tz.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
        })
        .map_or_else(|| Utc.from_utc_datetime(&local), |t| t.with_timezone(&Utc))
}

/// A moment for people, in the installation's local time.
#[must_use]
pub fn datetime(at: DateTime<Utc>, lang: Lang, tz: Tz) -> String {
    let l = local(at, tz);
    match lang {
        Lang::De => l.format("%d.%m.%Y, %H:%M Uhr").to_string(),
        _ => l.format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// The value of an `<input type="datetime-local">` for `at` in `tz`.
#[must_use]
pub fn datetime_input(at: DateTime<Utc>, tz: Tz) -> String {
    local(at, tz).format("%Y-%m-%dT%H:%M").to_string()
}

/// A short case number for people: core's [`CaseId::case_number`], the last 10 hex digits
/// of the id, as `XXXXX-XXXXX`.
#[must_use]
pub fn case_no(id: CaseId) -> String {
    id.case_number()
}

/// Whether `query` (a case number or part of an id, any case, with or without dashes) names
/// case `id`.
#[must_use]
pub fn matches_case_no(id: CaseId, query: &str) -> bool {
    let needle: String = query
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_lowercase();
    needle.len() >= 5
        && needle.chars().all(|c| c.is_ascii_hexdigit())
        && id.as_uuid().simple().to_string().contains(&needle)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn case_numbers_use_the_random_tail_and_are_found_again() {
        let id = CaseId::from_uuid(uuid::Uuid::from_u128(
            0x0193_a2b4_0000_7000_8000_00ab_cdef_1234,
        ));
        assert_eq!(case_no(id), "ABCDE-F1234");
        assert!(matches_case_no(id, "abcde-f1234"));
        assert!(matches_case_no(id, "F1234"));
        assert!(!matches_case_no(id, "1234"));
        assert!(!matches_case_no(id, "Musterfrau"));
    }

    #[test]
    fn german_time_follows_summer_time() {
        let tz = chrono_tz::Europe::Berlin;
        let winter = Utc.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).unwrap();
        let summer = Utc.with_ymd_and_hms(2026, 7, 15, 12, 0, 0).unwrap();
        assert_eq!(local(winter, tz).format("%H").to_string(), "13");
        assert_eq!(local(summer, tz).format("%H").to_string(), "14");
        assert_eq!(from_local(local(summer, tz), tz), summer);
        assert_eq!(from_local(local(winter, tz), tz), winter);
    }

    #[test]
    fn wall_clock_times_around_the_clock_changes() {
        let tz = chrono_tz::Europe::Berlin;
        let at = |y, m, d, h, min| {
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(h, min, 0)
                .unwrap()
        };
        // 29 March 2026: 02:30 does not exist; the clock showed 03:30 (01:30 UTC).
        assert_eq!(
            from_local(at(2026, 3, 29, 2, 30), tz),
            Utc.with_ymd_and_hms(2026, 3, 29, 1, 30, 0).unwrap()
        );
        // 25 October 2026: 02:30 happens twice; the first is 00:30 UTC.
        assert_eq!(
            from_local(at(2026, 10, 25, 2, 30), tz),
            Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap()
        );
        // 00:15 local in summer time is 22:15 UTC of the day before.
        assert_eq!(
            from_local(at(2026, 3, 30, 0, 15), tz),
            Utc.with_ymd_and_hms(2026, 3, 29, 22, 15, 0).unwrap()
        );
    }
}
