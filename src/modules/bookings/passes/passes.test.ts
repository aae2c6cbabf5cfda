/**
 * Residents' passes and calendars through the real app, in both languages: the pass page (owner
 * only), its code checked against the town's published keys, the .ics file, and the personal feed
 * at a secret address that the resident can reset.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestTown, formSession, type TestApp, type TestTown } from '../../../../test/harness.ts';
import { addMember } from '../../residents/household.ts';
import { visit } from '../../residents/testing.ts';
import { createActivity } from '../catalogue.ts';
import { holdPlace } from '../service.ts';
import { callerFor, makeResidents, newKey } from '../testing.ts';
import { calendarFile, foldLine } from '../calendar/ics.ts';
import { parseIcs } from '../calendar/ics-check.ts';
import { rotatePassKey } from './service.ts';
import { DOOR_DEMO_SLUG, seedDoorDemo } from './demo.ts';
import { dayIn } from '../format.ts';
import { bookConfirmed, residentBrowser } from './testing.ts';
import { decodePass, verifyPass } from './token.ts';
import { publicKeyOf } from './keys.ts';

let t: TestApp;
let town: TestTown;
let other: TestTown;
let sessionId: string;
const HOUR = 3_600_000;

beforeAll(async () => {
  t = await createTestApp();
  town = await createTestTown(t.db, 'Matane');
  other = await createTestTown(t.db, 'Gaspé');
  const a = await createActivity(t.db, town.tenant.id, {
    slug: 'patin-libre',
    kind: 'facility',
    name: { fr: 'Patin libre; aréna, glace 1', en: 'Public skating; arena, rink 1' },
    opensAt: new Date(Date.now() - HOUR),
    cancelHoursBefore: 0,
    sessions: [{ startsAt: new Date(Date.now() + 50 * HOUR), endsAt: new Date(Date.now() + 52 * HOUR), capacity: 100 }],
  });
  sessionId = a!.sessionIds[0]!;
});
afterAll(() => t.close());

const passCode = (body: string) => /<code class="pass__code" id="pass-code">([^<]+)<\/code>/.exec(body)?.[1] ?? '';

describe('the pass page', () => {
  it.each([
    ['fr', 'Votre laissez-passer', 'Afficher mon laissez-passer (code QR)'],
    ['en', 'Your pass', 'Show my pass (QR code)'],
  ] as const)('shows the owner a QR code and the code as text in %s, verifiable with the published keys', async (lang, title, link) => {
    const [resident] = await makeResidents(t.db, town.tenant.id, 1, lang);
    const child = await addMember({ db: t.db, tenant: town.tenant, resident: resident!, ip: null }, { name: 'Noah Gagnon', birthDate: '2015-05-01', relationship: 'child' });
    if (!child.ok) throw new Error('no child');
    const bookingId = await bookConfirmed(t.db, town.tenant, resident!, sessionId, child.member.id);
    const br = await residentBrowser(t.db, town, resident!);
    const booking = await visit(t.app, br, `/${lang}/bookings/${bookingId}`);
    expect(booking.body).toContain(`href="/${lang}/bookings/${bookingId}/pass"`);
    expect(booking.body).toContain(link);

    const page = await visit(t.app, br, `/${lang}/bookings/${bookingId}/pass`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<h1>${title}</h1>`);
    expect(page.body).toMatch(/<div class="pass__qr" role="img" aria-label="[^"]+"><svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(page.body).toContain('Noah Gagnon');
    const code = passCode(page.body);
    expect(code).toMatch(/^([0-9A-Z]{5} ){39}[0-9A-Z]{5}$/);
    // No personal data in the token: only ids and dates.
    const pass = decodePass(code)!;
    expect(pass).toMatchObject({ townId: town.tenant.id, bookingId, sessionId });
    expect(code.replace(/ /g, '')).not.toMatch(/NOAH|GAGNON/);

    const keys = await t.app.inject({ url: '/passes/keys.json', headers: { host: town.host } });
    expect(keys.statusCode).toBe(200);
    const set = keys.json<{ keys: Array<{ kid: string; x: string; kty: string; crv: string }> }>();
    expect(set.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: pass.kid });
    const published = new Map(set.keys.map((k) => [k.kid, publicKeyOf(k.x)]));
    expect(verifyPass(code, { id: town.tenant.id, keys: published }, new Date(pass.validFrom.getTime() + HOUR))).toMatchObject({ ok: true });
    // Another town publishes other keys, which do not verify this town's pass.
    const theirs = (await t.app.inject({ url: '/passes/keys.json', headers: { host: other.host } })).json<{ keys: Array<{ kid: string; x: string }> }>();
    expect(theirs.keys.map((k) => k.x)).not.toContain(set.keys[0]!.x);
  });

  it('answers 404 to another resident, for a held booking, and sends the signed-out to sign in', async () => {
    const [owner, stranger] = await makeResidents(t.db, town.tenant.id, 2);
    const bookingId = await bookConfirmed(t.db, town.tenant, owner!, sessionId);
    for (const lang of ['fr', 'en'] as const) {
      const res = await visit(t.app, await residentBrowser(t.db, town, stranger!), `/${lang}/bookings/${bookingId}/pass`);
      expect(res.statusCode).toBe(404);
      const ics = await visit(t.app, await residentBrowser(t.db, town, stranger!), `/${lang}/bookings/${bookingId}/calendar.ics`);
      expect(ics.statusCode).toBe(404);
    }
    const { bookingId: held } = await holdPlace(callerFor(t.db, town.tenant, stranger!), { sessionId, participant: 'self', idempotencyKey: newKey() });
    expect((await visit(t.app, await residentBrowser(t.db, town, stranger!), `/en/bookings/${held}/pass`)).statusCode).toBe(404);
    const anonymous = await t.app.inject({ url: `/en/bookings/${bookingId}/pass`, headers: { host: town.host } });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toContain('/en/account/sign-in');
    // The owner's session on another town's host is no one there.
    const elsewhere = await visit(t.app, { ...(await residentBrowser(t.db, town, owner!)), host: other.host }, `/en/bookings/${bookingId}/pass`);
    expect(elsewhere.statusCode).toBe(303);
  });

  it('keeps earlier passes valid after the town rotates its key', async () => {
    const [resident] = await makeResidents(t.db, town.tenant.id, 1);
    const bookingId = await bookConfirmed(t.db, town.tenant, resident!, sessionId);
    const br = await residentBrowser(t.db, town, resident!);
    const before = passCode((await visit(t.app, br, `/fr/bookings/${bookingId}/pass`)).body);
    const kid = await rotatePassKey(t.db, t.config.sessionSecret, town.tenant.id);
    const after = passCode((await visit(t.app, br, `/fr/bookings/${bookingId}/pass`)).body);
    expect(decodePass(after)!.kid).toBe(kid);
    expect(decodePass(before)!.kid).not.toBe(kid);
    const set = (await t.app.inject({ url: '/passes/keys.json', headers: { host: town.host } })).json<{ keys: Array<{ kid: string; x: string }> }>();
    const keys = new Map(set.keys.map((k) => [k.kid, publicKeyOf(k.x)]));
    const at = new Date(decodePass(before)!.validFrom.getTime() + HOUR);
    expect(verifyPass(before, { id: town.tenant.id, keys }, at).ok).toBe(true);
    expect(verifyPass(after, { id: town.tenant.id, keys }, at).ok).toBe(true);
  });
});

describe('calendar files', () => {
  it('writes valid iCalendar: CRLF, folding at 75 octets without splitting a character, escaping', () => {
    const long = `Cours de natation – niveau « Étoile de mer », groupe du samedi matin; parents bienvenus, ${'é'.repeat(60)}`;
    const file = calendarFile({
      name: 'Mes réservations',
      language: 'fr',
      events: [{ uid: 'booking-1@x.guichet', stamp: new Date('2026-01-01T00:00:00Z'), start: new Date('2026-07-14T13:00:00Z'), end: new Date('2026-07-14T14:00:00Z'), summary: long, description: 'a\\b\nc' }],
    });
    const { events } = parseIcs(file);
    expect(events[0]).toMatchObject({ SUMMARY: long, DESCRIPTION: 'a\\b\nc', DTSTART: '20260714T130000Z' });
    for (const line of foldLine(`X:${'€'.repeat(100)}`).split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(() => parseIcs(file.replace(/\r\n/g, '\n'))).toThrow(/CRLF/);
    const bare = (summary: string) =>
      ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//x//y', 'BEGIN:VEVENT', 'UID:1', 'DTSTAMP:20260101T000000Z', 'DTSTART:20260714T130000Z', `SUMMARY:${summary}`, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    expect(parseIcs(bare('a\\;b')).events[0]!.SUMMARY).toBe('a;b');
    expect(() => parseIcs(bare('a;b'))).toThrow(/unescaped/);
    expect(() => parseIcs(bare('a').replace('UID:1\r\n', ''))).toThrow(/lacks UID/);
  });

  it.each(['fr', 'en'] as const)('gives the owner the booking as an .ics file in %s, with a stable UID', async (lang) => {
    const [resident] = await makeResidents(t.db, town.tenant.id, 1, lang);
    const bookingId = await bookConfirmed(t.db, town.tenant, resident!, sessionId);
    const br = await residentBrowser(t.db, town, resident!);
    const res = await visit(t.app, br, `/${lang}/bookings/${bookingId}/calendar.ics`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const { calendar, events } = parseIcs(res.body);
    expect(calendar.METHOD).toBe('PUBLISH');
    expect(events).toHaveLength(1);
    expect(events[0]!.UID).toBe(`booking-${bookingId}@${town.tenant.slug}.guichet`);
    expect(events[0]!.SUMMARY).toBe(lang === 'fr' ? 'Patin libre; aréna, glace 1' : 'Public skating; arena, rink 1');
    const again = await visit(t.app, br, `/${lang}/bookings/${bookingId}/calendar.ics`);
    expect(parseIcs(again.body).events[0]!.UID).toBe(events[0]!.UID);
  });
});

describe('the personal calendar feed', () => {
  it.each([
    ['fr', 'Obtenir mon adresse privée', 'Obtenir une nouvelle adresse'],
    ['en', 'Get my private address', 'Get a new address'],
  ] as const)('lives at a secret address the resident can reset, in %s', async (lang, create, reset) => {
    const [resident, neighbour] = await makeResidents(t.db, town.tenant.id, 2, lang);
    const mine = await bookConfirmed(t.db, town.tenant, resident!, sessionId);
    await bookConfirmed(t.db, town.tenant, neighbour!, sessionId);
    const br = await residentBrowser(t.db, town, resident!);
    expect((await visit(t.app, br, `/${lang}/bookings`)).body).toContain(`href="/${lang}/bookings/calendar"`);
    const first = await visit(t.app, br, `/${lang}/bookings/calendar`);
    expect(first.body).toContain(create);
    const made = await visit(t.app, br, `/${lang}/bookings/calendar/reset`, { _csrf: formSession(first).token });
    expect(made.statusCode).toBe(303);
    const page = await visit(t.app, br, made.headers.location as string);
    expect(page.body).toContain(reset);
    const address = /<code class="pass__code" id="feed-address">([^<]+)<\/code>/.exec(page.body)![1]!;
    const path = new URL(address).pathname;
    expect(path).toMatch(new RegExp(`^/${lang}/calendar/[A-Za-z0-9_-]{43}\\.ics$`));

    const feed = await t.app.inject({ url: path, headers: { host: town.host } });
    expect(feed.statusCode).toBe(200);
    const { events, calendar } = parseIcs(feed.body);
    expect(calendar['X-WR-CALNAME']).toContain(town.tenant.name[lang]);
    expect(events.map((e) => e.UID)).toEqual([`booking-${mine}@${town.tenant.slug}.guichet`]);
    // A wrong token, a token on another town's host: not found.
    expect((await t.app.inject({ url: path.replace(/[A-Za-z0-9_-]{43}/, 'A'.repeat(43)), headers: { host: town.host } })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/${lang}/calendar/nope.ics`, headers: { host: town.host } })).statusCode).toBe(404);
    expect((await t.app.inject({ url: path, headers: { host: other.host } })).statusCode).toBe(404);

    // Reset: the former address leads nowhere, the new one works.
    const again = await visit(t.app, br, `/${lang}/bookings/calendar/reset`, { _csrf: formSession(page).token });
    expect(again.headers.location).toBe(`/${lang}/bookings/calendar?done=reset`);
    const newAddress = /id="feed-address">([^<]+)</.exec((await visit(t.app, br, again.headers.location as string)).body)![1]!;
    expect(newAddress).not.toBe(address);
    expect((await t.app.inject({ url: path, headers: { host: town.host } })).statusCode).toBe(404);
    expect((await t.app.inject({ url: new URL(newAddress).pathname, headers: { host: town.host } })).statusCode).toBe(200);
    const audit = await t.db.withTenant(town.tenant.id, (trx) =>
      trx.selectFrom('audit_events').select('details').where('action', '=', 'calendar.feedReset').where('actor_id', '=', resident!.id).execute(),
    );
    expect(audit).toHaveLength(2);
  });

  it('refuses a reset without its CSRF token', async () => {
    const [resident] = await makeResidents(t.db, town.tenant.id, 1);
    const br = await residentBrowser(t.db, town, resident!);
    await visit(t.app, br, '/en/bookings/calendar');
    const res = await visit(t.app, br, '/en/bookings/calendar/reset', { _csrf: crypto.randomBytes(8).toString('hex') });
    expect(res.statusCode).toBe(403);
  });
});

describe('the demo town’s door', () => {
  it('gives the door a session today, once, and another on a later day', async () => {
    const demo = await createTestTown(t.db, 'Val-des-Lacs');
    const now = new Date();
    expect(await seedDoorDemo(t.db, demo.tenant, now)).toBe(true);
    expect(await seedDoorDemo(t.db, demo.tenant, now)).toBe(false);
    const page = await t.app.inject({ url: `/fr/activities/${DOOR_DEMO_SLUG}`, headers: { host: demo.host } });
    expect(page.statusCode).toBe(200);
    const sessions = () =>
      t.db.withTenant(demo.tenant.id, (trx) => trx.selectFrom('activity_sessions').select('starts_at').where('tenant_id', '=', demo.tenant.id).execute());
    const [first] = await sessions();
    expect(first!.starts_at.getTime()).toBeGreaterThan(now.getTime());
    const later = new Date(now.getTime() + 3 * 24 * HOUR);
    expect(await seedDoorDemo(t.db, demo.tenant, later)).toBe(true);
    const days = (await sessions()).map((s) => dayIn(demo.tenant.timeZone, s.starts_at));
    expect(days).toContain(dayIn(demo.tenant.timeZone, new Date(later.getTime() + 10 * 60_000)));
  });
});
