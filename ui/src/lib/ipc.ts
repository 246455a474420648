// The one module through which the UI talks to Rust. Every command is a typed function here; the
// types come from lib/bindings.ts, which is generated from the Rust types (never edited by hand).
import { invoke } from '@tauri-apps/api/core';
import { openUrl } from '@tauri-apps/plugin-opener';
import type {
  AppInfo,
  BackupFile,
  BackupSummary,
  BreakEntry,
  JournalView,
  Medicine,
  RestartView,
  ToleranceView,
  Treatment,
  RecordKind,
  SessionInfo,
  SetupCode,
  Strength,
  UseEntry,
  ErrorCode,
  Illustration,
  IpcError,
  PracticeResult,
  Region,
  RegionGuide,
  RegionState,
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

/** Calls a command by name (for modules beside this one, such as care.ts). */
export function callCommand<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  return call<T>(command, args);
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
