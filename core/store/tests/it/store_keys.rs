//! Life cycle of the store: create, unlock, recovery, passphrase change, lock, wipe, status;
//! wrong passphrase (guarantee 4); production KDF parameters.

use std::path::Path;
use std::time::Instant;

use crate::common::*;
use holdfast_store::{self as store, KdfParams, Status, Store, StoreError, StoreOptions};

#[test]
fn first_run_create_lock_unlock() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    assert_eq!(store::status(dir), Status::FirstRun);
    let (s, code) = Store::create(dir, PASS, fast())?;
    assert_eq!(code.display().len(), 29);
    let id = s.add_use(&a_use("first"))?;
    s.lock();
    assert_eq!(store::status(dir), Status::Locked);
    let s = Store::unlock(dir, PASS, fast())?;
    assert_eq!(s.get_use(id)?.record.note.as_deref(), Some("first"));
    assert_eq!(
        Store::create(dir, PASS, fast()).err(),
        Some(StoreError::AlreadyExists)
    );
    Ok(())
}

#[test]
fn unlocking_nothing_says_so() -> TestResult {
    let tmp = tempfile::tempdir()?;
    assert_eq!(
        Store::unlock(tmp.path(), PASS, fast()).err(),
        Some(StoreError::NotCreated)
    );
    Ok(())
}

#[test]
fn weak_passphrases_are_refused() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let err = Store::create(tmp.path(), "short", fast()).err();
    assert!(
        matches!(
            err,
            Some(StoreError::Invalid {
                field: "passphrase",
                ..
            })
        ),
        "{err:?}"
    );
    assert_eq!(store::status(tmp.path()), Status::FirstRun);
    Ok(())
}

/// Guarantee 4: a wrong passphrase gives a clear error, writes nothing, and does not lock out.
#[test]
fn wrong_passphrase_changes_nothing_and_has_no_lockout() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let (s, _) = Store::create(dir, PASS, fast())?;
    s.add_use(&a_use("x"))?;
    s.lock();
    let before = files(dir)?;
    for _ in 0..20 {
        let err = Store::unlock(dir, "not the passphrase", fast()).err();
        assert_eq!(err, Some(StoreError::WrongPassphrase));
        assert!(StoreError::WrongPassphrase
            .to_string()
            .contains("passphrase is not right"));
    }
    assert_eq!(
        files(dir)?,
        before,
        "a wrong passphrase must not write anything"
    );
    Store::unlock(dir, PASS, fast())?;
    Ok(())
}

#[test]
fn recovery_code_unlocks_sets_new_passphrase_and_rotates_code() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let (s, code) = Store::create(dir, PASS, fast())?;
    let id = s.add_use(&a_use("kept"))?;
    s.lock();
    assert_eq!(
        Store::unlock_with_recovery(dir, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF", PASS2, fast()).err(),
        Some(StoreError::WrongRecoveryCode)
    );
    // Typed in lower case with spaces still works.
    let typed = code.display().to_lowercase().replace('-', " ");
    let (s, new_code) = Store::unlock_with_recovery(dir, &typed, PASS2, fast())?;
    assert_eq!(s.get_use(id)?.record.note.as_deref(), Some("kept"));
    assert_ne!(new_code, code);
    s.lock();
    assert_eq!(
        Store::unlock(dir, PASS, fast()).err(),
        Some(StoreError::WrongPassphrase)
    );
    Store::unlock(dir, PASS2, fast())?.lock();
    assert_eq!(
        Store::unlock_with_recovery(dir, &code.display(), PASS, fast()).err(),
        Some(StoreError::WrongRecoveryCode),
        "the old recovery code must stop working"
    );
    Store::unlock_with_recovery(dir, &new_code.display(), PASS, fast())?;
    Ok(())
}

#[test]
fn change_passphrase_needs_the_old_one_and_keeps_recovery() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let (mut s, code) = Store::create(dir, PASS, fast())?;
    assert_eq!(
        s.change_passphrase("wrong one!", PASS2).err(),
        Some(StoreError::WrongPassphrase)
    );
    s.change_passphrase(PASS, PASS2)?;
    s.lock();
    assert_eq!(
        Store::unlock(dir, PASS, fast()).err(),
        Some(StoreError::WrongPassphrase)
    );
    Store::unlock(dir, PASS2, fast())?.lock();
    Store::unlock_with_recovery(dir, &code.display(), PASS, fast())?;
    Ok(())
}

