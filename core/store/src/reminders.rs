//! The reminder settings and the last delivery, kept in the encrypted key-value table.

use chrono::{DateTime, Utc};
use holdfast_domain::reminders::{ReminderSettings, DELIVERED_KEY, SETTINGS_KEY};

use crate::{Store, StoreError};

impl Store {
    /// The reminder settings; the defaults when none are saved (or the saved ones cannot be
    /// read, so reminders never stop because of a bad setting).
    pub fn reminder_settings(&self) -> Result<ReminderSettings, StoreError> {
        Ok(self
            .get_setting(SETTINGS_KEY)?
            .and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or_default())
    }

    /// Saves the reminder settings.
    pub fn set_reminder_settings(&self, settings: &ReminderSettings) -> Result<(), StoreError> {
        settings.validate()?;
        let json = serde_json::to_string(settings)
            .map_err(|_| StoreError::Internal("settings encoding"))?;
        self.set_setting(SETTINGS_KEY, &json)
    }

    /// When reminders were last delivered.
    pub fn reminders_delivered_at(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(self
            .get_setting(DELIVERED_KEY)?
            .and_then(|v| DateTime::parse_from_rfc3339(&v).ok())
            .map(|t| t.with_timezone(&Utc)))
    }

    /// Records that reminders were delivered at `at` (the shell calls this after showing them).
    pub fn set_reminders_delivered_at(&self, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.set_setting(DELIVERED_KEY, &at.to_rfc3339())
    }
}
