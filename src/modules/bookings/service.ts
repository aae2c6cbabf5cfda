/**
 * Booking use cases for residents: hold a place, confirm it, cancel it, join a waitlist, enter a
 * lottery, see one's bookings. Each starts with the permission check; a resident only ever reaches
 * their own bookings (another resident's booking is "not found").
 *
 * Holding a place is registration day's hot path: one query reads the session, its activity and the
 * person's residency; one statement takes the place and inserts the hold (repo.holdPlaceStatement).
 * Holds that ran out give their places back by themselves: lazily, in the transaction of the next
 * attempt that finds the session full (and of a confirmation that comes too late), and every
 * minute in the background (sweep.ts).
 */
import crypto from 'node:crypto';
import type { Tx } from '../../db/database.ts';
import type { Bilingual } from '../../db/schema.ts';
import { recordAudit } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { ensure, type Caller } from '../../platform/permissions.ts';
import { getMember } from '../residents/household.ts';
import { residentPrincipal, type ResidentCaller } from '../residents/service.ts';
import { mailCancelled, mailConfirmed, type MailBooking, type Recipient, type TownContext } from './mail.ts';
import { paymentProvider } from '../../platform/payments.ts';
import { givePlacesBack, releaseLapsedHolds } from './places.ts';
import * as repo from './repo.ts';
import { BookingRefusal, cancellable, dateIn, eligibility, priceFor, registrationPhase, type RefusalCode } from './rules.ts';

export { BookingRefusal } from './rules.ts';

