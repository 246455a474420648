//! What the home screen shows about tolerance: the engine's status, the facts (with sources) its
//! reasons cite, the current medication treatment, and a 90-day timeline. Pure: the use case
//! (`holdfast_app`) passes the records, the content pack, `now` and the time zone.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{assess, local_date, today, Records, ToleranceStatus, Treatment};
use crate::records::{BreakEntry, BreakKind, UseEntry};
use holdfast_content::{ContentPack, Fact};

/// Days the timeline covers, ending today.
pub const TIMELINE_DAYS: u32 = 90;

/// The key under which the encrypted settings keep the current medication treatment.
pub const TREATMENT_SETTING: &str = "treatment";

/// A break as drawn on the timeline, clipped to the timeline's days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TimelineBreak {
    pub kind: BreakKind,
    /// First day shown (the break's start, or the timeline's first day).
    pub from: NaiveDate,
    /// Last day shown (the break's end, or today while it goes on).
    pub to: NaiveDate,
    /// Whether the break still goes on (no end date).
    pub ongoing: bool,
}

/// The last [`TIMELINE_DAYS`] days: days with a use, and breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Timeline {
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// Local calendar days with at least one use, oldest first, without repeats.
    pub use_days: Vec<NaiveDate>,
    pub breaks: Vec<TimelineBreak>,
}

/// Everything the home screen's tolerance card needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ToleranceView {
    pub status: ToleranceStatus,
    pub treatment: Treatment,
    /// The facts the reasons cite, each with its sources, in the order first cited.
    pub facts: Vec<Fact>,
    pub timeline: Timeline,
}

/// Advice for restarting a prescribed medicine, with the facts its reasons cite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RestartView {
    pub advice: super::RestartAdvice,
    pub facts: Vec<Fact>,
}

fn cited(pack: &ContentPack, reasons: &[super::Reason]) -> Vec<Fact> {
    let mut facts: Vec<Fact> = Vec::new();
    for r in reasons {
        if facts.iter().all(|f| f.id != r.fact_id) {
            if let Some(f) = pack.fact(&r.fact_id) {
                facts.push(f.clone());
            }
        }
    }
    facts
}

/// [`super::restart_advice`] with its facts.
pub fn restart_view<Tz: TimeZone>(
    pack: &ContentPack,
    medicine: super::Medicine,
    last_dose: NaiveDate,
    now: DateTime<Utc>,
    tz: &Tz,
) -> RestartView {
    let advice = super::restart_advice(medicine, last_dose, now, tz);
    RestartView {
        facts: cited(pack, &advice.reasons),
        advice,
    }
}

/// Reads the treatment setting; anything unknown is `None` (no treatment recorded).
pub fn parse_treatment(value: Option<&str>) -> Treatment {
    match value {
        Some("methadone") => Treatment::Methadone,
        Some("buprenorphine") => Treatment::Buprenorphine,
        Some("naltrexone") => Treatment::Naltrexone,
        _ => Treatment::None,
    }
}

/// The setting's text for a treatment.
pub fn treatment_value(t: Treatment) -> &'static str {
    match t {
        Treatment::None => "none",
        Treatment::Methadone => "methadone",
        Treatment::Buprenorphine => "buprenorphine",
        Treatment::Naltrexone => "naltrexone",
    }
}

