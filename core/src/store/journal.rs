//! The journal's typed records, their validation, and CRUD on an open connection.
//!
//! Every event time is a UTC instant plus the local UTC offset (seconds east) at that moment, so
//! "days since" can count local calendar days even across travel and clock changes.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::StoreError;

/// A record's id. Small positive integers; safe as a JavaScript number.
pub type RecordId = i64;

/// Longest private note, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;
/// How far in the future an event time may be, to allow for clocks that are a little off.
pub const CLOCK_SKEW_TOLERANCE_SECONDS: i64 = 10 * 60;
/// Largest local UTC offset anywhere (+14:00 in Kiribati; −12:00 is the other end).
pub const MAX_OFFSET_SECONDS: i32 = 14 * 3600;
/// Longest run of missed medication doses we record.
pub const MAX_MISSED_DAYS: u16 = 365;
/// Longest settings key and value.
pub const MAX_SETTING_KEY: usize = 64;
pub const MAX_SETTING_VALUE: usize = 16 * 1024;

/// A moment, as the UTC instant and the local offset in force there and then.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EventTime {
    /// The instant, in UTC (RFC 3339 in JSON).
    pub utc: DateTime<Utc>,
    /// The local offset from UTC at that moment, in seconds east of Greenwich.
    pub offset_seconds: i32,
}

impl EventTime {
    /// Whole seconds are kept; anything finer is dropped.
    pub(crate) fn to_db(self) -> (i64, i32) {
        (self.utc.timestamp(), self.offset_seconds)
    }

    pub(crate) fn from_db(secs: i64, offset: i32) -> rusqlite::Result<Self> {
        let utc = DateTime::<Utc>::from_timestamp(secs, 0)
            .ok_or(rusqlite::Error::IntegralValueOutOfRange(0, secs))?;
        Ok(Self {
            utc,
            offset_seconds: offset,
        })
    }

    pub(crate) fn validate(
        &self,
        field: &'static str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if self.offset_seconds.abs() > MAX_OFFSET_SECONDS {
            return Err(StoreError::invalid(
                field,
                "the time-zone offset is out of range",
            ));
        }
        if self.utc > now + Duration::seconds(CLOCK_SKEW_TOLERANCE_SECONDS) {
            return Err(StoreError::invalid(field, "is in the future"));
        }
        if self.utc < earliest() {
            return Err(StoreError::invalid(field, "is before 1900"));
        }
        Ok(())
    }
}

pub(crate) fn earliest() -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(-2_208_988_800, 0).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

pub(crate) fn validate_date(
    field: &'static str,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    // The latest local date anywhere on Earth right now.
    let latest = (now
        + Duration::seconds(i64::from(MAX_OFFSET_SECONDS) + CLOCK_SKEW_TOLERANCE_SECONDS))
    .date_naive();
    if date > latest {
        return Err(StoreError::invalid(field, "is in the future"));
    }
    if date < earliest().date_naive() {
        return Err(StoreError::invalid(field, "is before 1900"));
    }
    Ok(())
}

pub(crate) fn validate_note(note: &Option<String>) -> Result<(), StoreError> {
    if let Some(n) = note {
        if n.chars().count() > MAX_NOTE_CHARS {
            return Err(StoreError::invalid(
                "note",
                format!("is longer than {MAX_NOTE_CHARS} characters"),
            ));
        }
        if n.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            return Err(StoreError::invalid("note", "contains control characters"));
        }
    }
    Ok(())
}

/// An empty or blank note is stored as no note.
pub(crate) fn clean_note(note: Option<String>) -> Option<String> {
    note.filter(|n| !n.trim().is_empty())
}

/// Declares a snake_case string enum with conversions to and from its stored name.
macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant),+ }
        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];
            /// The stored name.
            pub fn as_str(self) -> &'static str { match self { $(Self::$variant => $text),+ } }
            /// Parses a stored name.
            pub fn parse(s: &str) -> Option<Self> { match s { $($text => Some(Self::$variant),)+ _ => None } }
        }
    };
}

