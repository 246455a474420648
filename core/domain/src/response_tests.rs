use std::collections::{HashSet, VecDeque};

use holdfast_content::{ContentPack, Region};
use proptest::prelude::*;

use super::*;
use crate::emergency::NaloxoneTimer;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn protocol(region: Region) -> Result<Protocol, Box<dyn std::error::Error>> {
    let pack = ContentPack::embedded()?;
    let item = pack.response_guide(region).ok_or("no response steps")?;
    Ok(Protocol::from_item(
        region,
        &item,
        &NaloxoneTimer::new(None),
    )?)
}

/// One line of a scenario: an answer at a time, or time passing; then the phase and prompt
/// expected after it.
enum Do {
    Answer(Choice, u64),
    Tick(u64),
}
use Do::{Answer, Tick};
use Phase as P;

fn run(
    region: Region,
    script: &[(Do, Phase, Option<Prompt>)],
) -> Result<Response, Box<dyn std::error::Error>> {
    let mut r = Response::start(protocol(region)?, false);
    for (i, (action, phase, prompt)) in script.iter().enumerate() {
        let view = match *action {
            Answer(choice, at) => r.answer(choice, at)?,
            Tick(at) => r.tick(at)?,
        };
        assert_eq!(
            (view.phase, view.prompt),
            (*phase, *prompt),
            "{region:?}, line {}",
            i + 1
        );
    }
    Ok(r)
}

const US_LIKE: [Region; 2] = [Region::Us, Region::Ca];
const CPR_FIRST: [Region; 4] = [Region::Uk, Region::Ie, Region::Au, Region::Nz];

#[test]
fn regions_are_read_in_their_own_order() -> TestResult {
    for region in US_LIKE {
        let p = protocol(region)?;
        assert!(p.naloxone_first && p.rescue_breaths, "{region:?}");
    }
    for region in CPR_FIRST {
        let p = protocol(region)?;
        assert!(!p.naloxone_first && !p.rescue_breaths, "{region:?}");
    }
    for region in Region::ALL {
        assert_eq!(protocol(region)?.second_dose_after_ms, 120_000);
    }
    Ok(())
}

#[test]
fn a_protocol_without_a_needed_step_is_refused() -> TestResult {
    let pack = ContentPack::embedded()?;
    let mut item = pack.response_guide(Region::Us).ok_or("no steps")?;
    item.steps.retain(|s| s.action != Some(StepAction::Cpr));
    assert_eq!(
        Protocol::from_item(Region::Us, &item, &NaloxoneTimer::new(None)),
        Err(ProtocolError::MissingStep("cpr"))
    );
    Ok(())
}

#[test]
fn scenario_wakes_up() -> TestResult {
    for region in Region::ALL {
        let r = run(
            region,
            &[
                (Answer(Choice::Yes, 3_000), P::Stay, None),
                (Tick(123_000), P::Stay, Some(Prompt::Recheck)),
                (Answer(Choice::Yes, 125_000), P::Stay, None),
                (Answer(Choice::HelpArrived, 200_000), P::Arrived, None),
            ],
        )?;
        assert!(r.view().ended);
        assert!(r.doses().is_empty());
    }
    let mut r = Response::start(protocol(Region::Us)?, false);
    let v = r.answer(Choice::Yes, 1_000)?;
    assert_eq!((v.line, v.says_step), (Some(Line::AwakeStay), false));
    Ok(())
}

#[test]
fn scenario_unresponsive_but_breathing_normally_gets_naloxone_then_the_side() -> TestResult {
    for region in Region::ALL {
        let r = run(
            region,
            &[
                (Answer(Choice::No, 5_000), P::Call, None),
                (Answer(Choice::Done, 20_000), P::Breathing, None),
                (Answer(Choice::Yes, 30_000), P::Naloxone, None),
                (Answer(Choice::Done, 40_000), P::Recovery, None),
                (Answer(Choice::Done, 50_000), P::Stay, None),
                // Breathing normally: no second-dose prompt, a re-check instead.
                (Tick(170_000), P::Stay, Some(Prompt::Recheck)),
            ],
        )?;
        assert_eq!(r.doses(), &[40_000], "{region:?}");
    }
    Ok(())
}

