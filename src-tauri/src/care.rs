//! Commands for the daily check-in, triggers, support people, the safety plan, naloxone kits,
//! trends and nudges, reminder settings and launch at login. Each one parses, calls
//! `holdfast_core` and maps the error; none decides anything itself. Commands that change what
//! the reminder schedule reads tell the reminder thread to work it out again.

use chrono::{Local, NaiveDate};
use holdfast_app::autostart::{self, AutostartState};
use holdfast_app::{settings, ErrorCode, IpcError};
use holdfast_content::Region;
use holdfast_domain::care::{self, CheckinSaved};
use holdfast_domain::emergency;
use holdfast_domain::records::{
    Checkin, ListKind, MakingSafer, NaloxoneKit, PlanItem, PlanSection, RecordId, RecordKind,
    SafetyPlan, Stored, SupportPerson, Trigger,
};
use holdfast_domain::reminders::{Reminder, ReminderSettings};
use holdfast_domain::trends::{Nudge, Trend};
use holdfast_store::Store;
use tauri::State;

use crate::AppState;

/// The person's region for checking phone numbers: their choice, else the system locale, else
/// the fallback (the same as the emergency screens use).
pub(crate) fn region(state: &AppState) -> Region {
    let chosen = state
        .data_dir()
        .and_then(|d| settings::load(d).ok())
        .and_then(|s| s.region);
    emergency::region_state(chosen, crate::commands::system_region(), None).region
}

/// Runs `work` on the open journal (noting activity).
pub(crate) fn with_store<T>(
    state: &AppState,
    work: impl FnOnce(&Store) -> Result<T, IpcError>,
) -> Result<T, IpcError> {
    let s = state.journal.active()?;
    work(s.store()?)
}

/// Like [`with_store`], and the reminder schedule is worked out again afterwards.
pub(crate) fn changing<T>(
    state: &AppState,
    work: impl FnOnce(&Store) -> Result<T, IpcError>,
) -> Result<T, IpcError> {
    let out = with_store(state, work)?;
    state.reminders_changed.mark();
    Ok(out)
}

// ---- check-ins ----

/// Today's check-in (local date), if there is one yet.
#[tauri::command(async)]
pub fn checkin_today(state: State<'_, AppState>) -> Result<Option<Stored<Checkin>>, IpcError> {
    let today = state.clock.today();
    with_store(&state, |s| Ok(s.checkin_on(today)?))
}

/// The check-in for a local date, if there is one.
#[tauri::command(async)]
pub fn checkin_on(
    state: State<'_, AppState>,
    date: NaiveDate,
) -> Result<Option<Stored<Checkin>>, IpcError> {
    with_store(&state, |s| Ok(s.checkin_on(date)?))
}

/// Every check-in, by date.
#[tauri::command(async)]
pub fn list_checkins(state: State<'_, AppState>) -> Result<Vec<Stored<Checkin>>, IpcError> {
    with_store(&state, |s| Ok(s.list_checkins()?))
}

/// Records the use a "used since the last check-in: yes" stands for; on failure undoes the
/// check-in's write with `undo` so nothing is half-saved.
fn record_use(
    state: &AppState,
    store: &Store,
    undo: impl FnOnce(&Store),
) -> Result<Option<RecordId>, IpcError> {
    let entry = care::use_for_checkin(state.clock.now_for_records(), &Local);
    match store.add_use(&entry) {
        Ok(id) => Ok(Some(id)),
        Err(err) => {
            undo(store);
            Err(err.into())
        }
    }
}

/// Saves a new check-in (one per local day). "Used since the last check-in: yes" also records a
/// use now, in the same command.
#[tauri::command(async)]
pub fn add_checkin(state: State<'_, AppState>, entry: Checkin) -> Result<CheckinSaved, IpcError> {
    changing(&state, |s| {
        let id = s.add_checkin(&entry)?;
        let use_id = if care::records_use(None, entry.used_since_last) {
            record_use(&state, s, |s| {
                let _ = s.delete(RecordKind::Checkin, id);
            })?
        } else {
            None
        };
        Ok(CheckinSaved { id, use_id })
    })
}

/// Replaces a check-in (today's, edited). A "yes" to "used since the last check-in" that was a
/// "no" before records a use now; one that was already "yes" does not record it again.
#[tauri::command(async)]
pub fn update_checkin(
    state: State<'_, AppState>,
    id: RecordId,
    entry: Checkin,
) -> Result<CheckinSaved, IpcError> {
    changing(&state, |s| {
        let old = s.get_checkin(id)?.record;
        s.update_checkin(id, &entry)?;
        let use_id = if care::records_use(Some(old.used_since_last), entry.used_since_last) {
            record_use(&state, s, |s| {
                let _ = s.update_checkin(id, &old);
            })?
        } else {
            None
        };
        Ok(CheckinSaved { id, use_id })
    })
}

