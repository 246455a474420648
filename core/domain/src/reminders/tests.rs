//! The reminder schedule: kinds, text, quiet hours, missed groups, DST in both directions, a
//! change of time zone and a clock moved backwards.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::America::New_York;
use chrono_tz::Europe::London;
use chrono_tz::Tz;

use super::*;

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

use crate::test_support::date as d;

/// A local wall-clock time in `tz` as UTC (must exist and be unambiguous).
fn at(tz: &Tz, y: i32, mo: u32, day: u32, h: u32, mi: u32) -> DateTime<Utc> {
    tz.with_ymd_and_hms(y, mo, day, h, mi, 0)
        .single()
        .map(|x| x.with_timezone(&Utc))
        .expect("a local time that exists once")
}

fn daily(h: u32, m: u32) -> ReminderSettings {
    ReminderSettings {
        daily_checkin: Some(t(h, m)),
        ..ReminderSettings::default()
    }
}

fn empty() -> ReminderJournal<'static> {
    ReminderJournal {
        breaks: &[],
        kits: &[],
        checkin_dates: &[],
        next_visits: &[],
    }
}

fn of_kind(rs: &[Reminder], kind: ReminderKind) -> Vec<&Reminder> {
    rs.iter().filter(|r| r.kind == kind).collect()
}

fn local(tz: &Tz, r: &Reminder) -> String {
    r.due.with_timezone(tz).format("%Y-%m-%d %H:%M").to_string()
}

/// Properties every schedule must have: nothing due before now or at/before the last delivery
/// (except the one missed group, due now or after quiet hours), no id twice, soonest first.
fn check_invariants(rs: &[Reminder], now: DateTime<Utc>, last: Option<DateTime<Utc>>) {
    let ids: BTreeSet<&str> = rs.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), rs.len(), "duplicate ids in {rs:#?}");
    assert!(of_kind(rs, ReminderKind::Missed).len() <= 1);
    for r in rs {
        assert!(r.due >= now, "{} due {} before now {now}", r.id, r.due);
        if r.kind != ReminderKind::Missed {
            if let Some(last) = last {
                assert!(
                    r.due > last,
                    "{} due {} not after last delivery",
                    r.id,
                    r.due
                );
            }
        }
    }
    let upcoming: Vec<_> = rs
        .iter()
        .filter(|r| r.kind != ReminderKind::Missed)
        .collect();
    assert!(upcoming.windows(2).all(|w| w[0].due <= w[1].due));
}

#[test]
fn daily_checkin_at_local_time_skipping_days_already_done() {
    let now = at(&London, 2026, 6, 10, 12, 0);
    let rs = schedule(&daily(20, 0), &empty(), now, &London, Some(now));
    check_invariants(&rs, now, Some(now));
    let first = rs.first().map(|r| local(&London, r));
    assert_eq!(first.as_deref(), Some("2026-06-10 20:00"));
    assert_eq!(rs.len(), 31, "today and the next 30 days");
    assert!(rs.iter().all(|r| r.kind == ReminderKind::DailyCheckin));
    // Already checked in today: the first is tomorrow.
    let done = [d(2026, 6, 10)];
    let j = ReminderJournal {
        checkin_dates: &done,
        next_visits: &[],
        ..empty()
    };
    let rs = schedule(&daily(20, 0), &j, now, &London, Some(now));
    assert_eq!(
        rs.first().map(|r| local(&London, r)).as_deref(),
        Some("2026-06-11 20:00")
    );
    // Exactly at the due time it counts as delivered-or-missed, not upcoming; one second before
    // it is still upcoming.
    let due = at(&London, 2026, 6, 10, 20, 0);
    let rs = schedule(
        &daily(20, 0),
        &empty(),
        due - Duration::seconds(1),
        &London,
        None,
    );
    assert_eq!(rs.first().map(|r| r.due), Some(due));
    let rs = schedule(&daily(20, 0), &empty(), due, &London, None);
    assert_eq!(
        rs.first().map(|r| local(&London, r)).as_deref(),
        Some("2026-06-11 20:00")
    );
}

