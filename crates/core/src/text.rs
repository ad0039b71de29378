//! Validated text values: parse, don't validate.
//!
//! Free text in a case file is always trimmed, never empty where the process needs a
//! statement (an extension reason, a goal's wording), and bounded in length so that a
//! pasted document cannot end up in a field meant for a sentence.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::FieldError;

/// Longest text accepted in a single field, in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// A trimmed, non-empty piece of text of at most [`MAX_TEXT_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Text(String);

impl Text {
    /// Parses free text: trims it and refuses empty or oversized input.
    ///
    /// # Errors
    /// [`FieldError::Empty`] for blank input, [`FieldError::TooLong`] beyond
    /// [`MAX_TEXT_CHARS`] characters, [`FieldError::Invalid`] for control characters other
    /// than line breaks and tabs.
    pub fn parse(input: impl AsRef<str>) -> Result<Self, FieldError> {
        let trimmed = input.as_ref().trim();
        if trimmed.is_empty() {
            return Err(FieldError::Empty);
        }
        // Control characters other than line breaks and tabs are never typed on purpose and
        // cannot be stored everywhere (PostgreSQL refuses U+0000 in text).
        if trimmed
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(FieldError::Invalid {
                expected: "text without control characters",
                expected_de: "Text ohne Steuerzeichen",
            });
        }
        if trimmed.chars().count() > MAX_TEXT_CHARS {
            return Err(FieldError::TooLong {
                max: MAX_TEXT_CHARS,
            });
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// Parses optional text: blank input becomes `None`.
    ///
    /// # Errors
    /// [`FieldError::TooLong`] beyond [`MAX_TEXT_CHARS`] characters.
    pub fn parse_optional(input: impl AsRef<str>) -> Result<Option<Self>, FieldError> {
        match Self::parse(input) {
            Ok(text) => Ok(Some(text)),
            Err(FieldError::Empty) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Text {
    type Error = FieldError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<Text> for String {
    fn from(value: Text) -> Self {
        value.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A German postcode (*Postleitzahl*): exactly five digits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Postcode(String);

impl Postcode {
    /// Parses a postcode; surrounding whitespace is ignored.
    ///
    /// # Errors
    /// [`FieldError::Invalid`] unless the input is exactly five ASCII digits.
    pub fn parse(input: impl AsRef<str>) -> Result<Self, FieldError> {
        let trimmed = input.as_ref().trim();
        if trimmed.len() == 5 && trimmed.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(trimmed.to_owned()))
        } else {
            Err(FieldError::Invalid {
                expected: "five digits (postcode)",
                expected_de: "fünf Ziffern (Postleitzahl)",
            })
        }
    }

    /// The postcode.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Postcode {
    type Error = FieldError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<Postcode> for String {
    fn from(value: Postcode) -> Self {
        value.0
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A rating on the 0–10 scaling question (*Skalierungsfrage*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Scale(u8);

impl Scale {
    /// Parses a rating between 0 and 10 inclusive.
    ///
    /// # Errors
    /// [`FieldError::OutOfRange`] for values above 10.
    pub fn new(value: u8) -> Result<Self, FieldError> {
        if value <= 10 {
            Ok(Self(value))
        } else {
            Err(FieldError::OutOfRange { min: 0, max: 10 })
        }
    }

    /// The rating.
    #[must_use]
    pub fn value(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Scale {
    type Error = FieldError;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Scale> for u8 {
    fn from(value: Scale) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_never_empty() {
        assert_eq!(
            Text::parse("  Miete klären ").unwrap().as_str(),
            "Miete klären"
        );
        assert_eq!(Text::parse(" \n\t"), Err(FieldError::Empty));
        assert_eq!(Text::parse_optional("  ").unwrap(), None);
        let long = "x".repeat(MAX_TEXT_CHARS + 1);
        assert!(matches!(Text::parse(long), Err(FieldError::TooLong { .. })));
        assert!(matches!(
            Text::parse("a\u{0}b"),
            Err(FieldError::Invalid { .. })
        ));
        assert!(matches!(
            Text::parse("a\u{1b}[31m"),
            Err(FieldError::Invalid { .. })
        ));
        assert_eq!(
            Text::parse("Zeile 1\nZeile\t2").unwrap().as_str(),
            "Zeile 1\nZeile\t2"
        );
    }

    #[test]
    fn text_deserialisation_applies_the_same_rules() {
        assert!(serde_json::from_str::<Text>("\"   \"").is_err());
        assert_eq!(
            serde_json::from_str::<Text>("\" ok \"").unwrap().as_str(),
            "ok"
        );
    }

    #[test]
    fn postcodes_are_five_digits() {
        assert!(Postcode::parse("34117").is_ok());
        assert!(Postcode::parse(" 01067 ").is_ok());
        for bad in ["3411", "341170", "3411a", "", "３４１１７"] {
            assert!(Postcode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn scale_is_zero_to_ten() {
        assert_eq!(Scale::new(0).unwrap().value(), 0);
        assert_eq!(Scale::new(10).unwrap().value(), 10);
        assert!(Scale::new(11).is_err());
        assert!(serde_json::from_str::<Scale>("11").is_err());
    }
}
