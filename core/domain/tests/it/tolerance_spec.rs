//! The tolerance engine's specification, as a table: a journal, and the level and reasons (fact
//! ids, highest level first) the engine must give for it.
//!
//! "Now" is 12:00 on Monday 15 June 2026 in London. Uses are at 09:00 London time, N days ago.
//! A break is `kind, start N days ago, end M days ago` (no end = still going on). See
//! `docs/tolerance.md` for the rules and their sources.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::London;
use holdfast_domain::records::{BreakEntry, BreakKind, EventTime, Substance, UseEntry};
use holdfast_domain::tolerance::{assess, Action, Level, Records, Treatment};

use BreakKind::*;
use Level::*;
use Substance::*;

/// One journal entry, relative to now.
enum E {
    /// A use N days ago (09:00 London), with an optional substance.
    Use(i64, Option<Substance>),
    /// A break: kind, start days ago, end days ago (None = still going on).
    Break(BreakKind, i64, Option<i64>),
}
use E::*;

struct Case {
    name: &'static str,
    treatment: Treatment,
    journal: &'static [E],
    level: Level,
    /// Fact ids of the reasons, in order (highest level first, then table order).
    facts: &'static [&'static str],
    /// Actions that must be offered (besides naloxone and never use alone, always offered).
    offers: &'static [Action],
}

const NONE: Treatment = Treatment::None;
const H: Option<Substance> = Some(Heroin);