#[test]
fn text_is_discreet_unless_detailed_is_chosen() {
    let now = at(&London, 2026, 6, 10, 12, 0);
    let kits = [Stored {
        id: 1,
        record: NaloxoneKit {
            kind: KitKind::Nasal,
            kept_at: Some("bag".into()),
            expires: Some(d(2026, 6, 12)),
            used_on: None,
            note: None,
        },
    }];
    let j = ReminderJournal {
        kits: &kits,
        ..empty()
    };
    let rs = schedule(&daily(20, 0), &j, now, &London, None);
    for r in &rs {
        assert_eq!(r.summary, "Holdfast");
        let want = if r.kind == ReminderKind::DailyCheckin {
            "Time to check in"
        } else {
            "You have a reminder in the app"
        };
        assert_eq!(r.body, want);
        assert!(!r.body.contains("naloxone") && !r.body.contains("bag"));
    }
    let detailed = ReminderSettings {
        detailed_text: true,
        ..daily(20, 0)
    };
    let rs = schedule(&detailed, &j, now, &London, None);
    let checkin = of_kind(&rs, ReminderKind::DailyCheckin);
    assert_eq!(checkin[0].summary, "Holdfast: time to check in");
    let kit = of_kind(&rs, ReminderKind::KitExpired);
    assert_eq!(kit.len(), 1);
    assert!(kit[0].body.contains("nasal naloxone expires today"));
    // Kit reminders come at the check-in time when one is set, otherwise at 10:00.
    assert_eq!(local(&London, kit[0]), "2026-06-12 20:00");
    let no_daily = ReminderSettings {
        daily_checkin: None,
        ..ReminderSettings::default()
    };
    let rs = schedule(&no_daily, &j, now, &London, None);
    assert_eq!(rs.len(), 1);
    assert_eq!(local(&London, &rs[0]), "2026-06-12 10:00");
}

#[test]
fn all_off_and_each_kind_off() {
    let now = at(&London, 2026, 6, 10, 12, 0);
    let kits = [Stored {
        id: 1,
        record: NaloxoneKit {
            kind: KitKind::Injection,
            kept_at: None,
            expires: Some(d(2026, 6, 20)),
            used_on: None,
            note: None,
        },
    }];
    let breaks = [Stored {
        id: 3,
        record: BreakEntry {
            kind: BreakKind::DetoxDischarge,
            start: d(2026, 6, 1),
            end: Some(d(2026, 6, 9)),
            note: None,
        },
    }];
    let j = ReminderJournal {
        kits: &kits,
        breaks: &breaks,
        checkin_dates: &[],
        next_visits: &[],
    };
    let on = daily(20, 0);
    assert!(!schedule(&on, &j, now, &London, None).is_empty());
    let off = ReminderSettings {
        enabled: false,
        ..on.clone()
    };
    assert!(schedule(&off, &j, now, &London, Some(now - Duration::days(3))).is_empty());
    let no_kits = ReminderSettings {
        naloxone_expiry: false,
        ..on.clone()
    };
    assert!(of_kind(
        &schedule(&no_kits, &j, now, &London, None),
        ReminderKind::KitExpired
    )
    .is_empty());
    let no_tol = ReminderSettings {
        low_tolerance: false,
        ..on.clone()
    };
    assert!(of_kind(
        &schedule(&no_tol, &j, now, &London, None),
        ReminderKind::LowTolerance
    )
    .is_empty());
    // A used kit has no expiry reminders.
    let used = [Stored {
        id: 1,
        record: NaloxoneKit {
            used_on: Some(d(2026, 6, 5)),
            ..kits[0].record.clone()
        },
    }];
    let j2 = ReminderJournal { kits: &used, ..j };
    assert!(of_kind(
        &schedule(&on, &j2, now, &London, None),
        ReminderKind::KitExpired
    )
    .is_empty());
}

