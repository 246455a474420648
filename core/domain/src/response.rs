//! The guided overdose response: a region's steps (the content item `respond-*`) as a small state
//! machine that asks what the helper sees, says what to do next, keeps the naloxone timer and sets
//! the pacer, the way an emergency call-taker does.
//!
//! Pure: the caller passes the time (milliseconds since the guide started) and the helper's
//! answers; nothing here speaks, draws, counts beats or stores. The shell speaks
//! [`ResponseView::say`] when [`ResponseView::say_seq`] changes, the UI draws the choices and runs
//! the pacer from [`Pacer`], and calls [`Response::tick`] when [`ResponseView::next_due_ms`] comes.
//!
//! Sources of the figures (content items `respond-*`, `rescue-breathing`, `cpr`, and the fact
//! sheet): 1 rescue breath every 5 seconds (BC SAVE ME, 3.1i; community programmes, 3.3c);
//! compressions 100 to 120 a minute with 30 compressions to 2 breaths (AHA; Resuscitation Council
//! UK; ANZCOR); another naloxone dose after 2 to 3 minutes without a response (NARCAN and Prenoxad
//! instructions, 3.2a and 3.2c), prompted at the start of that window.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use holdfast_content::{Item, Region, Step, StepAction};

use crate::emergency::NaloxoneTimer;

/// One rescue breath every 5 seconds for an adult.
pub const BREATH_EVERY_MS: u64 = 5_000;
/// The middle of the 100 to 120 a minute that every region's CPR guidance gives.
pub const COMPRESSIONS_PER_MINUTE: u32 = 110;
/// Compressions before the breaths, in every region's guidance.
pub const COMPRESSIONS_PER_CYCLE: u32 = 30;
/// Breaths after each set of compressions.
pub const BREATHS_PER_CYCLE: u32 = 2;
/// The pause the pacer leaves for the two breaths (each breath takes about 1 second; guidance
/// asks that the pause stays under 10 seconds).
pub const BREATH_PAUSE_MS: u64 = 5_000;
/// While the person is breathing on their own, how often the guide asks the helper to check
/// again: as often as the naloxone instructions ask them to watch for a response.
pub const RECHECK_EVERY_MS: u64 = 120_000;

/// Practice goals: how soon after the start a rehearsal should reach each step. They are
/// rehearsal targets of this app, not clinical limits (docs/content.md, "Guided response").
pub const PRACTICE_CALL_BY_MS: u64 = 60_000;
/// Breathing support (breaths or CPR) started by then.
pub const PRACTICE_SUPPORT_BY_MS: u64 = 120_000;
/// The first naloxone dose given by then.
pub const PRACTICE_NALOXONE_BY_MS: u64 = 120_000;
/// A second-dose prompt answered within this long (the end of the 2 to 3 minute window).
pub const PRACTICE_PROMPT_ANSWER_MS: u64 = 60_000;

/// Where the guide is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Question: do they wake up or answer when you shout and rub their chest?
    Check,
    /// Call the emergency number.
    Call,
    /// Give the first naloxone dose.
    Naloxone,
    /// Question: are they breathing normally?
    Breathing,
    /// Question: are they taking any breaths at all (gasps do not count)?
    AnyBreaths,
    /// Rescue breaths, one every 5 seconds, with the pacer.
    Breaths,
    /// CPR: compressions and breaths, with the pacer.
    Cpr,
    /// Roll them onto their side.
    Recovery,
    /// Stay with them and keep watching.
    Stay,
    /// Help has arrived: the end.
    Arrived,
}

/// What the helper can answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Choice {
    Yes,
    No,
    /// The step is done.
    Done,
    /// "I have no naloxone."
    NoNaloxone,
    /// Go to the naloxone step from CPR or breaths (regions that give naloxone after CPR starts).
    GiveNaloxone,
    /// "I gave another dose" (the second-dose prompt).
    GaveAnotherDose,
    /// "I have no more naloxone" (the second-dose prompt).
    NoMoreNaloxone,
    /// "They are breathing normally now" (from rescue breaths).
    BreathingNormally,
    /// "They started breathing" (from CPR: the breathing question comes next).
    StartedBreathing,
    /// "They stopped breathing" (from rescue breaths: CPR comes next).
    StoppedBreathing,
    /// "They are not breathing normally any more" (while staying with them).
    WorseAgain,
    /// "The crew has taken over."
    HelpArrived,
    /// CPR without breaths.
    HandsOnly,
    /// CPR with breaths again.
    WithBreaths,
}

