/**
 * The residents' booking pages through the real app, in both languages: browse, hold, confirm,
 * cancel, my bookings; and wrong input (no choice made, outside the window, full session,
 * ineligible member, expired hold, someone else's booking) answered with a clear message while the
 * numbers stay right.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestTown, formSession, type TestApp, type TestTown } from '../../../test/harness.ts';
import { latestMail, signInResident, submit, visit, type Browser } from '../residents/testing.ts';
import { createActivity, type NewActivity } from './catalogue.ts';
import { seedBookingsDemo } from './demo.ts';
import { drawLottery } from './lottery.ts';
import { enterLottery } from './service.ts';
import { seededShuffle } from './shuffle.ts';
import { callerFor, lapseHolds, makeResidents, placeAccounting } from './testing.ts';

let t: TestApp;
let town: TestTown;

beforeAll(async () => {
  t = await createTestApp();
  town = await createTestTown(t.db, 'Rimouski');
});
afterAll(() => t.close());

const HOUR = 3_600_000;
const email = (label: string) => `${label}.${crypto.randomBytes(4).toString('hex')}@example.ca`;
let n = 0;

async function activity(overrides: Partial<NewActivity> = {}, capacity = 5) {
  n += 1;
  const slug = `bain-libre-${n}-${crypto.randomBytes(3).toString('hex')}`;
  const created = await createActivity(t.db, town.tenant.id, {
    slug,
    kind: 'activity',
    name: { fr: `Bain libre ${n}`, en: `Public swim ${n}` },
    description: { fr: 'Piscine municipale, couloirs libres.', en: 'Town pool, open lanes.' },
    opensAt: new Date(Date.now() - HOUR),
    sessions: [{ startsAt: new Date(Date.now() + 72 * HOUR), endsAt: new Date(Date.now() + 73 * HOUR), capacity }],
    ...overrides,
  });
  return { slug, ...created! };
}

/** Opens the activity page and posts its form with its CSRF token and form key. */
async function book(br: Browser, lang: 'fr' | 'en', slug: string, fields: Record<string, string>, idem?: string) {
  const page = await visit(t.app, br, `/${lang}/activities/${slug}`);
  expect(page.statusCode).toBe(200);
  const { token } = formSession(page);
  const key = idem ?? /name="_idem" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  return visit(t.app, br, `/${lang}/activities/${slug}`, { _csrf: token, _idem: key, action: 'hold', ...fields });
}

async function post(br: Browser, pageUrl: string, postUrl: string, fields: Record<string, string> = {}) {
  const page = await visit(t.app, br, pageUrl);
  const { token } = formSession(page);
  return visit(t.app, br, postUrl, { _csrf: token, ...fields });
}

