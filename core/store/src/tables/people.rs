//! The `support_person` table: people the person can call or text, in their order.
use holdfast_domain::records::*;
use rusqlite::{params, Connection};

use super::*;
use crate::changes::Table;
use crate::{Store, StoreError};
use holdfast_content::Region;

pub(crate) fn add_person(
    conn: &Connection,
    p: &SupportPerson,
    region: Region,
) -> Result<RecordId, StoreError> {
    let p = p.validated(region)?;
    list_full(
        "support person",
        count_rows(conn, "SELECT count(*) FROM support_person", None)?,
    )?;
    let pos = next_position(conn, "SELECT max(position) FROM support_person", None)?;
    conn.execute(
        "INSERT INTO support_person (name, relation, phone, position) VALUES (?1, ?2, ?3, ?4)",
        params![p.name, p.relation, p.phone, pos],
    )
    .map_err(write_err)?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn update_person(
    conn: &Connection,
    id: RecordId,
    p: &SupportPerson,
    region: Region,
) -> Result<(), StoreError> {
    let p = p.validated(region)?;
    let n = conn
        .execute(
            "UPDATE support_person SET name = ?1, relation = ?2, phone = ?3 WHERE id = ?4",
            params![p.name, p.relation, p.phone, id],
        )
        .map_err(write_err)?;
    one_changed(n)
}

fn row_person(row: &rusqlite::Row<'_>) -> rusqlite::Result<Stored<SupportPerson>> {
    Ok(Stored {
        id: row.get(0)?,
        record: SupportPerson {
            name: row.get(1)?,
            relation: row.get(2)?,
            phone: row.get(3)?,
        },
    })
}

pub(crate) fn get_person(
    conn: &Connection,
    id: RecordId,
) -> Result<Stored<SupportPerson>, StoreError> {
    find_one(
        conn,
        "SELECT id, name, relation, phone FROM support_person WHERE id = ?1",
        id,
        row_person,
    )
}

pub(crate) fn list_people(conn: &Connection) -> Result<Vec<Stored<SupportPerson>>, StoreError> {
    find_many(
        conn,
        "SELECT id, name, relation, phone FROM support_person ORDER BY position, id",
        row_person,
    )
}

pub(crate) fn reorder_people(conn: &Connection, ids: &[RecordId]) -> Result<(), StoreError> {
    reorder(conn, "support people order", "support_person", None, ids)
}

impl Store {
    /// Adds a support person; the phone must be a real number in `region` (or start with `+`
    /// and a country code). Returns the id.
    pub fn add_support_person(
        &self,
        person: &SupportPerson,
        region: Region,
    ) -> Result<RecordId, StoreError> {
        let written = add_person(self.conn()?, person, region);
        self.wrote(&[Table::People], written)
    }

    /// Replaces a support person.
    pub fn update_support_person(
        &self,
        id: RecordId,
        person: &SupportPerson,
        region: Region,
    ) -> Result<(), StoreError> {
        let written = update_person(self.conn()?, id, person, region);
        self.wrote(&[Table::People], written)
    }

    /// One support person.
    pub fn get_support_person(&self, id: RecordId) -> Result<Stored<SupportPerson>, StoreError> {
        get_person(self.conn()?, id)
    }

    /// All support people, in the person's order.
    pub fn list_support_people(&self) -> Result<Vec<Stored<SupportPerson>>, StoreError> {
        list_people(self.conn()?)
    }

    /// Sets the order: `ids` must name every support person once.
    pub fn reorder_support_people(&self, ids: &[RecordId]) -> Result<(), StoreError> {
        let written = reorder_people(self.conn()?, ids);
        self.wrote(&[Table::People], written)
    }
}
