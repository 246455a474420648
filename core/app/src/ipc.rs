//! The error shape that crosses IPC: a code the UI can act on and a message a person can read.
//! It never carries SQL, secrets or stack traces.
//!
//! This module is the one place where other errors become an [`IpcError`]: every
//! `From<…> for IpcError` is here, and nothing below this crate knows the IPC shape.

use holdfast_store::StoreError;
use serde::Serialize;
use ts_rs::TS;

use crate::autostart::AutostartError;
use crate::AppError;

/// What kind of failure an IPC call met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input was not acceptable; the message says which part and why.
    InvalidInput,
    /// The data folder cannot be used.
    DataDir,
    /// A non-personal setting could not be read or saved.
    Settings,
    /// Something failed inside the app; nothing was changed.
    Internal,
    /// A journal already exists where a new one was to be set up.
    AlreadyExists,
    /// There is no journal yet (first run).
    NotCreated,
    /// The passphrase (store or backup) is not right. There is no lockout; the user may retry.
    WrongPassphrase,
    /// The recovery code is not right.
    WrongRecoveryCode,
    /// A file (journal, key file or backup) is damaged; nothing was changed.
    Damaged,
    /// The data was written by a newer version of the app.
    NewerVersion,
    /// The journal is locked; unlock it first.
    Locked,
    /// The disk is full; nothing from this step was saved.
    StorageFull,
    /// Reading or writing the journal's files failed for another reason.
    Storage,
    /// The record does not exist.
    NotFound,
    /// The record clashes with an existing one.
    Conflict,
}

/// An error as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
}

impl IpcError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl From<crate::DataDirError> for IpcError {
    fn from(err: crate::DataDirError) -> Self {
        Self::new(ErrorCode::DataDir, err.to_string())
    }
}

impl From<holdfast_domain::emergency::PracticeError> for IpcError {
    fn from(err: holdfast_domain::emergency::PracticeError) -> Self {
        Self::new(ErrorCode::InvalidInput, err.to_string())
    }
}

impl From<holdfast_domain::response::ProtocolError> for IpcError {
    fn from(e: holdfast_domain::response::ProtocolError) -> Self {
        Self::new(ErrorCode::Internal, e.to_string())
    }
}

impl From<holdfast_domain::response::ResponseError> for IpcError {
    fn from(e: holdfast_domain::response::ResponseError) -> Self {
        Self::new(ErrorCode::InvalidInput, e.to_string())
    }
}

impl From<holdfast_domain::emergency::GuideError> for IpcError {
    fn from(err: holdfast_domain::emergency::GuideError) -> Self {
        Self::new(ErrorCode::Internal, err.to_string())
    }
}

impl From<crate::settings::SettingsError> for IpcError {
    fn from(err: crate::settings::SettingsError) -> Self {
        Self::new(ErrorCode::Settings, err.to_string())
    }
}

impl From<crate::ContentError> for IpcError {
    fn from(err: crate::ContentError) -> Self {
        // A content defect: the tests guard against it, but the person still needs a way out.
        Self::new(
            ErrorCode::Internal,
            format!("Holdfast's help content could not be loaded ({err}). Call your local emergency number."),
        )
    }
}

impl From<holdfast_content::search::SearchError> for IpcError {
    fn from(err: holdfast_content::search::SearchError) -> Self {
        // SQLite in memory: fails only on a defect or when memory runs out. The guide list is
        // still there.
        Self::new(
            ErrorCode::Internal,
            format!(
                "Search is not working right now ({err}). Every guide is still in the list below."
            ),
        )
    }
}

impl From<AutostartError> for IpcError {
    fn from(err: AutostartError) -> Self {
        let code = match err {
            AutostartError::NoFolder | AutostartError::UnusableProgramPath => ErrorCode::Internal,
            AutostartError::Write(_) | AutostartError::Remove(_) => ErrorCode::Storage,
        };
        Self::new(code, err.to_string())
    }
}

impl From<StoreError> for IpcError {
    fn from(err: StoreError) -> Self {
        let code = match &err {
            StoreError::AlreadyExists => ErrorCode::AlreadyExists,
            StoreError::NotCreated => ErrorCode::NotCreated,
            StoreError::WrongPassphrase | StoreError::BackupWrongPassphrase => {
                ErrorCode::WrongPassphrase
            }
            StoreError::WrongRecoveryCode => ErrorCode::WrongRecoveryCode,
            StoreError::Damaged(_)
            | StoreError::BackupDamaged(_)
            | StoreError::NotABackup
            | StoreError::BackupUnusualSettings
            | StoreError::BackupTooLarge => ErrorCode::Damaged,
            StoreError::NewerVersion | StoreError::BackupNewerVersion => ErrorCode::NewerVersion,
            StoreError::Locked => ErrorCode::Locked,
            StoreError::StorageFull => ErrorCode::StorageFull,
            StoreError::Invalid { .. } => ErrorCode::InvalidInput,
            StoreError::RecordNotFound => ErrorCode::NotFound,
            StoreError::Conflict(_) => ErrorCode::Conflict,
            StoreError::WriteFailed(_)
            | StoreError::WrittenNotConfirmed
            | StoreError::ReadFailed(_) => ErrorCode::Storage,
            StoreError::EncryptionUnavailable | StoreError::Internal(_) => ErrorCode::Internal,
        };
        IpcError::new(code, err.to_string())
    }
}

impl From<holdfast_domain::Invalid> for IpcError {
    fn from(err: holdfast_domain::Invalid) -> Self {
        StoreError::from(err).into()
    }
}

impl From<holdfast_domain::Internal> for IpcError {
    fn from(err: holdfast_domain::Internal) -> Self {
        StoreError::from(err).into()
    }
}

impl From<AppError> for IpcError {
    fn from(err: AppError) -> Self {
        let code = match err {
            AppError::NoJournal | AppError::ChoiceNotKept => ErrorCode::DataDir,
            AppError::NoBackupFolder => ErrorCode::Storage,
            AppError::UnknownRegion
            | AppError::UnknownMode
            | AppError::NotAnIdleChoice
            | AppError::LastDoseInFuture
            | AppError::NoBackupPath
            | AppError::BackupPathNotAbsolute
            | AppError::NoStartAtLogin
            | AppError::BadTimeline(_)
            | AppError::NoGuide
            | AppError::LinkNotAllowed
            | AppError::Refused(_) => ErrorCode::InvalidInput,
            AppError::LinkNotOpened(_) => ErrorCode::Internal,
            AppError::GuideStep => ErrorCode::Internal,
            AppError::NoProgramFile | AppError::Pictures(_) | AppError::Interrupted => {
                ErrorCode::Internal
            }
        };
        Self::new(code, err.to_string())
    }
}
