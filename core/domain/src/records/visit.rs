//! Peer visits: a walk-through a peer worker runs with the person, on the person's device. A
//! visit is saved as it goes (so it can be paused and resumed), and finished with a summary:
//! when it was, which topics were covered, what the person wants to try, the next steps and the
//! date of the next visit. Only one visit is open at a time.
//!
//! The walk-through itself (what each step shows for a region) is in [`crate::walkthrough`].

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::journal::EventTime;
use crate::Invalid;

/// Longest "next steps" text, in characters.
pub const MAX_NEXT_STEPS_CHARS: usize = 2000;
/// Longest peer worker's name, in characters.
pub const MAX_WORKER_CHARS: usize = 120;
/// How far ahead the next visit may be planned, in days.
pub const MAX_NEXT_VISIT_DAYS: i64 = 366;

/// One step of the walk-through, in the order it is walked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum VisitStep {
    Naloxone,
    Tolerance,
    NeverUseAlone,
    Treatment,
    SafetyPlan,
    NextSteps,
}

impl VisitStep {
    /// Every step, in walk-through order.
    pub const ALL: [Self; 6] = [
        Self::Naloxone,
        Self::Tolerance,
        Self::NeverUseAlone,
        Self::Treatment,
        Self::SafetyPlan,
        Self::NextSteps,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Naloxone => "naloxone",
            Self::Tolerance => "tolerance",
            Self::NeverUseAlone => "never-use-alone",
            Self::Treatment => "treatment",
            Self::SafetyPlan => "safety-plan",
            Self::NextSteps => "next-steps",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// A treatment the person says they want to try or learn about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum TreatmentInterest {
    Methadone,
    Buprenorphine,
    Naltrexone,
    /// Talk it over with a doctor, clinic or service first.
    TalkFirst,
    /// Not right now (an answer, not a failure).
    NotNow,
}

impl TreatmentInterest {
    /// Every answer, in the order they are offered.
    pub const ALL: [Self; 5] = [
        Self::Methadone,
        Self::Buprenorphine,
        Self::Naltrexone,
        Self::TalkFirst,
        Self::NotNow,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Methadone => "methadone",
            Self::Buprenorphine => "buprenorphine",
            Self::Naltrexone => "naltrexone",
            Self::TalkFirst => "talk-first",
            Self::NotNow => "not-now",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// A peer visit, open (being walked through, or paused) or finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Visit {
    /// When the visit began, with the local offset then.
    pub started: EventTime,
    /// When it was finished; `None` while it is open.
    pub finished: Option<DateTime<Utc>>,
    /// The step to resume at.
    pub at_step: VisitStep,
    /// The steps talked through, in walk-through order, each once.
    pub covered: Vec<VisitStep>,
    /// What the person wants to try or learn about, in the order offered.
    pub treatment: Vec<TreatmentInterest>,
    /// The next steps, in the person's and worker's words.
    pub next_steps: Option<String>,
    /// The date of the next visit, if one was planned (a reminder comes that day).
    pub next_visit: Option<NaiveDate>,
    /// The peer worker's name, if the person wants it kept.
    pub worker: Option<String>,
}

impl Visit {
    /// A new, open visit at the first step.
    pub fn start(started: EventTime) -> Self {
        Self {
            started,
            finished: None,
            at_step: VisitStep::Naloxone,
            covered: Vec::new(),
            treatment: Vec::new(),
            next_steps: None,
            next_visit: None,
            worker: None,
        }
    }

    /// The local calendar day the visit began on.
    pub fn local_date(&self) -> NaiveDate {
        (self.started.utc + Duration::seconds(i64::from(self.started.offset_seconds))).date_naive()
    }

    /// Checks the visit against `now` and returns it tidied: lists sorted into walk-through
    /// order without repeats, blank text as none, text trimmed.
    pub fn validated(&self, now: DateTime<Utc>) -> Result<Self, Invalid> {
        self.started.validate("visit start", now)?;
        if let Some(f) = self.finished {
            if f < self.started.utc {
                return Err(Invalid::new("visit end", "is before the visit began"));
            }
            if f > now + Duration::seconds(super::journal::CLOCK_SKEW_TOLERANCE_SECONDS) {
                return Err(Invalid::new("visit end", "is in the future"));
            }
        }
        let mut covered = self.covered.clone();
        covered.sort_unstable();
        covered.dedup();
        let mut treatment = self.treatment.clone();
        treatment.sort_unstable();
        treatment.dedup();
        if treatment.contains(&TreatmentInterest::NotNow) && treatment.len() > 1 {
            return Err(Invalid::new(
                "treatment",
                "says \"not now\" and also names a treatment",
            ));
        }
        let next_steps = clean(
            "next steps",
            self.next_steps.as_deref(),
            MAX_NEXT_STEPS_CHARS,
            true,
        )?;
        let worker = clean(
            "peer worker's name",
            self.worker.as_deref(),
            MAX_WORKER_CHARS,
            false,
        )?;
        if let Some(next) = self.next_visit {
            if next < self.local_date() {
                return Err(Invalid::new("next visit", "is before this visit"));
            }
            if next > self.local_date() + Duration::days(MAX_NEXT_VISIT_DAYS) {
                return Err(Invalid::new("next visit", "is more than a year away"));
            }
        }
        Ok(Self {
            started: self.started,
            finished: self.finished,
            at_step: self.at_step,
            covered,
            treatment,
            next_steps,
            next_visit: self.next_visit,
            worker,
        })
    }
}

/// Trims text; blank becomes `None`; checks length and control characters (new lines only where
/// `lines` is set).
fn clean(
    field: &'static str,
    text: Option<&str>,
    max: usize,
    lines: bool,
) -> Result<Option<String>, Invalid> {
    let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if t.chars().count() > max {
        return Err(Invalid::new(
            field,
            format!("is longer than {max} characters"),
        ));
    }
    if t.chars()
        .any(|c| c.is_control() && !(lines && (c == '\n' || c == '\t')))
    {
        return Err(Invalid::new(field, "contains control characters"));
    }
    Ok(Some(t.to_owned()))
}
