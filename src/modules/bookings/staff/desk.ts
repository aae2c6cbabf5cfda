/**
 * Staff at the desk: a session's roster, one booking, and what staff do to it: move it to another
 * session of the same activity, cancel it, mark a counter payment paid, refund it. The resident is
 * told each time by email, in their language, through the outbox in the same transaction.
 *
 * Moving takes the place in the target session with the same conditional update as every booking
 * (`taken < capacity`): it never oversells, however many staff move people at once. Both sessions'
 * rows are locked in a fixed order first, so two moves in opposite directions never deadlock.
 */
import { recordAudit } from '../../../platform/audit.ts';
import { AppError } from '../../../platform/errors.ts';
import { paymentProvider } from '../../../platform/payments.ts';
import { ensure } from '../../../platform/permissions.ts';
import { givePlacesBack, releaseLapsedHolds } from '../places.ts';
import { closeOffers } from '../repo/waitlist.ts';
import * as repo from '../repo/staff-desk.ts';
import { findStaffSession } from '../repo/staff-catalogue.ts';
import { dateTime } from '../format.ts';
import { staffActor, townOf, uuidOf, type StaffBookingCaller } from './caller.ts';
import { getSessionForStaff, type SessionDetail } from './catalogue.ts';
import { mailBookingChange, type StaffMailBooking } from './mail.ts';

export type RosterStatus = 'held' | 'confirmed' | 'cancelled' | 'expired';
export type PaymentStatus = 'none' | 'due' | 'paid' | 'refunded';

export interface RosterLine {
  bookingId: string;
  participant: string;
  /** The account holder (who booked), when the participant is a household member. */
  bookedBy: string | null;
  email: string;
  phone: string | null;
  status: RosterStatus;
  rate: 'resident' | 'nonresident';
  priceCents: number;
  payment: PaymentStatus;
}

/** A session's roster: confirmed first, then held, then cancelled, by name. */
export async function getRoster(c: StaffBookingCaller, sessionId: string): Promise<(SessionDetail & { lines: RosterLine[] }) | null> {
  await ensure(c, 'bookings.view');
  const detail = await getSessionForStaff(c, sessionId);
  if (!detail) return null;
  const rows = await c.db.withTenant(c.tenant.id, (trx) => repo.rosterOf(trx, c.tenant.id, detail.session.id));
  const lines = rows.map(
    (r): RosterLine => ({
      bookingId: r.id,
      participant: r.participant_name ?? r.resident_name ?? r.resident_email,
      bookedBy: r.participant_name ? (r.resident_name ?? r.resident_email) : null,
      email: r.resident_email,
      phone: r.resident_phone,
      status: r.lapsed ? 'expired' : r.status,
      rate: r.rate,
      priceCents: r.price_cents,
      payment: r.payment_status,
    }),
  );
  return { ...detail, lines };
}

export interface StaffBookingView {
  id: string;
  status: RosterStatus;
  sessionId: string;
  activityId: string;
  activity: { name: { fr: string; en: string }; slug: string };
  startsAt: Date;
  endsAt: Date;
  participant: string;
  resident: { id: string; name: string | null; email: string };
  source: 'direct' | 'waitlist' | 'lottery';
  rate: 'resident' | 'nonresident';
  priceCents: number;
  paymentMethod: 'free' | 'counter' | null;
  paymentStatus: PaymentStatus;
  paidAt: Date | null;
  refundedAt: Date | null;
  createdAt: Date;
  cancelledAt: Date | null;
  movedFrom: string | null;
  /** Sessions of the same activity it may move to, with their free places. */
  targets: Array<{ id: string; startsAt: Date; endsAt: Date; free: number }>;
}