/// The key that answers a choice when the guide is used hands-free: Space or Enter for the main
/// one, Y and N for questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ChoiceKey {
    /// Space or Enter.
    Main,
    Y,
    N,
}

/// One answer on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChoiceView {
    pub choice: Choice,
    pub key: Option<ChoiceKey>,
}

/// A prompt that comes due on a timer, over the step in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Prompt {
    /// The naloxone interval has passed without a response: give another dose.
    SecondDose,
    /// Check their breathing again while staying with them.
    Recheck,
}

/// What the pacer keeps time for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Pacer {
    /// One beat, with "breathe", every `every_ms`.
    Breaths {
        #[serde(rename = "everyMs")]
        #[ts(type = "number")]
        every_ms: u64,
    },
    /// Compressions without pauses (hands-only CPR).
    HandsOnly {
        #[serde(rename = "perMinute")]
        per_minute: u32,
    },
    /// `per_cycle` beats at `per_minute`, then a pause of `pause_ms` for `breaths` breaths.
    Compressions {
        #[serde(rename = "perMinute")]
        per_minute: u32,
        #[serde(rename = "perCycle")]
        per_cycle: u32,
        breaths: u32,
        #[serde(rename = "pauseMs")]
        #[ts(type = "number")]
        pause_ms: u64,
    },
}

impl Pacer {
    /// The breath pacer.
    pub const BREATHS: Pacer = Pacer::Breaths {
        every_ms: BREATH_EVERY_MS,
    };
    /// Hands-only CPR.
    pub const HANDS_ONLY: Pacer = Pacer::HandsOnly {
        per_minute: COMPRESSIONS_PER_MINUTE,
    };
    /// The CPR pacer.
    pub const COMPRESSIONS: Pacer = Pacer::Compressions {
        per_minute: COMPRESSIONS_PER_MINUTE,
        per_cycle: COMPRESSIONS_PER_CYCLE,
        breaths: BREATHS_PER_CYCLE,
        pause_ms: BREATH_PAUSE_MS,
    };

    /// The times (ms after the pacer started) of the beats in `[from, to)`, with what each one
    /// is. The UI schedules the same beats; this is the reference its tests compare with.
    pub fn beats(&self, from: u64, to: u64) -> Vec<Beat> {
        let mut out = Vec::new();
        match *self {
            Pacer::Breaths { every_ms } => {
                let every = every_ms.max(1);
                let mut n = from.div_ceil(every);
                while n * every < to {
                    out.push(Beat {
                        at_ms: n * every,
                        kind: BeatKind::Breath,
                        count: 0,
                    });
                    n += 1;
                }
            }
            Pacer::HandsOnly { per_minute } => {
                let beat = 60_000 / u64::from(per_minute.max(1));
                let mut n = from.div_ceil(beat);
                while n * beat < to {
                    out.push(Beat {
                        at_ms: n * beat,
                        kind: BeatKind::Compression,
                        count: 0,
                    });
                    n += 1;
                }
            }
            Pacer::Compressions {
                per_minute,
                per_cycle,
                pause_ms,
                ..
            } => {
                let per_cycle = u64::from(per_cycle.max(1));
                let beat = 60_000 / u64::from(per_minute.max(1));
                let cycle = per_cycle * beat + pause_ms;
                let mut c = from / cycle;
                loop {
                    let start = c * cycle;
                    if start >= to {
                        break;
                    }
                    for k in 0..=per_cycle {
                        let (at, kind) = if k < per_cycle {
                            (start + k * beat, BeatKind::Compression)
                        } else {
                            (start + per_cycle * beat, BeatKind::Breath)
                        };
                        if at >= from && at < to {
                            out.push(Beat {
                                at_ms: at,
                                kind,
                                count: u32::try_from(k + 1).unwrap_or(u32::MAX),
                            });
                        }
                    }
                    c += 1;
                }
            }
        }
        out
    }
}

/// One beat of the pacer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Beat {
    #[ts(type = "number")]
    pub at_ms: u64,
    pub kind: BeatKind,
    /// For compressions, 1 to 30 (31 is the breaths); 0 for rescue breaths.
    pub count: u32,
}

