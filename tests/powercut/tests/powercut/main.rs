//! The journal store's operations, cut at many points by a power cut (issue #14).
//!
//! Each case is one [`Operation`] over a data folder: what it prepares, what it does (noting
//! what the store acknowledged), and what must hold after any cut. Key rotation is one more case
//! here once the store has it. Soak mode: `HOLDFAST_POWERCUT_SOAK=1000`; replay a failure with
//! the `HOLDFAST_POWERCUT_SEED` it prints. See docs/testing.md.

// A test-only crate: a fixture that cannot be built should fail the test loudly (clippy.toml
// allows the same inside #[test] functions; this covers their helpers too).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;

use chrono::{Duration, NaiveDate, Utc};
use holdfast_domain::records::{Checkin, EventTime, Substance, UseEntry};
use holdfast_powercut::{
    child_main, fixtures, run_and_report, BoxError, Broken, Log, Operation, Outcome,
};
use holdfast_store::{
    fsutil, inspect_backup, list_set_aside, put_back, set_aside, status, KdfParams, RecoveryCode,
    SetAsideReason, Status, Store, StoreOptions,
};

const PASS: &str = "correct horse battery";
const BACKUP_PASS: &str = "backup passphrase one";

fn fast() -> StoreOptions {
    StoreOptions::with_kdf(KdfParams::INSECURE_FOR_TESTS)
}

fn now_event() -> EventTime {
    EventTime {
        utc: Utc::now() - Duration::minutes(1),
        offset_seconds: 3600,
    }
}

fn a_use(note: &str) -> UseEntry {
    UseEntry {
        at: now_event(),
        substance: Some(Substance::Fentanyl),
        note: Some(note.to_owned()),
    }
}

fn a_checkin(day: u32, note: &str) -> Checkin {
    Checkin {
        note: Some(note.to_owned()),
        ..Checkin::new(
            NaiveDate::from_ymd_opt(2024, 1, 1).expect("a date") + Duration::days(i64::from(day)),
            4,
            3,
            now_event(),
        )
    }
}

/// Opens the journal in `dir` with `pass` and runs the full integrity check.
fn open_checked(dir: &Path, pass: &str) -> Result<Store, Broken> {
    match status(dir) {
        Status::Locked => {}
        Status::FirstRun => {
            return Err(Broken::Lost(
                "the data folder is back at first run: the journal is gone".to_owned(),
            ))
        }
        Status::Damaged { reason } => {
            return Err(Broken::Integrity(format!(
                "the store says damaged: {reason}"
            )))
        }
    }
    let store = Store::unlock(dir, pass, fast())
        .map_err(|e| Broken::Integrity(format!("does not open with its passphrase: {e}")))?;
    match store.integrity_check() {
        Ok(true) => Ok(store),
        Ok(false) => Err(Broken::Integrity("integrity_check is not ok".to_owned())),
        Err(e) => Err(Broken::Integrity(format!("integrity_check failed: {e}"))),
    }
}

fn use_notes(store: &Store) -> Result<BTreeSet<String>, Broken> {
    Ok(store
        .list_uses()
        .map_err(|e| Broken::Integrity(format!("listing uses: {e}")))?
        .into_iter()
        .filter_map(|u| u.record.note)
        .collect())
}

/// The entries every case starts with; they must be there after every cut.
const BASE: [&str; 2] = ["base use 0", "base use 1"];

fn prepare_journal(dir: &Path) -> Result<Store, BoxError> {
    let (store, _code) = Store::create(dir, PASS, fast())?;
    for note in BASE {
        store.add_use(&a_use(note))?;
    }
    store.add_checkin(&a_checkin(0, "base check-in"))?;
    Ok(store)
}

fn base_present(store: &Store) -> Result<(), Broken> {
    let notes = use_notes(store)?;
    for b in BASE {
        if !notes.contains(b) {
            return Err(Broken::Lost(format!("the entry {b:?} from before is gone")));
        }
    }
    Ok(())
}

/// Every case, for the child processes to find theirs by name.
const CASES: &[&dyn Operation] = &[
    &JournalWrites,
    &PassphraseChange,
    &RecoveryCodeChange,
    &BackupExport,
    &BackupImport,
    &SetAsideAndBack,
];

