//! Guarantee 1: nothing written through the API is in the files in the clear, and the database
//! is not a plain SQLite file.

use crate::common::*;
use holdfast_store::{self as store, Store};

const MARKER: &str = "MARKER-7f3a9c-PLAINTEXT-CANARY";

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn marker_is_absent_from_every_file_and_plain_sqlite_cannot_read_it() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let (s, _) = Store::create(dir, PASS, fast())?;
    for i in 0..50 {
        s.add_use(&a_use(&format!("{MARKER} {i}")))?;
    }
    s.set_setting("display_name", MARKER)?;
    s.add_checkin(&holdfast_domain::records::Checkin {
        note: Some(MARKER.to_owned()),
        ..a_checkin(0)
    })?;
    // The person's own lists: triggers, support people, the safety plan, kits.
    use holdfast_content::Region;
    use holdfast_domain::records::{KitKind, NaloxoneKit, PlanItem, SupportPerson, Trigger};
    s.add_trigger(&Trigger {
        name: MARKER.to_owned(),
    })?;
    s.add_support_person(
        &SupportPerson {
            name: MARKER.to_owned(),
            relation: None,
            phone: None,
        },
        Region::Us,
    )?;
    s.add_plan_item(
        &PlanItem::WarningSign {
            text: MARKER.to_owned(),
        },
        Region::Us,
    )?;
    s.add_kit(&NaloxoneKit {
        kind: KitKind::Nasal,
        kept_at: Some(MARKER.to_owned()),
        expires: None,
        used_on: None,
        note: None,
    })?;
    // Check while open (the -wal and -shm files exist now) and again after locking.
    for round in 0..2 {
        let mut seen = 0;
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            let bytes = std::fs::read(&path)?;
            seen += 1;
            assert!(
                !contains(&bytes, MARKER.as_bytes()),
                "marker found in {} (round {round})",
                path.display()
            );
            assert!(
                !contains(&bytes, b"fentanyl"),
                "substance name found in {}",
                path.display()
            );
            assert!(
                !contains(&bytes, b"use_entry"),
                "schema text found in {}",
                path.display()
            );
        }
        assert!(seen >= 2);
        if round == 0 {
            assert!(dir.join(format!("{}-wal", store::DB_FILE)).exists());
        }
    }
    let db = std::fs::read(dir.join(store::DB_FILE))?;
    assert!(
        !db.starts_with(b"SQLite format 3"),
        "the header must not be plain SQLite's"
    );
    s.lock();
    let db = std::fs::read(dir.join(store::DB_FILE))?;
    assert!(!db.starts_with(b"SQLite format 3"));
    assert!(!contains(&db, MARKER.as_bytes()));

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for name in [store::DB_FILE, store::SLOTS_FILE] {
            let mode = std::fs::metadata(dir.join(name))?.permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{name} must be private to the user");
        }
    }
    // Plain access without the key fails.
    let conn = rusqlite::Connection::open(dir.join(store::DB_FILE))?;
    let res = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    });
    assert_eq!(
        res.err().and_then(|e| e.sqlite_error_code()),
        Some(rusqlite::ErrorCode::NotADatabase)
    );
    drop(conn);

    // And with the sqlite3 command-line tool, when it is installed.
    if let Ok(out) = std::process::Command::new("sqlite3")
        .arg(dir.join(store::DB_FILE))
        .arg("SELECT count(*) FROM sqlite_master;")
        .output()
    {
        assert!(!out.status.success(), "sqlite3 read the encrypted file");
    }
    // The key-slots file holds no secret in the clear either.
    let slots = std::fs::read_to_string(dir.join(store::SLOTS_FILE))?;
    assert!(!slots.contains(PASS));
    Ok(())
}
