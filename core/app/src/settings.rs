//! Settings that are not personal and are needed before the journal is unlocked (the region the
//! emergency screens use, and whether the app is on the personal or the helper path). Kept as
//! `settings.json` in the data folder, written atomically. Personal settings belong in the
//! encrypted store, never here.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer, Serialize};
use ts_rs::TS;

use holdfast_content::Region;

/// Default minutes of no activity before the journal locks itself.
pub const DEFAULT_IDLE_MINUTES: u32 = 5;
/// Choices offered for the idle lock, in minutes.
pub const IDLE_CHOICES: [u32; 6] = [1, 2, 5, 10, 15, 30];

/// The file's name inside the data folder.
pub const FILE_NAME: &str = "settings.json";

/// The plain (unencrypted) settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// The region the person chose; `None` until they choose (the system locale is used then).
    #[serde(default)]
    pub region: Option<Region>,
    /// Minutes without activity before the journal locks itself; `None` means the default
    /// ([`DEFAULT_IDLE_MINUTES`]).
    #[serde(default)]
    pub idle_lock_minutes: Option<u32>,
    /// Which path the app is on; `None` until the person chooses at first run. A value this
    /// version does not know (written by a newer one, or edited by hand) reads as `None`, so the
    /// person is simply asked again: it never makes the region or lock settings "damaged".
    #[serde(default, deserialize_with = "lenient_mode")]
    pub mode: Option<AppMode>,
}

/// Who the app is for. Stored in the plain settings because it decides the first screen, before
/// any journal exists or is unlocked; it says nothing personal beyond what Home shows anyway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum AppMode {
    /// "This is for me": the private journal, set up with a passphrase.
    Personal,
    /// "I'm here to help someone": overdose help, naloxone, the law, talking and support for
    /// the helper. No journal and no passphrase.
    Helper,
}

impl AppMode {
    /// The mode a name from the UI or the file means (`personal`, `helper`), if any.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "personal" => Some(Self::Personal),
            "helper" => Some(Self::Helper),
            _ => None,
        }
    }
}

/// Reads `mode` from any JSON value: a known name gives that mode, anything else (an unknown
/// name, a number, `null`) gives `None`.
fn lenient_mode<'de, D: Deserializer<'de>>(d: D) -> Result<Option<AppMode>, D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    Ok(value.as_str().and_then(AppMode::parse))
}

impl Settings {
    /// The idle lock in minutes: the saved choice when it is one of the offered choices,
    /// otherwise the default.
    pub fn idle_minutes(&self) -> u32 {
        self.idle_lock_minutes
            .filter(|m| IDLE_CHOICES.contains(m))
            .unwrap_or(DEFAULT_IDLE_MINUTES)
    }
}

/// Why the settings could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("The settings file could not be read ({0}). Holdfast is using the defaults.")]
    Unreadable(String),
    #[error("The settings file is damaged ({0}). Holdfast is using the defaults; the damaged file is kept until you save a setting, then set aside as {1}.")]
    Damaged(String, String),
    #[error("The setting could not be saved ({0}). Nothing was changed.")]
    Unwritable(String),
}

fn path(dir: &Path) -> PathBuf {
    dir.join(FILE_NAME)
}

fn damaged_path(dir: &Path) -> PathBuf {
    dir.join(format!("{FILE_NAME}.damaged"))
}

/// Reads the settings; a missing file gives the defaults.
pub fn load(dir: &Path) -> Result<Settings, SettingsError> {
    match fs::read(path(dir)) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
            SettingsError::Damaged(e.to_string(), damaged_path(dir).display().to_string())
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Settings::default()),
        Err(e) => Err(SettingsError::Unreadable(e.to_string())),
    }
}

/// Changes one or more settings and saves them; returns the settings as saved. A damaged file
/// starts from the defaults (it is set aside by [`save`], never deleted). A file that exists
/// but cannot be read is left alone and the change refused, so the other settings are never
/// silently reset.
pub fn update(dir: &Path, change: impl FnOnce(&mut Settings)) -> Result<Settings, SettingsError> {
    let mut current = match load(dir) {
        Ok(s) => s,
        Err(SettingsError::Damaged(..)) => Settings::default(),
        Err(SettingsError::Unreadable(e) | SettingsError::Unwritable(e)) => {
            return Err(SettingsError::Unwritable(format!(
                "the settings file could not be read: {e}"
            )))
        }
    };
    change(&mut current);
    save(dir, &current)?;
    Ok(current)
}

