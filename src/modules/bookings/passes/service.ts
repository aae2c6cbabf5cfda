/**
 * A resident's pass: every confirmed booking has one, shown only to its owner. The pass is a token
 * signed with the town's key (token.ts) carrying no personal data: the booking, its session, the
 * town and the days it is valid (the session's days in the town's time zone).
 */
import type { Database } from '../../../db/database.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { startOfDay } from '../catalogue.ts';
import { dayIn } from '../format.ts';
import { getBooking, type BookingCaller, type BookingView } from '../service.ts';
import { rotateSigningKeyIn, signingKeyIn } from './keys.ts';
import { signPass } from './token.ts';

/** A resident at work, with the secret that opens the town's signing key. */
export interface PassCaller extends BookingCaller {
  sessionSecret: string;
}

/** The day after a calendar day (YYYY-MM-DD). */
export function nextDay(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** From midnight starting the session's first day to midnight ending its last day, in the town's zone. */
export function validityOf(timeZone: string, startsAt: Date, endsAt: Date): { validFrom: Date; validUntil: Date } {
  const first = dayIn(timeZone, startsAt);
  const last = dayIn(timeZone, new Date(Math.max(startsAt.getTime(), endsAt.getTime() - 1)));
  return { validFrom: startOfDay(first, timeZone), validUntil: startOfDay(nextDay(last), timeZone) };
}

export interface Pass {
  booking: BookingView;
  /** The token's text (Crockford base32), as the QR code carries it. */
  token: string;
  kid: string;
  validFrom: Date;
  validUntil: Date;
}

/** The pass of one of the resident's confirmed bookings; null for any other booking (or someone else's). */
export async function getPass(c: PassCaller, bookingId: string): Promise<Pass | null> {
  // getBooking checks the permission first: another resident's booking is not found.
  const booking = await getBooking(c, bookingId);
  if (!booking || booking.status !== 'confirmed') return null;
  const tenantId = c.tenant.id;
  const key = await c.db.withTenant(tenantId, (trx) => signingKeyIn(trx, c.sessionSecret, tenantId));
  const { validFrom, validUntil } = validityOf(c.tenant.timeZone, booking.startsAt, booking.endsAt);
  const token = signPass({ kid: key.kid, townId: tenantId, bookingId: booking.id, sessionId: booking.sessionId, validFrom, validUntil }, key.privateKey);
  return { booking, token, kid: key.kid, validFrom, validUntil };
}

/**
 * Operators: a new key takes over the signing of the town's passes (passes already shown keep
 * working: the former key still verifies them). Audited. Returns the new key id.
 */
export async function rotatePassKey(db: Database, sessionSecret: string, tenantId: string): Promise<string> {
  return db.withTenant(tenantId, async (trx) => {
    const kid = await rotateSigningKeyIn(trx, sessionSecret, tenantId);
    await recordAudit(trx, { tenantId, actor: { kind: 'system' }, action: 'passKey.rotated', subject: { kind: 'passKey', id: kid } });
    return kid;
  });
}
