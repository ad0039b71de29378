//! Integration tests of the web frontend: handler tests on the router (`handlers`, `bad_input`,
//! `access_matrix`, `security`) and the end-to-end journey in headless Chromium (`browser`).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod access_matrix;
mod account;
mod api;
mod api_admin;
mod bad_input;
mod browser;
mod confirm;
mod followups;
mod handlers;
mod helpers;
mod local_time;
mod next_steps;
mod privacy;
mod reports;
mod search;
mod security;
mod sessions;
mod validation;
mod wording;
