//! The journal's life in a running app (`holdfast_app::session`): setup with the recovery code
//! typed back, unlock, idle lock, recovery, erase, set-aside, and backup files.

use std::time::{Duration, Instant, SystemTime};

use crate::common::*;
use holdfast_app::session::{self, LockState, Session};
use holdfast_store::{self as store, StoreError};

const STRONG: &str = "maple trout visor quilt";
const STRONG2: &str = "plaza robin ozone cedar";

fn groups(code: &str, wanted: &[u8]) -> Vec<String> {
    let parts: Vec<&str> = code.split('-').collect();
    wanted
        .iter()
        .map(|g| parts[usize::from(*g) - 1].to_owned())
        .collect()
}

fn set_up(dir: &std::path::Path) -> Result<(Session, String), StoreError> {
    let mut s = Session::new(dir, fast(), Instant::now());
    let setup = s.begin_setup(STRONG)?;
    s.finish_setup(&groups(&setup.code, &setup.check_groups), Instant::now())?;
    Ok((s, setup.code))
}

#[test]
fn setup_writes_nothing_until_the_code_is_typed_back() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let mut s = Session::new(dir, fast(), Instant::now());
    assert_eq!(s.state(), LockState::FirstRun);
    // A weak passphrase is refused before anything else.
    assert!(matches!(
        s.begin_setup("password1"),
        Err(StoreError::Invalid { .. })
    ));
    let setup = s.begin_setup(STRONG)?;
    assert_eq!(setup.code.len(), 29);
    assert_eq!(setup.check_groups.len(), 2);
    assert!(setup.check_groups[0] < setup.check_groups[1]);
    assert!(setup.check_groups.iter().all(|g| (1..=6).contains(g)));
    assert_eq!(std::fs::read_dir(dir)?.count(), 0, "nothing written yet");
    // A wrong group is refused, nothing is written, and the right one still works.
    let mut wrong = groups(&setup.code, &setup.check_groups);
    wrong[1] = "ZZZZ".to_owned();
    if wrong[1] == groups(&setup.code, &setup.check_groups)[1] {
        wrong[1] = "YYYY".to_owned();
    }
    let err = s.finish_setup(&wrong, Instant::now());
    assert!(
        matches!(
            err,
            Err(StoreError::Invalid {
                field: "recovery code",
                ..
            })
        ),
        "{err:?}"
    );
    assert_eq!(s.state(), LockState::FirstRun);
    // Lower case and look-alike letters are accepted, as for the full code.
    let typed: Vec<String> = groups(&setup.code, &setup.check_groups)
        .iter()
        .map(|g| format!(" {} ", g.to_lowercase().replace('0', "o").replace('1', "l")))
        .collect();
    s.finish_setup(&typed, Instant::now())?;
    assert_eq!(s.state(), LockState::Unlocked);
    s.store()?.add_use(&a_use("set up"))?;
    // Quitting is dropping the session; a new one finds the journal locked.
    drop(s);
    let mut again = Session::new(dir, fast(), Instant::now());
    assert_eq!(again.state(), LockState::Locked);
    assert_eq!(again.store().err(), Some(StoreError::Locked));
    assert_eq!(
        again.unlock(STRONG2, Instant::now()).err(),
        Some(StoreError::WrongPassphrase)
    );
    assert_eq!(again.state(), LockState::Locked);
    again.unlock(STRONG, Instant::now())?;
    assert_eq!(again.store()?.list_uses()?.len(), 1);
    Ok(())
}

#[test]
fn quitting_during_setup_leaves_first_run() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let mut s = Session::new(tmp.path(), fast(), Instant::now());
    s.begin_setup(STRONG)?;
    drop(s);
    let s = Session::new(tmp.path(), fast(), Instant::now());
    assert_eq!(s.state(), LockState::FirstRun);
    Ok(())
}

#[test]
fn finishing_without_beginning_is_a_clear_error() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let mut s = Session::new(tmp.path(), fast(), Instant::now());
    let err = s.finish_setup(&["AAAA".to_owned(), "BBBB".to_owned()], Instant::now());
    assert!(matches!(
        err,
        Err(StoreError::Invalid { field: "setup", .. })
    ));
    Ok(())
}

