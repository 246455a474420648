//! Emergency help without a passphrase: overdose steps with the call button and the naloxone
//! timer, region switching, never-use-alone lines, practice mode, guides and the printable card.

use std::time::Duration;

use holdfast_e2e::harness::{check_both_sizes, save_screenshot, scenario_with_env, DESKTOP};
use holdfast_e2e::pages::practice::steps as practice_steps;
use holdfast_e2e::pages::{click, go_to, open_hash, text_of, WAIT};
use holdfast_e2e::webdriver::keys::{ENTER, TAB};
use holdfast_e2e::webdriver::Session;
use holdfast_e2e::{ensure, tid, Result};
use serde_json::Value;

/// A US English system, and a second-dose prompt after 3 s instead of 2 minutes (debug builds).
const ENV: &[(&str, &str)] = &[
    ("LANG", "en_US.UTF-8"),
    ("LC_ALL", ""),
    ("HOLDFAST_TEST_SECOND_DOSE_SECS", "3"),
];

fn choose_region(session: &Session, select_css: &str, code: &str) -> Result<()> {
    // The picker appears once the region state has loaded; on a slow machine that is after the
    // screen's title (seen on a cold run: `s` was null).
    session.find(select_css, WAIT)?;
    // Chooses an option the way a person's selection does: set it and fire `change`.
    session.execute(
        "const s = document.querySelector(arguments[0]); s.value = arguments[1]; \
         s.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![Value::from(select_css), Value::from(code)],
    )?;
    Ok(())
}

fn call_button(session: &Session) -> Result<(String, String)> {
    let el = session.find(&tid("call-emergency"), WAIT)?;
    Ok((
        session.text(&el)?,
        session.attribute(&el, "href")?.unwrap_or_default(),
    ))
}

fn wait_call(session: &Session, label: &str, href: &str) -> Result<()> {
    session.wait_for(&format!("the call button to say {label}"), WAIT, || {
        let (t, h) = call_button(session)?;
        Ok(t.trim() == label && h == href)
    })
}

#[test]
fn overdose_help_steps_through_to_naloxone_with_timer_and_the_right_number() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let (session, data) = harness.launch_desktop()?;
        // The steps to read: "Overdose help" in the navigation, no passphrase. (Home's "Someone
        // may be overdosing" opens the guided response: guided.rs.)
        go_to(&session, "emergency")?;
        session.find("#emergency-title", WAIT)?;
        wait_call(&session, "Call 911", "tel:911")?;
        let count = text_of(&session, &tid("step-count"))?;
        ensure!(
            count.starts_with("Step 1 of "),
            "step count shows {count:?}"
        );
        save_screenshot(&session, "10-emergency-step1-desktop")?;

        // By keyboard: Tab from the call button reaches "Talk me through it" (the guided
        // response), then Next (Back is disabled on step 1), and Enter moves on; focus then sits
        // on the new step's heading.
        session.execute(
            "document.querySelector(`[data-testid='call-emergency']`).focus();",
            vec![],
        )?;
        session.press_key(TAB)?;
        let focused = session.execute(
            "return document.activeElement.dataset.testid || null;",
            vec![],
        )?;
        ensure!(
            focused.as_str() == Some("guided-start"),
            "Tab from the call button went to {focused}"
        );
        session.press_key(TAB)?;
        let focused = session.execute(
            "return document.activeElement.dataset.testid || null;",
            vec![],
        )?;
        ensure!(
            focused.as_str() == Some("step-next"),
            "a second Tab went to {focused}"
        );
        session.press_key(ENTER)?;
        session.wait_for("step 2 by keyboard", WAIT, || {
            Ok(text_of(&session, &tid("step-count"))?.starts_with("Step 2 of "))
        })?;
        let focused = session.execute("return document.activeElement.id;", vec![])?;
        ensure!(
            focused.as_str() == Some("step-title"),
            "focus after Next is on {focused}"
        );
        click(&session, &tid("step-back"))?;

        // Step through to the naloxone step, keeping the call button on every step.
        let mut found = false;
        for _ in 0..10 {
            let title = text_of(&session, "#step-title")?;
            wait_call(&session, "Call 911", "tel:911")?;
            if title.to_lowercase().contains("naloxone") {
                found = true;
                break;
            }
            click(&session, &tid("step-next"))?;
        }
        ensure!(found, "no step about naloxone was reached");
        // The step's picture is shown with a text alternative.
        let img = session.find("article.step img[data-illustration]", WAIT)?;
        let alt = session.attribute(&img, "alt")?.unwrap_or_default();
        ensure!(alt.len() > 10, "the illustration's alt text is {alt:?}");
        let drawn = session.execute(
            "return arguments[0].complete && arguments[0].naturalWidth > 0;",
            vec![Session::element_arg(&img)],
        )?;
        ensure!(drawn == Value::Bool(true), "the illustration did not load");

        click(&session, &tid("timer-start"))?;
        session.find(&tid("timer-elapsed"), WAIT)?;
        let due = session.find(&tid("second-dose-due"), WAIT)?;
        let text = session.text(&due)?;
        ensure!(
            text.contains("give another dose now"),
            "second-dose prompt says {text:?}"
        );
        check_both_sizes(&session, "11-emergency-naloxone-timer")?;

        // The region can be switched right here, for someone travelling; the choice is saved.
        choose_region(&session, "#region-picker", "CA")?;
        wait_call(&session, "Call 911", "tel:911")?;
        choose_region(&session, "#region-picker", "UK")?;
        wait_call(&session, "Call 999", "tel:999")?;
        save_screenshot(&session, "12-emergency-uk-desktop")?;
        let saved = std::fs::read_to_string(data.join("settings.json"))?;
        ensure!(
            saved.contains("\"UK\""),
            "the region choice was not saved: {saved}"
        );
        Ok(())
    })
}

