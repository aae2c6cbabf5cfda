/**
 * Residents sign in (or up) with a one-time code sent by email: the whole journey through the real
 * app, the email read from a real SMTP server, in both languages, on both engines. Wrong, expired,
 * reused and worn-out codes; the same answer for every address; throttling; tampered cookies; towns.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { ParsedMail } from 'mailparser';
import { createTestApp, createTestTown, type TestApp, type TestTown } from '../../../test/harness.ts';
import { createTestSmtp, type TestSmtp } from '../../../test/smtp.ts';
import { forgetSessions } from '../../platform/auth/session-cache.ts';
import { startJobs, type Jobs } from '../../platform/jobs.ts';
import { browser, latestMail, signInResident, submit, visit, type Browser } from './testing.ts';

let t: TestApp;
let a: TestTown;
let b: TestTown;
let smtp: TestSmtp;
let jobs: Jobs;

beforeAll(async () => {
  smtp = await createTestSmtp();
  await smtp.start();
  t = await createTestApp({ SMTP_URL: smtp.url, RATE_LIMIT_SENSITIVE_PER_MINUTE: '8' });
  a = await createTestTown(t.db, 'Amqui');
  b = await createTestTown(t.db, 'Baie-Comeau');
  jobs = await startJobs({
    config: t.config,
    db: t.db,
    logger: t.app.log,
    options: { schema: `pgboss_${crypto.randomBytes(4).toString('hex')}`, work: false, sweepIntervalSeconds: 0 },
  });
});
afterAll(async () => {
  await jobs?.stop();
  await t?.close();
  await smtp?.stop();
});

type Lang = 'fr' | 'en';
let counter = 0;
const uniqueEmail = (label: string) => `${label}.${++counter}.${crypto.randomBytes(3).toString('hex')}@example.ca`;

/**
 * Delivers what the outbox holds and returns the email the SMTP server received for `to` among the
 * ones after the first `since` (a batch is sent in parallel, so arrival order is not creation order).
 */
async function mailTo(to: string, since = 0): Promise<ParsedMail> {
  await jobs.drain();
  const found = smtp.received.slice(since).filter((m) => JSON.stringify(m.to).toLowerCase().includes(to.toLowerCase()));
  if (found.length > 1) throw new Error(`${found.length} emails to ${to}`);
  const mail = found[0];
  if (!mail) throw new Error(`no email to ${to}`);
  return mail;
}
const codeIn = (mail: ParsedMail) => /^(\d{6})$/m.exec(mail.text ?? '')?.[1];

async function askCode(br: Browser, email: string, lang: Lang = 'fr') {
  return submit(t.app, br, `/${lang}/account/sign-in`, { email });
}
async function enterCode(br: Browser, code: string, lang: Lang = 'fr') {
  return submit(t.app, br, `/${lang}/account/code`, { code });
}
async function audit(town: TestTown) {
  return t.db.withTenant(town.tenant.id, (trx) =>
    trx.selectFrom('audit_events').select(['action', 'actor_kind', 'actor_id', 'details']).orderBy('id').execute(),
  );
}
/** A page with what changes per request or per address taken out. */
const normalize = (body: string, ...values: string[]) => {
  let out = body.replace(/(nonce|value)="[^"]*"/g, '$1=""');
  for (const v of values) out = out.split(v).join('EMAIL');
  return out;
};

