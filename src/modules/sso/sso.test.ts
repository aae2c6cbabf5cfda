/**
 * Single sign-on against a real OpenID provider (oidc-provider on 127.0.0.1): the full code flow
 * through the app, role mapping from the groups claim, account creation and linking, and the
 * refusals (unknown group, unverified email, wrong or replayed state, tampered ID token, provider
 * error, disabled account). Both languages, both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestTown, type TestApp, type TestTown } from '../../../test/harness.ts';
import { createStaff, findStaffByEmail, setStaffDisabled } from '../staff/service.ts';
import { secretBox } from '../staff/secret-box.ts';
import { InjectBrowser } from '../staff/testing.ts';
import { configureSso, roleFromClaims, SsoInputError, type SsoEnvironment, type SsoInput } from './service.ts';
import { startTestProvider, type TestProvider } from './testing.ts';

let t: TestApp;
let a: TestTown; // single sign-on, password sign-in still allowed
let c: TestTown; // single sign-on only
let plain: TestTown; // no single sign-on
let idp: TestProvider;
let env: SsoEnvironment;

const accounts = {
  alice: { email: 'alice@amos.example', email_verified: true, name: 'Alice Gagnon', groups: ['staff', 'guichet-admins'] },
  bob: { email: 'bob@amos.example', email_verified: true, name: 'Bob Tremblay', groups: ['guichet-agents'] },
  carl: { email: 'carl@amos.example', email_verified: true, name: 'Carl Roy', groups: ['cafeteria'] },
  dora: { email: 'dora@gmail.example', email_verified: false, name: 'Dora Côté', groups: ['guichet-agents'] },
  erin: { email: 'erin@amos.example', email_verified: true, name: 'Erin Pelletier', groups: ['guichet-agents'] },
  gus: { email: 'gus@amos.example', email_verified: true, name: 'Gus Bouchard', groups: ['guichet-managers'] },
  hugo: { email: 'hugo@amos.example', email_verified: true, name: 'Hugo Lévesque', groups: ['guichet-managers'] },
};

const ROLE_MAP = { admin: ['guichet-admins'], manager: ['guichet-managers'], agent: ['guichet-agents'] };

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_SENSITIVE_PER_MINUTE: '1000' });
  a = await createTestTown(t.db, 'Amos');
  c = await createTestTown(t.db, 'Chibougamau');
  plain = await createTestTown(t.db, 'Dolbeau');
  idp = await startTestProvider({ accounts, redirectUris: [a, c].map((town) => `http://${town.host}/staff/sso/callback`) });
  env = { box: secretBox(t.config.sessionSecret), allowHttp: true };
  const base = { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, scopes: 'openid email profile groups', roleClaim: 'groups', roleMap: ROLE_MAP };
  await configureSso(t.db, env, a.tenant.id, { ...base, label: 'Microsoft Entra ID' });
  await configureSso(t.db, env, c.tenant.id, { ...base, label: 'Keycloak', passwordSignIn: false, allowedDomains: ['amos.example'] });
});
afterAll(async () => {
  await idp?.close();
  await t?.close();
});

/** Starts at the app, signs in at the provider, and returns the browser and the app's answer to the callback. */
async function ssoSignIn(town: TestTown, accountId: string, opts: { lang?: 'fr' | 'en'; next?: string; alter?: (callback: URL) => void; browser?: InjectBrowser } = {}) {
  const lang = opts.lang ?? 'fr';
  const browser = opts.browser ?? new InjectBrowser(t.app, town.host);
  const start = await browser.get(`/${lang}/staff/sso/start${opts.next ? `?next=${encodeURIComponent(opts.next)}` : ''}`);
  expect(start.statusCode).toBe(303);
  const authorizationUrl = start.headers.location as string;
  const callback = new URL(await idp.authorize(authorizationUrl, accountId));
  expect(`${callback.origin}${callback.pathname}`).toBe(`http://${town.host}/staff/sso/callback`);
  opts.alter?.(callback);
  const res = await browser.get(`${callback.pathname}${callback.search}`);
  return { browser, res, authorizationUrl, callback };
}

async function events(town: TestTown, action: string) {
  const rows = await t.db.withTenant(town.tenant.id, (trx) =>
    trx.selectFrom('audit_events').select(['details', 'subject_id', 'actor_id']).where('tenant_id', '=', town.tenant.id).where('action', '=', action).orderBy('id').execute(),
  );
  return rows.map((r) => ({ ...r.details, subject: r.subject_id, actor: r.actor_id }));
}

