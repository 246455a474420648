//! Opening and closing the store: first run, unlock with the passphrase or the recovery code,
//! changing either, locking and wiping. Key slots are replaced atomically (see keyslots.rs).

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
        let kdf = options.kdf;
        let store = Self::open_with_key(dir, key, options)?;
        let new_code = RecoveryCode::generate()?;
        keyslots::KeySlots::new(&store.key, new_passphrase, &new_code, kdf)?.write(dir)?;
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
        let kdf = options.kdf;
        let store = Self::open_with_key(dir, key, options)?;
        slots
            .with_passphrase(&store.key, new_passphrase, kdf)?
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
