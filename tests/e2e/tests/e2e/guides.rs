//! Guides around a restart (issue #16): a person searches Guides with their own words and opens
//! the right guide; the places where the question comes up link to its guide; every new guide
//! passes the accessibility audit in the real app.

use holdfast_e2e::axe;
use holdfast_e2e::harness::{check_both_sizes, scenario_with_env, SetUp};
use holdfast_e2e::pages::history::record_use_days_ago;
use holdfast_e2e::pages::home::go_home;
use holdfast_e2e::pages::{
    click, fill, go_to, href_of, open_hash, text_of, window_hash, ENV, WAIT,
};
use holdfast_e2e::webdriver::Session;
use holdfast_e2e::{ensure, tid, Result};
use serde_json::Value;

/// The guides issue #16 added, with a region each is shown in.
const NEW_GUIDES: &[(&str, &str)] = &[
    ("US", "restart-prescribed-opioid"),
    ("US", "taper-not-sudden-stop"),
    ("US", "restart-other-drugs"),
    ("US", "bridging-a-wait"),
    ("US", "withdrawal"),
    ("US", "side-effects"),
    ("US", "dependence-not-addiction"),
    ("US", "living-with-pain"),
    ("US", "buprenorphine"),
    ("US", "treatment-changes-us"),
    ("US", "talking-to-a-clinician"),
    ("US", "when-treatment-didnt-fit"),
    ("US", "triggers-and-warning-signs"),
    ("US", "peer-support"),
    ("US", "life-after-treatment"),
    ("US", "stimulant-overdose"),
    ("US", "what-not-to-do"),
    ("US", "tell-the-call-taker"),
    ("US", "naloxone-storage"),
    ("US", "nalmefene-us"),
    ("US", "xylazine-wounds"),
    ("US", "test-strip-results"),
    ("US", "supervised-sites-us"),
    ("CA", "treatment-options-ca"),
    ("CA", "supervised-sites-ca"),
    ("UK", "nyxoid"),
    ("UK", "drug-checking-uk"),
    ("AU", "supervised-sites-au"),
    ("NZ", "drug-checking-nz"),
];

/// Types `query` into the Guides search and waits for its results.
fn search(session: &Session, query: &str) -> Result<()> {
    fill(session, &tid("guide-search"), query)?;
    session.wait_for(&format!("results for {query:?}"), WAIT, || {
        // The heading names the query its results answer (not the box's newer text), so the
        // hits read after this are the answer to `query`, not to the one before.
        let v = session.execute(
            "const h = document.querySelector(`#search-title`); return h ? h.dataset.query : null;",
            vec![],
        )?;
        Ok(v.as_str() == Some(query.trim()))
    })
}

/// The search results on screen: (kind, id, what they show).
fn hits(session: &Session) -> Result<Vec<(String, String, String)>> {
    let v = session.execute(
        "return [...document.querySelectorAll(`[data-testid='search-hit']`)]\
         .map(h => [h.dataset.kind, h.dataset.id, h.innerText]);",
        vec![],
    )?;
    Ok(v.as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    let part = |i: usize| {
                        r.get(i)
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned()
                    };
                    (part(0), part(1), part(2))
                })
                .collect()
        })
        .unwrap_or_default())
}

/// Opens the search result for guide `id` and waits for that guide.
fn open_hit(session: &Session, id: &str) -> Result<String> {
    click(
        session,
        &format!("[data-testid='search-hit'][data-id='{id}'] a"),
    )?;
    wait_for_guide(session, id)
}

/// Waits until the guide `id` is on screen; returns its title.
fn wait_for_guide(session: &Session, id: &str) -> Result<String> {
    session.wait_for(&format!("the guide {id}"), WAIT, || {
        let v = session.execute("return window.location.hash;", vec![])?;
        Ok(v.as_str()
            .is_some_and(|h| h.starts_with(&format!("#/guide/{id}"))))
    })?;
    let title = text_of(session, "#guide-title")?;
    ensure!(!title.is_empty(), "the guide {id} has no title");
    Ok(title)
}

