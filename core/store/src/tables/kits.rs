//! The `naloxone_kit` table.
use chrono::{DateTime, NaiveDate, Utc};
use holdfast_domain::records::*;
use rusqlite::{params, Connection};

use super::*;
use crate::changes::Table;
use crate::{Store, StoreError};

pub(crate) fn add_kit(
    conn: &Connection,
    k: &NaloxoneKit,
    now: DateTime<Utc>,
) -> Result<RecordId, StoreError> {
    let k = k.validated(now)?;
    list_full(
        "naloxone kit",
        count_rows(conn, "SELECT count(*) FROM naloxone_kit", None)?,
    )?;
    conn.execute(
        "INSERT INTO naloxone_kit (kind, kept_at, expires, used_on, note) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            k.kind.as_str(),
            k.kept_at,
            k.expires.map(|d| d.to_string()),
            k.used_on.map(|d| d.to_string()),
            k.note
        ],
    )
    .map_err(write_err)?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn update_kit(
    conn: &Connection,
    id: RecordId,
    k: &NaloxoneKit,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let k = k.validated(now)?;
    let n = conn
        .execute(
            "UPDATE naloxone_kit SET kind = ?1, kept_at = ?2, expires = ?3, used_on = ?4, note = ?5 WHERE id = ?6",
            params![
                k.kind.as_str(),
                k.kept_at,
                k.expires.map(|d| d.to_string()),
                k.used_on.map(|d| d.to_string()),
                k.note,
                id
            ],
        )
        .map_err(write_err)?;
    one_changed(n)
}

fn row_kit(row: &rusqlite::Row<'_>) -> rusqlite::Result<Stored<NaloxoneKit>> {
    let kind: String = row.get(1)?;
    let date = |i: usize| -> rusqlite::Result<Option<NaiveDate>> {
        row.get::<_, Option<String>>(i)?
            .as_deref()
            .map(parse_date)
            .transpose()
    };
    Ok(Stored {
        id: row.get(0)?,
        record: NaloxoneKit {
            kind: KitKind::parse(&kind).ok_or_else(|| bad_value("kit kind"))?,
            kept_at: row.get(2)?,
            expires: date(3)?,
            used_on: date(4)?,
            note: row.get(5)?,
        },
    })
}

const KIT_COLS: &str = "SELECT id, kind, kept_at, expires, used_on, note FROM naloxone_kit";

pub(crate) fn get_kit(conn: &Connection, id: RecordId) -> Result<Stored<NaloxoneKit>, StoreError> {
    find_one(conn, &format!("{KIT_COLS} WHERE id = ?1"), id, row_kit)
}

/// All kits: unused first, by expiry (unknown expiry last), then used ones.
pub(crate) fn list_kits(conn: &Connection) -> Result<Vec<Stored<NaloxoneKit>>, StoreError> {
    find_many(
        conn,
        &format!("{KIT_COLS} ORDER BY used_on IS NOT NULL, expires IS NULL, expires, id"),
        row_kit,
    )
}

impl Store {
    /// Adds a kit; returns its id.
    pub fn add_kit(&self, kit: &NaloxoneKit) -> Result<RecordId, StoreError> {
        let written = add_kit(self.conn()?, kit, self.now());
        self.wrote(&[Table::Kits], written)
    }

    /// Replaces a kit.
    pub fn update_kit(&self, id: RecordId, kit: &NaloxoneKit) -> Result<(), StoreError> {
        let written = update_kit(self.conn()?, id, kit, self.now());
        self.wrote(&[Table::Kits], written)
    }

    /// "I used it": records the day the kit was used. Its expiry reminders stop.
    pub fn mark_kit_used(&self, id: RecordId, day: chrono::NaiveDate) -> Result<(), StoreError> {
        let conn = self.conn()?;
        let mut kit = get_kit(conn, id)?.record;
        kit.used_on = Some(day);
        let written = update_kit(conn, id, &kit, self.now());
        self.wrote(&[Table::Kits], written)
    }

    /// One kit.
    pub fn get_kit(&self, id: RecordId) -> Result<Stored<NaloxoneKit>, StoreError> {
        get_kit(self.conn()?, id)
    }

    /// All kits: unused first, soonest expiry first; then used ones.
    pub fn list_kits(&self) -> Result<Vec<Stored<NaloxoneKit>>, StoreError> {
        list_kits(self.conn()?)
    }
}
