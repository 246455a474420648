//! The `checkin` table and its links to triggers and warning signs.
use chrono::{DateTime, NaiveDate, Utc};
use holdfast_domain::records::*;
use rusqlite::{params, Connection, OptionalExtension};

use super::uses::add_use;
use super::*;
use crate::changes::Table;
use crate::{Store, StoreError};

fn check_links(conn: &Connection, e: &Checkin) -> Result<(), StoreError> {
    for id in &e.triggers {
        let found: Option<i64> = conn
            .query_row("SELECT 1 FROM trigger_item WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()
            .map_err(read_err)?;
        if found.is_none() {
            return Err(StoreError::invalid(
                "triggers",
                "lists one that is not on your trigger list",
            ));
        }
    }
    for id in &e.warning_signs {
        let found: Option<i64> = conn
            .query_row(
                "SELECT 1 FROM plan_item WHERE id = ?1 AND section = 'warning_sign'",
                [id],
                |r| r.get(0),
            )
            .optional()
            .map_err(read_err)?;
        if found.is_none() {
            return Err(StoreError::invalid(
                "warning signs",
                "lists one that is not on your safety plan",
            ));
        }
    }
    Ok(())
}

fn write_links(conn: &Connection, id: RecordId, e: &Checkin) -> Result<(), StoreError> {
    conn.execute("DELETE FROM checkin_trigger WHERE checkin_id = ?1", [id])
        .map_err(write_err)?;
    conn.execute(
        "DELETE FROM checkin_warning_sign WHERE checkin_id = ?1",
        [id],
    )
    .map_err(write_err)?;
    for t in &e.triggers {
        conn.execute(
            "INSERT INTO checkin_trigger (checkin_id, trigger_id) VALUES (?1, ?2)",
            [id, *t],
        )
        .map_err(write_err)?;
    }
    for s in &e.warning_signs {
        conn.execute(
            "INSERT INTO checkin_warning_sign (checkin_id, plan_item_id) VALUES (?1, ?2)",
            [id, *s],
        )
        .map_err(write_err)?;
    }
    Ok(())
}

fn prepare_checkin(e: &Checkin, now: DateTime<Utc>) -> Result<Checkin, StoreError> {
    let mut e = e.clone();
    e.note = clean_note(e.note);
    e.validate(now)?;
    e.triggers.sort_unstable();
    e.warning_signs.sort_unstable();
    Ok(e)
}

fn day_taken(err: &rusqlite::Error) -> bool {
    err.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation)
}

pub(crate) fn add_checkin(
    conn: &Connection,
    e: &Checkin,
    now: DateTime<Utc>,
) -> Result<RecordId, StoreError> {
    let e = prepare_checkin(e, now)?;
    let (at, off) = e.recorded.to_db();
    atomically(conn, || {
        check_links(conn, &e)?;
        let res = conn.execute(
            "INSERT INTO checkin (date, cravings, mood, note, at_utc, at_offset, sleep, hungry, angry, lonely, tired, used_since_last, naloxone_with_me)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                e.date.to_string(), e.cravings, e.mood, e.note, at, off, e.sleep,
                e.halt.hungry, e.halt.angry, e.halt.lonely, e.halt.tired,
                e.used_since_last, e.naloxone_with_me
            ],
        );
        match res {
            Ok(_) => {}
            Err(err) if day_taken(&err) => {
                return Err(StoreError::Conflict(
                    "There is already a check-in for that day; change that one instead.".to_owned(),
                ))
            }
            Err(err) => return Err(write_err(err)),
        }
        let id = conn.last_insert_rowid();
        write_links(conn, id, &e)?;
        Ok(id)
    })
}

