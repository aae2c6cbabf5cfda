/**
 * Staff at the desk through the real app, in both languages: move a booking to another session
 * (never over capacity, also with many moves at once and moves crossing each other), cancel it,
 * mark it paid, refund it, each with the resident emailed in their language (outbox); residency
 * requests asked by residents and approved or refused by staff; wrong input and the wrong people
 * refused.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestTown, formSession, type TestApp, type TestTown } from '../../../test/harness.ts';
import { addPerson, postForm, type TestPerson } from '../admin/testing.ts';
import { staffPrincipal } from '../departments/service.ts';
import { latestMail, signInResident, submit, visit } from '../residents/testing.ts';
import { createActivity, type NewActivity } from './catalogue.ts';
import { confirmBooking, holdPlace } from './service.ts';
import type { StaffBookingCaller } from './staff/caller.ts';
import { moveBooking } from './staff/desk.ts';
import { callerFor, makeResidents, newKey, placeAccounting } from './testing.ts';

let t: TestApp;
let town: TestTown;
let other: TestTown;
let manager: TestPerson;
let agent: TestPerson;
let otherManager: TestPerson;

beforeAll(async () => {
  t = await createTestApp();
  town = await createTestTown(t.db, 'Granby');
  other = await createTestTown(t.db, 'Bromont');
  manager = await addPerson(t, town, 'manager', 'Marie Gestion');
  agent = await addPerson(t, town, 'agent', 'Alex Agent', 'en');
  otherManager = await addPerson(t, other, 'manager', 'Odile Autre');
});
afterAll(() => t.close());

const HOUR = 3_600_000;
const get = (p: TestPerson, url: string, host = town.host) => t.app.inject({ url, headers: { host, cookie: p.cookie } });
/** Posts like a browser; the CSRF token comes from the staff home page (it has the sign-out form). */
const post = (p: TestPerson, action: string, fields: Record<string, string> = {}) => postForm(t.app, town.host, p.cookie, `/${action.slice(1, 3)}/staff`, action, fields);

let n = 0;
async function activity(overrides: Partial<NewActivity> = {}, capacities = [5, 5]) {
  n += 1;
  const made = await createActivity(t.db, town.tenant.id, {
    slug: `camp-${n}-${crypto.randomBytes(3).toString('hex')}`,
    kind: 'activity',
    name: { fr: `Camp de jour ${n}`, en: `Day camp ${n}` },
    opensAt: new Date(Date.now() - HOUR),
    sessions: capacities.map((capacity, i) => ({ startsAt: new Date(Date.now() + (48 + 24 * i) * HOUR), endsAt: new Date(Date.now() + (49 + 24 * i) * HOUR), capacity })),
    ...overrides,
  });
  return made!;
}

async function booked(sessionId: string, locale: 'fr' | 'en' = 'fr', confirm = true) {
  const [person] = await makeResidents(t.db, town.tenant.id, 1, locale);
  const c = callerFor(t.db, town.tenant, person!);
  const { bookingId } = await holdPlace(c, { sessionId, participant: 'self', idempotencyKey: newKey() });
  if (confirm) await confirmBooking(c, bookingId);
  return { person: person!, bookingId };
}

async function staffCaller(p: TestPerson): Promise<StaffBookingCaller> {
  const principal = await staffPrincipal(t.db, town.tenant.id, { id: p.id, name: p.name, email: p.email, role: p.role, locale: 'fr' });
  return { db: t.db, principal, ip: null, tenant: town.tenant, publicUrl: 'http://guichet.test' };
}

