//! The person's own lists: triggers, support people, the safety plan (Stanley–Brown, adapted for
//! opioids) and naloxone kits. Records, their validation and CRUD on an open connection.
//!
//! Phone numbers are checked for the person's region with the content pack's phone helpers and
//! stored in E.164 (`+15551234567`), so `tel:`/`sms:` links work wherever the person is later.

use std::sync::OnceLock;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::journal::{
    atomically, bad_value, clean_note, one_changed, parse_date, r, validate_date, validate_note, w,
    RecordId, Stored,
};
use super::StoreError;
use crate::content::{phone, ContentPack, Region};

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
) -> Result<Option<String>, StoreError> {
    let t = text.map(str::trim).filter(|t| !t.is_empty());
    match t {
        None if required => Err(StoreError::invalid(field, "is empty")),
        None => Ok(None),
        Some(t) => {
            if t.chars().count() > max {
                return Err(StoreError::invalid(
                    field,
                    format!("is longer than {max} characters"),
                ));
            }
            if t.chars().any(char::is_control) {
                return Err(StoreError::invalid(field, "contains control characters"));
            }
            Ok(Some(t.to_owned()))
        }
    }
}

fn required_text(field: &'static str, text: &str, max: usize) -> Result<String, StoreError> {
    clean_text(field, Some(text), max, true)?.ok_or_else(|| StoreError::invalid(field, "is empty"))
}

