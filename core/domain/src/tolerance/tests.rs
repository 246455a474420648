//! Unit tests: the rule table against the content pack, every row at its boundaries, local
//! calendar days (DST both ways, travel, 23:59/00:01, clock moved backwards), and properties.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::America::New_York;
use chrono_tz::Europe::London;
use proptest::prelude::*;

use super::rules::{RESTART_RULES, RULES};
use super::*;
use crate::records::{BreakEntry, BreakKind, EventTime, Stored, Substance, UseEntry};
use holdfast_content::{readability, validate, Confidence, ContentPack};

type TestResult = Result<(), Box<dyn std::error::Error>>;

use crate::test_support::date;

/// A local wall-clock time in `tz` as a UTC instant and the offset in force then.
fn local<Tz: TimeZone>(tz: &Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> EventTime {
    let dt = tz
        .with_ymd_and_hms(y, mo, d, h, mi, 0)
        .earliest()
        .map(|t| t.fixed_offset())
        .expect("a local time that exists");
    EventTime {
        utc: dt.with_timezone(&Utc),
        offset_seconds: dt.offset().local_minus_utc(),
    }
}

fn a_use(at: EventTime, substance: Option<Substance>) -> UseEntry {
    UseEntry {
        at,
        substance,
        note: None,
    }
}

fn a_break(kind: BreakKind, start: NaiveDate, end: Option<NaiveDate>) -> BreakEntry {
    BreakEntry {
        kind,
        start,
        end,
        note: None,
    }
}

/// Noon on 15 June 2026 in London: the "now" of the rule tests.
fn noon() -> DateTime<Utc> {
    local(&London, 2026, 6, 15, 12, 0).utc
}

fn today_london() -> NaiveDate {
    date(2026, 6, 15)
}

fn ago(days: i64) -> NaiveDate {
    today_london() - Duration::days(days)
}

fn run(uses: &[UseEntry], breaks: &[BreakEntry], treatment: Treatment) -> ToleranceStatus {
    assess(
        &Records {
            uses,
            breaks,
            treatment,
        },
        noon(),
        &London,
    )
}

fn with_break(b: BreakEntry) -> ToleranceStatus {
    run(&[], &[b], Treatment::None)
}

fn rule_ids(s: &ToleranceStatus) -> Vec<&str> {
    s.reasons.iter().map(|r| r.rule_id.as_str()).collect()
}

fn days_since(uses: &[UseEntry], now: DateTime<Utc>, tz: &impl TimeZone) -> Option<u32> {
    assess(
        &Records {
            uses,
            breaks: &[] as &[BreakEntry],
            treatment: Treatment::None,
        },
        now,
        tz,
    )
    .days_since_last_use
}

// ---- The table against the content pack -------------------------------------------------

#[test]
fn every_fact_id_in_the_tables_exists_in_the_content_pack() -> TestResult {
    let pack = ContentPack::embedded()?;
    for (id, fact_id, sections) in RULES
        .iter()
        .map(|r| (r.id, r.fact_id, r.sections))
        .chain(RESTART_RULES.iter().map(|r| (r.id, r.fact_id, r.sections)))
    {
        let fact = pack
            .fact(fact_id)
            .ok_or_else(|| format!("rule {id}: fact {fact_id:?} is not in facts.toml"))?;
        assert!(!sections.is_empty(), "rule {id} cites no fact-sheet row");
        // A [V2] fact is shown with its review mark (the tolerance card says it awaits a
        // clinical review), so it must name a V2 source.
        if fact.confidence == Confidence::V2 {
            assert!(
                fact.sources.iter().any(|s| s.confidence == Confidence::V2),
                "rule {id}: fact {fact_id} is V2 but names no V2 source"
            );
        }
        for section in sections {
            assert!(
                fact.sources
                    .iter()
                    .any(|s| s.fact_ids.iter().any(|f| f == section)),
                "rule {id}: fact-sheet row {section} is not among the sources of fact {fact_id}"
            );
            assert!(
                !validate::UNVERIFIED_FACT_IDS.contains(section),
                "rule {id} cites unverified row {section}"
            );
        }
    }
    Ok(())
}

#[test]
fn a_missing_fact_id_is_caught() -> TestResult {
    let pack = ContentPack::embedded()?;
    assert!(pack.fact("no-such-fact").is_none());
    Ok(())
}

#[test]
fn rule_ids_are_unique() {
    let mut ids: Vec<&str> = RULES
        .iter()
        .map(|r| r.id)
        .chain(RESTART_RULES.iter().map(|r| r.id))
        .collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n);
}

