//! A file system that loses what was not synced when the power goes: Holdfast's power-cut tests
//! (issue #14).
//!
//! A SIGKILL leaves the kernel's page cache intact, so a crash test built on kills passes with
//! every fsync deleted. This crate mounts a small in-memory file system through FUSE
//! ([`fs::Mount`]) that keeps, per file, the bytes as of its last fsync and, per folder, the
//! names as of its last fsync ([`model`] has the exact rules). A [`harness`] runs an operation
//! over a data folder on it, cuts the power after its k-th mutating file-system operation for
//! many k, mounts what a power cut would have left, and asks the operation's own check whether
//! that state is one the store promises. The operations and checks for the journal store are
//! in `tests/powercut/main.rs`; docs/testing.md describes the model and the figures.
//!
//! The file system is served by the test process and everything that uses it runs in a child
//! process (the test binary again, see [`harness::child_main`]): SQLite memory-maps its `-shm`
//! file, and a FUSE server in the same process as that mapping can deadlock on the memory-map
//! lock.
//!
//! Linux only (FUSE). It needs `/dev/fuse` and root or `fusermount3`; without them the tests
//! fail with a message, never pass.

pub mod fs;
pub mod harness;
pub mod model;

pub use fs::{check_fuse_available, Mount};
pub use harness::{
    child_main, fixtures, run, run_and_report, BoxError, Broken, Figures, Log, Operation, Outcome,
    Settings,
};
pub use model::{Disk, Survivors};
