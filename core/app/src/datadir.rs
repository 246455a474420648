//! Choosing and checking the data folder.
//!
//! The folder comes from `--data-dir PATH` (or `--data-dir=PATH`), else `HOLDFAST_DATA_DIR`, else
//! the operating system's app-data folder. Before anything is stored there it must be a folder we
//! can read and write. When it is not, we say exactly why and change nothing in it.

use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The environment variable that overrides the data folder (after `--data-dir`).
pub const DATA_DIR_ENV: &str = "HOLDFAST_DATA_DIR";

/// Why a data folder cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DataDirError {
    #[error("The data folder {0} is a file, not a folder. Choose a folder with --data-dir or HOLDFAST_DATA_DIR.")]
    NotAFolder(PathBuf),
    #[error("The data folder {path} could not be created ({reason}). Check the path, or choose another folder with --data-dir.")]
    NotCreatable { path: PathBuf, reason: String },
    #[error("The data folder {path} cannot be read ({reason}). Check its permissions, or choose another folder with --data-dir.")]
    Unreadable { path: PathBuf, reason: String },
    #[error("The data folder {path} cannot be written to ({reason}). Check its permissions and free space, or choose another folder with --data-dir.")]
    Unwritable { path: PathBuf, reason: String },
    #[error("No data folder was given and the system's app-data folder is unknown. Choose one with --data-dir PATH.")]
    NoDefault,
    #[error("Holdfast is already open with the data folder {0}. Use that window, or close it and open Holdfast again. Overdose help, phone lines and guides work in this window too.")]
    InUse(PathBuf),
}

/// Problems with the command line.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ArgError {
    #[error("--data-dir needs a folder path after it, for example --data-dir ~/holdfast-data")]
    MissingValue,
    #[error("--data-dir was given an empty path")]
    EmptyValue,
}

/// Where the data folder choice came from, for messages and the About screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Argument,
    Environment,
    SystemDefault,
}

/// The chosen folder and where the choice came from (if any), and the arguments not understood.
pub type Choice = (Option<(PathBuf, Source)>, Vec<OsString>);

/// Picks the data folder path from the command line, then the environment, then `default`.
///
/// `args` excludes the program name. Arguments this function does not know are returned in the
/// second element so the caller can warn about them (WebDriver may add its own).
pub fn choose(
    args: impl IntoIterator<Item = OsString>,
    env_value: Option<OsString>,
    default: Option<PathBuf>,
) -> Result<Choice, ArgError> {
    let mut from_arg: Option<PathBuf> = None;
    let mut unknown = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--data-dir" {
            let value = args.next().ok_or(ArgError::MissingValue)?;
            from_arg = Some(non_empty(value)?);
        } else if let Some(value) = arg.to_str().and_then(|s| s.strip_prefix("--data-dir=")) {
            from_arg = Some(non_empty(OsString::from(value))?);
        } else {
            unknown.push(arg);
        }
    }
    let chosen = from_arg
        .map(|p| (p, Source::Argument))
        .or_else(|| {
            env_value
                .filter(|v| !v.is_empty())
                .map(|v| (PathBuf::from(v), Source::Environment))
        })
        .or_else(|| default.map(|p| (p, Source::SystemDefault)));
    Ok((chosen, unknown))
}

fn non_empty(value: OsString) -> Result<PathBuf, ArgError> {
    if value.is_empty() {
        Err(ArgError::EmptyValue)
    } else {
        Ok(PathBuf::from(value))
    }
}

/// The file in the data folder that one running Holdfast holds locked for as long as it runs.
pub const LOCK_FILE: &str = "holdfast.lock";

/// How long opening waits for another Holdfast to let go of the folder (a relaunch while the
/// last window is still closing).
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// A data folder that exists, is a folder, and can be read and written, held by this process
/// alone: two copies of Holdfast on one folder could each move the other's files (security
/// review of H1, MF1), so the second is refused.
#[derive(Debug, Clone)]
pub struct DataDir {
    path: PathBuf,
    /// The locked [`LOCK_FILE`]; the lock goes when the last clone is dropped (or the process
    /// ends, whatever way it ends).
    _lock: std::sync::Arc<fs::File>,
}

impl PartialEq for DataDir {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
    }
}

impl Eq for DataDir {}

impl DataDir {
    /// Checks `path` and creates it (with its parents) when it does not exist yet.
    ///
    /// Nothing already in the folder is changed: the write check creates a uniquely named empty
    /// file and removes it again.
    pub fn open(path: &Path) -> Result<Self, DataDirError> {
        let path = absolute(path);
        match fs::metadata(&path) {
            Ok(meta) if !meta.is_dir() => return Err(DataDirError::NotAFolder(path)),
            Ok(_) => {}
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                holdfast_store::create_private_dir(&path).map_err(|e| {
                    DataDirError::NotCreatable {
                        path: path.clone(),
                        reason: describe(&e),
                    }
                })?;
            }
            Err(err) => {
                return Err(DataDirError::Unreadable {
                    path,
                    reason: describe(&err),
                })
            }
        }
        fs::read_dir(&path).map_err(|e| DataDirError::Unreadable {
            path: path.clone(),
            reason: describe(&e),
        })?;
        check_writable(&path)?;
        let lock = hold(&path)?;
        Ok(Self {
            path,
            _lock: std::sync::Arc::new(lock),
        })
    }

    /// The folder's absolute path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Opens (or creates, 0600) the lock file and takes an exclusive lock on it, waiting up to
