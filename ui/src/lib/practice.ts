/**
 * The order practice mode shows `n` steps in: mixed up, but the same every time (so a person can
 * repeat a practice, and a test can rely on it), and never the real order when n > 1.
 */
export function practiceOrder(n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  if (n < 2) return order;
  // Odd positions first, then even ones, reversed: 5,3,1,4,2,0 for n = 6.
  const odd = order.filter((i) => i % 2 === 1).reverse();
  const even = order.filter((i) => i % 2 === 0).reverse();
  return [...odd, ...even];
}
