// Times as the journal stores them: the UTC instant (whole seconds) and the local offset then.
import type { EventTime } from './bindings';

/** An EventTime for a Date, with this device's offset at that moment. */
export function eventTime(date: Date): EventTime {
  return {
    utc: date.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    offset_seconds: -date.getTimezoneOffset() * 60,
  };
}

/** Reads an `<input type="datetime-local">` value ("2026-11-20T21:30") as local time. */
export function fromLocalInput(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The value for a datetime-local input showing `date` in local time. */
export function toLocalInput(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}T${p(date.getHours())}:${p(date.getMinutes())}`;
}

/** The wall-clock time where the entry was made: "Fri 20 Nov 2026, 21:30". */
export function formatEventTime(at: EventTime): string {
  const shifted = new Date(Date.parse(at.utc) + at.offset_seconds * 1000);
  return shifted.toLocaleString(undefined, {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** "20 Nov 2026" for a calendar date "2026-11-20". */
export function formatDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  return d.toLocaleDateString(undefined, { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
}
