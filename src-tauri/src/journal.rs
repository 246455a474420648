//! Commands for the encrypted journal: setup, unlock, lock, recovery, erase, backups and
//! records. Each parses, calls `holdfast_app::session` and maps the error. Commands that derive a
//! key (about half a second) are `async` and run on a blocking thread so the window stays
//! responsive.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use holdfast_app::session::{
    self, BackupFile, JournalView, Session, SessionInfo, SetupCode, ERASE_WORD, IDLE_CHOICES,
};
use holdfast_app::{settings, ErrorCode, IpcError};
use holdfast_domain::passphrase::{self, Strength};
use holdfast_domain::records::{BreakEntry, RecordKind, UseEntry};
use holdfast_domain::tolerance::view::{
    self as tview, RestartView, ToleranceView, TREATMENT_SETTING,
};
use holdfast_domain::tolerance::{Journal as ToleranceJournal, Medicine, Treatment};
use holdfast_store::{BackupSummary, StoreOptions};
use tauri::{AppHandle, Emitter, Manager, State};

use crate::AppState;

/// The event the UI hears when the journal locks itself.
pub const LOCKED_EVENT: &str = "journal-locked";

/// The journal part of the app's state.
#[derive(Debug)]
pub struct Journal {
    session: Option<Mutex<Session>>,
    backup_folder: Option<PathBuf>,
    /// Debug builds only: idle lock in seconds instead of the setting (end-to-end tests).
    idle_override: Option<Duration>,
}

impl Journal {
    pub fn new(
        data_dir: Option<&std::path::Path>,
        backup_folder: Option<PathBuf>,
        idle_override: Option<Duration>,
    ) -> Self {
        Self {
            session: data_dir
                .map(|d| Mutex::new(Session::new(d, StoreOptions::default(), Instant::now()))),
            backup_folder,
            idle_override,
        }
    }

    pub(crate) fn session(&self) -> Result<MutexGuard<'_, Session>, IpcError> {
        let mutex = self.session.as_ref().ok_or_else(|| {
            IpcError::new(
                ErrorCode::DataDir,
                "The data folder cannot be used, so there is no journal. The About screen says why.",
            )
        })?;
        // A panic elsewhere must not switch off locking: the session's state is still usable
        // (every method leaves it whole), so carry on with it.
        Ok(mutex.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The session, with activity noted (so using the journal postpones the idle lock).
    pub(crate) fn active(&self) -> Result<MutexGuard<'_, Session>, IpcError> {
        let mut s = self.session()?;
        s.touch(Instant::now(), SystemTime::now());
        Ok(s)
    }

    fn idle_limit(&self, dir: &std::path::Path) -> Duration {
        self.idle_override.unwrap_or_else(|| {
            let minutes = settings::load(dir).unwrap_or_default().idle_minutes();
            Duration::from_secs(u64::from(minutes) * 60)
        })
    }

    fn info(&self, s: &Session) -> SessionInfo {
        SessionInfo {
            lock: s.state(),
            idle_minutes: settings::load(s.dir()).unwrap_or_default().idle_minutes(),
            idle_choices: IDLE_CHOICES.to_vec(),
            backup_folder: self.backup_folder.as_ref().map(|p| p.display().to_string()),
            erase_word: ERASE_WORD.to_owned(),
        }
    }

    fn backup_folder(&self) -> Result<&std::path::Path, IpcError> {
        self.backup_folder.as_deref().ok_or_else(|| {
            IpcError::new(
                ErrorCode::Storage,
                "There is no folder to keep backups in (no Documents or home folder was found).",
            )
        })
    }

    /// Runs `work` on the open store without counting as activity (the reminder thread);
    /// `None` when the journal is locked (or there is none).
    pub fn with_store<T>(&self, work: impl FnOnce(&holdfast_store::Store) -> T) -> Option<T> {
        let s = self.session().ok()?;
        s.store().ok().map(work)
    }

    /// Called once a second by the idle watcher: locks when idle, and says whether it did.
    pub fn lock_if_idle(&self) -> bool {
        let Ok(mut s) = self.session() else {
            return false;
        };
        let limit = self.idle_limit(s.dir());
        s.lock_if_idle(Instant::now(), SystemTime::now(), limit)
    }
}