/// The child processes' side (see holdfast_powercut::child_main); does nothing in a normal run.
#[test]
fn child() {
    child_main(CASES);
}

/// The mount keeps file locks (the kernel does, since the file system implements none): the
/// app's `holdfast.lock` is taken with `File::try_lock`, and SQLite locks with `fcntl`. Plain
/// files only, so this may run in the process that serves the mount.
#[test]
fn the_mount_keeps_locks() {
    holdfast_powercut::check_fuse_available().expect("FUSE");
    let root = std::env::temp_dir().join(format!("holdfast-powercut-locks-{}", std::process::id()));
    std::fs::create_dir_all(&root).expect("folder");
    let mount =
        holdfast_powercut::Mount::new(holdfast_powercut::Disk::new(0, 0), &root).expect("mount");
    let path = mount.path().join("holdfast.lock");
    let first = std::fs::File::create(&path).expect("create");
    first.try_lock().expect("the first lock");
    let second = std::fs::File::open(&path).expect("open");
    assert!(
        matches!(second.try_lock(), Err(std::fs::TryLockError::WouldBlock)),
        "a second lock on the same file was granted"
    );
    drop(first);
    second.try_lock().expect("the lock, once free");
    drop(second);
    mount.unmount().expect("unmount");
    std::fs::remove_dir(&root).expect("remove the mount point");
}

