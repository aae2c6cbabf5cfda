/**
 * The lottery: entries during a window, then one draw per session with a recorded seed. The winners
 * get a place held for them (offered by email, to confirm within the activity's offer time); the
 * others join the waitlist in the draw's order. The draw's record (seed, entries in canonical
 * order, resulting order) lets anyone re-run the shuffle (shuffle.ts) and check it.
 */
import type { Database } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { residentForSession } from '../residents/service.ts';
import { toActivity, type Activity } from './catalogue.ts';
import { mailLotteryWaitlisted, mailOffer, type TownContext } from './mail.ts';
import * as repo from './repo.ts';
import { BookingRefusal, dateIn, priceFor } from './rules.ts';
import { canonicalOrder, newSeed, seededShuffle, SHUFFLE_ALGORITHM } from './shuffle.ts';

export interface Draw {
  sessionId: string;
  algorithm: string;
  seed: string;
  /** The entries' ids in canonical order (the shuffle's input). */
  entryIds: string[];
  /** The shuffle's output: places go to the first ones. */
  order: string[];
  places: number;
  winners: number;
  drawnAt: Date;
}

type DrawRow = NonNullable<Awaited<ReturnType<typeof repo.findDraw>>>;

function toDraw(row: DrawRow): Draw {
  return {
    sessionId: row.session_id,
    algorithm: row.algorithm,
    seed: row.seed,
    entryIds: row.entry_ids,
    order: row.drawn_order,
    places: row.places,
    winners: row.winners,
    drawnAt: row.drawn_at,
  };
}

export interface DrawOptions {
  /** The seed to use (64 hex digits); a fresh random one when left out. */
  seed?: string;
  /** The staff member running the draw; the scheduled draw runs as the system. */
  drawnBy?: string | null;
}

/**
 * Runs a session's draw once its entries have closed. Running it again returns the recorded draw.
 * Operator act (the scheduled sweep, staff behind their permission check, tests).
 */
