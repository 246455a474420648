// Drawing and describing the 30-day trend. Days without a check-in break the line (a gap, not a
// zero), and a lone day is drawn as a dot.
import type { Trend } from './bindings';
import { formatDate } from './time';

export interface Dot {
  x: number;
  y: number;
  kind: 'cravings' | 'mood';
}

/** SVG path strings for each unbroken run, and dots for every value. */
export function trendPaths(t: Trend, w: number, h: number): { cravings: string[]; mood: string[]; dots: Dot[] } {
  const n = Math.max(1, t.points.length - 1);
  const pad = 10;
  const x = (i: number) => pad + (i / n) * (w - 2 * pad);
  const yCravings = (v: number) => h - pad - (v / 10) * (h - 2 * pad);
  const yMood = (v: number) => h - pad - ((v - 1) / 4) * (h - 2 * pad);
  const runs = (pick: (i: number) => number | null, y: (v: number) => number, kind: Dot['kind'], dots: Dot[]) => {
    const out: string[] = [];
    let current: string[] = [];
    t.points.forEach((_, i) => {
      const v = pick(i);
      if (v === null) {
        if (current.length > 1) out.push(current.join(' '));
        current = [];
        return;
      }
      const px = x(i).toFixed(1);
      const py = y(v).toFixed(1);
      dots.push({ x: Number(px), y: Number(py), kind });
      current.push(`${current.length === 0 ? 'M' : 'L'}${px},${py}`);
    });
    if (current.length > 1) out.push(current.join(' '));
    return out;
  };
  const dots: Dot[] = [];
  const cravings = runs((i) => t.points[i]?.cravings ?? null, yCravings, 'cravings', dots);
  const mood = runs((i) => t.points[i]?.mood ?? null, yMood, 'mood', dots);
  return { cravings, mood, dots };
}

/** The trend in words: how many check-ins, and the latest cravings and mood. */
export function trendSummary(t: Trend): string {
  const days = t.points.filter((p) => p.cravings !== null || p.mood !== null);
  if (days.length === 0) return `No check-ins from ${formatDate(t.from)} to ${formatDate(t.to)} yet.`;
  const last = days[days.length - 1]!;
  const avg = (vals: (number | null)[]) => {
    const v = vals.filter((x): x is number => x !== null);
    return v.length ? (v.reduce((a, b) => a + b, 0) / v.length).toFixed(1) : '–';
  };
  return (
    `${days.length} check-in${days.length === 1 ? '' : 's'} from ${formatDate(t.from)} to ${formatDate(t.to)}. ` +
    `Latest, ${formatDate(last.date)}: cravings ${last.cravings ?? '–'} of 10, mood ${last.mood ?? '–'} of 5. ` +
    `Average cravings ${avg(days.map((p) => p.cravings))}, average mood ${avg(days.map((p) => p.mood))}.`
  );
}
