/** The town's front page, the privacy and accessibility statements, and the language chooser at "/". */
import type { FastifyInstance } from 'fastify';
import { negotiateLocale } from '../../platform/i18n.ts';
import { pageContext, requireTenant, sendPage } from '../../platform/http.ts';
import { HomePage, StatementPage } from './views/pages.tsx';

export async function rootRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', { config: { skipTenant: false } }, async (req, reply) => {
    const tenant = req.tenant;
    const locale = negotiateLocale(req.headers['accept-language'], tenant?.defaultLocale ?? 'fr');
    reply.header('vary', 'accept-language');
    return reply.redirect(`/${locale}`, 302);
  });
  app.get('/healthz', { config: { skipTenant: true } }, async () => ({ status: 'ok' }));
}

export async function siteRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', async (req, reply) => {
    requireTenant(req);
    return sendPage(reply, <HomePage ctx={pageContext(req, reply)} />);
  });
  for (const kind of ['privacy', 'accessibility'] as const) {
    app.get(`/${kind}`, async (req, reply) => {
      requireTenant(req);
      return sendPage(reply, <StatementPage ctx={pageContext(req, reply)} kind={kind} />);
    });
  }
}
