//! The reads that combine the store with a pure engine (`holdfast_app::reads`): the reminder
//! schedule, the trend and the nudge, over a real SQLCipher store.

use chrono::{Duration, Utc};
use holdfast_app::reads;
use holdfast_content::Region;
use holdfast_domain::records::*;
use holdfast_domain::reminders::{ReminderKind, ReminderSettings};
use holdfast_store::{Store, StoreError};

use crate::common::*;

#[test]
fn reminder_settings_and_schedule_through_the_store() -> TestResult {
    use holdfast_domain::reminders::{QuietHours, ReminderKind, ReminderSettings};
    let tmp = tempfile::tempdir()?;
    let (s, _) = Store::create(tmp.path(), PASS, fast())?;
    assert_eq!(s.reminder_settings()?, ReminderSettings::default());
    let settings = ReminderSettings {
        daily_checkin: chrono::NaiveTime::from_hms_opt(20, 0, 0),
        quiet_hours: Some(QuietHours {
            start: chrono::NaiveTime::from_hms_opt(23, 0, 0).ok_or("t")?,
            end: chrono::NaiveTime::from_hms_opt(7, 0, 0).ok_or("t")?,
        }),
        ..ReminderSettings::default()
    };
    s.set_reminder_settings(&settings)?;
    assert_eq!(s.reminder_settings()?, settings);
    assert!(matches!(
        s.set_reminder_settings(&ReminderSettings {
            quiet_hours: Some(QuietHours {
                start: chrono::NaiveTime::MIN,
                end: chrono::NaiveTime::MIN,
            }),
            ..ReminderSettings::default()
        }),
        Err(StoreError::Invalid { .. })
    ));
    // A kit expiring in 20 days is scheduled for its expiry day.
    s.add_kit(&kit(Some(today() + Duration::days(20))))?;
    let now = Utc::now();
    assert_eq!(s.reminders_delivered_at()?, None);
    let rs = reads::reminders(&s, now, &Utc)?;
    assert!(rs.iter().any(|r| r.kind == ReminderKind::KitExpired));
    assert!(rs.iter().all(|r| r.summary == "Holdfast"));
    let whole = chrono::DateTime::from_timestamp(now.timestamp(), 0).ok_or("t")?;
    s.set_reminders_delivered_at(whole)?;
    assert_eq!(s.reminders_delivered_at()?, Some(whole));
    Ok(())
}

#[test]
fn the_next_visit_brings_one_reminder_on_its_day() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (store, _) = Store::create(dir.path(), PASS, fast())?;
    let v = store.start_visit(now_event())?;
    let next = today_plus(10);
    store.save_visit(
        v.id,
        &Visit {
            next_visit: Some(next),
            ..v.record.clone()
        },
    )?;
    store.finish_visit(v.id)?;
    store.set_reminder_settings(&ReminderSettings {
        detailed_text: true,
        ..ReminderSettings::default()
    })?;
    let tz = chrono::FixedOffset::east_opt(3600).ok_or("offset")?;
    let found: Vec<_> = reads::reminders(&store, Utc::now(), &tz)?
        .into_iter()
        .filter(|r| r.kind == ReminderKind::NextVisit)
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    let r = &found[0];
    assert_eq!(r.due.with_timezone(&tz).date_naive(), next);
    assert!(r.body.contains("visit"), "{}", r.body);
    // Discreet text by default says nothing about a visit.
    store.set_reminder_settings(&ReminderSettings::default())?;
    let discreet: Vec<_> = reads::reminders(&store, Utc::now(), &tz)?
        .into_iter()
        .filter(|r| r.kind == ReminderKind::NextVisit)
        .collect();
    assert_eq!(discreet.len(), 1);
    assert!(!discreet[0].body.to_lowercase().contains("visit"));
    // In the morning (no check-in time set: 10:00), before the visit.
    assert_eq!(
        discreet[0].due.with_timezone(&tz).time(),
        chrono::NaiveTime::from_hms_opt(10, 0, 0).ok_or("time")?
    );
    // Two visits planning the same day bring one reminder.
    let w = store.start_visit(now_event())?;
    store.save_visit(
        w.id,
        &Visit {
            next_visit: Some(next),
            ..w.record.clone()
        },
    )?;
    let same_day: Vec<_> = reads::reminders(&store, Utc::now(), &tz)?
        .into_iter()
        .filter(|r| r.kind == ReminderKind::NextVisit)
        .collect();
    assert_eq!(same_day.len(), 1, "{same_day:?}");
    Ok(())
}

#[test]
fn rising_cravings_bring_the_persons_own_plan_to_the_top() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let (s, _) = Store::create(tmp.path(), PASS, fast())?;
    let dana = s.add_support_person(&person("Dana", Some("415 555 2671")), Region::Us)?;
    s.add_support_person(&person("Sam", None), Region::Us)?;
    s.add_plan_item(&PlanItem::HelpPerson { person: dana }, Region::Us)?;
    s.add_plan_item(
        &PlanItem::CopingStep {
            text: "walk to the river".into(),
        },
        Region::Us,
    )?;
    let day = |n: i64| today() - Duration::days(n);
    for (n, cravings) in [(2, 3), (1, 5)] {
        s.add_checkin(&Checkin::new(day(n), cravings, 3, whole_seconds()))?;
    }
    assert_eq!(reads::nudge(&s, today())?, None, "two days are not a run");
    s.add_checkin(&Checkin::new(day(0), 6, 3, whole_seconds()))?;
    let nudge = reads::nudge(&s, today())?.ok_or("expected a nudge")?;
    assert_eq!(nudge.coping_steps, ["walk to the river"]);
    let names: Vec<&str> = nudge
        .support_people
        .iter()
        .map(|p| p.record.name.as_str())
        .collect();
    assert_eq!(names, ["Dana"]);
    let trend = reads::trend(&s, today())?;
    assert_eq!(trend.days_with_checkin, 3);
    assert_eq!(trend.points.len(), 30);
    assert_eq!(trend.points[26].cravings, None, "a missed day is a gap");
    Ok(())
}
