//! Harness for Holdfast's end-to-end tests.
//!
//! [`harness::Harness`] starts Xvfb (unless a display is set), a private D-Bus session bus and
//! tauri-driver; [`harness::Harness::launch`] starts the real debug app with a fresh data folder
//! and returns a [`webdriver::Session`]. Everything is stopped on drop, the WebDriver session
//! first, also when a test fails.

// Tests report failures by returning errors; the harness itself never unwraps.
pub mod axe;
pub mod flows;
pub mod harness;
pub mod netwatch;
pub mod webdriver;

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
