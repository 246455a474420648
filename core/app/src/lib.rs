//! Holdfast's use cases: everything the app does for a command, with no Tauri and no web view.
//!
//! The shell (`src-tauri`) turns each IPC call into one call of an [`App`] method and hands back
//! what it returns. This crate owns the session (unlocking, the idle lock), the plain settings
//! (loaded once), every command's rules ([`handlers`]) and the IPC contract ([`ipc`]: the error
//! shape and every mapping into it; [`commands`] and [`bindings`]: the TypeScript types and the
//! typed command map). What only a device can answer (the system locale, start at login) comes
//! through the [`Host`] the shell provides; "now" comes from one [`holdfast_domain::Clock`],
//! which the store uses too.

pub mod about;
mod app;
pub mod autostart;
pub mod bindings;
pub mod commands;
pub mod datadir;
mod error;
pub mod handlers;
mod host;
pub mod ipc;
pub mod launch;
pub mod links;
pub mod reads;
pub mod reminders;
pub mod session;
pub mod settings;
pub mod startup;

pub use about::AppInfo;
pub use app::{App, Config};
pub use datadir::{DataDir, DataDirError};
pub use error::AppError;
pub use holdfast_content::{ContentError, ContentPack};
pub use holdfast_domain::Clock;
pub use holdfast_store::KdfParams;
pub use host::{Host, NoHost, VoiceStatus, NO_VOICE};
pub use ipc::{ErrorCode, IpcError};

/// Every type that crosses IPC in a command's arguments or result, under one path, so the
/// command list (`holdfast_commands::with_commands!`) means the same types wherever it is
/// expanded.
pub mod wire {
    pub use chrono::NaiveDate;
    pub use holdfast_content::illustrations::Illustration;
    pub use holdfast_content::search::SearchResults;
    pub use holdfast_domain::checkin::CheckinSaved;
    pub use holdfast_domain::emergency::{PracticeResult, RegionGuide, RegionState};
    pub use holdfast_domain::kits::KitView;
    pub use holdfast_domain::passphrase::Strength;
    pub use holdfast_domain::records::{
        BreakEntry, Checkin, MakingSafer, NaloxoneKit, PlanItem, PlanSection, RecordId, RecordKind,
        SafetyPlan, Stored, SupportPerson, Trigger, UseEntry, Visit,
    };
    pub use holdfast_domain::reminders::{Reminder, ReminderSettings};
    pub use holdfast_domain::response::{Choice, PacerCue, PracticeSummary};
    pub use holdfast_domain::tolerance::view::{RestartView, ToleranceView};
    pub use holdfast_domain::tolerance::{Medicine, Treatment};
    pub use holdfast_domain::trends::{Nudge, Trend};
    pub use holdfast_domain::walkthrough::Walkthrough;
    pub use holdfast_store::{BackupSummary, SetAside};

    pub use crate::autostart::AutostartState;
    pub use crate::handlers::guided::{GuidedView, VoiceSettings};
    pub use crate::session::{BackupFile, JournalView, SessionInfo, SetupCode};
    pub use crate::settings::AppMode;
    pub use crate::startup::{StartupMark, StartupTimeline};
    pub use crate::{AppInfo, IpcError};
}