/** A signed-in resident acting on their bookings; links in emails start with publicUrl. */
export interface BookingCaller extends ResidentCaller {
  publicUrl: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The form's random key (`_idem`): base64url, 128 bits or more. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{22,64}$/;

/** A fresh key for a booking form's `_idem` field. */
export function newIdempotencyKey(): string {
  return crypto.randomBytes(18).toString('base64url');
}

const callerOf = (c: BookingCaller): Caller => ({ db: c.db, principal: residentPrincipal(c.tenant.id, c.resident), ip: c.ip });
const townOf = (c: BookingCaller): TownContext => ({ tenant: c.tenant, publicUrl: c.publicUrl });

/** The permission every resident use case starts with: a record of their own (or their household's). */
function ensureOwn(c: BookingCaller, recordId: string, memberId: string | null = null) {
  return ensure(callerOf(c), 'record.submit', {
    kind: 'residentRecord',
    tenantId: c.tenant.id,
    id: recordId,
    residentId: c.resident.id,
    householdMemberId: memberId,
    departmentId: null,
  });
}

/** Who a place is for: 'self' (the account holder) or a household member's id. */
export type Participant = string;

interface Who {
  memberId: string | null;
  name: string | null;
  birthDate: string | null;
}

/** The household member, read through the residents' service; someone else's member is unknown. */
async function participantOf(c: BookingCaller, participant: Participant): Promise<Who> {
  if (participant === 'self') return { memberId: null, name: null, birthDate: c.resident.birthDate ?? null };
  const member = UUID.test(participant) ? await getMember(c, participant) : null;
  if (!member) throw new BookingRefusal('unknownMember');
  return { memberId: member.id, name: member.name, birthDate: member.birthDate };
}

type SessionRow = NonNullable<Awaited<ReturnType<typeof repo.findSessionForBooking>>>;

/** Checks the window, the session and the participant for one purpose; throws the refusal. */
function checkBookable(row: SessionRow, who: Who, timeZone: string, purpose: 'hold' | 'waitlist' | 'lottery'): void {
  const slug = row.slug;
  if (row.cancelled_at) throw new BookingRefusal('sessionCancelled', {}, slug);
  if (row.starts_at <= row.now) throw new BookingRefusal('sessionPast', {}, slug);
  const phase = registrationPhase(
    {
      mode: row.booking_mode,
      opensAt: row.opens_at,
      residentsOpenAt: row.residents_open_at,
      lotteryClosesAt: row.lottery_closes_at,
      residentsOnly: row.residents_only,
    },
    row.is_resident,
    row.now,
    row.drawn,
  );
  switch (phase.phase) {
    case 'residentsOnly':
      throw new BookingRefusal('residentsOnly', {}, slug);
    case 'upcoming':
      throw new BookingRefusal('notOpen', { date: phase.opensAt }, slug);
    case 'residentsWindow':
      throw new BookingRefusal('residentsWindow', { date: phase.opensAt }, slug);
    case 'lottery':
      if (purpose !== 'lottery') throw new BookingRefusal('lotteryOnly', { date: phase.closesAt }, slug);
      break;
    case 'drawing':
      throw new BookingRefusal('lotteryClosed', {}, slug);
    case 'open':
      if (purpose === 'lottery') throw new BookingRefusal(row.booking_mode === 'lottery' ? 'lotteryClosed' : 'notLottery', {}, slug);
      break;
  }
  const participant = who.birthDate ? { birthDate: who.birthDate, self: who.memberId === null } : 'self';
  const ok = eligibility({ minAge: row.min_age, maxAge: row.max_age }, participant, dateIn(timeZone, row.starts_at));
  if (!ok.ok) {
    throw new BookingRefusal(
      ok.code,
      { age: ok.age ?? '', min: row.min_age ?? '', max: row.max_age ?? '', name: who.name ?? '' },
      slug,
    );
  }
}

export interface HoldInput {
  sessionId: string;
  participant: Participant;
  /** The form's key: the same key never holds a second place (double click, retried POST). */
  idempotencyKey: string;
}

export interface HoldResult {
  bookingId: string;
  /** False when this key had already held a place: the same booking is returned. */
  created: boolean;
}

/** The statement met a booking made at the same moment with the same key or for the same person. */
class RaceLost extends Error {}

type Outcome<T> = { ok: true; value: T } | { ok: false; code: RefusalCode; slug: string };

async function holdIn(trx: Tx, c: BookingCaller, input: HoldInput, who: Who, retry: boolean): Promise<Outcome<HoldResult>> {
  const tenantId = c.tenant.id;
  const town = townOf(c);
  // A retry after a lost race first ends the person's own lapsed hold, if that is what was in the way.
  if (retry) await releaseLapsedHolds(trx, town, input.sessionId);
  const row = await repo.findSessionForBooking(trx, tenantId, input.sessionId, c.resident.id, dateIn(c.tenant.timeZone, new Date()));
  if (!row) throw new AppError('notFound');
  checkBookable(row, who, c.tenant.timeZone, 'hold');
  const price = priceFor({ residentCents: row.resident_price_cents, nonresidentCents: row.nonresident_price_cents }, row.is_resident);
  const hold: repo.NewHold = {
    sessionId: row.session_id,
    residentId: c.resident.id,
    memberId: who.memberId,
    participantName: who.name,
    idempotencyKey: input.idempotencyKey,
    source: 'direct',
    rate: price.rate,
    priceCents: price.cents,
    holdSeconds: row.hold_minutes * 60,
  };
  let result = await repo.holdPlaceStatement(trx, tenantId, hold);
  if (result.took && result.id) return { ok: true, value: { bookingId: result.id, created: true } };
  if (result.took) throw new RaceLost();
  const existing = await repo.findByIdempotencyKey(trx, tenantId, input.idempotencyKey);
  if (existing) {
    if (existing.resident_id !== c.resident.id) throw new AppError('conflict');
    return { ok: true, value: { bookingId: existing.id, created: false } };
  }
  if (await repo.findLiveBooking(trx, tenantId, row.session_id, c.resident.id, who.memberId)) return { ok: false, code: 'alreadyBooked', slug: row.slug };
  // Full: holds that ran out give their places back (to the waitlist first), then one more try.
  if ((await releaseLapsedHolds(trx, town, row.session_id)) > 0) {
    result = await repo.holdPlaceStatement(trx, tenantId, hold);
    if (result.took && result.id) return { ok: true, value: { bookingId: result.id, created: true } };
    if (result.took) throw new RaceLost();
  }
  // Nothing was taken: the transaction commits what the lapsed holds gave back.
  return { ok: false, code: 'full', slug: row.slug };
}

/** Holds a place for a few minutes while the resident confirms. Throws BookingRefusal when it cannot. */
export async function holdPlace(c: BookingCaller, input: HoldInput): Promise<HoldResult> {
  await ensureOwn(c, 'new');
  if (!UUID.test(input.sessionId)) throw new AppError('notFound');
  if (!IDEMPOTENCY_KEY.test(input.idempotencyKey)) throw new AppError('badRequest');
  const who = await participantOf(c, input.participant);
  const sessionId = input.sessionId.toLowerCase();
  for (let attempt = 0; ; attempt++) {
    try {
      const outcome = await c.db.withTenant(c.tenant.id, (trx) => holdIn(trx, c, { ...input, sessionId }, who, attempt > 0));
      if (outcome.ok) return outcome.value;
      throw new BookingRefusal(outcome.code, {}, outcome.slug);
    } catch (err) {
      if (err instanceof RaceLost && attempt < 2) continue;
      if (err instanceof RaceLost) throw new AppError('conflict');
      throw err;
    }
  }
}

/** A booking as the resident's pages show it. */
export interface BookingView {
  id: string;
  /** A hold that ran out shows as expired, even before its place was given back. */
  status: 'held' | 'confirmed' | 'cancelled' | 'expired';
  holdExpiresAt: Date | null;
  activity: { slug: string; name: Bilingual; kind: 'facility' | 'activity' };
  sessionId: string;
  startsAt: Date;
  endsAt: Date;
  memberId: string | null;
  /** The household member's name; null for the account holder. */
  participant: string | null;
  source: 'direct' | 'waitlist' | 'lottery';
  rate: 'resident' | 'nonresident';
  priceCents: number;
  paymentMethod: 'free' | 'counter' | null;
  paymentStatus: 'none' | 'due' | 'paid' | 'refunded';
  createdAt: Date;
  confirmedAt: Date | null;
  cancelledAt: Date | null;
  /** Until when a confirmed booking may be cancelled. */
  cancelUntil: Date | null;
  canCancel: boolean;
}

type BookingRow = NonNullable<Awaited<ReturnType<typeof repo.findBookingOf>>>;

function toView(row: BookingRow, now: Date): BookingView {
  const status = row.lapsed ? 'expired' : row.status;
  const cancelUntil = status === 'confirmed' ? new Date(row.starts_at.getTime() - row.cancel_hours_before * 3_600_000) : null;
  return {
    id: row.id,
    status,
    holdExpiresAt: row.hold_expires_at,
    activity: { slug: row.slug, name: row.name, kind: row.kind },
    sessionId: row.session_id,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    memberId: row.member_id,
    participant: row.participant_name,
    source: row.source,
    rate: row.rate,
    priceCents: row.price_cents,
    paymentMethod: row.payment_method,
    paymentStatus: row.payment_status,
    createdAt: row.created_at,
    confirmedAt: row.confirmed_at,
    cancelledAt: row.cancelled_at,
    cancelUntil,
    canCancel: (status === 'held' || status === 'confirmed') && cancellable(status, row.starts_at, row.cancel_hours_before, now),
  };
}

/** One of the resident's bookings; null when they have none with this id. */
export async function getBooking(c: BookingCaller, bookingId: string): Promise<BookingView | null> {
  await ensureOwn(c, bookingId);
  if (!UUID.test(bookingId)) return null;
  const row = await c.db.withTenant(c.tenant.id, (trx) => repo.findBookingOf(trx, c.tenant.id, bookingId.toLowerCase(), c.resident.id));
  return row ? toView(row, new Date()) : null;
}

/**
 * Confirms a held place. Free: confirmed. Paid: through the payment method chosen (built in: at the
 * counter or by invoice, confirmed with the payment due). A second confirmation is a no-op; a
 * hold that ran out is refused (holdExpired) and its place given back at once.
 */
export async function confirmBooking(c: BookingCaller, bookingId: string, method: string = 'counter'): Promise<void> {
  await ensureOwn(c, bookingId);
  if (!UUID.test(bookingId)) throw new AppError('notFound');
  const provider = paymentProvider(method);
  if (!provider) throw new AppError('badRequest');
  const tenantId = c.tenant.id;
  const id = bookingId.toLowerCase();
  const outcome = await c.db.withTenant(tenantId, async (trx): Promise<Outcome<null>> => {
    const row = await repo.confirmHold(trx, tenantId, id, c.resident.id, provider.method);
    if (row) {
      if (row.price_cents > 0) {
        const payment = provider.start({ tenantId, amountCents: row.price_cents, purpose: { kind: 'booking', id } });
        // A processor that sends the person elsewhere needs a "paying" state first; none is built in.
        if (payment.kind !== 'due') throw new Error(`payment outcome ${payment.kind} is not supported yet`);
      }
      if (row.source === 'waitlist') await repo.closeOffers(trx, tenantId, [id], 'booked');
      await mailConfirmed(trx, townOf(c), recipientOf(c), mailBookingOf(id, row));
      await recordAudit(trx, {
        tenantId,
        actor: { kind: 'resident', id: c.resident.id },
        action: 'booking.confirmed',
        subject: { kind: 'booking', id },
        ip: c.ip,
        details: { sessionId: row.session_id, source: row.source, payment: row.payment_method },
      });
      return { ok: true, value: null };
    }
    const booking = await repo.findBookingOf(trx, tenantId, id, c.resident.id);
    if (!booking) throw new AppError('notFound');
    if (booking.status === 'confirmed') return { ok: true, value: null };
    if (booking.status === 'cancelled') throw new AppError('conflict');
    // Ran out (or expired already): give the place back now rather than at the next attempt.
    if (booking.status === 'held') await releaseLapsedHolds(trx, townOf(c), booking.session_id);
    return { ok: false, code: 'holdExpired', slug: booking.slug };
  });
  if (!outcome.ok) throw new BookingRefusal(outcome.code, {}, outcome.slug);
}

/** The signed-in resident as the person an email goes to. */
const recipientOf = (c: BookingCaller): Recipient => ({ email: c.resident.email, locale: c.resident.locale });

/** What a booking email says about the booking, from the row a use case holds. */
function mailBookingOf(
  id: string,
  row: { name: MailBooking['activity']; starts_at: Date; participant_name: string | null; price_cents: number },
): MailBooking {
  return { bookingId: id, activity: row.name, startsAt: row.starts_at, participant: row.participant_name, priceCents: row.price_cents };
}

/**
 * Cancels a booking under its activity's rule: a hold may always be let go; a confirmed booking
 * until the activity's limit before the start. The place goes to the waitlist's next person
 * (offered by email for a limited time) or back to everyone.
 */
export async function cancelBooking(c: BookingCaller, bookingId: string): Promise<{ was: 'held' | 'confirmed' }> {
  await ensureOwn(c, bookingId);
  if (!UUID.test(bookingId)) throw new AppError('notFound');
  const tenantId = c.tenant.id;
  const id = bookingId.toLowerCase();
  const town = townOf(c);
  const outcome = await c.db.withTenant(tenantId, async (trx): Promise<Outcome<'held' | 'confirmed'>> => {
    const b = await repo.lockBookingOf(trx, tenantId, id, c.resident.id);
    if (!b) throw new AppError('notFound');
    if (b.lapsed) await releaseLapsedHolds(trx, town, b.session_id);
    if (b.lapsed || (b.status !== 'held' && b.status !== 'confirmed')) return { ok: false, code: 'notCancellable', slug: b.slug };
    if (!cancellable(b.status, b.starts_at, b.cancel_hours_before, new Date())) return { ok: false, code: 'cancelTooLate', slug: b.slug };
    const cancelled = await repo.markCancelled(trx, tenantId, id);
    if (!cancelled) return { ok: false, code: 'notCancellable', slug: b.slug };
    if (b.source === 'waitlist' && b.status === 'held') await repo.closeOffers(trx, tenantId, [id], 'left');
    await givePlacesBack(trx, town, b.session_id, 1);
    if (b.status === 'confirmed') {
      await mailCancelled(trx, town, recipientOf(c), mailBookingOf(id, b));
    }
    await recordAudit(trx, {
      tenantId,
      actor: { kind: 'resident', id: c.resident.id },
      action: 'booking.cancelled',
      subject: { kind: 'booking', id },
      ip: c.ip,
      details: { sessionId: b.session_id, was: b.status },
    });
    return { ok: true, value: b.status };
  });
  if (!outcome.ok) {
    const hours = outcome.code === 'cancelTooLate' ? await cancelHours(c, id) : 0;
    throw new BookingRefusal(outcome.code, { hours }, outcome.slug);
  }
  return { was: outcome.value };
}

async function cancelHours(c: BookingCaller, id: string): Promise<number> {
  const row = await c.db.withTenant(c.tenant.id, (trx) => repo.findBookingOf(trx, c.tenant.id, id, c.resident.id));
  return row?.cancel_hours_before ?? 0;
}

export interface WaitlistView {
  id: string;
  sessionId: string;
  activity: { slug: string; name: Bilingual };
  startsAt: Date;
  participant: string | null;
  /** 1 for the next person to be offered a place. */
  position: number;
  joinedAt: Date;
}

export interface LotteryEntryView {
  id: string;
  sessionId: string;
  activity: { slug: string; name: Bilingual };
  startsAt: Date;
  participant: string | null;
  /** When entries close and the draw runs. */
  drawAt: Date | null;
}

export interface MyBookings {
  bookings: BookingView[];
  waitlist: WaitlistView[];
  lottery: LotteryEntryView[];
}

/** Everything the resident booked, waits for or entered, the latest first. */
export async function listMyBookings(c: BookingCaller, limit = 100): Promise<MyBookings> {
  await ensureOwn(c, 'list');
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx) => {
    const now = new Date();
    const bookings = await repo.listBookingsOf(trx, tenantId, c.resident.id, limit);
    const waitlist = await repo.listWaitlistOf(trx, tenantId, c.resident.id);
    const lottery = await repo.listLotteryEntriesOf(trx, tenantId, c.resident.id);
    return {
      bookings: bookings.map((b) => toView(b, now)),
      waitlist: waitlist.map((w) => ({
        id: w.id,
        sessionId: w.session_id,
        activity: { slug: w.slug, name: w.name },
        startsAt: w.starts_at,
        participant: w.participant_name,
        position: w.position,
        joinedAt: w.created_at,
      })),
      lottery: lottery.map((e) => ({
        id: e.id,
        sessionId: e.session_id,
        activity: { slug: e.slug, name: e.name },
        startsAt: e.starts_at,
        participant: e.participant_name,
        drawAt: e.lottery_closes_at,
      })),
    };
  });
}

