//! The reminder schedule while the app runs: what the reminder thread shows on each tick.
//!
//! - At unlock (and after every write to what the schedule reads, and at least once a minute)
//!   the schedule is worked out afresh. Reminders that came due while the app was closed or the
//!   journal locked come back from the schedule as **one** "missed" group, shown once, at unlock.
//! - Upcoming reminders are kept until they are due and then shown one by one, with the text
//!   the settings ask for (discreet by default).
//! - A kept reminder found more than [`ON_TIME`] late (the machine slept, the clock jumped) is
//!   not shown on its own: the schedule is worked out again, so late ones come as one group.
//! - While the journal is locked nothing is computed and nothing is kept: kits, breaks and
//!   settings are encrypted, and the key is gone. What comes due meanwhile is shown as the
//!   missed group at the next unlock.
//! - After showing anything, the delivery time is saved in the journal, so nothing is shown
//!   twice, also across restarts.
//!
//! Which writes change the schedule is decided here ([`SCHEDULE_INPUTS`]); the store reports
//! what each write touched, so no command has to remember to say so.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use holdfast_domain::reminders::Reminder;
use holdfast_store::{Store, StoreError, Table};

use crate::{reads, App};

/// How often the schedule is worked out again even when nothing changed.
const REFRESH: Duration = Duration::from_secs(60);
/// How late a kept reminder may be and still be shown on its own.
pub const ON_TIME: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

/// The tables `reminders::schedule` reads: breaks, kits, check-in dates, next-visit dates and the
/// reminder settings (with the last delivery).
pub const SCHEDULE_INPUTS: [Table; 5] = [
    Table::Breaks,
    Table::Kits,
    Table::Checkins,
    Table::Visits,
    Table::Settings,
];

/// What the thread remembers between ticks (nothing while the journal is locked).
#[derive(Debug, Default)]
pub struct Runner {
    pending: Vec<Reminder>,
    computed: Option<Instant>,
}

/// Reminders to show now, and the instant to record as delivered once they are shown.
#[derive(Debug, Default, PartialEq)]
pub struct Due {
    pub show: Vec<Reminder>,
    pub delivered_at: Option<DateTime<Utc>>,
}

impl Runner {
    /// The journal is locked: forget everything.
    pub fn forget(&mut self) {
        self.pending.clear();
        self.computed = None;
    }

    fn recompute(&mut self, store: &Store, now: DateTime<Utc>) -> Result<Due, StoreError> {
        if store.reminders_delivered_at()?.is_none() {
            // The first time: from now on, what comes due while the app is closed counts as
            // missed.
            store.set_reminders_delivered_at(now)?;
        }
        let all = reads::reminders(store, now, &chrono::Local)?;
        let (show, pending): (Vec<_>, Vec<_>) = all.into_iter().partition(|r| r.due <= now);
        self.pending = pending;
        self.computed = Some(Instant::now());
        let delivered_at = (!show.is_empty()).then_some(now);
        Ok(Due { show, delivered_at })
    }

    /// One tick with the journal open: what to show now.
    pub fn step(
        &mut self,
        store: &Store,
        now: DateTime<Utc>,
        changed: bool,
    ) -> Result<Due, StoreError> {
        let stale = self.computed.is_none_or(|t| t.elapsed() >= REFRESH);
        let (due, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut self.pending)
            .into_iter()
            .partition(|r| r.due <= now);
        self.pending = kept;
        if due.iter().any(|r| r.due < now - ON_TIME) {
            // Late: let the schedule group them into one "missed" reminder.
            return self.recompute(store, now);
        }
        if !due.is_empty() {
            let latest = due.iter().map(|r| r.due).max();
            // Ask again after showing, as the schedule's rules expect.
            self.computed = None;
            return Ok(Due {
                show: due,
                delivered_at: latest,
            });
        }
        if changed || stale {
            return self.recompute(store, now);
        }
        Ok(Due::default())
    }
}

impl App {
    /// One tick of the reminder thread: what to show now, or `None` while the journal is locked
    /// (then `runner` forgets everything). Never counts as activity.
    pub fn reminders_due(&self, runner: &mut Runner) -> Option<Result<Due, StoreError>> {
        let now = self.now();
        let changed = self.schedule_changed();
        let due = self.with_store_quietly(|store| runner.step(store, now, changed));
        if due.is_none() {
            runner.forget();
        }
        due
    }