fn report(op: &dyn Operation) {
    if let Err(e) = holdfast_powercut::check_fuse_available() {
        panic!("{e}");
    }
    match run_and_report(op) {
        Ok(_) => {}
        Err(e) => panic!("{e}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Journal writes: use entries and check-ins through the store's API, then lock.

/// A step is `use <id> <note>` or `check-in <id> <note>` (id 0 while in flight).
fn entry(kind: &str, id: i64, note: &str) -> String {
    format!("{kind} {id} {note}")
}

fn parse_entry(step: &str) -> Option<(&str, i64, &str)> {
    let (kind, rest) = step.split_once(' ')?;
    let (id, note) = rest.split_once(' ')?;
    Some((kind, id.parse().ok()?, note))
}

struct JournalWrites;

const WRITES: u32 = 4;

impl Operation for JournalWrites {
    fn name(&self) -> &'static str {
        "journal writes"
    }

    fn prepare(&self, dir: &Path) -> Result<(), BoxError> {
        prepare_journal(dir)?.lock();
        Ok(())
    }

    fn run(&self, dir: &Path, log: &Log) -> Result<(), BoxError> {
        let store = Store::unlock(dir, PASS, fast())?;
        for i in 0..WRITES {
            let note = format!("use {i}");
            log.attempt(&entry("use", 0, &note));
            let id = store.add_use(&a_use(&note))?;
            log.ack(&entry("use", id, &note));
            let note = format!("check-in {i}");
            log.attempt(&entry("check-in", 0, &note));
            let id = store.add_checkin(&a_checkin(i + 1, &note))?;
            log.ack(&entry("check-in", id, &note));
        }
        store.lock();
        Ok(())
    }

    fn check(&self, dir: &Path, outcome: &Outcome) -> Result<(), Broken> {
        let store = open_checked(dir, PASS)?;
        base_present(&store)?;
        let uses: Vec<(i64, String)> = store
            .list_uses()
            .map_err(|e| Broken::Integrity(format!("listing uses: {e}")))?
            .into_iter()
            .map(|u| (u.id, u.record.note.unwrap_or_default()))
            .collect();
        let checkins: Vec<(i64, String)> = store
            .list_checkins()
            .map_err(|e| Broken::Integrity(format!("listing check-ins: {e}")))?
            .into_iter()
            .map(|c| (c.id, c.record.note.unwrap_or_default()))
            .collect();
        for a in &outcome.acked {
            let Some((kind, id, note)) = parse_entry(a) else {
                return Err(Broken::Other(format!("unreadable step {a:?}")));
            };
            let list = if kind == "use" { &uses } else { &checkins };
            if !list.contains(&(id, note.to_owned())) {
                return Err(Broken::Lost(format!("acknowledged {a:?} is missing")));
            }
        }
        // Nothing that was never written, and nothing from later than the cut.
        let attempted: BTreeSet<String> = outcome
            .attempted
            .iter()
            .filter_map(|a| parse_entry(a).map(|(_, _, note)| note.to_owned()))
            .collect();
        for (_, note) in uses.iter().chain(&checkins) {
            let base = BASE.contains(&note.as_str()) || note == "base check-in";
            if !base && !attempted.contains(note) {
                return Err(Broken::Other(format!(
                    "{note:?} is there but was never started before the cut"
                )));
            }
        }
        Ok(())
    }
}

#[test]
fn journal_writes_survive_power_cuts() {
    report(&JournalWrites);
}

// ---------------------------------------------------------------------------------------------
// Passphrase change: two changes in a row.

const SECRETS: [&str; 3] = [PASS, "second passphrase here", "third passphrase here"];

struct PassphraseChange;

/// A step is the index in [`SECRETS`] of the passphrase in force after it.
impl Operation for PassphraseChange {
    fn name(&self) -> &'static str {
        "passphrase change"
    }

    fn prepare(&self, dir: &Path) -> Result<(), BoxError> {
        prepare_journal(dir)?.lock();
        Ok(())
    }

    fn run(&self, dir: &Path, log: &Log) -> Result<(), BoxError> {
        let mut store = Store::unlock(dir, SECRETS[0], fast())?;
        for i in 1..SECRETS.len() {
            log.attempt(&i.to_string());
            store.change_passphrase(SECRETS[i - 1], SECRETS[i])?;
            log.ack(&i.to_string());
        }
        store.lock();
        Ok(())
    }

    fn check(&self, dir: &Path, outcome: &Outcome) -> Result<(), Broken> {
        let index = |s: &String| s.parse::<usize>().unwrap_or(usize::MAX);
        let now = outcome.acked.last().map_or(0, index);
        let mut legal = vec![now];
        legal.extend(outcome.in_flight().iter().map(index));
        let mut opened = None;
        for (i, secret) in SECRETS.iter().enumerate() {
            if let Ok(store) = open_checked(dir, secret) {
                if !legal.contains(&i) {
                    return Err(Broken::Lost(format!(
                        "passphrase {i} opens the journal, but the change to {now} was acknowledged"
                    )));
                }
                opened = Some(store);
            }
        }
        let Some(store) = opened else {
            // Say why the legal ones fail.
            let why = open_checked(dir, SECRETS[now]).err();
            return Err(Broken::Integrity(format!(
                "the journal opens with none of the passphrases legal here ({legal:?}): {why:?}"
            )));
        };
        base_present(&store)
    }
}

#[test]
fn passphrase_change_survives_power_cuts() {
    report(&PassphraseChange);
}

// ---------------------------------------------------------------------------------------------
// Recovery-code change: two new codes in a row.

struct RecoveryCodeChange;

const FIRST_CODE: &str = "first-recovery-code";

/// A step is the recovery code in force after it, as shown to the person.
impl Operation for RecoveryCodeChange {
    fn name(&self) -> &'static str {
        "recovery code change"
    }

    fn prepare(&self, dir: &Path) -> Result<(), BoxError> {
        let code = RecoveryCode::generate()?;
        std::fs::write(fixtures(dir).join(FIRST_CODE), code.display().as_bytes())?;
        let store = Store::create_with_code(dir, PASS, &code, fast())?;
        for note in BASE {
            store.add_use(&a_use(note))?;
        }
        store.lock();
        Ok(())
    }

    fn run(&self, dir: &Path, log: &Log) -> Result<(), BoxError> {
        let mut store = Store::unlock(dir, PASS, fast())?;
        for _ in 0..2 {
            let code = RecoveryCode::generate()?;
            let shown = code.display().to_string();
            log.attempt(&shown);
            store.set_recovery_code(PASS, &code)?;
            log.ack(&shown);
        }
        store.lock();
        Ok(())
    }

    fn check(&self, dir: &Path, outcome: &Outcome) -> Result<(), Broken> {
        {
            let store = open_checked(dir, PASS)?;
            base_present(&store)?;
        }
        let first = std::fs::read_to_string(fixtures(dir).join(FIRST_CODE))
            .map_err(|e| Broken::Other(format!("the first code's fixture: {e}")))?;
        let now = outcome
            .acked
            .last()
            .cloned()
            .unwrap_or_else(|| first.clone());
        let mut legal = vec![now.clone()];
        legal.extend(outcome.in_flight().iter().cloned());
        let mut all = vec![first];
        all.extend(outcome.attempted.iter().cloned());
        // Codes that must no longer work first: a wrong code changes nothing. The first code
        // that works issues a new one, so the legal ones come last.
        for code in all.iter().filter(|c| !legal.contains(c)) {
            if Store::unlock_with_recovery(dir, code, "a new passphrase", fast()).is_ok() {
                return Err(Broken::Lost(format!(
                    "an older recovery code still works after the change to {now} was acknowledged"
                )));
            }
        }
        for code in &legal {
            if Store::unlock_with_recovery(dir, code, "a new passphrase", fast()).is_ok() {
                return Ok(());
            }
        }
        Err(Broken::Integrity(
            "no legal recovery code opens the journal".to_owned(),
        ))
    }
}

