//! The tolerance engine: from the journal, the current instant and the local time zone, how many
//! local calendar days it has been since the last use, the longest stretch, the number of
//! restarts, and whether tolerance has dropped: a level, the reasons (each tied to a sourced fact
//! in `assets/content/facts.toml`) and the actions to offer.
//!
//! Pure: no store, no clock, no I/O. The rules are a table (`rules::RULES`), each row citing the
//! fact sheet. The engine never suggests an amount to take. See `docs/tolerance.md`.
//!
//! # Days
//! A use's local calendar day is its UTC instant shifted by the offset stored with it (the offset
//! in force where and when it was logged), so travel after the fact never moves it. Today is
//! `now` in the time zone given. "Days since" is the difference of the two calendar days, and is
//! never negative: a use whose day is after today (a clock moved backwards, or a flight west)
//! gives 0.

pub mod rules;
pub mod view;

#[cfg(test)]
mod tests;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::records::{BreakEntry, BreakKind, EventTime, Stored, Substance, UseEntry};
use rules::{BreakTag, Mixed, Rule, When, RESTART_RULES, RULES};

/// A gap between two uses of at least this many local calendar days makes the later use a
/// restart: tolerance had dropped by then (the same threshold as the CAMH rule).
pub const RESTART_GAP_DAYS: u32 = 3;

/// The milestones the home screen celebrates, in days (182 is "6 months", 365 "1 year").
pub const MILESTONE_DAYS: [u32; 9] = [1, 3, 7, 14, 30, 60, 90, 182, 365];

/// From this milestone on, the celebration is paired with the reminder that a longer break
/// means lower tolerance.
pub const MILESTONE_REMINDER_FROM_DAYS: u32 = 3;

/// Current medication treatment for opioid use. Being on treatment is not "use".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Treatment {
    #[default]
    None,
    Methadone,
    Buprenorphine,
    Naltrexone,
}

/// How careful to be now because tolerance may have dropped: a level of overdose risk, not of
/// tolerance (so "high" never reads as "high tolerance"). Ordered from `NotSet` to `Highest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Nothing is recorded yet, so the engine cannot say.
    NotSet,
    /// No rule applies: nothing recorded points to lower tolerance.
    Usual,
    /// Somewhat higher risk (for example mixing, a missed buprenorphine dose, weeks 3 to 4
    /// after leaving treatment).
    Raised,
    /// Tolerance has dropped (3 days or more without opioids, after detox, after stopping
    /// treatment, weeks 3 to 4 after prison).
    High,
    /// The most dangerous times known: the first 2 weeks after prison, the first 2 days after
    /// hospital.
    Highest,
}

/// Something the app can offer, each opening its guidance or lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Naloxone,
    NeverUseAlone,
    Treatment,
    CrisisLines,
    TalkToPrescriber,
    SeeClinicBeforeDose,
}

/// Offered whatever the level: have naloxone, don't use alone.
pub const ALWAYS_OFFERED: [Action; 2] = [Action::Naloxone, Action::NeverUseAlone];

/// A prescribed medicine someone may restart after a break.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Medicine {
    OpioidPainMedicine,
    Benzodiazepine,
    Methadone,
    Buprenorphine,
}

/// One reason for the level, tied to a fact in the content pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct Reason {
    /// The rule that matched (see `docs/tolerance.md`).
    pub rule_id: String,
    /// A fact in `assets/content/facts.toml`; the UI shows it with its sources as the "why".
    pub fact_id: String,
    /// Plain words for the person.
    pub text: String,
    pub level: Level,
    /// The day number the rule matched on, when it is about a date: days since the release,
    /// discharge or stop, days since the last opioid use, or the number of missed days.
    pub day: Option<u32>,
}

/// The most recent use (by local calendar day, then by instant).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct LastUse {
    pub at: EventTime,
    /// Its local calendar day, with the offset stored with it.
    pub local_date: NaiveDate,
    pub substance: Option<Substance>,
    /// Its instant is after `now`: the device clock has probably moved backwards.
    pub in_future: bool,
}

/// A milestone reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct Milestone {
    /// One of `MILESTONE_DAYS`: the largest not above the days since last use.
    pub days: u32,
    /// Reached today exactly (time to celebrate), rather than earlier.
    pub today: bool,
    /// Pair it with the reminder that tolerance is lower after a longer break.
    pub remind_lower_tolerance: bool,
}