#[test]
fn naloxone_kit_30_days_before_and_on_expiry() {
    let now = at(&London, 2026, 6, 1, 9, 0);
    let kit = |expires| {
        [Stored {
            id: 4,
            record: NaloxoneKit {
                kind: KitKind::Nasal,
                kept_at: None,
                expires: Some(expires),
                used_on: None,
                note: None,
            },
        }]
    };
    let s = ReminderSettings::default();
    // Expiring in 20 days: "expires soon" was 10 days ago (before the last delivery), the
    // expiry-day reminder is scheduled.
    let kits = kit(d(2026, 6, 21));
    let j = ReminderJournal {
        kits: &kits,
        ..empty()
    };
    let rs = schedule(&s, &j, now, &London, Some(now - Duration::hours(1)));
    check_invariants(&rs, now, Some(now - Duration::hours(1)));
    assert_eq!(rs.len(), 1);
    assert_eq!(rs[0].id, "kit-expired:4:2026-06-21");
    assert_eq!(local(&London, &rs[0]), "2026-06-21 10:00");
    // Expiring in exactly 30 days: "soon" is today at 10:00; in 31 days it is tomorrow.
    let kits = kit(d(2026, 7, 1));
    let j = ReminderJournal {
        kits: &kits,
        ..empty()
    };
    let rs = schedule(&s, &j, now, &London, None);
    assert_eq!(rs[0].id, "kit-soon:4:2026-07-01");
    assert_eq!(local(&London, &rs[0]), "2026-06-01 10:00");
    let kits = kit(d(2026, 7, 2));
    let j = ReminderJournal {
        kits: &kits,
        ..empty()
    };
    let rs = schedule(&s, &j, now, &London, None);
    assert_eq!(local(&London, &rs[0]), "2026-06-02 10:00");
    // The expiry day itself, 31 days out, is past the horizon.
    assert_eq!(rs.len(), 1);
}

#[test]
fn low_tolerance_on_days_1_3_7_14_after_a_break() {
    let now = at(&London, 2026, 6, 10, 8, 0);
    let b = |kind, end| Stored {
        id: 9,
        record: BreakEntry {
            kind,
            start: d(2026, 5, 1),
            end,
            note: None,
        },
    };
    let s = ReminderSettings::default();
    let breaks = [b(BreakKind::PrisonRelease, Some(d(2026, 6, 10)))];
    let j = ReminderJournal {
        breaks: &breaks,
        ..empty()
    };
    let rs = schedule(&s, &j, now, &London, None);
    let days: Vec<String> = rs.iter().map(|r| local(&London, r)).collect();
    assert_eq!(
        days,
        [
            "2026-06-11 10:00",
            "2026-06-13 10:00",
            "2026-06-17 10:00",
            "2026-06-24 10:00"
        ]
    );
    assert_eq!(rs[1].id, "tolerance:9:3");
    // Still inside (no release date yet): none.
    let breaks = [b(BreakKind::PrisonRelease, None)];
    let j = ReminderJournal {
        breaks: &breaks,
        ..empty()
    };
    assert!(schedule(&s, &j, now, &London, None).is_empty());
    // A stop with no end counts from its first day.
    let breaks = [Stored {
        id: 2,
        record: BreakEntry {
            kind: BreakKind::StoppedMethadone,
            start: d(2026, 6, 9),
            end: None,
            note: None,
        },
    }];
    let j = ReminderJournal {
        breaks: &breaks,
        ..empty()
    };
    let detailed = ReminderSettings {
        detailed_text: true,
        ..s
    };
    let rs = schedule(&detailed, &j, now, &London, None);
    assert_eq!(rs[0].id, "tolerance:2:1");
    assert_eq!(local(&London, &rs[0]), "2026-06-10 10:00");
    assert!(rs[0].body.starts_with("It is 1 day since your break."));
    // Which break it was stays in the app, even in detailed text (security review L12).
    assert!(!rs[0].body.contains("methadone"), "{}", rs[0].body);
    // The safety sentence comes from the content pack (advice.toml).
    let advice = holdfast_content::advice_text("reminder-tolerance-low").unwrap_or("missing");
    assert!(rs[0].body.ends_with(advice), "{}", rs[0].body);
    assert!(rs[1].body.starts_with("It is 3 days since"));
}