// ---- triggers ----

/// The person's triggers, in their order.
#[tauri::command(async)]
pub fn list_triggers(state: State<'_, AppState>) -> Result<Vec<Stored<Trigger>>, IpcError> {
    with_store(&state, |s| Ok(s.list_triggers()?))
}

/// Adds a trigger at the end; returns its id.
#[tauri::command(async)]
pub fn add_trigger(state: State<'_, AppState>, trigger: Trigger) -> Result<RecordId, IpcError> {
    with_store(&state, |s| Ok(s.add_trigger(&trigger)?))
}

/// Renames a trigger.
#[tauri::command(async)]
pub fn rename_trigger(
    state: State<'_, AppState>,
    id: RecordId,
    trigger: Trigger,
) -> Result<(), IpcError> {
    with_store(&state, |s| Ok(s.rename_trigger(id, &trigger)?))
}

/// Sets the order: `ids` names every trigger once.
#[tauri::command(async)]
pub fn reorder_triggers(state: State<'_, AppState>, ids: Vec<RecordId>) -> Result<(), IpcError> {
    with_store(&state, |s| Ok(s.reorder_triggers(&ids)?))
}

/// Removes a trigger (and from past check-ins).
#[tauri::command(async)]
pub fn delete_trigger(state: State<'_, AppState>, id: RecordId) -> Result<(), IpcError> {
    with_store(&state, |s| Ok(s.delete_from_list(ListKind::Trigger, id)?))
}

// ---- support people ----

/// The support people, in the person's order.
#[tauri::command(async)]
pub fn list_support_people(
    state: State<'_, AppState>,
) -> Result<Vec<Stored<SupportPerson>>, IpcError> {
    with_store(&state, |s| Ok(s.list_support_people()?))
}

/// Adds a support person (the phone is checked for the person's region); returns the id.
#[tauri::command(async)]
pub fn add_support_person(
    state: State<'_, AppState>,
    person: SupportPerson,
) -> Result<RecordId, IpcError> {
    let region = region(&state);
    with_store(&state, |s| Ok(s.add_support_person(&person, region)?))
}

/// Replaces a support person.
#[tauri::command(async)]
pub fn update_support_person(
    state: State<'_, AppState>,
    id: RecordId,
    person: SupportPerson,
) -> Result<(), IpcError> {
    let region = region(&state);
    with_store(
        &state,
        |s| Ok(s.update_support_person(id, &person, region)?),
    )
}

/// Sets the order: `ids` names every support person once.
#[tauri::command(async)]
pub fn reorder_support_people(
    state: State<'_, AppState>,
    ids: Vec<RecordId>,
) -> Result<(), IpcError> {
    with_store(&state, |s| Ok(s.reorder_support_people(&ids)?))
}

/// Removes a support person (and their line on the plan).
#[tauri::command(async)]
pub fn delete_support_person(state: State<'_, AppState>, id: RecordId) -> Result<(), IpcError> {
    with_store(&state, |s| {
        Ok(s.delete_from_list(ListKind::SupportPerson, id)?)
    })
}

// ---- safety plan ----

/// The whole safety plan.
#[tauri::command(async)]
pub fn safety_plan(state: State<'_, AppState>) -> Result<SafetyPlan, IpcError> {
    with_store(&state, |s| Ok(s.safety_plan()?))
}

/// Adds a line at the end of its section; returns its id.
#[tauri::command(async)]
pub fn add_plan_item(state: State<'_, AppState>, item: PlanItem) -> Result<RecordId, IpcError> {
    let region = region(&state);
    with_store(&state, |s| Ok(s.add_plan_item(&item, region)?))
}

/// Replaces a line (it stays in its section).
#[tauri::command(async)]
pub fn update_plan_item(
    state: State<'_, AppState>,
    id: RecordId,
    item: PlanItem,
) -> Result<(), IpcError> {
    let region = region(&state);
    with_store(&state, |s| Ok(s.update_plan_item(id, &item, region)?))
}

/// Sets the order of one section: `ids` names every line in it once.
#[tauri::command(async)]
pub fn reorder_plan(
    state: State<'_, AppState>,
    section: PlanSection,
    ids: Vec<RecordId>,
) -> Result<(), IpcError> {
    with_store(&state, |s| Ok(s.reorder_plan(section, &ids)?))
}

/// Saves step 6, making things safer; returns the whole plan.
#[tauri::command(async)]
pub fn set_making_safer(
    state: State<'_, AppState>,
    safer: MakingSafer,
) -> Result<SafetyPlan, IpcError> {
    with_store(&state, |s| {
        s.set_making_safer(&safer)?;
        Ok(s.safety_plan()?)
    })
}

