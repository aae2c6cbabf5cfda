/** What the review's use cases share: who calls, loading an application with its permission check. */
import type { Database, Tx } from '../../../db/database.ts';
import { AppError } from '../../../platform/errors.ts';
import { ensure, type Principal, type StaffPrincipalOf } from '../../../platform/permissions.ts';
import type { Tenant } from '../../tenants/service.ts';
import { toApplication, type Application } from '../domain.ts';
import * as appsRepo from '../repo.ts';

/** A staff member reviewing in one town. baseUrl: the town's address as residents reach it (links, QR codes). */
export interface ReviewCaller {
  db: Database;
  tenant: Tenant;
  principal: StaffPrincipalOf;
  ip: string | null;
  baseUrl: string;
}

/** A signed-in resident acting on their own application. */
export interface ApplicantCaller {
  db: Database;
  tenant: Tenant;
  principal: Extract<Principal, { kind: 'resident' }>;
  ip: string | null;
  baseUrl: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function findApplicationIn(trx: Tx, tenantId: string, id: string): Promise<Application | null> {
  if (!UUID.test(id)) return null;
  const row = await appsRepo.findApplication(trx, tenantId, id);
  return row ? toApplication(row) : null;
}

/**
 * Loads a town's application (404 when the town has none with this id, or it is still a draft
 * nobody but its author may see) and checks the caller may act on it: 'record.update' for staff
 * (their departments; managers and administrators every department), 'record.submit' for its
 * applicant. Call outside any transaction: a refusal is audited in a transaction of its own.
 */
export async function loadFor(c: ReviewCaller | ApplicantCaller, id: string): Promise<Application> {
  if (c.principal.tenantId !== c.tenant.id) throw new AppError('forbidden', 'caller and town differ');
  const a = await c.db.withTenant(c.tenant.id, (trx) => findApplicationIn(trx, c.tenant.id, id));
  if (!a || (a.status === 'draft' && c.principal.kind === 'staff')) throw new AppError('notFound');
  // Another resident's application looks like no application at all.
  if (c.principal.kind === 'resident' && a.residentId !== c.principal.id) throw new AppError('notFound');
  const resource = { kind: 'residentRecord' as const, tenantId: c.tenant.id, id: a.id, residentId: a.residentId, departmentId: a.departmentId };
  await ensure(c, c.principal.kind === 'staff' ? 'record.update' : 'record.submit', resource);
  return a;
}

export const staffActor = (c: ReviewCaller) => ({ kind: 'staff' as const, id: c.principal.id });
