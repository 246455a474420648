//! Holdfast's use cases: everything the app does for a command, with no Tauri and no web view.
//!
//! The shell (`src-tauri`) turns each IPC call into one call here and hands back what it returns.
//! This crate owns the session (unlocking, the idle lock), the plain settings, every command's
//! rules and the IPC contract (`ipc`: the error shape, `bindings`: the TypeScript types and the
//! command list). What only a real device can do (the system locale, the backup folder, start at
//! login, telling the reminder thread) comes through the [`Host`] the shell provides.

pub mod about;
pub mod autostart;
pub mod bindings;
pub mod datadir;
pub mod ipc;
pub mod reads;
pub mod session;
pub mod settings;

pub use about::AppInfo;
pub use datadir::{DataDir, DataDirError};
pub use holdfast_content::{ContentError, ContentPack};
pub use ipc::{ErrorCode, IpcError};
