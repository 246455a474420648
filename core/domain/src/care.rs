//! Small pieces the check-in, plan and kit commands share, kept here so they are tested without
//! a window.

use chrono::{DateTime, NaiveDate, Offset, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::records::{EventTime, NaloxoneKit, RecordId, Stored, UseEntry};
use crate::reminders::KIT_SOON_DAYS;

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

/// Where a naloxone kit stands on a given day. "Soon" is the same 30 days the expiry reminder
/// uses ([`KIT_SOON_DAYS`]), so the kit screen and the reminder never disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum KitStatus {
    /// "I used it" on this day: get a new one.
    Used { on: NaiveDate },
    /// No expiry date noted.
    NoExpiry,
    /// Past its expiry date.
    Expired { on: NaiveDate },
    /// Its last day.
    ExpiresToday,
    /// Within [`KIT_SOON_DAYS`] of its expiry.
    ExpiresSoon { days: u32, on: NaiveDate },
    /// More than [`KIT_SOON_DAYS`] to go.
    Good { until: NaiveDate },
}

/// The status of `kit` on the local day `today`.
pub fn kit_status(kit: &NaloxoneKit, today: NaiveDate) -> KitStatus {
    if let Some(on) = kit.used_on {
        return KitStatus::Used { on };
    }
    let Some(expires) = kit.expires else {
        return KitStatus::NoExpiry;
    };
    let left = (expires - today).num_days();
    match u32::try_from(left) {
        Err(_) => KitStatus::Expired { on: expires },
        Ok(0) => KitStatus::ExpiresToday,
        Ok(days) if days <= KIT_SOON_DAYS => KitStatus::ExpiresSoon { days, on: expires },
        Ok(_) => KitStatus::Good { until: expires },
    }
}

/// A kit with its status for the screens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KitView {
    #[ts(type = "number")]
    pub id: RecordId,
    pub record: NaloxoneKit,
    pub status: KitStatus,
}

/// Kits (in the store's order) with their status on `today`.
pub fn kit_views(kits: Vec<Stored<NaloxoneKit>>, today: NaiveDate) -> Vec<KitView> {
    kits.into_iter()
        .map(|k| KitView {
            status: kit_status(&k.record, today),
            id: k.id,
            record: k.record,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::KitKind;

    #[test]
    fn kit_status_follows_the_reminder_rule() -> Result<(), &'static str> {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).ok_or("date")?;
        let kit = |expires: Option<NaiveDate>, used_on: Option<NaiveDate>| NaloxoneKit {
            kind: KitKind::Nasal,
            kept_at: None,
            expires,
            used_on,
            note: None,
        };
        let day = |n: i64| today + chrono::Duration::days(n);
        assert_eq!(kit_status(&kit(None, None), today), KitStatus::NoExpiry);
        assert_eq!(
            kit_status(&kit(Some(day(-1)), None), today),
            KitStatus::Expired { on: day(-1) }
        );
        assert_eq!(
            kit_status(&kit(Some(today), None), today),
            KitStatus::ExpiresToday
        );
        assert_eq!(
            kit_status(&kit(Some(day(1)), None), today),
            KitStatus::ExpiresSoon {
                days: 1,
                on: day(1)
            }
        );
        assert_eq!(
            kit_status(&kit(Some(day(30)), None), today),
            KitStatus::ExpiresSoon {
                days: 30,
                on: day(30)
            }
        );
        assert_eq!(
            kit_status(&kit(Some(day(31)), None), today),
            KitStatus::Good { until: day(31) }
        );
        // Used wins over everything.
        assert_eq!(
            kit_status(&kit(Some(day(-5)), Some(day(-2))), today),
            KitStatus::Used { on: day(-2) }
        );
        Ok(())
    }

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
