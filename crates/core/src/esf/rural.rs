//! Rural areas (EECO17): the installation's table of postcodes by the degree of
//! urbanisation of their area, from which frontends suggest the ESF entry item
//! [`EsfEntryRecord::rural_area`](crate::closure::EsfEntryRecord::rural_area).
//!
//! Annex I counts participants "from rural areas" by the degree of urbanisation (DEGURBA:
//! 1 cities, 2 towns and suburbs, 3 rural areas). The classification is published per
//! municipality (Eurostat/GISCO, LAU) and reaches postcodes through the postcode–LAU
//! correspondence (TERCET); Wegbereiter ships no such table, because a project serves a
//! region and its granting body names the edition to use. The operator loads the rows of the
//! project's region (`postcode;class`), with the source named, and every questionnaire
//! suggests the answer for the client's postcode; the key worker may correct it, and
//! "keine Angabe" stays possible (well-founded estimates are allowed for EECO12–17).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::vocab::Lang;

/// The degree of urbanisation of a postcode's area (DEGURBA level 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urbanisation {
    /// 1: cities (densely populated).
    City,
    /// 2: towns and suburbs (intermediate density).
    TownOrSuburb,
    /// 3: rural areas (thinly populated).
    Rural,
}

/// The installation's table of postcodes by degree of urbanisation, with its source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuralPostcodes {
    /// Where the classification comes from (edition and correspondence used).
    pub source: String,
    /// The postcodes (five digits) and the degree of urbanisation of their area.
    pub postcodes: BTreeMap<String, Urbanisation>,
}

/// Why a table of rural postcodes was refused, with the line (from 1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuralTableError {
    /// A line is not `postcode;class`.
    #[error("line {line}: expected a five-digit postcode and a class 1, 2 or 3")]
    Line {
        /// The line number.
        line: usize,
    },
    /// The same postcode twice with different classes.
    #[error("line {line}: postcode {postcode} is already classified otherwise")]
    Conflict {
        /// The line number.
        line: usize,
        /// The postcode.
        postcode: String,
    },
    /// No source named.
    #[error("the table needs its source")]
    NoSource,
    /// No row.
    #[error("the table has no postcode")]
    Empty,
}

impl RuralTableError {
    /// The message in `lang`.
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::Line { line }, Lang::De) => format!(
                "Zeile {line}: erwartet werden eine fünfstellige Postleitzahl und der \
                 Urbanisierungsgrad 1, 2 oder 3 (z. B. „12345;3“)."
            ),
            (Self::Conflict { line, postcode }, Lang::De) => {
                format!("Zeile {line}: Die Postleitzahl {postcode} ist schon anders eingestuft.")
            }
            (Self::NoSource, Lang::De) => {
                "Bitte die Quelle der Einstufung angeben (Ausgabe und Zuordnung).".to_owned()
            }
            (Self::Empty, Lang::De) => "Die Tabelle enthält keine Postleitzahl.".to_owned(),
            (e, Lang::En) => {
                let mut s = e.to_string();
                if let Some(first) = s.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                format!("{s}.")
            }
        }
    }
}