describe('the staff sign-in page', () => {
  it.each([
    ['fr', 'Se connecter avec Microsoft Entra ID', 'Ou avec votre adresse courriel et votre mot de passe'],
    ['en', 'Sign in with Microsoft Entra ID', 'Or with your email and password'],
  ])('offers the town’s provider in %s, and keeps the password form when allowed', async (lang, button, heading) => {
    const res = await t.app.inject({ url: `/${lang}/staff/sign-in?next=${encodeURIComponent(`/${lang}/staff/mail`)}`, headers: { host: a.host } });
    expect(res.body).toContain(`href="/${lang}/staff/sso/start?next=${encodeURIComponent(`/${lang}/staff/mail`)}"`);
    expect(res.body).toContain(button);
    expect(res.body).toContain(heading);
    expect(res.body).toContain('name="password"');
  });

  it('shows only the provider where password sign-in is turned off, and refuses a password posted anyway', async () => {
    const page = await t.app.inject({ url: '/en/staff/sign-in', headers: { host: c.host } });
    expect(page.body).toContain('Sign in with Keycloak');
    expect(page.body).not.toContain('name="password"');
    await createStaff(t.db, c.tenant.id, { email: `pw@${c.host}`, name: 'Pat', role: 'agent', password: 'a long enough password' });
    const browser = new InjectBrowser(t.app, c.host);
    // The page has no form to take a CSRF token from: take one from the contact page.
    const res = await browser.post('/en/staff/sign-in', { email: `pw@${c.host}`, password: 'a long enough password' }, '/en/contact');
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Staff of this town sign in through Keycloak.');
    expect(browser.cookie('guichet-session')).toBeUndefined();
  });

  it('has no provider button where the town has none, and no start address either', async () => {
    const page = await t.app.inject({ url: '/fr/staff/sign-in', headers: { host: plain.host } });
    expect(page.body).not.toContain('/staff/sso/start');
    const start = await t.app.inject({ url: '/fr/staff/sso/start', headers: { host: plain.host } });
    expect(start.statusCode).toBe(404);
  });
});

