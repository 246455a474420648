//! The journal's life while the app runs: first-run setup, unlock, lock (by hand and when idle),
//! recovery, passphrase and recovery-code changes, erase, set-aside of a damaged journal, and
//! backup files. [`crate::App`] holds one `Session` behind a mutex and its use cases call these
//! methods; every decision is made here, so it is tested without a window.
//!
//! Time is passed in (`Instant` for idle, `DateTime<Utc>` for names and records), never read
//! here, so tests control it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use zeroize::Zeroizing;

use holdfast_domain::passphrase;
use holdfast_store::{
    self as store, BackupSummary, RecoveryCode, SetAside, SetAsideReason, Status, Store,
    StoreError, StoreOptions,
};

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

/// The word the person types to erase everything.
pub const ERASE_WORD: &str = "ERASE";

/// Extension of backup files.
pub const BACKUP_EXTENSION: &str = "hfbackup";

/// What a pending recovery code is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PendingFor {
    /// First run: the journal is created when the code is confirmed.
    Setup,
    /// An open journal: the code replaces the old one when confirmed (and the data key is
    /// replaced with it).
    Replace,
    /// An open journal whose owner thinks someone may know the old passphrase or code: when the
    /// code is confirmed, the passphrase, the code and the data key are all replaced. The
    /// passphrase held is the new one (the old one was checked when this began).
    NewPassphrase,
}

/// A recovery code that has been shown but not yet typed back. Nothing depends on it until it
/// is confirmed, so walking away never leaves the person without a working code.
#[derive(Debug)]
struct PendingCode {
    purpose: PendingFor,
    passphrase: Zeroizing<String>,
    code: RecoveryCode,
    check_groups: Vec<u8>,
}

/// The last backup file looked at: a restore must be of exactly these bytes.
#[derive(Debug)]
struct Inspected {
    path: PathBuf,
    digest: Vec<u8>,
}

/// The journal while the app runs.
#[derive(Debug)]
pub struct Session {
    dir: PathBuf,
    options: StoreOptions,
    store: Option<Store>,
    pending: Option<PendingCode>,
    inspected: Option<Inspected>,
    /// Counts each time a journal is opened or closed, so work done away from the session (a
    /// backup checked without holding it) is applied only to the journal it began on.
    opened: u64,
    last_activity: Instant,
    /// Wall-clock time of the last activity: the monotonic clock stops while the machine
    /// sleeps, the wall clock does not, so the idle lock checks both.
    last_activity_wall: SystemTime,
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
            inspected: None,
            opened: 0,
            last_activity: now,
            last_activity_wall: SystemTime::now(),
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

    fn set_store(&mut self, store: Store) {
        self.store = Some(store);
        self.opened = self.opened.wrapping_add(1);
    }

    fn take_store(&mut self) -> Option<Store> {
        self.opened = self.opened.wrapping_add(1);
        self.store.take()
    }

    /// The open journal, or `Locked`.
    pub fn store(&self) -> Result<&Store, StoreError> {
        self.store.as_ref().ok_or(StoreError::Locked)
    }

    fn store_mut(&mut self) -> Result<&mut Store, StoreError> {
        self.store.as_mut().ok_or(StoreError::Locked)
    }

    /// Makes a recovery code and picks two groups to ask for.
    fn pending_code(
        &mut self,
        purpose: PendingFor,
        passphrase: &str,
    ) -> Result<SetupCode, StoreError> {
        let code = RecoveryCode::generate()?;
        let shown = code.display();
        let groups = code_groups(&shown).len();
        let mut pick = [0u8; 2];
        passphrase::fill_random(&mut pick)?;
        let n = u8::try_from(groups).map_err(|_| StoreError::Internal("recovery code"))?;
        if n < 2 {
            return Err(StoreError::Internal("recovery code"));
        }
        let first = pick[0] % n;
        let mut second = pick[1] % (n - 1);
        if second >= first {
            second += 1;
        }
        let mut check_groups = vec![first + 1, second + 1];
        check_groups.sort_unstable();
        self.pending = Some(PendingCode {
            purpose,
            passphrase: Zeroizing::new(passphrase.to_owned()),
            code,
            check_groups: check_groups.clone(),
        });
        Ok(SetupCode {
            code: shown.to_string(),
            check_groups,
        })
    }