/// Starts the thread that locks the journal after the idle time and tells the window.
pub fn watch_idle(app: AppHandle) {
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_secs(1));
        let state = app.state::<AppState>();
        if state.journal.lock_if_idle() {
            // The window may be closing; then there is nobody to tell.
            let _ = app.emit(LOCKED_EVENT, ());
        }
    });
}

/// Runs `work` on a blocking thread (key derivation must not freeze the window).
async fn blocking<T: Send + 'static>(
    app: AppHandle,
    work: impl FnOnce(&AppState) -> Result<T, IpcError> + Send + 'static,
) -> Result<T, IpcError> {
    tauri::async_runtime::spawn_blocking(move || work(&app.state::<AppState>()))
        .await
        .map_err(|_| {
            IpcError::new(
                ErrorCode::Internal,
                "Something went wrong inside Holdfast. Nothing was changed.",
            )
        })?
}

/// Where the journal stands, the idle lock and the backup folder.
#[tauri::command(async)]
pub fn session_info(state: State<'_, AppState>) -> Result<SessionInfo, IpcError> {
    let s = state.journal.session()?;
    Ok(state.journal.info(&s))
}

/// Live strength of a passphrase being typed.
#[tauri::command(async)]
pub fn passphrase_strength(passphrase: String) -> Result<Strength, IpcError> {
    Ok(passphrase::strength(&zeroize::Zeroizing::new(passphrase)))
}

/// A suggested passphrase of six random words.
#[tauri::command(async)]
pub fn suggest_passphrase() -> Result<String, IpcError> {
    Ok(passphrase::suggest()?.to_string())
}

/// Setup, step one: checks the passphrase and makes the recovery code (nothing written yet).
#[tauri::command(async)]
pub fn begin_setup(state: State<'_, AppState>, passphrase: String) -> Result<SetupCode, IpcError> {
    let passphrase = zeroize::Zeroizing::new(passphrase);
    Ok(state.journal.active()?.begin_setup(&passphrase)?)
}

/// Setup, step two: the typed-back groups of the code; creates and opens the journal.
#[tauri::command]
pub async fn finish_setup(app: AppHandle, answers: Vec<String>) -> Result<SessionInfo, IpcError> {
    blocking(app, move |state| {
        let mut s = state.journal.active()?;
        s.finish_setup(&answers, Instant::now())?;
        Ok(state.journal.info(&s))
    })
    .await
}

/// Forgets a recovery code waiting to be typed back (setup or a new code).
#[tauri::command(async)]
pub fn cancel_setup(state: State<'_, AppState>) -> Result<SessionInfo, IpcError> {
    let mut s = state.journal.session()?;
    s.cancel_pending();
    Ok(state.journal.info(&s))
}

/// Opens the journal with the passphrase.
#[tauri::command]
pub async fn unlock(app: AppHandle, passphrase: String) -> Result<SessionInfo, IpcError> {
    let passphrase = zeroize::Zeroizing::new(passphrase);
    blocking(app, move |state| {
        let mut s = state.journal.session()?;
        s.unlock(&passphrase, Instant::now())?;
        Ok(state.journal.info(&s))
    })
    .await
}

/// Opens the journal with the recovery code and sets a new passphrase; returns a new code to
/// show, which replaces the old one once typed back (`confirm_new_code`).
#[tauri::command]
pub async fn recover(
    app: AppHandle,
    code: String,
    new_passphrase: String,
) -> Result<SetupCode, IpcError> {
    let code = zeroize::Zeroizing::new(code);
    let new_passphrase = zeroize::Zeroizing::new(new_passphrase);
    blocking(app, move |state| {
        Ok(state
            .journal
            .session()?
            .recover(&code, &new_passphrase, Instant::now())?)
    })
    .await
}

/// Locks now.
#[tauri::command(async)]
pub fn lock(state: State<'_, AppState>) -> Result<SessionInfo, IpcError> {
    let mut s = state.journal.session()?;
    s.lock();
    Ok(state.journal.info(&s))
}

/// The person did something (tap, key): postpones the idle lock.
#[tauri::command(async)]
pub fn touch(state: State<'_, AppState>) -> Result<(), IpcError> {
    state.journal.active().map(|_| ())
}

