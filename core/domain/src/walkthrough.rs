//! The peer visit walk-through: six steps a peer worker and the person go through together, one
//! topic a screen. For each step and region this picks the guides to open and the lines to call
//! from the content pack, and holds the questions to talk through. The answers are saved in the
//! encrypted journal (`records::Visit`, kept by the store); the kit, the plan and the tolerance figures shown on the
//! steps come from their own records and from the tolerance engine, never from here.

use serde::Serialize;
use ts_rs::TS;

use crate::records::VisitStep;
use holdfast_content::{ContentPack, Fact, Item, Region, ResourceKind, Topic};

/// Most guides linked from one step (more is a reading list, not a visit).
pub const MAX_GUIDES: usize = 4;

/// What the treatment step offers after the medicines and the region's own guide: for someone
/// for whom treatment did not work before, and for the talk with a clinician.
pub const TREATMENT_NEXT: [&str; 2] = ["when-treatment-didnt-fit", "talking-to-a-clinician"];

/// What one step of the walk-through shows in a region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StepGuide {
    pub step: VisitStep,
    /// The step's heading.
    pub title: String,
    /// One or two sentences to read together.
    pub intro: String,
    /// Questions to talk through, in order.
    pub questions: Vec<String>,
    /// Sourced facts (`facts.toml`) to read on this step, with their sources.
    pub facts: Vec<Fact>,
    /// Content item ids to offer (the region's own first).
    pub guides: Vec<String>,
    /// Resource ids: lines to call for this step, in the region.
    pub lines: Vec<String>,
}

/// The walk-through for a region: every step in [`VisitStep::ALL`] order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Walkthrough {
    pub region: Region,
    pub steps: Vec<StepGuide>,
}

/// The guides on `topic` for `region`: those written for the region first, then those for every
/// region, at most [`MAX_GUIDES`]; `prefer` ids (when they apply) come first of all.
fn guides(pack: &ContentPack, region: Region, topic: Topic, prefer: &[&str]) -> Vec<String> {
    let items = pack.topic_for(region, topic);
    let mut ordered: Vec<&Item> = Vec::new();
    for id in prefer {
        if let Some(item) = items.iter().find(|i| i.id == *id) {
            ordered.push(item);
        }
    }
    let own = items.iter().filter(|i| i.names_region(region));
    let shared = items.iter().filter(|i| !i.names_region(region));
    for item in own.chain(shared) {
        if !ordered.iter().any(|o| o.id == item.id) {
            ordered.push(item);
        }
    }
    ordered
        .into_iter()
        .take(MAX_GUIDES)
        .map(|i| i.id.clone())
        .collect()
}

/// The medicines, the region's own treatment guide, then [`TREATMENT_NEXT`].
fn treatment_guides(pack: &ContentPack, region: Region) -> Vec<String> {
    let mut ids = guides(pack, region, Topic::Treatment, &["treatment-medicines"]);
    ids.retain(|id| !TREATMENT_NEXT.contains(&id.as_str()));
    ids.truncate(MAX_GUIDES - TREATMENT_NEXT.len());
    for id in TREATMENT_NEXT {
        if pack.item(id).is_some_and(|item| item.applies_to(region)) {
            ids.push(id.to_owned());
        }
    }
    ids
}

fn lines(pack: &ContentPack, region: Region, kinds: &[ResourceKind]) -> Vec<String> {
    kinds
        .iter()
        .flat_map(|kind| {
            pack.resources_for(region)
                .into_iter()
                .filter(move |r| r.kind == *kind)
        })
        .map(|r| r.id.clone())
        .collect()
}

/// The facts with these ids (a missing one is left out; a test checks none is missing).
fn facts(pack: &ContentPack, ids: &[&str]) -> Vec<Fact> {
    ids.iter().filter_map(|id| pack.fact(id)).cloned().collect()
}

fn strings(texts: &[&str]) -> Vec<String> {
    texts.iter().map(|t| (*t).to_owned()).collect()
}

