/**
 * Residents' sign-in: /account/sign-in (email), /account/code (the code), /account/link (the link
 * from the email), /account/sign-out. Asking for a code answers the same for every address.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { pageContext, requireTenant, seeOther, sendPage } from '../../platform/http.ts';
import {
  clearSessionCookie,
  RESIDENT_ABSOLUTE_TIMEOUT_SECONDS,
  safeReturnPath,
  sessionToken,
  setSessionCookie,
  userAgentOf,
} from '../../platform/auth/session.ts';
import type { Translate } from '../../platform/i18n.ts';
import { tenantResolver } from '../tenants/service.ts';
import { codeKey, LINK_TOKEN, normalizeCode, type Attempt } from './codes.ts';
import { codeForm, signInForm, UUID } from './schemas.ts';
import { pendingCodeEmail, requestSignInCode, signInWithCode, signInWithLink, signOutResident, type SignInResult } from './sign-in.ts';
import { CodePage, LinkPage, SignInPage } from './views/sign-in.tsx';

/** The browser remembers which code it waits for in a signed, HttpOnly cookie. */
function pendingCookieName(config: Pick<Config, 'env'>): string {
  return config.env === 'production' ? '__Host-guichet-code' : 'guichet-code';
}
const PENDING_SECONDS = 30 * 60;

function pendingCodeId(req: FastifyRequest): string | undefined {
  const raw = req.cookies[pendingCookieName(req.server.deps.config)];
  if (!raw) return undefined;
  const unsigned = req.unsignCookie(raw);
  return unsigned.valid && unsigned.value && UUID.test(unsigned.value) ? unsigned.value : undefined;
}

function cookieOptions(config: Pick<Config, 'env'>) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.env === 'production' };
}

/** Why a code or link was refused, in words. */
export function attemptMessage(t: Translate, attempt: Exclude<Attempt, { ok: true }>): string {
  switch (attempt.reason) {
    case 'wrong':
      return attempt.triesLeft === 1 ? t('residents.code.wrongOne') : t('residents.code.wrong', { tries: attempt.triesLeft });
    case 'locked':
      return t('residents.code.locked', { minutes: attempt.waitMinutes });
    case 'expired':
      return t('residents.code.expired');
  }
}

const nextOf = (body: unknown) => safeReturnPath((body as Record<string, unknown> | undefined)?.next);
const withNext = (schema: Record<string, unknown>) => ({
  ...schema,
  properties: { ...(schema.properties as Record<string, unknown>), next: { type: 'string', maxLength: 600 } },
});

