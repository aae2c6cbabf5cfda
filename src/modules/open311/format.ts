/**
 * How Open311 answers: the format from the path's extension (.xml, the standard's default, or
 * .json), the spec's error list, and dates in ISO 8601 with the town's offset.
 */
import type { FastifyReply } from 'fastify';
import { toXml, type ItemNames, type XmlValue } from './xml.ts';

export type Format = 'xml' | 'json';

/** "services.json" → { name: "services", format: "json" }; no extension → XML. Unknown extension → null. */
export function splitFormat(file: string): { name: string; format: Format } | null {
  const dot = file.lastIndexOf('.');
  if (dot < 0) return { name: file, format: 'xml' };
  const ext = file.slice(dot + 1).toLowerCase();
  if (ext !== 'xml' && ext !== 'json') return null;
  return { name: file.slice(0, dot), format: ext };
}

/** The path's extension only, for errors raised before the route is known. */
export function formatOfUrl(url: string): Format {
  const path = url.split('?')[0] ?? '';
  return /\.json$/i.test(path) ? 'json' : 'xml';
}

/** What an Open311 error says: the HTTP status as its code, and a description. */
export interface Open311Error {
  code: number;
  description: string;
}

export class Open311Failure extends Error {
  constructor(
    readonly status: number,
    readonly errors: Open311Error[],
  ) {
    super(errors.map((e) => e.description).join('; '));
    this.name = 'Open311Failure';
  }
}

export const fail = (status: number, description: string) => new Open311Failure(status, [{ code: status, description }]);

/** Sends a value as JSON or as XML under `root` (arrays named by `items`). */
export function send(reply: FastifyReply, format: Format, status: number, value: XmlValue, root: string, items: ItemNames): FastifyReply {
  reply.status(status).header('cache-control', 'no-store');
  if (format === 'json') return reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(value));
  return reply.header('content-type', 'text/xml; charset=utf-8').send(toXml(root, value, items));
}

export function sendErrors(reply: FastifyReply, format: Format, status: number, errors: Open311Error[]): FastifyReply {
  return send(reply, format, status, errors as unknown as XmlValue, 'errors', { errors: 'error' });
}

/** 2026-11-27T09:05:00-05:00: the instant in the town's time zone, with its offset. */
export function isoWithOffset(date: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'longOffset',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const zone = get('timeZoneName').replace(/^GMT/, '');
  const offset = zone === '' ? '+00:00' : zone.length === 3 ? `${zone}:00` : zone;
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}${offset}`;
}

/** Parses an ISO 8601 date-time from a query (a date alone is midnight UTC); null when malformed. */
export function parseDateTime(text: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return null;
  const d = new Date(text.replace(' ', 'T'));
  return Number.isNaN(d.getTime()) ? null : d;
}
