/**
 * Filing a request and its alternative, following one already filed ("me too").
 *
 * submitRequest checks everything before writing anything (type, location inside the town,
 * answers by datatype, description length, contact), then in one transaction inserts the request,
 * its photos, its first timeline event, the acknowledgement email and the audit event. A double
 * click or a retried POST carries the same idempotency key and finds the first request.
 */
import crypto from 'node:crypto';
import type { Tx } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import type { Locale } from '../../platform/i18n.ts';
import { ensure } from '../../platform/permissions.ts';
import { formatReference, newReference, parseReference } from '../../platform/reference.ts';
import type { ResidentPrincipal } from '../../platform/http.ts';
import { checkAnswers, type AnswerError, type RawAnswers } from './answers.ts';
import { areaIn, fold, typeByCode } from './catalogue.ts';
import { expectationIn } from './expected.ts';
import { boxAround, distanceMetres, insideArea, isValidPoint } from './geo.ts';
import { mailFollowed, mailSubmitted, type MailRequest } from './mail.ts';
import * as repo from './repo/requests.ts';
import * as timeline from './repo/timeline.ts';
import { followerToken, hashToken, requesterToken } from './tokens.ts';
import type { NearbyRequest, NewPhoto, Point, RequestAnswer, RequestChannel, RequestsCaller } from './types.ts';

export const DESCRIPTION_MAX = 4000;
export const ADDRESS_MAX = 300;
export const MAX_PHOTOS = 3;
/** How far "nearby" reaches when looking for duplicates, in metres. */
export const NEARBY_METRES = 200;
/** The form's random key (`_idem`): base64url, 128 bits or more (API clients may send up to 100 characters). */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{22,100}$/;

