//! The journal's life while the app runs: first-run setup, unlock, lock (by hand and when idle),
//! recovery, passphrase and recovery-code changes, erase, set-aside of a damaged journal, and
//! backup files. The app shell holds one `Session` behind a mutex and calls these methods; every
//! decision is made here, so it is tested without a window.
//!
//! Time is passed in (`Instant` for idle, `DateTime<Utc>` for names and records), never read
//! here, so tests control it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use zeroize::Zeroizing;

use crate::passphrase;
use crate::store::{self, BackupSummary, RecoveryCode, Status, Store, StoreError, StoreOptions};

/// What the journal's state is, as the UI needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum LockState {
    /// No journal yet: offer setup (or restore from a backup after setup).
    FirstRun,
    /// A journal that looks whole: ask for the passphrase.
    Locked,
    /// Open. Personal screens may be shown.
    Unlocked,
    /// A file is damaged; `reason` names it. Nothing was changed.
    Damaged { reason: String },
}

/// What the UI needs to know about the journal and its settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    pub lock: LockState,
    /// Minutes without activity before the journal locks itself.
    pub idle_minutes: u32,
    /// The choices for `idle_minutes`.
    pub idle_choices: Vec<u32>,
    /// Where backups are written and looked for; `None` when there is no such folder.
    pub backup_folder: Option<String>,
    /// The word to type to erase everything.
    pub erase_word: String,
}

/// The recovery code made during setup, before the journal exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetupCode {
    /// The code in groups of four, `XXXX-XXXX-...`. Shown once.
    pub code: String,
    /// Which groups (1-based) the person is asked to type back.
    pub check_groups: Vec<u8>,
}

/// A recovery code issued for an existing journal (after recovery or on request).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewCode {
    pub code: String,
}

/// The word the person types to erase everything.
pub const ERASE_WORD: &str = "ERASE";

/// Default minutes of no activity before the journal locks itself.
pub const DEFAULT_IDLE_MINUTES: u32 = 5;
/// Choices offered for the idle lock, in minutes.
pub const IDLE_CHOICES: [u32; 6] = [1, 2, 5, 10, 15, 30];

/// Extension of backup files.
pub const BACKUP_EXTENSION: &str = "hfbackup";

#[derive(Debug)]
struct PendingSetup {
    passphrase: Zeroizing<String>,
    code: RecoveryCode,
    check_groups: Vec<u8>,
}

/// The journal while the app runs.
#[derive(Debug)]
pub struct Session {
    dir: PathBuf,
    options: StoreOptions,
    store: Option<Store>,
    pending: Option<PendingSetup>,
    last_activity: Instant,
}

fn code_groups(code: &str) -> Vec<&str> {
    code.split('-').collect()
}

