//! The rule table: which situations lower tolerance or raise overdose risk, for how long, and what
//! to say and offer. One row per reason. Every row cites the fact sheet
//! (`shared/reference/safety-facts.md`) and names a fact in `assets/content/facts.toml`; a test
//! checks that every `fact_id` here exists in the content pack.
//!
//! Day numbers: "day 0" is the day of the event itself (the release or discharge day, the day a
//! medicine was stopped), "day 1" the next local calendar day, and so on. A window `0..=14` is
//! therefore the event day plus the 14 days after it. See `docs/tolerance.md`.
//!
//! Wording rules: plain words (grade 6 to 8), person-first, no stigma ("use", never "abuse";
//! never "clean" or "dirty"); a return to use is not a failure. No row ever suggests an amount.

use super::{Action, Level, Medicine, Treatment};

/// A kind of break, without its data (the number of missed days lives in `When::MissedDoses`),
/// derived from [`BreakKind`] so the two can never drift apart.
pub use crate::records::BreakTag;

/// A substance family a mixing rule looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mixed {
    Benzodiazepines,
    Alcohol,
    /// Benzodiazepines or alcohol.
    Either,
}

/// When a row applies. All day counts are local calendar days, never negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// At least `min_days` since the last opioid use (uses with no substance recorded count as
    /// opioid uses), unless the person's current treatment is one of `unless_on` (a daily
    /// methadone or buprenorphine dose keeps opioid tolerance up). Never applies when no use is
    /// recorded.
    NoOpioidUseFor {
        min_days: u32,
        unless_on: &'static [Treatment],
    },
    /// The person's current treatment is one of these.
    OnTreatment { treatments: &'static [Treatment] },
    /// A break of one of these kinds has ended (release or discharge day = its `end`), and today
    /// is day `from..=to` after that end.
    AfterEnd {
        kinds: &'static [BreakTag],
        from: u32,
        to: u32,
    },
    /// A break of one of these kinds is still going on (no `end`, or an `end` after today).
    StillAway { kinds: &'static [BreakTag] },
    /// A medicine was stopped (break `start`), it has not been restarted (no `end`, or an `end`
    /// after today), and today is day `from..=to` after the stop.
    OffSince {
        kinds: &'static [BreakTag],
        from: u32,
        to: u32,
    },
    /// A stop of one of these kinds has ended (the medicine was restarted on the day after
    /// `end`), the person's current treatment is `treatment`, and today is day `0..=to` after
    /// that `end`.
    BackOnTreatment {
        kind: BreakTag,
        treatment: Treatment,
        to: u32,
    },
    /// Missed doses of this kind, at least `min_days` of them in a row, and today is no more than
    /// `remind_days` after the last missed day. A run with no `end` is still going on: it counts
    /// the days from its start to today if that is more than the number recorded.
    MissedDoses {
        kind: BreakTag,
        min_days: u32,
        remind_days: u32,
    },
    /// A prescribed medicine is paused (no `end`, or an `end` after today) and today is at least
    /// day `min_days` after the pause began.
    Paused { kind: BreakTag, min_days: u32 },
    /// The most recent day of use (local calendar day) includes a use of this substance.
    LastUseDayIncludes(Mixed),
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, used in `Reason::rule_id` and in tests.
    pub id: &'static str,
    /// The rows of `safety-facts.md` this rule rests on; each must be among its fact's sources.
    pub sections: &'static [&'static str],
    pub when: When,
    pub level: Level,
    /// A fact in `assets/content/facts.toml`.
    pub fact_id: &'static str,
    pub actions: &'static [Action],
}

use Action::{CrisisLines, Naloxone, NeverUseAlone, SeeClinicBeforeDose, TalkToPrescriber};
use BreakTag as B;

const SAFETY: &[Action] = &[Naloxone, NeverUseAlone, Action::Treatment];
const SAFETY_CRISIS: &[Action] = &[Naloxone, NeverUseAlone, Action::Treatment, CrisisLines];
const AWAY: &[BreakTag] = &[
    B::PrisonRelease,
    B::DetoxDischarge,
    B::ResidentialTreatmentDischarge,
    B::HospitalDischarge,
];

