//! The Jobcenter CSV import: decoding, column mapping, row validation (pure, no I/O besides
//! writing the rejects file), and the deterministic case id of a referral.
//!
//! Real exports come from spreadsheets, so the reader is lenient in form and strict in
//! content:
//! * encodings: UTF-8 with or without BOM, UTF-16 with BOM, otherwise Windows-1252;
//! * separators `;`, `,` or tab, sniffed from the header line;
//! * German or English header names with common aliases, case- and punctuation-insensitive;
//! * German (`31.01.2026`) and ISO (`2026-01-31`) dates;
//! * vocabulary values by key or German/English label, with a few spreadsheet aliases.
//!
//! Every row is validated before anything is written (all-or-nothing by default); each
//! problem is reported with row number (as a spreadsheet counts: the header is row 1), column
//! and a sentence in the user's language.
//!
//! Re-importing is idempotent: the case id is a UUID v5 of the referral key (Jobcenter +
//! customer number + referral date; without a customer number: Jobcenter + referral date +
//! family name + given name + date of birth), so a second import finds the case already there.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use uuid::Uuid;
use wegbereiter_core::prelude::*;

use crate::dates::{DateError, parse_date_strict};
use crate::spreadsheet::{neutralise, restore};

/// Namespace of the referral-key UUIDs (v5). Never change it: it makes re-imports find
/// their cases.
pub const REFERRAL_NAMESPACE: Uuid = Uuid::from_u128(0x5c1e_6b7a_0f3d_4e8a_9b21_7d4c_3a60_e2f1);

/// A column the importer understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    /// Jobcenter.
    Jobcenter,
    /// Case manager.
    CaseManager,
    /// Customer number.
    CustomerNumber,
    /// Referral date.
    ReferralDate,
    /// Reason.
    Reason,
    /// Problem areas.
    ProblemAreas,
    /// Legal basis.
    LegalBasis,
    /// Given name.
    GivenName,
    /// Family name.
    FamilyName,
    /// Date of birth.
    DateOfBirth,
    /// Gender.
    Gender,
    /// Street.
    Street,
    /// Postcode.
    Postcode,
    /// City.
    City,
    /// Phone.
    Phone,
    /// E-mail.
    Email,
}

impl Column {
    /// Every column, in the documented order.
    pub const ALL: [Self; 16] = [
        Self::Jobcenter,
        Self::CaseManager,
        Self::CustomerNumber,
        Self::ReferralDate,
        Self::Reason,
        Self::ProblemAreas,
        Self::LegalBasis,
        Self::GivenName,
        Self::FamilyName,
        Self::DateOfBirth,
        Self::Gender,
        Self::Street,
        Self::Postcode,
        Self::City,
        Self::Phone,
        Self::Email,
    ];

    /// The documented (German) header.
    #[must_use]
    pub fn header(self) -> &'static str {
        match self {
            Self::Jobcenter => "Jobcenter",
            Self::CaseManager => "Fallmanager",
            Self::CustomerNumber => "Kundennummer",
            Self::ReferralDate => "Zuweisungsdatum",
            Self::Reason => "Grund",
            Self::ProblemAreas => "Problembereiche",
            Self::LegalBasis => "Rechtsgrundlage",
            Self::GivenName => "Vorname",
            Self::FamilyName => "Nachname",
            Self::DateOfBirth => "Geburtsdatum",
            Self::Gender => "Geschlecht",
            Self::Street => "Straße",
            Self::Postcode => "PLZ",
            Self::City => "Ort",
            Self::Phone => "Telefon",
            Self::Email => "E-Mail",
        }
    }

    /// Whether every row needs a value.
    #[must_use]
    pub fn required(self) -> bool {
        matches!(
            self,
            Self::Jobcenter
                | Self::CaseManager
                | Self::ReferralDate
                | Self::Reason
                | Self::LegalBasis
                | Self::GivenName
                | Self::FamilyName
        )
    }

    /// Accepted header names, normalised (see [`normalise`]).
    #[must_use]
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Jobcenter => &[
                "jobcenter",
                "jobcentername",
                "jc",
                "dienststelle",
                "traeger",
            ],
            Self::CaseManager => &[
                "fallmanager",
                "fallmanagerin",
                "fallmanagement",
                "casemanager",
                "ansprechpartner",
                "ansprechpartnerin",
                "ansprechperson",
                "integrationsfachkraft",
                "ifk",
                "pap",
                "persoenlicheransprechpartner",
            ],
            Self::CustomerNumber => &[
                "kundennummer",
                "kundennr",
                "kdnr",
                "kunde",
                "customernumber",
                "customerno",
            ],
            Self::ReferralDate => &[
                "zuweisungsdatum",
                "zuweisung",
                "zuweisungam",
                "datumzuweisung",
                "datumderzuweisung",
                "zugewiesenam",
                "referraldate",
            ],
            Self::Reason => &["grund", "zuweisungsgrund", "anlass", "reason"],
            Self::ProblemAreas => &[
                "problembereiche",
                "problembereich",
                "problemlagen",
                "problemlage",
                "handlungsbedarfe",
                "problemareas",
            ],
            Self::LegalBasis => &[
                "rechtsgrundlage",
                "rechtsgrundlagen",
                "foerdergrundlage",
                "paragraf",
                "paragraph",
                "legalbasis",
            ],
            Self::GivenName => &["vorname", "vornamen", "givenname", "firstname"],
            Self::FamilyName => &[
                "nachname",
                "familienname",
                "name",
                "familyname",
                "lastname",
                "surname",
            ],
            Self::DateOfBirth => &[
                "geburtsdatum",
                "gebdatum",
                "gebdat",
                "geboren",
                "geborenam",
                "dateofbirth",
                "birthdate",
                "dob",
            ],
            Self::Gender => &["geschlecht", "gender"],
            Self::Street => &[
                "strasse",
                "strassehausnummer",
                "strasseundhausnummer",
                "strassenr",
                "anschrift",
                "adresse",
                "street",
            ],
            Self::Postcode => &["plz", "postleitzahl", "postcode", "zip", "zipcode"],
            Self::City => &["ort", "wohnort", "stadt", "city", "town"],
            Self::Phone => &[
                "telefon",
                "telefonnummer",
                "tel",
                "telnr",
                "mobil",
                "handy",
                "phone",
            ],
            Self::Email => &["email", "emailadresse", "mail", "mailadresse"],
        }
    }

    /// The column's name for people.
    #[must_use]
    pub fn name(self, lang: Lang) -> &'static str {
        match lang {
            Lang::De => self.header(),
            Lang::En => match self {
                Self::Jobcenter => "Jobcenter",
                Self::CaseManager => "case manager",
                Self::CustomerNumber => "customer number",
                Self::ReferralDate => "referral date",
                Self::Reason => "reason",
                Self::ProblemAreas => "problem areas",
                Self::LegalBasis => "legal basis",
                Self::GivenName => "given name",
                Self::FamilyName => "family name",
                Self::DateOfBirth => "date of birth",
                Self::Gender => "gender",
                Self::Street => "street",
                Self::Postcode => "postcode",
                Self::City => "city",
                Self::Phone => "phone",
                Self::Email => "e-mail",
            },
        }
    }
}

