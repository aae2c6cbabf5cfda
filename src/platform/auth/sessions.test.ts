/**
 * "Your sessions", for residents (/account/sessions) and staff (/staff/sessions): each person sees
 * their own live sessions in this town, ends one of the others, or all of them. Both languages,
 * both engines, through the real app.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestTown, type TestApp, type TestTown } from '../../../test/harness.ts';
import { createStaff } from '../../modules/staff/service.ts';
import { browser, signInResident, submit, visit, type Browser } from '../../modules/residents/testing.ts';
import { createSession } from './session.ts';
import { summarizeUserAgent } from './user-agent.ts';

let t: TestApp;
let a: TestTown;
let b: TestTown;

const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const CHROME_ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';

beforeAll(async () => {
  t = await createTestApp();
  a = await createTestTown(t.db, 'Rivière-du-Loup');
  b = await createTestTown(t.db, 'Trois-Pistoles');
});
afterAll(() => t.close());

const uniqueEmail = (label: string) => `${label}.${crypto.randomBytes(4).toString('hex')}@example.ca`;

/** The same resident signed in from two browsers. */
async function twoDevices(lang: 'fr' | 'en') {
  const email = uniqueEmail('devices');
  const laptop = await signInResident(t.app, t.db, a, email, lang, browser(a.host, FIREFOX_WINDOWS));
  const phone = await signInResident(t.app, t.db, a, email, lang, browser(a.host, SAFARI_IPHONE));
  return { email, laptop, phone };
}

const sessionIds = (body: string, area: string) => [...body.matchAll(new RegExp(`action="/\\w\\w${area}/sessions/([0-9a-f-]{36})/end"`, 'g'))].map((m) => m[1]!);

describe('a resident’s sessions', () => {
  it.each([
    ['fr', 'Mes sessions', 'Firefox sur Windows', 'Safari sur iPhone', 'Cet appareil', 'Cette session est déconnectée.'],
    ['en', 'My sessions', 'Firefox on Windows', 'Safari on iPhone', 'This device', 'That session is signed out.'],
  ] as const)('lists where the resident is signed in and ends another session (%s)', async (lang, title, laptopLabel, phoneLabel, current, ended) => {
    const { laptop, phone } = await twoDevices(lang);
    const page = await visit(t.app, laptop, `/${lang}/account/sessions`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<h1>${title}</h1>`);
    // The session in use comes first, marked, with a plain sign-out; the other one can be ended.
    expect(page.body.indexOf(laptopLabel)).toBeLessThan(page.body.indexOf(phoneLabel));
    expect(page.body).toContain(current);
    expect(page.body).toContain(`action="/${lang}/account/sign-out"`);
    const ids = sessionIds(page.body, '/account');
    expect(ids).toHaveLength(1);

    const res = await submit(t.app, laptop, `/${lang}/account/sessions`, {}, `/${lang}/account/sessions/${ids[0]}/end`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/${lang}/account/sessions?done=ended`);
    expect((await visit(t.app, laptop, res.headers.location as string)).body).toContain(ended);
    // The phone is signed out; the laptop is not.
    expect((await visit(t.app, phone, `/${lang}/account`)).statusCode).toBe(303);
    expect((await visit(t.app, laptop, `/${lang}/account`)).statusCode).toBe(200);
    const audit = await t.db.withTenant(a.tenant.id, (trx) => trx.selectFrom('audit_events').select(['actor_kind', 'subject_id']).where('action', '=', 'session.ended').execute());
    expect(audit.some((e) => e.actor_kind === 'resident' && e.subject_id === ids[0])).toBe(true);
  });

  it('signs out everywhere else', async () => {
    const { email, laptop, phone } = await twoDevices('en');
    const third = await signInResident(t.app, t.db, a, email, 'en', browser(a.host, CHROME_ANDROID));
    const res = await submit(t.app, laptop, '/en/account/sessions', {}, '/en/account/sessions/end-others');
    expect(res.headers.location).toBe('/en/account/sessions?done=endedOthers');
    const page = await visit(t.app, laptop, res.headers.location as string);
    expect(page.body).toContain('You are signed out everywhere else.');
    expect(page.body).toContain('You are not signed in anywhere else.');
    expect(sessionIds(page.body, '/account')).toHaveLength(0);
    for (const other of [phone, third]) expect((await visit(t.app, other, '/en/account')).statusCode).toBe(303);
    expect((await visit(t.app, laptop, '/en/account')).statusCode).toBe(200);
  });

  it('cannot end someone else’s session, nor its own from the list', async () => {
    const victim = await twoDevices('en');
    const victimIds = sessionIds((await visit(t.app, victim.laptop, '/en/account/sessions')).body, '/account');
    const intruder = await signInResident(t.app, t.db, a, uniqueEmail('intruder'), 'en');
    for (const id of [...victimIds, '00000000-0000-0000-0000-000000000000', 'not-an-id']) {
      const res = await submit(t.app, intruder, '/en/account/sessions', {}, `/en/account/sessions/${id}/end`);
      expect(res.headers.location).toBe('/en/account/sessions?done=notFound');
    }
    expect((await visit(t.app, intruder, '/en/account/sessions?done=notFound')).body).toContain('That session was already signed out.');
    expect((await visit(t.app, victim.phone, '/en/account')).statusCode).toBe(200);
    expect((await visit(t.app, victim.laptop, '/en/account')).statusCode).toBe(200);
    // The session in use has no handle on the page; its id, found in the database, does not end it here.
    const hash = crypto.createHash('sha256').update(intruder.cookies.get('guichet-session')!).digest('hex');
    const own = await t.db.withTenant(a.tenant.id, (trx) => trx.selectFrom('sessions').select('id').where('token_hash', '=', hash).executeTakeFirstOrThrow());
    const res = await submit(t.app, intruder, '/en/account/sessions', {}, `/en/account/sessions/${own.id}/end`);
    expect(res.headers.location).toBe('/en/account/sessions?done=notFound');
    expect((await visit(t.app, intruder, '/en/account')).statusCode).toBe(200);
  });

  it('needs a signed-in resident, and a CSRF token to end a session', async () => {
    const anonymous = await visit(t.app, browser(a.host), '/fr/account/sessions');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe(`/fr/account/sign-in?next=${encodeURIComponent('/fr/account/sessions')}`);
    const { laptop, phone } = await twoDevices('fr');
    const [id] = sessionIds((await visit(t.app, laptop, '/fr/account/sessions')).body, '/account');
    const forged = await visit(t.app, laptop, `/fr/account/sessions/${id}/end`, { _csrf: 'forged' });
    expect(forged.statusCode).toBe(403);
    expect((await visit(t.app, phone, '/fr/account')).statusCode).toBe(200);
    // A resident session is not a staff session.
    expect((await visit(t.app, laptop, '/fr/staff/sessions')).headers.location).toMatch(/^\/fr\/staff\/sign-in/);
  });
});

