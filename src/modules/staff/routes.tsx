/** Staff sign-in, sign-out and the staff area's front page; the mailbox pages are in mail-routes.tsx. */
import type { FastifyInstance } from 'fastify';
import { defineForm } from '../../platform/forms.ts';
import { pageContext, requireTenant, seeOther, sendPage } from '../../platform/http.ts';
import {
  clearSessionCookie,
  requireStaff,
  safeReturnPath,
  sessionToken,
  setSessionCookie,
  userAgentOf,
} from '../../platform/auth/session.ts';
import { ssoSignInOptions } from '../sso/service.ts';
import { prepareSignIn, signIn, signOut } from './service.ts';
import { SignInPage, type SignInNotice } from './views/sign-in.tsx';
import { DashboardPage } from './views/dashboard.tsx';
import { mailRoutes } from './mail-routes.tsx';
import { mfaRoutes, setPendingCookie } from './mfa-routes.tsx';

const signInForm = defineForm({
  email: { kind: 'email', required: true, max: 254, label: 'staff.signIn.email' },
  password: { kind: 'password', required: true, max: 1024, label: 'staff.signIn.password' },
});

const signInBody = {
  ...signInForm.bodySchema,
  properties: {
    ...(signInForm.bodySchema.properties as Record<string, unknown>),
    next: { type: 'string', maxLength: 600 },
  },
};

const NOTICES: Record<string, SignInNotice> = { signedOut: 'signedOut', expired: 'expired', mfaOff: 'mfaOff' };

export async function staffRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;
  await prepareSignIn();

  app.get('/staff/sign-in', async (req, reply) => {
    const tenant = requireTenant(req);
    const query = req.query as Record<string, unknown>;
    const next = safeReturnPath(query.next);
    if (req.staff) return seeOther(reply, next ?? `/${req.locale}/staff`);
    const ctx = pageContext(req, reply);
    const notice = Object.keys(NOTICES).find((k) => query[k] === '1');
    const sso = await ssoSignInOptions(db, tenant.id);
    return sendPage(reply, <SignInPage ctx={ctx} next={next} notice={notice ? NOTICES[notice] : undefined} sso={sso} />);
  });

  app.post(
    '/staff/sign-in',
    {
      schema: { body: signInBody },
      config: { rateLimit: { max: app.deps.config.rateLimit.sensitivePerMinute, timeWindow: 60000 } },
    },
    async (req, reply) => {
      const tenant = requireTenant(req);
      const ctx = pageContext(req, reply);
      const body = req.body as Record<string, unknown>;
      const next = safeReturnPath(body.next);
      const sso = await ssoSignInOptions(db, tenant.id);
      if (sso && !sso.passwordSignIn) {
        // The town signs its staff in through its provider only: the form is not even checked.
        const message = ctx.t('staff.signIn.ssoOnly', { provider: sso.label });
        return sendPage(reply, <SignInPage ctx={ctx} errors={{ sso: message }} next={next} sso={sso} />, 403);
      }
      const parsed = signInForm.parse(body, ctx.t);
      if (!parsed.ok) {
        return sendPage(reply, <SignInPage ctx={ctx} email={parsed.values.email} errors={parsed.errors} next={next} sso={sso} />, 422);
      }
      const result = await signIn(db, tenant.id, {
        email: parsed.values.email,
        password: parsed.values.password,
        ip: req.ip,
        previousToken: sessionToken(req),
        next,
        userAgent: userAgentOf(req),
      });
      if (!result.ok) {
        const message = ctx.t(result.reason === 'disabled' ? 'staff.signIn.disabled' : 'staff.signIn.invalid');
        const status = result.reason === 'disabled' ? 403 : 401;
        return sendPage(reply, <SignInPage ctx={ctx} email={parsed.values.email} errors={{ email: message }} next={next} sso={sso} />, status);
      }
      if (result.step !== 'session') {
        // No session yet: the code step, or (an administrator without it) setting up two-step verification.
        setPendingCookie(reply, result.pendingToken);
        return seeOther(reply, `/${req.locale}${result.step === 'code' ? '/staff/sign-in/code' : '/staff/mfa/setup'}`);
      }
      setSessionCookie(reply, result.token);
      return seeOther(reply, next ?? `/${req.locale}/staff`);
    },
  );

  app.post('/staff/sign-out', async (req, reply) => {
    const tenant = requireTenant(req);
    const token = sessionToken(req);
    if (token) await signOut(db, tenant.id, token, req.ip);
    clearSessionCookie(reply);
    return seeOther(reply, `/${req.locale}/staff/sign-in?signedOut=1`);
  });

  app.get('/staff', async (req, reply) => {
    requireTenant(req);
    const staff = requireStaff(req);
    return sendPage(reply, <DashboardPage ctx={pageContext(req, reply)} name={staff.name} role={staff.role} />);
  });

  await mailRoutes(app);
  await mfaRoutes(app);
}