text_enum! {
    /// What was used.
    Substance {
        Heroin = "heroin",
        Fentanyl = "fentanyl",
        Pills = "pills",
        OtherOpioid = "other_opioid",
        Benzodiazepines = "benzodiazepines",
        Alcohol = "alcohol",
        Stimulants = "stimulants",
        Other = "other",
    }
}

/// A time of use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UseEntry {
    pub at: EventTime,
    pub substance: Option<Substance>,
    /// Private note, at most `MAX_NOTE_CHARS` characters.
    pub note: Option<String>,
}

/// What kind of break from using (or from medication) it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BreakKind {
    PrisonRelease,
    DetoxDischarge,
    ResidentialTreatmentDischarge,
    HospitalDischarge,
    StoppedMethadone,
    StoppedBuprenorphine,
    StoppedNaltrexone,
    MissedMethadoneDoses { days: u16 },
    MissedBuprenorphineDoses { days: u16 },
    PausedPrescribedOpioid,
    PausedPrescribedBenzodiazepine,
}

impl BreakKind {
    fn to_db(self) -> (&'static str, Option<u16>) {
        match self {
            Self::PrisonRelease => ("prison_release", None),
            Self::DetoxDischarge => ("detox_discharge", None),
            Self::ResidentialTreatmentDischarge => ("residential_treatment_discharge", None),
            Self::HospitalDischarge => ("hospital_discharge", None),
            Self::StoppedMethadone => ("stopped_methadone", None),
            Self::StoppedBuprenorphine => ("stopped_buprenorphine", None),
            Self::StoppedNaltrexone => ("stopped_naltrexone", None),
            Self::MissedMethadoneDoses { days } => ("missed_methadone_doses", Some(days)),
            Self::MissedBuprenorphineDoses { days } => ("missed_buprenorphine_doses", Some(days)),
            Self::PausedPrescribedOpioid => ("paused_prescribed_opioid", None),
            Self::PausedPrescribedBenzodiazepine => ("paused_prescribed_benzodiazepine", None),
        }
    }

    fn from_db(kind: &str, days: Option<u16>) -> Option<Self> {
        Some(match (kind, days) {
            ("prison_release", None) => Self::PrisonRelease,
            ("detox_discharge", None) => Self::DetoxDischarge,
            ("residential_treatment_discharge", None) => Self::ResidentialTreatmentDischarge,
            ("hospital_discharge", None) => Self::HospitalDischarge,
            ("stopped_methadone", None) => Self::StoppedMethadone,
            ("stopped_buprenorphine", None) => Self::StoppedBuprenorphine,
            ("stopped_naltrexone", None) => Self::StoppedNaltrexone,
            ("missed_methadone_doses", Some(days)) => Self::MissedMethadoneDoses { days },
            ("missed_buprenorphine_doses", Some(days)) => Self::MissedBuprenorphineDoses { days },
            ("paused_prescribed_opioid", None) => Self::PausedPrescribedOpioid,
            ("paused_prescribed_benzodiazepine", None) => Self::PausedPrescribedBenzodiazepine,
            _ => return None,
        })
    }
}

/// A break: a stretch away from use or from medication, which lowers tolerance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BreakEntry {
    pub kind: BreakKind,
    /// First local calendar day of the break.
    pub start: NaiveDate,
    /// Last local calendar day (release, discharge...); `None` while it goes on.
    pub end: Option<NaiveDate>,
    pub note: Option<String>,
}

/// The quick "HALT" self-care check: which of these the person feels right now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Halt {
    pub hungry: bool,
    pub angry: bool,
    pub lonely: bool,
    pub tired: bool,
}

