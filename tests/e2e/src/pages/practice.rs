//! Practice mode: the overdose steps as buttons to tap in order.

use super::{click, tid, WAIT};
use crate::webdriver::{Element, Session};
use crate::{ensure, Result};

/// The practice steps on screen, in the guide's order (their `data-index`).
pub fn steps(session: &Session) -> Result<Vec<(usize, Element)>> {
    session.find(&tid("practice-step"), WAIT)?;
    let mut out = Vec::new();
    for el in session.find_all(&tid("practice-step"))? {
        let i: usize = session
            .attribute(&el, "data-index")?
            .unwrap_or_default()
            .parse()?;
        out.push((i, el));
    }
    out.sort_by_key(|(i, _)| *i);
    Ok(out)
}

/// Clicks through every practice step in the guide's order and finishes.
pub fn finish_practice(session: &Session) -> Result<()> {
    click(session, &tid("practice-start"))?;
    let steps = steps(session)?;
    ensure!(steps.len() >= 4, "practice shows {} steps", steps.len());
    for (_, el) in &steps {
        session.click(el)?;
    }
    click(session, &tid("practice-finish"))?;
    Ok(())
}
