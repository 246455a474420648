//! Backups: a snapshot of every record, written encrypted under its own passphrase, and restored
//! by building a whole new journal beside the old one and swapping it in only when it is
//! complete and checked.

use std::path::Path;

use chrono::{DateTime, Utc};
use holdfast_domain::records::*;
use rusqlite::Connection;

use crate::changes::Table;
use crate::files::{remove_db_files, wal_path};
use crate::*;

impl Store {
    fn snapshot(&self) -> Result<backup::Snapshot, StoreError> {
        let conn = self.conn()?;
        Ok(backup::Snapshot {
            schema_version: db::latest_version(),
            exported_at: self.now(),
            uses: tables::list_uses(conn)?,
            breaks: tables::list_breaks(conn)?,
            checkins: tables::list_checkins(conn)?,
            settings: tables::list_settings(conn)?,
            triggers: tables::list_triggers(conn)?,
            support_people: tables::list_people(conn)?,
            safety_plan: tables::safety_plan(conn)?,
            naloxone_kits: tables::list_kits(conn)?,
            visits: tables::list_visits(conn)?,
        })
    }

    /// Exports everything into one encrypted backup file's bytes, sealed under `passphrase`.
    pub fn export_backup(&self, passphrase: &str) -> Result<Vec<u8>, StoreError> {
        backup::check_backup_passphrase(passphrase)?;
        backup::seal(&self.snapshot()?, passphrase, self.options.kdf)
    }

    /// Replaces the whole journal with the backup's content. The new database is built in a
    /// temporary file in the same folder and renamed over the old one, so a failure or crash at
    /// any point leaves either the old journal or the new one, whole. Keys and passphrase stay.
    pub fn import_backup(
        &mut self,
        bytes: &[u8],
        passphrase: &str,
    ) -> Result<BackupSummary, StoreError> {
        let (snap, format) = backup::open(bytes, passphrase)?;
        validate_snapshot(&snap, self.now())?;
        let summary = snap.summary(format);
        let tmp = fsutil::temp_path(&self.dir, DB_FILE);
        let built = build_db(&tmp, &self.key, &snap, self.now());
        if let Err(e) = built {
            remove_db_files(&tmp);
            return Err(e);
        }
        // Close the current database cleanly and out of WAL mode, so no -wal file is left that
        // could be replayed onto the new one.
        let path = self.dir.join(DB_FILE);
        if let Some(conn) = self.conn.take() {
            let closed = conn
                .execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")
                .map_err(|e| StoreError::db_write(&e))
                .and_then(|()| conn.close().map_err(|(_, e)| StoreError::db_write(&e)));
            if let Err(e) = closed {
                remove_db_files(&tmp);
                self.conn = Some(db::open(&path, Some(&self.key), false)?);
                return Err(e);
            }
        }
        let swapped = (|| -> Result<(), StoreError> {
            if exists(&wal_path(&path))? {
                return Err(StoreError::WriteFailed(
                    "the journal is still in use".to_owned(),
                ));
            }
            fsutil::crash_point("import-before-rename");
            std::fs::rename(&tmp, &path).map_err(|e| StoreError::write(&e))?;
            fsutil::sync_dir(&self.dir).map_err(|e| StoreError::write(&e))
        })();
        if swapped.is_err() {
            remove_db_files(&tmp);
        }
        // Reopen whichever file is in place now (the new one, or the old one after a failure).
        self.conn = Some(db::open(&path, Some(&self.key), false)?);
        let swapped = swapped.map(|()| summary);
        self.wrote(&Table::ALL, swapped)
    }
}

fn validate_snapshot(snap: &backup::Snapshot, now: DateTime<Utc>) -> Result<(), StoreError> {
    if snap.schema_version > db::latest_version() {
        return Err(StoreError::BackupNewerVersion);
    }
    let now = now.max(snap.exported_at);
    let bad = |holdfast_domain::Invalid { field, reason }| {
        StoreError::BackupDamaged(format!(
            "it holds an entry that is not valid ({field} {reason})"
        ))
    };
    for u in &snap.uses {
        u.record.validate(now).map_err(bad)?;
    }
    for b in &snap.breaks {
        b.record.validate(now).map_err(bad)?;
    }
    for c in &snap.checkins {
        c.record.validate(now).map_err(bad)?;
    }
    for t in &snap.triggers {
        t.record.validated().map_err(bad)?;
    }
    // Phones are stored in E.164 (or as a service's short digits), which read the same in any
    // region.
    for p in &snap.support_people {
        p.record.validated(Region::Us).map_err(bad)?;
    }
    for i in snap.safety_plan.items() {
        i.record
            .validated(Region::Us, ResourceCheck::Shape)
            .map_err(bad)?;
    }
    snap.safety_plan.safer.validated().map_err(bad)?;
    for k in &snap.naloxone_kits {
        k.record.validated(now).map_err(bad)?;
    }
    for v in &snap.visits {
        v.record.validated(now).map_err(bad)?;
    }
    if snap
        .visits
        .iter()
        .filter(|v| v.record.finished.is_none())
        .count()
        > 1
    {
        return Err(StoreError::BackupDamaged(
            "it holds two open visits".to_owned(),
        ));
    }
    Ok(())
}

