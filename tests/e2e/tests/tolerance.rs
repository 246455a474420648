//! Days since last use and the tolerance warning, as the person sees them on Home: a last use
//! ten days ago, a release from prison three days ago, a use logged now, and missed methadone.

use holdfast_e2e::flows::{
    click, fill, local_date, set_up, set_value, text_of, window_hash, ENV, WAIT,
};
use holdfast_e2e::harness::{check_both_sizes, scenario_with_env, DESKTOP};
use holdfast_e2e::webdriver::Session;
use holdfast_e2e::{ensure, Result};

fn go_home(session: &Session) -> Result<()> {
    window_hash(session, "#/home")?;
    session.find("[data-testid='days-card']", WAIT)?;
    Ok(())
}

/// The level, reasons' fact ids and texts, and actions the tolerance card shows.
fn card(session: &Session) -> Result<(String, Vec<String>, String, Vec<String>)> {
    let el = session.find("[data-testid='tolerance-card']", WAIT)?;
    let level = session.attribute(&el, "data-level")?.unwrap_or_default();
    let v = session.execute(
        "return { facts: [...document.querySelectorAll(`[data-testid='tolerance-reason']`)].map(e => e.dataset.fact), \
                  actions: [...document.querySelectorAll(`[data-testid='tolerance-action']`)].map(e => e.dataset.action) };",
        vec![],
    )?;
    let list = |k: &str| -> Vec<String> {
        v[k].as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    Ok((level, list("facts"), session.text(&el)?, list("actions")))
}

fn record_use_days_ago(session: &Session, days: u32) -> Result<()> {
    window_hash(session, "#/history")?;
    click(session, "[data-testid='use-when-earlier']")?;
    let date = local_date(session, i64::from(days))?;
    set_value(session, "[data-testid='use-at']", &format!("{date}T12:00"))?;
    click(session, "[data-testid='use-save']")?;
    session.find("[data-testid='use-saved']", WAIT)?;
    Ok(())
}

fn record_break(
    session: &Session,
    kind: &str,
    start: Option<&str>,
    end: Option<&str>,
    days: Option<u32>,
) -> Result<()> {
    window_hash(session, "#/history")?;
    set_value(session, "[data-testid='break-kind']", kind)?;
    if let Some(s) = start {
        set_value(session, "[data-testid='break-start']", s)?;
    }
    if let Some(e) = end {
        set_value(session, "[data-testid='break-end']", e)?;
    }
    if let Some(d) = days {
        fill(session, "[data-testid='missed-days']", &d.to_string())?;
    }
    click(session, "[data-testid='break-save']")?;
    session.find("[data-testid='break-saved']", WAIT)?;
    Ok(())
}

#[test]
fn a_last_use_ten_days_ago_shows_ten_days_and_dropped_tolerance() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let (session, _data) = harness.launch()?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;
        set_up(&session, false)?;
        let days = text_of(&session, "[data-testid='days-count']")?;
        ensure!(days.contains("not set yet"), "before any use: {days:?}");
        check_both_sizes(&session, "40-home-not-set")?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;

        record_use_days_ago(&session, 10)?;
        go_home(&session)?;
        let days = text_of(&session, "[data-testid='days-count']")?;
        ensure!(
            days.contains("10 days since your last use"),
            "home says {days:?}"
        );
        let (level, facts, text, actions) = card(&session)?;
        ensure!(level == "high", "level {level}");
        ensure!(
            facts.iter().any(|f| f == "tolerance-3-days"),
            "reasons cite {facts:?}"
        );
        ensure!(text.contains("tolerance"), "card says {text:?}");
        // The reason names its source, one tap away.
        let source = session.execute(
            "const r = document.querySelector(`[data-fact='tolerance-3-days']`); \
             r.querySelector('summary').click(); \
             return r.querySelector(`[data-testid='reason-source']`).innerText;",
            vec![],
        )?;
        let source = source.as_str().unwrap_or_default();
        ensure!(
            source.starts_with("Source: ") && source.len() > 20,
            "source shown as {source:?}"
        );
        for a in ["naloxone", "never_use_alone", "treatment"] {
            ensure!(
                actions.iter().any(|x| x == a),
                "actions {actions:?} lack {a}"
            );
        }
        // The milestone for a week is there, with the lower-tolerance reminder.
        let milestone = text_of(&session, "[data-testid='milestone']")?;
        ensure!(
            milestone.contains("1 week") && milestone.contains("use much less"),
            "milestone {milestone:?}"
        );
        let timeline = text_of(&session, "[data-testid='timeline-text']")?;
        ensure!(
            timeline.contains("use recorded on 1 day"),
            "timeline says {timeline:?}"
        );
        check_both_sizes(&session, "41-home-ten-days")?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;

        // Each action opens its guidance.
        for (action, topic) in [
            ("naloxone", "naloxone"),
            ("never_use_alone", "never-use-alone"),
            ("treatment", "treatment"),
        ] {
            go_home(&session)?;
            click(&session, &format!("[data-action='{action}'] a"))?;
            session.wait_for(&format!("the {topic} guide"), WAIT, || {
                let h = session.execute("return location.hash;", vec![])?;
                Ok(h.as_str().is_some_and(|h| h.starts_with("#/guide/")))
            })?;
            let shown = session.execute(
                "return document.querySelector('main h1').innerText;",
                vec![],
            )?;
            ensure!(
                shown.as_str().is_some_and(|s| !s.is_empty()),
                "no guide heading for {action}"
            );
        }
        Ok(())
    })
}