/// The engine's answer, for the home screen and history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct ToleranceStatus {
    /// Today's local calendar day in the time zone given.
    pub today: NaiveDate,
    /// Local calendar days since the last use of anything logged; `None` when no use is logged
    /// ("not set yet"). Never negative.
    pub days_since_last_use: Option<u32>,
    /// The same, counting only opioid uses (and uses with no substance recorded). The tolerance
    /// rule uses this one.
    pub days_since_last_opioid_use: Option<u32>,
    pub last_use: Option<LastUse>,
    /// The longest gap, in local calendar days, between two uses in a row or between the last
    /// use and today; `None` when no use is logged.
    pub longest_stretch_days: Option<u32>,
    /// How many uses came after a gap of at least `RESTART_GAP_DAYS` days.
    pub restarts: u32,
    pub level: Level,
    /// Highest level first, then in table order.
    pub reasons: Vec<Reason>,
    /// `ALWAYS_OFFERED` plus every matched rule's actions, each once, in `Action` order.
    pub actions: Vec<Action>,
    pub milestone: Option<Milestone>,
}

/// Guidance for restarting a prescribed medicine after a break.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct RestartAdvice {
    pub medicine: Medicine,
    /// Local calendar days since the last dose (0 when the date is today or later).
    pub days_off: u32,
    pub reasons: Vec<Reason>,
    /// Always includes `TalkToPrescriber`.
    pub actions: Vec<Action>,
}

/// The journal the engine reads. Works with owned records or with `Stored` ones from the store.
#[derive(Debug, Clone, Copy)]
pub struct Records<'a, U = UseEntry, B = BreakEntry> {
    pub uses: &'a [U],
    pub breaks: &'a [B],
    pub treatment: Treatment,
}

impl AsRef<UseEntry> for UseEntry {
    fn as_ref(&self) -> &UseEntry {
        self
    }
}

impl AsRef<BreakEntry> for BreakEntry {
    fn as_ref(&self) -> &BreakEntry {
        self
    }
}

impl<T> AsRef<T> for Stored<T> {
    fn as_ref(&self) -> &T {
        &self.record
    }
}

/// The local calendar day of an event, with the offset stored with it.
pub fn local_date(at: &EventTime) -> NaiveDate {
    at.utc
        .checked_add_signed(Duration::seconds(i64::from(at.offset_seconds)))
        .unwrap_or(at.utc)
        .date_naive()
}

/// Today's local calendar day at `now` in `tz`.
pub fn today<Tz: TimeZone>(now: DateTime<Utc>, tz: &Tz) -> NaiveDate {
    now.with_timezone(tz).date_naive()
}

/// Calendar days from `from` to `to`; 0 when `to` is not after `from`.
pub fn days_between(from: NaiveDate, to: NaiveDate) -> u32 {
    u32::try_from(to.signed_duration_since(from).num_days().max(0)).unwrap_or(u32::MAX)
}

/// Signed calendar days from `from` to `to` (negative when `to` is earlier).
fn signed_days(from: NaiveDate, to: NaiveDate) -> i64 {
    to.signed_duration_since(from).num_days()
}

fn tag(kind: &BreakKind) -> BreakTag {
    BreakTag::from(kind)
}

/// Whether a use counts as opioid use. A use with no substance recorded counts: the app is for
/// people who use opioids, and the day counter and the tolerance card must agree.
pub fn is_opioid_use(substance: Option<Substance>) -> bool {
    match substance {
        None
        | Some(Substance::Heroin)
        | Some(Substance::Fentanyl)
        | Some(Substance::Pills)
        | Some(Substance::OtherOpioid) => true,
        Some(Substance::Benzodiazepines)
        | Some(Substance::Alcohol)
        | Some(Substance::Stimulants)
        | Some(Substance::Other) => false,
    }
}

/// A break is still going on when it has no end, or its end is after today.
fn ongoing(b: &BreakEntry, today: NaiveDate) -> bool {
    b.end.is_none_or(|end| end > today)
}

/// Everything a rule needs, computed once.
struct Facts<'a, B> {
    today: NaiveDate,
    breaks: &'a [B],
    treatment: Treatment,
    days_since_opioid: Option<u32>,
    /// Substances used on the most recent day of use.
    last_day_substances: Vec<Option<Substance>>,
}

