// The one module through which the UI talks to Rust. Every command is a typed function here; the
// types come from lib/bindings.ts, which is generated from the Rust types (never edited by hand).
import { invoke } from '@tauri-apps/api/core';
import { openUrl } from '@tauri-apps/plugin-opener';
import type {
  AppInfo,
  AppMode,
  AutostartState,
  BackupFile,
  BackupSummary,
  BreakEntry,
  Checkin,
  CheckinSaved,
  ErrorCode,
  Illustration,
  IpcError,
  JournalView,
  KitView,
  MakingSafer,
  Medicine,
  NaloxoneKit,
  Nudge,
  PlanItem,
  PlanSection,
  PracticeResult,
  RecordKind,
  Region,
  RegionGuide,
  RegionState,
  Reminder,
  ReminderSettings,
  RestartView,
  SafetyPlan,
  SessionInfo,
  SetupCode,
  Stored,
  Strength,
  SupportPerson,
  ToleranceView,
  Treatment,
  Trend,
  Trigger,
  UseEntry,
  Visit,
  Walkthrough,
} from './bindings';

// Every generated type is available from here, so screens import from one module.
export type * from './bindings';

/** An IPC call failed; `code` says what kind of failure, `message` is for the person. */
export class CommandError extends Error {
  readonly code: ErrorCode;

  constructor(err: IpcError) {
    super(err.message);
    this.name = 'CommandError';
    this.code = err.code;
  }
}

/** Turns whatever an invoke rejected with into a CommandError. */
export function toCommandError(raw: unknown): CommandError {
  if (isIpcError(raw)) {
    return new CommandError(raw);
  }
  // Tauri's own refusal of arguments of the wrong shape ("invalid args `x` for command ...").
  if (typeof raw === 'string' && raw.startsWith('invalid args')) {
    return new CommandError({ code: 'invalid_input', message: 'Holdfast could not read what was sent. Check the fields and try again.' });
  }
  const message = raw instanceof Error ? raw.message : typeof raw === 'string' ? raw : 'Something went wrong inside Holdfast. Nothing was changed.';
  return new CommandError({ code: 'internal', message });
}

export function isIpcError(raw: unknown): raw is IpcError {
  if (typeof raw !== 'object' || raw === null) return false;
  const r = raw as Record<string, unknown>;
  return typeof r.code === 'string' && typeof r.message === 'string';
}

let onLocked: (() => void) | null = null;

/** Called whenever a command finds the journal locked (for example after the idle lock, if the
 * event was missed), so every screen can follow. */
export function whenLocked(handler: () => void): void {
  onLocked = handler;
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    const err = toCommandError(raw);
    if (err.code === 'locked') onLocked?.();
    throw err;
  }
}

/** Version, build and data folder, as Rust reports them. */
export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>('app_info');
}

/** Tells Rust the first screen is on display; returns milliseconds since the process started. */
export function firstRender(): Promise<number> {
  return call<number>('first_render');
}

/** The region the emergency screens use, why, and the choices. */
export function regionState(): Promise<RegionState> {
  return call<RegionState>('region_state');
}

/** Saves the person's region choice. */
export function setRegion(region: Region): Promise<RegionState> {
  return call<RegionState>('set_region', { region });
}

/** Emergency number, response steps, guides and lines for a region. */
export function regionGuide(region: Region): Promise<RegionGuide> {
  return call<RegionGuide>('region_guide', { region });
}

/** Scores a practice run: the step indices in the order the person chose them. */
export function scorePractice(region: Region, doneOrder: number[]): Promise<PracticeResult> {
  return call<PracticeResult>('score_practice', { region, doneOrder });
}

/** Opens a tel:, sms: or https: link with the system (only these are permitted). */
export async function openLink(uri: string): Promise<void> {
  try {
    await openUrl(uri);
  } catch (raw) {
    throw toCommandError(raw);
  }
}

/** The step illustrations with their text alternatives. */
export function illustrations(): Promise<Illustration[]> {
  return call<Illustration[]>('illustrations');
}

// ---- the encrypted journal ----

