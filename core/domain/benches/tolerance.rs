//! Tolerance engine benchmark: ten years of journal (2,000 uses, 50 breaks), the status the home
//! screen shows, with owned records and with `Stored` records as the store returns them.
//!
//! Quick figures: `cargo bench -p holdfast-domain --bench tolerance -- --quick`

use std::hint::black_box;

use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::America::New_York;
use criterion::{criterion_group, criterion_main, Criterion};
use holdfast_domain::records::{BreakEntry, BreakKind, EventTime, Stored, Substance, UseEntry};
use holdfast_domain::tolerance::{assess, Records, Treatment};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0)
        .earliest()
        .unwrap_or_default()
}

/// Ten years: 2,000 uses (about one every 44 hours, offsets switching between EST and EDT),
/// 50 breaks of every kind.
fn ten_years() -> (Vec<UseEntry>, Vec<BreakEntry>) {
    let start = now() - Duration::days(3650);
    let uses = (0..2000i64)
        .map(|i| UseEntry {
            at: EventTime {
                utc: start + Duration::minutes(i * 2628),
                offset_seconds: if i % 2 == 0 { -5 * 3600 } else { -4 * 3600 },
            },
            substance: Some(Substance::ALL[(i as usize) % Substance::ALL.len()]),
            note: (i % 3 == 0).then(|| format!("note {i}")),
        })
        .collect();
    let kinds = BreakKind::every(4);
    let day0 = start.date_naive();
    let breaks = (0..50i64)
        .map(|i| BreakEntry {
            kind: kinds[(i as usize) % kinds.len()],
            start: day0 + Duration::days(i * 73),
            end: Some(day0 + Duration::days(i * 73 + 10)),
            note: None,
        })
        .collect();
    (uses, breaks)
}

fn benches(c: &mut Criterion) {
    let (uses, breaks) = ten_years();
    let stored_uses: Vec<Stored<UseEntry>> = uses
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, record)| Stored {
            id: i as i64 + 1,
            record,
        })
        .collect();
    let stored_breaks: Vec<Stored<BreakEntry>> = breaks
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, record)| Stored {
            id: i as i64 + 1,
            record,
        })
        .collect();
    let mut g = c.benchmark_group("tolerance_10y");
    g.bench_function("assess", |b| {
        let journal = Records {
            uses: &uses,
            breaks: &breaks,
            treatment: Treatment::Methadone,
        };
        b.iter(|| black_box(assess(black_box(&journal), now(), &New_York)))
    });
    g.bench_function("assess_stored", |b| {
        let journal = Records {
            uses: &stored_uses,
            breaks: &stored_breaks,
            treatment: Treatment::Methadone,
        };
        b.iter(|| black_box(assess(black_box(&journal), now(), &New_York)))
    });
    g.finish();
}

criterion_group!(tolerance, benches);
criterion_main!(tolerance);
