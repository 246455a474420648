// One way to turn whatever a command or a promise rejected with into words for the person.
import { CommandError, isIpcError } from './ipc';

/** The message of a CommandError or any Error, an IpcError object from Rust, or the value itself. */
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (isIpcError(e)) return e.message;
  return String(e);
}

/** Like `errorText`, for a form that asks for the journal's passphrase to confirm something
 * (a backup, a restore, an erase): a wrong one is said without pointing to the recovery code,
 * which these forms do not take. */
export function confirmText(e: unknown): string {
  const code = e instanceof CommandError || isIpcError(e) ? e.code : null;
  if (code === 'wrong_passphrase') return 'That passphrase is not right. Nothing was changed.';
  return errorText(e);
}