/// Removes a line from the plan (a warning sign also from past check-ins).
#[tauri::command(async)]
pub fn delete_plan_item(state: State<'_, AppState>, id: RecordId) -> Result<(), IpcError> {
    with_store(&state, |s| Ok(s.delete_from_list(ListKind::PlanItem, id)?))
}

// ---- naloxone kits ----

/// The kits: unused first, soonest expiry first; each with its status today.
#[tauri::command(async)]
pub fn list_kits(state: State<'_, AppState>) -> Result<Vec<care::KitView>, IpcError> {
    let today = state.clock.today();
    with_store(&state, |s| Ok(care::kit_views(s.list_kits()?, today)))
}

/// Adds a kit; returns its id.
#[tauri::command(async)]
pub fn add_kit(state: State<'_, AppState>, kit: NaloxoneKit) -> Result<RecordId, IpcError> {
    changing(&state, |s| Ok(s.add_kit(&kit)?))
}

/// Replaces a kit.
#[tauri::command(async)]
pub fn update_kit(
    state: State<'_, AppState>,
    id: RecordId,
    kit: NaloxoneKit,
) -> Result<(), IpcError> {
    changing(&state, |s| Ok(s.update_kit(id, &kit)?))
}

/// "I used it": records the day; its reminders stop.
#[tauri::command(async)]
pub fn mark_kit_used(
    state: State<'_, AppState>,
    id: RecordId,
    day: NaiveDate,
) -> Result<(), IpcError> {
    changing(&state, |s| Ok(s.mark_kit_used(id, day)?))
}

/// Removes a kit.
#[tauri::command(async)]
pub fn delete_kit(state: State<'_, AppState>, id: RecordId) -> Result<(), IpcError> {
    changing(&state, |s| {
        Ok(s.delete_from_list(ListKind::NaloxoneKit, id)?)
    })
}

// ---- trends and nudges ----

/// Cravings, mood and sleep over the 30 local days ending today.
#[tauri::command(async)]
pub fn trend(state: State<'_, AppState>) -> Result<Trend, IpcError> {
    let today = state.clock.today();
    with_store(&state, |s| Ok(holdfast_app::reads::trend(s, today)?))
}

/// The nudge for the home screen, if the latest check-ins call for one.
#[tauri::command(async)]
pub fn nudge(state: State<'_, AppState>) -> Result<Option<Nudge>, IpcError> {
    let today = state.clock.today();
    with_store(&state, |s| Ok(holdfast_app::reads::nudge(s, today)?))
}

// ---- reminders ----

/// The reminder settings (the defaults when none are saved).
#[tauri::command(async)]
pub fn reminder_settings(state: State<'_, AppState>) -> Result<ReminderSettings, IpcError> {
    with_store(&state, |s| Ok(s.reminder_settings()?))
}

/// Saves the reminder settings; returns them as saved.
#[tauri::command(async)]
pub fn set_reminder_settings(
    state: State<'_, AppState>,
    settings: ReminderSettings,
) -> Result<ReminderSettings, IpcError> {
    changing(&state, |s| {
        s.set_reminder_settings(&settings)?;
        Ok(s.reminder_settings()?)
    })
}

/// The reminders coming up in the next 31 days (and a missed group not yet shown), soonest
/// first, with the text they will be shown with.
#[tauri::command(async)]
pub fn upcoming_reminders(state: State<'_, AppState>) -> Result<Vec<Reminder>, IpcError> {
    let now = state.clock.now();
    with_store(&state, |s| {
        Ok(holdfast_app::reads::reminders(s, now, &Local)?)
    })
}

// ---- launch at login ----

fn autostart_folder() -> Result<std::path::PathBuf, IpcError> {
    autostart::folder_from_env().ok_or_else(|| autostart::AutostartError::NoFolder.into())
}

/// Whether Holdfast starts at login (desktop only).
#[tauri::command(async)]
pub fn launch_at_login() -> Result<AutostartState, IpcError> {
    Ok(autostart::state(&autostart_folder()?))
}

/// Turns launch at login on or off (opt-in; only with the journal open, like other settings).
#[tauri::command(async)]
pub fn set_launch_at_login(
    state: State<'_, AppState>,
    enabled: bool,
) -> Result<AutostartState, IpcError> {
    with_store(&state, |_| Ok(()))?;
    let folder = autostart_folder()?;
    if !enabled {
        return Ok(autostart::disable(&folder)?);
    }
    // Desktop only; a phone starts apps its own way.
    #[cfg(mobile)]
    return Err(IpcError::new(
        ErrorCode::InvalidInput,
        "Starting at login is not available on this device.",
    ));
    let program = std::env::current_exe().map_err(|_| {
        IpcError::new(
            ErrorCode::Internal,
            "Holdfast could not find its own program file, so it cannot start at login.",
        )
    })?;
    Ok(autostart::enable(&folder, &program)?)
}
