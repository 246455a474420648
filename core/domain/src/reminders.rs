//! The reminder schedule: a pure function from the reminder settings, the journal, the current
//! instant, the local time zone and the last time reminders were delivered, to the reminders to
//! show next. No clock, no store, no notification code: `holdfast_app::reminders` works out
//! when to ask, the shell's reminder thread shows what this returns (notify-rust on desktop), and
//! the delivery is recorded in the journal. The rules are in
//! `docs/reminders.md`; in short:
//!
//! - **Kinds**: the daily check-in (at the person's local time, skipped on days they already
//!   checked in); a naloxone kit 30 days before its expiry and on the day; after a break, days
//!   1, 3, 7 and 14 that tolerance is low; the day of a planned peer visit.
//! - **Text** is discreet unless the person opts in to detailed text.
//! - **Quiet hours** push a reminder that falls inside them to the end of them.
//! - **Missed** reminders (due after the last delivery and up to now, while the app was
//!   closed) come back once, as one group, never as a flood.
//! - **Never negative, never duplicate**: nothing returned is due before `now` or at or before
//!   the last delivery, so a clock moved backwards or a change of time zone cannot repeat one.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::records::{BreakEntry, BreakKind, KitKind, NaloxoneKit, Stored};
use crate::Invalid;

/// Days after a break on which the low-tolerance reminder comes.
pub const LOW_TOLERANCE_DAYS: [u32; 4] = [1, 3, 7, 14];
/// Days before a kit's expiry for the "expires soon" reminder.
pub const KIT_SOON_DAYS: u32 = 30;
/// How far ahead reminders are returned, in days (a kit's expiry three weeks away shows as
/// scheduled; the shell asks again after every delivery and at least daily).
pub const HORIZON_DAYS: i64 = 31;
/// How far back missed reminders are looked for, in days. Older ones are not worth a mention.
pub const MISSED_LOOKBACK_DAYS: i64 = 14;
/// The local time of day for kit and tolerance reminders when no check-in time is set.
pub const DEFAULT_REMINDER_TIME: (u32, u32) = (10, 0);

/// The summary of every discreet notification.
pub const DISCREET_SUMMARY: &str = "Holdfast";
/// The body of the discreet daily check-in notification.
pub const DISCREET_CHECKIN_BODY: &str = "Time to check in";
/// The body of every other discreet notification.
pub const DISCREET_OTHER_BODY: &str = "You have a reminder in the app";

/// A stretch of the night (or day) with no notifications: from `start` up to (not including)
/// `end`, local time. `start` after `end` wraps past midnight (22:00 to 07:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl QuietHours {
    /// Whether a local time of day is inside, and if so on which local day (relative to the
    /// time's own day: 0 or 1) the quiet hours end.
    fn ends_after(&self, t: NaiveTime) -> Option<i64> {
        if self.start < self.end {
            (t >= self.start && t < self.end).then_some(0)
        } else if t >= self.start {
            Some(1)
        } else if t < self.end {
            Some(0)
        } else {
            None
        }
    }
}

/// The person's reminder settings. Every field has a default, so settings saved by an older
/// version still read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ReminderSettings {
    /// The one switch: `false` turns every reminder off.
    pub enabled: bool,
    /// Local time for the daily check-in reminder; `None` for no daily reminder.
    pub daily_checkin: Option<NaiveTime>,
    /// Detailed text (what the reminder is about) instead of the discreet default.
    pub detailed_text: bool,
    pub quiet_hours: Option<QuietHours>,
    /// Kit expiry reminders.
    pub naloxone_expiry: bool,
    /// Low-tolerance reminders after a break.
    pub low_tolerance: bool,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            daily_checkin: None,
            detailed_text: false,
            quiet_hours: None,
            naloxone_expiry: true,
            low_tolerance: true,
        }
    }
}