impl<B: AsRef<BreakEntry>> Facts<'_, B> {
    fn breaks(&self) -> impl Iterator<Item = &BreakEntry> {
        self.breaks.iter().map(AsRef::as_ref)
    }

    /// The day number this rule matches on (the smallest, for the most recent matching break),
    /// or `None` when it does not match.
    fn matches(&self, when: &When) -> Option<Option<u32>> {
        let today = self.today;
        let in_window =
            |day: i64, from: u32, to: u32| (i64::from(from)..=i64::from(to)).contains(&day);
        let smallest = |days: &mut dyn Iterator<Item = u32>| days.min().map(Some);
        match *when {
            When::NoOpioidUseFor {
                min_days,
                unless_on,
            } => {
                // A daily dose keeps tolerance up, but not after as many missed days in a row as
                // this row's own threshold (still going on, or ended within the reminder
                // window): then the row speaks.
                let missed_run = [
                    BreakTag::MissedMethadoneDoses,
                    BreakTag::MissedBuprenorphineDoses,
                ]
                .into_iter()
                .any(|kind| {
                    self.matches(&When::MissedDoses {
                        kind,
                        min_days,
                        remind_days: rules::MISSED_DOSE_REMIND_DAYS,
                    })
                    .is_some()
                });
                if unless_on.contains(&self.treatment) && !missed_run {
                    return None;
                }
                self.days_since_opioid.filter(|d| *d >= min_days).map(Some)
            }
            When::OnTreatment { treatments } => {
                treatments.contains(&self.treatment).then_some(None)
            }
            When::AfterEnd { kinds, from, to } => smallest(
                &mut self
                    .breaks()
                    .filter(|b| kinds.contains(&tag(&b.kind)))
                    .filter_map(|b| b.end)
                    .map(|end| signed_days(end, today))
                    .filter(|d| in_window(*d, from, to))
                    .map(|d| u32::try_from(d).unwrap_or(u32::MAX)),
            ),
            When::StillAway { kinds } => self
                .breaks()
                .any(|b| kinds.contains(&tag(&b.kind)) && ongoing(b, today))
                .then_some(None),
            When::OffSince { kinds, from, to } => smallest(
                &mut self
                    .breaks()
                    .filter(|b| kinds.contains(&tag(&b.kind)) && ongoing(b, today))
                    .map(|b| signed_days(b.start, today))
                    .filter(|d| in_window(*d, from, to))
                    .map(|d| u32::try_from(d).unwrap_or(u32::MAX)),
            ),
            When::BackOnTreatment {
                kind,
                treatment,
                to,
            } => {
                if self.treatment != treatment {
                    return None;
                }
                smallest(
                    &mut self
                        .breaks()
                        .filter(|b| tag(&b.kind) == kind)
                        .filter_map(|b| b.end)
                        .map(|end| signed_days(end, today))
                        .filter(|d| in_window(*d, 0, to))
                        .map(|d| u32::try_from(d).unwrap_or(u32::MAX)),
                )
            }
            When::MissedDoses {
                kind,
                min_days,
                remind_days,
            } => {
                let runs = self.breaks().filter_map(|b| match b.kind {
                    BreakKind::MissedMethadoneDoses { days }
                    | BreakKind::MissedBuprenorphineDoses { days }
                        if tag(&b.kind) == kind =>
                    {
                        Some((b, u32::from(days)))
                    }
                    _ => None,
                });
                runs.filter_map(|(b, recorded)| {
                    if signed_days(b.start, today) < 0 {
                        return None;
                    }
                    let (missed, last_missed) = match b.end {
                        Some(end) if end <= today => (recorded, end),
                        // Still going on: count every day from the start to today.
                        _ => (
                            recorded.max(days_between(b.start, today).saturating_add(1)),
                            today,
                        ),
                    };
                    (missed >= min_days && days_between(last_missed, today) <= remind_days)
                        .then_some(missed)
                })
                .max()
                .map(Some)
            }
            When::Paused { kind, min_days } => smallest(
                &mut self
                    .breaks()
                    .filter(|b| tag(&b.kind) == kind && ongoing(b, today))
                    .map(|b| signed_days(b.start, today))
                    .filter(|d| *d >= i64::from(min_days))
                    .map(|d| u32::try_from(d).unwrap_or(u32::MAX)),
            ),
            When::LastUseDayIncludes(mixed) => self
                .last_day_substances
                .iter()
                .any(|s| {
                    matches!(
                        (mixed, s),
                        (
                            Mixed::Benzodiazepines | Mixed::Either,
                            Some(Substance::Benzodiazepines)
                        ) | (Mixed::Alcohol | Mixed::Either, Some(Substance::Alcohol))
                    )
                })
                .then_some(None),
        }
    }
}

/// A reason for a matched rule. Its words are the rule's advice sentence in the content pack
/// (`assets/content/advice.toml`, the same id as the rule), so the pack's source, readability and
/// wording checks cover them; a test checks that every rule has one.
fn reason(rule_id: &str, fact_id: &str, level: Level, day: Option<u32>) -> Reason {
    Reason {
        rule_id: rule_id.to_owned(),
        fact_id: fact_id.to_owned(),
        text: holdfast_content::advice_sentence(rule_id).to_owned(),
        level,
        day,
    }
}

fn sorted_actions(extra: impl IntoIterator<Item = Action>) -> Vec<Action> {
    let mut actions: Vec<Action> = ALWAYS_OFFERED.into_iter().chain(extra).collect();
    actions.sort();
    actions.dedup();
    actions
}

/// The milestone reached after `days` days since the last use, if any.
pub fn milestone(days: u32) -> Option<Milestone> {
    let reached = MILESTONE_DAYS.iter().rev().find(|m| **m <= days).copied()?;
    Some(Milestone {
        days: reached,
        today: reached == days,
        remind_lower_tolerance: reached >= MILESTONE_REMINDER_FROM_DAYS,
    })
}