/// [`LOCK_WAIT`] for another process to let go.
fn hold(dir: &Path) -> Result<fs::File, DataDirError> {
    let path = dir.join(LOCK_FILE);
    let mut options = fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(&path).map_err(|e| DataDirError::Unwritable {
        path: dir.to_path_buf(),
        reason: describe(&e),
    })?;
    let started = std::time::Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(fs::TryLockError::WouldBlock) if started.elapsed() < LOCK_WAIT => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(DataDirError::InUse(dir.to_path_buf()))
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(DataDirError::Unwritable {
                    path: dir.to_path_buf(),
                    reason: describe(&e),
                })
            }
        }
    }
}

fn check_writable(dir: &Path) -> Result<(), DataDirError> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let probe = dir.join(format!(
        ".holdfast-write-check-{}-{nanos}",
        std::process::id()
    ));
    let unwritable = |e: io::Error| DataDirError::Unwritable {
        path: dir.to_path_buf(),
        reason: describe(&e),
    };
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
        .map_err(unwritable)?;
    fs::remove_file(&probe).map_err(unwritable)
}

fn describe(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::NotFound => "a part of the path does not exist".to_owned(),
        io::ErrorKind::ReadOnlyFilesystem => "the disk is read-only".to_owned(),
        io::ErrorKind::StorageFull => "the disk is full".to_owned(),
        io::ErrorKind::NotADirectory => "a part of the path is a file".to_owned(),
        _ => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(v: &[&str]) -> Vec<OsString> {
        v.iter().map(OsString::from).collect()
    }

    #[test]
    fn argument_beats_environment_beats_default() -> Result<(), ArgError> {
        let def = Some(PathBuf::from("/default"));
        let env = Some(OsString::from("/env"));
        let (c, _) = choose(os(&["--data-dir", "/arg"]), env.clone(), def.clone())?;
        assert_eq!(c, Some((PathBuf::from("/arg"), Source::Argument)));
        let (c, _) = choose(os(&["--data-dir=/eq"]), env.clone(), def.clone())?;
        assert_eq!(c, Some((PathBuf::from("/eq"), Source::Argument)));
        let (c, _) = choose(os(&[]), env, def.clone())?;
        assert_eq!(c, Some((PathBuf::from("/env"), Source::Environment)));
        let (c, _) = choose(os(&[]), Some(OsString::new()), def)?;
        assert_eq!(c, Some((PathBuf::from("/default"), Source::SystemDefault)));
        let (c, _) = choose(os(&[]), None, None)?;
        assert_eq!(c, None);
        Ok(())
    }

    #[test]
    fn missing_or_empty_values_are_errors_and_unknown_args_are_returned() {
        assert_eq!(
            choose(os(&["--data-dir"]), None, None),
            Err(ArgError::MissingValue)
        );
        assert_eq!(
            choose(os(&["--data-dir="]), None, None),
            Err(ArgError::EmptyValue)
        );
        let got = choose(os(&["--automation", "--data-dir", "/x"]), None, None);
        assert_eq!(
            got,
            Ok((
                Some((PathBuf::from("/x"), Source::Argument)),
                os(&["--automation"])
            ))
        );
    }

    /// Security review of H1 (MF1): two copies of Holdfast on one data folder could each move
    /// the other's files, so the second is refused while the first runs, and gets in once it
    /// has gone.
    #[test]
    fn a_second_holdfast_on_the_same_folder_is_refused() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let first = DataDir::open(tmp.path())?;
        let second = DataDir::open(tmp.path());
        assert!(
            matches!(&second, Err(DataDirError::InUse(_))),
            "a second open of a held folder: {second:?}"
        );
        // A clone is the same holder, not a second one.
        let clone = first.clone();
        drop(first);
        assert!(matches!(
            DataDir::open(tmp.path()),
            Err(DataDirError::InUse(_))
        ));
        drop(clone);
        DataDir::open(tmp.path())?;
        Ok(())
    }

    #[test]
    fn creates_a_missing_folder_and_leaves_no_trace() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let target = tmp.path().join("a").join("b");
        let dir = DataDir::open(&target)?;
        assert_eq!(dir.path(), target);
        let left: Vec<_> = fs::read_dir(&target)?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            left,
            vec![LOCK_FILE.to_owned()],
            "the write check must leave nothing"
        );
        // Private (security review L11): other local users cannot list it.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for folder in [tmp.path().join("a"), target.clone()] {
                let mode = fs::metadata(&folder)?.permissions().mode() & 0o777;
                assert_eq!(mode, 0o700, "{} mode {mode:o}", folder.display());
            }
        }
        Ok(())
    }

    #[test]
    fn a_file_is_refused_and_left_alone() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let file = tmp.path().join("notes.txt");
        fs::write(&file, b"keep me")?;
        assert_eq!(
            DataDir::open(&file),
            Err(DataDirError::NotAFolder(file.clone()))
        );
        assert_eq!(fs::read(&file)?, b"keep me");
        Ok(())
    }

    #[test]
    fn a_path_below_a_file_cannot_be_created() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let file = tmp.path().join("f");
        fs::write(&file, b"")?;
        let err = DataDir::open(&file.join("sub"));
        assert!(
            matches!(
                err,
                Err(DataDirError::NotCreatable { .. }) | Err(DataDirError::Unreadable { .. })
            ),
            "{err:?}"
        );
        Ok(())
    }

    #[test]
    fn an_unwritable_folder_is_refused() {
        // /proc/self is a folder nobody, not even root, can create files in.
        let err = DataDir::open(Path::new("/proc/self"));
        assert!(
            matches!(err, Err(DataDirError::Unwritable { .. })),
            "{err:?}"
        );
        let msg = err.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains("cannot be written to"), "{msg}");
    }

    #[test]
    fn relative_paths_become_absolute() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let dir = DataDir::open(tmp.path())?;
        assert!(dir.path().is_absolute());
        Ok(())
    }
}