/// Lowercase, umlauts and ß folded, only letters and digits: `"Straße / Nr."` → `"strassenr"`.
#[must_use]
pub fn normalise(s: &str) -> String {
    s.to_lowercase()
        .replace('ä', "ae")
        .replace('ö', "oe")
        .replace('ü', "ue")
        .replace('ß', "ss")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

fn column_for(header: &str) -> Option<Column> {
    let n = normalise(header);
    Column::ALL
        .into_iter()
        .find(|c| c.aliases().contains(&n.as_str()))
}

/// The file as a whole cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    /// No data at all.
    Empty,
    /// Not a text file in a known encoding.
    Encoding,
    /// Header but no data rows.
    NoRows,
    /// Required columns are missing.
    MissingColumns {
        /// Missing columns.
        missing: Vec<Column>,
        /// The headers found.
        found: Vec<String>,
    },
    /// Two headers mean the same column.
    DuplicateColumn {
        /// The column.
        column: Column,
    },
    /// The CSV structure is broken.
    Csv(String),
}

impl FileError {
    /// A sentence for people.
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        let de = lang == Lang::De;
        match self {
            Self::Empty => if de { "Die Datei ist leer." } else { "The file is empty." }.into(),
            Self::Encoding => if de {
                "Die Datei ist keine lesbare CSV-Textdatei (erwartet: UTF-8, UTF-16 mit BOM oder Windows-1252). Bitte in der Tabellenkalkulation als „CSV UTF-8“ speichern."
            } else {
                "The file is not a readable CSV text file (expected UTF-8, UTF-16 with BOM or Windows-1252). Please save it from the spreadsheet as “CSV UTF-8”."
            }
            .into(),
            Self::NoRows => if de {
                "Die Datei enthält nur die Kopfzeile, keine Zuweisungen."
            } else {
                "The file holds only the header line, no referrals."
            }
            .into(),
            Self::MissingColumns { missing, found } => {
                let names: Vec<&str> = missing.iter().map(|c| c.header()).collect();
                if de {
                    format!(
                        "Es fehlen Pflichtspalten: {}. Gefundene Spalten: {}. Erwartete Spalten siehe docs/import.md.",
                        names.join(", "),
                        found.join(", ")
                    )
                } else {
                    format!(
                        "Required columns are missing: {}. Columns found: {}. See docs/import.md for the expected columns.",
                        names.join(", "),
                        found.join(", ")
                    )
                }
            }
            Self::DuplicateColumn { column } => {
                if de {
                    format!("Die Spalte „{}“ kommt mehrfach vor.", column.header())
                } else {
                    format!("The column “{}” appears more than once.", column.header())
                }
            }
            Self::Csv(e) => {
                if de {
                    format!("Die CSV-Struktur ist fehlerhaft: {e}")
                } else {
                    format!("The CSV structure is broken: {e}")
                }
            }
        }
    }
}

/// What is wrong with a cell or a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A required value is missing.
    Empty,
    /// The text is too long.
    TooLong,
    /// The date cannot be read.
    Date(DateError),
    /// The date lies after today.
    FutureDate,
    /// A date of birth core's `check_date_of_birth` refuses (before 1900, or younger than 14).
    ImplausibleBirthDate,
    /// An e-mail address core's `check_email` refuses (no `@`, no domain).
    Email,
    /// Not one of the allowed values.
    Unknown {
        /// What was found.
        value: String,
        /// The allowed values.
        allowed: String,
    },
    /// Not a five-digit postcode.
    Postcode,
    /// Street, postcode and city must be given together.
    PartialAddress,
    /// More fields than columns.
    TooManyFields {
        /// Fields in the row.
        found: usize,
        /// Columns in the header.
        expected: usize,
    },
    /// The same referral appears earlier in the file.
    DuplicateInFile {
        /// Row of the first occurrence.
        first_row: u64,
    },
}