/// A daily check-in. Fields added in schema 4 (`sleep` to `naloxone_with_me`) default when
/// missing, so check-ins from older backups and older UIs still read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Checkin {
    /// The local calendar day it is about (one check-in per day).
    pub date: NaiveDate,
    /// 0 (none) to 10 (overwhelming).
    pub cravings: u8,
    /// 1 (very low) to 5 (very good).
    pub mood: u8,
    /// How last night's sleep was, 1 (very poorly) to 5 (very well); `None` when not answered.
    #[serde(default)]
    pub sleep: Option<u8>,
    /// Hungry, angry, lonely, tired.
    #[serde(default)]
    pub halt: Halt,
    /// Triggers met today: ids from the person's own trigger list, no repeats.
    #[serde(default)]
    #[ts(type = "Array<number>")]
    pub triggers: Vec<RecordId>,
    /// Warning signs noticed: ids of warning signs on the person's safety plan, no repeats.
    #[serde(default)]
    #[ts(type = "Array<number>")]
    pub warning_signs: Vec<RecordId>,
    /// "Used since the last check-in?" The shell records the use itself; this keeps the answer.
    #[serde(default)]
    pub used_since_last: bool,
    /// "Naloxone with you?"; `None` when not answered.
    #[serde(default)]
    pub naloxone_with_me: Option<bool>,
    pub note: Option<String>,
    /// When it was written.
    pub recorded: EventTime,
}

impl Checkin {
    /// A check-in with only the required answers; everything else unanswered.
    pub fn new(date: NaiveDate, cravings: u8, mood: u8, recorded: EventTime) -> Self {
        Self {
            date,
            cravings,
            mood,
            sleep: None,
            halt: Halt::default(),
            triggers: Vec::new(),
            warning_signs: Vec::new(),
            used_since_last: false,
            naloxone_with_me: None,
            note: None,
            recorded,
        }
    }
}

/// Most triggers or warning signs one check-in may list.
pub const MAX_CHECKIN_LINKS: usize = 100;

/// A stored record with its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Stored<T> {
    #[ts(type = "number")]
    pub id: RecordId,
    pub record: T,
}

impl UseEntry {
    /// Checks the entry against `now`.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.at.validate("time of use", now)?;
        validate_note(&self.note)
    }
}

impl BreakEntry {
    /// Checks the entry against `now`.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<(), StoreError> {
        validate_date("start date", self.start, now)?;
        if let Some(end) = self.end {
            validate_date("end date", end, now)?;
            if end < self.start {
                return Err(StoreError::invalid("end date", "is before the start date"));
            }
        }
        if let BreakKind::MissedMethadoneDoses { days }
        | BreakKind::MissedBuprenorphineDoses { days } = self.kind
        {
            if days == 0 || days > MAX_MISSED_DAYS {
                return Err(StoreError::invalid(
                    "missed days",
                    format!("must be between 1 and {MAX_MISSED_DAYS}"),
                ));
            }
        }
        validate_note(&self.note)
    }
}

impl Checkin {
    /// Checks the check-in against `now`. (That the trigger and warning-sign ids exist is
    /// checked against the store when it is saved.)
    pub fn validate(&self, now: DateTime<Utc>) -> Result<(), StoreError> {
        validate_date("date", self.date, now)?;
        self.recorded.validate("time written", now)?;
        if self.cravings > 10 {
            return Err(StoreError::invalid("cravings", "must be between 0 and 10"));
        }
        if !(1..=5).contains(&self.mood) {
            return Err(StoreError::invalid("mood", "must be between 1 and 5"));
        }
        if let Some(sleep) = self.sleep {
            if !(1..=5).contains(&sleep) {
                return Err(StoreError::invalid("sleep", "must be between 1 and 5"));
            }
        }
        validate_links("triggers", &self.triggers)?;
        validate_links("warning signs", &self.warning_signs)?;
        validate_note(&self.note)
    }
}

