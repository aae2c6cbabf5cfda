/** For tests of residents' pages: sign in through the real pages, reading the code from the outbox. */
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { formSession } from '../../../test/harness.ts';
import type { Database } from '../../db/database.ts';
import { getOutboxMessage, listOutbox } from '../../platform/outbox/index.ts';

export const newIp = () => `10.${crypto.randomInt(255)}.${crypto.randomInt(255)}.${crypto.randomInt(1, 255)}`;

export interface Browser {
  host: string;
  ip: string;
  /** Cookies the browser holds, by name. */
  cookies: Map<string, string>;
  userAgent?: string;
}

export function browser(host: string, userAgent?: string): Browser {
  return { host, ip: newIp(), cookies: new Map(), ...(userAgent ? { userAgent } : {}) };
}

const cookieHeader = (b: Browser) => [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

/** A GET or POST like a browser: sends its cookies, keeps the ones set (and forgets cleared ones). */
export async function visit(app: FastifyInstance, b: Browser, url: string, form?: Record<string, string>) {
  const res = await app.inject({
    method: form ? 'POST' : 'GET',
    url,
    headers: {
      host: b.host,
      cookie: cookieHeader(b),
      ...(b.userAgent ? { 'user-agent': b.userAgent } : {}),
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    remoteAddress: b.ip,
    ...(form ? { payload: new URLSearchParams(form).toString() } : {}),
  });
  for (const c of res.cookies) {
    if (c.value === '' || (c.maxAge !== undefined && c.maxAge <= 0) || (c.expires && c.expires.getTime() < Date.now())) b.cookies.delete(c.name);
    else b.cookies.set(c.name, c.value);
  }
  return res;
}

/** Opens a page with a form and posts it with its CSRF token. */
export async function submit(app: FastifyInstance, b: Browser, pageUrl: string, fields: Record<string, string>, postUrl = pageUrl.split('?')[0]!) {
  const page = await visit(app, b, pageUrl);
  if (page.statusCode !== 200) throw new Error(`${pageUrl} answered ${page.statusCode}`);
  const { token } = formSession(page);
  return visit(app, b, postUrl, { _csrf: token, ...fields });
}

/** The latest email the outbox holds for an address (newest first), with its code if it has one. */
export async function latestMail(db: Database, tenantId: string, to: string) {
  const page = await listOutbox(db, tenantId, { page: 1, pageSize: 100 });
  const summary = page.items.find((m) => m.recipient.toLowerCase() === to.toLowerCase());
  if (!summary) throw new Error(`no email to ${to}`);
  const message = (await getOutboxMessage(db, tenantId, summary.id))!;
  return { ...message, code: /^(\d{6})$/m.exec(message.bodyText)?.[1], link: /https?:\/\/\S+\/account\/link\?token=\S+/.exec(message.bodyText)?.[0] };
}

/** Signs a resident in through the pages (email, then the code from the outbox); returns the browser. */
export async function signInResident(app: FastifyInstance, db: Database, town: { host: string; tenant: { id: string } }, email: string, lang: 'fr' | 'en' = 'fr', b = browser(town.host)) {
  const asked = await submit(app, b, `/${lang}/account/sign-in`, { email });
  if (asked.statusCode !== 303) throw new Error(`code request answered ${asked.statusCode}`);
  const { code } = await latestMail(db, town.tenant.id, email);
  if (!code) throw new Error('no code in the email');
  const res = await submit(app, b, `/${lang}/account/code`, { code });
  if (res.statusCode !== 303 || !b.cookies.has('guichet-session')) throw new Error(`code answered ${res.statusCode}`);
  return b;
}
