//! The app layer's integration tests, as one binary: the session over real SQLCipher files, and
//! the reads that combine the store with the engines.

// The store's test helpers (fast key derivation, sample records), shared rather than copied.
#[path = "../../../store/tests/it/common.rs"]
mod common;
mod reads;
mod session;
