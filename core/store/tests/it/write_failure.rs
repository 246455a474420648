//! Guarantee 6: when writing fails (here: a file-size limit set with `ulimit -f`, so the disk
//! looks full to the writer), the error is clear and the store still opens with everything
//! acknowledged before.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::*;
use holdfast_store::{Store, StoreError};

const CHILD_DIR: &str = "HOLDFAST_FSIZE_CHILD";

#[test]
fn child_process() -> TestResult {
    let Some(dir) = std::env::var_os(CHILD_DIR) else {
        return Ok(());
    };
    if std::env::var_os("HOLDFAST_FSIZE_MODE").is_some_and(|m| m == "passphrase") {
        return child_change_passphrase(Path::new(&dir));
    }
    let s = Store::unlock(Path::new(&dir), PASS, fast())?;
    let out = std::io::stdout();
    for i in 0..100_000 {
        match s.add_use(&a_use(&format!("entry {i} {}", "x".repeat(1500)))) {
            Ok(id) => writeln!(out.lock(), "ack {id}")?,
            Err(e) => {
                writeln!(out.lock(), "error {e:?} | {e}")?;
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
        .args(only_test("write_failure::child_process"))
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
    Ok(())
}

/// Child: unlock, say "ready", wait until the parent has set the file-size limit to zero, then
/// try to change the passphrase.
fn child_change_passphrase(dir: &Path) -> TestResult {
    let mut s = Store::unlock(dir, PASS, fast())?;
    let out = std::io::stdout();
    writeln!(out.lock(), "ready")?;
    out.lock().flush()?;
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    let res = s.change_passphrase(PASS, PASS2);
    writeln!(out.lock(), "result {res:?}")?;
    out.lock().flush()?;
    Ok(())
}

/// A key-file write that fails (the disk is "full" from the first byte) is reported, and the key
/// file is neither replaced nor damaged: the old passphrase still opens the journal.
#[test]
fn a_failed_key_file_write_keeps_the_old_passphrase() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path();
    Store::create(dir, PASS, fast())?.0.lock();
    let before = std::fs::read(dir.join(holdfast_store::SLOTS_FILE))?;
    let exe = std::env::current_exe()?;
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; exec \"$0\" \"$@\"")
        .arg(&exe)
        .args(only_test("write_failure::child_process"))
        .env(CHILD_DIR, dir)
        .env("HOLDFAST_FSIZE_MODE", "passphrase")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut reader = BufReader::new(child.stdout.take().ok_or("no stdout")?);
    let mut line = String::new();
    while !line.starts_with("ready") {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Err("the child ended before it was ready".into());
        }
    }
    // `exec` kept the pid: limit the child's file size to zero bytes.
    let limited = Command::new("prlimit")
        .args(["--pid", &child.id().to_string(), "--fsize=0:0"])
        .status();
    match limited {
        Ok(st) if st.success() => {}
        other => {
            let _ = child.kill();
            eprintln!("prlimit is not usable here ({other:?}); skipping");
            return Ok(());
        }
    }
    writeln!(child.stdin.take().ok_or("no stdin")?, "go")?;
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut reader, &mut rest)?;
    child.wait()?;
    let result = rest
        .lines()
        .find(|l| l.starts_with("result "))
        .ok_or_else(|| format!("no result from the child: {rest}"))?;
    eprintln!("{result}");
    assert!(
        result.contains("StorageFull") || result.contains("WriteFailed"),
        "{result}"
    );
    assert_eq!(std::fs::read(dir.join(holdfast_store::SLOTS_FILE))?, before);
    let names: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".holdfast-tmp"))
        .collect();
    assert!(names.is_empty(), "temporary files left: {names:?}");
    assert_eq!(
        Store::unlock(dir, PASS2, fast()).err(),
        Some(StoreError::WrongPassphrase)
    );
    Store::unlock(dir, PASS, fast())?;
    Ok(())
}
