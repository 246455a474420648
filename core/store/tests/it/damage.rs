//! Guarantee 5: a damaged database (flipped bytes, cut short) or a damaged key file gives a clear
//! error naming what is wrong, and no file is overwritten or deleted.

use crate::common::*;
use holdfast_store::{self as store, Status, Store, StoreError};

fn make_store(dir: &std::path::Path) -> TestResult {
    let (s, _) = Store::create(dir, PASS, fast())?;
    for i in 0..200 {
        s.add_use(&a_use(&format!("entry {i} with some text to fill pages")))?;
    }
    s.lock();
    Ok(())
}

fn expect_damaged(dir: &std::path::Path, what: &str) -> TestResult {
    let before = files(dir)?;
    let err = Store::unlock(dir, PASS, fast()).err();
    match &err {
        Some(StoreError::Damaged(reason)) => assert!(reason.contains(what), "{reason}"),
        other => return Err(format!("expected damage of {what}, got {other:?}").into()),
    }
    if let Some(e) = err {
        // What the person reads (the IPC code is holdfast-app's; its tests map every variant).
        let message = e.to_string();
        assert!(message.contains("Nothing was changed"), "{message}");
    }
    let after = files(dir)?;
    for (path, (bytes, mtime)) in &before {
        let now = after
            .get(path)
            .ok_or_else(|| format!("{} was deleted", path.display()))?;
        assert_eq!(&now.0, bytes, "{} was changed", path.display());
        assert_eq!(&now.1, mtime, "{} was rewritten", path.display());
    }
    Ok(())
}

#[test]
fn flipped_bytes_in_the_database_are_reported() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    make_store(dir)?;
    let path = dir.join(store::DB_FILE);
    let good = std::fs::read(&path)?;
    assert!(good.len() >= 3 * 4096);
    for offset in [0usize, 20, 100, 4096 + 50, good.len() - 10] {
        let mut bad = good.clone();
        if let Some(b) = bad.get_mut(offset) {
            *b ^= 0x5a;
        }
        std::fs::write(&path, &bad)?;
        expect_damaged(dir, "journal file")?;
    }
    std::fs::write(&path, &good)?;
    Store::unlock(dir, PASS, fast())?;
    Ok(())
}

#[test]
fn a_truncated_database_is_reported() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    make_store(dir)?;
    let path = dir.join(store::DB_FILE);
    let good = std::fs::read(&path)?;
    for len in [good.len() - 100, 4096 + 7, 4096, 10, 0] {
        std::fs::write(&path, &good[..len])?;
        assert!(matches!(store::status(dir), Status::Damaged { .. }) || len % 4096 == 0);
        expect_damaged(dir, "journal file")?;
    }
    Ok(())
}

/// Security review M3: an empty journal file beside a good key file (a sync conflict, a copy
/// stopped half way) is damaged, says so before any passphrase, and the right passphrase does
/// not turn it into a new, empty journal: the file stays as it was.
#[test]
fn an_empty_journal_file_is_damaged_never_a_new_journal() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    make_store(dir)?;
    let path = dir.join(store::DB_FILE);
    for name in ["journal.db-wal", "journal.db-shm"] {
        let _ = std::fs::remove_file(dir.join(name));
    }
    std::fs::write(&path, b"")?;
    let Status::Damaged { reason } = store::status(dir) else {
        return Err("an empty journal file reads as a journal".into());
    };
    assert!(reason.contains("empty"), "{reason}");
    assert!(matches!(
        Store::unlock(dir, PASS, fast()),
        Err(StoreError::Damaged(_))
    ));
    assert_eq!(
        std::fs::read(&path)?.len(),
        0,
        "unlock wrote into the empty file"
    );
    Ok(())
}

#[test]
fn a_damaged_key_file_is_reported() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    make_store(dir)?;
    let path = dir.join(store::SLOTS_FILE);
    let good = std::fs::read(&path)?;
    let cases: Vec<Vec<u8>> = vec![
        Vec::new(),
        good[..good.len() / 2].to_vec(),
        b"not json at all".to_vec(),
        {
            let mut b = good.clone();
            // Flip a hex digit inside the wrapped key: valid JSON, wrong checksum.
            if let Some(pos) = std::str::from_utf8(&good)?.find("\"wrapped_key\": \"") {
                let i = pos + 20;
                b[i] = if b[i] == b'0' { b'1' } else { b'0' };
            }
            b
        },
    ];
    for bad in cases {
        std::fs::write(&path, &bad)?;
        assert!(
            matches!(store::status(dir), Status::Damaged { reason } if reason.contains("key file"))
        );
        expect_damaged(dir, "key file")?;
    }
    std::fs::write(&path, &good)?;
    Store::unlock(dir, PASS, fast())?;
    Ok(())
}