#[test]
fn scenario_breathing_slowly_us_and_canada() -> TestResult {
    for region in US_LIKE {
        let r = run(
            region,
            &[
                (Answer(Choice::No, 5_000), P::Call, None),
                (Answer(Choice::Done, 20_000), P::Breathing, None),
                (Answer(Choice::No, 25_000), P::AnyBreaths, None),
                (Answer(Choice::Yes, 28_000), P::Naloxone, None),
                (Answer(Choice::Done, 40_000), P::Breaths, None),
                (
                    Answer(Choice::BreathingNormally, 100_000),
                    P::Recovery,
                    None,
                ),
                (Answer(Choice::Done, 110_000), P::Stay, None),
            ],
        )?;
        assert_eq!(r.view().pacer, None);
        assert_eq!(r.doses(), &[40_000]);
    }
    Ok(())
}

#[test]
fn scenario_not_breathing_goes_to_cpr_at_once_in_every_region() -> TestResult {
    for region in Region::ALL {
        let rescue = protocol(region)?.rescue_breaths;
        let mut script = vec![
            (Answer(Choice::No, 5_000), P::Call, None),
            (Answer(Choice::Done, 20_000), P::Breathing, None),
        ];
        if rescue {
            script.push((Answer(Choice::No, 25_000), P::AnyBreaths, None));
        }
        script.extend([
            (Answer(Choice::No, 30_000), P::Cpr, None),
            (Answer(Choice::GiveNaloxone, 60_000), P::Naloxone, None),
            (Answer(Choice::Done, 70_000), P::Cpr, None),
            (
                Answer(Choice::StartedBreathing, 150_000),
                P::Breathing,
                None,
            ),
            (Answer(Choice::Yes, 155_000), P::Recovery, None),
        ]);
        let r = run(region, &script)?;
        assert_eq!(r.doses(), &[70_000], "{region:?}");
    }
    Ok(())
}

#[test]
fn scenario_no_naloxone_then_a_kit_turns_up() -> TestResult {
    let r = run(
        Region::Uk,
        &[
            (Answer(Choice::No, 5_000), P::Call, None),
            (Answer(Choice::Done, 20_000), P::Breathing, None),
            (Answer(Choice::Yes, 25_000), P::Naloxone, None),
            (Answer(Choice::NoNaloxone, 30_000), P::Recovery, None),
            (Answer(Choice::Done, 35_000), P::Stay, None),
            (Answer(Choice::WorseAgain, 40_000), P::Breathing, None),
            (Answer(Choice::No, 42_000), P::Cpr, None),
            (Tick(600_000), P::Cpr, None),
            // Someone brings a kit: it can still be given.
            (Answer(Choice::GiveNaloxone, 610_000), P::Naloxone, None),
            (Answer(Choice::Done, 615_000), P::Cpr, None),
            (Answer(Choice::HelpArrived, 700_000), P::Arrived, None),
        ],
    )?;
    assert_eq!(r.doses(), &[615_000]);
    let view = r.view();
    assert!(view.choices.is_empty() && view.ended);
    Ok(())
}

#[test]
fn scenario_no_response_after_the_first_dose() -> TestResult {
    let r = run(
        Region::Us,
        &[
            (Answer(Choice::No, 5_000), P::Call, None),
            (Answer(Choice::Done, 20_000), P::Breathing, None),
            (Answer(Choice::No, 25_000), P::AnyBreaths, None),
            (Answer(Choice::Yes, 27_000), P::Naloxone, None),
            (Answer(Choice::Done, 30_000), P::Breaths, None),
            (Tick(149_999), P::Breaths, None),
            (Tick(150_000), P::Breaths, Some(Prompt::SecondDose)),
            (Answer(Choice::GaveAnotherDose, 160_000), P::Breaths, None),
            (Tick(279_999), P::Breaths, None),
            (Tick(280_000), P::Breaths, Some(Prompt::SecondDose)),
            (Answer(Choice::NoMoreNaloxone, 281_000), P::Breaths, None),
            (Tick(900_000), P::Breaths, None),
        ],
    )?;
    assert_eq!(r.doses(), &[30_000, 160_000]);
    Ok(())
}