describe('the sign-in page', () => {
  it.each([
    ['fr', 'Accéder à mon dossier', 'Adresse courriel', 'M’envoyer un code'],
    ['en', 'Sign in to my file', 'Email address', 'Send me a code'],
  ] as const)('asks for an email address in %s', async (lang, title, label, submitText) => {
    const res = await t.app.inject({ url: `/${lang}/account/sign-in`, headers: { host: a.host } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`<h1>${title}</h1>`);
    expect(res.body).toContain(label);
    expect(res.body).toContain(submitText);
    expect(res.body).toContain('autocomplete="email"');
    expect(res.body).toContain('name="_csrf"');
  });

  it('sends a visitor who is not signed in to the sign-in page, and back afterwards', async () => {
    const br = browser(a.host);
    const res = await visit(t.app, br, '/en/account/household');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/en/account/sign-in?next=${encodeURIComponent('/en/account/household')}`);
    const page = await visit(t.app, br, res.headers.location as string);
    expect(page.body).toContain('Sign in to see this page.');
    const asked = await submit(t.app, br, res.headers.location as string, { email: uniqueEmail('back'), next: '/en/account/household' }, '/en/account/sign-in');
    expect(asked.headers.location).toBe(`/en/account/code?next=${encodeURIComponent('/en/account/household')}`);
  });
});

describe('signing in with a code', () => {
  it.each(['fr', 'en'] as const)('makes the account at the first right code, in %s, with the email from the SMTP server', async (lang) => {
    const email = uniqueEmail(`new-${lang}`);
    const br = browser(a.host);
    const since = smtp.received.length;
    const asked = await askCode(br, email, lang);
    expect(asked.statusCode).toBe(303);
    expect(asked.headers.location).toBe(`/${lang}/account/code`);
    expect(br.cookies.has('guichet-code')).toBe(true);

    const mail = await mailTo(email, since);
    expect(mail.subject).toBe(lang === 'fr' ? 'Votre code de connexion – Ville de Amqui' : 'Your sign-in code – Town of Amqui');
    expect(mail.headers.get('content-language')).toBe(lang === 'fr' ? 'fr-CA' : 'en-CA');
    expect(mail.text).toContain(lang === 'fr' ? 'valide pendant 10 minutes' : 'works for 10 minutes');
    const code = codeIn(mail)!;
    expect(code).toMatch(/^\d{6}$/);
    // The link in the email points to this town's own host.
    expect(mail.text).toMatch(new RegExp(`http://${a.host.replace(/\./g, '\\.')}(:\\d+)?/${lang}/account/link\\?token=[A-Za-z0-9_-]{43}`));

    // The code is stored as an HMAC only.
    const stored = await t.db.withTenant(a.tenant.id, (trx) => trx.selectFrom('resident_codes').selectAll().where('email', '=', email).executeTakeFirstOrThrow());
    expect(stored.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(code);

    const page = await visit(t.app, br, `/${lang}/account/code`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(email);
    expect(page.body).toContain('autocomplete="one-time-code"');
    const done = await enterCode(br, `${code.slice(0, 3)} ${code.slice(3)}`, lang);
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/${lang}/account?welcome=1`);
    expect(br.cookies.has('guichet-code')).toBe(false);
    const cookie = done.headers['set-cookie'];
    const session = (Array.isArray(cookie) ? cookie : [String(cookie)]).find((c) => c.startsWith('guichet-session='))!;
    expect(session).toContain('HttpOnly');
    expect(session).toContain('SameSite=Lax');

    const file = await visit(t.app, br, `/${lang}/account?welcome=1`);
    expect(file.statusCode).toBe(200);
    expect(file.body).toContain(lang === 'fr' ? '<h1>Mon dossier</h1>' : '<h1>My file</h1>');
    expect(file.body).toContain(lang === 'fr' ? 'Bienvenue! Votre compte est prêt.' : 'Welcome! Your account is ready.');

    const resident = await t.db.withTenant(a.tenant.id, (trx) => trx.selectFrom('residents').selectAll().where('email', '=', email).executeTakeFirstOrThrow());
    expect(resident.locale).toBe(lang);
    const sessions = await t.db.withTenant(a.tenant.id, (trx) => trx.selectFrom('sessions').selectAll().where('resident_id', '=', resident.id).execute());
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.staff_id).toBeNull();
    const events = (await audit(a)).filter((e) => e.actor_id === resident.id || e.action === 'resident.codeRequested');
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['resident.codeRequested', 'resident.created', 'resident.signIn']));
  });

  it('signs an existing resident back into the same account, whatever the capitals', async () => {
    const email = uniqueEmail('again');
    await signInResident(t.app, t.db, a, email);
    const again = await signInResident(t.app, t.db, a, email.toUpperCase(), 'en');
    const file = await visit(t.app, again, '/en/account');
    expect(file.statusCode).toBe(200);
    expect(file.body).not.toContain('Welcome! Your account is ready.');
    const rows = await t.db.withTenant(a.tenant.id, (trx) => trx.selectFrom('residents').select('id').where(sql<string>`lower(email)`, '=', email).execute());
    expect(rows).toHaveLength(1);
  });

  it('signs in with the link from the email, in another browser, once', async () => {
    const email = uniqueEmail('link');
    await askCode(browser(a.host), email, 'en');
    const link = new URL((await latestMail(t.db, a.tenant.id, email)).link!);
    const other = browser(a.host);
    const page = await visit(t.app, other, `${link.pathname}${link.search}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('You opened the sign-in link from your email.');
    const token = link.searchParams.get('token')!;
    const res = await submit(t.app, other, `${link.pathname}${link.search}`, { token }, '/en/account/link');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/en/account?welcome=1');
    expect((await visit(t.app, other, '/en/account')).statusCode).toBe(200);
    // Used once: the same link, or its code, no longer works.
    const reused = await submit(t.app, browser(a.host), `${link.pathname}${link.search}`, { token }, '/en/account/link');
    expect(reused.statusCode).toBe(401);
    expect(reused.body).toContain('This sign-in link no longer works');
    const forged = await visit(t.app, browser(a.host), '/fr/account/link?token=nope');
    expect(forged.statusCode).toBe(404);
    expect(forged.body).toContain('Ce lien de connexion ne fonctionne plus');
  });

  it('issues a new session token at each sign-in and ends the one the browser held', async () => {
    const email = uniqueEmail('rotate');
    const br = await signInResident(t.app, t.db, a, email);
    const first = br.cookies.get('guichet-session')!;
    // Signed in, the sign-in page sends the resident to their file; a form posted anyway signs in anew.
    expect((await visit(t.app, br, '/fr/account/sign-in')).headers.location).toBe('/fr/account');
    const csrf = () => visit(t.app, br, '/fr/account').then((p) => /name="_csrf" value="([^"]+)"/.exec(p.body)![1]!);
    expect((await visit(t.app, br, '/fr/account/sign-in', { _csrf: await csrf(), email })).statusCode).toBe(303);
    const { code } = await latestMail(t.db, a.tenant.id, email);
    expect((await visit(t.app, br, '/fr/account/code', { _csrf: await csrf(), code: code! })).statusCode).toBe(303);
    const second = br.cookies.get('guichet-session')!;
    expect(second).not.toBe(first);
    const old = browser(a.host);
    old.cookies.set('guichet-session', first);
    expect((await visit(t.app, old, '/fr/account')).statusCode).toBe(303);
  });
});

describe('the same answer for every address', () => {
  it.each(['fr', 'en'] as const)('answers a known and an unknown address alike in %s', async (lang) => {
    const known = uniqueEmail('known');
    await signInResident(t.app, t.db, a, known);
    const unknown = uniqueEmail('unknown');
    const results = [];
    await jobs.drain();
    for (const email of [known, unknown]) {
      const since = smtp.received.length;
      const br = browser(a.host);
      const res = await askCode(br, email, lang);
      const page = await visit(t.app, br, res.headers.location as string);
      const mail = await mailTo(email, since);
      results.push({ status: res.statusCode, location: res.headers.location, cookies: [...br.cookies.keys()].sort(), page: normalize(page.body, email), mail, email });
    }
    const [k, u] = results as [(typeof results)[number], (typeof results)[number]];
    expect(k.status).toBe(303);
    expect(u.status).toBe(k.status);
    expect(u.location).toBe(k.location);
    expect(u.cookies).toEqual(k.cookies);
    expect(u.page).toBe(k.page);
    expect(u.mail.subject).toBe(k.mail.subject);
    const mailShape = (m: ParsedMail) => (m.text ?? '').replace(/\d{6}/, 'CODE').replace(/token=\S+/, 'token=T');
    expect(mailShape(u.mail)).toBe(mailShape(k.mail));
    // Same work either way: asking for a code never looks the account up (it is found or made once
    // the code is right), so the time taken says nothing either.
    expect((await audit(a)).filter((e) => e.action === 'resident.codeRequested' && JSON.stringify(e.details).includes('signIn')).length).toBeGreaterThan(1);
  });
});

describe('wrong input', () => {
  const text = {
    fr: { wrong4: 'Il vous reste 4 essais.', wrong1: 'Il vous reste un essai.', locked: 'Un code erroné a été entré 5 fois', expired: 'Ce code ne fonctionne plus', format: 'Entrez les 6 chiffres', wait: 'Attendez' },
    en: { wrong4: 'You can try 4 more times.', wrong1: 'You can try one more time.', locked: 'A wrong code was entered 5 times', expired: 'This code no longer works', format: 'Enter the 6 digits', wait: 'Wait' },
  } as const;

  describe.each(['fr', 'en'] as const)('in %s', (lang) => {
    const words = text[lang];

    it('counts wrong codes, then voids the code after 5 and makes the address wait', async () => {
      const email = uniqueEmail('wrong');
      const br = browser(a.host);
      await askCode(br, email, lang);
      const right = (await latestMail(t.db, a.tenant.id, email)).code!;
      const wrongCode = right === '000000' ? '111111' : '000000';
      const first = await enterCode(br, wrongCode, lang);
      expect(first.statusCode).toBe(401);
      expect(first.body).toContain(words.wrong4);
      expect(first.body).toContain('class="error-summary"');
      for (let i = 0; i < 3; i++) await enterCode(br, wrongCode, lang);
      const last = await enterCode(br, wrongCode, lang);
      expect(last.body).toContain(words.locked);
      expect(last.body).toMatch(/15 min/);
      // Even the right code is refused now.
      const tooLate = await enterCode(br, right, lang);
      expect(tooLate.statusCode).toBe(401);
      expect(tooLate.body).toContain(words.locked);
      expect(br.cookies.has('guichet-session')).toBe(false);
      // And the address waits before it gets a new code.
      const again = await askCode(browser(a.host), email, lang);
      expect(again.statusCode).toBe(429);
      expect(again.body).toContain(words.wait);
      const failures = (await audit(a)).filter((e) => e.action === 'resident.signInFailed').map((e) => e.details.reason);
      expect(failures).toEqual(expect.arrayContaining(['wrong', 'locked']));
    });

    it('says one try is left before the last one', async () => {
      const email = uniqueEmail('last');
      const br = browser(a.host);
      await askCode(br, email, lang);
      const right = (await latestMail(t.db, a.tenant.id, email)).code!;
      const wrongCode = right === '999999' ? '888888' : '999999';
      for (let i = 0; i < 3; i++) await enterCode(br, wrongCode, lang);
      const fourth = await enterCode(br, wrongCode, lang);
      expect(fourth.body).toContain(words.wrong1);
      // The fifth try may still be the right one.
      expect((await enterCode(br, right, lang)).statusCode).toBe(303);
    });

    it('refuses an expired code', async () => {
      const email = uniqueEmail('expired');
      const br = browser(a.host);
      await askCode(br, email, lang);
      const code = (await latestMail(t.db, a.tenant.id, email)).code!;
      await t.db.withTenant(a.tenant.id, (trx) =>
        trx.updateTable('resident_codes').set({ expires_at: sql<Date>`now() - interval '1 second'` }).where('email', '=', email).execute(),
      );
      const res = await enterCode(br, code, lang);
      expect(res.statusCode).toBe(401);
      expect(res.body).toContain(words.expired);
      expect(br.cookies.has('guichet-session')).toBe(false);
    });

    it('refuses a code used once already, and an earlier code once a new one is sent', async () => {
      const email = uniqueEmail('reuse');
      const br = browser(a.host);
      await askCode(br, email, lang);
      const code = (await latestMail(t.db, a.tenant.id, email)).code!;
      const pending = br.cookies.get('guichet-code')!;
      expect((await enterCode(br, code, lang)).statusCode).toBe(303);
      // Another browser replaying the same pending cookie and code.
      const replay = browser(a.host);
      replay.cookies.set('guichet-code', pending);
      const res = await enterCode(replay, code, lang);
      expect(res.statusCode).toBe(401);
      expect(res.body).toContain(words.expired);

      const br2 = browser(a.host);
      await askCode(br2, email, lang);
      const older = (await latestMail(t.db, a.tenant.id, email)).code!;
      const br3 = browser(a.host);
      await askCode(br3, email, lang);
      const older2 = await enterCode(br2, older, lang);
      expect(older2.statusCode).toBe(401);
      expect(older2.body).toContain(words.expired);
    });

    it('re-renders with a format message (422) without counting a try', async () => {
      const email = uniqueEmail('format');
      const br = browser(a.host);
      await askCode(br, email, lang);
      for (const bad of ['12345', 'abcdef', '1234567', '']) {
        const res = await enterCode(br, bad, lang);
        expect(res.statusCode).toBe(422);
        expect(res.body).toContain(bad === '' ? (lang === 'fr' ? 'est obligatoire' : 'Enter a value') : words.format);
      }
      const row = await t.db.withTenant(a.tenant.id, (trx) => trx.selectFrom('resident_codes').select('attempts').where('email', '=', email).executeTakeFirstOrThrow());
      expect(row.attempts).toBe(0);
      const emptyEmail = await askCode(browser(a.host), 'not-an-email', lang);
      expect(emptyEmail.statusCode).toBe(422);
      expect(emptyEmail.body).toContain('href="#email"');
    });
  });

  it('sends at most 5 codes to one address in 15 minutes, from any number of addresses', async () => {
    const email = uniqueEmail('flood');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await askCode(browser(a.host), email, i % 2 ? 'en' : 'fr')).statusCode);
    expect(statuses).toEqual([303, 303, 303, 303, 303, 429]);
    const sent = await t.db.withTenant(a.tenant.id, (trx) => trx.selectFrom('outbox').select('id').where('recipient', '=', email).execute());
    expect(sent).toHaveLength(5);
    expect((await audit(a)).some((e) => e.action === 'resident.codeThrottled')).toBe(true);
  });

  it('limits code requests and code tries from one client address tightly (429)', async () => {
    const br = browser(a.host);
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await askCode(br, uniqueEmail('ip'))).statusCode);
    expect(statuses.slice(0, 8).every((s) => s === 303)).toBe(true);
    expect(statuses[8]).toBe(429);
  });

  it('refuses a sign-in without a CSRF token (403)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/en/account/sign-in',
      headers: { host: a.host, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `email=${encodeURIComponent(uniqueEmail('csrf'))}`,
      remoteAddress: browser(a.host).ip,
    });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Form expired');
  });

  it('sends the code page back to the start without a pending code, or with a tampered one', async () => {
    const br = browser(a.host);
    expect((await visit(t.app, br, '/fr/account/code')).headers.location).toBe('/fr/account/sign-in');
    await askCode(br, uniqueEmail('tamper'));
    const pending = br.cookies.get('guichet-code')!;
    br.cookies.set('guichet-code', pending.replace(/^.{8}/, '00000000'));
    expect((await visit(t.app, br, '/fr/account/code')).headers.location).toBe('/fr/account/sign-in');
  });
});

