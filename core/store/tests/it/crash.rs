//! Guarantees 2 and 3: a process killed at any moment (SIGKILL) while writing journal entries or
//! changing the passphrase leaves a store that opens, passes `integrity_check`, holds every
//! acknowledged entry, and opens with the old or the new passphrase.
//!
//! The child is this same test binary, re-run with `HOLDFAST_CRASH_CHILD` set so that
//! `child_process` (below) does the work instead of returning at once.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::*;
use holdfast_store::{Store, StoreError};

const CHILD_DIR: &str = "HOLDFAST_CRASH_CHILD";
const CHILD_MODE: &str = "HOLDFAST_CRASH_MODE";

/// The child's side. Does nothing in a normal test run.
#[test]
fn child_process() -> TestResult {
    let Some(dir) = std::env::var_os(CHILD_DIR) else {
        return Ok(());
    };
    let dir = Path::new(&dir);
    let mode = std::env::var(CHILD_MODE)?;
    let out = std::io::stdout();
    match mode.as_str() {
        "write" => {
            let s = Store::unlock(dir, PASS, fast())?;
            for i in 0.. {
                match s.add_use(&a_use(&format!("entry {i} {}", "padding ".repeat(20)))) {
                    Ok(id) => {
                        let mut o = out.lock();
                        writeln!(o, "ack {id}")?;
                        o.flush()?;
                    }
                    Err(e) => {
                        let mut o = out.lock();
                        writeln!(o, "error {e:?}")?;
                        o.flush()?;
                        return Ok(());
                    }
                }
            }
        }
        "passphrase" => {
            let (mut cur, mut next) = (PASS, PASS2);
            let mut s =
                Store::unlock(dir, PASS, fast()).or_else(|_| Store::unlock(dir, PASS2, fast()))?;
            if Store::unlock(dir, PASS, fast()).is_err() {
                std::mem::swap(&mut cur, &mut next);
            }
            loop {
                s.change_passphrase(cur, next)?;
                let mut o = out.lock();
                writeln!(o, "now {}", if next == PASS { 1 } else { 2 })?;
                o.flush()?;
                std::mem::swap(&mut cur, &mut next);
            }
        }
        "import" => {
            let bytes = std::fs::read(dir.join("backup.bin"))?;
            let mut s = Store::unlock(dir, PASS, fast())?;
            s.import_backup(&bytes, "backup passphrase")?;
        }
        _ => {}
    }
    Ok(())
}

fn child(dir: &Path, mode: &str) -> Result<Command, Box<dyn std::error::Error>> {
    let mut cmd = Command::new(std::env::current_exe()?);
    cmd.args(only_test("crash::child_process"))
        .env(CHILD_DIR, dir)
        .env(CHILD_MODE, mode)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    Ok(cmd)
}

/// Runs the child, kills it after `after`, returns the lines it printed in full.
fn run_and_kill(
    mut cmd: Command,
    after: Duration,
) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let mut proc = cmd.spawn()?;
    let stdout = proc.stdout.take().ok_or("no stdout")?;
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    let reader = std::thread::spawn(move || {
        let mut r = BufReader::new(stdout);
        let mut line = String::new();
        while r.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
            if line.ends_with('\n') {
                if let Ok(mut v) = sink.lock() {
                    v.push(line.trim_end().to_owned());
                }
            }
            line.clear();
        }
    });
    std::thread::sleep(after);
    let _ = proc.kill(); // SIGKILL on Unix
    proc.wait()?;
    let _ = reader.join();
    let v = lines.lock().map(|v| v.clone()).unwrap_or_default();
    Ok(v)
}

