//! Home: days since the last use, the tolerance card and its reasons.

use super::{text_of, tid, window_hash, WAIT};
use crate::webdriver::Session;
use crate::Result;

/// Opens Home and waits for the days-since-last-use card.
pub fn go_home(session: &Session) -> Result<()> {
    window_hash(session, "#/home")?;
    session.find(&tid("days-card"), WAIT)?;
    Ok(())
}

/// What the days count says ("10 days since your last use", "not set yet").
pub fn days_count(session: &Session) -> Result<String> {
    text_of(session, &tid("days-count"))
}

/// The level, reasons' fact ids and texts, and actions the tolerance card shows.
pub fn tolerance_card(session: &Session) -> Result<(String, Vec<String>, String, Vec<String>)> {
    let el = session.find(&tid("tolerance-card"), WAIT)?;
    let level = session.attribute(&el, "data-level")?.unwrap_or_default();
    let v = session.execute(
        "return { facts: [...document.querySelectorAll(`[data-testid='tolerance-reason']`)].map(e => e.dataset.fact), \
                  actions: [...document.querySelectorAll(`[data-testid='tolerance-action']`)].map(e => e.dataset.action) };",
        vec![],
    )?;
    let list = |k: &str| -> Vec<String> {
        v[k].as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    Ok((level, list("facts"), session.text(&el)?, list("actions")))
}
