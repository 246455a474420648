//! Where each naloxone kit stands today, for the kit screen and the visit.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::records::{NaloxoneKit, RecordId, Stored};
use crate::reminders::KIT_SOON_DAYS;

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
}
