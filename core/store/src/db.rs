//! Opening the SQLCipher database and migrating its schema.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::crypto::SecretKey;
use super::StoreError;

/// File name of the database in the data folder.
pub const DB_FILE: &str = "journal.db";
/// SQLCipher's page size (its default); the file's size is always a multiple of it.
pub const PAGE_SIZE: u64 = 4096;

/// The schema, one entry per version. Entry `i` moves the database from version `i` to `i + 1`.
/// Append only: never edit a migration that has shipped.
pub const MIGRATIONS: &[&str] = &[
    // 1: settings and use entries.
    "CREATE TABLE settings (
        key   TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
     ) STRICT;
     CREATE TABLE use_entry (
        id        INTEGER PRIMARY KEY,
        at_utc    INTEGER NOT NULL,
        at_offset INTEGER NOT NULL,
        substance TEXT,
        note      TEXT
     ) STRICT;
     CREATE INDEX use_entry_at ON use_entry(at_utc);",
    // 2: breaks (prison, detox, treatment, stopped or missed medication...).
    "CREATE TABLE break_entry (
        id         INTEGER PRIMARY KEY,
        kind       TEXT NOT NULL,
        days       INTEGER,
        start_date TEXT NOT NULL,
        end_date   TEXT,
        note       TEXT
     ) STRICT;
     CREATE INDEX break_entry_start ON break_entry(start_date);",
    // 3: daily check-ins, one per local calendar day.
    "CREATE TABLE checkin (
        id        INTEGER PRIMARY KEY,
        date      TEXT NOT NULL UNIQUE,
        cravings  INTEGER NOT NULL CHECK (cravings BETWEEN 0 AND 10),
        mood      INTEGER NOT NULL CHECK (mood BETWEEN 1 AND 5),
        note      TEXT,
        at_utc    INTEGER NOT NULL,
        at_offset INTEGER NOT NULL
     ) STRICT;",
    // 4: the fuller check-in (sleep, HALT, used since last, naloxone with me, triggers met and
    // warning signs noticed), the person's trigger list, safety plan, support people and
    // naloxone kits. Existing check-ins get: sleep and naloxone unanswered, HALT all no,
    // used-since-last no, no triggers or warning signs.
    "ALTER TABLE checkin ADD COLUMN sleep INTEGER CHECK (sleep IS NULL OR sleep BETWEEN 1 AND 5);
     ALTER TABLE checkin ADD COLUMN hungry INTEGER NOT NULL DEFAULT 0 CHECK (hungry IN (0, 1));
     ALTER TABLE checkin ADD COLUMN angry INTEGER NOT NULL DEFAULT 0 CHECK (angry IN (0, 1));
     ALTER TABLE checkin ADD COLUMN lonely INTEGER NOT NULL DEFAULT 0 CHECK (lonely IN (0, 1));
     ALTER TABLE checkin ADD COLUMN tired INTEGER NOT NULL DEFAULT 0 CHECK (tired IN (0, 1));
     ALTER TABLE checkin ADD COLUMN used_since_last INTEGER NOT NULL DEFAULT 0 CHECK (used_since_last IN (0, 1));
     ALTER TABLE checkin ADD COLUMN naloxone_with_me INTEGER CHECK (naloxone_with_me IS NULL OR naloxone_with_me IN (0, 1));
     CREATE TABLE trigger_item (
        id       INTEGER PRIMARY KEY,
        name     TEXT NOT NULL UNIQUE COLLATE NOCASE,
        position INTEGER NOT NULL
     ) STRICT;
     CREATE TABLE support_person (
        id       INTEGER PRIMARY KEY,
        name     TEXT NOT NULL,
        relation TEXT,
        phone    TEXT,
        position INTEGER NOT NULL
     ) STRICT;
     CREATE TABLE plan_item (
        id          INTEGER PRIMARY KEY,
        section     TEXT NOT NULL,
        position    INTEGER NOT NULL,
        text        TEXT,
        phone       TEXT,
        resource_id TEXT,
        person_id   INTEGER REFERENCES support_person(id) ON DELETE CASCADE ON UPDATE CASCADE
     ) STRICT;
     CREATE INDEX plan_item_section ON plan_item(section, position);
     CREATE TABLE plan_safer (
        id              INTEGER PRIMARY KEY CHECK (id = 1),
        naloxone_where  TEXT,
        never_use_alone TEXT,
        test_strips     TEXT
     ) STRICT;
     CREATE TABLE checkin_trigger (
        checkin_id INTEGER NOT NULL REFERENCES checkin(id) ON DELETE CASCADE ON UPDATE CASCADE,
        trigger_id INTEGER NOT NULL REFERENCES trigger_item(id) ON DELETE CASCADE ON UPDATE CASCADE,
        PRIMARY KEY (checkin_id, trigger_id)
     ) STRICT, WITHOUT ROWID;
     CREATE TABLE checkin_warning_sign (
        checkin_id   INTEGER NOT NULL REFERENCES checkin(id) ON DELETE CASCADE ON UPDATE CASCADE,
        plan_item_id INTEGER NOT NULL REFERENCES plan_item(id) ON DELETE CASCADE ON UPDATE CASCADE,
        PRIMARY KEY (checkin_id, plan_item_id)
     ) STRICT, WITHOUT ROWID;
     CREATE INDEX checkin_trigger_t ON checkin_trigger(trigger_id);
     CREATE INDEX checkin_warning_sign_p ON checkin_warning_sign(plan_item_id);
     CREATE TABLE naloxone_kit (
        id       INTEGER PRIMARY KEY,
        kind     TEXT NOT NULL,
        kept_at  TEXT,
        expires  TEXT,
        used_on  TEXT,
        note     TEXT
     ) STRICT;",
    // 5: peer visits. At most one open (unfinished) visit.
    "CREATE TABLE visit (
        id             INTEGER PRIMARY KEY,
        started_utc    INTEGER NOT NULL,
        started_offset INTEGER NOT NULL,
        finished_utc   INTEGER,
        at_step        TEXT NOT NULL,
        covered        TEXT NOT NULL,
        treatment      TEXT NOT NULL,
        next_steps     TEXT,
        next_visit     TEXT,
        worker         TEXT
     ) STRICT;
     CREATE INDEX visit_started ON visit(started_utc);
     CREATE UNIQUE INDEX visit_one_open ON visit((finished_utc IS NULL)) WHERE finished_utc IS NULL;",
];

