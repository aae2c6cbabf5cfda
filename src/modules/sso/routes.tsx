/**
 * Single sign-on routes. /{fr,en}/staff/sso/start sends the browser to the town's provider; the
 * provider sends it back to /staff/sso/callback (one address per town host, without a language
 * prefix, so the provider needs a single redirect URI; the language travels with the sign-in).
 * The state is kept in a short-lived HttpOnly cookie and must match the one the callback carries.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { AppError } from '../../platform/errors.ts';
import { pageContext, requireTenant, seeOther, sendPage } from '../../platform/http.ts';
import { safeReturnPath, sessionToken, setSessionCookie, userAgentOf } from '../../platform/auth/session.ts';
import { secretBox } from '../staff/secret-box.ts';
import { AUTH_REQUEST_SECONDS, beginSsoSignIn, completeSsoSignIn, type SsoEnvironment } from './service.ts';
import { RefusedPage } from './views/refused.tsx';

export const CALLBACK_PATH = '/staff/sso/callback';

function stateCookieName(config: Pick<Config, 'env'>): string {
  return config.env === 'production' ? '__Host-guichet-sso' : 'guichet-sso';
}

function stateCookieOptions(config: Pick<Config, 'env'>) {
  // Lax: the provider's redirect back is a top-level GET navigation, which carries Lax cookies.
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.env === 'production' };
}

/**
 * The redirect URI registered at the provider: this town's own host (already checked to be one of
 * the town's host names). Always https in production, even behind a proxy that speaks plain http.
 */
export function redirectUri(req: FastifyRequest): string {
  const protocol = req.server.deps.config.env === 'production' ? 'https' : req.protocol;
  return `${protocol}://${req.host}${CALLBACK_PATH}`;
}

function ssoEnvironment(config: Config): SsoEnvironment {
  return { box: secretBox(config.sessionSecret), allowHttp: config.env !== 'production' };
}

/** Page routes, under /fr and /en. */
export async function ssoRoutes(app: FastifyInstance): Promise<void> {
  const { db, config } = app.deps;
  const env = ssoEnvironment(config);

  app.get(
    '/staff/sso/start',
    { config: { rateLimit: { max: config.rateLimit.sensitivePerMinute, timeWindow: 60_000 } } },
    async (req, reply) => {
      const tenant = requireTenant(req);
      const next = safeReturnPath((req.query as Record<string, unknown>).next) ?? null;
      let start: Awaited<ReturnType<typeof beginSsoSignIn>>;
      try {
        start = await beginSsoSignIn(db, env, tenant.id, { redirectUri: redirectUri(req), locale: req.locale, next });
      } catch (err) {
        // The provider could not be reached or its discovery document is wrong.
        req.log.warn({ err: { name: (err as Error).name, code: (err as { code?: unknown }).code } }, 'single sign-on: provider unavailable');
        const ctx = pageContext(req, reply);
        return sendPage(reply, <RefusedPage ctx={ctx} reason="provider" provider={null} />, 502);
      }
      if (!start) throw new AppError('notFound');
      reply.setCookie(stateCookieName(config), start.state, { ...stateCookieOptions(config), maxAge: AUTH_REQUEST_SECONDS });
      return reply.redirect(start.url, 303);
    },
  );
}

/** The callback, at the root (no language prefix). */
export async function ssoCallbackRoutes(app: FastifyInstance): Promise<void> {
  const { db, config } = app.deps;
  const env = ssoEnvironment(config);

  app.get(CALLBACK_PATH, async (req: FastifyRequest, reply: FastifyReply) => {
    const tenant = requireTenant(req);
    const cookieState = req.cookies[stateCookieName(config)];
    reply.clearCookie(stateCookieName(config), stateCookieOptions(config));
    const callbackUrl = new URL(req.url, redirectUri(req));
    const result = await completeSsoSignIn(db, env, tenant.id, {
      callbackUrl,
      cookieState,
      ip: req.ip,
      previousToken: sessionToken(req),
      userAgent: userAgentOf(req),
    });
    if (result.locale) req.locale = result.locale;
    if (result.ok) {
      setSessionCookie(reply, result.sessionToken);
      return seeOther(reply, result.next ?? `/${result.locale}/staff`);
    }
    // The language toggle of the refusal page leads to the sign-in page, not back to this address.
    const ctx = { ...pageContext(req, reply), path: '/staff/sign-in' };
    return sendPage(reply, <RefusedPage ctx={ctx} reason={result.reason} provider={result.provider} />, result.reason === 'state' ? 400 : 403);
  });
}