describe('moving a booking', () => {
  it.each([
    ['fr', 'Votre réservation a été déplacée', 'Cette séance est complète'],
    ['en', 'Your booking was moved', 'That session is full'],
  ] as const)('moves it to another session and emails the resident in %s; a full session is refused', async (lang, subject, fullMsg) => {
    const a = await activity({}, [5, 1, 5]);
    const [s1, s2, s3] = a.sessionIds as [string, string, string];
    const b = await booked(s1, lang);
    await booked(s2);
    const page = `/${lang}/staff/bookings/bookings/${b.bookingId}`;
    const shown = await get(manager, page);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain(`value="${s3}"`);
    const full = await post(manager, `${page}/move`, { session: s2 });
    expect(full.statusCode).toBe(409);
    expect(full.body).toContain(fullMsg);
    const empty = await post(manager, `${page}/move`, { session: '' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('href="#session"');
    const foreign = await activity();
    expect((await post(manager, `${page}/move`, { session: foreign.sessionIds[0]! })).statusCode).toBe(422);
    const moved = await post(manager, `${page}/move`, { session: s3 });
    expect(moved.statusCode).toBe(303);
    expect(String(moved.headers.location)).toContain('?done=moved');
    const mail = await latestMail(t.db, town.tenant.id, b.person.email);
    expect(mail.subject).toContain(subject);
    const counts = Object.fromEntries((await placeAccounting(t.db, town.tenant.id, a.id)).map((s) => [s.id, s]));
    expect(counts[s1]).toMatchObject({ taken: 0, live: 0 });
    expect(counts[s3]).toMatchObject({ taken: 1, live: 1, confirmed: 1 });
    expect((await post(manager, `${page}/move`, { session: s3 })).statusCode).toBe(422);
  });

  it('never puts more people in a session than its capacity, with many moves at once', async () => {
    const a = await activity({}, [40, 5]);
    const [from, to] = a.sessionIds as [string, string];
    const people = await makeResidents(t.db, town.tenant.id, 30);
    const bookings = await Promise.all(people.map((p) => holdPlace(callerFor(t.db, town.tenant, p), { sessionId: from, participant: 'self', idempotencyKey: newKey() })));
    const c = await staffCaller(manager);
    const results = await Promise.all(bookings.map((b) => moveBooking(c, b.bookingId, to)));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(results.filter((r) => !r.ok && r.code === 'full')).toHaveLength(25);
    const counts = Object.fromEntries((await placeAccounting(t.db, town.tenant.id, a.id)).map((s) => [s.id, s]));
    expect(counts[to]).toMatchObject({ capacity: 5, taken: 5, live: 5 });
    expect(counts[from]).toMatchObject({ taken: 25, live: 25 });
  });

  it('moves crossing each other neither deadlock nor leak a place', async () => {
    const a = await activity({}, [12, 12]);
    const [x, y] = a.sessionIds as [string, string];
    const people = await makeResidents(t.db, town.tenant.id, 20);
    const inX = await Promise.all(people.slice(0, 10).map((p) => holdPlace(callerFor(t.db, town.tenant, p), { sessionId: x, participant: 'self', idempotencyKey: newKey() })));
    const inY = await Promise.all(people.slice(10).map((p) => holdPlace(callerFor(t.db, town.tenant, p), { sessionId: y, participant: 'self', idempotencyKey: newKey() })));
    const c = await staffCaller(manager);
    const results = await Promise.all([...inX.map((b) => moveBooking(c, b.bookingId, y)), ...inY.map((b) => moveBooking(c, b.bookingId, x))]);
    for (const r of results) expect(r.ok || r.code === 'full').toBe(true);
    for (const s of await placeAccounting(t.db, town.tenant.id, a.id)) {
      expect(s.taken).toBe(s.live);
      expect(s.taken).toBeLessThanOrEqual(s.capacity);
    }
    const total = (await placeAccounting(t.db, town.tenant.id, a.id)).reduce((sum, s) => sum + s.live, 0);
    expect(total).toBe(20);
  });
});

describe('cancel, mark paid, refund', () => {
  it.each([
    ['fr', 'Paiement reçu', 'Votre réservation a été annulée', 'Remboursement'],
    ['en', 'Payment received', 'Your booking was cancelled', 'Refund'],
  ] as const)('marks paid, cancels and refunds, each emailed in %s', async (lang, paidSubject, cancelSubject, refundSubject) => {
    const a = await activity({ residentPriceCents: 4000, nonresidentPriceCents: 6000 });
    const b = await booked(a.sessionIds[0]!, lang);
    const page = `/${lang}/staff/bookings/bookings/${b.bookingId}`;
    // Not paid yet: nothing to refund.
    expect((await post(manager, `${page}/refund`)).statusCode).toBe(422);
    expect((await post(agent, `${page}/paid`)).statusCode).toBe(303);
    expect((await latestMail(t.db, town.tenant.id, b.person.email)).subject).toContain(paidSubject);
    // Twice: nothing is due any more.
    const twice = await post(agent, `${page}/paid`);
    expect(twice.statusCode).toBe(422);
    expect(twice.body).toContain(lang === 'fr' ? 'Rien n’est à payer' : 'Nothing is due');
    expect((await post(agent, `${page}/cancel`)).statusCode).toBe(303);
    expect((await latestMail(t.db, town.tenant.id, b.person.email)).subject).toContain(cancelSubject);
    expect((await post(agent, `${page}/cancel`)).statusCode).toBe(409);
    // Refunds are for managers and administrators.
    expect((await post(agent, `${page}/refund`)).statusCode).toBe(403);
    expect((await post(manager, `${page}/refund`)).statusCode).toBe(303);
    const refund = await latestMail(t.db, town.tenant.id, b.person.email);
    expect(refund.subject).toContain(refundSubject);
    expect(refund.bodyText).toContain(lang === 'fr' ? '60,00' : '$60.00');
    const shown = await get(manager, `${page}?done=refunded`);
    expect(shown.body).toContain(lang === 'fr' ? 'Remboursé' : 'Refunded');
    const [s] = (await placeAccounting(t.db, town.tenant.id, a.id)).filter((x) => x.id === a.sessionIds[0]);
    expect(s).toMatchObject({ taken: 0, live: 0 });
  });

  it('gives a place freed by staff to the waiting list first', async () => {
    const a = await activity({}, [1]);
    const sessionId = a.sessionIds[0]!;
    const first = await booked(sessionId);
    const [waiting] = await makeResidents(t.db, town.tenant.id, 1, 'en');
    const { joinWaitlist } = await import('./service.ts');
    await joinWaitlist(callerFor(t.db, town.tenant, waiting!), { sessionId, participant: 'self' });
    expect((await post(manager, `/fr/staff/bookings/bookings/${first.bookingId}/cancel`)).statusCode).toBe(303);
    expect((await latestMail(t.db, town.tenant.id, waiting!.email)).subject).toMatch(/place/i);
    const [s] = await placeAccounting(t.db, town.tenant.id, a.id);
    expect(s).toMatchObject({ taken: 1, live: 1 });
  });
});

describe('who may', () => {
  it('refuses another town’s staff, residents and unknown bookings', async () => {
    const a = await activity();
    const b = await booked(a.sessionIds[0]!);
    expect((await get(otherManager, `/fr/staff/bookings/bookings/${b.bookingId}`, other.host)).statusCode).toBe(404);
    const cross = await postForm(t.app, other.host, otherManager.cookie, '/fr/staff', `/fr/staff/bookings/bookings/${b.bookingId}/cancel`, {});
    expect(cross.statusCode).toBe(404);
    expect((await get(manager, '/en/staff/bookings/bookings/not-an-id')).statusCode).toBe(404);
    expect((await get(manager, `/en/staff/bookings/bookings/${crypto.randomUUID()}`)).statusCode).toBe(404);
    const br = await signInResident(t.app, t.db, town, `r.${crypto.randomBytes(4).toString('hex')}@example.ca`);
    const asResident = await visit(t.app, br, `/fr/staff/bookings/bookings/${b.bookingId}`);
    expect(asResident.statusCode).toBe(303);
    expect(String(asResident.headers.location)).toContain('/fr/staff/sign-in');
    const [s] = (await placeAccounting(t.db, town.tenant.id, a.id)).filter((x) => x.id === a.sessionIds[0]);
    expect(s).toMatchObject({ taken: 1, confirmed: 1 });
  });
});

describe('residency', () => {
  it.each([
    ['fr', 'Votre résidence est approuvée', 'doit être une date'],
    ['en', 'Your residency is approved', 'must be a date'],
  ] as const)('a resident asks, staff approve; the resident price then applies (%s)', async (lang, subject, dayMsg) => {
    const email = `r.${crypto.randomBytes(4).toString('hex')}@example.ca`;
    const br = await signInResident(t.app, t.db, town, email, lang);
    // A paid activity with a resident price leads a resident not yet on file to the request.
    const priced = await activity({ residentPriceCents: 1000, nonresidentPriceCents: 3000 });
    const pricedSlug = await t.db.withTenant(town.tenant.id, (trx) => trx.selectFrom('activities').select('slug').where('tenant_id', '=', town.tenant.id).where('id', '=', priced.id).executeTakeFirstOrThrow());
    expect((await visit(t.app, br, `/${lang}/activities/${pricedSlug.slug}`)).body).toContain(`href="/${lang}/residency"`);
    const bad = await submit(t.app, br, `/${lang}/residency`, { address: '1', proof: '', _idem: newKey() });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('href="#address"');
    expect(bad.body).toContain('href="#proof"');
    const page = await visit(t.app, br, `/${lang}/residency`);
    const key = /name="_idem" value="([^"]+)"/.exec(page.body)![1]!;
    const { token } = formSession(page);
    const fields = { _csrf: token, address: '12, rue Principale', proof: 'Compte de taxes 2026', _idem: key };
    // Sent twice (a double click): one request.
    expect((await visit(t.app, br, `/${lang}/residency`, fields)).statusCode).toBe(303);
    expect((await visit(t.app, br, `/${lang}/residency`, fields)).statusCode).toBe(303);
    const queue = await get(manager, `/${lang}/staff/bookings/residency`);
    expect(queue.statusCode).toBe(200);
    const ids = [...queue.body.matchAll(/staff\/bookings\/residency\/([0-9a-f-]{36})/g)].map((m) => m[1]);
    const mine = ids.filter((id, i) => ids.indexOf(id) === i);
    const review = await Promise.all(mine.map((id) => get(manager, `/${lang}/staff/bookings/residency/${id}`)));
    const index = review.findIndex((r) => r.body.includes(email));
    expect(index).toBeGreaterThanOrEqual(0);
    // One request, though posted twice.
    expect(review.filter((r) => r.body.includes(email))).toHaveLength(1);
    const base = `/${lang}/staff/bookings/residency/${mine[index]}`;
    const wrong = await post(manager, `${base}/approve`, { validUntil: '2027-02-30' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain(dayMsg);
    expect((await post(agent, `${base}/approve`, { validUntil: '2099-12-31' })).statusCode).toBe(403);
    expect((await post(manager, `${base}/approve`, { validUntil: '2099-12-31' })).statusCode).toBe(303);
    expect((await latestMail(t.db, town.tenant.id, email)).subject).toBe(subject);
    const mineNow = await visit(t.app, br, `/${lang}/residency`);
    expect(mineNow.body).toContain('2099-12-31');
    // The resident price applies to their next booking.
    const a = await activity({ residentPriceCents: 1000, nonresidentPriceCents: 3000 });
    const act = await visit(t.app, br, `/${lang}/activities`);
    expect(act.statusCode).toBe(200);
    // A resident on file is no longer asked for a proof on the activity page.
    const slug = await t.db.withTenant(town.tenant.id, (trx) => trx.selectFrom('activities').select('slug').where('tenant_id', '=', town.tenant.id).where('id', '=', a.id).executeTakeFirstOrThrow());
    expect((await visit(t.app, br, `/${lang}/activities/${slug.slug}`)).body).not.toContain(`href="/${lang}/residency"`);
    const booking = await t.db.withTenant(town.tenant.id, (trx) => trx.selectFrom('residents').select('id').where('tenant_id', '=', town.tenant.id).where('email', '=', email).executeTakeFirstOrThrow());
    const { bookingId } = await holdPlace(callerFor(t.db, town.tenant, { id: booking.id, email, name: null, locale: lang }), { sessionId: a.sessionIds[0]!, participant: 'self', idempotencyKey: newKey() });
    const price = await t.db.withTenant(town.tenant.id, (trx) => trx.selectFrom('bookings').select(['rate', 'price_cents']).where('tenant_id', '=', town.tenant.id).where('id', '=', bookingId).executeTakeFirstOrThrow());
    expect(price).toEqual({ rate: 'resident', price_cents: 1000 });
  });

  it('staff refuse with a reason the resident reads in their language', async () => {
    const email = `r.${crypto.randomBytes(4).toString('hex')}@example.ca`;
    const br = await signInResident(t.app, t.db, town, email, 'en');
    const page = await visit(t.app, br, '/en/residency');
    const key = /name="_idem" value="([^"]+)"/.exec(page.body)![1]!;
    await submit(t.app, br, '/en/residency', { address: '3 Main Street', proof: 'Lease', _idem: key });
    const queue = await get(manager, '/fr/staff/bookings/residency');
    const ids = [...new Set([...queue.body.matchAll(/staff\/bookings\/residency\/([0-9a-f-]{36})/g)].map((m) => m[1]!))];
    let id = '';
    for (const candidate of ids) if ((await get(manager, `/fr/staff/bookings/residency/${candidate}`)).body.includes(email)) id = candidate;
    const base = `/fr/staff/bookings/residency/${id}`;
    const empty = await post(manager, `${base}/refuse`, { reason: '' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('href="#reason"');
    expect((await post(manager, `${base}/refuse`, { reason: 'The lease is not in your name.' })).statusCode).toBe(303);
    const mail = await latestMail(t.db, town.tenant.id, email);
    expect(mail.subject).toBe('Your residency request');
    expect(mail.bodyText).toContain('The lease is not in your name.');
    const mine = await visit(t.app, br, '/en/residency');
    expect(mine.body).toContain('Your last request was refused');
    expect(mine.body).toContain('name="address"');
    expect((await get(otherManager, base.replace('/fr/', '/en/'), other.host)).statusCode).toBe(404);
  });
});