/// Saves the idle-lock time (one of the offered choices).
#[tauri::command(async)]
pub fn set_idle_minutes(state: State<'_, AppState>, minutes: u32) -> Result<SessionInfo, IpcError> {
    if !IDLE_CHOICES.contains(&minutes) {
        return Err(IpcError::new(
            ErrorCode::InvalidInput,
            "Choose one of the times in the list.",
        ));
    }
    let s = state.journal.active()?;
    settings::update(s.dir(), |c| c.idle_lock_minutes = Some(minutes))?;
    Ok(state.journal.info(&s))
}

/// Replaces the passphrase.
#[tauri::command]
pub async fn change_passphrase(app: AppHandle, old: String, new: String) -> Result<(), IpcError> {
    let (old, new) = (zeroize::Zeroizing::new(old), zeroize::Zeroizing::new(new));
    blocking(app, move |state| {
        Ok(state.journal.active()?.change_passphrase(&old, &new)?)
    })
    .await
}

/// A new recovery code to show; it replaces the old one once typed back (`confirm_new_code`).
#[tauri::command]
pub async fn begin_new_code(app: AppHandle, passphrase: String) -> Result<SetupCode, IpcError> {
    let passphrase = zeroize::Zeroizing::new(passphrase);
    blocking(app, move |state| {
        Ok(state.journal.active()?.begin_new_code(&passphrase)?)
    })
    .await
}

/// Replaces the recovery code with the one shown, when the typed groups match.
#[tauri::command]
pub async fn confirm_new_code(app: AppHandle, answers: Vec<String>) -> Result<(), IpcError> {
    blocking(app, move |state| {
        Ok(state.journal.active()?.confirm_new_code(&answers)?)
    })
    .await
}

/// Erases the open journal, its keys and any set-aside journals (the person typed the word).
#[tauri::command(async)]
pub fn erase(state: State<'_, AppState>, confirmation: String) -> Result<SessionInfo, IpcError> {
    let mut s = state.journal.session()?;
    s.erase(&confirmation)?;
    Ok(state.journal.info(&s))
}

/// Moves a damaged (or locked and lost) journal's files into a folder of their own; returns it.
#[tauri::command(async)]
pub fn set_aside(state: State<'_, AppState>) -> Result<String, IpcError> {
    let mut s = state.journal.session()?;
    Ok(s.set_aside(chrono::Utc::now())?.display().to_string())
}

/// Writes a backup into the backup folder.
#[tauri::command]
pub async fn export_backup(app: AppHandle, passphrase: String) -> Result<BackupFile, IpcError> {
    let passphrase = zeroize::Zeroizing::new(passphrase);
    blocking(app, move |state| {
        let folder = state.journal.backup_folder()?;
        Ok(state
            .journal
            .active()?
            .export_backup(folder, &passphrase, chrono::Utc::now())?)
    })
    .await
}

/// The backups in the backup folder, newest first.
#[tauri::command(async)]
pub fn list_backups(state: State<'_, AppState>) -> Result<Vec<BackupFile>, IpcError> {
    state.journal.active()?.store()?;
    Ok(session::list_backups(state.journal.backup_folder()?)?)
}

fn backup_path(path: &str) -> Result<PathBuf, IpcError> {
    let trimmed = path.trim();
    if trimmed.is_empty() || trimmed.len() > 4096 {
        return Err(IpcError::new(
            ErrorCode::InvalidInput,
            "Choose a backup file from the list, or type its full path.",
        ));
    }
    let path = PathBuf::from(trimmed);
    if !path.is_absolute() {
        return Err(IpcError::new(
            ErrorCode::InvalidInput,
            "Type the backup file's full path, starting with /.",
        ));
    }
    Ok(path)
}

/// Runs `work` on a backup file with its passphrase, off the main thread.
async fn with_backup<T: Send + 'static>(
    app: AppHandle,
    path: String,
    passphrase: String,
    work: impl FnOnce(&mut Session, &std::path::Path, &str) -> Result<T, holdfast_store::StoreError>
        + Send
        + 'static,
) -> Result<T, IpcError> {
    let path = backup_path(&path)?;
    let passphrase = zeroize::Zeroizing::new(passphrase);
    blocking(app, move |state| {
        let mut session = state.journal.active()?;
        Ok(work(&mut session, &path, &passphrase)?)
    })
    .await
}

