//! The store's files as files: removing them, wiping the folder and setting a damaged journal
//! aside.

use std::path::{Path, PathBuf};

use crate::*;

pub(crate) fn wal_path(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push("-wal");
    PathBuf::from(s)
}

pub(crate) fn remove_db_files(db: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut s = db.as_os_str().to_owned();
        s.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(s));
    }
}

pub(crate) fn remove_store_files(dir: &Path) -> Result<(), StoreError> {
    let mut first_err = None;
    let mut remove = |p: PathBuf| {
        if let Err(e) = std::fs::remove_file(&p) {
            if e.kind() != std::io::ErrorKind::NotFound && first_err.is_none() {
                first_err = Some(StoreError::write(&e));
            }
        }
    };
    // The key file first: without it the rest is unreadable, even if removing it fails.
    remove(dir.join(SLOTS_FILE));
    let _ = fsutil::sync_dir(dir);
    for suffix in ["", "-wal", "-shm", "-journal"] {
        remove(dir.join(format!("{DB_FILE}{suffix}")));
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with(fsutil::TEMP_PREFIX)
            {
                remove(entry.path());
            }
        }
    }
    fsutil::sync_dir(dir).map_err(|e| StoreError::write(&e))?;
    first_err.map_or(Ok(()), Err)
}

/// Erases the journal in `dir`: the key file first (after that nothing can be decrypted), then
/// the database, its `-wal`/`-shm` files and any temporary files. Afterwards the folder is at
/// first run. Lock (drop) any open [`Store`] on this folder first.
pub fn wipe(dir: &Path) -> Result<(), StoreError> {
    remove_store_files(dir)
}

/// Prefix of the folders [`set_aside`] makes inside the data folder.
pub const SET_ASIDE_PREFIX: &str = "set-aside-";

/// Moves a damaged journal out of the way without deleting anything: the key file, database, WAL
/// and SHM are renamed into a new folder `set-aside-<UTC time>` inside `dir`, which is returned.
/// Afterwards the data folder is at first run, so a new journal can be set up and a backup
/// restored into it. The files can still be given to someone who can repair them.
pub fn set_aside(dir: &Path, now: chrono::DateTime<chrono::Utc>) -> Result<PathBuf, StoreError> {
    let stamp = now.format("%Y%m%dT%H%M%SZ");
    let mut target = dir.join(format!("{SET_ASIDE_PREFIX}{stamp}"));
    let mut n = 1;
    while exists(&target)? {
        n += 1;
        target = dir.join(format!("{SET_ASIDE_PREFIX}{stamp}-{n}"));
    }
    std::fs::create_dir(&target).map_err(|e| StoreError::write(&e))?;
    let names = [
        SLOTS_FILE.to_owned(),
        DB_FILE.to_owned(),
        format!("{DB_FILE}-wal"),
        format!("{DB_FILE}-shm"),
        format!("{DB_FILE}-journal"),
    ];
    for name in names {
        let from = dir.join(&name);
        if exists(&from)? {
            std::fs::rename(&from, target.join(&name)).map_err(|e| StoreError::write(&e))?;
        }
    }
    fsutil::sync_dir(&target).map_err(|e| StoreError::write(&e))?;
    fsutil::sync_dir(dir).map_err(|e| StoreError::write(&e))?;
    Ok(target)
}
