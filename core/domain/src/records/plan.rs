//! The person's own lists: triggers, support people, the safety plan (Stanley–Brown, adapted for
//! opioids) and naloxone kits, with the rules each entry must pass.
//!
//! Phone numbers are checked for the person's region with the content pack's phone helpers and
//! kept in E.164 (`+15551234567`), so `tel:`/`sms:` links work wherever the person is later.

use std::sync::OnceLock;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use holdfast_content::{phone, ContentPack, Region};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::journal::{clean_note, validate_date, validate_note, RecordId, Stored};
use crate::Invalid;

/// Longest name (a trigger, a person, a service), in characters.
pub const MAX_NAME_CHARS: usize = 120;
/// Longest line of the safety plan, in characters.
pub const MAX_PLAN_TEXT_CHARS: usize = 500;
/// Most entries in one list (triggers, people, one section of the plan, kits).
pub const MAX_LIST_ITEMS: usize = 200;
/// Longest phone number as typed, in characters.
pub const MAX_PHONE_CHARS: usize = 40;
/// Latest naloxone expiry date accepted, in years from now (kits last a few years).
pub const MAX_EXPIRY_YEARS: i32 = 20;

/// Checks a piece of the person's text: not blank (when `required`), not too long, no control
/// characters. Returns it trimmed; blank optional text becomes `None`.
fn clean_text(
    field: &'static str,
    text: Option<&str>,
    max: usize,
    required: bool,
) -> Result<Option<String>, Invalid> {
    let t = text.map(str::trim).filter(|t| !t.is_empty());
    match t {
        None if required => Err(Invalid::new(field, "is empty")),
        None => Ok(None),
        Some(t) => {
            if t.chars().count() > max {
                return Err(Invalid::new(
                    field,
                    format!("is longer than {max} characters"),
                ));
            }
            if t.chars().any(char::is_control) {
                return Err(Invalid::new(field, "contains control characters"));
            }
            Ok(Some(t.to_owned()))
        }
    }
}

fn required_text(field: &'static str, text: &str, max: usize) -> Result<String, Invalid> {
    clean_text(field, Some(text), max, true)?.ok_or_else(|| Invalid::new(field, "is empty"))
}

/// A full phone number for `region` (or any number written with `+` and a country code), as
/// E.164. With `allow_short`, 3–8 digit service numbers (988, 116 123) are kept as digits.
fn clean_phone(
    field: &'static str,
    number: &str,
    region: Region,
    allow_short: bool,
) -> Result<String, Invalid> {
    let number = number.trim();
    if number.chars().count() > MAX_PHONE_CHARS {
        return Err(Invalid::new(field, "is too long for a phone number"));
    }
    match phone::e164(number, region) {
        Ok(e) => Ok(e),
        Err(_) if allow_short && !number.starts_with('+') => phone::short_code_digits(number)
            .map_err(|_| {
                Invalid::new(
                    field,
                    format!("is not a phone number that works in {}", region.code()),
                )
            }),
        Err(_) => Err(Invalid::new(
            field,
            format!(
                "is not a phone number that works in {}; check the digits, or start with + and the country code",
                region.code()
            ),
        )),
    }
}

// ---- triggers ----

/// One of the person's own triggers ("payday", "seeing my old crowd").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Trigger {
    pub name: String,
}

impl Trigger {
    /// Checks the trigger; returns it with its name trimmed.
    pub fn validated(&self) -> Result<Self, Invalid> {
        Ok(Self {
            name: required_text("trigger", &self.name, MAX_NAME_CHARS)?,
        })
    }
}

// ---- support people ----

/// Someone the person can call or text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SupportPerson {
    pub name: String,
    /// Sister, sponsor, friend, key worker...
    pub relation: Option<String>,
    /// As typed on the way in; stored and returned in E.164 (`+15551234567`).
    pub phone: Option<String>,
}

impl SupportPerson {
    /// Checks the entry for `region` (the phone must be a real number there, or be written with
    /// `+` and a country code); returns it trimmed, with the phone in E.164.
    pub fn validated(&self, region: Region) -> Result<Self, Invalid> {
        let phone = clean_text("phone", self.phone.as_deref(), MAX_PHONE_CHARS * 4, false)?;
        Ok(Self {
            name: required_text("name", &self.name, MAX_NAME_CHARS)?,
            relation: clean_text("relation", self.relation.as_deref(), MAX_NAME_CHARS, false)?,
            phone: phone
                .map(|p| clean_phone("phone", &p, region, false))
                .transpose()?,
        })
    }

