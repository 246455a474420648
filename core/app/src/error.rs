//! The app layer's own refusals: input a use case does not accept, and what a device lacks. Each
//! message is written for the person; [`crate::ipc`] gives each its code.

/// Why a use case refused or could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppError {
    /// A guided-response command came with no guide running.
    #[error(
        "The guided response is not running. Open it again from \"Someone may be overdosing\"."
    )]
    NoGuide,
    /// The engine named a step the content does not have (a defect the tests rule out).
    #[error("This step is missing from the response steps. Use the steps on screen and call your local emergency number.")]
    GuideStep,
    /// There is no usable data folder, so there is no journal.
    #[error("The data folder cannot be used, so there is no journal. The About screen says why.")]
    NoJournal,
    /// A plain setting could not be saved because there is no usable data folder.
    #[error("The data folder cannot be used, so the choice is kept only until Holdfast closes.")]
    ChoiceNotKept,
    /// No folder to keep backups in.
    #[error("There is no folder to keep backups in (no Documents or home folder was found).")]
    NoBackupFolder,
    /// A region code Holdfast has no help for.
    #[error("That region is not one Holdfast has help for. Choose one from the list.")]
    UnknownRegion,
    /// A mode other than the two offered.
    #[error("Holdfast did not understand that choice. Choose one of the two shown.")]
    UnknownMode,
    /// An idle-lock time that is not one of the offered choices.
    #[error("Choose one of the times in the list.")]
    NotAnIdleChoice,
    /// A last-dose date after today.
    #[error("The last dose date is still to come. Choose the day you last took it.")]
    LastDoseInFuture,
    /// An empty or over-long backup path.
    #[error("Choose a backup file from the list, or type its full path.")]
    NoBackupPath,
    /// A relative backup path.
    #[error("Type the backup file's full path, starting with /.")]
    BackupPathNotAbsolute,
    /// This device starts apps its own way (a phone).
    #[error("Starting at login is not available on this device.")]
    NoStartAtLogin,
    /// The program's own path is unknown, so no start-up entry can point at it.
    #[error("Holdfast could not find its own program file, so it cannot start at login.")]
    NoProgramFile,
    /// The step illustrations could not be read.
    #[error("The pictures could not be loaded ({0}).")]
    Pictures(String),
    /// The page's start-up timeline broke its bounds (see [`crate::startup`]).
    #[error("The start-up report was not understood ({0}).")]
    BadTimeline(#[from] crate::startup::TimelineError),
    /// An address that is neither one the content pack holds nor a plain phone number
    /// (security review M6).
    #[error("Holdfast opens only the numbers and websites it shows. This one was not opened.")]
    LinkNotAllowed,
    /// The system could not open an address (no dialler, no browser).
    #[error("This device could not open it ({0}).")]
    LinkNotOpened(String),
    /// A call the UI never makes, or with arguments it never sends, stopped by the web view's
    /// isolation hook (security review M6).
    #[error("Holdfast refused a request it does not make ({0}). Nothing was changed.")]
    Refused(String),
    /// A worker thread stopped before it answered.
    #[error("Something went wrong inside Holdfast. Nothing was changed.")]
    Interrupted,
}
