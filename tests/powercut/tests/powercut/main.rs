//! The journal store's operations, cut at many points by a power cut (issue #14).
//!
//! Each case is one [`Operation`] over a data folder: what it prepares, what it does (noting
//! what the store acknowledged), and what must hold after any cut. Key rotation is one more case
//! here once the store has it. Soak mode: `HOLDFAST_POWERCUT_SOAK=1000`; replay a failure with
//! the `HOLDFAST_POWERCUT_SEED` it prints. See docs/testing.md.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Mutex;

use chrono::{Duration, NaiveDate, Utc};
use holdfast_domain::records::{Checkin, EventTime, Substance, UseEntry};
use holdfast_powercut::{run_and_report, BoxError, Broken, Log, Operation, Outcome};
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

fn report<O: Operation>(op: &O) {
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

#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    Use { id: i64, note: String },
    Checkin { id: i64, note: String },
}

struct JournalWrites;

const WRITES: u32 = 4;

impl Operation for JournalWrites {
    type Ack = Entry;

    fn name(&self) -> &'static str {
        "journal writes"
    }

    fn prepare(&self, dir: &Path) -> Result<(), BoxError> {
        prepare_journal(dir)?.lock();
        Ok(())
    }

    fn run(&self, dir: &Path, log: &Log<Entry>) -> Result<(), BoxError> {
        let store = Store::unlock(dir, PASS, fast())?;
        for i in 0..WRITES {
            let note = format!("use {i}");
            log.attempt(Entry::Use {
                id: 0,
                note: note.clone(),
            });
            let id = store.add_use(&a_use(&note))?;
            log.ack(Entry::Use { id, note });
            let note = format!("check-in {i}");
            log.attempt(Entry::Checkin {
                id: 0,
                note: note.clone(),
            });
            let id = store.add_checkin(&a_checkin(i + 1, &note))?;
            log.ack(Entry::Checkin { id, note });
        }
        store.lock();
        Ok(())
    }

    fn check(&self, dir: &Path, outcome: &Outcome<Entry>) -> Result<(), Broken> {
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
            let (found, what) = match a {
                Entry::Use { id, note } => (uses.contains(&(*id, note.clone())), "use"),
                Entry::Checkin { id, note } => {
                    (checkins.contains(&(*id, note.clone())), "check-in")
                }
            };
            if !found {
                return Err(Broken::Lost(format!(
                    "acknowledged {what} {a:?} is missing"
                )));
            }
        }
        // Nothing that was never written, and nothing from later than the cut.
        let attempted: BTreeSet<String> = outcome
            .attempted
            .iter()
            .map(|a| match a {
                Entry::Use { note, .. } | Entry::Checkin { note, .. } => note.clone(),
            })
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

impl Operation for PassphraseChange {
    /// The index in [`SECRETS`] of the passphrase in force.
    type Ack = usize;

