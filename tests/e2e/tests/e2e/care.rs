//! Daily care as the person meets it: a check-in in a few taps (then changed), rising cravings
//! that bring the person's own plan to the top of Home, a safety plan with two support people
//! ready to print, and a naloxone kit near its expiry date.

use holdfast_e2e::harness::{check_both_sizes, scenario_with_env, SetUp};
use holdfast_e2e::pages::checkin::{self, choose};
use holdfast_e2e::pages::plan::{add_item, add_person};
use holdfast_e2e::pages::{
    click, fill, invoke, local_date, set_value, text_of, window_hash, ENV, WAIT,
};
use holdfast_e2e::{ensure, tid, Result};
use serde_json::{json, Value};

#[test]
fn a_check_in_takes_a_few_taps_and_can_be_changed() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let SetUp { session, .. } = harness.launch_set_up()?;
        click(&session, &tid("to-checkin"))?; // 1
        session.find(&tid("checkin-form"), WAIT)?;
        check_both_sizes(&session, "50-checkin-empty")?;
        choose(&session, "cravings", "4")?; // 2
        choose(&session, "mood", "3")?; // 3
        choose(&session, "used", "false")?; // 4
        choose(&session, "naloxone", "true")?; // 5
        let saved = checkin::save(&session)?; // 6
        ensure!(saved.contains("Checked in"), "after saving: {saved:?}");
        let trend = text_of(&session, &tid("trend-text"))?;
        ensure!(
            trend.contains("1 check-in") && trend.contains("cravings 4 of 10"),
            "trend says {trend:?}"
        );
        check_both_sizes(&session, "51-checkin-saved")?;

        // Coming back the same day shows today's answers, and they can be changed.
        window_hash(&session, "#/home")?;
        click(&session, &tid("to-checkin"))?;
        session.wait_for("today's check-in to load", WAIT, || {
            let v = session.execute(
                "return document.querySelector(`[data-testid='choice-cravings'] input[data-value='4']`)?.checked ?? false;",
                vec![],
            )?;
            Ok(v.as_bool() == Some(true))
        })?;
        choose(&session, "cravings", "2")?;
        // The person's own trigger list: add one, then take it off again.
        fill(&session, "#new-trigger", "Payday")?;
        click(&session, ".add-row button")?;
        session.find(&tid("trigger-remove"), WAIT)?;
        click(&session, "details.manage summary")?;
        click(&session, &tid("trigger-remove"))?;
        session.wait_for("the trigger to go", WAIT, || {
            Ok(session.find_all(&tid("trigger-remove"))?.is_empty())
        })?;
        let saved = checkin::save(&session)?;
        ensure!(
            saved.contains("changes are saved"),
            "after changing: {saved:?}"
        );
        let trend = text_of(&session, &tid("trend-text"))?;
        ensure!(
            trend.contains("1 check-in") && trend.contains("cravings 2 of 10"),
            "trend after change {trend:?}"
        );
        Ok(())
    })
}

#[test]
fn rising_cravings_bring_the_persons_own_plan_to_the_top() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let SetUp { session, .. } = harness.launch_set_up()?;
        // The plan first: a coping step and a support person.
        window_hash(&session, "#/plan")?;
        add_item(&session, "coping_step", "Walk to the river")?;
        add_person(&session, "Sam", "+1 206 555 0100")?;
        session.find(&tid("plan-person"), WAIT)?;

        // Two earlier days, recorded with their dates, then today's check-in in the app.
        for (days_ago, cravings) in [(2, 3), (1, 5)] {
            let date = local_date(&session, days_ago)?;
            let entry = json!({
                "date": date, "cravings": cravings, "mood": 3, "sleep": null,
                "halt": { "hungry": false, "angry": false, "lonely": false, "tired": false },
                "triggers": [], "warning_signs": [], "used_since_last": false,
                "naloxone_with_me": null, "note": null,
                "recorded": { "utc": format!("{date}T12:00:00Z"), "offset_seconds": 0 }
            });
            invoke(&session, "add_checkin", json!({ "entry": entry }))?;
        }
        window_hash(&session, "#/checkin")?;
        choose(&session, "cravings", "7")?;
        choose(&session, "mood", "2")?;
        checkin::save(&session)?;

        window_hash(&session, "#/home")?;
        let nudge = text_of(&session, &tid("nudge"))?;
        ensure!(
            nudge.contains("Walk to the river"),
            "nudge lacks the coping step: {nudge:?}"
        );
        ensure!(
            nudge.contains("Sam"),
            "nudge lacks the support person: {nudge:?}"
        );
        let href = session.execute(
            "return document.querySelector(`[data-testid='nudge-people'] a[href^='tel:']`)?.getAttribute('href');",
            vec![],
        )?;
        ensure!(
            href.as_str() == Some("tel:+12065550100"),
            "call link {href}"
        );
        // It sits above the tolerance card.
        let order = session.execute(
            "const n = document.querySelector(`[data-testid='nudge']`), t = document.querySelector(`[data-testid='tolerance-card']`); \
             return !!(n && t && (n.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING));",
            vec![],
        )?;
        ensure!(order.as_bool() == Some(true), "the nudge is not at the top");
        check_both_sizes(&session, "52-home-nudge")?;
        Ok(())
    })
}