#[test]
fn release_from_prison_three_days_ago_is_the_highest_risk() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let (session, _data) = harness.launch()?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;
        set_up(&session, false)?;
        let went_in = local_date(&session, 200)?;
        let out = local_date(&session, 3)?;
        record_break(&session, "prison_release", Some(&went_in), Some(&out), None)?;
        go_home(&session)?;
        let (level, facts, text, actions) = card(&session)?;
        ensure!(level == "highest", "level {level}; card {text:?}");
        ensure!(
            facts.iter().any(|f| f == "prison-release"),
            "reasons cite {facts:?}"
        );
        ensure!(
            text.contains("Highest risk") && text.contains("2 weeks"),
            "card says {text:?}"
        );
        ensure!(
            actions.iter().any(|a| a == "naloxone"),
            "actions {actions:?}"
        );
        let timeline = text_of(&session, "[data-testid='timeline-text']")?;
        ensure!(
            timeline.contains("Released from jail or prison"),
            "timeline says {timeline:?}"
        );
        check_both_sizes(&session, "42-home-prison-release")?;
        Ok(())
    })
}

#[test]
fn a_use_logged_now_resets_the_count_with_safety_not_judgement() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let (session, _data) = harness.launch()?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;
        set_up(&session, false)?;
        record_use_days_ago(&session, 10)?;
        go_home(&session)?;
        ensure!(
            text_of(&session, "[data-testid='days-count']")?.contains("10 days"),
            "not 10 days"
        );

        window_hash(&session, "#/history")?;
        click(&session, "[data-testid='use-when-now']")?;
        click(&session, "[data-testid='use-save']")?;
        let ack = text_of(&session, "[data-testid='use-saved']")?;
        for words in ["Use less", "Don't use alone", "naloxone"] {
            ensure!(
                ack.contains(words),
                "acknowledgement lacks {words:?}: {ack:?}"
            );
        }
        for bad in ["fail", "relapse", "clean", "dirty", "abuse"] {
            ensure!(
                !ack.to_lowercase().contains(bad),
                "acknowledgement says {bad:?}"
            );
        }
        let links = session.find_all("[data-testid='use-saved'] a")?;
        ensure!(links.len() == 3, "{} safety links", links.len());
        check_both_sizes(&session, "43-use-logged-now")?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;

        go_home(&session)?;
        let days = text_of(&session, "[data-testid='days-count']")?;
        ensure!(
            days.contains("0 days since your last use"),
            "home says {days:?}"
        );
        let restarts = text_of(&session, "[data-testid='restarts']")?;
        ensure!(restarts.trim() == "1", "restarts shows {restarts:?}");
        let longest = text_of(&session, "[data-testid='longest-stretch']")?;
        ensure!(longest.contains("10 days"), "longest stretch {longest:?}");
        Ok(())
    })
}

#[test]
fn four_missed_methadone_days_say_see_the_clinic_before_the_usual_dose() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let (session, _data) = harness.launch()?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;
        set_up(&session, false)?;
        set_value(&session, "[data-testid='treatment']", "methadone")?;
        let first_missed = local_date(&session, 4)?;
        record_break(
            &session,
            "missed_methadone_doses",
            Some(&first_missed),
            None,
            Some(4),
        )?;
        go_home(&session)?;
        let (level, facts, text, actions) = card(&session)?;
        ensure!(
            facts.iter().any(|f| f == "missed-methadone"),
            "reasons cite {facts:?}; card {text:?}"
        );
        ensure!(level == "high" || level == "highest", "level {level}");
        ensure!(
            text.contains("Do not take your usual dose"),
            "card says {text:?}"
        );
        ensure!(
            actions.iter().any(|a| a == "see_clinic_before_dose"),
            "actions {actions:?}"
        );
        ensure!(
            text.contains("See your clinic before your next dose"),
            "card says {text:?}"
        );
        check_both_sizes(&session, "44-home-missed-methadone")?;
        Ok(())
    })
}

#[test]
fn editing_and_deleting_entries_change_the_count() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let (session, _data) = harness.launch()?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;
        set_up(&session, false)?;
        record_use_days_ago(&session, 10)?;
        // "It was last Tuesday, not the week before": move it to 5 days ago.
        window_hash(&session, "#/history")?;
        click(&session, "[data-testid='use-edit']")?;
        let date = local_date(&session, 5)?;
        set_value(&session, "[data-testid='use-at']", &format!("{date}T12:00"))?;
        click(&session, "[data-testid='use-save']")?;
        session.find("[data-testid='use-changed']", WAIT)?;
        check_both_sizes(&session, "45-history-edited")?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;
        go_home(&session)?;
        let days = text_of(&session, "[data-testid='days-count']")?;
        ensure!(
            days.contains("5 days since your last use"),
            "after the edit: {days:?}"
        );
        // Deleting it: back to not set.
        window_hash(&session, "#/history")?;
        click(&session, "[data-testid='use-delete']")?;
        click(&session, "[data-testid='use-delete-confirm']")?;
        session.find("[data-testid='no-uses']", WAIT)?;
        go_home(&session)?;
        let days = text_of(&session, "[data-testid='days-count']")?;
        ensure!(days.contains("not set yet"), "after deleting: {days:?}");
        Ok(())
    })
}
