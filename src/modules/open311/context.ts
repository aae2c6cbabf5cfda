/** What every Open311 handler gets: the town, the language, the format, the caller. */
import type { FastifyRequest } from 'fastify';
import type { Locale, Translate } from '../../platform/i18n.ts';
import type { RequestsCaller } from '../requests/service.ts';
import type { Tenant } from '../tenants/service.ts';
import type { Format } from './format.ts';

export interface Open311Context {
  tenant: Tenant;
  locale: Locale;
  t: Translate;
  format: Format;
  caller: RequestsCaller;
  /** e.g. https://services.example.ca (no trailing slash). */
  origin: string;
}

const NONE: Record<string, unknown> = {};

/** A parameter from the query string or, for POST, the form body (one value; the first of several). */
export function param(req: FastifyRequest, name: string): string | undefined {
  for (const source of [req.body, req.query] as unknown[]) {
    const raw = ((source ?? NONE) as Record<string, unknown>)[name];
    const value: unknown = Array.isArray(raw) ? (raw as unknown[])[0] : raw;
    if (typeof value === 'string') return value;
  }
  return undefined;
}