    fn name(&self) -> &'static str {
        "passphrase change"
    }

    fn prepare(&self, dir: &Path) -> Result<(), BoxError> {
        prepare_journal(dir)?.lock();
        Ok(())
    }

    fn run(&self, dir: &Path, log: &Log<usize>) -> Result<(), BoxError> {
        let mut store = Store::unlock(dir, SECRETS[0], fast())?;
        for i in 1..SECRETS.len() {
            log.attempt(i);
            store.change_passphrase(SECRETS[i - 1], SECRETS[i])?;
            log.ack(i);
        }
        store.lock();
        Ok(())
    }

    fn check(&self, dir: &Path, outcome: &Outcome<usize>) -> Result<(), Broken> {
        let now = outcome.acked.last().copied().unwrap_or(0);
        let mut legal = vec![now];
        legal.extend(outcome.in_flight());
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

struct RecoveryCodeChange {
    first: Mutex<String>,
}

impl Operation for RecoveryCodeChange {
    /// The code in force, as shown to the person.
    type Ack = String;

    fn name(&self) -> &'static str {
        "recovery code change"
    }

    fn prepare(&self, dir: &Path) -> Result<(), BoxError> {
        let code = RecoveryCode::generate()?;
        *self.first.lock().expect("lock") = code.display().to_string();
        let store = Store::create_with_code(dir, PASS, &code, fast())?;
        for note in BASE {
            store.add_use(&a_use(note))?;
        }
        store.lock();
        Ok(())
    }

    fn run(&self, dir: &Path, log: &Log<String>) -> Result<(), BoxError> {
        let mut store = Store::unlock(dir, PASS, fast())?;
        for _ in 0..2 {
            let code = RecoveryCode::generate()?;
            let shown = code.display().to_string();
            log.attempt(shown.clone());
            store.set_recovery_code(PASS, &code)?;
            log.ack(shown);
        }
        store.lock();
        Ok(())
    }

    fn check(&self, dir: &Path, outcome: &Outcome<String>) -> Result<(), Broken> {
        {
            let store = open_checked(dir, PASS)?;
            base_present(&store)?;
        }
        let first = self.first.lock().expect("lock").clone();
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
    report(&RecoveryCodeChange {
        first: Mutex::new(String::new()),
    });
}

// ---------------------------------------------------------------------------------------------
// Backup export: two backups written into the backup folder the way the app writes them
// (`fsutil::write_new`: whole or not at all, never over another file).

const BACKUPS: &str = "backups";

struct BackupExport;

impl Operation for BackupExport {
    /// The backup file's name.
    type Ack = String;

    fn name(&self) -> &'static str {
        "backup export"
    }

    fn prepare(&self, dir: &Path) -> Result<(), BoxError> {
        prepare_journal(dir)?.lock();
        holdfast_store::create_private_dir(&dir.join(BACKUPS))?;
        fsutil::sync_dir(dir)?;
        Ok(())
    }

    fn run(&self, dir: &Path, log: &Log<String>) -> Result<(), BoxError> {
        let store = Store::unlock(dir, PASS, fast())?;
        for i in 0..2 {
            let bytes = store.export_backup(BACKUP_PASS)?;
            let name = format!("holdfast-{i}.hfbackup");
            log.attempt(name.clone());
            if !fsutil::write_new(&dir.join(BACKUPS), &name, &bytes)? {
                return Err(format!("{name} exists already").into());
            }
            log.ack(name);
        }
        store.lock();
        Ok(())
    }

    fn check(&self, dir: &Path, outcome: &Outcome<String>) -> Result<(), Broken> {
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
            let summary = inspect_backup(&bytes, BACKUP_PASS, Utc::now())
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

struct BackupImport {
    backup: Mutex<Vec<u8>>,
}

const LATER: [&str; 2] = ["after the backup 0", "after the backup 1"];

impl Operation for BackupImport {
    type Ack = ();

    fn name(&self) -> &'static str {
        "backup import"
    }

    fn prepare(&self, dir: &Path) -> Result<(), BoxError> {
        let store = prepare_journal(dir)?;
        *self.backup.lock().expect("lock") = store.export_backup(BACKUP_PASS)?;
        for note in LATER {
            store.add_use(&a_use(note))?;
        }
        store.lock();
        Ok(())
    }

    fn run(&self, dir: &Path, log: &Log<()>) -> Result<(), BoxError> {
        let bytes = self.backup.lock().expect("lock").clone();
        let mut store = Store::unlock(dir, PASS, fast())?;
        log.attempt(());
        store.import_backup(&bytes, BACKUP_PASS)?;
        log.ack(());
        store.lock();
        Ok(())
    }

    fn check(&self, dir: &Path, outcome: &Outcome<()>) -> Result<(), Broken> {
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
    report(&BackupImport {
        backup: Mutex::new(Vec::new()),
    });
}

// ---------------------------------------------------------------------------------------------
// Setting the journal aside and putting it back (`files.rs`).

#[derive(Debug, Clone, PartialEq, Eq)]
enum Move {
    SetAside(String),
    PutBack,
}

struct SetAsideAndBack;

/// Whether the journal in `dir` (a data folder or a set-aside folder) is whole.
fn whole(dir: &Path) -> Result<(), Broken> {
    let store = open_checked(dir, PASS)?;
    base_present(&store)
}

impl Operation for SetAsideAndBack {
    type Ack = Move;

    fn name(&self) -> &'static str {
        "set aside + put back"
    }

    fn prepare(&self, dir: &Path) -> Result<(), BoxError> {
        prepare_journal(dir)?.lock();
        Ok(())
    }

    fn run(&self, dir: &Path, log: &Log<Move>) -> Result<(), BoxError> {
        log.attempt(Move::SetAside(String::new()));
        let folder = set_aside(dir, Utc::now(), SetAsideReason::LockScreen)?;
        let name = folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        log.ack(Move::SetAside(name.clone()));
        log.attempt(Move::PutBack);
        put_back(dir, &name, Utc::now())?;
        log.ack(Move::PutBack);
        Ok(())
    }

    fn check(&self, dir: &Path, outcome: &Outcome<Move>) -> Result<(), Broken> {
        let aside = list_set_aside(dir)
            .map_err(|e| Broken::Integrity(format!("listing set-aside journals: {e}")))?;
        match (outcome.acked.last(), outcome.in_flight().is_empty()) {
            (Some(Move::PutBack), _) => {
                return whole(dir).map_err(|e| {
                    Broken::Lost(format!("put back was acknowledged, but in place: {e}"))
                })
            }
            (Some(Move::SetAside(name)), true) => {
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
