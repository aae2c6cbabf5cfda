/**
 * The door scanner through the real app, in both languages: staff only (residents and another
 * town's staff refused), a typed code checked on the server (valid, already checked in, and every
 * refusal: tampered, expired, another day, another town, cancelled, another session), the day's
 * list for offline work, and the sync of arrivals recorded offline: each entered once, audited once.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestTown, type TestApp, type TestTown } from '../../../../test/harness.ts';
import type { InjectBrowser } from '../../staff/testing.ts';
import { addMember } from '../../residents/household.ts';
import { visit } from '../../residents/testing.ts';
import { createActivity } from '../catalogue.ts';
import { cancelBooking } from '../service.ts';
import { createStaff } from '../../staff/service.ts';
import { checkIn, type StaffCaller } from './service.ts';
import { callerFor, makeResidents } from '../testing.ts';
import { base32Decode, base32Encode, decodePass, groupedText } from '../passes/token.ts';
import { bookConfirmed, passWith, residentBrowser, staffBrowser } from '../passes/testing.ts';

let t: TestApp;
let town: TestTown;
let other: TestTown;
let today: string;
let second: string;
let tomorrow: string;
let otherSession: string;
const HOUR = 3_600_000;
const MINUTE = 60_000;

beforeAll(async () => {
  t = await createTestApp();
  town = await createTestTown(t.db, 'Rivière-du-Loup');
  other = await createTestTown(t.db, 'Amqui');
  // Sessions starting in a few minutes: bookable now, and at the door today.
  const soon = (m: number) => new Date(Date.now() + m * MINUTE);
  const a = await createActivity(t.db, town.tenant.id, {
    slug: 'bain-libre',
    kind: 'activity',
    name: { fr: 'Bain libre', en: 'Public swim' },
    opensAt: new Date(Date.now() - HOUR),
    cancelHoursBefore: 0,
    sessions: [
      { startsAt: soon(2), endsAt: soon(62), capacity: 50 },
      { startsAt: soon(3), endsAt: soon(63), capacity: 50 },
      { startsAt: soon(2 + 24 * 60), endsAt: soon(62 + 24 * 60), capacity: 50 },
    ],
  });
  [today, second, tomorrow] = a!.sessionIds as [string, string, string];
  const b = await createActivity(t.db, other.tenant.id, {
    slug: 'bain-libre',
    kind: 'activity',
    name: { fr: 'Bain libre', en: 'Public swim' },
    opensAt: new Date(Date.now() - HOUR),
    sessions: [{ startsAt: soon(2), endsAt: soon(62), capacity: 50 }],
  });
  otherSession = b!.sessionIds[0]!;
});
afterAll(() => t.close());

/** A confirmed booking in the town and its pass's code as the owner's page shows it. */
async function bookedPass(sessionId = today, where = town) {
  const [resident] = await makeResidents(t.db, where.tenant.id, 1);
  const child = await addMember({ db: t.db, tenant: where.tenant, resident: resident!, ip: null }, { name: 'Zoé Bélanger', birthDate: '2014-02-02', relationship: 'child' });
  if (!child.ok) throw new Error('no child');
  const bookingId = await bookConfirmed(t.db, where.tenant, resident!, sessionId, child.member.id);
  const page = await visit(t.app, await residentBrowser(t.db, where, resident!), `/en/bookings/${bookingId}/pass`);
  const code = /id="pass-code">([^<]+)</.exec(page.body)![1]!;
  return { resident: resident!, bookingId, code };
}

/** Posts a code on the scanner page of a session, with the page's CSRF token and form key. */
async function typeCode(br: InjectBrowser, lang: 'fr' | 'en', sessionId: string, code: string, idem?: string) {
  const page = await br.get(`/${lang}/staff/scanner?session=${sessionId}`);
  expect(page.statusCode).toBe(200);
  const key = idem ?? /name="_idem" value="([^"]+)"/.exec(page.body)![1]!;
  return br.post(`/${lang}/staff/scanner`, { session: sessionId, code, _idem: key });
}

/** A staff member of the town as the use cases take them. */
async function doorCaller(): Promise<StaffCaller> {
  const staff = await createStaff(t.db, town.tenant.id, { email: `door-${crypto.randomBytes(4).toString('hex')}@${town.host}`, name: 'Porte', role: 'agent', password: 'correct horse battery staple' });
  return { db: t.db, tenant: town.tenant, principal: { kind: 'staff', tenantId: town.tenant.id, id: staff.id, role: 'agent', departmentIds: [] }, ip: null, sessionSecret: t.config.sessionSecret };
}

const checkinsOf = (bookingId: string) =>
  t.db.withTenant(town.tenant.id, (trx) => trx.selectFrom('booking_checkins').select(['id', 'client_id', 'offline', 'method']).where('booking_id', '=', bookingId).execute());
