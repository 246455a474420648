//! The encrypted journal as a person meets it: first-run setup, quit and relaunch, unlock, a wrong
//! passphrase, the idle lock, emergency help from the lock screen, recovery with the code, backup
//! then erase then restore, a damaged key file, and hostile input sent straight to IPC.

use std::path::Path;
use std::time::Duration;

use holdfast_e2e::harness::{
    check_both_sizes, save_screenshot, scenario, scenario_with_env, Harness, SetUp,
};
use holdfast_e2e::pages::home::days_count;
use holdfast_e2e::pages::lock::{lock, unlock_home};
use holdfast_e2e::pages::settings::{erase, inspect_backup};
use holdfast_e2e::pages::{
    click, fill, go_to, history_notes, invoke_raw, page_text, record_use, set_up, text_of,
    type_groups, unlock, wait_strength, window_hash, ENV, KDF_WAIT, WAIT,
};
use holdfast_e2e::webdriver::keys::ENTER;
use holdfast_e2e::{ensure, tid, Result};
use serde_json::Value;

fn file_contains(path: &Path, needle: &[u8]) -> Result<bool> {
    let bytes = std::fs::read(path)?;
    Ok(bytes.windows(needle.len()).any(|w| w == needle))
}

#[test]
fn first_run_setup_then_quit_relaunch_and_unlock() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let (session, data) = harness.launch_desktop()?;
        session.find(&tid("journal-first-run"), WAIT)?;
        check_both_sizes(&session, "20-home-first-run")?;
        let (passphrase, _code) = set_up(&session, true)?;
        check_both_sizes(&session, "27-home-unlocked")?;

        let marker = "private-marker-7f3a";
        record_use(&session, marker)?;
        check_both_sizes(&session, "28-history-after-use")?;
        drop(session);

        // Nothing readable on disk.
        for name in ["journal.db", "journal.db-wal", "keyslots.json"] {
            let p = data.join(name);
            if p.exists() {
                ensure!(
                    !file_contains(&p, marker.as_bytes())?,
                    "{name} holds the note in plain text"
                );
            }
        }
        ensure!(
            !file_contains(&data.join("journal.db"), b"SQLite format 3")?,
            "plain SQLite header"
        );

        // Relaunch: locked, and a wrong passphrase is refused with nothing changed.
        std::thread::sleep(Duration::from_millis(500));
        let session = harness.relaunch_desktop()?;
        session.find(&tid("unlock-panel"), WAIT)?;
        ensure!(
            session.find_all(&tid("lock-button"))?.is_empty(),
            "the Lock button shows while locked"
        );
        unlock(&session, "not my passphrase at all")?;
        let err = session.find_text(&tid("unlock-error"), KDF_WAIT)?;
        ensure!(err.contains("not right"), "wrong passphrase said {err:?}");
        let left = session.execute(
            "return document.querySelector(`[data-testid='unlock-passphrase']`).value;",
            vec![],
        )?;
        ensure!(
            left.as_str() == Some(""),
            "a wrong passphrase stays in the field: {left}"
        );
        check_both_sizes(&session, "29-unlock-wrong-passphrase")?;
        // Locked, nobody can erase the journal from Settings.
        go_to(&session, "settings")?;
        session.find(&tid("unlock-panel"), WAIT)?;
        ensure!(
            session.find_all(&tid("erase-word"))?.is_empty(),
            "erase is offered while locked"
        );
        window_hash(&session, "#/home")?;
        // No lockout: the right one still works at once.
        unlock_home(&session, &passphrase)?;
        let days = days_count(&session)?;
        ensure!(
            days.contains("0 days since your last use"),
            "home says {days:?}"
        );
        ensure!(
            history_notes(&session)?.contains(marker),
            "the note is not back after relaunch"
        );
        // The Lock button in the top bar locks at once.
        lock(&session)?;
        window_hash(&session, "#/home")?;
        session.find(&tid("unlock-panel"), WAIT)?;
        Ok(())
    })
}

