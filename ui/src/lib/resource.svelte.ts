// The shared state of the journal screens: a form's work in progress and its error, and data read
// from the journal that never outlives the lock. Screens no longer write their own load/reload.
import { errorText } from './errors';
import { journal, whileUnlocked } from './journal.svelte';

/** A form's work in progress and its last error. */
export class Task {
  busy = $state(false);
  error: string | null = $state(null);

  /** Runs `work`; what it throws becomes `error`. Returns whether it worked. */
  async attempt(work: () => Promise<unknown>): Promise<boolean> {
    try {
      await work();
      return true;
    } catch (e) {
      this.error = errorText(e);
      return false;
    }
  }

  /** The same for a submit: `busy` while it runs, and the last error cleared first. */
  async run(work: () => Promise<unknown>): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      return await this.attempt(work);
    } finally {
      this.busy = false;
    }
  }
}

export interface ResourceHooks<T> {
  /** After each read, with the answer (to fill a form's drafts from it, say). */
  loaded?: (data: T) => void;
  /** On lock, after the data is dropped: drop the screen's drafts too. */
  cleared?: () => void;
}

/**
 * Data a screen reads from the journal. Create it while the component is set up (it registers
 * `whileUnlocked`): it reads whenever the journal is or becomes unlocked, and on lock drops the
 * data, and also an answer that arrives after the lock.
 */
export class JournalResource<T> extends Task {
  #data: T | null = $state.raw(null);
  readonly #read: () => Promise<T>;
  readonly #hooks: ResourceHooks<T>;

  constructor(read: () => Promise<T>, hooks: ResourceHooks<T> = {}) {
    super();
    this.#read = read;
    this.#hooks = hooks;
    whileUnlocked(
      () => void this.load(),
      () => {
        this.#data = null;
        this.#hooks.cleared?.();
      },
    );
  }

  get data(): T | null {
    return this.#data;
  }

  async load(): Promise<void> {
    if (!journal.unlocked) return;
    try {
      const data = await this.#read();
      // It may have locked while this was on its way.
      if (!journal.unlocked) return;
      this.#data = data;
      this.error = null;
      this.#hooks.loaded?.(data);
    } catch (e) {
      this.error = errorText(e);
    }
  }

  /** Runs a change, then reads again; a refusal is shown in `error` and nothing else changes. */
  change(work: () => Promise<unknown>): Promise<boolean> {
    return this.attempt(async () => {
      await work();
      await this.load();
    });
  }
}
