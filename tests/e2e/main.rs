//! End-to-end tests: they drive the real `wegbereiter` binary.
//!
//! One test binary with modules (see `docs/ARCHITECTURE.md`): `support` wraps the binary
//! and a fresh database; the stories run on SQLite always and on PostgreSQL when
//! `WEGBEREITER_TEST_POSTGRES` is set (and must be on CI).
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod access;
mod api;
mod basics;
mod concurrency;
mod documents;
mod exports;
mod import;
mod instances;
mod keys;
mod lifecycle;
mod load;
mod ops;
mod privacy;
mod reports;
mod search;
mod serve;
mod support;
mod time_zone;
