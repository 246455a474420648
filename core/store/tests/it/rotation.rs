//! Key rotation and erase (security review M1): a new data key revokes an old copy of the key
//! file, a crash at any step leaves a journal that opens with the old or the new secrets and
//! holds everything, a failure changes nothing, and erase overwrites the key file.
//!
//! Crashes: the child is this test binary, re-run with `HOLDFAST_ROTATE_CHILD` set, stopped by
//! `HOLDFAST_TEST_CRASH_AT` at a named point of the rotation (see core/store/src/rotate.rs).

use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::*;
use holdfast_store::{self as store, RecoveryCode, Store, StoreError, SLOTS_FILE};

const CHILD_DIR: &str = "HOLDFAST_ROTATE_CHILD";
const CHILD_CODE: &str = "HOLDFAST_ROTATE_CODE";

/// The child's side: rotates the key of the journal in `HOLDFAST_ROTATE_CHILD` from `PASS` to
/// `PASS2` and the code in `HOLDFAST_ROTATE_CODE`. Does nothing in a normal test run.
#[test]
fn rotation_child() -> TestResult {
    let Some(dir) = std::env::var_os(CHILD_DIR) else {
        return Ok(());
    };
    let code = RecoveryCode::from_text(&std::env::var(CHILD_CODE)?).ok_or("not a code")?;
    match store::rotate_data_key(Path::new(&dir), PASS, PASS2, &code, fast()) {
        Ok(()) => println!("rotated"),
        Err(e) => println!("refused {e:?}"),
    }
    Ok(())
}

fn child(dir: &Path, code: &RecoveryCode) -> Result<Command, Box<dyn std::error::Error>> {
    let mut cmd = Command::new(std::env::current_exe()?);
    cmd.args(only_test("rotation::rotation_child"))
        .env(CHILD_DIR, dir)
        .env(CHILD_CODE, code.display().as_str())
        .env_remove("HOLDFAST_TEST_CRASH_AT")
        .env_remove("HOLDFAST_TEST_FAIL_AT")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    Ok(cmd)
}

/// A journal with entries in `dir`, locked; its recovery code.
fn journal(dir: &Path) -> Result<RecoveryCode, Box<dyn std::error::Error>> {
    let (s, code) = Store::create(dir, PASS, fast())?;
    for i in 0..40 {
        s.add_use(&a_use(&format!("entry {i}")))?;
    }
    s.add_checkin(&a_checkin(3))?;
    s.lock();
    Ok(code)
}

/// Everything `journal` wrote is there, and the file is whole.
fn intact(s: &Store) -> TestResult {
    assert!(s.integrity_check()?);
    let uses = s.list_uses()?;
    assert_eq!(uses.len(), 40);
    assert!(uses
        .iter()
        .any(|u| u.record.note.as_deref() == Some("entry 39")));
    assert_eq!(s.list_checkins()?.len(), 1);
    Ok(())
}

/// The key file's version field (1: one key; 2: a rotation under way).
fn slots_version(dir: &Path) -> Result<u64, Box<dyn std::error::Error>> {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join(SLOTS_FILE))?)?;
    v["version"].as_u64().ok_or_else(|| "no version".into())
}

/// A folder holding `key_file` beside the journal file of `dir`, as someone who copied the key
/// file once and now copies the journal would have.
fn with_old_key_file(
    dir: &Path,
    key_file: &[u8],
) -> Result<tempfile::TempDir, Box<dyn std::error::Error>> {
    let other = tempfile::tempdir()?;
    std::fs::copy(dir.join("journal.db"), other.path().join("journal.db"))?;
    std::fs::write(other.path().join(SLOTS_FILE), key_file)?;
    Ok(other)
}