/// The tolerance status for `journal` at `now`, in the time zone `tz` (for example
/// `chrono::Local` in the app, a `chrono_tz::Tz` or a `FixedOffset` in tests).
pub fn assess<U, B, Tz>(journal: &Records<'_, U, B>, now: DateTime<Utc>, tz: &Tz) -> ToleranceStatus
where
    U: AsRef<UseEntry>,
    B: AsRef<BreakEntry>,
    Tz: TimeZone,
{
    let today = today(now, tz);

    // Uses by local calendar day, then instant.
    let mut uses: Vec<(NaiveDate, DateTime<Utc>, &UseEntry)> = journal
        .uses
        .iter()
        .map(AsRef::as_ref)
        .map(|u| (local_date(&u.at), u.at.utc, u))
        .collect();
    uses.sort_by_key(|(date, utc, _)| (*date, *utc));

    let last = uses.last();
    let days_since_last_use = last.map(|(date, _, _)| days_between(*date, today));
    let days_since_last_opioid_use = uses
        .iter()
        .rev()
        .find(|(_, _, u)| is_opioid_use(u.substance))
        .map(|(date, _, _)| days_between(*date, today));
    let last_use = last.map(|(date, utc, u)| LastUse {
        at: u.at,
        local_date: *date,
        substance: u.substance,
        in_future: *utc > now,
    });
    let last_day_substances: Vec<Option<Substance>> = last
        .map(|(last_date, _, _)| {
            uses.iter()
                .rev()
                .take_while(|(date, _, _)| date == last_date)
                .map(|(_, _, u)| u.substance)
                .collect()
        })
        .unwrap_or_default();

    let mut longest = days_since_last_use;
    let mut restarts = 0u32;
    for pair in uses.windows(2) {
        if let [(a, _, _), (b, _, _)] = pair {
            let gap = days_between(*a, *b);
            longest = longest.max(Some(gap));
            if gap >= RESTART_GAP_DAYS {
                restarts = restarts.saturating_add(1);
            }
        }
    }

    let facts = Facts {
        today,
        breaks: journal.breaks,
        treatment: journal.treatment,
        days_since_opioid: days_since_last_opioid_use,
        last_day_substances,
    };
    let matched: Vec<(&Rule, Option<u32>)> = RULES
        .iter()
        .filter_map(|rule| facts.matches(&rule.when).map(|day| (rule, day)))
        .collect();

    let nothing_recorded = journal.uses.is_empty() && journal.breaks.is_empty();
    let level = matched
        .iter()
        .map(|(rule, _)| rule.level)
        .max()
        .unwrap_or(if nothing_recorded {
            Level::NotSet
        } else {
            Level::Usual
        });
    let mut reasons: Vec<Reason> = matched
        .iter()
        .map(|(rule, day)| reason(rule.id, rule.fact_id, rule.level, *day))
        .collect();
    reasons.sort_by_key(|r| std::cmp::Reverse(r.level));
    let actions = sorted_actions(
        matched
            .iter()
            .flat_map(|(rule, _)| rule.actions.iter().copied()),
    );

    ToleranceStatus {
        today,
        days_since_last_use,
        days_since_last_opioid_use,
        last_use,
        longest_stretch_days: longest,
        restarts,
        level,
        reasons,
        actions,
        milestone: days_since_last_use.and_then(milestone),
    }
}

/// Guidance for restarting `medicine` whose last dose was on the local day `last_dose`. It never
/// gives a dose: it says the old dose may now be too strong and offers the prescriber.
pub fn restart_advice<Tz: TimeZone>(
    medicine: Medicine,
    last_dose: NaiveDate,
    now: DateTime<Utc>,
    tz: &Tz,
) -> RestartAdvice {
    restart_advice_after(medicine, days_between(last_dose, today(now, tz)))
}

/// The same, from the number of days since the last dose.
pub fn restart_advice_after(medicine: Medicine, days_off: u32) -> RestartAdvice {
    let matched: Vec<_> = RESTART_RULES
        .iter()
        .filter(|r| r.when.medicines.contains(&medicine) && days_off >= r.when.min_days_off)
        .collect();
    let mut reasons: Vec<Reason> = matched
        .iter()
        .map(|r| reason(r.id, r.fact_id, r.level, Some(days_off)))
        .collect();
    reasons.sort_by_key(|r| std::cmp::Reverse(r.level));
    let actions = sorted_actions(
        std::iter::once(Action::TalkToPrescriber)
            .chain(matched.iter().flat_map(|r| r.actions.iter().copied())),
    );
    RestartAdvice {
        medicine,
        days_off,
        reasons,
        actions,
    }
}
