//! Launch at login (opt-in) on Linux and the BSDs: an XDG autostart entry, a `.desktop` file in
//! `$XDG_CONFIG_HOME/autostart` (by default `~/.config/autostart`). The desktop session starts
//! every entry there when the person logs in.
//!
//! The pure parts (which folder, what the file says) are functions of their inputs, so they are
//! tested without touching the person's own folders; [`enable`] and [`disable`] do the writing.
//! The file names nothing personal: just "Holdfast" and the program to start.

use std::ffi::OsStr;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The entry's file name (the app's identifier, as desktop files are named).
pub const FILE_NAME: &str = "org.holdfast.companion.desktop";

/// Whether the app starts at login, and the file that makes it so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AutostartState {
    pub enabled: bool,
    /// The autostart file's full path (shown so the person can remove it by hand too).
    pub path: String,
}

/// Why launch at login could not be switched.
#[derive(Debug, thiserror::Error)]
pub enum AutostartError {
    #[error("There is no folder for programs that start at login (neither XDG_CONFIG_HOME nor a home folder is set).")]
    NoFolder,
    #[error("Holdfast's program path cannot be written into a start-up entry (it is not plain text or holds a line break).")]
    UnusableProgramPath,
    #[error("The start-up entry could not be written ({0}). Nothing was changed.")]
    Write(String),
    #[error("The start-up entry could not be removed ({0}).")]
    Remove(String),
}