/// What rotation protects against: an old copy of the key file and the old secrets open nothing
/// that is on disk after the rotation, old entries or new. And what it cannot: a copy of the whole
/// journal made before still opens with the old secrets. A passphrase change alone (no rotation)
/// protects against neither.
#[test]
fn rotation_revokes_an_old_copy_of_the_key_file() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let old_code = journal(dir)?;
    let old_key_file = std::fs::read(dir.join(SLOTS_FILE))?;
    let old_copy = with_old_key_file(dir, &old_key_file)?;

    // Without rotation: the old key file still opens today's journal with the old passphrase.
    let mut s = Store::unlock(dir, PASS, fast())?;
    s.change_passphrase(PASS, PASS2)?;
    s.add_use(&a_use("after the passphrase change"))?;
    s.lock();
    let leak = with_old_key_file(dir, &old_key_file)?;
    let seen = Store::unlock(leak.path(), PASS, fast())?;
    assert_eq!(seen.list_uses()?.len(), 41, "the limit rotation is for");
    seen.lock();

    // With rotation.
    let mut s = Store::unlock(dir, PASS2, fast())?;
    let new_code = RecoveryCode::generate()?;
    s.rotate_key(PASS2, &new_code)?;
    s.add_use(&a_use("after the rotation"))?;
    assert_eq!(s.list_uses()?.len(), 42);
    s.lock();
    assert_eq!(slots_version(dir)?, 1, "the finished file has one key");
    let stale = with_old_key_file(dir, &old_key_file)?;
    assert!(
        matches!(
            Store::unlock(stale.path(), PASS, fast()),
            Err(StoreError::Damaged(_))
        ),
        "an old key file and the old passphrase must not open the rotated journal"
    );
    assert!(matches!(
        Store::unlock_with_recovery(stale.path(), &old_code.display(), PASS2, fast()),
        Err(StoreError::Damaged(_))
    ));
    // The journal file holds no copy of the old key's pages either: the old key file opens
    // nothing in the folder.
    assert!(matches!(
        Store::unlock(stale.path(), PASS2, fast()),
        Err(StoreError::WrongPassphrase) | Err(StoreError::Damaged(_))
    ));
    // The old secrets no longer open the real folder; the new ones do, with everything.
    assert_eq!(
        Store::unlock(dir, PASS, fast()).err(),
        Some(StoreError::WrongPassphrase)
    );
    let s = Store::unlock(dir, PASS2, fast())?;
    assert!(s.integrity_check()?);
    let notes: Vec<_> = s
        .list_uses()?
        .into_iter()
        .filter_map(|u| u.record.note)
        .collect();
    assert!(notes.contains(&"entry 0".to_owned()));
    assert!(notes.contains(&"after the rotation".to_owned()));
    s.lock();
    Store::unlock_with_recovery(dir, &new_code.display(), PASS, fast())?
        .0
        .lock();

    // The limit: a copy of the journal and key file made before still opens with the old secret.
    let before = Store::unlock(old_copy.path(), PASS, fast())?;
    assert_eq!(before.list_uses()?.len(), 40);
    Ok(())
}

/// A new recovery code (in Settings, and after a recovery) always rotates the key.
#[test]
fn a_new_recovery_code_rotates_the_key() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let old_code = journal(dir)?;
    let old_key_file = std::fs::read(dir.join(SLOTS_FILE))?;
    let mut s = Store::unlock(dir, PASS, fast())?;
    let code = s.new_recovery_code(PASS)?;
    intact(&s)?;
    s.lock();
    let stale = with_old_key_file(dir, &old_key_file)?;
    assert!(matches!(
        Store::unlock(stale.path(), PASS, fast()),
        Err(StoreError::Damaged(_))
    ));
    assert_eq!(
        Store::unlock_with_recovery(dir, &old_code.display(), PASS2, fast()).err(),
        Some(StoreError::WrongRecoveryCode)
    );
    // Recovery with the code issues a new code, and rotates again.
    let key_file = std::fs::read(dir.join(SLOTS_FILE))?;
    let (s, _) = Store::unlock_with_recovery(dir, &code.display(), PASS2, fast())?;
    intact(&s)?;
    s.lock();
    let stale = with_old_key_file(dir, &key_file)?;
    assert!(matches!(
        Store::unlock(stale.path(), PASS, fast()),
        Err(StoreError::Damaged(_))
    ));
    Ok(())
}

