/**
 * Two-step verification through the real app, in both languages, on both engines: administrators
 * set it up before any session exists, the code step after the password, replays, the lock, recovery
 * codes, turning it off, and what is stored (sealed secret, hashed codes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, createTestTown, type TestApp, type TestTown } from '../../../test/harness.ts';
import { createSession } from '../../platform/auth/session.ts';
import { createStaff } from './service.ts';
import { secretBox } from './secret-box.ts';
import { codeAt, PERIOD_SECONDS } from './mfa/totp.ts';
import { enrolTotp, InjectBrowser, totpSecretOf } from './testing.ts';

let t: TestApp;
let a: TestTown;
let b: TestTown;
const PASSWORD = 'deux étapes valent mieux qu’une';

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_SENSITIVE_PER_MINUTE: '1000' });
  a = await createTestTown(t.db, 'Amos');
  b = await createTestTown(t.db, 'Bécancour');
});
afterAll(() => t.close());

let counter = 0;
async function person(role: 'agent' | 'manager' | 'admin', town = a, locale: 'fr' | 'en' = 'fr') {
  const email = `${role}${++counter}@${town.host}`;
  const staff = await createStaff(t.db, town.tenant.id, { email, name: `Personne ${counter}`, role, locale, password: PASSWORD });
  return { id: staff.id, email };
}

async function passwordStep(browser: InjectBrowser, email: string, lang: 'fr' | 'en' = 'fr', next?: string) {
  await browser.get(`/${lang}/staff/sign-in${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  return browser.post(`/${lang}/staff/sign-in`, { email, password: PASSWORD, ...(next ? { next } : {}) });
}

async function audit(tenantId: string, staffId: string): Promise<Array<Record<string, unknown> & { action: string }>> {
  const rows = await t.db.withTenant(tenantId, (trx) =>
    trx
      .selectFrom('audit_events')
      .select(['action', 'details', 'actor_id', 'subject_id'])
      .where('tenant_id', '=', tenantId)
      .where((eb) => eb.or([eb('actor_id', '=', staffId), eb('subject_id', '=', staffId)]))
      .orderBy('id')
      .execute(),
  );
  return rows.map((r) => ({ action: r.action, ...r.details }));
}

/** Lets the next code of this account be accepted at once (tests do not wait 30 seconds). */
const secretOf = async (staffId: string, town = a) => (await totpSecretOf(t.app, town.tenant.id, staffId))!;

