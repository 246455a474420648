//! Cutting the power at many points of one operation and checking what a remount shows.
//!
//! For an [`Operation`]: build its starting state once (not cut) and take it as cleanly shut
//! down; run the operation once to count its mutating file-system operations (N); then for each
//! chosen cut point k, run it again from the starting state with the power cut right after the
//! k-th operation (every later write, sync, rename... fails with EIO), unmount, and check two
//! crash images on fresh mounts: only what was made durable, and that plus a seeded random legal
//! share of the rest.
//!
//! The file system is served by this (the test) process; everything that touches it (prepare,
//! run, check) runs in a child process: the test binary again, with [`CHILD_VAR`] set (see
//! [`child_main`]). One process cannot be both: SQLite maps its `-shm` file, `munmap` then
//! waits for the FUSE server to take the dirty pages while holding the process's memory-map
//! lock, and a server thread in the same process that allocates memory waits for that lock.

use std::error::Error;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::fs::{lock, Mount, CUT_PROBE};
use crate::model::{Disk, Rng, Survivors};

/// Any error an operation's own code returns.
pub type BoxError = Box<dyn Error + Send + Sync>;

/// Turns on soak mode: its value is the number of cuts per operation (the issue asks for at
/// least 1,000).
pub const SOAK_VAR: &str = "HOLDFAST_POWERCUT_SOAK";
/// Fixes the base seed (to replay a failure).
pub const SEED_VAR: &str = "HOLDFAST_POWERCUT_SEED";
/// Cuts per operation in a normal (CI) run.
pub const CI_CUTS: usize = 100;
/// Set in a child process: `<prepare|run|check>:<operation name>`.
pub const CHILD_VAR: &str = "HOLDFAST_POWERCUT_CHILD";
const MOUNT_VAR: &str = "HOLDFAST_POWERCUT_MOUNT";
const ATTEMPTED_VAR: &str = "HOLDFAST_POWERCUT_ATTEMPTED";
const ACKED_VAR: &str = "HOLDFAST_POWERCUT_ACKED";
/// The name of the `#[test]` that calls [`child_main`].
pub const CHILD_TEST: &str = "child";
/// A child that takes longer than this is killed and the run fails (no silent hang in CI).
const CHILD_TIMEOUT: Duration = Duration::from_secs(120);
const LINE: &str = "powercut:";

/// What went wrong after a cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Broken {
    /// Something acknowledged is not there (an entry, a passphrase change, a file...).
    Lost(String),
    /// The journal does not pass its integrity check, or does not open with any secret that
    /// was legal at the cut.
    Integrity(String),
    /// Anything else the check refused (a state no legal history leads to).
    Other(String),
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Broken::Lost(m) => write!(f, "lost: {m}"),
            Broken::Integrity(m) => write!(f, "integrity: {m}"),
            Broken::Other(m) => write!(f, "wrong state: {m}"),
        }
    }
}

/// What the operation started and what the store acknowledged (returned `Ok` for) before the
/// power was cut. Each step is a one-line text the operation chooses.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Started before the cut, in order (acknowledged or not).
    pub attempted: Vec<String>,
    /// Returned `Ok` before the cut, in order.
    pub acked: Vec<String>,
}

impl Outcome {
    /// The attempts that were not acknowledged (at most the one in flight, for an operation
    /// that stops at its first error).
    pub fn in_flight(&self) -> &[String] {
        self.attempted.get(self.acked.len()..).unwrap_or_default()
    }
}

/// The bookkeeping an operation writes to while it runs (in the child). Honest by
/// construction: right after each call it asks the file system whether the power is already
/// cut ([`CUT_PROBE`]); an attempt or acknowledgement made after the cut is not recorded (that
/// process would be dead).
#[derive(Debug)]
pub struct Log {
    probe: PathBuf,
}

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

impl Log {
    fn cut(&self) -> bool {
        self.probe.exists()
    }

    /// Notes that a call is about to start.
    pub fn attempt(&self, step: &str) {
        if !self.cut() {
            println!("{LINE}attempt {}", one_line(step));
        }
    }

