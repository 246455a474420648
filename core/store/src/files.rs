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
    // The key file first: without it the rest is unreadable, even if removing it fails. It is
    // overwritten with random bytes before it is removed, so its blocks do not keep the wrapped
    // key for someone who reads the disk (best effort; see fsutil::overwrite_and_remove). So is
    // a key file left half-replaced by a crash (a temporary file).
    let slot_temps = format!("{}{SLOTS_FILE}", fsutil::TEMP_PREFIX);
    let mut key_files = vec![dir.join(SLOTS_FILE)];
    if let Ok(entries) = std::fs::read_dir(dir) {
        key_files.extend(
            entries
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with(&slot_temps))
                .map(|e| e.path()),
        );
    }
    for path in key_files {
        if let Err(e) = fsutil::overwrite_and_remove(&path) {
            first_err.get_or_insert(StoreError::write(&e));
        }
    }
    let _ = fsutil::sync_dir(dir);
    let mut remove = |p: PathBuf| {
        if let Err(e) = std::fs::remove_file(&p) {
            if e.kind() != std::io::ErrorKind::NotFound && first_err.is_none() {
                first_err = Some(StoreError::write(&e));
            }
        }
    };
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

/// Erases the journal in `dir`: the key file first, overwritten in place with random bytes and
/// fsynced before it is removed (after that nothing can be decrypted), then
/// the database, its `-wal`/`-shm` files and any temporary files. Afterwards the folder is at
/// first run. Lock (drop) any open [`Store`] on this folder first.
pub fn wipe(dir: &Path) -> Result<(), StoreError> {
    remove_store_files(dir)
}

/// Prefix of the folders [`set_aside`] makes inside the data folder.
pub const SET_ASIDE_PREFIX: &str = "set-aside-";

/// The file in a set-aside folder that says why it was set aside.
pub const SET_ASIDE_REASON_FILE: &str = "why.txt";

/// The journal's own files, in the order they are moved (the key file last, so a move cut short
/// leaves a database without its key file, which opens as "damaged", never as a new journal).
fn journal_files() -> [String; 5] {
    [
        DB_FILE.to_owned(),
        format!("{DB_FILE}-wal"),
        format!("{DB_FILE}-shm"),
        format!("{DB_FILE}-journal"),
        SLOTS_FILE.to_owned(),
    ]
}

/// Why a journal was set aside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum SetAsideReason {
    /// From the lock screen: the passphrase and the recovery code were both lost (or someone
    /// holding the device said so).
    LockScreen,
    /// The journal's files were damaged.
    Damaged,
    /// Another journal was put back in its place.
    Swapped,
    /// Set aside by an older version, which did not say why.
    Unknown,
}

impl SetAsideReason {
    fn word(self) -> &'static str {
        match self {
            SetAsideReason::LockScreen => "lock_screen",
            SetAsideReason::Damaged => "damaged",
            SetAsideReason::Swapped => "swapped",
            SetAsideReason::Unknown => "unknown",
        }
    }

    fn parse(text: &str) -> Self {
        match text.trim() {
            "lock_screen" => SetAsideReason::LockScreen,
            "damaged" => SetAsideReason::Damaged,
            "swapped" => SetAsideReason::Swapped,
            _ => SetAsideReason::Unknown,
        }
    }
}

/// A journal set aside in the data folder.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct SetAside {
    /// The folder's name (`set-aside-20261201T101500Z`), which names it in every command.
    pub name: String,
    /// When it was set aside (from the name), if the name says.
    pub at: Option<chrono::DateTime<chrono::Utc>>,
    pub reason: SetAsideReason,
    /// Whether it still has its key file (without it, nobody can open it).
    pub has_key_file: bool,
}

/// Moves the journal out of the way without deleting anything: the database, WAL, SHM and key
/// file are renamed into a new folder `set-aside-<UTC time>` inside `dir` (with a note of why),
/// which is returned. Afterwards the data folder is at first run, so a new journal can be set up
/// and a backup restored into it. [`put_back`] undoes it.
pub fn set_aside(
    dir: &Path,
    now: chrono::DateTime<chrono::Utc>,
    reason: SetAsideReason,
) -> Result<PathBuf, StoreError> {
    let stamp = now.format("%Y%m%dT%H%M%SZ");
    let mut target = dir.join(format!("{SET_ASIDE_PREFIX}{stamp}"));
    let mut n = 1;
    while exists(&target)? {
        n += 1;
        target = dir.join(format!("{SET_ASIDE_PREFIX}{stamp}-{n}"));
    }
    // Not recursive: fails if the name was taken meanwhile, rather than sharing a folder.
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(&target).map_err(|e| StoreError::write(&e))?;
    fsutil::write_atomic(&target, SET_ASIDE_REASON_FILE, reason.word().as_bytes())?;
    for name in journal_files() {
        let from = dir.join(&name);
        if exists(&from)? {
            std::fs::rename(&from, target.join(&name)).map_err(|e| StoreError::write(&e))?;
        }
    }
    fsutil::sync_dir(&target).map_err(|e| StoreError::write(&e))?;
    fsutil::sync_dir(dir).map_err(|e| StoreError::write(&e))?;
    Ok(target)
}

