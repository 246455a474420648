import { describe, expect, it } from 'vitest';
import { groupMatches, groupsToCheck, normalizeGroup } from './recovery';

describe('recovery code groups', () => {
  it('asks for two different groups in order, within range', () => {
    for (const [a, b] of [[0, 0], [0.99, 0.99], [0.5, 0.1], [0.1, 0.5]]) {
      let n = 0;
      const g = groupsToCheck(() => (n++ === 0 ? a! : b!));
      expect(g).toHaveLength(2);
      expect(g[0]).toBeLessThan(g[1]!);
      expect(g[0]).toBeGreaterThanOrEqual(1);
      expect(g[1]).toBeLessThanOrEqual(6);
    }
  });

  it('reads typed groups as Rust does', () => {
    expect(normalizeGroup(' ab-c0 ')).toBe('ABC0');
    expect(normalizeGroup('oil')).toBe('011');
    const code = 'ABCD-EF01-GH23-JK45-MN67-PQ89';
    expect(groupMatches(code, 2, 'ef0l')).toBe(true);
    expect(groupMatches(code, 2, 'EF02')).toBe(false);
    expect(groupMatches(code, 7, 'ABCD')).toBe(false);
  });
});
