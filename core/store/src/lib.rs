//! The encrypted journal store.
//!
//! One folder holds `journal.db` (SQLCipher, keyed with a random 256-bit data key; `-wal` and
//! `-shm` beside it while open) and `keyslots.json` (the data key wrapped under the passphrase
//! and under the recovery code). See docs/store.md for the layout, the backup format and the
//! threat model.
//!
//! Secrets (passphrases, recovery codes, keys) are wiped from memory when dropped and never
//! appear in errors, logs or `Debug` output.

mod backup;
mod crypto;
mod db;
mod error;
pub mod fsutil;
mod journal;
mod keyslots;
mod plan;
mod reminders;
mod visit;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use backup::{
    BackupSummary, FORMAT_VERSION as BACKUP_FORMAT_VERSION, MAGIC as BACKUP_MAGIC, MAX_BACKUP_BYTES,
};
pub use crypto::KdfParams;
pub use db::{DB_FILE, MIGRATIONS};
pub use error::StoreError;
use holdfast_content::Region;
pub use keyslots::{RecoveryCode, SLOTS_FILE};

pub use holdfast_domain::passphrase::{MAX_PASSPHRASE_BYTES, MIN_PASSPHRASE_CHARS};
use holdfast_domain::records::*;

/// What is in a data folder, found without any key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Status {
    /// Nothing there yet: offer to set up a journal.
    FirstRun,
    /// A journal that looks whole: ask for the passphrase.
    Locked,
    /// Something is wrong; `reason` says what. Nothing was changed.
    Damaged { reason: String },
}

/// Settings for creating and opening a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreOptions {
    /// Cost of the key derivation for new key slots and new backups. Existing slots keep theirs.
    pub kdf: KdfParams,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            kdf: KdfParams::PRODUCTION,
        }
    }
}

pub(crate) fn check_new_passphrase(
    field: &'static str,
    passphrase: &str,
) -> Result<(), StoreError> {
    Ok(holdfast_domain::passphrase::check_length(
        field, passphrase,
    )?)
}

fn exists(path: &Path) -> Result<bool, StoreError> {
    match std::fs::symlink_metadata(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(StoreError::read(&e)),
    }
}

/// Says whether `dir` holds no journal, a locked one, or a damaged one. Reads only; needs no key.
pub fn status(dir: &Path) -> Status {
    match status_inner(dir) {
        Ok(s) => s,
        Err(StoreError::Damaged(reason)) => Status::Damaged { reason },
        Err(other) => Status::Damaged {
            reason: other.to_string(),
        },
    }
}

fn status_inner(dir: &Path) -> Result<Status, StoreError> {
    let db_path = dir.join(DB_FILE);
    let has_db = exists(&db_path)?;
    let slots = keyslots::KeySlots::read(dir);
    match (has_db, slots) {
        (false, Ok(None)) => Ok(Status::FirstRun),
        (true, Ok(None)) => Err(StoreError::Damaged(
            "the key file (keyslots.json) is missing, so the journal cannot be unlocked".to_owned(),
        )),
        (false, Ok(Some(_))) => Err(StoreError::Damaged(
            "the journal file (journal.db) is missing".to_owned(),
        )),
        (_, Err(e)) => Err(e),
        (true, Ok(Some(_))) => {
            check_db_shape(&db_path)?;
            Ok(Status::Locked)
        }
    }
}

/// Checks what can be checked without the key: the size is whole pages, and the file is not a
/// plain (unencrypted) SQLite file.
fn check_db_shape(path: &Path) -> Result<(), StoreError> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| StoreError::read(&e))?;
    if !meta.is_file() {
        return Err(StoreError::Damaged(
            "the journal file (journal.db) is not a file".to_owned(),
        ));
    }
    if meta.len() % db::PAGE_SIZE != 0 {
        return Err(StoreError::Damaged(
            "the journal file (journal.db) has been cut short or added to".to_owned(),
        ));
    }
    let mut head = [0u8; 16];
    let mut file = std::fs::File::open(path).map_err(|e| StoreError::read(&e))?;
    if meta.len() >= 16 {
        file.read_exact(&mut head)
            .map_err(|e| StoreError::read(&e))?;
        if &head == b"SQLite format 3\0" {
            return Err(StoreError::Damaged(
                "the journal file (journal.db) is not encrypted".to_owned(),
            ));
        }
    }
    Ok(())
}