const auditsOf = (bookingId: string) =>
  t.db.withTenant(town.tenant.id, (trx) => trx.selectFrom('audit_events').select('id').where('action', '=', 'booking.checkedIn').where('subject_id', '=', bookingId).execute());

describe('who may open the door scanner', () => {
  it('sends residents and the signed-out to the staff sign-in, and keeps another town’s staff out', async () => {
    const anonymous = await t.app.inject({ url: '/fr/staff/scanner', headers: { host: town.host } });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toContain('/fr/staff/sign-in');
    const [resident] = await makeResidents(t.db, town.tenant.id, 1);
    const asResident = await visit(t.app, await residentBrowser(t.db, town, resident!), '/en/staff/scanner/day.json');
    expect(asResident.statusCode).toBe(303);
    // Another town's staff member, with their own session, on this town's host: nobody here.
    const theirs = await staffBrowser(t.app, other);
    const crossing = await t.app.inject({ url: '/en/staff/scanner/day.json', headers: { host: town.host, cookie: theirs.cookieHeader() } });
    expect(crossing.statusCode).toBe(303);
  });

  it.each([
    ['fr', 'Lecteur à l’entrée', 'Arrivées : 0 sur 0', 'Code du laissez-passer'],
    ['en', 'Door scanner', 'Arrivals: 0 of 0', 'Pass code'],
  ] as const)('lists today’s sessions and opens the door for one in %s', async (lang, title, arrivals, label) => {
    const br = await staffBrowser(t.app, town, 'agent', lang);
    const list = await br.get(`/${lang}/staff/scanner`);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`<h1>${title}</h1>`);
    expect(list.body).toContain(`?session=${today}`);
    expect(list.body).not.toContain(tomorrow);
    expect(list.body).not.toContain(otherSession);
    const door = await br.get(`/${lang}/staff/scanner?session=${second}`);
    expect(door.body).toContain(arrivals);
    expect(door.body).toContain(label);
    expect(door.body).toContain('data-module="scanner"');
  });
});

describe('checking a typed code in', () => {
  it.each([
    ['fr', 'Laissez-passer valide', 'Déjà validé à', /Arrivées : (\d+) sur \1</],
    ['en', 'Valid pass', 'Already checked in at', /Arrivals: (\d+) of \1</],
  ] as const)('records the arrival once and says so in %s', async (lang, valid, already, arrivals) => {
    const { bookingId, code } = await bookedPass(second);
    const br = await staffBrowser(t.app, town, 'agent', lang);
    // Typed as people type: lower case, without the spaces.
    const res = await typeCode(br, lang, second, code.toLowerCase().replace(/ /g, ''));
    expect(res.statusCode).toBe(303);
    const shown = await br.get(res.headers.location as string);
    expect(shown.body).toContain(valid);
    expect(shown.body).toContain('Zoé Bélanger');
    expect(shown.body).toMatch(arrivals);
    // The same form sent twice (same key): the same arrival, not a second one.
    const page = await br.get(`/${lang}/staff/scanner?session=${second}`);
    const key = /name="_idem" value="([^"]+)"/.exec(page.body)![1]!;
    await br.post(`/${lang}/staff/scanner`, { session: second, code, _idem: key });
    const replay = await br.post(`/${lang}/staff/scanner`, { session: second, code, _idem: key }, `/${lang}/staff/scanner?session=${second}`);
    expect((await br.get(replay.headers.location as string)).body).toContain(already);
    // Scanned again later (a new key): already checked in, at what time.
    const again = await typeCode(br, lang, second, code);
    const page2 = await br.get(again.headers.location as string);
    expect(page2.body).toMatch(new RegExp(`${already} \\d`));
    expect(await checkinsOf(bookingId)).toHaveLength(1);
    expect(await auditsOf(bookingId)).toHaveLength(1);
  });

  it.each([
    ['fr', 'Non valide', ['a été modifié', 'est expiré', 'pour un jour à venir', 'celui d’une autre ville', 'a été annulée', 'pour une autre séance', 'pas un code de laissez-passer']],
    ['en', 'Not valid', ['has been altered', 'has expired', 'for a later day', 'for another town', 'was cancelled', 'for another session', 'not a pass code']],
  ] as const)('refuses bad passes with a clear message in %s (422, error at the field)', async (lang, notValid, messages) => {
    const br = await staffBrowser(t.app, town, 'agent', lang);
    const { bookingId, code, resident } = await bookedPass();
    const pass = decodePass(code)!;
    const bytes = Buffer.from(base32Decode(code)!);
    bytes[30] = bytes[30]! ^ 4;
    const tampered = groupedText(base32Encode(bytes));
    const DAY = 24 * HOUR;
    const expired = await passWith(t.db, t.config.sessionSecret, town.tenant.id, { bookingId, sessionId: today, validFrom: new Date(pass.validFrom.getTime() - 2 * DAY), validUntil: new Date(pass.validFrom.getTime() - DAY) });
    const later = await passWith(t.db, t.config.sessionSecret, town.tenant.id, { bookingId, sessionId: today, validFrom: new Date(pass.validUntil.getTime()), validUntil: new Date(pass.validUntil.getTime() + DAY) });
    const foreign = (await bookedPass(otherSession, other)).code;
    const cancelled = await bookedPass();
    await cancelBooking(callerFor(t.db, town.tenant, cancelled.resident), cancelled.bookingId);
    const cases: Array<[string, string, string]> = [
      [tampered, today, messages[0]],
      [expired, today, messages[1]],
      [later, today, messages[2]],
      [foreign, today, messages[3]],
      [cancelled.code, today, messages[4]],
      [code, second, messages[5]],
      ['HELLO WORLD', today, messages[6]],
    ];
    for (const [text, session, message] of cases) {
      const res = await typeCode(br, lang, session, text);
      expect(res.statusCode, message).toBe(422);
      expect(res.body).toContain(notValid);
      expect(res.body).toContain(message);
      expect(res.body).toContain('class="error-summary"');
      expect(res.body).toContain('aria-invalid="true"');
    }
    const empty = await typeCode(br, lang, today, '   ');
    expect(empty.statusCode).toBe(422);
    expect(await checkinsOf(bookingId)).toHaveLength(0);
    void resident;
  });
});