#[test]
fn recovery_code_change_survives_power_cuts() {
    report(&RecoveryCodeChange);
}

// ---------------------------------------------------------------------------------------------
// Backup export: two backups written into the backup folder the way the app writes them
// (`fsutil::write_new`: whole or not at all, never over another file).

const BACKUPS: &str = "backups";

struct BackupExport;

/// A step is the backup file's name.
impl Operation for BackupExport {
    fn name(&self) -> &'static str {
        "backup export"
    }

    fn prepare(&self, dir: &Path) -> Result<(), BoxError> {
        prepare_journal(dir)?.lock();
        holdfast_store::create_private_dir(&dir.join(BACKUPS))?;
        fsutil::sync_dir(dir)?;
        Ok(())
    }

    fn run(&self, dir: &Path, log: &Log) -> Result<(), BoxError> {
        let store = Store::unlock(dir, PASS, fast())?;
        for i in 0..2 {
            let bytes = store.export_backup(BACKUP_PASS)?;
            let name = format!("holdfast-{i}.hfbackup");
            log.attempt(&name);
            if !fsutil::write_new(&dir.join(BACKUPS), &name, &bytes)? {
                return Err(format!("{name} exists already").into());
            }
            log.ack(&name);
        }
        store.lock();
        Ok(())
    }

    fn check(&self, dir: &Path, outcome: &Outcome) -> Result<(), Broken> {
        {
            let store = open_checked(dir, PASS)?;
            base_present(&store)?;
        }
        let folder = dir.join(BACKUPS);
        let names: BTreeSet<String> = std::fs::read_dir(&folder)
            .map_err(|e| Broken::Lost(format!("the backup folder: {e}")))?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        for name in &outcome.acked {
            if !names.contains(name) {
                return Err(Broken::Lost(format!(
                    "acknowledged backup {name} is missing"
                )));
            }
        }
        // Every file under a backup's name is a whole backup, acknowledged or not.
        for name in names.iter().filter(|n| !n.starts_with(".holdfast-tmp-")) {
            let bytes = std::fs::read(folder.join(name))
                .map_err(|e| Broken::Integrity(format!("reading {name}: {e}")))?;
            let summary = inspect_backup(&bytes, BACKUP_PASS, &fast())
                .map_err(|e| Broken::Integrity(format!("{name} is not a whole backup: {e}")))?;
            if summary.uses != BASE.len() as u32 || summary.checkins != 1 {
                return Err(Broken::Integrity(format!(
                    "{name} holds {} uses and {} check-ins",
                    summary.uses, summary.checkins
                )));
            }
        }
        Ok(())
    }
}

#[test]
fn backup_export_survives_power_cuts() {
    report(&BackupExport);
}

// ---------------------------------------------------------------------------------------------
// Backup import (restore): replaces the whole journal with a backup's content.

struct BackupImport;

const BACKUP_FIXTURE: &str = "backup.hfbackup";

const LATER: [&str; 2] = ["after the backup 0", "after the backup 1"];

