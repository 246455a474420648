//! Steps the journal scenarios share: filling fields, setting up a journal through the real
//! screens, recording a use, unlocking.

use std::time::Duration;

use serde_json::Value;

use crate::harness::{check_both_sizes, DESKTOP};
use crate::webdriver::Session;
use crate::{ensure, Result};

pub const WAIT: Duration = Duration::from_secs(15);
/// Key derivation takes about half a second per try in a debug build; allow plenty.
pub const KDF_WAIT: Duration = Duration::from_secs(30);
pub const ENV: &[(&str, &str)] = &[("LANG", "en_US.UTF-8"), ("LC_ALL", "")];

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

fn enabled(session: &Session, css: &str) -> Result<bool> {
    let v = session.execute(
        "const e = document.querySelector(arguments[0]); return e ? !e.disabled : null;",
        vec![Value::from(css)],
    )?;
    v.as_bool()
        .ok_or_else(|| format!("{css} is not on the page").into())
}

/// Waits for the strength meter under `id` to say the passphrase is good enough (or not).
pub fn wait_strength(session: &Session, id: &str, acceptable: bool) -> Result<String> {
    let css = format!("[data-testid='{id}-strength']");
    let mut last = String::new();
    session.wait_for(
        &format!("the strength meter to say acceptable={acceptable}"),
        WAIT,
        || {
            last = session.text(&session.find(&css, WAIT)?)?;
            Ok(last.contains("Good to use") == acceptable && last.contains("guess"))
        },
    )?;
    Ok(last)
}

/// The groups (1-based) the confirm step asks for, read from the field labels.
fn asked_groups(session: &Session, input_css: &str) -> Result<Vec<usize>> {
    let v = session.execute(
        "return [...document.querySelectorAll(arguments[0])].map(i => \
           document.querySelector(`label[for='${i.id}']`).textContent);",
        vec![Value::from(input_css)],
    )?;
    let labels = v.as_array().ok_or("no group labels")?;
    let mut out = Vec::new();
    for l in labels {
        let text = l.as_str().unwrap_or_default();
        let n: usize = text
            .split_whitespace()
            .nth(1)
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| format!("label {text:?} names no group"))?;
        out.push(n);
    }
    Ok(out)
}

fn group(code: &str, n: usize) -> Result<String> {
    code.split('-')
        .nth(n - 1)
        .map(str::to_owned)
        .ok_or_else(|| format!("code {code:?} has no group {n}").into())
}

/// Types the asked groups of `code` into the confirm fields.
pub fn type_groups(session: &Session, input_css: &str, code: &str) -> Result<()> {
    let asked = asked_groups(session, input_css)?;
    ensure!(asked.len() == 2, "asked for {asked:?}");
    let fields = session.find_all(input_css)?;
    for (field, n) in fields.iter().zip(&asked) {
        session.clear(field)?;
        session.type_text(field, &group(code, *n)?.to_lowercase())?;
    }
    Ok(())
}

