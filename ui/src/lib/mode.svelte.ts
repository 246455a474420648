// Which path the app is on (personal or helper), shared by Home and Settings. Null until the
// person chooses at first run.
import { appMode, setAppMode, type AppMode } from './ipc';
import { errorText } from './errors';
import { boot } from './boot';

class ModeStore {
  // Known from the start when the shell handed it over (lib/boot.ts): Home then shows its
  // "Someone may be overdosing" button in its very first frame.
  value: AppMode | null = $state(boot?.mode ?? null);
  loaded = $state(boot !== null);
  /** Set when the choice could not be saved (it still holds until Holdfast closes). */
  error: string | null = $state(null);
  private loading: Promise<void> | null = null;

  /** Reads the saved choice once; later calls wait for the same read. */
  load(): Promise<void> {
    if (boot !== null) this.loading ??= Promise.resolve();
    this.loading ??= (async () => {
      try {
        this.value = await appMode();
      } catch {
        // Not known: Home offers the choice again.
        this.value = null;
      } finally {
        this.loaded = true;
      }
    })();
    return this.loading;
  }

  /** Switches path: shown at once, and saved when the data folder can be used. */
  async choose(mode: AppMode): Promise<void> {
    this.value = mode;
    this.loaded = true;
    try {
      this.value = await setAppMode(mode);
      this.error = null;
    } catch (e) {
      this.error = errorText(e);
    }
  }
}

export const mode = new ModeStore();
