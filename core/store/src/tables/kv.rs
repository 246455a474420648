//! The `setting` table: encrypted key-value settings (treatment, reminders and their last
//! delivery).
use chrono::{DateTime, Utc};
use holdfast_domain::records::*;
use rusqlite::{params, Connection, OptionalExtension};

use super::*;
use crate::changes::Table;
use crate::{Store, StoreError};
use holdfast_domain::reminders::{ReminderSettings, DELIVERED_KEY, SETTINGS_KEY};

pub(crate) fn set_setting(conn: &Connection, key: &str, value: &str) -> Result<(), StoreError> {
    validate_setting(key, value)?;
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )
    .map_err(write_err)?;
    Ok(())
}

pub(crate) fn get_setting(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
        row.get(0)
    })
    .optional()
    .map_err(read_err)
}

pub(crate) fn delete_setting(conn: &Connection, key: &str) -> Result<(), StoreError> {
    conn.execute("DELETE FROM settings WHERE key = ?1", [key])
        .map_err(write_err)?;
    Ok(())
}

pub(crate) fn list_settings(conn: &Connection) -> Result<Vec<(String, String)>, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT key, value FROM settings ORDER BY key")
        .map_err(read_err)?;
    let rows = stmt
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .map_err(read_err)?;
    rows.collect::<rusqlite::Result<_>>().map_err(read_err)
}

impl Store {
    /// Sets a setting (key: 1–64 of `a-z 0-9 _ .`).
    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let written = set_setting(self.conn()?, key, value);
        self.wrote(&[Table::Settings], written)
    }

    /// A setting's value.
    pub fn get_setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        get_setting(self.conn()?, key)
    }

    /// Removes a setting.
    pub fn delete_setting(&self, key: &str) -> Result<(), StoreError> {
        let written = delete_setting(self.conn()?, key);
        self.wrote(&[Table::Settings], written)
    }

    /// All settings, by key.
    pub fn list_settings(&self) -> Result<Vec<(String, String)>, StoreError> {
        list_settings(self.conn()?)
    }

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
        let written = self.set_setting(SETTINGS_KEY, &json);
        self.wrote(&[Table::Settings], written)
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
        let written = self.set_setting(DELIVERED_KEY, &at.to_rfc3339());
        self.wrote(&[Table::Settings], written)
    }
}
