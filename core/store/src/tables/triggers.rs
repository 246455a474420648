//! The `trigger` table: the person's own triggers, in their order.
use holdfast_domain::records::*;
use rusqlite::{params, Connection};

use super::*;
use crate::changes::Table;
use crate::{Store, StoreError};

fn trigger_conflict(err: rusqlite::Error) -> StoreError {
    if err.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) {
        StoreError::Conflict("That trigger is already on your list.".to_owned())
    } else {
        write_err(err)
    }
}

pub(crate) fn add_trigger(conn: &Connection, t: &Trigger) -> Result<RecordId, StoreError> {
    let t = t.validated()?;
    list_full(
        "trigger",
        count_rows(conn, "SELECT count(*) FROM trigger_item", None)?,
    )?;
    let pos = next_position(conn, "SELECT max(position) FROM trigger_item", None)?;
    conn.execute(
        "INSERT INTO trigger_item (name, position) VALUES (?1, ?2)",
        params![t.name, pos],
    )
    .map_err(trigger_conflict)?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn rename_trigger(
    conn: &Connection,
    id: RecordId,
    t: &Trigger,
) -> Result<(), StoreError> {
    let t = t.validated()?;
    let n = conn
        .execute(
            "UPDATE trigger_item SET name = ?1 WHERE id = ?2",
            params![t.name, id],
        )
        .map_err(trigger_conflict)?;
    one_changed(n)
}

pub(crate) fn list_triggers(conn: &Connection) -> Result<Vec<Stored<Trigger>>, StoreError> {
    find_many(
        conn,
        "SELECT id, name FROM trigger_item ORDER BY position, id",
        |row| {
            Ok(Stored {
                id: row.get(0)?,
                record: Trigger { name: row.get(1)? },
            })
        },
    )
}

pub(crate) fn reorder_triggers(conn: &Connection, ids: &[RecordId]) -> Result<(), StoreError> {
    reorder(conn, "trigger order", "trigger_item", None, ids)
}

impl Store {
    /// Adds a trigger at the end of the list; returns its id. A name already on the list (in
    /// any case) is a `Conflict`.
    pub fn add_trigger(&self, trigger: &Trigger) -> Result<RecordId, StoreError> {
        let written = add_trigger(self.conn()?, trigger);
        self.wrote(&[Table::Triggers], written)
    }

    /// Renames a trigger.
    pub fn rename_trigger(&self, id: RecordId, trigger: &Trigger) -> Result<(), StoreError> {
        let written = rename_trigger(self.conn()?, id, trigger);
        self.wrote(&[Table::Triggers], written)
    }

    /// The trigger list, in the person's order.
    pub fn list_triggers(&self) -> Result<Vec<Stored<Trigger>>, StoreError> {
        list_triggers(self.conn()?)
    }

    /// Sets the order: `ids` must name every trigger once.
    pub fn reorder_triggers(&self, ids: &[RecordId]) -> Result<(), StoreError> {
        let written = reorder_triggers(self.conn()?, ids);
        self.wrote(&[Table::Triggers], written)
    }
}
