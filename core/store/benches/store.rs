//! Store benchmarks: unlock (KDF) time, open-to-first-query, write latency, export and import of
//! ten years of data, key rotation of ten years of data, and the same work on plain SQLite to see
//! what encryption costs.
//!
//! Quick figures: `cargo bench -p holdfast-store --bench store -- --quick`
//! Key rotation only: `cargo bench -p holdfast-store --bench store -- rotate_key_10y --quick`

use std::hint::black_box;
use std::time::Duration as StdDuration;

use chrono::{Duration, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use holdfast_domain::records::{BreakEntry, Checkin, EventTime, Substance, UseEntry};
use holdfast_store::inspect_backup;
use holdfast_store::unencrypted_for_benchmarks::PlainJournal;
use holdfast_store::{KdfParams, RecoveryCode, Store, StoreOptions};

#[path = "common/ten_years.rs"]
mod ten_years;
use ten_years::ten_years;

const PASS: &str = "benchmark passphrase";
const BPASS: &str = "benchmark backup passphrase";

fn fast() -> StoreOptions {
    StoreOptions::with_kdf(KdfParams::INSECURE_FOR_TESTS)
}

fn loaded_plain(dir: &std::path::Path) -> PlainJournal {
    let (u, b, c) = ten_years();
    let mut p = match PlainJournal::open(&dir.join("plain.db")) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    if let Err(e) = p.load(&u, &b, &c) {
        return fail(e);
    }
    p
}

fn fail<T>(e: impl std::fmt::Display) -> T {
    eprintln!("benchmark setup failed: {e}");
    std::process::exit(1)
}

fn ok<T, E: std::fmt::Display>(r: Result<T, E>) -> T {
    r.unwrap_or_else(fail)
}

/// A ten-year backup file (cheap KDF) and an encrypted store loaded from it.
fn loaded_store(dir: &std::path::Path) -> (Store, Vec<u8>) {
    let (u, b, c) = ten_years();
    let (mut s, _) = ok(Store::create(dir, PASS, fast()));
    let bytes = ok(seed_backup(&u, &b, &c));
    ok(s.import_backup(&bytes, BPASS));
    (s, bytes)
}

fn seed_backup(u: &[UseEntry], b: &[BreakEntry], c: &[Checkin]) -> Result<Vec<u8>, String> {
    // Insert one by one into a throw-away store whose every commit is synced: slow but once.
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let (s, _) = Store::create(tmp.path(), PASS, fast()).map_err(|e| e.to_string())?;
    ok(s.set_setting("bench", "1"));
    for e in u {
        s.add_use(e).map_err(|e| e.to_string())?;
    }
    for e in b {
        s.add_break(e).map_err(|e| e.to_string())?;
    }
    for e in c {
        s.add_checkin(e).map_err(|e| e.to_string())?;
    }
    s.export_backup(BPASS).map_err(|e| e.to_string())
}

fn benches(c: &mut Criterion) {
    // Unlock with the production KDF parameters (one Argon2id derivation dominates).
    {
        let dir = ok(tempfile::tempdir());
        ok(Store::create(dir.path(), PASS, StoreOptions::default()))
            .0
            .lock();
        let mut g = c.benchmark_group("unlock");
        g.sample_size(10)
            .measurement_time(StdDuration::from_secs(8));
        g.bench_function("production_kdf", |b| {
            b.iter(|| ok(Store::unlock(dir.path(), PASS, StoreOptions::default())).lock())
        });
        g.finish();
    }

    let enc_dir = ok(tempfile::tempdir());
    let plain_dir = ok(tempfile::tempdir());
    let (store, backup) = loaded_store(enc_dir.path());
    let plain = loaded_plain(plain_dir.path());
    let total = ok(store.read_all());
    assert_eq!(total, 5700);
    store.lock();

    // Open to first query with the key known (a negligible KDF in the slot): SQLCipher open,
    // key check, quick_check, migrations check, then reading the latest use.
    {
        let mut g = c.benchmark_group("open_to_first_query");
        g.bench_function("encrypted_10y", |b| {
            b.iter(|| {
                let s = ok(Store::unlock(enc_dir.path(), PASS, fast()));
                black_box(ok(s.last_use()));
            })
        });
        g.bench_function("plain_10y", |b| {
            b.iter(|| {
                let p = ok(PlainJournal::open(&plain_dir.path().join("plain.db")));
                black_box(ok(p.last_use()));
            })
        });
        g.finish();
    }

    let store = ok(Store::unlock(enc_dir.path(), PASS, fast()));
    {
        let mut g = c.benchmark_group("write_one_entry");
        let e = UseEntry {
            at: EventTime {
                utc: Utc::now() - Duration::hours(1),
                offset_seconds: 0,
            },
            substance: Some(Substance::Heroin),
            note: Some("a short note".to_owned()),
        };
        g.bench_function("encrypted", |b| b.iter(|| black_box(ok(store.add_use(&e)))));
        g.bench_function("plain", |b| b.iter(|| black_box(ok(plain.add_use(&e)))));
        g.finish();
    }
    {
        let mut g = c.benchmark_group("read_all_10y");
        g.bench_function("encrypted", |b| b.iter(|| black_box(ok(store.read_all()))));
        g.bench_function("plain", |b| b.iter(|| black_box(ok(plain.read_all()))));
        g.finish();
    }
    drop(store);

    // Export and import of ten years (5,700 records). Cheap KDF here so the figure is the
    // serialisation, encryption and database work; a real export or import adds one
    // production-cost derivation (see "unlock").
    {
        let dir = ok(tempfile::tempdir());
        let (mut s, _) = ok(Store::create(dir.path(), PASS, fast()));
        ok(s.import_backup(&backup, BPASS));
        let mut g = c.benchmark_group("backup_10y");
        g.sample_size(10);
        g.bench_function("export", |b| {
            b.iter(|| black_box(ok(s.export_backup(BPASS))))
        });
        g.bench_function("inspect", |b| {
            b.iter(|| black_box(ok(inspect_backup(&backup, BPASS, &fast()))))
        });
        g.bench_function("import", |b| {
            b.iter(|| black_box(ok(s.import_backup(&backup, BPASS))))
        });
        g.finish();
    }
    rotation(c, &backup);
}

/// Key rotation (security review M1) of ten years (5,700 records, a 1.2 MB journal): a new
/// data key, the journal re-encrypted into a temporary file (fsynced, checked), renamed over the
/// old one, the folder fsynced, and the key file written twice.
fn rotation(c: &mut Criterion, backup: &[u8]) {
    let mut g = c.benchmark_group("rotate_key_10y");
    g.sample_size(10);
    // The re-encryption and file work alone (a negligible key derivation).
    {
        let dir = ok(tempfile::tempdir());
        let (mut s, _) = ok(Store::create(dir.path(), PASS, fast()));
        ok(s.import_backup(backup, BPASS));
        let size = std::fs::metadata(dir.path().join("journal.db")).map_or(0, |m| m.len());
        eprintln!(
            "rotate_key_10y: journal.db holds {size} bytes; the backup {} bytes",
            backup.len()
        );
        let code = ok(RecoveryCode::generate());
        g.bench_function("cheap_kdf", |b| b.iter(|| ok(s.rotate_key(PASS, &code))));
    }
    // What the person waits for after typing the new code back in Settings: the passphrase
    // checked, then the rotation with the two production-cost derivations (passphrase, code).
    {
        let dir = ok(tempfile::tempdir());
        let production = StoreOptions {
            // The seed backup was sealed with cheap parameters; only this bench reads them.
            min_kdf: KdfParams::INSECURE_FOR_TESTS,
            ..StoreOptions::default()
        };
        let (mut s, _) = ok(Store::create(dir.path(), PASS, production));
        ok(s.import_backup(backup, BPASS));
        g.bench_function("production_kdf_new_code", |b| {
            b.iter(|| black_box(ok(s.new_recovery_code(PASS))))
        });
    }
    g.finish();
}

criterion_group!(store_benches, benches);
criterion_main!(store_benches);