#[test]
fn idle_lock_then_emergency_help_without_the_passphrase() -> Result<()> {
    let env: Vec<(&str, &str)> = ENV
        .iter()
        .copied()
        .chain([("HOLDFAST_TEST_IDLE_SECS", "4")])
        .collect();
    scenario_with_env(&env, |harness| {
        let SetUp {
            session,
            passphrase,
            ..
        } = harness.launch_set_up()?;
        let marker = "idle-marker-41c9";
        record_use(&session, marker)?;
        // Leave it alone on the history screen, with the note showing: the journal locks itself,
        // the screen says why, and nothing personal stays on it.
        let notice = session.find_text(&tid("idle-locked"), Duration::from_secs(20))?;
        ensure!(
            notice.contains("not used for a while"),
            "notice says {notice:?}"
        );
        ensure!(
            !page_text(&session)?.contains(marker),
            "the note is still on screen after the idle lock"
        );
        ensure!(
            session.find_all(&tid("use-list"))?.is_empty(),
            "the history list is still on screen after the idle lock"
        );
        check_both_sizes(&session, "30-locked-after-idle")?;
        window_hash(&session, "#/home")?;
        session.find(&tid("unlock-panel"), WAIT)?;

        // From the lock screen, with no passphrase: overdose help, never use alone, lines.
        click(&session, &tid("home-emergency"))?;
        session.find(&tid("call-emergency"), WAIT)?;
        window_hash(&session, "#/home")?;
        click(&session, &tid("entry-never-alone"))?;
        session.wait_for("the never-use-alone guide", WAIT, || {
            let h = session.execute("return location.hash;", vec![])?;
            Ok(h.as_str()
                .is_some_and(|h| h.starts_with("#/guide/never-use-alone")))
        })?;
        session.find("h1", WAIT)?;
        window_hash(&session, "#/home")?;
        click(&session, &tid("entry-lines"))?;
        session.find("#lines-title", WAIT)?;
        // Private screens ask for the passphrase instead of showing anything.
        window_hash(&session, "#/history")?;
        session.find(&tid("unlock-panel"), WAIT)?;
        ensure!(
            session.find_all(&tid("use-list"))?.is_empty(),
            "history shows while locked"
        );
        unlock(&session, &passphrase)?;
        session.find(&tid("use-save"), KDF_WAIT)?;
        Ok(())
    })
}