#[test]
fn scenario_starts_breathing_after_breaths_then_stops_again() -> TestResult {
    for region in US_LIKE {
        let r = run(
            region,
            &[
                (Answer(Choice::No, 1_000), P::Call, None),
                (Answer(Choice::Done, 10_000), P::Breathing, None),
                (Answer(Choice::No, 12_000), P::AnyBreaths, None),
                (Answer(Choice::Yes, 14_000), P::Naloxone, None),
                (Answer(Choice::Done, 20_000), P::Breaths, None),
                (Answer(Choice::BreathingNormally, 90_000), P::Recovery, None),
                (Answer(Choice::Done, 100_000), P::Stay, None),
                // Stops again (before the dose's 2 minutes are up): the breathing question, then
                // CPR.
                (Answer(Choice::WorseAgain, 110_000), P::Breathing, None),
                (Answer(Choice::No, 112_000), P::AnyBreaths, None),
                (Answer(Choice::No, 113_000), P::Cpr, None),
            ],
        )?;
        assert_eq!(r.view().pacer, Some(Pacer::COMPRESSIONS), "{region:?}");
    }
    // Elsewhere: CPR, they start to breathe, then stop again.
    for region in CPR_FIRST {
        run(
            region,
            &[
                (Answer(Choice::No, 1_000), P::Call, None),
                (Answer(Choice::Done, 10_000), P::Breathing, None),
                (Answer(Choice::No, 12_000), P::Cpr, None),
                (Answer(Choice::StartedBreathing, 60_000), P::Breathing, None),
                (Answer(Choice::Yes, 62_000), P::Naloxone, None),
                (Answer(Choice::NoNaloxone, 64_000), P::Recovery, None),
                (Answer(Choice::WorseAgain, 90_000), P::Breathing, None),
                (Answer(Choice::No, 91_000), P::Cpr, None),
            ],
        )?;
    }
    Ok(())
}

#[test]
fn hands_only_cpr_paces_without_pauses() -> TestResult {
    let mut r = run(
        Region::Ie,
        &[
            (Answer(Choice::No, 1_000), P::Call, None),
            (Answer(Choice::Done, 2_000), P::Breathing, None),
            (Answer(Choice::No, 3_000), P::Cpr, None),
        ],
    )?;
    let before = r.view();
    let v = r.answer(Choice::HandsOnly, 4_000)?;
    assert_eq!(v.pacer, Some(Pacer::HANDS_ONLY));
    assert_eq!(v.line, Some(Line::HandsOnly));
    assert!(v.say_seq > before.say_seq);
    assert!(v.choices.iter().any(|c| c.choice == Choice::WithBreaths));
    let beats = Pacer::HANDS_ONLY.beats(0, 60_000);
    assert_eq!(beats.len(), 111);
    assert!(beats.iter().all(|b| b.kind == BeatKind::Compression));
    let v = r.answer(Choice::WithBreaths, 5_000)?;
    assert_eq!(v.pacer, Some(Pacer::COMPRESSIONS));
    Ok(())
}

#[test]
fn the_recheck_while_staying_goes_back_when_they_are_worse() -> TestResult {
    run(
        Region::Ca,
        &[
            (Answer(Choice::Yes, 1_000), P::Stay, None),
            (Tick(121_000), P::Stay, Some(Prompt::Recheck)),
            // Not called yet (they woke at first): the call comes first.
            (Answer(Choice::No, 122_000), P::Call, None),
            (Answer(Choice::Done, 130_000), P::Breathing, None),
        ],
    )?;
    Ok(())
}