/// The schema version this build writes.
pub fn latest_version() -> u32 {
    u32::try_from(MIGRATIONS.len()).unwrap_or(u32::MAX)
}

fn damaged_db() -> StoreError {
    StoreError::Damaged(
        "the journal file (journal.db) is damaged or does not belong to this key".to_owned(),
    )
}

/// Maps an error met while opening/checking with the right key.
fn open_error(err: &rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode as C;
    match err.sqlite_error_code() {
        Some(C::NotADatabase) | Some(C::DatabaseCorrupt) => damaged_db(),
        Some(C::CannotOpen) | Some(C::PermissionDenied) => {
            StoreError::ReadFailed("the journal file cannot be opened".to_owned())
        }
        _ => StoreError::db_write(err),
    }
}

/// Opens (or creates, when `create` is set) the database at `path` keyed with `key`, checks that
/// SQLCipher is active and that the file is intact, sets the durability pragmas and migrates.
///
/// With `key == None` this opens a plain, unencrypted SQLite file: only for the benchmark that
/// measures what encryption costs.
pub fn open(path: &Path, key: Option<&SecretKey>, create: bool) -> Result<Connection, StoreError> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    } else if !path.exists() {
        return Err(StoreError::Damaged(
            "the journal file (journal.db) is missing".to_owned(),
        ));
    }
    if create && !path.exists() {
        // An empty file is an empty database. Creating it ourselves makes it private to the
        // user (0600); SQLite gives the -wal and -shm files the same permissions.
        super::fsutil::create_private(path)
            .and_then(|f| f.sync_all())
            .map_err(|e| StoreError::write(&e))?;
    }
    let conn = Connection::open_with_flags(path, flags).map_err(|e| open_error(&e))?;
    if let Some(key) = key {
        apply_key(&conn, key)?;
    }
    // Reading the schema proves the key matches the file (SQLCipher checks every page's HMAC).
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(|e| open_error(&e))?;
    if !create {
        let check: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(|e| open_error(&e))?;
        if check != "ok" {
            return Err(damaged_db());
        }
        // Every journal is migrated to version 1 or later when it is created, so version 0 is
        // a file without our schema (an empty or header-only file keys and checks "ok"): it is
        // damaged, and must not be migrated into a new, empty journal (security review M3).
        if version(&conn)? == 0 {
            return Err(damaged_db());
        }
    }
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA temp_store = MEMORY;
         PRAGMA foreign_keys = ON;
         PRAGMA secure_delete = ON;",
    )
    .map_err(|e| open_error(&e))?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .map_err(|e| open_error(&e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::WriteFailed(
            "the journal could not switch to its safe write mode".to_owned(),
        ));
    }
    let mut conn = conn;
    migrate(&mut conn, latest_version())?;
    Ok(conn)
}