/// Days from a missed-dose run's last missed day for which the engine keeps the reminder up.
/// This is how long the app shows it, not a clinical figure.
pub const MISSED_DOSE_REMIND_DAYS: u32 = 7;

/// The tolerance engine's rules. Order matters only for display: reasons are shown by level,
/// highest first, and in this order within a level.
/// Release from prison, the event day and days 1 to 14 after it.
/// safety-facts 1.2b (Binswanger 2007, NEJM): overdose death 129× in the first 2 weeks. [V]
pub const PRISON_FIRST_2_WEEKS: Rule = Rule {
    id: "prison-first-2-weeks",
    sections: &["1.2b"],
    when: When::AfterEnd {
        kinds: &[B::PrisonRelease],
        from: 0,
        to: 14,
    },
    level: Level::Highest,
    fact_id: "prison-release",
    actions: SAFETY_CRISIS,
};

/// Release from prison, up to day 28 (the end of week 4).
/// safety-facts 1.2c, 1.2d (Merrall 2010, Addiction): risk stays raised "up to at least the
/// fourth week". [V]
pub const PRISON_FIRST_4_WEEKS: Rule = Rule {
    id: "prison-first-4-weeks",
    sections: &["1.2c", "1.2d"],
    when: When::AfterEnd {
        kinds: &[B::PrisonRelease],
        from: 0,
        to: 28,
    },
    level: Level::High,
    fact_id: "prison-release-weeks",
    actions: SAFETY,
};

/// Hospital discharge, the discharge day and days 1 to 2 after it.
/// safety-facts 1.6a (Lewer 2021, PLoS Med): OR 4.39 on days 1–2. The discharge day itself is
/// included (day 0) so the warning is up from the moment the person is home. [V]
pub const HOSPITAL_DAYS_1_2: Rule = Rule {
    id: "hospital-days-1-2",
    sections: &["1.6a"],
    when: When::AfterEnd {
        kinds: &[B::HospitalDischarge],
        from: 0,
        to: 2,
    },
    level: Level::Highest,
    fact_id: "hospital-discharge",
    actions: SAFETY_CRISIS,
};

/// Hospital discharge, days 3 to 14.
/// safety-facts 1.6a (Lewer 2021): OR 2.09 on days 3–14. [V]
pub const HOSPITAL_DAYS_3_14: Rule = Rule {
    id: "hospital-days-3-14",
    sections: &["1.6a"],
    when: When::AfterEnd {
        kinds: &[B::HospitalDischarge],
        from: 3,
        to: 14,
    },
    level: Level::High,
    fact_id: "hospital-discharge",
    actions: SAFETY,
};

/// Hospital discharge, days 15 to 28.
/// safety-facts 1.6b (Scotland, PLOS ONE 2015): the 28 days after discharge are a high-risk
/// period for people in drug treatment. [V]
pub const HOSPITAL_DAYS_15_28: Rule = Rule {
    id: "hospital-days-15-28",
    sections: &["1.6b"],
    when: When::AfterEnd {
        kinds: &[B::HospitalDischarge],
        from: 15,
        to: 28,
    },
    level: Level::Raised,
    fact_id: "hospital-discharge-4-weeks",
    actions: SAFETY,
};

/// Leaving detox (withdrawal management) or residential treatment, up to day 122 (about
/// 4 months).
/// safety-facts 1.3a (Strang 2003, BMJ): all 3 overdose deaths within the first 4 months
/// were in the "lost tolerance" group; 1.1c (PCSS): tolerance is lost during rehab. [V]
/// Small study; the 4 months is when the deaths happened, not a measured end of the risk.
pub const DETOX_OR_RESIDENTIAL_4_MONTHS: Rule = Rule {
    id: "detox-or-residential-4-months",
    sections: &["1.3a"],
    when: When::AfterEnd {
        kinds: &[B::DetoxDischarge, B::ResidentialTreatmentDischarge],
        from: 0,
        to: 122,
    },
    level: Level::High,
    fact_id: "detox-discharge",
    actions: SAFETY,
};

