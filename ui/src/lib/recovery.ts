// Typing back part of a recovery code, the way Rust reads codes: case, spaces and dashes don't
// matter, and O reads as 0, I and L as 1.

export const GROUPS = 6;

/** Two different groups (1-based, in order) to ask for. */
export function groupsToCheck(random: () => number = Math.random): number[] {
  const first = Math.floor(random() * GROUPS) + 1;
  let second = Math.floor(random() * (GROUPS - 1)) + 1;
  if (second >= first) second += 1;
  return [first, second].sort((a, b) => a - b);
}

export function normalizeGroup(input: string): string {
  return input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

/** Whether `typed` is group `group` (1-based) of `code`. */
export function groupMatches(code: string, group: number, typed: string): boolean {
  const want = code.split('-')[group - 1];
  return want !== undefined && normalizeGroup(typed) === want;
}
