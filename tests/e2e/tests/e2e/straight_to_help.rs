//! Straight to help: `holdfast --emergency` (the desktop entry's action "Someone may be
//! overdosing") opens on the overdose response, its first step and the call button, and the page
//! never showed Home first.

use holdfast_e2e::harness::{app_binary, check_both_sizes, scenario_with_env, DESKTOP};
use holdfast_e2e::pages::{text_of, ENV, WAIT};
use holdfast_e2e::webdriver::Session;
use holdfast_e2e::{ensure, tid, Result};
use serde_json::Value;

/// The first route the page rendered (App.svelte keeps it on the document), its address now and
/// how many history entries it has made.
fn first_route(session: &Session) -> Result<(String, String, u64)> {
    let v = session.execute(
        "return [document.documentElement.dataset.firstRoute || '', location.hash, history.length];",
        vec![],
    )?;
    let get = |i: usize| v.get(i).cloned().unwrap_or(Value::Null);
    Ok((
        get(0).as_str().unwrap_or_default().to_owned(),
        get(1).as_str().unwrap_or_default().to_owned(),
        get(2).as_u64().unwrap_or_default(),
    ))
}

#[test]
fn the_emergency_flag_opens_the_response_and_never_home() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let data = harness.scratch().join("data");
        let data_arg = data.display().to_string();
        {
            // A first run (nothing chosen yet), with an unknown flag beside it: help still opens.
            let session = harness.launch_with(
                &app_binary(),
                &[
                    "--emergency".into(),
                    "--data-dir".into(),
                    data_arg.clone(),
                    "--no-such-flag".into(),
                ],
            )?;
            let (first, hash, entries) = first_route(&session)?;
            ensure!(
                first == "emergency",
                "the first screen was {first:?}, not the overdose response"
            );
            ensure!(hash == "#/emergency", "the address is {hash:?}");
            ensure!(
                entries == 1,
                "the page moved {} time(s) before the test looked",
                entries.saturating_sub(1)
            );
            let heading = text_of(&session, "#emergency-title")?;
            ensure!(
                heading == "Someone may be overdosing",
                "heading is {heading:?}"
            );
            let count = text_of(&session, &tid("step-count"))?;
            ensure!(count.starts_with("Step 1 of "), "step count is {count:?}");
            let title = text_of(&session, "#step-title")?;
            ensure!(!title.trim().is_empty(), "the first step has no title");
            let call = session.find(&tid("call-emergency"), WAIT)?;
            let label = session.text(&call)?;
            let href = session.attribute(&call, "href")?.unwrap_or_default();
            ensure!(
                label.trim() == "Call 911" && href == "tel:911",
                "call button is {label:?} -> {href:?}"
            );
            ensure!(
                session.execute(
                    "return document.querySelector(\"[data-testid='home-emergency']\") === null;",
                    vec![]
                )? == Value::Bool(true),
                "Home is on the page"
            );
            session.set_window_size(DESKTOP.0, DESKTOP.1)?;
            check_both_sizes(&session, "40-straight-to-help")?;
            let log = harness.driver_log();
            ensure!(
                log.contains("holdfast: ignoring unknown argument --no-such-flag"),
                "the unknown flag was not noted on stderr"
            );
        } // the app exits with its session

        // Without the flag the same data folder opens on Home, as before.
        let session = harness.launch_with(&app_binary(), &["--data-dir".into(), data_arg])?;
        let (first, hash, _) = first_route(&session)?;
        ensure!(
            first == "home" && hash.is_empty(),
            "a plain launch began at {first:?} ({hash:?})"
        );
        session.find(&tid("home-emergency"), WAIT)?;
        Ok(())
    })
}
