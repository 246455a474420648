//! The web view is contained (security review M6): it shows only the app's own pages, opens no
//! second window, and hands to the system only the numbers and web pages the app shows. An
//! injected script that calls commands the UI never makes is stopped by the isolation hook.
//!
//! The system's opener is the one thing replaced: a stand-in `xdg-open` first on `PATH` writes
//! down what it was asked to open (there is no dialler or browser to watch here).

use std::path::Path;
use std::time::Duration;

use holdfast_e2e::harness::scenario_with_env;
use holdfast_e2e::pages::{click, go_to, invoke_raw, WAIT};
use holdfast_e2e::webdriver::Session;
use holdfast_e2e::{ensure, Result};
use serde_json::{json, Value};

/// What the stand-in opener has been asked to open, a line each.
fn opened(log: &Path) -> Vec<String> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Waits until the opener has been asked `n` times in all (it runs detached).
fn wait_opened(session: &Session, log: &Path, n: usize) -> Result<Vec<String>> {
    session.wait_for(&format!("{n} addresses handed to the opener"), WAIT, || {
        Ok(opened(log).len() >= n)
    })?;
    Ok(opened(log))
}

fn err_code(v: &Value) -> Option<&str> {
    v.get("err")
        .and_then(|e| e.get("code"))
        .and_then(Value::as_str)
}

fn location(session: &Session) -> Result<String> {
    Ok(session
        .execute("return window.location.href;", vec![])?
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

#[test]
fn the_window_shows_only_the_app_and_opens_only_what_it_shows() -> Result<()> {
    let stub = tempfile::tempdir()?;
    let log = stub.path().join("opened.txt");
    let opener = stub.path().join("xdg-open");
    std::fs::write(
        &opener,
        format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", log.display()),
    )?;
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755))?;
    }
    let path = format!(
        "{}:{}",
        stub.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let env = [
        ("LANG", "en_US.UTF-8"),
        ("LC_ALL", ""),
        ("PATH", path.as_str()),
    ];
    scenario_with_env(&env, |harness| {
        let (session, _data) = harness.launch()?;

        // What the person taps opens: a crisis line's number and a web page from the content.
        go_to(&session, "lines")?;
        click(
            &session,
            "[data-id='us-never-use-alone'] [data-testid='tel-link']",
        )?;
        let got = wait_opened(&session, &log, 1)?;
        ensure!(
            got == ["tel:+18004843731"],
            "the call button handed over {got:?}"
        );
        let web = session.find("a[href^='https://']", WAIT)?;
        let href = session.attribute(&web, "href")?.unwrap_or_default();
        session.click(&web)?;
        let got = wait_opened(&session, &log, 2)?;
        ensure!(
            got[1].starts_with("https://")
                && got[1].trim_end_matches('/') == href.trim_end_matches('/'),
            "the website link {href} handed over {got:?}"
        );

        // An injected script cannot hand anything else to the system: not a web address
        // carrying data out, not a number with a message, not another scheme.
        for uri in [
            "https://example.org/?d=the+journal",
            "sms:+15550001111?body=the%20journal",
            "file:///etc/passwd",
        ] {
            let v = invoke_raw(&session, "open_link", json!({ "uri": uri }))?;
            ensure!(
                err_code(&v) == Some("invalid_input"),
                "open_link({uri}) answered {v}"
            );
        }
        // Nor through the opener plugin, which is not there, nor through a command the UI never
        // makes, nor with an argument it never sends: the isolation hook answers `refused`.
        for (cmd, args, why) in [
            (
                "plugin:opener|open_url",
                json!({ "url": "https://example.org/" }),
                "unknown command",
            ),
            ("not_a_command", json!({}), "unknown command"),
            (
                "unlock",
                json!({ "passphrase": "x", "also": "y" }),
                "unexpected argument",
            ),
            (
                "add_use",
                json!({ "entry": "x".repeat(3 * 1024 * 1024) }),
                "arguments too large",
            ),
        ] {
            let v = invoke_raw(&session, cmd, args)?;
            let msg = v["err"]["message"].as_str().unwrap_or_default();
            ensure!(
                err_code(&v) == Some("invalid_input") && msg.contains(why),
                "{cmd} answered {v}"
            );
        }
        ensure!(
            opened(&log).len() == 2,
            "something else reached the opener: {:?}",
            opened(&log)
        );

        // The window stays on the app's own pages: not a remote page, not a raw tel: anchor,
        // and no second window.
        let home = location(&session)?;
        ensure!(
            home.starts_with("tauri://localhost"),
            "the app is at {home}"
        );
        session.execute("window.location.href = 'https://example.org/';", vec![])?;
        std::thread::sleep(Duration::from_millis(1500));
        let now = location(&session)?;
        ensure!(now == home, "a script moved the window to {now}");
        session.execute(
            "const a = document.createElement('a'); a.href = 'tel:5550100'; \
             document.body.append(a); a.click(); a.remove();",
            vec![],
        )?;
        std::thread::sleep(Duration::from_millis(1000));
        let now = location(&session)?;
        ensure!(now == home, "a raw tel: anchor moved the window to {now}");
        session.execute("window.open('https://example.org/', '_blank');", vec![])?;
        std::thread::sleep(Duration::from_millis(1000));
        let handles = session.cmd("GET", "/window/handles", None)?;
        let count = handles
            .get("value")
            .unwrap_or(&handles)
            .as_array()
            .map(Vec::len);
        ensure!(
            count == Some(1),
            "window handles after window.open: {handles}"
        );
        ensure!(
            opened(&log).len() == 2,
            "a navigation reached the opener: {:?}",
            opened(&log)
        );
        // And the app still answers, and its most important link still opens.
        go_to(&session, "emergency")?;
        click(&session, "[data-testid='call-emergency']")?;
        let got = wait_opened(&session, &log, 3)?;
        ensure!(
            got[2] == "tel:911",
            "the emergency call button handed over {got:?}"
        );
        Ok(())
    })
}

