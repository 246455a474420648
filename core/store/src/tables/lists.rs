//! Removing an entry from one of the person's own lists, with its links.
use holdfast_domain::records::*;
use rusqlite::Connection;

use super::plan::delete_plan_item;
use super::*;
use crate::changes::Table;
use crate::{Store, StoreError};

pub(crate) fn delete_from_list(
    conn: &Connection,
    kind: ListKind,
    id: RecordId,
) -> Result<(), StoreError> {
    let table = match kind {
        ListKind::Trigger => "trigger_item",
        ListKind::SupportPerson => "support_person",
        ListKind::PlanItem => return delete_plan_item(conn, id),
        ListKind::NaloxoneKit => "naloxone_kit",
    };
    let n = conn
        .execute(&format!("DELETE FROM {table} WHERE id = ?1"), [id])
        .map_err(write_err)?;
    one_changed(n)
}

impl Store {
    /// Removes an entry from one of the person's lists (trigger, support person, plan line,
    /// kit). Check-ins and the plan lose their links to it.
    pub fn delete_from_list(&self, kind: ListKind, id: RecordId) -> Result<(), StoreError> {
        let written = delete_from_list(self.conn()?, kind, id);
        // Removing a trigger or a warning sign also unlinks it from past check-ins; removing a
        // person also removes their line on the plan.
        let tables: &[Table] = match kind {
            ListKind::Trigger => &[Table::Triggers, Table::Checkins],
            ListKind::SupportPerson => &[Table::People, Table::Plan],
            ListKind::PlanItem => &[Table::Plan, Table::Checkins],
            ListKind::NaloxoneKit => &[Table::Kits],
        };
        self.wrote(tables, written)
    }
}