/// A compression or a breath.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum BeatKind {
    Compression,
    Breath,
}

/// How a region's guidance orders the response, read off its content item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protocol {
    pub region: Region,
    /// The region's steps give naloxone before CPR (US, Canada); elsewhere CPR comes first. The
    /// guide gives CPR first everywhere to anyone not breathing at all (resuscitation guidance:
    /// naloxone must not delay CPR), with naloxone one tap away.
    pub naloxone_first: bool,
    /// Rescue breaths alone for someone who breathes, but too slowly: only where the region's
    /// steps teach them before CPR (US, Canada). Elsewhere (the UK, Ireland, Australia and New
    /// Zealand: ANZCOR, the HSE, the Resuscitation Council UK) anyone unresponsive and not
    /// breathing normally gets CPR.
    pub rescue_breaths: bool,
    pub second_dose_after_ms: u64,
    pub recheck_every_ms: u64,
    steps: Vec<Step>,
}

/// Why a region's steps cannot be guided (a content defect the content tests rule out).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProtocolError {
    #[error("The response steps have no \"{0}\" step, so they cannot be talked through. Use the steps on screen and call your local emergency number.")]
    MissingStep(&'static str),
}

fn action_name(action: StepAction) -> &'static str {
    match action {
        StepAction::Check => "check",
        StepAction::Call => "call",
        StepAction::Naloxone => "naloxone",
        StepAction::Breathe => "breathe",
        StepAction::Cpr => "cpr",
        StepAction::Recovery => "recovery",
        StepAction::Stay => "stay",
    }
}

impl Protocol {
    /// Reads the order off a region's response item (`ContentPack::response_guide`).
    pub fn from_item(
        region: Region,
        item: &Item,
        timer: &NaloxoneTimer,
    ) -> Result<Self, ProtocolError> {
        let steps = item.steps.clone();
        let first = |action: StepAction| {
            steps
                .iter()
                .position(|s| s.action == Some(action))
                .ok_or(ProtocolError::MissingStep(action_name(action)))
        };
        for action in [
            StepAction::Check,
            StepAction::Call,
            StepAction::Naloxone,
            StepAction::Cpr,
            StepAction::Recovery,
            StepAction::Stay,
        ] {
            first(action)?;
        }
        let naloxone_first = first(StepAction::Naloxone)? < first(StepAction::Cpr)?;
        let rescue_breaths = naloxone_first && first(StepAction::Breathe).is_ok();
        Ok(Self {
            region,
            naloxone_first,
            rescue_breaths,
            second_dose_after_ms: u64::from(timer.second_dose_after_secs) * 1_000,
            // A shortened timer (tests) shortens the re-check too.
            recheck_every_ms: RECHECK_EVERY_MS.min(u64::from(timer.second_dose_after_secs) * 1_000),
            steps,
        })
    }

    /// The index of the `nth` step (0-based) with this action, or the last one with it.
    fn step_index(&self, action: StepAction, nth: usize) -> usize {
        let all: Vec<usize> = self
            .steps
            .iter()
            .enumerate()
            .filter(|(_, s)| s.action == Some(action))
            .map(|(i, _)| i)
            .collect();
        all.get(nth).or(all.last()).copied().unwrap_or_default()
    }

    fn has_nth(&self, action: StepAction, nth: usize) -> bool {
        self.steps
            .iter()
            .filter(|s| s.action == Some(action))
            .nth(nth)
            .is_some()
    }
}

/// The sentences the guide says that are not a step's own text (from `advice.toml`; the shell
/// looks them up so the same checks run on them as on every sentence of advice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Line {
    AskWakes,
    /// They woke and talk: stay, and call if they get sleepy.
    AwakeStay,
    CallTakerFirst,
    HandsOnly,
    AskBreathingNormally,
    AskAnyBreaths,
    SecondDose,
    Recheck,
    Arrived,
}