/// An unlocked store: an open SQLCipher connection and the data key. Dropping it locks it.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    conn: Option<Connection>,
    key: crypto::SecretKey,
    options: StoreOptions,
}

impl Store {
    /// First run: creates the journal in `dir` protected by `passphrase`, and returns the
    /// recovery code to show once.
    pub fn create(
        dir: &Path,
        passphrase: &str,
        options: StoreOptions,
    ) -> Result<(Self, RecoveryCode), StoreError> {
        let code = RecoveryCode::generate()?;
        let store = Self::create_with_code(dir, passphrase, &code, options)?;
        Ok((store, code))
    }

    /// First run with a recovery code made (and shown, and typed back) beforehand, so that the
    /// journal exists only once the person has the code.
    pub fn create_with_code(
        dir: &Path,
        passphrase: &str,
        code: &RecoveryCode,
        options: StoreOptions,
    ) -> Result<Self, StoreError> {
        check_new_passphrase("passphrase", passphrase)?;
        match status(dir) {
            Status::FirstRun => {}
            _ => return Err(StoreError::AlreadyExists),
        }
        let key = crypto::SecretKey::random()?;
        let slots = keyslots::KeySlots::new(&key, passphrase, code, options.kdf)?;
        // The key file first: a journal file must never exist without the key to open it.
        slots.write(dir)?;
        let conn = match db::open(&dir.join(DB_FILE), Some(&key), true) {
            Ok(c) => c,
            Err(e) => {
                // Back to first run; nothing of the user's existed yet.
                let _ = remove_store_files(dir);
                return Err(e);
            }
        };
        fsutil::sync_dir(dir).map_err(|e| StoreError::write(&e))?;
        Ok(Self {
            dir: dir.to_path_buf(),
            conn: Some(conn),
            key,
            options,
        })
    }

    fn read_slots(dir: &Path) -> Result<keyslots::KeySlots, StoreError> {
        match status(dir) {
            Status::FirstRun => return Err(StoreError::NotCreated),
            Status::Damaged { reason } => return Err(StoreError::Damaged(reason)),
            Status::Locked => {}
        }
        keyslots::KeySlots::read(dir)?.ok_or(StoreError::NotCreated)
    }