    /// `tel:+15551234567`, when there is a phone number.
    pub fn tel_uri(&self) -> Option<String> {
        self.phone.as_ref().map(|p| format!("tel:{p}"))
    }

    /// `sms:+15551234567`, when there is a phone number.
    pub fn sms_uri(&self) -> Option<String> {
        self.phone.as_ref().map(|p| format!("sms:{p}"))
    }
}

// ---- safety plan ----

/// The sections of the safety plan that are lists, in the plan's order (Stanley–Brown steps
/// 1 to 5; step 6, making things safer, is [`MakingSafer`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PlanSection {
    /// 1. Warning signs that a hard time may be coming, in the person's own words.
    WarningSigns,
    /// 2. Things I can do on my own to take my mind off it.
    CopingSteps,
    /// 3. People and places that take my mind off it.
    Distractions,
    /// 4. People I can ask for help (support people).
    HelpPeople,
    /// 5. Professionals and services.
    Professionals,
}

impl PlanSection {
    /// Every section, in the plan's order.
    pub const ALL: [Self; 5] = [
        Self::WarningSigns,
        Self::CopingSteps,
        Self::Distractions,
        Self::HelpPeople,
        Self::Professionals,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::WarningSigns => "warning_sign",
            Self::CopingSteps => "coping_step",
            Self::Distractions => "distraction",
            Self::HelpPeople => "help_person",
            Self::Professionals => "professional",
        }
    }
}

/// One line of the safety plan. The `kind` tag says what it is, and so which section it is in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlanItem {
    WarningSign {
        text: String,
    },
    CopingStep {
        text: String,
    },
    Distraction {
        text: String,
    },
    /// One of the person's support people.
    HelpPerson {
        #[ts(type = "number")]
        person: RecordId,
    },
    /// A service: a resource from the region's content pack (`resource_id`), or a name and
    /// phone number the person adds.
    Professional {
        name: Option<String>,
        phone: Option<String>,
        resource_id: Option<String>,
    },
}

/// How a plan item's resource id is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceCheck {
    /// Against the content pack compiled into this build (new and edited entries).
    ContentPack,
    /// Only its shape (restoring a backup made with another version's content pack).
    Shape,
}

fn embedded_pack() -> Option<&'static ContentPack> {
    static PACK: OnceLock<Option<ContentPack>> = OnceLock::new();
    PACK.get_or_init(|| ContentPack::embedded().ok()).as_ref()
}

impl PlanItem {
    /// Which section it belongs to.
    pub fn section(&self) -> PlanSection {
        match self {
            Self::WarningSign { .. } => PlanSection::WarningSigns,
            Self::CopingStep { .. } => PlanSection::CopingSteps,
            Self::Distraction { .. } => PlanSection::Distractions,
            Self::HelpPerson { .. } => PlanSection::HelpPeople,
            Self::Professional { .. } => PlanSection::Professionals,
        }
    }

    pub fn validated(&self, region: Region, resources: ResourceCheck) -> Result<Self, Invalid> {
        let text = |field, t: &str| required_text(field, t, MAX_PLAN_TEXT_CHARS);
        Ok(match self {
            Self::WarningSign { text: t } => Self::WarningSign {
                text: text("warning sign", t)?,
            },
            Self::CopingStep { text: t } => Self::CopingStep {
                text: text("coping step", t)?,
            },
            Self::Distraction { text: t } => Self::Distraction {
                text: text("people and places", t)?,
            },
            Self::HelpPerson { person } => Self::HelpPerson { person: *person },
            Self::Professional {
                name,
                phone,
                resource_id,
            } => {
                let name = clean_text("service name", name.as_deref(), MAX_NAME_CHARS, false)?;
                let phone = clean_text(
                    "service phone",
                    phone.as_deref(),
                    MAX_PHONE_CHARS * 4,
                    false,
                )?
                .map(|p| clean_phone("service phone", &p, region, true))
                .transpose()?;
                let resource_id = clean_text("service", resource_id.as_deref(), 64, false)?;
                match &resource_id {
                    Some(id) => {
                        let shape_ok = id.bytes().all(|b| {
                            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                        });
                        let known = match resources {
                            ResourceCheck::Shape => true,
                            ResourceCheck::ContentPack => {
                                embedded_pack().is_some_and(|p| p.resource(id).is_some())
                            }
                        };
                        if !shape_ok || !known {
                            return Err(Invalid::new(
                                "service",
                                "is not one of the services in the app",
                            ));
                        }
                    }
                    None if name.is_none() => {
                        return Err(Invalid::new(
                            "service name",
                            "is empty; give a name or pick a service from the list",
                        ));
                    }
                    None => {}
                }
                Self::Professional {
                    name,
                    phone,
                    resource_id,
                }
            }
        })
    }
}