/// Sets up a journal from Home with the suggested passphrase; returns (passphrase, code).
/// With `screens`, saves screenshots and audits every step.
pub fn set_up(session: &Session, screens: bool) -> Result<(String, String)> {
    click(session, "[data-testid='to-setup']")?;
    let explain = text_of(session, "[data-testid='setup-explain']")?;
    ensure!(
        explain.contains("Nobody") && explain.contains("recovery code"),
        "the explanation says {explain:?}"
    );
    if screens {
        check_both_sizes(session, "21-setup-explain")?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;
    }
    click(session, "[data-testid='setup-start']")?;

    // A weak passphrase: the meter says so and Next stays off.
    fill(session, "[data-testid='setup-passphrase']", "password1")?;
    let said = wait_strength(session, "setup-passphrase", false)?;
    ensure!(said.contains("Not strong enough"), "meter said {said:?}");
    ensure!(
        !enabled(session, "[data-testid='setup-next']")?,
        "Next is on for a weak passphrase"
    );
    if screens {
        check_both_sizes(session, "22-setup-weak-passphrase")?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;
    }

    // The suggested one fills both fields and is strong.
    click(session, "[data-testid='setup-suggest']")?;
    let suggested = text_of(session, "[data-testid='setup-suggested']")?;
    ensure!(suggested.split(' ').count() == 6, "suggested {suggested:?}");
    wait_strength(session, "setup-passphrase", true)?;
    if screens {
        check_both_sizes(session, "23-setup-suggested")?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;
    }
    session.wait_for("Next to turn on", WAIT, || {
        enabled(session, "[data-testid='setup-next']")
    })?;
    click(session, "[data-testid='setup-next']")?;

    let code = text_of(session, "[data-testid='setup-code']")?
        .trim()
        .to_owned();
    ensure!(
        code.len() == 29 && code.matches('-').count() == 5,
        "code {code:?}"
    );
    if screens {
        check_both_sizes(session, "24-setup-code")?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;
    }
    click(session, "[data-testid='setup-code-saved']")?;

    // A wrong group is refused with a clear message.
    let fields = session.find_all("[data-testid='setup-confirm-group']")?;
    ensure!(fields.len() == 2, "{} confirm fields", fields.len());
    for f in &fields {
        session.type_text(f, "ZZZZ")?;
    }
    click(session, "[data-testid='setup-finish']")?;
    let err = text_of(session, "[data-testid='setup-error']")?;
    ensure!(err.contains("does not match"), "error says {err:?}");
    if screens {
        check_both_sizes(session, "25-setup-confirm-wrong")?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;
    }
    type_groups(session, "[data-testid='setup-confirm-group']", &code)?;
    click(session, "[data-testid='setup-finish']")?;
    session.find_text("[data-testid='setup-done']", KDF_WAIT)?;
    if screens {
        check_both_sizes(session, "26-setup-done")?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;
    }
    click(session, "[data-testid='setup-home']")?;
    session.find("[data-testid='journal-open']", WAIT)?;
    Ok((suggested, code))
}

/// Records a use "just now" with a note, from the history screen.
pub fn record_use(session: &Session, note: &str) -> Result<()> {
    window_hash(session, "#/history")?;
    fill(session, "[data-testid='use-note']", note)?;
    click(session, "[data-testid='use-save']")?;
    session.find("[data-testid='use-saved']", WAIT)?;
    session.wait_for("the entry in the list", WAIT, || {
        let list = session.find_all("[data-testid='use-entry']")?;
        for el in list {
            if session.text(&el)?.contains(note) {
                return Ok(true);
            }
        }
        Ok(false)
    })
}

pub fn window_hash(session: &Session, hash: &str) -> Result<()> {
    session.execute(
        "window.location.hash = arguments[0];",
        vec![Value::from(hash)],
    )?;
    Ok(())
}

pub fn unlock(session: &Session, passphrase: &str) -> Result<()> {
    fill(session, "[data-testid='unlock-passphrase']", passphrase)?;
    click(session, "[data-testid='unlock-submit']")?;
    Ok(())
}

pub fn history_notes(session: &Session) -> Result<String> {
    window_hash(session, "#/history")?;
    session.find("[data-testid='use-list']", WAIT)?;
    let mut all = String::new();
    for el in session.find_all("[data-testid='use-entry']")? {
        all.push_str(&session.text(&el)?);
        all.push('\n');
    }
    Ok(all)
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

/// Clicks through every practice step in the guide's order and finishes.
pub fn finish_practice(session: &Session) -> Result<()> {
    click(session, "[data-testid='practice-start']")?;
    session.find("[data-testid='practice-step']", WAIT)?;
    let mut steps = Vec::new();
    for el in session.find_all("[data-testid='practice-step']")? {
        let i: usize = session
            .attribute(&el, "data-index")?
            .unwrap_or_default()
            .parse()?;
        steps.push((i, el));
    }
    steps.sort_by_key(|(i, _)| *i);
    ensure!(steps.len() >= 4, "practice shows {} steps", steps.len());
    for (_, el) in &steps {
        session.click(el)?;
    }
    click(session, "[data-testid='practice-finish']")?;
    Ok(())
}
