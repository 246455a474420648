//! The `break_entry` table: breaks from use or from medication.
use chrono::{DateTime, Utc};
use holdfast_domain::records::*;
use rusqlite::{params, Connection};

use super::*;
use crate::changes::Table;
use crate::{Store, StoreError};

pub(crate) fn add_break(
    conn: &Connection,
    e: &BreakEntry,
    now: DateTime<Utc>,
) -> Result<RecordId, StoreError> {
    let mut e = e.clone();
    e.note = clean_note(e.note);
    e.validate(now)?;
    let (kind, days) = e.kind.to_db();
    conn.execute(
        "INSERT INTO break_entry (kind, days, start_date, end_date, note) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![kind, days, e.start.to_string(), e.end.map(|d| d.to_string()), e.note],
    )
    .map_err(write_err)?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn update_break(
    conn: &Connection,
    id: RecordId,
    e: &BreakEntry,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut e = e.clone();
    e.note = clean_note(e.note);
    e.validate(now)?;
    let (kind, days) = e.kind.to_db();
    let n = conn
        .execute(
            "UPDATE break_entry SET kind = ?1, days = ?2, start_date = ?3, end_date = ?4, note = ?5 WHERE id = ?6",
            params![kind, days, e.start.to_string(), e.end.map(|d| d.to_string()), e.note, id],
        )
        .map_err(write_err)?;
    one_changed(n)
}

fn row_break(row: &rusqlite::Row<'_>) -> rusqlite::Result<Stored<BreakEntry>> {
    let kind: String = row.get(1)?;
    let days: Option<u16> = row.get(2)?;
    let end: Option<String> = row.get(4)?;
    Ok(Stored {
        id: row.get(0)?,
        record: BreakEntry {
            kind: BreakKind::from_db(&kind, days).ok_or_else(|| bad_value("break kind"))?,
            start: parse_date(&row.get::<_, String>(3)?)?,
            end: end.as_deref().map(parse_date).transpose()?,
            note: row.get(5)?,
        },
    })
}

const BREAK_COLS: &str = "SELECT id, kind, days, start_date, end_date, note FROM break_entry";

pub(crate) fn get_break(conn: &Connection, id: RecordId) -> Result<Stored<BreakEntry>, StoreError> {
    find_one(conn, &format!("{BREAK_COLS} WHERE id = ?1"), id, row_break)
}

/// All breaks, by start date.
pub(crate) fn list_breaks(conn: &Connection) -> Result<Vec<Stored<BreakEntry>>, StoreError> {
    find_many(
        conn,
        &format!("{BREAK_COLS} ORDER BY start_date, id"),
        row_break,
    )
}

impl Store {
    /// Adds a break; returns its id.
    pub fn add_break(&self, entry: &BreakEntry) -> Result<RecordId, StoreError> {
        let written = add_break(self.conn()?, entry, self.now());
        self.wrote(&[Table::Breaks], written)
    }

    /// Replaces a break.
    pub fn update_break(&self, id: RecordId, entry: &BreakEntry) -> Result<(), StoreError> {
        let written = update_break(self.conn()?, id, entry, self.now());
        self.wrote(&[Table::Breaks], written)
    }

    /// One break.
    pub fn get_break(&self, id: RecordId) -> Result<Stored<BreakEntry>, StoreError> {
        get_break(self.conn()?, id)
    }

    /// All breaks, by start date.
    pub fn list_breaks(&self) -> Result<Vec<Stored<BreakEntry>>, StoreError> {
        list_breaks(self.conn()?)
    }
}
