import { describe, expect, it } from 'vitest';
import { trendPaths, trendSummary } from './trends';
import type { Trend } from './bindings';

const t = (vals: (number | null)[]): Trend => ({
  from: '2026-11-01',
  to: '2026-11-05',
  days_with_checkin: vals.filter((v) => v !== null).length,
  points: vals.map((v, i) => ({ date: `2026-11-0${i + 1}`, cravings: v, mood: v === null ? null : 3, sleep: null })),
});

describe('trend drawing', () => {
  it('breaks the line at a missed day instead of drawing a zero', () => {
    const p = trendPaths(t([2, 4, null, 6, 8]), 100, 100);
    expect(p.cravings).toHaveLength(2);
    expect(p.dots.filter((d) => d.kind === 'cravings')).toHaveLength(4);
  });

  it('draws a lone day as a dot only', () => {
    const p = trendPaths(t([null, 5, null, null, null]), 100, 100);
    expect(p.cravings).toHaveLength(0);
    expect(p.dots.filter((d) => d.kind === 'cravings')).toHaveLength(1);
  });

  it('describes the figures in words', () => {
    expect(trendSummary(t([null, null, null, null, null]))).toMatch(/No check-ins/);
    const s = trendSummary(t([2, 4, null, 6, 8]));
    expect(s).toMatch(/4 check-ins/);
    expect(s).toMatch(/cravings 8 of 10/);
    expect(s).toMatch(/Average cravings 5.0/);
  });
});
