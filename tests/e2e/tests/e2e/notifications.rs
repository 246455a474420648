//! Reminders reach a real notification daemon. Under the harness's private D-Bus session,
//! xfce4-notifyd is started by D-Bus itself on the first call (never by hand: that races), and
//! `dbus-monitor` records every `Notify` call the app makes. The app's test clock
//! (`HOLDFAST_TEST_NOW_FILE`, debug builds only) moves "now" to the days the reminders are due.
//!
//! Scenario (issue 6, end-to-end scenario 4): set up a journal, set a daily check-in time, add a
//! naloxone kit expiring in 20 days and one expiring in 40 days. Both reminders are scheduled;
//! moving the clock delivers first the missed group, then the 30-days-before reminder of the
//! second kit with the discreet text; with detailed text switched on, the first kit's
//! expiry-day reminder says what it is about. Then the journal is locked: a check-in reminder that
//! comes due while it is locked is not shown; after unlock it comes once, as the missed group.
//! Last, a peer visit's planned next visit brings its reminder on the day.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use holdfast_e2e::harness::{save_screenshot, scenario_with_env, Harness};
use holdfast_e2e::pages::lock::{lock, unlock_home};
use holdfast_e2e::pages::{click, go_to, invoke, set_up, window_hash, ENV, WAIT};
use holdfast_e2e::{ensure, tid, Result};
use serde_json::{json, Value};

const DISCREET_SUMMARY: &str = "Holdfast";
const DISCREET_OTHER: &str = "You have a reminder in the app";
const DISCREET_CHECKIN: &str = "Time to check in";
const DISCREET_MISSED: &str = "You have reminders in the app";

/// `dbus-monitor` on the harness's bus, writing to a file; stopped on drop.
struct Monitor {
    child: Child,
    log: PathBuf,
}

impl Drop for Monitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One `Notify` call seen on the bus, and whether the daemon answered it.
#[derive(Debug, Clone)]
struct Notify {
    summary: String,
    body: String,
    answered: bool,
    /// Whether it carries the `transient` hint (not kept in the daemon's history).
    transient: bool,
}

fn field(line: &str, key: &str) -> Option<String> {
    line.split_whitespace()
        .find_map(|w| w.strip_prefix(key))
        .map(|v| v.trim_end_matches(';').to_owned())
}

fn quoted(line: &str) -> Option<String> {
    let t = line.trim().strip_prefix("string \"")?;
    Some(t.strip_suffix('"').unwrap_or(t).to_owned())
}

impl Monitor {
    fn start(harness: &Harness) -> Result<Self> {
        let log = harness.scratch().join("dbus-monitor.log");
        let out = std::fs::File::create(&log)?;
        let child = Command::new("dbus-monitor")
            .arg("--session")
            .env("DBUS_SESSION_BUS_ADDRESS", harness.dbus_address())
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("could not start dbus-monitor: {e} (run scripts/setup.sh)"))?;
        let monitor = Self { child, log };
        // It says NameAcquired/NameLost about itself once it is listening.
        wait_until("dbus-monitor to listen", Duration::from_secs(10), || {
            Ok(monitor.text().contains("NameLost") || monitor.text().contains("NameAcquired"))
        })?;
        Ok(monitor)
    }

    fn text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Every `Notify` call so far: summary and body are its third and fourth strings (after
    /// the app name and the icon).
    fn notifies(&self) -> Vec<Notify> {
        let text = self.text();
        let lines: Vec<&str> = text.lines().collect();
        let mut out = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            if !(line.starts_with("method call") && line.contains("member=Notify")) {
                continue;
            }
            let call: Vec<&str> = lines[i + 1..]
                .iter()
                .take_while(|l| l.starts_with(' '))
                .copied()
                .collect();
            let strings: Vec<String> = call.iter().filter_map(|l| quoted(l)).collect();
            let transient = call.windows(2).any(|w| {
                quoted(w[0]).as_deref() == Some("transient") && w[1].contains("boolean true")
            });
            let (serial, sender) = (field(line, "serial="), field(line, "sender="));
            let answered = lines.iter().any(|l| {
                l.starts_with("method return")
                    && field(l, "reply_serial=") == serial
                    && field(l, "destination=") == sender
            });
            out.push(Notify {
                summary: strings.get(2).cloned().unwrap_or_default(),
                body: strings.get(3).cloned().unwrap_or_default(),
                answered,
                transient,
            });
        }
        out
    }

    /// Waits for a `Notify` (after the first `skip` calls) matching `pred`, answered by the
    /// daemon.
    fn wait_notify(
        &self,
        what: &str,
        skip: usize,
        pred: impl Fn(&Notify) -> bool,
    ) -> Result<Notify> {
        let mut found = None;
        wait_until(what, Duration::from_secs(20), || {
            found = self
                .notifies()
                .into_iter()
                .skip(skip)
                .find(|n| pred(n) && n.answered);
            Ok(found.is_some())
        })
        .map_err(|e| format!("{e}; Notify calls seen: {:?}", self.notifies()))?;
        found.ok_or_else(|| format!("{what}: not found").into())
    }
}

