// The one module through which the UI talks to Rust. Every command is a typed function here; the
// types come from lib/bindings.ts, which is generated from the Rust types (never edited by hand).
import { invoke } from '@tauri-apps/api/core';
import { openUrl } from '@tauri-apps/plugin-opener';
import type {
  AppInfo,
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
  const message = raw instanceof Error ? raw.message : typeof raw === 'string' ? raw : 'Something went wrong inside Holdfast. Nothing was changed.';
  return new CommandError({ code: 'internal', message });
}

export function isIpcError(raw: unknown): raw is IpcError {
  if (typeof raw !== 'object' || raw === null) return false;
  const r = raw as Record<string, unknown>;
  return typeof r.code === 'string' && typeof r.message === 'string';
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw toCommandError(raw);
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