/// Writes a complete database for `snap` at `path` (rollback-journal mode, fully synced, closed).
fn build_db(
    path: &Path,
    key: &crypto::SecretKey,
    snap: &backup::Snapshot,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut conn = db::open(path, Some(key), true)?;
    let now: DateTime<Utc> = now.max(snap.exported_at);
    let tx = conn.transaction().map_err(|e| StoreError::db_write(&e))?;
    let conflict = |e: StoreError| match e {
        StoreError::Conflict(_) => {
            StoreError::BackupDamaged("it holds two check-ins for one day".to_owned())
        }
        other => other,
    };
    for u in &snap.uses {
        let id = tables::add_use(&tx, &u.record, now)?;
        set_id(&tx, "use_entry", id, u.id)?;
    }
    for b in &snap.breaks {
        let id = tables::add_break(&tx, &b.record, now)?;
        set_id(&tx, "break_entry", id, b.id)?;
    }
    // Lists first, with their ids, so the check-ins' and the plan's links find them.
    let dup = |e: StoreError| match e {
        StoreError::Conflict(_) => {
            StoreError::BackupDamaged("it holds the same trigger twice".to_owned())
        }
        StoreError::Invalid { field, reason } => StoreError::BackupDamaged(format!(
            "it holds an entry that is not valid ({field} {reason})"
        )),
        other => other,
    };
    for t in &snap.triggers {
        let id = tables::add_trigger(&tx, &t.record).map_err(dup)?;
        set_id(&tx, "trigger_item", id, t.id)?;
    }
    for p in &snap.support_people {
        let id = tables::add_person(&tx, &p.record, Region::Us).map_err(dup)?;
        set_id(&tx, "support_person", id, p.id)?;
    }
    for i in snap.safety_plan.items() {
        let id =
            tables::add_plan_item(&tx, &i.record, Region::Us, ResourceCheck::Shape).map_err(dup)?;
        set_id(&tx, "plan_item", id, i.id)?;
    }
    tables::set_safer(&tx, &snap.safety_plan.safer).map_err(dup)?;
    for k in &snap.naloxone_kits {
        let id = tables::add_kit(&tx, &k.record, now).map_err(dup)?;
        set_id(&tx, "naloxone_kit", id, k.id)?;
    }
    for c in &snap.checkins {
        let id = tables::add_checkin(&tx, &c.record, now)
            .map_err(conflict)
            .map_err(dup)?;
        set_id(&tx, "checkin", id, c.id)?;
    }
    for v in &snap.visits {
        let id = tables::insert(&tx, &v.record).map_err(|e| match e {
            StoreError::Conflict(_) => {
                StoreError::BackupDamaged("it holds two open visits".to_owned())
            }
            other => other,
        })?;
        set_id(&tx, "visit", id, v.id)?;
    }
    for (k, v) in &snap.settings {
        tables::set_setting(&tx, k, v)
            .map_err(|_| StoreError::BackupDamaged("it holds a bad setting".to_owned()))?;
    }
    tx.commit().map_err(|e| StoreError::db_write(&e))?;
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")
        .map_err(|e| StoreError::db_write(&e))?;
    conn.close().map_err(|(_, e)| StoreError::db_write(&e))?;
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError::write(&e))
}

/// Keeps the record ids from the backup so a restore is lossless.
fn set_id(conn: &Connection, table: &str, from: RecordId, to: RecordId) -> Result<(), StoreError> {
    if from != to {
        conn.execute(
            &format!("UPDATE {table} SET id = ?1 WHERE id = ?2"),
            [to, from],
        )
        .map_err(|_| StoreError::BackupDamaged("it holds the same entry twice".to_owned()))?;
    }
    Ok(())
}

/// Reads what a backup holds without changing anything.
pub fn inspect_backup(
    bytes: &[u8],
    passphrase: &str,
    now: DateTime<Utc>,
) -> Result<BackupSummary, StoreError> {
    let (snap, format) = backup::open(bytes, passphrase)?;
    validate_snapshot(&snap, now)?;
    Ok(snap.summary(format))
}