/// Still in prison, detox, residential treatment or hospital (the break has no end yet).
/// safety-facts 1.1c (PCSS): tolerance is lost during rehab, incarceration or abstinence. [V]
pub const AWAY_NOW: Rule = Rule {
    id: "away-now",
    sections: &["1.1c"],
    when: When::StillAway { kinds: AWAY },
    level: Level::Raised,
    fact_id: "tolerance-breaks",
    actions: SAFETY,
};

/// Stopped methadone or buprenorphine, the stop day and days 1 to 14 after it.
/// safety-facts 1.5a, 1.5b (Sordo 2017, BMJ): mortality is higher out of treatment and
/// "decreased gradually two weeks after leaving treatment". [V]
pub const LEFT_OAT_FIRST_2_WEEKS: Rule = Rule {
    id: "left-oat-first-2-weeks",
    sections: &["1.5a", "1.5b"],
    when: When::OffSince {
        kinds: &[B::StoppedMethadone, B::StoppedBuprenorphine],
        from: 0,
        to: 14,
    },
    level: Level::High,
    fact_id: "leaving-methadone-buprenorphine",
    actions: &[Naloxone, NeverUseAlone, Action::Treatment, TalkToPrescriber],
};

/// Stopped methadone or buprenorphine, days 15 to 28.
/// safety-facts 1.5b (Sordo 2017): the risk falls gradually after the first 2 weeks, so the
/// first weeks off treatment carry the highest risk. [V] (1.5c, a 4-week figure for
/// buprenorphine, is [V2] and only supports this window; it is not cited.)
pub const LEFT_OAT_WEEKS_3_4: Rule = Rule {
    id: "left-oat-weeks-3-4",
    sections: &["1.5b"],
    when: When::OffSince {
        kinds: &[B::StoppedMethadone, B::StoppedBuprenorphine],
        from: 15,
        to: 28,
    },
    level: Level::Raised,
    fact_id: "leaving-methadone-buprenorphine",
    actions: &[Naloxone, NeverUseAlone, Action::Treatment, TalkToPrescriber],
};

/// Back on methadone after stopping it: the first 4 weeks (days 0 to 28 after the last day
/// off).
/// safety-facts 1.5b (Sordo 2017): mortality is raised over the first 4 weeks of methadone
/// treatment. [V]
pub const RESTARTED_METHADONE_4_WEEKS: Rule = Rule {
    id: "restarted-methadone-4-weeks",
    sections: &["1.5b"],
    when: When::BackOnTreatment {
        kind: B::StoppedMethadone,
        treatment: Treatment::Methadone,
        to: 28,
    },
    level: Level::Raised,
    fact_id: "starting-methadone",
    actions: &[TalkToPrescriber, Naloxone],
};

/// Stopped naltrexone (tablets or an injection that ran out), the stop day to day 28.
/// safety-facts 1.4a (naltrexone label, Vulnerability to Opioid Overdose): after stopping,
/// people may respond to lower doses than before. [V] The label gives no length of time; the
/// 28 days are this engine's choice (the same 4 weeks as leaving methadone) and need review.
pub const STOPPED_NALTREXONE: Rule = Rule {
    id: "stopped-naltrexone",
    sections: &["1.4a"],
    when: When::OffSince {
        kinds: &[B::StoppedNaltrexone],
        from: 0,
        to: 28,
    },
    level: Level::High,
    fact_id: "naltrexone-stopping",
    actions: &[Naloxone, NeverUseAlone, Action::Treatment, TalkToPrescriber],
};

