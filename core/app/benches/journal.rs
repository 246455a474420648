//! The journal's use cases on ten years of journal, as the app runs them (issue #18): unlock,
//! Home's data after unlock, saving a check-in, and History. Each figure is the `App` method (the
//! engine and the store) plus turning its answer into JSON, which is what the IPC hop adds on the
//! Rust side; the tap-to-screen script (`scripts/measure-taps.sh`) measures the rest through the
//! real window.
//!
//! `cargo bench -p holdfast-app --bench journal` (setting up the ten-year journal takes about
//! half a minute: every one of its 5,700 records is written durably, one by one).

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use chrono::Utc;
use criterion::{criterion_group, criterion_main, Criterion};
use holdfast_app::about::BuildFacts;
use holdfast_app::{App, Config, DataDir, KdfParams, NoHost};
use holdfast_domain::records::{Checkin, EventTime};
use holdfast_store::{Store, StoreOptions};
use serde::Serialize;

#[path = "../../store/benches/common/ten_years.rs"]
mod ten_years;

const PASS: &str = "maple trout visor quilt";

fn fail<T>(e: impl std::fmt::Display) -> T {
    eprintln!("benchmark setup failed: {e}");
    std::process::exit(1)
}

fn ok<T, E: std::fmt::Display>(r: Result<T, E>) -> T {
    r.unwrap_or_else(fail)
}

fn ok_ipc<T>(r: Result<T, holdfast_app::IpcError>) -> T {
    r.unwrap_or_else(|e| fail(e.message))
}

/// A data folder holding ten years of journal whose key slot costs `kdf`.
fn ten_year_journal(dir: &Path, kdf: KdfParams) {
    let (uses, breaks, checkins) = ten_years::ten_years();
    ok(std::fs::create_dir_all(dir));
    let (store, _) = ok(Store::create(dir, PASS, StoreOptions::with_kdf(kdf)));
    for e in &uses {
        ok(store.add_use(e));
    }
    for e in &breaks {
        ok(store.add_break(e));
    }
    for e in &checkins {
        ok(store.add_checkin(e));
    }
    store.lock();
}

fn app(dir: &Path, kdf: KdfParams) -> App {
    let data_dir = DataDir::open(dir);
    let build = BuildFacts {
        version: "0",
        profile: "bench",
        commit: "",
        target: "",
    };
    let config = Config {
        info: holdfast_app::AppInfo::new(build, &data_dir),
        data_dir: data_dir.ok(),
        backup_folder: None,
        idle_override: None,
        second_dose_secs: None,
        started: Instant::now(),
        report_startup: false,
        kdf,
    };
    App::new(
        config,
        Arc::new(holdfast_domain::SystemClock),
        Box::new(NoHost {
            lang: Some("en_GB.UTF-8".to_owned()),
        }),
    )
}

/// What the IPC hop adds on the Rust side: the answer as JSON.
fn json<T: Serialize>(value: &T) -> usize {
    ok(serde_json::to_vec(value)).len()
}

fn benches(c: &mut Criterion) {
    let root = ok(tempfile::tempdir());
    let cheap = root.path().join("cheap");
    let real = root.path().join("production");
    eprintln!("setting up two ten-year journals (5,700 durable writes each)...");
    ten_year_journal(&cheap, KdfParams::INSECURE_FOR_TESTS);
    ten_year_journal(&real, KdfParams::PRODUCTION);

    // Unlock = one key derivation + opening the journal. With a negligible KDF in the key slot
    // the figure is what unlock costs beyond the derivation (the goal: at most 50 ms).
    {
        let mut g = c.benchmark_group("unlock_10y");
        g.sample_size(10)
            .measurement_time(StdDuration::from_secs(10));
        let production = app(&real, KdfParams::PRODUCTION);
        g.bench_function("production_kdf", |b| {
            b.iter(|| {
                black_box(ok_ipc(production.unlock(PASS.to_owned())));
                ok_ipc(production.lock());
            })
        });
        let beyond = app(&cheap, KdfParams::INSECURE_FOR_TESTS);
        g.bench_function("beyond_the_kdf", |b| {
            b.iter(|| {
                black_box(ok_ipc(beyond.unlock(PASS.to_owned())));
                ok_ipc(beyond.lock());
            })
        });
        g.finish();
    }

    let app = app(&cheap, KdfParams::INSECURE_FOR_TESTS);
    ok_ipc(app.unlock(PASS.to_owned()));

    // Home after unlock asks for these three.
    c.bench_function("home_data_10y", |b| {
        b.iter(|| {
            black_box(json(&ok_ipc(app.session_info())));
            black_box(json(&ok_ipc(app.tolerance())));
            black_box(json(&ok_ipc(app.nudge())));
        })
    });
    // The engine's part of Home: the tolerance view alone.
    c.bench_function("tolerance_view_10y", |b| {
        b.iter(|| black_box(ok_ipc(app.tolerance())))
    });

    // History: every use and break, and the tolerance view beside them.
    c.bench_function("history_10y", |b| {
        b.iter(|| {
            black_box(json(&ok_ipc(app.journal_view())));
            black_box(json(&ok_ipc(app.tolerance())));
        })
    });

    // The check-in screen's data, then saving today's check-in (durable: synchronous=FULL).
    c.bench_function("checkin_screen_10y", |b| {
        b.iter(|| {
            black_box(json(&ok_ipc(app.list_triggers())));
            black_box(json(&ok_ipc(app.safety_plan())));
            black_box(json(&ok_ipc(app.checkin_today())));
            black_box(json(&ok_ipc(app.trend())));
        })
    });
    let now = Utc::now();
    let saved = ok_ipc(app.add_checkin(Checkin::new(
        now.date_naive(),
        3,
        3,
        EventTime {
            utc: now,
            offset_seconds: 0,
        },
    )));
    let mut mood = 0u8;
    c.bench_function("checkin_save_10y", |b| {
        b.iter(|| {
            mood = (mood + 1) % 11;
            let entry = Checkin::new(
                now.date_naive(),
                mood,
                3,
                EventTime {
                    utc: now,
                    offset_seconds: 0,
                },
            );
            black_box(json(&ok_ipc(app.update_checkin(saved.id, entry))))
        })
    });
}

criterion_group!(app_benches, benches);
criterion_main!(app_benches);