/// One problem of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    /// The column, if the problem is in one.
    pub column: Option<Column>,
    /// What is wrong.
    pub problem: Problem,
}

impl CellError {
    fn new(column: Column, problem: Problem) -> Self {
        Self {
            column: Some(column),
            problem,
        }
    }

    /// A sentence for people (without the row number).
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        let de = lang == Lang::De;
        let what = match &self.problem {
            Problem::Empty => if de {
                "Pflichtangabe fehlt"
            } else {
                "required value missing"
            }
            .to_owned(),
            Problem::TooLong => if de { "Text zu lang" } else { "text too long" }.to_owned(),
            Problem::Date(e) => e.message(lang).to_owned(),
            Problem::FutureDate => if de {
                "das Datum liegt in der Zukunft"
            } else {
                "the date lies in the future"
            }
            .to_owned(),
            Problem::Email => if de {
                "keine E-Mail-Adresse (erwartet: etwa name@example.org)"
            } else {
                "no e-mail address (expected e.g. name@example.org)"
            }
            .to_owned(),
            Problem::ImplausibleBirthDate => {
                use wegbereiter_core::referral::{EARLIEST_BIRTH_YEAR, YOUNGEST_CLIENT_AGE};
                if de {
                    format!(
                        "unplausibles Geburtsdatum (erwartet: Jahr ab {EARLIEST_BIRTH_YEAR}, Alter mindestens {YOUNGEST_CLIENT_AGE} Jahre)"
                    )
                } else {
                    format!(
                        "implausible date of birth (expected: year from {EARLIEST_BIRTH_YEAR} on, age at least {YOUNGEST_CLIENT_AGE})"
                    )
                }
            }
            Problem::Unknown { value, allowed } => {
                if de {
                    format!("unbekannter Wert „{value}“; erlaubt: {allowed}")
                } else {
                    format!("unknown value “{value}”; allowed: {allowed}")
                }
            }
            Problem::Postcode => if de {
                "keine fünfstellige Postleitzahl"
            } else {
                "not a five-digit postcode"
            }
            .to_owned(),
            Problem::PartialAddress => if de {
                "Straße, PLZ und Ort nur zusammen angeben"
            } else {
                "street, postcode and city go together"
            }
            .to_owned(),
            Problem::TooManyFields { found, expected } => {
                if de {
                    format!(
                        "{found} Felder statt {expected} (Trennzeichen im Text ohne Anführungszeichen?)"
                    )
                } else {
                    format!(
                        "{found} fields instead of {expected} (separator inside unquoted text?)"
                    )
                }
            }
            Problem::DuplicateInFile { first_row } => {
                if de {
                    format!("dieselbe Zuweisung steht schon in Zeile {first_row}")
                } else {
                    format!("the same referral is already in row {first_row}")
                }
            }
        };
        match self.column {
            Some(c) => {
                if de {
                    format!("Spalte {}: {what}", c.name(lang))
                } else {
                    format!("column {}: {what}", c.name(lang))
                }
            }
            None => what,
        }
    }
}

/// A valid row: the referral and its case id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRow {
    /// The referral.
    pub referral: Referral,
    /// Its deterministic case id.
    pub case_id: CaseId,
}

/// One data row of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Row number as a spreadsheet counts (the header is row 1).
    pub row: u64,
    /// The raw fields.
    pub raw: Vec<String>,
    /// The referral, or every problem found.
    pub outcome: Result<ValidRow, Vec<CellError>>,
}

/// A parsed file.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The encoding found.
    pub encoding: &'static str,
    /// The separator found.
    pub separator: u8,
    /// The header fields as found.
    pub headers: Vec<String>,
    /// Headers that map to no column (ignored).
    pub ignored_columns: Vec<String>,
    /// The data rows (blank rows left out).
    pub rows: Vec<Row>,
}

impl Parsed {
    /// Rows with problems.
    pub fn invalid(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| r.outcome.is_err())
    }

    /// Number of rows with problems.
    #[must_use]
    pub fn invalid_count(&self) -> usize {
        self.invalid().count()
    }
}

/// Decodes the file's bytes to text, returning the text and the encoding's name.
///
/// # Errors
/// [`FileError::Empty`] or [`FileError::Encoding`].
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), FileError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(FileError::Empty);
    }
    let (text, name) = if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let rest = bytes.get(bom..).unwrap_or_default();
        let (text, had_errors) = encoding.decode_without_bom_handling(rest);
        if had_errors {
            return Err(FileError::Encoding);
        }
        (text.into_owned(), encoding.name())
    } else if bytes.contains(&0) {
        // NUL bytes: binary data, or UTF-16 without a byte-order mark.
        return Err(FileError::Encoding);
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        (text.to_owned(), "UTF-8")
    } else {
        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
        (text.into_owned(), "windows-1252")
    };
    // Control characters other than tab and line breaks do not occur in a spreadsheet's CSV;
    // they mean the guess was wrong (or the file is not text at all).
    if text
        .chars()
        .any(|c| (c.is_control() && !matches!(c, '\t' | '\r' | '\n')) || c == '\u{FFFD}')
    {
        return Err(FileError::Encoding);
    }
    if text.trim().is_empty() {
        return Err(FileError::Empty);
    }
    Ok((text, name))
}

