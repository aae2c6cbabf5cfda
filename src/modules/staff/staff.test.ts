/** Staff sign-in, sessions and sign-out through the real app, in both languages, on both engines. */
import { forgetSessions } from '../../platform/auth/session-cache.ts';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, createTestTown, formSession, type TestApp, type TestTown } from '../../../test/harness.ts';
import { createStaff, setStaffDisabled, StaffInputError } from './service.ts';

let t: TestApp;
let a: TestTown;
let b: TestTown;
const PASSWORD = 'correct horse battery staple';
let adminId: string;

/** A fresh client address per test, so the tight sign-in limit only counts what the test does. */
const newIp = () => `10.${crypto.randomInt(255)}.${crypto.randomInt(255)}.${crypto.randomInt(1, 255)}`;

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_SENSITIVE_PER_MINUTE: '5' });
  a = await createTestTown(t.db, 'Amqui');
  b = await createTestTown(t.db, 'Baie-Comeau');
  // A manager: administrators go through two-step verification, tested in mfa.test.ts.
  adminId = (await createStaff(t.db, a.tenant.id, { email: `admin@${a.host}`, name: 'Alice Côté', role: 'manager', password: PASSWORD })).id;
  const disabled = await createStaff(t.db, a.tenant.id, { email: `gone@${a.host}`, name: 'Gaston Roy', role: 'agent', password: PASSWORD });
  await setStaffDisabled(t.db, a.tenant.id, disabled.id, true);
  await createStaff(t.db, b.tenant.id, { email: `admin@${b.host}`, name: 'Béatrice Roy', role: 'manager', locale: 'en', password: PASSWORD });
});
afterAll(() => t.close());

interface Attempt {
  status: number;
  body: string;
  location: string | undefined;
  session: string | undefined;
  setCookie: string[];
}

