//! Reads that combine what the store holds with a pure engine: the reminder schedule, the trend
//! and the nudge. The store only lists records; the rules are in `holdfast_domain`.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use holdfast_domain::reminders::{schedule, Reminder, ReminderJournal};
use holdfast_domain::trends::{self, Nudge, Trend};
use holdfast_store::{Store, StoreError};

/// The schedule from what is in the journal, the saved settings and the last delivery.
pub fn reminders<Tz: TimeZone>(
    store: &Store,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Result<Vec<Reminder>, StoreError> {
    let breaks = store.list_breaks()?;
    let kits = store.list_kits()?;
    let dates: Vec<NaiveDate> = store
        .list_checkins()?
        .iter()
        .map(|c| c.record.date)
        .collect();
    let mut visits: Vec<NaiveDate> = store
        .list_visits()?
        .iter()
        .filter_map(|v| v.record.next_visit)
        .collect();
    visits.sort_unstable();
    visits.dedup();
    let journal = ReminderJournal {
        breaks: &breaks,
        kits: &kits,
        checkin_dates: &dates,
        next_visits: &visits,
    };
    Ok(schedule(
        &store.reminder_settings()?,
        &journal,
        now,
        tz,
        store.reminders_delivered_at()?,
    ))
}

/// The 30-day trend ending `today` (the local date), from the stored check-ins.
pub fn trend(store: &Store, today: NaiveDate) -> Result<Trend, StoreError> {
    Ok(trends::trend(&store.list_checkins()?, today))
}

/// The nudge for `today` (the local date), if any, from the stored check-ins, safety plan and
/// support people.
pub fn nudge(store: &Store, today: NaiveDate) -> Result<Option<Nudge>, StoreError> {
    Ok(trends::nudge(
        &store.list_checkins()?,
        &store.safety_plan()?,
        &store.list_support_people()?,
        today,
    ))
}
