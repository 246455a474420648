//! What the use cases need from the device they run on, and nothing more. The desktop shell
//! provides it from the system; tests provide a fake. The surface grows only when a use case
//! needs something only a device can answer.

use std::path::PathBuf;

/// The device.
pub trait Host: Send + Sync + std::fmt::Debug {
    /// The locale settings, most important first (`LC_ALL`, `LC_MESSAGES`, `LANG` on a
    /// desktop); the app reads the region from them.
    fn locale_vars(&self) -> Vec<Option<String>>;

    /// The folder start-at-login entries go in, if this device has one.
    fn autostart_folder(&self) -> Option<PathBuf>;

    /// The program a start-at-login entry should start; `None` when it cannot be found.
    fn program(&self) -> Option<PathBuf>;

    /// Whether this device can start Holdfast at login at all (a desktop can, a phone cannot).
    fn can_start_at_login(&self) -> bool;

    /// Starts saying `text` in `lang` (BCP 47), cutting off whatever was being said; returns at
    /// once. A device with no voice says why (the guided response then shows that once and goes
    /// on without it).
    fn speak(&self, _text: &str, _lang: &str, _slower: bool) -> Result<(), String> {
        Err(NO_VOICE.to_owned())
    }

    /// Says a short pacer cue ("Give a breath."), cutting off a cue but never a step.
    fn speak_cue(&self, text: &str, lang: &str, slower: bool) -> Result<(), String> {
        self.speak(text, lang, slower)
    }

    /// Stops speaking.
    fn stop_speaking(&self) {}

    /// Whether a voice can speak.
    fn voice_status(&self) -> VoiceStatus {
        VoiceStatus::Unavailable {
            reason: NO_VOICE.to_owned(),
        }
    }

    /// Keeps the screen on while the guided response runs (`true`), or lets it sleep again.
    /// Returns at once; a device that cannot is not an error.
    fn keep_awake(&self, _on: bool) {}

    /// Hands `uri` (`tel:`, `sms:` or `https:`, already checked by [`crate::links::Links`]) to
    /// the system's dialler, messages app or browser. Returns once it is handed over.
    fn open_link(&self, _uri: &str) -> Result<(), String> {
        Err("this device opens no links".to_owned())
    }
}

/// A device with none of this: no locale (or the one given), no autostart folder, no program
/// path, no voice. For tests and benchmarks, which all need the same stand-in.
#[derive(Debug, Clone, Default)]
pub struct NoHost {
    /// `LANG`, when the caller wants the region read from one.
    pub lang: Option<String>,
}

impl Host for NoHost {
    fn locale_vars(&self) -> Vec<Option<String>> {
        vec![None, None, self.lang.clone()]
    }
    fn autostart_folder(&self) -> Option<PathBuf> {
        None
    }
    fn program(&self) -> Option<PathBuf> {
        None
    }
    fn can_start_at_login(&self) -> bool {
        false
    }
}

/// Said when a device has no voice at all.
pub const NO_VOICE: &str = "This device has no voice to speak with.";

/// Whether the device can speak the guided response.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum VoiceStatus {
    /// Still connecting to the speech service.
    Starting,
    Ready,
    /// No voice: why, in words for the person.
    Unavailable {
        reason: String,
    },
}