/// The timeline of the last [`TIMELINE_DAYS`] days up to today in `tz`.
pub fn timeline<U, B, Tz>(journal: &Records<'_, U, B>, now: DateTime<Utc>, tz: &Tz) -> Timeline
where
    U: AsRef<UseEntry>,
    B: AsRef<BreakEntry>,
    Tz: TimeZone,
{
    let last_day = today(now, tz);
    let first_day = last_day - Duration::days(i64::from(TIMELINE_DAYS) - 1);
    let mut use_days: Vec<NaiveDate> = journal
        .uses
        .iter()
        .map(|u| local_date(&u.as_ref().at))
        .filter(|d| *d >= first_day && *d <= last_day)
        .collect();
    use_days.sort_unstable();
    use_days.dedup();
    let mut breaks: Vec<TimelineBreak> = journal
        .breaks
        .iter()
        .map(AsRef::as_ref)
        .filter(|b| b.start <= last_day && b.end.is_none_or(|e| e >= first_day))
        .map(|b| TimelineBreak {
            kind: b.kind,
            from: b.start.max(first_day),
            to: b.end.unwrap_or(last_day).min(last_day),
            ongoing: b.end.is_none(),
        })
        .collect();
    breaks.sort_by_key(|b| b.from);
    Timeline {
        first_day,
        last_day,
        use_days,
        breaks,
    }
}

/// The engine's status with the cited facts and the timeline.
pub fn tolerance_view<U, B, Tz>(
    journal: &Records<'_, U, B>,
    pack: &ContentPack,
    now: DateTime<Utc>,
    tz: &Tz,
) -> ToleranceView
where
    U: AsRef<UseEntry>,
    B: AsRef<BreakEntry>,
    Tz: TimeZone,
{
    let status = assess(journal, now, tz);
    let facts = cited(pack, &status.reasons);
    ToleranceView {
        treatment: journal.treatment,
        timeline: timeline(journal, now, tz),
        status,
        facts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::EventTime;
    use chrono::FixedOffset;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a valid date")
    }

    fn use_at(utc: &str, offset_hours: i32) -> UseEntry {
        UseEntry {
            at: EventTime {
                utc: DateTime::parse_from_rfc3339(utc)
                    .map(|d| d.with_timezone(&Utc))
                    .expect("an RFC 3339 instant"),
                offset_seconds: offset_hours * 3600,
            },
            substance: None,
            note: None,
        }
    }

    #[test]
    fn treatment_setting_round_trips_and_unknown_is_none() {
        for t in [
            Treatment::None,
            Treatment::Methadone,
            Treatment::Buprenorphine,
            Treatment::Naltrexone,
        ] {
            assert_eq!(parse_treatment(Some(treatment_value(t))), t);
        }
        assert_eq!(parse_treatment(Some("heroin")), Treatment::None);
        assert_eq!(parse_treatment(None), Treatment::None);
    }

    #[test]
    fn timeline_keeps_90_local_days_and_clips_breaks() -> Result<(), Box<dyn std::error::Error>> {
        let tz = FixedOffset::west_opt(5 * 3600).ok_or("offset")?;
        let now = DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")?.with_timezone(&Utc);
        let uses = [
            // 02:00 UTC on the 20th is still the 19th at UTC-5: the local day counts.
            use_at("2026-11-20T02:00:00Z", -5),
            use_at("2026-11-19T20:00:00Z", -5),
            use_at("2026-08-25T12:00:00Z", -5), // day 1 of 90
            use_at("2026-08-24T12:00:00Z", -5), // day 0: outside
        ];
        let breaks = [
            BreakEntry {
                kind: BreakKind::PrisonRelease,
                start: day("2026-06-01"),
                end: Some(day("2026-09-01")),
                note: None,
            },
            BreakEntry {
                kind: BreakKind::StoppedMethadone,
                start: day("2026-11-01"),
                end: None,
                note: None,
            },
            BreakEntry {
                kind: BreakKind::HospitalDischarge,
                start: day("2026-01-01"),
                end: Some(day("2026-02-01")),
                note: None,
            },
        ];
        let journal = Records {
            uses: &uses,
            breaks: &breaks,
            treatment: Treatment::None,
        };
        let t = timeline(&journal, now, &tz);
        assert_eq!(t.last_day, day("2026-11-23"));
        assert_eq!(t.first_day, day("2026-08-26"));
        assert_eq!((t.last_day - t.first_day).num_days() + 1, 90);
        assert_eq!(t.use_days, vec![day("2026-11-19")]);
        assert_eq!(t.breaks.len(), 2, "the January break is outside");
        assert_eq!(t.breaks[0].from, day("2026-08-26"));
        assert_eq!(t.breaks[0].to, day("2026-09-01"));
        assert!(!t.breaks[0].ongoing);
        assert_eq!(t.breaks[1].to, day("2026-11-23"));
        assert!(t.breaks[1].ongoing);
        Ok(())
    }

    #[test]
    fn the_view_carries_every_cited_fact_once() -> Result<(), Box<dyn std::error::Error>> {
        let pack = ContentPack::embedded()?;
        let tz = FixedOffset::east_opt(0).ok_or("offset")?;
        let now = DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")?.with_timezone(&Utc);
        let uses = [use_at("2026-11-13T12:00:00Z", 0)];
        let breaks = [BreakEntry {
            kind: BreakKind::PrisonRelease,
            start: day("2026-11-10"),
            end: Some(day("2026-11-20")),
            note: None,
        }];
        let journal = Records {
            uses: &uses,
            breaks: &breaks,
            treatment: Treatment::None,
        };
        let v = tolerance_view(&journal, &pack, now, &tz);
        assert_eq!(v.status.days_since_last_use, Some(10));
        assert!(!v.status.reasons.is_empty());
        for r in &v.status.reasons {
            assert!(
                v.facts.iter().any(|f| f.id == r.fact_id),
                "{} not carried",
                r.fact_id
            );
        }
        let mut ids: Vec<&str> = v.facts.iter().map(|f| f.id.as_str()).collect();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n);
        assert!(v.facts.iter().all(|f| !f.sources.is_empty()));
        Ok(())
    }
}