/// Picks the separator that occurs most often in the header line (`;` wins ties).
#[must_use]
pub fn sniff_separator(text: &str) -> u8 {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |c: char| header.chars().filter(|x| *x == c).count();
    [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|sep| (count(char::from(*sep)), u8::MAX - *sep))
        .unwrap_or(b';')
}

/// The separator named by a leading `sep=X` line, and the text after that line.
fn split_sep_line(text: &str) -> Option<(u8, &str)> {
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    // Not `trim()`: the separator may be a tab.
    let value = first.trim_end_matches('\r');
    let sep = value
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("sep="))
        .map(|_| &value[4..])?;
    match sep.as_bytes() {
        [b] if matches!(b, b';' | b',' | b'\t' | b'|') => Some((*b, rest)),
        _ => None,
    }
}

/// Parses and validates a whole file. `today` bounds referral dates and dates of birth.
///
/// # Errors
/// A [`FileError`] when the file as a whole cannot be read; row problems are in
/// [`Row::outcome`].
pub fn parse(bytes: &[u8], today: NaiveDate) -> Result<Parsed, FileError> {
    let (text, encoding) = decode(bytes)?;
    // Excel writes (and reads) a first line `sep=;` naming the separator; it is not a row,
    // and spreadsheets do not show it, so rows are numbered from the header below it.
    let (text, separator) = match split_sep_line(&text) {
        Some((sep, rest)) => (rest.to_owned(), sep),
        None => {
            let sep = sniff_separator(&text);
            (text, sep)
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = loop {
        match records.next() {
            None => return Err(FileError::Empty),
            Some(Err(e)) => return Err(FileError::Csv(e.to_string())),
            Some(Ok(r)) if r.iter().all(|f| f.trim().is_empty()) => {}
            Some(Ok(r)) => break r,
        }
    };
    // A rejects file written by this program quotes cells that start like a formula
    // (`crate::spreadsheet`); reading one back takes that quote off again.
    let headers: Vec<String> = header
        .iter()
        .map(|h| restore(h).trim().to_owned())
        .collect();
    let mut index: HashMap<Column, usize> = HashMap::new();
    let mut ignored = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        match column_for(h) {
            Some(c) => {
                if index.insert(c, i).is_some() {
                    return Err(FileError::DuplicateColumn { column: c });
                }
            }
            None if h.is_empty() => {}
            None => ignored.push(h.clone()),
        }
    }
    let missing: Vec<Column> = Column::ALL
        .into_iter()
        .filter(|c| c.required() && !index.contains_key(c))
        .collect();
    if !missing.is_empty() {
        return Err(FileError::MissingColumns {
            missing,
            found: headers.iter().filter(|h| !h.is_empty()).cloned().collect(),
        });
    }
    let mut rows = Vec::new();
    let mut seen: HashMap<CaseId, u64> = HashMap::new();
    let mut row_number = header.position().map_or(1, csv::Position::line);
    for record in records {
        let record = record.map_err(|e| FileError::Csv(e.to_string()))?;
        // Row numbers as a spreadsheet shows them: the header's line plus data rows (a quoted
        // field with a line break is still one row).
        row_number += 1;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let raw: Vec<String> = record.iter().map(|c| restore(c).to_owned()).collect();
        let mut outcome = validate_row(&raw, &index, headers.len(), today);
        if let Ok(valid) = &outcome {
            if let Some(first_row) = seen.get(&valid.case_id) {
                outcome = Err(vec![CellError {
                    column: None,
                    problem: Problem::DuplicateInFile {
                        first_row: *first_row,
                    },
                }]);
            } else {
                seen.insert(valid.case_id, row_number);
            }
        }
        rows.push(Row {
            row: row_number,
            raw,
            outcome,
        });
    }
    if rows.is_empty() {
        return Err(FileError::NoRows);
    }
    Ok(Parsed {
        encoding,
        separator,
        headers,
        ignored_columns: ignored,
        rows,
    })
}

struct Cells<'a> {
    raw: &'a [String],
    index: &'a HashMap<Column, usize>,
    errors: Vec<CellError>,
}

impl Cells<'_> {
    fn get(&self, c: Column) -> &str {
        self.index
            .get(&c)
            .and_then(|i| self.raw.get(*i))
            .map_or("", |s| s.trim())
    }

    fn required(&mut self, c: Column) -> Option<Text> {
        match Text::parse(self.get(c)) {
            Ok(t) => Some(t),
            Err(FieldError::Empty) => {
                self.errors.push(CellError::new(c, Problem::Empty));
                None
            }
            Err(_) => {
                self.errors.push(CellError::new(c, Problem::TooLong));
                None
            }
        }
    }

    fn optional(&mut self, c: Column) -> Option<Text> {
        match Text::parse_optional(self.get(c)) {
            Ok(t) => t,
            Err(_) => {
                self.errors.push(CellError::new(c, Problem::TooLong));
                None
            }
        }
    }

    fn date(&mut self, c: Column, today: NaiveDate) -> Option<NaiveDate> {
        let v = self.get(c);
        if v.is_empty() {
            if c.required() {
                self.errors.push(CellError::new(c, Problem::Empty));
            }
            return None;
        }
        match parse_date_strict(v) {
            Ok(d) if d > today => {
                self.errors.push(CellError::new(c, Problem::FutureDate));
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                self.errors.push(CellError::new(c, Problem::Date(e)));
                None
            }
        }
    }

    fn vocab<T: Labelled>(&mut self, c: Column, alias: impl Fn(&str) -> Option<T>) -> Option<T> {
        let v = self.get(c).to_owned();
        if v.is_empty() {
            if c.required() {
                self.errors.push(CellError::new(c, Problem::Empty));
            }
            return None;
        }
        let found = T::from_key(&v).or_else(|| alias(&normalise(&v)));
        if found.is_none() {
            self.errors.push(CellError::new(c, unknown::<T>(&v)));
        }
        found
    }
}

