//! The journal API: CRUD, and guarantee 8 (bad input returns typed errors).

use crate::common::*;
use chrono::{Duration, NaiveDate, Utc};
use holdfast_domain::records::{
    BreakEntry, BreakKind, Checkin, EventTime, RecordKind, Substance, UseEntry, MAX_NOTE_CHARS,
};
use holdfast_store::{Store, StoreError};

fn open() -> Result<(tempfile::TempDir, Store), Box<dyn std::error::Error>> {
    let tmp = tempfile::tempdir()?;
    let (s, _) = Store::create(tmp.path(), PASS, fast())?;
    Ok((tmp, s))
}

fn invalid(res: Result<impl std::fmt::Debug, StoreError>, want_field: &str) -> TestResult {
    match res {
        Err(StoreError::Invalid { field, reason }) => {
            assert_eq!(field, want_field, "{reason}");
            Ok(())
        }
        other => Err(format!("expected an invalid {want_field}, got {other:?}").into()),
    }
}

#[test]
fn use_entries_crud_and_time_with_offset() -> TestResult {
    let (_tmp, s) = open()?;
    let at = EventTime {
        utc: Utc::now() - Duration::hours(5),
        offset_seconds: -5 * 3600,
    };
    let e = UseEntry {
        at,
        substance: Some(Substance::OtherOpioid),
        note: Some("  ".to_owned()),
    };
    let id = s.add_use(&e)?;
    let got = s.get_use(id)?;
    assert_eq!(got.record.at.offset_seconds, -5 * 3600);
    assert_eq!(got.record.at.utc.timestamp(), at.utc.timestamp());
    assert_eq!(got.record.note, None, "blank notes are stored as none");
    let e2 = UseEntry {
        substance: None,
        note: Some("changed".into()),
        ..e
    };
    s.update_use(id, &e2)?;
    assert_eq!(s.get_use(id)?.record.note.as_deref(), Some("changed"));
    let later = s.add_use(&a_use("later"))?;
    assert_eq!(s.last_use()?.map(|u| u.id), Some(later));
    assert_eq!(s.list_uses()?.len(), 2);
    s.delete(RecordKind::Use, id)?;
    assert_eq!(s.get_use(id).err(), Some(StoreError::RecordNotFound));
    assert_eq!(
        s.delete(RecordKind::Use, id).err(),
        Some(StoreError::RecordNotFound)
    );
    assert_eq!(
        s.update_use(id, &e2).err(),
        Some(StoreError::RecordNotFound)
    );
    for sub in Substance::ALL {
        s.add_use(&UseEntry {
            substance: Some(*sub),
            ..a_use("")
        })?;
    }
    Ok(())
}

#[test]
fn breaks_and_checkins_crud() -> TestResult {
    let (_tmp, s) = open()?;
    let kinds = BreakKind::every(365);
    for kind in kinds.iter().copied() {
        let id = s.add_break(&BreakEntry {
            kind,
            end: None,
            ..a_break()
        })?;
        assert_eq!(s.get_break(id)?.record.kind, kind);
    }
    let id = s.add_break(&a_break())?;
    assert_eq!(s.get_break(id)?.record, a_break());
    s.update_break(
        id,
        &BreakEntry {
            kind: BreakKind::PrisonRelease,
            ..a_break()
        },
    )?;
    assert_eq!(s.list_breaks()?.len(), kinds.len() + 1);
    s.delete(RecordKind::Break, id)?;

    let c = s.add_checkin(&a_checkin(0))?;
    assert_eq!(s.get_checkin(c)?.record.cravings, 4);
    assert!(matches!(
        s.add_checkin(&a_checkin(0)),
        Err(StoreError::Conflict(_))
    ));
    let c2 = s.add_checkin(&a_checkin(1))?;
    assert!(matches!(
        s.update_checkin(c2, &a_checkin(0)),
        Err(StoreError::Conflict(_))
    ));
    s.update_checkin(
        c,
        &Checkin {
            mood: 5,
            ..a_checkin(0)
        },
    )?;
    assert_eq!(
        s.list_checkins()?
            .iter()
            .map(|c| c.record.mood)
            .collect::<Vec<_>>(),
        vec![5, 3]
    );

    s.set_setting("reminder.hour", "20")?;
    s.set_setting("reminder.hour", "21")?;
    assert_eq!(s.get_setting("reminder.hour")?.as_deref(), Some("21"));
    s.delete_setting("reminder.hour")?;
    assert_eq!(s.get_setting("reminder.hour")?, None);
    Ok(())
}