/// The walk-through for `region`.
pub fn walkthrough(pack: &ContentPack, region: Region) -> Walkthrough {
    let steps = VisitStep::ALL
        .into_iter()
        .map(|step| match step {
            VisitStep::Naloxone => StepGuide {
                step,
                title: "Naloxone".to_owned(),
                intro: "Talk about naloxone: if you have a kit, where it is, and if the people around you know the steps.".to_owned(),
                facts: Vec::new(),
                questions: strings(&[
                    "Do you have a naloxone kit?",
                    "Where is it kept? Does someone you are with know where it is?",
                    "When does it expire?",
                    "Have you practised the steps? We can practise now.",
                ]),
                guides: guides(pack, region, Topic::Naloxone, &["after-naloxone"]),
                lines: Vec::new(),
            },
            VisitStep::Tolerance => StepGuide {
                step,
                title: "Tolerance".to_owned(),
                intro: "This is what your journal says today about your last use and your tolerance. Read it together.".to_owned(),
                facts: facts(pack, &["tolerance-3-days", "tolerance-breaks"]),
                questions: strings(&[
                    "Does the date of your last use look right?",
                    "Have you had a break lately, like time in hospital, detox, jail or treatment?",
                    "What would you do differently if you used after a break?",
                ]),
                guides: guides(pack, region, Topic::NeverUseAlone, &["safer-use-steps"])
                    .into_iter()
                    .filter(|id| id == "safer-use-steps")
                    .collect(),
                lines: Vec::new(),
            },
            VisitStep::NeverUseAlone => {
                let lines = lines(pack, region, &[ResourceKind::NeverUseAlone]);
                // The phone-line question only where there is such a line to call.
                let mut questions = vec!["If you use, who could be with you or check on you?"];
                if !lines.is_empty() {
                    questions.push("Would you call a line that stays on the phone with you?");
                }
                questions.push("Can you leave the door unlocked, so help can get in?");
                StepGuide {
                    step,
                    title: "Never use alone".to_owned(),
                    intro: "If you use alone, nobody can call for help or give naloxone. A plan means someone can.".to_owned(),
                    facts: Vec::new(),
                    questions: strings(&questions),
                    guides: guides(pack, region, Topic::NeverUseAlone, &[]),
                    lines,
                }
            }
            VisitStep::Treatment => StepGuide {
                step,
                title: "Treatment".to_owned(),
                intro: "Methadone, buprenorphine and naltrexone are medicines for opioid use. You can ask about them at any time, and the choice is yours.".to_owned(),
                facts: facts(pack, &["leaving-methadone-buprenorphine", "naltrexone-stopping"]),
                questions: strings(&[
                    "Is there a treatment you want to try, or learn more about?",
                    "What has worked for you before, and what has not?",
                    "Who could you call to ask? We can call together.",
                ]),
                guides: treatment_guides(pack, region),
                lines: lines(pack, region, &[ResourceKind::Treatment, ResourceKind::Drugs]),
            },
            VisitStep::SafetyPlan => StepGuide {
                step,
                title: "Your safety plan".to_owned(),
                intro: "Your plan is what you do when things get hard. Look at it together, and change what no longer fits.".to_owned(),
                facts: Vec::new(),
                questions: strings(&[
                    "Are the warning signs still the right ones?",
                    "Are the people and numbers still right?",
                    "Is there one thing to add?",
                ]),
                guides: Vec::new(),
                lines: lines(pack, region, &[ResourceKind::Crisis]),
            },
            VisitStep::NextSteps => StepGuide {
                step,
                title: "Next steps".to_owned(),
                intro: "Write down what you will each do next, in your own words, and pick a day for the next visit.".to_owned(),
                facts: Vec::new(),
                questions: strings(&[
                    "What is one thing you will do before the next visit?",
                    "What can the peer worker do to help?",
                    "When shall we meet again?",
                ]),
                guides: Vec::new(),
                lines: lines(pack, region, &[ResourceKind::Crisis]),
            },
        })
        .collect();
    Walkthrough { region, steps }
}

#[cfg(test)]
mod tests {
    use super::*;
    use holdfast_content::{readability, validate};

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    fn pack() -> Result<ContentPack, Box<dyn std::error::Error>> {
        Ok(ContentPack::embedded()?)
    }

    #[test]
    fn every_region_has_every_step_in_order_with_content_that_exists() -> TestResult {
        let pack = pack()?;
        for region in Region::ALL {
            let w = walkthrough(&pack, region);
            let steps: Vec<VisitStep> = w.steps.iter().map(|s| s.step).collect();
            assert_eq!(steps, VisitStep::ALL.to_vec(), "{region:?}");
            for s in &w.steps {
                assert!(!s.questions.is_empty(), "{region:?} {:?}", s.step);
                assert!(s.guides.len() <= MAX_GUIDES);
                for id in &s.guides {
                    let item = pack.item(id);
                    assert!(
                        item.is_some_and(|i| i.applies_to(region)),
                        "{region:?} {:?}: guide {id} is not shown there",
                        s.step
                    );
                }
                assert!(
                    s.facts.iter().all(|f| !f.sources.is_empty()),
                    "{:?}: a fact without a source",
                    s.step
                );
                for id in &s.lines {
                    let line = pack.resource(id);
                    assert!(
                        line.is_some_and(|l| l.region == region),
                        "{region:?} {:?}: line {id} is not in the region",
                        s.step
                    );
                }
            }
        }
        Ok(())
    }

