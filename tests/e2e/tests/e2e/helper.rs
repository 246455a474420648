//! The helper path (issue #7): family and friends choose "I'm here to help someone" at first run,
//! get a Home of their own with overdose help, practice, naloxone, the law and support, and are
//! never asked for a passphrase; Holdfast writes nothing but its plain settings. The path can be
//! switched to the personal one (setup begins) and back, and switching never touches a journal.

use std::collections::BTreeSet;
use std::path::Path;

use holdfast_e2e::harness::{check_both_sizes, save_screenshot, scenario_with_env, DESKTOP};
use holdfast_e2e::pages::settings::switch_mode;
use holdfast_e2e::pages::{
    click, finish_practice, go_to, href_of, invoke, invoke_raw, set_up, text_of, ENV, WAIT,
};
use holdfast_e2e::webdriver::Session;
use holdfast_e2e::{ensure, tid, Result};
use serde_json::Value;

/// Any field a passphrase could be typed into: every passphrase field in Holdfast is a
/// `PassphraseInput`, whose input is `type=password` (or `text` while shown) with an id and
/// autocomplete naming it.
const PASSPHRASE_FIELD: &str = "input[type='password'], input[autocomplete$='password'], \
                                input[id*='passphrase'], input[data-testid*='passphrase']";

/// Watches the page from now on and remembers whether a passphrase field ever appeared, even for
/// a moment. The page is one document for the whole session (screens are hash routes), so the
/// watcher sees every screen shown after it is installed.
fn watch_for_passphrase_fields(session: &Session) -> Result<()> {
    session.execute(
        "const sel = arguments[0]; \
         window.__passphraseSeen = window.__passphraseSeen || !!document.querySelector(sel); \
         new MutationObserver(() => { \
           if (document.querySelector(sel)) window.__passphraseSeen = true; \
         }).observe(document.documentElement, { subtree: true, childList: true, attributes: true });",
        vec![Value::from(PASSPHRASE_FIELD)],
    )?;
    Ok(())
}

fn passphrase_field_was_seen(session: &Session) -> Result<bool> {
    let now = session.execute(
        "return !!document.querySelector(arguments[0]) || window.__passphraseSeen === true;",
        vec![Value::from(PASSPHRASE_FIELD)],
    )?;
    Ok(now == Value::Bool(true))
}

/// The names in a folder (files and folders alike), or none when it does not exist.
fn names_in(dir: &Path) -> Result<BTreeSet<String>> {
    if !dir.exists() {
        return Ok(BTreeSet::new());
    }
    let mut names = BTreeSet::new();
    for entry in std::fs::read_dir(dir)? {
        names.insert(entry?.file_name().to_string_lossy().into_owned());
    }
    Ok(names)
}

/// What "nothing written but settings" means, precisely. The harness gives the app its own,
/// empty data folder (`--data-dir`); everything Holdfast itself writes goes there (journal,
/// keys, set-aside files, temporary files of its atomic writes) or to the backup folder.
/// WebKit keeps its own cache and storage under the XDG folders of the user, not in this data
/// folder, so it does not count and cannot hide here. So the rule is: the data folder holds
/// exactly `settings.json` and nothing else (no `journal.db`, no `keyslots.json`, no
/// `settings.json.damaged`, no leftover temporary file, no sub-folder), `settings.json` holds
/// only the plain settings with mode `helper`, and the backup folder was never created.
fn assert_only_settings_written(data: &Path, backups: &Path) -> Result<()> {
    let names = names_in(data)?;
    // And the lock one running Holdfast holds on the folder (empty).
    let expected: BTreeSet<String> =
        ["holdfast.lock".to_owned(), "settings.json".to_owned()].into();
    ensure!(
        names == expected,
        "the data folder should hold only settings.json and the lock, but holds {names:?}"
    );
    ensure!(
        std::fs::metadata(data.join("holdfast.lock"))?.len() == 0,
        "the lock file holds something"
    );
    ensure!(
        data.join("settings.json").is_file(),
        "settings.json is not a plain file"
    );
    let settings: Value = serde_json::from_slice(&std::fs::read(data.join("settings.json"))?)?;
    let obj = settings
        .as_object()
        .ok_or("settings.json is not a JSON object")?;
    for key in obj.keys() {
        ensure!(
            ["region", "idleLockMinutes", "mode"].contains(&key.as_str()),
            "settings.json holds an unexpected field {key:?}: {settings}"
        );
    }
    ensure!(
        obj.get("mode") == Some(&Value::from("helper")),
        "settings.json should say mode helper: {settings}"
    );
    ensure!(
        !backups.exists(),
        "the backup folder {} was created",
        backups.display()
    );
    Ok(())
}

