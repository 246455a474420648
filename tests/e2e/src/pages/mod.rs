//! Page helpers: what a person does on the app's screens, one module a screen.
//!
//! This module holds what every screen shares: test-id selectors ([`tid`]), typing and clicking,
//! moving between screens, and calling a command through IPC as page script could. The screen
//! modules hold the steps of one screen each. The steps most scenarios use are re-exported here,
//! so `use holdfast_e2e::pages::{click, set_up, unlock}` is enough for them.

use std::time::Duration;

use serde_json::Value;

use crate::webdriver::Session;
use crate::Result;

pub mod checkin;
pub mod history;
pub mod home;
pub mod lock;
pub mod plan;
pub mod practice;
pub mod settings;
pub mod setup;
pub mod visit;

pub use history::{history_notes, record_use};
pub use lock::unlock;
pub use practice::finish_practice;
pub use setup::{set_up, type_groups, wait_strength};

pub const WAIT: Duration = Duration::from_secs(15);
/// Key derivation takes about half a second per try in a debug build; allow plenty.
pub const KDF_WAIT: Duration = Duration::from_secs(30);
pub const ENV: &[(&str, &str)] = &[("LANG", "en_US.UTF-8"), ("LC_ALL", "")];

/// The selector of the element with test id `id`: `tid("days-count")` is
/// `[data-testid='days-count']`.
pub fn tid(id: &str) -> String {
    format!("[data-testid='{id}']")
}

pub fn text_of(session: &Session, css: &str) -> Result<String> {
    session.text(&session.find(css, WAIT)?)
}

pub fn fill(session: &Session, css: &str, text: &str) -> Result<()> {
    let el = session.find(css, WAIT)?;
    session.clear(&el)?;
    session.type_text(&el, text)
}

pub fn click(session: &Session, css: &str) -> Result<()> {
    let el = session.find(css, WAIT)?;
    session.click(&el)
}

/// Whether the control `css` is enabled; an error when it is not on the page.
pub fn enabled(session: &Session, css: &str) -> Result<bool> {
    let v = session.execute(
        "const e = document.querySelector(arguments[0]); return e ? !e.disabled : null;",
        vec![Value::from(css)],
    )?;
    v.as_bool()
        .ok_or_else(|| format!("{css} is not on the page").into())
}

/// Sets a form control's value as a person's choice would (value, then `input` and `change`);
/// used for date and select controls, which WebDriver cannot type into reliably in WebKitGTK.
pub fn set_value(session: &Session, css: &str, value: &str) -> Result<()> {
    session.find(css, WAIT)?;
    session.execute(
        "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
         e.dispatchEvent(new Event('input', { bubbles: true })); \
         e.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![Value::from(css), Value::from(value)],
    )?;
    Ok(())
}

/// Everything the page shows as text (`document.body.innerText`).
pub fn page_text(session: &Session) -> Result<String> {
    Ok(session
        .execute("return document.body.innerText;", vec![])?
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

/// Opens a screen by its address (`#/history`), as a link inside the app would.
pub fn window_hash(session: &Session, hash: &str) -> Result<()> {
    session.execute(
        "window.location.hash = arguments[0];",
        vec![Value::from(hash)],
    )?;
    Ok(())
}

/// [`window_hash`], then waits for `wait_for_css` (`#/guide/some-id`, `#guide-title`).
pub fn open_hash(session: &Session, hash: &str, wait_for_css: &str) -> Result<()> {
    window_hash(session, hash)?;
    session.find(wait_for_css, WAIT)?;
    Ok(())
}

/// Follows the main navigation to `route` and waits until it is the current page.
pub fn go_to(session: &Session, route: &str) -> Result<()> {
    let link = session.find(&format!("nav a[data-route='{route}']"), WAIT)?;
    session.click(&link)?;
    session.wait_for(&format!("{route} to be the current page"), WAIT, || {
        let v = session.execute(
            "const a = document.querySelector(`nav a[aria-current='page']`); return a ? a.dataset.route : null;",
            vec![],
        )?;
        Ok(v.as_str() == Some(route))
    })
}

/// `YYYY-MM-DD` for `days_ago` days before today (negative: after) in the page's local time,
/// which is the app's.
pub fn local_date(session: &Session, days_ago: i64) -> Result<String> {
    let v = session.execute(
        "const d = new Date(); d.setHours(12, 0, 0, 0); d.setDate(d.getDate() - arguments[0]); \
         const p = n => String(n).padStart(2, '0'); \
         return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;",
        vec![Value::from(days_ago)],
    )?;
    v.as_str()
        .map(str::to_owned)
        .ok_or_else(|| "no date".into())
}

/// Calls a command straight through Tauri's IPC, as page script could; returns `{ok: value}` or
/// `{err: error}`.
pub fn invoke_raw(session: &Session, command: &str, args: Value) -> Result<Value> {
    session.execute_async(
        "const [cmd, args, done] = arguments; \
         window.__TAURI_INTERNALS__.invoke(cmd, args) \
           .then(v => done({ ok: v === undefined ? null : v }), e => done({ err: e }));",
        vec![Value::from(command), args],
    )
}

/// [`invoke_raw`] for a call that must succeed: its value, or an error naming the command.
pub fn invoke(session: &Session, command: &str, args: Value) -> Result<Value> {
    let v = invoke_raw(session, command, args)?;
    match v.get("ok") {
        Some(ok) => Ok(ok.clone()),
        None => Err(format!("{command} failed: {v}").into()),
    }
}

/// The hash a link points to (`#/guide/cpr`): WebDriver gives the resolved address.
pub fn href_of(session: &Session, css: &str) -> Result<String> {
    let full = session
        .attribute(&session.find(css, WAIT)?, "href")?
        .unwrap_or_default();
    Ok(full
        .find('#')
        .map_or(full.clone(), |i| full[i..].to_owned()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn tid_is_the_test_id_selector() {
        assert_eq!(super::tid("days-count"), "[data-testid='days-count']");
    }
}
