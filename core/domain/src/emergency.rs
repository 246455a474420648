//! What the emergency screens need from core: which region's numbers and steps to show, the
//! naloxone timer, and the result of a practice run. None of it needs the journal unlocked.

use serde::Serialize;
use ts_rs::TS;

use holdfast_content::{Advice, ContentPack, Item, Phone, Region, Resource, Topic};

/// A region and the name shown for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegionOption {
    pub region: Region,
    pub name: String,
}

/// Where the region in use came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RegionSource {
    /// The person chose it.
    Chosen,
    /// The system's language settings name it.
    System,
    /// Nothing said which; the app asks, and shows this one until then.
    Fallback,
}

/// The region in use, why, and the choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegionState {
    pub region: Region,
    pub source: RegionSource,
    pub options: Vec<RegionOption>,
    /// A problem reading the saved choice, in words for the person.
    pub problem: Option<String>,
}

/// The region shown when neither a choice nor the locale names one.
pub const FALLBACK_REGION: Region = Region::Us;

/// The country name for a region.
pub fn region_name(region: Region) -> &'static str {
    match region {
        Region::Us => "United States",
        Region::Ca => "Canada",
        Region::Uk => "United Kingdom",
        Region::Ie => "Ireland",
        Region::Au => "Australia",
        Region::Nz => "New Zealand",
    }
}

/// Every region with its name, in the app's order.
pub fn region_options() -> Vec<RegionOption> {
    Region::ALL
        .iter()
        .map(|&region| RegionOption {
            region,
            name: region_name(region).to_owned(),
        })
        .collect()
}

/// Parses a region code as the UI sends it (`US`, `CA`, `UK`, `IE`, `AU`, `NZ`; `GB` is taken as
/// the UK).
pub fn parse_region(code: &str) -> Option<Region> {
    match code.trim().to_ascii_uppercase().as_str() {
        "US" => Some(Region::Us),
        "CA" => Some(Region::Ca),
        "UK" | "GB" => Some(Region::Uk),
        "IE" => Some(Region::Ie),
        "AU" => Some(Region::Au),
        "NZ" => Some(Region::Nz),
        _ => None,
    }
}

/// The region a POSIX locale names (`en_CA.UTF-8` → Canada), if it is one we have content for.
pub fn region_from_locale(locale: &str) -> Option<Region> {
    let country = locale.split(['.', '@']).next()?.split(['_', '-']).nth(1)?;
    parse_region(country)
}

/// The first of `LC_ALL`, `LC_MESSAGES`, `LANG` values that names a region.
pub fn region_from_locale_vars<'a>(
    values: impl IntoIterator<Item = Option<&'a str>>,
) -> Option<Region> {
    values.into_iter().flatten().find_map(region_from_locale)
}

/// Decides the region in use from the saved choice and the system locale.
pub fn region_state(
    chosen: Option<Region>,
    system: Option<Region>,
    problem: Option<String>,
) -> RegionState {
    let (region, source) = match (chosen, system) {
        (Some(r), _) => (r, RegionSource::Chosen),
        (None, Some(r)) => (r, RegionSource::System),
        (None, None) => (FALLBACK_REGION, RegionSource::Fallback),
    };
    RegionState {
        region,
        source,
        options: region_options(),
        problem,
    }
}

/// The naloxone timer's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NaloxoneTimer {
    /// Seconds after a dose at which the app prompts for another if there is no response.
    pub second_dose_after_secs: u32,
    /// The content item that states the interval (and cites its source).
    pub source_item: String,
}

/// Second dose after 2 to 3 minutes without a response (NARCAN instructions; content item
/// `naloxone-second-dose`, fact sheet 3.2). The prompt comes at the start of that window.
pub const SECOND_DOSE_AFTER_SECS: u32 = 120;

impl NaloxoneTimer {
    /// The timer as the instructions give it; `override_secs` is for tests only.
    pub fn new(override_secs: Option<u32>) -> Self {
        Self {
            second_dose_after_secs: override_secs
                .filter(|s| *s > 0)
                .unwrap_or(SECOND_DOSE_AFTER_SECS),
            source_item: "naloxone-second-dose".to_owned(),
        }
    }
}

