/**
 * The booking engine under pressure, on the real database (PGlite, or PostgreSQL with a pool wide
 * enough for real parallel transactions): hundreds of parallel holds never oversell, a retried key
 * books once, holds that run out give their places back, a late confirmation is refused, and after
 * a mix of everything the counters match the bookings exactly (no leak).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { fromPostgresUrl, type Database } from '../../db/database.ts';
import { openTestDatabase, createTestTown, type TestTown } from '../../../test/harness.ts';
import type { ResidentPrincipal } from '../../platform/http.ts';
import { addMember } from '../residents/household.ts';
import { createActivity, recordResidency, type NewActivity } from './catalogue.ts';
import { drawLottery, getDraw, verifyDraw } from './lottery.ts';
import { BookingRefusal, cancelBooking, confirmBooking, enterLottery, getBooking, holdPlace, joinWaitlist, listMyBookings } from './service.ts';
import { seededShuffle } from './shuffle.ts';
import { sweepBookings } from './sweep.ts';
import { callerFor, lapseHolds, makeResidents, newKey, placeAccounting } from './testing.ts';

let db: Database;
let town: TestTown;
let people: ResidentPrincipal[];

const HOUR = 3_600_000;
const past = (h = 1) => new Date(Date.now() - h * HOUR);
const future = (h = 48) => new Date(Date.now() + h * HOUR);

beforeAll(async () => {
  const url = inject('databaseUrl');
  // On PostgreSQL, a pool wide enough that the parallel attempts really run side by side.
  db = url ? fromPostgresUrl(url, 20) : await openTestDatabase();
  town = await createTestTown(db, 'Moteur');
  people = await makeResidents(db, town.tenant.id, 400);
});

afterAll(async () => {
  await db.close();
});

let counter = 0;
async function activity(overrides: Partial<NewActivity> = {}, capacity = 10, sessions = 1) {
  counter += 1;
  const created = await createActivity(db, town.tenant.id, {
    slug: `act-${counter}-${Date.now().toString(36)}`,
    kind: 'activity',
    name: { fr: `Activité ${counter}`, en: `Activity ${counter}` },
    opensAt: past(),
    sessions: Array.from({ length: sessions }, (_, i) => ({ startsAt: future(48 + i), endsAt: future(49 + i), capacity })),
    ...overrides,
  });
  if (!created) throw new Error('slug taken');
  return created;
}

const caller = (i: number) => callerFor(db, town.tenant, people[i]!);

async function refusalOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (err instanceof BookingRefusal) return err.code;
    throw err;
  }
}

describe('holding places on registration day', () => {
  it('gives exactly N places to hundreds of parallel attempts, never more', async () => {
    const { id, sessionIds } = await activity({}, 25);
    const sessionId = sessionIds[0]!;
    const outcomes = await Promise.all(
      people.slice(0, 300).map((_, i) => refusalOf(holdPlace(caller(i), { sessionId, participant: 'self', idempotencyKey: newKey() }))),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(25);
    expect(outcomes.filter((o) => o === 'full')).toHaveLength(275);
    const [account] = await placeAccounting(db, town.tenant.id, id);
    expect(account).toMatchObject({ capacity: 25, taken: 25, live: 25 });
  });

  it('books once for a double click or a retried form (same key)', async () => {
    const { id, sessionIds } = await activity({}, 5);
    const key = newKey();
    const results = await Promise.all(Array.from({ length: 20 }, () => holdPlace(caller(0), { sessionId: sessionIds[0]!, participant: 'self', idempotencyKey: key })));
    expect(new Set(results.map((r) => r.bookingId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const [account] = await placeAccounting(db, town.tenant.id, id);
    expect(account).toMatchObject({ taken: 1, live: 1 });
    // A second form (new key) for the same person and session is refused: one place per person.
    expect(await refusalOf(holdPlace(caller(0), { sessionId: sessionIds[0]!, participant: 'self', idempotencyKey: newKey() }))).toBe('alreadyBooked');
  });

  it('gives the places of holds that ran out back by themselves, without overselling', async () => {
    const { id, sessionIds } = await activity({}, 10);
    const sessionId = sessionIds[0]!;
    const first = await Promise.all(people.slice(0, 10).map((_, i) => holdPlace(caller(i), { sessionId, participant: 'self', idempotencyKey: newKey() })));
    expect(await refusalOf(holdPlace(caller(10), { sessionId, participant: 'self', idempotencyKey: newKey() }))).toBe('full');
    // Four holds run out: the next attempts take exactly those four places.
    await lapseHolds(db, town.tenant.id, first.slice(0, 4).map((r) => r.bookingId));
    const outcomes = await Promise.all(
      people.slice(20, 120).map((_, i) => refusalOf(holdPlace(caller(20 + i), { sessionId, participant: 'self', idempotencyKey: newKey() }))),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(4);
    const [account] = await placeAccounting(db, town.tenant.id, id);
    expect(account).toMatchObject({ capacity: 10, taken: 10, live: 10 });
    expect((await getBooking(caller(0), first[0]!.bookingId))!.status).toBe('expired');
  });

  it('refuses a confirmation after the hold ran out and gives the place back at once', async () => {
    const { id, sessionIds } = await activity({}, 3);
    const hold = await holdPlace(caller(1), { sessionId: sessionIds[0]!, participant: 'self', idempotencyKey: newKey() });
    await lapseHolds(db, town.tenant.id, [hold.bookingId]);
    expect(await refusalOf(confirmBooking(caller(1), hold.bookingId))).toBe('holdExpired');
    const [account] = await placeAccounting(db, town.tenant.id, id);
    expect(account).toMatchObject({ taken: 0, live: 0 });
    // A live hold confirms, once, and a second confirmation changes nothing.
    const again = await holdPlace(caller(1), { sessionId: sessionIds[0]!, participant: 'self', idempotencyKey: newKey() });
    await confirmBooking(caller(1), again.bookingId);
    await confirmBooking(caller(1), again.bookingId);
    expect((await getBooking(caller(1), again.bookingId))).toMatchObject({ status: 'confirmed', paymentMethod: 'free', paymentStatus: 'none' });
    expect(await getBooking(caller(2), again.bookingId)).toBeNull();
  });

  it('leaks no place after a mix of holds, confirmations, cancellations and lapses in parallel', async () => {
    const { id, sessionIds } = await activity({ cancelHoursBefore: 1 }, 7, 3);
    const ops = people.slice(0, 240).map(async (_, i) => {
      const sessionId = sessionIds[i % 3]!;
      const c = caller(i);
      const outcome = await refusalOf(
        (async () => {
          const hold = await holdPlace(c, { sessionId, participant: 'self', idempotencyKey: newKey() });
          if (i % 4 === 0) await cancelBooking(c, hold.bookingId);
          else if (i % 4 === 1) await confirmBooking(c, hold.bookingId);
          else if (i % 4 === 2) {
            await confirmBooking(c, hold.bookingId);
            await cancelBooking(c, hold.bookingId);
          } else await lapseHolds(db, town.tenant.id, [hold.bookingId]);
        })(),
      );
      expect(['ok', 'full', 'holdExpired', 'notCancellable']).toContain(outcome);
    });
    await Promise.all(ops);
    await sweepBookings(db, 'http://guichet.test', [town.tenant.id]);
    const accounts = await placeAccounting(db, town.tenant.id, id);
    for (const a of accounts) {
      expect(a.taken).toBe(a.live);
      expect(a.live).toBeLessThanOrEqual(a.capacity);
    }
    expect(accounts.reduce((n, a) => n + a.confirmed, 0)).toBeGreaterThan(0);
  });
});

describe('registration windows and eligibility', () => {
  it('refuses before the opening and opens earlier for residents with a proof', async () => {
    const { sessionIds } = await activity({ opensAt: future(2), residentsOpenAt: past(1) });
    const sessionId = sessionIds[0]!;
    expect(await refusalOf(holdPlace(caller(300), { sessionId, participant: 'self', idempotencyKey: newKey() }))).toBe('residentsWindow');
    await recordResidency(db, town.tenant.id, people[301]!.id, '2999-12-31');
    expect(await refusalOf(holdPlace(caller(301), { sessionId, participant: 'self', idempotencyKey: newKey() }))).toBe('ok');
    const later = await activity({ opensAt: future(2) });
    const refusal = await holdPlace(caller(300), { sessionId: later.sessionIds[0]!, participant: 'self', idempotencyKey: newKey() }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(BookingRefusal);
    expect((refusal as BookingRefusal).code).toBe('notOpen');
    expect((refusal as BookingRefusal).params.date).toBeInstanceOf(Date);
  });

  it('charges the resident price to residents and the other price to others', async () => {
    const { sessionIds } = await activity({ residentPriceCents: 2500, nonresidentPriceCents: 4000 });
    const resident = await holdPlace(caller(301), { sessionId: sessionIds[0]!, participant: 'self', idempotencyKey: newKey() });
    const other = await holdPlace(caller(302), { sessionId: sessionIds[0]!, participant: 'self', idempotencyKey: newKey() });
    expect(await getBooking(caller(301), resident.bookingId)).toMatchObject({ rate: 'resident', priceCents: 2500 });
    await confirmBooking(caller(302), other.bookingId, 'counter');
    expect(await getBooking(caller(302), other.bookingId)).toMatchObject({ rate: 'nonresident', priceCents: 4000, status: 'confirmed', paymentMethod: 'counter', paymentStatus: 'due' });
  });

  it('checks the age of the household member on the first day of the session', async () => {
    const c = caller(310);
    const year = new Date().getUTCFullYear();
    const child = await addMember(c, { name: 'Léa', birthDate: `${year - 8}-01-01`, relationship: 'child' });
    const teen = await addMember(c, { name: 'Max', birthDate: `${year - 15}-01-01`, relationship: 'child' });
    if (!child.ok || !teen.ok) throw new Error('members not added');
    const { sessionIds } = await activity({ minAge: 6, maxAge: 12 });
    const sessionId = sessionIds[0]!;
    expect(await refusalOf(holdPlace(c, { sessionId, participant: teen.member.id, idempotencyKey: newKey() }))).toBe('ineligibleAge');
    expect(await refusalOf(holdPlace(c, { sessionId, participant: 'self', idempotencyKey: newKey() }))).toBe('memberRequired');
    // Someone else's household member is unknown here.
    expect(await refusalOf(holdPlace(caller(311), { sessionId, participant: child.member.id, idempotencyKey: newKey() }))).toBe('unknownMember');
    const ok = await holdPlace(c, { sessionId, participant: child.member.id, idempotencyKey: newKey() });
    expect(await getBooking(c, ok.bookingId)).toMatchObject({ participant: 'Léa', memberId: child.member.id });
  });

  it('lets a confirmed booking be cancelled only until the activity limit', async () => {
    const { sessionIds } = await activity({ cancelHoursBefore: 72 });
    const hold = await holdPlace(caller(320), { sessionId: sessionIds[0]!, participant: 'self', idempotencyKey: newKey() });
    await confirmBooking(caller(320), hold.bookingId);
    expect(await refusalOf(cancelBooking(caller(320), hold.bookingId))).toBe('cancelTooLate');
    expect((await getBooking(caller(320), hold.bookingId))!.canCancel).toBe(false);
  });
});

describe('waitlist', () => {
  it('offers a freed place to the next person, then to the one after when the offer runs out', async () => {
    const { id, sessionIds } = await activity({ cancelHoursBefore: 1 }, 1);
    const sessionId = sessionIds[0]!;
    const first = await holdPlace(caller(330), { sessionId, participant: 'self', idempotencyKey: newKey() });
    await confirmBooking(caller(330), first.bookingId);
    expect(await refusalOf(joinWaitlist(caller(330), { sessionId, participant: 'self' }))).toBe('alreadyBooked');
    await joinWaitlist(caller(331), { sessionId, participant: 'self' });
    await joinWaitlist(caller(332), { sessionId, participant: 'self' });
    expect(await refusalOf(joinWaitlist(caller(332), { sessionId, participant: 'self' }))).toBe('alreadyWaiting');
    expect((await listMyBookings(caller(332))).waitlist[0]).toMatchObject({ position: 2 });

    await cancelBooking(caller(330), first.bookingId);
    // The place went to 331 (held for them), not back to everyone.
    expect(await refusalOf(holdPlace(caller(333), { sessionId, participant: 'self', idempotencyKey: newKey() }))).toBe('full');
    const offer331 = (await listMyBookings(caller(331))).bookings[0]!;
    expect(offer331).toMatchObject({ status: 'held', source: 'waitlist' });
    expect((await listMyBookings(caller(332))).waitlist[0]).toMatchObject({ position: 1 });

    // 331 lets the offer run out: the sweep offers it to 332.
    await lapseHolds(db, town.tenant.id, [offer331.id]);
    await sweepBookings(db, 'http://guichet.test', [town.tenant.id]);
    const offer332 = (await listMyBookings(caller(332))).bookings[0]!;
    expect(offer332).toMatchObject({ status: 'held', source: 'waitlist' });
    await confirmBooking(caller(332), offer332.id);
    const [account] = await placeAccounting(db, town.tenant.id, id);
    expect(account).toMatchObject({ taken: 1, live: 1, confirmed: 1 });
  });
});

describe('lottery', () => {
  it('draws with a recorded seed that anyone can re-run, and waitlists the others in the draw order', async () => {
    const { sessionIds } = await activity({ mode: 'lottery', opensAt: past(2), lotteryClosesAt: future(1) }, 3);
    const sessionId = sessionIds[0]!;
    expect(await refusalOf(holdPlace(caller(340), { sessionId, participant: 'self', idempotencyKey: newKey() }))).toBe('lotteryOnly');
    for (let i = 340; i < 350; i++) await enterLottery(caller(i), { sessionId, participant: 'self' });
    expect(await refusalOf(enterLottery(caller(340), { sessionId, participant: 'self' }))).toBe('alreadyEntered');
    // Not before the entries close.
    await expect(drawLottery(db, { tenant: town.tenant, publicUrl: 'http://x' }, sessionId)).rejects.toThrow();
  });

  it('gives the same order for the same seed and entries, whatever order they come in', () => {
    const ids = Array.from({ length: 50 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const seed = 'ab'.repeat(32);
    const once = seededShuffle(seed, ids);
    expect(seededShuffle(seed, [...ids].reverse())).toEqual(once);
    expect(once).not.toEqual(ids);
    expect([...once].sort()).toEqual(ids);
    expect(seededShuffle('cd'.repeat(32), ids)).not.toEqual(once);
  });

  it('runs the draw once, records it, and the record checks out', async () => {
    const { id, sessionIds } = await activity({ mode: 'lottery', opensAt: past(3), lotteryClosesAt: future(1) }, 3);
    const sessionId = sessionIds[0]!;
    for (let i = 350; i < 360; i++) await enterLottery(caller(i), { sessionId, participant: 'self' });
    // Entries close (the test moves the closing time instead of waiting).
    await db.withTenant(town.tenant.id, (trx) =>
      trx.updateTable('activities').set({ lottery_closes_at: past(1) }).where('tenant_id', '=', town.tenant.id).where('id', '=', id).execute(),
    );
    const seed = '5e'.repeat(32);
    const draw = await drawLottery(db, { tenant: town.tenant, publicUrl: 'http://x' }, sessionId, { seed });
    expect(draw).toMatchObject({ seed, places: 3, winners: 3 });
    expect(verifyDraw(draw)).toBe(true);
    expect(verifyDraw({ ...draw, order: [...draw.order].reverse() })).toBe(false);
    expect(await drawLottery(db, { tenant: town.tenant, publicUrl: 'http://x' }, sessionId)).toMatchObject({ seed, order: draw.order });
    expect(await getDraw(db, town.tenant.id, sessionId)).toMatchObject({ seed, order: draw.order });

    const accounts = await placeAccounting(db, town.tenant.id, id);
    expect(accounts[0]).toMatchObject({ taken: 3, live: 3 });
    let waiting = 0;
    for (let i = 350; i < 360; i++) {
      const mine = await listMyBookings(caller(i));
      if (mine.bookings.some((b) => b.source === 'lottery' && b.status === 'held')) continue;
      waiting += 1;
      expect(mine.waitlist).toHaveLength(1);
    }
    expect(waiting).toBe(7);
    // After the draw, leftover places (none here) would go first come, first served.
    expect(await refusalOf(holdPlace(caller(360), { sessionId, participant: 'self', idempotencyKey: newKey() }))).toBe('full');
  });
});
