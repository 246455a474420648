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
mod changes;
mod crypto;
mod db;
mod error;
mod files;
pub mod fsutil;
mod keyslots;
mod open;
mod restore;
mod rotate;
mod tables;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use holdfast_domain::{Clock, SystemClock};

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use backup::{
    BackupSummary, FORMAT_VERSION as BACKUP_FORMAT_VERSION, MAGIC as BACKUP_MAGIC, MAX_BACKUP_BYTES,
};
pub use changes::{Changes, Table, Tables};
pub use crypto::{KdfParams, KdfRefused};
pub use db::{DB_FILE, MIGRATIONS};
pub use error::StoreError;
pub use files::{
    delete_set_aside, list_set_aside, put_back, set_aside, wipe, SetAside, SetAsideReason,
    SET_ASIDE_PREFIX, SET_ASIDE_REASON_FILE,
};
pub use fsutil::create_private_dir;
use holdfast_content::Region;
pub use keyslots::{RecoveryCode, SLOTS_FILE};
pub use restore::{inspect_backup, open_backup, BuiltImport, ImportBuilder, OpenedBackup};
pub use rotate::rotate_data_key;

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
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Cost of the key derivation for new key slots and new backups. A passphrase slot below it
    /// is wrapped again at this cost at the next unlock (security review L5).
    pub kdf: KdfParams,
    /// The least key-derivation cost accepted when reading a key file or a backup: anything
    /// below was not written by this app and is refused (security review M2). The most is fixed
    /// ([`KdfParams::MAX_M_KIB`], [`KdfParams::MAX_T`], [`KdfParams::MAX_P`]). Production:
    /// OWASP's minimum. [`StoreOptions::with_kdf`] lowers it to `kdf` when `kdf` is cheaper, so a
    /// test store reads back what it writes; nothing else lowers it.
    pub min_kdf: KdfParams,
    /// "Now" for every write (records may not be in the future) and for backups: the app's one
    /// clock.
    pub clock: Arc<dyn Clock>,
    /// Where each successful write notes the tables it touched.
    pub changes: Changes,
}

impl StoreOptions {
    /// The production options with another key-derivation cost (tests use a cheap one). The
    /// store then also reads files of that cost ([`StoreOptions::min_kdf`]).
    pub fn with_kdf(kdf: KdfParams) -> Self {
        Self {
            kdf,
            min_kdf: kdf.floor_with(KdfParams::OWASP_MINIMUM),
            ..Self::default()
        }
    }
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            kdf: KdfParams::PRODUCTION,
            min_kdf: KdfParams::OWASP_MINIMUM,
            clock: Arc::new(SystemClock),
            changes: Changes::default(),
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
    // Every journal this app writes has at least one page: an empty file is a file cut short
    // (a sync conflict, a copy stopped half way), never a new journal (security review M3).
    if meta.len() < db::PAGE_SIZE {
        return Err(StoreError::Damaged(
            "the journal file (journal.db) is empty or cut short".to_owned(),
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
    /// The key the journal file is encrypted with now.
    key: crypto::SecretKey,
    /// Where a key rotation stands (see rotate.rs).
    rotation: rotate::Rotation,
    options: StoreOptions,
}

impl Store {
    /// The folder this store lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn conn(&self) -> Result<&Connection, StoreError> {
        self.conn.as_ref().ok_or(StoreError::Locked)
    }

    /// Now, by the app's clock.
    fn now(&self) -> DateTime<Utc> {
        self.options.clock.now()
    }

    /// Notes that `tables` changed when `written` succeeded, and passes it on.
    fn wrote<T>(&self, tables: &[Table], written: Result<T, StoreError>) -> Result<T, StoreError> {
        if written.is_ok() {
            self.options.changes.mark(tables);
        }
        written
    }
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
            tables::add_use(&self.0, e, Utc::now())
        }
        pub fn add_break(&self, e: &BreakEntry) -> Result<RecordId, StoreError> {
            tables::add_break(&self.0, e, Utc::now())
        }
        pub fn add_checkin(&self, e: &Checkin) -> Result<RecordId, StoreError> {
            tables::add_checkin(&self.0, e, Utc::now())
        }
        /// The latest use, like [`Store::last_use`].
        pub fn last_use(&self) -> Result<Option<Stored<UseEntry>>, StoreError> {
            tables::last_use(&self.0)
        }
        /// Reads every record back, as the journal screens do.
        pub fn read_all(&self) -> Result<usize, StoreError> {
            Ok(tables::list_uses(&self.0)?.len()
                + tables::list_breaks(&self.0)?.len()
                + tables::list_checkins(&self.0)?.len())
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
                tables::add_use(&tx, u, now)?;
            }
            for b in breaks {
                tables::add_break(&tx, b, now)?;
            }
            for c in checkins {
                tables::add_checkin(&tx, c, now)?;
            }
            tx.commit().map_err(|e| StoreError::db_write(&e))
        }
    }
}