/// The set-aside folder `name` inside `dir`, if `name` is one (a plain folder name with the
/// prefix, never a path).
fn set_aside_folder(dir: &Path, name: &str) -> Result<PathBuf, StoreError> {
    let plain = !name.is_empty()
        && name.len() <= 100
        && name.starts_with(SET_ASIDE_PREFIX)
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let folder = dir.join(name);
    if !plain || !folder.is_dir() {
        return Err(StoreError::RecordNotFound);
    }
    Ok(folder)
}

/// Every journal set aside in `dir`, oldest first.
pub fn list_set_aside(dir: &Path) -> Result<Vec<SetAside>, StoreError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(StoreError::read(&e)),
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(folder) = set_aside_folder(dir, &name) else {
            continue;
        };
        let stamp = name
            .trim_start_matches(SET_ASIDE_PREFIX)
            .get(..16)
            .unwrap_or_default();
        let at = chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%SZ")
            .ok()
            .map(|t| t.and_utc());
        let reason = std::fs::read_to_string(folder.join(SET_ASIDE_REASON_FILE))
            .map_or(SetAsideReason::Unknown, |t| SetAsideReason::parse(&t));
        out.push(SetAside {
            name,
            at,
            reason,
            has_key_file: folder.join(SLOTS_FILE).exists(),
        });
    }
    out.sort_by(|a, b| (a.at, &a.name).cmp(&(b.at, &b.name)));
    Ok(out)
}

/// Puts the set-aside journal `name` back as the journal of `dir`. A journal there now is set
/// aside first (reason [`SetAsideReason::Swapped`]), so nothing is lost either way; its folder
/// is returned. Lock (drop) any open [`Store`] on this folder first.
///
/// One exception: when `dir` holds only half a journal (the key file without the database, or
/// the database without the key file) and the folder holds the other half and nothing of the
/// same name, the halves are joined and nothing is swapped. That is a move cut short by a crash
/// or a power cut (the files are renamed one at a time, here by [`set_aside`] or there by an
/// earlier `put_back`); swapping would set the half here aside and leave both halves apart.
pub fn put_back(
    dir: &Path,
    name: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<PathBuf>, StoreError> {
    let folder = set_aside_folder(dir, name)?;
    let (mut here, mut there, mut overlap) = (Vec::new(), Vec::new(), false);
    for file in journal_files() {
        let (h, t) = (exists(&dir.join(&file))?, exists(&folder.join(&file))?);
        overlap |= h && t;
        here.push((file.clone(), h));
        there.push((file, t));
    }
    let has = |side: &[(String, bool)], name: &str| side.iter().any(|(f, e)| *e && f == name);
    let halves = !overlap
        && has(&here, DB_FILE) != has(&here, SLOTS_FILE)
        && has(&here, DB_FILE) != has(&there, DB_FILE)
        && has(&here, SLOTS_FILE) != has(&there, SLOTS_FILE);
    let current = here.iter().any(|(_, e)| *e) && !halves;
    let swapped = if current {
        Some(set_aside(dir, now, SetAsideReason::Swapped)?)
    } else {
        None
    };
    for file in journal_files() {
        let from = folder.join(&file);
        if exists(&from)? {
            std::fs::rename(&from, dir.join(&file)).map_err(|e| StoreError::write(&e))?;
        }
    }
    fsutil::sync_dir(dir).map_err(|e| StoreError::write(&e))?;
    // The folder now holds only the note of why (or files this app did not write: then it
    // stays, and is still listed).
    let _ = std::fs::remove_file(folder.join(SET_ASIDE_REASON_FILE));
    if std::fs::remove_dir(&folder).is_ok() {
        fsutil::sync_dir(dir).map_err(|e| StoreError::write(&e))?;
    }
    Ok(swapped)
}

/// Deletes the set-aside journal `name`, only for someone who knows its own passphrase (the
/// passphrase of a journal set up since does not count): nobody without the passphrase can
/// destroy a journal. A set-aside folder without a readable key file cannot be deleted here.
/// `min_kdf` is the least key-derivation cost accepted from its key file
/// ([`StoreOptions::min_kdf`]).
pub fn delete_set_aside(
    dir: &Path,
    name: &str,
    passphrase: &str,
    min_kdf: &KdfParams,
) -> Result<(), StoreError> {
    let folder = set_aside_folder(dir, name)?;
    let slots = keyslots::KeySlots::read(&folder)?.ok_or_else(|| {
        StoreError::Damaged(format!(
            "{SLOTS_FILE} is missing, so this journal's passphrase cannot be checked"
        ))
    })?;
    slots.unlock_passphrase(passphrase, min_kdf)?;
    remove_store_files(&folder)?;
    std::fs::remove_dir_all(&folder).map_err(|e| StoreError::write(&e))?;
    fsutil::sync_dir(dir).map_err(|e| StoreError::write(&e))
}