/// The one step is `restore`.
impl Operation for BackupImport {
    fn name(&self) -> &'static str {
        "backup import"
    }

    fn prepare(&self, dir: &Path) -> Result<(), BoxError> {
        let store = prepare_journal(dir)?;
        std::fs::write(
            fixtures(dir).join(BACKUP_FIXTURE),
            store.export_backup(BACKUP_PASS)?,
        )?;
        for note in LATER {
            store.add_use(&a_use(note))?;
        }
        store.lock();
        Ok(())
    }

    fn run(&self, dir: &Path, log: &Log) -> Result<(), BoxError> {
        let bytes = std::fs::read(fixtures(dir).join(BACKUP_FIXTURE))?;
        let mut store = Store::unlock(dir, PASS, fast())?;
        log.attempt("restore");
        store.import_backup(&bytes, BACKUP_PASS)?;
        log.ack("restore");
        store.lock();
        Ok(())
    }

    fn check(&self, dir: &Path, outcome: &Outcome) -> Result<(), Broken> {
        let store = open_checked(dir, PASS)?;
        base_present(&store)?;
        let notes = use_notes(&store)?;
        let later = LATER.iter().filter(|n| notes.contains(**n)).count();
        match (later, outcome.acked.is_empty()) {
            (0, _) => Ok(()),
            (2, true) => Ok(()),
            (2, false) => Err(Broken::Lost(
                "the acknowledged restore is undone: the journal from before is back".to_owned(),
            )),
            _ => Err(Broken::Integrity(format!(
                "the journal is half old, half restored: {notes:?}"
            ))),
        }
    }
}

#[test]
fn backup_import_survives_power_cuts() {
    report(&BackupImport);
}

// ---------------------------------------------------------------------------------------------
// Setting the journal aside and putting it back (`files.rs`).

struct SetAsideAndBack;

/// Whether the journal in `dir` (a data folder or a set-aside folder) is whole.
fn whole(dir: &Path) -> Result<(), Broken> {
    let store = open_checked(dir, PASS)?;
    base_present(&store)
}

/// Steps: `set-aside <folder name>` (no name while in flight), then `put-back`.
impl Operation for SetAsideAndBack {
    fn name(&self) -> &'static str {
        "set aside + put back"
    }

    fn prepare(&self, dir: &Path) -> Result<(), BoxError> {
        prepare_journal(dir)?.lock();
        Ok(())
    }

    fn run(&self, dir: &Path, log: &Log) -> Result<(), BoxError> {
        log.attempt("set-aside");
        let folder = set_aside(dir, Utc::now(), SetAsideReason::LockScreen)?;
        let name = folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        log.ack(&format!("set-aside {name}"));
        log.attempt("put-back");
        put_back(dir, &name, Utc::now())?;
        log.ack("put-back");
        Ok(())
    }

    fn check(&self, dir: &Path, outcome: &Outcome) -> Result<(), Broken> {
        let aside = list_set_aside(dir)
            .map_err(|e| Broken::Integrity(format!("listing set-aside journals: {e}")))?;
        let last = outcome.acked.last().map(String::as_str);
        match (last, outcome.in_flight().is_empty()) {
            (Some("put-back"), _) => {
                return whole(dir).map_err(|e| {
                    Broken::Lost(format!("put back was acknowledged, but in place: {e}"))
                })
            }
            (Some(step), true) if step.starts_with("set-aside ") => {
                let name = step.trim_start_matches("set-aside ");
                if let Err(e) = whole(&dir.join(name)) {
                    return Err(Broken::Lost(format!(
                        "set aside into {name} was acknowledged, but there: {e}"
                    )));
                }
                return match status(dir) {
                    Status::FirstRun => Ok(()),
                    other => Err(Broken::Other(format!(
                        "set aside was acknowledged, but the data folder is {other:?}"
                    ))),
                };
            }
            _ => {}
        }
        // Cut mid-way: the journal must be whole in place, or become whole the way the app
        // offers, by putting back a set-aside journal (each in turn, as a person would).
        let first = status(dir);
        if whole(dir).is_ok() {
            return Ok(());
        }
        let mut tried = Vec::new();
        for s in &aside {
            let done = put_back(dir, &s.name, Utc::now());
            let now = whole(dir);
            if now.is_ok() {
                return Ok(());
            }
            tried.push(format!("put back {}: {done:?}, then {now:?}", s.name));
        }
        Err(Broken::Lost(format!(
            "the journal is whole nowhere and putting back does not make it whole: the data \
             folder was {first:?}; set aside: {aside:?}; {tried:?}"
        )))
    }
}

#[test]
fn set_aside_and_put_back_survive_power_cuts() {
    report(&SetAsideAndBack);
}