fn wait_until(what: &str, limit: Duration, mut cond: impl FnMut() -> Result<bool>) -> Result<()> {
    let deadline = Instant::now() + limit;
    loop {
        if cond()? {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("timed out waiting for {what}").into());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Moves the app's test clock (atomically, so the app never reads half a file).
fn set_clock(file: &Path, at: DateTime<Utc>) -> Result<()> {
    let tmp = file.with_extension("tmp");
    std::fs::write(&tmp, at.to_rfc3339())?;
    std::fs::rename(&tmp, file)?;
    Ok(())
}

fn due_of(reminders: &Value, id: &str) -> Result<DateTime<Utc>> {
    let r = reminders
        .as_array()
        .and_then(|a| a.iter().find(|r| r["id"] == id))
        .ok_or_else(|| format!("reminder {id} is not scheduled: {reminders}"))?;
    let due = r["due"].as_str().ok_or("a reminder without a due time")?;
    Ok(DateTime::parse_from_rfc3339(due)?.with_timezone(&Utc))
}

fn settings(detailed: bool) -> Value {
    json!({ "settings": {
        "enabled": true,
        "daily_checkin": "09:00:00",
        "detailed_text": detailed,
        "quiet_hours": null,
        "naloxone_expiry": true,
        "low_tolerance": true,
    }})
}

fn kit(expires: NaiveDate) -> Value {
    json!({ "kit": {
        "kind": "nasal",
        "kept_at": "blue bag",
        "expires": expires.to_string(),
        "used_on": null,
        "note": null,
    }})
}

#[test]
fn a_naloxone_reminder_reaches_the_notification_daemon_discreet_then_detailed() -> Result<()> {
    let clock_dir = tempfile::tempdir()?;
    let clock = clock_dir.path().join("now");
    let clock_env = clock.display().to_string();
    let mut env: Vec<(&str, &str)> = ENV.to_vec();
    env.push(("HOLDFAST_TEST_NOW_FILE", &clock_env));
    scenario_with_env(&env, |harness| {
        let monitor = Monitor::start(harness)?;
        // The daemon is there and answering: D-Bus starts xfce4-notifyd on this first call.
        let info = Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--reply-timeout=20000",
                "--dest=org.freedesktop.Notifications",
                "/org/freedesktop/Notifications",
                "org.freedesktop.Notifications.GetServerInformation",
            ])
            .env("DBUS_SESSION_BUS_ADDRESS", harness.dbus_address())
            .output()?;
        let info_text = String::from_utf8_lossy(&info.stdout).to_lowercase();
        ensure!(
            info.status.success() && info_text.contains("xfce"),
            "xfce4-notifyd did not answer GetServerInformation: {info_text} {}",
            String::from_utf8_lossy(&info.stderr)
        );

        let (session, _data) = harness.launch()?;
        let (passphrase, _code) = set_up(&session, false)?;
        invoke(&session, "set_reminder_settings", settings(false))?;
        let today: NaiveDate = invoke(&session, "trend", json!({}))?["to"]
            .as_str()
            .ok_or("trend has no end date")?
            .parse()?;
        let soon_expiry = today + TimeDelta::days(20);
        let later_expiry = today + TimeDelta::days(40);
        let soon = invoke(&session, "add_kit", kit(soon_expiry))?;
        let later = invoke(&session, "add_kit", kit(later_expiry))?;

        // Scheduled: the kit expiring in 20 days gets its expiry-day reminder (its 30-days-before
        // day has passed); the one expiring in 40 days gets its 30-days-before reminder.
        let upcoming = invoke(&session, "upcoming_reminders", json!({}))?;
        let expired_id = format!("kit-expired:{soon}:{soon_expiry}");
        let soon_id = format!("kit-soon:{later}:{later_expiry}");
        let expired_due = due_of(&upcoming, &expired_id)?;
        let soon_due = due_of(&upcoming, &soon_id)?;
        ensure!(
            due_of(&upcoming, &format!("kit-soon:{soon}:{soon_expiry}")).is_err(),
            "a kit with fewer than 30 days left got a 30-days-before reminder: {upcoming}"
        );
        ensure!(
            upcoming
                .as_array()
                .is_some_and(|a| a.iter().all(|r| r["summary"] == DISCREET_SUMMARY)),
            "scheduled text is not discreet by default: {upcoming}"
        );
        // Let the reminder thread take in the new kits and settings.
        std::thread::sleep(Duration::from_secs(3));
        let before = monitor.notifies().len();

        // Ten days on, a minute before the 30-days-before reminder: the check-ins of the days
        // in between come as one missed group, not as a flood.
        set_clock(&clock, soon_due - TimeDelta::minutes(1))?;
        monitor.wait_notify("the missed group", before, |n| {
            n.summary == DISCREET_SUMMARY && n.body == DISCREET_MISSED
        })?;
        std::thread::sleep(Duration::from_secs(3));
        let groups = monitor.notifies().len() - before;
        ensure!(
            groups == 1,
            "expected one missed group, saw {groups}: {:?}",
            monitor.notifies()
        );

        // Due: the kit reminder, discreet, on its own (with the check-in due at the same time).
        let before = monitor.notifies().len();
        set_clock(&clock, soon_due + TimeDelta::seconds(1))?;
        let kit_soon = monitor.wait_notify("the discreet kit reminder", before, |n| {
            n.body == DISCREET_OTHER
        })?;
        ensure!(
            kit_soon.summary == DISCREET_SUMMARY,
            "discreet summary: {kit_soon:?}"
        );
        monitor.wait_notify("the discreet check-in reminder", before, |n| {
            n.summary == DISCREET_SUMMARY && n.body == DISCREET_CHECKIN
        })?;
        for n in monitor.notifies() {
            let all = format!("{} {}", n.summary, n.body).to_lowercase();
            ensure!(
                !all.contains("naloxone") && !all.contains("tolerance"),
                "a discreet notification says what it is about: {n:?}"
            );
        }

        // Ticking "Show details" in Settings warns first, on screen, of who may read them
        // (security review L12); unticking hides the warning. Nothing is saved by this.
        go_to(&session, "settings")?;
        ensure!(
            session.find_all(&tid("detailed-warning"))?.is_empty(),
            "the detailed-text warning shows with detailed text off"
        );
        click(&session, &tid("detailed-text"))?;
        let warning = session.find_text(&tid("detailed-warning"), WAIT)?;
        ensure!(
            warning.contains("lock screen") && warning.contains("other apps"),
            "the detailed-text warning says {warning:?}"
        );
        save_screenshot(&session, "notifications-detailed-warning")?;
        click(&session, &tid("detailed-text"))?;
        ensure!(
            session.find_all(&tid("detailed-warning"))?.is_empty(),
            "the warning stayed after detailed text was switched off again"
        );

        // Detailed text on: the expiry-day reminder of the first kit says what it is.
        invoke(&session, "set_reminder_settings", settings(true))?;
        std::thread::sleep(Duration::from_secs(3));
        set_clock(&clock, expired_due - TimeDelta::minutes(1))?;
        let before = monitor.notifies().len();
        let missed = monitor.wait_notify("the detailed missed group", before, |n| {
            n.summary.contains("while the app was closed")
        })?;
        ensure!(
            missed.body.contains("time to check in"),
            "detailed missed body: {missed:?}"
        );
        let before = monitor.notifies().len();
        set_clock(&clock, expired_due + TimeDelta::seconds(1))?;
        let expired = monitor.wait_notify("the detailed kit reminder", before, |n| {
            n.summary == "Holdfast: naloxone expires today"
        })?;
        ensure!(
            expired
                .body
                .starts_with("Your nasal naloxone expires today.")
                && expired.body.contains("pharmacy"),
            "detailed body: {expired:?}"
        );

        // A peer visit today plans the next one for two days after the first kit's expiry.
        let visit_day = soon_expiry + TimeDelta::days(2);
        let visit = invoke(&session, "start_visit", json!({}))?;
        let mut record = visit["record"].clone();
        record["next_visit"] = json!(visit_day.to_string());
        invoke(
            &session,
            "save_visit",
            json!({ "id": visit["id"], "visit": record }),
        )?;
        invoke(&session, "finish_visit", json!({ "id": visit["id"] }))?;
        let upcoming = invoke(&session, "upcoming_reminders", json!({}))?;
        let visit_due = due_of(&upcoming, &format!("visit:{visit_day}"))?;

        // Locked: the next morning's check-in comes due and nothing is shown ...
        lock(&session)?;
        session.find(&tid("unlock-panel"), WAIT)?;
        std::thread::sleep(Duration::from_secs(2));
        let before_locked = monitor.notifies().len();
        set_clock(
            &clock,
            visit_due - TimeDelta::days(1) + TimeDelta::minutes(1),
        )?;
        std::thread::sleep(Duration::from_secs(4));
        ensure!(
            monitor.notifies().len() == before_locked,
            "a reminder was shown while the journal was locked: {:?}",
            &monitor.notifies()[before_locked..]
        );
        // ... and after unlock it comes once, as the missed group.
        window_hash(&session, "#/home")?;
        unlock_home(&session, &passphrase)?;
        let missed = monitor.wait_notify("the missed group after unlock", before_locked, |n| {
            n.summary.contains("while the app was closed")
        })?;
        ensure!(
            missed.body.contains("time to check in"),
            "missed after unlock: {missed:?}"
        );
        std::thread::sleep(Duration::from_secs(3));
        ensure!(
            monitor.notifies().len() == before_locked + 1,
            "more than the one missed group after unlock: {:?}",
            &monitor.notifies()[before_locked..]
        );

        // The visit day: its reminder, detailed.
        let before = monitor.notifies().len();
        set_clock(&clock, visit_due + TimeDelta::seconds(1))?;
        let visit_note = monitor.wait_notify("the next-visit reminder", before, |n| {
            n.summary == "Holdfast: a visit today"
        })?;
        ensure!(
            visit_note.body.contains("planned a visit"),
            "next-visit body: {visit_note:?}"
        );
        for n in monitor.notifies() {
            eprintln!(
                "Notify seen: {:?} / {:?} (answered: {}, transient: {})",
                n.summary, n.body, n.answered, n.transient
            );
        }
        // None is kept in the notification daemon's history (security review L12).
        let kept: Vec<_> = monitor
            .notifies()
            .into_iter()
            .filter(|n| !n.transient)
            .collect();
        ensure!(
            kept.is_empty(),
            "notifications not marked transient: {kept:?}"
        );
        save_screenshot(&session, "60-notifications-after-reminders")?;
        Ok(())
    })
}
