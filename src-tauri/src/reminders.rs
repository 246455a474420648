//! The reminder thread: while the journal is unlocked, asks core for the schedule
//! (`Store::reminders`), shows what is due through a [`Notifier`] and records the delivery.
//!
//! - At unlock (and after every change, and at least once a minute) the schedule is worked out
//!   afresh. Reminders that came due while the app was closed or the journal locked come back
//!   from core as **one** "missed" group, shown once, at unlock.
//! - Upcoming reminders are kept until they are due and then shown one by one, with the text
//!   the settings ask for (discreet by default: core writes it).
//! - A kept reminder found more than [`ON_TIME`] late (the machine slept, the clock jumped) is
//!   not shown on its own: the schedule is worked out again, so late ones come as one group.
//! - While the journal is locked nothing is computed and nothing is kept: kits, breaks and
//!   settings are encrypted, and the key is gone. What comes due meanwhile is shown as the
//!   missed group at the next unlock.
//! - After showing anything, the delivery time is saved in the journal
//!   (`set_reminders_delivered_at`), so nothing is shown twice, also across restarts.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use holdfast_domain::reminders::Reminder;
use holdfast_store::{Store, StoreError};
use tauri::{AppHandle, Manager};

use crate::notify::Notifier;
use crate::AppState;

/// How often the thread wakes.
const TICK: Duration = Duration::from_secs(1);
/// How often the schedule is worked out again even when nothing changed.
const REFRESH: Duration = Duration::from_secs(60);
/// How late a kept reminder may be and still be shown on its own.
pub const ON_TIME: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

/// Set by commands that change what the schedule reads (check-ins, kits, breaks, settings).
#[derive(Debug, Default)]
pub struct Changed(AtomicBool);

impl Changed {
    pub fn mark(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
    fn take(&self) -> bool {
        self.0.swap(false, Ordering::Relaxed)
    }
}

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
        let all = holdfast_app::reads::reminders(store, now, &chrono::Local)?;
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

/// Starts the reminder thread.
pub fn watch(app: AppHandle, notifier: Box<dyn Notifier>) {
    std::thread::spawn(move || {
        let mut runner = Runner::default();
        let mut reported = false;
        loop {
            std::thread::sleep(TICK);
            let state = app.state::<AppState>();
            let now = state.clock.now();
            let changed = state.reminders_changed.take();
            let Some(result) = state
                .journal
                .with_store(|store| runner.step(store, now, changed))
            else {
                runner.forget();
                continue;
            };
            let due = match result {
                Ok(due) => due,
                Err(err) => {
                    if !reported {
                        eprintln!("holdfast: reminders could not be worked out: {err}");
                        reported = true;
                    }
                    continue;
                }
            };
            // The journal is not held while talking to the notification service.
            for r in &due.show {
                if let Err(err) = notifier.notify(&r.summary, &r.body) {
                    eprintln!("holdfast: a reminder could not be shown: {err}");
                }
            }
            if let Some(at) = due.delivered_at {
                // Recorded even when the service refused: retrying every second would flood.
                let saved = state
                    .journal
                    .with_store(|store| store.set_reminders_delivered_at(at));
                if let Some(Err(err)) = saved {
                    eprintln!("holdfast: the reminder delivery could not be recorded: {err}");
                }
            }
        }
    });
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
        let options = StoreOptions {
            kdf: KdfParams::INSECURE_FOR_TESTS,
        };
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

    #[test]
    fn first_run_records_now_and_shows_nothing() -> TestResult {
        let dir = tempfile::tempdir()?;
        let store = store(dir.path())?;
        let now = Utc::now();
        kit_expiring(&store, now, 40)?;
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
        let store = store(dir.path())?;
        let now = Utc::now();
        kit_expiring(&store, now, 40)?;
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
        let store = store(dir.path())?;
        let now = Utc::now();
        kit_expiring(&store, now, 40)?;
        let mut runner = Runner::default();
        runner.step(&store, now, false)?;
        runner.forget();
        assert!(runner.pending.is_empty());
        assert!(runner.computed.is_none());
        Ok(())
    }
}
