//! Holdfast core: everything that decides something lives here, with no Tauri and no web view.
//!
//! The app shell (`src-tauri`) parses IPC input, calls into this crate and maps errors; the UI
//! only displays what this crate returns.

pub mod about;
pub mod autostart;
pub mod bindings;
pub mod care;
pub mod content;
pub mod datadir;
pub mod emergency;
pub mod ipc;
pub mod passphrase;
pub mod reminders;
pub mod session;
pub mod settings;
pub mod store;
pub mod tolerance;
pub mod trends;
pub mod visit;

pub use about::AppInfo;
pub use content::{ContentError, ContentPack};
pub use datadir::{DataDir, DataDirError};
pub use ipc::{ErrorCode, IpcError};
