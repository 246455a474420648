//! Tauri commands. Each one parses, calls core and maps the error; none decides anything itself.

use holdfast_core::{AppInfo, IpcError};
use tauri::State;

use crate::AppState;

/// The About screen's facts: version, build and data folder (or why it cannot be used).
#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> Result<AppInfo, IpcError> {
    Ok(state.info.clone())
}

/// The UI calls this once its first screen has been painted. Returns the milliseconds since the
/// process's `main` began; with `HOLDFAST_REPORT_STARTUP` set it is also printed for the
/// start-up measurement script.
#[tauri::command]
pub fn first_render(state: State<'_, AppState>) -> Result<u64, IpcError> {
    let ms = u64::try_from(state.started.elapsed().as_millis()).unwrap_or(u64::MAX);
    if state.report_startup {
        println!("holdfast: first screen rendered after {ms} ms");
    }
    Ok(ms)
}