#[test]
fn never_use_alone_lines_are_tel_links() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let (session, _data) = harness.launch()?;
        go_to(&session, "lines")?;
        let us = session.find(
            "[data-id='us-never-use-alone'] [data-testid='tel-link']",
            WAIT,
        )?;
        let href = session.attribute(&us, "href")?.unwrap_or_default();
        ensure!(
            href == "tel:+18004843731",
            "Never Use Alone link is {href:?}"
        );
        check_both_sizes(&session, "13-lines-us")?;

        choose_region(&session, "#lines-region", "CA")?;
        let nors = session.find("[data-id='ca-nors'] [data-testid='tel-link']", WAIT)?;
        let href = session.attribute(&nors, "href")?.unwrap_or_default();
        ensure!(href == "tel:+18886886677", "NORS link is {href:?}");
        check_both_sizes(&session, "14-lines-ca")?;
        Ok(())
    })
}

#[test]
fn practice_mode_shows_which_steps_were_done_in_order() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let (session, data) = harness.launch()?;
        open_hash(&session, "#/practice", "#practice-title")?;
        click(&session, &tid("practice-start"))?;
        let steps = practice_steps(&session)?;
        ensure!(steps.len() >= 4, "practice shows {} steps", steps.len());
        save_screenshot(&session, "15-practice-order-desktop")?;
        for (_, el) in &steps {
            session.click(el)?;
        }
        click(&session, &tid("timer-start"))?;
        session.find(&tid("second-dose-due"), WAIT)?;
        click(&session, &tid("practice-finish"))?;
        let summary = text_of(&session, &tid("practice-summary"))?;
        ensure!(
            summary.starts_with("You did every step, in order"),
            "summary: {summary:?}"
        );
        check_both_sizes(&session, "16-practice-result-perfect")?;

        // Again, with the first two swapped and the last one left out.
        click(&session, &tid("practice-again"))?;
        click(&session, &tid("practice-start"))?;
        let steps = practice_steps(&session)?;
        let n = steps.len();
        let mut order: Vec<usize> = (0..n - 1).collect();
        order.swap(0, 1);
        for i in order {
            session.click(&steps[i].1)?;
        }
        click(&session, &tid("practice-finish"))?;
        let summary = text_of(&session, &tid("practice-summary"))?;
        let want = format!("You did {} of {n} steps, {} in order", n - 1, n - 2);
        ensure!(
            summary.starts_with(&want),
            "summary: {summary:?}, expected {want:?}"
        );
        let results = text_of(&session, &tid("practice-results"))?;
        ensure!(
            results.contains("Not chosen"),
            "the skipped step is not shown: {results}"
        );
        ensure!(
            results.contains("later steps came first"),
            "the out-of-order step is not shown: {results}"
        );
        save_screenshot(&session, "17-practice-result-mixed-desktop")?;
        // Nothing personal is written by practice: the data folder holds no journal.
        let names: Vec<String> = std::fs::read_dir(&data)?
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect();
        ensure!(
            names
                .iter()
                .all(|n| n == "settings.json" || n == "holdfast.lock"),
            "practice wrote {names:?}"
        );
        Ok(())
    })
}