#[test]
fn recovery_code_opens_the_journal_and_replaces_the_passphrase() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let SetUp {
            session,
            data,
            passphrase: old_pass,
            code,
        } = harness.launch_set_up()?;
        record_use(&session, "before recovery")?;
        lock(&session)?;
        window_hash(&session, "#/home")?;
        click(&session, &tid("to-recover"))?;
        // A wrong code is refused.
        fill(
            &session,
            &tid("recover-code"),
            "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA",
        )?;
        let new_pass = "plaza robin ozone cedar maple";
        fill(&session, &tid("recover-passphrase"), new_pass)?;
        fill(&session, &tid("recover-passphrase-again"), new_pass)?;
        wait_strength(&session, "recover-passphrase", true)?;
        click(&session, &tid("recover-submit"))?;
        let err = session.find_text(&tid("recover-error"), KDF_WAIT)?;
        ensure!(
            err.contains("recovery code is not right"),
            "wrong code said {err:?}"
        );
        // The wrong code does not stay on screen, and the field is masked (review L1).
        let field = session.execute(
            "const i = document.querySelector(`[data-testid='recover-code']`); return [i.value, i.type];",
            vec![],
        )?;
        ensure!(
            field == serde_json::json!(["", "password"]),
            "after a wrong code the field is {field}"
        );
        check_both_sizes(&session, "31-recover-wrong-code")?;
        // The real code, typed in lower case without dashes.
        fill(
            &session,
            &tid("recover-code"),
            &code.replace('-', " ").to_lowercase(),
        )?;
        click(&session, &tid("recover-submit"))?;
        let new_code = session
            .find_text(&tid("recover-new-code"), KDF_WAIT)?
            .trim()
            .to_owned();
        ensure!(
            new_code != code && new_code.len() == 29,
            "new code {new_code:?}"
        );
        check_both_sizes(&session, "32-recover-new-code")?;
        type_groups(&session, &tid("recover-confirm-group"), &new_code)?;
        click(&session, &tid("recover-confirm"))?;
        let done = session.find_text(&tid("recover-done"), KDF_WAIT)?;
        ensure!(done.contains("has a new key"), "recovery said {done:?}");
        let limit = text_of(&session, &tid("recover-limit"))?;
        ensure!(
            limit.contains("copied your whole journal before today"),
            "recovery said {limit:?}"
        );
        ensure!(
            history_notes(&session)?.contains("before recovery"),
            "history lost in recovery"
        );

        // Settings makes another new code the same way: shown, typed back, then in force.
        go_to(&session, "settings")?;
        fill(&session, &tid("code-passphrase"), new_pass)?;
        click(&session, &tid("new-code-start"))?;
        let third = session
            .find_text(&tid("new-code"), KDF_WAIT)?
            .trim()
            .to_owned();
        ensure!(
            third != new_code && third.len() == 29,
            "settings code {third:?}"
        );
        type_groups(&session, &tid("new-code-group"), &third)?;
        click(&session, &tid("new-code-confirm"))?;
        let msg = session.find_text(&tid("new-code-msg"), KDF_WAIT)?;
        ensure!(
            msg.contains("new recovery code is set"),
            "settings said {msg:?}"
        );

        // The old passphrase no longer opens it; the new one does.
        lock(&session)?;
        window_hash(&session, "#/home")?;
        unlock(&session, &old_pass)?;
        session.find_text(&tid("unlock-error"), KDF_WAIT)?;
        unlock_home(&session, new_pass)?;

        // Someone may know the passphrase (security review M1): with the box ticked, the card
        // says what a new key protects against and what it cannot, shows a new code, and once it
        // is typed back the passphrase, the code and the key are all new.
        go_to(&session, "settings")?;
        let key_file = std::fs::read(data.join("keyslots.json"))?;
        let last_pass = "trout visor quilt maple plaza";
        fill(&session, &tid("old-passphrase"), new_pass)?;
        fill(&session, &tid("new-passphrase"), last_pass)?;
        fill(&session, &tid("new-passphrase-again"), last_pass)?;
        wait_strength(&session, "new-passphrase", true)?;
        click(&session, &tid("pass-someone-knows"))?;
        let protects = text_of(&session, &tid("rotation-protects"))?;
        ensure!(
            protects.contains("new key") && protects.contains("copy of Holdfast's files"),
            "the card says {protects:?}"
        );
        let limit = text_of(&session, &tid("rotation-limit"))?;
        ensure!(
            limit.contains("copied your whole journal before today"),
            "the card says {limit:?}"
        );
        click(&session, &tid("pass-submit"))?;
        let fourth = session
            .find_text(&tid("key-change-code"), KDF_WAIT)?
            .trim()
            .to_owned();
        ensure!(
            fourth != third && fourth.len() == 29,
            "key change code {fourth:?}"
        );
        check_both_sizes(&session, "33-key-change-code")?;
        ensure!(
            std::fs::read(data.join("keyslots.json"))? == key_file,
            "nothing may change before the code is typed back"
        );
        type_groups(&session, &tid("key-change-group"), &fourth)?;
        click(&session, &tid("key-change-confirm"))?;
        let msg = session.find_text(&tid("pass-msg"), KDF_WAIT)?;
        ensure!(msg.contains("has a new key"), "the card said {msg:?}");
        ensure!(
            std::fs::read(data.join("keyslots.json"))? != key_file,
            "the key file was not replaced"
        );
        lock(&session)?;
        window_hash(&session, "#/home")?;
        unlock(&session, new_pass)?;
        session.find_text(&tid("unlock-error"), KDF_WAIT)?;
        unlock_home(&session, last_pass)?;
        ensure!(
            history_notes(&session)?.contains("before recovery"),
            "history lost in the key change"
        );
        Ok(())
    })
}

