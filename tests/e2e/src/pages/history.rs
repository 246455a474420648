//! History: recording uses and breaks, and reading the list of uses.

use super::{click, fill, local_date, set_value, tid, window_hash, WAIT};
use crate::webdriver::Session;
use crate::Result;

/// Records a use "just now" with a note, from the history screen.
pub fn record_use(session: &Session, note: &str) -> Result<()> {
    window_hash(session, "#/history")?;
    fill(session, &tid("use-note"), note)?;
    click(session, &tid("use-save"))?;
    session.find(&tid("use-saved"), WAIT)?;
    session.wait_for("the entry in the list", WAIT, || {
        let list = session.find_all(&tid("use-entry"))?;
        for el in list {
            if session.text(&el)?.contains(note) {
                return Ok(true);
            }
        }
        Ok(false)
    })
}

/// Records a use at noon `days` days ago, from the history screen.
pub fn record_use_days_ago(session: &Session, days: u32) -> Result<()> {
    window_hash(session, "#/history")?;
    click(session, &tid("use-when-earlier"))?;
    let date = local_date(session, i64::from(days))?;
    set_value(session, &tid("use-at"), &format!("{date}T12:00"))?;
    click(session, &tid("use-save"))?;
    session.find(&tid("use-saved"), WAIT)?;
    Ok(())
}

/// Records a break of `kind` (`prison_release`, `missed_methadone_doses`, …) from the history
/// screen, filling only the fields given.
pub fn record_break(
    session: &Session,
    kind: &str,
    start: Option<&str>,
    end: Option<&str>,
    days: Option<u32>,
) -> Result<()> {
    window_hash(session, "#/history")?;
    set_value(session, &tid("break-kind"), kind)?;
    if let Some(s) = start {
        set_value(session, &tid("break-start"), s)?;
    }
    if let Some(e) = end {
        set_value(session, &tid("break-end"), e)?;
    }
    if let Some(d) = days {
        fill(session, &tid("missed-days"), &d.to_string())?;
    }
    click(session, &tid("break-save"))?;
    session.find(&tid("break-saved"), WAIT)?;
    Ok(())
}

/// The text of every use in the history list, one a line.
pub fn history_notes(session: &Session) -> Result<String> {
    window_hash(session, "#/history")?;
    session.find(&tid("use-list"), WAIT)?;
    let mut all = String::new();
    for el in session.find_all(&tid("use-entry"))? {
        all.push_str(&session.text(&el)?);
        all.push('\n');
    }
    Ok(all)
}