impl Line {
    /// The advice id that holds the sentence.
    pub fn advice_id(self) -> &'static str {
        match self {
            Line::AskWakes => "guided-ask-wakes",
            Line::AwakeStay => "guided-awake-stay",
            Line::CallTakerFirst => "guided-call-taker-first",
            Line::HandsOnly => "guided-hands-only",
            Line::AskBreathingNormally => "guided-ask-breathing",
            Line::AskAnyBreaths => "guided-ask-any-breaths",
            Line::SecondDose => "timer-second-dose-due",
            Line::Recheck => "guided-recheck",
            Line::Arrived => "guided-arrived",
        }
    }

    /// Every line, for the content test that checks each has its sentence.
    pub const ALL: [Line; 9] = [
        Line::AskWakes,
        Line::AwakeStay,
        Line::CallTakerFirst,
        Line::HandsOnly,
        Line::AskBreathingNormally,
        Line::AskAnyBreaths,
        Line::SecondDose,
        Line::Recheck,
        Line::Arrived,
    ];
}

/// What the guide shows and says now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResponseView {
    pub phase: Phase,
    /// The content step shown (its title, text and illustration), 0-based.
    pub step_index: u32,
    /// A question or prompt said before (or instead of) the step's text.
    pub line: Option<Line>,
    /// Whether the step's own text is said (questions that have a step of their own say it too).
    pub says_step: bool,
    /// Goes up by one every time there is something new to say.
    pub say_seq: u32,
    pub choices: Vec<ChoiceView>,
    pub pacer: Option<Pacer>,
    pub prompt: Option<Prompt>,
    pub doses: u32,
    /// When another dose is due if there is no response (ms since the start).
    #[ts(type = "number | null")]
    pub next_dose_due_ms: Option<u64>,
    /// When [`Response::tick`] next has something to do (ms since the start).
    #[ts(type = "number | null")]
    pub next_due_ms: Option<u64>,
    pub called: bool,
    pub ended: bool,
    pub practice: bool,
}

/// Why an answer was not taken.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ResponseError {
    #[error("That answer does not fit this step. Use one of the buttons on screen.")]
    NotOffered,
    #[error("The guide has ended. Start it again if you need it.")]
    Ended,
    #[error("The time went backwards.")]
    TimeWentBack,
}

/// One thing that happened, for the practice summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    #[ts(type = "number")]
    pub at_ms: u64,
    pub phase: Phase,
    pub prompt: Option<Prompt>,
    pub choice: Option<Choice>,
}

/// The guided response in progress.
#[derive(Debug, Clone)]
pub struct Response {
    protocol: Protocol,
    practice: bool,
    phase: Phase,
    /// Where the naloxone step returns to.
    after_naloxone: Phase,
    prompt: Option<Prompt>,
    called: bool,
    no_naloxone: bool,
    no_more_naloxone: bool,
    doses: Vec<u64>,
    cpr_visits: usize,
    /// CPR without breaths (the helper cannot or will not give them).
    hands_only: bool,
    next_recheck: Option<u64>,
    say_seq: u32,
    now: u64,
    events: Vec<Event>,
}

/// Most events kept for the practice summary (a long run keeps its first ones).
const MAX_EVENTS: usize = 1_000;

impl Response {
    /// Starts the guide at time 0.
    pub fn start(protocol: Protocol, practice: bool) -> Self {
        let mut r = Self {
            protocol,
            practice,
            phase: Phase::Check,
            after_naloxone: Phase::Breathing,
            prompt: None,
            called: false,
            no_naloxone: false,
            no_more_naloxone: false,
            doses: Vec::new(),
            cpr_visits: 0,
            hands_only: false,
            next_recheck: None,
            say_seq: 1,
            now: 0,
            events: Vec::new(),
        };
        r.log(None);
        r
    }

