import { describe, expect, it } from 'vitest';
import { actionLink, dayIndex, levelText, milestoneName, timelineText } from './tolerance';
import type { Item } from './bindings';

describe('tolerance words', () => {
  it('names every level calmly, with no failure words', () => {
    for (const l of Object.values(levelText)) {
      expect(l.title).not.toMatch(/fail|relapse|clean|dirty|abuse/i);
    }
    expect(levelText.highest.tone).toBe('alert');
  });

  it('links actions to the region guide, or the list when there is none', () => {
    const items = [{ id: 'naloxone-us', topic: 'naloxone' }] as unknown as Item[];
    expect(actionLink('naloxone', items).href).toBe('#/guide/naloxone-us');
    expect(actionLink('never_use_alone', items).href).toBe('#/guides');
    expect(actionLink('crisis_lines', items).href).toBe('#/lines');
    expect(actionLink('see_clinic_before_dose', items).href).toBeNull();
  });

  it('names milestones', () => {
    expect(milestoneName(1)).toBe('1 day');
    expect(milestoneName(7)).toBe('1 week');
    expect(milestoneName(182)).toBe('6 months');
    expect(milestoneName(365)).toBe('1 year');
    expect(milestoneName(30)).toBe('30 days');
  });

  it('describes the timeline in words', () => {
    const text = timelineText({
      firstDay: '2026-08-26',
      lastDay: '2026-11-23',
      useDays: ['2026-11-01', '2026-11-13'],
      breaks: [{ kind: { kind: 'prison_release' }, from: '2026-11-14', to: '2026-11-23', ongoing: true }],
    });
    expect(text).toMatch(/2 days/);
    expect(text).toMatch(/Released from jail or prison/);
    expect(text).toMatch(/still going/);
    expect(dayIndex('2026-08-26', '2026-11-23')).toBe(89);
    expect(timelineText({ firstDay: '2026-08-26', lastDay: '2026-11-23', useDays: [], breaks: [] })).toMatch(/no use recorded/);
  });
});