const EMAIL = /^[^\s@<>(),;:"[\]]{1,64}@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]{2,}$/;

export function newIdempotencyKey(): string {
  return crypto.randomBytes(18).toString('base64url');
}

/** Who is asking, and how to reach them. */
export type ReportContact =
  /** A signed-in resident: the request joins their account, emails go to their address. */
  | { kind: 'resident'; resident: ResidentPrincipal }
  /** No account: an address to follow it (required on the web when the type allows anonymous reports). */
  | { kind: 'email'; email: string; name?: string | null; phone?: string | null }
  /** Nobody to reach (a phone call without an address, an API client without one). Staff and API only. */
  | { kind: 'none'; name?: string | null; phone?: string | null };

export interface ReportInput {
  /** The type's Open311 service_code. */
  typeCode: string;
  location: Point | null;
  address: string | null;
  description: string;
  answers: RawAnswers;
  /** Already checked and re-encoded (platform/uploads.ts); at most MAX_PHOTOS. */
  photos: readonly NewPhoto[];
  contact: ReportContact;
  /** The language of the page (or of the caller): emails go out in it unless the resident chose another. */
  locale: Locale;
  channel: RequestChannel;
  idempotencyKey: string;
}

export type ReportField = 'type' | 'location' | 'address' | 'description' | 'photos' | 'email' | 'contact' | `answer.${string}`;
export type ReportError =
  | 'unknownType'
  | 'locationRequired'
  | 'outsideTown'
  | 'badLocation'
  | 'tooLong'
  | 'required'
  | 'tooMany'
  | 'badEmail'
  | 'signInRequired'
  | AnswerError;

export interface SubmittedRequest {
  id: string;
  reference: string;
  /** The private tracking link's token (also emailed to the requester). */
  trackingToken: string;
  /** False when this idempotency key had already created the request. */
  created: boolean;
}

export type ReportResult = { ok: true; request: SubmittedRequest } | { ok: false; errors: Partial<Record<ReportField, ReportError>> };

const clean = (s: string | null | undefined) => (s ?? '').trim();

/** Checks the input against the type and the town's area; returns the field errors (empty: fine). */
function validate(
  input: ReportInput,
  type: Awaited<ReturnType<typeof typeByCode>>,
  area: Awaited<ReturnType<typeof areaIn>>,
  staff: boolean,
): { errors: Partial<Record<ReportField, ReportError>>; answers: Record<string, RequestAnswer> } {
  const errors: Partial<Record<ReportField, ReportError>> = {};
  if (!type || !type.active) return { errors: { type: 'unknownType' }, answers: {} };
  const address = clean(input.address);
  if (input.location) {
    if (!isValidPoint(input.location)) errors.location = 'badLocation';
    else if (!insideArea(input.location, area)) errors.location = 'outsideTown';
  } else if (!address) errors.location = 'locationRequired';
  if ([...address].length > ADDRESS_MAX) errors.address = 'tooLong';
  if ([...input.description].length > DESCRIPTION_MAX) errors.description = 'tooLong';
  if (input.photos.length > MAX_PHOTOS) errors.photos = 'tooMany';
  const c = input.contact;
  if (c.kind === 'email' && !(c.email.length <= 254 && EMAIL.test(c.email.trim()))) errors.email = 'badEmail';
  if (c.kind === 'email' && !staff && !type.allowAnonymous) errors.contact = 'signInRequired';
  if (c.kind === 'none' && !staff && input.channel !== 'api') errors.email = 'required';
  if (c.kind === 'none' && input.channel === 'api' && !type.allowAnonymous) errors.email = 'required';
  const checked = checkAnswers(type.questions, input.answers);
  if (!checked.ok) for (const [code, e] of Object.entries(checked.errors)) errors[`answer.${code}`] = e;
  return { errors, answers: checked.ok ? checked.answers : {} };
}

const mailRequestOf = (
  row: { id: string; reference: string; idempotency_key: string; status: MailRequest['status']; resident_id: string | null; contact_email: string | null; locale: string },
  typeName: MailRequest['typeName'],
): MailRequest => ({
  id: row.id,
  reference: row.reference,
  idempotencyKey: row.idempotency_key,
  typeName,
  status: row.status,
  residentId: row.resident_id,
  contactEmail: row.contact_email,
  locale: row.locale as Locale,
});

/**
 * Files a request. Anyone may report; a staff member entering one for a resident (phone, counter,
 * email) is recorded as its creator with the channel they chose.
 */
export async function submitRequest(c: RequestsCaller, input: ReportInput): Promise<ReportResult> {
  const staff = c.principal.kind === 'staff';
  await ensure(c, staff ? 'request.submitOnBehalf' : 'request.submit');
  if (!IDEMPOTENCY_KEY.test(input.idempotencyKey)) throw new AppError('badRequest', 'idempotency key');
  if (staff && input.channel === 'web') throw new AppError('badRequest', 'staff enter requests by phone, counter, email or api');
  if (!staff && !['web', 'api'].includes(input.channel)) throw new AppError('badRequest', 'channel');
  if (c.principal.kind === 'resident' && (input.contact.kind !== 'resident' || input.contact.resident.id !== c.principal.id)) {
    throw new AppError('forbidden', 'a resident reports as themselves');
  }
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx) => {
    const existing = await repo.findByIdempotencyKey(trx, tenantId, input.idempotencyKey);
    if (existing) {
      return { ok: true, request: { id: existing.id, reference: formatReference(existing.reference), trackingToken: requesterToken(existing.id, existing.idempotency_key), created: false } };
    }
    const type = await typeByCode(trx, tenantId, input.typeCode);
    const area = await areaIn(trx, tenantId);
    const { errors, answers } = validate(input, type, area, staff);
    if (!type || Object.keys(errors).length > 0) return { ok: false, errors };
    const contact = input.contact;
    const id = crypto.randomUUID();
    const token = requesterToken(id, input.idempotencyKey);
    let saved: Awaited<ReturnType<typeof repo.insertOnce>>;
    for (let attempt = 0; attempt < 5 && !saved; attempt++) {
      saved = await repo.insertOnce(trx, {
        tenant_id: tenantId,
        id,
        reference: newReference(),
        type_id: type.id,
        department_id: type.departmentId,
        lat: input.location?.lat ?? null,
        lng: input.location?.lng ?? null,
        address: clean(input.address) || null,
        description: input.description.trim(),
        answers: JSON.stringify(answers),
        channel: input.channel,
        resident_id: contact.kind === 'resident' ? contact.resident.id : null,
        contact_email: contact.kind === 'email' ? contact.email.trim() : null,
        contact_name: contact.kind !== 'resident' ? clean(contact.name).slice(0, 200) || null : null,
        contact_phone: contact.kind !== 'resident' ? clean(contact.phone).slice(0, 40) || null : null,
        locale: input.locale,
        tracking_token_hash: hashToken(token),
        idempotency_key: input.idempotencyKey,
        created_by: c.principal.kind === 'staff' ? c.principal.id : null,
      });
      if (!saved) {
        // Another request took this key at the same moment: it is the one.
        const same = await repo.findByIdempotencyKey(trx, tenantId, input.idempotencyKey);
        if (same) return { ok: true, request: { id: same.id, reference: formatReference(same.reference), trackingToken: requesterToken(same.id, same.idempotency_key), created: false } };
      }
    }
    if (!saved) throw new Error('no free request reference after 5 draws');
    for (const photo of input.photos) {
      await timeline.insertPhoto(trx, {
        tenant_id: tenantId,
        request_id: id,
        content_type: photo.contentType,
        bytes: photo.bytes,
        size: photo.bytes.length,
        width: photo.width,
        height: photo.height,
      });
    }
    const authorKind = staff ? 'staff' : c.principal.kind === 'resident' ? 'resident' : input.channel === 'api' ? 'api' : 'anonymous';
    await timeline.insertEvent(trx, {
      tenant_id: tenantId,
      request_id: id,
      kind: 'created',
      public: true,
      author_kind: authorKind,
      author_id: c.principal.kind === 'anonymous' ? null : c.principal.id,
      to_status: 'new',
      details: JSON.stringify({ channel: input.channel }),
    });
    const expected = await expectationIn(trx, tenantId, { id: type.id, targetHours: type.targetHours }, saved.requested_at);
    const mail = mailRequestOf(
      {
        id,
        reference: saved.reference,
        idempotency_key: input.idempotencyKey,
        status: 'new',
        resident_id: contact.kind === 'resident' ? contact.resident.id : null,
        contact_email: contact.kind === 'email' ? contact.email.trim() : null,
        locale: input.locale,
      },
      type.name,
    );
    await mailSubmitted(trx, { tenant: c.tenant, publicUrl: c.publicUrl }, mail, expected);
    await recordAudit(trx, {
      tenantId,
      actor: c.principal.kind === 'anonymous' ? { kind: 'anonymous' } : { kind: c.principal.kind, id: c.principal.id },
      action: 'request.submitted',
      subject: { kind: 'request', id },
      ip: c.ip,
      details: { type: type.code, channel: input.channel, photos: input.photos.length },
    });
    return { ok: true, request: { id, reference: formatReference(saved.reference), trackingToken: token, created: true } };
  });
}