/// Three or more methadone days missed in a row, until 7 days after the last missed day.
/// safety-facts 1.1b, 1.7a (Australian National Guidelines for Methadone Treatment s.3.5):
/// tolerance may be reduced; withhold or reduce the dose until the prescriber has assessed
/// the patient. 1 or 2 missed days: no change (1.7b), so no row. [V]
pub const MISSED_METHADONE_3_DAYS: Rule = Rule {
    id: "missed-methadone-3-days",
    sections: &["1.1b", "1.7a"],
    when: When::MissedDoses {
        kind: B::MissedMethadoneDoses,
        min_days: 3,
        remind_days: MISSED_DOSE_REMIND_DAYS,
    },
    level: Level::High,
    fact_id: "missed-methadone",
    actions: &[SeeClinicBeforeDose, TalkToPrescriber, Naloxone],
};

/// Any missed buprenorphine days, until 7 days after the last missed day.
/// safety-facts 1.1f (Bluewater clinic FAQ, low authority, marked V2 in the pack). No
/// authoritative buprenorphine threshold exists (1.7c [U], not used), so the row sets none: from
/// the first missed day it says to *ask* the pharmacist or clinic whether to take the usual dose
/// (it never holds a dose back until the prescriber is seen), and warns of precipitated
/// withdrawal after other opioids (content-review E7). The 1 day is when the reminder shows,
/// not a clinical threshold.
pub const MISSED_BUPRENORPHINE: Rule = Rule {
    id: "missed-buprenorphine",
    sections: &["1.1f"],
    when: When::MissedDoses {
        kind: B::MissedBuprenorphineDoses,
        min_days: 1,
        remind_days: MISSED_DOSE_REMIND_DAYS,
    },
    level: Level::Raised,
    fact_id: "missed-buprenorphine",
    actions: &[TalkToPrescriber, Naloxone, NeverUseAlone],
};

/// A prescribed opioid paused for 3 days or more (and not restarted).
/// safety-facts 1.1a (CAMH): after 3 days or more the body cannot handle the same amount. [V]
pub const PAUSED_PRESCRIBED_OPIOID: Rule = Rule {
    id: "paused-prescribed-opioid",
    sections: &["1.1a"],
    when: When::Paused {
        kind: B::PausedPrescribedOpioid,
        min_days: 3,
    },
    level: Level::High,
    fact_id: "tolerance-3-days",
    actions: &[TalkToPrescriber, Naloxone],
};

/// A prescribed benzodiazepine paused (and not restarted), from the first day.
/// FDA boxed warning, 23 Sep 2020 (added to the pack, V2): stopping a daily benzo abruptly can
/// cause withdrawal reactions, including seizures. safety-facts 1.1c (PCSS): tolerance falls
/// during a break, so the old dose may be too strong. 1.8a (FDA 2016): benzos with opioids
/// slow breathing. [V] (content-review E5)
pub const PAUSED_PRESCRIBED_BENZODIAZEPINE: Rule = Rule {
    id: "paused-prescribed-benzodiazepine",
    sections: &["1.1c", "1.8a"],
    when: When::Paused {
        kind: B::PausedPrescribedBenzodiazepine,
        min_days: 0,
    },
    level: Level::Raised,
    fact_id: "benzo-stopping",
    actions: &[TalkToPrescriber, Naloxone, NeverUseAlone],
};

/// Three days or more since the last opioid use, for someone not on methadone or
/// buprenorphine.
/// safety-facts 1.1a (CAMH, "5 steps to save a life"): "3 days or more … start as if you
/// have never used before". [V] The exact number of days is an operational threshold; no
/// study measures it (1.1e, 7.5). A daily methadone or buprenorphine dose keeps opioid
/// tolerance up, so for them this row would be wrong; `ON_TREATMENT` speaks instead
/// (content-review E6).
pub const NO_OPIOIDS_3_DAYS: Rule = Rule {
    id: "no-opioids-3-days",
    sections: &["1.1a"],
    when: When::NoOpioidUseFor {
        min_days: 3,
        unless_on: &[Treatment::Methadone, Treatment::Buprenorphine],
    },
    level: Level::High,
    fact_id: "tolerance-3-days",
    actions: SAFETY,
};