#[test]
fn a_person_searches_guides_in_their_own_words_and_opens_the_right_one() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let (session, _data) = harness.launch()?;
        go_to(&session, "guides")?;

        // "constipation": the side-effects guide first, with the word marked and named.
        search(&session, "constipation")?;
        let found = hits(&session)?;
        let (kind, id, text) = found.first().ok_or("no result for constipation")?;
        ensure!(
            kind == "guide" && id == "side-effects",
            "first result {kind} {id}; all: {found:?}"
        );
        ensure!(
            text.lines()
                .any(|l| l.starts_with("Matches:") && l.contains("constipation")),
            "the matching word is not named: {text:?}"
        );
        let marked = text_of(&session, "[data-testid='search-hit'] mark")?;
        ensure!(
            marked.eq_ignore_ascii_case("constipation"),
            "marked {marked:?}"
        );
        // The topic list gives way to the results.
        ensure!(
            session.find_all(&tid("guide-link"))?.is_empty(),
            "the topic list shows under the results"
        );
        check_both_sizes(&session, "24-guide-search")?;
        let title = open_hit(&session, "side-effects")?;
        ensure!(title.contains("constipation"), "opened {title:?}");

        // "benzo": the guide on benzos and other drugs after a break, near the top.
        go_to(&session, "guides")?;
        search(&session, "benzo")?;
        let found = hits(&session)?;
        ensure!(
            found
                .iter()
                .take(3)
                .any(|(_, id, _)| id == "restart-other-drugs"),
            "benzo: {found:?}"
        );
        let title = open_hit(&session, "restart-other-drugs")?;
        ensure!(title.contains("Benzos"), "opened {title:?}");

        // "waiting list": the guide for waiting for a place in treatment, first.
        go_to(&session, "guides")?;
        search(&session, "waiting list")?;
        let found = hits(&session)?;
        ensure!(
            found
                .first()
                .is_some_and(|(_, id, _)| id == "bridging-a-wait"),
            "waiting list: {found:?}"
        );
        let title = open_hit(&session, "bridging-a-wait")?;
        ensure!(title.contains("Waiting"), "opened {title:?}");

        // A misspelt word is corrected, and the screen says so.
        go_to(&session, "guides")?;
        search(&session, "constipaton")?;
        let note = text_of(&session, &tid("search-corrected"))?;
        ensure!(
            note.contains("constipaton") && note.contains("constipation"),
            "correction note {note:?}"
        );
        ensure!(
            hits(&session)?
                .first()
                .is_some_and(|(_, id, _)| id == "side-effects"),
            "corrected search: {:?}",
            hits(&session)?
        );

        // A phone line is found by its number, ready to call; a step opens its guide there.
        search(&session, "988")?;
        let found = hits(&session)?;
        ensure!(
            found
                .iter()
                .any(|(kind, id, _)| kind == "line" && id == "us-988"),
            "988: {found:?}"
        );
        session.find(
            "[data-testid='search-hit'][data-id='us-988'] [data-testid='tel-link']",
            WAIT,
        )?;
        search(&session, "gasp")?;
        let step = hits(&session)?
            .into_iter()
            .find(|(kind, _, _)| kind == "step")
            .ok_or("no step for 'gasp'")?;
        click(
            &session,
            &format!(
                "[data-testid='search-hit'][data-kind='step'][data-id='{}'] a",
                step.1
            ),
        )?;
        wait_for_guide(&session, &step.1)?;
        session.wait_for("the step to have focus", WAIT, || {
            let v = session.execute(
                "return document.activeElement ? document.activeElement.id : null;",
                vec![],
            )?;
            Ok(v.as_str().is_some_and(|id| id.starts_with("step-")))
        })?;

        // Nothing found: said plainly, with the way back to every guide.
        go_to(&session, "guides")?;
        search(&session, "zzqxv")?;
        let empty = text_of(&session, &tid("search-empty"))?;
        ensure!(empty.contains("Nothing found"), "empty says {empty:?}");
        check_both_sizes(&session, "25-guide-search-empty")?;
        // Clearing the box (as its own clear button does) brings the topic list back.
        session.execute(
            "const i = document.querySelector(`[data-testid='guide-search']`); i.value = ''; \
             i.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![],
        )?;
        session.find(&tid("guide-link"), WAIT)?;
        Ok(())
    })
}