#[test]
fn wipe_returns_the_folder_to_first_run() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    std::fs::write(dir.join("unrelated.txt"), b"keep")?;
    let (s, _) = Store::create(dir, PASS, fast())?;
    s.add_use(&a_use("gone"))?;
    s.wipe()?;
    assert_eq!(store::status(dir), Status::FirstRun);
    let names: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["unrelated.txt".to_owned()]);
    // A locked store can be wiped too.
    let (s, _) = Store::create(dir, PASS, fast())?;
    s.lock();
    store::wipe(dir)?;
    assert_eq!(store::status(dir), Status::FirstRun);
    Store::create(dir, PASS2, fast())?;
    Ok(())
}

#[test]
fn status_reports_missing_halves() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    Store::create(dir, PASS, fast())?.0.lock();
    let slots = std::fs::read(dir.join(store::SLOTS_FILE))?;
    std::fs::remove_file(dir.join(store::SLOTS_FILE))?;
    assert!(
        matches!(store::status(dir), Status::Damaged { reason } if reason.contains("key file"))
    );
    std::fs::write(dir.join(store::SLOTS_FILE), slots)?;
    std::fs::remove_file(dir.join(store::DB_FILE))?;
    assert!(
        matches!(store::status(dir), Status::Damaged { reason } if reason.contains("journal file"))
    );
    Ok(())
}

/// The production parameters, measured: one unlock (one Argon2id derivation plus opening).
#[test]
fn production_kdf_parameters_work_and_are_timed() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let opts = StoreOptions::default();
    assert_eq!(opts.kdf, KdfParams::PRODUCTION);
    let (s, _) = Store::create(dir, PASS, opts.clone())?;
    s.lock();
    let start = Instant::now();
    let s = Store::unlock(dir, PASS, opts)?;
    let took = start.elapsed();
    eprintln!("unlock with production KDF parameters took {took:?}");
    assert!(took.as_secs() < 10, "unlock took {took:?}");
    s.lock();
    let slots = std::fs::read_to_string(dir.join(store::SLOTS_FILE))?;
    assert!(slots.contains("\"m_kib\": 65536"), "{slots}");
    Ok(())
}

#[test]
fn create_with_a_code_made_beforehand() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let code = store::RecoveryCode::generate()?;
    let s = Store::create_with_code(dir, PASS, &code, fast())?;
    s.add_use(&a_use("kept"))?;
    s.lock();
    let (s, _new) = Store::unlock_with_recovery(dir, &code.display(), PASS2, fast())?;
    assert_eq!(s.list_uses()?.len(), 1);
    Ok(())
}

#[test]
fn a_new_recovery_code_replaces_the_old_one() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let (mut s, old) = Store::create(dir, PASS, fast())?;
    assert_eq!(
        s.new_recovery_code(PASS2).err(),
        Some(StoreError::WrongPassphrase)
    );
    let new = s.new_recovery_code(PASS)?;
    assert_ne!(new.display(), old.display());
    s.lock();
    assert_eq!(
        Store::unlock_with_recovery(dir, &old.display(), PASS2, fast()).err(),
        Some(StoreError::WrongRecoveryCode)
    );
    // The passphrase still works, and so does the new code.
    Store::unlock(dir, PASS, fast())?.lock();
    Store::unlock_with_recovery(dir, &new.display(), PASS2, fast())?;
    Ok(())
}