/// On methadone or buprenorphine now: tolerance is kept, but other opioids, benzos or alcohol on
/// top add sedation. Raised, never high, and it stays while the treatment does.
/// safety-facts 1.8a (FDA 2016: opioids with benzos or other downers) and 1.8d (MMWR 2014:
/// alcohol adds to the slowing of breathing) [V]; CAMH's methadone handbook and SAMHSA's 2004
/// methadone-mortality assessment (added to the pack, V2) (content-review E6).
pub const ON_TREATMENT: Rule = Rule {
    id: "on-treatment",
    sections: &["1.8a", "1.8d"],
    when: When::OnTreatment {
        treatments: &[Treatment::Methadone, Treatment::Buprenorphine],
    },
    level: Level::Raised,
    fact_id: "on-treatment-mixing",
    actions: &[Naloxone, NeverUseAlone],
};

/// The last day of use included a benzodiazepine.
/// safety-facts 1.8a (FDA 2016) and 1.8e (Street Connections: naloxone does not work on
/// benzos). [V] Naloxone is still given, in case opioids are there too (Emerg Med J 2022;
/// Northern Health; added to the pack, V2; content-review E4).
pub const MIXING_BENZOS: Rule = Rule {
    id: "mixing-benzos",
    sections: &["1.8a", "1.8e"],
    when: When::LastUseDayIncludes(Mixed::Benzodiazepines),
    level: Level::Raised,
    fact_id: "mixing-benzos",
    actions: &[Naloxone, NeverUseAlone],
};

/// The last day of use included alcohol.
/// safety-facts 1.8d (Jones et al., MMWR 2014): alcohol adds to the slowing of breathing. [V]
pub const MIXING_ALCOHOL: Rule = Rule {
    id: "mixing-alcohol",
    sections: &["1.8d"],
    when: When::LastUseDayIncludes(Mixed::Alcohol),
    level: Level::Raised,
    fact_id: "mixing-alcohol",
    actions: &[Naloxone, NeverUseAlone],
};

/// The last day of use included benzos or alcohol: the harm-reduction advice.
/// safety-facts 1.8e (Street Connections; CAMH): use less of each, opioids first. [V]
pub const MIXING_LESS_OF_EACH: Rule = Rule {
    id: "mixing-less-of-each",
    sections: &["1.8e"],
    when: When::LastUseDayIncludes(Mixed::Either),
    level: Level::Raised,
    fact_id: "mixing-less-of-each",
    actions: &[Naloxone, NeverUseAlone],
};

pub const RULES: &[Rule] = &[
    PRISON_FIRST_2_WEEKS,
    PRISON_FIRST_4_WEEKS,
    HOSPITAL_DAYS_1_2,
    HOSPITAL_DAYS_3_14,
    HOSPITAL_DAYS_15_28,
    DETOX_OR_RESIDENTIAL_4_MONTHS,
    AWAY_NOW,
    LEFT_OAT_FIRST_2_WEEKS,
    LEFT_OAT_WEEKS_3_4,
    RESTARTED_METHADONE_4_WEEKS,
    STOPPED_NALTREXONE,
    MISSED_METHADONE_3_DAYS,
    MISSED_BUPRENORPHINE,
    PAUSED_PRESCRIBED_OPIOID,
    PAUSED_PRESCRIBED_BENZODIAZEPINE,
    NO_OPIOIDS_3_DAYS,
    ON_TREATMENT,
    MIXING_BENZOS,
    MIXING_ALCOHOL,
    MIXING_LESS_OF_EACH,
];

/// When a restart row applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestartWhen {
    pub medicines: &'static [Medicine],
    /// Days since the last dose, at least.
    pub min_days_off: u32,
}

/// One row of the restart table (restarting a prescribed medicine after a break).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestartRule {
    pub id: &'static str,
    /// The rows of `safety-facts.md` this rule rests on; each must be among its fact's sources.
    pub sections: &'static [&'static str],
    pub when: RestartWhen,
    pub level: Level,
    pub fact_id: &'static str,
    pub actions: &'static [Action],
}

