//! The journal's tables: uses, breaks, check-ins and the encrypted key-value settings.
//!
//! The records and their rules are `holdfast_domain::records`; this file keeps their SQL.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::StoreError;
use holdfast_domain::records::*;

pub(crate) fn write_err(e: rusqlite::Error) -> StoreError {
    StoreError::db_write(&e)
}

pub(crate) fn read_err(e: rusqlite::Error) -> StoreError {
    match e {
        rusqlite::Error::FromSqlConversionFailure(..)
        | rusqlite::Error::IntegralValueOutOfRange(..)
        | rusqlite::Error::InvalidColumnType(..) => {
            StoreError::Damaged("a journal record could not be read back".to_owned())
        }
        other => StoreError::db_write(&other),
    }
}

pub(crate) fn bad_value(what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("unknown {what}").into(),
    )
}

/// An event time read back from its two columns.
pub(crate) fn event_time(secs: i64, offset: i32) -> rusqlite::Result<EventTime> {
    EventTime::from_db(secs, offset).ok_or(rusqlite::Error::IntegralValueOutOfRange(0, secs))
}

pub(crate) fn parse_date(s: &str) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| bad_value("date"))
}

pub(crate) fn one_changed(n: usize) -> Result<(), StoreError> {
    if n == 0 {
        Err(StoreError::RecordNotFound)
    } else {
        Ok(())
    }
}

// ---- use entries ----

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
    conn.query_row(&format!("{USE_COLS} WHERE id = ?1"), [id], row_use)
        .optional()
        .map_err(read_err)?
        .ok_or(StoreError::RecordNotFound)
}

/// All use entries, oldest first.
pub(crate) fn list_uses(conn: &Connection) -> Result<Vec<Stored<UseEntry>>, StoreError> {
    let mut stmt = conn
        .prepare_cached(&format!("{USE_COLS} ORDER BY at_utc, id"))
        .map_err(read_err)?;
    let rows = stmt.query_map([], row_use).map_err(read_err)?;
    rows.collect::<rusqlite::Result<_>>().map_err(read_err)
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

// ---- breaks ----

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
    conn.query_row(&format!("{BREAK_COLS} WHERE id = ?1"), [id], row_break)
        .optional()
        .map_err(read_err)?
        .ok_or(StoreError::RecordNotFound)
}

/// All breaks, by start date.
pub(crate) fn list_breaks(conn: &Connection) -> Result<Vec<Stored<BreakEntry>>, StoreError> {
    let mut stmt = conn
        .prepare_cached(&format!("{BREAK_COLS} ORDER BY start_date, id"))
        .map_err(read_err)?;
    let rows = stmt.query_map([], row_break).map_err(read_err)?;
    rows.collect::<rusqlite::Result<_>>().map_err(read_err)
}

// ---- check-ins ----

/// Runs `f` inside a savepoint: all of it is written, or none of it. Works inside an open
/// transaction too (savepoints nest).
pub(crate) fn atomically<T>(
    conn: &Connection,
    f: impl FnOnce() -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    conn.execute_batch("SAVEPOINT holdfast_write")
        .map_err(write_err)?;
    match f() {
        Ok(v) => {
            conn.execute_batch("RELEASE holdfast_write")
                .map_err(write_err)?;
            Ok(v)
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK TO holdfast_write; RELEASE holdfast_write");
            Err(e)
        }
    }
}

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

// ---- delete ----

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

// ---- settings ----

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