#[test]
fn backup_then_erase_then_restore_brings_the_history_back() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let SetUp {
            session,
            data,
            passphrase,
            ..
        } = harness.launch_set_up()?;
        record_use(&session, "first entry kept")?;
        record_use(&session, "second entry kept")?;

        go_to(&session, "settings")?;
        let folder = text_of(&session, &tid("backup-folder"))?;
        ensure!(
            Path::new(folder.trim()) == harness.backup_dir(),
            "backup folder shown as {folder:?}"
        );
        check_both_sizes(&session, "33-settings-unlocked")?;
        let backup_pass = "otter violin cactus lagoon";
        // An open journal is not enough to copy it: the current passphrase is asked for, and a
        // wrong one writes nothing (security review M4).
        fill(&session, &tid("export-current"), "not my passphrase at all")?;
        fill(&session, &tid("export-passphrase"), backup_pass)?;
        wait_strength(&session, "export-passphrase", true)?;
        click(&session, &tid("export-submit"))?;
        let msg = session.find_text(&tid("export-msg"), KDF_WAIT)?;
        ensure!(
            msg.contains("not right"),
            "export with a wrong passphrase said {msg:?}"
        );
        ensure!(
            std::fs::read_dir(harness.backup_dir()).map_or(0, |d| d.count()) == 0,
            "a backup was written with a wrong passphrase"
        );
        let left = session.execute(
            "return document.querySelector(`[data-testid='export-current']`).value;",
            vec![],
        )?;
        ensure!(
            left.as_str() == Some(""),
            "the wrong passphrase stayed in the field: {left}"
        );
        fill(&session, &tid("export-current"), &passphrase)?;
        click(&session, &tid("export-submit"))?;
        let done = session.find_text(&tid("export-done"), KDF_WAIT)?;
        let files: Vec<_> = std::fs::read_dir(harness.backup_dir())?.flatten().collect();
        ensure!(files.len() == 1, "{} backup files", files.len());
        let backup = files[0].path();
        ensure!(
            done.contains(&backup.display().to_string()),
            "export said {done:?}"
        );
        ensure!(
            !file_contains(&backup, b"first entry kept")?,
            "the backup holds plain text"
        );

        // Erase: the wrong word is refused, and so is the right word with a wrong passphrase;
        // the right word with the passphrase returns the app to first run.
        let keys_before = std::fs::read(data.join("keyslots.json"))?;
        erase(&session, "erase", &passphrase)?;
        let err = text_of(&session, &tid("erase-error"))?;
        ensure!(err.contains("ERASE"), "erase error {err:?}");
        erase(&session, "ERASE", "not my passphrase at all")?;
        // The word's error is on screen until the answer about the passphrase comes.
        session.wait_for("the erase answer about the passphrase", KDF_WAIT, || {
            Ok(!text_of(&session, &tid("erase-error"))?.contains("capital letters"))
        })?;
        let err = text_of(&session, &tid("erase-error"))?;
        ensure!(
            err.contains("not right"),
            "erase with a wrong passphrase said {err:?}"
        );
        ensure!(
            std::fs::read(data.join("keyslots.json"))? == keys_before
                && data.join("journal.db").exists(),
            "erase with a wrong passphrase touched the journal"
        );
        erase(&session, "ERASE", &passphrase)?;
        session.find(&tid("setup"), WAIT)?;
        for name in [
            "journal.db",
            "keyslots.json",
            "journal.db-wal",
            "journal.db-shm",
        ] {
            ensure!(
                !data.join(name).exists(),
                "{name} is still there after erase"
            );
        }
        ensure!(backup.exists(), "erase removed the backup");
        window_hash(&session, "#/home")?;
        let (new_pass, _) = set_up(&session, false)?;
        let days = days_count(&session)?;
        ensure!(days.contains("not set yet"), "a new journal shows {days:?}");

        // Restore: see what it holds first, then replace.
        go_to(&session, "settings")?;
        click(&session, &tid("backup-choice"))?;
        inspect_backup(&session, "the wrong backup words")?;
        let msg = session.find_text(&tid("restore-msg"), KDF_WAIT)?;
        ensure!(
            msg.contains("not right"),
            "wrong backup passphrase said {msg:?}"
        );
        inspect_backup(&session, backup_pass)?;
        let summary = session.find_text(&tid("backup-summary"), KDF_WAIT)?;
        ensure!(summary.contains("2 uses"), "summary says {summary:?}");
        check_both_sizes(&session, "34-restore-summary")?;
        // Replacing the journal asks for its passphrase too; a wrong one changes nothing.
        fill(&session, &tid("restore-current"), &passphrase)?;
        click(&session, &tid("restore-confirm"))?;
        let msg = session.find_text(&tid("restore-msg"), KDF_WAIT)?;
        ensure!(
            msg.contains("not right"),
            "restore with the old journal's passphrase said {msg:?}"
        );
        let v = invoke_raw(&session, "journal_view", serde_json::json!({}))?;
        ensure!(
            v["ok"]["uses"].as_array().map(Vec::len) == Some(0),
            "restored with a wrong passphrase: {v}"
        );
        // The summary is still there: the right passphrase, then Enter, replaces the journal.
        session.find(&tid("backup-summary"), WAIT)?;
        fill(&session, &tid("restore-current"), &new_pass)?;
        let field = session.find(&tid("restore-current"), WAIT)?;
        session.type_text(&field, ENTER)?;
        session.wait_for("the restore to finish", KDF_WAIT, || {
            Ok(text_of(&session, &tid("restore-msg"))?.starts_with("Restored"))
        })?;
        let msg = text_of(&session, &tid("restore-msg"))?;
        ensure!(msg.starts_with("Restored: 2 uses"), "restore said {msg:?}");
        let notes = history_notes(&session)?;
        ensure!(
            notes.contains("first entry kept") && notes.contains("second entry kept"),
            "history after restore: {notes}"
        );
        Ok(())
    })
}