describe('an administrator without two-step verification', () => {
  it.each([
    ['fr', 'Configurer la vérification en deux étapes', 'obligatoire pour l’administration', 'Clé', 'Conservez vos codes de récupération'],
    ['en', 'Set up two-step verification', 'Administrators must use two-step verification', 'Key', 'Save your recovery codes'],
  ] as const)('sets it up right after the password, before any session exists (%s)', async (lang, title, required, keyLabel, codesTitle) => {
    const admin = await person('admin', a, lang);
    const browser = new InjectBrowser(t.app, a.host);
    const res = await passwordStep(browser, admin.email, lang);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/${lang}/staff/mfa/setup`);
    expect(browser.cookie('guichet-session')).toBeUndefined();
    const pending = res.cookies.find((c) => c.name === 'guichet-mfa')!;
    expect(pending.httpOnly).toBe(true);
    expect(pending.sameSite).toBe('Lax');

    // Other staff pages are out of reach: there is no session.
    for (const url of [`/${lang}/staff`, `/${lang}/staff/mail`, `/${lang}/staff/mfa`]) {
      const page = await browser.get(url);
      expect(page.statusCode).toBe(303);
      expect(page.headers.location).toMatch(new RegExp(`^/${lang}/staff/sign-in`));
    }

    const setup = await browser.get(`/${lang}/staff/mfa/setup`);
    expect(setup.statusCode).toBe(200);
    expect(setup.body).toContain(`<h1>${title}</h1>`);
    expect(setup.body).toContain(required);
    expect(setup.body).toContain(`<dt>${keyLabel}</dt>`);
    expect(setup.body).toMatch(/<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="[^"]+" width="200" height="200"/);
    expect(setup.body).toContain(admin.email);
    const key = /<code id="totp-key">([A-Z2-7 ]+)<\/code>/.exec(setup.body)![1]!.replace(/ /g, '');
    expect(key).toHaveLength(32);
    // The QR code carries the otpauth address of the same key.
    const svg = Buffer.from(/data:image\/svg\+xml;base64,([^"]+)"/.exec(setup.body)![1]!, 'base64').toString('utf8');
    expect(svg).toMatch(/^<svg/);
    // Reloading shows the same key (the app may already have it).
    expect((await browser.get(`/${lang}/staff/mfa/setup`)).body).toContain(key.replace(/(.{4})/g, '$1 ').trim());

    // A malformed code (422), then a wrong one (401): the page again, with the error.
    expect((await browser.post(`/${lang}/staff/mfa/setup`, { code: '12ab' })).statusCode).toBe(422);
    const wrongCode = codeAt(key, Date.now() - 10 * PERIOD_SECONDS * 1000);
    const wrong = await browser.post(`/${lang}/staff/mfa/setup`, { code: wrongCode });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('class="error-summary"');
    expect(browser.cookie('guichet-session')).toBeUndefined();

    // The right code: recovery codes shown once, and the session starts now.
    const done = await browser.post(`/${lang}/staff/mfa/setup`, { code: codeAt(key) });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain(`<h1>${codesTitle}</h1>`);
    const codes = [...done.body.matchAll(/<code>([2-9A-HJ-NP-Z]{4}(?:-[2-9A-HJ-NP-Z]{4}){3})<\/code>/g)].map((m) => m[1]);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(browser.cookie('guichet-session')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(browser.cookie('guichet-mfa')).toBeUndefined();
    expect(done.body).toContain(`href="/${lang}/staff"`);
    expect((await browser.get(`/${lang}/staff`)).statusCode).toBe(200);

    // Stored: a sealed secret and hashed codes, never the key or the codes themselves.
    const stored = await t.db.withTenant(a.tenant.id, async (trx) => ({
      mfa: await trx.selectFrom('staff_mfa').selectAll().where('staff_id', '=', admin.id).executeTakeFirstOrThrow(),
      codes: await trx.selectFrom('staff_recovery_codes').select('code_hash').where('staff_id', '=', admin.id).execute(),
    }));
    expect(stored.mfa.secret_sealed).toMatch(/^v1\./);
    expect(stored.mfa.secret_sealed).not.toContain(key);
    expect(stored.mfa.confirmed_at).not.toBeNull();
    expect(stored.codes).toHaveLength(10);
    for (const code of codes) expect(JSON.stringify(stored.codes)).not.toContain(code!.replace(/-/g, ''));
    // Only this deployment's key opens the secret, and only for this account.
    expect(secretBox(t.config.sessionSecret).open(stored.mfa.secret_sealed, `totp:${a.tenant.id}:${admin.id}`)).toBe(key);
    expect(secretBox('another-secret-of-at-least-32-characters!!').open(stored.mfa.secret_sealed, `totp:${a.tenant.id}:${admin.id}`)).toBeNull();
    expect(secretBox(t.config.sessionSecret).open(stored.mfa.secret_sealed, `totp:${a.tenant.id}:${crypto.randomUUID()}`)).toBeNull();

    const events = await audit(a.tenant.id, admin.id);
    expect(events.map((e) => e.action)).toEqual(['staff.created', 'staff.mfaEnrolled', 'staff.signIn']);
    expect(events[2]).toMatchObject({ method: 'password+totpEnrolment' });
  });

  it('has no usable session made any other way (a promoted account, a session opened directly)', async () => {
    const admin = await person('admin');
    const token = await t.db.withTenant(a.tenant.id, (trx) => createSession(trx, a.tenant.id, admin.id));
    const page = await t.app.inject({ url: '/fr/staff', headers: { host: a.host, cookie: `guichet-session=${token}` } });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toMatch(/^\/fr\/staff\/sign-in/);
    await enrolTotp(t.app, a.tenant.id, admin.id);
    const after = await t.app.inject({ url: '/fr/staff', headers: { host: a.host, cookie: `guichet-session=${token}` } });
    expect(after.statusCode).toBe(200);
  });

  it('cannot use a pending state at another town, nor one that has expired', async () => {
    const admin = await person('admin');
    const browser = new InjectBrowser(t.app, a.host);
    await passwordStep(browser, admin.email);
    const atB = await t.app.inject({ url: '/en/staff/mfa/setup', headers: { host: b.host, cookie: browser.cookieHeader() } });
    expect(atB.statusCode).toBe(303);
    expect(atB.headers.location).toMatch(/^\/en\/staff\/sign-in/);
    await t.db.withTenant(a.tenant.id, (trx) =>
      trx.updateTable('staff_mfa_pending').set({ expires_at: sql<Date>`now() - interval '1 second'` }).where('staff_id', '=', admin.id).execute(),
    );
    expect((await browser.get('/fr/staff/mfa/setup')).statusCode).toBe(303);
  });
});

describe('signing in with two-step verification', () => {
  it.each([
    ['fr', 'Vérification en deux étapes', 'Essais restants avant une attente de 15 minutes : 4.', 'Ce code a déjà été utilisé.'],
    ['en', 'Two-step verification', 'Tries left before a 15-minute wait: 4.', 'This code was already used.'],
  ] as const)('asks for the code after the password, and only then starts a session (%s)', async (lang, title, triesLeft, replayed) => {
    const admin = await person('admin', a, lang);
    const { secret } = await enrolTotp(t.app, a.tenant.id, admin.id);
    const browser = new InjectBrowser(t.app, a.host);
    const res = await passwordStep(browser, admin.email, lang, `/${lang}/staff/mail?page=1`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/${lang}/staff/sign-in/code`);
    expect(browser.cookie('guichet-session')).toBeUndefined();
    const pendingToken = browser.cookie('guichet-mfa')!;
    expect((await browser.get(`/${lang}/staff`)).statusCode).toBe(303);

    const page = await browser.get(`/${lang}/staff/sign-in/code`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<h1>${title}</h1>`);
    expect(page.body).toContain('autocomplete="one-time-code"');
    expect(page.body).toContain('inputmode="numeric"');

    const wrong = await browser.post(`/${lang}/staff/sign-in/code`, { code: codeAt(secret, Date.now() - 5 * PERIOD_SECONDS * 1000) });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain(triesLeft);
    expect(browser.cookie('guichet-session')).toBeUndefined();

    const code = codeAt(secret);
    const ok = await browser.post(`/${lang}/staff/sign-in/code`, { code: `${code.slice(0, 3)} ${code.slice(3)}` });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/${lang}/staff/mail?page=1`);
    const session = browser.cookie('guichet-session')!;
    expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session).not.toBe(pendingToken);
    expect(browser.cookie('guichet-mfa')).toBeUndefined();
    expect((await browser.get(`/${lang}/staff`)).statusCode).toBe(200);

    // The pending state is gone: the same cookie cannot sign in a second time.
    const again = await t.app.inject({
      method: 'GET',
      url: `/${lang}/staff/sign-in/code`,
      headers: { host: a.host, cookie: `guichet-mfa=${pendingToken}` },
    });
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(`/${lang}/staff/sign-in?expired=1`);

    // The same code, in a new sign-in within its 30 seconds: refused as a replay.
    const other = new InjectBrowser(t.app, a.host);
    await passwordStep(other, admin.email, lang);
    await other.get(`/${lang}/staff/sign-in/code`);
    const replay = await other.post(`/${lang}/staff/sign-in/code`, { code });
    expect(replay.statusCode).toBe(401);
    expect(replay.body).toContain(replayed);
    expect(other.cookie('guichet-session')).toBeUndefined();

    const events = (await audit(a.tenant.id, admin.id)).filter((e) => e.action !== 'staff.created');
    expect(events.map((e) => [e.action, e.reason ?? e.method])).toEqual([
      ['staff.mfaEnrolled', undefined],
      ['staff.mfaFailed', 'wrongCode'],
      ['staff.signIn', 'password+totp'],
      ['staff.mfaFailed', 'replayedCode'],
    ]);
  });

  it('locks the code step after five wrong codes, then lets the person in once the wait is over', async () => {
    const manager = await person('manager');
    const { secret } = await enrolTotp(t.app, a.tenant.id, manager.id);
    const browser = new InjectBrowser(t.app, a.host);
    await passwordStep(browser, manager.email, 'en');
    await browser.get('/en/staff/sign-in/code');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await browser.post('/en/staff/sign-in/code', { code: '000000' })).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    expect(browser.last!.body).toContain('Too many wrong codes.');
    expect(browser.last!.body).toContain('wait 15 minutes');
    // Locked: even the right code is refused, and the code page says so.
    const locked = await browser.post('/en/staff/sign-in/code', { code: codeAt(secret) }, '/en/staff/sign-in');
    expect(locked.statusCode).toBe(429);
    const fr = await browser.get('/fr/staff/sign-in/code');
    expect(fr.statusCode).toBe(429);
    expect(fr.body).toContain('Trop de codes erronés.');
    expect(browser.cookie('guichet-session')).toBeUndefined();
    // A new password step does not lift the lock.
    const again = new InjectBrowser(t.app, a.host);
    await passwordStep(again, manager.email, 'en');
    await again.get('/en/staff/sign-in/recovery');
    expect(again.last!.statusCode).toBe(429);

    // 15 minutes later (moved back in the database): the right code works.
    await t.db.withTenant(a.tenant.id, (trx) =>
      trx.updateTable('staff_mfa').set({ locked_until: sql<Date>`now() - interval '1 second'` }).where('staff_id', '=', manager.id).execute(),
    );
    await again.get('/en/staff/sign-in/code');
    const ok = await again.post('/en/staff/sign-in/code', { code: codeAt(secret) });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/en/staff');
    const failures = (await audit(a.tenant.id, manager.id)).filter((e) => e.action === 'staff.mfaFailed');
    expect(failures.map((e) => e.locked)).toEqual([false, false, false, false, true, true]);
  });

  it('sends the code step back to the sign-in page once it has run out of time', async () => {
    const manager = await person('manager');
    await enrolTotp(t.app, a.tenant.id, manager.id);
    for (const [lang, text] of [['fr', 'Votre connexion a pris trop de temps'], ['en', 'Your sign-in took too long']] as const) {
      const browser = new InjectBrowser(t.app, a.host);
      await passwordStep(browser, manager.email, lang);
      await t.db.withTenant(a.tenant.id, (trx) =>
        trx.updateTable('staff_mfa_pending').set({ expires_at: sql<Date>`now() - interval '1 second'` }).where('staff_id', '=', manager.id).execute(),
      );
      const page = await browser.get(`/${lang}/staff/sign-in/code`);
      expect(page.headers.location).toBe(`/${lang}/staff/sign-in?expired=1`);
      expect((await browser.get(page.headers.location as string)).body).toContain(text);
      // Posting a right code with the dead state does not start a session either.
      const posted = await browser.post(`/${lang}/staff/sign-in/code`, { code: codeAt(await secretOf(manager.id)) });
      expect(posted.statusCode).toBe(303);
      expect(browser.cookie('guichet-session')).toBeUndefined();
    }
  });

  it('accepts each recovery code once', async () => {
    const agent = await person('agent');
    const { recoveryCodes } = await enrolTotp(t.app, a.tenant.id, agent.id);
    const browser = new InjectBrowser(t.app, a.host);
    await passwordStep(browser, agent.email, 'en');
    const page = await browser.get('/en/staff/sign-in/recovery');
    expect(page.body).toContain('<h1>Sign in with a recovery code</h1>');
    const code = recoveryCodes[3]!;
    const ok = await browser.post('/en/staff/sign-in/recovery', { recoveryCode: ` ${code.toLowerCase().replace(/-/g, ' ')} ` });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/en/staff/mfa?recoveryUsed=1');
    const manage = await browser.get('/en/staff/mfa?recoveryUsed=1');
    expect(manage.body).toContain('Unused codes left: 9.');

    const fr = new InjectBrowser(t.app, a.host);
    await passwordStep(fr, agent.email, 'fr');
    await fr.get('/fr/staff/sign-in/recovery');
    const reused = await fr.post('/fr/staff/sign-in/recovery', { recoveryCode: code });
    expect(reused.statusCode).toBe(401);
    expect(reused.body).toContain('Ce code de récupération est incorrect ou a déjà été utilisé.');
    const malformed = await fr.post('/fr/staff/sign-in/recovery', { recoveryCode: '' });
    expect(malformed.statusCode).toBe(422);
    expect(fr.cookie('guichet-session')).toBeUndefined();
    const events = (await audit(a.tenant.id, agent.id)).map((e) => e.action);
    expect(events).toContain('staff.mfaRecoveryUsed');
  });
});