/** Where the journal stands (first run, locked, unlocked, damaged), idle lock, backup folder. */
export function sessionInfo(): Promise<SessionInfo> {
  return call<SessionInfo>('session_info');
}

/** Live strength of a passphrase being typed. */
export function passphraseStrength(passphrase: string): Promise<Strength> {
  return call<Strength>('passphrase_strength', { passphrase });
}

/** A suggested passphrase of six random words. */
export function suggestPassphrase(): Promise<string> {
  return call<string>('suggest_passphrase');
}

/** Setup, step one: checks the passphrase, makes the recovery code; nothing is written yet. */
export function beginSetup(passphrase: string): Promise<SetupCode> {
  return call<SetupCode>('begin_setup', { passphrase });
}

/** Setup, step two: the typed-back groups; creates and opens the journal. */
export function finishSetup(answers: string[]): Promise<SessionInfo> {
  return call<SessionInfo>('finish_setup', { answers });
}

export function cancelSetup(): Promise<SessionInfo> {
  return call<SessionInfo>('cancel_setup');
}

export function unlock(passphrase: string): Promise<SessionInfo> {
  return call<SessionInfo>('unlock', { passphrase });
}

/** Opens with the recovery code and sets a new passphrase; returns a new code to show, which
 * replaces the old one once two groups are typed back (confirmNewCode). */
export function recover(code: string, newPassphrase: string): Promise<SetupCode> {
  return call<SetupCode>('recover', { code, newPassphrase });
}

export function lock(): Promise<SessionInfo> {
  return call<SessionInfo>('lock');
}

/** The person is active: postpones the idle lock. */
export function touch(): Promise<void> {
  return call<void>('touch');
}

export function setIdleMinutes(minutes: number): Promise<SessionInfo> {
  return call<SessionInfo>('set_idle_minutes', { minutes });
}

export function changePassphrase(old: string, next: string): Promise<void> {
  return call<void>('change_passphrase', { old, new: next });
}

/** A new recovery code to show; it replaces the old one once typed back. */
export function beginNewCode(passphrase: string): Promise<SetupCode> {
  return call<SetupCode>('begin_new_code', { passphrase });
}

/** Replaces the recovery code with the one shown, when the typed groups match. */
export function confirmNewCode(answers: string[]): Promise<void> {
  return call<void>('confirm_new_code', { answers });
}

/** Erases the journal and its keys; `confirmation` must be the erase word. */
export function erase(confirmation: string): Promise<SessionInfo> {
  return call<SessionInfo>('erase', { confirmation });
}

/** Moves a damaged (or locked and lost) journal's files aside, deleting nothing; returns the
 * folder they went to. */
export function setAside(): Promise<string> {
  return call<string>('set_aside');
}

export function exportBackup(passphrase: string): Promise<BackupFile> {
  return call<BackupFile>('export_backup', { passphrase });
}

export function listBackups(): Promise<BackupFile[]> {
  return call<BackupFile[]>('list_backups');
}

export function inspectBackup(path: string, passphrase: string): Promise<BackupSummary> {
  return call<BackupSummary>('inspect_backup', { path, passphrase });
}

export function importBackup(path: string, passphrase: string): Promise<BackupSummary> {
  return call<BackupSummary>('import_backup', { path, passphrase });
}

export function journalView(): Promise<JournalView> {
  return call<JournalView>('journal_view');
}

export function addUse(entry: UseEntry): Promise<number> {
  return call<number>('add_use', { entry });
}

export function updateUse(id: number, entry: UseEntry): Promise<void> {
  return call<void>('update_use', { id, entry });
}

export function addBreak(entry: BreakEntry): Promise<number> {
  return call<number>('add_break', { entry });
}

export function updateBreak(id: number, entry: BreakEntry): Promise<void> {
  return call<void>('update_break', { id, entry });
}

export function deleteRecord(kind: RecordKind, id: number): Promise<void> {
  return call<void>('delete_record', { kind, id });
}

/** Days since last use, the tolerance status with reasons and sources, and the 90-day timeline. */
export function tolerance(): Promise<ToleranceView> {
  return call<ToleranceView>('tolerance');
}

