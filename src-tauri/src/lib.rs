//! The Holdfast app shell: starts Tauri, resolves the data folder and exposes thin commands.
//!
//! Commands parse their input, call `holdfast_core`, and map errors to [`IpcError`]. Nothing here
//! decides a domain question.

mod care;
mod clock;
mod commands;
mod journal;
mod notify;
mod reminders;
mod visit;

use std::ffi::OsString;
use std::time::Instant;

use holdfast_app::about::BuildFacts;
use holdfast_app::datadir::{self, DataDir, DataDirError, DATA_DIR_ENV};
use holdfast_app::{AppInfo, ContentPack, IpcError};
use holdfast_domain::emergency::NaloxoneTimer;
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
    pub journal: journal::Journal,
    /// "Now": the real clock, or a test clock in debug builds (`clock.rs`).
    pub clock: clock::Clock,
    /// Tells the reminder thread that what its schedule reads has changed.
    pub reminders_changed: reminders::Changed,
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
/// Debug builds only: `HOLDFAST_TEST_IDLE_SECS` replaces the idle-lock setting with seconds so
/// the end-to-end tests can watch the journal lock itself. Release builds ignore it.
fn idle_override() -> Option<std::time::Duration> {
    if cfg!(debug_assertions) {
        let secs: u64 = std::env::var("HOLDFAST_TEST_IDLE_SECS")
            .ok()?
            .parse()
            .ok()?;
        Some(std::time::Duration::from_secs(secs))
    } else {
        None
    }
}

/// Where backups go: `HOLDFAST_BACKUP_DIR` when set, otherwise "Holdfast backups" in the
/// person's Documents folder (or home folder when there is none).
fn backup_folder(app: &tauri::App) -> Option<std::path::PathBuf> {
    if let Some(dir) = std::env::var_os("HOLDFAST_BACKUP_DIR").filter(|d| !d.is_empty()) {
        return Some(std::path::PathBuf::from(dir));
    }
    let base = app
        .path()
        .document_dir()
        .or_else(|_| app.path().home_dir())
        .ok()?;
    Some(base.join("Holdfast backups"))
}

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
            commands::app_mode,
            commands::set_app_mode,
            commands::region_guide,
            commands::score_practice,
            commands::illustrations,
            journal::session_info,
            journal::passphrase_strength,
            journal::suggest_passphrase,
            journal::begin_setup,
            journal::finish_setup,
            journal::cancel_setup,
            journal::unlock,
            journal::recover,
            journal::lock,
            journal::touch,
            journal::set_idle_minutes,
            journal::change_passphrase,
            journal::begin_new_code,
            journal::confirm_new_code,
            journal::erase,
            journal::set_aside,
            journal::export_backup,
            journal::list_backups,
            journal::inspect_backup,
            journal::import_backup,
            journal::journal_view,
            journal::add_use,
            journal::update_use,
            journal::add_break,
            journal::update_break,
            journal::delete_record,
            journal::tolerance,
            journal::set_treatment,
            journal::restart_advice,
            care::checkin_today,
            care::checkin_on,
            care::list_checkins,
            care::add_checkin,
            care::update_checkin,
            care::list_triggers,
            care::add_trigger,
            care::rename_trigger,
            care::reorder_triggers,
            care::delete_trigger,
            care::list_support_people,
            care::add_support_person,
            care::update_support_person,
            care::reorder_support_people,
            care::delete_support_person,
            care::safety_plan,
            care::add_plan_item,
            care::update_plan_item,
            care::reorder_plan,
            care::set_making_safer,
            care::delete_plan_item,
            care::list_kits,
            care::add_kit,
            care::update_kit,
            care::mark_kit_used,
            care::delete_kit,
            care::trend,
            care::nudge,
            care::reminder_settings,
            care::set_reminder_settings,
            care::upcoming_reminders,
            care::launch_at_login,
            care::set_launch_at_login,
            visit::visit_walkthrough,
            visit::open_visit,
            visit::start_visit,
            visit::save_visit,
            visit::finish_visit,
            visit::get_visit,
            visit::list_visits,
            visit::delete_visit,
        ])
        .setup(move |app| {
            let path = match chosen {
                Some((path, _source)) => Ok(path),
                None => app
                    .path()
                    .app_data_dir()
                    .map_err(|_| DataDirError::NoDefault),
            };
            let data_dir_result = path.and_then(|p| DataDir::open(&p));
            if let Err(err) = &data_dir_result {
                // Said on stderr here and in the window by the UI (from AppInfo).
                eprintln!("holdfast: {err}");
            }
            let data_dir = data_dir_result.as_ref().ok().cloned();
            let journal = journal::Journal::new(
                data_dir.as_ref().map(DataDir::path),
                backup_folder(app),
                idle_override(),
            );
            app.manage(AppState {
                info: AppInfo::new(BUILD, &data_dir_result),
                data_dir,
                journal,
                started,
                report_startup,
                timer: NaloxoneTimer::new(timer_override()),
                content: OnceLock::new(),
                clock: clock::Clock::from_env(),
                reminders_changed: reminders::Changed::default(),
            });
            journal::watch_idle(app.handle().clone());
            // Desktop: notify-rust. Mobile would pass a notifier over tauri-plugin-notification
            // (see notify.rs).
            #[cfg(desktop)]
            reminders::watch(app.handle().clone(), Box::new(notify::DesktopNotifier));
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
