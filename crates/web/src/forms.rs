//! Reading submitted forms into domain values.
//!
//! Every parse failure becomes a [`Invalid`] naming the field (by its label key) and the
//! reason in the page's language, so that the form can be shown again with the input kept.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use uuid::Uuid;
use wegbereiter_core::prelude::*;

use crate::context::FormData;
use crate::i18n::Tr;

/// A field could not be read; the message is ready for people. A form that checks every
/// field at once ([`Errors`]) refuses with the first problem and the others in `more`.
#[derive(Debug, Clone)]
pub struct Invalid {
    /// The message, in the page's language, naming the field by its label.
    pub msg: String,
    /// The name of the input the message belongs to (shown next to it), if one.
    pub field: Option<String>,
    /// Further problems of the same form, each shown next to its input.
    pub more: Vec<Invalid>,
}

/// Collects the problems of every field of a form, so that one round reports them all.
///
/// ```ignore
/// let mut errors = Errors::default();
/// let date = errors.take(r.date("date", "contact.date"));
/// let minutes = errors.take(r.number("duration", "contact.duration", 1, 1440));
/// let (Some(date), Some(minutes)) = (date, minutes) else { return Err(errors.refusal()) };
/// ```
#[derive(Debug, Clone, Default)]
pub struct Errors(Vec<Invalid>);

impl Errors {
    /// The value of `r`, or `None` with its problem noted.
    pub fn take<T>(&mut self, r: Result<T, Invalid>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.push(e);
                None
            }
        }
    }

    /// Notes a problem.
    pub fn push(&mut self, e: Invalid) {
        let Invalid { msg, field, more } = e;
        self.0.push(Invalid {
            msg,
            field,
            more: Vec::new(),
        });
        self.0.extend(more);
    }

    /// Whether no problem was noted.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every problem noted as one refusal (the first, with the others in `more`); a form
    /// message when, unexpectedly, none was noted.
    #[must_use]
    pub fn refusal(self) -> Invalid {
        let mut all = self.0.into_iter();
        match all.next() {
            Some(mut first) => {
                first.more = all.collect();
                first
            }
            None => Invalid::form(String::new()),
        }
    }

    /// `Ok(())` when no problem was noted, else [`Self::refusal`].
    ///
    /// # Errors
    /// Every problem noted.
    pub fn check(self) -> Result<(), Invalid> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self.refusal())
        }
    }
}

impl From<String> for Invalid {
    fn from(msg: String) -> Self {
        Self::form(msg)
    }
}

impl Invalid {
    /// A message for the form as a whole.
    #[must_use]
    pub fn form(msg: impl Into<String>) -> Self {
        Self {
            msg: msg.into(),
            field: None,
            more: Vec::new(),
        }
    }

    /// A message for the input `name`.
    #[must_use]
    pub fn field(name: &str, msg: impl Into<String>) -> Self {
        Self {
            msg: msg.into(),
            field: Some(name.to_owned()),
            more: Vec::new(),
        }
    }
}

impl FormData {
    /// The first value of `name` (trimmed), or "".
    #[must_use]
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.trim())
    }

    /// The first value of `name` exactly as sent (passwords are not trimmed).
    #[must_use]
    pub fn get_raw(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// All values of `name`.
    #[must_use]
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The values without the CSRF token, for showing the form again.
    #[must_use]
    pub fn values(&self) -> Vec<(String, String)> {
        self.0
            .iter()
            .filter(|(k, _)| k != "_csrf")
            .cloned()
            .collect()
    }

    /// The case version the user saw (hidden field `version`).
    #[must_use]
    pub fn version(&self) -> Option<u64> {
        self.get("version").parse().ok()
    }
}

/// Reads fields with messages in one language.
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    /// The form.
    pub form: &'a FormData,
    /// Catalogue for messages.
    pub tr: Tr,
}

impl<'a> Reader<'a> {
    /// A reader.
    #[must_use]
    pub fn new(form: &'a FormData, tr: Tr) -> Self {
        Self { form, tr }
    }

    pub fn bad(&self, name: &str, label: &str, why: &str) -> Invalid {
        Invalid::field(name, format!("{}: {}", self.tr.t(label), why))
    }

    /// "Please choose" for the input `name` labelled `label`: for an id that names nothing
    /// (any more).
    #[must_use]
    pub fn unchosen(&self, name: &str, label: &str) -> Invalid {
        self.bad(name, label, self.tr.t("form.choose"))
    }

    /// Required text.
    ///
    /// # Errors
    /// [`Invalid`] when empty or too long.
    pub fn text(&self, name: &str, label: &str) -> Result<Text, Invalid> {
        Text::parse(self.form.get(name)).map_err(|e| self.bad(name, label, &e.message(self.tr.0)))
    }

