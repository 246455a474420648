//! The running app: its state, owned once, and the helpers every use case shares. The use cases
//! themselves are `impl App` blocks in [`crate::handlers`], one method per command of
//! `holdfast_commands::with_commands!`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
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
    settings: Mutex<Loaded>,
    /// Held while the settings file is written, so two saves cannot interleave; readers never
    /// wait for the disk.
    settings_writer: Mutex<()>,
    content: OnceLock<Result<ContentPack, IpcError>>,
    /// Each region's guide search, built on its first search.
    search: Mutex<HashMap<Region, SearchIndex>>,
    clock: Arc<dyn Clock>,
    /// Shared with the store: the tables each write touched (the reminder thread reads it).
    pub(crate) changes: Changes,
    pub(crate) host: Box<dyn Host>,
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
            kdf: config.kdf,
            clock: Arc::clone(&clock),
            changes: changes.clone(),
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
            search: Mutex::new(HashMap::new()),
            clock,
            changes,
            host,
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

    /// The session, without counting as activity.
    pub(crate) fn session(&self) -> Result<MutexGuard<'_, Session>, IpcError> {
        Ok(lock(self.session.as_ref().ok_or(AppError::NoJournal)?))
    }

    /// The session, with activity noted (using the journal postpones the idle lock).
    pub(crate) fn active(&self) -> Result<MutexGuard<'_, Session>, IpcError> {
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

    /// Called once a second by the idle watcher: locks when idle, and says whether it did.
    pub fn lock_if_idle(&self) -> bool {
        let Ok(mut s) = self.session() else {
            return false;
        };
        let limit = self
            .idle_override
            .unwrap_or_else(|| Duration::from_secs(u64::from(self.settings().idle_minutes()) * 60));
        s.lock_if_idle(Instant::now(), SystemTime::now(), limit)
    }
}
