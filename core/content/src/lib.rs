//! The safety content pack: overdose response, naloxone, safer use, treatment, Good Samaritan
//! laws, crisis lines and the small facts the tolerance engine cites.
//!
//! The TOML files in `assets/content/` are compiled into the binary with `include_str!`, so the
//! content is there offline and without unlocking the journal. Loading parses them, checks the
//! phone numbers and fills in `tel:`/`sms:` URIs; it returns a typed error and never panics.
//! The content rules (sources, readability, wording, links, completeness) are checked by the
//! tests in `validate` against the real files; see `docs/content.md`.

pub mod illustrations;
mod model;
pub mod phone;
pub mod readability;
pub mod search;
pub mod validate;

#[cfg(test)]
mod search_tests;
#[cfg(test)]
mod tests;

pub use model::{
    Advice, Confidence, Fact, Item, LawStatus, Phone, Region, RegionScope, Resource, ResourceKind,
    SearchWords, Source, Step, StepAction, TextLine, Topic,
};
pub use phone::PhoneError;

use serde::Serialize;
use ts_rs::TS;

/// The placeholder a response step uses for the region's emergency number.
pub const EMERGENCY_PLACEHOLDER: &str = "{emergency}";

/// Every content file, by name, as compiled into the binary. A test checks that this list and
/// the folder agree, so a new file cannot be left out by mistake.
pub const CONTENT_FILES: &[(&str, &str)] = &[
    (
        "advice.toml",
        include_str!("../../../assets/content/advice.toml"),
    ),
    (
        "first-aid.toml",
        include_str!("../../../assets/content/first-aid.toml"),
    ),
    (
        "facts.toml",
        include_str!("../../../assets/content/facts.toml"),
    ),
    (
        "good-samaritan.toml",
        include_str!("../../../assets/content/good-samaritan.toml"),
    ),
    (
        "naloxone.toml",
        include_str!("../../../assets/content/naloxone.toml"),
    ),
    (
        "never-use-alone.toml",
        include_str!("../../../assets/content/never-use-alone.toml"),
    ),
    (
        "new-drugs.toml",
        include_str!("../../../assets/content/new-drugs.toml"),
    ),
    (
        "recognise.toml",
        include_str!("../../../assets/content/recognise.toml"),
    ),
    (
        "recovery.toml",
        include_str!("../../../assets/content/recovery.toml"),
    ),
    (
        "resources-au.toml",
        include_str!("../../../assets/content/resources-au.toml"),
    ),
    (
        "resources-ca.toml",
        include_str!("../../../assets/content/resources-ca.toml"),
    ),
    (
        "resources-ie.toml",
        include_str!("../../../assets/content/resources-ie.toml"),
    ),
    (
        "resources-nz.toml",
        include_str!("../../../assets/content/resources-nz.toml"),
    ),
    (
        "resources-uk.toml",
        include_str!("../../../assets/content/resources-uk.toml"),
    ),
    (
        "resources-us.toml",
        include_str!("../../../assets/content/resources-us.toml"),
    ),
    (
        "respond.toml",
        include_str!("../../../assets/content/respond.toml"),
    ),
    (
        "restart.toml",
        include_str!("../../../assets/content/restart.toml"),
    ),
    (
        "search-words.toml",
        include_str!("../../../assets/content/search-words.toml"),
    ),
    (
        "supervised-sites.toml",
        include_str!("../../../assets/content/supervised-sites.toml"),
    ),
    (
        "support-for-you.toml",
        include_str!("../../../assets/content/support-for-you.toml"),
    ),
    (
        "talking.toml",
        include_str!("../../../assets/content/talking.toml"),
    ),
    (
        "test-strips.toml",
        include_str!("../../../assets/content/test-strips.toml"),
    ),
    (
        "treatment.toml",
        include_str!("../../../assets/content/treatment.toml"),
    ),
    (
        "understanding-treatment.toml",
        include_str!("../../../assets/content/understanding-treatment.toml"),
    ),
    (
        "whoever-responds.toml",
        include_str!("../../../assets/content/whoever-responds.toml"),
    ),
    (
        "withdrawal-and-pain.toml",
        include_str!("../../../assets/content/withdrawal-and-pain.toml"),
    ),
];

/// The advice ids that screens and reminders use (rules use their own ids). A test checks that
/// each is in `advice.toml`, and that the UI's `AdviceId` type (`ui/src/lib/region.svelte.ts`)
/// names only these.
pub const ADVICE_USED_OUTSIDE_RULES: &[&str] = &[
    "response-finished",
    "timer-second-dose-due",
    "timer-waiting",
    "tolerance-longer-break",
    "tolerance-restart-count",
    "reminder-tolerance-low",
];

/// The advice sentences, parsed once from the embedded `advice.toml`, for code that shows one
/// without the whole pack (the tolerance engine, reminders). The tests check that every id the
/// code asks for is there, so `None` is a content defect, never a person's problem.
pub fn advice_text(id: &str) -> Option<&'static str> {
    static ADVICE: std::sync::OnceLock<Vec<Advice>> = std::sync::OnceLock::new();
    ADVICE
        .get_or_init(|| {
            CONTENT_FILES
                .iter()
                .filter(|(name, _)| *name == "advice.toml")
                .filter_map(|(_, text)| toml::from_str::<model::ContentFile>(text).ok())
                .flat_map(|file| file.advice)
                .collect()
        })
        .iter()
        .find(|advice| advice.id == id)
        .map(|advice| advice.text.as_str())
}

