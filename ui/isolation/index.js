// The isolation application (Tauri's isolation pattern). Every IPC message from the UI passes
// through this sandboxed frame, which encrypts its payload with a key only this frame and Rust
// hold. A script injected into the UI can still call `invoke` like the UI does, so this hook is
// a gate (security review M6), and Rust checks that each payload was approved here for the
// command it arrives with (see BOUND below). The hook lets
// through only the commands the UI makes (`commands.js`, generated from the command list), with
// only the argument names each takes and at most MAX_CHARS of arguments, and the two event
// calls the UI uses. Anything else becomes a call to `refused`, which changes nothing and
// answers with a clear error, so the caller is not left waiting. What each argument may hold is
// then checked again in Rust, and the capability file decides what may be called at all.

const COMMANDS = window.__HOLDFAST_COMMANDS__ || Object.freeze({});
// Added inside every payload let through: the command it was approved for. Only the payload is
// encrypted (the command name beside it is not), so Rust checks this name against the call's
// (holdfast_app::links::is_bound_to) and refuses a payload replayed under another command, or one
// that never came through here.
const BOUND = '__cmd';
// Tauri's own event calls, used by `listen` in the UI (the journal-locked event).
const PLUGIN_CALLS = new Set(['plugin:event|listen', 'plugin:event|unlisten']);
// Far above anything the UI sends (a note is at most a few thousand characters), far below what
// would make Rust's parser work hard.
const MAX_CHARS = 2 * 1024 * 1024;

function isPlainObject(value) {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

// Why the call is not one the UI makes, or null when it is.
function refusal(data) {
  const cmd = data.cmd;
  if (typeof cmd !== 'string') return 'no command named';
  if (PLUGIN_CALLS.has(cmd)) return null;
  if (!Object.prototype.hasOwnProperty.call(COMMANDS, cmd)) return 'unknown command';
  const payload = data.payload === undefined ? {} : data.payload;
  if (!isPlainObject(payload)) return 'arguments are not an object';
  const allowed = COMMANDS[cmd];
  for (const name of Object.keys(payload)) {
    if (name === BOUND || !allowed.includes(name)) return 'unexpected argument';
  }
  let size;
  try {
    size = JSON.stringify(payload).length;
  } catch {
    return 'arguments cannot be sent';
  }
  if (size > MAX_CHARS) return 'arguments too large';
  return null;
}

window.__TAURI_ISOLATION_HOOK__ = (data) => {
  const reason = refusal(data);
  if (reason === null) {
    // Tauri's own event calls go to its plugin, which does not read the name.
    if (PLUGIN_CALLS.has(data.cmd)) return data;
    return { ...data, payload: { ...(data.payload === undefined ? {} : data.payload), [BOUND]: data.cmd } };
  }
  return { ...data, cmd: 'refused', payload: { reason, [BOUND]: 'refused' } };
};
