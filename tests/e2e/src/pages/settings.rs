//! Settings: who the app is for, backups and erasing the journal.

use super::{click, fill, text_of, tid};
use crate::webdriver::Session;
use crate::Result;

/// Taps the mode switch (helper ↔ personal); returns what the screen then says.
pub fn switch_mode(session: &Session) -> Result<String> {
    click(session, &tid("mode-switch"))?;
    text_of(session, &tid("mode-msg"))
}

/// Types `word` and the journal's `passphrase` into the erase form and submits it (the app
/// erases only for `ERASE` with the current passphrase).
pub fn erase(session: &Session, word: &str, passphrase: &str) -> Result<()> {
    fill(session, &tid("erase-word"), word)?;
    fill(session, &tid("erase-passphrase"), passphrase)?;
    click(session, &tid("erase-submit"))
}

/// Types the backup's `passphrase` and asks what the chosen backup holds (without waiting for
/// the answer).
pub fn inspect_backup(session: &Session, passphrase: &str) -> Result<()> {
    fill(session, &tid("restore-passphrase"), passphrase)?;
    click(session, &tid("restore-inspect"))
}
