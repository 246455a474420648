//! The app layer's integration tests, as one binary: the session over real SQLCipher files, and
//! the reads that combine the store with the engines.

// A test-only crate: a fixture that cannot be built should fail the test loudly (clippy.toml
// allows the same inside #[test] functions; this covers their helpers too).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

// The store's test helpers (fast key derivation, sample records), shared rather than copied.
#[path = "../../../store/tests/it/common.rs"]
mod common;
mod hostile;
mod idle;
mod layers;
mod packaging;
mod reads;
mod session;
mod use_cases;
