import type { Kysely } from 'kysely';
import type { DB, Bilingual } from '../../db/schema.ts';
import type { Tx } from '../../db/database.ts';

const columns = ['tenants.id', 'slug', 'name', 'time_zone', 'default_locale', 'branding', 'contact_email'] as const;

export function findByHost(trx: Tx, host: string) {
  return trx
    .selectFrom('tenant_hosts')
    .innerJoin('tenants', 'tenants.id', 'tenant_hosts.tenant_id')
    .select(columns)
    .where('tenant_hosts.host', '=', host)
    .executeTakeFirst();
}

export function findBySlug(trx: Tx | Kysely<DB>, slug: string) {
  return trx.selectFrom('tenants').select(columns).where('slug', '=', slug).executeTakeFirst();
}

export function listAll(db: Kysely<DB>) {
  return db.selectFrom('tenants').select(columns).orderBy('slug').execute();
}

export function listHosts(db: Kysely<DB>, tenantId: string) {
  return db.selectFrom('tenant_hosts').select('host').where('tenant_id', '=', tenantId).orderBy('host').execute();
}

export interface NewTenantRow {
  slug: string;
  name: Bilingual;
  timeZone: string;
  defaultLocale: 'fr' | 'en';
  contactEmail: string | null;
  branding: Record<string, string>;
}

/** Creating a town is an operator's act (command line, seed): it runs with the owner handle. */
export async function insertTenant(db: Kysely<DB>, row: NewTenantRow, hosts: string[]) {
  return db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto('tenants')
      .values({
        slug: row.slug,
        name: JSON.stringify(row.name),
        time_zone: row.timeZone,
        default_locale: row.defaultLocale,
        contact_email: row.contactEmail,
        branding: JSON.stringify(row.branding),
      })
      .returning(columns)
      .executeTakeFirstOrThrow();
    if (hosts.length > 0) {
      await trx.insertInto('tenant_hosts').values(hosts.map((host) => ({ host, tenant_id: created.id }))).execute();
    }
    return created;
  });
}

export async function hostsTaken(db: Kysely<DB>, hosts: string[]) {
  if (hosts.length === 0) return [];
  const rows = await db.selectFrom('tenant_hosts').select('host').where('host', 'in', hosts).execute();
  return rows.map((r) => r.host);
}