export async function drawLottery(db: Database, town: TownContext, sessionId: string, options: DrawOptions = {}): Promise<Draw> {
  const tenantId = town.tenant.id;
  return db.withTenant(tenantId, async (trx) => {
    const session = await repo.lockSessionForDraw(trx, tenantId, sessionId);
    if (!session) throw new AppError('notFound');
    if (session.booking_mode !== 'lottery' || !session.lottery_closes_at) throw new BookingRefusal('notLottery', {}, session.slug);
    const existing = await repo.findDraw(trx, tenantId, sessionId);
    if (existing) return toDraw(existing);
    if (session.now < session.lottery_closes_at) throw new AppError('conflict', 'entries are still open');

    const entries = await repo.listEntriesForDraw(trx, tenantId, sessionId);
    const byId = new Map(entries.map((e) => [e.id, e]));
    const seed = options.seed ?? newSeed();
    const entryIds = canonicalOrder(entries.map((e) => e.id));
    const order = seededShuffle(seed, entryIds);
    const places = session.cancelled_at ? 0 : Math.max(0, session.capacity - session.taken);
    const today = dateIn(town.tenant.timeZone, session.now);
    const residents = await repo.residentsAmong(trx, tenantId, [...new Set(entries.map((e) => e.resident_id))], today);
    const secondsLeft = Math.floor((session.starts_at.getTime() - session.now.getTime()) / 1000);
    const holdSeconds = Math.max(60, Math.min(session.offer_hours * 3600, secondsLeft));

    const won: string[] = [];
    const lost: string[] = [];
    const offers: Array<{ entry: (typeof entries)[number]; bookingId: string; deadline: Date; priceCents: number }> = [];
    for (const id of order) {
      const entry = byId.get(id)!;
      if (won.length >= places) {
        lost.push(id);
        continue;
      }
      const price = priceFor({ residentCents: session.resident_price_cents, nonresidentCents: session.nonresident_price_cents }, residents.has(entry.resident_id));
      const hold = await repo.insertHold(trx, tenantId, {
        sessionId,
        residentId: entry.resident_id,
        memberId: entry.member_id,
        participantName: entry.participant_name,
        idempotencyKey: `lottery:${entry.id}`,
        source: 'lottery',
        rate: price.rate,
        priceCents: price.cents,
        holdSeconds,
      });
      if (!hold) {
        lost.push(id);
        continue;
      }
      won.push(id);
      offers.push({ entry, bookingId: hold.id, deadline: hold.hold_expires_at!, priceCents: price.cents });
    }
    if (won.length > 0 && !(await repo.takePlaces(trx, tenantId, sessionId, won.length))) {
      throw new Error('the locked session has fewer free places than counted');
    }
    await repo.setEntriesStatus(trx, tenantId, won, 'won');
    await repo.setEntriesStatus(trx, tenantId, lost, 'lost');
    // The others wait in the draw's order (the waitlist keeps insertion order).
    let position = 0;
    for (const id of lost) {
      const entry = byId.get(id)!;
      const joined = await repo.insertWaitlistEntry(trx, tenantId, {
        sessionId,
        residentId: entry.resident_id,
        memberId: entry.member_id,
        participantName: entry.participant_name,
      });
      if (!joined) continue;
      position += 1;
      const person = await residentForSession(trx, tenantId, entry.resident_id);
      if (person) {
        await mailLotteryWaitlisted(trx, town, { email: person.email, locale: person.locale }, {
          entryId: entry.id,
          activity: session.name,
          startsAt: session.starts_at,
          participant: entry.participant_name,
          position,
          slug: session.slug,
        });
      }
    }
    for (const offer of offers) {
      const person = await residentForSession(trx, tenantId, offer.entry.resident_id);
      if (!person) continue;
      await mailOffer(
        trx,
        town,
        { email: person.email, locale: person.locale },
        { bookingId: offer.bookingId, activity: session.name, startsAt: session.starts_at, participant: offer.entry.participant_name, priceCents: offer.priceCents },
        'lottery',
        offer.deadline,
      );
    }
    const saved = await repo.insertDraw(trx, tenantId, {
      sessionId,
      algorithm: SHUFFLE_ALGORITHM,
      seed,
      entryIds,
      order,
      places,
      winners: won.length,
      drawnBy: options.drawnBy ?? null,
    });
    await recordAudit(trx, {
      tenantId,
      actor: options.drawnBy ? { kind: 'staff', id: options.drawnBy } : { kind: 'system' },
      action: 'lottery.drawn',
      subject: { kind: 'lotteryDraw', id: saved.id },
      details: { sessionId, entries: entryIds.length, places, winners: won.length, seed },
    });
    return { sessionId, algorithm: SHUFFLE_ALGORITHM, seed, entryIds, order, places, winners: won.length, drawnAt: saved.drawn_at };
  });
}

export interface DrawRecord {
  activity: Activity;
  session: { id: string; startsAt: Date; endsAt: Date };
  draw: Draw;
  /** Re-running the shuffle on the record gives the recorded order. */
  verified: boolean;
}

/** The public record of a session's draw, for anyone to check; null when unknown or not drawn yet. Ids only, no names. */
export async function getDrawRecord(db: Database, tenantId: string, slug: string, sessionId: string): Promise<DrawRecord | null> {
  if (!UUID.test(sessionId)) return null;
  return db.withTenant(tenantId, async (trx) => {
    const activity = await repo.findActivityBySlug(trx, tenantId, slug);
    const session = activity ? await repo.findSession(trx, tenantId, sessionId.toLowerCase()) : undefined;
    if (!activity || !session || session.id !== activity.id) return null;
    const row = await repo.findDraw(trx, tenantId, session.session_id);
    if (!row) return null;
    const draw = toDraw(row);
    return { activity: toActivity(activity), session: { id: session.session_id, startsAt: session.starts_at, endsAt: session.ends_at }, draw, verified: verifyDraw(draw) };
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A session's recorded draw, if it ran. Public: ids only, no names. */
export async function getDraw(db: Database, tenantId: string, sessionId: string): Promise<Draw | null> {
  const row = await db.withTenant(tenantId, (trx) => repo.findDraw(trx, tenantId, sessionId));
  return row ? toDraw(row) : null;
}

/** Re-runs the recorded draw: true when the seed and the entries give the recorded order. */
export function verifyDraw(draw: Pick<Draw, 'algorithm' | 'seed' | 'entryIds' | 'order'>): boolean {
  if (draw.algorithm !== SHUFFLE_ALGORITHM) return false;
  const again = seededShuffle(draw.seed, draw.entryIds);
  return again.length === draw.order.length && again.every((id, i) => id === draw.order[i]);
}