#[test]
fn idle_lock_happens_at_the_limit_and_activity_postpones_it() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let (mut s, _) = set_up(tmp.path())?;
    let t0 = Instant::now();
    let w0 = SystemTime::now();
    let at = |secs: u64| {
        (
            t0 + Duration::from_secs(secs),
            w0 + Duration::from_secs(secs),
        )
    };
    s.touch(t0, w0);
    let idle = Duration::from_secs(300);
    let (t, w) = at(299);
    assert!(!s.lock_if_idle(t, w, idle));
    let (t, w) = at(200);
    s.touch(t, w);
    let (t, w) = at(499);
    assert!(!s.lock_if_idle(t, w, idle));
    let (t, w) = at(500);
    assert!(s.lock_if_idle(t, w, idle));
    assert_eq!(s.state(), LockState::Locked);
    assert_eq!(s.store().err(), Some(StoreError::Locked));
    // Already locked: nothing more to do.
    let (t, w) = at(900);
    assert!(!s.lock_if_idle(t, w, idle));
    Ok(())
}

#[test]
fn idle_lock_counts_time_the_machine_slept() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let (mut s, _) = set_up(tmp.path())?;
    let t0 = Instant::now();
    let w0 = SystemTime::now();
    s.touch(t0, w0);
    let idle = Duration::from_secs(300);
    // The monotonic clock stood still during a suspend; the wall clock moved an hour.
    assert!(s.lock_if_idle(
        t0 + Duration::from_secs(5),
        w0 + Duration::from_secs(3600),
        idle
    ));
    assert_eq!(s.state(), LockState::Locked);
    // A wall clock moved back a long way counts as idle; a small correction does not.
    s.unlock(STRONG, t0)?;
    s.touch(t0, w0);
    assert!(!s.lock_if_idle(t0, w0 - Duration::from_secs(30), idle));
    assert!(s.lock_if_idle(t0, w0 - Duration::from_secs(3600), idle));
    Ok(())
}

#[test]
fn idle_time_also_forgets_a_code_waiting_to_be_typed_back() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let mut s = Session::new(tmp.path(), fast(), Instant::now());
    let setup = s.begin_setup(STRONG)?;
    let later = Instant::now() + Duration::from_secs(600);
    let wall = SystemTime::now() + Duration::from_secs(600);
    assert!(
        !s.lock_if_idle(later, wall, Duration::from_secs(300)),
        "nothing was open"
    );
    let err = s.finish_setup(&groups(&setup.code, &setup.check_groups), Instant::now());
    assert!(
        matches!(err, Err(StoreError::Invalid { field: "setup", .. })),
        "{err:?}"
    );
    assert_eq!(s.state(), LockState::FirstRun);
    Ok(())
}

#[test]
fn recovery_sets_a_new_passphrase_and_the_new_code_counts_once_typed_back() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let (mut s, code) = set_up(tmp.path())?;
    s.store()?.add_use(&a_use("before recovery"))?;
    // Open: recovery is for the lock screen, and does not lock the journal either.
    assert!(matches!(
        s.recover(&code, STRONG2, Instant::now()),
        Err(StoreError::Invalid {
            field: "journal",
            ..
        })
    ));
    assert_eq!(s.state(), LockState::Unlocked);
    s.lock();
    assert!(matches!(
        s.recover(&code, "weak", Instant::now()),
        Err(StoreError::Invalid { .. })
    ));
    assert_eq!(
        s.recover("AAAA-AAAA-AAAA-AAAA-AAAA-AAAA", STRONG2, Instant::now())
            .err(),
        Some(StoreError::WrongRecoveryCode)
    );
    let new = s.recover(&code, STRONG2, Instant::now())?;
    assert_ne!(new.code, code);
    assert_eq!(s.store()?.list_uses()?.len(), 1);
    // Walking away before typing the new code back: the old code still works.
    s.lock();
    assert_eq!(
        s.unlock(STRONG, Instant::now()).err(),
        Some(StoreError::WrongPassphrase)
    );
    let again = s.recover(&code, STRONG2, Instant::now())?;
    // A wrong group changes nothing.
    let right = groups(&again.code, &again.check_groups);
    let mut wrong = right.clone();
    wrong[0] = if right[0] == "ZZZZ" { "YYYY" } else { "ZZZZ" }.to_owned();
    assert!(matches!(
        s.confirm_new_code(&wrong),
        Err(StoreError::Invalid { .. })
    ));
    s.confirm_new_code(&right)?;
    s.lock();
    assert_eq!(
        s.recover(&code, STRONG, Instant::now()).err(),
        Some(StoreError::WrongRecoveryCode),
        "the old code stops working once the new one is confirmed"
    );
    s.recover(&again.code, STRONG, Instant::now())?;
    Ok(())
}

