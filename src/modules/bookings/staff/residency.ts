/**
 * Residency: the resident price, residents-only activities and the residents' earlier opening
 * depend on a proof of residency on file. A resident asks (their address and the proof they hold);
 * staff approve it until a date (a residency_proofs row) or refuse it with a reason; the resident
 * is told by email in their language.
 */
import { recordAudit } from '../../../platform/audit.ts';
import { AppError } from '../../../platform/errors.ts';
import { ensure } from '../../../platform/permissions.ts';
import { residentPrincipal } from '../../residents/service.ts';
import { upsertResidency } from '../repo/activities.ts';
import * as repo from '../repo/residency.ts';
import type { BookingCaller } from '../service.ts';
import { staffActor, townOf, uuidOf, type StaffBookingCaller } from './caller.ts';
import { mailResidencyDecision } from './mail.ts';

export interface ResidencyStatus {
  /** The proof on file: valid until this day (YYYY-MM-DD), or null. */
  validUntil: string | null;
  request: { status: 'pending' | 'approved' | 'refused'; address: string; createdAt: Date; reason: string | null } | null;
}

const ensureOwn = (c: BookingCaller) =>
  ensure({ db: c.db, principal: residentPrincipal(c.tenant.id, c.resident), ip: c.ip }, 'record.submit', {
    kind: 'residentRecord',
    tenantId: c.tenant.id,
    id: 'residency',
    residentId: c.resident.id,
    departmentId: null,
  });

/** The signed-in resident's proof on file and latest request. */
export async function myResidency(c: BookingCaller): Promise<ResidencyStatus> {
  await ensureOwn(c);
  const { request, proof } = await c.db.withTenant(c.tenant.id, (trx) => repo.residencyOf(trx, c.tenant.id, c.resident.id));
  return {
    validUntil: proof?.valid_until ?? null,
    request: request ? { status: request.status, address: request.address, createdAt: request.created_at, reason: request.reason } : null,
  };
}

/** Sends a request for review; false when one is already waiting. The form's key makes a retry harmless. */
export async function requestResidency(c: BookingCaller, input: { address: string; proof: string }, key: string): Promise<boolean> {
  await ensureOwn(c);
  return c.db.withTenant(c.tenant.id, async (trx) => {
    const current = await repo.residencyOf(trx, c.tenant.id, c.resident.id);
    if (current.request?.status === 'pending') return false;
    const made = await repo.insertResidencyRequest(trx, c.tenant.id, { residentId: c.resident.id, address: input.address, proof: input.proof, key });
    if (!made) return true;
    await recordAudit(trx, {
      tenantId: c.tenant.id,
      actor: { kind: 'resident', id: c.resident.id },
      action: 'residency.requested',
      subject: { kind: 'residencyRequest', id: made.id },
      ip: c.ip,
    });
    return true;
  });
}

export interface ResidencyRequestView {
  id: string;
  residentId: string;
  name: string | null;
  email: string;
  address: string;
  profileAddress: string | null;
  proof: string;
  status: 'pending' | 'approved' | 'refused';
  validUntil: string | null;
  reason: string | null;
  createdAt: Date;
  decidedAt: Date | null;
}

type Row = Awaited<ReturnType<typeof repo.listResidencyRequests>>[number];
const toView = (r: Row): ResidencyRequestView => ({
  id: r.id,
  residentId: r.resident_id,
  name: r.resident_name,
  email: r.resident_email,
  address: r.address,
  profileAddress: r.profile_address,
  proof: r.proof,
  status: r.status,
  validUntil: r.valid_until,
  reason: r.reason,
  createdAt: r.created_at,
  decidedAt: r.decided_at,
});

/** Requests waiting for review (oldest first) and the latest decided ones. */
export async function listResidencyRequests(c: StaffBookingCaller): Promise<{ pending: ResidencyRequestView[]; decided: ResidencyRequestView[] }> {
  await ensure(c, 'bookings.manage');
  return c.db.withTenant(c.tenant.id, async (trx) => ({
    pending: (await repo.listResidencyRequests(trx, c.tenant.id, 'pending', 200)).map(toView),
    decided: (await repo.listResidencyRequests(trx, c.tenant.id, 'decided', 50)).map(toView),
  }));
}

/** One request of the town; null when unknown. */
export async function getResidencyRequest(c: StaffBookingCaller, requestId: string): Promise<ResidencyRequestView | null> {
  await ensure(c, 'bookings.manage');
  const id = uuidOf(requestId);
  if (!id) return null;
  const row = await c.db.withTenant(c.tenant.id, (trx) => repo.findResidencyRequest(trx, c.tenant.id, id));
  return row ? toView(row) : null;
}

export type Decision = { status: 'approved'; validUntil: string } | { status: 'refused'; reason: string };

/** Approves (a proof on file until the date) or refuses a pending request; false when already decided. */
export async function decideResidency(c: StaffBookingCaller, requestId: string, decision: Decision): Promise<boolean> {
  await ensure(c, 'bookings.manage');
  const id = uuidOf(requestId);
  if (!id) throw new AppError('notFound');
  return c.db.withTenant(c.tenant.id, async (trx) => {
    const request = await repo.findResidencyRequest(trx, c.tenant.id, id);
    if (!request) throw new AppError('notFound');
    const decided = await repo.decideResidencyRequest(trx, c.tenant.id, id, decision, c.principal.id);
    if (!decided) return false;
    if (decision.status === 'approved') await upsertResidency(trx, c.tenant.id, request.resident_id, decision.validUntil, c.principal.id);
    await mailResidencyDecision(trx, townOf(c), { email: request.resident_email, locale: request.resident_locale }, id, decision);
    await recordAudit(trx, {
      tenantId: c.tenant.id,
      actor: staffActor(c),
      action: decision.status === 'approved' ? 'residency.approved' : 'residency.refused',
      subject: { kind: 'resident', id: request.resident_id },
      ip: c.ip,
      details: decision.status === 'approved' ? { requestId: id, validUntil: decision.validUntil } : { requestId: id },
    });
    return true;
  });
}