    /// Whether anything the schedule reads was written since the last call.
    pub fn schedule_changed(&self) -> bool {
        self.changes.take().any_of(&SCHEDULE_INPUTS)
    }

    /// Records that reminders were shown at `at`; `None` while the journal is locked.
    pub fn reminders_delivered(&self, at: DateTime<Utc>) -> Option<Result<(), StoreError>> {
        self.with_store_quietly(|store| store.set_reminders_delivered_at(at))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration as Days, TimeDelta};
    use holdfast_domain::records::{KitKind, NaloxoneKit};
    use holdfast_domain::reminders::{ReminderKind, ReminderSettings, DISCREET_SUMMARY};
    use holdfast_store::{KdfParams, StoreOptions};

    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    fn store(dir: &std::path::Path) -> Result<Store, StoreError> {
        let options = StoreOptions::with_kdf(KdfParams::INSECURE_FOR_TESTS);
        Ok(Store::create(dir, "correct horse battery", options)?.0)
    }

    fn kit_expiring(store: &Store, now: DateTime<Utc>, days: i64) -> Result<i64, StoreError> {
        store.add_kit(&NaloxoneKit {
            kind: KitKind::Nasal,
            kept_at: None,
            expires: Some(now.with_timezone(&chrono::Local).date_naive() + Days::days(days)),
            used_on: None,
            note: None,
        })
    }

    /// A journal with one kit expiring in 40 days, and now.
    fn a_store_with_a_kit(dir: &std::path::Path) -> Result<(Store, DateTime<Utc>), StoreError> {
        let store = store(dir)?;
        let now = Utc::now();
        kit_expiring(&store, now, 40)?;
        Ok((store, now))
    }

    #[test]
    fn first_run_records_now_and_shows_nothing() -> TestResult {
        let dir = tempfile::tempdir()?;
        let (store, now) = a_store_with_a_kit(dir.path())?;
        let mut runner = Runner::default();
        let due = runner.step(&store, now, false)?;
        assert_eq!(due, Due::default());
        assert_eq!(store.reminders_delivered_at()?, Some(now));
        assert_eq!(runner.pending.len(), 1, "{:?}", runner.pending);
        Ok(())
    }

    #[test]
    fn a_reminder_on_time_is_shown_alone_with_its_text() -> TestResult {
        let dir = tempfile::tempdir()?;
        let (store, now) = a_store_with_a_kit(dir.path())?;
        let mut runner = Runner::default();
        runner.step(&store, now, false)?;
        let due_at = runner
            .pending
            .first()
            .map(|r| r.due)
            .ok_or("nothing kept")?;
        // Just before: nothing.
        let before = runner.step(&store, due_at - TimeDelta::seconds(1), false)?;
        assert!(before.show.is_empty());
        let at = runner.step(&store, due_at + TimeDelta::seconds(1), false)?;
        assert_eq!(at.show.len(), 1);
        assert_eq!(at.show[0].kind, ReminderKind::KitExpiresSoon);
        assert_eq!(at.show[0].summary, DISCREET_SUMMARY);
        assert_eq!(at.delivered_at, Some(due_at));
        Ok(())
    }

    #[test]
    fn late_reminders_come_as_one_missed_group() -> TestResult {
        let dir = tempfile::tempdir()?;
        let store = store(dir.path())?;
        let now = Utc::now();
        store.set_reminder_settings(&ReminderSettings {
            daily_checkin: chrono::NaiveTime::from_hms_opt(9, 0, 0),
            ..ReminderSettings::default()
        })?;
        kit_expiring(&store, now, 40)?;
        let mut runner = Runner::default();
        runner.step(&store, now, false)?;
        let later = now + TimeDelta::days(12);
        let due = runner.step(&store, later, false)?;
        assert_eq!(due.show.len(), 1, "{:?}", due.show);
        assert_eq!(due.show[0].kind, ReminderKind::Missed);
        assert!(due.show[0].covers.len() > 5);
        assert_eq!(due.delivered_at, Some(later));
        Ok(())
    }

    #[test]
    fn locked_forgets_everything() -> TestResult {
        let dir = tempfile::tempdir()?;
        let (store, now) = a_store_with_a_kit(dir.path())?;
        let mut runner = Runner::default();
        runner.step(&store, now, false)?;
        runner.forget();
        assert!(runner.pending.is_empty());
        assert!(runner.computed.is_none());
        Ok(())
    }
}
