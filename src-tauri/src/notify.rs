//! Showing a notification. A small trait so the reminder thread does not depend on how; on the
//! desktop it is notify-rust (the freedesktop notification service over D-Bus, pure Rust through
//! zbus). On Android and iOS, `tauri-plugin-notification` would implement [`Notifier`] here.

/// Why a notification could not be shown. Never carries the notification's text.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("the notification service did not take the notification ({0})")]
    Service(String),
}

/// Something that shows a notification.
pub trait Notifier: Send + 'static {
    fn notify(&self, summary: &str, body: &str) -> Result<(), NotifyError>;
}

/// The desktop's notification service, through notify-rust.
#[cfg(desktop)]
#[derive(Debug, Default, Clone, Copy)]
pub struct DesktopNotifier;

#[cfg(desktop)]
impl Notifier for DesktopNotifier {
    fn notify(&self, summary: &str, body: &str) -> Result<(), NotifyError> {
        notify_rust::Notification::new()
            .appname("Holdfast")
            .summary(summary)
            .body(body)
            // Not kept in the notification daemon's history, where any program of the same
            // user could read it later (security review L12).
            .hint(notify_rust::Hint::Transient(true))
            .show()
            .map(|_| ())
            .map_err(|e| NotifyError::Service(e.to_string()))
    }
}

// Mobile: a `MobileNotifier` wrapping `tauri_plugin_notification::NotificationExt` would go here,
// behind `#[cfg(mobile)]`, registered with `.plugin(tauri_plugin_notification::init())`.
