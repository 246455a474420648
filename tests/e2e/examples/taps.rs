//! Tap to screen on a ten-year journal, through the real window (issue #18): for each flow, the
//! time from a tap (a `click()` in the page) until the screen it leads to is in the page (script,
//! IPC and Rust's work), and until the frame after that (painted). Measured inside the page with
//! `performance.now()` and a MutationObserver, so WebDriver's own round trips are not counted.
//!
//! Run on demand (no timed tests in CI): `scripts/measure-taps.sh [reps]`, which builds the
//! release binary and this example. By hand:
//! `HOLDFAST_APP=target/release/holdfast cargo run --release -p holdfast-e2e --example taps -- 20`

use std::fs;
use std::path::Path;
use std::time::Duration;

use holdfast_e2e::harness::Harness;
use holdfast_e2e::pages::{click, fill, tid, window_hash, KDF_WAIT, WAIT};
use holdfast_e2e::webdriver::Session;
use holdfast_e2e::Result;
use holdfast_store::{KdfParams, Store, StoreOptions};
use serde_json::{json, Value};

#[path = "../../../core/store/benches/common/ten_years.rs"]
mod ten_years;

const PASS: &str = "maple trout visor quilt";
const BACKUP_PASS: &str = "heron lantern mossy cobalt";

/// In the page: taps `arguments[0]` (or follows it, for a `#/route`), then waits until `arguments[1]` matches (and, if
/// `arguments[2]` is set, its text contains it); answers {dom, painted} in ms, or {error}.
const TAP: &str = r##"
const [tapCss, waitCss, wantText, done] = arguments;
// A "#/route" is followed as a tapped link to it would be (History has no tab of its own).
const target = tapCss.startsWith('#/') ? { click: () => { window.location.hash = tapCss; } } : document.querySelector(tapCss);
if (!target) { done({ error: 'nothing to tap at ' + tapCss }); return; }
const ready = () => {
  const el = document.querySelector(waitCss);
  return !!el && (!wantText || el.textContent.includes(wantText));
};
let finished = false;
const obs = new MutationObserver(() => { if (ready()) finish(); });
const t0 = performance.now();
function finish() {
  if (finished) return;
  finished = true;
  obs.disconnect();
  const dom = performance.now() - t0;
  requestAnimationFrame(() => done({ dom, painted: performance.now() - t0 }));
}
obs.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
target.click();
if (ready()) finish();
setTimeout(() => { if (!finished) { finished = true; obs.disconnect(); done({ error: 'timed out waiting for ' + waitCss }); } }, 20000);
"##;

#[derive(Debug, Default)]
struct Figures {
    dom: Vec<f64>,
    painted: Vec<f64>,
}

fn tap(session: &Session, tap_css: &str, wait_css: &str, text: Option<&str>) -> Result<(f64, f64)> {
    let v = session.execute_async(TAP, vec![json!(tap_css), json!(wait_css), json!(text)])?;
    if let Some(e) = v.get("error").and_then(Value::as_str) {
        return Err(e.to_owned().into());
    }
    let num = |k: &str| v.get(k).and_then(Value::as_f64).unwrap_or(f64::NAN);
    Ok((num("dom"), num("painted")))
}

fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn report(name: &str, f: &Figures) {
    let max = |xs: &[f64]| xs.iter().copied().fold(f64::NAN, f64::max);
    let min = |xs: &[f64]| xs.iter().copied().fold(f64::NAN, f64::min);
    println!(
        "| {name} | {:.1} ms ({:.1}–{:.1}) | {:.1} ms ({:.1}–{:.1}) | {} |",
        median(&f.dom),
        min(&f.dom),
        max(&f.dom),
        median(&f.painted),
        min(&f.painted),
        max(&f.painted),
        f.dom.len()
    );
}

/// Ten years of journal (3,650 check-ins, 2,000 uses, 50 breaks) in `data`, with the production
/// key derivation, and a backup of it in `backups`.
fn ten_year_journal(data: &Path, backups: &Path) -> Result<()> {
    let (uses, breaks, checkins) = ten_years::ten_years();
    fs::create_dir_all(data)?;
    let (store, _) = Store::create(data, PASS, StoreOptions::with_kdf(KdfParams::PRODUCTION))?;
    for e in &uses {
        store.add_use(e)?;
    }
    for e in &breaks {
        store.add_break(e)?;
    }
    for e in &checkins {
        store.add_checkin(e)?;
    }
    fs::create_dir_all(backups)?;
    let bytes = store.export_backup(BACKUP_PASS)?;
    fs::write(backups.join("holdfast-backup-2026-01-02.hfbackup"), bytes)?;
    store.lock();
    Ok(())
}