/// What a backup file holds, without changing anything.
#[tauri::command]
pub async fn inspect_backup(
    app: AppHandle,
    path: String,
    passphrase: String,
) -> Result<BackupSummary, IpcError> {
    with_backup(app, path, passphrase, |s, p, pass| {
        s.inspect_backup(p, pass)
    })
    .await
}

/// Replaces the journal with the backup's content (only the bytes `inspect_backup` showed).
#[tauri::command]
pub async fn import_backup(
    app: AppHandle,
    path: String,
    passphrase: String,
) -> Result<BackupSummary, IpcError> {
    with_backup(app, path, passphrase, |s, p, pass| s.import_backup(p, pass)).await
}

/// Everything the history screen lists.
#[tauri::command(async)]
pub fn journal_view(state: State<'_, AppState>) -> Result<JournalView, IpcError> {
    let s = state.journal.active()?;
    let store = s.store()?;
    Ok(JournalView {
        uses: store.list_uses()?,
        breaks: store.list_breaks()?,
    })
}

/// Records a use; returns its id.
#[tauri::command(async)]
pub fn add_use(state: State<'_, AppState>, entry: UseEntry) -> Result<i64, IpcError> {
    Ok(state.journal.active()?.store()?.add_use(&entry)?)
}

/// Changes a recorded use.
#[tauri::command(async)]
pub fn update_use(state: State<'_, AppState>, id: i64, entry: UseEntry) -> Result<(), IpcError> {
    Ok(state.journal.active()?.store()?.update_use(id, &entry)?)
}

/// Records a break; returns its id.
#[tauri::command(async)]
pub fn add_break(state: State<'_, AppState>, entry: BreakEntry) -> Result<i64, IpcError> {
    let id = state.journal.active()?.store()?.add_break(&entry)?;
    state.reminders_changed.mark();
    Ok(id)
}

/// Changes a recorded break.
#[tauri::command(async)]
pub fn update_break(
    state: State<'_, AppState>,
    id: i64,
    entry: BreakEntry,
) -> Result<(), IpcError> {
    state.journal.active()?.store()?.update_break(id, &entry)?;
    state.reminders_changed.mark();
    Ok(())
}

/// Deletes a record.
#[tauri::command(async)]
pub fn delete_record(
    state: State<'_, AppState>,
    kind: RecordKind,
    id: i64,
) -> Result<(), IpcError> {
    state.journal.active()?.store()?.delete(kind, id)?;
    state.reminders_changed.mark();
    Ok(())
}

fn view_of(state: &AppState, s: &Session) -> Result<ToleranceView, IpcError> {
    let store = s.store()?;
    let uses = store.list_uses()?;
    let breaks = store.list_breaks()?;
    let treatment = tview::parse_treatment(store.get_setting(TREATMENT_SETTING)?.as_deref());
    let journal = ToleranceJournal {
        uses: &uses,
        breaks: &breaks,
        treatment,
    };
    Ok(tview::tolerance_view(
        &journal,
        state.content()?,
        chrono::Utc::now(),
        &chrono::Local,
    ))
}

/// Days since last use, the tolerance status with its reasons and sources, and the timeline.
#[tauri::command(async)]
pub fn tolerance(state: State<'_, AppState>) -> Result<ToleranceView, IpcError> {
    let s = state.journal.active()?;
    view_of(&state, &s)
}

/// Records the current medication treatment (not a use).
#[tauri::command(async)]
pub fn set_treatment(
    state: State<'_, AppState>,
    treatment: Treatment,
) -> Result<ToleranceView, IpcError> {
    let s = state.journal.active()?;
    s.store()?
        .set_setting(TREATMENT_SETTING, tview::treatment_value(treatment))?;
    view_of(&state, &s)
}

/// What to know before restarting a prescribed medicine after `last_dose`.
#[tauri::command(async)]
pub fn restart_advice(
    state: State<'_, AppState>,
    medicine: Medicine,
    last_dose: chrono::NaiveDate,
) -> Result<RestartView, IpcError> {
    let now = chrono::Utc::now();
    if last_dose > holdfast_domain::tolerance::today(now, &chrono::Local) {
        return Err(IpcError::new(
            ErrorCode::InvalidInput,
            "The last dose date is still to come. Choose the day you last took it.",
        ));
    }
    Ok(tview::restart_view(
        state.content()?,
        medicine,
        last_dose,
        now,
        &chrono::Local,
    ))
}
