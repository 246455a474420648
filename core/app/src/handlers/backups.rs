//! Backups: written into the backup folder under their own passphrase, listed, inspected and
//! restored. Restoring needs the journal open, and only what was inspected is restored.

use std::path::PathBuf;

use holdfast_store::BackupSummary;
use zeroize::Zeroizing;

use crate::session::{self, BackupFile};
use crate::{App, AppError, IpcError};

/// Longest backup path accepted, in bytes (Linux's PATH_MAX).
pub const MAX_BACKUP_PATH_BYTES: usize = 4096;

/// A backup path as typed or chosen: not empty, not too long, and absolute.
pub(crate) fn backup_path(path: &str) -> Result<PathBuf, AppError> {
    let trimmed = path.trim();
    if trimmed.is_empty() || trimmed.len() > MAX_BACKUP_PATH_BYTES {
        return Err(AppError::NoBackupPath);
    }
    let path = PathBuf::from(trimmed);
    if !path.is_absolute() {
        return Err(AppError::BackupPathNotAbsolute);
    }
    Ok(path)
}

impl App {
    /// Writes a backup into the backup folder, locked with `backup_passphrase`; `passphrase`
    /// must be the journal's current one.
    pub fn export_backup(
        &self,
        passphrase: String,
        backup_passphrase: String,
    ) -> Result<BackupFile, IpcError> {
        let passphrase = Zeroizing::new(passphrase);
        let backup_passphrase = Zeroizing::new(backup_passphrase);
        let folder = self.backup_folder()?;
        let now = self.now();
        Ok(self
            .active()?
            .export_backup(folder, &passphrase, &backup_passphrase, now)?)
    }

    /// The backups in the backup folder, newest first. Only with the journal open: the list
    /// says when the person made backups.
    pub fn list_backups(&self) -> Result<Vec<BackupFile>, IpcError> {
        self.active()?.store()?;
        Ok(session::list_backups(self.backup_folder()?)?)
    }

    /// What a backup file holds, without changing anything. The file is read, its key derived
    /// and its content decrypted without holding the session, so the idle lock still works and
    /// other commands do not wait (security review M2).
    pub fn inspect_backup(
        &self,
        path: String,
        passphrase: String,
    ) -> Result<BackupSummary, IpcError> {
        let path = backup_path(&path)?;
        let passphrase = Zeroizing::new(passphrase);
        let check = self.active()?.begin_inspect()?;
        let done = check.inspect(&path, &passphrase);
        Ok(self.session()?.finish_inspect(done)?)
    }

    /// Replaces the journal with the backup's content (only the bytes `inspect_backup` showed).
    /// As for inspecting, the slow part (reading, key derivation, decryption, building the new
    /// database) runs without the session; only the swap holds it.
    /// `passphrase` must be the journal's current one, `backup_passphrase` the backup's.
    pub fn import_backup(
        &self,
        path: String,
        passphrase: String,
        backup_passphrase: String,
    ) -> Result<BackupSummary, IpcError> {
        let path = backup_path(&path)?;
        let passphrase = Zeroizing::new(passphrase);
        let backup_passphrase = Zeroizing::new(backup_passphrase);
        let ticket = self.active()?.begin_import(&path, &passphrase)?;
        let prepared = ticket.prepare(&path, &backup_passphrase);
        Ok(self.session()?.finish_import(prepared)?)
    }
}