describe('a staff member’s sessions', () => {
  async function staffBrowser(town: TestTown, staffId: string, userAgent?: string): Promise<Browser> {
    const token = await t.db.withTenant(town.tenant.id, (trx) => createSession(trx, town.tenant.id, staffId, userAgent ? { userAgent } : {}));
    const br = browser(town.host, userAgent);
    br.cookies.set('guichet-session', token);
    return br;
  }

  it.each([
    ['fr', 'Mes sessions', 'Retour à l’espace du personnel'],
    ['en', 'My sessions', 'Back to the staff area'],
  ] as const)('lists and ends the staff member’s other sessions (%s)', async (lang, title, back) => {
    const staff = await createStaff(t.db, a.tenant.id, { email: `agent-${lang}-${crypto.randomBytes(3).toString('hex')}@ville.test`, name: 'Sam Gagnon', role: 'agent', password: 'une phrase de passe assez longue' });
    // One session's browser is given at creation; the other's is recorded at its first request.
    const desk = await staffBrowser(a, staff.id, FIREFOX_WINDOWS);
    const tablet = await staffBrowser(a, staff.id);
    tablet.userAgent = CHROME_ANDROID;
    expect((await visit(t.app, tablet, `/${lang}/staff`)).statusCode).toBe(200);
    const page = await visit(t.app, desk, `/${lang}/staff/sessions`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<h1>${title}</h1>`);
    expect(page.body).toContain(back);
    expect(page.body).toContain(lang === 'fr' ? 'Chrome sur Android' : 'Chrome on Android');
    expect(page.body).toContain(`action="/${lang}/staff/sign-out"`);
    const ids = sessionIds(page.body, '/staff');
    expect(ids).toHaveLength(1);
    const res = await submit(t.app, desk, `/${lang}/staff/sessions`, {}, `/${lang}/staff/sessions/${ids[0]}/end`);
    expect(res.headers.location).toBe(`/${lang}/staff/sessions?done=ended`);
    expect((await visit(t.app, tablet, `/${lang}/staff`)).statusCode).toBe(303);
    expect((await visit(t.app, desk, `/${lang}/staff`)).statusCode).toBe(200);
    // A resident's pages are not the staff member's.
    expect((await visit(t.app, desk, `/${lang}/account/sessions`)).headers.location).toMatch(/account\/sign-in/);
  });

  it('shows nothing of another town', async () => {
    const staff = await createStaff(t.db, a.tenant.id, { email: `clerk-${crypto.randomBytes(3).toString('hex')}@ville.test`, name: 'Clerk', role: 'manager', password: 'une phrase de passe assez longue' });
    const desk = await staffBrowser(a, staff.id, FIREFOX_WINDOWS);
    const atB: Browser = { ...desk, host: b.host };
    expect((await visit(t.app, atB, '/en/staff/sessions')).statusCode).toBe(303);
  });
});

describe('browser summaries', () => {
  it.each([
    [FIREFOX_WINDOWS, 'Firefox', 'Windows'],
    [SAFARI_IPHONE, 'Safari', 'iPhone'],
    [CHROME_ANDROID, 'Chrome', 'Android'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0', 'Edge', 'macOS'],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36', 'Chrome', 'Linux'],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36', 'Chrome', 'Linux'],
    ['curl/8.5.0', 'curl', null],
    ['', null, null],
    [null, null, null],
  ])('summarizes %s', (ua, browserName, system) => {
    expect(summarizeUserAgent(ua)).toEqual({ browser: browserName, system });
  });
});