#[test]
fn reason_texts_are_plain_and_free_of_stigma() -> Result<(), &'static str> {
    let mut problems = Vec::new();
    for id in RULES
        .iter()
        .map(|r| r.id)
        .chain(RESTART_RULES.iter().map(|r| r.id))
    {
        let text = holdfast_content::advice_text(id).ok_or(id)?;
        let grade = readability::grade(text);
        if grade > validate::MAX_GRADE {
            problems.push(format!("{id}: grade {grade:.1} > 8: {text}"));
        }
        for word in validate::stigma_in(text) {
            problems.push(format!("{id}: stigmatising {word:?}: {text}"));
        }
        // No amounts and no failure words: a return to use is not a failure.
        let lower = text.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        for word in [
            "relapse",
            "relapsed",
            "failure",
            "failed",
            "mg",
            "milligrams",
            "half",
            "double",
        ] {
            if words.contains(&word) {
                problems.push(format!("{id}: uses {word:?}: {text}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    Ok(())
}

#[test]
fn every_level_above_usual_has_a_row_and_rows_offer_something() {
    for rule in RULES {
        assert!(
            rule.level > Level::Usual,
            "{} has no effect on the level",
            rule.id
        );
        assert!(!rule.actions.is_empty(), "{} offers nothing", rule.id);
    }
}

// ---- Empty journal, treatment ------------------------------------------------------------

#[test]
fn nothing_recorded_is_not_set() {
    let s = run(&[], &[], Treatment::None);
    assert_eq!(s.level, Level::NotSet);
    assert_eq!(s.days_since_last_use, None);
    assert_eq!(s.longest_stretch_days, None);
    assert_eq!(s.milestone, None);
    assert!(s.reasons.is_empty());
    assert_eq!(s.actions, ALWAYS_OFFERED.to_vec());
}

#[test]
fn treatment_alone_is_not_a_use() {
    let s = run(&[], &[], Treatment::Methadone);
    assert_eq!(s.days_since_last_use, None);
    // No use and no break: only the on-treatment row, which is about what is added on top.
    assert_eq!(rule_ids(&s), ["on-treatment"]);
    assert_eq!(s.level, Level::Raised);
    assert_eq!(run(&[], &[], Treatment::None).level, Level::NotSet);
    assert_eq!(run(&[], &[], Treatment::Naltrexone).level, Level::NotSet);
}

#[test]
fn on_methadone_or_buprenorphine_tolerance_has_not_dropped() {
    // Content-review E6: 30 days without other opioids on a daily treatment dose is not
    // "your tolerance has dropped"; it is the on-treatment row, raised and never high.
    for treatment in [Treatment::Methadone, Treatment::Buprenorphine] {
        let s = run(&[use_days_ago(30, Some(Substance::Heroin))], &[], treatment);
        assert_eq!(rule_ids(&s), ["on-treatment"], "{treatment:?}");
        assert_eq!(s.level, Level::Raised);
        assert_eq!(s.reasons[0].fact_id, "on-treatment-mixing");
    }
    // Without treatment, or on naltrexone, the 3-day row still speaks.
    for treatment in [Treatment::None, Treatment::Naltrexone] {
        let s = run(&[use_days_ago(30, Some(Substance::Heroin))], &[], treatment);
        assert_eq!(rule_ids(&s), ["no-opioids-3-days"], "{treatment:?}");
        assert_eq!(s.level, Level::High);
    }
}

// ---- Every row at its boundaries ---------------------------------------------------------

fn use_days_ago(days: i64, substance: Option<Substance>) -> UseEntry {
    a_use(
        local(&London, 2026, 6, 15, 9, 0).utc_shift_days(-days),
        substance,
    )
}

trait ShiftDays {
    fn utc_shift_days(self, days: i64) -> Self;
}

impl ShiftDays for EventTime {
    fn utc_shift_days(self, days: i64) -> Self {
        EventTime {
            utc: self.utc + Duration::days(days),
            offset_seconds: self.offset_seconds,
        }
    }
}

#[test]
fn no_opioids_2_days_is_usual_3_days_is_high() {
    let two = run(
        &[use_days_ago(2, Some(Substance::Heroin))],
        &[],
        Treatment::None,
    );
    assert_eq!(two.days_since_last_use, Some(2));
    assert_eq!(two.level, Level::Usual);
    assert!(two.reasons.is_empty());

    let three = run(
        &[use_days_ago(3, Some(Substance::Fentanyl))],
        &[],
        Treatment::None,
    );
    assert_eq!(three.days_since_last_use, Some(3));
    assert_eq!(three.level, Level::High);
    assert_eq!(rule_ids(&three), ["no-opioids-3-days"]);
    assert_eq!(three.reasons[0].fact_id, "tolerance-3-days");
    assert_eq!(three.reasons[0].day, Some(3));
    assert_eq!(
        three.actions,
        [Action::Naloxone, Action::NeverUseAlone, Action::Treatment]
    );
}

#[test]
fn only_opioid_uses_keep_tolerance_up() {
    let uses = [
        use_days_ago(5, Some(Substance::Pills)),
        use_days_ago(0, Some(Substance::Stimulants)),
    ];
    let s = run(&uses, &[], Treatment::None);
    assert_eq!(s.days_since_last_use, Some(0));
    assert_eq!(s.days_since_last_opioid_use, Some(5));
    assert_eq!(s.level, Level::High);
    // A use with no substance recorded counts as opioid use.
    let s = run(
        &[
            use_days_ago(5, Some(Substance::Heroin)),
            use_days_ago(1, None),
        ],
        &[],
        Treatment::None,
    );
    assert_eq!(s.days_since_last_opioid_use, Some(1));
    assert_eq!(s.level, Level::Usual);
}

fn released(kind: BreakKind, days_ago: i64) -> ToleranceStatus {
    with_break(a_break(kind, ago(days_ago + 60), Some(ago(days_ago))))
}

#[test]
fn prison_release_day_14_vs_15_and_28_vs_29() {
    let day0 = released(BreakKind::PrisonRelease, 0);
    assert_eq!(day0.level, Level::Highest);
    let d14 = released(BreakKind::PrisonRelease, 14);
    assert_eq!(d14.level, Level::Highest);
    assert_eq!(
        rule_ids(&d14),
        ["prison-first-2-weeks", "prison-first-4-weeks"]
    );
    assert_eq!(d14.reasons[0].day, Some(14));
    assert!(d14.actions.contains(&Action::CrisisLines));
    let d15 = released(BreakKind::PrisonRelease, 15);
    assert_eq!(d15.level, Level::High);
    assert_eq!(rule_ids(&d15), ["prison-first-4-weeks"]);
    let d28 = released(BreakKind::PrisonRelease, 28);
    assert_eq!(d28.level, Level::High);
    let d29 = released(BreakKind::PrisonRelease, 29);
    assert_eq!(d29.level, Level::Usual);
    assert!(d29.reasons.is_empty());
}

#[test]
fn hospital_day_2_vs_3_14_vs_15_28_vs_29() {
    let level = |d| released(BreakKind::HospitalDischarge, d).level;
    assert_eq!(level(0), Level::Highest);
    assert_eq!(level(2), Level::Highest);
    assert_eq!(level(3), Level::High);
    assert_eq!(level(14), Level::High);
    assert_eq!(level(15), Level::Raised);
    assert_eq!(level(28), Level::Raised);
    assert_eq!(level(29), Level::Usual);
    assert_eq!(
        rule_ids(&released(BreakKind::HospitalDischarge, 2)),
        ["hospital-days-1-2"]
    );
    assert_eq!(
        rule_ids(&released(BreakKind::HospitalDischarge, 3)),
        ["hospital-days-3-14"]
    );
    assert_eq!(
        rule_ids(&released(BreakKind::HospitalDischarge, 15)),
        ["hospital-days-15-28"]
    );
}

#[test]
fn detox_and_residential_day_122_vs_123() {
    for kind in [
        BreakKind::DetoxDischarge,
        BreakKind::ResidentialTreatmentDischarge,
    ] {
        let d122 = released(kind, 122);
        assert_eq!(d122.level, Level::High);
        assert_eq!(rule_ids(&d122), ["detox-or-residential-4-months"]);
        assert_eq!(d122.reasons[0].fact_id, "detox-discharge");
        assert_eq!(released(kind, 123).level, Level::Usual);
    }
}

#[test]
fn still_away_is_raised_until_the_end_day_passes() {
    for kind in [
        BreakKind::PrisonRelease,
        BreakKind::DetoxDischarge,
        BreakKind::ResidentialTreatmentDischarge,
        BreakKind::HospitalDischarge,
    ] {
        let open = with_break(a_break(kind, ago(10), None));
        assert_eq!(open.level, Level::Raised);
        assert_eq!(rule_ids(&open), ["away-now"]);
        // A release date after today (planned, or the clock is behind) is still "away".
        let later = with_break(a_break(kind, ago(10), Some(ago(-1))));
        assert_eq!(rule_ids(&later), ["away-now"]);
    }
}

fn stopped(kind: BreakKind, days_ago: i64, end: Option<NaiveDate>) -> ToleranceStatus {
    with_break(a_break(kind, ago(days_ago), end))
}

#[test]
fn leaving_methadone_or_buprenorphine_day_14_vs_15_and_28_vs_29() {
    for kind in [BreakKind::StoppedMethadone, BreakKind::StoppedBuprenorphine] {
        assert_eq!(stopped(kind, 0, None).level, Level::High);
        let d14 = stopped(kind, 14, None);
        assert_eq!(d14.level, Level::High);
        assert_eq!(rule_ids(&d14), ["left-oat-first-2-weeks"]);
        assert!(d14.actions.contains(&Action::TalkToPrescriber));
        let d15 = stopped(kind, 15, None);
        assert_eq!(d15.level, Level::Raised);
        assert_eq!(rule_ids(&d15), ["left-oat-weeks-3-4"]);
        assert_eq!(stopped(kind, 28, None).level, Level::Raised);
        assert_eq!(stopped(kind, 29, None).level, Level::Usual);
        // Back on it (the break ended yesterday): the "left" rows no longer apply.
        assert_eq!(stopped(kind, 5, Some(ago(1))).level, Level::Usual);
    }
}

#[test]
fn back_on_methadone_day_28_vs_29() {
    let back = |end_days_ago: i64, treatment| {
        run(
            &[],
            &[a_break(
                BreakKind::StoppedMethadone,
                ago(end_days_ago + 30),
                Some(ago(end_days_ago)),
            )],
            treatment,
        )
    };
    let d28 = back(28, Treatment::Methadone);
    assert_eq!(
        rule_ids(&d28),
        ["restarted-methadone-4-weeks", "on-treatment"]
    );
    assert_eq!(d28.level, Level::Raised);
    assert_eq!(d28.reasons[0].fact_id, "starting-methadone");
    assert_eq!(rule_ids(&back(29, Treatment::Methadone)), ["on-treatment"]);
    assert_eq!(back(3, Treatment::None).level, Level::Usual);
}

#[test]
fn stopped_naltrexone_day_28_vs_29() {
    let d0 = stopped(BreakKind::StoppedNaltrexone, 0, None);
    assert_eq!(d0.level, Level::High);
    assert_eq!(d0.reasons[0].fact_id, "naltrexone-stopping");
    assert_eq!(
        stopped(BreakKind::StoppedNaltrexone, 28, None).level,
        Level::High
    );
    assert_eq!(
        stopped(BreakKind::StoppedNaltrexone, 29, None).level,
        Level::Usual
    );
}

fn missed(kind: BreakKind, start_ago: i64, end_ago: Option<i64>) -> ToleranceStatus {
    with_break(a_break(kind, ago(start_ago), end_ago.map(ago)))
}

#[test]
fn missed_methadone_2_vs_3_days() {
    let two = missed(BreakKind::MissedMethadoneDoses { days: 2 }, 2, Some(1));
    assert_eq!(two.level, Level::Usual);
    assert!(!two.actions.contains(&Action::SeeClinicBeforeDose));
    let three = missed(BreakKind::MissedMethadoneDoses { days: 3 }, 3, Some(1));
    assert_eq!(three.level, Level::High);
    assert_eq!(rule_ids(&three), ["missed-methadone-3-days"]);
    assert_eq!(three.reasons[0].day, Some(3));
    assert!(three.actions.contains(&Action::SeeClinicBeforeDose));
    assert!(three.actions.contains(&Action::TalkToPrescriber));
}

#[test]
fn missed_methadone_reminder_day_7_vs_8() {
    let kind = BreakKind::MissedMethadoneDoses { days: 4 };
    assert_eq!(missed(kind, 10, Some(7)).level, Level::High);
    assert_eq!(missed(kind, 11, Some(8)).level, Level::Usual);
}

#[test]
fn missed_methadone_still_going_counts_the_days_so_far() {
    // Recorded as 1 missed day three days ago and not ended: today is the 4th missed day.
    let s = missed(BreakKind::MissedMethadoneDoses { days: 1 }, 3, None);
    assert_eq!(s.level, Level::High);
    assert_eq!(s.reasons[0].day, Some(4));
    // Started today, one day recorded: not yet 3.
    let s = missed(BreakKind::MissedMethadoneDoses { days: 1 }, 0, None);
    assert_eq!(s.level, Level::Usual);
}

#[test]
fn missed_buprenorphine_from_day_1() {
    let s = missed(BreakKind::MissedBuprenorphineDoses { days: 1 }, 1, Some(1));
    assert_eq!(s.level, Level::Raised);
    assert_eq!(rule_ids(&s), ["missed-buprenorphine"]);
    assert!(s.actions.contains(&Action::TalkToPrescriber));
    let old = missed(BreakKind::MissedBuprenorphineDoses { days: 1 }, 8, Some(8));
    assert_eq!(old.level, Level::Usual);
}

#[test]
fn paused_prescribed_opioid_2_vs_3_days() {
    assert_eq!(
        stopped(BreakKind::PausedPrescribedOpioid, 2, None).level,
        Level::Usual
    );
    let three = stopped(BreakKind::PausedPrescribedOpioid, 3, None);
    assert_eq!(three.level, Level::High);
    assert_eq!(rule_ids(&three), ["paused-prescribed-opioid"]);
    // Restarted: no longer paused.
    assert_eq!(
        stopped(BreakKind::PausedPrescribedOpioid, 10, Some(ago(2))).level,
        Level::Usual
    );
}

#[test]
fn paused_benzodiazepine_from_day_0() {
    let s = stopped(BreakKind::PausedPrescribedBenzodiazepine, 0, None);
    assert_eq!(s.level, Level::Raised);
    assert_eq!(s.reasons[0].fact_id, "benzo-stopping");
    assert!(s.reasons[0].text.contains("seizures"));
    assert!(s.actions.contains(&Action::TalkToPrescriber));
    assert_eq!(
        stopped(BreakKind::PausedPrescribedBenzodiazepine, 5, Some(ago(1))).level,
        Level::Usual
    );
}

#[test]
fn mixing_on_the_last_day_of_use() {
    let benzo = run(
        &[
            use_days_ago(0, Some(Substance::Heroin)),
            use_days_ago(0, Some(Substance::Benzodiazepines)),
        ],
        &[],
        Treatment::None,
    );
    assert_eq!(benzo.level, Level::Raised);
    assert_eq!(rule_ids(&benzo), ["mixing-benzos", "mixing-less-of-each"]);
    let alcohol = run(
        &[use_days_ago(0, Some(Substance::Alcohol))],
        &[],
        Treatment::None,
    );
    assert_eq!(
        rule_ids(&alcohol),
        ["mixing-alcohol", "mixing-less-of-each"]
    );
    // Benzos on an earlier day than the last day of use: no mixing reason.
    let earlier = run(
        &[
            use_days_ago(1, Some(Substance::Benzodiazepines)),
            use_days_ago(0, Some(Substance::Heroin)),
        ],
        &[],
        Treatment::None,
    );
    assert_eq!(earlier.level, Level::Usual);
    assert!(earlier.reasons.is_empty());
}

#[test]
fn reasons_are_highest_first_and_actions_unique() {
    let s = run(
        &[
            use_days_ago(20, Some(Substance::Heroin)),
            use_days_ago(20, Some(Substance::Alcohol)),
        ],
        &[a_break(BreakKind::PrisonRelease, ago(300), Some(ago(3)))],
        Treatment::None,
    );
    assert_eq!(s.level, Level::Highest);
    assert_eq!(
        rule_ids(&s),
        [
            "prison-first-2-weeks",
            "prison-first-4-weeks",
            "no-opioids-3-days",
            "mixing-alcohol",
            "mixing-less-of-each"
        ]
    );
    let mut sorted = s.actions.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, s.actions);
}

#[test]
fn stored_records_work_too() {
    let uses = [Stored {
        id: 1,
        record: use_days_ago(4, Some(Substance::Heroin)),
    }];
    let breaks = [Stored {
        id: 2,
        record: a_break(BreakKind::HospitalDischarge, ago(5), Some(ago(1))),
    }];
    let s = assess(
        &Records {
            uses: &uses,
            breaks: &breaks,
            treatment: Treatment::None,
        },
        noon(),
        &London,
    );
    assert_eq!(s.days_since_last_use, Some(4));
    assert_eq!(s.level, Level::Highest);
}

// ---- Stretches, restarts, milestones ------------------------------------------------------

#[test]
fn longest_stretch_and_restarts() {
    // Uses 40, 38, 30, 29, 10 days ago: gaps 2, 8, 1, 19; now 10.
    let uses: Vec<UseEntry> = [40, 38, 30, 29, 10]
        .into_iter()
        .map(|d| use_days_ago(d, Some(Substance::Heroin)))
        .collect();
    let s = run(&uses, &[], Treatment::None);
    assert_eq!(s.longest_stretch_days, Some(19));
    assert_eq!(s.restarts, 2); // gaps of 8 and 19; 2 and 1 are not restarts
                               // The current stretch counts as a stretch.
    let s = run(&uses[..2], &[], Treatment::None);
    assert_eq!(s.longest_stretch_days, Some(38));
    assert_eq!(s.restarts, 0);
}

#[test]
fn a_gap_of_2_days_is_not_a_restart_3_is() {
    let pair = |gap: i64| {
        run(
            &[
                use_days_ago(10, Some(Substance::Heroin)),
                use_days_ago(10 - gap, Some(Substance::Heroin)),
            ],
            &[],
            Treatment::None,
        )
        .restarts
    };
    assert_eq!(pair(2), 0);
    assert_eq!(pair(3), 1);
}

#[test]
fn milestones_and_the_reminder_from_day_3() {
    assert_eq!(milestone(0), None);
    let m = |d| milestone(d).map(|m| (m.days, m.today, m.remind_lower_tolerance));
    assert_eq!(m(1), Some((1, true, false)));
    assert_eq!(m(2), Some((1, false, false)));
    assert_eq!(m(3), Some((3, true, true)));
    assert_eq!(m(6), Some((3, false, true)));
    assert_eq!(m(7), Some((7, true, true)));
    assert_eq!(m(14), Some((14, true, true)));
    assert_eq!(m(29), Some((14, false, true)));
    assert_eq!(m(30), Some((30, true, true)));
    assert_eq!(m(60), Some((60, true, true)));
    assert_eq!(m(90), Some((90, true, true)));
    assert_eq!(m(181), Some((90, false, true)));
    assert_eq!(m(182), Some((182, true, true)));
    assert_eq!(m(365), Some((365, true, true)));
    assert_eq!(m(1000), Some((365, false, true)));
    let s = run(
        &[use_days_ago(7, Some(Substance::Heroin))],
        &[],
        Treatment::None,
    );
    assert_eq!(s.milestone.map(|m| m.days), Some(7));
}

// ---- Restarting a prescribed medicine -----------------------------------------------------

#[test]
fn restart_advice_never_without_the_prescriber() {
    for medicine in [
        Medicine::OpioidPainMedicine,
        Medicine::Benzodiazepine,
        Medicine::Methadone,
        Medicine::Buprenorphine,
    ] {
        for days in [0, 1, 2, 3, 30] {
            let a = restart_advice_after(medicine, days);
            assert!(a.actions.contains(&Action::TalkToPrescriber));
            assert!(!a.reasons.is_empty(), "{medicine:?} after {days} days");
        }
    }
}

#[test]
fn restart_advice_boundaries() {
    let ids = |m, d| -> Vec<String> {
        restart_advice_after(m, d)
            .reasons
            .into_iter()
            .map(|r| r.rule_id)
            .collect()
    };
    assert_eq!(ids(Medicine::OpioidPainMedicine, 2), ["restart-old-dose"]);
    assert_eq!(
        ids(Medicine::OpioidPainMedicine, 3),
        ["restart-after-3-days", "restart-old-dose"]
    );
    assert_eq!(ids(Medicine::Methadone, 2), ["restart-old-dose"]);
    assert_eq!(
        ids(Medicine::Methadone, 3),
        [
            "restart-after-3-days",
            "restart-methadone-3-days",
            "restart-old-dose"
        ]
    );
    assert!(!restart_advice_after(Medicine::Methadone, 2)
        .actions
        .contains(&Action::SeeClinicBeforeDose));
    assert!(restart_advice_after(Medicine::Methadone, 3)
        .actions
        .contains(&Action::SeeClinicBeforeDose));
    // Buprenorphine: no "old dose too strong" (its ceiling effect), no day threshold.
    assert_eq!(ids(Medicine::Buprenorphine, 0), ["restart-buprenorphine"]);
    assert_eq!(ids(Medicine::Buprenorphine, 30), ["restart-buprenorphine"]);
    assert_eq!(
        ids(Medicine::Benzodiazepine, 40),
        ["restart-benzodiazepine"]
    );
    let a = restart_advice(
        Medicine::OpioidPainMedicine,
        date(2026, 6, 12),
        noon(),
        &London,
    );
    assert_eq!(a.days_off, 3);
    // A last dose after today (clock behind) is 0 days, not negative.
    assert_eq!(
        restart_advice(Medicine::Methadone, date(2026, 6, 20), noon(), &London).days_off,
        0
    );
}

// ---- Local calendar days -------------------------------------------------------------------

#[test]
fn at_23_59_and_00_01() {
    let u = [a_use(local(&London, 2026, 1, 10, 23, 59), None)];
    assert_eq!(
        days_since(&u, local(&London, 2026, 1, 11, 0, 1).utc, &London),
        Some(1)
    );
    assert_eq!(
        days_since(&u, local(&London, 2026, 1, 10, 23, 59).utc, &London),
        Some(0)
    );
    let u = [a_use(local(&London, 2026, 1, 11, 0, 1), None)];
    assert_eq!(
        days_since(&u, local(&London, 2026, 1, 11, 23, 59).utc, &London),
        Some(0)
    );
    assert_eq!(
        days_since(&u, local(&London, 2026, 1, 12, 0, 1).utc, &London),
        Some(1)
    );
}

#[test]
fn new_york_spring_forward() {
    // 8 March 2026, 02:00 EST → 03:00 EDT. 23:30 to 23:30 is only 23 hours but one day.
    let u = [a_use(local(&New_York, 2026, 3, 7, 23, 30), None)];
    assert_eq!(u[0].at.offset_seconds, -5 * 3600);
    let now = local(&New_York, 2026, 3, 8, 23, 30);
    assert_eq!(now.offset_seconds, -4 * 3600);
    assert_eq!(days_since(&u, now.utc, &New_York), Some(1));
    // 00:30 on the 7th to 00:15 on the 9th: 47¾ hours, two calendar days.
    let u = [a_use(local(&New_York, 2026, 3, 7, 0, 30), None)];
    assert_eq!(
        days_since(&u, local(&New_York, 2026, 3, 9, 0, 15).utc, &New_York),
        Some(2)
    );
}

#[test]
fn new_york_fall_back() {
    // 1 November 2026, 02:00 EDT → 01:00 EST. 00:30 on the 31st to 23:45 on the 1st is
    // 48¼ hours (more than 2 days of hours) but one calendar day.
    let u = [a_use(local(&New_York, 2026, 10, 31, 0, 30), None)];
    let now = local(&New_York, 2026, 11, 1, 23, 45);
    assert!(now.utc - u[0].at.utc > Duration::hours(48));
    assert_eq!(days_since(&u, now.utc, &New_York), Some(1));
}

#[test]
fn london_both_changes() {
    // 29 March 2026 01:00 GMT → 02:00 BST; 25 October 2026 02:00 BST → 01:00 GMT.
    let u = [a_use(local(&London, 2026, 3, 28, 23, 59), None)];
    assert_eq!(
        days_since(&u, local(&London, 2026, 3, 29, 23, 1).utc, &London),
        Some(1)
    );
    let u = [a_use(local(&London, 2026, 10, 24, 0, 10), None)];
    let now = local(&London, 2026, 10, 25, 23, 50);
    assert!(now.utc - u[0].at.utc > Duration::hours(48));
    assert_eq!(days_since(&u, now.utc, &London), Some(1));
}

#[test]
fn a_time_zone_change_between_entry_and_now() {
    // Logged in Tokyo at 08:00 on 1 June (31 May in UTC); read in New York on 1 June: same day.
    let tokyo = offset(9 * 3600);
    let u = [a_use(local(&tokyo, 2026, 6, 1, 8, 0), None)];
    assert_eq!(u[0].at.utc.date_naive(), date(2026, 5, 31));
    assert_eq!(
        days_since(&u, local(&New_York, 2026, 6, 1, 10, 0).utc, &New_York),
        Some(0)
    );
    // Logged in New York at 22:00 on 1 June; read in London at 08:00 on 2 June: one day.
    let u = [a_use(local(&New_York, 2026, 6, 1, 22, 0), None)];
    assert_eq!(
        days_since(&u, local(&London, 2026, 6, 2, 8, 0).utc, &London),
        Some(1)
    );
}

/// A fixed offset, seconds east of UTC (UTC itself if out of range).
fn offset(seconds: i32) -> FixedOffset {
    FixedOffset::east_opt(seconds).unwrap_or(Utc.fix())
}

#[test]
fn entries_in_different_offsets_order_by_local_day() {
    // A later instant can have an earlier local day (logged just after crossing west). The
    // latest local day counts, so adding that entry cannot raise the count.
    let kiribati = offset(14 * 3600);
    let samoa = offset(-11 * 3600);
    let early = a_use(local(&kiribati, 2026, 6, 10, 1, 0), None); // 9 June 11:00 UTC
    let later = a_use(local(&samoa, 2026, 6, 9, 1, 0), None); // 9 June 12:00 UTC
    assert!(later.at.utc > early.at.utc);
    let now = local(&London, 2026, 6, 12, 12, 0).utc;
    assert_eq!(
        days_since(std::slice::from_ref(&early), now, &London),
        Some(2)
    );
    assert_eq!(
        days_since(&[early.clone(), later.clone()], now, &London),
        Some(2)
    );
    let s = assess(
        &Records {
            uses: &[early, later],
            breaks: &[] as &[BreakEntry],
            treatment: Treatment::None,
        },
        now,
        &London,
    );
    assert_eq!(s.last_use.map(|l| l.local_date), Some(date(2026, 6, 10)));
}

#[test]
fn a_clock_moved_backwards_never_gives_a_negative_count() {
    let u = [a_use(
        local(&London, 2026, 6, 15, 12, 0),
        Some(Substance::Heroin),
    )];
    for back in [1, 2 * 60, 13 * 60, 3 * 24 * 60, 400 * 24 * 60] {
        let now = u[0].at.utc - Duration::minutes(back);
        let s = assess(
            &Records {
                uses: &u,
                breaks: &[] as &[BreakEntry],
                treatment: Treatment::None,
            },
            now,
            &London,
        );
        assert_eq!(s.days_since_last_use, Some(0), "{back} minutes back");
        assert_eq!(s.longest_stretch_days, Some(0));
        assert_eq!(s.last_use.map(|l| l.in_future), Some(true));
        assert_eq!(s.level, Level::Usual);
    }
}

// ---- Properties ----------------------------------------------------------------------------

const START: i64 = 1_577_836_800; // 2020-01-01T00:00:00Z
const SPAN: i64 = 10 * 365 * 86_400;

fn arb_use() -> impl Strategy<Value = UseEntry> {
    (0..SPAN, -12 * 4..=14 * 4i32, 0..9usize).prop_map(|(secs, quarter_hours, s)| UseEntry {
        at: EventTime {
            utc: DateTime::<Utc>::from_timestamp(START + secs, 0).expect("a valid instant"),
            offset_seconds: quarter_hours * 900,
        },
        substance: Substance::ALL.get(s).copied(),
        note: None,
    })
}

/// `None` ("not set") counts as more than any number of days.
fn as_count(d: Option<u32>) -> u64 {
    d.map_or(u64::MAX, u64::from)
}

proptest! {
    #[test]
    fn days_never_go_down_as_now_advances(
        uses in prop::collection::vec(arb_use(), 0..20),
        t in 0..SPAN + 86_400 * 30,
        step in 0..86_400 * 400i64,
        fixed in -12 * 4..=14 * 4i32,
    ) {
        let now1 = DateTime::<Utc>::from_timestamp(START + t, 0).expect("a valid instant");
        let now2 = now1 + Duration::seconds(step);
        let fixed = offset(fixed * 900);
        prop_assert!(as_count(days_since(&uses, now1, &fixed)) <= as_count(days_since(&uses, now2, &fixed)));
        prop_assert!(as_count(days_since(&uses, now1, &New_York)) <= as_count(days_since(&uses, now2, &New_York)));
        prop_assert!(as_count(days_since(&uses, now1, &London)) <= as_count(days_since(&uses, now2, &London)));
    }

    #[test]
    fn adding_a_use_never_raises_the_count(
        uses in prop::collection::vec(arb_use(), 0..20),
        extra in arb_use(),
        t in 0..SPAN + 86_400 * 30,
    ) {
        let now = DateTime::<Utc>::from_timestamp(START + t, 0).expect("a valid instant");
        let before = days_since(&uses, now, &New_York);
        let mut more = uses.clone();
        more.push(extra);
        let after = days_since(&more, now, &New_York);
        prop_assert!(as_count(after) <= as_count(before));
        prop_assert!(after.is_some());
    }

    #[test]
    fn a_use_just_after_the_latest_never_raises_the_count(
        uses in prop::collection::vec(arb_use(), 1..10),
        after in 0..2 * 86_400i64,
        quarter_hours in -12 * 4..=14 * 4i32,
        t in 0..SPAN + 86_400 * 30,
    ) {
        // The hard case: a later instant in a zone far to the west has an earlier local day.
        let latest = uses.iter().map(|u| u.at.utc).max().expect("at least one use");
        let extra = UseEntry {
            at: EventTime { utc: latest + Duration::seconds(after), offset_seconds: quarter_hours * 900 },
            substance: None,
            note: None,
        };
        let now = DateTime::<Utc>::from_timestamp(START + t, 0).expect("a valid instant").max(extra.at.utc);
        let before = days_since(&uses, now, &London);
        let mut more = uses.clone();
        more.push(extra);
        prop_assert!(as_count(days_since(&more, now, &London)) <= as_count(before));
    }

    #[test]
    fn the_engine_never_panics_and_stays_consistent(
        uses in prop::collection::vec(arb_use(), 0..30),
        t in 0..SPAN + 86_400 * 30,
    ) {
        let now = DateTime::<Utc>::from_timestamp(START + t, 0).expect("a valid instant");
        let s = assess(&Records { uses: &uses, breaks: &[] as &[BreakEntry], treatment: Treatment::None }, now, &London);
        prop_assert_eq!(s.days_since_last_use.is_some(), !uses.is_empty());
        prop_assert!(s.longest_stretch_days >= s.days_since_last_use);
        prop_assert!(s.restarts as usize <= uses.len().saturating_sub(1));
        for a in ALWAYS_OFFERED {
            prop_assert!(s.actions.contains(&a));
        }
    }
}
