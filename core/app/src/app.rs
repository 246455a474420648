//! The running app: its state, owned once, and the helpers every use case shares. The use cases
//! themselves are `impl App` blocks in [`crate::handlers`], one method per command of
//! `holdfast_commands::with_commands!`.

use std::collections::HashMap;
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, TryLockError};
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, Local, NaiveDate, Utc};
use holdfast_content::search::SearchIndex;
use holdfast_content::{ContentPack, Region};
use holdfast_domain::emergency::{self, NaloxoneTimer};
use holdfast_domain::Clock;
use holdfast_store::{Changes, KdfParams, Store, StoreOptions};

use crate::session::{Session, SessionInfo, ERASE_WORD};
use crate::settings::{self, Settings, IDLE_CHOICES};
use crate::{AppError, AppInfo, DataDir, Host, IpcError};

/// What the shell found out before the app starts.
#[derive(Debug)]
pub struct Config {
    /// The About screen's facts.
    pub info: AppInfo,
    /// The data folder, when it can be used.
    pub data_dir: Option<DataDir>,
    /// Where backups are written and looked for.
    pub backup_folder: Option<PathBuf>,
    /// Debug builds only: an idle lock in seconds instead of the setting (end-to-end tests).
    pub idle_override: Option<Duration>,
    /// Debug builds only: the naloxone timer's second-dose prompt after this many seconds.
    pub second_dose_secs: Option<u32>,
    /// When the process started (for the start-up measurement).
    pub started: Instant,
    /// Whether to print the first-render time (the start-up measurement script asks for it).
    pub report_startup: bool,
    /// Cost of key derivation for new key slots and backups (tests use a cheap one).
    pub kdf: KdfParams,
}

/// The plain settings as loaded once at start, and kept in step with every change.
#[derive(Debug, Default)]
struct Loaded {
    settings: Settings,
    /// Why the file could not be read, until it can be or a setting is saved.
    problem: Option<String>,
}

/// The app's state. Every command is a method (see [`crate::handlers`]).
#[derive(Debug)]
pub struct App {
    pub(crate) info: AppInfo,
    data_dir: Option<DataDir>,
    backup_folder: Option<PathBuf>,
    idle_override: Option<Duration>,
    pub(crate) timer: NaloxoneTimer,
    pub(crate) started: Instant,
    pub(crate) report_startup: bool,
    /// The shell's start-up steps, in ms from `main()` (see [`crate::startup`]).
    pub(crate) startup_marks: Mutex<Vec<(f64, &'static str)>>,
    session: Option<Mutex<Session>>,
    /// Set by the idle watcher when it found the session busy (a long operation holds it): the
    /// idle check then runs as the operation lets go of it (security review M2).
    idle_check_waiting: AtomicBool,
    /// Set when that late check locked the journal, so the watcher's next tick tells the window.
    idle_locked_late: AtomicBool,
    settings: Mutex<Loaded>,
    /// Held while the settings file is written, so two saves cannot interleave; readers never
    /// wait for the disk.
    settings_writer: Mutex<()>,
    content: OnceLock<Result<ContentPack, IpcError>>,
    /// The addresses the content pack holds, the only web pages the app opens (M6).
    links: OnceLock<crate::links::Links>,
    /// Each region's guide search, built on its first search.
    search: Mutex<HashMap<Region, SearchIndex>>,
    clock: Arc<dyn Clock>,
    /// Shared with the store: the tables each write touched (the reminder thread reads it).
    pub(crate) changes: Changes,
    pub(crate) host: Box<dyn Host>,
    /// The guided overdose response in progress, in memory only.
    pub(crate) guided: Mutex<Option<crate::handlers::guided::Guided>>,
}

/// A lock that a panic elsewhere must not switch off: every method leaves the state whole.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl App {
    /// The app, with the plain settings read once from the data folder.
    pub fn new(config: Config, clock: Arc<dyn Clock>, host: Box<dyn Host>) -> Self {
        let changes = Changes::default();
        let options = StoreOptions {
            clock: Arc::clone(&clock),
            changes: changes.clone(),
            ..StoreOptions::with_kdf(config.kdf)
        };
        let dir = config.data_dir.as_ref().map(DataDir::path);
        let loaded = match dir.map(settings::load) {
            Some(Ok(settings)) => Loaded {
                settings,
                problem: None,
            },
            Some(Err(e)) => Loaded {
                settings: Settings::default(),
                problem: Some(e.to_string()),
            },
            None => Loaded::default(),
        };
        Self {
            session: dir.map(|d| Mutex::new(Session::new(d, options, Instant::now()))),
            idle_check_waiting: AtomicBool::new(false),
            idle_locked_late: AtomicBool::new(false),
            info: config.info,
            data_dir: config.data_dir,
            backup_folder: config.backup_folder,
            idle_override: config.idle_override,
            timer: NaloxoneTimer::new(config.second_dose_secs),
            started: config.started,
            report_startup: config.report_startup,
            startup_marks: Mutex::new(Vec::new()),
            settings: Mutex::new(loaded),
            settings_writer: Mutex::new(()),
            content: OnceLock::new(),
            links: OnceLock::new(),
            search: Mutex::new(HashMap::new()),
            clock,
            changes,
            host,
            guided: Mutex::new(None),
        }
    }

