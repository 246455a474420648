//! Reminder settings, the reminders coming up, and starting at login (a setting that, like the
//! others, is changed only with the journal open).

use chrono::Local;
use holdfast_domain::reminders::{Reminder, ReminderSettings};

use crate::autostart::{self, AutostartError, AutostartState};
use crate::{reads, App, AppError, IpcError};

impl App {
    /// The reminder settings (the defaults when none are saved).
    pub fn reminder_settings(&self) -> Result<ReminderSettings, IpcError> {
        self.with_store(|s| s.reminder_settings())
    }

    /// Saves the reminder settings; returns them as saved.
    pub fn set_reminder_settings(
        &self,
        settings: ReminderSettings,
    ) -> Result<ReminderSettings, IpcError> {
        self.with_store(|s| {
            s.set_reminder_settings(&settings)?;
            s.reminder_settings()
        })
    }

    /// The reminders coming up in the next 31 days (and a missed group not yet shown), soonest
    /// first, with the text they will be shown with.
    pub fn upcoming_reminders(&self) -> Result<Vec<Reminder>, IpcError> {
        let now = self.now();
        self.with_store(|s| reads::reminders(s, now, &Local))
    }

    /// Whether Holdfast starts at login (desktop only).
    pub fn launch_at_login(&self) -> Result<AutostartState, IpcError> {
        let folder = self
            .host
            .autostart_folder()
            .ok_or(AutostartError::NoFolder)?;
        Ok(autostart::state(&folder))
    }

    /// Turns launch at login on or off. Opt-in, and only with the journal open, like the other
    /// settings.
    pub fn set_launch_at_login(&self, enabled: bool) -> Result<AutostartState, IpcError> {
        self.with_store(|_| Ok::<_, IpcError>(()))?;
        let folder = self
            .host
            .autostart_folder()
            .ok_or(AutostartError::NoFolder)?;
        if !enabled {
            return Ok(autostart::disable(&folder)?);
        }
        if !self.host.can_start_at_login() {
            return Err(AppError::NoStartAtLogin.into());
        }
        let program = self.host.program().ok_or(AppError::NoProgramFile)?;
        Ok(autostart::enable(&folder, &program)?)
    }
}