/// The points a rotation can be stopped at, in order, and whether the new secrets (true) or the
/// old ones (false) open the journal afterwards.
const CRASH_POINTS: &[(&str, bool)] = &[
    // Step 1, the two-key file: written to a temporary file, not yet renamed.
    ("after-temp-written", false),
    // Renamed, the folder not yet fsynced.
    ("after-rename", true),
    ("rotate-after-two-keys", true),
    // Step 2: the re-encrypted copy is written, fsynced and checked.
    ("rotate-after-copy", true),
    // Step 3: the journal closed out of WAL mode, the copy not yet renamed.
    ("rotate-before-rename", true),
    // Renamed: the journal is under the new key, the key file still has both.
    ("rotate-after-rename", true),
    ("rotate-before-one-key", true),
    // Step 4, the one-key file: the second replacement of the key file.
    ("after-temp-written#2", true),
    ("after-rename#2", true),
];

#[test]
fn a_crash_at_any_step_of_a_rotation_opens_with_the_old_or_new_secrets() -> TestResult {
    for &(point, new) in CRASH_POINTS {
        let tmp = tempfile::tempdir()?;
        let dir = tmp.path();
        let old_code = journal(dir)?;
        let old_key_file = std::fs::read(dir.join(SLOTS_FILE))?;
        let new_code = RecoveryCode::generate()?;
        let out = child(dir, &new_code)?
            .env("HOLDFAST_TEST_CRASH_AT", point)
            .output()?;
        assert!(
            !out.status.success(),
            "the child should have stopped at {point}"
        );
        let (works, fails) = if new { (PASS2, PASS) } else { (PASS, PASS2) };
        assert_eq!(
            Store::unlock(dir, fails, fast()).err(),
            Some(StoreError::WrongPassphrase),
            "crash at {point}"
        );
        let s =
            Store::unlock(dir, works, fast()).map_err(|e| format!("crash at {point}: {e:?}"))?;
        intact(&s).map_err(|e| format!("crash at {point}: {e}"))?;
        s.lock();
        // That unlock finished the rotation: one key, and the old key file opens nothing here.
        assert_eq!(slots_version(dir)?, 1, "crash at {point}");
        if new {
            let stale = with_old_key_file(dir, &old_key_file)?;
            assert!(
                matches!(
                    Store::unlock(stale.path(), PASS, fast()),
                    Err(StoreError::Damaged(_))
                ),
                "crash at {point}: the old key still opens the journal"
            );
            Store::unlock_with_recovery(dir, &new_code.display(), PASS2, fast())
                .map_err(|e| format!("crash at {point}: new code: {e:?}"))?
                .0
                .lock();
        } else {
            Store::unlock_with_recovery(dir, &old_code.display(), PASS, fast())?
                .0
                .lock();
        }
        // Whatever a crash left behind (a temporary file) goes with an erase.
        store::wipe(dir)?;
        assert_eq!(std::fs::read_dir(dir)?.count(), 0, "crash at {point}");
    }
    Ok(())
}

/// Without a crash the child rotates, and a failure part way (the copy fails as a full disk
/// would) changes nothing: the old secrets and the old key still work.
#[test]
fn a_failed_rotation_changes_nothing() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let old_code = journal(dir)?;
    let old_key_file = std::fs::read(dir.join(SLOTS_FILE))?;
    let new_code = RecoveryCode::generate()?;
    let out = child(dir, &new_code)?
        .env("HOLDFAST_TEST_FAIL_AT", "rotate-copy")
        .output()?;
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("refused WriteFailed"), "{said}");
    assert!(
        std::fs::read(dir.join(SLOTS_FILE))? == old_key_file,
        "the key file must be as it was"
    );
    intact(&Store::unlock(dir, PASS, fast())?)?;
    Store::unlock_with_recovery(dir, &old_code.display(), PASS, fast())?
        .0
        .lock();
    let names: Vec<_> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with(".holdfast-tmp-")),
        "{names:?}"
    );
    // And without the failure it goes through.
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    journal(dir)?;
    let out = child(dir, &new_code)?.output()?;
    assert!(String::from_utf8_lossy(&out.stdout).contains("rotated"));
    intact(&Store::unlock(dir, PASS2, fast())?)?;
    Ok(())
}