#[test]
fn a_damaged_key_file_is_named_and_set_aside_not_deleted() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let SetUp { session, data, .. } = harness.launch_set_up()?;
        drop(session);
        std::thread::sleep(Duration::from_millis(500));
        std::fs::write(data.join("keyslots.json"), b"{ this is not the key file")?;
        let db_before = std::fs::read(data.join("journal.db"))?;

        let session = harness.relaunch_desktop()?;
        let shown = text_of(&session, &tid("journal-damaged"))?;
        ensure!(shown.contains("keyslots.json"), "damage message {shown:?}");
        ensure!(
            shown.contains("Nothing was changed or deleted"),
            "{shown:?}"
        );
        // Emergency help still works with a damaged journal.
        session.find(&tid("home-emergency"), WAIT)?;
        check_both_sizes(&session, "35-journal-damaged")?;
        ensure!(
            std::fs::read(data.join("journal.db"))? == db_before,
            "the journal changed"
        );

        click(&session, &tid("set-aside"))?;
        let done = text_of(&session, &tid("set-aside-done"))?;
        let aside: Vec<_> = std::fs::read_dir(&data)?
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("set-aside-"))
            .collect();
        ensure!(aside.len() == 1, "{} set-aside folders", aside.len());
        let folder = aside[0].path();
        ensure!(
            done.contains(&folder.display().to_string()),
            "set-aside said {done:?}"
        );
        ensure!(
            std::fs::read(folder.join("journal.db"))? == db_before,
            "the journal was not kept whole"
        );
        ensure!(
            std::fs::read(folder.join("keyslots.json"))? == b"{ this is not the key file",
            "the key file was not kept"
        );
        Ok(())
    })
}