describe('managing two-step verification', () => {
  it('lets any staff member set it up from the staff area, and make new recovery codes with the password', async () => {
    const agent = await person('agent', a, 'en');
    const browser = new InjectBrowser(t.app, a.host);
    const res = await passwordStep(browser, agent.email, 'en');
    expect(res.headers.location).toBe('/en/staff'); // not required for agents
    const dashboard = await browser.get('/en/staff');
    expect(dashboard.body).toContain('href="/en/staff/mfa"');
    const off = await browser.get('/en/staff/mfa');
    expect(off.body).toContain('>Off</strong>');
    expect(off.body).toContain('href="/en/staff/mfa/setup"');
    const fr = await browser.get('/fr/staff/mfa');
    expect(fr.body).toContain('>Désactivée</strong>');

    const setup = await browser.get('/en/staff/mfa/setup');
    expect(setup.body).not.toContain('Administrators must use');
    const key = /<code id="totp-key">([A-Z2-7 ]+)<\/code>/.exec(setup.body)![1]!.replace(/ /g, '');
    const done = await browser.post('/en/staff/mfa/setup', { code: codeAt(key) });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('href="/en/staff/mfa"');
    const oldCodes = [...done.body.matchAll(/<code>([A-Z0-9-]{19})<\/code>/g)].map((m) => m[1]!);
    expect(oldCodes).toHaveLength(10);
    const on = await browser.get('/en/staff/mfa');
    expect(on.body).toContain('>On</strong>');
    expect(on.body).toContain('<dd>10</dd>');
    // Setting up again while it is on just leads back to the page.
    expect((await browser.get('/en/staff/mfa/setup')).headers.location).toBe('/en/staff/mfa');

    // New recovery codes: the password first.
    await browser.get('/en/staff/mfa/recovery-codes');
    const wrong = await browser.post('/en/staff/mfa/recovery-codes', { password: 'not my password at all' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('The password is incorrect.');
    const renewed = await browser.post('/en/staff/mfa/recovery-codes', { password: PASSWORD });
    expect(renewed.statusCode).toBe(200);
    const newCodes = [...renewed.body.matchAll(/<code>([A-Z0-9-]{19})<\/code>/g)].map((m) => m[1]!);
    expect(newCodes).toHaveLength(10);
    expect(newCodes.some((c) => oldCodes.includes(c))).toBe(false);

    // An old code no longer works; a new one does.
    const next = new InjectBrowser(t.app, a.host);
    await passwordStep(next, agent.email, 'en');
    await next.get('/en/staff/sign-in/recovery');
    expect((await next.post('/en/staff/sign-in/recovery', { recoveryCode: oldCodes[0]! })).statusCode).toBe(401);
    expect((await next.post('/en/staff/sign-in/recovery', { recoveryCode: newCodes[0]! })).statusCode).toBe(303);
    const actions = (await audit(a.tenant.id, agent.id)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['staff.mfaEnrolled', 'staff.mfaRecoveryCodesRenewed', 'staff.mfaFailed']));
  });

  it('turns it off only with the password; a manager then signs in with the password alone', async () => {
    const manager = await person('manager');
    await enrolTotp(t.app, a.tenant.id, manager.id);
    const browser = new InjectBrowser(t.app, a.host);
    await passwordStep(browser, manager.email);
    await browser.get('/fr/staff/sign-in/code');
    await browser.post('/fr/staff/sign-in/code', { code: codeAt(await secretOf(manager.id)) });
    const page = await browser.get('/fr/staff/mfa/disable');
    expect(page.body).toContain('<h1>Désactiver la vérification en deux étapes</h1>');
    expect((await browser.post('/fr/staff/mfa/disable', { password: '' })).statusCode).toBe(422);
    const wrong = await browser.post('/fr/staff/mfa/disable', { password: 'mauvais mot de passe' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('Le mot de passe est incorrect.');
    const ok = await browser.post('/fr/staff/mfa/disable', { password: PASSWORD });
    expect(ok.headers.location).toBe('/fr/staff/mfa?off=1');
    expect((await browser.get('/fr/staff/mfa?off=1')).body).toContain('La vérification en deux étapes est désactivée.');
    const rows = await t.db.withTenant(a.tenant.id, (trx) => trx.selectFrom('staff_recovery_codes').select('code_hash').where('staff_id', '=', manager.id).execute());
    expect(rows).toEqual([]);
    const again = await passwordStep(new InjectBrowser(t.app, a.host), manager.email);
    expect(again.headers.location).toBe('/fr/staff');
    const actions = (await audit(a.tenant.id, manager.id)).map((e) => [e.action, e.reason]);
    expect(actions).toEqual(expect.arrayContaining([['staff.mfaFailed', 'wrongPassword'], ['staff.mfaDisabled', undefined]]));
  });

  it('signs an administrator out when they turn it off, and the next sign-in sets it up again', async () => {
    const admin = await person('admin', a, 'en');
    await enrolTotp(t.app, a.tenant.id, admin.id);
    const browser = new InjectBrowser(t.app, a.host);
    await passwordStep(browser, admin.email, 'en');
    await browser.get('/en/staff/sign-in/code');
    await browser.post('/en/staff/sign-in/code', { code: codeAt(await secretOf(admin.id)) });
    const page = await browser.get('/en/staff/mfa/disable');
    expect(page.body).toContain('Administrators must use two-step verification.');
    const off = await browser.post('/en/staff/mfa/disable', { password: PASSWORD });
    expect(off.headers.location).toBe('/en/staff/sign-in?mfaOff=1');
    expect(browser.cookie('guichet-session')).toBeUndefined();
    expect((await browser.get('/en/staff/sign-in?mfaOff=1')).body).toContain('Two-step verification is off.');
    const next = await passwordStep(browser, admin.email, 'en');
    expect(next.headers.location).toBe('/en/staff/mfa/setup');
  });

  it('is refused at the management pages to visitors who are not signed in', async () => {
    for (const url of ['/fr/staff/mfa', '/en/staff/mfa/disable', '/en/staff/mfa/recovery-codes', '/fr/staff/mfa/setup']) {
      const res = await t.app.inject({ url, headers: { host: a.host } });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toMatch(/\/staff\/sign-in\?next=/);
    }
  });
});
