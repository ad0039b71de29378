//! Closed vocabularies and their German/English labels.
//!
//! Every closed list of the process (reasons, outcomes, statuses, life domains, …) is a Rust
//! enum with a stable snake_case key (used in JSON, in the database and on the command line)
//! and a label in each supported [`Lang`]. Frontends show [`Labelled::label`], never the key.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A user-interface language. German is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Deutsch (default).
    #[default]
    De,
    /// English.
    En,
}

impl Lang {
    /// Picks a language from a locale string such as `de_DE.UTF-8`, `en`, `en-GB`.
    /// Anything not English is German.
    #[must_use]
    pub fn from_locale(locale: &str) -> Self {
        if locale.trim().to_ascii_lowercase().starts_with("en") {
            Self::En
        } else {
            Self::De
        }
    }
}

/// A value with a stable key and a human label per language.
pub trait Labelled: Sized + Copy + 'static {
    /// Every value, in a sensible display order.
    const ALL: &'static [Self];
    /// The stable snake_case key (JSON, database, command line).
    fn key(self) -> &'static str;
    /// The label shown to people.
    fn label(self, lang: Lang) -> &'static str;
    /// Looks a value up by its key (or, leniently, by its German or English label).
    fn from_key(key: &str) -> Option<Self> {
        let wanted = key.trim();
        Self::ALL.iter().copied().find(|v| {
            v.key().eq_ignore_ascii_case(wanted)
                || v.key().replace('_', "-").eq_ignore_ascii_case(wanted)
                || v.label(Lang::De).eq_ignore_ascii_case(wanted)
                || v.label(Lang::En).eq_ignore_ascii_case(wanted)
        })
    }
}

/// The key was not one of the allowed values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown value {value:?}; allowed: {allowed}")]
pub struct UnknownKey {
    /// What was given.
    pub value: String,
    /// The allowed keys, comma-separated.
    pub allowed: String,
}

/// Parses a key of a [`Labelled`] vocabulary.
///
/// # Errors
/// [`UnknownKey`] naming the allowed keys.
pub fn parse_key<T: Labelled>(value: &str) -> Result<T, UnknownKey> {
    T::from_key(value).ok_or_else(|| UnknownKey {
        value: value.to_owned(),
        allowed: T::ALL
            .iter()
            .map(|v| v.key())
            .collect::<Vec<_>>()
            .join(", "),
    })
}

/// Defines a closed vocabulary: an enum with serde keys and German/English labels.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $key:literal, $de:literal, $en:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $key)] $variant, )+
        }

        impl $crate::vocab::Labelled for $name {
            const ALL: &'static [Self] = &[ $( Self::$variant, )+ ];
            fn key(self) -> &'static str {
                match self { $( Self::$variant => $key, )+ }
            }
            fn label(self, lang: $crate::vocab::Lang) -> &'static str {
                match (self, lang) {
                    $( (Self::$variant, $crate::vocab::Lang::De) => $de,
                       (Self::$variant, $crate::vocab::Lang::En) => $en, )+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::vocab::Labelled::key(*self))
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::vocab::UnknownKey;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $crate::vocab::parse_key(s)
            }
        }
    };
}
pub(crate) use vocabulary;

/// Shows a [`Labelled`] value in a language: `Localised(value, Lang::De)`.
#[derive(Debug, Clone, Copy)]
pub struct Localised<T>(pub T, pub Lang);

impl<T: Labelled> fmt::Display for Localised<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.label(self.1))
    }
}
