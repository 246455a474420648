//! The use cases: one `App` method per command in `holdfast_commands::with_commands!`, grouped
//! by what they are about. Each takes the command's arguments as they arrive over IPC, applies
//! the rules that are about using the app (which region, which idle choices, what needs an open
//! journal, backup paths, dates still to come), calls the domain and the store, and returns the
//! answer or an [`IpcError`](crate::IpcError). The shell only adapts.

mod backups;
mod checkins;
mod emergency;
pub mod guided;
mod journal;
mod kits;
mod plan;
mod reminders;
mod session;
mod visits;