    pub fn protocol(&self) -> &Protocol {
        &self.protocol
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// The times of the naloxone doses given (ms since the start).
    pub fn doses(&self) -> &[u64] {
        &self.doses
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    fn log(&mut self, choice: Option<Choice>) {
        if self.events.len() < MAX_EVENTS {
            self.events.push(Event {
                at_ms: self.now,
                phase: self.phase,
                prompt: self.prompt,
                choice,
            });
        }
    }

    fn advance_clock(&mut self, now: u64) -> Result<(), ResponseError> {
        if now < self.now {
            return Err(ResponseError::TimeWentBack);
        }
        self.now = now;
        Ok(())
    }

    fn go(&mut self, phase: Phase) {
        if phase == Phase::Cpr && self.phase != Phase::Cpr {
            self.cpr_visits += 1;
        }
        self.phase = phase;
        self.say_seq = self.say_seq.wrapping_add(1);
        self.next_recheck = match phase {
            Phase::Stay => Some(self.now + self.protocol.recheck_every_ms),
            _ => None,
        };
        // A prompt belongs to the step it came over: once the person is breathing normally, or
        // help has come, a second-dose prompt no longer applies.
        if !self.needs_support() {
            self.prompt = None;
        }
        self.log(None);
    }

    /// The person is not breathing normally (or that is not known yet, after the call).
    fn needs_support(&self) -> bool {
        matches!(
            self.phase,
            Phase::Naloxone | Phase::Breathing | Phase::AnyBreaths | Phase::Breaths | Phase::Cpr
        )
    }

    fn last_dose(&self) -> Option<u64> {
        self.doses.last().copied()
    }

    fn dose_due(&self) -> Option<u64> {
        if self.no_more_naloxone {
            return None;
        }
        self.last_dose()
            .map(|t| t + self.protocol.second_dose_after_ms)
    }

    /// "Naloxone is here: give it" stays on screen until a first dose is given, even after "I
    /// have no naloxone" (a kit can turn up later).
    fn can_offer_naloxone(&self) -> bool {
        self.doses.is_empty()
    }

    /// Whether the guide itself goes to the naloxone step: no dose yet, and not told there is none.
    fn naloxone_step_due(&self) -> bool {
        self.doses.is_empty() && !self.no_naloxone
    }

    /// Naloxone now if it is due, then `next`.
    fn naloxone_then(&mut self, next: Phase) {
        if self.naloxone_step_due() {
            self.after_naloxone = next;
            self.go(Phase::Naloxone);
        } else {
            self.go(next);
        }
    }

    /// After the call (or the check, if the call was made already): the breathing check.
    fn after_call(&mut self) {
        self.go(Phase::Breathing);
    }

    /// The person is worse again (stopped breathing normally, or no longer wakes).
    fn worse(&mut self) {
        if self.called {
            self.go(Phase::Breathing);
        } else {
            self.go(Phase::Call);
        }
    }

    fn phase_choices(&self) -> Vec<ChoiceView> {
        use Choice::*;
        use ChoiceKey::*;
        let c = |choice, key| ChoiceView { choice, key };
        let naloxone = self.can_offer_naloxone();
        match self.phase {
            Phase::Check | Phase::Breathing | Phase::AnyBreaths => {
                vec![c(Yes, Some(Y)), c(No, Some(N))]
            }
            Phase::Call => vec![c(Done, Some(Main))],
            Phase::Naloxone => vec![c(Done, Some(Main)), c(NoNaloxone, Some(N))],
            Phase::Breaths => {
                let mut v = vec![c(BreathingNormally, Some(Y)), c(StoppedBreathing, Some(N))];
                if naloxone {
                    v.push(c(GiveNaloxone, None));
                }
                v.push(c(HelpArrived, None));
                v
            }
            Phase::Cpr => {
                let mut v = Vec::new();
                if naloxone {
                    v.push(c(GiveNaloxone, Some(Main)));
                }
                v.push(c(StartedBreathing, Some(Y)));
                v.push(c(
                    if self.hands_only {
                        WithBreaths
                    } else {
                        HandsOnly
                    },
                    None,
                ));
                v.push(c(HelpArrived, None));
                v
            }
            Phase::Recovery => {
                let mut v = vec![c(Done, Some(Main)), c(WorseAgain, Some(N))];
                if naloxone {
                    v.push(c(GiveNaloxone, None));
                }
                v.push(c(HelpArrived, None));
                v
            }
            Phase::Stay => {
                let mut v = vec![c(WorseAgain, Some(N))];
                if naloxone {
                    v.push(c(GiveNaloxone, None));
                }
                v.push(c(HelpArrived, None));
                v
            }
            Phase::Arrived => Vec::new(),
        }
    }

    fn prompt_choices(prompt: Prompt) -> Vec<ChoiceView> {
        let c = |choice, key| ChoiceView { choice, key };
        match prompt {
            Prompt::SecondDose => vec![
                c(Choice::GaveAnotherDose, Some(ChoiceKey::Main)),
                c(Choice::NoMoreNaloxone, Some(ChoiceKey::N)),
            ],
            Prompt::Recheck => vec![
                c(Choice::Yes, Some(ChoiceKey::Y)),
                c(Choice::No, Some(ChoiceKey::N)),
            ],
        }
    }

    /// The answers on screen now: a prompt's first (they take the keys), then the step's.
    pub fn choices(&self) -> Vec<ChoiceView> {
        match self.prompt {
            Some(p) => {
                let mut v = Self::prompt_choices(p);
                v.extend(self.phase_choices().into_iter().map(|mut c| {
                    c.key = None;
                    c
                }));
                v
            }
            None => self.phase_choices(),
        }
    }

    /// Takes the helper's answer at `now`.
    pub fn answer(&mut self, choice: Choice, now: u64) -> Result<ResponseView, ResponseError> {
        if self.phase == Phase::Arrived {
            return Err(ResponseError::Ended);
        }
        self.advance_clock(now)?;
        self.fire_timers();
        if !self.choices().iter().any(|c| c.choice == choice) {
            return Err(ResponseError::NotOffered);
        }
        // The prompt's own answers.
        if let Some(prompt) = self.prompt {
            let answered = match (prompt, choice) {
                (Prompt::SecondDose, Choice::GaveAnotherDose) => {
                    self.doses.push(self.now);
                    true
                }
                (Prompt::SecondDose, Choice::NoMoreNaloxone) => {
                    self.no_more_naloxone = true;
                    true
                }
                (Prompt::Recheck, Choice::Yes) => {
                    self.next_recheck = Some(self.now + self.protocol.recheck_every_ms);
                    true
                }
                (Prompt::Recheck, Choice::No) => {
                    self.prompt = None;
                    self.log(Some(choice));
                    self.worse();
                    return Ok(self.view());
                }
                _ => false,
            };
            if answered {
                self.log(Some(choice));
                self.prompt = None;
                self.say_seq = self.say_seq.wrapping_add(1);
                return Ok(self.view());
            }
        }
        self.log(Some(choice));
        use Choice::*;
        match (self.phase, choice) {
            (_, HelpArrived) => self.go(Phase::Arrived),
            (Phase::Check, Yes) => self.go(Phase::Stay),
            (Phase::Check, No) => {
                if self.called {
                    self.after_call();
                } else {
                    self.go(Phase::Call);
                }
            }
            (Phase::Call, Done) => {
                self.called = true;
                self.after_call();
            }
            (Phase::Naloxone, Done) => {
                self.doses.push(self.now);
                let next = self.after_naloxone;
                self.go(next);
            }
            (Phase::Naloxone, NoNaloxone) => {
                self.no_naloxone = true;
                let next = self.after_naloxone;
                self.go(next);
            }
            // Unresponsive but breathing normally: naloxone if it is at hand (every label gives it
            // to someone who does not wake), then on their side.
            (Phase::Breathing, Yes) => self.naloxone_then(Phase::Recovery),
            (Phase::Breathing, No) => {
                if self.protocol.rescue_breaths {
                    self.go(Phase::AnyBreaths);
                } else {
                    self.go(Phase::Cpr);
                }
            }
            // Breathing, but too slowly (US, Canada): naloxone, then rescue breaths.
            (Phase::AnyBreaths, Yes) => self.naloxone_then(Phase::Breaths),
            // Not breathing, only gasping, or not sure: CPR at once; naloxone is one tap away.
            (Phase::AnyBreaths, No) => self.go(Phase::Cpr),
            (Phase::Cpr, HandsOnly) => {
                self.hands_only = true;
                self.say_seq = self.say_seq.wrapping_add(1);
            }
            (Phase::Cpr, WithBreaths) => {
                self.hands_only = false;
                self.say_seq = self.say_seq.wrapping_add(1);
            }
            (Phase::Breaths, BreathingNormally) => self.go(Phase::Recovery),
            (Phase::Breaths, StoppedBreathing) => self.go(Phase::Cpr),
            (Phase::Breaths | Phase::Cpr | Phase::Recovery | Phase::Stay, GiveNaloxone) => {
                self.after_naloxone = self.phase;
                self.go(Phase::Naloxone);
            }
            (Phase::Cpr, StartedBreathing) => self.go(Phase::Breathing),
            (Phase::Recovery, Done) => self.go(Phase::Stay),
            (Phase::Recovery | Phase::Stay, WorseAgain) => self.worse(),
            _ => return Err(ResponseError::NotOffered),
        }
        Ok(self.view())
    }

    fn fire_timers(&mut self) {
        if self.prompt.is_some() || self.phase == Phase::Arrived {
            return;
        }
        if self.needs_support() && self.phase != Phase::Naloxone {
            if let Some(due) = self.dose_due() {
                if self.now >= due {
                    self.prompt = Some(Prompt::SecondDose);
                    self.say_seq = self.say_seq.wrapping_add(1);
                    self.log(None);
                    return;
                }
            }
        }
        if let Some(due) = self.next_recheck {
            if self.phase == Phase::Stay && self.now >= due {
                self.prompt = Some(Prompt::Recheck);
                self.next_recheck = None;
                self.say_seq = self.say_seq.wrapping_add(1);
                self.log(None);
            }
        }
    }

    /// Lets time pass: a prompt whose time has come is raised.
    pub fn tick(&mut self, now: u64) -> Result<ResponseView, ResponseError> {
        self.advance_clock(now)?;
        self.fire_timers();
        Ok(self.view())
    }

    fn next_due(&self) -> Option<u64> {
        if self.prompt.is_some() || self.phase == Phase::Arrived {
            return None;
        }
        let dose = self
            .dose_due()
            .filter(|_| self.needs_support() && self.phase != Phase::Naloxone);
        let recheck = self.next_recheck.filter(|_| self.phase == Phase::Stay);
        match (dose, recheck) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// What to show and say now.
    pub fn view(&self) -> ResponseView {
        let p = &self.protocol;
        let check_again = p.has_nth(StepAction::Check, 1);
        let (step, line, says_step) = match self.phase {
            Phase::Check => (
                p.step_index(StepAction::Check, 0),
                Some(Line::AskWakes),
                true,
            ),
            Phase::Call => (
                p.step_index(StepAction::Call, 0),
                Some(Line::CallTakerFirst),
                true,
            ),
            Phase::Naloxone => (p.step_index(StepAction::Naloxone, 0), None, true),
            Phase::Breathing => (
                p.step_index(StepAction::Check, 1),
                Some(Line::AskBreathingNormally),
                check_again,
            ),
            Phase::AnyBreaths => (
                p.step_index(StepAction::Check, 1),
                Some(Line::AskAnyBreaths),
                false,
            ),
            Phase::Breaths => (p.step_index(StepAction::Breathe, 0), None, true),
            Phase::Cpr => (
                p.step_index(StepAction::Cpr, self.cpr_visits.saturating_sub(1).min(1)),
                self.hands_only.then_some(Line::HandsOnly),
                true,
            ),
            Phase::Recovery => (p.step_index(StepAction::Recovery, 0), None, true),
            // Awake and talking at the check (no call made): what to watch for, not the steps
            // after an overdose.
            Phase::Stay if !self.called => (
                p.step_index(StepAction::Stay, 0),
                Some(Line::AwakeStay),
                false,
            ),
            Phase::Stay => (p.step_index(StepAction::Stay, 0), None, true),
            Phase::Arrived => (
                p.step_index(StepAction::Stay, 0),
                Some(Line::Arrived),
                false,
            ),
        };
        let (line, says_step) = match self.prompt {
            Some(Prompt::SecondDose) => (Some(Line::SecondDose), false),
            Some(Prompt::Recheck) => (Some(Line::Recheck), false),
            None => (line, says_step),
        };
        let pacer = match self.phase {
            Phase::Breaths => Some(Pacer::BREATHS),
            Phase::Cpr if self.hands_only => Some(Pacer::HANDS_ONLY),
            Phase::Cpr => Some(Pacer::COMPRESSIONS),
            _ => None,
        };
        ResponseView {
            phase: self.phase,
            step_index: u32::try_from(step).unwrap_or_default(),
            line,
            says_step,
            say_seq: self.say_seq,
            choices: self.choices(),
            pacer,
            prompt: self.prompt,
            doses: u32::try_from(self.doses.len()).unwrap_or(u32::MAX),
            next_dose_due_ms: self
                .dose_due()
                .filter(|_| self.needs_support() || self.prompt == Some(Prompt::SecondDose)),
            next_due_ms: self.next_due(),
            called: self.called,
            ended: self.phase == Phase::Arrived,
            practice: self.practice,
        }
    }

    /// How a practice run went: which steps it reached, when, and whether in time.
    pub fn practice_summary(&self) -> PracticeSummary {
        let first =
            |pred: &dyn Fn(&Event) -> bool| self.events.iter().find(|e| pred(e)).map(|e| e.at_ms);
        let called = first(&|e| e.choice == Some(Choice::Done) && e.phase == Phase::Call);
        let support =
            first(&|e| matches!(e.phase, Phase::Breaths | Phase::Cpr) && e.choice.is_none());
        let naloxone = self.doses.first().copied();
        // Breaths or CPR count only in a run where breathing was not normal.
        let support_needed = support.is_some()
            || self
                .events
                .iter()
                .any(|e| e.phase == Phase::Breathing && e.choice == Some(Choice::No));
        let mut goals = vec![Goal::new(
            PracticeMilestone::Called,
            called,
            PRACTICE_CALL_BY_MS,
        )];
        if support_needed {
            goals.push(Goal::new(
                PracticeMilestone::BreathingSupport,
                support,
                PRACTICE_SUPPORT_BY_MS,
            ));
        }
        goals.push(Goal::new(
            PracticeMilestone::Naloxone,
            naloxone,
            PRACTICE_NALOXONE_BY_MS,
        ));
        // Every second-dose prompt, answered in time or not.
        let mut raised: Option<u64> = None;
        for e in &self.events {
            match (e.prompt, e.choice) {
                (Some(Prompt::SecondDose), None) if raised.is_none() => raised = Some(e.at_ms),
                (
                    Some(Prompt::SecondDose),
                    Some(Choice::GaveAnotherDose | Choice::NoMoreNaloxone),
                ) => {
                    if let Some(at) = raised.take() {
                        goals.push(Goal {
                            milestone: PracticeMilestone::SecondDoseAnswered,
                            at_ms: Some(e.at_ms - at),
                            target_ms: PRACTICE_PROMPT_ANSWER_MS,
                            in_time: e.at_ms - at <= PRACTICE_PROMPT_ANSWER_MS,
                        });
                    }
                }
                _ => {}
            }
        }
        if raised.is_some() {
            goals.push(Goal {
                milestone: PracticeMilestone::SecondDoseAnswered,
                at_ms: None,
                target_ms: PRACTICE_PROMPT_ANSWER_MS,
                in_time: false,
            });
        }
        let reached_end = matches!(self.phase, Phase::Arrived | Phase::Stay);
        PracticeSummary {
            goals,
            reached_end,
            elapsed_ms: self.now,
        }
    }
}

/// The words the pacer says at its beats: a rescue breath, the two breaths after 30
/// compressions, and the compressions starting again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum PacerCue {
    Breath,
    TwoBreaths,
    Push,
}

impl PacerCue {
    pub const ALL: [PacerCue; 3] = [PacerCue::Breath, PacerCue::TwoBreaths, PacerCue::Push];

    /// The advice id that holds the words.
    pub fn advice_id(self) -> &'static str {
        match self {
            PacerCue::Breath => "guided-cue-breath",
            PacerCue::TwoBreaths => "guided-cue-two-breaths",
            PacerCue::Push => "guided-cue-push",
        }
    }
}

/// A step a practice run should reach, and how soon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum PracticeMilestone {
    Called,
    BreathingSupport,
    Naloxone,
    SecondDoseAnswered,
}

/// Whether a practice run reached a milestone in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Goal {
    pub milestone: PracticeMilestone,
    /// When it was reached (for a prompt: how long it took to answer); None if never.
    #[ts(type = "number | null")]
    pub at_ms: Option<u64>,
    #[ts(type = "number")]
    pub target_ms: u64,
    pub in_time: bool,
}

impl Goal {
    fn new(milestone: PracticeMilestone, at_ms: Option<u64>, target_ms: u64) -> Self {
        Self {
            milestone,
            at_ms,
            target_ms,
            in_time: at_ms.is_some_and(|t| t <= target_ms),
        }
    }
}

/// The end of a practice run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PracticeSummary {
    pub goals: Vec<Goal>,
    /// The run got to "stay with them" or "help has arrived".
    pub reached_end: bool,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
}

#[cfg(test)]
#[path = "response_tests.rs"]
mod tests;
