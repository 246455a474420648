//! Backups: a snapshot of every record, written encrypted under its own passphrase, and restored
//! by building a whole new journal beside the old one and swapping it in only when it is
//! complete and checked.

use std::path::{Path, PathBuf};

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
    ///
    /// The same in three steps, so that the slow ones need no lock on the open store (security
    /// review M2): [`open_backup`] (key derivation, decryption, checks), [`Store::import_builder`]
    /// then [`ImportBuilder::build`] (the new database), and [`Store::swap_in`].
    pub fn import_backup(
        &mut self,
        bytes: &[u8],
        passphrase: &str,
    ) -> Result<BackupSummary, StoreError> {
        let opened = open_backup(bytes, passphrase, &self.options)?;
        let built = self.import_builder().build(opened)?;
        self.swap_in(built)
    }

    /// What [`ImportBuilder::build`] needs from the open store: its folder, a copy of its key and
    /// its clock. The copy is wiped when the builder is dropped.
    pub fn import_builder(&self) -> ImportBuilder {
        ImportBuilder {
            dir: self.dir.clone(),
            key: self.key.duplicate(),
            options: self.options.clone(),
        }
    }

    /// Swaps a database built by [`ImportBuilder::build`] in for the journal. Refused (and the
    /// built file removed) when it was built for another folder or under another key (the key
    /// was replaced meanwhile).
    pub fn swap_in(&mut self, mut built: BuiltImport) -> Result<BackupSummary, StoreError> {
        let tmp = built.tmp.take().ok_or(StoreError::Internal("import"))?;
        if built.dir != self.dir || built.key.bytes() != self.key.bytes() {
            remove_db_files(&tmp);
            return Err(StoreError::invalid(
                "backup",
                "was prepared for a journal that has changed since. Restore it again.",
            ));
        }
        let swapped = self
            .replace_db_file(&tmp, &mut None, "import")
            .map(|()| built.summary.clone());
        self.wrote(&Table::ALL, swapped)
    }

    /// Swaps the complete, synced database at `tmp` in for `journal.db`: closes the open
    /// connection cleanly and out of WAL mode (so no `-wal` file is left that could be replayed
    /// onto the new file), renames `tmp` over `journal.db`, fsyncs the folder and reopens. A
    /// failure or crash at any point leaves the old file or the new one, whole.
    ///
    /// When `new_key` holds a key, `tmp` is encrypted under it: it becomes the store's key the
    /// moment the rename is done (and `new_key` is emptied then; it is left as it was when the
    /// rename did not happen). On failure `tmp` is removed. `point` names the crash points
    /// (`<point>-before-rename`, `<point>-after-rename`).
    pub(crate) fn replace_db_file(
        &mut self,
        tmp: &Path,
        new_key: &mut Option<crypto::SecretKey>,
        point: &str,
    ) -> Result<(), StoreError> {
        let path = self.dir.join(DB_FILE);
        if let Some(conn) = self.conn.take() {
            let closed = conn
                .execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")
                .map_err(|e| StoreError::db_write(&e))
                .and_then(|()| conn.close().map_err(|(_, e)| StoreError::db_write(&e)));
            if let Err(e) = closed {
                remove_db_files(tmp);
                self.conn = Some(db::open(&path, Some(&self.key), false)?);
                return Err(e);
            }
        }
        let mut renamed = false;
        let swapped = (|| -> Result<(), StoreError> {
            if exists(&wal_path(&path))? {
                return Err(StoreError::WriteFailed(
                    "the journal is still in use".to_owned(),
                ));
            }
            fsutil::crash_point(&format!("{point}-before-rename"));
            std::fs::rename(tmp, &path).map_err(|e| StoreError::write(&e))?;
            renamed = true;
            fsutil::crash_point(&format!("{point}-after-rename"));
            fsutil::sync_dir(&self.dir).map_err(|e| StoreError::write(&e))
        })();
        if renamed {
            if let Some(key) = new_key.take() {
                self.key = key;
            }
        } else {
            remove_db_files(tmp);
        }
        // Reopen whichever file is in place now (the new one, or the old one after a failure).
        self.conn = Some(db::open(&path, Some(&self.key), false)?);
        swapped
    }
}