fn main() -> Result<()> {
    let reps: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    let harness = Harness::start()?;
    let data = harness.scratch().join("data");
    let backups = harness.backup_dir();
    eprintln!("writing a ten-year journal (5,700 durable writes)...");
    ten_year_journal(&data, &backups)?;
    let app = holdfast_e2e::harness::app_binary();
    eprintln!("driving {}", app.display());
    let session = harness.launch_with(&app, &["--data-dir".into(), data.display().to_string()])?;
    session.set_window_size(1280, 800)?;

    // The overdose response: Next, from each step to the next.
    let mut next = Figures::default();
    window_hash(&session, "#/emergency")?;
    session.find(&tid("step-count"), WAIT)?;
    while next.dom.len() < reps {
        let count = session.find_text(&tid("step-count"), WAIT)?;
        let (at, of) = parse_count(&count).ok_or(format!("step count {count:?}"))?;
        if at == of {
            for _ in 1..of {
                click(&session, &tid("step-back"))?;
            }
            continue;
        }
        let (dom, painted) = tap(
            &session,
            &tid("step-next"),
            &tid("step-count"),
            Some(&format!("Step {} of", at + 1)),
        )?;
        next.dom.push(dom);
        next.painted.push(painted);
    }

    // Unlock on Home (one production key derivation, then Home's journal data).
    let mut unlock = Figures::default();
    for _ in 0..reps.min(5) {
        window_hash(&session, "#/home")?;
        session.find(&tid("unlock-passphrase"), WAIT)?;
        fill(&session, &tid("unlock-passphrase"), PASS)?;
        let (dom, painted) = tap(&session, &tid("unlock-submit"), &tid("days-card"), None)?;
        unlock.dom.push(dom);
        unlock.painted.push(painted);
        click(&session, &tid("lock-button"))?;
        session.find(&tid("unlock-passphrase"), WAIT)?;
    }
    fill(&session, &tid("unlock-passphrase"), PASS)?;
    click(&session, &tid("unlock-submit"))?;
    session.find(&tid("days-card"), KDF_WAIT)?;

    // Home, History: a tap on the navigation from About.
    let mut home = Figures::default();
    let mut history = Figures::default();
    for _ in 0..reps {
        window_hash(&session, "#/about")?;
        let (dom, painted) = tap(
            &session,
            "nav a[href='#/home']",
            "[data-testid='tolerance-card']",
            None,
        )?;
        home.dom.push(dom);
        home.painted.push(painted);
        window_hash(&session, "#/about")?;
        let (dom, painted) = tap(
            &session,
            "#/history",
            "[data-testid='use-list'] [data-testid='use-entry']",
            None,
        )?;
        history.dom.push(dom);
        history.painted.push(painted);
    }

    // Today's check-in, saved (the first save adds it, the others update it), then backup
    // inspect (one production key derivation for the backup's passphrase). A flow that cannot
    // be driven is reported as not measured, and the others still are.
    let mut save = Figures::default();
    let mut inspect = Figures::default();
    let mut problems = Vec::new();
    let mut saving = || -> Result<()> {
        for i in 0..reps {
            window_hash(&session, "#/about")?;
            window_hash(&session, "#/checkin")?;
            session.find(&tid("checkin-save"), WAIT)?;
            let mood = (i % 5 + 1).to_string();
            click(
                &session,
                &format!("[data-testid='choice-mood'] input[data-value='{mood}']"),
            )?;
            click(
                &session,
                "[data-testid='choice-used'] input[data-value='false']",
            )?;
            let (dom, painted) = tap(&session, &tid("checkin-save"), &tid("checkin-saved"), None)?;
            save.dom.push(dom);
            save.painted.push(painted);
        }
        Ok(())
    };
    if let Err(e) = saving() {
        problems.push(format!("check-in: Save not measured: {e}"));
    }
    let mut inspecting = || -> Result<()> {
        for _ in 0..reps.min(5) {
            window_hash(&session, "#/about")?;
            window_hash(&session, "#/settings")?;
            click(&session, &tid("backup-choice"))?;
            fill(&session, &tid("restore-passphrase"), BACKUP_PASS)?;
            let (dom, painted) = tap(
                &session,
                &tid("restore-inspect"),
                &tid("backup-summary"),
                None,
            )?;
            inspect.dom.push(dom);
            inspect.painted.push(painted);
        }
        Ok(())
    };
    if let Err(e) = inspecting() {
        problems.push(format!("backup inspect not measured: {e}"));
    }
    drop(session);
    std::thread::sleep(Duration::from_millis(200));

    println!(
        "\ntap to screen on a ten-year journal, {}: median (min–max) over the runs",
        app.display()
    );
    println!("| tap | in the page (script + IPC + Rust) | painted (the frame after) | runs |");
    println!("|---|---|---|---|");
    report("overdose response: Next step", &next);
    report("Home after a tap on Home (unlocked)", &home);
    report("History after following a link to it", &history);
    report("check-in: Save", &save);
    report(
        "unlock on Home (includes one production key derivation)",
        &unlock,
    );
    report(
        "backup: See what it holds (includes one production key derivation)",
        &inspect,
    );
    Ok(())
}

/// "Step 2 of 7" as (2, 7).
fn parse_count(text: &str) -> Option<(usize, usize)> {
    let mut nums = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok());
    Some((nums.next()?, nums.next()?))
}