/// A full phone number for `region` (or any number written with `+` and a country code), as
/// E.164. With `allow_short`, 3–8 digit service numbers (988, 116 123) are kept as digits.
fn clean_phone(
    field: &'static str,
    number: &str,
    region: Region,
    allow_short: bool,
) -> Result<String, StoreError> {
    let number = number.trim();
    if number.chars().count() > MAX_PHONE_CHARS {
        return Err(StoreError::invalid(field, "is too long for a phone number"));
    }
    match phone::e164(number, region) {
        Ok(e) => Ok(e),
        Err(_) if allow_short && !number.starts_with('+') => phone::short_code_digits(number)
            .map_err(|_| {
                StoreError::invalid(
                    field,
                    format!("is not a phone number that works in {}", region.code()),
                )
            }),
        Err(_) => Err(StoreError::invalid(
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
    pub fn validated(&self) -> Result<Self, StoreError> {
        Ok(Self {
            name: required_text("trigger", &self.name, MAX_NAME_CHARS)?,
        })
    }
}

fn next_position(conn: &Connection, sql: &str, arg: Option<&str>) -> Result<i64, StoreError> {
    let max: Option<i64> = match arg {
        Some(a) => conn.query_row(sql, [a], |row| row.get(0)),
        None => conn.query_row(sql, [], |row| row.get(0)),
    }
    .map_err(r)?;
    Ok(max.map_or(0, |m| m + 1))
}

fn count_rows(conn: &Connection, sql: &str, arg: Option<&str>) -> Result<usize, StoreError> {
    let n: i64 = match arg {
        Some(a) => conn.query_row(sql, [a], |row| row.get(0)),
        None => conn.query_row(sql, [], |row| row.get(0)),
    }
    .map_err(r)?;
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}

fn list_full(field: &'static str, n: usize) -> Result<(), StoreError> {
    if n >= MAX_LIST_ITEMS {
        return Err(StoreError::invalid(
            field,
            format!("the list already has {MAX_LIST_ITEMS} entries"),
        ));
    }
    Ok(())
}

fn trigger_conflict(err: rusqlite::Error) -> StoreError {
    if err.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) {
        StoreError::Conflict("That trigger is already on your list.".to_owned())
    } else {
        w(err)
    }
}

pub(crate) fn add_trigger(conn: &Connection, t: &Trigger) -> Result<RecordId, StoreError> {
    let t = t.validated()?;
    list_full(
        "trigger",
        count_rows(conn, "SELECT count(*) FROM trigger_item", None)?,
    )?;
    let pos = next_position(conn, "SELECT max(position) FROM trigger_item", None)?;
    conn.execute(
        "INSERT INTO trigger_item (name, position) VALUES (?1, ?2)",
        params![t.name, pos],
    )
    .map_err(trigger_conflict)?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn rename_trigger(
    conn: &Connection,
    id: RecordId,
    t: &Trigger,
) -> Result<(), StoreError> {
    let t = t.validated()?;
    let n = conn
        .execute(
            "UPDATE trigger_item SET name = ?1 WHERE id = ?2",
            params![t.name, id],
        )
        .map_err(trigger_conflict)?;
    one_changed(n)
}

pub(crate) fn list_triggers(conn: &Connection) -> Result<Vec<Stored<Trigger>>, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT id, name FROM trigger_item ORDER BY position, id")
        .map_err(r)?;
    let rows = stmt
        .query_map([], |row| {
            Ok(Stored {
                id: row.get(0)?,
                record: Trigger { name: row.get(1)? },
            })
        })
        .map_err(r)?;
    rows.collect::<rusqlite::Result<_>>().map_err(r)
}

/// Sets the order of a list: `ids` must name every entry exactly once.
fn reorder(
    conn: &Connection,
    field: &'static str,
    table: &str,
    filter: Option<&str>,
    ids: &[RecordId],
) -> Result<(), StoreError> {
    let mut have: Vec<RecordId> = {
        let sql = match filter {
            Some(_) => format!("SELECT id FROM {table} WHERE section = ?1"),
            None => format!("SELECT id FROM {table}"),
        };
        let mut stmt = conn.prepare(&sql).map_err(r)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(filter), |row| row.get(0))
            .map_err(r)?;
        rows.collect::<rusqlite::Result<_>>().map_err(r)?
    };
    let mut want = ids.to_vec();
    have.sort_unstable();
    want.sort_unstable();
    if have != want {
        return Err(StoreError::invalid(
            field,
            "the new order must list every entry exactly once",
        ));
    }
    atomically(conn, || {
        for (pos, id) in ids.iter().enumerate() {
            let pos = i64::try_from(pos).map_err(|_| StoreError::Internal("position"))?;
            conn.execute(
                &format!("UPDATE {table} SET position = ?1 WHERE id = ?2"),
                [pos, *id],
            )
            .map_err(w)?;
        }
        Ok(())
    })
}

pub(crate) fn reorder_triggers(conn: &Connection, ids: &[RecordId]) -> Result<(), StoreError> {
    reorder(conn, "trigger order", "trigger_item", None, ids)
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
    pub fn validated(&self, region: Region) -> Result<Self, StoreError> {
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

pub(crate) fn add_person(
    conn: &Connection,
    p: &SupportPerson,
    region: Region,
) -> Result<RecordId, StoreError> {
    let p = p.validated(region)?;
    list_full(
        "support person",
        count_rows(conn, "SELECT count(*) FROM support_person", None)?,
    )?;
    let pos = next_position(conn, "SELECT max(position) FROM support_person", None)?;
    conn.execute(
        "INSERT INTO support_person (name, relation, phone, position) VALUES (?1, ?2, ?3, ?4)",
        params![p.name, p.relation, p.phone, pos],
    )
    .map_err(w)?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn update_person(
    conn: &Connection,
    id: RecordId,
    p: &SupportPerson,
    region: Region,
) -> Result<(), StoreError> {
    let p = p.validated(region)?;
    let n = conn
        .execute(
            "UPDATE support_person SET name = ?1, relation = ?2, phone = ?3 WHERE id = ?4",
            params![p.name, p.relation, p.phone, id],
        )
        .map_err(w)?;
    one_changed(n)
}

fn row_person(row: &rusqlite::Row<'_>) -> rusqlite::Result<Stored<SupportPerson>> {
    Ok(Stored {
        id: row.get(0)?,
        record: SupportPerson {
            name: row.get(1)?,
            relation: row.get(2)?,
            phone: row.get(3)?,
        },
    })
}

pub(crate) fn get_person(
    conn: &Connection,
    id: RecordId,
) -> Result<Stored<SupportPerson>, StoreError> {
    conn.query_row(
        "SELECT id, name, relation, phone FROM support_person WHERE id = ?1",
        [id],
        row_person,
    )
    .optional()
    .map_err(r)?
    .ok_or(StoreError::RecordNotFound)
}

pub(crate) fn list_people(conn: &Connection) -> Result<Vec<Stored<SupportPerson>>, StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT id, name, relation, phone FROM support_person ORDER BY position, id",
        )
        .map_err(r)?;
    let rows = stmt.query_map([], row_person).map_err(r)?;
    rows.collect::<rusqlite::Result<_>>().map_err(r)
}

pub(crate) fn reorder_people(conn: &Connection, ids: &[RecordId]) -> Result<(), StoreError> {
    reorder(conn, "support people order", "support_person", None, ids)
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

    fn as_str(self) -> &'static str {
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
pub(crate) enum ResourceCheck {
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

    pub(crate) fn validated(
        &self,
        region: Region,
        resources: ResourceCheck,
    ) -> Result<Self, StoreError> {
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
                            return Err(StoreError::invalid(
                                "service",
                                "is not one of the services in the app",
                            ));
                        }
                    }
                    None if name.is_none() => {
                        return Err(StoreError::invalid(
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
    pub fn validated(&self) -> Result<Self, StoreError> {
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

fn check_person(conn: &Connection, item: &PlanItem) -> Result<(), StoreError> {
    if let PlanItem::HelpPerson { person } = item {
        let found: Option<i64> = conn
            .query_row(
                "SELECT 1 FROM support_person WHERE id = ?1",
                [person],
                |row| row.get(0),
            )
            .optional()
            .map_err(r)?;
        if found.is_none() {
            return Err(StoreError::invalid(
                "person",
                "is not one of your support people",
            ));
        }
    }
    Ok(())
}

type PlanColumns = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<RecordId>,
);

fn plan_columns(item: &PlanItem) -> PlanColumns {
    match item {
        PlanItem::WarningSign { text }
        | PlanItem::CopingStep { text }
        | PlanItem::Distraction { text } => (Some(text.clone()), None, None, None),
        PlanItem::HelpPerson { person } => (None, None, None, Some(*person)),
        PlanItem::Professional {
            name,
            phone,
            resource_id,
        } => (name.clone(), phone.clone(), resource_id.clone(), None),
    }
}

pub(crate) fn add_plan_item(
    conn: &Connection,
    item: &PlanItem,
    region: Region,
    resources: ResourceCheck,
) -> Result<RecordId, StoreError> {
    let item = item.validated(region, resources)?;
    let section = item.section().as_str();
    check_person(conn, &item)?;
    list_full(
        "safety plan",
        count_rows(
            conn,
            "SELECT count(*) FROM plan_item WHERE section = ?1",
            Some(section),
        )?,
    )?;
    let pos = next_position(
        conn,
        "SELECT max(position) FROM plan_item WHERE section = ?1",
        Some(section),
    )?;
    let (text, phone, resource, person) = plan_columns(&item);
    conn.execute(
        "INSERT INTO plan_item (section, position, text, phone, resource_id, person_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![section, pos, text, phone, resource, person],
    )
    .map_err(w)?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn update_plan_item(
    conn: &Connection,
    id: RecordId,
    item: &PlanItem,
    region: Region,
) -> Result<(), StoreError> {
    let item = item.validated(region, ResourceCheck::ContentPack)?;
    let old = get_plan_item(conn, id)?;
    if old.record.section() != item.section() {
        return Err(StoreError::invalid(
            "section",
            "cannot change; remove the line and add it to the other section",
        ));
    }
    check_person(conn, &item)?;
    let (text, phone, resource, person) = plan_columns(&item);
    let n = conn
        .execute(
            "UPDATE plan_item SET text = ?1, phone = ?2, resource_id = ?3, person_id = ?4 WHERE id = ?5",
            params![text, phone, resource, person, id],
        )
        .map_err(w)?;
    one_changed(n)
}

fn row_plan(row: &rusqlite::Row<'_>) -> rusqlite::Result<Stored<PlanItem>> {
    let section: String = row.get(1)?;
    let text: Option<String> = row.get(2)?;
    let need_text = |t: Option<String>| t.ok_or_else(|| bad_value("plan text"));
    let record = match section.as_str() {
        "warning_sign" => PlanItem::WarningSign {
            text: need_text(text)?,
        },
        "coping_step" => PlanItem::CopingStep {
            text: need_text(text)?,
        },
        "distraction" => PlanItem::Distraction {
            text: need_text(text)?,
        },
        "help_person" => PlanItem::HelpPerson {
            person: row
                .get::<_, Option<RecordId>>(5)?
                .ok_or_else(|| bad_value("plan person"))?,
        },
        "professional" => PlanItem::Professional {
            name: text,
            phone: row.get(3)?,
            resource_id: row.get(4)?,
        },
        _ => return Err(bad_value("plan section")),
    };
    Ok(Stored {
        id: row.get(0)?,
        record,
    })
}

const PLAN_COLS: &str = "SELECT id, section, text, phone, resource_id, person_id FROM plan_item";

pub(crate) fn get_plan_item(
    conn: &Connection,
    id: RecordId,
) -> Result<Stored<PlanItem>, StoreError> {
    conn.query_row(&format!("{PLAN_COLS} WHERE id = ?1"), [id], row_plan)
        .optional()
        .map_err(r)?
        .ok_or(StoreError::RecordNotFound)
}

pub(crate) fn delete_plan_item(conn: &Connection, id: RecordId) -> Result<(), StoreError> {
    let n = conn
        .execute("DELETE FROM plan_item WHERE id = ?1", [id])
        .map_err(w)?;
    one_changed(n)
}

pub(crate) fn reorder_plan(
    conn: &Connection,
    section: PlanSection,
    ids: &[RecordId],
) -> Result<(), StoreError> {
    reorder(conn, "plan order", "plan_item", Some(section.as_str()), ids)
}

pub(crate) fn set_safer(conn: &Connection, s: &MakingSafer) -> Result<(), StoreError> {
    let s = s.validated()?;
    conn.execute(
        "INSERT INTO plan_safer (id, naloxone_where, never_use_alone, test_strips) VALUES (1, ?1, ?2, ?3)
         ON CONFLICT(id) DO UPDATE SET naloxone_where = excluded.naloxone_where,
            never_use_alone = excluded.never_use_alone, test_strips = excluded.test_strips",
        params![s.naloxone_where, s.never_use_alone, s.test_strips],
    )
    .map_err(w)?;
    Ok(())
}

pub(crate) fn safety_plan(conn: &Connection) -> Result<SafetyPlan, StoreError> {
    let mut stmt = conn
        .prepare_cached(&format!("{PLAN_COLS} ORDER BY position, id"))
        .map_err(r)?;
    let rows = stmt.query_map([], row_plan).map_err(r)?;
    let mut plan = SafetyPlan::default();
    for item in rows {
        let item = item.map_err(r)?;
        match item.record.section() {
            PlanSection::WarningSigns => plan.warning_signs.push(item),
            PlanSection::CopingSteps => plan.coping_steps.push(item),
            PlanSection::Distractions => plan.distractions.push(item),
            PlanSection::HelpPeople => plan.help_people.push(item),
            PlanSection::Professionals => plan.professionals.push(item),
        }
    }
    plan.safer = conn
        .query_row(
            "SELECT naloxone_where, never_use_alone, test_strips FROM plan_safer WHERE id = 1",
            [],
            |row| {
                Ok(MakingSafer {
                    naloxone_where: row.get(0)?,
                    never_use_alone: row.get(1)?,
                    test_strips: row.get(2)?,
                })
            },
        )
        .optional()
        .map_err(r)?
        .unwrap_or_default();
    Ok(plan)
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
    fn as_str(self) -> &'static str {
        match self {
            Self::Nasal => "nasal",
            Self::Injection => "injection",
        }
    }

    fn parse(s: &str) -> Option<Self> {
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
    pub fn validated(&self, now: DateTime<Utc>) -> Result<Self, StoreError> {
        if let Some(expires) = self.expires {
            let latest = now
                .date_naive()
                .with_year(now.year() + MAX_EXPIRY_YEARS)
                .unwrap_or(NaiveDate::MAX);
            if expires > latest {
                return Err(StoreError::invalid(
                    "expiry date",
                    format!("is more than {MAX_EXPIRY_YEARS} years away; check the year"),
                ));
            }
            if expires < earliest_expiry() {
                return Err(StoreError::invalid("expiry date", "is before 1990"));
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

pub(crate) fn add_kit(
    conn: &Connection,
    k: &NaloxoneKit,
    now: DateTime<Utc>,
) -> Result<RecordId, StoreError> {
    let k = k.validated(now)?;
    list_full(
        "naloxone kit",
        count_rows(conn, "SELECT count(*) FROM naloxone_kit", None)?,
    )?;
    conn.execute(
        "INSERT INTO naloxone_kit (kind, kept_at, expires, used_on, note) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            k.kind.as_str(),
            k.kept_at,
            k.expires.map(|d| d.to_string()),
            k.used_on.map(|d| d.to_string()),
            k.note
        ],
    )
    .map_err(w)?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn update_kit(
    conn: &Connection,
    id: RecordId,
    k: &NaloxoneKit,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let k = k.validated(now)?;
    let n = conn
        .execute(
            "UPDATE naloxone_kit SET kind = ?1, kept_at = ?2, expires = ?3, used_on = ?4, note = ?5 WHERE id = ?6",
            params![
                k.kind.as_str(),
                k.kept_at,
                k.expires.map(|d| d.to_string()),
                k.used_on.map(|d| d.to_string()),
                k.note,
                id
            ],
        )
        .map_err(w)?;
    one_changed(n)
}

fn row_kit(row: &rusqlite::Row<'_>) -> rusqlite::Result<Stored<NaloxoneKit>> {
    let kind: String = row.get(1)?;
    let date = |i: usize| -> rusqlite::Result<Option<NaiveDate>> {
        row.get::<_, Option<String>>(i)?
            .as_deref()
            .map(parse_date)
            .transpose()
    };
    Ok(Stored {
        id: row.get(0)?,
        record: NaloxoneKit {
            kind: KitKind::parse(&kind).ok_or_else(|| bad_value("kit kind"))?,
            kept_at: row.get(2)?,
            expires: date(3)?,
            used_on: date(4)?,
            note: row.get(5)?,
        },
    })
}

const KIT_COLS: &str = "SELECT id, kind, kept_at, expires, used_on, note FROM naloxone_kit";

pub(crate) fn get_kit(conn: &Connection, id: RecordId) -> Result<Stored<NaloxoneKit>, StoreError> {
    conn.query_row(&format!("{KIT_COLS} WHERE id = ?1"), [id], row_kit)
        .optional()
        .map_err(r)?
        .ok_or(StoreError::RecordNotFound)
}

/// All kits: unused first, by expiry (unknown expiry last), then used ones.
pub(crate) fn list_kits(conn: &Connection) -> Result<Vec<Stored<NaloxoneKit>>, StoreError> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "{KIT_COLS} ORDER BY used_on IS NOT NULL, expires IS NULL, expires, id"
        ))
        .map_err(r)?;
    let rows = stmt.query_map([], row_kit).map_err(r)?;
    rows.collect::<rusqlite::Result<_>>().map_err(r)
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

pub(crate) fn delete_from_list(
    conn: &Connection,
    kind: ListKind,
    id: RecordId,
) -> Result<(), StoreError> {
    let table = match kind {
        ListKind::Trigger => "trigger_item",
        ListKind::SupportPerson => "support_person",
        ListKind::PlanItem => return delete_plan_item(conn, id),
        ListKind::NaloxoneKit => "naloxone_kit",
    };
    let n = conn
        .execute(&format!("DELETE FROM {table} WHERE id = ?1"), [id])
        .map_err(w)?;
    one_changed(n)
}