    /// Notes that the call returned `Ok`. Call it right after the call returns.
    pub fn ack(&self, step: &str) {
        if self.cut() {
            println!("{LINE}late");
        } else {
            println!("{LINE}ack {}", one_line(step));
        }
    }
}

/// One operation over a data folder. Adding a case (key rotation, say) is one more `impl` and
/// one more entry in the test binary's list of cases.
pub trait Operation: Sync {
    /// A short name for the figures; also how the child process finds the case.
    fn name(&self) -> &'static str;

    /// Builds the starting state in `dir` (the data folder, created empty). Not cut; the result
    /// is taken as cleanly shut down (all of it durable). Anything `run` or `check` needs from
    /// here goes into [`fixtures`]`(dir)`.
    fn prepare(&self, dir: &Path) -> Result<(), BoxError>;

    /// Does the operation on `dir`: `log.attempt` before and `log.ack` right after every call
    /// whose effect must be durable once it returns `Ok`. Returns at the first error (after the
    /// cut every write fails).
    fn run(&self, dir: &Path, log: &Log) -> Result<(), BoxError>;

    /// On a fresh mount of a crash image: `Ok` when `dir` is a state the store promises after a
    /// power cut, given what was acknowledged.
    fn check(&self, dir: &Path, outcome: &Outcome) -> Result<(), Broken>;
}

/// The data folder inside a mount.
pub const DATA: &str = "data";

/// A folder beside the data folder for what `prepare` leaves for `run` and `check` (a backup to
/// import, a recovery code). Part of the starting state, never cut.
pub fn fixtures(dir: &Path) -> PathBuf {
    dir.parent().unwrap_or(dir).join("fixtures")
}

/// The child process's side: when [`CHILD_VAR`] is set, does the step it names for the case of
/// that name and prints the result for the parent. Returns at once otherwise. Call it from a
/// `#[test] fn child()` in the test binary.
pub fn child_main(cases: &[&dyn Operation]) {
    let Ok(what) = std::env::var(CHILD_VAR) else {
        return;
    };
    let (mode, name) = what.split_once(':').unwrap_or((what.as_str(), ""));
    let Some(op) = cases.iter().find(|c| c.name() == name) else {
        println!("{LINE}error no case named {name:?}");
        return;
    };
    let mount = PathBuf::from(std::env::var_os(MOUNT_VAR).unwrap_or_default());
    let dir = mount.join(DATA);
    match mode {
        "prepare" => match op.prepare(&dir) {
            Ok(()) => println!("{LINE}done"),
            Err(e) => println!("{LINE}error {}", one_line(&e.to_string())),
        },
        "run" => {
            let log = Log {
                probe: mount.join(CUT_PROBE),
            };
            match op.run(&dir, &log) {
                Ok(()) => println!("{LINE}done"),
                Err(e) => println!("{LINE}run-error {}", one_line(&e.to_string())),
            }
        }
        "check" => {
            let list = |var: &str| -> Vec<String> {
                std::env::var(var)
                    .unwrap_or_default()
                    .split('\n')
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect()
            };
            let outcome = Outcome {
                attempted: list(ATTEMPTED_VAR),
                acked: list(ACKED_VAR),
            };
            match op.check(&dir, &outcome) {
                Ok(()) => println!("{LINE}ok"),
                Err(Broken::Lost(m)) => println!("{LINE}lost {}", one_line(&m)),
                Err(Broken::Integrity(m)) => println!("{LINE}integrity {}", one_line(&m)),
                Err(Broken::Other(m)) => println!("{LINE}other {}", one_line(&m)),
            }
        }
        other => println!("{LINE}error unknown mode {other:?}"),
    }
}

/// What a child printed.
#[derive(Debug, Default)]
struct Reply {
    lines: Vec<String>,
    stderr: String,
}

impl Reply {
    fn find(&self, word: &str) -> Option<&str> {
        self.lines.iter().find_map(|l| {
            l.strip_prefix(word)
                .map(|rest| rest.strip_prefix(' ').unwrap_or(rest))
        })
    }
}