/// Said instead of an advice sentence missing from the pack, which a test rules out.
pub const MISSING_ADVICE: &str =
    "Your risk of overdose may be higher now. Have naloxone near and do not use alone.";

/// The advice sentence with this id, or [`MISSING_ADVICE`]: never an empty message.
pub fn advice_sentence(id: &str) -> &'static str {
    advice_text(id).unwrap_or(MISSING_ADVICE)
}

/// Why the content pack could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    /// A file is not valid TOML or does not fit the schema (the message names the line).
    #[error("content file {file} is not valid: {message}")]
    Parse { file: String, message: String },
    #[error("{id}: phone number {number:?} cannot be used: {source}")]
    Phone {
        id: String,
        number: String,
        #[source]
        source: PhoneError,
    },
}

/// All the safety content, as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ContentPack {
    pub items: Vec<Item>,
    pub facts: Vec<Fact>,
    pub resources: Vec<Resource>,
    pub advice: Vec<Advice>,
    /// Extra words for the search (never sent to the UI).
    #[serde(skip)]
    #[ts(skip)]
    pub search_words: Vec<SearchWords>,
}

impl ContentPack {
    /// The pack compiled into this binary.
    pub fn embedded() -> Result<Self, ContentError> {
        Self::from_files(CONTENT_FILES)
    }

    /// Parses `(file name, TOML text)` pairs and fills in every `tel:` and `sms:` URI.
    pub fn from_files(files: &[(&str, &str)]) -> Result<Self, ContentError> {
        let mut pack = ContentPack {
            items: Vec::new(),
            facts: Vec::new(),
            resources: Vec::new(),
            advice: Vec::new(),
            search_words: Vec::new(),
        };
        for (name, text) in files {
            let file: model::ContentFile =
                toml::from_str(text).map_err(|err: toml::de::Error| ContentError::Parse {
                    file: (*name).to_owned(),
                    message: err.to_string(),
                })?;
            pack.items.extend(file.items);
            pack.facts.extend(file.facts);
            pack.resources.extend(file.resources);
            pack.advice.extend(file.advice);
            pack.search_words.extend(file.search_words);
        }
        for resource in &mut pack.resources {
            let region = resource.region;
            resource.sms = !resource.texts.is_empty();
            for line in &mut resource.phones {
                line.tel_uri =
                    phone::tel_uri(&line.number, line.short_code, region).map_err(|source| {
                        ContentError::Phone {
                            id: resource.id.clone(),
                            number: line.number.clone(),
                            source,
                        }
                    })?;
            }
            for line in &mut resource.texts {
                line.sms_uri = phone::sms_uri(
                    &line.number,
                    line.short_code,
                    line.keyword.as_deref(),
                    region,
                )
                .map_err(|source| ContentError::Phone {
                    id: resource.id.clone(),
                    number: line.number.clone(),
                    source,
                })?;
            }
        }
        Ok(pack)
    }

    /// The item with this id.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|item| item.id == id)
    }

    /// The tolerance fact with this id.
    pub fn fact(&self, id: &str) -> Option<&Fact> {
        self.facts.iter().find(|fact| fact.id == id)
    }

    /// The advice sentence with this id.
    pub fn advice(&self, id: &str) -> Option<&Advice> {
        self.advice.iter().find(|advice| advice.id == id)
    }

    /// The resource with this id.
    pub fn resource(&self, id: &str) -> Option<&Resource> {
        self.resources.iter().find(|resource| resource.id == id)
    }

    /// Every item shown in `region` (its own items and those for all regions), in file order.
    pub fn items_for(&self, region: Region) -> Vec<&Item> {
        self.items
            .iter()
            .filter(|item| item.applies_to(region))
            .collect()
    }

    /// The items on one topic shown in `region`.
    pub fn topic_for(&self, region: Region, topic: Topic) -> Vec<&Item> {
        self.items
            .iter()
            .filter(|item| item.topic == topic && item.applies_to(region))
            .collect()
    }

    /// Every line in `region`: the emergency number first, then the rest in file order.
    pub fn resources_for(&self, region: Region) -> Vec<&Resource> {
        let mut lines: Vec<&Resource> = self
            .resources
            .iter()
            .filter(|resource| resource.region == region)
            .collect();
        lines.sort_by_key(|resource| resource.kind != ResourceKind::Emergency);
        lines
    }

    /// The region's emergency service.
    pub fn emergency(&self, region: Region) -> Option<&Resource> {
        self.resources
            .iter()
            .find(|resource| resource.region == region && resource.kind == ResourceKind::Emergency)
    }

    /// The region's main emergency number (the first one listed).
    pub fn emergency_number(&self, region: Region) -> Option<&Phone> {
        self.emergency(region)
            .and_then(|resource| resource.phones.first())
    }

    /// The overdose response item for `region`, with the emergency number written into its steps.
    /// Response steps are regional (services teach different orders), so only an item that names
    /// the region counts, never one for `ALL`.
    pub fn response_guide(&self, region: Region) -> Option<Item> {
        let number = self.emergency_number(region)?.number.clone();
        let mut item = self
            .items
            .iter()
            .find(|item| item.topic == Topic::Respond && item.names_region(region))?
            .clone();
        for step in &mut item.steps {
            step.title = step.title.replace(EMERGENCY_PLACEHOLDER, &number);
            step.text = step.text.replace(EMERGENCY_PLACEHOLDER, &number);
        }
        Some(item)
    }

    /// The ordered response steps for `region` (empty when the region has none).
    pub fn response_steps(&self, region: Region) -> Vec<Step> {
        self.response_guide(region)
            .map(|item| item.steps)
            .unwrap_or_default()
    }
}
