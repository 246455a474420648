//! The backup format is pinned by a file: `tests/golden/backup-format-3.hfbackup`, made once by
//! this test from the journal [`fill`] writes, and committed. Every build must restore it to
//! exactly what [`fill`] writes now. The records' serde shape is the backup format, so a field
//! renamed or retyped for the UI's sake, or a default that hides a missing field, fails here
//! before it can make an old backup unreadable or quietly wrong.
//!
//! After a deliberate format change (a new `FORMAT_VERSION`), keep the old file and add a new
//! one: `HOLDFAST_WRITE_GOLDEN=1 cargo test -p holdfast-store --test it golden` writes a file
//! that does not exist yet, never over one that does.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use holdfast_content::Region;
use holdfast_domain::clock::FixedClock;
use holdfast_domain::records::*;
use holdfast_domain::reminders::{QuietHours, ReminderSettings};
use holdfast_store::{Store, StoreOptions, BACKUP_FORMAT_VERSION};

use crate::common::*;

const GOLDEN_PASS: &str = "golden backup passphrase 1";

/// The store [`fill`] writes into lives on 1 June 2025 (the store judges "in the future" and
/// "in the past" by its clock), so the journal is the same whenever the test runs.
fn on_1_june_2025() -> StoreOptions {
    let noon = Utc
        .with_ymd_and_hms(2025, 6, 1, 12, 0, 0)
        .single()
        .expect("a valid time");
    StoreOptions {
        clock: Arc::new(FixedClock(noon)),
        ..fast()
    }
}

fn golden_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("backup-format-{BACKUP_FORMAT_VERSION}.hfbackup"))
}

