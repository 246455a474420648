//! The desktop as the use cases see it (`holdfast_app::Host`): the locale, the autostart folder
//! and this program's path.

use std::path::PathBuf;

use holdfast_app::autostart;

/// This desktop.
#[derive(Debug, Default)]
pub struct Desktop;

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
}
