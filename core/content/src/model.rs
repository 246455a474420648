//! The content schema: what a TOML file in `assets/content/` may hold, and what the UI receives.
//!
//! Every struct that is read from TOML denies unknown fields, so a misspelt key is a load error
//! rather than a silently missing fact. Enums are closed: a region code, topic or confidence mark
//! that is not listed here does not load (so a `[U]` fact cannot be marked `confidence = "U"`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A country the app has content for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub enum Region {
    #[serde(rename = "US")]
    Us,
    #[serde(rename = "CA")]
    Ca,
    #[serde(rename = "UK")]
    Uk,
    #[serde(rename = "IE")]
    Ie,
    #[serde(rename = "AU")]
    Au,
    #[serde(rename = "NZ")]
    Nz,
}

impl Region {
    /// Every region, in the order the app lists them.
    pub const ALL: [Region; 6] = [
        Region::Us,
        Region::Ca,
        Region::Uk,
        Region::Ie,
        Region::Au,
        Region::Nz,
    ];

    /// The two-letter code used in the content files (`UK`, not `GB`).
    pub fn code(self) -> &'static str {
        match self {
            Region::Us => "US",
            Region::Ca => "CA",
            Region::Uk => "UK",
            Region::Ie => "IE",
            Region::Au => "AU",
            Region::Nz => "NZ",
        }
    }

    /// The ISO 3166 country the phone-number metadata uses (`GB` for the UK).
    pub fn phone_country(self) -> phonenumber::country::Id {
        use phonenumber::country::Id;
        match self {
            Region::Us => Id::US,
            Region::Ca => Id::CA,
            Region::Uk => Id::GB,
            Region::Ie => Id::IE,
            Region::Au => Id::AU,
            Region::Nz => Id::NZ,
        }
    }
}

/// Where an item applies: one region, or every region (`"ALL"` in the files).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub enum RegionScope {
    #[serde(rename = "US")]
    Us,
    #[serde(rename = "CA")]
    Ca,
    #[serde(rename = "UK")]
    Uk,
    #[serde(rename = "IE")]
    Ie,
    #[serde(rename = "AU")]
    Au,
    #[serde(rename = "NZ")]
    Nz,
    #[serde(rename = "ALL")]
    All,
}

impl RegionScope {
    /// Whether this scope includes `region`.
    pub fn includes(self, region: Region) -> bool {
        self.region().is_none_or(|r| r == region)
    }

    /// The single region this scope names, or `None` for `ALL`.
    pub fn region(self) -> Option<Region> {
        match self {
            RegionScope::Us => Some(Region::Us),
            RegionScope::Ca => Some(Region::Ca),
            RegionScope::Uk => Some(Region::Uk),
            RegionScope::Ie => Some(Region::Ie),
            RegionScope::Au => Some(Region::Au),
            RegionScope::Nz => Some(Region::Nz),
            RegionScope::All => None,
        }
    }
}

/// How well a fact is verified, from the marks in `safety-facts.md`. There is no `U`:
/// unverified facts are never shipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub enum Confidence {
    /// Verified in an archived copy of the primary or official source.
    V,
    /// Verified only in a secondary source; shown to the clinical reviewer as "review needed".
    V2,
}

/// What an item is about. The UI groups items by topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Topic {
    Recognise,
    Respond,
    Naloxone,
    /// Xylazine and nitazenes.
    NewDrugs,
    NeverUseAlone,
    TestStrips,
    Treatment,
    GoodSamaritan,
    /// For family and friends: talking about use without shame, and an overdose plan.
    Talking,
    /// For family and friends: support for themselves, by region.
    SupportForYou,
    /// Rescue breathing and CPR: the how-to guides the response steps name.
    FirstAid,
    /// Starting a prescribed medicine or another drug again after a break; tapering; bridging a
    /// wait between programmes.
    Restart,
    /// Withdrawal, side effects, dependence and pain.
    WithdrawalAndPain,
    /// Triggers and warning signs, peer support, life after treatment.
    Recovery,
    /// For whoever responds: stimulant overdose, what not to do, what to tell the call-taker,
    /// supervised sites and drug checking.
    MoreOnOverdose,
}

