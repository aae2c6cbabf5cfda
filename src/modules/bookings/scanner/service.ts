/**
 * The door: staff check passes in for a session of the day. A pass is checked offline first
 * (signature, town, days: passes/token.ts), then online (the booking is still confirmed, for this
 * session). Arrivals are recorded once per booking, session and day, and once per scanner-made id,
 * so a check-in sent again (a retried form, an offline scanner syncing twice) is never entered
 * twice. Each arrival is audited.
 *
 * The scanner page also downloads the day's list (booking id → participant and session) with the
 * town's public keys, to keep checking passes while the network is down (dayPack).
 */
import type { Database } from '../../../db/database.ts';
import type { Bilingual } from '../../../db/schema.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { AppError } from '../../../platform/errors.ts';
import { ensure, type StaffPrincipalOf } from '../../../platform/permissions.ts';
import { residentNames } from '../../residents/service.ts';
import type { Tenant } from '../../tenants/service.ts';
import { startOfDay } from '../catalogue.ts';
import { dayIn } from '../format.ts';
import { signingKeyIn, toJwk, verifyingKeysIn, type PublicJwk } from '../passes/keys.ts';
import * as repo from '../passes/repo.ts';
import { nextDay } from '../passes/service.ts';
import { verifyPass, type PassProblem } from '../passes/token.ts';