fn child(
    mode: &str,
    op: &dyn Operation,
    mount: &Path,
    outcome: Option<&Outcome>,
) -> Result<Reply, String> {
    let exe = std::env::current_exe().map_err(|e| format!("the test binary: {e}"))?;
    let mut cmd = Command::new(exe);
    cmd.args([
        "--exact",
        CHILD_TEST,
        "--nocapture",
        "--test-threads=1",
        "--quiet",
    ])
    .env(CHILD_VAR, format!("{mode}:{}", op.name()))
    .env(MOUNT_VAR, mount)
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    if let Some(o) = outcome {
        cmd.env(ATTEMPTED_VAR, o.attempted.join("\n"))
            .env(ACKED_VAR, o.acked.join("\n"));
    }
    let mut proc = cmd.spawn().map_err(|e| format!("starting a child: {e}"))?;
    let (tx, rx) = mpsc::channel();
    if let Some(out) = proc.stdout.take() {
        let tx = tx.clone();
        std::thread::spawn(move || {
            let lines: Vec<String> = BufReader::new(out)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| l.strip_prefix(LINE).map(str::to_owned))
                .collect();
            let _ = tx.send((true, lines.join("\n")));
        });
    }
    if let Some(mut err) = proc.stderr.take() {
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = err.read_to_string(&mut s);
            let _ = tx.send((false, s));
        });
    }
    let deadline = Instant::now() + CHILD_TIMEOUT;
    let status = loop {
        match proc.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(2)),
            Ok(None) => {
                let _ = proc.kill();
                let _ = proc.wait();
                return Err(format!(
                    "{}: the {mode} child took over {} s and was killed",
                    op.name(),
                    CHILD_TIMEOUT.as_secs()
                ));
            }
            Err(e) => return Err(format!("waiting for a child: {e}")),
        }
    };
    let mut reply = Reply::default();
    for _ in 0..2 {
        match rx.recv_timeout(Duration::from_secs(10)) {
            Ok((true, out)) => reply.lines = out.lines().map(str::to_owned).collect(),
            Ok((false, err)) => reply.stderr = err,
            Err(_) => break,
        }
    }
    if !status.success() {
        return Err(format!(
            "{}: the {mode} child failed ({status}): {}",
            op.name(),
            reply.stderr.trim()
        ));
    }
    if let Some(e) = reply.find("error") {
        return Err(format!("{}: {mode}: {e}", op.name()));
    }
    Ok(reply)
}

fn outcome_of(reply: &Reply) -> (Outcome, usize) {
    let mut o = Outcome::default();
    let mut late = 0;
    for l in &reply.lines {
        if let Some(a) = l.strip_prefix("attempt ") {
            o.attempted.push(a.to_owned());
        } else if let Some(a) = l.strip_prefix("ack ") {
            o.acked.push(a.to_owned());
        } else if l == "late" {
            late += 1;
        }
    }
    (o, late)
}

/// How many cuts, and from which seed.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub cuts: usize,
    pub seed: u64,
    pub soak: bool,
}

impl Settings {
    /// CI mode, or soak mode when [`SOAK_VAR`] is set; the seed from [`SEED_VAR`] or the clock.
    pub fn from_env() -> Result<Self, String> {
        let soak = match std::env::var(SOAK_VAR) {
            Ok(v) => Some(
                v.trim()
                    .parse::<usize>()
                    .map_err(|_| format!("{SOAK_VAR} must be a number of cuts, not {v:?}"))?,
            ),
            Err(_) => None,
        };
        let seed = match std::env::var(SEED_VAR) {
            Ok(v) => v
                .trim()
                .parse::<u64>()
                .map_err(|_| format!("{SEED_VAR} must be a number, not {v:?}"))?,
            Err(_) => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1),
        };
        Ok(Self {
            cuts: soak.unwrap_or(CI_CUTS).max(1),
            seed,
            soak: soak.is_some(),
        })
    }
}

