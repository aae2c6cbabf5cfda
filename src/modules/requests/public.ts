/**
 * Service requests as anyone may see them (the Open311 API's read side): no contact, no answers,
 * no internal notes. The latest public note stands for Open311's status_notes; the expected date
 * comes from how long the type actually took recently (see expected.ts).
 */
import { AppError } from '../../platform/errors.ts';
import { ensure } from '../../platform/permissions.ts';
import { formatReference, parseReference } from '../../platform/reference.ts';
import { departmentsIn } from '../departments/service.ts';
import type { Bilingual, RequestStatus } from '../../db/schema.ts';
import { expectation, LOOKBACK_DAYS } from './expected.ts';
import * as repo from './repo/public.ts';
import type { Point, RequestsCaller } from './types.ts';

export interface PublicRequest {
  /** The request's id: also the Open311 token a client gets back when it files one. */
  id: string;
  /** XXXX-XXXX: the Open311 service_request_id. */
  reference: string;
  status: RequestStatus;
  type: { code: string; name: Bilingual };
  department: Bilingual | null;
  description: string;
  /** The latest public note written by staff (reply, status change, closure), in its author's words. */
  note: string | null;
  location: Point | null;
  address: string | null;
  requestedAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  expectedAt: Date | null;
  /** The kept request's reference when this one was merged into it. */
  mergedInto: string | null;
  /** The first public photo of the report. */
  photoId: string | null;
}

export interface PublicQuery {
  /** References as people or clients write them; when given, every other filter is ignored. */
  references?: string[];
  typeCode?: string;
  from?: Date;
  to?: Date;
  status?: Array<'open' | 'closed'>;
  limit: number;
  offset: number;
}

export const PUBLIC_LIST_MAX = 1000;
const DAY_MS = 86_400_000;

async function load(c: RequestsCaller, filters: repo.PublicFilters, limit: number, offset: number): Promise<PublicRequest[]> {
  await ensure(c, 'request.track');
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx) => {
    const rows = await repo.listPublic(trx, tenantId, filters, Math.min(Math.max(limit, 0), PUBLIC_LIST_MAX), Math.max(offset, 0));
    const ids = rows.map((r) => r.id);
    const notes = await repo.latestPublicNotes(trx, tenantId, ids);
    const photos = await repo.firstPublicPhotos(trx, tenantId, ids);
    const openTypes = [...new Set(rows.filter((r) => r.status !== 'closed').map((r) => r.type_id))];
    const durations = await repo.typeDurations(trx, tenantId, openTypes, new Date(Date.now() - LOOKBACK_DAYS * DAY_MS));
    const departments = new Map((await departmentsIn(trx, tenantId)).map((d) => [d.id, d.name]));
    return rows.map((r) => ({
      id: r.id,
      reference: formatReference(r.reference),
      status: r.status,
      type: { code: r.service_code, name: r.type_name },
      department: r.department_id ? (departments.get(r.department_id) ?? null) : null,
      description: r.description,
      note: notes.get(r.id) ?? null,
      location: r.lat !== null && r.lng !== null ? { lat: r.lat, lng: r.lng } : null,
      address: r.address,
      requestedAt: r.requested_at,
      updatedAt: r.updated_at,
      closedAt: r.closed_at,
      expectedAt: r.status === 'closed' ? null : expectation(durations.get(r.type_id) ?? [], r.target_hours, r.requested_at).at,
      mergedInto: r.merged_reference ? formatReference(r.merged_reference) : null,
      photoId: photos.get(r.id) ?? null,
    }));
  });
}

/** Requests matching an Open311 query, newest first. */
export async function listPublicRequests(c: RequestsCaller, q: PublicQuery): Promise<PublicRequest[]> {
  if (q.references) {
    const stored = q.references.map(parseReference).filter((r): r is string => r !== null);
    return load(c, { references: stored }, q.limit, q.offset);
  }
  const statuses: RequestStatus[] | undefined =
    q.status && q.status.length === 1 ? (q.status[0] === 'closed' ? ['closed'] : ['new', 'acknowledged', 'in_progress']) : undefined;
  return load(c, { typeCode: q.typeCode, from: q.from, to: q.to, statuses }, q.limit, q.offset);
}

/** One request by its reference (XXXX-XXXX), or notFound. */
export async function getPublicRequest(c: RequestsCaller, reference: string): Promise<PublicRequest> {
  const stored = parseReference(reference);
  if (!stored) throw new AppError('notFound');
  const [found] = await load(c, { references: [stored] }, 1, 0);
  if (!found) throw new AppError('notFound');
  return found;
}

/** One request by its id (the Open311 token), or notFound. */
export async function getPublicRequestById(c: RequestsCaller, id: string): Promise<PublicRequest> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new AppError('notFound');
  const [found] = await load(c, { ids: [id.toLowerCase()] }, 1, 0);
  if (!found) throw new AppError('notFound');
  return found;
}

/** The request an API client already filed with one of these idempotency keys, if any. */
export async function findApiRequest(c: RequestsCaller, keys: readonly string[]): Promise<{ id: string; reference: string; requestedAt: Date } | null> {
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx) => {
    for (const key of keys) {
      const row = await repo.idByIdempotencyKey(trx, tenantId, key);
      if (row) return { id: row.id, reference: formatReference(row.reference), requestedAt: row.requested_at };
    }
    return null;
  });
}
