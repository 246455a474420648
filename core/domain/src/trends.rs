//! Trends from the daily check-ins, and gentle nudges from them. Pure: no store, no clock.
//!
//! - [`trend`]: the last 30 local calendar days of cravings, mood and sleep. A day without a
//!   check-in is a gap (`None`), never a zero, and never a broken streak.
//! - [`nudge`]: when cravings have risen three days running, or the latest check-in marks a
//!   warning sign from the safety plan, the person's own coping steps and support people come to
//!   the top of the home screen. See `docs/reminders.md` for the exact rules.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::records::{Checkin, PlanItem, RecordId, SafetyPlan, Stored, SupportPerson};

/// How many local calendar days the trend covers, today included.
pub const TREND_DAYS: u32 = 30;
/// How many check-ins on consecutive days, each with higher cravings than the day before, make
/// the "cravings rising" nudge.
pub const RISING_RUN_DAYS: u32 = 3;
/// A check-in older than this many days before today no longer nudges (so an old pattern does
/// not follow the person around). 1 means today's or yesterday's.
pub const NUDGE_RECENT_DAYS: u32 = 1;

/// One day of the trend. `None` means no check-in that day (a gap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TrendPoint {
    pub date: NaiveDate,
    pub cravings: Option<u8>,
    pub mood: Option<u8>,
    pub sleep: Option<u8>,
}

/// The trend over [`TREND_DAYS`] days, oldest first, ending today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Trend {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub points: Vec<TrendPoint>,
    /// Days in the range with a check-in.
    pub days_with_checkin: u32,
}

/// The trend for the [`TREND_DAYS`] days ending `today`. Check-ins outside the range (including
/// any dated after today, as after a clock moved back) are left out.
pub fn trend<C: AsRef<Checkin>>(checkins: &[C], today: NaiveDate) -> Trend {
    let from = today - Duration::days(i64::from(TREND_DAYS) - 1);
    let mut points: Vec<TrendPoint> = (0..i64::from(TREND_DAYS))
        .map(|i| TrendPoint {
            date: from + Duration::days(i),
            cravings: None,
            mood: None,
            sleep: None,
        })
        .collect();
    let mut days = 0;
    for c in checkins.iter().map(AsRef::as_ref) {
        let offset = c.date.signed_duration_since(from).num_days();
        let slot = usize::try_from(offset).ok().and_then(|i| points.get_mut(i));
        if let Some(p) = slot {
            if p.cravings.is_none() {
                days += 1;
            }
            p.cravings = Some(c.cravings);
            p.mood = Some(c.mood);
            p.sleep = c.sleep;
        }
    }
    Trend {
        from,
        to: today,
        points,
        days_with_checkin: days,
    }
}

impl AsRef<Checkin> for Checkin {
    fn as_ref(&self) -> &Checkin {
        self
    }
}

/// Why the nudge is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NudgeReason {
    /// Cravings went up on each of [`RISING_RUN_DAYS`] days in a row, from `from` to `to`.
    CravingsRising {
        from: NaiveDate,
        to: NaiveDate,
        /// The cravings on those days, oldest first.
        cravings: Vec<u8>,
    },
    /// The check-in of `date` marked warning signs from the plan (their words).
    WarningSignsMarked { date: NaiveDate, signs: Vec<String> },
}

/// What comes to the top of the home screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Nudge {
    pub reasons: Vec<NudgeReason>,
    /// One plain sentence to lead with.
    pub message: String,
    /// The person's own coping steps, in their plan's order.
    pub coping_steps: Vec<String>,
    /// The people on the plan's "people I can ask for help", in plan order; every support
    /// person when the plan names none.
    pub support_people: Vec<Stored<SupportPerson>>,
}

/// The latest check-in dated today or up to [`NUDGE_RECENT_DAYS`] before, ignoring any dated
/// after today.
fn latest_recent(checkins: &[Stored<Checkin>], today: NaiveDate) -> Option<&Checkin> {
    let oldest = today - Duration::days(i64::from(NUDGE_RECENT_DAYS));
    checkins
        .iter()
        .map(|c| &c.record)
        .filter(|c| c.date <= today)
        .max_by_key(|c| c.date)
        .filter(|c| c.date >= oldest)
}

