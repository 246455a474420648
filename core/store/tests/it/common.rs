//! Helpers shared by the store's integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::{Duration, NaiveDate, Utc};
use holdfast_domain::records::{
    BreakEntry, BreakKind, Checkin, EventTime, KitKind, NaloxoneKit, Substance, SupportPerson,
    UseEntry,
};
use holdfast_store::{KdfParams, StoreOptions};

pub type TestResult = Result<(), Box<dyn std::error::Error>>;

pub const PASS: &str = "correct horse battery";
pub const PASS2: &str = "another good passphrase";

/// Cheap KDF so tests stay fast; one test elsewhere uses the production parameters.
pub fn fast() -> StoreOptions {
    StoreOptions::with_kdf(KdfParams::INSECURE_FOR_TESTS)
}

pub fn now_event() -> EventTime {
    EventTime {
        utc: Utc::now() - Duration::minutes(1),
        offset_seconds: 3600,
    }
}

pub fn a_use(note: &str) -> UseEntry {
    UseEntry {
        at: now_event(),
        substance: Some(Substance::Fentanyl),
        note: Some(note.to_owned()),
    }
}

pub fn a_break() -> BreakEntry {
    BreakEntry {
        kind: BreakKind::MissedMethadoneDoses { days: 3 },
        start: NaiveDate::from_ymd_opt(2024, 3, 1).expect("a valid date"),
        end: NaiveDate::from_ymd_opt(2024, 3, 4),
        note: None,
    }
}

pub fn a_checkin(day: u32) -> Checkin {
    Checkin {
        note: Some("ok day".to_owned()),
        ..Checkin::new(
            NaiveDate::from_ymd_opt(2024, 1, 1).expect("a valid date")
                + Duration::days(i64::from(day)),
            4,
            3,
            now_event(),
        )
    }
}

/// Content and modification time of every file in `dir`.
pub fn files(dir: &Path) -> std::io::Result<BTreeMap<PathBuf, (Vec<u8>, SystemTime)>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let meta = entry.metadata()?;
        if meta.is_file() {
            out.insert(
                entry.path(),
                (std::fs::read(entry.path())?, meta.modified()?),
            );
        }
    }
    Ok(out)
}

/// A small pseudo-random generator (xorshift), seeded from the clock, for kill timings.
pub struct Rng(u64);

impl Rng {
    pub fn new() -> Self {
        let seed = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9e37_79b9);
        Self(seed | 1)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

pub fn person(name: &str, phone: Option<&str>) -> SupportPerson {
    SupportPerson {
        name: name.to_owned(),
        relation: Some("sister".to_owned()),
        phone: phone.map(str::to_owned),
    }
}

/// Now, in whole seconds (the store keeps whole seconds).
pub fn whole_seconds() -> EventTime {
    let e = now_event();
    EventTime {
        utc: chrono::DateTime::from_timestamp(e.utc.timestamp(), 0).unwrap_or(e.utc),
        ..e
    }
}

pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

pub fn kit(expires: Option<NaiveDate>) -> NaloxoneKit {
    NaloxoneKit {
        kind: KitKind::Nasal,
        kept_at: Some("my bag".into()),
        expires,
        used_on: None,
        note: None,
    }
}

pub fn today_plus(days: i64) -> NaiveDate {
    (now_event().utc + Duration::seconds(3600) + Duration::days(days)).date_naive()
}

/// The arguments that make this test binary run only `test` (its module path included), with
/// its output and nothing else: how a test starts a child process it can kill or starve.
pub fn only_test(test: &str) -> [&str; 5] {
    [
        "--exact",
        test,
        "--nocapture",
        "--test-threads=1",
        "--quiet",
    ]
}