describe('housekeeping', () => {
  it('deletes the town’s codes older than a day (they hold an email address) when a new one is made', async () => {
    const old = uniqueEmail('old-code');
    await askCode(browser(a.host), old);
    await t.db.withTenant(a.tenant.id, (trx) =>
      trx.updateTable('resident_codes').set({ created_at: sql<Date>`now() - interval '25 hours'` }).where('email', '=', old).execute(),
    );
    await askCode(browser(a.host), uniqueEmail('new-code'));
    const left = await t.db.withTenant(a.tenant.id, (trx) => trx.selectFrom('resident_codes').select('id').where('email', '=', old).execute());
    expect(left).toHaveLength(0);
  });
});

describe('sessions', () => {
  it('treats a tampered session cookie as signed out and clears it', async () => {
    const br = await signInResident(t.app, t.db, a, uniqueEmail('cookie'));
    const token = br.cookies.get('guichet-session')!;
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    for (const value of [flipped, `${token}x`, 'garbage']) {
      const other = browser(a.host);
      other.cookies.set('guichet-session', value);
      const res = await visit(t.app, other, '/fr/account');
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toMatch(/^\/fr\/account\/sign-in\?next=/);
    }
    const garbage = await t.app.inject({ url: '/fr/account', headers: { host: a.host, cookie: 'guichet-session=garbage' } });
    expect(String(garbage.headers['set-cookie'])).toMatch(/guichet-session=;/);
  });

  it('does not accept a resident session of town A at town B', async () => {
    const email = uniqueEmail('towns');
    const br = await signInResident(t.app, t.db, a, email);
    expect((await visit(t.app, br, '/fr/account')).statusCode).toBe(200);
    const atB: Browser = { ...br, host: b.host };
    const res = await visit(t.app, atB, '/fr/account');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/fr/account/sign-in?next=${encodeURIComponent('/fr/account')}`);
    // B knows nothing of A's resident.
    const inB = await t.db.withTenant(b.tenant.id, (trx) => trx.selectFrom('residents').select('id').where('email', '=', email).execute());
    expect(inB).toHaveLength(0);
  });

  it('ends the session at sign-out', async () => {
    const br = await signInResident(t.app, t.db, a, uniqueEmail('out'), 'en');
    const token = br.cookies.get('guichet-session')!;
    const page = await visit(t.app, br, '/en/account');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const out = await visit(t.app, br, '/en/account/sign-out', { _csrf: csrf });
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/en/account/sign-in?signedOut=1');
    expect(br.cookies.has('guichet-session')).toBe(false);
    const replay = browser(a.host);
    replay.cookies.set('guichet-session', token);
    expect((await visit(t.app, replay, '/en/account')).statusCode).toBe(303);
    expect((await visit(t.app, browser(a.host), '/en/account/sign-in?signedOut=1')).body).toContain('You are signed out.');
    expect((await audit(a)).some((e) => e.action === 'resident.signOut')).toBe(true);
  });

  it('keeps a resident signed in for 2 idle hours, not more, and 12 hours in all', async () => {
    const idle = await signInResident(t.app, t.db, a, uniqueEmail('idle'));
    const long = await signInResident(t.app, t.db, a, uniqueEmail('long'));
    const hash = (token: string) => crypto.createHash('sha256').update(token).digest('hex');
    // The rows are aged behind the application's back: its short session cache is dropped as
    // another process's would be after SESSION_CACHE_SECONDS.
    const setSeen = async (token: string, interval: string) => {
      await t.db.withTenant(a.tenant.id, (trx) =>
        trx.updateTable('sessions').set({ last_seen_at: sql<Date>`now() - ${sql.raw(`interval '${interval}'`)}` }).where('token_hash', '=', hash(token)).execute(),
      );
      forgetSessions();
    };
    await setSeen(idle.cookies.get('guichet-session')!, '119 minutes');
    expect((await visit(t.app, idle, '/fr/account')).statusCode).toBe(200);
    await setSeen(idle.cookies.get('guichet-session')!, '121 minutes');
    expect((await visit(t.app, idle, '/fr/account')).statusCode).toBe(303);
    await t.db.withTenant(a.tenant.id, (trx) =>
      trx.updateTable('sessions').set({ expires_at: sql<Date>`now() - interval '1 second'` }).where('token_hash', '=', hash(long.cookies.get('guichet-session')!)).execute(),
    );
    forgetSessions();
    expect((await visit(t.app, long, '/fr/account')).statusCode).toBe(303);
  });

  it('refuses a session row that names nobody, or both a staff member and a resident', async () => {
    await expect(
      t.db.withTenant(a.tenant.id, (trx) =>
        trx.insertInto('sessions').values({ tenant_id: a.tenant.id, token_hash: 'x'.repeat(64), staff_id: null, resident_id: null, expires_at: new Date(Date.now() + 60_000) }).execute(),
      ),
    ).rejects.toThrow(/sessions_one_person/);
  });
});
