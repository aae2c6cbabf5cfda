/** Accepting an invitation: /staff/invitation?token=… (choose a password) and /staff/invitation/done. */
import type { FastifyInstance } from 'fastify';
import type { FieldErrors } from '../../web/components/forms.tsx';
import { href } from '../../web/context.ts';
import { pageContext, requireTenant, seeOther, sendPage } from '../../platform/http.ts';
import { acceptBody, acceptForm, invitationQuery } from './schemas.ts';
import { acceptInvitation, checkInvitation } from './service.ts';
import { AcceptedPage, AcceptPage, InvitationProblemPage } from './views/invitation.tsx';

/** Not a valid link at all: 404; a link that was valid once (expired or used): 410 Gone. */
const PROBLEM_STATUS = { invalid: 404, expired: 410, used: 410 } as const;

export async function invitationRoutes(app: FastifyInstance): Promise<void> {
  const { db, config } = app.deps;

  app.get('/staff/invitation', { schema: { querystring: invitationQuery } }, async (req, reply) => {
    const tenant = requireTenant(req);
    const token = (req.query as { token?: string }).token ?? '';
    const state = await checkInvitation(db, tenant.id, token);
    const ctx = pageContext(req, reply);
    // The page holds the token: keep it out of other sites' Referer headers.
    reply.header('referrer-policy', 'no-referrer');
    if (state.status !== 'valid') return sendPage(reply, <InvitationProblemPage ctx={ctx} status={state.status} />, PROBLEM_STATUS[state.status]);
    return sendPage(reply, <AcceptPage ctx={ctx} token={token} name={state.name} email={state.email} errors={{}} />);
  });

  app.post(
    '/staff/invitation',
    {
      schema: { body: acceptBody },
      config: { rateLimit: { max: config.rateLimit.sensitivePerMinute, timeWindow: 60_000 } },
    },
    async (req, reply) => {
      const tenant = requireTenant(req);
      const ctx = pageContext(req, reply);
      reply.header('referrer-policy', 'no-referrer');
      const body = req.body as Record<string, unknown>;
      const token = typeof body.token === 'string' ? body.token : '';
      const state = await checkInvitation(db, tenant.id, token);
      if (state.status !== 'valid') return sendPage(reply, <InvitationProblemPage ctx={ctx} status={state.status} />, PROBLEM_STATUS[state.status]);
      const parsed = acceptForm.parse(body, ctx.t);
      const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
      if (!errors.password && !errors.confirm && parsed.values.password !== parsed.values.confirm) {
        errors.confirm = ctx.t('admin.accept.mismatch');
      }
      if (Object.keys(errors).length > 0) {
        return sendPage(reply, <AcceptPage ctx={ctx} token={token} name={state.name} email={state.email} errors={errors} />, 422);
      }
      const result = await acceptInvitation(db, tenant.id, { token, password: parsed.values.password, ip: req.ip });
      if (result.status !== 'valid') return sendPage(reply, <InvitationProblemPage ctx={ctx} status={result.status} />, PROBLEM_STATUS[result.status]);
      return seeOther(reply, href(ctx, '/staff/invitation/done'));
    },
  );

  app.get('/staff/invitation/done', async (req, reply) => {
    requireTenant(req);
    return sendPage(reply, <AcceptedPage ctx={pageContext(req, reply)} />);
  });
}
