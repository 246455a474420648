//! Starts and stops what an end-to-end test needs: a display, a D-Bus session, tauri-driver and
//! the app itself.

use std::fs::{self, File};
use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::pages::set_up;
use crate::webdriver::{Driver, Session};
use crate::Result;

/// Desktop and phone window sizes used for every screenshot and audit.
pub const DESKTOP: (u32, u32) = (1280, 800);
pub const PHONE: (u32, u32) = (360, 640);

/// The workspace root (two folders above this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("..")
}

/// The cargo target folder: `CARGO_TARGET_DIR` if set, else `<root>/target`.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// The debug app binary (override with `HOLDFAST_APP`).
pub fn app_binary() -> PathBuf {
    std::env::var_os("HOLDFAST_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("debug").join("holdfast"))
}

/// Where screenshots go: `<root>/target/e2e-artifacts` (always under the workspace, so they are
/// easy to find even when `CARGO_TARGET_DIR` points elsewhere).
pub fn artifacts_dir() -> PathBuf {
    workspace_root().join("target").join("e2e-artifacts")
}

/// A child process in a process group of its own, so stopping it also stops what it started.
#[derive(Debug)]
struct Group {
    name: &'static str,
    child: Child,
}

impl Group {
    fn spawn(name: &'static str, cmd: &mut Command) -> Result<Self> {
        cmd.process_group(0);
        let child = cmd.spawn().map_err(|e| {
            format!("could not start {name}: {e} (is it installed? run ./scripts/test.sh)")
        })?;
        Ok(Self { name, child })
    }

    fn signal(&self, sig: &str) {
        let _ = Command::new("kill")
            .args([sig, "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        self.signal("-TERM");
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                // The leader is gone; make sure the rest of its group is too.
                self.signal("-KILL");
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        eprintln!("e2e: {} did not stop on SIGTERM; killing it", self.name);
        self.signal("-KILL");
        let _ = self.child.wait();
    }
}

/// The app after [`Harness::launch_set_up`]: its session at desktop size on Home with the journal
/// open, its data folder, and the journal's passphrase and recovery code.
#[derive(Debug)]
pub struct SetUp {
    pub session: Session,
    pub data: PathBuf,
    pub passphrase: String,
    pub code: String,
}

/// A display, a D-Bus session bus and tauri-driver, ready to launch the app.
#[derive(Debug)]
pub struct Harness {
    // Field order is drop order: the driver (and the app under it) stop before the bus and display.
    driver_proc: Group,
    _dbus: Group,
    _xvfb: Option<Group>,
    driver: Driver,
    display: String,
    dbus_address: String,
    driver_log: PathBuf,
    scratch: tempfile::TempDir,
}

impl Drop for Harness {
    fn drop(&mut self) {
        // The app's voice starts a Speech Dispatcher of its own under this harness's runtime
        // folder; it leaves the process group, so it is stopped here (its pid file says which).
        crate::audio::stop_speech_dispatcher(&self.scratch.path().join("runtime"));
    }
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
        .local_addr()?
        .port())
}

fn first_line(child: &mut Child, what: &str) -> Result<String> {
    let out = child
        .stdout
        .take()
        .ok_or_else(|| format!("{what}: no stdout"))?;
    let mut line = String::new();
    BufReader::new(out).read_line(&mut line)?;
    let line = line.trim().to_owned();
    if line.is_empty() {
        return Err(format!("{what} printed nothing").into());
    }
    Ok(line)
}

fn find_tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("HOLDFAST_TAURI_DRIVER") {
        return PathBuf::from(p);
    }
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|c| c.join("bin").join("tauri-driver"));
    match cargo_bin {
        Some(p) if p.exists() => p,
        _ => PathBuf::from("tauri-driver"),
    }
}

impl Harness {
    /// Starts Xvfb (unless `DISPLAY` is set), a private session bus and tauri-driver.
    pub fn start() -> Result<Self> {
        Self::start_with_env(&[])
    }