impl Session {
    /// A session for the journal in `dir`, locked.
    pub fn new(dir: &Path, options: StoreOptions, now: Instant) -> Self {
        Self {
            dir: dir.to_path_buf(),
            options,
            store: None,
            pending: None,
            last_activity: now,
        }
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the journal stands.
    pub fn state(&self) -> LockState {
        if self.store.is_some() {
            return LockState::Unlocked;
        }
        match store::status(&self.dir) {
            Status::FirstRun => LockState::FirstRun,
            Status::Locked => LockState::Locked,
            Status::Damaged { reason } => LockState::Damaged { reason },
        }
    }

    /// The open journal, or `Locked`.
    pub fn store(&self) -> Result<&Store, StoreError> {
        self.store.as_ref().ok_or(StoreError::Locked)
    }

    fn store_mut(&mut self) -> Result<&mut Store, StoreError> {
        self.store.as_mut().ok_or(StoreError::Locked)
    }

    /// Setup, step one: checks the passphrase and makes the recovery code, but writes nothing.
    /// The journal is created by [`Session::finish_setup`] once the code has been typed back, so
    /// quitting in between leaves the app at first run, never with a code nobody saw.
    pub fn begin_setup(&mut self, passphrase: &str) -> Result<SetupCode, StoreError> {
        match store::status(&self.dir) {
            Status::FirstRun => {}
            _ => return Err(StoreError::AlreadyExists),
        }
        passphrase::check("passphrase", passphrase)?;
        let code = RecoveryCode::generate()?;
        let shown = code.display();
        let groups = code_groups(&shown).len();
        let mut pick = [0u8; 2];
        store::fill_random(&mut pick)?;
        let n = u8::try_from(groups).map_err(|_| StoreError::Internal("recovery code"))?;
        let first = pick[0] % n;
        let mut second = pick[1] % (n - 1);
        if second >= first {
            second += 1;
        }
        let mut check_groups = vec![first + 1, second + 1];
        check_groups.sort_unstable();
        self.pending = Some(PendingSetup {
            passphrase: Zeroizing::new(passphrase.to_owned()),
            code,
            check_groups: check_groups.clone(),
        });
        Ok(SetupCode {
            code: shown.to_string(),
            check_groups,
        })
    }

    /// Setup, step two: `answers` are the groups asked for, in order. When they match, the
    /// journal is created and left open.
    pub fn finish_setup(&mut self, answers: &[String], now: Instant) -> Result<(), StoreError> {
        let pending = self.pending.as_ref().ok_or_else(|| {
            StoreError::invalid("setup", "has not been started. Choose a passphrase first.")
        })?;
        let shown = pending.code.display();
        let groups = code_groups(&shown);
        if answers.len() != pending.check_groups.len() {
            return Err(StoreError::invalid(
                "recovery code",
                "type each group you are asked for",
            ));
        }
        for (answer, group) in answers.iter().zip(&pending.check_groups) {
            let want = groups
                .get(usize::from(*group).saturating_sub(1))
                .ok_or(StoreError::Internal("recovery code"))?;
            if normalize_group(answer).as_deref() != Some(*want) {
                return Err(StoreError::invalid(
                    "recovery code",
                    format!("group {group} does not match. Look at the code again and check each character."),
                ));
            }
        }
        let store =
            Store::create_with_code(&self.dir, &pending.passphrase, &pending.code, self.options)?;
        self.pending = None;
        self.store = Some(store);
        self.last_activity = now;
        Ok(())
    }

    /// Forgets a setup in progress (back to choosing a passphrase).
    pub fn cancel_setup(&mut self) {
        self.pending = None;
    }

    /// Opens the journal with the passphrase.
    pub fn unlock(&mut self, passphrase: &str, now: Instant) -> Result<(), StoreError> {
        if self.store.is_some() {
            return Ok(());
        }
        self.store = Some(Store::unlock(&self.dir, passphrase, self.options)?);
        self.last_activity = now;
        Ok(())
    }

    /// Opens the journal with the recovery code, sets a new passphrase and returns the new
    /// recovery code (the old one stops working).
    pub fn recover(
        &mut self,
        code: &str,
        new_passphrase: &str,
        now: Instant,
    ) -> Result<NewCode, StoreError> {
        passphrase::check("new passphrase", new_passphrase)?;
        self.store = None;
        let (store, code) =
            Store::unlock_with_recovery(&self.dir, code, new_passphrase, self.options)?;
        self.store = Some(store);
        self.last_activity = now;
        Ok(NewCode {
            code: code.display().to_string(),
        })
    }

    /// Locks: closes the journal and wipes the key from memory. Harmless when already locked.
    pub fn lock(&mut self) {
        if let Some(store) = self.store.take() {
            store.lock();
        }
        self.pending = None;
    }

    /// Notes activity (a tap, a key, a command), which postpones the idle lock.
    pub fn touch(&mut self, now: Instant) {
        self.last_activity = now;
    }

    /// Locks when there has been no activity for `idle`. Returns true when it locked just now.
    pub fn lock_if_idle(&mut self, now: Instant, idle: Duration) -> bool {
        if self.store.is_some() && now.saturating_duration_since(self.last_activity) >= idle {
            self.lock();
            return true;
        }
        false
    }

    /// Replaces the passphrase.
    pub fn change_passphrase(&mut self, old: &str, new: &str) -> Result<(), StoreError> {
        passphrase::check("new passphrase", new)?;
        self.store_mut()?.change_passphrase(old, new)
    }

    /// Issues a new recovery code; the old one stops working.
    pub fn new_recovery_code(&mut self, passphrase: &str) -> Result<NewCode, StoreError> {
        let code = self.store_mut()?.new_recovery_code(passphrase)?;
        Ok(NewCode {
            code: code.display().to_string(),
        })
    }

    /// Erases the journal and its keys after the person typed [`ERASE_WORD`]. Works locked too
    /// (someone who lost both passphrase and code can start again). Plain settings stay.
    pub fn erase(&mut self, confirmation: &str) -> Result<(), StoreError> {
        if confirmation.trim() != ERASE_WORD {
            return Err(StoreError::invalid(
                "confirmation",
                format!("type {ERASE_WORD} in capital letters to erase everything"),
            ));
        }
        self.pending = None;
        match self.store.take() {
            Some(store) => store.wipe(),
            None => store::wipe(&self.dir),
        }
    }

    /// Moves a damaged journal's files into a folder of their own (nothing is deleted), so a new
    /// journal can be set up and a backup restored. Only when the journal is damaged.
    pub fn set_aside_damaged(&mut self, now: DateTime<Utc>) -> Result<PathBuf, StoreError> {
        match self.state() {
            LockState::Damaged { .. } => store::set_aside(&self.dir, now),
            _ => Err(StoreError::invalid(
                "journal",
                "is not damaged, so it was not moved",
            )),
        }
    }

    /// Writes a backup of the open journal into `folder` as
    /// `holdfast-backup-<date>.hfbackup` (`-2`, `-3`... when that exists) and returns it.
    pub fn export_backup(
        &self,
        folder: &Path,
        backup_passphrase: &str,
        now: DateTime<Utc>,
    ) -> Result<BackupFile, StoreError> {
        let store = self.store()?;
        passphrase::check("backup passphrase", backup_passphrase)?;
        let bytes = store.export_backup(backup_passphrase)?;
        std::fs::create_dir_all(folder).map_err(|e| StoreError::write(&e))?;
        let stem = format!("holdfast-backup-{}", now.format("%Y-%m-%d"));
        let mut name = format!("{stem}.{BACKUP_EXTENSION}");
        let mut n = 1;
        while folder.join(&name).exists() {
            n += 1;
            name = format!("{stem}-{n}.{BACKUP_EXTENSION}");
        }
        store::fsutil::write_atomic(folder, &name, &bytes)?;
        describe(&folder.join(&name))
    }

    /// Replaces the open journal with a backup's content, after [`inspect_backup`] was shown.
    pub fn import_backup(
        &mut self,
        path: &Path,
        backup_passphrase: &str,
    ) -> Result<BackupSummary, StoreError> {
        let bytes = read_backup(path)?;
        self.store_mut()?.import_backup(&bytes, backup_passphrase)
    }
}

/// Reads one group of a typed-back code: case, spaces and look-alikes as the code itself allows.
fn normalize_group(input: &str) -> Option<String> {
    let mut out = String::new();
    for c in input.chars() {
        let c = match c.to_ascii_uppercase() {
            ' ' | '-' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        out.push(c);
    }
    (!out.is_empty()).then_some(out)
}

/// Uses and breaks, for the history screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct JournalView {
    pub uses: Vec<store::Stored<store::UseEntry>>,
    pub breaks: Vec<store::Stored<store::BreakEntry>>,
}

/// A backup file on disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackupFile {
    pub path: String,
    pub name: String,
    #[ts(type = "number")]
    pub bytes: u64,
    pub modified: Option<DateTime<Utc>>,
}

