//! Replacing the data key (key rotation, security review M1).
//!
//! Changing a passphrase or a recovery code only re-wraps the same data key, so someone who kept
//! a copy of the old key file and knows the old secret can still read the journal, including
//! what is written after the change. Rotation makes a new data key and re-encrypts the journal
//! with it, so the old key file opens nothing that is on disk now.
//!
//! The steps, each of which a crash may cut short:
//!
//! 1. The key file is replaced (atomically) by one with two generations: `slots` wraps the
//!    current key and `next` the new one, both under the new secrets.
//! 2. The journal is copied, re-encrypted under the new key, into a temporary file in the same
//!    folder (`sqlcipher_export`), which is fsynced and checked.
//! 3. The open connection is closed out of WAL mode, the copy is renamed over `journal.db`, and
//!    the folder is fsynced.
//! 4. The key file is replaced by one with only the new key's slots.
//!
//! After a crash before step 1 completes the old secrets open the journal, unchanged; from then
//! on the new secrets open it: unlock tries the current generation's key, then the next one's,
//! and finishes the steps that are left. `PRAGMA rekey` is not used: it rewrites every page in
//! place in one transaction whose rollback journal is under the old key while the pages are under
//! the new one, so what a crash leaves depends on SQLite's recovery being run with the right key;
//! here every file on disk is whole and under one key at every moment.

use std::path::Path;

use crate::crypto::SecretKey;
use crate::files::remove_db_files;
use crate::keyslots::{KeyGeneration, KeySlots};
use crate::*;

/// Where a key rotation stands for an open store.
#[derive(Debug, Default)]
pub(crate) enum Rotation {
    /// None under way.
    #[default]
    None,
    /// The key file has two generations and the journal is still under the current key: steps
    /// 2 to 4 are left, with this key (the next generation's).
    Reencrypt(SecretKey),
    /// The journal is under the next generation's key: only step 4 is left.
    SlotsOnly,
    /// The key file has two generations, the journal is under the current key, and the secret it
    /// was opened with does not open the next one (no version of this app writes that).
    Stuck,
}

impl Rotation {
    /// The state after opening with the key of generation `used`; `next` is the next
    /// generation's key when it was unwrapped too.
    pub(crate) fn after_open(rotating: bool, used: KeyGeneration, next: Option<SecretKey>) -> Self {
        match (rotating, used, next) {
            (false, _, _) => Self::None,
            (true, KeyGeneration::Next, _) => Self::SlotsOnly,
            (true, KeyGeneration::Current, Some(next)) => Self::Reencrypt(next),
            (true, KeyGeneration::Current, None) => Self::Stuck,
        }
    }
}

impl Store {
    /// Replaces the data key: makes a new one, re-encrypts the journal with it and wraps it
    /// under `passphrase` and `code`, which become the journal's secrets (the old ones stop
    /// working, even with a copy of the old key file). The caller has checked who is asking:
    /// the store is open, and the session asked for the current passphrase.
    ///
    /// A failure changes nothing (the key file is put back as it was); a crash leaves a journal
    /// that opens with the old secrets (before step 1) or the new ones (after it), and the next
    /// unlock finishes the rotation. See the module comment for the steps.
    ///
    /// `passphrase` is not checked for length here: it may be the current one, set under an
    /// older rule. Callers that set a new one check it first.
    pub fn rotate_key(&mut self, passphrase: &str, code: &RecoveryCode) -> Result<(), StoreError> {
        self.finish_rotation()?;
        let slots_path = self.dir.join(SLOTS_FILE);
        let before = fsutil::read_at_most(&slots_path, 64 * 1024)?.ok_or_else(|| {
            StoreError::Damaged("the key file (keyslots.json) is too large".into())
        })?;
        let next = SecretKey::random()?;
        // Step 1.
        // Not confirmed on disk is still written: the two-key file is the one in place, so the
        // rotation goes on (the file it ends with is fsynced again in step 3).
        match KeySlots::rotating(&self.key, &next, passphrase, code, self.options.kdf)?
            .write(&self.dir)
        {
            Ok(()) | Err(StoreError::WrittenNotConfirmed) => {}
            Err(e) => return Err(e),
        }
        fsutil::crash_point("rotate-after-two-keys");
        self.rotation = Rotation::Reencrypt(next);
        let finished = self.finish_rotation();
        if finished.is_err() && matches!(self.rotation, Rotation::Reencrypt(_)) {
            // Nothing was re-encrypted: the old key file goes back, so the old secrets (which
            // the person was told still work) do. If even that fails, the two-key file stays and
            // the new secrets open the journal.
            if fsutil::write_atomic(&self.dir, SLOTS_FILE, &before).is_ok() {
                self.rotation = Rotation::None;
            }
        }
        finished
    }