#[test]
fn setting_a_damaged_journal_aside_keeps_every_file() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let (s, _code) = Store::create(dir, PASS, fast())?;
    s.add_use(&a_use("kept aside"))?;
    s.lock();
    let db = dir.join(store::DB_FILE);
    let mut bytes = std::fs::read(&db)?;
    bytes.truncate(bytes.len() - 100);
    std::fs::write(&db, &bytes)?;
    assert!(matches!(store::status(dir), Status::Damaged { .. }));
    let now = chrono::Utc::now();
    let aside = store::set_aside(dir, now, store::SetAsideReason::Damaged)?;
    assert_eq!(store::status(dir), Status::FirstRun);
    assert_eq!(std::fs::read(aside.join(store::DB_FILE))?, bytes);
    assert!(aside.join(store::SLOTS_FILE).exists());
    // A second set-aside in the same second gets its own folder.
    let (s, _code) = Store::create(dir, PASS, fast())?;
    s.lock();
    let aside2 = store::set_aside(dir, now, store::SetAsideReason::LockScreen)?;
    assert_ne!(aside, aside2);
    assert!(aside.join(store::SLOTS_FILE).exists() && aside2.join(store::SLOTS_FILE).exists());
    Ok(())
}

#[test]
fn a_set_aside_journal_is_listed_put_back_and_deleted_only_with_its_own_passphrase() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let (s, _code) = Store::create(dir, PASS, fast())?;
    let id = s.add_use(&a_use("the owner's"))?;
    s.lock();
    let now = chrono::Utc::now();
    let aside = store::set_aside(dir, now, store::SetAsideReason::LockScreen)?;
    let name = aside
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or("no folder name")?
        .to_owned();
    // Someone else sets up a journal of their own in its place.
    let (other, _code) = Store::create(dir, "someone else's passphrase", fast())?;
    other.lock();
    let listed = store::list_set_aside(dir)?;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, name);
    assert_eq!(listed[0].reason, store::SetAsideReason::LockScreen);
    assert!(listed[0].has_key_file);
    assert_eq!(
        listed[0].at.map(|t| t.timestamp()),
        Some(now.timestamp()),
        "the time comes from the folder name"
    );
    // Deleting needs the set-aside journal's own passphrase, not the new one's.
    assert_eq!(
        store::delete_set_aside(dir, &name, "someone else's passphrase", &fast().min_kdf).err(),
        Some(StoreError::WrongPassphrase)
    );
    assert!(aside.join(store::DB_FILE).exists());
    // Names that are not a set-aside folder of this data folder are refused.
    for bad in [
        "",
        "..",
        "../x",
        "/tmp",
        "journal.db",
        "set-aside-../../etc",
        "set-aside-nothere",
    ] {
        assert_eq!(
            store::put_back(dir, bad, now).err(),
            Some(StoreError::RecordNotFound),
            "{bad:?}"
        );
        assert_eq!(
            store::delete_set_aside(dir, bad, PASS, &fast().min_kdf).err(),
            Some(StoreError::RecordNotFound),
            "{bad:?}"
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&aside)?.permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "set-aside folder mode {mode:o}");
    }
    // Put back: the other journal is set aside in its place; the owner's opens again, whole.
    let swapped = store::put_back(dir, &name, now)?.ok_or("the other journal was not kept")?;
    assert!(swapped.join(store::SLOTS_FILE).exists() && swapped.join(store::DB_FILE).exists());
    assert!(!aside.exists(), "the emptied folder is removed");
    let back = Store::unlock(dir, PASS, fast())?;
    assert!(back.list_uses()?.iter().any(|u| u.id == id));
    back.lock();
    let listed = store::list_set_aside(dir)?;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].reason, store::SetAsideReason::Swapped);
    // The other journal's owner can delete theirs with their own passphrase.
    store::delete_set_aside(
        dir,
        &listed[0].name,
        "someone else's passphrase",
        &fast().min_kdf,
    )?;
    assert!(store::list_set_aside(dir)?.is_empty());
    assert!(!swapped.exists());
    // The owner's journal is untouched.
    Store::unlock(dir, PASS, fast())?.lock();
    Ok(())
}

#[test]
fn putting_back_into_an_empty_folder_needs_no_swap() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let (s, _code) = Store::create(dir, PASS, fast())?;
    s.lock();
    let aside = store::set_aside(dir, chrono::Utc::now(), store::SetAsideReason::Damaged)?;
    let name = aside
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or("name")?
        .to_owned();
    assert_eq!(store::status(dir), Status::FirstRun);
    assert_eq!(store::put_back(dir, &name, chrono::Utc::now())?, None);
    assert!(!matches!(store::status(dir), Status::FirstRun));
    Store::unlock(dir, PASS, fast())?.lock();
    assert!(store::list_set_aside(dir)?.is_empty());
    Ok(())
}