describe('at two doors at once, and after changes', () => {
  it('records one arrival when ten scanners check the same pass at the same moment', async () => {
    const { bookingId, code } = await bookedPass();
    const c = await doorCaller();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => checkIn(c, { code, sessionId: today, clientId: crypto.randomBytes(16).toString('base64url'), method: 'camera' })),
    );
    expect(results.filter((r) => r.status === 'recorded')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'already')).toHaveLength(9);
    expect(await checkinsOf(bookingId)).toHaveLength(1);
    expect(await auditsOf(bookingId)).toHaveLength(1);
  });

  it('refuses the former pass of a booking moved to another session, and a pass for a cancelled session', async () => {
    const c = await doorCaller();
    const moved = await bookedPass();
    await t.db.withTenant(town.tenant.id, (trx) => trx.updateTable('bookings').set({ session_id: second }).where('tenant_id', '=', town.tenant.id).where('id', '=', moved.bookingId).execute());
    const clientId = () => crypto.randomBytes(16).toString('base64url');
    expect(await checkIn(c, { code: moved.code, sessionId: today, clientId: clientId(), method: 'typed' })).toMatchObject({ status: 'refused', problem: 'moved', name: 'Zoé Bélanger' });
    expect(await checkIn(c, { code: moved.code, sessionId: second, clientId: clientId(), method: 'typed' })).toMatchObject({ status: 'refused', problem: 'moved' });
    const a = await createActivity(t.db, town.tenant.id, {
      slug: `annule-${crypto.randomBytes(3).toString('hex')}`,
      kind: 'activity',
      name: { fr: 'Annulé', en: 'Cancelled' },
      opensAt: new Date(Date.now() - HOUR),
      sessions: [{ startsAt: new Date(Date.now() + 2 * MINUTE), endsAt: new Date(Date.now() + 30 * MINUTE), capacity: 5 }],
    });
    const sid = a!.sessionIds[0]!;
    const gone = await bookedPass(sid);
    await t.db.withTenant(town.tenant.id, (trx) => trx.updateTable('activity_sessions').set({ cancelled_at: new Date() }).where('tenant_id', '=', town.tenant.id).where('id', '=', sid).execute());
    expect(await checkIn(c, { code: gone.code, sessionId: sid, clientId: clientId(), method: 'typed' })).toMatchObject({ status: 'refused', problem: 'sessionCancelled' });
    await expect(checkIn(c, { code: gone.code, sessionId: 'nope', clientId: clientId(), method: 'typed' })).rejects.toMatchObject({ code: 'badRequest' });
  });
});

