//! One file per table: its SQL, its row mapping and the `impl Store` methods that read and write
//! it. The records and their rules are `holdfast_domain::records`; every write checks them again.
//! The helpers here turn SQLite's errors into the store's.

mod breaks;
mod checkins;
mod kits;
mod kv;
mod lists;
mod people;
mod plan;
mod records;
mod triggers;
mod uses;
mod visits;

// The SQL on a bare connection, for restoring a backup into a new file inside one transaction.
pub(crate) use breaks::*;
pub(crate) use checkins::*;
pub(crate) use kits::*;
pub(crate) use kv::*;
pub(crate) use people::*;
pub(crate) use plan::*;
pub(crate) use triggers::*;
pub(crate) use uses::*;
pub(crate) use visits::*;

use chrono::NaiveDate;
use holdfast_domain::records::*;
use rusqlite::{Connection, OptionalExtension};

use crate::StoreError;

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

/// The one row `sql` finds for `id` (its `?1`), mapped by `row`; `RecordNotFound` when there
/// is none.
pub(crate) fn find_one<T>(
    conn: &Connection,
    sql: &str,
    id: RecordId,
    row: fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<T, StoreError> {
    conn.query_row(sql, [id], row)
        .optional()
        .map_err(read_err)?
        .ok_or(StoreError::RecordNotFound)
}

/// Every row `sql` returns, in its order, mapped by `row`.
pub(crate) fn find_many<T>(
    conn: &Connection,
    sql: &str,
    row: fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>, StoreError> {
    let mut stmt = conn.prepare_cached(sql).map_err(read_err)?;
    let rows = stmt.query_map([], row).map_err(read_err)?;
    rows.collect::<rusqlite::Result<_>>().map_err(read_err)
}

pub(crate) fn one_changed(n: usize) -> Result<(), StoreError> {
    if n == 0 {
        Err(StoreError::RecordNotFound)
    } else {
        Ok(())
    }
}

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

fn next_position(conn: &Connection, sql: &str, arg: Option<&str>) -> Result<i64, StoreError> {
    let max: Option<i64> = match arg {
        Some(a) => conn.query_row(sql, [a], |row| row.get(0)),
        None => conn.query_row(sql, [], |row| row.get(0)),
    }
    .map_err(read_err)?;
    Ok(max.map_or(0, |m| m + 1))
}

fn count_rows(conn: &Connection, sql: &str, arg: Option<&str>) -> Result<usize, StoreError> {
    let n: i64 = match arg {
        Some(a) => conn.query_row(sql, [a], |row| row.get(0)),
        None => conn.query_row(sql, [], |row| row.get(0)),
    }
    .map_err(read_err)?;
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}

fn list_full(field: &'static str, n: usize) -> Result<(), StoreError> {
    if n >= MAX_LIST_ITEMS {
        return Err(StoreError::invalid(
            field,
            format!("the list already has {MAX_LIST_ITEMS} entries"),
        ));
    }
    Ok(())
}

/// Sets the order of a list: `ids` must name every entry exactly once.
fn reorder(
    conn: &Connection,
    field: &'static str,
    table: &str,
    filter: Option<&str>,
    ids: &[RecordId],
) -> Result<(), StoreError> {
    let mut have: Vec<RecordId> = {
        let sql = match filter {
            Some(_) => format!("SELECT id FROM {table} WHERE section = ?1"),
            None => format!("SELECT id FROM {table}"),
        };
        let mut stmt = conn.prepare(&sql).map_err(read_err)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(filter), |row| row.get(0))
            .map_err(read_err)?;
        rows.collect::<rusqlite::Result<_>>().map_err(read_err)?
    };
    let mut want = ids.to_vec();
    have.sort_unstable();
    want.sort_unstable();
    if have != want {
        return Err(StoreError::invalid(
            field,
            "the new order must list every entry exactly once",
        ));
    }
    atomically(conn, || {
        for (pos, id) in ids.iter().enumerate() {
            let pos = i64::try_from(pos).map_err(|_| StoreError::Internal("position"))?;
            conn.execute(
                &format!("UPDATE {table} SET position = ?1 WHERE id = ?2"),
                [pos, *id],
            )
            .map_err(write_err)?;
        }
        Ok(())
    })
}

fn join<T: Copy>(items: &[T], name: fn(T) -> &'static str) -> String {
    items.iter().map(|t| name(*t)).collect::<Vec<_>>().join(",")
}

fn split<T>(s: &str, parse: fn(&str) -> Option<T>, what: &str) -> rusqlite::Result<Vec<T>> {
    s.split(',')
        .filter(|p| !p.is_empty())
        .map(|p| parse(p).ok_or_else(|| bad_value(what)))
        .collect()
}