#[test]
fn a_safety_plan_with_two_support_people_prints_on_one_page() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let SetUp { session, .. } = harness.launch_set_up()?;
        click(&session, &tid("to-plan"))?;
        for (kind, text) in [
            ("warning_sign", "Not sleeping"),
            ("warning_sign", "Skipping meals"),
            ("coping_step", "Call a line"),
            ("distraction", "The library"),
        ] {
            add_item(&session, kind, text)?;
        }
        for (name, phone) in [("Sam", "+1 206 555 0100"), ("Alex", "+1 206 555 0111")] {
            add_person(&session, name, phone)?;
            session.wait_for(&format!("{name} in the plan"), WAIT, || {
                Ok(text_of(&session, &tid("plan-help-people"))?.contains(name))
            })?;
        }
        // Someone added by mistake can be taken off again.
        fill(&session, &tid("person-name"), "Temp")?;
        click(&session, &tid("person-add"))?;
        session.wait_for("three people", WAIT, || {
            Ok(session.find_all(&tid("plan-person"))?.len() == 3)
        })?;
        let removes = session.find_all(&tid("person-remove"))?;
        let last = removes.last().ok_or("no remove button")?;
        session.click(last)?;
        session.wait_for("two people again", WAIT, || {
            Ok(session.find_all(&tid("plan-person"))?.len() == 2)
        })?;
        // A person's details can be changed, and the list put in another order.
        let edits = session.find_all(&tid("person-edit"))?;
        session.click(edits.get(1).ok_or("no Change button for Alex")?)?;
        fill(&session, &tid("person-edit-name"), "Alex K")?;
        fill(&session, &tid("person-edit-phone"), "+1 206 555 0122")?;
        click(&session, &tid("person-edit-save"))?;
        session.wait_for("Alex's new details", WAIT, || {
            let t = text_of(&session, &tid("plan-help-people"))?;
            Ok(t.contains("Alex K") && t.contains("+12065550122") && !t.contains("+12065550111"))
        })?;
        click(
            &session,
            "[data-testid='plan-help-people'] [data-testid='plan-move-up']",
        )?;
        session.wait_for("Alex K first", WAIT, || {
            let people = session.find_all(&tid("plan-person"))?;
            Ok(match people.first() {
                Some(first) => session.text(first)?.starts_with("Alex K"),
                None => false,
            })
        })?;
        let warning_up =
            session.find_all("[data-testid='plan-warning_sign'] [data-testid='plan-move-up']")?;
        let up = warning_up
            .first()
            .ok_or("no Move up for the second warning sign")?;
        session.click(up)?;
        session.wait_for("Skipping meals first", WAIT, || {
            Ok(text_of(&session, "[data-testid='plan-warning_sign'] li")?
                .starts_with("Skipping meals"))
        })?;
        // A phone that is not a phone is refused with a clear message, and nothing is added.
        add_person(&session, "Nobody", "12")?;
        let err = text_of(&session, &tid("plan-error"))?;
        ensure!(
            err.to_lowercase().contains("phone"),
            "bad phone said {err:?}"
        );
        ensure!(
            session.find_all(&tid("plan-person"))?.len() == 2,
            "a bad person was added"
        );
        check_both_sizes(&session, "53-safety-plan")?;

        // Print: the button asks the web view to print, and the plan without its editing parts
        // fits one A4 page (12 mm margins, 186 mm wide).
        session.execute(
            "window.__printed = 0; window.print = () => { window.__printed += 1; };",
            vec![],
        )?;
        click(&session, &tid("plan-print"))?;
        let printed = session.execute("return window.__printed;", vec![])?;
        ensure!(
            printed.as_i64() == Some(1),
            "print was called {printed} times"
        );
        // The print rules are applied as screen rules (the same CSS the printer gets), then the
        // plan is laid out at the printable width and measured.
        let fits = session.execute(
            "for (const sheet of [...document.styleSheets]) { \
               for (const rule of [...sheet.cssRules]) { \
                 if (rule instanceof CSSMediaRule && rule.media.mediaText.includes('print')) { \
                   for (const r of [...rule.cssRules]) sheet.insertRule(r.cssText, sheet.cssRules.length); \
                 } } } \
             const s = document.querySelector('section.plan'); s.style.width = (186 * 96 / 25.4) + 'px'; \
             return [s.getBoundingClientRect().height, 273 * 96 / 25.4];",
            vec![],
        )?;
        let h = fits.get(0).and_then(Value::as_f64).unwrap_or(f64::MAX);
        let page = fits.get(1).and_then(Value::as_f64).unwrap_or(0.0);
        ensure!(
            h <= page,
            "the plan is {h:.0}px tall; one page holds {page:.0}px"
        );
        Ok(())
    })
}

#[test]
fn a_kit_expiring_in_20_days_says_so_and_used_points_to_a_new_one() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let SetUp { session, .. } = harness.launch_set_up()?;
        click(&session, &tid("to-kits"))?;
        session.find(&tid("no-kits"), WAIT)?;
        fill(&session, &tid("kit-where"), "Kitchen drawer")?;
        let expires = local_date(&session, -20)?;
        set_value(&session, &tid("kit-expires"), &expires)?;
        click(&session, &tid("kit-add"))?;
        let status = text_of(&session, &tid("kit-status"))?;
        ensure!(
            status.contains("Expires in 20 days"),
            "kit status {status:?}"
        );
        check_both_sizes(&session, "54-kits")?;
        click(&session, &tid("kit-used-button"))?;
        let used = text_of(&session, &tid("kit-used"))?;
        ensure!(
            used.contains("Where to get naloxone"),
            "after use: {used:?}"
        );
        let status = text_of(&session, &tid("kit-status"))?;
        ensure!(
            status.starts_with("Used on"),
            "kit status after use {status:?}"
        );
        Ok(())
    })
}