#[test]
fn quiet_hours_push_to_their_end_at_the_boundaries() {
    let now = at(&London, 2026, 6, 10, 12, 0);
    let quiet = Some(QuietHours {
        start: t(22, 0),
        end: t(7, 0),
    });
    let first_due = |h, m| {
        let s = ReminderSettings {
            quiet_hours: quiet,
            ..daily(h, m)
        };
        schedule(&s, &empty(), now, &London, None)
            .first()
            .map(|r| local(&London, r))
            .expect("a reminder")
    };
    assert_eq!(first_due(21, 59), "2026-06-10 21:59");
    assert_eq!(first_due(22, 0), "2026-06-11 07:00");
    assert_eq!(first_due(23, 30), "2026-06-11 07:00");
    // 06:59 today is before now (12:00); tomorrow's 06:59 goes to 07:00.
    assert_eq!(first_due(6, 59), "2026-06-11 07:00");
    assert_eq!(first_due(7, 0), "2026-06-11 07:00");
    // A quiet stretch inside one day.
    let s = ReminderSettings {
        quiet_hours: Some(QuietHours {
            start: t(13, 0),
            end: t(15, 30),
        }),
        ..daily(14, 0)
    };
    let rs = schedule(&s, &empty(), now, &London, None);
    assert_eq!(local(&London, &rs[0]), "2026-06-10 15:30");
    // Start and end the same is refused.
    let bad = ReminderSettings {
        quiet_hours: Some(QuietHours {
            start: t(1, 0),
            end: t(1, 0),
        }),
        ..ReminderSettings::default()
    };
    assert!(matches!(
        bad.validate(),
        Err(crate::Invalid {
            field: "quiet hours",
            ..
        })
    ));
}

#[test]
fn missed_reminders_come_back_once_as_one_group() {
    // Closed for five days: the check-ins of 5..=9 June at 20:00 were missed.
    let last = at(&London, 2026, 6, 5, 8, 0);
    let now = at(&London, 2026, 6, 10, 12, 0);
    let done = [d(2026, 6, 7)];
    let j = ReminderJournal {
        checkin_dates: &done,
        next_visits: &[],
        ..empty()
    };
    let rs = schedule(&daily(20, 0), &j, now, &London, Some(last));
    check_invariants(&rs, now, Some(last));
    let missed = of_kind(&rs, ReminderKind::Missed);
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0].due, now);
    assert_eq!(
        missed[0].covers,
        [
            "checkin:2026-06-05",
            "checkin:2026-06-06",
            "checkin:2026-06-08",
            "checkin:2026-06-09"
        ]
    );
    assert_eq!(missed[0].id, "missed:checkin:2026-06-09");
    assert_eq!(
        (missed[0].summary.as_str(), missed[0].body.as_str()),
        ("Holdfast", "You have reminders in the app")
    );
    // Asked again before delivering: the same group, same id.
    let again = schedule(
        &daily(20, 0),
        &j,
        now + Duration::minutes(1),
        &London,
        Some(last),
    );
    assert_eq!(of_kind(&again, ReminderKind::Missed)[0].id, missed[0].id);
    // Once delivered, not again.
    let after = schedule(
        &daily(20, 0),
        &j,
        now + Duration::minutes(1),
        &London,
        Some(now),
    );
    assert!(of_kind(&after, ReminderKind::Missed).is_empty());
    // Closed for months: only the last fortnight counts, still as one group.
    let long = schedule(
        &daily(20, 0),
        &empty(),
        now,
        &London,
        Some(now - Duration::days(120)),
    );
    let missed = of_kind(&long, ReminderKind::Missed);
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0].covers.len(), 14);
    // Detailed text names what was missed.
    let s = ReminderSettings {
        detailed_text: true,
        ..daily(20, 0)
    };
    let rs = schedule(&s, &j, now, &London, Some(last));
    let m = of_kind(&rs, ReminderKind::Missed);
    assert_eq!(
        m[0].summary,
        "Holdfast: 4 reminders while the app was closed"
    );
    assert_eq!(m[0].body, "time to check in");
    // First launch ever (nothing delivered yet): nothing counts as missed.
    assert!(of_kind(
        &schedule(&daily(20, 0), &j, now, &London, None),
        ReminderKind::Missed
    )
    .is_empty());
    // Opening the app in quiet hours: the group waits for their end.
    let quiet = ReminderSettings {
        quiet_hours: Some(QuietHours {
            start: t(11, 0),
            end: t(13, 0),
        }),
        ..daily(20, 0)
    };
    let rs = schedule(&quiet, &j, now, &London, Some(last));
    assert_eq!(
        local(&London, of_kind(&rs, ReminderKind::Missed)[0]),
        "2026-06-10 13:00"
    );
}

