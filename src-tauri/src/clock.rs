//! The app's one clock (`holdfast_domain::Clock`): the system clock, or in debug builds a test
//! clock the end-to-end tests set.
//!
//! Debug builds only (release builds ignore both):
//! - `HOLDFAST_TEST_NOW=<RFC 3339>`: the clock starts at that instant when the app starts and
//!   runs on from there.
//! - `HOLDFAST_TEST_NOW_FILE=<path>`: while that file holds an RFC 3339 instant, "now" is that
//!   instant (read again on every use, so a test can move the clock while the app runs); when
//!   the file is missing, empty or unreadable, the clock above is used.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

/// The app's clock.
#[derive(Debug, Default)]
pub struct Clock {
    offset: Option<chrono::Duration>,
    file: Option<PathBuf>,
}

fn parse(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

impl Clock {
    /// The real clock, or in a debug build the test clock the environment asks for.
    pub fn from_env() -> Self {
        if !cfg!(debug_assertions) {
            return Self::default();
        }
        let offset = std::env::var("HOLDFAST_TEST_NOW")
            .ok()
            .and_then(|v| parse(&v))
            .map(|start| start - Utc::now());
        let file = std::env::var_os("HOLDFAST_TEST_NOW_FILE")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        Self { offset, file }
    }
}

impl holdfast_app::Clock for Clock {
    /// Now.
    fn now(&self) -> DateTime<Utc> {
        if let Some(at) = self
            .file
            .as_ref()
            .and_then(|f| std::fs::read_to_string(f).ok())
            .and_then(|t| parse(&t))
        {
            return at;
        }
        match self.offset {
            Some(offset) => Utc::now() + offset,
            None => Utc::now(),
        }
    }
}