fn rising(checkins: &[Stored<Checkin>], latest: &Checkin) -> Option<NudgeReason> {
    let mut run = Vec::new();
    for back in (0..i64::from(RISING_RUN_DAYS)).rev() {
        let day = latest.date - Duration::days(back);
        let c = checkins.iter().find(|c| c.record.date == day)?;
        run.push(c.record.cravings);
    }
    let up = run.windows(2).all(|w| matches!(w, [a, b] if b > a));
    let first = latest.date - Duration::days(i64::from(RISING_RUN_DAYS) - 1);
    up.then_some(NudgeReason::CravingsRising {
        from: first,
        to: latest.date,
        cravings: run,
    })
}

fn marked_signs(plan: &SafetyPlan, latest: &Checkin) -> Option<NudgeReason> {
    let signs: Vec<String> = plan
        .warning_signs
        .iter()
        .filter(|s| latest.warning_signs.contains(&s.id))
        .filter_map(|s| match &s.record {
            PlanItem::WarningSign { text } => Some(text.clone()),
            _ => None,
        })
        .collect();
    (!signs.is_empty()).then_some(NudgeReason::WarningSignsMarked {
        date: latest.date,
        signs,
    })
}

/// The nudge for `today`, if a rule matches. See the module docs.
pub fn nudge(
    checkins: &[Stored<Checkin>],
    plan: &SafetyPlan,
    people: &[Stored<SupportPerson>],
    today: NaiveDate,
) -> Option<Nudge> {
    let latest = latest_recent(checkins, today)?;
    let reasons: Vec<NudgeReason> = [rising(checkins, latest), marked_signs(plan, latest)]
        .into_iter()
        .flatten()
        .collect();
    let message = match reasons.as_slice() {
        [] => return None,
        [NudgeReason::CravingsRising { .. }] => {
            "Your cravings have gone up three days running. Here are the things that help you, and people you can reach."
        }
        [NudgeReason::WarningSignsMarked { .. }] => {
            "You noticed a warning sign from your plan. Here are the things that help you, and people you can reach."
        }
        _ => {
            "Your cravings have gone up three days running, and you noticed a warning sign from your plan. Here are the things that help you, and people you can reach."
        }
    }
    .to_owned();
    let coping_steps = plan
        .coping_steps
        .iter()
        .filter_map(|s| match &s.record {
            PlanItem::CopingStep { text } => Some(text.clone()),
            _ => None,
        })
        .collect();
    let on_plan: Vec<RecordId> = plan.help_person_ids();
    let support_people = if on_plan.is_empty() {
        people.to_vec()
    } else {
        on_plan
            .iter()
            .filter_map(|id| people.iter().find(|p| p.id == *id).cloned())
            .collect()
    };
    Some(Nudge {
        reasons,
        message,
        coping_steps,
        support_people,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::EventTime;

    fn d(day: u32) -> NaiveDate {
        crate::test_support::date(2026, 3, 1) + Duration::days(i64::from(day))
    }

    fn c(id: RecordId, day: u32, cravings: u8) -> Stored<Checkin> {
        let recorded = EventTime {
            utc: chrono::DateTime::from_timestamp(0, 0).expect("a valid instant"),
            offset_seconds: 0,
        };
        Stored {
            id,
            record: Checkin::new(d(day), cravings, 3, recorded),
        }
    }

    fn plan() -> SafetyPlan {
        SafetyPlan {
            warning_signs: vec![Stored {
                id: 50,
                record: PlanItem::WarningSign {
                    text: "not sleeping".into(),
                },
            }],
            coping_steps: vec![
                Stored {
                    id: 60,
                    record: PlanItem::CopingStep {
                        text: "walk the dog".into(),
                    },
                },
                Stored {
                    id: 61,
                    record: PlanItem::CopingStep {
                        text: "shower and music".into(),
                    },
                },
            ],
            help_people: vec![Stored {
                id: 70,
                record: PlanItem::HelpPerson { person: 2 },
            }],
            ..SafetyPlan::default()
        }
    }

    fn people() -> Vec<Stored<SupportPerson>> {
        ["Dana", "Sam"]
            .iter()
            .enumerate()
            .map(|(i, n)| Stored {
                id: i as RecordId + 1,
                record: SupportPerson {
                    name: (*n).into(),
                    relation: None,
                    phone: None,
                },
            })
            .collect()
    }

    #[test]
    fn trend_has_thirty_days_with_gaps_as_gaps() {
        let today = d(40);
        let cs = vec![
            c(1, 40, 2),
            c(2, 38, 7),
            c(3, 11, 9),
            c(4, 10, 1),
            c(5, 41, 4),
        ];
        let t = trend(&cs, today);
        assert_eq!(t.points.len(), 30);
        assert_eq!((t.from, t.to), (d(11), d(40)));
        assert_eq!(t.points[29].cravings, Some(2));
        assert_eq!(
            t.points[28],
            TrendPoint {
                date: d(39),
                cravings: None,
                mood: None,
                sleep: None
            }
        );
        assert_eq!(t.points[27].cravings, Some(7));
        // The first day of the range is in; the day before it and a day after today are not.
        assert_eq!(t.points[0].cravings, Some(9));
        assert_eq!(t.days_with_checkin, 3);
        assert!(t.points.iter().all(|p| p.cravings != Some(0)));
    }

    #[test]
    fn rising_three_days_running_nudges_at_its_boundaries() {
        let today = d(10);
        let rise = |a, b, cc| vec![c(1, 8, a), c(2, 9, b), c(3, 10, cc)];
        let n = nudge(&rise(2, 3, 4), &plan(), &people(), today);
        let Some(n) = n else {
            unreachable!("expected a nudge")
        };
        assert_eq!(
            n.reasons,
            [NudgeReason::CravingsRising {
                from: d(8),
                to: d(10),
                cravings: vec![2, 3, 4]
            }]
        );
        assert_eq!(n.coping_steps, ["walk the dog", "shower and music"]);
        // The plan's helper (Sam) only.
        assert_eq!(
            n.support_people.iter().map(|p| p.id).collect::<Vec<_>>(),
            [2]
        );
        // Flat on one day, or down: no nudge.
        assert_eq!(nudge(&rise(2, 3, 3), &plan(), &people(), today), None);
        assert_eq!(nudge(&rise(3, 3, 4), &plan(), &people(), today), None);
        assert_eq!(nudge(&rise(4, 3, 5), &plan(), &people(), today), None);
        // Only two days: no nudge.
        assert_eq!(nudge(&rise(2, 3, 4)[1..], &plan(), &people(), today), None);
        // A gap day breaks the run.
        let gap = vec![c(1, 7, 2), c(2, 9, 3), c(3, 10, 4)];
        assert_eq!(nudge(&gap, &plan(), &people(), today), None);
        // Ending yesterday still counts; ending two days ago does not.
        assert!(nudge(&rise(2, 3, 4), &plan(), &people(), d(11)).is_some());
        assert_eq!(nudge(&rise(2, 3, 4), &plan(), &people(), d(12)), None);
        // A check-in dated after today (clock moved back) is ignored, not counted.
        let mut ahead = rise(2, 3, 4);
        ahead.push(c(4, 11, 0));
        assert!(nudge(&ahead, &plan(), &people(), today).is_some());
        // Cravings from 0 count as rising too.
        assert!(nudge(&rise(0, 1, 2), &plan(), &people(), today).is_some());
    }

    #[test]
    fn a_marked_warning_sign_nudges() {
        let today = d(10);
        let mut marked = c(1, 10, 5);
        marked.record.warning_signs = vec![50];
        let Some(n) = nudge(&[marked.clone()], &plan(), &people(), today) else {
            unreachable!("expected a nudge")
        };
        assert_eq!(
            n.reasons,
            [NudgeReason::WarningSignsMarked {
                date: d(10),
                signs: vec!["not sleeping".into()]
            }]
        );
        assert!(n.message.contains("warning sign"));
        // Only the latest check-in counts: a newer one without signs clears it.
        assert_eq!(
            nudge(&[marked.clone(), c(2, 11, 5)], &plan(), &people(), d(11)),
            None
        );
        // Too old.
        assert_eq!(nudge(&[marked.clone()], &plan(), &people(), d(12)), None);
        // Nothing marked: no nudge.
        assert_eq!(nudge(&[c(1, 10, 5)], &plan(), &people(), today), None);
        // With no helpers on the plan, every support person is offered.
        let mut no_helpers = plan();
        no_helpers.help_people.clear();
        let n = nudge(&[marked], &no_helpers, &people(), today);
        assert_eq!(n.map(|n| n.support_people.len()), Some(2));
    }

    #[test]
    fn both_rules_together() {
        let mut cs = vec![c(1, 8, 1), c(2, 9, 2), c(3, 10, 3)];
        cs[2].record.warning_signs = vec![50];
        let n = nudge(&cs, &plan(), &people(), d(10));
        assert_eq!(n.map(|n| n.reasons.len()), Some(2));
        assert_eq!(nudge(&[], &plan(), &people(), d(10)), None);
    }
}