#[test]
fn passphrase_change_and_new_code() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let (mut s, code) = set_up(tmp.path())?;
    assert!(matches!(
        s.change_passphrase(STRONG, "password1"),
        Err(StoreError::Invalid { .. })
    ));
    assert_eq!(
        s.change_passphrase(STRONG2, STRONG2).err(),
        Some(StoreError::WrongPassphrase)
    );
    s.change_passphrase(STRONG, STRONG2)?;
    assert_eq!(
        s.begin_new_code(STRONG).err(),
        Some(StoreError::WrongPassphrase)
    );
    let new = s.begin_new_code(STRONG2)?;
    // Not yet typed back: the old code still works.
    s.lock();
    assert_eq!(
        s.change_passphrase(STRONG2, STRONG).err(),
        Some(StoreError::Locked)
    );
    assert_eq!(s.begin_new_code(STRONG2).err(), Some(StoreError::Locked));
    s.recover(&code, STRONG2, Instant::now())?;
    let new2 = s.begin_new_code(STRONG2)?;
    assert_ne!(new.code, new2.code);
    s.confirm_new_code(&groups(&new2.code, &new2.check_groups))?;
    // Confirming twice is refused (nothing is waiting any more).
    assert!(matches!(
        s.confirm_new_code(&groups(&new2.code, &new2.check_groups)),
        Err(StoreError::Invalid { .. })
    ));
    s.lock();
    assert_eq!(
        s.recover(&code, STRONG, Instant::now()).err(),
        Some(StoreError::WrongRecoveryCode)
    );
    s.recover(&new2.code, STRONG, Instant::now())?;
    Ok(())
}

/// A folder holding `key_file` beside the journal file of `dir`: what someone who copied the key
/// file once and the journal file now would have.
fn old_key_file_beside(
    dir: &std::path::Path,
    key_file: &[u8],
) -> Result<tempfile::TempDir, Box<dyn std::error::Error>> {
    let other = tempfile::tempdir()?;
    std::fs::copy(dir.join("journal.db"), other.path().join("journal.db"))?;
    std::fs::write(other.path().join(store::SLOTS_FILE), key_file)?;
    Ok(other)
}

