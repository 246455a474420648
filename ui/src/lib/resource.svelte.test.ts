import { afterEach, describe, expect, it } from 'vitest';
import { journal } from './journal.svelte';
import { JournalResource, Task } from './resource.svelte';
import type { SessionInfo } from './ipc';

const setLock = (state: SessionInfo['lock']['state']) => {
  journal.info = { lock: { state } } as SessionInfo;
};

/** A read whose answer the test gives when it likes. */
function pending<T>() {
  let answer: (v: T) => void = () => undefined;
  const read = () => new Promise<T>((resolve) => (answer = resolve));
  return { read, answer: (v: T) => answer(v) };
}

afterEach(() => {
  journal.info = null;
});

describe('JournalResource', () => {
  it('reads only while unlocked', async () => {
    let reads = 0;
    const r = new JournalResource(async () => ++reads);
    setLock('locked');
    await r.load();
    expect(reads).toBe(0);
    setLock('unlocked');
    await r.load();
    expect(r.data).toBe(1);
  });

  it('drops an answer that arrives after the lock', async () => {
    setLock('unlocked');
    const p = pending<string>();
    let seen: string | null = null;
    const r = new JournalResource(p.read, { loaded: (d) => (seen = d) });
    const loading = r.load();
    setLock('locked');
    p.answer('private');
    await loading;
    expect(r.data).toBeNull();
    expect(seen).toBeNull();
  });

  it('keeps a read error as text and clears it on the next read', async () => {
    setLock('unlocked');
    let fail = true;
    const r = new JournalResource(async () => {
      if (fail) throw { code: 'internal', message: 'Could not read.' };
      return 'ok';
    });
    await r.load();
    expect(r.error).toBe('Could not read.');
    fail = false;
    await r.load();
    expect(r.error).toBeNull();
    expect(r.data).toBe('ok');
  });

  it('reads again after a change, and says whether the change worked', async () => {
    setLock('unlocked');
    let n = 0;
    const r = new JournalResource(async () => n);
    await r.load();
    expect(await r.change(async () => (n = 5))).toBe(true);
    expect(r.data).toBe(5);
    expect(
      await r.change(async () => {
        throw new Error('Refused.');
      }),
    ).toBe(false);
    expect(r.error).toBe('Refused.');
    expect(r.data).toBe(5);
  });
});

describe('Task', () => {
  it('is busy while a submit runs, and clears the last error first', async () => {
    const t = new Task();
    t.error = 'old';
    const p = pending<void>();
    const running = t.run(p.read);
    expect(t.busy).toBe(true);
    expect(t.error).toBeNull();
    p.answer();
    expect(await running).toBe(true);
    expect(t.busy).toBe(false);
  });

  it('keeps the error of a failed attempt and leaves busy alone', async () => {
    const t = new Task();
    const ok = await t.attempt(async () => {
      throw new Error('No.');
    });
    expect(ok).toBe(false);
    expect(t.error).toBe('No.');
    expect(t.busy).toBe(false);
  });
});