/** Records the current medication treatment (it is not a use). */
export function setTreatment(treatment: Treatment): Promise<ToleranceView> {
  return call<ToleranceView>('set_treatment', { treatment });
}

/** What to know before restarting a prescribed medicine last taken on `lastDose` (YYYY-MM-DD). */
export function restartAdvice(medicine: Medicine, lastDose: string): Promise<RestartView> {
  return call<RestartView>('restart_advice', { medicine, lastDose });
}

// ---------------------------------------------------------------------------------------------
// Check-in, triggers, support people, safety plan, naloxone kits, trends, reminders and launch
// at login (issue #6; commands in src-tauri/src/care.rs).
// Dates are 'YYYY-MM-DD'; times of day 'HH:MM:SS'. Every command needs the journal open
// (error code 'locked' otherwise), except launchAtLogin.
// ---------------------------------------------------------------------------------------------


/** Today's check-in (local date), or null before the person has checked in today. */
export function checkinToday(): Promise<Stored<Checkin> | null> {
  return call<Stored<Checkin> | null>('checkin_today');
}

/** The check-in for a local date, or null. */
export function checkinOn(date: string): Promise<Stored<Checkin> | null> {
  return call<Stored<Checkin> | null>('checkin_on', { date });
}

export function listCheckins(): Promise<Stored<Checkin>[]> {
  return call<Stored<Checkin>[]>('list_checkins');
}

/** Saves a new check-in (one per day). With `used_since_last` true a use is recorded now as
 * well; its id comes back as `use_id` (show the logged-use acknowledgement then). */
export function addCheckin(entry: Checkin): Promise<CheckinSaved> {
  return call<CheckinSaved>('add_checkin', { entry });
}

/** Replaces a check-in. A use is recorded only when `used_since_last` changes from no to yes. */
export function updateCheckin(id: number, entry: Checkin): Promise<CheckinSaved> {
  return call<CheckinSaved>('update_checkin', { id, entry });
}

export function listTriggers(): Promise<Stored<Trigger>[]> {
  return call<Stored<Trigger>[]>('list_triggers');
}

export function addTrigger(trigger: Trigger): Promise<number> {
  return call<number>('add_trigger', { trigger });
}

export function renameTrigger(id: number, trigger: Trigger): Promise<void> {
  return call<void>('rename_trigger', { id, trigger });
}

/** `ids` must name every trigger once, in the new order. */
export function reorderTriggers(ids: number[]): Promise<void> {
  return call<void>('reorder_triggers', { ids });
}

/** Also removes the trigger from past check-ins. */
export function deleteTrigger(id: number): Promise<void> {
  return call<void>('delete_trigger', { id });
}

export function listSupportPeople(): Promise<Stored<SupportPerson>[]> {
  return call<Stored<SupportPerson>[]>('list_support_people');
}

/** The phone is checked for the person's region and stored in E.164 (`tel:${phone}` works). */
export function addSupportPerson(person: SupportPerson): Promise<number> {
  return call<number>('add_support_person', { person });
}

export function updateSupportPerson(id: number, person: SupportPerson): Promise<void> {
  return call<void>('update_support_person', { id, person });
}

export function reorderSupportPeople(ids: number[]): Promise<void> {
  return call<void>('reorder_support_people', { ids });
}

/** Also removes the person's line from the safety plan. */
export function deleteSupportPerson(id: number): Promise<void> {
  return call<void>('delete_support_person', { id });
}

export function safetyPlan(): Promise<SafetyPlan> {
  return call<SafetyPlan>('safety_plan');
}

export function addPlanItem(item: PlanItem): Promise<number> {
  return call<number>('add_plan_item', { item });
}

/** A line stays in its section (changing `kind` is refused). */
export function updatePlanItem(id: number, item: PlanItem): Promise<void> {
  return call<void>('update_plan_item', { id, item });
}

export function reorderPlan(section: PlanSection, ids: number[]): Promise<void> {
  return call<void>('reorder_plan', { section, ids });
}

