// The page's half of the start-up timeline (issue #18; Rust's half is core/app/src/startup.rs).
// Until the first screen a person can use has been painted, the page notes when its script
// started, when it mounted, and each IPC call it asked and got answered; then it sends these with
// the browser's own navigation and paint timings in `first_render`. Nothing is kept after that.
import type { StartupMark, StartupTimeline } from './bindings';

const MAX_MARKS = 64;
const marks: StartupMark[] = [];
/** A screen said it is ready; the marks go on until it has been painted. */
let asked = false;
let done = false;

/** Notes a moment of the start-up (ignored once the first screen has been reported). */
export function mark(name: string): void {
  if (!done && marks.length < MAX_MARKS - 16) marks.push({ name, atMs: performance.now() });
}

/** Whether the start-up is still being timed (lib/ipc.ts notes calls only until then). */
export function timing(): boolean {
  return !done;
}

/** The browser's navigation, isolation-frame and paint timings, as marks. */
function browserMarks(): StartupMark[] {
  const out: StartupMark[] = [];
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  if (nav) {
    out.push({ name: 'page requested', atMs: nav.fetchStart });
    out.push({ name: 'page received', atMs: nav.responseEnd });
    out.push({ name: 'DOM interactive', atMs: nav.domInteractive });
    out.push({ name: 'DOMContentLoaded done', atMs: nav.domContentLoadedEventEnd });
  }
  for (const r of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
    const file = r.name.split('/').pop() ?? r.name;
    const kind = r.initiatorType === 'iframe' ? 'isolation frame' : file.endsWith('.js') ? 'script' : '';
    if (kind) out.push({ name: `${kind} received`, atMs: r.responseEnd });
  }
  for (const p of performance.getEntriesByType('paint')) out.push({ name: p.name, atMs: p.startTime });
  return out.filter((m) => m.atMs > 0).slice(0, 16);
}

/** Runs `fn` just after the next frame has been painted: a frame callback runs before the
 * frame's paint, and a message posted from it is handled after that paint. (The blank baseline
 * app, tests/blank-app, times its first screen the same way.) */
function afterNextPaint(fn: () => void): void {
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = fn;
    channel.port2.postMessage(null);
  });
}

/** Once per page: once the screen has been painted, hands the timeline to `send`. Screens call
 * this when what a person needs first is in the page. */
export function firstScreenReady(send: (timeline: StartupTimeline) => Promise<unknown>): void {
  if (asked) return;
  asked = true;
  mark('first screen in the page');
  afterNextPaint(() => {
    done = true;
    marks.push({ name: 'first screen painted', atMs: performance.now() });
    const all = [...browserMarks(), ...marks].slice(0, MAX_MARKS);
    send({ nowMs: performance.now(), marks: all }).catch(() => undefined);
  });
}
