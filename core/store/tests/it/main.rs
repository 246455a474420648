//! The store's integration tests, as one binary (one link against SQLCipher instead of one per
//! file): real SQLCipher files in temporary folders, crash points, write failures and backups.

// A test-only crate: a fixture that cannot be built should fail the test loudly (clippy.toml
// allows the same inside #[test] functions; this covers their helpers too).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod backup;
mod checkin_plan;
mod common;
mod crash;
mod damage;
mod golden;
mod journal_api;
mod no_plaintext;
mod rotation;
mod store_keys;
mod visit;
mod write_failure;