impl ReminderSettings {
    /// Checks the settings.
    pub fn validate(&self) -> Result<(), Invalid> {
        if let Some(q) = self.quiet_hours {
            if q.start == q.end {
                return Err(Invalid {
                    field: "quiet hours",
                    reason: "must start and end at different times".to_owned(),
                });
            }
        }
        Ok(())
    }
}

/// What a reminder is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    DailyCheckin,
    KitExpiresSoon,
    KitExpired,
    LowTolerance,
    /// The day of a planned peer visit.
    NextVisit,
    /// Several reminders that came due while the app was closed, shown once together.
    Missed,
}

/// One notification to show at `due`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Reminder {
    /// Stable: the same reminder has the same id every time the schedule is worked out
    /// (`checkin:2026-11-23`, `kit-soon:4:2027-01-01`, `tolerance:7:3`, `missed:<latest id>`).
    pub id: String,
    pub kind: ReminderKind,
    pub due: DateTime<Utc>,
    pub summary: String,
    pub body: String,
    /// For a missed group, the ids of the reminders it stands for; otherwise just its own id.
    pub covers: Vec<String>,
}

/// The parts of the journal the schedule reads.
#[derive(Debug, Clone, Copy)]
pub struct ReminderJournal<'a> {
    pub breaks: &'a [Stored<BreakEntry>],
    pub kits: &'a [Stored<NaloxoneKit>],
    /// The local dates that already have a check-in (no check-in reminder on those days).
    pub checkin_dates: &'a [NaiveDate],
    /// The planned dates of the next peer visits.
    pub next_visits: &'a [NaiveDate],
}

/// The instant of a local date and time in `tz`. A time skipped by a DST change (02:30 on the
/// spring-forward night) becomes the first moment after the gap; a time that happens twice
/// (01:30 on the fall-back night) is the first of the two.
pub fn local_instant<Tz: TimeZone>(
    tz: &Tz,
    date: NaiveDate,
    time: NaiveTime,
) -> Option<DateTime<Utc>> {
    let naive = date.and_time(time);
    for step in 0..=16 {
        let candidate = naive + Duration::minutes(15 * step);
        let candidate = if step == 0 {
            candidate
        } else {
            // Round down to the quarter hour, so 02:30 in a 02:00–03:00 gap becomes 03:00.
            let secs = candidate.and_utc().timestamp();
            DateTime::<Utc>::from_timestamp(secs - secs.rem_euclid(900), 0)?.naive_utc()
        };
        match tz.from_local_datetime(&candidate) {
            LocalResult::Single(t) => return Some(t.with_timezone(&Utc)),
            LocalResult::Ambiguous(a, b) => {
                return Some(a.with_timezone(&Utc).min(b.with_timezone(&Utc)))
            }
            LocalResult::None => {}
        }
    }
    None
}

/// `due`, or the end of the quiet hours it falls in.
fn after_quiet<Tz: TimeZone>(
    tz: &Tz,
    due: DateTime<Utc>,
    quiet: Option<QuietHours>,
) -> DateTime<Utc> {
    let Some(q) = quiet else { return due };
    let local = due.with_timezone(tz).naive_local();
    match q.ends_after(local.time()) {
        Some(days) => local_instant(tz, local.date() + Duration::days(days), q.end)
            .map_or(due, |end| end.max(due)),
        None => due,
    }
}

struct Occurrence {
    id: String,
    kind: ReminderKind,
    due: DateTime<Utc>,
    summary: String,
    body: String,
}

fn kit_name(kind: KitKind) -> &'static str {
    match kind {
        KitKind::Nasal => "nasal naloxone",
        KitKind::Injection => "injectable naloxone",
    }
}

/// The day low-tolerance reminders count from: the day a stay ended (release, discharge), or
/// the first day of a stop that has not ended. A stay with no end yet (still inside) has none.
fn tolerance_anchor(b: &BreakEntry) -> Option<NaiveDate> {
    match b.kind {
        BreakKind::PrisonRelease
        | BreakKind::DetoxDischarge
        | BreakKind::ResidentialTreatmentDischarge
        | BreakKind::HospitalDischarge => b.end,
        _ => Some(b.end.unwrap_or(b.start)),
    }
}