#[test]
fn a_second_dose_prompt_is_dropped_once_they_breathe_normally() -> TestResult {
    run(
        Region::Us,
        &[
            (Answer(Choice::No, 1_000), P::Call, None),
            (Answer(Choice::Done, 2_000), P::Breathing, None),
            (Answer(Choice::No, 3_000), P::AnyBreaths, None),
            (Answer(Choice::Yes, 4_000), P::Naloxone, None),
            (Answer(Choice::Done, 5_000), P::Breaths, None),
            (Tick(125_000), P::Breaths, Some(Prompt::SecondDose)),
            (
                Answer(Choice::BreathingNormally, 126_000),
                P::Recovery,
                None,
            ),
            (Tick(400_000), P::Recovery, None),
        ],
    )?;
    Ok(())
}

#[test]
fn answers_that_do_not_fit_and_time_going_back_are_refused() -> TestResult {
    let mut r = Response::start(protocol(Region::Us)?, false);
    assert_eq!(r.answer(Choice::Done, 0), Err(ResponseError::NotOffered));
    r.answer(Choice::No, 10)?;
    assert_eq!(r.answer(Choice::Done, 5), Err(ResponseError::TimeWentBack));
    r.answer(Choice::Done, 20)?;
    r.answer(Choice::Yes, 30)?; // breathing normally: naloxone
    r.answer(Choice::NoNaloxone, 40)?;
    r.answer(Choice::HelpArrived, 50)?;
    assert_eq!(r.answer(Choice::Done, 60), Err(ResponseError::Ended));
    Ok(())
}

#[test]
fn what_is_said_changes_with_every_step_and_prompt() -> TestResult {
    let mut r = Response::start(protocol(Region::Uk)?, true);
    let v0 = r.view();
    assert_eq!((v0.line, v0.says_step), (Some(Line::AskWakes), true));
    assert!(v0.practice);
    let v1 = r.answer(Choice::No, 1_000)?;
    assert!(v1.say_seq > v0.say_seq);
    // The call step, then: do what the call-taker says.
    assert_eq!((v1.line, v1.says_step), (Some(Line::CallTakerFirst), true));
    let v2 = r.answer(Choice::Done, 2_000)?;
    assert_eq!(v2.line, Some(Line::AskBreathingNormally));
    let v3 = r.answer(Choice::No, 3_000)?;
    let steps = r.protocol().steps.clone();
    assert_eq!(steps[v3.step_index as usize].action, Some(StepAction::Cpr));
    r.answer(Choice::GiveNaloxone, 4_000)?;
    let v5 = r.answer(Choice::Done, 5_000)?;
    // Back to CPR after naloxone: the UK's "Keep going" step.
    assert_eq!(steps[v5.step_index as usize].title, "Keep going");
    let v6 = r.tick(125_000)?;
    assert_eq!(
        (v6.prompt, v6.line, v6.says_step),
        (Some(Prompt::SecondDose), Some(Line::SecondDose), false)
    );
    assert!(v6.say_seq > v5.say_seq);
    // The prompt's answers take the keys; the step's stay on screen without them.
    assert_eq!(v6.choices[0].choice, Choice::GaveAnotherDose);
    assert_eq!(v6.choices[0].key, Some(ChoiceKey::Main));
    assert!(v6.choices[2..].iter().all(|c| c.key.is_none()));
    Ok(())
}

#[test]
fn every_step_names_its_content_step() -> TestResult {
    for region in Region::ALL {
        let p = protocol(region)?;
        let r = Response::start(p.clone(), false);
        let want = |phase: Phase| match phase {
            P::Check | P::Breathing | P::AnyBreaths => StepAction::Check,
            P::Call => StepAction::Call,
            P::Naloxone => StepAction::Naloxone,
            P::Breaths => StepAction::Breathe,
            P::Cpr => StepAction::Cpr,
            P::Recovery => StepAction::Recovery,
            P::Stay | P::Arrived => StepAction::Stay,
        };
        for state in reachable(&r) {
            let v = state.view();
            let step = &p.steps[v.step_index as usize];
            assert_eq!(step.action, Some(want(v.phase)), "{region:?} {:?}", v.phase);
        }
    }
    Ok(())
}

