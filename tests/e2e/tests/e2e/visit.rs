//! A peer visit as a peer worker and the person run it on the person's device: all six topics,
//! the kit updated on the way, the privacy curtain down and up again, a pause with the app
//! closed, then the summary (printable) and the next-visit reminder. The person's journal notes
//! never appear on any visit screen.

use std::time::Duration;

use holdfast_e2e::harness::{check_both_sizes, scenario_with_env, SetUp};
use holdfast_e2e::pages::home::days_count;
use holdfast_e2e::pages::lock::{lock, unlock_home};
use holdfast_e2e::pages::visit::{curtain_is_down, lower_curtain, raise_curtain, wait_step};
use holdfast_e2e::pages::{
    click, fill, finish_practice, invoke, local_date, page_text, record_use, set_value, text_of,
    unlock, window_hash, ENV, WAIT,
};
use holdfast_e2e::webdriver::Session;
use holdfast_e2e::{ensure, tid, Result};
use serde_json::json;

const NOTE: &str = "private-note-visit-5c1d";
const KIT_PLACE: &str = "Blue bag by the door";
const NEXT_STEPS: &str = "Call the clinic on Monday about methadone";
const WORKER: &str = "Samira Okafor";

/// The visit step on screen, once it is `step`; the journal note is not on it.
fn on_step(session: &Session, step: &str) -> Result<()> {
    wait_step(session, step)?;
    let text = page_text(session)?;
    ensure!(
        !text.contains(NOTE),
        "the journal note shows on the {step} step"
    );
    Ok(())
}

/// Next, then [`on_step`] for the topic it leads to.
fn next_topic(session: &Session, step: &str) -> Result<()> {
    click(session, &tid("visit-next"))?;
    on_step(session, step)
}