fn text(detailed: bool, kind: ReminderKind, summary: String, body: String) -> (String, String) {
    if detailed {
        (summary, body)
    } else if kind == ReminderKind::DailyCheckin {
        (
            DISCREET_SUMMARY.to_owned(),
            DISCREET_CHECKIN_BODY.to_owned(),
        )
    } else {
        (DISCREET_SUMMARY.to_owned(), DISCREET_OTHER_BODY.to_owned())
    }
}

/// Every occurrence whose local date is in `first..=last`, with quiet hours applied.
fn occurrences<Tz: TimeZone>(
    s: &ReminderSettings,
    j: &ReminderJournal<'_>,
    tz: &Tz,
    first: NaiveDate,
    last: NaiveDate,
) -> Vec<Occurrence> {
    let mut out = Vec::new();
    let default_time = NaiveTime::from_hms_opt(DEFAULT_REMINDER_TIME.0, DEFAULT_REMINDER_TIME.1, 0)
        .unwrap_or(NaiveTime::MIN);
    let other_time = s.daily_checkin.unwrap_or(default_time);
    let mut push =
        |date: NaiveDate, time: NaiveTime, id: String, kind, summary: String, body: String| {
            if date < first || date > last {
                return;
            }
            if let Some(at) = local_instant(tz, date, time) {
                let (summary, body) = text(s.detailed_text, kind, summary, body);
                out.push(Occurrence {
                    id,
                    kind,
                    due: after_quiet(tz, at, s.quiet_hours),
                    summary,
                    body,
                });
            }
        };
    if let Some(time) = s.daily_checkin {
        let mut d = first;
        while d <= last {
            if !j.checkin_dates.contains(&d) {
                push(
                    d,
                    time,
                    format!("checkin:{d}"),
                    ReminderKind::DailyCheckin,
                    "Holdfast: time to check in".to_owned(),
                    "How are you today? It takes less than a minute.".to_owned(),
                );
            }
            d += Duration::days(1);
        }
    }
    if s.naloxone_expiry {
        for kit in j.kits.iter().filter(|k| k.record.used_on.is_none()) {
            let Some(expires) = kit.record.expires else {
                continue;
            };
            let name = kit_name(kit.record.kind);
            push(
                expires - Duration::days(i64::from(KIT_SOON_DAYS)),
                other_time,
                format!("kit-soon:{}:{expires}", kit.id),
                ReminderKind::KitExpiresSoon,
                "Holdfast: naloxone expires soon".to_owned(),
                format!(
                    "Your {name} expires on {expires}. Kits can be replaced: ask a pharmacy or a harm reduction service for a new one."
                ),
            );
            push(
                expires,
                other_time,
                format!("kit-expired:{}:{expires}", kit.id),
                ReminderKind::KitExpired,
                "Holdfast: naloxone expires today".to_owned(),
                format!(
                    "Your {name} expires today. Keep it until you have a new one, and ask a pharmacy or a harm reduction service for a replacement."
                ),
            );
        }
    }
    // In the morning, before the visit: the check-in time if that is earlier, else 10:00.
    let visit_time = other_time.min(default_time);
    for &day in j.next_visits {
        push(
            day,
            visit_time,
            format!("visit:{day}"),
            ReminderKind::NextVisit,
            "Holdfast: a visit today".to_owned(),
            "You planned a visit for today. The notes from last time are in the app.".to_owned(),
        );
    }
    if s.low_tolerance {
        for b in j.breaks {
            let Some(anchor) = tolerance_anchor(&b.record) else {
                continue;
            };
            for n in LOW_TOLERANCE_DAYS {
                let day_word = if n == 1 { "day" } else { "days" };
                push(
                    anchor + Duration::days(i64::from(n)),
                    other_time,
                    format!("tolerance:{}:{n}", b.id),
                    ReminderKind::LowTolerance,
                    "Holdfast: your tolerance may be low".to_owned(),
                    format!(
                        // Not which break, even in detailed text: "since leaving prison"
                        // on a lock screen or in the daemon's history says too much
                        // (security review L12).
                        "It is {n} {day_word} since your break. {}",
                        // The safety sentence lives in the content pack (advice.toml), where
                        // its source and wording are checked; a content test checks it is there.
                        holdfast_content::advice_sentence("reminder-tolerance-low")
                    ),
                );
            }
        }
    }
    out
}

