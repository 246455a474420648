//! The lock: the Lock button in the top bar and the unlock panel that stands in for every private
//! screen while the journal is locked.

use super::{click, fill, tid, KDF_WAIT};
use crate::webdriver::Session;
use crate::Result;

/// Types `passphrase` into the unlock panel and submits it (without waiting for the answer).
pub fn unlock(session: &Session, passphrase: &str) -> Result<()> {
    fill(session, &tid("unlock-passphrase"), passphrase)?;
    click(session, &tid("unlock-submit"))?;
    Ok(())
}

/// [`unlock`] on Home, then waits (through key derivation) for the open journal.
pub fn unlock_home(session: &Session, passphrase: &str) -> Result<()> {
    unlock(session, passphrase)?;
    session.find(&tid("journal-open"), KDF_WAIT)?;
    Ok(())
}

/// Locks the journal at once with the Lock button in the top bar.
pub fn lock(session: &Session) -> Result<()> {
    click(session, &tid("lock-button"))
}
