//! The start-up timeline (issue #18): where the time goes between `main()` and the first screen
//! a person can use. The shell notes its own steps ([`App::note_startup`]); the page sends its
//! marks (navigation timing, script start, each IPC call it waited for, first paint) with
//! `first_render`. When the measuring script asks (`HOLDFAST_REPORT_STARTUP`), the merged timeline
//! is printed in milliseconds from `main()`; `scripts/measure-baseline.sh --timeline` reads it.

use holdfast_domain::emergency::RegionState;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::settings::AppMode;
use crate::App;

/// What the first screen needs before any IPC, handed to the page by the shell in an
/// initialisation script (`window.__HOLDFAST_BOOT__`), so Home can show the "Someone may be
/// overdosing" button, and the overdose response can ask for its guide, without waiting for a
/// round trip. Plain settings only: nothing of the journal.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BootData {
    /// The path chosen at first run (None until then).
    pub mode: Option<AppMode>,
    /// The region the emergency screens use, as `region_state` answers.
    pub region: RegionState,
}

impl App {
    /// The first screen's data (see [`BootData`]).
    pub fn boot_data(&self) -> Result<BootData, crate::IpcError> {
        Ok(BootData {
            mode: self.app_mode()?,
            region: self.region_state()?,
        })
    }

    /// The initialisation script the shell gives the window: `window.__HOLDFAST_BOOT__ = {...};`.
    /// JSON is a JavaScript expression; if it cannot be written the page asks over IPC instead.
    pub fn boot_script(&self) -> String {
        match self.boot_data().map(|d| serde_json::to_string(&d)) {
            Ok(Ok(json)) => format!("window.__HOLDFAST_BOOT__ = {json};"),
            _ => String::new(),
        }
    }
}

/// At most this many marks are accepted from the page (a real start-up sends about 25).
pub const MAX_MARKS: usize = 64;
/// A mark's name is at most this long (in characters).
pub const MAX_NAME: usize = 64;

/// One moment the page noted, in its own clock (`performance.now()`, milliseconds since the page
/// began to load).
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StartupMark {
    pub name: String,
    pub at_ms: f64,
}

/// What the page sends once its first screen is painted: its marks, and its clock at sending
/// (which ties the page's clock to the process's).
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StartupTimeline {
    pub now_ms: f64,
    pub marks: Vec<StartupMark>,
}

/// Why a timeline was refused (the page sends it; a script injected there could send anything).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimelineError {
    #[error("too many start-up marks")]
    TooMany,
    #[error("a start-up mark's name is empty or too long")]
    BadName,
    #[error("a start-up mark's time is not a number of milliseconds")]
    BadTime,
}

fn valid_ms(ms: f64) -> bool {
    ms.is_finite() && (0.0..=86_400_000.0).contains(&ms)
}

impl StartupTimeline {
    /// Checks the bounds: at most [`MAX_MARKS`] marks, names of 1 to [`MAX_NAME`] printable
    /// characters, times within a day.
    pub fn check(&self) -> Result<(), TimelineError> {
        if self.marks.len() > MAX_MARKS {
            return Err(TimelineError::TooMany);
        }
        if !valid_ms(self.now_ms) {
            return Err(TimelineError::BadTime);
        }
        for mark in &self.marks {
            let chars = mark.name.chars().count();
            if chars == 0 || chars > MAX_NAME || mark.name.chars().any(char::is_control) {
                return Err(TimelineError::BadName);
            }
            if !valid_ms(mark.at_ms) {
                return Err(TimelineError::BadTime);
            }
        }
        Ok(())
    }

    /// The page's marks on the process clock: `received_ms` is when Rust received the timeline
    /// (ms from `main()`), which is taken as the page's `now_ms` (the IPC hop, about a
    /// millisecond, is not subtracted). Sorted by time.
    pub fn on_process_clock(&self, received_ms: f64) -> Vec<(f64, String)> {
        let offset = received_ms - self.now_ms;
        let mut out: Vec<(f64, String)> = self
            .marks
            .iter()
            .map(|m| (m.at_ms + offset, format!("page: {}", m.name)))
            .collect();
        out.sort_by(|a, b| a.0.total_cmp(&b.0));
        out
    }
}

/// The lines printed for the measuring script: the shell's marks and the page's, in time order,
/// `holdfast: timeline <ms> ms <name>`.
pub fn timeline_lines(shell: &[(f64, &'static str)], page: &[(f64, String)]) -> Vec<String> {
    let mut all: Vec<(f64, String)> = shell
        .iter()
        .map(|(ms, name)| (*ms, format!("shell: {name}")))
        .chain(page.iter().cloned())
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    all.into_iter()
        .map(|(ms, name)| format!("holdfast: timeline {ms:.1} ms {name}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timeline(marks: &[(&str, f64)], now_ms: f64) -> StartupTimeline {
        StartupTimeline {
            now_ms,
            marks: marks
                .iter()
                .map(|(n, t)| StartupMark {
                    name: (*n).to_owned(),
                    at_ms: *t,
                })
                .collect(),
        }
    }

    #[test]
    fn page_marks_move_onto_the_process_clock_in_order() {
        let t = timeline(&[("painted", 300.0), ("script start", 100.0)], 310.0);
        assert_eq!(t.check(), Ok(()));
        let page = t.on_process_clock(500.0);
        assert_eq!(
            page,
            vec![
                (290.0, "page: script start".to_owned()),
                (490.0, "page: painted".to_owned())
            ]
        );
        let lines = timeline_lines(&[(12.5, "app ready"), (300.0, "window built")], &page);
        assert_eq!(
            lines,
            vec![
                "holdfast: timeline 12.5 ms shell: app ready",
                "holdfast: timeline 290.0 ms page: script start",
                "holdfast: timeline 300.0 ms shell: window built",
                "holdfast: timeline 490.0 ms page: painted",
            ]
        );
    }

    #[test]
    fn hostile_timelines_are_refused() {
        let many: Vec<(&str, f64)> = (0..=MAX_MARKS).map(|_| ("x", 1.0)).collect();
        assert_eq!(timeline(&many, 2.0).check(), Err(TimelineError::TooMany));
        let long = "x".repeat(MAX_NAME + 1);
        assert_eq!(
            timeline(&[(long.as_str(), 1.0)], 2.0).check(),
            Err(TimelineError::BadName)
        );
        assert_eq!(
            timeline(&[("", 1.0)], 2.0).check(),
            Err(TimelineError::BadName)
        );
        assert_eq!(
            timeline(
                &[("a\nholdfast: first screen rendered after 1 ms", 1.0)],
                2.0
            )
            .check(),
            Err(TimelineError::BadName)
        );
        for bad in [f64::NAN, f64::INFINITY, -1.0, 1e12] {
            assert_eq!(
                timeline(&[("x", bad)], 2.0).check(),
                Err(TimelineError::BadTime)
            );
            assert_eq!(timeline(&[], bad).check(), Err(TimelineError::BadTime));
        }
    }
}