/// The command name travels beside the encrypted payload, not inside it. A script that catches
/// an approved payload on its way back from the isolation frame and sends it again under another
/// command's name, or sends a payload that never went through the frame, is refused: Rust finds
/// the command the hook approved inside the payload and compares (security review M6).
#[test]
fn a_payload_replayed_under_another_command_is_refused() -> Result<()> {
    scenario_with_env(&[("LANG", "en_US.UTF-8"), ("LC_ALL", "")], |harness| {
        let set = harness.launch_set_up()?;
        let session = set.session;
        let v = session.execute_async(
            "const done = arguments[arguments.length - 1]; \
             const I = window.__TAURI_INTERNALS__; \
             let caught = null; \
             const grab = (e) => { const d = e.data; \
               if (!caught && d && d.cmd === 'session_info' && d.payload && typeof d.payload === 'object' && 'nonce' in d.payload) caught = d; }; \
             window.addEventListener('message', grab, true); \
             I.invoke('session_info', {}).then(() => { \
               window.removeEventListener('message', grab, true); \
               if (!caught) { done({ caught: false }); return; } \
               const send = (cmd, payload) => new Promise((resolve) => { \
                 const ok = I.transformCallback((v) => resolve({ ok: v === undefined ? null : v }), true); \
                 const err = I.transformCallback((v) => resolve({ err: v }), true); \
                 I.postMessage({ cmd, callback: ok, error: err, payload, options: caught.options }); \
                 setTimeout(() => resolve({ timeout: true }), 5000); }); \
               send('lock', caught.payload).then((replayed) => \
                 send('lock', {}).then((bare) => done({ caught: true, replayed, bare }))); \
             });",
            vec![],
        )?;
        ensure!(v["caught"] == true, "no approved payload was seen: {v}");
        for which in ["replayed", "bare"] {
            ensure!(
                v[which].get("ok").is_none(),
                "the {which} call was carried out: {v}"
            );
        }
        let msg = v["replayed"]["err"]["message"].as_str().unwrap_or_default();
        ensure!(msg.contains("not approved"), "the replayed payload got {v}");
        let info = invoke_raw(&session, "session_info", json!({}))?;
        ensure!(
            info["ok"]["lock"]["state"] == "unlocked",
            "the journal locked: {info}"
        );
        Ok(())
    })
}
