//! A peer visit: its topic steps and the privacy curtain.

use super::{click, tid, WAIT};
use crate::webdriver::Session;
use crate::Result;

/// Waits until the visit shows the topic `step` (`naloxone`, `tolerance`, …).
pub fn wait_step(session: &Session, step: &str) -> Result<()> {
    session.wait_for(&format!("the {step} step"), WAIT, || {
        let v = session.execute(
            "return document.querySelector(`[data-testid='visit-step']`)?.dataset.step ?? null;",
            vec![],
        )?;
        Ok(v.as_str() == Some(step))
    })
}

/// Whether the curtain toggle says the curtain is down.
pub fn curtain_is_down(session: &Session) -> Result<bool> {
    let v = session.execute(
        "return document.querySelector(`[data-testid='curtain-toggle']`)?.getAttribute('aria-pressed');",
        vec![],
    )?;
    Ok(v.as_str() == Some("true"))
}

/// Lowers the curtain and waits for its placeholder.
pub fn lower_curtain(session: &Session) -> Result<()> {
    click(session, &tid("curtain-toggle"))?;
    session.find(&tid("curtain-placeholder"), WAIT)?;
    Ok(())
}

/// Raises the curtain again (the caller waits for what it should show).
pub fn raise_curtain(session: &Session) -> Result<()> {
    click(session, &tid("curtain-toggle"))
}
