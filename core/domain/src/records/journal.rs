//! The journal's records: uses, breaks and check-ins, with the times they carry and the rules
//! every one must pass before it is stored.
//!
//! Every event time is a UTC instant plus the local UTC offset (seconds east) at that moment, so
//! "days since" can count local calendar days even across travel and clock changes.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Invalid;

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
    pub fn to_db(self) -> (i64, i32) {
        (self.utc.timestamp(), self.offset_seconds)
    }

    /// The time a stored pair stands for; `None` when the seconds are out of range.
    pub fn from_db(secs: i64, offset: i32) -> Option<Self> {
        let utc = DateTime::<Utc>::from_timestamp(secs, 0)?;
        Some(Self {
            utc,
            offset_seconds: offset,
        })
    }

    pub fn validate(&self, field: &'static str, now: DateTime<Utc>) -> Result<(), Invalid> {
        if self.offset_seconds.abs() > MAX_OFFSET_SECONDS {
            return Err(Invalid::new(field, "the time-zone offset is out of range"));
        }
        if self.utc > now + Duration::seconds(CLOCK_SKEW_TOLERANCE_SECONDS) {
            return Err(Invalid::new(field, "is in the future"));
        }
        if self.utc < earliest() {
            return Err(Invalid::new(field, "is before 1900"));
        }
        Ok(())
    }
}

pub fn earliest() -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(-2_208_988_800, 0).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

pub fn validate_date(
    field: &'static str,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), Invalid> {
    // The latest local date anywhere on Earth right now.
    let latest = (now
        + Duration::seconds(i64::from(MAX_OFFSET_SECONDS) + CLOCK_SKEW_TOLERANCE_SECONDS))
    .date_naive();
    if date > latest {
        return Err(Invalid::new(field, "is in the future"));
    }
    if date < earliest().date_naive() {
        return Err(Invalid::new(field, "is before 1900"));
    }
    Ok(())
}

pub fn validate_note(note: &Option<String>) -> Result<(), Invalid> {
    if let Some(n) = note {
        if n.chars().count() > MAX_NOTE_CHARS {
            return Err(Invalid::new(
                "note",
                format!("is longer than {MAX_NOTE_CHARS} characters"),
            ));
        }
        if n.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            return Err(Invalid::new("note", "contains control characters"));
        }
    }
    Ok(())
}

/// An empty or blank note is stored as no note.
pub fn clean_note(note: Option<String>) -> Option<String> {
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

/// What kind of break from using (or from medication) it was. [`BreakTag`] is the same list
/// without the data (the tolerance rules name kinds by it), derived by strum.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, strum::EnumDiscriminants,
)]
#[strum_discriminants(name(BreakTag), derive(strum::VariantArray))]
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
    /// The kind a tag names, with `days` for the kinds that count missed days.
    pub fn with_tag(tag: BreakTag, days: u16) -> Self {
        match tag {
            BreakTag::PrisonRelease => Self::PrisonRelease,
            BreakTag::DetoxDischarge => Self::DetoxDischarge,
            BreakTag::ResidentialTreatmentDischarge => Self::ResidentialTreatmentDischarge,
            BreakTag::HospitalDischarge => Self::HospitalDischarge,
            BreakTag::StoppedMethadone => Self::StoppedMethadone,
            BreakTag::StoppedBuprenorphine => Self::StoppedBuprenorphine,
            BreakTag::StoppedNaltrexone => Self::StoppedNaltrexone,
            BreakTag::MissedMethadoneDoses => Self::MissedMethadoneDoses { days },
            BreakTag::MissedBuprenorphineDoses => Self::MissedBuprenorphineDoses { days },
            BreakTag::PausedPrescribedOpioid => Self::PausedPrescribedOpioid,
            BreakTag::PausedPrescribedBenzodiazepine => Self::PausedPrescribedBenzodiazepine,
        }
    }

    /// Every kind, in order, with `days` where a kind counts missed days: what a test or a
    /// picker that must cover them all iterates, so a new kind is never left out.
    pub fn every(days: u16) -> Vec<Self> {
        use strum::VariantArray;
        BreakTag::VARIANTS
            .iter()
            .map(|t| Self::with_tag(*t, days))
            .collect()
    }

    /// The stored name and the number of days, for the kinds that have one.
    pub fn to_db(self) -> (&'static str, Option<u16>) {
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

    /// The kind a stored name and day count stand for.
    pub fn from_db(kind: &str, days: Option<u16>) -> Option<Self> {
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
    pub fn validate(&self, now: DateTime<Utc>) -> Result<(), Invalid> {
        self.at.validate("time of use", now)?;
        validate_note(&self.note)
    }
}

impl BreakEntry {
    /// Checks the entry against `now`.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<(), Invalid> {
        validate_date("start date", self.start, now)?;
        if let Some(end) = self.end {
            validate_date("end date", end, now)?;
            if end < self.start {
                return Err(Invalid::new("end date", "is before the start date"));
            }
        }
        if let BreakKind::MissedMethadoneDoses { days }
        | BreakKind::MissedBuprenorphineDoses { days } = self.kind
        {
            if days == 0 || days > MAX_MISSED_DAYS {
                return Err(Invalid::new(
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
    pub fn validate(&self, now: DateTime<Utc>) -> Result<(), Invalid> {
        validate_date("date", self.date, now)?;
        self.recorded.validate("time written", now)?;
        if self.cravings > 10 {
            return Err(Invalid::new("cravings", "must be between 0 and 10"));
        }
        if !(1..=5).contains(&self.mood) {
            return Err(Invalid::new("mood", "must be between 1 and 5"));
        }
        if let Some(sleep) = self.sleep {
            if !(1..=5).contains(&sleep) {
                return Err(Invalid::new("sleep", "must be between 1 and 5"));
            }
        }
        validate_links("triggers", &self.triggers)?;
        validate_links("warning signs", &self.warning_signs)?;
        validate_note(&self.note)
    }
}

fn validate_links(field: &'static str, ids: &[RecordId]) -> Result<(), Invalid> {
    if ids.len() > MAX_CHECKIN_LINKS {
        return Err(Invalid::new(
            field,
            format!("may list at most {MAX_CHECKIN_LINKS}"),
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    for id in ids {
        if !seen.insert(*id) {
            return Err(Invalid::new(field, "lists the same one twice"));
        }
    }
    Ok(())
}

/// Checks a key and value for the encrypted key-value settings.
pub fn validate_setting(key: &str, value: &str) -> Result<(), Invalid> {
    if key.is_empty()
        || key.len() > MAX_SETTING_KEY
        || !key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
    {
        return Err(Invalid::new(
            "setting name",
            format!("must be 1 to {MAX_SETTING_KEY} of a-z, 0-9, '_' and '.'"),
        ));
    }
    if value.len() > MAX_SETTING_VALUE {
        return Err(Invalid::new("setting value", "is too long"));
    }
    Ok(())
}

/// Which kind of record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Use,
    Break,
    Checkin,
}

#[cfg(test)]
mod tests {
    use strum::VariantArray;

    use super::*;

    #[test]
    fn every_break_kind_has_its_tag_and_back() {
        let kinds = BreakKind::every(3);
        assert_eq!(kinds.len(), BreakTag::VARIANTS.len());
        for (kind, tag) in kinds.iter().zip(BreakTag::VARIANTS) {
            assert_eq!(BreakTag::from(kind), *tag);
            assert_eq!(BreakKind::with_tag(*tag, 3), *kind);
            let (name, days) = kind.to_db();
            assert_eq!(BreakKind::from_db(name, days), Some(*kind));
        }
    }
}
