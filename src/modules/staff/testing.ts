/** For tests of staff pages: sign in through the real form and get the session cookie. */
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { formSession } from '../../../test/harness.ts';

/** Signs in like a browser (GET the form, POST it with its CSRF token); returns "guichet-session=<token>". */
export async function signInCookie(app: FastifyInstance, host: string, email: string, password: string, lang: 'fr' | 'en' = 'fr'): Promise<string> {
  // A fresh client address, so the tight sign-in rate limit does not trip across many tests.
  const remoteAddress = `10.${crypto.randomInt(255)}.${crypto.randomInt(255)}.${crypto.randomInt(1, 255)}`;
  const page = await app.inject({ url: `/${lang}/staff/sign-in`, headers: { host }, remoteAddress });
  const { token, cookie } = formSession(page);
  const res = await app.inject({
    method: 'POST',
    url: `/${lang}/staff/sign-in`,
    headers: { host, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: token, email, password }).toString(),
    remoteAddress,
  });
  const session = res.cookies.find((c) => c.name.endsWith('guichet-session'));
  if (res.statusCode !== 303 || !session) throw new Error(`sign-in failed with status ${res.statusCode}`);
  return `${session.name}=${session.value}`;
}