/// Everything the emergency screens show for one region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegionGuide {
    pub region: Region,
    pub region_name: String,
    /// The emergency number to call on every step.
    pub emergency_number: Phone,
    /// The overdose response steps, in the order this region teaches.
    pub response: Item,
    /// Every other item that applies to this region, in file order.
    pub items: Vec<Item>,
    /// The region's lines, emergency first.
    pub resources: Vec<Resource>,
    pub timer: NaloxoneTimer,
    /// The sentences of safety advice the screens show outside an item (the naloxone timer's
    /// prompts, the last response screen), from `assets/content/advice.toml`.
    pub advice: Vec<Advice>,
}

/// Why a region's guide cannot be built (a content defect the tests guard against).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum GuideError {
    #[error("There is no emergency number for {0} in this version of Holdfast. Call your local emergency number.")]
    NoEmergencyNumber(&'static str),
    #[error("There are no response steps for {0} in this version of Holdfast. Call your local emergency number.")]
    NoResponseSteps(&'static str),
}

/// Builds the guide for `region` from the content pack.
pub fn region_guide(
    pack: &ContentPack,
    region: Region,
    timer: NaloxoneTimer,
) -> Result<RegionGuide, GuideError> {
    let name = region_name(region);
    let emergency_number = pack
        .emergency_number(region)
        .cloned()
        .ok_or(GuideError::NoEmergencyNumber(name))?;
    let response = pack
        .response_guide(region)
        .ok_or(GuideError::NoResponseSteps(name))?;
    let items = pack
        .items_for(region)
        .into_iter()
        .filter(|i| i.topic != Topic::Respond)
        .cloned()
        .collect();
    let resources = pack.resources_for(region).into_iter().cloned().collect();
    Ok(RegionGuide {
        region,
        region_name: name.to_owned(),
        emergency_number,
        response,
        items,
        resources,
        timer,
        advice: pack.advice.clone(),
    })
}

/// One step of a practice run, as the result shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PracticeStep {
    pub title: String,
    pub done: bool,
    /// 1 for the first step done, 2 for the next, … (None when not done).
    pub done_as: Option<u32>,
    /// Done, and no step that comes after it in the guide was done before it.
    pub in_order: bool,
}

/// The outcome of a practice run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PracticeResult {
    pub steps: Vec<PracticeStep>,
    pub done: u32,
    pub in_order: u32,
    pub total: u32,
    /// One encouraging sentence about the run.
    pub summary: String,
}

/// Why a practice run could not be scored.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PracticeError {
    #[error("Step {0} does not exist in this guide.")]
    NoSuchStep(u32),
    #[error("Step {0} was marked done twice.")]
    Repeated(u32),
}