/// Security review M1: "someone may know my old passphrase or code". The new passphrase, a new
/// code and a new key take effect only once the code is typed back; then the old passphrase,
/// the old code and an old copy of the key file open nothing on disk.
#[test]
fn someone_may_know_the_old_secrets_so_passphrase_code_and_key_change() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let (mut s, code) = set_up(dir)?;
    s.store()?.add_use(&a_use("written before"))?;
    let old_key_file = std::fs::read(dir.join(store::SLOTS_FILE))?;
    assert_eq!(
        s.begin_key_change(STRONG2, STRONG2).err(),
        Some(StoreError::WrongPassphrase)
    );
    assert!(matches!(
        s.begin_key_change(STRONG, "password1"),
        Err(StoreError::Invalid { .. })
    ));
    let shown = s.begin_key_change(STRONG, STRONG2)?;
    assert_eq!(
        std::fs::read(dir.join(store::SLOTS_FILE))?,
        old_key_file,
        "nothing changes before the code is typed back"
    );
    let mut wrong = groups(&shown.code, &shown.check_groups);
    wrong[0] = if wrong[0] == "ZZZZ" { "YYYY" } else { "ZZZZ" }.to_owned();
    assert!(matches!(
        s.confirm_new_code(&wrong),
        Err(StoreError::Invalid { .. })
    ));
    s.confirm_new_code(&groups(&shown.code, &shown.check_groups))?;
    s.store()?.add_use(&a_use("written after"))?;
    s.lock();
    assert_eq!(
        s.unlock(STRONG, Instant::now()).err(),
        Some(StoreError::WrongPassphrase)
    );
    assert_eq!(
        s.recover(&code, STRONG, Instant::now()).err(),
        Some(StoreError::WrongRecoveryCode)
    );
    let stale = old_key_file_beside(dir, &old_key_file)?;
    assert!(matches!(
        store::Store::unlock(stale.path(), STRONG, fast()),
        Err(StoreError::Damaged(_))
    ));
    s.unlock(STRONG2, Instant::now())?;
    assert_eq!(s.store()?.list_uses()?.len(), 2);
    // A recovery's new code, once typed back, replaces the key as well.
    s.lock();
    let key_file = std::fs::read(dir.join(store::SLOTS_FILE))?;
    let next = s.recover(&shown.code, STRONG, Instant::now())?;
    s.confirm_new_code(&groups(&next.code, &next.check_groups))?;
    s.lock();
    let stale = old_key_file_beside(dir, &key_file)?;
    assert!(matches!(
        store::Store::unlock(stale.path(), STRONG2, fast()),
        Err(StoreError::Damaged(_))
    ));
    s.unlock(STRONG, Instant::now())?;
    assert_eq!(s.store()?.list_uses()?.len(), 2);
    Ok(())
}

#[test]
fn erase_needs_the_word_the_passphrase_and_an_open_journal() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    holdfast_app::settings::save(
        dir,
        &holdfast_app::settings::Settings {
            idle_lock_minutes: Some(10),
            ..Default::default()
        },
    )?;
    let (mut s, _) = set_up(dir)?;
    for wrong in ["", "erase", "yes", "ERASE IT"] {
        assert!(matches!(
            s.erase(wrong, STRONG),
            Err(StoreError::Invalid {
                field: "confirmation",
                ..
            })
        ));
        assert_eq!(s.state(), LockState::Unlocked);
    }
    // Open is not enough: whoever is handed the device while it is open, or a script in the
    // web view, does not know the passphrase (security review M4).
    let keys = std::fs::read(dir.join(store::SLOTS_FILE))?;
    assert_eq!(
        s.erase(session::ERASE_WORD, STRONG2).err(),
        Some(StoreError::WrongPassphrase)
    );
    assert_eq!(s.state(), LockState::Unlocked);
    assert_eq!(std::fs::read(dir.join(store::SLOTS_FILE))?, keys);
    assert!(dir.join(store::DB_FILE).exists());
    // Locked: someone holding the device cannot erase it.
    s.lock();
    assert_eq!(
        s.erase(session::ERASE_WORD, STRONG).err(),
        Some(StoreError::Locked)
    );
    assert_eq!(s.state(), LockState::Locked);
    // Someone holding the locked device sets the journal aside from the lock screen, sets up
    // one of their own and erases it: the owner's journal is still there, whole (security
    // review H1: this once deleted it).
    let aside = s.set_aside(chrono::Utc::now())?;
    assert!(aside.exists());
    let (mut s, _) = set_up(dir)?;
    s.erase(session::ERASE_WORD, STRONG)?;
    assert_eq!(s.state(), LockState::FirstRun);
    assert!(
        aside.join(store::SLOTS_FILE).exists() && aside.join(store::DB_FILE).exists(),
        "erase deleted a journal set aside from the lock screen"
    );
    let listed = s.list_set_aside()?;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].reason, store::SetAsideReason::LockScreen);
    for name in [
        store::DB_FILE,
        store::SLOTS_FILE,
        "journal.db-wal",
        "journal.db-shm",
    ] {
        assert!(!dir.join(name).exists(), "{name} is still there");
    }
    // Plain settings (region, idle lock) are not personal and stay.
    assert_eq!(
        holdfast_app::settings::load(dir)?.idle_lock_minutes,
        Some(10)
    );
    Ok(())
}