export interface StaffCaller {
  db: Database;
  principal: StaffPrincipalOf;
  tenant: Tenant;
  ip: string | null;
  sessionSecret: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A scanner-made check-in id (the no-JavaScript form's hidden field, or the scanner's own). */
export const CLIENT_ID = /^[A-Za-z0-9_-]{16,64}$/;
/** How far a scanner's clock may be trusted for an arrival sent later. */
const PAST_LIMIT_MS = 3 * 24 * 3_600_000;
const FUTURE_LIMIT_MS = 5 * 60_000;

export interface DoorSession {
  id: string;
  name: Bilingual;
  slug: string;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  confirmed: number;
  arrived: number;
}

function dayBounds(tenant: Tenant, now: Date) {
  const day = dayIn(tenant.timeZone, now);
  return { day, from: startOfDay(day, tenant.timeZone), to: startOfDay(nextDay(day), tenant.timeZone) };
}

const toSession = (r: Awaited<ReturnType<typeof repo.sessionsBetween>>[number]): DoorSession => ({
  id: r.id,
  name: r.name,
  slug: r.slug,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  capacity: r.capacity,
  confirmed: r.confirmed,
  arrived: r.arrived,
});

/** The sessions running today in the town, with how many are booked and how many arrived. */
export async function sessionsOfDay(c: StaffCaller, now = new Date()): Promise<{ day: string; sessions: DoorSession[] }> {
  await ensure(c, 'bookings.checkin');
  const { day, from, to } = dayBounds(c.tenant, now);
  const rows = await c.db.withTenant(c.tenant.id, (trx) => repo.sessionsBetween(trx, c.tenant.id, from, to, day));
  return { day, sessions: rows.map(toSession) };
}

export interface DayPack {
  townId: string;
  day: string;
  /** Until when the list is worth using (the end of the day). */
  validUntil: string;
  keys: PublicJwk[];
  sessions: Array<{ id: string; name: Bilingual; startsAt: string; endsAt: string; confirmed: number }>;
  /** Every confirmed booking of the day's sessions: who the pass is for. */
  passes: Array<{ bookingId: string; sessionId: string; name: string }>;
  /** Arrivals already recorded today (from any scanner). */
  checkins: Array<{ bookingId: string; sessionId: string; at: string }>;
}

/** What an offline scanner needs for the day. Holds participants' names: downloading it is audited. */
export async function dayPack(c: StaffCaller, now = new Date()): Promise<DayPack> {
  await ensure(c, 'bookings.checkin');
  const tenantId = c.tenant.id;
  const { day, from, to } = dayBounds(c.tenant, now);
  return c.db.withTenant(tenantId, async (trx) => {
    await signingKeyIn(trx, c.sessionSecret, tenantId);
    const keys = (await repo.listVerifyingKeys(trx, tenantId)).map(toJwk);
    const sessions = await repo.sessionsBetween(trx, tenantId, from, to, day);
    const ids = sessions.map((s) => s.id);
    const bookings = await repo.confirmedBookingsIn(trx, tenantId, ids);
    const names = await residentNames(trx, tenantId, bookings.filter((b) => !b.participant_name).map((b) => b.resident_id));
    const checkins = await repo.checkinsIn(trx, tenantId, ids, day);
    await recordAudit(trx, {
      tenantId,
      actor: { kind: 'staff', id: c.principal.id },
      action: 'checkin.listDownloaded',
      ip: c.ip,
      details: { day, sessions: ids.length, passes: bookings.length },
    });
    return {
      townId: tenantId,
      day,
      validUntil: to.toISOString(),
      keys,
      sessions: sessions.map((s) => ({ id: s.id, name: s.name, startsAt: s.starts_at.toISOString(), endsAt: s.ends_at.toISOString(), confirmed: s.confirmed })),
      passes: bookings.map((b) => ({ bookingId: b.id, sessionId: b.session_id, name: b.participant_name ?? names.get(b.resident_id) ?? '' })),
      checkins: checkins.map((k) => ({ bookingId: k.booking_id, sessionId: k.session_id, at: k.checked_in_at.toISOString() })),
    };
  });
}

/** Why the door refuses a pass: the token's own problems, then the online checks. */
export type DoorProblem = PassProblem | 'unknownBooking' | 'cancelled' | 'moved' | 'otherSession' | 'sessionCancelled';

export type CheckInResult =
  | { status: 'recorded'; checkinId: string; bookingId: string; name: string; activity: Bilingual; checkedInAt: Date }
  | { status: 'already'; checkinId: string; bookingId: string; name: string; activity: Bilingual; checkedInAt: Date }
  | { status: 'refused'; problem: DoorProblem; name: string | null; validFrom: Date | null; validUntil: Date | null };

export interface CheckInInput {
  /** The pass's text, as scanned or typed. */
  code: string;
  /** The session chosen at the door. */
  sessionId: string;
  clientId: string;
  method: 'camera' | 'typed';
  /** When an offline scanner scanned it; now when absent. */
  scannedAt?: Date;
  offline?: boolean;
}

/** Checks one pass in at the door (or reports why not). Throws only on input that no scanner sends. */
export async function checkIn(c: StaffCaller, input: CheckInInput): Promise<CheckInResult> {
  await ensure(c, 'bookings.checkin');
  if (!UUID.test(input.sessionId) || !CLIENT_ID.test(input.clientId)) throw new AppError('badRequest');
  const tenantId = c.tenant.id;
  const now = new Date();
  const claimed = input.scannedAt?.getTime();
  const at = claimed !== undefined && claimed > now.getTime() - PAST_LIMIT_MS && claimed < now.getTime() + FUTURE_LIMIT_MS ? new Date(Math.min(claimed, now.getTime())) : now;
  const day = dayIn(c.tenant.timeZone, at);
  return c.db.withTenant(tenantId, async (trx): Promise<CheckInResult> => {
    const keys = await verifyingKeysIn(trx, tenantId);
    const check = verifyPass(input.code, { id: tenantId, keys }, at);
    const refused = (problem: DoorProblem, name: string | null = null): CheckInResult => ({
      status: 'refused',
      problem,
      name,
      validFrom: check.pass?.validFrom ?? null,
      validUntil: check.pass?.validUntil ?? null,
    });
    if (!check.ok) return refused(check.problem);
    const pass = check.pass;
    const booking = await repo.findBookingForDoor(trx, tenantId, pass.bookingId);
    if (!booking) return refused('unknownBooking');
    const name = booking.participant_name ?? (await residentNames(trx, tenantId, [booking.resident_id])).get(booking.resident_id) ?? '';
    if (booking.status !== 'confirmed') return refused('cancelled', name);
    // The booking was moved to another session after the pass was shown: its new pass is the good one.
    if (booking.session_id !== pass.sessionId) return refused('moved', name);
    if (booking.cancelled_at) return refused('sessionCancelled', name);
    if (booking.session_id !== input.sessionId.toLowerCase()) return refused('otherSession', name);
    const inserted = await repo.insertCheckin(trx, tenantId, {
      bookingId: booking.id,
      sessionId: booking.session_id,
      day,
      clientId: input.clientId,
      checkedInAt: at,
      method: input.method,
      offline: input.offline ?? false,
      staffId: c.principal.id,
    });
    if (inserted) {
      await recordAudit(trx, {
        tenantId,
        actor: { kind: 'staff', id: c.principal.id },
        action: 'booking.checkedIn',
        subject: { kind: 'booking', id: booking.id },
        ip: c.ip,
        details: { sessionId: booking.session_id, day, method: input.method, offline: input.offline ?? false, checkinId: inserted.id },
      });
      return { status: 'recorded', checkinId: inserted.id, bookingId: booking.id, name, activity: booking.name, checkedInAt: inserted.checked_in_at };
    }
    const existing = await repo.findCheckin(trx, tenantId, { clientId: input.clientId, bookingId: booking.id, sessionId: booking.session_id, day });
    if (!existing) throw new AppError('conflict');
    // The same scan sent again (same scanner-made id) is the arrival it recorded the first time.
    const status = existing.client_id === input.clientId && existing.booking_id === booking.id ? 'recorded' : 'already';
    return { status, checkinId: existing.id, bookingId: booking.id, name, activity: booking.name, checkedInAt: existing.checked_in_at };
  });
}

/** One arrival, as the page shows it after the typed form's redirect; null when there is none. */
export async function getCheckin(c: StaffCaller, id: string): Promise<{ sessionId: string; name: string; activity: Bilingual; checkedInAt: Date } | null> {
  await ensure(c, 'bookings.checkin');
  if (!UUID.test(id)) return null;
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx) => {
    const row = await repo.findCheckinById(trx, tenantId, id);
    if (!row) return null;
    const name = row.participant_name ?? (await residentNames(trx, tenantId, [row.resident_id])).get(row.resident_id) ?? '';
    return { sessionId: row.session_id, name, activity: row.name, checkedInAt: row.checked_in_at };
  });
}

export interface SyncItem {
  clientId: string;
  code: string;
  sessionId: string;
  scannedAt: string;
  method: 'camera' | 'typed';
}

/** Arrivals an offline scanner recorded, sent in one go; each is checked and recorded at most once. */
export async function syncCheckins(c: StaffCaller, items: readonly SyncItem[]): Promise<Array<{ clientId: string; result: CheckInResult }>> {
  await ensure(c, 'bookings.checkin');
  const out: Array<{ clientId: string; result: CheckInResult }> = [];
  for (const item of items) {
    const scannedAt = new Date(item.scannedAt);
    const result = await checkIn(c, {
      code: item.code,
      sessionId: item.sessionId,
      clientId: item.clientId,
      method: item.method,
      offline: true,
      ...(Number.isNaN(scannedAt.getTime()) ? {} : { scannedAt }),
    });
    out.push({ clientId: item.clientId, result });
  }
  return out;
}
