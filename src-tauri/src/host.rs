//! The desktop as the use cases see it (`holdfast_app::Host`): the locale, the autostart folder,
//! this program's path, the voice and keeping the screen awake.

use std::path::PathBuf;

use holdfast_app::{autostart, VoiceStatus};

use crate::speech::{Awake, Voice};

/// This desktop.
#[derive(Debug)]
pub struct Desktop {
    voice: Voice,
    awake: Awake,
}

impl Desktop {
    /// The desktop; its voice starts when the guided response first speaks.
    pub fn new() -> Self {
        Self {
            voice: Voice::default(),
            awake: Awake::start(),
        }
    }
}

impl holdfast_app::Host for Desktop {
    fn locale_vars(&self) -> Vec<Option<String>> {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .map(|v| std::env::var(v).ok())
            .collect()
    }

    fn autostart_folder(&self) -> Option<PathBuf> {
        autostart::folder_from_env()
    }

    fn program(&self) -> Option<PathBuf> {
        std::env::current_exe().ok()
    }

    fn can_start_at_login(&self) -> bool {
        // A phone starts apps its own way.
        cfg!(desktop)
    }

    fn speak(&self, text: &str, lang: &str, slower: bool) -> Result<(), String> {
        self.voice.speak(text, lang, slower)
    }

    fn speak_cue(&self, text: &str, lang: &str, slower: bool) -> Result<(), String> {
        self.voice.speak_cue(text, lang, slower)
    }

    fn stop_speaking(&self) {
        self.voice.stop();
    }

    fn voice_status(&self) -> VoiceStatus {
        self.voice.status()
    }

    fn open_link(&self, uri: &str) -> Result<(), String> {
        // The system's handler (xdg-open on Linux), detached. On a phone this would go through
        // the opener plugin's mobile side instead.
        tauri_plugin_opener::open_url(uri, None::<&str>).map_err(|e| e.to_string())
    }

    fn keep_awake(&self, on: bool) {
        self.awake.set(on);
    }
}