/// The "now" a backup's records are checked against: the backup's own date when the device
/// that made it was a little ahead, but never more than the clock tolerance past this device's
/// clock, so a file dated 9999 cannot make future-dated uses and kits pass (security review L8).
fn restore_now(snap: &backup::Snapshot, now: DateTime<Utc>) -> DateTime<Utc> {
    let latest = now + chrono::Duration::seconds(CLOCK_SKEW_TOLERANCE_SECONDS);
    now.max(snap.exported_at.min(latest))
}

fn validate_snapshot(snap: &backup::Snapshot, now: DateTime<Utc>) -> Result<(), StoreError> {
    if snap.schema_version > db::latest_version() {
        return Err(StoreError::BackupNewerVersion);
    }
    let now = restore_now(snap, now);
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
    let now = restore_now(snap, now);
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

/// Reads what a backup holds without changing anything. `options` gives the least key
/// derivation accepted and the clock ("not in the future" is checked after decryption).
pub fn inspect_backup(
    bytes: &[u8],
    passphrase: &str,
    options: &StoreOptions,
) -> Result<BackupSummary, StoreError> {
    open_backup(bytes, passphrase, options).map(|o| o.summary)
}

/// A backup decrypted and checked, ready to build a journal from. `Debug` shows only the counts.
pub struct OpenedBackup {
    snap: backup::Snapshot,
    summary: BackupSummary,
}

impl std::fmt::Debug for OpenedBackup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenedBackup")
            .field("summary", &self.summary)
            .finish_non_exhaustive()
    }
}

impl OpenedBackup {
    /// What it holds.
    pub fn summary(&self) -> &BackupSummary {
        &self.summary
    }
}

/// Decrypts and checks a backup's bytes: key derivation (with parameters only this app could have
/// written), decryption, and every record's rules. Needs no open store, so it can run without
/// holding any lock.
pub fn open_backup(
    bytes: &[u8],
    passphrase: &str,
    options: &StoreOptions,
) -> Result<OpenedBackup, StoreError> {
    let (snap, format) = backup::open(bytes, passphrase, &options.min_kdf)?;
    validate_snapshot(&snap, options.clock.now())?;
    let summary = snap.summary(format);
    Ok(OpenedBackup { snap, summary })
}

/// Builds the database for an import beside the journal, without the store (see
/// [`Store::import_builder`]).
#[derive(Debug)]
pub struct ImportBuilder {
    dir: PathBuf,
    key: crypto::SecretKey,
    options: StoreOptions,
}

impl ImportBuilder {
    /// Writes a complete database for `opened` into a temporary file in the journal's folder,
    /// under the journal's key: rollback-journal mode, fsynced, closed.
    pub fn build(self, opened: OpenedBackup) -> Result<BuiltImport, StoreError> {
        let tmp = fsutil::temp_path(&self.dir, DB_FILE);
        if let Err(e) = build_db(&tmp, &self.key, &opened.snap, self.options.clock.now()) {
            remove_db_files(&tmp);
            return Err(e);
        }
        Ok(BuiltImport {
            dir: self.dir,
            key: self.key,
            tmp: Some(tmp),
            summary: opened.summary,
        })
    }
}

/// A database built for an import, waiting for [`Store::swap_in`]. Dropped unused, its file is
/// removed.
#[derive(Debug)]
pub struct BuiltImport {
    dir: PathBuf,
    key: crypto::SecretKey,
    tmp: Option<PathBuf>,
    summary: BackupSummary,
}

impl Drop for BuiltImport {
    fn drop(&mut self) {
        if let Some(tmp) = self.tmp.take() {
            remove_db_files(&tmp);
        }
    }
}