fn validate_links(field: &'static str, ids: &[RecordId]) -> Result<(), StoreError> {
    if ids.len() > MAX_CHECKIN_LINKS {
        return Err(StoreError::invalid(
            field,
            format!("may list at most {MAX_CHECKIN_LINKS}"),
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    for id in ids {
        if !seen.insert(*id) {
            return Err(StoreError::invalid(field, "lists the same one twice"));
        }
    }
    Ok(())
}

fn validate_setting(key: &str, value: &str) -> Result<(), StoreError> {
    if key.is_empty()
        || key.len() > MAX_SETTING_KEY
        || !key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
    {
        return Err(StoreError::invalid(
            "setting name",
            format!("must be 1 to {MAX_SETTING_KEY} of a-z, 0-9, '_' and '.'"),
        ));
    }
    if value.len() > MAX_SETTING_VALUE {
        return Err(StoreError::invalid("setting value", "is too long"));
    }
    Ok(())
}

pub(crate) fn w(e: rusqlite::Error) -> StoreError {
    StoreError::db_write(&e)
}

pub(crate) fn r(e: rusqlite::Error) -> StoreError {
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
    .map_err(w)?;
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
        .map_err(w)?;
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
            at: EventTime::from_db(row.get(1)?, row.get(2)?)?,
            substance,
            note: row.get(4)?,
        },
    })
}

const USE_COLS: &str = "SELECT id, at_utc, at_offset, substance, note FROM use_entry";

pub(crate) fn get_use(conn: &Connection, id: RecordId) -> Result<Stored<UseEntry>, StoreError> {
    conn.query_row(&format!("{USE_COLS} WHERE id = ?1"), [id], row_use)
        .optional()
        .map_err(r)?
        .ok_or(StoreError::RecordNotFound)
}

/// All use entries, oldest first.
pub(crate) fn list_uses(conn: &Connection) -> Result<Vec<Stored<UseEntry>>, StoreError> {
    let mut stmt = conn
        .prepare_cached(&format!("{USE_COLS} ORDER BY at_utc, id"))
        .map_err(r)?;
    let rows = stmt.query_map([], row_use).map_err(r)?;
    rows.collect::<rusqlite::Result<_>>().map_err(r)
}

/// The most recent use, if any.
pub(crate) fn last_use(conn: &Connection) -> Result<Option<Stored<UseEntry>>, StoreError> {
    conn.query_row(
        &format!("{USE_COLS} ORDER BY at_utc DESC, id DESC LIMIT 1"),
        [],
        row_use,
    )
    .optional()
    .map_err(r)
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
    .map_err(w)?;
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
        .map_err(w)?;
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
        .map_err(r)?
        .ok_or(StoreError::RecordNotFound)
}

/// All breaks, by start date.
pub(crate) fn list_breaks(conn: &Connection) -> Result<Vec<Stored<BreakEntry>>, StoreError> {
    let mut stmt = conn
        .prepare_cached(&format!("{BREAK_COLS} ORDER BY start_date, id"))
        .map_err(r)?;
    let rows = stmt.query_map([], row_break).map_err(r)?;
    rows.collect::<rusqlite::Result<_>>().map_err(r)
}

// ---- check-ins ----

/// Runs `f` inside a savepoint: all of it is written, or none of it. Works inside an open
/// transaction too (savepoints nest).
pub(crate) fn atomically<T>(
    conn: &Connection,
    f: impl FnOnce() -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    conn.execute_batch("SAVEPOINT holdfast_write").map_err(w)?;
    match f() {
        Ok(v) => {
            conn.execute_batch("RELEASE holdfast_write").map_err(w)?;
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
            .map_err(r)?;
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
            .map_err(r)?;
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
        .map_err(w)?;
    conn.execute(
        "DELETE FROM checkin_warning_sign WHERE checkin_id = ?1",
        [id],
    )
    .map_err(w)?;
    for t in &e.triggers {
        conn.execute(
            "INSERT INTO checkin_trigger (checkin_id, trigger_id) VALUES (?1, ?2)",
            [id, *t],
        )
        .map_err(w)?;
    }
    for s in &e.warning_signs {
        conn.execute(
            "INSERT INTO checkin_warning_sign (checkin_id, plan_item_id) VALUES (?1, ?2)",
            [id, *s],
        )
        .map_err(w)?;
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
            Err(err) => return Err(w(err)),
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
            Err(err) => return Err(w(err)),
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
        .map_err(r)?;
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
            recorded: EventTime::from_db(row.get(5)?, row.get(6)?)?,
        },
    })
}

