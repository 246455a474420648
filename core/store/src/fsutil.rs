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
        fs::rename(&tmp, dir.join(name))?;
        crash_point("after-rename");
        sync_dir(dir)
    })();
    if let Err(err) = result {
        let _ = fs::remove_file(&tmp);
        return Err(StoreError::write(&err));
    }
    Ok(())
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
/// on the spot (as a power cut or a kill would), without running destructors. Debug builds
/// only, like every other test hook; a release build never reads the variable.
pub fn crash_point(name: &str) {
    if !cfg!(debug_assertions) {
        return;
    }
    if let Some(want) = std::env::var_os("HOLDFAST_TEST_CRASH_AT") {
        if want == name {
            std::process::abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
