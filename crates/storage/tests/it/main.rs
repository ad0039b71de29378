//! The storage test suite: one story on real databases.
//!
//! Every scenario runs on a SQLite file in a temporary directory and, when
//! `WEGBEREITER_TEST_POSTGRES` holds an admin URL such as
//! `postgres://postgres:postgres@127.0.0.1:5432/postgres`, on a fresh PostgreSQL database.
//! Without it the PostgreSQL tests report on stderr that they did not run; with `CI=true`
//! they fail.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod backup;
mod cases;
mod contract;
mod crash;
mod directory;
mod encryption;
mod fixtures;
mod harness;
mod open;
mod requests;
mod retention;
mod search;
mod sent;
mod settings;
mod staff_retention;
mod tokens;
mod web;