describe('browsing', () => {
  it.each([
    ['fr', 'Activités et réservations', 'Bain libre', 'Connectez-vous pour réserver'],
    ['en', 'Activities and bookings', 'Public swim', 'Sign in to book'],
  ] as const)('lists activities and shows one with its places in %s', async (lang, title, name, signIn) => {
    const a = await activity({ minAge: 6, maxAge: 12 });
    const list = await t.app.inject({ url: `/${lang}/activities`, headers: { host: town.host } });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`<h1>${title}</h1>`);
    expect(list.body).toContain(name);
    const page = await t.app.inject({ url: `/${lang}/activities/${a.slug}`, headers: { host: town.host } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(lang === 'fr' ? '5 sur 5' : '5 of 5');
    expect(page.body).toContain(signIn);
    expect(page.body).not.toContain('name="session"');
  });

  it('filters by age and day, and explains a wrong filter in both languages', async () => {
    const kids = await activity({ minAge: 6, maxAge: 12 });
    const adults = await activity({ minAge: 18 });
    const nine = await t.app.inject({ url: '/en/activities?age=9', headers: { host: town.host } });
    expect(nine.body).toContain(`/en/activities/${kids.slug}`);
    expect(nine.body).not.toContain(`/en/activities/${adults.slug}`);
    const none = await t.app.inject({ url: '/en/activities?date=2001-01-01', headers: { host: town.host } });
    expect(none.body).not.toContain(`/en/activities/${kids.slug}`);
    const wrong = await t.app.inject({ url: '/fr/activities?date=2026-02-30&age=douze', headers: { host: town.host } });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('Entrez la date au format AAAA-MM-JJ');
    expect(wrong.body).toContain('Entrez un âge en années');
    const wrongEn = await t.app.inject({ url: '/en/activities?age=200', headers: { host: town.host } });
    expect(wrongEn.statusCode).toBe(422);
    expect(wrongEn.body).toContain('Enter an age in years');
  });

  it('answers an unknown activity with 404', async () => {
    const res = await t.app.inject({ url: '/en/activities/no-such-thing', headers: { host: town.host } });
    expect(res.statusCode).toBe(404);
  });
});

describe('booking a place', () => {
  it.each([
    ['fr', 'Confirmez votre réservation', 'Votre place est retenue jusqu’à', 'Réservation confirmée', 'Réservation annulée'],
    ['en', 'Confirm your booking', 'Your place is held until', 'Booking confirmed', 'Booking cancelled'],
  ] as const)('holds, confirms and cancels in %s, with the emails in that language', async (lang, holdTitle, heldUntil, confirmed, cancelled) => {
    const a = await activity({ cancelHoursBefore: 24 });
    const address = email('famille');
    const br = await signInResident(t.app, t.db, town, address, lang);
    const held = await book(br, lang, a.slug, { session: a.sessionIds[0]!, participant: 'self' });
    expect(held.statusCode).toBe(303);
    const location = held.headers.location as string;
    expect(location).toMatch(new RegExp(`^/${lang}/bookings/[0-9a-f-]{36}$`));

    const hold = await visit(t.app, br, location);
    expect(hold.body).toContain(`<h1>${holdTitle}</h1>`);
    // The expiry is stated in text; the countdown only adds to it.
    expect(hold.body).toContain(heldUntil);
    expect(hold.body).toContain('data-module="countdown"');

    const done = await post(br, location, `${location}/confirm`);
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`${location}?done=confirmed`);
    const page = await visit(t.app, br, done.headers.location as string);
    expect(page.body).toContain(`<h1>${confirmed}</h1>`);
    const mail = await latestMail(t.db, town.tenant.id, address);
    expect(mail.subject).toContain(confirmed);
    expect(mail.locale).toBe(lang);
    // The email leads to the pass and to the calendar file, and both open for the resident.
    expect(mail.bodyText).toContain(`${location}/pass`);
    expect(mail.bodyText).toContain(`${location}/calendar.ics`);
    expect((await visit(t.app, br, `${location}/pass`)).statusCode).toBe(200);

    const mine = await visit(t.app, br, `/${lang}/bookings`);
    expect(mine.body).toContain(`href="${location}"`);

    const gone = await post(br, location, `${location}/cancel`);
    expect(gone.statusCode).toBe(303);
    expect(gone.headers.location).toBe(`${location}?done=cancelled`);
    expect((await visit(t.app, br, location)).body).toContain(`<h1>${cancelled}</h1>`);
    expect((await latestMail(t.db, town.tenant.id, address)).subject).toContain(cancelled);
    const [account] = await placeAccounting(t.db, town.tenant.id, a.id);
    expect(account).toMatchObject({ taken: 0, live: 0 });
  });

  it('confirms a paid booking with the payment due at the counter', async () => {
    const a = await activity({ residentPriceCents: 1500, nonresidentPriceCents: 2500 });
    const br = await signInResident(t.app, t.db, town, email('paid'), 'en');
    const held = await book(br, 'en', a.slug, { session: a.sessionIds[0]!, participant: 'self' });
    const location = held.headers.location as string;
    const hold = await visit(t.app, br, location);
    expect(hold.body).toContain('Pay at the counter or by invoice');
    const done = await post(br, location, `${location}/confirm`, { payment: 'counter' });
    expect(done.statusCode).toBe(303);
    const page = await visit(t.app, br, location);
    expect(page.body).toContain('$25.00 to pay at the counter or by invoice');
  });

  it('books once when the same form is sent twice', async () => {
    const a = await activity();
    const br = await signInResident(t.app, t.db, town, email('double'), 'fr');
    const key = crypto.randomBytes(18).toString('base64url');
    const first = await book(br, 'fr', a.slug, { session: a.sessionIds[0]!, participant: 'self' }, key);
    const second = await book(br, 'fr', a.slug, { session: a.sessionIds[0]!, participant: 'self' }, key);
    expect(second.statusCode).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    const [account] = await placeAccounting(t.db, town.tenant.id, a.id);
    expect(account).toMatchObject({ taken: 1, live: 1 });
  });
});