    fn open_with_key(
        dir: &Path,
        key: crypto::SecretKey,
        options: StoreOptions,
    ) -> Result<Self, StoreError> {
        let conn = db::open(&dir.join(DB_FILE), Some(&key), false)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            conn: Some(conn),
            key,
            options,
        })
    }

    /// Unlocks with the passphrase. A wrong passphrase changes nothing and there is no lockout.
    pub fn unlock(dir: &Path, passphrase: &str, options: StoreOptions) -> Result<Self, StoreError> {
        let slots = Self::read_slots(dir)?;
        let key = slots.unlock_passphrase(passphrase)?;
        Self::open_with_key(dir, key, options)
    }

    /// Unlocks with the recovery code, sets `new_passphrase` and issues a new recovery code (the
    /// old one stops working). Both slots are replaced in one atomic write.
    pub fn unlock_with_recovery(
        dir: &Path,
        code: &str,
        new_passphrase: &str,
        options: StoreOptions,
    ) -> Result<(Self, RecoveryCode), StoreError> {
        check_new_passphrase("new passphrase", new_passphrase)?;
        let slots = Self::read_slots(dir)?;
        let key = slots.unlock_recovery(code)?;
        let store = Self::open_with_key(dir, key, options)?;
        let new_code = RecoveryCode::generate()?;
        keyslots::KeySlots::new(&store.key, new_passphrase, &new_code, options.kdf)?.write(dir)?;
        Ok((store, new_code))
    }

    /// Replaces the passphrase. `old` must be the current one. The key file is replaced
    /// atomically: after a crash at any moment the old or the new passphrase opens the journal.
    pub fn change_passphrase(&mut self, old: &str, new: &str) -> Result<(), StoreError> {
        check_new_passphrase("new passphrase", new)?;
        let slots = keyslots::KeySlots::read(&self.dir)?.ok_or_else(|| {
            StoreError::Damaged("the key file (keyslots.json) is missing".to_owned())
        })?;
        let key = slots.unlock_passphrase(old)?;
        if key.bytes() != self.key.bytes() {
            return Err(StoreError::Damaged(
                "the key file does not belong to this journal".to_owned(),
            ));
        }
        slots
            .with_passphrase(&self.key, new, self.options.kdf)?
            .write(&self.dir)
    }

    /// Opens the journal with the recovery code and replaces the passphrase, keeping the
    /// recovery slot as it is (the same code still works until [`Store::set_recovery_code`]
    /// replaces it, so the person is never left without a working code).
    pub fn recover_passphrase(
        dir: &Path,
        code: &str,
        new_passphrase: &str,
        options: StoreOptions,
    ) -> Result<Self, StoreError> {
        check_new_passphrase("new passphrase", new_passphrase)?;
        let slots = Self::read_slots(dir)?;
        let key = slots.unlock_recovery(code)?;
        let store = Self::open_with_key(dir, key, options)?;
        slots
            .with_passphrase(&store.key, new_passphrase, options.kdf)?
            .write(dir)?;
        Ok(store)
    }

    /// Checks `passphrase` against the key file without changing anything.
    pub fn check_passphrase(&self, passphrase: &str) -> Result<(), StoreError> {
        let slots = keyslots::KeySlots::read(&self.dir)?.ok_or_else(|| {
            StoreError::Damaged("the key file (keyslots.json) is missing".to_owned())
        })?;
        let key = slots.unlock_passphrase(passphrase)?;
        if key.bytes() != self.key.bytes() {
            return Err(StoreError::Damaged(
                "the key file does not belong to this journal".to_owned(),
            ));
        }
        Ok(())
    }

    /// Replaces the recovery code with `code` (the old one stops working). `passphrase` must be
    /// the current one. Both slots are replaced in one atomic write.
    pub fn set_recovery_code(
        &mut self,
        passphrase: &str,
        code: &RecoveryCode,
    ) -> Result<(), StoreError> {
        self.check_passphrase(passphrase)?;
        keyslots::KeySlots::new(&self.key, passphrase, code, self.options.kdf)?.write(&self.dir)
    }

    /// Issues a new recovery code (the old one stops working). `passphrase` must be the current
    /// one. Both slots are replaced in one atomic write.
    pub fn new_recovery_code(&mut self, passphrase: &str) -> Result<RecoveryCode, StoreError> {
        let code = RecoveryCode::generate()?;
        self.set_recovery_code(passphrase, &code)?;
        Ok(code)
    }

    /// Locks: closes the database and wipes the key from memory.
    pub fn lock(self) {
        drop(self);
    }

    /// Locks and erases the journal and its keys. See [`wipe`].
    pub fn wipe(mut self) -> Result<(), StoreError> {
        if let Some(conn) = self.conn.take() {
            let _ = conn.close();
        }
        let dir = self.dir.clone();
        drop(self);
        wipe(&dir)
    }

    /// The folder this store lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Runs SQLite's full `integrity_check` (reads every page, so SQLCipher checks every HMAC).
    /// `Ok(true)` when the journal is whole.
    pub fn integrity_check(&self) -> Result<bool, StoreError> {
        let result: String = self
            .conn()?
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| StoreError::db_write(&e))?;
        Ok(result == "ok")
    }

    fn conn(&self) -> Result<&Connection, StoreError> {
        self.conn.as_ref().ok_or(StoreError::Locked)
    }

    // ---- journal ----

    /// Adds a use entry; returns its id.
    pub fn add_use(&self, entry: &UseEntry) -> Result<RecordId, StoreError> {
        journal::add_use(self.conn()?, entry, Utc::now())
    }
    /// Replaces a use entry.
    pub fn update_use(&self, id: RecordId, entry: &UseEntry) -> Result<(), StoreError> {
        journal::update_use(self.conn()?, id, entry, Utc::now())
    }
    /// One use entry.
    pub fn get_use(&self, id: RecordId) -> Result<Stored<UseEntry>, StoreError> {
        journal::get_use(self.conn()?, id)
    }
    /// All use entries, oldest first.
    pub fn list_uses(&self) -> Result<Vec<Stored<UseEntry>>, StoreError> {
        journal::list_uses(self.conn()?)
    }
    /// The latest use entry.
    pub fn last_use(&self) -> Result<Option<Stored<UseEntry>>, StoreError> {
        journal::last_use(self.conn()?)
    }
    /// Adds a break; returns its id.
    pub fn add_break(&self, entry: &BreakEntry) -> Result<RecordId, StoreError> {
        journal::add_break(self.conn()?, entry, Utc::now())
    }
    /// Replaces a break.
    pub fn update_break(&self, id: RecordId, entry: &BreakEntry) -> Result<(), StoreError> {
        journal::update_break(self.conn()?, id, entry, Utc::now())
    }
    /// One break.
    pub fn get_break(&self, id: RecordId) -> Result<Stored<BreakEntry>, StoreError> {
        journal::get_break(self.conn()?, id)
    }
    /// All breaks, by start date.
    pub fn list_breaks(&self) -> Result<Vec<Stored<BreakEntry>>, StoreError> {
        journal::list_breaks(self.conn()?)
    }
    /// Adds a check-in (one per day); returns its id.
    pub fn add_checkin(&self, entry: &Checkin) -> Result<RecordId, StoreError> {
        journal::add_checkin(self.conn()?, entry, Utc::now())
    }
    /// Replaces a check-in.
    pub fn update_checkin(&self, id: RecordId, entry: &Checkin) -> Result<(), StoreError> {
        journal::update_checkin(self.conn()?, id, entry, Utc::now())
    }
    /// One check-in.
    pub fn get_checkin(&self, id: RecordId) -> Result<Stored<Checkin>, StoreError> {
        journal::get_checkin(self.conn()?, id)
    }
    /// The check-in for a local calendar day, if there is one (to edit today's).
    pub fn checkin_on(
        &self,
        date: chrono::NaiveDate,
    ) -> Result<Option<Stored<Checkin>>, StoreError> {
        journal::checkin_on(self.conn()?, date)
    }

    // ---- triggers ----

    /// Adds a trigger at the end of the list; returns its id. A name already on the list (in
    /// any case) is a `Conflict`.
    pub fn add_trigger(&self, trigger: &Trigger) -> Result<RecordId, StoreError> {
        plan::add_trigger(self.conn()?, trigger)
    }
    /// Renames a trigger.
    pub fn rename_trigger(&self, id: RecordId, trigger: &Trigger) -> Result<(), StoreError> {
        plan::rename_trigger(self.conn()?, id, trigger)
    }
    /// The trigger list, in the person's order.
    pub fn list_triggers(&self) -> Result<Vec<Stored<Trigger>>, StoreError> {
        plan::list_triggers(self.conn()?)
    }
    /// Sets the order: `ids` must name every trigger once.
    pub fn reorder_triggers(&self, ids: &[RecordId]) -> Result<(), StoreError> {
        plan::reorder_triggers(self.conn()?, ids)
    }

    // ---- support people ----

    /// Adds a support person; the phone must be a real number in `region` (or start with `+`
    /// and a country code). Returns the id.
    pub fn add_support_person(
        &self,
        person: &SupportPerson,
        region: Region,
    ) -> Result<RecordId, StoreError> {
        plan::add_person(self.conn()?, person, region)
    }
    /// Replaces a support person.
    pub fn update_support_person(
        &self,
        id: RecordId,
        person: &SupportPerson,
        region: Region,
    ) -> Result<(), StoreError> {
        plan::update_person(self.conn()?, id, person, region)
    }
    /// One support person.
    pub fn get_support_person(&self, id: RecordId) -> Result<Stored<SupportPerson>, StoreError> {
        plan::get_person(self.conn()?, id)
    }
    /// All support people, in the person's order.
    pub fn list_support_people(&self) -> Result<Vec<Stored<SupportPerson>>, StoreError> {
        plan::list_people(self.conn()?)
    }
    /// Sets the order: `ids` must name every support person once.
    pub fn reorder_support_people(&self, ids: &[RecordId]) -> Result<(), StoreError> {
        plan::reorder_people(self.conn()?, ids)
    }

    // ---- safety plan ----

    /// Adds a line at the end of its section; returns its id. Service phones are checked for
    /// `region`; a service's `resource_id` must be in the app's content pack.
    pub fn add_plan_item(&self, item: &PlanItem, region: Region) -> Result<RecordId, StoreError> {
        plan::add_plan_item(self.conn()?, item, region, ResourceCheck::ContentPack)
    }
    /// Replaces a line (it stays in its section).
    pub fn update_plan_item(
        &self,
        id: RecordId,
        item: &PlanItem,
        region: Region,
    ) -> Result<(), StoreError> {
        plan::update_plan_item(self.conn()?, id, item, region)
    }
    /// Sets the order of one section: `ids` must name every line in it once.
    pub fn reorder_plan(&self, section: PlanSection, ids: &[RecordId]) -> Result<(), StoreError> {
        plan::reorder_plan(self.conn()?, section, ids)
    }
    /// Sets the making-things-safer answers.
    pub fn set_making_safer(&self, safer: &MakingSafer) -> Result<(), StoreError> {
        plan::set_safer(self.conn()?, safer)
    }
    /// The whole safety plan.
    pub fn safety_plan(&self) -> Result<SafetyPlan, StoreError> {
        plan::safety_plan(self.conn()?)
    }

    // ---- naloxone kits ----

    /// Adds a kit; returns its id.
    pub fn add_kit(&self, kit: &NaloxoneKit) -> Result<RecordId, StoreError> {
        plan::add_kit(self.conn()?, kit, Utc::now())
    }
    /// Replaces a kit.
    pub fn update_kit(&self, id: RecordId, kit: &NaloxoneKit) -> Result<(), StoreError> {
        plan::update_kit(self.conn()?, id, kit, Utc::now())
    }
    /// "I used it": records the day the kit was used. Its expiry reminders stop.
    pub fn mark_kit_used(&self, id: RecordId, day: chrono::NaiveDate) -> Result<(), StoreError> {
        let conn = self.conn()?;
        let mut kit = plan::get_kit(conn, id)?.record;
        kit.used_on = Some(day);
        plan::update_kit(conn, id, &kit, Utc::now())
    }
    /// One kit.
    pub fn get_kit(&self, id: RecordId) -> Result<Stored<NaloxoneKit>, StoreError> {
        plan::get_kit(self.conn()?, id)
    }
    /// All kits: unused first, soonest expiry first; then used ones.
    pub fn list_kits(&self) -> Result<Vec<Stored<NaloxoneKit>>, StoreError> {
        plan::list_kits(self.conn()?)
    }

    // ---- peer visits ----

    /// Starts a peer visit at `started` (refused while another is open).
    pub fn start_visit(&self, started: EventTime) -> Result<Stored<Visit>, StoreError> {
        visit::start_visit(self.conn()?, started, Utc::now())
    }
    /// The open visit (being walked through, or paused), if any.
    pub fn open_visit(&self) -> Result<Option<Stored<Visit>>, StoreError> {
        visit::open_visit(self.conn()?)
    }
    /// Saves an open visit's progress (its start time is kept; a finished one is refused).
    pub fn save_visit(&self, id: RecordId, v: &Visit) -> Result<Stored<Visit>, StoreError> {
        visit::save_visit(self.conn()?, id, v, Utc::now())
    }
    /// Finishes an open visit now; returns its summary.
    pub fn finish_visit(&self, id: RecordId) -> Result<Stored<Visit>, StoreError> {
        visit::finish_visit(self.conn()?, id, Utc::now())
    }
    /// One visit.
    pub fn get_visit(&self, id: RecordId) -> Result<Stored<Visit>, StoreError> {
        visit::get_visit(self.conn()?, id)
    }
    /// Every visit, newest first.
    pub fn list_visits(&self) -> Result<Vec<Stored<Visit>>, StoreError> {
        visit::list_visits(self.conn()?)
    }
    /// Deletes a visit's record.
    pub fn delete_visit(&self, id: RecordId) -> Result<(), StoreError> {
        visit::delete_visit(self.conn()?, id)
    }

    /// Removes an entry from one of the person's lists (trigger, support person, plan line,
    /// kit). Check-ins and the plan lose their links to it.
    pub fn delete_from_list(&self, kind: ListKind, id: RecordId) -> Result<(), StoreError> {
        plan::delete_from_list(self.conn()?, kind, id)
    }

    /// Reads every record back (uses, breaks, check-ins); returns how many there are.
    pub fn read_all(&self) -> Result<usize, StoreError> {
        let conn = self.conn()?;
        Ok(journal::list_uses(conn)?.len()
            + journal::list_breaks(conn)?.len()
            + journal::list_checkins(conn)?.len())
    }
    /// All check-ins, by date.
    pub fn list_checkins(&self) -> Result<Vec<Stored<Checkin>>, StoreError> {
        journal::list_checkins(self.conn()?)
    }
    /// Deletes a record.
    pub fn delete(&self, kind: RecordKind, id: RecordId) -> Result<(), StoreError> {
        journal::delete(self.conn()?, kind, id)
    }
    /// Sets a setting (key: 1–64 of `a-z 0-9 _ .`).
    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        journal::set_setting(self.conn()?, key, value)
    }
    /// A setting's value.
    pub fn get_setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        journal::get_setting(self.conn()?, key)
    }
    /// Removes a setting.
    pub fn delete_setting(&self, key: &str) -> Result<(), StoreError> {
        journal::delete_setting(self.conn()?, key)
    }
    /// All settings, by key.
    pub fn list_settings(&self) -> Result<Vec<(String, String)>, StoreError> {
        journal::list_settings(self.conn()?)
    }

    // ---- backup ----

    fn snapshot(&self) -> Result<backup::Snapshot, StoreError> {
        let conn = self.conn()?;
        Ok(backup::Snapshot {
            schema_version: db::latest_version(),
            exported_at: Utc::now(),
            uses: journal::list_uses(conn)?,
            breaks: journal::list_breaks(conn)?,
            checkins: journal::list_checkins(conn)?,
            settings: journal::list_settings(conn)?,
            triggers: plan::list_triggers(conn)?,
            support_people: plan::list_people(conn)?,
            safety_plan: plan::safety_plan(conn)?,
            naloxone_kits: plan::list_kits(conn)?,
            visits: visit::list_visits(conn)?,
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
        validate_snapshot(&snap)?;
        let summary = snap.summary(format);
        let tmp = fsutil::temp_path(&self.dir, DB_FILE);
        let built = build_db(&tmp, &self.key, &snap);
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
        swapped.map(|()| summary)
    }
}

fn wal_path(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push("-wal");
    PathBuf::from(s)
}

fn remove_db_files(db: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut s = db.as_os_str().to_owned();
        s.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(s));
    }
}

