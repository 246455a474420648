//! The app and the emergency screens: what needs no journal and no passphrase.

use std::collections::hash_map::Entry;

use holdfast_content::illustrations::{self, Illustration};
use holdfast_content::search::{SearchIndex, SearchResults};
use holdfast_content::Region;
use holdfast_domain::emergency::{self, PracticeResult, RegionGuide, RegionState};
use holdfast_domain::walkthrough::{self, Walkthrough};

use crate::settings::AppMode;
use crate::startup::{self, StartupTimeline};
use crate::{App, AppError, AppInfo, IpcError};

fn parse_region(code: &str) -> Result<Region, AppError> {
    emergency::parse_region(code).ok_or(AppError::UnknownRegion)
}

/// The longest reason [`App::refused`] repeats.
const MAX_REASON_CHARS: usize = 80;

impl App {
    /// Opens a phone number, a text or a web page outside the app, when it is one the app
    /// shows: an address from the content pack, or a plain phone number (security review M6).
    /// Nothing else reaches the system, so an injected script cannot hand data to the browser.
    pub fn open_link(&self, uri: String) -> Result<(), IpcError> {
        self.links()?.check(&uri)?;
        self.host.open_link(&uri).map_err(AppError::LinkNotOpened)?;
        Ok(())
    }

    /// What the web view's isolation hook sends instead of a call the UI never makes (an
    /// unknown command, unexpected arguments, or too much data): always a refusal, so the
    /// caller gets a clear error rather than no answer. Changes nothing.
    pub fn refused(&self, reason: String) -> Result<(), IpcError> {
        let reason: String = reason.chars().take(MAX_REASON_CHARS).collect();
        Err(AppError::Refused(reason).into())
    }

    /// The About screen's facts: version, build and data folder (or why it cannot be used).
    pub fn app_info(&self) -> Result<AppInfo, IpcError> {
        Ok(self.info.clone())
    }

    /// The UI calls this once its first screen, with the "Someone may be overdosing" button,
    /// has been painted, with the page's start-up marks. Returns the milliseconds since the
    /// process began; when asked (`report_startup`) the timeline and the time are also printed
    /// for the start-up measurement scripts.
    pub fn first_render(&self, timeline: StartupTimeline) -> Result<u64, IpcError> {
        let elapsed = self.started.elapsed();
        timeline.check().map_err(AppError::from)?;
        let ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
        if self.report_startup {
            let page = timeline.on_process_clock(elapsed.as_secs_f64() * 1000.0);
            for line in startup::timeline_lines(&self.startup_marks(), &page) {
                println!("{line}");
            }
            println!("holdfast: first screen rendered after {ms} ms");
        }
        Ok(ms)
    }

    /// The UI calls this once, the first time the overdose response has painted its first step
    /// (with `--emergency`, that is the first screen). Returns the milliseconds since the process
    /// began; when asked (`report_startup`) it is also printed for the start-up measurement
    /// script (`scripts/measure-startup.sh --emergency`).
    pub fn first_step_shown(&self) -> Result<u64, IpcError> {
        let ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        if self.report_startup {
            println!("holdfast: first step shown after {ms} ms");
        }
        Ok(ms)
    }

    /// The region the emergency screens use, where that choice came from, and the choices.
    pub fn region_state(&self) -> Result<RegionState, IpcError> {
        let chosen = self.settings().region;
        Ok(emergency::region_state(
            chosen,
            self.system_region(),
            self.settings_problem(),
        ))
    }

    /// Saves the person's region choice (a plain setting: emergency help needs it before
    /// unlock).
    pub fn set_region(&self, region: String) -> Result<RegionState, IpcError> {
        let region = parse_region(&region)?;
        self.update_settings(|s| s.region = Some(region))?;
        Ok(emergency::region_state(
            Some(region),
            self.system_region(),
            None,
        ))
    }

    /// Which path the app is on (`personal` or `helper`), or `None` before the person has
    /// chosen. An unreadable or damaged settings file reads as "not chosen": Home then offers
    /// the choice again, and the region screen already says what is wrong with the file.
    pub fn app_mode(&self) -> Result<Option<AppMode>, IpcError> {
        Ok(self.settings().mode)
    }

    /// Saves which path the app is on. Never touches the journal: switching to the helper path
    /// only changes what Home shows.
    pub fn set_app_mode(&self, mode: String) -> Result<AppMode, IpcError> {
        let mode = AppMode::parse(&mode).ok_or(AppError::UnknownMode)?;
        Ok(self
            .update_settings(|s| s.mode = Some(mode))?
            .mode
            .unwrap_or(mode))
    }

    /// The guides, steps and lines of one region that match what the person typed, best first
    /// (see `holdfast_content::search`). The region's index is built on the first search and
    /// kept.
    pub fn search_guides(&self, region: String, query: String) -> Result<SearchResults, IpcError> {
        let region = parse_region(&region)?;
        let mut indexes = self.search_indexes();
        let index = match indexes.entry(region) {
            Entry::Occupied(entry) => entry.into_mut(),
            Entry::Vacant(entry) => entry.insert(SearchIndex::build(self.content()?, region)?),
        };
        Ok(index.search(&query)?)
    }

    /// The emergency number, response steps, guides and lines for one region.
    pub fn region_guide(&self, region: String) -> Result<RegionGuide, IpcError> {
        let region = parse_region(&region)?;
        Ok(emergency::region_guide(
            self.content()?,
            region,
            self.timer.clone(),
        )?)
    }

    /// Scores a practice run of the region's response steps.
    pub fn score_practice(
        &self,
        region: String,
        done_order: Vec<u32>,
    ) -> Result<PracticeResult, IpcError> {
        let region = parse_region(&region)?;
        let titles: Vec<String> = self
            .content()?
            .response_steps(region)
            .into_iter()
            .map(|s| s.title)
            .collect();
        Ok(emergency::score_practice(&titles, &done_order)?)
    }

    /// The step illustrations (SVG text and its text alternative), compiled into the binary.
    pub fn illustrations(&self) -> Result<Vec<Illustration>, IpcError> {
        Ok(illustrations::embedded().map_err(|e| AppError::Pictures(e.to_string()))?)
    }

    /// The peer visit walk-through for the person's region. Not personal: shown without the
    /// journal.
    pub fn visit_walkthrough(&self) -> Result<Walkthrough, IpcError> {
        Ok(walkthrough::walkthrough(self.content()?, self.region()))
    }
}