#[test]
fn a_peer_visit_from_start_to_summary_with_the_curtain() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let SetUp {
            session,
            data,
            passphrase,
            ..
        } = harness.launch_set_up()?;
        record_use(&session, NOTE)?;
        invoke(
            &session,
            "add_support_person",
            json!({ "person": { "name": "Alex", "relation": "brother", "phone": "+1 206 555 0111" } }),
        )?;

        // Home → Peer visits → start, with the peer worker's name.
        window_hash(&session, "#/home")?;
        click(&session, &tid("to-visits"))?;
        session.find(&tid("no-visits"), WAIT)?;
        click(&session, &tid("visits-start"))?;
        fill(&session, &tid("visit-worker"), WORKER)?;
        check_both_sizes(&session, "80-visit-start")?;
        click(&session, &tid("visit-start"))?;

        // 1. Naloxone: record where the kit is and when it expires.
        on_step(&session, "naloxone")?;
        ensure!(
            text_of(&session, &tid("visit-progress"))? == "Topic 1 of 6",
            "progress is not shown"
        );
        fill(&session, &tid("visit-kit-where"), KIT_PLACE)?;
        let expires = local_date(&session, -200)?;
        set_value(&session, &tid("visit-kit-expires"), &expires)?;
        click(&session, &tid("visit-kit-save"))?;
        session.wait_for("the kit in the list", WAIT, || {
            Ok(session
                .find_all(&tid("visit-kit"))?
                .first()
                .map(|k| session.text(k))
                .transpose()?
                .is_some_and(|t| t.contains(KIT_PLACE)))
        })?;
        check_both_sizes(&session, "81-visit-naloxone")?;

        // The curtain: one tap hides the kit; another shows it again.
        lower_curtain(&session)?;
        ensure!(
            curtain_is_down(&session)?,
            "the toggle does not say it is down"
        );
        let hidden = page_text(&session)?;
        ensure!(
            !hidden.contains(KIT_PLACE) && session.find_all(&tid("visit-kits"))?.is_empty(),
            "the kit shows behind the curtain"
        );
        check_both_sizes(&session, "82-visit-curtain-down")?;
        raise_curtain(&session)?;
        session.find(&tid("visit-kits"), WAIT)?;
        ensure!(!curtain_is_down(&session)?, "the curtain stays down");

        // "Have you practised?": practise now, then back to the visit at the same topic.
        click(&session, &tid("visit-practice"))?;
        session.find("#practice-title", WAIT)?;
        finish_practice(&session)?;
        session.find(&tid("practice-summary"), WAIT)?;
        click(&session, &tid("practice-back-to-visit"))?;
        on_step(&session, "naloxone")?;

        // 2. Tolerance, from the engine; hidden too while the curtain is down.
        next_topic(&session, "tolerance")?;
        let days = days_count(&session)?;
        ensure!(
            days.contains("0 days since your last use"),
            "tolerance step says {days:?}"
        );
        lower_curtain(&session)?;
        ensure!(
            session.find_all(&tid("days-count"))?.is_empty(),
            "days since last use show behind the curtain"
        );
        check_both_sizes(&session, "83-visit-tolerance-curtain")?;
        raise_curtain(&session)?;
        session.find(&tid("days-count"), WAIT)?;

        // Pause: the app is closed and opened again; the visit carries on where it was.
        click(&session, &tid("visit-pause"))?;
        session.find(&tid("journal-open"), WAIT)?;
        drop(session);
        std::thread::sleep(Duration::from_millis(500));
        let session = harness.relaunch_desktop()?;
        unlock_home(&session, &passphrase)?;
        // Home offers to carry on with the paused visit; so does the visits screen.
        ensure!(
            text_of(&session, &tid("to-visit-open"))? == "Carry on with the visit",
            "Home does not offer the paused visit"
        );
        window_hash(&session, "#/visits")?;
        let resume = text_of(&session, &tid("visits-start"))?;
        ensure!(
            resume.contains("Carry on"),
            "the visits screen offers {resume:?}"
        );
        window_hash(&session, "#/home")?;
        click(&session, &tid("to-visit-open"))?;
        on_step(&session, "tolerance")?;

        // 3. Never use alone: the region's line, the plan and who could check in.
        next_topic(&session, "never-use-alone")?;
        let step = text_of(&session, &tid("visit-step"))?;
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
            &tid("visit-alone-plan"),
            "Text Alex before, door unlocked",
        )?;
        click(&session, &tid("visit-alone-save"))?;
        session.wait_for("the plan to save", WAIT, || {
            Ok(page_text(&session)?.contains("never-use-alone plan is saved"))
        })?;
        check_both_sizes(&session, "84-visit-never-alone")?;

        // 4. Treatment: what the person wants to try.
        next_topic(&session, "treatment")?;
        click(
            &session,
            "[data-testid='visit-treatment'][value='methadone']",
        )?;
        click(
            &session,
            "[data-testid='visit-treatment'][value='talk-first']",
        )?;
        check_both_sizes(&session, "85-visit-treatment")?;
        // Behind the curtain the choices are gone from the page.
        lower_curtain(&session)?;
        ensure!(
            session.find_all(&tid("visit-treatment"))?.is_empty(),
            "treatment choices show behind the curtain"
        );
        raise_curtain(&session)?;
        session.find(&tid("visit-treatment"), WAIT)?;
        // Back one topic and forward again: the answers stay.
        click(&session, &tid("visit-back"))?;
        on_step(&session, "never-use-alone")?;
        next_topic(&session, "treatment")?;
        let checked = session.execute(
            "return [...document.querySelectorAll(`[data-testid='visit-treatment']`)].filter(e => e.checked).map(e => e.value);",
            vec![],
        )?;
        ensure!(
            checked == json!(["methadone", "talk-first"]),
            "after Back and Next the choices are {checked}"
        );

        // 5. The safety plan: skipped this time.
        next_topic(&session, "safety-plan")?;
        session.find(&tid("visit-plan"), WAIT)?;
        // The plan opens to be changed, with the way back to the visit.
        click(&session, &tid("visit-open-plan"))?;
        session.find(&tid("plan-help-people"), WAIT)?;
        click(&session, &tid("plan-back-to-visit"))?;
        on_step(&session, "safety-plan")?;
        click(&session, &tid("visit-skip"))?;

        // 6. Next steps and the next visit, then finish.
        on_step(&session, "next-steps")?;
        fill(&session, &tid("visit-next-steps"), NEXT_STEPS)?;
        let next = local_date(&session, -14)?;
        set_value(&session, &tid("visit-next-date"), &next)?;
        check_both_sizes(&session, "86-visit-next-steps")?;
        // The journal locks in the middle of the step: what was typed is saved (a second after
        // the last key), and is there again after unlock.
        std::thread::sleep(Duration::from_millis(2500));
        lock(&session)?;
        session.find(&tid("unlock-panel"), WAIT)?;
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
        lower_curtain(&session)?;
        ensure!(
            !page_text(&session)?.contains(NEXT_STEPS),
            "the next steps show behind the curtain"
        );
        raise_curtain(&session)?;
        click(&session, &tid("visit-finish"))?;

        // The summary.
        let topics = text_of(&session, &tid("summary-topics"))?;
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
            text_of(&session, &tid("summary-worker"))? == WORKER,
            "worker"
        );
        let treatment = text_of(&session, &tid("summary-treatment"))?;
        ensure!(
            treatment.contains("Methadone") && treatment.contains("Talk it over"),
            "treatment {treatment:?}"
        );
        ensure!(
            text_of(&session, &tid("summary-next-steps"))? == NEXT_STEPS,
            "next steps"
        );
        ensure!(
            !text_of(&session, &tid("summary-next-visit"))?.contains("Not planned"),
            "the next visit date is missing"
        );
        ensure!(
            !page_text(&session)?.contains(NOTE),
            "the journal note shows on the summary"
        );
        session.find(&tid("summary-print"), WAIT)?;
        check_both_sizes(&session, "87-visit-summary")?;
        lower_curtain(&session)?;
        ensure!(
            !page_text(&session)?.contains(NEXT_STEPS),
            "next steps show behind the curtain"
        );
        raise_curtain(&session)?;

        // The visit list has it; the kit record and the reminder were updated.
        window_hash(&session, "#/visits")?;
        let list = text_of(&session, &tid("visit-list"))?;
        ensure!(list.contains("5 of 6 topics"), "visit list says {list:?}");
        window_hash(&session, "#/kits")?;
        let kits = text_of(&session, &tid("kit-list"))?;
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
        click(&session, &tid("summary-delete-ask"))?;
        click(&session, &tid("summary-delete"))?;
        session.find(&tid("no-visits"), WAIT)?;
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