/** One booking of the town, with the sessions it may move to; null when unknown. */
export async function getBookingForStaff(c: StaffBookingCaller, bookingId: string): Promise<StaffBookingView | null> {
  await ensure(c, 'bookings.view');
  const id = uuidOf(bookingId);
  if (!id) return null;
  return c.db.withTenant(c.tenant.id, async (trx) => {
    const b = await repo.findStaffBooking(trx, c.tenant.id, id);
    if (!b) return null;
    const targets = await repo.moveTargets(trx, c.tenant.id, b.activity_id, b.session_id);
    return {
      id: b.id,
      status: b.lapsed ? 'expired' : b.status,
      sessionId: b.session_id,
      activityId: b.activity_id,
      activity: { name: b.name, slug: b.slug },
      startsAt: b.starts_at,
      endsAt: b.ends_at,
      participant: b.participant_name ?? b.resident_name ?? b.resident_email,
      resident: { id: b.resident_id, name: b.resident_name, email: b.resident_email },
      source: b.source,
      rate: b.rate,
      priceCents: b.price_cents,
      paymentMethod: b.payment_method,
      paymentStatus: b.payment_status,
      paidAt: b.paid_at,
      refundedAt: b.refunded_at,
      createdAt: b.created_at,
      cancelledAt: b.cancelled_at,
      movedFrom: b.moved_from,
      targets: targets.map((t) => ({ id: t.id, startsAt: t.starts_at, endsAt: t.ends_at, free: Math.max(0, t.capacity - t.taken) })),
    };
  });
}

/** Why staff could not do what they asked; the page says it in both languages. */
export type DeskRefusal = 'notLive' | 'sameSession' | 'alreadyThere' | 'targetClosed' | 'full' | 'notDue' | 'notRefundable';
export type DeskResult = { ok: true } | { ok: false; code: DeskRefusal };

type Locked = NonNullable<Awaited<ReturnType<typeof repo.lockStaffBooking>>>;

const mailOf = (b: Locked, startsAt: Date = b.starts_at): StaffMailBooking => ({
  bookingId: b.id,
  activity: b.name,
  startsAt,
  participant: b.participant_name,
  priceCents: b.price_cents,
});
const recipientOf = (b: Locked) => ({ email: b.resident_email, locale: b.resident_locale });

/** Moves a live booking to another session of the same activity, in one transaction. */
export async function moveBooking(c: StaffBookingCaller, bookingId: string, toSessionId: string): Promise<DeskResult> {
  await ensure(c, 'bookings.serve');
  const id = uuidOf(bookingId);
  if (!id) throw new AppError('notFound');
  const target = uuidOf(toSessionId);
  if (!target) return { ok: false, code: 'targetClosed' };
  const tenantId = c.tenant.id;
  const town = townOf(c);
  try {
    return await c.db.withTenant(tenantId, async (trx): Promise<DeskResult> => {
      const peek = await repo.findStaffBooking(trx, tenantId, id);
      if (!peek) throw new AppError('notFound');
      if (peek.session_id === target) return { ok: false, code: 'sameSession' };
      // Both sessions locked in id order: moves in opposite directions wait, never deadlock.
      await repo.lockSessionsInOrder(trx, tenantId, [peek.session_id, target]);
      const b = await repo.lockStaffBooking(trx, tenantId, id);
      if (!b) throw new AppError('notFound');
      if (b.lapsed) await releaseLapsedHolds(trx, town, b.session_id);
      if (b.lapsed || (b.status !== 'held' && b.status !== 'confirmed')) return { ok: false, code: 'notLive' };
      if (b.session_id !== peek.session_id) throw new AppError('conflict');
      const to = await findStaffSession(trx, tenantId, target);
      if (!to || to.activity_id !== b.activity_id || to.cancelled_at || to.starts_at <= to.now) return { ok: false, code: 'targetClosed' };
      if (await repo.holdsPlaceIn(trx, tenantId, target, b.resident_id, b.member_id)) return { ok: false, code: 'alreadyThere' };
      if (!(await repo.takePlaceIn(trx, tenantId, target, b.activity_id))) return { ok: false, code: 'full' };
      if (!(await repo.setBookingSession(trx, tenantId, id, b.session_id, target))) throw new AppError('conflict');
      // The place left behind goes to that session's waitlist first, or back to everyone.
      await givePlacesBack(trx, town, b.session_id, 1);
      const to_ = recipientOf(b);
      await mailBookingChange(trx, town, to_, 'moved', mailOf(b, to.starts_at), `booking:${id}:moved:${target}`, () => ({
        from: dateTime(to_.locale, c.tenant.timeZone, b.starts_at),
      }));
      await recordAudit(trx, {
        tenantId,
        actor: staffActor(c),
        action: 'booking.moved',
        subject: { kind: 'booking', id },
        ip: c.ip,
        details: { from: b.session_id, to: target },
      });
      return { ok: true };
    });
  } catch (err) {
    // The person got a place in the target at the same moment (the one-live-place rule).
    if ((err as { code?: string }).code === '23505') return { ok: false, code: 'alreadyThere' };
    throw err;
  }
}