    /// Notes a start-up step of the shell's (for the timeline `first_render` prints).
    pub fn note_startup(&self, what: &'static str) {
        if self.report_startup {
            let ms = self.started.elapsed().as_secs_f64() * 1000.0;
            lock(&self.startup_marks).push((ms, what));
        }
    }

    /// Notes a start-up step of the shell's that happened at `at` (before the app existed).
    pub fn note_startup_at(&self, what: &'static str, at: Instant) {
        if self.report_startup {
            let ms = at.saturating_duration_since(self.started).as_secs_f64() * 1000.0;
            lock(&self.startup_marks).push((ms, what));
        }
    }

    /// The shell's start-up steps noted so far.
    pub(crate) fn startup_marks(&self) -> Vec<(f64, &'static str)> {
        lock(&self.startup_marks).clone()
    }

    /// Now, by the app's one clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Today's local calendar date, by the app's clock.
    pub(crate) fn today(&self) -> NaiveDate {
        self.now().with_timezone(&Local).date_naive()
    }

    /// The data folder, when it can be used.
    pub(crate) fn data_dir(&self) -> Option<&Path> {
        self.data_dir.as_ref().map(DataDir::path)
    }

    /// The safety content compiled into the binary, parsed on first use.
    pub fn content(&self) -> Result<&ContentPack, IpcError> {
        self.content
            .get_or_init(|| ContentPack::embedded().map_err(IpcError::from))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The addresses the app may open, read from the content pack on first use.
    pub(crate) fn links(&self) -> Result<&crate::links::Links, IpcError> {
        let pack = self.content()?;
        Ok(self.links.get_or_init(|| crate::links::Links::of(pack)))
    }

    /// The guide search indexes, by region.
    pub(crate) fn search_indexes(&self) -> MutexGuard<'_, HashMap<Region, SearchIndex>> {
        lock(&self.search)
    }

    /// The plain settings as they are now. While the file could not be read, it is read again
    /// (as every read did before settings were kept in memory), so a file that becomes readable,
    /// or is mended by hand, is picked up without a restart.
    pub(crate) fn settings(&self) -> Settings {
        let has_problem = lock(&self.settings).problem.is_some();
        if has_problem {
            if let Some(Ok(fresh)) = self.data_dir().map(settings::load) {
                let mut loaded = lock(&self.settings);
                if loaded.problem.is_some() {
                    *loaded = Loaded {
                        settings: fresh,
                        problem: None,
                    };
                }
            }
        }
        lock(&self.settings).settings.clone()
    }

    /// Why the settings file could not be read (until it can, or a setting is saved).
    pub(crate) fn settings_problem(&self) -> Option<String> {
        self.settings();
        lock(&self.settings).problem.clone()
    }

