//! Guarantee 6: when writing fails (here: a file-size limit set with `ulimit -f`, so the disk
//! looks full to the writer), the error is clear and the store still opens with everything
//! acknowledged before.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::Command;

use common::*;
use holdfast_core::store::{Store, StoreError};

const CHILD_DIR: &str = "HOLDFAST_FSIZE_CHILD";

#[test]
fn child_process() -> TestResult {
    let Some(dir) = std::env::var_os(CHILD_DIR) else {
        return Ok(());
    };
    let s = Store::unlock(Path::new(&dir), PASS, fast())?;
    let out = std::io::stdout();
    for i in 0..100_000 {
        match s.add_use(&a_use(&format!("entry {i} {}", "x".repeat(1500)))) {
            Ok(id) => writeln!(out.lock(), "ack {id}")?,
            Err(e) => {
                let ipc = holdfast_core::IpcError::from(e.clone());
                writeln!(out.lock(), "error {e:?} | {:?} | {}", ipc.code, ipc.message)?;
                break;
            }
        }
    }
    out.lock().flush()?;
    Ok(())
}

#[test]
fn a_failed_write_is_reported_and_loses_nothing() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    let (s, _) = Store::create(dir, PASS, fast())?;
    s.add_use(&a_use("before"))?;
    s.lock();
    let exe = std::env::current_exe()?;
    // `trap '' XFSZ` makes the write fail with EFBIG instead of killing the process; the
    // ignored signal and the limit (in blocks of 512 or 1024 bytes) pass through `exec`.
    let out = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 600 && exec \"$0\" \"$@\"")
        .arg(&exe)
        .args([
            "--exact",
            "child_process",
            "--nocapture",
            "--test-threads=1",
            "--quiet",
        ])
        .env(CHILD_DIR, dir)
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let acked: Vec<i64> = text
        .lines()
        .filter_map(|l| l.strip_prefix("ack "))
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let error = text
        .lines()
        .find(|l| l.starts_with("error "))
        .ok_or_else(|| {
            format!(
                "the write never failed; output: {}",
                text.chars().take(300).collect::<String>()
            )
        })?;
    eprintln!("{} writes acknowledged, then: {error}", acked.len());
    assert!(acked.len() > 10);
    assert!(
        error.contains("StorageFull") || error.contains("WriteFailed"),
        "unexpected error: {error}"
    );
    assert!(
        error.contains("Everything saved before is safe")
            || error.contains("everything saved before is safe")
    );
    assert!(!error.contains("INSERT") && !error.contains(dir.to_string_lossy().as_ref()));

    let s = Store::unlock(dir, PASS, fast())?;
    assert!(s.integrity_check()?);
    let have: std::collections::HashSet<i64> = s.list_uses()?.iter().map(|u| u.id).collect();
    for id in &acked {
        assert!(have.contains(id), "acknowledged entry {id} was lost");
    }
    // And the store keeps working once there is room again.
    s.add_use(&a_use("after"))?;
    assert!(matches!(StoreError::StorageFull, StoreError::StorageFull));
    Ok(())
}