#[test]
fn killed_writers_never_lose_acknowledged_entries() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    Store::create(dir, PASS, fast())?.0.lock();
    let mut acked: Vec<i64> = Vec::new();
    let mut rng = Rng::new();
    let start = Instant::now();
    let rounds = 120;
    for round in 0..rounds {
        let wait = Duration::from_millis(5 + rng.below(60));
        let lines = run_and_kill(child(dir, "write")?, wait)?;
        for l in &lines {
            if let Some(id) = l.strip_prefix("ack ") {
                acked.push(id.parse()?);
            }
        }
        let s = Store::unlock(dir, PASS, fast())?;
        assert!(
            s.integrity_check()?,
            "integrity_check failed after round {round}"
        );
        let have: std::collections::HashSet<i64> = s.list_uses()?.iter().map(|u| u.id).collect();
        for id in &acked {
            assert!(
                have.contains(id),
                "acknowledged entry {id} lost after round {round}"
            );
        }
        s.lock();
    }
    eprintln!(
        "{rounds} kill rounds, {} acknowledged writes, {:?}",
        acked.len(),
        start.elapsed()
    );
    assert!(
        acked.len() > rounds,
        "the child barely wrote anything: {}",
        acked.len()
    );
    Ok(())
}

fn opens_with_old_or_new(dir: &Path) -> Result<u8, Box<dyn std::error::Error>> {
    match Store::unlock(dir, PASS, fast()) {
        Ok(s) => {
            assert!(s.integrity_check()?);
            Ok(1)
        }
        Err(StoreError::WrongPassphrase) => {
            let s = Store::unlock(dir, PASS2, fast())?;
            assert!(s.integrity_check()?);
            Ok(2)
        }
        Err(e) => Err(e.into()),
    }
}

#[test]
fn killed_passphrase_changes_leave_old_or_new() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let (s, code) = Store::create(dir, PASS, fast())?;
    s.add_use(&a_use("kept"))?;
    s.lock();
    let mut rng = Rng::new();
    let mut changes = 0;
    for round in 0..60 {
        let lines = run_and_kill(
            child(dir, "passphrase")?,
            Duration::from_millis(5 + rng.below(50)),
        )?;
        changes += lines.iter().filter(|l| l.starts_with("now ")).count();
        let which = opens_with_old_or_new(dir).map_err(|e| format!("round {round}: {e}"))?;
        assert!(which == 1 || which == 2);
    }
    assert!(changes > 0, "no passphrase change completed");
    // The recovery slot was never touched.
    Store::unlock_with_recovery(dir, &code.display(), PASS, fast())?;
    Ok(())
}

/// Deterministic version of the above: stop the process exactly between the write steps.
#[test]
fn crash_points_in_the_key_file_write() -> TestResult {
    for (point, want) in [("after-temp-written", 1u8), ("after-rename", 2u8)] {
        let tmp = tempfile::tempdir()?;
        let dir = tmp.path();
        Store::create(dir, PASS, fast())?.0.lock();
        let status = child(dir, "passphrase")?
            .env("HOLDFAST_TEST_CRASH_AT", point)
            .status()?;
        assert!(
            !status.success(),
            "the child should have stopped at {point}"
        );
        assert_eq!(opens_with_old_or_new(dir)?, want, "crash {point}");
        // A leftover temporary file is harmless and wipe removes it.
        holdfast_store::wipe(dir)?;
        assert_eq!(std::fs::read_dir(dir)?.count(), 0);
    }
    Ok(())
}

#[test]
fn a_crash_during_import_keeps_the_old_journal() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let (s, _) = Store::create(dir, PASS, fast())?;
    s.add_use(&a_use("from backup"))?;
    std::fs::write(
        dir.join("backup.bin"),
        s.export_backup("backup passphrase")?,
    )?;
    s.add_use(&a_use("only in the live journal"))?;
    s.lock();
    let status = child(dir, "import")?
        .env("HOLDFAST_TEST_CRASH_AT", "import-before-rename")
        .status()?;
    assert!(!status.success());
    let s = Store::unlock(dir, PASS, fast())?;
    assert!(s.integrity_check()?);
    assert_eq!(s.list_uses()?.len(), 2, "the old journal must be intact");
    s.lock();
    // Without the crash the import goes through.
    let status = child(dir, "import")?.status()?;
    assert!(status.success());
    let s = Store::unlock(dir, PASS, fast())?;
    assert_eq!(s.list_uses()?.len(), 1);
    Ok(())
}
