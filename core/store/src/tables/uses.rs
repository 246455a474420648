//! The `use_entry` table: times of use.
use chrono::{DateTime, Utc};
use holdfast_domain::records::*;
use rusqlite::{params, Connection, OptionalExtension};

use super::*;
use crate::changes::Table;
use crate::{Store, StoreError};

pub(crate) fn add_use(
    conn: &Connection,
    e: &UseEntry,
    now: DateTime<Utc>,
) -> Result<RecordId, StoreError> {
    let mut e = e.clone();
    e.note = clean_note(e.note);
    e.validate(now)?;
    let (at, off) = e.at.to_db();
    conn.execute(
        "INSERT INTO use_entry (at_utc, at_offset, substance, note) VALUES (?1, ?2, ?3, ?4)",
        params![at, off, e.substance.map(Substance::as_str), e.note],
    )
    .map_err(write_err)?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn update_use(
    conn: &Connection,
    id: RecordId,
    e: &UseEntry,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut e = e.clone();
    e.note = clean_note(e.note);
    e.validate(now)?;
    let (at, off) = e.at.to_db();
    let n = conn
        .execute(
            "UPDATE use_entry SET at_utc = ?1, at_offset = ?2, substance = ?3, note = ?4 WHERE id = ?5",
            params![at, off, e.substance.map(Substance::as_str), e.note, id],
        )
        .map_err(write_err)?;
    one_changed(n)
}

fn row_use(row: &rusqlite::Row<'_>) -> rusqlite::Result<Stored<UseEntry>> {
    let substance: Option<String> = row.get(3)?;
    let substance = match substance {
        Some(s) => Some(Substance::parse(&s).ok_or_else(|| bad_value("substance"))?),
        None => None,
    };
    Ok(Stored {
        id: row.get(0)?,
        record: UseEntry {
            at: event_time(row.get(1)?, row.get(2)?)?,
            substance,
            note: row.get(4)?,
        },
    })
}

const USE_COLS: &str = "SELECT id, at_utc, at_offset, substance, note FROM use_entry";

pub(crate) fn get_use(conn: &Connection, id: RecordId) -> Result<Stored<UseEntry>, StoreError> {
    find_one(conn, &format!("{USE_COLS} WHERE id = ?1"), id, row_use)
}

/// All use entries, oldest first.
pub(crate) fn list_uses(conn: &Connection) -> Result<Vec<Stored<UseEntry>>, StoreError> {
    find_many(conn, &format!("{USE_COLS} ORDER BY at_utc, id"), row_use)
}

/// The most recent use, if any.
pub(crate) fn last_use(conn: &Connection) -> Result<Option<Stored<UseEntry>>, StoreError> {
    conn.query_row(
        &format!("{USE_COLS} ORDER BY at_utc DESC, id DESC LIMIT 1"),
        [],
        row_use,
    )
    .optional()
    .map_err(read_err)
}

impl Store {
    /// Adds a use entry; returns its id.
    pub fn add_use(&self, entry: &UseEntry) -> Result<RecordId, StoreError> {
        let written = add_use(self.conn()?, entry, self.now());
        self.wrote(&[Table::Uses], written)
    }

    /// Replaces a use entry.
    pub fn update_use(&self, id: RecordId, entry: &UseEntry) -> Result<(), StoreError> {
        let written = update_use(self.conn()?, id, entry, self.now());
        self.wrote(&[Table::Uses], written)
    }

    /// One use entry.
    pub fn get_use(&self, id: RecordId) -> Result<Stored<UseEntry>, StoreError> {
        get_use(self.conn()?, id)
    }

    /// All use entries, oldest first.
    pub fn list_uses(&self) -> Result<Vec<Stored<UseEntry>>, StoreError> {
        list_uses(self.conn()?)
    }

    /// The latest use entry.
    pub fn last_use(&self) -> Result<Option<Stored<UseEntry>>, StoreError> {
        last_use(self.conn()?)
    }
}