#[test]
fn a_helper_goes_from_first_run_to_a_finished_practice_with_no_passphrase_and_no_journal(
) -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let (session, data) = harness.launch()?;
        watch_for_passphrase_fields(&session)?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;

        // First run offers both paths.
        session.find(&tid("journal-first-run"), WAIT)?;
        let helper_choice = text_of(&session, &tid("choose-helper"))?;
        ensure!(
            helper_choice.contains("I'm here to help someone"),
            "the helper choice says {helper_choice:?}"
        );
        let me_choice = text_of(&session, &tid("to-setup"))?;
        ensure!(
            me_choice.contains("This is for me"),
            "the personal choice says {me_choice:?}"
        );
        check_both_sizes(&session, "70-first-run-choice")?;

        click(&session, &tid("choose-helper"))?;
        session.find(&tid("helper-home"), WAIT)?;
        let heading = text_of(&session, "main h1")?;
        ensure!(
            heading == "Helping someone you care about",
            "helper home heading is {heading:?}"
        );
        // The overdose button comes first, before any tile.
        let first_link = session.execute(
            "const a = document.querySelector('[data-testid=\"helper-home\"] a'); \
             return a ? a.dataset.testid : null;",
            vec![],
        )?;
        ensure!(
            first_link.as_str() == Some("home-emergency"),
            "the first link on helper home is {first_link}"
        );
        for tile in [
            "helper-practice",
            "helper-naloxone",
            "helper-after-naloxone",
            "helper-stimulant",
            "helper-good-samaritan",
            "helper-talking",
            "helper-support",
            "helper-lines",
            "helper-to-personal",
        ] {
            session.find(&tid(tile), WAIT)?;
        }
        // Naloxone leads to where to get it in this region (US here), after-naloxone to its guide.
        // (WebDriver gives the resolved address; compare the hash.)
        let href = |css: &str| href_of(&session, css);
        ensure!(
            href(&tid("helper-naloxone"))? == "#/guide/naloxone-get-us",
            "naloxone tile goes to {}",
            href(&tid("helper-naloxone"))?
        );
        ensure!(
            href(&tid("helper-after-naloxone"))? == "#/guide/after-naloxone",
            "after-naloxone tile goes to {}",
            href(&tid("helper-after-naloxone"))?
        );
        ensure!(
            href(&tid("helper-stimulant"))? == "#/guide/stimulant-overdose",
            "stimulant tile goes to {}",
            href(&tid("helper-stimulant"))?
        );
        ensure!(
            href(&tid("helper-good-samaritan"))?.starts_with("#/guide/good-samaritan"),
            "law tile goes to {}",
            href(&tid("helper-good-samaritan"))?
        );
        ensure!(
            href(&tid("helper-talking"))? == "#/guide/talking-without-shame",
            "talking tile goes to {}",
            href(&tid("helper-talking"))?
        );
        ensure!(
            href(&tid("helper-support"))? == "#/guide/support-for-you-us",
            "support tile goes to {}",
            href(&tid("helper-support"))?
        );
        // No journal card, no unlock panel, nothing personal.
        for absent in [
            tid("journal-first-run"),
            tid("unlock-panel"),
            tid("journal-open"),
        ] {
            ensure!(
                session.find_all(&absent)?.is_empty(),
                "helper home shows {absent}"
            );
        }
        check_both_sizes(&session, "71-helper-home")?;

        // The after-naloxone guide opens from its tile.
        click(&session, &tid("helper-after-naloxone"))?;
        session.find("main h1", WAIT)?;
        let guide_title = text_of(&session, "main h1")?;
        ensure!(
            guide_title.contains("After naloxone"),
            "after-naloxone tile opened {guide_title:?}"
        );

        // Practice, from helper home, to its finished state.
        go_to(&session, "home")?;
        click(&session, &tid("helper-practice"))?;
        session.find("#practice-title", WAIT)?;
        finish_practice(&session)?;
        let summary = text_of(&session, &tid("practice-summary"))?;
        ensure!(
            summary.starts_with("You did every step, in order"),
            "practice summary: {summary:?}"
        );
        session.find(&tid("practice-again"), WAIT)?;
        check_both_sizes(&session, "72-helper-practice-finished")?;

        // Settings shows who the app is for, and still no passphrase field.
        go_to(&session, "settings")?;
        let now = text_of(&session, &tid("mode-now"))?;
        ensure!(now.contains("helping someone"), "settings says {now:?}");
        check_both_sizes(&session, "73-helper-settings")?;

        go_to(&session, "home")?;
        session.find(&tid("helper-home"), WAIT)?;
        ensure!(
            !passphrase_field_was_seen(&session)?,
            "a passphrase field was shown on the helper path"
        );
        drop(session);
        std::thread::sleep(std::time::Duration::from_millis(500));
        assert_only_settings_written(&data, &harness.backup_dir())?;

        // Relaunch: straight back to helper home, still no passphrase and nothing new on disk.
        let session = harness.relaunch()?;
        watch_for_passphrase_fields(&session)?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;
        session.find(&tid("helper-home"), WAIT)?;
        ensure!(
            session.find_all(&tid("journal-first-run"))?.is_empty(),
            "the first-run choice came back after relaunch"
        );
        ensure!(
            !passphrase_field_was_seen(&session)?,
            "a passphrase field was shown after relaunch"
        );
        save_screenshot(&session, "74-helper-home-relaunched-desktop")?;
        drop(session);
        std::thread::sleep(std::time::Duration::from_millis(500));
        assert_only_settings_written(&data, &harness.backup_dir())?;
        Ok(())
    })
}