    /// Like [`Harness::start`], with extra environment for tauri-driver and so for the app
    /// (for example `GTK_THEME=Adwaita:dark` to see the dark palette).
    pub fn start_with_env(extra_env: &[(&str, &str)]) -> Result<Self> {
        let scratch = tempfile::Builder::new().prefix("holdfast-e2e-").tempdir()?;
        let runtime = scratch.path().join("runtime");
        fs::create_dir_all(&runtime)?;
        fs::set_permissions(
            &runtime,
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )?;

        let existing = std::env::var("DISPLAY").ok().filter(|d| !d.is_empty());
        let (xvfb, display) = match existing {
            Some(d) if std::env::var_os("HOLDFAST_E2E_OWN_XVFB").is_none() => (None, d),
            _ => {
                let mut g = Group::spawn(
                    "Xvfb",
                    Command::new("Xvfb")
                        .args([
                            "-displayfd",
                            "1",
                            "-screen",
                            "0",
                            "1920x1080x24",
                            "-nolisten",
                            "tcp",
                            "-noreset",
                        ])
                        .stdin(Stdio::null())
                        .stdout(Stdio::piped())
                        .stderr(Stdio::null()),
                )?;
                let n = first_line(&mut g.child, "Xvfb")?;
                (Some(g), format!(":{n}"))
            }
        };

        let mut dbus = Group::spawn(
            "dbus-daemon",
            Command::new("dbus-daemon")
                .args(["--session", "--nofork", "--print-address=1"])
                .env("DISPLAY", &display)
                .env("XDG_RUNTIME_DIR", &runtime)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::null()),
        )?;
        let dbus_address = first_line(&mut dbus.child, "dbus-daemon")?;

        let port = free_port()?;
        let native_port = free_port()?;
        let driver_log = scratch.path().join("tauri-driver.log");
        let log = File::create(&driver_log)?;
        let driver_proc = Group::spawn(
            "tauri-driver",
            Command::new(find_tauri_driver())
                .args([
                    "--port",
                    &port.to_string(),
                    "--native-port",
                    &native_port.to_string(),
                ])
                .env("DISPLAY", &display)
                .env("DBUS_SESSION_BUS_ADDRESS", &dbus_address)
                .env("XDG_RUNTIME_DIR", &runtime)
                .env("NO_AT_BRIDGE", "1")
                // Backups go to the scratch folder, never the tester's Documents.
                .env("HOLDFAST_BACKUP_DIR", scratch.path().join("backups"))
                .env_remove("WAYLAND_DISPLAY")
                .envs(extra_env.iter().copied())
                .stdin(Stdio::null())
                .stdout(log.try_clone()?)
                .stderr(log),
        )?;
        let driver = Driver::new(SocketAddr::from((Ipv4Addr::LOCALHOST, port)));
        let deadline = Instant::now() + Duration::from_secs(30);
        while !driver.is_up() {
            if Instant::now() > deadline {
                return Err(format!(
                    "tauri-driver did not answer on port {port}; its log: {}",
                    fs::read_to_string(&driver_log).unwrap_or_default()
                )
                .into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(Self {
            driver_proc,
            _dbus: dbus,
            _xvfb: xvfb,
            driver,
            display,
            dbus_address,
            driver_log,
            scratch,
        })
    }

    /// A fresh, empty folder for this test (removed with the harness).
    pub fn scratch(&self) -> &Path {
        self.scratch.path()
    }

    pub fn display(&self) -> &str {
        &self.display
    }

    pub fn dbus_address(&self) -> &str {
        &self.dbus_address
    }

    /// Everything tauri-driver, WebKitWebDriver and the app wrote to stdout and stderr so far.
    pub fn driver_log(&self) -> String {
        fs::read_to_string(&self.driver_log).unwrap_or_default()
    }

    /// Launches `application` (normally [`app_binary`]) with `args` and waits for the shell.
    pub fn launch_with(&self, application: &Path, args: &[String]) -> Result<Session> {
        if !application.exists() {
            return Err(format!(
                "{} does not exist: build it first (cargo build -p holdfast)",
                application.display()
            )
            .into());
        }
        let caps = json!({
            "browserName": "wry",
            "tauri:options": { "application": application, "args": args }
        });
        let session = Session::start(self.driver.clone(), caps)
            .map_err(|e| format!("{e}; driver log: {}", self.driver_log()))?;
        session.set_timeouts(30_000, 0)?;
        session.find("nav[aria-label='Main']", Duration::from_secs(30))?;
        Ok(session)
    }

    /// Launches the debug app with a fresh data folder under this harness's scratch folder.
    pub fn launch(&self) -> Result<(Session, PathBuf)> {
        let data = self.scratch().join("data");
        let session = self.launch_with(
            &app_binary(),
            &["--data-dir".into(), data.display().to_string()],
        )?;
        Ok((session, data))
    }

    /// Launches the debug app again on the data folder [`Harness::launch`] used (a relaunch
    /// after quitting: drop the previous session first).
    pub fn relaunch(&self) -> Result<Session> {
        let data = self.scratch().join("data");
        self.launch_with(
            &app_binary(),
            &["--data-dir".into(), data.display().to_string()],
        )
    }

    /// [`Harness::launch`] with the window at desktop size.
    pub fn launch_desktop(&self) -> Result<(Session, PathBuf)> {
        let (session, data) = self.launch()?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;
        Ok((session, data))
    }

    /// [`Harness::relaunch`] with the window at desktop size.
    pub fn relaunch_desktop(&self) -> Result<Session> {
        let session = self.relaunch()?;
        session.set_window_size(DESKTOP.0, DESKTOP.1)?;
        Ok(session)
    }

    /// The opening most journal scenarios share: [`Harness::launch_desktop`], then a journal set
    /// up through the real screens ([`set_up`] without screenshots).
    pub fn launch_set_up(&self) -> Result<SetUp> {
        let (session, data) = self.launch_desktop()?;
        let (passphrase, code) = set_up(&session, false)?;
        Ok(SetUp {
            session,
            data,
            passphrase,
            code,
        })
    }

    /// Where the app writes backups in these tests.
    pub fn backup_dir(&self) -> PathBuf {
        self.scratch().join("backups")
    }

    /// The process id of the app this harness launched (found by its data folder, which is this
    /// harness's own), if it is running.
    pub fn app_pid(&self) -> Option<u32> {
        let data = self.scratch().join("data").display().to_string();
        std::fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
            let pid: u32 = e.file_name().to_str()?.parse().ok()?;
            let cmdline = std::fs::read(e.path().join("cmdline")).ok()?;
            let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
            let is_app = args.first().is_some_and(|a| a.ends_with(b"/holdfast"))
                && args.contains(&data.as_bytes());
            is_app.then_some(pid)
        })
    }

