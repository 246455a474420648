//! Deleting a journal record (a use, a break or a check-in), and reading them all back.
use holdfast_domain::records::*;
use rusqlite::Connection;

use super::*;
use crate::changes::Table;
use crate::{Store, StoreError};

pub(crate) fn delete(conn: &Connection, kind: RecordKind, id: RecordId) -> Result<(), StoreError> {
    let table = match kind {
        RecordKind::Use => "use_entry",
        RecordKind::Break => "break_entry",
        RecordKind::Checkin => "checkin",
    };
    let n = conn
        .execute(&format!("DELETE FROM {table} WHERE id = ?1"), [id])
        .map_err(write_err)?;
    one_changed(n)
}

impl Store {
    /// Deletes a record.
    pub fn delete(&self, kind: RecordKind, id: RecordId) -> Result<(), StoreError> {
        let written = delete(self.conn()?, kind, id);
        let table = match kind {
            RecordKind::Use => Table::Uses,
            RecordKind::Break => Table::Breaks,
            RecordKind::Checkin => Table::Checkins,
        };
        self.wrote(&[table], written)
    }

    /// Reads every record back (uses, breaks, check-ins); returns how many there are.
    pub fn read_all(&self) -> Result<usize, StoreError> {
        let conn = self.conn()?;
        Ok(super::uses::list_uses(conn)?.len()
            + super::breaks::list_breaks(conn)?.len()
            + super::checkins::list_checkins(conn)?.len())
    }
}
