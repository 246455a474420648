//! Peer visits: a walk-through a peer worker runs with the person, on the person's device. A
//! visit is saved as it goes (so it can be paused and resumed), and finished with a summary:
//! when it was, which topics were covered, what the person wants to try, the next steps and the
//! date of the next visit. Only one visit is open at a time.
//!
//! The walk-through itself (what each step shows for a region) is in [`crate::visit`].

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::journal::{bad_value, one_changed, parse_date, r, w, EventTime, RecordId, Stored};
use super::StoreError;

/// Longest "next steps" text, in characters.
pub const MAX_NEXT_STEPS_CHARS: usize = 2000;
/// Longest peer worker's name, in characters.
pub const MAX_WORKER_CHARS: usize = 120;
/// How far ahead the next visit may be planned, in days.
pub const MAX_NEXT_VISIT_DAYS: i64 = 366;

/// One step of the walk-through, in the order it is walked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum VisitStep {
    Naloxone,
    Tolerance,
    NeverUseAlone,
    Treatment,
    SafetyPlan,
    NextSteps,
}

impl VisitStep {
    /// Every step, in walk-through order.
    pub const ALL: [Self; 6] = [
        Self::Naloxone,
        Self::Tolerance,
        Self::NeverUseAlone,
        Self::Treatment,
        Self::SafetyPlan,
        Self::NextSteps,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Naloxone => "naloxone",
            Self::Tolerance => "tolerance",
            Self::NeverUseAlone => "never-use-alone",
            Self::Treatment => "treatment",
            Self::SafetyPlan => "safety-plan",
            Self::NextSteps => "next-steps",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// A treatment the person says they want to try or learn about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum TreatmentInterest {
    Methadone,
    Buprenorphine,
    Naltrexone,
    /// Talk it over with a doctor, clinic or service first.
    TalkFirst,
    /// Not right now (an answer, not a failure).
    NotNow,
}

impl TreatmentInterest {
    /// Every answer, in the order they are offered.
    pub const ALL: [Self; 5] = [
        Self::Methadone,
        Self::Buprenorphine,
        Self::Naltrexone,
        Self::TalkFirst,
        Self::NotNow,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Methadone => "methadone",
            Self::Buprenorphine => "buprenorphine",
            Self::Naltrexone => "naltrexone",
            Self::TalkFirst => "talk-first",
            Self::NotNow => "not-now",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// A peer visit, open (being walked through, or paused) or finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Visit {
    /// When the visit began, with the local offset then.
    pub started: EventTime,
    /// When it was finished; `None` while it is open.
    pub finished: Option<DateTime<Utc>>,
    /// The step to resume at.
    pub at_step: VisitStep,
    /// The steps talked through, in walk-through order, each once.
    pub covered: Vec<VisitStep>,
    /// What the person wants to try or learn about, in the order offered.
    pub treatment: Vec<TreatmentInterest>,
    /// The next steps, in the person's and worker's words.
    pub next_steps: Option<String>,
    /// The date of the next visit, if one was planned (a reminder comes that day).
    pub next_visit: Option<NaiveDate>,
    /// The peer worker's name, if the person wants it kept.
    pub worker: Option<String>,
}

impl Visit {
    /// A new, open visit at the first step.
    pub fn start(started: EventTime) -> Self {
        Self {
            started,
            finished: None,
            at_step: VisitStep::Naloxone,
            covered: Vec::new(),
            treatment: Vec::new(),
            next_steps: None,
            next_visit: None,
            worker: None,
        }
    }

    /// The local calendar day the visit began on.
    pub fn local_date(&self) -> NaiveDate {
        (self.started.utc + Duration::seconds(i64::from(self.started.offset_seconds))).date_naive()
    }

    /// Checks the visit against `now` and returns it tidied: lists sorted into walk-through
    /// order without repeats, blank text as none, text trimmed.
    pub fn validated(&self, now: DateTime<Utc>) -> Result<Self, StoreError> {
        self.started.validate("visit start", now)?;
        if let Some(f) = self.finished {
            if f < self.started.utc {
                return Err(StoreError::invalid(
                    "visit end",
                    "is before the visit began",
                ));
            }
            if f > now + Duration::seconds(super::journal::CLOCK_SKEW_TOLERANCE_SECONDS) {
                return Err(StoreError::invalid("visit end", "is in the future"));
            }
        }
        let mut covered = self.covered.clone();
        covered.sort_unstable();
        covered.dedup();
        let mut treatment = self.treatment.clone();
        treatment.sort_unstable();
        treatment.dedup();
        if treatment.contains(&TreatmentInterest::NotNow) && treatment.len() > 1 {
            return Err(StoreError::invalid(
                "treatment",
                "says \"not now\" and also names a treatment",
            ));
        }
        let next_steps = clean(
            "next steps",
            self.next_steps.as_deref(),
            MAX_NEXT_STEPS_CHARS,
            true,
        )?;
        let worker = clean(
            "peer worker's name",
            self.worker.as_deref(),
            MAX_WORKER_CHARS,
            false,
        )?;
        if let Some(next) = self.next_visit {
            if next < self.local_date() {
                return Err(StoreError::invalid("next visit", "is before this visit"));
            }
            if next > self.local_date() + Duration::days(MAX_NEXT_VISIT_DAYS) {
                return Err(StoreError::invalid(
                    "next visit",
                    "is more than a year away",
                ));
            }
        }
        Ok(Self {
            started: self.started,
            finished: self.finished,
            at_step: self.at_step,
            covered,
            treatment,
            next_steps,
            next_visit: self.next_visit,
            worker,
        })
    }
}

/// Trims text; blank becomes `None`; checks length and control characters (new lines only where
/// `lines` is set).
fn clean(
    field: &'static str,
    text: Option<&str>,
    max: usize,
    lines: bool,
) -> Result<Option<String>, StoreError> {
    let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if t.chars().count() > max {
        return Err(StoreError::invalid(
            field,
            format!("is longer than {max} characters"),
        ));
    }
    if t.chars()
        .any(|c| c.is_control() && !(lines && (c == '\n' || c == '\t')))
    {
        return Err(StoreError::invalid(field, "contains control characters"));
    }
    Ok(Some(t.to_owned()))
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
            started: EventTime::from_db(row.get(1)?, row.get(2)?)?,
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
    .map_err(r)
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
        other => w(other),
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
        .map_err(w)?;
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
        .map_err(w)?;
    one_changed(n)?;
    get_visit(conn, id)
}

pub(crate) fn get_visit(conn: &Connection, id: RecordId) -> Result<Stored<Visit>, StoreError> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM visit WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()
    .map_err(r)?
    .ok_or(StoreError::RecordNotFound)
}

/// Every visit, newest first.
pub(crate) fn list_visits(conn: &Connection) -> Result<Vec<Stored<Visit>>, StoreError> {
    let mut stmt = conn
        .prepare(&format!(
            "SELECT {COLUMNS} FROM visit ORDER BY started_utc DESC, id DESC"
        ))
        .map_err(r)?;
    let rows = stmt.query_map([], from_row).map_err(r)?;
    rows.collect::<rusqlite::Result<Vec<_>>>().map_err(r)
}

pub(crate) fn delete_visit(conn: &Connection, id: RecordId) -> Result<(), StoreError> {
    let n = conn
        .execute("DELETE FROM visit WHERE id = ?1", [id])
        .map_err(w)?;
    one_changed(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn() -> Result<Connection, Box<dyn std::error::Error>> {
        let mut conn = Connection::open_in_memory()?;
        crate::store::db::migrate(&mut conn, crate::store::db::latest_version())?;
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
