//! The use cases through `App`, over a real SQLCipher store in a temporary folder and a fake
//! host: the rules that used to sit in the shell, each tested here without a window.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use holdfast_app::about::BuildFacts;
use holdfast_app::wire::*;
use holdfast_app::{App, Config, DataDir, ErrorCode, Host, KdfParams};
use holdfast_content::Region;
use holdfast_domain::clock::FixedClock;
use holdfast_domain::records::{BreakKind, EventTime, KitKind, ListKind, Substance, SupportPerson};
use holdfast_domain::tolerance::Medicine;

pub(crate) const PASS: &str = "maple trout visor quilt";

/// A device with a UK locale and an autostart folder of the test's own.
#[derive(Debug)]
struct FakeHost {
    locale: Option<String>,
    autostart: Option<PathBuf>,
    desktop: bool,
}

impl Host for FakeHost {
    fn locale_vars(&self) -> Vec<Option<String>> {
        vec![None, None, self.locale.clone()]
    }
    fn autostart_folder(&self) -> Option<PathBuf> {
        self.autostart.clone()
    }
    fn program(&self) -> Option<PathBuf> {
        Some(PathBuf::from("/usr/bin/holdfast"))
    }
    fn can_start_at_login(&self) -> bool {
        self.desktop
    }
}

/// A clock the test can move.
#[derive(Debug)]
struct TestClock(Mutex<DateTime<Utc>>);

impl holdfast_app::Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock")
    }
}

fn app_at(dir: &Path, clock: Arc<dyn holdfast_app::Clock>, host: FakeHost) -> App {
    let data_dir = DataDir::open(&dir.join("data"));
    let build = BuildFacts {
        version: "0",
        profile: "test",
        commit: "",
        target: "",
    };
    let config = Config {
        info: holdfast_app::AppInfo::new(build, &data_dir),
        data_dir: data_dir.ok(),
        backup_folder: Some(dir.join("backups")),
        idle_override: None,
        second_dose_secs: None,
        started: Instant::now(),
        report_startup: false,
        kdf: KdfParams::INSECURE_FOR_TESTS,
    };
    App::new(config, clock, Box::new(host))
}

fn uk_host(dir: &Path) -> FakeHost {
    FakeHost {
        locale: Some("en_GB.UTF-8".to_owned()),
        autostart: Some(dir.join("autostart")),
        desktop: true,
    }
}

pub(crate) fn app(dir: &Path) -> App {
    app_at(dir, Arc::new(holdfast_domain::SystemClock), uk_host(dir))
}

/// Sets up a journal through the setup use cases and leaves it open.
pub(crate) fn set_up(app: &App) {
    let setup = app.begin_setup(PASS.to_owned()).expect("begin setup");
    let parts: Vec<&str> = setup.code.split('-').collect();
    let answers = setup
        .check_groups
        .iter()
        .map(|g| parts[usize::from(*g) - 1].to_owned())
        .collect();
    app.finish_setup(answers).expect("finish setup");
}

fn code_of<T: std::fmt::Debug>(result: Result<T, IpcError>) -> ErrorCode {
    result.expect_err("should be refused").code
}

fn checkin(date: NaiveDate, used: bool, now: DateTime<Utc>) -> Checkin {
    Checkin {
        used_since_last: used,
        ..Checkin::new(
            date,
            2,
            3,
            EventTime {
                utc: now,
                offset_seconds: 0,
            },
        )
    }
}

fn whole(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp(), 0).expect("a whole second")
}

#[test]
fn a_check_in_saying_yes_records_its_use_in_the_same_call_and_only_once() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let app = app(tmp.path());
    set_up(&app);
    let now = whole(Utc::now());
    let today = app.checkin_today().expect("today");
    assert!(today.is_none());
    let date = now.with_timezone(&chrono::Local).date_naive();
    let saved = app.add_checkin(checkin(date, true, now)).expect("saved");
    assert!(saved.use_id.is_some(), "a yes records a use");
    assert_eq!(app.journal_view().expect("view").uses.len(), 1);
    // Still yes: no second use.
    let again = app
        .update_checkin(saved.id, checkin(date, true, now))
        .expect("saved");
    assert_eq!(again.use_id, None);
    // No, then yes again: a new use.
    app.update_checkin(saved.id, checkin(date, false, now))
        .expect("saved");
    let yes = app
        .update_checkin(saved.id, checkin(date, true, now))
        .expect("saved");
    assert!(yes.use_id.is_some());
    assert_eq!(app.journal_view().expect("view").uses.len(), 2);
}