/// Keys `conn` with `key` (the first statement on the connection) and checks that SQLCipher is
/// active.
fn apply_key(conn: &Connection, key: &SecretKey) -> Result<(), StoreError> {
    // The key must be the first statement on the connection. The SQL text holding it is
    // wiped when this scope ends.
    let mut sql = zeroize::Zeroizing::new(String::with_capacity(90));
    sql.push_str("PRAGMA key = \"");
    sql.push_str(&key.sqlcipher_literal());
    sql.push_str("\";");
    // SQLCipher (with vendored OpenSSL 3) was seen to refuse `PRAGMA key` now and then when
    // other connections were open on other threads at the same moment (only in the
    // parallel test suite; the app keys one connection at a time). A retry succeeds.
    let mut keyed = conn.execute_batch(&sql);
    for _ in 0..5 {
        if keyed.is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
        keyed = conn.execute_batch(&sql);
    }
    keyed.map_err(|_| StoreError::EncryptionUnavailable)?;
    // Fail closed: a build without SQLCipher ignores `PRAGMA key` and would write plain text.
    let version: Option<String> = conn
        .query_row("PRAGMA cipher_version", [], |r| r.get(0))
        .ok();
    if version.as_deref().map(str::trim).unwrap_or("").is_empty() {
        return Err(StoreError::EncryptionUnavailable);
    }
    // SQLCipher logs decryption failures (page numbers, no secrets) to stderr; the app
    // reports them through `StoreError` instead. Best effort: older SQLCipher lacks it.
    let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE;");
    Ok(())
}

/// Writes a complete copy of the database open on `conn` to the new file `target`, encrypted
/// under `key` (key rotation, security review M1). `sqlcipher_export` re-encrypts page by page
/// into an attached database, in one transaction; the copy is in rollback-journal mode (as an
/// imported journal is), fsynced, and checked with the new key before this returns. The journal
/// on `conn` is only read. On failure `target` may be left behind; the caller removes it.
pub fn export_copy(conn: &Connection, target: &Path, key: &SecretKey) -> Result<(), StoreError> {
    let name = target.to_str().ok_or_else(|| {
        StoreError::WriteFailed("the data folder's name cannot be used for a copy".to_owned())
    })?;
    // Created by us, so it is private to the user (0600) like the journal.
    super::fsutil::create_private(target).map_err(|e| StoreError::write(&e))?;
    let version = version(conn)?;
    let literal = key.sqlcipher_literal();
    conn.execute(
        "ATTACH DATABASE ?1 AS rotated KEY ?2",
        rusqlite::params![name, literal.as_str()],
    )
    .map_err(|e| StoreError::db_write(&e))?;
    let copied = conn
        .execute_batch(
            "PRAGMA rotated.journal_mode = DELETE;
             PRAGMA rotated.synchronous = FULL;
             BEGIN;",
        )
        .and_then(|()| conn.query_row("SELECT sqlcipher_export('rotated')", [], |_| Ok(())))
        .and_then(|()| conn.pragma_update(Some("rotated"), "user_version", version))
        .and_then(|()| conn.execute_batch("COMMIT;"))
        .map_err(|e| StoreError::db_write(&e));
    if copied.is_err() {
        let _ = conn.execute_batch("ROLLBACK;");
    }
    let detached = conn
        .execute_batch("DETACH DATABASE rotated;")
        .map_err(|e| StoreError::db_write(&e));
    copied?;
    detached?;
    std::fs::File::open(target)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError::write(&e))?;
    check_copy(target, key, version)
}