#[test]
fn a_locked_journal_whose_secrets_are_lost_can_be_set_aside_to_start_again() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let (mut s, _) = set_up(dir)?;
    s.store()?.add_use(&a_use("kept aside"))?;
    assert!(
        matches!(
            s.set_aside(chrono::Utc::now()),
            Err(StoreError::Invalid { .. })
        ),
        "open"
    );
    s.lock();
    let aside = s.set_aside(chrono::Utc::now())?;
    assert_eq!(s.state(), LockState::FirstRun);
    assert!(aside.join(store::DB_FILE).exists() && aside.join(store::SLOTS_FILE).exists());
    assert_eq!(
        s.set_aside(chrono::Utc::now()).err(),
        Some(StoreError::NotCreated)
    );
    Ok(())
}

#[test]
fn the_owner_puts_a_journal_set_aside_from_the_lock_screen_back() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let (mut s, _) = set_up(dir)?;
    s.store()?.add_use(&a_use("the owner's note"))?;
    s.lock();
    // Someone else: "Lost the code too?", then a journal of their own, unlocked.
    let aside = s.set_aside(chrono::Utc::now())?;
    let name = aside
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or("name")?
        .to_owned();
    let mut s = Session::new(dir, fast(), Instant::now());
    let setup = s.begin_setup(STRONG2)?;
    s.finish_setup(&groups(&setup.code, &setup.check_groups), Instant::now())?;
    assert_eq!(s.state(), LockState::Unlocked);
    // Their passphrase does not delete the owner's journal.
    assert_eq!(
        s.delete_set_aside(&name, STRONG2).err(),
        Some(StoreError::WrongPassphrase)
    );
    // The owner, told at the lock screen, puts theirs back: the other journal is locked and set
    // aside in its place, and the owner's opens with the owner's passphrase.
    s.put_back(&name, chrono::Utc::now())?;
    assert_eq!(s.state(), LockState::Locked);
    assert_eq!(
        s.unlock(STRONG2, Instant::now()).err(),
        Some(StoreError::WrongPassphrase)
    );
    s.unlock(STRONG, Instant::now())?;
    assert!(s
        .store()?
        .list_uses()?
        .iter()
        .any(|u| u.record.note.as_deref() == Some("the owner's note")));
    let listed = s.list_set_aside()?;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].reason, store::SetAsideReason::Swapped);
    Ok(())
}

#[test]
fn a_damaged_journal_is_set_aside_not_deleted() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let (mut s, _) = set_up(dir)?;
    s.lock();
    std::fs::write(dir.join(store::SLOTS_FILE), b"{ broken")?;
    let LockState::Damaged { reason } = s.state() else {
        return Err("expected damaged".into());
    };
    assert!(reason.contains("keyslots.json"), "{reason}");
    // Erase is not offered for a damaged journal either.
    assert_eq!(
        s.erase(session::ERASE_WORD, STRONG).err(),
        Some(StoreError::Locked)
    );
    let aside = s.set_aside(chrono::Utc::now())?;
    assert_eq!(std::fs::read(aside.join(store::SLOTS_FILE))?, b"{ broken");
    assert!(aside.join(store::DB_FILE).exists());
    assert_eq!(s.state(), LockState::FirstRun);
    Ok(())
}