/// Step 6 of the plan, making things safer, adapted for opioids.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MakingSafer {
    /// Where my naloxone is.
    pub naloxone_where: Option<String>,
    /// My never-use-alone plan.
    pub never_use_alone: Option<String>,
    /// Test strips: where they are, how I use them.
    pub test_strips: Option<String>,
}

impl MakingSafer {
    /// Checks the section; returns it trimmed (blank answers become `None`).
    pub fn validated(&self) -> Result<Self, Invalid> {
        let t =
            |field, v: &Option<String>| clean_text(field, v.as_deref(), MAX_PLAN_TEXT_CHARS, false);
        Ok(Self {
            naloxone_where: t("where my naloxone is", &self.naloxone_where)?,
            never_use_alone: t("never-use-alone plan", &self.never_use_alone)?,
            test_strips: t("test strips", &self.test_strips)?,
        })
    }
}

/// The whole safety plan, each section in the person's order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SafetyPlan {
    pub warning_signs: Vec<Stored<PlanItem>>,
    pub coping_steps: Vec<Stored<PlanItem>>,
    pub distractions: Vec<Stored<PlanItem>>,
    pub help_people: Vec<Stored<PlanItem>>,
    pub professionals: Vec<Stored<PlanItem>>,
    pub safer: MakingSafer,
}

impl SafetyPlan {
    /// Every item, section by section.
    pub fn items(&self) -> impl Iterator<Item = &Stored<PlanItem>> {
        self.warning_signs
            .iter()
            .chain(&self.coping_steps)
            .chain(&self.distractions)
            .chain(&self.help_people)
            .chain(&self.professionals)
    }

    /// The support people's ids listed under "people I can ask for help", in plan order.
    pub fn help_person_ids(&self) -> Vec<RecordId> {
        self.help_people
            .iter()
            .filter_map(|i| match i.record {
                PlanItem::HelpPerson { person } => Some(person),
                _ => None,
            })
            .collect()
    }
}

// ---- naloxone kits ----

/// How the naloxone is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum KitKind {
    Nasal,
    Injection,
}

impl KitKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Nasal => "nasal",
            Self::Injection => "injection",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "nasal" => Some(Self::Nasal),
            "injection" => Some(Self::Injection),
            _ => None,
        }
    }
}

/// A naloxone kit the person has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NaloxoneKit {
    pub kind: KitKind,
    /// Where it is kept ("my bag", "kitchen drawer").
    pub kept_at: Option<String>,
    /// The expiry date printed on it; `None` when not known.
    pub expires: Option<NaiveDate>,
    /// The day it was used ("I used it"); `None` while it is unused.
    pub used_on: Option<NaiveDate>,
    pub note: Option<String>,
}

fn earliest_expiry() -> NaiveDate {
    NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or(NaiveDate::MIN)
}

impl NaloxoneKit {
    /// Checks the kit against `now`; returns it trimmed.
    pub fn validated(&self, now: DateTime<Utc>) -> Result<Self, Invalid> {
        if let Some(expires) = self.expires {
            let latest = now
                .date_naive()
                .with_year(now.year() + MAX_EXPIRY_YEARS)
                .unwrap_or(NaiveDate::MAX);
            if expires > latest {
                return Err(Invalid::new(
                    "expiry date",
                    format!("is more than {MAX_EXPIRY_YEARS} years away; check the year"),
                ));
            }
            if expires < earliest_expiry() {
                return Err(Invalid::new("expiry date", "is before 1990"));
            }
        }
        if let Some(used) = self.used_on {
            validate_date("day used", used, now)?;
        }
        let note = clean_note(self.note.clone());
        validate_note(&note)?;
        Ok(Self {
            kind: self.kind,
            kept_at: clean_text(
                "where it is kept",
                self.kept_at.as_deref(),
                MAX_NAME_CHARS,
                false,
            )?,
            expires: self.expires,
            used_on: self.used_on,
            note,
        })
    }
}

// ---- deleting ----

/// Which of the person's own lists a record is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    /// Removing a trigger also removes it from past check-ins.
    Trigger,
    /// Removing a person also removes them from the safety plan.
    SupportPerson,
    /// Removing a warning sign also removes it from past check-ins.
    PlanItem,
    NaloxoneKit,
}
