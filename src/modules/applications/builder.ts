/**
 * Administrators define services and their forms: create or change a service, edit the draft
 * version of its form, publish it. A published version never changes; editing after a publication
 * starts a new draft, copied from the latest published version. Applications keep their version.
 */
import type { Database } from '../../db/database.ts';
import type { Bilingual } from '../../db/schema.ts';
import { recordAudit } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { ensure, type Caller } from '../../platform/permissions.ts';
import type { Tenant } from '../tenants/service.ts';
import { toService, toVersion, type ApplicationService, type ApplicationServiceKind, type FormVersion } from './domain.ts';
import { emptyDefinition, parseDefinition, type DefinitionProblem, type FormDefinition } from './engine/index.ts';
import * as repo from './repo.ts';

/** A staff member at work in one town (the principal must be theirs). */
export interface StaffCaller extends Caller {
  tenant: Tenant;
}

const staffId = (c: Caller) => (c.principal.kind === 'staff' ? c.principal.id : null);
const actor = (c: Caller) => ({ kind: 'staff' as const, id: staffId(c) });

async function manage(c: StaffCaller): Promise<string> {
  await ensure(c, 'applicationService.manage');
  if (c.principal.tenantId !== c.tenant.id) throw new AppError('forbidden', 'caller and town differ');
  return c.tenant.id;
}

export interface ServiceInput {
  slug: string;
  kind: ApplicationServiceKind;
  name: Bilingual;
  summary: Bilingual;
  departmentId: string | null;
  targetDays: number;
  active: boolean;
}

export type CreateServiceResult = { ok: true; service: ApplicationService; created: boolean } | { ok: false; reason: 'slugTaken' };

/** Creates a service with an empty draft form (version 1); it is offered once a version is published. */
export async function createService(
  c: StaffCaller,
  input: ServiceInput & { createKey?: string | null },
  definition: FormDefinition = emptyDefinition(input.targetDays),
): Promise<CreateServiceResult> {
  const tenantId = await manage(c);
  return c.db.withTenant(tenantId, async (trx) => {
    const row = await repo.insertService(trx, tenantId, input);
    if (!row) {
      const same = input.createKey ? await repo.findServiceByCreateKey(trx, tenantId, input.createKey) : undefined;
      return same ? { ok: true as const, service: toService(same), created: false } : { ok: false as const, reason: 'slugTaken' as const };
    }
    await repo.insertDraft(trx, tenantId, row.id, definition, staffId(c));
    await recordAudit(trx, { tenantId, actor: actor(c), action: 'applicationService.created', subject: { kind: 'application_service', id: row.id }, ip: c.ip, details: { slug: input.slug } });
    return { ok: true as const, service: toService((await repo.findServiceById(trx, tenantId, row.id))!), created: true };
  });
}

export async function updateService(c: StaffCaller, serviceId: string, input: Omit<ServiceInput, 'slug'>): Promise<ApplicationService> {
  const tenantId = await manage(c);
  return c.db.withTenant(tenantId, async (trx) => {
    const before = await repo.findServiceById(trx, tenantId, serviceId);
    if (!before) throw new AppError('notFound', 'service');
    await repo.updateService(trx, tenantId, serviceId, input);
    await recordAudit(trx, { tenantId, actor: actor(c), action: 'applicationService.updated', subject: { kind: 'application_service', id: serviceId }, ip: c.ip });
    return toService((await repo.findServiceById(trx, tenantId, serviceId))!);
  });
}

export async function listServicesForAdmin(c: StaffCaller): Promise<Array<{ service: ApplicationService; publishedVersion: number | null }>> {
  const tenantId = await manage(c);
  return c.db.withTenant(tenantId, async (trx) => {
    const out = [];
    for (const row of await repo.listServices(trx, tenantId, false)) {
      out.push({ service: toService(row), publishedVersion: (await repo.latestPublished(trx, tenantId, row.id))?.version ?? null });
    }
    return out;
  });
}

export interface ServiceForBuilder {
  service: ApplicationService;
  /** The draft being edited (created from the latest published version when there was none). */
  draft: FormVersion;
  published: FormVersion | null;
  versions: Array<{ id: string; version: number; publishedAt: Date | null }>;
}

