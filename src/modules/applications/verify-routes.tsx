/**
 * The public verification of issued documents, under /fr and /en, without signing in:
 *   GET /verify/:token   valid, expired, not yet valid or revoked; an unknown token → 404 page
 * Limited per client address like sign-in (counted in the database), so nobody walks tokens.
 */
import type { FastifyInstance } from 'fastify';
import { pageContext, sendPage } from '../../platform/http.ts';
import './documents/reminders.ts';
import { verifyDocument } from './documents/service.ts';
import { VerifyNotFoundPage, VerifyPage } from './views/review/verify.tsx';

const tokenParams = {
  type: 'object',
  properties: { token: { type: 'string', maxLength: 100 } },
  required: ['token'],
  additionalProperties: false,
} as const;

export async function verifyRoutes(app: FastifyInstance): Promise<void> {
  const { db, config } = app.deps;
  app.get(
    '/verify/:token',
    { schema: { params: tokenParams }, config: { rateLimit: { max: config.rateLimit.sensitivePerMinute * 3, timeWindow: 60_000 } } },
    async (req, reply) => {
      const ctx = pageContext(req, reply);
      const doc = await verifyDocument(db, ctx.tenant, (req.params as { token: string }).token);
      reply.header('x-robots-tag', 'noindex');
      reply.header('referrer-policy', 'no-referrer');
      if (!doc) return sendPage(reply, <VerifyNotFoundPage ctx={ctx} />, 404);
      return sendPage(reply, <VerifyPage ctx={ctx} doc={doc} />);
    },
  );
}