#[test]
fn dst_spring_forward_both_zones() {
    // London: 29 March 2026, 01:00 GMT jumps to 02:00 BST. New York: 8 March 2026, 02:00 EST
    // jumps to 03:00 EDT.
    for (tz, y, m, day, skipped, after_gap) in [
        (London, 2026, 3, 29, t(1, 30), "02:00"),
        (New_York, 2026, 3, 8, t(2, 30), "03:00"),
    ] {
        let now = at(&tz, y, m, day - 2, 12, 0);
        let s = ReminderSettings {
            daily_checkin: Some(skipped),
            ..ReminderSettings::default()
        };
        let rs = schedule(&s, &empty(), now, &tz, Some(now));
        check_invariants(&rs, now, Some(now));
        let locals: Vec<String> = rs.iter().take(4).map(|r| local(&tz, r)).collect();
        let hm = skipped.format("%H:%M").to_string();
        assert_eq!(
            locals,
            [
                format!("{y}-{m:02}-{:02} {hm}", day - 1),
                format!("{y}-{m:02}-{day:02} {after_gap}"),
                format!("{y}-{m:02}-{:02} {hm}", day + 1),
                format!("{y}-{m:02}-{:02} {hm}", day + 2),
            ],
            "{tz}"
        );
        // An evening reminder keeps its wall-clock time; the day of the change is 23 hours.
        let rs = schedule(&daily(20, 0), &empty(), now, &tz, Some(now));
        assert_eq!(rs[2].due - rs[1].due, Duration::hours(23), "{tz}");
        assert_eq!(rs[1].due - rs[0].due, Duration::hours(24), "{tz}");
        assert!(rs.iter().all(|r| local(&tz, r).ends_with("20:00")));
    }
}

