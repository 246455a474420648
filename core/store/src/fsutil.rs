//! Small file-system helpers: atomic replacement of a file and fsync of a folder.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::StoreError;

/// Prefix of every temporary file the store creates in its folder (so `wipe` can find leftovers).
pub(crate) const TEMP_PREFIX: &str = ".holdfast-tmp-";

/// A unique temporary path in `dir` for a file that will become `name`.
pub fn temp_path(dir: &Path, name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    dir.join(format!(
        "{TEMP_PREFIX}{name}-{}-{nanos}",
        std::process::id()
    ))
}

/// Creates a new file that only the owner can read and write.
pub fn create_private(path: &Path) -> std::io::Result<fs::File> {
    let mut opts = fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)
}

/// Creates the folder `path` (and any missing parents) readable by the user only (0700 on Unix),
/// so other local users cannot list what is in it or see when it was written (security review
/// L11). Folders that exist already are left as they are.
pub fn create_private_dir(path: &Path) -> std::io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

/// Creates `dir/name` holding `bytes`, whole or not at all, and never over an existing file:
/// the bytes go to a temporary file that is fsynced and then hard-linked to the name (which fails
/// if the name exists, even when another program creates it meanwhile). Returns `Ok(false)` when
/// the name is taken; nothing is changed then.
pub fn write_new(dir: &Path, name: &str, bytes: &[u8]) -> Result<bool, StoreError> {
    let tmp = temp_path(dir, name);
    let result = (|| -> std::io::Result<bool> {
        let mut file = create_private(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        match fs::hard_link(&tmp, dir.join(name)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
            Err(e) => return Err(e),
        }
        sync_dir(dir)?;
        Ok(true)
    })();
    let _ = fs::remove_file(&tmp);
    result.map_err(|e| StoreError::write(&e))
}

/// Replaces `dir/name` with `bytes` so that, whatever moment the process or the machine stops,
/// the file holds either its old content or the new one, in full.
///
/// Steps: write a temporary file in the same folder, fsync it, rename it over the target, fsync
/// the folder so the rename itself is durable. On failure the temporary file is removed and the
/// target is untouched.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
    let tmp = temp_path(dir, name);
    let result = (|| -> std::io::Result<()> {
        let mut file = create_private(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        crash_point("after-temp-written");
        fs::rename(&tmp, dir.join(name))
    })();
    if let Err(err) = result {
        let _ = fs::remove_file(&tmp);
        return Err(StoreError::write(&err));
    }
    crash_point("after-rename");
    // The new file is in place and is what a reader sees now: a failure from here on must not
    // say "nothing was saved" (security review L2). Try the folder fsync again before saying
    // that the change may not survive a power cut.
    for _ in 0..SYNC_TRIES {
        if fail_point("sync-after-rename")
            .and_then(|()| sync_dir(dir))
            .is_ok()
        {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    Err(StoreError::WrittenNotConfirmed)
}

/// How many times [`write_atomic`] tries the folder fsync after its rename.
const SYNC_TRIES: usize = 3;

/// Reads at most `limit` bytes from `reader`. `Ok(None)` when there are more: the rest is never
/// read, so a file that grows (or never ends) cannot make the app allocate without bound.
pub fn read_bounded(reader: impl std::io::Read, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// Opens `path` for reading only if it is a regular file, judged on the open handle (so a path
/// swapped for a FIFO or a device after an earlier check is still refused), without following
/// a symbolic link at its end and without blocking on a FIFO that has no writer (security
/// review L7). `Ok(None)` for anything that is not a regular file.
pub fn open_regular(path: &Path) -> std::io::Result<Option<fs::File>> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    let file = match options.open(path) {
        Ok(file) => file,
        // O_NOFOLLOW on a symbolic link.
        #[cfg(unix)]
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => return Ok(None),
        Err(e) => return Err(e),
    };
    Ok(file.metadata()?.is_file().then_some(file))
}

/// Reads the file at `path` if it holds at most `limit` bytes; `Ok(None)` when it is larger.
/// The size is checked before reading, and the read stops after `limit + 1` bytes in case the
/// file grows meanwhile.
pub fn read_at_most(path: &Path, limit: u64) -> Result<Option<Vec<u8>>, StoreError> {
    let file = fs::File::open(path).map_err(|e| StoreError::read(&e))?;
    let len = file.metadata().map_err(|e| StoreError::read(&e))?.len();
    if len > limit {
        return Ok(None);
    }
    read_bounded(file, limit).map_err(|e| StoreError::read(&e))
}

/// Overwrites the file at `path` in place with random bytes of the same length, fsyncs it, then
/// removes it: erase of a key file (security review M1). Best effort against someone who reads
/// the disk itself: on a file system that writes elsewhere (copy-on-write: btrfs, ZFS, APFS) or
/// an SSD that remaps blocks, the old bytes may survive somewhere the app cannot reach. The file
/// is removed even when the overwrite fails (the overwrite is the extra; the removal is the
/// erase). A missing file is not an error.
pub fn overwrite_and_remove(path: &Path) -> std::io::Result<()> {
    let _best_effort = (|| -> std::io::Result<()> {
        let mut file = fs::OpenOptions::new().write(true).open(path)?;
        let len = usize::try_from(file.metadata()?.len()).unwrap_or(usize::MAX);
        // A key file is about 1 KiB; anything far larger is not ours to spend time on.
        let mut noise = vec![0u8; len.min(1024 * 1024)];
        crate::crypto::fill_random(&mut noise)
            .map_err(|_| std::io::Error::other("random source failed"))?;
        file.write_all(&noise)?;
        file.sync_all()
    })();
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Makes the folder's entries (creations, renames, removals) durable.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        // Windows cannot open a folder as a file; NTFS journals renames on its own.
        let _ = dir;
        Ok(())
    }
}

/// For crash tests only: when `HOLDFAST_TEST_CRASH_AT` names this point, the process stops
/// on the spot (as a power cut or a kill would), without running destructors. `<point>#<n>`
/// stops at the n-th time the point is reached (the key file is replaced twice in a key
/// rotation). Debug builds only, like every other test hook; a release build never reads the
/// variable.
pub fn crash_point(name: &str) {
    if !cfg!(debug_assertions) {
        return;
    }
    let Some(want) = std::env::var_os("HOLDFAST_TEST_CRASH_AT") else {
        return;
    };
    let Some(want) = want.to_str() else {
        return;
    };
    let (point, nth) = match want.split_once('#') {
        Some((point, n)) => (point, n.parse::<u32>().unwrap_or(1)),
        None => (want, 1),
    };
    if point != name {
        return;
    }
    // One point is armed per process, so one count is enough.
    static HITS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    if HITS.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1 == nth {
        std::process::abort();
    }
}

/// For failure tests only: when `HOLDFAST_TEST_FAIL_AT` names this point, it fails as an I/O
/// error would (a full disk, a failing drive). Debug builds only.
pub fn fail_point(name: &str) -> std::io::Result<()> {
    if cfg!(debug_assertions)
        && std::env::var_os("HOLDFAST_TEST_FAIL_AT").is_some_and(|want| want == name)
    {
        return Err(std::io::Error::other("failure injected by a test"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A FIFO with no writer is refused at once rather than blocking the read for ever, and a
    /// link is not followed (security review L7).
    #[cfg(unix)]
    #[test]
    fn only_a_regular_file_is_opened_and_a_fifo_does_not_block(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let file = tmp.path().join("backup.hfbackup");
        fs::write(&file, b"bytes")?;
        assert!(open_regular(&file)?.is_some());
        let link = tmp.path().join("link.hfbackup");
        std::os::unix::fs::symlink(&file, &link)?;
        assert!(open_regular(&link)?.is_none(), "a link was followed");
        let fifo = tmp.path().join("fifo.hfbackup");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status()?;
        assert!(made.success(), "mkfifo failed");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(open_regular(&fifo).map(|f| f.is_none()));
        });
        let refused = rx
            .recv_timeout(std::time::Duration::from_secs(5))
            .map_err(|_| "opening a FIFO blocked")??;
        assert!(refused, "a FIFO was opened as a file");
        Ok(())
    }

    #[test]
    fn atomic_write_replaces_and_a_failed_one_leaves_no_trace(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let dir = tmp.path();
        write_atomic(dir, "f", b"one")?;
        write_atomic(dir, "f", b"two")?;
        assert_eq!(fs::read(dir.join("f"))?, b"two");
        // A rename onto a non-empty folder fails: the error is typed and no temp file stays.
        fs::create_dir(dir.join("d"))?;
        fs::write(dir.join("d").join("inside"), b"keep")?;
        assert!(matches!(
            write_atomic(dir, "d", b"x"),
            Err(StoreError::WriteFailed(_))
        ));
        assert_eq!(fs::read(dir.join("d").join("inside"))?, b"keep");
        let names: Vec<_> = fs::read_dir(dir)?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().all(|n| !n.starts_with(TEMP_PREFIX)),
            "{names:?}"
        );
        Ok(())
    }

    /// Security review M2: a reader that never ends (or a file that grows after its size was
    /// checked) is read only up to the limit.
    #[test]
    fn bounded_reads_stop_at_the_limit() -> std::io::Result<()> {
        assert_eq!(read_bounded(std::io::repeat(7), 1024)?, None);
        assert_eq!(read_bounded(&b"abc"[..], 3)?, Some(b"abc".to_vec()));
        assert_eq!(read_bounded(&b"abcd"[..], 3)?, None);
        Ok(())
    }

    /// Security review M1: the key file is overwritten in place before it is removed. A second
    /// name for the same file (a hard link) sees the overwrite.
    #[test]
    fn overwrite_and_remove_overwrites_in_place() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let path = tmp.path().join("keyslots.json");
        let secret = b"{\"wrapped_key\": \"0123456789abcdef0123456789abcdef\"}".repeat(20);
        fs::write(&path, &secret)?;
        let link = tmp.path().join("second-name");
        fs::hard_link(&path, &link)?;
        overwrite_and_remove(&path)?;
        assert!(!path.exists());
        let after = fs::read(&link)?;
        assert_eq!(after.len(), secret.len(), "same length, in place");
        assert_ne!(after, secret);
        assert!(after
            .windows(16)
            .all(|w| !secret.windows(16).any(|s| s == w)));
        // Removing what is not there is fine.
        overwrite_and_remove(&path)?;
        Ok(())
    }
}