/// The journal's files as far as a mode switch could change them: every name but
/// `settings.json` and SQLite's own side files, with the bytes of each file that is not the
/// database itself. While the journal is open SQLite may checkpoint at any time and creates and
/// removes `journal.db-wal` / `-shm` itself, so the database's bytes and those side files are
/// not compared; that `journal.db` is still there, and every other file byte for byte, is.
fn journal_files(dir: &Path) -> Result<Vec<(String, Option<Vec<u8>>)>> {
    let mut out = Vec::new();
    for name in names_in(dir)? {
        if name == "settings.json" || name.starts_with("journal.db-") {
            continue;
        }
        let p = dir.join(&name);
        let bytes = if p.is_file() && name != "journal.db" {
            Some(std::fs::read(p)?)
        } else {
            None
        };
        out.push((name, bytes));
    }
    Ok(out)
}

fn names_of(files: &[(String, Option<Vec<u8>>)]) -> Vec<&str> {
    files.iter().map(|(n, _)| n.as_str()).collect()
}

#[test]
fn the_path_switches_to_personal_and_back_without_touching_the_journal() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let (session, data) = harness.launch_desktop()?;
        session.find(&tid("journal-first-run"), WAIT)?;

        // Straight to IPC, as page script could: odd values get a typed error and save nothing.
        ensure!(
            invoke(&session, "app_mode", serde_json::json!({}))? == Value::Null,
            "a new data folder has a mode"
        );
        for odd in ["admin", "HELPER", "", "helper\u{0}"] {
            let v = invoke_raw(&session, "set_app_mode", serde_json::json!({ "mode": odd }))?;
            let code = v.pointer("/err/code").and_then(Value::as_str);
            ensure!(
                code == Some("invalid_input"),
                "set_app_mode({odd:?}) answered {v}"
            );
        }
        // Not a string at all: Tauri refuses the arguments before the command runs.
        for odd in [
            Value::from(42),
            Value::Null,
            serde_json::json!({ "helper": true }),
        ] {
            let v = invoke_raw(&session, "set_app_mode", serde_json::json!({ "mode": odd }))?;
            ensure!(
                v.get("err").is_some(),
                "set_app_mode({odd}) was accepted: {v}"
            );
        }
        ensure!(
            !data.join("settings.json").exists(),
            "a refused mode wrote settings.json"
        );

        click(&session, &tid("choose-helper"))?;
        session.find(&tid("helper-home"), WAIT)?;

        // Settings: helper → personal. With no journal yet, setup begins.
        go_to(&session, "settings")?;
        let button = text_of(&session, &tid("mode-switch"))?;
        ensure!(
            button == "Use Holdfast for myself",
            "switch button says {button:?}"
        );
        click(&session, &tid("mode-switch"))?;
        let explain = text_of(&session, &tid("setup-explain"))?;
        ensure!(
            explain.contains("recovery code"),
            "setup did not begin: {explain:?}"
        );
        // Home is now the personal one.
        go_to(&session, "home")?;
        session.find(
            "[data-testid='journal-first-run'] [data-testid='to-setup']",
            WAIT,
        )?;
        ensure!(
            session.find_all(&tid("helper-home"))?.is_empty(),
            "helper home still shown on the personal path"
        );

        // And back to helper from Settings.
        go_to(&session, "settings")?;
        let msg = switch_mode(&session)?;
        ensure!(msg.contains("family and friends"), "switch said {msg:?}");
        go_to(&session, "home")?;
        session.find(&tid("helper-home"), WAIT)?;

        // From helper home: "Set up your private journal" begins setup; set one up.
        click(&session, &tid("helper-to-personal"))?;
        session.find(&tid("setup-explain"), WAIT)?;
        go_to(&session, "home")?;
        set_up(&session, false)?;
        let before = journal_files(&data)?;
        ensure!(
            before.iter().any(|(n, _)| n == "journal.db"),
            "no journal after setup: {:?}",
            names_in(&data)?
        );

        // Switching to helper with a journal: the UI says it is kept, and no journal file
        // changes or goes away.
        go_to(&session, "settings")?;
        session.find(&tid("mode-switch"), WAIT)?;
        let hint = text_of(&session, &tid("mode-settings"))?;
        ensure!(
            hint.contains("unchanged") && hint.contains("nothing is deleted"),
            "settings does not say the journal is kept: {hint:?}"
        );
        check_both_sizes(&session, "75-settings-who-is-it-for-with-journal")?;
        let msg = switch_mode(&session)?;
        ensure!(msg.contains("unchanged"), "switch said {msg:?}");
        go_to(&session, "home")?;
        session.find(&tid("helper-home"), WAIT)?;
        let back = text_of(&session, &tid("helper-to-personal"))?;
        ensure!(
            back == "Go back to your journal",
            "helper home offers {back:?}"
        );
        check_both_sizes(&session, "76-helper-home-with-journal")?;
        let after = journal_files(&data)?;
        ensure!(
            after == before,
            "switching to helper changed the journal files: {:?} became {:?}",
            names_of(&before),
            names_of(&after)
        );

        // And back: Home shows the journal again, locked (switching to helper locked it).
        click(&session, &tid("helper-to-personal"))?;
        session.find(&tid("unlock-panel"), WAIT)?;
        // The choice is written atomically (a temporary file, then a rename): wait until done.
        session.wait_for("the personal path to be saved", WAIT, || {
            Ok(
                invoke(&session, "app_mode", serde_json::json!({}))? == "personal"
                    && !names_in(&data)?
                        .iter()
                        .any(|n| n.starts_with(".holdfast-tmp-")),
            )
        })?;
        let after = journal_files(&data)?;
        ensure!(
            after == before,
            "switching back changed the journal files: {:?} became {:?}",
            names_of(&before),
            names_of(&after)
        );
        Ok(())
    })
}