impl RuralPostcodes {
    /// Reads a table of `postcode;class` lines (`;`, `,` or a tab between; class 1, 2 or 3
    /// as in DEGURBA), with `source` naming its origin. Empty lines and `#` comments are
    /// skipped, and so is a first line that is a heading.
    ///
    /// # Errors
    /// [`RuralTableError`] naming the first line that is not a row, a postcode classified
    /// twice otherwise, a missing source or an empty table.
    pub fn parse(text: &str, source: &str) -> Result<Self, RuralTableError> {
        let source = source.trim();
        if source.is_empty() {
            return Err(RuralTableError::NoSource);
        }
        let mut postcodes = BTreeMap::new();
        for (i, raw) in text.trim_start_matches('\u{feff}').lines().enumerate() {
            let line = i + 1;
            let row = raw.trim();
            if row.is_empty() || row.starts_with('#') {
                continue;
            }
            let mut parts = row.split([';', ',', '\t']).map(str::trim);
            let (Some(postcode), Some(class), None) = (parts.next(), parts.next(), parts.next())
            else {
                return Err(RuralTableError::Line { line });
            };
            let postcode = postcode.trim_matches('"');
            let class = class.trim_matches('"');
            let valid = postcode.len() == 5 && postcode.bytes().all(|b| b.is_ascii_digit());
            let class = match class {
                "1" => Some(Urbanisation::City),
                "2" => Some(Urbanisation::TownOrSuburb),
                "3" => Some(Urbanisation::Rural),
                _ => None,
            };
            let (true, Some(class)) = (valid, class) else {
                if line == 1 && postcodes.is_empty() {
                    continue; // a heading
                }
                return Err(RuralTableError::Line { line });
            };
            match postcodes.insert(postcode.to_owned(), class) {
                Some(before) if before != class => {
                    return Err(RuralTableError::Conflict {
                        line,
                        postcode: postcode.to_owned(),
                    });
                }
                _ => {}
            }
        }
        if postcodes.is_empty() {
            return Err(RuralTableError::Empty);
        }
        Ok(Self {
            source: source.to_owned(),
            postcodes,
        })
    }

    /// The suggested answer for a client with `postcode`: rural or not by the table, or
    /// `None` ("keine Angabe") when there is no postcode or the table does not hold it.
    #[must_use]
    pub fn suggest(&self, postcode: Option<&str>) -> Option<bool> {
        let class = self.postcodes.get(postcode?.trim())?;
        Some(*class == Urbanisation::Rural)
    }

    /// The suggested answer for the client of `case`, by the postcode of the address the
    /// referral gives (see [`RuralPostcodes::suggest`]).
    #[must_use]
    pub fn suggest_for(&self, case: &crate::case::Case) -> Option<bool> {
        let address = case.referral.client.address.as_ref();
        self.suggest(address.map(|a| a.postcode.as_str()))
    }

    /// How many postcodes the table classifies as rural.
    #[must_use]
    pub fn rural_count(&self) -> usize {
        self.postcodes
            .values()
            .filter(|c| **c == Urbanisation::Rural)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_suggests_rural_by_postcode() {
        let t = RuralPostcodes::parse(
            "PLZ;DEGURBA\n12345;3\n12346,1\n\n# Kommentar\n12347\t2\n",
            "Eurostat DEGURBA 2021",
        )
        .unwrap();
        assert_eq!(t.suggest(Some("12345")), Some(true));
        assert_eq!(t.suggest(Some("12346")), Some(false));
        assert_eq!(t.suggest(Some("12347")), Some(false));
        assert_eq!(t.suggest(Some("99999")), None);
        assert_eq!(t.suggest(None), None);
        assert_eq!(t.rural_count(), 1);
    }

    #[test]
    fn a_bad_table_names_its_line() {
        assert_eq!(
            RuralPostcodes::parse("12345;3\n1234;3\n", "x"),
            Err(RuralTableError::Line { line: 2 })
        );
        assert_eq!(
            RuralPostcodes::parse("12345;3\n12345;1\n", "x"),
            Err(RuralTableError::Conflict {
                line: 2,
                postcode: "12345".into()
            })
        );
        assert_eq!(
            RuralPostcodes::parse("12345;4\n", "x"),
            Err(RuralTableError::Empty),
            "a first line that is no row reads as a heading"
        );
        assert_eq!(
            RuralPostcodes::parse("12345;3\n", " "),
            Err(RuralTableError::NoSource)
        );
        assert!(
            RuralPostcodes::parse("12345;3", "x").unwrap().source == "x"
                && RuralTableError::Line { line: 3 }
                    .message(Lang::De)
                    .contains("Zeile 3")
        );
    }
}