/// What one operation's run of cuts found.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub operation: &'static str,
    /// Counted mutating operations in one uncut run.
    pub ops_per_run: u64,
    /// Power cuts made (each a separate run).
    pub cuts: usize,
    /// Distinct cut points among them.
    pub points: usize,
    /// Crash images checked (two per cut, and two of the uncut run's end).
    pub images: usize,
    /// Acknowledged steps, summed over the images checked.
    pub acked: usize,
    /// Steps that returned `Ok` after the cut (not counted as acknowledged).
    pub ok_after_cut: usize,
    pub lost: usize,
    pub integrity: usize,
    pub other: usize,
    pub elapsed: Duration,
    /// The first few failures, in full.
    pub failures: Vec<String>,
}

impl Figures {
    pub fn failed(&self) -> usize {
        self.lost + self.integrity + self.other
    }
}

impl std::fmt::Display for Figures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "power cuts: {:<22} ops/run {:>4}  cuts {:>5} ({:>4} points)  images {:>5}  \
             acked {:>6}  losses {}  integrity failures {}  other failures {}  {:.1} s",
            self.operation,
            self.ops_per_run,
            self.cuts,
            self.points,
            self.images,
            self.acked,
            self.lost,
            self.integrity,
            self.other,
            self.elapsed.as_secs_f64()
        )
    }
}

/// Folders for mounts, removed at the end.
struct Scratch {
    root: PathBuf,
    n: usize,
}

