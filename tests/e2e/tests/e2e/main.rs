//! Holdfast's end-to-end scenarios: the real debug app in WebKitGTK, driven through tauri-driver.
//!
//! One test binary (this file, `tests/e2e/tests/e2e/main.rs`), so the harness library is linked once; each
//! scenario file beside it is a module, and a test's name carries its module
//! (`shell::about_shows_…`).
//!
//! Run through `./scripts/test.sh`, or after `cargo build -p holdfast` with
//! `cargo test -p holdfast-e2e --test e2e -- --test-threads=1` (add `shell::` or a test's name
//! to run fewer).

mod care;
mod contained;
mod emergency;
mod guided;
mod guides;
mod helper;
mod journal;
mod notifications;
mod shell;
mod straight_to_help;
mod tolerance;
mod visit;