    /// Changes the plain settings in the file, then in memory.
    pub(crate) fn update_settings(
        &self,
        change: impl FnOnce(&mut Settings),
    ) -> Result<Settings, IpcError> {
        let dir = self.data_dir().ok_or(AppError::ChoiceNotKept)?;
        let _writing = lock(&self.settings_writer);
        let saved = settings::update(dir, change)?;
        *lock(&self.settings) = Loaded {
            settings: saved.clone(),
            problem: None,
        };
        Ok(saved)
    }

    /// The region the system locale implies, if any.
    pub(crate) fn system_region(&self) -> Option<Region> {
        let vars = self.host.locale_vars();
        emergency::region_from_locale_vars(vars.iter().map(Option::as_deref))
    }

    /// The person's region for phone numbers and the walk-through: their choice, else the
    /// system locale, else the fallback (the same as the emergency screens use).
    pub(crate) fn region(&self) -> Region {
        emergency::region_state(self.settings().region, self.system_region(), None).region
    }

    /// The session, without counting as activity. While it is held the idle watcher cannot
    /// lock the journal; if it tried, the idle check runs when this is dropped.
    pub(crate) fn session(&self) -> Result<SessionGuard<'_>, IpcError> {
        let mutex = self.session.as_ref().ok_or(AppError::NoJournal)?;
        Ok(SessionGuard {
            app: self,
            guard: lock(mutex),
        })
    }

    /// The session, with activity noted (using the journal postpones the idle lock).
    pub(crate) fn active(&self) -> Result<SessionGuard<'_>, IpcError> {
        let mut s = self.session()?;
        s.touch(Instant::now(), SystemTime::now());
        Ok(s)
    }

    /// Runs `work` on the open journal, noting activity. `Locked` while it is locked.
    pub(crate) fn with_store<T, E: Into<IpcError>>(
        &self,
        work: impl FnOnce(&Store) -> Result<T, E>,
    ) -> Result<T, IpcError> {
        let s = self.active()?;
        work(s.store()?).map_err(Into::into)
    }

    /// Runs `work` on the open journal without counting as activity (the reminder thread);
    /// `None` while it is locked (or there is none).
    pub(crate) fn with_store_quietly<T>(&self, work: impl FnOnce(&Store) -> T) -> Option<T> {
        let s = self.session().ok()?;
        s.store().ok().map(work)
    }

    /// What the UI needs to know about the journal and its settings.
    pub(crate) fn info_of(&self, s: &Session) -> SessionInfo {
        SessionInfo {
            lock: s.state(),
            idle_minutes: self.settings().idle_minutes(),
            idle_choices: IDLE_CHOICES.to_vec(),
            backup_folder: self.backup_folder.as_ref().map(|p| p.display().to_string()),
            erase_word: ERASE_WORD.to_owned(),
        }
    }

    /// Where backups go, or why there is nowhere.
    pub(crate) fn backup_folder(&self) -> Result<&Path, IpcError> {
        Ok(self
            .backup_folder
            .as_deref()
            .ok_or(AppError::NoBackupFolder)?)
    }

    /// The idle time: the setting, or the test override.
    fn idle_limit(&self) -> Duration {
        self.idle_override
            .unwrap_or_else(|| Duration::from_secs(u64::from(self.settings().idle_minutes()) * 60))
    }

    /// Called once a second by the idle watcher: locks when idle, and says whether it did (now,
    /// or since the last call, when a long operation held the session and the lock happened as
    /// it let go). Never waits for the session: when it is busy, the check is left to whoever
    /// holds it (see [`SessionGuard`]).
    pub fn lock_if_idle(&self) -> bool {
        let Some(mutex) = self.session.as_ref() else {
            return false;
        };
        let locked_now = match mutex.try_lock() {
            Ok(mut s) => s.lock_if_idle(Instant::now(), SystemTime::now(), self.idle_limit()),
            Err(TryLockError::Poisoned(p)) => {
                p.into_inner()
                    .lock_if_idle(Instant::now(), SystemTime::now(), self.idle_limit())
            }
            Err(TryLockError::WouldBlock) => {
                self.idle_check_waiting.store(true, Ordering::SeqCst);
                false
            }
        };
        let locked_late = self.idle_locked_late.swap(false, Ordering::SeqCst);
        locked_now || locked_late
    }
}