/// A move cut short by a crash or power cut (set aside, or put back, renames one file at a
/// time) leaves half a journal in the data folder and the other half in the set-aside folder.
/// Putting back joins the halves; swapping them would keep them apart for good (found by the
/// power-cut tests, tests/powercut).
#[test]
fn putting_back_joins_a_journal_split_by_a_move_cut_short() -> TestResult {
    for (left_here, db_here) in [
        (holdfast_store::SLOTS_FILE, false),
        (holdfast_store::DB_FILE, true),
    ] {
        let tmp = tempfile::tempdir()?;
        let dir = tmp.path();
        let (s, _code) = Store::create(dir, PASS, fast())?;
        let id = s.add_use(&a_use("kept"))?;
        s.lock();
        let aside = store::set_aside(dir, chrono::Utc::now(), store::SetAsideReason::LockScreen)?;
        // The state a cut between the renames leaves.
        std::fs::rename(aside.join(left_here), dir.join(left_here))?;
        assert!(matches!(store::status(dir), Status::Damaged { .. }));
        let name = aside
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or("name")?
            .to_owned();
        assert_eq!(
            store::put_back(dir, &name, chrono::Utc::now())?,
            None,
            "db here: {db_here}"
        );
        let s = Store::unlock(dir, PASS, fast())?;
        assert_eq!(s.get_use(id)?.record.note.as_deref(), Some("kept"));
        s.lock();
        assert!(store::list_set_aside(dir)?.is_empty());
    }
    Ok(())
}

/// The exception is only for halves: a whole journal in the data folder is still swapped out,
/// even when the set-aside folder holds only part of one.
#[test]
fn putting_back_half_a_journal_over_a_whole_one_still_swaps() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let (s, _code) = Store::create(dir, PASS, fast())?;
    s.lock();
    let aside = store::set_aside(dir, chrono::Utc::now(), store::SetAsideReason::LockScreen)?;
    std::fs::remove_file(aside.join(holdfast_store::SLOTS_FILE))?;
    let (s, _code) = Store::create(dir, PASS2, fast())?;
    s.lock();
    let name = aside
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or("name")?
        .to_owned();
    let swapped = store::put_back(dir, &name, chrono::Utc::now())?.ok_or("not swapped")?;
    Store::unlock(&swapped, PASS2, fast())?.lock();
    Ok(())
}

/// Raising the cost reaches journals made before (security review L5): a passphrase slot written
/// at a lower cost is wrapped again at the current cost at the next unlock, and the journal
/// still opens, with the same passphrase and everything in it.
#[test]
fn a_slot_below_the_current_cost_is_wrapped_again_at_unlock() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let (s, _code) = Store::create(dir, PASS, fast())?;
    s.add_use(&a_use("before the cost went up"))?;
    s.lock();
    let params = |dir: &Path| -> Result<(u64, u64), Box<dyn std::error::Error>> {
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join(holdfast_store::SLOTS_FILE))?)?;
        let slot = v["slots"]
            .as_array()
            .and_then(|a| a.iter().find(|s| s["kind"] == "passphrase"))
            .ok_or("no passphrase slot")?;
        Ok((
            slot["params"]["m_kib"].as_u64().ok_or("m")?,
            slot["params"]["t"].as_u64().ok_or("t")?,
        ))
    };
    let cheap = KdfParams::INSECURE_FOR_TESTS;
    assert_eq!(params(dir)?, (u64::from(cheap.m_kib), u64::from(cheap.t)));
    let raised = KdfParams {
        m_kib: cheap.m_kib * 2,
        t: cheap.t + 1,
        p: cheap.p,
    };
    let mut options = fast();
    options.kdf = raised;
    Store::unlock(dir, PASS, options.clone())?.lock();
    assert_eq!(
        params(dir)?,
        (u64::from(raised.m_kib), u64::from(raised.t)),
        "the slot was not wrapped again at the current cost"
    );
    let s = Store::unlock(dir, PASS, options)?;
    assert_eq!(s.list_uses()?.len(), 1);
    Ok(())
}