/// Security review H1: someone holding the locked device sets the journal aside from the lock
/// screen ("Lost the recovery code too?"), sets up one of their own and erases it. The owner's
/// journal survives, Home tells the owner it was put aside and when, and the owner puts it back
/// and opens it with their own passphrase.
#[test]
fn a_journal_set_aside_from_the_lock_screen_survives_erase_and_is_put_back() -> Result<()> {
    scenario_with_env(ENV, |harness| {
        let SetUp {
            session,
            data,
            passphrase,
            ..
        } = harness.launch_set_up()?;
        record_use(&session, "the owner's note 41d2")?;
        lock(&session)?;
        window_hash(&session, "#/home")?;
        click(&session, &tid("to-recover"))?;
        click(&session, &tid("start-over"))?;
        click(&session, &tid("start-over-confirm"))?;
        let done = text_of(&session, &tid("start-over-done"))?;
        ensure!(
            done.contains("Nothing was deleted"),
            "start over said {done:?}"
        );
        let aside: Vec<_> = std::fs::read_dir(&data)?
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("set-aside-"))
            .map(|e| e.path())
            .collect();
        ensure!(aside.len() == 1, "{} set-aside folders", aside.len());
        let folder = aside[0].clone();
        let db_before = std::fs::read(folder.join("journal.db"))?;

        // Home says so, before anyone sets up again.
        window_hash(&session, "#/home")?;
        let notice = text_of(&session, &tid("set-aside-notice"))?;
        ensure!(
            notice.contains("from the lock screen") && notice.contains("not deleted"),
            "notice {notice:?}"
        );
        check_both_sizes(&session, "36-set-aside-notice")?;

        // Someone else sets up a journal of their own. The recovery screen, where the owner
        // would go next when their passphrase "does not work", says so too.
        let (other_pass, _) = set_up(&session, false)?;
        lock(&session)?;
        window_hash(&session, "#/recover")?;
        let notice = text_of(&session, &tid("set-aside-notice"))?;
        ensure!(
            notice.contains("from the lock screen"),
            "recovery screen notice {notice:?}"
        );
        window_hash(&session, "#/home")?;
        unlock_home(&session, &other_pass)?;
        // And erases it.
        go_to(&session, "settings")?;
        session.find(&tid("set-aside-notice"), WAIT)?;
        erase(&session, "ERASE", &other_pass)?;
        session.find(&tid("setup-explain"), WAIT)?;
        ensure!(
            std::fs::read(folder.join("journal.db"))? == db_before
                && folder.join("keyslots.json").exists(),
            "erase touched the journal set aside from the lock screen"
        );
        // The setup screen tells the owner too.
        let notice = text_of(&session, &tid("set-aside-notice"))?;
        ensure!(
            notice.contains("from the lock screen"),
            "setup notice {notice:?}"
        );

        // The owner puts it back and opens it with their own passphrase.
        click(&session, &tid("put-back"))?;
        click(&session, &tid("put-back-confirm"))?;
        // Setup gives way: the journal is back, locked.
        session.wait_for("setup to see the journal put back", WAIT, || {
            Ok(text_of(&session, "#setup-title")?.contains("already set up"))
        })?;
        window_hash(&session, "#/home")?;
        unlock_home(&session, &passphrase)?;
        let notes = history_notes(&session)?;
        ensure!(
            notes.contains("the owner's note 41d2"),
            "history after putting back: {notes:?}"
        );
        ensure!(
            !folder.exists(),
            "the emptied set-aside folder is still there"
        );
        Ok(())
    })
}

fn err_code(v: &Value) -> Option<&str> {
    v.get("err")
        .and_then(|e| e.get("code"))
        .and_then(Value::as_str)
}

