//! Security review M2 through `App`: a backup is read, its key derived and its content
//! decrypted without holding the session, so the idle lock still fires while that runs, and a
//! crafted backup is refused at once with words a person can act on.
//!
//! No sleeps: a clock the test controls stops the inspect in the middle (its content is checked
//! against "now" after decryption), and channels with generous timeouts turn a wait that would
//! hang into a failure.

use std::path::Path;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use holdfast_app::about::BuildFacts;
use holdfast_app::session::LockState;
use holdfast_app::{App, Config, DataDir, ErrorCode, KdfParams, NoHost};

const PASS: &str = "maple trout visor quilt";
const BPASS: &str = "plaza robin ozone cedar";
const WAIT: Duration = Duration::from_secs(60);

/// The system clock, which once armed stops the next caller until the test lets it go.
#[derive(Debug, Default)]
struct GateClock {
    armed: Mutex<Option<(Sender<()>, Receiver<()>)>>,
}

impl holdfast_app::Clock for GateClock {
    fn now(&self) -> DateTime<Utc> {
        let gate = self.armed.lock().expect("gate").take();
        if let Some((entered, go)) = gate {
            entered.send(()).expect("the test is waiting");
            go.recv_timeout(WAIT).expect("the test lets it go");
        }
        Utc::now()
    }
}

impl GateClock {
    /// Arms the gate: returns (a receiver told when a caller is stopped, a sender that lets it
    /// go).
    fn arm(&self) -> (Receiver<()>, Sender<()>) {
        let (entered_tx, entered_rx) = channel();
        let (go_tx, go_rx) = channel();
        *self.armed.lock().expect("gate") = Some((entered_tx, go_rx));
        (entered_rx, go_tx)
    }
}

fn app(dir: &Path, clock: Arc<GateClock>) -> App {
    let data_dir = DataDir::open(&dir.join("data"));
    let build = BuildFacts {
        version: "0",
        profile: "test",
        commit: "",
        target: "",
    };
    let config = Config {
        info: holdfast_app::AppInfo::new(build, &data_dir),
        data_dir: data_dir.ok(),
        backup_folder: Some(dir.join("backups")),
        // Idle at once: every check of the watcher's locks.
        idle_override: Some(Duration::ZERO),
        second_dose_secs: None,
        started: Instant::now(),
        report_startup: false,
        kdf: KdfParams::INSECURE_FOR_TESTS,
    };
    App::new(config, clock, Box::new(NoHost::default()))
}

fn set_up(app: &App) {
    let setup = app.begin_setup(PASS.to_owned()).expect("begin setup");
    let parts: Vec<&str> = setup.code.split('-').collect();
    let answers = setup
        .check_groups
        .iter()
        .map(|g| parts[usize::from(*g) - 1].to_owned())
        .collect();
    app.finish_setup(answers).expect("finish setup");
}

/// Runs `work` on another thread and waits for it, failing (instead of hanging) if it waits on
/// something that never comes.
fn within<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let _ = tx.send(work());
    });
    rx.recv_timeout(WAIT)
        .expect("this waited for the backup being inspected: the session was held")
}

#[test]
fn the_idle_lock_fires_while_a_backup_is_inspected() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let clock = Arc::new(GateClock::default());
    let app = Arc::new(app(tmp.path(), Arc::clone(&clock)));
    set_up(&app);
    let file = app
        .export_backup(PASS.to_owned(), BPASS.to_owned())
        .expect("exported");

    let (entered, go) = clock.arm();
    let inspecting = {
        let app = Arc::clone(&app);
        let path = file.path.clone();
        std::thread::spawn(move || app.inspect_backup(path, BPASS.to_owned()))
    };
    entered
        .recv_timeout(WAIT)
        .expect("the inspect reached the check of the content");
    // The inspect is past reading, key derivation and decryption, and stopped. The watcher's
    // check neither waits for it nor is put off by it.
    let watcher = Arc::clone(&app);
    assert!(
        within(move || watcher.lock_if_idle()),
        "the idle lock must fire while a backup is being inspected"
    );
    let info = Arc::clone(&app);
    assert_eq!(
        within(move || info.session_info().expect("info").lock),
        LockState::Locked
    );
    go.send(()).expect("let the inspect go");
    let result = inspecting.join().expect("the inspect thread");
    // What it found is not kept for a journal that locked meanwhile.
    assert_eq!(
        result.expect_err("locked meanwhile").code,
        ErrorCode::Locked
    );
    app.unlock(PASS.to_owned()).expect("unlocked");
    let again = app.import_backup(file.path, PASS.to_owned(), BPASS.to_owned());
    assert_eq!(
        again.expect_err("nothing was inspected").code,
        ErrorCode::InvalidInput
    );
}

/// A crafted backup (a gigabyte, 64 passes, 16 lanes, hash recomputed) in the backup folder is
/// refused at once, and the refusal says what to do in plain words; a huge file is refused by
/// its size without being read.
#[test]
fn a_crafted_backup_is_refused_at_once_in_plain_words() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let app = app(tmp.path(), Arc::new(GateClock::default()));
    set_up(&app);
    let file = app
        .export_backup(PASS.to_owned(), BPASS.to_owned())
        .expect("exported");
    let mut bytes = std::fs::read(&file.path).expect("read");
    bytes[18..22].copy_from_slice(&(1024u32 * 1024).to_be_bytes());
    bytes[22..26].copy_from_slice(&64u32.to_be_bytes());
    bytes[26..30].copy_from_slice(&16u32.to_be_bytes());
    let end = bytes.len() - 32;
    let hash = ring::digest::digest(&ring::digest::SHA256, &bytes[..end]);
    bytes[end..].copy_from_slice(hash.as_ref());
    let crafted = tmp
        .path()
        .join("backups")
        .join("holdfast-backup-2026-01-02.hfbackup");
    std::fs::write(&crafted, &bytes).expect("written");
    let err = app
        .inspect_backup(crafted.display().to_string(), BPASS.to_owned())
        .expect_err("refused");
    assert_eq!(err.code, ErrorCode::Damaged);
    assert!(
        err.message.contains("not opened") && err.message.contains("not be a real Holdfast backup"),
        "{}",
        err.message
    );

    // Ten gigabytes (sparse: nothing is written, and nothing must be read).
    let huge = tmp.path().join("backups").join("huge.hfbackup");
    std::fs::File::create(&huge)
        .and_then(|f| f.set_len(10 * 1024 * 1024 * 1024))
        .expect("sparse file");
    let err = app
        .inspect_backup(huge.display().to_string(), BPASS.to_owned())
        .expect_err("refused");
    assert_eq!(err.code, ErrorCode::Damaged);
    assert!(err.message.contains("far bigger"), "{}", err.message);
    // The journal is still open and fine.
    assert_eq!(app.session_info().expect("info").lock, LockState::Unlocked);
}
