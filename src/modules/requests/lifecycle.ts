/**
 * What happens to a request after it is filed: staff change its status, reply in public, close it
 * with a note of what was done (a photo optional); the requester may answer "not fixed" for
 * REOPEN_DAYS after the closure, which reopens it, flagged. Every public change writes a timeline
 * event, emails the requester and followers in their language, and an audit event, in one transaction.
 */
import type { Tx } from '../../db/database.ts';
import type { RequestStatus } from '../../db/schema.ts';
import { recordAudit, type AuditAction } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import type { Locale } from '../../platform/i18n.ts';
import { ensure, type Caller } from '../../platform/permissions.ts';
import { parseReference } from '../../platform/reference.ts';
import type { ResidentPrincipal } from '../../platform/http.ts';
import { residentPrincipal } from '../residents/service.ts';
import { mailUpdate, type UpdateKind } from './mail.ts';
import { mailRequestOf } from './report.ts';
import * as repo from './repo/requests.ts';
import * as timeline from './repo/timeline.ts';
import { holderOf, reopenDeadline } from './tracking.ts';
import type { NewPhoto, RequestsCaller } from './types.ts';

export const NOTE_MAX = 4000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type LifecycleError = 'closed' | 'notClosed' | 'sameStatus' | 'noteRequired' | 'tooLong' | 'tooLate' | 'merged';
export type LifecycleResult = { ok: true; eventId: string } | { ok: false; error: LifecycleError };

/** The request as the permission check sees it; throws notFound for an unknown id. */
async function resourceOf(c: Caller & { tenant: { id: string } }, requestId: string) {
  if (!UUID.test(requestId)) throw new AppError('notFound');
  const tenantId = c.tenant.id;
  const row = await c.db.withTenant(tenantId, (trx) => repo.findById(trx, tenantId, requestId));
  if (!row) throw new AppError('notFound');
  return { kind: 'serviceRequest' as const, tenantId, id: row.id, residentId: row.resident_id, departmentId: row.department_id };
}

function checkNote(note: string | null, required: boolean): LifecycleError | null {
  const text = (note ?? '').trim();
  if (!text) return required ? 'noteRequired' : null;
  return [...text].length > NOTE_MAX ? 'tooLong' : null;
}

interface Change {
  kind: 'status_changed' | 'public_reply' | 'closed' | 'reopened';
  mail: UpdateKind;
  audit: AuditAction;
  to?: RequestStatus;
  note: string | null;
  noteLocale: Locale;
  photo?: NewPhoto | null;
  author: { kind: 'staff' | 'resident' | 'anonymous'; id: string | null };
  /** Whether the note is repeated in the emails (staff's words yes, a resident's no). */
  mailNote: boolean;
}

async function apply(trx: Tx, c: RequestsCaller, requestId: string, change: Change): Promise<LifecycleResult> {
  const tenantId = c.tenant.id;
  const locked = await repo.lockForUpdate(trx, tenantId, requestId);
  if (!locked) throw new AppError('notFound');
  const from = locked.status;
  const now = new Date();
  if (change.kind === 'reopened') {
    if (from !== 'closed') return { ok: false, error: 'notClosed' };
    if (locked.merged_into) return { ok: false, error: 'merged' };
    const deadline = reopenDeadline(locked.closed_at);
    if (!deadline || deadline <= now) return { ok: false, error: 'tooLate' };
    await repo.setStatus(trx, tenantId, requestId, { status: 'in_progress', closedAt: null, reopened: true, reopenedAt: now });
  } else if (from === 'closed') {
    return { ok: false, error: 'closed' };
  } else if (change.kind === 'closed') {
    await repo.setStatus(trx, tenantId, requestId, { status: 'closed', closedAt: now });
  } else if (change.kind === 'status_changed') {
    if (change.to === from) return { ok: false, error: 'sameStatus' };
    await repo.setStatus(trx, tenantId, requestId, { status: change.to! });
  } else {
    await repo.touch(trx, tenantId, requestId);
  }
  const note = (change.note ?? '').trim() || null;
  const to = change.kind === 'reopened' ? 'in_progress' : change.kind === 'closed' ? 'closed' : change.to;
  const event = await timeline.insertEvent(trx, {
    tenant_id: tenantId,
    request_id: requestId,
    kind: change.kind,
    public: true,
    author_kind: change.author.kind,
    author_id: change.author.id,
    body: note,
    body_locale: note ? change.noteLocale : null,
    from_status: change.kind === 'public_reply' ? null : from,
    to_status: change.kind === 'public_reply' ? null : (to ?? null),
  });
  if (change.photo) {
    await timeline.insertPhoto(trx, {
      tenant_id: tenantId,
      request_id: requestId,
      event_id: event.id,
      content_type: change.photo.contentType,
      bytes: change.photo.bytes,
      size: change.photo.bytes.length,
      width: change.photo.width,
      height: change.photo.height,
    });
  }
  const row = await repo.findById(trx, tenantId, requestId);
  if (!row) throw new AppError('notFound');
  await mailUpdate(trx, { tenant: c.tenant, publicUrl: c.publicUrl }, mailRequestOf(row, row.type_name), event.id, change.mail, change.mailNote ? note : null);
  await recordAudit(trx, {
    tenantId,
    actor: change.author.kind === 'anonymous' ? { kind: 'anonymous' } : { kind: change.author.kind, id: change.author.id },
    action: change.audit,
    subject: { kind: 'request', id: requestId },
    ip: c.ip,
    details: { from, to: to ?? from, ...(change.photo ? { photo: true } : {}) },
  });
  return { ok: true, eventId: event.id };
}