export async function signInRoutes(app: FastifyInstance): Promise<void> {
  const { config, db } = app.deps;
  const key = codeKey(config.sessionSecret);
  const tight = { rateLimit: { max: config.rateLimit.sensitivePerMinute, timeWindow: 60000 } };
  // A host name counts for the link in the email only if it is one of the town's own (never the
  // install's default town answering for an unknown host: the link would lead elsewhere).
  const ownHost = tenantResolver(db, undefined);

  async function linkBase(req: FastifyRequest, tenantId: string): Promise<string | null> {
    const owner = await ownHost(req.host);
    if (owner?.id !== tenantId) return null;
    return `${config.env === 'production' ? 'https' : req.protocol}://${req.host}`;
  }

  function signedIn(reply: FastifyReply, req: FastifyRequest, result: Extract<SignInResult, { ok: true }>, next: string | undefined) {
    setSessionCookie(reply, result.token, RESIDENT_ABSOLUTE_TIMEOUT_SECONDS);
    reply.clearCookie(pendingCookieName(config), cookieOptions(config));
    return seeOther(reply, next ?? `/${req.locale}/account${result.created ? '?welcome=1' : ''}`);
  }

  app.get('/account/sign-in', async (req, reply) => {
    requireTenant(req);
    const query = req.query as Record<string, unknown>;
    const next = safeReturnPath(query.next);
    if (req.resident) return seeOther(reply, next ?? `/${req.locale}/account`);
    return sendPage(reply, <SignInPage ctx={pageContext(req, reply)} next={next} signedOut={query.signedOut === '1'} />);
  });

  app.post('/account/sign-in', { schema: { body: withNext(signInForm.bodySchema) }, config: tight }, async (req, reply) => {
    const tenant = requireTenant(req);
    const ctx = pageContext(req, reply);
    const next = nextOf(req.body);
    const parsed = signInForm.parse(req.body, ctx.t);
    if (!parsed.ok) return sendPage(reply, <SignInPage ctx={ctx} email={parsed.values.email} errors={parsed.errors} next={next} />, 422);
    const result = await requestSignInCode(db, tenant, key, {
      email: parsed.values.email,
      locale: req.locale,
      ip: req.ip,
      linkBase: await linkBase(req, tenant.id),
    });
    if (!result.ok) {
      const errors = { email: ctx.t('residents.code.wait', { minutes: result.waitMinutes }) };
      reply.header('retry-after', String(result.waitMinutes * 60));
      return sendPage(reply, <SignInPage ctx={ctx} email={parsed.values.email} errors={errors} next={next} />, 429);
    }
    reply.setCookie(pendingCookieName(config), result.codeId, { ...cookieOptions(config), signed: true, maxAge: PENDING_SECONDS });
    return seeOther(reply, `/${req.locale}/account/code${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  });

  app.get('/account/code', async (req, reply) => {
    const tenant = requireTenant(req);
    const next = safeReturnPath((req.query as Record<string, unknown>).next);
    const codeId = pendingCodeId(req);
    const email = codeId ? await pendingCodeEmail(db, tenant.id, codeId) : null;
    if (!email) return seeOther(reply, `/${req.locale}/account/sign-in`);
    return sendPage(reply, <CodePage ctx={pageContext(req, reply)} email={email} next={next} />);
  });

  app.post('/account/code', { schema: { body: withNext(codeForm.bodySchema) }, config: tight }, async (req, reply) => {
    const tenant = requireTenant(req);
    const next = nextOf(req.body);
    const codeId = pendingCodeId(req);
    const email = codeId ? await pendingCodeEmail(db, tenant.id, codeId) : null;
    if (!codeId || !email) return seeOther(reply, `/${req.locale}/account/sign-in`);
    const ctx = pageContext(req, reply);
    const parsed = codeForm.parse(req.body, ctx.t);
    const code = parsed.ok ? normalizeCode(parsed.values.code) : null;
    if (!parsed.ok || code === null) {
      const errors = parsed.ok ? { code: ctx.t('residents.code.format') } : parsed.errors;
      return sendPage(reply, <CodePage ctx={ctx} email={email} errors={errors} next={next} />, 422);
    }
    const result = await signInWithCode(db, tenant, key, { codeId, code, ip: req.ip, userAgent: userAgentOf(req), previousToken: sessionToken(req) });
    if (result.ok) return signedIn(reply, req, result, next);
    return sendPage(reply, <CodePage ctx={ctx} email={email} errors={{ code: attemptMessage(ctx.t, result) }} next={next} />, 401);
  });

  app.get('/account/link', { schema: { querystring: { type: 'object', properties: { token: { type: 'string', maxLength: 100 } } } } }, async (req, reply) => {
    requireTenant(req);
    const ctx = pageContext(req, reply);
    const token = (req.query as { token?: string }).token ?? '';
    const errors: Record<string, string> = LINK_TOKEN.test(token) ? {} : { token: ctx.t('residents.link.invalid') };
    return sendPage(reply, <LinkPage ctx={ctx} token={token} errors={errors} />, LINK_TOKEN.test(token) ? 200 : 404);
  });

  app.post(
    '/account/link',
    { schema: { body: { type: 'object', properties: { token: { type: 'string', maxLength: 100 }, _csrf: { type: 'string', maxLength: 200 } }, additionalProperties: false } }, config: tight },
    async (req, reply) => {
      const tenant = requireTenant(req);
      const ctx = pageContext(req, reply);
      const token = (req.body as { token?: string }).token ?? '';
      const result = await signInWithLink(db, tenant, { token, ip: req.ip, userAgent: userAgentOf(req), previousToken: sessionToken(req) });
      if (result.ok) return signedIn(reply, req, result, undefined);
      const message = result.reason === 'expired' ? ctx.t('residents.link.invalid') : attemptMessage(ctx.t, result);
      return sendPage(reply, <LinkPage ctx={ctx} token="" errors={{ token: message }} />, 401);
    },
  );

  app.post('/account/sign-out', async (req, reply) => {
    const tenant = requireTenant(req);
    const token = sessionToken(req);
    if (token) await signOutResident(db, tenant.id, token, req.ip);
    clearSessionCookie(reply);
    return seeOther(reply, `/${req.locale}/account/sign-in?signedOut=1`);
  });
}