/// Restarting a prescribed medicine after a break. Every answer offers `TalkToPrescriber` (and
/// `ALWAYS_OFFERED`), whether or not a row matches.
/// Opioid pain medicine or methadone after 3 days or more off.
/// safety-facts 1.1a (CAMH): 3 days or more, the body can't handle the same amount. [V]
/// Not buprenorphine: its ceiling effect makes "your old dose may be too strong" the wrong
/// warning; `RESTART_BUPRENORPHINE` says what matters instead (content-review E7).
pub const RESTART_AFTER_3_DAYS: RestartRule = RestartRule {
    id: "restart-after-3-days",
    sections: &["1.1a"],
    when: RestartWhen {
        medicines: &[Medicine::OpioidPainMedicine, Medicine::Methadone],
        min_days_off: 3,
    },
    level: Level::High,
    fact_id: "tolerance-3-days",
    actions: &[TalkToPrescriber, Naloxone],
};

/// Opioid pain medicine or methadone after a break, whatever its length.
/// safety-facts 1.1c (PCSS): going back to the old dose after tolerance is lost can cause an
/// overdose. [V] Not buprenorphine (its ceiling effect; see `RESTART_BUPRENORPHINE`).
pub const RESTART_OLD_DOSE: RestartRule = RestartRule {
    id: "restart-old-dose",
    sections: &["1.1c"],
    when: RestartWhen {
        medicines: &[Medicine::OpioidPainMedicine, Medicine::Methadone],
        min_days_off: 0,
    },
    level: Level::Raised,
    fact_id: "tolerance-breaks",
    actions: &[TalkToPrescriber],
};

/// Methadone after 3 or more missed days.
/// safety-facts 1.1b, 1.7a (Australian methadone guideline s.3.5). [V]
pub const RESTART_METHADONE_3_DAYS: RestartRule = RestartRule {
    id: "restart-methadone-3-days",
    sections: &["1.1b", "1.7a"],
    when: RestartWhen {
        medicines: &[Medicine::Methadone],
        min_days_off: 3,
    },
    level: Level::High,
    fact_id: "missed-methadone",
    actions: &[SeeClinicBeforeDose, TalkToPrescriber],
};

/// Buprenorphine after any days off.
/// Sporer 2004 and the Bay of Plenty DHB pathway (added to the pack, V2): the ceiling effect on
/// breathing, and precipitated withdrawal after recent use of other opioids. No threshold of
/// days: there is no authoritative one (1.7c [U], not used), so the row asks the pharmacist or
/// clinic from the first day off (content-review E7).
pub const RESTART_BUPRENORPHINE: RestartRule = RestartRule {
    id: "restart-buprenorphine",
    sections: &["added"],
    when: RestartWhen {
        medicines: &[Medicine::Buprenorphine],
        min_days_off: 0,
    },
    level: Level::Raised,
    fact_id: "buprenorphine-restart",
    actions: &[TalkToPrescriber],
};

/// A benzodiazepine, after any break.
/// safety-facts 1.1c (PCSS): tolerance falls during a break, so the old dose may be too strong;
/// 1.8a (FDA 2016): benzos with opioids have caused slowed breathing and deaths. [V]
/// (content-review E5)
pub const RESTART_BENZODIAZEPINE: RestartRule = RestartRule {
    id: "restart-benzodiazepine",
    sections: &["1.1c", "1.8a"],
    when: RestartWhen {
        medicines: &[Medicine::Benzodiazepine],
        min_days_off: 0,
    },
    level: Level::Raised,
    fact_id: "benzo-stopping",
    actions: &[TalkToPrescriber, Naloxone, NeverUseAlone],
};

pub const RESTART_RULES: &[RestartRule] = &[
    RESTART_AFTER_3_DAYS,
    RESTART_OLD_DOSE,
    RESTART_METHADONE_3_DAYS,
    RESTART_BUPRENORPHINE,
    RESTART_BENZODIAZEPINE,
];