describe('wrong input', () => {
  it.each([
    ['fr', 'Choisissez une séance.', 'Choisissez pour qui est la place.'],
    ['en', 'Choose a session.', 'Choose who the place is for.'],
  ] as const)('asks for the session and the participant in %s', async (lang, session, participant) => {
    const a = await activity();
    const br = await signInResident(t.app, t.db, town, email('vide'), lang);
    const res = await book(br, lang, a.slug, { session: '', participant: '' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('class="error-summary"');
    expect(res.body).toContain(session);
    expect(res.body).toContain(participant);
    const unknown = await book(br, lang, a.slug, { session: crypto.randomUUID(), participant: 'self' });
    expect(unknown.statusCode).toBe(422);
  });

  it.each([
    ['fr', 'Les inscriptions ouvrent le', 'Les inscriptions à cette activité ouvrent le'],
    ['en', 'Registration opens on', 'Registration for this activity opens on'],
  ] as const)('counts down before the opening and refuses a hold in %s', async (lang, notice, refusal) => {
    const a = await activity({ opensAt: new Date(Date.now() + 5 * HOUR) });
    const br = await signInResident(t.app, t.db, town, email('tot'), lang);
    const page = await visit(t.app, br, `/${lang}/activities/${a.slug}`);
    expect(page.body).toContain(notice);
    expect(page.body).toContain('data-module="countdown"');
    expect(page.body).not.toContain('name="session"');
    // A form posted anyway (an old tab, a script) is refused with the opening time.
    const { token } = formSession(await visit(t.app, br, `/${lang}/account/household/new`));
    const res = await visit(t.app, br, `/${lang}/activities/${a.slug}`, { _csrf: token, session: a.sessionIds[0]!, participant: 'self', action: 'hold' });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain(refusal);
    const [account] = await placeAccounting(t.db, town.tenant.id, a.id);
    expect(account).toMatchObject({ taken: 0, live: 0 });
  });

  it.each([
    ['fr', 'Il ne reste plus de place dans cette séance.'],
    ['en', 'There are no places left in this session.'],
  ] as const)('says a session is full, and offers the waitlist, in %s', async (lang, full) => {
    const a = await activity({}, 1);
    const first = await signInResident(t.app, t.db, town, email('premier'), lang);
    expect((await book(first, lang, a.slug, { session: a.sessionIds[0]!, participant: 'self' })).statusCode).toBe(303);
    const second = await signInResident(t.app, t.db, town, email('second'), lang);
    const res = await book(second, lang, a.slug, { session: a.sessionIds[0]!, participant: 'self' });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain(full);
    expect(res.body).toContain('value="waitlist"');
    const joined = await book(second, lang, a.slug, { session: a.sessionIds[0]!, participant: 'self', action: 'waitlist' });
    expect(joined.statusCode).toBe(303);
    expect(joined.headers.location).toBe(`/${lang}/bookings?done=joined`);
    const [account] = await placeAccounting(t.db, town.tenant.id, a.id);
    expect(account).toMatchObject({ capacity: 1, taken: 1, live: 1 });
  });

  it.each([
    ['fr', 'aura 16 ans au début de la séance', '6 à 12 ans'],
    ['en', 'will be 16 when the session starts', 'Ages 6 to 12'],
  ] as const)('refuses a household member of the wrong age in %s', async (lang, age, group) => {
    const a = await activity({ minAge: 6, maxAge: 12 });
    const br = await signInResident(t.app, t.db, town, email('ado'), lang);
    const start = new Date(Date.now() + 72 * HOUR);
    const born = `${start.getUTCFullYear() - 16}-01-01`;
    const added = await submit(t.app, br, `/${lang}/account/household/new`, { name: 'Zoé', birthDate: born, relationship: 'child' });
    expect(added.statusCode).toBe(303);
    const page = await visit(t.app, br, `/${lang}/activities/${a.slug}`);
    const memberId = /name="participant" value="([0-9a-f-]{36})"/.exec(page.body)?.[1];
    expect(memberId).toBeDefined();
    const res = await book(br, lang, a.slug, { session: a.sessionIds[0]!, participant: memberId! });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain(`Zoé ${age}`);
    expect(res.body).toContain(group);
    expect(res.body).toContain('href="#participant"');
  });

  it.each([
    ['fr', 'Inscrivez votre date de naissance dans votre profil', 'Vous aurez', '50 ans et plus'],
    ['en', 'Add your date of birth in your profile', 'You will be', 'Ages 50 and up'],
  ] as const)('checks the account holder’s own age against an activity for 50 and over, from the profile’s date of birth, in %s', async (lang, needed, youWillBe, group) => {
    const a = await activity({ minAge: 50 });
    const address = email('aine');
    const br = await signInResident(t.app, t.db, town, address, lang);
    // No date of birth in the profile: asked for it, nothing held.
    const unknown = await book(br, lang, a.slug, { session: a.sessionIds[0]!, participant: 'self' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toContain(needed);
    expect(unknown.body).toContain(group);
    expect(unknown.body).toContain('href="#participant"');
    const profile = { name: 'Gaétan Roy', email: address, locale: lang };
    const start = new Date(Date.now() + 72 * HOUR);
    // Too young: said in the second person, with the age on the first day.
    expect((await submit(t.app, br, `/${lang}/account/profile`, { ...profile, birthDate: `${start.getUTCFullYear() - 40}-01-01` })).statusCode).toBe(303);
    const young = await book(br, lang, a.slug, { session: a.sessionIds[0]!, participant: 'self' });
    expect(young.statusCode).toBe(422);
    expect(young.body).toContain(`${youWillBe} 40`);
    // Old enough: the place is held.
    expect((await submit(t.app, br, `/${lang}/account/profile`, { ...profile, birthDate: `${start.getUTCFullYear() - 70}-01-01` })).statusCode).toBe(303);
    const held = await book(br, lang, a.slug, { session: a.sessionIds[0]!, participant: 'self' });
    expect(held.statusCode).toBe(303);
    expect(String(held.headers.location)).toMatch(new RegExp(`^/${lang}/bookings/[0-9a-f-]{36}$`));
    // An activity for every adult never asks.
    const open = await activity({ minAge: 18 });
    const other = await signInResident(t.app, t.db, town, email('adulte'), lang);
    expect((await book(other, lang, open.slug, { session: open.sessionIds[0]!, participant: 'self' })).statusCode).toBe(303);
  });

  it.each([
    ['fr', 'Délai expiré', 'Votre place n’a pas été confirmée à temps'],
    ['en', 'Time ran out', 'Your place was not confirmed in time'],
  ] as const)('refuses a confirmation after the hold ran out in %s', async (lang, title, body) => {
    const a = await activity({}, 2);
    const br = await signInResident(t.app, t.db, town, email('lent'), lang);
    const held = await book(br, lang, a.slug, { session: a.sessionIds[0]!, participant: 'self' });
    const location = held.headers.location as string;
    const page = await visit(t.app, br, location);
    await lapseHolds(t.db, town.tenant.id, [location.split('/').pop()!]);
    const { token } = formSession(page);
    const res = await visit(t.app, br, `${location}/confirm`, { _csrf: token });
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain(`<h1>${title}</h1>`);
    expect(res.body).toContain(body);
    expect((await visit(t.app, br, location)).body).toContain(`<h1>${title}</h1>`);
    const [account] = await placeAccounting(t.db, town.tenant.id, a.id);
    expect(account).toMatchObject({ taken: 0, live: 0 });
  });

  it("does not show or change someone else's booking, and asks to sign in first", async () => {
    const a = await activity();
    const owner = await signInResident(t.app, t.db, town, email('proprio'), 'en');
    const held = await book(owner, 'en', a.slug, { session: a.sessionIds[0]!, participant: 'self' });
    const location = held.headers.location as string;
    const other = await signInResident(t.app, t.db, town, email('autre'), 'en');
    expect((await visit(t.app, other, location)).statusCode).toBe(404);
    const mine = await visit(t.app, other, '/en/bookings');
    const { token } = formSession(await visit(t.app, other, `/en/activities/${a.slug}`));
    expect((await visit(t.app, other, `${location}/cancel`, { _csrf: token })).statusCode).toBe(404);
    expect(mine.body).not.toContain(location);
    const anonymous = await t.app.inject({ url: location, headers: { host: town.host } });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toContain('/en/account/sign-in');
  });
});

describe('the lottery draw, in public', () => {
  it.each([
    ['fr', 'Vérifié : refaire le tirage', 'Voir le tirage'],
    ['en', 'Verified: running the draw again', 'See the draw'],
  ] as const)('publishes the seed and the order so anyone can check it in %s', async (lang, verified, link) => {
    const a = await activity({ mode: 'lottery', opensAt: new Date(Date.now() - 2 * HOUR), lotteryClosesAt: new Date(Date.now() + HOUR) }, 2);
    const sessionId = a.sessionIds[0]!;
    const people = await makeResidents(t.db, town.tenant.id, 4);
    for (const p of people) await enterLottery(callerFor(t.db, town.tenant, p), { sessionId, participant: 'self' });
    await t.db.withTenant(town.tenant.id, (trx) =>
      trx.updateTable('activities').set({ lottery_closes_at: new Date(Date.now() - 1000) }).where('tenant_id', '=', town.tenant.id).where('id', '=', a.id).execute(),
    );
    const seed = crypto.randomBytes(32).toString('hex');
    const draw = await drawLottery(t.db, { tenant: town.tenant, publicUrl: 'http://x' }, sessionId, { seed });
    const page = await t.app.inject({ url: `/${lang}/activities/${a.slug}/draws/${sessionId}`, headers: { host: town.host } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(seed);
    expect(page.body).toContain(verified);
    for (const id of draw.order) expect(page.body).toContain(id);
    const json = await t.app.inject({ url: `/${lang}/activities/${a.slug}/draws/${sessionId}.json`, headers: { host: town.host } });
    const record = json.json<{ seed: string; entryIds: string[]; order: string[]; verified: boolean; winners: number }>();
    expect(record).toMatchObject({ seed, verified: true, winners: 2 });
    // Anyone re-running the published algorithm on the published record gets the published order.
    expect(seededShuffle(record.seed, record.entryIds)).toEqual(record.order);
    expect((await t.app.inject({ url: `/${lang}/activities/${a.slug}`, headers: { host: town.host } })).body).toContain(link);
    expect((await t.app.inject({ url: `/${lang}/activities/${a.slug}/draws/${crypto.randomUUID()}`, headers: { host: town.host } })).statusCode).toBe(404);
  });
});

describe('the demo town', () => {
  it('gets bookable activities once, one of them counting down to its opening', async () => {
    const demo = await createTestTown(t.db, 'Demo');
    expect(await seedBookingsDemo(t.db, demo.tenant)).toBe(4);
    expect(await seedBookingsDemo(t.db, demo.tenant)).toBe(0);
    const list = await t.app.inject({ url: '/fr/activities', headers: { host: demo.host } });
    expect(list.body).toContain('Camp de jour d’été');
    expect(list.body).toContain('Bain libre à la piscine municipale');
    const camp = await t.app.inject({ url: '/en/activities/camp-de-jour', headers: { host: demo.host } });
    expect(camp.body).toContain('Registration opens on');
    expect(camp.body).toContain('Town residents can register from');
    expect(camp.body).toContain('data-module="countdown"');
  });
});