async function signIn(town: TestTown, email: string, password: string, opts: { lang?: 'fr' | 'en'; ip?: string; next?: string; cookie?: string } = {}): Promise<Attempt> {
  const lang = opts.lang ?? 'fr';
  const ip = opts.ip ?? newIp();
  const page = await t.app.inject({ url: `/${lang}/staff/sign-in`, headers: { host: town.host }, remoteAddress: ip });
  expect(page.statusCode).toBe(200);
  const { token, cookie } = formSession(page);
  const form = new URLSearchParams({ _csrf: token, email, password, ...(opts.next ? { next: opts.next } : {}) });
  const res = await t.app.inject({
    method: 'POST',
    url: `/${lang}/staff/sign-in`,
    headers: { host: town.host, cookie: [cookie, opts.cookie].filter(Boolean).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    payload: form.toString(),
    remoteAddress: ip,
  });
  const raw = res.headers['set-cookie'];
  const setCookie = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return {
    status: res.statusCode,
    body: res.body,
    location: res.headers.location,
    session: res.cookies.find((c) => c.name === 'guichet-session')?.value,
    setCookie,
  };
}

const staffPage = (town: TestTown, session: string, url = '/fr/staff') =>
  t.app.inject({ url, headers: { host: town.host, cookie: `guichet-session=${session}` } });

async function auditActions(tenantId: string): Promise<Array<{ action: string; reason: unknown }>> {
  const rows = await t.db.withTenant(tenantId, (trx) =>
    trx.selectFrom('audit_events').select(['action', 'details']).where('tenant_id', '=', tenantId).orderBy('id').execute(),
  );
  return rows.map((r) => ({ action: r.action, reason: r.details.reason }));
}

describe('sign-in page', () => {
  it.each([
    ['fr', 'Connexion du personnel', 'Adresse courriel', 'Mot de passe', 'Se connecter'],
    ['en', 'Staff sign-in', 'Email address', 'Password', 'Sign in'],
  ])('is shown in %s with labelled fields', async (lang, title, email, password, submit) => {
    const res = await t.app.inject({ url: `/${lang}/staff/sign-in`, headers: { host: a.host } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`<h1>${title}</h1>`);
    expect(res.body).toContain(email);
    expect(res.body).toContain(password);
    expect(res.body).toContain(submit);
    expect(res.body).toContain('autocomplete="current-password"');
    expect(res.body).toContain('name="_csrf"');
  });
});

describe('signing in', () => {
  it('accepts the right password, sets a safe cookie and opens the staff area', async () => {
    const res = await signIn(a, `ADMIN@${a.host}`, PASSWORD);
    expect(res.status).toBe(303);
    expect(res.location).toBe('/fr/staff');
    expect(res.session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = res.setCookie.find((c) => c.startsWith('guichet-session='))!;
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure'); // not production
    // Only the SHA-256 of the token is stored.
    const stored = await t.db.withTenant(a.tenant.id, (trx) => trx.selectFrom('sessions').select('token_hash').execute());
    expect(stored.map((s) => s.token_hash)).toContain(crypto.createHash('sha256').update(res.session!).digest('hex'));
    expect(stored.map((s) => s.token_hash)).not.toContain(res.session);

    const fr = await staffPage(a, res.session!);
    expect(fr.statusCode).toBe(200);
    expect(fr.body).toContain('Espace du personnel');
    expect(fr.body).toContain('Session ouverte : Alice Côté (Gestionnaire).');
    const en = await staffPage(a, res.session!, '/en/staff');
    expect(en.body).toContain('Signed in as Alice Côté (Manager).');
    expect(en.body).toContain('href="/en/staff/mail"');
    expect((await auditActions(a.tenant.id)).some((e) => e.action === 'staff.signIn')).toBe(true);
  });

  it.each([
    ['fr', 'L’adresse courriel ou le mot de passe est incorrect.'],
    ['en', 'The email address or the password is incorrect.'],
  ])('gives the same answer in %s for a wrong password and an unknown email', async (lang, message) => {
    const wrong = await signIn(a, `admin@${a.host}`, 'not the password at all', { lang: lang as 'fr' | 'en' });
    const unknown = await signIn(a, `nobody@${a.host}`, PASSWORD, { lang: lang as 'fr' | 'en' });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.session).toBeUndefined();
      expect(res.body).toContain(message);
      expect(res.body).toContain('class="error-summary"');
    }
    // Apart from the per-request CSRF token and nonce, the two pages differ only by the typed email.
    const normalize = (body: string) => body.replace(/(nonce|value)="[^"]*"/g, '$1=""');
    expect(normalize(wrong.body)).toBe(normalize(unknown.body));
    const failures = (await auditActions(a.tenant.id)).filter((e) => e.action === 'staff.signInFailed').map((e) => e.reason);
    expect(failures).toEqual(expect.arrayContaining(['wrongPassword', 'unknownEmail']));
  });

  it('refuses a disabled account with a clear message, only to someone who knows its password', async () => {
    const fr = await signIn(a, `gone@${a.host}`, PASSWORD);
    expect(fr.status).toBe(403);
    expect(fr.session).toBeUndefined();
    expect(fr.body).toContain('Ce compte est désactivé.');
    const en = await signIn(a, `gone@${a.host}`, PASSWORD, { lang: 'en' });
    expect(en.body).toContain('This account is disabled.');
    const guess = await signIn(a, `gone@${a.host}`, 'a wrong guess here', { lang: 'en' });
    expect(guess.status).toBe(401);
    expect(guess.body).not.toContain('disabled');
  });

  it('re-renders with field errors (422) when the form is incomplete or malformed', async () => {
    const empty = await signIn(a, '', '', { lang: 'en' });
    expect(empty.status).toBe(422);
    expect(empty.body).toContain('Enter a value for “Email address”.');
    expect(empty.body).toContain('Enter a value for “Password”.');
    const bad = await signIn(a, 'not-an-email', PASSWORD);
    expect(bad.status).toBe(422);
    expect(bad.body).toContain('href="#email"');
  });

  it('refuses a sign-in without a CSRF token (403)', async () => {
    for (const [lang, text] of [['fr', 'Formulaire expiré'], ['en', 'Form expired']] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/${lang}/staff/sign-in`,
        headers: { host: a.host, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ email: `admin@${a.host}`, password: PASSWORD }).toString(),
        remoteAddress: newIp(),
      });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain(text);
      expect(res.cookies.find((c) => c.name === 'guichet-session')).toBeUndefined();
    }
  });

  it('limits sign-in attempts tightly (429 with Retry-After)', async () => {
    const ip = newIp();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await signIn(a, `nobody@${a.host}`, 'wrong password!!', { ip })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
  });

  it('issues a new token at each sign-in and ends the one the browser held', async () => {
    const first = await signIn(a, `admin@${a.host}`, PASSWORD);
    const second = await signIn(a, `admin@${a.host}`, PASSWORD, { cookie: `guichet-session=${first.session}` });
    expect(second.status).toBe(303);
    expect(second.session).not.toBe(first.session);
    expect((await staffPage(a, first.session!)).statusCode).toBe(303);
    expect((await staffPage(a, second.session!)).statusCode).toBe(200);
  });
});

describe('staff pages and sessions', () => {
  it('sends a visitor who is not signed in to the sign-in page, and back afterwards', async () => {
    const res = await t.app.inject({ url: '/en/staff/mail?page=1', headers: { host: a.host } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/en/staff/sign-in?next=${encodeURIComponent('/en/staff/mail?page=1')}`);
    const page = await t.app.inject({ url: res.headers.location as string, headers: { host: a.host } });
    expect(page.body).toContain('Sign in to see this page.');
    expect(page.body).toContain('name="next" value="/en/staff/mail?page=1"');
    const back = await signIn(a, `admin@${a.host}`, PASSWORD, { lang: 'en', next: '/en/staff/mail?page=1' });
    expect(back.location).toBe('/en/staff/mail?page=1');
  });

  it.each(['//evil.example/x', 'https://evil.example/', '/\\evil.example', '/de/staff', 'javascript:alert(1)'])(
    'ignores a return path that leaves the site: %s',
    async (next) => {
      const res = await signIn(a, `admin@${a.host}`, PASSWORD, { next });
      expect(res.status).toBe(303);
      expect(res.location).toBe('/fr/staff');
    },
  );

  it('does not accept a session of town A at town B', async () => {
    const res = await signIn(a, `admin@${a.host}`, PASSWORD);
    expect((await staffPage(a, res.session!)).statusCode).toBe(200);
    const atB = await staffPage(b, res.session!);
    expect(atB.statusCode).toBe(303);
    expect(atB.headers.location).toBe(`/fr/staff/sign-in?next=${encodeURIComponent('/fr/staff')}`);
    const mailAtB = await staffPage(b, res.session!, '/en/staff/mail');
    expect(mailAtB.statusCode).toBe(303);
    // B's sign-in page shows the form: nobody is signed in there.
    const signInAtB = await staffPage(b, res.session!, '/en/staff/sign-in');
    expect(signInAtB.statusCode).toBe(200);
    expect(signInAtB.body).not.toContain('Alice');
    // And A's account cannot sign in at B.
    expect((await signIn(b, `admin@${a.host}`, PASSWORD)).status).toBe(401);
  });

  it('treats a tampered cookie as signed out and clears it', async () => {
    const res = await signIn(a, `admin@${a.host}`, PASSWORD);
    const token = res.session!;
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    for (const value of [flipped, `${token}x`, 'garbage', '']) {
      const page = await staffPage(a, value);
      expect(page.statusCode).toBe(303);
      expect(page.headers.location).toMatch(/^\/fr\/staff\/sign-in\?next=/);
    }
    const cleared = await staffPage(a, 'garbage');
    expect(String(cleared.headers['set-cookie'])).toMatch(/guichet-session=;/);
  });

  it('ends the session at sign-out', async () => {
    const res = await signIn(a, `admin@${a.host}`, PASSWORD);
    const page = await staffPage(a, res.session!, '/en/staff');
    const { token, cookie } = formSession(page);
    const out = await t.app.inject({
      method: 'POST',
      url: '/en/staff/sign-out',
      headers: { host: a.host, cookie: `${cookie}; guichet-session=${res.session}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(token)}`,
    });
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/en/staff/sign-in?signedOut=1');
    expect(String(out.headers['set-cookie'])).toMatch(/guichet-session=;/);
    expect((await staffPage(a, res.session!)).statusCode).toBe(303);
    const after = await t.app.inject({ url: '/en/staff/sign-in?signedOut=1', headers: { host: a.host } });
    expect(after.body).toContain('You are signed out.');
    const fr = await t.app.inject({ url: '/fr/staff/sign-in?signedOut=1', headers: { host: a.host } });
    expect(fr.body).toContain('Votre session est terminée.');
    expect((await auditActions(a.tenant.id)).some((e) => e.action === 'staff.signOut')).toBe(true);
  });

  it('refuses sign-out without a CSRF token', async () => {
    const res = await signIn(a, `admin@${a.host}`, PASSWORD);
    const out = await t.app.inject({
      method: 'POST',
      url: '/fr/staff/sign-out',
      headers: { host: a.host, cookie: `guichet-session=${res.session}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    expect(out.statusCode).toBe(403);
    expect((await staffPage(a, res.session!)).statusCode).toBe(200);
  });

  it('ends a session after 30 idle minutes and after 12 hours in all', async () => {
    const idle = await signIn(a, `admin@${a.host}`, PASSWORD);
    const long = await signIn(a, `admin@${a.host}`, PASSWORD);
    const hash = (token: string) => crypto.createHash('sha256').update(token).digest('hex');
    await t.db.withTenant(a.tenant.id, async (trx) => {
      await trx.updateTable('sessions').set({ last_seen_at: sql<Date>`now() - interval '31 minutes'` }).where('token_hash', '=', hash(idle.session!)).execute();
      await trx.updateTable('sessions').set({ expires_at: sql<Date>`now() - interval '1 second'` }).where('token_hash', '=', hash(long.session!)).execute();
    });
    // Changed behind the application's back: drop its short session cache as time would.
    forgetSessions();
    expect((await staffPage(a, idle.session!)).statusCode).toBe(303);
    expect((await staffPage(a, long.session!)).statusCode).toBe(303);
  });

  it('ends the sessions of an account when it is disabled', async () => {
    const staff = await createStaff(t.db, a.tenant.id, { email: `temp@${a.host}`, name: 'Temp', role: 'agent', password: PASSWORD });
    const res = await signIn(a, `temp@${a.host}`, PASSWORD);
    expect((await staffPage(a, res.session!)).statusCode).toBe(200);
    await setStaffDisabled(t.db, a.tenant.id, staff.id, true);
    expect((await staffPage(a, res.session!)).statusCode).toBe(303);
  });
});

describe('creating staff accounts', () => {
  it('refuses a short password, a bad email and a duplicate, naming the field', async () => {
    const base = { name: 'X', role: 'agent' as const, password: PASSWORD };
    await expect(createStaff(t.db, a.tenant.id, { ...base, email: `x@${a.host}`, password: 'short' })).rejects.toMatchObject({ field: 'password' });
    await expect(createStaff(t.db, a.tenant.id, { ...base, email: 'nope' })).rejects.toBeInstanceOf(StaffInputError);
    await expect(createStaff(t.db, a.tenant.id, { ...base, email: `Admin@${a.host}` })).rejects.toMatchObject({ field: 'email' });
  });

  it('stores an argon2id hash, never the password', async () => {
    const row = await t.db.withTenant(a.tenant.id, (trx) => trx.selectFrom('staff_users').select('password_hash').where('id', '=', adminId).executeTakeFirstOrThrow());
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(PASSWORD);
  });
});
