//! Days since last use and the tolerance warning, as the person sees them on Home: a last use
//! ten days ago, a release from prison three days ago, a use logged now, and missed methadone.

use holdfast_e2e::harness::{check_both_sizes, scenario_with_env, SetUp};
use holdfast_e2e::pages::history::{record_break, record_use_days_ago};
use holdfast_e2e::pages::home::{days_count, go_home, tolerance_card};
use holdfast_e2e::pages::{click, local_date, set_value, text_of, window_hash, ENV, WAIT};
use holdfast_e2e::{ensure, tid, Result};

#[test]
fn a_last_use_ten_days_ago_shows_ten_days_and_dropped_tolerance() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let SetUp { session, .. } = harness.launch_set_up()?;
        let days = days_count(&session)?;
        ensure!(days.contains("not set yet"), "before any use: {days:?}");
        check_both_sizes(&session, "40-home-not-set")?;

        record_use_days_ago(&session, 10)?;
        go_home(&session)?;
        let days = days_count(&session)?;
        ensure!(
            days.contains("10 days since your last use"),
            "home says {days:?}"
        );
        let (level, facts, text, actions) = tolerance_card(&session)?;
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
        let milestone = text_of(&session, &tid("milestone"))?;
        ensure!(
            milestone.contains("1 week") && milestone.contains("use much less"),
            "milestone {milestone:?}"
        );
        let timeline = text_of(&session, &tid("timeline-text"))?;
        ensure!(
            timeline.contains("use recorded on 1 day"),
            "timeline says {timeline:?}"
        );
        check_both_sizes(&session, "41-home-ten-days")?;

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
        let SetUp { session, .. } = harness.launch_set_up()?;
        let went_in = local_date(&session, 200)?;
        let out = local_date(&session, 3)?;
        record_break(&session, "prison_release", Some(&went_in), Some(&out), None)?;
        go_home(&session)?;
        let (level, facts, text, actions) = tolerance_card(&session)?;
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
        let timeline = text_of(&session, &tid("timeline-text"))?;
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
        let SetUp { session, .. } = harness.launch_set_up()?;
        record_use_days_ago(&session, 10)?;
        go_home(&session)?;
        ensure!(days_count(&session)?.contains("10 days"), "not 10 days");

        window_hash(&session, "#/history")?;
        click(&session, &tid("use-when-now"))?;
        click(&session, &tid("use-save"))?;
        let ack = text_of(&session, &tid("use-saved"))?;
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

        go_home(&session)?;
        let days = days_count(&session)?;
        ensure!(
            days.contains("0 days since your last use"),
            "home says {days:?}"
        );
        let restarts = text_of(&session, &tid("restarts"))?;
        ensure!(restarts.trim() == "1", "restarts shows {restarts:?}");
        let longest = text_of(&session, &tid("longest-stretch"))?;
        ensure!(longest.contains("10 days"), "longest stretch {longest:?}");
        Ok(())
    })
}

#[test]
fn four_missed_methadone_days_say_see_the_clinic_before_the_usual_dose() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let SetUp { session, .. } = harness.launch_set_up()?;
        set_value(&session, &tid("treatment"), "methadone")?;
        let first_missed = local_date(&session, 4)?;
        record_break(
            &session,
            "missed_methadone_doses",
            Some(&first_missed),
            None,
            Some(4),
        )?;
        go_home(&session)?;
        let (level, facts, text, actions) = tolerance_card(&session)?;
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
        let SetUp { session, .. } = harness.launch_set_up()?;
        record_use_days_ago(&session, 10)?;
        // "It was last Tuesday, not the week before": move it to 5 days ago.
        window_hash(&session, "#/history")?;
        click(&session, &tid("use-edit"))?;
        let date = local_date(&session, 5)?;
        set_value(&session, &tid("use-at"), &format!("{date}T12:00"))?;
        click(&session, &tid("use-save"))?;
        session.find(&tid("use-changed"), WAIT)?;
        check_both_sizes(&session, "45-history-edited")?;
        go_home(&session)?;
        let days = days_count(&session)?;
        ensure!(
            days.contains("5 days since your last use"),
            "after the edit: {days:?}"
        );
        // Deleting it: back to not set.
        window_hash(&session, "#/history")?;
        click(&session, &tid("use-delete"))?;
        click(&session, &tid("use-delete-confirm"))?;
        session.find(&tid("no-uses"), WAIT)?;
        go_home(&session)?;
        let days = days_count(&session)?;
        ensure!(days.contains("not set yet"), "after deleting: {days:?}");
        Ok(())
    })
}
