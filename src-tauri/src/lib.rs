//! The Holdfast app shell: starts Tauri, resolves the data folder and exposes thin commands.
//!
//! Commands parse their input, call `holdfast_core`, and map errors to [`IpcError`]. Nothing here
//! decides a domain question.

mod commands;

use std::ffi::OsString;
use std::time::Instant;

use holdfast_core::about::BuildFacts;
use holdfast_core::datadir::{self, DataDir, DataDirError, DATA_DIR_ENV};
use holdfast_core::emergency::NaloxoneTimer;
use holdfast_core::{AppInfo, ContentPack, IpcError};
use std::sync::OnceLock;
use tauri::Manager;

/// Exit code when the command line cannot be understood.
pub const EXIT_USAGE: i32 = 2;
/// Exit code when there is no graphical display to open a window on.
pub const EXIT_NO_DISPLAY: i32 = 3;
/// Exit code when Tauri itself fails to start.
pub const EXIT_STARTUP: i32 = 1;

/// State shared with the commands.
#[derive(Debug)]
pub struct AppState {
    pub info: AppInfo,
    pub data_dir: Option<DataDir>,
    pub started: Instant,
    pub report_startup: bool,
    pub timer: NaloxoneTimer,
    content: OnceLock<Result<ContentPack, IpcError>>,
}

impl AppState {
    /// The data folder, when it can be used.
    pub fn data_dir(&self) -> Option<&std::path::Path> {
        self.data_dir.as_ref().map(DataDir::path)
    }

    /// The safety content compiled into the binary, parsed on first use.
    pub fn content(&self) -> Result<&ContentPack, IpcError> {
        self.content
            .get_or_init(|| ContentPack::embedded().map_err(IpcError::from))
            .as_ref()
            .map_err(Clone::clone)
    }
}

/// Debug builds only: `HOLDFAST_TEST_SECOND_DOSE_SECS` shortens the naloxone timer so the
/// end-to-end tests can see the second-dose prompt. Release builds ignore it.
fn timer_override() -> Option<u32> {
    if cfg!(debug_assertions) {
        std::env::var("HOLDFAST_TEST_SECOND_DOSE_SECS")
            .ok()?
            .parse()
            .ok()
    } else {
        None
    }
}

const BUILD: BuildFacts<'static> = BuildFacts {
    version: env!("CARGO_PKG_VERSION"),
    profile: env!("HOLDFAST_PROFILE"),
    commit: env!("HOLDFAST_COMMIT"),
    target: env!("HOLDFAST_TARGET"),
};

/// Runs the app and returns the process exit code.
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() -> i32 {
    let started = Instant::now();
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let (chosen, unknown) = match datadir::choose(args, std::env::var_os(DATA_DIR_ENV), None) {
        Ok(choice) => choice,
        Err(err) => {
            eprintln!("holdfast: {err}");
            return EXIT_USAGE;
        }
    };
    for arg in unknown {
        eprintln!(
            "holdfast: ignoring unknown argument {}",
            arg.to_string_lossy()
        );
    }
    #[cfg(desktop)]
    if let Some(problem) = missing_display() {
        eprintln!("holdfast: {problem}");
        return EXIT_NO_DISPLAY;
    }
    let report_startup = std::env::var_os("HOLDFAST_REPORT_STARTUP").is_some();

    let result = tauri::Builder::default()
        .plugin(tauri_plugin_opener::init())
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::first_render,
            commands::region_state,
            commands::set_region,
            commands::region_guide,
            commands::score_practice,
            commands::illustrations
        ])
        .setup(move |app| {
            let path = match chosen {
                Some((path, _source)) => Ok(path),
                None => app
                    .path()
                    .app_data_dir()
                    .map_err(|_| DataDirError::NoDefault),
            };
            let data_dir = path.and_then(|p| DataDir::open(&p));
            if let Err(err) = &data_dir {
                // Said on stderr here and in the window by the UI (from AppInfo).
                eprintln!("holdfast: {err}");
            }
            app.manage(AppState {
                info: AppInfo::new(BUILD, &data_dir),
                data_dir: data_dir.ok(),
                started,
                report_startup,
                timer: NaloxoneTimer::new(timer_override()),
                content: OnceLock::new(),
            });
            Ok(())
        })
        .run(tauri::generate_context!("../tauri.conf.json"));
    match result {
        Ok(()) => 0,
        Err(err) => {
            eprintln!("holdfast: could not start: {err}");
            EXIT_STARTUP
        }
    }
}

/// On Linux and the BSDs a window needs an X11 or Wayland display.
#[cfg(desktop)]
fn missing_display() -> Option<&'static str> {
    #[cfg(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd",
        target_os = "dragonfly"
    ))]
    {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        if !set("DISPLAY") && !set("WAYLAND_DISPLAY") {
            return Some("no graphical display found (DISPLAY and WAYLAND_DISPLAY are unset); Holdfast needs a desktop session to open its window.");
        }
    }
    None
}
