/** "Do I need a permit?" pre-checks: the SQL of application_prechecks. */
import { sql } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { Bilingual } from '../../../db/schema.ts';

export async function listPrechecks(trx: Tx, tenantId: string) {
  return trx.selectFrom('application_prechecks').select(['id', 'slug', 'title', 'definition']).where('tenant_id', '=', tenantId).where('active', '=', true).orderBy('slug').execute();
}

export async function findPrecheck(trx: Tx, tenantId: string, slug: string) {
  return trx
    .selectFrom('application_prechecks')
    .select(['id', 'slug', 'title', 'definition'])
    .where('tenant_id', '=', tenantId)
    .where('slug', '=', slug)
    .where('active', '=', true)
    .executeTakeFirst();
}

export async function upsertPrecheck(trx: Tx, tenantId: string, p: { slug: string; title: Bilingual; definition: unknown }): Promise<string> {
  const row = await trx
    .insertInto('application_prechecks')
    .values({ tenant_id: tenantId, slug: p.slug, title: JSON.stringify(p.title), definition: JSON.stringify(p.definition) })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'slug']).doUpdateSet({ title: JSON.stringify(p.title), definition: JSON.stringify(p.definition), active: true, updated_at: sql`now()` }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