    /// The process id of tauri-driver (its group holds WebKitWebDriver and the app).
    pub fn driver_pid(&self) -> u32 {
        self.driver_proc.child.id()
    }
}

/// Runs one scenario with a fresh harness. On failure, the error carries the end of the
/// driver/app log, so a CI failure can be understood from its output alone.
pub fn scenario(body: impl FnOnce(&Harness) -> Result<()>) -> Result<()> {
    scenario_with_env(&[], body)
}

/// [`scenario`] with extra environment for the app.
pub fn scenario_with_env(
    env: &[(&str, &str)],
    body: impl FnOnce(&Harness) -> Result<()>,
) -> Result<()> {
    let harness = Harness::start_with_env(env)?;
    let outcome = body(&harness);
    outcome.map_err(|e| {
        let log = harness.driver_log();
        let tail: String = log
            .chars()
            .rev()
            .take(4000)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("{e}\n--- end of the tauri-driver / app log ---\n{tail}").into()
    })
}

/// Saves a screenshot as `<artifacts>/<name>.png` and returns its path.
pub fn save_screenshot(session: &Session, name: &str) -> Result<PathBuf> {
    let dir = artifacts_dir();
    fs::create_dir_all(&dir)?;
    let path = dir.join(format!("{name}.png"));
    // Let WebKit paint what the page now holds: without a frame in between, a screenshot right
    // after a resize or navigation can show the previous paint.
    session.execute_async(
        "const done = arguments[arguments.length - 1]; \
         requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50)));",
        vec![],
    )?;
    fs::write(&path, session.screenshot()?)?;
    Ok(path)
}

/// Shows the page at desktop and phone size, saving a screenshot and running the accessibility
/// audit at each; fails on any WCAG 2.2 A/AA violation. Leaves the window at desktop size, where
/// the scenarios carry on.
pub fn check_both_sizes(session: &Session, name: &str) -> Result<()> {
    for (label, (w, h)) in [("desktop", DESKTOP), ("phone", PHONE)] {
        session.set_window_size(w, h)?;
        save_screenshot(session, &format!("{name}-{label}"))?;
        let report = crate::axe::audit(session)?;
        if !report.violations.is_empty() {
            return Err(format!(
                "{name} at {label} size ({w}x{h}) has accessibility violations:\n{}",
                report.violations.join("\n")
            )
            .into());
        }
    }
    session.set_window_size(DESKTOP.0, DESKTOP.1)
}
