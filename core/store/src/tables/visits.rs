//! The `visit` table: peer visits, saved as they go.
use chrono::{DateTime, Duration, Utc};
use holdfast_domain::records::*;
use rusqlite::{params, Connection, OptionalExtension};

use super::*;
use crate::changes::Table;
use crate::{Store, StoreError};
use rusqlite::params_from_iter;
use rusqlite::types::Value;

const COLUMNS: &str = "id, started_utc, started_offset, finished_utc, at_step, covered, treatment, next_steps, next_visit, worker";

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Stored<Visit>> {
    let finished: Option<i64> = row.get(3)?;
    let finished = finished
        .map(|s| {
            DateTime::<Utc>::from_timestamp(s, 0)
                .ok_or(rusqlite::Error::IntegralValueOutOfRange(3, s))
        })
        .transpose()?;
    let at_step: String = row.get(4)?;
    let covered: String = row.get(5)?;
    let treatment: String = row.get(6)?;
    let next_visit: Option<String> = row.get(8)?;
    Ok(Stored {
        id: row.get(0)?,
        record: Visit {
            started: event_time(row.get(1)?, row.get(2)?)?,
            finished,
            at_step: VisitStep::parse(&at_step).ok_or_else(|| bad_value("visit step"))?,
            covered: split(&covered, VisitStep::parse, "visit step")?,
            treatment: split(&treatment, TreatmentInterest::parse, "treatment")?,
            next_steps: row.get(7)?,
            next_visit: next_visit.as_deref().map(parse_date).transpose()?,
            worker: row.get(9)?,
        },
    })
}

/// The open visit, if there is one.
pub(crate) fn open_visit(conn: &Connection) -> Result<Option<Stored<Visit>>, StoreError> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM visit WHERE finished_utc IS NULL ORDER BY id DESC LIMIT 1"),
        [],
        from_row,
    )
    .optional()
    .map_err(read_err)
}

/// Starts a visit. Refused while another is open (resume or finish that one first).
pub(crate) fn start_visit(
    conn: &Connection,
    started: EventTime,
    now: DateTime<Utc>,
) -> Result<Stored<Visit>, StoreError> {
    if open_visit(conn)?.is_some() {
        return Err(StoreError::Conflict(
            "A visit is already open. Carry on with it, or finish it first.".to_owned(),
        ));
    }
    let visit = Visit::start(started).validated(now)?;
    let id = insert(conn, &visit)?;
    // Read back: the start is kept to the whole second.
    get_visit(conn, id)
}

/// The values of the columns a save can change, in the order `at_step, covered, treatment,
/// next_steps, next_visit, worker`.
fn editable(v: &Visit) -> Vec<Value> {
    vec![
        Value::from(v.at_step.as_str().to_owned()),
        Value::from(join(&v.covered, VisitStep::as_str)),
        Value::from(join(&v.treatment, TreatmentInterest::as_str)),
        Value::from(v.next_steps.clone()),
        Value::from(v.next_visit.map(|d| d.to_string())),
        Value::from(v.worker.clone()),
    ]
}

/// Inserts a visit as it is (also used to restore a backup).
pub(crate) fn insert(conn: &Connection, v: &Visit) -> Result<RecordId, StoreError> {
    let (secs, offset) = v.started.to_db();
    let mut values = vec![
        Value::from(secs),
        Value::from(i64::from(offset)),
        Value::from(v.finished.map(|f| f.timestamp())),
    ];
    values.extend(editable(v));
    conn.execute(
        "INSERT INTO visit (started_utc, started_offset, finished_utc, at_step, covered, treatment, next_steps, next_visit, worker)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params_from_iter(values),
    )
    .map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
        {
            StoreError::Conflict("Only one visit can be open at a time.".to_owned())
        }
        other => write_err(other),
    })?;
    Ok(conn.last_insert_rowid())
}

/// Saves an open visit's progress. The start time is kept as stored; a finished visit cannot be
/// changed (it is a record of what happened), only deleted.
pub(crate) fn save_visit(
    conn: &Connection,
    id: RecordId,
    visit: &Visit,
    now: DateTime<Utc>,
) -> Result<Stored<Visit>, StoreError> {
    let stored = get_visit(conn, id)?;
    if stored.record.finished.is_some() {
        return Err(StoreError::Conflict(
            "This visit is finished; its summary cannot be changed.".to_owned(),
        ));
    }
    let v = Visit {
        started: stored.record.started,
        finished: None,
        ..visit.clone()
    }
    .validated(now)?;
    // A visit resumed on a later day cannot plan the next one in the past.
    if let Some(next) = v.next_visit {
        let today = (now + Duration::seconds(i64::from(v.started.offset_seconds))).date_naive();
        if next < today {
            return Err(StoreError::invalid("next visit", "is in the past"));
        }
    }
    let mut values = editable(&v);
    values.push(Value::from(id));
    let n = conn
        .execute(
            "UPDATE visit SET at_step = ?1, covered = ?2, treatment = ?3, next_steps = ?4, next_visit = ?5, worker = ?6
             WHERE id = ?7 AND finished_utc IS NULL",
            params_from_iter(values),
        )
        .map_err(write_err)?;
    one_changed(n)?;
    get_visit(conn, id)
}