describe('working offline', () => {
  it('downloads the day’s list with the public keys, and only this town’s', async () => {
    const { bookingId } = await bookedPass();
    const br = await staffBrowser(t.app, town);
    const res = await br.get('/en/staff/scanner/day.json');
    expect(res.statusCode).toBe(200);
    const pack = res.json<{ townId: string; keys: Array<{ kid: string; crv: string }>; passes: Array<{ bookingId: string; name: string; sessionId: string }>; sessions: Array<{ id: string }> }>();
    expect(pack.townId).toBe(town.tenant.id);
    expect(pack.keys[0]).toMatchObject({ crv: 'Ed25519' });
    expect(pack.passes).toContainEqual({ bookingId, sessionId: today, name: 'Zoé Bélanger' });
    expect(pack.sessions.map((s) => s.id)).not.toContain(otherSession);
    const theirs = (await (await staffBrowser(t.app, other)).get('/en/staff/scanner/day.json')).json<{ passes: Array<{ bookingId: string }> }>();
    expect(theirs.passes.map((p) => p.bookingId)).not.toContain(bookingId);
    const audit = await t.db.withTenant(town.tenant.id, (trx) => trx.selectFrom('audit_events').select('id').where('action', '=', 'checkin.listDownloaded').execute());
    expect(audit.length).toBeGreaterThan(0);
  });

  it.each(['fr', 'en'] as const)('enters arrivals sent twice only once, and says who was already in (%s)', async (lang) => {
    const one = await bookedPass();
    const two = await bookedPass();
    const br = await staffBrowser(t.app, town, 'agent', lang);
    const page = await br.get(`/${lang}/staff/scanner?session=${today}`);
    const csrf = /data-csrf="([^"]+)"/.exec(page.body)![1]!;
    const scannedAt = new Date(Date.now() - 5 * MINUTE).toISOString();
    const items = [
      { clientId: crypto.randomBytes(16).toString('base64url'), code: one.code, sessionId: today, scannedAt, method: 'camera' },
      { clientId: crypto.randomBytes(16).toString('base64url'), code: two.code, sessionId: today, scannedAt, method: 'typed' },
    ];
    const send = (body: unknown) =>
      t.app.inject({ method: 'POST', url: `/${lang}/staff/scanner/sync`, headers: { host: town.host, cookie: br.cookieHeader(), 'content-type': 'application/json' }, payload: JSON.stringify(body), remoteAddress: br.ip });
    const first = await send({ _csrf: csrf, items });
    expect(first.statusCode).toBe(200);
    expect(first.json<{ results: Array<{ status: string }> }>().results.map((r) => r.status)).toEqual(['recorded', 'recorded']);
    // The connection dropped before the answer: the scanner sends the same again.
    const second = await send({ _csrf: csrf, items });
    expect(second.json<{ results: Array<{ status: string }> }>().results.map((r) => r.status)).toEqual(['recorded', 'recorded']);
    // Another scanner scanned the first pass too: already in, at the first scan's time.
    const third = await send({ _csrf: csrf, items: [{ ...items[0]!, clientId: crypto.randomBytes(16).toString('base64url') }] });
    const [r] = third.json<{ results: Array<{ status: string; checkedInAt: string; name: string }> }>().results;
    expect(r).toMatchObject({ status: 'already', checkedInAt: scannedAt, name: 'Zoé Bélanger' });
    for (const b of [one, two]) {
      const rows = await checkinsOf(b.bookingId);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.offline).toBe(true);
      expect(await auditsOf(b.bookingId)).toHaveLength(1);
    }
    // Without the CSRF token, or from another town's staff: refused, nothing recorded.
    expect((await send({ items })).statusCode).toBe(403);
    const theirs = await staffBrowser(t.app, other, 'agent', lang);
    const theirPage = await theirs.get(`/${lang}/staff/scanner?session=${otherSession}`);
    const theirCsrf = /data-csrf="([^"]+)"/.exec(theirPage.body)![1]!;
    const three = await bookedPass();
    const cross = await t.app.inject({
      method: 'POST',
      url: `/${lang}/staff/scanner/sync`,
      headers: { host: other.host, cookie: theirs.cookieHeader(), 'content-type': 'application/json' },
      payload: JSON.stringify({ _csrf: theirCsrf, items: [{ ...items[0]!, code: three.code, sessionId: otherSession, clientId: crypto.randomBytes(16).toString('base64url') }] }),
      remoteAddress: theirs.ip,
    });
    expect(cross.json<{ results: Array<{ status: string; problem: string }> }>().results[0]).toMatchObject({ status: 'refused', problem: 'otherTown' });
    expect(await checkinsOf(three.bookingId)).toHaveLength(0);
  });

  it('refuses a malformed sync', async () => {
    const br = await staffBrowser(t.app, town);
    const page = await br.get(`/en/staff/scanner?session=${today}`);
    const csrf = /data-csrf="([^"]+)"/.exec(page.body)![1]!;
    const res = await t.app.inject({
      method: 'POST',
      url: '/en/staff/scanner/sync',
      headers: { host: town.host, cookie: br.cookieHeader(), 'content-type': 'application/json' },
      payload: JSON.stringify({ _csrf: csrf, items: [{ clientId: 'short', code: 'x', sessionId: today, scannedAt: 'now', method: 'camera' }] }),
      remoteAddress: br.ip,
    });
    expect(res.statusCode).toBe(400);
  });
});
