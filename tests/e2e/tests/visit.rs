//! A peer visit as a peer worker and the person run it on the person's device: all six topics,
//! the kit updated on the way, the privacy curtain down and up again, a pause with the app
//! closed, then the summary (printable) and the next-visit reminder. The person's journal notes
//! never appear on any visit screen.

use std::time::Duration;

use holdfast_e2e::flows::{
    click, fill, finish_practice, invoke, local_date, record_use, set_up, set_value, text_of,
    unlock, window_hash, ENV, KDF_WAIT, WAIT,
};
use holdfast_e2e::harness::{check_both_sizes, scenario_with_env, DESKTOP};
use holdfast_e2e::webdriver::Session;
use holdfast_e2e::{ensure, Result};
use serde_json::json;

const NOTE: &str = "private-note-visit-5c1d";
const KIT_PLACE: &str = "Blue bag by the door";
const NEXT_STEPS: &str = "Call the clinic on Monday about methadone";
const WORKER: &str = "Samira Okafor";

fn page_text(session: &Session) -> Result<String> {
    Ok(session
        .execute("return document.body.innerText;", vec![])?
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

/// The visit step on screen, once it is `step`.
fn on_step(session: &Session, step: &str) -> Result<()> {
    session.wait_for(&format!("the {step} step"), WAIT, || {
        let v = session.execute(
            "return document.querySelector(`[data-testid='visit-step']`)?.dataset.step ?? null;",
            vec![],
        )?;
        Ok(v.as_str() == Some(step))
    })?;
    let text = page_text(session)?;
    ensure!(
        !text.contains(NOTE),
        "the journal note shows on the {step} step"
    );
    Ok(())
}

fn curtain_down(session: &Session) -> Result<bool> {
    let v = session.execute(
        "return document.querySelector(`[data-testid='curtain-toggle']`)?.getAttribute('aria-pressed');",
        vec![],
    )?;
    Ok(v.as_str() == Some("true"))
}

#[test]
fn a_peer_visit_from_start_to_summary_with_the_curtain() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let (session, data) = harness.launch()?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;
        let (passphrase, _code) = set_up(&session, false)?;
        record_use(&session, NOTE)?;
        invoke(
            &session,
            "add_support_person",
            json!({ "person": { "name": "Alex", "relation": "brother", "phone": "+1 206 555 0111" } }),
        )?;

        // Home → Peer visits → start, with the peer worker's name.
        window_hash(&session, "#/home")?;
        click(&session, "[data-testid='to-visits']")?;
        session.find("[data-testid='no-visits']", WAIT)?;
        click(&session, "[data-testid='visits-start']")?;
        fill(&session, "[data-testid='visit-worker']", WORKER)?;
        check_both_sizes(&session, "80-visit-start")?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;
        click(&session, "[data-testid='visit-start']")?;

        // 1. Naloxone: record where the kit is and when it expires.
        on_step(&session, "naloxone")?;
        ensure!(
            text_of(&session, "[data-testid='visit-progress']")? == "Topic 1 of 6",
            "progress is not shown"
        );
        fill(&session, "[data-testid='visit-kit-where']", KIT_PLACE)?;
        let expires = local_date(&session, -200)?;
        set_value(&session, "[data-testid='visit-kit-expires']", &expires)?;
        click(&session, "[data-testid='visit-kit-save']")?;
        session.wait_for("the kit in the list", WAIT, || {
            Ok(session
                .find_all("[data-testid='visit-kit']")?
                .first()
                .map(|k| session.text(k))
                .transpose()?
                .is_some_and(|t| t.contains(KIT_PLACE)))
        })?;
        check_both_sizes(&session, "81-visit-naloxone")?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;

        // The curtain: one tap hides the kit; another shows it again.
        click(&session, "[data-testid='curtain-toggle']")?;
        session.find("[data-testid='curtain-placeholder']", WAIT)?;
        ensure!(
            curtain_down(&session)?,
            "the toggle does not say it is down"
        );
        let hidden = page_text(&session)?;
        ensure!(
            !hidden.contains(KIT_PLACE)
                && session.find_all("[data-testid='visit-kits']")?.is_empty(),
            "the kit shows behind the curtain"
        );
        check_both_sizes(&session, "82-visit-curtain-down")?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;
        click(&session, "[data-testid='curtain-toggle']")?;
        session.find("[data-testid='visit-kits']", WAIT)?;
        ensure!(!curtain_down(&session)?, "the curtain stays down");

        // "Have you practised?": practise now, then back to the visit at the same topic.
        click(&session, "[data-testid='visit-practice']")?;
        session.find("#practice-title", WAIT)?;
        finish_practice(&session)?;
        session.find("[data-testid='practice-summary']", WAIT)?;
        click(&session, "[data-testid='practice-back-to-visit']")?;
        on_step(&session, "naloxone")?;

        // 2. Tolerance, from the engine; hidden too while the curtain is down.
        click(&session, "[data-testid='visit-next']")?;
        on_step(&session, "tolerance")?;
        let days = text_of(&session, "[data-testid='days-count']")?;
        ensure!(
            days.contains("0 days since your last use"),
            "tolerance step says {days:?}"
        );
        click(&session, "[data-testid='curtain-toggle']")?;
        session.find("[data-testid='curtain-placeholder']", WAIT)?;
        ensure!(
            session.find_all("[data-testid='days-count']")?.is_empty(),
            "days since last use show behind the curtain"
        );
        check_both_sizes(&session, "83-visit-tolerance-curtain")?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;
        click(&session, "[data-testid='curtain-toggle']")?;
        session.find("[data-testid='days-count']", WAIT)?;

        // Pause: the app is closed and opened again; the visit carries on where it was.
        click(&session, "[data-testid='visit-pause']")?;
        session.find("[data-testid='journal-open']", WAIT)?;
        drop(session);
        std::thread::sleep(Duration::from_millis(500));
        let session = harness.relaunch()?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;
        unlock(&session, &passphrase)?;
        session.find("[data-testid='journal-open']", KDF_WAIT)?;
        // Home offers to carry on with the paused visit; so does the visits screen.
        ensure!(
            text_of(&session, "[data-testid='to-visit-open']")? == "Carry on with the visit",
            "Home does not offer the paused visit"
        );
        window_hash(&session, "#/visits")?;
        let resume = text_of(&session, "[data-testid='visits-start']")?;
        ensure!(
            resume.contains("Carry on"),
            "the visits screen offers {resume:?}"
        );
        window_hash(&session, "#/home")?;
        click(&session, "[data-testid='to-visit-open']")?;
        on_step(&session, "tolerance")?;

        // 3. Never use alone: the region's line, the plan and who could check in.
        click(&session, "[data-testid='visit-next']")?;
        on_step(&session, "never-use-alone")?;
        let step = text_of(&session, "[data-testid='visit-step']")?;
        ensure!(
            step.contains("Alex"),
            "the support person is not offered: {step:?}"
        );
        ensure!(
            !session
                .find_all("[data-testid='visit-step'] [data-testid='tel-link']")?
                .is_empty(),
            "no line to call for never use alone (US)"
        );
        fill(
            &session,
            "[data-testid='visit-alone-plan']",
            "Text Alex before, door unlocked",
        )?;
        click(&session, "[data-testid='visit-alone-save']")?;
        session.wait_for("the plan to save", WAIT, || {
            Ok(page_text(&session)?.contains("never-use-alone plan is saved"))
        })?;
        check_both_sizes(&session, "84-visit-never-alone")?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;

        // 4. Treatment: what the person wants to try.
        click(&session, "[data-testid='visit-next']")?;
        on_step(&session, "treatment")?;
        click(
            &session,
            "[data-testid='visit-treatment'][value='methadone']",
        )?;
        click(
            &session,
            "[data-testid='visit-treatment'][value='talk-first']",
        )?;
        check_both_sizes(&session, "85-visit-treatment")?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;
        // Behind the curtain the choices are gone from the page.
        click(&session, "[data-testid='curtain-toggle']")?;
        session.find("[data-testid='curtain-placeholder']", WAIT)?;
        ensure!(
            session
                .find_all("[data-testid='visit-treatment']")?
                .is_empty(),
            "treatment choices show behind the curtain"
        );
        click(&session, "[data-testid='curtain-toggle']")?;
        session.find("[data-testid='visit-treatment']", WAIT)?;
        // Back one topic and forward again: the answers stay.
        click(&session, "[data-testid='visit-back']")?;
        on_step(&session, "never-use-alone")?;
        click(&session, "[data-testid='visit-next']")?;
        on_step(&session, "treatment")?;
        let checked = session.execute(
            "return [...document.querySelectorAll(`[data-testid='visit-treatment']`)].filter(e => e.checked).map(e => e.value);",
            vec![],
        )?;
        ensure!(
            checked == json!(["methadone", "talk-first"]),
            "after Back and Next the choices are {checked}"
        );

        // 5. The safety plan: skipped this time.
        click(&session, "[data-testid='visit-next']")?;
        on_step(&session, "safety-plan")?;
        session.find("[data-testid='visit-plan']", WAIT)?;
        // The plan opens to be changed, with the way back to the visit.
        click(&session, "[data-testid='visit-open-plan']")?;
        session.find("[data-testid='plan-help-people']", WAIT)?;
        click(&session, "[data-testid='plan-back-to-visit']")?;
        on_step(&session, "safety-plan")?;
        click(&session, "[data-testid='visit-skip']")?;

        // 6. Next steps and the next visit, then finish.
        on_step(&session, "next-steps")?;
        fill(&session, "[data-testid='visit-next-steps']", NEXT_STEPS)?;
        let next = local_date(&session, -14)?;
        set_value(&session, "[data-testid='visit-next-date']", &next)?;
        check_both_sizes(&session, "86-visit-next-steps")?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;
        // The journal locks in the middle of the step: what was typed is saved (a second after
        // the last key), and is there again after unlock.
        std::thread::sleep(Duration::from_millis(2500));
        click(&session, "[data-testid='lock-button']")?;
        session.find("[data-testid='unlock-panel']", WAIT)?;
        ensure!(
            !page_text(&session)?.contains(NEXT_STEPS),
            "the next steps show while locked"
        );
        unlock(&session, &passphrase)?;
        on_step(&session, "next-steps")?;
        let kept = session.execute(
            "return [document.querySelector(`[data-testid='visit-next-steps']`)?.value, document.querySelector(`[data-testid='visit-next-date']`)?.value];",
            vec![],
        )?;
        ensure!(
            kept == json!([NEXT_STEPS, next]),
            "after the lock the step holds {kept}"
        );
        click(&session, "[data-testid='curtain-toggle']")?;
        session.find("[data-testid='curtain-placeholder']", WAIT)?;
        ensure!(
            !page_text(&session)?.contains(NEXT_STEPS),
            "the next steps show behind the curtain"
        );
        click(&session, "[data-testid='curtain-toggle']")?;
        click(&session, "[data-testid='visit-finish']")?;

        // The summary.
        let topics = text_of(&session, "[data-testid='summary-topics']")?;
        for line in [
            "Naloxone: talked about",
            "Tolerance: talked about",
            "Never use alone: talked about",
            "Treatment: talked about",
            "Safety plan: not this time",
            "Next steps: talked about",
        ] {
            ensure!(
                topics.contains(line),
                "summary topics lack {line:?}: {topics:?}"
            );
        }
        ensure!(
            text_of(&session, "[data-testid='summary-worker']")? == WORKER,
            "worker"
        );
        let treatment = text_of(&session, "[data-testid='summary-treatment']")?;
        ensure!(
            treatment.contains("Methadone") && treatment.contains("Talk it over"),
            "treatment {treatment:?}"
        );
        ensure!(
            text_of(&session, "[data-testid='summary-next-steps']")? == NEXT_STEPS,
            "next steps"
        );
        ensure!(
            !text_of(&session, "[data-testid='summary-next-visit']")?.contains("Not planned"),
            "the next visit date is missing"
        );
        ensure!(
            !page_text(&session)?.contains(NOTE),
            "the journal note shows on the summary"
        );
        session.find("[data-testid='summary-print']", WAIT)?;
        check_both_sizes(&session, "87-visit-summary")?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;
        click(&session, "[data-testid='curtain-toggle']")?;
        session.find("[data-testid='curtain-placeholder']", WAIT)?;
        ensure!(
            !page_text(&session)?.contains(NEXT_STEPS),
            "next steps show behind the curtain"
        );
        click(&session, "[data-testid='curtain-toggle']")?;

        // The visit list has it; the kit record and the reminder were updated.
        window_hash(&session, "#/visits")?;
        let list = text_of(&session, "[data-testid='visit-list']")?;
        ensure!(list.contains("5 of 6 topics"), "visit list says {list:?}");
        window_hash(&session, "#/kits")?;
        let kits = text_of(&session, "[data-testid='kit-list']")?;
        ensure!(kits.contains(KIT_PLACE), "the kit page says {kits:?}");
        let upcoming = invoke(&session, "upcoming_reminders", json!({}))?;
        let visit_reminders: Vec<_> = upcoming
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|r| r["kind"] == "next_visit")
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        ensure!(
            visit_reminders.len() == 1
                && visit_reminders[0]["id"].as_str() == Some(&format!("visit:{next}")),
            "next-visit reminder: {upcoming}"
        );

        // Nothing of the visit is readable on disk.
        for entry in std::fs::read_dir(&data)?.flatten() {
            let p = entry.path();
            if p.is_file() {
                let bytes = std::fs::read(&p)?;
                for secret in [NEXT_STEPS, WORKER, KIT_PLACE] {
                    ensure!(
                        !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                        "{} holds {secret:?} in plain text",
                        p.display()
                    );
                }
            }
        }

        // A summary can be deleted (after a second tap); its reminder goes with it.
        window_hash(&session, "#/visits")?;
        click(&session, "[data-testid='visit-list'] a")?;
        click(&session, "[data-testid='summary-delete-ask']")?;
        click(&session, "[data-testid='summary-delete']")?;
        session.find("[data-testid='no-visits']", WAIT)?;
        let upcoming = invoke(&session, "upcoming_reminders", json!({}))?;
        ensure!(
            upcoming
                .as_array()
                .is_some_and(|a| a.iter().all(|r| r["kind"] != "next_visit")),
            "the deleted visit's reminder is still scheduled: {upcoming}"
        );
        Ok(())
    })
}