const staffAuthor = (c: RequestsCaller) => ({ kind: 'staff' as const, id: c.principal.kind === 'staff' ? c.principal.id : null });

/** Staff: new → acknowledged → in progress (or back). Closing is closeWithNote. An optional public note. */
export async function changeStatus(c: RequestsCaller, requestId: string, to: Exclude<RequestStatus, 'closed'>, note: string | null, noteLocale: Locale): Promise<LifecycleResult> {
  await ensure(c, 'request.update', await resourceOf(c, requestId));
  if (!['new', 'acknowledged', 'in_progress'].includes(to)) throw new AppError('badRequest', 'status');
  const bad = checkNote(note, false);
  if (bad) return { ok: false, error: bad };
  return c.db.withTenant(c.tenant.id, (trx) =>
    apply(trx, c, requestId, { kind: 'status_changed', mail: 'status', audit: 'request.statusChanged', to, note, noteLocale, author: staffAuthor(c), mailNote: true }),
  );
}

/** Staff: a reply the requester and followers see (and receive by email). */
export async function addPublicReply(c: RequestsCaller, requestId: string, body: string, bodyLocale: Locale): Promise<LifecycleResult> {
  await ensure(c, 'request.update', await resourceOf(c, requestId));
  const bad = checkNote(body, true);
  if (bad) return { ok: false, error: bad };
  return c.db.withTenant(c.tenant.id, (trx) =>
    apply(trx, c, requestId, { kind: 'public_reply', mail: 'reply', audit: 'request.replied', note: body, noteLocale: bodyLocale, author: staffAuthor(c), mailNote: true }),
  );
}

/** Staff: closes with a public note of what was done (required) and optionally a photo of it. */
export async function closeWithNote(c: RequestsCaller, requestId: string, note: string, noteLocale: Locale, photo: NewPhoto | null = null): Promise<LifecycleResult> {
  await ensure(c, 'request.update', await resourceOf(c, requestId));
  const bad = checkNote(note, true);
  if (bad) return { ok: false, error: bad };
  return c.db.withTenant(c.tenant.id, (trx) =>
    apply(trx, c, requestId, { kind: 'closed', mail: 'closed', audit: 'request.closed', note, noteLocale, photo, author: staffAuthor(c), mailNote: true }),
  );
}

export type ReopenAs = { kind: 'resident'; resident: ResidentPrincipal; reference: string } | { kind: 'link'; reference: string; token: string };

/**
 * The requester answers "not fixed" within REOPEN_DAYS of the closure: the request goes back to
 * in progress, flagged as reopened. Signed in (their own request) or through their private link;
 * a follower cannot reopen. A comment is optional and shown on the timeline, not emailed.
 */
export async function reopenByResident(c: RequestsCaller, as: ReopenAs, comment: string | null, locale: Locale): Promise<LifecycleResult> {
  const tenantId = c.tenant.id;
  let requestId: string;
  let author: Change['author'];
  if (as.kind === 'resident') {
    const stored = parseReference(as.reference);
    if (!stored) throw new AppError('notFound');
    const row = await c.db.withTenant(tenantId, (trx) => repo.findByReference(trx, tenantId, stored));
    if (!row) throw new AppError('notFound');
    const caller = { db: c.db, principal: residentPrincipal(tenantId, as.resident), ip: c.ip };
    try {
      await ensure(caller, 'request.reopen', { kind: 'serviceRequest', tenantId, id: row.id, residentId: row.resident_id, departmentId: row.department_id });
    } catch {
      throw new AppError('notFound');
    }
    requestId = row.id;
    author = { kind: 'resident', id: as.resident.id };
  } else {
    await ensure(c, 'request.track');
    const stored = parseReference(as.reference);
    if (!stored) throw new AppError('notFound');
    const found = await c.db.withTenant(tenantId, async (trx) => {
      const row = await repo.findByReference(trx, tenantId, stored);
      return row && (await holderOf(trx, tenantId, row, as.token)) === 'requester' ? row : null;
    });
    if (!found) throw new AppError('notFound');
    requestId = found.id;
    author = found.resident_id ? { kind: 'resident', id: found.resident_id } : { kind: 'anonymous', id: null };
  }
  const bad = checkNote(comment, false);
  if (bad) return { ok: false, error: bad };
  return c.db.withTenant(tenantId, (trx) =>
    apply(trx, c, requestId, { kind: 'reopened', mail: 'reopened', audit: 'request.reopened', note: comment, noteLocale: locale, author, mailNote: false }),
  );
}