const CHECKIN_COLS: &str = "SELECT id, date, cravings, mood, note, at_utc, at_offset, sleep, hungry, angry, lonely, tired, used_since_last, naloxone_with_me FROM checkin";

fn load_links(conn: &Connection, c: &mut Stored<Checkin>) -> Result<(), StoreError> {
    let ids = |sql: &str| -> Result<Vec<RecordId>, StoreError> {
        let mut stmt = conn.prepare_cached(sql).map_err(r)?;
        let rows = stmt.query_map([c.id], |row| row.get(0)).map_err(r)?;
        rows.collect::<rusqlite::Result<_>>().map_err(r)
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
        .map_err(r)?
        .ok_or(StoreError::RecordNotFound)?;
    load_links(conn, &mut c)?;
    Ok(c)
}

/// All check-ins, by date.
pub(crate) fn list_checkins(conn: &Connection) -> Result<Vec<Stored<Checkin>>, StoreError> {
    let mut stmt = conn
        .prepare_cached(&format!("{CHECKIN_COLS} ORDER BY date"))
        .map_err(r)?;
    let rows = stmt.query_map([], row_checkin).map_err(r)?;
    let mut all: Vec<Stored<Checkin>> = rows.collect::<rusqlite::Result<_>>().map_err(r)?;
    // Two queries for all the links rather than two per check-in.
    let mut by_id: std::collections::HashMap<RecordId, usize> = std::collections::HashMap::new();
    for (i, c) in all.iter().enumerate() {
        by_id.insert(c.id, i);
    }
    for (sql, warning) in [
        ("SELECT checkin_id, trigger_id FROM checkin_trigger ORDER BY checkin_id, trigger_id", false),
        ("SELECT checkin_id, plan_item_id FROM checkin_warning_sign ORDER BY checkin_id, plan_item_id", true),
    ] {
        let mut stmt = conn.prepare_cached(sql).map_err(r)?;
        let rows = stmt
            .query_map([], |row| Ok((row.get::<_, RecordId>(0)?, row.get::<_, RecordId>(1)?)))
            .map_err(r)?;
        for pair in rows {
            let (cid, lid) = pair.map_err(r)?;
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

/// Which kind of record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Use,
    Break,
    Checkin,
}

pub(crate) fn delete(conn: &Connection, kind: RecordKind, id: RecordId) -> Result<(), StoreError> {
    let table = match kind {
        RecordKind::Use => "use_entry",
        RecordKind::Break => "break_entry",
        RecordKind::Checkin => "checkin",
    };
    let n = conn
        .execute(&format!("DELETE FROM {table} WHERE id = ?1"), [id])
        .map_err(w)?;
    one_changed(n)
}

// ---- settings ----

pub(crate) fn set_setting(conn: &Connection, key: &str, value: &str) -> Result<(), StoreError> {
    validate_setting(key, value)?;
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )
    .map_err(w)?;
    Ok(())
}

pub(crate) fn get_setting(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
        row.get(0)
    })
    .optional()
    .map_err(r)
}

pub(crate) fn delete_setting(conn: &Connection, key: &str) -> Result<(), StoreError> {
    conn.execute("DELETE FROM settings WHERE key = ?1", [key])
        .map_err(w)?;
    Ok(())
}

pub(crate) fn list_settings(conn: &Connection) -> Result<Vec<(String, String)>, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT key, value FROM settings ORDER BY key")
        .map_err(r)?;
    let rows = stmt
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .map_err(r)?;
    rows.collect::<rusqlite::Result<_>>().map_err(r)
}
