// The one module through which the UI talks to Rust. Every command is a typed function here; the
// types come from lib/bindings.ts, which is generated from the Rust types (never edited by hand).
import { invoke } from '@tauri-apps/api/core';
import type { AppInfo, ErrorCode, IpcError } from './bindings';

export type { AppInfo, ErrorCode, IpcError };

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
