/** HTTP details of the review pages: the town's own address, headers for files shown in frames, local times. */
import type { FastifyRequest } from 'fastify';

/**
 * The town's address as the request reached it (scheme from PUBLIC_URL, host from the request):
 * links and QR codes then lead to this town, also when one installation serves several.
 */
export function townBaseUrl(req: FastifyRequest, publicUrl: string): string {
  const scheme = new URL(publicUrl).protocol;
  return `${scheme}//${req.host}`;
}

/**
 * A file shown inside the review page (an <iframe> for PDFs, an <img> for pictures): framed by
 * this site only, nothing in it runs, never cached, never sniffed as another type.
 */
export const FILE_HEADERS = {
  'content-security-policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'",
  'x-frame-options': 'SAMEORIGIN',
  'x-content-type-options': 'nosniff',
  'cache-control': 'private, no-store',
  'cross-origin-resource-policy': 'same-origin',
} as const;

function offsetMs(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - at;
}

/** A wall-clock date (YYYY-MM-DD) and time (HH:MM, 24 h) in a time zone as an instant; null when malformed. */
export function zonedDateTime(day: string, time: string, timeZone: string): Date | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const h = /^([01]?\d|2[0-3])[:h]([0-5]\d)$/.exec(time.trim());
  if (!d || !h) return null;
  const [y, m, dd] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const guess = Date.UTC(y, m - 1, dd, Number(h[1]), Number(h[2]));
  const check = new Date(guess);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== dd) return null;
  const first = guess - offsetMs(guess, timeZone);
  return new Date(guess - offsetMs(first, timeZone));
}
