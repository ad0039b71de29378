//! sea-orm entities: one module per table, mirroring the schema of [`crate::migration`].
//!
//! Entities describe rows, nothing else: they know no domain type. [`crate::mapping`] is the
//! only module that converts between rows and domain values. A drift test migrates a fresh
//! database and queries every entity.

pub(crate) mod access_log;
pub(crate) mod api_idempotency;
pub(crate) mod audit_log;
pub(crate) mod case_attendance;
pub(crate) mod case_clients;
pub(crate) mod case_esf;
pub(crate) mod case_keys;
pub(crate) mod case_name_words;
pub(crate) mod case_reminder_facts;
pub(crate) mod case_reminder_triggers;
pub(crate) mod case_statistics;
pub(crate) mod cases;
pub(crate) mod events;
pub(crate) mod group_sessions;
pub(crate) mod installation_settings;
pub(crate) mod login_addresses;
pub(crate) mod login_failures;
pub(crate) mod personal_tokens;
pub(crate) mod privacy_requests;
pub(crate) mod sent_documents;
pub(crate) mod services;
pub(crate) mod staff;
pub(crate) mod staff_credentials;
pub(crate) mod staff_teams;
pub(crate) mod teams;
pub(crate) mod web_secrets;
pub(crate) mod web_sessions;
