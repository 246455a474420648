//! The domain's integration tests, as one binary: the tolerance rules against their spec table
//! (docs/tolerance.md) and the advice each rule speaks with.

// A test-only crate: a fixture that cannot be built should fail the test loudly (clippy.toml
// allows the same inside #[test] functions; this covers their helpers too).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod advice;
mod tolerance_spec;