/// Finishes an open visit at `now`.
pub(crate) fn finish_visit(
    conn: &Connection,
    id: RecordId,
    now: DateTime<Utc>,
) -> Result<Stored<Visit>, StoreError> {
    let stored = get_visit(conn, id)?;
    if stored.record.finished.is_some() {
        return Err(StoreError::Conflict(
            "This visit is already finished.".to_owned(),
        ));
    }
    let finished = now.max(stored.record.started.utc);
    let n = conn
        .execute(
            "UPDATE visit SET finished_utc = ?1 WHERE id = ?2 AND finished_utc IS NULL",
            params![finished.timestamp(), id],
        )
        .map_err(write_err)?;
    one_changed(n)?;
    get_visit(conn, id)
}

pub(crate) fn get_visit(conn: &Connection, id: RecordId) -> Result<Stored<Visit>, StoreError> {
    find_one(
        conn,
        &format!("SELECT {COLUMNS} FROM visit WHERE id = ?1"),
        id,
        from_row,
    )
}

/// Every visit, newest first.
pub(crate) fn list_visits(conn: &Connection) -> Result<Vec<Stored<Visit>>, StoreError> {
    find_many(
        conn,
        &format!("SELECT {COLUMNS} FROM visit ORDER BY started_utc DESC, id DESC"),
        from_row,
    )
}

pub(crate) fn delete_visit(conn: &Connection, id: RecordId) -> Result<(), StoreError> {
    let n = conn
        .execute("DELETE FROM visit WHERE id = ?1", [id])
        .map_err(write_err)?;
    one_changed(n)
}

impl Store {
    /// Starts a peer visit at `started` (refused while another is open).
    pub fn start_visit(&self, started: EventTime) -> Result<Stored<Visit>, StoreError> {
        let written = start_visit(self.conn()?, started, self.now());
        self.wrote(&[Table::Visits], written)
    }

    /// The open visit (being walked through, or paused), if any.
    pub fn open_visit(&self) -> Result<Option<Stored<Visit>>, StoreError> {
        open_visit(self.conn()?)
    }

    /// Saves an open visit's progress (its start time is kept; a finished one is refused).
    pub fn save_visit(&self, id: RecordId, v: &Visit) -> Result<Stored<Visit>, StoreError> {
        let written = save_visit(self.conn()?, id, v, self.now());
        self.wrote(&[Table::Visits], written)
    }

    /// Finishes an open visit now; returns its summary.
    pub fn finish_visit(&self, id: RecordId) -> Result<Stored<Visit>, StoreError> {
        let written = finish_visit(self.conn()?, id, self.now());
        self.wrote(&[Table::Visits], written)
    }

    /// One visit.
    pub fn get_visit(&self, id: RecordId) -> Result<Stored<Visit>, StoreError> {
        get_visit(self.conn()?, id)
    }

    /// Every visit, newest first.
    pub fn list_visits(&self) -> Result<Vec<Stored<Visit>>, StoreError> {
        list_visits(self.conn()?)
    }

    /// Deletes a visit's record.
    pub fn delete_visit(&self, id: RecordId) -> Result<(), StoreError> {
        let written = delete_visit(self.conn()?, id);
        self.wrote(&[Table::Visits], written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn() -> Result<Connection, Box<dyn std::error::Error>> {
        let mut conn = Connection::open_in_memory()?;
        crate::db::migrate(&mut conn, crate::db::latest_version())?;
        Ok(conn)
    }

    fn at(secs: i64) -> Result<EventTime, Box<dyn std::error::Error>> {
        Ok(EventTime {
            utc: DateTime::<Utc>::from_timestamp(secs, 0).ok_or("time")?,
            offset_seconds: 0,
        })
    }

    /// The index itself (not only `start_visit`'s check) refuses a second open visit, and
    /// allows any number of finished ones.
    #[test]
    fn the_database_allows_one_open_visit() -> Result<(), Box<dyn std::error::Error>> {
        let conn = conn()?;
        insert(&conn, &Visit::start(at(1_700_000_000)?))?;
        assert!(matches!(
            insert(&conn, &Visit::start(at(1_700_000_100)?)),
            Err(StoreError::Conflict(_))
        ));
        for i in 0..3 {
            let done = Visit {
                finished: DateTime::<Utc>::from_timestamp(1_700_000_500 + i, 0),
                ..Visit::start(at(1_700_000_200 + i)?)
            };
            insert(&conn, &done)?;
        }
        assert_eq!(list_visits(&conn)?.len(), 4);
        Ok(())
    }

    #[test]
    fn a_resumed_visit_cannot_plan_the_next_in_the_past() -> Result<(), Box<dyn std::error::Error>>
    {
        let conn = conn()?;
        let start = at(1_700_000_000)?;
        let id = insert(&conn, &Visit::start(start))?;
        let three_days_on = start.utc + Duration::days(3);
        let next_day = start.utc.date_naive() + Duration::days(1);
        let v = Visit {
            next_visit: Some(next_day),
            ..Visit::start(start)
        };
        assert!(matches!(
            save_visit(&conn, id, &v, three_days_on),
            Err(StoreError::Invalid { .. })
        ));
        // The same date saved on the day of the visit is fine.
        save_visit(&conn, id, &v, start.utc + Duration::minutes(5))?;
        Ok(())
    }
}
