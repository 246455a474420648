//! Hostile IPC, generated (issue #14): every command called through the command layer
//! ([`holdfast_app::commands::dispatch`], which takes its arguments from JSON the way the shell's
//! Tauri adapters do) with generated wrong types, huge strings, deep JSON and boundary numbers,
//! on an open journal. Whatever comes in: no panic, a refused call changes nothing in the data
//! folder, and the app still answers afterwards.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use holdfast_app::commands::{command_types, dispatch};
use proptest::prelude::*;
use serde_json::{json, Value};

use crate::use_cases::{app, set_up};

/// A value of any shape a hostile caller might send: wrong types, boundary numbers, huge and odd
/// strings, deep nesting, and objects with the right or wrong keys.
fn hostile_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        prop_oneof![
            Just(i64::MIN),
            Just(-1i64),
            Just(0i64),
            Just(1i64),
            Just(i64::from(u32::MAX) + 1),
            Just(i64::MAX),
            any::<i64>(),
        ]
        .prop_map(|n| json!(n)),
        prop_oneof![Just(u64::MAX), any::<u64>()].prop_map(|n| json!(n)),
        (0u32..200).prop_map(|n| json!(n)),
        prop_oneof![Just(-0.5f64), Just(1e308), Just(f64::MIN_POSITIVE)].prop_map(|f| json!(f)),
        ".{0,40}".prop_map(Value::String),
        ".{0,3}".prop_map(Value::String),
        (1usize..=3).prop_map(|mb| Value::String("x".repeat(mb * 1024 * 1024))),
        Just(json!("\u{0}\u{202e}\u{feff}é\u{301}")),
        Just(json!("2026-13-45")),
        Just(json!("../../etc/passwd")),
        Just(json!("ERASE")),
    ];
    let deep = (50usize..400).prop_map(|depth| {
        let mut v = json!(1);
        for _ in 0..depth {
            v = json!([v]);
        }
        v
    });
    prop_oneof![
        4 => leaf.clone(),
        1 => deep,
        2 => prop::collection::vec(leaf.clone(), 0..5).prop_map(Value::Array),
        2 => prop::collection::btree_map("[a-z_]{1,12}", leaf, 0..6)
            .prop_map(|m| Value::Object(m.into_iter().collect())),
    ]
}

/// A value of the argument's own type (as the command map names it), so that the call gets
/// past deserialisation into the use case: a plausible string, a small number or a boolean.
fn typed_value(ts: &str, text: &str, number: u32, flag: bool) -> Option<Value> {
    match ts {
        "string" => Some(json!(text)),
        "number" => Some(json!(number)),
        "boolean" => Some(json!(flag)),
        _ => None,
    }
}

fn plausible_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,30}",
        ".{0,3}",
        Just("ERASE".to_owned()),
        Just("us".to_owned()),
        Just("uk".to_owned()),
        Just("2026-01-01".to_owned()),
        Just("set-aside-20260101T000000Z".to_owned()),
        Just("tel:911".to_owned()),
        // A strong passphrase, never the journal's own: a call that knows it may erase the
        // journal, which is not a refusal.
        Just("plaza robin ozone cedar".to_owned()),
        Just("/tmp/x.hfbackup".to_owned()),
    ]
}

/// The bytes of every file in the data folder, by name. SQLite's shared-memory index
/// (`journal.db-shm`) is left out: a read updates it, and it holds no data (it is rebuilt from
/// the database and its write-ahead log).
fn folder(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else if !path.to_string_lossy().ends_with("-shm") {
                let name = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                out.insert(name, std::fs::read(&path).unwrap_or_default());
            }
        }
    }
    out
}

/// What one call is made with: hostile values, and for each argument whether to send a value
/// of its own type instead, and whether to leave the first argument out or add one.
#[derive(Debug, Clone)]
struct Call {
    values: Vec<Value>,
    typed: Vec<bool>,
    text: String,
    number: u32,
    flag: bool,
    drop_key: bool,
    extra: bool,
}

fn call() -> impl Strategy<Value = Call> {
    (
        prop::collection::vec(hostile_value(), 4),
        prop::collection::vec(any::<bool>(), 4),
        plausible_text(),
        0u32..200,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(values, typed, text, number, flag, drop_key, extra)| Call {
                values,
                typed,
                text,
                number,
                flag,
                drop_key,
                extra,
            },
        )
}

/// The arguments `call` sends to a command taking `args` (name and type).
fn arguments(args: &[(String, String)], call: &Call) -> Value {
    let mut out = serde_json::Map::new();
    for (i, (name, ts)) in args.iter().enumerate() {
        if call.drop_key && i == 0 {
            continue;
        }
        let value = typed_value(ts, &call.text, call.number, call.flag)
            .filter(|_| call.typed[i % call.typed.len()])
            .unwrap_or_else(|| call.values[i % call.values.len()].clone());
        out.insert(name.clone(), value);
    }
    if call.extra {
        out.insert("surprise".to_owned(), call.values[3].clone());
    }
    Value::Object(out)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Each case calls every command once, in the list's order, on one open journal; after a
    /// call that locked it, it is unlocked again so the next call meets an open journal.
    #[test]
    fn any_command_with_any_arguments_never_panics_and_a_refusal_changes_nothing(
        calls in prop::collection::vec(call(), holdfast_commands::NAMES.len()),
    ) {
        let tmp = tempfile::tempdir().expect("temp dir");
        let app = app(tmp.path());
        set_up(&app);
        let data = tmp.path().join("data");
        for (command, call) in command_types().iter().zip(&calls) {
            let args = arguments(&command.args, call);
            let before = folder(&data);
            let answer = catch_unwind(AssertUnwindSafe(|| dispatch(&app, command.name, &args)));
            let answer = match answer {
                Ok(a) => a,
                Err(_) => {
                    return Err(TestCaseError::fail(format!("{} panicked on {args}", command.name)))
                }
            };
            prop_assert!(answer.is_some(), "{} is not dispatched", command.name);
            if let Some(Err(err)) = &answer {
                let after = folder(&data);
                let changed: Vec<&String> = after
                    .iter()
                    .filter(|(name, bytes)| before.get(*name) != Some(bytes))
                    .map(|(name, _)| name)
                    .chain(before.keys().filter(|name| !after.contains_key(*name)))
                    .collect();
                prop_assert!(
                    changed.is_empty(),
                    "{} was refused ({}) but changed {changed:?}",
                    command.name,
                    err.message
                );
            }
            // Still answering; open again for the next command.
            let info = app.session_info();
            prop_assert!(info.is_ok(), "{} left the app not answering", command.name);
            prop_assert!(app.region_state().is_ok());
            if app.journal_view().is_err() {
                prop_assert!(
                    app.unlock(crate::use_cases::PASS.to_owned()).is_ok(),
                    "after {} the journal does not open",
                    command.name
                );
            }
        }
    }
}

/// The dispatcher is the command list: every command is reachable through it, and an unknown
/// name is not.
#[test]
fn every_listed_command_is_dispatched() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let app = app(tmp.path());
    for c in command_types() {
        // `null` for every argument: refused or answered, but dispatched.
        assert!(
            dispatch(&app, c.name, &json!({})).is_some(),
            "{} not dispatched",
            c.name
        );
    }
    assert!(dispatch(&app, "not_a_command", &json!({})).is_none());
}
