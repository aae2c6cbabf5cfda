/**
 * Staff booking pages through the real app, in both languages: create and change facilities and
 * activities, add sessions and weekly series, change a capacity (never below the places taken),
 * cancel a session (everyone emailed in their language), rosters (page and formula-safe CSV), the
 * lottery draw from the staff page; wrong input answered 422 with the message at each field; an
 * agent, a resident and another town's staff refused.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestTown, type TestApp, type TestTown } from '../../../test/harness.ts';
import { addPerson, postForm, type TestPerson } from '../admin/testing.ts';
import { latestMail, signInResident, visit } from '../residents/testing.ts';
import { createActivity, type NewActivity } from './catalogue.ts';
import { confirmBooking, enterLottery, holdPlace } from './service.ts';
import { callerFor, makeResidents, newKey, placeAccounting } from './testing.ts';

let t: TestApp;
let town: TestTown;
let other: TestTown;
let manager: TestPerson;
let managerEn: TestPerson;
let agent: TestPerson;
let otherManager: TestPerson;

beforeAll(async () => {
  t = await createTestApp();
  town = await createTestTown(t.db, 'Magog');
  other = await createTestTown(t.db, 'Sherbrooke');
  manager = await addPerson(t, town, 'manager', 'Marie Gestion');
  managerEn = await addPerson(t, town, 'manager', 'Mark Manager', 'en');
  agent = await addPerson(t, town, 'agent', 'Alain Agent');
  otherManager = await addPerson(t, other, 'manager', 'Odile Autre');
});
afterAll(() => t.close());

const HOUR = 3_600_000;
const get = (p: TestPerson, url: string, host = town.host) => t.app.inject({ url, headers: { host, cookie: p.cookie } });
/** Posts like a browser; the CSRF token comes from the staff home page (it has the sign-out form). */
const post = (p: TestPerson, _page: string, action: string, fields: Record<string, string>) =>
  postForm(t.app, town.host, p.cookie, `/${action.slice(1, 3)}/staff`, action, fields);
const idem = (body: string) => /name="_idem" value="([^"]+)"/.exec(body)?.[1] ?? '';

let n = 0;
async function seeded(overrides: Partial<NewActivity> = {}, capacity = 5) {
  n += 1;
  const slug = `patin-${n}-${crypto.randomBytes(3).toString('hex')}`;
  const made = await createActivity(t.db, town.tenant.id, {
    slug,
    kind: 'facility',
    name: { fr: `Patinage libre ${n}`, en: `Public skating ${n}` },
    opensAt: new Date(Date.now() - HOUR),
    sessions: [
      { startsAt: new Date(Date.now() + 48 * HOUR), endsAt: new Date(Date.now() + 49 * HOUR), capacity },
      { startsAt: new Date(Date.now() + 72 * HOUR), endsAt: new Date(Date.now() + 73 * HOUR), capacity },
    ],
    ...overrides,
  });
  return { slug, ...made! };
}

function activityFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    kind: 'activity',
    slug: `natation-${crypto.randomBytes(3).toString('hex')}`,
    nameFr: 'Cours de natation',
    nameEn: 'Swimming lessons',
    descriptionFr: 'Piscine municipale.',
    descriptionEn: 'Town pool.',
    minAge: '6',
    maxAge: '8',
    residentPrice: '45,00',
    nonresidentPrice: '90',
    residentsOnly: '',
    mode: 'fcfs',
    opensAt: '2026-01-10 09:00',
    residentsOpenAt: '2026-01-08 09:00',
    lotteryClosesAt: '',
    cancelHours: '48',
    holdMinutes: '10',
    offerHours: '24',
    published: 'yes',
    ...overrides,
  };
}

