//! The `plan_item` and `making_safer` tables: the safety plan.
use holdfast_domain::records::*;
use rusqlite::{params, Connection, OptionalExtension};

use super::*;
use crate::changes::Table;
use crate::{Store, StoreError};
use holdfast_content::Region;

fn check_person(conn: &Connection, item: &PlanItem) -> Result<(), StoreError> {
    if let PlanItem::HelpPerson { person } = item {
        let found: Option<i64> = conn
            .query_row(
                "SELECT 1 FROM support_person WHERE id = ?1",
                [person],
                |row| row.get(0),
            )
            .optional()
            .map_err(read_err)?;
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
    .map_err(write_err)?;
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
        .map_err(write_err)?;
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
    find_one(conn, &format!("{PLAN_COLS} WHERE id = ?1"), id, row_plan)
}

pub(crate) fn delete_plan_item(conn: &Connection, id: RecordId) -> Result<(), StoreError> {
    let n = conn
        .execute("DELETE FROM plan_item WHERE id = ?1", [id])
        .map_err(write_err)?;
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
    .map_err(write_err)?;
    Ok(())
}

pub(crate) fn safety_plan(conn: &Connection) -> Result<SafetyPlan, StoreError> {
    let mut stmt = conn
        .prepare_cached(&format!("{PLAN_COLS} ORDER BY position, id"))
        .map_err(read_err)?;
    let rows = stmt.query_map([], row_plan).map_err(read_err)?;
    let mut plan = SafetyPlan::default();
    for item in rows {
        let item = item.map_err(read_err)?;
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
        .map_err(read_err)?
        .unwrap_or_default();
    Ok(plan)
}

impl Store {
    /// Adds a line at the end of its section; returns its id. Service phones are checked for
    /// `region`; a service's `resource_id` must be in the app's content pack.
    pub fn add_plan_item(&self, item: &PlanItem, region: Region) -> Result<RecordId, StoreError> {
        let written = add_plan_item(self.conn()?, item, region, ResourceCheck::ContentPack);
        self.wrote(&[Table::Plan], written)
    }

    /// Replaces a line (it stays in its section).
    pub fn update_plan_item(
        &self,
        id: RecordId,
        item: &PlanItem,
        region: Region,
    ) -> Result<(), StoreError> {
        let written = update_plan_item(self.conn()?, id, item, region);
        self.wrote(&[Table::Plan], written)
    }

    /// Sets the order of one section: `ids` must name every line in it once.
    pub fn reorder_plan(&self, section: PlanSection, ids: &[RecordId]) -> Result<(), StoreError> {
        let written = reorder_plan(self.conn()?, section, ids);
        self.wrote(&[Table::Plan], written)
    }

    /// Sets the making-things-safer answers.
    pub fn set_making_safer(&self, safer: &MakingSafer) -> Result<(), StoreError> {
        let written = set_safer(self.conn()?, safer);
        self.wrote(&[Table::Plan], written)
    }

    /// The whole safety plan.
    pub fn safety_plan(&self) -> Result<SafetyPlan, StoreError> {
        safety_plan(self.conn()?)
    }
}