#[test]
fn writes_to_what_the_schedule_reads_are_reported_by_the_store() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let app = app(tmp.path());
    set_up(&app);
    app.schedule_changed();
    let now = whole(Utc::now());
    app.add_use(UseEntry {
        at: EventTime {
            utc: now,
            offset_seconds: 0,
        },
        substance: Some(Substance::Heroin),
        note: None,
    })
    .expect("use");
    assert!(!app.schedule_changed(), "a use is not a reminder input");
    let kit = app
        .add_kit(NaloxoneKit {
            kind: KitKind::Nasal,
            kept_at: None,
            expires: Some(now.date_naive() + Duration::days(40)),
            used_on: None,
            note: None,
        })
        .expect("kit");
    assert!(app.schedule_changed(), "a kit is");
    assert!(!app.schedule_changed(), "and it is reported once");
    app.list_kits().expect("kits");
    assert!(!app.schedule_changed(), "reading changes nothing");
    app.delete_kit(kit).expect("deleted");
    assert!(app.schedule_changed());
    app.add_break(BreakEntry {
        kind: BreakKind::DetoxDischarge,
        start: now.date_naive() - Duration::days(3),
        end: None,
        note: None,
    })
    .expect("break");
    assert!(app.schedule_changed());
    app.set_reminder_settings(ReminderSettings::default())
        .expect("settings");
    assert!(app.schedule_changed());
    let visit = app.start_visit().expect("visit");
    app.schedule_changed();
    app.finish_visit(visit.id).expect("finished");
    assert!(app.schedule_changed());
    // A rename of a trigger is not an input.
    let t = app
        .add_trigger(Trigger {
            name: "payday".to_owned(),
        })
        .expect("trigger");
    app.rename_trigger(
        t,
        Trigger {
            name: "Friday".to_owned(),
        },
    )
    .expect("renamed");
    assert!(!app.schedule_changed());
    // Removing it also unlinks it from past check-ins, which are.
    app.delete_trigger(t).expect("deleted");
    assert!(app.schedule_changed());
    let _ = ListKind::Trigger;
}

#[test]
fn the_region_is_the_choice_else_the_locale_else_the_fallback() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let app = app(tmp.path());
    let state = app.region_state().expect("state");
    assert_eq!(state.region, Region::Uk, "from the locale");
    set_up(&app);
    // A UK number is accepted for a UK person…
    app.add_support_person(SupportPerson {
        name: "Dana".to_owned(),
        relation: None,
        phone: Some("07911 123456".to_owned()),
    })
    .expect("a UK number in the UK");
    // …and checked for the chosen region once there is one.
    let chosen = app.set_region("us".to_owned()).expect("chosen");
    assert_eq!(chosen.region, Region::Us);
    let err = app.add_support_person(SupportPerson {
        name: "Sam".to_owned(),
        relation: None,
        phone: Some("07911 123456".to_owned()),
    });
    assert_eq!(code_of(err), ErrorCode::InvalidInput);
    assert_eq!(
        code_of(app.set_region("atlantis".to_owned())),
        ErrorCode::InvalidInput
    );
    // No locale and no choice: the fallback, the same as the emergency screens'.
    let tmp2 = tempfile::tempdir().expect("temp dir");
    let bare = app_at(
        tmp2.path(),
        Arc::new(holdfast_domain::SystemClock),
        FakeHost {
            locale: None,
            autostart: None,
            desktop: true,
        },
    );
    let fallback = bare.region_state().expect("state");
    assert_eq!(
        fallback.region,
        holdfast_domain::emergency::region_state(None, None, None).region
    );
}

#[test]
fn plain_settings_are_read_once_and_kept_in_step_with_every_change() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let app = app(tmp.path());
    app.set_app_mode("helper".to_owned()).expect("mode");
    // Someone edits the file while the app runs: the app keeps what it loaded and saved.
    let file = tmp.path().join("data").join("settings.json");
    std::fs::write(&file, "{\"mode\": \"personal\"}").expect("written");
    assert_eq!(app.app_mode().expect("mode"), Some(AppMode::Helper));
    assert_eq!(
        code_of(app.set_app_mode("both".to_owned())),
        ErrorCode::InvalidInput
    );
    // A new start (one Holdfast at a time holds the folder) reads the file again.
    drop(app);
    let again = self::app(tmp.path());
    assert_eq!(again.app_mode().expect("mode"), Some(AppMode::Personal));
    drop(again);
    // A damaged file is reported once, until a setting is saved.
    std::fs::write(&file, "{ not json").expect("written");
    let damaged = self::app(tmp.path());
    assert!(damaged.region_state().expect("state").problem.is_some());
    damaged.set_region("ie".to_owned()).expect("saved");
    assert!(damaged.region_state().expect("state").problem.is_none());
}