/// The session, held. When it is let go after the idle watcher found it busy, the idle check
/// runs first, so a long operation cannot keep the journal open past the idle time (security
/// review M2). Everything else is the `MutexGuard`'s.
pub(crate) struct SessionGuard<'a> {
    app: &'a App,
    guard: MutexGuard<'a, Session>,
}

impl std::fmt::Debug for SessionGuard<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionGuard").finish_non_exhaustive()
    }
}

impl Deref for SessionGuard<'_> {
    type Target = Session;
    fn deref(&self) -> &Session {
        &self.guard
    }
}

impl DerefMut for SessionGuard<'_> {
    fn deref_mut(&mut self) -> &mut Session {
        &mut self.guard
    }
}

impl Drop for SessionGuard<'_> {
    fn drop(&mut self) {
        if self.app.idle_check_waiting.swap(false, Ordering::SeqCst) {
            let limit = self.app.idle_limit();
            if self
                .guard
                .lock_if_idle(Instant::now(), SystemTime::now(), limit)
            {
                self.app.idle_locked_late.store(true, Ordering::SeqCst);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc::channel;

    use super::*;
    use crate::about::BuildFacts;
    use crate::session::LockState;

    use crate::NoHost;

    /// Security review M2: while an operation holds the session, the idle watcher does not wait
    /// for it (the watcher's thread would stop, and the journal would stay open); it leaves the
    /// check to the operation, which locks as it lets go, and the watcher's next tick reports it.
    #[test]
    fn an_idle_lock_put_off_by_a_busy_session_fires_when_it_is_free() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let data_dir = DataDir::open(&tmp.path().join("data"));
        let build = BuildFacts {
            version: "0",
            profile: "test",
            commit: "",
            target: "",
        };
        let config = Config {
            info: AppInfo::new(build, &data_dir),
            data_dir: data_dir.ok(),
            backup_folder: None,
            idle_override: Some(Duration::ZERO),
            second_dose_secs: None,
            started: Instant::now(),
            report_startup: false,
            kdf: KdfParams::INSECURE_FOR_TESTS,
        };
        let app = Arc::new(App::new(
            config,
            Arc::new(holdfast_domain::SystemClock),
            Box::new(NoHost::default()),
        ));
        let setup = app
            .begin_setup("maple trout visor quilt".to_owned())
            .expect("begin");
        let parts: Vec<&str> = setup.code.split('-').collect();
        let answers = setup
            .check_groups
            .iter()
            .map(|g| parts[usize::from(*g) - 1].to_owned())
            .collect();
        app.finish_setup(answers).expect("set up");

        // A long operation holds the session (as key derivation under it would).
        let (held_tx, held_rx) = channel();
        let (go_tx, go_rx) = channel::<()>();
        let busy = {
            let app = Arc::clone(&app);
            std::thread::spawn(move || {
                let s = app.active().expect("session");
                held_tx.send(()).expect("test waiting");
                go_rx.recv().expect("let go");
                drop(s);
            })
        };
        held_rx.recv().expect("held");
        // The watcher does not wait for it, and cannot lock yet.
        let (tx, rx) = channel();
        let watcher = Arc::clone(&app);
        std::thread::spawn(move || {
            let _ = tx.send(watcher.lock_if_idle());
        });
        let locked = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the idle watcher waited for a busy session");
        assert!(!locked);
        // The operation ends: the journal locks as it lets go.
        go_tx.send(()).expect("go");
        busy.join().expect("busy thread");
        assert_eq!(app.session_info().expect("info").lock, LockState::Locked);
        // The watcher's next tick says so (it tells the window), once.
        assert!(app.lock_if_idle());
        assert!(!app.lock_if_idle());
    }
}