describe('facilities and activities', () => {
  it.each([
    ['fr', 'manager', 'Erreur', 'doit être un nombre entier de 0 à 120', 'Un tirage au sort a besoin'],
    ['en', 'managerEn', 'Error', 'must be a whole number from 0 to 120', 'A lottery needs'],
  ] as const)('refuses wrong input with the message at each field, then creates once in %s', async (lang, whoName, prefix, wholeMsg, lotteryMsg) => {
    const who = whoName === 'manager' ? manager : managerEn;
    const form = await get(who, `/${lang}/staff/bookings/new`);
    expect(form.statusCode).toBe(200);
    const key = idem(form.body);
    expect(key).not.toBe('');
    const bad = await post(who, `/${lang}/staff/bookings/new`, `/${lang}/staff/bookings/new`, {
      ...activityFields({ minAge: '200', mode: 'lottery', opensAt: '2026-02-30 09:00', slug: 'Pas Bon', residentPrice: 'abc', nameEn: '' }),
      _idem: key,
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('error-summary');
    expect(bad.body).toContain(`<title>${prefix}`);
    expect(bad.body).toContain(wholeMsg);
    expect(bad.body).toContain(lotteryMsg);
    for (const field of ['minAge', 'opensAt', 'slug', 'residentPrice', 'nameEn', 'lotteryClosesAt']) expect(bad.body).toContain(`href="#${field}"`);

    const fields = { ...activityFields(), _idem: key };
    const made = await post(who, `/${lang}/staff/bookings/new`, `/${lang}/staff/bookings/new`, fields);
    expect(made.statusCode).toBe(303);
    const location = String(made.headers.location);
    expect(location).toMatch(new RegExp(`^/${lang}/staff/bookings/activities/[0-9a-f-]{36}\\?done=created$`));
    // A retried post (double click) lands on the same activity.
    const again = await post(who, `/${lang}/staff/bookings/new`, `/${lang}/staff/bookings/new`, fields);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(location);
    // The same web address name with a new form key is taken.
    const clash = await post(who, `/${lang}/staff/bookings/new`, `/${lang}/staff/bookings/new`, { ...fields, _idem: newKey() });
    expect(clash.statusCode).toBe(422);

    const page = await get(who, location);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(lang === 'fr' ? 'Cours de natation' : 'Swimming lessons');
    expect(page.body).toContain(lang === 'fr' ? '45,00' : '$45.00');
  });

  it('changes an activity; a lottery needs its closing time after the opening', async () => {
    const a = await seeded();
    const url = `/en/staff/bookings/activities/${a.id}/edit`;
    const form = await get(managerEn, url);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`value="${a.slug}"`);
    const bad = await post(managerEn, url, url, activityFields({ slug: a.slug, mode: 'lottery', opensAt: '2027-01-10 09:00', lotteryClosesAt: '2027-01-09 09:00' }));
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Entries must close after registration opens.');
    const ok = await post(managerEn, url, url, activityFields({ slug: a.slug, mode: 'lottery', opensAt: '2027-01-10 09:00', lotteryClosesAt: '2027-01-12 09:00', published: '' }));
    expect(ok.statusCode).toBe(303);
    const list = await get(managerEn, '/en/staff/bookings');
    expect(list.body).toContain('Not published');
    // Unpublished: residents no longer find it.
    const pub = await t.app.inject({ url: `/en/activities/${a.slug}`, headers: { host: town.host } });
    expect(pub.statusCode).toBe(404);
  });

  it('explains a wrong change in French too, and keeps the activity as it was', async () => {
    const a = await seeded();
    const url = `/fr/staff/bookings/activities/${a.id}/edit`;
    const bad = await post(manager, url, url, activityFields({ slug: a.slug, minAge: '10', maxAge: '5', residentsOpenAt: '2027-01-11 09:00', opensAt: '2027-01-10 09:00', holdMinutes: '0' }));
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('L’âge maximum doit être au moins égal à l’âge minimum.');
    expect(bad.body).toContain('L’ouverture pour les résidents doit être au plus tard à l’ouverture pour tous.');
    expect(bad.body).toContain('doit être un nombre entier de 1 à 60');
    const page = await get(manager, `/fr/staff/bookings/activities/${a.id}`);
    expect(page.body).toContain(`Patinage libre`);
    expect(page.body).not.toContain('Cours de natation');
  });
});

describe('sessions', () => {
  it.each([
    ['fr', 'manager', 'La fin doit être après le début.'],
    ['en', 'managerEn', 'The end must be after the start.'],
  ] as const)('adds a session and a weekly series, refusing wrong input, in %s', async (lang, whoName, endMsg) => {
    const who = whoName === 'manager' ? manager : managerEn;
    const a = await seeded();
    const page = `/${lang}/staff/bookings/activities/${a.id}`;
    const bad = await post(who, page, `${page}/sessions`, { startsAt: '2027-03-01 10:00', endsAt: '2027-03-01 09:00', capacity: '-1', _idem: newKey() });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain(endMsg);
    expect(bad.body).toContain('href="#capacity"');
    const key = newKey();
    const ok = await post(who, page, `${page}/sessions`, { startsAt: '2027-03-01 10:00', endsAt: '2027-03-01 11:30', capacity: '12', _idem: key });
    expect(ok.statusCode).toBe(303);
    await post(who, page, `${page}/sessions`, { startsAt: '2027-03-01 10:00', endsAt: '2027-03-01 11:30', capacity: '12', _idem: key });
    const badSeries = await post(who, page, `${page}/series`, { firstStartsAt: 'lundi', minutes: '2', weeks: '60', seriesCapacity: 'x', _idem: newKey() });
    expect(badSeries.statusCode).toBe(422);
    for (const f of ['firstStartsAt', 'minutes', 'weeks', 'seriesCapacity']) expect(badSeries.body).toContain(`href="#${f}"`);
    const series = await post(who, page, `${page}/series`, { firstStartsAt: '2027-03-02 18:00', minutes: '45', weeks: '3', seriesCapacity: '8', _idem: newKey() });
    expect(series.statusCode).toBe(303);
    const accounts = await placeAccounting(t.db, town.tenant.id, a.id);
    // 2 seeded + 1 (the retry added nothing) + 3 weekly.
    expect(accounts).toHaveLength(6);
    expect(accounts.filter((s) => s.capacity === 8)).toHaveLength(3);
  });

  it('changes a capacity but never below the places taken', async () => {
    const a = await seeded({}, 3);
    const sessionId = a.sessionIds[0]!;
    const people = await makeResidents(t.db, town.tenant.id, 2);
    for (const p of people) await holdPlace(callerFor(t.db, town.tenant, p), { sessionId, participant: 'self', idempotencyKey: newKey() });
    const page = `/fr/staff/bookings/sessions/${sessionId}`;
    const low = await post(manager, page, `${page}/capacity`, { capacity: '1' });
    expect(low.statusCode).toBe(422);
    expect(low.body).toContain('2 places sont prises');
    const bad = await post(manager, page, `${page}/capacity`, { capacity: 'beaucoup' });
    expect(bad.statusCode).toBe(422);
    const lowEn = await post(managerEn, page.replace('/fr/', '/en/'), `${page.replace('/fr/', '/en/')}/capacity`, { capacity: '0' });
    expect(lowEn.statusCode).toBe(422);
    expect(lowEn.body).toContain('2 places are taken: the capacity cannot be lower.');
    const ok = await post(manager, page, `${page}/capacity`, { capacity: '2' });
    expect(ok.statusCode).toBe(303);
    const [s] = (await placeAccounting(t.db, town.tenant.id, a.id)).filter((x) => x.id === sessionId);
    expect(s).toMatchObject({ capacity: 2, taken: 2, live: 2 });
  });

  it('cancels a session: bookings cancelled, places freed, everyone emailed in their language', async () => {
    const a = await seeded();
    const sessionId = a.sessionIds[0]!;
    const [fr] = await makeResidents(t.db, town.tenant.id, 1, 'fr');
    const [en] = await makeResidents(t.db, town.tenant.id, 1, 'en');
    for (const p of [fr!, en!]) {
      const c = callerFor(t.db, town.tenant, p);
      const { bookingId } = await holdPlace(c, { sessionId, participant: 'self', idempotencyKey: newKey() });
      await confirmBooking(c, bookingId);
    }
    const page = `/en/staff/bookings/sessions/${sessionId}`;
    const res = await post(managerEn, page, `${page}/cancel`, {});
    expect(res.statusCode).toBe(303);
    expect((await get(managerEn, String(res.headers.location))).body).toContain('Session cancelled.');
    const [s] = (await placeAccounting(t.db, town.tenant.id, a.id)).filter((x) => x.id === sessionId);
    expect(s).toMatchObject({ taken: 0, live: 0 });
    expect((await latestMail(t.db, town.tenant.id, fr!.email)).subject).toMatch(/^Séance annulée/);
    expect((await latestMail(t.db, town.tenant.id, en!.email)).subject).toMatch(/^Session cancelled/);
    // Twice is once: no second email, and the page says it is cancelled.
    expect((await post(managerEn, page, `${page}/cancel`, {})).statusCode).toBe(303);
    const again = await t.db.withTenant(town.tenant.id, (trx) =>
      trx.selectFrom('outbox').select('id').where('tenant_id', '=', town.tenant.id).where('recipient', '=', fr!.email).where('subject', 'like', 'Séance annulée%').execute(),
    );
    expect(again).toHaveLength(1);
    expect((await get(managerEn, page)).body).toContain('Cancelled');
  });
});

describe('rosters', () => {
  it('shows the roster with status and payment, printable, and as formula-safe CSV in both languages', async () => {
    const a = await seeded({ residentPriceCents: 2500, nonresidentPriceCents: 2500 });
    const sessionId = a.sessionIds[0]!;
    const [p1, p2] = await makeResidents(t.db, town.tenant.id, 2);
    await t.db.withTenant(town.tenant.id, (trx) =>
      trx.updateTable('residents').set({ name: '=HYPERLINK("http://evil.example")' }).where('tenant_id', '=', town.tenant.id).where('id', '=', p1!.id).execute(),
    );
    const c1 = callerFor(t.db, town.tenant, p1!);
    const b1 = await holdPlace(c1, { sessionId, participant: 'self', idempotencyKey: newKey() });
    await confirmBooking(c1, b1.bookingId);
    await holdPlace(callerFor(t.db, town.tenant, p2!), { sessionId, participant: 'self', idempotencyKey: newKey() });

    const fr = await get(manager, `/fr/staff/bookings/sessions/${sessionId}`);
    expect(fr.statusCode).toBe(200);
    expect(fr.body).toContain('bookings-print.css');
    expect(fr.body).toContain('À payer');
    expect(fr.body).toContain(p2!.email);
    const csv = await get(agent, `/en/staff/bookings/sessions/${sessionId}/roster.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.startsWith('\uFEFFParticipant,Booked by,Email')).toBe(true);
    expect(csv.body).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(csv.body).toContain('Due');
    expect(csv.body).not.toMatch(/^=|,=/m);
    const csvFr = await get(manager, `/fr/staff/bookings/sessions/${sessionId}/roster.csv`);
    // French spreadsheets expect semicolons; the amount's decimal comma stays inside its cell.
    expect(csvFr.body.startsWith('\uFEFFParticipant;Réservé par;')).toBe(true);
  });
});

describe('the lottery draw from the staff page', () => {
  it('runs the draw once entries closed and shows its seed and result', async () => {
    const a = await seeded({ kind: 'activity', mode: 'lottery', opensAt: new Date(Date.now() - 2 * HOUR), lotteryClosesAt: new Date(Date.now() + HOUR) }, 2);
    const sessionId = a.sessionIds[0]!;
    const people = await makeResidents(t.db, town.tenant.id, 4);
    for (const p of people) await enterLottery(callerFor(t.db, town.tenant, p), { sessionId, participant: 'self' });
    const page = `/en/staff/bookings/sessions/${sessionId}`;
    const early = await post(managerEn, page, `${page}/draw`, {});
    expect(early.statusCode).toBe(409);
    expect(early.body).toContain('The draw can only run once entries have closed.');
    await t.db.withTenant(town.tenant.id, (trx) =>
      trx.updateTable('activities').set({ lottery_closes_at: sql<Date>`now() - interval '1 second'` }).where('tenant_id', '=', town.tenant.id).where('id', '=', a.id).execute(),
    );
    expect((await post(agent, page, `${page}/draw`, {})).statusCode).toBe(403);
    const res = await post(managerEn, page, `${page}/draw`, {});
    expect(res.statusCode).toBe(303);
    const shown = await get(managerEn, String(res.headers.location));
    expect(shown.body).toMatch(/<code>[0-9a-f]{64}<\/code>/);
    expect(shown.body).toContain('4 entries, 2 places, 2 drawn');
    // Staff see who was drawn: two offered a place, two on the waiting list, each by name.
    expect(shown.body.match(/– place offered/g)).toHaveLength(2);
    expect(shown.body.match(/– waiting list/g)).toHaveLength(2);
    for (const p of people) expect(shown.body).toContain(p.email);
    expect(shown.body).toContain('Re-running the method on the seed gives the same order.');
    const fr = await get(manager, `/fr/staff/bookings/sessions/${sessionId}`);
    expect(fr.body).toContain('4 participations, 2 places, 2 personnes tirées');
  });
});

describe('who may', () => {
  it('lets an agent see rosters but not manage the catalogue', async () => {
    const a = await seeded();
    expect((await get(agent, '/fr/staff/bookings')).statusCode).toBe(200);
    expect((await get(agent, `/fr/staff/bookings/sessions/${a.sessionIds[0]}`)).statusCode).toBe(200);
    expect((await get(agent, '/fr/staff/bookings/new')).statusCode).toBe(403);
    expect((await get(agent, `/en/staff/bookings/activities/${a.id}/edit`)).statusCode).toBe(403);
    const page = `/fr/staff/bookings/sessions/${a.sessionIds[0]}`;
    expect((await post(agent, page, `${page}/capacity`, { capacity: '50' })).statusCode).toBe(403);
    expect((await post(agent, page, `${page}/cancel`, {})).statusCode).toBe(403);
  });

  it('refuses another town’s staff and residents', async () => {
    const a = await seeded();
    // Another town's staff on their own host: this town's records do not exist there.
    expect((await get(otherManager, `/fr/staff/bookings/activities/${a.id}`, other.host)).statusCode).toBe(404);
    expect((await get(otherManager, `/en/staff/bookings/sessions/${a.sessionIds[0]}`, other.host)).statusCode).toBe(404);
    expect((await get(otherManager, `/en/staff/bookings/sessions/${a.sessionIds[0]}/roster.csv`, other.host)).statusCode).toBe(404);
    // Their cookie on this town's host is no session here: sign in first.
    const cross = await get(otherManager, `/fr/staff/bookings/activities/${a.id}`);
    expect(cross.statusCode).toBe(303);
    expect(String(cross.headers.location)).toContain('/fr/staff/sign-in');
    // Nobody signed in, or a resident: the staff sign-in page.
    const anon = await t.app.inject({ url: '/en/staff/bookings', headers: { host: town.host } });
    expect(anon.statusCode).toBe(303);
    const b = await signInResident(t.app, t.db, town, `resident.${crypto.randomBytes(4).toString('hex')}@example.ca`, 'en');
    expect((await visit(t.app, b, '/en/bookings')).statusCode).toBe(200);
    const asResident = await visit(t.app, b, '/en/staff/bookings');
    expect(asResident.statusCode).toBe(303);
    expect(String(asResident.headers.location)).toContain('/en/staff/sign-in');
  });
});
