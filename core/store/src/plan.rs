//! The person's own lists' tables: triggers, support people, the safety plan and naloxone kits.
//! The records and their rules are `holdfast_domain::records`; this file keeps their SQL.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::journal::{atomically, bad_value, one_changed, parse_date, read_err, write_err};
use super::StoreError;
use holdfast_content::Region;
use holdfast_domain::records::*;

fn next_position(conn: &Connection, sql: &str, arg: Option<&str>) -> Result<i64, StoreError> {
    let max: Option<i64> = match arg {
        Some(a) => conn.query_row(sql, [a], |row| row.get(0)),
        None => conn.query_row(sql, [], |row| row.get(0)),
    }
    .map_err(read_err)?;
    Ok(max.map_or(0, |m| m + 1))
}

fn count_rows(conn: &Connection, sql: &str, arg: Option<&str>) -> Result<usize, StoreError> {
    let n: i64 = match arg {
        Some(a) => conn.query_row(sql, [a], |row| row.get(0)),
        None => conn.query_row(sql, [], |row| row.get(0)),
    }
    .map_err(read_err)?;
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
        write_err(err)
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
        .map_err(read_err)?;
    let rows = stmt
        .query_map([], |row| {
            Ok(Stored {
                id: row.get(0)?,
                record: Trigger { name: row.get(1)? },
            })
        })
        .map_err(read_err)?;
    rows.collect::<rusqlite::Result<_>>().map_err(read_err)
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
        let mut stmt = conn.prepare(&sql).map_err(read_err)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(filter), |row| row.get(0))
            .map_err(read_err)?;
        rows.collect::<rusqlite::Result<_>>().map_err(read_err)?
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
            .map_err(write_err)?;
        }
        Ok(())
    })
}

pub(crate) fn reorder_triggers(conn: &Connection, ids: &[RecordId]) -> Result<(), StoreError> {
    reorder(conn, "trigger order", "trigger_item", None, ids)
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
    .map_err(write_err)?;
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
        .map_err(write_err)?;
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
    .map_err(read_err)?
    .ok_or(StoreError::RecordNotFound)
}

pub(crate) fn list_people(conn: &Connection) -> Result<Vec<Stored<SupportPerson>>, StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT id, name, relation, phone FROM support_person ORDER BY position, id",
        )
        .map_err(read_err)?;
    let rows = stmt.query_map([], row_person).map_err(read_err)?;
    rows.collect::<rusqlite::Result<_>>().map_err(read_err)
}

pub(crate) fn reorder_people(conn: &Connection, ids: &[RecordId]) -> Result<(), StoreError> {
    reorder(conn, "support people order", "support_person", None, ids)
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
    conn.query_row(&format!("{PLAN_COLS} WHERE id = ?1"), [id], row_plan)
        .optional()
        .map_err(read_err)?
        .ok_or(StoreError::RecordNotFound)
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
    .map_err(write_err)?;
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
        .map_err(write_err)?;
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
        .map_err(read_err)?
        .ok_or(StoreError::RecordNotFound)
}

/// All kits: unused first, by expiry (unknown expiry last), then used ones.
pub(crate) fn list_kits(conn: &Connection) -> Result<Vec<Stored<NaloxoneKit>>, StoreError> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "{KIT_COLS} ORDER BY used_on IS NOT NULL, expires IS NULL, expires, id"
        ))
        .map_err(read_err)?;
    let rows = stmt.query_map([], row_kit).map_err(read_err)?;
    rows.collect::<rusqlite::Result<_>>().map_err(read_err)
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
        .map_err(write_err)?;
    one_changed(n)
}
