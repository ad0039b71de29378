//! The documents crate's PDFs, read back with poppler (`pdftotext`, `pdffonts`, `pdfinfo`) as a
//! person's PDF reader would. The poppler tools are required: a missing tool fails the test
//! (CI installs `poppler-utils`), it never skips.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod letter;
mod poppler;
mod questionnaire;
mod report;
mod summary;
mod translation;