impl Scratch {
    fn new() -> Result<Self, String> {
        let root = std::env::temp_dir().join(format!(
            "holdfast-powercut-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ));
        std::fs::create_dir_all(&root).map_err(|e| format!("{}: {e}", root.display()))?;
        Ok(Self { root, n: 0 })
    }

    fn mount(&mut self, disk: Disk) -> Result<Mount, String> {
        self.n += 1;
        let path = self.root.join(format!("m{}", self.n));
        std::fs::create_dir(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        Mount::new(disk, &path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Mount points are empty folders once unmounted; a mount still in use stays.
        if let Ok(entries) = std::fs::read_dir(&self.root) {
            for e in entries.flatten() {
                let _ = std::fs::remove_dir(e.path());
            }
        }
        let _ = std::fs::remove_dir(&self.root);
    }
}

/// The cut points for `cuts` cuts of a run of `n` operations: every point when there are
/// enough cuts (repeating with new seeds), otherwise an even spread with a random offset.
fn cut_points(n: u64, cuts: usize, rng: &mut Rng) -> Vec<u64> {
    let n = n.max(1);
    if cuts as u64 >= n {
        (0..cuts as u64).map(|i| i % n + 1).collect()
    } else {
        let step = n as f64 / cuts as f64;
        let shift = (rng.below(1000) as f64 / 1000.0) * step;
        (0..cuts)
            .map(|i| ((i as f64 * step + shift) as u64 + 1).min(n))
            .collect()
    }
}

fn current_ids() -> (u32, u32) {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").map_or((0, 0), |m| (m.uid(), m.gid()))
}

/// Runs `op` with power cuts and returns the figures. `Err` only when the harness itself cannot
/// run (no FUSE, a mount fails, a child hangs, the operation fails without any cut).
pub fn run(op: &dyn Operation, settings: Settings) -> Result<Figures, String> {
    let started = Instant::now();
    let mut scratch = Scratch::new()?;
    let mut figures = Figures {
        operation: op.name(),
        ..Figures::default()
    };

    // The starting state, cleanly shut down.
    let (uid, gid) = current_ids();
    let m = scratch.mount(Disk::new(uid, gid))?;
    for folder in [DATA, "fixtures"] {
        std::fs::create_dir(m.path().join(folder))
            .map_err(|e| format!("making {folder} on the mount: {e}"))?;
    }
    child("prepare", op, m.path(), None)?;
    let start = m.unmount()?.synced();

    // One uncut run to count the operations; its end state must hold everything too.
    let m = scratch.mount(start.clone())?;
    let reply = child("run", op, m.path(), None)?;
    if let Some(e) = reply.find("run-error") {
        return Err(format!(
            "{}: the operation failed with no power cut: {e}",
            op.name()
        ));
    }
    let (outcome, _) = outcome_of(&reply);
    let end = m.unmount()?;
    figures.ops_per_run = end.ops();
    check_images(
        op,
        &mut scratch,
        &end,
        &outcome,
        settings.seed,
        "end",
        &[],
        &mut figures,
    )?;

    let mut rng = Rng::new(settings.seed);
    let points = cut_points(figures.ops_per_run, settings.cuts, &mut rng);
    let mut distinct = points.clone();
    distinct.sort_unstable();
    distinct.dedup();
    figures.points = distinct.len();
    for (i, k) in points.into_iter().enumerate() {
        let seed = settings
            .seed
            .wrapping_add((i as u64 + 1).wrapping_mul(0x9E37_79B9));
        let m = scratch.mount(start.clone())?;
        lock(m.disk()).cut_after(Some(k));
        let reply = child("run", op, m.path(), None)?;
        let was_cut = lock(m.disk()).is_cut();
        if let (Some(e), false) = (reply.find("run-error"), was_cut) {
            return Err(format!(
                "{}: the operation failed before the cut at {k}: {e}",
                op.name()
            ));
        }
        let (outcome, late) = outcome_of(&reply);
        let at_cut = m.unmount()?;
        figures.cuts += 1;
        figures.ok_after_cut += late;
        let trace = at_cut.trace();
        let context: Vec<String> = trace
            .iter()
            .enumerate()
            .skip(trace.len().saturating_sub(4))
            .map(|(j, t)| format!("    op {:>4}: {t}", j + 1))
            .collect();
        let label = format!("cut after op {k} of {}", figures.ops_per_run);
        check_images(
            op,
            &mut scratch,
            &at_cut,
            &outcome,
            seed,
            &label,
            &context,
            &mut figures,
        )?;
    }
    figures.elapsed = started.elapsed();
    Ok(figures)
}

#[allow(clippy::too_many_arguments)]
fn check_images(
    op: &dyn Operation,
    scratch: &mut Scratch,
    at_cut: &Disk,
    outcome: &Outcome,
    seed: u64,
    label: &str,
    context: &[String],
    figures: &mut Figures,
) -> Result<(), String> {
    for survivors in [Survivors::DurableOnly, Survivors::Random(seed)] {
        let m = scratch.mount(at_cut.crash_image(survivors))?;
        let reply = child("check", op, m.path(), Some(outcome))?;
        m.unmount()?;
        figures.images += 1;
        figures.acked += outcome.acked.len();
        let verdict = if reply.find("ok").is_some() {
            None
        } else if let Some(m) = reply.find("lost") {
            figures.lost += 1;
            Some(Broken::Lost(m.to_owned()))
        } else if let Some(m) = reply.find("integrity") {
            figures.integrity += 1;
            Some(Broken::Integrity(m.to_owned()))
        } else {
            figures.other += 1;
            Some(Broken::Other(reply.find("other").map_or_else(
                || format!("the check said nothing: {reply:?}"),
                str::to_owned,
            )))
        };
        if let Some(broken) = verdict {
            if figures.failures.len() < 5 {
                let image = match survivors {
                    Survivors::DurableOnly => "durable only".to_owned(),
                    Survivors::Random(s) => format!("random survivors, seed {s}"),
                };
                figures.failures.push(format!(
                    "{}: {label} ({image}): {broken}\n  acknowledged: {:?}\n  in flight: {:?}\n  last operations before the cut:\n{}",
                    op.name(),
                    outcome.acked,
                    outcome.in_flight(),
                    context.join("\n")
                ));
            }
        }
    }
    Ok(())
}

/// Runs `op` with the settings from the environment, prints its figures, and returns an error
/// (with the first failures, the seed and how to replay) if any crash image was refused.
pub fn run_and_report(op: &dyn Operation) -> Result<Figures, String> {
    let settings = Settings::from_env()?;
    let figures = run(op, settings)?;
    println!("{figures}");
    if figures.failed() > 0 {
        return Err(format!(
            "{figures}\n\n{}\n\nreplay with {SEED_VAR}={}{}",
            figures.failures.join("\n\n"),
            settings.seed,
            if settings.soak {
                format!(" {SOAK_VAR}={}", settings.cuts)
            } else {
                String::new()
            }
        ));
    }
    Ok(figures)
}
