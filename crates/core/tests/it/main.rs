//! Integration tests of the domain crate: transitions, refusals, invariants, reminders,
//! Jobcenter feedback, the service over the in-memory store, and architecture tidiness.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod access;
mod case_file;
mod consents;
mod esf;
mod feedback;
mod invariants;
mod letter;
mod local_day;
mod next_steps;
mod outlook;
mod reminders;
mod report;
mod retention;
mod retry;
mod search;
mod service;
mod statistics;
mod support;
mod tidy;
mod transitions;