    fn step(w: &Walkthrough, step: VisitStep) -> Result<&StepGuide, String> {
        w.steps
            .iter()
            .find(|s| s.step == step)
            .ok_or_else(|| format!("no {step:?} step"))
    }

    #[test]
    fn each_region_gets_its_own_naloxone_treatment_and_lines() -> TestResult {
        let pack = pack()?;
        for region in Region::ALL {
            let w = walkthrough(&pack, region);
            assert_eq!(step(&w, VisitStep::Tolerance)?.facts.len(), 2, "{region:?}");
            assert_eq!(step(&w, VisitStep::Treatment)?.facts.len(), 2, "{region:?}");
            // The stay-on-the-line question is asked only where there is such a line.
            let alone = step(&w, VisitStep::NeverUseAlone)?;
            assert_eq!(
                alone.questions.iter().any(|q| q.contains("line")),
                !alone.lines.is_empty(),
                "{region:?}"
            );
            let nal = step(&w, VisitStep::Naloxone)?;
            assert!(!nal.guides.is_empty(), "{region:?}: no naloxone guide");
            assert_eq!(
                nal.guides.first().map(String::as_str),
                Some("after-naloxone"),
                "{region:?}: what to expect after naloxone comes first"
            );
            let treat = step(&w, VisitStep::Treatment)?;
            for id in TREATMENT_NEXT {
                assert!(
                    treat.guides.iter().any(|g| g == id),
                    "{region:?}: the treatment step does not offer {id}"
                );
            }
            assert!(
                treat
                    .guides
                    .iter()
                    .any(|id| pack.item(id).is_some_and(|i| i.names_region(region))),
                "{region:?}: no treatment guide written for the region"
            );
            assert!(
                !treat.lines.is_empty(),
                "{region:?}: no number to call about treatment"
            );
            assert!(
                !step(&w, VisitStep::SafetyPlan)?.lines.is_empty(),
                "{region:?}: no crisis line"
            );
            let alone = step(&w, VisitStep::NeverUseAlone)?;
            assert!(
                !alone.guides.is_empty() || !alone.lines.is_empty(),
                "{region:?}: nothing for never use alone"
            );
        }
        Ok(())
    }

    #[test]
    fn regional_differences_show() -> TestResult {
        let pack = pack()?;
        let us = walkthrough(&pack, Region::Us);
        let uk = walkthrough(&pack, Region::Uk);
        // The US has a never-use-alone line; the UK has none in the sources.
        assert!(!step(&us, VisitStep::NeverUseAlone)?.lines.is_empty());
        assert!(step(&uk, VisitStep::NeverUseAlone)?.lines.is_empty());
        assert!(step(&us, VisitStep::Naloxone)?
            .guides
            .contains(&"naloxone-get-us".to_owned()));
        assert!(step(&uk, VisitStep::Naloxone)?
            .guides
            .iter()
            .any(|g| g.ends_with("-uk")));
        assert_ne!(
            step(&us, VisitStep::Treatment)?.lines,
            step(&uk, VisitStep::Treatment)?.lines
        );
        Ok(())
    }

    #[test]
    fn the_words_are_plain_and_without_stigma() -> TestResult {
        let pack = pack()?;
        for s in walkthrough(&pack, Region::Us).steps {
            assert!(validate::stigma_in(&s.title).is_empty(), "{}", s.title);
            for text in std::iter::once(&s.intro).chain(&s.questions) {
                assert!(
                    validate::stigma_in(text).is_empty(),
                    "stigmatising words in {text:?}"
                );
                assert!(
                    readability::grade(text) <= validate::MAX_PARAGRAPH_GRADE,
                    "{text:?} reads at grade {:.1}",
                    readability::grade(text)
                );
            }
            let all = std::iter::once(s.intro.clone())
                .chain(s.questions.clone())
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                readability::grade(&all) <= validate::MAX_GRADE,
                "{:?} reads at grade {:.1}",
                s.step,
                readability::grade(&all)
            );
        }
        Ok(())
    }
}
