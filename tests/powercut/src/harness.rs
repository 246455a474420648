//! Cutting the power at many points of one operation and checking what a remount shows.
//!
//! For an [`Operation`]: build its starting state once (not cut) and take it as cleanly shut
//! down; run the operation once to count its mutating file-system operations (N); then for each
//! chosen cut point k, run it again from the starting state with the power cut right after the
//! k-th operation (every later write, sync, rename... fails with EIO), unmount, and check two
//! crash images on fresh mounts: only what was made durable, and that plus a seeded random legal
//! share of the rest.

use std::error::Error;
use std::fmt::Debug;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::fs::{lock, Mount, SharedDisk};
use crate::model::{Disk, Rng, Survivors};

/// Any error an operation's own code returns.
pub type BoxError = Box<dyn Error + Send + Sync>;

/// Name of the environment variable that turns on soak mode: its value is the number of cuts per
/// operation (at least 1,000 is the bar).
pub const SOAK_VAR: &str = "HOLDFAST_POWERCUT_SOAK";
/// Name of the environment variable that fixes the base seed (to replay a failure).
pub const SEED_VAR: &str = "HOLDFAST_POWERCUT_SEED";
/// Cuts per operation in a normal (CI) run.
pub const CI_CUTS: usize = 24;

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
/// power was cut.
#[derive(Debug, Clone)]
pub struct Outcome<A> {
    /// Started before the cut, in order (acknowledged or not).
    pub attempted: Vec<A>,
    /// Returned `Ok` before the cut, in order.
    pub acked: Vec<A>,
}

impl<A> Outcome<A> {
    /// The attempts that were not acknowledged (at most the one in flight, for an operation
    /// that stops at its first error).
    pub fn in_flight(&self) -> &[A] {
        self.attempted.get(self.acked.len()..).unwrap_or_default()
    }
}

/// The bookkeeping an operation writes to while it runs. Honest by construction: an attempt or
/// acknowledgement made once the power is cut is not recorded (that process would be dead).
#[derive(Debug)]
pub struct Log<A> {
    disk: SharedDisk,
    inner: Mutex<(Outcome<A>, usize)>,
}

impl<A: Clone> Log<A> {
    fn new(disk: SharedDisk) -> Self {
        Self {
            disk,
            inner: Mutex::new((
                Outcome {
                    attempted: Vec::new(),
                    acked: Vec::new(),
                },
                0,
            )),
        }
    }

    fn cut(&self) -> bool {
        lock(&self.disk).is_cut()
    }

    /// Notes that a call is about to start.
    pub fn attempt(&self, a: A) {
        if !self.cut() {
            self.inner
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .0
                .attempted
                .push(a);
        }
    }

    /// Notes that the call returned `Ok`. Call it right after the call returns.
    pub fn ack(&self, a: A) {
        let cut = self.cut();
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if cut {
            inner.1 += 1;
        } else {
            inner.0.acked.push(a);
        }
    }

    fn take(self) -> (Outcome<A>, usize) {
        self.inner
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// One operation over a data folder. Adding a case (key rotation, say) is one more `impl`.
pub trait Operation: Sync {
    /// What one acknowledged step is (an entry's id, the passphrase now in force...).
    type Ack: Clone + Debug + Send;

    /// A short name for the figures.
    fn name(&self) -> &'static str;

    /// Builds the starting state in `dir` (the data folder, created empty). Not cut; the result
    /// is taken as cleanly shut down (all of it durable).
    fn prepare(&self, dir: &Path) -> Result<(), BoxError>;

    /// Does the operation on `dir`: `log.attempt` before and `log.ack` right after every call
    /// whose effect must be durable once it returns `Ok`. Returns at the first error (after the
    /// cut every write fails).
    fn run(&self, dir: &Path, log: &Log<Self::Ack>) -> Result<(), BoxError>;

    /// On a fresh mount of a crash image: `Ok` when `dir` is a state the store promises after a
    /// power cut, given what was acknowledged.
    fn check(&self, dir: &Path, outcome: &Outcome<Self::Ack>) -> Result<(), Broken>;
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
    /// Crash images checked (two per cut).
    pub images: usize,
    /// Acknowledged steps over all cuts (each was checked in both images).
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

/// The data folder inside a mount.
pub const DATA: &str = "data";

fn data_dir(m: &Mount) -> PathBuf {
    m.path().join(DATA)
}

/// The cut points for `cuts` cuts of a run of `n` operations: every point when there are
/// enough cuts (repeating with new seeds), otherwise an even spread (first and last included)
/// with a random offset.
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

/// Runs `op` with power cuts and returns the figures. `Err` only when the harness itself cannot
/// run (no FUSE, a mount fails, the operation fails without any cut).
pub fn run<O: Operation>(op: &O, settings: Settings) -> Result<Figures, String> {
    let started = Instant::now();
    let mut scratch = Scratch::new()?;
    let mut figures = Figures {
        operation: op.name(),
        ..Figures::default()
    };

    // The starting state, cleanly shut down.
    let m = scratch.mount(Disk::new(current_uid(), current_gid()))?;
    std::fs::create_dir(data_dir(&m)).map_err(|e| format!("making the data folder: {e}"))?;
    op.prepare(&data_dir(&m))
        .map_err(|e| format!("{}: preparing: {e}", op.name()))?;
    let start = m.unmount()?.synced();

    // One uncut run to count the operations.
    let m = scratch.mount(start.clone())?;
    lock(m.disk()).cut_after(None);
    let log = Log::new(m.disk().clone());
    op.run(&data_dir(&m), &log)
        .map_err(|e| format!("{}: the operation failed with no power cut: {e}", op.name()))?;
    let (outcome, _) = log.take();
    let end = m.unmount()?;
    figures.ops_per_run = end.ops();
    // The end state, cut right after the operation returned, must hold everything too.
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
        let log = Log::new(m.disk().clone());
        let result = op.run(&data_dir(&m), &log);
        let was_cut = lock(m.disk()).is_cut();
        if let (Err(e), false) = (&result, was_cut) {
            return Err(format!(
                "{}: the operation failed before the cut at {k}: {e}",
                op.name()
            ));
        }
        let (outcome, late) = log.take();
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
fn check_images<O: Operation>(
    op: &O,
    scratch: &mut Scratch,
    at_cut: &Disk,
    outcome: &Outcome<O::Ack>,
    seed: u64,
    label: &str,
    context: &[String],
    figures: &mut Figures,
) -> Result<(), String> {
    for survivors in [Survivors::DurableOnly, Survivors::Random(seed)] {
        let m = scratch.mount(at_cut.crash_image(survivors))?;
        let verdict = op.check(&data_dir(&m), outcome);
        m.unmount()?;
        figures.images += 1;
        figures.acked += outcome.acked.len();
        if let Err(broken) = verdict {
            match broken {
                Broken::Lost(_) => figures.lost += 1,
                Broken::Integrity(_) => figures.integrity += 1,
                Broken::Other(_) => figures.other += 1,
            }
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

fn current_uid() -> u32 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").map_or(0, |m| m.uid())
}

fn current_gid() -> u32 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").map_or(0, |m| m.gid())
}

/// Runs `op` with the settings from the environment, prints its figures, and returns an error
/// (with the first failures, the seed and how to replay) if any crash image was refused.
pub fn run_and_report<O: Operation>(op: &O) -> Result<Figures, String> {
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
