import { describe, expect, it } from 'vitest';
import { eventTime, formatDate, formatEventTime, fromLocalInput, toLocalInput } from './time';

describe('journal times', () => {
  it('keeps whole seconds in UTC and the local offset', () => {
    const d = new Date(Date.UTC(2026, 10, 20, 21, 30, 15, 678));
    const et = eventTime(d);
    expect(et.utc).toBe('2026-11-20T21:30:15Z');
    expect(et.offset_seconds).toBe(-d.getTimezoneOffset() * 60);
  });

  it('reads and writes datetime-local values as local time', () => {
    const d = fromLocalInput('2026-03-08T02:30');
    expect(d).not.toBeNull();
    expect(toLocalInput(fromLocalInput('2026-11-20T21:05')!)).toBe('2026-11-20T21:05');
    expect(fromLocalInput('yesterday')).toBeNull();
    expect(fromLocalInput('')).toBeNull();
  });

  it('shows the wall-clock time where the entry was made', () => {
    // 23:30 UTC at UTC-5 was 18:30 there, whatever zone this test runs in.
    const text = formatEventTime({ utc: '2026-11-20T23:30:00Z', offset_seconds: -5 * 3600 });
    expect(text).toMatch(/18:30|6:30/);
    expect(text).toMatch(/20/);
    expect(formatDate('2026-11-20')).toMatch(/2026/);
    expect(formatDate('nonsense')).toBe('nonsense');
  });
});
