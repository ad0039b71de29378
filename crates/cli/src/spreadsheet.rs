//! Cells of the CSV files the program writes, made safe for spreadsheets.
//!
//! A spreadsheet treats a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
//! as a formula (OWASP "CSV injection"): a referral file with `=HYPERLINK(…)` in a name would
//! become a live link in the rejects file a colleague opens. Every cell written goes through
//! [`neutralise`], which puts a single quote `'` in front of such a cell (the OWASP
//! recommendation); [`restore`] takes it off again, so that nothing is lost and a corrected
//! rejects file imports the original values.

use std::borrow::Cow;

/// Whether a spreadsheet would read a cell starting with `c` as a formula.
fn starts_formula(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// Whether `cell` gets a quote in front: it starts a formula, or it is quotes followed by a
/// formula start (so that [`restore`] of the result gives `cell` back, quotes included).
fn needs_quote(cell: &str) -> bool {
    cell.trim_start_matches('\'')
        .chars()
        .next()
        .is_some_and(starts_formula)
}

/// `cell` as it is written to a CSV file: with a `'` in front if a spreadsheet would
/// otherwise read it as a formula, unchanged otherwise.
#[must_use]
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if needs_quote(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The value [`neutralise`] was given, read back from a cell it wrote (a cell it left alone
/// is returned as it is).
#[must_use]
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formula_starts_get_a_quote_and_nothing_else_does() {
        for (cell, written) in [
            (
                "=HYPERLINK(\"http://x.invalid\",\"klick\")",
                "'=HYPERLINK(\"http://x.invalid\",\"klick\")",
            ),
            ("+49 30 1234", "'+49 30 1234"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'=x", "''=x"),
            ("Erika Musterfrau", "Erika Musterfrau"),
            ("'quoted", "'quoted"),
            ("a=b", "a=b"),
            (" =x", " =x"),
            ("", ""),
            ("'", "'"),
        ] {
            assert_eq!(neutralise(cell), written, "{cell:?}");
            assert_eq!(restore(written), cell, "{written:?}");
        }
    }

    proptest! {
        #[test]
        fn the_value_is_recoverable_and_never_a_formula(
            cell in "['=+@\\t\\r -]{0,3}[a-zA-Z0-9'=+@\\t\\r ()\";,-]{0,12}"
        ) {
            let written = neutralise(&cell);
            prop_assert_eq!(restore(&written), cell.as_str());
            prop_assert!(!written.chars().next().is_some_and(starts_formula), "{:?}", written);
        }

        #[test]
        fn any_text_is_recoverable(cell in any::<String>()) {
            let written = neutralise(&cell);
            prop_assert_eq!(restore(&written), cell.as_str());
        }
    }
}
