/**
 * For tests of staff pages: sign in through the real forms and get the session cookie. Two-step
 * verification is handled like a person with the app would: the code step gets the current code,
 * and an administrator without it sets it up on the way (the key is read from the set-up page).
 */
import crypto from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { formSession } from '../../../test/harness.ts';
import { tenantResolver } from '../tenants/service.ts';
import { secretBox } from './secret-box.ts';
import { findStaffByEmail } from './service.ts';
import { confirmEnrolment, enrolmentSecret } from './mfa/service.ts';
import * as mfaRepo from './mfa/repo.ts';
import { codeAt } from './mfa/totp.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function cookiesOf(res: LightMyRequestResponse): Record<string, string> {
  return Object.fromEntries(res.cookies.map((c) => [c.name, c.value]));
}

const header = (jar: Record<string, string>) =>
  Object.entries(jar)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

async function tenantIdOf(app: FastifyInstance, host: string): Promise<string> {
  const tenant = await tenantResolver(app.deps.db, undefined)(host);
  if (!tenant) throw new Error(`no town answers on ${host}`);
  return tenant.id;
}

/**
 * The current TOTP secret of an account that has two-step verification, and forgets the last code
 * accepted so that a test may sign in again within the same 30 seconds.
 */
export async function totpSecretOf(app: FastifyInstance, tenantId: string, staffId: string): Promise<string | null> {
  const box = secretBox(app.deps.config.sessionSecret);
  return app.deps.db.withTenant(tenantId, async (trx) => {
    const row = await mfaRepo.findMfa(trx, tenantId, staffId);
    await mfaRepo.forgetLastStep(trx, tenantId, staffId);
    return row?.confirmed_at ? box.open(row.secret_sealed, `totp:${tenantId}:${staffId}`) : null;
  });
}

/** Turns two-step verification on for an account directly (as if set up in the app); returns the secret and recovery codes. */
export async function enrolTotp(app: FastifyInstance, tenantId: string, staffId: string): Promise<{ secret: string; recoveryCodes: string[] }> {
  const box = secretBox(app.deps.config.sessionSecret);
  const enrolment = await enrolmentSecret(app.deps.db, box, tenantId, staffId);
  if (enrolment.enrolled) throw new Error('already enrolled');
  const result = await confirmEnrolment(app.deps.db, box, tenantId, staffId, { code: codeAt(enrolment.secret), ip: null });
  if (!result.ok) throw new Error(`enrolment failed: ${result.reason}`);
  await app.deps.db.withTenant(tenantId, (trx) => mfaRepo.forgetLastStep(trx, tenantId, staffId));
  return { secret: enrolment.secret, recoveryCodes: result.recoveryCodes };
}

/**
 * Signs in like a browser (GET the form, POST it with its CSRF token, then the code step or an
 * administrator's set-up when needed); returns "guichet-session=<token>".
 */
export async function signInCookie(app: FastifyInstance, host: string, email: string, password: string, lang: 'fr' | 'en' = 'fr'): Promise<string> {
  // A fresh client address, so the tight sign-in rate limit does not trip across many tests.
  const remoteAddress = `10.${crypto.randomInt(255)}.${crypto.randomInt(255)}.${crypto.randomInt(1, 255)}`;
  const page = await app.inject({ url: `/${lang}/staff/sign-in`, headers: { host }, remoteAddress });
  const { token, cookie } = formSession(page);
  let res = await app.inject({
    method: 'POST',
    url: `/${lang}/staff/sign-in`,
    headers: { host, cookie, ...FORM },
    payload: new URLSearchParams({ _csrf: token, email, password }).toString(),
    remoteAddress,
  });
  const jar = { ...Object.fromEntries(page.cookies.map((c) => [c.name, c.value])), ...cookiesOf(res) };
  const location = String(res.headers.location ?? '');
  if (res.statusCode === 303 && (location.endsWith('/staff/sign-in/code') || location.endsWith('/staff/mfa/setup'))) {
    const step = await app.inject({ url: location, headers: { host, cookie: header(jar) }, remoteAddress });
    Object.assign(jar, cookiesOf(step));
    let code: string;
    if (location.endsWith('/code')) {
      const tenantId = await tenantIdOf(app, host);
      const staff = await findStaffByEmail(app.deps.db, tenantId, email);
      const secret = staff && (await totpSecretOf(app, tenantId, staff.id));
      if (!secret) throw new Error('the code step came up for an account without a readable secret');
      code = codeAt(secret);
    } else {
      const key = /<code id="totp-key">([^<]+)<\/code>/.exec(step.body)?.[1];
      if (!key) throw new Error(`no key on the set-up page (status ${step.statusCode}, location ${String(step.headers.location)})`);
      code = codeAt(key.replace(/\s/g, ''));
    }
    res = await app.inject({
      method: 'POST',
      url: location,
      headers: { host, cookie: header(jar), ...FORM },
      payload: new URLSearchParams({ _csrf: formSession(step).token, code }).toString(),
      remoteAddress,
    });
  }
  const session = res.cookies.find((c) => c.name.endsWith('guichet-session') && c.value !== '');
  if (![200, 303].includes(res.statusCode) || !session) throw new Error(`sign-in failed with status ${res.statusCode}`);
  return `${session.name}=${session.value}`;
}

/**
 * A tiny browser for app.inject(): keeps cookies like a browser (removed when cleared), and posts a
 * page's form with its CSRF token. For sign-in tests that go through several pages.
 */
export class InjectBrowser {
  readonly jar = new Map<string, string>();
  /** A fresh client address per browser, so the tight per-address limits count only this browser. */
  readonly ip = `10.${crypto.randomInt(255)}.${crypto.randomInt(255)}.${crypto.randomInt(1, 255)}`;
  last: LightMyRequestResponse | undefined;

  constructor(
    readonly app: FastifyInstance,
    readonly host: string,
  ) {}

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  cookie(name: string): string | undefined {
    return this.jar.get(name);
  }

  private keep(res: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of res.cookies) {
      const expired = c.value === '' || (c.maxAge !== undefined && c.maxAge <= 0) || (c.expires !== undefined && c.expires.getTime() <= Date.now());
      if (expired) this.jar.delete(c.name);
      else this.jar.set(c.name, c.value);
    }
    this.last = res;
    return res;
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.keep(await this.app.inject({ url, headers: { host: this.host, cookie: this.cookieHeader() }, remoteAddress: this.ip }));
  }

  /** Posts fields to a URL with the CSRF token of the last page (or of `from`, fetched first). */
  async post(url: string, fields: Record<string, string>, from?: string): Promise<LightMyRequestResponse> {
    const page = from ? await this.get(from) : this.last;
    const token = page && /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    if (!token) throw new Error(`no CSRF token on ${from ?? 'the last page'}`);
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        headers: { host: this.host, cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
        remoteAddress: this.ip,
      }),
    );
  }
}