/// Scores a practice run: `titles` are the guide's steps in order; `done_order` lists the
/// 0-based indices of the steps the person marked done, in the order they did them.
pub fn score_practice(
    titles: &[String],
    done_order: &[u32],
) -> Result<PracticeResult, PracticeError> {
    let mut steps: Vec<PracticeStep> = titles
        .iter()
        .map(|t| PracticeStep {
            title: t.clone(),
            done: false,
            done_as: None,
            in_order: false,
        })
        .collect();
    let mut highest: Option<u32> = None;
    for (rank, &index) in done_order.iter().enumerate() {
        let step = steps
            .get_mut(index as usize)
            .ok_or(PracticeError::NoSuchStep(index + 1))?;
        if step.done {
            return Err(PracticeError::Repeated(index + 1));
        }
        step.done = true;
        step.done_as = Some(u32::try_from(rank).unwrap_or(u32::MAX).saturating_add(1));
        step.in_order = highest.is_none_or(|h| index > h);
        highest = Some(highest.map_or(index, |h| h.max(index)));
    }
    let total = u32::try_from(steps.len()).unwrap_or(u32::MAX);
    let done = u32::try_from(steps.iter().filter(|s| s.done).count()).unwrap_or(0);
    let in_order = u32::try_from(steps.iter().filter(|s| s.in_order).count()).unwrap_or(0);
    let summary = if done == total && in_order == total {
        "You did every step, in order. Well done: you are ready to help.".to_owned()
    } else if done == 0 {
        "No steps were marked done. Try again whenever you are ready.".to_owned()
    } else {
        format!(
            "You did {done} of {total} steps, {in_order} in order. Look at the steps below, then try again: practice makes it easier to remember."
        )
    };
    Ok(PracticeResult {
        steps,
        done,
        in_order,
        total,
        summary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_map_to_regions() {
        assert_eq!(region_from_locale("en_CA.UTF-8"), Some(Region::Ca));
        assert_eq!(region_from_locale("en_GB.UTF-8"), Some(Region::Uk));
        assert_eq!(region_from_locale("en_IE@euro"), Some(Region::Ie));
        assert_eq!(region_from_locale("en-AU"), Some(Region::Au));
        assert_eq!(region_from_locale("fr_CA"), Some(Region::Ca));
        assert_eq!(region_from_locale("de_DE.UTF-8"), None);
        assert_eq!(region_from_locale("C"), None);
        assert_eq!(region_from_locale(""), None);
        assert_eq!(
            region_from_locale_vars([None, Some("C.UTF-8"), Some("en_NZ.UTF-8")]),
            Some(Region::Nz)
        );
    }

    #[test]
    fn choice_beats_system_beats_fallback() {
        assert_eq!(
            region_state(Some(Region::Uk), Some(Region::Ca), None).source,
            RegionSource::Chosen
        );
        assert_eq!(
            region_state(None, Some(Region::Ca), None).region,
            Region::Ca
        );
        let s = region_state(None, None, None);
        assert_eq!(
            (s.region, s.source),
            (FALLBACK_REGION, RegionSource::Fallback)
        );
        assert_eq!(s.options.len(), 6);
    }

    #[test]
    fn codes_parse_and_unknown_codes_do_not() {
        assert_eq!(parse_region("gb"), Some(Region::Uk));
        assert_eq!(parse_region(" nz "), Some(Region::Nz));
        assert_eq!(parse_region("XX"), None);
    }

    #[test]
    fn every_region_has_a_complete_guide() -> Result<(), Box<dyn std::error::Error>> {
        let pack = ContentPack::embedded()?;
        let expected = [
            (Region::Us, "911"),
            (Region::Ca, "911"),
            (Region::Uk, "999"),
            (Region::Ie, "112"),
            (Region::Au, "000"),
            (Region::Nz, "111"),
        ];
        for (region, number) in expected {
            let g = region_guide(&pack, region, NaloxoneTimer::new(None))?;
            assert_eq!(g.emergency_number.number, number, "{region:?}");
            assert!(g.response.steps.len() >= 4, "{region:?} has too few steps");
            assert!(g
                .resources
                .first()
                .is_some_and(|r| r.kind == holdfast_content::ResourceKind::Emergency));
            assert!(g.items.iter().all(|i| i.topic != Topic::Respond));
            assert!(g.items.iter().any(|i| i.topic == Topic::Naloxone));
        }
        Ok(())
    }

    #[test]
    fn the_timer_defaults_to_two_minutes() {
        assert_eq!(NaloxoneTimer::new(None).second_dose_after_secs, 120);
        assert_eq!(NaloxoneTimer::new(Some(0)).second_dose_after_secs, 120);
        assert_eq!(NaloxoneTimer::new(Some(3)).second_dose_after_secs, 3);
    }

    fn titles(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("Step {i}")).collect()
    }

    #[test]
    fn practice_in_order_is_perfect() -> Result<(), PracticeError> {
        let r = score_practice(&titles(3), &[0, 1, 2])?;
        assert_eq!((r.done, r.in_order, r.total), (3, 3, 3));
        assert!(r.summary.starts_with("You did every step, in order"));
        Ok(())
    }

    #[test]
    fn practice_out_of_order_and_skipped_steps_are_shown() -> Result<(), PracticeError> {
        let r = score_practice(&titles(4), &[1, 0, 3])?;
        assert_eq!((r.done, r.in_order, r.total), (3, 2, 4));
        assert_eq!(r.steps[0].done_as, Some(2));
        assert!(!r.steps[0].in_order);
        assert!(r.steps[1].in_order);
        assert!(!r.steps[2].done);
        assert!(r.steps[3].in_order);
        assert!(r.summary.contains("3 of 4"));
        Ok(())
    }

    #[test]
    fn practice_rejects_bad_input() {
        assert_eq!(
            score_practice(&titles(2), &[2]),
            Err(PracticeError::NoSuchStep(3))
        );
        assert_eq!(
            score_practice(&titles(2), &[1, 1]),
            Err(PracticeError::Repeated(2))
        );
        assert!(score_practice(&titles(2), &[]).is_ok_and(|r| r.done == 0));
    }
}
