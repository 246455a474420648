//! Tauri commands. Each one parses, calls core and maps the error; none decides anything itself.

use holdfast_app::{settings, AppInfo, ErrorCode, IpcError};
use holdfast_domain::emergency::{self, PracticeResult, RegionGuide, RegionState};
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

pub(crate) fn system_region() -> Option<holdfast_content::Region> {
    let vars = ["LC_ALL", "LC_MESSAGES", "LANG"].map(|v| std::env::var(v).ok());
    emergency::region_from_locale_vars(vars.iter().map(Option::as_deref))
}

fn parse_region(code: &str) -> Result<holdfast_content::Region, IpcError> {
    emergency::parse_region(code).ok_or_else(|| {
        IpcError::new(
            ErrorCode::InvalidInput,
            "That region is not one Holdfast has help for. Choose one from the list.",
        )
    })
}

/// The region the emergency screens use, where that choice came from, and the choices.
#[tauri::command]
pub fn region_state(state: State<'_, AppState>) -> Result<RegionState, IpcError> {
    let (chosen, problem) = match state.data_dir() {
        Some(dir) => match settings::load(dir) {
            Ok(s) => (s.region, None),
            Err(e) => (None, Some(e.to_string())),
        },
        None => (None, None),
    };
    Ok(emergency::region_state(chosen, system_region(), problem))
}

/// Saves the person's region choice (a plain setting: emergency help needs it before unlock).
#[tauri::command]
pub fn set_region(state: State<'_, AppState>, region: String) -> Result<RegionState, IpcError> {
    let region = parse_region(&region)?;
    let dir = state.data_dir().ok_or_else(|| {
        IpcError::new(
            ErrorCode::DataDir,
            "The data folder cannot be used, so the choice is kept only until Holdfast closes.",
        )
    })?;
    settings::update(dir, |s| s.region = Some(region))?;
    Ok(emergency::region_state(Some(region), system_region(), None))
}

/// The emergency number, response steps, guides and lines for one region.
#[tauri::command]
pub fn region_guide(state: State<'_, AppState>, region: String) -> Result<RegionGuide, IpcError> {
    let region = parse_region(&region)?;
    let pack = state.content()?;
    Ok(emergency::region_guide(pack, region, state.timer.clone())?)
}

/// Scores a practice run of the region's response steps.
#[tauri::command]
pub fn score_practice(
    state: State<'_, AppState>,
    region: String,
    done_order: Vec<u32>,
) -> Result<PracticeResult, IpcError> {
    let region = parse_region(&region)?;
    let pack = state.content()?;
    let titles: Vec<String> = pack
        .response_steps(region)
        .into_iter()
        .map(|s| s.title)
        .collect();
    Ok(emergency::score_practice(&titles, &done_order)?)
}

/// The step illustrations (SVG text and its text alternative), compiled into the binary.
#[tauri::command]
pub fn illustrations() -> Result<Vec<holdfast_content::illustrations::Illustration>, IpcError> {
    holdfast_content::illustrations::embedded().map_err(|e| {
        IpcError::new(
            ErrorCode::Internal,
            format!("The pictures could not be loaded ({e})."),
        )
    })
}

/// Which path the app is on (`personal` or `helper`), or `None` before the person has chosen.
/// An unreadable or damaged settings file reads as "not chosen": Home then offers the choice
/// again, and the region screen already says what is wrong with the file.
#[tauri::command]
pub fn app_mode(state: State<'_, AppState>) -> Result<Option<settings::AppMode>, IpcError> {
    Ok(state
        .data_dir()
        .and_then(|dir| settings::load(dir).ok())
        .and_then(|s| s.mode))
}

/// Saves which path the app is on. Never touches the journal: switching to the helper path
/// only changes what Home shows.
#[tauri::command]
pub fn set_app_mode(
    state: State<'_, AppState>,
    mode: String,
) -> Result<settings::AppMode, IpcError> {
    let mode = settings::AppMode::parse(&mode).ok_or_else(|| {
        IpcError::new(
            ErrorCode::InvalidInput,
            "Holdfast did not understand that choice. Choose one of the two shown.",
        )
    })?;
    let dir = state.data_dir().ok_or_else(|| {
        IpcError::new(
            ErrorCode::DataDir,
            "The data folder cannot be used, so the choice is kept only until Holdfast closes.",
        )
    })?;
    Ok(settings::set_mode(dir, mode)?.mode.unwrap_or(mode))
}