/// Whether a region has a Good Samaritan overdose law, as far as the sources show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LawStatus {
    /// One national law.
    Law,
    /// Laws differ by state or province.
    Varies,
    /// No law was found in the sources; the item says so.
    NoneKnown,
}

/// What a phone or text line is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ResourceKind {
    /// The emergency number (ambulance).
    Emergency,
    /// A crisis or suicide line.
    Crisis,
    /// Drug and alcohol information or referral.
    Drugs,
    /// Help starting treatment.
    Treatment,
    /// A line that stays with you while you use.
    NeverUseAlone,
    /// Non-emergency health advice.
    Health,
    /// Support for family and friends of someone who uses drugs.
    Family,
}

/// Where a fact comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    rename_all(serialize = "camelCase", deserialize = "snake_case"),
    deny_unknown_fields
)]
#[ts(rename_all = "camelCase")]
pub struct Source {
    pub title: String,
    pub organisation: String,
    /// The year the source gives; `None` when it shows no date ("n.d.").
    #[serde(default)]
    pub year: Option<u16>,
    /// An `https:` address, shown only as data (opening it needs internet). `None` when the fact
    /// sheet recorded no address; `notes` then says why.
    #[serde(default)]
    pub url: Option<String>,
    /// The fact-sheet rows this source supports (for example `"3.2a"`, `"5 US: 988 ..."`), or
    /// `"added"` for an official source found while writing that is not yet in the fact sheet.
    pub fact_ids: Vec<String>,
    pub confidence: Confidence,
    #[serde(default)]
    pub notes: Option<String>,
}

/// One step of an ordered list; the UI shows one step per screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    rename_all(serialize = "camelCase", deserialize = "snake_case"),
    deny_unknown_fields
)]
#[ts(rename_all = "camelCase")]
pub struct Step {
    pub title: String,
    pub text: String,
    /// The id of the picture the UI shows with this step (the drawings are not part of this pack).
    #[serde(default)]
    pub illustration: Option<String>,
    /// What the step asks the helper to do. Every overdose response step names one, so the
    /// content checks can hold each region's flow to the life-critical rules
    /// (`validate::life_critical`).
    #[serde(default)]
    pub action: Option<StepAction>,
    /// The id of a guide that shows how to do this step (for example `cpr`); the UI links to it.
    #[serde(default)]
    pub guide: Option<String>,
}

/// What an overdose response step asks the helper to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum StepAction {
    /// Check for a response and for breathing.
    Check,
    /// Call the emergency number.
    Call,
    /// Give naloxone (or another dose of it).
    Naloxone,
    /// Rescue breaths for someone breathing too slowly.
    Breathe,
    /// Chest compressions with breaths, for someone not breathing normally.
    Cpr,
    /// The recovery position, only once they are breathing.
    Recovery,
    /// Stay with them and keep watching.
    Stay,
}

/// A sentence of safety advice that a screen, a notification or the tolerance engine shows
/// outside an item (a reason on the tolerance card, the naloxone timer's prompt, a reminder).
/// It lives here so the same source, readability, wording and life-critical checks run on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    rename_all(serialize = "camelCase", deserialize = "snake_case"),
    deny_unknown_fields
)]
#[ts(rename_all = "camelCase")]
pub struct Advice {
    /// Where it is used: a tolerance rule id, or a screen's name for it (`timer-second-dose-due`).
    pub id: String,
    pub text: String,
    /// The fact or item in this pack whose sources back the sentence.
    pub cites: String,
}

/// A piece of guidance: either paragraphs (`body`) or ordered `steps`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    rename_all(serialize = "camelCase", deserialize = "snake_case"),
    deny_unknown_fields
)]
#[ts(rename_all = "camelCase")]
pub struct Item {
    pub id: String,
    pub topic: Topic,
    pub title: String,
    pub summary: String,
    pub regions: Vec<RegionScope>,
    /// Only for `good-samaritan` items.
    #[serde(default)]
    pub law_status: Option<LawStatus>,
    #[serde(default)]
    pub body: Vec<String>,
    #[serde(default)]
    pub steps: Vec<Step>,
    pub sources: Vec<Source>,
    /// ISO date (`YYYY-MM-DD`) of the last content review.
    pub reviewed: String,
    pub confidence: Confidence,
    /// Why a `V2` item needs review when none of its sources is itself `V2`.
    #[serde(default)]
    pub review_note: Option<String>,
}