#[test]
fn the_pacer_keeps_the_sources_rates() {
    let breaths = Pacer::BREATHS.beats(0, 60_000);
    assert_eq!(breaths.len(), 12);
    assert!(breaths.windows(2).all(|w| w[1].at_ms - w[0].at_ms == 5_000));
    let cpr = Pacer::COMPRESSIONS.beats(0, 60_000);
    let compressions: Vec<_> = cpr
        .iter()
        .filter(|b| b.kind == BeatKind::Compression)
        .collect();
    // Within a cycle: 110 a minute.
    let gap = compressions[1].at_ms - compressions[0].at_ms;
    assert_eq!(gap, 545);
    let rate = 60_000.0 / gap as f64;
    assert!((100.0..=120.0).contains(&rate));
    // 30 compressions, then the breaths.
    assert_eq!(
        compressions.iter().take_while(|b| b.at_ms < 16_350).count(),
        30
    );
    assert_eq!(
        cpr.iter()
            .find(|b| b.kind == BeatKind::Breath)
            .map(|b| (b.at_ms, b.count)),
        Some((30 * 545, 31))
    );
    // A window in the middle sees the same beats as the whole.
    let part = Pacer::COMPRESSIONS.beats(20_000, 40_000);
    let whole: Vec<_> = cpr
        .iter()
        .filter(|b| (20_000..40_000).contains(&b.at_ms))
        .copied()
        .collect();
    assert_eq!(part, whole);
}

#[test]
fn practice_says_which_steps_were_reached_in_time() -> TestResult {
    let mut r = Response::start(protocol(Region::Us)?, true);
    r.answer(Choice::No, 10_000)?;
    r.answer(Choice::Done, 30_000)?; // called at 30 s: in time
    r.answer(Choice::No, 140_000)?;
    r.answer(Choice::No, 150_000)?; // CPR at 2.5 min: late
    r.answer(Choice::GiveNaloxone, 160_000)?;
    r.answer(Choice::Done, 170_000)?; // naloxone at 2:50: late
    r.tick(290_000)?;
    r.answer(Choice::GaveAnotherDose, 320_000)?; // answered in 30 s
    r.answer(Choice::HelpArrived, 330_000)?;
    let s = r.practice_summary();
    let got: Vec<_> = s.goals.iter().map(|g| (g.milestone, g.in_time)).collect();
    assert_eq!(
        got,
        [
            (PracticeMilestone::Called, true),
            (PracticeMilestone::BreathingSupport, false),
            (PracticeMilestone::Naloxone, false),
            (PracticeMilestone::SecondDoseAnswered, true),
        ]
    );
    assert!(s.reached_end);
    assert_eq!(s.elapsed_ms, 330_000);
    // A run where they were breathing normally is not marked down for no CPR.
    let mut r = Response::start(protocol(Region::Uk)?, true);
    r.answer(Choice::No, 5_000)?;
    r.answer(Choice::Done, 10_000)?;
    r.answer(Choice::Yes, 15_000)?;
    r.answer(Choice::Done, 20_000)?;
    let s = r.practice_summary();
    assert!(s
        .goals
        .iter()
        .all(|g| g.milestone != PracticeMilestone::BreathingSupport));
    assert!(s.goals.iter().all(|g| g.in_time));
    Ok(())
}

/// Every state reachable by answering, ignoring time (timers are explored by the property test).
fn reachable(start: &Response) -> Vec<Response> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut queue = VecDeque::from([start.clone()]);
    let mut out = Vec::new();
    while let Some(r) = queue.pop_front() {
        let key = format!(
            "{:?}{:?}{}{}{}{}{:?}",
            r.phase,
            r.prompt,
            r.called,
            r.no_naloxone,
            r.doses.len().min(1),
            r.cpr_visits.min(2),
            r.after_naloxone
        );
        if !seen.insert(key) {
            continue;
        }
        for c in r.choices() {
            let mut next = r.clone();
            if next.answer(c.choice, r.now + 1).is_ok() {
                queue.push_back(next);
            }
        }
        out.push(r);
    }
    out
}

