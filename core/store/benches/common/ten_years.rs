//! Ten years of journal (3,650 check-ins, 2,000 uses, 50 breaks), the workload the store and app
//! benchmarks share (`core/store/benches/store.rs`, `core/app/benches/journal.rs`, by `#[path]`).

use chrono::{Duration, Utc};
use holdfast_domain::records::{BreakEntry, BreakKind, Checkin, EventTime, Substance, UseEntry};

/// Ten years: 3,650 check-ins, 2,000 uses, 50 breaks.
pub fn ten_years() -> (Vec<UseEntry>, Vec<BreakEntry>, Vec<Checkin>) {
    let now = Utc::now() - Duration::days(1);
    let start = now - Duration::days(3650);
    let uses = (0..2000)
        .map(|i| UseEntry {
            at: EventTime {
                utc: start + Duration::minutes(i * 2628),
                offset_seconds: 3600,
            },
            substance: Some(Substance::ALL[(i as usize) % Substance::ALL.len()]),
            note: (i % 3 == 0).then(|| format!("note {i}: felt ok, used with a friend")),
        })
        .collect();
    let day0 = start.date_naive();
    let breaks = (0..50)
        .map(|i| BreakEntry {
            kind: if i % 2 == 0 {
                BreakKind::DetoxDischarge
            } else {
                BreakKind::MissedMethadoneDoses { days: 3 }
            },
            start: day0 + Duration::days(i * 70),
            end: Some(day0 + Duration::days(i * 70 + 10)),
            note: None,
        })
        .collect();
    let checkins = (0..3650)
        .map(|i| Checkin {
            sleep: Some((i % 5 + 1) as u8),
            note: (i % 4 == 0).then(|| "slept badly, walked a lot".to_owned()),
            ..Checkin::new(
                day0 + Duration::days(i),
                (i % 11) as u8,
                (i % 5 + 1) as u8,
                EventTime {
                    utc: start + Duration::days(i),
                    offset_seconds: 0,
                },
            )
        })
        .collect();
    (uses, breaks, checkins)
}