#[rustfmt::skip]
const SPEC: &[Case] = &[
    // Days since last use
    Case { name: "nothing recorded", treatment: NONE, journal: &[], level: NotSet, facts: &[], offers: &[] },
    Case { name: "used today", treatment: NONE, journal: &[Use(0, H)], level: Usual, facts: &[], offers: &[] },
    Case { name: "last use 2 days ago", treatment: NONE, journal: &[Use(2, H)], level: Usual, facts: &[], offers: &[] },
    Case { name: "last use 3 days ago: tolerance has dropped", treatment: NONE, journal: &[Use(3, H)], level: High, facts: &["tolerance-3-days"], offers: &[Action::Treatment] },
    Case { name: "last use 10 days ago (scenario 1)", treatment: NONE, journal: &[Use(30, H), Use(10, None)], level: High, facts: &["tolerance-3-days"], offers: &[Action::Treatment] },
    Case { name: "opioids 5 days ago, alcohol today", treatment: NONE, journal: &[Use(5, Some(Fentanyl)), Use(0, Some(Alcohol))], level: High, facts: &["tolerance-3-days", "mixing-alcohol", "mixing-less-of-each"], offers: &[] },
    Case { name: "stimulants only, yesterday", treatment: NONE, journal: &[Use(1, Some(Stimulants))], level: Usual, facts: &[], offers: &[] },
    // Prison
    Case { name: "released from prison 3 days ago (scenario 2)", treatment: NONE, journal: &[Break(PrisonRelease, 400, Some(3))], level: Highest, facts: &["prison-release", "prison-release-weeks"], offers: &[Action::CrisisLines, Action::Treatment] },
    Case { name: "released from prison 14 days ago", treatment: NONE, journal: &[Break(PrisonRelease, 400, Some(14))], level: Highest, facts: &["prison-release", "prison-release-weeks"], offers: &[] },
    Case { name: "released from prison 15 days ago", treatment: NONE, journal: &[Break(PrisonRelease, 400, Some(15))], level: High, facts: &["prison-release-weeks"], offers: &[] },
    Case { name: "released from prison 28 days ago", treatment: NONE, journal: &[Break(PrisonRelease, 400, Some(28))], level: High, facts: &["prison-release-weeks"], offers: &[] },
    Case { name: "released from prison 29 days ago", treatment: NONE, journal: &[Break(PrisonRelease, 400, Some(29))], level: Usual, facts: &[], offers: &[] },
    Case { name: "released 20 days ago, used yesterday", treatment: NONE, journal: &[Break(PrisonRelease, 400, Some(20)), Use(1, H)], level: High, facts: &["prison-release-weeks"], offers: &[] },
    Case { name: "still in prison", treatment: NONE, journal: &[Break(PrisonRelease, 100, None)], level: Raised, facts: &["tolerance-breaks"], offers: &[] },
    // Hospital
    Case { name: "left hospital today", treatment: NONE, journal: &[Break(HospitalDischarge, 4, Some(0))], level: Highest, facts: &["hospital-discharge"], offers: &[Action::CrisisLines] },
    Case { name: "left hospital 2 days ago", treatment: NONE, journal: &[Break(HospitalDischarge, 6, Some(2))], level: Highest, facts: &["hospital-discharge"], offers: &[] },
    Case { name: "left hospital 3 days ago", treatment: NONE, journal: &[Break(HospitalDischarge, 6, Some(3))], level: High, facts: &["hospital-discharge"], offers: &[] },
    Case { name: "left hospital 14 days ago", treatment: NONE, journal: &[Break(HospitalDischarge, 20, Some(14))], level: High, facts: &["hospital-discharge"], offers: &[] },
    Case { name: "left hospital 15 days ago", treatment: NONE, journal: &[Break(HospitalDischarge, 20, Some(15))], level: Raised, facts: &["hospital-discharge-4-weeks"], offers: &[] },
    Case { name: "left hospital 29 days ago", treatment: NONE, journal: &[Break(HospitalDischarge, 40, Some(29))], level: Usual, facts: &[], offers: &[] },
    Case { name: "left hospital 2 days ago, last use 5 days ago", treatment: NONE, journal: &[Use(5, H), Break(HospitalDischarge, 4, Some(2))], level: Highest, facts: &["hospital-discharge", "tolerance-3-days"], offers: &[] },
    // Detox and residential treatment
    Case { name: "left detox 10 days ago", treatment: NONE, journal: &[Break(DetoxDischarge, 17, Some(10))], level: High, facts: &["detox-discharge"], offers: &[] },
    Case { name: "left residential treatment 122 days ago", treatment: NONE, journal: &[Break(ResidentialTreatmentDischarge, 200, Some(122))], level: High, facts: &["detox-discharge"], offers: &[] },
    Case { name: "left residential treatment 123 days ago", treatment: NONE, journal: &[Break(ResidentialTreatmentDischarge, 200, Some(123))], level: Usual, facts: &[], offers: &[] },
    // Methadone, buprenorphine, naltrexone
    Case { name: "stopped methadone 7 days ago", treatment: NONE, journal: &[Break(StoppedMethadone, 7, None)], level: High, facts: &["leaving-methadone-buprenorphine"], offers: &[Action::TalkToPrescriber] },
    Case { name: "stopped buprenorphine 20 days ago", treatment: NONE, journal: &[Break(StoppedBuprenorphine, 20, None)], level: Raised, facts: &["leaving-methadone-buprenorphine"], offers: &[] },
    Case { name: "stopped buprenorphine 29 days ago", treatment: NONE, journal: &[Break(StoppedBuprenorphine, 29, None)], level: Usual, facts: &[], offers: &[] },
    Case { name: "back on methadone for 10 days", treatment: Treatment::Methadone, journal: &[Break(StoppedMethadone, 30, Some(10))], level: Raised, facts: &["starting-methadone", "on-treatment-mixing"], offers: &[Action::TalkToPrescriber] },
    Case { name: "stopped naltrexone 5 days ago", treatment: NONE, journal: &[Break(StoppedNaltrexone, 5, None)], level: High, facts: &["naltrexone-stopping"], offers: &[] },
    Case { name: "missed 2 methadone days", treatment: Treatment::Methadone, journal: &[Break(MissedMethadoneDoses { days: 2 }, 2, Some(1))], level: Raised, facts: &["on-treatment-mixing"], offers: &[] },
    Case { name: "missed 4 methadone days (scenario 4)", treatment: Treatment::Methadone, journal: &[Break(MissedMethadoneDoses { days: 4 }, 4, Some(1))], level: High, facts: &["missed-methadone", "on-treatment-mixing"], offers: &[Action::SeeClinicBeforeDose, Action::TalkToPrescriber] },
    Case { name: "missed 1 buprenorphine day", treatment: Treatment::Buprenorphine, journal: &[Break(MissedBuprenorphineDoses { days: 1 }, 1, Some(1))], level: Raised, facts: &["missed-buprenorphine", "on-treatment-mixing"], offers: &[Action::TalkToPrescriber] },
    // On treatment (content-review E6): tolerance is kept; what is added on top is the risk.
    Case { name: "on methadone, no other opioids for 60 days", treatment: Treatment::Methadone, journal: &[Use(60, H)], level: Raised, facts: &["on-treatment-mixing"], offers: &[] },
    Case { name: "on buprenorphine, heroin yesterday", treatment: Treatment::Buprenorphine, journal: &[Use(1, H)], level: Raised, facts: &["on-treatment-mixing"], offers: &[] },
    Case { name: "on buprenorphine, benzos today", treatment: Treatment::Buprenorphine, journal: &[Use(0, Some(Benzodiazepines))], level: Raised, facts: &["on-treatment-mixing", "mixing-benzos", "mixing-less-of-each"], offers: &[] },
    Case { name: "on buprenorphine, 10 missed days still going, heroin 12 days ago", treatment: Treatment::Buprenorphine, journal: &[Use(12, H), Break(MissedBuprenorphineDoses { days: 10 }, 10, None)], level: High, facts: &["tolerance-3-days", "missed-buprenorphine", "on-treatment-mixing"], offers: &[] },
    Case { name: "on methadone, 5 missed days ended 6 days ago, heroin 20 days ago", treatment: Treatment::Methadone, journal: &[Use(20, H), Break(MissedMethadoneDoses { days: 5 }, 11, Some(6))], level: High, facts: &["missed-methadone", "tolerance-3-days", "on-treatment-mixing"], offers: &[] },
    Case { name: "on naltrexone, no opioids for 10 days", treatment: Treatment::Naltrexone, journal: &[Use(10, H)], level: High, facts: &["tolerance-3-days"], offers: &[] },
    // Prescribed medicines
    Case { name: "paused opioid pain medicine 2 days ago", treatment: NONE, journal: &[Break(PausedPrescribedOpioid, 2, None)], level: Usual, facts: &[], offers: &[] },
    Case { name: "paused opioid pain medicine 3 days ago", treatment: NONE, journal: &[Break(PausedPrescribedOpioid, 3, None)], level: High, facts: &["tolerance-3-days"], offers: &[Action::TalkToPrescriber] },
    Case { name: "paused a benzo: withdrawal and lost tolerance", treatment: NONE, journal: &[Break(PausedPrescribedBenzodiazepine, 1, None)], level: Raised, facts: &["benzo-stopping"], offers: &[Action::TalkToPrescriber] },
    // Mixing
    Case { name: "heroin and benzos today", treatment: NONE, journal: &[Use(0, H), Use(0, Some(Benzodiazepines))], level: Raised, facts: &["mixing-benzos", "mixing-less-of-each"], offers: &[] },
    // Several at once
    Case { name: "prison 5 days ago, stopped methadone there, benzos yesterday", treatment: NONE, journal: &[Break(PrisonRelease, 300, Some(5)), Break(StoppedMethadone, 5, None), Use(1, Some(Benzodiazepines))], level: Highest, facts: &["prison-release", "prison-release-weeks", "leaving-methadone-buprenorphine", "mixing-benzos", "mixing-less-of-each"], offers: &[Action::CrisisLines, Action::TalkToPrescriber] },
];