fn unknown<T: Labelled>(value: &str) -> Problem {
    Problem::Unknown {
        value: value.to_owned(),
        allowed: T::ALL
            .iter()
            .map(|v| format!("{} ({})", v.key(), v.label(Lang::De)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn reason_alias(n: &str) -> Option<ReferralReason> {
    Some(match n {
        "kontaktabbruch" | "kontaktverloren" | "kontaktabgebrochen" | "keinkontakt" => {
            ReferralReason::ContactLost
        }
        "schwierigerkontakt" | "kontaktschwierig" | "kontakterschwert" => {
            ReferralReason::ContactDifficult
        }
        "unterstuetzung" | "unterstuetzungsbedarf" | "hilfebedarf" | "betreuungsbedarf" => {
            ReferralReason::SupportNeed
        }
        _ => return None,
    })
}

fn problem_alias(n: &str) -> Option<ProblemArea> {
    Some(match n {
        "schulden" | "verschuldung" | "finanzen" => ProblemArea::Debt,
        "krankheit" | "erkrankung" | "gesundheit" | "koerperlichegesundheit" => {
            ProblemArea::Illness
        }
        "psyche" | "psychischegesundheit" | "psychischeerkrankung" | "psychisch" => {
            ProblemArea::MentalHealth
        }
        "sprache" | "sprachkenntnisse" | "deutschkenntnisse" => ProblemArea::Language,
        "familie" | "familiaerekrise" | "familiaereprobleme" | "krise" => ProblemArea::FamilyCrisis,
        "wohnen" | "wohnung" | "wohnungslosigkeit" | "wohnungsnot" => ProblemArea::Housing,
        "sucht" | "abhaengigkeit" => ProblemArea::Addiction,
        "sonstiges" | "sonstige" | "andere" => ProblemArea::Other,
        _ => return None,
    })
}

fn gender_alias(n: &str) -> Option<Gender> {
    Some(match n {
        "w" | "f" | "frau" | "weibl" => Gender::Female,
        "m" | "mann" | "maennl" => Gender::Male,
        "d" | "x" | "divers" | "nonbinary" => Gender::NonBinary,
        _ => return None,
    })
}

/// Reads legal bases as spreadsheets write them: `§16k SGB II`, `16 k`, `§ 16 i.V.m. § 45`.
fn legal_basis_alias(raw: &str) -> Option<LegalBasis> {
    let lower = raw.to_lowercase();
    if lower.contains("esf") {
        return Some(LegalBasis::EsfOnly);
    }
    // Section numbers with an optional single letter: "16 a" → "16a", "16 SGB" → "16".
    let chars: Vec<char> = lower.chars().collect();
    let mut numbers: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut token = String::new();
        while i < chars.len() && chars[i].is_ascii_digit() {
            token.push(chars[i]);
            i += 1;
        }
        let mut j = i;
        while j < chars.len() && chars[j] == ' ' {
            j += 1;
        }
        if let Some(letter) = chars.get(j).filter(|c| c.is_ascii_alphabetic())
            && !chars.get(j + 1).is_some_and(|c| c.is_alphabetic())
        {
            token.push(*letter);
            i = j + 1;
        }
        numbers.push(token);
    }
    let numbers: Vec<&str> = numbers.iter().map(String::as_str).collect();
    match numbers.as_slice() {
        ["16a", ..] => Some(LegalBasis::Sgb2Section16a),
        ["16k", ..] => Some(LegalBasis::Sgb2Section16k),
        ["16h", ..] => Some(LegalBasis::Sgb2Section16h),
        ["16", "45", ..] | ["45", ..] => Some(LegalBasis::Sgb2Section16WithSgb3Section45),
        _ => None,
    }
}

fn validate_row(
    raw: &[String],
    index: &HashMap<Column, usize>,
    columns: usize,
    today: NaiveDate,
) -> Result<ValidRow, Vec<CellError>> {
    let mut cells = Cells {
        raw,
        index,
        errors: Vec::new(),
    };
    if raw.len() > columns && raw.iter().skip(columns).any(|f| !f.trim().is_empty()) {
        cells.errors.push(CellError {
            column: None,
            problem: Problem::TooManyFields {
                found: raw.len(),
                expected: columns,
            },
        });
    }
    let jobcenter = cells.required(Column::Jobcenter);
    let case_manager = cells.required(Column::CaseManager);
    let customer_number = cells.optional(Column::CustomerNumber);
    let referral_date = cells.date(Column::ReferralDate, today);
    let reason = cells.vocab(Column::Reason, reason_alias);
    let legal_value = cells.get(Column::LegalBasis).to_owned();
    let legal_basis = if legal_value.is_empty() {
        cells
            .errors
            .push(CellError::new(Column::LegalBasis, Problem::Empty));
        None
    } else {
        let found = LegalBasis::from_key(&legal_value).or_else(|| legal_basis_alias(&legal_value));
        if found.is_none() {
            cells.errors.push(CellError::new(
                Column::LegalBasis,
                unknown::<LegalBasis>(&legal_value),
            ));
        }
        found
    };
    let mut problem_areas = Vec::new();
    for part in cells
        .get(Column::ProblemAreas)
        .split([',', '|', '/', '+', ';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect::<Vec<_>>()
    {
        match ProblemArea::from_key(&part).or_else(|| problem_alias(&normalise(&part))) {
            Some(area) if !problem_areas.contains(&area) => problem_areas.push(area),
            Some(_) => {}
            None => cells.errors.push(CellError::new(
                Column::ProblemAreas,
                unknown::<ProblemArea>(&part),
            )),
        }
    }
    let given_name = cells.required(Column::GivenName);
    let family_name = cells.required(Column::FamilyName);
    let date_of_birth = cells.date(Column::DateOfBirth, today);
    if let Some(dob) = date_of_birth
        && wegbereiter_core::referral::check_date_of_birth(dob, today).is_err()
    {
        cells.errors.push(CellError::new(
            Column::DateOfBirth,
            Problem::ImplausibleBirthDate,
        ));
    }
    let gender = cells.vocab(Column::Gender, gender_alias);
    let address_parts = [Column::Street, Column::Postcode, Column::City];
    let given: Vec<bool> = address_parts
        .iter()
        .map(|c| !cells.get(*c).is_empty())
        .collect();
    let address = if given.iter().all(|g| *g) {
        let street = cells.required(Column::Street);
        let city = cells.required(Column::City);
        let postcode = match Postcode::parse(cells.get(Column::Postcode)) {
            Ok(p) => Some(p),
            Err(_) => {
                cells
                    .errors
                    .push(CellError::new(Column::Postcode, Problem::Postcode));
                None
            }
        };
        match (street, postcode, city) {
            (Some(street), Some(postcode), Some(city)) => Some(Address {
                street,
                postcode,
                city,
            }),
            _ => None,
        }
    } else {
        if given.iter().any(|g| *g) {
            for (c, g) in address_parts.iter().zip(&given) {
                if !g {
                    cells
                        .errors
                        .push(CellError::new(*c, Problem::PartialAddress));
                }
            }
        }
        None
    };
    let phone = cells.optional(Column::Phone);
    let email = cells.optional(Column::Email);
    if let Some(email) = &email
        && wegbereiter_core::referral::check_email(email.as_str()).is_err()
    {
        cells
            .errors
            .push(CellError::new(Column::Email, Problem::Email));
    }
    match (
        cells.errors.is_empty(),
        jobcenter,
        case_manager,
        referral_date,
        reason,
        legal_basis,
        given_name,
        family_name,
    ) {
        (
            true,
            Some(jobcenter),
            Some(case_manager),
            Some(referral_date),
            Some(reason),
            Some(legal_basis),
            Some(given_name),
            Some(family_name),
        ) => {
            let referral = Referral {
                jobcenter,
                case_manager,
                customer_number,
                referral_date,
                reason,
                problem_areas,
                legal_basis,
                client: ClientIdentity {
                    letter_language: None,
                    given_name,
                    family_name,
                    date_of_birth,
                    gender,
                    address,
                    phone,
                    email,
                },
            };
            Ok(ValidRow {
                case_id: referral_case_id(&referral),
                referral,
            })
        }
        _ => Err(cells.errors),
    }
}

fn key_part(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The referral key: Jobcenter + customer number + referral date, or, without a customer
/// number, Jobcenter + referral date + family name + given name + date of birth.
#[must_use]
pub fn referral_key(r: &Referral) -> String {
    let jobcenter = key_part(r.jobcenter.as_str());
    let date = r.referral_date.format("%Y-%m-%d");
    match &r.customer_number {
        Some(number) => {
            let number: String = number
                .as_str()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_uppercase();
            format!("jc={jobcenter}|kdnr={number}|date={date}")
        }
        None => format!(
            "jc={jobcenter}|date={date}|family={}|given={}|dob={}",
            key_part(r.client.family_name.as_str()),
            key_part(r.client.given_name.as_str()),
            r.client
                .date_of_birth
                .map_or_else(|| "-".to_owned(), |d| d.format("%Y-%m-%d").to_string())
        ),
    }
}

/// The case id of a referral: a UUID v5 of its [`referral_key`].
#[must_use]
pub fn referral_case_id(r: &Referral) -> CaseId {
    CaseId::from_uuid(Uuid::new_v5(
        &REFERRAL_NAMESPACE,
        referral_key(r).as_bytes(),
    ))
}

/// Writes the invalid rows of `parsed` to `path`: the original columns plus the row number
/// and the problems, in the file's separator, as UTF-8 with BOM (so spreadsheets open it).
/// Cells that a spreadsheet would read as a formula get a `'` in front
/// ([`crate::spreadsheet::neutralise`]); a new file is readable by its owner only (0600 on
/// Unix), an existing one is replaced and keeps its mode.
///
/// # Errors
/// The I/O error.
pub fn write_rejects(parsed: &Parsed, path: &Path, lang: Lang) -> std::io::Result<()> {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(parsed.separator)
            .flexible(true)
            .from_writer(&mut bytes);
        let mut header = parsed.headers.clone();
        header.push(match lang {
            Lang::De => "Zeile (Original)".to_owned(),
            Lang::En => "Row (original)".to_owned(),
        });
        header.push(match lang {
            Lang::De => "Fehler".to_owned(),
            Lang::En => "Errors".to_owned(),
        });
        w.write_record(header.iter().map(|c| neutralise(c).into_owned()))?;
        for row in parsed.invalid() {
            let Err(errors) = &row.outcome else { continue };
            let mut fields = row.raw.clone();
            fields.resize(parsed.headers.len(), String::new());
            fields.push(row.row.to_string());
            fields.push(
                errors
                    .iter()
                    .map(|e| e.message(lang))
                    .collect::<Vec<_>>()
                    .join("; "),
            );
            w.write_record(fields.iter().map(|c| neutralise(c).into_owned()))?;
        }
        w.flush()?;
    }
    crate::files::write_private(path, &bytes)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const HEADER: &str = "Jobcenter;Fallmanager;Kundennummer;Zuweisungsdatum;Grund;Problembereiche;Rechtsgrundlage;Vorname;Nachname;Geburtsdatum;Geschlecht;Straße;PLZ;Ort;Telefon;E-Mail";

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 15).unwrap()
    }

    fn file(rows: &[&str]) -> Vec<u8> {
        let mut s = HEADER.to_owned();
        for r in rows {
            s.push('\n');
            s.push_str(r);
        }
        s.into_bytes()
    }

    const GOOD: &str = "Jobcenter Beispielstadt;Frau Muster;123D456789;02.03.2026;Kontakt abgebrochen;Schulden, Wohnen;§16k SGB II;Erika;Musterfrau;01.05.1980;w;Musterweg 1;99001;Beispielstadt;0151 000000;erika@example.invalid";

    #[test]
    fn an_email_address_without_its_form_is_the_rows_error() {
        let bad = GOOD.replace("erika@example.invalid", "kein-at-zeichen");
        let parsed = parse(&file(&[&bad]), today()).unwrap();
        let errors = parsed.rows[0].outcome.as_ref().err().unwrap();
        assert!(
            errors
                .iter()
                .any(|e| e.column == Some(Column::Email) && e.problem == Problem::Email),
            "{errors:?}"
        );
    }

    #[test]
    fn a_good_row_becomes_a_referral() {
        let parsed = parse(&file(&[GOOD]), today()).unwrap();
        assert_eq!(parsed.separator, b';');
        assert_eq!(parsed.rows.len(), 1);
        let row = &parsed.rows[0];
        assert_eq!(row.row, 2);
        let valid = row.outcome.as_ref().unwrap();
        let r = &valid.referral;
        assert_eq!(r.reason, ReferralReason::ContactLost);
        assert_eq!(r.legal_basis, LegalBasis::Sgb2Section16k);
        assert_eq!(
            r.problem_areas,
            vec![ProblemArea::Debt, ProblemArea::Housing]
        );
        assert_eq!(r.client.gender, Some(Gender::Female));
        assert_eq!(
            r.client.address.as_ref().unwrap().postcode.as_str(),
            "99001"
        );
        assert_eq!(
            r.referral_date,
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
        );
    }

    #[test]
    fn the_case_id_is_stable_and_keyed_by_jobcenter_customer_number_and_date() {
        let a = parse(&file(&[GOOD]), today()).unwrap();
        let other_name = GOOD.replace("Erika;Musterfrau", "Erika;Beispiel");
        let b = parse(&file(&[&other_name]), today()).unwrap();
        let id = |p: &Parsed| p.rows[0].outcome.as_ref().unwrap().case_id;
        assert_eq!(
            id(&a),
            id(&b),
            "the key ignores names when a customer number exists"
        );
        let later = GOOD.replace("02.03.2026", "2026-03-03");
        let c = parse(&file(&[&later]), today()).unwrap();
        assert_ne!(id(&a), id(&c));
        assert_eq!(id(&a).as_uuid().get_version_num(), 5);
    }

    #[test]
    fn comma_separated_windows_1252_with_english_headers_and_iso_dates() {
        let text = "jobcenter,case manager,customer number,referral date,reason,problem areas,legal basis,given name,family name,date of birth\n\
                    Jobcenter Beispielstadt,Herr Beispiel,,2026-03-01,support_need,\"debt, illness\",sgb2_16a,Jörg,Weiß,1975-12-24\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        let parsed = parse(&bytes, today()).unwrap();
        assert_eq!(parsed.encoding, "windows-1252");
        assert_eq!(parsed.separator, b',');
        let r = &parsed.rows[0].outcome.as_ref().unwrap().referral;
        assert_eq!(r.client.given_name.as_str(), "Jörg");
        assert_eq!(r.client.family_name.as_str(), "Weiß");
        assert_eq!(
            r.problem_areas,
            vec![ProblemArea::Debt, ProblemArea::Illness]
        );
    }

    #[test]
    fn an_excel_sep_line_names_the_separator_and_is_not_a_row() {
        let plain = file(&[GOOD]);
        let with_sep = [b"sep=;\r\n".as_slice(), &plain].concat();
        let parsed = parse(&with_sep, today()).unwrap();
        assert_eq!(parsed.separator, b';');
        assert_eq!(parsed.rows.len(), 1);
        assert_eq!(
            parsed.rows[0].row, 2,
            "the header is row 1, as Excel shows it"
        );
        assert!(parsed.rows[0].outcome.is_ok());
        // Any case, other separators.
        let tabs = String::from_utf8(plain).unwrap().replace(';', "\t");
        let parsed = parse(format!("SEP=\t\n{tabs}").as_bytes(), today()).unwrap();
        assert_eq!(parsed.separator, b'\t');
        assert!(parsed.rows[0].outcome.is_ok());
    }

    #[test]
    fn utf8_bom_and_utf16_bom_are_read() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend(file(&[GOOD]));
        assert_eq!(parse(&bytes, today()).unwrap().rows.len(), 1);
        let text = String::from_utf8(file(&[GOOD])).unwrap().replace(';', "\t");
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        let parsed = parse(&utf16, today()).unwrap();
        assert_eq!(parsed.separator, b'\t');
        assert!(parsed.rows[0].outcome.is_ok());
    }

    #[test]
    fn files_that_cannot_be_read() {
        assert_eq!(parse(b"", today()).unwrap_err(), FileError::Empty);
        assert_eq!(parse(b" \n\r\n", today()).unwrap_err(), FileError::Empty);
        assert_eq!(
            parse(HEADER.as_bytes(), today()).unwrap_err(),
            FileError::NoRows
        );
        let utf16_no_bom: Vec<u8> = HEADER.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(
            parse(&utf16_no_bom, today()).unwrap_err(),
            FileError::Encoding
        );
        assert_eq!(
            parse(&[0x89, b'P', b'N', b'G', 0x1A, 0x0A], today()).unwrap_err(),
            FileError::Encoding
        );
        let missing = parse(b"Vorname;Nachname\nErika;Musterfrau\n", today()).unwrap_err();
        let FileError::MissingColumns { missing, .. } = missing else {
            panic!()
        };
        assert!(missing.contains(&Column::Jobcenter));
        assert!(missing.contains(&Column::ReferralDate));
        assert!(!missing.contains(&Column::GivenName));
    }

    #[test]
    fn every_problem_of_every_row_is_reported() {
        let bad_date = GOOD.replace("02.03.2026", "31.02.2026");
        let future = GOOD
            .replace("02.03.2026", "01.01.2027")
            .replace("123D456789", "X1");
        let many = "Jobcenter Beispielstadt;;X2;gestern;Pech;Schulden, Glück;§99;;Beispiel;01.01.1850;q;Musterweg 1;9900;;;;x";
        let parsed = parse(&file(&[GOOD, &bad_date, &future, many, GOOD]), today()).unwrap();
        assert_eq!(parsed.invalid_count(), 4);
        let errors = |i: usize| parsed.rows[i].outcome.clone().unwrap_err();
        assert_eq!(errors(1)[0].problem, Problem::Date(DateError::NoSuchDay));
        assert_eq!(errors(2)[0].problem, Problem::FutureDate);
        let e = errors(3);
        let columns: Vec<_> = e.iter().filter_map(|x| x.column).collect();
        for c in [
            Column::CaseManager,
            Column::ReferralDate,
            Column::Reason,
            Column::ProblemAreas,
            Column::LegalBasis,
            Column::GivenName,
            Column::DateOfBirth,
            Column::Gender,
            Column::City,
        ] {
            assert!(columns.contains(&c), "{c:?} in {e:?}");
        }
        assert!(e.iter().any(|x| x.problem
            == Problem::TooManyFields {
                found: 17,
                expected: 16
            }));
        assert_eq!(
            errors(4)[0].problem,
            Problem::DuplicateInFile { first_row: 2 },
            "row 6 repeats row 2"
        );
        let de = e
            .iter()
            .find(|x| x.column == Some(Column::CaseManager))
            .unwrap()
            .message(Lang::De);
        assert!(de.starts_with("Spalte Fallmanager"), "{de}");
    }

    #[test]
    fn legal_bases_as_people_write_them() {
        for (raw, want) in [
            ("§16k SGB II", LegalBasis::Sgb2Section16k),
            ("16 a", LegalBasis::Sgb2Section16a),
            ("§ 16h SGB II", LegalBasis::Sgb2Section16h),
            (
                "§16 SGB II i.V.m. §45 SGB III",
                LegalBasis::Sgb2Section16WithSgb3Section45,
            ),
            ("ESF Plus", LegalBasis::EsfOnly),
        ] {
            assert_eq!(legal_basis_alias(raw), Some(want), "{raw}");
        }
        assert_eq!(legal_basis_alias("§ 99"), None);
    }

    #[test]
    fn rejects_keep_the_columns_and_add_the_errors() {
        let bad = GOOD.replace("99001", "9900");
        let parsed = parse(&file(&[GOOD, &bad]), today()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.csv");
        write_rejects(&parsed, &path, Lang::De).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].ends_with("Zeile (Original);Fehler"));
        assert!(lines[1].contains(";3;Spalte PLZ"), "{}", lines[1]);
    }
}
