/** Services and their form versions: all the SQL of application_services and application_form_versions. */
import { sql } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { ApplicationServiceKind, Bilingual } from '../../../db/schema.ts';

const SERVICE_COLUMNS = ['id', 'slug', 'kind', 'name', 'summary', 'department_id', 'target_days', 'active', 'position', 'created_at', 'updated_at'] as const;

export async function listServices(trx: Tx, tenantId: string, onlyActive: boolean) {
  let q = trx.selectFrom('application_services').select(SERVICE_COLUMNS).where('tenant_id', '=', tenantId);
  if (onlyActive) q = q.where('active', '=', true);
  return q.orderBy('position').orderBy(sql`name->>'fr'`).execute();
}

export async function findServiceById(trx: Tx, tenantId: string, id: string) {
  return trx.selectFrom('application_services').select(SERVICE_COLUMNS).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export async function findServiceBySlug(trx: Tx, tenantId: string, slug: string) {
  return trx.selectFrom('application_services').select(SERVICE_COLUMNS).where('tenant_id', '=', tenantId).where('slug', '=', slug).executeTakeFirst();
}

export interface NewService {
  slug: string;
  kind: ApplicationServiceKind;
  name: Bilingual;
  summary: Bilingual;
  departmentId: string | null;
  targetDays: number;
  active: boolean;
  /** The create form's key: the same key creates one service. */
  createKey?: string | null;
}

export async function findServiceByCreateKey(trx: Tx, tenantId: string, key: string) {
  return trx.selectFrom('application_services').select(SERVICE_COLUMNS).where('tenant_id', '=', tenantId).where('create_key', '=', key).executeTakeFirst();
}

/** Inserts the service unless its slug (or its create key) is taken (then undefined). */
export async function insertService(trx: Tx, tenantId: string, s: NewService) {
  return trx
    .insertInto('application_services')
    .values({
      tenant_id: tenantId,
      slug: s.slug,
      kind: s.kind,
      name: JSON.stringify(s.name),
      summary: JSON.stringify(s.summary),
      department_id: s.departmentId,
      target_days: s.targetDays,
      active: s.active,
      create_key: s.createKey ?? null,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
}

export async function updateService(trx: Tx, tenantId: string, id: string, s: Omit<NewService, 'slug' | 'createKey'>) {
  await trx
    .updateTable('application_services')
    .set({
      kind: s.kind,
      name: JSON.stringify(s.name),
      summary: JSON.stringify(s.summary),
      department_id: s.departmentId,
      target_days: s.targetDays,
      active: s.active,
      updated_at: sql`now()`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

const VERSION_COLUMNS = ['id', 'service_id', 'version', 'definition', 'published_at', 'created_at', 'updated_at'] as const;

export async function findVersion(trx: Tx, tenantId: string, id: string) {
  return trx.selectFrom('application_form_versions').select(VERSION_COLUMNS).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

/** The version residents start with: the latest published. */
export async function latestPublished(trx: Tx, tenantId: string, serviceId: string) {
  return trx
    .selectFrom('application_form_versions')
    .select(VERSION_COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('service_id', '=', serviceId)
    .where('published_at', 'is not', null)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function findDraft(trx: Tx, tenantId: string, serviceId: string) {
  return trx
    .selectFrom('application_form_versions')
    .select(VERSION_COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('service_id', '=', serviceId)
    .where('published_at', 'is', null)
    .executeTakeFirst();
}

export async function listVersions(trx: Tx, tenantId: string, serviceId: string) {
  return trx
    .selectFrom('application_form_versions')
    .select(['id', 'version', 'published_at', 'created_at', 'updated_at'])
    .where('tenant_id', '=', tenantId)
    .where('service_id', '=', serviceId)
    .orderBy('version', 'desc')
    .execute();
}

/** The next version as a draft (none may exist: the partial unique index refuses a second). */
export async function insertDraft(trx: Tx, tenantId: string, serviceId: string, definition: unknown, createdBy: string | null) {
  return trx
    .insertInto('application_form_versions')
    .values({
      tenant_id: tenantId,
      service_id: serviceId,
      version: sql<number>`(select coalesce(max(version), 0) + 1 from application_form_versions where tenant_id = ${tenantId} and service_id = ${serviceId})`,
      definition: JSON.stringify(definition),
      created_by: createdBy,
    })
    .returning(VERSION_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** Changes a draft's definition; false when the version is no longer a draft. */
export async function updateDraft(trx: Tx, tenantId: string, versionId: string, definition: unknown): Promise<boolean> {
  const r = await trx
    .updateTable('application_form_versions')
    .set({ definition: JSON.stringify(definition), updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', versionId)
    .where('published_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function publishDraft(trx: Tx, tenantId: string, versionId: string, by: string | null): Promise<boolean> {
  const r = await trx
    .updateTable('application_form_versions')
    .set({ published_at: sql`now()`, published_by: by, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', versionId)
    .where('published_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** The service's target time follows its published form. */
export async function setTargetDays(trx: Tx, tenantId: string, id: string, days: number) {
  await trx.updateTable('application_services').set({ target_days: days, updated_at: sql`now()` }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}
