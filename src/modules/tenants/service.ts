/** Towns: who they are, and which town a request's host name belongs to. */
import type { Database } from '../../db/database.ts';
import type { Bilingual } from '../../db/schema.ts';
import type { Locale } from '../../platform/i18n.ts';
import * as repo from './repo.ts';

export interface Tenant {
  id: string;
  slug: string;
  name: Bilingual;
  timeZone: string;
  defaultLocale: Locale;
  branding: Record<string, string>;
  contactEmail: string | null;
}

type Row = NonNullable<Awaited<ReturnType<typeof repo.findBySlug>>>;

function toTenant(row: Row): Tenant {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    timeZone: row.time_zone,
    defaultLocale: row.default_locale,
    branding: row.branding,
    contactEmail: row.contact_email,
  };
}

export class TenantInputError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
  }
}

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;
const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export interface NewTenant {
  slug: string;
  name: Bilingual;
  hosts: string[];
  timeZone?: string;
  defaultLocale?: Locale;
  contactEmail?: string | null;
  branding?: Record<string, string>;
}

export function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Creates a town. Operator-only (command line, demo seed): callers are trusted, input is not. */
export async function createTenant(db: Database, input: NewTenant): Promise<Tenant> {
  if (!SLUG.test(input.slug)) throw new TenantInputError('slug', 'use 2 to 63 lowercase letters, digits or dashes');
  for (const lang of ['fr', 'en'] as const) {
    const name = input.name[lang]?.trim();
    if (!name || name.length > 200) throw new TenantInputError(`name-${lang}`, 'is required (at most 200 characters)');
  }
  const hosts = [...new Set(input.hosts.map((h) => h.trim().toLowerCase()))];
  for (const host of hosts) if (!HOST.test(host)) throw new TenantInputError('host', `"${host}" is not a host name`);
  const timeZone = input.timeZone ?? 'America/Toronto';
  if (!validTimeZone(timeZone)) throw new TenantInputError('time-zone', `"${timeZone}" is not a known time zone`);
  if (await repo.findBySlug(db.owner, input.slug)) throw new TenantInputError('slug', `a town "${input.slug}" already exists`);
  const taken = await repo.hostsTaken(db.owner, hosts);
  if (taken.length > 0) throw new TenantInputError('host', `already used by another town: ${taken.join(', ')}`);
  const row = await repo.insertTenant(
    db.owner,
    {
      slug: input.slug,
      name: { fr: input.name.fr.trim(), en: input.name.en.trim() },
      timeZone,
      defaultLocale: input.defaultLocale ?? 'fr',
      contactEmail: input.contactEmail ?? null,
      branding: input.branding ?? {},
    },
    hosts,
  );
  return toTenant(row);
}

export async function findTenantBySlug(db: Database, slug: string): Promise<Tenant | undefined> {
  const row = await repo.findBySlug(db.owner, slug);
  return row && toTenant(row);
}

export async function listTenants(db: Database): Promise<Array<Tenant & { hosts: string[] }>> {
  const rows = await repo.listAll(db.owner);
  return Promise.all(
    rows.map(async (row) => ({ ...toTenant(row), hosts: (await repo.listHosts(db.owner, row.id)).map((h) => h.host) })),
  );
}

/**
 * Finds the town a host name belongs to, falling back to the install's default town. Results are
 * kept a few seconds: towns change rarely and this runs on every request.
 */
export function tenantResolver(db: Database, defaultSlug: string | undefined, ttlMs = 10_000) {
  const cache = new Map<string, { tenant: Tenant | undefined; until: number }>();
  return async function resolve(hostHeader: string | undefined): Promise<Tenant | undefined> {
    const host = (hostHeader ?? '').toLowerCase().replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    const hit = cache.get(host);
    if (hit && hit.until > Date.now()) return hit.tenant;
    let row = HOST.test(host) || host.includes(':') ? await db.withoutTenant((trx) => repo.findByHost(trx, host)) : undefined;
    if (!row && defaultSlug) row = await db.withoutTenant((trx) => repo.findBySlug(trx, defaultSlug));
    const tenant = row && toTenant(row);
    if (cache.size > 10_000) cache.clear();
    cache.set(host, { tenant, until: Date.now() + ttlMs });
    return tenant;
  };
}
