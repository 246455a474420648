//! The store's integration tests, as one binary (one link against SQLCipher instead of one per
//! file): real SQLCipher files in temporary folders, crash points, write failures and backups.

mod backup;
mod checkin_plan;
mod common;
mod crash;
mod damage;
mod journal_api;
mod no_plaintext;
mod store_keys;
mod visit;
mod write_failure;