#[test]
fn dst_fall_back_both_zones() {
    // London: 25 October 2026, 02:00 BST goes back to 01:00 GMT. New York: 1 November 2026,
    // 02:00 EDT goes back to 01:00 EST. 01:30 happens twice: one reminder, at the first.
    for (tz, y, m, day) in [(London, 2026, 10, 25), (New_York, 2026, 11, 1)] {
        let now = at(&tz, y, m, day, 12, 0) - Duration::days(1);
        let rs = schedule(&daily(1, 30), &empty(), now, &tz, Some(now));
        check_invariants(&rs, now, Some(now));
        let on_day: Vec<&Reminder> = rs
            .iter()
            .filter(|r| r.id == format!("checkin:{y}-{m:02}-{day:02}"))
            .collect();
        assert_eq!(on_day.len(), 1, "{tz}");
        let first_0130 = tz
            .with_ymd_and_hms(y, m, day, 1, 30, 0)
            .earliest()
            .map(|x| x.with_timezone(&Utc));
        assert_eq!(Some(on_day[0].due), first_0130, "{tz}");
        // Asked again between the two 01:30s, after delivering the first: not repeated.
        let between = on_day[0].due + Duration::minutes(45);
        let rs2 = schedule(&daily(1, 30), &empty(), between, &tz, Some(on_day[0].due));
        check_invariants(&rs2, between, Some(on_day[0].due));
        assert!(rs2.iter().all(|r| r.id != on_day[0].id), "{tz}");
        // The evening reminder: the day of the change is 25 hours.
        let rs = schedule(&daily(20, 0), &empty(), now, &tz, Some(now));
        assert_eq!(rs[1].due - rs[0].due, Duration::hours(25), "{tz}");
    }
}

#[test]
fn a_change_of_time_zone_neither_repeats_nor_skips_into_the_past() {
    // Delivered in New York at 20:00 on 10 June, then flew to London overnight.
    let delivered = at(&New_York, 2026, 6, 10, 20, 0);
    let now = at(&London, 2026, 6, 11, 9, 0);
    let rs = schedule(&daily(20, 0), &empty(), now, &London, Some(delivered));
    check_invariants(&rs, now, Some(delivered));
    assert!(of_kind(&rs, ReminderKind::Missed).is_empty(), "{rs:#?}");
    assert_eq!(
        rs.first().map(|r| local(&London, r)).as_deref(),
        Some("2026-06-11 20:00")
    );
    // The other way: delivered in London at 20:00, now in New York the same evening. London's
    // 20:00 on 10 June is not repeated; New York's 20:00 comes (a different instant).
    let delivered = at(&London, 2026, 6, 10, 20, 0);
    let now = at(&New_York, 2026, 6, 10, 17, 0);
    let rs = schedule(&daily(20, 0), &empty(), now, &New_York, Some(delivered));
    check_invariants(&rs, now, Some(delivered));
    assert_eq!(
        rs.first().map(|r| local(&New_York, r)).as_deref(),
        Some("2026-06-10 20:00")
    );
    // With a check-in made in London that day, New York's 10 June reminder is skipped.
    let done = [d(2026, 6, 10)];
    let j = ReminderJournal {
        checkin_dates: &done,
        next_visits: &[],
        ..empty()
    };
    let rs = schedule(&daily(20, 0), &j, now, &New_York, Some(delivered));
    assert_eq!(
        rs.first().map(|r| local(&New_York, r)).as_deref(),
        Some("2026-06-11 20:00")
    );
}

#[test]
fn a_clock_moved_backwards_never_repeats_or_goes_negative() {
    let delivered = at(&London, 2026, 6, 10, 20, 0);
    let kits = [Stored {
        id: 1,
        record: NaloxoneKit {
            kind: KitKind::Nasal,
            kept_at: None,
            expires: Some(d(2026, 6, 9)),
            used_on: None,
            note: None,
        },
    }];
    let j = ReminderJournal {
        kits: &kits,
        ..empty()
    };
    for back in [
        Duration::minutes(5),
        Duration::hours(30),
        Duration::days(3),
        Duration::days(400),
    ] {
        let now = delivered - back;
        let rs = schedule(&daily(20, 0), &j, now, &London, Some(delivered));
        check_invariants(&rs, now, Some(delivered));
        assert!(of_kind(&rs, ReminderKind::Missed).is_empty());
        assert!(rs
            .iter()
            .all(|r| r.id != "checkin:2026-06-10" && r.id != "kit-expired:1:2026-06-09"));
        assert!(rs.iter().all(|r| r.due > delivered));
    }
}