/** The errors submitRequest would give for this input, without saving anything (the page checks photos alongside). */
export async function checkReport(c: RequestsCaller, input: ReportInput): Promise<Partial<Record<ReportField, ReportError>>> {
  const staff = c.principal.kind === 'staff';
  await ensure(c, staff ? 'request.submitOnBehalf' : 'request.submit');
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx) => {
    const type = await typeByCode(trx, tenantId, input.typeCode);
    return validate(input, type, await areaIn(trx, tenantId), staff).errors;
  });
}

/**
 * Open requests of a type near a point (duplicates to follow instead of filing), nearest first.
 * Public facts only. An unknown type or a point outside the world gives an empty list.
 */
export async function findNearbyOpen(c: RequestsCaller, typeCode: string, point: Point, metres = NEARBY_METRES, limit = 5): Promise<NearbyRequest[]> {
  await ensure(c, 'request.submit');
  if (!isValidPoint(point)) return [];
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx) => {
    const type = await typeByCode(trx, tenantId, typeCode);
    if (!type) return [];
    const rows = await repo.openInBox(trx, tenantId, type.id, boxAround(point, metres), 50);
    return rows
      .map((r) => ({ r, distance: r.lat !== null && r.lng !== null ? distanceMetres(point, { lat: r.lat, lng: r.lng }) : Infinity }))
      .filter((x) => x.distance <= metres)
      .sort((a, b) => a.distance - b.distance)
      .slice(0, limit)
      .map(({ r, distance }) => ({
        reference: formatReference(r.reference),
        address: r.address,
        location: r.lat !== null && r.lng !== null ? { lat: r.lat, lng: r.lng } : null,
        status: r.status,
        description: r.description,
        requestedAt: r.requested_at,
        distance: Math.round(distance),
        followers: Number(r.followers ?? 0),
      }));
  });
}

/** An address as compared for duplicates: no accents, case, punctuation or extra spaces. */
export const addressKey = (address: string) =>
  fold(address)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/**
 * Open requests of a type at the same place: near the pin when there is one, else with the same
 * address typed in (accents, case and punctuation ignored). Public facts only.
 */