/// Guarantee 8: out-of-range values, huge strings, future dates return typed errors.
#[test]
fn bad_input_is_refused_with_typed_errors() -> TestResult {
    let (_tmp, s) = open()?;
    let future = EventTime {
        utc: Utc::now() + Duration::hours(2),
        offset_seconds: 0,
    };
    invalid(
        s.add_use(&UseEntry {
            at: future,
            ..a_use("")
        }),
        "time of use",
    )?;
    // A few minutes of clock skew are tolerated.
    let skew = EventTime {
        utc: Utc::now() + Duration::minutes(2),
        offset_seconds: 0,
    };
    s.add_use(&UseEntry {
        at: skew,
        ..a_use("")
    })?;
    let bad_offset = EventTime {
        offset_seconds: 20 * 3600,
        ..now_event()
    };
    invalid(
        s.add_use(&UseEntry {
            at: bad_offset,
            ..a_use("")
        }),
        "time of use",
    )?;
    let ancient = EventTime {
        utc: Utc::now() - Duration::days(365 * 200),
        offset_seconds: 0,
    };
    invalid(
        s.add_use(&UseEntry {
            at: ancient,
            ..a_use("")
        }),
        "time of use",
    )?;
    invalid(s.add_use(&a_use(&"x".repeat(MAX_NOTE_CHARS + 1))), "note")?;
    invalid(s.add_use(&a_use(&"x".repeat(10 * 1024 * 1024))), "note")?;
    s.add_use(&a_use(&"é".repeat(MAX_NOTE_CHARS)))?;
    invalid(s.add_use(&a_use("nul\0byte")), "note")?;

    let tomorrow_plus = (Utc::now() + Duration::days(3)).date_naive();
    invalid(
        s.add_break(&BreakEntry {
            start: tomorrow_plus,
            end: None,
            ..a_break()
        }),
        "start date",
    )?;
    invalid(
        s.add_break(&BreakEntry {
            end: Some(tomorrow_plus),
            ..a_break()
        }),
        "end date",
    )?;
    let start = NaiveDate::from_ymd_opt(2024, 5, 10).ok_or("date")?;
    let before = NaiveDate::from_ymd_opt(2024, 5, 9);
    invalid(
        s.add_break(&BreakEntry {
            start,
            end: before,
            ..a_break()
        }),
        "end date",
    )?;
    invalid(
        s.add_break(&BreakEntry {
            kind: BreakKind::MissedMethadoneDoses { days: 0 },
            ..a_break()
        }),
        "missed days",
    )?;
    invalid(
        s.add_break(&BreakEntry {
            kind: BreakKind::MissedBuprenorphineDoses { days: 366 },
            ..a_break()
        }),
        "missed days",
    )?;

    invalid(
        s.add_checkin(&Checkin {
            cravings: 11,
            ..a_checkin(0)
        }),
        "cravings",
    )?;
    invalid(
        s.add_checkin(&Checkin {
            mood: 0,
            ..a_checkin(0)
        }),
        "mood",
    )?;
    invalid(
        s.add_checkin(&Checkin {
            mood: 6,
            ..a_checkin(0)
        }),
        "mood",
    )?;
    invalid(
        s.add_checkin(&Checkin {
            date: tomorrow_plus,
            ..a_checkin(0)
        }),
        "date",
    )?;

    invalid(s.set_setting("", "v"), "setting name")?;
    invalid(s.set_setting("Bad Key", "v"), "setting name")?;
    invalid(s.set_setting(&"k".repeat(65), "v"), "setting name")?;
    invalid(s.set_setting("k", &"v".repeat(20_000)), "setting value")?;

    // Nothing invalid was stored.
    assert_eq!(s.list_uses()?.len(), 2);
    assert!(s.list_breaks()?.is_empty());
    assert!(s.list_checkins()?.is_empty());
    assert!(s.list_settings()?.is_empty());
    Ok(())
}

#[test]
fn json_shapes_for_the_ui() -> TestResult {
    let b = serde_json::to_value(BreakKind::MissedMethadoneDoses { days: 3 })?;
    assert_eq!(
        b,
        serde_json::json!({"kind": "missed_methadone_doses", "days": 3})
    );
    let t = serde_json::to_value(EventTime {
        utc: chrono::DateTime::from_timestamp(0, 0).ok_or("t")?,
        offset_seconds: 60,
    })?;
    assert_eq!(
        t,
        serde_json::json!({"utc": "1970-01-01T00:00:00Z", "offset_seconds": 60})
    );
    let st = serde_json::to_value(holdfast_store::Status::Damaged { reason: "x".into() })?;
    assert_eq!(st, serde_json::json!({"state": "damaged", "reason": "x"}));
    Ok(())
}
