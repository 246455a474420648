//! First-run setup: the passphrase with its strength meter, the recovery code and typing its
//! groups back.

use serde_json::Value;

use super::{click, enabled, fill, text_of, tid, KDF_WAIT, WAIT};
use crate::harness::check_both_sizes;
use crate::webdriver::Session;
use crate::{ensure, Result};

/// Waits for the strength meter under `id` to say the passphrase is good enough (or not).
pub fn wait_strength(session: &Session, id: &str, acceptable: bool) -> Result<String> {
    let css = tid(&format!("{id}-strength"));
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
    click(session, &tid("to-setup"))?;
    let explain = text_of(session, &tid("setup-explain"))?;
    ensure!(
        explain.contains("Nobody") && explain.contains("recovery code"),
        "the explanation says {explain:?}"
    );
    if screens {
        check_both_sizes(session, "21-setup-explain")?;
    }
    click(session, &tid("setup-start"))?;

    // A weak passphrase: the meter says so and Next stays off.
    fill(session, &tid("setup-passphrase"), "password1")?;
    let said = wait_strength(session, "setup-passphrase", false)?;
    ensure!(said.contains("Not strong enough"), "meter said {said:?}");
    ensure!(
        !enabled(session, &tid("setup-next"))?,
        "Next is on for a weak passphrase"
    );
    if screens {
        check_both_sizes(session, "22-setup-weak-passphrase")?;
    }

    // The suggested one fills both fields and is strong.
    click(session, &tid("setup-suggest"))?;
    let suggested = text_of(session, &tid("setup-suggested"))?;
    ensure!(suggested.split(' ').count() == 6, "suggested {suggested:?}");
    wait_strength(session, "setup-passphrase", true)?;
    if screens {
        check_both_sizes(session, "23-setup-suggested")?;
    }
    session.wait_for("Next to turn on", WAIT, || {
        enabled(session, &tid("setup-next"))
    })?;
    click(session, &tid("setup-next"))?;

    let code = text_of(session, &tid("setup-code"))?.trim().to_owned();
    ensure!(
        code.len() == 29 && code.matches('-').count() == 5,
        "code {code:?}"
    );
    if screens {
        check_both_sizes(session, "24-setup-code")?;
    }
    click(session, &tid("setup-code-saved"))?;

    // A wrong group is refused with a clear message.
    let fields = session.find_all(&tid("setup-confirm-group"))?;
    ensure!(fields.len() == 2, "{} confirm fields", fields.len());
    for f in &fields {
        session.type_text(f, "ZZZZ")?;
    }
    click(session, &tid("setup-finish"))?;
    let err = text_of(session, &tid("setup-error"))?;
    ensure!(err.contains("does not match"), "error says {err:?}");
    if screens {
        check_both_sizes(session, "25-setup-confirm-wrong")?;
    }
    type_groups(session, &tid("setup-confirm-group"), &code)?;
    click(session, &tid("setup-finish"))?;
    session.find_text(&tid("setup-done"), KDF_WAIT)?;
    if screens {
        check_both_sizes(session, "26-setup-done")?;
    }
    click(session, &tid("setup-home"))?;
    session.find(&tid("journal-open"), WAIT)?;
    Ok((suggested, code))
}