impl Item {
    /// Whether the item is shown in `region`.
    pub fn applies_to(&self, region: Region) -> bool {
        self.regions.iter().any(|scope| scope.includes(region))
    }

    /// Whether the item names `region` itself (not only through `ALL`).
    pub fn names_region(&self, region: Region) -> bool {
        self.regions
            .iter()
            .any(|scope| scope.region() == Some(region))
    }
}

/// A small sourced fact the tolerance engine cites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    rename_all(serialize = "camelCase", deserialize = "snake_case"),
    deny_unknown_fields
)]
#[ts(rename_all = "camelCase")]
pub struct Fact {
    pub id: String,
    pub text: String,
    pub sources: Vec<Source>,
    pub reviewed: String,
    pub confidence: Confidence,
}

/// A phone number, as written in the sources, with its `tel:` URI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    rename_all(serialize = "camelCase", deserialize = "snake_case"),
    deny_unknown_fields
)]
#[ts(rename_all = "camelCase")]
pub struct Phone {
    /// National format, as the source writes it (for example `1-800-662-4357`, `0300 123 6600`).
    pub number: String,
    #[serde(default)]
    pub label: Option<String>,
    /// An emergency or short number (911, 988, 116 123) that is not a full national number.
    #[serde(default)]
    pub short_code: bool,
    /// `tel:+18006624357`, or `tel:988` for a short code. Always computed when the pack loads
    /// (anything a file puts here is overwritten).
    #[serde(default)]
    pub tel_uri: String,
}

/// A number that takes text messages, with its `sms:` URI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    rename_all(serialize = "camelCase", deserialize = "snake_case"),
    deny_unknown_fields
)]
#[ts(rename_all = "camelCase")]
pub struct TextLine {
    pub number: String,
    /// The word to send to start a conversation (for example `HOME`), if the service asks for one.
    #[serde(default)]
    pub keyword: Option<String>,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub short_code: bool,
    /// `sms:741741?body=HOME`. Always computed when the pack loads (anything a file puts here
    /// is overwritten).
    #[serde(default)]
    pub sms_uri: String,
}

/// An emergency, crisis, drug or treatment line in one region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    rename_all(serialize = "camelCase", deserialize = "snake_case"),
    deny_unknown_fields
)]
#[ts(rename_all = "camelCase")]
pub struct Resource {
    pub id: String,
    pub region: Region,
    /// A province, state or territory, when the line serves only that area.
    #[serde(default)]
    pub area: Option<String>,
    pub kind: ResourceKind,
    pub name: String,
    /// What it is for, in plain words.
    pub purpose: String,
    #[serde(default)]
    pub phones: Vec<Phone>,
    /// Numbers that take texts; empty when the sources do not say it takes texts.
    #[serde(default)]
    pub texts: Vec<TextLine>,
    /// Whether the line takes texts (`texts` is not empty). Always computed when the pack loads.
    #[serde(default)]
    pub sms: bool,
    #[serde(default)]
    pub web: Option<String>,
    /// Hours as the sources give them; `None` when they do not say.
    #[serde(default)]
    pub hours: Option<String>,
    /// Languages as the sources give them; empty when they do not say.
    #[serde(default)]
    pub languages: Vec<String>,
    pub sources: Vec<Source>,
    pub reviewed: String,
    pub confidence: Confidence,
}

/// Words people type that a guide or line does not use itself ("constipated", "jail",
/// "waiting list"), for the search only (`search-words.toml`). Shown only as the words that
/// matched, so the wording rules apply to them too.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchWords {
    /// The item or resource they lead to.
    pub id: String,
    pub words: Vec<String>,
}

/// The contents of one TOML file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContentFile {
    #[serde(default)]
    pub items: Vec<Item>,
    #[serde(default)]
    pub facts: Vec<Fact>,
    #[serde(default)]
    pub resources: Vec<Resource>,
    #[serde(default)]
    pub advice: Vec<Advice>,
    #[serde(default)]
    pub search_words: Vec<SearchWords>,
}