/** Joins a full session's waitlist; a freed place is offered by email, first come first. */
export async function joinWaitlist(c: BookingCaller, input: { sessionId: string; participant: Participant }): Promise<{ entryId: string }> {
  await ensureOwn(c, 'new');
  if (!UUID.test(input.sessionId)) throw new AppError('notFound');
  const who = await participantOf(c, input.participant);
  const tenantId = c.tenant.id;
  const sessionId = input.sessionId.toLowerCase();
  const outcome = await c.db.withTenant(tenantId, async (trx): Promise<Outcome<{ entryId: string }>> => {
    // Holds that ran out are given back first: if that frees a place, there is no need to wait.
    await releaseLapsedHolds(trx, townOf(c), sessionId);
    const row = await repo.findSessionForBooking(trx, tenantId, sessionId, c.resident.id, dateIn(c.tenant.timeZone, new Date()));
    if (!row) throw new AppError('notFound');
    checkBookable(row, who, c.tenant.timeZone, 'waitlist');
    if (row.taken < row.capacity) return { ok: false, code: 'notFull', slug: row.slug };
    if (await repo.findLiveBooking(trx, tenantId, sessionId, c.resident.id, who.memberId)) return { ok: false, code: 'alreadyBooked', slug: row.slug };
    const entry = await repo.insertWaitlistEntry(trx, tenantId, { sessionId, residentId: c.resident.id, memberId: who.memberId, participantName: who.name });
    if (!entry) return { ok: false, code: 'alreadyWaiting', slug: row.slug };
    await recordAudit(trx, {
      tenantId,
      actor: { kind: 'resident', id: c.resident.id },
      action: 'waitlist.joined',
      subject: { kind: 'waitlistEntry', id: entry.id },
      ip: c.ip,
      details: { sessionId },
    });
    return { ok: true, value: { entryId: entry.id } };
  });
  if (!outcome.ok) throw new BookingRefusal(outcome.code, {}, outcome.slug);
  return outcome.value;
}

