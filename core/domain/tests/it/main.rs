//! The domain's integration tests, as one binary: the tolerance rules against their spec table
//! (docs/tolerance.md) and the advice each rule speaks with.

mod advice;
mod tolerance_spec;
