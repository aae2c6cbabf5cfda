/** Date and time fields as staff type them (YYYY-MM-DDTHH:MM, the town's local time) and back. */

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/;

function offsetAt(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asLocal = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asLocal - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant a local date and time names in the zone; null when it is not a real one (or out of 2000–2200). */
export function localToInstant(value: string, timeZone: string): Date | null {
  const m = LOCAL.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (y < 2000 || y > 2200 || h > 23 || mi > 59) return null;
  const naive = Date.UTC(y, mo - 1, d, h, mi);
  const check = new Date(naive);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  // Two passes: the offset at the guess, then at the corrected instant (around a change of time).
  let at = new Date(naive - offsetAt(timeZone, new Date(naive)));
  at = new Date(naive - offsetAt(timeZone, at));
  return at;
}

/** An instant as a local date-time field value in the zone. */
export function instantToLocal(at: Date, timeZone: string): string {
  const local = new Date(at.getTime() + offsetAt(timeZone, at));
  return local.toISOString().slice(0, 16);
}

/** Adds whole days to a local date-time value, keeping the wall-clock time. */
export function addDaysLocal(value: string, days: number): string {
  const d = new Date(`${value.trim().replace(' ', 'T')}:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 16);
}
