//! Shared harness for the end-to-end tests lives in `tests/common`.
