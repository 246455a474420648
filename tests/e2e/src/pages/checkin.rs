//! The daily check-in: rows of choices, then Save.

use super::{click, text_of, tid};
use crate::webdriver::Session;
use crate::Result;

/// Taps the option with `value` in the choice row `name`.
pub fn choose(session: &Session, name: &str, value: &str) -> Result<()> {
    click(
        session,
        &format!("[data-testid='choice-{name}'] input[data-value='{value}']"),
    )
}

/// Saves the check-in; returns what the screen says once it is saved.
pub fn save(session: &Session) -> Result<String> {
    click(session, &tid("checkin-save"))?;
    text_of(session, &tid("checkin-saved"))
}
