//! The Holdfast app shell: starts Tauri, resolves the data folder and the backup folder, and
//! adapts: every command is a generated one-line adapter over `holdfast_app::App` (see
//! `commands.rs`), and two threads (the idle lock and the reminders) call into the app.
//! Nothing here decides a domain question.

mod clock;
mod commands;
mod host;
mod notify;
mod reminders;
mod speech;

use std::ffi::OsString;
use std::sync::Arc;
use std::time::Instant;

use holdfast_app::about::BuildFacts;
use holdfast_app::datadir::{DataDir, DataDirError, DATA_DIR_ENV};
use holdfast_app::launch::{self, FirstScreen, Launch};
use holdfast_app::links::is_bound_to;
use holdfast_app::{App, AppInfo, Config, KdfParams};
use tauri::{AppHandle, Emitter, Manager, WebviewUrl, WebviewWindowBuilder};

use commands::handler;

/// Exit code when the command line cannot be understood.
pub const EXIT_USAGE: i32 = 2;
/// Exit code when there is no graphical display to open a window on.
pub const EXIT_NO_DISPLAY: i32 = 3;
/// Exit code when Tauri itself fails to start.
pub const EXIT_STARTUP: i32 = 1;

/// The event the UI hears when the journal locks itself.
pub const LOCKED_EVENT: &str = "journal-locked";

/// A crash must not leave a core file with the journal's key or its records in it (security review
/// L10). The core file size limit is set to zero, soft and hard, for this process and everything
/// it starts (WebKit's processes inherit it). The process is also marked not dumpable, so a crash
/// reporter that ignores the limit (Ubuntu's apport) gets no core from it, and another program of
/// the same user cannot attach a debugger or read its memory. WebKit's processes lose that mark
/// when they start (exec resets it); they keep the zero limit.
fn no_core_dumps() {
    #[cfg(unix)]
    {
        use nix::sys::resource::{setrlimit, Resource};
        if let Err(e) = setrlimit(Resource::RLIMIT_CORE, 0, 0) {
            eprintln!("holdfast: could not turn core dumps off: {e}");
        }
    }
    #[cfg(target_os = "linux")]
    if let Err(e) = nix::sys::prctl::set_dumpable(false) {
        eprintln!("holdfast: could not mark the process not dumpable: {e}");
    }
}

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
    no_core_dumps();
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let (launch, unknown) = match launch::parse(args, std::env::var_os(DATA_DIR_ENV), None) {
        Ok(parsed) => parsed,
        Err(err) => {
            eprintln!("holdfast: {err}");
            return EXIT_USAGE;
        }
    };
    let Launch {
        data_dir: chosen,
        first_screen,
    } = launch;
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

    // No opener plugin: the page cannot hand an address to the system itself. Links go through
    // the `open_link` command, which opens only what the app shows (security review M6).
    let commands = command_handler();
    let result = tauri::Builder::default()
        .invoke_handler(move |invoke| {
            // Only a payload the isolation hook approved for this very command (security
            // review M6): the name travels outside the encrypted payload, the approval inside.
            let bound = match invoke.message.payload() {
                tauri::ipc::InvokeBody::Json(v) => is_bound_to(invoke.message.command(), v),
                tauri::ipc::InvokeBody::Raw(_) => false,
            };
            if !bound {
                invoke.resolver.reject(holdfast_app::wire::IpcError::from(
                    holdfast_app::AppError::Refused("not approved for this command".to_owned()),
                ));
                return true;
            }
            commands(invoke)
        })
        .setup(move |app| {
            let setup_began = Instant::now();
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
            let config = Config {
                info: AppInfo::new(BUILD, &data_dir_result),
                data_dir: data_dir_result.as_ref().ok().cloned(),
                backup_folder: backup_folder(app),
                idle_override: idle_override(),
                second_dose_secs: timer_override(),
                started,
                report_startup,
                kdf: KdfParams::PRODUCTION,
            };
            app.manage(App::new(
                config,
                Arc::new(clock::Clock::from_env()),
                Box::new(host::Desktop::new()),
            ));
            app.state::<App>()
                .note_startup_at("setup began", setup_began);
            app.state::<App>().note_startup("app state ready");
            watch_idle(app.handle().clone());
            // Desktop: notify-rust. Mobile would pass a notifier over tauri-plugin-notification
            // (see notify.rs).
            #[cfg(desktop)]
            reminders::watch(app.handle().clone(), Box::new(notify::DesktopNotifier));
            // Last, so every command the page calls finds the app managed.
            open_main_window(app, first_screen)?;
            app.state::<App>().note_startup("window built");
            // The content pack (parsed once, about 0.2 s of one core) is read on another thread
            // while the page loads, so the first `region_guide` finds it ready. (Started before the
            // window, it slowed the window's creation by about 80 ms on 2 cores.)
            let warm = app.handle().clone();
            std::thread::spawn(move || {
                let state = warm.state::<App>();
                let _ = state.content();
                state.note_startup("content pack parsed");
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

/// Every command's adapter, as one Tauri invoke handler.
fn command_handler() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
    holdfast_commands::with_commands!(handler)
}

/// The label of the one window, as `tauri.conf.json` and the capability name it.
const MAIN_WINDOW: &str = "main";

/// Opens the main window on `first_screen`. `tauri.conf.json` describes the window but does not
/// create it (`"create": false`), so its first page can be chosen here: with `--emergency` the
/// page is loaded at `#/emergency` from the start, and Home is never drawn first.
fn open_main_window(app: &tauri::App, first_screen: FirstScreen) -> tauri::Result<()> {
    let Some(window) = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN_WINDOW)
    else {
        return Err(tauri::Error::WindowNotFound);
    };
    let mut window = window.clone();
    window.url = WebviewUrl::App(first_screen.page().into());
    // The mode and region the first screen needs, before any IPC (holdfast_app::startup).
    let boot = app.state::<App>().boot_script();
    let mut builder = WebviewWindowBuilder::from_config(app, &window)?;
    // WebKit's own storage goes in the cache folder, not beside the journal: Tauri's default is
    // the app's local data folder, which on Linux is the journal's folder (security review L6).
    // (Not `incognito`: WebKitGTK's ephemeral context would not take automation, which the
    // end-to-end tests drive the window through. The UI keeps nothing in web storage.)
    if let Ok(cache) = app.path().app_cache_dir() {
        builder = builder.data_directory(cache.join("webview"));
    }
    builder
        .initialization_script(&boot)
        // The window shows only the app's own pages (security review M6): a stray link, a
        // `tel:` anchor or an injected `location = ...` does not load anything else, and no
        // page can open a second window. (Tauri lets its isolation frame through before this.)
        .on_navigation(|url| {
            let ok = holdfast_app::links::is_app_page(url.scheme(), url.host_str());
            if !ok {
                eprintln!(
                    "holdfast: refused to navigate to a {} address",
                    url.scheme()
                );
            }
            ok
        })
        .on_new_window(|_, _| tauri::webview::NewWindowResponse::Deny)
        .build()?;
    Ok(())
}

/// Starts the thread that locks the journal after the idle time and tells the window.
fn watch_idle(handle: AppHandle) {
    std::thread::spawn(move || loop {
        std::thread::sleep(std::time::Duration::from_secs(1));
        if handle.state::<App>().lock_if_idle() {
            // The window may be closing; then there is nobody to tell.
            let _ = handle.emit(LOCKED_EVENT, ());
        }
    });
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
