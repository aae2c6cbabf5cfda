/**
 * Giving places back. A place leaves a booking in one of two ways, both here: its hold ran out, or
 * the booking was cancelled. In the same transaction the place goes to the next person on the
 * session's waitlist (held for them for the activity's offer time, and they are emailed), or, when
 * nobody waits, back to everyone (taken - 1). Nothing leaks: every place that leaves a booking is
 * either re-held or uncounted before the transaction commits.
 */
import type { Tx } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { residentForSession } from '../residents/service.ts';
import { mailOffer, type TownContext } from './mail.ts';
import * as repo from './repo.ts';
import { dateIn, priceFor } from './rules.ts';

/** Holds of a session that run out are given back at most this many at a time per transaction. */
const LAPSED_BATCH = 200;

/**
 * Gives `count` places of a session back: to the waitlist first (first come, first served), the
 * rest to everyone. Returns how many went to the waitlist.
 */
export async function givePlacesBack(trx: Tx, ctx: TownContext, sessionId: string, count: number): Promise<number> {
  if (count <= 0) return 0;
  const tenantId = ctx.tenant.id;
  const session = await repo.findSession(trx, tenantId, sessionId);
  let offered = 0;
  // No offers for a session that has started or was cancelled: the places simply return.
  if (session && !session.cancelled_at && session.starts_at > session.now) {
    const today = dateIn(ctx.tenant.timeZone, session.now);
    const secondsLeft = Math.floor((session.starts_at.getTime() - session.now.getTime()) / 1000);
    const holdSeconds = Math.max(60, Math.min(session.offer_hours * 3600, secondsLeft));
    while (offered < count) {
      const heads = await repo.nextWaiting(trx, tenantId, sessionId, count - offered);
      if (heads.length === 0) break;
      const residents = await repo.residentsAmong(trx, tenantId, [...new Set(heads.map((h) => h.resident_id))], today);
      for (const head of heads) {
        const price = priceFor({ residentCents: session.resident_price_cents, nonresidentCents: session.nonresident_price_cents }, residents.has(head.resident_id));
        const hold = await repo.insertHold(trx, tenantId, {
          sessionId,
          residentId: head.resident_id,
          memberId: head.member_id,
          participantName: head.participant_name,
          idempotencyKey: `waitlist:${head.id}`,
          source: 'waitlist',
          rate: price.rate,
          priceCents: price.cents,
          holdSeconds,
        });
        const person = hold ? await residentForSession(trx, tenantId, head.resident_id) : null;
        if (!hold || !person) {
          // They hold a place in this session already (booked it meanwhile), or the account is gone.
          await repo.setWaitlistStatus(trx, tenantId, head.id, 'left', null);
          continue;
        }
        await repo.setWaitlistStatus(trx, tenantId, head.id, 'offered', hold.id);
        await mailOffer(
          trx,
          ctx,
          { email: person.email, locale: person.locale },
          { bookingId: hold.id, activity: session.name, startsAt: session.starts_at, participant: head.participant_name, priceCents: price.cents },
          'waitlist',
          hold.hold_expires_at!,
        );
        await recordAudit(trx, {
          tenantId,
          actor: { kind: 'system' },
          action: 'waitlist.offered',
          subject: { kind: 'booking', id: hold.id },
          details: { sessionId, entryId: head.id },
        });
        offered += 1;
      }
    }
  }
  if (count - offered > 0) await repo.releasePlaces(trx, tenantId, sessionId, count - offered);
  return offered;
}

/**
 * Ends the holds that ran out (of one session, or the whole town) and gives their places back.
 * Returns how many holds ended. Safe to run from several transactions at once: each lapsed hold is
 * ended by exactly one of them.
 */
export async function releaseLapsedHolds(trx: Tx, ctx: TownContext, sessionId: string | null): Promise<number> {
  const tenantId = ctx.tenant.id;
  const expired = await repo.expireLapsedHolds(trx, tenantId, sessionId, LAPSED_BATCH);
  if (expired.length === 0) return 0;
  await repo.closeOffers(
    trx,
    tenantId,
    expired.filter((e) => e.source === 'waitlist').map((e) => e.id),
    'expired',
  );
  const perSession = new Map<string, number>();
  for (const e of expired) perSession.set(e.session_id, (perSession.get(e.session_id) ?? 0) + 1);
  // Sessions in a fixed order: two transactions giving places back never wait for each other in a circle.
  for (const [session, count] of [...perSession].sort(([a], [b]) => (a < b ? -1 : 1))) await givePlacesBack(trx, ctx, session, count);
  return expired.length;
}