/** Cancels a booking by staff (no cancellation deadline applies); the place goes to the waitlist first. */
export async function cancelBookingByStaff(c: StaffBookingCaller, bookingId: string): Promise<DeskResult> {
  await ensure(c, 'bookings.serve');
  const id = uuidOf(bookingId);
  if (!id) throw new AppError('notFound');
  const tenantId = c.tenant.id;
  const town = townOf(c);
  return c.db.withTenant(tenantId, async (trx): Promise<DeskResult> => {
    const b = await repo.lockStaffBooking(trx, tenantId, id);
    if (!b) throw new AppError('notFound');
    if (b.lapsed) await releaseLapsedHolds(trx, town, b.session_id);
    if (b.lapsed || !(await repo.cancelByStaff(trx, tenantId, id, c.principal.id))) return { ok: false, code: 'notLive' };
    if (b.source === 'waitlist' && b.status === 'held') await closeOffers(trx, tenantId, [id], 'left');
    await givePlacesBack(trx, town, b.session_id, 1);
    await mailBookingChange(trx, town, recipientOf(b), 'cancelled', mailOf(b), `booking:${id}:cancelledByStaff`);
    await recordAudit(trx, {
      tenantId,
      actor: staffActor(c),
      action: 'booking.cancelledByStaff',
      subject: { kind: 'booking', id },
      ip: c.ip,
      details: { sessionId: b.session_id, was: b.status, payment: b.payment_status },
    });
    return { ok: true };
  });
}

/** Marks the amount of a confirmed booking paid at the counter (or on the invoice); the resident gets a receipt. */
export async function markBookingPaid(c: StaffBookingCaller, bookingId: string): Promise<DeskResult> {
  await ensure(c, 'bookings.serve');
  const id = uuidOf(bookingId);
  if (!id) throw new AppError('notFound');
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx): Promise<DeskResult> => {
    const b = await repo.lockStaffBooking(trx, tenantId, id);
    if (!b) throw new AppError('notFound');
    const provider = b.payment_method ? paymentProvider(b.payment_method) : undefined;
    if (!provider?.staffMarksPaid || b.payment_status !== 'due' || b.status !== 'confirmed') return { ok: false, code: 'notDue' };
    provider.markPaid({ tenantId, amountCents: b.price_cents, purpose: { kind: 'booking', id }, receivedBy: c.principal.id });
    if (!(await repo.markPaid(trx, tenantId, id))) return { ok: false, code: 'notDue' };
    await mailBookingChange(trx, townOf(c), recipientOf(b), 'paid', mailOf(b), `booking:${id}:paid`);
    await recordAudit(trx, {
      tenantId,
      actor: staffActor(c),
      action: 'booking.markedPaid',
      subject: { kind: 'booking', id },
      ip: c.ip,
      details: { amountCents: b.price_cents, method: provider.method },
    });
    return { ok: true };
  });
}

/** Refunds a cancelled booking that was paid, through its payment method; the resident is told. */
export async function refundBooking(c: StaffBookingCaller, bookingId: string): Promise<DeskResult> {
  await ensure(c, 'bookings.manage');
  const id = uuidOf(bookingId);
  if (!id) throw new AppError('notFound');
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx): Promise<DeskResult> => {
    const b = await repo.lockStaffBooking(trx, tenantId, id);
    if (!b) throw new AppError('notFound');
    const provider = b.payment_method ? paymentProvider(b.payment_method) : undefined;
    if (!provider || b.payment_status !== 'paid' || b.status !== 'cancelled' || b.price_cents <= 0) return { ok: false, code: 'notRefundable' };
    const outcome = provider.refund({ tenantId, amountCents: b.price_cents, purpose: { kind: 'booking', id } });
    // A processor's refund that is only asked for needs a "refunding" state; none is built in.
    if (outcome.kind !== 'refunded') throw new Error(`refund outcome ${outcome.kind} is not supported yet`);
    if (!(await repo.markRefunded(trx, tenantId, id, b.price_cents))) return { ok: false, code: 'notRefundable' };
    await mailBookingChange(trx, townOf(c), recipientOf(b), 'refunded', mailOf(b), `booking:${id}:refunded`);
    await recordAudit(trx, {
      tenantId,
      actor: staffActor(c),
      action: 'booking.refunded',
      subject: { kind: 'booking', id },
      ip: c.ip,
      details: { amountCents: b.price_cents, method: provider.method },
    });
    return { ok: true };
  });
}