/** Leaves a waitlist; false when the resident has no such entry waiting. */
export async function leaveWaitlist(c: BookingCaller, entryId: string): Promise<boolean> {
  await ensureOwn(c, entryId);
  if (!UUID.test(entryId)) return false;
  return c.db.withTenant(c.tenant.id, (trx) => repo.leaveWaitlist(trx, c.tenant.id, entryId.toLowerCase(), c.resident.id));
}

/** Enters a lottery session's draw during its entry window. */
export async function enterLottery(c: BookingCaller, input: { sessionId: string; participant: Participant }): Promise<{ entryId: string }> {
  await ensureOwn(c, 'new');
  if (!UUID.test(input.sessionId)) throw new AppError('notFound');
  const who = await participantOf(c, input.participant);
  const tenantId = c.tenant.id;
  const sessionId = input.sessionId.toLowerCase();
  const outcome = await c.db.withTenant(tenantId, async (trx): Promise<Outcome<{ entryId: string }>> => {
    const row = await repo.findSessionForBooking(trx, tenantId, sessionId, c.resident.id, dateIn(c.tenant.timeZone, new Date()));
    if (!row) throw new AppError('notFound');
    checkBookable(row, who, c.tenant.timeZone, 'lottery');
    const entry = await repo.insertLotteryEntry(trx, tenantId, { sessionId, residentId: c.resident.id, memberId: who.memberId, participantName: who.name });
    if (!entry) return { ok: false, code: 'alreadyEntered', slug: row.slug };
    return { ok: true, value: { entryId: entry.id } };
  });
  if (!outcome.ok) throw new BookingRefusal(outcome.code, {}, outcome.slug);
  return outcome.value;
}