#[test]
fn backup_files_export_list_inspect_and_restore() -> TestResult {
    let data = tempfile::tempdir()?;
    let backups = tempfile::tempdir()?;
    let folder = backups.path().join("Holdfast backups");
    let (mut s, _) = set_up(data.path())?;
    s.store()?.add_use(&a_use("in the backup"))?;
    s.store()?.add_break(&a_break())?;
    let now = chrono::Utc::now();
    assert!(matches!(
        s.export_backup(&folder, STRONG, "short", now),
        Err(StoreError::Invalid {
            field: "backup passphrase",
            ..
        })
    ));
    // The journal's own passphrase is needed to copy it out (security review M4).
    assert_eq!(
        s.export_backup(&folder, STRONG2, STRONG2, now).err(),
        Some(StoreError::WrongPassphrase)
    );
    assert!(
        !folder.exists(),
        "a wrong passphrase made the backup folder"
    );
    let first = s.export_backup(&folder, STRONG, STRONG2, now)?;
    s.store()?.add_use(&a_use("only in the second"))?;
    let second = s.export_backup(&folder, STRONG, STRONG2, now)?;
    assert!(first.name.ends_with(".hfbackup") && first.name.starts_with("holdfast-backup-"));
    assert_ne!(
        first.name, second.name,
        "a second backup the same day must not replace the first"
    );
    std::fs::write(folder.join("notes.txt"), b"not a backup")?;
    let listed = session::list_backups(&folder)?;
    assert_eq!(listed.len(), 2);
    assert!(session::list_backups(&backups.path().join("missing"))?.is_empty());

    let first_path = std::path::Path::new(&first.path);
    let summary = s.inspect_backup(first_path, STRONG2)?;
    assert_eq!((summary.uses, summary.breaks), (1, 1));
    assert_eq!(
        s.inspect_backup(first_path, STRONG).err(),
        Some(StoreError::BackupWrongPassphrase)
    );
    assert!(matches!(
        s.inspect_backup(&folder.join("nope.hfbackup"), STRONG2),
        Err(StoreError::Invalid { .. })
    ));
    assert_eq!(
        s.inspect_backup(&folder.join("notes.txt"), STRONG2).err(),
        Some(StoreError::NotABackup)
    );

    // Erase, set up again with another passphrase, restore: the history is back.
    s.erase(session::ERASE_WORD, STRONG)?;
    let (mut s, _) = set_up(data.path())?;
    assert!(s.store()?.list_uses()?.is_empty());
    // Not looked at first: refused.
    assert!(matches!(
        s.import_backup(first_path, STRONG, STRONG2),
        Err(StoreError::Invalid {
            field: "backup",
            ..
        })
    ));
    // Looked at, then swapped for another file before restoring: refused, nothing changed.
    s.inspect_backup(first_path, STRONG2)?;
    let kept = std::fs::read(first_path)?;
    std::fs::copy(&second.path, first_path)?;
    let err = s.import_backup(first_path, STRONG, STRONG2);
    assert!(
        matches!(
            err,
            Err(StoreError::Invalid {
                field: "backup",
                ..
            })
        ),
        "{err:?}"
    );
    assert!(s.store()?.list_uses()?.is_empty());
    std::fs::write(first_path, kept)?;
    // Looked at again, but the journal's passphrase is wrong: refused, nothing changed (M4).
    s.inspect_backup(first_path, STRONG2)?;
    assert_eq!(
        s.import_backup(first_path, STRONG2, STRONG2).err(),
        Some(StoreError::WrongPassphrase)
    );
    assert!(s.store()?.list_uses()?.is_empty());
    // With it: restored.
    let restored = s.import_backup(first_path, STRONG, STRONG2)?;
    assert_eq!(restored.uses, 1);
    let uses = s.store()?.list_uses()?;
    assert_eq!(uses[0].record.note.as_deref(), Some("in the backup"));
    // Locked: no export, no inspect, no import.
    s.lock();
    assert_eq!(
        s.export_backup(&folder, STRONG, STRONG2, now).err(),
        Some(StoreError::Locked)
    );
    assert_eq!(
        s.inspect_backup(first_path, STRONG2).err(),
        Some(StoreError::Locked)
    );
    assert_eq!(
        s.import_backup(first_path, STRONG, STRONG2).err(),
        Some(StoreError::Locked)
    );
    Ok(())
}