#[test]
fn the_idle_lock_takes_only_the_offered_times() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let app = app(tmp.path());
    // Not at first run, nor while locked: someone holding the device must not lengthen the
    // idle lock before the owner opens the journal (security review M4).
    assert_eq!(code_of(app.set_idle_minutes(30)), ErrorCode::Locked);
    set_up(&app);
    app.lock().expect("locked");
    assert_eq!(code_of(app.set_idle_minutes(30)), ErrorCode::Locked);
    assert_eq!(
        app.session_info().expect("info").idle_minutes,
        holdfast_app::settings::DEFAULT_IDLE_MINUTES
    );
    app.unlock(PASS.to_owned()).expect("unlocked");
    assert_eq!(code_of(app.set_idle_minutes(7)), ErrorCode::InvalidInput);
    let info = app.set_idle_minutes(10).expect("saved");
    assert_eq!(info.idle_minutes, 10);
    drop(app);
    assert_eq!(
        self::app(tmp.path())
            .session_info()
            .expect("info")
            .idle_minutes,
        10
    );
}

#[test]
fn restart_advice_refuses_a_last_dose_still_to_come() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let at = Utc
        .with_ymd_and_hms(2026, 3, 1, 12, 0, 0)
        .single()
        .expect("a time");
    let app = app_at(tmp.path(), Arc::new(FixedClock(at)), uk_host(tmp.path()));
    let tomorrow = NaiveDate::from_ymd_opt(2026, 3, 3).expect("a date");
    let err = app.restart_advice(Medicine::Methadone, tomorrow);
    assert_eq!(code_of(err), ErrorCode::InvalidInput);
    let last_week = NaiveDate::from_ymd_opt(2026, 2, 22).expect("a date");
    app.restart_advice(Medicine::Methadone, last_week)
        .expect("advice for a past date");
}

/// Erase takes with it what the journal left outside its folder (security review L9): the
/// start-at-login entry and the path chosen on the first screen. The region and the backups stay.
#[test]
fn erase_removes_the_autostart_entry_and_the_chosen_path() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let app = app(tmp.path());
    app.set_app_mode("personal".to_owned()).expect("mode");
    set_up(&app);
    let on = app.set_launch_at_login(true).expect("on");
    assert!(Path::new(&on.path).exists());
    let word = app.session_info().expect("info").erase_word;
    app.erase(word, PASS.to_owned()).expect("erased");
    assert!(!Path::new(&on.path).exists(), "the autostart entry stayed");
    assert_eq!(
        app.app_mode().expect("mode"),
        None,
        "the chosen path stayed"
    );
    let settings = std::fs::read_to_string(tmp.path().join("data").join("settings.json"))
        .expect("settings kept");
    assert!(!settings.contains("personal"), "{settings}");
}

#[test]
fn settings_that_need_the_journal_are_refused_while_it_is_locked() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let app = app(tmp.path());
    set_up(&app);
    app.lock().expect("locked");
    assert_eq!(code_of(app.set_launch_at_login(true)), ErrorCode::Locked);
    assert_eq!(code_of(app.list_backups()), ErrorCode::Locked);
    assert!(!tmp.path().join("autostart").exists(), "nothing written");
    app.unlock(PASS.to_owned()).expect("unlocked");
    let on = app.set_launch_at_login(true).expect("on");
    assert!(on.enabled && Path::new(&on.path).exists());
    assert!(!app.set_launch_at_login(false).expect("off").enabled);
    assert!(app.list_backups().expect("listed").is_empty());
}

#[test]
fn the_first_screen_gets_the_mode_and_region_without_ipc() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let app = app(tmp.path());
    let script = app.boot_script();
    assert!(
        script.starts_with("window.__HOLDFAST_BOOT__ = {"),
        "{script}"
    );
    assert!(script.contains("\"mode\":null"), "{script}");
    app.set_app_mode("helper".to_owned()).expect("mode");
    let boot = app.boot_data().expect("boot data");
    assert_eq!(boot.mode, Some(holdfast_app::settings::AppMode::Helper));
    assert_eq!(boot.region, app.region_state().expect("region"));
    assert!(app.boot_script().contains("\"mode\":\"helper\""));
}

#[test]
fn the_start_up_marks_count_from_the_start_of_the_process() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let app = app(tmp.path());
    std::thread::sleep(std::time::Duration::from_millis(20));
    let timeline = StartupTimeline {
        now_ms: 5.0,
        marks: vec![StartupMark {
            name: "painted".to_owned(),
            at_ms: 4.0,
        }],
    };
    let first = app.first_render(timeline.clone()).expect("first render");
    let step = app.first_step_shown().expect("first step");
    assert!(first >= 20, "{first} ms");
    assert!(step >= first, "{step} ms after {first} ms");
    // A page that sends a timeline out of bounds gets a typed refusal, not a panic.
    let mut hostile = timeline;
    hostile.marks[0].at_ms = f64::NAN;
    assert_eq!(code_of(app.first_render(hostile)), ErrorCode::InvalidInput);
}

