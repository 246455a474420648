//! Write latency of one durable journal entry, as a distribution: median, p90, p99 and worst of
//! 1,000 single writes, encrypted (SQLCipher) and plain SQLite in the same run. Criterion reports
//! means and medians; the tail matters for a tap that must feel instant, so it is measured here.
//!
//! Run: `cargo bench -p holdfast-store --bench write_latency`

use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, Utc};
use holdfast_domain::records::{EventTime, Substance, UseEntry};
use holdfast_store::unencrypted_for_benchmarks::PlainJournal;
use holdfast_store::{KdfParams, Store, StoreOptions};

const WRITES: usize = 1000;

fn entry(i: usize) -> UseEntry {
    UseEntry {
        at: EventTime {
            utc: Utc::now() - Duration::hours(1),
            offset_seconds: 0,
        },
        substance: Some(Substance::Heroin),
        note: Some(format!("a short note {i}")),
    }
}

fn percentile(sorted: &[StdDuration], p: f64) -> StdDuration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(idx).copied().unwrap_or_default()
}

fn report(name: &str, mut times: Vec<StdDuration>) {
    times.sort_unstable();
    let ms = |d: StdDuration| d.as_secs_f64() * 1000.0;
    println!(
        "write_latency/{name}: n={} median={:.2} ms p90={:.2} ms p99={:.2} ms max={:.2} ms",
        times.len(),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.9)),
        ms(percentile(&times, 0.99)),
        ms(times.last().copied().unwrap_or_default()),
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing and wants it quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let writes = if quick { 20 } else { WRITES };
    let options = StoreOptions::with_kdf(KdfParams::INSECURE_FOR_TESTS);
    let dir = tempfile::tempdir()?;
    let (store, _code) = Store::create(dir.path(), "benchmark passphrase", options)?;
    let plain_dir = tempfile::tempdir()?;
    let plain = PlainJournal::open(&plain_dir.path().join("plain.db"))?;

    let mut enc = Vec::with_capacity(writes);
    let mut pla = Vec::with_capacity(writes);
    // Interleaved, so both see the same disk and load.
    for i in 0..writes {
        let e = entry(i);
        let t = Instant::now();
        store.add_use(&e)?;
        enc.push(t.elapsed());
        let t = Instant::now();
        plain.add_use(&e)?;
        pla.push(t.elapsed());
    }
    report("encrypted", enc);
    report("plain", pla);
    Ok(())
}