/// Opens `path` read-only with `key` and checks it: every page decrypts (`quick_check`) and the
/// schema version is `version`.
fn check_copy(path: &Path, key: &SecretKey, version_wanted: u32) -> Result<(), StoreError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| open_error(&e))?;
    apply_key(&conn, key)?;
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| open_error(&e))?;
    if check != "ok" || version(&conn)? != version_wanted {
        return Err(StoreError::WriteFailed(
            "the re-encrypted copy of the journal did not check out".to_owned(),
        ));
    }
    Ok(())
}

/// The database's schema version.
pub fn version(conn: &Connection) -> Result<u32, StoreError> {
    conn.query_row("PRAGMA user_version", [], |r| r.get::<_, u32>(0))
        .map_err(|e| open_error(&e))
}

/// Applies the migrations from the database's version up to `target`, each in its own
/// transaction together with the `user_version` bump, so a crash leaves a whole version.
pub fn migrate(conn: &mut Connection, target: u32) -> Result<(), StoreError> {
    let current = version(conn)?;
    if current > latest_version() {
        return Err(StoreError::NewerVersion);
    }
    for v in current..target.min(latest_version()) {
        let sql = MIGRATIONS
            .get(usize::try_from(v).map_err(|_| StoreError::Internal("schema version"))?)
            .ok_or(StoreError::Internal("schema version"))?;
        let tx = conn.transaction().map_err(|e| StoreError::db_write(&e))?;
        tx.execute_batch(sql)
            .map_err(|e| StoreError::db_write(&e))?;
        tx.pragma_update(None, "user_version", v + 1)
            .map_err(|e| StoreError::db_write(&e))?;
        tx.commit().map_err(|e| StoreError::db_write(&e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database at every earlier schema version, holding data of that version, migrates to
    /// the latest version and keeps its data. (Version 0 is no journal: see the next test.)
    /// Security review M3: a keyed file with pages but no schema version (not a journal this
    /// app wrote) is damaged, and is not migrated into a new, empty journal.
    #[test]
    fn a_file_without_our_schema_is_damaged_not_migrated() -> Result<(), Box<dyn std::error::Error>>
    {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join(DB_FILE);
        let key = SecretKey::random()?;
        {
            let conn = Connection::open(&path)?;
            conn.execute_batch(&format!(
                "PRAGMA key = \"{}\"; CREATE TABLE other (x);",
                key.sqlcipher_literal().as_str()
            ))?;
        }
        let before = std::fs::read(&path)?;
        assert!(!before.is_empty());
        assert!(matches!(
            open(&path, Some(&key), false),
            Err(StoreError::Damaged(_))
        ));
        assert_eq!(std::fs::read(&path)?, before, "the file was changed");
        Ok(())
    }

    #[test]
    fn migrates_from_every_earlier_version() -> Result<(), Box<dyn std::error::Error>> {
        for start in 1..=latest_version() {
            let dir = tempfile::tempdir()?;
            let path = dir.path().join(DB_FILE);
            let key = SecretKey::random()?;
            {
                let conn = Connection::open(&path)?;
                conn.execute_batch(&format!(
                    "PRAGMA key = \"{}\";",
                    key.sqlcipher_literal().as_str()
                ))?;
                let mut conn = conn;
                migrate(&mut conn, start)?;
                assert_eq!(version(&conn)?, start);
                if start >= 1 {
                    conn.execute("INSERT INTO settings VALUES ('k', 'v')", [])?;
                    conn.execute(
                        "INSERT INTO use_entry (at_utc, at_offset) VALUES (1, 0)",
                        [],
                    )?;
                }
                if start >= 2 {
                    conn.execute(
                        "INSERT INTO break_entry (kind, start_date) VALUES ('detox_discharge', '2024-01-01')",
                        [],
                    )?;
                }
                if start >= 3 {
                    conn.execute(
                        "INSERT INTO checkin (date, cravings, mood, at_utc, at_offset) VALUES ('2024-01-01', 1, 2, 0, 0)",
                        [],
                    )?;
                }
                if start >= 4 {
                    conn.execute_batch(
                        "INSERT INTO trigger_item (name, position) VALUES ('payday', 0);
                         INSERT INTO support_person (name, position) VALUES ('Sam', 0);
                         INSERT INTO plan_item (section, position, text) VALUES ('warning_sign', 0, 'not sleeping');
                         INSERT INTO plan_safer (id, naloxone_where) VALUES (1, 'kitchen drawer');
                         INSERT INTO checkin_trigger VALUES (1, 1);
                         INSERT INTO checkin_warning_sign VALUES (1, 1);
                         INSERT INTO naloxone_kit (kind, expires) VALUES ('nasal', '2027-01-01');",
                    )?;
                }
                if start >= 5 {
                    conn.execute(
                        "INSERT INTO visit (started_utc, started_offset, at_step, covered, treatment) VALUES (1, 0, 'naloxone', '', '')",
                        [],
                    )?;
                }
            }
            let conn = open(&path, Some(&key), false)?;
            assert_eq!(version(&conn)?, latest_version());
            let count = |t: &str| -> rusqlite::Result<i64> {
                conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
            };
            assert_eq!(count("settings")?, i64::from(start >= 1));
            assert_eq!(count("use_entry")?, i64::from(start >= 1));
            assert_eq!(count("break_entry")?, i64::from(start >= 2));
            assert_eq!(count("checkin")?, i64::from(start >= 3));
            for t in [
                "trigger_item",
                "support_person",
                "plan_item",
                "plan_safer",
                "checkin_trigger",
                "checkin_warning_sign",
                "naloxone_kit",
            ] {
                assert_eq!(count(t)?, i64::from(start >= 4), "{t} from version {start}");
            }
            assert_eq!(count("visit")?, i64::from(start >= 5));
            if start == 3 {
                // A check-in from before version 4 gets the defaults.
                let row: (Option<i64>, i64, i64, i64, i64, i64, Option<i64>) = conn.query_row(
                    "SELECT sleep, hungry, angry, lonely, tired, used_since_last, naloxone_with_me FROM checkin",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
                )?;
                assert_eq!(row, (None, 0, 0, 0, 0, 0, None));
            }
        }
        Ok(())
    }

    #[test]
    fn a_newer_schema_is_refused_and_left_alone() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join(DB_FILE);
        let key = SecretKey::random()?;
        drop(open(&path, Some(&key), true)?);
        {
            let conn = open(&path, Some(&key), false)?;
            conn.pragma_update(None, "user_version", latest_version() + 1)?;
        }
        assert_eq!(
            open(&path, Some(&key), false).err(),
            Some(StoreError::NewerVersion)
        );
        Ok(())
    }

    #[test]
    fn sqlcipher_is_active() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join(DB_FILE);
        let key = SecretKey::random()?;
        let conn = open(&path, Some(&key), true)?;
        let v: String = conn.query_row("PRAGMA cipher_version", [], |r| r.get(0))?;
        assert!(!v.is_empty());
        let fk: i64 = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
        let sync: i64 = conn.query_row("PRAGMA synchronous", [], |r| r.get(0))?;
        let temp: i64 = conn.query_row("PRAGMA temp_store", [], |r| r.get(0))?;
        assert_eq!((fk, sync, temp), (1, 2, 2));
        Ok(())
    }
}
