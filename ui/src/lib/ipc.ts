// The one module through which the UI talks to Rust. Every command is a typed function here; the
// types come from lib/bindings.ts and the command names and arguments from lib/commands.ts, both
// generated from Rust (never edited by hand).
import { invoke } from '@tauri-apps/api/core';
import type {
  AppInfo,
  AppMode,
  AutostartState,
  BackupFile,
  BackupSummary,
  BreakEntry,
  Checkin,
  CheckinSaved,
  Choice,
  GuidedView,
  PacerCue,
  PracticeSummary,
  VoiceSettings,
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
  SearchResults,
  SafetyPlan,
  SessionInfo,
  SetAside,
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
import type { Command, Commands } from './commands';
import { firstScreenReady, mark, timing } from './startup';

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

/** A command's arguments: none for a command that takes none, else its argument object. */
type Args<K extends Command> = Commands[K]['args'] extends Record<string, never> ? [] : [Commands[K]['args']];

/** Calls a command. Its name, its arguments and its result are checked by tsc against the map
 * generated from the Rust command list (lib/commands.ts). */
async function call<K extends Command>(command: K, ...args: Args<K>): Promise<Commands[K]['result']> {
  const timed = timing();
  if (timed) mark(`${command} asked`);
  try {
    const answer = await invoke<Commands[K]['result']>(command, args[0]);
    if (timed) mark(`${command} answered`);
    return answer;
  } catch (raw) {
    const err = toCommandError(raw);
    if (err.code === 'locked') onLocked?.();
    throw err;
  }
}

/** Version, build and data folder, as Rust reports them. */
export function appInfo(): Promise<AppInfo> {
  return call('app_info');
}

/** Once per page, when a screen has put on display what a person needs first (the "Someone may
 * be overdosing" button, or the response's first step): after the next paint, sends Rust the
 * start-up timeline (lib/startup.ts) for the measuring scripts. */
export function reportFirstScreen(): void {
  firstScreenReady((timeline) => call('first_render', { timeline }));
}

/** Tells Rust the overdose response's first step is on display (once per start; measured by
 * `scripts/measure-startup.sh --emergency`); returns milliseconds since the process started. */
export function firstStepShown(): Promise<number> {
  return call('first_step_shown');
}

/** The region the emergency screens use, why, and the choices. */
export function regionState(): Promise<RegionState> {
  return call('region_state');
}

/** Saves the person's region choice. */
export function setRegion(region: Region): Promise<RegionState> {
  return call('set_region', { region });
}

/** Emergency number, response steps, guides and lines for a region. */
export function regionGuide(region: Region): Promise<RegionGuide> {
  return call('region_guide', { region });
}

/** The region's guides, steps and phone lines that match what the person typed, best first. */
export function searchGuides(region: Region, query: string): Promise<SearchResults> {
  return call('search_guides', { region, query });
}

/** Scores a practice run: the step indices in the order the person chose them. */
export function scorePractice(region: Region, doneOrder: number[]): Promise<PracticeResult> {
  return call('score_practice', { region, doneOrder });
}

/** Opens a tel:, sms: or https: link with the system (only these are permitted). */
/** Starts the guided overdose response (practice never dials). */
export function guidedStart(region: Region, practice: boolean): Promise<GuidedView> {
  return call('guided_start', { region, practice });
}

export function guidedAnswer(choice: Choice): Promise<GuidedView> {
  return call('guided_answer', { choice });
}

export function guidedTick(): Promise<GuidedView> {
  return call('guided_tick');
}

export function guidedVoice(voice: VoiceSettings): Promise<GuidedView> {
  return call('guided_voice', { voice });
}

export function guidedRepeat(): Promise<GuidedView> {
  return call('guided_repeat');
}

export function guidedCue(cue: PacerCue): Promise<void> {
  return call('guided_cue', { cue });
}

export function guidedEnd(): Promise<PracticeSummary> {
  return call('guided_end');
}

/** Opens a number, a text or a web page outside the app: only one the app shows (Rust checks). */
export function openLink(uri: string): Promise<void> {
  return call('open_link', { uri });
}

/** The step illustrations with their text alternatives. */
export function illustrations(): Promise<Illustration[]> {
  return call('illustrations');
}

// ---- the encrypted journal ----

/** Where the journal stands (first run, locked, unlocked, damaged), idle lock, backup folder. */
export function sessionInfo(): Promise<SessionInfo> {
  return call('session_info');
}

/** Live strength of a passphrase being typed. */
export function passphraseStrength(passphrase: string): Promise<Strength> {
  return call('passphrase_strength', { passphrase });
}

/** A suggested passphrase of six random words. */
export function suggestPassphrase(): Promise<string> {
  return call('suggest_passphrase');
}

/** Setup, step one: checks the passphrase, makes the recovery code; nothing is written yet. */
export function beginSetup(passphrase: string): Promise<SetupCode> {
  return call('begin_setup', { passphrase });
}

/** Setup, step two: the typed-back groups; creates and opens the journal. */
export function finishSetup(answers: string[]): Promise<SessionInfo> {
  return call('finish_setup', { answers });
}

export function cancelSetup(): Promise<SessionInfo> {
  return call('cancel_setup');
}

export function unlock(passphrase: string): Promise<SessionInfo> {
  return call('unlock', { passphrase });
}

/** Opens with the recovery code and sets a new passphrase; returns a new code to show, which
 * replaces the old one once two groups are typed back (confirmNewCode). */
export function recover(code: string, newPassphrase: string): Promise<SetupCode> {
  return call('recover', { code, newPassphrase });
}

export function lock(): Promise<SessionInfo> {
  return call('lock');
}

/** The person is active: postpones the idle lock. */
export function touch(): Promise<void> {
  return call('touch');
}

export function setIdleMinutes(minutes: number): Promise<SessionInfo> {
  return call('set_idle_minutes', { minutes });
}

export function changePassphrase(old: string, next: string): Promise<void> {
  return call('change_passphrase', { old, new: next });
}

/** Someone may know the old passphrase or code: checks `old` and returns a new recovery code to
 * show. Once two groups are typed back (confirmNewCode), the passphrase becomes `next`, the code
 * the one shown, and the journal gets a new key. */
export function beginKeyChange(old: string, next: string): Promise<SetupCode> {
  return call('begin_key_change', { old, new: next });
}

/** A new recovery code to show; it replaces the old one (and the journal's key) once typed back. */
export function beginNewCode(passphrase: string): Promise<SetupCode> {
  return call('begin_new_code', { passphrase });
}

/** Replaces the recovery code with the one shown, when the typed groups match, and the journal's
 * key with it. */
export function confirmNewCode(answers: string[]): Promise<void> {
  return call('confirm_new_code', { answers });
}

/** Erases the journal and its keys; `confirmation` must be the erase word and `passphrase` the
 * journal's current one. */
export function erase(confirmation: string, passphrase: string): Promise<SessionInfo> {
  return call('erase', { confirmation, passphrase });
}

/** Moves a damaged (or locked and lost) journal's files aside, deleting nothing; returns the
 * folder they went to. */
export function setAside(): Promise<string> {
  return call('set_aside');
}

/** The journals set aside in the data folder, oldest first. */
export function listSetAside(): Promise<SetAside[]> {
  return call('list_set_aside');
}

/** Puts a set-aside journal back; the journal there now is set aside in its place. */
export function putBack(name: string): Promise<SessionInfo> {
  return call('put_back', { name });
}

/** Deletes a set-aside journal, with that journal's own passphrase. */
export function deleteSetAside(name: string, passphrase: string): Promise<SetAside[]> {
  return call('delete_set_aside', { name, passphrase });
}

/** Makes a backup locked with `backupPassphrase`; `passphrase` is the journal's current one. */
export function exportBackup(passphrase: string, backupPassphrase: string): Promise<BackupFile> {
  return call('export_backup', { passphrase, backupPassphrase });
}

export function listBackups(): Promise<BackupFile[]> {
  return call('list_backups');
}

export function inspectBackup(path: string, passphrase: string): Promise<BackupSummary> {
  return call('inspect_backup', { path, passphrase });
}

/** Restores the backup last inspected; `passphrase` is the journal's current one,
 * `backupPassphrase` the backup's. */
export function importBackup(path: string, passphrase: string, backupPassphrase: string): Promise<BackupSummary> {
  return call('import_backup', { path, passphrase, backupPassphrase });
}

export function journalView(): Promise<JournalView> {
  return call('journal_view');
}

export function addUse(entry: UseEntry): Promise<number> {
  return call('add_use', { entry });
}

export function updateUse(id: number, entry: UseEntry): Promise<void> {
  return call('update_use', { id, entry });
}

export function addBreak(entry: BreakEntry): Promise<number> {
  return call('add_break', { entry });
}

export function updateBreak(id: number, entry: BreakEntry): Promise<void> {
  return call('update_break', { id, entry });
}

export function deleteRecord(kind: RecordKind, id: number): Promise<void> {
  return call('delete_record', { kind, id });
}

/** Days since last use, the tolerance status with reasons and sources, and the 90-day timeline. */
export function tolerance(): Promise<ToleranceView> {
  return call('tolerance');
}

/** Records the current medication treatment (it is not a use). */
export function setTreatment(treatment: Treatment): Promise<ToleranceView> {
  return call('set_treatment', { treatment });
}

/** What to know before restarting a prescribed medicine last taken on `lastDose` (YYYY-MM-DD). */
export function restartAdvice(medicine: Medicine, lastDose: string): Promise<RestartView> {
  return call('restart_advice', { medicine, lastDose });
}

// ---------------------------------------------------------------------------------------------
// Check-in, triggers, support people, safety plan, naloxone kits, trends, reminders and launch
// at login (issue #6; use cases in core/app/src/handlers/reminders.rs).
// Dates are 'YYYY-MM-DD'; times of day 'HH:MM:SS'. Every command needs the journal open
// (error code 'locked' otherwise), except launchAtLogin.
// ---------------------------------------------------------------------------------------------


/** Today's check-in (local date), or null before the person has checked in today. */
export function checkinToday(): Promise<Stored<Checkin> | null> {
  return call('checkin_today');
}

/** The check-in for a local date, or null. */
export function checkinOn(date: string): Promise<Stored<Checkin> | null> {
  return call('checkin_on', { date });
}

export function listCheckins(): Promise<Stored<Checkin>[]> {
  return call('list_checkins');
}

/** Saves a new check-in (one per day). With `used_since_last` true a use is recorded now as
 * well; its id comes back as `use_id` (show the logged-use acknowledgement then). */
export function addCheckin(entry: Checkin): Promise<CheckinSaved> {
  return call('add_checkin', { entry });
}

/** Replaces a check-in. A use is recorded only when `used_since_last` changes from no to yes. */
export function updateCheckin(id: number, entry: Checkin): Promise<CheckinSaved> {
  return call('update_checkin', { id, entry });
}

export function listTriggers(): Promise<Stored<Trigger>[]> {
  return call('list_triggers');
}

export function addTrigger(trigger: Trigger): Promise<number> {
  return call('add_trigger', { trigger });
}

export function renameTrigger(id: number, trigger: Trigger): Promise<void> {
  return call('rename_trigger', { id, trigger });
}

/** `ids` must name every trigger once, in the new order. */
export function reorderTriggers(ids: number[]): Promise<void> {
  return call('reorder_triggers', { ids });
}

/** Also removes the trigger from past check-ins. */
export function deleteTrigger(id: number): Promise<void> {
  return call('delete_trigger', { id });
}

export function listSupportPeople(): Promise<Stored<SupportPerson>[]> {
  return call('list_support_people');
}

/** The phone is checked for the person's region and stored in E.164 (`tel:${phone}` works). */
export function addSupportPerson(person: SupportPerson): Promise<number> {
  return call('add_support_person', { person });
}

export function updateSupportPerson(id: number, person: SupportPerson): Promise<void> {
  return call('update_support_person', { id, person });
}

export function reorderSupportPeople(ids: number[]): Promise<void> {
  return call('reorder_support_people', { ids });
}

/** Also removes the person's line from the safety plan. */
export function deleteSupportPerson(id: number): Promise<void> {
  return call('delete_support_person', { id });
}

export function safetyPlan(): Promise<SafetyPlan> {
  return call('safety_plan');
}

export function addPlanItem(item: PlanItem): Promise<number> {
  return call('add_plan_item', { item });
}

/** A line stays in its section (changing `kind` is refused). */
export function updatePlanItem(id: number, item: PlanItem): Promise<void> {
  return call('update_plan_item', { id, item });
}

export function reorderPlan(section: PlanSection, ids: number[]): Promise<void> {
  return call('reorder_plan', { section, ids });
}

export function setMakingSafer(safer: MakingSafer): Promise<SafetyPlan> {
  return call('set_making_safer', { safer });
}

/** A warning sign also leaves past check-ins. */
export function deletePlanItem(id: number): Promise<void> {
  return call('delete_plan_item', { id });
}

/** Unused kits first, soonest expiry first; then used ones. Each with its status today. */
export function listKits(): Promise<KitView[]> {
  return call('list_kits');
}

export function addKit(kit: NaloxoneKit): Promise<number> {
  return call('add_kit', { kit });
}

export function updateKit(id: number, kit: NaloxoneKit): Promise<void> {
  return call('update_kit', { id, kit });
}

/** "I used it" on `day` (not in the future); the kit's reminders stop. */
export function markKitUsed(id: number, day: string): Promise<void> {
  return call('mark_kit_used', { id, day });
}

export function deleteKit(id: number): Promise<void> {
  return call('delete_kit', { id });
}

/** Cravings, mood and sleep over the 30 local days ending today (gaps are null). */
export function trend(): Promise<Trend> {
  return call('trend');
}

/** The nudge for the home screen, or null. */
export function nudge(): Promise<Nudge | null> {
  return call('nudge');
}

export function reminderSettings(): Promise<ReminderSettings> {
  return call('reminder_settings');
}

export function setReminderSettings(settings: ReminderSettings): Promise<ReminderSettings> {
  return call('set_reminder_settings', { settings });
}

/** What is scheduled in the next 31 days, soonest first, with the text it will show. */
export function upcomingReminders(): Promise<Reminder[]> {
  return call('upcoming_reminders');
}

/** Whether Holdfast starts at login (works while locked). */
export function launchAtLogin(): Promise<AutostartState> {
  return call('launch_at_login');
}

/** Opt-in: writes or removes the XDG autostart entry (journal must be open). */
export function setLaunchAtLogin(enabled: boolean): Promise<AutostartState> {
  return call('set_launch_at_login', { enabled });
}

// ---- Peer visits ----

/** The walk-through's six steps for the person's region (not personal). */
export function visitWalkthrough(): Promise<Walkthrough> {
  return call('visit_walkthrough');
}

/** The open (walked or paused) visit, or null. */
export function openVisit(): Promise<Stored<Visit> | null> {
  return call('open_visit');
}

/** Starts a visit now; refused (conflict) while another is open. */
export function startVisit(): Promise<Stored<Visit>> {
  return call('start_visit');
}

/** Saves an open visit's progress; returns it tidied, as stored. */
export function saveVisit(id: number, visit: Visit): Promise<Stored<Visit>> {
  return call('save_visit', { id, visit });
}

/** Finishes an open visit; returns the summary. */
export function finishVisit(id: number): Promise<Stored<Visit>> {
  return call('finish_visit', { id });
}

export function getVisit(id: number): Promise<Stored<Visit>> {
  return call('get_visit', { id });
}

/** Every visit, newest first. */
export function listVisits(): Promise<Stored<Visit>[]> {
  return call('list_visits');
}

export function deleteVisit(id: number): Promise<void> {
  return call('delete_visit', { id });
}

// --- Helper path ---------------------------------------------------------------------------
// Who the app is for: the personal path (private journal) or the helper path (family and
// friends; no journal, no passphrase). A plain setting, readable before any unlock.

/** The chosen path, or null when the person has not chosen yet. */
export function appMode(): Promise<AppMode | null> {
  return call('app_mode');
}

/** Saves the path. Never touches the journal. */
export function setAppMode(mode: AppMode): Promise<AppMode> {
  return call('set_app_mode', { mode });
}