#[test]
fn guides_show_their_sources_and_pass_the_audit() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let (session, _data) = harness.launch()?;
        go_to(&session, "guides")?;
        check_both_sizes(&session, "18-guides")?;
        click(
            &session,
            "[data-testid='guide-link'][data-id='naloxone-second-dose']",
        )?;
        let title = text_of(&session, "#guide-title")?;
        ensure!(
            title == "When to give a second dose",
            "guide title {title:?}"
        );
        let sources = text_of(&session, "#sources-title + ul")?;
        ensure!(sources.contains("NARCAN"), "sources shown: {sources}");
        check_both_sizes(&session, "19-guide-second-dose")?;
        Ok(())
    })
}

#[test]
fn the_printable_card_fits_one_page() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let (session, _data) = harness.launch()?;
        open_hash(&session, "#/card", &tid("card-sheet"))?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;
        for code in ["US", "CA", "UK", "IE", "AU", "NZ"] {
            choose_region(&session, "#card-region", code)?;
            std::thread::sleep(Duration::from_millis(300));
            // A4 with 12 mm margins leaves 273 mm; the sheet is laid out at print size.
            let fits = session.execute(
                "const h = document.querySelector(`[data-testid='card-sheet']`).getBoundingClientRect().height; \
                 return [h, 273 * 96 / 25.4];",
                vec![],
            )?;
            let h = fits.get(0).and_then(Value::as_f64).unwrap_or(f64::MAX);
            let page = fits.get(1).and_then(Value::as_f64).unwrap_or(0.0);
            ensure!(
                h <= page,
                "the {code} card is {h:.0}px tall; one page holds {page:.0}px"
            );
        }
        choose_region(&session, "#card-region", "US")?;
        check_both_sizes(&session, "20-print-card")?;
        Ok(())
    })
}

/// One region's overdose steps as the Emergency screen shows them, stepping through with Next:
/// (title, text, the link to a how-to guide if the step has one).
fn walk_steps(session: &Session) -> Result<Vec<(String, String, Option<String>)>> {
    let mut steps = Vec::new();
    for _ in 0..20 {
        let Ok(next) = session.find(&tid("step-next"), Duration::from_secs(2)) else {
            break;
        };
        let title = text_of(session, "#step-title")?;
        let text = text_of(session, "article.step .text")?;
        let guide = match session.find_all(&tid("step-guide"))?.first() {
            Some(link) => session.attribute(link, "href")?,
            None => None,
        };
        steps.push((title, text, guide));
        session.click(&next)?;
        let n = steps.len();
        session.wait_for("the next step", WAIT, || {
            Ok(session.find_all(&tid("step-next"))?.is_empty()
                || text_of(session, &tid("step-count"))?
                    .starts_with(&format!("Step {} of ", n + 1)))
        })?;
    }
    Ok(steps)
}

