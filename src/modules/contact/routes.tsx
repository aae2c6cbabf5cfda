/** The "write to the town" form: GET and POST /{fr,en}/contact, and its confirmation page. */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { pageContext, seeOther, sendPage } from '../../platform/http.ts';
import { href } from '../../web/context.ts';
import { contactForm, IDEMPOTENCY_KEY, sentParamsSchema } from './schemas.ts';
import { findContactReceipt, newIdempotencyKey, submitContactMessage } from './service.ts';
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
}