#[test]
fn from_every_state_the_guide_can_reach_stay_or_help_has_arrived() -> TestResult {
    for region in Region::ALL {
        let start = Response::start(protocol(region)?, false);
        let states = reachable(&start);
        assert!(states.len() > 10, "{region:?}: {} states", states.len());
        for s in &states {
            if s.phase == P::Arrived {
                assert!(s.choices().is_empty());
                continue;
            }
            assert!(
                !s.choices().is_empty(),
                "{region:?} {:?} has no answer",
                s.phase
            );
            // Some way on to Stay or Arrived.
            let ends = reachable(s)
                .iter()
                .any(|t| matches!(t.phase, P::Stay | P::Arrived));
            assert!(ends, "{region:?}: stuck from {:?}", s.phase);
            // Exactly one main action, and Y/N never on two answers at once.
            let keys: Vec<_> = s.choices().iter().filter_map(|c| c.key).collect();
            let unique: HashSet<_> = keys.iter().map(|k| format!("{k:?}")).collect();
            assert_eq!(keys.len(), unique.len(), "{region:?} {:?}", s.phase);
        }
    }
    Ok(())
}

fn script() -> impl Strategy<Value = (usize, Vec<(usize, u64)>)> {
    (
        0..Region::ALL.len(),
        proptest::collection::vec((0usize..8, 0u64..90_000), 1..80),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Any walk through the guide: naloxone is never prompted or taken sooner than the region's
    /// interval after the last dose; the pacer runs only for breaths and CPR; the recovery
    /// position only ever follows an answer that they are breathing normally; every walk can end.
    #[test]
    fn any_walk_keeps_the_rules((region, steps) in script()) {
        let region = Region::ALL[region];
        let p = protocol(region).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let interval = p.second_dose_after_ms;
        let mut r = Response::start(p, false);
        let mut now = 0u64;
        let mut last_prompt: Option<u64> = None;
        // What the helper last said about breathing: normal, or not (or not known).
        let mut breathing_normally = false;
        for (pick, gap) in steps {
            now += gap;
            let before = r.phase;
            let prompt_before = r.view().prompt;
            let mut said: Option<Choice> = None;
            let view = if pick == 7 {
                r.tick(now)
            } else {
                let choices = r.choices();
                if choices.is_empty() { break; }
                let c = choices[pick % choices.len()].choice;
                said = Some(c);
                r.answer(c, now)
            };
            let view = view.map_err(|e| TestCaseError::fail(e.to_string()))?;
            // (Yes and No answer a re-check prompt when one is up, and the step otherwise.)
            let recheck = prompt_before == Some(Prompt::Recheck);
            match (before, recheck, said) {
                (P::Breathing, false, Some(Choice::Yes)) | (_, _, Some(Choice::BreathingNormally)) => {
                    breathing_normally = true;
                }
                (P::Breathing | P::AnyBreaths, false, Some(Choice::No))
                | (_, _, Some(Choice::StoppedBreathing | Choice::WorseAgain | Choice::StartedBreathing))
                | (_, true, Some(Choice::No)) => breathing_normally = false,
                _ => {}
            }
            if view.phase == P::Recovery && before != P::Recovery {
                prop_assert!(breathing_normally, "the side, without breathing normally");
            }
            if view.phase == P::Cpr && before != P::Cpr && before != P::Naloxone {
                prop_assert!(!breathing_normally, "CPR for someone breathing normally");
            }
            prop_assert_eq!(view.pacer.is_some(), matches!(view.phase, P::Breaths | P::Cpr));
            if view.prompt == Some(Prompt::SecondDose) && last_prompt.is_none() {
                let last = r.doses().last().copied().unwrap_or(0);
                prop_assert!(now >= last + interval);
                last_prompt = Some(now);
            }
            if view.prompt.is_none() {
                last_prompt = None;
            }
            prop_assert!(r.doses().windows(2).all(|w| w[1] - w[0] >= interval));
            if view.ended { break; }
        }
        // "Help has arrived" is always there to end it, except where it has ended.
        if !r.view().ended {
            prop_assert!(r.view().phase == P::Check || r.view().phase == P::Call
                || r.view().phase == P::Naloxone || r.view().phase == P::Breathing
                || r.view().phase == P::AnyBreaths
                || r.choices().iter().any(|c| c.choice == Choice::HelpArrived));
        }
    }
}
