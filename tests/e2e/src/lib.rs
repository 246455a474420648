//! Harness for Holdfast's end-to-end tests.
//!
//! [`harness::Harness`] starts Xvfb (unless a display is set), a private D-Bus session bus and
//! tauri-driver; [`harness::Harness::launch`] starts the real debug app with a fresh data folder
//! and returns a [`webdriver::Session`]. Everything is stopped on drop, the WebDriver session
//! first, also when a test fails. [`pages`] holds the steps a person takes on each screen; the
//! scenarios themselves are the modules of one test binary, `tests/e2e/main.rs`.
//!
//! # Why a WebDriver client of our own
//!
//! The Tauri docs now recommend WebdriverIO (`@wdio/tauri-service`) for end-to-end tests, and
//! the Rust clients fantoccini and thirtyfour exist. Holdfast drives tauri-driver with the small
//! synchronous client in [`webdriver`] instead, because:
//!
//! - **One language and one cargo graph.** The scenarios are Rust tests next to the code they
//!   test, built and run by `cargo test` and checked by the same clippy, lints and `cargo deny`.
//!   WebdriverIO lives outside the cargo graph: it would add a Node test runner, its own
//!   dependency tree and a second way to run and report tests.
//! - **Cleanup that survives a panic.** A synchronous [`webdriver::Session`] deletes its
//!   WebDriver session in `Drop`, so the app is closed and the next scenario does not meet
//!   "maximum number of sessions" even when a test panics; the harness stops its processes the
//!   same way. An async client cannot await the delete in `Drop`; it asks every test to end
//!   the session itself.
//! - **No HTTP client stack.** fantoccini and thirtyfour pull in hyper / reqwest, which
//!   `deny.toml` bans for the whole graph; an exception for a test crate would weaken that ban.
//!   The client needs only JSON over HTTP/1.1 to 127.0.0.1, which `std::net` does in a few
//!   hundred lines with its own unit tests.

// Tests report failures by returning errors; the harness itself never unwraps.
pub mod audio;
pub mod axe;
pub mod harness;
pub mod netwatch;
pub mod pages;
pub mod webdriver;

pub use pages::tid;

/// The error type of the harness: a readable message.
pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type Result<T> = std::result::Result<T, Error>;

/// Fails with `msg` unless `cond` holds.
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+).into());
        }
    };
}