#[test]
fn every_region_shows_its_corrected_steps_on_the_emergency_screen_practice_and_card() -> Result<()>
{
    // Issue #12: each region's own order; breathing support with a rate; CPR when not breathing
    // normally with the call-taker's help; the recovery position only if breathing; the last step
    // says to stay and that naloxone wears off; the same steps in practice mode and on the card.
    scenario_with_env(ENV, |harness| {
        let (session, _data) = harness.launch_desktop()?;
        for (code, number) in [
            ("US", "911"),
            ("CA", "911"),
            ("UK", "999"),
            ("IE", "112"),
            ("AU", "000"),
            ("NZ", "111"),
        ] {
            open_hash(&session, "#/emergency", "#emergency-title")?;
            choose_region(&session, "#region-picker", code)?;
            wait_call(
                &session,
                &format!("Call {number}"),
                &format!("tel:{number}"),
            )?;
            // Start from step 1 of this region's list.
            while let Ok(back) = session.find(
                "[data-testid='step-back']:not([disabled])",
                Duration::from_millis(300),
            ) {
                session.click(&back)?;
            }
            let steps = walk_steps(&session)?;
            let titles: Vec<&str> = steps.iter().map(|(t, _, _)| t.as_str()).collect();
            let pos = |want: &str| titles.iter().position(|t| t.to_lowercase().contains(want));
            let (Some(call), Some(naloxone), Some(cpr), Some(side)) = (
                pos("call"),
                pos("naloxone"),
                pos("cpr"),
                pos("on their side"),
            ) else {
                return Err(format!("{code}: a step is missing: {titles:?}").into());
            };
            ensure!(
                call < naloxone,
                "{code}: naloxone before the call: {titles:?}"
            );
            ensure!(
                naloxone < side,
                "{code}: side position before naloxone: {titles:?}"
            );
            match code {
                // SAMHSA 2018 and Canada: naloxone before breathing support.
                "US" | "CA" => {
                    let breathe = pos("breathe").ok_or("no breathing step")?;
                    ensure!(
                        naloxone < breathe,
                        "{code}: breathing before naloxone: {titles:?}"
                    );
                }
                // Prenoxad and RCUK, ANZCOR 9.5.2, HSE: CPR before naloxone.
                _ => ensure!(cpr < naloxone, "{code}: naloxone before CPR: {titles:?}"),
            }
            let (cpr_title, cpr_text, cpr_guide) = &steps[cpr];
            ensure!(
                cpr_title.contains("not breathing normally")
                    && cpr_text.contains("talk you through it"),
                "{code}: CPR step {cpr_title:?}: {cpr_text:?}"
            );
            ensure!(
                cpr_guide
                    .as_deref()
                    .is_some_and(|h| h.ends_with("#/guide/cpr")),
                "{code}: the CPR step links to {cpr_guide:?}"
            );
            ensure!(
                steps
                    .iter()
                    .any(|(_, t, _)| t.contains("every 5 seconds") || t.contains("100 to 120")),
                "{code}: no breathing rate"
            );
            let (side_title, side_text, _) = &steps[side];
            ensure!(
                side_title.starts_with("If they are breathing") && side_text.starts_with("If they"),
                "{code}: the recovery position is not conditional: {side_title:?}: {side_text:?}"
            );
            let (last_title, last_text, _) = steps.last().ok_or("no steps")?;
            ensure!(
                last_title.starts_with("Stay")
                    && (last_text.contains("wear off") || last_text.contains("wears off")),
                "{code}: last step {last_title:?}: {last_text:?}"
            );
            let finished = text_of(&session, &tid("response-finished"))?;
            ensure!(
                finished.contains("Naloxone can wear off"),
                "{code}: finished text {finished:?}"
            );

            // The CPR step at both sizes, with the audit.
            click(&session, &tid("step-back"))?;
            while text_of(&session, "#step-title")? != *cpr_title {
                click(&session, &tid("step-back"))?;
            }
            check_both_sizes(
                &session,
                &format!("21-emergency-cpr-{}", code.to_lowercase()),
            )?;

            // Practice mode offers the same steps (in a mixed order).
            open_hash(&session, "#/practice", "#practice-title")?;
            click(&session, &tid("practice-start"))?;
            session.find(&tid("practice-step"), WAIT)?;
            let mut practised = Vec::new();
            for el in session.find_all(&tid("practice-step"))? {
                practised.push(session.attribute(&el, "data-title")?.unwrap_or_default());
            }
            let mut want: Vec<String> = titles.iter().map(|t| (*t).to_owned()).collect();
            practised.sort();
            want.sort();
            ensure!(
                practised == want,
                "{code}: practice shows {practised:?}, want {want:?}"
            );

            // The printable card lists them in order.
            open_hash(&session, "#/card", &tid("card-sheet"))?;
            let card = text_of(&session, &tid("card-sheet"))?;
            let mut from = 0;
            for title in &titles {
                let at = card[from..]
                    .find(title)
                    .ok_or(format!("{code}: the card lacks {title:?} in order"))?;
                from += at + title.len();
            }
            save_screenshot(
                &session,
                &format!("22-card-{}-desktop", code.to_lowercase()),
            )?;
        }

        // A helper who does not know CPR taps the step's link and gets the how-to guide; the
        // nose-spray guide links to it too, and Guides lists both first-aid guides.
        open_hash(&session, "#/emergency", "#emergency-title")?;
        while text_of(&session, "#step-title")? != "If they are not breathing normally: CPR" {
            click(&session, &tid("step-next"))?;
        }
        click(&session, &tid("step-guide"))?;
        let title = text_of(&session, "#guide-title")?;
        ensure!(title == "How to do CPR", "the CPR link opened {title:?}");
        let page = text_of(&session, "main")?;
        ensure!(
            page.contains("100 to 120 times a minute")
                && page.contains("keep pushing on the chest"),
            "the CPR guide lacks its rate or the hands-only fallback"
        );
        check_both_sizes(&session, "23-guide-cpr")?;
        open_hash(&session, "#/guide/naloxone-nasal-spray", "#guide-title")?;
        let links: Vec<String> = session
            .find_all(&tid("step-guide"))?
            .iter()
            .filter_map(|l| session.attribute(l, "href").ok().flatten())
            .collect();
        ensure!(
            links.iter().any(|h| h.ends_with("#/guide/cpr")),
            "the nose-spray guide does not link to CPR: {links:?}"
        );
        go_to(&session, "guides")?;
        for id in ["rescue-breathing", "cpr"] {
            session.find(&format!("[data-testid='guide-link'][data-id='{id}']"), WAIT)?;
        }
        Ok(())
    })
}
