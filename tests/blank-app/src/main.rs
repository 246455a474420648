//! The blank baseline: a Tauri 2 app that opens Holdfast's window on a page with one heading and
//! one button, and reports when that page has painted. `scripts/measure-baseline.sh` launches it
//! and Holdfast alternately and compares start-up, memory and binary size.

use std::sync::OnceLock;
use std::time::Instant;

static STARTED: OnceLock<Instant> = OnceLock::new();

/// Called by the page two frames after its script ran; prints the line the measuring script reads.
#[tauri::command]
fn first_render() -> u64 {
    let ms = STARTED.get().map_or(0, |t| {
        u64::try_from(t.elapsed().as_millis()).unwrap_or(u64::MAX)
    });
    println!("holdfast: first screen rendered after {ms} ms");
    ms
}

/// Touches each heavy crate Holdfast links, so the linker keeps it (like with like).
fn link_like_holdfast() {
    let sqlite = rusqlite::version();
    let random = ring::rand::SystemRandom::new();
    let mut byte = [0u8; 1];
    let _ = ring::rand::SecureRandom::fill(&random, &mut byte);
    let note = notify_rust::Notification::new()
        .summary("baseline")
        .finalize();
    if std::env::var_os("HOLDFAST_BASELINE_VERBOSE").is_some() {
        eprintln!("baseline: SQLite {sqlite}, {note:?}");
    }
}

fn main() {
    let _ = STARTED.set(Instant::now());
    link_like_holdfast();
    let result = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![first_render])
        .run(tauri::generate_context!());
    if let Err(err) = result {
        eprintln!("baseline: {err}");
        std::process::exit(1);
    }
}