fn describe(path: &Path) -> Result<BackupFile, StoreError> {
    let meta = std::fs::metadata(path).map_err(|e| StoreError::read(&e))?;
    Ok(BackupFile {
        path: path.display().to_string(),
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        bytes: meta.len(),
        modified: meta.modified().ok().map(DateTime::<Utc>::from),
    })
}

/// The backup files in `folder`, newest first. A missing folder has none.
pub fn list_backups(folder: &Path) -> Result<Vec<BackupFile>, StoreError> {
    let entries = match std::fs::read_dir(folder) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(StoreError::read(&e)),
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) == Some(BACKUP_EXTENSION) && path.is_file() {
            out.push(describe(&path)?);
        }
    }
    out.sort_by(|a, b| {
        b.modified
            .cmp(&a.modified)
            .then_with(|| b.name.cmp(&a.name))
    });
    Ok(out)
}

fn read_backup(path: &Path) -> Result<Vec<u8>, StoreError> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            StoreError::invalid("backup file", "was not found. Check the name and folder.")
        }
        _ => StoreError::read(&e),
    })?;
    if !meta.is_file() {
        return Err(StoreError::NotABackup);
    }
    if meta.len() > store::MAX_BACKUP_BYTES as u64 {
        return Err(StoreError::NotABackup);
    }
    std::fs::read(path).map_err(|e| StoreError::read(&e))
}

/// What a backup file holds (dates, counts), without changing anything.
pub fn inspect_backup(path: &Path, backup_passphrase: &str) -> Result<BackupSummary, StoreError> {
    let bytes = read_backup(path)?;
    store::inspect_backup(&bytes, backup_passphrase)
}
