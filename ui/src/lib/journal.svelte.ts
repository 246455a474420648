// The journal's lock state, shared by every screen. It follows Rust: after each call that can
// change it, and when Rust says the journal locked itself after a quiet spell.
import { listen } from '@tauri-apps/api/event';
import { lock as lockNow, sessionInfo, touch, whenLocked, type SessionInfo } from './ipc';
import { errorText } from './errors';

/** Send activity to Rust at most this often (it postpones the idle lock). */
export const TOUCH_EVERY_MS = 15_000;

class JournalStore {
  info: SessionInfo | null = $state(null);
  error: string | null = $state(null);
  /** Set when the journal locked itself, so the lock screen can say why. */
  lockedForIdle = $state(false);
  private lastTouch = 0;
  private started = false;

  get state(): SessionInfo['lock']['state'] | null {
    return this.info?.lock.state ?? null;
  }

  get unlocked(): boolean {
    return this.state === 'unlocked';
  }

  async refresh(): Promise<void> {
    try {
      this.info = await sessionInfo();
      this.error = null;
    } catch (e) {
      this.error = errorText(e);
    }
  }

  /** Takes a new state returned by a command. */
  set(info: SessionInfo): void {
    this.info = info;
    this.error = null;
    if (info.lock.state === 'unlocked') this.lockedForIdle = false;
  }

  async lock(): Promise<void> {
    try {
      this.set(await lockNow());
    } catch (e) {
      this.error = errorText(e);
    }
  }

  /** Called on taps and keys; tells Rust now and then. */
  activity(now = Date.now()): void {
    if (!this.unlocked || now - this.lastTouch < TOUCH_EVERY_MS) return;
    this.lastTouch = now;
    touch().catch(() => {
      /* the next refresh will show any problem */
    });
  }

  /** Loads the state and starts listening; once. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    whenLocked(() => {
      if (this.unlocked) void this.refresh();
    });
    await this.refresh();
    try {
      await listen('journal-locked', () => {
        this.lockedForIdle = true;
        void this.refresh();
      });
    } catch {
      // Without the event the idle lock still happens in Rust; the next command shows it.
    }
    const onActivity = () => this.activity();
    for (const type of ['pointerdown', 'keydown', 'wheel', 'touchstart']) {
      window.addEventListener(type, onActivity, { passive: true, capture: true });
    }
  }
}

export const journal = new JournalStore();

/**
 * For a screen that shows journal data: call once while the component is set up. `open` runs
 * whenever the journal is (or becomes) unlocked; `clear` runs whenever it is locked (by hand or
 * after idle time), and must drop everything read from the journal and everything typed, so no
 * screen keeps personal data on a locked journal.
 */
export function whileUnlocked(open: () => void, clear: () => void): void {
  $effect(() => {
    if (journal.unlocked) open();
    else clear();
  });
}
