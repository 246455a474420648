import { describe, expect, it } from 'vitest';
import { practiceOrder } from './practice';

describe('practiceOrder', () => {
  it('is a mixed-up permutation that never shows the real order', () => {
    for (let n = 2; n <= 12; n++) {
      const o = practiceOrder(n);
      expect([...o].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(o).not.toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });

  it('is stable and handles tiny lists', () => {
    expect(practiceOrder(6)).toEqual([5, 3, 1, 4, 2, 0]);
    expect(practiceOrder(1)).toEqual([0]);
    expect(practiceOrder(0)).toEqual([]);
  });
});
