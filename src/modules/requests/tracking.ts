/**
 * Tracking a request like a parcel: by its reference and private link (no sign-in; the requester
 * or an email follower), or from a resident's account (their own or followed requests). Public
 * facts only: the timeline shows public events, never internal notes or anyone's contact.
 * A wrong reference, a wrong token or someone else's request are all "not found" alike.
 */
import type { Tx } from '../../db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { ResidentPrincipal } from '../../platform/http.ts';
import { ensure } from '../../platform/permissions.ts';
import { formatReference, parseReference } from '../../platform/reference.ts';
import { residentPrincipal } from '../residents/service.ts';
import { typeByCode } from './catalogue.ts';
import { expectationIn } from './expected.ts';
import { toEvent, toPhoto } from './map.ts';
import * as repo from './repo/requests.ts';
import * as timeline from './repo/timeline.ts';
import { hashToken, requesterToken, sameToken, TOKEN } from './tokens.ts';
import type { MyRequest, RequestsCaller, TrackedRequest } from './types.ts';

/** How long after a closure the requester may still say "not fixed". */
export const REOPEN_DAYS = 14;
const DAY_MS = 86_400_000;

export function reopenDeadline(closedAt: Date | null): Date | null {
  return closedAt ? new Date(closedAt.getTime() + REOPEN_DAYS * DAY_MS) : null;
}

async function build(trx: Tx, tenantId: string, row: repo.RequestRow, viewer: TrackedRequest['viewer']): Promise<TrackedRequest> {
  const photos = await timeline.photosOf(trx, tenantId, row.id, true);
  const events = await timeline.eventsOf(trx, tenantId, row.id, true);
  const type = await typeByCode(trx, tenantId, row.service_code);
  const answers =
    viewer === 'requester' && type
      ? type.questions
          .filter((q) => row.answers[q.code] !== undefined)
          .map((q) => {
            const a = row.answers[q.code]!;
            const names = (keys: string[]) => keys.map((k) => q.values.find((v) => v.key === k)?.name ?? { fr: k, en: k });
            const value = q.datatype === 'singlevaluelist' ? names([String(a)]) : q.datatype === 'multivaluelist' ? names(a as string[]) : String(a);
            return { label: q.label, value };
          })
      : [];
  const open = row.status !== 'closed';
  const expected = open ? await expectationIn(trx, tenantId, { id: row.type_id, targetHours: row.target_hours }, row.requested_at) : null;
  const deadline = reopenDeadline(row.closed_at);
  const canReopen = viewer === 'requester' && !open && row.merged_into === null && deadline !== null && deadline > new Date();
  return {
    id: row.id,
    reference: formatReference(row.reference),
    type: { code: row.service_code, name: row.type_name },
    status: row.status,
    location: row.lat !== null && row.lng !== null ? { lat: row.lat, lng: row.lng } : null,
    address: row.address,
    description: row.description,
    answers,
    requestedAt: row.requested_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
    reopened: row.reopened,
    mergedInto: row.merged_reference ? formatReference(row.merged_reference) : null,
    events: events.map((e) => toEvent(e, photos)),
    photos: photos.map(toPhoto),
    expected,
    viewer,
    reopenUntil: canReopen ? deadline : null,
  };
}

/** Who holds a private link: the requester, an email follower, or nobody (null). */
export async function holderOf(trx: Tx, tenantId: string, row: repo.RequestRow, token: string): Promise<TrackedRequest['viewer'] | null> {
  if (!TOKEN.test(token)) return null;
  if (sameToken(token, requesterToken(row.id, row.idempotency_key))) return 'requester';
  const follower = await timeline.findFollowerByToken(trx, tenantId, row.id, hashToken(token));
  return follower ? 'follower' : null;
}

/** The tracking page by private link. Throws notFound for anything but the right pair. */
export async function trackByLink(c: RequestsCaller, reference: string, token: string): Promise<TrackedRequest> {
  await ensure(c, 'request.track');
  const stored = parseReference(reference);
  if (!stored || !TOKEN.test(token)) throw new AppError('notFound');
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx) => {
    const row = await repo.findByReference(trx, tenantId, stored);
    if (!row) throw new AppError('notFound');
    const viewer = await holderOf(trx, tenantId, row, token);
    if (!viewer) throw new AppError('notFound');
    return build(trx, tenantId, row, viewer);
  });
}

/** A request of the signed-in resident (theirs or one they follow), by reference. */
export async function trackMine(c: RequestsCaller & { resident: ResidentPrincipal }, reference: string): Promise<TrackedRequest> {
  const stored = parseReference(reference);
  if (!stored) throw new AppError('notFound');
  const tenantId = c.tenant.id;
  const found = await c.db.withTenant(tenantId, async (trx) => {
    const row = await repo.findByReference(trx, tenantId, stored);
    if (!row) return null;
    if (row.resident_id === c.resident.id) return { row, viewer: 'requester' as const };
    const follows = (await timeline.followersOf(trx, tenantId, row.id)).some((f) => f.resident_id === c.resident.id);
    return follows ? { row, viewer: 'follower' as const } : { row, viewer: null };
  });
  if (!found) throw new AppError('notFound');
  const caller = { db: c.db, principal: residentPrincipal(tenantId, c.resident), ip: c.ip };
  if (found.viewer !== 'follower') {
    // Someone else's request: the refusal is audited, then shown as "not found" like a wrong reference.
    try {
      await ensure(caller, 'request.view', { kind: 'serviceRequest', tenantId, id: found.row.id, residentId: found.row.resident_id, departmentId: found.row.department_id });
    } catch {
      throw new AppError('notFound');
    }
  }
  return c.db.withTenant(tenantId, (trx) => build(trx, tenantId, found.row, found.viewer ?? 'requester'));
}

/** The signed-in resident's requests and those they follow, newest first. */
export async function listMyRequests(c: RequestsCaller & { resident: ResidentPrincipal }, limit = 100): Promise<MyRequest[]> {
  const tenantId = c.tenant.id;
  const caller = { db: c.db, principal: residentPrincipal(tenantId, c.resident), ip: c.ip };
  await ensure(caller, 'request.submit');
  const rows = await c.db.withTenant(tenantId, (trx) => repo.listForResident(trx, tenantId, c.resident.id, limit));
  return rows.map((r) => ({
    id: r.id,
    reference: formatReference(r.reference),
    type: { code: r.service_code, name: r.type_name },
    status: r.status,
    address: r.address,
    requestedAt: r.requested_at,
    updatedAt: r.updated_at,
    relation: r.resident_id === c.resident.id ? 'requester' : 'follower',
  }));
}

/**
 * A photo's bytes for a page or the Open311 media_url: public photos of any request of the town
 * (they are shown to whoever has the request's page; the report form says so). Null when unknown.
 */
export async function getPublicPhoto(c: RequestsCaller, photoId: string): Promise<{ contentType: string; bytes: Buffer } | null> {
  await ensure(c, 'request.track');
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(photoId)) return null;
  const tenantId = c.tenant.id;
  const row = await c.db.withTenant(tenantId, (trx) => timeline.photoBytes(trx, tenantId, photoId));
  return row && row.public ? { contentType: row.content_type, bytes: row.bytes } : null;
}