    /// Finishes a rotation cut short (by a crash, or a failure such as a full disk). Every change
    /// of keys calls it first.
    pub(crate) fn finish_rotation(&mut self) -> Result<(), StoreError> {
        match std::mem::take(&mut self.rotation) {
            Rotation::None => Ok(()),
            Rotation::Stuck => {
                self.rotation = Rotation::Stuck;
                Err(StoreError::Damaged(
                    "the key file holds a new key that this passphrase or code does not open"
                        .to_owned(),
                ))
            }
            Rotation::Reencrypt(next) => {
                self.reencrypt(next)?;
                self.write_one_key()
            }
            Rotation::SlotsOnly => self.write_one_key(),
        }
    }

    /// Steps 2 and 3: the journal re-encrypted under `next` replaces `journal.db`. Sets
    /// [`Rotation::SlotsOnly`] once the rename is done, and hands `next` back to
    /// [`Rotation::Reencrypt`] when it was not.
    fn reencrypt(&mut self, next: SecretKey) -> Result<(), StoreError> {
        // A copy left by a crash is under a key of a rotation that is being redone now.
        remove_stale_copies(&self.dir);
        let tmp = fsutil::temp_path(&self.dir, DB_FILE);
        let copied = self
            .conn()
            .and_then(|conn| db::export_copy(conn, &tmp, &next))
            .and_then(|()| fsutil::fail_point("rotate-copy").map_err(|e| StoreError::write(&e)));
        if let Err(e) = copied {
            remove_db_files(&tmp);
            self.rotation = Rotation::Reencrypt(next);
            return Err(e);
        }
        fsutil::crash_point("rotate-after-copy");
        let mut next = Some(next);
        let swapped = self.replace_db_file(&tmp, &mut next, "rotate");
        self.rotation = match next {
            Some(next) => Rotation::Reencrypt(next),
            None => Rotation::SlotsOnly,
        };
        swapped
    }

    /// Step 4: the key file keeps only the new key's slots.
    fn write_one_key(&mut self) -> Result<(), StoreError> {
        self.rotation = Rotation::SlotsOnly;
        fsutil::crash_point("rotate-before-one-key");
        if let Some(finished) = self.current_slots()?.finished() {
            if let Err(e) = finished.write(&self.dir) {
                if matches!(e, StoreError::WrittenNotConfirmed) {
                    // The one-key file is in place: the rotation is done, only not confirmed.
                    self.rotation = Rotation::None;
                }
                return Err(e);
            }
        }
        self.rotation = Rotation::None;
        Ok(())
    }
}

/// Removes copies of the journal left in `dir` by a rotation or an import cut short.
fn remove_stale_copies(dir: &Path) {
    let prefix = format!("{}{DB_FILE}", fsutil::TEMP_PREFIX);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        // The copy itself; its `-journal` goes with it.
        if name.starts_with(&prefix) && !name.ends_with("-journal") {
            remove_db_files(&entry.path());
        }
    }
}

/// Replaces the data key of the journal in `dir` (see [`Store::rotate_key`]): unlocks it with
/// `passphrase`, rotates to a new key wrapped under `new_passphrase` and `new_code`, and locks
/// it. For tests and for a power-loss harness that cuts the power at any moment of it.
pub fn rotate_data_key(
    dir: &Path,
    passphrase: &str,
    new_passphrase: &str,
    new_code: &RecoveryCode,
    options: StoreOptions,
) -> Result<(), StoreError> {
    check_new_passphrase("new passphrase", new_passphrase)?;
    let mut store = Store::unlock(dir, passphrase, options)?;
    store.rotate_key(new_passphrase, new_code)?;
    store.lock();
    Ok(())
}