pub(crate) fn update_checkin(
    conn: &Connection,
    id: RecordId,
    e: &Checkin,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let e = prepare_checkin(e, now)?;
    let (at, off) = e.recorded.to_db();
    atomically(conn, || {
        check_links(conn, &e)?;
        let res = conn.execute(
            "UPDATE checkin SET date = ?1, cravings = ?2, mood = ?3, note = ?4, at_utc = ?5, at_offset = ?6,
                sleep = ?7, hungry = ?8, angry = ?9, lonely = ?10, tired = ?11, used_since_last = ?12, naloxone_with_me = ?13
             WHERE id = ?14",
            params![
                e.date.to_string(), e.cravings, e.mood, e.note, at, off, e.sleep,
                e.halt.hungry, e.halt.angry, e.halt.lonely, e.halt.tired,
                e.used_since_last, e.naloxone_with_me, id
            ],
        );
        match res {
            Ok(n) => one_changed(n)?,
            Err(err) if day_taken(&err) => {
                return Err(StoreError::Conflict(
                    "There is already a check-in for that day.".to_owned(),
                ))
            }
            Err(err) => return Err(write_err(err)),
        }
        write_links(conn, id, &e)
    })
}

/// The check-in with the given local date, if there is one (to edit today's).
pub(crate) fn checkin_on(
    conn: &Connection,
    date: NaiveDate,
) -> Result<Option<Stored<Checkin>>, StoreError> {
    let found = conn
        .query_row(
            &format!("{CHECKIN_COLS} WHERE date = ?1"),
            [date.to_string()],
            row_checkin,
        )
        .optional()
        .map_err(read_err)?;
    match found {
        Some(mut c) => {
            load_links(conn, &mut c)?;
            Ok(Some(c))
        }
        None => Ok(None),
    }
}

fn row_checkin(row: &rusqlite::Row<'_>) -> rusqlite::Result<Stored<Checkin>> {
    Ok(Stored {
        id: row.get(0)?,
        record: Checkin {
            date: parse_date(&row.get::<_, String>(1)?)?,
            cravings: row.get(2)?,
            mood: row.get(3)?,
            sleep: row.get(7)?,
            halt: Halt {
                hungry: row.get(8)?,
                angry: row.get(9)?,
                lonely: row.get(10)?,
                tired: row.get(11)?,
            },
            triggers: Vec::new(),
            warning_signs: Vec::new(),
            used_since_last: row.get(12)?,
            naloxone_with_me: row.get(13)?,
            note: row.get(4)?,
            recorded: event_time(row.get(5)?, row.get(6)?)?,
        },
    })
}

const CHECKIN_COLS: &str = "SELECT id, date, cravings, mood, note, at_utc, at_offset, sleep, hungry, angry, lonely, tired, used_since_last, naloxone_with_me FROM checkin";

fn load_links(conn: &Connection, c: &mut Stored<Checkin>) -> Result<(), StoreError> {
    let ids = |sql: &str| -> Result<Vec<RecordId>, StoreError> {
        let mut stmt = conn.prepare_cached(sql).map_err(read_err)?;
        let rows = stmt.query_map([c.id], |row| row.get(0)).map_err(read_err)?;
        rows.collect::<rusqlite::Result<_>>().map_err(read_err)
    };
    c.record.triggers =
        ids("SELECT trigger_id FROM checkin_trigger WHERE checkin_id = ?1 ORDER BY trigger_id")?;
    c.record.warning_signs = ids(
        "SELECT plan_item_id FROM checkin_warning_sign WHERE checkin_id = ?1 ORDER BY plan_item_id",
    )?;
    Ok(())
}

pub(crate) fn get_checkin(conn: &Connection, id: RecordId) -> Result<Stored<Checkin>, StoreError> {
    let mut c = conn
        .query_row(&format!("{CHECKIN_COLS} WHERE id = ?1"), [id], row_checkin)
        .optional()
        .map_err(read_err)?
        .ok_or(StoreError::RecordNotFound)?;
    load_links(conn, &mut c)?;
    Ok(c)
}

