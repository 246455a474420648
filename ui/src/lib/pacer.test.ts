import { describe, expect, it } from 'vitest';
import { beats, cycleMs, position } from './pacer';
import type { Pacer } from './bindings';

// The same figures as core/domain/src/response_tests.rs (`the_pacer_keeps_the_sources_rates`).
const breaths: Pacer = { kind: 'breaths', everyMs: 5000 };
const cpr: Pacer = { kind: 'compressions', perMinute: 110, perCycle: 30, breaths: 2, pauseMs: 5000 };

describe('pacer beats', () => {
  it('gives one breath every 5 seconds', () => {
    const b = beats(breaths, 0, 60_000);
    expect(b).toHaveLength(12);
    expect(b.every((x, i) => x.atMs === i * 5000 && x.kind === 'breath')).toBe(true);
  });

  it('gives 30 compressions at 110 a minute, then the breaths', () => {
    const b = beats(cpr, 0, cycleMs(cpr));
    const pushes = b.filter((x) => x.kind === 'compression');
    expect(pushes).toHaveLength(30);
    expect(pushes[1]!.atMs - pushes[0]!.atMs).toBe(545);
    expect(b.find((x) => x.kind === 'breath')).toEqual({ atMs: 30 * 545, kind: 'breath', count: 31 });
    expect(cycleMs(cpr)).toBe(30 * 545 + 5000);
  });

  it('sees the same beats in a window as in the whole', () => {
    const whole = beats(cpr, 0, 60_000).filter((x) => x.atMs >= 20_000 && x.atMs < 40_000);
    expect(beats(cpr, 20_000, 40_000)).toEqual(whole);
  });

  it('knows the last beat and the time since it', () => {
    const at = position(cpr, 1200);
    expect(at.beat?.count).toBe(3);
    expect(at.sinceMs).toBe(1200 - 2 * 545);
    expect(position(breaths, 7000).beat?.atMs).toBe(5000);
  });
});
