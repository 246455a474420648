// One way to turn whatever a command or a promise rejected with into words for the person.
import { isIpcError } from './ipc';

/** The message of a CommandError or any Error, an IpcError object from Rust, or the value itself. */
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (isIpcError(e)) return e.message;
  return String(e);
}
