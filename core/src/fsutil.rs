//! Writing files so that a crash never leaves a half-written one.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

/// Writes `bytes` to `path` atomically: a temporary file in the same folder is written and
/// synced, renamed over `path`, and the folder is synced. A crash leaves the old file or the new
/// one, never a mix.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "path has no folder"))?;
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "path has no file name"))?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)?;
        File::open(dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_whole_file_and_leaves_no_temporary() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let p = tmp.path().join("s.json");
        write_atomic(&p, b"first, longer content")?;
        write_atomic(&p, b"second")?;
        assert_eq!(fs::read(&p)?, b"second");
        assert_eq!(fs::read_dir(tmp.path())?.count(), 1);
        Ok(())
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let p = tmp.path().join("s.json");
        write_atomic(&p, b"old")?;
        // Renaming a file over a non-empty folder fails: the old folder must stay as it was.
        let d = tmp.path().join("d");
        fs::create_dir(&d)?;
        fs::write(d.join("x"), b"keep")?;
        assert!(write_atomic(&d, b"new").is_err());
        assert_eq!(fs::read(d.join("x"))?, b"keep");
        assert_eq!(fs::read(&p)?, b"old");
        Ok(())
    }
}