    /// Checks typed-back groups against the pending code of `purpose`.
    fn check_answers(&self, purpose: PendingFor, answers: &[String]) -> Result<(), StoreError> {
        let pending = self
            .pending
            .as_ref()
            .filter(|p| p.purpose == purpose)
            .ok_or_else(|| {
                StoreError::invalid(
                    "recovery code",
                    "is no longer waiting to be checked. Start again to get a new one.",
                )
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
        Ok(())
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
        self.pending_code(PendingFor::Setup, passphrase)
    }

    /// Setup, step two: `answers` are the groups asked for, in order. When they match, the
    /// journal is created and left open.
    pub fn finish_setup(&mut self, answers: &[String], now: Instant) -> Result<(), StoreError> {
        if !matches!(&self.pending, Some(p) if p.purpose == PendingFor::Setup) {
            return Err(StoreError::invalid(
                "setup",
                "has not been started. Choose a passphrase first.",
            ));
        }
        self.check_answers(PendingFor::Setup, answers)?;
        let pending = self.pending.take().ok_or(StoreError::Internal("setup"))?;
        let store = match Store::create_with_code(
            &self.dir,
            &pending.passphrase,
            &pending.code,
            self.options.clone(),
        ) {
            Ok(s) => s,
            Err(e) => {
                // Keep the code pending so the person can try again without a new one.
                self.pending = Some(pending);
                return Err(e);
            }
        };
        self.set_store(store);
        self.touch(now, SystemTime::now());
        Ok(())
    }

    /// A new recovery code for the open journal, shown now and used only once two of its
    /// groups are typed back ([`Session::confirm_new_code`]). `passphrase` must be the current one.
    pub fn begin_new_code(&mut self, passphrase: &str) -> Result<SetupCode, StoreError> {
        self.store()?.check_passphrase(passphrase)?;
        self.pending_code(PendingFor::Replace, passphrase)
    }

    /// A new passphrase, a new recovery code and a new data key, for when someone may know the
    /// old passphrase or code (security review M1): `old` must be the current passphrase and
    /// `new` good enough. Nothing changes until two groups of the code shown are typed back
    /// ([`Session::confirm_new_code`]); then the journal is re-encrypted under a new key, so an
    /// old copy of the key file and the old secrets open nothing on disk any more.
    pub fn begin_key_change(&mut self, old: &str, new: &str) -> Result<SetupCode, StoreError> {
        passphrase::check("new passphrase", new)?;
        self.store()?.check_passphrase(old)?;
        self.pending_code(PendingFor::NewPassphrase, new)
    }

    /// Replaces the recovery code with the pending one when the typed groups match, and the
    /// data key with it (after [`Session::begin_key_change`], the passphrase too).
    pub fn confirm_new_code(&mut self, answers: &[String]) -> Result<(), StoreError> {
        self.store()?;
        let purpose = match self.pending.as_ref().map(|p| p.purpose) {
            Some(PendingFor::NewPassphrase) => PendingFor::NewPassphrase,
            _ => PendingFor::Replace,
        };
        self.check_answers(purpose, answers)?;
        let pending = self
            .pending
            .take()
            .ok_or(StoreError::Internal("recovery code"))?;
        let store = self.store_mut()?;
        let result = match pending.purpose {
            PendingFor::NewPassphrase => store.rotate_key(&pending.passphrase, &pending.code),
            _ => store.set_recovery_code(&pending.passphrase, &pending.code),
        };
        // Written but not confirmed on disk means the new code is the one that works now: it is
        // no longer pending, and the error says so (security review L2).
        if result
            .as_ref()
            .is_err_and(|e| !matches!(e, StoreError::WrittenNotConfirmed))
        {
            self.pending = Some(pending);
        }
        result
    }

    /// Forgets a code waiting to be typed back (setup or a new code); nothing was written.
    pub fn cancel_pending(&mut self) {
        self.pending = None;
    }

    /// Opens the journal with the passphrase.
    pub fn unlock(&mut self, passphrase: &str, now: Instant) -> Result<(), StoreError> {
        if self.store.is_some() {
            return Ok(());
        }
        let store = Store::unlock(&self.dir, passphrase, self.options.clone())?;
        self.set_store(store);
        self.touch(now, SystemTime::now());
        Ok(())
    }

    /// Opens the journal with the recovery code and sets a new passphrase. The old code keeps
    /// working; a new one is returned to show, and replaces it once two groups are typed back
    /// ([`Session::confirm_new_code`]).
    pub fn recover(
        &mut self,
        code: &str,
        new_passphrase: &str,
        now: Instant,
    ) -> Result<SetupCode, StoreError> {
        passphrase::check("new passphrase", new_passphrase)?;
        // Only from the lock screen: an open journal changes its passphrase in Settings, and a
        // wrong code must not lock it (found by the generated hostile-IPC test).
        if self.store.is_some() {
            return Err(StoreError::invalid(
                "journal",
                "is open. Change the passphrase in Settings instead.",
            ));
        }
        self.lock();
        let store =
            Store::recover_passphrase(&self.dir, code, new_passphrase, self.options.clone())?;
        self.set_store(store);
        self.touch(now, SystemTime::now());
        self.pending_code(PendingFor::Replace, new_passphrase)
    }

    /// Locks: closes the journal and wipes the key from memory. Harmless when already locked.
    pub fn lock(&mut self) {
        if let Some(store) = self.take_store() {
            store.lock();
        }
        self.pending = None;
        self.inspected = None;
    }

    /// Notes activity (a tap, a key, a command), which postpones the idle lock.
    pub fn touch(&mut self, now: Instant, wall: SystemTime) {
        self.last_activity = now;
        self.last_activity_wall = wall;
    }

    /// Whether `idle` has passed since the last activity, by either clock. A wall clock that
    /// went back by more than a minute counts as idle too (it cannot be trusted to say otherwise).
    fn idle_for(&self, now: Instant, wall: SystemTime, idle: Duration) -> bool {
        let mono = now.saturating_duration_since(self.last_activity) >= idle;
        let by_wall = match wall.duration_since(self.last_activity_wall) {
            Ok(d) => d >= idle,
            // Small steps back are clock corrections; a big one cannot be trusted.
            Err(e) => e.duration() > Duration::from_secs(60),
        };
        mono || by_wall
    }

    /// Locks when there has been no activity for `idle` (also across a suspend, when only the
    /// wall clock moves). A code waiting to be typed back is forgotten too. Returns true when it
    /// locked just now.
    pub fn lock_if_idle(&mut self, now: Instant, wall: SystemTime, idle: Duration) -> bool {
        if !self.idle_for(now, wall, idle) {
            return false;
        }
        self.pending = None;
        if self.store.is_some() {
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

    /// Erases the open journal and its keys, after the person typed [`ERASE_WORD`]. Only when
    /// unlocked: someone holding a locked device must not be able to destroy the journal (a
    /// person who lost both secrets can [`Session::set_aside`] it). Journals set aside earlier
    /// stay: each is deleted only with its own passphrase ([`Session::delete_set_aside`]), so
    /// setting a journal aside and erasing the new one never destroys the old. Plain settings
    /// (country, idle time) stay.
    ///
    /// `passphrase` must be the journal's current one: an open journal is not enough, since
    /// whoever is handed the device in the idle window, or a script in the web view, could
    /// otherwise destroy it (security review M4).
    pub fn erase(&mut self, confirmation: &str, passphrase: &str) -> Result<(), StoreError> {
        let store = self.store()?;
        if confirmation.trim() != ERASE_WORD {
            return Err(StoreError::invalid(
                "confirmation",
                format!("type {ERASE_WORD} in capital letters to erase everything"),
            ));
        }
        store.check_passphrase(passphrase)?;
        self.pending = None;
        self.inspected = None;
        if let Some(store) = self.take_store() {
            store.wipe()?;
        }
        Ok(())
    }

    /// Moves the journal's files into a folder of their own (nothing is deleted) so a new
    /// journal can be set up: for a damaged journal (then restore a backup), or a locked one
    /// whose passphrase and recovery code are both lost. Not while it is open.
    pub fn set_aside(&mut self, now: DateTime<Utc>) -> Result<PathBuf, StoreError> {
        match self.state() {
            LockState::Damaged { .. } => {
                self.pending = None;
                store::set_aside(&self.dir, now, SetAsideReason::Damaged)
            }
            LockState::Locked => {
                self.pending = None;
                store::set_aside(&self.dir, now, SetAsideReason::LockScreen)
            }
            LockState::Unlocked => Err(StoreError::invalid(
                "journal",
                "is open, so it was not moved. Lock it first.",
            )),
            LockState::FirstRun => Err(StoreError::NotCreated),
        }
    }

    /// The journals set aside in the data folder, oldest first.
    pub fn list_set_aside(&self) -> Result<Vec<SetAside>, StoreError> {
        store::list_set_aside(&self.dir)
    }

    /// Puts the set-aside journal `name` back. The journal there now (open, locked or damaged)
    /// is locked and set aside in its place, so nothing is lost; needs no secret for that
    /// reason. Afterwards the journal put back is locked, ready for its own passphrase.
    pub fn put_back(&mut self, name: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        // A name that is not a set-aside journal here changes nothing: the open journal is not
        // locked for it (found by the generated hostile-IPC test).
        if !store::list_set_aside(&self.dir)?
            .iter()
            .any(|a| a.name == name)
        {
            return Err(StoreError::RecordNotFound);
        }
        self.pending = None;
        self.inspected = None;
        if let Some(store) = self.take_store() {
            store.lock();
        }
        store::put_back(&self.dir, name, now).map(|_| ())
    }

    /// Deletes the set-aside journal `name`, for someone who knows that journal's own
    /// passphrase.
    pub fn delete_set_aside(&self, name: &str, passphrase: &str) -> Result<(), StoreError> {
        store::delete_set_aside(&self.dir, name, passphrase, &self.options.min_kdf)
    }

    /// Writes a backup of the open journal into `folder` as
    /// `holdfast-backup-<date>.hfbackup` (`-2`, `-3`... when that exists) and returns it.
    ///
    /// `passphrase` must be the journal's current one (security review M4): a backup is the
    /// whole journal under a passphrase of the maker's choosing, so an open journal is not
    /// enough.
    pub fn export_backup(
        &self,
        folder: &Path,
        passphrase: &str,
        backup_passphrase: &str,
        now: DateTime<Utc>,
    ) -> Result<BackupFile, StoreError> {
        let store = self.store()?;
        passphrase::check("backup passphrase", backup_passphrase)?;
        store.check_passphrase(passphrase)?;
        let bytes = store.export_backup(backup_passphrase)?;
        store::create_private_dir(folder).map_err(|e| StoreError::write(&e))?;
        let stem = format!("holdfast-backup-{}", now.format("%Y-%m-%d"));
        for n in 1..=999 {
            let name = if n == 1 {
                format!("{stem}.{BACKUP_EXTENSION}")
            } else {
                format!("{stem}-{n}.{BACKUP_EXTENSION}")
            };
            // Never over an existing file, even one created while this runs.
            if holdfast_store::fsutil::write_new(folder, &name, &bytes)? {
                return describe(&folder.join(&name));
            }
        }
        Err(StoreError::WriteFailed(
            "there are too many backups from today in the folder".to_owned(),
        ))
    }

    /// What a backup file holds (dates, counts), without changing anything. The file's bytes
    /// are remembered: [`Session::import_backup`] restores only exactly what was shown.
    ///
    /// The same in three steps, so the slow middle one (reading the file, key derivation,
    /// decryption) runs without the session (security review M2): [`Session::begin_inspect`],
    /// [`BackupCheck::inspect`], [`Session::finish_inspect`].
    pub fn inspect_backup(
        &mut self,
        path: &Path,
        backup_passphrase: &str,
    ) -> Result<BackupSummary, StoreError> {
        let check = self.begin_inspect()?;
        let done = check.inspect(path, backup_passphrase);
        self.finish_inspect(done)
    }

    /// Starts looking at a backup: needs the journal open. What was looked at before is
    /// forgotten.
    pub fn begin_inspect(&mut self) -> Result<BackupCheck, StoreError> {
        self.store()?;
        self.inspected = None;
        Ok(BackupCheck {
            options: self.options.clone(),
            opened: self.opened,
        })
    }

    /// Keeps what [`BackupCheck::inspect`] found, if the journal it began on is still open
    /// (it may have locked itself meanwhile: then `Locked`, and nothing is kept).
    pub fn finish_inspect(
        &mut self,
        done: Result<Inspection, StoreError>,
    ) -> Result<BackupSummary, StoreError> {
        let done = done?;
        if self.store.is_none() || self.opened != done.opened {
            return Err(StoreError::Locked);
        }
        self.inspected = Some(Inspected {
            path: done.path,
            digest: done.digest,
        });
        Ok(done.summary)
    }

    /// Replaces the open journal with a backup's content, after [`inspect_backup`] was shown.
    ///
    /// In three steps, like inspecting: [`Session::begin_import`], [`RestoreTicket::prepare`]
    /// (read, derive, decrypt, check and build the new database: no session needed),
    /// [`Session::finish_import`] (the swap).
    pub fn import_backup(
        &mut self,
        path: &Path,
        passphrase: &str,
        backup_passphrase: &str,
    ) -> Result<BackupSummary, StoreError> {
        let ticket = self.begin_import(path, passphrase)?;
        let prepared = ticket.prepare(path, backup_passphrase);
        self.finish_import(prepared)
    }

    /// Starts a restore of the file at `path`, which must be the one last inspected.
    /// `passphrase` must be the journal's current one (security review M4): a restore replaces
    /// the whole journal.
    pub fn begin_import(
        &mut self,
        path: &Path,
        passphrase: &str,
    ) -> Result<RestoreTicket, StoreError> {
        let store = self.store()?;
        let digest = self
            .inspected
            .as_ref()
            .filter(|i| i.path == path)
            .map(|i| i.digest.clone())
            .ok_or_else(|| {
                StoreError::invalid(
                    "backup",
                    "has not been checked. Look at what it holds first.",
                )
            })?;
        store.check_passphrase(passphrase)?;
        Ok(RestoreTicket {
            digest,
            builder: store.import_builder(),
            options: self.options.clone(),
            opened: self.opened,
        })
    }

    /// Swaps in what [`RestoreTicket::prepare`] built, if the journal it began on is still
    /// open. A file that changed since it was looked at must be looked at again.
    pub fn finish_import(
        &mut self,
        prepared: Result<PreparedRestore, StoreError>,
    ) -> Result<BackupSummary, StoreError> {
        let prepared = match prepared {
            Ok(p) => p,
            Err(e) => {
                if e == changed_backup() {
                    self.inspected = None;
                }
                return Err(e);
            }
        };
        if self.store.is_none() || self.opened != prepared.opened {
            // Dropping it removes the database it built.
            return Err(StoreError::Locked);
        }
        let summary = self.store_mut()?.swap_in(prepared.built)?;
        self.inspected = None;
        Ok(summary)
    }
}

/// What looking at a backup needs, taken from the session so the work runs without it.
#[derive(Debug)]
pub struct BackupCheck {
    options: StoreOptions,
    opened: u64,
}

/// A backup file looked at: what it holds, and which bytes those were.
#[derive(Debug)]
pub struct Inspection {
    path: PathBuf,
    digest: Vec<u8>,
    summary: BackupSummary,
    opened: u64,
}

impl BackupCheck {
    /// Reads the file (at most [`store::MAX_BACKUP_BYTES`]), derives its key (with settings
    /// only this app could have written) and decrypts and checks it. Holds no lock.
    pub fn inspect(&self, path: &Path, backup_passphrase: &str) -> Result<Inspection, StoreError> {
        let bytes = read_backup(path)?;
        let summary = store::inspect_backup(&bytes, backup_passphrase, &self.options)?;
        Ok(Inspection {
            path: path.to_path_buf(),
            digest: digest(&bytes),
            summary,
            opened: self.opened,
        })
    }
}

/// What a restore needs, taken from the session so the slow part runs without it. Holds a
/// copy of the journal's key (wiped when dropped).
#[derive(Debug)]
pub struct RestoreTicket {
    digest: Vec<u8>,
    builder: store::ImportBuilder,
    options: StoreOptions,
    opened: u64,
}

/// A new journal built from a backup, waiting to be swapped in. Dropped, its file is removed.
#[derive(Debug)]
pub struct PreparedRestore {
    built: store::BuiltImport,
    opened: u64,
}

fn changed_backup() -> StoreError {
    StoreError::invalid(
        "backup",
        "changed after you looked at it. Check it again before restoring.",
    )
}

impl RestoreTicket {
    /// Reads the file again, checks it is exactly what was looked at, decrypts it and builds the
    /// new journal beside the old one. Holds no lock.
    pub fn prepare(
        self,
        path: &Path,
        backup_passphrase: &str,
    ) -> Result<PreparedRestore, StoreError> {
        let bytes = read_backup(path)?;
        if digest(&bytes) != self.digest {
            return Err(changed_backup());
        }
        let opened = store::open_backup(&bytes, backup_passphrase, &self.options)?;
        drop(bytes);
        Ok(PreparedRestore {
            built: self.builder.build(opened)?,
            opened: self.opened,
        })
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
    pub uses: Vec<holdfast_domain::records::Stored<holdfast_domain::records::UseEntry>>,
    pub breaks: Vec<holdfast_domain::records::Stored<holdfast_domain::records::BreakEntry>>,
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

/// Reads a backup file without reading more than any backup can be: the size is checked before
/// anything is read, and the read stops after the limit in case the file grows meanwhile. A
/// folder, a pipe or a device is not a backup (and a pipe is never opened, so it cannot hang the
/// read).
pub fn read_backup(path: &Path) -> Result<Vec<u8>, StoreError> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            StoreError::invalid("backup file", "was not found. Check the name and folder.")
        }
        _ => StoreError::read(&e),
    })?;
    if !meta.is_file() {
        return Err(StoreError::NotABackup);
    }
    let limit = store::MAX_BACKUP_BYTES as u64;
    if meta.len() > limit {
        return Err(StoreError::BackupTooLarge);
    }
    // Checked again on the open handle: the path may have been swapped for a FIFO (which
    // would block the read for ever) or a link since (security review L7).
    let file = holdfast_store::fsutil::open_regular(path)
        .map_err(|e| StoreError::read(&e))?
        .ok_or(StoreError::NotABackup)?;
    if file.metadata().map_err(|e| StoreError::read(&e))?.len() > limit {
        return Err(StoreError::BackupTooLarge);
    }
    holdfast_store::fsutil::read_bounded(file, limit)
        .map_err(|e| StoreError::read(&e))?
        .ok_or(StoreError::BackupTooLarge)
}

fn digest(bytes: &[u8]) -> Vec<u8> {
    ring::digest::digest(&ring::digest::SHA256, bytes)
        .as_ref()
        .to_vec()
}
