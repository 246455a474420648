// Words and links for the tolerance card: level names, action links, milestone names, the
// timeline's text alternative. Plain language, no shame, never an amount. (Break names: labels.ts.)
import type { Action, Fact, Item, Level, Timeline } from './bindings';
import { breakNames } from './labels';
import { hrefFor } from './router';
import { formatDate } from './time';

export const levelText: Record<Level, { title: string; tone: 'calm' | 'care' | 'alert' }> = {
  not_set: { title: 'Not set yet', tone: 'calm' },
  usual: { title: 'No break found', tone: 'calm' },
  raised: { title: 'Take extra care', tone: 'care' },
  high: { title: 'Higher risk of overdose', tone: 'alert' },
  highest: { title: 'Highest risk of overdose', tone: 'alert' },
};

/** The guide for a topic in the region's content, or the guide list. */
function guideFor(items: Item[], topic: string): string {
  const item = items.find((i) => i.topic === topic);
  return item ? hrefFor('guide', item.id) : hrefFor('guides');
}

export interface ActionLink {
  action: Action;
  label: string;
  href: string | null;
  note: string | null;
}

/** What each action offers: a link to its guidance, or a plain instruction. */
export function actionLink(action: Action, items: Item[]): ActionLink {
  switch (action) {
    case 'naloxone':
      return { action, label: 'Have naloxone with you', href: guideFor(items, 'naloxone'), note: null };
    case 'never_use_alone':
      return { action, label: "Don't use alone", href: guideFor(items, 'never-use-alone'), note: null };
    case 'treatment':
      return { action, label: 'Treatment with medicine', href: guideFor(items, 'treatment'), note: null };
    case 'crisis_lines':
      return { action, label: 'Talk to someone now', href: hrefFor('lines'), note: null };
    case 'talk_to_prescriber':
      return { action, label: 'Talk to your prescriber or pharmacist first', href: null, note: 'Before you take your old dose again.' };
    case 'see_clinic_before_dose':
      return { action, label: 'See your clinic before your next dose', href: null, note: 'Do not take your usual dose until they have seen you.' };
  }
}

export function milestoneName(days: number): string {
  if (days === 182) return '6 months';
  if (days === 365) return '1 year';
  if (days === 7) return '1 week';
  if (days === 14) return '2 weeks';
  return days === 1 ? '1 day' : `${days} days`;
}

export function sourceLine(fact: Fact): string {
  return fact.sources.map((s) => `${s.organisation}${s.year ? ` (${s.year})` : ''}: ${s.title}`).join('; ');
}

/** The timeline as a sentence or two, for screen readers and as its visible summary. */
export function timelineText(t: Timeline): string {
  const parts: string[] = [];
  parts.push(`From ${formatDate(t.firstDay)} to ${formatDate(t.lastDay)}:`);
  if (t.useDays.length === 0) parts.push('no use recorded.');
  else {
    const last = t.useDays[t.useDays.length - 1]!;
    parts.push(`use recorded on ${t.useDays.length} ${t.useDays.length === 1 ? 'day' : 'days'}, most recently ${formatDate(last)}.`);
  }
  for (const b of t.breaks) {
    const name = breakNames[b.kind.kind] ?? b.kind.kind;
    parts.push(`${name}: ${formatDate(b.from)}${b.ongoing ? ' and still going' : ` to ${formatDate(b.to)}`}.`);
  }
  return parts.join(' ');
}

/** Days from `first` to `day` (both YYYY-MM-DD), counting calendar days. */
export function dayIndex(first: string, day: string): number {
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / 86_400_000);
}