#[test]
fn a_phone_cannot_start_at_login() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let host = FakeHost {
        desktop: false,
        ..uk_host(tmp.path())
    };
    let app = app_at(tmp.path(), Arc::new(holdfast_domain::SystemClock), host);
    set_up(&app);
    assert_eq!(
        code_of(app.set_launch_at_login(true)),
        ErrorCode::InvalidInput
    );
}

#[test]
fn backup_paths_must_be_full_paths_of_a_sane_length() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let app = app(tmp.path());
    set_up(&app);
    for bad in [
        "",
        "   ",
        "backups/holdfast.hfbackup",
        &format!("/{}", "a".repeat(5000)),
    ] {
        let err = app.inspect_backup(bad.to_owned(), "backup passphrase".to_owned());
        assert_eq!(code_of(err), ErrorCode::InvalidInput, "{bad:.20}");
    }
    // A full path passes the path rules and reaches the file (which is not there).
    let missing = tmp.path().join("none.hfbackup").display().to_string();
    let err = app
        .inspect_backup(missing, "backup passphrase".to_owned())
        .expect_err("no such file");
    assert!(!err.message.contains("full path"), "{}", err.message);
}

#[test]
fn one_clock_for_the_use_cases_and_the_store() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let start = Utc
        .with_ymd_and_hms(2025, 6, 1, 12, 0, 0)
        .single()
        .expect("a time");
    let clock = Arc::new(TestClock(Mutex::new(start)));
    let app = app_at(tmp.path(), clock.clone(), uk_host(tmp.path()));
    set_up(&app);
    let day = start.with_timezone(&chrono::Local).date_naive();
    // A check-in saying yes: the use is stamped by the app's clock, not the machine's.
    app.add_checkin(checkin(day, true, start)).expect("saved");
    let uses = app.journal_view().expect("view").uses;
    assert_eq!(uses[0].record.at.utc, start);
    assert!(app.checkin_today().expect("today").is_some());
    // The store judges "in the future" by the same clock: a day later is refused now…
    let later = UseEntry {
        at: EventTime {
            utc: start + Duration::days(1),
            offset_seconds: 0,
        },
        substance: None,
        note: None,
    };
    assert_eq!(code_of(app.add_use(later.clone())), ErrorCode::InvalidInput);
    // …and accepted once the clock has moved on.
    *clock.0.lock().expect("clock") = start + Duration::days(2);
    app.add_use(later).expect("no longer in the future");
    assert!(app.checkin_today().expect("today").is_none(), "a new day");
}

#[test]
fn a_settings_file_unreadable_at_start_is_picked_up_once_it_can_be_read() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("data").join("settings.json");
    std::fs::create_dir_all(&file).expect("a folder where the file should be");
    let app = app(tmp.path());
    assert!(app.region_state().expect("state").problem.is_some());
    assert_eq!(app.app_mode().expect("mode"), None);
    std::fs::remove_dir(&file).expect("removed");
    std::fs::write(&file, r#"{"mode": "helper", "idleLockMinutes": 1}"#).expect("written");
    assert_eq!(app.app_mode().expect("mode"), Some(AppMode::Helper));
    assert!(app.region_state().expect("state").problem.is_none());
    assert_eq!(app.session_info().expect("info").idle_minutes, 1);
}

#[test]
fn only_what_the_app_shows_is_handed_to_the_system() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let app = app(tmp.path());
    // Checked first, then handed to the device (this one has no dialler, so it says so).
    assert_eq!(
        code_of(app.open_link("tel:+18004843731".to_owned())),
        ErrorCode::Internal
    );
    assert_eq!(
        code_of(app.open_link("sms:+447700900123".to_owned())),
        ErrorCode::Internal
    );
    for uri in [
        "https://example.org/?d=the+journal",
        "sms:+15550001111?body=the%20journal",
        "file:///etc/passwd",
    ] {
        assert_eq!(
            code_of(app.open_link(uri.to_owned())),
            ErrorCode::InvalidInput,
            "{uri}"
        );
    }
    // What the isolation hook sends instead of a call the UI never makes: a refusal, always.
    let err = app
        .refused("unknown command".repeat(100))
        .expect_err("refused");
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("unknown command") && err.message.len() < 200);
}