export async function findSimilarOpen(c: RequestsCaller, typeCode: string, place: { point: Point | null; address: string | null }): Promise<NearbyRequest[]> {
  if (place.point) return findNearbyOpen(c, typeCode, place.point);
  await ensure(c, 'request.submit');
  const key = addressKey(place.address ?? '');
  if (!key) return [];
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx) => {
    const type = await typeByCode(trx, tenantId, typeCode);
    if (!type) return [];
    const rows = await repo.openWithAddress(trx, tenantId, type.id, 500);
    return rows
      .filter((r) => r.address !== null && addressKey(r.address) === key)
      .slice(0, 5)
      .map((r) => ({
        reference: formatReference(r.reference),
        address: r.address,
        location: r.lat !== null && r.lng !== null ? { lat: r.lat, lng: r.lng } : null,
        status: r.status,
        description: r.description,
        requestedAt: r.requested_at,
        distance: 0,
        followers: Number(r.followers ?? 0),
      }));
  });
}

export type Follower = { kind: 'resident'; resident: ResidentPrincipal } | { kind: 'email'; email: string; locale: Locale };

export type FollowResult =
  | { ok: true; reference: string; created: boolean; /** An email follower's private tracking token. */ trackingToken: string | null }
  | { ok: false; error: 'notFound' | 'closed' | 'badEmail' | 'ownRequest' };

/** "Me too": follow an open request to get its updates, instead of filing a duplicate. */
export async function followRequest(c: RequestsCaller, reference: string, who: Follower): Promise<FollowResult> {
  await ensure(c, 'request.follow');
  if (c.principal.kind === 'resident' && (who.kind !== 'resident' || who.resident.id !== c.principal.id)) throw new AppError('forbidden', 'follow as yourself');
  if (who.kind === 'email' && !(who.email.length <= 254 && EMAIL.test(who.email.trim()))) return { ok: false, error: 'badEmail' };
  const stored = parseReference(reference);
  if (!stored) return { ok: false, error: 'notFound' };
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx) => {
    const row = await repo.findByReference(trx, tenantId, stored);
    if (!row) return { ok: false, error: 'notFound' } as const;
    if (row.status === 'closed') return { ok: false, error: 'closed' } as const;
    if (who.kind === 'resident' && row.resident_id === who.resident.id) return { ok: false, error: 'ownRequest' } as const;
    const email = who.kind === 'email' ? who.email.trim() : null;
    const token = email ? followerToken(row.id, row.idempotency_key, email) : null;
    const locale = who.kind === 'resident' ? who.resident.locale : who.locale;
    const added = await timeline.insertFollower(trx, {
      tenantId,
      requestId: row.id,
      residentId: who.kind === 'resident' ? who.resident.id : null,
      email,
      locale,
      tokenHash: token ? hashToken(token) : null,
    });
    if (added) await addFollowedEvent(trx, c, row, added.id, who);
    return { ok: true, reference: formatReference(row.reference), created: added !== undefined, trackingToken: token };
  });
}

async function addFollowedEvent(trx: Tx, c: RequestsCaller, row: repo.RequestRow, followerId: string, who: Follower) {
  const tenantId = c.tenant.id;
  await timeline.insertEvent(trx, {
    tenant_id: tenantId,
    request_id: row.id,
    kind: 'followed',
    public: false,
    author_kind: who.kind === 'resident' ? 'resident' : 'anonymous',
    author_id: who.kind === 'resident' ? who.resident.id : null,
    details: JSON.stringify({ followerId }),
  });
  await repo.touch(trx, tenantId, row.id);
  await mailFollowed(trx, { tenant: c.tenant, publicUrl: c.publicUrl }, mailRequestOf(row, row.type_name), {
    id: followerId,
    residentId: who.kind === 'resident' ? who.resident.id : null,
    email: who.kind === 'email' ? who.email.trim() : null,
    locale: who.kind === 'resident' ? who.resident.locale : who.locale,
  });
  await recordAudit(trx, {
    tenantId,
    actor: who.kind === 'resident' ? { kind: 'resident', id: who.resident.id } : { kind: 'anonymous' },
    action: 'request.followed',
    subject: { kind: 'request', id: row.id },
    ip: c.ip,
  });
}

export { mailRequestOf };
