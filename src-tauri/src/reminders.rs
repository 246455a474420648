//! The reminder thread: once a second asks the app what is due (`App::reminders_due`, which
//! owns the schedule's rules and knows from the store what changed), shows it through a
//! [`Notifier`], and records the delivery. While the journal is locked nothing is computed.

use std::time::Duration;

use holdfast_app::reminders::Runner;
use holdfast_app::App;
use tauri::{AppHandle, Manager};

use crate::notify::Notifier;

/// How often the thread wakes.
const TICK: Duration = Duration::from_secs(1);

/// Starts the reminder thread.
pub fn watch(app: AppHandle, notifier: Box<dyn Notifier>) {
    std::thread::spawn(move || {
        let mut runner = Runner::default();
        let mut reported = false;
        loop {
            std::thread::sleep(TICK);
            let state = app.state::<App>();
            let Some(result) = state.reminders_due(&mut runner) else {
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
                if let Some(Err(err)) = state.reminders_delivered(at) {
                    eprintln!("holdfast: the reminder delivery could not be recorded: {err}");
                }
            }
        }
    });
}
