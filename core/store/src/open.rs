//! Opening and closing the store: first run, unlock with the passphrase or the recovery code,
//! changing either, locking and wiping. Key slots are replaced atomically (see keyslots.rs); the
//! data key itself is replaced in rotate.rs.

use std::path::Path;

use crate::files::remove_store_files;
use crate::*;

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
            rotation: rotate::Rotation::None,
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

    /// The key file as it is now, for a change to it.
    pub(crate) fn current_slots(&self) -> Result<keyslots::KeySlots, StoreError> {
        keyslots::KeySlots::read(&self.dir)?.ok_or_else(|| {
            StoreError::Damaged("the key file (keyslots.json) is missing".to_owned())
        })
    }

    /// Opens the journal with the first of `keys` that fits it: the current generation's key,
    /// then (while a key rotation is under way) the next one's. A rotation cut short is then
    /// finished, best effort: the journal is open either way, and every later change of keys
    /// finishes it first.
    fn open_with_keys(
        dir: &Path,
        keys: Vec<keyslots::Unwrapped>,
        options: StoreOptions,
    ) -> Result<Self, StoreError> {
        let path = dir.join(DB_FILE);
        let mut opened = None;
        let mut next_key = None;
        let mut refused = None;
        for candidate in keys {
            if opened.is_some() {
                if candidate.generation == keyslots::KeyGeneration::Next {
                    next_key = Some(candidate.key);
                }
                continue;
            }
            match db::open(&path, Some(&candidate.key), false) {
                Ok(conn) => opened = Some((conn, candidate)),
                // Not this key (or damage): try the other generation's.
                Err(e @ StoreError::Damaged(_)) => refused = Some(e),
                Err(e) => return Err(e),
            }
        }
        let (conn, used) = opened.ok_or_else(|| {
            refused.unwrap_or(StoreError::Internal("no key to open the journal with"))
        })?;
        let rotating = keyslots::KeySlots::read(dir)?.is_some_and(|s| s.is_rotating());
        let rotation = rotate::Rotation::after_open(rotating, used.generation, next_key);
        let mut store = Self {
            dir: dir.to_path_buf(),
            conn: Some(conn),
            key: used.key,
            rotation,
            options,
        };
        if rotating {
            let _ = store.finish_rotation();
        }
        Ok(store)
    }

    /// Unlocks with the passphrase. A wrong passphrase changes nothing and there is no lockout.
    ///
    /// A passphrase slot written at a lower cost than this build's (`options.kdf`) is wrapped
    /// again at the current cost once the journal is open (security review L5), so raising the
    /// cost reaches journals made before. Best effort: the journal is open either way, and a
    /// failed write leaves the old slot, which still works.
    pub fn unlock(dir: &Path, passphrase: &str, options: StoreOptions) -> Result<Self, StoreError> {
        let slots = Self::read_slots(dir)?;
        let keys = slots.unlock_passphrase(passphrase, &options.min_kdf)?;
        let store = Self::open_with_keys(dir, keys, options)?;
        if let Ok(slots) = store.current_slots() {
            if slots.passphrase_cost_below(&store.options.kdf) {
                let _ = slots
                    .with_passphrase(&store.key, passphrase, store.options.kdf)
                    .and_then(|rewrapped| rewrapped.write(dir));
            }
        }
        Ok(store)
    }

    /// Unlocks with the recovery code, sets `new_passphrase` and issues a new recovery code (the
    /// old one stops working). The data key is replaced too (see [`Store::rotate_key`]).
    pub fn unlock_with_recovery(
        dir: &Path,
        code: &str,
        new_passphrase: &str,
        options: StoreOptions,
    ) -> Result<(Self, RecoveryCode), StoreError> {
        check_new_passphrase("new passphrase", new_passphrase)?;
        let slots = Self::read_slots(dir)?;
        let keys = slots.unlock_recovery(code, &options.min_kdf)?;
        let mut store = Self::open_with_keys(dir, keys, options)?;
        let new_code = RecoveryCode::generate()?;
        store.rotate_key(new_passphrase, &new_code)?;
        Ok((store, new_code))
    }

    /// The key file's keys for `passphrase`, checked against the open journal's.
    fn check_against_file(&self, passphrase: &str) -> Result<keyslots::KeySlots, StoreError> {
        let slots = self.current_slots()?;
        let keys = slots.unlock_passphrase(passphrase, &self.options.min_kdf)?;
        if !keys.iter().any(|k| k.key.bytes() == self.key.bytes()) {
            return Err(StoreError::Damaged(
                "the key file does not belong to this journal".to_owned(),
            ));
        }
        Ok(slots)
    }

    /// Replaces the passphrase. `old` must be the current one. The key file is replaced
    /// atomically: after a crash at any moment the old or the new passphrase opens the journal.
    /// The data key stays: someone who kept a copy of the old key file can still open the
    /// journal with the old passphrase. [`Store::rotate_key`] is the change that revokes it.
    pub fn change_passphrase(&mut self, old: &str, new: &str) -> Result<(), StoreError> {
        check_new_passphrase("new passphrase", new)?;
        self.finish_rotation()?;
        self.check_against_file(old)?
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
        let keys = slots.unlock_recovery(code, &options.min_kdf)?;
        let kdf = options.kdf;
        let mut store = Self::open_with_keys(dir, keys, options)?;
        store.finish_rotation()?;
        store
            .current_slots()?
            .with_passphrase(&store.key, new_passphrase, kdf)?
            .write(dir)?;
        Ok(store)
    }

    /// Checks `passphrase` against the key file without changing anything.
    pub fn check_passphrase(&self, passphrase: &str) -> Result<(), StoreError> {
        self.check_against_file(passphrase).map(|_| ())
    }

    /// Replaces the recovery code with `code` (the old one stops working, even with a copy of
    /// the old key file). `passphrase` must be the current one. The data key is replaced too
    /// (see [`Store::rotate_key`]): a code is replaced because it was lost or seen, and a lost
    /// code can be found.
    pub fn set_recovery_code(
        &mut self,
        passphrase: &str,
        code: &RecoveryCode,
    ) -> Result<(), StoreError> {
        self.check_passphrase(passphrase)?;
        self.rotate_key(passphrase, code)
    }

    /// Issues a new recovery code (the old one stops working). `passphrase` must be the current
    /// one. The data key is replaced too.
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

    /// Runs SQLite's full `integrity_check` (reads every page, so SQLCipher checks every HMAC).
    /// `Ok(true)` when the journal is whole.
    pub fn integrity_check(&self) -> Result<bool, StoreError> {
        let result: String = self
            .conn()?
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| StoreError::db_write(&e))?;
        Ok(result == "ok")
    }
}
