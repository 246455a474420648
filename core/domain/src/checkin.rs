//! What saving a check-in does beyond the check-in: whether it records a use, and that use.

use chrono::{DateTime, Offset, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::records::{EventTime, RecordId, UseEntry};

/// What saving a check-in did: the check-in's id and, when it said "used since the last
/// check-in" (and the stored one did not already), the id of the use recorded with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CheckinSaved {
    #[ts(type = "number")]
    pub id: RecordId,
    #[ts(type = "number | null")]
    pub use_id: Option<RecordId>,
}

/// The instant `now` with the local offset in `tz` at that moment.
pub fn event_time<Tz: TimeZone>(now: DateTime<Utc>, tz: &Tz) -> EventTime {
    EventTime {
        utc: now,
        offset_seconds: tz
            .offset_from_utc_datetime(&now.naive_utc())
            .fix()
            .local_minus_utc(),
    }
}

/// The use a check-in's "used since the last check-in: yes" records: now, nothing else known.
pub fn use_for_checkin<Tz: TimeZone>(now: DateTime<Utc>, tz: &Tz) -> UseEntry {
    UseEntry {
        at: event_time(now, tz),
        substance: None,
        note: None,
    }
}

/// Whether saving `new_answer` over `old_answer` (`None` for a new check-in) records a use:
/// only a "yes" that was not already a "yes", so editing a check-in never records it twice.
pub fn records_use(old_answer: Option<bool>, new_answer: bool) -> bool {
    new_answer && old_answer != Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_use_is_recorded_only_for_a_new_yes() {
        assert!(records_use(None, true));
        assert!(records_use(Some(false), true));
        assert!(!records_use(Some(true), true));
        assert!(!records_use(None, false));
        assert!(!records_use(Some(true), false));
    }

    #[test]
    fn the_use_carries_the_local_offset() -> Result<(), &'static str> {
        let now = DateTime::<Utc>::from_timestamp(1_800_000_000, 0).ok_or("instant")?;
        let tz = chrono::FixedOffset::west_opt(5 * 3600).ok_or("offset")?;
        let u = use_for_checkin(now, &tz);
        assert_eq!(u.at.utc, now);
        assert_eq!(u.at.offset_seconds, -5 * 3600);
        assert_eq!(u.substance, None);
        assert_eq!(u.note, None);
        Ok(())
    }
}