/// All check-ins, by date.
pub(crate) fn list_checkins(conn: &Connection) -> Result<Vec<Stored<Checkin>>, StoreError> {
    let mut stmt = conn
        .prepare_cached(&format!("{CHECKIN_COLS} ORDER BY date"))
        .map_err(read_err)?;
    let rows = stmt.query_map([], row_checkin).map_err(read_err)?;
    let mut all: Vec<Stored<Checkin>> = rows.collect::<rusqlite::Result<_>>().map_err(read_err)?;
    // Two queries for all the links rather than two per check-in.
    let mut by_id: std::collections::HashMap<RecordId, usize> = std::collections::HashMap::new();
    for (i, c) in all.iter().enumerate() {
        by_id.insert(c.id, i);
    }
    for (sql, warning) in [
        ("SELECT checkin_id, trigger_id FROM checkin_trigger ORDER BY checkin_id, trigger_id", false),
        ("SELECT checkin_id, plan_item_id FROM checkin_warning_sign ORDER BY checkin_id, plan_item_id", true),
    ] {
        let mut stmt = conn.prepare_cached(sql).map_err(read_err)?;
        let rows = stmt
            .query_map([], |row| Ok((row.get::<_, RecordId>(0)?, row.get::<_, RecordId>(1)?)))
            .map_err(read_err)?;
        for pair in rows {
            let (cid, lid) = pair.map_err(read_err)?;
            if let Some(c) = by_id.get(&cid).and_then(|i| all.get_mut(*i)) {
                if warning {
                    c.record.warning_signs.push(lid);
                } else {
                    c.record.triggers.push(lid);
                }
            }
        }
    }
    Ok(all)
}

impl Store {
    /// Adds a check-in (one per day); returns its id.
    pub fn add_checkin(&self, entry: &Checkin) -> Result<RecordId, StoreError> {
        let written = add_checkin(self.conn()?, entry, self.now());
        self.wrote(&[Table::Checkins], written)
    }

    /// Replaces a check-in.
    pub fn update_checkin(&self, id: RecordId, entry: &Checkin) -> Result<(), StoreError> {
        let written = update_checkin(self.conn()?, id, entry, self.now());
        self.wrote(&[Table::Checkins], written)
    }

    /// One check-in.
    pub fn get_checkin(&self, id: RecordId) -> Result<Stored<Checkin>, StoreError> {
        get_checkin(self.conn()?, id)
    }

    /// The check-in for a local calendar day, if there is one (to edit today's).
    pub fn checkin_on(
        &self,
        date: chrono::NaiveDate,
    ) -> Result<Option<Stored<Checkin>>, StoreError> {
        checkin_on(self.conn()?, date)
    }

    /// All check-ins, by date.
    pub fn list_checkins(&self) -> Result<Vec<Stored<Checkin>>, StoreError> {
        list_checkins(self.conn()?)
    }

    /// Saves a new check-in and, when `with_use` is given, the use it stands for ("used since
    /// the last check-in: yes"), in one savepoint: both are stored, or neither is.
    pub fn add_checkin_with_use(
        &self,
        entry: &Checkin,
        with_use: Option<&UseEntry>,
    ) -> Result<(RecordId, Option<RecordId>), StoreError> {
        let conn = self.conn()?;
        let now = self.now();
        let written = atomically(conn, || {
            let id = add_checkin(conn, entry, now)?;
            let use_id = with_use.map(|u| add_use(conn, u, now)).transpose()?;
            Ok((id, use_id))
        });
        self.wrote(&[Table::Checkins, Table::Uses], written)
    }

    /// Replaces a check-in and, when `with_use` is given, records that use too, in one
    /// savepoint: both are stored, or the check-in keeps its old answers and no use is added.
    pub fn update_checkin_with_use(
        &self,
        id: RecordId,
        entry: &Checkin,
        with_use: Option<&UseEntry>,
    ) -> Result<Option<RecordId>, StoreError> {
        let conn = self.conn()?;
        let now = self.now();
        let written = atomically(conn, || {
            update_checkin(conn, id, entry, now)?;
            with_use.map(|u| add_use(conn, u, now)).transpose()
        });
        self.wrote(&[Table::Checkins, Table::Uses], written)
    }
}
