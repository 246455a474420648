// What the shell hands the page before any IPC (core/app/src/startup.rs, `BootData`): the saved
// mode and the region, so the first screen needs no round trip. Null when the page was opened
// without it (an older shell, or a test page).
import type { BootData } from './bindings';

declare global {
  interface Window {
    __HOLDFAST_BOOT__?: BootData;
  }
}

/** The shell's script holds what was true when the window opened; after a reload of the page
 * the settings may have changed since, so they are asked for again. */
function reloaded(): boolean {
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  return nav?.type === 'reload';
}

export const boot: BootData | null =
  typeof window !== 'undefined' && !reloaded() ? (window.__HOLDFAST_BOOT__ ?? null) : null;