/// The key file's folder fsync fails after each rename, even when tried again (security review
/// L2): the rotation is not reported as "nothing was saved" but as written and not confirmed,
/// and that is what is true: the new secrets open the journal, the old ones do not, and every
/// entry is there.
#[test]
fn a_key_file_written_but_not_confirmed_says_so() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let old_code = journal(dir)?;
    let new_code = RecoveryCode::generate()?;
    let out = child(dir, &new_code)?
        .env("HOLDFAST_TEST_FAIL_AT", "sync-after-rename")
        .output()?;
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("refused WrittenNotConfirmed"), "{said}");
    assert_eq!(slots_version(dir)?, 1, "the rotation did not finish");
    assert!(matches!(
        Store::unlock(dir, PASS, fast()),
        Err(StoreError::WrongPassphrase)
    ));
    assert!(matches!(
        Store::unlock_with_recovery(dir, &old_code.display(), PASS, fast()),
        Err(StoreError::WrongRecoveryCode)
    ));
    intact(&Store::unlock(dir, PASS2, fast())?)?;
    Ok(())
}

/// Erase overwrites the key file in place with random bytes before removing it: a second name
/// for the same file (a hard link, as a backup tool might keep) holds noise, not the key.
#[test]
fn erase_overwrites_the_key_file_before_removing_it() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path().join("data");
    std::fs::create_dir(&dir)?;
    journal(&dir)?;
    let before = std::fs::read(dir.join(SLOTS_FILE))?;
    let link = tmp.path().join("link-to-keyslots");
    std::fs::hard_link(dir.join(SLOTS_FILE), &link)?;
    Store::unlock(&dir, PASS, fast())?.wipe()?;
    assert_eq!(store::status(&dir), store::Status::FirstRun);
    let after = std::fs::read(&link)?;
    assert_eq!(after.len(), before.len());
    assert!(
        after != before,
        "the key file was removed but not overwritten"
    );
    assert!(serde_json::from_slice::<serde_json::Value>(&after).is_err());
    Ok(())
}

/// Security review M2 for the key file: a file asking for more work than this app ever uses is
/// damaged before anything is derived; one asking for less than the production minimum is
/// refused by a production store (a test store reads its own cheap files because its options
/// say so).
#[test]
fn key_files_with_settings_this_app_never_writes_are_refused() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    journal(dir)?;
    // Cheap test parameters, read with production options: refused, not derived.
    let err = Store::unlock(dir, PASS, holdfast_store::StoreOptions::default()).err();
    assert!(
        matches!(&err, Some(StoreError::Damaged(why)) if why.contains("less work")),
        "{err:?}"
    );
    // A gigabyte, 64 passes, 16 lanes, with the checksum recomputed (over the slots in the
    // order the app writes their fields).
    #[derive(serde::Serialize, serde::Deserialize)]
    struct Slot {
        kind: String,
        kdf: String,
        params: holdfast_store::KdfParams,
        salt: String,
        nonce: String,
        wrapped_key: String,
    }
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join(SLOTS_FILE))?)?;
    let mut slots: Vec<Slot> = serde_json::from_value(v["slots"].take())?;
    for slot in &mut slots {
        slot.params = holdfast_store::KdfParams {
            m_kib: 1024 * 1024,
            t: 64,
            p: 16,
        };
    }
    v["checksum"] = serde_json::Value::String(hex_sha256(&serde_json::to_vec(&slots)?));
    v["slots"] = serde_json::to_value(&slots)?;
    std::fs::write(dir.join(SLOTS_FILE), serde_json::to_vec_pretty(&v)?)?;
    let status = store::status(dir);
    assert!(
        matches!(&status, store::Status::Damaged { reason } if reason.contains("out of range")),
        "{status:?}"
    );
    assert!(matches!(
        Store::unlock(dir, PASS, fast()),
        Err(StoreError::Damaged(_))
    ));
    Ok(())
}

fn hex_sha256(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    digest.as_ref().iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
