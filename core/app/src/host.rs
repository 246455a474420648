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
}
