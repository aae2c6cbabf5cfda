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
} from '../../platform/auth/session.ts';
import { prepareSignIn, signIn, signOut } from './service.ts';
import { SignInPage } from './views/sign-in.tsx';
import { DashboardPage } from './views/dashboard.tsx';
import { mailRoutes } from './mail-routes.tsx';

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

export async function staffRoutes(app: FastifyInstance): Promise<void> {
  await prepareSignIn();

  app.get('/staff/sign-in', async (req, reply) => {
    requireTenant(req);
    const query = req.query as Record<string, unknown>;
    const next = safeReturnPath(query.next);
    if (req.staff) return seeOther(reply, next ?? `/${req.locale}/staff`);
    const ctx = pageContext(req, reply);
    return sendPage(reply, <SignInPage ctx={ctx} next={next} signedOut={query.signedOut === '1'} />);
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
      const parsed = signInForm.parse(body, ctx.t);
      if (!parsed.ok) {
        return sendPage(reply, <SignInPage ctx={ctx} email={parsed.values.email} errors={parsed.errors} next={next} />, 422);
      }
      const result = await signIn(app.deps.db, tenant.id, {
        email: parsed.values.email,
        password: parsed.values.password,
        ip: req.ip,
        previousToken: sessionToken(req),
      });
      if (!result.ok) {
        const message = ctx.t(result.reason === 'disabled' ? 'staff.signIn.disabled' : 'staff.signIn.invalid');
        const status = result.reason === 'disabled' ? 403 : 401;
        return sendPage(reply, <SignInPage ctx={ctx} email={parsed.values.email} errors={{ email: message }} next={next} />, status);
      }
      setSessionCookie(reply, result.token);
      return seeOther(reply, next ?? `/${req.locale}/staff`);
    },
  );

  app.post('/staff/sign-out', async (req, reply) => {
    const tenant = requireTenant(req);
    const token = sessionToken(req);
    if (token) await signOut(app.deps.db, tenant.id, token, req.ip);
    clearSessionCookie(reply);
    return seeOther(reply, `/${req.locale}/staff/sign-in?signedOut=1`);
  });

  app.get('/staff', async (req, reply) => {
    requireTenant(req);
    const staff = requireStaff(req);
    return sendPage(reply, <DashboardPage ctx={pageContext(req, reply)} name={staff.name} role={staff.role} />);
  });

  await mailRoutes(app);
}
