//! Peer visits in the encrypted store: start, save progress, pause and resume (close and reopen
//! the journal), finish, list, delete, the one-open-visit rule, validation, backups and the
//! next-visit reminder.

use crate::common::*;
use chrono::{Duration, Utc};

use holdfast_domain::records::{TreatmentInterest, Visit, VisitStep, MAX_NEXT_STEPS_CHARS};
use holdfast_store::{self as store, Store, StoreError};

fn walked(v: &Visit) -> Visit {
    Visit {
        at_step: VisitStep::NextSteps,
        covered: vec![
            VisitStep::Treatment,
            VisitStep::Naloxone,
            VisitStep::Tolerance,
            VisitStep::Naloxone,
        ],
        treatment: vec![TreatmentInterest::Methadone, TreatmentInterest::TalkFirst],
        next_steps: Some("  Call the clinic on Monday.\nPick up a new kit.  ".to_owned()),
        next_visit: Some(today_plus(14)),
        worker: Some(" Sam ".to_owned()),
        ..v.clone()
    }
}

#[test]
fn a_visit_round_trips_through_pause_resume_and_finish() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (store, _) = Store::create(dir.path(), PASS, fast())?;
    assert_eq!(store.open_visit()?, None);
    let started = store.start_visit(now_event())?;
    assert_eq!(started.record.at_step, VisitStep::Naloxone);
    assert_eq!(started.record.finished, None);

    // Half way: saved, then the journal is locked (paused) and unlocked again (resumed).
    let half = Visit {
        at_step: VisitStep::Tolerance,
        covered: vec![VisitStep::Naloxone],
        ..started.record.clone()
    };
    store.save_visit(started.id, &half)?;
    store.lock();
    let store = Store::unlock(dir.path(), PASS, fast())?;
    let resumed = store.open_visit()?.ok_or("the open visit was lost")?;
    assert_eq!(resumed.id, started.id);
    assert_eq!(resumed.record.at_step, VisitStep::Tolerance);
    assert_eq!(resumed.record.covered, vec![VisitStep::Naloxone]);

    let saved = store.save_visit(started.id, &walked(&resumed.record))?;
    // Tidied: walk-through order, no repeats, trimmed text.
    assert_eq!(
        saved.record.covered,
        vec![
            VisitStep::Naloxone,
            VisitStep::Tolerance,
            VisitStep::Treatment
        ]
    );
    assert_eq!(
        saved.record.treatment,
        vec![TreatmentInterest::Methadone, TreatmentInterest::TalkFirst]
    );
    assert_eq!(
        saved.record.next_steps.as_deref(),
        Some("Call the clinic on Monday.\nPick up a new kit.")
    );
    assert_eq!(saved.record.worker.as_deref(), Some("Sam"));

    let done = store.finish_visit(started.id)?;
    assert!(done.record.finished.is_some());
    assert_eq!(store.open_visit()?, None);
    assert_eq!(store.list_visits()?, vec![done.clone()]);
    assert_eq!(store.get_visit(started.id)?, done);

    // A finished visit is a record: it cannot be changed or finished again, only deleted.
    assert!(matches!(
        store.save_visit(started.id, &walked(&done.record)),
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.finish_visit(started.id),
        Err(StoreError::Conflict(_))
    ));
    store.delete_visit(started.id)?;
    assert!(store.list_visits()?.is_empty());
    assert!(matches!(
        store.delete_visit(started.id),
        Err(StoreError::RecordNotFound)
    ));
    Ok(())
}

#[test]
fn only_one_visit_is_open_at_a_time() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (store, _) = Store::create(dir.path(), PASS, fast())?;
    let first = store.start_visit(now_event())?;
    assert!(matches!(
        store.start_visit(now_event()),
        Err(StoreError::Conflict(_))
    ));
    store.finish_visit(first.id)?;
    let second = store.start_visit(now_event())?;
    let list = store.list_visits()?;
    assert_eq!(list.len(), 2);
    assert_eq!(store.open_visit()?.map(|v| v.id), Some(second.id));
    Ok(())
}

#[test]
fn bad_visits_are_refused_and_nothing_changes() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (store, _) = Store::create(dir.path(), PASS, fast())?;
    let v = store.start_visit(now_event())?;
    let bad = [
        Visit {
            next_steps: Some("x".repeat(MAX_NEXT_STEPS_CHARS + 1)),
            ..v.record.clone()
        },
        Visit {
            worker: Some("Sam\u{7}".to_owned()),
            ..v.record.clone()
        },
        Visit {
            next_visit: Some(today_plus(-3)),
            ..v.record.clone()
        },
        Visit {
            next_visit: Some(today_plus(400)),
            ..v.record.clone()
        },
        Visit {
            treatment: vec![TreatmentInterest::NotNow, TreatmentInterest::Naltrexone],
            ..v.record.clone()
        },
    ];
    for b in bad {
        assert!(
            matches!(store.save_visit(v.id, &b), Err(StoreError::Invalid { .. })),
            "{b:?} was accepted"
        );
        assert_eq!(store.get_visit(v.id)?, v);
    }
    let future = holdfast_domain::records::EventTime {
        utc: Utc::now() + Duration::days(2),
        offset_seconds: 0,
    };
    store.finish_visit(v.id)?;
    assert!(matches!(
        store.start_visit(future),
        Err(StoreError::Invalid { .. })
    ));
    assert!(matches!(
        store.save_visit(9999, &v.record),
        Err(StoreError::RecordNotFound)
    ));
    Ok(())
}

#[test]
fn visits_are_in_backups_and_come_back_whole() -> TestResult {
    let src_dir = tempfile::tempdir()?;
    let (src, _) = Store::create(src_dir.path(), PASS, fast())?;
    let a = src.start_visit(now_event())?;
    src.save_visit(a.id, &walked(&a.record))?;
    src.finish_visit(a.id)?;
    let b = src.start_visit(now_event())?;
    src.save_visit(
        b.id,
        &Visit {
            at_step: VisitStep::Treatment,
            covered: vec![VisitStep::Naloxone],
            ..b.record.clone()
        },
    )?;
    let bytes = src.export_backup("backup passphrase 1")?;
    let summary = store::inspect_backup(&bytes, "backup passphrase 1", &fast())?;
    assert_eq!(summary.visits, 2);
    assert_eq!(summary.format_version, store::BACKUP_FORMAT_VERSION);

    let dst_dir = tempfile::tempdir()?;
    let (mut dst, _) = Store::create(dst_dir.path(), PASS2, fast())?;
    dst.import_backup(&bytes, "backup passphrase 1")?;
    assert_eq!(dst.list_visits()?, src.list_visits()?);
    assert_eq!(dst.open_visit()?.map(|v| v.id), Some(b.id));
    Ok(())
}
