//! Commands for the peer visit walk-through: the steps for the person's region, and the visit
//! record (start, save progress, finish, list, delete). Each one parses, calls `holdfast_core`
//! and maps the error. Saving a next-visit date tells the reminder thread to work the schedule
//! out again.

use chrono::Local;
use holdfast_app::IpcError;
use holdfast_domain::care;
use holdfast_domain::records::{RecordId, Stored, Visit};
use holdfast_domain::walkthrough::{self as visit, Walkthrough};
use tauri::State;

use crate::AppState;

/// The walk-through for the person's region. Not personal: shown without the journal.
#[tauri::command(async)]
pub fn visit_walkthrough(state: State<'_, AppState>) -> Result<Walkthrough, IpcError> {
    let pack = state.content()?;
    Ok(visit::walkthrough(pack, crate::care::region(&state)))
}

/// The open visit (being walked through, or paused), if any.
#[tauri::command(async)]
pub fn open_visit(state: State<'_, AppState>) -> Result<Option<Stored<Visit>>, IpcError> {
    crate::care::with_store(&state, |s| Ok(s.open_visit()?))
}

/// Starts a visit now. Refused (conflict) while another is open.
#[tauri::command(async)]
pub fn start_visit(state: State<'_, AppState>) -> Result<Stored<Visit>, IpcError> {
    let started = care::event_time(state.clock.now_for_records(), &Local);
    crate::care::with_store(&state, |s| Ok(s.start_visit(started)?))
}

/// Saves an open visit's progress; returns it as stored (tidied).
#[tauri::command(async)]
pub fn save_visit(
    state: State<'_, AppState>,
    id: RecordId,
    visit: Visit,
) -> Result<Stored<Visit>, IpcError> {
    crate::care::changing(&state, |s| Ok(s.save_visit(id, &visit)?))
}

/// Finishes an open visit; returns its summary.
#[tauri::command(async)]
pub fn finish_visit(state: State<'_, AppState>, id: RecordId) -> Result<Stored<Visit>, IpcError> {
    crate::care::changing(&state, |s| Ok(s.finish_visit(id)?))
}

/// One visit.
#[tauri::command(async)]
pub fn get_visit(state: State<'_, AppState>, id: RecordId) -> Result<Stored<Visit>, IpcError> {
    crate::care::with_store(&state, |s| Ok(s.get_visit(id)?))
}

/// Every visit, newest first.
#[tauri::command(async)]
pub fn list_visits(state: State<'_, AppState>) -> Result<Vec<Stored<Visit>>, IpcError> {
    crate::care::with_store(&state, |s| Ok(s.list_visits()?))
}

/// Deletes a visit's record.
#[tauri::command(async)]
pub fn delete_visit(state: State<'_, AppState>, id: RecordId) -> Result<(), IpcError> {
    crate::care::changing(&state, |s| Ok(s.delete_visit(id)?))
}