/** The service, its draft and its versions; opens a draft (copy of the latest published) when none is open. */
export async function serviceForBuilder(c: StaffCaller, serviceId: string): Promise<ServiceForBuilder> {
  const tenantId = await manage(c);
  return c.db.withTenant(tenantId, async (trx) => {
    const service = await repo.findServiceById(trx, tenantId, serviceId);
    if (!service) throw new AppError('notFound', 'service');
    const published = await repo.latestPublished(trx, tenantId, serviceId);
    const draft = (await repo.findDraft(trx, tenantId, serviceId)) ?? (await repo.insertDraft(trx, tenantId, serviceId, published?.definition ?? emptyDefinition(service.target_days), staffId(c)));
    const versions = (await repo.listVersions(trx, tenantId, serviceId)).map((v) => ({ id: v.id, version: v.version, publishedAt: v.published_at }));
    return { service: toService(service), draft: toVersion(draft), published: published ? toVersion(published) : null, versions };
  });
}

export type SaveDefinitionResult = { ok: true; draft: FormVersion } | { ok: false; problems: DefinitionProblem[] };

/** Replaces the draft's definition (checked by the engine first); opens a draft when none is open. */
export async function saveDraftDefinition(c: StaffCaller, serviceId: string, definition: unknown): Promise<SaveDefinitionResult> {
  const tenantId = await manage(c);
  const parsed = parseDefinition(definition);
  if (!parsed.ok) return parsed;
  return c.db.withTenant(tenantId, async (trx) => {
    const service = await repo.findServiceById(trx, tenantId, serviceId);
    if (!service) throw new AppError('notFound', 'service');
    let draft = await repo.findDraft(trx, tenantId, serviceId);
    if (!draft) draft = await repo.insertDraft(trx, tenantId, serviceId, parsed.definition, staffId(c));
    else await repo.updateDraft(trx, tenantId, draft.id, parsed.definition);
    await recordAudit(trx, { tenantId, actor: actor(c), action: 'applicationService.updated', subject: { kind: 'application_service', id: serviceId }, ip: c.ip, details: { version: draft.version } });
    return { ok: true as const, draft: toVersion((await repo.findVersion(trx, tenantId, draft.id))!) };
  });
}

export type PublishResult = { ok: true; version: FormVersion } | { ok: false; problems: DefinitionProblem[] } | { ok: false; reason: 'noDraft' | 'noQuestions' };

/** Publishes the draft: from now on residents start with it; applications already started keep theirs. */
export async function publishVersion(c: StaffCaller, serviceId: string): Promise<PublishResult> {
  const tenantId = await manage(c);
  return c.db.withTenant(tenantId, async (trx) => {
    const service = await repo.findServiceById(trx, tenantId, serviceId);
    if (!service) throw new AppError('notFound', 'service');
    const draft = await repo.findDraft(trx, tenantId, serviceId);
    if (!draft) return { ok: false as const, reason: 'noDraft' as const };
    const parsed = parseDefinition(draft.definition);
    if (!parsed.ok) return parsed;
    if (parsed.definition.pages.every((p) => p.questions.length === 0)) return { ok: false as const, reason: 'noQuestions' as const };
    await repo.publishDraft(trx, tenantId, draft.id, staffId(c));
    await repo.setTargetDays(trx, tenantId, serviceId, parsed.definition.targetDays);
    await recordAudit(trx, { tenantId, actor: actor(c), action: 'applicationService.published', subject: { kind: 'application_service', id: serviceId }, ip: c.ip, details: { version: draft.version } });
    return { ok: true as const, version: toVersion((await repo.findVersion(trx, tenantId, draft.id))!) };
  });
}

/**
 * An operator's act (demo seed, command line): creates a service and publishes its form as version
 * 1, unless a service with this slug exists (then nothing changes). Not a use case of the pages.
 */
export async function seedPublishedService(db: Database, tenantId: string, input: ServiceInput, definition: FormDefinition): Promise<boolean> {
  const parsed = parseDefinition(definition);
  if (!parsed.ok) throw new Error(`invalid form for ${input.slug}: ${JSON.stringify(parsed.problems)}`);
  return db.withTenant(tenantId, async (trx) => {
    const row = await repo.insertService(trx, tenantId, input);
    if (!row) return false;
    const draft = await repo.insertDraft(trx, tenantId, row.id, parsed.definition, null);
    await repo.publishDraft(trx, tenantId, draft.id, null);
    await recordAudit(trx, { tenantId, actor: { kind: 'system' }, action: 'applicationService.published', subject: { kind: 'application_service', id: row.id }, details: { version: 1, slug: input.slug } });
    return true;
  });
}