/// Saves the settings atomically. A damaged file is first moved aside (never deleted).
pub fn save(dir: &Path, settings: &Settings) -> Result<(), SettingsError> {
    if let Err(SettingsError::Damaged(..)) = load(dir) {
        fs::rename(path(dir), damaged_path(dir))
            .map_err(|e| SettingsError::Unwritable(e.to_string()))?;
    }
    let bytes = serde_json::to_vec_pretty(settings)
        .map_err(|e| SettingsError::Unwritable(e.to_string()))?;
    // The store's atomic replace: temp file, fsync, rename, fsync the folder.
    holdfast_store::fsutil::write_atomic(dir, FILE_NAME, &bytes)
        .map_err(|e| SettingsError::Unwritable(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_defaults() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        assert_eq!(load(tmp.path())?, Settings::default());
        let s = Settings {
            region: Some(Region::Ca),
            idle_lock_minutes: Some(10),
            mode: Some(AppMode::Helper),
        };
        save(tmp.path(), &s)?;
        assert_eq!(load(tmp.path())?, s);
        Ok(())
    }

    #[test]
    fn a_damaged_file_is_reported_and_kept_aside_not_lost() -> Result<(), Box<dyn std::error::Error>>
    {
        let tmp = tempfile::tempdir()?;
        fs::write(tmp.path().join(FILE_NAME), b"{ not json")?;
        let err = load(tmp.path());
        assert!(matches!(err, Err(SettingsError::Damaged(..))), "{err:?}");
        assert_eq!(
            fs::read(tmp.path().join(FILE_NAME))?,
            b"{ not json",
            "loading must not touch it"
        );
        save(
            tmp.path(),
            &Settings {
                region: Some(Region::Uk),
                ..Settings::default()
            },
        )?;
        assert_eq!(fs::read(damaged_path(tmp.path()))?, b"{ not json");
        assert_eq!(load(tmp.path())?.region, Some(Region::Uk));
        Ok(())
    }

    #[test]
    fn idle_minutes_fall_back_to_the_default_for_odd_values() {
        let with = |m| Settings {
            idle_lock_minutes: m,
            ..Settings::default()
        };
        assert_eq!(with(None).idle_minutes(), 5);
        assert_eq!(with(Some(15)).idle_minutes(), 15);
        assert_eq!(with(Some(0)).idle_minutes(), 5);
        assert_eq!(with(Some(7)).idle_minutes(), 5);
    }

    #[test]
    fn an_unknown_region_code_is_damage_not_a_crash() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        fs::write(tmp.path().join(FILE_NAME), br#"{"region":"XX"}"#)?;
        assert!(matches!(load(tmp.path()), Err(SettingsError::Damaged(..))));
        Ok(())
    }

    #[test]
    fn the_mode_round_trips_with_plain_names() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        for mode in [AppMode::Personal, AppMode::Helper] {
            let saved = update(tmp.path(), |s| s.mode = Some(mode))?;
            assert_eq!(saved.mode, Some(mode));
            assert_eq!(load(tmp.path())?.mode, Some(mode));
        }
        let text = fs::read_to_string(tmp.path().join(FILE_NAME))?;
        assert!(text.contains(r#""mode": "helper""#), "{text}");
        Ok(())
    }

    #[test]
    fn setting_the_mode_keeps_the_other_settings() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        save(
            tmp.path(),
            &Settings {
                region: Some(Region::Au),
                idle_lock_minutes: Some(15),
                mode: None,
            },
        )?;
        update(tmp.path(), |s| s.mode = Some(AppMode::Helper))?;
        let back = load(tmp.path())?;
        assert_eq!(back.region, Some(Region::Au));
        assert_eq!(back.idle_lock_minutes, Some(15));
        assert_eq!(back.mode, Some(AppMode::Helper));
        Ok(())
    }

    #[test]
    fn an_old_file_without_a_mode_still_loads() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        fs::write(
            tmp.path().join(FILE_NAME),
            br#"{"region":"UK","idleLockMinutes":10}"#,
        )?;
        let s = load(tmp.path())?;
        assert_eq!(s.region, Some(Region::Uk));
        assert_eq!(s.idle_lock_minutes, Some(10));
        assert_eq!(s.mode, None);
        Ok(())
    }

    #[test]
    fn an_unknown_mode_is_not_chosen_and_does_not_damage_the_rest(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        for odd in [r#""carer""#, r#""Helper""#, "7", "null", "{}", "[]"] {
            fs::write(
                tmp.path().join(FILE_NAME),
                format!(r#"{{"region":"NZ","mode":{odd}}}"#),
            )?;
            let s = load(tmp.path())?;
            assert_eq!(s.mode, None, "mode {odd}");
            assert_eq!(s.region, Some(Region::Nz), "mode {odd}");
        }
        // Saving over it writes a known value and sets nothing aside.
        update(tmp.path(), |s| s.mode = Some(AppMode::Personal))?;
        assert_eq!(load(tmp.path())?.mode, Some(AppMode::Personal));
        assert!(!damaged_path(tmp.path()).exists());
        Ok(())
    }

    #[test]
    fn an_unreadable_file_refuses_changes_and_is_left_alone(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        // A folder where the file should be: it exists but cannot be read as a file.
        fs::create_dir(path(tmp.path()))?;
        fs::write(path(tmp.path()).join("keep"), b"x")?;
        assert!(matches!(
            load(tmp.path()),
            Err(SettingsError::Unreadable(_))
        ));
        assert!(matches!(
            update(tmp.path(), |s| s.mode = Some(AppMode::Helper)),
            Err(SettingsError::Unwritable(_))
        ));
        assert!(matches!(
            update(tmp.path(), |s| s.region = Some(Region::Us)),
            Err(SettingsError::Unwritable(_))
        ));
        assert!(path(tmp.path()).join("keep").exists());
        Ok(())
    }

    #[test]
    fn mode_names_parse() {
        assert_eq!(AppMode::parse("helper"), Some(AppMode::Helper));
        assert_eq!(AppMode::parse("personal"), Some(AppMode::Personal));
        assert_eq!(AppMode::parse(""), None);
        assert_eq!(AppMode::parse("HELPER"), None);
    }
}