    /// Optional text.
    ///
    /// # Errors
    /// [`Invalid`] when too long.
    pub fn opt_text(&self, name: &str, label: &str) -> Result<Option<Text>, Invalid> {
        Text::parse_optional(self.form.get(name))
            .map_err(|e| self.bad(name, label, &e.message(self.tr.0)))
    }

    /// Required date (`YYYY-MM-DD` from a date input, or `DD.MM.YYYY`).
    ///
    /// # Errors
    /// [`Invalid`] when missing or malformed.
    pub fn date(&self, name: &str, label: &str) -> Result<NaiveDate, Invalid> {
        self.opt_date(name, label)?
            .ok_or_else(|| self.bad(name, label, self.tr.t("form.required")))
    }

    /// Optional date.
    ///
    /// # Errors
    /// [`Invalid`] when malformed.
    pub fn opt_date(&self, name: &str, label: &str) -> Result<Option<NaiveDate>, Invalid> {
        let v = self.form.get(name);
        if v.is_empty() {
            return Ok(None);
        }
        NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(v, "%d.%m.%Y"))
            .map(Some)
            .map_err(|_| self.bad(name, label, self.tr.t("form.bad_date")))
    }

    /// Optional time of day from a `time` input ("09:30").
    ///
    /// # Errors
    /// [`Invalid`] when malformed.
    pub fn opt_time(&self, name: &str, label: &str) -> Result<Option<NaiveTime>, Invalid> {
        let v = self.form.get(name);
        if v.is_empty() {
            return Ok(None);
        }
        NaiveTime::parse_from_str(v, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(v, "%H:%M:%S"))
            .map(Some)
            .map_err(|_| self.bad(name, label, self.tr.t("form.bad_time")))
    }

    /// Required local date and time from a `datetime-local` input.
    ///
    /// # Errors
    /// [`Invalid`] when missing or malformed.
    pub fn datetime(&self, name: &str, label: &str) -> Result<NaiveDateTime, Invalid> {
        let v = self.form.get(name);
        if v.is_empty() {
            return Err(self.bad(name, label, self.tr.t("form.required")));
        }
        NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M")
            .or_else(|_| NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S"))
            .map_err(|_| self.bad(name, label, self.tr.t("form.bad_date")))
    }

    /// A required vocabulary value.
    ///
    /// # Errors
    /// [`Invalid`] when missing or unknown.
    pub fn choice<T: Labelled>(&self, name: &str, label: &str) -> Result<T, Invalid> {
        T::from_key(self.form.get(name)).ok_or_else(|| self.unchosen(name, label))
    }

    /// An optional vocabulary value ("" is none).
    ///
    /// # Errors
    /// [`Invalid`] when unknown.
    pub fn opt_choice<T: Labelled>(&self, name: &str, label: &str) -> Result<Option<T>, Invalid> {
        let v = self.form.get(name);
        if v.is_empty() {
            return Ok(None);
        }
        T::from_key(v)
            .map(Some)
            .ok_or_else(|| self.unchosen(name, label))
    }

    /// All chosen values of a checkbox group.
    ///
    /// # Errors
    /// [`Invalid`] for unknown values.
    pub fn choices<T: Labelled + PartialEq>(
        &self,
        name: &str,
        label: &str,
    ) -> Result<Vec<T>, Invalid> {
        let mut out = Vec::new();
        for v in self.form.all(name) {
            let value = T::from_key(v).ok_or_else(|| self.unchosen(name, label))?;
            if !out.contains(&value) {
                out.push(value);
            }
        }
        Ok(out)
    }

    /// A required id.
    ///
    /// # Errors
    /// [`Invalid`] when missing or malformed.
    pub fn id<T: From<Uuid>>(&self, name: &str, label: &str) -> Result<T, Invalid> {
        Uuid::parse_str(self.form.get(name))
            .map(T::from)
            .map_err(|_| self.unchosen(name, label))
    }

    /// A whole number in a range.
    ///
    /// # Errors
    /// [`Invalid`] when missing, malformed or out of range.
    pub fn number(&self, name: &str, label: &str, min: u32, max: u32) -> Result<u32, Invalid> {
        match self.form.get(name).parse::<u32>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(self.bad(
                name,
                label,
                &FieldError::OutOfRange {
                    min: i64::from(min),
                    max: i64::from(max),
                }
                .message(self.tr.0),
            )),
        }
    }

    /// Whether a checkbox is checked.
    #[must_use]
    pub fn flag(&self, name: &str) -> bool {
        !self.form.get(name).is_empty()
    }

    /// An optional yes/no/no-answer select (`yes`, `no`, "").
    #[must_use]
    pub fn yes_no(&self, name: &str) -> Option<bool> {
        match self.form.get(name) {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        }
    }
}