#[test]
fn hostile_ipc_input_gets_typed_errors_and_changes_nothing() -> Result<()> {
    scenario(|harness: &Harness| {
        let (session, _data) = harness.launch()?;
        // Locked (first run): journal commands say so.
        let v = invoke_raw(&session, "journal_view", serde_json::json!({}))?;
        ensure!(
            err_code(&v) == Some("locked"),
            "journal_view at first run: {v}"
        );
        set_up(&session, false)?;

        // Wrong types: refused before any of our code runs, as a string from Tauri.
        let v = invoke_raw(&session, "add_use", serde_json::json!({ "entry": 42 }))?;
        ensure!(
            v.get("err").is_some(),
            "a number as an entry was accepted: {v}"
        );
        let v = invoke_raw(
            &session,
            "set_idle_minutes",
            serde_json::json!({ "minutes": "five" }),
        )?;
        ensure!(
            v.get("err").is_some(),
            "a string as minutes was accepted: {v}"
        );
        let v = invoke_raw(
            &session,
            "set_idle_minutes",
            serde_json::json!({ "minutes": 7 }),
        )?;
        ensure!(err_code(&v) == Some("invalid_input"), "7 minutes: {v}");

        // A use in the future, a megabyte note, a bad offset: typed errors.
        let future = serde_json::json!({ "entry": {
            "at": { "utc": "2999-01-01T00:00:00Z", "offset_seconds": 0 }, "substance": null, "note": null } });
        let v = invoke_raw(&session, "add_use", future)?;
        ensure!(err_code(&v) == Some("invalid_input"), "future use: {v}");
        let msg = v["err"]["message"].as_str().unwrap_or_default();
        ensure!(msg.contains("future"), "future use message {msg:?}");
        let huge = serde_json::json!({ "entry": {
            "at": { "utc": "2026-01-01T00:00:00Z", "offset_seconds": 0 }, "substance": null,
            "note": "x".repeat(1_000_000) } });
        let v = invoke_raw(&session, "add_use", huge)?;
        ensure!(err_code(&v) == Some("invalid_input"), "megabyte note: {v}");
        let bad_offset = serde_json::json!({ "entry": {
            "at": { "utc": "2026-01-01T00:00:00Z", "offset_seconds": 999_999 }, "substance": null, "note": null } });
        let v = invoke_raw(&session, "add_use", bad_offset)?;
        ensure!(err_code(&v) == Some("invalid_input"), "bad offset: {v}");
        // A passphrase of ten megabytes, a path that is not absolute, an erase without the word.
        let v = invoke_raw(
            &session,
            "change_passphrase",
            serde_json::json!({ "old": "x", "new": "y".repeat(10_000_000) }),
        )?;
        ensure!(
            err_code(&v) == Some("invalid_input"),
            "huge passphrase: {v}"
        );
        let v = invoke_raw(
            &session,
            "inspect_backup",
            serde_json::json!({ "path": "../../etc/passwd", "passphrase": "x" }),
        )?;
        ensure!(err_code(&v) == Some("invalid_input"), "relative path: {v}");
        let v = invoke_raw(
            &session,
            "erase",
            serde_json::json!({ "confirmation": "yes", "passphrase": "x" }),
        )?;
        ensure!(
            err_code(&v) == Some("invalid_input"),
            "erase without the word: {v}"
        );
        // A script in the web view, with the journal open, cannot erase it or copy it out
        // without the passphrase (security review M4).
        let v = invoke_raw(
            &session,
            "erase",
            serde_json::json!({ "confirmation": "ERASE", "passphrase": "a guess" }),
        )?;
        ensure!(
            err_code(&v) == Some("wrong_passphrase"),
            "erase with a guessed passphrase: {v}"
        );
        let v = invoke_raw(
            &session,
            "export_backup",
            serde_json::json!({ "passphrase": "a guess", "backupPassphrase": "otter violin cactus lagoon" }),
        )?;
        ensure!(
            err_code(&v) == Some("wrong_passphrase"),
            "export with a guessed passphrase: {v}"
        );
        ensure!(
            std::fs::read_dir(harness.backup_dir()).map_or(0, |d| d.count()) == 0,
            "a backup was written with a guessed passphrase"
        );

        // Nothing was written, and the app still answers.
        let v = invoke_raw(&session, "journal_view", serde_json::json!({}))?;
        let uses = v["ok"]["uses"].as_array().map(Vec::len);
        ensure!(uses == Some(0), "journal after hostile input: {v}");
        let v = invoke_raw(&session, "session_info", serde_json::json!({}))?;
        ensure!(
            v["ok"]["lock"]["state"] == "unlocked",
            "session after hostile input: {v}"
        );
        save_screenshot(&session, "36-after-hostile-ipc")?;
        // Locked, the idle time cannot be lengthened for the owner's next unlock (M4).
        invoke_raw(&session, "lock", serde_json::json!({}))?;
        let v = invoke_raw(
            &session,
            "set_idle_minutes",
            serde_json::json!({ "minutes": 30 }),
        )?;
        ensure!(
            err_code(&v) == Some("locked"),
            "idle time set while locked: {v}"
        );
        Ok(())
    })
}
