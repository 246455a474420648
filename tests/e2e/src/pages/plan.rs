//! The safety plan: its lists (warning signs, coping steps, distractions) and support people.

use super::{click, fill, tid, WAIT};
use crate::webdriver::Session;
use crate::Result;

/// Adds `text` to the plan's list of `kind` (`warning_sign`, `coping_step`, `distraction`) and
/// waits until the list shows it.
pub fn add_item(session: &Session, kind: &str, text: &str) -> Result<()> {
    fill(session, &tid(&format!("plan-add-{kind}")), text)?;
    click(
        session,
        &format!("[data-testid='plan-{kind}'] button[type='submit']"),
    )?;
    session.wait_for(&format!("{text} in the plan"), WAIT, || {
        Ok(session
            .text(&session.find(&tid(&format!("plan-{kind}")), WAIT)?)?
            .contains(text))
    })
}

/// Fills in a support person and taps Add (without waiting: the answer may be an error).
pub fn add_person(session: &Session, name: &str, phone: &str) -> Result<()> {
    fill(session, &tid("person-name"), name)?;
    fill(session, &tid("person-phone"), phone)?;
    click(session, &tid("person-add"))
}