fn at(y: i32, m: u32, d: u32, h: u32) -> EventTime {
    EventTime {
        utc: Utc
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .expect("a valid time"),
        offset_seconds: 3600,
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// A journal with every kind of record, every field set somewhere and left empty somewhere.
fn fill(s: &Store) {
    s.add_use(&UseEntry {
        at: at(2025, 3, 1, 21),
        substance: Some(Substance::Fentanyl),
        note: Some("at Sam's".to_owned()),
    })
    .expect("use");
    s.add_use(&UseEntry {
        at: at(2025, 3, 20, 8),
        substance: None,
        note: None,
    })
    .expect("use");
    for (kind, start, end) in [
        (
            BreakKind::PrisonRelease,
            day(2025, 1, 2),
            Some(day(2025, 2, 27)),
        ),
        (
            BreakKind::MissedMethadoneDoses { days: 4 },
            day(2025, 4, 1),
            None,
        ),
        (
            BreakKind::PausedPrescribedBenzodiazepine,
            day(2025, 4, 10),
            Some(day(2025, 4, 12)),
        ),
    ] {
        s.add_break(&BreakEntry {
            kind,
            start,
            end,
            note: Some("released on a Friday".to_owned()).filter(|_| end.is_some()),
        })
        .expect("break");
    }
    let payday = s
        .add_trigger(&Trigger {
            name: "Payday".to_owned(),
        })
        .expect("trigger");
    s.add_trigger(&Trigger {
        name: "Seeing my old crowd".to_owned(),
    })
    .expect("trigger");
    let dana = s
        .add_support_person(
            &SupportPerson {
                name: "Dana".to_owned(),
                relation: Some("sister".to_owned()),
                phone: Some("07911 123456".to_owned()),
            },
            Region::Uk,
        )
        .expect("person");
    s.add_support_person(
        &SupportPerson {
            name: "Lee".to_owned(),
            relation: None,
            phone: None,
        },
        Region::Uk,
    )
    .expect("person");
    let sign = s
        .add_plan_item(
            &PlanItem::WarningSign {
                text: "Not sleeping".to_owned(),
            },
            Region::Uk,
        )
        .expect("plan");
    for item in [
        PlanItem::CopingStep {
            text: "Walk to the river".to_owned(),
        },
        PlanItem::Distraction {
            text: "Football on the radio".to_owned(),
        },
        PlanItem::HelpPerson { person: dana },
        PlanItem::Professional {
            name: Some("My keyworker".to_owned()),
            phone: Some("020 7183 8750".to_owned()),
            resource_id: None,
        },
        PlanItem::Professional {
            name: None,
            phone: None,
            resource_id: Some("uk-samaritans".to_owned()),
        },
    ] {
        s.add_plan_item(&item, Region::Uk).expect("plan");
    }
    s.set_making_safer(&MakingSafer {
        naloxone_where: Some("Kitchen drawer".to_owned()),
        never_use_alone: Some("Text Dana first".to_owned()),
        test_strips: None,
    })
    .expect("safer");
    s.add_checkin(&Checkin {
        sleep: Some(2),
        halt: Halt {
            hungry: true,
            angry: false,
            lonely: true,
            tired: true,
        },
        triggers: vec![payday],
        warning_signs: vec![sign],
        used_since_last: true,
        naloxone_with_me: Some(true),
        note: Some("hard day".to_owned()),
        ..Checkin::new(day(2025, 3, 20), 7, 2, at(2025, 3, 20, 9))
    })
    .expect("check-in");
    s.add_checkin(&Checkin::new(day(2025, 3, 21), 1, 4, at(2025, 3, 21, 20)))
        .expect("check-in");
    s.add_kit(&NaloxoneKit {
        kind: KitKind::Nasal,
        kept_at: Some("my bag".to_owned()),
        expires: Some(day(2027, 6, 30)),
        used_on: None,
        note: Some("from the pharmacy".to_owned()),
    })
    .expect("kit");
    let used = s
        .add_kit(&NaloxoneKit {
            kind: KitKind::Injection,
            kept_at: None,
            expires: None,
            used_on: None,
            note: None,
        })
        .expect("kit");
    s.mark_kit_used(used, day(2025, 4, 2)).expect("used");
    let v = s.start_visit(at(2025, 5, 20, 14)).expect("visit");
    s.save_visit(
        v.id,
        &Visit {
            at_step: VisitStep::NextSteps,
            covered: vec![
                VisitStep::Naloxone,
                VisitStep::Tolerance,
                VisitStep::Treatment,
            ],
            treatment: vec![
                TreatmentInterest::Buprenorphine,
                TreatmentInterest::TalkFirst,
            ],
            next_steps: Some("Call the clinic on Monday.\nPick up a new kit.".to_owned()),
            next_visit: Some(day(2025, 6, 10)),
            worker: Some("Alex".to_owned()),
            ..v.record.clone()
        },
    )
    .expect("saved");
    s.finish_visit(v.id).expect("finished");
    s.set_setting("treatment", "methadone").expect("setting");
    s.set_reminder_settings(&ReminderSettings {
        daily_checkin: NaiveTime::from_hms_opt(20, 30, 0),
        quiet_hours: Some(QuietHours {
            start: NaiveTime::from_hms_opt(23, 0, 0).expect("a time"),
            end: NaiveTime::from_hms_opt(7, 0, 0).expect("a time"),
        }),
        detailed_text: true,
        ..ReminderSettings::default()
    })
    .expect("reminders");
}

/// Everything a store holds, as the store reads it back.
#[derive(Debug, PartialEq)]
struct Everything {
    uses: Vec<Stored<UseEntry>>,
    breaks: Vec<Stored<BreakEntry>>,
    checkins: Vec<Stored<Checkin>>,
    triggers: Vec<Stored<Trigger>>,
    people: Vec<Stored<SupportPerson>>,
    plan: SafetyPlan,
    kits: Vec<Stored<NaloxoneKit>>,
    visits: Vec<Stored<Visit>>,
    settings: Vec<(String, String)>,
}

fn everything(s: &Store) -> Everything {
    Everything {
        uses: s.list_uses().expect("uses"),
        breaks: s.list_breaks().expect("breaks"),
        checkins: s.list_checkins().expect("check-ins"),
        triggers: s.list_triggers().expect("triggers"),
        people: s.list_support_people().expect("people"),
        plan: s.safety_plan().expect("plan"),
        kits: s.list_kits().expect("kits"),
        visits: s.list_visits().expect("visits"),
        settings: s
            .list_settings()
            .expect("settings")
            .into_iter()
            .filter(|(k, _)| k != "reminders.delivered_at")
            .collect(),
    }
}

#[test]
fn the_golden_backup_restores_to_exactly_what_is_written_today() {
    let path = golden_path();
    if !path.exists() && std::env::var_os("HOLDFAST_WRITE_GOLDEN").is_some() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let (s, _) = Store::create(tmp.path(), PASS, on_1_june_2025()).expect("store");
        fill(&s);
        let bytes = s.export_backup(GOLDEN_PASS).expect("backup");
        std::fs::write(&path, bytes).expect("golden file written");
    }
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{} is missing ({e}); it is committed, never regenerated over",
            path.display()
        )
    });
    let summary = holdfast_store::inspect_backup(&bytes, GOLDEN_PASS, &fast()).expect("inspected");
    assert_eq!(summary.format_version, BACKUP_FORMAT_VERSION);
    assert_eq!(
        (
            summary.uses,
            summary.breaks,
            summary.checkins,
            summary.visits
        ),
        (2, 3, 2, 1)
    );

    let want_dir = tempfile::tempdir().expect("temp dir");
    let (want, _) = Store::create(want_dir.path(), PASS, on_1_june_2025()).expect("store");
    fill(&want);
    let have_dir = tempfile::tempdir().expect("temp dir");
    let (mut have, _) = Store::create(have_dir.path(), PASS, fast()).expect("store");
    have.import_backup(&bytes, GOLDEN_PASS).expect("restored");
    assert_eq!(everything(&have), everything(&want));
}
