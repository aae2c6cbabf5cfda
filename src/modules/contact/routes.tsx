/**
 * The "write to the town" form: GET and POST /{fr,en}/contact, and its confirmation page; and the
 * staff's pages of the messages received: /staff/messages and /staff/messages/:id.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { requireStaff } from '../../platform/auth/session.ts';
import { pageContext, requireTenant, seeOther, sendPage } from '../../platform/http.ts';
import { staffPrincipal } from '../departments/service.ts';
import { href } from '../../web/context.ts';
import { contactForm, IDEMPOTENCY_KEY, sentParamsSchema } from './schemas.ts';
import { findContactReceipt, listContactMessages, newIdempotencyKey, submitContactMessage, viewContactMessage } from './service.ts';
import { InboxPage, MessagePage } from './views/staff.tsx';
import { ContactPage } from './views/ContactPage.tsx';
import { SentPage } from './views/SentPage.tsx';

const EMPTY = { name: '', email: '', message: '' };

export async function contactRoutes(app: FastifyInstance): Promise<void> {
  const { config, db } = app.deps;

  app.get('/contact', async (req, reply) => {
    const ctx = pageContext(req, reply);
    return sendPage(reply, <ContactPage ctx={ctx} values={EMPTY} errors={{}} idempotencyKey={newIdempotencyKey()} />);
  });

  app.post(
    '/contact',
    {
      schema: { body: contactForm.bodySchema },
      config: { rateLimit: { max: config.rateLimit.sensitivePerMinute, timeWindow: 60_000 } },
    },
    async (req, reply) => {
      const ctx = pageContext(req, reply);
      const sentKey = (req.body as Record<string, unknown> | undefined)?._idem;
      // A form that lost its key still works; it just loses the protection against a second send.
      const idempotencyKey = typeof sentKey === 'string' && IDEMPOTENCY_KEY.test(sentKey) ? sentKey : newIdempotencyKey();
      const parsed = contactForm.parse(req.body, ctx.t);
      if (!parsed.ok) {
        return sendPage(reply, <ContactPage ctx={ctx} values={parsed.values} errors={parsed.errors} idempotencyKey={idempotencyKey} />, 422);
      }
      const receipt = await submitContactMessage(db, ctx.tenant, { ...parsed.values, locale: req.locale, idempotencyKey });
      return seeOther(reply, href(ctx, `/contact/sent/${receipt.reference}`));
    },
  );

  app.get('/contact/sent/:reference', { schema: { params: sentParamsSchema } }, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const { reference } = req.params as { reference: string };
    const receipt = await findContactReceipt(db, ctx.tenant.id, reference);
    if (!receipt) throw new AppError('notFound');
    return sendPage(reply, <SentPage ctx={ctx} reference={receipt.reference} />);
  });

  const staffCaller = async (req: Parameters<typeof requireStaff>[0]) => {
    const tenant = requireTenant(req);
    return { db, principal: await staffPrincipal(db, tenant.id, requireStaff(req)), ip: req.ip };
  };

  app.get('/staff/messages', { schema: { querystring: { type: 'object', properties: { page: { type: 'integer', minimum: 1, maximum: 100000 } } } } }, async (req, reply) => {
    const result = await listContactMessages(await staffCaller(req), (req.query as { page?: number }).page ?? 1);
    return sendPage(reply, <InboxPage ctx={pageContext(req, reply)} {...result} />);
  });

  app.get('/staff/messages/:id', { schema: { params: { type: 'object', properties: { id: { type: 'string', maxLength: 64 } }, required: ['id'] } } }, async (req, reply) => {
    const message = await viewContactMessage(await staffCaller(req), (req.params as { id: string }).id);
    return sendPage(reply, <MessagePage ctx={pageContext(req, reply)} message={message} />);
  });
}