export function setMakingSafer(safer: MakingSafer): Promise<SafetyPlan> {
  return call<SafetyPlan>('set_making_safer', { safer });
}

/** A warning sign also leaves past check-ins. */
export function deletePlanItem(id: number): Promise<void> {
  return call<void>('delete_plan_item', { id });
}

/** Unused kits first, soonest expiry first; then used ones. Each with its status today. */
export function listKits(): Promise<KitView[]> {
  return call<KitView[]>('list_kits');
}

export function addKit(kit: NaloxoneKit): Promise<number> {
  return call<number>('add_kit', { kit });
}

export function updateKit(id: number, kit: NaloxoneKit): Promise<void> {
  return call<void>('update_kit', { id, kit });
}

/** "I used it" on `day` (not in the future); the kit's reminders stop. */
export function markKitUsed(id: number, day: string): Promise<void> {
  return call<void>('mark_kit_used', { id, day });
}

export function deleteKit(id: number): Promise<void> {
  return call<void>('delete_kit', { id });
}

/** Cravings, mood and sleep over the 30 local days ending today (gaps are null). */
export function trend(): Promise<Trend> {
  return call<Trend>('trend');
}

/** The nudge for the home screen, or null. */
export function nudge(): Promise<Nudge | null> {
  return call<Nudge | null>('nudge');
}

export function reminderSettings(): Promise<ReminderSettings> {
  return call<ReminderSettings>('reminder_settings');
}

export function setReminderSettings(settings: ReminderSettings): Promise<ReminderSettings> {
  return call<ReminderSettings>('set_reminder_settings', { settings });
}

/** What is scheduled in the next 31 days, soonest first, with the text it will show. */
export function upcomingReminders(): Promise<Reminder[]> {
  return call<Reminder[]>('upcoming_reminders');
}

/** Whether Holdfast starts at login (works while locked). */
export function launchAtLogin(): Promise<AutostartState> {
  return call<AutostartState>('launch_at_login');
}

/** Opt-in: writes or removes the XDG autostart entry (journal must be open). */
export function setLaunchAtLogin(enabled: boolean): Promise<AutostartState> {
  return call<AutostartState>('set_launch_at_login', { enabled });
}

// ---- Peer visits ----

/** The walk-through's six steps for the person's region (not personal). */
export function visitWalkthrough(): Promise<Walkthrough> {
  return call<Walkthrough>('visit_walkthrough');
}

/** The open (walked or paused) visit, or null. */
export function openVisit(): Promise<Stored<Visit> | null> {
  return call<Stored<Visit> | null>('open_visit');
}

/** Starts a visit now; refused (conflict) while another is open. */
export function startVisit(): Promise<Stored<Visit>> {
  return call<Stored<Visit>>('start_visit');
}

/** Saves an open visit's progress; returns it tidied, as stored. */
export function saveVisit(id: number, visit: Visit): Promise<Stored<Visit>> {
  return call<Stored<Visit>>('save_visit', { id, visit });
}

/** Finishes an open visit; returns the summary. */
export function finishVisit(id: number): Promise<Stored<Visit>> {
  return call<Stored<Visit>>('finish_visit', { id });
}

export function getVisit(id: number): Promise<Stored<Visit>> {
  return call<Stored<Visit>>('get_visit', { id });
}

/** Every visit, newest first. */
export function listVisits(): Promise<Stored<Visit>[]> {
  return call<Stored<Visit>[]>('list_visits');
}

export function deleteVisit(id: number): Promise<void> {
  return call<void>('delete_visit', { id });
}

// --- Helper path ---------------------------------------------------------------------------
// Who the app is for: the personal path (private journal) or the helper path (family and
// friends; no journal, no passphrase). A plain setting, readable before any unlock.

/** The chosen path, or null when the person has not chosen yet. */
export function appMode(): Promise<AppMode | null> {
  return call<AppMode | null>('app_mode');
}

/** Saves the path. Never touches the journal. */
export function setAppMode(mode: AppMode): Promise<AppMode> {
  return call<AppMode>('set_app_mode', { mode });
}