/// The reminders to show next: at most one missed group (due now, or at the end of quiet
/// hours), then every reminder due in the next [`HORIZON_DAYS`] days, soonest first.
///
/// `last_delivered` is when the shell last delivered reminders (`None` before the first time:
/// then nothing counts as missed). Reminders due at or before it are never returned again.
pub fn schedule<Tz: TimeZone>(
    settings: &ReminderSettings,
    journal: &ReminderJournal<'_>,
    now: DateTime<Utc>,
    tz: &Tz,
    last_delivered: Option<DateTime<Utc>>,
) -> Vec<Reminder> {
    if !settings.enabled {
        return Vec::new();
    }
    let lookback = now - Duration::days(MISSED_LOOKBACK_DAYS);
    // Reminders after this were not delivered yet. A clock moved back makes it later than now.
    let delivered_up_to = last_delivered.map(|d| d.max(lookback));
    let from = delivered_up_to.map_or(now, |d| d.min(now));
    let until = now + Duration::days(HORIZON_DAYS);
    // One local day of margin either side: quiet hours can push a reminder into the next day.
    let first = from.with_timezone(tz).date_naive() - Duration::days(1);
    let last = until.with_timezone(tz).date_naive() + Duration::days(1);
    let mut all = occurrences(settings, journal, tz, first, last);
    all.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.id.cmp(&b.id)));

    let mut out = Vec::new();
    if let Some(done) = delivered_up_to {
        let missed: Vec<&Occurrence> = all
            .iter()
            .filter(|o| o.due > done && o.due <= now)
            .collect();
        if let Some(latest) = missed.last() {
            let n = missed.len();
            let (summary, body) = if settings.detailed_text {
                let mut kinds: Vec<&str> = missed.iter().map(|o| o.summary.as_str()).collect();
                kinds.sort_unstable();
                kinds.dedup();
                let list = kinds
                    .iter()
                    .map(|k| k.trim_start_matches("Holdfast: "))
                    .collect::<Vec<_>>()
                    .join("; ");
                let plural = if n == 1 { "" } else { "s" };
                (
                    format!("Holdfast: {n} reminder{plural} while the app was closed"),
                    list,
                )
            } else {
                (
                    DISCREET_SUMMARY.to_owned(),
                    "You have reminders in the app".to_owned(),
                )
            };
            out.push(Reminder {
                id: format!("missed:{}", latest.id),
                kind: ReminderKind::Missed,
                due: after_quiet(tz, now, settings.quiet_hours),
                summary,
                body,
                covers: missed.iter().map(|o| o.id.clone()).collect(),
            });
        }
    }
    let after = delivered_up_to.map_or(now, |d| d.max(now));
    out.extend(
        all.into_iter()
            .filter(|o| o.due > after && o.due <= until)
            .map(|o| Reminder {
                covers: vec![o.id.clone()],
                id: o.id,
                kind: o.kind,
                due: o.due,
                summary: o.summary,
                body: o.body,
            }),
    );
    out
}

/// The settings key holding the reminder settings (JSON) in the encrypted store.
pub const SETTINGS_KEY: &str = "reminders";
/// The settings key holding the last delivery instant (RFC 3339).
pub const DELIVERED_KEY: &str = "reminders.delivered_at";

#[cfg(test)]
mod tests;