#[test]
fn every_new_guide_passes_the_audit() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let (session, _data) = harness.launch()?;
        let mut shown = "";
        for (region, id) in NEW_GUIDES {
            if *region != shown {
                go_to(&session, "guides")?;
                session.find("#guides-region", WAIT)?;
                session.execute(
                    "const s = document.querySelector('#guides-region'); s.value = arguments[0]; \
                     s.dispatchEvent(new Event('change', { bubbles: true }));",
                    vec![Value::from(*region)],
                )?;
                session.find(&format!("[data-testid='guide-link'][data-id='{id}']"), WAIT)?;
                shown = region;
            }
            open_hash(&session, &format!("#/guide/{id}"), "#guide-title")?;
            wait_for_guide(&session, id)?;
            let report = axe::audit(&session)?;
            ensure!(
                report.violations.is_empty(),
                "{region} {id}: {}",
                report.violations.join("\n")
            );
            let sources = text_of(&session, "#sources-title + ul")?;
            ensure!(!sources.is_empty(), "{id} shows no sources");
        }
        open_hash(&session, "#/guide/stimulant-overdose", "#guide-title")?;
        check_both_sizes(&session, "26-guide-stimulant-overdose")?;
        open_hash(&session, "#/guide/withdrawal", "#guide-title")?;
        check_both_sizes(&session, "27-guide-withdrawal")?;
        Ok(())
    })
}

#[test]
fn where_the_question_comes_up_a_link_leads_to_its_guide() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let SetUp { session, .. } = harness.launch_set_up()?;
        record_use_days_ago(&session, 10)?;

        // The tolerance card on Home: the restart guides.
        go_home(&session)?;
        session.find(&tid("restart-guides"), WAIT)?;
        for (n, id) in [
            (1, "restart-other-drugs"),
            (2, "restart-prescribed-opioid"),
            (3, "bridging-a-wait"),
        ] {
            let link = format!("[data-testid='restart-guides'] a:nth-of-type({n})");
            ensure!(
                href_of(&session, &link)? == format!("#/guide/{id}"),
                "tolerance card link {n} goes to {}",
                href_of(&session, &link)?
            );
        }
        click(&session, "[data-testid='restart-guides'] a:nth-of-type(1)")?;
        wait_for_guide(&session, "restart-other-drugs")?;

        // Each screen's link, followed.
        for (hash, link, id) in [
            ("#/history", "restart-guide", "restart-prescribed-opioid"),
            ("#/checkin", "triggers-guide", "triggers-and-warning-signs"),
            (
                "#/plan",
                "warning-signs-guide",
                "triggers-and-warning-signs",
            ),
            ("#/kits", "storage-guide", "naloxone-storage"),
        ] {
            open_hash(&session, hash, &tid(link))?;
            click(&session, &tid(link))?;
            wait_for_guide(&session, id)?;
        }

        // History's restart advice, once asked: the guide for that medicine.
        open_hash(&session, "#/history", "#restart-medicine")?;
        session.execute(
            "const s = document.querySelector('#restart-medicine'); s.value = 'benzodiazepine'; \
             s.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![],
        )?;
        let last = holdfast_e2e::pages::local_date(&session, 6)?;
        holdfast_e2e::pages::set_value(&session, "#restart-last", &last)?;
        click(
            &session,
            "form[aria-labelledby='restart-title'] button[type='submit']",
        )?;
        click(&session, &tid("restart-advice-guide"))?;
        wait_for_guide(&session, "restart-other-drugs")?;

        // The treatment step of a peer visit: when treatment did not fit, and talking to a
        // doctor or nurse.
        window_hash(&session, "#/visits")?;
        click(&session, &tid("visits-start"))?;
        fill(&session, &tid("visit-worker"), "Sam")?;
        click(&session, &tid("visit-start"))?;
        for _ in 0..6 {
            let step = session.execute(
                "return document.querySelector(`[data-testid='visit-step']`)?.dataset.step ?? null;",
                vec![],
            )?;
            if step.as_str() == Some("treatment") {
                break;
            }
            click(&session, &tid("visit-next"))?;
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        holdfast_e2e::pages::visit::wait_step(&session, "treatment")?;
        for id in ["when-treatment-didnt-fit", "talking-to-a-clinician"] {
            session.find(
                &format!("[data-testid='visit-step'] .guides a[href$='#/guide/{id}']"),
                WAIT,
            )?;
        }
        Ok(())
    })
}