fn validate_snapshot(snap: &backup::Snapshot) -> Result<(), StoreError> {
    if snap.schema_version > db::latest_version() {
        return Err(StoreError::BackupNewerVersion);
    }
    let now = Utc::now().max(snap.exported_at);
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
) -> Result<(), StoreError> {
    let mut conn = db::open(path, Some(key), true)?;
    let now: DateTime<Utc> = Utc::now().max(snap.exported_at);
    let tx = conn.transaction().map_err(|e| StoreError::db_write(&e))?;
    let conflict = |e: StoreError| match e {
        StoreError::Conflict(_) => {
            StoreError::BackupDamaged("it holds two check-ins for one day".to_owned())
        }
        other => other,
    };
    for u in &snap.uses {
        let id = journal::add_use(&tx, &u.record, now)?;
        set_id(&tx, "use_entry", id, u.id)?;
    }
    for b in &snap.breaks {
        let id = journal::add_break(&tx, &b.record, now)?;
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
        let id = plan::add_trigger(&tx, &t.record).map_err(dup)?;
        set_id(&tx, "trigger_item", id, t.id)?;
    }
    for p in &snap.support_people {
        let id = plan::add_person(&tx, &p.record, Region::Us).map_err(dup)?;
        set_id(&tx, "support_person", id, p.id)?;
    }
    for i in snap.safety_plan.items() {
        let id =
            plan::add_plan_item(&tx, &i.record, Region::Us, ResourceCheck::Shape).map_err(dup)?;
        set_id(&tx, "plan_item", id, i.id)?;
    }
    plan::set_safer(&tx, &snap.safety_plan.safer).map_err(dup)?;
    for k in &snap.naloxone_kits {
        let id = plan::add_kit(&tx, &k.record, now).map_err(dup)?;
        set_id(&tx, "naloxone_kit", id, k.id)?;
    }
    for c in &snap.checkins {
        let id = journal::add_checkin(&tx, &c.record, now)
            .map_err(conflict)
            .map_err(dup)?;
        set_id(&tx, "checkin", id, c.id)?;
    }
    for v in &snap.visits {
        let id = visit::insert(&tx, &v.record).map_err(|e| match e {
            StoreError::Conflict(_) => {
                StoreError::BackupDamaged("it holds two open visits".to_owned())
            }
            other => other,
        })?;
        set_id(&tx, "visit", id, v.id)?;
    }
    for (k, v) in &snap.settings {
        journal::set_setting(&tx, k, v)
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
pub fn inspect_backup(bytes: &[u8], passphrase: &str) -> Result<BackupSummary, StoreError> {
    let (snap, format) = backup::open(bytes, passphrase)?;
    validate_snapshot(&snap)?;
    Ok(snap.summary(format))
}

fn remove_store_files(dir: &Path) -> Result<(), StoreError> {
    let mut first_err = None;
    let mut remove = |p: PathBuf| {
        if let Err(e) = std::fs::remove_file(&p) {
            if e.kind() != std::io::ErrorKind::NotFound && first_err.is_none() {
                first_err = Some(StoreError::write(&e));
            }
        }
    };
    // The key file first: without it the rest is unreadable, even if removing it fails.
    remove(dir.join(SLOTS_FILE));
    let _ = fsutil::sync_dir(dir);
    for suffix in ["", "-wal", "-shm", "-journal"] {
        remove(dir.join(format!("{DB_FILE}{suffix}")));
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with(fsutil::TEMP_PREFIX)
            {
                remove(entry.path());
            }
        }
    }
    fsutil::sync_dir(dir).map_err(|e| StoreError::write(&e))?;
    first_err.map_or(Ok(()), Err)
}

/// Erases the journal in `dir`: the key file first (after that nothing can be decrypted), then
/// the database, its `-wal`/`-shm` files and any temporary files. Afterwards the folder is at
/// first run. Lock (drop) any open [`Store`] on this folder first.
pub fn wipe(dir: &Path) -> Result<(), StoreError> {
    remove_store_files(dir)
}

/// Prefix of the folders [`set_aside`] makes inside the data folder.
pub const SET_ASIDE_PREFIX: &str = "set-aside-";

/// Moves a damaged journal out of the way without deleting anything: the key file, database, WAL
/// and SHM are renamed into a new folder `set-aside-<UTC time>` inside `dir`, which is returned.
/// Afterwards the data folder is at first run, so a new journal can be set up and a backup
/// restored into it. The files can still be given to someone who can repair them.
pub fn set_aside(dir: &Path, now: chrono::DateTime<chrono::Utc>) -> Result<PathBuf, StoreError> {
    let stamp = now.format("%Y%m%dT%H%M%SZ");
    let mut target = dir.join(format!("{SET_ASIDE_PREFIX}{stamp}"));
    let mut n = 1;
    while exists(&target)? {
        n += 1;
        target = dir.join(format!("{SET_ASIDE_PREFIX}{stamp}-{n}"));
    }
    std::fs::create_dir(&target).map_err(|e| StoreError::write(&e))?;
    let names = [
        SLOTS_FILE.to_owned(),
        DB_FILE.to_owned(),
        format!("{DB_FILE}-wal"),
        format!("{DB_FILE}-shm"),
        format!("{DB_FILE}-journal"),
    ];
    for name in names {
        let from = dir.join(&name);
        if exists(&from)? {
            std::fs::rename(&from, target.join(&name)).map_err(|e| StoreError::write(&e))?;
        }
    }
    fsutil::sync_dir(&target).map_err(|e| StoreError::write(&e))?;
    fsutil::sync_dir(dir).map_err(|e| StoreError::write(&e))?;
    Ok(target)
}

/// For the benchmark only: opens the same schema in a plain, unencrypted SQLite file, to
/// measure what encryption costs. Never used for real data.
#[doc(hidden)]
pub mod unencrypted_for_benchmarks {
    use super::*;

    /// A plain SQLite journal with the same schema and code paths as [`Store`].
    #[derive(Debug)]
    pub struct PlainJournal(Connection);

    impl PlainJournal {
        pub fn open(path: &Path) -> Result<Self, StoreError> {
            // Same checks as the encrypted open (quick_check on an existing file).
            db::open(path, None, !path.exists()).map(Self)
        }
        pub fn add_use(&self, e: &UseEntry) -> Result<RecordId, StoreError> {
            journal::add_use(&self.0, e, Utc::now())
        }
        pub fn add_break(&self, e: &BreakEntry) -> Result<RecordId, StoreError> {
            journal::add_break(&self.0, e, Utc::now())
        }
        pub fn add_checkin(&self, e: &Checkin) -> Result<RecordId, StoreError> {
            journal::add_checkin(&self.0, e, Utc::now())
        }
        /// The latest use, like [`Store::last_use`].
        pub fn last_use(&self) -> Result<Option<Stored<UseEntry>>, StoreError> {
            journal::last_use(&self.0)
        }
        /// Reads every record back, as the journal screens do.
        pub fn read_all(&self) -> Result<usize, StoreError> {
            Ok(journal::list_uses(&self.0)?.len()
                + journal::list_breaks(&self.0)?.len()
                + journal::list_checkins(&self.0)?.len())
        }
        /// Inserts many records in one transaction.
        pub fn load(
            &mut self,
            uses: &[UseEntry],
            breaks: &[BreakEntry],
            checkins: &[Checkin],
        ) -> Result<(), StoreError> {
            let now = Utc::now();
            let tx = self.0.transaction().map_err(|e| StoreError::db_write(&e))?;
            for u in uses {
                journal::add_use(&tx, u, now)?;
            }
            for b in breaks {
                journal::add_break(&tx, b, now)?;
            }
            for c in checkins {
                journal::add_checkin(&tx, c, now)?;
            }
            tx.commit().map_err(|e| StoreError::db_write(&e))
        }
    }
}