describe('signing in through the town’s provider', () => {
  it('runs the code flow with PKCE, state and nonce, creates the administrator from the groups claim, and opens a session', async () => {
    const { browser, res, authorizationUrl } = await ssoSignIn(a, 'alice', { next: '/fr/staff/mail' });
    const auth = new URL(authorizationUrl);
    expect(auth.origin).toBe(idp.issuer);
    const q = auth.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe(idp.clientId);
    expect(q.get('redirect_uri')).toBe(`http://${a.host}/staff/sso/callback`);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('state')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(q.get('nonce')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(q.get('scope')).toBe('openid email profile groups');
    expect(q.get('ui_locales')).toBe('fr-CA fr');

    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/fr/staff/mail');
    expect(browser.cookie('guichet-session')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(browser.cookie('guichet-sso')).toBeUndefined();
    // An administrator who came through the provider is not asked for the app's code here.
    const staff = await browser.get('/fr/staff');
    expect(staff.statusCode).toBe(200);
    expect(staff.body).toContain('Session ouverte : Alice Gagnon (Administration).');

    const account = await findStaffByEmail(t.db, a.tenant.id, 'alice@amos.example');
    expect(account).toMatchObject({ role: 'admin', locale: 'fr', disabled: false });
    const row = await t.db.withTenant(a.tenant.id, (trx) => trx.selectFrom('staff_users').select('password_hash').where('id', '=', account!.id).executeTakeFirstOrThrow());
    expect(row.password_hash).toBeNull();
    expect((await events(a, 'sso.signIn')).at(-1)).toMatchObject({ role: 'admin', created: true, issuer: idp.issuer, actor: account!.id });
    expect((await events(a, 'staff.signIn')).at(-1)).toMatchObject({ method: 'sso', actor: account!.id });

    // The same person again: the same account, found by its link.
    const again = await ssoSignIn(a, 'alice');
    expect(again.res.headers.location).toBe('/fr/staff');
    expect((await events(a, 'sso.signIn')).at(-1)).toMatchObject({ created: false });
    const count = await t.db.withTenant(a.tenant.id, (trx) => trx.selectFrom('staff_users').select('id').where('email', '=', 'alice@amos.example').execute());
    expect(count).toHaveLength(1);
    // A password sign-in for this account is refused: it has no password.
    const pw = await new InjectBrowser(t.app, a.host).post('/fr/staff/sign-in', { email: 'alice@amos.example', password: 'any password at all' }, '/fr/staff/sign-in');
    expect(pw.statusCode).toBe(401);
  });

  it('maps the agents’ group to the agent role, in English', async () => {
    const { browser, res } = await ssoSignIn(a, 'bob', { lang: 'en' });
    expect(res.headers.location).toBe('/en/staff');
    const page = await browser.get('/en/staff');
    expect(page.body).toContain('Signed in as Bob Tremblay (Agent).');
    expect(await findStaffByEmail(t.db, a.tenant.id, 'bob@amos.example')).toMatchObject({ role: 'agent', locale: 'en' });
  });

  it('links an existing password account by its email and sets its role from the claim', async () => {
    const existing = await createStaff(t.db, a.tenant.id, { email: 'Erin@amos.example', name: 'Erin P.', role: 'manager', password: 'erin’s own password' });
    const { res } = await ssoSignIn(a, 'erin');
    expect(res.statusCode).toBe(303);
    expect(await findStaffByEmail(t.db, a.tenant.id, 'erin@amos.example')).toMatchObject({ id: existing.id, role: 'agent' });
    expect((await events(a, 'sso.signIn')).at(-1)).toMatchObject({ role: 'agent', previousRole: 'manager', created: false });
  });

  it('accepts an address of the town’s domains at a town that lists them', async () => {
    const { browser, res } = await ssoSignIn(c, 'gus', { lang: 'en' });
    expect(res.headers.location).toBe('/en/staff');
    expect((await browser.get('/en/staff')).body).toContain('Gus Bouchard (Manager)');
  });
});

describe('refusals', () => {
  it.each([
    ['fr', 'Connexion refusée', 'ne fait partie d’aucun groupe autorisé'],
    ['en', 'Sign-in refused', 'is not in any group allowed to use Guichet'],
  ] as const)('refuses a person whose groups map to no role, with a clear page in %s', async (lang, title, text) => {
    const { browser, res } = await ssoSignIn(a, 'carl', { lang });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain(`<h1>${title}</h1>`);
    expect(res.body).toContain(text);
    expect(res.body).toContain('Microsoft Entra ID');
    expect(res.body).toContain(`href="/${lang}/staff/sign-in"`);
    expect(browser.cookie('guichet-session')).toBeUndefined();
    expect(await findStaffByEmail(t.db, a.tenant.id, 'carl@amos.example')).toBeUndefined();
    expect((await events(a, 'sso.refused')).at(-1)).toMatchObject({ reason: 'role', claim: 'groups', values: ['cafeteria'], subject: null });
  });

  it('refuses an email the provider has not verified (no town domains set), and one outside the town’s domains', async () => {
    const unverified = await ssoSignIn(a, 'dora', { lang: 'en' });
    expect(unverified.res.statusCode).toBe(403);
    expect(unverified.res.body).toContain('did not give a verified email address');
    expect((await events(a, 'sso.refused')).at(-1)).toMatchObject({ reason: 'email', emailVerified: false });
    const outside = await ssoSignIn(c, 'dora');
    expect(outside.res.statusCode).toBe(403);
    expect(await findStaffByEmail(t.db, c.tenant.id, 'dora@gmail.example')).toBeUndefined();
  });

  it('refuses a callback whose state is not the one this browser was given', async () => {
    const { browser, res } = await ssoSignIn(a, 'bob', { alter: (cb) => cb.searchParams.set('state', 'x'.repeat(43)) });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Cette connexion n’a pas pu être vérifiée');
    expect(browser.cookie('guichet-session')).toBeUndefined();
    expect((await events(a, 'sso.refused')).at(-1)).toMatchObject({ reason: 'state', cause: 'mismatch' });
  });

  it('refuses a callback opened in another browser (login CSRF), and the same callback twice', async () => {
    const first = new InjectBrowser(t.app, a.host);
    const start = await first.get('/en/staff/sso/start');
    const callback = new URL(await idp.authorize(start.headers.location as string, 'bob'));
    // Another browser (an attacker's page sending the victim there) has no state cookie.
    const other = new InjectBrowser(t.app, a.host);
    const res = await other.get(`${callback.pathname}${callback.search}`);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('This sign-in could not be verified');
    expect(other.cookie('guichet-session')).toBeUndefined();
    // The browser that started it can finish it, once.
    const ok = await first.get(`${callback.pathname}${callback.search}`);
    expect(ok.statusCode).toBe(303);
    first.jar.set('guichet-sso', callback.searchParams.get('state')!);
    first.jar.delete('guichet-session');
    const replay = await first.get(`${callback.pathname}${callback.search}`);
    expect(replay.statusCode).toBe(400);
    expect(first.cookie('guichet-session')).toBeUndefined();
  });

  it('refuses a tampered ID token', async () => {
    idp.tamper = true;
    try {
      const { browser, res } = await ssoSignIn(a, 'bob', { lang: 'en' });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('could not be verified, so it was refused');
      expect(browser.cookie('guichet-session')).toBeUndefined();
      expect((await events(a, 'sso.refused')).at(-1)).toMatchObject({ reason: 'token' });
    } finally {
      idp.tamper = false;
    }
  });

  it('refuses when the provider answers with an error (the person cancelled)', async () => {
    const { res } = await ssoSignIn(a, 'bob', {
      alter: (cb) => {
        cb.searchParams.delete('code');
        cb.searchParams.set('error', 'access_denied');
      },
    });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('a été annulée ou n’a pas pu être terminée');
    expect((await events(a, 'sso.refused')).at(-1)).toMatchObject({ reason: 'provider', error: 'access_denied' });
  });

  it('refuses a disabled account', async () => {
    await ssoSignIn(a, 'hugo');
    const hugo = await findStaffByEmail(t.db, a.tenant.id, 'hugo@amos.example');
    await setStaffDisabled(t.db, a.tenant.id, hugo!.id, true);
    const { res } = await ssoSignIn(a, 'hugo', { lang: 'en' });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Your Guichet account is disabled.');
    expect((await events(a, 'sso.refused')).at(-1)).toMatchObject({ reason: 'disabled', subject: hugo!.id });
  });

  it('does not sign a town’s provider in at another town', async () => {
    const browser = new InjectBrowser(t.app, a.host);
    const start = await browser.get('/fr/staff/sso/start');
    const callback = new URL(await idp.authorize(start.headers.location as string, 'bob'));
    // Same cookies, same callback, but at town C: its state table has no such sign-in.
    const atC = await t.app.inject({ url: `${callback.pathname}${callback.search}`, headers: { host: c.host, cookie: browser.cookieHeader() } });
    expect(atC.statusCode).toBe(400);
  });
});

describe('a provider that does not answer', () => {
  it('shows a refusal page (502) at the start, and keeps nothing', async () => {
    const down = await createTestTown(t.db, 'Ferme-Neuve');
    await configureSso(t.db, env, down.tenant.id, { issuer: 'http://127.0.0.1:9', clientId: 'x', clientSecret: 'y', roleClaim: 'groups', roleMap: ROLE_MAP, label: 'Okta' });
    const res = await t.app.inject({ url: '/en/staff/sso/start', headers: { host: down.host } });
    expect(res.statusCode).toBe(502);
    expect(res.body).toContain('was cancelled or could not be completed');
    expect(res.cookies.find((c) => c.name === 'guichet-sso')).toBeUndefined();
    const rows = await t.db.withTenant(down.tenant.id, (trx) => trx.selectFrom('sso_auth_requests').select('state_hash').execute());
    expect(rows).toEqual([]);
  });
});

describe('configuration', () => {
  it('keeps the client secret sealed', async () => {
    const row = await t.db.withTenant(a.tenant.id, (trx) => trx.selectFrom('sso_configs').selectAll().executeTakeFirstOrThrow());
    expect(row.client_secret_sealed).toMatch(/^v1\./);
    expect(row.client_secret_sealed).not.toContain(idp.clientSecret);
    expect(row.role_map).toEqual(ROLE_MAP);
  });

  it('refuses what cannot work, naming the setting', async () => {
    const base: SsoInput = { issuer: idp.issuer, clientId: 'x', clientSecret: 'y', roleClaim: 'groups', roleMap: ROLE_MAP };
    const bad: Array<[Partial<SsoInput>, string]> = [
      [{ issuer: 'not a url' }, 'issuer'],
      [{ clientId: ' ' }, 'client-id'],
      [{ roleClaim: 'has spaces' }, 'role-claim'],
      [{ roleMap: {} }, 'map'],
      [{ roleMap: { boss: ['x'] } as never }, 'map'],
      [{ allowedDomains: ['not a domain'] }, 'allowed-domain'],
    ];
    for (const [change, field] of bad) {
      await expect(configureSso(t.db, env, plain.tenant.id, { ...base, ...change })).rejects.toMatchObject({ field });
    }
    // In production, a plain http issuer is refused.
    await expect(configureSso(t.db, { ...env, allowHttp: false }, plain.tenant.id, base)).rejects.toBeInstanceOf(SsoInputError);
  });

  it('takes the highest role the claim values give, and reads nested claims', () => {
    expect(roleFromClaims({ groups: ['guichet-agents', 'guichet-admins'] }, 'groups', ROLE_MAP)).toBe('admin');
    expect(roleFromClaims({ groups: 'guichet-managers' }, 'groups', ROLE_MAP)).toBe('manager');
    expect(roleFromClaims({ realm_access: { roles: ['guichet-agents'] } }, 'realm_access.roles', ROLE_MAP)).toBe('agent');
    expect(roleFromClaims({ groups: ['other'] }, 'groups', ROLE_MAP)).toBeNull();
    expect(roleFromClaims({}, 'groups', ROLE_MAP)).toBeNull();
  });
});
