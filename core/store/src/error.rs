//! The store's one error type. Every message is written for a person: it never holds SQL, file
//! paths, key material, passphrases or the text of journal entries.

/// Why a store operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// `create` was called on a folder that already holds a journal.
    #[error(
        "A journal already exists in this folder. Unlock it, or erase it first to start again."
    )]
    AlreadyExists,
    /// There is no journal to unlock yet.
    #[error("There is no journal in this folder yet. Set one up first.")]
    NotCreated,
    /// The passphrase did not unlock the key slot.
    #[error("That passphrase is not right. Check it and try again, or use your recovery code.")]
    WrongPassphrase,
    /// The recovery code did not unlock the key slot.
    #[error("That recovery code is not right. Check each group of characters and try again.")]
    WrongRecoveryCode,
    /// A file of the store is damaged; the reason names which one and how. Nothing was changed.
    #[error("The journal cannot be opened: {0}. Nothing was changed or deleted.")]
    Damaged(String),
    /// The store was written by a newer version of the app.
    #[error("This journal was saved by a newer version of Holdfast. Update the app to open it.")]
    NewerVersion,
    /// SQLCipher is not active in this build, so the store refuses to open.
    #[error("Encryption is not available in this build, so the journal will not be opened.")]
    EncryptionUnavailable,
    /// The journal is locked; unlock it first.
    #[error("The journal is locked. Unlock it first.")]
    Locked,
    /// The disk (or the space the app may use) is full. Nothing from this step was saved.
    #[error("The disk is full, so this was not saved. Free some space and try again; everything saved before is safe.")]
    StorageFull,
    /// Writing failed for another reason. Nothing from this step was saved.
    #[error("Saving failed ({0}). Everything saved before is safe.")]
    WriteFailed(String),
    /// A file was replaced and is in use, but the folder's fsync after the rename failed even
    /// when tried again, so the change may not survive a power cut (security review L2). Not
    /// "nothing was saved": the new content is the one that works now.
    #[error("The change was made and works now, but the computer did not confirm that it reached the disk. Leave the computer on for a minute. If it loses power soon, the change may be undone: after a new passphrase or recovery code, keep the old one too until you next unlock.")]
    WrittenNotConfirmed,
    /// Reading a file of the store failed (not damage: permissions, a missing disk, ...).
    #[error("The journal files could not be read ({0}).")]
    ReadFailed(String),
    /// Input was not acceptable. `field` names the part, `reason` says why.
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    /// The record asked for does not exist (any more).
    #[error("That entry does not exist any more.")]
    RecordNotFound,
    /// The record clashes with one that exists (e.g. a second check-in for the same day).
    #[error("{0}")]
    Conflict(String),
    /// The file is not a Holdfast backup at all.
    #[error("This file is not a Holdfast backup.")]
    NotABackup,
    /// The backup was made by a newer version of the app.
    #[error("This backup was made by a newer version of Holdfast. Update the app to restore it.")]
    BackupNewerVersion,
    /// The backup passphrase is wrong.
    #[error("That backup passphrase is not right. Nothing was changed.")]
    BackupWrongPassphrase,
    /// The backup asks for key-derivation work (memory, passes, lanes) this app never uses:
    /// far more (a crafted file meant to hang the app or run it out of memory) or less. Refused
    /// before any of that work is done.
    #[error("This file was not opened: it asks for settings to unlock it that Holdfast never uses. It may not be a real Holdfast backup, or someone changed it. Nothing was changed.")]
    BackupUnusualSettings,
    /// The file is far larger than any backup this app writes; it was not read.
    #[error("This file is far bigger than any Holdfast backup, so it was not opened. Check that you picked the right file. Nothing was changed.")]
    BackupTooLarge,
    /// The backup file is cut short or was changed after it was made.
    #[error("This backup file is damaged ({0}). Nothing was changed.")]
    BackupDamaged(String),
    /// Something failed inside the app (random source, crypto library). Nothing was changed.
    #[error("Something went wrong inside the app ({0}). Nothing was changed.")]
    Internal(&'static str),
}

impl From<holdfast_domain::Invalid> for StoreError {
    fn from(err: holdfast_domain::Invalid) -> Self {
        Self::Invalid {
            field: err.field,
            reason: err.reason,
        }
    }
}

impl From<holdfast_domain::Internal> for StoreError {
    fn from(err: holdfast_domain::Internal) -> Self {
        Self::Internal(err.0)
    }
}

impl StoreError {
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            reason: reason.into(),
        }
    }

    /// Maps an I/O error met while writing.
    pub fn write(err: &std::io::Error) -> Self {
        if is_storage_full(err) {
            Self::StorageFull
        } else {
            Self::WriteFailed(io_reason(err))
        }
    }

    /// Maps an I/O error met while reading.
    pub fn read(err: &std::io::Error) -> Self {
        Self::ReadFailed(io_reason(err))
    }

    /// Maps an SQLite error met while writing journal data.
    pub(crate) fn db_write(err: &rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        match err.sqlite_error_code() {
            Some(C::DiskFull) => Self::StorageFull,
            Some(C::NotADatabase) | Some(C::DatabaseCorrupt) => {
                Self::Damaged("the journal file is damaged".to_owned())
            }
            Some(C::SystemIoFailure) => Self::WriteFailed(
                "the disk refused the write; it may be full or failing".to_owned(),
            ),
            Some(C::ReadOnly) | Some(C::PermissionDenied) | Some(C::CannotOpen) => {
                Self::WriteFailed("the journal file cannot be written to".to_owned())
            }
            Some(C::DatabaseBusy) | Some(C::DatabaseLocked) => {
                Self::WriteFailed("the journal is in use by another copy of the app".to_owned())
            }
            Some(C::TooBig) => Self::invalid("entry", "is too large"),
            _ => Self::Internal("database error"),
        }
    }
}

fn is_storage_full(err: &std::io::Error) -> bool {
    matches!(
        err.kind(),
        std::io::ErrorKind::StorageFull
            | std::io::ErrorKind::QuotaExceeded
            | std::io::ErrorKind::FileTooLarge
    ) || err.raw_os_error() == Some(27) // EFBIG on Linux: the process's file-size limit
}

fn io_reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match err.kind() {
        K::PermissionDenied => "permission denied",
        K::NotFound => "a file is missing",
        K::ReadOnlyFilesystem => "the disk is read-only",
        K::StorageFull | K::QuotaExceeded | K::FileTooLarge => "the disk is full",
        K::Interrupted => "interrupted",
        _ => "input/output error",
    }
    .to_owned()
}