/// The autostart folder: `$XDG_CONFIG_HOME/autostart` when that is set to an absolute path (the
/// XDG Base Directory spec says a relative one is to be ignored), else `$HOME/.config/autostart`.
pub fn folder(xdg_config_home: Option<&OsStr>, home: Option<&OsStr>) -> Option<PathBuf> {
    let absolute = |v: Option<&OsStr>| {
        v.filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    absolute(xdg_config_home)
        .or_else(|| absolute(home).map(|h| h.join(".config")))
        .map(|c| c.join("autostart"))
}

/// The autostart folder from this process's environment.
pub fn folder_from_env() -> Option<PathBuf> {
    folder(
        std::env::var_os("XDG_CONFIG_HOME").as_deref(),
        std::env::var_os("HOME").as_deref(),
    )
}

/// `program` as one argument of a desktop entry's `Exec` key: quoted, with `"`, `` ` ``, `$` and
/// `\` escaped by a backslash inside the quotes, then every `\` doubled again because the value
/// is a string (Desktop Entry spec, "The Exec key"), and `%` written `%%` (field codes).
fn exec_arg(program: &Path) -> Result<String, AutostartError> {
    let text = program
        .to_str()
        .filter(|t| !t.is_empty() && !t.chars().any(char::is_control))
        .ok_or(AutostartError::UnusableProgramPath)?;
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' | '`' | '$' => {
                quoted.push('\\');
                quoted.push(c);
            }
            '\\' => quoted.push_str("\\\\"),
            '%' => quoted.push_str("%%"),
            _ => quoted.push(c),
        }
    }
    quoted.push('"');
    // The string-level escape: each backslash written above becomes two.
    Ok(quoted.replace('\\', "\\\\"))
}

/// The `.desktop` file that starts `program` at login. Its `Type`, `Version`, `Name` and
/// `Terminal` are those of the packaged entry (`packaging/linux/`, checked by a test); version 1.4
/// because nothing here needs 1.5 and the `desktop-file-validate` of Debian 12 and Ubuntu 22.04
/// knows no newer one.
pub fn desktop_entry(program: &Path) -> Result<String, AutostartError> {
    let exec = exec_arg(program)?;
    Ok(format!(
        "[Desktop Entry]\n\
         Type=Application\n\
         Version=1.4\n\
         Name=Holdfast\n\
         Comment=Start Holdfast when you log in\n\
         Exec={exec}\n\
         Terminal=false\n\
         X-GNOME-Autostart-enabled=true\n"
    ))
}

/// Whether the entry is in `folder`.
pub fn state(folder: &Path) -> AutostartState {
    let path = folder.join(FILE_NAME);
    AutostartState {
        enabled: path.is_file(),
        path: path.display().to_string(),
    }
}

/// Writes the entry into `folder` (creating the folder), replacing an older one whole.
pub fn enable(folder: &Path, program: &Path) -> Result<AutostartState, AutostartError> {
    let text = desktop_entry(program)?;
    std::fs::create_dir_all(folder).map_err(|e| AutostartError::Write(e.kind().to_string()))?;
    holdfast_store::fsutil::write_atomic(folder, FILE_NAME, text.as_bytes())
        .map_err(|e| AutostartError::Write(e.to_string()))?;
    Ok(state(folder))
}

/// Removes the entry from `folder`; nothing to do when it is not there.
pub fn disable(folder: &Path) -> Result<AutostartState, AutostartError> {
    match std::fs::remove_file(folder.join(FILE_NAME)) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(AutostartError::Remove(e.kind().to_string())),
    }
    Ok(state(folder))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_prefers_an_absolute_xdg_config_home() {
        let f = folder(Some(OsStr::new("/x/conf")), Some(OsStr::new("/home/a")));
        assert_eq!(f, Some(PathBuf::from("/x/conf/autostart")));
    }

    #[test]
    fn folder_ignores_a_relative_or_empty_xdg_config_home() {
        for xdg in ["", "conf", "./conf"] {
            let f = folder(Some(OsStr::new(xdg)), Some(OsStr::new("/home/a")));
            assert_eq!(
                f,
                Some(PathBuf::from("/home/a/.config/autostart")),
                "{xdg:?}"
            );
        }
        assert_eq!(
            folder(None, Some(OsStr::new("/home/a"))),
            Some(PathBuf::from("/home/a/.config/autostart"))
        );
    }

    #[test]
    fn no_folder_without_home_or_config() {
        assert_eq!(folder(None, None), None);
        assert_eq!(folder(None, Some(OsStr::new("relative"))), None);
    }

    #[test]
    fn the_entry_starts_the_program_and_names_nothing_personal() -> Result<(), AutostartError> {
        let text = desktop_entry(Path::new("/usr/bin/holdfast"))?;
        assert!(text.starts_with("[Desktop Entry]\n"));
        assert!(text.contains("\nType=Application\n"));
        assert!(text.contains("\nName=Holdfast\n"));
        assert!(text.contains("\nExec=\"/usr/bin/holdfast\"\n"));
        assert!(text.contains("\nTerminal=false\n"));
        assert!(text.ends_with('\n'));
        Ok(())
    }

    #[test]
    fn awkward_program_paths_are_quoted_and_escaped() -> Result<(), AutostartError> {
        let text = desktop_entry(Path::new("/opt/my apps/$hold\"fast`100%\\x"))?;
        // Inside quotes: \$ \" \` and \\ ; then every backslash doubled for the string level.
        assert!(
            text.contains("\nExec=\"/opt/my apps/\\\\$hold\\\\\"fast\\\\`100%%\\\\\\\\x\"\n"),
            "{text}"
        );
        Ok(())
    }

    #[test]
    fn line_breaks_and_empty_paths_are_refused() {
        for p in ["/a\nExec=rm", "", "/a\tb"] {
            assert!(matches!(
                desktop_entry(Path::new(p)),
                Err(AutostartError::UnusableProgramPath)
            ));
        }
    }

    #[test]
    fn enable_then_disable_round_trips() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let folder = dir.path().join("config").join("autostart");
        assert!(!state(&folder).enabled);
        let on = enable(&folder, Path::new("/usr/bin/holdfast"))?;
        assert!(on.enabled);
        assert_eq!(on.path, folder.join(FILE_NAME).display().to_string());
        let written = std::fs::read_to_string(folder.join(FILE_NAME))?;
        assert_eq!(written, desktop_entry(Path::new("/usr/bin/holdfast"))?);
        // Enabling again replaces it; only the entry is in the folder (no temp files left).
        enable(&folder, Path::new("/opt/holdfast"))?;
        assert_eq!(std::fs::read_dir(&folder)?.count(), 1);
        assert!(!disable(&folder)?.enabled);
        assert!(!folder.join(FILE_NAME).exists());
        // Disabling when off is fine.
        assert!(!disable(&folder)?.enabled);
        Ok(())
    }
}