fn now() -> DateTime<Utc> {
    London
        .with_ymd_and_hms(2026, 6, 15, 12, 0, 0)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .expect("a local time that exists")
}

fn days_ago(n: i64) -> NaiveDate {
    now().with_timezone(&London).date_naive() - Duration::days(n)
}

fn build(journal: &[E]) -> (Vec<UseEntry>, Vec<BreakEntry>) {
    let mut uses = Vec::new();
    let mut breaks = Vec::new();
    for e in journal {
        match e {
            Use(n, substance) => {
                let at = London
                    .from_local_datetime(&days_ago(*n).and_hms_opt(9, 0, 0).expect("a valid time"))
                    .earliest()
                    .map(|t| t.fixed_offset())
                    .expect("a local time that exists");
                uses.push(UseEntry {
                    at: EventTime {
                        utc: at.with_timezone(&Utc),
                        offset_seconds: at.offset().local_minus_utc(),
                    },
                    substance: *substance,
                    note: None,
                });
            }
            Break(kind, start, end) => breaks.push(BreakEntry {
                kind: *kind,
                start: days_ago(*start),
                end: end.map(days_ago),
                note: None,
            }),
        }
    }
    (uses, breaks)
}

#[test]
fn the_specification_table() {
    let mut failures = Vec::new();
    for case in SPEC {
        let (uses, breaks) = build(case.journal);
        let status = assess(
            &Records {
                uses: &uses,
                breaks: &breaks,
                treatment: case.treatment,
            },
            now(),
            &London,
        );
        let facts: Vec<&str> = status.reasons.iter().map(|r| r.fact_id.as_str()).collect();
        if status.level != case.level || facts != case.facts {
            failures.push(format!(
                "{}: want {:?} {:?}, got {:?} {:?}",
                case.name, case.level, case.facts, status.level, facts
            ));
        }
        for action in [Action::Naloxone, Action::NeverUseAlone]
            .iter()
            .chain(case.offers)
        {
            if !status.actions.contains(action) {
                failures.push(format!("{}: does not offer {action:?}", case.name));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_table_covers_every_level() {
    for level in [NotSet, Usual, Raised, High, Highest] {
        assert!(SPEC.iter().any(|c| c.level == level), "{level:?}");
    }
}
